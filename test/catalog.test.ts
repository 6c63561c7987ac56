import { describe, expect, it } from 'vitest';
import { METRICS } from '../src/catalog/metrics.js';
import { resolveAggregation, resolveDimension, resolveMetric, resolveOperation, resolveOperationAnywhere, resolveStatusClass } from '../src/catalog/resolve.js';

/**
 * Every operation of the seed documents (Microsoft's ACS "Metrics overview" and "Call automation
 * metrics overview" pages), with its description, as the pages list them, the two Job Router slips
 * mended.
 */
const SEED_OPERATIONS: Record<string, [string, string][]> = {
  chat: [
    ['GetChatMessage', 'Gets a message by message ID.'],
    ['ListChatMessages', 'Gets a list of chat messages from a thread.'],
    ['SendChatMessage', 'Sends a chat message to a thread.'],
    ['UpdateChatMessage', 'Updates a chat message.'],
    ['DeleteChatMessage', 'Deletes a chat message.'],
    ['GetChatThread', 'Gets a chat thread.'],
    ['ListChatThreads', 'Gets the list of chat threads of a user.'],
    ['UpdateChatThread', "Updates a chat thread's properties."],
    ['CreateChatThread', 'Creates a chat thread.'],
    ['DeleteChatThread', 'Deletes a thread.'],
    ['GetReadReceipts', 'Gets read receipts for a thread.'],
    ['SendReadReceipt', 'Sends a read receipt event to a thread, on behalf of a user.'],
    ['SendTypingIndicator', 'Posts a typing event to a thread, on behalf of a user.'],
    ['ListChatThreadParticipants', 'Gets the members of a thread.'],
    ['AddChatThreadParticipants', 'Adds thread members to a thread. If members already exist, no change occurs.'],
    ['RemoveChatThreadParticipant', 'Remove a member from a thread.'],
  ],
  sms: [
    ['SMSMessageSent', 'Sends an SMS message.'],
    ['SMSDeliveryReportsReceived', 'Gets SMS Delivery Reports'],
    ['SMSMessagesReceived', 'Gets SMS messages.'],
  ],
  auth: [
    ['CreateIdentity', 'Creates an identity representing a single user.'],
    ['DeleteIdentity', 'Deletes an identity.'],
    ['CreateToken', 'Creates an access token.'],
    ['RevokeToken', 'Revokes all access tokens created for an identity before a time given.'],
    [
      'ExchangeTeamsUserAccessToken',
      'Exchange a Microsoft Entra access token of a Teams user for a new Communication Identity access token with a matching expiration time.',
    ],
  ],
  callautomation: [
    ['Create Call', 'Create an outbound call to user.'],
    ['Answer Call', 'Answer an inbound call.'],
    ['Redirect Call', 'Redirect an inbound call to another user.'],
    ['Reject Call', 'Reject an inbound call.'],
    ['Transfer Call To Participant', 'Transfer 1:1 call to another user.'],
    ['Play', 'Play audio to call participants.'],
    ['PlayPrompt', 'Play a prompt to users as part of the Recognize action.'],
    ['Recognize', 'Recognize user input from call participants.'],
    ['Add Participants', 'Add a participant to a call.'],
    ['Remove Participants', 'Remove a participant from a call.'],
    ['HangUp Call', 'Hang up your call leg.'],
    ['Terminate Call', 'End the call for all participants.'],
    ['Get Call', 'Get details about a call.'],
    ['Get Participant', 'Get details on a call participant.'],
    ['Get Participants', 'Get all participants in a call.'],
    ['Delete Call', 'Delete a call.'],
    ['Cancel All Media Operations', 'Cancel all ongoing or queued media operations in a call.'],
  ],
  router: [
    ['UpsertClassificationPolicy', 'Creates or updates a classification policy.'],
    ['GetClassificationPolicy', 'Retrieves an existing classification policy by ID.'],
    ['ListClassificationPolicies', 'Retrieves existing classification policies'],
    // The seed lists DeleteDistributionPolicy here: a slip for the classification policy.
    ['DeleteClassificationPolicy', 'Delete a classification policy by ID.'],
    ['UpsertDistributionPolicy', 'Creates or updates a distribution policy.'],
    ['GetDistributionPolicy', 'Retrieves an existing distribution policy by ID.'],
    ['ListDistributionPolicies', 'Retrieves existing distribution policies'],
    ['DeleteDistributionPolicy', 'Delete a distribution policy by ID.'],
    ['UpsertExceptionPolicy', 'Creates or updates an exception policy.'],
    ['GetExceptionPolicy', 'Retrieves an existing exception policy by ID.'],
    ['ListExceptionPolicies', 'Retrieves existing exception policies'],
    ['DeleteExceptionPolicy', 'Delete an exception policy by ID.'],
    ['UpsertQueue', 'Creates or updates a queue.'],
    ['GetQueue', 'Retrieves an existing queue by ID.'],
    ['GetQueues', 'Retrieves existing queues'],
    ['DeleteQueue', 'Delete a queue by ID.'],
    ['GetQueueStatistics', "Retrieves a queue's statistics."],
    ['UpsertJob', 'Creates or updates a job.'],
    ['GetJob', 'Retrieves an existing job by ID.'],
    ['GetJobs', 'Retrieves existing jobs'],
    // The seed says "queue policy": a slip.
    ['DeleteJob', 'Delete a job by ID.'],
    ['ReclassifyJob', 'Reclassify a job.'],
    ['CancelJob', 'Submits request to cancel an existing job by ID while supplying free-form cancellation reason.'],
    ['CompleteJob', 'Completes an assigned job.'],
    ['CloseJob', 'Closes a completed job.'],
    ['AcceptJobOffer', 'Accepts an offer to work on a job and returns a 409/Conflict if another agent accepted the job already.'],
    ['DeclineJobOffer', 'Declines an offer to work on a job.'],
    ['UpsertWorker', 'Creates or updates a worker.'],
    ['GetWorker', 'Retrieves an existing worker by ID.'],
    ['GetWorkers', 'Retrieves existing workers.'],
    ['DeleteWorker', 'Deletes a worker and all of its traces.'],
  ],
  networktraversal: [['IssueRelayConfiguration', 'Issue configuration for an STUN/TURN server.']],
  rooms: [
    ['CreateRoom', 'Creates a Room.'],
    ['DeleteRoom', 'Deletes a Room.'],
    ['GetRoom', 'Gets a Room by Room ID.'],
    ['PatchRoom', 'Updates a Room by Room ID.'],
    ['ListRooms', 'Lists all the Rooms for an Azure Communication Services Resource.'],
    ['AddParticipants', 'Adds participants to a Room.'],
    ['RemoveParticipants', 'Removes participants from a Room.'],
    ['GetParticipants', 'Gets list of participants for a Room.'],
    ['UpdateParticipants', 'Updates list of participants for a Room.'],
  ],
};

const metric = (alias: string) => resolveMetric(alias);

describe('the built-in catalog', () => {
  it('has every seed operation with its description, in the seed order', () => {
    for (const [alias, ops] of Object.entries(SEED_OPERATIONS)) {
      expect(
        metric(alias).operations.map((o) => [o.name, o.description]),
        alias,
      ).toEqual(ops);
    }
    expect(Object.values(SEED_OPERATIONS).flat()).toHaveLength(82);
  });

  it('has the newer request metrics, and Network Traversal marked legacy', () => {
    expect(metric('email').operations.map((o) => o.name)).toEqual(['SendMail', 'GetMessageStatus']);
    expect(metric('messaging').operations.map((o) => o.name)).toEqual([
      'DownloadMedia',
      'ListTemplates',
      'ReceiveMessage',
      'SendMessage',
      'SendMessageDeliveryStatus',
    ]);
    expect(metric('recording').operationsDocumented).toBe(false);
    expect(METRICS.filter((m) => m.legacy).map((m) => m.alias)).toEqual(['networktraversal']);
  });

  it('has REST names with their exact casing and a unique alias each', () => {
    expect(METRICS.map((m) => [m.alias, m.rest])).toEqual([
      ['chat', 'APIRequestChat'],
      ['sms', 'APIRequestSMS'],
      ['auth', 'APIRequestAuthentication'],
      ['callautomation', 'APIRequestCallAutomation'],
      ['router', 'ApiRequestRouter'],
      ['networktraversal', 'APIRequestNetworkTraversal'],
      ['rooms', 'ApiRequestRooms'],
      ['email', 'ApiRequests'],
      ['messaging', 'APIRequestsAdvancedMessaging'],
      ['recording', 'APIRequestCallRecording'],
      ['callbacks', 'AcsCallAutomationCallbackEvent'],
      ['email-delivery', 'DeliveryStatusUpdate'],
      ['email-engagement', 'UserEngagement'],
    ]);
    for (const m of METRICS) {
      expect(m.unit).toBe('Count');
      // Job Router's default aggregation is Total (Sum) in the reference since 2025-04.
      expect(m.primaryAggregation).toBe(m.alias === 'router' ? 'total' : 'count');
      if (m.errors.kind === 'status' && m.errors.codeDimension === 'StatusCode') {
        expect(m.dimensions.slice(0, 3).map((d) => d.name)).toEqual(['Operation', 'StatusCode', 'StatusSubClass']);
      }
    }
  });

  it('has the three platform metrics that are not requests, with the reference dimensions', () => {
    const rest = (alias: string) => metric(alias).dimensions.map((d) => d.rest);
    expect(rest('callbacks')).toEqual(['EventTypeName', 'Code', 'CodeClass', 'SubCode', 'Version']);
    expect(rest('email-delivery')).toEqual(['MessageStatus', 'Result', 'SmtpStatusCode', 'EnhancedSmtpStatusCode', 'SenderDomain', 'IsHardBounce']);
    expect(rest('email-engagement')).toEqual(['EngagementType']);
    // The old names keep working, the new ones answer to their REST and display names too.
    expect(resolveMetric('AcsCallAutomationCallbackEvent').alias).toBe('callbacks');
    expect(resolveMetric('Email Service Delivery Status Updates').alias).toBe('email-delivery');
    expect(resolveMetric('userengagement').alias).toBe('email-engagement');
    expect(resolveMetric('email').rest).toBe('ApiRequests');
  });

  it('gives every metric its lifecycle from the retirement guide', () => {
    const by = Object.fromEntries(METRICS.map((m) => [m.alias, `${m.lifecycle.status} ${m.lifecycle.date ?? '-'}`]));
    expect(by).toEqual({
      chat: 'retiring 2028-09-30',
      sms: 'retiring 2028-09-30',
      auth: 'active -',
      callautomation: 'breaking 2028-09-30',
      router: 'retiring 2028-09-30',
      networktraversal: 'legacy -',
      rooms: 'retiring 2028-09-30',
      email: 'retiring 2028-09-30',
      messaging: 'retiring 2028-09-30',
      recording: 'breaking 2028-09-30',
      callbacks: 'breaking 2028-09-30',
      'email-delivery': 'retiring 2028-09-30',
      'email-engagement': 'retiring 2028-09-30',
    });
    for (const m of METRICS.filter((x) => x.lifecycle.status !== 'legacy')) {
      expect(m.lifecycle.source).toBe('https://learn.microsoft.com/azure/communication-services/acs-retirement-and-breaking-changes-guide (2026-08-18)');
    }
    expect(metric('networktraversal').note).toContain('deprecated on 2024-03-31');
  });

  it('gives every metric its own error rule, as data', () => {
    const rule = (alias: string) => metric(alias).errors;
    expect(rule('chat')).toMatchObject({ kind: 'status', classDimension: 'StatusSubClass', codeDimension: 'StatusCode', classes: ['4xx', '5xx'] });
    expect(metric('router').dimensions.find((d) => d.name === 'StatusSubClass')!.rest).toBe('StatusCodeSubClass');
    expect(rule('callbacks')).toMatchObject({
      kind: 'status',
      classDimension: 'CodeClass',
      codeDimension: 'Code',
      classes: ['1xx', '3xx', '4xx', '5xx'],
      failedSuffix: { dimension: 'EventTypeName', suffix: 'Failed' },
    });
    expect(rule('email-delivery')).toMatchObject({ kind: 'value', dimension: 'Result', values: ['Failure'] });
    expect(metric('email-delivery').secondaryRate).toMatchObject({ key: 'bounces', dimension: 'IsHardBounce', values: ['true'] });
    expect(rule('email-engagement').kind).toBe('none');
  });

  it('maps the dimensions to their REST names (Job Router differs)', () => {
    const rest = (alias: string) => metric(alias).dimensions.map((d) => `${d.name}=${d.rest}`);
    expect(rest('chat')).toEqual(['Operation=Operation', 'StatusCode=StatusCode', 'StatusSubClass=StatusCodeClass']);
    expect(rest('router')).toEqual(['Operation=OperationName', 'StatusCode=StatusCode', 'StatusSubClass=StatusCodeSubClass', 'ApiVersion=ApiVersion']);
    expect(rest('sms').slice(3)).toEqual(['ErrorCode=ErrorCode', 'NumberType=NumberType', 'Country=Country', 'OptAction=OptAction']);
  });
});

describe('name resolution', () => {
  it('accepts a metric by alias, REST name or display name, in any case', () => {
    for (const name of ['chat', 'CHAT', 'APIRequestChat', 'apirequestchat', 'Chat API Requests', 'chat-api-requests']) {
      expect(resolveMetric(name).rest).toBe('APIRequestChat');
    }
    expect(resolveMetric('Job Router API Requests').alias).toBe('router');
  });

  it('treats case, spaces, hyphens and underscores alike in operation names', () => {
    const ca = metric('callautomation');
    for (const name of ['create call', 'CreateCall', 'Create Call', 'create-call', 'CREATE_CALL']) {
      expect(resolveOperation(ca, name)).toBe('Create Call');
    }
    expect(resolveOperation(metric('chat'), 'send_chat_message')).toBe('SendChatMessage');
  });

  it('accepts a name far from a documented but incomplete list with a warning, refuses a typo of a listed one', () => {
    const warnings: string[] = [];
    const warn = (line: string) => warnings.push(line);
    const ca = metric('callautomation');
    expect(resolveOperation(ca, 'Hold Participant', { warn })).toBe('Hold Participant');
    expect(resolveOperation(ca, 'StartTranscription', { warn })).toBe('StartTranscription');
    expect(warnings).toEqual([
      'operation "Hold Participant" is not in the documented list for callautomation (APIRequestCallAutomation); the list is known to be incomplete, so it is used as given',
      'operation "StartTranscription" is not in the documented list for callautomation (APIRequestCallAutomation); the list is known to be incomplete, so it is used as given',
    ]);
    expect(() => resolveOperation(ca, 'Create Cal', { warn })).toThrow(
      'unknown operation "Create Cal" for callautomation (APIRequestCallAutomation): did you mean Create Call? (run "acs-metrics catalog callautomation" to list them)',
    );
    expect(resolveOperation(metric('sms'), 'SMSOptOut', { warn })).toBe('SMSOptOut');
    expect(warnings).toHaveLength(3);
    // A documented list that is complete stays strict.
    expect(() => resolveOperation(metric('chat'), 'Hold Participant', { warn })).toThrow('unknown operation "Hold Participant" for chat (APIRequestChat)');
    expect(warnings).toHaveLength(3);
  });

  it('accepts values from --catalog-extra as they are, without a warning', () => {
    const warnings: string[] = [];
    const extra = ['HoldParticipant', 'ListMessageTemplates'];
    expect(resolveOperation(metric('chat'), 'holdparticipant', { extra, warn: (l) => warnings.push(l) })).toBe('HoldParticipant');
    expect(resolveOperation(metric('callautomation'), 'hold-participant', { extra, warn: (l) => warnings.push(l) })).toBe('HoldParticipant');
    expect(warnings).toEqual([]);
  });

  it('accepts Bad Route for every metric, and any operation for Call Recording', () => {
    for (const m of METRICS.filter((x) => x.errors.kind === 'status' && x.errors.codeDimension === 'StatusCode')) {
      expect(resolveOperation(m, 'bad route')).toBe('Bad Route');
    }
    expect(resolveOperation(metric('recording'), 'StartRecording')).toBe('StartRecording');
  });

  it('accepts a dimension by user-facing name, REST name or alias', () => {
    const router = metric('router');
    for (const name of ['StatusSubClass', 'status-sub-class', 'StatusCodeSubClass', 'StatusCodeClass', 'statusclass']) {
      expect(resolveDimension(router, name).rest).toBe('StatusCodeSubClass');
    }
    expect(resolveDimension(router, 'operation').rest).toBe('OperationName');
    expect(resolveDimension(router, 'OperationName').name).toBe('Operation');
  });

  it('accepts aggregation names and their usual abbreviations', () => {
    expect(['count', 'sum', 'Total', 'avg', 'Average', 'min', 'MAXIMUM'].map((a) => resolveAggregation(a).wire)).toEqual([
      'Count',
      'Total',
      'Total',
      'Average',
      'Average',
      'Minimum',
      'Maximum',
    ]);
  });

  it('suggests the closest names for a misspelt one', () => {
    expect(() => resolveMetric('romos')).toThrow('unknown metric "romos": did you mean rooms? Valid metrics: chat, sms, auth');
    expect(() => resolveOperation(metric('router'), 'UpsertJb')).toThrow(
      'unknown operation "UpsertJb" for router (ApiRequestRouter): did you mean UpsertJob? (run "acs-metrics catalog router" to list them)',
    );
    expect(() => resolveOperation(metric('sms'), 'SMSMesageSent')).toThrow(
      'unknown operation "SMSMesageSent" for sms (APIRequestSMS): did you mean SMSMessageSent? Valid operations: SMSMessageSent, SMSDeliveryReportsReceived, SMSMessagesReceived, Bad Route',
    );
    expect(() => resolveDimension(metric('chat'), 'opration')).toThrow(
      'unknown dimension "opration" for chat: did you mean Operation? Valid dimensions: Operation, StatusCode, StatusSubClass',
    );
    expect(() => resolveAggregation('sun')).toThrow('unknown aggregation "sun": did you mean sum or min? Valid aggregations: count, sum, average, min, max');
  });

  it('finds the one metric of an operation, or names every metric that has it', () => {
    expect(resolveOperationAnywhere('issue relay configuration').metric.alias).toBe('networktraversal');
    expect(() => resolveOperationAnywhere('AddParticipants')).toThrow(
      'operation "AddParticipants" exists in several metrics: callautomation ("Add Participants"), rooms ("AddParticipants"); choose one with --metric',
    );
    expect(() => resolveOperationAnywhere('GetParticipant')).not.toThrow();
    expect(() => resolveOperationAnywhere('SendChatMesage')).toThrow('unknown operation "SendChatMesage": did you mean SendChatMessage?');
  });

  it('checks status classes', () => {
    expect(resolveStatusClass('5XX')).toBe('5xx');
    expect(() => resolveStatusClass('6xx')).toThrow('invalid status class "6xx": expected one of 1xx, 2xx, 3xx, 4xx, 5xx');
  });
});

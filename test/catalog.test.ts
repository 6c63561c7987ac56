import { describe, expect, it } from 'vitest';
import { METRICS } from '../src/catalog/metrics.js';
import {
  resolveAggregation,
  resolveDimension,
  resolveMetric,
  resolveOperation,
  resolveOperationAnywhere,
  resolveStatusClass,
} from '../src/catalog/resolve.js';

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
    ['ExchangeTeamsUserAccessToken', 'Exchange a Microsoft Entra access token of a Teams user for a new Communication Identity access token with a matching expiration time.'],
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
  networktraversal: [
    ['IssueRelayConfiguration', 'Issue configuration for an STUN/TURN server.'],
  ],
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
      expect(metric(alias).operations.map((o) => [o.name, o.description]), alias).toEqual(ops);
    }
    expect(Object.values(SEED_OPERATIONS).flat()).toHaveLength(82);
  });

  it('has the newer request metrics, and Network Traversal marked legacy', () => {
    expect(metric('email').operations.map((o) => o.name)).toEqual(['SendMail', 'GetMessageStatus']);
    expect(metric('messaging').operations.map((o) => o.name)).toEqual([
      'DownloadMedia', 'ListTemplates', 'ReceiveMessage', 'SendMessage', 'SendMessageDeliveryStatus',
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
    ]);
    for (const m of METRICS) {
      expect(m.unit).toBe('Count');
      expect(m.primaryAggregation).toBe('count');
      expect(m.dimensions.slice(0, 3).map((d) => d.name)).toEqual(['Operation', 'StatusCode', 'StatusSubClass']);
    }
  });

  it('maps the dimensions to their REST names (Job Router differs)', () => {
    const rest = (alias: string) => metric(alias).dimensions.map((d) => `${d.name}=${d.rest}`);
    expect(rest('chat')).toEqual(['Operation=Operation', 'StatusCode=StatusCode', 'StatusSubClass=StatusCodeClass']);
    expect(rest('router')).toEqual([
      'Operation=OperationName', 'StatusCode=StatusCode', 'StatusSubClass=StatusCodeSubClass', 'ApiVersion=ApiVersion',
    ]);
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

  it('accepts Bad Route for every metric, and any operation for Call Recording', () => {
    for (const m of METRICS) expect(resolveOperation(m, 'bad route')).toBe('Bad Route');
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
      'Count', 'Total', 'Total', 'Average', 'Average', 'Minimum', 'Maximum',
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

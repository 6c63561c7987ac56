/**
 * The built-in catalog of ACS platform metrics (resource type
 * Microsoft.Communication/CommunicationServices). Data only: names, casing and operation lists come
 * from Microsoft's "Metrics overview" and "Call automation metrics overview" concept pages and the
 * generated "Supported metrics" page. Correct an entry here when the service disagrees
 * (`acs-metrics definitions` reports the differences).
 */
import { ACTIVE, BREAKING, LEGACY_NETWORK_TRAVERSAL, RETIRING } from './lifecycle.js';
import type { AggregationKey, DimensionDef, ErrorRule, MetricDef, OperationDef } from './types.js';

export const RESOURCE_TYPE = 'Microsoft.Communication/CommunicationServices';
export const METRIC_NAMESPACE = 'Microsoft.Communication/CommunicationServices';
/** The operation value the service records for a request to a route it does not recognise. */
export const BAD_ROUTE_OPERATION = 'Bad Route';
export const TIME_GRAIN = 'PT1M';
export const RETENTION_DAYS = 93;

const ALL_AGGREGATIONS: readonly AggregationKey[] = ['count', 'total', 'average', 'minimum', 'maximum'];

const dim = (name: string, rest: string, description: string, aliases: string[] = []): DimensionDef => ({
  name,
  rest,
  aliases,
  description,
});

const OPERATION = dim('Operation', 'Operation', 'The operation or route that was called.', ['OperationName', 'Route']);
const STATUS_CODE = dim('StatusCode', 'StatusCode', 'The HTTP status code of the response.', ['Status']);
const STATUS_SUB_CLASS = dim('StatusSubClass', 'StatusCodeClass', 'The status code series of the response (2xx, 4xx, 5xx).', [
  'StatusCodeClass',
  'StatusCodeSubClass',
  'StatusClass',
]);
const API_VERSION = dim('ApiVersion', 'ApiVersion', 'The API version of the request.');
const STANDARD = [OPERATION, STATUS_CODE, STATUS_SUB_CLASS];

/** Request metrics: the HTTP status of the request. */
const REQUEST_ERRORS: ErrorRule = {
  kind: 'status',
  classDimension: 'StatusSubClass',
  codeDimension: 'StatusCode',
  classes: ['4xx', '5xx'],
  summary: 'a request is an error when its StatusSubClass (StatusCodeClass) is 4xx or 5xx; --errors picks other classes or codes',
};

const ops = (rows: [string, string][]): OperationDef[] => rows.map(([name, description]) => ({ name, description }));

type Defaulted = 'unit' | 'aggregations' | 'primaryAggregation' | 'legacy' | 'operationsDocumented' | 'operationsExhaustive' | 'errors';
const metric = (m: Omit<MetricDef, Defaulted> & Partial<Pick<MetricDef, Defaulted>>): MetricDef => ({
  unit: 'Count',
  aggregations: ALL_AGGREGATIONS,
  primaryAggregation: 'count',
  legacy: false,
  operationsDocumented: true,
  operationsExhaustive: true,
  errors: REQUEST_ERRORS,
  ...m,
});

export const METRICS: readonly MetricDef[] = [
  metric({
    alias: 'chat',
    lifecycle: RETIRING,
    rest: 'APIRequestChat',
    displayName: 'Chat API Requests',
    area: 'Chat',
    dimensions: STANDARD,
    operations: ops([
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
    ]),
  }),
  metric({
    alias: 'sms',
    lifecycle: RETIRING,
    operationsExhaustive: false,
    note: 'The documented operation list likely lacks the opt-out operations: a name far from the listed ones is accepted with a warning.',
    rest: 'APIRequestSMS',
    displayName: 'SMS API Requests',
    area: 'SMS',
    dimensions: [
      ...STANDARD,
      dim('ErrorCode', 'ErrorCode', 'The SMS error code.'),
      dim('NumberType', 'NumberType', 'The type of the sending number.'),
      dim('Country', 'Country', 'The destination country.'),
      dim('OptAction', 'OptAction', 'The opt-in/opt-out action.'),
    ],
    operations: ops([
      ['SMSMessageSent', 'Sends an SMS message.'],
      ['SMSDeliveryReportsReceived', 'Gets SMS Delivery Reports'],
      ['SMSMessagesReceived', 'Gets SMS messages.'],
    ]),
  }),
  metric({
    alias: 'auth',
    lifecycle: ACTIVE,
    rest: 'APIRequestAuthentication',
    displayName: 'Authentication API Requests',
    area: 'Authentication',
    dimensions: STANDARD,
    operations: ops([
      ['CreateIdentity', 'Creates an identity representing a single user.'],
      ['DeleteIdentity', 'Deletes an identity.'],
      ['CreateToken', 'Creates an access token.'],
      ['RevokeToken', 'Revokes all access tokens created for an identity before a time given.'],
      [
        'ExchangeTeamsUserAccessToken',
        'Exchange a Microsoft Entra access token of a Teams user for a new Communication Identity access token with a matching expiration time.',
      ],
    ]),
  }),
  metric({
    alias: 'callautomation',
    lifecycle: BREAKING,
    operationsExhaustive: false,
    rest: 'APIRequestCallAutomation',
    displayName: 'Call Automation API Requests',
    area: 'Call Automation',
    dimensions: [...STANDARD, API_VERSION],
    note: 'Operation values are written with spaces in the docs ("Create Call"); the exact wire strings are unverified. The list (June 2023) lacks newer actions (hold, transcription, media streaming, DTMF, connect...): a name far from the listed ones is accepted with a warning.',
    operations: ops([
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
    ]),
  }),
  metric({
    alias: 'router',
    lifecycle: RETIRING,
    // Microsoft's reference says Total (Sum) since 2025-04 (Count before).
    primaryAggregation: 'total',
    errors: {
      ...REQUEST_ERRORS,
      summary: 'a request is an error when its StatusSubClass (REST StatusCodeSubClass) is 4xx or 5xx; --errors picks other classes or codes',
    },
    rest: 'ApiRequestRouter',
    displayName: 'Job Router API Requests',
    area: 'Job Router',
    dimensions: [
      dim('Operation', 'OperationName', OPERATION.description, ['OperationName', 'Route']),
      STATUS_CODE,
      dim('StatusSubClass', 'StatusCodeSubClass', STATUS_SUB_CLASS.description, STATUS_SUB_CLASS.aliases.slice()),
      API_VERSION,
    ],
    // The seed table lists DeleteDistributionPolicy twice; the first row (a classification policy) is
    // DeleteClassificationPolicy, and DeleteJob deletes a job (the seed says "queue policy").
    operations: ops([
      ['UpsertClassificationPolicy', 'Creates or updates a classification policy.'],
      ['GetClassificationPolicy', 'Retrieves an existing classification policy by ID.'],
      ['ListClassificationPolicies', 'Retrieves existing classification policies'],
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
    ]),
  }),
  metric({
    alias: 'networktraversal',
    lifecycle: LEGACY_NETWORK_TRAVERSAL,
    rest: 'APIRequestNetworkTraversal',
    displayName: 'Network Traversal API Requests',
    area: 'Network Traversal',
    dimensions: STANDARD,
    legacy: true,
    note: "Legacy: its SDKs were deprecated on 2024-03-31 and the metric left Microsoft's generated metric reference in May 2024; still seen on older resources.",
    operations: ops([['IssueRelayConfiguration', 'Issue configuration for an STUN/TURN server.']]),
  }),
  metric({
    alias: 'rooms',
    lifecycle: RETIRING,
    rest: 'ApiRequestRooms',
    displayName: 'Rooms API Requests',
    area: 'Rooms',
    dimensions: STANDARD,
    operations: ops([
      ['CreateRoom', 'Creates a Room.'],
      ['DeleteRoom', 'Deletes a Room.'],
      ['GetRoom', 'Gets a Room by Room ID.'],
      ['PatchRoom', 'Updates a Room by Room ID.'],
      ['ListRooms', 'Lists all the Rooms for an Azure Communication Services Resource.'],
      ['AddParticipants', 'Adds participants to a Room.'],
      ['RemoveParticipants', 'Removes participants from a Room.'],
      ['GetParticipants', 'Gets list of participants for a Room.'],
      ['UpdateParticipants', 'Updates list of participants for a Room.'],
    ]),
  }),
  metric({
    alias: 'email',
    lifecycle: RETIRING,
    rest: 'ApiRequests',
    displayName: 'Email Service API Requests',
    area: 'Email',
    dimensions: [...STANDARD, dim('StatusCodeReason', 'StatusCodeReason', 'The reason given with the status code.')],
    operations: ops([
      ['SendMail', 'Sends an email message.'],
      ['GetMessageStatus', 'Gets the delivery status of an email message.'],
    ]),
  }),
  metric({
    alias: 'messaging',
    lifecycle: RETIRING,
    rest: 'APIRequestsAdvancedMessaging',
    displayName: 'Advanced Messaging API Requests',
    area: 'Advanced Messaging',
    dimensions: [
      ...STANDARD,
      dim('ChannelType', 'ChannelType', 'The messaging channel (for example WhatsApp).'),
      API_VERSION,
      dim('MessageStatus', 'MessageStatus', 'The delivery status of the message.'),
    ],
    operations: ops([
      ['DownloadMedia', 'Downloads media of a received message.'],
      ['ListTemplates', 'Lists the message templates of a channel.'],
      ['ReceiveMessage', 'Receives a message.'],
      ['SendMessage', 'Sends a message.'],
      ['SendMessageDeliveryStatus', 'Reports the delivery status of a sent message.'],
    ]),
  }),
  metric({
    alias: 'recording',
    lifecycle: BREAKING,
    rest: 'APIRequestCallRecording',
    displayName: 'Call Recording API Requests',
    area: 'Call Recording',
    dimensions: STANDARD,
    operationsDocumented: false,
    note: 'No public document lists its operations: any operation value is accepted.',
    operations: [],
  }),
  metric({
    alias: 'callbacks',
    rest: 'AcsCallAutomationCallbackEvent',
    displayName: 'Call Automation Callback Event',
    area: 'Call Automation callbacks',
    lifecycle: BREAKING,
    dimensions: [
      dim('EventTypeName', 'EventTypeName', 'The callback event type, e.g. Microsoft.Communication.CallConnected.', ['Operation', 'EventType', 'Event']),
      dim('Code', 'Code', 'The result code of the event.', ['StatusCode', 'ResultCode']),
      dim('CodeClass', 'CodeClass', 'The code series of the event (2xx, 4xx, 5xx).', ['StatusSubClass', 'StatusCodeClass', 'ResultClass']),
      dim('SubCode', 'SubCode', 'The sub-code of the event result.'),
      dim('Version', 'Version', 'The event schema version.'),
    ],
    errors: {
      kind: 'status',
      classDimension: 'CodeClass',
      codeDimension: 'Code',
      classes: ['1xx', '3xx', '4xx', '5xx'],
      failedSuffix: { dimension: 'EventTypeName', suffix: 'Failed' },
      summary:
        'an event is failed when its CodeClass is not 2xx (the event\'s own result series); data without CodeClass or Code falls back to event types ending in "Failed"; --errors picks code classes or codes',
    },
    operationsDocumented: false,
    note: 'Event types (35) are listed in the Call Automation metrics concept page, not yet in this catalog: any EventTypeName is accepted (`acs-metrics definitions` lists those a resource emits).',
    operations: [],
  }),
  metric({
    alias: 'email-delivery',
    rest: 'DeliveryStatusUpdate',
    displayName: 'Email Service Delivery Status Updates',
    area: 'Email delivery',
    lifecycle: RETIRING,
    dimensions: [
      dim('MessageStatus', 'MessageStatus', 'The delivery status of the message (Delivered, Failed, Suppressed...).', [
        'Operation',
        'Status',
        'DeliveryStatus',
      ]),
      dim('Result', 'Result', 'Success or Failure.'),
      dim('SmtpStatusCode', 'SmtpStatusCode', 'The SMTP status code of the delivery attempt.', ['Smtp']),
      dim('EnhancedSmtpStatusCode', 'EnhancedSmtpStatusCode', 'The enhanced SMTP status code (RFC 3463).', ['EnhancedSmtp']),
      dim('SenderDomain', 'SenderDomain', 'The sender domain of the message.', ['Domain']),
      dim('IsHardBounce', 'IsHardBounce', 'true when the recipient server refused the message permanently.', ['HardBounce', 'Bounce']),
    ],
    errors: {
      kind: 'value',
      dimension: 'Result',
      values: ['Failure'],
      summary: 'a delivery status update is an error when its Result is Failure; the bounce rate is IsHardBounce true / all updates',
    },
    secondaryRate: {
      key: 'bounces',
      rateKey: 'bounceRate',
      label: 'Bounces',
      rateLabel: 'Bounce rate',
      dimension: 'IsHardBounce',
      values: ['true'],
      summary: 'bounce rate: updates with IsHardBounce true / all updates',
    },
    operationsExhaustive: false,
    note: 'The only email delivery signal in platform metrics. MessageStatus plays the part of the operation (--operation, --split-by operation); the documents name a few values, more exist.',
    operations: ops([
      ['Delivered', "The message was delivered to the recipient's mail server."],
      ['Failed', 'The message could not be delivered.'],
      ['Suppressed', 'The message was not sent: the recipient is suppressed (an earlier bounce or an opt-out).'],
    ]),
  }),
  metric({
    alias: 'email-engagement',
    rest: 'UserEngagement',
    displayName: 'Email Service User Engagement',
    area: 'Email engagement',
    lifecycle: RETIRING,
    dimensions: [dim('EngagementType', 'EngagementType', 'The kind of engagement (a view or a click).', ['Operation', 'Engagement'])],
    errors: {
      kind: 'none',
      reason: 'user engagement counts opens and clicks, which cannot fail',
      summary: 'no error rate: user engagement counts opens and clicks, which cannot fail',
    },
    operationsDocumented: false,
    note: 'Needs engagement tracking turned on for the email domain. EngagementType plays the part of the operation; its values are not documented.',
    operations: [],
  }),
];

/**
 * The ACS resource log (Log Analytics) table of each request metric, for `alerts --workspace`: a rate
 * rule becomes a log search alert that computes the error rate over the table. In these tables
 * `OperationName` holds the operation and `ResultSignature` the HTTP status of each request.
 *
 * Source: Microsoft's ACS logging reference pages (Chat, Authentication, Call Automation, SMS, Advanced
 * Messaging, Job Router and Rooms "incoming operations" logs), as summarised in the project's Azure
 * notes of December 2026. The logs exist only where a diagnostic setting sends them to a workspace.
 * Metrics missing here have no table whose rows carry the HTTP status of the requests the metric
 * counts (email: its tables record sends and delivery statuses), or no log at all.
 */
export const LOG_TABLES: Readonly<Record<string, string>> = {
  chat: 'ACSChatIncomingOperations',
  auth: 'ACSAuthIncomingOperations',
  callautomation: 'ACSCallAutomationIncomingOperations',
  sms: 'ACSSMSIncomingOperations',
  messaging: 'ACSAdvancedMessagingOperations',
  router: 'ACSJobRouterIncomingOperations',
  rooms: 'ACSRoomsIncomingOperations',
};

/** Why a metric has no log table here (for `not mapped: <why>`). */
export const NO_LOG_TABLE: Readonly<Record<string, string>> = {
  email:
    'its log tables (ACSEmailSendMailOperational, ACSEmailStatusUpdateOperational) record messages and delivery statuses, not the HTTP status of each API request',
  'email-delivery': "its log table (ACSEmailStatusUpdateOperational) has no column matching the metric's Result dimension",
};

/** The log columns of the request tables. */
export const LOG_OPERATION_COLUMN = 'OperationName';
export const LOG_STATUS_COLUMN = 'ResultSignature';

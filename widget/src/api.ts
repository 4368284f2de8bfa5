// The visitor API (docs/conversations-api.md, "Web chat visitor API"): one implementation, in
// @hoorn/sdk, shared with the organisation's own apps.
export { Api, ApiError, isRetryable, NetworkError } from '@hoorn/sdk';
export type { Attachment, Lang, MessageStatus, Session, SessionRequest, VisitorMessage, WaitInfo, WidgetConfig } from '@hoorn/sdk';

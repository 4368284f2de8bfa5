// @hoorn/sdk: the typed client of Hoorn's visitor API, for the organisation's own apps (web,
// React Native, Node) and for Hoorn's chat widget. No runtime dependencies.
export { createClient, HoornClient, type ClientEvents, type ClientOptions, type ConnectionState } from './client.js';
export { Api, ApiError, isRetryable, NetworkError, type ApiOptions, type FetchLike, type RequestInitLike, type ResponseLike } from './http.js';
export { Live, reconnectDelay, realTimers, type LiveHandlers, type LiveOptions, type Timers, type WebSocketConstructor, type WebSocketLike } from './live.js';
export { MessageQueue, newClientMessageId, type QueuedMessage, type QueueOptions } from './queue.js';
export { defaultStorage, localStorageAdapter, memoryStorage, prefixed, type KeyValueStorage, type SyncStorage } from './storage.js';
export type * from './types.js';

// The visitor's reconnecting WebSocket lives in @hoorn/sdk (backoff 1 s doubling to 30 s with
// jitter; at once when the browser comes back online or the tab becomes visible).
export { Live } from '@hoorn/sdk';

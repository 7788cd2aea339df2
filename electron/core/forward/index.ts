/** Audit forwarding to a SIEM (issue #17.3, docs/siem.md): what the station, `airlock watch` and the app use. */
export { startForwarder, deliverNow, type ForwarderContext, type ForwarderOptions, type DeliverNowResult } from './forwarder.js';
export { forwardStatusOf } from './forward-status.js';
export type { SinkChange } from './forward-loop.js';

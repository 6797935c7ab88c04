// A reader of the events esgen stores on NATS JetStream (docs/wire-format.md).

export { decodeEnvelope, decodeSnapshot, EnvelopeError, formatTime } from "./envelope.js";
export type { Envelope, EnvelopeEvent, Snapshot } from "./envelope.js";
export { decodeMessage, eventLine, payloadJSON } from "./events.js";
export type { Message, StoredEvent } from "./events.js";
export { readMessages } from "./read.js";
export type { ReadOptions } from "./read.js";

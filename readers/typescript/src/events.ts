// Stored events with their full metadata, and the JSON form `esgen events`
// prints (docs/wire-format.md, "Event lines").

import { decodeEnvelope, EnvelopeError } from "./envelope.js";

/** One stored event with every metadata field. */
export interface StoredEvent {
  subject: string;
  /** The stream sequence of the message holding the event (shared by a command's events). */
  sequence: number;
  aggregateType: string;
  aggregateId: string;
  version: number;
  eventId: string;
  eventType: string;
  schemaVersion: number;
  time: string;
  commandId: string;
  correlationId: string;
  causationId: string;
  actor: string;
  traceparent: string;
  /** The payload as stored: the event's JSON, as bytes. */
  data: Uint8Array;
}

/** One stored message: every event of one command. */
export interface Message {
  subject: string;
  sequence: number;
  /** Stream sequence of the aggregate's previous message, 0 for none. */
  prev: number;
  commandId: string;
  events: StoredEvent[];
}

/**
 * Decodes the payload of the message stored at sequence on subject. A
 * payload that is not an envelope, or whose aggregate is not the one the
 * subject addresses ("<prefix>.<type>.<id>"), throws an EnvelopeError
 * naming the message.
 */
export function decodeMessage(subject: string, sequence: number, data: Uint8Array): Message {
  const at = `message ${sequence} on ${subject}`;
  let env;
  try {
    env = decodeEnvelope(data);
  } catch (e) {
    if (e instanceof EnvelopeError) throw new EnvelopeError(`${at}: ${e.message}`);
    throw e;
  }
  const tail = `.${env.aggregateType}.${env.aggregateId}`;
  if (!subject.endsWith(tail) || subject.length === tail.length) {
    throw new EnvelopeError(`${at}: envelope of ${env.aggregateType} ${JSON.stringify(env.aggregateId)} does not belong on this subject`);
  }
  const events = env.events.map(
    (e): StoredEvent => ({
      subject,
      sequence,
      aggregateType: env.aggregateType,
      aggregateId: env.aggregateId,
      version: e.version,
      eventId: e.eventId,
      eventType: e.eventType,
      schemaVersion: e.schemaVersion,
      time: env.time,
      commandId: env.commandId,
      correlationId: env.correlationId,
      causationId: env.causationId,
      actor: env.actor,
      traceparent: env.traceparent,
      data: e.data,
    }),
  );
  return { subject, sequence, prev: env.prev, commandId: env.commandId, events };
}

const strictUTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The payload as JSON when it is valid UTF-8 JSON ({ payload }), else as
 * base64 ({ payload_base64 }), as esgen events prints it. JSON.parse
 * rounds numbers a double does not hold: keep data for exact values.
 */
export function payloadJSON(data: Uint8Array): { payload: unknown } | { payload_base64: string } {
  if (data.length > 0) {
    try {
      return { payload: JSON.parse(strictUTF8.decode(data)) };
    } catch {
      // not JSON: base64
    }
  }
  return { payload_base64: Buffer.from(data).toString("base64") };
}

/** The JSON object `esgen events` prints for e, keys in its order. */
export function eventLine(e: StoredEvent): Record<string, unknown> {
  return {
    subject: e.subject,
    sequence: e.sequence,
    aggregate_type: e.aggregateType,
    aggregate_id: e.aggregateId,
    version: e.version,
    event_id: e.eventId,
    event_type: e.eventType,
    schema_version: e.schemaVersion,
    time: e.time,
    command_id: e.commandId,
    correlation_id: e.correlationId,
    causation_id: e.causationId,
    actor: e.actor,
    traceparent: e.traceparent,
    ...payloadJSON(e.data),
  };
}

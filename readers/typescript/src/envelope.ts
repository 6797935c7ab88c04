// The envelope of docs/wire-format.md (wire format 1): the payload of each
// message esgen stores on JetStream, holding every event of one command.

/** A payload that is not a valid envelope or snapshot value. */
export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvelopeError";
  }
}

/** One event of an envelope. */
export interface EnvelopeEvent {
  /** The command id, "-" and the event's 1-based position: "c1-1". */
  eventId: string;
  /** The aggregate's version after this event. */
  version: number;
  eventType: string;
  schemaVersion: number;
  /** The payload as stored: the event's JSON, as bytes. */
  data: Uint8Array;
}

/** A decoded envelope: the events of one command and their metadata. */
export interface Envelope {
  /** Stream sequence of the aggregate's previous message, 0 for none. */
  prev: number;
  commandId: string;
  /** RFC 3339 in UTC with nine fractional digits: 2026-12-07T20:15:30.123456789Z. */
  time: string;
  aggregateType: string;
  aggregateId: string;
  correlationId: string;
  causationId: string;
  /** Who issued the command; "" for none. */
  actor: string;
  /** The command's W3C trace context; "" for none. */
  traceparent: string;
  events: EnvelopeEvent[];
}

/** A decoded snapshot value (format 'S'). */
export interface Snapshot {
  version: number;
  sequence: number;
  schemaVersion: string;
  /** The state, as the generated state codec wrote it (JSON). */
  state: Uint8Array;
}

const MAGIC = 0xe5;
const FORMAT = 1;
const SNAPSHOT_FORMAT = 0x53; // 'S'
const FLAG_CORRELATION_IS_COMMAND = 0x01;
const FLAG_CAUSATION_IS_COMMAND = 0x02;
const KNOWN_FLAGS = FLAG_CORRELATION_IS_COMMAND | FLAG_CAUSATION_IS_COMMAND;

const utf8 = new TextDecoder("utf-8"); // invalid sequences become U+FFFD

/** Reads the fields of one value in turn. */
class Reader {
  private i = 0;
  constructor(private readonly b: Uint8Array) {}

  get left(): number {
    return this.b.length - this.i;
  }

  byte(): number {
    if (this.i >= this.b.length) throw new EnvelopeError("truncated");
    return this.b[this.i++]!;
  }

  /**
   * An unsigned LEB128 varint of at most 64 bits, as a number. A value
   * above Number.MAX_SAFE_INTEGER cannot be a number exactly: it is an
   * error, never rounded.
   */
  uvarint(field: string): number {
    const start = this.i;
    let value = 0;
    for (let k = 0; ; k++) {
      const c = this.byte();
      if (k === 9 && c > 1) throw new EnvelopeError(`${field}: varint overflows 64 bits`);
      if (k >= 7) return this.bigUvarint(start, field);
      value += (c & 0x7f) * 2 ** (7 * k);
      if (c < 0x80) return value;
    }
  }

  /** The varint at start, of eight bytes or more, read exactly. */
  private bigUvarint(start: number, field: string): number {
    this.i = start;
    let value = 0n;
    for (let k = 0n; ; k++) {
      const c = this.byte();
      if (k === 9n && c > 1) throw new EnvelopeError(`${field}: varint overflows 64 bits`);
      value |= BigInt(c & 0x7f) << (7n * k);
      if (c < 0x80) break;
    }
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new EnvelopeError(`${field} ${value} exceeds 2^53-1, the largest integer this reader holds exactly`);
    }
    return Number(value);
  }

  /** A zigzag-encoded signed varint. */
  varint(field: string): number {
    const u = this.uvarint(field);
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  bytes(field: string): Uint8Array {
    const n = this.uvarint(field);
    if (n > this.left) throw new EnvelopeError(`${field}: truncated`);
    const out = this.b.subarray(this.i, this.i + n);
    this.i += n;
    return out;
  }

  string(field: string): string {
    return utf8.decode(this.bytes(field));
  }

  rest(): Uint8Array {
    const out = this.b.subarray(this.i);
    this.i = this.b.length;
    return out;
  }
}

/**
 * Decodes an envelope. Payloads share memory with data. Anything that is
 * not a valid envelope of format 1 throws an EnvelopeError.
 */
export function decodeEnvelope(data: Uint8Array): Envelope {
  if (data.length < 2 || data[0] !== MAGIC) throw new EnvelopeError("not an esgen event envelope");
  if (data[1] !== FORMAT) throw new EnvelopeError(`envelope format version ${data[1]}, this reader reads ${FORMAT}`);
  const r = new Reader(data.subarray(2));
  const prev = r.uvarint("prev");
  const first = r.uvarint("first version");
  const seconds = r.varint("seconds");
  const nanos = r.uvarint("nanoseconds");
  const flags = r.byte();
  const commandId = r.string("command id");
  const aggregateType = r.string("aggregate type");
  const aggregateId = r.string("aggregate id");
  const correlationId = flags & FLAG_CORRELATION_IS_COMMAND ? commandId : r.string("correlation id");
  const causationId = flags & FLAG_CAUSATION_IS_COMMAND ? commandId : r.string("causation id");
  const actor = r.string("actor");
  const traceparent = r.string("traceparent");
  const n = r.uvarint("event count");
  if (flags & ~KNOWN_FLAGS) throw new EnvelopeError(`unknown flags 0x${flags.toString(16)}`);
  if (nanos >= 1e9) throw new EnvelopeError(`nanoseconds ${nanos} out of range`);
  if (first === 0) throw new EnvelopeError("first event version 0");
  if (commandId === "") throw new EnvelopeError("empty command id");
  if (n === 0) throw new EnvelopeError("no events");
  if (n > r.left) throw new EnvelopeError(`${n} events cannot fit in ${r.left} bytes`);
  if (first + n - 1 > Number.MAX_SAFE_INTEGER) {
    throw new EnvelopeError(`version ${first + n - 1} exceeds 2^53-1, the largest integer this reader holds exactly`);
  }
  const time = formatTime(seconds, nanos);
  const events: EnvelopeEvent[] = [];
  for (let i = 0; i < n; i++) {
    const at = `event ${i + 1}`;
    const eventType = r.string(`${at}: event type`);
    const schemaVersion = r.uvarint(`${at}: schema version`);
    const payload = r.bytes(`${at}: payload`);
    if (eventType === "") throw new EnvelopeError(`${at}: empty event type`);
    if (schemaVersion > 2 ** 31) throw new EnvelopeError(`${at}: schema version ${schemaVersion} out of range`);
    events.push({ eventId: `${commandId}-${i + 1}`, version: first + i, eventType, schemaVersion, data: payload });
  }
  if (r.left !== 0) throw new EnvelopeError(`${r.left} bytes after the last event`);
  return { prev, commandId, time, aggregateType, aggregateId, correlationId, causationId, actor, traceparent, events };
}

/** Decodes a snapshot value of the snapshot bucket. */
export function decodeSnapshot(data: Uint8Array): Snapshot {
  if (data.length < 2 || data[0] !== MAGIC || data[1] !== SNAPSHOT_FORMAT) {
    throw new EnvelopeError("not an esgen snapshot value");
  }
  const r = new Reader(data.subarray(2));
  const version = r.uvarint("version");
  const sequence = r.uvarint("sequence");
  const schemaVersion = r.string("schema");
  return { version, sequence, schemaVersion, state: r.rest() };
}

/**
 * Formats Unix seconds and nanoseconds as RFC 3339 in UTC with nine
 * fractional digits. Years outside 0000–9999 have no RFC 3339 form and
 * throw.
 */
export function formatTime(seconds: number, nanos: number): string {
  const d = new Date(seconds * 1000);
  const year = d.getUTCFullYear();
  if (!Number.isFinite(d.getTime()) || year < 0 || year > 9999) {
    throw new EnvelopeError(`time ${seconds}s is outside the years 0000-9999`);
  }
  const p = (v: number, w = 2) => String(v).padStart(w, "0");
  return (
    `${p(year, 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(nanos, 9)}Z`
  );
}

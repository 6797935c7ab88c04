// Every test vector of testdata/wire, decoded field for field.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import { decodeEnvelope, decodeMessage, decodeSnapshot, EnvelopeError, eventLine, payloadJSON } from "../src/index.js";
import type { Envelope } from "../src/index.js";

const dir = new URL("../../../../testdata/wire/", import.meta.url);

function hex(path: URL): Uint8Array {
  return Uint8Array.from(Buffer.from(readFileSync(path, "utf8").replace(/\s+/g, ""), "hex"));
}

function names(sub: string, ext: string): string[] {
  const out = readdirSync(new URL(sub, dir))
    .filter((f) => f.endsWith(ext))
    .map((f) => f.slice(0, -ext.length));
  assert.ok(out.length > 0, `no vectors in ${sub}`);
  return out.sort();
}

/** The vector JSON form of a decoded envelope (docs/wire-format.md, Test vectors). */
function vectorForm(env: Envelope): unknown {
  return {
    prev: env.prev,
    command_id: env.commandId,
    time: env.time,
    aggregate_type: env.aggregateType,
    aggregate_id: env.aggregateId,
    correlation_id: env.correlationId,
    causation_id: env.causationId,
    actor: env.actor,
    traceparent: env.traceparent,
    events: env.events.map((e) => ({
      event_id: e.eventId,
      version: e.version,
      event_type: e.eventType,
      schema_version: e.schemaVersion,
      ...payloadJSON(e.data),
    })),
  };
}

// Vectors whose integers exceed 2^53-1: this reader refuses them rather
// than round (docs/wire-format.md, Metadata a reader derives).
const beyondNumbers = new Set(["max-uint64"]);

for (const name of names("envelopes/", ".hex")) {
  test(`envelope ${name}`, () => {
    const data = hex(new URL(`envelopes/${name}.hex`, dir));
    const want = JSON.parse(readFileSync(new URL(`envelopes/${name}.json`, dir), "utf8"));
    delete want.about;
    if (beyondNumbers.has(name)) {
      assert.throws(() => decodeEnvelope(data), { name: "EnvelopeError", message: /prev 18446744073709551615 exceeds 2\^53-1/ });
      return;
    }
    assert.deepStrictEqual(vectorForm(decodeEnvelope(data)), want);
  });
}

for (const name of names("invalid/", ".hex")) {
  test(`invalid ${name}`, () => {
    const data = hex(new URL(`invalid/${name}.hex`, dir));
    assert.throws(() => decodeEnvelope(data), EnvelopeError);
  });
}

for (const name of names("snapshots/", ".hex")) {
  test(`snapshot ${name}`, () => {
    const snap = decodeSnapshot(hex(new URL(`snapshots/${name}.hex`, dir)));
    const want = JSON.parse(readFileSync(new URL(`snapshots/${name}.json`, dir), "utf8"));
    delete want.about;
    const got = { version: snap.version, sequence: snap.sequence, schema_version: snap.schemaVersion };
    const state = payloadJSON(snap.state);
    assert.deepStrictEqual({ ...got, ...("payload" in state ? { state: state.payload } : { state_base64: state.payload_base64 }) }, want);
  });
}

test("an envelope on another aggregate's subject", () => {
  const data = hex(new URL("envelopes/minimal.hex", dir));
  assert.throws(() => decodeMessage("events.Order.o-2", 7, data), {
    message: 'message 7 on events.Order.o-2: envelope of Order "o-1" does not belong on this subject',
  });
  assert.throws(() => decodeMessage("Order.o-1", 7, data), EnvelopeError);
  assert.equal(decodeMessage("shop.events.Order.o-1", 7, data).events[0]!.sequence, 7);
});

test("an event line has esgen events' keys in its order", () => {
  const m = decodeMessage("events.Order.o-1", 3, hex(new URL("envelopes/minimal.hex", dir)));
  assert.equal(
    JSON.stringify(eventLine(m.events[0]!)),
    '{"subject":"events.Order.o-1","sequence":3,"aggregate_type":"Order","aggregate_id":"o-1","version":1,"event_id":"c1-1",' +
      '"event_type":"OrderSubmitted","schema_version":1,"time":"2026-12-07T20:15:30.123456789Z","command_id":"c1","correlation_id":"c1",' +
      '"causation_id":"c1","actor":"","traceparent":"","payload":{"items":2,"by":"alice"}}',
  );
});

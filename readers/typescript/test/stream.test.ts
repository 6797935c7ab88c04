// Reads a stream the Go runtime wrote from a real NATS server and compares
// every event, field for field, with what `esgen events` printed for the
// same stream. .ci/wire starts the server (examples/orders/wirestream) and
// runs esgen events; it passes ESGEN_NATS_URL, the stream in ESGEN_STREAM
// (default EVENTS), esgen's output in ESGEN_EVENTS_JSONL and the number of
// events in ESGEN_EVENTS_COUNT.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

import { eventLine, readMessages } from "../src/index.js";

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run .ci/wire`);
  return v;
}

test("the Go runtime's stream, as esgen events prints it", async () => {
  const lines = readFileSync(env("ESGEN_EVENTS_JSONL"), "utf8").split("\n").filter((l) => l !== "");
  const count = Number(env("ESGEN_EVENTS_COUNT"));
  assert.equal(lines.length, count, "esgen events printed another number of events");
  const nc = await connect({ servers: env("ESGEN_NATS_URL") });
  try {
    const js = jetstream(nc);
    const started = performance.now();
    let i = 0;
    let prevSeq = 0;
    let several = 0; // messages of more than one event
    for await (const m of readMessages(js, { stream: process.env.ESGEN_STREAM ?? "EVENTS" })) {
      assert.ok(m.sequence > prevSeq, `sequence ${m.sequence} after ${prevSeq}`);
      prevSeq = m.sequence;
      if (m.events.length > 1) several++;
      for (const e of m.events) {
        const want = JSON.parse(lines[i]!);
        const got = eventLine(e);
        // Field for field, then the order of the keys.
        assert.deepStrictEqual(got, want, `event ${i + 1}`);
        assert.equal(JSON.stringify(got), JSON.stringify(want), `event ${i + 1}: key order`);
        i++;
      }
    }
    assert.equal(i, count, "the reader read another number of events");
    assert.ok(several > 0, "no message of several events");
    const ms = performance.now() - started;
    console.log(`read and compared ${i} events in ${ms.toFixed(0)} ms`);

    // A filter and a start sequence.
    const first = JSON.parse(lines[0]!);
    let n = 0;
    for await (const m of readMessages(js, { stream: process.env.ESGEN_STREAM ?? "EVENTS", filter: first.subject })) {
      assert.equal(m.subject, first.subject);
      n += m.events.length;
    }
    assert.equal(n, lines.filter((l) => JSON.parse(l).subject === first.subject).length);
    const tail: number[] = [];
    for await (const m of readMessages(js, { stream: process.env.ESGEN_STREAM ?? "EVENTS", after: prevSeq - 2 })) {
      tail.push(m.sequence);
    }
    assert.deepStrictEqual(tail, [prevSeq - 1, prevSeq]);
  } finally {
    await nc.close();
  }
});

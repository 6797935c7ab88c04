// Reading an esgen stream from a NATS server.

import { DeliverPolicy } from "@nats-io/jetstream";
import type { JetStreamClient, OrderedConsumerOptions } from "@nats-io/jetstream";

import { decodeMessage } from "./events.js";
import type { Message } from "./events.js";

/** What readMessages reads. */
export interface ReadOptions {
  /** The stream's name; default "EVENTS", the esgen store's default. */
  stream?: string;
  /** A subject filter ("events.Order.*"); default every subject of the stream. */
  filter?: string;
  /** Skip the messages up to this stream sequence. */
  after?: number;
  /**
   * Go on yielding messages stored after the read began, until the
   * caller stops iterating. Without it the read ends with the last
   * message stored when it began.
   */
  follow?: boolean;
}

/**
 * Yields the messages of an esgen stream in the order stored, each
 * decoded with decodeMessage. It reads through an ordered consumer (an
 * ephemeral consumer the server keeps in memory): it never writes to the
 * stream. A message that is not an esgen envelope throws an EnvelopeError.
 */
export async function* readMessages(js: JetStreamClient, opts: ReadOptions = {}): AsyncGenerator<Message> {
  const stream = opts.stream ?? "EVENTS";
  const after = opts.after ?? 0;
  let last = Infinity;
  if (!opts.follow) {
    const jsm = await js.jetstreamManager();
    if (opts.filter) {
      const m = await jsm.streams.getMessage(stream, { last_by_subj: opts.filter }).catch((e: unknown) => {
        if (isNotFound(e)) return null;
        throw e;
      });
      last = m ? m.seq : 0;
    } else {
      last = (await jsm.streams.info(stream)).state.last_seq;
    }
    if (last <= after) return;
  }
  const config: Partial<OrderedConsumerOptions> =
    after > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 } : { deliver_policy: DeliverPolicy.All };
  if (opts.filter) config.filter_subjects = opts.filter;
  const consumer = await js.consumers.get(stream, config);
  const msgs = await consumer.consume({ max_messages: 512 });
  try {
    for await (const m of msgs) {
      const message = decodeMessage(m.subject, m.seq, m.data);
      yield message;
      if (message.sequence >= last) return;
    }
  } finally {
    await msgs.close();
  }
}

/** Whether e says a message was not found. */
function isNotFound(e: unknown): boolean {
  return e instanceof Error && /not found/i.test(e.message);
}

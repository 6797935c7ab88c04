// Package projection keeps read models up to date from the events of a
// JetStream event store (runtime/jsstore), on durable pull consumers.
//
// A Projection reads the stream's messages that match its subject filter
// (typically every instance of one or more aggregate types), decodes each
// message into the records of the events it holds, and hands them in
// batches to a Handler. It acknowledges a batch only after the handler
// returned nil; the durable consumer's acknowledgement floor is the
// checkpoint, a stream sequence kept by the server, so a restarted
// projection resumes right after the last acknowledged batch.
//
// Delivery is at least once and in stream order. A batch whose handler
// fails is retried in the process, one message at a time and in order,
// after a backoff; a batch handled but not acknowledged because the process
// stopped is delivered again when the projection next runs. Read models
// must therefore be idempotent, for which every record carries its event id
// (es.Metadata.EventID) and its stream sequence (es.Metadata.Sequence). The
// events of one command are stored as one message and never split across
// batches. Each record also carries the W3C traceparent of the command that
// produced it (es.Metadata.Traceparent).
//
// Rebuild replays a read model from the start of the stream: the consumer
// is reset to sequence 1 and the read model, if it implements Resetter, is
// told to discard its contents. CaughtUp waits until the projection has
// handled every message stored when it was called, for demos and tests.
//
// Run one Projection per durable name at a time: the consumer lets one
// batch be in flight (its MaxAckPending is the batch size), which is what
// keeps records in order.
//
// The projection logs through log/slog: its lag (from the consumer's info)
// every lag interval, failed batches with their attempt and backoff,
// messages of a previous run delivered again, abandoned messages, and
// consumer resets. See docs/projections.md.
package projection

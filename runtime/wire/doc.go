// Package wire reads esgen's event streams the way other programs see
// them: the stored messages of a JetStream stream, each decoded into the
// events of one command (Message), and each event as one JSON object
// (Event, the form `esgen events` prints) or a CloudEvents 1.0 event
// (CloudEvent).
//
// docs/wire-format.md specifies the bytes this package decodes, for
// readers in other languages; the test vectors in testdata/wire are
// generated and checked by this package's tests. Writing stays the
// event store's (runtime/jsstore): this package never writes to a stream.
package wire

package es

// EventCodec encodes an aggregate's events in their newest schema version
// and decodes every declared version, upcasting old ones to the newest.
// esgen generates one per aggregate, without reflection.
type EventCodec[E any] interface {
	// Encode returns the type name, newest schema version and JSON payload
	// of e. The payload is appended to buf[:0]: a caller that has room for
	// it (Repository.Handle has room for a small one in each command) saves
	// its allocation; buf may be nil.
	Encode(buf []byte, e E) (RawEvent, error)
	// Decode decodes a payload of any declared schema version and upcasts it
	// to the newest. Unknown types and versions fail with errors matching
	// ErrUnknownEventType and ErrUnknownSchemaVersion; bad payloads with
	// ErrCorruptEvent.
	Decode(eventType string, schemaVersion int, data []byte) (E, error)
}

// StateCodec encodes states for snapshots.
type StateCodec[S any] interface {
	// StateSchema names the encoding of states; it changes whenever the
	// shape of any state changes, so that stale snapshots are ignored.
	StateSchema() string
	EncodeState(s S) ([]byte, error)
	DecodeState(data []byte) (S, error)
}

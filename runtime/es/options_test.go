package es

import "testing"

// TestHandleOptionsApplyInOrder: each option sets its own fields, later
// options win, CausedBy keeps a traceparent an earlier option set, and the
// zero option sets nothing.
func TestHandleOptionsApplyInOrder(t *testing.T) {
	m := Metadata{EventID: "ev-1", CorrelationID: "flow-1", Traceparent: "tp-event"}
	for _, tc := range []struct {
		name string
		opts []HandleOption
		want handleOptions
	}{
		{"none", nil, handleOptions{}},
		{"zero", []HandleOption{{}}, handleOptions{}},
		{"all", []HandleOption{WithCommandID("c"), WithCorrelationID("r"), WithCausationID("s"), WithActor("a"), WithTraceparent("t")},
			handleOptions{commandID: "c", correlationID: "r", causationID: "s", actor: "a", traceparent: "t"}},
		{"caused by", []HandleOption{CausedBy(m)}, handleOptions{correlationID: "flow-1", causationID: "ev-1", traceparent: "tp-event"}},
		{"traceparent before caused by", []HandleOption{WithTraceparent("t"), CausedBy(m)},
			handleOptions{correlationID: "flow-1", causationID: "ev-1", traceparent: "t"}},
		{"caused by, then overridden", []HandleOption{CausedBy(m), WithTraceparent("t"), WithCausationID("s")},
			handleOptions{correlationID: "flow-1", causationID: "s", traceparent: "t"}},
		{"the last id wins", []HandleOption{WithCommandID("c1"), WithCommandID("c2")}, handleOptions{commandID: "c2"}},
	} {
		if got := applyHandleOptions(tc.opts); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

package es

import "testing"

// TestNewCommandRoom: a command's payload room is the smallest size that
// holds the size asked for, the largest beyond it, empty and inside the
// command's allocation.
func TestNewCommandRoom(t *testing.T) {
	for _, tc := range []struct{ size, want int }{
		{0, 64}, {64, 64}, {65, 128}, {200, 256}, {256, 256}, {300, 512}, {513, 1024}, {5000, 1024},
	} {
		c := newCommand[int](tc.size)
		if len(c.payload) != 0 || cap(c.payload) != tc.want {
			t.Errorf("newCommand(%d): room of length %d, capacity %d; want 0, %d", tc.size, len(c.payload), cap(c.payload), tc.want)
		}
	}
}

// TestPayloadRoomLearns: the room grows to what a payload that did not fit
// asked for, stays while payloads fit, and shrinks when a payload takes at
// most a quarter of it.
func TestPayloadRoomLearns(t *testing.T) {
	var p payloadRoom
	if got := p.get(); got != 64 {
		t.Fatalf("first room %d, want 64", got)
	}
	room := make([]byte, 0, 64)
	// A 193-byte payload the codec allocated with its estimate of 208.
	p.learn(room, make([]byte, 193, 208))
	if got := p.get(); got != 208 {
		t.Fatalf("after a payload that did not fit: room %d, want 208", got)
	}
	room = make([]byte, 0, 256)
	p.learn(room, room[:193]) // fits
	if got := p.get(); got != 208 {
		t.Fatalf("after a payload that fit: room %d, want 208", got)
	}
	p.learn(room, room[:64]) // a quarter
	if got := p.get(); got != 128 {
		t.Fatalf("after a payload of a quarter of the room: room %d, want 128", got)
	}
	p.learn(room, make([]byte, 10, 5000)) // beyond the largest room
	if got := p.get(); got != 1024 {
		t.Fatalf("after a large payload: room %d, want 1024", got)
	}
	small := make([]byte, 0, 64)
	p.learn(small, small[:10]) // the smallest room does not shrink
	if got := p.get(); got != 1024 {
		t.Fatalf("after a small payload in the smallest room: %d, want 1024 unchanged", got)
	}
}

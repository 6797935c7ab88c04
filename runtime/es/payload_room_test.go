package es

import (
	"testing"
	"unsafe"
)

// TestNewCommandRoom: a command's payload room is the smallest that holds
// the size asked for, the largest beyond it, empty, inside the command's
// allocation, and fills it: the smaller two rooms make allocations of 352
// and 512 bytes (without the runtime's header for larger objects).
func TestNewCommandRoom(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes of a 64-bit platform")
	}
	if commandSize != 296 {
		t.Errorf("a command is %d bytes; the rooms below are sized for 296", commandSize)
	}
	for _, tc := range []struct{ size, want, alloc int }{
		{0, 56, 352}, {56, 56, 352}, {57, 216, 512}, {208, 216, 512},
		{216, 216, 512}, {300, 464, 760}, {465, 720, 1016}, {5000, 720, 1016},
	} {
		c := newCommand[OrderEventForTest](tc.size)
		if len(c.payload) != 0 || cap(c.payload) != tc.want {
			t.Errorf("newCommand(%d): room of length %d, capacity %d; want 0, %d", tc.size, len(c.payload), cap(c.payload), tc.want)
		}
		if got := commandSize + cap(c.payload); got != tc.alloc {
			t.Errorf("newCommand(%d): %d bytes, want %d", tc.size, got, tc.alloc)
		}
		start := uintptr(unsafe.Pointer(c))
		if room := uintptr(unsafe.Pointer(unsafe.SliceData(c.payload))); room != start+uintptr(commandSize) {
			t.Errorf("newCommand(%d): the room is not right after the command", tc.size)
		}
	}
}

// OrderEventForTest stands for a generated event interface.
type OrderEventForTest interface{ orderEvent() string }

// TestPayloadRoomLearns: the room grows to what a payload that did not fit
// asked for, stays while payloads fit, and shrinks when a payload takes at
// most half of it.
func TestPayloadRoomLearns(t *testing.T) {
	var p payloadRoom
	if got := p.get(); got != roomSmall {
		t.Fatalf("first room %d, want %d", got, roomSmall)
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
	p.learn(room, room[:129]) // just over half
	if got := p.get(); got != 208 {
		t.Fatalf("after a payload of over half the room: room %d, want 208", got)
	}
	p.learn(room, room[:128]) // half
	if got := p.get(); got != 128 {
		t.Fatalf("after a payload of half the room: room %d, want 128", got)
	}
	p.learn(room, make([]byte, 10, 5000)) // beyond the largest room
	if got := p.get(); got != roomLargest {
		t.Fatalf("after a large payload: room %d, want %d", got, roomLargest)
	}
	small := make([]byte, 0, roomSmall)
	p.learn(small, small[:10]) // the smallest room does not shrink
	if got := p.get(); got != roomLargest {
		t.Fatalf("after a small payload in the smallest room: %d, want %d unchanged", got, roomLargest)
	}
}

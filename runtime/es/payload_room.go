package es

import (
	"sync/atomic"
	"unsafe"
)

// Payload rooms: Handle allocates what one command needs at once (the
// command struct) with room for the payload of its first event, so that a
// codec that encodes into the room (EventCodec.Encode appends to the
// buffer it is given) allocates nothing for it. A payload does not fit a
// room sized once for all aggregates: events of a few bytes and events of
// several hundred are both common. So the room comes in a few sizes, and a
// Repository gives each command the size its last command's first payload
// asked for (payloadRoom): the commands of one aggregate type mostly repeat.
// A payload that does not fit costs the allocation it cost without a room.

// The sizes of payload room. Each fills, with the command of an event
// interface (as esgen generates), an allocation size class of the Go
// runtime: nothing is allocated beyond the room, and the smaller two fill
// classes of at most 512 bytes, which the runtime allocates without a
// header. A payload beyond the largest is allocated by the codec.
const (
	commandSize = int(unsafe.Sizeof(command[any]{}))
	roomSmall   = 352 - commandSize      // 56 bytes on 64-bit platforms
	roomMedium  = 512 - commandSize      // 216
	roomLarge   = 768 - 8 - commandSize  // 464; 8 bytes of header
	roomLargest = 1024 - 8 - commandSize // 720
)

// commandIn is a command with payload room after it, allocated at once;
// its payload slice points into room.
type (
	commandInSmall[E any] struct {
		command[E]
		room [roomSmall]byte
	}
	commandInMedium[E any] struct {
		command[E]
		room [roomMedium]byte
	}
	commandInLarge[E any] struct {
		command[E]
		room [roomLarge]byte
	}
	commandInLargest[E any] struct {
		command[E]
		room [roomLargest]byte
	}
)

// newCommand returns a command with room for a payload of size bytes, or
// the largest room when size is larger.
func newCommand[E any](size int) *command[E] {
	switch {
	case size <= roomSmall:
		c := new(commandInSmall[E])
		c.payload = c.room[:0]
		return &c.command
	case size <= roomMedium:
		c := new(commandInMedium[E])
		c.payload = c.room[:0]
		return &c.command
	case size <= roomLarge:
		c := new(commandInLarge[E])
		c.payload = c.room[:0]
		return &c.command
	default:
		c := new(commandInLargest[E])
		c.payload = c.room[:0]
		return &c.command
	}
}

// payloadRoom is the payload room a Repository gives its next command.
type payloadRoom struct {
	size atomic.Int32
}

// get returns the room to give the next command.
func (p *payloadRoom) get() int {
	if n := p.size.Load(); n > 0 {
		return int(n)
	}
	return roomSmall
}

// learn adjusts the room after a command whose room was room (a slice of
// length 0) encoded its first event's payload as data: up to the capacity
// the codec asked for when the payload did not go in the room (the codec's
// size estimate, or what the payload grew to); down to the payload's size
// when it took at most half of the room (a codec writes in a room of half
// its estimate, see esjson.WriterOn).
func (p *payloadRoom) learn(room, data []byte) {
	switch {
	case cap(data) > cap(room) || !sameArray(room, data):
		p.size.Store(int32(min(cap(data), roomLargest)))
	case 2*len(data) <= cap(room) && cap(room) > roomSmall:
		p.size.Store(int32(len(data)))
	}
}

// sameArray reports whether data starts where room's array does.
func sameArray(room, data []byte) bool {
	return cap(room) > 0 && cap(data) > 0 && &room[:1][0] == &data[:1][0]
}

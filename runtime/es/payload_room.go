package es

import "sync/atomic"

// Payload rooms: Handle allocates what one command needs at once (the
// command struct) with room for the payload of its first event, so that a
// codec that encodes into the room (EventCodec.Encode appends to the
// buffer it is given) allocates nothing for it. A payload does not fit a
// room sized once for all aggregates: events of a few bytes and events of
// several hundred are both common. So the room comes in a few sizes, and a
// Repository gives each command the size its last command's first payload
// asked for (payloadRoom): the commands of one aggregate type mostly repeat.

// The sizes of payload room, in bytes; a payload beyond the largest is
// allocated by the codec.
const (
	room64   = 64
	room128  = 128
	room256  = 256
	room512  = 512
	room1024 = 1024
)

// commandIn is a command with n bytes of payload room after it, allocated
// at once; its payload slice points into room.
type (
	commandIn64[E any] struct {
		command[E]
		room [room64]byte
	}
	commandIn128[E any] struct {
		command[E]
		room [room128]byte
	}
	commandIn256[E any] struct {
		command[E]
		room [room256]byte
	}
	commandIn512[E any] struct {
		command[E]
		room [room512]byte
	}
	commandIn1024[E any] struct {
		command[E]
		room [room1024]byte
	}
)

// newCommand returns a command with room for a payload of size bytes, or
// the largest room when size is larger.
func newCommand[E any](size int) *command[E] {
	switch {
	case size <= room64:
		c := new(commandIn64[E])
		c.payload = c.room[:0]
		return &c.command
	case size <= room128:
		c := new(commandIn128[E])
		c.payload = c.room[:0]
		return &c.command
	case size <= room256:
		c := new(commandIn256[E])
		c.payload = c.room[:0]
		return &c.command
	case size <= room512:
		c := new(commandIn512[E])
		c.payload = c.room[:0]
		return &c.command
	default:
		c := new(commandIn1024[E])
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
	return room64
}

// learn adjusts the room after a command whose room was room (a slice of
// length 0) encoded its first event's payload as data: to the capacity the
// codec asked for when the payload did not go in the room (the codec's
// size estimate, or what the payload grew to), down to the payload's size
// when it took at most a quarter of the room.
func (p *payloadRoom) learn(room, data []byte) {
	switch {
	case cap(data) > cap(room) || !sameArray(room, data):
		p.size.Store(int32(min(cap(data), room1024)))
	case 4*len(data) <= cap(room) && cap(room) > room64:
		p.size.Store(int32(max(2*len(data), room64)))
	}
}

// sameArray reports whether data starts where room's array does.
func sameArray(room, data []byte) bool {
	return cap(room) > 0 && cap(data) > 0 && &room[:1][0] == &data[:1][0]
}

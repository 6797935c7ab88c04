package es

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"sync/atomic"
)

// commandIDs hands out unique command ids cheaply: a random prefix drawn
// once (96 bits, so two processes never share one) followed by a counter.
// Handle calls without WithCommandID get one each; reading crypto/rand per
// command would cost more than the rest of an in-memory command.
type commandIDs struct {
	prefix string
	n      atomic.Uint64
	// block holds the ids of the numbers handed out last: see spell.
	block atomic.Pointer[idBlock]
}

// idBlock is the spelling of the ids of blockSize consecutive numbers, from
// first (a multiple of blockSize), one after the other. All ids of a block
// have the same length: a number's length in base 32 changes only at a
// power of 32, which starts a block.
type idBlock struct {
	first   uint64
	idLen   int
	spelled string
}

// blockSize is how many numbers an idBlock spells: a command costs
// 1/blockSize of an allocation for its id.
const blockSize = 32

func newCommandIDs() *commandIDs {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return &commandIDs{prefix: base64.RawURLEncoding.EncodeToString(b[:]) + "_"}
}

// reserve returns the number of a new command id, which spell spells: the
// prefix (16 characters of base64url and "_") and the number in base 32,
// e.g. "q3v9Xk0B-7mZcT2a_1f". Ids are short because they are stored with
// every command and kept in the server's dedupe table.
func (c *commandIDs) reserve() uint64 { return c.n.Add(1) }

// spell returns the id numbered number, cut from the block of numbers
// holding it; it spells the block when it is not the one spelled last.
// Concurrent callers may spell the same block twice, or replace a newer
// block with an older one: either costs only a spelling.
func (c *commandIDs) spell(number uint64) string {
	first := number &^ (blockSize - 1)
	b := c.block.Load()
	if b == nil || b.first != first {
		b = c.spellBlock(first)
		c.block.Store(b)
	}
	off := int(number-first) * b.idLen
	return b.spelled[off : off+b.idLen]
}

// spellBlock spells the block of numbers from first.
func (c *commandIDs) spellBlock(first uint64) *idBlock {
	var digits [13]byte
	idLen := len(c.prefix) + len(appendBase32(digits[:0], first))
	var b strings.Builder
	b.Grow(blockSize * idLen)
	for i := range uint64(blockSize) {
		b.WriteString(c.prefix)
		b.Write(appendBase32(digits[:0], first+i))
	}
	return &idBlock{first: first, idLen: idLen, spelled: b.String()}
}

// appendBase32 appends n in base 32, digits 0-9 then a-v: five bits a
// digit, no division.
func appendBase32(b []byte, n uint64) []byte {
	const digits = "0123456789abcdefghijklmnopqrstuv"
	var buf [13]byte
	i := len(buf)
	for {
		i--
		buf[i] = digits[n&31]
		if n >>= 5; n == 0 {
			break
		}
	}
	return append(b, buf[i:]...)
}

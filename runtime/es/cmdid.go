package es

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"sync/atomic"
)

// commandIDs hands out unique command ids cheaply: a random prefix drawn
// once (96 bits, so two processes never share one) followed by a counter.
// Handle calls without WithCommandID get one each; reading crypto/rand per
// command would cost more than the rest of an in-memory command.
type commandIDs struct {
	prefix string
	n      atomic.Uint64
}

func newCommandIDs() *commandIDs {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return &commandIDs{prefix: base64.RawURLEncoding.EncodeToString(b[:]) + "_"}
}

// reserve returns the number of a new command id, which build spells: the
// prefix (16 characters of base64url and "_") and the number in base 32,
// e.g. "q3v9Xk0B-7mZcT2a_1f". Ids are short because they are stored with
// every command and kept in the server's dedupe table.
func (c *commandIDs) reserve() uint64 { return c.n.Add(1) }

// build spells a command id and the ids of its n events in one string, one
// allocation: the id is cmd or, when cmd is empty, the one numbered number
// (see reserve). It returns the string and the length of the id; split hands
// out the events' ids.
func (c *commandIDs) build(cmd string, number uint64, n int) (spelled string, idLen int) {
	var stack [256]byte
	b := stack[:0]
	if cmd == "" {
		b = append(b, c.prefix...)
		b = appendBase32(b, number)
	} else {
		b = append(b, cmd...)
	}
	idLen = len(b)
	for i := range n {
		if i > 0 {
			b = append(b, b[:idLen]...)
		}
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(i+1), 10)
	}
	return string(b), idLen
}

// split sets eventIDs[i] to EventID(id, i), taken from what build spelled.
func split(spelled string, idLen int, eventIDs []string) {
	off := 0
	for i := range eventIDs {
		end := off + idLen + 1 + decimalLen(i+1)
		eventIDs[i] = spelled[off:end]
		off = end
	}
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

// decimalLen is the number of decimal digits of n > 0.
func decimalLen(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

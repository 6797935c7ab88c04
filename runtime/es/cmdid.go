package es

import (
	"crypto/rand"
	"encoding/hex"
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
	return &commandIDs{prefix: hex.EncodeToString(b[:]) + "_"}
}

// next returns a new id: the prefix and the counter in base 36.
func (c *commandIDs) next() string {
	var buf [48]byte
	b := append(buf[:0], c.prefix...)
	return string(strconv.AppendUint(b, c.n.Add(1), 36))
}

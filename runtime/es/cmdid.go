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

// next returns a new id: the prefix (16 characters of base64url) and the
// counter in base 36, e.g. "q3v9Xk0B-7mZcT2a_1f". Ids are short because
// they are stored with every command and kept in the server's dedupe table.
func (c *commandIDs) next() string {
	var buf [48]byte
	b := append(buf[:0], c.prefix...)
	return string(strconv.AppendUint(b, c.n.Add(1), 36))
}

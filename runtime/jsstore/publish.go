package jsstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Publishing retries a request that found no responders (a stream leader
// changing hands) this often, this far apart, like nats.go's jetstream
// package does.
const (
	noResponderRetries = 2
	noResponderWait    = 250 * time.Millisecond
)

// pubAck is the server's reply to a stream publish.
type pubAck struct {
	Sequence  uint64
	Duplicate bool
}

// publish sends msg to the stream and waits for its acknowledgement. It
// does what jetstream.PublishMsg does, with a reply parser that does not go
// through encoding/json on success: the acknowledgement is on the path of
// every command. Server errors come back as *jetstream.APIError. unknown
// is set with an error after which the message may be stored: it was
// handed to the connection (sent, or buffered during an outage, to be
// sent on reconnection) and no answer came, or one came that is not an
// acknowledgement.
func (s *Store) publish(ctx context.Context, msg *nats.Msg) (ack pubAck, unknown bool, err error) {
	var resp *nats.Msg
	for attempt := 0; ; attempt++ {
		// nats.go returns without sending, with the same errors it returns
		// after a send, when the context has ended or the connection is
		// closed: asked first, neither is an unknown outcome. (Either may
		// still happen between this check and nats.go's: the outcome is
		// then reported unknown, which is safe.)
		if err := ctx.Err(); err != nil {
			return pubAck{}, false, err
		}
		if s.nc.IsClosed() {
			return pubAck{}, false, nats.ErrConnectionClosed
		}
		if ctx.Done() == nil {
			// A context that never ends: a plain timeout, no timer context.
			resp, err = s.nc.RequestMsg(msg, s.timeout)
		} else {
			wait, cancel := s.bound(ctx)
			resp, err = s.nc.RequestMsgWithContext(wait, msg)
			cancel()
		}
		if !errors.Is(err, nats.ErrNoResponders) || attempt == noResponderRetries {
			break
		}
		select {
		case <-ctx.Done():
			return pubAck{}, false, ctx.Err()
		case <-time.After(noResponderWait):
		}
	}
	if errors.Is(err, nats.ErrNoResponders) {
		return pubAck{}, false, fmt.Errorf("%w: %w", jetstream.ErrNoStreamResponse, err)
	}
	if err != nil {
		return pubAck{}, !unsent(err), err
	}
	if ack, err = parsePubAck(resp.Data); err != nil {
		// An error reply says the message was not stored; a reply that
		// cannot be read says nothing.
		var apiErr *jetstream.APIError
		return ack, !errors.As(err, &apiErr), err
	}
	return ack, false, nil
}

// unsent reports whether err is one nats.go returns for a request it did
// not send, nor buffer to send later.
func unsent(err error) bool {
	for _, e := range []error{nats.ErrMaxPayload, nats.ErrBadSubject, nats.ErrReconnectBufExceeded,
		nats.ErrInvalidConnection, nats.ErrConnectionDraining, nats.ErrHeadersNotSupported,
		nats.ErrBadHeaderMsg, nats.ErrInvalidMsg, nats.ErrInvalidContext} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// parsePubAck reads {"stream":"S","seq":N[,"duplicate": true]...}, or an
// error reply.
func parsePubAck(data []byte) (pubAck, error) {
	if !bytes.Contains(data, []byte(`"error"`)) {
		if v, ok := jsonValue(data, `"seq"`); ok {
			end := 0
			for end < len(v) && v[end] >= '0' && v[end] <= '9' {
				end++
			}
			if seq, err := strconv.ParseUint(string(v[:end]), 10, 64); err == nil && seq > 0 {
				dup, _ := jsonValue(data, `"duplicate"`)
				return pubAck{Sequence: seq, Duplicate: bytes.HasPrefix(dup, []byte("true"))}, nil
			}
		}
	}
	var reply struct {
		Error     *jetstream.APIError `json:"error"`
		Stream    string              `json:"stream"`
		Sequence  uint64              `json:"seq"`
		Duplicate bool                `json:"duplicate"`
	}
	if err := json.Unmarshal(data, &reply); err != nil {
		return pubAck{}, fmt.Errorf("%w: %q", jetstream.ErrInvalidJSAck, data)
	}
	if reply.Error != nil {
		return pubAck{}, reply.Error
	}
	if reply.Stream == "" || reply.Sequence == 0 {
		return pubAck{}, fmt.Errorf("%w: %q", jetstream.ErrInvalidJSAck, data)
	}
	return pubAck{Sequence: reply.Sequence, Duplicate: reply.Duplicate}, nil
}

// jsonValue returns the bytes after the first occurrence of key (a quoted
// field name) and its colon, spaces skipped. The acknowledgement's fields
// are numbers and booleans of a flat object, so the first occurrence is
// the field.
func jsonValue(data []byte, key string) ([]byte, bool) {
	i := bytes.Index(data, []byte(key))
	if i < 0 {
		return nil, false
	}
	v := bytes.TrimLeft(data[i+len(key):], " \t")
	v, ok := bytes.CutPrefix(v, []byte(":"))
	return bytes.TrimLeft(v, " \t"), ok
}

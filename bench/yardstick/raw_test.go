package yardstick

import (
	"context"
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The raw JetStream reference: what an application writes on nats.go's
// jetstream package without esgen, storing each event's JSON payload as
// one message on a subject per order, with nothing else (no metadata, no
// message id, no decision, no encoding: the payloads are encoded once,
// before the timer).

// rawPublish publishes data on subject if the subject's last message is
// still at sequence last (0: the subject is empty), and returns the new
// message's sequence: the checked publish an esgen append is.
func rawPublish(ctx context.Context, js jetstream.JetStream, subject string, data []byte, last uint64) (uint64, error) {
	ack, err := js.PublishMsg(ctx, &nats.Msg{Subject: subject, Data: data},
		jetstream.WithExpectLastSequencePerSubject(last))
	if err != nil {
		return 0, err
	}
	return ack.Sequence, nil
}

// rawReader reads every message of a subject with batched direct gets of
// payloads only (no_hdr), on ONE reply subscription that every read reuses,
// as the outside harness does. It decodes nothing: it counts the messages
// and their bytes.
type rawReader struct {
	nc    *nats.Conn
	api   string // the stream's direct get subject
	inbox string
	sub   *nats.Subscription
	req   []byte
}

// rawBatch is how many messages one direct get asks for.
const rawBatch = 1000

func newRawReader(nc *nats.Conn, stream string) (*rawReader, error) {
	inbox := nc.NewRespInbox()
	sub, err := nc.SubscribeSync(inbox)
	if err != nil {
		return nil, err
	}
	return &rawReader{nc: nc, api: jetstream.DefaultAPIPrefix + "DIRECT.GET." + stream, inbox: inbox, sub: sub}, nil
}

// close drops the subscription.
func (r *rawReader) close() error { return r.sub.Unsubscribe() }

// read reads every message of subject and returns how many there are and
// their payloads' total size.
func (r *rawReader) read(subject string) (n, size int, err error) {
	start := uint64(1)
	for {
		r.req = append(r.req[:0], `{"seq":`...)
		r.req = strconv.AppendUint(r.req, start, 10)
		r.req = append(r.req, `,"next_by_subj":`...)
		r.req = strconv.AppendQuote(r.req, subject)
		r.req = append(r.req, `,"batch":`...)
		r.req = strconv.AppendInt(r.req, rawBatch, 10)
		r.req = append(r.req, `,"no_hdr":true}`...)
		if err := r.nc.PublishRequest(r.api, r.inbox, r.req); err != nil {
			return n, size, err
		}
		for {
			msg, err := r.sub.NextMsg(nats.DefaultTimeout)
			if err != nil {
				return n, size, err
			}
			if len(msg.Header) == 0 {
				n++
				size += len(msg.Data)
				continue
			}
			switch status := msg.Header.Get("Status"); status {
			case "404": // nothing at or after start
				return n, size, nil
			case "204": // end of the batch
				if msg.Header.Get("Nats-Num-Pending") == "0" {
					return n, size, nil
				}
				last, err := strconv.ParseUint(msg.Header.Get("Nats-Last-Sequence"), 10, 64)
				if err != nil {
					return n, size, fmt.Errorf("end of batch: %v", msg.Header)
				}
				start = last + 1
			default:
				return n, size, fmt.Errorf("direct get of %s: status %s %s", subject, status, msg.Header.Get("Description"))
			}
			break
		}
	}
}

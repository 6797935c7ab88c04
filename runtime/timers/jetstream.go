package timers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Headers of a schedule message, which the server copies into its firing.
const (
	// HeaderVersion carries Timer.Version, in decimal.
	HeaderVersion = "Esgen-Timer-Version"
	// HeaderDue carries Timer.Due, in RFC 3339 with nanoseconds, UTC.
	HeaderDue = "Esgen-Timer-Due"
)

// JetStream error codes of a failed expected-last-subject-sequence check.
const (
	codeWrongLastSequence         jetstream.ErrorCode = 10071
	codeWrongLastSequenceConstant jetstream.ErrorCode = 10164
)

// JetStream is the implementation of Timers on JetStream message
// schedules (nats-server 2.12 or later), in a stream of their own. See
// the package documentation for the design and the server's behaviour it
// relies on. It is safe for concurrent use.
type JetStream struct {
	js     jetstream.JetStream
	o      options
	sched  string // "<prefix>.sched."
	fire   string // "<prefix>.fire."
	purge  string // API subject of the stream's purge
	msgGet string // API subject of the stream's message get
}

var _ Timers = (*JetStream)(nil)

// NewJetStream returns timers on the stream opts name (default "TIMERS").
// It creates a missing stream with StreamConfig. It never changes an
// existing stream: it checks that it has what the timers need (message
// schedules allowed, subjects that take "<prefix>.sched.>" and
// "<prefix>.fire.>", a retention that keeps a message nobody consumes,
// purges allowed, no limit that removes messages, at least WithReplicas'
// replicas) and fails with a *StreamConfigError naming each setting that
// differs.
func NewJetStream(ctx context.Context, js jetstream.JetStream, opts ...Option) (*JetStream, error) {
	o := newOptions(opts)
	if err := validateName("stream", o.stream); err != nil {
		return nil, err
	}
	if err := validateName("consumer", o.consumer); err != nil {
		return nil, err
	}
	if err := validatePrefix(o.prefix); err != nil {
		return nil, err
	}
	if err := o.validateBackoff(); err != nil {
		return nil, err
	}
	if o.ackWait < time.Second {
		return nil, fmt.Errorf("timers: ack wait %s: want at least 1s", o.ackWait)
	}
	if o.replicas < 1 {
		return nil, fmt.Errorf("timers: %d replicas: want at least 1", o.replicas)
	}
	api := apiPrefix(js)
	j := &JetStream{
		js:     js,
		o:      o,
		sched:  o.prefix + ".sched.",
		fire:   o.prefix + ".fire.",
		purge:  api + "STREAM.PURGE." + o.stream,
		msgGet: api + "STREAM.MSG.GET." + o.stream,
	}
	if err := j.openStream(ctx); err != nil {
		return nil, err
	}
	return j, nil
}

// Stream returns the name of the timers' stream.
func (j *JetStream) Stream() string { return j.o.stream }

// Consumer returns the name of the durable consumer Run delivers from.
func (j *JetStream) Consumer() string { return j.o.consumer }

// ScheduleFilter returns the subject filter of every arming of k:
// "<prefix>.sched.<type>.<id>.<name>.*".
func (j *JetStream) ScheduleFilter(k Key) string { return j.sched + k.String() + ".*" }

// FireSubject returns the subject the firings of k are stored on:
// "<prefix>.fire.<type>.<id>.<name>".
func (j *JetStream) FireSubject(k Key) string { return j.fire + k.String() }

// scheduleSubject is the subject of t's schedule message:
// "<prefix>.sched.<type>.<id>.<name>.<arming>", where the arming token
// "<version>-<unix seconds>-<nanoseconds>[-<fnv-1a of the payload>]"
// differs between any two timers of a key that are not the same (see
// same): a replaced arming's firing purges its own subject only.
func (j *JetStream) scheduleSubject(t Timer) string {
	var b strings.Builder
	b.Grow(len(j.sched) + len(t.Key.Type) + len(t.Key.ID) + len(t.Key.Name) + 48)
	b.WriteString(j.sched)
	b.WriteString(t.Key.String())
	b.WriteByte('.')
	b.WriteString(strconv.FormatUint(t.Version, 10))
	b.WriteByte('-')
	b.WriteString(strconv.FormatInt(t.Due.Unix(), 10))
	b.WriteByte('-')
	b.WriteString(strconv.Itoa(t.Due.Nanosecond()))
	if len(t.Payload) > 0 {
		h := fnv.New32a()
		h.Write(t.Payload)
		b.WriteByte('-')
		b.WriteString(strconv.FormatUint(uint64(h.Sum32()), 16))
	}
	return b.String()
}

// scheduleMsg is the schedule message of t.
func (j *JetStream) scheduleMsg(t Timer) *nats.Msg {
	return &nats.Msg{
		Subject: j.scheduleSubject(t),
		Header: nats.Header{
			// The server parses "@at" with time.RFC3339, which takes
			// fractional seconds: the timer fires at its due time, not at
			// the second before it (jetstream.WithScheduleAt drops them).
			jetstream.ScheduleHeader:       {"@at " + t.Due.Format(time.RFC3339Nano)},
			jetstream.ScheduleTargetHeader: {j.FireSubject(t.Key)},
			HeaderVersion:                  {strconv.FormatUint(t.Version, 10)},
			HeaderDue:                      {t.Due.Format(time.RFC3339Nano)},
		},
		Data: t.Payload,
	}
}

// Schedule arms t; see Timers. A key with no arming costs one publish:
// it expects no message on the key's schedule subjects. Otherwise the
// new arming is published and every earlier one of the key purged, in
// that order: a failure between the two leaves the replaced arming armed
// as well (Schedule reports it, and scheduling again completes the
// replacement), never no arming at all.
func (j *JetStream) Schedule(ctx context.Context, t Timer) error {
	t, err := normalize(t)
	if err != nil {
		return err
	}
	filter := j.ScheduleFilter(t.Key)
	_, err = j.js.PublishMsg(ctx, j.scheduleMsg(t), jetstream.WithExpectLastSequenceForSubject(0, filter))
	if err == nil {
		return nil
	}
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) || (apiErr.ErrorCode != codeWrongLastSequence && apiErr.ErrorCode != codeWrongLastSequenceConstant) {
		return fmt.Errorf("timers: schedule %s: %w", t.Key, err)
	}
	// Armed before: arm t, then disarm the others.
	ack, err := j.js.PublishMsg(ctx, j.scheduleMsg(t))
	if err != nil {
		return fmt.Errorf("timers: schedule %s: %w", t.Key, err)
	}
	if err := j.purgeSchedules(ctx, filter, ack.Sequence); err != nil {
		return fmt.Errorf("timers: schedule %s: armed, but disarming the timer it replaces failed (schedule it again): %w", t.Key, err)
	}
	j.o.log.LogAttrs(ctx, slog.LevelDebug, "timer re-armed", slog.String("timer", t.Key.String()), slog.Uint64("version", t.Version))
	return nil
}

// Cancel disarms the timer armed under k; see Timers. It purges the key's
// schedule subjects.
func (j *JetStream) Cancel(ctx context.Context, k Key) error {
	if err := k.Validate(); err != nil {
		return err
	}
	if err := j.purgeSchedules(ctx, j.ScheduleFilter(k), 0); err != nil {
		return fmt.Errorf("timers: cancel %s: %w", k, err)
	}
	return nil
}

// purgeSchedules purges the messages on filter, those before sequence
// before only when it is not 0.
func (j *JetStream) purgeSchedules(ctx context.Context, filter string, before uint64) error {
	req := struct {
		Subject  string `json:"filter"`
		Sequence uint64 `json:"seq,omitempty"`
	}{filter, before}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	var reply struct {
		Success bool `json:"success"`
	}
	return j.api(ctx, j.purge, body, &reply)
}

// Armed returns the timer armed under k, if any: the newest schedule
// message on the key's subjects (one request). A timer is armed from its
// Schedule until its firing is stored or it is cancelled or replaced.
func (j *JetStream) Armed(ctx context.Context, k Key) (Timer, bool, error) {
	if err := k.Validate(); err != nil {
		return Timer{}, false, err
	}
	body, err := json.Marshal(struct {
		LastBySubject string `json:"last_by_subj"`
	}{j.ScheduleFilter(k)})
	if err != nil {
		return Timer{}, false, err
	}
	var reply struct {
		Message struct {
			Subject string `json:"subject"`
			Header  []byte `json:"hdrs"`
			Data    []byte `json:"data"`
		} `json:"message"`
	}
	err = j.api(ctx, j.msgGet, body, &reply)
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeMessageNotFound {
		return Timer{}, false, nil
	}
	if err != nil {
		return Timer{}, false, fmt.Errorf("timers: armed %s: %w", k, err)
	}
	hdr, err := decodeHeaders(reply.Message.Header)
	if err != nil {
		return Timer{}, false, fmt.Errorf("timers: armed %s: schedule message on %s: %w", k, reply.Message.Subject, err)
	}
	t, err := timerOf(k, hdr, reply.Message.Data)
	if err != nil {
		return Timer{}, false, fmt.Errorf("timers: armed %s: schedule message on %s: %w", k, reply.Message.Subject, err)
	}
	return t, true, nil
}

// timerOf reads a timer of key k from the headers and data of its
// schedule message or firing.
func timerOf(k Key, hdr nats.Header, data []byte) (Timer, error) {
	v, err := strconv.ParseUint(hdr.Get(HeaderVersion), 10, 64)
	if err != nil {
		return Timer{}, fmt.Errorf("header %s %q: %w", HeaderVersion, hdr.Get(HeaderVersion), err)
	}
	due, err := time.Parse(time.RFC3339Nano, hdr.Get(HeaderDue))
	if err != nil {
		return Timer{}, fmt.Errorf("header %s %q: %w", HeaderDue, hdr.Get(HeaderDue), err)
	}
	if len(data) == 0 {
		data = nil
	}
	return Timer{Key: k, Due: due.UTC(), Version: v, Payload: data}, nil
}

// decodeHeaders parses the header block of a stored message
// ("NATS/1.0\r\nName: value\r\n...\r\n\r\n").
func decodeHeaders(b []byte) (nats.Header, error) {
	h := nats.Header{}
	lines := strings.Split(string(b), "\r\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "NATS/1.0") {
		return nil, errors.New("no header block")
	}
	for _, line := range lines[1:] {
		if line == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("header line %q", line)
		}
		h.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	return h, nil
}

// keyOf reads the key of a firing from its subject.
func (j *JetStream) keyOf(subject string) (Key, error) {
	rest, ok := strings.CutPrefix(subject, j.fire)
	parts := strings.Split(rest, ".")
	if !ok || len(parts) != 3 {
		return Key{}, fmt.Errorf("subject %q is not %s<type>.<id>.<name>", subject, j.fire)
	}
	k := Key{Type: parts[0], ID: parts[1], Name: parts[2]}
	if err := k.Validate(); err != nil {
		return Key{}, err
	}
	return k, nil
}

// api sends a request to the JetStream API and decodes the reply into v.
// An error reply is a *jetstream.APIError.
func (j *JetStream) api(ctx context.Context, subject string, body []byte, v any) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, requestTimeout(j.js))
		defer cancel()
	}
	resp, err := j.js.Conn().RequestWithContext(ctx, subject, body)
	if errors.Is(err, nats.ErrNoResponders) {
		err = fmt.Errorf("%w: %w", jetstream.ErrJetStreamNotEnabled, err)
	}
	if err != nil {
		return err
	}
	var reply struct {
		Error *jetstream.APIError `json:"error"`
	}
	if err := json.Unmarshal(resp.Data, &reply); err != nil {
		return fmt.Errorf("%s: unreadable reply: %w", subject, err)
	}
	if reply.Error != nil {
		return reply.Error
	}
	return json.Unmarshal(resp.Data, v)
}

// apiPrefix returns the JetStream API prefix js sends requests to, with a
// trailing dot.
func apiPrefix(js jetstream.JetStream) string {
	o := js.Options()
	switch {
	case o.APIPrefix != "":
		return strings.TrimSuffix(o.APIPrefix, ".") + "."
	case o.Domain != "":
		return "$JS." + o.Domain + ".API."
	}
	return jetstream.DefaultAPIPrefix
}

// requestTimeout bounds a request whose context has no deadline: js's
// default timeout.
func requestTimeout(js jetstream.JetStream) time.Duration {
	if t := js.Options().DefaultTimeout; t > 0 {
		return t
	}
	return 5 * time.Second
}

// validatePrefix checks a subject prefix: one or more dot-separated
// tokens, each obeying the rules of es.ValidateID.
func validatePrefix(prefix string) error {
	if prefix == "" {
		return errors.New("timers: empty subject prefix")
	}
	for tok := range strings.SplitSeq(prefix, ".") {
		if msg := validToken(tok); msg != "" {
			return fmt.Errorf("timers: subject prefix %q: token %q %s", prefix, tok, msg)
		}
	}
	return nil
}

// validateName checks a stream or consumer name: letters, digits, '-' and
// '_' only.
func validateName(what, name string) error {
	if name == "" {
		return fmt.Errorf("timers: empty %s name", what)
	}
	for i, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("timers: %s name %q has %q at byte %d: only letters, digits, '-' and '_' are allowed", what, name, r, i)
		}
	}
	return nil
}

package jsstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrStreamConfig: an existing stream or snapshot bucket lacks a setting
// the store needs, and was left as it is. The error is a
// *StreamConfigError naming each setting.
var ErrStreamConfig = errors.New("jsstore: existing stream lacks settings the store needs")

// StreamConfigError names each setting of an existing stream, or of the
// stream behind a snapshot bucket, that differs from what the store needs.
// New and NewSnapshotStore return it, having changed nothing, unless
// WithUpdateStream is given. errors.Is(err, ErrStreamConfig) holds.
type StreamConfigError struct {
	Stream string // the stream's name; a bucket's is "KV_" and the bucket's name
	Bucket string // the snapshot bucket, "" for the event stream
	Diffs  []ConfigDiff
}

// ConfigDiff is one setting a stream lacks: its field in the stream's
// JSON configuration (as `nats stream info --json` shows it), what the
// store needs and what the stream has.
type ConfigDiff struct {
	Field string // e.g. "allow_direct"
	Want  string // e.g. "true", "at least 2m0s"
	Have  string // e.g. "false", "30s"
	// Unchangeable is set for a setting WithUpdateStream does not change:
	// the server refuses to change it on an existing stream (retention
	// workqueue, sealed), or changing it would make the stream another
	// one (a mirror). The store needs a stream of its own then.
	Unchangeable bool
}

// Error names the stream and every difference.
func (e *StreamConfigError) Error() string {
	var b strings.Builder
	if e.Bucket != "" {
		fmt.Fprintf(&b, "jsstore: snapshot bucket %s (stream %s)", e.Bucket, e.Stream)
	} else {
		fmt.Fprintf(&b, "jsstore: stream %s", e.Stream)
	}
	b.WriteString(" lacks settings the store needs and was left unchanged: ")
	b.WriteString(describe(e.Diffs))
	var fixed []string
	for _, d := range e.Diffs {
		if d.Unchangeable {
			fixed = append(fixed, d.Field)
		}
	}
	if len(fixed) > 0 {
		fmt.Fprintf(&b, " (the store cannot change %s: give it a stream of its own)", strings.Join(fixed, ", "))
	} else {
		b.WriteString(" (change them, or give jsstore.WithUpdateStream() to let the store change only these)")
	}
	return b.String()
}

// describe lists differences as "field: want W, have H; ...".
func describe(diffs []ConfigDiff) string {
	var b strings.Builder
	for i, d := range diffs {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: want %s, have %s", d.Field, d.Want, d.Have)
	}
	return b.String()
}

// unchanged is the error of an update the server accepted without
// giving the stream what it lacks.
func unchanged(what string, left []need) error {
	return fmt.Errorf("%w: %s still lacks after the update: %s", ErrStreamConfig, what, describe(diffs(left)))
}

// Is makes errors.Is(err, ErrStreamConfig) true.
func (e *StreamConfigError) Is(target error) bool { return target == ErrStreamConfig }

// need is a setting a stream lacks, and the value that gives it.
type need struct {
	diff  ConfigDiff
	value any // the field's new JSON value
}

// streamNeeds returns what the event stream with configuration have lacks
// of what the store needs: direct gets (loads use them), subjects that
// take every aggregate of the bounded context, a duplicate window at
// least as long as the one asked for (idempotent retries rely on it), at
// least the replicas asked for, and what keepNeeds lists.
func (s *Store) streamNeeds(have jetstream.StreamConfig) []need {
	var needs []need
	if !have.AllowDirect {
		needs = append(needs, need{ConfigDiff{Field: "allow_direct", Want: "true", Have: "false"}, true})
	}
	if !slices.ContainsFunc(have.Subjects, func(f string) bool { return covers(f, s.cfg.prefix) }) {
		// "<prefix>.>" is added, and replaces the filters it takes in
		// (the server refuses overlapping filters): the stream keeps
		// every subject it took.
		subjects := slices.DeleteFunc(slices.Clone(have.Subjects), func(f string) bool { return within(f, s.cfg.prefix) })
		needs = append(needs, need{
			ConfigDiff{Field: "subjects", Want: "a subject covering " + s.cfg.prefix + ".*.*", Have: fmt.Sprintf("%q", have.Subjects)},
			append(subjects, s.cfg.prefix+".>"),
		})
	}
	needs = append(needs, replicasNeed(have, s.cfg.replicas)...)
	if have.Duplicates < s.cfg.duplicates {
		needs = append(needs, need{
			ConfigDiff{Field: "duplicate_window", Want: "at least " + s.cfg.duplicates.String(), Have: have.Duplicates.String()},
			int64(s.cfg.duplicates),
		})
	}
	return append(needs, keepNeeds(have)...)
}

// keepNeeds returns what the stream with configuration have lacks to
// keep every event stored and to acknowledge every append: retention by
// limits (interest and work-queue retention remove messages once
// consumers acknowledge them, or at once when none is interested),
// acknowledgements, no limit that removes messages (max_age always;
// max_msgs and max_bytes with the discard policy old; max_msgs_per_subject
// unless the stream discards new messages per subject: a discard policy
// new refuses an append with an error, which loses nothing), not sealed
// (it refuses every append), not a mirror (it takes no appends), and no
// subject transform (the events would be stored on other subjects than
// the ones the store reads). Purging a subject stays allowed: that is an
// operator's deliberate act (see es.ErrPositionGone).
func keepNeeds(have jetstream.StreamConfig) []need {
	var needs []need
	if have.Retention != jetstream.LimitsPolicy {
		needs = append(needs, need{ConfigDiff{Field: "retention", Want: "limits", Have: jsonName(have.Retention),
			Unchangeable: have.Retention == jetstream.WorkQueuePolicy}, jetstream.LimitsPolicy})
	}
	if have.NoAck {
		needs = append(needs, need{ConfigDiff{Field: "no_ack", Want: "false", Have: "true"}, false})
	}
	if have.MaxAge > 0 {
		needs = append(needs, need{ConfigDiff{Field: "max_age", Want: "no limit", Have: have.MaxAge.String()}, 0})
	}
	discard := "discard " + jsonName(have.Discard)
	if have.MaxMsgs > 0 && have.Discard != jetstream.DiscardNew {
		needs = append(needs, need{ConfigDiff{Field: "max_msgs", Want: "no limit, or discard new",
			Have: strconv.FormatInt(have.MaxMsgs, 10) + " with " + discard}, -1})
	}
	if have.MaxBytes > 0 && have.Discard != jetstream.DiscardNew {
		needs = append(needs, need{ConfigDiff{Field: "max_bytes", Want: "no limit, or discard new",
			Have: strconv.FormatInt(have.MaxBytes, 10) + " with " + discard}, -1})
	}
	if have.MaxMsgsPerSubject > 0 && !(have.Discard == jetstream.DiscardNew && have.DiscardNewPerSubject) {
		h := strconv.FormatInt(have.MaxMsgsPerSubject, 10) + " with " + discard
		if have.Discard == jetstream.DiscardNew {
			h += ", not per subject"
		}
		needs = append(needs, need{ConfigDiff{Field: "max_msgs_per_subject", Want: "no limit, or discard new per subject", Have: h}, -1})
	}
	if have.Sealed {
		needs = append(needs, need{ConfigDiff{Field: "sealed", Want: "false", Have: "true", Unchangeable: true}, false})
	}
	if have.Mirror != nil {
		needs = append(needs, need{ConfigDiff{Field: "mirror", Want: "none", Have: "stream " + have.Mirror.Name, Unchangeable: true}, nil})
	}
	if t := have.SubjectTransform; t != nil {
		needs = append(needs, need{ConfigDiff{Field: "subject_transform", Want: "none", Have: fmt.Sprintf("%q to %q", t.Source, t.Destination)}, nil})
	}
	return needs
}

// jsonName is the JSON spelling of a setting's value ("workqueue",
// "old"), as the stream's configuration shows it.
func jsonName(v json.Marshaler) string {
	b, err := v.MarshalJSON()
	if err != nil {
		return fmt.Sprint(v)
	}
	var name string
	if json.Unmarshal(b, &name) != nil {
		return string(b)
	}
	return name
}

// unchangeable reports whether needs holds a setting WithUpdateStream
// does not change.
func unchangeable(needs []need) bool {
	for _, n := range needs {
		if n.diff.Unchangeable {
			return true
		}
	}
	return false
}

// replicasNeed returns the need for more replicas, if have has fewer
// than want.
func replicasNeed(have jetstream.StreamConfig, want int) []need {
	if n := max(have.Replicas, 1); n < want {
		return []need{{ConfigDiff{Field: "num_replicas", Want: "at least " + strconv.Itoa(want), Have: strconv.Itoa(n)}, want}}
	}
	return nil
}

// covers reports whether the stream subject filter takes every subject
// "<prefix>.<type>.<id>".
func covers(filter, prefix string) bool {
	f := strings.Split(filter, ".")
	p := append(strings.Split(prefix, "."), "*", "*")
	for i, tok := range f {
		switch {
		case tok == ">":
			return i < len(p)
		case i >= len(p):
			return false
		case tok == "*":
		case tok != p[i] || p[i] == "*":
			return false
		}
	}
	return len(f) == len(p)
}

// within reports whether the stream subject filter takes only subjects
// "<prefix>.>" takes.
func within(filter, prefix string) bool {
	rest, ok := strings.CutPrefix(filter, prefix+".")
	return ok && rest != ""
}

// openStream makes sure the store's stream is there and has what the
// store needs: it creates a missing one (unless WithExistingStream), and
// checks an existing one, changing what it lacks only with
// WithUpdateStream. It returns the stream's duplicate window.
func (s *Store) openStream(ctx context.Context, js jetstream.JetStream) (time.Duration, error) {
	name := s.cfg.stream
	a := newAdmin(js, s.cfg.log)
	for attempt := 0; ; attempt++ {
		have, raw, err := a.streamInfo(ctx, name)
		if errors.Is(err, jetstream.ErrStreamNotFound) && s.cfg.create && attempt == 0 {
			st, err := js.CreateStream(ctx, s.StreamConfig())
			if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
				continue // another process made it meanwhile: check it
			}
			if err != nil {
				return 0, fmt.Errorf("jsstore: create stream %s: %w", name, err)
			}
			return st.CachedInfo().Config.Duplicates, nil
		}
		if err != nil {
			return 0, fmt.Errorf("jsstore: stream %s: %w", name, err)
		}
		needs := s.streamNeeds(have)
		if len(needs) == 0 {
			return have.Duplicates, nil
		}
		if !s.cfg.update || unchangeable(needs) {
			return 0, &StreamConfigError{Stream: name, Diffs: diffs(needs)}
		}
		have, err = a.updateStream(ctx, name, "", raw, needs)
		if err != nil {
			return 0, err
		}
		if left := s.streamNeeds(have); len(left) > 0 {
			return 0, unchanged("stream "+name, left)
		}
		return have.Duplicates, nil
	}
}

func diffs(needs []need) []ConfigDiff {
	d := make([]ConfigDiff, len(needs))
	for i, n := range needs {
		d[i] = n.diff
	}
	return d
}

// admin sends requests to the JetStream API.
type admin struct {
	nc      *nats.Conn
	prefix  string        // the API prefix, with a trailing dot
	timeout time.Duration // for requests whose context has no deadline
	log     *slog.Logger  // logs changes of settings
}

func newAdmin(js jetstream.JetStream, log *slog.Logger) admin {
	return admin{nc: js.Conn(), prefix: apiPrefix(js), timeout: requestTimeout(js), log: log}
}

// streamInfo returns the configuration of stream name, typed and as the
// server sent it (every field, including those this client does not
// know). A missing stream fails with an error matching
// jetstream.ErrStreamNotFound.
func (a admin) streamInfo(ctx context.Context, name string) (jetstream.StreamConfig, map[string]json.RawMessage, error) {
	var reply struct {
		Config json.RawMessage `json:"config"`
	}
	if err := a.api(ctx, "STREAM.INFO."+name, nil, &reply); err != nil {
		return jetstream.StreamConfig{}, nil, err
	}
	return decodeStreamConfig(reply.Config)
}

func decodeStreamConfig(data json.RawMessage) (jetstream.StreamConfig, map[string]json.RawMessage, error) {
	var (
		cfg jetstream.StreamConfig
		raw map[string]json.RawMessage
	)
	if err := json.Unmarshal(data, &cfg); err != nil {
		return cfg, nil, fmt.Errorf("stream configuration: %w", err)
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return cfg, nil, fmt.Errorf("stream configuration: %w", err)
	}
	return cfg, raw, nil
}

// updateStream sets the fields needs name on stream name, whose
// configuration as the server sent it is raw, and leaves every other field
// as it is. bucket names the snapshot bucket the stream is behind, if any.
// It returns the configuration the server answers with.
func (a admin) updateStream(ctx context.Context, name, bucket string, raw map[string]json.RawMessage, needs []need) (jetstream.StreamConfig, error) {
	fields := make([]string, len(needs))
	for i, n := range needs {
		v, err := json.Marshal(n.value)
		if err != nil {
			return jetstream.StreamConfig{}, err
		}
		raw[n.diff.Field] = v
		fields[i] = n.diff.Field
	}
	body, err := json.Marshal(raw)
	if err != nil {
		return jetstream.StreamConfig{}, err
	}
	var reply struct {
		Config json.RawMessage `json:"config"`
	}
	if err := a.api(ctx, "STREAM.UPDATE."+name, body, &reply); err != nil {
		return jetstream.StreamConfig{}, fmt.Errorf("jsstore: update %s of stream %s: %w", strings.Join(fields, ", "), name, err)
	}
	have, _, err := decodeStreamConfig(reply.Config)
	if err != nil {
		return have, fmt.Errorf("jsstore: update stream %s: %w", name, err)
	}
	attrs := []slog.Attr{slog.String("stream", name), slog.Any("fields", fields)}
	if bucket != "" {
		attrs = append(attrs, slog.String("bucket", bucket))
	}
	for _, n := range needs {
		attrs = append(attrs, slog.Group(n.diff.Field, slog.String("was", n.diff.Have), slog.String("want", n.diff.Want)))
	}
	a.log.LogAttrs(ctx, slog.LevelInfo, "stream settings updated", attrs...)
	return have, nil
}

// api sends a request to the JetStream API (subject after the API
// prefix) and decodes the reply into v. An error reply is a
// *jetstream.APIError.
func (a admin) api(ctx context.Context, subject string, body []byte, v any) error {
	wait, cancel := bound(ctx, a.timeout)
	defer cancel()
	resp, err := a.nc.RequestWithContext(wait, a.prefix+subject, body)
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

package timers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
)

// ErrStreamConfig: an existing timers stream lacks a setting the timers
// need, and was left as it is. The error is a *StreamConfigError naming
// each setting.
var ErrStreamConfig = errors.New("timers: existing stream lacks settings the timers need")

// StreamConfigError names each setting of an existing stream that differs
// from what the timers need. NewJetStream returns it, having changed
// nothing. errors.Is(err, ErrStreamConfig) holds.
type StreamConfigError struct {
	Stream string
	Diffs  []ConfigDiff
}

// ConfigDiff is one setting a stream lacks: its field in the stream's JSON
// configuration (as `nats stream info --json` shows it), what the timers
// need and what the stream has.
type ConfigDiff struct {
	Field string // e.g. "allow_msg_schedules"
	Want  string // e.g. "true"
	Have  string // e.g. "false"
}

// Error names the stream and every difference.
func (e *StreamConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "timers: stream %s lacks settings the timers need and was left unchanged: ", e.Stream)
	for i, d := range e.Diffs {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: want %s, have %s", d.Field, d.Want, d.Have)
	}
	b.WriteString(" (change them, or give the timers a stream of their own with timers.WithStream)")
	return b.String()
}

// Is makes errors.Is(err, ErrStreamConfig) true.
func (e *StreamConfigError) Is(target error) bool { return target == ErrStreamConfig }

// StreamConfig returns the configuration NewJetStream creates a missing
// stream with: file storage, subjects "<prefix>.>", message schedules
// allowed (which makes the server allow roll-ups and purges too), work-queue
// retention (a firing is removed once a runner acknowledged it; a schedule
// message, which no consumer reads, stays until its firing or a Cancel
// purges it), no limits, and the replicas asked for.
func (j *JetStream) StreamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:              j.o.stream,
		Description:       "esgen timers: one schedule subject per armed timer, firings for a durable consumer",
		Subjects:          []string{j.o.prefix + ".>"},
		Retention:         jetstream.WorkQueuePolicy,
		Storage:           jetstream.FileStorage,
		Replicas:          j.o.replicas,
		Discard:           jetstream.DiscardOld,
		AllowMsgSchedules: true,
		AllowRollup:       true,
	}
}

// openStream creates the stream when it is missing and checks it
// otherwise.
func (j *JetStream) openStream(ctx context.Context) error {
	name := j.o.stream
	for attempt := 0; ; attempt++ {
		st, err := j.js.Stream(ctx, name)
		if errors.Is(err, jetstream.ErrStreamNotFound) && attempt == 0 {
			_, err := j.js.CreateStream(ctx, j.StreamConfig())
			if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
				continue // another process made it meanwhile: check it
			}
			if err != nil {
				return fmt.Errorf("timers: create stream %s: %w", name, err)
			}
			j.o.log.LogAttrs(ctx, slog.LevelInfo, "timers stream created", slog.String("stream", name), slog.String("subjects", j.o.prefix+".>"))
			return nil
		}
		if err != nil {
			return fmt.Errorf("timers: stream %s: %w", name, err)
		}
		if diffs := j.streamNeeds(st.CachedInfo().Config); len(diffs) > 0 {
			return &StreamConfigError{Stream: name, Diffs: diffs}
		}
		return nil
	}
}

// streamNeeds returns what a stream with configuration have lacks of what
// the timers need.
func (j *JetStream) streamNeeds(have jetstream.StreamConfig) []ConfigDiff {
	var d []ConfigDiff
	if !have.AllowMsgSchedules {
		d = append(d, ConfigDiff{"allow_msg_schedules", "true", "false"})
	}
	p := j.o.prefix
	for _, s := range []string{p + ".sched.*.*.*.*", p + ".fire.*.*.*"} {
		if !slices.ContainsFunc(have.Subjects, func(f string) bool { return covers(f, s) }) {
			d = append(d, ConfigDiff{"subjects", "a subject filter taking every " + s, fmt.Sprintf("%q", have.Subjects)})
		}
	}
	if have.Retention == jetstream.InterestPolicy {
		// An interest stream drops a message no consumer is interested
		// in: every schedule message.
		d = append(d, ConfigDiff{"retention", `"workqueue" or "limits"`, `"interest"`})
	}
	if have.DenyPurge {
		d = append(d, ConfigDiff{"deny_purge", "false", "true"})
	}
	if n := max(have.Replicas, 1); n < j.o.replicas {
		d = append(d, ConfigDiff{"num_replicas", "at least " + strconv.Itoa(j.o.replicas), strconv.Itoa(n)})
	}
	// Limits would remove armed timers and firings not yet handled.
	if have.MaxAge > 0 {
		d = append(d, ConfigDiff{"max_age", "0 (no limit)", have.MaxAge.String()})
	}
	if have.MaxMsgs > 0 {
		d = append(d, ConfigDiff{"max_msgs", "-1 (no limit)", strconv.FormatInt(have.MaxMsgs, 10)})
	}
	if have.MaxBytes > 0 {
		d = append(d, ConfigDiff{"max_bytes", "-1 (no limit)", strconv.FormatInt(have.MaxBytes, 10)})
	}
	if have.MaxMsgsPerSubject > 0 {
		d = append(d, ConfigDiff{"max_msgs_per_subject", "-1 (no limit)", strconv.FormatInt(have.MaxMsgsPerSubject, 10)})
	}
	return d
}

// covers reports whether the stream subject filter takes every subject the
// pattern (literal tokens and '*') matches.
func covers(filter, pattern string) bool {
	f := strings.Split(filter, ".")
	p := strings.Split(pattern, ".")
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

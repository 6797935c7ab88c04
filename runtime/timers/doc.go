// Package timers provides durable timers for aggregates and process
// managers: "after 30 minutes in Submitted, cancel the order".
//
// A Timer has a Key (instance type, instance id, timer name), a due time,
// the version of the instance's state it was armed in, and a small
// payload. Schedule arms it, replacing the timer armed under the same key;
// Cancel disarms it; Armed reads it. When it is due it fires, and Run
// hands the Firing (key, due time, version, payload, when it fired, which
// delivery this is) to a Handler: at least once, again after a backoff
// while the handler fails. The version lets the handler recognise a
// stale firing, one for a state the instance has left, and ignore it.
//
// Two implementations have the same semantics, pinned by the conformance
// suite in runtime/timers/timerstest:
//
//   - JetStream (NewJetStream): nats-server message schedules (ADR-51) in
//     a stream of their own. Timers survive restarts of the server and
//     the death of the process that armed them.
//   - Memory (NewMemory): in memory, on a Clock. With a ManualClock a
//     test moves time with Advance, which fires the timers due in order
//     and returns once their firings are handled.
//
// # JetStream design
//
// The stream (default "TIMERS", StreamConfig) takes "<prefix>.>" (default
// prefix "timers"), allows message schedules and has work-queue
// retention. Schedules make the server allow roll-ups and purges on the
// stream, which an event stream must never allow: keep the timers in a
// stream of their own. NewJetStream creates a missing stream and checks
// an existing one without ever changing it (*StreamConfigError).
//
// Each arming of a timer is one schedule message on
// "<prefix>.sched.<type>.<id>.<name>.<arming>", where the arming token
// "<version>-<unix seconds>-<nanoseconds>[-<payload hash>]" differs for
// any two timers that are not the same. It carries
// "Nats-Schedule: @at <due, RFC 3339 with nanoseconds, UTC>",
// "Nats-Schedule-Target: <prefix>.fire.<type>.<id>.<name>", the headers
// Esgen-Timer-Version and Esgen-Timer-Due, and the payload. When it is
// due, the server stores a copy of it on the target subject (the firing)
// and purges the schedule's subject. Run reads the firings through a
// durable consumer (default "timers") on "<prefix>.fire.>" and
// acknowledges each once its handler returned nil; the work-queue
// stream then removes it.
//
// Schedule of a key with no arming is one publish that expects no
// message on "<prefix>.sched.<key>.*". If the key has an arming, the new
// arming is published, then every earlier arming of the key purged: a
// failure in between leaves both armed (Schedule reports it; the older
// one fires with its older version), never neither. Because each arming
// has its own subject, a firing under way when its timer is replaced
// purges its own subject only, never the replacement: the server purges
// the whole schedule subject once a firing is stored, so one subject per
// key would lose a replacement armed at the moment the replaced timer
// fires (TestReArmAtDueTime fails on such a layout). Scheduling the armed
// timer again publishes on its own subject, where the server replaces it.
// Cancel purges "<prefix>.sched.<key>.*"; it cannot stop a firing the
// server has already taken up (the server lets a firing through when its
// schedule subject is empty), so a Cancel at the due time may be followed
// by the firing: its version is then stale.
//
// Run creates or updates its consumer (explicit acknowledgements, no
// limit on deliveries), and, when the consumer has firings delivered but
// never acknowledged (a runner that died or stopped while it had them),
// resets it so that they are delivered again at once rather than after
// the ack wait (WithAckWait). It fetches up to 64 firings at a time,
// hands them to the handler in order, tells the server every third of
// the ack wait that those not yet acknowledged are in progress, gives a
// failed firing back with a delay (WithRetryBackoff), and rides out lost
// connections and server restarts. Run one Run per consumer at a time.
//
// # Server behaviour relied on
//
// Read from nats-server v2.15.2 (server/scheduler.go, server/stream.go,
// server/filestore.go) and pinned by tests on the embedded server. The
// timers need nats-server 2.12 or later ("@at" schedules; the
// expected-last-sequence header for a subject filter is from 2.11).
//
//   - "@at" is parsed with time.RFC3339, which takes fractional seconds:
//     a timer fires at its due time, not at the second before it.
//     jetstream.WithScheduleAt (nats.go v1.56.0) writes whole seconds,
//     which would fire up to a second early; the timers write the header
//     themselves. TestServerFiring.
//   - The firing is the schedule message's payload and headers on the
//     target subject, without the Nats-Schedule* and Nats-Msg-Id headers
//     (nor Nats-Expected-*, Nats-TTL, Nats-Rollup), with Nats-Scheduler
//     (the schedule's subject) and Nats-Schedule-Next: purge added; once
//     it is stored the schedule's subject is purged. TestServerFiring.
//   - A schedule published on a schedule's subject replaces it (the
//     server adds Nats-Rollup: sub); purging a schedule's subject disarms
//     it; a purge with a subject filter and a sequence purges only the
//     armings before that sequence. TestServerReplaceAndPurge.
//   - An expected last sequence of 0 for a subject filter with a wildcard
//     ("Nats-Expected-Last-Subject-Sequence-Subject") fails with error
//     10071 when any subject the filter takes has a message.
//     TestServerReplaceAndPurge.
//   - The scheduler runs when the earliest schedule is due, but never
//     sooner than 250 ms after it last ran or was told of a new schedule,
//     and fires everything due by then, in the order the schedules were
//     stored. A timer fires at its due time, or up to 250 ms late when it
//     is due within 250 ms of such a moment; timers due within the same
//     250 ms may fire in the order they were scheduled rather than that
//     of their due times. TestFiringPrecision (every
//     firing handled within 1 s of its due time; about 200 ms at worst in
//     practice), the conformance suite's Order (due times 500 ms apart).
//   - A schedule whose time has passed fires at once: within 250 ms of
//     being stored, or of the server's restart for timers that came due
//     while it was down. TestServerPastDue, TestServerRestart.
//   - Schedules are stored like any message and survive a restart of the
//     server and the SIGKILL of the process that published them.
//     TestServerRestart, TestSIGKILL.
//   - A work-queue stream keeps a message no consumer reads (a schedule)
//     and removes a firing once it is acknowledged or terminated; an
//     interest stream drops a schedule at once, so the timers refuse one.
//     TestServerFiring, TestUnreadableFiring, TestServerInterestDropsSchedules.
//   - Resetting a consumer delivers its unacknowledged messages again at
//     once, also on a work-queue stream; their delivery count starts
//     again at 1. TestServerResetRedelivers, TestSIGKILL.
//   - A stream with message schedules has roll-ups allowed and purges not
//     denied, whatever its creator asked for. TestStreamCreated.
//
// See docs/timers.md.
package timers

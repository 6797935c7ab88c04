package inspect

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
)

// typeInfo is a Type with its transition table.
type typeInfo struct {
	Type
	known   bool                 // described by a Type of the Config
	initial string               // "" without a machine
	table   map[[2]string]string // (state, event) -> state
}

// stateless reports whether the type has no states to track.
func (t *typeInfo) stateless() bool { return len(t.Machine.States) == 0 && !t.Process }

// step is what the inspector reads of a process's step.
type step struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// after returns the state after record r in state from, and whether
// the machine (or the process step) gives one.
func (t *typeInfo) after(from string, r *es.Record) (string, bool) {
	if t.Process {
		var st step
		if json.Unmarshal(r.Data, &st) != nil || st.To == "" {
			return from, false
		}
		return st.To, true
	}
	if t.stateless() {
		return "", true
	}
	to, ok := t.table[[2]string{from, r.EventType}]
	if !ok {
		return from, false
	}
	return to, true
}

// instance is what the index keeps of one aggregate or process instance.
type instance struct {
	id      string
	state   string // current state; "" for a type without states
	version uint64
	seq     uint64 // stream sequence of its last command
	time    time.Time
	event   string // type of its last event
	// odd counts the events no transition of the machine takes from the
	// state they were stored in.
	odd int
	// archived is the time of its tombstone: its events are no longer
	// in the stream but in the archive (zero: not archived).
	archived time.Time
}

// typeIndex is the index of one type's instances.
type typeIndex struct {
	info     *typeInfo
	byID     map[string]*instance
	counts   map[string]int // instances per current state
	events   int
	archived int // instances archived
}

// link is one record of a business transaction, as the correlation index
// keeps it.
type link struct {
	Type      string    `json:"type"`
	ID        string    `json:"id"`
	Version   uint64    `json:"version"`
	Sequence  uint64    `json:"sequence"`
	EventID   string    `json:"event_id"`
	EventType string    `json:"event_type"`
	Causation string    `json:"causation_id"`
	Actor     string    `json:"actor"`
	Time      time.Time `json:"time"`
}

// linkOf is the link of record r.
func linkOf(r *es.Record) link {
	return link{
		Type: r.AggregateType, ID: r.AggregateID, Version: r.Version, Sequence: r.Sequence,
		EventID: r.EventID, EventType: r.EventType, Causation: r.CausationID, Actor: r.Actor, Time: r.Time,
	}
}

// index is the Inspector's view of the stream, built from every record in
// order.
type index struct {
	mu     sync.RWMutex
	known  map[string]*typeInfo // the Config's types
	types  map[string]*typeIndex
	corr   map[string][]link // records by correlation id, in stream order
	last   uint64            // stream sequence of the last message applied
	events int
}

func newIndex(types []Type) *index {
	x := &index{known: map[string]*typeInfo{}, types: map[string]*typeIndex{}, corr: map[string][]link{}}
	for _, t := range types {
		x.known[t.Name] = &typeInfo{Type: t, known: true, initial: initial(t.Machine), table: Transitions(t.Machine)}
		x.types[t.Name] = &typeIndex{info: x.known[t.Name], byID: map[string]*instance{}, counts: map[string]int{}}
	}
	return x
}

// info returns the description of a type, known or not.
func (x *index) info(name string) *typeInfo {
	if t, ok := x.known[name]; ok {
		return t
	}
	return &typeInfo{Type: Type{Name: name}}
}

// change is what one applied record changed, as live updates report it.
type change struct {
	Type      string    `json:"type"`
	ID        string    `json:"id"`
	Version   uint64    `json:"version"`
	Sequence  uint64    `json:"sequence"`
	EventType string    `json:"event_type"`
	State     string    `json:"state"`
	Time      time.Time `json:"time"`
	// Correlation is the correlation id of the event.
	Correlation string `json:"correlation_id"`
	// Archived is set when the change is the archival of the instance
	// (its tombstone; EventType is empty).
	Archived bool `json:"archived,omitempty"`
}

// apply adds the records of one stored message (one command) to the index
// and returns what changed.
func (x *index) apply(recs []es.Record) []change {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]change, 0, len(recs))
	for i := range recs {
		r := &recs[i]
		ti := x.types[r.AggregateType]
		if ti == nil {
			ti = &typeIndex{info: x.info(r.AggregateType), byID: map[string]*instance{}, counts: map[string]int{}}
			x.types[r.AggregateType] = ti
		}
		in := ti.byID[r.AggregateID]
		if in == nil {
			in = &instance{id: r.AggregateID, state: ti.info.initial}
			ti.byID[r.AggregateID] = in
		} else {
			ti.counts[in.state]--
		}
		to, ok := ti.info.after(in.state, r)
		if !ok {
			in.odd++
		}
		in.state, in.version, in.seq, in.time, in.event = to, r.Version, r.Sequence, r.Time, r.EventType
		ti.counts[in.state]++
		ti.events++
		x.events++
		x.corr[r.CorrelationID] = append(x.corr[r.CorrelationID], linkOf(r))
		out = append(out, change{Type: r.AggregateType, ID: r.AggregateID, Version: r.Version, Sequence: r.Sequence, EventType: r.EventType, State: in.state, Time: r.Time, Correlation: r.CorrelationID})
	}
	if n := len(recs); n > 0 && recs[n-1].Sequence > x.last {
		x.last = recs[n-1].Sequence
	}
	return out
}

// archive records the tombstone of ref, stored at seq at time t: the
// instance is archived, at the version and sequence the tombstone gives.
// An instance the index did not see (its events were purged before it
// read the stream) is in the state the tombstone's final state names,
// when its state codec writes it as esgen's do ({"state":"Name",...}).
func (x *index) archive(ref es.Ref, tomb jsstore.Tombstone, seq uint64, t time.Time) []change {
	x.mu.Lock()
	defer x.mu.Unlock()
	if seq > x.last {
		x.last = seq
	}
	ti := x.types[ref.Type]
	if ti == nil {
		ti = &typeIndex{info: x.info(ref.Type), byID: map[string]*instance{}, counts: map[string]int{}}
		x.types[ref.Type] = ti
	}
	in := ti.byID[ref.ID]
	if in == nil {
		in = &instance{id: ref.ID, state: ti.info.initial, time: t}
		var st struct {
			State string `json:"state"`
		}
		if ti.info.Process || ti.info.stateless() {
			in.state = ""
		} else if json.Unmarshal(tomb.State, &st) == nil && st.State != "" {
			in.state = st.State
		}
		ti.byID[ref.ID] = in
		ti.counts[in.state]++
	}
	if !in.archived.IsZero() {
		return nil
	}
	ti.archived++
	in.archived = t
	in.version, in.seq = max(in.version, tomb.Version), max(in.seq, tomb.Sequence)
	return []change{{Type: ref.Type, ID: ref.ID, Version: in.version, Sequence: seq, State: in.state, Time: t, Archived: true}}
}

// skip records that the message at seq was read and held no record the
// index can use.
func (x *index) skip(seq uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if seq > x.last {
		x.last = seq
	}
}

// cause finds the record that caused l in the business transaction
// corr: the event whose id is l's causation id, or the first event of the
// command with that id.
//
// A causation id alone may name records of several instances: two
// processes that react to the same event store steps with the same
// command id (derived from the event), and so with the same event ids;
// a timer's step of one process instance has the command id of a timer's
// step of another. So when l's command id and actor say which instance
// holds its cause (causeScope), only that instance's records are looked
// at; otherwise the first record of the transaction with the id is.
func (x *index) cause(corr string, l link) (link, bool) {
	scope, scoped := causeScope(l)
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, c := range x.corr[corr] {
		if scoped && (c.Type != scope.Type || c.ID != scope.ID) {
			continue
		}
		if c.EventID == l.Causation || es.CommandIDOf(c.EventID) == l.Causation {
			return c, true
		}
	}
	return link{}, false
}

// causeScope returns the instance that holds the cause of l, when l's
// command id and actor name it (runtime/process derives these ids, see
// docs/wire-format.md):
//
//	a process's step of a source event   in:<type>.<id>.<event id>, actor the process: that source instance
//	a process's step of a timer          tm:<timer>.<version>, actor the process: the process instance itself
//	a process's step of a refusal        rej:<step event id>.<n>, actor the process: the process instance itself
//	a command a process sent             <process>.<process id>.<step event id>.<n>, actor the process: that process instance
//
// Aggregate types and ids never hold a ".", so the tokens are exact; an
// id cut to es.MaxCommandIDLength keeps its beginning.
func causeScope(l link) (es.Ref, bool) {
	cmd := es.CommandIDOf(l.EventID)
	if l.Actor == "" {
		return es.Ref{}, false
	}
	if l.Actor == l.Type {
		switch {
		case strings.HasPrefix(cmd, "in:"):
			typ, rest, ok := strings.Cut(cmd[len("in:"):], ".")
			id, _, ok2 := strings.Cut(rest, ".")
			if ok && ok2 && typ != "" && id != "" {
				return es.Ref{Type: typ, ID: id}, true
			}
			return es.Ref{}, false
		case strings.HasPrefix(cmd, "tm:"), strings.HasPrefix(cmd, "rej:"):
			return es.Ref{Type: l.Type, ID: l.ID}, true
		}
	}
	if rest, ok := strings.CutPrefix(cmd, l.Actor+"."); ok {
		if id, _, ok := strings.Cut(rest, "."); ok && id != "" {
			return es.Ref{Type: l.Actor, ID: id}, true
		}
	}
	return es.Ref{}, false
}

// trail returns the records of one business transaction, in stream order.
func (x *index) trail(corr string) []link {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return slices.Clone(x.corr[corr])
}

package inspect

import (
	"cmp"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/jsstore"
)

// assets are the page, its script and its style.
//
//go:embed assets
var assets embed.FS

// readyWait bounds how long a request waits for the first read of the
// stream before the page says it is still loading.
const readyWait = 30 * time.Second

func (ins *Inspector) routes() {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "assets")
	files := http.FileServerFS(static)
	mux.Handle("GET /", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
		files.ServeHTTP(w, r)
	}))
	mux.HandleFunc("GET /api/meta", ins.api(ins.meta))
	mux.HandleFunc("GET /api/instances", ins.api(ins.instances))
	mux.HandleFunc("GET /api/instance", ins.api(ins.instance))
	mux.HandleFunc("GET /api/trail", ins.api(ins.trailOf))
	mux.HandleFunc("GET /api/diagram", ins.diagram)
	mux.HandleFunc("GET /api/live", ins.live)
	ins.mux = mux
}

// httpError is an error with the status to answer it with.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// api adapts a JSON endpoint: it waits for the index, encodes the value
// and answers errors as {"error": "..."}.
func (ins *Inspector) api(fn func(*http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyWait)
		err := ins.wait(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) && r.Context().Err() == nil {
			ins.x.mu.RLock()
			n := ins.x.events
			ins.x.mu.RUnlock()
			err = &httpError{http.StatusServiceUnavailable, "still reading the stream (" + strconv.Itoa(n) + " events so far): reload in a moment"}
		}
		var v any
		if err == nil {
			v, err = fn(r)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if err != nil {
			status := http.StatusInternalServerError
			var he *httpError
			if errors.As(err, &he) {
				status = he.status
			} else {
				ins.log.Error("inspect: request failed", "path", r.URL.Path, "query", r.URL.RawQuery, "err", err)
			}
			w.WriteHeader(status)
			v = map[string]string{"error": err.Error()}
		}
		_ = json.NewEncoder(w).Encode(v)
	}
}

type stateJSON struct {
	Name    string `json:"name"`
	Initial bool   `json:"initial,omitempty"`
	Final   bool   `json:"final,omitempty"`
}

type typeJSON struct {
	Name      string         `json:"name"`
	Known     bool           `json:"known"`
	Process   bool           `json:"process,omitempty"`
	Stateless bool           `json:"stateless,omitempty"`
	Diagram   bool           `json:"diagram,omitempty"`
	StateData bool           `json:"state_data,omitempty"`
	States    []stateJSON    `json:"states"`
	Instances int            `json:"instances"`
	Events    int            `json:"events"`
	Counts    map[string]int `json:"counts"`
	// Archived counts the instances archived (counted in Instances and
	// Counts too); their events are no longer in the stream (Events).
	Archived int `json:"archived"`
}

func (ins *Inspector) meta(*http.Request) (any, error) {
	x := ins.x
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := struct {
		Stream string     `json:"stream"`
		Prefix string     `json:"prefix"`
		Events int        `json:"events"`
		Last   uint64     `json:"last_sequence"`
		Types  []typeJSON `json:"types"`
	}{Stream: ins.stream, Prefix: ins.prefix, Events: x.events, Last: x.last, Types: []typeJSON{}}
	for _, ti := range x.types {
		out.Types = append(out.Types, ins.typeJSON(ti))
	}
	slices.SortFunc(out.Types, func(a, b typeJSON) int {
		// Known aggregates first, then processes, then types no .esm describes.
		rank := func(t typeJSON) int {
			switch {
			case !t.Known:
				return 2
			case t.Process:
				return 1
			}
			return 0
		}
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}

// typeJSON describes a type; x.mu is held.
func (ins *Inspector) typeJSON(ti *typeIndex) typeJSON {
	t := typeJSON{
		Name: ti.info.Name, Known: ti.info.known, Process: ti.info.Process, Stateless: ti.info.stateless(),
		Diagram: len(ti.info.SVG) > 0, StateData: ti.info.States != nil,
		States: []stateJSON{}, Instances: len(ti.byID), Events: ti.events, Counts: map[string]int{}, Archived: ti.archived,
	}
	for _, s := range ti.info.Machine.States {
		t.States = append(t.States, stateJSON{Name: s.Name, Initial: s.Initial, Final: s.Final})
	}
	for s, n := range ti.counts {
		if n > 0 && s != "" {
			t.Counts[s] = n
		}
	}
	return t
}

type instanceJSON struct {
	ID        string    `json:"id"`
	State     string    `json:"state"`
	Version   uint64    `json:"version"`
	Sequence  uint64    `json:"sequence"`
	Time      time.Time `json:"time"`
	EventType string    `json:"event_type"`
	Odd       int       `json:"odd,omitempty"`
	// Archived is when the instance was archived, absent when it is not.
	Archived *time.Time `json:"archived,omitempty"`
}

// archivedAt is the archival time of an instance for JSON: nil when it
// is not archived.
func archivedAt(in *instance) *time.Time {
	if in.archived.IsZero() {
		return nil
	}
	t := in.archived
	return &t
}

// maxList is the most instances one list answer holds.
const maxList = 1000

// instances lists the instances of a type, the most recently changed
// first: ?type=Order&q=text (in the id, any case)&state=Submitted&limit=N.
func (ins *Inspector) instances(r *http.Request) (any, error) {
	q := r.URL.Query()
	limit := 200
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return nil, &httpError{http.StatusBadRequest, "limit " + strconv.Quote(l) + ": want a positive number"}
		}
		limit = min(n, maxList)
	}
	search, state := strings.ToLower(q.Get("q")), q.Get("state")
	_, filterState := q["state"]
	x := ins.x
	x.mu.RLock()
	ti := x.types[q.Get("type")]
	if ti == nil {
		x.mu.RUnlock()
		return nil, &httpError{http.StatusNotFound, "the stream holds no " + strconv.Quote(q.Get("type"))}
	}
	t := ins.typeJSON(ti)
	matched := make([]*instance, 0, len(ti.byID))
	for id, in := range ti.byID {
		if filterState && in.state != state {
			continue
		}
		if search != "" && !strings.Contains(strings.ToLower(id), search) {
			continue
		}
		matched = append(matched, in)
	}
	list := make([]instanceJSON, 0, min(limit, len(matched)))
	slices.SortFunc(matched, func(a, b *instance) int {
		return cmp.Or(cmp.Compare(b.seq, a.seq), cmp.Compare(a.id, b.id))
	})
	for _, in := range matched[:min(limit, len(matched))] {
		list = append(list, instanceJSON{ID: in.id, State: in.state, Version: in.version, Sequence: in.seq, Time: in.time, EventType: in.event, Odd: in.odd, Archived: archivedAt(in)})
	}
	x.mu.RUnlock()
	return struct {
		Type      typeJSON       `json:"type"`
		Matched   int            `json:"matched"`
		Instances []instanceJSON `json:"instances"`
	}{t, len(matched), list}, nil
}

type eventJSON struct {
	Version       uint64          `json:"version"`
	Sequence      uint64          `json:"sequence"`
	EventID       string          `json:"event_id"`
	CommandID     string          `json:"command_id"`
	EventType     string          `json:"event_type"`
	SchemaVersion int             `json:"schema_version"`
	Time          time.Time       `json:"time"`
	CorrelationID string          `json:"correlation_id"`
	CausationID   string          `json:"causation_id"`
	Actor         string          `json:"actor"`
	Traceparent   string          `json:"traceparent"`
	Payload       json.RawMessage `json:"payload"`
	// From and State are the states before and after the event; Odd says
	// that no transition takes the event from From.
	From  string `json:"from"`
	State string `json:"state"`
	Odd   bool   `json:"odd,omitempty"`
	// StateData is the full state after the event (Type.States).
	StateData json.RawMessage `json:"state_data,omitempty"`
	// Cause is the record that caused the event, when the stream holds it
	// and it is not the event's own command; Trail counts the records of
	// its business transaction.
	Cause *link `json:"cause,omitempty"`
	Trail int   `json:"trail"`
}

// archivedCause finds the cause of l in the instance its command id and
// actor name (causeScope) when that instance is archived and the index
// never saw its events: in its records, read from the archive.
func (ins *Inspector) archivedCause(ctx context.Context, l link) (link, bool) {
	scope, ok := causeScope(l)
	if !ok || ins.archiveErr != nil {
		return link{}, false
	}
	x := ins.x
	x.mu.RLock()
	var archived bool
	if ti := x.types[scope.Type]; ti != nil {
		if in := ti.byID[scope.ID]; in != nil {
			archived = !in.archived.IsZero()
		}
	}
	x.mu.RUnlock()
	if !archived {
		return link{}, false
	}
	for rec, err := range ins.store.Read(ctx, scope, es.Position{}) {
		if err != nil {
			return link{}, false
		}
		if rec.EventID == l.Causation || es.CommandIDOf(rec.EventID) == l.Causation {
			return linkOf(&rec), true
		}
	}
	return link{}, false
}

// archivedJSON is where an archived instance's events are.
type archivedJSON struct {
	Time   time.Time `json:"time"`   // when it was archived
	Bucket string    `json:"bucket"` // the archive's Object Store bucket
	Object string    `json:"object"` // the object in it
}

// instance returns the history of one instance: ?type=Order&id=o-1.
func (ins *Inspector) instance(r *http.Request) (any, error) {
	q := r.URL.Query()
	ref := es.Ref{Type: q.Get("type"), ID: q.Get("id")}
	if err := es.ValidateRef(ref); err != nil {
		return nil, &httpError{http.StatusBadRequest, err.Error()}
	}
	x := ins.x
	x.mu.RLock()
	ti := x.types[ref.Type]
	info := x.info(ref.Type)
	var archived *archivedJSON
	if ti != nil {
		if in := ti.byID[ref.ID]; in != nil && !in.archived.IsZero() {
			archived = &archivedJSON{Time: in.archived, Bucket: ins.bucket, Object: jsstore.ArchiveObject(ins.stream, ref)}
		}
	}
	x.mu.RUnlock()
	if ti == nil {
		return nil, &httpError{http.StatusNotFound, "the stream holds no " + strconv.Quote(ref.Type)}
	}
	if archived != nil && ins.archiveErr != nil {
		return nil, &httpError{http.StatusNotFound, fmt.Sprintf("%s %q is archived: its events are in the object %s of the archive, which cannot be read: %v",
			ref.Type, ref.ID, archived.Object, ins.archiveErr)}
	}
	var recs []es.Record
	for rec, err := range ins.store.Read(r.Context(), ref, es.Position{}) {
		if err != nil {
			return nil, err
		}
		rec.Data = slices.Clone(rec.Data)
		recs = append(recs, rec)
	}
	if len(recs) == 0 {
		return nil, &httpError{http.StatusNotFound, "the stream holds no " + ref.Type + " " + strconv.Quote(ref.ID)}
	}
	events := make([]eventJSON, len(recs))
	state := info.initial
	for i := range recs {
		rec := &recs[i]
		if info.Process && state == "" {
			// A process described without its machine: its step says
			// where it was.
			var st step
			if json.Unmarshal(rec.Data, &st) == nil {
				state = st.From
			}
		}
		to, ok := info.after(state, rec)
		payload := json.RawMessage(rec.Data)
		if !json.Valid(payload) {
			payload, _ = json.Marshal(string(rec.Data))
		}
		e := eventJSON{
			Version: rec.Version, Sequence: rec.Sequence, EventID: rec.EventID, CommandID: es.CommandIDOf(rec.EventID),
			EventType: rec.EventType, SchemaVersion: rec.SchemaVersion, Time: rec.Time,
			CorrelationID: rec.CorrelationID, CausationID: rec.CausationID, Actor: rec.Actor, Traceparent: rec.Traceparent,
			Payload: payload, From: state, State: to, Odd: !ok,
		}
		if rec.CausationID != e.CommandID {
			if l, ok := x.cause(rec.CorrelationID, linkOf(rec)); ok {
				e.Cause = &l
			} else if l, ok := ins.archivedCause(r.Context(), linkOf(rec)); ok {
				e.Cause = &l
			}
		}
		x.mu.RLock()
		e.Trail = len(x.corr[rec.CorrelationID])
		x.mu.RUnlock()
		events[i] = e
		state = to
	}
	var stateErr string
	if info.States != nil {
		data, err := info.States(r.Context(), recs)
		for i, d := range data {
			if i < len(events) {
				events[i].StateData = d
			}
		}
		if err != nil {
			stateErr = err.Error()
		}
	}
	x.mu.RLock()
	t := ins.typeJSON(ti)
	x.mu.RUnlock()
	return struct {
		Type       typeJSON    `json:"type"`
		ID         string      `json:"id"`
		Initial    string      `json:"initial"`
		Events     []eventJSON `json:"events"`
		StateError string      `json:"state_error,omitempty"`
		// Archived says that the events were read from the archive.
		Archived *archivedJSON `json:"archived,omitempty"`
	}{t, ref.ID, info.initial, events, stateErr, archived}, nil
}

// trailOf returns the records of one business transaction:
// ?correlation=ID.
func (ins *Inspector) trailOf(r *http.Request) (any, error) {
	id := r.URL.Query().Get("correlation")
	recs := ins.x.trail(id)
	if len(recs) == 0 {
		return nil, &httpError{http.StatusNotFound, "the stream holds no record of correlation " + strconv.Quote(id)}
	}
	type record struct {
		link
		// Cause is the record that caused it, when the trail holds it.
		Cause *link `json:"cause,omitempty"`
	}
	out := make([]record, len(recs))
	for i, l := range recs {
		out[i].link = l
		if l.Causation != es.CommandIDOf(l.EventID) {
			if c, ok := ins.x.cause(id, l); ok {
				out[i].Cause = &c
			}
		}
	}
	return struct {
		Correlation string   `json:"correlation_id"`
		Records     []record `json:"records"`
	}{id, out}, nil
}

// diagram serves the SVG of a type: ?type=Order; No Content when the
// type has none.
func (ins *Inspector) diagram(w http.ResponseWriter, r *http.Request) {
	t, ok := ins.x.known[r.URL.Query().Get("type")]
	if !ok || len(t.SVG) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(t.SVG)
}

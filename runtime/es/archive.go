package es

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNoArchive: the store cannot archive (it is not an Archiver, or has
// no archive configured).
var ErrNoArchive = errors.New("es: the store has no archive")

// Archiver is a Store that can move an aggregate's events out of its
// stream into an archive, and still read them: after ArchiveAggregate,
// Read yields the same records as before, from the archive. The JetStream
// store implements it when given an archive (jsstore.WithArchive).
type Archiver interface {
	// ArchiveAggregate archives every event of ref, whose newest is at
	// snap.Position, and leaves snap (the final state) with a tombstone
	// in the stream. It is idempotent: archiving an aggregate archived
	// already, or half archived by a run that stopped, finishes the work
	// and stores nothing twice.
	ArchiveAggregate(ctx context.Context, ref Ref, snap Snapshot) error
}

// Archive archives aggregate id when it has been in a final state for
// the definition's ArchiveAfter at now: its last event, the one that made
// it final, is at least that old. It reports whether the aggregate is
// archived (now, or before). An aggregate that is not final, or not for
// long enough, is left as it is (false, nil). The store must be an
// Archiver (else ErrNoArchive) and the definition must declare a
// retention period and its final states (archive after in the .esm).
func (r *Repository[S, C, E]) Archive(ctx context.Context, id string, now time.Time) (bool, error) {
	ref := Ref{Type: r.def.Type, ID: id}
	if err := ValidateID(id); err != nil {
		return false, err
	}
	a, ok := r.store.(Archiver)
	if !ok {
		return false, fmt.Errorf("archive %s %q: %w", ref.Type, id, ErrNoArchive)
	}
	if r.def.ArchiveAfter <= 0 || r.def.Final == nil {
		return false, fmt.Errorf("archive %s %q: the definition declares no retention period (archive after)", ref.Type, id)
	}
	recs, events, err := history(ctx, r.store, r.def.Events, ref)
	if err != nil {
		return false, fmt.Errorf("archive %s %q: %w", ref.Type, id, err)
	}
	if len(recs) == 0 {
		return false, fmt.Errorf("archive %s %q: %w", ref.Type, id, ErrNotFound)
	}
	state := r.def.Initial()
	for _, e := range events {
		if state, err = r.def.Evolve(state, e); err != nil {
			return false, fmt.Errorf("archive %s %q: %w", ref.Type, id, err)
		}
	}
	last := recs[len(recs)-1]
	if !r.def.Final(state) || now.Sub(last.Time) < r.def.ArchiveAfter {
		return false, nil
	}
	snap := Snapshot{Position: Position{Version: last.Version, Sequence: last.Sequence}}
	if r.def.States != nil {
		if snap.Data, err = r.def.States.EncodeState(state); err != nil {
			return false, fmt.Errorf("archive %s %q: encode the final state: %w", ref.Type, id, err)
		}
		snap.SchemaVersion = r.def.States.StateSchema()
	}
	if err := a.ArchiveAggregate(ctx, ref, snap); err != nil {
		return false, fmt.Errorf("archive %s %q: %w", ref.Type, id, err)
	}
	r.cache.remove(id)
	return true, nil
}

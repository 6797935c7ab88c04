package memstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/esgen/esgen/runtime/es"
)

// LoadSnapshot returns the snapshot of ref, or an error matching
// es.ErrNotFound.
func (s *Store) LoadSnapshot(ctx context.Context, ref es.Ref) (es.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return es.Snapshot{}, err
	}
	if err := es.ValidateRef(ref); err != nil {
		return es.Snapshot{}, fmt.Errorf("load snapshot: %w", err)
	}
	s.mu.Lock()
	snap, ok := s.snapshots[ref]
	s.mu.Unlock()
	if !ok {
		return es.Snapshot{}, fmt.Errorf("snapshot of %s %q: %w", ref.Type, ref.ID, es.ErrNotFound)
	}
	snap.Data = slices.Clone(snap.Data)
	return snap, nil
}

// SaveSnapshot replaces the snapshot of ref.
func (s *Store) SaveSnapshot(ctx context.Context, ref es.Ref, snap es.Snapshot) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := es.ValidateRef(ref); err != nil {
		return fmt.Errorf("save snapshot: %w", err)
	}
	snap.Data = slices.Clone(snap.Data)
	s.mu.Lock()
	s.snapshots[ref] = snap
	s.mu.Unlock()
	return nil
}

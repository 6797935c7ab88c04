package jsstore

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/internal/envelope"
)

// SnapshotStore is the es.SnapshotStore on a JetStream key-value bucket:
// one key per aggregate instance, holding its newest snapshot. It is safe
// for concurrent use.
type SnapshotStore struct {
	kv  jetstream.KeyValue
	cfg config
}

var _ es.SnapshotStore = (*SnapshotStore)(nil)

// NewSnapshotStore returns a snapshot store on the bucket opts name
// (WithSnapshotBucket; by default the stream name followed by "_SNAPSHOTS"),
// creating it or updating its settings unless WithExistingStream is given.
// The bucket keeps one value per key, in files unless WithMemoryStorage,
// with the replicas of WithReplicas.
func NewSnapshotStore(ctx context.Context, js jetstream.JetStream, opts ...Option) (*SnapshotStore, error) {
	cfg := newConfig(opts)
	if err := validateStreamName("bucket", cfg.bucket); err != nil {
		return nil, err
	}
	var (
		kv  jetstream.KeyValue
		err error
	)
	if cfg.manage {
		kv, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      cfg.bucket,
			Description: "esgen snapshots: the newest state of each aggregate instance",
			History:     1,
			Storage:     cfg.storage,
			Replicas:    cfg.replicas,
		})
	} else {
		kv, err = js.KeyValue(ctx, cfg.bucket)
	}
	if err != nil {
		return nil, fmt.Errorf("jsstore: snapshot bucket %s: %w", cfg.bucket, err)
	}
	return &SnapshotStore{kv: kv, cfg: cfg}, nil
}

// Bucket returns the name of the key-value bucket.
func (s *SnapshotStore) Bucket() string { return s.cfg.bucket }

// snapshotKey is the bucket key of ref: "<type>.<id>", each part as it is
// when made only of characters keys allow besides '.' and '=' (letters,
// digits, '-', '_', '/'), else '=' followed by its unpadded base64url
// encoding; the two forms cannot collide.
func snapshotKey(ref es.Ref) string {
	return keyPart(ref.Type) + "." + keyPart(ref.ID)
}

func keyPart(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '/') {
			return "=" + base64.RawURLEncoding.EncodeToString([]byte(s))
		}
	}
	return s
}

// LoadSnapshot returns the snapshot of ref, or an error matching
// es.ErrNotFound.
func (s *SnapshotStore) LoadSnapshot(ctx context.Context, ref es.Ref) (es.Snapshot, error) {
	if err := es.ValidateRef(ref); err != nil {
		return es.Snapshot{}, fmt.Errorf("jsstore: load snapshot: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return es.Snapshot{}, err
	}
	start := time.Now()
	entry, err := s.kv.Get(ctx, snapshotKey(ref))
	s.logSlow(ctx, "load", ref, start)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return es.Snapshot{}, fmt.Errorf("snapshot of %s %q: %w", ref.Type, ref.ID, es.ErrNotFound)
	}
	if err != nil {
		return es.Snapshot{}, fmt.Errorf("jsstore: load snapshot of %s %q: %w", ref.Type, ref.ID, err)
	}
	snap, err := envelope.DecodeSnapshot(entry.Value())
	if err != nil {
		return es.Snapshot{}, fmt.Errorf("jsstore: snapshot of %s %q: %w: %v", ref.Type, ref.ID, es.ErrCorruptEvent, err)
	}
	return snap, nil
}

// SaveSnapshot replaces the snapshot of ref.
func (s *SnapshotStore) SaveSnapshot(ctx context.Context, ref es.Ref, snap es.Snapshot) error {
	if err := es.ValidateRef(ref); err != nil {
		return fmt.Errorf("jsstore: save snapshot: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	b := envelope.AppendSnapshot(make([]byte, 0, envelope.SnapshotSize(snap)), snap)
	start := time.Now()
	_, err := s.kv.Put(ctx, snapshotKey(ref), b)
	s.logSlow(ctx, "save", ref, start)
	if err != nil {
		return fmt.Errorf("jsstore: save snapshot of %s %q: %w", ref.Type, ref.ID, err)
	}
	return nil
}

func (s *SnapshotStore) logSlow(ctx context.Context, op string, ref es.Ref, start time.Time) {
	if d := time.Since(start); d > s.cfg.slowSnap {
		s.cfg.log.LogAttrs(ctx, slog.LevelWarn, "slow snapshot "+op,
			slog.String("aggregate", ref.Type), slog.String("id", ref.ID), slog.Duration("took", d))
	}
}

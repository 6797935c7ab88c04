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
// (WithSnapshotBucket; by default the stream name followed by
// "_SNAPSHOTS"). It creates a missing bucket (unless WithExistingStream is
// given), keeping one value per key, in files unless WithMemoryStorage,
// with the replicas of WithReplicas. It never changes an existing bucket
// unasked: one with fewer replicas than WithReplicas asks for fails with a
// *StreamConfigError, or, with WithUpdateStream, gets them and no other
// change. Any other setting of an existing bucket (history, limits, TTL)
// is used as it is.
func NewSnapshotStore(ctx context.Context, js jetstream.JetStream, opts ...Option) (*SnapshotStore, error) {
	cfg := newConfig(opts)
	if err := validateStreamName("bucket", cfg.bucket); err != nil {
		return nil, err
	}
	kv, err := js.KeyValue(ctx, cfg.bucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) && cfg.create {
		kv, err = js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      cfg.bucket,
			Description: "esgen snapshots: the newest state of each aggregate instance",
			History:     1,
			Storage:     cfg.storage,
			Replicas:    cfg.replicas,
		})
		if err == nil {
			return &SnapshotStore{kv: kv, cfg: cfg}, nil
		}
		if errors.Is(err, jetstream.ErrBucketExists) {
			// Another process made it meanwhile: check it.
			kv, err = js.KeyValue(ctx, cfg.bucket)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("jsstore: snapshot bucket %s: %w", cfg.bucket, err)
	}
	if kv, err = checkBucket(ctx, js, kv, cfg); err != nil {
		return nil, err
	}
	return &SnapshotStore{kv: kv, cfg: cfg}, nil
}

// checkBucket checks that the existing bucket kv has the replicas cfg
// asks for, the one setting of a bucket the store needs, and gives them
// to it with WithUpdateStream. It returns the bucket, opened again when it
// changed.
func checkBucket(ctx context.Context, js jetstream.JetStream, kv jetstream.KeyValue, cfg config) (jetstream.KeyValue, error) {
	name := "KV_" + cfg.bucket
	a := newAdmin(js, cfg.log)
	have, raw, err := a.streamInfo(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("jsstore: snapshot bucket %s: %w", cfg.bucket, err)
	}
	needs := replicasNeed(have, cfg.replicas)
	if len(needs) == 0 {
		return kv, nil
	}
	if !cfg.update {
		return nil, &StreamConfigError{Stream: name, Bucket: cfg.bucket, Diffs: diffs(needs)}
	}
	if have, err = a.updateStream(ctx, name, cfg.bucket, raw, needs); err != nil {
		return nil, fmt.Errorf("jsstore: snapshot bucket %s: %w", cfg.bucket, err)
	}
	if left := replicasNeed(have, cfg.replicas); len(left) > 0 {
		return nil, unchanged("snapshot bucket "+cfg.bucket, left)
	}
	if kv, err = js.KeyValue(ctx, cfg.bucket); err != nil {
		return nil, fmt.Errorf("jsstore: snapshot bucket %s: %w", cfg.bucket, err)
	}
	return kv, nil
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

package memstore_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
	"github.com/esgen/esgen/runtime/storetest"
)

// BenchmarkHandle: es.Repository on the in-memory store handling a
// command on a cached aggregate (the hot path generated code runs on),
// beside a hand-written handler of the same aggregate: a switch, a map
// and encoding/json, no runtime at all.
func BenchmarkHandle(b *testing.B) {
	ctx := context.Background()
	b.Run("repository", func(b *testing.B) {
		repo := es.NewRepository(memstore.New(), storetest.TallyDefinition(0))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := repo.Handle(ctx, "t-1", storetest.Add{N: 1}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hand-written", func(b *testing.B) {
		h := &handTally{states: map[string]*handState{}}
		b.ReportAllocs()
		for b.Loop() {
			if err := h.handle("t-1", 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}

type handState struct {
	total  int64
	events [][]byte
}

type handTally struct {
	mu     sync.Mutex
	states map[string]*handState
}

func (h *handTally) handle(id string, n int64) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.states[id]
	if s == nil {
		s = &handState{}
		h.states[id] = s
	}
	data, err := json.Marshal(struct {
		N int64 `json:"n"`
	}{n})
	if err != nil {
		return err
	}
	s.events = append(s.events, data)
	s.total += n
	return nil
}

package yardstick

import (
	"context"
	"strconv"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/memstore"
)

// TestPayloadEstimates: the codec sizes each workload payload at once,
// from the lengths of its strings and slices: encoding with no buffer
// allocates once, never growing the payload.
func TestPayloadEstimates(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters allocate")
	}
	for _, e := range []OrderEvent{workSubmitted, workValidated, workFulfilled, workNoted} {
		var raw []byte
		n := testing.AllocsPerRun(50, func() {
			r, err := OrderEventCodec{}.Encode(nil, e)
			if err != nil {
				t.Fatal(err)
			}
			raw = r.Data
		})
		if n != 1 {
			t.Errorf("Encode(nil, %T): %v allocations for %d bytes (capacity %d), want 1", e, n, len(raw), cap(raw))
		}
	}
}

// TestMemoryHotCommandAllocations: AddNote on a cached order on the
// in-memory store allocates what the hand-written handler does (four
// times): what Handle needs for the command, with room for the 193-byte
// payload; the command boxed in OrderCommand at the call; NoteAdded boxed
// in OrderEvent; the new Submitted boxed in OrderState. The store's log
// grows in chunks, a fraction of an allocation per command.
func TestMemoryHotCommandAllocations(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters allocate")
	}
	ctx := context.Background()
	repo := newOrderRepository(memstore.New())
	if _, err := repo.Handle(ctx, "hot", workSubmit); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 2000)
	for i := range ids {
		ids[i] = "note-" + strconv.Itoa(i)
	}
	var cmd OrderCommand
	n := testing.AllocsPerRun(1000, func() {
		cmd = workNote
		if _, err := repo.Handle(ctx, "hot", cmd); err != nil {
			t.Fatal(err)
		}
	})
	if n > 4 {
		t.Errorf("Handle(AddNote) in memory: %v allocations, want at most 4", n)
	}
	// A caller-given command id costs no allocation of its own.
	i := 0
	n = testing.AllocsPerRun(1000, func() {
		cmd = workNote
		i++
		if _, err := repo.Handle(ctx, "hot", cmd, es.WithCommandID(ids[i%len(ids)])); err != nil {
			t.Fatal(err)
		}
	})
	if n > 4 {
		t.Errorf("Handle(AddNote, WithCommandID) in memory: %v allocations, want at most 4", n)
	}
}

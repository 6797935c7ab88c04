package svg

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/esgen/esgen/generator/internal/svgcheck"
	"github.com/esgen/esgen/runtime/machine"
)

var door = machine.Machine{
	Name: "Door",
	States: []machine.State{
		{Name: "Closed", Initial: true},
		{Name: "Open"},
		{Name: "Broken", Final: true},
	},
	Transitions: []machine.Transition{
		{From: "Closed", To: "Open", Command: "Push", Events: []string{"Opened"}},
		{From: "Open", To: "Open", Command: "Wave", Events: []string{"Waved"}},
		{From: "Open", To: "Broken", Command: "Kick", Events: []string{"Broke", "AlarmRaised"}},
		{From: "Open", To: "Closed", Command: "Pull"},
	},
}

func TestRenderStructure(t *testing.T) {
	for _, hl := range []string{"", "Open"} {
		doc, err := Render(context.Background(), door.DOT(machine.Options{Highlight: hl}))
		if err != nil {
			t.Fatal(err)
		}
		if err := svgcheck.Check(door, doc); err != nil {
			t.Errorf("highlight %q: %v", hl, err)
		}
		hasFill := bytes.Contains(doc, []byte(`fill="`+machine.HighlightColor+`"`))
		if hasFill != (hl != "") {
			t.Errorf("highlight %q: SVG contains the highlight fill = %v", hl, hasFill)
		}
	}
}

func TestRenderDeterministicAndConcurrent(t *testing.T) {
	dot := door.DOT(machine.Options{})
	want, err := Render(context.Background(), dot)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			got, err := Render(context.Background(), dot)
			if err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(got, want) {
				errs <- errors.New("SVG differs between renders of the same DOT")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestRenderErrors(t *testing.T) {
	_, err := Render(context.Background(), []byte("digraph { a -> "))
	if err == nil || err.Error() != "svg: parse dot: syntax error in line 1 near '-'" && !strings.HasPrefix(err.Error(), "svg: parse dot: syntax error") {
		t.Errorf("bad DOT: err = %v, want a parse error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Render(ctx, door.DOT(machine.Options{})); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v, want context.Canceled", err)
	}
}

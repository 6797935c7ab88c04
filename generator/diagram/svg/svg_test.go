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
		{Name: "Broken", Final: true, Fields: []string{"reason string"}},
	},
	Transitions: []machine.Transition{
		{From: "Closed", To: "Open", Command: "Push", Events: []string{"Opened"}},
		{From: "Open", To: "Open", Command: "Wave", Events: []string{"Waved"}},
		{From: "Open", To: "Broken", Command: "Kick", Events: []string{"Broke", "AlarmRaised"}},
		{From: "Open", To: "Closed", Command: "Pull"},
	},
}

func TestRenderStructure(t *testing.T) {
	for _, opt := range []machine.Options{{}, {Highlight: "Open"}, {Fields: true}} {
		doc, err := Render(context.Background(), door.DOT(opt))
		if err != nil {
			t.Fatal(err)
		}
		if err := svgcheck.Check(door, doc); err != nil {
			t.Errorf("%+v: %v", opt, err)
		}
		hl := opt.Highlight != ""
		if hasFill := bytes.Contains(doc, []byte(`fill="`+machine.HighlightColor+`"`)); hasFill != hl {
			t.Errorf("%+v: SVG contains the highlight fill = %v", opt, hasFill)
		}
		if current := bytes.Contains(doc, []byte(`<g id="state&#45;Open" class="node state current">`)); current != hl {
			t.Errorf("%+v: Open has the class current = %v", opt, current)
		}
		if fields := bytes.Contains(doc, []byte(`>reason string</text>`)); fields != opt.Fields {
			t.Errorf("%+v: SVG shows Broken's field = %v", opt, fields)
		}
	}
}

// TestRenderStyle checks that the stylesheet for dark themes is the first
// child of the root element, and that a document without one is left as
// it is.
func TestRenderStyle(t *testing.T) {
	doc, err := Render(context.Background(), door.DOT(machine.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	want := "xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<style>\n" + machine.SVGStyle + "</style>\n<g id=\"graph0\" class=\"graph esgen\""
	if !bytes.Contains(doc, []byte(want)) {
		t.Errorf("SVG lacks\n%s\nin\n%s", want, doc)
	}
	if got := withStyle([]byte("<html></html>")); string(got) != "<html></html>" {
		t.Errorf("withStyle(no svg) = %s", got)
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

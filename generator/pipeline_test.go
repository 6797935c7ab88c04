package generator

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// declFile is unformatted Go with n documented declarations, enough to be
// cut into several chunks.
func declFile(name string, n int) func() (unformatted, error) {
	return func() (unformatted, error) {
		var b strings.Builder
		b.WriteString("package p\n")
		for i := range n {
			fmt.Fprintf(&b, "// F%d is %s.\nfunc F%d () int {\nreturn %d\n}\n", i, name, i, i)
		}
		return unformatted{name: name, src: []byte(b.String())}, nil
	}
}

func TestRunPipeline(t *testing.T) {
	ctx := context.Background()
	steps := []func() (unformatted, error){declFile("a.go", 3000), declFile("b.go", 2), declFile("c.go", 1500)}
	files, err := runPipeline(ctx, steps)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		raw, _ := steps[i]()
		if f.Name != raw.name {
			t.Errorf("file %d is %s, want %s", i, f.Name, raw.name)
		}
		if n := len(chunks(raw.src, minChunk)); raw.name == "a.go" && n < 2 {
			t.Errorf("a.go in %d chunk, want several", n)
		}
		if want := formatWhole(t, raw.src); string(f.Data) != want {
			t.Errorf("%s differs from gofmt's output", f.Name)
		}
	}

	// The first failing step in order wins, even when a later one fails first.
	errSlow, errFast := errors.New("slow"), errors.New("fast")
	_, err = runPipeline(ctx, []func() (unformatted, error){
		declFile("a.go", 10),
		func() (unformatted, error) { time.Sleep(50 * time.Millisecond); return unformatted{}, errSlow },
		func() (unformatted, error) { return unformatted{}, errFast },
	})
	if !errors.Is(err, errSlow) {
		t.Errorf("err = %v, want the second step's", err)
	}

	// A chunk gofmt rejects fails the run.
	bad := func() (unformatted, error) {
		return unformatted{name: "bad.go", src: []byte("package p\nfunc {\n")}, nil
	}
	if _, err := runPipeline(ctx, []func() (unformatted, error){bad}); err == nil || !strings.HasPrefix(err.Error(), "format bad.go: ") {
		t.Errorf("bad source: err = %v, want a format error naming the file", err)
	}

	// Nothing starts once ctx is done.
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	started := false
	_, err = runPipeline(canceled, []func() (unformatted, error){func() (unformatted, error) { started = true; return unformatted{}, nil }})
	if !errors.Is(err, context.Canceled) || started {
		t.Errorf("canceled: err = %v, started = %v", err, started)
	}
}

func formatWhole(t *testing.T, src []byte) string {
	t.Helper()
	out, err := formatChunk(unformatted{name: "whole", src: src}, chunk{start: 0, end: len(src)})
	if err != nil {
		t.Fatal(err)
	}
	return string(join([][]byte{out}))
}

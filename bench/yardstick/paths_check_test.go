package yardstick

import "testing"

// TestPaths runs every benchmarked path a few times, on small sizes, and
// checks what it stored, so that the benchmarks cannot rot unnoticed.
func TestPaths(t *testing.T) {
	const ops = 3
	tests := []struct {
		name  string
		impls func(t *testing.T) []impl
	}{
		{"HotCommand", func(t *testing.T) []impl { return hotJS(newJSEnv(t)) }},
		{"Lifecycle", func(t *testing.T) []impl { return lifecycleJS(newJSEnv(t)) }},
		{"Replay", func(t *testing.T) []impl { return replayJS(t, newJSEnv(t), 3, 25) }},
		{"MemoryHotCommand", func(*testing.T) []impl { return hotMemory() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, im := range tt.impls(t) {
				p := im.setup(t)
				for range ops {
					if err := p.op(); err != nil {
						t.Fatalf("impl=%s: %v", im.name, err)
					}
				}
				if err := p.check(ops); err != nil {
					t.Errorf("impl=%s: %v", im.name, err)
				}
			}
		})
	}
}

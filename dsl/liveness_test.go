package dsl

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// randomAggregate builds an aggregate model from fuzz bytes: up to 10
// states, some final, and up to 24 branches between them, each of a
// command of its own, so that the machine's graph is arbitrary.
func randomAggregate(data []byte) *Aggregate {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return int(b)
	}
	n := 1 + next()%10
	a := &Aggregate{Name: "Fuzz"}
	finals := next()
	for i := 0; i < n; i++ {
		st := &State{Name: fmt.Sprintf("S%d", i), Final: i > 0 && finals&(1<<(i%8)) != 0 && next()%2 == 0}
		a.States = append(a.States, st)
	}
	a.Initial = a.States[0]
	a.Initial.Initial = true
	ev := &Event{Name: "Moved"}
	a.Events = []*Event{ev}
	m := next() % 25
	for i := 0; i < m; i++ {
		from, to := a.States[next()%n], a.States[next()%n]
		if from.Final {
			continue
		}
		cmd := &Command{Name: fmt.Sprintf("C%d", i)}
		a.Commands = append(a.Commands, cmd)
		a.Transitions = append(a.Transitions, &Transition{Command: cmd, Branches: []*Branch{{From: []*State{from}, To: to, Emits: []*Event{ev}}}})
	}
	return a
}

// bruteTraps computes, by closing a reachability matrix, the states that a
// trap must hold: non-final states the initial state reaches that reach no
// final state, and that every state they reach reaches back, on a cycle;
// and the distance of each state from the initial one.
func bruteTraps(a *Aggregate) (inTrap map[*State]bool, dist map[*State]int) {
	n := len(a.States)
	idx := map[*State]int{}
	for i, st := range a.States {
		idx[st] = i
	}
	step := make([][]bool, n) // one edge
	for i := range step {
		step[i] = make([]bool, n)
	}
	for _, t := range a.Transitions {
		for _, br := range t.Branches {
			for _, f := range br.From {
				step[idx[f]][idx[br.To]] = true
			}
		}
	}
	reach := make([][]bool, n) // one or more edges
	for i := range reach {
		reach[i] = slices.Clone(step[i])
	}
	for k := 0; k < n; k++ {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				reach[i][j] = reach[i][j] || reach[i][k] && reach[k][j]
			}
		}
	}
	reachable := func(i, j int) bool { return i == j || reach[i][j] }
	inTrap = map[*State]bool{}
	for u := 0; u < n; u++ {
		if a.States[u].Final || !reachable(0, u) {
			continue
		}
		ends := false
		for v := 0; v < n; v++ {
			ends = ends || a.States[v].Final && reachable(u, v)
		}
		if ends || !reach[u][u] {
			continue
		}
		bottom := true
		for v := 0; v < n; v++ {
			if reach[u][v] && !reach[v][u] {
				bottom = false
			}
		}
		inTrap[a.States[u]] = bottom
		if !bottom {
			delete(inTrap, a.States[u])
		}
	}
	// Distances by repeated relaxation.
	dist = map[*State]int{a.Initial: 0}
	for changed := true; changed; {
		changed = false
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				d, ok := dist[a.States[i]]
				if !ok || !step[i][j] {
					continue
				}
				if e, ok := dist[a.States[j]]; !ok || d+1 < e {
					dist[a.States[j]] = d + 1
					changed = true
				}
			}
		}
	}
	return inTrap, dist
}

// checkTraps compares the traps of a with the brute-force search, and
// checks each counterexample: a run of real transitions from the initial
// state, as short as can be to the trap, then a cycle inside it.
func checkTraps(t *testing.T, a *Aggregate) {
	t.Helper()
	traps := aggregateGraph(a).traps()
	want, dist := bruteTraps(a)
	got := map[*State]bool{}
	for _, tr := range traps {
		for _, st := range tr.states {
			if got[st] {
				t.Fatalf("state %s in two traps", st.Name)
			}
			got[st] = true
		}
		// The run: transitions that exist, chained from the initial state.
		at := a.Initial.Name
		for i, s := range tr.trace.Steps {
			if s.AggFrom != at {
				t.Fatalf("step %d starts in %s, the run is in %s: %v", i, s.AggFrom, at, tr.trace)
			}
			if !hasBranch(a, s.Command, s.AggFrom, s.AggTo) {
				t.Fatalf("step %d: no branch %s: %s -> %s", i, s.Command, s.AggFrom, s.AggTo)
			}
			at = s.AggTo
		}
		loop := tr.trace.Loop
		entry := a.Initial.Name
		if loop > 0 {
			entry = tr.trace.Steps[loop-1].AggTo
		}
		if at != entry || loop >= len(tr.trace.Steps) {
			t.Fatalf("the cycle does not come back to %s: %v", entry, tr.trace)
		}
		best := -1
		for _, st := range tr.states {
			if best < 0 || dist[st] < best {
				best = dist[st]
			}
		}
		if loop != best {
			t.Fatalf("run into the trap has %d steps, the shortest %d: %v", loop, best, tr.trace)
		}
		for _, s := range tr.trace.Steps[loop:] {
			if !slices.ContainsFunc(tr.states, func(st *State) bool { return st.Name == s.AggTo }) {
				t.Fatalf("the cycle leaves the trap: %v", tr.trace)
			}
		}
	}
	for st := range want {
		if !got[st] {
			t.Errorf("state %s is in a trap, not reported", st.Name)
		}
	}
	for st := range got {
		if !want[st] {
			t.Errorf("state %s reported in a trap, it is not", st.Name)
		}
	}
}

func hasBranch(a *Aggregate, cmd, from, to string) bool {
	for _, t := range a.Transitions {
		for _, br := range t.Branches {
			if t.Command.Name == cmd && br.To.Name == to && slices.ContainsFunc(br.From, func(s *State) bool { return s.Name == from }) {
				return true
			}
		}
	}
	return false
}

// FuzzLiveness generates random machines and checks the traps the
// analysis finds, and their counterexamples, against a brute-force search.
func FuzzLiveness(f *testing.F) {
	f.Add([]byte{4, 0xff, 1, 6, 0, 1, 1, 2, 2, 1, 0, 3})
	f.Add([]byte{9, 0x0f, 0, 1, 1, 20, 1, 2, 2, 3, 3, 1, 4, 5, 5, 4, 0, 4, 3, 6, 6, 7, 7, 6, 8, 8, 0, 8})
	f.Add([]byte{1, 0, 0, 3, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkTraps(t, randomAggregate(data))
	})
}

// TestLivenessAgainstBruteForce runs the fuzz property on machines of a
// fixed pseudo-random sequence, so that go test covers it without -fuzz.
func TestLivenessAgainstBruteForce(t *testing.T) {
	seed := uint32(2463534242)
	for i := 0; i < 3000; i++ {
		data := make([]byte, 64)
		for j := range data {
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			data[j] = byte(seed)
		}
		checkTraps(t, randomAggregate(data))
		if t.Failed() {
			t.Fatalf("machine %d: %x", i, data)
		}
	}
}

// bigMachine returns an aggregate of states states and transitions
// transitions, each of a command and an event of its own: a chain through every state to a
// final one from S0, and the other transitions at pseudo-random: from the
// first half anywhere, from the second half inside it, so that the second
// half is a trap.
func bigMachine(states, transitions int) string {
	var b strings.Builder
	b.WriteString("package big\n\naggregate Big {\n")
	for i := 0; i < states; i++ {
		flag := ""
		switch i {
		case 0:
			flag = " initial"
		case states - 1:
			flag = " final"
		}
		fmt.Fprintf(&b, "    state S%d%s\n", i, flag)
	}
	for i := 0; i < transitions; i++ {
		fmt.Fprintf(&b, "    command C%d\n    event Moved%d\n", i, i)
	}
	seed := uint32(88172645)
	rnd := func(n int) int {
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		return int(seed % uint32(n))
	}
	half := states / 2
	for i := 0; i < transitions; i++ {
		var from, to int
		switch {
		case i < states-1: // the chain; the final state only from S0
			from, to = i, i+1
			if i == states-2 {
				from = 0
			}
		case i%2 == 0: // inside the first half: leads on
			from, to = rnd(half), rnd(states-1)
		default: // inside the second half: stays there
			from, to = half+rnd(half-1), half+rnd(half-1)
		}
		if from == states-1 {
			from = 0
		}
		fmt.Fprintf(&b, "    on C%d: S%d -> S%d emits Moved%d\n", i, from, to, i)
	}
	b.WriteString("}\n")
	return b.String()
}

// TestLivenessBigMachine checks that esgen check analyses a machine of
// 1,000 states and 5,000 transitions in less than a second: Check, every
// check of the file with the liveness analysis, on the parsed file. The
// time is the fastest of three runs, so that a loaded machine does not
// fail it.
func TestLivenessBigMachine(t *testing.T) {
	f, ds := Parse("big.esm", []byte(bigMachine(1000, 5000)))
	if ds.HasErrors() {
		t.Fatal(ds[:min(len(ds), 3)])
	}
	best := time.Duration(1<<63 - 1)
	for range 3 {
		start := time.Now()
		_, ds = Check(f)
		best = min(best, time.Since(start))
	}
	if !slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Code == codeCycleNeverEnds }) {
		t.Fatalf("no E045 in the big machine; %d diagnostics, the first %v", len(ds), ds[:min(len(ds), 3)])
	}
	if best > time.Second {
		t.Errorf("Check of 1,000 states and 5,000 transitions took %v, want < 1 s", best)
	}
	t.Logf("Check of 1,000 states and 5,000 transitions: %v", best)
}

// BenchmarkLiveness measures the liveness analysis alone on the machine
// of TestLivenessBigMachine (go test ./dsl -run - -bench Liveness).
func BenchmarkLiveness(b *testing.B) {
	m, ds := Load("big.esm", []byte(strings.Replace(bigMachine(1000, 5000), "aggregate Big {", "aggregate Big {\n    lives forever", 1)))
	if m == nil {
		b.Fatal(ds)
	}
	a := m.Aggregates[0]
	b.ResetTimer()
	for b.Loop() {
		aggregateGraph(a).traps()
	}
}

// BenchmarkLoadBigMachine measures the whole Load of that machine.
func BenchmarkLoadBigMachine(b *testing.B) {
	src := []byte(bigMachine(1000, 5000))
	for b.Loop() {
		Load("big.esm", src)
	}
}

// BenchmarkCheckBigMachine measures Check, every check with the liveness
// analysis, of that machine once parsed: what TestLivenessBigMachine
// bounds.
func BenchmarkCheckBigMachine(b *testing.B) {
	f, ds := Parse("big.esm", []byte(bigMachine(1000, 5000)))
	if ds.HasErrors() {
		b.Fatal(ds[:1])
	}
	for b.Loop() {
		Check(f)
	}
}

package dsl

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"
)

// randomProcessESM writes, from fuzz bytes, a file of an aggregate Doc
// that a process Flow follows by id, an aggregate Bell it correlates by a
// field, and the process: random states, branches emitting one or two
// events, reactions sending Doc's commands, refusals reacted to, a timer.
// Chains through the states keep most files free of errors (every state
// reached, none a dead end, the process able to end), so that the
// analysis runs on them.
func randomProcessESM(data []byte) string {
	next := func(n int) int {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return int(b) % n
	}
	var b strings.Builder
	b.WriteString("package fz\n\naggregate Doc {\n    lives forever\n")
	na := 2 + next(4)
	for i := 0; i < na; i++ {
		flag := ""
		switch {
		case i == 0:
			flag = " initial"
		case i == na-1 && next(2) == 0:
			flag = " final"
		}
		fmt.Fprintf(&b, "    state A%d%s\n", i, flag)
	}
	finalA := strings.Contains(b.String(), fmt.Sprintf("A%d final", na-1))
	ne := 2 + next(3)
	for i := 0; i < ne; i++ {
		fmt.Fprintf(&b, "    event E%dDone\n", i)
	}
	nc := na - 1 + next(4)
	if !finalA {
		nc = max(nc, na)
	}
	for i := 0; i < nc; i++ {
		fmt.Fprintf(&b, "    command C%d\n", i)
	}
	for i := 0; i < nc; i++ {
		from, to := i, i+1 // the chain
		if i >= na-1 {
			from, to = next(na), next(na)
			if finalA && from == na-1 {
				from = 0
			}
			if i == na-1 && !finalA {
				from = na - 1
			}
		}
		e1 := next(ne)
		emits := fmt.Sprintf("E%dDone", e1)
		if next(3) == 0 {
			if e2 := next(ne); e2 != e1 {
				emits += fmt.Sprintf(", E%dDone", e2)
			}
		}
		fmt.Fprintf(&b, "    on C%d: A%d -> A%d emits %s\n", i, from, to, emits)
	}
	b.WriteString("}\n\naggregate Bell {\n    lives forever\n    state Ready initial\n    command Ring\n    event BellRang { ref string }\n    on Ring: Ready -> Ready emits BellRang\n}\n\n")
	b.WriteString("process Flow {\n    correlate Doc by id\n    correlate Bell by ref\n")
	np := 2 + next(4)
	for i := 0; i < np; i++ {
		flag := ""
		switch {
		case i == 0:
			flag = " initial"
		case i == np-1:
			flag = " final"
		}
		fmt.Fprintf(&b, "    state Q%d%s\n", i, flag)
	}
	// The inputs: Doc's events, Bell's, the timer; each with branches by
	// target, each branch from a set of sources, sending a command or not.
	type branch struct {
		from  map[int]bool
		sends string
	}
	inputs := make([]map[int]*branch, ne+2) // ne: BellRang, ne+1: Tick
	timerState := next(np - 1)
	add := func(in, from, to int) {
		if in == ne+1 {
			from = timerState
		}
		if inputs[in] == nil {
			inputs[in] = map[int]*branch{}
		}
		br := inputs[in][to]
		if br == nil {
			br = &branch{from: map[int]bool{}}
			if next(2) == 0 {
				br.sends = fmt.Sprintf(" sends Doc.C%d", next(nc))
			}
			inputs[in][to] = br
		}
		br.from[from] = true
	}
	for i := 0; i < np-1; i++ { // the chain
		in := next(ne + 2)
		if in == ne+1 && i != timerState {
			in = next(ne + 1)
		}
		add(in, i, i+1)
	}
	for k := next(5); k > 0; k-- {
		add(next(ne+2), next(np-1), next(np))
	}
	var sent []string
	for in, brs := range inputs {
		if brs == nil {
			continue
		}
		switch {
		case in < ne:
			fmt.Fprintf(&b, "    on Doc.E%dDone: ", in)
		case in == ne:
			b.WriteString("    on Bell.BellRang: ")
		default:
			fmt.Fprintf(&b, "    after 1h in Q%d as Tick: ", timerState)
		}
		for j, to := range slices.Sorted(maps.Keys(brs)) {
			br := brs[to]
			if j > 0 {
				b.WriteString("\n        | ")
			}
			var from []string
			for _, f := range slices.Sorted(maps.Keys(br.from)) {
				from = append(from, fmt.Sprintf("Q%d", f))
			}
			fmt.Fprintf(&b, "%s -> Q%d%s", strings.Join(from, ", "), to, br.sends)
			if br.sends != "" {
				sent = append(sent, strings.TrimPrefix(br.sends, " sends Doc."))
			}
		}
		b.WriteString("\n")
	}
	slices.Sort(sent)
	for _, c := range slices.Compact(sent) {
		if next(2) == 0 {
			fmt.Fprintf(&b, "    on rejected Doc.%s: Q%d -> Q%d\n", c, next(np-1), next(np))
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// bruteFront is a followed aggregate's frontier as the brute force keeps
// it: its state and the events of the branch taken still to deliver.
type bruteFront struct {
	state   *State
	pending []*Event
}

// bruteState is one state of the brute-force search.
type bruteState struct {
	proc    *State
	front   bruteFront
	armed   []*Input
	created bool
	frozen  bool
}

func (s bruteState) key() string {
	var names []string
	for _, in := range s.armed {
		names = append(names, in.Name)
	}
	sort.Strings(names)
	var pend []string
	for _, e := range s.front.pending {
		pend = append(pend, e.Name)
	}
	return fmt.Sprint(s.proc.Name, s.front.state.Name, pend, names, s.created, s.frozen)
}

// brute is a plain re-implementation of the protocol model, by
// breadth-first search over explicit states: what the analysis computes
// with its automata, bitsets and closures, computed again the simple way.
type brute struct {
	p      *Process
	doc    *Aggregate
	under  bool
	taken  map[string]bool // "input|branch|from"
	armed  map[string]bool
	sent   map[string]bool // "input|branch|i": a send made
	sentOK map[string]bool // ... where Doc could accept it
	reach  map[string]bool // process states reached
	stuck  map[string]bool // process states stuck in (under)
}

// docReach returns the states of Doc that s and its pending events lead
// to, s's own included.
func (bf *brute) docReach(f bruteFront) []*State {
	seen := map[*State]bool{f.state: true}
	queue := []*State{f.state}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		for _, t := range bf.doc.Transitions {
			for _, br := range t.Branches {
				if slices.Contains(br.From, st) && len(br.Emits) > 0 && !seen[br.To] {
					seen[br.To] = true
					queue = append(queue, br.To)
				}
			}
		}
	}
	var out []*State
	for st := range seen {
		out = append(out, st)
	}
	return out
}

// docFuture returns the events Doc can still deliver from f.
func (bf *brute) docFuture(f bruteFront) map[*Event]bool {
	out := map[*Event]bool{}
	for _, e := range f.pending {
		out[e] = true
	}
	for _, st := range bf.docReach(f) {
		for _, t := range bf.doc.Transitions {
			for _, br := range t.Branches {
				if slices.Contains(br.From, st) {
					for _, e := range br.Emits {
						out[e] = true
					}
				}
			}
		}
	}
	return out
}

func (bf *brute) accepts(f bruteFront, cmd *Command) bool {
	for _, st := range bf.docReach(f) {
		for _, t := range bf.doc.Transitions {
			for _, br := range t.Branches {
				if t.Command == cmd && slices.Contains(br.From, st) {
					return true
				}
			}
		}
	}
	return false
}

func (bf *brute) run() {
	start := bruteState{proc: bf.p.Initial, front: bruteFront{state: bf.doc.Initial}}
	seen := map[string]bool{start.key(): true}
	queue := []bruteState{start}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		bf.reach[s.proc.Name] = true
		if bf.under && bf.isStuck(s) {
			bf.stuck[s.proc.Name] = true
		}
		for _, n := range bf.moves(s) {
			if k := n.key(); !seen[k] {
				seen[k] = true
				queue = append(queue, n)
			}
		}
	}
}

func (bf *brute) isStuck(s bruteState) bool {
	if !s.created || s.proc.Final || len(s.armed) > 0 {
		return false
	}
	future := bf.docFuture(s.front)
	for _, r := range bf.p.Reactions {
		if r.Input.Kind != InputEvent {
			continue
		}
		for _, br := range r.Branches {
			if !slices.Contains(br.From, s.proc) {
				continue
			}
			if r.Input.Aggregate != bf.doc || future[r.Input.Event] {
				return false
			}
		}
	}
	return true
}

func (bf *brute) moves(s bruteState) []bruteState {
	var out []bruteState
	deliver := func(e *Event, f bruteFront) {
		ns := s
		ns.front = f
		fired := false
		for _, r := range bf.p.Reactions {
			if r.Input.Kind == InputEvent && r.Input.Event == e {
				for bi, br := range r.Branches {
					if slices.Contains(br.From, s.proc) {
						fired = true
						out = append(out, bf.step(ns, r, bi, nil)...)
					}
				}
			}
		}
		if !fired {
			out = append(out, ns)
		}
	}
	if !(bf.under && s.frozen) {
		if len(s.front.pending) > 0 {
			deliver(s.front.pending[0], bruteFront{s.front.state, s.front.pending[1:]})
		} else {
			for _, t := range bf.doc.Transitions {
				for _, br := range t.Branches {
					if slices.Contains(br.From, s.front.state) && len(br.Emits) > 0 {
						deliver(br.Emits[0], bruteFront{br.To, br.Emits[1:]})
					}
				}
			}
		}
	}
	for _, r := range bf.p.Reactions {
		in := r.Input
		ok := in.Kind == InputEvent && in.Aggregate != bf.doc || in.Kind == InputTimer && slices.Contains(s.armed, in)
		if !ok {
			continue
		}
		for bi, br := range r.Branches {
			if slices.Contains(br.From, s.proc) {
				out = append(out, bf.step(s, r, bi, in)...)
			}
		}
	}
	return out
}

// step takes branch bi of r, fired is the timer that fired, if one.
func (bf *brute) step(s bruteState, r *Reaction, bi int, fired *Input) []bruteState {
	br := r.Branches[bi]
	bf.taken[fmt.Sprint(r.Input.Name, "|", bi, "|", s.proc.Name)] = true
	ns := bf.enter(s, br.To)
	if fired != nil && br.To == s.proc {
		ns.armed = slices.DeleteFunc(slices.Clone(ns.armed), func(in *Input) bool { return in == fired })
	}
	return bf.sends(ns, r, bi, 0, 0)
}

func (bf *brute) enter(s bruteState, to *State) bruteState {
	ns := s
	if to != s.proc {
		ns.armed = nil
		for _, in := range bf.p.Inputs {
			if in.Kind == InputTimer && in.State == to {
				ns.armed = append(ns.armed, in)
				bf.armed[in.Name] = true
			}
		}
	}
	ns.proc, ns.created = to, true
	return ns
}

func (bf *brute) sends(s bruteState, r *Reaction, bi, i, depth int) []bruteState {
	br := r.Branches[bi]
	if i == len(br.Sends) {
		return []bruteState{s}
	}
	snd := br.Sends[i]
	can := bf.accepts(s.front, snd.Command)
	if !bf.under {
		k := fmt.Sprint(r.Input.Name, "|", bi, "|", i)
		bf.sent[k] = true
		bf.sentOK[k] = bf.sentOK[k] || can
	}
	var out []bruteState
	reacted := false
	if depth < maxRefusalDepth {
		for _, rr := range bf.p.Reactions {
			if rr.Input.Kind != InputRejection || rr.Input.Command != snd.Command {
				continue
			}
			for rbi, rb := range rr.Branches {
				if !slices.Contains(rb.From, s.proc) {
					continue
				}
				reacted = true
				bf.taken[fmt.Sprint(rr.Input.Name, "|", rbi, "|", s.proc.Name)] = true
				for _, m := range bf.sends(bf.enter(s, rb.To), rr, rbi, 0, depth+1) {
					out = append(out, bf.sends(m, r, bi, i+1, depth)...)
				}
			}
		}
	}
	switch {
	case !reacted:
		out = append(out, bf.sends(s, r, bi, i+1, depth)...)
	case !can || bf.under && s.frozen:
	case bf.under:
		ns := s
		ns.frozen = true
		out = append(out, bf.sends(ns, r, bi, i+1, depth)...)
	default:
		out = append(out, bf.sends(s, r, bi, i+1, depth)...)
	}
	return out
}

// checkProtocol compares the analysis's findings on src with what the
// brute force finds; false when src is not a file the analysis runs on.
func checkProtocol(t *testing.T, src string) bool {
	t.Helper()
	m, ds := Load("fz.esm", []byte(src))
	if m == nil || len(m.Processes) != 1 {
		return false
	}
	p := m.Processes[0]
	var doc *Aggregate
	for _, a := range m.Aggregates {
		if a.Name == "Doc" {
			doc = a
		}
	}
	run := func(under bool) *brute {
		bf := &brute{p: p, doc: doc, under: under, taken: map[string]bool{}, armed: map[string]bool{},
			sent: map[string]bool{}, sentOK: map[string]bool{}, reach: map[string]bool{}, stuck: map[string]bool{}}
		bf.run()
		return bf
	}
	over, under := run(false), run(true)
	want := map[string]bool{}
	for name := range under.stuck {
		want["E046 "+name] = true
	}
	for _, r := range p.Reactions {
		for bi, br := range r.Branches {
			if r.Input.Kind == InputEvent && r.Input.Aggregate == doc {
				for _, from := range br.From {
					if over.reach[from.Name] && !over.taken[fmt.Sprint(r.Input.Name, "|", bi, "|", from.Name)] {
						want[fmt.Sprintf("W015 %s %d %s", r.Input.Name, bi, from.Name)] = true
					}
				}
			}
			for i := range br.Sends {
				k := fmt.Sprint(r.Input.Name, "|", bi, "|", i)
				if over.sent[k] && !over.sentOK[k] {
					want[fmt.Sprintf("E047 %s %d %d", r.Input.Name, bi, i)] = true
				}
			}
		}
		if r.Input.Kind == InputTimer && !over.armed[r.Input.Name] {
			want["W016 "+r.Input.Name] = true
		}
	}
	got := map[string]bool{}
	for _, d := range ds {
		switch d.Code {
		case codeWaitsForever:
			state := d.Message[strings.Index(d.Message, "in state ")+len("in state "):]
			state = state[:strings.IndexByte(state, ':')]
			got["E046 "+state] = true
			last := d.Trace.Steps[len(d.Trace.Steps)-1]
			if at := cmpOr(last.To, last.From); at != state {
				t.Errorf("the run of %v ends in %s", d, at)
			}
		case codeNeverArrives, codeAlwaysRefused:
			for _, r := range p.Reactions {
				for bi, br := range r.Branches {
					if d.Code == codeNeverArrives && r.Input.Pos == d.Pos {
						for _, from := range br.From {
							if strings.HasPrefix(d.Message, "in state "+from.Name+",") {
								got[fmt.Sprintf("W015 %s %d %s", r.Input.Name, bi, from.Name)] = true
							}
						}
					}
					for i, snd := range br.Sends {
						if d.Code == codeAlwaysRefused && snd.Pos == d.Pos {
							got[fmt.Sprintf("E047 %s %d %d", r.Input.Name, bi, i)] = true
						}
					}
				}
			}
		case codeTimerNeverFires:
			got["W016 Tick"] = true
		}
	}
	// A W015 is reported once per (reaction, state), for every branch
	// from that state: compare per (reaction, state).
	norm := func(m map[string]bool) []string {
		var out []string
		for k := range m {
			f := strings.Fields(k)
			if f[0] == "W015" {
				k = f[0] + " " + f[1] + " " + f[3]
			}
			out = append(out, k)
		}
		sort.Strings(out)
		return slices.Compact(out)
	}
	if g, w := norm(got), norm(want); !slices.Equal(g, w) {
		t.Errorf("analysis %v, brute force %v\n%s", g, w, src)
	}
	return true
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// FuzzProtocol generates random processes and aggregates and checks the
// protocol analysis against a brute-force search of the same model.
func FuzzProtocol(f *testing.F) {
	f.Add([]byte{3, 1, 2, 2, 3, 0, 1, 0, 2, 1, 0, 4, 1, 0, 1, 1, 2, 1, 0, 1, 1, 3, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkProtocol(t, randomProcessESM(data))
	})
}

// TestProtocolAgainstBruteForce runs the fuzz property on a fixed
// pseudo-random sequence of files, and requires that enough of them are
// analysed and have findings.
func TestProtocolAgainstBruteForce(t *testing.T) {
	seed := uint32(362436069)
	analysed, findings := 0, 0
	for i := 0; i < 1500 && !t.Failed(); i++ {
		data := make([]byte, 80)
		for j := range data {
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			data[j] = byte(seed)
		}
		src := randomProcessESM(data)
		if checkProtocol(t, src) {
			analysed++
			_, ds := Load("fz.esm", []byte(src))
			if slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Trace != nil }) {
				findings++
			}
		}
	}
	t.Logf("%d files analysed, %d with findings", analysed, findings)
	if analysed < 300 || findings < 100 {
		t.Errorf("only %d files analysed, %d with findings: the generator makes too few valid files", analysed, findings)
	}
}

package generator

import (
	"fmt"
	"slices"
	"strings"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
)

// This file derives from the model what the emitters need and the model
// does not say directly: the decision of each command (its transitions
// merged), the Evolve table with the source of every target field, and the
// upcast chain of every event. Everything is in declaration order, so the
// output is deterministic.

// aggPlan is everything generated for one aggregate.
type aggPlan struct {
	a    *dsl.Aggregate
	name string // Exported aggregate name, e.g. "Order"

	decisions  []*decision   // commands with at least one transition, by first transition
	evolutions []*evolution  // (from, event) pairs, by state then first appearance
	upcasts    []*eventChain // every event, in declaration order

	needEvolver  bool
	needUpcaster bool

	// stateIndex is the position of each state in a.States.
	stateIndex map[*dsl.State]int
	// accepts lists, for each state, the decisions accepting a command in
	// it, in decision order.
	accepts map[*dsl.State][]*decision
}

// decision is the business decision of one command: every branch of every
// `on` clause of the command, branches with the same target and events
// merged.
type decision struct {
	cmd      *dsl.Command
	doc      string       // the transitions' doc comments, joined
	sources  []*dsl.State // the union of the branches' sources, in state order
	branches []*branch
	method   string // decider method name
}

// srcType is the Go type of the state parameter of the decider method.
func (d *decision) srcType() string {
	if len(d.sources) == 1 {
		return goname.Exported(d.sources[0].Name)
	}
	return goname.Sources(d.cmd.Name)
}

// result says what the decider method returns besides the error.
type resultKind int

const (
	resultNone    resultKind = iota // no event: the method returns only an error
	resultEvent                     // one event: the event type
	resultEmitted                   // several events in one branch: <Cmd>Emitted
	resultOutcome                   // several branches: <Cmd>Outcome
)

func (d *decision) result() resultKind {
	switch {
	case len(d.branches) > 1:
		return resultOutcome
	case len(d.branches[0].emits) == 0:
		return resultNone
	case len(d.branches[0].emits) == 1:
		return resultEvent
	}
	return resultEmitted
}

// branch is one alternative of a decision.
type branch struct {
	from     []*dsl.State
	to       *dsl.State
	emits    []*dsl.Event
	fields   []string // field names of the events in the result struct
	typeName string   // the Outcome branch type (several branches only)
	// outcome are the fields of <Cmd>Outcome holding the events (several
	// branches only), as outcomeFields names them.
	outcome []string
	// guarded is set when the branch starts in fewer states than the
	// decision accepts: Decide checks the current state is one of from.
	guarded bool
}

// evolution is one entry of the Evolve table: the model's entry, and the
// name of its Evolver method when user code computes the new state.
type evolution struct {
	*dsl.Evolution
	// hook is the Evolver method computing the new state, or "" when the
	// new state is generated from fields.
	hook string
}

// eventChain is the upcast chain of one event.
type eventChain struct {
	event *dsl.Event
	steps []*upcastStep // steps[i] upcasts version i+1 to version i+2
}

// upcastStep turns version from into version from+1.
type upcastStep struct {
	from, to *dsl.EventVersion
	// hook is the Upcaster method, or "" when the step is generated.
	hook string
	// fields of to: each from the old version, from its default, or zero.
	fields []upcastField
}

type upcastField struct {
	field *dsl.Field
	old   *dsl.Field // the same field in the old version, or nil
}

func planAggregate(a *dsl.Aggregate) (*aggPlan, error) {
	p := &aggPlan{a: a, name: goname.Exported(a.Name), stateIndex: make(map[*dsl.State]int, len(a.States))}
	for i, s := range a.States {
		p.stateIndex[s] = i
	}
	if !a.Eventual {
		p.planDecisions()
		if err := p.planEvolutions(); err != nil {
			return nil, err
		}
	}
	p.planUpcasts()
	return p, nil
}

func (p *aggPlan) planDecisions() {
	byCmd := map[*dsl.Command]*decision{}
	// branchKey identifies the branches of one decision that merge: the
	// same target and events.
	type branchKey struct {
		to     *dsl.State
		events string
	}
	merged := map[*decision]map[branchKey]*branch{}
	for _, t := range p.a.Transitions {
		d := byCmd[t.Command]
		if d == nil {
			d = &decision{cmd: t.Command, method: goname.Exported(t.Command.Name)}
			byCmd[t.Command] = d
			merged[d] = map[branchKey]*branch{}
			p.decisions = append(p.decisions, d)
		}
		if t.Doc != "" {
			d.doc = joinDoc(d.doc, t.Doc)
		}
		for _, br := range t.Branches {
			k := branchKey{to: br.To, events: eventKey(br.Emits)}
			if have := merged[d][k]; have != nil {
				have.from = append(have.from, br.From...)
				continue
			}
			b := &branch{from: slices.Clone(br.From), to: br.To, emits: br.Emits}
			merged[d][k] = b
			d.branches = append(d.branches, b)
		}
	}
	p.accepts = map[*dsl.State][]*decision{}
	for _, d := range p.decisions {
		for _, b := range d.branches {
			b.from = p.stateOrder(b.from)
			d.sources = append(d.sources, b.from...)
		}
		d.sources = p.stateOrder(d.sources)
		for _, s := range d.sources {
			p.accepts[s] = append(p.accepts[s], d)
		}
		sharedTarget := false
		targets := map[*dsl.State]bool{}
		for _, b := range d.branches {
			b.guarded = len(d.branches) > 1 && len(b.from) < len(d.sources)
			b.fields = eventFields(b.emits)
			if targets[b.to] {
				sharedTarget = true
			}
			targets[b.to] = true
		}
		if len(d.branches) > 1 {
			for _, b := range d.branches {
				if sharedTarget {
					names := make([]string, len(b.emits))
					for i, e := range b.emits {
						names[i] = e.Name
					}
					b.typeName = goname.BranchWithEvents(d.cmd.Name, b.to.Name, names)
				} else {
					b.typeName = goname.Branch(d.cmd.Name, b.to.Name)
				}
			}
			outcomeFields(d)
		}
	}
}

// eventKey identifies a sequence of events by their names, which are
// unique in an aggregate.
func eventKey(events []*dsl.Event) string {
	var b strings.Builder
	for _, e := range events {
		b.WriteString(e.Name)
		b.WriteByte(0)
	}
	return b.String()
}

// stateOrder sorts states in declaration order, each once.
func (p *aggPlan) stateOrder(states []*dsl.State) []*dsl.State {
	slices.SortFunc(states, func(a, b *dsl.State) int { return p.stateIndex[a] - p.stateIndex[b] })
	return slices.Compact(states)
}

// eventFields names the fields holding a branch's events: the event's
// name, numbered when the branch emits the same event more than once.
func eventFields(events []*dsl.Event) []string {
	count := map[*dsl.Event]int{}
	for _, e := range events {
		count[e]++
	}
	seen := map[*dsl.Event]int{}
	names := make([]string, len(events))
	for i, e := range events {
		names[i] = goname.Exported(e.Name)
		if count[e] > 1 {
			seen[e]++
			names[i] += fmt.Sprint(seen[e])
		}
	}
	return names
}

// planEvolutions lists the Evolve table by source state and names the
// Evolver method of every entry whose new state user code computes (the
// model decides which, see dsl.Evolution).
func (p *aggPlan) planEvolutions() error {
	hooks := map[string]*evolution{}
	for _, s := range p.a.States {
		for _, ev := range p.a.Evolutions {
			if ev.From != s {
				continue
			}
			e := &evolution{Evolution: ev}
			p.evolutions = append(p.evolutions, e)
			if !ev.Hook {
				continue
			}
			e.hook = goname.EvolveHook(ev.From.Name, ev.Event.Name)
			if o := hooks[e.hook]; o != nil {
				return fmt.Errorf("%s: the Evolve hooks of %s in %s and of %s in %s would both be named %s",
					pos(p.a.Pos), o.Event.Name, o.From.Name, ev.Event.Name, ev.From.Name, e.hook)
			}
			hooks[e.hook] = e
			p.needEvolver = true
		}
	}
	return nil
}

// findField returns the field of fields with f's name and type, or nil.
func findField(fields []*dsl.Field, f *dsl.Field) *dsl.Field {
	for _, g := range fields {
		if g.Name == f.Name && g.Type.String() == f.Type.String() {
			return g
		}
	}
	return nil
}

func (p *aggPlan) planUpcasts() {
	for _, ev := range p.a.Events {
		c := &eventChain{event: ev}
		for i := 0; i+1 < len(ev.Versions); i++ {
			st := &upcastStep{from: ev.Versions[i], to: ev.Versions[i+1]}
			hook := st.to.Hook
			for _, f := range st.to.Fields {
				old := findField(st.from.Fields, f)
				if old == nil && hasFieldNamed(st.from.Fields, f.Name) {
					// Same name, another type: only user code can convert.
					hook = true
				}
				st.fields = append(st.fields, upcastField{field: f, old: old})
			}
			if hook {
				st.hook = "Upcast" + goname.EventVersion(ev.Name, st.from.Number)
				st.fields = nil
				p.needUpcaster = true
			}
			c.steps = append(c.steps, st)
		}
		p.upcasts = append(p.upcasts, c)
	}
}

func hasFieldNamed(fields []*dsl.Field, name string) bool {
	return slices.ContainsFunc(fields, func(f *dsl.Field) bool { return f.Name == name })
}

// versionType is the Go type of an event version: the event's name for the
// newest, <Event>V<n> for older ones.
func versionType(e *dsl.Event, v *dsl.EventVersion) string {
	if v == e.Latest() {
		return goname.Exported(e.Name)
	}
	return goname.EventVersion(e.Name, v.Number)
}

func joinDoc(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n\n" + b
}

func pos(p dsl.Position) string {
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
}

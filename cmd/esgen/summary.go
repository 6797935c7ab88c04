package main

import (
	"fmt"
	"strings"

	"github.com/esgen/esgen/build"
	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/generator/diagram"
)

// summary returns one line per aggregate and process of in: its size and
// what became of its files (those it owns: order.gen.go, order_test.go,
// order.svg...), one line for the files that belong to none, and lines
// for the files removed.
func summary(in *build.Input, status func(*build.Output) build.Status) []string {
	var lines []string
	owned := func(owner string) []*build.Output {
		var mine []*build.Output
		for _, o := range in.Outputs {
			if o.Action != build.Remove && o.Owner == owner {
				mine = append(mine, o)
			}
		}
		return mine
	}
	added := func(owner string, mine []*build.Output) {
		for _, o := range mine {
			if len(o.Added) > 0 && status(o) == build.Extended {
				lines = append(lines, fmt.Sprintf("%s: %s: added to %s: %s", in.Name, owner, o.Name, strings.Join(o.Added, ", ")))
			}
		}
	}
	for _, ag := range in.Model.Aggregates {
		mine := owned(ag.Name)
		lines = append(lines, fmt.Sprintf("%s: %s: %s; %s", in.Name, aggregateLabel(ag), shape(ag), fileCounts(mine, status)))
		added(ag.Name, mine)
	}
	for _, p := range in.Model.Processes {
		mine := owned(p.Name)
		lines = append(lines, fmt.Sprintf("%s: %s (process): %s; %s", in.Name, p.Name, processShape(p), fileCounts(mine, status)))
		added(p.Name, mine)
	}
	if rest := owned(""); len(rest) > 0 {
		lines = append(lines, fmt.Sprintf("%s: shared by the file's aggregates: %s", in.Name, fileCounts(rest, status)))
	}
	var stale []*build.Output
	orphans := map[string][]*build.Output{}
	var gone []string
	for _, o := range in.Outputs {
		switch {
		case o.Action != build.Remove:
		case o.Orphan == "":
			stale = append(stale, o)
		default:
			if orphans[o.Orphan] == nil {
				gone = append(gone, o.Orphan)
			}
			orphans[o.Orphan] = append(orphans[o.Orphan], o)
		}
	}
	if len(stale) > 0 {
		lines = append(lines, fmt.Sprintf("%s: no longer generated: %s", in.Name, fileCounts(stale, status)))
	}
	for _, esm := range gone {
		lines = append(lines, fmt.Sprintf("%s: no longer exists: %s", esm, fileCounts(orphans[esm], status)))
	}
	return lines
}

func aggregateLabel(a *dsl.Aggregate) string {
	if a.Eventual {
		return a.Name + " (eventual)"
	}
	return a.Name
}

// shape is the size of an aggregate: "5 states, 4 commands, 5 events (6
// versions), 7 transitions".
func shape(a *dsl.Aggregate) string {
	versions := 0
	for _, e := range a.Events {
		versions += len(e.Versions)
	}
	events := fmt.Sprintf("%s (%s)", plural(len(a.Events), "event"), plural(versions, "version"))
	if a.Eventual {
		return events
	}
	return fmt.Sprintf("%s, %s, %s, %s", plural(len(a.States), "state"), plural(len(a.Commands), "command"),
		events, plural(len(diagram.Machine(a).Transitions), "transition"))
}

// processShape is the size of a process: "5 states, 7 inputs (1 timer),
// 9 branches".
func processShape(p *dsl.Process) string {
	timers, branches := 0, 0
	for _, in := range p.Inputs {
		if in.Kind == dsl.InputTimer {
			timers++
		}
	}
	for _, r := range p.Reactions {
		branches += len(r.Branches)
	}
	inputs := plural(len(p.Inputs), "input")
	if timers > 0 {
		inputs += " (" + plural(timers, "timer") + ")"
	}
	return fmt.Sprintf("%s, %s, %s", plural(len(p.States), "state"), inputs, plural(branches, "branch"))
}

// fileCounts is "4 files: 2 written, 1 unchanged, 1 kept".
func fileCounts(outs []*build.Output, status func(*build.Output) build.Status) string {
	counts := map[build.Status]int{}
	for _, o := range outs {
		counts[status(o)]++
	}
	parts := []string{}
	for _, s := range []build.Status{build.Written, build.Extended, build.Unchanged, build.Kept, build.Removed, build.Emptied} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	s := plural(len(outs), "file")
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "ch") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

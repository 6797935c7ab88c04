package dsl

import (
	"strings"
	"time"

	"github.com/esgen/esgen/dsl/ast"
)

// timers checks the timers of an aggregate, once its states, commands and
// transitions are known, and fills a.Timers.
func (c *checker) timers(s *aggScope, decls []*ast.Timer) {
	a := s.a
	accepts := map[*State]map[*Command]bool{}
	for _, t := range a.Transitions {
		for _, br := range t.Branches {
			for _, st := range br.From {
				if accepts[st] == nil {
					accepts[st] = map[*Command]bool{}
				}
				accepts[st][t.Command] = true
			}
		}
	}
	type key struct {
		st  *State
		cmd *Command
		d   time.Duration
	}
	seen := map[key]*Timer{}
	for _, d := range decls {
		tm := &Timer{Text: d.After.Text, Doc: d.Doc.Text(), Pos: fromLexer(d.Pos)}
		tm.After, _ = time.ParseDuration(d.After.Text) // the lexer checked it
		tm.State = c.lookupState(s, d.State)
		tm.Command = s.commands[d.Command.Name]
		if tm.Command == nil {
			sugg := c.suggest(d.Command.Name, s.commandNames)
			if sugg == "" {
				sugg = s.kindHint(d.Command.Name, "command")
			}
			c.report(d.Command.Pos, codeUndeclared, sugg, "undeclared command %s", d.Command.Name)
		}
		if tm.State != nil && tm.State.Final {
			c.report(d.State.Pos, codeTimerOnFinal, "", "state %s is final: an aggregate in it never leaves it, and no command is accepted there", tm.State.Name)
		} else if tm.State != nil && tm.Command != nil && !accepts[tm.State][tm.Command] {
			c.report(d.Command.Pos, codeNotAccepted, "add "+tm.State.Name+" to the sources of on "+tm.Command.Name,
				"command %s is not accepted in state %s: the timer would always fail", tm.Command.Name, tm.State.Name)
		}
		if tm.Command != nil {
			tm.Values = c.timerValues(tm.Command, d.Values)
		}
		if tm.State == nil || tm.Command == nil {
			continue
		}
		k := key{tm.State, tm.Command, tm.After}
		if prev := seen[k]; prev != nil {
			c.report(d.Pos, codeDuplicate, "", "a timer sending %s after %s in state %s is already declared at line %d",
				tm.Command.Name, d.After.Text, tm.State.Name, prev.Pos.Line)
			continue
		}
		seen[k] = tm
		a.Timers = append(a.Timers, tm)
	}
}

// timerValues checks the field values a timer gives its command.
func (c *checker) timerValues(cmd *Command, vs *ast.Values) []*FieldValue {
	if vs == nil {
		return nil
	}
	var out []*FieldValue
	set := map[string]bool{}
	for _, fv := range vs.Fields {
		f := fieldNamed(cmd.Fields, fv.Name.Name)
		if f == nil {
			c.report(fv.Name.Pos, codeUndeclared, c.suggest(fv.Name.Name, fieldNames(cmd.Fields)),
				"command %s has no field %s", cmd.Name, fv.Name.Name)
			continue
		}
		if set[f.Name] {
			c.report(fv.Name.Pos, codeDuplicate, "", "field %s is already given a value", f.Name)
			continue
		}
		set[f.Name] = true
		if f.Type == nil {
			continue
		}
		if lit := c.literal(fv.Value, f, "command "+cmd.Name, "value"); lit != nil {
			out = append(out, &FieldValue{Field: f, Value: lit})
		}
	}
	return out
}

// timerName is the name esgen gives a timer of an aggregate or a process
// that does not name it: the state and the duration, "SubmittedAfter30m".
func timerName(state, duration string) string {
	return state + "After" + strings.ReplaceAll(duration, ".", "_")
}

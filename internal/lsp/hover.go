package lsp

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/esgen/esgen/dsl/ast"
)

// hover describes the name at the cursor in Markdown: its declaration,
// doc comment and fields, and where it is used: for a state, the
// transitions that enter and leave it; for an event, its versions and the
// transitions that emit it; for a command, its transitions and who sends
// it. The file must parse; the rest of the package is read as it is.
func (s *server) hover(_ *glsp.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	p, u, o, ok, err := s.symbolAt(params.TextDocument, params.Position)
	if err != nil || u.idx == nil {
		return nil, err
	}
	var md string
	var start, end int
	if ok {
		md, start, end = describe(p, u, o.sym), o.start, o.end
	} else if f, isField := u.idx.fieldAt(u.text.offset(params.Position)); isField {
		md, start, end = describeField(f), f.start, f.end
	}
	if md == "" {
		return nil, nil
	}
	rng := u.text.rangeOf(start, end)
	return &protocol.Hover{
		Contents: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: md},
		Range:    &rng,
	}, nil
}

// mdWriter builds a hover in Markdown.
type mdWriter struct {
	b    strings.Builder
	from *unit // the file asked about: places in it are given by line
}

// code writes a fenced block of .esm.
func (w *mdWriter) code(s string) { fmt.Fprintf(&w.b, "```esm\n%s\n```\n", s) }

// para writes a paragraph when s is not empty.
func (w *mdWriter) para(s string) {
	if s != "" {
		fmt.Fprintf(&w.b, "\n%s\n", s)
	}
}

// list writes a titled list when items is not empty.
func (w *mdWriter) list(title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(&w.b, "\n**%s**\n", title)
	for _, it := range items {
		fmt.Fprintf(&w.b, "- %s\n", it)
	}
}

// at names a place: "line 12" in the file asked about, "orders.esm:12"
// in another.
func (w *mdWriter) at(u *unit, pos ast.Position) string {
	if u == w.from {
		return fmt.Sprintf("line %d", pos.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(u.path), pos.Line)
}

// item is one entry of a list: code and where it is.
func (w *mdWriter) item(code string, u *unit, pos ast.Position) string {
	return fmt.Sprintf("`%s` (%s)", code, w.at(u, pos))
}

// fields lists fields as `name type [= default]`, with their docs.
func (w *mdWriter) fields(title string, b *ast.Body) {
	if b == nil {
		return
	}
	var items []string
	for _, f := range b.Fields {
		items = append(items, fieldLine(f))
	}
	w.list(title, items)
}

// fieldLine is one field of a list.
func fieldLine(f *ast.Field) string {
	s := "`" + fieldCode(f) + "`"
	if doc := f.Doc.Text(); doc != "" {
		s += " — " + strings.ReplaceAll(doc, "\n", " ")
	}
	return s
}

// fieldCode is a field as written.
func fieldCode(f *ast.Field) string {
	s := f.Name.Name + " " + f.Type.String()
	if f.Default != nil {
		s += " = " + f.Default.Text
	}
	return s
}

// describeField is the hover of a field's name.
func describeField(f fieldOccurrence) string {
	w := &mdWriter{}
	w.code(fieldCode(f.field))
	w.para("_field of " + f.of + "_")
	w.para(f.field.Doc.Text())
	return w.b.String()
}

// describe is the hover of a symbol of p, asked about in file from.
func describe(p *pkg, from *unit, sym symbol) string {
	w := &mdWriter{from: from}
	switch sym.kind {
	case symType, symExtern:
		for _, l := range p.occurrences(sym, from) {
			switch d := l.o.decl.(type) {
			case *ast.TypeDecl:
				w.code("type " + d.Name.Name)
				w.para(d.Doc.Text())
				w.fields("Fields", d.Body)
				return w.b.String()
			case *ast.Extern:
				w.code("extern " + d.Name.Name)
				w.para("_a type of the Go package the code is generated into_")
				w.para(d.Doc.Text())
				return w.b.String()
			}
		}
	case symAggregate:
		if u, a := p.aggregate(sym.name, from); a != nil {
			describeAggregate(w, u, a)
			return w.b.String()
		}
	case symProcess:
		for _, u := range p.units {
			for _, pr := range processes(u) {
				if pr.Name.Name == sym.name {
					describeProcess(w, pr)
					return w.b.String()
				}
			}
		}
	case symState, symCommand, symEvent:
		if u, a := p.aggregate(sym.owner, from); a != nil {
			switch sym.kind {
			case symState:
				describeState(w, u, a, sym.name)
			case symCommand:
				describeCommand(w, p, u, a, sym.name)
			case symEvent:
				describeEvent(w, p, u, a, sym.name)
			}
			return w.b.String()
		}
	case symProcessState:
		for _, u := range p.units {
			for _, pr := range processes(u) {
				if pr.Name.Name == sym.owner {
					describeProcessState(w, u, pr, sym.name)
					return w.b.String()
				}
			}
		}
	}
	return ""
}

// aggregate finds the declaration of aggregate name in p, in from first.
func (p *pkg) aggregate(name string, from *unit) (*unit, *ast.Aggregate) {
	units := append([]*unit{from}, p.units...)
	for _, u := range units {
		if u.ast == nil {
			continue
		}
		for _, d := range u.ast.Decls {
			if a, ok := d.(*ast.Aggregate); ok && a.Name.Name == name {
				return u, a
			}
		}
	}
	return nil, nil
}

// processes returns the processes of a file that parses.
func processes(u *unit) []*ast.Process {
	if u.ast == nil {
		return nil
	}
	var out []*ast.Process
	for _, d := range u.ast.Decls {
		if pr, ok := d.(*ast.Process); ok {
			out = append(out, pr)
		}
	}
	return out
}

func describeAggregate(w *mdWriter, u *unit, a *ast.Aggregate) {
	head := "aggregate " + a.Name.Name
	if a.Eventual != nil {
		head = "eventual " + head
	}
	w.code(head)
	w.para(a.Doc.Text())
	var states, commands, events []string
	seen := map[string]bool{}
	for _, m := range a.Members {
		switch m := m.(type) {
		case *ast.State:
			s := "`" + m.Name.Name + "`"
			for _, f := range m.Flags {
				s += " " + f.Name
			}
			states = append(states, s)
		case *ast.Command:
			commands = append(commands, "`"+m.Name.Name+"`")
		case *ast.Event:
			if !seen[m.Name.Name] {
				seen[m.Name.Name] = true
				events = append(events, "`"+m.Name.Name+"`")
			}
		}
	}
	w.list("States", states)
	w.list("Commands", commands)
	w.list("Events", events)
	w.para(fmt.Sprintf("_declared at %s_", w.at(u, a.Pos)))
}

func describeProcess(w *mdWriter, pr *ast.Process) {
	w.code("process " + pr.Name.Name)
	w.para(pr.Doc.Text())
	var corr, states []string
	for _, m := range pr.Members {
		switch m := m.(type) {
		case *ast.CorrelateOption:
			corr = append(corr, "`correlate "+m.Aggregate.Name+" by "+m.Field.Name+"`")
		case *ast.State:
			s := "`" + m.Name.Name + "`"
			for _, f := range m.Flags {
				s += " " + f.Name
			}
			states = append(states, s)
		}
	}
	w.list("Correlations", corr)
	w.list("States", states)
}

// stateHead writes the declaration line of a state, its owner and doc.
func stateHead(w *mdWriter, st *ast.State, owner string) {
	head := "state " + st.Name.Name
	for _, f := range st.Flags {
		head += " " + f.Name
	}
	w.code(head)
	w.para("_state of " + owner + "_")
	w.para(st.Doc.Text())
	w.fields("Fields", st.Body)
}

// moves sorts the branches that touch a state into those that enter it,
// leave it and keep it.
type moves struct{ entered, left, kept []string }

// add files one branch from sources to target, shown as code at pos.
func (mv *moves) add(w *mdWriter, u *unit, state string, from []*ast.Ident, to *ast.Ident, code string, pos ast.Position) {
	fromState := slices.ContainsFunc(from, func(id *ast.Ident) bool { return id.Name == state })
	item := w.item(code, u, pos)
	switch {
	case to.Name == state && fromState && len(from) == 1:
		mv.kept = append(mv.kept, item)
	case to.Name == state:
		mv.entered = append(mv.entered, item)
	case fromState:
		mv.left = append(mv.left, item)
	}
}

func describeState(w *mdWriter, u *unit, a *ast.Aggregate, name string) {
	var st *ast.State
	var mv moves
	var timers []string
	for _, m := range a.Members {
		switch m := m.(type) {
		case *ast.State:
			if m.Name.Name == name && st == nil {
				st = m
			}
		case *ast.Transition:
			for _, b := range m.Branches {
				mv.add(w, u, name, b.From, b.To, branchCode(m.Command.Name, b), b.Pos)
			}
		case *ast.Timer:
			if m.State.Name == name {
				timers = append(timers, w.item(timerCode(m), u, m.Pos))
			}
		}
	}
	if st == nil {
		return
	}
	stateHead(w, st, "aggregate "+a.Name.Name)
	if slices.ContainsFunc(st.Flags, func(f *ast.StateFlag) bool { return f.Name == "initial" }) {
		w.para("A new " + a.Name.Name + " starts here.")
	}
	w.list("Entered by", mv.entered)
	w.list("Left by", mv.left)
	w.list("Kept by", mv.kept)
	w.list("Timers", timers)
}

func describeProcessState(w *mdWriter, u *unit, pr *ast.Process, name string) {
	var st *ast.State
	var mv moves
	for _, m := range pr.Members {
		switch m := m.(type) {
		case *ast.State:
			if m.Name.Name == name && st == nil {
				st = m
			}
		case *ast.Reaction:
			for _, b := range m.Branches {
				mv.add(w, u, name, b.From, b.To, reactionCode(m, b), b.Pos)
			}
		case *ast.ProcessTimer:
			for _, b := range m.Branches {
				mv.add(w, u, name, b.From, b.To, processTimerCode(m, b), b.Pos)
			}
		}
	}
	if st == nil {
		return
	}
	stateHead(w, st, "process "+pr.Name.Name)
	w.list("Entered by", mv.entered)
	w.list("Left by", mv.left)
	w.list("Kept by", mv.kept)
}

func describeCommand(w *mdWriter, p *pkg, u *unit, a *ast.Aggregate, name string) {
	var cmd *ast.Command
	var transitions, timers []string
	for _, m := range a.Members {
		switch m := m.(type) {
		case *ast.Command:
			if m.Name.Name == name && cmd == nil {
				cmd = m
			}
		case *ast.Transition:
			if m.Command.Name == name {
				for _, b := range m.Branches {
					transitions = append(transitions, w.item(branchCode(name, b), u, b.Pos))
				}
			}
		case *ast.Timer:
			if m.Command.Name == name {
				timers = append(timers, w.item(timerCode(m), u, m.Pos))
			}
		}
	}
	if cmd == nil {
		return
	}
	w.code("command " + name)
	w.para("_command of aggregate " + a.Name.Name + "_")
	w.para(cmd.Doc.Text())
	w.fields("Fields", cmd.Body)
	if len(transitions) == 0 {
		w.para("No transition handles it.")
	}
	w.list("Transitions", transitions)
	w.list("Sent by timers", timers)
	var sent, refused []string
	for _, pu := range p.units {
		for _, pr := range processes(pu) {
			eachProcessBranch(pr, func(code string, b *ast.ProcessBranch) {
				for _, q := range b.Sends {
					if q.Aggregate.Name == a.Name.Name && q.Name.Name == name {
						sent = append(sent, w.item(code, pu, b.Pos)+" in process "+pr.Name.Name)
						break
					}
				}
			})
			for _, m := range pr.Members {
				if r, ok := m.(*ast.Reaction); ok && r.Rejected != nil && r.Input.Aggregate.Name == a.Name.Name && r.Input.Name.Name == name {
					refused = append(refused, w.item("on rejected "+r.Input.String(), pu, r.Pos)+" in process "+pr.Name.Name)
				}
			}
		}
	}
	w.list("Sent by processes", sent)
	w.list("Refusals handled by", refused)
}

func describeEvent(w *mdWriter, p *pkg, u *unit, a *ast.Aggregate, name string) {
	var versions []*ast.Event
	var emitted, evolves []string
	for _, m := range a.Members {
		switch m := m.(type) {
		case *ast.Event:
			if m.Name.Name == name {
				versions = append(versions, m)
			}
		case *ast.Transition:
			for _, b := range m.Branches {
				if slices.ContainsFunc(b.Emits, func(id *ast.Ident) bool { return id.Name == name }) {
					emitted = append(emitted, w.item(branchCode(m.Command.Name, b), u, b.Pos))
				}
			}
		case *ast.Evolve:
			if m.Event.Name == name {
				evolves = append(evolves, w.item(evolveCode(m), u, m.Pos))
			}
		}
	}
	if len(versions) == 0 {
		return
	}
	w.code("event " + name)
	w.para("_event of aggregate " + a.Name.Name + "_")
	w.para(versions[0].Doc.Text())
	if len(versions) == 1 && versions[0].Version == nil {
		w.fields("Fields", versions[0].Body)
	} else {
		for i, v := range versions {
			title := "Version " + strings.TrimPrefix(versionText(v), "v")
			if v.Upcast != nil {
				title += " (upcast by a hook)"
			}
			if len(versions) > 1 && i == len(versions)-1 {
				title += ", the one written"
			}
			if i > 0 {
				w.para(v.Doc.Text())
			}
			if v.Body == nil || len(v.Body.Fields) == 0 {
				w.list(title, []string{"no fields"})
				continue
			}
			w.fields(title, v.Body)
		}
	}
	if len(emitted) == 0 {
		w.para("No transition emits it.")
	}
	w.list("Emitted by", emitted)
	w.list("Evolve declarations", evolves)
	var reactions []string
	for _, pu := range p.units {
		for _, pr := range processes(pu) {
			for _, m := range pr.Members {
				if r, ok := m.(*ast.Reaction); ok && r.Rejected == nil && r.Input.Aggregate.Name == a.Name.Name && r.Input.Name.Name == name {
					for _, b := range r.Branches {
						reactions = append(reactions, w.item(reactionCode(r, b), pu, b.Pos)+" in process "+pr.Name.Name)
					}
				}
			}
		}
	}
	w.list("Processes reacting", reactions)
}

// versionText is the version of an event declaration, v1 when none is
// written.
func versionText(e *ast.Event) string {
	if e.Version == nil {
		return "v1"
	}
	return e.Version.Text
}

// eachProcessBranch calls f with every branch of the reactions and
// timers of pr, and the branch as code.
func eachProcessBranch(pr *ast.Process, f func(code string, b *ast.ProcessBranch)) {
	for _, m := range pr.Members {
		switch m := m.(type) {
		case *ast.Reaction:
			for _, b := range m.Branches {
				f(reactionCode(m, b), b)
			}
		case *ast.ProcessTimer:
			for _, b := range m.Branches {
				f(processTimerCode(m, b), b)
			}
		}
	}
}

// names joins identifiers with ", ".
func names(ids []*ast.Ident) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.Name
	}
	return strings.Join(s, ", ")
}

// qualifiedNames joins qualified names with ", ".
func qualifiedNames(qs []*ast.QualifiedName) string {
	s := make([]string, len(qs))
	for i, q := range qs {
		s[i] = q.String()
	}
	return strings.Join(s, ", ")
}

// branchCode is one branch of a transition as code.
func branchCode(cmd string, b *ast.Branch) string {
	s := "on " + cmd + ": " + names(b.From) + " -> " + b.To.Name
	if len(b.Emits) > 0 {
		s += " emits " + names(b.Emits)
	}
	return s
}

// processBranchCode is a branch of a process as code.
func processBranchCode(b *ast.ProcessBranch) string {
	s := names(b.From) + " -> " + b.To.Name
	if len(b.Sends) > 0 {
		s += " sends " + qualifiedNames(b.Sends)
	}
	return s
}

// reactionCode is one branch of a reaction as code.
func reactionCode(r *ast.Reaction, b *ast.ProcessBranch) string {
	on := "on "
	if r.Rejected != nil {
		on += "rejected "
	}
	return on + r.Input.String() + ": " + processBranchCode(b)
}

// processTimerCode is one branch of a process timer as code.
func processTimerCode(t *ast.ProcessTimer, b *ast.ProcessBranch) string {
	s := "after " + t.After.Text + " in " + t.State.Name
	if t.Name != nil {
		s += " as " + t.Name.Name
	}
	return s + ": " + processBranchCode(b)
}

// timerCode is an aggregate timer as code.
func timerCode(t *ast.Timer) string {
	return "after " + t.After.Text + " in " + t.State.Name + ": " + t.Command.Name
}

// evolveCode is an evolve declaration as code.
func evolveCode(e *ast.Evolve) string {
	var clauses []string
	for _, c := range e.Clauses {
		if len(c.Fields) > 0 {
			clauses = append(clauses, c.Word()+" "+names(c.Fields))
		} else {
			clauses = append(clauses, c.Word())
		}
	}
	return "evolve " + names(e.States) + " on " + e.Event.Name + ": " + strings.Join(clauses, "; ")
}

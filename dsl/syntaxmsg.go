package dsl

import (
	"fmt"
	"slices"

	"github.com/alecthomas/participle/v2/lexer"
)

// This file turns the syntax errors of common mistakes into messages that
// name the mistake rather than the token the parser stumbled on: a file
// without its package clause, a block whose closing brace is missing, a
// declaration cut short at the end of its line, a branch without its
// arrow, an on clause without its colon.

// explainSyntax returns the diagnostic of a common mistake at the
// unexpected token tok, where the parser expected first (the name of the
// production, as syntaxDiag reads it from participle's message), or false
// when the mistake is not one it knows.
func explainSyntax(code []lexer.Token, tok lexer.Token, first string) (Diagnostic, bool) {
	k := slices.IndexFunc(code, func(t lexer.Token) bool { return t.Pos.Offset >= tok.Pos.Offset })
	if k < 0 {
		return Diagnostic{}, false
	}
	if d, ok := missingPackage(code); ok {
		return d, true
	}
	if d, ok := unclosedBlock(code, k); ok {
		return d, true
	}
	if k == 0 {
		return Diagnostic{}, false
	}
	prev := code[k-1]
	if k >= 2 && prev.Type == tokIdent && memberStarts[prev.Value] && prev.Pos.Line > code[k-2].Pos.Line &&
		expectedAfter(code, k-2) != "" {
		// A word that starts a member (evolve, id, stream...) was taken
		// for the name the line before lacks.
		return cutShort(code[k-2], prev, expectedAfter(code, k-2)), true
	}
	switch {
	case first == "Arrow":
		return missingArrow(code, k), true
	case first == `":"` && k >= 2 && isKeyword(code[k-2], "on") && expectedAfter(code, k-2) == "a command name":
		return newDiag(fromLexer(tok.Pos), codeSyntax, fmt.Sprintf("expected \":\" after on %s, found %s", prev.Value, describeToken(tok)),
			"write on "+prev.Value+": and the branches"), true
	case first == "Type" && isPunct(tok, ":") && prev.Type == tokIdent:
		sugg := "write the type after the name, without a colon"
		if k+1 < len(code) && code[k+1].Type == tokIdent && code[k+1].Pos.Line == tok.Pos.Line {
			sugg = "write " + prev.Value + " " + code[k+1].Value + ", without the colon"
		}
		return newDiag(fromLexer(tok.Pos), codeSyntax, fmt.Sprintf("unexpected \":\" after field name %s, expected its type", prev.Value), sugg), true
	case first == `"{"` && k >= 2 && isKeyword(code[k-2], "aggregate"):
		return newDiag(fromLexer(tok.Pos), codeSyntax, fmt.Sprintf("expected \"{\" after aggregate %s, found %s", prev.Value, describeToken(tok)), ""), true
	}
	// A declaration cut short: the next line starts with a keyword, or a
	// brace, parenthesis or the end of the file comes, where a name or a
	// type belongs.
	cut := tok.Type == lexer.EOF || tok.Type == tokPunct ||
		tok.Type == tokKeyword && tok.Pos.Line > prev.Pos.Line
	if !cut || first != "Ident" && first != "Branch" && first != "Type" {
		return Diagnostic{}, false
	}
	what := expectedAfter(code, k-1)
	if what == "" || first == "Type" && what != "a type" {
		return Diagnostic{}, false
	}
	return cutShort(prev, tok, what), true
}

// cutShort reports what is missing after prev, where tok came instead: at
// the end of prev's line when tok is on a later one.
func cutShort(prev, tok lexer.Token, what string) Diagnostic {
	found := describeToken(tok)
	pos := fromLexer(tok.Pos)
	if tok.Pos.Line > prev.Pos.Line {
		pos = fromLexer(prev.Pos)
		pos.Offset += len(prev.Value)
		pos.Column += len(prev.Value)
		if tok.Type != lexer.EOF {
			found += fmt.Sprintf(" on line %d", tok.Pos.Line)
		}
	}
	return newDiag(pos, codeSyntax, fmt.Sprintf("expected %s after %s, found %s", what, spell(prev), found), "")
}

// missingPackage reports a file that does not start with its package
// clause, at its first token.
func missingPackage(code []lexer.Token) (Diagnostic, bool) {
	t := code[0]
	if isKeyword(t, "package") {
		return Diagnostic{}, false
	}
	d := newDiag(fromLexer(t.Pos), codeSyntax, fmt.Sprintf(
		"expected \"package NAME\" before %s: a .esm file starts with its package clause", describeToken(t)), "")
	if t.Type == tokIdent && editDistance(t.Value, "package") <= 2 {
		d.Suggestion = didYouMean("package")
		d.Fix = replaceFix(d.Pos, t.Value, "package")
	}
	return d, true
}

// unclosedBlock reports a brace or parenthesis that is not closed, found
// when the file ends inside the block, or when a keyword that starts a
// declaration begins a line where the block cannot hold it (a member in a
// field list, a top-level declaration in an aggregate or an import group)
// and the file opens more blocks than it closes. A keyword in a block
// whose braces all close is not a missing brace: it is reported as a
// keyword used as a name, or a declaration in the wrong place.
func unclosedBlock(code []lexer.Token, k int) (Diagnostic, bool) {
	tok := code[k]
	stack := openBlocks(code, k)
	if len(stack) == 0 {
		if isCloser(tok) {
			return newDiag(fromLexer(tok.Pos), codeSyntax, fmt.Sprintf("unexpected %s: no block is open here", describeToken(tok)), ""), true
		}
		return Diagnostic{}, false
	}
	open := stack[len(stack)-1]
	if tok.Type != lexer.EOF {
		lineStart := k == 0 || code[k-1].Pos.Line < tok.Pos.Line
		if tok.Type != tokKeyword || !lineStart {
			return Diagnostic{}, false
		}
		starts := topStarts[tok.Value]
		_, kind := blocks(code)
		if kind[k] == blockBody {
			starts = starts || memberStarts[tok.Value]
		}
		if !starts {
			return Diagnostic{}, false
		}
		if !unbalanced(code) {
			if kind[k] == blockAggregate {
				return newDiag(fromLexer(tok.Pos), codeSyntax, fmt.Sprintf(
					"unexpected keyword %s in %s: imports, externs, types and aggregates are declared at the top level",
					tok.Value, blockName(code, open)), ""), true
			}
			return Diagnostic{}, false
		}
	}
	// A block closed by a brace indented like the outer block's first
	// line is likely the one that lacks its own brace.
	closer, end := -1, k
	if in, c := dedentedBlock(code, open, k); in >= 0 {
		open, closer, end = in, c, c
	}
	msg := fmt.Sprintf("unexpected %s: %s opened at %d:%d is not closed", describeToken(tok), blockName(code, open),
		code[open].Pos.Line, code[open].Pos.Column)
	if closer >= 0 {
		outer := outerOpener(code, open)
		msg = fmt.Sprintf("unexpected %s: %s opened at %d:%d is not closed: the %q on line %d, indented like it, closes %s opened at %d:%d, which has none of its own",
			describeToken(tok), blockName(code, outer), code[outer].Pos.Line, code[outer].Pos.Column,
			code[closer].Value, code[closer].Pos.Line, blockName(code, open), code[open].Pos.Line, code[open].Pos.Column)
	}
	want := "}"
	if code[open].Value == "(" {
		want = ")"
	}
	return newDiag(fromLexer(tok.Pos), codeSyntax, msg, fmt.Sprintf("add %q after line %d", want, code[end-1].Pos.Line)), true
}

// openBlocks returns the indexes of the braces and parentheses still open
// before code[k], outermost first.
func openBlocks(code []lexer.Token, k int) []int {
	var stack []int
	for i, t := range code[:k] {
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case "{", "(":
			stack = append(stack, i)
		case "}", ")":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	return stack
}

// outerOpener returns the index of the block that holds the block opened
// at code[open], or -1.
func outerOpener(code []lexer.Token, open int) int {
	stack := openBlocks(code, open)
	if len(stack) == 0 {
		return -1
	}
	return stack[len(stack)-1]
}

// dedentedBlock returns the first block opened inside the block opened at
// code[open] and closed before code[k] whose closing token starts a line
// indented less than the line it was opened on, and no more than the
// outer block's first line: that token was most likely written to close
// the outer block. It returns the index of its opener and its closer, or
// -1.
func dedentedBlock(code []lexer.Token, open, k int) (int, int) {
	indent := lineIndents(code)
	var stack []int
	for i := open + 1; i < k; i++ {
		t := code[i]
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case "{", "(":
			stack = append(stack, i)
		case "}", ")":
			if len(stack) == 0 {
				continue
			}
			in := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			firstOnLine := code[i-1].Pos.Line < t.Pos.Line
			if firstOnLine && t.Pos.Column < indent[code[in].Pos.Line] && t.Pos.Column <= indent[code[open].Pos.Line] {
				return in, i
			}
		}
	}
	return -1, -1
}

// lineIndents returns the column of the first token of each line.
func lineIndents(code []lexer.Token) map[int]int {
	m := map[int]int{}
	for _, t := range code {
		if _, ok := m[t.Pos.Line]; !ok {
			m[t.Pos.Line] = t.Pos.Column
		}
	}
	return m
}

// unbalanced reports whether code opens more braces or parentheses than
// it closes.
func unbalanced(code []lexer.Token) bool {
	d := 0
	for _, t := range code {
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case "{", "(":
			d++
		case "}", ")":
			d--
		}
	}
	return d > 0
}

// blockName names the block opened at code[open]: "the body of state
// Draft", "the import group".
func blockName(code []lexer.Token, open int) string {
	if open < 0 {
		return "the block"
	}
	if code[open].Value == "(" {
		return "the import group"
	}
	for j := open - 1; j >= 0; j-- {
		t := code[j]
		if t.Type == tokPunct && (t.Value == "{" || t.Value == "}" || t.Value == "(" || t.Value == ")") {
			break
		}
		if t.Type != tokKeyword {
			continue
		}
		switch t.Value {
		case "state", "command", "event", "type", "aggregate":
			name := t.Value
			if j+1 < open && (code[j+1].Type == tokIdent || code[j+1].Type == tokVersion) {
				name += " " + code[j+1].Value
				if t.Value == "event" && j+2 < open && code[j+2].Type == tokVersion {
					name += " " + code[j+2].Value
				}
			}
			if t.Value == "aggregate" {
				return name
			}
			return "the body of " + name
		}
	}
	return "the block"
}

// missingArrow reports a branch whose sources are not followed by "->".
func missingArrow(code []lexer.Token, k int) Diagnostic {
	tok, prev := code[k], code[k-1]
	pos := fromLexer(tok.Pos)
	msg := fmt.Sprintf("expected \"->\" after source state %s, found %s", prev.Value, describeToken(tok))
	sugg := ""
	switch {
	case tok.Type == tokIdent && k+1 < len(code) && isPunct(code[k+1], "->"):
		sugg = "separate the source states with commas: " + prev.Value + ", " + tok.Value + " ->"
	case tok.Type == tokIdent && tok.Pos.Line == prev.Pos.Line:
		sugg = "a branch reads " + prev.Value + " -> " + tok.Value
	}
	return newDiag(pos, codeSyntax, msg, sugg)
}

// expectedAfter says what must follow the token code[i] when a name or a
// type is missing after it; "" when it does not know.
func expectedAfter(code []lexer.Token, i int) string {
	t := code[i]
	switch {
	case isPunct(t, "->"):
		return "the target state"
	case isKeyword(t, "emits"):
		return "an event name"
	case isPunct(t, ":"), isPunct(t, "|"):
		if isPunct(t, "|") || i >= 2 && isKeyword(code[i-2], "on") {
			return "a source state"
		}
	case evolveClauseWord(code, i):
		return "a field name"
	case isPunct(t, ","):
		for j := i - 1; j >= 0; j-- {
			switch {
			case isKeyword(code[j], "emits"):
				return "an event name"
			case evolveClauseWord(code, j):
				return "a field name"
			case isPunct(code[j], ":"), isPunct(code[j], "|"):
				return "a source state"
			case code[j].Type != tokIdent && code[j].Type != tokVersion && !isPunct(code[j], ","):
				return ""
			}
		}
	case isKeyword(t, "on"):
		for j := i - 1; j >= 0 && (code[j].Type == tokIdent || code[j].Type == tokVersion || isPunct(code[j], ",")); j-- {
			if code[j].Type == tokIdent && code[j].Value == "evolve" && (j == 0 || code[j-1].Pos.Line < code[j].Pos.Line) {
				return "an event name" // evolve State on Event
			}
		}
		return "a command name"
	case isKeyword(t, "package"):
		return "the package name"
	case isKeyword(t, "state"):
		return "a state name"
	case isKeyword(t, "command"):
		return "a command name"
	case isKeyword(t, "event"):
		return "an event name"
	case isKeyword(t, "type"), isKeyword(t, "extern"):
		return "a type name"
	case isKeyword(t, "aggregate"):
		return "an aggregate name"
	case t.Type == tokIdent && t.Value == "id" && i > 0 && code[i-1].Pos.Line < t.Pos.Line,
		isPunct(t, "]"), isPunct(t, "*"), isPunct(t, "."):
		return "a type"
	}
	return ""
}

// evolveClauseWord reports whether code[i] is drop, zero or set opening a
// clause of an evolve declaration: after its ":" or ";" on the line of an
// evolve declaration.
func evolveClauseWord(code []lexer.Token, i int) bool {
	t := code[i]
	if t.Type != tokIdent || t.Value != "drop" && t.Value != "zero" && t.Value != "set" || i == 0 {
		return false
	}
	if !isPunct(code[i-1], ":") && !isPunct(code[i-1], ";") {
		return false
	}
	for j := i - 1; j >= 0 && code[j].Pos.Line == t.Pos.Line; j-- {
		if code[j].Type == tokIdent && code[j].Value == "evolve" {
			return true
		}
	}
	return false
}

// spell quotes punctuation and keeps words: "->", emits, Draft.
func spell(t lexer.Token) string {
	if t.Type == tokPunct {
		return fmt.Sprintf("%q", t.Value)
	}
	return t.Value
}

func isKeyword(t lexer.Token, word string) bool { return t.Type == tokKeyword && t.Value == word }

func isPunct(t lexer.Token, p string) bool { return t.Type == tokPunct && t.Value == p }

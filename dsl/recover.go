package dsl

import (
	"errors"
	"slices"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// maxSyntaxErrors bounds the syntax errors reported for one file.
const maxSyntaxErrors = 10

// moreSyntaxErrors finds the syntax errors after the first one, err: it
// drops the declaration that holds the error (an aggregate member, or a
// top-level declaration) and parses the rest again, up to maxSyntaxErrors
// in all. It stops as soon as the declaration cannot be told apart from
// what follows it (an unclosed brace, say), so that it never reports an
// error that only the first one caused.
func moreSyntaxErrors(filename string, src []byte, code []lexer.Token, err error) Diagnostics {
	var out Diagnostics
	last := syntaxDiag(filename, src, code, err)
	for len(out) < maxSyntaxErrors-1 {
		off, ok := errorOffset(err)
		if !ok {
			return out
		}
		s, e, ok := brokenDecl(code, off)
		if !ok {
			return out
		}
		resume := code[e].Pos.Offset
		code = slices.Concat(code[:s], code[e:])
		peek, uerr := lexer.Upgrade(&sliceLexer{toks: code})
		if uerr != nil {
			return out
		}
		if _, err = grammar().ParseFromLexer(peek); err == nil {
			return out
		}
		if next, ok := errorOffset(err); !ok || next < resume {
			return out // an error before the text that was dropped: not one of the file's own
		}
		d := syntaxDiag(filename, src, code, err)
		if d.Pos == last.Pos {
			continue // the same mistake, seen from the declaration after it
		}
		out, last = append(out, d), d
	}
	return out
}

// errorOffset returns the byte offset a participle error points at.
func errorOffset(err error) (int, bool) {
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) {
		return ute.Unexpected.Pos.Offset, true
	}
	var perr participle.Error
	if errors.As(err, &perr) {
		return perr.Position().Offset, true
	}
	return 0, false
}

// Declarations as brokenDecl tells them apart: at the top level, a
// declaration starts with one of topStarts; inside an aggregate, a member
// starts a line with one of memberStarts.
var (
	topStarts    = map[string]bool{"package": true, "import": true, "extern": true, "type": true, "aggregate": true, "eventual": true}
	memberStarts = map[string]bool{"state": true, "command": true, "event": true, "on": true, "evolve": true, "after": true, "correlate": true, "id": true, "stream": true, "subject": true, "snapshot": true, "lives": true}
	// namedBy are the keywords a name follows: a keyword right after one
	// of them starts nothing.
	namedBy = map[string]bool{"package": true, "extern": true, "type": true, "aggregate": true, "state": true, "command": true, "event": true, "on": true}
)

// brokenDecl returns the tokens [s, e) of the declaration holding the
// error at byte offset off: from the start of that declaration to the
// start of the next one at its level, or the brace closing its aggregate.
// When the error is at the start of a declaration, the broken one is the
// declaration before it. It reports false when the declaration does not
// end before the end of the file or its braces and parentheses do not
// balance.
func brokenDecl(code []lexer.Token, off int) (s, e int, ok bool) {
	n := len(code)
	depth, kind := blocks(code)
	start := make([]bool, n) // starts a declaration at its level
	for i, t := range code {
		firstOnLine := i == 0 || code[i-1].Pos.Line < t.Pos.Line
		switch {
		case i > 0 && code[i-1].Type == tokKeyword && namedBy[code[i-1].Value]:
			// A keyword where a name belongs ("aggregate type {") is the
			// error, not the start of the next declaration.
		case depth[i] == 0 && (t.Type == tokKeyword && topStarts[t.Value] || t.Type == tokIdent && t.Value == "process" && firstOnLine):
			// "eventual aggregate" starts at eventual.
			start[i] = t.Value != "aggregate" || i == 0 || code[i-1].Value != "eventual"
		case depth[i] == 1 && kind[i] == blockAggregate && firstOnLine &&
			(t.Type == tokKeyword || t.Type == tokIdent) && memberStarts[t.Value]:
			start[i] = true
		}
	}
	k := slices.IndexFunc(code, func(t lexer.Token) bool { return t.Pos.Offset >= off })
	if k < 0 {
		return 0, 0, false
	}
	if !start[k] && k >= 2 && start[k-1] && code[k-1].Type == tokIdent && expectedAfter(code, k-2) != "" {
		// A word starting a member (id, evolve...) was read as the name
		// the declaration before it lacks: that one is broken.
		k--
	}
	if start[k] {
		// The declaration before this one did not end where it should.
		s = k - 1
		for s >= 0 && !(start[s] && depth[s] == depth[k]) {
			s--
		}
		e = k
	} else {
		s = k
		for s >= 0 && !(start[s] && depth[s] <= depth[k]) {
			s--
		}
		if s < 0 {
			return 0, 0, false
		}
		e = k + 1
		for e < n && !(depth[e] < depth[s] || depth[e] == depth[s] && (start[e] || isCloser(code[e]))) {
			e++
		}
		if isCloser(code[k]) && depth[k] <= depth[s] {
			// The brace that came too early ("event }") closes the block
			// holding the declaration: it is not part of it.
			e = k
		}
		if e < n && depth[s] == 0 && isCloser(code[e]) {
			// A closer at the top level closes nothing: it belongs to the
			// broken declaration (aggregate Order without its "{").
			e++
		}
	}
	// A member must end before the end of the file: its aggregate's brace
	// follows it.
	if s < 0 || e <= s || e >= n || code[e].Type == lexer.EOF && depth[s] > 0 || !balanced(code[s:e]) {
		return 0, 0, false
	}
	return s, e, true
}

// isCloser reports whether t closes a block.
func isCloser(t lexer.Token) bool { return t.Type == tokPunct && (t.Value == "}" || t.Value == ")") }

// balanced reports whether toks close every brace and parenthesis they
// open.
func balanced(toks []lexer.Token) bool {
	d := 0
	for _, t := range toks {
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case "{", "(":
			d++
		case "}", ")":
			if d--; d < 0 {
				return false
			}
		}
	}
	return d == 0
}

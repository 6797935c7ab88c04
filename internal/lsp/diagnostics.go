package lsp

import (
	"unicode"
	"unicode/utf8"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/esgen/esgen/dsl"
)

// diagnosticSource names esgen as the source of the diagnostics.
const diagnosticSource = "esgen"

// lspDiagnostic converts a diagnostic of the file t: it starts where esgen
// check says, and spans the fix's range when it has one, else the word
// there (a name, a keyword, a number), else one character. The message is
// check's, with the suggestion in parentheses; the code is check's code.
func lspDiagnostic(t *text, d dsl.Diagnostic) protocol.Diagnostic {
	start, end := diagnosticSpan(t, d)
	sev := protocol.DiagnosticSeverityError
	if d.Severity == dsl.SeverityWarning {
		sev = protocol.DiagnosticSeverityWarning
	}
	msg := d.Message
	if d.Suggestion != "" {
		msg += " (" + d.Suggestion + ")"
	}
	source := diagnosticSource
	return protocol.Diagnostic{
		Range:    t.rangeOf(start, end),
		Severity: &sev,
		Code:     &protocol.IntegerOrString{Value: d.Code},
		Source:   &source,
		Message:  msg,
	}
}

// diagnosticSpan returns the byte range a diagnostic underlines.
func diagnosticSpan(t *text, d dsl.Diagnostic) (int, int) {
	start := max(0, min(d.Pos.Offset, len(t.src)))
	if d.Fix != nil && d.Fix.Pos.Offset == start && d.Fix.End.Offset <= len(t.src) {
		return start, d.Fix.End.Offset
	}
	end := wordEnd(t.src, start)
	if end == start && start < len(t.src) {
		r, n := utf8.DecodeRuneInString(t.src[start:])
		if r != '\n' && r != '\r' {
			end += n
		}
	}
	return start, end
}

// isWordRune reports whether r can be part of a name or a number.
func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// wordEnd returns the end of the word starting at off (off when none).
func wordEnd(src string, off int) int {
	for off < len(src) {
		r, n := utf8.DecodeRuneInString(src[off:])
		if !isWordRune(r) {
			break
		}
		off += n
	}
	return off
}

// Package goname turns .esm names into Go identifiers. The checker uses it
// to report names that would collide once exported, and the generator uses
// it to spell every identifier it emits, so both agree by construction.
package goname

import (
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"
)

// initialisms are spelled in capitals when they form a whole word, as
// golint and gopls expect: node_id -> NodeID, http_url -> HTTPURL.
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true,
	"EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true,
	"IP": true, "JSON": true, "LHS": true, "QPS": true, "RAM": true, "RHS": true,
	"RPC": true, "SKU": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true,
	"TCP": true, "TLS": true, "TTL": true, "UDP": true, "UI": true, "UID": true,
	"URI": true, "URL": true, "UTF8": true, "UUID": true, "VM": true, "XML": true,
	"XMPP": true, "XSRF": true, "XSS": true,
}

// Words splits a name into its words: at underscores and at lower-to-upper
// case changes. "submitted_at" -> [submitted at]; "paymentID" -> [payment ID].
func Words(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	runes := []rune(name)
	for i, r := range runes {
		switch {
		case r == '_':
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 &&
			(unicode.IsLower(cur[len(cur)-1]) || unicode.IsDigit(cur[len(cur)-1]) ||
				(i+1 < len(runes) && unicode.IsLower(runes[i+1]))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}

// Exported returns the exported Go spelling of name: each word capitalised,
// initialisms in capitals. "submitted_at" -> "SubmittedAt", "node_id" -> "NodeID",
// "OrderSubmitted" -> "OrderSubmitted".
func Exported(name string) string {
	var b strings.Builder
	for _, w := range Words(name) {
		if up := strings.ToUpper(w); initialisms[up] {
			b.WriteString(up)
			continue
		}
		r, n := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(w[n:])
	}
	return b.String()
}

// Unexported returns the unexported Go spelling of name, escaped with a
// trailing underscore when it would be a Go keyword or predeclared
// identifier: "OrderID" -> "orderID", "type" -> "type_", "len" -> "len_".
func Unexported(name string) string {
	words := Words(name)
	if len(words) == 0 {
		return "_"
	}
	var b strings.Builder
	for i, w := range words {
		up := strings.ToUpper(w)
		switch {
		case i == 0 && initialisms[up]:
			b.WriteString(strings.ToLower(w))
		case i == 0:
			r, n := utf8.DecodeRuneInString(w)
			b.WriteRune(unicode.ToLower(r))
			b.WriteString(w[n:])
		case initialisms[up]:
			b.WriteString(up)
		default:
			r, n := utf8.DecodeRuneInString(w)
			b.WriteRune(unicode.ToUpper(r))
			b.WriteString(w[n:])
		}
	}
	return Escape(b.String())
}

// Escape appends an underscore to Go keywords and predeclared identifiers.
func Escape(ident string) string {
	if IsKeyword(ident) || IsPredeclared(ident) {
		return ident + "_"
	}
	return ident
}

// IsKeyword reports whether s is a Go keyword.
func IsKeyword(s string) bool { return token.IsKeyword(s) }

// IsPredeclared reports whether s is a predeclared Go identifier (a
// builtin type, constant or function).
func IsPredeclared(s string) bool { return predeclared[s] }

// IsBuiltinType reports whether s names a predeclared Go type.
func IsBuiltinType(s string) bool { return builtinTypes[s] }

var builtinTypes = map[string]bool{
	"any": true, "bool": true, "byte": true, "comparable": true, "complex64": true,
	"complex128": true, "error": true, "float32": true, "float64": true, "int": true,
	"int8": true, "int16": true, "int32": true, "int64": true, "rune": true,
	"string": true, "uint": true, "uint8": true, "uint16": true, "uint32": true,
	"uint64": true, "uintptr": true,
}

var predeclared = func() map[string]bool {
	m := map[string]bool{
		"true": true, "false": true, "iota": true, "nil": true,
		"append": true, "cap": true, "clear": true, "close": true, "complex": true,
		"copy": true, "delete": true, "imag": true, "len": true, "make": true,
		"max": true, "min": true, "new": true, "panic": true, "print": true,
		"println": true, "real": true, "recover": true,
	}
	for t := range builtinTypes {
		m[t] = true
	}
	return m
}()

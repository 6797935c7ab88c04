package dsl

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// Token types of the .esm lexer. Punctuation, including the two-character
// arrow "->", is one token type matched by its text in the grammar.
const (
	tokComment lexer.TokenType = iota + 1
	tokIdent
	tokKeyword
	tokString
	tokInt
	tokFloat
	tokVersion
	tokPunct
	tokDuration
)

// keywords cannot be used as names anywhere in a .esm file. The aggregate
// options id, stream, subject, snapshot, every and lives are contextual: they are
// keywords only at the start of an aggregate member, and fine as names.
var keywords = map[string]bool{
	"package": true, "import": true, "extern": true, "type": true,
	"aggregate": true, "eventual": true, "state": true, "command": true,
	"event": true, "on": true, "emits": true, "initial": true, "final": true,
	"upcast": true, "map": true, "true": true, "false": true,
}

// Keywords returns the reserved words of the language, sorted.
func Keywords() []string {
	return []string{"aggregate", "command", "emits", "event", "eventual", "extern", "false",
		"final", "import", "initial", "map", "on", "package", "state", "true", "type", "upcast"}
}

// IsName reports whether s can be written where the grammar expects a
// name: one identifier (letters, digits and underscores, starting with a
// letter or an underscore) or a word such as v2, and not a keyword.
// Contextual keywords (id, process, sends...) are names.
func IsName(s string) bool {
	toks, err := lexBytes("", []byte(s))
	return err == nil && len(toks) == 2 && (toks[0].Type == tokIdent || toks[0].Type == tokVersion) && toks[0].Value == s
}

// lexDef is the participle lexer definition. Parse does not call Lex: it
// lexes with lexBytes, which keeps the comments aside, and hands participle
// the tokens. lexDef tells participle the token names used in the grammar.
type lexDef struct{}

// Symbols maps the token names of the grammar to token types.
func (lexDef) Symbols() map[string]lexer.TokenType {
	return map[string]lexer.TokenType{
		"EOF": lexer.EOF, "Comment": tokComment, "Ident": tokIdent, "Keyword": tokKeyword,
		"String": tokString, "Int": tokInt, "Float": tokFloat, "Version": tokVersion,
		"Punct": tokPunct, "Duration": tokDuration,
	}
}

// Lex lexes r, dropping comments.
func (lexDef) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	toks, lerr := lexBytes(filename, src)
	if lerr != nil {
		return nil, lerr
	}
	return &sliceLexer{toks: withoutComments(toks)}, nil
}

// sliceLexer replays already lexed tokens to participle. The last token is
// EOF and is repeated forever.
type sliceLexer struct {
	toks []lexer.Token
	i    int
}

func (l *sliceLexer) Next() (lexer.Token, error) {
	if l.i >= len(l.toks) {
		return l.toks[len(l.toks)-1], nil
	}
	t := l.toks[l.i]
	l.i++
	return t, nil
}

// withoutComments returns the tokens that are not comments.
func withoutComments(toks []lexer.Token) []lexer.Token {
	out := make([]lexer.Token, 0, len(toks))
	for _, t := range toks {
		if t.Type != tokComment {
			out = append(out, t)
		}
	}
	return out
}

// lexError is a lexical error at a position, with the code of the
// diagnostic that reports it.
type lexError struct {
	Pos  lexer.Position
	Code string
	Msg  string
}

func (e *lexError) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// lexBytes splits src into tokens, the last one EOF. Whitespace is dropped;
// comments are kept as tokens (text without the line end). It stops at the
// first lexical error.
func lexBytes(filename string, src []byte) ([]lexer.Token, *lexError) {
	toks := make([]lexer.Token, 0, len(src)/5+1)
	line, lineStart := 1, 0
	pos := func(off int) lexer.Position {
		return lexer.Position{Filename: filename, Offset: off, Line: line, Column: off - lineStart + 1}
	}
	errAt := func(off int, code, format string, args ...any) *lexError {
		return &lexError{Pos: pos(off), Code: code, Msg: fmt.Sprintf(format, args...)}
	}
	i := 0
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		i = 3 // a leading byte order mark is ignored, as Go does
	}
	emit := func(tt lexer.TokenType, start int) {
		toks = append(toks, lexer.Token{Type: tt, Value: string(src[start:i]), Pos: pos(start)})
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			i++
			line, lineStart = line+1, i
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			start := i
			for i < len(src) && src[i] != '\n' {
				if src[i] >= utf8.RuneSelf {
					r, n := utf8.DecodeRune(src[i:])
					if r == utf8.RuneError && n == 1 {
						return nil, errAt(i, codeInvalidCharacter, "invalid UTF-8 encoding")
					}
					i += n
					continue
				}
				if src[i] < ' ' && src[i] != '\t' && src[i] != '\r' {
					return nil, errAt(i, codeInvalidCharacter, "invalid character %U in comment", rune(src[i]))
				}
				i++
			}
			end := i
			for end > start && (src[end-1] == '\r' || src[end-1] == ' ' || src[end-1] == '\t') {
				end--
			}
			toks = append(toks, lexer.Token{Type: tokComment, Value: string(src[start:end]), Pos: pos(start)})
		case c == '"':
			start := i
			i++
			for {
				if i >= len(src) || src[i] == '\n' || src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n' {
					return nil, errAt(start, codeInvalidString, "string literal not terminated")
				}
				if src[i] == '\\' && i+1 < len(src) && src[i+1] != '\n' {
					i += 2
					continue
				}
				if src[i] == '"' {
					i++
					break
				}
				if src[i] >= utf8.RuneSelf {
					r, n := utf8.DecodeRune(src[i:])
					if r == utf8.RuneError && n == 1 {
						return nil, errAt(i, codeInvalidCharacter, "invalid UTF-8 encoding")
					}
					i += n
					continue
				}
				if src[i] < ' ' && src[i] != '\t' {
					return nil, errAt(i, codeInvalidCharacter, "invalid character %U in string literal", rune(src[i]))
				}
				i++
			}
			if _, err := strconv.Unquote(string(src[start:i])); err != nil {
				return nil, errAt(start, codeInvalidString, "invalid escape sequence in string literal %s", src[start:i])
			}
			emit(tokString, start)
		case isDigit(c) || (c == '-' && i+1 < len(src) && isDigit(src[i+1])):
			start := i
			i++
			for i < len(src) && isDigit(src[i]) {
				i++
			}
			tt := tokInt
			if i+1 < len(src) && src[i] == '.' && isDigit(src[i+1]) {
				tt = tokFloat
				i++
				for i < len(src) && isDigit(src[i]) {
					i++
				}
			}
			if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
				j := i + 1
				if j < len(src) && (src[j] == '+' || src[j] == '-') {
					j++
				}
				if j < len(src) && isDigit(src[j]) {
					tt = tokFloat
					i = j
					for i < len(src) && isDigit(src[i]) {
						i++
					}
				}
			}
			if i < len(src) && (isIdentByte(src[i]) || src[i] >= utf8.RuneSelf) {
				end := i + 1
				for end < len(src) && (isIdentByte(src[end]) || src[end] == '.' || src[end] >= utf8.RuneSelf) {
					end++
				}
				word := string(src[start:end])
				// A number and a unit is a duration, such as 30m or 1h30m.
				if d, err := time.ParseDuration(word); err == nil && d > 0 && src[start] != '-' {
					i = end
					emit(tokDuration, start)
					continue
				}
				if n := len(toks); n > 0 && toks[n-1].Value == "after" {
					if days, err := strconv.ParseUint(strings.TrimSuffix(word, "d"), 10, 32); err == nil && strings.HasSuffix(word, "d") && days > 0 {
						return nil, errAt(start, codeInvalidDuration, "invalid duration %q: durations have no day unit: write %dh", word, days*24)
					}
					return nil, errAt(start, codeInvalidDuration, "invalid duration %q: write a positive number and a unit, ns, us, ms, s, m or h, as in 30m or 1h30m", word)
				}
				return nil, errAt(start, codeInvalidNumber, "invalid number %q", word)
			}
			digits := src[start:i]
			if digits[0] == '-' {
				digits = digits[1:]
			}
			if tt == tokInt && len(digits) > 1 && digits[0] == '0' {
				return nil, errAt(start, codeInvalidNumber, "invalid number %q: integers are decimal and do not start with 0", string(src[start:i]))
			}
			emit(tt, start)
		case c == '-' && i+1 < len(src) && src[i+1] == '>':
			start := i
			i += 2
			emit(tokPunct, start)
		case c == '{' || c == '}' || c == '[' || c == ']' || c == '(' || c == ')' ||
			c == ',' || c == ';' || c == ':' || c == '.' || c == '*' || c == '=' || c == '|':
			start := i
			i++
			emit(tokPunct, start)
		case c < utf8.RuneSelf && isIdentByte(c):
			start := i
			for i < len(src) && src[i] < utf8.RuneSelf && isIdentByte(src[i]) {
				i++
			}
			if i < len(src) && src[i] >= utf8.RuneSelf {
				var err *lexError
				if i, err = lexUnicodeIdent(src, i, errAt); err != nil {
					return nil, err
				}
			}
			emit(identType(src[start:i]), start)
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n == 1 {
				return nil, errAt(i, codeInvalidCharacter, "invalid UTF-8 encoding")
			}
			if !unicode.IsLetter(r) {
				return nil, errAt(i, codeInvalidCharacter, "invalid character %U %q", r, r)
			}
			start := i
			var err *lexError
			if i, err = lexUnicodeIdent(src, i, errAt); err != nil {
				return nil, err
			}
			emit(identType(src[start:i]), start)
		default:
			if c < ' ' || c == 0x7f {
				return nil, errAt(i, codeInvalidCharacter, "invalid character %U", rune(c))
			}
			if c == '>' && i > 0 && src[i-1] == '=' {
				return nil, errAt(i, codeInvalidCharacter, "invalid character '>': the arrow is ->, not =>")
			}
			return nil, errAt(i, codeInvalidCharacter, "invalid character %q", rune(c))
		}
	}
	toks = append(toks, lexer.Token{Type: lexer.EOF, Pos: pos(i)})
	return toks, nil
}

// lexUnicodeIdent continues an identifier at src[i] once it meets a
// non-ASCII byte, and returns the offset just after the identifier.
func lexUnicodeIdent(src []byte, i int, errAt func(int, string, string, ...any) *lexError) (int, *lexError) {
	for i < len(src) {
		if src[i] < utf8.RuneSelf {
			if !isIdentByte(src[i]) {
				return i, nil
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			return i, errAt(i, codeInvalidCharacter, "invalid UTF-8 encoding")
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return i, nil
		}
		i += n
	}
	return i, nil
}

// identType classifies a word: keyword, version (v1, v2, ...) or identifier.
func identType(word []byte) lexer.TokenType {
	if keywords[string(word)] {
		return tokKeyword
	}
	if len(word) >= 2 && word[0] == 'v' && isDigit(word[1]) {
		for _, b := range word[2:] {
			if !isDigit(b) {
				return tokIdent
			}
		}
		return tokVersion
	}
	return tokIdent
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isIdentByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

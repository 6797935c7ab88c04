package esjson

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Reader reads one JSON value from a byte slice, piece by piece, as
// generated code asks for it. It remembers the first error: from then on
// every read returns a zero value, BeginObject, NextMember, BeginArray and
// NextElem return false (so loops end), and Err and End return the error.
//
// A Reader does not copy its input; Key and Raw return slices of it (or of
// a scratch buffer) that are valid until the next read.
type Reader struct {
	data []byte
	pos  int
	err  error
	key  []byte
	buf  []byte // scratch for keys with escapes
}

// NewReader returns a Reader of data.
func NewReader(data []byte) Reader { return Reader{data: data} }

// Err returns the first error met, or nil.
func (r *Reader) Err() error { return r.err }

// Offset returns the byte offset of the next byte to read.
func (r *Reader) Offset() int { return r.pos }

// End checks that only white space follows the value read and returns the
// first error met, or nil.
func (r *Reader) End() error {
	if r.err == nil && r.skipSpace() {
		r.fail("unexpected data after the value")
	}
	return r.err
}

// Null consumes a JSON null and reports whether there was one. It consumes
// nothing else.
func (r *Reader) Null() bool {
	if r.err != nil || !r.skipSpace() || r.data[r.pos] != 'n' {
		return false
	}
	return r.literal("null")
}

// BeginObject reads the start of an object and, when it has a member, that
// member's key and colon: it reports whether there is a member to read. On
// null it reports false, as for {}.
func (r *Reader) BeginObject() bool {
	if r.err != nil || !r.expectValue() {
		return false
	}
	switch r.data[r.pos] {
	case '{':
		r.pos++
		if r.skipSpace() && r.data[r.pos] == '}' {
			r.pos++
			return false
		}
		return r.readKey()
	case 'n':
		r.literal("null")
		return false
	}
	r.fail("expected an object")
	return false
}

// NextMember reads the comma and the key of the next member of the object
// being read and reports true, or reads the closing brace and reports
// false.
func (r *Reader) NextMember() bool {
	if r.err != nil {
		return false
	}
	if !r.skipSpace() {
		r.fail("unexpected end of input in an object")
		return false
	}
	switch r.data[r.pos] {
	case ',':
		r.pos++
		return r.readKey()
	case '}':
		r.pos++
		return false
	}
	r.fail("expected ',' or '}' after an object member")
	return false
}

// Key returns the key of the current member, unescaped.
func (r *Reader) Key() []byte { return r.key }

// KeyInt parses the current key as a decimal integer of the given bit
// size, as encoding/json parses integer map keys.
func (r *Reader) KeyInt(bits int) int64 {
	if r.err != nil {
		return 0
	}
	n, err := strconv.ParseInt(bytesString(r.key), 10, bits)
	if err != nil {
		r.fail("map key " + strconv.Quote(string(r.key)) + " is not an int" + strconv.Itoa(bits))
		return 0
	}
	return n
}

// KeyUint parses the current key as an unsigned decimal integer of the
// given bit size.
func (r *Reader) KeyUint(bits int) uint64 {
	if r.err != nil {
		return 0
	}
	n, err := strconv.ParseUint(bytesString(r.key), 10, bits)
	if err != nil {
		r.fail("map key " + strconv.Quote(string(r.key)) + " is not a uint" + strconv.Itoa(bits))
		return 0
	}
	return n
}

// BeginArray reads the start of an array and reports whether it has an
// element to read. On null it reports false, as for [].
func (r *Reader) BeginArray() bool {
	if r.err != nil || !r.expectValue() {
		return false
	}
	switch r.data[r.pos] {
	case '[':
		r.pos++
		if r.skipSpace() && r.data[r.pos] == ']' {
			r.pos++
			return false
		}
		return r.err == nil
	case 'n':
		r.literal("null")
		return false
	}
	r.fail("expected an array")
	return false
}

// NextElem reads the comma before the next element of the array being read
// and reports true, or reads the closing bracket and reports false.
func (r *Reader) NextElem() bool {
	if r.err != nil {
		return false
	}
	if !r.skipSpace() {
		r.fail("unexpected end of input in an array")
		return false
	}
	switch r.data[r.pos] {
	case ',':
		r.pos++
		return true
	case ']':
		r.pos++
		return false
	}
	r.fail("expected ',' or ']' after an array element")
	return false
}

// String reads a string. null reads as "".
func (r *Reader) String() string {
	if r.err != nil || !r.expectValue() {
		return ""
	}
	switch r.data[r.pos] {
	case '"':
		return string(r.stringBytes())
	case 'n':
		r.literal("null")
		return ""
	}
	r.fail("expected a string")
	return ""
}

// Bool reads true or false. null reads as false.
func (r *Reader) Bool() bool {
	if r.err != nil || !r.expectValue() {
		return false
	}
	switch r.data[r.pos] {
	case 't':
		return r.literal("true")
	case 'f':
		r.literal("false")
		return false
	case 'n':
		r.literal("null")
		return false
	}
	r.fail("expected true or false")
	return false
}

// Int reads an integer that fits in a signed integer of the given bit size
// (8, 16, 32 or 64). Fractions and exponents are errors, as in
// encoding/json. null reads as 0.
func (r *Reader) Int(bits int) int64 {
	num, start, ok := r.integer()
	if !ok {
		return 0
	}
	neg := num[0] == '-'
	if neg {
		num = num[1:]
	}
	limit := uint64(1) << uint(bits-1) // magnitude of the most negative value
	var n uint64
	for _, c := range num {
		d := uint64(c - '0')
		if n > (limit-d)/10 {
			r.failAt(start, "number "+string(r.data[start:r.pos])+" overflows int"+strconv.Itoa(bits))
			return 0
		}
		n = n*10 + d
	}
	if neg {
		return -int64(n) // -(1<<63) wraps to itself, the most negative int64
	}
	if n > limit-1 {
		r.failAt(start, "number "+string(r.data[start:r.pos])+" overflows int"+strconv.Itoa(bits))
		return 0
	}
	return int64(n)
}

// Uint reads a non-negative integer that fits in an unsigned integer of the
// given bit size. null reads as 0.
func (r *Reader) Uint(bits int) uint64 {
	num, start, ok := r.integer()
	if !ok {
		return 0
	}
	if num[0] == '-' {
		if len(num) == 2 && num[1] == '0' {
			return 0
		}
		r.failAt(start, "number "+string(num)+" is negative, want uint"+strconv.Itoa(bits))
		return 0
	}
	max := uint64(1)<<uint(bits) - 1
	if bits == 64 {
		max = ^uint64(0)
	}
	var n uint64
	for _, c := range num {
		d := uint64(c - '0')
		if n > (max-d)/10 {
			r.failAt(start, "number "+string(num)+" overflows uint"+strconv.Itoa(bits))
			return 0
		}
		n = n*10 + d
	}
	return n
}

// Float reads a number as a float of the given bit size (32 or 64).
// Numbers out of range are errors. null reads as 0.
func (r *Reader) Float(bits int) float64 {
	if r.err != nil || !r.expectValue() {
		return 0
	}
	if r.data[r.pos] == 'n' {
		r.literal("null")
		return 0
	}
	start := r.pos
	if !r.number() {
		return 0
	}
	f, err := strconv.ParseFloat(bytesString(r.data[start:r.pos]), bits)
	if err != nil {
		r.failAt(start, "number "+string(r.data[start:r.pos])+" overflows float"+strconv.Itoa(bits))
		return 0
	}
	return f
}

// Time reads an RFC 3339 time string, as time.Time.UnmarshalJSON does. null
// reads as the zero time.
func (r *Reader) Time() time.Time {
	if r.err != nil || !r.expectValue() {
		return time.Time{}
	}
	switch r.data[r.pos] {
	case '"':
		start := r.pos
		s, escaped := r.readString()
		if r.err != nil {
			return time.Time{}
		}
		var t time.Time
		if escaped {
			// time.Time.UnmarshalJSON does not unescape either.
			r.failAt(start, "time "+string(r.data[start:r.pos])+" is not RFC 3339")
			return t
		}
		if err := t.UnmarshalText(s); err != nil {
			r.err = &Error{Offset: start, Msg: "bad time", Err: err}
		}
		return t
	case 'n':
		r.literal("null")
		return time.Time{}
	}
	r.fail("expected a time string")
	return time.Time{}
}

// Base64 reads a standard base64 string, as encoding/json reads []byte:
// null reads as nil, "" as an empty non-nil slice.
func (r *Reader) Base64() []byte {
	if r.err != nil || !r.expectValue() {
		return nil
	}
	switch r.data[r.pos] {
	case '"':
		start := r.pos
		s := r.stringBytes()
		if r.err != nil {
			return nil
		}
		b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
		n, err := base64.StdEncoding.Decode(b, s)
		if err != nil {
			r.err = &Error{Offset: start, Msg: "bad base64", Err: err}
			return nil
		}
		return b[:n]
	case 'n':
		r.literal("null")
		return nil
	}
	r.fail("expected a base64 string")
	return nil
}

// Skip reads and discards one value of any kind, checking its syntax.
func (r *Reader) Skip() { r.skipValue(0) }

// Raw reads one value of any kind, checking its syntax, and returns its
// bytes as they are in the input.
func (r *Reader) Raw() []byte {
	if r.err != nil || !r.expectValue() {
		return nil
	}
	start := r.pos
	r.skipValue(0)
	if r.err != nil {
		return nil
	}
	return r.data[start:r.pos]
}

// Unmarshal reads one value with encoding/json.Unmarshal into v: the
// fallback for types esgen cannot decode directly.
func (r *Reader) Unmarshal(v any) {
	r.skipSpace()
	start := r.pos
	raw := r.Raw()
	if r.err != nil {
		return
	}
	if err := json.Unmarshal(raw, v); err != nil {
		r.err = &Error{Offset: start, Msg: "cannot decode value", Err: err}
	}
}

// maxDepth bounds the nesting of skipped values, so that hostile input
// cannot exhaust the stack.
const maxDepth = 10000

func (r *Reader) skipValue(depth int) {
	if r.err != nil || !r.expectValue() {
		return
	}
	if depth > maxDepth {
		r.fail("values nested too deeply")
		return
	}
	switch c := r.data[r.pos]; c {
	case '{':
		for more := r.BeginObject(); more; more = r.NextMember() {
			r.skipValue(depth + 1)
		}
	case '[':
		for more := r.BeginArray(); more; more = r.NextElem() {
			r.skipValue(depth + 1)
		}
	case '"':
		r.readString()
	case 't':
		r.literal("true")
	case 'f':
		r.literal("false")
	case 'n':
		r.literal("null")
	default:
		if c == '-' || '0' <= c && c <= '9' {
			r.number()
			return
		}
		r.fail("expected a value")
	}
}

// readKey reads a member's key and the colon after it.
func (r *Reader) readKey() bool {
	if !r.skipSpace() || r.data[r.pos] != '"' {
		r.fail("expected a string key")
		return false
	}
	r.key = r.stringBytes()
	if !r.skipSpace() || r.data[r.pos] != ':' {
		r.fail("expected ':' after an object key")
		return false
	}
	r.pos++
	return r.err == nil
}

// stringBytes reads a string starting at the quote under the cursor and
// returns it unescaped: a slice of the input when it has no escapes, else
// of the scratch buffer.
func (r *Reader) stringBytes() []byte {
	s, escaped := r.readString()
	if escaped {
		r.buf = unescape(r.buf[:0], s)
		s = r.buf
	}
	return s
}

// readString reads a string starting at the quote under the cursor and
// returns the bytes between the quotes as they are; escaped reports whether
// they hold escapes or invalid UTF-8.
func (r *Reader) readString() (s []byte, escaped bool) {
	start := r.pos + 1
	i := start
	for i < len(r.data) {
		c := r.data[i]
		switch {
		case c == '"':
			r.pos = i + 1
			return r.data[start:i], escaped
		case c == '\\':
			escaped = true
			if i+1 >= len(r.data) {
				r.failAt(i, "unexpected end of input in a string")
				return nil, false
			}
			switch r.data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(r.data) || hex4(r.data[i+2:i+6]) < 0 {
					r.failAt(i, `bad \u escape in a string`)
					return nil, false
				}
				i += 6
			default:
				r.failAt(i, "bad escape in a string")
				return nil, false
			}
		case c < ' ':
			r.failAt(i, "control character in a string")
			return nil, false
		case c < utf8.RuneSelf:
			i++
		default:
			ru, size := utf8.DecodeRune(r.data[i:])
			if ru == utf8.RuneError && size == 1 {
				escaped = true
			}
			i += size
		}
	}
	r.failAt(len(r.data), "unexpected end of input in a string")
	return nil, false
}

// unescape appends the unescaped form of a string body already checked by
// readString, replacing invalid UTF-8 and lone surrogates with U+FFFD as
// encoding/json does.
func unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			switch s[i+1] {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				ru := hex4(s[i+2 : i+6])
				i += 6
				if utf16.IsSurrogate(ru) {
					if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
						if dec := utf16.DecodeRune(ru, hex4(s[i+2:i+6])); dec != unicode.ReplacementChar {
							i += 6
							dst = utf8.AppendRune(dst, dec)
							continue
						}
					}
					ru = unicode.ReplacementChar
				}
				dst = utf8.AppendRune(dst, ru)
				continue
			default: // " \ /
				dst = append(dst, s[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			ru, size := utf8.DecodeRune(s[i:])
			dst = utf8.AppendRune(dst, ru)
			i += size
		}
	}
	return dst
}

// hex4 decodes four hex digits, or returns -1.
func hex4(b []byte) rune {
	var n rune
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		n = n<<4 | rune(c)
	}
	return n
}

// integer reads a number that must be an integer and returns its text
// (sign and digits), its offset and true; null gives ok false without an
// error.
func (r *Reader) integer() (num []byte, start int, ok bool) {
	if r.err != nil || !r.expectValue() {
		return nil, 0, false
	}
	if r.data[r.pos] == 'n' {
		r.literal("null")
		return nil, 0, false
	}
	start = r.pos
	if !r.number() {
		return nil, 0, false
	}
	num = r.data[start:r.pos]
	for _, c := range num {
		if c == '.' || c == 'e' || c == 'E' {
			r.failAt(start, "number "+string(num)+" is not an integer")
			return nil, 0, false
		}
	}
	return num, start, true
}

// number reads a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *Reader) number() bool {
	d, i := r.data, r.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && '1' <= d[i] && d[i] <= '9':
		for i++; i < len(d) && '0' <= d[i] && d[i] <= '9'; i++ {
		}
	default:
		r.failAt(i, "expected a number")
		return false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			r.failAt(i, "expected a digit after the decimal point")
			return false
		}
		for ; i < len(d) && '0' <= d[i] && d[i] <= '9'; i++ {
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			r.failAt(i, "expected a digit in the exponent")
			return false
		}
		for ; i < len(d) && '0' <= d[i] && d[i] <= '9'; i++ {
		}
	}
	r.pos = i
	return true
}

// literal reads the exact word (true, false, null) and reports whether it
// was there.
func (r *Reader) literal(word string) bool {
	if len(r.data)-r.pos >= len(word) && string(r.data[r.pos:r.pos+len(word)]) == word {
		r.pos += len(word)
		return true
	}
	r.fail("expected " + word)
	return false
}

// expectValue skips white space and fails at the end of the input.
func (r *Reader) expectValue() bool {
	if r.skipSpace() {
		return true
	}
	r.fail("unexpected end of input, expected a value")
	return false
}

// skipSpace skips white space and reports whether input remains.
func (r *Reader) skipSpace() bool {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return true
		}
	}
	return false
}

func (r *Reader) fail(msg string) { r.failAt(r.pos, msg) }

func (r *Reader) failAt(offset int, msg string) {
	if r.err == nil {
		r.err = &Error{Offset: offset, Msg: msg}
	}
}

// bytesString views b as a string without copying, for parsers that do
// not keep their argument past the call (their errors are discarded).
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

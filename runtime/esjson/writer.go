package esjson

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Writer appends JSON to a byte slice. It remembers the first error; later
// writes still append but the result must be discarded when Err is not nil.
// The zero value is ready to use. A Writer must not be copied after use.
type Writer struct {
	buf []byte
	err error
}

// NewWriter returns a Writer appending to buf, typically an empty slice
// with some capacity.
func NewWriter(buf []byte) Writer { return Writer{buf: buf} }

// WriterOn returns a Writer appending to buf[:0], with room made for size
// bytes, an estimate of what will be written: buf's own array when it has
// at least half that much capacity (what is written often fits; when it
// does not, the array grows once, as a new one would have been made), else
// a new array of size bytes. Generated codecs use it with the size they
// expect to write, from the lengths of the value's strings and slices.
func WriterOn(buf []byte, size int) Writer {
	if 2*cap(buf) >= size && cap(buf) > 0 {
		return Writer{buf: buf[:0]}
	}
	return Writer{buf: slices.Grow(buf[:0], size)}
}

// Bytes returns the JSON written so far.
func (w *Writer) Bytes() []byte { return w.buf }

// Err returns the first error met, or nil.
func (w *Writer) Err() error { return w.err }

// Raw appends s verbatim: generated code uses it for punctuation and
// pre-escaped keys such as `{"sku":`.
func (w *Writer) Raw(s string) { w.buf = append(w.buf, s...) }

// Byte appends one byte verbatim, such as ',' or '}'.
func (w *Writer) Byte(c byte) { w.buf = append(w.buf, c) }

// Null appends null.
func (w *Writer) Null() { w.buf = append(w.buf, "null"...) }

// String appends s as a JSON string, escaped as encoding/json escapes it.
func (w *Writer) String(s string) { w.buf = AppendString(w.buf, s) }

// Bool appends true or false.
func (w *Writer) Bool(b bool) { w.buf = strconv.AppendBool(w.buf, b) }

// Int appends v in decimal.
func (w *Writer) Int(v int64) { w.buf = strconv.AppendInt(w.buf, v, 10) }

// Uint appends v in decimal.
func (w *Writer) Uint(v uint64) { w.buf = strconv.AppendUint(w.buf, v, 10) }

// IntKey appends v as a quoted decimal, the form of integer map keys.
func (w *Writer) IntKey(v int64) {
	w.buf = append(w.buf, '"')
	w.buf = strconv.AppendInt(w.buf, v, 10)
	w.buf = append(w.buf, '"')
}

// UintKey appends v as a quoted decimal, the form of unsigned map keys.
func (w *Writer) UintKey(v uint64) {
	w.buf = append(w.buf, '"')
	w.buf = strconv.AppendUint(w.buf, v, 10)
	w.buf = append(w.buf, '"')
}

// Float appends f as encoding/json does for a float of the given bit size
// (32 or 64). NaN and infinities are errors: JSON has no spelling for them.
func (w *Writer) Float(f float64, bits int) {
	b, err := AppendFloat(w.buf, f, bits)
	w.buf = b
	w.setErr(err)
}

// Time appends t as a quoted RFC 3339 time with nanoseconds, as
// time.Time.MarshalJSON does. Years outside 0–9999 and zone offsets of 24
// hours or more are errors.
func (w *Writer) Time(t time.Time) {
	b, err := AppendTime(w.buf, t)
	w.buf = b
	w.setErr(err)
}

// Base64 appends b as a quoted standard base64 string, or null when b is
// nil, as encoding/json encodes []byte.
func (w *Writer) Base64(b []byte) {
	if b == nil {
		w.Null()
		return
	}
	w.buf = AppendBase64(w.buf, b)
}

// Marshal appends v as encoding/json.Marshal encodes it: the fallback for
// types esgen cannot encode directly (types of the consumer's package,
// imported types other than time.Time).
func (w *Writer) Marshal(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		w.setErr(err)
		w.Null()
		return
	}
	w.buf = append(w.buf, b...)
}

func (w *Writer) setErr(err error) {
	if err != nil && w.err == nil {
		w.err = err
	}
}

const hex = "0123456789abcdef"

// htmlSafe reports the ASCII bytes that need no escaping in a JSON string
// written by encoding/json: from space to DEL, except " \ < > and &.
var htmlSafe = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// AppendString appends s to dst as a JSON string, escaped exactly as
// encoding/json escapes it: ", \ and control characters, <, > and & as
// \u003c, \u003e and \u0026, U+2028 and U+2029, and every invalid UTF-8
// byte as \ufffd.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if htmlSafe[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// ErrUnsupportedFloat is the error of writing a NaN or an infinity.
var ErrUnsupportedFloat = errors.New("json: NaN and infinities have no JSON form")

// AppendFloat appends f as encoding/json writes a float of the given bit
// size (32 or 64): shortest representation, exponent form below 1e-6 and
// from 1e21 on. NaN and infinities fail with ErrUnsupportedFloat, and dst
// is returned unchanged.
func AppendFloat(dst []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, ErrUnsupportedFloat
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' {
		// 1e-07 is written 1e-7.
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// AppendTime appends t as time.Time.MarshalJSON writes it. On error (a year
// outside 0–9999, a zone offset of 24 hours or more) dst is returned
// unchanged.
func AppendTime(dst []byte, t time.Time) ([]byte, error) {
	b, err := t.AppendText(append(dst, '"'))
	if err != nil {
		return dst, err
	}
	return append(b, '"'), nil
}

// AppendBase64 appends b as a quoted standard base64 string.
func AppendBase64(dst, b []byte) []byte {
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, b)
	return append(dst, '"')
}

package esjson

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"testing"
)

// readSample reads a writerSample the way generated code does.
func readSample(r *Reader, v *writerSample) {
	for more := r.BeginObject(); more; more = r.NextMember() {
		switch string(r.Key()) {
		case "s":
			v.S = r.String()
		case "b":
			v.B = r.Bool()
		case "i":
			v.I = r.Int(64)
		case "u":
			v.U = r.Uint(64)
		case "f":
			v.F = r.Float(64)
		case "t":
			v.T = r.Time()
		case "raw":
			v.Raw = r.Base64()
		case "m":
			if !r.Null() {
				v.M = map[string]int{}
				for more := r.BeginObject(); more; more = r.NextMember() {
					k := string(r.Key())
					v.M[k] = int(r.Int(strconv.IntSize))
				}
			}
		case "im":
			if !r.Null() {
				v.IM = map[int]string{}
				for more := r.BeginObject(); more; more = r.NextMember() {
					k := int(r.KeyInt(strconv.IntSize))
					v.IM[k] = r.String()
				}
			}
		case "l":
			if !r.Null() {
				v.L = []string{}
				for more := r.BeginArray(); more; more = r.NextElem() {
					v.L = append(v.L, r.String())
				}
			}
		case "ext":
			r.Unmarshal(&v.Ext)
		case "opt":
			if !r.Null() {
				v.Opt = new(r.String())
			}
		case "any":
			r.Unmarshal(&v.Any)
		default:
			r.Skip()
		}
	}
}

func TestReaderReadsWhatEncodingJSONReads(t *testing.T) {
	tests := []string{
		`{}`,
		`null`,
		` { "s" : "a\"b\u003cc\u003e\/" , "b":true,"i":-9223372036854775808,"u":18446744073709551615,
		   "f":-1.234e-6,"t":"2025-03-01T12:00:00.000000005Z","raw":"AAEC+g==","m":{"z":1,"a":2},
		   "im":{"10":"ten","-1":"minus"},"l":["x",""],"ext":{"k":[1,2]},"opt":"o","any":{"a":"1"}} `,
		`{"unknown":{"deep":[1,{"x":null},"s",true,false,-0.5e+3]},"s":"kept"}`,
		`{"raw":"","m":{},"im":{},"l":[],"ext":null,"opt":null}`,
		`{"s":null,"b":null,"i":null,"u":null,"f":null,"t":null,"raw":null,"m":null,"l":null}`,
		`{"s":"\ud83c\udf89 \ud800 x \udc00\u0041 \u00e9","s":"dup: last wins \ud83c\udf89"}`,
		"{\"s\":\"invalid \xff utf8\"}",
		`{"\u0073":"escaped key"}`,
		`{"t":"2024-02-29T23:59:59.5+05:30"}`,
		`{"f":1e308,"i":0,"u":0}`,
	}
	for _, in := range tests {
		var want writerSample
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("json.Unmarshal(%s): %v", in, err)
		}
		var got writerSample
		r := NewReader([]byte(in))
		readSample(&r, &got)
		if err := r.End(); err != nil {
			t.Fatalf("read %s: %v", in, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read %s\n got %+v\nwant %+v", in, got, want)
		}
	}
}

func TestReaderErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{``, 0, "unexpected end of input, expected a value"},
		{`   `, 3, "unexpected end of input, expected a value"},
		{`[]`, 0, "expected an object"},
		{`{"s":"x"} x`, 10, "unexpected data after the value"},
		{`{"s":"x"`, 8, "unexpected end of input in an object"},
		{`{"s" "x"}`, 5, "expected ':' after an object key"},
		{`{s:1}`, 1, "expected a string key"},
		{`{"s":"x",}`, 9, "expected a string key"},
		{`{"s":"x" "b":true}`, 9, "expected ',' or '}' after an object member"},
		{`{"s":1}`, 5, "expected a string"},
		{`{"s":"a` + "\n" + `"}`, 7, "control character in a string"},
		{`{"s":"\x"}`, 6, "bad escape in a string"},
		{`{"s":"\u12"}`, 6, `bad \u escape in a string`},
		{`{"s":"abc`, 9, "unexpected end of input in a string"},
		{`{"b":tru}`, 5, "expected true"},
		{`{"b":1}`, 5, "expected true or false"},
		{`{"i":1.5}`, 5, "number 1.5 is not an integer"},
		{`{"i":1e2}`, 5, "number 1e2 is not an integer"},
		{`{"i":9223372036854775808}`, 5, "number 9223372036854775808 overflows int64"},
		{`{"i":-9223372036854775809}`, 5, "number -9223372036854775809 overflows int64"},
		{`{"i":01}`, 6, "expected ',' or '}' after an object member"},
		{`{"i":-}`, 6, "expected a number"},
		{`{"i":"1"}`, 5, "expected a number"},
		{`{"u":-1}`, 5, "number -1 is negative, want uint64"},
		{`{"f":1.}`, 7, "expected a digit after the decimal point"},
		{`{"f":1e}`, 7, "expected a digit in the exponent"},
		{`{"f":1e400}`, 5, "number 1e400 overflows float64"},
		{`{"t":"yesterday"}`, 5, `bad time: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`},
		{`{"t":"2024-01-01T00:00:00\u005a"}`, 5, `time "2024-01-01T00:00:00\u005a" is not RFC 3339`},
		{`{"raw":"***"}`, 7, "bad base64: illegal base64 data at input byte 0"},
		{`{"m":{"a":1,}}`, 12, "expected a string key"},
		{`{"im":{"x":"y"}}`, 11, `map key "x" is not an int64`},
		{`{"l":["a" "b"]}`, 10, "expected ',' or ']' after an array element"},
		{`{"l":[`, 6, "unexpected end of input, expected a value"},
		{`{"ext":{"a":}}`, 12, "expected a value"},
		{`{"any":[1]}`, 7, "cannot decode value: json: cannot unmarshal array into Go value of type map[string]string"},
		{`{"unknown":[1,}`, 14, "expected a value"},
	}
	for _, tt := range tests {
		var v writerSample
		r := NewReader([]byte(tt.in))
		readSample(&r, &v)
		err := r.End()
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("read %s: error %v, want *Error", tt.in, err)
			continue
		}
		if e.Offset != tt.offset || e.Msg+errSuffix(e) != tt.msg {
			t.Errorf("read %s: offset %d %q, want offset %d %q", tt.in, e.Offset, e.Msg+errSuffix(e), tt.offset, tt.msg)
		}
	}
}

func errSuffix(e *Error) string {
	if e.Err == nil {
		return ""
	}
	return ": " + e.Err.Error()
}

func TestReaderIntRanges(t *testing.T) {
	tests := []struct {
		bits     int
		min, max string
	}{
		{8, "-128", "127"}, {16, "-32768", "32767"}, {32, "-2147483648", "2147483647"},
		{64, "-9223372036854775808", "9223372036854775807"},
	}
	for _, tt := range tests {
		for _, in := range []string{tt.min, tt.max, "0", "-0"} {
			r := NewReader([]byte(in))
			got := r.Int(tt.bits)
			want, _ := strconv.ParseInt(in, 10, tt.bits)
			if err := r.End(); err != nil || got != want {
				t.Errorf("Int(%d) of %s = %d, %v; want %d", tt.bits, in, got, err, want)
			}
		}
		for _, in := range []string{addOne(tt.max), "-" + addOne(tt.min[1:])} {
			r := NewReader([]byte(in))
			if got := r.Int(tt.bits); r.End() == nil {
				t.Errorf("Int(%d) of %s = %d, want an overflow error", tt.bits, in, got)
			}
		}
		umax := strconv.FormatUint(1<<uint(tt.bits)-1, 10)
		if tt.bits == 64 {
			umax = strconv.FormatUint(math.MaxUint64, 10)
		}
		r := NewReader([]byte(umax))
		if got := r.Uint(tt.bits); r.End() != nil || strconv.FormatUint(got, 10) != umax {
			t.Errorf("Uint(%d) of %s = %d, %v", tt.bits, umax, got, r.Err())
		}
		r = NewReader([]byte(addOne(umax)))
		if got := r.Uint(tt.bits); r.End() == nil {
			t.Errorf("Uint(%d) of %s = %d, want an overflow error", tt.bits, addOne(umax), got)
		}
	}
}

// addOne adds one to a decimal number of digits only.
func addOne(s string) string {
	b := []byte(s)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}

func TestReaderFloat32(t *testing.T) {
	r := NewReader([]byte(`[3.4e38, 1e39, 0.1]`))
	var got []float64
	for more := r.BeginArray(); more; more = r.NextElem() {
		got = append(got, r.Float(32))
	}
	var e *Error
	if !errors.As(r.End(), &e) || e.Msg != "number 1e39 overflows float32" || e.Offset != 9 {
		t.Fatalf("reading 1e39 as float32: %v", r.Err())
	}
	if len(got) != 2 || float32(got[0]) != float32(3.4e38) {
		t.Fatalf("got %v", got)
	}
}

func TestReaderStopsAtFirstError(t *testing.T) {
	r := NewReader([]byte(`{"a":x,"b":"y"}`))
	n := 0
	for more := r.BeginObject(); more; more = r.NextMember() {
		n++
		r.Skip()
		if s := r.String(); s != "" {
			t.Fatalf("String after an error = %q", s)
		}
	}
	if n != 1 || r.Err() == nil {
		t.Fatalf("members read = %d, err = %v; want 1 and an error", n, r.Err())
	}
}

func TestReaderDeepNesting(t *testing.T) {
	deep := make([]byte, 0, 2*maxDepth+10)
	for range maxDepth + 5 {
		deep = append(deep, '[')
	}
	r := NewReader(deep)
	r.Skip()
	var e *Error
	if !errors.As(r.End(), &e) || e.Msg != "values nested too deeply" {
		t.Fatalf("skipping %d nested arrays: %v", maxDepth+5, r.Err())
	}
}

func TestReaderDecodesWithoutAllocating(t *testing.T) {
	data := []byte(`{"s":"plain","i":42,"f":1.25,"t":"2025-03-01T12:00:00.000000005Z","unknown":[1,{"a":"b"}],"b":true}`)
	var v writerSample
	allocs := testing.AllocsPerRun(100, func() {
		r := NewReader(data)
		for more := r.BeginObject(); more; more = r.NextMember() {
			switch string(r.Key()) {
			case "i":
				v.I = r.Int(64)
			case "f":
				v.F = r.Float(64)
			case "t":
				v.T = r.Time()
			case "b":
				v.B = r.Bool()
			default:
				r.Skip()
			}
		}
		if r.End() != nil {
			panic(r.Err())
		}
	})
	if allocs != 0 {
		t.Fatalf("reading numbers, times and skipped values allocated %v times, want 0", allocs)
	}
	if v.I != 42 || v.F != 1.25 || !v.B || v.T.Nanosecond() != 5 {
		t.Fatalf("read %+v", v)
	}
}

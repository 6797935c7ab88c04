package esjson

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"
)

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal(%#v): %v", v, err)
	}
	return string(b)
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	tests := []string{
		"", "plain", `quote " and backslash \`, "tab\t newline\n return\r",
		"\b\f\x00\x01\x1f\x7f", "<script>&amp;</script>", "é ü 日本語 🎉",
		"line\u2028sep\u2029para", "bad \xff utf8 \xc3", "\xed\xa0\x80 surrogate half",
		"/slash/",
	}
	for _, s := range tests {
		got := string(AppendString(nil, s))
		if want := marshal(t, s); got != want {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	tests := []float64{
		0, math.Copysign(0, -1), 1, -1, 0.1, 1.5, 100, 1e6, 1e20, 1e21, 1e-6, 1e-7,
		123456789.125, 3.4e38, math.MaxFloat64, math.SmallestNonzeroFloat64, 5e-324,
	}
	for _, f := range tests {
		got, err := AppendFloat(nil, f, 64)
		if err != nil {
			t.Fatalf("AppendFloat(%v, 64): %v", f, err)
		}
		if want := marshal(t, f); string(got) != want {
			t.Errorf("AppendFloat(%v, 64) = %s, want %s", f, got, want)
		}
		f32 := float32(f)
		if math.IsInf(float64(f32), 0) {
			continue
		}
		got, err = AppendFloat(nil, float64(f32), 32)
		if err != nil {
			t.Fatalf("AppendFloat(%v, 32): %v", f32, err)
		}
		if want := marshal(t, f32); string(got) != want {
			t.Errorf("AppendFloat(%v, 32) = %s, want %s", f32, got, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		got, err := AppendFloat([]byte("x"), f, 64)
		if !errors.Is(err, ErrUnsupportedFloat) || string(got) != "x" {
			t.Errorf("AppendFloat(%v) = %q, %v; want x, ErrUnsupportedFloat", f, got, err)
		}
	}
}

func TestAppendTimeMatchesEncodingJSON(t *testing.T) {
	tests := []time.Time{
		{},
		time.Date(2024, 2, 29, 23, 59, 59, 123456789, time.UTC),
		time.Date(2024, 2, 29, 23, 59, 59, 0, time.FixedZone("", 5*3600+30*60)),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.FixedZone("", -8*3600)),
	}
	for _, tm := range tests {
		got, err := AppendTime(nil, tm)
		if err != nil {
			t.Fatalf("AppendTime(%v): %v", tm, err)
		}
		if want := marshal(t, tm); string(got) != want {
			t.Errorf("AppendTime(%v) = %s, want %s", tm, got, want)
		}
	}
	for _, tm := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600)),
	} {
		if got, err := AppendTime([]byte("x"), tm); err == nil || string(got) != "x" {
			t.Errorf("AppendTime(%v) = %q, %v; want x and an error", tm, got, err)
		}
	}
}

type writerSample struct {
	S   string            `json:"s"`
	B   bool              `json:"b"`
	I   int64             `json:"i"`
	U   uint64            `json:"u"`
	F   float64           `json:"f"`
	T   time.Time         `json:"t"`
	Raw []byte            `json:"raw"`
	M   map[string]int    `json:"m"`
	IM  map[int]string    `json:"im"`
	L   []string          `json:"l"`
	Ext json.RawMessage   `json:"ext"`
	Opt *string           `json:"opt"`
	Any map[string]string `json:"any"`
}

// writeSample writes v the way generated code does.
func writeSample(w *Writer, v writerSample) {
	w.Raw(`{"s":`)
	w.String(v.S)
	w.Raw(`,"b":`)
	w.Bool(v.B)
	w.Raw(`,"i":`)
	w.Int(v.I)
	w.Raw(`,"u":`)
	w.Uint(v.U)
	w.Raw(`,"f":`)
	w.Float(v.F, 64)
	w.Raw(`,"t":`)
	w.Time(v.T)
	w.Raw(`,"raw":`)
	w.Base64(v.Raw)
	w.Raw(`,"m":`)
	if v.M == nil {
		w.Null()
	} else {
		w.Byte('{')
		for i, k := range SortedKeys(v.M) {
			if i > 0 {
				w.Byte(',')
			}
			w.String(k)
			w.Byte(':')
			w.Int(int64(v.M[k]))
		}
		w.Byte('}')
	}
	w.Raw(`,"im":`)
	if v.IM == nil {
		w.Null()
	} else {
		w.Byte('{')
		for i, k := range SortedIntKeys(v.IM) {
			if i > 0 {
				w.Byte(',')
			}
			w.IntKey(int64(k))
			w.Byte(':')
			w.String(v.IM[k])
		}
		w.Byte('}')
	}
	w.Raw(`,"l":`)
	if v.L == nil {
		w.Null()
	} else {
		w.Byte('[')
		for i, e := range v.L {
			if i > 0 {
				w.Byte(',')
			}
			w.String(e)
		}
		w.Byte(']')
	}
	w.Raw(`,"ext":`)
	w.Marshal(v.Ext)
	w.Raw(`,"opt":`)
	if v.Opt == nil {
		w.Null()
	} else {
		w.String(*v.Opt)
	}
	w.Raw(`,"any":`)
	w.Marshal(v.Any)
	w.Byte('}')
}

func TestWriterMatchesEncodingJSON(t *testing.T) {
	opt := "<opt>"
	tests := []writerSample{
		{},
		{
			S: "a\"b<c>", B: true, I: math.MinInt64, U: math.MaxUint64, F: -0.000001234,
			T:   time.Date(2025, 3, 1, 12, 0, 0, 5, time.UTC),
			Raw: []byte{0, 1, 2, 250}, M: map[string]int{"z": 1, "a": 2, "é": 3},
			IM: map[int]string{10: "ten", 9: "nine", -1: "minus"}, L: []string{"x", ""},
			Ext: json.RawMessage(`{"k":[1,2]}`), Opt: &opt, Any: map[string]string{"b": "2", "a": "1"},
		},
		{Raw: []byte{}, M: map[string]int{}, IM: map[int]string{}, L: []string{}, Ext: json.RawMessage(`null`)},
	}
	for _, v := range tests {
		w := NewWriter(nil)
		writeSample(&w, v)
		if err := w.Err(); err != nil {
			t.Fatalf("write %+v: %v", v, err)
		}
		if want := marshal(t, v); string(w.Bytes()) != want {
			t.Errorf("write %+v\n got %s\nwant %s", v, w.Bytes(), want)
		}
	}
}

func TestWriterKeepsFirstError(t *testing.T) {
	w := NewWriter(nil)
	w.Float(math.NaN(), 64)
	w.Time(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
	w.Marshal(func() {})
	if !errors.Is(w.Err(), ErrUnsupportedFloat) {
		t.Fatalf("Err() = %v, want ErrUnsupportedFloat", w.Err())
	}
	w = NewWriter(nil)
	w.Marshal(make(chan int))
	var ute *json.UnsupportedTypeError
	if !errors.As(w.Err(), &ute) {
		t.Fatalf("Err() = %v, want *json.UnsupportedTypeError", w.Err())
	}
}

func TestWriterEncodesWithoutAllocating(t *testing.T) {
	buf := make([]byte, 0, 512)
	v := writerSample{S: "hello <world>", I: 42, F: 1.25, T: time.Date(2025, 3, 1, 12, 0, 0, 5, time.UTC), L: []string{"a", "b"}}
	allocs := testing.AllocsPerRun(100, func() {
		w := NewWriter(buf[:0])
		w.Raw(`{"s":`)
		w.String(v.S)
		w.Raw(`,"i":`)
		w.Int(v.I)
		w.Raw(`,"f":`)
		w.Float(v.F, 64)
		w.Raw(`,"t":`)
		w.Time(v.T)
		w.Byte('}')
	})
	if allocs != 0 {
		t.Fatalf("writing into a large enough buffer allocated %v times, want 0", allocs)
	}
}

// TestWriterOn: the writer writes in the buffer given when it has at least
// half the room asked for, else in a new array of the size asked for.
func TestWriterOn(t *testing.T) {
	for _, tc := range []struct {
		capacity, size int
		own            bool
	}{
		{0, 10, false}, {100, 200, true}, {99, 200, false}, {300, 200, true},
	} {
		buf := make([]byte, 3, max(tc.capacity, 3))[:tc.capacity:tc.capacity]
		if tc.capacity == 0 {
			buf = nil
		}
		w := WriterOn(buf, tc.size)
		w.Raw("{}")
		got := w.Bytes()
		if string(got) != "{}" {
			t.Fatalf("WriterOn(cap %d, %d) wrote %q", tc.capacity, tc.size, got)
		}
		own := tc.capacity > 0 && &got[0] == &buf[:1][0]
		if own != tc.own {
			t.Errorf("WriterOn(cap %d, %d): wrote in the buffer given: %v, want %v", tc.capacity, tc.size, own, tc.own)
		}
		if !own && cap(got) < tc.size {
			t.Errorf("WriterOn(cap %d, %d): a new array of %d bytes, want at least %d", tc.capacity, tc.size, cap(got), tc.size)
		}
	}
}

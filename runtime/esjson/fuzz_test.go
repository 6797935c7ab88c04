package esjson

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"
)

// FuzzReaderValidity checks that the Reader accepts exactly the inputs
// encoding/json accepts, and reads strings as it does.
func FuzzReaderValidity(f *testing.F) {
	for _, s := range []string{
		`{}`, `null`, `{"a":[1,2.5e-3,true,false,null,"x\u00e9\ud83c\udf89"]}`, `"\ud800"`, "\"\xff\"",
		`[1,]`, `{"a" 1}`, `01`, `-`, `1.e3`, `"\/"`, `[[[[]]]]`, ` 1 `, `tru`, `"a` + "\t" + `"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(data)
		r.Skip()
		err := r.End()
		if valid := json.Valid(data); valid != (err == nil) {
			t.Fatalf("%q: json.Valid = %v, Reader error = %v", data, valid, err)
		}
		var want string
		if json.Unmarshal(data, &want) == nil && len(data) > 0 && data[firstNonSpace(data)] == '"' {
			r := NewReader(data)
			got := r.String()
			if err := r.End(); err != nil || got != want {
				t.Fatalf("%q: String() = %q, %v; encoding/json reads %q", data, got, err, want)
			}
		}
	})
}

func firstNonSpace(b []byte) int {
	for i, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return i
		}
	}
	return 0
}

// FuzzRoundTrip checks that the Writer writes the bytes encoding/json
// writes, that the Reader reads them back to equal values, and that
// encoding/json reads what the Writer writes.
func FuzzRoundTrip(f *testing.F) {
	f.Add("hello", true, int64(-3), uint64(7), 1.5, []byte("raw"), int64(1700000000), int64(5), "key", 10)
	f.Add("<\u2028\xff>", false, int64(math.MinInt64), uint64(math.MaxUint64), 1e-7, []byte(nil), int64(-62135596800), int64(0), "", -1)
	f.Fuzz(func(t *testing.T, s string, b bool, i int64, u uint64, fl float64, raw []byte, sec, nsec int64, key string, ikey int) {
		if math.IsNaN(fl) || math.IsInf(fl, 0) {
			return
		}
		tm := time.Unix(sec, nsec).UTC()
		if y := tm.Year(); y < 0 || y > 9999 {
			return
		}
		v := writerSample{
			S: s, B: b, I: i, U: u, F: fl, T: tm, Raw: raw,
			M: map[string]int{key: ikey, s: 1}, IM: map[int]string{ikey: key, 7: s},
			L: []string{s, key}, Opt: &key, Any: map[string]string{key: s},
		}
		w := NewWriter(nil)
		writeSample(&w, v)
		if err := w.Err(); err != nil {
			t.Fatalf("write %+v: %v", v, err)
		}
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
		if string(w.Bytes()) != string(want) {
			t.Fatalf("write %+v\n got %s\nwant %s", v, w.Bytes(), want)
		}
		var fromJSON writerSample
		if err := json.Unmarshal(w.Bytes(), &fromJSON); err != nil {
			t.Fatalf("encoding/json cannot read %s: %v", w.Bytes(), err)
		}
		var got writerSample
		r := NewReader(w.Bytes())
		readSample(&r, &got)
		if err := r.End(); err != nil {
			t.Fatalf("read %s: %v", w.Bytes(), err)
		}
		if !reflect.DeepEqual(got, fromJSON) {
			t.Fatalf("read %s\n got %+v\nwant %+v", w.Bytes(), got, fromJSON)
		}
	})
}

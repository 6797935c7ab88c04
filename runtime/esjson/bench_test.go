package esjson

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"
)

// The orders example's OrderSubmitted event, encoded and decoded as esgen
// generates the code, against encoding/json on the same struct.

type benchLineItem struct {
	SKU        string `json:"sku"`
	Qty        int    `json:"qty"`
	PriceCents int64  `json:"price_cents"`
}

type benchOrderSubmitted struct {
	Items       []benchLineItem `json:"items"`
	SubmittedAt time.Time       `json:"submitted_at"`
	Channel     string          `json:"channel"`
}

type benchPaymentValidated struct {
	PaymentID string `json:"payment_id"`
}

func (v benchLineItem) writeJSON(w *Writer) {
	w.Raw(`{"sku":`)
	w.String(v.SKU)
	w.Raw(`,"qty":`)
	w.Int(int64(v.Qty))
	w.Raw(`,"price_cents":`)
	w.Int(v.PriceCents)
	w.Byte('}')
}

func (v *benchLineItem) readJSON(r *Reader) {
	for more := r.BeginObject(); more; more = r.NextMember() {
		switch string(r.Key()) {
		case "sku":
			v.SKU = r.String()
		case "qty":
			v.Qty = int(r.Int(strconv.IntSize))
		case "price_cents":
			v.PriceCents = r.Int(64)
		default:
			r.Skip()
		}
	}
}

func (v benchOrderSubmitted) writeJSON(w *Writer) {
	w.Raw(`{"items":`)
	if v.Items == nil {
		w.Null()
	} else {
		w.Byte('[')
		for i, e := range v.Items {
			if i > 0 {
				w.Byte(',')
			}
			e.writeJSON(w)
		}
		w.Byte(']')
	}
	w.Raw(`,"submitted_at":`)
	w.Time(v.SubmittedAt)
	w.Raw(`,"channel":`)
	w.String(v.Channel)
	w.Byte('}')
}

func (v *benchOrderSubmitted) readJSON(r *Reader) {
	for more := r.BeginObject(); more; more = r.NextMember() {
		switch string(r.Key()) {
		case "items":
			if !r.Null() {
				v.Items = []benchLineItem{}
				for more := r.BeginArray(); more; more = r.NextElem() {
					var e benchLineItem
					e.readJSON(r)
					v.Items = append(v.Items, e)
				}
			}
		case "submitted_at":
			v.SubmittedAt = r.Time()
		case "channel":
			v.Channel = r.String()
		default:
			r.Skip()
		}
	}
}

func (v benchPaymentValidated) writeJSON(w *Writer) {
	w.Raw(`{"payment_id":`)
	w.String(v.PaymentID)
	w.Byte('}')
}

func (v *benchPaymentValidated) readJSON(r *Reader) {
	for more := r.BeginObject(); more; more = r.NextMember() {
		switch string(r.Key()) {
		case "payment_id":
			v.PaymentID = r.String()
		default:
			r.Skip()
		}
	}
}

var benchSubmitted = benchOrderSubmitted{
	Items: []benchLineItem{
		{SKU: "BOOK-0001", Qty: 2, PriceCents: 1999},
		{SKU: "PEN-0042", Qty: 10, PriceCents: 150},
		{SKU: "LAMP-7", Qty: 1, PriceCents: 4500},
	},
	SubmittedAt: time.Date(2025, 3, 1, 12, 30, 45, 123456789, time.UTC),
	Channel:     "web",
}

var benchValidated = benchPaymentValidated{PaymentID: "pay_8f14e45fceea167a5a36dedd4bea2543"}

func BenchmarkEncodeOrderSubmitted(b *testing.B) {
	b.Run("esjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w := NewWriter(make([]byte, 0, 256))
			benchSubmitted.writeJSON(&w)
			if w.Err() != nil {
				b.Fatal(w.Err())
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(benchSubmitted); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkEncodePaymentValidated(b *testing.B) {
	b.Run("esjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w := NewWriter(make([]byte, 0, 64))
			benchValidated.writeJSON(&w)
			if w.Err() != nil {
				b.Fatal(w.Err())
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(benchValidated); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDecodeOrderSubmitted(b *testing.B) {
	data, err := json.Marshal(benchSubmitted)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("esjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v benchOrderSubmitted
			r := NewReader(data)
			v.readJSON(&r)
			if err := r.End(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v benchOrderSubmitted
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDecodePaymentValidated(b *testing.B) {
	data, err := json.Marshal(benchValidated)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("esjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v benchPaymentValidated
			r := NewReader(data)
			v.readJSON(&r)
			if err := r.End(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v benchPaymentValidated
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

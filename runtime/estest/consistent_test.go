package estest_test

import (
	"maps"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// A bin of stock: a pick takes a quantity of an item the bin holds.
type (
	binState interface{ isBin() }
	binOpen  struct {
		Units int64
		BySKU map[string]int64
	}
	binEvent  interface{ isBinEvent() }
	binPicked struct {
		SKU string
		Qty int64
	}
)

func (binOpen) isBin()        {}
func (binPicked) isBinEvent() {}

// binCases are generated-like values: independent of each other, so the
// pick names an item the bin does not hold and takes more than it has.
func binCases() []estest.Evolution[binState, binEvent] {
	open := func(units int64, key string) binState {
		return binOpen{Units: units, BySKU: map[string]int64{key: units}}
	}
	pick := func(sku string, qty int64) binEvent { return binPicked{SKU: sku, Qty: qty} }
	return []estest.Evolution[binState, binEvent]{{
		State: "Open", Event: "StockPicked", To: "Open", Hook: "OpenOnStockPicked",
		NewState: func() binState { return open(3, "sku-50") },
		NewEvent: func() binEvent { return pick("sku-40", 42) },
		Changes: []estest.Change[binState, binEvent]{
			{Field: "units", GoName: "Units", InState: true, State: binOpen{Units: 4, BySKU: map[string]int64{"sku-50": 3}}},
			{Field: "by_sku", GoName: "BySKU", InState: true, State: open(3, "sku-51")},
			{Field: "sku", GoName: "SKU", Event: pick("sku-40-changed", 42)},
			{Field: "qty", GoName: "Qty", Event: pick("sku-40", 43)},
		},
	}}
}

// pickWith is a definition whose Evolve is the hook pick.
func pickWith(pick func(binOpen, binPicked) binOpen) es.Definition[binState, struct{}, binEvent] {
	return es.Definition[binState, struct{}, binEvent]{
		Type: "Bin",
		Evolve: func(s binState, e binEvent) (binState, error) {
			return pick(s.(binOpen), e.(binPicked)), nil
		},
	}
}

func TestCheckEvolutionsOnConsistentValues(t *testing.T) {
	// Never below zero, and an item picked to nothing leaves the map: right,
	// though on the generated values (an item the bin does not hold, more
	// than it has) neither the item nor the quantity nor the units matter.
	right := func(s binOpen, e binPicked) binOpen {
		m := maps.Clone(s.BySKU)
		if m[e.SKU] -= e.Qty; m[e.SKU] <= 0 {
			delete(m, e.SKU)
		}
		return binOpen{Units: max(0, s.Units-e.Qty), BySKU: m}
	}
	overwrite := func(s binOpen, e binPicked) binOpen {
		s = right(s, e)
		s.Units = e.Qty
		return s
	}
	name := func(binState) string { return "Open" }
	r := &recorder{TB: t}
	estest.CheckEvolutions(r, pickWith(right), name, binCases(), true)
	checkErrs(t, r.errs, nil)

	r = &recorder{TB: t}
	estest.CheckEvolutions(r, pickWith(overwrite), name, binCases(), true)
	checkErrs(t, r.errs, []string{
		"Open/StockPicked: changing Open.units does not change the state OpenOnStockPicked returns: the value the state held is lost (overwritten or forgotten). " +
			"Carry it over in OpenOnStockPicked (compute from s.Units: add to it, subtract from it, keep it); " +
			"if the hook replaces it (with the event's value, or one it computes from other fields), say so in the .esm: evolve Open on StockPicked: hook; set units (or zero units if it starts at zero)",
	})
}

package estest

import (
	"cmp"
	"reflect"
	"slices"
)

// consistent returns e with its fields set to values that agree with the
// state s, as a stored history has them: the generated values of a test
// are independent of each other, so an event may name a key the state
// does not hold, or take more than the state has, and a correct hook then
// ignores it (a pick of an item the bin does not hold changes nothing).
// A string field takes a value the state holds: its own field of the same
// name, else that field of an element of one of its slices, else the
// first key of one of its string-keyed maps; a number takes 1, within any
// quantity the state holds. ok is false when nothing changed.
func consistent[S, E any](s S, e E) (E, bool) {
	ev := reflect.ValueOf(any(e))
	st := reflect.ValueOf(any(s))
	if !ev.IsValid() || ev.Kind() != reflect.Struct || !st.IsValid() || st.Kind() != reflect.Struct {
		return e, false
	}
	cp := reflect.New(ev.Type()).Elem()
	cp.Set(ev)
	changed := false
	for i := range cp.NumField() {
		f, sf := cp.Field(i), cp.Type().Field(i)
		if !f.CanSet() {
			continue
		}
		switch f.Kind() {
		case reflect.String:
			if v, ok := heldString(st, sf.Name); ok && v != f.String() {
				f.SetString(v)
				changed = true
			}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if f.Int() != 1 {
				f.SetInt(1)
				changed = true
			}
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if f.Uint() != 1 {
				f.SetUint(1)
				changed = true
			}
		case reflect.Float32, reflect.Float64:
			if f.Float() != 1 {
				f.SetFloat(1)
				changed = true
			}
		}
	}
	if !changed {
		return e, false
	}
	out, ok := cp.Interface().(E)
	return out, ok
}

// heldString returns a string the state st holds under the field name
// (see consistent).
func heldString(st reflect.Value, name string) (string, bool) {
	if f := st.FieldByName(name); f.IsValid() && f.Kind() == reflect.String && f.CanInterface() {
		return f.String(), true
	}
	for i := range st.NumField() {
		f := st.Field(i)
		if !st.Type().Field(i).IsExported() {
			continue
		}
		if f.Kind() == reflect.Slice && f.Len() > 0 {
			el := f.Index(0)
			if el.Kind() == reflect.Pointer && !el.IsNil() {
				el = el.Elem()
			}
			if el.Kind() == reflect.Struct {
				if g := el.FieldByName(name); g.IsValid() && g.Kind() == reflect.String && g.CanInterface() {
					return g.String(), true
				}
			}
		}
	}
	for i := range st.NumField() {
		f := st.Field(i)
		if !st.Type().Field(i).IsExported() || f.Kind() != reflect.Map || f.Type().Key().Kind() != reflect.String || f.Len() == 0 {
			continue
		}
		keys := f.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.String(), b.String()) })
		return keys[0].String(), true
	}
	return "", false
}

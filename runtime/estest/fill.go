package estest

import (
	"reflect"
	"time"
)

// filled returns v, a struct in an interface, with its field name set to a
// value that differs from the one it holds, made by reflection: strings,
// numbers and booleans changed, time.Time moved by an hour and a
// nanosecond, structs with one of their fields filled, slices and maps
// with one more element, pointers to a filled value. It reports false when
// it can make no such value (no field of that name, or a type made only of
// unexported fields, interfaces, channels or functions).
func filled[T any](v T, name string) (T, bool) {
	rv := reflect.ValueOf(any(v))
	if !rv.IsValid() || rv.Kind() != reflect.Struct {
		return v, false
	}
	cp := reflect.New(rv.Type()).Elem()
	cp.Set(rv)
	f := cp.FieldByName(name)
	if !f.IsValid() || !f.CanSet() || !change(f, 0) {
		return v, false
	}
	out, ok := cp.Interface().(T)
	return out, ok
}

var timeType = reflect.TypeFor[time.Time]()

// change sets v to a value different from the one it holds; depth bounds
// recursive types.
func change(v reflect.Value, depth int) bool {
	if depth > 8 || !v.CanSet() {
		return false
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "-changed")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.Int() == 7 {
			v.SetInt(8)
		} else {
			v.SetInt(7)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if v.Uint() == 7 {
			v.SetUint(8)
		} else {
			v.SetUint(7)
		}
	case reflect.Float32, reflect.Float64:
		if v.Float() == 7.5 {
			v.SetFloat(8.5)
		} else {
			v.SetFloat(7.5)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			t := v.Interface().(time.Time)
			v.Set(reflect.ValueOf(t.Add(time.Hour + time.Nanosecond)))
			return true
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && change(v.Field(i), depth+1) {
				return true
			}
		}
		return false
	case reflect.Pointer:
		e := reflect.New(v.Type().Elem())
		if !v.IsNil() {
			e.Elem().Set(v.Elem())
		}
		if !change(e.Elem(), depth+1) {
			return false
		}
		v.Set(e)
	case reflect.Slice:
		e := reflect.New(v.Type().Elem()).Elem()
		if !change(e, depth+1) {
			return false
		}
		s := reflect.MakeSlice(v.Type(), 0, v.Len()+1)
		s = reflect.AppendSlice(s, v)
		v.Set(reflect.Append(s, e))
	case reflect.Array:
		if v.Len() == 0 {
			return false
		}
		return change(v.Index(0), depth+1)
	case reflect.Map:
		k := reflect.New(v.Type().Key()).Elem()
		e := reflect.New(v.Type().Elem()).Elem()
		if !change(k, depth+1) || !change(e, depth+1) {
			return false
		}
		m := reflect.MakeMapWithSize(v.Type(), v.Len()+1)
		iter := v.MapRange()
		for iter.Next() {
			m.SetMapIndex(iter.Key(), iter.Value())
		}
		m.SetMapIndex(k, e)
		v.Set(m)
	default: // interfaces, channels, functions
		return false
	}
	return true
}

package schema

import (
	"bytes"
	"encoding/json"
	"strings"
)

// obj is a JSON object whose members keep the order they were added in,
// so that the documents are written in a stable, readable order.
type obj struct {
	keys []string
	vals map[string]any
}

func newObj() *obj { return &obj{vals: map[string]any{}} }

// set adds or replaces a member and returns o.
func (o *obj) set(key string, v any) *obj {
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = v
	return o
}

// writeJSON writes v as indented JSON: objects, []any, strings, numbers
// (int, int64, uint64, float64), booleans.
func writeJSON(b *bytes.Buffer, v any, indent string) {
	switch v := v.(type) {
	case *obj:
		if len(v.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, k := range v.keys {
			b.WriteString(indent + "  ")
			writeString(b, k)
			b.WriteString(": ")
			writeJSON(b, v.vals[k], indent+"  ")
			if i < len(v.keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, e := range v {
			b.WriteString(indent + "  ")
			writeJSON(b, e, indent+"  ")
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case string:
		writeString(b, v)
	default:
		data, err := json.Marshal(v)
		if err != nil {
			panic("schema: " + err.Error()) // only numbers and booleans reach here
		}
		b.Write(data)
	}
}

// writeString writes s as a JSON string (which is a YAML double-quoted
// scalar too), without HTML escaping.
func writeString(b *bytes.Buffer, s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// writeYAML writes v as block-style YAML: mappings and sequences on
// their own lines, every string double-quoted as JSON writes it.
func writeYAML(b *bytes.Buffer, v any, indent string) {
	switch v := v.(type) {
	case *obj:
		for _, k := range v.keys {
			b.WriteString(indent)
			writeYAMLKey(b, k)
			b.WriteByte(':')
			writeYAMLChild(b, v.vals[k], indent)
		}
	case []any:
		for _, e := range v {
			b.WriteString(indent + "-")
			switch e := e.(type) {
			case *obj:
				if len(e.keys) == 0 {
					b.WriteString(" {}\n")
					continue
				}
				// The first member on the dash's line, the others under it.
				var inner bytes.Buffer
				writeYAML(&inner, e, indent+"  ")
				b.WriteString(" " + strings.TrimPrefix(inner.String(), indent+"  "))
			default:
				writeYAMLChild(b, e, indent)
			}
		}
	}
}

func writeYAMLChild(b *bytes.Buffer, v any, indent string) {
	switch c := v.(type) {
	case *obj:
		if len(c.keys) == 0 {
			b.WriteString(" {}\n")
			return
		}
		b.WriteByte('\n')
		writeYAML(b, c, indent+"  ")
	case []any:
		if len(c) == 0 {
			b.WriteString(" []\n")
			return
		}
		b.WriteByte('\n')
		writeYAML(b, c, indent+"  ")
	default:
		b.WriteByte(' ')
		writeJSON(b, c, "")
		b.WriteByte('\n')
	}
}

// writeYAMLKey writes a mapping key plain when YAML reads it back as the
// same string, quoted otherwise.
func writeYAMLKey(b *bytes.Buffer, k string) {
	plain := k != "" && !strings.ContainsAny(k[:1], "$#&*!|>'\"%@`-?:,[]{} ") && !strings.ContainsAny(k, ": #")
	if plain {
		for _, r := range k {
			if !(r == '_' || r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				plain = false
				break
			}
		}
	}
	switch strings.ToLower(k) {
	case "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~":
		plain = false
	}
	if plain && k[0] >= '0' && k[0] <= '9' {
		plain = false
	}
	if plain {
		b.WriteString(k)
		return
	}
	writeString(b, k)
}

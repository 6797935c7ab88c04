package estest

import (
	"fmt"
	"strings"
)

// typeName is the dynamic type of v, e.g. "orders.Submit".
func typeName(v any) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprintf("%T", v)
}

// describe renders one event for a failure message: its type and fields.
func describe(v any) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprintf("%T%+v", v, v)
}

// describeAll renders events one per line, indented, or "  (none)".
func describeAll[E any](events []E) string {
	if len(events) == 0 {
		return "  (none)"
	}
	var b strings.Builder
	for i, e := range events {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "  [%d] %s", i, describe(e))
	}
	return b.String()
}

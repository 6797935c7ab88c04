package templates

import (
	"io/fs"
	"testing"
	"text/template"
)

func TestAggregatePageParses(t *testing.T) {
	src, err := fs.ReadFile(FS(), AggregatePage)
	if err != nil {
		t.Fatal(err)
	}
	if len(src) == 0 {
		t.Fatal("empty template")
	}
	tmpl, err := template.New(AggregatePage).ParseFS(FS(), AggregatePage)
	if err != nil {
		t.Fatal(err)
	}
	if tmpl.Lookup("fields") == nil {
		t.Error(`template "fields" is not defined`)
	}
}

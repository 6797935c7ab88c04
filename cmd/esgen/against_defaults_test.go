package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/runtime/jsstore"
)

// TestBreakingNamesRuntimeDefaults: B002 and B003 name the stream and
// subject prefix an aggregate that declares none is stored under, which
// are the runtime's.
func TestBreakingNamesRuntimeDefaults(t *testing.T) {
	const declared = "package shop\n\neventual aggregate Cart {\n    stream \"SHOP\"\n    subject \"shop\"\n    event Closed { at string }\n}\n"
	load := func(text string) []*dsl.File {
		files, ds := dsl.LoadPackage([]dsl.Source{{Name: "shop.esm", Data: []byte(text)}})
		if ds.HasErrors() {
			t.Fatal(ds)
		}
		return files
	}
	plain := strings.Replace(strings.Replace(declared, "    stream \"SHOP\"\n", "", 1), "    subject \"shop\"\n", "", 1)
	var got []string
	for _, d := range dsl.Breaking(load(declared), load(plain)) {
		got = append(got, d.String())
	}
	want := []string{
		"shop.esm:3:1: error[B002]: aggregate Cart moved from subject prefix \"shop\" to " + strconv.Quote(jsstore.DefaultSubjectPrefix) + " (the default): its stored events stay where they are",
		"shop.esm:3:1: error[B003]: aggregate Cart moved from stream \"SHOP\" to " + strconv.Quote(jsstore.DefaultStream) + " (the default): its stored events stay where they are",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

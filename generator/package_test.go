package generator

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/esgen/esgen/dsl"
)

// packageFiles are .esm files generated into one Go package: they share
// field types (so JSON helpers), an extern and an import, and two have a
// doc comment.
var packageFiles = map[string]string{
	"a.esm": "// Package shop sells things.\npackage shop\n\nextern Money\n\naggregate Cart {\n    state Open initial { items []string; prices map[string]Money }\n    state Closed final\n    command Close\n    event CartClosed { items []string }\n    on Close: Open -> Closed emits CartClosed\n}\n",
	"b.esm": "// Billing: the invoices of the shop.\npackage shop\n\nimport \"time\"\n\nextern Money\n\naggregate Invoice {\n    state Draft initial { lines []string; prices map[string]Money; due *time.Time }\n    state Sent final\n    command Send\n    event InvoiceSent { lines []string }\n    on Send: Draft -> Sent emits InvoiceSent\n}\n",
	"c.esm": "package shop\n\nimport \"time\"\n\neventual aggregate Audit {\n    event Audited { at *time.Time; notes []string; counts map[string]int }\n}\n",
}

// TestPackageOfSeveralFiles generates the files of packageFiles as one Go
// package: every JSON helper is declared once, by the first file in
// dsl.PackageOrder that needs it, only a.esm gives the package doc, the
// first file's output is the same as generated alone, and the package
// vets and its generated tests pass.
func TestPackageOfSeveralFiles(t *testing.T) {
	models := loadPackage(t, packageFiles, "c.esm", "a.esm", "b.esm")
	var all []File
	declared := map[string]string{}
	docs := 0
	decl := regexp.MustCompile(`(?m)^func ((?:write|read)\w+)\(`)
	for i, m := range models {
		siblings := append(append([]*dsl.File(nil), models[:i]...), models[i+1:]...)
		files, err := Generate(t.Context(), m, Options{Siblings: siblings})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			for _, d := range decl.FindAllSubmatch(f.Data, -1) {
				name := string(d[1])
				if prev, ok := declared[name]; ok {
					t.Errorf("%s declared by %s and %s", name, prev, f.Name)
				}
				declared[name] = f.Name
			}
			if bytes.Contains(f.Data, []byte("\n// Package shop ")) {
				docs++
				if f.Name != "a_types.gen.go" {
					t.Errorf("%s has the package doc", f.Name)
				}
			}
		}
		if m.Name == "a.esm" {
			alone, err := Generate(t.Context(), m, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(alone) != len(files) {
				t.Fatalf("a.esm: %d files alone, %d in the package", len(alone), len(files))
			}
			for j := range alone {
				if !bytes.Equal(alone[j].Data, files[j].Data) {
					t.Errorf("a.esm, first in the package: %s differs from the file generated alone", files[j].Name)
				}
			}
		}
		all = append(all, files...)
	}
	if docs != 1 {
		t.Errorf("%d package doc comments, want 1", docs)
	}
	for _, want := range []string{"writeSliceOfString", "readSliceOfString"} {
		if declared[want] != "a_types.gen.go" {
			t.Errorf("%s declared by %q, want a_types.gen.go", want, declared[want])
		}
	}
	if declared["writeMapOfStringToInt"] != "c_types.gen.go" || declared["readPointerToTime"] != "b_types.gen.go" {
		t.Errorf("helpers of one file are not declared by it: %v", declared)
	}
	if testing.Short() {
		return
	}
	mod := newGoModule(t, "pkg")
	mod.writePackage(t, "shop", all, map[string][]byte{"money.go": []byte("package shop\n\ntype Money struct{ Cents int64 }\n")})
	if out, err := mod.run("vet", "./..."); err != nil {
		t.Fatalf("go vet of the package: %v\n%s", err, out)
	}
	if out, err := mod.run("test", "-count=1", "-run", "^Test(Cart|Invoice|Audit)(StateName|InvalidTransitions|BranchGuards|Evolve|StateCodec|EventCodec|Upcasts)$", "./..."); err != nil {
		t.Fatalf("generated tests: %v\n%s", err, out)
	}
}

// TestPackageExternOfSiblingTypes generates a package in which one file
// names as externs a value type and an event another file generates: the
// package vets and its generated tests pass.
func TestPackageExternOfSiblingTypes(t *testing.T) {
	srcs := map[string]string{
		"a.esm": "package shop\n\ntype Money { cents int64 }\n\naggregate Cart {\n    state Open initial { total Money }\n    state Closed final\n    command Close\n    event CartClosed { total Money }\n    on Close: Open -> Closed emits CartClosed\n}\n",
		"b.esm": "package shop\n\nextern Money\nextern CartClosed\n\neventual aggregate Ledger {\n    event Booked { amount Money; closed CartClosed; amounts []Money }\n}\n",
	}
	models := loadPackage(t, srcs, "a.esm", "b.esm")
	var all []File
	for i, m := range models {
		siblings := append(append([]*dsl.File(nil), models[:i]...), models[i+1:]...)
		files, err := Generate(t.Context(), m, Options{Siblings: siblings})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, files...)
	}
	if testing.Short() {
		return
	}
	mod := newGoModule(t, "pkg")
	mod.writePackage(t, "shop", all, nil)
	if out, err := mod.run("vet", "./..."); err != nil {
		t.Fatalf("go vet of the package: %v\n%s", err, out)
	}
	if out, err := mod.run("test", "-count=1", "-run", "^Test(Cart|Ledger)(StateName|InvalidTransitions|Evolve|StateCodec|EventCodec|Log)$", "./..."); err != nil {
		t.Fatalf("generated tests: %v\n%s", err, out)
	}
}

// TestPackageDocOfFileNamedAfterPackage generates a package whose files
// all have a doc comment: the one named after the package gives the
// package doc, though another comes first in dsl.PackageOrder, and the
// others' doc comments stay comments of their files.
func TestPackageDocOfFileNamedAfterPackage(t *testing.T) {
	srcs := map[string]string{
		"billing.esm": "// Billing: the invoices.\npackage shop\n\naggregate Invoice {\n    state Draft initial\n    state Sent final\n    command Send\n    event InvoiceSent\n    on Send: Draft -> Sent emits InvoiceSent\n}\n",
		"shop.esm":    "// Shop: the carts.\npackage shop\n\naggregate Cart {\n    state Open initial\n    state Closed final\n    command Close\n    event CartClosed\n    on Close: Open -> Closed emits CartClosed\n}\n",
	}
	models := loadPackage(t, srcs, "billing.esm", "shop.esm")
	want := map[string]string{
		"billing_types.gen.go": "// Code generated by esgen. DO NOT EDIT.\n// source: billing.esm\n\n// Billing: the invoices.\n\npackage shop\n",
		"shop_types.gen.go":    "// Code generated by esgen. DO NOT EDIT.\n// source: shop.esm\n\n// Package shop is generated by esgen from shop.esm.\n//\n// Shop: the carts.\npackage shop\n",
	}
	for i, m := range models {
		siblings := append(append([]*dsl.File(nil), models[:i]...), models[i+1:]...)
		files, err := Generate(t.Context(), m, Options{Siblings: siblings})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if w, ok := want[f.Name]; ok {
				if got := string(f.Data); got != w {
					t.Errorf("%s:\n%s\nwant\n%s", f.Name, got, w)
				}
				delete(want, f.Name)
			}
		}
	}
	for name := range want {
		t.Errorf("%s not generated", name)
	}
}

// loadPackage loads the files names of srcs, in that order, and checks
// them as one package; any diagnostic fails the test.
func loadPackage(t *testing.T, srcs map[string]string, names ...string) []*dsl.File {
	t.Helper()
	var models []*dsl.File
	for _, name := range names {
		m, diags := dsl.Load(name, []byte(srcs[name]))
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		models = append(models, m)
	}
	if ds := dsl.CheckPackage(models); len(ds) > 0 {
		t.Fatal(ds)
	}
	return models
}

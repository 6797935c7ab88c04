package dsl

import (
	"strings"
	"testing"
)

// TestCheckPackage checks E018 across the files of one Go package: what
// one file generates must not be what another generates or names as an
// extern or import; the same extern or import in both is fine. It is
// reported at the file later in PackageOrder, whatever the order given.
func TestCheckPackage(t *testing.T) {
	const cart = "package shop\n\nimport \"time\"\n\nextern Money\n\naggregate Cart {\n    state Open initial { total Money; at time.Time }\n    state Closed final\n    command Close\n    event CartClosed\n    on Close: Open -> Closed emits CartClosed\n}\n"
	for _, c := range []struct {
		name, src, want string
	}{
		{"same extern and import", "package shop\n\nimport \"time\"\n\nextern Money\n\naggregate Till {\n    state Counting initial { float Money; at time.Time }\n    state Done final\n    command Finish\n    event TillFinished\n    on Finish: Counting -> Done emits TillFinished\n}\n", ""},
		{"state", "package shop\n\naggregate Door {\n    state Open initial\n    state Shut final\n    command Close\n    event DoorClosed\n    on Close: Open -> Shut emits DoorClosed\n}\n",
			"b.esm:4:5: error[E018]: Go identifier Open of state Open collides with state Open at a.esm:8, generated into the same Go package\n" +
				"b.esm:6:5: error[E018]: Go identifier Close of command Close collides with command Close at a.esm:10, generated into the same Go package\n"},
		{"value type and extern", "package shop\n\ntype Money { cents int64 }\n\neventual aggregate Ledger {\n    event Booked { amount Money }\n}\n",
			"b.esm:3:1: error[E018]: Go identifier Money of type Money collides with extern Money at a.esm:5, generated into the same Go package\n"},
		{"aggregate", "package shop\n\neventual aggregate Cart {\n    event CartSeen {}\n}\n",
			"b.esm:3:1: error[E018]: Go identifier CartEvent of the event interface for aggregate Cart collides with the event interface for aggregate Cart at a.esm:7, generated into the same Go package\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, diags := Load("a.esm", []byte(cart))
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			b, diags := Load("b.esm", []byte(c.src))
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			for _, files := range [][]*File{{a, b}, {b, a}} {
				var got strings.Builder
				for _, d := range CheckPackage(files) {
					got.WriteString(d.String() + "\n")
				}
				if got.String() != c.want {
					t.Errorf("got\n%s\nwant\n%s", got.String(), c.want)
				}
			}
		})
	}
	if ds := CheckPackage([]*File{nil}); ds != nil {
		t.Errorf("one file: %v", ds)
	}
}

// TestPackageOrder checks that files are ordered by base name, then path.
func TestPackageOrder(t *testing.T) {
	files := []*File{{Name: "z/b.esm"}, {Name: "y/a.esm"}, nil, {Name: "x/b.esm"}}
	var got []string
	for _, f := range PackageOrder(files) {
		got = append(got, f.Name)
	}
	if want := "y/a.esm x/b.esm z/b.esm"; strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

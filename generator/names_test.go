package generator

import (
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/outname"
)

// nameCase is an .esm file whose names are chosen to collide with what the
// generated code declares or uses: Go keywords and predeclared names, the
// packages generated code imports, the unexported identifiers and locals
// it generates. The checker must either accept it, and then the generated
// code must compile and vet, or reject it with exactly the errors of want.
type nameCase struct {
	name string // the package directory in the test module
	esm  string
	user string // Go declarations of the consumer's package (externs), if any
	want string // the error diagnostics, one per line; "" to accept
}

var nameCases = []nameCase{
	{
		name: "keywords",
		esm: `package keywords

type func {
    go     bool
    len    int
    append []string
}

aggregate Chan {
    id int64

    state select initial { len int; cap string }
    state range final { len int; copy func }
    state nil { string string }

    command go { len int; iota func }
    command var
    command new

    event len { len int; copy func }
    event iota { string string }
    event string

    on go: select -> range emits len
    on var: select -> nil emits iota
          | select -> select
    on new: nil -> range emits len, string
}
`,
	},
	{
		name: "imports",
		esm: `package imports

import (
    context "net/url"
    fmt "net/netip"
    errors "net/mail"
    es "math/big"
    esjson "image"
    machine "go/token"
    estest "image/color"
    reflect "container/list"
    json "time"
    testing "net/http"
    strconv "hash/crc32"
    slog "log/slog"
    ctx "encoding/base64"
    c "text/scanner"
    cpkg "unicode"
    x "go/constant"
    w "go/scanner"
    buf "bufio"
    old "archive/tar"
)

aggregate Order {
    id fmt.Addr

    state Draft initial {
        link  context.URL
        addr  fmt.Addr
        from  *errors.Address
        n     *es.Int
        at    json.Time
        ats   []json.Time
        point esjson.Point
        pos   machine.Pos
        rgba  estest.RGBA
        hdr   testing.Header
        level slog.Level
        enc   ctx.Encoding
        sc    c.Position
        tab   cpkg.RangeTable
        kind  x.Kind
        iv    w.Error
        size  buf.Reader
        hd    old.Header
        l     reflect.Element
        crc   strconv.Table
    }
    state Done final { at json.Time }

    command Close { at json.Time; link context.URL }

    event Closed { at json.Time; link context.URL }

    on Close: Draft -> Done emits Closed
}
`,
	},
	{
		name: "events",
		esm: `package events

aggregate Job {
    state Open initial
    state Closed final
    state Failed final

    command Run
    command Stop

    event Type { type_name string }
    event Range
    event Fmt
    event Es
    event Context
    event Errors
    event Branch
    event Target
    event Time
    event Strconv

    on Run: Open -> Closed emits Type, Range, Fmt, Es, Context
          | Open -> Failed emits Errors, Branch, Target
          | Open -> Open emits Time, Strconv
    on Stop: Open -> Closed emits Branch, Target, Time
}
`,
	},
	{
		name: "methods",
		esm: `package methods

type Value {
    write_json string
    read_json  int
    string     string
}

aggregate Order {
    state Draft initial {
        write_json  string
        read_json   Value
        order_state string
        order_event int
        target      bool
        branch      bool
        encode      []Value
        decode      map[string]Value
    }
    state Done final { handle string }

    command Close { handle string; order_command bool; load int }

    event Closed { handle string; order_event int; history int; forget bool }

    on Close: Draft -> Done emits Closed
}
`,
	},
	{
		name: "localexterns",
		esm: `package localexterns

extern ctx
extern id
extern s
extern x
extern w
extern r
extern e

aggregate Order {
    id id

    state Draft initial { a ctx; b s; c []x; d map[string]w; f *r; g e }
    state Done final { a ctx }

    command Close { a ctx }

    event Closed { a ctx; b []x }

    on Close: Draft -> Done emits Closed
}
`,
		user: `package localexterns

type ctx struct{}
type id string
type s struct{}
type x struct{}
type w struct{}
type r struct{}
type e struct{}

func (i id) String() string { return string(i) }
`,
	},
	{
		name: "externpkgs",
		esm: `package externpkgs

extern fmt
extern context
extern es

aggregate Order {
    state Draft initial { a fmt; b context; c es }
    state Done final
    command Close
    event Closed
    on Close: Draft -> Done emits Closed
}
`,
		want: `
externpkgs.esm:3:1: error[E018]: Go identifier fmt of extern fmt collides with package fmt, which generated code imports
externpkgs.esm:4:1: error[E018]: Go identifier context of extern context collides with package context, which generated code imports
externpkgs.esm:5:1: error[E018]: Go identifier es of extern es collides with package es, which generated code imports
`,
	},
	{
		name: "unexported",
		esm: `package unexported

import orderEvolve "net/url"

extern orderDecide

aggregate Order {
    state Draft initial { a orderDecide; u orderEvolve.URL }
    state Done final
    command Close
    event Closed
    on Close: Draft -> Done emits Closed
}
`,
		want: `
unexported.esm:7:1: error[E018]: Go identifier orderDecide of the decide function for aggregate Order collides with extern orderDecide at line 5
unexported.esm:7:1: error[E018]: Go identifier orderEvolve of the evolve function for aggregate Order collides with import "net/url" at line 3
`,
	},
	{
		name: "twoaggs",
		esm: `package twoaggs

aggregate PayTo {
    state Open initial
    state Done final
    command Close
    event Closed
    on Close: Open -> Done emits Closed
}

aggregate Bill {
    state Due initial
    state Decide final
    state Evolve final
    command Pay
    event Paid
    event Failed
    on Pay: Due -> Decide emits Paid
          | Due -> Evolve emits Failed
}
`,
		want: `
twoaggs.esm:18:13: error[E018]: Go identifier payToDecide of the branch constant to Decide of on Pay collides with the decide function for aggregate PayTo at line 3
twoaggs.esm:19:13: error[E018]: Go identifier payToEvolve of the branch constant to Evolve of on Pay collides with the evolve function for aggregate PayTo at line 3
`,
	},
	{
		name: "helpers",
		esm: `package helpers

aggregate Cell {
    state Empty initial { p *int; s []string }
    state Int final
    state Other final
    command WritePointer
    command ReadSliceOf
    event Wrote { p *int; s []string }
    event Failed
    on WritePointer: Empty -> Int emits Wrote
                   | Empty -> Other emits Failed
    on ReadSliceOf: Empty -> Empty
}
`,
	},
	{
		name: "outcomefields",
		esm: `package outcomefields

aggregate Payment {
    state Pending initial
    state Review
    state Declined final
    state Failed final
    state Paid final
    command Pay
    command Check
    event Rejected
    event ToDeclinedRejected
    event Checked
    on Check: Pending -> Review emits Checked
    on Pay: Pending -> Declined emits Rejected
          | Review -> Failed emits Rejected
          | Pending, Review -> Paid emits ToDeclinedRejected
}
`,
	},
	{
		name: "testnames",
		esm: `package testnames

type TestOrderEvolve { n int }
type TestOrderStateName { n int }

aggregate Order {
    state Draft initial { a TestOrderEvolve; b TestOrderStateName }
    state Done final
    command Close
    event Closed
    on Close: Draft -> Done emits Closed
}
`,
		want: `
testnames.esm:6:1: error[E018]: Go identifier TestOrderStateName of the generated test for aggregate Order collides with type TestOrderStateName at line 4
testnames.esm:6:1: error[E018]: Go identifier TestOrderEvolve of the generated test for aggregate Order collides with type TestOrderEvolve at line 3
`,
	},
	{
		name: "testaggs",
		esm: `package testaggs

aggregate Run {
    state Queued initial
    state Done final
    command Finish
    event Finished
    on Finish: Queued -> Done emits Finished
}

aggregate TestRun {
    state Started initial
    state Passed final
    command Pass
    event TestPassed
    on Pass: Started -> Passed emits TestPassed
}
`,
		want: `
testaggs.esm:11:1: error[E018]: Go identifier TestRunStateName of the state name function for aggregate TestRun collides with the generated test for aggregate Run at line 3
testaggs.esm:11:1: error[E018]: Go identifier TestRunEventCodec of the event codec for aggregate TestRun collides with the generated test for aggregate Run at line 3
testaggs.esm:11:1: error[E018]: Go identifier TestRunStateCodec of the state codec for aggregate TestRun collides with the generated test for aggregate Run at line 3
`,
	},
	{
		// Files are the lower-cased aggregate name and a suffix; none of
		// these is ignored by the go tool or restricted to a platform.
		name: "filenames",
		esm: `package filenames

eventual aggregate Windows {
    event Opened
}

eventual aggregate Amd64_box {
    event Packed
}

eventual aggregate Linux_windows_audit {
    event Audited
}

eventual aggregate Order_decider {
    event Decided
}

aggregate Order {
    state Draft initial
    state Done final
    command Close
    event Closed
    on Close: Draft -> Done emits Closed
}
`,
	},
	{
		name: "filenameclash",
		esm: `package filenameclash

aggregate Order {
    state Draft initial
    state Done final
    command Close
    event Closed
    on Close: Draft -> Done emits Closed
}

eventual aggregate ORDER {
    event Placed
}

eventual aggregate Order_repository {
    event Stored
}

eventual aggregate Filenameclash_types {
    event Typed
}

eventual aggregate Box_windows {
    event Packed
}

eventual aggregate Robot_arm64_test {
    event Moved
}

eventual aggregate _Ticket {
    event Opened
}
`,
		want: `
filenameclash.esm:11:1: error[E036]: file order.gen.go of aggregate ORDER collides with order.gen.go of aggregate Order at line 3 (rename the aggregate: its files are named after it in lower case)
filenameclash.esm:15:1: error[E036]: file order_repository.gen.go of aggregate Order_repository collides with order_repository.gen.go of aggregate Order at line 3 (rename the aggregate: its files are named after it in lower case)
filenameclash.esm:19:1: error[E036]: file filenameclash_types.gen.go of aggregate Filenameclash_types collides with filenameclash_types.gen.go of file filenameclash.esm at line 1 (rename the aggregate: its files are named after it in lower case)
filenameclash.esm:23:1: error[E036]: aggregate Box_windows generates file box_windows.gen.go: the go tool builds it only on the platforms its suffix _windows names (rename the aggregate)
filenameclash.esm:27:1: error[E036]: aggregate Robot_arm64_test generates file robot_arm64_test.gen.go: the go tool builds it only on the platforms its suffix _arm64 names (rename the aggregate)
filenameclash.esm:31:1: error[E036]: aggregate _Ticket generates file _ticket.gen.go: the go tool ignores Go files whose name starts with _ (rename the aggregate)
`,
	},
}

// TestAdversarialNamesCompile checks every case: the checker's verdict, and
// that what it accepts generates code that compiles and vets, all cases as
// packages of one temporary module checked by one go vet.
func TestAdversarialNamesCompile(t *testing.T) {
	mod := (*goModule)(nil)
	if !testing.Short() {
		mod = newGoModule(t, "names")
	}
	accepted := 0
	for _, c := range nameCases {
		model, diags := dsl.Load(c.name+".esm", []byte(c.esm))
		var errs strings.Builder
		for _, d := range diags {
			if d.Severity == dsl.SeverityError {
				errs.WriteString(d.String())
				errs.WriteByte('\n')
			}
		}
		if got, want := errs.String(), strings.TrimLeft(c.want, "\n"); got != want {
			t.Errorf("%s: the checker reports\n%s\nwant\n%s", c.name, got, want)
			continue
		}
		if c.want != "" {
			continue
		}
		files, err := Generate(t.Context(), model, Options{})
		if err != nil {
			t.Errorf("%s: the checker accepts it, but Generate fails: %v", c.name, err)
			continue
		}
		if mod != nil {
			var extra map[string][]byte
			if c.user != "" {
				extra = map[string][]byte{"user.go": []byte(c.user)}
			}
			mod.writePackage(t, c.name, files, extra)
			accepted++
		}
	}
	if mod == nil || accepted == 0 {
		return
	}
	if out, err := mod.run("vet", "./..."); err != nil {
		t.Fatalf("go vet of the code generated for accepted inputs: %v\n%s", err, out)
	}
}

// TestOutputNamesAreReserved checks that every file generated for a golden
// input, in every format, is one the checker reserves (E036): the .esm
// file's outname.FileTypes or one of outname.AggregateFiles of the
// aggregate it is generated for.
func TestOutputNamesAreReserved(t *testing.T) {
	for _, c := range loadGoldenCases(t) {
		if c.model == nil {
			continue
		}
		files, err := goldenOutput(t.Context(), c.model)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		reserved := map[string]string{outname.FileTypes(c.model.Name): "the file"}
		for _, a := range c.model.Aggregates {
			for _, name := range outname.AggregateFiles(a.Name, a.Eventual) {
				reserved[name] = "aggregate " + a.Name
			}
		}
		for _, p := range c.model.Processes {
			for _, name := range outname.ProcessFiles(p.Name) {
				reserved[name] = "process " + p.Name
			}
		}
		for _, f := range files {
			if _, ok := reserved[f.Name]; !ok {
				t.Errorf("%s: %s is generated but not reserved by internal/outname", c.name, f.Name)
			}
		}
	}
}

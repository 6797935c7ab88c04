package dsl

import (
	"strings"
	"testing"
)

// directiveSrc silences a warning of each kind of declaration that has
// one, in each place a directive may be written.
const directiveSrc = `// Bank: accounts.
// esgen:ignore W003 not a declaration's doc: attached to the package clause
package bank

import (
    // esgen:ignore W006 kept for the next version
    "net/netip"
)
import "time" //esgen:ignore W006

// Money is kept in cents.
// esgen:ignore W007 used by hand-written code
type Money { cents int64 }

extern Ledger // esgen:ignore W007

// Account is a bank account.
aggregate Account {
    state Open initial
    state Frozen
    state Closed final

    command Freeze
    // Thaw ends a freeze.
    // esgen:ignore W005 the bank's word
    command Thawed
    command Close
    command Audit // esgen:ignore W001 handled by a projection

    // AccountThaw: the account can be used again.
    // esgen:ignore W003 the bank's word
    event AccountThaw
    event AccountFrozen
    event AccountClosed v1 {
        tags   []string // esgen:ignore W009 dropped on purpose
        reason string
    }
    event AccountClosed v2 { reason string }

    on Freeze: Open -> Frozen emits AccountFrozen
    on Thawed: Frozen -> Open emits AccountThaw
    on Close: Open -> Closed emits AccountClosed
}
`

// TestDirectivesSilence checks that directives silence exactly the
// warnings of their declarations, leave the doc comments, and report the
// one on the package clause, which silences nothing.
func TestDirectivesSilence(t *testing.T) {
	m, diags := Load("bank.esm", []byte(directiveSrc))
	if m == nil {
		t.Fatalf("no model: %v", diags)
	}
	want := "bank.esm:2:17: warning[W011]: esgen:ignore W003 silences nothing: package clause has no W003 warning (remove it)\n"
	if got := formatDiags(diags); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	if m.Doc != "Bank: accounts." {
		t.Errorf("file doc %q", m.Doc)
	}
	if d := m.Types[0].Doc; d != "Money is kept in cents." {
		t.Errorf("type doc %q", d)
	}
	a := m.Aggregates[0]
	for _, c := range []struct{ got, want string }{
		{a.Commands[1].Doc, "Thaw ends a freeze."},
		{a.Commands[3].Doc, ""},
		{a.Events[0].Doc, "AccountThaw: the account can be used again."},
		{a.Events[2].Versions[0].Fields[0].Doc, ""},
	} {
		if c.got != c.want {
			t.Errorf("doc %q, want %q", c.got, c.want)
		}
	}

	// Without the directives, every warning is back.
	var plain []string
	for _, line := range strings.Split(directiveSrc, "\n") {
		if i := strings.Index(line, "esgen:ignore"); i >= 0 {
			line = strings.TrimRight(line[:strings.LastIndex(line[:i], "//")], " ")
		}
		plain = append(plain, line)
	}
	_, diags = Load("bank.esm", []byte(strings.Join(plain, "\n")))
	got := strings.Join(codes(diags), " ")
	if want := "W001 W003 W005 W006 W006 W007 W007 W009"; got != want {
		t.Errorf("without directives: codes %s, want %s\n%s", got, want, formatDiags(diags))
	}
}

// TestDirectiveUnusedWithErrors checks that a directive that silences
// nothing is not reported in a file with errors, whose checks may have
// stopped before the warning.
func TestDirectiveUnusedWithErrors(t *testing.T) {
	src := "package p\n\naggregate A {\n    // esgen:ignore W003\n    state S initial\n    state Lost\n}\n"
	_, diags := Load("p.esm", []byte(src))
	for _, d := range diags {
		if d.Code == codeUnusedDirective {
			t.Errorf("reported %v in a file with errors", d)
		}
	}
	if !diags.HasErrors() {
		t.Fatalf("no error: %v", diags)
	}
}

// TestDirectiveSilencesOnlyItsDeclaration checks that a directive on an
// aggregate does not silence the warnings of its members, nor one on a
// state the warnings of its fields.
func TestDirectiveSilencesOnlyItsDeclaration(t *testing.T) {
	src := "package p\n\n// esgen:ignore W001, W003\naggregate A { lives forever\n    state S initial\n    command Go\n    command Stop\n    event Went\n    event Halt\n    on Go: S -> S emits Went, Halt\n}\n"
	_, diags := Load("p.esm", []byte(src))
	want := "p.esm:3:17: warning[W011]: esgen:ignore W001 silences nothing: aggregate A has no W001 warning (remove it)\n" +
		"p.esm:3:23: warning[W011]: esgen:ignore W003 silences nothing: aggregate A has no W003 warning (remove it)\n" +
		"p.esm:7:13: warning[W001]: command Stop is not handled by any on clause\n" +
		"p.esm:9:11: warning[W003]: event Halt is not named in the past tense (name what happened, such as OrderShipped or PaymentRefunded)\n"
	if got := formatDiags(diags); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
}

// TestDirectiveLayouts checks where a directive at the end of a line is
// attached when several declarations share the line, and that formatting
// does not change it (TestFormatProperties compares the diagnostics).
func TestDirectiveLayouts(t *testing.T) {
	head := "package p\n\naggregate A { lives forever\n    state S initial\n    command Go\n    on Go: S -> S emits "
	for _, c := range []struct {
		name, src, want string
	}{
		{"second declaration of a line", head + "Went, Halt, Stop\n    event Went event Halt // esgen:ignore W003\n    event Stop\n}\n",
			"event Stop"},
		{"after a closing brace", head + "Went, Halt, Stop\n    event Went {\n        a int\n    } event Halt // esgen:ignore W003\n    event Stop\n}\n",
			"event Stop"},
		{"after a body of two fields", head + "Went, Halt, Stop\n    event Went event Halt { a int; b int } // esgen:ignore W003\n    event Stop\n}\n",
			"event Halt W010 event Stop"},
		{"after a body of one field", head + "Went, Halt, Stop\n    event Went event Halt { a int } // esgen:ignore W003\n    event Stop\n}\n",
			"event Stop"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, diags := Load("p.esm", []byte(c.src))
			var got []string
			for _, d := range diags {
				if d.Code == codeEventTense {
					got = append(got, strings.Fields(d.Message)[:2]...)
				}
				if d.Code == codeInvalidDirective {
					got = append(got, "W010")
				}
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("warnings %q, want %q\n%s", got, c.want, formatDiags(diags))
			}
			checkFormatProperties(t, []byte(c.src))
		})
	}
}

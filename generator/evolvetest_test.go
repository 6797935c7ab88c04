package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
)

// loadGoldenModel loads and generates the .esm of a golden case.
func loadGoldenModel(t *testing.T, name string) []File {
	t.Helper()
	dir := filepath.Join(goldenRoot, name)
	matches, err := filepath.Glob(filepath.Join(dir, "*.esm"))
	if err != nil || len(matches) != 1 {
		t.Fatalf("golden case %s: want one .esm, got %v %v", name, matches, err)
	}
	src, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	f, ds := dsl.Load(filepath.Base(matches[0]), src)
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	files, err := Generate(t.Context(), f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// replaceIn returns files with the first old replaced by new in the file
// named name, failing when old is not there.
func replaceIn(t *testing.T, files []File, name, old, new string) []File {
	t.Helper()
	out := append([]File(nil), files...)
	for i, f := range out {
		if f.Name != name {
			continue
		}
		if !bytes.Contains(f.Data, []byte(old)) {
			t.Fatalf("%s does not hold %q", name, old)
		}
		out[i].Data = bytes.Replace(f.Data, []byte(old), []byte(new), 1)
		return out
	}
	t.Fatalf("no generated file %s", name)
	return nil
}

// TestEvolveChecksCatchLostFields checks that the generated Evolve tests
// fail where an evolution loses what it must keep, rather than restating
// how it was generated: each generated package is compiled with one
// evolution broken (a field the event sets not copied, an unchanged state
// changed, a declared drop copied after all, a zero field filled), and its
// generated test must fail naming the pair and the field. The skeleton's
// hook test must likewise fail for a user hook that forgets a deposit, and
// pass for the right one.
func TestEvolveChecksCatchLostFields(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles generated code")
	}
	type broken struct {
		pkg, file, old, new string
		test                string // the test to run
		want                string // a line of its failure
	}
	cases := []broken{
		{
			pkg: "drop", file: "loan_decide.gen.go",
			old: "return Lent{Book: s.Book, Due: e.Due}, nil", new: "_ = e\n\t\t\treturn Lent{Book: s.Book}, nil",
			test: "TestLoanEvolve",
			want: "Requested/BookLent: changing BookLent.due does not change the new state",
		},
		{
			pkg: "drop", file: "loan_decide.gen.go",
			old: "return Lent{Book: s.Book, Due: e.Due}, nil", new: "return Lent{Book: s.Book, Due: e.Due + e.Desk}, nil",
			test: "TestLoanEvolve",
			want: "Requested/BookLent: the .esm drops BookLent.desk, but changing it changes the new state",
		},
		{
			pkg: "drop", file: "loan_decide.gen.go",
			old: "return Returned{Book: s.Book}, nil", new: "return Returned{Book: s.Book, Condition: e.Desk}, nil",
			test: "TestLoanEvolve",
			want: "the .esm declares field Condition of Returned zero",
		},
		{
			pkg: "drop", file: "loan_decide.gen.go",
			old: "return Returned{Book: s.Book, Condition: e.Condition}, nil", new: "return Returned{Condition: e.Condition}, nil",
			test: "TestLoanEvolve",
			want: "Lent/BookReturned: changing Lent.book does not change the new state",
		},
		{
			pkg: "unchanged", file: "locker_decide.gen.go",
			old: "return s, nil", new: "return Locked{}, nil",
			test: "TestLockerEvolve",
			want: "Locked/UnlockRefused: the .esm keeps the state unchanged",
		},
	}
	mod := newGoModule(t, "evolvechecks")
	drop, unchanged, hook := loadGoldenModel(t, "evolve_drop"), loadGoldenModel(t, "evolve_unchanged"), loadGoldenModel(t, "evolve_hook")
	sources := map[string][]File{"drop": drop, "unchanged": unchanged}
	for i, c := range cases {
		dir := c.pkg + string(rune('a'+i))
		mod.writePackage(t, dir, replaceIn(t, sources[c.pkg], c.file, c.old, c.new), nil)
	}
	// The bank of the evolve_hook case, with the user's tests replaced by
	// a hook test on a given Evolver: one that forgets deposits, one right.
	hookTest := []byte(`package bank

import (
	"testing"

	"github.com/esgen/esgen/runtime/estest"
)

func TestHooks(t *testing.T) {
	estest.CheckEvolutions(t, accountDefinition(nil, Evolver{}), AccountStateName, accountEvolutions(), true)
}
`)
	right, err := os.ReadFile(filepath.Join(goldenRoot, "evolve_hook", "userevolver.go"))
	if err != nil {
		t.Fatal(err)
	}
	wrong := bytes.Replace(right, []byte("s.BalanceCents += e.AmountCents"), []byte("_ = e"), 1)
	if bytes.Equal(wrong, right) {
		t.Fatal("userevolver.go no longer adds the deposit")
	}
	var noSkeleton []File
	for _, f := range hook {
		if f.Name != "account_test.go" {
			noSkeleton = append(noSkeleton, f)
		}
	}
	mod.writePackage(t, "hookwrong", noSkeleton, map[string][]byte{"evolver.go": wrong, "hooks_test.go": hookTest})
	mod.writePackage(t, "hookright", noSkeleton, map[string][]byte{"evolver.go": right, "hooks_test.go": hookTest})
	// A correction that overwrites the balance: the event's field reaches
	// the state, the balance it held is lost. It passes only where the
	// .esm says that the correction is the new balance.
	overwrite := bytes.Replace(right, []byte("s.BalanceCents += e.BalanceCents"), []byte("s.BalanceCents = e.BalanceCents"), 1)
	if bytes.Equal(overwrite, right) {
		t.Fatal("userevolver.go no longer adds the correction")
	}
	mod.writePackage(t, "hookoverwrite", noSkeleton, map[string][]byte{"evolver.go": overwrite, "hooks_test.go": hookTest})
	src, err := os.ReadFile(filepath.Join(goldenRoot, "evolve_hook", "bank.esm"))
	if err != nil {
		t.Fatal(err)
	}
	replaced := bytes.Replace(src, []byte("evolve Open on BalanceCorrected: hook"), []byte("evolve Open on BalanceCorrected: hook; set balance_cents"), 1)
	if bytes.Equal(replaced, src) {
		t.Fatal("bank.esm no longer asks for the correction's hook")
	}
	f, ds := dsl.Load("bank.esm", replaced)
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	declared, err := Generate(t.Context(), f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var declaredNoSkeleton []File
	for _, f := range declared {
		if f.Name != "account_test.go" {
			declaredNoSkeleton = append(declaredNoSkeleton, f)
		}
	}
	mod.writePackage(t, "hookdeclared", declaredNoSkeleton, map[string][]byte{"evolver.go": overwrite, "hooks_test.go": hookTest})

	// One go test run for all packages: each case's package must fail with
	// its message, the right hooks' package must pass.
	out, _ := mod.run("test", "-count=1", "-run", "^(TestLoanEvolve|TestLockerEvolve|TestHooks|TestAccountEvolve)$", "./...")
	text := string(out)
	for i, c := range cases {
		dir := c.pkg + string(rune('a'+i))
		if !strings.Contains(text, "FAIL\tesgen.test/evolvechecks/"+dir) || !strings.Contains(text, c.want) {
			t.Errorf("%s (%s) with %q: want its package to fail saying %q", dir, c.file, c.new, c.want)
		}
	}
	const lost = "Open/MoneyDeposited: changing MoneyDeposited.amount_cents does not change the state OpenOnMoneyDeposited returns: its value is lost. " +
		"Use it in OpenOnMoneyDeposited, or say in the .esm that the state does not need it: evolve Open on MoneyDeposited: drop amount_cents"
	if !strings.Contains(text, "FAIL\tesgen.test/evolvechecks/hookwrong") || !strings.Contains(text, lost) {
		t.Errorf("a hook that forgets deposits: want the failure %q", lost)
	}
	if !strings.Contains(text, "ok  \tesgen.test/evolvechecks/hookright") {
		t.Errorf("the right hooks fail")
	}
	const overwritten = "Open/BalanceCorrected: changing Open.balance_cents does not change the state OpenOnBalanceCorrected returns: " +
		"the value the state held is lost (overwritten or forgotten). Carry it over in OpenOnBalanceCorrected (compute from s.BalanceCents: add to it, subtract from it, keep it); " +
		"if the hook replaces it (with the event's value, or one it computes from other fields), say so in the .esm: evolve Open on BalanceCorrected: hook; set balance_cents (or zero balance_cents if it starts at zero)"
	if !strings.Contains(text, "FAIL\tesgen.test/evolvechecks/hookoverwrite") || !strings.Contains(text, overwritten) {
		t.Errorf("a hook that overwrites the balance: want the failure %q", overwritten)
	}
	if !strings.Contains(text, "ok  \tesgen.test/evolvechecks/hookdeclared") {
		t.Errorf("the overwriting hook fails where the .esm declares set balance_cents")
	}
	if t.Failed() {
		t.Logf("go test output:\n%s", text)
	}
}

package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
)

// TestUpcastHookTestCatchesLostFields (and the constructors' checks of
// nil hooks, in the same compiled packages) checks that the skeleton's upcast
// hook test runs the user's hooks and fails where one loses a field the
// next version keeps, rather than restating how it is called: the
// three_versions case (OwnerRenamed v3 upcast from v2, which keeps
// currency) is compiled with an upcaster that forgets currency, one that
// is not pure, one that carries it, and with upcast: drop currency
// declared for the forgetful one.
func TestUpcastHookTestCatchesLostFields(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles generated code")
	}
	const others = `
type decider struct{}

func (decider) Rename(_ context.Context, _ Open, c Rename) (OwnerRenamed, error) {
	return OwnerRenamed{Owner: c.Owner}, nil
}
func (decider) Close(context.Context, Open, Close) (AccountClosed, error) { return AccountClosed{}, nil }

type evolver struct{}

func (evolver) OpenOnOwnerRenamed(s Open, e OwnerRenamed) Open {
	s.Owner, s.Currency = e.Owner, e.Currency
	return s
}
func (evolver) OpenOnAccountClosed(Open, AccountClosed) Closed { return Closed{} }

func accountUnderTest() es.Definition[AccountState, AccountCommand, AccountEvent] {
	return NewAccountDefinition(decider{}, evolver{}, upcaster{})
}
`
	user := func(body string) map[string][]byte {
		return map[string][]byte{"user_test.go": []byte(`package accounts

import (
	"context"
	"testing"
	"time"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

type upcaster struct{}

var calls int

func (upcaster) UpcastOwnerRenamedV2(old OwnerRenamedV2) OwnerRenamed {
	calls++
	_ = time.Time{}
	` + body + `
}
` + others + `
func TestAccountUpcastHooks(t *testing.T) {
	estest.CheckUpcasts(t, accountUnderTest(), accountUpcastHooks())
}

func TestNilHooks(t *testing.T) {
	for _, tt := range []struct {
		build func()
		want  string
	}{
		{func() { NewAccountEventCodec(nil) }, "NewAccountEventCodec: up is nil: pass your AccountUpcaster (reading a stored OwnerRenamed v2 calls UpcastOwnerRenamedV2)"},
		{func() { NewAccountDefinition(nil, evolver{}, upcaster{}) }, "NewAccountDefinition: d is nil: pass your AccountDecider (Decide calls it for every command)"},
		{func() { NewAccountDefinition(decider{}, nil, upcaster{}) }, "NewAccountDefinition: ev is nil: pass your AccountEvolver (Evolve calls OpenOnOwnerRenamed when OwnerRenamed applies to Open)"},
		{func() { NewAccountRepository(nil, decider{}, evolver{}, nil) }, "NewAccountRepository: up is nil: pass your AccountUpcaster (reading a stored OwnerRenamed v2 calls UpcastOwnerRenamedV2)"},
	} {
		func() {
			defer func() {
				if r := recover(); r != tt.want {
					t.Errorf("panicked with %v, want %q", r, tt.want)
				}
			}()
			tt.build()
		}()
	}
	NewAccountRepository(nil, decider{}, evolver{}, upcaster{}) // a nil store is not checked
	// A codec made as a literal has no upcaster: an error, not a panic.
	if _, err := (AccountEventCodec{}).Decode("OwnerRenamed", 2, []byte(` + "`" + `{"name":"n","currency":"c"}` + "`" + `)); err == nil ||
		err.Error() != "decode OwnerRenamed v2: the codec has no AccountUpcaster: build it with NewAccountEventCodec" {
		t.Errorf("Decode with no upcaster: %v", err)
	}
}
`)}
	}
	files := loadGoldenModel(t, "three_versions")
	var noSkeleton []File
	for _, f := range files {
		if f.Name != "account_test.go" {
			noSkeleton = append(noSkeleton, f)
		}
	}
	src, err := os.ReadFile(filepath.Join(goldenRoot, "three_versions", "accounts.esm"))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "event OwnerRenamed v3 upcast {", "event OwnerRenamed v3 upcast: drop currency {", 1)
	if edited == string(src) {
		t.Fatal("accounts.esm no longer marks OwnerRenamed v3 upcast")
	}
	f, ds := dsl.Load("accounts.esm", []byte(edited))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	dropped, err := Generate(t.Context(), f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var droppedNoSkeleton []File
	for _, f := range dropped {
		if f.Name != "account_test.go" {
			droppedNoSkeleton = append(droppedNoSkeleton, f)
		}
	}
	forgets := `return OwnerRenamed{Owner: old.Name}`
	mod := newGoModule(t, "upcastchecks")
	mod.writePackage(t, "forgets", noSkeleton, user(forgets))
	mod.writePackage(t, "impure", noSkeleton, user(`return OwnerRenamed{Owner: old.Name, Currency: old.Currency, At: time.Unix(int64(calls), 0)}`))
	mod.writePackage(t, "right", noSkeleton, user(`return OwnerRenamed{Owner: old.Name, Currency: old.Currency}`))
	mod.writePackage(t, "declared", droppedNoSkeleton, user(forgets))
	mod.writePackage(t, "renameforgotten", noSkeleton, user(`return OwnerRenamed{Currency: old.Currency}`))
	out, _ := mod.run("test", "-count=1", "-run", "^(TestAccountUpcastHooks|TestNilHooks)$", "./...")
	text := string(out)
	const lost = "OwnerRenamed v2: UpcastOwnerRenamedV2: changing field currency of OwnerRenamed v2 does not change the event UpcastOwnerRenamedV2 returns: " +
		"every stored OwnerRenamed v2 would load with its currency lost. Copy it in UpcastOwnerRenamedV2 (Currency: old.Currency), " +
		"or, if the new version deliberately does not carry it, say so in the .esm: event OwnerRenamed v3 upcast: drop currency"
	const impure = "OwnerRenamed v2: UpcastOwnerRenamedV2: UpcastOwnerRenamedV2 is not pure: the same OwnerRenamed v2 gave"
	const renamed = "OwnerRenamed v2: UpcastOwnerRenamedV2: changing field name of OwnerRenamed v2 does not change the event UpcastOwnerRenamedV2 returns: " +
		"every stored OwnerRenamed v2 would load without what its name held. Compute from it (old.Name) the field of v3 that replaces it, " +
		"or, if the new version deliberately does not use it, say so in the .esm: event OwnerRenamed v3 upcast: drop name"
	for _, c := range []struct{ pkg, want string }{{"forgets", lost}, {"impure", impure}, {"renameforgotten", renamed}} {
		if !strings.Contains(text, "FAIL\tesgen.test/upcastchecks/"+c.pkg) || !strings.Contains(text, c.want) {
			t.Errorf("%s: want its package to fail saying %q", c.pkg, c.want)
		}
	}
	for _, pkg := range []string{"right", "declared"} {
		if !strings.Contains(text, "ok  \tesgen.test/upcastchecks/"+pkg) {
			t.Errorf("%s: want its package to pass", pkg)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("go test output:\n%s", text)
	}
}

package generator

import (
	"bytes"
	"context"
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/dsl"
)

// doorESM is a machine of two transitions, Push and Pull; the variants
// below remove one or replace it.
const doorESM = `package door

aggregate Door {
    lives forever
    state Closed initial
    state Open
    command Push {}
    command Pull {}
    command Kick {}
    event Pushed {}
    event Pulled {}
    on Push: Closed -> Open emits Pushed
    on Pull: Open -> Closed emits Pulled
}
`

// doorSkeleton returns the skeleton Generate writes for doorESM with the
// on clauses replaced by ons.
func doorSkeleton(t testing.TB, ons ...string) File {
	t.Helper()
	src := strings.Replace(doorESM, "    on Push: Closed -> Open emits Pushed\n    on Pull: Open -> Closed emits Pulled\n",
		"    "+strings.Join(ons, "\n    ")+"\n", 1)
	model, diags := dsl.Load("door.esm", []byte(src))
	if diags.HasErrors() {
		t.Fatalf("door.esm does not check:\n%s", diagText(diags))
	}
	files, err := Generate(context.Background(), model, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Once {
			return f
		}
	}
	t.Fatal("no skeleton generated")
	return File{}
}

const (
	onPush = "on Push: Closed -> Open emits Pushed"
	onPull = "on Pull: Open -> Closed emits Pulled"
	onKick = "on Kick: Closed -> Open emits Pushed"
)

// pullStub is the case Generate writes for Pull in Open.
const pullStub = `// Pull in Open moves the Door to Closed, recording Pulled.
func TestDoorPullFromOpen(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, doorUnderTest()).
		Given(Pushed{}).
		When(Pull{}).
		Then(Pulled{})
}
`

// filledPush is the skeleton of Push alone with its case filled in, the
// user's way (comments, a helper, an odd blank line kept as written).
const filledPush = `package door

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// doorUnderTest returns the definition the cases below exercise.
func doorUnderTest() es.Definition[DoorState, DoorCommand, DoorEvent] {
	return NewDoorDefinition(decider{}) // mine
}

type decider struct{}

// Push in Closed opens the door.
func TestDoorPushFromClosed(t *testing.T) {
	estest.For(t, doorUnderTest()).
		When(Push{}).
		Then(Pushed{})


	// the end
}
`

func grow(t *testing.T, fresh File, user string, others ...SourceFile) (Growth, error) {
	t.Helper()
	return GrowSkeleton("Door", fresh, SourceFile{Name: "door_test.go", Data: []byte(user)}, others)
}

// checkGrown fails unless g.Data parses, keeps every byte of user in
// order, and is gofmt'd when user is.
func checkGrown(t *testing.T, user string, g Growth) {
	t.Helper()
	if _, err := parser.ParseFile(token.NewFileSet(), "", g.Data, 0); err != nil {
		t.Errorf("grown file does not parse: %v\n%s", err, g.Data)
	}
	if !isSubsequence(user, string(g.Data)) {
		t.Errorf("grown file lost bytes of the user's file:\n%s", g.Data)
	}
	if isGofmt([]byte(user)) && !isGofmt(g.Data) {
		t.Errorf("grown file is not gofmt'd:\n%s", g.Data)
	}
}

// isSubsequence reports whether every byte of a appears in b, in order.
func isSubsequence(a, b string) bool {
	i := 0
	for j := 0; i < len(a) && j < len(b); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

func TestGrowSkeletonAppendsNewCases(t *testing.T) {
	fresh := doorSkeleton(t, onPush, onPull)
	g, err := grow(t, fresh, filledPush)
	if err != nil {
		t.Fatal(err)
	}
	want := filledPush + "\n" + pullStub
	if diff := cmp.Diff(want, string(g.Data)); diff != "" {
		t.Errorf("grown file (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"TestDoorPullFromOpen"}, g.Added); diff != "" {
		t.Errorf("Added (-want +got):\n%s", diff)
	}
	if len(g.Stale) != 0 {
		t.Errorf("Stale = %v, want none", g.Stale)
	}
	checkGrown(t, filledPush, g)

	// Grown again: nothing to add, the file as it is.
	again, err := grow(t, fresh, string(g.Data))
	if err != nil {
		t.Fatal(err)
	}
	if string(again.Data) != string(g.Data) || len(again.Added) != 0 {
		t.Errorf("second growth added %v:\n%s", again.Added, again.Data)
	}
}

func TestGrowSkeletonUnchangedWhenComplete(t *testing.T) {
	fresh := doorSkeleton(t, onPush, onPull)
	g, err := grow(t, fresh, string(fresh.Data))
	if err != nil {
		t.Fatal(err)
	}
	if string(g.Data) != string(fresh.Data) || g.Added != nil || g.Stale != nil {
		t.Errorf("growth of the generated skeleton itself: added %v, stale %v", g.Added, g.Stale)
	}
}

func TestGrowSkeletonAddsImports(t *testing.T) {
	fresh := doorSkeleton(t, onPush, onPull)
	stubs := fresh.Data[strings.Index(string(fresh.Data), "// doorUnderTest"):]
	tests := []struct {
		name, user, want string
	}{
		{
			name: "no imports",
			user: "package door\n\n// my own tests\n",
			want: "package door\n\nimport (\n\t\"testing\"\n\n\t\"github.com/esgen/esgen/runtime/es\"\n\t\"github.com/esgen/esgen/runtime/estest\"\n)\n\n// my own tests\n\n" +
				string(stubs),
		},
		{
			name: "no imports, no final line break",
			user: "package door",
			want: "package door\n\nimport (\n\t\"testing\"\n\n\t\"github.com/esgen/esgen/runtime/es\"\n\t\"github.com/esgen/esgen/runtime/estest\"\n)\n\n" + string(stubs),
		},
		{
			name: "standard library only",
			user: "package door\n\nimport (\n\t\"strings\"\n\t\"testing\"\n)\n\nfunc TestMine(t *testing.T) { _ = strings.ToUpper }\n",
			want: "package door\n\nimport (\n\t\"strings\"\n\t\"testing\"\n\n\t\"github.com/esgen/esgen/runtime/es\"\n\t\"github.com/esgen/esgen/runtime/estest\"\n)\n\nfunc TestMine(t *testing.T) { _ = strings.ToUpper }\n\n" + string(stubs),
		},
		{
			name: "into the sorted run",
			user: "package door\n\nimport (\n\t\"github.com/acme/zzz\"\n\n\t\"github.com/esgen/esgen/runtime/es\"\n\t\"github.com/esgen/esgen/runtime/memstore\"\n)\n\nvar _ = zzz.X\nvar _ es.Store = memstore.New()\n",
			want: "package door\n\nimport (\n\t\"testing\"\n\n\t\"github.com/acme/zzz\"\n\n\t\"github.com/esgen/esgen/runtime/es\"\n\t\"github.com/esgen/esgen/runtime/estest\"\n\t\"github.com/esgen/esgen/runtime/memstore\"\n)\n\nvar _ = zzz.X\nvar _ es.Store = memstore.New()\n\n" + string(stubs),
		},
		{
			name: "one import declaration",
			user: "package door\n\nimport \"testing\"\n\nfunc TestMine(t *testing.T) {}\n",
			want: "package door\n\nimport \"testing\"\nimport (\n\t\"github.com/esgen/esgen/runtime/es\"\n\t\"github.com/esgen/esgen/runtime/estest\"\n)\n\nfunc TestMine(t *testing.T) {}\n\n" + string(stubs),
		},
		{
			// A line without a comment between aligned comments would
			// realign them: the imports go apart instead.
			name: "aligned comments",
			user: "package door\n\nimport (\n\t\"github.com/esgen/esgen/runtime/es\"      // the runtime\n\t\"github.com/esgen/esgen/runtime/jsstore\" // the store\n\t\"testing\"\n)\n\nvar _ es.Store = jsstore.Store{}\n\nfunc TestMine(t *testing.T) {}\n",
			want: "package door\n\nimport (\n\t\"github.com/esgen/esgen/runtime/es\"      // the runtime\n\t\"github.com/esgen/esgen/runtime/jsstore\" // the store\n\t\"testing\"\n)\nimport \"github.com/esgen/esgen/runtime/estest\"\n\nvar _ es.Store = jsstore.Store{}\n\nfunc TestMine(t *testing.T) {}\n\n" + string(stubs),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := grow(t, fresh, tt.user)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(g.Data)); diff != "" {
				t.Errorf("grown file (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"doorUnderTest", "TestDoorPushFromClosed", "TestDoorPullFromOpen"}, g.Added); diff != "" {
				t.Errorf("Added (-want +got):\n%s", diff)
			}
			checkGrown(t, tt.user, g)
		})
	}
}

func TestGrowSkeletonUsesTheUsersImportNames(t *testing.T) {
	fresh := doorSkeleton(t, onPush, onPull)
	head := "package door\n\nimport (\n\t\"testing\"\n\n\t%s \"github.com/esgen/esgen/runtime/estest\"\n)\n\n// doorUnderTest is mine.\nfunc doorUnderTest() int { return 0 }\n\nfunc TestDoorPushFromClosed(t *testing.T) { _ = %sFor }\n"
	for _, alias := range []string{"est", "."} {
		t.Run(alias, func(t *testing.T) {
			qual := alias + "."
			if alias == "." {
				qual = ""
			}
			user := strings.ReplaceAll(strings.Replace(head, "%s", alias, 1), "%s", qual)
			g, err := grow(t, fresh, user)
			if err != nil {
				t.Fatal(err)
			}
			want := user + "\n" + strings.Replace(pullStub, "estest.", qual, 1)
			if diff := cmp.Diff(want, string(g.Data)); diff != "" {
				t.Errorf("grown file (-want +got):\n%s", diff)
			}
			checkGrown(t, user, g)
		})
	}
}

func TestGrowSkeletonAddsHelperWhenMissing(t *testing.T) {
	fresh := doorSkeleton(t, onPush, onPull)
	user := strings.Replace(filledPush, "doorUnderTest()", "mine()", -1)
	user = strings.Replace(user, "// doorUnderTest returns", "// mine returns", 1)
	g, err := grow(t, fresh, user)
	if err != nil {
		t.Fatal(err)
	}
	helper := "// doorUnderTest returns the definition the cases below exercise. Pass your\n// DoorDecider to NewDoorDefinition.\nfunc doorUnderTest() es.Definition[DoorState, DoorCommand, DoorEvent] {\n\treturn NewDoorDefinition(nil)\n}\n"
	if diff := cmp.Diff(user+"\n"+helper+"\n"+pullStub, string(g.Data)); diff != "" {
		t.Errorf("grown file (-want +got):\n%s", diff)
	}
	checkGrown(t, user, g)

	// Declared in another file of the package, it is not added.
	other := SourceFile{Name: "helper_test.go", Data: []byte("package door\n\nfunc doorUnderTest() {}\n")}
	g, err = grow(t, fresh, user, other)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(user+"\n"+pullStub, string(g.Data)); diff != "" {
		t.Errorf("with the helper elsewhere (-want +got):\n%s", diff)
	}
}

func TestGrowSkeletonOptOut(t *testing.T) {
	fresh := doorSkeleton(t, onPush, onPull)
	for _, directive := range []string{
		"//esgen:skip TestDoorPullFromOpen",
		"// esgen:skip TestDoorKickFromOpen, TestDoorPullFromOpen",
		"//\tesgen:skip\tTestDoorPullFromOpen // no case for Pull",
	} {
		user := filledPush + "\n" + directive + "\n"
		g, err := grow(t, fresh, user)
		if err != nil {
			t.Fatal(err)
		}
		if string(g.Data) != user || g.Added != nil {
			t.Errorf("%s: added %v", directive, g.Added)
		}
	}
	// Not a directive: a mention, another word.
	for _, text := range []string{"// see TestDoorPullFromOpen", "// esgen:skipped TestDoorPullFromOpen", "/* esgen:skip TestDoorPullFromOpen */"} {
		g, err := grow(t, fresh, filledPush+"\n"+text+"\n")
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Added) != 1 {
			t.Errorf("%s: added %v, want the Pull case", text, g.Added)
		}
	}
	// In another file of the package, or of its external test package.
	for _, other := range []string{
		"package door\n\n//esgen:skip TestDoorPullFromOpen\n",
		"package door_test\n\n//esgen:skip TestDoorPullFromOpen\n",
		"package door\n\nfunc TestDoorPullFromOpen() {}\n",
		"package door_test\n\nfunc TestDoorPullFromOpen() {}\n",
	} {
		g, err := grow(t, fresh, filledPush, SourceFile{Name: "pull_test.go", Data: []byte(other)})
		if err != nil {
			t.Fatal(err)
		}
		if g.Added != nil {
			t.Errorf("other file %q: added %v", other, g.Added)
		}
	}
	// Another package, or a file that does not parse, says nothing.
	for _, other := range []string{
		"package other\n\n//esgen:skip TestDoorPullFromOpen\nfunc TestDoorPullFromOpen() {}\n",
		"package door\n\n//esgen:skip TestDoorPullFromOpen\nfunc {\n",
	} {
		g, err := grow(t, fresh, filledPush, SourceFile{Name: "x.go", Data: []byte(other)})
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Added) != 1 {
			t.Errorf("other file %q: added %v, want the Pull case", other, g.Added)
		}
	}
}

func TestGrowSkeletonReportsStaleCases(t *testing.T) {
	fresh := doorSkeleton(t, onKick, onPull)
	user := filledPush + `
func TestDoorPushFromClosedTwice(t *testing.T) {}

func TestDoorKickFromClosedAgain(t *testing.T) {}

func TestDoorOpens(t *testing.T) {}

func TestDoorPullFromOpen(t *testing.T) {}

func (decider) TestDoorShutFromOpen() {}

//esgen:skip TestDoorKickFromClosed TestDoorSlamFromOpen
func TestDoorSlamFromOpen(t *testing.T) {}
`
	g, err := grow(t, fresh, user)
	if err != nil {
		t.Fatal(err)
	}
	want := []StaleCase{
		{Name: "TestDoorPushFromClosed", Pos: token.Position{Filename: "door_test.go", Offset: 364, Line: 18, Column: 6}, Transition: "Push from Closed"},
		{Name: "TestDoorPushFromClosedTwice", Pos: token.Position{Filename: "door_test.go", Offset: 491, Line: 27, Column: 6}, Transition: "Push from ClosedTwice"},
	}
	if diff := cmp.Diff(want, g.Stale); diff != "" {
		t.Errorf("Stale (-want +got):\n%s", diff)
	}
	if string(g.Data) != user || g.Added != nil {
		t.Errorf("added %v", g.Added)
	}

	// An esgen:skip in another file of the package ends a report too.
	other := SourceFile{Name: "skip_test.go", Data: []byte("package door\n\n//esgen:skip TestDoorPushFromClosed, TestDoorPushFromClosedTwice\n")}
	g, err = grow(t, fresh, user, other)
	if err != nil {
		t.Fatal(err)
	}
	if g.Stale != nil {
		t.Errorf("Stale = %v, want none: both skipped in %s", g.Stale, other.Name)
	}
}

func TestGrowSkeletonLeavesFileItCannotGrow(t *testing.T) {
	fresh := doorSkeleton(t, onPush, onPull)
	tests := []struct {
		name, user, pos, msg string
	}{
		{"syntax error", "package door\n\nfunc TestDoorPushFromClosed(t *testing.T) {\n\tx :=\n}\n", "door_test.go:5:1", "does not parse (expected operand, found '}'): esgen cannot tell which cases it lacks"},
		{"not a Go file", "", "door_test.go:1:1", "does not parse (expected 'package', found 'EOF')"},
		{"external test package", strings.Replace(filledPush, "package door\n", "package door_test\n", 1), "door_test.go:1:9", "package door_test is not package door"},
		{"name taken by an import", "package door\n\nimport estest \"example.com/x\"\n\nvar _ = estest.X\n", "door_test.go:3:8", "estest names another package than \"github.com/esgen/esgen/runtime/estest\""},
		{"name taken by a declaration", "package door\n\nimport (\n\t\"testing\"\n\n\t\"github.com/esgen/esgen/runtime/es\"\n)\n\nvar estest = 1\n", "door_test.go:1:9", "the package declares estest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := grow(t, fresh, tt.user)
			var se *SkeletonError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SkeletonError", err)
			}
			if got := se.Pos.String(); got != tt.pos {
				t.Errorf("position %s, want %s", got, tt.pos)
			}
			if !strings.HasPrefix(se.Msg, tt.msg) || !strings.HasSuffix(se.Msg, "left as it is") {
				t.Errorf("message %q, want %q... left as it is", se.Msg, tt.msg)
			}
			if string(g.Data) != tt.user || g.Added != nil {
				t.Errorf("Data changed, or added %v", g.Added)
			}
		})
	}
}

func TestGrowSkeletonKeepsCRLF(t *testing.T) {
	fresh := doorSkeleton(t, onPush, onPull)
	user := strings.ReplaceAll(filledPush, "\n", "\r\n")
	g, err := grow(t, fresh, user)
	if err != nil {
		t.Fatal(err)
	}
	want := user + "\r\n" + strings.ReplaceAll(pullStub, "\n", "\r\n")
	if diff := cmp.Diff(want, string(g.Data)); diff != "" {
		t.Errorf("grown file (-want +got):\n%s", diff)
	}
}

func TestCaseTransition(t *testing.T) {
	for name, want := range map[string]string{
		"TestOrderCancelFromDraft":                         "Cancel from Draft",
		"TestOrderValidatePaymentToCancelledFromSubmitted": "ValidatePaymentToCancelled from Submitted",
		"TestOrderRemoveFromCartFromDraft":                 "RemoveFromCart from Draft",
		"TestOrderCancelFrom":                              "",
		"TestOrderFromDraft":                               "",
		"TestOrdercancelFromDraft":                         "",
		"TestOrderCancelFromdraft":                         "",
		"TestOrders":                                       "",
	} {
		got, ok := caseTransition(name, "TestOrder")
		if got != want || ok != (want != "") {
			t.Errorf("caseTransition(%s) = %q, %v; want %q", name, got, ok, want)
		}
	}
}

// FuzzGrowSkeleton checks that growing any user file either leaves it
// (a SkeletonError) or keeps all its bytes in order and parses.
func FuzzGrowSkeleton(f *testing.F) {
	for _, s := range []string{filledPush, "package door\n", "package door\n\nimport (\n\t\"testing\"\n)\n", "package door\nimport \"fmt\"\n", "package door\r\n"} {
		f.Add([]byte(s))
	}
	fresh := doorSkeleton(f, onPush, onPull)
	f.Fuzz(func(t *testing.T, user []byte) {
		g, err := GrowSkeleton("Door", fresh, SourceFile{Name: "door_test.go", Data: user}, nil)
		var se *SkeletonError
		switch {
		case errors.As(err, &se):
			if string(g.Data) != string(user) {
				t.Fatal("a file left as it is changed")
			}
		case err != nil:
			t.Fatal(err)
		default:
			checkGrown(t, string(user), g)
		}
	})
}

// BenchmarkGrowSkeleton measures what generate adds per existing skeleton:
// growing the orders example's filled-in order_test.go, whose cases are all
// there, with the package's other hand-written files read for cases and
// esgen:skip comments.
func BenchmarkGrowSkeleton(b *testing.B) {
	src, err := os.ReadFile("../examples/orders.esm")
	if err != nil {
		b.Fatal(err)
	}
	model, diags := dsl.Load("orders.esm", src)
	if diags.HasErrors() {
		b.Fatal(diagText(diags))
	}
	files, err := Generate(context.Background(), model, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var fresh File
	for _, f := range files {
		if f.Once {
			fresh = f
		}
	}
	paths, err := filepath.Glob("../examples/orders/*.go")
	if err != nil {
		b.Fatal(err)
	}
	var user SourceFile
	var others []SourceFile
	size := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		switch {
		case strings.HasSuffix(p, "/order_test.go"):
			user = SourceFile{Name: p, Data: data}
		case !bytes.HasPrefix(data, []byte("// Code generated by esgen.")):
			others = append(others, SourceFile{Name: p, Data: data})
			size += len(data)
		}
	}
	b.Logf("%d other files, %d bytes", len(others), size)
	b.ResetTimer()
	for b.Loop() {
		g, err := GrowSkeleton("Order", fresh, user, others)
		if err != nil || len(g.Added) != 0 || len(g.Stale) != 0 {
			b.Fatalf("added %v, stale %v, %v", g.Added, g.Stale, err)
		}
	}
}

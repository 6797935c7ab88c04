package estest_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// recorder is a testing.TB that records failures instead of failing, so
// that tests can assert the harness's exact messages. Methods the harness
// is not expected to call panic through the nil embedded TB.
type recorder struct {
	testing.TB
	ctx      context.Context
	errs     []string
	skipped  bool
	cleanups []func()
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	// go-cmp randomly indents diffs with non-breaking spaces to discourage
	// depending on its exact layout; normalise them.
	r.errs = append(r.errs, strings.ReplaceAll(fmt.Sprintf(format, args...), "\u00a0", " "))
}

func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

func (r *recorder) Context() context.Context { return r.ctx }

func (r *recorder) Failed() bool { return len(r.errs) > 0 }

func (r *recorder) Skipped() bool { return r.skipped }

// finish ends the recorded test: it runs the cleanups, last first.
func (r *recorder) finish() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

// here returns "estest_test.go:LINE" of its caller.
func here() string {
	_, file, line, _ := runtime.Caller(1)
	return fmt.Sprintf("%s:%d", file[strings.LastIndexByte(file, '/')+1:], line)
}

var (
	t0     = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	opened = TicketOpened{Title: "printer on fire", At: t0}
)

func TestHarness(t *testing.T) {
	def := ticketDefinition()
	tests := []struct {
		name string
		// run builds a case on tb and returns the position of its For
		// call, for messages reported when the test ends.
		run  func(tb testing.TB) string
		want []string // exact failures, in order; none for a passing case
	}{
		{
			name: "given when then passes",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened).When(CloseTicket{Reason: "fixed"}).Then(TicketClosed{Reason: "fixed"})
				return ""
			},
		},
		{
			name: "when on the initial state passes",
			run: func(tb testing.TB) string {
				estest.For(tb, def).When(OpenTicket{Title: "printer on fire", At: t0}).Then(opened)
				return ""
			},
		},
		{
			name: "then with no events passes when none are emitted",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened).When(Rename{Title: "printer on fire"}).Then()
				return ""
			},
		},
		{
			name: "invalid transition passes ThenError",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened, TicketClosed{Reason: "fixed"}).When(CloseTicket{}).ThenError(es.ErrInvalidTransition)
				return ""
			},
		},
		{
			name: "wrapped domain error passes ThenError",
			run: func(tb testing.TB) string {
				estest.For(tb, def).When(OpenTicket{}).ThenError(errEmptyTitle)
				return ""
			},
		},
		{
			name: "state after given and emitted events passes ThenState",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened).When(CloseTicket{Reason: "fixed"}).ThenState(Closed{Title: "printer on fire", Reason: "fixed"})
				return ""
			},
		},
		{
			name: "state after given alone passes ThenState",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened, TicketRenamed{Title: "toner low"}).ThenState(Open{Title: "toner low", Opened: t0})
				return ""
			},
		},
		{
			name: "the same instant in another location is equal",
			run: func(tb testing.TB) string {
				paris := time.FixedZone("CET", 3600)
				estest.For(tb, def).When(OpenTicket{Title: "x", At: t0.In(paris)}).Then(TicketOpened{Title: "x", At: t0})
				return ""
			},
		},
		{
			name: "then and then state on one case pass",
			run: func(tb testing.TB) string {
				c := estest.For(tb, def).Given(opened).When(Rename{Title: "toner low"})
				c.Then(TicketRenamed{Title: "toner low"})
				c.ThenState(Open{Title: "toner low", Opened: t0})
				return ""
			},
		},
		{
			name: "state after an accepted error is the state before the command",
			run: func(tb testing.TB) string {
				c := estest.For(tb, def).Given(opened).When(OpenTicket{Title: "again"})
				c.ThenError(es.ErrInvalidTransition)
				c.ThenState(Open{Title: "printer on fire", Opened: t0})
				return ""
			},
		},
		{
			name: "unexported fields compare with cmp options",
			run: func(tb testing.TB) string {
				estest.For(tb, def).WithCmpOptions(cmp.AllowUnexported(TicketTagged{})).
					Given(opened).When(Tag{Tag: "hw"}).Then(TicketTagged{tag: "hw"})
				return ""
			},
		},
		{
			name: "given event that does not evolve names its index",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened, TicketClosed{Reason: "a"}, TicketClosed{Reason: "b"}).
					When(CloseTicket{}).Then(TicketClosed{})
				return ""
			},
			want: []string{
				"estest: Given: events[2] estest_test.TicketClosed{Reason:b} does not evolve state estest_test.Closed: Ticket: event estest_test.TicketClosed does not apply to state estest_test.Closed",
			},
		},
		{
			name: "then with other events shows a diff",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened).When(CloseTicket{Reason: "fixed"}).Then(TicketClosed{Reason: "wontfix"})
				return ""
			},
			want: []string{
				"estest: Then: When(estest_test.CloseTicket) emitted other events (-want +got):\n" +
					"  []estest_test.TicketEvent{\n" +
					"- \testest_test.TicketClosed{Reason: \"wontfix\"},\n" +
					"+ \testest_test.TicketClosed{Reason: \"fixed\"},\n" +
					"  }\n",
			},
		},
		{
			name: "then with fewer events shows a diff",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened).When(Rename{Title: "toner low"}).Then()
				return ""
			},
			want: []string{
				"estest: Then: When(estest_test.Rename) emitted other events (-want +got):\n" +
					"  []estest_test.TicketEvent{\n" +
					"+ \testest_test.TicketRenamed{Title: \"toner low\"},\n" +
					"  }\n",
			},
		},
		{
			name: "then after a failed decision shows the error",
			run: func(tb testing.TB) string {
				estest.For(tb, def).When(OpenTicket{}).Then(opened)
				return ""
			},
			want: []string{
				"estest: Then: When(estest_test.OpenTicket) failed: open: ticket: title is empty\n" +
					"want events:\n" +
					"  [0] estest_test.TicketOpened{Title:printer on fire At:2026-03-01 09:30:00 +0000 UTC}",
			},
		},
		{
			name: "then error after a successful decision lists the events",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened).When(CloseTicket{Reason: "fixed"}).ThenError(es.ErrInvalidTransition)
				return ""
			},
			want: []string{
				"estest: ThenError: When(estest_test.CloseTicket) succeeded, want an error matching \"es: invalid transition\"\n" +
					"emitted events:\n" +
					"  [0] estest_test.TicketClosed{Reason:fixed}",
			},
		},
		{
			name: "then error with another error",
			run: func(tb testing.TB) string {
				estest.For(tb, def).When(OpenTicket{}).ThenError(es.ErrInvalidTransition)
				return ""
			},
			want: []string{
				"estest: ThenError: When(estest_test.OpenTicket) failed with \"open: ticket: title is empty\", which does not match \"es: invalid transition\"",
			},
		},
		{
			name: "then error with a nil target",
			run: func(tb testing.TB) string {
				estest.For(tb, def).When(OpenTicket{}).ThenError(nil)
				return ""
			},
			want: []string{"estest: ThenError(nil): assert a successful decision with Then"},
		},
		{
			name: "then state with another state shows a diff",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened).When(CloseTicket{Reason: "fixed"}).ThenState(Closed{Title: "printer on fire"})
				return ""
			},
			want: []string{
				"estest: ThenState: state differs (-want +got):\n" +
					"  estest_test.Closed{\n" +
					"  \tTitle:  \"printer on fire\",\n" +
					"- \tReason: \"\",\n" +
					"+ \tReason: \"fixed\",\n" +
					"  }\n",
			},
		},
		{
			name: "then state after an unexpected failure shows the error",
			run: func(tb testing.TB) string {
				estest.For(tb, def).When(OpenTicket{}).ThenState(None{})
				return ""
			},
			want: []string{"estest: ThenState: When(estest_test.OpenTicket) failed: open: ticket: title is empty"},
		},
		{
			name: "emitted event that does not evolve is reported once",
			run: func(tb testing.TB) string {
				c := estest.For(tb, def).Given(opened).When(Rename{Title: "twice"})
				c.Then(TicketRenamed{Title: "twice"}, TicketOpened{Title: "twice"})
				c.ThenState(Open{Title: "twice"})
				return ""
			},
			want: []string{
				"estest: When(estest_test.Rename) emitted events[1] estest_test.TicketOpened{Title:twice At:0001-01-01 00:00:00 +0000 UTC}, which does not evolve state estest_test.Open: Ticket: event estest_test.TicketOpened does not apply to state estest_test.Open",
			},
		},
		{
			name: "unexported fields without cmp options",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened).When(Tag{Tag: "hw"}).Then(TicketTagged{tag: "hw"})
				return ""
			},
			want: []string{
				"estest: Then: cannot compare events: cannot handle unexported field at {[]estest_test.TicketEvent}[0].(estest_test.TicketTagged).tag:\n" +
					"\t\"github.com/esgen/esgen/runtime/estest_test\".TicketTagged\n" +
					"consider using cmpopts.EquateComparable to compare comparable Go types (give go-cmp options with WithCmpOptions)",
			},
		},
		{
			name: "when without then fails at the end of the test",
			run: func(tb testing.TB) string {
				_, at := estest.For(tb, def).Given(opened).When(CloseTicket{}), here()
				return at
			},
			want: []string{"estest: case at AT: When(estest_test.CloseTicket) has no Then, ThenError or ThenState"},
		},
		{
			name: "a test that failed otherwise does not also report the missing assertion",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened).When(CloseTicket{})
				tb.Errorf("not written yet")
				return ""
			},
			want: []string{"not written yet"},
		},
		{
			name: "a skipped test does not report the missing assertion",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened).When(CloseTicket{})
				tb.(*recorder).skipped = true
				return ""
			},
		},
		{
			name: "a case with no assertion fails at the end of the test",
			run: func(tb testing.TB) string {
				_, at := estest.For(tb, def).Given(opened), here()
				return at
			},
			want: []string{"estest: case at AT asserts nothing: add When and Then, or ThenState"},
		},
		{
			name: "then without when",
			run: func(tb testing.TB) string {
				estest.For(tb, def).Given(opened).Then(opened)
				return ""
			},
			want: []string{"estest: Then needs When: the case has no command"},
		},
		{
			name: "then error without when",
			run: func(tb testing.TB) string {
				estest.For(tb, def).ThenError(es.ErrInvalidTransition)
				return ""
			},
			want: []string{"estest: ThenError needs When: the case has no command"},
		},
		{
			name: "when twice",
			run: func(tb testing.TB) string {
				estest.For(tb, def).When(OpenTicket{Title: "a"}).When(OpenTicket{Title: "b"}).Then(TicketOpened{Title: "a"})
				return ""
			},
			want: []string{"estest: When called twice: a case decides one command; start another case with For"},
		},
		{
			name: "given after when",
			run: func(tb testing.TB) string {
				estest.For(tb, def).When(OpenTicket{Title: "a"}).Given(opened).Then(TicketOpened{Title: "a"})
				return ""
			},
			want: []string{"estest: Given after When: a case's history comes before its command"},
		},
		{
			name: "definition without evolve",
			run: func(tb testing.TB) string {
				d := ticketDefinition()
				d.Evolve = nil
				estest.For(tb, d).Given(opened).When(CloseTicket{}).Then(TicketClosed{})
				return ""
			},
			want: []string{`estest: For: the definition of "Ticket" has no Evolve function`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{ctx: t.Context()}
			at := tt.run(rec)
			rec.finish()
			var want []string
			for _, w := range tt.want {
				want = append(want, strings.ReplaceAll(w, "AT", at))
			}
			if diff := cmp.Diff(want, rec.errs); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecisionContext(t *testing.T) {
	def := ticketDefinition()
	var got context.Context
	testCtx := context.WithValue(t.Context(), ctxKey{}, &got)
	ticket := func(id string) es.Ref { return es.Ref{Type: "Ticket", ID: id} }

	tests := []struct {
		name    string
		start   func(rec *recorder) *estest.Case[TicketState, TicketCommand, TicketEvent]
		parent  context.Context // a context whose values the decision must see
		wantRef es.Ref
	}{
		{
			name:    "test context and the default id",
			start:   func(rec *recorder) *estest.Case[TicketState, TicketCommand, TicketEvent] { return estest.For(rec, def) },
			parent:  testCtx,
			wantRef: ticket(estest.DefaultID),
		},
		{
			name: "WithID",
			start: func(rec *recorder) *estest.Case[TicketState, TicketCommand, TicketEvent] {
				return estest.For(rec, def).WithID("T-7")
			},
			parent:  testCtx,
			wantRef: ticket("T-7"),
		},
		{
			name: "WithContext",
			start: func(rec *recorder) *estest.Case[TicketState, TicketCommand, TicketEvent] {
				return estest.For(rec, def).WithContext(context.WithValue(context.Background(), ctxKey{}, &got))
			},
			wantRef: ticket(estest.DefaultID),
		},
		{
			name: "WithContext naming its own aggregate wins over WithID",
			start: func(rec *recorder) *estest.Case[TicketState, TicketCommand, TicketEvent] {
				own := es.ContextWithRef(context.WithValue(context.Background(), ctxKey{}, &got), ticket("T-1"))
				return estest.For(rec, def).WithID("ignored").WithContext(own)
			},
			wantRef: ticket("T-1"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = nil
			rec := &recorder{ctx: testCtx}
			tt.start(rec).When(OpenTicket{Title: "a"}).Then(TicketOpened{Title: "a"})
			rec.finish()
			if len(rec.errs) != 0 {
				t.Fatalf("failures %q", rec.errs)
			}
			if got == nil {
				t.Fatal("the decision did not see the context's values")
			}
			if tt.parent != nil && got.Value(ctxKey{}) != tt.parent.Value(ctxKey{}) {
				t.Errorf("the decision's context does not derive from the test's context")
			}
			if ref, ok := es.RefFromContext(got); !ok || ref != tt.wantRef {
				t.Errorf("es.RefFromContext = %+v, %v; want %+v, true", ref, ok, tt.wantRef)
			}
		})
	}
}

// TestRealT runs passing cases on a real *testing.T.
func TestRealT(t *testing.T) {
	def := ticketDefinition()
	estest.For(t, def).Given(opened).When(CloseTicket{Reason: "fixed"}).Then(TicketClosed{Reason: "fixed"})
	estest.For(t, def).Given(opened, TicketClosed{}).When(Rename{Title: "x"}).ThenError(es.ErrInvalidTransition)
	estest.For(t, def).Given(opened).ThenState(Open{Title: "printer on fire", Opened: t0})
}

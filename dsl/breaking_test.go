package dsl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// breakingCase is one edit of testdata/breaking/library.esm: each pair of
// edits replaces its first text, which must occur exactly once, by its
// second; want is every diagnostic Breaking reports, one per line.
type breakingCase struct {
	name  string
	edits [][2]string
	want  string
}

var breakingCases = []breakingCase{
	// Changes that stored events survive.
	{name: "unchanged"},
	{name: "new event version", edits: [][2]string{{"    event LoanReturned", "    // v3 records who lent it.\n    event Lent v3 {\n        copy   Copy\n        due    time.Time\n        branch string\n        clerk  string = \"\"\n    }\n    event LoanReturned"}}},
	{name: "new event", edits: [][2]string{{"    event LoanReturned { late bool }", "    event LoanReturned { late bool }\n    event LoanRenewed { due time.Time }"}, {"    on Return: Out", "    on Renew: Out -> Out emits LoanRenewed\n    on Return: Out"}, {"    command Return", "    command Renew { due time.Time }\n    command Return"}, {"    evolve Out on LoanReturned", "    evolve Out on LoanRenewed: set due\n    evolve Out on LoanReturned"}}},
	{name: "docs changed", edits: [][2]string{{"// Lent: the copy left the desk.", "// Lent: the copy went home with a member."}, {"// Copy is one physical copy of a book.", "// Copy is a copy."}}},
	{name: "event fields reordered", edits: [][2]string{{"        copy Copy\n        due  time.Time", "        due  time.Time\n        copy Copy"}}},
	{name: "value type fields reordered", edits: [][2]string{{"    barcode string\n    shelf   string", "    shelf   string\n    barcode string"}}},
	{name: "state field added", edits: [][2]string{{"state Out { due time.Time }", "state Out { due time.Time; copy Copy }"}, {"drop copy, branch", "drop branch"}}},
	{name: "new aggregate", edits: [][2]string{{"// Visits counts", "eventual aggregate Reviews {\n    event Reviewed { stars int }\n}\n\n// Visits counts"}}},
	{name: "new process input and state", edits: [][2]string{{"    on Loan.LoanReturned: Waiting, Reminded -> Done", "    state Escalated\n    on Loan.LoanReturned: Waiting, Reminded, Escalated -> Done\n    after 720h in Reminded as Forgotten: Reminded -> Escalated"}}},
	{name: "id type to string", edits: [][2]string{{"id int64", "id string"}}},
	{name: "import renamed", edits: [][2]string{{`import "time"`, `import t "time"`}, {"Out { due time.Time }", "Out { due t.Time }"}, {"due time.Time }\n    command Return", "due t.Time }\n    command Return"}, {"        due  time.Time\n    }", "        due  t.Time\n    }"}, {"        due    time.Time", "        due    t.Time"}, {"at time.Time", "at t.Time"}}},
	{name: "snapshots asked for", edits: [][2]string{{`    subject "library.loans"`, "    subject \"library.loans\"\n    snapshot every 50"}}},
	{name: "machine now eventual", edits: [][2]string{{"eventual aggregate Visits", "aggregate Visits"}, {"    event Visited { at time.Time }", "    lives forever\n    state Open initial\n    command Visit { at time.Time }\n    event Visited { at time.Time }\n    on Visit: Open -> Open emits Visited\n    evolve Open on Visited: drop at"}},
		want: "library.esm:45:1: error[B004]: aggregate Visits was eventual and is now a state machine: its stored events were appended without one, and may not follow its transitions\n"},

	{name: "aggregate state renamed", edits: [][2]string{{"state Out {", "state Borrowed {"}, {"Requested -> Out", "Requested -> Borrowed"}, {"on Return: Out ->", "on Return: Borrowed ->"}, {"evolve Out on", "evolve Borrowed on"}}},
	{name: "initial state renamed", edits: [][2]string{{"state Requested initial", "state Asked initial"}, {"Requested -> Out", "Asked -> Out"}, {"evolve Requested on Lent", "evolve Asked on Lent"}}},
	{name: "state removed, its events applied elsewhere", edits: [][2]string{{"    state Returned final\n", ""}, {"Out -> Returned emits LoanReturned", "Out -> Out emits LoanReturned\n    on Close: Out -> Closed emits LoanClosed"}, {"    state Out { due time.Time }", "    state Out { due time.Time }\n    state Closed final"}, {"    command Return { late bool }", "    command Return { late bool }\n    command Close"}, {"    event LoanReturned { late bool }", "    event LoanReturned { late bool }\n    event LoanClosed"}, {"drop late", "unchanged"}},
		want: "library.esm:41:16: error[B017]: event LoanReturned now leads Loan from Out to Out (published: on Return: Out -> Returned emits LoanReturned): the stored Loan histories with LoanReturned in Out would replay into Out, not Returned (keep state Returned, and Out -> Returned for LoanReturned, and emit a new event on the branch to Out)\n"},
	{name: "event applied to a new state", edits: [][2]string{{"on Return: Out -> Returned", "on Return: Requested, Out -> Returned"}, {"evolve Out on LoanReturned", "evolve Requested, Out on LoanReturned"}}},

	// The Evolve table: stored histories replay through it.
	{name: "event no longer applied to a state", edits: [][2]string{{"on Return: Out -> Returned emits LoanReturned", "on Return: Out -> Returned emits LoanClosed"}, {"    event LoanReturned { late bool }", "    event LoanReturned { late bool }\n    event LoanClosed { late bool }"}, {"evolve Out on LoanReturned", "evolve Out on LoanClosed"}},
		want: "library.esm:40:5: error[B016]: event LoanReturned no longer applies to Loan in state Out (published: on Return: Out -> Returned emits LoanReturned): the stored Loan histories with LoanReturned in Out can no longer be loaded (keep Out among the sources of a branch that emits LoanReturned; the decision may refuse Return there)\n"},
	{name: "event leads to another state", edits: [][2]string{{"    state Returned final", "    state Returned final\n    state Lost final"}, {"on Return: Out -> Returned emits LoanReturned", "on Return: Out -> Lost emits LoanReturned\n    on Close: Out -> Returned emits LoanClosed"}, {"    command Return { late bool }", "    command Return { late bool }\n    command Close"}, {"    event LoanReturned { late bool }", "    event LoanReturned { late bool }\n    event LoanClosed"}},
		want: "library.esm:42:16: error[B017]: event LoanReturned now leads Loan from Out to Lost (published: on Return: Out -> Returned emits LoanReturned): the stored Loan histories with LoanReturned in Out would replay into Lost, not Returned (keep Out -> Returned for LoanReturned, and emit a new event on the branch to Lost)\n"},
	{name: "state field zeroed instead of set", edits: [][2]string{{"drop copy, branch", "drop copy, branch, due; zero due"}},
		want: "library.esm:40:5: error[B018]: field due of Out, which Lent leads Loan to from Requested, now comes from its zero value (published: from field due of Lent): the stored Loan histories would replay to another due (take due from Lent as published, neither dropped nor zero; a hook or a new event can carry the new rule)\n"},
	{name: "state field computed by a hook", edits: [][2]string{{"drop copy, branch", "drop copy, branch; hook"}}},
	{name: "process branch removed", edits: [][2]string{{"    state Done final\n", "    state Done final\n    state Closed final\n"}, {"on Loan.LoanReturned: Waiting, Reminded -> Done", "on Loan.LoanReturned: Waiting -> Done | Reminded -> Closed"}},
		want: "library.esm:57:5: error[B019]: process Reminder no longer goes from Reminded to Done on Loan.LoanReturned (published: on Loan.LoanReturned: Waiting, Reminded -> Done): its stored steps that did can no longer be loaded (keep a branch Reminded -> Done on Loan.LoanReturned; the decision need never take it)\n"},
	{name: "process branch added", edits: [][2]string{{"    state Done final\n", "    state Done final\n    state Closed final\n"}, {"on Loan.LoanReturned: Waiting, Reminded -> Done", "on Loan.LoanReturned: Waiting, Reminded -> Done | Reminded -> Closed"}}},

	// Events edited in place.
	{name: "field added to v1", edits: [][2]string{{"        copy Copy\n        due  time.Time\n", "        copy Copy\n        due  time.Time\n        clerk string\n"}},
		want: "library.esm:29:9: error[B008]: field clerk is new in Lent v1: the stored Lent v1 events lack it (declare the change as Lent v3)\n"},
	{name: "field removed from v2", edits: [][2]string{{"        copy   Copy\n        due    time.Time\n        branch", "        due    time.Time\n        branch"}, {"drop copy, branch", "drop branch"}},
		want: "library.esm:31:5: error[B009]: field copy of Lent v2 is gone: the stored Lent v2 events hold it (declare the change as Lent v3)\n"},
	{name: "field renamed in v2", edits: [][2]string{{"        branch string = \"main\"", "        branch_name string = \"main\""}, {"drop copy, branch", "drop copy, branch_name"}},
		want: "library.esm:34:9: error[B010]: field branch_name of Lent v2 was branch: the stored Lent v2 events name it branch (declare the change as Lent v3)\n"},
	{name: "field retyped", edits: [][2]string{{"event LoanReturned { late bool }", "event LoanReturned { late int }"}},
		want: "library.esm:36:31: error[B011]: field late of LoanReturned v1 changed type from bool to int: the stored LoanReturned v1 events hold a bool (declare the change as LoanReturned v2)\n"},
	{name: "field made a pointer", edits: [][2]string{{"event LoanReturned { late bool }", "event LoanReturned { late *bool }"}},
		want: "library.esm:36:31: error[B011]: field late of LoanReturned v1 changed type from bool to *bool: the stored LoanReturned v1 events hold a bool (declare the change as LoanReturned v2)\n"},
	{name: "value type field added", edits: [][2]string{{"    shelf   string\n", "    shelf   string\n    floor   int\n"}},
		want: "library.esm:28:14: error[B011]: field copy of Lent v1 changed type from Copy{barcode string; shelf string} to Copy{barcode string; floor int; shelf string}: the stored Lent v1 events hold a Copy{barcode string; shelf string} (keep Copy as published and give Lent v3 a new type, e.g. Copy2)\nlibrary.esm:33:16: error[B011]: field copy of Lent v2 changed type from Copy{barcode string; shelf string} to Copy{barcode string; floor int; shelf string}: the stored Lent v2 events hold a Copy{barcode string; shelf string} (keep Copy as published and give Lent v3 a new type, e.g. Copy2)\n"},
	{name: "value type field retyped", edits: [][2]string{{"    barcode string", "    barcode int64"}},
		want: "library.esm:27:14: error[B011]: field copy of Lent v1 changed type from Copy{barcode string; shelf string} to Copy{barcode int64; shelf string}: the stored Lent v1 events hold a Copy{barcode string; shelf string} (keep Copy as published and give Lent v3 a new type, e.g. Copy2)\nlibrary.esm:32:16: error[B011]: field copy of Lent v2 changed type from Copy{barcode string; shelf string} to Copy{barcode int64; shelf string}: the stored Lent v2 events hold a Copy{barcode string; shelf string} (keep Copy as published and give Lent v3 a new type, e.g. Copy2)\n"},
	{name: "value type changed with the new version declared", edits: [][2]string{{"    shelf   string\n", "    shelf   string\n    floor   int\n"}, {"    event LoanReturned", "    event Lent v3 {\n        copy   Copy\n        due    time.Time\n        branch string\n    }\n    event LoanReturned"}},
		want: "library.esm:28:14: error[B011]: field copy of Lent v1 changed type from Copy{barcode string; shelf string} to Copy{barcode string; floor int; shelf string}: the stored Lent v1 events hold a Copy{barcode string; shelf string} (keep Copy as published and give Lent v3 a new type, e.g. Copy2)\nlibrary.esm:33:16: error[B011]: field copy of Lent v2 changed type from Copy{barcode string; shelf string} to Copy{barcode string; floor int; shelf string}: the stored Lent v2 events hold a Copy{barcode string; shelf string} (keep Copy as published and give Lent v3 a new type, e.g. Copy2)\n"},
	{name: "field added to v1 with the new version declared", edits: [][2]string{{"        copy Copy\n        due  time.Time\n", "        copy Copy\n        due  time.Time\n        clerk string\n"}, {"    event LoanReturned", "    event Lent v3 {\n        copy   Copy\n        due    time.Time\n        branch string\n        clerk  string = \"\"\n    }\n    event LoanReturned"}},
		want: "library.esm:29:9: error[B008]: field clerk is new in Lent v1: the stored Lent v1 events lack it (keep Lent v1 as published: the change belongs in Lent v3, which is new)\n"},
	{name: "default changed", edits: [][2]string{{`branch string = "main"`, `branch string = "central"`}},
		want: "library.esm:34:25: error[B012]: default of field branch of Lent v2 changed from \"main\" to \"central\": the stored Lent v1 events would read differently (keep the default \"main\")\n"},
	{name: "one field removed two added", edits: [][2]string{{"event LoanReturned { late bool }", "event LoanReturned { on_time bool; fee int }"}, {"drop late", "drop on_time, fee"}},
		want: "library.esm:36:5: error[B009]: field late of LoanReturned v1 is gone: the stored LoanReturned v1 events hold it (declare the change as LoanReturned v2)\nlibrary.esm:36:26: error[B008]: field on_time is new in LoanReturned v1: the stored LoanReturned v1 events lack it (declare the change as LoanReturned v2)\nlibrary.esm:36:40: error[B008]: field fee is new in LoanReturned v1: the stored LoanReturned v1 events lack it (declare the change as LoanReturned v2)\n"},
	{name: "version removed", edits: [][2]string{{"    // v2 records the branch.\n    event Lent v2 {\n        copy   Copy\n        due    time.Time\n        branch string = \"main\"\n    }\n", ""}, {"drop copy, branch", "drop copy"}},
		want: "library.esm:26:5: error[B007]: event Lent v2 is gone: its stored events can no longer be decoded\n"},
	{name: "event replaced", edits: [][2]string{{"event LoanReturned { late bool }", "event LoanClosed { fee int }"}, {"emits LoanReturned", "emits LoanClosed"}, {"evolve Out on LoanReturned: drop late", "evolve Out on LoanClosed: drop fee"}, {"on Loan.LoanReturned", "on Loan.LoanClosed"}},
		want: "library.esm:13:1: error[B006]: event LoanReturned of Loan is gone: its stored events can no longer be decoded\nlibrary.esm:51:1: error[B015]: process Reminder no longer handles Loan.LoanReturned: its stored steps of LoanReturned can no longer be loaded\n"},
	{name: "event renamed", edits: [][2]string{{"event LoanReturned {", "event LoanClosed {"}, {"emits LoanReturned", "emits LoanClosed"}, {"evolve Out on LoanReturned", "evolve Out on LoanClosed"}, {"on Loan.LoanReturned", "on Loan.LoanClosed"}},
		want: "library.esm:13:1: error[B006]: event LoanReturned of Loan is gone: its stored events can no longer be decoded (renamed to LoanClosed? stored data keeps the name LoanReturned: keep it)\nlibrary.esm:51:1: error[B015]: process Reminder no longer handles Loan.LoanReturned: its stored steps of LoanReturned can no longer be loaded\n"},

	// Aggregates moved or gone.
	{name: "aggregate renamed", edits: [][2]string{{"aggregate Loan {", "aggregate Borrowing {"}, {"correlate Loan by id", "correlate Borrowing by id"}, {"on Loan.LoanReturned", "on Borrowing.LoanReturned"}},
		want: "library.esm:2:1: error[B001]: aggregate Loan is gone: its stored events can no longer be loaded (renamed to Borrowing? stored data keeps the name Loan: keep it)\n"},
	{name: "subject changed", edits: [][2]string{{`subject "library.loans"`, `subject "lib.loans"`}},
		want: "library.esm:13:1: error[B002]: aggregate Loan moved from subject prefix \"library.loans\" to \"lib.loans\": its stored events stay where they are\n"},
	{name: "subject dropped", edits: [][2]string{{"    subject \"library.loans\"\n", ""}},
		want: "library.esm:13:1: error[B002]: aggregate Loan moved from subject prefix \"library.loans\" to \"events\" (the default): its stored events stay where they are\n"},
	{name: "stream dropped", edits: [][2]string{{"    stream \"LIBRARY\"\n", ""}},
		want: "library.esm:13:1: error[B003]: aggregate Loan moved from stream \"LIBRARY\" to \"EVENTS\" (the default): its stored events stay where they are\n"},
	{name: "default stream declared", edits: [][2]string{{"    id int64\n", "    id int64\n    stream \"EVENTS\"\n    subject \"events\"\n"}}},
	{name: "stream changed", edits: [][2]string{{`stream "LIBRARY"`, `stream "LOANS"`}},
		want: "library.esm:13:1: error[B003]: aggregate Loan moved from stream \"LIBRARY\" to \"LOANS\": its stored events stay where they are\n"},
	{name: "id type narrowed", edits: [][2]string{{"id int64", "id uint64"}},
		want: "library.esm:45:1: error[B005]: aggregate Visits changed its id type from int64 to uint64: the ids of its stored events may not be of the new type\n"},
	{name: "eventual aggregate removed", edits: [][2]string{{"// Visits counts visitors.\neventual aggregate Visits {\n    id int64\n    event Visited { at time.Time }\n}\n", ""}},
		want: "library.esm:2:1: error[B001]: aggregate Visits is gone: its stored events can no longer be loaded\n"},

	// Processes.
	{name: "process removed", edits: [][2]string{{"process Reminder {", "process Reminding {"}},
		want: "library.esm:2:1: error[B013]: process Reminder is gone: its stored steps can no longer be loaded (renamed to Reminding? stored data keeps the name Reminder: keep it)\n"},
	{name: "process state removed", edits: [][2]string{{"    state Reminded\n", ""}, {"Waiting, Reminded -> Done", "Waiting -> Done"}, {"Waiting -> Reminded", "Waiting -> Done"}},
		want: "library.esm:51:1: error[B014]: state Reminded of process Reminder is gone: its stored steps name it\n"},
	{name: "process timer renamed", edits: [][2]string{{"as Overdue", "as Late"}},
		want: "library.esm:51:1: error[B015]: process Reminder no longer handles timer Overdue: its stored steps of Overdue can no longer be loaded\n"},
	{name: "process reaction removed", edits: [][2]string{{"on Loan.LoanReturned: Waiting, Reminded -> Done", "on Loan.Lent: Waiting, Reminded -> Done"}},
		want: "library.esm:51:1: error[B015]: process Reminder no longer handles Loan.LoanReturned: its stored steps of LoanReturned can no longer be loaded\n"},
}

// TestBreaking applies each edit to testdata/breaking/library.esm and
// compares what Breaking reports against the original.
func TestBreaking(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("testdata", "breaking", "library.esm"))
	if err != nil {
		t.Fatal(err)
	}
	old, ds := Load("library.esm", base)
	if old == nil {
		t.Fatalf("library.esm does not load:\n%s", formatDiags(ds))
	}
	if len(breakingCases) < 25 {
		t.Errorf("%d cases, want at least 25", len(breakingCases))
	}
	for _, c := range breakingCases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			src := string(base)
			for _, e := range c.edits {
				if n := strings.Count(src, e[0]); n != 1 {
					t.Fatalf("edit %q occurs %d times", e[0], n)
				}
				src = strings.Replace(src, e[0], e[1], 1)
			}
			cur, ds := Load("library.esm", []byte(src))
			if cur == nil {
				t.Fatalf("the edited file does not load:\n%s\n%s", formatDiags(ds), src)
			}
			got := Breaking([]*File{old}, []*File{cur})
			for _, d := range got {
				checkPosition(t, []byte(src), d)
			}
			if s := formatDiags(got); s != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", s, c.want)
			}
		})
	}
}

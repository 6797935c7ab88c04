package inspect_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/esgen/esgen/runtime/es"
)

// TestCauseOfSiblingProcesses: two processes (Lending and the timers of
// Loan) react to the same Loan event, so their steps have the same
// command id and event ids. The cause of each record is found in the
// instance its command id and actor name, as runtime/process writes
// them: a command a process sent in that process's instance, a timer's
// step in its own instance, a source event's step in the source; in the
// instance's history and in the trail alike.
func TestCauseOfSiblingProcesses(t *testing.T) {
	js := startJetStream(t)
	a := &appender{t: t, store: newStore(t, js), at: map[es.Ref]es.AppendResult{}}
	loan, tool := es.Ref{Type: "Loan", ID: "l-2"}, es.Ref{Type: "Tool", ID: "ladder-1"}
	lending, timers := es.Ref{Type: "Lending", ID: "l-2"}, es.Ref{Type: "LoanTimers", ID: "l-2"}
	reserved := a.addBy("ann", loan, "c1", "flow", "c1", `LoanReserved:{}`)
	in := "in:Loan.l-2." + reserved[0].EventID
	// Either order of the two steps made the first-match lookup wrong
	// for one of them.
	timerStep := a.addBy("LoanTimers", timers, in, "flow", reserved[0].EventID, `LoanReserved:{"from":"Idle","to":"Reserved","input":{}}`)
	lendingStep := a.addBy("Lending", lending, in, "flow", reserved[0].EventID, `LoanReserved:{"from":"Idle","to":"Waiting","input":{}}`)
	a.addBy("Lending", tool, "Lending.l-2."+lendingStep[0].EventID+".0", "flow", lendingStep[0].EventID, `ToolReserved:{}`)
	fired := a.addBy("LoanTimers", timers, "tm:ReservedAfter48h.1", "flow", timerStep[0].EventID, `ReservedAfter48h:{"from":"Reserved","to":"Done","input":{}}`)
	a.addBy("LoanTimers", loan, "LoanTimers.l-2."+fired[0].EventID+".0", "flow", fired[0].EventID, `LoanCancelled:{}`)
	// A command a user sent with the step's event id as causation: no
	// instance is named, the first record with the id is its cause.
	a.addBy("ann", tool, "c2", "flow", lendingStep[0].EventID, `ToolChecked:{}`)
	_, srv := serve(t, js)
	ctx := t.Context()

	var got []string
	for _, ref := range []es.Ref{loan, timers, lending, tool} {
		var h struct {
			Events []struct {
				Version   uint64 `json:"version"`
				EventType string `json:"event_type"`
				Cause     *struct {
					Type, ID  string
					Version   uint64
					EventType string `json:"event_type"`
				} `json:"cause"`
			} `json:"events"`
		}
		getJSON(ctx, t, srv.URL+"/api/instance?type="+ref.Type+"&id="+ref.ID, &h)
		for _, e := range h.Events {
			row := fmt.Sprintf("%s %s v%d %s <-", ref.Type, ref.ID, e.Version, e.EventType)
			if e.Cause != nil {
				row += fmt.Sprintf(" %s %s v%d %s", e.Cause.Type, e.Cause.ID, e.Cause.Version, e.Cause.EventType)
			}
			got = append(got, row)
		}
	}
	want := []string{
		"Loan l-2 v1 LoanReserved <-",
		"Loan l-2 v2 LoanCancelled <- LoanTimers l-2 v2 ReservedAfter48h",
		"LoanTimers l-2 v1 LoanReserved <- Loan l-2 v1 LoanReserved",
		"LoanTimers l-2 v2 ReservedAfter48h <- LoanTimers l-2 v1 LoanReserved",
		"Lending l-2 v1 LoanReserved <- Loan l-2 v1 LoanReserved",
		"Tool ladder-1 v1 ToolReserved <- Lending l-2 v1 LoanReserved",
		"Tool ladder-1 v2 ToolChecked <- LoanTimers l-2 v1 LoanReserved",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("causes:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	var trail struct {
		Records []struct {
			Type, ID string
			Version  uint64
			Cause    *struct {
				Type, ID string
				Version  uint64
			} `json:"cause"`
		} `json:"records"`
	}
	getJSON(ctx, t, srv.URL+"/api/trail?correlation=flow", &trail)
	got = got[:0]
	for _, r := range trail.Records {
		row := fmt.Sprintf("%s/%s v%d <-", r.Type, r.ID, r.Version)
		if r.Cause != nil {
			row += fmt.Sprintf(" %s/%s v%d", r.Cause.Type, r.Cause.ID, r.Cause.Version)
		}
		got = append(got, row)
	}
	wantTrail := "Loan/l-2 v1 <- | LoanTimers/l-2 v1 <- Loan/l-2 v1 | Lending/l-2 v1 <- Loan/l-2 v1 | Tool/ladder-1 v1 <- Lending/l-2 v1 | " +
		"LoanTimers/l-2 v2 <- LoanTimers/l-2 v1 | Loan/l-2 v2 <- LoanTimers/l-2 v2 | Tool/ladder-1 v2 <- LoanTimers/l-2 v1"
	if g := strings.Join(got, " | "); g != wantTrail {
		t.Errorf("trail:\n%s\nwant\n%s", g, wantTrail)
	}
}

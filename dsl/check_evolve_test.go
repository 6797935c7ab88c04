package dsl

import (
	"strings"
	"testing"
)

// TestEvolutions checks how each entry of the Evolve table computes its
// new state, the rule that keeps a generated Evolve from losing an event
// field or making up a state field: every field of the event reaches the
// new state or is declared dropped, and every field of the new state comes
// from the event, from the state left, or is declared zero; otherwise a
// hook.
func TestEvolutions(t *testing.T) {
	const head = "package bank\n\nimport \"time\"\n\naggregate Account {\n"
	tests := []struct {
		name string
		body string
		want []string // one line per entry: "State/Event: summary"
	}{
		{
			name: "a deposit that reaches no field is a hook, never a dropped amount",
			body: `state Open initial { balance_cents int64; currency string }
    state Closed final
    command Deposit { amount_cents int64 }
    command Close
    event MoneyDeposited { amount_cents int64; currency string }
    event AccountClosed
    on Deposit: Open -> Open emits MoneyDeposited
    on Close: Open -> Closed emits AccountClosed`,
			want: []string{
				"Open/MoneyDeposited: hook (field currency of MoneyDeposited would replace field currency of Open, which the event keeps: declare set currency if it is the new value, drop currency if the state does not need it; " +
					"field amount_cents of MoneyDeposited reaches no field of Open)",
				"Open/AccountClosed: generated",
			},
		},
		{
			name: "fields by name and type from the event, the rest carried",
			body: `state Open initial { balance_cents int64; currency string }
    state Closed final { currency string; closed_at time.Time }
    command Set { balance_cents int64 }
    command Close
    event BalanceSet { balance_cents int64 }
    event AccountClosed { closed_at time.Time }
    on Set: Open -> Open emits BalanceSet
    on Close: Open -> Closed emits AccountClosed
    evolve Open on BalanceSet: set balance_cents`,
			want: []string{
				"Open/BalanceSet: generated balance_cents<-event.balance_cents currency<-state.currency (declared at 14:5)",
				"Open/AccountClosed: generated currency<-state.currency closed_at<-event.closed_at",
			},
		},
		{
			name: "an event that keeps the state replaces a field of its name only when declared set",
			body: `state Open initial { balance_cents int64; currency string }
    state Closed final
    command Adjust { balance_cents int64 }
    command Close
    event BalanceAdjusted { balance_cents int64 }
    event AccountClosed
    on Adjust: Open -> Open emits BalanceAdjusted
    on Close: Open -> Closed emits AccountClosed`,
			want: []string{
				"Open/BalanceAdjusted: hook (field balance_cents of BalanceAdjusted would replace field balance_cents of Open, which the event keeps: declare set balance_cents if it is the new value, drop balance_cents if the state does not need it)",
				"Open/AccountClosed: generated",
			},
		},
		{
			name: "a field of the new state found nowhere is a hook, never a zero",
			body: `state Pending initial
    state Open final { balance_cents int64; currency string }
    command OpenAccount { currency string }
    event AccountOpened { currency string }
    on OpenAccount: Pending -> Open emits AccountOpened`,
			want: []string{
				"Pending/AccountOpened: hook (field balance_cents of Open is set neither by AccountOpened nor by state Pending)",
			},
		},
		{
			name: "declared zero and drop make it generated",
			body: `state Pending initial
    state Open final { balance_cents int64; currency string }
    command OpenAccount { currency string }
    event AccountOpened { currency string; opened_at time.Time }
    on OpenAccount: Pending -> Open emits AccountOpened
    evolve Pending on AccountOpened: drop opened_at; zero balance_cents`,
			want: []string{
				"Pending/AccountOpened: generated balance_cents=zero currency<-event.currency dropped[opened_at] (declared at 11:5)",
			},
		},
		{
			name: "a same-named field of another type is a hook",
			body: `state Open initial { balance int64 }
    state Closed final
    command Set { balance string }
    command Close
    event BalanceSet { balance string }
    event AccountClosed
    on Set: Open -> Open emits BalanceSet
    on Close: Open -> Closed emits AccountClosed`,
			want: []string{
				"Open/BalanceSet: hook (field balance of BalanceSet is a string, field balance of Open a int64)",
				"Open/AccountClosed: generated",
			},
		},
		{
			name: "unchanged drops every field and keeps the state",
			body: `state Open initial { balance_cents int64 }
    state Closed final
    command Withdraw { amount_cents int64 }
    command Close
    event WithdrawalRejected { amount_cents int64; reason string }
    event AccountClosed
    on Withdraw: Open -> Open emits WithdrawalRejected
    on Close: Open -> Closed emits AccountClosed
    evolve Open on WithdrawalRejected: unchanged`,
			want: []string{
				"Open/WithdrawalRejected: unchanged dropped[amount_cents,reason] (declared at 14:5)",
				"Open/AccountClosed: generated",
			},
		},
		{
			name: "a dropped field of the state's name leaves the state's value",
			body: `state Open initial { currency string; note string }
    state Closed final
    command Note { note string }
    command Close
    event NoteTaken { note string; currency string }
    event AccountClosed
    on Note: Open -> Open emits NoteTaken
    on Close: Open -> Closed emits AccountClosed
    evolve Open on NoteTaken: drop currency; set note`,
			want: []string{
				"Open/NoteTaken: generated currency<-state.currency note<-event.note dropped[currency] (declared at 14:5)",
				"Open/AccountClosed: generated",
			},
		},
		{
			name: "zero overrides a field carried from the state",
			body: `state Open initial { count int }
    state Reset final { count int }
    command Tick { count int }
    command Stop
    event Ticked { count int }
    event Stopped
    on Tick: Open -> Open emits Ticked
    on Stop: Open -> Reset emits Stopped
    evolve Open on Stopped: zero count
    evolve Open on Ticked: set count`,
			want: []string{
				"Open/Ticked: generated count<-event.count (declared at 15:5)",
				"Open/Stopped: generated count=zero (declared at 14:5)",
			},
		},
		{
			name: "a hook asked for, with the fields it need not use",
			body: `state Open initial { count int }
    state Closed final
    command Tick { count int; by string }
    command Close
    event Ticked { count int; by string }
    event AccountClosed
    on Tick: Open -> Open emits Ticked
    on Close: Open -> Closed emits AccountClosed
    evolve Open on Ticked: hook; drop by`,
			want: []string{
				"Open/Ticked: hook dropped[by] (declared at 14:5)",
				"Open/AccountClosed: generated",
			},
		},
		{
			name: "one declaration for several states, and the later events of a branch",
			body: `state Draft initial { note string }
    state Held { note string }
    state Done final { note string }
    command Hold
    command Close { reason string }
    event OrderHeld
    event Closed { reason string }
    event Archived { reason string }
    on Hold: Draft -> Held emits OrderHeld
    on Close: Draft, Held -> Done emits Closed, Archived
    evolve Draft, Held on Closed: drop reason
    evolve Done on Archived: unchanged`,
			want: []string{
				"Draft/OrderHeld: generated note<-state.note",
				"Draft/Closed: generated note<-state.note dropped[reason] (declared at 16:5)",
				"Done/Archived: unchanged dropped[reason] (declared at 17:5)",
				"Held/Closed: generated note<-state.note dropped[reason] (declared at 16:5)",
			},
		},
		{
			name: "the newest version counts",
			body: `state Open initial { owner string }
    state Closed final
    command Rename { owner string }
    command Close
    event OwnerRenamed v1 { owner string }
    event OwnerRenamed v2 { owner string; by string = "" }
    event AccountClosed
    on Rename: Open -> Open emits OwnerRenamed
    on Close: Open -> Closed emits AccountClosed`,
			want: []string{
				"Open/OwnerRenamed: hook (field owner of OwnerRenamed would replace field owner of Open, which the event keeps: declare set owner if it is the new value, drop owner if the state does not need it; " +
					"field by of OwnerRenamed reaches no field of Open)",
				"Open/AccountClosed: generated",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := head + "    " + tt.body + "\n}\n"
			f, diags := Load("bank.esm", []byte(src))
			if diags.HasErrors() || f == nil {
				t.Fatalf("does not check:\n%v\n%s", diags.Err(), src)
			}
			var got []string
			for _, e := range f.Aggregates[0].Evolutions {
				got = append(got, e.From.Name+"/"+e.Event.Name+": "+evolutionSummary(e))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

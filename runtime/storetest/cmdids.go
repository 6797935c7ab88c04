package storetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/esgen/esgen/runtime/es"
)

// badCommandIDs are command ids es.ValidateCommandID rejects: ids a store
// could not keep apart from another (JetStream clients trim header values
// and turn CR and LF into spaces), and ids that are not ids at all.
var badCommandIDs = []struct{ name, id string }{
	{"empty", ""},
	{"trailing space", "c1 "},
	{"leading space", " c1"},
	{"trailing CR", "c1\r"},
	{"trailing LF", "c1\n"},
	{"trailing CRLF", "c1\r\n"},
	{"tab", "c1\t"},
	{"inner LF", "c\n1"},
	{"NUL", "c1\x00"},
	{"DEL", "c1\x7f"},
	{"NEL", "c1\u0085"},
	{"trailing no-break space", "c1\u00a0"},
	{"leading em space", "\u2003c1"},
	{"invalid UTF-8", "c\xff1"},
	{"one byte too long", strings.Repeat("x", es.MaxCommandIDLength+1)},
	{"100 KB", strings.Repeat("x", 100<<10)},
}

// testCommandIDs: Append refuses a command id es.ValidateCommandID
// rejects with es.ErrInvalidCommandID and stores nothing, also where the
// id would be taken for a stored command's (c1 and "c1 " are the same
// message id to a JetStream client); FindCommand refuses it too. Valid
// ids that differ only inside, in case or in a character stay apart.
func testCommandIDs(f *fixture) {
	ref := f.ref("Order", "cmdids")
	r1 := f.add(ref, es.Position{}, "c1", 1)
	finder, _ := f.s.(es.CommandFinder)
	for _, tc := range badCommandIDs {
		for _, at := range []es.Position{pos(r1), {}} {
			req := request(ref, at, tc.id, events("bad", 1))
			res, err := f.s.Append(f.t.Context(), req)
			if !errors.Is(err, es.ErrInvalidCommandID) {
				f.t.Errorf("Append with command id %s at %+v = %+v, %v; want es.ErrInvalidCommandID", tc.name, at, res, err)
			}
		}
		if finder != nil {
			if _, _, err := finder.FindCommand(f.t.Context(), ref, tc.id); !errors.Is(err, es.ErrInvalidCommandID) {
				f.t.Errorf("FindCommand of command id %s = %v, want es.ErrInvalidCommandID", tc.name, err)
			}
		}
	}
	f.diffRecords("after refused command ids", r1.Records, f.mustRead(ref, es.Position{}))

	results := []es.AppendResult{r1}
	for _, id := range []string{"c 1", "C1", "c1-1", "ünï cödé", "c1\u200b", strings.Repeat("x", es.MaxCommandIDLength)} {
		res := f.add(ref, pos(results[len(results)-1]), id, 1)
		if res.Duplicate {
			f.t.Errorf("command id %q taken for a stored command's", id)
		}
		results = append(results, res)
	}
	f.diffRecords("ids that differ only inside", concat(results...), f.mustRead(ref, es.Position{}))
}

// testInvalidCommandID: Handle refuses a command id ValidateCommandID
// rejects before deciding: the error matches es.ErrInvalidCommandID and
// nothing is stored, also when the id would be taken for a stored
// command's.
func testInvalidCommandID(t *testing.T, s Stores, id string) {
	r := es.NewRepository(s.Events, TallyDefinition(0))
	mustHandle(t, r, id, Add{N: 1}, es.WithCommandID("add"))
	for _, tc := range badCommandIDs {
		if tc.id == "" {
			continue // no id: Handle makes one up
		}
		for _, cmd := range []TallyCommand{Add{N: 1}, Close{}} {
			res, err := r.Handle(t.Context(), id, cmd, es.WithCommandID(tc.id))
			if !errors.Is(err, es.ErrInvalidCommandID) || res.Version != 0 {
				t.Errorf("Handle(%T) with command id %s = %+v, %v; want the zero Result and es.ErrInvalidCommandID", cmd, tc.name, res, err)
			}
		}
	}
	recs, _, err := r.History(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].EventID != "add-1" {
		t.Errorf("history holds %d events, want the one of command add", len(recs))
	}
}

package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esgen/esgen/dsl"
)

// TestProcessHookTestCatchesLostFields checks that the skeleton's hook
// test of a process runs the user's Evolver and fails where a hook forgets
// a field of the state left (an id every later command needs) or of the
// input's event: the process case, with a Confirmed state that keeps the
// guest and the booking and records a receipt, which makes its evolution
// a hook, is compiled with a hook that forgets the guest, one that
// forgets the booking, and one that keeps both.
func TestProcessHookTestCatchesLostFields(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles generated code")
	}
	src, err := os.ReadFile(filepath.Join(goldenRoot, "process", "booking.esm"))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "    state Confirmed final\n",
		"    state Confirmed final {\n        guest      string\n        booking_id string\n        receipt    string\n    }\n", 1)
	if edited == string(src) {
		t.Fatal("booking.esm no longer declares Confirmed without fields")
	}
	f, ds := dsl.Load("booking.esm", []byte(edited))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	files, err := Generate(t.Context(), f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var kept []File
	for _, f := range files {
		if f.Name != "stay_test.go" && f.Name != "room_test.go" && f.Name != "charge_test.go" {
			kept = append(kept, f)
		}
	}
	user := func(body string, notKept ...string) map[string][]byte {
		cases := "stayEvolutions()"
		for _, f := range notKept {
			cases = "estest.NotKept(t, " + cases + `, "Charging/ChargeSettled", "` + f + `")`
		}
		return map[string][]byte{"user_test.go": []byte(`package booking

import (
	"testing"

	"github.com/esgen/esgen/runtime/estest"
)

type evolver struct{}

func (evolver) ChargingOnChargeSettledToConfirmed(s StayCharging, in ChargeSettled) StayConfirmed {
	return ` + body + `
}

func TestStayEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, stayTestDefinition(nil, evolver{}).Machine, StayStateName, ` + cases + `, true)
}
`)}
	}
	mod := newGoModule(t, "processhooks")
	mod.writePackage(t, "noguest", kept, user(`StayConfirmed{BookingID: in.BookingID, Receipt: "r"}`))
	mod.writePackage(t, "nobooking", kept, user(`StayConfirmed{Guest: s.Guest, Receipt: "r"}`))
	mod.writePackage(t, "right", kept, user(`StayConfirmed{Guest: s.Guest, BookingID: in.BookingID, Receipt: "r"}`))
	// The guest deliberately not kept, and the test saying so.
	mod.writePackage(t, "reset", kept, user(`StayConfirmed{BookingID: in.BookingID, Receipt: "r"}`, "guest"))
	// A field NotKept does not know fails the test: no typo is silently unchecked.
	mod.writePackage(t, "typo", kept, user(`StayConfirmed{Guest: s.Guest, BookingID: in.BookingID, Receipt: "r"}`, "gest"))
	out, _ := mod.run("test", "-count=1", "-run", "^TestStayEvolveHooks$", "./...")
	text := string(out)
	for _, c := range []struct{ pkg, want string }{
		{"noguest", "Charging/ChargeSettled: changing Charging.guest does not change the state ChargingOnChargeSettledToConfirmed returns: " +
			"the value the state held is lost. Carry it over in ChargingOnChargeSettledToConfirmed (s.Guest); " +
			"if the new state deliberately does not keep it (a count reset, a value the input replaces), say so in this test: " +
			`cases = estest.NotKept(t, cases, "Charging/ChargeSettled", "guest")`},
		{"typo", "NotKept: Charging/ChargeSettled: gest is not a field of Charging that the new state must keep"},
		{"nobooking", "Charging/ChargeSettled: changing ChargeSettled.booking_id does not change the state ChargingOnChargeSettledToConfirmed returns: " +
			"its value is lost. Copy it in ChargingOnChargeSettledToConfirmed (in.BookingID) to the new state's field of its name"},
	} {
		if !strings.Contains(text, "FAIL\tesgen.test/processhooks/"+c.pkg) || !strings.Contains(text, c.want) {
			t.Errorf("%s: want its package to fail saying %q", c.pkg, c.want)
		}
	}
	for _, pkg := range []string{"right", "reset"} {
		if !strings.Contains(text, "ok  \tesgen.test/processhooks/"+pkg) {
			t.Errorf("%s: the hook fails", pkg)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("go test output:\n%s", text)
	}
}

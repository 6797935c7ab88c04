package orders

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/esgen/esgen/examples/internal/contracttest"
	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/process"
)

// contract is the JSON Schemas esgen generates for the package (-formats
// jsonschema): they must hold every event and command the tests of the
// package produce. The aggregates' definitions under test are wrapped by
// contracttest.SchemaChecked, the process's by validatedSteps, and the
// stores of the tests checked by contract.CheckStored.
var contract = contracttest.New(".")

// validatedSteps wraps a process's definition so that the event each step
// reacts to and the commands it sends are validated with the schemas of
// their aggregates.
func validatedSteps[S, I any](def es.Definition[S, I, process.Step[I]]) es.Definition[S, I, process.Step[I]] {
	evolve := def.Evolve
	def.Evolve = func(s S, step process.Step[I]) (S, error) {
		if err := validateStep(def, step); err != nil {
			var zero S
			return zero, fmt.Errorf("schema: %w", err)
		}
		return evolve(s, step)
	}
	return def
}

func validateStep[S, I any](def es.Definition[S, I, process.Step[I]], step process.Step[I]) error {
	raw, err := def.Events.Encode(nil, step)
	if err != nil {
		return err
	}
	var stored struct {
		Version int             `json:"input_version"`
		Input   json.RawMessage `json:"input"`
	}
	if err := json.Unmarshal(raw.Data, &stored); err != nil {
		return err
	}
	// An event input is in the schemas of its aggregate; refusals and
	// timers are the process's own.
	name := fmt.Sprintf("%s.v%d", raw.Type, stored.Version)
	owners, err := contract.Owners(name)
	if err != nil {
		return err
	}
	for _, agg := range owners {
		if err := contract.Validate(agg, name, stored.Input); err != nil {
			return err
		}
	}
	for _, send := range step.Sends {
		if err := contract.Validate(send.Aggregate, send.Command, send.Data); err != nil {
			return err
		}
	}
	return nil
}

// TestContractRejects: the schemas are not vacuous.
func TestContractRejects(t *testing.T) {
	for _, tt := range []struct{ agg, name, data, want string }{
		{"Order", "OrderSubmitted.v2", `{"items":[],"submitted_at":"2026-01-02T03:04:05Z"}`, "missing property 'channel'"},
		{"Order", "OrderSubmitted.v2", `{"items":[{"sku":"a","qty":1.5,"price_cents":1}],"submitted_at":"2026-01-02T03:04:05Z","channel":"web"}`, "want integer"},
		{"Order", "OrderSubmitted.v1", `{"items":null,"submitted_at":"yesterday"}`, "not valid date-time"},
		{"Order", "PaymentValidated.v1", `{"payment_id":"p","extra":1}`, "additional properties 'extra' not allowed"},
		{"Payment", "RequestPayment", `{"order_id":1,"amount_cents":1}`, "want string"},
	} {
		err := contract.Validate(tt.agg, tt.name, []byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s %s: %v, want an error with %q", tt.agg, tt.name, tt.data, err, tt.want)
		}
	}
	// A stored v1 event holds v1's schema.
	v1, err := json.Marshal(OrderSubmittedV1{Items: items, SubmittedAt: clock})
	if err != nil {
		t.Fatal(err)
	}
	if err := contract.Validate("Order", "OrderSubmitted.v1", v1); err != nil {
		t.Error(err)
	}
}

// TestMain fails a full run of the package's tests in which the schemas
// validated fewer than 50 events and commands: the definitions under test
// would not be wrapped.
func TestMain(m *testing.M) {
	os.Exit(contract.Main(m, 50))
}

package orders

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/process"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The JSON Schemas esgen generates for the package (-formats jsonschema)
// must hold every event the tests of the package produce: the definitions
// under test are wrapped by schemaChecked, which encodes every event they
// evolve with the generated codec and validates its JSON with the schema
// of its type and version.

// contract is the compiled schemas of the package, by aggregate and
// schema name ("Order", "OrderSubmitted.v2"); compiled once.
var contract = sync.OnceValues(func() (map[string]map[string]*jsonschema.Schema, error) {
	files, err := filepath.Glob("*.schema.json")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no *.schema.json: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	out := map[string]map[string]*jsonschema.Schema{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		url := "file:///" + f
		if err := c.AddResource(url, doc); err != nil {
			return nil, err
		}
		var parsed struct {
			Title string                     `json:"title"`
			Defs  map[string]json.RawMessage `json:"$defs"`
		}
		if err := json.Unmarshal(data, &parsed); err != nil {
			return nil, err
		}
		out[parsed.Title] = map[string]*jsonschema.Schema{}
		for name := range parsed.Defs {
			s, err := c.Compile(url + "#/$defs/" + name)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", f, name, err)
			}
			out[parsed.Title][name] = s
		}
	}
	return out, nil
})

// validate validates data with the schema name of aggregate agg.
func validate(agg, name string, data []byte) error {
	schemas, err := contract()
	if err != nil {
		return err
	}
	s := schemas[agg][name]
	if s == nil {
		return fmt.Errorf("%s has no schema %s", agg, name)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s %s: %w", agg, name, err)
	}
	if err := s.Validate(v); err != nil {
		return fmt.Errorf("%s %s %s: %w", agg, name, data, err)
	}
	validatedCount.Add(1)
	return nil
}

// validatedCount counts the payloads validated, for TestContractCoverage.
var validatedCount counter

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) Add(n int) { c.mu.Lock(); c.n += n; c.mu.Unlock() }
func (c *counter) Get() int  { c.mu.Lock(); defer c.mu.Unlock(); return c.n }

// schemaChecked wraps def so that every event it evolves is encoded with its
// codec and validated with the generated schema; an event the schema does
// not hold fails the case with the validation error.
func schemaChecked[S, C, E any](def es.Definition[S, C, E]) es.Definition[S, C, E] {
	evolve := def.Evolve
	def.Evolve = func(s S, e E) (S, error) {
		raw, err := def.Events.Encode(nil, e)
		if err == nil {
			err = validate(def.Type, fmt.Sprintf("%s.v%d", raw.Type, raw.SchemaVersion), raw.Data)
		}
		if err != nil {
			var zero S
			return zero, fmt.Errorf("schema: %w", err)
		}
		return evolve(s, e)
	}
	return def
}

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
	schemas, err := contract()
	if err != nil {
		return err
	}
	// An event input is in the schemas of its aggregate; refusals and
	// timers are the process's own.
	name := fmt.Sprintf("%s.v%d", raw.Type, stored.Version)
	for agg := range schemas {
		if schemas[agg][name] != nil {
			if err := validate(agg, name, stored.Input); err != nil {
				return err
			}
		}
	}
	for _, send := range step.Sends {
		if err := validate(send.Aggregate, send.Command, send.Data); err != nil {
			return err
		}
	}
	return nil
}

// checkStored validates every event stored in store, at the end of the
// test.
func checkStored(t *testing.T, store es.Scanner) {
	t.Helper()
	t.Cleanup(func() {
		n := 0
		for rec, err := range store.Scan(context.Background(), 0) {
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(rec.AggregateType, fmt.Sprintf("%s.v%d", rec.EventType, rec.SchemaVersion), rec.Data); err != nil {
				t.Errorf("stored event %d: %v", rec.Sequence, err)
			}
			n++
		}
		if n == 0 {
			t.Error("no event stored")
		}
	})
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
		err := validate(tt.agg, tt.name, []byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s %s: %v, want an error with %q", tt.agg, tt.name, tt.data, err, tt.want)
		}
	}
	// A stored v1 event holds v1's schema.
	v1, err := json.Marshal(OrderSubmittedV1{Items: items, SubmittedAt: clock})
	if err != nil {
		t.Fatal(err)
	}
	if err := validate("Order", "OrderSubmitted.v1", v1); err != nil {
		t.Error(err)
	}
}

// TestMain fails a full run of the package's tests in which the schemas
// validated nothing: the definitions under test would not be wrapped.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && runsAll() && validatedCount.Get() < 50 {
		fmt.Fprintf(os.Stderr, "the schemas validated %d events and commands; the tests produce more\n", validatedCount.Get())
		code = 1
	}
	os.Exit(code)
}

// runsAll reports whether every test runs: no -test.run, -test.skip or
// -test.short.
func runsAll() bool {
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-test.run") || strings.HasPrefix(a, "-test.skip") || strings.HasPrefix(a, "-test.short") || strings.HasPrefix(a, "-test.list") {
			return false
		}
	}
	return true
}

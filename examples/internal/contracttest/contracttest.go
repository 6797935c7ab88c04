// Package contracttest checks the events and commands the tests of an
// example package produce against the JSON Schemas esgen generates for the
// package (-formats jsonschema): the definitions under test are wrapped by
// SchemaChecked, which encodes every event they evolve with the generated
// codec and validates its JSON with the schema of its type and version;
// CheckStored validates what a test stored; Main fails a full run of the
// package's tests in which too little was validated, so that a definition
// left unwrapped does not go unnoticed.
package contracttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Contract is the JSON Schemas of one package's directory, compiled on
// first use, and the number of payloads they validated.
type Contract struct {
	schemas   func() (map[string]map[string]*jsonschema.Schema, error)
	validated atomic.Int64
}

// New returns the contract of the *.schema.json files in dir.
func New(dir string) *Contract {
	return &Contract{schemas: sync.OnceValues(func() (map[string]map[string]*jsonschema.Schema, error) {
		return compile(dir)
	})}
}

// compile compiles every schema of the *.schema.json files in dir, by
// aggregate (the file's title, "Order") and schema name (a member of its
// $defs, "OrderSubmitted.v2").
func compile(dir string) (map[string]map[string]*jsonschema.Schema, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.schema.json"))
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
		url := "file:///" + filepath.ToSlash(f)
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
}

// Validate validates data with the schema name ("OrderSubmitted.v2",
// "RequestPayment") of aggregate agg.
func (c *Contract) Validate(agg, name string, data []byte) error {
	schemas, err := c.schemas()
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
	c.validated.Add(1)
	return nil
}

// Owners returns the aggregates that have a schema called name, sorted.
func (c *Contract) Owners(name string) ([]string, error) {
	schemas, err := c.schemas()
	if err != nil {
		return nil, err
	}
	var out []string
	for agg, defs := range schemas {
		if defs[name] != nil {
			out = append(out, agg)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Validated returns the number of payloads validated so far.
func (c *Contract) Validated() int { return int(c.validated.Load()) }

// SchemaChecked wraps def so that every event it evolves is encoded with
// its codec and validated with the schema of its type and version; an
// event the schema does not hold fails the case with the validation error.
func SchemaChecked[S, C, E any](c *Contract, def es.Definition[S, C, E]) es.Definition[S, C, E] {
	evolve := def.Evolve
	def.Evolve = func(s S, e E) (S, error) {
		raw, err := def.Events.Encode(nil, e)
		if err == nil {
			err = c.Validate(def.Type, fmt.Sprintf("%s.v%d", raw.Type, raw.SchemaVersion), raw.Data)
		}
		if err != nil {
			var zero S
			return zero, fmt.Errorf("schema: %w", err)
		}
		return evolve(s, e)
	}
	return def
}

// CheckStored validates every event stored in store at the end of the
// test, and fails it when store holds none.
func (c *Contract) CheckStored(t testing.TB, store es.Scanner) {
	t.Helper()
	t.Cleanup(func() {
		n := 0
		for rec, err := range store.Scan(context.Background(), 0) {
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Validate(rec.AggregateType, fmt.Sprintf("%s.v%d", rec.EventType, rec.SchemaVersion), rec.Data); err != nil {
				t.Errorf("stored event %d: %v", rec.Sequence, err)
			}
			n++
		}
		if n == 0 {
			t.Error("no event stored")
		}
	})
}

// Main runs the tests of m, as a TestMain does, and returns the exit code:
// a failure when every test ran and the contract validated fewer than
// least payloads.
func (c *Contract) Main(m *testing.M, least int) int {
	code := m.Run()
	if code == 0 && RunsAll(os.Args[1:]) && c.Validated() < least {
		fmt.Fprintf(os.Stderr, "the schemas validated %d events and commands; the tests produce more\n", c.Validated())
		code = 1
	}
	return code
}

// RunsAll reports whether the test binary's arguments run every test: no
// -test.run, -test.skip, -test.short or -test.list.
func RunsAll(args []string) bool {
	for _, a := range args {
		for _, flag := range []string{"-test.run", "-test.skip", "-test.short", "-test.list"} {
			if strings.HasPrefix(a, flag) {
				return false
			}
		}
	}
	return true
}

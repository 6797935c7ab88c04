package graph

import (
	"os"
	"strings"
	"testing"

	"github.com/esgen/esgen/examples/internal/contracttest"
)

// contract is the JSON Schemas esgen generates for the package (-formats
// jsonschema): they must hold every event the tests of the package produce.
// The definitions under test are wrapped by contracttest.SchemaChecked, and
// the stores of the tests checked by contract.CheckStored.
var contract = contracttest.New(".")

// TestContractRejects: the schemas are not vacuous.
func TestContractRejects(t *testing.T) {
	for _, tt := range []struct{ agg, name, data, want string }{
		{"Graph", "NodeAdded.v2", `{"graph_id":"g","node_id":"a","label":"A"}`, "missing property 'metadata'"},
		{"Metrics", "MetricRecorded.v1", `{"name":"nodes","value":"3","at":"2026-01-02T03:04:05Z"}`, "want number"},
	} {
		err := contract.Validate(tt.agg, tt.name, []byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s %s: %v, want an error with %q", tt.agg, tt.name, tt.data, err, tt.want)
		}
	}
}

// TestMain fails a full run of the package's tests in which the schemas
// validated fewer than 20 events: the definitions under test would not be
// wrapped.
func TestMain(m *testing.M) {
	os.Exit(contract.Main(m, 20))
}

package process

import (
	"context"
	"fmt"

	"github.com/esgen/esgen/runtime/es"
)

// Trail returns every stored record of one business transaction: those
// whose correlation id is correlationID, of every aggregate and process,
// in the order stored. A process carries the correlation id of what it
// reacts to onto its steps and the commands it sends, and each record's
// causation id names what caused it (the event a step handled, the step
// that sent a command, the command a refusal refused), so the trail reads
// back as event, step, command's events, step...
//
// It scans the whole store (es.Scanner): its cost grows with the store,
// not with the trail. Both stores of this module are Scanners.
func Trail(ctx context.Context, store es.Scanner, correlationID string) ([]es.Record, error) {
	var trail []es.Record
	for rec, err := range store.Scan(ctx, 0) {
		if err != nil {
			return nil, fmt.Errorf("process: trail of %q: %w", correlationID, err)
		}
		if rec.CorrelationID == correlationID {
			trail = append(trail, rec)
		}
	}
	return trail, nil
}

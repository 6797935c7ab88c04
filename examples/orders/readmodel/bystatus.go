// Package readmodel holds the orders-by-status read model: how many orders
// are in each status, and which, kept up to date from the Order events by a
// projection on the event store's stream (runtime/projection).
package readmodel

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/esgen/esgen/examples/orders"
	"github.com/esgen/esgen/runtime/es"
)

// Status is where an order stands, named as the Order machine's states.
// Draft is not among them: an order records no event until it is submitted
// or cancelled, so a draft is not in the event store.
type Status string

// The statuses of an order.
const (
	Submitted Status = "Submitted"
	Validated Status = "Validated"
	Fulfilled Status = "Fulfilled"
	Cancelled Status = "Cancelled"
)

// Statuses returns every status in lifecycle order.
func Statuses() []Status { return []Status{Submitted, Validated, Fulfilled, Cancelled} }

// Order is what the read model knows of one order.
type Order struct {
	ID      string
	Status  Status
	Version uint64    // version of the last event applied
	EventID string    // id of the last event applied
	Updated time.Time // when the last event applied was recorded
}

// ByStatus is the orders-by-status read model, in memory. It implements
// projection.EventHandler[orders.OrderEvent] and projection.Resetter; pass
// it to NewProjection. It is safe for concurrent use: the projection applies
// events while others read.
//
// Projections deliver at least once, so the same event can arrive twice.
// Each order keeps the id and version of the last event applied to it; a
// record whose event id is that one, or whose version is not past it (events
// of one order arrive in order), was applied already and is skipped. This is
// the event-id check made bounded: it costs one entry per order, not one per
// event.
type ByStatus struct {
	mu       sync.RWMutex
	orders   map[string]Order
	byStatus map[Status]map[string]struct{}
	skipped  int
}

// New returns an empty read model.
func New() *ByStatus {
	return &ByStatus{orders: map[string]Order{}, byStatus: map[Status]map[string]struct{}{}}
}

// Apply moves the order of rec to the status e leads to. A redelivered event
// is skipped.
func (m *ByStatus) Apply(_ context.Context, rec es.Record, e orders.OrderEvent) error {
	var to Status
	switch e.(type) {
	case orders.OrderSubmitted:
		to = Submitted
	case orders.PaymentValidated:
		to = Validated
	case orders.OrderFulfilled:
		to = Fulfilled
	case orders.PaymentRejected, orders.OrderCancelled:
		to = Cancelled
	default:
		return fmt.Errorf("orders by status: event %s: unexpected type %T", rec.EventID, e)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	o, known := m.orders[rec.AggregateID]
	if known && (rec.EventID == o.EventID || rec.Version <= o.Version) {
		m.skipped++
		return nil
	}
	if known {
		delete(m.byStatus[o.Status], o.ID)
	}
	o = Order{ID: rec.AggregateID, Status: to, Version: rec.Version, EventID: rec.EventID, Updated: rec.Time}
	m.orders[o.ID] = o
	ids := m.byStatus[to]
	if ids == nil {
		ids = map[string]struct{}{}
		m.byStatus[to] = ids
	}
	ids[o.ID] = struct{}{}
	return nil
}

// Reset empties the read model, before a rebuild replays every event into it.
func (m *ByStatus) Reset(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.orders)
	clear(m.byStatus)
	m.skipped = 0
	return nil
}

// Count returns how many orders are in status s.
func (m *ByStatus) Count(s Status) int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.byStatus[s])
}

// Counts returns the number of orders in every status, zeros included.
func (m *ByStatus) Counts() map[Status]int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	counts := make(map[Status]int, len(Statuses()))
	for _, s := range Statuses() {
		counts[s] = len(m.byStatus[s])
	}
	return counts
}

// IDs returns the ids of the orders in status s, sorted.
func (m *ByStatus) IDs(s Status) []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Sorted(maps.Keys(m.byStatus[s]))
}

// Order returns what the read model knows of order id.
func (m *ByStatus) Order(id string) (Order, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	o, ok := m.orders[id]
	return o, ok
}

// Len returns the number of orders the read model knows.
func (m *ByStatus) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.orders)
}

// Skipped returns how many redelivered events were skipped since the model
// was created or last reset.
func (m *ByStatus) Skipped() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.skipped
}

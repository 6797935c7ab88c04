package orders

// A hand-written implementation of the orders machine, for the benchmarks in
// bench_test.go: what a careful engineer would write without esgen. A
// state struct with a status, a switch per command, the same business rules
// as Decider, encoding/json for the events, and an in-memory store (a map of
// slices under a mutex) that keeps the metadata an honest event store keeps:
// event id, aggregate id, version, time, correlation and causation ids, actor,
// event type and schema version, with an optimistic concurrency check on the
// version. States are cached in a map; a command on a cached order reads
// nothing from the store.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type hwStatus uint8

const (
	hwDraft hwStatus = iota
	hwSubmitted
	hwValidated
	hwFulfilled
	hwCancelled
)

var hwStatusNames = [...]string{"Draft", "Submitted", "Validated", "Fulfilled", "Cancelled"}

func (s hwStatus) String() string { return hwStatusNames[s] }

type hwLineItem struct {
	SKU        string `json:"sku"`
	Qty        int    `json:"qty"`
	PriceCents int64  `json:"price_cents"`
}

// hwOrder is the state of an order and its version.
type hwOrder struct {
	status      hwStatus
	items       []hwLineItem
	submittedAt time.Time
	paymentID   string
	tracking    string
	reason      string
	version     uint64
}

// Commands.
type (
	hwSubmit          struct{ Items []hwLineItem }
	hwValidatePayment struct{ PaymentID string }
	hwFulfill         struct{ Tracking string }
	hwCancel          struct{ Reason string }
)

// Events, as stored.
type (
	hwOrderSubmitted struct {
		Items       []hwLineItem `json:"items"`
		SubmittedAt time.Time    `json:"submitted_at"`
		Channel     string       `json:"channel"`
	}
	hwPaymentValidated struct {
		PaymentID string `json:"payment_id"`
	}
	hwPaymentRejected struct {
		Reason string `json:"reason"`
	}
	hwOrderFulfilled struct {
		Tracking string `json:"tracking"`
	}
	hwOrderCancelled struct {
		Reason string `json:"reason"`
	}
)

// hwRecord is a stored event with its metadata.
type hwRecord struct {
	EventID       string
	AggregateID   string
	Version       uint64
	Time          time.Time
	CorrelationID string
	CausationID   string
	Actor         string
	Type          string
	SchemaVersion int
	Data          []byte
}

var (
	errHWConflict   = errors.New("conflict")
	errHWInvalid    = errors.New("invalid transition")
	errHWNoItems    = errors.New("an order needs at least one item")
	errHWBadItem    = errors.New("invalid line item")
	errHWNoTracking = errors.New("fulfilment needs a tracking number")
	errHWNoReason   = errors.New("cancellation needs a reason")
)

// hwStore is the in-memory event store.
type hwStore struct {
	mu      sync.Mutex
	streams map[string][]hwRecord
}

func newHWStore() *hwStore { return &hwStore{streams: map[string][]hwRecord{}} }

// append stores rec if the order is still at expected events.
func (s *hwStore) append(id string, expected uint64, rec hwRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	stream := s.streams[id]
	if uint64(len(stream)) != expected {
		return errHWConflict
	}
	s.streams[id] = append(stream, rec)
	return nil
}

func (s *hwStore) read(id string) []hwRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.streams[id]
}

// hwMeta is who issued a command and why.
type hwMeta struct {
	CommandID, CorrelationID, CausationID, Actor string
}

// hwHandler handles order commands on a store, with a cache of states.
type hwHandler struct {
	store   *hwStore
	now     func() time.Time
	mu      sync.Mutex
	cache   map[string]hwOrder
	prefix  string
	counter atomic.Uint64
}

func newHWHandler(store *hwStore) *hwHandler {
	return &hwHandler{store: store, now: time.Now, cache: map[string]hwOrder{}, prefix: "hw_"}
}

// handle decides cmd on order id, stores the event and caches the new state,
// retrying on a conflict.
func (h *hwHandler) handle(_ context.Context, id string, cmd any, meta hwMeta) (hwOrder, error) {
	if meta.CommandID == "" {
		meta.CommandID = h.prefix + strconv.FormatUint(h.counter.Add(1), 36)
	}
	if meta.CorrelationID == "" {
		meta.CorrelationID = meta.CommandID
	}
	if meta.CausationID == "" {
		meta.CausationID = meta.CommandID
	}
	for attempt := 0; ; attempt++ {
		o, err := h.load(id)
		if err != nil {
			return o, err
		}
		typ, event, err := hwDecide(o, cmd, h.now)
		if err != nil {
			return o, err
		}
		data, err := json.Marshal(event)
		if err != nil {
			return o, err
		}
		next := hwEvolve(o, event)
		next.version = o.version + 1
		err = h.store.append(id, o.version, hwRecord{
			EventID: meta.CommandID + "-1", AggregateID: id, Version: next.version, Time: h.now().UTC(),
			CorrelationID: meta.CorrelationID, CausationID: meta.CausationID, Actor: meta.Actor,
			Type: typ, SchemaVersion: hwSchema(typ), Data: data,
		})
		if errors.Is(err, errHWConflict) && attempt < 3 {
			h.mu.Lock()
			delete(h.cache, id)
			h.mu.Unlock()
			continue
		}
		if err != nil {
			return o, err
		}
		h.mu.Lock()
		h.cache[id] = next
		h.mu.Unlock()
		return next, nil
	}
}

func hwSchema(typ string) int {
	if typ == "OrderSubmitted" {
		return 2
	}
	return 1
}

// load returns the cached state of order id, or replays its events.
func (h *hwHandler) load(id string) (hwOrder, error) {
	h.mu.Lock()
	o, ok := h.cache[id]
	h.mu.Unlock()
	if ok {
		return o, nil
	}
	for _, rec := range h.store.read(id) {
		var event any
		switch rec.Type {
		case "OrderSubmitted":
			var e hwOrderSubmitted
			if rec.SchemaVersion == 1 {
				e.Channel = "web"
			}
			event = &e
		case "PaymentValidated":
			event = &hwPaymentValidated{}
		case "PaymentRejected":
			event = &hwPaymentRejected{}
		case "OrderFulfilled":
			event = &hwOrderFulfilled{}
		case "OrderCancelled":
			event = &hwOrderCancelled{}
		default:
			return o, fmt.Errorf("order %s: unknown event type %s", id, rec.Type)
		}
		if err := json.Unmarshal(rec.Data, event); err != nil {
			return o, fmt.Errorf("order %s version %d: %w", id, rec.Version, err)
		}
		o = hwEvolve(o, event)
		o.version = rec.Version
	}
	return o, nil
}

// hwDecide applies the business rules: the same as Decider's.
func hwDecide(o hwOrder, cmd any, now func() time.Time) (string, any, error) {
	switch c := cmd.(type) {
	case hwSubmit:
		if o.status != hwDraft {
			break
		}
		if len(c.Items) == 0 {
			return "", nil, errHWNoItems
		}
		items := make([]hwLineItem, len(c.Items))
		for i, it := range c.Items {
			it.SKU = strings.TrimSpace(it.SKU)
			if it.SKU == "" || it.Qty <= 0 || it.PriceCents < 0 {
				return "", nil, fmt.Errorf("line %d: %w", i+1, errHWBadItem)
			}
			items[i] = it
		}
		return "OrderSubmitted", hwOrderSubmitted{Items: items, SubmittedAt: now().UTC().Round(0), Channel: "web"}, nil
	case hwValidatePayment:
		if o.status != hwSubmitted {
			break
		}
		if id := strings.TrimSpace(c.PaymentID); id != "" {
			return "PaymentValidated", hwPaymentValidated{PaymentID: id}, nil
		}
		return "PaymentRejected", hwPaymentRejected{Reason: PaymentRefused}, nil
	case hwFulfill:
		if o.status != hwValidated {
			break
		}
		tracking := strings.TrimSpace(c.Tracking)
		if tracking == "" {
			return "", nil, errHWNoTracking
		}
		return "OrderFulfilled", hwOrderFulfilled{Tracking: tracking}, nil
	case hwCancel:
		if o.status != hwDraft && o.status != hwSubmitted && o.status != hwValidated {
			break
		}
		reason := strings.TrimSpace(c.Reason)
		if reason == "" {
			return "", nil, errHWNoReason
		}
		return "OrderCancelled", hwOrderCancelled{Reason: reason}, nil
	default:
		return "", nil, fmt.Errorf("unknown command %T", cmd)
	}
	return "", nil, fmt.Errorf("%w: %T in %s", errHWInvalid, cmd, o.status)
}

// hwEvolve applies an event (a value, or a pointer from a decode).
func hwEvolve(o hwOrder, event any) hwOrder {
	switch e := event.(type) {
	case *hwOrderSubmitted:
		return hwEvolve(o, *e)
	case *hwPaymentValidated:
		return hwEvolve(o, *e)
	case *hwPaymentRejected:
		return hwEvolve(o, *e)
	case *hwOrderFulfilled:
		return hwEvolve(o, *e)
	case *hwOrderCancelled:
		return hwEvolve(o, *e)
	case hwOrderSubmitted:
		o.status, o.items, o.submittedAt = hwSubmitted, e.Items, e.SubmittedAt
	case hwPaymentValidated:
		o.status, o.paymentID = hwValidated, e.PaymentID
	case hwPaymentRejected:
		o.status, o.reason = hwCancelled, e.Reason
	case hwOrderFulfilled:
		o.status, o.tracking = hwFulfilled, e.Tracking
	case hwOrderCancelled:
		o.status, o.reason = hwCancelled, e.Reason
	}
	return o
}

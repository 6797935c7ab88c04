package yardstick

// The hand-written in-memory reference: the orders machine as a careful
// engineer writes it without esgen and without metadata. A state struct
// with a status, a type switch per command with the same business rules as
// Decider, encoding/json for the events, and a map store under one mutex:
// states cached in a map, each order's events appended to a slice of its
// own, with the order's version as the concurrency check.

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

type hwStatus uint8

const (
	hwDraft hwStatus = iota
	hwSubmitted
	hwValidated
	hwFulfilled
)

var hwStatusNames = [...]string{"Draft", "Submitted", "Validated", "Fulfilled"}

func (s hwStatus) String() string { return hwStatusNames[s] }

type hwLineItem struct {
	SKU        string `json:"sku"`
	Qty        int    `json:"qty"`
	PriceCents int64  `json:"price_cents"`
}

// hwOrder is the state of an order and its version (its number of events).
type hwOrder struct {
	status      hwStatus
	items       []hwLineItem
	totalCents  int64
	notes       int
	submittedAt time.Time
	paymentID   string
	tracking    string
	version     int
}

// Commands.
type (
	hwSubmit          struct{ Items []hwLineItem }
	hwValidatePayment struct{ PaymentID string }
	hwFulfill         struct{ Tracking string }
	hwAddNote         struct{ Author, Text string }
)

// Events, as stored.
type (
	hwOrderSubmitted struct {
		Items       []hwLineItem `json:"items"`
		TotalCents  int64        `json:"total_cents"`
		SubmittedAt time.Time    `json:"submitted_at"`
	}
	hwPaymentValidated struct {
		PaymentID string `json:"payment_id"`
	}
	hwOrderFulfilled struct {
		Tracking string `json:"tracking"`
	}
	hwNoteAdded struct {
		Author string    `json:"author"`
		Text   string    `json:"text"`
		At     time.Time `json:"at"`
	}
)

// hwWorkItems are workItems, hand-written.
var hwWorkItems = func() []hwLineItem {
	items := make([]hwLineItem, len(workItems))
	for i, it := range workItems {
		items[i] = hwLineItem(it)
	}
	return items
}()

// hwEvent is a stored event: its type and JSON payload.
type hwEvent struct {
	Type string
	Data []byte
}

var (
	errHWConflict  = errors.New("conflict")
	errHWInvalid   = errors.New("invalid transition")
	errHWNoItems   = errors.New("an order needs at least one item")
	errHWBadItem   = errors.New("invalid line item")
	errHWNoPayment = errors.New("payment validation needs a payment id")
	errHWNoTrack   = errors.New("fulfilment needs a tracking number")
	errHWNoNote    = errors.New("a note needs an author and a text")
)

// hwHandler handles order commands in memory.
type hwHandler struct {
	now    func() time.Time
	mu     sync.Mutex
	states map[string]hwOrder
	events map[string][]hwEvent
}

func newHWHandler(now func() time.Time) *hwHandler {
	return &hwHandler{now: now, states: map[string]hwOrder{}, events: map[string][]hwEvent{}}
}

// handle decides cmd on order id, stores its event and caches the new state.
func (h *hwHandler) handle(id string, cmd any) (hwOrder, error) {
	h.mu.Lock()
	o := h.states[id]
	h.mu.Unlock()
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
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.events[id]) != o.version {
		return o, errHWConflict
	}
	h.events[id] = append(h.events[id], hwEvent{Type: typ, Data: data})
	h.states[id] = next
	return next, nil
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
		var total int64
		for i, it := range c.Items {
			it.SKU = strings.TrimSpace(it.SKU)
			if it.SKU == "" || it.Qty <= 0 || it.PriceCents < 0 {
				return "", nil, fmt.Errorf("line %d: %w", i+1, errHWBadItem)
			}
			items[i] = it
			total += int64(it.Qty) * it.PriceCents
		}
		return "OrderSubmitted", hwOrderSubmitted{Items: items, TotalCents: total, SubmittedAt: now().UTC()}, nil
	case hwValidatePayment:
		if o.status != hwSubmitted {
			break
		}
		id := strings.TrimSpace(c.PaymentID)
		if id == "" {
			return "", nil, errHWNoPayment
		}
		return "PaymentValidated", hwPaymentValidated{PaymentID: id}, nil
	case hwFulfill:
		if o.status != hwValidated {
			break
		}
		tracking := strings.TrimSpace(c.Tracking)
		if tracking == "" {
			return "", nil, errHWNoTrack
		}
		return "OrderFulfilled", hwOrderFulfilled{Tracking: tracking}, nil
	case hwAddNote:
		if o.status != hwSubmitted {
			break
		}
		author, text := strings.TrimSpace(c.Author), strings.TrimSpace(c.Text)
		if author == "" || text == "" {
			return "", nil, errHWNoNote
		}
		return "NoteAdded", hwNoteAdded{Author: author, Text: text, At: now().UTC()}, nil
	default:
		return "", nil, fmt.Errorf("unknown command %T", cmd)
	}
	return "", nil, fmt.Errorf("%w: %T in %s", errHWInvalid, cmd, o.status)
}

// hwEvolve applies an event.
func hwEvolve(o hwOrder, event any) hwOrder {
	switch e := event.(type) {
	case hwOrderSubmitted:
		o.status, o.items, o.totalCents, o.submittedAt = hwSubmitted, e.Items, e.TotalCents, e.SubmittedAt
	case hwPaymentValidated:
		o.status, o.paymentID = hwValidated, e.PaymentID
	case hwOrderFulfilled:
		o.status, o.tracking = hwFulfilled, e.Tracking
	case hwNoteAdded:
		o.notes++
	}
	return o
}

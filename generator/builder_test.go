package generator

import (
	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/goname"
)

// This file builds checked models in Go for the generator's own tests, as
// dsl.Check would produce them.

type fileBuilder struct {
	f    *dsl.File
	line int
}

func newModel(name, pkg string) *fileBuilder {
	return &fileBuilder{f: &dsl.File{Name: name, Package: pkg}}
}

func (b *fileBuilder) pos() dsl.Position {
	b.line++
	return dsl.Position{Filename: b.f.Name, Line: b.line, Column: 1, Offset: b.line * 10}
}

func (b *fileBuilder) doc(text string) *fileBuilder { b.f.Doc = text; return b }

func (b *fileBuilder) imp(path, alias string) *dsl.Import {
	im := &dsl.Import{Alias: alias, Path: path, Pos: b.pos()}
	b.f.Imports = append(b.f.Imports, im)
	return im
}

func (b *fileBuilder) extern(name string) *dsl.Extern {
	e := &dsl.Extern{Name: name, Pos: b.pos()}
	b.f.Externs = append(b.f.Externs, e)
	return e
}

func (b *fileBuilder) value(name, doc string, fields ...*dsl.Field) *dsl.ValueType {
	v := &dsl.ValueType{Name: name, Doc: doc, Fields: fields, Pos: b.pos()}
	b.f.Types = append(b.f.Types, v)
	return v
}

// Type expressions.
func tb(name string) *dsl.TypeExpr { return &dsl.TypeExpr{Kind: dsl.TypeBuiltin, Name: name} }
func tv(v *dsl.ValueType) *dsl.TypeExpr {
	return &dsl.TypeExpr{Kind: dsl.TypeValue, Name: v.Name, Value: v}
}
func te(e *dsl.Extern) *dsl.TypeExpr {
	return &dsl.TypeExpr{Kind: dsl.TypeExtern, Name: e.Name, Extern: e}
}
func tq(im *dsl.Import, name string) *dsl.TypeExpr {
	return &dsl.TypeExpr{Kind: dsl.TypeQualified, Name: name, Import: im}
}
func tslice(e *dsl.TypeExpr) *dsl.TypeExpr  { return &dsl.TypeExpr{Kind: dsl.TypeSlice, Elem: e} }
func tptr(e *dsl.TypeExpr) *dsl.TypeExpr    { return &dsl.TypeExpr{Kind: dsl.TypePointer, Elem: e} }
func tmap(k, e *dsl.TypeExpr) *dsl.TypeExpr { return &dsl.TypeExpr{Kind: dsl.TypeMap, Key: k, Elem: e} }

func fd(name string, t *dsl.TypeExpr) *dsl.Field { return &dsl.Field{Name: name, Type: t} }

// fdoc is a field with a doc comment.
func fdoc(name string, t *dsl.TypeExpr, doc string) *dsl.Field {
	return &dsl.Field{Name: name, Type: t, Doc: doc}
}

// fdef is a field with a default (Go spelling of the literal).
func fdef(name string, t *dsl.TypeExpr, kind dsl.LiteralKind, text string) *dsl.Field {
	return &dsl.Field{Name: name, Type: t, Default: &dsl.Literal{Kind: kind, Text: text}}
}

type aggBuilder struct {
	fb *fileBuilder
	a  *dsl.Aggregate
}

func (b *fileBuilder) aggregate(name, doc string) *aggBuilder {
	a := &dsl.Aggregate{Name: name, Doc: doc, Pos: b.pos()}
	b.f.Aggregates = append(b.f.Aggregates, a)
	return &aggBuilder{fb: b, a: a}
}

func (ab *aggBuilder) eventual() *aggBuilder      { ab.a.Eventual = true; return ab }
func (ab *aggBuilder) snapshot(n int) *aggBuilder { ab.a.SnapshotEvery = n; return ab }
func (ab *aggBuilder) id(t *dsl.TypeExpr) *aggBuilder {
	ab.a.IDType = t
	return ab
}

func (ab *aggBuilder) state(name, doc string, initial, final bool, fields ...*dsl.Field) *dsl.State {
	s := &dsl.State{Name: name, Doc: doc, Initial: initial, Final: final, Fields: fields, Pos: ab.fb.pos()}
	ab.a.States = append(ab.a.States, s)
	if initial {
		ab.a.Initial = s
	}
	return s
}

func (ab *aggBuilder) command(name, doc string, fields ...*dsl.Field) *dsl.Command {
	c := &dsl.Command{Name: name, Doc: doc, Fields: fields, Pos: ab.fb.pos()}
	ab.a.Commands = append(ab.a.Commands, c)
	return c
}

// event declares an event with one version per fields list; hooks[i]
// marks version i+1 as needing an upcast hook.
func (ab *aggBuilder) event(name, doc string, versions ...*dsl.EventVersion) *dsl.Event {
	e := &dsl.Event{Name: name, Doc: doc, Pos: ab.fb.pos()}
	for i, v := range versions {
		v.Number = i + 1
		v.Pos = ab.fb.pos()
	}
	e.Versions = versions
	ab.a.Events = append(ab.a.Events, e)
	return e
}

func ver(doc string, hook bool, fields ...*dsl.Field) *dsl.EventVersion {
	return &dsl.EventVersion{Doc: doc, Hook: hook, Fields: fields}
}

func br(from []*dsl.State, to *dsl.State, emits ...*dsl.Event) *dsl.Branch {
	return &dsl.Branch{From: from, To: to, Emits: emits}
}

func from(states ...*dsl.State) []*dsl.State { return states }

// on declares a transition and extends the Evolve table as Check does:
// the first event of a branch moves each source to the target, further
// events apply to the target.
func (ab *aggBuilder) on(cmd *dsl.Command, doc string, branches ...*dsl.Branch) {
	t := &dsl.Transition{Command: cmd, Doc: doc, Branches: branches, Pos: ab.fb.pos()}
	for _, b := range branches {
		b.Pos = ab.fb.pos()
		for i, e := range b.Emits {
			if i == 0 {
				for _, s := range b.From {
					ab.a.Evolutions = append(ab.a.Evolutions, &dsl.Evolution{From: s, Event: e, To: b.To, Branch: b})
				}
				continue
			}
			ab.a.Evolutions = append(ab.a.Evolutions, &dsl.Evolution{From: b.To, Event: e, To: b.To, Branch: b})
		}
	}
	ab.a.Transitions = append(ab.a.Transitions, t)
}

// ordersModel is examples/orders.esm as Check builds it.
func ordersModel() *dsl.File {
	b := newModel("orders.esm", "orders").doc("Orders: the order lifecycle.")
	timeImp := b.imp("time", "time")
	tm := tq(timeImp, "Time")
	item := b.value("LineItem", "LineItem is one product line of an order.",
		fd("sku", tb("string")), fd("qty", tb("int")), fdoc("price_cents", tb("int64"), "Unit price in cents."))
	a := b.aggregate("Order", "Order is a customer's order, from draft to fulfilment.").snapshot(100)
	draft := a.state("Draft", "Draft is an order being put together.", true, false)
	submitted := a.state("Submitted", "Submitted waits for payment.", false, false, fd("items", tslice(tv(item))), fd("submitted_at", tm))
	validated := a.state("Validated", "Validated has been paid.", false, false, fd("payment_id", tb("string")))
	fulfilled := a.state("Fulfilled", "Fulfilled has shipped.", false, true, fd("tracking", tb("string")))
	cancelled := a.state("Cancelled", "Cancelled will not ship.", false, true, fd("reason", tb("string")))
	submit := a.command("Submit", "Submit sends the order for payment.", fd("items", tslice(tv(item))))
	validate := a.command("ValidatePayment", "ValidatePayment records the payment provider's answer.", fd("payment_id", tb("string")))
	fulfill := a.command("Fulfill", "Fulfill ships the order.", fd("tracking", tb("string")))
	cancel := a.command("Cancel", "Cancel stops the order.", fd("reason", tb("string")))
	orderSubmitted := a.event("OrderSubmitted", "OrderSubmitted records the submitted items.",
		ver("OrderSubmitted records the submitted items.", false, fd("items", tslice(tv(item))), fd("submitted_at", tm)),
		ver("v2 records the sales channel.", false, fd("items", tslice(tv(item))), fd("submitted_at", tm),
			&dsl.Field{Name: "channel", Doc: "Sales channel.", Type: tb("string"), Default: &dsl.Literal{Kind: dsl.LiteralString, Text: `"web"`}}))
	paymentValidated := a.event("PaymentValidated", "PaymentValidated: the provider accepted the payment.", ver("", false, fd("payment_id", tb("string"))))
	paymentRejected := a.event("PaymentRejected", "PaymentRejected: the provider refused the payment.", ver("", false, fd("reason", tb("string"))))
	orderFulfilled := a.event("OrderFulfilled", "OrderFulfilled: the order left the warehouse.", ver("", false, fd("tracking", tb("string"))))
	orderCancelled := a.event("OrderCancelled", "OrderCancelled: the order will not ship.", ver("", false, fd("reason", tb("string"))))
	a.on(submit, "", br(from(draft), submitted, orderSubmitted))
	a.on(validate, "The decision picks the branch from the provider's answer.",
		br(from(submitted), validated, paymentValidated),
		br(from(submitted), cancelled, paymentRejected))
	a.on(fulfill, "", br(from(validated), fulfilled, orderFulfilled))
	a.on(cancel, "", br(from(draft, submitted, validated), cancelled, orderCancelled))
	return b.f
}

func goNameOf(name string) string { return goname.Exported(name) }

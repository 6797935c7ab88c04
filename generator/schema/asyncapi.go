package schema

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/esgen/esgen/dsl"
	"github.com/esgen/esgen/internal/marker"
	"github.com/esgen/esgen/internal/outname"
)

// DefaultSubjectPrefix is the subject prefix of an aggregate that declares
// none: the runtime's (jsstore.WithSubjectPrefix).
const DefaultSubjectPrefix = "events"

// AsyncAPI returns the AsyncAPI 3.0 document of f, <file>.asyncapi.yaml
// (<file> the .esm file's base name): a channel per aggregate, its
// subject <prefix>.<Aggregate>.{id}, the messages stored on it (every
// version of every event, the older ones deprecated: consumers meet them
// in old events) with their payload schemas, and the envelope that
// carries them. Nil when f has no aggregate.
func AsyncAPI(f *dsl.File, source string) *File {
	if len(f.Aggregates) == 0 {
		return nil
	}
	source = sourceOf(f, source)
	doc := newObj()
	doc.set("asyncapi", "3.0.0")
	info := newObj().set("title", f.Package).set("version", contractVersion(f))
	desc := "The events of package " + f.Package + ", as esgen stores them on NATS JetStream. " +
		"Each message on a subject is one envelope (format version 1, binary: see components.schemas.Envelope) " +
		"holding the events of one command, each as its type, schema version and JSON payload; " +
		"the messages below are those payloads."
	if f.Doc != "" {
		desc = f.Doc + "\n\n" + desc
	}
	info.set("description", desc)
	doc.set("info", info)
	doc.set("defaultContentType", "application/json")

	channels, operations, messages := newObj(), newObj(), newObj()
	schemas := newObj()
	for _, a := range f.Aggregates {
		prefix := a.Subject
		if prefix == "" {
			prefix = DefaultSubjectPrefix
		}
		refs := newObj()
		var opRefs []any
		for _, e := range a.Events {
			for _, v := range e.Versions {
				key := EventKey(e.Name, v.Number)
				m := newObj().set("name", e.Name).set("title", e.Name+" v"+itoa(v.Number))
				if d := versionDoc(e, v); d != "" {
					m.set("summary", d)
				}
				m.set("contentType", "application/json")
				m.set("payload", newObj().set("$ref", "#/components/schemas/"+key))
				m.set("x-esgen-event", newObj().set("type", e.Name).set("schemaVersion", v.Number).set("newest", v.Number == len(e.Versions)))
				messages.set(key, m)
				refs.set(key, newObj().set("$ref", "#/components/messages/"+key))
				opRefs = append(opRefs, newObj().set("$ref", "#/channels/"+a.Name+"/messages/"+key))
			}
		}
		ch := newObj().set("address", prefix+"."+a.Name+".{id}")
		chDesc := "The events of each " + a.Name + ", one subject per instance."
		if a.Doc != "" {
			chDesc = a.Doc + "\n\n" + chDesc
		}
		stream := a.Stream
		if stream == "" {
			stream = "EVENTS"
		}
		ch.set("description", chDesc+" Stored in the JetStream stream "+stream+".")
		ch.set("messages", refs)
		ch.set("parameters", newObj().set("id", newObj().set("description", "The id of the "+a.Name+" ("+a.IDType.String()+").")))
		ch.set("x-esgen-stream", stream)
		channels.set(a.Name, ch)
		operations.set("receive"+a.Name+"Events", newObj().
			set("action", "receive").
			set("channel", newObj().set("$ref", "#/channels/"+a.Name)).
			set("summary", "Read the events of "+a.Name+" ("+prefix+"."+a.Name+".* for every instance).").
			set("messages", opRefs))
		defs := aggregateDefs(a, "#/components/schemas/")
		for _, k := range defs.keys {
			schemas.set(k, defs.vals[k])
		}
	}
	schemas.set("Envelope", envelopeSchema())
	doc.set("channels", channels)
	doc.set("operations", operations)
	doc.set("components", newObj().set("schemas", schemas).set("messages", messages))
	var b bytes.Buffer
	writeYAML(&b, doc, "")
	return &File{Name: outname.AsyncAPI(f.Name), Data: marker.YAML.Mark(b.Bytes(), source)}
}

// envelopeSchema describes the envelope's fields (docs/runtime.md, the
// envelope), in the order they are stored.
func envelopeSchema() *obj {
	str := func(d string) *obj { return newObj().set("type", "string").set("description", d) }
	num := func(d string) *obj { return newObj().set("type", "integer").set("minimum", 0).set("description", d) }
	event := newObj().set("type", "object").set("properties", newObj().
		set("type", str("the event's type name: a message name above")).
		set("schemaVersion", num("the version of the event's schema the payload is in")).
		set("payload", newObj().set("description", "the event's JSON, as the schema of its type and version describes"))).
		set("required", []any{"type", "schemaVersion", "payload"})
	return newObj().
		set("title", "Envelope").
		set("description", "The payload of each message on an aggregate's subject: binary, format version 1 "+
			"(magic byte 0xE5, then the fields below: integers as varints, strings and bytes length-prefixed; "+
			"docs/runtime.md of esgen specifies it). Shown here as the fields it holds.").
		set("type", "object").
		set("properties", newObj().
			set("prev", num("the stream sequence of the aggregate's previous message, 0 for its first")).
			set("version", num("the aggregate version of the first event")).
			set("time", newObj().set("type", "string").set("format", "date-time").set("description", "when the command was stored (UTC, nanoseconds)")).
			set("commandId", str("the command's id; event i's id is <commandId>-<i+1>")).
			set("aggregateType", str("the aggregate's type: the subject's second token from the end")).
			set("aggregateId", str("the aggregate's id: the subject's last token")).
			set("correlationId", str("the business transaction the command belongs to")).
			set("causationId", str("what caused the command")).
			set("actor", str("who sent the command")).
			set("traceparent", str("the W3C trace context of the command")).
			set("events", newObj().set("type", "array").set("minItems", 1).set("items", event))).
		set("required", []any{"prev", "version", "time", "commandId", "aggregateType", "aggregateId", "events"})
}

// contractVersion names the shapes of f's events: it changes whenever an
// event version, command or value type changes.
func contractVersion(f *dsl.File) string {
	var b bytes.Buffer
	for _, a := range f.Aggregates {
		writeJSON(&b, aggregateDefs(a, ""), "")
	}
	sum := sha256.Sum256(b.Bytes())
	return "0.0.0-" + hex.EncodeToString(sum[:6])
}

func itoa(n int) string { return strconv.Itoa(n) }

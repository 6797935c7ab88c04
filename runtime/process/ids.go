package process

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"unicode/utf8"

	"github.com/esgen/esgen/runtime/es"
)

// The command ids of a process's steps and sends are derived from what
// caused them, so that handling the same cause again finds what it stored
// instead of storing it twice:
//
//	a source event     in:<type>.<id>.<event id>       (the step's command id)
//	a refused send     rej:<step's event id>.<n>       (the step's command id)
//	a timer's firing   tm:<timer name>.<version>       (the step's command id)
//	a send             <process>.<process id>.<step's event id>.<n>
//
// Step ids are unique within their process instance, send ids within
// their target aggregate (they name the process and its instance). An id
// longer than es.MaxCommandIDLength keeps its beginning and ends with
// "~" and the SHA-256 of the whole id (base64url).

func sourceInputID(rec *es.Record) string {
	return boundedID("in:" + rec.AggregateType + "." + rec.AggregateID + "." + rec.EventID)
}

func refusalInputID(stepEventID string, n int) string {
	return boundedID("rej:" + stepEventID + "." + strconv.Itoa(n))
}

func timerInputID(name string, version uint64) string {
	return boundedID("tm:" + name + "." + strconv.FormatUint(version, 10))
}

func sendID(process, id, stepEventID string, n int) string {
	return boundedID(process + "." + id + "." + stepEventID + "." + strconv.Itoa(n))
}

// boundedID returns id, or, when it is longer than es.MaxCommandIDLength,
// its beginning (cut at a character boundary), "~" and its hash.
func boundedID(id string) string {
	if len(id) <= es.MaxCommandIDLength {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	h := base64.RawURLEncoding.EncodeToString(sum[:])
	keep := es.MaxCommandIDLength - len(h) - 1
	for keep > 0 && !utf8.RuneStart(id[keep]) {
		keep--
	}
	return id[:keep] + "~" + h
}

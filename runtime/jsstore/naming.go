package jsstore

import (
	"fmt"
	"strings"

	"github.com/esgen/esgen/runtime/es"
)

// Default names of a bounded context's stream, subjects and snapshot
// bucket. Give each bounded context its own with WithStream and
// WithSubjectPrefix.
const (
	DefaultStream        = "EVENTS"
	DefaultSubjectPrefix = "events"
)

// Subject returns the subject that holds the events of ref:
// "<prefix>.<type>.<id>". Event type and version are never part of it, so
// the server keeps one subject's state per aggregate instance. ref must be
// valid (es.ValidateRef).
func Subject(prefix string, ref es.Ref) string {
	return prefix + "." + ref.Type + "." + ref.ID
}

// TypeSubject returns the subject filter matching every instance of one
// aggregate type: "<prefix>.<type>.*". Projections consume with it.
func TypeSubject(prefix, aggregateType string) string {
	return prefix + "." + aggregateType + ".*"
}

// validatePrefix checks a subject prefix: one or more dot-separated tokens,
// each a valid subject token without wildcards.
func validatePrefix(prefix string) error {
	if prefix == "" {
		return fmt.Errorf("jsstore: empty subject prefix")
	}
	for tok := range strings.SplitSeq(prefix, ".") {
		if err := es.ValidateID(tok); err != nil {
			return fmt.Errorf("jsstore: subject prefix %q: %w", prefix, err)
		}
	}
	return nil
}

// validateStreamName checks a stream or bucket name: letters, digits, '-'
// and '_' only (what JetStream accepts everywhere, including as part of a
// file name).
func validateStreamName(what, name string) error {
	if name == "" {
		return fmt.Errorf("jsstore: empty %s name", what)
	}
	for i, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("jsstore: %s name %q has %q at byte %d: only letters, digits, '-' and '_' are allowed", what, name, r, i)
		}
	}
	return nil
}

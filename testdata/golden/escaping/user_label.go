package names

// Label is the consumer's own type for node ids: it names aggregates
// through its String method and is encoded by encoding/json.
type Label string

// String returns the label.
func (l Label) String() string { return string(l) }

package graph

// Stream and SubjectPrefix are the JetStream names graph.esm gives the
// bounded context of graphs; pass them to jsstore.WithStream and
// jsstore.WithSubjectPrefix (and to the projection options of the same
// names).
const (
	Stream        = "GRAPHS"
	SubjectPrefix = "graphs"
)

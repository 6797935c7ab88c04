package outdir

// File is one file to write into an output directory.
type File struct {
	// Name is the slash-separated path relative to the output directory.
	Name string
	// Data is the complete content.
	Data []byte
	// Once marks a file written only when absent and never overwritten or
	// compared (the user's test skeleton).
	Once bool
}

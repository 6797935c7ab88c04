package main

import "github.com/esgen/esgen/build"

// stdinName is the file name diagnostics give standard input.
const stdinName = "<stdin>"

// source is one input file with its content.
type source struct {
	name  string // as given on the command line; stdinName for "-"
	data  []byte
	stdin bool
}

// readSources reads every named file, "-" meaning standard input (once).
// A missing file, a directory or an unreadable file is an error naming it.
func readSources(e env, names []string) ([]source, error) {
	var srcs []source
	sawStdin := false
	for _, name := range names {
		if name == "-" {
			if sawStdin {
				return nil, usageErrorf("standard input (-) named twice")
			}
			sawStdin = true
			data, err := build.Read(e.stdin, stdinName)
			if err != nil {
				return nil, err
			}
			srcs = append(srcs, source{name: stdinName, data: data, stdin: true})
			continue
		}
		data, err := build.ReadFile(name)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, source{name: name, data: data})
	}
	return srcs, nil
}

package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// stdinName is the file name diagnostics give standard input.
const stdinName = "<stdin>"

// maxInput bounds what esgen reads from one file or from stdin: a .esm
// file is hand-written text, and reading stops well before memory does.
const maxInput = 64 << 20

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
			data, err := readLimited(e.stdin, stdinName)
			if err != nil {
				return nil, err
			}
			srcs = append(srcs, source{name: stdinName, data: data, stdin: true})
			continue
		}
		data, err := readFile(name)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, source{name: name, data: data})
	}
	return srcs, nil
}

// readFile reads one named .esm file.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %w", name, pe.Err)
		}
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: is a directory; name the .esm files in it", name)
	}
	return readLimited(f, name)
}

func readLimited(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s: larger than %d MiB; that is not a hand-written .esm file", name, maxInput>>20)
	}
	return data, nil
}

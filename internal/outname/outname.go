// Package outname names the files esgen generates. The generator writes
// every file under a name from this package, and the checker reserves the
// same names, so a model the checker accepts never makes two outputs with
// one name or a Go file that the go tool skips.
//
// agg arguments are aggregate names as written in the .esm file; esm
// arguments are .esm file names as given to esgen.
package outname

import (
	"fmt"
	"go/build"
	"io"
	"path"
	"strings"
)

// Base is the name every file of aggregate agg starts with: agg in lower
// case ("Order" -> "order").
func Base(agg string) string { return strings.ToLower(agg) }

// Types is the file of an aggregate's states, commands and events
// ("order.gen.go").
func Types(agg string) string { return Base(agg) + ".gen.go" }

// Decide is the file of an aggregate's decider, Decide and Evolve
// ("order_decide.gen.go").
func Decide(agg string) string { return Base(agg) + "_decide.gen.go" }

// Codec is the file of an aggregate's upcast hooks and codecs
// ("order_codec.gen.go").
func Codec(agg string) string { return Base(agg) + "_codec.gen.go" }

// Repository is the file of an aggregate's typed repository
// ("order_repository.gen.go").
func Repository(agg string) string { return Base(agg) + "_repository.gen.go" }

// Log is the file of an eventual aggregate's log ("order_log.gen.go").
func Log(agg string) string { return Base(agg) + "_log.gen.go" }

// GenTest is the file of an aggregate's generated tests
// ("order_gen_test.go").
func GenTest(agg string) string { return Base(agg) + "_gen_test.go" }

// Skeleton is the user's test skeleton of an aggregate, written once
// ("order_test.go").
func Skeleton(agg string) string { return Base(agg) + "_test.go" }

// Diagram is a diagram or page of an aggregate; ext is the extension
// without its dot: "svg", "dot", "mmd" or "md" ("order.svg").
func Diagram(agg, ext string) string { return Base(agg) + "." + ext }

// FileBase is the .esm file name without directory and extension
// ("internal/orders.esm" -> "orders"); a backslash separates directories
// too.
func FileBase(esm string) string {
	return strings.TrimSuffix(path.Base(strings.ReplaceAll(esm, "\\", "/")), path.Ext(esm))
}

// FileTypes is the file of an .esm file's package doc comment, value types
// and JSON helpers ("orders.esm" -> "orders_types.gen.go").
func FileTypes(esm string) string { return FileBase(esm) + "_types.gen.go" }

// AggregateFiles returns every file that may be generated for aggregate
// agg, whatever the options (tests, diagram formats), in a stable order.
// An eventual aggregate has no decider, repository, skeleton or machine
// diagrams; it has a log.
func AggregateFiles(agg string, eventual bool) []string {
	if eventual {
		return []string{Types(agg), Codec(agg), Log(agg), GenTest(agg), Diagram(agg, "md"), Schema(agg)}
	}
	return []string{
		Types(agg), Decide(agg), Codec(agg), Repository(agg), Timers(agg), GenTest(agg), Skeleton(agg),
		Diagram(agg, "svg"), Diagram(agg, "dot"), Diagram(agg, "mmd"), Diagram(agg, "md"), Schema(agg),
	}
}

// Schema is the JSON Schema document of an aggregate's events and
// commands ("Order" -> "order.schema.json").
func Schema(agg string) string { return Base(agg) + ".schema.json" }

// AsyncAPI is the AsyncAPI document of an .esm file's aggregates
// ("orders.esm" -> "orders.asyncapi.yaml").
func AsyncAPI(esm string) string { return FileBase(esm) + ".asyncapi.yaml" }

// ProcessFiles returns every file that may be generated for process p,
// whatever the options, in a stable order.
func ProcessFiles(p string) []string {
	return []string{Types(p), Decide(p), GenTest(p), Skeleton(p), Diagram(p, "svg"), Diagram(p, "dot"), Diagram(p, "mmd"), Diagram(p, "md")}
}

// Timers is the file of the process that runs an aggregate's timers.
func Timers(agg string) string { return Base(agg) + "_timers.gen.go" }

// MaxName is the longest file name esgen generates, in bytes: what the
// common file systems hold in one path element (ext4, XFS and Btrfs 255
// bytes; APFS and NTFS 255 UTF-16 units, which a UTF-8 name never has more
// of than bytes).
const MaxName = 255

// Longest returns the longest of names, by bytes; the first on a tie.
func Longest(names []string) string {
	long := ""
	for _, n := range names {
		if len(n) > len(long) {
			long = n
		}
	}
	return long
}

// Key is what two file names are compared by: on case-insensitive file
// systems (the default on macOS and Windows) names that differ in case
// only are one file.
func Key(name string) string { return strings.ToLower(name) }

// windowsReserved are the device names Windows reserves whatever the
// extension; the go command refuses a module holding a file named so.
var windowsReserved = map[string]bool{
	"con": true, "prn": true, "aux": true, "nul": true,
	"com1": true, "com2": true, "com3": true, "com4": true, "com5": true, "com6": true, "com7": true, "com8": true, "com9": true,
	"lpt1": true, "lpt2": true, "lpt3": true, "lpt4": true, "lpt5": true, "lpt6": true, "lpt7": true, "lpt8": true, "lpt9": true,
}

// noPlatform matches file names as the go tool does, for a platform that
// no GOOS or GOARCH file name suffix selects: it builds a Go file unless
// the go tool ignores it or its name restricts it to some platforms. The
// file read is a bare package clause.
var noPlatform = build.Context{
	GOOS:     "esgen",
	GOARCH:   "esgen",
	Compiler: "gc",
	OpenFile: func(string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader("package p\n")), nil
	},
}

// Problem returns why file name is unusable as generated output, or "" if
// it is usable: the go tool ignores Go files starting with _ or .
// ("_order.gen.go") and builds those whose name ends in a GOOS or GOARCH
// suffix ("box_windows.gen.go", "box_arm64_test.go") only on those
// platforms; Windows cannot hold a file named after one of its devices
// ("aux.gen.go"), and the go command refuses modules that hold one; and no
// file system holds a name longer than MaxName.
func Problem(name string) string {
	if len(name) > MaxName {
		return fmt.Sprintf("it is %d bytes long, more than the %d bytes a file name can have", len(name), MaxName)
	}
	short, _, _ := strings.Cut(name, ".")
	if windowsReserved[strings.ToLower(short)] {
		return "Windows reserves the name " + short + " for a device"
	}
	if !strings.HasSuffix(name, ".go") {
		return ""
	}
	if strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
		return "the go tool ignores Go files whose name starts with " + name[:1]
	}
	if ok, err := noPlatform.MatchFile(".", name); err == nil && !ok {
		return "the go tool builds it only on the platforms its suffix " + constraint(short) + " names"
	}
	return ""
}

// constraint returns the last GOOS or GOARCH suffix of the part of a Go
// file name before its first dot ("box_linux_amd64_test" -> "_amd64").
func constraint(short string) string {
	short = strings.TrimSuffix(short, "_test")
	return short[strings.LastIndex(short, "_"):]
}

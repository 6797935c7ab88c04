package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// completionScript runs esgen completion SHELL and writes the script into
// dir, which also holds a.esm, b.txt and sub/c.esm to complete.
func completionScript(t *testing.T, shell string) (dir, script string) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run([]string{"completion", shell}, env{stdout: &out, stderr: &errb}); code != exitOK || errb.Len() > 0 {
		t.Fatalf("esgen completion %s: exit %d, %s", shell, code, errb.String())
	}
	dir = t.TempDir()
	for _, f := range []string{"a.esm", "b.txt", "sub/c.esm"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script = filepath.Join(dir, "esgen."+shell)
	if err := os.WriteFile(script, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, script
}

// shell runs a script of the named shell in dir and returns its output.
func shell(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	sh, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("no %s to run the script with", name)
	}
	cmd := exec.Command(sh, args...)
	cmd.Dir = dir
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, out)
	}
	return string(out)
}

var completionCases = []struct {
	line string   // the command line, completed at its end
	want []string // the completions, sorted
}{
	{"esgen ", []string{"check", "completion", "diagram", "diff", "events", "fmt", "generate", "help", "init", "inspect", "lsp", "version"}},
	{"esgen gen", []string{"generate"}},
	{"esgen --ver", []string{"--version"}},
	{"esgen check --error-format ", []string{"github-actions", "json", "text"}},
	{"esgen check -error-format ", []string{"github-actions", "json", "text"}},
	{"esgen check --st", []string{"--strict"}},
	{"esgen generate ", []string{"a.esm", "sub/"}},
	{"esgen generate -out dir ", []string{"a.esm", "sub/"}},
	{"esgen generate --formats ", []string{"asyncapi", "dot", "jsonschema", "md", "mermaid", "none", "svg"}},
	{"esgen generate --out ", []string{"sub/"}},
	{"esgen diagram --format s", []string{"svg"}},
	{"esgen help d", []string{"diagram", "diff"}},
	{"esgen completion ", []string{"bash", "fish", "zsh"}},
	{"esgen init ", []string{"sub/"}},
	{"esgen fmt -", []string{"--caret", "--color", "--diff", "--help", "--list", "--version", "--write", "-d", "-h", "-l", "-w"}},
}

// TestCompletionBash completes command lines with the bash script, as
// bash does when Tab is pressed.
func TestCompletionBash(t *testing.T) {
	dir, script := completionScript(t, "bash")
	for _, tc := range completionCases {
		words := strings.Fields(tc.line)
		if strings.HasSuffix(tc.line, " ") {
			words = append(words, "")
		}
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, shQuote(w))
		}
		out := shell(t, dir, "bash", "--norc", "--noprofile", "-c",
			"source "+shQuote(script)+"\nCOMP_WORDS=("+strings.Join(quoted, " ")+")\nCOMP_CWORD="+
				strconv.Itoa(len(words)-1)+"\n_esgen\nprintf '%s\\n' \"${COMPREPLY[@]}\"")
		got := strings.Fields(out)
		// bash appends the slash of a directory itself (-o filenames).
		for i, g := range got {
			if info, err := os.Stat(filepath.Join(dir, g)); err == nil && info.IsDir() {
				got[i] = g + "/"
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("bash: %q completes to %q, want %q", tc.line, got, tc.want)
		}
	}
	// Registered for the esgen command.
	if out := shell(t, dir, "bash", "--norc", "--noprofile", "-c", "source "+shQuote(script)+"\ncomplete -p esgen"); !strings.Contains(out, "-F _esgen esgen") {
		t.Errorf("complete -p esgen = %q", out)
	}
}

// TestCompletionFish completes command lines with the fish script (fish's
// complete -C).
func TestCompletionFish(t *testing.T) {
	dir, script := completionScript(t, "fish")
	for _, tc := range completionCases {
		if strings.Contains(tc.line, " -error-format") {
			continue // fish completes the flag's two-dash name only
		}
		out := shell(t, dir, "fish", "--no-config", "-c", "source "+shQuote(script)+"; complete -C"+shQuote(tc.line))
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if l != "" {
				got = append(got, strings.SplitN(l, "\t", 2)[0])
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("fish: %q completes to %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestCompletionZsh checks that the zsh script parses and registers
// _esgen for esgen, and the specs it gives _arguments.
func TestCompletionZsh(t *testing.T) {
	dir, script := completionScript(t, "zsh")
	data, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"#compdef esgen\n",
		"'generate:Generate Go code, diagrams and docs pages from .esm files'\n",
		"'--error-format=[How to report diagnostics]:error-format:(text json github-actions)' \\\n",
		"'(-w --write)'{-w,--write}'[Rewrite files whose formatting differs (atomically), instead of printing them]' \\\n",
		"'--out=[Write into DIR instead of the directory of each .esm file]:out:_files -/' \\\n",
		"'*:.esm file:_files -g \"*.esm\"'\n",
		"'*:command:(init check fmt generate diff diagram events inspect lsp version completion help)'\n",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the zsh script lacks %q", want)
		}
	}
	shell(t, dir, "zsh", "-n", script)
	if out := shell(t, dir, "zsh", "-fc", "autoload -U compinit; compinit -u -D; source "+shQuote(script)+"; print -r -- $_comps[esgen]"); strings.TrimSpace(out) != "_esgen" {
		t.Errorf("zsh: esgen completes with %q, want _esgen", out)
	}
}

package main

import (
	"fmt"
	"strings"

	"github.com/alecthomas/kong"
	"github.com/esgen/esgen/generator/diagram"
)

// completionCmd is `esgen completion SHELL`.
type completionCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"The shell: bash, zsh or fish." completion:"bash,zsh,fish"`
}

// Help is the detailed help of the verb.
func (completionCmd) Help() string {
	return `Completion prints a script that completes esgen's commands, flags, flag values
and .esm file names in the shell.

Examples:

	source <(esgen completion bash)                       # in ~/.bashrc
	source <(esgen completion zsh)                        # in ~/.zshrc, after compinit
	esgen completion fish > ~/.config/fish/completions/esgen.fish

Under "go tool", complete "go tool esgen" with an alias: alias esgen='go tool esgen'.`
}

// Run prints the script.
func (c completionCmd) Run(e env, k *kong.Kong) error {
	cmds := completionModel(k)
	var script string
	switch c.Shell {
	case "bash":
		script = bashCompletion(cmds)
	case "zsh":
		script = zshCompletion(cmds)
	case "fish":
		script = fishCompletion(cmds)
	}
	_, err := e.stdout.Write([]byte(script))
	return err
}

// compCmd is what a completion script knows of one command; the one named
// "" is esgen itself, before a command.
type compCmd struct {
	name, help string
	flags      []compFlag
	// args is how positional arguments complete (see compKind).
	args compKind
}

// compFlag is what a completion script knows of one flag.
type compFlag struct {
	long  string
	short rune
	help  string
	// value is how the flag's value completes; empty for a boolean flag.
	value compKind
}

// compKind is how a word completes: "esm" (.esm files and directories),
// "dir", "file", "command" (esgen's commands), "text" (anything: no
// completion), or "=a,b,c", one of the listed words.
type compKind string

// completionModel reads the commands and flags from the command line's
// model, so that the scripts follow every command added. A flag or
// argument says how it completes with a `completion:"..."` tag (dir,
// file, esm, command, formats, or a comma-separated list of words); an
// enum completes with its values.
func completionModel(k *kong.Kong) []compCmd {
	root := compCmd{}
	for _, f := range k.Model.Node.Flags {
		if !f.Hidden {
			root.flags = append(root.flags, flagOf(f))
		}
	}
	cmds := []compCmd{root}
	for _, n := range k.Model.Node.Children {
		if n.Hidden || n.Type != kong.CommandNode {
			continue
		}
		c := compCmd{name: n.Name, help: shortHelp(n.Help), args: "text"}
		for _, group := range n.AllFlags(true) {
			for _, f := range group {
				c.flags = append(c.flags, flagOf(f))
			}
		}
		if len(n.Positional) > 0 {
			c.args = kindOf(n.Positional[0])
		}
		cmds = append(cmds, c)
	}
	return cmds
}

func flagOf(f *kong.Flag) compFlag {
	cf := compFlag{long: f.Name, short: f.Short, help: shortHelp(f.Help)}
	if !f.IsBool() {
		cf.value = kindOf(f.Value)
	}
	return cf
}

func kindOf(v *kong.Value) compKind {
	switch t := v.Tag.Get("completion"); t {
	case "":
		if v.Enum != "" {
			return compKind("=" + strings.Join(v.EnumSlice(), ","))
		}
		return "text"
	case "dir", "file", "esm", "command":
		return compKind(t)
	case "formats":
		var names []string
		for _, f := range diagram.AllFormats() {
			names = append(names, string(f))
		}
		return compKind("=" + strings.Join(append(names, "none"), ","))
	default:
		return compKind("=" + t)
	}
}

// what names what a word of the kind is, for zsh's messages.
func (k compKind) what() string {
	switch k {
	case "esm":
		return ".esm file"
	case "dir":
		return "directory"
	case "file", "command":
		return string(k)
	}
	return "value"
}

// words are the listed words of a "=a,b,c" kind.
func (k compKind) words() []string {
	return strings.Split(strings.TrimPrefix(string(k), "="), ",")
}

// shortHelp is the first sentence of a help text, without its full stop.
func shortHelp(s string) string {
	for _, sep := range []string{". ", ": "} {
		if i := strings.Index(s, sep); i >= 0 {
			s = s[:i]
		}
	}
	return strings.TrimSuffix(strings.TrimSpace(s), ".")
}

// commandNames are the names of the commands, in order.
func commandNames(cmds []compCmd) []string {
	var names []string
	for _, c := range cmds[1:] {
		names = append(names, c.name)
	}
	return names
}

// shQuote quotes s for a POSIX shell, in single quotes.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func bashCompletion(cmds []compCmd) string {
	var b strings.Builder
	b.WriteString(`# bash completion for esgen, printed by "esgen completion bash".
# Load it in the current shell (or from ~/.bashrc) with
#     source <(esgen completion bash)

# _esgen_words completes the word "$1" as one of kind "$2" (see esgen's
# completion.go): esm, dir, file, command, text, or =a,b,c.
_esgen_words() {
    local cur=$1 kind=$2 IFS=$'\n'
    case $kind in
    esm) COMPREPLY=($(compgen -f -X '!*.esm' -- "$cur") $(compgen -d -- "$cur")) ;;
    dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
    file) COMPREPLY=($(compgen -f -- "$cur")) ;;
    command) COMPREPLY=($(compgen -W ` + shQuote(strings.Join(commandNames(cmds), "\n")) + ` -- "$cur")) ;;
    =*) COMPREPLY=($(IFS=,; compgen -W "${kind#=}" -- "$cur")) ;;
    *) COMPREPLY=() ;;
    esac
}

_esgen() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= i
    # "--flag=value": bash makes the = a word of its own.
    if [[ $cur == = ]]; then
        cur=
        prev=${COMP_WORDS[COMP_CWORD-1]}
    elif [[ $prev == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -*) ;;
        *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    case $cmd in
`)
	for _, c := range cmds {
		name := c.name
		if name == "" {
			name = "''"
		}
		fmt.Fprintf(&b, "    %s)\n", name)
		var flags []string
		var values []string
		for _, f := range c.flags {
			names := []string{"--" + f.long}
			if len(f.long) > 1 {
				names = append(names, "-"+f.long) // one dash, as esgen takes it
			}
			if f.short != 0 {
				names = append(names, "-"+string(f.short))
			}
			flags = append(flags, "--"+f.long)
			if f.short != 0 {
				flags = append(flags, "-"+string(f.short))
			}
			if f.value != "" {
				values = append(values, fmt.Sprintf("%s) _esgen_words \"$cur\" %s; return ;;\n", strings.Join(names, "|"), shQuote(string(f.value))))
			}
		}
		if len(values) > 0 {
			b.WriteString("        case $prev in\n")
			for _, v := range values {
				b.WriteString("        " + v)
			}
			b.WriteString("        esac\n")
		}
		args := c.args
		if c.name == "" {
			args = "command"
		}
		fmt.Fprintf(&b, "        case $cur in\n        -*) _esgen_words \"$cur\" %s ;;\n        *) _esgen_words \"$cur\" %s ;;\n        esac\n        ;;\n",
			shQuote("="+strings.Join(flags, ",")), shQuote(string(args)))
	}
	b.WriteString(`    esac
}

complete -o filenames -o bashdefault -F _esgen esgen
`)
	return b.String()
}

// zshEscape escapes text for the help of an _arguments spec or a
// _describe item, inside single quotes.
func zshEscape(s string) string {
	return strings.NewReplacer("'", `'\''`, "[", `\[`, "]", `\]`, ":", `\:`).Replace(s)
}

// zshAction is the _arguments action of a kind but command.
func zshAction(k compKind) string {
	switch {
	case k == "esm":
		return `_files -g "*.esm"`
	case k == "dir":
		return "_files -/"
	case k == "file":
		return "_files"
	case strings.HasPrefix(string(k), "="):
		return "(" + strings.Join(k.words(), " ") + ")"
	}
	return " "
}

func zshCompletion(cmds []compCmd) string {
	var b strings.Builder
	b.WriteString(`#compdef esgen
# zsh completion for esgen, printed by "esgen completion zsh".
# Load it (after compinit, e.g. in ~/.zshrc) with
#     source <(esgen completion zsh)
# or save it as _esgen in a directory of $fpath.

_esgen() {
    local curcontext=$curcontext state line
    typeset -A opt_args
    _arguments -C \
`)
	for _, f := range cmds[0].flags {
		fmt.Fprintf(&b, "        %s \\\n", zshFlag(f, cmds, "(- *)"))
	}
	b.WriteString(`        '1: :->command' \
        '*:: :->args' && return
    case $state in
    command)
        local -a commands
        commands=(
`)
	for _, c := range cmds[1:] {
		fmt.Fprintf(&b, "            '%s:%s'\n", c.name, zshEscape(c.help))
	}
	b.WriteString(`        )
        _describe -t commands 'esgen command' commands
        ;;
    args)
        curcontext=${curcontext%:*:*}:esgen-$words[1]:
        case $words[1] in
`)
	for _, c := range cmds[1:] {
		fmt.Fprintf(&b, "        %s)\n            _arguments -s \\\n", c.name)
		for _, f := range c.flags {
			fmt.Fprintf(&b, "                %s \\\n", zshFlag(f, cmds, ""))
		}
		if c.args == "text" {
			b.WriteString("                '*: :'\n")
		} else {
			fmt.Fprintf(&b, "                '*:%s:%s'\n", c.args.what(), zshKindAction(c.args, cmds))
		}
		b.WriteString("            ;;\n")
	}
	b.WriteString(`        esac
        ;;
    esac
}

if [[ $funcstack[1] == _esgen ]]; then
    _esgen "$@"
else
    compdef _esgen esgen
fi
`)
	return b.String()
}

// zshKindAction is zshAction with the command names filled in.
func zshKindAction(k compKind, cmds []compCmd) string {
	if k == "command" {
		return "(" + strings.Join(commandNames(cmds), " ") + ")"
	}
	return zshAction(k)
}

// zshFlag is the _arguments spec of a flag; exclusions, when not empty,
// replaces the list of what it excludes (itself, by default).
func zshFlag(f compFlag, cmds []compCmd, exclusions string) string {
	help := "[" + zshEscape(f.help) + "]"
	arg := ""
	if f.value != "" {
		arg = ":" + zshEscape(f.long) + ":" + zshKindAction(f.value, cmds)
	}
	eq := ""
	if f.value != "" {
		eq = "="
	}
	if f.short == 0 {
		if exclusions == "" {
			return "'--" + f.long + eq + help + arg + "'"
		}
		return "'" + exclusions + "--" + f.long + eq + help + arg + "'"
	}
	if exclusions == "" {
		exclusions = fmt.Sprintf("(-%c --%s)", f.short, f.long)
	}
	return fmt.Sprintf("'%s'{-%c,--%s%s}'%s%s'", exclusions, f.short, f.long, eq, help, arg)
}

// fishQuote quotes s for fish, in single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

// fishArgs are the options of a fish complete command that complete a
// kind.
func fishArgs(k compKind, cmds []compCmd) string {
	switch {
	case k == "esm":
		return "-a '(__esgen_complete_esm)'"
	case k == "dir":
		return "-a '(__fish_complete_directories)'"
	case k == "file":
		return "-F"
	case k == "command":
		return "-a " + fishQuote(strings.Join(commandNames(cmds), " "))
	case strings.HasPrefix(string(k), "="):
		return "-a " + fishQuote(strings.Join(k.words(), " "))
	}
	return ""
}

func fishCompletion(cmds []compCmd) string {
	var b strings.Builder
	b.WriteString(`# fish completion for esgen, printed by "esgen completion fish".
# Load it with
#     esgen completion fish | source
# or save it as ~/.config/fish/completions/esgen.fish.

# __esgen_complete_esm lists the .esm files and the directories that
# start with the word being completed.
function __esgen_complete_esm
    set -l token (commandline -ct)
    for f in $token*
        if test -d $f
            echo $f/
        else if string match -q -- '*.esm' $f
            echo $f
        end
    end
end

complete -c esgen -f
`)
	flag := func(cond string, f compFlag) {
		fmt.Fprintf(&b, "complete -c esgen -n %s", fishQuote(cond))
		if f.short != 0 {
			fmt.Fprintf(&b, " -s %c", f.short)
		}
		fmt.Fprintf(&b, " -l %s", f.long)
		switch {
		case f.value == "file":
			b.WriteString(" -r -F")
		case f.value != "":
			b.WriteString(" -x")
			if a := fishArgs(f.value, cmds); a != "" {
				b.WriteString(" " + a)
			}
		}
		fmt.Fprintf(&b, " -d %s\n", fishQuote(f.help))
	}
	for _, f := range cmds[0].flags {
		flag("__fish_use_subcommand", f)
	}
	for _, c := range cmds[1:] {
		fmt.Fprintf(&b, "complete -c esgen -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.help))
	}
	for _, c := range cmds[1:] {
		cond := "__fish_seen_subcommand_from " + c.name
		for _, f := range c.flags {
			flag(cond, f)
		}
		if a := fishArgs(c.args, cmds); a != "" {
			fmt.Fprintf(&b, "complete -c esgen -n %s %s\n", fishQuote(cond), a)
		}
	}
	return b.String()
}

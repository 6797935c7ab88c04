package dsl

import (
	"sync"

	"github.com/alecthomas/participle/v2"

	"github.com/esgen/esgen/dsl/ast"
)

// grammar returns the participle parser of .esm files, built once. A
// participle parser is read-only once built and safe for concurrent use.
var grammar = sync.OnceValue(func() *participle.Parser[ast.File] {
	return participle.MustBuild[ast.File](
		participle.Lexer(lexDef{}),
		participle.UseLookahead(0),
		participle.Union[ast.Decl](&ast.Extern{}, &ast.TypeDecl{}, &ast.Aggregate{}, &ast.Process{}),
		participle.Union[ast.Member](
			&ast.IDOption{}, &ast.StreamOption{}, &ast.SubjectOption{}, &ast.SnapshotOption{}, &ast.LivesOption{},
			&ast.State{}, &ast.Command{}, &ast.Event{}, &ast.Transition{}, &ast.Evolve{}, &ast.Timer{},
		),
		participle.Union[ast.ProcessMember](
			&ast.IDOption{}, &ast.CorrelateOption{}, &ast.State{}, &ast.Reaction{}, &ast.ProcessTimer{},
		),
	)
})

// EBNF returns the grammar of the .esm language in EBNF, as participle
// derives it from the syntax tree (package dsl/ast). Comments (`//` to the
// end of the line) may appear between any two tokens.
func EBNF() string { return grammar().String() }

package dsl

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/esgen/esgen/dsl/ast"
)

// suggestBudget bounds the edit-distance work of one Check (in compared
// rune pairs), so that a file full of unknown names stays fast; past it,
// diagnostics come without suggestions.
const suggestBudget = 20_000_000

// reportName reports code at the name id with a did-you-mean of the
// candidate closest to id's name, and the fix that replaces the name by
// it; when no candidate is close, the suggestion is other (maybe empty)
// and there is no fix.
func (c *checker) reportName(id *ast.Ident, code string, candidates []string, other, format string, args ...any) {
	d := newDiag(fromLexer(id.Pos), code, fmt.Sprintf(format, args...), other)
	if best := c.closest(id.Name, candidates); best != "" {
		d.Suggestion = didYouMean(best)
		d.Fix = replaceFix(d.Pos, id.Name, best)
	}
	c.diags = append(c.diags, d)
}

// didYouMean spells the suggestion of name.
func didYouMean(name string) string { return "did you mean " + name + "?" }

// closest returns the candidate closest to name, or "" when none is
// close. Close means equal ignoring case, or within an edit
// distance (Damerau-Levenshtein, ignoring case) of a third of the name's length, at
// least 1, counting a swap of two adjacent letters as one edit. Ties go to
// a candidate with the same letters (int46: int64 rather than int16), then
// to the candidate listed first.
func (c *checker) closest(name string, candidates []string) string {
	best, bestDist := "", -1
	n := utf8.RuneCountInString(name)
	limit := max(1, n/3)
	for _, cand := range candidates {
		m := utf8.RuneCountInString(cand)
		if cand == name || m-n > limit || n-m > limit {
			continue
		}
		if c.suggestWork += n * m; c.suggestWork > suggestBudget {
			return ""
		}
		d := editDistance(name, cand)
		if d <= limit && (bestDist < 0 || d < bestDist || d == bestDist && anagram(name, cand) && !anagram(name, best)) {
			best, bestDist = cand, d
		}
	}
	return best
}

// editDistance returns the optimal string alignment distance between a
// and b, in runes, ignoring case: insertions, deletions, substitutions and
// transpositions of adjacent runes each cost 1 ("Opne" is 1 from "Open").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	for i, r := range ra {
		ra[i] = unicode.ToLower(r)
	}
	for i, r := range rb {
		rb[i] = unicode.ToLower(r)
	}
	// d[i][j] is the distance between ra[:i] and rb[:j]; three rows suffice.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// anagram reports whether a and b have the same runes, ignoring case and
// order.
func anagram(a, b string) bool {
	ra, rb := []rune(strings.ToLower(a)), []rune(strings.ToLower(b))
	slices.Sort(ra)
	slices.Sort(rb)
	return slices.Equal(ra, rb)
}

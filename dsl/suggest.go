package dsl

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// suggestBudget bounds the edit-distance work of one Check (in compared
// rune pairs), so that a file full of unknown names stays fast; past it,
// diagnostics come without suggestions.
const suggestBudget = 20_000_000

// suggest returns "did you mean X?" for the candidate closest to name, or
// "" when none is close. Close means equal ignoring case, or within an edit
// distance (Levenshtein, ignoring case) of a third of the name's length, at
// least 1. Ties go to the candidate listed first.
func (c *checker) suggest(name string, candidates []string) string {
	best, bestDist := "", -1
	n := utf8.RuneCountInString(name)
	limit := max(1, n/3)
	lower := strings.ToLower(name)
	for _, cand := range candidates {
		m := utf8.RuneCountInString(cand)
		if cand == name || m-n > limit || n-m > limit {
			continue
		}
		if c.suggestWork += n * m; c.suggestWork > suggestBudget {
			return ""
		}
		d := levenshtein(lower, strings.ToLower(cand))
		if d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = cand, d
		}
	}
	if bestDist < 0 {
		return ""
	}
	return "did you mean " + best + "?"
}

// levenshtein returns the edit distance between a and b, in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] || unicode.ToLower(ra[i-1]) == unicode.ToLower(rb[j-1]) {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

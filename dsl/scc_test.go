package dsl

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func adjacency(edges [][]int) func(int) []int {
	return func(v int) []int { return edges[v] }
}

func TestSCCs(t *testing.T) {
	tests := []struct {
		name  string
		edges [][]int
		want  [][]int
	}{
		{"empty", nil, nil},
		{"one node", [][]int{nil}, [][]int{{0}}},
		{"self-loop", [][]int{{0}}, [][]int{{0}}},
		{"isolated nodes", [][]int{nil, nil, nil}, [][]int{{0}, {1}, {2}}},
		// Successors complete before the nodes that reach them.
		{"chain", [][]int{{1}, {2}, nil}, [][]int{{2}, {1}, {0}}},
		{"two-cycle", [][]int{{1}, {0}}, [][]int{{1, 0}}},
		{"self-loops in a chain", [][]int{{0, 1}, {1, 2}, {2}}, [][]int{{2}, {1}, {0}}},
		// 0 -> {1 <-> 2} -> 3 (self-loop), 4 -> 0 and 4 alone after.
		{"cycle between", [][]int{{1}, {2}, {1, 3}, {3}, {0}}, [][]int{{3}, {2, 1}, {0}, {4}}},
		// 0 <-> 1, 1 -> 2 <-> 3 <-> 4, 4 -> 0: all one component.
		{"nested cycles", [][]int{{1}, {0, 2}, {3}, {2, 4}, {3, 0}}, [][]int{{4, 3, 2, 1, 0}}},
		// A later root that reaches an earlier component.
		{"later root", [][]int{{1}, {0}, {0, 2}}, [][]int{{1, 0}, {2}}},
		{"parallel edges", [][]int{{1, 1}, {0, 0}}, [][]int{{1, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			comps, of := sccs(len(tt.edges), adjacency(tt.edges))
			if !reflect.DeepEqual(comps, tt.want) {
				t.Errorf("components %v, want %v", comps, tt.want)
			}
			for c, comp := range comps {
				for _, v := range comp {
					if of[v] != c {
						t.Errorf("node %d: component %d, want %d", v, of[v], c)
					}
				}
			}
		})
	}
}

// TestSCCsDeep runs on a chain and a cycle of 100,000 nodes: a recursive
// depth-first search would go 100,000 calls deep.
func TestSCCsDeep(t *testing.T) {
	const n = 100_000
	chain := make([][]int, n)
	cycle := make([][]int, n)
	for v := range n {
		if v+1 < n {
			chain[v] = []int{v + 1}
		}
		cycle[v] = []int{(v + 1) % n}
	}
	comps, of := sccs(n, adjacency(chain))
	if len(comps) != n {
		t.Fatalf("chain: %d components, want %d", len(comps), n)
	}
	for c, comp := range comps {
		if want := n - 1 - c; len(comp) != 1 || comp[0] != want || of[want] != c {
			t.Fatalf("chain: component %d is %v (node %d in %d), want [%d]", c, comp, want, of[want], want)
		}
	}
	comps, _ = sccs(n, adjacency(cycle))
	if len(comps) != 1 || len(comps[0]) != n {
		t.Fatalf("cycle: %d components, want one of %d nodes", len(comps), n)
	}
	if comps[0][n-1] != 0 {
		t.Errorf("cycle: the root, 0, leaves the stack at %d, want last", slices.Index(comps[0], 0))
	}
}

// TestSCCsBruteForce checks sccs on random small graphs against the
// definition: two nodes share a component exactly when each reaches the
// other, and components come in reverse topological order.
func TestSCCsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 2000 {
		n := rng.IntN(9)
		density := rng.Float64()
		edges := make([][]int, n)
		for v := range n {
			for w := range n {
				if rng.Float64() < density*0.5 {
					edges[v] = append(edges[v], w)
				}
			}
			rng.Shuffle(len(edges[v]), func(i, j int) { edges[v][i], edges[v][j] = edges[v][j], edges[v][i] })
		}
		// reach[v][w]: a path of zero or more edges from v to w.
		reach := make([][]bool, n)
		for v := range n {
			reach[v] = make([]bool, n)
			reach[v][v] = true
			queue := []int{v}
			for len(queue) > 0 {
				u := queue[0]
				queue = queue[1:]
				for _, w := range edges[u] {
					if !reach[v][w] {
						reach[v][w] = true
						queue = append(queue, w)
					}
				}
			}
		}
		comps, of := sccs(n, adjacency(edges))
		seen := make([]int, n)
		for c, comp := range comps {
			if len(comp) == 0 {
				t.Fatalf("round %d %v: empty component %d", round, edges, c)
			}
			for _, v := range comp {
				seen[v]++
				if of[v] != c {
					t.Fatalf("round %d %v: node %d in component %d, of says %d", round, edges, v, c, of[v])
				}
			}
		}
		for v := range n {
			if seen[v] != 1 {
				t.Fatalf("round %d %v: node %d in %d components", round, edges, v, seen[v])
			}
			for w := range n {
				if same, mutual := of[v] == of[w], reach[v][w] && reach[w][v]; same != mutual {
					t.Fatalf("round %d %v: %d and %d in one component: %v, reach each other: %v", round, edges, v, w, same, mutual)
				}
			}
			for _, w := range edges[v] {
				if of[w] > of[v] {
					t.Fatalf("round %d %v: edge %d -> %d goes to a later component (%d > %d)", round, edges, v, w, of[w], of[v])
				}
			}
		}
	}
}

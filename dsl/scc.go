package dsl

// sccs returns the strongly connected components of the graph over the
// nodes 0..n-1 whose edges leave v for successors(v), and the index in
// comps of each node's component.
//
// It is Tarjan's algorithm, iterative (no recursion, so no depth limit),
// in time linear in nodes and edges. The order is deterministic and
// callers rely on it:
//   - comps is in reverse topological order: an edge that leaves a
//     component goes to one earlier in comps (the order in which the
//     depth-first search, started at 0, 1, ... in turn and following
//     successors in their order, completes them);
//   - a component's members are in the order they leave the search's
//     stack, the component's root last.
//
// successors is called once per node; sccs does not keep or modify the
// slices it returns.
func sccs(n int, successors func(v int) []int) (comps [][]int, of []int) {
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	of = make([]int, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	next := 0
	// frame is a node whose search is under way: its successors and how
	// many of them it has followed.
	type frame struct {
		v     int
		succs []int
		i     int
	}
	var frames []frame
	enter := func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		frames = append(frames, frame{v: v, succs: successors(v)})
	}
	for root := 0; root < n; root++ {
		if index[root] >= 0 {
			continue
		}
		enter(root)
		for len(frames) > 0 {
			f := &frames[len(frames)-1]
			if f.i < len(f.succs) {
				w := f.succs[f.i]
				f.i++
				switch {
				case index[w] < 0:
					enter(w)
				case onStack[w]:
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			frames = frames[:len(frames)-1]
			if len(frames) > 0 {
				p := frames[len(frames)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] != index[v] {
				continue
			}
			var comp []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				of[w] = len(comps)
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			comps = append(comps, comp)
		}
	}
	return comps, of
}

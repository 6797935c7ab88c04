package graph

//go:generate go tool esgen generate -out . ../graph.esm

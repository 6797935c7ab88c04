package graph

//go:generate go run github.com/esgen/esgen/cmd/esgen generate -out . ../graph.esm

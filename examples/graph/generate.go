package graph

//go:generate go tool esgen generate -out . -formats svg,md,jsonschema,asyncapi ../graph.esm

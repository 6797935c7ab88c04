package orders

//go:generate go run github.com/esgen/esgen/cmd/esgen generate -out . ../orders.esm

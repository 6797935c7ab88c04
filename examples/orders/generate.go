package orders

//go:generate go tool esgen generate -out . ../orders.esm

package yardstick

//go:generate go tool esgen generate -out . orders.esm

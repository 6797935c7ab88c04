package orders

//go:generate go tool esgen generate -out . ../orders.esm ../payments.esm ../shipments.esm ../fulfilment.esm

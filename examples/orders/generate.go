package orders

//go:generate go tool esgen generate -out . -formats svg,md,jsonschema,asyncapi ../orders.esm ../payments.esm ../shipments.esm ../fulfilment.esm
//go:generate go tool esgen diagram -format svg -fields -o ../../docs/images/order-fields.svg ../orders.esm Order

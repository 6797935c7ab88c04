package bank

// Evolver adds money movements to the balance.
type Evolver struct{}

var _ AccountEvolver = Evolver{}

// OpenOnMoneyDeposited adds the deposit.
func (Evolver) OpenOnMoneyDeposited(s Open, e MoneyDeposited) Open {
	s.BalanceCents += e.AmountCents
	return s
}

// OpenOnBalanceCorrected adds the correction.
func (Evolver) OpenOnBalanceCorrected(s Open, e BalanceCorrected) Open {
	s.BalanceCents += e.BalanceCents
	return s
}

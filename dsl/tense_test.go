package dsl

import "testing"

// eventNames are event names from real domains with the verdict of the
// tense rule (W003): past is true when the name reads as the past tense.
// The table holds both directions: names that must pass, some of which an
// earlier rule rejected (AccountUnfrozen), and names that must warn,
// nouns and imperatives among them.
var eventNames = []struct {
	name string
	past bool
}{
	// banking
	{"AccountOpened", true},
	{"AccountClosed", true},
	{"AccountFrozen", true},
	{"AccountUnfrozen", true},
	{"AccountOverdrawn", true},
	{"AccountBecameDormant", true},
	{"FundsDeposited", true},
	{"FundsWithdrawn", true},
	{"FundsHeld", true},
	{"FundsWithheld", true},
	{"HoldReleased", true},
	{"MoneyTransferred", true},
	{"MoneyTransferredToSavings", true},
	{"InterestAccrued", true},
	{"StatementIssued", true},
	{"CardLost", true},
	{"CardStolen", true},
	{"CardReissued", true},
	{"PinChanged", true},
	{"LoanDisbursed", true},
	{"LoanRepaid", true},
	{"InvoiceUnpaid", true},
	{"InvoiceOverpaid", true},
	{"FeeWaived", true},
	{"ChequeBounced", true},
	{"DirectDebitSetUp", true},
	{"StandingOrderCancelled", true},
	{"OverdraftLimitSet", true},
	{"PaymentGuaranteed", true},
	{"TermsAgreed", true},
	{"Deposit", false},
	{"WithdrawalRequest", false},
	{"BalanceTopUp", false},
	{"TransferMoney", false},
	{"InterestRateChange", false},
	// payments and orders
	{"PaymentSent", true},
	{"PaymentDeclined", true},
	{"PaymentCapturedPartially", true},
	{"PaymentFailedAgain", true},
	{"OrderPlaced", true},
	{"OrderPaid", true},
	{"OrderPrepaid", true},
	{"OrderShipped", true},
	{"ItemsShipped", true},
	{"OrderPartiallyShipped", true},
	{"OrderSplit", true},
	{"OrderReset", true},
	{"OrderHeldForReview", true},
	{"OrderCancelledByCustomer", true},
	{"ItemAddedToCart", true},
	{"ItemRemovedFromCart", true},
	{"CartCheckedOut", true},
	{"CouponRedeemed", true},
	{"PriceCut", true},
	{"ProductSoldOut", true},
	{"ProductResold", true},
	{"BidWon", true},
	{"AuctionBegun", true},
	{"PlaceOrder", false},
	{"CloseOrder", false},
	{"OrderRefund", false},
	{"OrderPlacement", false},
	{"CheckoutComplete", false},
	{"OrderInProgress", false},
	{"NeedsApproval", false},
	{"ShippedOrder", false},
	{"FailedPaymentAttempt", false},
	// shipping and warehouses
	{"GoodsReceived", true},
	{"ShipmentSplit", true},
	{"ShipmentSent", true},
	{"ParcelDispatched", true},
	{"ParcelDelivered", true},
	{"ParcelLost", true},
	{"ParcelLeftAtDoor", true},
	{"PackageHandedOver", true},
	{"ContainerUnloaded", true},
	{"TruckDeparted", true},
	{"StockCounted", true},
	{"StockWrittenOff", true},
	{"PalletMislaid", true},
	{"ShipmentInTransit", false},
	{"DeliveryWindow", false},
	{"DispatchParcel", false},
	{"StockLevel", false},
	// identity and access
	{"UserRegistered", true},
	{"UserSignedUp", true},
	{"UserSignedUpForNewsletter", true},
	{"UserLoggedIn", true},
	{"UserLoggedOut", true},
	{"UserLoggedBackIn", true},
	{"PasswordReset", true},
	{"PasswordChanged", true},
	{"PasswordForgotten", true},
	{"EmailVerified", true},
	{"MFAEnabled", true},
	{"OTPSent", true},
	{"SessionExpired", true},
	{"SessionTimedOut", true},
	{"KeyRotated", true},
	{"APIKeyRevoked", true},
	{"TokenIssued", true},
	{"RoleGranted", true},
	{"UserAddedToGroup", true},
	{"AccountLockedOut", true},
	{"UserUnbanned", true},
	{"ConsentWithdrawn", true},
	{"ConsentGiven", true},
	{"InvitationResent", true},
	{"user_registered", true},
	{"UserLogin", false},
	{"UserSignup", false},
	{"PasswordResetRequest", false},
	{"ResetPassword", false},
	{"LoginAttempt", false},
	{"FailedLoginAttempt", false},
	{"SessionTimeout", false},
	// devices and IoT
	{"DeviceProvisioned", true},
	{"DeviceWentOffline", true},
	{"DeviceCameOnline", true},
	{"SensorReadingRecorded", true},
	{"FirmwareUpgraded", true},
	{"FirmwareRebuilt", true},
	{"ThresholdExceeded", true},
	{"LightTurnedOn", true},
	{"PowerShutDown", true},
	{"BatteryRunDown", true},
	{"AlarmRung", true},
	{"DoorLeftOpen", false},
	{"SpeedLimit", false},
	{"NeedMaintenance", false},
	{"TemperatureHigh", false},
	{"HeartBeat", false},
	{"LightOn", false},
	{"GameOver", false},
	// work, content and everything else
	{"TaskBegun", true},
	{"TaskDone", true},
	{"Undone", true},
	{"TaskRedone", true},
	{"SubscriptionRenewed", true},
	{"ReservationSet", true},
	{"DocumentRewritten", true},
	{"CommentHidden", true},
	{"ReviewWritten", true},
	{"MeetingHeld", true},
	{"ContractSigned", true},
	{"SLAMet", true},
	{"PolicyUnderwritten", true},
	{"TicketReopened", true},
	{"TicketEscalatedV2", true},
	{"OrderClosedEvent", true},
	{"ChildBorn", true},
	{"ClaimFiledOnBehalfOfCustomer", true},
	{"ProjectArchived2", true},
	{"Created", true},
	{"Archive", false},
	{"NewComment", false},
	{"DocumentDraft", false},
	{"ReportSummary", false},
	{"SeedData", false},
	{"Hundred", false},
	{"UserCreatedNotification", false},
}

// TestEventTense checks the tense rule on the table of event names.
func TestEventTense(t *testing.T) {
	if len(eventNames) < 100 {
		t.Fatalf("the table has %d event names; keep at least 100", len(eventNames))
	}
	seen := map[string]bool{}
	for _, c := range eventNames {
		if seen[c.name] {
			t.Errorf("%s is in the table twice", c.name)
		}
		seen[c.name] = true
		if got, _, _ := eventPastTense(c.name); got != c.past {
			t.Errorf("eventPastTense(%s) = %v, want %v", c.name, got, c.past)
		}
	}
}

// TestEventTenseRename checks the proposed name when a past form is not
// where the rule looks for it.
func TestEventTenseRename(t *testing.T) {
	for _, c := range []struct{ name, participle, rename string }{
		{"ShippedOrder", "Shipped", "OrderShipped"},
		{"FailedLoginAttempt", "Failed", "LoginAttemptFailed"},
		{"ResetPassword", "Reset", "PasswordReset"},
		{"SignedUpUser", "Signed", "UserSignedUp"},
		{"UserCreatedNotification", "Created", "UserNotificationCreated"},
		{"failedLoginAttempt", "failed", "loginAttemptFailed"},
		{"failed_login_attempt", "failed", "login_attempt_failed"},
		{"FailedPaymentAttemptEvent", "Failed", "PaymentAttemptFailed"},
		{"CloseOrder", "", ""},
		{"UserLogin", "", ""},
	} {
		ok, participle, rename := eventPastTense(c.name)
		if ok || participle != c.participle || rename != c.rename {
			t.Errorf("eventPastTense(%s) = %v, %q, %q; want false, %q, %q", c.name, ok, participle, rename, c.participle, c.rename)
		}
	}
}

// commandNames are command names with the verdict of W005: past is true
// when the name reads as the past tense, like an event.
var commandNames = []struct {
	name string
	past bool
}{
	{"ShipOrder", false},
	{"PlaceOrder", false},
	{"CancelOrder", false},
	{"RefundPayment", false},
	{"LogIn", false},
	{"CheckOut", false},
	{"SignUp", false},
	{"Unfreeze", false},
	{"Undo", false},
	{"ResetPassword", false},
	{"SplitShipment", false},
	{"ReadMessages", false},
	{"SetUp", false},
	{"MarkPaid", false},
	{"MarkDone", false},
	{"SetArchived", false},
	{"RetryFailed", false},
	{"PurgeExpired", false},
	{"DeleteSelected", false},
	{"ShowCompleted", false},
	{"TurnLeft", false},
	{"FoundCompany", false},
	{"SetLED", false},
	{"ShipToCustomer", false},
	{"MoveToArchive", false},
	{"SkipUnknown", false},
	{"AddSeed", false},
	{"SetSpeed", false},
	{"ProceedToCheckout", false},
	{"OrderClosed", true},
	{"ShippedOrder", true},
	{"PaymentSent", true},
	{"AccountFrozen", true},
	{"AccountUnfrozen", true},
	{"Approved", true},
	{"UserLoggedIn", true},
	{"CheckedOut", true},
	{"SignedUp", true},
	{"ItemAddedToCart", true},
	{"AssignedToUser", true},
	{"GoodsReceived", true},
	{"TaskBegun", true},
	{"SentToBank", true},
	{"ForgotPassword", true},
}

// TestCommandTense checks W005's rule on the table of command names.
func TestCommandTense(t *testing.T) {
	for _, c := range commandNames {
		if got := commandPastTense(c.name); got != c.past {
			t.Errorf("commandPastTense(%s) = %v, want %v", c.name, got, c.past)
		}
	}
}

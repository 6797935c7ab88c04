package goname

import "testing"

func TestExported(t *testing.T) {
	tests := []struct{ in, want string }{
		{"submitted_at", "SubmittedAt"},
		{"node_id", "NodeID"},
		{"nodeId", "NodeID"},
		{"NodeID", "NodeID"},
		{"OrderSubmitted", "OrderSubmitted"},
		{"price_cents", "PriceCents"},
		{"http_url", "HTTPURL"},
		{"sku", "SKU"},
		{"v2_field", "V2Field"},
		{"type", "Type"},
		{"ÉtatFinal", "ÉtatFinal"},
	}
	for _, tt := range tests {
		if got := Exported(tt.in); got != tt.want {
			t.Errorf("Exported(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnexported(t *testing.T) {
	tests := []struct{ in, want string }{
		{"OrderID", "orderID"},
		{"node_id", "nodeID"},
		{"ID", "id"},
		{"type", "type_"},
		{"func", "func_"},
		{"len", "len_"},
		{"items", "items"},
		{"URLPath", "urlPath"},
	}
	for _, tt := range tests {
		if got := Unexported(tt.in); got != tt.want {
			t.Errorf("Unexported(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestProcessBranch(t *testing.T) {
	tests := []struct {
		sends     []string
		withSends bool
		want      string
	}{
		{[]string{"Member.Fine"}, false, "WatchToolReturnedToDone"},
		{nil, true, "WatchToolReturnedToDoneWithNothing"},
		{[]string{"Member.Fine"}, true, "WatchToolReturnedToDoneWithMemberFine"},
		{[]string{"Tool.take_back", "Member.Fine"}, true, "WatchToolReturnedToDoneWithToolTakeBackMemberFine"},
	}
	for _, tt := range tests {
		if got := ProcessBranch("Watch", "ToolReturned", "Done", tt.sends, tt.withSends); got != tt.want {
			t.Errorf("ProcessBranch(%q, %v) = %q, want %q", tt.sends, tt.withSends, got, tt.want)
		}
	}
}

package review

import (
	"testing"

	"github.com/esgen/esgen/runtime/es"
	"github.com/esgen/esgen/runtime/estest"
)

// reviewUnderTest returns the definition the cases below exercise. Pass your
// ReviewDecider (and your Evolver) to NewReviewDefinition.
func reviewUnderTest() es.Definition[ReviewState, ReviewCommand, ReviewEvent] {
	return NewReviewDefinition(nil, nil)
}

// TestReviewEvolveHooks checks your ReviewEvolver (estest.CheckEvolutions):
// every field of an event that review.esm does not drop, and every field of
// the state left that the new state keeps and review.esm does not declare zero
// or replaced (set), must change the state your hook returns, so that no value
// is lost, and each hook must be pure and leave its arguments alone.
func TestReviewEvolveHooks(t *testing.T) {
	estest.CheckEvolutions(t, reviewUnderTest(), ReviewStateName, reviewEvolutions(), true)
}

// Send in Draft moves the Review to Pending, recording SentForReview.
func TestReviewSendFromDraft(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, reviewUnderTest()).
		Given().
		When(Send{}).
		Then(SentForReview{})
}

// Conclude in Pending moves the Review to Accepted, recording Approved.
func TestReviewConcludeToAcceptedWithApprovedFromPending(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, reviewUnderTest()).
		Given(SentForReview{}).
		When(Conclude{}).
		Then(Approved{})
}

// Conclude in Pending moves the Review to Declined, recording Rejected and
// AuthorNotified.
func TestReviewConcludeToDeclinedWithRejectedAuthorNotifiedFromPending(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, reviewUnderTest()).
		Given(SentForReview{}).
		When(Conclude{}).
		Then(Rejected{}, AuthorNotified{})
}

// Conclude in Draft moves the Review to Declined, recording Withdrawn.
func TestReviewConcludeToDeclinedWithWithdrawnFromDraft(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, reviewUnderTest()).
		Given().
		When(Conclude{}).
		Then(Withdrawn{})
}

// Conclude in Pending moves the Review to Declined, recording Withdrawn.
func TestReviewConcludeToDeclinedWithWithdrawnFromPending(t *testing.T) {
	t.Fatal("not written yet: fill in this case and delete this line")
	estest.For(t, reviewUnderTest()).
		Given(SentForReview{}).
		When(Conclude{}).
		Then(Withdrawn{})
}

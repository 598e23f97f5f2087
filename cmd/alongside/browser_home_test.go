package main

import (
	"net/http"
	"os"
	"testing"

	"github.com/alongside-recovery/alongside/internal/browsertest"
)

// TestBrowserHomeNextSteps opens each demo role's home page on a 360 px
// phone (and at 1280 px): it says what to do next for that role, axe-core
// finds nothing, and nothing scrolls sideways. With
// ALONGSIDE_TEST_SCREENSHOTS set, each is kept as a picture.
func TestBrowserHomeNextSteps(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	c := &crawler{base: base, mux: http.NewServeMux(), shots: os.Getenv("ALONGSIDE_TEST_SCREENSHOTS"),
		reached: map[string][]string{}, pages: map[string]int{}}
	says := map[string][]string{
		"person":       {"My crisis plan", "Since you last looked at your plan", "Coming up"},
		"practitioner": {"People you work with", "Since you last looked", "Due", "Your last reflection on a session"},
		"supervisor":   {"People you work with", "Practitioners you supervise"},
		"manager":      {"Services you manage", "Review", "Actions due", "Surveys open"},
		"lead":         {"Your network", "Reviews under way", "Reviews completed in", "Surveys open across the network"},
		"supporter":    {"People you support"},
		"admin":        {"Administration"},
	}
	for _, role := range []string{"person", "practitioner", "supervisor", "manager", "lead", "supporter", "admin"} {
		t.Run(role, func(t *testing.T) {
			ctx := signInTab(t, b, base, accounts, role, 360, 800)
			c.check(t, ctx, role, "/home")
			mainSays(t, ctx, role+"'s home", says[role]...)
		})
	}
}

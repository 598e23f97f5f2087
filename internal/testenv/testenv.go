// Package testenv tells tests which real services the environment provides.
//
// A test that needs PostgreSQL or a browser runs when the environment names
// one (ALONGSIDE_TEST_POSTGRES, ALONGSIDE_TEST_BROWSER). When
// ALONGSIDE_TEST_REQUIRE lists it ("postgres,browser"), a missing one fails
// the test instead of skipping it, so CI cannot pass by skipping.
package testenv

import (
	"os"
	"strings"
	"testing"
)

// Required reports whether ALONGSIDE_TEST_REQUIRE names the given service.
func Required(name string) bool {
	for _, s := range strings.Split(os.Getenv("ALONGSIDE_TEST_REQUIRE"), ",") {
		if strings.TrimSpace(s) == name {
			return true
		}
	}
	return false
}

// Postgres returns the PostgreSQL URL for tests, or skips (or fails, when
// required) the test if none is set.
func Postgres(t testing.TB) string {
	t.Helper()
	return need(t, "postgres", "ALONGSIDE_TEST_POSTGRES")
}

// Browser returns the path of the Chromium binary for tests, or skips (or
// fails, when required) the test if none is set.
func Browser(t testing.TB) string {
	t.Helper()
	return need(t, "browser", "ALONGSIDE_TEST_BROWSER")
}

func need(t testing.TB, name, env string) string {
	t.Helper()
	v := os.Getenv(env)
	if v != "" {
		return v
	}
	if Required(name) {
		t.Fatalf("%s is required (ALONGSIDE_TEST_REQUIRE) but %s is not set", name, env)
	}
	t.Skipf("%s not set: skipping %s test", env, name)
	return ""
}

// PostgresURL returns ALONGSIDE_TEST_POSTGRES without judging its absence.
func PostgresURL() string { return os.Getenv("ALONGSIDE_TEST_POSTGRES") }

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// printBreakdown times, one call at a time on one goroutine, each store call
// GET /home makes for the benchmark's practitioner (web/session.go
// authenticate, then web/home.go), and then whole requests to both pages on
// one connection. Unloaded times do not add up to loaded ones, but they show
// which steps dominate and how much of a request is outside the database.
func printBreakdown(ctx context.Context, out io.Writer, s *sqlstore.Store, userID int64, token, realURL, bareURL, cookie string) error {
	ms, err := s.MembershipsOf(ctx, userID)
	if err != nil {
		return err
	}
	orgID := ms[0].OrgID
	policy := alongside.DefaultSessionPolicy
	steps := []struct {
		name string
		fn   func() error
	}{
		{"Session (cookie → session row)", func() error { _, err := s.Session(ctx, token, policy); return err }},
		{"Actor (user, memberships, relationships)", func() error { _, err := s.Actor(ctx, userID); return err }},
		{"  of which User", func() error { _, err := s.User(ctx, userID); return err }},
		{"  of which MembershipsOf", func() error { _, err := s.MembershipsOf(ctx, userID); return err }},
		{"Organisation (staff second-factor check)", func() error { _, err := s.Organisation(ctx, orgID); return err }},
		{"AllocationsOfPractitioner (the table)", func() error { _, err := s.AllocationsOfPractitioner(ctx, userID); return err }},
		{"SupervisorsOf", func() error { _, err := s.SupervisorsOf(ctx, userID); return err }},
		{"Supervisees", func() error { _, err := s.Supervisees(ctx, userID); return err }},
	}
	fmt.Fprintln(out, "\nBreakdown: each step alone, one goroutine, no other load (mean of repeated calls):")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| step | mean |")
	fmt.Fprintln(out, "|---|---:|")
	var storeTotal time.Duration
	for _, st := range steps {
		d, err := meanOf(ctx, st.fn)
		if err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		if st.name[0] != ' ' {
			storeTotal += d
		}
		fmt.Fprintf(out, "| %s | %s |\n", st.name, us(d))
	}
	fmt.Fprintf(out, "| **store calls per request, total** | **%s** |\n", us(storeTotal))

	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(url string) func() error {
		return func() error {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return err
			}
			req.Header.Set("Cookie", cookie)
			resp, err := c.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("status %d", resp.StatusCode)
			}
			return nil
		}
	}
	real, err := meanOf(ctx, get(realURL))
	if err != nil {
		return err
	}
	bare, err := meanOf(ctx, get(bareURL))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "| GET /home, whole request on one keep-alive connection | %s |\n", us(real))
	fmt.Fprintf(out, "| bare page, whole request on one keep-alive connection | %s |\n", us(bare))
	fmt.Fprintf(out, "| GET /home minus bare minus store calls (middleware, authz, nav, template) | %s |\n", us(real-bare-storeTotal))
	return nil
}

// meanOf calls fn repeatedly for about half a second, after a short
// warm-up, and returns the mean time per call.
func meanOf(ctx context.Context, fn func() error) (time.Duration, error) {
	for range 50 {
		if err := fn(); err != nil {
			return 0, err
		}
	}
	n, start := 0, time.Now()
	for time.Since(start) < 500*time.Millisecond && ctx.Err() == nil {
		if err := fn(); err != nil {
			return 0, err
		}
		n++
	}
	return time.Since(start) / time.Duration(max(n, 1)), ctx.Err()
}

func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond)) }

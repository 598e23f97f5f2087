package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/bench/internal/loadtest"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// cost is what one call took on average: wall time, this process's CPU
// time, and the PostgreSQL server's CPU time (zero for SQLite).
type cost struct{ wall, cpu, server time.Duration }

func (c cost) add(d cost) cost { return cost{c.wall + d.wall, c.cpu + d.cpu, c.server + d.server} }
func (c cost) sub(d cost) cost { return cost{c.wall - d.wall, c.cpu - d.cpu, c.server - d.server} }

// printBreakdown times, one call at a time on one goroutine, each store call
// GET /home makes for the benchmark's practitioner (web/session.go
// authenticate, then web/home.go), and then whole requests to both pages on
// one connection. Unloaded times do not add up exactly to loaded ones, but
// they show which steps dominate, what each costs the database server, and
// how much of a request is spent outside the store.
func printBreakdown(ctx context.Context, out io.Writer, each time.Duration, db *loadtest.Database, userID int64, token, realURL, bareURL, cookie string) error {
	s := db.Store
	policy := alongside.DefaultSessionPolicy
	steps := []struct {
		name string
		fn   func() error
	}{
		{"SessionActor (cookie → session, user, roles and relationships, with the names the page lists)", func() error {
			_, _, err := s.Sessions.SessionActor(ctx, token, policy)
			return err
		}},
		{"SupporterRequests (invitations to support someone)", func() error {
			_, err := s.Links.SupporterRequests(ctx, userID)
			return err
		}},
		{"RoleRequests (roles offered by other organisations)", func() error {
			_, err := s.Accounts.RoleRequests(ctx, userID)
			return err
		}},
		{"NextSteps (each person's plan news and what is due; the practitioner's reflections)", func() error {
			_, err := s.Plans.NextSteps(ctx, userID, sqlstore.HomeParts{Allocated: true}, s.Clock.Now())
			return err
		}},
	}
	fmt.Fprintf(out, "\nBreakdown: each step alone, one goroutine, no other load (mean of repeated calls for %v each):\n\n", each)
	fmt.Fprintln(out, "| step | wall time | CPU, this process | CPU, PostgreSQL server |")
	fmt.Fprintln(out, "|---|---:|---:|---:|")
	row := func(name string, c cost) {
		server := "–"
		if db.ServerCPU != nil {
			server = us(c.server)
		}
		fmt.Fprintf(out, "| %s | %s | %s | %s |\n", name, us(c.wall), us(c.cpu), server)
	}
	var store cost
	for _, st := range steps {
		c, err := meanOf(ctx, each, db, st.fn)
		if err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		if st.name[0] != ' ' {
			store = store.add(c)
		}
		row(st.name, c)
	}
	queries := fmt.Sprintf("%d queries", len(steps))
	if len(steps) == 1 {
		queries = "one query"
	}
	row("**store calls per request ("+queries+"), total**", store)

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
	real, err := meanOf(ctx, each, db, get(realURL))
	if err != nil {
		return err
	}
	bare, err := meanOf(ctx, each, db, get(bareURL))
	if err != nil {
		return err
	}
	row("GET /home, whole request on one keep-alive connection (client included)", real)
	row("bare page, whole request on one keep-alive connection (client included)", bare)
	// Not a measurement of its own: the rest of the request (middleware,
	// authz, navigation, the larger template) plus, on PostgreSQL, the
	// wake-ups between eight round trips that the per-step loops hide.
	row("remainder: GET /home − bare page − store calls", real.sub(bare).sub(store))
	return nil
}

// meanOf calls fn repeatedly for about d, after a short warm-up, and
// returns its mean cost per call.
func meanOf(ctx context.Context, d time.Duration, db *loadtest.Database, fn func() error) (cost, error) {
	for range 50 {
		if err := fn(); err != nil {
			return cost{}, err
		}
	}
	n, start, cpu0, server0 := 0, time.Now(), loadtest.ProcessCPU(), db.CPUNow()
	for time.Since(start) < d && ctx.Err() == nil {
		if err := fn(); err != nil {
			return cost{}, err
		}
		n++
	}
	n = max(n, 1)
	per := func(t time.Duration) time.Duration { return t / time.Duration(n) }
	return cost{per(time.Since(start)), per(loadtest.ProcessCPU() - cpu0), per(db.CPUNow() - server0)}, ctx.Err()
}

var us = loadtest.US

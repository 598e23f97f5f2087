package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"text/tabwriter"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/demo"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// seedDemo fills an empty database with demo data and prints the accounts.
func seedDemo(ctx context.Context, s *sqlstore.Store, password string, env Env) error {
	orgs, err := s.Organisations.Organisations(ctx)
	if err != nil {
		return err
	}
	if len(orgs) > 0 {
		return fmt.Errorf("the demo needs an empty database, and this one already has data: leave out --db for a fresh temporary one")
	}
	if password == "" {
		password = readablePassword()
	} else if err := auth.CheckPasswordPolicy(password); err != nil {
		return fmt.Errorf("--demo-password: %v", err)
	}
	// One hash for every demo account keeps start-up within a second or two.
	hash, err := auth.HashPassword(auth.DefaultParams, password)
	if err != nil {
		return err
	}
	ctx = alongside.WithOrigin(ctx, alongside.Origin{ActorEmail: "demo-setup"})
	accounts, err := demo.Seed(ctx, s, hash)
	if err != nil {
		return fmt.Errorf("filling the demo database: %v", err)
	}
	// Administrators always use two-step sign-in, in the demo too: theirs
	// is on from the start, with a key printed to add to an authenticator app.
	secret := auth.NewTOTPSecret()
	for _, a := range accounts {
		if a.Role != "admin" {
			continue
		}
		u, err := s.Accounts.UserByEmail(ctx, a.Email)
		if err != nil {
			return err
		}
		if err := s.Sessions.EnableTOTP(ctx, u.ID, secret, 0, nil); err != nil {
			return fmt.Errorf("turning on two-step sign-in for the demo administrator: %v", err)
		}
	}
	fmt.Fprintf(env.Stdout, "Demo data is ready. Every demo account's password is: %s\n", password)
	fmt.Fprintf(env.Stdout, "The admin account also asks for a code: add this key to an authenticator app: %s\n", secret)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	for _, a := range accounts {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Role, a.Email, a.Service)
	}
	return tw.Flush()
}

// readablePassword makes a random password that is easy to type from a
// terminal: four groups of lower-case letters and digits.
func readablePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 0, 19)
	for i := 0; i < 16; i++ {
		if i > 0 && i%4 == 0 {
			b = append(b, '-')
		}
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b = append(b, alphabet[n.Int64()])
	}
	return string(b)
}

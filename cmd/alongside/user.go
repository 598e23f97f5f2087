package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/sqlstore"
)

const userUsage = `Usage: alongside user SUBCOMMAND [flags]

Subcommands:
  create           create a user (for example the first system administrator)
  reset-password   make a one-time link for a user to choose a new password
  disable          disable a user and sign them out everywhere
  two-step-off     turn off a user's two-step sign-in (a lost phone, or a server key lost
                   with a restore); an administrator sets it up again when next signing in
`

// cliOrigin names the command line in the audit log.
func cliOrigin(ctx context.Context) context.Context {
	return alongside.WithOrigin(ctx, alongside.Origin{ActorEmail: "command-line"})
}

func cmdUser(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(env.Stdout, userUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	ctx = cliOrigin(ctx)
	switch args[0] {
	case "create":
		return cmdUserCreate(ctx, args[1:], env)
	case "reset-password":
		return cmdUserReset(ctx, args[1:], env)
	case "disable":
		return cmdUserDisable(ctx, args[1:], env)
	case "two-step-off":
		return cmdUserTwoStepOff(ctx, args[1:], env)
	}
	return fmt.Errorf("unknown user subcommand %q (run \"alongside user --help\")", args[0])
}

func baseURLFlag(fs *flag.FlagSet, env Env) *string {
	return fs.String("base-url", setting(env, "ALONGSIDE_BASE_URL", "http://127.0.0.1:8080"), "public address of the site, for the printed link (env ALONGSIDE_BASE_URL)")
}

func cmdUserCreate(ctx context.Context, args []string, env Env) error {
	fs := newFlags("user create", "Creates a user. Without --password-stdin, prints a one-time link for them to choose a password.", env)
	db := dbFlag(fs, env, "sqlite:alongside.db")
	email := fs.String("email", "", "their email address, used to sign in (required)")
	name := fs.String("name", "", "their full name (required)")
	sysadmin := fs.Bool("system-admin", false, "make them a system administrator (creates organisations)")
	org := fs.Int64("org", 0, "organisation id, for an organisation role")
	role := fs.String("role", "", "role: org_admin, network_lead, service_manager, practitioner or person")
	service := fs.Int64("service", 0, "service id, for a service role")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	base := baseURLFlag(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	u := &alongside.User{Email: *email, Name: *name}
	if err := u.Validate(); err != nil {
		return fieldsError(err)
	}
	var roles []alongside.Membership
	if *sysadmin {
		roles = append(roles, alongside.Membership{Role: alongside.RoleSystemAdmin})
	}
	if *role != "" {
		r := alongside.Role(*role)
		if !r.Valid() || r == alongside.RoleSystemAdmin {
			return fmt.Errorf("--role %q: use org_admin, network_lead, service_manager, practitioner or person (or --system-admin)", *role)
		}
		roles = append(roles, alongside.Membership{Role: r, OrgID: *org, ServiceID: *service})
	}
	if *pwStdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("--password-stdin: no password on standard input")
		}
		pw := strings.TrimRight(line, "\r\n")
		if err := auth.CheckPasswordPolicy(pw); err != nil {
			return err
		}
		if u.PasswordHash, err = auth.HashPassword(auth.DefaultParams, pw); err != nil {
			return err
		}
	}
	s, err := sqlstore.OpenMigrated(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Accounts.CreateUser(ctx, u, roles...); err != nil {
		return fieldsError(err)
	}
	if u.HasPassword() {
		fmt.Fprintf(env.Stdout, "Created %s (%s). They can sign in now.\n", u.Name, u.Email)
		return nil
	}
	return printLink(ctx, s, env, alongside.LinkInvite, u, *base, "Created "+u.Name+". Give them this link to choose a password")
}

func printLink(ctx context.Context, s *sqlstore.Store, env Env, purpose alongside.LinkPurpose, u *alongside.User, base, intro string) error {
	token, err := s.Links.IssueLink(ctx, purpose, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s (it works once, for 7 days):\n%s/links/%s\n", intro, strings.TrimRight(base, "/"), token)
	return nil
}

func cmdUserReset(ctx context.Context, args []string, env Env) error {
	fs := newFlags("user reset-password", "Prints a one-time link for the user to choose a new password. Older links stop working.", env)
	db := dbFlag(fs, env, "sqlite:alongside.db")
	email := fs.String("email", "", "the user's email address (required)")
	base := baseURLFlag(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, u, err := openUser(ctx, *db, *email)
	if err != nil {
		return err
	}
	defer s.Close()
	return printLink(ctx, s, env, alongside.LinkReset, u, *base, "Give "+u.Name+" this link to choose a new password")
}

func cmdUserDisable(ctx context.Context, args []string, env Env) error {
	return changeUser(ctx, args, env, "user disable", "Disables a user and signs them out everywhere. What they wrote is kept.",
		func(s *sqlstore.Store, u *alongside.User) (string, error) {
			return "Disabled %s (%s) and signed them out everywhere.\n", s.Accounts.SetDisabled(ctx, u.ID, true)
		})
}

// changeUser runs a subcommand that changes one user, found by --email,
// and prints done (a format taking their name and email) when it worked.
func changeUser(ctx context.Context, args []string, env Env, name, summary string, change func(*sqlstore.Store, *alongside.User) (done string, err error)) error {
	fs := newFlags(name, summary, env)
	db := dbFlag(fs, env, "sqlite:alongside.db")
	email := fs.String("email", "", "the user's email address (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, u, err := openUser(ctx, *db, *email)
	if err != nil {
		return err
	}
	defer s.Close()
	done, err := change(s, u)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, done, u.Name, u.Email)
	return nil
}

func openUser(ctx context.Context, dsn, email string) (*sqlstore.Store, *alongside.User, error) {
	if email == "" {
		return nil, nil, fmt.Errorf("--email is required")
	}
	s, err := sqlstore.OpenMigrated(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.Accounts.UserByEmail(ctx, email)
	if err != nil {
		s.Close()
		return nil, nil, fmt.Errorf("no user with the email address %s", alongside.NormaliseEmail(email))
	}
	return s, u, nil
}

// fieldsError turns a domain error's field messages into one line.
func fieldsError(err error) error {
	if alongside.ErrorCode(err) == alongside.EINTERNAL {
		return err
	}
	f := alongside.FieldErrors(err)
	if len(f) == 0 {
		return fmt.Errorf("%s", alongside.ErrorMessage(err))
	}
	var parts []string
	for _, k := range []string{"name", "email", "role", "org", "service"} {
		if m, ok := f[k]; ok {
			parts = append(parts, "--"+k+": "+m)
		}
	}
	return fmt.Errorf("%s", strings.Join(parts, " "))
}

func cmdUserTwoStepOff(ctx context.Context, args []string, env Env) error {
	return changeUser(ctx, args, env, "user two-step-off", "Turns off a user's two-step sign-in and removes their recovery codes, so they can sign in with their password and set it up again.",
		func(s *sqlstore.Store, u *alongside.User) (string, error) {
			return "Turned off two-step sign-in for %s (%s). They sign in with their password and set it up again.\n", s.Sessions.DisableTOTP(ctx, u.ID)
		})
}

package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/alongside-recovery/alongside/serverkey"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// keyFlag adds --key-file, defaulting from ALONGSIDE_KEY_FILE.
func keyFlag(fs *flag.FlagSet, env Env) *string {
	return fs.String("key-file", setting(env, "ALONGSIDE_KEY_FILE", ""),
		"file holding the server key (base64 of 32 random bytes, mode 0600); or give the key itself in ALONGSIDE_KEY. "+
			"Default for SQLite: the database's path with .key added, made on first start; PostgreSQL needs one (env ALONGSIDE_KEY_FILE)")
}

// serverKey finds the server key: ALONGSIDE_KEY, or the key file. For
// SQLite a missing file beside the database is made, as one server owns the
// database; several PostgreSQL servers must share one key, so a missing key
// is an error rather than a fresh key that the others would not know.
func serverKey(env Env, keyFile, dsn string, stdout func(string)) (serverkey.Key, error) {
	engine, path, err := sqlstore.ParseDSN(dsn)
	if err != nil {
		return serverkey.Key{}, err
	}
	if raw := env.Getenv("ALONGSIDE_KEY"); raw != "" {
		if keyFile != "" {
			return serverkey.Key{}, fmt.Errorf("the server key is given twice, in ALONGSIDE_KEY and as a key file: give one")
		}
		k, err := serverkey.Parse(raw)
		if err != nil {
			return k, fmt.Errorf("ALONGSIDE_KEY: %v", err)
		}
		return k, nil
	}
	if keyFile == "" && engine == "postgres" {
		return serverkey.Key{}, fmt.Errorf("PostgreSQL needs a server key that every server shares: make one with \"alongside key new\" and give it in ALONGSIDE_KEY, or in a file (mode 0600) named by --key-file or ALONGSIDE_KEY_FILE")
	}
	if keyFile == "" {
		keyFile = path + ".key"
	}
	if engine == "postgres" {
		return serverkey.LoadFile(keyFile)
	}
	k, created, err := serverkey.LoadOrCreateFile(keyFile)
	if created {
		stdout(fmt.Sprintf("Made a new server key in %s. Keep it with your backups: without it, nobody's two-step sign-in works.", keyFile))
	}
	return k, err
}

const keyUsage = `Usage: alongside key SUBCOMMAND [flags]

Subcommands:
  new      print a new server key, for ALONGSIDE_KEY or a key file
  rotate   re-seal every two-step sign-in secret from an old key to a new one
`

func cmdKey(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(env.Stdout, keyUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "new":
		fmt.Fprintln(env.Stdout, serverkey.New().Encode())
		return nil
	case "rotate":
		return cmdKeyRotate(cliOrigin(ctx), args[1:], env)
	}
	return fmt.Errorf("unknown key subcommand %q (run \"alongside key --help\")", args[0])
}

func cmdKeyRotate(ctx context.Context, args []string, env Env) error {
	fs := newFlags("key rotate", "Re-seals every two-step sign-in secret, in one transaction, from the old server key to the new one.\n"+
		"Stop the servers first; then start them with the new key.", env)
	db := dbFlag(fs, env, "sqlite:alongside.db")
	oldFile := fs.String("old-key-file", "", "file holding the key in use now (default for SQLite: the database's path with .key added)")
	newFile := fs.String("new-key-file", "", "file holding the new key; made with a fresh key if it does not exist (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	engine, path, err := sqlstore.ParseDSN(*db)
	if err != nil {
		return err
	}
	if *newFile == "" {
		return fmt.Errorf("--new-key-file is required")
	}
	if *oldFile == "" {
		if engine != "sqlite" {
			return fmt.Errorf("--old-key-file is required for PostgreSQL")
		}
		*oldFile = path + ".key"
	}
	old, err := serverkey.LoadFile(*oldFile)
	if err != nil {
		return err
	}
	next, _, err := serverkey.LoadOrCreateFile(*newFile)
	if err != nil {
		return err
	}
	// A server using the old key would not read what this writes.
	unlock, err := lockDatabase(*db, true)
	if err != nil {
		return fmt.Errorf("stop the servers before rotating the key: %v", err)
	}
	defer unlock()
	s, err := sqlstore.OpenMigrated(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Accounts.RotateKey(ctx, old, next)
	if err != nil {
		return fmt.Errorf("nothing was changed: %v", err)
	}
	fmt.Fprintf(env.Stdout, "Re-sealed %d two-step sign-in secret(s) with the key in %s. Start the servers with that key now", n, *newFile)
	if engine == "sqlite" && *oldFile == path+".key" {
		fmt.Fprintf(env.Stdout, " (move it to %s)", *oldFile)
	}
	fmt.Fprintln(env.Stdout, ".")
	return nil
}

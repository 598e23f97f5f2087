package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/internal/testenv"
	"github.com/alongside-recovery/alongside/serverkey"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// newKeyFile writes a fresh server key to a private file and returns its path.
func newKeyFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "server.key")
	if err := serverkey.WriteFile(path, serverkey.New()); err != nil {
		t.Fatal(err)
	}
	return path
}

// storedTOTPSecret reads what a SQLite database holds as the user's secret.
func storedTOTPSecret(t *testing.T, path, email string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var secret string
	if err := db.QueryRow("SELECT totp_secret FROM users WHERE email = $1", email).Scan(&secret); err != nil {
		t.Fatal(err)
	}
	return secret
}

const oldPlainSecret = "JBSWY3DPEHPK3PXPJBSWY3DP"

func TestSQLiteServerKeyIsMadeOnceBesideTheDatabase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	dsn := "sqlite:" + path
	// An account with a secret stored in plain text, as before secrets were sealed.
	if code, _, errOut := run(t, "a long password here\n", "user", "create", "--db", dsn, "--email", "pat@example.org", "--name", "Pat", "--password-stdin"); code != 0 {
		t.Fatal(errOut)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE users SET totp_secret = $1, totp_enabled = TRUE", oldPlainSecret); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s := start(t, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	if !strings.Contains(s.stdout.String(), "Made a new server key in "+path+".key") {
		t.Fatalf("first start did not say it made a key: %q", s.stdout.String())
	}
	s.stop()
	info, err := os.Stat(path + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", info.Mode().Perm())
	}
	first, _ := os.ReadFile(path + ".key")
	if stored := storedTOTPSecret(t, path, "pat@example.org"); strings.Contains(stored, oldPlainSecret) || !serverkey.IsSealed(stored) {
		t.Fatalf("after start the secret is stored as %q", stored)
	}

	s = start(t, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	s.stop()
	if again, _ := os.ReadFile(path + ".key"); string(again) != string(first) || strings.Contains(s.stdout.String(), "Made a new") {
		t.Fatal("the second start made another key")
	}

	os.Chmod(path+".key", 0o644)
	if code, _, errOut := run(t, "", "serve", "--addr", "127.0.0.1:0", "--db", dsn); code != 1 || !strings.Contains(errOut, "chmod 600") {
		t.Fatalf("a key file others can read: %d %q", code, errOut)
	}
	os.Chmod(path+".key", 0o600)
	os.WriteFile(path+".key", []byte("dG9vIHNob3J0\n"), 0o600)
	if code, _, errOut := run(t, "", "serve", "--addr", "127.0.0.1:0", "--db", dsn); code != 1 || !strings.Contains(errOut, "exactly 32") {
		t.Fatalf("a key of the wrong size: %d %q", code, errOut)
	}
}

func TestPostgresRefusesToStartWithoutAKey(t *testing.T) {
	if testenv.PostgresURL() == "" && !testenv.Required("postgres") {
		t.Log("PostgreSQL is not configured: ALONGSIDE_TEST_POSTGRES is not set")
		return
	}
	dsn := testdb.DSN(t, "postgres")
	code, _, errOut := run(t, "", "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	if code != 1 || !strings.Contains(errOut, "PostgreSQL needs a server key that every server shares") {
		t.Fatalf("postgres without a key: %d %q", code, errOut)
	}
	// With the key in the environment, it starts.
	key := serverkey.New().Encode()
	var out, errb syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}, Env{Stdout: &out, Stderr: &errb,
			Getenv: func(k string) string {
				if k == "ALONGSIDE_KEY" {
					return key
				}
				return ""
			}, Ready: func(a string) { ready <- a }})
	}()
	select {
	case <-ready:
		cancel()
		<-done
	case code := <-done:
		cancel()
		t.Fatalf("with ALONGSIDE_KEY: exit %d: %s", code, errb.String())
	}
}

func TestKeyRotateReSealsSecrets(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	dsn := "sqlite:" + path
	if code, _, errOut := run(t, "a long password here\n", "user", "create", "--db", dsn, "--email", "pat@example.org", "--name", "Pat", "--password-stdin"); code != 0 {
		t.Fatal(errOut)
	}
	old := turnOnTwoStep(t, dsn, path+".key", "pat@example.org")

	// The wrong old key changes nothing.
	if code, _, errOut := run(t, "", "key", "rotate", "--db", dsn, "--old-key-file", newKeyFile(t), "--new-key-file", filepath.Join(dir, "new.key")); code != 1 || !strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("rotate from the wrong key: %d %q", code, errOut)
	}
	if serverkey.SealedBy(storedTOTPSecret(t, path, "pat@example.org")) != old.ID() {
		t.Fatal("a refused rotation changed the secret")
	}
	// Not while a server runs on the database.
	srv := start(t, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	if code, _, errOut := run(t, "", "key", "rotate", "--db", dsn, "--new-key-file", filepath.Join(dir, "new.key")); code != 1 || !strings.Contains(errOut, "stop the servers") {
		t.Fatalf("rotate under a server: %d %q", code, errOut)
	}
	srv.stop()

	code, out, errOut := run(t, "", "key", "rotate", "--db", dsn, "--new-key-file", filepath.Join(dir, "new.key"))
	if code != 0 || !strings.Contains(out, "Re-sealed 1 two-step sign-in secret") {
		t.Fatalf("rotate: %d %q %q", code, out, errOut)
	}
	next, err := serverkey.LoadFile(filepath.Join(dir, "new.key"))
	if err != nil {
		t.Fatal(err)
	}
	stored := storedTOTPSecret(t, path, "pat@example.org")
	if serverkey.SealedBy(stored) != next.ID() {
		t.Fatalf("after rotation the secret is sealed by %q, want the new key", serverkey.SealedBy(stored))
	}
	s, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Key = &next
	u, _ := s.Accounts.UserByEmail(context.Background(), "pat@example.org")
	if secret, err := s.Accounts.TOTPSecret(u); err != nil || secret != oldPlainSecret {
		t.Fatalf("with the new key the secret opens as %q, %v", secret, err)
	}
}

// An administrator who restored a database without its key (or whose
// phone is lost) can turn two-step sign-in off for an account from the
// command line; the account keeps its password and is asked to set it up
// again.
func TestUserTwoStepOffAfterTheKeyIsLost(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	dsn := "sqlite:" + path
	if code, _, errOut := run(t, "a long password here\n", "user", "create", "--db", dsn, "--email", "pat@example.org", "--name", "Pat", "--password-stdin"); code != 0 {
		t.Fatal(errOut)
	}
	turnOnTwoStep(t, dsn, filepath.Join(dir, "lost.key"), "pat@example.org")

	code, out, errOut := run(t, "", "user", "two-step-off", "--db", dsn, "--email", "pat@example.org")
	if code != 0 || !strings.Contains(out, "Turned off two-step sign-in for Pat") {
		t.Fatalf("two-step-off: %d %q %q", code, out, errOut)
	}
	s, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.Accounts.UserByEmail(context.Background(), "pat@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if u.TOTPEnabled || u.TOTPSecret != "" || !u.HasPassword() {
		t.Fatalf("after two-step-off: enabled %v, secret kept %v, password kept %v", u.TOTPEnabled, u.TOTPSecret != "", u.HasPassword())
	}
	if code, _, errOut := run(t, "", "user", "two-step-off", "--db", dsn, "--email", "ghost@example.org"); code != 1 || !strings.Contains(errOut, "no user") {
		t.Fatalf("two-step-off unknown: %d %q", code, errOut)
	}
}

// turnOnTwoStep turns on two-step sign-in for the account with email,
// sealing its secret with the key in keyFile (made if missing), and
// returns that key.
func turnOnTwoStep(t *testing.T, dsn, keyFile, email string) serverkey.Key {
	t.Helper()
	key, _, err := serverkey.LoadOrCreateFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Key = &key
	u, err := s.Accounts.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Sessions.EnableTOTP(context.Background(), u.ID, oldPlainSecret, 1, nil); err != nil {
		t.Fatal(err)
	}
	return key
}

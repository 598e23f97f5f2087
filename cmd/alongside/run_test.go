package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/internal/testenv"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// syncBuffer is a buffer safe to read while the command writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run runs a command to completion.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb syncBuffer
	code = Run(context.Background(), args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

// server is a command running in the background until the test ends.
type server struct {
	addr   string
	stdout *syncBuffer
	stop   func() int
}

func start(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	s := &server{stdout: &syncBuffer{}}
	errb := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, args, Env{Stdout: s.stdout, Stderr: errb, Getenv: func(string) string { return "" }, Ready: func(a string) { ready <- a }})
	}()
	select {
	case s.addr = <-ready:
	case code := <-done:
		cancel()
		t.Fatalf("%v exited with %d: %s", args, code, errb.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("%v did not become ready", args)
	}
	var once sync.Once
	var code int
	s.stop = func() int {
		once.Do(func() { cancel(); code = <-done })
		return code
	}
	t.Cleanup(func() { s.stop() })
	return s
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"demo", "--help"}, {"migrate", "--help"}, {"user", "--help"},
		{"user", "create", "--help"}, {"user", "reset-password", "--help"}, {"user", "disable", "--help"}, {"user", "two-step-off", "--help"},
		{"backup", "--help"}, {"restore", "--help"}, {"key", "--help"}, {"key", "rotate", "--help"},
	} {
		code, out, errOut := run(t, "", args...)
		if code != 0 || !strings.Contains(out+errOut, "Usage: alongside") {
			t.Errorf("%v: exit %d, output %q", args, code, out+errOut)
		}
	}
	if code, out, _ := run(t, "", "version"); code != 0 || !strings.HasPrefix(out, "alongside ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, errOut := run(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
}

// TestBadStartUpInput checks that each mistake an administrator can make at
// start-up gives one clear line and a non-zero exit.
func TestBadStartUpInput(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown scheme", []string{"serve", "--addr", "127.0.0.1:0", "--db", "mysql://db/alongside"}, "use sqlite:PATH or a postgres:// URL"},
		{"malformed postgres url", []string{"serve", "--addr", "127.0.0.1:0", "--db", "postgres://user@host:notaport/db"}, "PostgreSQL URL is malformed"},
		{"postgres unreachable", []string{"serve", "--addr", "127.0.0.1:0", "--db", "postgres://nobody@127.0.0.1:1/alongside?connect_timeout=2"}, "cannot reach PostgreSQL at 127.0.0.1:1"},
		{"missing folder", []string{"serve", "--addr", "127.0.0.1:0", "--db", "sqlite:" + dir + "/no/such/folder/a.db"}, "does not exist"},
		{"unwritable path", []string{"serve", "--addr", "127.0.0.1:0", "--db", "sqlite:/proc/alongside.db"}, "/proc/alongside.db"},
		{"port in use", []string{"serve", "--addr", busy.Addr().String(), "--db", "sqlite:" + dir + "/a.db"}, "already in use"},
		{"bad proxy list", []string{"serve", "--trusted-proxies", "10.0.0.0/99"}, "--trusted-proxies"},
		{"bad flag", []string{"serve", "--nonsense"}, "flag provided but not defined"},
		{"unknown time zone", []string{"serve", "--timezone", "Europe/Londn"}, `time zone "Europe/Londn" is not one Alongside knows`},
		{"local time zone", []string{"demo", "--timezone", "Local"}, "--timezone"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := run(t, "", tc.args...)
			if code == 0 {
				t.Fatalf("exit 0, want failure")
			}
			if !strings.Contains(errOut, tc.want) {
				t.Fatalf("stderr %q does not say %q", errOut, tc.want)
			}
			if tc.name != "bad flag" && strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Fatalf("more than one line: %q", errOut)
			}
		})
	}
}

func TestRefusesNewerDatabase(t *testing.T) {
	dsn := "sqlite:" + t.TempDir() + "/a.db"
	if code, _, errOut := run(t, "", "migrate", "--db", dsn); code != 0 {
		t.Fatal(errOut)
	}
	if code, out, _ := run(t, "", "migrate", "--db", dsn); code != 0 || !strings.Contains(out, "Applied 0 migration") {
		t.Fatalf("second migrate: %d %q", code, out)
	}
	db, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)")
	db.Close()
	code, _, errOut := run(t, "", "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	if code != 1 || !strings.Contains(errOut, "newer version of Alongside") {
		t.Fatalf("serve on a newer database: %d %q", code, errOut)
	}
}

func TestServeOnBothDatabases(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := testdb.DSN(t, engine)
			// Two app servers on one database, as behind a load balancer
			// (PostgreSQL) — for SQLite, one.
			args := []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}
			if engine == "postgres" {
				args = append(args, "--key-file", newKeyFile(t)) // one key, shared
			}
			a := start(t, args...)
			servers := []*server{a}
			if engine == "postgres" {
				servers = append(servers, start(t, args...))
			}
			for _, s := range servers {
				res, err := http.Get("http://" + s.addr + "/readyz")
				if err != nil || res.StatusCode != 200 {
					t.Fatalf("readyz: %v %v", res, err)
				}
				res.Body.Close()
				if !strings.Contains(s.stdout.String(), "is running at http://"+s.addr) {
					t.Fatalf("start-up line missing: %q", s.stdout.String())
				}
			}
			// A session made on one server works on the others: sessions
			// live in the database.
			if code, _, errOut := run(t, "a long password here\n", "user", "create", "--db", dsn, "--email", "pat@example.org", "--name", "Pat", "--password-stdin"); code != 0 {
				t.Fatal(errOut)
			}
			noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			req, _ := http.NewRequest(http.MethodPost, "http://"+a.addr+"/login", strings.NewReader("email=pat%40example.org&password=a+long+password+here"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := noRedirect.Do(req)
			if err != nil || res.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign in on the first server: %v %v", res, err)
			}
			res.Body.Close()
			cookies := res.Cookies()
			for _, s := range servers {
				req, _ := http.NewRequest(http.MethodGet, "http://"+s.addr+"/home", nil)
				for _, c := range cookies {
					req.AddCookie(c)
				}
				res, err := noRedirect.Do(req)
				if err != nil || res.StatusCode != http.StatusOK {
					t.Fatalf("home on server %s with the first server's session: %v %v", s.addr, res, err)
				}
				res.Body.Close()
			}
			for _, s := range servers {
				if code := s.stop(); code != 0 {
					t.Fatalf("shutdown exit %d", code)
				}
			}
		})
	}
}

func TestUserCommands(t *testing.T) {
	dsn := "sqlite:" + t.TempDir() + "/a.db"
	code, out, errOut := run(t, "a long admin password\n", "user", "create", "--db", dsn, "--email", "Root@Example.org", "--name", "Rowan Root", "--system-admin", "--password-stdin")
	if code != 0 || !strings.Contains(out, "They can sign in now") {
		t.Fatalf("create with password: %d %q %q", code, out, errOut)
	}
	code, out, _ = run(t, "", "user", "create", "--db", dsn, "--email", "new@example.org", "--name", "Nia New", "--base-url", "https://alongside.example.org")
	if code != 0 || !regexp.MustCompile(`https://alongside.example.org/links/[A-Za-z0-9_-]{20,}`).MatchString(out) {
		t.Fatalf("create with link: %d %q", code, out)
	}
	if code, _, errOut := run(t, "", "user", "create", "--db", dsn, "--email", "root@example.org", "--name", "Again"); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("duplicate: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "short\n", "user", "create", "--db", dsn, "--email", "x@example.org", "--name", "X", "--password-stdin"); code != 1 || !strings.Contains(errOut, "10 characters") {
		t.Fatalf("short password: %d %q", code, errOut)
	}
	if code, out, _ := run(t, "", "user", "reset-password", "--db", dsn, "--email", "root@example.org"); code != 0 || !strings.Contains(out, "/links/") {
		t.Fatalf("reset-password: %d %q", code, out)
	}
	if code, out, _ := run(t, "", "user", "disable", "--db", dsn, "--email", "root@example.org"); code != 0 || !strings.Contains(out, "Disabled Rowan Root") {
		t.Fatalf("disable: %d %q", code, out)
	}
	if code, _, errOut := run(t, "", "user", "disable", "--db", dsn, "--email", "ghost@example.org"); code != 1 || !strings.Contains(errOut, "no user") {
		t.Fatalf("disable unknown: %d %q", code, errOut)
	}
}

// TestBackupWhileServingAndRestore takes a backup from a database a server
// is using, refuses to restore under the running server, and restores once
// it has stopped.
func TestBackupWhileServingAndRestore(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + dir + "/live.db"
	s := start(t, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	if code, _, errOut := run(t, "", "user", "create", "--db", dsn, "--email", "kept@example.org", "--name", "Kept Person"); code != 0 {
		t.Fatal(errOut)
	}
	backup := filepath.Join(dir, "backup.db")
	if code, out, errOut := run(t, "", "backup", "--db", dsn, backup); code != 0 || !strings.Contains(out, "Backed up") {
		t.Fatalf("backup while serving: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := run(t, "", "backup", "--db", dsn, backup); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("backup over an existing file: %d %q", code, errOut)
	}
	// A change after the backup, which the restore will undo.
	run(t, "", "user", "create", "--db", dsn, "--email", "later@example.org", "--name", "Later Person")

	code, _, errOut := run(t, "", "restore", "--db", dsn, backup)
	if code != 1 || !strings.Contains(errOut, "in use by a running Alongside") {
		t.Fatalf("restore under a running server: %d %q", code, errOut)
	}
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte("this is not a database at all, just some text"), 0o600)
	s.stop()
	if code, _, errOut := run(t, "", "restore", "--db", dsn, garbage); code != 1 || !strings.Contains(errOut, "cannot be restored") {
		t.Fatalf("restore of a bad file: %d %q", code, errOut)
	}
	if code, out, errOut := run(t, "", "restore", "--db", dsn, backup); code != 0 || !strings.Contains(out, "Restored") {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	if code, _, _ := run(t, "", "user", "reset-password", "--db", dsn, "--email", "kept@example.org"); code != 0 {
		t.Fatal("the user made before the backup is missing after restore")
	}
	if code, _, _ := run(t, "", "user", "reset-password", "--db", dsn, "--email", "later@example.org"); code != 1 {
		t.Fatal("the user made after the backup survived the restore")
	}
	if code, _, errOut := run(t, "", "backup", "--db", "postgres://x@127.0.0.1/db", filepath.Join(dir, "pg.db")); code != 1 || !strings.Contains(errOut, "pg_dump") {
		t.Fatalf("postgres backup: %d %q", code, errOut)
	}
}

func TestDemoPrintsAnAccountPerRole(t *testing.T) {
	engines := []string{"sqlite"}
	if testenv.PostgresURL() != "" {
		engines = append(engines, "postgres")
	}
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) {
			args := []string{"demo", "--addr", "127.0.0.1:0", "--demo-password", "demo password 123"}
			if engine == "postgres" {
				args = append(args, "--db", testdb.DSN(t, engine), "--key-file", newKeyFile(t))
			}
			began := time.Now()
			s := start(t, args...)
			t.Logf("demo ready in %v", time.Since(began))
			out := s.stdout.String()
			for _, role := range []string{"admin", "lead", "manager", "supervisor", "practitioner", "person", "supporter"} {
				if !regexp.MustCompile(`(?m)^` + role + `\s+\S+@\S+\s+\S`).MatchString(out) {
					t.Errorf("no line for %s in:\n%s", role, out)
				}
			}
			if !strings.Contains(out, "demo password 123") {
				t.Errorf("password not printed")
			}
			// The administrator's two-step sign-in is on, with its key printed.
			if !regexp.MustCompile(`authenticator app: [A-Z2-7]{32}\n`).MatchString(out) {
				t.Errorf("no authenticator key printed for the administrator:\n%s", out)
			}
			noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			admin, err := noRedirect.PostForm(fmt.Sprintf("http://%s/login", s.addr), url.Values{"email": {"admin@example.org"}, "password": {"demo password 123"}})
			if err != nil || admin.StatusCode != http.StatusSeeOther || !strings.HasPrefix(admin.Header.Get("Location"), "/login/code") {
				t.Fatalf("the demo administrator's sign-in: %v %v", admin, err)
			}
			admin.Body.Close()
			res, err := http.Get(fmt.Sprintf("http://%s/login", s.addr))
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("login page: %v %v", res, err)
			}
			res.Body.Close()
		})
	}
}

// A database whose last commits are only in its write-ahead log, as after
// a crash, is set aside whole by restore: its .before-restore holds them.
func TestRestoreKeepsWhatTheLogHeld(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	if code, _, errOut := run(t, "", "user", "create", "--db", "sqlite:"+live, "--email", "kept@example.org", "--name", "Kept Person"); code != 0 {
		t.Fatal(errOut)
	}
	backup := filepath.Join(dir, "backup.db")
	if code, _, errOut := run(t, "", "backup", "--db", "sqlite:"+live, backup); code != 0 {
		t.Fatal(errOut)
	}
	// A write committed to the log, and the files copied while the store
	// is still open: what a crash leaves, the log not yet checkpointed.
	s, err := sqlstore.Open(context.Background(), "sqlite:"+live)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Accounts.CreateUser(context.Background(), &alongside.User{Name: "Last Write", Email: "last@example.org"}); err != nil {
		t.Fatal(err)
	}
	crashed := filepath.Join(dir, "crashed.db")
	for _, ext := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(live + ext)
		if err != nil {
			t.Fatal(err)
		}
		if ext == "-wal" && len(b) == 0 {
			t.Fatal("the log is empty: the write was checkpointed, so this tests nothing")
		}
		if err := os.WriteFile(crashed+ext, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	if code, out, errOut := run(t, "", "restore", "--db", "sqlite:"+crashed, backup); code != 0 || !strings.Contains(out, "Restored") {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	if code, _, _ := run(t, "", "user", "reset-password", "--db", "sqlite:"+crashed, "--email", "last@example.org"); code != 1 {
		t.Fatal("the restored database has the write made after the backup")
	}
	if code, _, errOut := run(t, "", "user", "reset-password", "--db", "sqlite:"+crashed+".before-restore", "--email", "last@example.org"); code != 0 {
		t.Fatalf("the database set aside lost the write that was only in its log: %s", errOut)
	}
}

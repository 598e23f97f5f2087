package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/alongside-recovery/alongside/sqlstore"
)

// lockDatabase takes a lock on a SQLite database's lock file: shared for a
// server or tool that uses it, exclusive for a restore, which must not run
// under a server. PostgreSQL needs no lock here.
func lockDatabase(dsn string, exclusive bool) (unlock func(), err error) {
	engine, path, err := sqlstore.ParseDSN(dsn)
	if err != nil || engine != "sqlite" {
		return func() {}, err
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("database folder %s does not exist", filepath.Dir(path))
	}
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot use database %s: %v", path, reason(err))
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if exclusive {
			return nil, fmt.Errorf("database %s is in use by a running Alongside: stop the server first, then restore", path)
		}
		return nil, fmt.Errorf("database %s is being restored: try again when the restore has finished", path)
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

func reason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

const backupSummary = `Copies a SQLite database to FILE. The copy is consistent even while servers are
serving (it is taken inside one read transaction). FILE must not exist yet.
For PostgreSQL, use pg_dump, for example:
  pg_dump --format=custom --file=alongside.dump "$ALONGSIDE_DB"`

// sqliteFileCommand parses the flags and the one FILE argument of backup and
// restore, which work on SQLite only; for PostgreSQL it says which tool to use.
func sqliteFileCommand(name, summary, postgresTool string, args []string, env Env) (dsn, path, file string, err error) {
	fs := newFlags(name+" [flags] FILE", summary, env)
	db := dbFlag(fs, env, "sqlite:alongside.db")
	if err := parse(fs, args); err != nil {
		return "", "", "", err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return "", "", "", errUsage
	}
	engine, path, err := sqlstore.ParseDSN(*db)
	if err != nil {
		return "", "", "", err
	}
	if engine != "sqlite" {
		return "", "", "", fmt.Errorf("%s works on SQLite databases; for PostgreSQL use %s", name, postgresTool)
	}
	return *db, path, fs.Arg(0), nil
}

func cmdBackup(ctx context.Context, args []string, env Env) error {
	dsn, path, file, err := sqliteFileCommand("backup", backupSummary, "pg_dump --format=custom --file=FILE \"$ALONGSIDE_DB\" (restore with pg_restore)", args, env)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no database at %s", path)
	}
	target, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s already exists: choose a new file name", target)
	}
	s, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Backup(ctx, target); err != nil {
		return fmt.Errorf("backup to %s failed: %v", target, err)
	}
	st, _ := os.Stat(target)
	fmt.Fprintf(env.Stdout, "Backed up %s to %s (%d bytes).\n", path, target, st.Size())
	return nil
}

const restoreSummary = `Puts the SQLite backup FILE in place of the database. Refuses while a server
uses the database: stop every server first. The backup is checked before
anything is replaced, and the old database is kept beside it as PATH.before-restore.
For PostgreSQL, use pg_restore, for example:
  pg_restore --clean --if-exists --dbname="$ALONGSIDE_DB" alongside.dump`

func cmdRestore(ctx context.Context, args []string, env Env) error {
	dsn, path, src, err := sqliteFileCommand("restore", restoreSummary, "pg_restore --clean --if-exists --dbname=\"$ALONGSIDE_DB\" FILE", args, env)
	if err != nil {
		return err
	}
	if err := checkBackup(ctx, src); err != nil {
		return fmt.Errorf("%s cannot be restored: %v", src, err)
	}
	unlock, err := lockDatabase(dsn, true)
	if err != nil {
		return err
	}
	defer unlock()
	// Copy next to the target first, then rename: the database is either
	// the old one or the whole backup, never half of each.
	tmp := path + ".restoring"
	if err := copyFile(src, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot copy the backup: %v", err)
	}
	if err := setAside(path, path+".before-restore"); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot set the old database aside: %v", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("cannot put the backup in place: %v", err)
	}
	fmt.Fprintf(env.Stdout, "Restored %s from %s. The previous database is at %s.before-restore.\n", path, src, path)
	return nil
}

// setAside moves a database to aside with its write-ahead log and shared
// memory, as its last commits may be only in the log (after a crash, say):
// SQLite finds the log beside the moved file and replays it on opening.
// The log of an older database set aside there goes first, lest it be
// replayed into this one.
func setAside(path, aside string) error {
	for _, ext := range []string{"-wal", "-shm"} {
		if err := os.Remove(aside + ext); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	for _, ext := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(path+ext, aside+ext); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// checkBackup opens the file read-only and checks it is a sound Alongside
// database this version can run.
func checkBackup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no such file")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil {
		return fmt.Errorf("it is not a SQLite database")
	}
	if ok != "ok" {
		return fmt.Errorf("the integrity check failed: %s", ok)
	}
	var version int
	if err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&version); err != nil {
		return fmt.Errorf("it is not an Alongside database")
	}
	if known := sqlstore.KnownSchemaVersion(); version > known {
		return fmt.Errorf("it was written by a newer version of Alongside (schema %d; this version knows up to %d)", version, known)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

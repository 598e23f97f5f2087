package sqlstore

import (
	"context"
	"errors"
	"sync"
)

// writeTogether runs fn in a transaction shared with the other writes
// waiting at that moment, and returns once that transaction is committed (a
// group commit). Each write runs inside its own savepoint, so one that
// fails is undone alone and the others still commit. Frequent small writes
// use it (audit lines of reads, plan saves): a burst of them costs one
// commit, not one each, and SQLite's single writer is held once.
//
// fn's transaction carries the caller's context values (who is asking,
// for the audit line) but not its cancellation: the batch is shared.
func (s *Store) writeTogether(ctx context.Context, fn func(tx *Tx) error) error {
	j := &groupJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	g := &s.together
	g.once.Do(func() {
		g.jobs, g.closed = make(chan *groupJob, maxGroup), make(chan struct{})
		go g.run(s)
	})
	select {
	case g.jobs <- j:
	case <-g.closed:
		return errors.New("the store is closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-j.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

type groupJob struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error
}

// groupCommit is the queue of writes waiting for writeTogether's writer.
type groupCommit struct {
	once   sync.Once
	jobs   chan *groupJob
	closed chan struct{}
	halt   sync.Once
}

// maxGroup bounds one transaction's writes.
const maxGroup = 128

func (g *groupCommit) stop() {
	g.once.Do(func() { g.closed = make(chan struct{}) }) // never started
	g.halt.Do(func() { close(g.closed) })
}

// run commits whatever writes are waiting in one transaction, again and
// again.
func (g *groupCommit) run(s *Store) {
	for {
		var batch []*groupJob
		select {
		case j := <-g.jobs:
			batch = append(batch, j)
		case <-g.closed:
			return
		}
	more:
		for len(batch) < maxGroup {
			select {
			case j := <-g.jobs:
				batch = append(batch, j)
			default:
				break more
			}
		}
		errs, unprepared := s.commitTogether(batch)
		for i, j := range batch {
			j.done <- errs[i]
		}
		s.prepareLater(context.Background(), unprepared)
	}
}

// commitTogether runs a batch of writes in one transaction, each in its own
// savepoint, and returns each write's outcome.
func (s *Store) commitTogether(batch []*groupJob) (errs []error, unprepared []string) {
	bg := context.Background()
	errs = make([]error, len(batch))
	all := func(err error) ([]error, []string) {
		for i := range errs {
			errs[i] = s.wrap(err)
		}
		return errs, unprepared
	}
	sqlTx, err := s.w.BeginTx(bg, nil)
	if err != nil {
		return all(err)
	}
	now := s.Clock.Now()
	// A write alone needs no savepoint: if it fails, all is rolled back.
	alone := len(batch) == 1
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil { // the caller has gone: nothing to do
			errs[i] = err
			continue
		}
		tx := &Tx{Tx: sqlTx, s: s, ctx: context.WithoutCancel(j.ctx), now: now}
		savepoint := func(q string) error {
			if alone {
				return nil
			}
			_, err := tx.ExecContext(bg, q)
			return err
		}
		if err := savepoint("SAVEPOINT together"); err != nil {
			sqlTx.Rollback()
			return all(err)
		}
		errs[i] = j.fn(tx)
		unprepared = append(unprepared, tx.unprepared...)
		if errs[i] != nil {
			errs[i] = s.wrap(errs[i])
			if alone {
				sqlTx.Rollback()
				return errs, unprepared
			}
			if err := savepoint("ROLLBACK TO SAVEPOINT together"); err != nil {
				sqlTx.Rollback()
				return all(err)
			}
		}
		if err := savepoint("RELEASE SAVEPOINT together"); err != nil {
			sqlTx.Rollback()
			return all(err)
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return all(err)
	}
	return errs, unprepared
}

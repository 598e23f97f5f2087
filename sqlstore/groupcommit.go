package sqlstore

import (
	"context"
	"errors"
	"sync"
)

// writeTogether runs fn in a transaction shared with the other writes
// waiting at that moment, and returns once that transaction is committed (a
// group commit). A write that fails is undone alone: the others still
// commit (commitTogether). Frequent small writes
// use it (audit lines of reads, plan saves): a burst of them costs one
// commit, not one each, and SQLite's single writer is held once.
//
// fn's transaction carries the caller's context values (who is asking,
// for the audit line) but not its cancellation: the batch is shared.
func (s *db) writeTogether(ctx context.Context, fn func(tx *Tx) error) error {
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
func (g *groupCommit) run(s *db) {
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
		for i, err := range s.commitTogether(batch) {
			batch[i].done <- err
		}
	}
}

// commitTogether runs a batch of writes in one transaction and returns
// each write's outcome. If any write fails, the whole transaction is rolled
// back and each write is run again in a transaction of its own, so that
// one failure undoes only itself. Failures are rare (a clash of two saves
// of one section, say), and savepoints around every write cost more than
// the occasional second run: two statements per write.
func (s *db) commitTogether(batch []*groupJob) []error {
	errs := make([]error, len(batch))
	var live []*groupJob
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil { // the caller has gone: nothing to do
			errs[i] = err
		} else {
			live = append(live, j)
		}
	}
	failed := false
	err := s.write(context.Background(), func(tx *Tx) error {
		for _, j := range live {
			jtx := &Tx{Tx: tx.Tx, s: s, ctx: context.WithoutCancel(j.ctx), now: tx.now}
			err := j.fn(jtx)
			tx.unprepared = append(tx.unprepared, jtx.unprepared...)
			if err != nil {
				failed = true
				return err
			}
		}
		return nil
	})
	for i, j := range batch {
		switch {
		case errs[i] != nil:
		case failed && len(live) > 1:
			errs[i] = s.write(context.WithoutCancel(j.ctx), j.fn)
		default:
			errs[i] = err
		}
	}
	return errs
}

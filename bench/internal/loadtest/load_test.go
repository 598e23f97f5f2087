package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// TestLoadPostsForms checks that a POST target sends each request's own
// form body and cookie, and that its expected status (303) counts as done.
func TestLoadPostsForms(t *testing.T) {
	var got atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("s")
		if r.Method != http.MethodPost || r.FormValue("n") == "" || err != nil || c.Value != "x" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		got.Add(1)
		http.Redirect(w, r, "/done", http.StatusSeeOther)
	})
	base, stop, err := Serve(h)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	target := Target{Method: http.MethodPost, URL: base + "/sheets", Cookie: "s=x", Status: http.StatusSeeOther,
		Body: func(worker, n int) string { return fmt.Sprintf("n=%d-%d", worker, n) }}
	s, err := Load(context.Background(), target, 2, 0, 50*time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests == 0 || got.Load() < int64(s.Requests) {
		t.Errorf("%d requests measured, %d forms received", s.Requests, got.Load())
	}

	// The same form expected to answer 200 fails the run.
	target.Status = 0
	if _, err := Load(context.Background(), target, 2, 0, 50*time.Millisecond, nil); !errors.Is(err, ErrLoad) {
		t.Errorf("a 303 where 200 is wanted: err = %v, want ErrLoad", err)
	}
}

package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/alongside-recovery/alongside"
)

// BenchmarkHome measures the signed-in home page in-process, without the
// network or a load generator, to find where a request's work goes:
// go test ./web -run '^$' -bench Home -benchmem -cpuprofile /tmp/home.prof
// The end-to-end figures against a bare handler are in BENCHMARKS.md.
func BenchmarkHome(b *testing.B) {
	w := newWorld(b, "sqlite")
	token, err := w.store.Sessions.CreateSession(ctx, w.users["practitioner"].ID, true, "127.0.0.1", "bench", alongside.DefaultSessionPolicy)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/home", nil)
		req.AddCookie(&http.Cookie{Name: "alongside_session", Value: token})
		rec := httptest.NewRecorder()
		w.server.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

package web

import (
	"slices"
	"testing"
)

// A parent's loader runs before its child's, which checks against it.
func TestLoadersRunParentsFirst(t *testing.T) {
	for i, l := range loaders {
		if l.parent == "" {
			continue
		}
		p := slices.IndexFunc(loaders, func(o paramLoader) bool { return o.param == l.parent })
		if p < 0 || p > i {
			t.Errorf("{%s} is loaded before its parent {%s}", l.param, l.parent)
		}
	}
}

func TestLoadersForAPattern(t *testing.T) {
	var got []string
	for _, l := range loadersFor("POST /orgs/{org}/users/{user}/roles/{membership}/remove") {
		got = append(got, l.param)
	}
	if !slices.Equal(got, []string{"org", "user", "membership"}) {
		t.Errorf("loaders = %v", got)
	}
	if ls := loadersFor("GET /{$}"); len(ls) != 0 {
		t.Errorf("{$} has loaders: %v", ls)
	}
	// A route cannot skip the check of a parameter or of its parent.
	for _, pattern := range []string{"GET /things/{thing}", "GET /waves/{wave}", "GET /services/{service}/files/{path...}"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", pattern)
				}
			}()
			loadersFor(pattern)
		}()
	}
}

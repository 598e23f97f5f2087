package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// AxeTags are the axe-core rule tags that Axe runs: WCAG 2.0, 2.1 and 2.2 at
// levels A and AA, the level that public-sector and health services are held
// to. There is no "wcag22a": axe-core 4 has no rules for the level-A
// criteria that WCAG 2.2 added, so it defines no such tag.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// Violation is one axe-core rule that the page breaks, with every element
// that breaks it.
type Violation struct {
	ID      string `json:"id"`     // rule id, e.g. "image-alt"
	Impact  string `json:"impact"` // "minor", "moderate", "serious" or "critical"
	Help    string `json:"help"`   // one-line description of the rule
	HelpURL string `json:"helpUrl"`
	Nodes   []Node `json:"nodes"`
}

// Node is one element that breaks a rule.
type Node struct {
	// Target holds the CSS selectors that locate the element; more than
	// one when it sits inside shadow DOM.
	Target         []string `json:"target"`
	HTML           string   `json:"html"`           // the element's opening markup
	FailureSummary string   `json:"failureSummary"` // what to fix
}

// axeEnv names an axe.min.js to use instead of the one in <repo>/.cache, for
// machines that provide axe-core some other way.
const axeEnv = "ALONGSIDE_TEST_AXE"

// axeVersion is the npm spec that is installed when axe-core is missing. The
// major version is pinned so rule ids and tags do not shift under the tests.
const axeVersion = "axe-core@4"

// axeScript runs axe on the whole document and reduces its result to the
// fields of Violation, so that only what the tests use crosses DevTools.
var axeScript = `(async () => {
	const r = await axe.run(document, {
		runOnly: {type: "tag", values: ` + mustJSON(AxeTags) + `},
		resultTypes: ["violations"],
	});
	return r.violations.map(v => ({
		id: v.id,
		impact: v.impact || "",
		help: v.help,
		helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : String(s)),
			html: n.html,
			failureSummary: n.failureSummary || "",
		})),
	}));
})()`

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Axe runs axe-core's WCAG 2.0/2.1/2.2 A and AA rules (see [AxeTags]) on the
// page that the tab shows now and returns the violations, or none.
//
// axe-core is injected with DevTools evaluation, which a page's
// Content-Security-Policy does not apply to, so pages are checked exactly as
// they are served, with their strict CSP and without any change to it. Only
// the top document is checked, not the content of iframes.
//
// If axe-core cannot be found or installed, the test fails: a browser test
// that cannot check accessibility must not count as a pass.
func Axe(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatalf("browsertest: axe-core is not available: %v", err)
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		t.Fatalf("browsertest: checking for axe-core in the page: %v", err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			t.Fatalf("browsertest: injecting axe-core: %v", err)
		}
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeScript, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("browsertest: running axe-core: %v", err)
	}
	return vs
}

// AssertNoAxeViolations fails the test, without stopping it, when [Axe] finds
// violations on the page, listing each rule and element so the failure can be
// fixed from the log alone. pageName says which page, since a test usually
// checks several.
func AssertNoAxeViolations(t testing.TB, ctx context.Context, pageName string) {
	t.Helper()
	if vs := Axe(t, ctx); len(vs) > 0 {
		t.Errorf("%s", FormatViolations(pageName, vs))
	}
}

// FormatViolations renders violations as a readable, indented list.
func FormatViolations(pageName string, vs []Violation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "axe-core found %d WCAG A/AA violation(s) on %s:", len(vs), pageName)
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    - %s\n      %s", strings.Join(n.Target, ", "), shorten(n.HTML, 200))
			if n.FailureSummary != "" {
				fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.FailureSummary, "\n", "\n      "))
			}
		}
	}
	return b.String()
}

func shorten(s string, max int) string {
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

var axe struct {
	once sync.Once
	src  string
	err  error
}

// axeSource returns the text of axe.min.js, finding or installing it once per
// test binary. axe-core is not committed to the repository: it is fetched with
// npm into <repo>/.cache, which is git-ignored.
func axeSource() (string, error) {
	axe.once.Do(func() {
		path, err := findAxe()
		if err != nil {
			axe.err = err
			return
		}
		b, err := os.ReadFile(path)
		if err != nil {
			axe.err = err
			return
		}
		axe.src = string(b)
	})
	return axe.src, axe.err
}

// findAxe returns the path of axe.min.js: the file that ALONGSIDE_TEST_AXE
// names, else the one in <repo>/.cache, installing it there with npm when
// it is missing.
func findAxe() (string, error) {
	if p := os.Getenv(axeEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s: %w", axeEnv, err)
		}
		return p, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	cache := filepath.Join(root, ".cache")
	path := filepath.Join(cache, "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := installAxe(cache); err != nil {
		return "", fmt.Errorf("%s not found and installing it failed (set %s to an axe.min.js, or run: npm install --no-save --prefix %s %s): %w",
			path, axeEnv, cache, axeVersion, err)
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("npm install succeeded but %w", err)
	}
	return path, nil
}

// installAxe installs axe-core into cache/node_modules with npm.
//
// go test runs the test binaries of several packages at once, and each may
// get here, while npm is not safe to run twice on one prefix. So each process
// installs into a private directory under cache and then renames the package
// into place; a rename is atomic, and the loser of a race finds the winner's
// copy already there.
func installAxe(cache string) error {
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(cache, "axe-install-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "install", "--no-save", "--no-audit", "--no-fund",
		"--prefix", tmp, axeVersion)
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm install %s: %w\n%s", axeVersion, err, out)
	}

	modules := filepath.Join(cache, "node_modules")
	if err := os.MkdirAll(modules, 0o755); err != nil {
		return err
	}
	dst := filepath.Join(modules, "axe-core")
	if err := os.Rename(filepath.Join(tmp, "node_modules", "axe-core"), dst); err != nil {
		if _, statErr := os.Stat(filepath.Join(dst, "axe.min.js")); statErr == nil {
			return nil // another test binary won the race
		}
		return err
	}
	return nil
}

// repoRoot returns the directory that holds go.mod, walking up from the
// working directory (go test runs each test in its package's directory).
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

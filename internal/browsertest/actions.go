package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The helpers below return chromedp actions rather than running them, so a
// whole user journey reads as one list passed to [Do], and they mix freely
// with any other chromedp action. Selectors are CSS selectors (matched with
// document.querySelector), never chromedp's text/XPath search, so a selector
// means the same thing here as in the templates and stylesheets.

// Do runs the actions in the tab, in order, and stops the test at the first
// one that fails.
func Do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
}

// Run runs one action that returns a value (such as [Text]) in the tab and
// returns the value, stopping the test if it fails.
func Run[T any](t testing.TB, ctx context.Context, action chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	return v
}

// Visit loads url and waits for its load event.
func Visit(url string) chromedp.Action[chromedp.Void] {
	return chromedp.Navigate(url)
}

// Fill replaces the value of the form field that matches selector by typing
// value into it with real key events, so the page sees the same input events
// a person's typing would cause. A "\n" in value presses Enter. An empty
// value just clears the field, e.g. to test a required field left blank.
func Fill(selector, value string) chromedp.Action[chromedp.Void] {
	sel := chromedp.CSS(selector)
	steps := []chromedp.Action[chromedp.Void]{clear(sel)}
	if value != "" {
		steps = append(steps, chromedp.SendKeys(sel, value))
	}
	return chromedp.Steps(steps...)
}

// clear empties a field's current value. chromedp.SetValue(sel, "") cannot do
// it (the empty string argument is dropped on the way to the browser, so the
// field ends up holding "undefined"), and chromedp.Clear only resets the
// value attribute, which a field that has been typed into no longer follows.
func clear(sel chromedp.CSS) chromedp.Action[chromedp.Void] {
	return chromedp.QueryAfter(sel, func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) (chromedp.Void, error) {
		obj, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{NodeID: nodes[0].NodeID})
		if err != nil {
			return chromedp.Void{}, err
		}
		defer cdp.Call(ctx, t, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: obj.Object.ObjectID})
		res, err := cdp.Call(ctx, t, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
			FunctionDeclaration: `function() { this.value = ""; }`,
			ObjectID:            obj.Object.ObjectID,
		})
		if err == nil && res.ExceptionDetails != nil {
			err = &chromedp.ExceptionError{ExceptionDetails: res.ExceptionDetails}
		}
		if err != nil {
			return chromedp.Void{}, fmt.Errorf("clearing %q: %w", string(sel), err)
		}
		return chromedp.Void{}, nil
	})
}

// Click clicks the visible element that matches selector with a real mouse
// event. It does not wait for any navigation the click starts; use [Submit]
// for that.
func Click(selector string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(selector))
}

// Submit clicks the element that matches selector (normally a form's submit
// button, so the browser runs its own validation and sends the button's
// name/value like a person's click would) and waits until the page that the
// submission leads to has loaded, following redirects. If the click causes no
// navigation, for example because browser-side validation blocked it, the
// action waits until the tab's [TabTimeout] ends.
func Submit(selector string) chromedp.Action[chromedp.Void] {
	wait := chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(selector)))
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := wait(ctx, t); err != nil {
			return chromedp.Void{}, fmt.Errorf("submitting with %q: %w", selector, err)
		}
		return chromedp.Void{}, nil
	}
}

// Text returns the rendered text (innerText) of the first element that
// matches selector, waiting for it to exist.
func Text(selector string) chromedp.Action[string] {
	return chromedp.Text(chromedp.CSS(selector))
}

// Screenshot saves a PNG of the whole page (not just the viewport) to path,
// creating its directory. It is meant for looking at a failing layout, e.g.
// written under t.ArtifactDir() or a temp directory.
func Screenshot(path string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		png, err := chromedp.FullScreenshot(100)(ctx, t)
		if err != nil {
			return chromedp.Void{}, fmt.Errorf("screenshot: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.Void{}, os.WriteFile(path, png, 0o644)
	}
}

// Value returns the current value of the form field that matches selector:
// what a person typed, which a textarea's text does not show.
func Value(selector string) chromedp.Action[string] {
	return chromedp.Value(chromedp.CSS(selector))
}

// Location returns the tab's current address.
func Location() chromedp.Action[string] { return chromedp.Location() }

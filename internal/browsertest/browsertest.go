// Package browsertest drives a real headless Chromium for page tests: it
// starts the browser, and checks pages for accessibility with axe-core. There
// are no mocks: a test serves real pages and reads what the browser made of
// them.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeout bounds everything one test does in the browser, so a page that never
// loads fails the test instead of hanging until go test's own timeout.
const Timeout = 60 * time.Second

// New starts a headless Chromium for the test and returns a chromedp context
// on its first tab, which expires after [Timeout]. The browser and its profile
// are removed when the test ends.
//
// Chromium is $ACCORD_CHROMIUM, else /usr/bin/chromium, else chromium on PATH.
// Without it the test is skipped, except under CI=true, where a missing browser
// is a failure: CI must run the page tests, not skip them.
func New(t testing.TB) context.Context {
	t.Helper()

	path, err := chromiumPath()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browsertest: %v (CI=true, so the page tests may not be skipped)", err)
		}
		t.Skipf("browsertest: %v", err)
	}

	// Our own profile folder, not chromedp's default, so that we know it is
	// fresh and can remove it ourselves after the browser has gone.
	profile, err := os.MkdirTemp("", "accord-chromium-")
	if err != nil {
		t.Fatalf("browsertest: profile folder: %v", err)
	}
	t.Cleanup(func() {
		if err := removeAllRetry(profile); err != nil {
			t.Logf("browsertest: removing %s: %v", profile, err)
		}
	})

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// This machine has no network but loopback; without these flags
		// Chromium keeps trying to reach Google's services.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.WindowSize(1280, 1024),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	// Cleanups run last-registered first: close the browser, wait for its
	// process, and only then remove its profile folder.
	t.Cleanup(cancelAlloc)
	t.Cleanup(cancelBrowser)

	// Start the browser now, on a context with no timeout: the browser lives
	// as long as the context of the first run (see chromedp.NewContext).
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("browsertest: starting %s: %v", path, err)
	}

	ctx, cancel := context.WithTimeout(browserCtx, Timeout)
	t.Cleanup(cancel)
	return ctx
}

// chromiumPath finds the Chromium binary.
func chromiumPath() (string, error) {
	if p := os.Getenv("ACCORD_CHROMIUM"); p != "" {
		if err := executable(p); err != nil {
			return "", fmt.Errorf("ACCORD_CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	if executable("/usr/bin/chromium") == nil {
		return "/usr/bin/chromium", nil
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", errors.New("no Chromium: set ACCORD_CHROMIUM, or install it (apt-get install chromium)")
}

func executable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
		return &fs.PathError{Op: "exec", Path: path, Err: fs.ErrPermission}
	}
	return nil
}

// removeAllRetry removes dir, trying again for a few seconds: Chromium's
// helper processes (the crash handler) can still write into the profile
// folder just after the browser itself has exited.
func removeAllRetry(dir string) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := os.RemoveAll(dir)
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

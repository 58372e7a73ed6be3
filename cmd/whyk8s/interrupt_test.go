package main

import (
	"bytes"
	"strings"
	"testing"
)

// A panic is reported on one line that names the command and asks for a bug report,
// carries no secret and no terminal control sequence, and ends with exit 1, never 2.
func TestCrashIsOneLineAndExitOne(t *testing.T) {
	root := newRootCmd(&app{})
	var stderr bytes.Buffer
	code := crashed(&stderr, root, []string{"scan", "./infra", "--format", "json"},
		"unexpected token in \x1b[2J password=Cr4shCanary-551\nnext line")
	if code != exitFailed {
		t.Errorf("exit %d; want %d (a crash is never the bad-input code %d)", code, exitFailed, exitUsage)
	}
	out := stderr.String()
	for _, want := range []string{"'whyk8s scan'", "internal error", "report it"} {
		if !strings.Contains(out, want) {
			t.Errorf("crash message lacks %q: %q", want, out)
		}
	}
	if strings.Count(out, "\n") != 1 || strings.Contains(out, "\x1b") || strings.Contains(out, "Cr4shCanary-551") {
		t.Errorf("crash message %q: want one line, escaped, without the secret", out)
	}
}

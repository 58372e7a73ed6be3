//go:build linux

package hostile_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"whyk8s/fixtures"
	"whyk8s/inventory/aws/awstest"
)

// answerWithin is how long a run may take to end after a signal: the grace of one second,
// plus slack for a busy machine.
const answerWithin = 2500 * time.Millisecond

// interrupted is one run stopped by signals.
type interrupted struct {
	code     int
	answered time.Duration // from the first signal to the exit
	stderr   string
	leftover []string // files the run left in its folder
}

// interrupt starts whyk8s with args in dir, waits until it is busy, sends sigs (spaced by
// gap), and reports how it ended.
func interrupt(t *testing.T, dir string, env []string, busy time.Duration, sigs []syscall.Signal, gap time.Duration, args ...string) interrupted {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), caseTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, whyk8s(t), args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		t.Fatalf("whyk8s %v ended before it could be interrupted (%v): the input is not slow enough\n%s", args, err, stderr.String())
	case <-time.After(busy):
	}
	start := time.Now()
	for i, s := range sigs {
		if i > 0 {
			time.Sleep(gap)
		}
		cmd.Process.Signal(s)
	}
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		t.Fatalf("whyk8s %v did not end after %v", args, sigs)
	}
	r := interrupted{answered: time.Since(start), stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	}
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && !strings.HasPrefix(p, filepath.Join(dir, "in")) {
			rel, _ := filepath.Rel(dir, p)
			r.leftover = append(r.leftover, rel)
		}
		return nil
	})
	return r
}

// slowAWS is a fake AWS endpoint that takes its time over every call, and the environment
// that points the binary at it.
func slowAWS(t *testing.T, dir string) (endpoint string, env []string) {
	t.Helper()
	est, err := fixtures.DemoEstate()
	if err != nil {
		t.Fatal(err)
	}
	srv := awstest.New(est, awstest.WithLatency(20*time.Second))
	t.Cleanup(srv.Close)
	return srv.URL, childEnv(dir, "AWS_ACCESS_KEY_ID=AKIDEXAMPLEWHYK8S", "AWS_SECRET_ACCESS_KEY=whyk8s-test-secret", "AWS_REGION=eu-west-1")
}

// Ctrl-C and SIGTERM stop a run within a second, with exit 1, leaving no report and no
// temporary file: while it waits on AWS (it stops on its own), and while a reader is stuck
// on a file (it is ended once the grace runs out). A second Ctrl-C ends it at once.
func TestSignalsStopTheRunWithinASecond(t *testing.T) {
	whyk8s(t)
	for _, c := range []struct {
		name string
		sigs []syscall.Signal
		run  func(t *testing.T, dir string) ([]string, []string)
	}{
		{"SIGINT while collecting from AWS", []syscall.Signal{syscall.SIGINT}, awsRun},
		{"SIGTERM while collecting from AWS", []syscall.Signal{syscall.SIGTERM}, awsRun},
		{"a second SIGINT while collecting", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}, awsRun},
		{"SIGINT while a reader evaluates costly Terraform", []syscall.Signal{syscall.SIGINT}, busyRun},
		{"SIGTERM while a reader evaluates costly Terraform", []syscall.Signal{syscall.SIGTERM}, busyRun},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			args, env := c.run(t, dir)
			r := interrupt(t, dir, env, 1500*time.Millisecond, c.sigs, 100*time.Millisecond, args...)
			if r.answered > answerWithin {
				t.Errorf("ended %s after the signal; want within %s", r.answered.Round(time.Millisecond), answerWithin)
			}
			if r.code != 1 {
				t.Errorf("exit %d; want 1 (interrupted)\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "interrupted") {
				t.Errorf("stderr does not say the run was interrupted:\n%s", r.stderr)
			}
			if sign := runtimeDump([]byte(r.stderr)); sign != "" {
				t.Errorf("Go runtime dump (%q) on stderr:\n%s", sign, r.stderr)
			}
			if len(r.leftover) > 0 {
				t.Errorf("the interrupted run left files behind: %q", r.leftover)
			}
		})
	}
}

func awsRun(t *testing.T, dir string) ([]string, []string) {
	endpoint, env := slowAWS(t, dir)
	return []string{"assess", "--aws", "--endpoint", endpoint, "--regions", "eu-west-1", "--out", "out"}, env
}

// busyRun reads Terraform whose locals build a thousand-cubed list: the evaluation runs
// until its time budget (ten seconds) unless the signal stops it first. (A named pipe no
// longer holds a reader: it is refused before it is opened.)
func busyRun(t *testing.T, dir string) ([]string, []string) {
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	src := "locals {\n  r = range(1000)\n  x = [for a in local.r : [for b in local.r : [for c in local.r : c]]]\n}\n" +
		tfGroupWith("busy", "busy", tagOf("length(local.x)"))
	if err := os.WriteFile(filepath.Join(in, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{"assess", "--iac", "in", "--iac-account", account, "--out", "out"}, childEnv(dir)
}

// Command whyk8s inventories an AWS estate of Auto Scaling groups and load balancers and the
// code behind them (Terraform, CloudFormation, Packer, Ansible, user data), scores each
// workload's fit for containers and the organisation's readiness for Kubernetes, and writes
// a recommendation report.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"

	"whyk8s/internal/printable"
)

// memoryLimit is the soft limit on the memory the Go runtime holds (see main): 448 MiB
// leaves room under 512 MB for what the runtime does not count (the binary, thread stacks).
const memoryLimit = 448 << 20

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// Exit codes, documented in the README.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2 // usage or bad input
	exitPartial = 3 // done, but partial (a region, account, infrastructure-code or script file could not be read) or regressed
)

// exitError carries the exit code an error should end the process with.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks err as the user's input being wrong: exit code 2.
func usageError(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: exitUsage, err: err}
}

// errPartial ends a run that completed but could not read everything. Its message has
// already been printed with the summary.
var errPartial = &exitError{code: exitPartial, err: errors.New("partial")}

func main() {
	// A run promises a peak under 512 MB whatever its input (the hostile suite holds it to
	// that): a soft limit below it has the collector work harder as the heap nears it,
	// rather than let the syntax tree of a 20 MB user data double before the next collection
	// (peaks of 340 to 518 MB in that case without it). GOMEMLIMIT, when set, wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stop := stopOnSignal(cancel, os.Stderr, interruptGrace)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the process exit code. Results go to
// stdout, diagnostics to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	app := &app{stdout: stdout, stderr: stderr, log: slog.New(slog.NewTextHandler(stderr, nil))}
	root := newRootCmd(app)
	// A bug must not look like the user's mistake: Go ends a panicking program with exit
	// code 2, the code for bad input, and a dump nobody at the client can act on.
	defer func() {
		if r := recover(); r != nil {
			code = crashed(stderr, root, args, r)
		}
	}()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee != errPartial {
			fmt.Fprintf(stderr, "whyk8s: %s\n", printable.Lines(err.Error()))
		}
		return ee.code
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "whyk8s: interrupted; no output was written half-done")
		return exitFailed
	}
	fmt.Fprintf(stderr, "whyk8s: %s\n", printable.Lines(err.Error()))
	return exitFailed
}

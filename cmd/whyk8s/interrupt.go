package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"whyk8s/internal/atomicfile"
	"whyk8s/internal/printable"
	"whyk8s/inventory/scripts"
)

// interruptGrace is how long a run may take to stop after the first Ctrl-C or SIGTERM
// before it is ended at once. Collecting, reading and writing check the context often; a
// parser deep in one pathological file does not, and the person (or the scheduler) waiting
// must get an answer within a second either way.
const interruptGrace = time.Second

// stopOnSignal cancels the run's context on the first SIGINT or SIGTERM, so that the
// command stops, removes its temporary files and exits 1 on its own. A second signal, or
// the grace period running out, ends the process at once, still without temporary files.
// The returned function stops listening.
func stopOnSignal(cancel context.CancelFunc, stderr io.Writer, grace time.Duration) (stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
		case <-done:
			return
		}
		cancel()
		timer := time.NewTimer(grace)
		select {
		case <-sigs:
		case <-timer.C:
		case <-done:
			return
		}
		atomicfile.RemoveTemporaries()
		fmt.Fprintln(stderr, "whyk8s: interrupted; stopped at once, no file was written half-done")
		os.Exit(exitFailed)
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// crashed reports a panic as one line naming the command, and returns the exit code of a
// failure (never 2, the code of bad input).
func crashed(stderr io.Writer, root *cobra.Command, args []string, r any) int {
	name := root.Name()
	if c, _, err := root.Find(args); err == nil && c != nil {
		name = c.CommandPath()
	}
	// The panic value may quote what a reader was parsing: it is redacted and escaped like
	// any other text from a client's files.
	msg := printable.Escape(scripts.Redact(fmt.Sprint(r)))
	fmt.Fprintf(stderr, "whyk8s: internal error in '%s': %s; this is a bug in whyk8s, please report it with the command line you ran\n", name, msg)
	return exitFailed
}

package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"whyk8s/assess"
	"whyk8s/internal/printable"
	"whyk8s/inventory"
)

// WriteSummary prints the few lines 'whyk8s assess' ends with on the terminal: what was
// assessed, the verdict, the fit categories, readiness, and the files written (none when
// the reports could not be put in place).
func WriteSummary(w io.Writer, r *assess.Assessment, paths []string) error {
	var b strings.Builder
	client := ""
	if r.Client != "" {
		client = " for " + printable.Escape(r.Client)
	}
	fmt.Fprintf(&b, "whyk8s assessed %s%s (%s, %s, %s)\n", countOf(len(r.Workloads), "workload"), client,
		scopeCount(r.Scope.Accounts, "account"), scopeCount(r.Scope.Regions, "region"), countOf(r.Scope.Scripts, "script"))
	fmt.Fprintf(&b, "Verdict: %s\n", r.Verdict.Title)
	var parts []string
	for _, c := range r.Summary.ByCategory {
		if c.Count > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", c.Category, c.Count))
		}
	}
	fmt.Fprintf(&b, "Fit: %s\n", strings.Join(parts, " · "))
	if r.Readiness.Assessed {
		fmt.Fprintf(&b, "Readiness: %s (%d/100)\n", r.Readiness.Level, r.Readiness.Score)
	} else {
		fmt.Fprintln(&b, "Readiness: not assessed (no answers; see 'whyk8s questionnaire')")
	}
	if len(paths) > 0 {
		fmt.Fprintln(&b, "Report:")
		for _, p := range paths {
			fmt.Fprintf(&b, "  %s\n", filepath.ToSlash(p))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// scopeCount counts the accounts or regions in scope. Code that does not say where it
// deploys gives inventory.UnknownScope, which is said to be unknown rather than counted.
func scopeCount(ids []string, noun string) string {
	known, unknown := inventory.KnownScopes(ids)
	switch {
	case unknown && known == 0:
		return noun + " not named in the code"
	case unknown:
		return countOf(known, noun) + " and others not named in the code"
	}
	return countOf(known, noun)
}

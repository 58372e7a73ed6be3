package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"whyk8s/assess"
	"whyk8s/internal/printable"
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
	fmt.Fprintf(&b, "whyk8s assessed %d workloads%s (%d accounts, %d regions, %d scripts)\n",
		len(r.Workloads), client, len(r.Scope.Accounts), len(r.Scope.Regions), r.Scope.Scripts)
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

package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"whyk8s/assess"
	"whyk8s/inventory"
	"whyk8s/inventory/gather"
	"whyk8s/report"
)

func newScanCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scan DIR…",
		Short: "Read provisioning scripts and print what they show, with file and line",
		Long: `Read Packer templates (JSON and HCL2), Ansible playbooks and roles, shell user data and
cloud-config in the given folders, and print every finding: the rule it feeds, the file and
line, and what was seen. Secrets are reported by kind and place only, never by value. Files
that cannot be read are named on stderr and in the output; the scan carries on.`,
		Example: `  whyk8s scan ./infra
  whyk8s scan ./packer ./ansible --format json | jq '.findings[] | select(.rule=="FIND-S3FS")'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, _ := cmd.Flags().GetString("format")
			if err := checkPrintFormat(format); err != nil {
				return err
			}
			res, err := gather.Estate(cmd.Context(), gather.Sources{Scripts: args, Now: runTime()})
			if errors.Is(err, gather.ErrUsage) {
				return usageError(err)
			}
			if err != nil {
				return err
			}
			est := res.Estate
			if format == "json" {
				// Text and Markdown list the problems themselves; JSON is usually piped on.
				logGaps(a, est.Coverage)
			}
			all, _ := cmd.Flags().GetBool("all")
			out := scanOutput{
				Findings: scanFindings(assess.ScriptFindings(est.Scripts, assess.NewCatalogue()), all),
				Problems: est.Coverage,
				Stats:    *est.ScriptStats,
			}
			if out.Findings == nil {
				out.Findings = []assess.ScanFinding{}
			}
			if out.Problems == nil {
				out.Problems = []inventory.CoverageGap{}
			}
			return printScan(a.stdout, out, format)
		},
	}
	cmd.Flags().String("format", "text", "text, json or md")
	cmd.Flags().Bool("all", false, "also list facts no rule uses (every package installed, for instance)")
	return cmd
}

// scanFindings keeps the findings a rule uses; with all, every fact read.
func scanFindings(fs []assess.ScanFinding, all bool) []assess.ScanFinding {
	if all {
		return fs
	}
	kept := fs[:0]
	for _, f := range fs {
		if f.Rule != "" {
			kept = append(kept, f)
		}
	}
	return kept
}

// scanOutput is the stable JSON shape of 'whyk8s scan --format json'.
type scanOutput struct {
	Findings []assess.ScanFinding    `json:"findings"`
	Problems []inventory.CoverageGap `json:"problems"`
	Stats    inventory.ScriptStats   `json:"stats"`
}

func printScan(w io.Writer, out scanOutput, format string) error {
	switch format {
	case "json":
		return writeJSON(w, out)
	case "md":
		fmt.Fprintf(w, "# Provisioning scripts\n\n%d files read, %d skipped (not provisioning scripts), %s.\n\n",
			out.Stats.FilesRead, out.Stats.FilesSkipped, problemCounts(out))
		fmt.Fprintln(w, "| Place | Rule | Seen | Excerpt |")
		fmt.Fprintln(w, "|---|---|---|---|")
		for _, f := range out.Findings {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", report.MarkdownCode(place(f.File, f.Line)), ruleOrDash(f.Rule), report.MarkdownCell(seen(f)), report.MarkdownCode(f.Excerpt))
		}
		if len(out.Problems) > 0 {
			fmt.Fprintf(w, "\n## Problems\n\n| Place | Problem |\n|---|---|\n")
			for _, p := range out.Problems {
				fmt.Fprintf(w, "| %s | %s: %s |\n", report.MarkdownCode(place(p.Path, p.Line)), p.Kind, report.MarkdownCell(p.Message))
			}
		}
		return nil
	}
	t := newTable(w, "PLACE", "RULE", "SEEN")
	for _, f := range out.Findings {
		t.row(place(f.File, f.Line), ruleOrDash(f.Rule), seen(f))
	}
	if err := t.flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d findings in %d files read (%d skipped as not provisioning scripts", len(out.Findings), out.Stats.FilesRead, out.Stats.FilesSkipped)
	if len(out.Problems) > 0 {
		fmt.Fprintf(w, "; %s:", problemCounts(out))
		fmt.Fprintln(w, ")")
		for _, p := range out.Problems {
			fmt.Fprintf(w, "  %s: %s: %s\n", place(p.Path, p.Line), p.Kind, p.Message)
		}
		return nil
	}
	fmt.Fprintln(w, ")")
	return nil
}

// problemCounts says how many files could not be read and, apart, how many references
// inside files that were read could not be followed: the two are different troubles.
func problemCounts(out scanOutput) string {
	refs := 0
	for _, p := range out.Problems {
		if p.Kind == inventory.GapNotFound {
			refs++
		}
	}
	s := fmt.Sprintf("%d %s could not be read", out.Stats.FilesFailed, map[bool]string{true: "file", false: "files"}[out.Stats.FilesFailed == 1])
	if refs > 0 {
		s += fmt.Sprintf(", %d %s not followed", refs, map[bool]string{true: "reference", false: "references"}[refs == 1])
	}
	return s
}

func place(file string, line int) string {
	if line > 0 {
		return file + ":" + strconv.Itoa(line)
	}
	return file
}

func ruleOrDash(r string) string {
	if r == "" {
		return "-"
	}
	return r
}

func seen(f assess.ScanFinding) string {
	if f.Detail != "" {
		return f.Kind + ": " + f.Detail
	}
	return f.Kind
}

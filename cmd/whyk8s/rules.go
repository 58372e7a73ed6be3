package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"whyk8s/assess"
	"whyk8s/report"
)

func newRulesCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Print the rule catalogue: every rule, its weight, rationale and remediation",
		Long: `Print the rule catalogue that scores container fit. Each rule has an id, a dimension, a
default weight (overridable with scoring.weights.<ID> in whyk8s.yaml), the rationale behind
it, the remediation, and the Kubernetes counterpart where there is one. '--format md' prints
the table the README's "How scoring works" section is generated from.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, _ := cmd.Flags().GetString("format")
			if err := checkPrintFormat(format); err != nil {
				return err
			}
			return printRules(a.stdout, assess.NewCatalogue().Rules(), format)
		},
	}
	cmd.Flags().String("format", "text", "text, json or md")
	return cmd
}

// ruleJSON is the stable JSON shape of one rule in 'whyk8s rules --format json'.
type ruleJSON struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	Dimension   string  `json:"dimension"`
	Weight      float64 `json:"weight"`
	Rationale   string  `json:"rationale"`
	Remediation string  `json:"remediation,omitempty"`
	Kubernetes  string  `json:"kubernetes,omitempty"`
}

func printRules(w io.Writer, rules []assess.Rule, format string) error {
	switch format {
	case "json":
		out := make([]ruleJSON, 0, len(rules))
		for _, r := range rules {
			out = append(out, ruleJSON{r.ID, r.Title, r.Dimension, r.Weight, r.Rationale, r.Remediation, r.Kubernetes})
		}
		return writeJSON(w, out)
	case "md":
		fmt.Fprintln(w, "| Rule | Dimension | Weight | What it means | Kubernetes counterpart |")
		fmt.Fprintln(w, "|---|---|---:|---|---|")
		for _, r := range rules {
			fmt.Fprintf(w, "| %s | %s | %s | **%s.** %s | %s |\n", report.MarkdownCode(r.ID), r.Dimension, weight(r.Weight),
				report.MarkdownCell(r.Title), report.MarkdownCell(r.Rationale), report.MarkdownCell(r.Kubernetes))
		}
		return nil
	}
	t := newTable(w, "RULE", "DIMENSION", "WEIGHT", "TITLE")
	for _, r := range rules {
		t.row(r.ID, r.Dimension, weight(r.Weight), r.Title)
	}
	return t.flush()
}

func weight(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

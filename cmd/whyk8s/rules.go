package main

import (
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
the table the README's "How scoring works" section is generated from; '--format json' carries
every field of every rule (direction, severity, cap, blocker effort, facts read).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, _ := cmd.Flags().GetString("format")
			if err := checkPrintFormat(format); err != nil {
				return err
			}
			return report.WriteRules(a.stdout, assess.NewCatalogue().Rules(), format)
		},
	}
	addPrintFormatFlag(cmd)
	return cmd
}

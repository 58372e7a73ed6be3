package main

import (
	"errors"

	"github.com/spf13/cobra"

	"whyk8s/assess"
	"whyk8s/history"
	"whyk8s/report"
)

func newDiffCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "diff OLD.json NEW.json",
		Short: "Print what moved between two assessments",
		Long: `Compare two assessment.json files: workloads added and removed, score and category changes
with the rules that moved them, blockers fixed and new, findings resolved and new, readiness
answers that changed, and the verdict if it changed. Workloads are matched by account, region
and group name; a renamed group shows as one removed and one added. With
--fail-on-regression the exit code is 3 when things got worse.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, _ := cmd.Flags().GetString("format")
			if err := checkPrintFormat(format); err != nil {
				return err
			}
			older, err := readAssessment(args[0])
			if err != nil {
				return err
			}
			newer, err := readAssessment(args[1])
			if err != nil {
				return err
			}
			newer.Changes = assess.Diff(older, newer)
			if err := report.WriteChanges(a.stdout, newer, format); err != nil {
				return err
			}
			if fail, _ := cmd.Flags().GetBool("fail-on-regression"); fail {
				if bad, reasons := newer.Changes.Regressed(); bad {
					for _, r := range reasons {
						a.log.Warn("regressed", "reason", r)
					}
					return errPartial
				}
			}
			return nil
		},
	}
	addPrintFormatFlag(cmd)
	cmd.Flags().Bool("fail-on-regression", false, "exit 3 when readiness, a category, a blocker or a finding got worse")
	return cmd
}

func readAssessment(path string) (*assess.Assessment, error) {
	a, err := history.ReadFile(path)
	if errors.Is(err, history.ErrNotAssessment) {
		return nil, usageError(err)
	}
	return a, err
}

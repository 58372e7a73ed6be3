package main

import (
	"errors"

	"github.com/spf13/cobra"

	"whyk8s/assess"
	"whyk8s/inventory"
	"whyk8s/inventory/gather"
	"whyk8s/report"
)

func newScanCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scan DIR…",
		Short: "Read infrastructure and provisioning code and print what it shows, with file and line",
		Long: `Read everything assess reads in the given folders — Terraform, Terragrunt and
CloudFormation as well as Packer templates (JSON and HCL2), Ansible playbooks and roles, shell
and PowerShell user data and cloud-config — and print every finding: the rule that reads it,
the file and line, and what was seen. Resources count whether or not a group uses them: sticky
sessions, health checks, scaling policies and scheduled actions, block devices, GPU instance
types, spot and mixed instances, tenancy, metadata options, and the user data they carry.
Secrets are reported by kind and place only, never by value. Files that cannot be read are
named in the output (and on stderr with --format json); the scan carries on, and exits with
code 3 (partial) when it is done.`,
		Example: `  whyk8s scan ./infra
  whyk8s scan ./terraform ./packer ./ansible --format json | jq '.findings[] | select(.rule=="` + assess.RuleFindS3FS + `")'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, _ := cmd.Flags().GetString("format")
			if err := checkPrintFormat(format); err != nil {
				return err
			}
			// The same folders are read as infrastructure code and as provisioning code: a
			// repository holds both, and scan is the one way in to all of it.
			res, err := gather.Estate(cmd.Context(), gather.Sources{IaC: args, Scripts: args, Now: runTime()})
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
			var stats inventory.ScriptStats
			if est.ScriptStats != nil {
				stats = *est.ScriptStats
			}
			out := report.NewScan(assess.ScanFindings(est, assess.NewCatalogue()), est.Coverage, stats, all)
			if err := report.WriteScan(a.stdout, out, format); err != nil {
				return err
			}
			return scanOutcome(res)
		},
	}
	addPrintFormatFlag(cmd)
	cmd.Flags().Bool("all", false, "also list facts no rule uses (every package installed, for instance)")
	return cmd
}

// scanOutcome is partial, like an --iac run, when the scan could not read every file:
// what those files hold is missing from the findings. A reference that leads nowhere (a
// broken link, a role that is not there) misses nothing that exists.
func scanOutcome(res *gather.Result) error {
	if res.Partial != "" {
		return errPartial
	}
	for _, g := range res.Estate.Coverage {
		if g.Missing() {
			return errPartial
		}
	}
	return nil
}

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
		Short: "Read provisioning scripts and print what they show, with file and line",
		Long: `Read Packer templates (JSON and HCL2), Ansible playbooks and roles, shell user data and
cloud-config in the given folders, and print every finding: the rule it feeds, the file and
line, and what was seen. Secrets are reported by kind and place only, never by value. Files
that cannot be read are named in the output (and on stderr with --format json); the scan
carries on, and exits with code 3 (partial) when it is done.`,
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
			var stats inventory.ScriptStats
			if est.ScriptStats != nil {
				stats = *est.ScriptStats
			}
			out := report.NewScan(assess.ScriptFindings(est.Scripts, assess.NewCatalogue()), est.Coverage, stats, all)
			if err := report.WriteScan(a.stdout, out, format); err != nil {
				return err
			}
			// Like an --iac run, a scan that could not read every file is partial: what those
			// files hold is missing from the findings. A reference that leads nowhere (a
			// broken link, a role that is not there) misses nothing that exists.
			for _, g := range est.Coverage {
				if g.Kind != inventory.GapNotFound && g.Kind != inventory.GapUnresolved {
					return errPartial
				}
			}
			return nil
		},
	}
	addPrintFormatFlag(cmd)
	cmd.Flags().Bool("all", false, "also list facts no rule uses (every package installed, for instance)")
	return cmd
}

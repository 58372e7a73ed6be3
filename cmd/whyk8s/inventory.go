package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"whyk8s/internal/atomicfile"
	"whyk8s/inventory"
	awsinv "whyk8s/inventory/aws"
)

func newInventoryCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "inventory",
		Short: "Collect the estate and save it as a snapshot, to assess later",
		Long: `Collect the estate (live AWS by default) and the provisioning scripts, and save them as a
JSON snapshot. A consultant collects on site with read-only credentials and assesses later with
'whyk8s assess --snapshot FILE'. Secrets in user data and scripts are redacted before anything
is written.`,
		Example: `  whyk8s inventory --regions all --out estate.json
  whyk8s inventory --org-accounts --role-name WhyK8sReadOnly --regions eu-west-1 --out estate.json
  whyk8s inventory --iac ./terraform --iac-region eu-west-1 --out estate.json
  whyk8s inventory --demo --out estate.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fs := cmd.Flags()
			// inventory collects from AWS unless another source is named.
			if !fs.Changed("demo") && !fs.Changed("snapshot") && !a.cfg.Demo && a.cfg.Snapshot == "" && len(a.cfg.IaC.Dirs) == 0 {
				a.cfg.AWS.Enabled = true
			}
			gathered, err := gatherEstate(cmd.Context(), a)
			if err != nil {
				return err
			}
			est := gathered.Estate
			data, err := inventory.Encode(est)
			if err != nil {
				return err
			}
			out, _ := fs.GetString("out")
			if dir := filepath.Dir(out); dir != "." {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
			}
			if err := atomicfile.WriteFile(out, data, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "whyk8s saved %d Auto Scaling groups, %d load balancers, %d target groups and %d scripts to %s\n",
				len(est.Groups), len(est.ClassicLoadBalancers)+len(est.LoadBalancers), len(est.TargetGroups), len(est.Scripts), out)
			if p := gathered.Partial; p != "" {
				fmt.Fprintf(a.stdout, "Partial: %s; the snapshot's coverage lists them.\n", p)
				return errPartial
			}
			return nil
		},
	}
	fs := cmd.Flags()
	addSourceFlags(fs)
	fs.String("out", "estate.json", "snapshot file to write")
	return cmd
}

// addAWSFlags adds the flags that say which accounts and regions to read and how.
func addAWSFlags(fs *pflag.FlagSet) {
	def := defaultConfig().AWS
	fs.StringSlice("regions", nil, "regions to read, or 'all' for every enabled region")
	fs.String("profile", "", "AWS shared-config profile")
	fs.String("role-arn", "", "role to assume for the collection")
	fs.String("external-id", "", "external id for --role-arn")
	fs.String("session-name", def.SessionName, "role session name")
	fs.Bool("org-accounts", false, "walk every ACTIVE account of the organisation through --role-name")
	fs.String("role-name", "", "role name to assume in each organisation account")
	fs.StringSlice("accounts", nil, "account ids to read through --role-name (without Organizations access)")
	fs.StringSlice("include-accounts", nil, "with --org-accounts: only these account ids")
	fs.StringSlice("exclude-accounts", nil, "with --org-accounts: skip these account ids")
	fs.String("ou", "", "with --org-accounts: only accounts under this organisational unit")
	fs.Int("concurrency", def.Concurrency, "AWS calls in flight at once, across accounts and regions")
	fs.String("endpoint", "", "AWS-compatible endpoint for every service (also AWS_ENDPOINT_URL)")
	fs.Duration("call-timeout", def.CallTimeout, "timeout for each attempt of an AWS call")
	for flag, key := range map[string]string{
		"regions": "aws.regions", "profile": "aws.profile", "role-arn": "aws.role_arn",
		"external-id": "aws.external_id", "session-name": "aws.session_name",
		"org-accounts": "aws.org_accounts", "role-name": "aws.role_name", "accounts": "aws.accounts",
		"include-accounts": "aws.include_accounts", "exclude-accounts": "aws.exclude_accounts",
		"ou": "aws.ou", "concurrency": "aws.concurrency", "endpoint": "aws.endpoint",
		"call-timeout": "aws.call_timeout",
	} {
		bind(fs, flag, key)
	}
}

// awsOptions turns the configuration into the collector's options.
func awsOptions(a *app) awsinv.Options {
	c := a.cfg.AWS
	opts := awsinv.Options{
		Regions:         c.Regions,
		Profile:         c.Profile,
		RoleARN:         c.RoleARN,
		ExternalID:      c.ExternalID,
		SessionName:     c.SessionName,
		OrgAccounts:     c.OrgAccounts,
		RoleName:        c.RoleName,
		Accounts:        c.Accounts,
		IncludeAccounts: c.IncludeAccounts,
		ExcludeAccounts: c.ExcludeAccounts,
		OU:              c.OU,
		Concurrency:     c.Concurrency,
		Endpoint:        c.Endpoint,
		CallTimeout:     c.CallTimeout,
		MaxAttempts:     c.MaxAttempts,
	}
	if !a.cfg.Quiet && interactive(a.stderr) {
		opts.Progress = newProgress(a.stderr)
	}
	return opts
}

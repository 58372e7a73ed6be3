package main

import (
	"github.com/spf13/cobra"

	awsinv "whyk8s/inventory/aws"
)

func newIAMPolicyCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "iam-policy",
		Short: "Print the least-privilege, read-only IAM policy the collector needs",
		Long: `Print the IAM policy JSON with exactly the actions the collector calls: Describe, List and
Get only, plus sts:AssumeRole for multi-account collection. Attach it to the role or user the
consultant runs whyk8s with (and to the role named by --role-name in each account).`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			doc, err := awsinv.Policy()
			if err != nil {
				return err
			}
			_, err = a.stdout.Write(doc)
			return err
		},
	}
}

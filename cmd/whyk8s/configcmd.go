package main

import (
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

func newConfigCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print the configuration in force (defaults < whyk8s.yaml < WHYK8S_* < flags)",
		Long: `Print the configuration in force, after defaults, the config file, WHYK8S_* environment
variables and flags are combined (flags win, then the environment, then the file). The flags of
'assess' are accepted, so 'whyk8s config --regions eu-west-1' shows what 'whyk8s assess
--regions eu-west-1' would run with.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			enc := yaml.NewEncoder(a.stdout)
			enc.SetIndent(2)
			defer enc.Close()
			return enc.Encode(a.cfg)
		},
	}
	// The same flags as assess, so the precedence shown is the precedence assess gets.
	ref := newAssessCmd(a)
	cmd.Flags().AddFlagSet(ref.Flags())
	return cmd
}

package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// app is what every command shares: where output goes and the loaded configuration.
type app struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	cfg            *Config
	configFile     string
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "whyk8s",
		Short: "Assess an AWS estate of Auto Scaling groups and load balancers for Kubernetes",
		Long: `whyk8s answers, workload by workload, what Kubernetes would give an organisation that its
Auto Scaling groups and load balancers don't — and whether the organisation is ready.

It inventories AWS (read-only) and the code behind the groups (Terraform, Terragrunt,
CloudFormation, Packer, Ansible, user data, cloud-init), scores container fit with evidence
for every point, scores organisational readiness from a questionnaire, and writes a report
in PDF, Markdown, JSON, CSV and a workbook.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd, a.configFile)
			if err != nil {
				return err
			}
			a.cfg = cfg
			a.log = newLogger(a.stderr, cfg.Log)
			// The packages log their debug lines (an AWS gap as it happens, each file a
			// scan skips) through the default logger; the command's settings apply to them.
			slog.SetDefault(a.log)
			return nil
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })

	pf := root.PersistentFlags()
	pf.StringVar(&a.configFile, "config", "", "configuration file (default: whyk8s.yaml in the working directory, if present)")
	pf.Bool("quiet", false, "no progress on stderr")
	def := defaultConfig()
	pf.String("log-format", def.Log.Format, "diagnostics on stderr as text or json")
	pf.String("log-level", def.Log.Level, "debug, info, warn or error")
	bind(pf, "quiet", "quiet")
	bind(pf, "log-format", "log.format")
	bind(pf, "log-level", "log.level")

	root.AddCommand(
		newAssessCmd(a),
		newInventoryCmd(a),
		newScanCmd(a),
		newManifestsCmd(a),
		newRulesCmd(a),
		newQuestionnaireCmd(a),
		newDiffCmd(a),
		newMergeCmd(a),
		newIAMPolicyCmd(a),
		newConfigCmd(a),
		newVersionCmd(a),
	)
	usageErrors(root)
	return root
}

// usageErrors makes unknown commands and bad arguments usage errors (exit 2), like bad
// flags.
func usageErrors(root *cobra.Command) {
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })
		if c.Args != nil {
			args := c.Args
			c.Args = func(cmd *cobra.Command, in []string) error { return usageError(args(cmd, in)) }
		}
	}
	// Without RunE cobra prints help for an unknown command and exits 0; a typo in a
	// scheduled job's command line must fail instead.
	root.Args = cobra.ArbitraryArgs
	root.RunE = func(cmd *cobra.Command, in []string) error {
		if len(in) > 0 {
			return usageError(fmt.Errorf("unknown command %q for whyk8s; see 'whyk8s --help'", in[0]))
		}
		return cmd.Help()
	}
}

func newLogger(w io.Writer, c LogConfig) *slog.Logger {
	level := slog.LevelInfo
	_ = level.UnmarshalText([]byte(strings.ToUpper(c.Level)))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// interactive reports whether w is a terminal, so progress lines are shown only to people.
func interactive(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

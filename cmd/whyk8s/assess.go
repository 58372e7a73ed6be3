package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"whyk8s/assess"
	"whyk8s/history"
	"whyk8s/internal/printable"
	"whyk8s/inventory"
	"whyk8s/report"
)

func newAssessCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "assess",
		Short: "Run the whole pipeline: inventory, assess, and write the report",
		Example: `  whyk8s assess --demo
  whyk8s assess --aws --regions eu-west-1,eu-central-1 --scripts ./infra --answers org.yaml
  whyk8s assess --snapshot estate.json --scripts ./packer ./ansible --format md,json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runAssess(cmd, a) },
	}
	fs := cmd.Flags()
	addSourceFlags(fs)
	fs.String("answers", "", "organisation questionnaire answers (YAML, see 'whyk8s questionnaire')")
	fs.String("out", defaultConfig().Out, "folder to write the report files to (created if missing)")
	fs.StringSlice("format", defaultConfig().Report.Formats, "formats to write")
	fs.String("name", "", "prefix for the report file names")
	fs.String("template", "", "Markdown template overriding the built-in one")
	fs.String("logo", "", "client logo (PNG or JPEG) for the PDF cover")
	fs.String("history", "", "folder of past assessments: store this run there and report what changed")
	fs.Bool("fail-on-regression", false, "exit 3 when readiness, a category, a blocker or a finding got worse since the last run in --history")
	fs.String("manifests", "", "also write starter Kubernetes manifests to this folder (see 'whyk8s manifests')")
	addWaiversFlag(fs)
	bind(fs, "answers", "answers")
	bind(fs, "out", "out")
	bind(fs, "format", "report.formats")
	bind(fs, "name", "report.name")
	bind(fs, "template", "report.template")
	bind(fs, "logo", "report.logo")
	bind(fs, "history", "history.dir")
	bind(fs, "fail-on-regression", "fail_on_regression")
	bind(fs, "manifests", "manifests.dir")
	return cmd
}

// addSourceFlags adds the flags that choose where AWS facts and scripts come from; assess
// and inventory share them.
func addSourceFlags(fs *pflag.FlagSet) {
	fs.Bool("demo", false, "use the embedded demo estate, its scripts and its answers")
	fs.String("snapshot", "", "read AWS facts from a snapshot written by 'whyk8s inventory'")
	fs.Bool("aws", false, "collect AWS facts live (read-only; see 'whyk8s iam-policy')")
	fs.StringSlice("scripts", nil, "folders of provisioning scripts (Packer, Ansible, user data, cloud-init)")
	fs.StringSlice("iac", nil, "read AWS facts from Terraform and CloudFormation in these folders instead of AWS")
	fs.String("iac-region", "", "region to assume where the Terraform or CloudFormation does not say")
	fs.String("iac-account", "", "account to assume where the Terraform or CloudFormation does not say")
	fs.String("iac-workspace", "", "Terraform workspace to read the code for (terraform.workspace)")
	fs.String("client", "", "client name shown in the report")
	bind(fs, "demo", "demo")
	bind(fs, "snapshot", "snapshot")
	bind(fs, "aws", "aws.enabled")
	bind(fs, "scripts", "scripts")
	bind(fs, "iac", "iac.dirs")
	bind(fs, "iac-region", "iac.region")
	bind(fs, "iac-account", "iac.account")
	bind(fs, "iac-workspace", "iac.workspace")
	bind(fs, "client", "client")
	addAWSFlags(fs)
}

func runAssess(cmd *cobra.Command, a *app) error {
	ctx := cmd.Context()
	cfg := a.cfg
	ropts := reportOptions(cfg)
	// A typo in --format or --template should fail now, not after an hour of collection.
	if err := ropts.Check(); err != nil {
		return usageError(err)
	}
	waivers, err := loadWaivers(a)
	if err != nil {
		return err
	}
	gathered, err := gatherEstate(ctx, a)
	if err != nil {
		return err
	}
	est := gathered.Estate
	answers, err := loadAnswers(a)
	if err != nil {
		return err
	}
	acfg := assessConfig(cfg)
	acfg.Waivers = waivers
	result, err := assess.Assess(est, answers, acfg, assess.Meta{Now: est.CollectedAt, ToolVersion: version, RunAt: runTime()})
	if err != nil {
		return usageError(err)
	}
	logWaivers(a, result)

	regressed, err := compareWithHistory(ctx, a, result)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	// Manifests are written before the report so that the report can link to them.
	manifestsIndex, err := writeManifestsFor(cmd, a, result, est, &ropts)
	if err != nil {
		return err
	}
	paths, err := writeReports(ctx, a, result, ropts)
	if err != nil {
		return err
	}
	if manifestsIndex != "" {
		paths = append(paths, manifestsIndex)
	}
	report.WriteSummary(a.stdout, result, paths)
	return assessOutcome(a, gathered.Partial, regressed)
}

// reportOptions are the report settings of the configuration.
func reportOptions(cfg *Config) report.Options {
	return report.Options{
		Dir:      cfg.Out,
		Name:     cfg.Report.Name,
		Formats:  cfg.Report.Formats,
		Logo:     cfg.Report.Logo,
		Template: cfg.Report.Template,
	}
}

// writeManifestsFor writes the manifests when a folder is configured, points the report
// at them, and returns the path of their index ("" when none were asked for).
func writeManifestsFor(cmd *cobra.Command, a *app, result *assess.Assessment, est *inventory.Estate, ropts *report.Options) (string, error) {
	dir := a.cfg.Manifests.Dir
	if dir == "" {
		return "", nil
	}
	outs, err := writeManifests(cmd, a, result, est, dir)
	if err != nil {
		return "", err
	}
	ropts.Manifests, ropts.ManifestsIndex = manifestLinks(a.cfg.Out, dir, outs)
	return filepath.Join(dir, "README.md"), nil
}

// assessOutcome says on stdout why a finished run is not a clean success — part of the
// estate could not be read, or it regressed while the configuration says to fail on
// that — and returns the matching exit error.
func assessOutcome(a *app, missing string, regressed []string) error {
	switch {
	case missing != "":
		fmt.Fprintf(a.stdout, "\nPartial: %s; the report's coverage section lists them.\n", missing)
		return errPartial
	case a.cfg.FailOnRegression && len(regressed) > 0:
		fmt.Fprintln(a.stdout, "\nRegressed since the last run:")
		for _, r := range regressed {
			fmt.Fprintf(a.stdout, "  - %s\n", printable.Escape(r))
		}
		return errPartial
	}
	return nil
}

func assessConfig(cfg *Config) assess.Config {
	c := assess.DefaultConfig()
	c.Weights = cfg.Scoring.Weights
	c.Dimensions = cfg.Scoring.Dimensions
	c.Thresholds = cfg.Scoring.Thresholds
	c.FactorWeights = cfg.Scoring.FactorWeights
	if len(cfg.Scoring.EnvironmentTags) > 0 {
		c.EnvironmentTags = cfg.Scoring.EnvironmentTags
	}
	return c
}

// compareWithHistory sets the changes since the previous run in --history and the trend
// over every run, and returns what got worse.
func compareWithHistory(ctx context.Context, a *app, result *assess.Assessment) (regressed []string, err error) {
	if a.cfg.History.Dir == "" {
		return nil, nil
	}
	runs, warnings, err := history.Load(ctx, a.cfg.History.Dir)
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		a.log.Warn("skipped a file in the history folder", "file", w.Path, "reason", w.Reason)
	}
	if prev := history.Previous(runs, result.GeneratedAt); prev != nil {
		result.Changes = assess.Diff(prev.Assessment, result)
		if bad, reasons := result.Changes.Regressed(); bad {
			regressed = reasons
		}
	}
	result.Trend = history.Trend(runs, result)
	return regressed, nil
}

// writeReports renders the reports into a staging folder and puts them in place only after
// the history holds this run: a history that cannot be written never leaves new reports
// beside an old history, and a failed rendering leaves last run's reports whole.
func writeReports(ctx context.Context, a *app, result *assess.Assessment, ropts report.Options) ([]string, error) {
	pending, err := report.Prepare(ctx, result, ropts)
	if err != nil {
		if pending != nil {
			pending.Discard()
		}
		report.WriteSummary(a.stdout, result, nil)
		if errors.Is(err, report.ErrBadOption) {
			return nil, usageError(err)
		}
		return nil, err
	}
	defer pending.Discard()
	if a.cfg.History.Dir != "" {
		stored, err := history.Store(a.cfg.History.Dir, result)
		if err != nil {
			return nil, fmt.Errorf("%w; the reports were not replaced", err)
		}
		a.log.Info("stored assessment in history", "file", stored)
	}
	return pending.Publish()
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"whyk8s/assess"
	"whyk8s/fixtures"
	"whyk8s/inventory"
	awsinv "whyk8s/inventory/aws"
	"whyk8s/inventory/iac"
	"whyk8s/inventory/scripts"
)

// gatherEstate builds the estate a command works on: from the demo, a snapshot or live AWS,
// plus the provisioning scripts in cfg.Scripts, with user data read and scripts linked.
func gatherEstate(ctx context.Context, a *app) (*inventory.Estate, error) {
	cfg := a.cfg
	sources := 0
	for _, on := range []bool{cfg.Demo, cfg.Snapshot != "", cfg.AWS.Enabled, len(cfg.IaC.Dirs) > 0} {
		if on {
			sources++
		}
	}
	if sources > 1 {
		return nil, usageError(errors.New("give one source of AWS facts: --demo, --snapshot FILE, --aws or --iac DIR"))
	}

	var (
		est   *inventory.Estate
		roots []scripts.Root
		err   error
	)
	switch {
	case cfg.Demo:
		est, err = fixtures.DemoEstate()
		if err != nil {
			return nil, fmt.Errorf("demo estate: %w", err)
		}
		roots = append(roots, scripts.FS("demo", fixtures.DemoScripts()))
	case cfg.Snapshot != "":
		est, err = inventory.LoadFile(cfg.Snapshot)
		if err != nil {
			if errors.Is(err, inventory.ErrBadSnapshot) || errors.Is(err, os.ErrNotExist) {
				return nil, usageError(err)
			}
			return nil, err
		}
	case cfg.AWS.Enabled:
		est, err = awsinv.Collect(ctx, awsOptions(a))
		if errors.Is(err, awsinv.ErrOptions) {
			return nil, usageError(err)
		}
		if err != nil {
			return nil, fmt.Errorf("collect AWS inventory: %w", err)
		}
	case len(cfg.IaC.Dirs) > 0:
		for _, dir := range cfg.IaC.Dirs {
			if err := checkDir("infrastructure-as-code folder", dir); err != nil {
				return nil, err
			}
		}
		est, err = iac.Read(ctx, cfg.IaC.Dirs, iac.Options{DefaultRegion: cfg.IaC.Region, DefaultAccount: cfg.IaC.Account, Workspace: cfg.IaC.Workspace})
		if err != nil {
			return nil, fmt.Errorf("read infrastructure-as-code: %w", err)
		}
		// The facts are as of now, as for a live collection; SOURCE_DATE_EPOCH pins the
		// date for a reproducible report.
		est.CollectedAt = runTime()
		logGaps(a, "infrastructure code", est.Coverage)
		for _, g := range est.Coverage {
			if g.Kind != inventory.GapUnresolved && g.Kind != inventory.GapNotFound {
				a.unreadCode++
			}
		}
	default:
		return nil, usageError(errors.New("nothing to assess: give --demo, --snapshot FILE, --aws or --iac DIR (for scripts alone, use 'whyk8s scan DIR')"))
	}
	if cfg.Client != "" {
		est.Client = cfg.Client
	}
	// Snapshots and fixtures may hold raw user data; nothing downstream may see a secret.
	scripts.RedactEstate(est)

	for _, dir := range cfg.Scripts {
		if err := checkDir("scripts folder", dir); err != nil {
			return nil, err
		}
		roots = append(roots, scripts.Dir(dir))
	}
	if len(roots) > 0 {
		res, err := scripts.Scan(ctx, roots, scripts.Options{})
		if err != nil {
			return nil, fmt.Errorf("read scripts: %w", err)
		}
		est.Scripts = append(est.Scripts, res.Scripts...)
		est.Coverage = append(est.Coverage, res.Coverage...)
		stats := res.Stats
		est.ScriptStats = &stats
		for _, r := range roots {
			est.ScriptRoots = append(est.ScriptRoots, r.Name)
		}
		logGaps(a, "script", res.Coverage)
	}

	// Both rebuild what they derive, so a snapshot that already holds user data scripts and
	// links does not get them twice.
	scripts.ReadUserData(est)
	scripts.Link(est, scripts.LinkOptions{TagKeys: cfg.Links.Tags})
	est.Sort()
	return est, nil
}

// runTime is the time of this run, to the second, or SOURCE_DATE_EPOCH when it is set (the
// reproducible-builds convention), so that a rerun on the same code can be byte-identical.
func runTime() time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Now().UTC().Truncate(time.Second)
}

// checkDir is a usage error unless dir is a folder that exists.
func checkDir(what, dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return usageError(fmt.Errorf("%s: %w", what, err))
	}
	if !info.IsDir() {
		return usageError(fmt.Errorf("%s %s: not a directory", what, dir))
	}
	return nil
}

// loadAnswers reads the org questionnaire answers, or the demo's when --demo is given alone.
func loadAnswers(a *app) (*assess.Answers, error) {
	switch {
	case a.cfg.Answers != "":
		data, err := os.ReadFile(a.cfg.Answers)
		if err != nil {
			return nil, usageError(fmt.Errorf("answers: %w", err))
		}
		ans, err := assess.ParseAnswers(a.cfg.Answers, data)
		if err != nil {
			return nil, usageError(err)
		}
		return ans, nil
	case a.cfg.Demo:
		ans, err := assess.ParseAnswers(filepath.Join("fixtures", "demo", "org-answers.yaml"), fixtures.DemoAnswers())
		if err != nil {
			return nil, fmt.Errorf("demo answers: %w", err)
		}
		return ans, nil
	}
	return nil, nil
}

// logGaps names on stderr every file (a script, infrastructure code) that could not be
// read, with its line.
func logGaps(a *app, what string, gaps []inventory.CoverageGap) {
	for _, gap := range gaps {
		msg := "could not read " + what
		switch gap.Kind {
		case inventory.GapNotFound:
			msg = "reference in " + what + " not followed"
		case inventory.GapUnresolved:
			msg = "value not known from the code"
		}
		a.log.Warn(msg, "path", gap.Path, "line", gap.Line, "kind", gap.Kind, "problem", gap.Message)
	}
}

// partial says what part of the source of AWS facts could not be read — regions and
// accounts, or files of infrastructure code — or "" when all of it was read. Either makes
// a run partial, because a missing group must never be mistaken for no workload.
func partial(a *app, e *inventory.Estate) string {
	switch n := awsGaps(e); {
	case n > 0:
		return fmt.Sprintf("%d part(s) of the AWS estate could not be read", n)
	case a.unreadCode > 0:
		return fmt.Sprintf("%d file(s) of infrastructure code could not be read", a.unreadCode)
	}
	return ""
}

// awsGaps counts the coverage gaps that come from AWS (not from scripts).
func awsGaps(e *inventory.Estate) int {
	n := 0
	for _, g := range e.Coverage {
		if g.Service != "" {
			n++
		}
	}
	return n
}

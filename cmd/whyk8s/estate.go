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
	"whyk8s/internal/inputfile"
	"whyk8s/inventory"
	"whyk8s/inventory/gather"
	"whyk8s/inventory/iac"
)

// gatherEstate builds the estate a command works on from the sources the configuration
// names, through the one gather pipeline, and logs what could not be read.
func gatherEstate(ctx context.Context, a *app) (*gather.Result, error) {
	if !a.cfg.Demo && a.cfg.Snapshot == "" && !a.cfg.AWS.Enabled && len(a.cfg.IaC.Dirs) == 0 && len(a.cfg.Scripts) == 0 {
		return nil, usageError(errors.New("nothing to assess: give --demo, --snapshot FILE, --aws, --iac DIR or --scripts DIR"))
	}
	src := sources(a)
	res, err := gather.Estate(ctx, src)
	if errors.Is(err, gather.ErrUsage) {
		return nil, usageError(err)
	}
	if err != nil {
		return nil, err
	}
	if codeOnly(a) && len(res.Estate.Groups) == 0 {
		// The scripts' folders define no group: the estate is the provisioning code alone.
		res.Estate.Source = inventory.SourceCode
	}
	logGaps(a, res.Estate.Coverage)
	return res, nil
}

// sources turns the configuration into the gather pipeline's sources.
func sources(a *app) gather.Sources {
	cfg := a.cfg
	src := gather.Sources{
		Demo:     cfg.Demo,
		Snapshot: cfg.Snapshot,
		IaC:      cfg.IaC.Dirs,
		IaCOptions: iac.Options{
			DefaultRegion: cfg.IaC.Region, DefaultAccount: cfg.IaC.Account, Workspace: cfg.IaC.Workspace,
		},
		Scripts:  cfg.Scripts,
		Client:   cfg.Client,
		LinkTags: cfg.Links.Tags,
		// SOURCE_DATE_EPOCH pins the date of an estate read from code, for a reproducible report.
		Now: runTime(),
	}
	if cfg.AWS.Enabled {
		opts := awsOptions(a)
		src.AWS = &opts
	}
	if codeOnly(a) {
		// Code alone, before the credentials arrive: the groups the repositories' Terraform
		// or CloudFormation defines are the estate; without any, each image build, playbook
		// and boot script is assessed as a provisional workload.
		src.IaC = cfg.Scripts
	}
	return src
}

// codeOnly reports a run with provisioning code and no source of AWS facts: before the
// credentials arrive.
func codeOnly(a *app) bool {
	cfg := a.cfg
	return !cfg.Demo && cfg.Snapshot == "" && !cfg.AWS.Enabled && len(cfg.IaC.Dirs) == 0 && len(cfg.Scripts) > 0
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

// loadAnswers reads the org questionnaire answers, or the demo's when --demo is given alone.
func loadAnswers(a *app) (*assess.Answers, error) {
	switch {
	case a.cfg.Answers != "":
		data, err := inputfile.Read(a.cfg.Answers, inputfile.MaxAnswers)
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

// logGaps names on stderr every place (a file, a region) that could not be read, with its
// line, and every value the code leaves unknown.
func logGaps(a *app, gaps []inventory.CoverageGap) {
	for _, gap := range gaps {
		msg := "could not read"
		switch {
		case gap.Service != "":
			msg = "could not read part of the AWS estate"
		case gap.Kind == inventory.GapNotFound:
			msg = "reference not followed"
		case gap.Kind == inventory.GapNotRead:
			msg = "script not read"
		case gap.Kind == inventory.GapUnresolved:
			msg = "value not known from the code"
		}
		a.log.Warn(msg, "path", gap.Path, "line", gap.Line, "account", gap.Account, "region", gap.Region,
			"kind", gap.Kind, "problem", gap.Message)
	}
}

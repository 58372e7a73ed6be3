package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"whyk8s/assess"
	"whyk8s/internal/inputfile"
)

// addWaiversFlag adds --waivers to a command that assesses.
func addWaiversFlag(fs *pflag.FlagSet) {
	fs.String("waivers", "", "waivers file: signals the teams accepted, each with rule, workload, reason, owner and expiry (replaces whyk8s.yaml's waivers:)")
	bind(fs, "waivers", "waivers_file")
}

// loadWaivers reads the waivers of a run: the file --waivers (or waivers_file) names, or
// else the waivers: list of the configuration file. Both are read with the line of each
// entry, so that an error, and the report, can point at it.
func loadWaivers(a *app) ([]assess.Waiver, error) {
	cfg := a.cfg
	if path := cfg.WaiversFile; path != "" {
		data, err := readInput(path)
		if err != nil {
			return nil, usageError(fmt.Errorf("waivers: %w", err))
		}
		ws, err := assess.ParseWaivers(path, data)
		if err != nil {
			return nil, usageError(err)
		}
		if cfg.Waivers != nil && cfg.file != "" {
			a.log.Info("the waivers file replaces the waivers written in the configuration file", "waivers", path, "config", cfg.file)
		}
		return ws, nil
	}
	if cfg.Waivers == nil {
		return nil, nil
	}
	if cfg.file == "" {
		// Only the environment can set the key without a file; a list does not fit in a variable.
		return nil, usageError(errors.New("waivers: write them under waivers: in whyk8s.yaml or in a file named with --waivers FILE"))
	}
	data, err := readInput(cfg.file)
	if err != nil {
		return nil, usageError(fmt.Errorf("waivers: %w", err))
	}
	ws, err := assess.ConfigWaivers(cfg.file, data)
	if err != nil {
		return nil, usageError(err)
	}
	if ws == nil {
		return nil, usageError(fmt.Errorf("waivers: %s has no waivers: list (was WHYK8S_WAIVERS set? name a file with --waivers FILE)", cfg.file))
	}
	return ws, nil
}

// datesAsWritten turns the dates the YAML decoder made of waivers' expires: back into the
// YYYY-MM-DD they were written as, so that 'whyk8s config' prints what can be pasted back.
func datesAsWritten(v any) any {
	switch x := v.(type) {
	case time.Time:
		if x.Equal(x.Truncate(24 * time.Hour)) {
			return x.UTC().Format(assess.DateLayout)
		}
		return x
	case []any:
		for i := range x {
			x[i] = datesAsWritten(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = datesAsWritten(x[k])
		}
	}
	return v
}

// readInput reads a file the user named: a waivers file, or the configuration file again
// for its waivers: list. Only a regular file is read, and no more than the limit.
func readInput(path string) ([]byte, error) {
	return inputfile.Read(path, inputfile.MaxWaivers)
}

// logWaivers says on stderr which waivers expired (their signals count again) and which
// waive nothing any more, so a scheduled run's log shows what a team must renew or remove.
func logWaivers(a *app, r *assess.Assessment) {
	for _, w := range r.Waivers {
		args := []any{"rule", w.Rule, "workload", w.Workload, "owner", w.Owner, "expires", w.Expires, "place", w.Place()}
		switch {
		case w.Expired:
			a.log.Warn("waiver expired: its signal counts again", append(args, "workloads", strings.Join(w.Workloads, ","))...)
		case len(w.Workloads) == 0:
			a.log.Info("waiver waives nothing: the rule does not fire on the workloads it names", args...)
		}
	}
}

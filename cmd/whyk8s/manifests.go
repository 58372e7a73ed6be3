package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"whyk8s/assess"
	"whyk8s/inventory"
	"whyk8s/manifests"
	"whyk8s/report"
)

// defaultManifestsDir is where 'whyk8s manifests' writes when neither --out nor
// manifests.dir says.
const defaultManifestsDir = "whyk8s-manifests"

func newManifestsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "manifests",
		Short: "Write starter Kubernetes manifests for each migration candidate",
		Long: `Write, per migration candidate, a folder with a kustomization.yaml and the objects its shape
calls for — Deployment or StatefulSet, Job or CronJob, HorizontalPodAutoscaler or KEDA
ScaledObject, Service, HTTPRoute or Ingress, PodDisruptionBudget, ServiceAccount, ConfigMap and
ExternalSecret — built from the estate's facts: sizes, scaling policies, schedules, health
checks, listeners, instance profile, environment and secrets found. Every value read from the
estate carries a comment and an annotation naming where it was read; what the estate cannot
say (image, command, resources, role ARN) is a FILL-IN placeholder, and each folder's README
lists them. Workloads that are not candidates get a line in the index README saying why.`,
		Example: `  whyk8s manifests --demo --out k8s/
  whyk8s manifests --iac ./terraform --scripts ./ansible --out k8s/ --route ingress
  whyk8s manifests --snapshot estate.json --scripts ./infra --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runManifests(cmd, a) },
	}
	fs := cmd.Flags()
	addSourceFlags(fs)
	fs.String("out", "", "folder to write the manifests to (default "+defaultManifestsDir+"; replaced whole if an earlier run wrote it)")
	fs.String("route", "gateway", "how HTTP listeners are routed: gateway (Gateway API HTTPRoute) or ingress")
	fs.String("format", "text", "what to print: text, json, or md (the index README)")
	bind(fs, "out", "manifests.dir")
	bind(fs, "route", "manifests.route")
	addWaiversFlag(fs)
	return cmd
}

func runManifests(cmd *cobra.Command, a *app) error {
	format, _ := cmd.Flags().GetString("format")
	if format != "text" && format != "json" && format != "md" {
		return usageError(fmt.Errorf("--format %q: want text, json or md", format))
	}
	dir := a.cfg.Manifests.Dir
	if dir == "" {
		dir = defaultManifestsDir
	}
	waivers, err := loadWaivers(a)
	if err != nil {
		return err
	}
	gathered, err := gatherEstate(cmd.Context(), a)
	if err != nil {
		return err
	}
	est := gathered.Estate
	acfg := assessConfig(a.cfg)
	acfg.Waivers = waivers
	result, err := assess.Assess(est, nil, acfg, assess.Meta{Now: est.CollectedAt, ToolVersion: version, RunAt: runTime()})
	if err != nil {
		return usageError(err)
	}
	logWaivers(a, result)
	outcomes, err := writeManifests(cmd, a, result, est, dir)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		if err := writeJSON(a.stdout, manifestsJSON{Dir: filepath.ToSlash(dir), Workloads: outcomes}); err != nil {
			return err
		}
	case "md":
		data, err := os.ReadFile(filepath.Join(dir, "README.md"))
		if err != nil {
			return err
		}
		a.stdout.Write(data)
	default:
		printManifests(a, dir, outcomes)
	}
	if missing := gathered.Partial; missing != "" {
		if format == "text" {
			fmt.Fprintf(a.stdout, "\nPartial: %s; workloads there have no manifests.\n", missing)
		}
		return errPartial
	}
	return nil
}

// manifestsJSON is the stable JSON shape 'whyk8s manifests --format json' prints.
type manifestsJSON struct {
	Dir       string              `json:"dir"`
	Workloads []manifests.Outcome `json:"workloads"`
}

// writeManifests generates and writes the manifests of an assessment; assess --manifests
// and the manifests command share it.
func writeManifests(cmd *cobra.Command, a *app, result *assess.Assessment, est *inventory.Estate, dir string) ([]manifests.Outcome, error) {
	gen, err := manifests.Generate(result, est, manifests.Options{Route: a.cfg.Manifests.Route})
	if err != nil {
		if errors.Is(err, manifests.ErrBadOption) {
			return nil, usageError(err)
		}
		return nil, err
	}
	if err := manifests.Write(cmd.Context(), dir, gen); err != nil {
		if errors.Is(err, manifests.ErrBadOption) {
			return nil, usageError(err)
		}
		return nil, err
	}
	return gen.Workloads, nil
}

func printManifests(a *app, dir string, outs []manifests.Outcome) {
	n := 0
	for _, o := range outs {
		if o.Folder != "" {
			n++
		}
	}
	fmt.Fprintf(a.stdout, "whyk8s wrote starter manifests for %d of %d workloads to %s\n", n, len(outs), filepath.ToSlash(dir))
	for _, o := range outs {
		if o.Folder != "" {
			fmt.Fprintf(a.stdout, "  %s/  %s (%d to fill in)\n", o.Folder, o.Shape, o.Placeholders)
		}
	}
	if n < len(outs) {
		fmt.Fprintln(a.stdout, "No manifests:")
		for _, o := range outs {
			if o.Folder == "" {
				fmt.Fprintf(a.stdout, "  %s: %s\n", o.Name, o.Why)
			}
		}
	}
	fmt.Fprintf(a.stdout, "Start with %s\n", filepath.ToSlash(filepath.Join(dir, "README.md")))
}

// manifestLinks turns the outcomes into the report's links, with paths relative to the
// report's folder.
func manifestLinks(reportDir, dir string, outs []manifests.Outcome) ([]report.ManifestLink, string) {
	rel := func(p string) string {
		if r, err := filepath.Rel(reportDir, p); err == nil {
			return filepath.ToSlash(r)
		}
		abs, _ := filepath.Abs(p)
		return filepath.ToSlash(abs)
	}
	links := make([]report.ManifestLink, 0, len(outs))
	for _, o := range outs {
		l := report.ManifestLink{Workload: o.Workload, Name: o.Name, Shape: o.Shape, Why: o.Why}
		if o.Folder != "" {
			l.README = rel(filepath.Join(dir, o.Folder, "README.md"))
		}
		links = append(links, l)
	}
	return links, rel(filepath.Join(dir, "README.md"))
}

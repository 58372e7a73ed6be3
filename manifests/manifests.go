// Package manifests writes starter Kubernetes manifests for each migration candidate of an
// assessment: per workload a folder with a kustomization.yaml, the objects its shape calls
// for (Deployment or StatefulSet, Job or CronJob, HorizontalPodAutoscaler or KEDA
// ScaledObject, Service, HTTPRoute or Ingress, PodDisruptionBudget, ServiceAccount,
// ConfigMap, ExternalSecret), and a README listing what a person must fill in.
//
// Every field that comes from a fact carries it: the object's whyk8s/evidence annotation
// lists the rule and the place (file:line, or ARN and API field), and a "from:" comment sits
// above the field. What the estate cannot say — the image, the command, resources, the role
// ARN — is a FILL-IN placeholder with a comment, never a guess. The facts are read from the
// estate's typed fields; the assessment contributes the recommendation and the blockers.
package manifests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"whyk8s/assess"
	"whyk8s/internal/inputfile"
	"whyk8s/inventory"
)

// Options say how to write the manifests.
type Options struct {
	// Route is RouteGateway (an HTTPRoute, the default) or RouteIngress.
	Route string
}

// ErrBadOption is wrapped by errors in the caller's options or output folder.
var ErrBadOption = errors.New("bad manifests options")

// Result is every file to write, and what was decided per workload.
type Result struct {
	Workloads []Outcome
	Files     []File
}

// Outcome is what was generated for one workload, or why nothing was.
type Outcome struct {
	Workload string `json:"workload"`
	Name     string `json:"name"`
	// Folder is the workload's folder relative to the output folder; empty when nothing
	// was generated.
	Folder string `json:"folder,omitempty"`
	// Shape names the controller and scaler ("Deployment + HorizontalPodAutoscaler").
	Shape string `json:"shape,omitempty"`
	// Why says why this shape, or why nothing was generated.
	Why string `json:"why"`
	// Placeholders counts the FILL-IN values left for a person.
	Placeholders int `json:"placeholders,omitempty"`
}

// File is one file to write, at a slash-separated path relative to the output folder.
type File struct {
	Path string
	Data []byte
}

// indexMarker opens the index README; a folder whose README starts with it was written by
// this command and may be replaced whole.
const indexMarker = "<!-- written by whyk8s manifests: this folder is replaced whole on the next run -->"

// Generate builds the manifests for every workload of the assessment from the estate the
// assessment was made from. The same input gives byte-identical files.
func Generate(a *assess.Assessment, e *inventory.Estate, opts Options) (*Result, error) {
	switch opts.Route {
	case "":
		opts.Route = RouteGateway
	case RouteGateway, RouteIngress:
	default:
		return nil, fmt.Errorf("%w: route %q: use %s or %s", ErrBadOption, opts.Route, RouteGateway, RouteIngress)
	}
	if a == nil || e == nil {
		return nil, fmt.Errorf("%w: an assessment and its estate are needed", ErrBadOption)
	}
	ws := make([]*assess.Workload, len(a.Workloads))
	for i := range a.Workloads {
		ws[i] = &a.Workloads[i]
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].ID < ws[j].ID })
	folders := folderNames(ws)

	r := &Result{}
	for _, aw := range ws {
		out := Outcome{Workload: aw.ID, Name: aw.Name}
		w := resolve(e, aw)
		if w == nil {
			out.Why = "the estate does not hold this group"
			r.Workloads = append(r.Workloads, out)
			continue
		}
		p := shape(shapeInputOf(w))
		out.Why = p.Why
		if !p.candidate() {
			r.Workloads = append(r.Workloads, out)
			continue
		}
		b := build(w, p, opts)
		out.Folder, out.Shape = folders[aw.ID], shapeName(b)
		files, fills, err := b.files(out.Folder)
		if err != nil {
			return nil, fmt.Errorf("workload %s: %w", aw.ID, err)
		}
		out.Placeholders = fills
		r.Files = append(r.Files, files...)
		r.Workloads = append(r.Workloads, out)
	}
	r.Files = append(r.Files, File{Path: "README.md", Data: indexReadme(a, r.Workloads)})
	sort.Slice(r.Files, func(i, j int) bool { return r.Files[i].Path < r.Files[j].Path })
	return r, nil
}

func shapeName(b *bundle) string {
	var kinds []string
	seen := map[string]bool{}
	for _, k := range []string{b.plan.Controller, b.plan.Scaler} {
		if k != "" && !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	for _, o := range b.objects {
		if !seen[o.Kind] && o.Kind != "ServiceAccount" && o.Kind != "ConfigMap" {
			seen[o.Kind] = true
			kinds = append(kinds, o.Kind)
		}
	}
	// The scaler is listed only if it was written.
	if b.plan.Scaler != "" && !b.has(b.plan.Scaler) {
		kinds = removeString(kinds, b.plan.Scaler)
	}
	return strings.Join(kinds, " + ")
}

func (b *bundle) has(kind string) bool {
	for _, o := range b.objects {
		if o.Kind == kind {
			return true
		}
	}
	return false
}

func removeString(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// files renders the bundle's objects, its kustomization.yaml and its README.
func (b *bundle) files(folder string) ([]File, int, error) {
	var files []File
	var fills []fillItem
	var resources []string
	for _, o := range b.objects {
		data, err := render(o)
		if err != nil {
			return nil, 0, err
		}
		files = append(files, File{Path: path.Join(folder, o.File), Data: data})
		resources = append(resources, o.File)
		for _, n := range o.Notes {
			if n.Fill {
				fills = append(fills, fillItem{file: o.File, line: lineOf(data, n.Path), field: n.Path, text: n.Text})
			}
		}
	}
	k := &object{File: "kustomization.yaml", Kind: "Kustomization", Obj: &kustomization{
		APIVersion: "kustomize.config.k8s.io/v1beta1", Kind: "Kustomization", Resources: resources,
		Images: []kustomizeImage{{Name: b.app, NewName: Placeholder, NewTag: Placeholder}}}}
	k.fill("images[0].newName", "the registry and repository of the container image (for example an ECR repository), and newTag its tag")
	data, err := render(k)
	if err != nil {
		return nil, 0, err
	}
	files = append(files, File{Path: path.Join(folder, "kustomization.yaml"), Data: data})
	fills = append(fills, fillItem{file: "kustomization.yaml", line: lineOf(data, "images[0].newName"), field: "images[0].newName", text: k.Notes[0].Text})
	sort.SliceStable(fills, func(i, j int) bool {
		if fills[i].file != fills[j].file {
			return fills[i].file < fills[j].file
		}
		return fills[i].line < fills[j].line
	})
	files = append(files, File{Path: path.Join(folder, "README.md"), Data: b.readme(fills)})
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, len(fills), nil
}

type fillItem struct {
	file  string
	line  int
	field string
	text  string
}

// folderNames gives each workload a folder named after its group; groups of the same name
// in several regions or accounts get the region, then the account, appended.
func folderNames(ws []*assess.Workload) map[string]string {
	count := func(key func(*assess.Workload) string) map[string]int {
		n := map[string]int{}
		for _, w := range ws {
			n[key(w)]++
		}
		return n
	}
	byName := func(w *assess.Workload) string { return dnsLabel(w.Name) }
	byRegion := func(w *assess.Workload) string { return dnsLabel(w.Name + "-" + w.Region) }
	names, regions := count(byName), count(byRegion)
	out := map[string]string{}
	for _, w := range ws {
		switch {
		case names[byName(w)] == 1:
			out[w.ID] = byName(w)
		case regions[byRegion(w)] == 1:
			out[w.ID] = byRegion(w)
		default:
			out[w.ID] = dnsLabel(w.Name + "-" + w.Region + "-" + w.Account)
		}
	}
	return out
}

// dnsLabel makes a name Kubernetes accepts for any object and for a Service: lower case
// letters, digits and dashes, starting with a letter, short enough that "-parameters" can
// be appended.
func dnsLabel(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" || out[0] < 'a' || out[0] > 'z' {
		out = "w-" + out
	}
	if len(out) > 50 {
		out = strings.TrimRight(out[:50], "-")
	}
	return out
}

// Write writes the result into dir, replacing a folder an earlier run wrote. The files go
// to a temporary folder first, so an interrupted run leaves the previous manifests whole.
// A dir that holds anything else is refused rather than mixed with.
func Write(ctx context.Context, dir string, r *Result) error {
	if err := ownedOrEmpty(dir); err != nil {
		return err
	}
	parent, base := filepath.Split(filepath.Clean(dir))
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("manifests: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".*.whyk8s-tmp")
	if err != nil {
		return fmt.Errorf("manifests: %w", err)
	}
	defer os.RemoveAll(tmp)
	for _, f := range r.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(tmp, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("manifests: %w", err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fmt.Errorf("manifests: %w", err)
		}
	}
	if _, err := os.Stat(dir); err == nil {
		old := tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("manifests: replace %s: %w", dir, err)
		}
		defer os.RemoveAll(old)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("manifests: write %s: %w", dir, err)
	}
	return nil
}

// ownedOrEmpty is nil when dir is missing, empty, or written by an earlier run.
func ownedOrEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrBadOption, dir, err)
	}
	if len(entries) == 0 {
		return nil
	}
	// The index's first line is all that tells; a named pipe called README.md must not hang.
	data, err := inputfile.Head(filepath.Join(dir, "README.md"), int64(len(indexMarker)))
	if err == nil && bytes.HasPrefix(data, []byte(indexMarker)) {
		return nil
	}
	return fmt.Errorf("%w: %s holds files whyk8s did not write; give an empty or new folder", ErrBadOption, dir)
}

package manifests

import (
	"fmt"
	"strings"

	"whyk8s/assess"
)

// readme is the folder's README: what was generated and why, what a person must fill in
// (file and line), and what the estate showed that no manifest carries.
func (b *bundle) readme(fills []fillItem) []byte {
	w, g := b.w, b.w.g
	var s strings.Builder
	fmt.Fprintf(&s, "# %s: starter Kubernetes manifests\n\n", g.Name)
	fmt.Fprintf(&s, "Written by `whyk8s manifests` from the Auto Scaling group `%s` (account %s, region %s). ", g.Name, g.Account, g.Region)
	fmt.Fprintf(&s, "The assessment rates it *%s* (%d/100, confidence %d%%): %s\n\n", w.a.Fit.Category, w.a.Fit.Score, w.a.Fit.Confidence, w.a.Recommendation.Text)
	fmt.Fprintf(&s, "**Shape:** %s: %s.\n\n", shapeName(b), b.plan.Why)
	s.WriteString("Every value that comes from the estate has a `# from:` comment above it naming where it was read (file:line, or ARN and API field), and each object lists the same in its `" + EvidenceAnnotation + "` annotation. ")
	s.WriteString("Nothing here is a guess: what the estate cannot say is `" + Placeholder + "`, which the API server or the kubelet rejects, so nothing runs until a person has decided.\n\n")
	s.WriteString("```sh\nkubectl kustomize .        # the objects as they will be applied\nkubectl apply -k .          # once every FILL-IN below is replaced\n```\n\n")

	s.WriteString("## Fill in before applying\n\n")
	for _, f := range fills {
		loc := f.file
		if f.line > 0 {
			loc = fmt.Sprintf("%s:%d", f.file, f.line)
		}
		fmt.Fprintf(&s, "- `%s` `%s`: %s\n", loc, f.field, oneLine(f.text))
	}
	s.WriteString("\n")

	var notCarried []string
	notCarried = append(notCarried, b.gaps...)
	cfg := configOf(w, b.app)
	notCarried = append(notCarried, cfg.dropped...)
	if len(notCarried) > 0 {
		s.WriteString("## Not carried over\n\n")
		for _, n := range notCarried {
			fmt.Fprintf(&s, "- %s\n", n)
		}
		s.WriteString("\n")
	}
	if len(w.a.Blockers) > 0 {
		s.WriteString("## Blockers from the assessment\n\n")
		s.WriteString("These come before the manifests are worth applying:\n\n")
		for _, bl := range w.a.Blockers {
			fmt.Fprintf(&s, "- **%s** (`%s`): %s\n", bl.Title, bl.Rule, oneLine(bl.Remediation))
		}
		s.WriteString("\n")
	}
	s.WriteString("## Files\n\n")
	for _, o := range b.objects {
		fmt.Fprintf(&s, "- `%s`: %s `%s`\n", o.File, o.Kind, o.Name)
	}
	s.WriteString("- `kustomization.yaml`: the list above, and the image to use\n")
	return []byte(s.String())
}

// indexReadme is the output folder's README: each workload's folder, or why it has none.
func indexReadme(a *assess.Assessment, outs []Outcome) []byte {
	var s strings.Builder
	s.WriteString(indexMarker + "\n\n")
	s.WriteString("# Starter Kubernetes manifests\n\n")
	client := ""
	if a.Client != "" {
		client = " for " + a.Client
	}
	fmt.Fprintf(&s, "Written by `whyk8s manifests`%s: one folder per migration candidate, each a kustomization with a README listing what to fill in.\n\n", client)
	var made, none []Outcome
	for _, o := range outs {
		if o.Folder != "" {
			made = append(made, o)
		} else {
			none = append(none, o)
		}
	}
	if len(made) > 0 {
		s.WriteString("| workload | folder | shape | to fill in |\n|---|---|---|---:|\n")
		for _, o := range made {
			fmt.Fprintf(&s, "| `%s` | [%s/](%s/README.md) | %s | %d |\n", o.Workload, o.Folder, o.Folder, o.Shape, o.Placeholders)
		}
		s.WriteString("\n")
	}
	if len(none) > 0 {
		s.WriteString("## No manifests\n\n")
		for _, o := range none {
			fmt.Fprintf(&s, "- `%s`: %s\n", o.Workload, oneLine(o.Why))
		}
		s.WriteString("\n")
	}
	return []byte(s.String())
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

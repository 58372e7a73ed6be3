package report

import (
	"fmt"
	"io"

	"whyk8s/assess"
)

// The md print format: GitHub-flavoured Markdown, escaped as the Markdown report is.

func scanMarkdown(w io.Writer, s *Scan) error {
	fmt.Fprintf(w, "# Code scan\n\n%d %s, %d provisioning %s read, %d other %s, %s.\n\n",
		len(s.Findings), noun(len(s.Findings), "finding", "findings"), s.Stats.FilesRead, noun(s.Stats.FilesRead, "script", "scripts"),
		s.Stats.FilesSkipped, noun(s.Stats.FilesSkipped, "file", "files"), problemCounts(s))
	fmt.Fprintln(w, "| Place | Rule | Seen | Excerpt |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, f := range s.Findings {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", mdCode(place(f.File, f.Line)), ruleOrDash(f.Rule), mdCell(seen(f)), mdCode(f.Excerpt))
	}
	if len(s.Problems) > 0 {
		fmt.Fprintf(w, "\n## Problems\n\n| Place | Problem |\n|---|---|\n")
		for _, p := range s.Problems {
			fmt.Fprintf(w, "| %s | %s: %s |\n", mdCode(place(p.Path, p.Line)), p.Kind, mdCell(p.Message))
		}
	}
	return nil
}

func rulesMarkdown(w io.Writer, rules []assess.Rule) error {
	fmt.Fprintln(w, "| Rule | Dimension | Weight | What it means | Kubernetes counterpart |")
	fmt.Fprintln(w, "|---|---|---:|---|---|")
	for _, r := range rules {
		if _, err := fmt.Fprintf(w, "| %s | %s | %s | **%s.** %s | %s |\n", mdCode(r.ID), r.Dimension, weightText(r.Weight),
			mdCell(r.Title), mdCell(r.Rationale), mdCell(r.Kubernetes)); err != nil {
			return err
		}
	}
	return nil
}

// changesMarkdown is the report's own "Changes since …" section, from the embedded
// template.
func changesMarkdown(w io.Writer, newer *assess.Assessment) error {
	mw, err := newMarkdownWriter(Options{})
	if err != nil {
		return err
	}
	d := newTemplateData(newer)
	// A standalone comparison has no workload sections to link to.
	for i := range d.Rows {
		d.Rows[i].Section = false
	}
	return mw.(markdownWriter).tmpl.ExecuteTemplate(w, "changes", d)
}

package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"whyk8s/assess"
)

// WriteChanges prints what moved between two assessments for 'whyk8s diff': newer is the
// later assessment with Changes set (assess.Diff). Markdown is the very section the report
// shows under "Changes since …", so the two never tell different stories; json is the
// Changes value itself; text is the same content for a terminal.
func WriteChanges(w io.Writer, newer *assess.Assessment, format string) error {
	c := newer.Changes
	if c == nil {
		return errors.New("no changes to print: the assessment was not compared with another")
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(c)
	case "md":
		mw, err := newMarkdownWriter("")
		if err != nil {
			return err
		}
		d := newTemplateData(newer)
		// A standalone comparison has no workload sections to link to.
		for i := range d.Rows {
			d.Rows[i].Section = false
		}
		return mw.(markdownWriter).tmpl.ExecuteTemplate(w, "changes", d)
	case "text":
		return writeChangesText(w, newer)
	}
	return fmt.Errorf("%w: format %q: want text, md or json", ErrBadOption, format)
}

func writeChangesText(w io.Writer, a *assess.Assessment) error {
	c := a.Changes
	idx := workloadIndex(a)
	var b strings.Builder
	fmt.Fprintf(&b, "Changes from %s to %s\n\n", longDate(c.Since), longDate(c.Until))
	if c.VerdictTo != "" {
		fmt.Fprintf(&b, "Verdict:    %s → %s\n", orDecision(c.VerdictTitleFrom, decisionText(c.VerdictFrom)), orDecision(c.VerdictTitleTo, decisionText(c.VerdictTo)))
	}
	fmt.Fprintf(&b, "Readiness:  %s → %s\n", readinessNumber(c.ReadinessAssessedFrom, c.ReadinessFrom), readinessNumber(c.ReadinessAssessedTo, c.ReadinessTo))
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s:\n", title)
		for _, it := range items {
			fmt.Fprintf(&b, "  %s\n", it)
		}
	}
	var added, removed, scores, fixed, newB, resolved, newF, factors []string
	for _, id := range c.WorkloadsAdded {
		added = append(added, workloadLabel(idx, id))
	}
	removed = append(removed, c.WorkloadsRemoved...)
	for _, s := range c.Scores {
		cat := s.CategoryTo
		if s.CategoryFrom != s.CategoryTo {
			cat = s.CategoryFrom + " → " + s.CategoryTo
		}
		line := fmt.Sprintf("%s: %d → %d (%s)", workloadLabel(idx, s.Workload), s.ScoreFrom, s.ScoreTo, cat)
		if len(s.Rules) > 0 {
			line += "; moved by " + strings.Join(s.Rules, ", ")
		}
		scores = append(scores, line)
	}
	for _, r := range c.BlockersFixed {
		fixed = append(fixed, fmt.Sprintf("%s: %s (%s)", workloadLabel(idx, r.Workload), r.Title, r.Rule))
	}
	for _, r := range c.BlockersNew {
		newB = append(newB, fmt.Sprintf("%s: %s (%s)", workloadLabel(idx, r.Workload), r.Title, r.Rule))
	}
	finding := func(f assess.Finding) string {
		s := f.Title
		if f.Detail != "" {
			s += ": " + f.Detail
		}
		return s + " at " + findingPlace(f.Evidence)
	}
	for _, f := range c.FindingsResolved {
		resolved = append(resolved, finding(f))
	}
	for _, f := range c.FindingsNew {
		newF = append(newF, finding(f))
	}
	for _, f := range c.Factors {
		name := f.ID
		if f.Title != "" {
			name = f.Title + " (" + f.ID + ")"
		}
		factors = append(factors, fmt.Sprintf("%s: %s → %s", name, answerText(f.From), answerText(f.To)))
	}
	list("Workloads added", added)
	list("Workloads removed", removed)
	list("Scores that moved", scores)
	list("Blockers fixed", fixed)
	list("New blockers", newB)
	list("Findings resolved", resolved)
	list("New findings", newF)
	list("Readiness answers that changed", factors)
	if len(added)+len(removed)+len(scores)+len(fixed)+len(newB)+len(resolved)+len(newF)+len(factors) == 0 && c.VerdictTo == "" {
		b.WriteString("\nNothing else moved.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDecision(title, decision string) string {
	if title != "" {
		return title
	}
	return decision
}

func readinessNumber(assessed bool, score int) string {
	if !assessed {
		return "not assessed"
	}
	return fmt.Sprintf("%d/100", score)
}

package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"whyk8s/assess"
	"whyk8s/internal/printable"
)

// The text print format: aligned columns and plain lines for a terminal.

// table prints aligned text columns.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.row(header...)
	return t
}

func (t *table) row(cells ...string) { fmt.Fprintln(t.tw, strings.Join(cells, "\t")) }
func (t *table) flush() error        { return t.tw.Flush() }

func scanText(w io.Writer, s *Scan) error {
	t := newTable(w, "PLACE", "RULE", "SEEN")
	for _, f := range s.Findings {
		t.row(place(f.File, f.Line), ruleOrDash(f.Rule), seen(f))
	}
	if err := t.flush(); err != nil {
		return err
	}
	// Stats count the provisioning scripts; Terraform and CloudFormation are read apart,
	// so a file the script reader passes over may still hold findings.
	fmt.Fprintf(w, "\n%d findings (%d %s read, %d other %s", len(s.Findings),
		s.Stats.FilesRead, noun(s.Stats.FilesRead, "script", "scripts"), s.Stats.FilesSkipped, noun(s.Stats.FilesSkipped, "file", "files"))
	if len(s.Problems) > 0 {
		fmt.Fprintf(w, "; %s):\n", problemCounts(s))
		for _, p := range s.Problems {
			fmt.Fprintf(w, "  %s: %s: %s\n", place(p.Path, p.Line), p.Kind, printable.Escape(p.Message))
		}
		return nil
	}
	_, err := fmt.Fprintln(w, ")")
	return err
}

func rulesText(w io.Writer, rules []assess.Rule) error {
	t := newTable(w, "RULE", "DIMENSION", "WEIGHT", "TITLE")
	for _, r := range rules {
		t.row(r.ID, r.Dimension, weightText(r.Weight), r.Title)
	}
	return t.flush()
}

func changesText(w io.Writer, a *assess.Assessment) error {
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
	var added, removed, scores, fixed, newB, resolved, newF, factors, waivedB, againB, waivedF, againF []string
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
			line += "; moved by " + strings.Join(s.Rules, ", ") + movedByWaiver(s.Moves, func(s string) string { return s })
		}
		scores = append(scores, line)
	}
	for _, r := range c.BlockersFixed {
		fixed = append(fixed, fmt.Sprintf("%s: %s (%s)", workloadLabel(idx, r.Workload), r.Title, r.Rule))
	}
	for _, r := range c.BlockersNew {
		newB = append(newB, fmt.Sprintf("%s: %s (%s)", workloadLabel(idx, r.Workload), r.Title, r.Rule))
	}
	ended := func(w *assess.Waiver) string {
		if w == nil {
			return "waiver removed: counts again"
		}
		return waiverNote(w)
	}
	for _, r := range c.BlockersWaived {
		waivedB = append(waivedB, fmt.Sprintf("%s: %s (%s); %s", workloadLabel(idx, r.Workload), r.Title, r.Rule, waiverNote(r.Waiver)))
	}
	for _, r := range c.BlockersUnwaived {
		againB = append(againB, fmt.Sprintf("%s: %s (%s); %s", workloadLabel(idx, r.Workload), r.Title, r.Rule, ended(r.Waiver)))
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
	for _, f := range c.FindingsWaived {
		waivedF = append(waivedF, finding(f)+"; "+waiverNote(f.Waiver))
	}
	for _, f := range c.FindingsUnwaived {
		againF = append(againF, finding(f)+"; "+ended(f.Waiver))
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
	// Waived is not fixed: a team accepted it, and it is still there.
	list("Blockers waived (not fixed)", waivedB)
	list("Blockers counting again", againB)
	list("Findings waived (not resolved)", waivedF)
	list("Findings counting again", againF)
	list("Readiness answers that changed", factors)
	if len(added)+len(removed)+len(scores)+len(fixed)+len(newB)+len(resolved)+len(newF)+len(factors)+len(waivedB)+len(againB)+len(waivedF)+len(againF) == 0 && c.VerdictTo == "" {
		b.WriteString("\nNothing else moved.\n")
	}
	// Names come from the client's estate: their escape sequences are shown, not obeyed.
	_, err := io.WriteString(w, printable.Lines(b.String()))
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

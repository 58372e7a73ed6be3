package report

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"whyk8s/assess"
	"whyk8s/internal/printable"
	"whyk8s/inventory"
)

// printFormat renders, in one --format, the results that commands print on a stream rather
// than into report files: the scan of a folder of scripts ('whyk8s scan'), the rule
// catalogue ('whyk8s rules') and the changes between two assessments ('whyk8s diff').
type printFormat struct {
	name    string
	scan    func(io.Writer, *Scan) error
	rules   func(io.Writer, []assess.Rule) error
	changes func(io.Writer, *assess.Assessment) error
}

// printFormats is the registry of print formats, the default first. Adding one is adding a
// file with its three writers and a line here.
var printFormats = []printFormat{
	{name: "text", scan: scanText, rules: rulesText, changes: changesText},
	{name: "json", scan: scanJSON, rules: rulesJSON, changes: changesJSON},
	{name: "md", scan: scanMarkdown, rules: rulesMarkdown, changes: changesMarkdown},
}

// PrintFormats returns the --format values of commands that print a result; the first is
// the default.
func PrintFormats() []string {
	out := make([]string, 0, len(printFormats))
	for _, f := range printFormats {
		out = append(out, f.name)
	}
	return out
}

// CheckPrintFormat says whether name is a print format; the error wraps ErrBadOption. A
// command checks before its work, so that a typo does not cost a long scan.
func CheckPrintFormat(name string) error {
	_, err := printFormatNamed(name)
	return err
}

func printFormatNamed(name string) (printFormat, error) {
	for _, f := range printFormats {
		if f.name == name {
			return f, nil
		}
	}
	return printFormat{}, fmt.Errorf("%w: --format %q: want one of %s", ErrBadOption, name, strings.Join(PrintFormats(), ", "))
}

// Scan is what 'whyk8s scan' prints. Its JSON is a documented, stable shape that scripts
// rely on: "findings" (one per script fact or infrastructure construct, with its rule, file
// and line), "problems" (what could not be read or followed, and values the code does not
// determine) and "stats" (of the provisioning scripts read).
type Scan struct {
	Findings []assess.ScanFinding    `json:"findings"`
	Problems []inventory.CoverageGap `json:"problems"`
	Stats    inventory.ScriptStats   `json:"stats"`
}

// NewScan is the scan as printed: the findings a rule uses or, with all, every fact read
// (every package installed, for instance), with the problems and figures of the scan.
// Empty lists stay lists, so that the JSON never holds null where scripts expect an array.
func NewScan(findings []assess.ScanFinding, problems []inventory.CoverageGap, stats inventory.ScriptStats, all bool) *Scan {
	s := &Scan{Findings: []assess.ScanFinding{}, Problems: []inventory.CoverageGap{}, Stats: stats}
	for _, f := range findings {
		if all || f.Rule != "" {
			s.Findings = append(s.Findings, f)
		}
	}
	s.Problems = append(s.Problems, problems...)
	return s
}

// WriteScan prints s in format.
func WriteScan(w io.Writer, s *Scan, format string) error {
	f, err := printFormatNamed(format)
	if err != nil {
		return err
	}
	return f.scan(w, s)
}

// WriteRules prints the rule catalogue in format. Markdown is the table the README's "How
// scoring works" section is generated from; JSON carries every field of every rule, so that
// a script can tell a finding rule from a fit rule.
func WriteRules(w io.Writer, rules []assess.Rule, format string) error {
	f, err := printFormatNamed(format)
	if err != nil {
		return err
	}
	return f.rules(w, rules)
}

// WriteChanges prints what moved between two assessments for 'whyk8s diff': newer is the
// later assessment with Changes set (assess.Diff). Markdown is the very section the report
// shows under "Changes since …", so the two never tell different stories; json is the
// Changes value itself; text is the same content for a terminal.
func WriteChanges(w io.Writer, newer *assess.Assessment, format string) error {
	f, err := printFormatNamed(format)
	if err != nil {
		return err
	}
	if newer.Changes == nil {
		return errors.New("no changes to print: the assessment was not compared with another")
	}
	return f.changes(w, newer)
}

// problemCounts says how many files could not be read and, apart, how many references
// inside files that were read could not be followed and how many values the code does not
// determine: the three are different troubles.
func problemCounts(s *Scan) string {
	refs, unknown, langs := 0, 0, 0
	// Scripts and infrastructure code are read apart: a file is unread when either reader
	// says so, and counted once.
	unread := map[string]bool{}
	for _, p := range s.Problems {
		switch p.Kind {
		case inventory.GapNotFound:
			refs++
		case inventory.GapUnresolved:
			unknown++
		case inventory.GapNotRead:
			langs++
		default:
			unread[p.Path] = true
		}
	}
	files := max(len(unread), s.Stats.FilesFailed)
	out := fmt.Sprintf("%d %s could not be read", files, noun(files, "file", "files"))
	if refs > 0 {
		out += fmt.Sprintf(", %d %s not followed", refs, noun(refs, "reference", "references"))
	}
	if unknown > 0 {
		out += fmt.Sprintf(", %d %s not known from the code", unknown, noun(unknown, "value", "values"))
	}
	if langs > 0 {
		out += fmt.Sprintf(", %d %s in a language whyk8s does not read", langs, noun(langs, "script", "scripts"))
	}
	return out
}

// noun is one or many by n, without the number (plural gives both).
func noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// place is where a finding or a problem is, as printed: a file name's escape sequences and
// newlines come out escaped, so a hostile name cannot rewrite the terminal or the table.
func place(file string, line int) string {
	if line > 0 {
		return printable.Escape(file) + ":" + strconv.Itoa(line)
	}
	return printable.Escape(file)
}

func ruleOrDash(r string) string {
	if r == "" {
		return "-"
	}
	return r
}

func seen(f assess.ScanFinding) string {
	if f.Detail != "" {
		return printable.Escape(f.Kind + ": " + f.Detail)
	}
	return printable.Escape(f.Kind)
}

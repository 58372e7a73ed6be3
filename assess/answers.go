package assess

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrBadAnswers is wrapped by every error that is the answers file's fault, so the command
// line can answer it with the "bad input" exit code.
var ErrBadAnswers = errors.New("bad answers file")

// Answers are the questionnaire answers of one organisation.
type Answers struct {
	// Source names the file the answers came from, for the report.
	Source string `json:"source"`
	Client string `json:"client,omitempty"`
	// Factors holds one entry per factor present in the file, in questionnaire order.
	Factors []Answer `json:"factors"`
}

// Answer is one factor's answer. Level is nil when the factor was left unanswered, which
// counts as unknown, never as 0.
type Answer struct {
	ID    string `json:"id"`
	Level *int   `json:"level"`
	Notes string `json:"notes,omitempty"`
	Line  int    `json:"line,omitempty"`
}

// Get returns the answer for a factor id.
func (a *Answers) Get(id string) (Answer, bool) {
	if a == nil {
		return Answer{}, false
	}
	for _, x := range a.Factors {
		if x.ID == id {
			return x, true
		}
	}
	return Answer{}, false
}

// answered counts the factors with a level.
func (a *Answers) answered() int {
	n := 0
	if a != nil {
		for _, x := range a.Factors {
			if x.Level != nil {
				n++
			}
		}
	}
	return n
}

// AnswersError is one problem in an answers file, with its place.
type AnswersError struct {
	Path   string
	Line   int
	Factor string // empty when the problem is not about one factor
	Reason string
}

func (e *AnswersError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Factor != "" {
		b.WriteString("factor " + e.Factor + ": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

func (e *AnswersError) Unwrap() error { return ErrBadAnswers }

// ParseAnswers reads an answers file in the shape QuestionnaireTemplate writes:
//
//	client: Example Ltd        # optional
//	factors:
//	  ORG-LEADTIME:
//	    answer: 1              # 0–4, or empty when unknown
//	    notes: "three weeks for a schema"
//
// Every problem is reported with the file, the line and the factor; all problems are
// returned together so that one run shows everything to fix.
func ParseAnswers(name string, data []byte) (*Answers, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &AnswersError{Path: name, Line: yamlErrorLine(err), Reason: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &AnswersError{Path: name, Reason: "the file is empty; expected a \"factors:\" mapping (see `whyk8s questionnaire`)"}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &AnswersError{Path: name, Line: root.Line, Reason: "expected a mapping with \"client\" and \"factors\" at the top"}
	}
	a := &Answers{Source: name}
	var errs []error
	bad := func(n *yaml.Node, factor, format string, args ...any) {
		errs = append(errs, &AnswersError{Path: name, Line: n.Line, Factor: factor, Reason: fmt.Sprintf(format, args...)})
	}
	var factorsNode *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "client":
			if v.Kind != yaml.ScalarNode {
				bad(v, "", "\"client\" must be a name")
				continue
			}
			if v.Tag != "!!null" {
				a.Client = v.Value
			}
		case "factors":
			factorsNode = v
		default:
			bad(k, "", "unknown key %q (expected \"client\" or \"factors\")", k.Value)
		}
	}
	if factorsNode == nil {
		bad(root, "", "missing \"factors:\" mapping")
		return nil, errors.Join(errs...)
	}
	if factorsNode.Kind == yaml.ScalarNode && factorsNode.Tag == "!!null" {
		return nil, errors.Join(append(errs, &AnswersError{Path: name, Line: factorsNode.Line, Reason: "\"factors:\" is empty"})...)
	}
	if factorsNode.Kind != yaml.MappingNode {
		bad(factorsNode, "", "\"factors\" must be a mapping of factor id to answer and notes")
		return nil, errors.Join(errs...)
	}
	byID := map[string]Answer{}
	for i := 0; i+1 < len(factorsNode.Content); i += 2 {
		k, v := factorsNode.Content[i], factorsNode.Content[i+1]
		id := strings.ToUpper(strings.TrimSpace(k.Value))
		if _, ok := factorInfo(id); !ok {
			bad(k, k.Value, "unknown factor id (known: %s)", strings.Join(factorIDs(), ", "))
			continue
		}
		if prev, dup := byID[id]; dup {
			bad(k, id, "answered twice (first at line %d)", prev.Line)
			continue
		}
		ans := Answer{ID: id, Line: k.Line}
		switch {
		case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
			// "ORG-X:" with nothing under it: unanswered.
		case v.Kind != yaml.MappingNode:
			bad(v, id, "expected \"answer:\" and \"notes:\" under the factor, found %q", v.Value)
		default:
			for j := 0; j+1 < len(v.Content); j += 2 {
				fk, fv := v.Content[j], v.Content[j+1]
				switch fk.Value {
				case "answer":
					level, err := parseLevel(fv)
					if err != nil {
						bad(fv, id, "%v", err)
						continue
					}
					ans.Level = level
				case "notes":
					if fv.Kind != yaml.ScalarNode {
						bad(fv, id, "notes must be text")
						continue
					}
					if fv.Tag != "!!null" {
						ans.Notes = strings.TrimSpace(fv.Value)
					}
				default:
					bad(fk, id, "unknown key %q (expected \"answer\" or \"notes\")", fk.Value)
				}
			}
		}
		byID[id] = ans
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, f := range factors {
		if ans, ok := byID[f.ID]; ok {
			a.Factors = append(a.Factors, ans)
		}
	}
	return a, nil
}

// parseLevel reads an answer: empty means unknown; otherwise a whole number 0–4. A quoted
// "3" is accepted because spreadsheets and editors add quotes.
func parseLevel(n *yaml.Node) (*int, error) {
	if n.Kind != yaml.ScalarNode {
		return nil, errors.New("answer must be a number from 0 to 4, or empty when unknown")
	}
	if n.Tag == "!!null" || (n.Tag == "!!str" && strings.TrimSpace(n.Value) == "") {
		return nil, nil
	}
	v, err := strconv.Atoi(strings.TrimSpace(n.Value))
	if err != nil {
		if _, ferr := strconv.ParseFloat(strings.TrimSpace(n.Value), 64); ferr == nil {
			return nil, fmt.Errorf("answer %q is not a whole number; use a level from 0 to 4", n.Value)
		}
		return nil, fmt.Errorf("answer %q is not a number; use a level from 0 to 4, or leave it empty when unknown", n.Value)
	}
	if v < 0 || v > 4 {
		return nil, fmt.Errorf("answer %d is out of range; use a level from 0 to 4", v)
	}
	return &v, nil
}

// yamlErrorLine pulls the line number out of a yaml syntax error ("yaml: line 7: ...").
func yamlErrorLine(err error) int {
	msg := err.Error()
	i := strings.Index(msg, "line ")
	if i < 0 {
		return 0
	}
	rest := msg[i+len("line "):]
	j := 0
	for j < len(rest) && isDigit(rest[j]) {
		j++
	}
	n, _ := strconv.Atoi(rest[:j])
	return n
}

func factorIDs() []string {
	ids := make([]string, len(factors))
	for i, f := range factors {
		ids[i] = f.ID
	}
	return ids
}

// QuestionnaireTemplate returns the answers template: every factor with its question, the
// meaning of each level as comments, an empty answer and empty notes. ParseAnswers reads
// it back as "nothing answered yet".
func QuestionnaireTemplate() []byte {
	var b bytes.Buffer
	line := func(s string) { b.WriteString(s + "\n") }
	comment := func(indent, text, cont string) {
		for _, l := range wrap(text, 92-len(indent), cont) {
			line(strings.TrimRight(indent+"# "+l, " "))
		}
	}
	comment("", "whyk8s organisational readiness questionnaire.", "")
	line("#")
	comment("", "Fill this in with the client: for each factor pick the level from 0 to 4 that fits best "+
		"and write in the notes why (who said so, what was seen). Leave \"answer:\" empty when nobody "+
		"knows: an unanswered factor counts as unknown and lowers the confidence of the readiness score; "+
		"it never counts as 0.", "")
	line("#")
	comment("", "Capability factors say whether the teams can take the change on; they make up the "+
		"readiness score. Benefit factors say how much the organisation stands to gain; for lead time "+
		"and platform health a high answer means less to gain.", "")
	comment("", "Then run: whyk8s assess --answers <this file>", "")
	line("")
	line("client: \"\"")
	line("")
	line("factors:")
	for i, f := range factors {
		if i > 0 {
			line("")
		}
		role := f.Role
		if f.Inverted {
			role += ", a high answer means less to gain"
		}
		comment("  ", f.ID+": "+f.Title+" ("+role+")", "")
		comment("  ", f.Question, "")
		for lvl, meaning := range f.Levels {
			comment("  ", "  "+strconv.Itoa(lvl)+": "+meaning, "     ")
		}
		line("  " + f.ID + ":")
		line("    answer:")
		line("    notes: \"\"")
	}
	return b.Bytes()
}

// wrap breaks text into lines of at most width characters at spaces; continuation lines
// start with cont so that a level's meaning lines up under its first word.
func wrap(text string, width int, cont string) []string {
	lead := text[:len(text)-len(strings.TrimLeft(text, " "))]
	var lines []string
	cur := ""
	for _, w := range strings.Fields(text) {
		switch {
		case cur == "":
			cur = lead + w
		case len(cur)+1+len(w) > width:
			lines = append(lines, cur)
			cur = cont + w
		default:
			cur += " " + w
		}
	}
	return append(lines, cur)
}

package assess

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"whyk8s/inventory"
)

// ErrBadWaivers is wrapped by every error that is the waivers' fault — a malformed entry, a
// rule the catalogue does not hold, a workload pattern that matches nothing — so the command
// line can answer it with the "bad input" exit code.
var ErrBadWaivers = errors.New("bad waiver")

// DateLayout is how a waiver's expiry date is written: 2026-09-30.
const DateLayout = "2006-01-02"

// Waiver is a team's acceptance of one rule on the workloads a pattern names, kept in git
// beside the code. While it is in force the rule's signal is shown as waived, with its reason
// and owner, and lifts the blocker, the cap and the keep-on-ASG reason that signal would
// raise; a finding it covers is listed apart from the findings to act on. The rule's points
// still count: the score says what the evidence shows, the waiver only says what the team
// has accepted. After its expiry date the waiver is reported and the signal counts again.
type Waiver struct {
	Rule string `json:"rule"`
	// Workload is a group name, a workload id (account/region/name) or a glob over either
	// ("web-*", "111122223333/eu-west-1/*"), as path.Match reads it.
	Workload string `json:"workload"`
	Reason   string `json:"reason"`
	Owner    string `json:"owner"`
	// Expires is the last day the waiver is in force, as YYYY-MM-DD, judged in UTC.
	Expires string `json:"expires"`
	// Expired is set by Assess when the run's date is after Expires: the waiver is then
	// reported, and the signal it names counts as if there were no waiver.
	Expired bool `json:"expired,omitempty"`
	// File and Line are where the waiver is written.
	File string `json:"file"`
	Line int    `json:"line"`
}

// Place is the waiver's file:line.
func (w Waiver) Place() string {
	if w.Line > 0 {
		return w.File + ":" + strconv.Itoa(w.Line)
	}
	return w.File
}

// WaiverStatus is one waiver as this run applied it.
type WaiverStatus struct {
	Waiver
	// Workloads are the ids of the workloads where the waiver met a failing signal or a
	// finding: waived there while the waiver is in force, counting again once it has expired.
	// Empty means the rule no longer fires where the waiver points, and it can be removed.
	Workloads []string `json:"workloads"`
}

// WaiverError is one problem with a waiver, with its place.
type WaiverError struct {
	File   string
	Line   int
	Reason string
}

func (e *WaiverError) Error() string {
	place := e.File
	if e.Line > 0 {
		place += ":" + strconv.Itoa(e.Line)
	}
	return place + ": " + e.Reason
}

func (e *WaiverError) Unwrap() error { return ErrBadWaivers }

// ParseWaivers reads a waivers file (--waivers FILE):
//
//	waivers:
//	  - rule: FIT-STICKY-SESSIONS
//	    workload: "bw-customer-portal-*"     # a group name, an id or a glob
//	    reason: "Sessions move to ElastiCache in Q3"
//	    owner: web-platform@example.com
//	    expires: 2026-09-30                 # last day in force
//
// which is the shape of the waivers: key in whyk8s.yaml, so an entry can move between the
// two unchanged; a bare list without the key is read too. Every problem is reported with the
// file and line, all of them together. Whether the rule exists and the pattern matches a
// workload is checked by Assess, which knows the catalogue and the estate.
func ParseWaivers(name string, data []byte) ([]Waiver, error) {
	root, err := waiverDocument(name, data)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, &WaiverError{File: name, Reason: "the file is empty; expected a \"waivers:\" list"}
	}
	switch root.Kind {
	case yaml.SequenceNode:
		return parseWaiverList(name, root)
	case yaml.MappingNode:
		var list *yaml.Node
		var errs []error
		for i := 0; i+1 < len(root.Content); i += 2 {
			k := root.Content[i]
			if k.Value != "waivers" {
				errs = append(errs, &WaiverError{File: name, Line: k.Line, Reason: fmt.Sprintf("unknown key %q (a waivers file holds only \"waivers:\")", k.Value)})
				continue
			}
			list = root.Content[i+1]
		}
		if list == nil && len(errs) == 0 {
			errs = append(errs, &WaiverError{File: name, Line: root.Line, Reason: "missing \"waivers:\" list"})
		}
		if len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
		return parseWaiverList(name, list)
	}
	return nil, &WaiverError{File: name, Line: root.Line, Reason: "expected a \"waivers:\" list"}
}

// ConfigWaivers reads the waivers: key of a configuration file (whyk8s.yaml) with the
// lines they are written on. The file's other keys are the configuration loader's business
// and are ignored here. No key gives no waivers.
func ConfigWaivers(name string, data []byte) ([]Waiver, error) {
	root, err := waiverDocument(name, data)
	if err != nil || root == nil || root.Kind != yaml.MappingNode {
		return nil, err
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "waivers" {
			return parseWaiverList(name, root.Content[i+1])
		}
	}
	return nil, nil
}

// waiverDocument parses data and returns its top node, nil for an empty document.
func waiverDocument(name string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &WaiverError{File: name, Line: yamlErrorLine(err), Reason: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var waiverKeys = []string{"rule", "workload", "reason", "owner", "expires"}

func parseWaiverList(name string, list *yaml.Node) ([]Waiver, error) {
	if list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
		return []Waiver{}, nil // "waivers:" with nothing under it
	}
	if list.Kind != yaml.SequenceNode {
		return nil, &WaiverError{File: name, Line: list.Line, Reason: "\"waivers\" must be a list of entries with " + strings.Join(waiverKeys, ", ")}
	}
	out := []Waiver{}
	var errs []error
	for _, n := range list.Content {
		w, err := parseWaiver(name, n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, w)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func parseWaiver(name string, n *yaml.Node) (Waiver, error) {
	w := Waiver{File: name, Line: n.Line}
	if n.Kind != yaml.MappingNode {
		return w, &WaiverError{File: name, Line: n.Line, Reason: "a waiver must be a mapping with " + strings.Join(waiverKeys, ", ")}
	}
	var errs []error
	bad := func(at *yaml.Node, format string, args ...any) {
		errs = append(errs, &WaiverError{File: name, Line: at.Line, Reason: fmt.Sprintf(format, args...)})
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(waiverKeys, k.Value) {
			bad(k, "unknown key %q in a waiver (expected %s)", k.Value, strings.Join(waiverKeys, ", "))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			bad(k, "%q given twice in one waiver (first at line %d)", k.Value, first)
			continue
		}
		seen[k.Value] = k.Line
		if v.Kind != yaml.ScalarNode {
			bad(v, "%q must be text", k.Value)
			continue
		}
		val := ""
		if v.Tag != "!!null" {
			val = strings.TrimSpace(v.Value)
		}
		switch k.Value {
		case "rule":
			w.Rule = val
		case "workload":
			w.Workload = val
			if _, err := path.Match(val, ""); err != nil {
				bad(v, "workload %q is not a valid pattern: %v", val, err)
			}
		case "reason":
			w.Reason = val
		case "owner":
			w.Owner = val
		case "expires":
			w.Expires = val
			if val != "" {
				if _, err := time.Parse(DateLayout, val); err != nil {
					bad(v, "expires %q is not a date; write it as YYYY-MM-DD", val)
				}
			}
		}
	}
	// Every field is required: a waiver nobody owns, or that never ends, is a decision
	// nobody will revisit.
	for _, key := range waiverKeys {
		if _, ok := seen[key]; !ok || fieldOf(&w, key) == "" {
			bad(n, "waiver%s has no %q", describeWaiver(w), key)
		}
	}
	return w, errors.Join(errs...)
}

func fieldOf(w *Waiver, key string) string {
	switch key {
	case "rule":
		return w.Rule
	case "workload":
		return w.Workload
	case "reason":
		return w.Reason
	case "owner":
		return w.Owner
	case "expires":
		return w.Expires
	}
	return ""
}

// describeWaiver names a waiver in an error: " of FIT-X on web-*".
func describeWaiver(w Waiver) string {
	s := ""
	if w.Rule != "" {
		s += " of " + w.Rule
	}
	if w.Workload != "" {
		s += " on " + strconv.Quote(w.Workload)
	}
	return s
}

// waiverSet is the waivers of one run resolved against the catalogue and the estate, and
// where each applied. A nil set holds no waiver.
type waiverSet struct {
	list  []Waiver
	names map[string]string // workload id → group name
	hits  []map[string]bool // per waiver: workload ids where it met a failing signal
}

// resolveWaivers checks each waiver against the catalogue (the rule must exist) and the
// estate (the pattern must match a workload, by name or id), canonicalises its rule id and
// marks it expired when today is after its expiry date. All problems are returned together.
func resolveWaivers(c *Catalogue, in []Waiver, groups []*inventory.AutoScalingGroup, today time.Time) (*waiverSet, error) {
	if len(in) == 0 {
		return nil, nil
	}
	ws := &waiverSet{names: make(map[string]string, len(groups))}
	for _, g := range groups {
		ws.names[g.ID()] = g.Name
	}
	date := today.UTC().Format(DateLayout)
	var errs []error
	for _, w := range in {
		bad := func(format string, args ...any) {
			errs = append(errs, &WaiverError{File: w.File, Line: w.Line, Reason: fmt.Sprintf(format, args...)})
		}
		r, ok := c.Rule(strings.TrimSpace(w.Rule))
		if !ok {
			hint := "see 'whyk8s rules'"
			if near := nearestRule(c, w.Rule); near != "" {
				hint = "did you mean " + near + "?"
			}
			bad("rule %q is not in the catalogue (%s)", w.Rule, hint)
		} else {
			w.Rule = r.ID
		}
		if _, err := path.Match(w.Workload, ""); err != nil || w.Workload == "" {
			bad("workload %q is not a valid name or pattern", w.Workload)
		} else if !slices.ContainsFunc(groups, func(g *inventory.AutoScalingGroup) bool { return waiverMatches(w.Workload, g.ID(), g.Name) }) {
			bad("workload %q matches no workload in this estate (a waiver's workload is matched against each group's name and its account/region/name id)", w.Workload)
		}
		if _, err := time.Parse(DateLayout, w.Expires); err != nil {
			bad("expires %q is not a date; write it as YYYY-MM-DD", w.Expires)
		}
		if w.Reason == "" || w.Owner == "" {
			bad("waiver%s needs a reason and an owner", describeWaiver(w))
		}
		w.Expired = date > w.Expires
		ws.list = append(ws.list, w)
		ws.hits = append(ws.hits, map[string]bool{})
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrBadWaivers, errors.Join(errs...))
	}
	return ws, nil
}

func waiverMatches(pattern, id, name string) bool {
	for _, s := range []string{name, id} {
		if ok, _ := path.Match(pattern, s); ok {
			return true
		}
	}
	return false
}

// best returns the index of the waiver that governs rule on workload id, or -1: one in force
// before an expired one (a renewed waiver left beside its old entry), then the first in the
// file.
func (ws *waiverSet) best(rule, id string) int {
	if ws == nil {
		return -1
	}
	found := -1
	for i, w := range ws.list {
		if w.Rule != rule || !waiverMatches(w.Workload, id, ws.names[id]) {
			continue
		}
		if !w.Expired {
			return i
		}
		if found < 0 {
			found = i
		}
	}
	return found
}

// forSignal returns the waiver that names a failing rule on a workload, in force or expired,
// and records that it applied there; nil when no waiver names it.
func (ws *waiverSet) forSignal(rule, id string) *Waiver {
	i := ws.best(rule, id)
	if i < 0 {
		return nil
	}
	ws.hits[i][id] = true
	w := ws.list[i]
	return &w
}

// splitFindings moves the findings a waiver in force covers out of the findings to act on.
// A finding is waived only when every workload it touches is covered: a secret in a script
// two groups share is still a problem for the group nobody accepted it for. A finding that
// touches no workload (an unlinked script) cannot be waived. A finding whose waiver expired
// stays among the findings, carrying the expired waiver so the report can say so.
func (ws *waiverSet) splitFindings(fs []Finding) (kept, waived []Finding) {
	if ws == nil {
		return fs, nil
	}
	kept = make([]Finding, 0, len(fs))
	for _, f := range fs {
		inForce, expired := -1, -1
		all := len(f.Workloads) > 0
		idx := make([]int, len(f.Workloads))
		for j, id := range f.Workloads {
			i := ws.best(f.Rule, id)
			idx[j] = i
			switch {
			case i < 0 || ws.list[i].Expired:
				all = false
				if i >= 0 && (expired < 0 || i < expired) {
					expired = i
				}
			case inForce < 0 || i < inForce:
				inForce = i
			}
		}
		switch {
		case all:
			for j, id := range f.Workloads {
				ws.hits[idx[j]][id] = true
			}
			w := ws.list[inForce]
			f.Waiver = &w
			waived = append(waived, f)
			continue
		case expired >= 0:
			for j, id := range f.Workloads {
				if i := idx[j]; i >= 0 && ws.list[i].Expired {
					ws.hits[i][id] = true
				}
			}
			w := ws.list[expired]
			f.Waiver = &w
		}
		kept = append(kept, f)
	}
	return kept, waived
}

// statuses lists every waiver in file order with the workloads it applied to.
func (ws *waiverSet) statuses() []WaiverStatus {
	if ws == nil {
		return nil
	}
	out := make([]WaiverStatus, len(ws.list))
	for i, w := range ws.list {
		ids := make([]string, 0, len(ws.hits[i]))
		for id := range ws.hits[i] {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		out[i] = WaiverStatus{Waiver: w, Workloads: ids}
	}
	return out
}

// waiverMethod is the methodology's sentence on waivers, present only when waivers were given.
func waiverMethod(ws *waiverSet, today time.Time) []string {
	if ws == nil {
		return nil
	}
	return []string{fmt.Sprintf("Waivers: a waiver in force (the team's own file, with a reason, an owner and an expiry date) lifts the blocker, the score cap and the keep-on-ASG reason a rule raises on the workloads it names, and sets a finding apart from those to act on; the rule's points still count, so the score says what the evidence shows. A waiver expires after its date (judged on %s): it is then reported and its signal counts again.", today.UTC().Format(DateLayout))}
}

// nearestRule is the catalogue rule a mistyped id most likely meant: the one within two
// edits, when exactly one is.
func nearestRule(c *Catalogue, id string) string {
	id = strings.ToUpper(strings.TrimSpace(id))
	var found []string
	for _, r := range c.Rules() {
		if editDistance(id, r.ID) <= 2 {
			found = append(found, r.ID)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// editDistance is the Levenshtein distance between two short ASCII ids.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// MergeConflict is returned by Merge when two snapshots hold the same resource with
// different content. It names the resource, the two snapshots (by their position in the
// Merge call, so a caller can name the files) and the fields that differ — never their
// values, which may be user data.
type MergeConflict struct {
	// Resource is the kind of thing: "auto scaling group", "load balancer", "script"…
	Resource string
	// ID identifies it: the workload ID, an ARN, account/region/image id, a script path.
	ID string
	// First and Second are the 1-based positions of the two snapshots in the Merge call.
	First, Second int
	// FirstSource and SecondSource describe the two snapshots in words.
	FirstSource, SecondSource string
	// Fields are the JSON fields of the resource whose content differs.
	Fields []string
	// Detail adds words where fields alone do not explain (a client name conflict).
	Detail string
}

func (e *MergeConflict) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "merge: %s %s differs between snapshot %d (%s) and snapshot %d (%s)",
		e.Resource, e.ID, e.First, e.FirstSource, e.Second, e.SecondSource)
	if len(e.Fields) > 0 {
		fmt.Fprintf(&b, " in %s", strings.Join(e.Fields, ", "))
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	return b.String()
}

// Unwrap makes a conflict bad input: the snapshots disagree, the machine is fine.
func (e *MergeConflict) Unwrap() error { return ErrBadSnapshot }

// Merge combines snapshots collected separately — one per account or per team, each by
// someone holding only their own credentials — into one estate.
//
// Resources are matched by identity: groups by workload ID, classic load balancers by
// account/region/name, load balancers and target groups by ARN, images by
// account/region/id, scripts by path. A resource found in several snapshots with the same
// content is kept once; with different content Merge refuses with a *MergeConflict, since
// picking one would silently drop facts someone collected. Scripts are the one exception in
// part: two teams scanning the same repository link its scripts to their own groups, so
// scripts equal in everything but their links are kept once with the links unioned.
//
// Accounts (and their regions), coverage gaps and script roots are unioned; CollectedAt is
// the latest; Source lists every source; the client name must agree where given. Script
// statistics are summed once per distinct set of script roots, so one repository scanned by
// two teams is not counted twice. The result is sorted (Estate.Sort) and validated; the
// inputs are not modified and the result shares no memory with them.
func Merge(snapshots ...*Estate) (*Estate, error) {
	if len(snapshots) == 0 {
		return nil, errors.New("merge: no snapshots given")
	}
	m := merger{
		out: &Estate{
			SchemaVersion:        SchemaVersion,
			Accounts:             []Account{},
			Groups:               []AutoScalingGroup{},
			ClassicLoadBalancers: []ClassicLoadBalancer{},
			LoadBalancers:        []LoadBalancer{},
			TargetGroups:         []TargetGroup{},
			Images:               []Image{},
			Scripts:              []Script{},
			Coverage:             []CoverageGap{},
		},
		seen:  map[string]seenAt{},
		stats: map[string]bool{},
		gaps:  map[CoverageGap]bool{},
	}
	for i, s := range snapshots {
		if s == nil {
			return nil, fmt.Errorf("merge: snapshot %d is empty (nil)", i+1)
		}
		if s.SchemaVersion != 0 && s.SchemaVersion != SchemaVersion {
			return nil, fmt.Errorf("merge: snapshot %d (%s): %w: schemaVersion %d is not supported (this whyk8s reads version %d)",
				i+1, describe(s), ErrBadSnapshot, s.SchemaVersion, SchemaVersion)
		}
		// Work on a deep copy: Sort reorders nested lists, and the caller's estates are theirs.
		c, err := deepCopy(s)
		if err != nil {
			return nil, fmt.Errorf("merge: snapshot %d: %w", i+1, err)
		}
		m.sources = append(m.sources, describe(c))
		if err := m.add(i, c); err != nil {
			return nil, err
		}
	}
	m.finish()
	if err := m.out.Validate(); err != nil {
		return nil, &SnapshotError{Path: "merged estate", Reason: err.Error()}
	}
	return m.out, nil
}

// seenAt remembers which snapshot first held a resource and where it sits in the result.
type seenAt struct {
	snapshot int
	index    int
}

type merger struct {
	out     *Estate
	sources []string
	// seen is keyed by resource kind and identity.
	seen       map[string]seenAt
	clientFrom int
	srcs       []string
	stats      map[string]bool // script-root sets already counted
	gaps       map[CoverageGap]bool
}

func (m *merger) add(i int, s *Estate) error {
	if s.Client != "" {
		switch {
		case m.out.Client == "":
			m.out.Client, m.clientFrom = s.Client, i
		case m.out.Client != s.Client:
			return m.conflict("client", "name", m.clientFrom, i, nil,
				fmt.Sprintf("%q and %q; merge snapshots of one client only", m.out.Client, s.Client))
		}
	}
	if s.CollectedAt.After(m.out.CollectedAt) {
		m.out.CollectedAt = s.CollectedAt
	}
	if s.Source != "" && !slices.Contains(m.srcs, s.Source) {
		m.srcs = append(m.srcs, s.Source)
	}
	for _, a := range s.Accounts {
		if err := m.addAccount(i, a); err != nil {
			return err
		}
	}
	for _, g := range s.Groups {
		if err := keep(m, i, "auto scaling group", g.ID(), g, &m.out.Groups); err != nil {
			return err
		}
	}
	for _, lb := range s.ClassicLoadBalancers {
		if err := keep(m, i, "classic load balancer", WorkloadID(lb.Account, lb.Region, lb.Name), lb, &m.out.ClassicLoadBalancers); err != nil {
			return err
		}
	}
	for _, lb := range s.LoadBalancers {
		if err := keep(m, i, "load balancer", lb.ARN, lb, &m.out.LoadBalancers); err != nil {
			return err
		}
	}
	for _, tg := range s.TargetGroups {
		if err := keep(m, i, "target group", tg.ARN, tg, &m.out.TargetGroups); err != nil {
			return err
		}
	}
	for _, img := range s.Images {
		if err := keep(m, i, "image", img.Account+"/"+img.Region+"/"+img.ID, img, &m.out.Images); err != nil {
			return err
		}
	}
	for _, sc := range s.Scripts {
		if err := m.addScript(i, sc); err != nil {
			return err
		}
	}
	for _, root := range s.ScriptRoots {
		if !slices.Contains(m.out.ScriptRoots, root) {
			m.out.ScriptRoots = append(m.out.ScriptRoots, root)
		}
	}
	m.addStats(s)
	// Gaps are unioned as they are: a gap one snapshot reports is not proven filled by
	// another that happens to list the same account and region.
	for _, g := range s.Coverage {
		if !m.gaps[g] {
			m.gaps[g] = true
			m.out.Coverage = append(m.out.Coverage, g)
		}
	}
	return nil
}

// keep appends item to list unless a resource of the same kind and id is already there; an
// identical one is dropped, a different one is a conflict.
func keep[T any](m *merger, i int, kind, id string, item T, list *[]T) error {
	key := kind + "\x00" + id
	prev, ok := m.seen[key]
	if !ok {
		m.seen[key] = seenAt{snapshot: i, index: len(*list)}
		*list = append(*list, item)
		return nil
	}
	fields, err := differingFields((*list)[prev.index], item)
	if err != nil {
		return fmt.Errorf("merge: %s %s: %w", kind, id, err)
	}
	if len(fields) == 0 {
		return nil
	}
	return m.conflict(kind, id, prev.snapshot, i, fields, "")
}

func (m *merger) addAccount(i int, a Account) error {
	key := "account\x00" + a.ID
	prev, ok := m.seen[key]
	if !ok {
		m.seen[key] = seenAt{snapshot: i, index: len(m.out.Accounts)}
		a.Regions = slices.Clone(a.Regions)
		m.out.Accounts = append(m.out.Accounts, a)
		return nil
	}
	have := &m.out.Accounts[prev.index]
	switch {
	case a.Name == "" || a.Name == have.Name:
	case have.Name == "":
		have.Name = a.Name
	default:
		return m.conflict("account", a.ID, prev.snapshot, i, []string{"name"}, "")
	}
	// Different snapshots reading different regions of one account is the point of merging.
	for _, r := range a.Regions {
		if !slices.Contains(have.Regions, r) {
			have.Regions = append(have.Regions, r)
		}
	}
	return nil
}

func (m *merger) addScript(i int, sc Script) error {
	key := "script\x00" + sc.Path
	prev, ok := m.seen[key]
	if !ok {
		m.seen[key] = seenAt{snapshot: i, index: len(m.out.Scripts)}
		m.out.Scripts = append(m.out.Scripts, sc)
		return nil
	}
	have := &m.out.Scripts[prev.index]
	a, b := *have, sc
	a.Links, b.Links = nil, nil
	fields, err := differingFields(a, b)
	if err != nil {
		return fmt.Errorf("merge: script %s: %w", sc.Path, err)
	}
	if len(fields) > 0 {
		return m.conflict("script", sc.Path, prev.snapshot, i, fields, "")
	}
	for _, l := range sc.Links {
		if !slices.Contains(have.Links, l) {
			have.Links = append(have.Links, l)
		}
	}
	return nil
}

func (m *merger) addStats(s *Estate) {
	if s.ScriptStats == nil {
		return
	}
	roots := slices.Clone(s.ScriptRoots)
	slices.Sort(roots)
	key := strings.Join(roots, "\x00")
	if m.stats[key] {
		return
	}
	m.stats[key] = true
	if m.out.ScriptStats == nil {
		m.out.ScriptStats = &ScriptStats{}
	}
	t := m.out.ScriptStats
	t.FilesSeen += s.ScriptStats.FilesSeen
	t.FilesRead += s.ScriptStats.FilesRead
	t.FilesSkipped += s.ScriptStats.FilesSkipped
	t.FilesFailed += s.ScriptStats.FilesFailed
	t.Bytes += s.ScriptStats.Bytes
}

func (m *merger) finish() {
	sort.Strings(m.srcs)
	m.out.Source = strings.Join(m.srcs, "+")
	sort.Strings(m.out.ScriptRoots)
	m.out.Sort()
}

func (m *merger) conflict(kind, id string, first, second int, fields []string, detail string) error {
	return &MergeConflict{
		Resource: kind, ID: id,
		First: first + 1, Second: second + 1,
		FirstSource: m.sources[first], SecondSource: m.sources[second],
		Fields: fields, Detail: detail,
	}
}

// describe names a snapshot by what it says about itself, for error messages.
func describe(e *Estate) string {
	var parts []string
	if e.Source != "" {
		parts = append(parts, "source "+e.Source)
	}
	if len(e.Accounts) > 0 {
		ids := make([]string, 0, len(e.Accounts))
		for _, a := range e.Accounts {
			ids = append(ids, a.ID)
		}
		slices.Sort(ids)
		if len(ids) > 3 {
			ids = append(ids[:3], fmt.Sprintf("and %d more", len(ids)-3))
		}
		parts = append(parts, "accounts "+strings.Join(ids, ", "))
	}
	if !e.CollectedAt.IsZero() {
		parts = append(parts, "collected "+e.CollectedAt.UTC().Format(time.RFC3339))
	}
	if len(parts) == 0 {
		return "no source, accounts or time recorded"
	}
	return strings.Join(parts, ", ")
}

// differingFields compares two resources by their JSON encoding — the snapshot's own
// notion of content — and names the top-level fields whose encodings differ.
func differingFields(a, b any) ([]string, error) {
	ja, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	jb, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(ja, jb) {
		return nil, nil
	}
	var fa, fb map[string]json.RawMessage
	if err := json.Unmarshal(ja, &fa); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(jb, &fb); err != nil {
		return nil, err
	}
	var fields []string
	for k, v := range fa {
		if w, ok := fb[k]; !ok || !bytes.Equal(v, w) {
			fields = append(fields, k)
		}
	}
	for k := range fb {
		if _, ok := fa[k]; !ok {
			fields = append(fields, k)
		}
	}
	sort.Strings(fields)
	return fields, nil
}

// deepCopy copies an estate through its JSON form, which is what a snapshot is.
func deepCopy(e *Estate) (*Estate, error) {
	data, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("copy estate: %w", err)
	}
	var c Estate
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("copy estate: %w", err)
	}
	return &c, nil
}

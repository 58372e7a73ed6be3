package scripts

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"whyk8s/inventory"
)

const maxUserData = 16 << 20 // the API caps user data at 16 KB; gzip can expand it

// UserDataText turns user data from the API (already base64-decoded; it may be gzip, MIME
// multipart, shell, cloud-config or PowerShell) into display text: gzip undone, MIME kept
// as text, every secret value replaced by a marker such as «redacted:aws-secret-key».
func UserDataText(raw []byte) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	text, err := decodeText(raw, maxUserData)
	if err != nil {
		return "", fmt.Errorf("user data: %w", err)
	}
	if bytes.IndexByte(text, 0) >= 0 || !utf8.Valid(text) {
		return "", errors.New("user data: binary content, not UTF-8 text")
	}
	return redactString(string(text)), nil
}

// RedactEstate redacts secrets in every group's Launch.UserData and in every resource's
// tags in place, for snapshots, fixtures and collections that may hold raw values.
// Redacted text is left as it is.
func RedactEstate(e *inventory.Estate) {
	redactEstateTags(e)
	for i := range e.Groups {
		if u := e.Groups[i].Launch.UserData; u != "" {
			e.Groups[i].Launch.UserData = redactString(u)
		}
	}
}

// launchSource names where a group's launch data came from, for the user data's path.
func launchSource(g *inventory.AutoScalingGroup) string {
	switch {
	case g.Launch.Source != "":
		return g.Launch.Source
	case g.LaunchTemplate != nil:
		return "launch-template " + g.LaunchTemplate.ID + " " + g.LaunchTemplate.Version
	case g.MixedInstances != nil && g.MixedInstances.LaunchTemplate != nil:
		return "launch-template " + g.MixedInstances.LaunchTemplate.ID + " " + g.MixedInstances.LaunchTemplate.Version
	case g.LaunchConfiguration != "":
		return "launch-configuration " + g.LaunchConfiguration
	}
	return "group " + g.ID()
}

// ReadUserData turns every distinct Launch.UserData of the estate's groups into a Script
// (Path "userdata:<launch source>", Kind ScriptUserData) with facts from the same readers
// and a LinkUserData link to each group that uses it, and adds them to e.Scripts in place of
// every user data script already there (from an earlier call or a snapshot): they are
// derived from the groups, so one whose group is gone must go too. Secrets become FactSecret facts: raw values are found and
// redacted here, markers left by the collector are recognised.
func ReadUserData(e *inventory.Estate) {
	type use struct {
		text    string
		sources []string
		groups  []string
	}
	byText := map[string]*use{}
	var order []string
	for i := range e.Groups {
		g := &e.Groups[i]
		if strings.TrimSpace(g.Launch.UserData) == "" {
			continue
		}
		u := byText[g.Launch.UserData]
		if u == nil {
			u = &use{text: g.Launch.UserData}
			byText[g.Launch.UserData] = u
			order = append(order, g.Launch.UserData)
		}
		u.sources = append(u.sources, launchSource(g))
		u.groups = append(u.groups, g.ID())
	}
	var paths []string
	for _, s := range e.Scripts {
		if !strings.HasPrefix(s.Path, "userdata:") {
			paths = append(paths, s.Path)
		}
	}
	sort.Strings(paths)
	var made []inventory.Script
	for _, key := range order {
		u := byText[key]
		sort.Strings(u.sources)
		sort.Strings(u.groups)
		p := "userdata:" + u.sources[0]
		res, gaps := readUserDataText(p, u.text, paths)
		placeUserData(&res, gaps, userDataSpans(e, u.sources[0]))
		res.ContentHash = contentHash(u.text)
		for _, gid := range uniq(u.groups) {
			res.Links = append(res.Links, inventory.Link{
				Workload: gid, Reason: inventory.LinkUserData, Confidence: inventory.ConfidenceHigh,
				Detail: "launch data " + strings.Join(uniq(u.sources), ", "),
			})
		}
		dedupeFacts(&res)
		made = append(made, res)
		e.Coverage = append(e.Coverage, gaps...)
	}
	kept := e.Scripts[:0]
	for _, s := range e.Scripts {
		if s.Kind != inventory.ScriptUserData {
			kept = append(kept, s)
		}
	}
	e.Scripts = append(kept, made...)
	sort.SliceStable(e.Scripts, func(i, j int) bool { return e.Scripts[i].Path < e.Scripts[j].Path })
	e.Coverage = sortGaps(e.Coverage)
}

// readUserDataText reads one user data text as a script; references it names (a playbook
// run by ansible-pull, a script file) are matched against the scanned scripts' paths.
func readUserDataText(p, text string, paths []string) (inventory.Script, []inventory.CoverageGap) {
	red, hits := redact(text)
	res := &fileResult{script: inventory.Script{Path: p, Kind: inventory.ScriptUserData, Bytes: int64(len(text))}}
	d := newDoc(res, p, red)
	d.secrets(hits, 0)
	err := d.readKind(inventory.ScriptUserData, red, 1)
	gaps := res.gaps
	if err != nil {
		gaps = append(gaps, inventory.CoverageGap{Path: p, Line: errLine(err, 1), Kind: inventory.GapParse, Message: parseMessage(sniff(red), err)})
	}
	for _, r := range res.refs {
		if m := suffixMatch(r.target, paths); m != "" {
			res.script.References = append(res.script.References, inventory.Reference{
				Path: m, How: r.how, Evidence: inventory.Evidence{File: r.file, Line: r.line, Excerpt: r.excerpt},
			})
		}
	}
	res.script.References = dedupeRefs(res.script.References)
	detach(res)
	res.script.Facts = res.facts()
	return res.script, gaps
}

// namedFiles returns the files a user data text names (playbooks, scripts), matched to
// script paths, with the line that names each.
func namedFiles(text string, paths []string) map[string]int {
	out := map[string]int{}
	red, _ := redact(text)
	res := &fileResult{script: inventory.Script{Path: "userdata"}}
	d := newDoc(res, "userdata", red)
	_ = d.readKind(inventory.ScriptUserData, red, 1)
	for _, r := range res.refs {
		if m := suffixMatch(r.target, paths); m != "" {
			if _, ok := out[m]; !ok {
				out[m] = r.line
			}
		}
	}
	return out
}

func uniq(ss []string) []string {
	var out []string
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// suffixMatch finds the one path ending with the longest tail of p (a path on the instance
// such as /opt/provision/ansible/site.yml). An ambiguous tail matches nothing.
func suffixMatch(p string, all []string) string {
	parts := strings.Split(strings.Trim(path.Clean(p), "/"), "/")
	for i := 0; i < len(parts); i++ {
		tail := strings.Join(parts[i:], "/")
		if tail == "." || tail == "" {
			continue
		}
		var hits []string
		for _, q := range all {
			if q == tail || strings.HasSuffix(q, "/"+tail) {
				hits = append(hits, q)
			}
		}
		switch {
		case len(hits) == 1:
			return hits[0]
		case len(hits) > 1:
			return ""
		}
	}
	return ""
}

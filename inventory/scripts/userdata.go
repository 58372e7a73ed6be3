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

// RedactEstate redacts secrets in every group's Launch.UserData and association commands,
// and in every resource's tags, in place, for snapshots, fixtures and collections that may hold raw values.
// Redacted text is left as it is.
func RedactEstate(e *inventory.Estate) {
	redactEstateTags(e)
	for i := range e.Groups {
		if u := e.Groups[i].Launch.UserData; u != "" {
			e.Groups[i].Launch.UserData = redactString(u)
		}
		for j := range e.Groups[i].Deployments {
			if c := e.Groups[i].Deployments[j].Commands; c != "" {
				e.Groups[i].Deployments[j].Commands = redactString(c)
			}
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
//
// Facts are cited where the text is written, when that is known: the lines of
// infrastructure code the user data was rendered from (Launch.UserDataLines), or the one
// scanned file that holds exactly the same text. A secret in user data that a template
// or a file also holds is then one finding at one place, not one per copy.
func ReadUserData(e *inventory.Estate) {
	type use struct {
		text       string
		sources    []string
		groups     []string
		spans      []inventory.TextSpan
		spanSource string
	}
	byText := map[string]*use{}
	var order []string
	for i := range e.Groups {
		g := &e.Groups[i]
		if strings.TrimSpace(g.Launch.UserData) == "" {
			continue
		}
		// The same text written in two files is two user data: what it means can depend on
		// where it is written (cfn-init --stack ${AWS::StackName} runs its own template's
		// metadata). Written once and used by several groups — a module's instances — it
		// is one.
		key := g.Launch.UserData + "\x00" + spanFiles(g.Launch.UserDataLines)
		u := byText[key]
		if u == nil {
			u = &use{text: g.Launch.UserData}
			byText[key] = u
			order = append(order, key)
		}
		src := launchSource(g)
		u.sources = append(u.sources, src)
		u.groups = append(u.groups, g.ID())
		// The same text written in several places is cited at the first source's.
		if len(g.Launch.UserDataLines) > 0 && (u.spans == nil || src < u.spanSource) {
			u.spans, u.spanSource = g.Launch.UserDataLines, src
		}
	}
	sameText := map[string][]string{} // content hash → scanned files holding that text
	for _, s := range e.Scripts {
		if s.ContentHash != "" && s.Kind != inventory.ScriptUserData && !strings.HasPrefix(s.Path, "userdata:") {
			sameText[s.ContentHash] = append(sameText[s.ContentHash], s.Path)
		}
	}
	var paths []string
	for _, s := range e.Scripts {
		if !strings.HasPrefix(s.Path, "userdata:") {
			paths = append(paths, s.Path)
		}
	}
	// The lines of scanned files that hold a secret: a secret user data shows on a line of a
	// template that holds none there came from a value substituted into it (a variable's
	// value, a stack's input), and is named where that value is written, not here.
	secretAt := map[string]map[int]bool{}
	for _, s := range e.Scripts {
		// A Terraform file is read only for quoted literals: a heredoc's it does not see.
		if strings.HasPrefix(s.Path, "userdata:") || s.Kind == inventory.ScriptTerraform {
			continue
		}
		secretAt[s.Path] = map[int]bool{}
		for _, f := range s.Facts {
			if f.Kind == inventory.FactSecret {
				file := s.FileOf(&f)
				if secretAt[file] == nil {
					secretAt[file] = map[int]bool{}
				}
				secretAt[file][f.Evidence.Line] = true
			}
		}
	}
	sort.Strings(paths)
	ix := tailIndexOf(paths) // once: every user data text matches what it names against it
	var made []inventory.Script
	for _, key := range order {
		u := byText[key]
		sort.Strings(u.sources)
		sort.Strings(u.groups)
		p := "userdata:" + u.sources[0]
		hash := contentHash(u.text)
		var at []srcLine
		switch files := sameText[hash]; {
		case len(u.spans) > 0:
			at = spanLines(p, u.text, u.spans)
		case len(files) == 1:
			at = spanLines(p, u.text, []inventory.TextSpan{{Line: 1, Lines: strings.Count(u.text, "\n") + 1, File: files[0], FileLine: 1}})
		}
		res, gaps := readUserDataText(p, u.text, ix, at)
		for i := range res.Facts {
			f := &res.Facts[i]
			if lines, scanned := secretAt[f.Evidence.File]; f.Kind == inventory.FactSecret && f.Evidence.File != p && scanned && !lines[f.Evidence.Line] {
				// Its finding is named where the value is written; the workload whose user
				// data holds it still has a secret in plain text at this line.
				f.Via = inventory.ViaSubstituted
			}
		}
		res.ContentHash = hash
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

// spanFiles lists, sorted, the files a rendered text's spans place it in.
func spanFiles(spans []inventory.TextSpan) string {
	var files []string
	for _, s := range spans {
		if s.File != "" {
			files = append(files, s.File)
		}
	}
	sort.Strings(files)
	return strings.Join(uniq(files), "\x00")
}

// readUserDataText reads one user data text as a script; references it names (a playbook
// run by ansible-pull, a script file) are matched against the scanned scripts' paths.
// at, when set, places each line of the text where it is written.
func readUserDataText(p, text string, paths tailIndex, at []srcLine) (inventory.Script, []inventory.CoverageGap) {
	return readDerivedText(inventory.ScriptUserData, p, text, paths, at)
}

// readDerivedText is readUserDataText for a text of the given kind: user data, whose
// first line says what it is, or the commands an association runs, which are shell.
func readDerivedText(kind, p, text string, paths tailIndex, at []srcLine) (inventory.Script, []inventory.CoverageGap) {
	red, hits := redact(text)
	res := &fileResult{script: inventory.Script{Path: p, Kind: kind, Bytes: int64(len(text))}}
	d := newDoc(res, p, red)
	d.at = at
	d.secrets(hits, 0)
	err := d.readKind(kind, red, 1)
	gaps := res.gaps
	if err != nil {
		// Cited where the line that does not parse is written, like a fact.
		file, line, _ := d.place(p, errLine(err, 1), "")
		gaps = append(gaps, inventory.CoverageGap{Path: file, Line: line, Kind: gapKind(err), Message: parseMessage(sniff(red), err)})
	}
	for _, r := range res.refs {
		if m := paths.match(r.target); m != "" {
			res.script.References = append(res.script.References, inventory.Reference{
				Path: m, How: r.how, Evidence: inventory.Evidence{File: r.file, Line: r.line, Excerpt: r.excerpt},
			})
		} else if r.fetched != "" {
			gaps = append(gaps, fetchedNotRead(res, r))
		}
	}
	res.script.References = dedupeRefs(res.script.References)
	detach(res)
	res.script.Facts = res.facts()
	return res.script, gaps
}

// spanLines places each line of a text by its spans; a line no span covers stays a line of
// the user data itself (p).
func spanLines(p, text string, spans []inventory.TextSpan) []srcLine {
	n := strings.Count(text, "\n") + 1
	at := make([]srcLine, n)
	for i := range at {
		if f, l, ok := inventory.SourceLine(spans, i+1); ok && f != "" && l > 0 {
			at[i] = srcLine{file: f, line: l}
		} else {
			at[i] = srcLine{file: p, line: i + 1}
		}
	}
	return at
}

// namedFiles returns the files a user data text names (playbooks, scripts), matched to
// script paths, with the line that names each.
func namedFiles(text string, paths tailIndex) map[string]int {
	out := map[string]int{}
	red, _ := redact(text)
	res := &fileResult{script: inventory.Script{Path: "userdata"}}
	d := newDoc(res, "userdata", red)
	_ = d.readKind(inventory.ScriptUserData, red, 1)
	for _, r := range res.refs {
		if m := paths.match(r.target); m != "" {
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

package scripts

import (
	"path"
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"whyk8s/inventory"
)

// A CloudFormation template does boot-time work in two places: the user data of a launch
// configuration, launch template or instance, and the AWS::CloudFormation::Init metadata
// that cfn-init applies when the user data runs it. Both are read here as the host gets
// them: user data rendered from Fn::Base64, Fn::Sub and Fn::Join into the script it
// becomes, and each cfn-init section (packages, users, sources, files, commands, services)
// as the work it does. Values the template does not fix — a parameter, a Ref, an
// attribute — stay placeholders (${Name}), never guesses, and every fact is cited at the
// line its piece is written on: a Fn::Join element's own line, a Fn::Sub block's line plus
// the offset into it.
//
// YAML and JSON templates are both read through yaml.v3, which keeps lines for JSON too.

// Lines only a CloudFormation template has at its top level: the format version, or a
// Resources mapping whose resources have AWS types; in YAML at the first column, in JSON
// as keys of the outer object.
var (
	reCFNYAMLVersion   = regexp.MustCompile(`(?m)^AWSTemplateFormatVersion\s*:`)
	reCFNYAMLResources = regexp.MustCompile(`(?m)^Resources\s*:\s*(?:#.*)?$`)
	reCFNYAMLType      = regexp.MustCompile(`(?m)^\s+Type\s*:\s*["']?AWS::`)
	reCFNJSONType      = regexp.MustCompile(`"Type"\s*:\s*"AWS::`)
)

// looksCloudFormation reports a text that is a CloudFormation (or SAM) template.
func looksCloudFormation(text string) bool {
	if !strings.Contains(text, "AWS") {
		return false
	}
	if strings.HasPrefix(strings.TrimLeft(text, " \t\r\n"), "{") {
		return strings.Contains(text, `"AWSTemplateFormatVersion"`) || strings.Contains(text, `"Resources"`) && reCFNJSONType.MatchString(text)
	}
	return reCFNYAMLVersion.MatchString(text) || reCFNYAMLResources.MatchString(text) && reCFNYAMLType.MatchString(text)
}

// maxCFNText is the most text one user data or file content may render to: Fn::Sub can
// repeat a large value many times.
const maxCFNText = 4 << 20

// readCloudFormation reads a template's boot-time work.
func (d *doc) readCloudFormation(text string) error {
	docs, err := parseYAMLExpanding(templateDirectives(text))
	if err != nil {
		return err
	}
	first := len(d.res.script.Facts)
	for _, root := range docs {
		res := mapGet(root, "Resources")
		for _, kv := range pairs(res) {
			d.cfnResource(kv[0].Value, kv[1])
		}
		for _, b := range cfnImageBuilders(res) {
			b.Evidence.File = d.file
			b.Evidence.Excerpt = d.excerpt(b.Evidence.Line)
			d.res.script.ImageBuilders = append(d.res.script.ImageBuilders, b)
		}
	}
	d.oneCFNInitRun(first)
	return nil
}

// oneCFNInitRun keeps one account of cfn-init running at boot: the metadata says what it
// applies and the user data's cfn-init command runs it, and that is one run, cited at the
// AWS::CloudFormation::Init key that holds the work. A cfn-init command in a template
// without metadata (it applies another stack's) keeps its own fact.
func (d *doc) oneCFNInitRun(first int) {
	facts := d.res.script.Facts[first:]
	isRun := func(f *inventory.Fact) bool {
		return f.Kind == inventory.FactConfigMgmt && f.Name == "cfn-init"
	}
	metadata := false
	for i := range facts {
		if isRun(&facts[i]) && facts[i].Via == viaCFNInit {
			metadata = true
			break
		}
	}
	if !metadata {
		return
	}
	kept := d.res.script.Facts[:first]
	for i := range facts {
		if isRun(&facts[i]) && facts[i].Via != viaCFNInit {
			continue
		}
		kept = append(kept, facts[i])
	}
	d.res.script.Facts = kept
}

// cfnResource reads one resource: its cfn-init metadata and its user data.
func (d *doc) cfnResource(id string, r *yaml.Node) {
	for _, kv := range pairs(mapGet(r, "Metadata")) {
		if kv[0].Value == "AWS::CloudFormation::Init" {
			d.cfnInit(id, kv[0], resolve(kv[1]))
		}
	}
	props := mapGet(r, "Properties")
	for _, holder := range []*yaml.Node{props, mapGet(props, "LaunchTemplateData")} {
		for _, kv := range pairs(holder) {
			if kv[0].Value == "UserData" {
				d.cfnUserData(kv[0], kv[1])
			}
		}
	}
}

// cfnUserData reads user data as the instance gets it.
func (d *doc) cfnUserData(key, v *yaml.Node) {
	t := &cfnText{file: d.file}
	t.render(v, 0)
	text, at, ok := t.done(key.Line)
	if !ok {
		d.gap(inventory.GapTooLarge, key.Line, "UserData renders to more than the limit: not read")
		return
	}
	if strings.TrimSpace(text) == "" {
		return
	}
	md := d.mapped(text, at)
	if err := md.readKind(inventory.ScriptUserData, text, 1); err != nil {
		md.gap(inventory.GapParse, errLine(err, 1), "UserData: "+parseMessage(sniff(text), err))
	}
}

// cfnInit reads AWS::CloudFormation::Init: the configs a configSet (or the default config)
// runs, each section as the work it does.
func (d *doc) cfnInit(id string, key, init *yaml.Node) {
	d.add(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "cfn-init", Via: viaCFNInit}, key.Line)
	// What its sources and files fetch is on the host when its commands run.
	defer func(outer []fetchedPath) { d.fetched = outer }(d.fetched)
	for _, name := range cfnConfigs(init) {
		cfg := mapGet(init, name)
		if cfg == nil || cfg.Kind != yaml.MappingNode {
			continue
		}
		// cfn-init applies the sections in this order, whatever order they are written in.
		for _, sec := range []string{"packages", "groups", "users", "sources", "files", "commands", "services"} {
			for _, kv := range pairs(cfg) {
				if kv[0].Value == sec {
					d.cfnSection(sec, resolve(kv[1]))
				}
			}
		}
	}
}

// viaCFNInit is the mechanism of what cfn-init does.
const viaCFNInit = "cfn-init"

// cfnConfigs names the configs cfn-init may run: those the configSets list (following a
// set that includes another), and the config named "config", which runs when no set is
// named. When configSets is not a plain mapping (a condition picks it), every config may
// run.
func cfnConfigs(init *yaml.Node) []string {
	sets := mapGet(init, "configSets")
	var all []string
	for _, kv := range pairs(init) {
		if kv[0].Value != "configSets" {
			all = append(all, kv[0].Value)
		}
	}
	if sets == nil {
		return []string{"config"}
	}
	if sets.Kind != yaml.MappingNode || isIntrinsic(sets) {
		return all
	}
	used := map[string]bool{"config": true}
	seen := map[string]bool{}
	var visit func(set string, depth int)
	visit = func(set string, depth int) {
		if depth > 8 || seen[set] {
			return
		}
		seen[set] = true
		for _, it := range cfnList(mapGet(sets, set)) {
			if s, ok := scalar(it); ok && !isIntrinsic(it) {
				used[s] = true
				continue
			}
			if ref, ok := scalar(mapGet(it, "ConfigSet")); ok {
				visit(ref, depth+1)
			}
		}
	}
	for _, kv := range pairs(sets) {
		visit(kv[0].Value, 0)
	}
	var out []string
	for _, name := range all {
		if used[name] {
			out = append(out, name)
		}
	}
	return out
}

// cfnList is a list as cfn-init takes it: a sequence, or one item alone.
func cfnList(n *yaml.Node) []*yaml.Node {
	n = resolve(n)
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.SequenceNode && !isIntrinsic(n):
		return n.Content
	}
	return []*yaml.Node{n}
}

// cfnSection reads one section of a config.
func (d *doc) cfnSection(sec string, v *yaml.Node) {
	switch sec {
	case "packages":
		for _, mgr := range pairs(v) {
			d.cfnPackages(mgr[0].Value, resolve(mgr[1]))
		}
	case "users":
		// cfn-init makes every user a system account with no login shell (it runs a
		// daemon); only membership of the docker group says something.
		for _, u := range pairs(v) {
			for _, g := range cfnList(mapGet(u[1], "groups")) {
				if s, ok := scalar(g); ok && s == "docker" {
					d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaDockerGroup, Name: u[0].Value}, g.Line)
				}
			}
		}
	case "sources":
		for _, kv := range pairs(v) {
			u := cfnString(kv[1])
			f := inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassDownload, Via: viaCFNInit, Name: path.Base(cutQuery(u)), FactParams: &inventory.FactParams{Address: hostOf(u)}}
			if u == "" || strings.HasPrefix(f.Name, "${") {
				f.Name = kv[0].Value // the folder it is unpacked into
			}
			d.add(f, kv[0].Line)
			if k, ok := classifyKeyword(u); ok && k.Kind != inventory.FactS3Mount {
				k.Via = viaCFNInit
				d.add(k, kv[0].Line)
			} else if u != "" {
				d.fetched = appendFetch(d.fetched, fetchedPath{local: kv[0].Value, source: inventory.SourceURL(u), via: viaCFNInit, dir: true})
			}
		}
	case "files":
		for _, kv := range pairs(v) {
			d.cfnFile(kv[0], resolve(kv[1]))
		}
	case "commands":
		for _, kv := range pairs(v) {
			c := mapGet(kv[1], "command")
			if c == nil {
				continue
			}
			d.cfnCommand(kv[0].Value, c)
		}
	case "services":
		for _, sys := range pairs(v) {
			for _, svc := range pairs(sys[1]) {
				if !truthy(mapGet(svc[1], "enabled")) && !truthy(mapGet(svc[1], "ensureRunning")) {
					continue
				}
				if sys[0].Value == "windows" {
					d.add(inventory.Fact{Kind: inventory.FactWindows, Name: "windows service", Via: viaCFNInit}, svc[0].Line)
				}
				d.serviceFact(svc[0].Value, viaCFNInit, svc[0].Line)
			}
		}
	}
}

// cfnPackages reads one package manager's packages. rpm and msi take a URL or path as
// the value: a package fetched at boot.
func (d *doc) cfnPackages(mgr string, v *yaml.Node) {
	ctx, via := ctxSystem, mgr
	switch mgr {
	case "python":
		ctx, via = ctxLibrary, "pip"
	case "rubygems":
		ctx, via = ctxLibrary, "gem"
	case "msi":
		if len(pairs(v)) > 0 {
			d.add(inventory.Fact{Kind: inventory.FactWindows, Name: "msi packages", Via: viaCFNInit}, pairs(v)[0][0].Line)
		}
	}
	for _, kv := range pairs(v) {
		name := kv[0].Value
		if mgr == "rpm" || mgr == "msi" {
			if u := cfnString(kv[1]); strings.Contains(u, "://") {
				d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassDownload, Via: mgr, Name: path.Base(cutQuery(u)), FactParams: &inventory.FactParams{Address: hostOf(u)}}, kv[0].Line)
				if f, ok := classifyName(path.Base(cutQuery(u)), ctxSystem); ok && f.Kind != inventory.FactPackage {
					f.Via = mgr
					d.add(f, kv[0].Line)
					continue
				}
			}
		}
		d.packageFact(name, ctx, via, kv[0].Line)
	}
}

// cfnFile reads one files entry: what writing the path says, with its content read as
// the kind the path and content say (a script, an fstab, a unit, a cron file…).
func (d *doc) cfnFile(key, v *yaml.Node) {
	target := key.Value
	w := fileWrite{target: target, line: key.Line}
	if src := cfnString(mapGet(v, "source")); src != "" {
		if isArchive(src) || isProgram(path.Base(target)) && path.Ext(target) != "" {
			d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassDownload, Via: viaCFNInit, Name: path.Base(target), FactParams: &inventory.FactParams{Address: hostOf(src)}}, key.Line)
		}
		if _, known := classifyKeyword(src); !known {
			d.fetched = appendFetch(d.fetched, fetchedPath{local: target, source: inventory.SourceURL(src), via: viaCFNInit})
		}
	}
	c := mapGet(v, "content")
	enc, _ := scalar(mapGet(v, "encoding"))
	if c == nil || strings.EqualFold(enc, "base64") || !isText(c) {
		d.write(w)
		return
	}
	t := &cfnText{file: d.file}
	t.render(c, 0)
	text, at, ok := t.done(key.Line)
	if !ok {
		d.gap(inventory.GapTooLarge, key.Line, "file "+target+": content renders to more than the limit: not read")
		d.write(w)
		return
	}
	w.content, w.known, w.cline = text, true, at[0].line
	w.at = make([]int, len(at))
	for i, p := range at {
		w.at[i] = p.line
	}
	d.write(w)
}

// isText reports content that renders to text: a string, or an intrinsic that builds one.
// A mapping or a list is written as JSON by cfn-init; it is configuration, not a script.
func isText(n *yaml.Node) bool {
	n = resolve(n)
	return n != nil && (n.Kind == yaml.ScalarNode || isIntrinsic(n))
}

// cfnCommand reads one command: a string run by the shell (cmd.exe on Windows), or a list
// run as its words.
func (d *doc) cfnCommand(name string, c *yaml.Node) {
	c = resolve(c)
	t := &cfnText{file: d.file}
	if c.Kind == yaml.SequenceNode && !isIntrinsic(c) {
		var words []string
		for _, w := range c.Content {
			words = append(words, shellQuote(cfnString(w)))
		}
		t.put(strings.Join(words, " "), c.Line, true)
	} else {
		t.render(c, 0)
	}
	text, at, ok := t.done(c.Line)
	if !ok || strings.TrimSpace(text) == "" {
		return
	}
	md := d.mapped(text, at)
	md.fetched = d.fetched
	if windowsCommand(text) {
		md.add(inventory.Fact{Kind: inventory.FactWindows, Name: "windows commands", Via: viaCFNInit}, 1)
		md.readPowerShellLines(text, 1)
		return
	}
	if err := md.readShell(text, 1, false); err != nil {
		var line int
		msg := err.Error()
		if se, ok := err.(*shellError); ok {
			line, msg = se.line, se.msg
		}
		md.gap(inventory.GapParse, line, "cfn-init command "+name+" is not valid shell: "+msg)
	}
}

// windowsCommand reports a command written for cmd.exe or PowerShell rather than a shell.
func windowsCommand(s string) bool {
	l := strings.ToLower(s)
	for _, w := range []string{"powershell", "pwsh", ".exe", ".ps1", ".bat", ".cmd", "c:\\", "c:/", "%programfiles%", "%systemroot%"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func cutQuery(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}

// cfnString renders a value that must be one string (a URL, a package name) on its own.
func cfnString(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	t := &cfnText{}
	t.render(n, 0)
	s, _, _ := t.done(n.Line)
	return s
}

// isIntrinsic reports a node that is a CloudFormation function: a short-form tag (!Sub) or
// a one-key mapping naming one (Fn::Sub, Ref).
func isIntrinsic(n *yaml.Node) bool {
	fn, _ := intrinsic(n)
	return fn != ""
}

// intrinsic names the function a node calls and its argument, in long form ("Fn::Sub",
// "Ref", "Condition").
func intrinsic(n *yaml.Node) (string, *yaml.Node) {
	n = resolve(n)
	if n == nil {
		return "", nil
	}
	if t := n.Tag; strings.HasPrefix(t, "!") && !strings.HasPrefix(t, "!!") {
		arg := *n
		arg.Tag = ""
		switch t {
		case "!Ref", "!Condition":
			return t[1:], &arg
		}
		return "Fn::" + t[1:], &arg
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
			return k, resolve(n.Content[1])
		}
	}
	return "", nil
}

// cfnText is a text rendered from a template's pieces, with the line each of its lines is
// written on.
type cfnText struct {
	file  string
	b     strings.Builder
	at    []int // file line of each text line; 0 until a piece with text lands on it
	over  bool  // past maxCFNText or maxCFNNodes
	nodes int   // values rendered so far
}

// maxCFNNodes bounds the values one text renders: YAML aliases can make a small template
// name the same list exponentially many times.
const maxCFNNodes = 1 << 16

// put appends a piece written at line (every piece line on that line when flat).
func (t *cfnText) put(s string, line int, flat bool) {
	if t.over {
		return
	}
	if t.b.Len()+len(s) > maxCFNText {
		t.over = true
		return
	}
	if len(t.at) == 0 {
		t.at = append(t.at, 0)
	}
	for i, part := range strings.Split(s, "\n") {
		if i > 0 {
			t.b.WriteByte('\n')
			t.at = append(t.at, 0)
		}
		l := line
		if !flat {
			l += i
		}
		if t.at[len(t.at)-1] == 0 && strings.TrimSpace(part) != "" {
			t.at[len(t.at)-1] = l
		}
		t.b.WriteString(part)
	}
}

// placeholder puts a value the template does not fix, named so that the text still reads
// as what it is in any language: ${Name}.
func (t *cfnText) placeholder(name string, line int) {
	t.put("${"+shellParam(strings.ReplaceAll(name, "::", "_"))+"}", line, true)
}

// done returns the text and where each line is; a line with no text of its own takes the
// line of the text before it (or def). ok is false when the text grew past the limit.
func (t *cfnText) done(def int) (string, []srcLine, bool) {
	if t.over {
		return "", nil, false
	}
	at := make([]srcLine, len(t.at))
	last := def
	for i, l := range t.at {
		if l == 0 {
			// Leading lines without text take the first placed line.
			for j := i; j < len(t.at) && last == def && i == 0; j++ {
				if t.at[j] != 0 {
					last = t.at[j]
					break
				}
			}
			l = last
		}
		at[i] = srcLine{file: t.file, line: l}
		last = l
	}
	if len(at) == 0 {
		at = []srcLine{{file: t.file, line: def}}
	}
	return t.b.String(), at, true
}

// maxCFNDepth bounds how deep functions may nest.
const maxCFNDepth = 32

// render appends what a value renders to.
func (t *cfnText) render(n *yaml.Node, depth int) {
	n = resolve(n)
	if n == nil || t.over {
		return
	}
	if t.nodes++; t.nodes > maxCFNNodes {
		t.over = true
		return
	}
	if depth > maxCFNDepth {
		t.placeholder("nested", n.Line)
		return
	}
	fn, arg := intrinsic(n)
	switch fn {
	case "":
		if n.Kind == yaml.ScalarNode {
			line, flat := blockText(n, 1)
			t.put(n.Value, line, flat)
			return
		}
		t.placeholder("value", n.Line)
	case "Fn::Base64":
		t.render(arg, depth+1)
	case "Fn::Sub":
		t.sub(arg, depth+1)
	case "Fn::Join":
		t.join(arg, depth+1)
	case "Fn::If":
		// The branch the condition enables; AWS::NoValue is nothing at all.
		l := items(arg)
		if len(l) == 3 {
			b := l[1]
			if ref, r := intrinsic(b); ref == "Ref" && r != nil && r.Value == "AWS::NoValue" {
				b = l[2]
			}
			t.render(b, depth+1)
		}
	case "Ref":
		if arg.Value != "AWS::NoValue" {
			t.placeholder(arg.Value, n.Line)
		}
	case "Fn::GetAtt":
		name := arg.Value
		if l := items(arg); len(l) > 0 {
			var parts []string
			for _, p := range l {
				parts = append(parts, p.Value)
			}
			name = strings.Join(parts, ".")
		}
		t.placeholder(name, n.Line)
	default:
		t.placeholder(strings.TrimPrefix(fn, "Fn::"), n.Line)
	}
}

// join renders Fn::Join: [delimiter, [values…]].
func (t *cfnText) join(arg *yaml.Node, depth int) {
	l := items(arg)
	if len(l) != 2 {
		t.placeholder("Join", arg.Line)
		return
	}
	delim, _ := scalar(l[0])
	vals := resolve(l[1])
	if vals.Kind != yaml.SequenceNode || isIntrinsic(vals) {
		t.placeholder("Join", vals.Line)
		return
	}
	for i, v := range vals.Content {
		if i > 0 && delim != "" {
			t.put(delim, vals.Content[i-1].Line, true)
		}
		t.render(v, depth)
	}
}

// reSubVar is a ${…} of Fn::Sub; ${!…} is the literal text ${…}.
var reSubVar = regexp.MustCompile(`\$\{([^}]*)\}`)

// sub renders Fn::Sub: a template string, or [template, {name: value}]. A name the
// mapping gives is rendered from its value; any other (a parameter, a resource, an
// attribute, a pseudo parameter) stays a placeholder.
func (t *cfnText) sub(arg *yaml.Node, depth int) {
	tmpl := arg
	vars := map[string]*yaml.Node{}
	if l := items(arg); len(l) > 0 {
		tmpl = resolve(l[0])
		if len(l) > 1 {
			for _, kv := range pairs(l[1]) {
				vars[kv[0].Value] = kv[1]
			}
		}
	}
	if tmpl == nil || tmpl.Kind != yaml.ScalarNode || isIntrinsic(tmpl) {
		t.render(tmpl, depth)
		return
	}
	s := tmpl.Value
	line, flat := blockText(tmpl, 1)
	lineAt := func(off int) int {
		if flat {
			return line
		}
		return line + strings.Count(s[:off], "\n")
	}
	last := 0
	for _, m := range reSubVar.FindAllStringSubmatchIndex(s, -1) {
		t.put(s[last:m[0]], lineAt(last), flat)
		name := s[m[2]:m[3]]
		switch {
		case strings.HasPrefix(name, "!"):
			t.put("${"+name[1:]+"}", lineAt(m[0]), true)
		case vars[name] != nil:
			t.render(vars[name], depth)
		default:
			t.placeholder(name, lineAt(m[0]))
		}
		last = m[1]
	}
	t.put(s[last:], lineAt(last), flat)
}

// reDirectiveLine is a line holding only a template engine's control directive — Go
// templates' {{ if }}, {{ range }}, {{ with }}, {{ end }}; Jinja's {% … %} — as generators
// of CloudFormation and cloud-config (mu, Jinja-rendered user data) write them between
// the lines they repeat or choose.
var reDirectiveLine = regexp.MustCompile(`(?m)^[ \t]*(?:\{\{-?[ \t]*(?:if|else|else if|end|range|with|define|template|block)\b[^\n]*?-?\}\}|\{%-?[^\n]*?-?%\})[ \t]*\r?$`)

// templateDirectives blanks directive lines, keeping every line where it is: the text is
// read as the lines it renders, with the values the directives would fill left as written.
// A directive line breaks the YAML structure around it (a block scalar ends at the first
// line indented less), while blank lines do not.
func templateDirectives(text string) string {
	if !strings.Contains(text, "{{") && !strings.Contains(text, "{%") {
		return text
	}
	return reDirectiveLine.ReplaceAllString(text, "")
}

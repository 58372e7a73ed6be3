package scripts

import (
	"strings"

	"whyk8s/inventory"
)

// Puppet manifests have no Go parser either. This reader tokenises a manifest (strings,
// comments, variables, braces, =>) and reads what its resources declare, `TYPE { 'TITLE':
// attribute => value, … }`, and the classes it includes: packages, services running or
// enabled, mounts, cron jobs, exec commands (read as shell), sysctl settings, containers
// of the docker module, and include/contain/require/class { … } of other classes, each a
// reference to its manifest in the module's folder. A value built from a variable is not
// known, and left out.

// ppToken is one token of a manifest.
type ppToken struct {
	kind byte // 'w' a word (a name, possibly with ::), 's' a string, 'v' a variable, '=' =>, or the byte itself
	text string
	line int
}

// ppTokens splits a manifest into tokens; line numbers start at base.
func ppTokens(src string, base int) []ppToken {
	var out []ppToken
	line := base
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				end = len(src) - i - 2
			}
			line += strings.Count(src[i:i+2+end], "\n")
			i += end + 4
		case c == '\'' || c == '"':
			at := line
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != c; j++ {
				if src[j] == '\\' && j+1 < len(src) && (src[j+1] == c || src[j+1] == '\\') {
					j++
				}
				if src[j] == '\n' {
					line++
				}
				b.WriteByte(src[j])
			}
			out = append(out, ppToken{kind: 's', text: b.String(), line: at})
			i = j + 1
		case c == '$':
			j := i + 1
			for j < len(src) && (isWordByte(src[j]) || src[j] == ':') {
				j++
			}
			out = append(out, ppToken{kind: 'v', text: src[i:j], line: line})
			i = j
		case c == '=' && i+1 < len(src) && src[i+1] == '>':
			out = append(out, ppToken{kind: '=', text: "=>", line: line})
			i += 2
		case isWordByte(c):
			j := i
			for j < len(src) && (isWordByte(src[j]) || src[j] == ':' && j+1 < len(src) && src[j+1] == ':' || src[j] == ':' && j > 0 && src[j-1] == ':') {
				j++
			}
			out = append(out, ppToken{kind: 'w', text: src[i:j], line: line})
			i = j
		default:
			out = append(out, ppToken{kind: c, text: string(c), line: line})
			i++
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// ppKeywords are words followed by a brace that open no resource.
var ppKeywords = map[string]bool{"if": true, "elsif": true, "else": true, "unless": true, "case": true, "default": true,
	"node": true, "define": true, "inherits": true, "and": true, "or": true, "in": true, "function": true}

// ppDefines are the words after which a name is one being defined (class profile::web {),
// not a resource's type.
var ppDefines = map[string]bool{"class": true, "define": true, "inherits": true, "node": true, "function": true}

// ppResource is one resource read from a manifest: its type, title and attributes.
type ppResource struct {
	typ, title string
	titles     []string
	line       int
	attrs      map[string]ppValue
}

// ppValue is an attribute's value: its strings (one for a string or a word, several for
// an array), and whether it is built from a variable.
type ppValue struct {
	strs     []string
	variable bool
	line     int
}

func (v ppValue) one() string {
	if len(v.strs) == 1 && !v.variable {
		return v.strs[0]
	}
	return ""
}

// readPuppetManifest reads a Puppet manifest starting at file line base.
func (d *doc) readPuppetManifest(text string, base int) {
	toks := ppTokens(text, base)
	// For the node definitions, computed once: the manifest's lines (their names), and the
	// brace closing each one that opens (where each ends; a scan from each brace would be
	// quadratic in a manifest of nodes that never close).
	var lines []string
	var closing []int
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != 'w' {
			continue
		}
		switch {
		case t.text == "node" && (i == 0 || toks[i-1].kind != '='):
			if lines == nil {
				lines, closing = strings.Split(text, "\n"), closingBraces(toks)
			}
			d.puppetNode(toks, i, lines, base, closing)
		case (t.text == "include" || t.text == "contain" || t.text == "require") && i+1 < len(toks) && (toks[i+1].kind == 'w' || toks[i+1].kind == 's' || toks[i+1].kind == '('):
			// include a, b or include('a'): the classes named, to the end of the list.
			j := i + 1
			if toks[j].kind == '(' {
				j++
			}
			for j < len(toks) && (toks[j].kind == 'w' || toks[j].kind == 's') {
				d.puppetClass(toks[j].text, toks[j].line)
				j++
				if j >= len(toks) || toks[j].kind != ',' {
					break
				}
				j++
			}
			i = j - 1
		case i+1 < len(toks) && toks[i+1].kind == '{' && !ppKeywords[t.text] && t.text == strings.ToLower(t.text) &&
			!(i > 0 && toks[i-1].kind == 'w' && ppDefines[toks[i-1].text]):
			// TYPE { TITLE: attributes; TITLE: attributes }: a capitalised type is a
			// resource default or reference, not a resource.
			i = d.puppetResources(toks, i)
		}
	}
}

// puppetNode records the node definition that starts at toks[i] (node NAMES { … }) as a
// part of the manifest for one kind of host, named as written on its line (a regular
// expression is tokenised byte by byte). The definition's body is read with the rest of
// the manifest. lines are the manifest's, the first at line base.
func (d *doc) puppetNode(toks []ppToken, i int, lines []string, base int, closing []int) {
	j := i + 1
	for j < len(toks) && toks[j].kind != '{' && toks[j].kind != ';' && toks[j].kind != '}' {
		j++
	}
	if j >= len(toks) || toks[j].kind != '{' || j == i+1 {
		return
	}
	name := ""
	if k := toks[i].line - base; k >= 0 && k < len(lines) && toks[j].line == toks[i].line {
		l := lines[k]
		if at := strings.Index(l, "node"); at >= 0 {
			if open := strings.IndexByte(l[at:], '{'); open > 0 {
				name = strings.Join(strings.Fields(l[at+len("node"):at+open]), " ")
			}
		}
	}
	if name == "" {
		// Over lines: the tokens glued back, a regular expression's bytes and all.
		var b strings.Builder
		for _, t := range toks[i+1 : j] {
			switch t.kind {
			case 's':
				b.WriteString("'" + t.text + "'")
			case ',':
				b.WriteString(", ")
			default:
				b.WriteString(t.text)
			}
		}
		name = b.String()
	}
	end := closing[j]
	d.res.script.Hosts = append(d.res.script.Hosts, inventory.HostSection{Name: name, FromLine: toks[i].line, ToLine: toks[end].line})
}

// closingBraces maps each { of toks to the index of the } closing it, or of the last token
// when none does.
func closingBraces(toks []ppToken) []int {
	out := make([]int, len(toks))
	var open []int
	for j, t := range toks {
		switch t.kind {
		case '{':
			open = append(open, j)
			out[j] = len(toks) - 1
		case '}':
			if n := len(open); n > 0 {
				out[open[n-1]] = j
				open = open[:n-1]
			}
		}
	}
	return out
}

// puppetResources reads the resource bodies of the block that opens after toks[i] (the
// type) and returns the index of its closing brace, or of the last token read.
func (d *doc) puppetResources(toks []ppToken, i int) int {
	typ := toks[i].text
	j := i + 2
	for j < len(toks) {
		// A title, or a list of them, then a colon.
		r := ppResource{typ: typ, line: toks[i].line, attrs: map[string]ppValue{}}
		v, k := ppReadValue(toks, j)
		if k >= len(toks) || toks[k].kind != ':' {
			return skipBlock(toks, i+1) // no title: a hash or an expression, not a resource
		}
		r.titles = v.strs
		if len(v.strs) > 0 && !v.variable {
			r.title = v.strs[0]
		}
		if len(toks) > j {
			r.line = toks[j].line
		}
		j = k + 1
		for j < len(toks) && toks[j].kind != '}' && toks[j].kind != ';' {
			if toks[j].kind == 'w' && j+1 < len(toks) && toks[j+1].kind == '=' {
				val, next := ppReadValue(toks, j+2)
				val.line = toks[j].line
				r.attrs[toks[j].text] = val
				j = next
				continue
			}
			j++
		}
		d.puppetResource(r)
		if j >= len(toks) || toks[j].kind == '}' {
			return j
		}
		j++ // ; and the next title
		if j < len(toks) && toks[j].kind == '}' {
			return j
		}
	}
	return j
}

// skipBlock returns the index of the brace closing the one opening at toks[open].
func skipBlock(toks []ppToken, open int) int {
	depth := 0
	for j := open; j < len(toks); j++ {
		switch toks[j].kind {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(toks) - 1
}

// ppReadValue reads a value at toks[j] up to a comma, a semicolon, a colon or a closing
// brace at its own level, and returns the index after it.
func ppReadValue(toks []ppToken, j int) (ppValue, int) {
	var v ppValue
	depth := 0
	for ; j < len(toks); j++ {
		tk := toks[j]
		switch tk.kind {
		case '[', '{', '(':
			depth++
			continue
		case ']', ')':
			depth--
			continue
		case '}':
			if depth == 0 {
				return v, j
			}
			depth--
			continue
		case ',', ';', ':':
			if depth == 0 {
				return v, j
			}
			continue
		case 'v':
			v.variable = true
		case 's':
			if strings.Contains(tk.text, "${") || strings.Contains(tk.text, "$") && strings.ContainsAny(tk.text, "{") {
				v.variable = true
			}
			v.strs = append(v.strs, tk.text)
		case 'w':
			v.strs = append(v.strs, tk.text)
		}
	}
	return v, j
}

// puppetResource records what one resource says about the host.
func (d *doc) puppetResource(r ppResource) {
	attr := func(k string) string { return r.attrs[k].one() }
	ensure := strings.ToLower(attr("ensure"))
	if ensure == "absent" || ensure == "purged" || ensure == "stopped" && attr("enable") != "true" {
		return
	}
	names := r.titles
	if n := attr("name"); n != "" {
		names = []string{n}
	}
	if r.attrs["name"].variable || r.attrs["name"].strs == nil && len(names) == 0 {
		return
	}
	switch r.typ {
	case "package":
		ctx := ctxSystem
		if p := attr("provider"); p == "pip" || p == "pip3" || p == "gem" || p == "npm" {
			ctx = ctxLibrary
		}
		for _, n := range names {
			d.packageFact(n, ctx, inventory.ViaPuppet, r.line)
		}
	case "service":
		if ensure != "running" && ensure != "true" && attr("enable") != "true" {
			return
		}
		for _, n := range names {
			d.serviceFact(n, inventory.ViaPuppet, r.line)
		}
	case "mount":
		if ensure != "" && ensure != "mounted" && ensure != "present" && ensure != "defined" {
			return
		}
		mp := r.title
		d.mountFact(attr("device"), mp, attr("fstype"), strings.Join(r.attrs["options"].strs, ","), inventory.ViaPuppet, r.line)
	case "cron":
		d.add(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCronModule, Name: r.title}, r.line)
	case "exec":
		cmd := r.attrs["command"]
		src, at := cmd.one(), cmd.line
		if len(cmd.strs) == 0 {
			src, at = r.title, r.line
		}
		if src == "" || cmd.variable {
			return
		}
		d.nestedShell(src, at, true, "puppet exec")
	case "sysctl", "sysctl::value", "sysctl::conf":
		d.add(sysctlFact(r.title, attr("value"), inventory.ViaPuppet), r.line)
	case "docker::run":
		image := attr("image")
		d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaPuppet, Name: image, FactParams: &inventory.FactParams{Command: r.typ}}, r.line)
		if image != "" {
			d.containerIs(image, r.line)
		}
	case "docker::image", "docker::compose", "docker::services":
		d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaPuppet, Name: r.title, FactParams: &inventory.FactParams{Command: r.typ}}, r.line)
	case "class":
		for _, n := range names {
			d.puppetClass(n, r.line)
		}
	case "file":
		// A file put on the host: what its place says, and its content when the manifest
		// holds it (content => '…') or its module's files/ does (source => puppet:///…).
		target := r.title
		if p := attr("path"); p != "" {
			target = p
		}
		w := fileWrite{target: target, line: r.line}
		if c := r.attrs["content"]; c.one() != "" && len(c.strs) == 1 {
			w.content, w.cline, w.known = c.one(), c.line, true
		}
		d.write(w)
		if src, ok := strings.CutPrefix(attr("source"), "puppet:///modules/"); ok {
			// puppet:///modules/MODULE/PATH is MODULE/files/PATH.
			if mod, rest, ok := strings.Cut(src, "/"); ok && rest != "" {
				n := len(d.res.refs)
				d.ref(mod+"/files/"+rest, "puppet file", refSuffix, inventory.ScriptTemplate, r.line)
				if len(d.res.refs) > n {
					d.res.refs[n].dest = target
				}
			}
		}
	}
}

// puppetClass refers to the manifest of a class a manifest includes: a::b::c is
// a/manifests/b/c.pp, a is a/manifests/init.pp. Not in the folders, it is a gap, and what
// the class's module is named for (postgresql::server is a PostgreSQL server) is a fact.
func (d *doc) puppetClass(name string, line int) {
	name = strings.TrimPrefix(strings.TrimSpace(name), "::")
	if name == "" || strings.ContainsAny(name, "${}/ '\"") {
		return
	}
	parts := strings.Split(name, "::")
	target := parts[0] + "/manifests/init.pp"
	if len(parts) > 1 {
		target = parts[0] + "/manifests/" + strings.Join(parts[1:], "/") + ".pp"
	}
	n := len(d.res.refs)
	d.ref(target, "include "+name, refSuffix, inventory.ScriptPuppetManifest, line)
	if len(d.res.refs) > n {
		d.res.refs[n].wanted = true
		d.res.refs[n].class = name
	}
}

// puppetClassFact is what a class not read is named for: its module's name, when the
// class is the module's own or its server (nginx, postgresql::server); a client or a
// library class installs no server.
func puppetClassFact(class string) (inventory.Fact, bool) {
	parts := strings.Split(class, "::")
	if len(parts) > 2 || len(parts) == 2 && parts[1] != "server" {
		return inventory.Fact{}, false
	}
	f, ok := roleFact(parts[0])
	f.Via = inventory.ViaPuppetClass
	return f, ok
}

package scripts

import (
	"path"
	"regexp"
	"strings"

	"whyk8s/inventory"
)

// Chef recipes are Ruby, and no maintained Go parser reads Ruby, so this reader is
// deliberately shallow, as the PowerShell one is: a recipe is a list of resources, each a
// line `TYPE 'NAME'` with, when it has properties, a `do … end` block below it at the same
// indentation, and that shape is read line by line. Only resources whose meaning does not
// depend on Ruby's evaluation are read: packages, services started, containers, mounts,
// cron jobs, sysctl settings, commands (read as shell) and the recipes a recipe includes.
// A name built from node attributes (node['app']['packages']) is not known, and is left out.

// reChefResource is a resource's first line: its type, and its name as written (a string,
// %w(…), or a list of strings).
var reChefResource = regexp.MustCompile(`^(\s*)([a-z][a-z0-9_]*)\s*\(?\s*('[^']*'|"[^"]*"|%[wW][(\[{][^)\]}]*[)\]}]|\[[^\]]*\])\s*\)?\s*(do\b.*)?$`)

// reChefProperty is a property line inside a resource's block: its name and its value.
var reChefProperty = regexp.MustCompile(`^\s*([a-z_]+)\s*\(?\s*(.*?)\s*\)?\s*$`)

// chefPackages are the package resources, by the context their names are packages of.
var chefPackages = map[string]string{
	"package": ctxSystem, "apt_package": ctxSystem, "yum_package": ctxSystem, "dnf_package": ctxSystem,
	"zypper_package": ctxSystem, "snap_package": ctxSystem, "chocolatey_package": ctxSystem, "rpm_package": ctxSystem,
	"dpkg_package": ctxSystem, "gem_package": ctxLibrary, "chef_gem": ctxLibrary,
}

// chefResource is one resource read from a recipe: where it starts and its properties.
type chefResource struct {
	typ, name string
	names     []string // the names of a resource given a list (package %w(a b))
	line      int
	props     map[string]chefProp
}

type chefProp struct {
	value   string
	line    int
	heredoc bool // the value is a heredoc's lines, from line on
}

// readChefRecipe reads a Chef recipe starting at file line base.
func (d *doc) readChefRecipe(text string, base int) {
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		m := reChefResource.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		r := chefResource{typ: m[2], line: base + i, props: map[string]chefProp{}}
		r.names = rubyStrings(m[3])
		if len(r.names) > 0 {
			r.name = r.names[0]
		}
		if m[4] != "" {
			i = r.readBlock(lines, i, len(m[1]), base)
		}
		d.chefResource(r)
	}
}

// readBlock reads the properties of a resource's do … end block, which starts on line i
// at indentation indent, and returns the block's last line. A heredoc value (code <<-EOH)
// is kept whole, with the line it starts on.
func (r *chefResource) readBlock(lines []string, i, indent, base int) int {
	for j := i + 1; j < len(lines); j++ {
		l := lines[j]
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if ind := len(l) - len(strings.TrimLeft(l, " \t")); ind <= indent {
			if t == "end" {
				return j
			}
			return j - 1 // a block written without its end: it ended above
		}
		pm := reChefProperty.FindStringSubmatch(l)
		if pm == nil {
			continue
		}
		key, val := pm[1], pm[2]
		if h := heredocStart(val); h != "" {
			var body []string
			k := j + 1
			for ; k < len(lines) && strings.TrimSpace(lines[k]) != h; k++ {
				body = append(body, lines[k])
			}
			if _, seen := r.props[key]; !seen {
				r.props[key] = chefProp{value: strings.Join(body, "\n"), line: base + j + 1, heredoc: true}
			}
			j = k
			continue
		}
		if _, seen := r.props[key]; !seen {
			r.props[key] = chefProp{value: val, line: base + j}
		}
	}
	return len(lines) - 1
}

// heredocStart is the delimiter of a Ruby heredoc that opens a value (<<-EOH, <<~EOF),
// or "".
func heredocStart(v string) string {
	if !strings.HasPrefix(v, "<<") {
		return ""
	}
	h := strings.TrimLeft(v[2:], "-~")
	h = strings.Trim(h, `'"`)
	if h == "" || !isWordText(h) {
		return ""
	}
	return h
}

func isWordText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// rubyStrings are the strings a Ruby literal gives: 'a', "a", %w(a b), ['a', "b"]. An
// interpolation (#{node['x']}) is kept as a placeholder, so that a name built from one is
// known not to be known.
func rubyStrings(lit string) []string {
	lit = strings.TrimSpace(lit)
	var out []string
	switch {
	case strings.HasPrefix(lit, "%w") || strings.HasPrefix(lit, "%W"):
		out = strings.Fields(lit[3 : len(lit)-1])
	case strings.HasPrefix(lit, "["):
		for _, part := range strings.Split(strings.Trim(lit, "[]"), ",") {
			if s := strings.TrimSpace(part); len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
				out = append(out, s[1:len(s)-1])
			}
		}
	case len(lit) >= 2 && (lit[0] == '\'' || lit[0] == '"') && lit[len(lit)-1] == lit[0]:
		out = []string{lit[1 : len(lit)-1]}
	}
	for i := range out {
		out[i] = strings.ReplaceAll(out[i], "#{", "${")
	}
	return out
}

// rubyString is a property's value when it is one literal string, or "".
func rubyString(v string) string {
	if s := rubyStrings(v); len(s) == 1 && !strings.HasPrefix(strings.TrimSpace(v), "[") && !strings.HasPrefix(strings.TrimSpace(v), "%") {
		return s[0]
	}
	return ""
}

// chefResource records what one resource says about the host.
func (d *doc) chefResource(r chefResource) {
	prop := func(k string) (string, int) {
		p, ok := r.props[k]
		if !ok {
			return "", 0
		}
		return p.value, p.line
	}
	switch {
	case chefPackages[r.typ] != "":
		names := r.names
		if v, _ := prop("package_name"); rubyString(v) != "" {
			names = []string{rubyString(v)}
		} else if l := rubyStrings(v); len(l) > 0 {
			names = l
		}
		if act, _ := prop("action"); strings.Contains(act, ":remove") || strings.Contains(act, ":purge") {
			return
		}
		for _, n := range names {
			d.packageFact(n, chefPackages[r.typ], inventory.ViaChef, r.line)
		}
	case r.typ == "service" || r.typ == "systemd_unit" || r.typ == "windows_service":
		// Chef's service does nothing unless told: only one enabled or started runs.
		act, _ := prop("action")
		if !strings.Contains(act, ":start") && !strings.Contains(act, ":enable") && !strings.Contains(act, ":restart") {
			return
		}
		name := r.name
		if v, _ := prop("service_name"); rubyString(v) != "" {
			name = rubyString(v)
		}
		d.serviceFact(name, inventory.ViaChef, r.line)
	case r.typ == "docker_container":
		image := r.name
		if v, _ := prop("repo"); rubyString(v) != "" {
			image = rubyString(v)
		}
		d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaChef, Name: image, FactParams: &inventory.FactParams{Command: r.typ}}, r.line)
		d.containerIs(image, r.line)
	case r.typ == "docker_image" || r.typ == "docker_service" || r.typ == "docker_installation":
		d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaChef, Name: r.name, FactParams: &inventory.FactParams{Command: r.typ}}, r.line)
	case r.typ == "mount":
		dev, _ := prop("device")
		typ, _ := prop("fstype")
		opts, _ := prop("options")
		if act, _ := prop("action"); act != "" && !strings.Contains(act, ":mount") && !strings.Contains(act, ":enable") {
			return
		}
		mp := r.name
		if v, _ := prop("mount_point"); rubyString(v) != "" {
			mp = rubyString(v)
		}
		d.mountFact(rubyString(dev), mp, rubyString(typ), strings.Join(rubyStrings(opts), ","), inventory.ViaChef, r.line)
	case r.typ == "cron" || r.typ == "cron_d":
		if act, _ := prop("action"); strings.Contains(act, ":delete") {
			return
		}
		d.add(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCronModule, Name: r.name}, r.line)
	case r.typ == "sysctl" || r.typ == "sysctl_param":
		key := r.name
		if v, _ := prop("key"); rubyString(v) != "" {
			key = rubyString(v)
		}
		v, _ := prop("value")
		value := rubyString(v)
		if value == "" && strings.Trim(v, "0123456789 ") == "" {
			value = strings.TrimSpace(v) // value 262144: a number, not a string
		}
		d.add(sysctlFact(key, value, inventory.ViaChef), r.line)
	case r.typ == "execute" || r.typ == "bash" || r.typ == "script" || r.typ == "sh":
		// What it runs is shell: the command property, the code of a script resource, or
		// the name of an execute without a command.
		src, at := prop("command")
		if r.typ != "execute" {
			src, at = prop("code")
		} else if s := rubyString(src); s != "" {
			src = s
		} else if src == "" {
			src, at = r.name, r.line
		}
		if src == "" || strings.HasPrefix(strings.TrimSpace(src), "[") {
			return
		}
		d.nestedShell(strings.ReplaceAll(src, "#{", "${"), at, r.typ == "execute", "chef "+r.typ)
	case r.typ == "include_recipe":
		d.chefRunList(r.name, r.line, "include_recipe")
	case r.typ == "file" || r.typ == "template" || r.typ == "cookbook_file":
		// A file put on the host: what its place says (a unit, sysctl, fstab, cron), and
		// its content when the recipe holds it or the cookbook's template or file does.
		target := r.name
		if v, _ := prop("path"); rubyString(v) != "" {
			target = rubyString(v)
		}
		w := fileWrite{target: target, line: r.line}
		if c, ok := r.props["content"]; ok && r.typ == "file" {
			switch s := rubyString(c.value); {
			case c.heredoc:
				w.content, w.cline, w.known = c.value, c.line, true
			case s != "":
				w.content, w.cline, w.flat, w.known = strings.ReplaceAll(s, `\n`, "\n"), c.line, true, true
			}
		}
		d.write(w)
		if r.typ != "file" {
			src := path.Base(target)
			if v, _ := prop("source"); rubyString(v) != "" {
				src = rubyString(v)
			}
			dir := "files"
			if r.typ == "template" {
				dir = "templates"
			}
			d.cookbookFile(dir, src, target, r.line)
		}
	}
}

// cookbookFile refers to the template or file of the recipe's cookbook that a resource
// puts at target: templates/default/NAME or templates/NAME (files/ likewise), read as the
// file it becomes.
func (d *doc) cookbookFile(dir, src, target string, line int) {
	if src == "" || strings.ContainsAny(src, "${}") {
		return
	}
	cookbook := path.Dir(path.Dir(d.res.script.Path)) // cookbooks/app/recipes/x.rb
	file, line, excerpt := d.place(d.file, line, d.excerpt(line))
	d.res.refs = append(d.res.refs, refIntent{
		target: src, how: "chef " + strings.TrimSuffix(dir, "s"), mode: refRelative, kind: inventory.ScriptTemplate, line: line,
		from: d.res.script.Path, file: file, excerpt: excerpt, dest: target,
		alts: []string{cookbook + "/" + dir + "/default/" + src, cookbook + "/" + dir + "/" + src},
	})
}

// chefRunList refers to what a run list entry, or a comma-separated list of them, applies:
// recipe[cookbook::recipe] (or cookbook::recipe) is that cookbook's recipes/recipe.rb,
// the default recipe when none is named; role[name] is a role's run list, in roles/.
func (d *doc) chefRunList(list string, line int, how string) {
	for _, e := range strings.Split(list, ",") {
		e = strings.Trim(strings.TrimSpace(e), `"'`)
		kind, name := "recipe", e
		if i := strings.IndexByte(e, '['); i > 0 && strings.HasSuffix(e, "]") {
			kind, name = e[:i], e[i+1:len(e)-1]
		}
		name, _, _ = strings.Cut(name, "@") // recipe[app@1.2.0]: a version, not a path
		if name == "" || strings.ContainsAny(name, "${}#/ ") {
			continue
		}
		n := len(d.res.refs)
		switch kind {
		case "recipe":
			cookbook, recipe, ok := strings.Cut(name, "::")
			if !ok {
				recipe = "default"
			}
			d.ref(cookbook+"/recipes/"+recipe+".rb", how, refSuffix, inventory.ScriptChefRecipe, line)
		case "role":
			d.ref("roles/"+name+".json", how, refSuffix, inventory.ScriptChefRunList, line)
		}
		if len(d.res.refs) > n {
			d.res.refs[n].wanted = true
			if kind == "role" {
				d.res.refs[n].also = []string{"roles/" + name + ".rb"} // a role written in Ruby
			}
		}
	}
}

// readChefRunList reads a node's or a role's JSON: the recipes and roles its run_list
// applies, each a reference at its line. A role's name names the script, so that a group
// named for the role is linked to it, and through it to its recipes.
func (d *doc) readChefRunList(src []byte, name string) error {
	root, err := parseJSON(src, name)
	if err != nil {
		return err
	}
	if n := root.fields()["name"].str().s; n != "" && d.res.script.Name == "" {
		d.res.script.Name = n
	}
	for _, e := range root.fields()["run_list"].items() {
		if s := e.str(); s.s != "" {
			d.chefRunList(s.s, s.line, "run_list")
		}
	}
	return nil
}

// readChefRoleRuby reads a role written in Ruby (roles/web.rb), as most Chef repositories
// keep them: its name, and the recipes and roles its run lists apply — run_list, and each
// environment's list in env_run_lists. A statement runs on over lines while a bracket is
// open or a line ends with a comma or a backslash, as Ruby reads it. Attributes and
// anything computed are left out.
func (d *doc) readChefRoleRuby(text string, base int) {
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		word := t
		if j := strings.IndexAny(t, " \t(\"'"); j >= 0 {
			word = t[:j]
		}
		switch word {
		case "name":
			if s := rubyStrings(strings.Trim(strings.TrimSpace(t[len(word):]), "()")); len(s) == 1 && d.res.script.Name == "" && !strings.Contains(s[0], "${") {
				d.res.script.Name = s[0]
			}
		case "run_list", "env_run_lists":
			lits, end := rubyStatementStrings(lines, i, len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))+len(word))
			for _, l := range lits {
				// An environment's name is a key among env_run_lists' strings, not an entry.
				if word == "run_list" || strings.Contains(l.s, "[") {
					d.chefRunList(l.s, base+l.line, word)
				}
			}
			i = end
		}
	}
}

// rubyLit is a string literal of a Ruby statement and the line (0-based) it is on.
type rubyLit struct {
	s    string
	line int
}

// rubyStatementStrings reads the statement that starts on line i at column col: the
// string literals it holds ('…', "…", the words of %w(…)) and the line it ends on.
func rubyStatementStrings(lines []string, i, col int) ([]rubyLit, int) {
	var out []rubyLit
	depth := 0
	for ; i < len(lines); i, col = i+1, 0 {
		l := lines[i]
		last := byte(0) // the last byte of the line outside strings and comments
	scan:
		for k := col; k < len(l); k++ {
			c := l[k]
			switch {
			case c == '#':
				break scan
			case c == '\'' || c == '"':
				end := k + 1
				for end < len(l) && l[end] != c {
					if l[end] == '\\' {
						end++
					}
					end++
				}
				if end < len(l) {
					out = append(out, rubyLit{s: l[k+1 : end], line: i})
				}
				k, last = end, c
			case c == '%' && k+2 < len(l) && (l[k+1] == 'w' || l[k+1] == 'W') && strings.IndexByte("([{", l[k+2]) >= 0:
				closer := map[byte]byte{'(': ')', '[': ']', '{': '}'}[l[k+2]]
				end := strings.IndexByte(l[k+3:], closer)
				if end < 0 {
					end = len(l) - k - 3 // %w( … over lines: its words on this one
				}
				for _, w := range strings.Fields(l[k+3 : k+3+end]) {
					out = append(out, rubyLit{s: w, line: i})
				}
				k, last = k+3+end, closer
			case c == '(' || c == '[' || c == '{':
				depth, last = depth+1, c
			case c == ')' || c == ']' || c == '}':
				depth, last = max(depth-1, 0), c
			case c != ' ' && c != '\t' && c != '\r':
				last = c
			}
		}
		if depth == 0 && last != ',' && last != '\\' && last != '>' {
			return out, i
		}
	}
	return out, len(lines) - 1
}

package scripts

import (
	"path"
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"whyk8s/inventory"
)

// What a module argument's values are, so the post-pass can record a variable's values
// found in another file the same way as literals.
const (
	useSystemPkg  = "system-package"
	useLibraryPkg = "library-package"
	useService    = "service"
)

// ansibleReader reads playbooks, task files, vars files and role metadata.
type ansibleReader struct {
	d       *doc
	base    int    // file line of the text's first line
	dir     string // folder of the script, in Path form
	roleDir string // "…/roles/<name>/" when the file is inside a role
	shell   map[*yaml.Node]bool
	// taskModule is the module of the task being read: the mechanism of what it installs
	// or starts, kept with a lookup that the post-pass resolves.
	taskModule string
}

// scope is what a task can see: variables of its play, block and task, by name.
type scope struct {
	vars map[string][]varItem
	// conditional are variables only a set_fact under a condition gave values: the values
	// a role's defaults give them are possible too.
	conditional map[string]bool
}

func (s scope) with(n *yaml.Node, a *ansibleReader) scope {
	ps := pairs(n)
	if len(ps) == 0 {
		return s
	}
	out := scope{vars: map[string][]varItem{}, conditional: s.conditional}
	for k, v := range s.vars {
		out.vars[k] = v
	}
	for _, p := range ps {
		a.eachVar(p[0].Value, p[1], 0, func(name string, vals []varItem) { out.vars[name] = vals })
	}
	return out
}

// eachVar calls set for a variable and, when its value is a mapping, for each nested value
// by its dotted name: roles keep settings in dictionaries (kafka.broker.service_name) and
// tasks name them so.
func (a *ansibleReader) eachVar(name string, v *yaml.Node, depth int, set func(string, []varItem)) {
	if vals := a.varItems(v); vals != nil {
		set(name, vals)
		return
	}
	if v = resolve(v); v == nil || v.Kind != yaml.MappingNode || depth >= 4 {
		return
	}
	for _, p := range pairs(v) {
		a.eachVar(name+"."+p[0].Value, p[1], depth+1, set)
	}
}

func roleDirOf(p string) string {
	i := strings.LastIndex(p, "roles/")
	if i < 0 || (i > 0 && p[i-1] != '/') {
		return ""
	}
	rest := p[i+len("roles/"):]
	j := strings.IndexByte(rest, '/')
	if j <= 0 {
		return ""
	}
	return p[:i+len("roles/")+j+1]
}

// roleDirFor is roleDirOf, or the role folder the walk found the file in when the role is
// not under a roles/ folder.
func roleDirFor(p, roleRoot string) string {
	if rd := roleDirOf(p); rd != "" {
		return rd
	}
	if roleRoot == "/" || roleRoot != "" && strings.HasPrefix(p, roleRoot) {
		return roleRoot
	}
	return ""
}

// inRole is the path of rel inside a role folder found by roleDirFor ("/" is the scanned
// folder itself).
func inRole(roleDir, rel string) string { return strings.TrimPrefix(roleDir+rel, "/") }

func newAnsibleReader(d *doc, base int) *ansibleReader {
	p := d.res.script.Path
	return &ansibleReader{d: d, base: base, dir: path.Dir(p), roleDir: roleDirFor(p, d.res.roleRoot), shell: map[*yaml.Node]bool{}}
}

func (a *ansibleReader) ln(n *yaml.Node) int { return a.base + n.Line - 1 }

// readAnsible reads parsed YAML documents of an Ansible file of the given kind.
func (d *doc) readAnsible(kind string, docs []*yaml.Node, base int) {
	a := newAnsibleReader(d, base)
	for _, root := range docs {
		n := resolve(root)
		switch kind {
		case inventory.ScriptAnsiblePlay:
			for _, play := range items(n) {
				a.play(play)
			}
		case inventory.ScriptAnsibleTasks:
			a.tasks(n, scope{})
		case inventory.ScriptAnsibleVars:
			if strings.HasSuffix(path.Dir(d.res.script.Path), "/meta") || path.Base(path.Dir(d.res.script.Path)) == "meta" {
				for _, dep := range items(mapGet(n, "dependencies")) {
					a.roleRef(dep)
				}
			}
			for _, p := range pairs(n) {
				a.eachVar(p[0].Value, p[1], 0, func(name string, vals []varItem) {
					if d.res.vars == nil {
						d.res.vars = map[string][]varItem{}
					}
					d.res.vars[name] = vals
					a.packageList(name, vals)
				})
			}
		}
		a.scanValues(root)
	}
}

// rePackageVar is a role variable that lists packages to install: mysql_packages,
// __postgresql_packages, redis_package. Roles often install them through set_fact or a
// per-distribution include that no reader follows, so the list itself is the evidence.
var (
	rePackageVar    = regexp.MustCompile(`(?i)(?:^|[_.])packages?$`)
	reNotInstallVar = regexp.MustCompile(`(?i)remove|absent|purge|exclude|uninstall|blacklist|denylist|hold|optional|extra_repo`)
)

func (a *ansibleReader) packageList(name string, vals []varItem) {
	// Only a role's own lists: in group_vars a list is what some task may use, and the
	// lookup from that task finds it.
	if a.roleDir == "" || !rePackageVar.MatchString(name) || reNotInstallVar.MatchString(name) {
		return
	}
	ctx := ctxSystem
	if strings.Contains(strings.ToLower(name), "pip") || strings.Contains(strings.ToLower(name), "python") {
		ctx = ctxLibrary
	}
	for _, v := range vals {
		if v.value != "" && !strings.Contains(v.value, "{{") && !strings.ContainsAny(v.value, " /") {
			a.d.packageFactAt(v.value, ctx, viaRoleVars, a.d.file, v.line, v.excerpt)
		}
	}
}

// varItems reads a variable's literal values: a scalar, a list of scalars, or a list of
// mappings (kept with their scalar fields, for loops over item.name).
func (a *ansibleReader) varItems(v *yaml.Node) []varItem {
	v = resolve(v)
	if v == nil {
		return nil
	}
	switch v.Kind {
	case yaml.ScalarNode:
		return []varItem{{value: v.Value, line: a.ln(v), excerpt: a.d.excerpt(a.ln(v))}}
	case yaml.SequenceNode:
		var out []varItem
		for _, it := range v.Content {
			it = resolve(it)
			switch it.Kind {
			case yaml.ScalarNode:
				out = append(out, varItem{value: it.Value, line: a.ln(it), excerpt: a.d.excerpt(a.ln(it))})
			case yaml.MappingNode:
				f := map[string]string{}
				for _, p := range pairs(it) {
					if s, ok := scalar(p[1]); ok {
						f[p[0].Value] = s
					}
				}
				out = append(out, varItem{line: a.ln(it), excerpt: a.d.excerpt(a.ln(it)), field: f})
			}
		}
		return out
	}
	return nil
}

func (a *ansibleReader) play(p *yaml.Node) {
	p = resolve(p)
	if p == nil || p.Kind != yaml.MappingNode {
		return
	}
	sc := scope{}
	if v := mapGet(p, "vars"); v != nil {
		sc = sc.with(v, a)
	}
	for _, kv := range pairs(p) {
		k, v := kv[0].Value, resolve(kv[1])
		line := a.ln(kv[0])
		switch k {
		case "name":
			if a.d.res.script.Name == "" {
				a.d.res.script.Name, _ = scalar(v)
			}
		case "roles":
			for _, r := range items(v) {
				a.roleRef(r)
			}
		case "tasks", "pre_tasks", "post_tasks", "handlers":
			a.tasks(v, sc)
		case "vars_files":
			for _, f := range items(v) {
				if s, ok := scalar(f); ok {
					a.fileRef(s, "vars_files", inventory.ScriptAnsibleVars, a.ln(f), a.dir+"/"+s, a.dir+"/vars/"+s)
				}
			}
		case "environment":
			a.environment(v)
		case "import_playbook", "include", "ansible.builtin.import_playbook":
			if s, ok := scalar(v); ok {
				a.fileRef(s, "import_playbook", inventory.ScriptAnsiblePlay, line, a.dir+"/"+s)
			}
		case "connection":
			if s, _ := scalar(v); s == "winrm" || s == "psrp" {
				a.d.add(inventory.Fact{Kind: inventory.FactWindows, Via: inventory.ViaAnsibleConnection, Name: s}, line)
			}
		case "become_method":
			if s, _ := scalar(v); s == "runas" {
				a.d.add(inventory.Fact{Kind: inventory.FactWindows, Via: inventory.ViaAnsible, Name: "runas"}, line)
			}
		}
	}
}

// roleRef records a role used by a play, a meta dependency or include_role.
func (a *ansibleReader) roleRef(r *yaml.Node) {
	r = resolve(r)
	if r == nil {
		return
	}
	name, ok := scalar(r)
	if !ok {
		if n := mapGet(r, "role"); n != nil {
			name, _ = scalar(n)
		} else if n := mapGet(r, "name"); n != nil {
			name, _ = scalar(n)
		}
	}
	if name == "" || strings.Contains(name, "{{") {
		return
	}
	a.d.ref(name, "role", refRole, "", a.ln(r))
}

// fileRef records a file a task or play pulls in; alts are the places Ansible would look,
// in its order. A templated name becomes a pattern over the folder.
func (a *ansibleReader) fileRef(target, how, kind string, line int, alts ...string) {
	if target == "" {
		return
	}
	mode := refRelative
	switch {
	case strings.Contains(target, "{{"):
		mode = refGlob
		for i := range alts {
			alts[i] = reJinja.ReplaceAllString(alts[i], "*")
		}
	case a.d.onHost:
		mode, alts = refSuffix, nil
	}
	a.d.res.refs = append(a.d.res.refs, refIntent{
		target: target, how: how, mode: mode, kind: kind, line: line,
		from: a.d.res.script.Path, file: a.d.file, excerpt: a.d.excerpt(line), alts: alts,
	})
}

var (
	reJinja    = regexp.MustCompile(`\{\{.*?\}\}`)
	reItemRef  = regexp.MustCompile(`^\{\{\s*item(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])?\s*\}\}$`)
	reVarRef   = regexp.MustCompile(`^\{\{\s*(\w+(?:\.\w+)*)\s*\}\}$`)
	reStoreRef = regexp.MustCompile(`(?i)(?:lookup|query)\(\s*['"]((?:amazon\.aws\.)?aws_ssm|(?:amazon\.aws\.)?aws_secret|(?:amazon\.aws\.)?secretsmanager_secret|(?:community\.hashi_vault\.)?hashi_vault|(?:community\.hashi_vault\.)?vault_kv2_get)['"]`)
)

// storeRef is reStoreRef's match in s. The expression runs only where a '(' is followed by
// a quote, as it needs: most values have none.
func storeRef(s string) []string {
	for i := strings.IndexByte(s, '('); i >= 0; {
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\f' || s[j] == '\r') {
			j++
		}
		if j < len(s) && (s[j] == '\'' || s[j] == '"') {
			return reStoreRef.FindStringSubmatch(s)
		}
		k := strings.IndexByte(s[j:], '(')
		if k < 0 {
			break
		}
		i = j + k
	}
	return nil
}

// taskKeywords are the keys of a task that are not its module.
var taskKeywords = map[string]bool{
	"name": true, "when": true, "loop": true, "loop_control": true, "register": true, "become": true,
	"become_user": true, "become_method": true, "become_flags": true, "become_exe": true, "tags": true, "notify": true,
	"listen": true, "vars": true, "environment": true, "ignore_errors": true, "ignore_unreachable": true,
	"changed_when": true, "failed_when": true, "until": true, "retries": true, "delay": true,
	"delegate_to": true, "delegate_facts": true, "run_once": true, "no_log": true, "args": true,
	"async": true, "poll": true, "check_mode": true, "diff": true, "any_errors_fatal": true,
	"connection": true, "debugger": true, "throttle": true, "timeout": true, "module_defaults": true,
	"collections": true, "remote_user": true, "port": true, "block": true, "rescue": true, "always": true,
	"local_action": true, "action": true,
}

func (a *ansibleReader) tasks(list *yaml.Node, sc scope) {
	for _, t := range items(list) {
		if a.d.res.stopped() {
			return
		}
		a.task(t, sc)
		sc = a.setFact(t, sc)
	}
}

// setFact is the scope of the tasks after t: a set_fact task defines its variables for
// them. A set_fact under a condition may not run, so its values join those the variable
// had (none known here: the role's defaults, found by the post-pass, stay possible too).
func (a *ansibleReader) setFact(t *yaml.Node, sc scope) scope {
	var args *yaml.Node
	for _, k := range []string{"set_fact", "ansible.builtin.set_fact", "ansible.legacy.set_fact"} {
		if args = mapGet(t, k); args != nil {
			break
		}
	}
	if args == nil || args.Kind != yaml.MappingNode {
		return sc
	}
	out := scope{vars: map[string][]varItem{}, conditional: map[string]bool{}}
	for k, v := range sc.vars {
		out.vars[k] = v
	}
	for k, v := range sc.conditional {
		out.conditional[k] = v
	}
	when := mapGet(t, "when") != nil
	for _, p := range pairs(args) {
		if p[0].Value == "cacheable" {
			continue
		}
		a.eachVar(p[0].Value, p[1], 0, func(name string, vals []varItem) {
			if when {
				out.vars[name] = append(append([]varItem(nil), out.vars[name]...), vals...)
				out.conditional[name] = true
				return
			}
			out.vars[name] = vals
			delete(out.conditional, name)
		})
	}
	return out
}

// arg is one module argument: a node (mapping form) or a string (free form k=v).
type arg struct {
	node *yaml.Node
	s    string
	line int
}

func (a *ansibleReader) task(t *yaml.Node, sc scope) {
	t = resolve(t)
	if t == nil || t.Kind != yaml.MappingNode {
		return
	}
	if v := mapGet(t, "vars"); v != nil {
		sc = sc.with(v, a)
	}
	var module string
	var modKey, modVal, argsNode, loop *yaml.Node
	for _, kv := range pairs(t) {
		k, v := kv[0].Value, kv[1]
		switch {
		case k == "block" || k == "rescue" || k == "always":
			a.tasks(v, sc)
		case k == "loop" || k == "with_items" || k == "with_list" || k == "with_flattened":
			loop = resolve(v)
		case k == "environment":
			a.environment(resolve(v))
		case k == "args":
			argsNode = resolve(v)
		case k == "action":
			// action: module arg=value
			if s, ok := scalar(v); ok {
				name, rest, _ := strings.Cut(strings.TrimSpace(s), " ")
				module, modKey = name, kv[0]
				modVal = &yaml.Node{Kind: yaml.ScalarNode, Value: rest, Line: kv[1].Line}
			} else if m := mapGet(v, "module"); m != nil {
				module, _ = scalar(m)
				modKey, modVal = kv[0], resolve(v)
			}
		case taskKeywords[k] || strings.HasPrefix(k, "with_"):
		case module == "":
			module, modKey, modVal = k, kv[0], resolve(v)
		}
	}
	if module == "" {
		return
	}
	args, free := moduleArgs(shortModule(module), modVal, argsNode, a)
	a.module(shortModule(module), module, a.ln(modKey), args, free, loop, sc)
}

// shortModule turns ansible.builtin.apt, community.general.ufw and ansible.posix.mount
// into their short names.
func shortModule(m string) string {
	if i := strings.LastIndexByte(m, '.'); i >= 0 {
		return m[i+1:]
	}
	return m
}

// moduleArgs reads a module's arguments from its mapping, or from its free-form string
// (k=v pairs; the rest is the free-form text, e.g. a command).
func moduleArgs(m string, v, argsNode *yaml.Node, a *ansibleReader) (argMap, *arg) {
	var args argMap
	var free *arg
	add := func(n *yaml.Node) {
		for _, p := range pairs(n) {
			args.set(p[0].Value, arg{node: resolve(p[1]), line: a.ln(p[1])})
		}
	}
	if v != nil {
		switch v.Kind {
		case yaml.MappingNode:
			add(v)
		case yaml.ScalarNode:
			var rest []string
			taken := false
			for _, tok := range splitKV(v.Value) {
				k, val, ok := strings.Cut(tok, "=")
				if ok && isEnvName(k) && (!commandModules[m] || commandOptions[k]) {
					args.set(k, arg{s: strings.Trim(val, `"'`), line: a.ln(v)})
					taken = true
				} else {
					rest = append(rest, tok)
				}
			}
			free = &arg{node: v, s: v.Value, line: a.ln(v)}
			if taken {
				free.s = strings.Join(rest, " ")
			}
		}
	}
	if argsNode != nil {
		add(argsNode)
	}
	return args, free
}

// argMap is a module's arguments by name: a task has a handful, so a list is quicker to
// build and search than a map.
type argMap []namedArg

type namedArg struct {
	name string
	arg
}

func (m argMap) get(name string) (arg, bool) {
	for _, a := range m {
		if a.name == name {
			return a.arg, true
		}
	}
	return arg{}, false
}

// set gives an argument its value; a later value of the same name replaces the earlier.
func (m *argMap) set(name string, g arg) {
	for i := range *m {
		if (*m)[i].name == name {
			(*m)[i].arg = g
			return
		}
	}
	*m = append(*m, namedArg{name, g})
}

// commandModules take a command as free form; only their own options are k=v in it.
var (
	commandModules = map[string]bool{"shell": true, "command": true, "raw": true, "script": true, "win_shell": true, "win_command": true}
	commandOptions = map[string]bool{"chdir": true, "creates": true, "removes": true, "executable": true, "warn": true, "stdin": true}
)

// splitKV splits Ansible free-form arguments on spaces, keeping quoted strings and
// {{ … }} expressions whole.
func splitKV(s string) []string {
	var out []string
	var cur strings.Builder
	var quote byte
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '{' && i+1 < len(s) && s[i+1] == '{':
			depth++
		case c == '}' && i+1 < len(s) && s[i+1] == '}' && depth > 0:
			depth--
		case (c == ' ' || c == '\t' || c == '\n') && depth == 0:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteByte(c)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func (g arg) str() (string, bool) {
	if g.node != nil && g.node.Kind == yaml.ScalarNode {
		return g.node.Value, true
	}
	if g.node == nil {
		return g.s, true
	}
	return "", false
}

// valueAt is one literal value and where it is written.
type valueAt struct {
	s       string
	file    string
	line    int
	excerpt string
}

// values resolves a module argument to literal values: a list, a comma list, {{ item }}
// over the task's loop, {{ var }} over the variables in scope. A variable defined in another
// file is left to the post-pass; anything else templated is unknown and yields nothing.
func (a *ansibleReader) values(g arg, loop *yaml.Node, sc scope, use string, taskLine int) []valueAt {
	here := func(s string, line int) valueAt {
		return valueAt{s: s, file: a.d.file, line: line, excerpt: a.d.excerpt(line)}
	}
	fromItems := func(vs []varItem, field string) []valueAt {
		var out []valueAt
		for _, v := range vs {
			s := v.value
			if field != "" {
				s = v.field[field]
			}
			if s != "" {
				out = append(out, valueAt{s: s, file: a.d.file, line: v.line, excerpt: v.excerpt})
			}
		}
		return out
	}
	if g.node != nil && g.node.Kind == yaml.SequenceNode {
		var out []valueAt
		for _, it := range g.node.Content {
			if s, ok := scalar(it); ok {
				out = append(out, a.values(arg{node: resolve(it), line: a.ln(it)}, loop, sc, use, taskLine)...)
				_ = s
			}
		}
		return out
	}
	s, ok := g.str()
	if !ok {
		return nil
	}
	s = strings.TrimSpace(s)
	if s == "$item" || s == "${item}" {
		s = "{{ item }}" // Ansible 1.x wrote loop items as $item
	}
	if m := reItemRef.FindStringSubmatch(s); m != nil {
		field := m[1] + m[2]
		if loop == nil {
			return nil
		}
		if loop.Kind == yaml.SequenceNode {
			vs := a.varItems(loop)
			return fromItems(vs, field)
		}
		ls, _ := scalar(loop)
		if vm := reVarRef.FindStringSubmatch(strings.TrimSpace(ls)); vm != nil {
			if vs, ok := sc.vars[vm[1]]; ok {
				out := fromItems(vs, field)
				// Evidence where the values are written, in this file.
				return out
			}
			a.lookup(vm[1], field, use, taskLine)
		}
		return nil
	}
	if vm := reVarRef.FindStringSubmatch(s); vm != nil {
		if vs, ok := sc.vars[vm[1]]; ok {
			if sc.conditional[vm[1]] {
				a.lookup(vm[1], "", use, taskLine)
			}
			return fromItems(vs, "")
		}
		a.lookup(vm[1], "", use, taskLine)
		return nil
	}
	if strings.Contains(s, "{{") || strings.Contains(s, "{%") {
		// "{{ kafka_packages | product([suffix]) | list }}": the variable, filtered.
		if vm := reJinjaName.FindStringSubmatch(s); vm != nil && strings.HasPrefix(s, "{{") && strings.HasSuffix(s, "}}") && vm[1] != "item" && !strings.HasPrefix(vm[1], "item.") {
			if vs, ok := sc.vars[vm[1]]; ok && !sc.conditional[vm[1]] {
				return fromItems(vs, "")
			}
			a.lookup(vm[1], "", use, taskLine)
		}
		// "postgresql-{{ pg_version }}": a package or unit named in part by a variable is
		// still what its literal part says; the vocabulary decides what that is.
		if from, _ := placeholderAt(s); from > 0 && (use == useSystemPkg || use == useLibraryPkg || use == useService) {
			return []valueAt{here(s, g.line)}
		}
		return nil
	}
	var out []valueAt
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, here(part, g.line))
		}
	}
	return out
}

func (a *ansibleReader) lookup(name, field, use string, line int) {
	a.d.res.lookups = append(a.d.res.lookups, varLookup{
		name: name, field: field, use: use, via: a.taskModule, line: line, excerpt: a.d.excerpt(line), from: a.d.res.script.Path, roleDir: a.roleDir,
	})
}

// emit records values by what they are, put there through via (a module).
func (d *doc) emit(use, via string, vs []valueAt) {
	for _, v := range vs {
		switch use {
		case useSystemPkg:
			d.packageFactAt(v.s, ctxSystem, via, v.file, v.line, v.excerpt)
		case useLibraryPkg:
			d.packageFactAt(v.s, ctxLibrary, via, v.file, v.line, v.excerpt)
		case useService:
			u := strings.TrimSuffix(strings.TrimSpace(v.s), ".service")
			if from, _ := placeholderAt(u); u == "" || from == 0 {
				continue
			}
			if strings.HasSuffix(u, ".timer") {
				d.addAt(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaSystemdTimer, Name: u}, v.file, v.line, v.excerpt)
				continue
			}
			d.addAt(inventory.Fact{Kind: inventory.FactService, Name: u, Via: via}, v.file, v.line, v.excerpt)
			d.unitIs(u, via, v.file, v.line, v.excerpt)
		}
	}
}

func (a *ansibleReader) environment(v *yaml.Node) {
	for _, p := range pairs(v) {
		if !systemEnv(p[0].Value) {
			a.d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Name: p[0].Value, Via: inventory.ViaAnsible}, a.ln(p[0]))
		}
	}
}

// viaRoleVars is the mechanism of a package a role's variables list: some task of the role
// installs it.
const viaRoleVars = "role-vars"

// cronSchedule is the schedule of an Ansible cron task as a cron expression ("0 3 * * *",
// "@reboot"), or empty when the task sets none.
func cronSchedule(args argMap) string {
	if s, _ := argStr(args, "special_time"); s != "" {
		return "@" + s
	}
	set := false
	var f [5]string
	for i, k := range []string{"minute", "hour", "day", "month", "weekday"} {
		f[i] = "*"
		if v, _ := argStr(args, k); v != "" {
			f[i], set = v, true
		}
	}
	if !set {
		return ""
	}
	return strings.Join(f[:], " ")
}

func (g arg) first(args argMap, keys ...string) (arg, bool) {
	for _, k := range keys {
		if v, ok := args.get(k); ok {
			return v, true
		}
	}
	return arg{}, false
}

func argStr(args argMap, keys ...string) (string, int) {
	for _, k := range keys {
		if v, ok := args.get(k); ok {
			if s, ok := v.str(); ok {
				return s, v.line
			}
		}
	}
	return "", 0
}

var packageModules = map[string]string{
	"apt": useSystemPkg, "yum": useSystemPkg, "dnf": useSystemPkg, "dnf5": useSystemPkg, "package": useSystemPkg,
	"apk": useSystemPkg, "zypper": useSystemPkg, "pacman": useSystemPkg, "snap": useSystemPkg, "homebrew": useSystemPkg,
	"pkgng": useSystemPkg, "portage": useSystemPkg, "win_chocolatey": useSystemPkg, "chocolatey": useSystemPkg,
	"win_feature": useSystemPkg, "win_optional_feature": useSystemPkg, "win_package": useSystemPkg, "apt_rpm": useSystemPkg,
	"pip": useLibraryPkg, "gem": useLibraryPkg, "npm": useLibraryPkg, "easy_install": useLibraryPkg, "pipx": useLibraryPkg,
}

// module records what one task's module does to the host.
func (a *ansibleReader) module(m, full string, line int, args argMap, free *arg, loop *yaml.Node, sc scope) {
	d := a.d
	a.taskModule = m
	state, _ := argStr(args, "state")
	absent := state == "absent" || state == "removed" || state == "stopped" || state == "unmounted" || state == "disabled"
	if strings.HasPrefix(m, "win_") || strings.HasPrefix(full, "ansible.windows.") || strings.HasPrefix(full, "community.windows.") || strings.HasPrefix(full, "chocolatey.") {
		d.add(inventory.Fact{Kind: inventory.FactWindows, Via: inventory.ViaAnsible, Name: m}, line)
	}
	if use, ok := packageModules[m]; ok {
		if absent {
			return
		}
		if up, _ := argStr(args, "upgrade"); up != "" && up != "no" && up != "false" {
			d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassPackageUpgrade, Via: m}, line)
		}
		g, ok := arg{}.first(args, "name", "pkg", "package", "deb")
		if !ok && free != nil {
			g, ok = *free, true
		}
		if !ok {
			return
		}
		vs := a.values(g, loop, sc, use, line)
		if len(vs) == 1 && vs[0].s == "*" && (state == "latest") {
			d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassPackageUpgrade, Via: m}, line)
			return
		}
		d.emit(use, m, vs)
		return
	}
	switch m {
	case "service", "systemd", "systemd_service", "sysvinit", "win_service", "runit", "openrc":
		enabled := false
		if e, ok := args.get("enabled"); ok {
			enabled = truthy(e.node) || strings.EqualFold(e.s, "yes") || strings.EqualFold(e.s, "true")
		}
		start := state == "started" || state == "restarted" || state == "reloaded"
		if (!enabled && !start) || absent {
			return
		}
		if g, ok := (arg{}).first(args, "name", "service", "unit"); ok {
			d.emit(useService, m, a.values(g, loop, sc, useService, line))
		}
	case "mount":
		if absent || state == "absent_from_fstab" {
			return
		}
		fstype, _ := argStr(args, "fstype")
		src, _ := argStr(args, "src")
		mp, _ := argStr(args, "path", "name")
		opts, _ := argStr(args, "opts")
		if networkFS(fstype) {
			d.addMount(inventory.Fact{Kind: inventory.FactNFSMount, Via: m}, inventory.Mount{Source: src, Target: mp, FSType: strings.ToLower(fstype)}, line)
			break
		}
		d.mountFact(src, mp, fstype, opts, m, line)
	case "filesystem":
		fstype, _ := argStr(args, "fstype", "fs")
		dev, _ := argStr(args, "dev", "device")
		d.add(inventory.Fact{Kind: inventory.FactDataVolume, Via: inventory.ViaAnsible, FactParams: &inventory.FactParams{Command: "mkfs." + fstype, Device: dev}}, line)
	case "lvg", "lvol", "parted", "lvm_pv":
		d.add(inventory.Fact{Kind: inventory.FactDataVolume, Via: inventory.ViaAnsible, FactParams: &inventory.FactParams{Command: m}}, line)
	case "cron":
		if absent {
			return
		}
		name, _ := argStr(args, "name", "job")
		d.add(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCronModule, Name: name, FactParams: &inventory.FactParams{Schedule: cronSchedule(args)}}, line)
	case "win_scheduled_task", "scheduled_task":
		if !absent {
			name, _ := argStr(args, "name")
			d.add(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaScheduledTask, Name: name}, line)
		}
	case "sysctl", "win_regedit":
		if m == "win_regedit" {
			return
		}
		if !absent {
			// name: "{{ item.name }}" over a loop of settings: each setting, where written.
			if g, ok := args.get("name"); ok {
				if vs := a.values(g, loop, sc, "", line); len(vs) > 0 {
					for _, v := range vs {
						d.addAt(sysctlFact(v.s, "", m), v.file, v.line, v.excerpt)
					}
					break
				}
			}
			name, _ := argStr(args, "name")
			value, _ := argStr(args, "value")
			d.add(sysctlFact(name, value, m), line)
		}
	case "modprobe", "kernel_blacklist":
		name, _ := argStr(args, "name")
		d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassModule, Via: inventory.ViaAnsible, Name: name}, line)
	case "pam_limits":
		d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassLimits, Via: inventory.ViaAnsible}, line)
	case "docker_container", "docker_image", "docker_image_pull", "docker_compose", "docker_compose_v2", "docker_stack",
		"docker_swarm", "docker_swarm_service", "docker_login", "docker_network", "docker_volume", "docker_plugin":
		name, _ := argStr(args, "image", "name", "project_src")
		d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaAnsible, FactParams: &inventory.FactParams{Command: m}, Name: name}, line)
		if image, at := argStr(args, "image"); image != "" && m == "docker_container" {
			if at == 0 {
				at = line
			}
			d.containerIs(image, at)
		}
		if env, ok := args.get("env"); ok {
			for _, p := range pairs(env.node) {
				d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Name: p[0].Value, Via: m}, a.ln(p[0]))
			}
		}
		if dr, ok := args.get("device_requests"); ok && dr.node != nil {
			d.add(inventory.Fact{Kind: inventory.FactGPU, Via: inventory.ViaContainer, FactParams: &inventory.FactParams{Command: m}}, line)
		}
	case "user", "win_user", "authorized_key":
		if absent {
			return
		}
		name, _ := argStr(args, "name", "user")
		user := inventory.Fact{Kind: inventory.FactLocalUser, Name: name, Via: m}
		if m == "authorized_key" {
			user.Via = inventory.ViaAuthorizedKeys
		}
		// A system account that cannot log in runs a daemon; it is not a person's login.
		sys, _ := argStr(args, "system")
		shell, _ := argStr(args, "shell")
		if m == "user" && (truthyText(sys) || strings.HasSuffix(shell, "nologin") || strings.HasSuffix(shell, "/false")) {
			break
		}
		d.add(user, line)
		if g, ok := args.get("groups"); ok {
			for _, v := range a.values(g, loop, sc, "", line) {
				if v.s == "docker" {
					d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaDockerGroup, Name: name}, line)
				}
			}
		}
	case "ufw", "firewalld", "iptables", "nftables", "win_firewall_rule", "iptables_state":
		d.add(inventory.Fact{Kind: inventory.FactFirewall, Name: m, Via: inventory.ViaAnsible}, line)
	case "shell", "command", "raw":
		a.command(args, free, line)
	case "win_shell", "win_command", "win_powershell":
		if cmd, cmdLine := a.commandText(args, free); cmd != "" {
			d.readPowerShellLines(cmd, cmdLine)
		}
	case "script":
		s, _ := argStr(args, "cmd")
		if s == "" && free != nil {
			s = free.s
		}
		if f := strings.Fields(s); len(f) > 0 {
			p := f[0]
			a.fileRef(p, "script", inventory.ScriptShell, line, a.filesAlts("files", p)...)
		}
	case "copy", "template", "win_copy", "win_template":
		dest, _ := argStr(args, "dest")
		w := fileWrite{target: dest, line: line}
		if c, ok := args.get("content"); ok && c.node != nil && c.node.Kind == yaml.ScalarNode {
			w.content, w.known = jinjaShell(c.node.Value), true
			w.cline, w.flat = blockText(c.node, a.base)
			a.shell[c.node] = true
		}
		d.write(w)
		if src, _ := argStr(args, "src"); src != "" && !strings.Contains(src, "{{") {
			dir, kind := "files", ""
			if m == "template" || m == "win_template" {
				dir, kind = "templates", inventory.ScriptTemplate
			} else if installTarget(strings.TrimSpace(dest)) {
				kind = inventory.ScriptTemplate // a file with no name to tell: read as what it becomes
			}
			a.fileRef(src, m, kind, line, a.filesAlts(dir, src)...)
			if refs := d.res.refs; len(refs) > 0 && !strings.Contains(dest, "{{") {
				refs[len(refs)-1].dest = strings.TrimSpace(dest)
			}
		}
	case "lineinfile", "blockinfile", "replace", "ini_file", "community.general.ini_file":
		target, _ := argStr(args, "path", "dest", "name")
		w := fileWrite{target: target, line: line}
		for _, k := range []string{"line", "block"} {
			if c, ok := args.get(k); ok && c.node != nil && c.node.Kind == yaml.ScalarNode && !absent {
				w.content, w.known = jinjaShell(c.node.Value), true
				w.cline, w.flat = blockText(c.node, a.base)
			}
		}
		if m == "ini_file" {
			if opt, _ := argStr(args, "option"); opt != "" {
				w.content, w.known, w.cline, w.flat = opt+"=x", true, line, true
			}
		}
		d.write(w)
	case "get_url", "unarchive", "win_get_url", "uri":
		if u, _ := argStr(args, "url", "src"); strings.Contains(u, "://") {
			if f, ok := classifyKeyword(u); ok {
				f.Via = m
				d.add(f, line)
			} else if dest, _ := argStr(args, "dest"); dest != "" && m != "uri" {
				// Fetched to the host: a later task that runs it runs what is in it.
				if strings.HasSuffix(dest, "/") && m != "unarchive" {
					dest += path.Base(cutQuery(u))
				}
				d.fetched = appendFetch(d.fetched, fetchedPath{local: jinjaShell(dest), source: inventory.SourceURL(u), via: m, dir: m == "unarchive"})
			}
		}
	case "aws_s3", "s3_object":
		mode, _ := argStr(args, "mode")
		bucket, _ := argStr(args, "bucket")
		object, _ := argStr(args, "object")
		if dest, _ := argStr(args, "dest"); mode == "get" && bucket != "" && dest != "" {
			d.fetched = appendFetch(d.fetched, fetchedPath{local: jinjaShell(dest), source: "s3://" + bucket + "/" + strings.TrimLeft(object, "/"), via: m})
		}
	case "include_tasks", "import_tasks", "include":
		f, _ := argStr(args, "file", "_raw_params")
		if f == "" && free != nil {
			f = free.s
		}
		alts := []string{a.dir + "/" + f}
		if a.roleDir != "" {
			alts = append(alts, inRole(a.roleDir, "tasks/"+f))
		}
		a.fileRef(f, m, inventory.ScriptAnsibleTasks, line, alts...)
	case "include_role", "import_role":
		name, _ := argStr(args, "name", "role")
		if name == "" || strings.Contains(name, "{{") {
			break
		}
		// tasks_from: install runs tasks/install.yml of the role, not its tasks/main.yml.
		parts := map[string]string{}
		for _, k := range []string{"tasks", "vars", "defaults", "handlers"} {
			if v, _ := argStr(args, k+"_from"); v != "" && !strings.Contains(v, "{{") {
				parts[k] = v
			}
		}
		a.d.ref(name, "role", refRole, "", line)
		if refs := a.d.res.refs; len(parts) > 0 && len(refs) > 0 {
			refs[len(refs)-1].parts = parts
		}
	case "include_vars":
		f, _ := argStr(args, "file", "name", "dir")
		if f == "" && free != nil {
			f = free.s
		}
		alts := a.filesAlts("vars", f)
		if strings.Contains(f, "{{") {
			// "{{ ansible_os_family }}.yml" is a pattern: matched beside the task file it
			// would take the role's task files for vars files.
			alts = alts[:len(alts)-1]
		}
		a.fileRef(f, "include_vars", inventory.ScriptAnsibleVars, line, alts...)
	case "import_playbook":
		f, _ := argStr(args, "_raw_params")
		if f == "" && free != nil {
			f = free.s
		}
		a.fileRef(f, "import_playbook", inventory.ScriptAnsiblePlay, line, a.dir+"/"+f)
	case "nvidia", "nvidia_driver":
		d.add(inventory.Fact{Kind: inventory.FactGPU, Name: m, Via: inventory.ViaAnsible}, line)
	case "ec2", "ec2_instance", "ec2_lc", "ec2_launch_template", "autoscaling_launch_config":
		a.userData(args)
	}
}

// userData reads the user data an Ansible task gives the instances it launches, as the
// instance would run it. Jinja in it is rendered away for the shell; cloud-config holding
// Jinja is left unread rather than reported broken.
func (a *ansibleReader) userData(args argMap) {
	g, ok := args.get("user_data")
	if !ok || g.node == nil || g.node.Kind != yaml.ScalarNode {
		return
	}
	a.shell[g.node] = true
	text := g.node.Value
	base, flat := blockText(g.node, a.base)
	kind := sniff(text)
	switch {
	case kind == inventory.ScriptShell:
		a.d.snippet(jinjaShell(text), base, flat, "user data")
	case kind == inventory.ScriptPowerShell:
		a.d.add(inventory.Fact{Kind: inventory.FactWindows, Via: inventory.ViaUserData, Name: "powershell"}, base)
		a.d.readPowerShellLines(text, base)
	case kind == inventory.ScriptCloudConfig && !flat && !strings.Contains(text, "{{") && !strings.Contains(text, "{%"):
		if err := a.d.readCloudConfig(text, base); err != nil {
			a.d.gap(gapKind(err), errLine(err, base), "user data is not valid cloud-config: "+errMsg(err))
		}
	}
}

// filesAlts are the places Ansible looks for a file a role or playbook names: the role's
// own folder of that kind, then beside the playbook.
func (a *ansibleReader) filesAlts(kindDir, p string) []string {
	var alts []string
	if a.roleDir != "" {
		alts = append(alts, inRole(a.roleDir, kindDir+"/"+p))
	}
	return append(alts, a.dir+"/"+kindDir+"/"+p, a.dir+"/"+p)
}

func (a *ansibleReader) commandText(args argMap, free *arg) (string, int) {
	if c, ok := args.get("cmd"); ok && c.node != nil && c.node.Kind == yaml.ScalarNode {
		line, _ := blockText(c.node, a.base)
		a.shell[c.node] = true
		return c.node.Value, line
	}
	if c, ok := args.get("argv"); ok {
		var parts []string
		for _, it := range items(c.node) {
			if s, ok := scalar(it); ok {
				parts = append(parts, shellQuote(s))
			}
		}
		return strings.Join(parts, " "), c.line
	}
	if free != nil {
		line, _ := blockText(free.node, a.base)
		a.shell[free.node] = true
		return free.s, line
	}
	return "", 0
}

// reJinjaAny matches Jinja in a command: expressions, statements and comments.
var reJinjaAny = regexp.MustCompile(`(?s)\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}`)

// reJinjaName is the variable an expression starts with: "app_dir" in
// "{{ app_dir | default('/srv') }}", "item.name" in "{{ item.name }}".
var reJinjaName = regexp.MustCompile(`^\{\{-?\s*([A-Za-z_][\w.]*)`)

// jinjaShell rewrites the Jinja in a command into text the shell reader parses, keeping
// every line where it was: an expression becomes {{name}} (one shell word that still reads
// as templated), a statement or comment disappears. Ansible renders them before the shell
// runs; left as written, "{{ x | default('y') }}" is a shell syntax error and
// "{{ efs_id }}:/" three words.
func jinjaShell(text string) string {
	return jinjaReplaced(text, func(name string) string { return "{{" + name + "}}" })
}

// jinjaReplaced is text with each Jinja expression replaced by what placeholder makes of
// its variable's name, and each statement or comment by nothing, every line kept.
func jinjaReplaced(text string, placeholder func(name string) string) string {
	if !strings.Contains(text, "{{") && !strings.Contains(text, "{%") && !strings.Contains(text, "{#") {
		return text
	}
	return reJinjaAny.ReplaceAllStringFunc(text, func(m string) string {
		keep := strings.Repeat("\n", strings.Count(m, "\n"))
		if !strings.HasPrefix(m, "{{") {
			return keep
		}
		name := "expr"
		if n := reJinjaName.FindStringSubmatch(m); n != nil {
			name = n[1]
		}
		return placeholder(name) + keep
	})
}

// command reads a shell/command task's command line with the shell reader.
func (a *ansibleReader) command(args argMap, free *arg, line int) {
	var n *yaml.Node
	text := ""
	if c, ok := args.get("cmd"); ok && c.node != nil && c.node.Kind == yaml.ScalarNode {
		n, text = c.node, c.node.Value
	} else if free != nil && free.node != nil {
		n, text = free.node, free.s
		if free.s != free.node.Value {
			// k=v options (chdir=, creates=) were taken out: the rest is one line.
			a.shell[n] = true
			a.d.snippet(jinjaShell(text), a.ln(n), true, "command")
			return
		}
	} else if c, ok := args.get("argv"); ok {
		cmd, l := a.commandText(argMap{{"argv", c}}, nil)
		a.d.snippet(jinjaShell(cmd), l, true, "command")
		return
	}
	if n == nil || strings.TrimSpace(text) == "" {
		return
	}
	a.shell[n] = true
	base, flat := blockText(n, a.base)
	if n.Style&yaml.FoldedStyle != 0 || n.Style&yaml.LiteralStyle == 0 && strings.Contains(text, "\n") {
		flat = true
	}
	a.d.snippet(jinjaShell(text), base, flat, "command")
}

// scanValues looks at every value of the document for what a value alone can show:
// addresses, lookups into SSM or Secrets Manager, a WinRM connection.
func (a *ansibleReader) scanValues(root *yaml.Node) {
	walkScalars(root, "", func(key string, n *yaml.Node) {
		if a.shell[n] {
			return
		}
		line := a.ln(n)
		if m := storeRef(n.Value); m != nil {
			a.d.add(inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaAnsibleLookup, Name: shortModule(m[1])}, line)
		}
		switch key {
		case "name", "msg", "debug", "fail_msg", "success_msg", "description", "that":
			return
		case "ansible_connection":
			if n.Value == "winrm" || n.Value == "psrp" {
				a.d.add(inventory.Fact{Kind: inventory.FactWindows, Via: inventory.ViaAnsibleConnection, Name: n.Value}, line)
			}
		}
		base, flat := blockText(n, a.base)
		a.d.scanIPs(n.Value, base, flat)
	})
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"$`\\|&;<>()*?[]#~=%") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// networkFS reports a file system type served over the network that the shell's mount
// reading does not name itself: GlusterFS, CephFS, Lustre, SMB 2 and 3.
func networkFS(fstype string) bool {
	switch strings.ToLower(strings.TrimSpace(fstype)) {
	case "glusterfs", "fuse.glusterfs", "ceph", "cephfs", "fuse.ceph", "lustre", "smb", "smb2", "smb3", "nfs4", "nfs", "efs", "cifs":
		return true
	}
	return false
}

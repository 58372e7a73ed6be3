package scripts

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"whyk8s/inventory"
)

// The post-pass, once every file is read: files named by another script that the scan
// skipped are read as what they were named as; references are resolved to script paths;
// Ansible variables defined in role defaults are applied to the tasks that use them; each
// Packer manifest is tied to the template that wrote it.

func (s *scanner) paths() []string {
	ps := make([]string, 0, len(s.results))
	for p := range s.results {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

func (s *scanner) resolve(ctx context.Context) error {
	for round := 0; round < 8; round++ {
		var again []job
		for _, p := range s.paths() {
			for _, r := range s.results[p].refs {
				if r.kind == "" {
					continue
				}
				for _, c := range s.candidates(r) {
					if j, ok := s.skipped[c]; ok {
						j.force = r.kind
						again = append(again, j)
						delete(s.skipped, c)
					}
				}
			}
		}
		if len(again) == 0 {
			break
		}
		for _, j := range again {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("scan scripts: %w", err)
			}
			o := s.process(ctx, j)
			s.stats.FilesSkipped--
			s.stats.FilesSeen--
			s.collect(o)
		}
	}
	all := s.paths()
	s.allIx = tailIndexOf(all)
	for _, p := range all {
		s.roleSearch = append(s.roleSearch, s.results[p].roleSearch...)
	}
	if err := s.installed(ctx, all); err != nil {
		return err
	}
	skipped := newTailIndex(s.skipped)
	for _, p := range all {
		res := s.results[p]
		for _, r := range res.refs {
			if r.lang != "" {
				if gap, ok := s.unreadLanguage(res, r, skipped); ok {
					s.coverage = append(s.coverage, gap)
				}
				continue
			}
			targets, why := s.targets(r, all)
			if len(targets) == 0 && r.fetched != "" {
				// Code fetched at boot and run, that no folder read holds: the host runs
				// what is in it, and only the place it came from is known.
				s.coverage = append(s.coverage, fetchedNotRead(res, r))
				continue
			}
			if len(targets) == 0 {
				if why != "" {
					s.coverage = append(s.coverage, inventory.CoverageGap{Path: r.file, Line: r.line, Kind: inventory.GapNotFound, Message: why})
				}
				if r.mode == refRole {
					// A role not read still says by its name what it installs.
					if f, ok := roleFact(r.target); ok {
						newDoc(res, p, "").addAt(f, r.file, r.line, r.excerpt)
					}
				}
				if r.class != "" {
					if f, ok := puppetClassFact(r.class); ok {
						newDoc(res, p, "").addAt(f, r.file, r.line, r.excerpt)
					}
				}
				continue
			}
			for _, t := range targets {
				if t == res.script.Path {
					continue
				}
				res.script.References = append(res.script.References, inventory.Reference{
					Path: t, How: r.how, Evidence: inventory.Evidence{File: r.file, Line: r.line, Excerpt: r.excerpt},
				})
			}
		}
		res.script.References = dedupeRefs(res.script.References)
	}
	s.applyLookups(all)
	s.tieManifests(all)
	// An ami_name built from variables also gets its resolved form, for linking by name.
	for _, p := range all {
		sc := &s.results[p].script
		for _, pat := range sc.AMINamePatterns {
			if r := s.substitute(pat, p); r != pat && !contains(sc.AMINamePatterns, r) {
				sc.AMINamePatterns = append(sc.AMINamePatterns, r)
			}
		}
	}
	return nil
}

// lastParts is the last n elements of a slash-separated path.
func lastParts(p string, n int) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) > n {
		parts = parts[len(parts)-n:]
	}
	return strings.Join(parts, "/")
}

// unreadLanguage is the gap for a script the host runs in a language no reader reads: in
// the folders, it is there and not read; fetched at boot and not there, code fetched (a
// fact and a gap); named relative to its revision (a CodeDeploy hook) and not there, not
// found. A path on the host the folders do not hold (python3 /usr/share/x/y.py) may come
// with a package: no gap.
func (s *scanner) unreadLanguage(res *fileResult, r refIntent, skipped tailIndex) (inventory.CoverageGap, bool) {
	found := ""
	for _, c := range s.candidates(r) {
		_, isSkipped := s.skipped[c]
		if _, read := s.results[c]; isSkipped || read {
			found = c
			break
		}
	}
	if t := s.substitute(r.target, r.from); found == "" && r.mode == refSuffix && strings.HasPrefix(t, "/") && !strings.Contains(t, "${") {
		// A path on the host: the file in the folders that ends so. A bare name (python3
		// setup.py, in a source tree the script unpacked) is not looked for elsewhere.
		found = skipped.match(t)
	}
	switch {
	case found != "":
		return inventory.CoverageGap{Path: r.file, Line: r.line, Kind: inventory.GapNotRead,
			Message: fmt.Sprintf("%s runs %q, which is %s: whyk8s does not read it, so what it does is not known", r.how, found, article(r.lang))}, true
	case r.fetched != "":
		return fetchedNotRead(res, r), true
	case r.mode == refSuffix:
		return inventory.CoverageGap{}, false
	}
	return inventory.CoverageGap{Path: r.file, Line: r.line, Kind: inventory.GapNotFound,
		Message: fmt.Sprintf("%s names %q, which is not under the scanned folders: not read", r.how, r.target)}, true
}

// tailIndex finds a file by the end of its path, as suffixMatch does, in time that does not
// grow with the number of files: a script that runs 40,000 Python files by their paths on
// the host, in a tree of thousands, is resolved in well under a second rather than minutes.
// Each file is kept under every tail of its path; a tail two files share is ambiguous ("").
type tailIndex map[string]string

func newTailIndex[V any](files map[string]V) tailIndex {
	ix := tailIndex{}
	for p := range files {
		for tail := p; ; {
			if q, seen := ix[tail]; seen && q != p {
				ix[tail] = ""
			} else {
				ix[tail] = p
			}
			i := strings.IndexByte(tail, '/')
			if i < 0 {
				break
			}
			tail = tail[i+1:]
		}
	}
	return ix
}

// tailIndexOf indexes a list of paths.
func tailIndexOf(paths []string) tailIndex {
	set := make(map[string]bool, len(paths))
	for _, p := range paths {
		set[p] = true
	}
	return newTailIndex(set)
}

// match is the one file ending with the longest tail of p that any file ends with, or ""
// when two do.
func (ix tailIndex) match(p string) string {
	parts := strings.Split(strings.Trim(path.Clean(p), "/"), "/")
	for i := range parts {
		tail := strings.Join(parts[i:], "/")
		if tail == "." || tail == "" {
			continue
		}
		if q, ok := ix[tail]; ok {
			return q
		}
	}
	return ""
}

// article puts "a" before a language's name: Python is "a Python script", a batch file
// stays as it is.
func article(lang string) string {
	if strings.HasPrefix(lang, "a ") {
		return lang
	}
	return "a " + lang + " script"
}

// installTargets are the places on the host whose files say something once read as what
// they are there: mounts, kernel settings, schedules, units.
func installTarget(dest string) bool {
	switch {
	case dest == "/etc/fstab", dest == "/etc/sysctl.conf", strings.HasPrefix(dest, "/etc/sysctl.d/"),
		dest == "/etc/modules", strings.HasPrefix(dest, "/etc/modules-load.d/"), strings.HasPrefix(dest, "/etc/modprobe.d/"),
		dest == "/etc/security/limits.conf", strings.HasPrefix(dest, "/etc/security/limits.d/"),
		dest == "/etc/crontab", strings.HasPrefix(dest, "/etc/cron."),
		isUnitPath(dest):
		return true
	}
	return false
}

// installed reads again, as the file it becomes, each template or file a playbook installs
// where its place says how to read it: template: src=mounts.j2 dest=/etc/fstab puts NFS
// mounts on the host that the template alone does not name.
func (s *scanner) installed(ctx context.Context, all []string) error {
	dests := map[string]string{}
	for _, p := range all {
		for _, r := range s.results[p].refs {
			if r.dest == "" || !installTarget(r.dest) {
				continue
			}
			targets, _ := s.targets(r, all)
			for _, t := range targets {
				if _, ok := dests[t]; !ok && installedAs(t) == "" {
					dests[t] = r.dest
				}
			}
		}
	}
	for _, t := range sortedKeys(dests) {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("scan scripts: %w", err)
		}
		j, ok := s.jobs[t]
		if !ok {
			continue
		}
		j.installAs = dests[t]
		if o := s.process(ctx, j); o.res != nil {
			s.results[t] = o.res
		}
	}
	return nil
}

func dedupeRefs(refs []inventory.Reference) []inventory.Reference {
	seen := map[string]bool{}
	out := refs[:0]
	for _, r := range refs {
		k := r.Path + "\x00" + r.How
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, r)
	}
	return out
}

var reTplVar = regexp.MustCompile("\\$\\{\\s*(?:var\\.([\\w-]+)|local\\.([\\w-]+)|(path\\.root|path\\.cwd))\\s*\\}|\\{\\{\\s*user\\s+`([\\w-]+)`\\s*\\}\\}|\\{\\{\\s*(template_dir|pwd)\\s*\\}\\}")

// substitute replaces Packer variables in a path with the defaults the template's folder
// defines, and path.root/template_dir with the template's folder.
func (s *scanner) substitute(t, from string) string {
	if !strings.Contains(t, "${") && !strings.Contains(t, "{{") {
		return t
	}
	dir := path.Dir(from)
	return reTplVar.ReplaceAllStringFunc(t, func(m string) string {
		sm := reTplVar.FindStringSubmatch(m)
		switch {
		case sm[3] != "" || sm[5] != "":
			return "."
		case sm[1] != "" || sm[4] != "":
			if v, ok := s.dirVar(dir, sm[1]+sm[4]); ok {
				return v
			}
		case sm[2] != "":
			if v, ok := s.dirVar(dir, "local."+sm[2]); ok {
				return v
			}
		}
		return m
	})
}

func (s *scanner) dirVar(dir, name string) (string, bool) {
	for _, p := range s.paths() {
		if path.Dir(p) != dir {
			continue
		}
		if vs, ok := s.results[p].vars[name]; ok && len(vs) == 1 && (!strings.Contains(vs[0].value, "${") || onlyDynamic(vs[0].value)) {
			return vs[0].value, true
		}
	}
	return "", false
}

// onlyDynamic reports a value whose every interpolation is new at each build (a local
// stamp = formatdate("YYYYMMDD", timestamp())): put in a name, it stays a wildcard.
func onlyDynamic(v string) bool {
	ms := reTemplated.FindAllString(v, -1)
	for _, m := range ms {
		if !reDynamic.MatchString(m) {
			return false
		}
	}
	return len(ms) > 0
}

func (s *scanner) rootPrefix(p string) string {
	if !s.multi {
		return ""
	}
	return strings.SplitN(p, "/", 2)[0]
}

func joinClean(dir, p string) (string, bool) {
	var j string
	if strings.HasPrefix(p, "/") {
		return "", false
	}
	j = path.Clean(path.Join(dir, p))
	if j == ".." || strings.HasPrefix(j, "../") || j == "." {
		return j, false
	}
	return j, true
}

// candidates are the paths a reference may name, in the order they are tried.
func (s *scanner) candidates(r refIntent) []string {
	t := s.substitute(r.target, r.from)
	var out []string
	add := func(dir, p string) {
		if j, ok := joinClean(dir, p); ok {
			out = append(out, j)
		}
	}
	switch r.mode {
	case refRelative, refSuffix:
		if len(r.alts) > 0 {
			for _, a := range r.alts {
				add("", s.substitute(a, r.from))
			}
			break
		}
		// Packer resolves paths from the folder it runs in, usually the repository's top,
		// which may be any folder above the template: nearest first.
		for i, target := range append([]string{r.target}, r.also...) {
			if i > 0 {
				t = s.substitute(target, r.from)
			}
			for dir := path.Dir(r.from); ; dir = path.Dir(dir) {
				add(dir, t)
				if dir == "." || dir == "/" || dir == s.rootPrefix(r.from) {
					break
				}
			}
			add(s.rootPrefix(r.from), t)
		}
	}
	return out
}

// targets resolves a reference to script paths; why explains a reference that resolves to
// nothing and should be reported.
func (s *scanner) targets(r refIntent, all []string) ([]string, string) {
	t := s.substitute(r.target, r.from)
	notRead := func() string {
		switch {
		case r.kind == "" || r.quiet:
			return "" // a copied file or folder need not be a script; a guess need not hold
		case r.instance != "":
			return fmt.Sprintf("%s names %q, uploaded from %q, which is not under the scanned folders: not read", r.how, r.instance, r.target)
		}
		named := fmt.Sprintf("%q", r.target)
		for _, a := range r.also {
			named += fmt.Sprintf(" (or %q)", a) // the other forms it may take: roles/edge.rb
		}
		return fmt.Sprintf("%s names %s, which is not under the scanned folders: not read", r.how, named)
	}
	for _, c := range s.candidates(r) {
		if _, ok := s.skipped[c]; ok && r.kind == "" {
			return nil, "" // there, and not a script
		}
	}
	if r.mode == refSuffix && strings.Contains(t, "${") {
		// A script sourcing "${CFGDIR}/env.sh" names a path on the instance: followed when
		// the repository holds a file ending so, never a gap when it does not.
		tail := t[strings.LastIndexByte(t, '}')+1:]
		if strings.HasPrefix(tail, "/") && !strings.ContainsAny(tail, "${") {
			if m := s.suffixMatch(tail, all); m != "" {
				return []string{m}, ""
			}
		}
		return nil, ""
	}
	if strings.Contains(t, "${") || (strings.Contains(t, "{{") && r.mode != refGlob) {
		if r.instance != "" {
			// Uploaded from a folder named by a variable: the path on the instance may
			// still end like a file of the repository.
			if m := s.suffixMatch(r.instance, all); m != "" {
				return []string{m}, ""
			}
			if r.quiet {
				return nil, ""
			}
		}
		return nil, fmt.Sprintf("%s names %q, a path built from a variable that is not defined beside it: not followed", r.how, r.target)
	}
	switch r.mode {
	case refRelative:
		for _, c := range s.candidates(r) {
			if _, ok := s.results[c]; ok {
				return []string{c}, ""
			}
			// A folder (a file provisioner uploading ../ansible) is copied, not run:
			// it is no reference, and no gap either.
			if len(prefixed(all, c+"/")) > 0 {
				return nil, ""
			}
		}
		for _, p := range []string{t, r.instance} {
			// A path on the instance: the file in the repository that ends so.
			if strings.HasPrefix(p, "/") || p != "" && p == r.instance {
				if m := s.suffixMatch(p, all); m != "" {
					return []string{m}, ""
				}
			}
		}
		return nil, notRead()
	case refSuffix:
		for _, c := range s.candidates(r) {
			if _, ok := s.results[c]; ok {
				return []string{c}, ""
			}
		}
		if r.wanted {
			// The whole of it, or nothing: payments/recipes/default.rb is not another
			// cookbook's recipes/default.rb. Its other forms (app/init.sls for app.sls)
			// after it.
			for _, want := range append([]string{t}, r.also...) {
				// The one script whose path ends with all of it ("" when two do).
				if q := s.allIx[path.Clean(want)]; q != "" {
					return []string{q}, ""
				}
			}
			// A path on the host (/etc/puppet/manifests/site.pp): the file of the folders
			// that ends so, by its name and its folder's at least.
			if strings.HasPrefix(t, "/") {
				if m := s.suffixMatch(t, all); m != "" && strings.HasSuffix("/"+m, "/"+lastParts(t, 2)) {
					return []string{m}, ""
				}
			}
			return nil, notRead()
		}
		if m := s.suffixMatch(t, all); m != "" {
			return []string{m}, ""
		}
		return nil, "" // a path on the instance need not be in the repository
	case refDir:
		if j, ok := joinClean(path.Dir(r.from), t); ok {
			if under := prefixed(all, j+"/"); len(under) > 0 {
				return under, ""
			}
		}
		return nil, notRead()
	case refGlob:
		var out []string
		for _, a := range r.alts {
			for _, p := range all {
				if ok, _ := path.Match(path.Clean(a), p); ok {
					out = append(out, p)
				}
			}
		}
		return out, ""
	case refRole:
		if dir := s.roleDir(r.target, r.from, all); dir != "" {
			return roleFiles(prefixed(all, dir), dir, r.parts), ""
		}
		return nil, fmt.Sprintf("role %q is not under the scanned folders (installed from Galaxy?): its tasks were not read", r.target)
	}
	return nil, ""
}

// prefixed returns the sorted paths that start with prefix.
func prefixed(all []string, prefix string) []string {
	i := sort.SearchStrings(all, prefix)
	var out []string
	for ; i < len(all) && strings.HasPrefix(all[i], prefix); i++ {
		out = append(out, all[i])
	}
	return out
}

// suffixMatch is suffixMatch over the scripts read, through their index once they are all
// read: one look-up per tail rather than a pass over every path.
func (s *scanner) suffixMatch(p string, all []string) string {
	if s.allIx != nil {
		return s.allIx.match(p)
	}
	return suffixMatch(p, all)
}

// roleFiles are the files of a role an include_role runs: with tasks_from (vars_from…), the
// named file of that sub-folder in place of the others; the files it includes in turn are
// its own references.
func roleFiles(files []string, dir string, parts map[string]string) []string {
	if len(parts) == 0 {
		return files
	}
	var out []string
	for _, f := range files {
		sub, file, ok := strings.Cut(strings.TrimPrefix(f, dir), "/")
		if want, named := parts[sub]; ok && named {
			if file != want && file != want+".yml" && file != want+".yaml" && file != want+".json" {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// roleSearch is where Ansible looks for roles as one file sets it: for the files under
// scope, each of dirs, relative to base. An ansible.cfg's roles_path applies under its own
// folder; ANSIBLE_ROLES_PATH given by a Packer provisioner to whatever it runs.
type roleSearch struct {
	scope string   // the folder whose playbooks it applies to, in Path form; "" for any
	dirs  []string // as written
	base  string   // the folder dirs are relative to, in Path form
	from  string   // the file that sets it
}

// rolesIn finds a role in the folders the search paths that apply to from name, nearest
// scope first. A folder on the instance (/etc/ansible/roles, ~/.ansible/roles) is never in
// the repository.
func (s *scanner) rolesIn(name, from string, all []string) string {
	var apply []roleSearch
	for _, rs := range s.roleSearch {
		if rs.scope == "" || rs.scope == "." || strings.HasPrefix(from, rs.scope+"/") {
			apply = append(apply, rs)
		}
	}
	sort.SliceStable(apply, func(i, j int) bool { return len(apply[i].scope) > len(apply[j].scope) })
	for _, rs := range apply {
		for _, d := range rs.dirs {
			d = strings.TrimSpace(d)
			if d == "" || strings.HasPrefix(d, "/") || strings.HasPrefix(d, "~") || strings.ContainsAny(d, "${") {
				continue
			}
			for b := rs.base; ; b = path.Dir(b) {
				if j, ok := joinClean(b, path.Join(d, name)); ok && len(prefixed(all, j+"/")) > 0 {
					return j + "/"
				}
				if b == "." || b == "/" || b == "" || b == s.rootPrefix(from) {
					break
				}
			}
		}
	}
	return ""
}

// roleDir finds the folder of a role named from a script: beside the playbook in roles/,
// in a roles/ folder higher up, a sibling role, or anywhere in the scan, nearest first.
func (s *scanner) roleDir(name, from string, all []string) string {
	if strings.Contains(name, "/") {
		if j, ok := joinClean(path.Dir(from), name); ok && len(prefixed(all, j+"/")) > 0 {
			return j + "/"
		}
	}
	base := name
	if i := strings.LastIndexByte(name, '.'); i >= 0 && strings.Count(name, ".") == 2 {
		base = name[i+1:] // namespace.collection.role
		// A collection kept in the tree: ansible_collections/<namespace>/<collection>/roles/<role>.
		ns, coll, _ := strings.Cut(name[:i], ".")
		for _, p := range all {
			if rd := roleDirOf(p); rd != "" && strings.HasSuffix(strings.TrimSuffix(rd, "/"), "/"+ns+"/"+coll+"/roles/"+base) {
				return rd
			}
		}
	}
	// Beside the playbook, then the roles paths an ansible.cfg or the provisioner sets,
	// then higher up and anywhere.
	if c := path.Join(path.Dir(from), "roles", base); len(prefixed(all, c+"/")) > 0 && c != strings.TrimSuffix(roleDirOf(from), "/") {
		return c + "/"
	}
	if dir := s.rolesIn(base, from, all); dir != "" {
		return dir
	}
	for dir := path.Dir(from); ; dir = path.Dir(dir) {
		for _, c := range []string{path.Join(dir, "roles", base), path.Join(dir, base)} {
			if c != "" && strings.Contains("/"+c+"/", "/roles/") && len(prefixed(all, c+"/")) > 0 {
				if c == strings.TrimSuffix(roleDirOf(from), "/") {
					continue
				}
				return c + "/"
			}
		}
		if dir == "." || dir == "/" || dir == "" {
			break
		}
	}
	// Anywhere: the roles/<name>/ folder sharing most of the script's path.
	best, bestScore := "", -1
	for _, p := range all {
		rd := roleDirOf(p)
		if rd == "" || path.Base(strings.TrimSuffix(rd, "/")) != base {
			continue
		}
		score := commonPrefix(rd, from)
		if score > bestScore || score == bestScore && rd < best {
			best, bestScore = rd, score
		}
	}
	return best
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// applyLookups resolves Ansible variables a task uses but another file defines: the role's
// defaults and vars, then group_vars. The values get their evidence where they are written.
func (s *scanner) applyLookups(all []string) {
	for _, p := range all {
		res := s.results[p]
		if len(res.lookups) == 0 {
			continue
		}
		d := newDoc(res, p, "")
		for _, l := range res.lookups {
			var sources []string
			if l.roleDir != "" {
				sources = append(sources, prefixed(all, inRole(l.roleDir, "vars/"))...)
				sources = append(sources, prefixed(all, inRole(l.roleDir, "defaults/"))...)
			}
			for _, q := range all {
				if strings.Contains("/"+q, "/group_vars/") {
					sources = append(sources, q)
				}
			}
			// A role's defaults often only point at its vars: postgresql_packages:
			// "{{ __postgresql_packages }}". Follow such a chain a few steps.
			defined := false // somewhere in the scan, whatever its value
			var find func(name, field string, depth int) []valueAt
			find = func(name, field string, depth int) []valueAt {
				for _, src := range sources {
					vs, ok := s.results[src].vars[name]
					if !ok {
						continue
					}
					defined = true
					var vals []valueAt
					for _, v := range vs {
						val := v.value
						if field != "" {
							val = v.field[field]
						}
						if m := reVarRef.FindStringSubmatch(val); m != nil && field == "" && depth < 4 {
							vals = append(vals, find(m[1], "", depth+1)...)
							continue
						}
						if val != "" && !strings.Contains(val, "{{") {
							vals = append(vals, valueAt{s: val, file: src, line: v.line, excerpt: v.excerpt})
						}
					}
					return vals
				}
				return nil
			}
			vals := find(l.name, l.field, 0)
			if !defined && l.field == "" {
				d.namedAfter(l)
			}
			d.emit(l.use, l.via, vals)
		}
	}
}

// Words a role's variables end with when they hold what a task installs or starts:
// elasticsearch_package, __postgresql_packages, kafka_broker_service_name.
var (
	packageVarWords = map[string]bool{"package": true, "packages": true, "pkg": true, "pkgs": true, "rpm": true, "rpms": true, "deb": true, "debs": true}
	serviceVarWords = map[string]bool{"service": true, "services": true, "daemon": true, "unit": true, "svc": true}
)

// namedAfter records what a variable installs or starts when its value is nowhere in the
// scan (the role's defaults were not given, or come from inventory) but its name says what
// it holds, as roles name them: {{ elasticsearch_package }} installs Elasticsearch,
// {{ kafka_broker_packages | … }} Kafka. Only a name the vocabulary knows as something that
// matters (a database, a web server, Docker…) is recorded, at the task, whose excerpt shows
// the variable; anything else stays unknown.
func (d *doc) namedAfter(l varLookup) {
	var kindWords map[string]bool
	ctx := ctxSystem
	switch l.use {
	case useSystemPkg:
		kindWords = packageVarWords
	case useService:
		kindWords, ctx = serviceVarWords, ctxService
	default:
		return
	}
	words := strings.Split(strings.ToLower(strings.Trim(l.name, "_")), "_")
	if i := strings.LastIndexByte(l.name, '.'); i >= 0 {
		words = strings.Split(strings.ToLower(strings.Trim(l.name[i+1:], "_")), "_")
	}
	// The name must end with such a word (then perhaps "name" or "list").
	for len(words) > 1 && (words[len(words)-1] == "name" || words[len(words)-1] == "names" || words[len(words)-1] == "list") {
		words = words[:len(words)-1]
	}
	if len(words) < 2 || !kindWords[words[len(words)-1]] {
		return
	}
	words = words[:len(words)-1]
	// The longest leading run of words the vocabulary knows: kafka_broker is kafka.
	for n := len(words); n > 0; n-- {
		for _, sep := range []string{"-", "_"} {
			f, ok := classifyName(strings.Join(words[:n], sep), ctx)
			if !ok || f.Kind == 0 || f.Kind == inventory.FactPackage {
				continue
			}
			f.Via = l.via
			d.addAt(f, l.from, l.line, l.excerpt)
			if l.use == useService && f.Kind != inventory.FactService {
				d.addAt(inventory.Fact{Kind: inventory.FactService, Name: f.Name, Via: l.via}, l.from, l.line, l.excerpt)
			}
			return
		}
	}
}

// tieManifests names, on each manifest artifact, the Packer template that built it: the
// template whose manifest post-processor writes that file, else the one in the same folder
// with the same build name, else the only template in that folder.
func (s *scanner) tieManifests(all []string) {
	for _, p := range all {
		m := s.results[p]
		if m.script.Kind != inventory.ScriptPackerManifest {
			continue
		}
		dir := path.Dir(p)
		var byOutput, byName, inDir []string
		for _, q := range all {
			t := s.results[q]
			if t.script.Kind != inventory.ScriptPackerHCL && t.script.Kind != inventory.ScriptPackerJSON {
				continue
			}
			for _, out := range t.manifestOutputs {
				if j, ok := joinClean(path.Dir(q), s.substitute(out, q)); ok && j == p {
					byOutput = append(byOutput, q)
				}
			}
			if path.Dir(q) == dir {
				inDir = append(inDir, q)
				for _, a := range m.buildNames {
					if contains(t.buildNames, a) {
						byName = append(byName, q)
						break
					}
				}
			}
		}
		tmpl := ""
		switch {
		case len(byOutput) == 1:
			tmpl = byOutput[0]
		case len(byName) == 1:
			tmpl = byName[0]
		case len(inDir) == 1:
			tmpl = inDir[0]
		}
		if tmpl == "" {
			continue
		}
		for i := range m.script.Artifacts {
			m.script.Artifacts[i].Template = tmpl
		}
		m.script.References = append(m.script.References, inventory.Reference{Path: tmpl, How: "manifest-of", Evidence: inventory.Evidence{File: p}})
	}
}

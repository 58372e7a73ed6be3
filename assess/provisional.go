package assess

import (
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"whyk8s/inventory"
)

// Before the credentials arrive, consultants have the client's repositories: Packer
// templates, playbooks, user data. An estate with no Auto Scaling group is assessed from
// that code alone: one provisional workload per image build (a Packer template and what its
// provisioners run), per playbook (or role) and per boot script tied to no group, named by
// what builds it and marked as from code only. What only AWS can say — sizes, load
// balancers, scaling, tenancy — is unknown, and the confidence says so.

// ProvisionalAccount is the account of a provisional workload's stand-in group: its
// identity is "code//" and the script that builds it.
const ProvisionalAccount = "code"

// linkFromCode is the reason a script belongs to a provisional workload: it is the code the
// workload is made of, or what that code runs.
const linkFromCode = "from-code"

// provisional reports a workload made from provisioning code alone.
func (s *subject) provisional() bool { return s.fromCode != nil }

// originOf says what kind of provisional workload a script can start, or "" for scripts
// that configure nothing on their own (variables, manifests, templates).
func originOf(kind string) string {
	switch kind {
	case inventory.ScriptPackerJSON, inventory.ScriptPackerHCL:
		return OriginImageBuild
	case inventory.ScriptAnsiblePlay, inventory.ScriptAnsibleTasks:
		return OriginPlaybook
	case inventory.ScriptShell, inventory.ScriptCloudConfig, inventory.ScriptIgnition, inventory.ScriptPowerShell, inventory.ScriptMIME, inventory.ScriptUserData:
		return OriginBootScript
	case inventory.ScriptCloudFormation, inventory.ScriptTerraform:
		return OriginIaCNoGroup
	case inventory.ScriptAppSpec:
		return OriginRevision
	case inventory.ScriptChefRunList:
		return OriginConfigRun
	}
	return ""
}

// originOfScript is originOf, and for configuration management the files that say what a
// kind of host gets: a Puppet site manifest and a Salt top file (a module's class or a
// state another file includes is part of what they apply, not a workload of its own).
func originOfScript(sc *inventory.Script) string {
	switch base := path.Base(sc.Path); {
	case sc.Kind == inventory.ScriptPuppetManifest && base == "site.pp",
		sc.Kind == inventory.ScriptSaltState && base == "top.sls":
		return OriginConfigRun
	}
	return originOf(sc.Kind)
}

// provisionalSubjects makes the provisional workloads of an estate without groups, in path
// order. A script another script pulls in (a provisioner's script, a role, an included
// task file) belongs to the workload of the script that pulls it in; the tasks files of one
// role make one workload. A shell script, or infrastructure code, that shows nothing it
// does to a host is a helper, not a workload. It returns the subjects and the paths of the
// scripts they use.
func provisionalSubjects(e *inventory.Estate, ix *estateIndex, now time.Time) ([]*subject, map[string]bool) {
	byPath := make(map[string]*inventory.Script, len(e.Scripts))
	referenced := map[string]bool{}
	for i := range e.Scripts {
		sc := &e.Scripts[i]
		byPath[sc.Path] = sc
	}
	for i := range e.Scripts {
		for _, r := range e.Scripts[i].References {
			if r.Path != e.Scripts[i].Path && byPath[r.Path] != nil {
				referenced[r.Path] = true
			}
		}
	}
	type unit struct {
		key    string
		origin string
		roots  []*inventory.Script
		hosts  string // the kind of host a part of the root applies to (hostParts)
	}
	units := map[string]*unit{}
	var keys []string
	for i := range e.Scripts {
		sc := &e.Scripts[i]
		origin := originOfScript(sc)
		if origin == "" || referenced[sc.Path] || strings.HasPrefix(sc.Path, "userdata:") {
			continue
		}
		if origin == OriginConfigRun && len(sc.Hosts) > 1 {
			if parts, hosts := hostParts(sc); parts != nil {
				for i, part := range parts {
					key := sc.Path + "#" + part.Hosts[0].Name
					units[key] = &unit{key: key, origin: origin, roots: []*inventory.Script{part}, hosts: hosts[i]}
					keys = append(keys, key)
				}
				continue
			}
		}
		key := sc.Path
		if role, ok := roleOfTasks(sc); ok {
			key = role
		}
		u := units[key]
		if u == nil {
			u = &unit{key: key, origin: origin}
			units[key] = u
			keys = append(keys, key)
		}
		u.roots = append(u.roots, sc)
	}
	sort.Strings(keys)
	used := map[string]bool{}
	var out []*subject
	for _, key := range keys {
		u := units[key]
		members := closure(u.roots, byPath)
		if (u.origin == OriginBootScript || u.origin == OriginIaCNoGroup || u.origin == OriginRevision || u.origin == OriginConfigRun) && !showsWork(members, u.roots[0]) {
			continue
		}
		origin := &CodeOrigin{Kind: u.origin, Path: key, Builds: buildsOf(members, u.roots)}
		if u.hosts != "" {
			origin.Path, origin.Hosts = u.roots[0].Path, u.hosts
		}
		g := &inventory.AutoScalingGroup{
			ARN: "code:" + key, Name: key, Account: ProvisionalAccount,
			// Nothing about the group is known: code alone says neither sizes nor checks.
			Unknown: []string{"MinSize", "MaxSize", "DesiredCapacity", "HealthCheckType", "HealthCheckGracePeriod"},
		}
		s := &subject{g: g, now: now, fromCode: origin, stages: ix.stages, notRead: ix.notRead}
		rootSet := map[*inventory.Script]bool{}
		for _, r := range u.roots {
			rootSet[r] = true
		}
		for _, m := range members {
			used[m.Path] = true
			reason, detail := linkFromCode, "what "+provisionalName(origin)+" runs"
			if rootSet[m] {
				detail = "the code the workload is made of"
				if u.origin == OriginBootScript {
					reason = inventory.LinkUserData // boot work is done at every launch
				}
			}
			s.scripts = append(s.scripts, linkedScript{s: m, link: inventory.Link{Workload: g.ID(), Reason: reason, Detail: detail, Confidence: inventory.ConfidenceHigh}})
		}
		out = append(out, s)
	}
	return out, used
}

// maxHostKinds is the most kinds of host a script is split into: past it (a site manifest
// of thousands of definitions that each differ) it stays one workload, as before it was
// split.
const maxHostKinds = 100

// hostParts splits a script whose parts apply to different kinds of host (a Puppet site
// manifest's node definitions, a Salt top file's targets) into one script per kind, each
// with the facts and references on its parts' lines and those outside every part, which
// apply to all. Mixing them made one workload of a web node and a database node. Parts
// that apply the same files and facts (one definition per host, each including the same
// role) are one kind, and so are parts of one name (a target in two environments). It
// returns the parts and the hosts each applies to, or nil when there are fewer than two
// kinds, or more than maxHostKinds.
func hostParts(sc *inventory.Script) ([]*inventory.Script, []string) {
	if len(sc.Hosts) < 2 {
		return nil, nil // every script but a site or top file of several kinds: at once
	}
	hosts := slices.Clone(sc.Hosts)
	sort.SliceStable(hosts, func(i, j int) bool { return hosts[i].FromLine < hosts[j].FromLine })
	// The part a line is on, by a binary search: parts do not overlap (node definitions do
	// not nest, a top file's targets follow one another).
	partOf := func(line int) int {
		i := sort.Search(len(hosts), func(i int) bool { return hosts[i].ToLine >= line })
		if i < len(hosts) && hosts[i].FromLine <= line {
			return i
		}
		return -1
	}
	kindOf := make([]int, len(hosts)) // part → kind, first by name
	var names [][]string
	byName := map[string]int{}
	for i, h := range hosts {
		k, ok := byName[h.Name]
		if !ok {
			k = len(names)
			byName[h.Name] = k
			names = append(names, []string{h.Name})
		}
		kindOf[i] = k
	}
	factKind := make([]int, len(sc.Facts))
	refKind := make([]int, len(sc.References))
	sig := make([][]string, len(names))
	for i := range sc.Facts {
		factKind[i] = -1
		if p := partOf(sc.Facts[i].Evidence.Line); p >= 0 {
			factKind[i] = kindOf[p]
			sig[kindOf[p]] = append(sig[kindOf[p]], "f "+sc.Facts[i].Kind.String()+" "+sc.Facts[i].Detail())
		}
	}
	for i := range sc.References {
		refKind[i] = -1
		if p := partOf(sc.References[i].Evidence.Line); p >= 0 {
			refKind[i] = kindOf[p]
			sig[kindOf[p]] = append(sig[kindOf[p]], "r "+sc.References[i].Path)
		}
	}
	// Kinds that apply the same are one: each takes the first of its sort.
	same := make([]int, len(names))
	first := map[string]int{}
	var kinds []int
	for k := range names {
		slices.Sort(sig[k])
		key := strings.Join(slices.Compact(sig[k]), "\n")
		if f, ok := first[key]; ok {
			same[k] = f
			names[f] = append(names[f], names[k]...)
			continue
		}
		first[key], same[k] = k, k
		kinds = append(kinds, k)
	}
	if len(kinds) < 2 || len(kinds) > maxHostKinds {
		return nil, nil
	}
	parts := make([]*inventory.Script, 0, len(kinds))
	var hostsOf []string
	for _, k := range kinds {
		part := *sc
		part.Hosts, part.Facts, part.References = nil, nil, nil
		for i, h := range hosts {
			if same[kindOf[i]] == k {
				part.Hosts = append(part.Hosts, h)
			}
		}
		for i, f := range sc.Facts {
			if factKind[i] < 0 || same[factKind[i]] == k {
				part.Facts = append(part.Facts, f)
			}
		}
		for i, r := range sc.References {
			if refKind[i] < 0 || same[refKind[i]] == k {
				part.References = append(part.References, r)
			}
		}
		parts = append(parts, &part)
		hostsOf = append(hostsOf, hostList(names[k]))
	}
	return parts, hostsOf
}

// hostList names the hosts of a kind: the first three as written, and how many more.
func hostList(names []string) string {
	if len(names) <= 3 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:3], ", ") + " and " + strconv.Itoa(len(names)-3) + " more"
}

// roleOfTasks names the role a tasks file belongs to ("roles/web"), from its place in a
// role's layout.
func roleOfTasks(sc *inventory.Script) (string, bool) {
	if sc.Kind != inventory.ScriptAnsibleTasks {
		return "", false
	}
	dir := path.Dir(sc.Path)
	if path.Base(dir) != "tasks" && path.Base(dir) != "handlers" {
		return "", false
	}
	return path.Dir(dir), true
}

// closure is the scripts reached from the roots along their references, in path order.
func closure(roots []*inventory.Script, byPath map[string]*inventory.Script) []*inventory.Script {
	seen := map[string]bool{}
	var out []*inventory.Script
	queue := append([]*inventory.Script(nil), roots...)
	for len(queue) > 0 {
		sc := queue[0]
		queue = queue[1:]
		if seen[sc.Path] {
			continue
		}
		seen[sc.Path] = true
		out = append(out, sc)
		for _, r := range sc.References {
			if next := byPath[r.Path]; next != nil && !seen[r.Path] {
				queue = append(queue, next)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// showsWork reports whether scripts show something they do to a host: a script with no
// fact, or only settings, is a helper.
func showsWork(members []*inventory.Script, root *inventory.Script) bool {
	if root.Kind == inventory.ScriptCloudConfig || root.Kind == inventory.ScriptUserData || root.Kind == inventory.ScriptMIME {
		return true // user data by its form
	}
	for _, m := range members {
		for _, f := range m.Facts {
			if !settingOnly[f.Kind] {
				return true
			}
		}
	}
	return false
}

// buildsOf names what the workload builds: the Packer builds of an image build, the play
// names of a playbook.
func buildsOf(members, roots []*inventory.Script) []string {
	var out []string
	for _, m := range members {
		for _, f := range m.Facts {
			if f.Kind == inventory.FactImageBuild && f.Name != "" {
				out = append(out, f.Name)
			}
		}
	}
	if len(out) == 0 {
		for _, r := range roots {
			if r.Name != "" {
				out = append(out, r.Name)
			}
		}
	}
	return sortedUnique(out)
}

// provisionalName is how a provisional workload is named: by what builds it.
func provisionalName(o *CodeOrigin) string {
	builds := ""
	if len(o.Builds) > 0 {
		builds = " " + joinMax(o.Builds, 2)
	}
	switch o.Kind {
	case OriginImageBuild:
		return "image build" + builds + " (" + o.Path + ")"
	case OriginPlaybook:
		if strings.HasSuffix(o.Path, ".yml") || strings.HasSuffix(o.Path, ".yaml") {
			return "playbook" + builds + " (" + o.Path + ")"
		}
		return "Ansible role " + path.Base(o.Path) + " (" + o.Path + ")"
	case OriginIaCNoGroup:
		return "launch configuration in " + o.Path
	case OriginRevision:
		return "CodeDeploy revision" + builds + " (" + o.Path + ")"
	case OriginConfigRun:
		switch {
		case o.Hosts != "" && strings.HasSuffix(o.Path, ".pp"):
			return "Puppet node " + o.Hosts + " (" + o.Path + ")"
		case o.Hosts != "" && strings.HasSuffix(o.Path, ".sls"):
			return "Salt target " + o.Hosts + " (" + o.Path + ")"
		case strings.HasSuffix(o.Path, ".pp"):
			return "Puppet site manifest (" + o.Path + ")"
		case strings.HasSuffix(o.Path, ".sls"):
			return "Salt top file (" + o.Path + ")"
		}
		return "Chef run list" + builds + " (" + o.Path + ")"
	}
	return "boot script " + o.Path
}

// provisionalResult is what a rule that reads no script concludes for a provisional
// workload: the AWS facts it needs are not there yet. A bonus is not held against it.
func provisionalResult(r Rule) result {
	if r.Direction == DirBonus {
		return result{State: notApplicable}
	}
	return result{State: unknown, Detail: "from code only: needs the Auto Scaling group, which is not read yet"}
}

// installKinds are the facts that show software being put on a host. Facts that count
// against a workload (a database, configuration management, several services) are left
// out on purpose: a harm must never make the rest of the host look better by making it
// visible.
var installKinds = []inventory.FactKind{
	inventory.FactPackage, inventory.FactWebServer, inventory.FactDocker, inventory.FactBatchML,
}

// builtAtBoot reports whether the workload's boot code (its user data, cfn-init, a
// playbook run at boot) installs or configures its software: the image it starts from is
// then a base the boot code builds on, and what runs is what that code shows — whatever
// the image is.
func (s *subject) builtAtBoot() bool {
	for _, ls := range s.scripts {
		if linkStage(ls, s.stages) != stageBoot && !s.referencedFromBoot(ls.s.Path) {
			continue
		}
		for _, f := range ls.s.Facts {
			if slices.Contains(installKinds, f.Kind) {
				return true
			}
		}
	}
	return false
}

// referencedFromBoot reports whether a boot script of the workload pulls in the script at
// path (a playbook its user data runs, a script cfn-init fetches).
func (s *subject) referencedFromBoot(p string) bool {
	for _, ls := range s.scripts {
		if linkStage(ls, s.stages) != stageBoot {
			continue
		}
		for _, r := range ls.s.References {
			if r.Path == p {
				return true
			}
		}
	}
	return false
}

// showsSoftware reports whether the scripts of a provisional workload show anything they
// do to a host — software installed or run, a mount, a volume, a schedule, a setting. A role
// whose package names are all variables shows nothing, and the absence of a database from
// it proves nothing.
func (s *subject) showsSoftware() bool {
	for _, ls := range s.scripts {
		for i := range ls.s.Facts {
			// A monitoring or host agent is on every host whatever it runs: it does not show
			// the workload (a playbook whose only line is a CloudWatch agent role).
			if f := &ls.s.Facts[i]; !settingOnly[f.Kind] && f.Kind != inventory.FactObservability && !isAgent(f) {
				return true
			}
		}
	}
	return false
}

// settingOnly are the facts that configure software without showing what the host runs.
var settingOnly = map[inventory.FactKind]bool{
	inventory.FactEnvConfig: true, inventory.FactHardcodedIP: true, inventory.FactSecret: true, inventory.FactConfigStore: true,
}

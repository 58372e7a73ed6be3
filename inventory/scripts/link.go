package scripts

import (
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// LinkOptions tune Link.
type LinkOptions struct {
	// TagKeys are the group tags whose values may name a script, template, playbook or
	// role. Default: DefaultLinkTags.
	TagKeys []string
}

// DefaultLinkTags are the group tags whose values may name a script when nothing else is
// configured.
var DefaultLinkTags = []string{"app", "Name", "packer_template"}

var confRank = map[string]int{inventory.ConfidenceLow: 1, inventory.ConfidenceMedium: 2, inventory.ConfidenceHigh: 3}
var rankConf = map[int]string{1: inventory.ConfidenceLow, 2: inventory.ConfidenceMedium, 3: inventory.ConfidenceHigh}

// Link fills Script.Links for every script in e.Scripts: an AMI id in a Packer manifest
// (high), the group's AMI name matching a template's ami_name (medium), a playbook or
// script named in the group's user data (high), the AppSpec file of the CodeDeploy
// application a deployment group deploys to the group (medium), a tag value naming a
// script, template, playbook or role (medium), a name match between group and script
// (low); then links flow
// along Script.References (reason LinkReference, "via <path>"), keeping the confidence of
// the link they come from. LinkUserData links made by ReadUserData are kept; every other
// link is recomputed, so calling Link twice gives the same result.
func Link(e *inventory.Estate, opts LinkOptions) {
	keys := opts.TagKeys
	if len(keys) == 0 {
		keys = DefaultLinkTags
	}
	idx := map[string]int{}
	var paths []string
	for i := range e.Scripts {
		s := &e.Scripts[i]
		kept := s.Links[:0]
		for _, l := range s.Links {
			// The links of derived scripts are made with them (ReadUserData, ReadImageBuilders,
			// ReadAssociations).
			if l.Reason == inventory.LinkUserData || l.Reason == inventory.LinkImageBuilder || l.Reason == inventory.LinkSSM {
				kept = append(kept, l)
			}
		}
		s.Links = kept
		idx[s.Path] = i
		if !strings.HasPrefix(s.Path, "userdata:") && !strings.HasPrefix(s.Path, builderPrefix) && !strings.HasPrefix(s.Path, associationPrefix) {
			paths = append(paths, s.Path)
		}
	}
	sort.Strings(paths)
	pathIx := tailIndexOf(paths)
	add := func(p string, l inventory.Link) {
		i, ok := idx[p]
		if !ok {
			return
		}
		for _, x := range e.Scripts[i].Links {
			if x.Workload == l.Workload && x.Reason == l.Reason && x.Detail == l.Detail {
				return
			}
		}
		e.Scripts[i].Links = append(e.Scripts[i].Links, l)
	}
	images := map[string]inventory.Image{}
	for _, im := range e.Images {
		images[im.Account+"/"+im.Region+"/"+im.ID] = im
		if _, ok := images[im.ID]; !ok {
			images[im.ID] = im
		}
	}
	patterns := amiPatterns(e.Scripts)
	// Teams keep user data in git under any name (bootstrap.txt, a .ps1, no extension): a
	// file with exactly a user data's text is that group's, with the user data's certainty.
	sameText := map[string][]string{} // content hash → repository files
	for _, p := range paths {
		if h := e.Scripts[idx[p]].ContentHash; h != "" {
			sameText[h] = append(sameText[h], p)
		}
	}
	for _, s := range e.Scripts {
		if s.Kind != inventory.ScriptUserData || s.ContentHash == "" {
			continue
		}
		for _, p := range sameText[s.ContentHash] {
			for _, l := range s.Links {
				if l.Reason == inventory.LinkUserData {
					add(p, inventory.Link{Workload: l.Workload, Reason: inventory.LinkSameText, Confidence: inventory.ConfidenceHigh,
						Detail: "same text as " + s.Path})
				}
			}
		}
	}

	groups := make([]*inventory.AutoScalingGroup, len(e.Groups))
	for i := range e.Groups {
		groups[i] = &e.Groups[i]
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].ID() < groups[j].ID() })
	for _, g := range groups {
		w := g.ID()
		ami := g.Launch.ImageID
		// 1. The AMI a manifest says a template built.
		for _, s := range e.Scripts {
			for _, a := range s.Artifacts {
				if ami == "" || a.ImageID != ami || (a.Region != "" && g.Region != "" && a.Region != g.Region) {
					continue
				}
				detail := s.Path + ": " + a.Region + ":" + a.ImageID
				add(s.Path, inventory.Link{Workload: w, Reason: inventory.LinkManifestAMI, Detail: detail, Confidence: inventory.ConfidenceHigh})
				if a.Template != "" {
					add(a.Template, inventory.Link{Workload: w, Reason: inventory.LinkManifestAMI, Detail: detail, Confidence: inventory.ConfidenceHigh})
				}
			}
		}
		// 2. The AMI's name matches a template's ami_name.
		im, ok := images[g.Account+"/"+g.Region+"/"+ami]
		if !ok {
			im, ok = images[ami]
		}
		if ok && im.Name != "" {
			for _, p := range patterns {
				if p.re.MatchString(im.Name) {
					add(p.script, inventory.Link{Workload: w, Reason: inventory.LinkAMIName, Confidence: inventory.ConfidenceMedium,
						Detail: "AMI " + ami + " name " + im.Name + " matches ami_name " + p.pattern})
				}
			}
		}
		// 3. Files the user data names.
		if g.Launch.UserData != "" {
			named := namedFiles(g.Launch.UserData, pathIx)
			for _, p := range sortedKeys(named) {
				add(p, inventory.Link{Workload: w, Reason: inventory.LinkUserDataNames, Confidence: inventory.ConfidenceHigh,
					Detail: "userdata:" + launchSource(g) + " line " + itoa(named[p])})
			}
		}
		// 4. The revisions of the CodeDeploy application a deployment group deploys to the
		// group: an AppSpec file is named for its revision's folder, which names the
		// application (orders-api/appspec.yml for the application orders-api).
		for _, dep := range g.Deployments {
			if dep.Service != inventory.DeployCodeDeploy || dep.Application == "" {
				continue
			}
			for _, p := range paths {
				if sc := &e.Scripts[idx[p]]; sc.Kind == inventory.ScriptAppSpec && sc.Name != "" && normName2(sc.Name) == normName2(dep.Application) {
					add(p, inventory.Link{Workload: w, Reason: inventory.LinkCodeDeploy, Confidence: inventory.ConfidenceMedium,
						Detail: "CodeDeploy application " + dep.Application + orParen(dep.DeploymentGroup, "deployment group ")})
				}
			}
		}
		// 5. Tags naming a script, a template, a playbook or a role.
		for _, k := range keys {
			v := strings.TrimSpace(g.Tags[k])
			if v == "" {
				continue
			}
			for _, p := range paths {
				if tagNames(v, p, e.Scripts[idx[p]].Name) {
					add(p, inventory.Link{Workload: w, Reason: inventory.LinkTag, Confidence: inventory.ConfidenceMedium, Detail: "tag " + k + "=" + v})
				}
			}
		}
		// 6. Names that match. Infrastructure code is not matched by name: what it
		// configures belongs to the groups it defines (their user data, their cfn-init),
		// and another group of the same name is another workload.
		gt := nameTokens(g.Name, true)
		for _, p := range paths {
			if k := e.Scripts[idx[p]].Kind; k == inventory.ScriptCloudFormation || k == inventory.ScriptTerraform {
				continue
			}
			for _, cand := range []string{stem(p), e.Scripts[idx[p]].Name} {
				if st := nameTokens(cand, true); tokensWithin(st, gt) && !envConflict(cand, g.Name) {
					add(p, inventory.Link{Workload: w, Reason: inventory.LinkNameMatch, Confidence: inventory.ConfidenceLow,
						Detail: "group " + g.Name + " ~ " + cand})
					break
				}
			}
		}
	}
	propagate(e, idx)
	evidenceLinks(e, idx)
	for i := range e.Scripts {
		e.Scripts[i].Sort()
	}
}

// evidenceLinks ties a file whose lines are evidence for a linked script's facts — the
// role defaults or group_vars that name the packages a task installs, the template that
// holds the user data — to that script's workloads: it shapes them, and a report must
// never list it as unlinked while citing it. The link says only that (LinkEvidence): the
// file's other facts — a CloudFormation template's other launch templates, a group_vars
// file's values for other hosts — are not the workload's.
func evidenceLinks(e *inventory.Estate, idx map[string]int) {
	type key struct{ path, workload string }
	best := map[key]inventory.Link{}
	for _, s := range e.Scripts {
		if len(s.Links) == 0 {
			continue
		}
		for _, f := range s.Facts {
			file := f.Evidence.File
			if file == "" || file == s.Path {
				continue
			}
			if _, ok := idx[file]; !ok {
				continue
			}
			for _, l := range s.Links {
				k := key{file, l.Workload}
				nl := inventory.Link{Workload: l.Workload, Reason: inventory.LinkEvidence, Detail: "cited for " + s.Path, Confidence: l.Confidence}
				if old, ok := best[k]; !ok || confRank[nl.Confidence] > confRank[old.Confidence] || confRank[nl.Confidence] == confRank[old.Confidence] && nl.Detail < old.Detail {
					best[k] = nl
				}
			}
		}
	}
	keys := make([]key, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].path != keys[j].path {
			return keys[i].path < keys[j].path
		}
		return keys[i].workload < keys[j].workload
	})
	for _, k := range keys {
		sc := &e.Scripts[idx[k.path]]
		linked := false
		for _, l := range sc.Links {
			linked = linked || l.Workload == k.workload
		}
		if !linked {
			sc.Links = append(sc.Links, best[k])
		}
	}
}

// propagate carries each workload's links along references, best confidence first.
func propagate(e *inventory.Estate, idx map[string]int) {
	workloads := map[string]bool{}
	for _, s := range e.Scripts {
		for _, l := range s.Links {
			workloads[l.Workload] = true
		}
	}
	for _, w := range sortedKeys(workloads) {
		best := map[string]int{}
		for _, s := range e.Scripts {
			for _, l := range s.Links {
				if l.Workload == w && confRank[l.Confidence] > best[s.Path] {
					best[s.Path] = confRank[l.Confidence]
				}
			}
		}
		type item struct {
			path string
			rank int
		}
		var queue []item
		for _, p := range sortedKeys(best) {
			queue = append(queue, item{p, best[p]})
		}
		via := map[string]string{}
		for len(queue) > 0 {
			sort.SliceStable(queue, func(i, j int) bool {
				if queue[i].rank != queue[j].rank {
					return queue[i].rank > queue[j].rank
				}
				return queue[i].path < queue[j].path
			})
			cur := queue[0]
			queue = queue[1:]
			if cur.rank < best[cur.path] {
				continue
			}
			i, ok := idx[cur.path]
			if !ok {
				continue
			}
			for _, r := range e.Scripts[i].References {
				if _, ok := idx[r.Path]; !ok || best[r.Path] >= cur.rank {
					continue
				}
				best[r.Path] = cur.rank
				via[r.Path] = cur.path
				queue = append(queue, item{r.Path, cur.rank})
			}
		}
		for _, p := range sortedKeys(via) {
			i := idx[p]
			e.Scripts[i].Links = append(e.Scripts[i].Links, inventory.Link{
				Workload: w, Reason: inventory.LinkReference, Detail: "via " + via[p], Confidence: rankConf[best[p]],
			})
		}
	}
}

type amiPattern struct {
	script, pattern string
	re              *regexp.Regexp
}

var reTemplated = regexp.MustCompile(`\{\{.*?\}\}|\$\{(?:[^{}]|\{[^{}]*\})*\}`)

// reDynamic is an interpolation whose value is new at every build — a timestamp, a date, a
// UUID: the only part of an AMI name a pattern may leave open. Anything else is a variable,
// and a variable whose value the scan does not know must not match any value: it would
// tie one project's image to another's groups.
var reDynamic = regexp.MustCompile(`(?i)timestamp|isotime|uuid|formatdate|strftime`)

// amiPatterns turns ami_name values into anchored patterns: each {{…}} or ${…} that is a
// timestamp, a date or a UUID matches anything. A pattern that keeps a variable without a
// value, or whose literal words are all generic (example-hvm-…-x86_64-ebs), says nothing
// about which image it is and is left out.
func amiPatterns(scripts []inventory.Script) []amiPattern {
	var out []amiPattern
	for _, s := range scripts {
		for _, p := range s.AMINamePatterns {
			open := true
			for _, m := range reTemplated.FindAllString(p, -1) {
				open = open && reDynamic.MatchString(m)
			}
			lits := reTemplated.Split(p, -1)
			if !open || !distinctive(nameTokens(strings.Join(lits, "-"), false)) {
				continue
			}
			for i := range lits {
				lits[i] = regexp.QuoteMeta(lits[i])
			}
			re, err := regexp.Compile("^" + strings.Join(lits, ".*") + "$")
			if err == nil {
				out = append(out, amiPattern{script: s.Path, pattern: p, re: re})
			}
		}
	}
	return out
}

// stem is the name a script goes by: its role's name inside a role, else its file name
// without extensions, else — for a generic file name such as userdata.sh.tpl — its
// folder's name (userdata/tracking-api/userdata.sh.tpl is tracking-api's).
func stem(p string) string {
	if rd := roleDirOf(p); rd != "" {
		return path.Base(strings.TrimSuffix(rd, "/"))
	}
	b := path.Base(p)
	for again := true; again; {
		again = false
		for _, ext := range []string{".pkr.hcl", ".pkr.json", ".pkrvars.hcl", ".yml", ".yaml", ".json", ".sh", ".bash", ".ps1", ".tpl", ".txt", ".j2", ".cfg", ".tmpl"} {
			if t := strings.TrimSuffix(b, ext); t != b && t != "" {
				b, again = t, true
			}
		}
	}
	if genericStems[normName2(b)] {
		if dir := path.Base(path.Dir(p)); dir != "." && dir != "/" && !genericStems[normName2(dir)] && !genericDirs[dir] {
			return dir
		}
	}
	return b
}

// genericDirs are folder names that say nothing about the workload.
var genericDirs = map[string]bool{"userdata": true, "user-data": true, "scripts": true, "packer": true, "ansible": true,
	"files": true, "templates": true, "tasks": true, "playbooks": true, "cloud-init": true, "legacy": true, "old": true, "windows": true}

var genericStems = map[string]bool{
	"main": true, "site": true, "playbook": true, "default": true, "defaults": true, "vars": true, "handlers": true,
	"tasks": true, "manifest": true, "packer-manifest": true, "variables": true, "build": true, "packer": true, "userdata": true,
	"user-data": true, "init": true, "setup": true, "install": true, "bootstrap": true, "common": true, "base": true,
	"all": true, "index": true, "template": true, "provision": true, "provisioning": true, "cloud-init": true,
	"cloud-config": true, "config": true, "meta": true, "readme": true, "web": true, "app": true, "api": true,
	"worker": true, "server": true, "service": true, "frontend": true, "backend": true, "node": true, "host": true,
}

var envTokens = map[string]bool{
	"prod": true, "production": true, "prd": true, "staging": true, "stage": true, "stg": true, "dev": true,
	"develop": true, "development": true, "test": true, "testing": true, "qa": true, "uat": true, "preprod": true,
	"pre": true, "sandbox": true, "sbx": true, "asg": true, "blue": true, "green": true, "canary": true, "nonprod": true,
}

func normName2(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', '.', ' ', '/':
			return '-'
		}
		return r
	}, s)
}

// envClass maps environment words to the environment they name; words such as "asg" or
// "canary" are dropped from names but name no environment.
var envClass = map[string]string{
	"prod": "prod", "production": "prod", "prd": "prod",
	"staging": "staging", "stage": "staging", "stg": "staging", "preprod": "staging", "uat": "staging",
	"dev": "dev", "develop": "dev", "development": "dev",
	"test": "test", "testing": "test", "qa": "test",
}

// envConflict reports whether a script's name and a group's name each name an environment
// and have none in common: customer-portal-prod is the production box's user data, and
// must not be taken for test-customer-portal's because the rest of the names agree.
func envConflict(script, group string) bool {
	envs := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, t := range strings.Split(normName2(s), "-") {
			if c := envClass[t]; c != "" {
				m[c] = true
			}
		}
		return m
	}
	se, ge := envs(script), envs(group)
	if len(se) == 0 || len(ge) == 0 {
		return false
	}
	for c := range se {
		if ge[c] {
			return false
		}
	}
	return true
}

// nameTokens splits a name into words; for a group, environment words are dropped.
func nameTokens(s string, group bool) []string {
	var out []string
	for _, t := range strings.Split(normName2(s), "-") {
		if t == "" || group && envTokens[t] {
			continue
		}
		out = append(out, t)
	}
	return out
}

// genericWords say nothing on their own about which workload a name is: words every
// project uses for its parts, environments, machine and OS words. A name links only
// through a word that is not one of them.
var genericWords = func() map[string]bool {
	m := map[string]bool{}
	for w := range genericStems {
		m[w] = true
	}
	for w := range envTokens {
		m[w] = true
	}
	for _, w := range strings.Fields(`example examples sample demo bastion jump jumpbox cluster nodes workers agent agents
		runner runners proxy gateway lb alb elb nlb nat vpn db database cache queue instance instances ec2 ami image images
		group stack module modules terraform ansible packer role roles hvm ebs x86 x86_64 64 arm arm64 amd64 aarch64 i386
		linux ubuntu debian centos rhel redhat rocky alma amzn amzn2 amazon al2 al2023 windows win fedora coreos focal jammy
		noble bionic minimal golden hardened cis gp2 gp3 prod-like primary secondary public private internal external
		default main site web app api server node`) {
		m[w] = true
	}
	return m
}()

// distinctive reports whether a name's words include one that is not generic.
func distinctive(words []string) bool {
	for _, w := range words {
		if len(w) >= 2 && !genericWords[w] && strings.Trim(w, "0123456789.") != "" {
			return true
		}
	}
	return false
}

// tokensWithin reports whether a script's name words appear in order within the group's,
// and say enough on their own (two words, or one distinctive word), never through generic
// words alone.
func tokensWithin(st, gt []string) bool {
	if len(st) == 0 || len(st) > len(gt) || genericStems[strings.Join(st, "-")] || !distinctive(st) {
		return false
	}
	if len(st) == 1 && (len(st[0]) < 4 || genericStems[st[0]]) {
		return false
	}
	for i := 0; i+len(st) <= len(gt); i++ {
		match := true
		for j := range st {
			if gt[i+j] != st[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// tagNames reports whether a tag value names a script: its path, its file, its stem, its
// Name, or its role.
func tagNames(v, p, name string) bool {
	nv := normName2(v)
	switch {
	case v == p, strings.HasSuffix(p, "/"+v):
		return true
	case genericStems[nv], !distinctive(nameTokens(v, false)):
		return false
	case nv == normName2(stem(p)), name != "" && nv == normName2(name):
		return true
	}
	return false
}

// orParen is " (prefix s)", or "" for an empty s.
func orParen(s, prefix string) string {
	if s == "" {
		return ""
	}
	return " (" + prefix + s + ")"
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// WorkloadName is what a person calls the workload a script provisions, for a workload known
// from code alone: the image a Packer template builds (its AMI name without the parts that
// change at each build, or its build name), else the script's own name — its role, its file
// name, or its folder's for a generic file name (userdata/billing/userdata.sh is billing's).
// It is never empty and never ".", and depends only on the script's path inside the scanned
// folder, not on how that folder was named on the command line.
func WorkloadName(s inventory.Script) string {
	if s.Kind == inventory.ScriptPackerHCL || s.Kind == inventory.ScriptPackerJSON {
		var best string
		for _, p := range s.AMINamePatterns {
			if onlyDynamicOrLiteral(p) {
				if n := strings.Trim(reSeparators.ReplaceAllString(reTemplated.ReplaceAllString(p, "-"), "-"), "-._ "); n != "" && distinctive(nameTokens(n, false)) && (best == "" || len(n) < len(best)) {
					best = n
				}
			}
		}
		if best != "" {
			return best
		}
		if n := strings.TrimSpace(s.Name); n != "" && n != "." && !strings.ContainsAny(n, "{}$") && distinctive(nameTokens(n, false)) {
			return n
		}
	}
	if n := stem(s.Path); n != "" && n != "." && n != "/" {
		return n
	}
	if b := path.Base(s.Path); b != "." && b != "/" && b != "" {
		return b
	}
	return "scripts"
}

// reSeparators are the runs of separators left where an AMI name's variable parts were.
var reSeparators = regexp.MustCompile(`[-._ ]{2,}`)

// onlyDynamicOrLiteral reports an AMI name whose every interpolation is new at each build.
func onlyDynamicOrLiteral(p string) bool {
	for _, m := range reTemplated.FindAllString(p, -1) {
		if !reDynamic.MatchString(m) {
			return false
		}
	}
	return true
}

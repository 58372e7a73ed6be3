package scripts

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"whyk8s/inventory"
)

// associationPrefix starts the path of the script an association's commands make
// (inventory.Deployment.ScriptPath).
var associationPrefix = inventory.Deployment{}.ScriptPath()

// ReadAssociations turns the commands of every Systems Manager association that runs
// AWS-RunShellScript or AWS-RunPowerShellScript on the estate's groups (Deployment.Commands,
// read as shell or PowerShell), or the playbook one
// running AWS-ApplyAnsiblePlaybooks applies (Deployment.Playbook), into a Script of its own
// (Deployment.ScriptPath): the commands read and cited where the
// code writes them, the playbook a reference to it in the folders. Each is linked to every
// group the association targets (LinkSSM): what the association runs on the instances is
// then read, as their user data is. Like user data, the scripts are derived: those already
// in the estate (an earlier call, a snapshot) are replaced.
func ReadAssociations(e *inventory.Estate) {
	type use struct {
		d      inventory.Deployment
		groups []string
	}
	bySource := map[string]*use{}
	var order []string
	for i := range e.Groups {
		g := &e.Groups[i]
		for _, d := range g.Deployments {
			if d.Service != inventory.DeploySSM || strings.TrimSpace(d.Commands) == "" && d.Playbook == "" && d.RunList == "" {
				continue
			}
			key := d.Source + "\x00" + d.Commands + "\x00" + d.Playbook + "\x00" + d.RunList
			u := bySource[key]
			if u == nil {
				u = &use{d: d}
				bySource[key] = u
				order = append(order, key)
			}
			u.groups = append(u.groups, g.ID())
		}
	}
	var paths []string
	for _, s := range e.Scripts {
		if !strings.HasPrefix(s.Path, "userdata:") && !strings.HasPrefix(s.Path, associationPrefix) {
			paths = append(paths, s.Path)
		}
	}
	sort.Strings(paths)
	ix := tailIndexOf(paths)
	var made []inventory.Script
	for _, key := range order {
		u := bySource[key]
		p := u.d.ScriptPath()
		if u.d.Commands == "" {
			res, gaps := associationApplies(p, u.d, ix)
			applied := u.d.Playbook
			if applied == "" {
				applied = "the run list " + u.d.RunList
			}
			for _, gid := range uniq(u.groups) {
				res.Links = append(res.Links, inventory.Link{
					Workload: gid, Reason: inventory.LinkSSM, Confidence: inventory.ConfidenceHigh,
					Detail: "association " + orDefault(u.d.DeploymentGroup, u.d.Source) + " applies " + applied + " on " + orDefault(u.d.Target, "its instances"),
				})
			}
			made = append(made, res)
			e.Coverage = append(e.Coverage, gaps...)
			continue
		}
		// Every line is cited where the code writes the commands: the parameter, or the
		// association when the code does not say.
		place, ok := u.d.Places.At("Commands")
		var at []srcLine
		if ok && place.File != "" {
			at = make([]srcLine, strings.Count(u.d.Commands, "\n")+1)
			for i := range at {
				at[i] = srcLine{file: place.File, line: place.Line}
			}
		}
		kind := inventory.CommandsKind(u.d.Application)
		if kind == "" {
			kind = inventory.ScriptShell // commands from a snapshot without the document's name
		}
		res, gaps := readDerivedText(kind, p, u.d.Commands, ix, at)
		for _, gid := range uniq(u.groups) {
			res.Links = append(res.Links, inventory.Link{
				Workload: gid, Reason: inventory.LinkSSM, Confidence: inventory.ConfidenceHigh,
				Detail: "association " + orDefault(u.d.DeploymentGroup, u.d.Source) + " runs " + orDefault(u.d.Application, "commands") + " on " + orDefault(u.d.Target, "its instances"),
			})
		}
		dedupeFacts(&res)
		made = append(made, res)
		e.Coverage = append(e.Coverage, gaps...)
	}
	replaceDerived(e, associationPrefix, made)
	e.Coverage = sortGaps(e.Coverage)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// associationApplies is the script of an association that applies a playbook
// (AWS-ApplyAnsiblePlaybooks) or a Chef run list (AWS-ApplyChefRecipes): references to what
// it applies, found among the folders' files by the end of their paths as a playbook user
// data runs, or a recipe a local Chef run names, is; each the folders do not hold is a gap.
// The association fetches them in a bundle (SourceInfo), whose layout the folders may keep.
func associationApplies(p string, d inventory.Deployment, paths tailIndex) (inventory.Script, []inventory.CoverageGap) {
	field, how := "Playbook", "ssm "+inventory.DocApplyAnsible
	if d.Playbook == "" {
		field, how = "RunList", "ssm "+inventory.DocApplyChef
	}
	place, ok := d.Places.At(field)
	if !ok || place.File == "" {
		place, _ = d.Places.At("")
	}
	res := inventory.Script{Path: p, Kind: inventory.ScriptShell}
	var gaps []inventory.CoverageGap
	who := "association " + orDefault(d.DeploymentGroup, d.Source)
	want := func(targets []string, what string) {
		for _, t := range targets {
			if m := paths.match(t); m != "" && strings.HasSuffix("/"+m, "/"+strings.TrimPrefix(path.Clean(t), "/")) {
				res.References = append(res.References, inventory.Reference{Path: m, How: how, Evidence: inventory.Evidence{File: place.File, Line: place.Line}})
				return
			}
		}
		gaps = append(gaps, inventory.CoverageGap{Path: orDefault(place.File, p), Line: place.Line, Kind: inventory.GapNotFound,
			Message: who + " applies " + what + ", which is not under the scanned folders: not read"})
	}
	if d.Playbook != "" {
		want([]string{d.Playbook}, "the playbook \""+d.Playbook+"\"")
		return res, gaps
	}
	// The run list as a local Chef run reads it: recipe[cookbook::recipe] is that
	// cookbook's recipes/recipe.rb, role[name] roles/name.json or roles/name.rb.
	rl := &fileResult{script: inventory.Script{Path: p}}
	newDoc(rl, p, "").chefRunList(d.RunList, 1, how)
	for _, r := range rl.refs {
		names := fmt.Sprintf("%q", r.target)
		for _, a := range r.also {
			names += fmt.Sprintf(" (or %q)", a)
		}
		want(append([]string{r.target}, r.also...), names)
	}
	res.References = dedupeRefs(res.References)
	return res, gaps
}

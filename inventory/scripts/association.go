package scripts

import (
	"sort"
	"strings"

	"whyk8s/inventory"
)

// associationPrefix starts the path of the script an association's commands make
// (inventory.Deployment.ScriptPath).
var associationPrefix = inventory.Deployment{}.ScriptPath()

// ReadAssociations turns the commands of every Systems Manager association that runs
// AWS-RunShellScript on the estate's groups (Deployment.Commands), or the playbook one
// running AWS-ApplyAnsiblePlaybooks applies (Deployment.Playbook), into a Script of its own
// (Deployment.ScriptPath, Kind ScriptShell): the commands read as shell and cited where the
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
			if d.Service != inventory.DeploySSM || strings.TrimSpace(d.Commands) == "" && d.Playbook == "" {
				continue
			}
			key := d.Source + "\x00" + d.Commands + "\x00" + d.Playbook
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
			res, gaps := associationPlaybook(p, u.d, ix)
			for _, gid := range uniq(u.groups) {
				res.Links = append(res.Links, inventory.Link{
					Workload: gid, Reason: inventory.LinkSSM, Confidence: inventory.ConfidenceHigh,
					Detail: "association " + orDefault(u.d.DeploymentGroup, u.d.Source) + " applies " + u.d.Playbook + " on " + orDefault(u.d.Target, "its instances"),
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
		res, gaps := readDerivedText(inventory.ScriptShell, p, u.d.Commands, ix, at)
		for _, gid := range uniq(u.groups) {
			res.Links = append(res.Links, inventory.Link{
				Workload: gid, Reason: inventory.LinkSSM, Confidence: inventory.ConfidenceHigh,
				Detail: "association " + orDefault(u.d.DeploymentGroup, u.d.Source) + " runs AWS-RunShellScript on " + orDefault(u.d.Target, "its instances"),
			})
		}
		dedupeFacts(&res)
		made = append(made, res)
		e.Coverage = append(e.Coverage, gaps...)
	}
	kept := e.Scripts[:0]
	for _, s := range e.Scripts {
		if !strings.HasPrefix(s.Path, associationPrefix) {
			kept = append(kept, s)
		}
	}
	e.Scripts = append(kept, made...)
	sort.SliceStable(e.Scripts, func(i, j int) bool { return e.Scripts[i].Path < e.Scripts[j].Path })
	e.Coverage = sortGaps(e.Coverage)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// associationPlaybook is the script of an association running AWS-ApplyAnsiblePlaybooks:
// a reference to the playbook it applies, found among the folders' files by the end of its
// path as a playbook user data runs is, or a gap when the folders do not hold it. The
// association fetches it in a bundle (SourceInfo), whose layout the folders may keep.
func associationPlaybook(p string, d inventory.Deployment, paths tailIndex) (inventory.Script, []inventory.CoverageGap) {
	place, ok := d.Places.At("Playbook")
	if !ok || place.File == "" {
		place, _ = d.Places.At("")
	}
	res := inventory.Script{Path: p, Kind: inventory.ScriptShell}
	how := "ssm AWS-ApplyAnsiblePlaybooks"
	if m := paths.match(d.Playbook); m != "" {
		res.References = []inventory.Reference{{Path: m, How: how, Evidence: inventory.Evidence{File: place.File, Line: place.Line}}}
		return res, nil
	}
	return res, []inventory.CoverageGap{{Path: orDefault(place.File, p), Line: place.Line, Kind: inventory.GapNotFound,
		Message: "association " + orDefault(d.DeploymentGroup, d.Source) + " applies the playbook \"" + d.Playbook + "\", which is not under the scanned folders: not read"}}
}

package scripts

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"whyk8s/inventory"
)

// builderPrefix starts the path of a script derived from an image builder.
const builderPrefix = "imagebuilder:"

// ReadImageBuilders turns every instance a template configures to make an image of
// (Script.ImageBuilders) into a Script of its own, of kind ScriptImageBuilder, holding the
// template's facts on the instance's lines, and links it to each group whose launch
// configuration or template takes its ImageId where the builder says: the group's image is
// made from that instance, so what the instance runs is the image's build. Like user data,
// the scripts are derived: those already in the estate (an earlier call, a snapshot) are
// replaced.
func ReadImageBuilders(e *inventory.Estate) {
	type place struct {
		file string
		line int
	}
	groupsAt := map[place][]string{}
	for i := range e.Groups {
		g := &e.Groups[i]
		if p, ok := g.Launch.Places["ImageId"]; ok {
			k := place{p.File, p.Line}
			groupsAt[k] = append(groupsAt[k], g.ID())
		}
	}
	var made []inventory.Script
	for _, sc := range e.Scripts {
		if strings.HasPrefix(sc.Path, builderPrefix) {
			continue // made by an earlier call: replaced below
		}
		for _, b := range sc.ImageBuilders {
			var groups []string
			for _, l := range b.ImageIDLines {
				groups = append(groups, groupsAt[place{sc.Path, l}]...)
			}
			if len(groups) == 0 {
				continue
			}
			b.Evidence.File = cmp.Or(b.Evidence.File, sc.Path)
			d := inventory.Script{Path: builderPrefix + sc.Path + "#" + b.Name, Kind: inventory.ScriptImageBuilder, Name: b.Name,
				ImageBuilders: []inventory.ImageBuilder{b}}
			for _, f := range sc.Facts {
				if f.Evidence.Line < b.FromLine || f.Evidence.Line > b.ToLine || sc.FileOf(&f) != sc.Path {
					continue
				}
				f.Evidence.File = sc.Path
				d.Facts = append(d.Facts, f)
			}
			sort.Strings(groups)
			for _, gid := range slices.Compact(groups) {
				d.Links = append(d.Links, inventory.Link{
					Workload: gid, Reason: inventory.LinkImageBuilder, Confidence: inventory.ConfidenceHigh,
					Detail: "image made by " + b.Image + " from instance " + b.Name + " (" + b.Evidence.String() + ")",
				})
			}
			made = append(made, d)
		}
	}
	replaceDerived(e, builderPrefix, made)
}

// replaceDerived puts made in the estate's scripts in place of every script whose path
// starts with prefix (those an earlier call, or a snapshot, derived the same way), in path
// order.
func replaceDerived(e *inventory.Estate, prefix string, made []inventory.Script) {
	kept := e.Scripts[:0]
	for _, s := range e.Scripts {
		if !strings.HasPrefix(s.Path, prefix) {
			kept = append(kept, s)
		}
	}
	e.Scripts = append(kept, made...)
	sort.SliceStable(e.Scripts, func(i, j int) bool { return e.Scripts[i].Path < e.Scripts[j].Path })
}

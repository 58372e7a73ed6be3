package assess

import (
	"maps"
	"sort"
	"strings"

	"whyk8s/inventory"
)

// A Puppet site manifest or a Salt top file linked to a group (user data running `puppet
// apply site.pp`) applies one of its node definitions or targets to each instance, chosen
// at run time by the instance's name. Read whole, it brought a web group the classes of the
// database nodes. The group takes the part whose names share a word with its own, and none
// shares one with another part (node /^web\d+/ for shop-web-asg); when no part is
// chosen so, it takes what is written outside every part, and which part applies is unknown
// (handedOver).

// narrowToHosts returns the group's linked scripts with each script of several kinds of host
// narrowed to the group's part, the scripts only another part pulls in left out, and, when
// a script's part could not be chosen, why what the instances run is not known.
func narrowToHosts(g *inventory.AutoScalingGroup, scripts []linkedScript, byPath map[string]*inventory.Script) ([]linkedScript, string) {
	several := false
	for _, ls := range scripts {
		several = several || len(ls.s.Hosts) > 1
	}
	if !several {
		return scripts, "" // as most groups: nothing to narrow, nothing copied
	}
	var unknown string
	narrowed := false
	out := make([]linkedScript, len(scripts))
	copy(out, scripts)
	for i, ls := range out {
		parts, hosts := hostParts(ls.s)
		if parts == nil {
			continue
		}
		narrowed = true
		if k := hostKindFor(g, hosts); k >= 0 {
			out[i].s = parts[k]
			continue
		}
		out[i].s = commonPart(ls.s)
		if unknown == "" {
			unknown = "which of " + ls.s.Path + "'s " + hostPartsWord(ls.s) + " (" + joinMax(hosts, 3) + ") applies to its instances is not known: their names are given at run time"
		}
	}
	if !narrowed {
		return scripts, ""
	}
	// What the group's own scripts pull in, now that the parts it does not run are gone: a
	// script of several parts is followed through the part the group runs.
	through := maps.Clone(byPath)
	var roots []*inventory.Script
	for _, ls := range out {
		through[ls.s.Path] = ls.s
		if ls.link.Reason != inventory.LinkReference {
			roots = append(roots, ls.s)
		}
	}
	reach := map[string]bool{}
	for _, sc := range closure(roots, through) {
		reach[sc.Path] = true
	}
	kept := out[:0]
	for _, ls := range out {
		if ls.link.Reason != inventory.LinkReference || reach[ls.s.Path] {
			kept = append(kept, ls)
		}
	}
	return kept, unknown
}

// hostKindFor is the index of the kind of host whose names share a word with the group's
// name or Name tag when no other kind's names hold that word, or -1. Generic words
// (default, node, the domain's) are shared by every kind and so choose none.
func hostKindFor(g *inventory.AutoScalingGroup, hosts []string) int {
	group := map[string]bool{}
	for _, w := range nameWords(g.Name + " " + g.Tags["Name"]) {
		group[w] = true
	}
	kindsOf := map[string]map[int]bool{}
	for k, h := range hosts {
		for _, w := range nameWords(h) {
			if kindsOf[w] == nil {
				kindsOf[w] = map[int]bool{}
			}
			kindsOf[w][k] = true
		}
	}
	chosen := -1
	for w, kinds := range kindsOf {
		if !group[w] || len(kinds) != 1 {
			continue
		}
		for k := range kinds {
			if chosen >= 0 && chosen != k {
				return -1 // words of two kinds: not chosen
			}
			chosen = k
		}
	}
	return chosen
}

// nameWords are the lower-case words of letters of a name, each at least two letters long:
// "/^web\d+\.shop\.internal$/" is web, shop, internal ("d", of \d, is too short); "'db01'"
// is db.
func nameWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r < 'a' || r > 'z' }) {
		if len(w) >= 2 && w != "and" && w != "more" {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

// commonPart is sc with only what is written outside every part: what every kind of host
// gets.
func commonPart(sc *inventory.Script) *inventory.Script {
	outside := func(line int) bool {
		for _, h := range sc.Hosts {
			if h.Holds(line) {
				return false
			}
		}
		return true
	}
	part := *sc
	part.Facts, part.References = nil, nil
	for _, f := range sc.Facts {
		if outside(f.Evidence.Line) {
			part.Facts = append(part.Facts, f)
		}
	}
	for _, r := range sc.References {
		if outside(r.Evidence.Line) {
			part.References = append(part.References, r)
		}
	}
	return &part
}

// hostPartsWord names a script's parts as its language does.
func hostPartsWord(sc *inventory.Script) string {
	if strings.HasSuffix(sc.Path, ".sls") {
		return "targets"
	}
	return "node definitions"
}

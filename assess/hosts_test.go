package assess

import (
	"slices"
	"strings"
	"testing"

	"whyk8s/inventory"
)

// TestSiteManifestLinkedToGroups: a site manifest every group's user data applies brings
// each group the node definition whose names share a word with the group's name, and none
// of the others' classes; a group no definition names is unknown, with the reason.
func TestSiteManifestLinkedToGroups(t *testing.T) {
	site, web, db := "puppet/manifests/site.pp", "puppet/modules/role/manifests/web.pp", "puppet/modules/role/manifests/db.pp"
	at := func(f inventory.Fact, file string, line int) inventory.Fact {
		f.Evidence = inventory.FactEvidence{File: file, Line: line}
		return f
	}
	refAt := func(p string, line int) inventory.Reference {
		return inventory.Reference{Path: p, How: "include", Evidence: inventory.Evidence{File: site, Line: line}}
	}
	tests := []struct {
		group       string
		wantScripts []string
		wantFact    inventory.FactKind // present among the workload's facts
		notFact     inventory.FactKind // absent from them
		unknown     string             // in the handed-over reason, or "" for none
	}{
		{group: "shop-web", wantScripts: []string{site, web, "userdata/shop.sh"}, wantFact: inventory.FactWebServer, notFact: inventory.FactDatabase},
		{group: "shop-db-primary", wantScripts: []string{site, db, "userdata/shop.sh"}, wantFact: inventory.FactDatabase, notFact: inventory.FactWebServer},
		{group: "shop-batch", wantScripts: []string{site, "userdata/shop.sh"}, wantFact: inventory.FactPackage, notFact: inventory.FactDatabase,
			unknown: "which of " + site + "'s node definitions (/^web\\d+\\.shop\\.internal$/, 'db01.shop.internal') applies to its instances is not known"},
	}
	for _, tt := range tests {
		t.Run(tt.group, func(t *testing.T) {
			e := build(tt.group)
			id := e.Groups[0].ID()
			link := func(reason string) []inventory.Link {
				return []inventory.Link{{Workload: id, Reason: reason, Confidence: inventory.ConfidenceHigh}}
			}
			e.Scripts = []inventory.Script{
				{Path: "userdata/shop.sh", Kind: inventory.ScriptShell, Links: link(inventory.LinkUserData),
					Facts:      []inventory.Fact{at(fact(inventory.FactPackage, "puppet-agent"), "userdata/shop.sh", 2)},
					References: []inventory.Reference{{Path: site, How: "puppet apply"}}},
				{Path: site, Kind: inventory.ScriptPuppetManifest, Links: link(inventory.LinkReference),
					Facts:      []inventory.Fact{at(fact(inventory.FactPackage, "chrony"), site, 1)},
					References: []inventory.Reference{refAt(web, 4), refAt(db, 7)},
					Hosts:      []inventory.HostSection{{Name: `/^web\d+\.shop\.internal$/`, FromLine: 3, ToLine: 5}, {Name: "'db01.shop.internal'", FromLine: 6, ToLine: 8}}},
				{Path: web, Kind: inventory.ScriptPuppetManifest, Links: link(inventory.LinkReference), Facts: []inventory.Fact{at(fact(inventory.FactWebServer, "nginx"), web, 2)}},
				{Path: db, Kind: inventory.ScriptPuppetManifest, Links: link(inventory.LinkReference), Facts: []inventory.Fact{at(fact(inventory.FactDatabase, "postgresql"), db, 2)}},
			}
			s := subjectOf(e)
			var paths []string
			kinds := map[inventory.FactKind]bool{}
			for _, ls := range s.scripts {
				paths = append(paths, ls.s.Path)
				for _, f := range ls.s.Facts {
					kinds[f.Kind] = true
				}
			}
			slices.Sort(paths)
			if !slices.Equal(paths, tt.wantScripts) {
				t.Errorf("scripts %q, want %q", paths, tt.wantScripts)
			}
			if !kinds[tt.wantFact] || kinds[tt.notFact] {
				t.Errorf("fact kinds %v: want %v, not %v", kinds, tt.wantFact, tt.notFact)
			}
			reason, handed := s.handedOver()
			if tt.unknown == "" && handed || tt.unknown != "" && (!handed || !strings.Contains(reason, tt.unknown)) {
				t.Errorf("handed over %v: %q, want %q", handed, reason, tt.unknown)
			}
		})
	}
}

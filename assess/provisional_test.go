package assess

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"whyk8s/inventory"
)

// codeOnly is an estate read from provisioning code alone: a Packer template whose shell
// provisioner runs a script, a playbook with a role, a user-data file, and a helper script
// that does nothing to a host.
func codeOnly() *inventory.Estate {
	at := func(f inventory.Fact, file string, line int) inventory.Fact {
		f.Evidence = inventory.FactEvidence{File: file, Line: line}
		return f
	}
	return &inventory.Estate{
		SchemaVersion: inventory.SchemaVersion, CollectedAt: testNow, Source: inventory.SourceCode,
		Scripts: []inventory.Script{
			{Path: "packer/web.pkr.hcl", Kind: inventory.ScriptPackerHCL,
				Facts:      []inventory.Fact{at(inventory.Fact{Kind: inventory.FactImageBuild, Name: "amazon-ebs.web", FactParams: &inventory.FactParams{Image: "web-{{timestamp}}"}}, "packer/web.pkr.hcl", 3)},
				References: []inventory.Reference{{Path: "packer/scripts/install.sh", How: "shell-provisioner"}}},
			{Path: "packer/scripts/install.sh", Kind: inventory.ScriptShell,
				Facts: []inventory.Fact{at(fact(inventory.FactWebServer, "nginx"), "packer/scripts/install.sh", 2)}},
			{Path: "ansible/db.yml", Kind: inventory.ScriptAnsiblePlay, Name: "databases",
				References: []inventory.Reference{{Path: "ansible/roles/postgres/tasks/main.yml", How: "role"}}},
			{Path: "ansible/roles/postgres/tasks/main.yml", Kind: inventory.ScriptAnsibleTasks,
				Facts: []inventory.Fact{at(fact(inventory.FactDatabase, "postgresql"), "ansible/roles/postgres/tasks/main.yml", 4)}},
			{Path: "userdata/bastion.sh", Kind: inventory.ScriptShell,
				Facts: []inventory.Fact{at(fact(inventory.FactService, "sshd"), "userdata/bastion.sh", 3), at(fact(inventory.FactLocalUser, "ops"), "userdata/bastion.sh", 5)}},
			{Path: "tools/lint.sh", Kind: inventory.ScriptShell},
		},
	}
}

func TestProvisionalWorkloads(t *testing.T) {
	a := mustAssess(t, codeOnly(), nil, nil)
	got := map[string]Workload{}
	for _, w := range a.Workloads {
		if w.FromCode == nil {
			t.Errorf("%s is not marked as from code only", w.ID)
			continue
		}
		got[w.FromCode.Path] = w
	}
	if len(got) != 3 {
		t.Fatalf("provisional workloads %v, want the image build, the playbook and the boot script", keys(got))
	}
	web, db, bastion := got["packer/web.pkr.hcl"], got["ansible/db.yml"], got["userdata/bastion.sh"]
	if web.FromCode.Kind != OriginImageBuild || !strings.Contains(web.Name, "amazon-ebs.web") {
		t.Errorf("image build named %q (%+v), want it named by its build", web.Name, web.FromCode)
	}
	if web.Role.Name != RoleWeb || web.Fit.Category == CategoryInsufficient || web.Fit.Confidence < DefaultThresholds.MinConfidence {
		t.Errorf("image build: role %s, %s at %d%%: the build and its provisioner show what runs", web.Role.Name, web.Fit.Category, web.Fit.Confidence)
	}
	if db.Role.Name != RoleDatabase || db.Fit.Category != CategoryDataStore {
		t.Errorf("playbook with a PostgreSQL role: %s, %s", db.Role.Name, db.Fit.Category)
	}
	if bastion.FromCode.Kind != OriginBootScript || bastion.Fit.Category != CategoryBastion {
		t.Errorf("boot script with sshd and users: %s, %s", bastion.FromCode.Kind, bastion.Fit.Category)
	}
	for _, w := range a.Workloads {
		for _, u := range w.Unknowns {
			if u.Rule == "FIT-STICKY-SESSIONS" && !strings.Contains(u.Reason, "from code only") {
				t.Errorf("%s: sticky sessions unknown for %q", w.Name, u.Reason)
			}
		}
		for _, sig := range w.Signals {
			if sig.Rule == "FIT-STICKY-SESSIONS" || sig.Rule == "FIT-TARGET-TRACKING" {
				t.Errorf("%s: %s decided from code alone", w.Name, sig.Rule)
			}
		}
		if !strings.HasPrefix(w.ID, ProvisionalAccount+"/") {
			t.Errorf("provisional id %q", w.ID)
		}
	}
	if len(a.UnlinkedScripts) != 1 || a.UnlinkedScripts[0] != "tools/lint.sh" {
		t.Errorf("unlinked %v, want only the helper", a.UnlinkedScripts)
	}
	if !strings.Contains(strings.Join(a.Verdict.Rationale, " "), "provisional") {
		t.Errorf("the verdict does not say the workloads are provisional: %q", a.Verdict.Rationale)
	}
	if len(a.Inventory.Groups) != 0 {
		t.Errorf("provisional workloads listed as Auto Scaling groups: %+v", a.Inventory.Groups)
	}
}

// TestProvisionalOnlyWithoutGroups: code beside an estate is linked to its groups, never
// made into workloads of its own.
func TestProvisionalOnlyWithoutGroups(t *testing.T) {
	e := build("web", scripts())
	e.Scripts = append(e.Scripts, codeOnly().Scripts...)
	a := mustAssess(t, e, nil, nil)
	if len(a.Workloads) != 1 || a.Workloads[0].FromCode != nil {
		t.Errorf("workloads %d, first from code %v: want the one group", len(a.Workloads), a.Workloads[0].FromCode)
	}
}

func keys[V any](m map[string]V) []string { return sortedKeys(m) }

// A playbook that shows only a monitoring agent (a CloudWatch agent role it cannot read)
// shows nothing of what the host runs: it is not judged a good fit on that.
func TestProvisionalAgentOnlyIsInsufficient(t *testing.T) {
	e := &inventory.Estate{SchemaVersion: inventory.SchemaVersion, CollectedAt: testNow, Source: inventory.SourceCode,
		Scripts: []inventory.Script{{Path: "playbooks/build.yml", Kind: inventory.ScriptAnsiblePlay, Facts: []inventory.Fact{{
			Kind: inventory.FactObservability, Name: "cloudwatch agent", Via: inventory.ViaAnsibleRole,
			Evidence: inventory.FactEvidence{File: "playbooks/build.yml", Line: 36}}}}}}
	a := mustAssess(t, e, nil, nil)
	if len(a.Workloads) != 1 || a.Workloads[0].Fit.Category != CategoryInsufficient {
		for _, w := range a.Workloads {
			t.Errorf("%s: %s at %d%%", w.Name, w.Fit.Category, w.Fit.Confidence)
		}
		if len(a.Workloads) != 1 {
			t.Fatalf("%d workloads, want the playbook's", len(a.Workloads))
		}
	}
}

// A CodeDeploy revision read from code alone is one workload, named for its application:
// its hooks are what it runs, not boot scripts of their own.
func TestProvisionalCodeDeployRevision(t *testing.T) {
	at := func(f inventory.Fact, file string, line int) inventory.Fact {
		f.Evidence = inventory.FactEvidence{File: file, Line: line}
		return f
	}
	e := &inventory.Estate{SchemaVersion: inventory.SchemaVersion, CollectedAt: testNow, Source: inventory.SourceCode,
		Scripts: []inventory.Script{
			{Path: "billing/appspec.yml", Kind: inventory.ScriptAppSpec, Name: "billing", References: []inventory.Reference{
				{Path: "billing/bin/install-deps", How: "codedeploy hook BeforeInstall"}, {Path: "billing/bin/start.sh", How: "codedeploy hook ApplicationStart"}}},
			{Path: "billing/bin/install-deps", Kind: inventory.ScriptShell,
				Facts: []inventory.Fact{at(fact(inventory.FactPackage, "openjdk-17-jre-headless"), "billing/bin/install-deps", 1)}},
			{Path: "billing/bin/start.sh", Kind: inventory.ScriptShell,
				Facts: []inventory.Fact{at(fact(inventory.FactService, "billing"), "billing/bin/start.sh", 2)}},
		}}
	a := mustAssess(t, e, nil, nil)
	if len(a.Workloads) != 1 {
		for _, w := range a.Workloads {
			t.Errorf("workload %s", w.Name)
		}
		t.Fatalf("%d workloads, want the revision's", len(a.Workloads))
	}
	w := a.Workloads[0]
	if w.FromCode == nil || w.FromCode.Kind != OriginRevision || w.FromCode.Path != "billing/appspec.yml" || !strings.Contains(w.Name, "CodeDeploy revision billing") {
		t.Errorf("%q from %+v, want the CodeDeploy revision billing", w.Name, w.FromCode)
	}
	if w.Fit.Category == CategoryInsufficient {
		t.Errorf("%s at %d%%: its hooks show what it installs and runs", w.Fit.Category, w.Fit.Confidence)
	}
}

// What configuration management applies to one kind of host, read from code alone, is one
// workload: a Chef run list, a Puppet site manifest, a Salt top file, with what they apply.
// A module's class or a state another file includes is part of it, not a workload; a
// recipe no run list names is none.
func TestProvisionalConfigurationRuns(t *testing.T) {
	at := func(f inventory.Fact, file string, line int) inventory.Fact {
		f.Evidence = inventory.FactEvidence{File: file, Line: line}
		return f
	}
	ref := func(p string) []inventory.Reference { return []inventory.Reference{{Path: p, How: "include"}} }
	e := &inventory.Estate{SchemaVersion: inventory.SchemaVersion, CollectedAt: testNow, Source: inventory.SourceCode,
		Scripts: []inventory.Script{
			{Path: "chef/roles/web.json", Kind: inventory.ScriptChefRunList, Name: "storefront-web", References: ref("chef/cookbooks/sf/recipes/default.rb")},
			{Path: "chef/cookbooks/sf/recipes/default.rb", Kind: inventory.ScriptChefRecipe,
				Facts: []inventory.Fact{at(fact(inventory.FactWebServer, "nginx"), "chef/cookbooks/sf/recipes/default.rb", 1)}},
			{Path: "chef/cookbooks/tools/recipes/default.rb", Kind: inventory.ScriptChefRecipe,
				Facts: []inventory.Fact{at(fact(inventory.FactPackage, "jq"), "chef/cookbooks/tools/recipes/default.rb", 1)}},
			{Path: "puppet/manifests/site.pp", Kind: inventory.ScriptPuppetManifest, References: ref("puppet/modules/profile/manifests/db.pp")},
			{Path: "puppet/modules/profile/manifests/db.pp", Kind: inventory.ScriptPuppetManifest,
				Facts: []inventory.Fact{at(fact(inventory.FactDatabase, "postgresql"), "puppet/modules/profile/manifests/db.pp", 2)}},
			{Path: "puppet/modules/profile/manifests/unused.pp", Kind: inventory.ScriptPuppetManifest,
				Facts: []inventory.Fact{at(fact(inventory.FactPackage, "git"), "puppet/modules/profile/manifests/unused.pp", 2)}},
			{Path: "salt/top.sls", Kind: inventory.ScriptSaltState, References: ref("salt/app.sls")},
			{Path: "salt/app.sls", Kind: inventory.ScriptSaltState,
				Facts: []inventory.Fact{at(fact(inventory.FactPackage, "openjdk-17-jre-headless"), "salt/app.sls", 2)}},
		}}
	a := mustAssess(t, e, nil, nil)
	var got []string
	for _, w := range a.Workloads {
		if w.FromCode == nil || w.FromCode.Kind != OriginConfigRun {
			t.Errorf("%s: from %+v, want a configuration run", w.Name, w.FromCode)
			continue
		}
		got = append(got, w.Name)
	}
	want := []string{"Chef run list storefront-web (chef/roles/web.json)", "Puppet site manifest (puppet/manifests/site.pp)", "Salt top file (salt/top.sls)"}
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("workloads %q, want %q", got, want)
	}
}

// TestProvisionalHostKinds: a site manifest whose node definitions apply different roles,
// or a top file whose targets apply different states, is one provisional workload per kind
// of host — what is written outside every definition going to each — not one workload
// mixing a web node's nginx with a database node's PostgreSQL.
func TestProvisionalHostKinds(t *testing.T) {
	at := func(f inventory.Fact, file string, line int) inventory.Fact {
		f.Evidence = inventory.FactEvidence{File: file, Line: line}
		return f
	}
	refAt := func(p string, line int) inventory.Reference {
		return inventory.Reference{Path: p, How: "include", Evidence: inventory.Evidence{File: "x", Line: line}}
	}
	site, web, db := "puppet/manifests/site.pp", "puppet/modules/role/manifests/web.pp", "puppet/modules/role/manifests/db.pp"
	top, nginx, pg, common := "salt/top.sls", "salt/nginx.sls", "salt/postgres.sls", "salt/common.sls"
	e := &inventory.Estate{SchemaVersion: inventory.SchemaVersion, CollectedAt: testNow, Source: inventory.SourceCode,
		Scripts: []inventory.Script{
			// Two hosts with a definition each, both the web role; a database node; a
			// resource above the definitions, which every node gets.
			{Path: site, Kind: inventory.ScriptPuppetManifest,
				Facts:      []inventory.Fact{at(fact(inventory.FactPackage, "chrony"), site, 1)},
				References: []inventory.Reference{refAt(web, 3), refAt(web, 6), refAt(db, 9)},
				Hosts:      []inventory.HostSection{{Name: "'web01'", FromLine: 2, ToLine: 4}, {Name: "'web02'", FromLine: 5, ToLine: 7}, {Name: "'db01'", FromLine: 8, ToLine: 10}}},
			{Path: web, Kind: inventory.ScriptPuppetManifest, Facts: []inventory.Fact{at(fact(inventory.FactWebServer, "nginx"), web, 2)}},
			{Path: db, Kind: inventory.ScriptPuppetManifest, Facts: []inventory.Fact{at(fact(inventory.FactDatabase, "postgresql"), db, 2)}},
			// base: {'*': [common], 'web*': [nginx], 'db*': [postgres]}, and 'web*' again in prod.
			{Path: top, Kind: inventory.ScriptSaltState,
				References: []inventory.Reference{refAt(common, 3), refAt(nginx, 5), refAt(pg, 7), refAt(nginx, 10)},
				Hosts:      []inventory.HostSection{{Name: "'web*'", FromLine: 4, ToLine: 5}, {Name: "'db*'", FromLine: 6, ToLine: 7}, {Name: "'web*'", FromLine: 9, ToLine: 10}}},
			{Path: common, Kind: inventory.ScriptSaltState, Facts: []inventory.Fact{at(fact(inventory.FactPackage, "htop"), common, 2)}},
			{Path: nginx, Kind: inventory.ScriptSaltState, Facts: []inventory.Fact{at(fact(inventory.FactWebServer, "nginx"), nginx, 2)}},
			{Path: pg, Kind: inventory.ScriptSaltState, Facts: []inventory.Fact{at(fact(inventory.FactDatabase, "postgresql"), pg, 2)}},
		}}
	a := mustAssess(t, e, nil, nil)
	got := map[string]string{}
	for _, w := range a.Workloads {
		var scripts []string
		for _, s := range w.Scripts {
			scripts = append(scripts, s.Path)
		}
		sort.Strings(scripts)
		got[w.Name] = fmt.Sprintf("%s %v", w.Fit.Category, scripts)
	}
	want := map[string]string{
		"Puppet node 'web01', 'web02' (" + site + ")": fmt.Sprintf("%s %v", CategoryExcellent, []string{site, web}),
		"Puppet node 'db01' (" + site + ")":           fmt.Sprintf("%s %v", CategoryDataStore, []string{site, db}),
		"Salt target 'web*' (" + top + ")":            fmt.Sprintf("%s %v", CategoryExcellent, []string{common, nginx, top}),
		"Salt target 'db*' (" + top + ")":             fmt.Sprintf("%s %v", CategoryDataStore, []string{common, pg, top}),
	}
	if !maps.Equal(got, want) {
		t.Errorf("workloads:\n%v\nwant:\n%v", got, want)
	}
	for _, w := range a.Workloads {
		if w.FromCode == nil || w.FromCode.Hosts == "" || strings.Contains(w.FromCode.Path, "#") {
			t.Errorf("%s: from %+v, want the script's path and the hosts", w.Name, w.FromCode)
		}
	}
}

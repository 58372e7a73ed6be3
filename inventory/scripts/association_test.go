package scripts_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

// TestReadAssociations: the commands an AWS-RunShellScript association runs are read as a
// script of their own, cited where the code writes them, linked to every group the
// association targets; reading again, or linking, neither doubles nor drops it; the secret
// in them is found and not kept.
func TestReadAssociations(t *testing.T) {
	assoc := inventory.Deployment{Service: inventory.DeploySSM, Application: "AWS-RunShellScript", DeploymentGroup: "orders-setup",
		Target: "tag:Role=orders", Source: "iac:main.tf:21:aws_ssm_association.setup",
		Commands: "dnf install -y postgresql15-server\nsystemctl enable --now postgresql\nexport DB_PASSWORD=Sup3rS3cretValue42",
		Places:   inventory.Places{"": {File: "main.tf", Line: 21}, "Commands": {File: "main.tf", Line: 28}}}
	e := &inventory.Estate{SchemaVersion: inventory.SchemaVersion, Source: inventory.SourceCode,
		Groups: []inventory.AutoScalingGroup{
			{ARN: "iac:main.tf:1:aws_autoscaling_group.api", Name: "orders-api", Account: "a", Region: "r", Deployments: []inventory.Deployment{assoc}},
			{ARN: "iac:main.tf:9:aws_autoscaling_group.worker", Name: "orders-worker", Account: "a", Region: "r", Deployments: []inventory.Deployment{assoc}},
			{ARN: "iac:main.tf:15:aws_autoscaling_group.other", Name: "other", Account: "a", Region: "r",
				Deployments: []inventory.Deployment{{Service: inventory.DeploySSM, Application: "AWS-RunPatchBaseline", Source: "iac:main.tf:40:x"},
					{Service: inventory.DeploySSM, Application: inventory.DocRunPowerShellScript, Source: "iac:main.tf:50:aws_ssm_association.win",
						Commands: "Install-WindowsFeature -Name Web-Server -IncludeManagementTools", Places: inventory.Places{"Commands": {File: "main.tf", Line: 57}}}}},
		}}
	scripts.RedactEstate(e)
	for range 2 {
		scripts.ReadAssociations(e)
		scripts.Link(e, scripts.LinkOptions{})
	}
	var made []inventory.Script
	for _, s := range e.Scripts {
		if strings.HasPrefix(s.Path, "ssm:") {
			made = append(made, s)
		}
	}
	if len(made) != 2 {
		t.Fatalf("%d association scripts, want 2: %+v", len(made), made)
	}
	// The PowerShell commands are read as PowerShell.
	win, s := made[1], made[0] // in path order
	if win.Path != "ssm:iac:main.tf:50:aws_ssm_association.win" || win.Kind != inventory.ScriptPowerShell || len(win.Facts) == 0 || win.Facts[0].Evidence.Line != 57 {
		t.Errorf("PowerShell commands: %s of kind %s, facts %+v", win.Path, win.Kind, win.Facts)
	}
	if s.Path != "ssm:iac:main.tf:21:aws_ssm_association.setup" || s.Kind != inventory.ScriptShell {
		t.Errorf("script %s of kind %s", s.Path, s.Kind)
	}
	var facts []string
	for _, f := range s.Facts {
		facts = append(facts, fmt.Sprintf("%s %s @%s:%d", f.Kind, f.Detail(), f.Evidence.File, f.Evidence.Line))
	}
	for _, want := range []string{"database postgresql15-server @main.tf:28", "service postgresql @main.tf:28", "secret password @main.tf:28"} {
		if !slices.Contains(facts, want) {
			t.Errorf("facts %q, want %q among them", facts, want)
		}
	}
	var linked []string
	for _, l := range s.Links {
		if l.Reason != inventory.LinkSSM {
			t.Errorf("link %+v, want %s", l, inventory.LinkSSM)
		}
		linked = append(linked, l.Workload)
	}
	slices.Sort(linked)
	if want := []string{e.Groups[0].ID(), e.Groups[1].ID()}; !slices.Equal(linked, want) {
		t.Errorf("linked to %q, want %q", linked, want)
	}
	for _, g := range e.Groups {
		for _, d := range g.Deployments {
			if strings.Contains(d.Commands, "Sup3rS3cret") {
				t.Errorf("%s keeps the secret in its commands", g.Name)
			}
		}
	}
	for _, f := range s.Facts {
		if strings.Contains(f.Evidence.Excerpt, "Sup3rS3cret") {
			t.Errorf("fact %+v shows the secret", f)
		}
	}
}

// TestReadAssociationPlaybooks: an association running AWS-ApplyAnsiblePlaybooks refers to
// the playbook it applies when the folders hold it (by the end of its path), and the link
// reaches the playbook; one the folders do not hold is a gap at the parameter's line.
func TestReadAssociationPlaybooks(t *testing.T) {
	play := func(id, playbook string) inventory.Deployment {
		return inventory.Deployment{Service: inventory.DeploySSM, Application: "AWS-ApplyAnsiblePlaybooks", DeploymentGroup: id,
			Target: "tag:Role=orders", Source: "iac:ssm.tf:1:aws_ssm_association." + id, Playbook: playbook,
			Places: inventory.Places{"": {File: "ssm.tf", Line: 1}, "Playbook": {File: "ssm.tf", Line: 9}}}
	}
	e := &inventory.Estate{SchemaVersion: inventory.SchemaVersion, Source: inventory.SourceCode,
		Groups: []inventory.AutoScalingGroup{
			{ARN: "iac:main.tf:1:aws_autoscaling_group.api", Name: "orders-api", Account: "a", Region: "r",
				Deployments: []inventory.Deployment{play("found", "playbooks/api.yml"), play("missing", "playbooks/gone.yml")}},
		},
		Scripts: []inventory.Script{{Path: "ansible/playbooks/api.yml", Kind: inventory.ScriptAnsiblePlay,
			Facts: []inventory.Fact{{Kind: inventory.FactDatabase, Name: "postgresql", Evidence: inventory.FactEvidence{File: "ansible/playbooks/api.yml", Line: 5}}}}},
	}
	scripts.ReadAssociations(e)
	scripts.Link(e, scripts.LinkOptions{})
	byPath := map[string]inventory.Script{}
	for _, s := range e.Scripts {
		byPath[s.Path] = s
	}
	found := byPath["ssm:iac:ssm.tf:1:aws_ssm_association.found"]
	if len(found.References) != 1 || found.References[0].Path != "ansible/playbooks/api.yml" || found.References[0].Evidence.Line != 9 {
		t.Errorf("references %+v, want the playbook, cited at ssm.tf:9", found.References)
	}
	var reached bool
	for _, l := range byPath["ansible/playbooks/api.yml"].Links {
		reached = reached || l.Workload == e.Groups[0].ID() && l.Reason == inventory.LinkReference
	}
	if !reached {
		t.Errorf("the playbook's links %+v do not reach the group", byPath["ansible/playbooks/api.yml"].Links)
	}
	var gaps []string
	for _, g := range e.Coverage {
		gaps = append(gaps, fmt.Sprintf("%s:%d %s %s", g.Path, g.Line, g.Kind, g.Message))
	}
	want := `ssm.tf:9 not-found association missing applies the playbook "playbooks/gone.yml", which is not under the scanned folders: not read`
	if !slices.Contains(gaps, want) || len(gaps) != 1 {
		t.Errorf("gaps %q, want %q", gaps, want)
	}
}

// TestReadAssociationRunList: an association running AWS-ApplyChefRecipes follows its run
// list as a local Chef run does: a recipe by its cookbook's whole path (not another
// cookbook's recipe of the same name), a role in JSON or Ruby; what the folders do not hold is
// a gap naming it.
func TestReadAssociationRunList(t *testing.T) {
	d := inventory.Deployment{Service: inventory.DeploySSM, Application: "AWS-ApplyChefRecipes", DeploymentGroup: "chef-web",
		Target: "tag:Role=web", Source: "iac:ssm.tf:1:aws_ssm_association.chef", RunList: "recipe[orders::api],role[base],recipe[payments]",
		Places: inventory.Places{"": {File: "ssm.tf", Line: 1}, "RunList": {File: "ssm.tf", Line: 8}}}
	e := &inventory.Estate{SchemaVersion: inventory.SchemaVersion, Source: inventory.SourceCode,
		Groups: []inventory.AutoScalingGroup{{ARN: "iac:main.tf:1:aws_autoscaling_group.web", Name: "web", Account: "a", Region: "r", Deployments: []inventory.Deployment{d}}},
		Scripts: []inventory.Script{
			{Path: "chef/cookbooks/orders/recipes/api.rb", Kind: inventory.ScriptChefRecipe},
			{Path: "chef/cookbooks/shop/recipes/default.rb", Kind: inventory.ScriptChefRecipe},
			{Path: "chef/roles/base.rb", Kind: inventory.ScriptChefRunList},
		}}
	scripts.ReadAssociations(e)
	var refs []string
	for _, s := range e.Scripts {
		if s.Path == d.ScriptPath() {
			for _, r := range s.References {
				refs = append(refs, fmt.Sprintf("%s @%s:%d", r.Path, r.Evidence.File, r.Evidence.Line))
			}
		}
	}
	if want := []string{"chef/cookbooks/orders/recipes/api.rb @ssm.tf:8", "chef/roles/base.rb @ssm.tf:8"}; !slices.Equal(refs, want) {
		t.Errorf("references %q, want %q", refs, want)
	}
	var gaps []string
	for _, g := range e.Coverage {
		gaps = append(gaps, fmt.Sprintf("%s:%d %s", g.Path, g.Line, g.Message))
	}
	want := `ssm.tf:8 association chef-web applies "payments/recipes/default.rb", which is not under the scanned folders: not read`
	if len(gaps) != 1 || gaps[0] != want {
		t.Errorf("gaps %q, want %q", gaps, want)
	}
}

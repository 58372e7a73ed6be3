package gather_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"whyk8s/inventory"
	"whyk8s/inventory/gather"
	"whyk8s/inventory/scripts"
)

// gathered runs the gather pipeline on an estate held in memory and the scripts in dir.
func gathered(t *testing.T, e *inventory.Estate, dir string) *inventory.Estate {
	t.Helper()
	res, err := gather.Estate(context.Background(), gather.Sources{Estate: e, Scripts: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Estate
}

func linkedEstate(t *testing.T) *inventory.Estate {
	t.Helper()
	worker, err := os.ReadFile("../scripts/testdata/repo/userdata/worker.tpl")
	if err != nil {
		t.Fatal(err)
	}
	e := &inventory.Estate{
		Groups: []inventory.AutoScalingGroup{
			{Name: "orders-api-prod", Account: "111111111111", Region: "eu-west-1",
				Launch: inventory.LaunchSpec{ImageID: "ami-0a1b2c3d4e5f60718", Source: "lt-orders v3"}, Tags: map[string]string{"app": "orders-api"}},
			{Name: "media-worker-prod", Account: "111111111111", Region: "eu-west-1",
				Launch: inventory.LaunchSpec{ImageID: "ami-0ffff", Source: "lt-media v9", UserData: string(worker)}},
			{Name: "reporting", Account: "111111111111", Region: "eu-west-1", Launch: inventory.LaunchSpec{ImageID: "ami-0rep"}},
			{Name: "cache-nodes-staging", Account: "111111111111", Region: "eu-west-1", Launch: inventory.LaunchSpec{ImageID: "ami-0cache"}},
			{Name: "legacy-ftp", Account: "111111111111", Region: "eu-west-1", Launch: inventory.LaunchSpec{ImageID: "ami-0ftp"}},
		},
		Images: []inventory.Image{
			{ID: "ami-0rep", Account: "111111111111", Region: "eu-west-1", Name: "reporting-win2019-1718000000"},
		},
	}
	return gathered(t, e, "../scripts/testdata/repo")
}

func linkOf(e *inventory.Estate, p, workload, reason string) (inventory.Link, bool) {
	for _, s := range e.Scripts {
		if s.Path != p {
			continue
		}
		for _, l := range s.Links {
			if l.Workload == workload && l.Reason == reason {
				return l, true
			}
		}
	}
	return inventory.Link{}, false
}

func TestLink(t *testing.T) {
	e := linkedEstate(t)
	const orders, media, reporting, cache = "111111111111/eu-west-1/orders-api-prod", "111111111111/eu-west-1/media-worker-prod", "111111111111/eu-west-1/reporting", "111111111111/eu-west-1/cache-nodes-staging"
	tests := []struct {
		script, workload, reason, confidence, detail string
	}{
		{"packer/manifest.json", orders, inventory.LinkManifestAMI, inventory.ConfidenceHigh, "packer/manifest.json: eu-west-1:ami-0a1b2c3d4e5f60718"},
		{"packer/orders-api.pkr.hcl", orders, inventory.LinkManifestAMI, inventory.ConfidenceHigh, "packer/manifest.json: eu-west-1:ami-0a1b2c3d4e5f60718"},
		{"packer/orders-api.pkr.hcl", orders, inventory.LinkTag, inventory.ConfidenceMedium, "tag app=orders-api"},
		{"ansible/orders-api.yml", orders, inventory.LinkReference, inventory.ConfidenceHigh, "via packer/orders-api.pkr.hcl"},
		{"ansible/roles/nginx/tasks/main.yml", orders, inventory.LinkReference, inventory.ConfidenceHigh, "via ansible/orders-api.yml"},
		{"packer/scripts/harden", orders, inventory.LinkReference, inventory.ConfidenceHigh, "via packer/orders-api.pkr.hcl"},
		{"userdata:lt-media v9", media, inventory.LinkUserData, inventory.ConfidenceHigh, "launch data lt-media v9"},
		{"ansible/batch.yml", media, inventory.LinkUserDataNames, inventory.ConfidenceHigh, "userdata:lt-media v9 line 31"},
		{"packer/legacy/reporting-win.json", reporting, inventory.LinkAMIName, inventory.ConfidenceMedium, "AMI ami-0rep name reporting-win2019-1718000000 matches ami_name reporting-win2019-{{timestamp}}"},
		{"packer/legacy/setup-reporting.ps1", reporting, inventory.LinkReference, inventory.ConfidenceMedium, "via packer/legacy/reporting-win.json"},
		{"ansible/roles/orders/tasks/main.yml", orders, inventory.LinkReference, inventory.ConfidenceHigh, "via ansible/orders-api.yml"},
	}
	for _, tt := range tests {
		l, ok := linkOf(e, tt.script, tt.workload, tt.reason)
		if !ok {
			t.Errorf("%s: no %s link to %s", tt.script, tt.reason, tt.workload)
			continue
		}
		if l.Confidence != tt.confidence || l.Detail != tt.detail {
			t.Errorf("%s → %s: got %s %q, want %s %q", tt.script, tt.workload, l.Confidence, l.Detail, tt.confidence, tt.detail)
		}
	}
	// A name match is low confidence and never made from a generic name.
	if l, ok := linkOf(e, "userdata/cloud-init.yaml", cache, inventory.LinkNameMatch); ok {
		t.Errorf("generic name linked: %+v", l)
	}
	// Nothing links to legacy-ftp, and scripts linking nowhere keep no links.
	for _, s := range e.Scripts {
		for _, l := range s.Links {
			if l.Workload == "111111111111/eu-west-1/legacy-ftp" {
				t.Errorf("%s linked to legacy-ftp: %+v", s.Path, l)
			}
		}
		if s.Path == "userdata/cloud-init.yaml" && len(s.Links) != 0 {
			t.Errorf("cloud-init.yaml links %+v", s.Links)
		}
	}
	// Linking again gives the same links.
	before := scriptsJSON(t, e.Scripts)
	scripts.Link(e, scripts.LinkOptions{})
	if after := scriptsJSON(t, e.Scripts); before != after {
		t.Error("Link is not idempotent")
	}
}

func TestLinkNameMatch(t *testing.T) {
	e := &inventory.Estate{
		Groups: []inventory.AutoScalingGroup{{Name: "acme-billing-engine-prod-asg", Account: "1", Region: "r"}},
		Scripts: []inventory.Script{
			{Path: "ansible/billing-engine.yml"},
			{Path: "ansible/roles/billing_engine/tasks/main.yml"},
			{Path: "ansible/engine.yml"},
			{Path: "ansible/site.yml"},
			{Path: "userdata/api.sh"},
			{Path: "userdata/billing-engine-prod"},            // environment words are not part of a name
			{Path: "userdata/billing-engine-staging.sh"},      // …but a script for another environment is not this group's
			{Path: "ansible/billing-engine-qa.yml"},           // (qa is test, not prod)
			{Path: "userdata/billing-engine/userdata.sh.tpl"}, // a generic file takes its folder's name
			{Path: "userdata/old/userdata.sh"},                // neither says anything
			// Infrastructure code of the same name defines its own groups: what it configures is
			// theirs, never another group's by name.
			{Path: "cfn/billing-engine.yaml", Kind: inventory.ScriptCloudFormation},
			{Path: "terraform/billing-engine.tf", Kind: inventory.ScriptTerraform},
		},
	}
	scripts.Link(e, scripts.LinkOptions{TagKeys: []string{"Service"}})
	want := map[string]bool{"ansible/billing-engine.yml": true, "ansible/roles/billing_engine/tasks/main.yml": true, "ansible/engine.yml": true,
		"userdata/billing-engine-prod": true, "userdata/billing-engine/userdata.sh.tpl": true}
	for _, s := range e.Scripts {
		if got := len(s.Links) == 1 && s.Links[0].Reason == inventory.LinkNameMatch && s.Links[0].Confidence == inventory.ConfidenceLow; got != want[s.Path] {
			t.Errorf("%s: links %+v", s.Path, s.Links)
		}
	}
}

// A file in the repository that holds exactly a group's user data is that group's, whatever
// its name, even if an editor changed its line endings or trailing blanks.
func TestLinkSameTextAsUserData(t *testing.T) {
	ud := "#!/bin/bash\nexport DB_PASSWORD=hunter2-Canary\nsystemctl enable --now nginx\n"
	e := &inventory.Estate{
		Groups: []inventory.AutoScalingGroup{{Name: "payments", Account: "1", Region: "r", Launch: inventory.LaunchSpec{UserData: ud, Source: "launch-template lt-1 v2"}}},
	}
	dir := writeTree(t, map[string]string{
		"boot/x7.txt":       strings.ReplaceAll(ud, "\n", "  \r\n") + "\r\n\r\n", // same script, Windows editor
		"boot/other.sh":     ud + "echo one more line\n",
		"boot/empty-ish.sh": "\n\n",
	})
	e = gathered(t, e, dir)
	for _, s := range e.Scripts {
		var same bool
		for _, l := range s.Links {
			if l.Reason == inventory.LinkSameText && l.Workload == "1/r/payments" && l.Confidence == inventory.ConfidenceHigh {
				same = true
			}
		}
		if want := s.Path == "boot/x7.txt"; same != want {
			t.Errorf("%s: linked as the same text as the user data = %v, want %v (links %+v)", s.Path, same, want, s.Links)
		}
	}
}

// scriptsJSON is the scripts as JSON, to compare two gatherings whole.
func scriptsJSON(t *testing.T, s []inventory.Script) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A CodeDeploy revision is linked to a group by its folder's name or by a tag naming it, as
// any script is, or by the application a deployment group deploys to the group; its hooks
// follow through the AppSpec file's references.
func TestLinkCodeDeployRevision(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"deploy/orders-api/appspec.yml":         "version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: hooks/start\n",
		"deploy/orders-api/hooks/start":         "systemctl restart orders-api\n",
		"deploy/ledger-sync/appspec.yml":        "version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - location: hooks/configure.sh\n",
		"deploy/ledger-sync/hooks/configure.sh": "#!/bin/bash\napt-get install -y postgresql-client\n",
		"services/payments-api/appspec.yml":     "version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: start.sh\n",
		"services/payments-api/start.sh":        "#!/bin/bash\nsystemctl restart payments\n",
	})
	e := gathered(t, &inventory.Estate{Groups: []inventory.AutoScalingGroup{
		{Name: "orders-api-prod-asg", Account: "111111111111", Region: "eu-west-1"},
		{Name: "finance-batch", Account: "111111111111", Region: "eu-west-1", Tags: map[string]string{"app": "ledger-sync"}},
		// Named for nothing in the folders: its deployment group's application is.
		{Name: "pay-fleet-blue", Account: "111111111111", Region: "eu-west-1", Deployments: []inventory.Deployment{
			{Service: inventory.DeployCodeDeploy, Application: "payments-api", DeploymentGroup: "blue", Source: "iac:cd.tf:1:aws_codedeploy_deployment_group.blue"}}},
	}}, dir)
	orders, finance := "111111111111/eu-west-1/orders-api-prod-asg", "111111111111/eu-west-1/finance-batch"
	for _, c := range []struct{ path, workload, reason string }{
		{"deploy/orders-api/appspec.yml", orders, inventory.LinkNameMatch},
		{"deploy/orders-api/hooks/start", orders, inventory.LinkReference},
		{"deploy/ledger-sync/appspec.yml", finance, inventory.LinkTag},
		{"deploy/ledger-sync/hooks/configure.sh", finance, inventory.LinkReference},
		{"services/payments-api/appspec.yml", "111111111111/eu-west-1/pay-fleet-blue", inventory.LinkCodeDeploy},
		{"services/payments-api/start.sh", "111111111111/eu-west-1/pay-fleet-blue", inventory.LinkReference},
	} {
		if _, ok := linkOf(e, c.path, c.workload, c.reason); !ok {
			for _, s := range e.Scripts {
				t.Logf("%s (%s): %+v", s.Path, s.Kind, s.Links)
			}
			t.Errorf("%s not linked to %s by %s", c.path, c.workload, c.reason)
		}
	}
}

// User data that fetches a script and runs it: the run is a fact of the user data and a gap
// naming where the script comes from, unless the folders hold it, when it is read and
// linked like any file the user data names.
func TestUserDataRunsFetchedScript(t *testing.T) {
	dir := writeTree(t, map[string]string{"ops/provision-web.sh": "#!/bin/bash\napt-get install -y nginx\n"})
	ud := "#!/bin/bash\naws s3 cp s3://acme-artifacts/bootstrap/pricing.sh /opt/pricing.sh\nbash /opt/pricing.sh\n" +
		"aws s3 cp s3://acme-artifacts/scripts/provision-web.sh /opt/provision-web.sh\nbash /opt/provision-web.sh\n"
	e := gathered(t, &inventory.Estate{Groups: []inventory.AutoScalingGroup{
		{Name: "pricing-prod", Account: "111111111111", Region: "eu-west-1", Launch: inventory.LaunchSpec{UserData: ud, Source: "lt-pricing v2"}},
	}}, dir)
	var facts []string
	for _, s := range e.Scripts {
		if strings.HasPrefix(s.Path, "userdata:") {
			for _, f := range s.Facts {
				if f.Class == inventory.ClassFetchedScript {
					facts = append(facts, f.Detail())
				}
			}
		}
	}
	if want := []string{"runs /opt/pricing.sh, fetched from s3://acme-artifacts/bootstrap/pricing.sh"}; strings.Join(facts, "\n") != strings.Join(want, "\n") {
		t.Errorf("facts %q, want %q", facts, want)
	}
	gap := false
	for _, g := range e.Coverage {
		gap = gap || strings.Contains(g.Message, "fetched at boot from s3://acme-artifacts/bootstrap/pricing.sh")
	}
	if !gap {
		t.Errorf("no gap names the script fetched: %+v", e.Coverage)
	}
	if _, ok := linkOf(e, "ops/provision-web.sh", "111111111111/eu-west-1/pricing-prod", inventory.LinkUserDataNames); !ok {
		t.Errorf("the fetched script the folders hold is not linked")
	}
}

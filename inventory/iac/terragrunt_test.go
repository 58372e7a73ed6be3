package iac_test

import (
	"strings"
	"testing"

	"whyk8s/inventory"
)

// A terragrunt.hcl whose source is a folder in the tree deploys that module with its inputs;
// any other source is a gap at its line, never silence.
func TestTerragrunt(t *testing.T) {
	const module = `
variable "name" {}
variable "min_size" { default = 1 }
variable "max_size" { default = 1 }
variable "subnet" { default = "subnet-0default" }
resource "aws_autoscaling_group" "this" {
  name                = var.name
  min_size            = var.min_size
  max_size            = var.max_size
  vpc_zone_identifier = [var.subnet]
}
`
	const root = `
locals { team = "web" }
inputs = { min_size = 2 }
`
	type want struct {
		name     string
		min, max int
	}
	tests := []struct {
		name   string
		files  map[string]string
		groups []want
		gap    [3]string // kind, path, message part
		line   int
	}{
		{
			name: "local source with include, locals, read_terragrunt_config and inputs",
			files: map[string]string{
				"modules/app/main.tf": module,
				"live/root.hcl":       root,
				"live/prod/env.hcl":   `locals { environment = "prod" }`,
				"live/prod/app/terragrunt.hcl": `
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}
locals {
  env_vars = read_terragrunt_config(find_in_parent_folders("env.hcl"))
  env      = local.env_vars.locals.environment
}
terraform {
  source = "../../../modules//app"
}
inputs = {
  name     = "app-${local.env}-${include.root.locals.team}"
  max_size = 6
  subnet   = get_env("SUBNET_ID", "")
}
`},
			// The module is read through the unit only: not also alone, where var.name
			// has no value.
			groups: []want{{"app-prod-web", 2, 6}},
			gap:    [3]string{inventory.GapUnresolved, "modules/app/main.tf", "vpc_zone_identifier = [var.subnet]: get_env(): the environment is known only when Terragrunt runs"},
			line:   10,
		},
		{
			name: "two units deploy the same module, each its own group",
			files: map[string]string{
				"modules/app/main.tf":                        module,
				"live/stage/app/terragrunt.hcl":              "terraform {\n  source = \"${get_terragrunt_dir()}/../../../modules/app\"\n}\ninputs = { name = \"app-stage\" }\n",
				"live/prod/app/terragrunt.hcl":               "terraform {\n  source = \"../../../modules/app\"\n}\ninputs = { name = \"app-prod\", max_size = 4 }\n",
				"live/prod/app/terraform.tfvars":             "max_size = 5\n",
				"live/prod/app/README.terragrunt":            "not read",
				"live/stage/app/.terragrunt-cache/x/main.tf": module,
			},
			// tfvars beside the unit rank above its inputs.
			groups: []want{{"app-prod", 1, 5}, {"app-stage", 1, 1}},
		},
		{
			name: "remote source",
			files: map[string]string{"live/prod/app/terragrunt.hcl": `
terraform {
  source = "git::https://github.com/acme/infra-modules.git//asg?ref=v0.8.0"
}
inputs = { name = "app" }
`},
			gap:  [3]string{inventory.GapUnresolved, "live/prod/app/terragrunt.hcl", "Terragrunt module source git::https://github.com/acme/infra-modules.git//asg?ref=v0.8.0 is not local; not read"},
			line: 3,
		},
		{
			name: "source from an include that is not in the tree",
			files: map[string]string{"live/prod/app/terragrunt.hcl": `
include "envcommon" {
  path   = "${dirname(find_in_parent_folders("root.hcl", "x/root.hcl"))}/_envcommon/app.hcl"
  expose = true
}
terraform {
  source = "${include.envcommon.locals.base_source_url}?ref=v0.8.0"
}
`},
			gap:  [3]string{inventory.GapUnresolved, "live/prod/app/terragrunt.hcl", `Terragrunt module source = "${include.envcommon.locals.base_source_url}?ref=v0.8.0": include "envcommon" at live/prod/app/terragrunt.hcl:3 is not read; the module is not read`},
			line: 7,
		},
		{
			// Terragrunt evaluates an included file from the unit that includes it:
			// get_terragrunt_dir() there is the unit's folder.
			name: "an include reads a file beside the unit",
			files: map[string]string{
				"modules/app/main.tf":           module,
				"live/root.hcl":                 "inputs = jsondecode(file(\"${get_terragrunt_dir()}/settings.json\"))\n",
				"live/prod/app/settings.json":   `{"name": "from-json", "max_size": 7}`,
				"live/prod/app/terragrunt.hcl":  "include {\n  path = find_in_parent_folders(\"root.hcl\")\n}\nterraform {\n  source = \"../../../modules/app\"\n}\n",
				"live/stage/app/terragrunt.hcl": "include {\n  path = find_in_parent_folders(\"root.hcl\")\n}\nterraform {\n  source = \"../../../modules/app\"\n}\n",
			},
			// stage has no settings.json: its inputs are unknown, and so is every
			// variable they might set (its sizes are placeholders, listed as unknown).
			groups: []want{{"aws_autoscaling_group.this", 0, 0}, {"from-json", 1, 7}},
			gap:    [3]string{inventory.GapUnresolved, "modules/app/main.tf", "the inputs of live/root.hcl"},
			line:   7,
		},
		{
			name: "a unit without source runs the Terraform beside it with its inputs",
			files: map[string]string{
				"app/main.tf":        module,
				"app/terragrunt.hcl": `inputs = { name = "beside", max_size = 3 }`,
			},
			groups: []want{{"beside", 1, 3}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := readTree(t, writeTree(t, tc.files))
			var got []want
			for _, g := range est.Groups {
				got = append(got, want{g.Name, g.MinSize, g.MaxSize})
				if !strings.HasPrefix(g.ARN, "iac:live/") && !strings.HasPrefix(g.ARN, "iac:app") {
					t.Errorf("group %s has ARN %s, want it named by its unit", g.Name, g.ARN)
				}
			}
			if len(got) != len(tc.groups) {
				t.Fatalf("groups %+v, want %+v (coverage %+v)", got, tc.groups, est.Coverage)
			}
			for i := range got {
				if got[i] != tc.groups[i] {
					t.Errorf("group %+v, want %+v", got[i], tc.groups[i])
				}
			}
			if tc.gap[0] != "" {
				found := false
				for _, g := range est.Coverage {
					if g.Kind == tc.gap[0] && g.Path == tc.gap[1] && g.Line == tc.line && strings.Contains(g.Message, tc.gap[2]) {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s gap at %s:%d containing %q: %+v", tc.gap[0], tc.gap[1], tc.line, tc.gap[2], est.Coverage)
				}
			}
			for _, g := range est.Coverage {
				if strings.Contains(g.Message, "has no default or tfvars value") {
					t.Errorf("module read alone: %+v", g)
				}
			}
		})
	}
}

// Stacks generate units with values; a unit whose module source is the repository's own Git
// URL is read from the same folder of the tree, with a gap that says so.
func TestTerragruntStacks(t *testing.T) {
	const module = `
variable "name" {}
variable "min_size" { default = 1 }
variable "max_size" { default = 2 }
variable "boot" { default = "" }
variable "sg" { default = null }
resource "aws_launch_template" "lt" {
  name_prefix = "${var.name}-"
  image_id    = "ami-0feedfacecafe0001"
  user_data   = var.boot
}
resource "aws_autoscaling_group" "svc" {
  min_size = var.min_size
  max_size = var.max_size
  launch_template {
    id = aws_launch_template.lt.id
  }
  tag {
    key                 = "Name"
    value               = var.name
    propagate_at_launch = true
  }
}
`
	files := map[string]string{
		"catalog/modules/svc/main.tf": module,
		// A unit kept in the catalog: only a stack gives it values.
		"catalog/units/svc/terragrunt.hcl": `
include "root" {
  path = find_in_parent_folders("root.hcl")
}
terraform {
  source = "git::git@github.com:acme/infra-catalog.git//catalog/modules/svc?ref=${values.ref}"
}
dependency "net" {
  config_path = "../net"
  mock_outputs = { sg = "sg-mock" }
}
inputs = {
  name     = values.name
  min_size = values.min
  max_size = try(values.max, 3)
  sg       = dependency.net.outputs.sg
  boot     = base64encode(templatefile("${get_terragrunt_dir()}/boot.sh", { port = values.port }))
}
`,
		"catalog/units/svc/boot.sh": "#!/bin/bash\necho listening on ${port}\n",
		"catalog/stacks/svc/terragrunt.stack.hcl": `
unit "app" {
  source = "github.com/acme/infra-catalog//catalog/units/svc?ref=${values.ref}"
  path   = "app"
  values = {
    ref  = values.ref
    name = "${values.env}-app"
    min  = values.min
    port = 8080
  }
}
`,
		"live/root.hcl": `locals { org = "acme" }`,
		"live/terragrunt.stack.hcl": `
locals {
  ref = "v1.4.0"
}
stack "dev" {
  source = "../catalog/stacks/svc"
  path   = "dev"
  values = { ref = local.ref, env = "dev", min = 1 }
}
stack "prod" {
  source = "../catalog/stacks/svc"
  path   = "prod"
  values = { ref = local.ref, env = "prod", min = 3 }
}
`,
	}
	est := readTree(t, writeTree(t, files))
	type want struct {
		name     string
		min, max int
		boot     string
	}
	wants := map[string]want{
		"iac:live:stack.dev.unit.app:aws_autoscaling_group.svc@catalog/modules/svc/main.tf:":  {"dev-app", 1, 3, "echo listening on 8080"},
		"iac:live:stack.prod.unit.app:aws_autoscaling_group.svc@catalog/modules/svc/main.tf:": {"prod-app", 3, 3, "echo listening on 8080"},
	}
	if len(est.Groups) != len(wants) {
		t.Fatalf("%d groups, want %d: %+v\n%+v", len(est.Groups), len(wants), est.Groups, est.Coverage)
	}
	for _, g := range est.Groups {
		var w want
		found := false
		for prefix, ww := range wants {
			if strings.HasPrefix(g.ARN, prefix) {
				w, found = ww, true
			}
		}
		if !found {
			t.Errorf("group %s (%s) is not a unit of the live stack", g.Name, g.ARN)
			continue
		}
		if g.Name != w.name || g.MinSize != w.min || g.MaxSize != w.max || len(g.Unknown) > 0 {
			t.Errorf("group %s %d..%d unknown %v, want %s %d..%d", g.Name, g.MinSize, g.MaxSize, g.Unknown, w.name, w.min, w.max)
		}
		if !strings.Contains(g.Launch.UserData, w.boot) {
			t.Errorf("%s: user data %q, want the unit's template rendered with the stack's values", g.Name, g.Launch.UserData)
		}
	}
	for _, msg := range []string{
		"unit \"app\" source github.com/acme/infra-catalog//catalog/units/svc?ref=v1.4.0 is a remote address; read from catalog/units/svc",
		"Terragrunt module source git::git@github.com:acme/infra-catalog.git//catalog/modules/svc?ref=v1.4.0 is a remote address; read from catalog/modules/svc",
	} {
		found := false
		for _, g := range est.Coverage {
			found = found || strings.Contains(g.Message, msg)
		}
		if !found {
			t.Errorf("no gap saying %q: %+v", msg, est.Coverage)
		}
	}
	for _, g := range est.Coverage {
		if strings.Contains(g.Message, "values are given by") || strings.Contains(g.Message, "no root.hcl") {
			t.Errorf("a generated unit read alone, or from the wrong folder: %+v", g)
		}
	}
}

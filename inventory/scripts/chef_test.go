package scripts_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"whyk8s/inventory"
)

// A recipe the way teams write them: properties in blocks, lists in %w and brackets,
// names from node attributes, resources removed or left without an action, shell in
// execute and bash resources.
const storefrontRecipe = `#
# Cookbook:: storefront
# Recipe:: default
#
include_recipe 'storefront::users'

package %w(nginx git)
package 'postgresql-server' do
  action :install
end
package "#{node['storefront']['extra_package']}"
package 'sendmail' do
  action :remove
end

service 'nginx' do
  supports restart: true
  action [:enable, :start]
end
service 'postfix'

docker_container 'orders-api' do
  repo 'acme/orders-api'
  tag '1.4.2'
  port '8080:8080'
end

mount '/mnt/shared' do
  device 'fs-0a1b2c.efs.eu-west-1.amazonaws.com:/'
  fstype 'nfs4'
  options ['nfsvers=4.1', 'hard']
  action [:mount, :enable]
end

cron 'purge-carts' do
  minute '15'
  command '/opt/storefront/bin/purge'
end

sysctl 'vm.max_map_count' do
  value 262144
end

execute 'install cache' do
  command 'yum install -y redis'
  not_if 'rpm -q redis'
end

bash 'format data disk' do
  user 'root'
  code <<-EOH
    set -e
    mkfs.xfs /dev/nvme1n1
  EOH
end
`

// TestChefRecipeRead: what a recipe's resources say, each at its resource's line (a
// command at its own).
func TestChefRecipeRead(t *testing.T) {
	r := scanTree(t, map[string]string{"cookbooks/storefront/recipes/default.rb": storefrontRecipe})
	var got []string
	for _, s := range r.Scripts {
		if s.Path != "cookbooks/storefront/recipes/default.rb" {
			continue
		}
		if s.Kind != inventory.ScriptChefRecipe {
			t.Fatalf("read as %q, want %s", s.Kind, inventory.ScriptChefRecipe)
		}
		for _, f := range s.Facts {
			got = append(got, strconv.Itoa(f.Evidence.Line)+" "+f.Kind.String()+" "+f.Detail())
			if f.Kind == inventory.FactKernelTuning && (f.Key() != "vm.max_map_count" || f.Value() != "262144") {
				t.Errorf("sysctl %q = %q, want vm.max_map_count = 262144", f.Key(), f.Value())
			}
		}
	}
	for _, want := range []string{
		"7 web-server nginx", "7 package git", "8 database postgresql-server",
		"16 service nginx",
		"22 docker docker_container acme/orders-api",
		"28 nfs-mount /mnt/shared (nfs4 fs-0a1b2c.efs.eu-west-1.amazonaws.com:/)",
		"35 cron cron purge-carts",
		"40 kernel-tuning vm.max_map_count",
		"45 database redis",
		"53 data-volume mkfs.xfs /dev/nvme1n1",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("facts\n%s\nwant %q", strings.Join(got, "\n"), want)
		}
	}
	for _, g := range got {
		for _, never := range []string{"sendmail", "postfix", "extra_package", "node["} {
			if strings.Contains(g, never) {
				t.Errorf("fact %q: %s is removed, never started or not known", g, never)
			}
		}
	}
	gaps := strings.Join(gapsAbout(r, "cookbooks/storefront/recipes/default.rb"), "\n")
	if !strings.Contains(gaps, `include_recipe names "storefront/recipes/users.rb", which is not under the scanned folders`) {
		t.Errorf("gaps %q, want the included recipe that is not there", gaps)
	}
}

// TestChefRunListFollowed: a local Chef run's run list, on its command line or in the
// node's JSON, names the recipes applied; each is read as the host's, and one the folders
// do not hold is a gap.
func TestChefRunListFollowed(t *testing.T) {
	tests := []struct {
		name  string
		boot  string
		extra map[string]string
		refs  []string // boot.sh's references, then node.json's when there is one
		gap   string
	}{
		{
			name: "chef-solo -o with a recipe and a cookbook's default",
			boot: "#!/bin/bash\nchef-solo -c /etc/chef/solo.rb -o 'recipe[storefront::web],recipe[base]'\n",
			refs: []string{"chef/cookbooks/base/recipes/default.rb", "chef/cookbooks/storefront/recipes/web.rb"},
		},
		{
			name:  "chef-client -z -j node.json, the node naming a role not in the folders",
			boot:  "#!/bin/bash\nchef-client -z -c /etc/chef/client.rb -j /etc/chef/node.json\n",
			extra: map[string]string{"chef/node.json": "{\n  \"run_list\": [\n    \"recipe[storefront::web@2.1.0]\",\n    \"role[edge]\"\n  ]\n}\n"},
			refs:  []string{"chef/node.json", "chef/cookbooks/storefront/recipes/web.rb"},
			gap:   `run_list names "roles/edge.json" (or "roles/edge.rb"), which is not under the scanned folders`,
		},
		{
			name:  "the node naming a role written in Ruby",
			boot:  "#!/bin/bash\nchef-client -z -j /etc/chef/node.json\n",
			extra: map[string]string{"chef/node.json": `{"run_list": ["role[edge]"]}`, "chef/roles/edge.rb": "name 'edge'\nrun_list 'recipe[base]'\n"},
			refs:  []string{"chef/node.json", "chef/roles/edge.rb"},
		},
		{
			name: "a recipe the folders do not hold",
			boot: "#!/bin/bash\nchef-solo -o recipe[payments]\n",
			gap:  `chef-solo -o names "payments/recipes/default.rb", which is not under the scanned folders`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{
				"boot.sh": tt.boot,
				"chef/cookbooks/storefront/recipes/web.rb": "package 'nginx'\n",
				"chef/cookbooks/base/recipes/default.rb":   "package 'chrony'\n",
			}
			for k, v := range tt.extra {
				files[k] = v
			}
			r := scanTree(t, files)
			var refs []string
			for _, p := range []string{"boot.sh", "chef/node.json"} {
				for _, s := range r.Scripts {
					if s.Path == p {
						for _, ref := range s.References {
							refs = append(refs, ref.Path)
						}
					}
				}
			}
			if !slices.Equal(refs, tt.refs) {
				t.Errorf("references %q, want %q", refs, tt.refs)
			}
			var gaps []string
			for _, g := range r.Coverage {
				gaps = append(gaps, g.Message)
			}
			if all := strings.Join(gaps, "\n"); tt.gap != "" && !strings.Contains(all, tt.gap) || tt.gap == "" && all != "" {
				t.Errorf("gaps %q, want %q", all, tt.gap)
			}
		})
	}
}

// TestConfigManagementFiles: a file Chef, Puppet or Salt puts on the host says what its
// place says, from the content the code holds or from the cookbook's template, the module's
// file or the file server's, read as the file it becomes.
func TestConfigManagementFiles(t *testing.T) {
	r := scanTree(t, map[string]string{
		"cookbooks/app/recipes/default.rb": "template '/etc/fstab' do\n  source 'fstab.erb'\nend\n" +
			"file '/etc/sysctl.d/90-app.conf' do\n  content \"vm.max_map_count = 262144\\n\"\nend\n" +
			"file '/etc/cron.d/purge' do\n  content <<-EOH\n15 3 * * * root /opt/app/purge\n  EOH\nend\n",
		"cookbooks/app/templates/default/fstab.erb": "<%= @root %> / xfs defaults 0 1\nfs-0a1b.efs.eu-west-1.amazonaws.com:/ /mnt/shared nfs4 defaults 0 0\n",
		"modules/profile/manifests/init.pp":         "class profile {\n  file { '/etc/sysctl.d/80-net.conf':\n    source => 'puppet:///modules/profile/80-net.conf',\n  }\n}\n",
		"modules/profile/files/80-net.conf":         "net.core.somaxconn = 4096\n",
		"salt/app/init.sls": "/etc/fstab:\n  file.managed:\n    - contents: |\n        /dev/xvdf /data xfs defaults 0 2\n" +
			"/etc/cron.d/report:\n  file.managed:\n    - source: salt://app/files/report.cron\n",
		"salt/app/files/report.cron": "0 6 * * * root /opt/app/report\n",
	})
	got := map[string][]string{}
	for _, s := range r.Scripts {
		for _, f := range s.Facts {
			got[f.Evidence.File] = append(got[f.Evidence.File], strconv.Itoa(f.Evidence.Line)+" "+f.Kind.String()+" "+f.Detail())
		}
	}
	for file, want := range map[string]string{
		"cookbooks/app/templates/default/fstab.erb": "2 nfs-mount /mnt/shared (nfs4 fs-0a1b.efs.eu-west-1.amazonaws.com:/)",
		"cookbooks/app/recipes/default.rb":          "5 kernel-tuning vm.max_map_count",
		"modules/profile/files/80-net.conf":         "1 kernel-tuning net.core.somaxconn",
		"salt/app/init.sls":                         "4 data-volume /data (/dev/xvdf)",
	} {
		if !slices.Contains(got[file], want) {
			t.Errorf("%s: facts %q, want %q", file, got[file], want)
		}
	}
	for _, file := range []string{"cookbooks/app/recipes/default.rb", "salt/app/files/report.cron"} {
		cron := false
		for _, g := range got[file] {
			cron = cron || strings.Contains(g, " cron ")
		}
		if !cron {
			t.Errorf("%s: facts %q, want a cron job", file, got[file])
		}
	}
}

// TestChefRoleNamed: a role's JSON is named by its name field, so that a group named for the
// role is linked to it by name, and through its run list to its recipes.
func TestChefRoleNamed(t *testing.T) {
	r := scanTree(t, map[string]string{"chef/roles/sf.json": "{\"name\": \"storefront-web\", \"run_list\": [\"recipe[storefront]\"]}\n"})
	for _, s := range r.Scripts {
		if s.Path == "chef/roles/sf.json" && (s.Kind != inventory.ScriptChefRunList || s.Name != "storefront-web") {
			t.Errorf("%s: kind %q name %q, want a run list named storefront-web", s.Path, s.Kind, s.Name)
		}
	}
}

// TestChefRoleInRuby: a role written in Ruby, as most Chef repositories keep them, is read
// for its name and the run lists it applies, however the lists are written.
func TestChefRoleInRuby(t *testing.T) {
	r := scanTree(t, map[string]string{
		"chef/roles/web.rb": `# Role for the storefront web tier
name "storefront-web"
description 'Web tier: nginx in front of the app'
run_list(
  "recipe[base]",   # everyone gets it
  'recipe[storefront::web@2.1.0]',
  "role[monitoring]"
)
env_run_lists "production" => ["recipe[storefront::web]", "recipe[payments]"],
              "_default" => []
default_attributes(
  "nginx" => { "worker_processes" => 4, "recipe" => "recipe[not-a-run-list]" }
)
`,
		"chef/roles/batch.rb":                         "name('batch')\nrun_list %w(recipe[base] recipe[storefront::worker])\n",
		"chef/cookbooks/base/recipes/default.rb":      "package 'chrony'\n",
		"chef/cookbooks/storefront/recipes/web.rb":    "package 'nginx'\n",
		"chef/cookbooks/storefront/recipes/worker.rb": "package 'redis'\n",
		// Not a Chef role: a Ruby file an Ansible role ships.
		"ansible/roles/web/files/health.rb": "run_list 'recipe[nope]'\n",
	})
	got := map[string]string{}
	for _, s := range r.Scripts {
		var refs []string
		for _, ref := range s.References {
			refs = append(refs, fmt.Sprintf("%s:%d", ref.Path, ref.Evidence.Line))
		}
		got[s.Path] = fmt.Sprintf("%s %q %v", s.Kind, s.Name, refs)
	}
	want := map[string]string{
		"chef/roles/web.rb":   inventory.ScriptChefRunList + ` "storefront-web" [chef/cookbooks/base/recipes/default.rb:5 chef/cookbooks/storefront/recipes/web.rb:6 chef/cookbooks/storefront/recipes/web.rb:9]`,
		"chef/roles/batch.rb": inventory.ScriptChefRunList + ` "batch" [chef/cookbooks/base/recipes/default.rb:2 chef/cookbooks/storefront/recipes/worker.rb:2]`,
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: %s, want %s", p, got[p], w)
		}
	}
	if g, ok := got["ansible/roles/web/files/health.rb"]; ok && strings.Contains(g, inventory.ScriptChefRunList) {
		t.Errorf("a Ruby file of an Ansible role read as a Chef role: %s", g)
	}
	var gaps []string
	for _, g := range r.Coverage {
		gaps = append(gaps, fmt.Sprintf("%s:%d %s", g.Path, g.Line, g.Message))
	}
	for _, w := range []string{
		`chef/roles/web.rb:7 run_list names "roles/monitoring.json" (or "roles/monitoring.rb")`,
		`chef/roles/web.rb:9 env_run_lists names "payments/recipes/default.rb"`,
	} {
		if !strings.Contains(strings.Join(gaps, "\n"), w) {
			t.Errorf("gaps %q, want one starting %q", gaps, w)
		}
	}
	if all := strings.Join(gaps, "\n"); strings.Contains(all, "not-a-run-list") || strings.Contains(all, "production") || strings.Contains(all, "nope") {
		t.Errorf("gaps %q name what is no run list entry", gaps)
	}
}

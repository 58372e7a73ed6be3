package scripts_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"whyk8s/inventory"
)

// A profile class the way teams write them: titles in lists, attributes over lines and on
// one, resources removed, resource defaults, conditionals, names built from variables.
const webProfile = `# profile for the storefront web tier
class profile::web (
  String $version = '1.2.3',
) {
  package { ['nginx', 'git']:
    ensure => installed,
  }
  package { 'sendmail': ensure => absent }
  service { 'nginx':
    ensure  => running,
    enable  => true,
    require => Package['nginx'],
  }
  service { 'postfix': ensure => stopped }
  mount { '/mnt/media':
    ensure  => mounted,
    device  => 'fs-12345.efs.eu-west-1.amazonaws.com:/',
    fstype  => 'nfs4',
    options => 'nfsvers=4.1,hard',
  }
  cron { 'purge-cache':
    command => '/usr/local/bin/purge',
    hour    => 3,
  }
  exec { 'install-redis':
    command => '/usr/bin/yum install -y redis',
    unless  => '/bin/rpm -q redis',
  }
  docker::run { 'api':
    image => 'acme/orders-api:1.4',
    ports => ['8080:8080'],
  }
  sysctl { 'vm.max_map_count': value => '262144' }
  Package { allow_virtual => true }
  if $facts['os']['family'] == 'RedHat' {
    package { "${version}-tools": ensure => present }
  }
  /* package { 'commented-out': } */
}
`

// TestPuppetManifestRead: what a manifest's resources say, each at its title's line.
func TestPuppetManifestRead(t *testing.T) {
	r := scanTree(t, map[string]string{"modules/profile/manifests/web.pp": webProfile})
	var got []string
	for _, s := range r.Scripts {
		if s.Path != "modules/profile/manifests/web.pp" {
			continue
		}
		if s.Kind != inventory.ScriptPuppetManifest {
			t.Fatalf("read as %q, want %s", s.Kind, inventory.ScriptPuppetManifest)
		}
		for _, f := range s.Facts {
			got = append(got, strconv.Itoa(f.Evidence.Line)+" "+f.Kind.String()+" "+f.Detail())
		}
	}
	for _, want := range []string{
		"5 web-server nginx", "5 package git", "9 service nginx",
		"15 nfs-mount /mnt/media (nfs4 fs-12345.efs.eu-west-1.amazonaws.com:/)",
		"21 cron cron purge-cache", "26 database redis", "29 docker docker::run acme/orders-api:1.4",
		"33 kernel-tuning vm.max_map_count",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("facts\n%s\nwant %q", strings.Join(got, "\n"), want)
		}
	}
	for _, g := range got {
		for _, never := range []string{"sendmail", "postfix", "tools", "commented-out", "allow_virtual"} {
			if strings.Contains(g, never) {
				t.Errorf("fact %q: %s is removed, stopped, not known or not a resource", g, never)
			}
		}
	}
}

// TestPuppetApplyFollowed: puppet apply names the manifest by its path on the host, found
// in the folders by its name and its folder's; the classes a manifest includes are their
// modules' manifests, and a class not in the folders is a gap and, when its module is named
// for a server, a fact.
func TestPuppetApplyFollowed(t *testing.T) {
	r := scanTree(t, map[string]string{
		"ops/boot.sh": "#!/bin/bash\n/opt/puppetlabs/bin/puppet apply --modulepath=/etc/puppet/modules /etc/puppet/manifests/site.pp\n",
		"puppet/manifests/site.pp": "node default {\n  include profile::web\n  class { 'postgresql::server':\n    listen_addresses => '*',\n  }\n" +
			"  include ntp, postgresql::client\n}\n",
		"puppet/modules/profile/manifests/web.pp": "class profile::web {\n  package { 'nginx': ensure => installed }\n}\n",
		"other/site.pp": "package { 'mariadb-server': }\n",
	})
	refs := map[string][]string{}
	facts := map[string][]string{}
	for _, s := range r.Scripts {
		for _, ref := range s.References {
			refs[s.Path] = append(refs[s.Path], ref.Path)
		}
		for _, f := range s.Facts {
			facts[s.Path] = append(facts[s.Path], strconv.Itoa(f.Evidence.Line)+" "+f.Detail())
		}
	}
	if got := refs["ops/boot.sh"]; !slices.Equal(got, []string{"puppet/manifests/site.pp"}) {
		t.Errorf("boot.sh refers to %q, want the site manifest", got)
	}
	if got := refs["puppet/manifests/site.pp"]; !slices.Equal(got, []string{"puppet/modules/profile/manifests/web.pp"}) {
		t.Errorf("site.pp refers to %q, want the profile", got)
	}
	if got := facts["puppet/manifests/site.pp"]; !slices.Equal(got, []string{"3 postgresql (a Puppet class named for it, not read)"}) {
		t.Errorf("site.pp's facts %q: want the server class named, and neither ntp nor a client", got)
	}
	gaps := strings.Join(gapsAbout(r, "puppet/manifests/site.pp"), "\n")
	for _, want := range []string{`include postgresql::server names "postgresql/manifests/server.pp"`, `include ntp names "ntp/manifests/init.pp"`} {
		if !strings.Contains(gaps, want) {
			t.Errorf("gaps %q, want %q", gaps, want)
		}
	}
}

// TestPackerConfigManagementProvisioners: an image built by a chef-solo provisioner applies
// its run list's recipes, one built by puppet-masterless its manifest_file (a file or a
// folder); both are read as the image's, in HCL and in legacy JSON templates.
func TestPackerConfigManagementProvisioners(t *testing.T) {
	files := map[string]string{
		"packer/web.pkr.hcl": "source \"amazon-ebs\" \"web\" {\n  ami_name = \"web\"\n}\nbuild {\n  sources = [\"source.amazon-ebs.web\"]\n" +
			"  provisioner \"puppet-masterless\" {\n    manifest_file = \"manifests/site.pp\"\n  }\n" +
			"  provisioner \"chef-solo\" {\n    cookbook_paths = [\"cookbooks\"]\n    run_list       = [\"recipe[app::web]\", \"recipe[missing]\"]\n  }\n}\n",
		"packer/api.json": "{\n  \"builders\": [{\"type\": \"amazon-ebs\", \"ami_name\": \"api\"}],\n  \"provisioners\": [\n" +
			"    {\"type\": \"puppet-masterless\", \"manifest_file\": \"manifests\"},\n    {\"type\": \"chef-solo\", \"run_list\": [\"app::web\"]}\n  ]\n}\n",
		"packer/manifests/site.pp":            "package { 'nginx': }\n",
		"packer/manifests/extra.pp":           "package { 'git': }\n",
		"packer/cookbooks/app/recipes/web.rb": "package 'haproxy'\n",
	}
	r := scanTree(t, files)
	refs := map[string][]string{}
	for _, s := range r.Scripts {
		for _, ref := range s.References {
			refs[s.Path] = append(refs[s.Path], ref.Path)
		}
	}
	if got, want := refs["packer/web.pkr.hcl"], []string{"packer/cookbooks/app/recipes/web.rb", "packer/manifests/site.pp"}; !slices.Equal(got, want) {
		t.Errorf("web.pkr.hcl refers to %q, want %q", got, want)
	}
	if got, want := refs["packer/api.json"], []string{"packer/cookbooks/app/recipes/web.rb", "packer/manifests/extra.pp", "packer/manifests/site.pp"}; !slices.Equal(got, want) {
		t.Errorf("api.json refers to %q, want %q", got, want)
	}
	if gaps := strings.Join(gapsAbout(r, "packer/web.pkr.hcl"), "\n"); !strings.Contains(gaps, `chef-solo-provisioner names "missing/recipes/default.rb"`) {
		t.Errorf("gaps %q, want the recipe not in the folders", gaps)
	}
}

// TestHostSections: a site manifest's node definitions and a top file's targets are
// recorded as parts of the script, each named as written with the lines it spans, so that
// each kind of host is judged on its own.
func TestHostSections(t *testing.T) {
	r := scanTree(t, map[string]string{
		"puppet/manifests/site.pp": `# every node
package { 'chrony': ensure => installed }

node /^web\d+\.shop\.internal$/ {
  include role::web
}
node 'db01.shop.internal',
  "db02.shop.internal"
{
  include role::db
  class { 'postgresql::server': }
}
node default { }
$x = { 'node' => 1 }
`,
		"salt/top.sls": `base:
  '*':
    - common
  'web*':
    - nginx
    - app
  'db*':
    - postgres
prod:
  'G@role:web':
    - match: compound
    - nginx
`,
	})
	got := map[string][]inventory.HostSection{}
	for _, s := range r.Scripts {
		got[s.Path] = s.Hosts
	}
	want := map[string][]inventory.HostSection{
		"puppet/manifests/site.pp": {
			{Name: `/^web\d+\.shop\.internal$/`, FromLine: 4, ToLine: 6},
			{Name: `'db01.shop.internal', 'db02.shop.internal'`, FromLine: 7, ToLine: 12},
			{Name: "default", FromLine: 13, ToLine: 13},
		},
		"salt/top.sls": {
			{Name: "'web*'", FromLine: 4, ToLine: 6},
			{Name: "'db*'", FromLine: 7, ToLine: 8},
			{Name: "'G@role:web'", FromLine: 10, ToLine: 12},
		},
	}
	for p, w := range want {
		if !slices.Equal(got[p], w) {
			t.Errorf("%s: parts %+v, want %+v", p, got[p], w)
		}
	}
}

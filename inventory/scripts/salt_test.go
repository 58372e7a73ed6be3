package scripts_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"whyk8s/inventory"
)

// A state file the way teams write them: Jinja set and loops, both forms of a call, a
// package list with versions, removed packages, an include not in the folders.
const appStates = `{% set version = salt['pillar.get']('app:version', '1.0') %}
include:
  - app.db

app-packages:
  pkg.installed:
    - pkgs:
      - nginx
      - git: 2.43.0
old-mailer:
  pkg.removed:
    - name: sendmail
{% for disk in ['xvdf'] %}
/data:
  mount.mounted:
    - device: /dev/{{ disk }}
    - fstype: xfs
{% endfor %}
vm.max_map_count:
  sysctl.present:
    - value: 262144
install-cache:
  cmd.run:
    - name: yum install -y redis
    - unless: rpm -q redis
nginx:
  service:
    - running
    - enable: True
api:
  docker_container.running:
    - image: acme/orders-api:{{ version }}
`

// TestSaltStatesRead: what a state file's states say, each at its function's line.
func TestSaltStatesRead(t *testing.T) {
	r := scanTree(t, map[string]string{"salt/app/init.sls": appStates})
	var got []string
	for _, s := range r.Scripts {
		if s.Path != "salt/app/init.sls" {
			continue
		}
		if s.Kind != inventory.ScriptSaltState {
			t.Fatalf("read as %q, want %s", s.Kind, inventory.ScriptSaltState)
		}
		for _, f := range s.Facts {
			got = append(got, strconv.Itoa(f.Evidence.Line)+" "+f.Kind.String()+" "+f.Detail())
		}
	}
	for _, want := range []string{
		"6 web-server nginx", "6 package git", "15 data-volume /data (/dev/${disk})", "20 kernel-tuning vm.max_map_count",
		"23 database redis", "27 service nginx", "31 docker docker_container.running acme/orders-api:${version}",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("facts\n%s\nwant %q", strings.Join(got, "\n"), want)
		}
	}
	for _, g := range got {
		if strings.Contains(g, "sendmail") {
			t.Errorf("fact %q: a removed package", g)
		}
	}
	if gaps := strings.Join(gapsAbout(r, "salt/app/init.sls"), "\n"); !strings.Contains(gaps, `include names "app/db.sls"`) {
		t.Errorf("gaps %q, want the state file included and not there", gaps)
	}
}

// TestSaltCallFollowed: a masterless salt-call applies the states it names, or those the
// top file names; a state is NAME.sls or NAME/init.sls. A minion of a master is not
// followed: what the master serves is its own.
func TestSaltCallFollowed(t *testing.T) {
	states := map[string]string{
		"salt/top.sls":      "base:\n  '*':\n    - common\n  'web*':\n    - app\n",
		"salt/common.sls":   "chrony:\n  pkg.installed: []\n",
		"salt/app/init.sls": "nginx:\n  pkg.installed: []\n",
	}
	tests := []struct {
		boot string
		refs []string // the boot script's, then the top file's
	}{
		{"#!/bin/bash\nsalt-call --local state.apply\n", []string{"salt/top.sls", "salt/app/init.sls", "salt/common.sls"}},
		{"#!/bin/bash\nsalt-call --local state.apply app,common\n", []string{"salt/app/init.sls", "salt/common.sls", "salt/app/init.sls", "salt/common.sls"}},
		{"#!/bin/bash\nsalt-call state.apply app\n", []string{"salt/app/init.sls", "salt/common.sls"}},
	}
	for _, tt := range tests {
		files := map[string]string{"boot.sh": tt.boot}
		for k, v := range states {
			files[k] = v
		}
		r := scanTree(t, files)
		var refs []string
		for _, p := range []string{"boot.sh", "salt/top.sls"} {
			for _, s := range r.Scripts {
				if s.Path == p {
					for _, ref := range s.References {
						refs = append(refs, ref.Path)
					}
				}
			}
		}
		if !slices.Equal(refs, tt.refs) {
			t.Errorf("%q: references %q, want %q", tt.boot, refs, tt.refs)
		}
	}
}

// TestConfigManagementFilesThatDoNotParse: a state file or a run list that does not parse is
// a file that could not be read, named by what it is.
func TestConfigManagementFilesThatDoNotParse(t *testing.T) {
	r := scanTree(t, map[string]string{
		"salt/bad.sls":   "nginx:\n  pkg.installed:\n    - pkgs: [nginx\n",
		"chef/node.json": "{\"run_list\": [\"recipe[a]\"",
	})
	for p, want := range map[string]string{"salt/bad.sls": "not valid Salt state YAML", "chef/node.json": "not valid Chef run list JSON"} {
		if gaps := strings.Join(gapsAbout(r, p), "\n"); !strings.Contains(gaps, want) {
			t.Errorf("%s: gaps %q, want %q", p, gaps, want)
		}
	}
	if r.Stats.FilesFailed != 2 {
		t.Errorf("%d files failed, want 2", r.Stats.FilesFailed)
	}
}

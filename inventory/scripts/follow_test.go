package scripts_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

func scanTree(t *testing.T, files map[string]string) *scripts.Result {
	t.Helper()
	r, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir(writeTree(t, files))}, scripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// refsOf are a script's references as "path how".
func refsOf(s inventory.Script) map[string]string {
	out := map[string]string{}
	for _, r := range s.References {
		out[r.Path] = r.How
	}
	return out
}

func gapsAbout(r *scripts.Result, path string) []string {
	var out []string
	for _, g := range r.Coverage {
		if g.Path == path {
			out = append(out, g.Message)
		}
	}
	return out
}

// TestPackerRunsUploadedScripts: a file provisioner puts a folder or a file on the build
// instance and a later shell provisioner runs a script from it; the script read is the
// repository's file it was uploaded from, whatever it is called on the instance.
func TestPackerRunsUploadedScripts(t *testing.T) {
	const installDB = "#!/bin/bash\nset -e\napt-get install -y postgresql-14\nsystemctl enable postgresql\n"
	tests := []struct {
		name     string
		files    map[string]string
		template string
		want     []string // scripts the template references
		gap      string   // part of a problem reported on the template, or ""
	}{
		{
			name:     "a folder uploaded without a trailing slash lands inside the destination",
			template: "packer/db.pkr.hcl",
			files: map[string]string{
				"packer/db.pkr.hcl": `source "amazon-ebs" "db" {
  ami_name = "db-{{timestamp}}"
}
build {
  sources = ["source.amazon-ebs.db"]
  provisioner "file" {
    source      = "scripts"
    destination = "/tmp"
  }
  provisioner "shell" {
    inline = [
      "chmod +x /tmp/scripts/*.sh",
      "sudo bash /tmp/scripts/install-db.sh",
    ]
  }
}
`,
				"packer/scripts/install-db.sh": installDB,
				// Another script of the same name: the path alone cannot tell them apart.
				"legacy/scripts/install-db.sh": "apt-get install -y mysql-server\n",
			},
			want: []string{"packer/scripts/install-db.sh"},
		},
		{
			name:     "a folder's contents uploaded (trailing slash), a script with no extension run by sh",
			template: "images/api.json",
			files: map[string]string{
				"images/api.json": `{
  "variables": {"remote": "/opt/provision"},
  "builders": [{"type": "amazon-ebs", "ami_name": "api-{{timestamp}}"}],
  "provisioners": [
    {"type": "file", "source": "files/", "destination": "{{user ` + "`remote`" + `}}"},
    {"type": "shell", "inline": ["sudo -E sh {{user ` + "`remote`" + `}}/setup"]}
  ]
}`,
				"images/files/setup": "apt-get update\napt-get install -y redis-server\n",
			},
			want: []string{"images/files/setup"},
		},
		{
			name:     "one file uploaded under another name",
			template: "build.pkr.hcl",
			files: map[string]string{
				"build.pkr.hcl": `build {
  sources = ["source.amazon-ebs.base"]
  provisioner "file" {
    source      = "${path.root}/bootstrap/db.sh"
    destination = "/home/ubuntu/db-setup.sh"
  }
  provisioner "shell" {
    execute_command = "sudo -S sh -c '{{ .Vars }} {{ .Path }}'"
    inline          = ["sudo /home/ubuntu/db-setup.sh --with-replica"]
  }
}
`,
				"bootstrap/db.sh": installDB,
			},
			want: []string{"bootstrap/db.sh"},
		},
		{
			name:     "run after cd into the uploaded folder",
			template: "packer/cache.pkr.hcl",
			files: map[string]string{
				"packer/cache.pkr.hcl": `build {
  sources = ["source.amazon-ebs.cache"]
  provisioner "file" {
    source      = "provision/"
    destination = "/tmp/provision"
  }
  provisioner "shell" {
    inline = ["cd /tmp/provision && sudo ./install-cache.sh"]
  }
}
`,
				"packer/provision/install-cache.sh": "yum install -y memcached\n",
				"old/install-cache.sh":              "yum install -y redis\n",
			},
			want: []string{"packer/provision/install-cache.sh"},
		},
		{
			name:     "an uploaded script missing from the repository is a problem, named by both paths",
			template: "packer/web.pkr.hcl",
			files: map[string]string{
				"packer/web.pkr.hcl": `build {
  sources = ["source.amazon-ebs.web"]
  provisioner "file" {
    source      = "assets"
    destination = "/var/tmp"
  }
  provisioner "shell" {
    inline = ["sudo bash /var/tmp/assets/install-web.sh"]
  }
}
`,
				"packer/assets/index.html": "<html></html>\n",
			},
			gap: `runs-script names "/var/tmp/assets/install-web.sh", uploaded from "assets/install-web.sh", which is not under the scanned folders: not read`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scanTree(t, tt.files)
			refs := refsOf(script(t, r, tt.template))
			for _, w := range tt.want {
				if _, ok := refs[w]; !ok {
					t.Errorf("%s does not reference %s: %v", tt.template, w, refs)
				}
				if s := script(t, r, w); len(s.Facts) == 0 || s.Kind != inventory.ScriptShell {
					t.Errorf("%s read as %q with facts %+v", w, s.Kind, s.Facts)
				}
			}
			for p, how := range refs {
				if how == "runs-script" && !slices.Contains(tt.want, p) {
					t.Errorf("%s runs %s, which is not what was uploaded", tt.template, p)
				}
			}
			gaps := strings.Join(gapsAbout(r, tt.template), "\n")
			if tt.gap != "" && !strings.Contains(gaps, tt.gap) {
				t.Errorf("problems %q, want %q", gaps, tt.gap)
			}
			if tt.gap == "" && gaps != "" {
				t.Errorf("unexpected problems %q", gaps)
			}
		})
	}
}

// TestAnsibleFindsRoles: a role is found by name wherever Ansible would find it, and only
// the files it runs are pulled in.
func TestAnsibleFindsRoles(t *testing.T) {
	const tasks = "- name: install\n  package: name=curl\n"
	tests := []struct {
		name   string
		files  map[string]string
		from   string
		want   []string
		notWnt []string
	}{
		{
			name: "roles beside the playbook",
			from: "playbooks/site.yml",
			files: map[string]string{
				"playbooks/site.yml":                 "- hosts: web\n  roles:\n    - web\n",
				"playbooks/roles/web/tasks/main.yml": tasks,
				"other/roles/web/tasks/main.yml":     tasks,
			},
			want:   []string{"playbooks/roles/web/tasks/main.yml"},
			notWnt: []string{"other/roles/web/tasks/main.yml"},
		},
		{
			name: "roles_path of the ansible.cfg beside the playbooks",
			from: "ansible/site.yml",
			files: map[string]string{
				"ansible/ansible.cfg":                     "[defaults]\ninventory = inventory/hosts\n; local roles first\nroles_path = ./vendor/roles:./shared-roles:/etc/ansible/roles\n",
				"ansible/site.yml":                        "- hosts: all\n  roles:\n    - role: app\n      vars: {port: 8080}\n",
				"ansible/shared-roles/app/tasks/main.yml": tasks,
				"legacy/roles/app/tasks/main.yml":         tasks,
			},
			want:   []string{"ansible/shared-roles/app/tasks/main.yml"},
			notWnt: []string{"legacy/roles/app/tasks/main.yml"},
		},
		{
			name: "include_role with tasks_from runs that file, not main",
			from: "deploy.yml",
			files: map[string]string{
				"deploy.yml": `- hosts: db
  tasks:
    - name: only the install part
      ansible.builtin.include_role:
        name: postgres
        tasks_from: install
`,
				"roles/postgres/tasks/main.yml":     tasks,
				"roles/postgres/tasks/install.yml":  "- apt: name=postgresql-15\n",
				"roles/postgres/defaults/main.yml":  "pg_port: 5432\n",
				"roles/postgres/handlers/main.yml":  "- name: restart\n  service: name=postgresql state=restarted\n",
				"roles/postgres/tasks/replica.yml":  tasks,
				"roles/postgres/templates/pg.conf":  "port = {{ pg_port }}\n",
				"roles/postgres/meta/main.yml":      "dependencies: []\n",
				"roles/postgres/vars/main.yml":      "pg_version: 15\n",
				"roles/postgres/vars/RedHat.yml":    "pg_version: 13\n",
				"roles/postgres/files/pg_hba.conf":  "local all all peer\n",
				"roles/postgres/tasks/Debian.yml":   tasks,
				"roles/postgres/tasks/upgrade.yaml": tasks,
			},
			want:   []string{"roles/postgres/tasks/install.yml", "roles/postgres/defaults/main.yml", "roles/postgres/handlers/main.yml"},
			notWnt: []string{"roles/postgres/tasks/main.yml", "roles/postgres/tasks/replica.yml"},
		},
		{
			name: "a role's meta dependencies",
			from: "roles/web/meta/main.yml",
			files: map[string]string{
				"roles/web/meta/main.yml":         "galaxy_info:\n  author: ops\ndependencies:\n  - role: common\n  - { role: monitoring, when: monitored }\n",
				"roles/web/tasks/main.yml":        tasks,
				"roles/common/tasks/main.yml":     tasks,
				"roles/monitoring/tasks/main.yml": tasks,
			},
			want: []string{"roles/common/tasks/main.yml", "roles/monitoring/tasks/main.yml"},
		},
		{
			name: "a collection's role by its full name",
			from: "site.yml",
			files: map[string]string{
				"site.yml": "- hosts: edge\n  roles:\n    - acme.platform.nginx\n",
				"collections/ansible_collections/acme/platform/roles/nginx/tasks/main.yml": tasks,
				"collections/ansible_collections/other/web/roles/nginx/tasks/main.yml":     tasks,
			},
			want:   []string{"collections/ansible_collections/acme/platform/roles/nginx/tasks/main.yml"},
			notWnt: []string{"collections/ansible_collections/other/web/roles/nginx/tasks/main.yml"},
		},
		{
			name: "include_tasks in a role, import_tasks from a playbook, include_vars by OS family",
			from: "roles/app/tasks/main.yml",
			files: map[string]string{
				"roles/app/tasks/main.yml": `- include_tasks: install.yml
- include_vars: "{{ ansible_os_family }}.yml"
- ansible.builtin.import_tasks:
    file: sub/config.yml
`,
				"roles/app/tasks/install.yml":    tasks,
				"roles/app/tasks/sub/config.yml": tasks,
				"roles/app/vars/Debian.yml":      "app_pkg: app\n",
				"roles/app/vars/RedHat.yml":      "app_pkg: app\n",
				"install.yml":                    tasks,
			},
			want: []string{"roles/app/tasks/install.yml", "roles/app/tasks/sub/config.yml", "roles/app/vars/Debian.yml", "roles/app/vars/RedHat.yml"},
		},
		{
			name: "roles a Packer provisioner uploads with the playbook",
			from: "packer/app.pkr.hcl",
			files: map[string]string{
				"packer/app.pkr.hcl": `build {
  sources = ["source.amazon-ebs.app"]
  provisioner "ansible-local" {
    playbook_file = "../ansible/app.yml"
    role_paths    = ["../ansible/roles/app"]
  }
}
`,
				"ansible/app.yml":                  "- hosts: all\n  roles: [app]\n",
				"ansible/roles/app/tasks/main.yml": tasks,
			},
			want: []string{"ansible/app.yml", "ansible/roles/app/tasks/main.yml"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scanTree(t, tt.files)
			refs := refsOf(script(t, r, tt.from))
			for _, w := range tt.want {
				if _, ok := refs[w]; !ok {
					t.Errorf("%s does not pull in %s: %v", tt.from, w, refs)
				}
			}
			for _, n := range tt.notWnt {
				if _, ok := refs[n]; ok {
					t.Errorf("%s pulls in %s, which it does not run", tt.from, n)
				}
			}
			if gaps := gapsAbout(r, tt.from); len(gaps) > 0 {
				t.Errorf("problems %q", gaps)
			}
		})
	}
}

// factRows are a script's facts as "file:line kind detail".
func factRows(s inventory.Script) []string {
	var out []string
	for _, f := range s.Facts {
		out = append(out, f.Evidence.File+":"+strconv.Itoa(f.Evidence.Line)+" "+f.Kind.String()+" "+f.Detail())
	}
	return out
}

// TestAnsibleReadsWhatRuns: what a playbook puts on the host, read through the constructs
// real roles use — facts set on the way, variables whose values are elsewhere, network
// file systems however they are mounted, templates installed as system files.
func TestAnsibleReadsWhatRuns(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		script string
		want   []string
		notWnt []string
	}{
		{
			name:   "set_fact gives the later tasks their value",
			script: "roles/cache/tasks/main.yml",
			files: map[string]string{"roles/cache/tasks/main.yml": `- name: pick the daemon
  set_fact:
    cache_daemon: redis-server
- name: start it
  service: name={{ cache_daemon }} state=started enabled=yes
`},
			want: []string{"roles/cache/tasks/main.yml:3 database redis-server", "roles/cache/tasks/main.yml:3 service redis-server"},
		},
		{
			name:   "a package variable defined nowhere in the scan is named after what it installs",
			script: "tasks/main.yml",
			files: map[string]string{
				"tasks/main.yml": `- name: Install the search engine
  ansible.builtin.package:
    name: "{{ opensearch_package }}"
    state: present
- name: Install the broker
  yum:
    name: "{{ rabbitmq_server_packages | product(['-3.12']) | map('join') | list }}"
- name: Something of our own
  apt:
    name: "{{ app_packages }}"
`,
				"meta/main.yml": "galaxy_info: {role_name: search}\n",
			},
			want:   []string{"tasks/main.yml:2 database opensearch", "tasks/main.yml:6 database rabbitmq-server"},
			notWnt: []string{"tasks/main.yml:9"},
		},
		{
			name:   "a variable defined with a value no reader can render stays unknown",
			script: "roles/web/tasks/main.yml",
			files: map[string]string{
				"roles/web/tasks/main.yml":    "- service: name={{ nginx_service }} state=started\n",
				"roles/web/defaults/main.yml": "nginx_service: \"{{ 'nginx' if use_nginx else 'apache2' }}\"\n",
			},
			notWnt: []string{"roles/web/tasks/main.yml:1"},
		},
		{
			name:   "GlusterFS, CIFS and EFS mounts, and the EFS client",
			script: "roles/shares/tasks/main.yml",
			files: map[string]string{"roles/shares/tasks/main.yml": `- name: efs helper
  ansible.builtin.package:
    name: amazon-efs-utils
- name: gluster volume
  ansible.posix.mount:
    src: "gluster1.internal:/gv0"
    path: /srv/gv0
    fstype: glusterfs
    state: mounted
- name: windows share
  mount: src=//files.corp/scans path=/mnt/scans fstype=cifs opts=credentials=/root/.smb state=mounted
- name: efs by id
  ansible.posix.mount:
    src: "fs-0123abcd:/"
    path: /mnt/efs
    fstype: efs
    opts: tls,_netdev
    state: mounted
`},
			want: []string{
				"roles/shares/tasks/main.yml:3 nfs-mount amazon-efs-utils (network file system client)",
				"roles/shares/tasks/main.yml:5 nfs-mount /srv/gv0 (glusterfs gluster1.internal:/gv0)",
				"roles/shares/tasks/main.yml:11 nfs-mount /mnt/scans (cifs //files.corp/scans)",
				"roles/shares/tasks/main.yml:13 nfs-mount /mnt/efs (efs fs-0123abcd:/)",
			},
		},
		{
			name:   "fstab written by lineinfile and blockinfile",
			script: "site.yml",
			files: map[string]string{"site.yml": `- hosts: app
  tasks:
    - lineinfile:
        path: /etc/fstab
        line: "{{ efs_id }}.efs.eu-west-1.amazonaws.com:/ /var/www/media nfs4 nfsvers=4.1,_netdev 0 0"
    - ansible.builtin.blockinfile:
        path: /etc/fstab
        block: |
          nas01:/exports/reports  /mnt/reports  nfs  defaults,_netdev  0 0
          //fs01/scans  /mnt/scans  cifs  credentials=/etc/smb.cred  0 0
`},
			want: []string{
				"site.yml:5 nfs-mount /var/www/media (nfs4 {{efs_id}}.efs.eu-west-1.amazonaws.com:/)",
				"site.yml:9 nfs-mount /mnt/reports (nfs nas01:/exports/reports)",
				"site.yml:10 nfs-mount /mnt/scans (cifs //fs01/scans)",
			},
		},
		{
			name:   "an fstab template installed by a task is read as the host's fstab",
			script: "roles/storage/templates/mounts.j2",
			files: map[string]string{
				"roles/storage/tasks/main.yml": "- name: mounts\n  template: src=mounts.j2 dest=/etc/fstab owner=root mode=0644\n",
				"roles/storage/templates/mounts.j2": `# managed by ansible
LABEL=cloudimg-rootfs / ext4 defaults 0 1
{% for m in shared_mounts %}
{{ m.server }}:{{ m.export }} {{ m.path }} nfs4 nfsvers=4.1 0 0
{% endfor %}
`,
			},
			want: []string{"roles/storage/templates/mounts.j2:4 nfs-mount {{m.path}} (nfs4 {{m.server}}:{{m.export}})"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scanTree(t, tt.files)
			var rows []string
			for _, s := range r.Scripts {
				rows = append(rows, factRows(s)...)
			}
			_ = script(t, r, tt.script)
			for _, w := range tt.want {
				if !slices.Contains(rows, w) {
					t.Errorf("no fact %q in:\n%s", w, strings.Join(rows, "\n"))
				}
			}
			for _, n := range tt.notWnt {
				for _, row := range rows {
					if strings.HasPrefix(row, n+" ") {
						t.Errorf("fact %q: nothing should be known there", row)
					}
				}
			}
			if len(r.Coverage) > 0 {
				t.Errorf("problems %+v", r.Coverage)
			}
		})
	}
}

// TestJinjaTemplatesAreRead: shell and cloud-config that Ansible renders are read with
// their Jinja as placeholders, never reported as broken; a playbook that does not parse is
// reported with its reason wherever it is kept.
func TestJinjaTemplatesAreRead(t *testing.T) {
	r := scanTree(t, map[string]string{
		"roles/app/tasks/main.yml": "- template: src=bootstrap.sh dest=/usr/local/bin/bootstrap.sh mode=0755\n",
		"roles/app/templates/bootstrap.sh": `#!/bin/bash
{% if use_proxy %}
export https_proxy={{ proxy_url }}
{% endif %}
apt-get install -y {{ extra_packages | join(' ') }} nginx
systemctl enable --now {{ app_name }}
`,
		"roles/app/templates/cloud-init.yml": `#cloud-config
packages:
{% for p in base_packages %}
  - {{ p }}
{% endfor %}
  - memcached
runcmd:
  - [ systemctl, enable, {{ app_name }} ]
`,
		"deploy/upgrade.yml": "- hosts: all\n  become: true\n  tasks:\n    - name: upgrade\n      apt: upgrade=dist\n   - name: misaligned\n",
	})
	for p, want := range map[string]string{
		"roles/app/templates/bootstrap.sh":   "roles/app/templates/bootstrap.sh:5 web-server nginx",
		"roles/app/templates/cloud-init.yml": "roles/app/templates/cloud-init.yml:6 database memcached",
	} {
		if rows := factRows(script(t, r, p)); !slices.Contains(rows, want) {
			t.Errorf("%s: no %q in %q", p, want, rows)
		}
		if gaps := gapsAbout(r, p); len(gaps) > 0 {
			t.Errorf("%s reported as a problem: %q", p, gaps)
		}
	}
	if gaps := gapsAbout(r, "deploy/upgrade.yml"); len(gaps) != 1 || !strings.Contains(gaps[0], "not valid Ansible YAML") {
		t.Errorf("a playbook that does not parse: problems %q", gaps)
	}
}

// TestMirroredHostFolders: a folder laid out like the host's file system (root/etc/…,
// files/etc/…), uploaded or copied as it is, puts each file where its path says: a cron
// script is a scheduled job, an fstab mounts what it lists.
func TestMirroredHostFolders(t *testing.T) {
	r := scanTree(t, map[string]string{
		"packer/base/root/etc/cron.hourly/logrotate": "#!/bin/sh\nexec logrotate /etc/logrotate.conf\n",
		"images/files/etc/fstab":                     "UUID=1 / ext4 defaults 0 1\nfs-0abc.efs.us-east-1.amazonaws.com:/ /mnt/shared nfs4 nfsvers=4.1 0 0\n",
		"images/files/etc/nginx/nginx.conf":          "worker_processes auto;\n",
	})
	for p, want := range map[string]string{
		"packer/base/root/etc/cron.hourly/logrotate": "packer/base/root/etc/cron.hourly/logrotate:1 cron /etc/cron.hourly/logrotate",
		"images/files/etc/fstab":                     "images/files/etc/fstab:2 nfs-mount /mnt/shared (nfs4 fs-0abc.efs.us-east-1.amazonaws.com:/)",
	} {
		if rows := factRows(script(t, r, p)); !slices.Contains(rows, want) {
			t.Errorf("%s: no %q in %q", p, want, rows)
		}
	}
	if len(r.Coverage) > 0 {
		t.Errorf("problems %+v", r.Coverage)
	}
}

// A role from Galaxy that is not in the folders read is named in a gap, and what its name
// says it installs is a fact at the line that runs it; a role that is read speaks through
// its tasks alone, whatever its name.
func TestRoleNotReadIsReadByItsName(t *testing.T) {
	r := scanTree(t, map[string]string{
		"playbooks/db.yml": `---
- hosts: db
  become: yes
  roles:
    - geerlingguy.mysql          # pinned in requirements.yml
    - role: redis
      tags: [cache]
  tasks:
    - include_role:
        name: cloudalchemy.node_exporter
`,
		"playbooks/roles/redis/tasks/main.yml": "- name: client only\n  apt: name=redis-tools state=present\n",
	})
	var got []string
	for _, s := range r.Scripts {
		if s.Path != "playbooks/db.yml" {
			continue
		}
		for _, f := range s.Facts {
			got = append(got, strconv.Itoa(f.Evidence.Line)+" "+f.Kind.String()+" "+f.Detail())
		}
	}
	want := []string{
		"5 database mysql (an Ansible role named for it, not read)",
		"9 observability node_exporter (an Ansible role named for it, not read)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("facts of the playbook:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if g := gapsAbout(r, "playbooks/db.yml"); len(g) != 2 {
		t.Errorf("gaps %q, want the two roles not read", g)
	}
}

// The Compose file a boot script runs with docker compose -f is read as the containers the
// host runs, wherever the host keeps the repository: the script refers to it.
func TestComposeFileFollowed(t *testing.T) {
	r := scanTree(t, map[string]string{
		"boot.sh": "#!/bin/bash\ngit clone https://git.example.com/acme/shop-deploy.git /opt/shop\n" +
			"docker compose -f /opt/shop/deploy/docker-compose.yml --project-name shop up -d\n",
		"deploy/docker-compose.yml": "services:\n  web:\n    image: acme/shop:1.4.2\n  db:\n    image: postgres:15\n",
	})
	for _, s := range r.Scripts {
		if s.Path == "boot.sh" {
			if how := refsOf(s)["deploy/docker-compose.yml"]; how != "compose-file" {
				t.Errorf("boot.sh refers to %v, want the Compose file it runs", refsOf(s))
			}
		}
		if s.Path == "deploy/docker-compose.yml" && s.Kind != inventory.ScriptCompose {
			t.Errorf("%s read as %s", s.Path, s.Kind)
		}
	}
}

package scripts_test

import (
	"context"
	"slices"
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

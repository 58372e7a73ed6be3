package scripts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fuzz targets, one per reader. Seeds are the fixture files; every target checks what must
// hold for any input: no panic, evidence lines inside the text, excerpts short, no value
// of a redacted secret left in the text readers see.

func seedFiles(f *testing.F, exts ...string) {
	f.Helper()
	filepath.WalkDir("testdata/repo", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		for _, e := range exts {
			if strings.HasSuffix(p, e) {
				if b, err := os.ReadFile(p); err == nil {
					f.Add(b)
				}
			}
		}
		return nil
	})
}

// checkRead reads data as a file named name and checks the invariants of the result.
func checkRead(t *testing.T, name string, data []byte) {
	res, gaps, _ := readFile(name, data, 1<<20, "", true)
	text, _ := decodeText(data, 1<<20)
	lines := strings.Count(string(text), "\n") + 1
	for _, g := range gaps {
		if g.Line < 0 || g.Line > lines+1 || g.Message == "" {
			t.Fatalf("gap %+v outside a %d-line text", g, lines)
		}
	}
	if res == nil {
		return
	}
	for _, fa := range res.script.Facts {
		if fa.Evidence.File == name && (fa.Evidence.Line < 1 || fa.Evidence.Line > lines) {
			t.Fatalf("fact %+v outside a %d-line text", fa, lines)
		}
		if len(fa.Evidence.Excerpt) > maxExcerpt+len("…") || fa.Kind == 0 {
			t.Fatalf("fact %+v", fa)
		}
	}
}

func FuzzShell(f *testing.F) {
	seedFiles(f, ".sh", ".tpl", "harden")
	hostileSeeds(f, "shell")
	f.Add([]byte("#!/bin/bash\ncat <<EOF > /etc/fstab\n/dev/xvdf /data xfs defaults 0 0\nEOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, "x.sh", data) })
}

func FuzzAnsible(f *testing.F) {
	seedFiles(f, ".yml")
	hostileSeeds(f, "yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, "roles/r/tasks/main.yml", data)
		checkRead(t, "playbooks/site.yml", data)
	})
}

func FuzzCloudConfig(f *testing.F) {
	seedFiles(f, "cloud-init.yaml")
	hostileSeeds(f, "yaml")
	f.Add([]byte("#cloud-config\nruncmd:\n  - [sh, -c, 'echo x']\nwrite_files:\n  - path: /etc/x\n    encoding: gz+b64\n    content: H4sI\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, "user-data", append([]byte("#cloud-config\n"), data...)) })
}

// FuzzAppSpec reads CodeDeploy AppSpec files: hooks whose locations are references,
// written with slashes, backslashes or none.
func FuzzAppSpec(f *testing.F) {
	hostileSeeds(f, "yaml")
	f.Add([]byte("version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /opt/app\nhooks:\n  BeforeInstall:\n    - location: scripts/install_deps.sh\n      timeout: 300\n      runas: root\n  ApplicationStart:\n    - location: /scripts/start\n"))
	f.Add([]byte("version: 0.0\nos: windows\nhooks:\n  AfterInstall:\n    - location: .\\scripts\\configure.ps1\n"))
	f.Add([]byte("version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, "orders-api/appspec.yml", data)
		checkRead(t, "appspec-prod.yaml", data)
	})
}

// FuzzChefRecipe reads Chef recipes: resources, blocks, heredocs and lists, written any way.
func FuzzChefRecipe(f *testing.F) {
	f.Add([]byte("package %w(nginx git)\nservice 'nginx' do\n  action [:enable, :start]\nend\nbash 'x' do\n  code <<-EOH\n    mkfs.xfs /dev/xvdf\n  EOH\nend\n"))
	f.Add([]byte("execute 'yum install -y redis'\nmount '/data' do\n  device 'h:/e'\n  fstype 'nfs'\nend\ninclude_recipe 'a::b'\n"))
	f.Add([]byte("sysctl 'vm.swappiness' do\n  value 1\nend\ndocker_container 'x' do\n  repo 'postgres'\nend\nbash 'unclosed' do\n  code <<~EOF\n"))
	f.Add([]byte("name 'web'\nrun_list(\n  'recipe[a::b@1.0]', # c\n  \"role[x]\"\n)\nenv_run_lists 'prod' => %w(recipe[a] recipe[b]),\n  '_default' => []\n"))
	f.Add([]byte("run_list \"recipe[a]\", \\\n  'recipe[\\'b]\nname(%w(a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, "cookbooks/app/recipes/default.rb", data)
		checkRead(t, "chef/roles/web.rb", data) // a role in Ruby
	})
}

// FuzzPuppetManifest reads Puppet manifests: resources, titles, attributes, classes.
func FuzzPuppetManifest(f *testing.F) {
	f.Add([]byte("class profile::web {\n  package { ['nginx', 'git']: ensure => installed }\n  service { 'nginx': ensure => running; 'x': enable => true }\n  include ntp, postgresql::server\n}\n"))
	f.Add([]byte("node default {\n  mount { '/m': device => 'h:/e', fstype => 'nfs' }\n  exec { 'yum install -y redis': }\n  docker::run { 'a': image => \"${img}\" }\n  /* x */ # y\n  class { 'a::b': x => { 'k' => [1, 2] } }\n"))
	f.Add([]byte("package { 'a': \n  ensure => 'absent',\n}\nif $x { sysctl { 'vm.swappiness': value => '1' } } else { include('c') }\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, "modules/app/manifests/init.pp", data) })
}

// FuzzSaltStates reads Salt state files, and top files, Jinja and all.
func FuzzSaltStates(f *testing.F) {
	hostileSeeds(f, "yaml")
	f.Add([]byte("include:\n  - app.db\nnginx:\n  pkg.installed:\n    - pkgs: [nginx, {git: 2.4}]\n  service:\n    - running\n{% for d in x %}\n/data:\n  mount.mounted:\n    - device: {{ d }}\n{% endfor %}\n"))
	f.Add([]byte("x:\n  cmd.run:\n    - name: yum install -y redis\ny:\n  cmd.script:\n    - source: salt://app/setup.sh\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, "salt/app/init.sls", data)
		checkRead(t, "salt/top.sls", data)
	})
}

func FuzzPackerHCL(f *testing.F) {
	seedFiles(f, ".pkr.hcl")
	hostileSeeds(f, "hcl")
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, "t.pkr.hcl", data) })
}

func FuzzPackerJSON(f *testing.F) {
	seedFiles(f, ".json")
	hostileSeeds(f, "json")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, "t.json", data)
		checkRead(t, "t.pkr.json", data)
	})
}

func FuzzUserData(f *testing.F) {
	seedFiles(f, ".txt", ".tpl", ".yaml", ".ps1")
	// Butane and Ignition user data, and a playbook written at boot: read by sniffing, not
	// by a name.
	f.Add([]byte("variant: fcos\nversion: 1.5.0\nsystemd:\n  units:\n    - name: app.service\n      enabled: true\n      contents: |\n        [Service]\n        ExecStart=/usr/bin/podman run \\\n          quay.io/acme/app:1\n"))
	f.Add([]byte(`{"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/etc/x.sh","contents":{"source":"data:,echo"}}]}}`))
	f.Add([]byte("#cloud-config\nwrite_files:\n  - path: /opt/boot/site.yml\n    content: |\n      - import_playbook: site.yml\nruncmd:\n  - ansible-playbook /opt/boot/site.yml\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, "user-data", data)
		text, err := UserDataText(data)
		if err != nil {
			return
		}
		if again, _ := UserDataText([]byte(text)); again != text {
			t.Fatalf("UserDataText is not stable on its own output")
		}
		readUserDataText("userdata:lt-1", text, tailIndexOf([]string{"ansible/site.yml"}), nil)
	})
}

func FuzzRedact(f *testing.F) {
	seedFiles(f, ".yml", ".sh", ".hcl", ".json", ".yaml")
	f.Add([]byte("export DB_PASSWORD=hunter2hunter2\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := string(data)
		out, hits := redact(in)
		if strings.Count(out, "\n") != strings.Count(in, "\n") {
			t.Fatalf("line count changed: %q -> %q", in, out)
		}
		again, hits2 := redact(out)
		if again != out {
			t.Fatalf("not idempotent:\n%q\n%q", out, again)
		}
		if len(hits2) < len(hits) {
			t.Fatalf("second pass found %d secrets, first %d", len(hits2), len(hits))
		}
		// Redaction never breaks what parsed.
		if err := newDoc(&fileResult{}, "x", "").readShell(in, 1, false); err == nil {
			if err := newDoc(&fileResult{}, "x", "").readShell(out, 1, false); err != nil {
				t.Fatalf("redaction broke the shell: %v\n%q\n%q", err, in, out)
			}
		}
		if _, err := parseYAML(in); err == nil {
			if _, err := parseYAML(out); err != nil {
				t.Fatalf("redaction broke the YAML: %v\n%q\n%q", err, in, out)
			}
		}
		for _, h := range hits {
			if v := in[h.start:h.end]; len(v) >= 8 && !strings.Contains(v, markerPrefix) && strings.Count(in, v) == 1 && strings.Contains(out, v) {
				t.Fatalf("value %q still in the redacted text", v)
			}
		}
	})
}

func FuzzCloudFormation(f *testing.F) {
	f.Add([]byte(cfnYAML))
	f.Add([]byte(cfnJSON))
	f.Add([]byte(cfnBakesYAML))
	f.Add([]byte(cfnBakesJSON))
	f.Add([]byte("Resources:\n  L:\n    Type: AWS::EC2::Instance\n    Properties:\n      UserData: !Base64 {\"Fn::Join\": [\"\", [\"#!/bin/bash\\n\", !Ref X, \"\\nmount -t nfs4 h:/ /m\\n\"]]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, "stack.template", data) })
}

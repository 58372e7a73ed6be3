package scripts_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"whyk8s/inventory"
)

// TestFetchedScriptRun: code a boot script fetches and then runs from the disk is curl |
// bash in two steps. When no folder read holds it, the run is a fact (what the host runs is
// in it) and a gap that says where it came from; when a folder holds it, it is read like any
// script named. A fetch the vocabulary knows by its address (an agent's installer) is not.
func TestFetchedScriptRun(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // facts of boot.sh: "line detail"
		gap   string   // part of a gap at boot.sh, or ""
		refs  []string // boot.sh's references
	}{
		{
			name: "aws s3 cp then run by its path",
			files: map[string]string{"boot.sh": "#!/bin/bash\nset -e\naws s3 cp s3://acme-artifacts/pricing/bootstrap.sh /opt/bootstrap.sh --region eu-west-1\n" +
				"chmod +x /opt/bootstrap.sh\n/opt/bootstrap.sh prod\n"},
			want: []string{"5 runs /opt/bootstrap.sh, fetched from s3://acme-artifacts/pricing/bootstrap.sh"},
			gap:  `runs "/opt/bootstrap.sh", fetched at boot from s3://acme-artifacts/pricing/bootstrap.sh`,
		},
		{
			name: "aws s3 cp into a folder, then bash",
			files: map[string]string{"boot.sh": "#!/bin/bash\naws s3 cp s3://acme-artifacts/setup/install-app /tmp/\n" +
				"bash /tmp/install-app --env=prod\n"},
			want: []string{"3 runs /tmp/install-app, fetched from s3://acme-artifacts/setup/install-app"},
			gap:  "fetched at boot from s3://acme-artifacts/setup/install-app",
		},
		{
			name: "wget without -O, then ./ with no extension; credentials and a signature never shown",
			files: map[string]string{"boot.sh": "#!/bin/bash\ncd /tmp\nwget 'https://deploy:s3cr3tpass@artifacts.example.com/ops/install?X-Amz-Signature=abc123'\n" +
				"chmod +x install\n./install --role api\n"},
			want: []string{"5 runs ./install, fetched from https://artifacts.example.com/ops/install"},
			gap:  "fetched at boot from https://artifacts.example.com/ops/install,",
		},
		{
			name:  "curl -o, then sourced",
			files: map[string]string{"boot.sh": "#!/bin/bash\ncurl -fsSL -o /etc/profile.d/app.sh https://config.example.com/app/env.sh\n. /etc/profile.d/app.sh\n"},
			want:  []string{"3 runs /etc/profile.d/app.sh, fetched from https://config.example.com/app/env.sh"},
		},
		{
			name: "a repository cloned at boot, then its setup run",
			files: map[string]string{"boot.sh": "#!/bin/bash\ngit clone --depth 1 https://git.example.com/platform/bootstrap.git /opt/bootstrap\n" +
				"/opt/bootstrap/bin/setup.sh web\n"},
			want: []string{"2 git clone (git.example.com)", "3 runs /opt/bootstrap/bin/setup.sh, fetched from https://git.example.com/platform/bootstrap.git"},
		},
		{
			name:  "aws s3 sync of a folder, then a script in it",
			files: map[string]string{"boot.sh": "#!/bin/bash\naws s3 sync s3://acme-artifacts/app/ /srv/app\nsh /srv/app/start.sh\n"},
			want:  []string{"2 download s3://acme-artifacts/app/", "3 runs /srv/app/start.sh, fetched from s3://acme-artifacts/app/"},
		},
		{
			name: "the script fetched is in the folders read: read, not a gap",
			files: map[string]string{
				"boot.sh":              "#!/bin/bash\naws s3 cp s3://acme-artifacts/scripts/provision-web.sh /opt/provision-web.sh\nbash /opt/provision-web.sh\n",
				"ops/provision-web.sh": "#!/bin/bash\napt-get install -y nginx\n",
			},
			refs: []string{"ops/provision-web.sh"},
		},
		{
			name:  "an installer the vocabulary knows by its address",
			files: map[string]string{"boot.sh": "#!/bin/bash\nwget https://aws-codedeploy-eu-west-1.s3.eu-west-1.amazonaws.com/latest/install\nchmod +x ./install\n./install auto\n"},
			want:  []string{"2 download install", "2 codedeploy-agent"},
		},
		{
			// A program from a fetched folder is that program: consul joins its cluster.
			name:  "a program synced into a folder of programs",
			files: map[string]string{"boot.sh": "#!/bin/bash\naws s3 sync s3://acme-bin/consul/ /usr/local/bin/\n/usr/local/bin/consul agent -config-dir /etc/consul.d\n"},
		},
		{
			// A fetch to a place fetched before replaces it, and is then the latest: a
			// relative run matches it, not the other release fetched in between.
			name: "fetched again to the same place, after another",
			files: map[string]string{"boot.sh": "#!/bin/bash\nfor try in 1 2 3; do aws s3 cp s3://acme-rel/v1/run.sh /opt/a/run.sh && break; done\n" +
				"aws s3 cp s3://acme-rel/v2/run.sh /opt/b/run.sh\naws s3 cp s3://acme-rel/v3/run.sh /opt/a/run.sh\ncd /opt/a\n./run.sh\n"},
			want: []string{"6 runs ./run.sh, fetched from s3://acme-rel/v3/run.sh"},
			gap:  "fetched at boot from s3://acme-rel/v3/run.sh",
		},
		{
			name: "a Python script fetched, run by python3 with options",
			files: map[string]string{"boot.sh": "#!/bin/bash\naws s3 cp s3://acme-artifacts/pricing/bootstrap.py /opt/bootstrap.py\n" +
				"python3 -u -W ignore /opt/bootstrap.py --env prod\n"},
			want: []string{"3 runs /opt/bootstrap.py, fetched from s3://acme-artifacts/pricing/bootstrap.py"},
			gap:  `runs "/opt/bootstrap.py", fetched at boot from s3://acme-artifacts/pricing/bootstrap.py`,
		},
		{
			name: "a repository cloned, then a Ruby script in it; ./tool.py run by its shebang",
			files: map[string]string{"boot.sh": "#!/bin/bash\ngit clone https://git.example.com/platform/tools.git /opt/tools\n" +
				"ruby -I /opt/tools/lib /opt/tools/bin/setup.rb\ncd /opt\ncurl -fsSL -o tool.py https://tools.example.com/tool.py\n./tool.py --apply\n"},
			want: []string{"3 runs /opt/tools/bin/setup.rb, fetched from https://git.example.com/platform/tools.git",
				"6 runs ./tool.py, fetched from https://tools.example.com/tool.py"},
		},
		{
			// pip reads the file it was given; -c and -m run no file.
			name: "python3 -m pip and python3 -c run no file fetched",
			files: map[string]string{"boot.sh": "#!/bin/bash\naws s3 cp s3://acme-artifacts/app/requirements.txt /opt/requirements.txt\n" +
				"aws s3 cp s3://acme-artifacts/app/check.py /opt/check.py\npython3 -m pip install -r /opt/requirements.txt\npython3 -c 'import sys; sys.path.append(\"/opt/check.py\")'\n"},
		},
		{
			name:  "a script the host has, never fetched",
			files: map[string]string{"boot.sh": "#!/bin/bash\n/usr/local/bin/rotate-logs.sh\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scanTree(t, tt.files)
			var got, refs []string
			for _, s := range r.Scripts {
				if s.Path != "boot.sh" {
					continue
				}
				for _, f := range s.Facts {
					if f.Kind == inventory.FactBootWork || f.Kind == inventory.FactService {
						got = append(got, strconv.Itoa(f.Evidence.Line)+" "+f.Detail())
					}
				}
				for _, ref := range s.References {
					refs = append(refs, ref.Path)
				}
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("facts %q, want %q", got, w)
				}
			}
			if len(tt.want) == 0 {
				for _, g := range got {
					if strings.Contains(g, "fetched from") {
						t.Errorf("fact %q, want none of code fetched", g)
					}
				}
			}
			if !slices.Equal(refs, tt.refs) {
				t.Errorf("references %q, want %q", refs, tt.refs)
			}
			gaps := strings.Join(gapsAbout(r, "boot.sh"), "\n")
			if tt.gap != "" && !strings.Contains(gaps, tt.gap) || tt.gap == "" && strings.Contains(gaps, "fetched at boot") && len(tt.want) == 0 {
				t.Errorf("gaps %q, want one saying %q", gaps, tt.gap)
			}
			for _, leak := range []string{"s3cr3tpass", "abc123"} {
				if strings.Contains(gaps+strings.Join(got, " "), leak) {
					t.Errorf("%q shown: %s", leak, gaps)
				}
			}
		})
	}
}

// TestFetchedPowerShellRun: the same in PowerShell: Read-S3Object or Invoke-WebRequest
// saves a script, and a later line runs it by its path.
func TestFetchedPowerShellRun(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // the fetched run's detail, or ""
	}{
		{"Read-S3Object, then &", "<powershell>\nRead-S3Object -BucketName acme-win-artifacts -Key bootstrap/web.ps1 -File C:\\bootstrap\\web.ps1\n& C:\\bootstrap\\web.ps1 -Environment prod\n</powershell>\n",
			"runs C:/bootstrap/web.ps1, fetched from s3://acme-win-artifacts/bootstrap/web.ps1"},
		{"Invoke-WebRequest, then powershell -File", "$ErrorActionPreference = 'Stop'\nInvoke-WebRequest -Uri 'https://artifacts.example.com/win/setup-app.ps1?sig=xyz' -OutFile \"$env:TEMP\\setup-app.ps1\"\npowershell.exe -ExecutionPolicy Bypass -File \"$env:TEMP\\setup-app.ps1\"\n",
			"runs $env:TEMP/setup-app.ps1, fetched from https://artifacts.example.com/win/setup-app.ps1"},
		{"run by its bare path", "Copy-S3Object -BucketName acme-win -Key ops/init.ps1 -LocalFile C:\\ops\\init.ps1\nC:\\ops\\init.ps1\n",
			"runs C:/ops/init.ps1, fetched from s3://acme-win/ops/init.ps1"},
		{"downloaded and never run", "Invoke-WebRequest -Uri https://artifacts.example.com/win/notes.ps1 -OutFile C:\\notes.ps1\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scanTree(t, map[string]string{"boot.ps1": tt.src})
			var got []string
			for _, s := range r.Scripts {
				for _, f := range s.Facts {
					if f.Class == inventory.ClassFetchedScript {
						got = append(got, f.Detail())
					}
				}
			}
			if want := []string{tt.want}; tt.want == "" && len(got) > 0 || tt.want != "" && !slices.Equal(got, want) {
				t.Errorf("fetched runs %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFetchedByCFNInit: cfn-init's sources unpack an archive into a folder and its files
// fetch a file from a URL; its commands then run what they put there. The same construct
// again, read from the template.
func TestFetchedByCFNInit(t *testing.T) {
	tmpl := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  BillingConfig:
    Type: AWS::EC2::LaunchTemplate
    Metadata:
      AWS::CloudFormation::Init:
        config:
          sources:
            /opt/billing: !Sub https://${ArtifactBucket}.s3.amazonaws.com/billing/billing-3.2.tgz
          files:
            /usr/local/bin/tune-host:
              source: https://ops-tools.example.com/tune-host?token=abc
              mode: "000755"
          commands:
            01_install:
              command: /opt/billing/bin/install.sh --prod
            02_tune:
              command: bash /usr/local/bin/tune-host
            03_known:
              command: /opt/other/setup.sh
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
`
	r := scanTree(t, map[string]string{"cfn/billing.yaml": tmpl})
	var got []string
	for _, s := range r.Scripts {
		for _, f := range s.Facts {
			if f.Class == inventory.ClassFetchedScript {
				got = append(got, strconv.Itoa(f.Evidence.Line)+" "+f.Detail())
			}
		}
	}
	want := []string{
		"16 runs /opt/billing/bin/install.sh, fetched from https://${ArtifactBucket}.s3.amazonaws.com/billing/billing-3.2.tgz",
		"18 runs /usr/local/bin/tune-host, fetched from https://ops-tools.example.com/tune-host",
	}
	if !slices.Equal(got, want) {
		t.Errorf("fetched runs\n%q\nwant\n%q", got, want)
	}
}

// TestFetchedByAnsible: a play fetches a script (get_url, aws_s3 mode get, unarchive of a
// remote archive) and a later task runs it: the fourth way of writing it.
func TestFetchedByAnsible(t *testing.T) {
	play := `- hosts: billing
  become: true
  tasks:
    - name: fetch bootstrap
      ansible.builtin.get_url:
        url: https://artifacts.example.com/billing/bootstrap.sh
        dest: /opt/bootstrap.sh
        mode: "0755"
    - name: run it
      ansible.builtin.command: /opt/bootstrap.sh --env {{ env }}
    - name: tuning from the ops bucket
      amazon.aws.s3_object:
        bucket: acme-ops
        object: /hosts/tune.sh
        dest: /tmp/tune.sh
        mode: get
    - shell: bash /tmp/tune.sh
    - name: release
      unarchive:
        src: https://artifacts.example.com/billing/billing-3.2.tgz
        dest: /srv/billing
        remote_src: yes
    - command: /srv/billing/bin/migrate.sh
`
	r := scanTree(t, map[string]string{"playbooks/billing.yml": play})
	var got []string
	for _, s := range r.Scripts {
		for _, f := range s.Facts {
			if f.Class == inventory.ClassFetchedScript {
				got = append(got, strconv.Itoa(f.Evidence.Line)+" "+f.Detail())
			}
		}
	}
	want := []string{
		"10 runs /opt/bootstrap.sh, fetched from https://artifacts.example.com/billing/bootstrap.sh",
		"17 runs /tmp/tune.sh, fetched from s3://acme-ops/hosts/tune.sh",
		"23 runs /srv/billing/bin/migrate.sh, fetched from https://artifacts.example.com/billing/billing-3.2.tgz",
	}
	if !slices.Equal(got, want) {
		t.Errorf("fetched runs\n%q\nwant\n%q", got, want)
	}
}

// TestScriptsInOtherLanguages: a script the host runs in a language no reader reads is not
// read, and the scan says so when the folders hold it: a not-read gap at the line that runs
// it. A path on the host the folders do not hold may come with a package, and a bare name
// (python3 setup.py in a source tree just unpacked) is not looked for elsewhere: no gap.
func TestScriptsInOtherLanguages(t *testing.T) {
	r := scanTree(t, map[string]string{
		"ops/boot.sh": "#!/bin/bash\nyum install -y python3 nginx\npython3 /opt/app/tools/warm_cache.py --all\n" +
			"python3 /usr/share/doc/python3-foo/example.py\ncd /tmp/src-1.2 && python3 setup.py install\n" +
			"node --require dotenv/config /srv/web/server.js &\nperl -e 'print 1'\nphp -d memory_limit=1G /var/www/cron.php\n",
		"app/tools/warm_cache.py": "import requests\n",
		"vendor/lib/setup.py":     "from setuptools import setup\n",
		"web/srv/web/server.js":   "require('http').createServer().listen(3000)\n",
	})
	var got []string
	for _, g := range r.Coverage {
		got = append(got, g.Path+":"+strconv.Itoa(g.Line)+" "+g.Kind+" "+g.Message)
	}
	want := []string{
		`ops/boot.sh:3 not-read the script runs "app/tools/warm_cache.py", which is a Python script: whyk8s does not read it, so what it does is not known`,
		`ops/boot.sh:6 not-read the script runs "web/srv/web/server.js", which is a JavaScript script: whyk8s does not read it, so what it does is not known`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("gaps\n%q\nwant\n%q", got, want)
	}
	for _, s := range r.Scripts {
		if s.Path != "ops/boot.sh" {
			t.Errorf("%s read as %s: no reader reads it", s.Path, s.Kind)
		}
	}
}

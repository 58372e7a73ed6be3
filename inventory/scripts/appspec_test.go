package scripts_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

// TestAppSpecHooksRead: a CodeDeploy revision's AppSpec file refers to the hook scripts the
// agent runs, relative to the revision's top however they are written (a leading slash, no
// extension); the hooks are read as the host's scripts, a hook not in the folders is a gap
// at its line, and the revision's folder names the application.
func TestAppSpecHooksRead(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		appspec string
		kind    string   // the AppSpec file's kind; "" when it is not read as one
		appName string   // its Name
		refs    []string // "path how"
		read    []string // hook scripts read, "path kind"
		gap     string   // part of a gap at the AppSpec file, or ""
	}{
		{
			name:    "linux hooks, one without an extension, one with a leading slash, one missing",
			appspec: "billing-worker/appspec.yml",
			files: map[string]string{
				"billing-worker/appspec.yml": `version: 0.0
os: linux
files:
  - source: /
    destination: /srv/billing
hooks:
  # deps first
  BeforeInstall:
    - location: bin/install-deps
      timeout: 300
      runas: root
  ApplicationStart:
    - location: /bin/start.sh
    - location: bin/warm-cache.sh
  ValidateService:
    - location: bin/smoke.py
`,
				"billing-worker/bin/install-deps": "apt-get install -y openjdk-17-jre-headless\n",
				"billing-worker/bin/start.sh":     "#!/bin/bash\nsystemctl restart billing\n",
			},
			kind: inventory.ScriptAppSpec, appName: "billing-worker",
			refs: []string{"billing-worker/bin/install-deps codedeploy hook BeforeInstall", "billing-worker/bin/start.sh codedeploy hook ApplicationStart"},
			read: []string{"billing-worker/bin/install-deps shell", "billing-worker/bin/start.sh shell"},
			gap:  `codedeploy hook ApplicationStart names "bin/warm-cache.sh", which is not under the scanned folders`,
		},
		{
			name:    "a Windows revision, hooks in PowerShell, named per environment",
			appspec: "ledger/appspec-staging.yml",
			files: map[string]string{
				"ledger/appspec-staging.yml": "version: 0.0\nos: windows\nfiles:\n  - source: \\\n    destination: C:\\ledger\nhooks:\n  AfterInstall:\n    - location: scripts\\configure\n      timeout: 900\n",
				"ledger/scripts/configure":   "Install-WindowsFeature Web-Server\n",
			},
			kind: inventory.ScriptAppSpec, appName: "ledger",
			refs: []string{"ledger/scripts/configure codedeploy hook AfterInstall"},
			read: []string{"ledger/scripts/configure powershell"},
		},
		{
			name:    "an AppSpec file for ECS names Lambda functions, not scripts",
			appspec: "svc/appspec.yaml",
			files: map[string]string{
				"svc/appspec.yaml": "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: arn\nHooks:\n  - BeforeInstall: CheckFn\n",
			},
		},
		{
			name:    "an AppSpec file that does not parse",
			appspec: "web/appspec.yml",
			files: map[string]string{
				"web/appspec.yml": "version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: [start.sh\n",
			},
			gap: "not valid CodeDeploy AppSpec YAML",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scanTree(t, tt.files)
			var spec *inventory.Script
			kinds := map[string]string{}
			for i, s := range r.Scripts {
				kinds[s.Path] = s.Kind
				if s.Path == tt.appspec {
					spec = &r.Scripts[i]
				}
			}
			if tt.kind == "" {
				if spec != nil && spec.Kind == inventory.ScriptAppSpec {
					t.Errorf("%s read as an AppSpec file", tt.appspec)
				}
			} else {
				if spec == nil || spec.Kind != tt.kind {
					t.Fatalf("%s: kinds read %v, want %s", tt.appspec, kinds, tt.kind)
				}
				if spec.Name != tt.appName {
					t.Errorf("name %q, want %q", spec.Name, tt.appName)
				}
				var refs []string
				for _, ref := range spec.References {
					refs = append(refs, ref.Path+" "+ref.How)
				}
				if !slices.Equal(refs, tt.refs) {
					t.Errorf("references\n%q\nwant\n%q", refs, tt.refs)
				}
			}
			for _, want := range tt.read {
				p, k, _ := strings.Cut(want, " ")
				if kinds[p] != k {
					t.Errorf("%s read as %q, want %s", p, kinds[p], k)
				}
			}
			gaps := strings.Join(gapsAbout(r, tt.appspec), "\n")
			if tt.gap == "" && gaps != "" || !strings.Contains(gaps, tt.gap) {
				t.Errorf("gaps at %s: %q, want one saying %q", tt.appspec, gaps, tt.gap)
			}
		})
	}
}

// TestAppSpecWindows: os: windows is a Windows host, and a hook without an extension is
// read as PowerShell there.
func TestAppSpecWindows(t *testing.T) {
	r := scanTree(t, map[string]string{
		"ledger/appspec.yml":       "version: 0.0\nos: windows\nhooks:\n  AfterInstall:\n    - location: scripts/configure\n",
		"ledger/scripts/configure": "Install-WindowsFeature Web-Server\n",
	})
	for _, s := range r.Scripts {
		switch s.Path {
		case "ledger/appspec.yml":
			var got []string
			for _, f := range s.Facts {
				got = append(got, f.Kind.String()+" "+f.Detail())
			}
			if !slices.Contains(got, "windows CodeDeploy os: windows") {
				t.Errorf("facts %q, want the Windows host", got)
			}
		case "ledger/scripts/configure":
			if s.Kind != inventory.ScriptPowerShell {
				t.Errorf("hook read as %s, want powershell", s.Kind)
			}
		}
	}
}

// TestAppSpecAtTheTop: an AppSpec file at the top of the folder scanned is named for the
// folder, which is the revision.
func TestAppSpecAtTheTop(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"appspec.yml": "version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: start\n",
		"start":       "systemctl start payments\n",
	})
	r, err := scripts.Scan(t.Context(), []scripts.Root{scripts.Dir(dir)}, scripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := scripts.Dir(dir).Name
	for _, s := range r.Scripts {
		if s.Path == "appspec.yml" && s.Name != want {
			t.Errorf("name %q, want the folder's %q", s.Name, want)
		}
	}
}

// TestAppSpecHooksInOtherLanguages: a hook written in a language no reader reads (Python, a
// batch file) is where the application may be installed or started. In the folders, it is a
// not-read gap naming the file and the language; elsewhere, a not-found gap. Either way it is
// at the hook's line, and the file is not read as shell.
func TestAppSpecHooksInOtherLanguages(t *testing.T) {
	r := scanTree(t, map[string]string{
		"orders/appspec.yml": "version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: scripts/deps.sh\n" +
			"  AfterInstall:\n    - location: scripts/Migrate.PY\n      runas: orders\n" +
			"  ApplicationStart:\n    - location: \\scripts\\start.bat\n  ValidateService:\n    - location: scripts/smoke.rb\n",
		"orders/scripts/deps.sh":     "#!/bin/bash\nyum install -y python3 nginx\n",
		"orders/scripts/Migrate.PY":  "import subprocess\nsubprocess.run(['systemctl', 'enable', '--now', 'orders'])\n",
		"orders/scripts/start.bat":   "@echo off\r\nnet start OrdersSvc\r\n",
		"orders/scripts/helper.json": "{}",
	})
	var got []string
	for _, g := range r.Coverage {
		if g.Path == "orders/appspec.yml" {
			got = append(got, strconv.Itoa(g.Line)+" "+g.Kind+" "+g.Message)
		}
	}
	want := []string{
		`7 not-read codedeploy hook AfterInstall runs "orders/scripts/Migrate.PY", which is a Python script: whyk8s does not read it, so what it does is not known`,
		`10 not-read codedeploy hook ApplicationStart runs "orders/scripts/start.bat", which is a batch file: whyk8s does not read it, so what it does is not known`,
		`12 not-found codedeploy hook ValidateService names "scripts/smoke.rb", which is not under the scanned folders: not read`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("gaps\n%q\nwant\n%q", got, want)
	}
	for _, s := range r.Scripts {
		if strings.HasPrefix(s.Path, "orders/scripts/") && s.Path != "orders/scripts/deps.sh" {
			t.Errorf("%s read as %s, want it left unread", s.Path, s.Kind)
		}
	}
	if r.Stats.FilesFailed != 0 {
		t.Errorf("%d files failed: a script in another language is not a failure", r.Stats.FilesFailed)
	}
}

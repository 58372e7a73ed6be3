package scripts_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func gzipped(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.String()
}

func TestBadInput(t *testing.T) {
	utf16 := "\xff\xfe" + strings.Join(strings.Split("Start-Service W3SVC\r\n", ""), "\x00") + "\x00"
	dir := writeTree(t, map[string]string{
		"ansible/roles/web/tasks/main.yml": "- name: ok\n  apt: name=nginx\n- name: broken\n  apt: [name: x\n",
		"userdata/cache.yaml":              "#cloud-config\npackages: [redis\n",
		"packer/legacy.json":               "{\n  \"builders\": [\n    {\"type\": \"amazon-ebs\",, }\n  ]\n}\n",
		"packer/broken.pkr.hcl":            "source \"amazon-ebs\" \"x\" {\n  ami_name = \"x\"\n",
		"scripts/bad.sh":                   "#!/bin/bash\necho start\nif [ -f /x ]; then\n  echo y\n",
		"scripts/binary.sh":                "#!/bin/bash\n\x00\x01\x02ELF",
		"scripts/big.sh":                   "#!/bin/bash\n" + strings.Repeat("echo padding padding padding\n", 100),
		"scripts/latin1.sh":                "#!/bin/bash\necho caf\xe9\n",
		"scripts/ok.sh":                    "#!/bin/bash\nsystemctl enable --now redis-server\n",
		"windows/utf16.ps1":                utf16,
		"userdata/web.gz":                  gzipped("#!/bin/bash\napt-get install -y nginx\n"),
		"userdata/junk.gz":                 gzipped("\x00\x01binary"),
		".git/hooks/pre-commit.sh":         "#!/bin/bash\nsystemctl enable evil\n",
		"node_modules/x/install.sh":        "#!/bin/bash\nsystemctl enable evil\n",
		"compose/docker-compose.yml":       "services:\n  web:\n    image: nginx\n",
		"charts/web/templates/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {{- include \"x\" . | nindent 4 }}\n",
		"notes.txt":                        "remember to rotate keys\n",
	})
	os.Symlink("..", filepath.Join(dir, "scripts", "loop"))
	os.Symlink("/etc", filepath.Join(dir, "scripts", "etc"))
	os.Symlink("missing.sh", filepath.Join(dir, "scripts", "dangling.sh"))
	os.Symlink("ok.sh", filepath.Join(dir, "scripts", "alias.sh"))

	r, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir(dir)}, scripts.Options{MaxFileSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		kind string
		line int
	}{
		"ansible/roles/web/tasks/main.yml": {inventory.GapParse, 4}, // the unclosed [
		"userdata/cache.yaml":              {inventory.GapParse, 2},
		"packer/legacy.json":               {inventory.GapParse, 3},
		"packer/broken.pkr.hcl":            {inventory.GapParse, 1}, // the unclosed block
		"scripts/bad.sh":                   {inventory.GapParse, 3}, // the if without fi
		"scripts/binary.sh":                {inventory.GapBinary, 0},
		"scripts/big.sh":                   {inventory.GapTooLarge, 0},
		"scripts/latin1.sh":                {inventory.GapEncoding, 2},
		"scripts/loop":                     {inventory.GapSymlinkLoop, 0},
		"scripts/etc":                      {inventory.GapUnreadable, 0},
		"scripts/dangling.sh":              {inventory.GapNotFound, 0},
	}
	got := map[string][]inventory.CoverageGap{}
	for _, g := range r.Coverage {
		got[g.Path] = append(got[g.Path], g)
	}
	for p, w := range want {
		gs := got[p]
		if len(gs) != 1 {
			t.Errorf("%s: %d gaps, want exactly one: %+v", p, len(gs), gs)
			continue
		}
		if gs[0].Kind != w.kind || gs[0].Line != w.line || gs[0].Message == "" {
			t.Errorf("%s: gap %+v, want kind %s line %d", p, gs[0], w.kind, w.line)
		}
	}
	for p, gs := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("unexpected gap %s: %+v", p, gs)
		}
	}
	// The scan went on: good files are read, including through a symlink, UTF-16 and gzip.
	paths := map[string]inventory.Script{}
	for _, s := range r.Scripts {
		paths[s.Path] = s
	}
	for _, p := range []string{"scripts/ok.sh", "scripts/alias.sh", "windows/utf16.ps1", "userdata/web.gz"} {
		if len(paths[p].Facts) == 0 {
			t.Errorf("%s not read or without facts", p)
		}
	}
	for p := range paths {
		if strings.HasPrefix(p, ".git/") || strings.HasPrefix(p, "node_modules/") || strings.HasPrefix(p, "scripts/loop/") {
			t.Errorf("%s should not be scanned", p)
		}
	}
	if r.Stats.FilesFailed != 8 {
		t.Errorf("stats %+v: want 8 failed files", r.Stats)
	}
}

// errFS fails to list one folder, as a folder without read permission does.
type errFS struct {
	fstest.MapFS
	bad string
}

func (f errFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == f.bad {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.ReadDir(name)
}

func TestUnreadableFolder(t *testing.T) {
	fsys := errFS{MapFS: fstest.MapFS{
		"secret/x.sh": {Data: []byte("#!/bin/sh\nsystemctl enable a\n")},
		"ok/y.sh":     {Data: []byte("#!/bin/sh\nsystemctl enable b\n")},
	}, bad: "secret"}
	r, err := scripts.Scan(context.Background(), []scripts.Root{scripts.FS("demo", fsys)}, scripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Coverage) != 1 || r.Coverage[0].Path != "secret" || r.Coverage[0].Kind != inventory.GapUnreadable || !strings.Contains(r.Coverage[0].Message, "permission") {
		t.Errorf("coverage %+v", r.Coverage)
	}
	if len(r.Scripts) != 1 || r.Scripts[0].Path != "ok/y.sh" {
		t.Errorf("scripts %+v", r.Scripts)
	}
	if errors.Is(err, fs.ErrPermission) {
		t.Error("a folder error must not fail the scan")
	}
}

//go:build unix

package scripts_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

func nest(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// blockBomb is a playbook whose every block holds the previous one twice: 2^levels tasks
// once its aliases are followed, in a couple of kilobytes.
func blockBomb(levels int) string {
	var b strings.Builder
	b.WriteString("- hosts: all\n  tasks:\n    - &b0 {name: base, apt: {name: nginx}}\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "    - &b%d {name: b%d, block: [*b%d, *b%d]}\n", i, i, i-1, i-1)
	}
	return b.String()
}

// TestScanHostile gives the scan one hostile file beside a good script: the hostile file is
// one gap naming it and what was wrong, the good script is still read, and the scan ends.
func TestScanHostile(t *testing.T) {
	tests := []struct {
		name string
		make func(t *testing.T, dir string) // writes the hostile file
		file string                         // the path the gap names
		kind string
		says string // in the gap's message
	}{
		{name: "deep command substitutions", file: "deep.sh", kind: inventory.GapLimit, says: "nesting depth limit",
			make: func(t *testing.T, dir string) {
				write(t, dir, "deep.sh", "#!/bin/bash\necho "+nest("$(", "true", ")", 200000)+"\n")
			}},
		{name: "deep groups", file: "groups.sh", kind: inventory.GapLimit, says: "nesting depth limit",
			make: func(t *testing.T, dir string) {
				write(t, dir, "groups.sh", "#!/bin/bash\n"+nest("{ ", "true", "; }", 200000)+"\n")
			}},
		{name: "deep arithmetic", file: "arith.sh", kind: inventory.GapLimit, says: "nesting depth limit",
			make: func(t *testing.T, dir string) {
				write(t, dir, "arith.sh", "#!/bin/bash\necho $(("+nest("(", "1", ")", 100000)+"))\n")
			}},
		{name: "deep shell in a Packer inline command", file: "web.pkr.hcl", kind: inventory.GapLimit, says: "nesting depth limit",
			make: func(t *testing.T, dir string) {
				write(t, dir, "web.pkr.hcl", "build {\n  provisioner \"shell\" {\n    inline = [\"echo "+nest("$(", "true", ")", 2000)+"\"]\n  }\n}\n")
			}},
		{name: "numbers that take minutes to write out, in Packer HCL", file: "nums.pkr.hcl", kind: inventory.GapLimit, says: "number size limit",
			make: func(t *testing.T, dir string) {
				// Each of these strings took 3.4 s to evaluate: 1e-100000 is 100,000 digits.
				write(t, dir, "nums.pkr.hcl", "build {\n  provisioner \"shell\" {\n    inline = [\n"+strings.Repeat("      \"echo ${1e-100000}\",\n", 40)+"    ]\n  }\n}\n")
			}},
		{name: "a number that takes seconds to write out, in Packer JSON", file: "nums.json", kind: inventory.GapLimit, says: "number size limit",
			make: func(t *testing.T, dir string) {
				write(t, dir, "nums.json", `{"builders": [{"type": "amazon-ebs", "ami_name": 1e-100000}]}`)
			}},
		{name: "deep Packer HCL brackets", file: "build.pkr.hcl", kind: inventory.GapLimit, says: "nesting depth limit",
			make: func(t *testing.T, dir string) {
				write(t, dir, "build.pkr.hcl", "locals {\n  x = "+nest("[", "", "]", 70000)+"\n}\n")
			}},
		{name: "deep Packer HCL objects", file: "build.pkr.hcl", kind: inventory.GapLimit, says: "nesting depth limit",
			make: func(t *testing.T, dir string) {
				write(t, dir, "build.pkr.hcl", "locals {\n  x = "+nest("{a=", "1", "}", 50000)+"\n}\n")
			}},
		{name: "deep Packer JSON", file: "packer.json", kind: inventory.GapLimit, says: "nesting depth limit",
			make: func(t *testing.T, dir string) {
				write(t, dir, "packer.json", `{"builders":[{"type":"amazon-ebs"}],"variables":{"x":`+nest("[", "", "]", 100000)+"}}\n")
			}},
		{name: "Ansible blocks of aliases doubling", file: "site.yml", kind: inventory.GapLimit, says: "alias expansion limit",
			make: func(t *testing.T, dir string) { write(t, dir, "site.yml", blockBomb(40)) }},
		{name: "an alias to its own list", file: "site.yml", kind: inventory.GapLimit, says: "alias expansion limit",
			make: func(t *testing.T, dir string) {
				write(t, dir, "site.yml", "- hosts: all\n  tasks: &t\n    - block: *t\n")
			}},
		{name: "deep cloud-config", file: "user-data.yaml", kind: inventory.GapLimit, says: "nesting depth limit",
			make: func(t *testing.T, dir string) {
				write(t, dir, "user-data.yaml", "#cloud-config\nwrite_files: "+nest("[", "", "]", 1000)+"\n")
			}},
		// YAML's "\0" is a NUL byte, which the shell parser reads past: "$\0{" opens an
		// expansion all the same, and was not counted as one. A command holding one is
		// reported, not parsed.
		{name: "deep expansions split by NUL escapes in cloud-config", file: "user-data.yaml", kind: inventory.GapParse, says: "NUL byte",
			make: func(t *testing.T, dir string) {
				write(t, dir, "user-data.yaml", "#cloud-config\nruncmd:\n  - \"echo "+nest(`$\0{x:-`, "", "}", 100000)+"\"\n")
			}},
		// A template fragment without a #! line is parsed to tell whether it is shell: that
		// parse is guarded too, and a fragment too deep for it is read as the shell it looks
		// like, so that the limit is reported.
		{name: "a deep user-data template fragment", file: "boot.tpl", kind: inventory.GapLimit, says: "nesting depth limit",
			make: func(t *testing.T, dir string) {
				write(t, dir, "boot.tpl", "echo start\nmkdir -p /opt/app\nyum install -y httpd\necho "+strings.Repeat("$(", 100000)+"\n")
			}},
		{name: "a named pipe", file: "pipe.sh", kind: inventory.GapUnreadable, says: "named pipe",
			make: func(t *testing.T, dir string) { fifo(t, filepath.Join(dir, "pipe.sh")) }},
		{name: "a named pipe as role tasks", file: "roles/web/tasks/main.yml", kind: inventory.GapUnreadable, says: "named pipe",
			make: func(t *testing.T, dir string) {
				write(t, dir, "roles/web/meta/main.yml", "dependencies: []\n")
				fifo(t, filepath.Join(dir, "roles/web/tasks/main.yml"))
			}},
		{name: "a link to a named pipe inside", file: "p.sh", kind: inventory.GapUnreadable, says: "named pipe",
			make: func(t *testing.T, dir string) {
				fifo(t, filepath.Join(dir, "pipes", "real"))
				if err := os.Symlink("pipes/real", filepath.Join(dir, "p.sh")); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "a socket", file: "sock.sh", kind: inventory.GapUnreadable, says: "socket",
			make: func(t *testing.T, dir string) {
				// A socket's path must be short: make it in a short folder and move it in.
				short, err := os.MkdirTemp("", "s")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.RemoveAll(short) })
				l, err := net.Listen("unix", filepath.Join(short, "s"))
				if err != nil {
					t.Skipf("no unix sockets here: %v", err)
				}
				t.Cleanup(func() { l.Close() })
				if err := os.Rename(filepath.Join(short, "s"), filepath.Join(dir, "sock.sh")); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "a link to a script outside", file: "out.sh", kind: inventory.GapUnreadable, says: "outside the scanned folder",
			make: func(t *testing.T, dir string) {
				outside := t.TempDir()
				write(t, outside, "outside.sh", "#!/bin/bash\nmount -t nfs 10.9.9.9:/x /x\n")
				if err := os.Symlink(filepath.Join(outside, "outside.sh"), filepath.Join(dir, "out.sh")); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "a link to a folder outside", file: "ext", kind: inventory.GapUnreadable, says: "outside the scanned folder",
			make: func(t *testing.T, dir string) {
				outside := t.TempDir()
				write(t, outside, "dir/outside.sh", "#!/bin/bash\nmount -t nfs 10.9.9.9:/x /x\n")
				if err := os.Symlink(filepath.Join(outside, "dir"), filepath.Join(dir, "ext")); err != nil {
					t.Fatal(err)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "good.sh", "#!/bin/bash\napt-get install -y redis-server\n")
			tc.make(t, dir)
			// Generous: the point is that the scan ends, not how fast.
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			res, err := scripts.Scan(ctx, []scripts.Root{scripts.Dir(dir)}, scripts.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, g := range res.Coverage {
				if g.Path == tc.file {
					found = true
					if g.Kind != tc.kind || !strings.Contains(g.Message, tc.says) {
						t.Errorf("gap %+v, want kind %s saying %q", g, tc.kind, tc.says)
					}
				}
				if strings.Contains(g.Message, "10.9.9.9") {
					t.Errorf("a gap quotes a file outside the folder: %+v", g)
				}
			}
			if !found {
				t.Errorf("no gap names %s: %+v", tc.file, res.Coverage)
			}
			good := false
			for _, s := range res.Scripts {
				if s.Path == "good.sh" {
					for _, f := range s.Facts {
						if f.Name == "redis-server" {
							good = true
						}
					}
				}
				for _, f := range s.Facts {
					if strings.Contains(fmt.Sprintf("%+v", f), "10.9.9.9") {
						t.Errorf("%s: a fact read outside the folder: %+v", s.Path, f)
					}
				}
			}
			if !good {
				t.Error("the good script beside the hostile file was not read")
			}
		})
	}
}

func write(t *testing.T, dir, rel, text string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fifo(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
}

package scripts_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"whyk8s/inventory/scripts"
)

// Blocks of realistic script text, repeated to make files of about 10 KB.
var benchBlocks = []struct {
	dir, ext, head, block string
}{
	{"userdata", ".sh", "#!/bin/bash\nset -euo pipefail\n", `yum update -y
amazon-linux-extras install -y docker nginx1
systemctl enable --now docker nginx
PKGS="jq unzip amazon-cloudwatch-agent"
yum install -y $PKGS
DB_URL=$(aws ssm get-parameter --name /app/prod/db --with-decryption --query Parameter.Value --output text)
cat > /etc/systemd/system/app-%d.service <<'UNIT'
[Service]
Environment=APP_ENV=production
ExecStart=/usr/bin/docker run --rm -p 8080:8080 -e DB_URL registry.example.com/app:1.2.%d
UNIT
echo "10.0.%d.12:/export /mnt/shared nfs4 defaults 0 0" >> /etc/fstab
sysctl -w net.core.somaxconn=%d
curl -fsSL https://example.com/install-%d.sh | bash
`},
	{"ansible/roles/r%d/tasks", ".yml", "---\n", `- name: packages %d
  ansible.builtin.apt:
    name: [nginx, redis-server, python3-pip]
    state: present
- name: service %d
  service: name=nginx state=started enabled=yes
- name: config %d
  copy:
    content: "listen %d;"
    dest: /etc/app/app-%d.conf
- name: cron %d
  cron: {name: "job %d", minute: "0", job: /usr/local/bin/job}
- name: shell %d
  shell: |
    mkdir -p /srv/app
    sysctl -w vm.swappiness=%d
`},
	{"ansible", ".yml", "- hosts: web\n  become: true\n  tasks:\n", `    - name: pip %d
      pip: {name: [gunicorn, boto3]}
    - name: mount %d
      ansible.posix.mount: {path: /data%d, src: /dev/xvdf, fstype: xfs, state: mounted}
    - name: env %d
      lineinfile: {path: /etc/environment, line: "APP_%d=1"}
`},
	{"userdata", ".yaml", "#cloud-config\npackages: [nginx, redis]\nruncmd:\n", `  - systemctl enable --now nginx
  - echo "server 10.1.%d.5" >> /etc/chrony.conf
  - [ sh, -c, "mkfs.xfs /dev/nvme%dn1 && mount /dev/nvme1n1 /data" ]
  - aws s3 cp s3://bucket/app-%d.tar.gz /opt/app.tar.gz
`},
	{"packer", ".pkr.hcl", "source \"amazon-ebs\" \"app\" {\n  ami_name = \"app-{{timestamp}}\"\n}\nbuild {\n  sources = [\"source.amazon-ebs.app\"]\n", `  provisioner "shell" {
    inline = [
      "sudo apt-get install -y nginx postgresql-client-%d",
      "sudo systemctl enable nginx",
      "echo 'vm.max_map_count=%d' | sudo tee /etc/sysctl.d/99-app.conf",
    ]
  }
`},
	{"packer", ".json", "{\"builders\": [{\"type\": \"amazon-ebs\", \"ami_name\": \"legacy-{{timestamp}}\"}],\n\"provisioners\": [\n", `{"type": "shell", "inline": ["yum install -y httpd-%d", "systemctl enable httpd", "echo %d > /etc/build"]},
`},
	{"docs", ".txt", "Notes, not a script.\n", "Line %d of the runbook: restart the service, then check the dashboard.\n"},
}

// makeBenchTree writes n files of about size bytes each and returns the total size.
func makeBenchTree(tb testing.TB, dir string, n, size int) int64 {
	tb.Helper()
	var total int64
	for i := 0; i < n; i++ {
		b := benchBlocks[i%len(benchBlocks)]
		var sb strings.Builder
		sb.WriteString(b.head)
		for k := 0; sb.Len() < size; k++ {
			blk := b.block
			args := make([]any, strings.Count(blk, "%d"))
			for j := range args {
				args[j] = i*31 + k
			}
			sb.WriteString(fmt.Sprintf(blk, args...))
		}
		text := sb.String()
		switch b.ext {
		case ".json":
			text = strings.TrimSuffix(text, ",\n") + "\n]}\n"
		case ".pkr.hcl":
			text += "}\n"
		}
		sub := b.dir
		if strings.Contains(sub, "%d") {
			sub = fmt.Sprintf(sub, i%200)
		}
		p := filepath.Join(dir, sub, fmt.Sprintf("f%05d%s", i, b.ext))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
		total += int64(len(text))
	}
	return total
}

// BenchmarkScan reads a generated tree of 5,000 mixed files (about 50 MB).
func BenchmarkScan(b *testing.B) {
	dir := b.TempDir()
	total := makeBenchTree(b, dir, 5000, 10<<10)
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir(dir)}, scripts.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if r.Stats.FilesSeen != 5000 || len(r.Coverage) != 0 {
			b.Fatalf("stats %+v, %d gaps: %+v", r.Stats, len(r.Coverage), r.Coverage[:min(3, len(r.Coverage))])
		}
	}
}

// BenchmarkScanByKind reads 500 files (about 5 MB) of one kind, to show what each reader,
// and the parser under it, costs.
func BenchmarkScanByKind(b *testing.B) {
	for k, blk := range benchBlocks {
		name := strings.TrimPrefix(blk.ext, ".") + "-" + strings.SplitN(blk.dir, "/", 2)[0]
		b.Run(name, func(b *testing.B) {
			saved := benchBlocks
			benchBlocks = benchBlocks[k : k+1]
			defer func() { benchBlocks = saved }()
			dir := b.TempDir()
			b.SetBytes(makeBenchTree(b, dir, 500, 10<<10))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir(dir)}, scripts.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestBenchTreeIsRead checks on a small tree that every generated kind is read without a
// gap, so the benchmark measures real parsing.
func TestBenchTreeIsRead(t *testing.T) {
	dir := t.TempDir()
	makeBenchTree(t, dir, 2*len(benchBlocks), 2<<10)
	r, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir(dir)}, scripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Coverage) != 0 || r.Stats.FilesRead != 2*(len(benchBlocks)-1) || r.Stats.FilesSkipped != 2 {
		t.Fatalf("stats %+v coverage %+v", r.Stats, r.Coverage)
	}
	for _, s := range r.Scripts {
		if len(s.Facts) == 0 {
			t.Errorf("%s (%s): no facts", s.Path, s.Kind)
		}
	}
}

// The facts of a scan are unpacked by several workers, script by script: each script must
// get its own facts, whole, as it would read alone, and appending to one script's facts must
// not write over another's.
func TestScanKeepsEachScriptsFacts(t *testing.T) {
	saved := benchBlocks
	benchBlocks = benchBlocks[:1] // shell user data: each file is read on its own, as alone
	defer func() { benchBlocks = saved }()
	dir := t.TempDir()
	makeBenchTree(t, dir, 60, 10<<10)
	whole, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir(dir)}, scripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Scripts) != 60 {
		t.Fatalf("%d scripts read of 60", len(whole.Scripts))
	}
	for i, s := range whole.Scripts {
		if cap(s.Facts) != len(s.Facts) {
			t.Fatalf("%s: facts have room for %d more than they hold", s.Path, cap(s.Facts)-len(s.Facts))
		}
		alone := t.TempDir()
		src, err := os.ReadFile(filepath.Join(dir, s.Path))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(alone, s.Path)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(alone, s.Path), src, 0o644); err != nil {
			t.Fatal(err)
		}
		one, err := scripts.Scan(context.Background(), []scripts.Root{scripts.Dir(alone)}, scripts.Options{})
		if err != nil || len(one.Scripts) != 1 {
			t.Fatalf("%s alone: %v, %d scripts", s.Path, err, len(one.Scripts))
		}
		if !reflect.DeepEqual(s.Facts, one.Scripts[0].Facts) {
			t.Errorf("%s (script %d of %d): %d facts in the whole scan, %d read alone", s.Path, i, len(whole.Scripts), len(s.Facts), len(one.Scripts[0].Facts))
		}
	}
}

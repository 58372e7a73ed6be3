package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// Every finding 'whyk8s scan' prints names a file and line; a consultant opens the file at
// that line and must find what the finding quotes there.
func TestScanFindingsPointAtTheirLines(t *testing.T) {
	root := filepath.Join("..", "..", "fixtures", "demo", "scripts")
	code, out, stderr := runIn(t, "", "scan", root, "--format", "json")
	if code != exitOK {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	var res struct {
		Findings []struct {
			Rule, Kind, Detail, File, Excerpt string
			Line                              int
		} `json:"findings"`
		Stats struct {
			FilesRead int `json:"filesRead"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("scan --format json is not the documented shape: %v", err)
	}
	if res.Stats.FilesRead < 50 || len(res.Findings) < 50 {
		t.Fatalf("scan read %d files and found %d things in the demo repository", res.Stats.FilesRead, len(res.Findings))
	}
	rules := map[string]bool{}
	for _, f := range res.Findings {
		rules[f.Rule] = true
		if f.Rule == "" {
			t.Errorf("%s:%d: a finding without a rule in the default output", f.File, f.Line)
		}
		if f.File == "" || f.Line < 1 {
			t.Errorf("finding %s %q has no place (file %q, line %d)", f.Rule, f.Detail, f.File, f.Line)
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.File)))
		if err != nil {
			t.Errorf("finding names %s, which cannot be opened: %v", f.File, err)
			continue
		}
		lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
		if f.Line > len(lines) {
			t.Errorf("%s:%d: the file has only %d lines", f.File, f.Line, len(lines))
			continue
		}
		// The excerpt is the line as written, trimmed (and cut at a redaction marker or
		// its length limit): its start must be on that line.
		ex := strings.TrimSpace(f.Excerpt)
		if i := strings.Index(ex, "«"); i >= 0 {
			ex = ex[:i]
		}
		ex = strings.TrimSuffix(ex, "…")
		if len(ex) > 40 {
			ex = ex[:40]
		}
		if ex != "" && !strings.Contains(lines[f.Line-1], ex) {
			t.Errorf("%s:%d: finding %s quotes %q, but the line reads %q", f.File, f.Line, f.Rule, f.Excerpt, lines[f.Line-1])
		}
	}
	for _, want := range []string{"FIND-S3FS", "FIND-SECRET", "FIT-NFS-MOUNT", "FIT-LOCAL-DATABASE", "FIT-HOST-CRON", "FIT-HARDCODED-IP", "FIT-KERNEL-TUNING", "FIT-WINDOWS", "FIT-DOCKER-PRESENT", "FIT-CONFIG-STORE"} {
		if !rules[want] {
			t.Errorf("the demo repository's scan has no %s finding", want)
		}
	}
}

// A file that could not be read may hold findings nobody saw: like assess, scan finishes,
// names the file, and exits 3 (partial) rather than 0.
func TestScanExitsPartialWhenAFileCannotBeRead(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		wantCode int
	}{
		{name: "all read", files: map[string]string{
			"ansible/site.yml": "- hosts: web\n  tasks:\n    - name: mount the bucket\n      shell: s3fs media /mnt/media\n",
		}, wantCode: exitOK},
		{name: "a playbook that does not parse", files: map[string]string{
			"ansible/site.yml":   "- hosts: web\n  tasks:\n    - name: mount the bucket\n      shell: s3fs media /mnt/media\n",
			"ansible/broken.yml": "- hosts: db\n  tasks:\n    - name: bad\n      shell: [unclosed\n",
		}, wantCode: exitPartial},
		{name: "a role named but not there is no unread file", files: map[string]string{
			"ansible/site.yml": "- hosts: web\n  roles:\n    - not-in-this-repo\n  tasks:\n    - name: mount\n      shell: s3fs media /mnt/media\n",
		}, wantCode: exitOK},
		{name: "a CodeDeploy hook in Python is named, not failed", files: map[string]string{
			"orders/appspec.yml":        "version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: scripts/mount.sh\n  AfterInstall:\n    - location: scripts/migrate.py\n",
			"orders/scripts/mount.sh":   "#!/bin/bash\ns3fs media /mnt/media\n",
			"orders/scripts/migrate.py": "print('migrate')\n",
		}, wantCode: exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for name, content := range tt.files {
				path := filepath.Join(root, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, format := range []string{"text", "json", "md"} {
				code, out, stderr := runIn(t, "", "scan", root, "--format", format)
				if code != tt.wantCode {
					t.Errorf("--format %s: exit %d, want %d\n%s%s", format, code, tt.wantCode, out, stderr)
				}
				if !strings.Contains(out, "FIND-S3FS") {
					t.Errorf("--format %s: the readable playbook's finding is missing:\n%s", format, out)
				}
				if tt.wantCode == exitPartial && !strings.Contains(out, "broken.yml") {
					t.Errorf("--format %s: the unread file is not named:\n%s", format, out)
				}
			}
		})
	}
}

// orderTree is a small repository of our own, written the way a team writes one: a
// Terraform root with a launch template whose user data is a file beside it, a group behind
// a sticky target group with a target-tracking policy and a night schedule, a target group
// left over from an old service, the user data, and the playbook it pulls at boot.
var orderTree = map[string]string{
	"main.tf": `variable "env" {
  default = "staging"
}

locals {
  name = "orders-${var.env}"
}

resource "aws_launch_template" "orders" {
  name_prefix   = "${local.name}-"
  image_id      = "ami-0abc1234def567890"
  instance_type = "m5.large"
  user_data     = base64encode(templatefile("${path.module}/user-data.sh", { env = var.env }))

  block_device_mappings {
    device_name = "/dev/xvdf"
    ebs {
      volume_size = 200
      volume_type = "gp3"
    }
  }

  metadata_options {
    http_tokens = "optional"
  }
}

resource "aws_autoscaling_group" "orders" {
  name                      = local.name
  min_size                  = 2
  max_size                  = 6
  health_check_type         = "ELB"
  health_check_grace_period = 900
  vpc_zone_identifier       = ["subnet-0aaa", "subnet-0bbb"]
  target_group_arns         = [aws_lb_target_group.orders.arn]

  mixed_instances_policy {
    instances_distribution {
      on_demand_percentage_above_base_capacity = 25
    }
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.orders.id
        version            = "$Latest"
      }
      override {
        instance_type = "m5.large"
      }
      override {
        instance_type = "m5a.large"
      }
    }
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                   = "cpu-50"
  autoscaling_group_name = aws_autoscaling_group.orders.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = 50
  }
}

resource "aws_autoscaling_schedule" "night" {
  scheduled_action_name  = "night"
  autoscaling_group_name = aws_autoscaling_group.orders.name
  recurrence             = "0 20 * * 1-5"
  min_size               = 0
  max_size               = 0
  desired_capacity       = 0
}

resource "aws_lb_target_group" "orders" {
  name     = "orders"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = "vpc-0abc"

  stickiness {
    type    = "lb_cookie"
    enabled = true
  }

  health_check {
    path     = "/healthz"
    protocol = "HTTP"
  }
}

# the old portal's target group: nothing is attached to it any more
resource "aws_lb_target_group" "portal_old" {
  name     = "portal-old"
  port     = 80
  protocol = "HTTP"
  vpc_id   = "vpc-0abc"

  stickiness {
    type            = "app_cookie"
    cookie_name     = "JSESSIONID"
    enabled         = true
  }
}
`,
	"user-data.sh": `#!/bin/bash
set -euo pipefail
yum -y update
yum install -y postgresql-server
echo "*/5 * * * * root /opt/orders/flush.sh" > /etc/cron.d/orders-flush
ansible-pull -U https://git.example.com/ops/orders.git ansible/site.yml
`,
	"ansible/site.yml": `- hosts: orders
  become: true
  tasks:
    - name: queue tuning
      sysctl:
        name: net.core.somaxconn
        value: "4096"

    - name: redis for the sessions
      yum:
        name: redis
        state: present

    - name: shared media
      mount:
        path: /srv/media
        src: fs-0123456.efs.eu-west-1.amazonaws.com:/
        fstype: nfs4
        state: mounted
`,
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// scan and assess read a tree through the same rules: every finding scan prints on what a
// workload uses is cited at the same place by that workload's signal for the same rule (or
// by the assessment's finding), every script fact a signal cites is printed by scan under
// that rule, and what no workload uses (an old target group) is scanned all the same.
func TestScanAndAssessCiteTheSamePlaces(t *testing.T) {
	root := writeTree(t, orderTree)
	code, out, stderr := runIn(t, "", "scan", root, "--format", "json")
	if code != exitOK {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	var scan struct {
		Findings []assess.ScanFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &scan); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if code, _, stderr := runIn(t, "", "assess", "--iac", root, "--scripts", root, "--format", "json", "--out", dir); code != exitOK {
		t.Fatalf("assess: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "assessment.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a assess.Assessment
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Workloads) != 1 {
		t.Fatalf("%d workloads, want the one group of the tree", len(a.Workloads))
	}

	placeOf := func(ev inventory.Evidence) string {
		file, line := assess.EvidencePlace(ev)
		if line == 0 {
			return ""
		}
		return file + ":" + strconv.Itoa(line)
	}
	cited := map[string]map[string]bool{} // place → rules the assessment cites there
	cite := func(rule string, ev inventory.Evidence) {
		if p := placeOf(ev); p != "" {
			if cited[p] == nil {
				cited[p] = map[string]bool{}
			}
			cited[p][rule] = true
		}
	}
	for _, s := range a.Workloads[0].Signals {
		for _, ev := range s.Evidence {
			cite(s.Rule, ev)
		}
	}
	for _, f := range a.Findings {
		cite(f.Rule, f.Evidence)
	}

	printed := map[string]map[string]bool{} // place → rules scan names there
	kinds := map[string]bool{}
	unused := 0
	for _, f := range scan.Findings {
		p := f.File + ":" + strconv.Itoa(f.Line)
		rules := append([]string{f.Rule}, f.AlsoRules...)
		for _, r := range rules {
			if printed[p] == nil {
				printed[p] = map[string]bool{}
			}
			printed[p][r] = true
		}
		kinds[f.Kind] = true
		if strings.HasPrefix(f.File, "userdata:") {
			t.Errorf("%s %s is cited in the rendered user data, not where the repository writes it", f.Rule, f.File)
		}
		if strings.Contains(f.Detail, "portal-old") {
			// No group uses it: scan reads it, the assessment has no workload to judge.
			unused++
			for _, r := range rules {
				if cited[p][r] {
					t.Errorf("%s: the assessment cites the unused target group for %s", p, r)
				}
			}
			continue
		}
		found := false
		for _, r := range rules {
			found = found || cited[p][r]
		}
		if !found {
			t.Errorf("scan prints %s %s (%s) at %s; the assessment cites nothing there for %v", f.Rule, f.Kind, f.Detail, p, rules)
		}
	}
	if unused != 1 {
		t.Errorf("scan printed %d findings for the unused target group, want its stickiness (its health check is AWS's default, not in the code)", unused)
	}
	for _, s := range a.Workloads[0].Signals {
		if s.Rule == assess.RuleMultiService && s.Points >= 0 {
			// A rule that counts is named by scan only where one file holds enough to
			// conclude; the assessment cites the few services it counted.
			continue
		}
		for _, ev := range s.Evidence {
			if ev.Field != "" || ev.Line == 0 {
				continue // a resource field, or a file looked in and found clean
			}
			if p := placeOf(ev); !printed[p][s.Rule] {
				t.Errorf("the assessment's %s cites the script fact at %s; scan does not print it for that rule", s.Rule, p)
			}
		}
	}
	for _, k := range []string{"target-group-stickiness", "health-check", "scaling-policy", "scheduled-action", "spot", "block-device", "metadata-options"} {
		if !kinds[k] {
			t.Errorf("scan printed no %q finding from the Terraform", k)
		}
	}
}

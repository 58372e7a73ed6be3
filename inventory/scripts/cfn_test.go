package scripts

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"whyk8s/inventory"
)

// A YAML template as teams write them: short-form tags, cfn-init with configSets (one
// config no set runs), user data from Fn::Base64 over a Fn::Sub block.
const cfnYAML = `AWSTemplateFormatVersion: "2010-09-09"
Description: orders web tier
Parameters:
  DataVolume: {Type: String, Default: /dev/xvdf}
Resources:
  OrdersLaunchTemplate:
    Type: AWS::EC2::LaunchTemplate
    Metadata:
      AWS::CloudFormation::Init:
        configSets:
          install: [base, web]
          everything:
            - ConfigSet: install
            - tuning
        base:
          packages:
            yum:
              nginx: []
              nfs-utils: []
            rpm:
              epel: https://dl.example.org/pub/epel/epel-release-latest-7.noarch.rpm
            python:
              awscli: []
          users:
            deploy: {groups: [docker, wheel]}
          sources:
            /opt/orders: https://artifacts.example.org/orders/orders-2.4.1.tar.gz
        web:
          files:
            /etc/fstab:
              content: !Sub |
                # shared uploads
                ${UploadsEfs}.efs.${AWS::Region}.amazonaws.com:/ /srv/uploads nfs4 nfsvers=4.1,_netdev 0 0
              mode: "000644"
            /etc/cron.d/orders-report:
              content: "15 2 * * * orders /opt/orders/bin/report\n"
            /etc/nginx/conf.d/upstream.conf:
              content: |
                upstream orders {
                  # old backend 10.20.0.9
                  server 10.20.1.15:8080;
                }
            /tmp/setup-orders.sh:
              content: !Sub |
                #!/bin/bash
                mkfs.xfs ${DataVolume}
                mount ${DataVolume} /var/lib/orders
              mode: "000700"
          commands:
            01-setup:
              command: /tmp/setup-orders.sh
            02-migrate:
              command: [docker, run, --rm, "orders/migrate:2.4"]
              cwd: /opt/orders
          services:
            sysvinit:
              nginx: {enabled: "true", ensureRunning: "true"}
              cfn-hup: {enabled: true, ensureRunning: true}
              sendmail: {enabled: false, ensureRunning: false}
        tuning:
          commands:
            sysctl:
              command: sysctl -w net.core.somaxconn=4096
        leftover:
          packages:
            yum:
              redis: []
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash -xe
            yum update -y aws-cfn-bootstrap
            /opt/aws/bin/cfn-init -v --stack ${AWS::StackName} --resource OrdersLaunchTemplate --configsets everything --region ${AWS::Region}
            echo 'GRUB_CMDLINE_LINUX="transparent_hugepage=never"' >> /etc/default/grub
            /opt/aws/bin/cfn-signal -e $? --stack ${AWS::StackName} --resource OrdersGroup --region ${AWS::Region}
`

// The same constructs in JSON, user data joined element by element, written the older way.
const cfnJSON = `{
  "Resources": {
    "WorkerConfig": {
      "Type": "AWS::AutoScaling::LaunchConfiguration",
      "Metadata": {
        "AWS::CloudFormation::Init": {
          "config": {
            "packages": {"apt": {"postgresql-client": [], "memcached": []}},
            "commands": {
              "10-mount": {"command": {"Fn::Join": ["", [
                "mount -t glusterfs ", {"Ref": "GlusterHost"}, ":/shared /mnt/shared"
              ]]}}
            },
            "services": {"systemd": {"memcached": {"enabled": "true"}}}
          }
        }
      },
      "Properties": {
        "ImageId": "ami-0fedcba9876543210",
        "UserData": {"Fn::Base64": {"Fn::Join": ["", [
          "#!/bin/bash\n",
          "apt-get install -y docker.io\n",
          "echo '", {"Fn::GetAtt": ["Share", "DNSName"]}, ":/ /mnt/share efs _netdev,tls 0 0' | tee -a /etc/fstab\n",
          "/usr/local/bin/cfn-init -s ", {"Ref": "AWS::StackName"}, " -r WorkerConfig\n",
          {"Fn::If": ["WithAgent", "curl -sSL https://get.example.net/agent.sh | bash\n", {"Ref": "AWS::NoValue"}]},
          "grubby --update-kernel=ALL --args=\"intel_idle.max_cstate=1\"\n"
        ]]}}
      }
    }
  }
}
`

func TestCloudFormationReader(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            []string
	}{
		// cfn-init is one run at boot, cited at the metadata that holds its work (9, 6),
		// not also where the user data runs it (75, 24).
		{"YAML template", "stacks/orders.yaml", cfnYAML, []string{
			"9 config-mgmt cfn-init",
			"18 web-server nginx",
			"19 nfs-mount nfs-utils (network file system client)",
			"21 boot-work download epel-release-latest-7.noarch.rpm",
			"21 package epel",
			"23 package awscli",
			"25 docker user in docker group",
			"27 boot-work download orders-2.4.1.tar.gz",
			"33 nfs-mount /srv/uploads (nfs4 ${UploadsEfs}.efs.${AWS_Region}.amazonaws.com:/)",
			"35 cron /etc/cron.d/orders-report",
			"41 hardcoded-ip 10.20.1.15",
			"46 data-volume mkfs.xfs ${DataVolume}",
			"53 docker docker run orders/migrate:2.4",
			"57 web-server nginx",
			"57 service nginx",
			"58 service cfn-hup",
			"63 kernel-tuning net.core.somaxconn",
			"74 package aws-cfn-bootstrap",
			"76 kernel-tuning kernel command line transparent_hugepage=never",
		}},
		{"JSON template", "stacks/worker.template", cfnJSON, []string{
			"6 config-mgmt cfn-init",
			"8 database memcached",
			"8 package postgresql-client",
			"11 nfs-mount /mnt/shared (glusterfs ${GlusterHost}:/shared)",
			"14 database memcached",
			"14 service memcached",
			"22 docker docker.io",
			"23 nfs-mount /mnt/share (efs ${Share_DNSName}:/)",
			"25 boot-work curl | bash (get.example.net)",
			"26 kernel-tuning kernel command line intel_idle.max_cstate=1",
		}},
	}
	// Metadata that no user data of the template runs (cfn-hup applies it, or another
	// stack's instances do) is still cfn-init's work, cited at its key; a cfn-init
	// command in a template without metadata keeps its own fact.
	tests = append(tests, struct {
		name, path, src string
		want            []string
	}{"metadata without a cfn-init call", "cfn/node-lt.yml", `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  NodeLT:
    Type: AWS::EC2::LaunchTemplate
    Metadata:
      AWS::CloudFormation::Init:
        config:
          packages:
            yum:
              haproxy: []
    Properties:
      LaunchTemplateData:
        ImageId: ami-0abc
`, []string{"6 config-mgmt cfn-init", "10 web-server haproxy"}}, struct {
		name, path, src string
		want            []string
	}{"cfn-init run without metadata", "cfn/runner.yml", `Resources:
  RunnerLC:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0abc
      UserData: !Base64
        Fn::Sub: |
          #!/bin/bash
          /opt/aws/bin/cfn-init -v --stack ${Shared} --resource Base --region ${AWS::Region}
`, []string{"9 config-mgmt cfn-init"}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, res := readAs(t, tt.path, tt.src)
			if res.script.Kind != inventory.ScriptCloudFormation {
				t.Fatalf("kind %s, want %s", res.script.Kind, inventory.ScriptCloudFormation)
			}
			wantFacts(t, got, tt.want, true)
			for _, f := range res.script.Facts {
				if f.Evidence.File != tt.path {
					t.Errorf("fact %s cited in %q, want the template", f.Detail(), f.Evidence.File)
				}
				if f.Evidence.Excerpt == "" {
					t.Errorf("fact %s at line %d has no excerpt", f.Detail(), f.Evidence.Line)
				}
			}
		})
	}
}

// TestCloudFormationUnread: what cfn-init never runs, and what the template does not fix,
// is not read as work done.
func TestCloudFormationUnread(t *testing.T) {
	got, _ := readAs(t, "orders.yaml", cfnYAML)
	for _, g := range got {
		switch {
		case strings.Contains(g, "redis"):
			t.Errorf("a config no configSet runs was read: %s", g)
		case strings.Contains(g, "sendmail"):
			t.Errorf("a service neither enabled nor running was read: %s", g)
		case strings.Contains(g, "10.20.0.9"):
			t.Errorf("an address in a comment was read: %s", g)
		}
	}
}

func TestLooksCloudFormation(t *testing.T) {
	tests := []struct {
		name, text string
		want       bool
	}{
		{"YAML with version", "AWSTemplateFormatVersion: 2010-09-09\nResources: {}\n", true},
		{"YAML without version", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n", true},
		{"SAM", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: 'AWS::Serverless::Function'\n", true},
		{"JSON", "{\n  \"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}\n}", true},
		{"playbook deploying a stack", "- hosts: localhost\n  tasks:\n    - cloudformation:\n        template_body: |\n          AWSTemplateFormatVersion: x\n          Resources:\n            Q:\n              Type: AWS::SQS::Queue\n", false},
		{"cloud-config", "#cloud-config\nruncmd:\n  - echo AWS::Region\n", false},
		{"compose file", "services:\n  web:\n    image: nginx\n", false},
	}
	for _, tt := range tests {
		if got := looksCloudFormation(tt.text); got != tt.want {
			t.Errorf("%s: looksCloudFormation = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// A cloud-config kept without its #cloud-config line — a template Terraform renders into
// a MIME part that adds the header — is read as cloud-config; Ansible's files that share
// its key names are not.
func TestBootKind(t *testing.T) {
	tests := []struct {
		path, text, want string
	}{
		{"cloud-init/efs.tpl.yml", "---\n# mount the share\nruncmd:\n  - [mkdir, -p, \"${mount_point}\"]\nmounts:\n  - [\"${efs_id}:/\", \"${mount_point}\", efs, \"_netdev,tls\", \"0\", \"0\"]\n", inventory.ScriptCloudConfig},
		{"user-data", "package_upgrade: true\npackages: [nginx]\n", inventory.ScriptCloudConfig},
		{"group_vars/all.yml", "mounts:\n  - {src: nas:/x, path: /x, fstype: nfs}\npackages: [nfs-utils]\n", ""},
		{"vars.yml", "packages: [nginx]\nusers: [deploy]\n", ""},
		{"docker-compose.yml", "services:\n  web: {image: nginx}\n", ""},
		{"stack.template", cfnJSON, inventory.ScriptCloudFormation},
		{"run.sh", cfnJSON, ""},
	}
	for _, tt := range tests {
		hint, _ := nameHint(tt.path, "")
		if got := bootKind(hint, tt.path, "", tt.text); got != tt.want {
			t.Errorf("%s: bootKind = %q, want %q", tt.path, got, tt.want)
		}
	}
	got, res := readAs(t, "cloud-init/efs.tpl.yml", tests[0].text)
	if res.script.Kind != inventory.ScriptCloudConfig {
		t.Fatalf("kind %s", res.script.Kind)
	}
	wantFacts(t, got, []string{"6 nfs-mount ${mount_point} (efs ${efs_id}:/)"}, true)
}

// write_files content a template fills in is unknown, not broken: the path still says what
// the file is, and no gap is reported for it.
func TestWriteFilesTemplatedContent(t *testing.T) {
	src := `#cloud-config
write_files:
- content: '${base64encode(docker_daemon_json)}'
  encoding: b64
  path: /etc/docker/daemon.json
- content: '${base64encode(file("${assets}/cleanup.crontab"))}'
  encoding: b64
  path: /etc/cron.d/cleanup
`
	got, _ := readAs(t, "cloud-config.yml.tpl", src) // readAs fails on any gap
	wantFacts(t, got, []string{"5 docker /etc/docker/daemon.json", "8 cron /etc/cron.d/cleanup"}, true)

	res, gaps, _ := readFile("bad.yml", []byte("#cloud-config\nwrite_files:\n- content: 'not*base64!'\n  encoding: b64\n  path: /etc/cron.d/x\n"), 1<<20, "", true)
	if len(gaps) != 1 || !strings.Contains(gaps[0].Message, "not valid base64") {
		t.Errorf("broken base64: gaps %+v", gaps)
	}
	if res == nil || len(factsOf(res.script.Facts)) != 1 {
		t.Errorf("broken base64: the path is still read")
	}
}

// Duo Unix's login configuration, however it is written, says people log in to the host
// over SSH: who may log in is managed there.
func TestDuoLoginWritten(t *testing.T) {
	got, _ := readAs(t, "bastion.yml.tpl", `#cloud-config
write_files:
- content: '${base64encode(duo_config)}'
  encoding: b64
  owner: 'sshd:root'
  path: /etc/duo/pam_duo.conf
  permissions: '0600'
`)
	wantFacts(t, got, []string{"6 local-user Duo two-factor SSH login"}, true)
	got, _ = readAs(t, "jump.sh", "#!/bin/bash\ncat > /etc/security/login_duo.conf <<'EOF'\n[duo]\nhost = api.example\nEOF\n")
	wantFacts(t, got, []string{"2 local-user Duo two-factor SSH login"}, true)
}

// Files kept in a root-file-system overlay land where their path says: a cron file there
// is a host cron job, whatever its name.
func TestOverlayCronFiles(t *testing.T) {
	for _, p := range []string{"packer/root/etc/cron.hourly/logrotate", "image/files/etc/cron.d/cleanup", "rootfs/etc/crontab"} {
		got, _ := readAs(t, p, "#!/bin/sh\nexec logrotate /etc/logrotate.conf\n")
		wantFacts(t, got, []string{"1 cron " + installedAs(p)}, true)
	}
	if installedAs("docs/cron.d/notes") != "" {
		t.Error("a cron.d folder outside an etc/ tree is not the host's")
	}
}

// A small template whose aliases name the same list exponentially many times, or whose
// configSets include each other, is read within bounds: the user data that cannot be
// rendered is a gap, not a hang.
func TestCloudFormationBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: '2010-09-09'\nx0: &x0 {\"Fn::Join\": [\"\", [\"\", \"\"]]}\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "x%d: &x%d {\"Fn::Join\": [\"\", [*x%d, *x%d]]}\n", i, i, i-1, i-1)
	}
	b.WriteString("Resources:\n  LC:\n    Type: AWS::AutoScaling::LaunchConfiguration\n    Metadata:\n      AWS::CloudFormation::Init:\n        configSets:\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "          s%d: [{ConfigSet: s%d}, {ConfigSet: s%d}, {ConfigSet: s%d}]\n", i, (i+1)%30, (i+2)%30, (i+3)%30)
	}
	b.WriteString("    Properties:\n      UserData: *x40\n")
	done := make(chan struct{})
	var gaps []inventory.CoverageGap
	go func() {
		_, gaps, _ = readFile("bomb.yaml", []byte(b.String()), 1<<20, "", true)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("reading the template did not finish")
	}
	if len(gaps) != 1 || gaps[0].Kind != inventory.GapTooLarge || !strings.Contains(gaps[0].Message, "UserData") {
		t.Errorf("gaps %+v, want one too-large gap for the user data", gaps)
	}
}

func TestCFNRenderLines(t *testing.T) {
	// Each line of the rendered text is placed where its first character is written.
	src := `UserData:
  Fn::Join:
    - ""
    - - "#!/bin/bash\n"
      - "echo "
      - Ref: Name
      - "\nsystemctl start app\n"
      - !Sub "echo ${!Literal} ${AWS::Region}"
`
	docs, err := parseYAML(src)
	if err != nil {
		t.Fatal(err)
	}
	n := mapGet(docs[0], "UserData")
	tx := &cfnText{file: "t.yaml"}
	tx.render(n, 0)
	text, at, ok := tx.done(1)
	if !ok {
		t.Fatal("over the limit")
	}
	want := "#!/bin/bash\necho ${Name}\nsystemctl start app\necho ${Literal} ${AWS_Region}"
	if text != want {
		t.Errorf("text %q, want %q", text, want)
	}
	var lines []int
	for _, p := range at {
		lines = append(lines, p.line)
	}
	if got, wantLines := lines, []int{4, 5, 7, 8}; !equalInts(got, wantLines) {
		t.Errorf("lines %v, want %v", got, wantLines)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

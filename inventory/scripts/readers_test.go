package scripts

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"whyk8s/inventory"
)

// readAs reads src as a file at path p, the way Scan does, and returns its fact rows.
func readAs(t *testing.T, p, src string) ([]string, *fileResult) {
	t.Helper()
	res, gaps, verdict := readFile(p, []byte(src), 1<<20, "", true)
	if verdict != verdictRead || res == nil {
		t.Fatalf("%s: verdict %d, gaps %+v", p, verdict, gaps)
	}
	if len(gaps) > 0 {
		t.Errorf("%s: gaps %+v", p, gaps)
	}
	return factsOf(res.script.Facts), res
}

func TestAnsibleReader(t *testing.T) {
	tests := []struct {
		name, path, src string
		kind            string
		want            []string
		exact           bool
	}{
		{"FQCN and short forms, loops", "roles/db/tasks/main.yml", `- name: Postgres
  ansible.builtin.package:
    name: "{{ item }}"
    state: present
  with_items:
    - postgresql-15
    - python3-psycopg2
- name: enable
  ansible.builtin.service:
    name: postgresql
    enabled: true
- name: removed is not installed
  apt: name=apache2 state=absent
- name: stopped is not started
  service: name=apache2 state=stopped
`, inventory.ScriptAnsibleTasks, []string{"6 database postgresql", "7 package python3-psycopg2", "10 database postgresql", "10 service postgresql"}, true},
		{"loop over items with fields", "tasks/users.yml", `- user:
    name: "{{ item.name }}"
    groups: "{{ item.groups }}"
  loop:
    - { name: alice, groups: docker }
    - { name: bob, groups: wheel }
`, inventory.ScriptAnsibleTasks, []string{"1 local-user {{ item.name }}"}, false},
		{"docker, sysctl, modprobe, firewall, cron", "playbooks/host.yml", `- hosts: all
  tasks:
    - community.docker.docker_container:
        name: app
        image: registry.example.com/app:2.1
        env:
          APP_MODE: prod
    - ansible.posix.sysctl: {name: net.core.somaxconn, value: "4096"}
    - community.general.modprobe: {name: ip_vs}
    - community.general.ufw: {rule: allow, port: "443"}
    - ansible.builtin.cron: {name: logrotate-app, minute: "0", job: /usr/sbin/logrotate /etc/app.conf}
    - ansible.windows.win_feature: {name: Web-Server}
`, inventory.ScriptAnsiblePlay, []string{"3 docker docker_container registry.example.com/app:2.1", "7 env-config APP_MODE", "8 kernel-tuning net.core.somaxconn", "9 kernel-tuning module ip_vs", "10 host-firewall ufw", "11 cron cron logrotate-app", "12 windows ansible win_feature", "12 web-server iis"}, true},
		{"a variable for the version does not hide the server", "roles/pg/tasks/main.yml", `- name: install
  ansible.builtin.package:
    name:
      - "postgresql-{{ pg_version }}"
      - "postgresql-{{ pg_version }}-contrib"
      - "{{ extra_package }}"
- ansible.builtin.systemd_service:
    name: "postgresql@{{ pg_version }}-main"
    enabled: true
- ansible.builtin.service: {name: "{{ app_service }}", state: started}
`, inventory.ScriptAnsibleTasks, []string{"4 database postgresql", "8 service postgresql@{{ pg_version }}-main", "8 database postgresql@{{ pg_version }}-main"}, true},
		{"shell module with literal block keeps lines", "roles/app/tasks/main.yml", `- name: bootstrap
  shell: |
    set -e
    curl -sL https://deb.nodesource.com/setup_20.x | bash -
    npm install -g pm2
    pm2 start /srv/app/server.js
  args:
    chdir: /srv/app
- command: mkfs.ext4 /dev/xvdf creates=/dev/xvdf1
`, inventory.ScriptAnsibleTasks, []string{"4 boot-work curl | bash (deb.nodesource.com)", "6 service pm2 /srv/app/server.js", "9 data-volume mkfs.ext4 /dev/xvdf"}, true},
		{"Jinja in commands is rendered, not parsed as shell", "roles/app/tasks/main.yml", `- name: dirs
  shell: mkdir -p {{ app_dir }} && chown {{ app_user }}:{{ app_group | default('app') }} {{ app_dir }}
- name: conditional
  shell: |
    {% if use_efs %}
    mount -t efs {{ efs_id }}:/ /mnt/efs
    {% endif %}
    {# the exporter listens on 9100 #}
    sysctl -w net.core.somaxconn={{ somaxconn }}
- command: "/usr/bin/psql -c \"{{ sql | quote }}\""
`, inventory.ScriptAnsibleTasks, []string{"6 nfs-mount /mnt/efs (efs {{efs_id}}:/)", "9 kernel-tuning net.core.somaxconn"}, true},
		{"Ansible 1.x loops and a firewall rules file", "roles/haproxy/tasks/main.yml", `- name: Install haproxy and socat
  yum: name=$item state=installed
  with_items:
    - haproxy
    - socat
- name: Open the listener
  template: src=iptables.j2 dest=/etc/sysconfig/iptables
`, inventory.ScriptAnsibleTasks, []string{"4 web-server haproxy", "5 package socat", "7 host-firewall iptables rules /etc/sysconfig/iptables"}, true},
		{"user data of the instances a playbook launches", "playbooks/launch.yml", `- hosts: localhost
  tasks:
    - amazon.aws.ec2_instance:
        name: web
        image_id: ami-0abcdef1234567890
        user_data: |
          #!/bin/bash
          yum install -y httpd mariadb-server
          echo "{{ efs_id }}:/ /var/www efs _netdev 0 0" >> /etc/fstab
    - community.windows.win_shell: echo
    - ec2:
        user_data: |
          <powershell>
          Install-WindowsFeature Web-Server
          </powershell>
`, inventory.ScriptAnsiblePlay, []string{"8 web-server httpd", "8 database mariadb-server", "9 nfs-mount /var/www (efs {{efs_id}}:/)", "13 windows powershell user data", "14 web-server iis"}, false},
		{"sysctl settings over a loop", "roles/k8s/tasks/sysctl.yml", `- name: kube-bench parameters
  sysctl:
    name: "{{ item.name }}"
    value: "{{ item.value }}"
  with_items:
    - { name: vm.overcommit_memory, value: 1 }
    - { name: kernel.panic, value: 10 }
`, inventory.ScriptAnsibleTasks, []string{"6 kernel-tuning vm.overcommit_memory", "7 kernel-tuning kernel.panic"}, true},
		{"system accounts are not logins", "roles/exporter/tasks/main.yml", `- user: {name: node_exporter, system: true, shell: /sbin/nologin, create_home: false}
- ansible.builtin.user:
    name: deploy
    shell: /bin/bash
`, inventory.ScriptAnsibleTasks, []string{"2 local-user deploy"}, true},
		{"templates and env", "roles/app/tasks/main.yml", `- template:
    src: app.env.j2
    dest: /etc/default/app
- copy:
    dest: /etc/cron.d/app-report
    content: "0 6 * * * app /srv/app/bin/report\n"
- blockinfile:
    path: /etc/fstab
    block: |
      10.1.2.3:/export /mnt/share nfs defaults 0 0
`, inventory.ScriptAnsibleTasks, []string{"1 env-config env file /etc/default/app", "4 cron /etc/cron.d/app-report", "10 hardcoded-ip 10.1.2.3", "10 nfs-mount /mnt/share (nfs 10.1.2.3:/export)"}, true},
		{"vars file", "group_vars/windows.yml", `ansible_connection: winrm
db_host: 172.16.4.20
packages: [a, b]
`, inventory.ScriptAnsibleVars, []string{"1 windows ansible winrm connection", "2 hardcoded-ip 172.16.4.20"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, res := readAs(t, tt.path, tt.src)
			if res.script.Kind != tt.kind {
				t.Errorf("kind %s, want %s", res.script.Kind, tt.kind)
			}
			wantFacts(t, got, tt.want, tt.exact)
		})
	}
}

func TestCloudConfigReader(t *testing.T) {
	src := `#cloud-config
bootcmd:
  - [ cloud-init-per, once, mkfs-data, mkfs.xfs, /dev/nvme1n1 ]
packages:
  - docker
  - amazon-efs-utils
mounts:
  - [ "fs-0abc:/", /mnt/efs, efs, "tls,_netdev", "0", "0" ]
runcmd:
  - |
    export ENVIRONMENT=staging
    aws secretsmanager get-secret-value --secret-id app/staging --query SecretString --output text > /etc/app.json
  - systemctl enable --now docker
users:
  - name: deploy
    groups: docker
`
	got, res := readAs(t, "user-data", src)
	if res.script.Kind != inventory.ScriptCloudConfig {
		t.Fatalf("kind %s", res.script.Kind)
	}
	wantFacts(t, got, []string{"3 data-volume mkfs.xfs /dev/nvme1n1", "5 docker docker", "6 nfs-mount amazon-efs-utils (network file system client)",
		"8 nfs-mount /mnt/efs (efs fs-0abc:/)", "11 env-config ENVIRONMENT", "12 config-store secretsmanager app/staging",
		"13 docker docker", "13 service docker", "15 local-user deploy", "15 docker user in docker group"}, true)

	// cloud-init's short device names, its instance-store default and its own modules for
	// configuration management.
	got, _ = readAs(t, "cloud-init/mounts.cfg", `#cloud-config
mounts:
  - [ ephemeral0, /mnt, auto, "defaults,noexec" ]
  - [ sdc, /opt/data ]
  - [ nvme1n1, /var/lib/app, xfs ]
ansible:
  install_method: pip
  pull:
    url: https://git.example.internal/infra/site.git
    playbook_name: site.yml
chef:
  server_url: https://chef.example.internal
`)
	wantFacts(t, got, []string{"4 data-volume /opt/data (/dev/sdc)", "5 data-volume /var/lib/app (/dev/nvme1n1)",
		"6 config-mgmt ansible-pull (cloud-init ansible module)", "11 config-mgmt chef-client (cloud-init chef module)"}, true)
}

func TestPackerReader(t *testing.T) {
	hclSrc := `variable "base" { default = "al2023" }
source "amazon-ebs" "gpu" {
  ami_name = "ml-train-{{timestamp}}"
  source_ami_filter {
    filters = { name = "Deep Learning AMI GPU PyTorch*" }
    owners  = ["amazon"]
  }
}
build {
  sources = ["source.amazon-ebs.gpu"]
  provisioner "shell" {
    inline = ["sudo pip3 install torch==2.2 mlflow", "sudo systemctl enable nvidia-persistenced"]
  }
  provisioner "file" {
    source      = "files/train.service"
    destination = "/etc/systemd/system/train.service"
  }
  post-processors {
    post-processor "manifest" { output = "out/manifest.json" }
  }
}
`
	got, res := readAs(t, "images/ml.pkr.hcl", hclSrc)
	wantFacts(t, got, []string{"2 image-build amazon-ebs.gpu (ml-train-{{timestamp}})", "5 gpu source image Deep Learning AMI GPU PyTorch*",
		"12 batch-ml mlflow", "12 batch-ml pytorch", "12 service nvidia-persistenced", "12 gpu nvidia-persistenced"}, true)
	if res.script.Name != "gpu" || res.manifestOutputs[0] != "out/manifest.json" || res.script.AMINamePatterns[0] != "ml-train-{{timestamp}}" {
		t.Errorf("name %q outputs %v patterns %v", res.script.Name, res.manifestOutputs, res.script.AMINamePatterns)
	}

	jsonSrc := `{
  "builders": [{"type": "amazon-ebs", "name": "web", "ami_name": "web {{isotime \"2006-01-02\"}}"}],
  "provisioners": [
    {"type": "shell", "inline": ["yum -y install httpd", "systemctl enable httpd"]},
    {"type": "ansible", "playbook_file": "../ansible/web.yml"}
  ]
}`
	got, res = readAs(t, "packer/web.json", jsonSrc)
	if res.script.Kind != inventory.ScriptPackerJSON {
		t.Fatalf("kind %s", res.script.Kind)
	}
	wantFacts(t, got, []string{"2 image-build amazon-ebs.web (web {{isotime \"2006-01-02\"}})", "4 web-server httpd", "4 service httpd",
		"5 ansible-provisioner ansible provisioner (image configured by Ansible at build time)"}, true)
	if len(res.refs) != 1 || res.refs[0].target != "../ansible/web.yml" || res.refs[0].line != 5 {
		t.Errorf("refs %+v", res.refs)
	}
}

func TestPowerShellReader(t *testing.T) {
	got, _ := readAs(t, "bootstrap.ps1", `# Web tier
Install-WindowsFeature Web-Server
# Start-Service Ignored
choco install -y nodejs-lts
New-NetFirewallRule -DisplayName http -LocalPort 80 -Protocol TCP -Action Allow
`)
	wantFacts(t, got, []string{"1 windows powershell", "2 web-server iis", "4 package nodejs-lts", "5 host-firewall windows firewall"}, true)

	got, _ = readAs(t, "roles/mssql/files/create-db.ps1", `[System.Reflection.Assembly]::LoadWithPartialName('Microsoft.SqlServer.SMO') | out-null
$s = New-Object ('Microsoft.SqlServer.Management.Smo.Server') "(local)"
$db = New-Object Microsoft.SqlServer.Management.Smo.Database($s, "orders")
$db.Create()
netsh firewall add portopening TCP 1433 "SQL Server"
`)
	wantFacts(t, got, []string{"1 windows powershell", "3 database sql-server database created", "5 host-firewall windows firewall"}, true)

	// Configuration management at boot, the Windows way; the CloudWatch agent configured
	// from Parameter Store.
	got, _ = readAs(t, "web-userdata.ps1", `<powershell>
Start-DscConfiguration -Path C:\dsc -Wait -Force
& "C:\opscode\chef\bin\chef-client.bat" -o "role[web]"
puppet agent --test --server puppet.corp.example.com
& amazon-cloudwatch-agent-ctl.ps1 -a fetch-config -m ec2 -c ssm:AmazonCloudWatch-web -s
</powershell>
`)
	wantFacts(t, got, []string{"1 windows powershell", "2 config-mgmt powershell-dsc", "3 config-mgmt chef-client", "4 config-mgmt puppet agent",
		"5 observability cloudwatch agent", "5 config-store ssm AmazonCloudWatch-web"}, false)

	// Files fetched to disk at boot, however PowerShell fetches them; a request whose
	// answer is only read is not a download.
	got, _ = readAs(t, "userdata.ps1", `<powershell>
Read-S3Object -BucketName acme-builds -Key releases/orders-2.4.zip -File C:\deploy\orders-2.4.zip
Copy-S3Object -BucketName acme-builds -Key tools/agent.msi -LocalFile "C:\Temp\agent.msi"
Invoke-WebRequest -Uri https://downloads.example.net/dotnet/dotnet-hosting-8.0.exe -OutFile $env:TEMP\dotnet-hosting.exe
$health = Invoke-WebRequest -Uri http://localhost/health -UseBasicParsing
(New-Object System.Net.WebClient).DownloadFile("https://dl.example.org/7z.msi", "C:\Temp\7z.msi")
Start-BitsTransfer -Source https://cdn.example.com/app.zip -Destination D:\apps\app.zip
</powershell>
`)
	wantFacts(t, got, []string{"1 windows powershell", "2 boot-work download orders-2.4.zip", "3 boot-work download agent.msi",
		"4 boot-work download dotnet-hosting.exe", "6 boot-work download 7z.msi", "7 boot-work download app.zip"}, true)

	// A task run at startup is boot work, not a schedule; a daily one is.
	got, _ = readAs(t, "keys.ps1", `$t = New-ScheduledTaskTrigger -AtStartup
Register-ScheduledTask -TaskName FetchKeys -Trigger $t -Action $a
schtasks /create /tn Rotate /tr C:\ops\rotate.cmd /sc daily /st 02:00
schtasks.exe /Create /TN Warm /TR C:\ops\warm.cmd /SC ONSTART
`)
	wantFacts(t, got, []string{"1 windows powershell", "3 cron scheduled task"}, true)
}

// A user-data fragment kept as a template, without a #! line of its own, is read as the
// shell it is; a config template is not.
func TestShellTemplateFragment(t *testing.T) {
	src := `# register the runner
TOKEN=$(aws ssm get-parameter --name "${token_path}" --with-decryption --query Parameter.Value --output text)
mkdir -p /etc/runner
if [ "${executor}" = "docker" ]; then
  yum install -y docker
  systemctl enable --now docker
fi
${extra_commands}
`
	got, res := readAs(t, "templates/runner.tftpl", src)
	if res.script.Kind != inventory.ScriptShell {
		t.Fatalf("kind %s", res.script.Kind)
	}
	wantFacts(t, got, []string{"2 config-store ssm ${token_path}", "5 docker docker", "6 docker docker", "6 service docker"}, true)

	for _, p := range []string{"templates/nginx.conf.tpl", "notes.txt"} {
		res, _, verdict := readFile(p, []byte("server {\n  listen 80;\n  location / { proxy_pass http://app:8080; }\n}\n"), 1<<20, "", false)
		if verdict != verdictSkip || res != nil {
			t.Errorf("%s: a config template was read as a script", p)
		}
	}
	if _, _, verdict := readFile("notes.tpl", []byte(src), 1<<20, "", false); verdict != verdictRead {
		t.Errorf("notes.tpl: verdict %d", verdict)
	}
}

// TestSQLServer: a SQL Server engine installed or run on the instance is a database; its
// client tools and the SqlServer PowerShell module are not.
func TestSQLServer(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            []string
	}{
		{"setup with the engine feature", "win/setup.ps1",
			`& "D:\setup.exe" /Q /ACTION=Install /FEATURES=SQLENGINE /INSTANCENAME=MSSQLSERVER /IACCEPTSQLSERVERLICENSETERMS` + "\n",
			[]string{"1 database sql-server"}},
		{"features quoted, mixed case, with others", "win/setup.ps1",
			`Start-Process -FilePath $setup -ArgumentList '/qs /Action="Install" /Features="SQLEngine,FullText" /InstanceName="BILLING"' -Wait` + "\n",
			[]string{"1 database sql-server"}},
		{"install with an instance, features in a configuration file", "win/setup.ps1",
			`.\setup.exe /ACTION=Install /INSTANCENAME=SQLEXPRESS /CONFIGURATIONFILE=C:\sql\ConfigurationFile.ini` + "\n",
			[]string{"1 database sql-server"}},
		{"features without the engine", "win/setup.ps1",
			`.\setup.exe /Q /ACTION=Install /FEATURES=AS,Tools /INSTANCENAME=CUBES` + "\n", nil},
		{"uninstall", "win/setup.ps1",
			`.\setup.exe /Q /ACTION=Uninstall /FEATURES=SQLENGINE /INSTANCENAME=MSSQLSERVER` + "\n", nil},
		{"choco engine packages", "win/choco.ps1",
			"choco install sql-server-2019 -y\nchoco install -y mssqlserver2014express\n",
			[]string{"1 database sql-server", "2 database sql-server"}},
		{"choco client tools", "win/choco.ps1",
			"choco install -y sql-server-management-studio\n",
			[]string{"1 package sql-server-management-studio"}},
		{"the SqlServer module is not the engine", "win/module.ps1",
			"Install-Module -Name SqlServer -Force -AllowClobber\nInstall-Module SqlServer\n", nil},
		{"default instance service started", "win/start.ps1",
			"Start-Service MSSQLSERVER\n",
			[]string{"1 service MSSQLSERVER", "1 database sql-server"}},
		{"named instance service enabled", "win/start.ps1",
			"Set-Service -Name 'MSSQL$REPORTING' -StartupType Automatic\n",
			[]string{"1 service MSSQL$REPORTING", "1 database sql-server"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := readAs(t, tt.path, tt.src)
			wantFacts(t, got, append([]string{"1 windows powershell"}, tt.want...), true)
		})
	}

	got, _ := readAs(t, "userdata/sql.sh", "#!/bin/bash\napt-get install -y mssql-server mssql-tools18\nsystemctl enable --now mssql-server\n")
	wantFacts(t, got, []string{"2 database sql-server", "2 package mssql-tools18", "3 service mssql-server", "3 database sql-server"}, true)

	got, _ = readAs(t, "packer/win.pkr.hcl", `source "amazon-ebs" "win" {
  ami_name = "win"
}
build {
  sources = ["source.amazon-ebs.win"]
  provisioner "powershell" {
    inline = [
      "Install-Module SqlServer -Force",
      "& \"$($drive):\\setup.exe\" /Q /ACTION=Install /FEATURES=SQLENGINE /INSTANCENAME=MSSQLSERVER",
    ]
  }
}
`)
	wantFacts(t, got, []string{"1 image-build amazon-ebs.win (win)", "6 windows powershell provisioner", "9 database sql-server"}, true)

	got, _ = readAs(t, "ansible/roles/db/tasks/main.yml", `- win_chocolatey:
    name: sql-server-2022
- win_service:
    name: MSSQLSERVER
    state: started
`)
	wantFacts(t, got, []string{"1 windows ansible win_chocolatey", "2 database sql-server", "3 windows ansible win_service", "4 service MSSQLSERVER", "4 database sql-server"}, true)
}

// TestPackerInlineInterpolation reads inline commands the way real templates write them:
// with Packer's own interpolations, and with commands kept in files.
func TestPackerInlineInterpolation(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            []string
		refs            []string // "line target"
		gaps            []string // "line kind"
	}{
		{"HCL variables, locals and functions", "app.pkr.hcl", `build {
  provisioner "shell" {
    inline = [
      "sudo mkdir -p ${var.app_dir}",
      "sudo mount -t efs ${local.efs_id}:/ /mnt/efs",
      "echo ${upper(var.app_dir)} > /etc/app-dir",
      "sudo yum install -y ${var.packages}",
      "echo $${HOME:-/root}",
    ]
  }
}
variable "packages" { default = "redis nginx" }
locals { efs_id = "fs-0a1b2c3d" }
`, []string{"5 nfs-mount /mnt/efs (efs fs-0a1b2c3d:/)", "7 database redis", "7 web-server nginx"}, nil, nil},
		{"legacy JSON user and env variables", "legacy.json", `{
  "variables": {"efs": "fs-99", "dir": "/srv/app"},
  "builders": [{"type": "amazon-ebs", "ami_name": "app-{{timestamp}}"}],
  "provisioners": [{"type": "shell", "inline": [
    "sudo mkdir -p {{user ` + "`dir`" + `}} {{ .Vars }}",
    "sudo mount -t efs {{user ` + "`efs`" + `}}:/ /mnt/efs",
    "curl -s {{env ` + "`CONFIG_URL`" + `}} | sudo bash"
  ]}]
}`, []string{"3 image-build amazon-ebs.amazon-ebs (app-{{timestamp}})", "6 nfs-mount /mnt/efs (efs fs-99:/)", "7 boot-work curl | bash"}, nil, nil},
		{"commands kept in files, and in a variable", "build.pkr.hcl", `build {
  provisioner "shell" {
    inline = [
      "sudo yum install -y nginx",
      templatefile("${path.root}/scripts/setup.sh.pkrtpl.hcl", { env = "prod" }),
    ]
  }
  provisioner "shell" {
    inline = split("\n", file("scripts/harden.sh"))
  }
  provisioner "shell" {
    scripts = concat(["scripts/a.sh"], var.extra_scripts)
  }
  provisioner "shell" {
    inline = var.commands
  }
}
`, []string{"4 web-server nginx"}, []string{"5 ${path.root}/scripts/setup.sh.pkrtpl.hcl", "9 scripts/harden.sh", "12 scripts/a.sh"},
			[]string{"12 not-found", "15 not-found"}},
		{"a download from the instance is not put on the image", "eks.pkr.hcl", `build {
  provisioner "file" {
    destination = "${var.ami_name}-version-info.json"
    direction   = "download"
    source      = "${local.working_dir}/version-info.json"
  }
  provisioner "file" {
    source      = "files/sysctl.conf"
    destination = "/etc/sysctl.d/99-app.conf"
  }
}
`, []string{"9 kernel-tuning /etc/sysctl.d/99-app.conf"}, []string{"8 files/sysctl.conf"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, gaps, verdict := readFile(tt.path, []byte(tt.src), 1<<20, "", true)
			if verdict != verdictRead || res == nil {
				t.Fatalf("verdict %d, gaps %+v", verdict, gaps)
			}
			got := factsOf(res.script.Facts)
			var onlyWanted []string
			for _, g := range got {
				if !strings.Contains(g, " package ") && !strings.Contains(g, " service ") {
					onlyWanted = append(onlyWanted, g)
				}
			}
			wantFacts(t, onlyWanted, tt.want, true)
			var refs []string
			for _, r := range res.refs {
				refs = append(refs, fmt.Sprintf("%d %s", r.line, r.target))
			}
			if !slices.Equal(refs, tt.refs) {
				t.Errorf("refs %q, want %q", refs, tt.refs)
			}
			var gotGaps []string
			for _, g := range gaps {
				gotGaps = append(gotGaps, fmt.Sprintf("%d %s", g.Line, g.Kind))
			}
			if !slices.Equal(gotGaps, tt.gaps) {
				t.Errorf("gaps %+v, want %q", gaps, tt.gaps)
			}
		})
	}
}

// TestTemplatesOfScriptsAndRules reads templates the way roles write them: a firewall
// script kept as a Jinja template, and iptables rules in iptables-save form.
func TestTemplatesOfScriptsAndRules(t *testing.T) {
	got, res := readAs(t, "roles/firewall/templates/firewall.bash.j2", `#!/bin/bash
# {{ ansible_managed }}
iptables -F
{% for port in firewall_allowed_tcp_ports %}
iptables -A INPUT -p tcp -m tcp --dport {{ port }} -j ACCEPT
{% endfor %}
`)
	if res.script.Kind != inventory.ScriptShell {
		t.Errorf("kind %s, want shell", res.script.Kind)
	}
	wantFacts(t, got, []string{"3 host-firewall iptables", "5 host-firewall iptables"}, true)

	got, res = readAs(t, "roles/common/templates/iptables.j2", `# {{ ansible_managed }}
*filter
:INPUT ACCEPT [0:0]
-A INPUT -p tcp --dport 22 -j ACCEPT
-A INPUT -s {{ hostvars[groups['monitoring'][0]].ansible_default_ipv4.address }} -j ACCEPT
-A INPUT -s 10.20.0.0/16 -p tcp --dport 80 -j ACCEPT
COMMIT
`)
	if res.script.Kind != inventory.ScriptTemplate {
		t.Errorf("kind %s, want template", res.script.Kind)
	}
	wantFacts(t, got, []string{"4 host-firewall iptables rules"}, true)
}

// TestIncludeVarsPatternLooksInVars keeps a templated include_vars ("{{ ansible_os_family
// }}.yml") to the vars folders: beside the task file the pattern would match task files.
func TestIncludeVarsPatternLooksInVars(t *testing.T) {
	_, res := readAs(t, "roles/redis/tasks/main.yml", `- name: Include OS-specific variables.
  include_vars: "{{ ansible_os_family }}.yml"
`)
	if len(res.refs) != 1 {
		t.Fatalf("refs %+v", res.refs)
	}
	for _, alt := range res.refs[0].alts {
		if !strings.Contains(alt, "/vars/") {
			t.Errorf("include_vars pattern searched in %q", alt)
		}
	}
}

// TestTerraformTemplatesAndLooseMIME reads user data the way Terraform templates and
// hand-written MIME messages are really written: directive lines between parts, $${}
// escapes inside shell arithmetic, and a last part that runs to the end of the file.
func TestTerraformTemplatesAndLooseMIME(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            []string
	}{
		{"MIME parts wrapped in directives", "terraform/templates/user-data.tpl", `Content-Type: multipart/mixed; boundary="==BOUNDARY=="
MIME-Version: 1.0

--==BOUNDARY==
Content-Type: text/x-shellscript; charset="us-ascii"

#!/bin/bash
echo ECS_CLUSTER=${cluster_name} >> /etc/ecs/ecs.config
--==BOUNDARY==
%{ if efs_id != "" }
--==BOUNDARY==
Content-Type: text/x-shellscript; charset="us-ascii"

#!/bin/bash
yum install -y amazon-efs-utils
--==BOUNDARY==
%{ if efs_id != "" }
Content-Type: text/x-shellscript; charset="us-ascii"

#!/bin/bash
echo "${efs_id}:/ /mnt/efs efs tls,_netdev 0 0" >> /etc/fstab
mount -a
%{ endif }
--==BOUNDARY==--
`, []string{"15 nfs-mount amazon-efs-utils (network file system client)", "21 nfs-mount /mnt/efs (efs ${efs_id}:/)"}},
		{"a part whose body follows its headers without a blank line", "user-data.tpl", `Content-Type: multipart/mixed; boundary="==BOUNDARY=="
MIME-Version: 1.0
--==BOUNDARY==
Content-Type: text/cloud-boothook; charset="us-ascii"
# Specify the proxy to use
PROXY_HOST=${http_proxy}
cloud-init-per once docker_proxy mkdir -p /etc/systemd/system/docker.service.d
--==BOUNDARY==
Content-Type: text/x-shellscript; charset="us-ascii"

#!/bin/bash
sysctl -w vm.max_map_count=262144
--==BOUNDARY==--
`, []string{"12 kernel-tuning vm.max_map_count"}},
		{"escapes inside shell arithmetic", "nat_instance_userdata.tpl", `#!/bin/bash
AZS=(${azs})
for i in $( seq 0 $[ $${#AZS[@]} - 1 ]); do
  echo "$${AZS[$i]}"
done
sysctl -w net.ipv4.ip_forward=1
`, []string{"6 kernel-tuning net.ipv4.ip_forward"}},
		{"a last part without the closing boundary", "script.bash", `Content-Type: multipart/mixed; boundary="//"
MIME-Version: 1.0

--//
Content-Type: text/cloud-config; charset="us-ascii"

#cloud-config
cloud_final_modules:
- [scripts-user, always]

--//
Content-Type: text/x-shellscript; charset="us-ascii"

#!/bin/bash
yum install -y mariadb-server
systemctl enable --now mariadb
`, []string{"15 database mariadb-server"}},
		// EKS nodes on Amazon Linux 2023 join their cluster through nodeadm's NodeConfig.
		{"a nodeadm NodeConfig part", "templates/eks-node.tpl", `MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: application/node.eks.aws

---
apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  cluster:
    name: ${cluster_name}

--BOUNDARY
Content-Type: text/x-shellscript; charset="us-ascii"

#!/bin/bash
echo "vm.max_map_count=262144" >> /etc/sysctl.d/99-es.conf
--BOUNDARY--
`, []string{"7 cluster-node eks node (nodeadm)", "18 kernel-tuning vm.max_map_count"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := readAs(t, tt.path, tt.src)
			wantFacts(t, got, tt.want, false)
		})
	}
}

// TestOddlyNamedScripts reads scripts by what they hold when their names say little: a
// playbook without an extension, PowerShell user data kept as a Jinja template.
func TestOddlyNamedScripts(t *testing.T) {
	res, gaps, verdict := readFile("windows/install-ansible-on-launch", []byte(`---
- hosts: localhost
  tasks:
    - name: Install packages
      win_chocolatey: {name: git}
`), 1<<20, "", false)
	if verdict != verdictRead || res.script.Kind != inventory.ScriptAnsiblePlay {
		t.Errorf("extensionless playbook: verdict %d gaps %+v", verdict, gaps)
	}
	got, res := readAs(t, "windows/wamp/userdata.txt.j2", `<powershell>
Install-WindowsFeature Web-Server
iex ((New-Object System.Net.WebClient).DownloadString('{{ bootstrap_url }}'))
</powershell>
`)
	if res.script.Kind != inventory.ScriptPowerShell {
		t.Errorf("kind %s", res.script.Kind)
	}
	wantFacts(t, got, []string{"2 web-server iis", "3 boot-work download | iex"}, false)
}

// TestUnitAndSysctlFilesInTheRepository reads the files a role or a Packer file provisioner
// installs as they are: a systemd unit kept as a template, a sysctl drop-in.
func TestUnitAndSysctlFilesInTheRepository(t *testing.T) {
	got, res := readAs(t, "roles/kafka/templates/kafka.service.j2", `[Unit]
Description=Kafka broker

[Service]
Environment=KAFKA_HEAP_OPTS=-Xmx{{ kafka_heap }}
ExecStartPre=-/usr/bin/docker pull registry.example.com/kafka-exporter:1.7
ExecStart={{ kafka.bin_dir }}/kafka-server-start /etc/kafka/server.properties
Restart=always

[Install]
WantedBy=multi-user.target
`)
	if res.script.Kind != inventory.ScriptTemplate {
		t.Errorf("kind %s", res.script.Kind)
	}
	wantFacts(t, got, []string{"5 env-config KAFKA_HEAP_OPTS", "6 docker docker pull registry.example.com/kafka-exporter:1.7"}, false)
	got, _ = readAs(t, "packer/files/sysctl.d/99-net.conf", "# tuned for the proxy\nnet.core.somaxconn = 1024\nnet.ipv4.tcp_max_syn_backlog = 4096\n")
	wantFacts(t, got, []string{"2 kernel-tuning net.core.somaxconn", "3 kernel-tuning net.ipv4.tcp_max_syn_backlog"}, true)
}

// TestHCLConfigSecrets: a literal credential written in Terragrunt configuration (a stack's
// locals, a unit's values, a unit's inputs) or in Terraform's and OpenTofu's own files (a
// resource's or a module's argument, a variable's default, a .tfvars value) is a secret
// named where it is written, its value never kept; a reference or a placeholder is none,
// and a configuration without a literal credential is not a script.
func TestHCLConfigSecrets(t *testing.T) {
	const canary = "Tr0ub4dor-canary"
	tests := []struct {
		name, path, src string
		want            []string // nil: skipped
	}{
		{"stack locals and values", "live/stacks/orders/terragrunt.stack.hcl", `locals {
  svc         = "orders"
  db_user     = "orders_rw"
  db_password = "` + canary + `"
}

unit "svc" {
  source = "../../units/asg-service"
  path   = "svc"
  values = {
    name        = local.svc
    db_password = local.db_password
    api_token   = "` + canary + `2"
  }
}
`, []string{"13 secret token", "4 secret password"}},
		{"a weak default in a unit's inputs", "live/prod/app/terragrunt.hcl", `include "root" {
  path = find_in_parent_folders("root.hcl")
}
inputs = {
  admin_password = "password"
  replicas       = 3
}
`, []string{"5 secret default-password"}},
		{"a database password and a module's input in Terraform", "infra/envs/prod/main.tf", `module "orders_db" {
  source   = "../../modules/rds"
  username = "orders"
  password = "` + canary + `" # TODO move to secrets manager
}

resource "aws_db_instance" "legacy" {
  engine              = "mysql"
  password            = "` + canary + `3"
  skip_final_snapshot = true
}
`, []string{"4 secret password", "9 secret password"}},
		{"a variables file", "infra/envs/prod/terraform.tfvars", `region      = "eu-west-1"
db_password = "` + canary + `"
`, []string{"2 secret password"}},
		{"a variable's default in OpenTofu", "tofu/variables.tofu", `variable "grafana_admin_password" {
  type    = string
  default = "admin"
}
`, []string{"3 secret default-password"}},
		{"JSON syntax", "infra/override.tf.json", `{"module": {"app": {"source": "./app", "api_token": "` + canary + `"}}}
`, []string{"1 secret token"}},
		// The user data in a heredoc is rendered and read by the infrastructure reader; here
		// the file is neither cloud-config nor shell, whatever its heredoc holds.
		{"user data in a heredoc, references only", "infra/modules/app/main.tf", `resource "aws_launch_template" "app" {
  user_data = base64encode(<<-EOT
    #cloud-config
    packages: [nginx]
    runcmd:
      - systemctl enable --now nginx
  EOT
  )
}

resource "aws_db_instance" "db" {
  password = var.db_password
}
`, nil},
		// A stack Terraform deploys from a template written inline is not a template file.
		{"a CloudFormation template in a heredoc", "infra/legacy/stack.tf", `resource "aws_cloudformation_stack" "legacy" {
  name          = "legacy-app"
  template_body = <<STACK
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "${var.max}"
STACK
}
`, nil},
		{"windows user data in a heredoc", "infra/windows/main.tf", `resource "aws_launch_template" "iis" {
  user_data = base64encode(<<-EOT
    <powershell>
    Install-WindowsFeature -Name Web-Server
    </powershell>
  EOT
  )
}
`, nil},
		{"references and placeholders only", "live/dev/app/terragrunt.hcl", `inputs = {
  db_password = dependency.secrets.outputs.db_password
  api_key     = get_env("API_KEY")
  token       = "<set-me>"
}
`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, gaps, verdict := readFile(tt.path, []byte(tt.src), 1<<20, "", false)
			if len(gaps) > 0 {
				t.Errorf("gaps %+v", gaps)
			}
			if tt.want == nil {
				if verdict != verdictSkip {
					t.Errorf("verdict %d, want skipped; facts %v", verdict, factsOf(res.script.Facts))
				}
				return
			}
			if verdict != verdictRead {
				t.Fatalf("verdict %d, want read", verdict)
			}
			if res.script.Kind != inventory.ScriptTerraform {
				t.Errorf("kind %q", res.script.Kind)
			}
			got := factsOf(res.script.Facts)
			wantFacts(t, got, tt.want, true)
			for _, f := range res.script.Facts {
				if strings.Contains(fmt.Sprintf("%+v", f), canary) {
					t.Errorf("a secret's value is kept: %+v", f)
				}
			}
		})
	}
}

// TestIgnitionReader: a Butane config (or the Ignition JSON it becomes) is configuration
// applied at first boot; the units it enables and writes are read as units, so a unit that
// runs podman runs a container, and the files and file systems it makes are read too.
func TestIgnitionReader(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            []string
	}{
		{"butane with container units", "nodes/butane/edge.bu.yaml", `---
variant: flatcar
version: 1.1.0
systemd:
  units:
    - name: docker.service
      mask: true
    - name: edge-proxy.service
      enabled: true
      contents: |
        [Unit]
        After=network-online.target
        [Service]
        ExecStartPre=-/usr/bin/podman rm -f edge
        ExecStart=/usr/bin/podman run --name edge \
          --network host ghcr.io/acme/edge:3.2
        [Install]
        WantedBy=multi-user.target
storage:
  filesystems:
    - device: /dev/nvme1n1
      format: xfs
      path: /var/lib/edge
      with_mount_unit: true
  files:
    - path: /etc/sysctl.d/90-edge.conf
      contents:
        inline: |
          net.core.somaxconn=4096
`, []string{"8 service edge-proxy", "15 docker podman run ghcr.io/acme/edge:3.2",
			"21 data-volume /var/lib/edge (/dev/nvme1n1)", "29 kernel-tuning net.core.somaxconn"}},
		{"ignition json", "boot/worker.ign.json", `{
  "ignition": {"version": "3.4.0"},
  "systemd": {"units": [
    {"name": "node-agent.timer", "enabled": true}
  ]}
}
`, []string{"4 cron systemd timer node-agent.timer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, res := readAs(t, tt.path, tt.src)
			if res.script.Kind != inventory.ScriptIgnition {
				t.Errorf("kind %q", res.script.Kind)
			}
			wantFacts(t, got, tt.want, false)
		})
	}
}

// TestPackerYAML: a Packer template kept as YAML, in Packer's own shape or as a wrapper's
// builder settings in a file named for Packer, is an image build cited at its builder; YAML
// that merely mentions an AMI is not.
func TestPackerYAML(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            []string // nil: not a Packer template
	}{
		{"packer's own shape", "images/api/template.yaml", `# converted with yq before packer build
variables:
  region: eu-west-1
builders:
  - type: amazon-ebs
    ami_name: "api-{{timestamp}}"
    source_ami_filter:
      filters:
        name: "ubuntu/images/*22.04-amd64-server-*"
    instance_type: t3.small
provisioners:
  - type: ansible
    playbook_file: ../../ansible/api.yml
`, []string{"5 image-build amazon-ebs.amazon-ebs (api-{{timestamp}})", "12 ansible-provisioner ansible provisioner (image configured by Ansible at build time)"}},
		{"a wrapper's builder settings", "amis/worker/packer.yml", `---
# settings for our pack-images tool
image:
  source_ami: ami-0abc1234def567890
  region: eu-west-1
  instance_type: c5.xlarge
  ssh_username: ubuntu

steps:
  - base.sh
  - worker.sh
`, []string{"3 image-build amazon-ebs.amazon-ebs"}},
		{"an AMI id in other YAML", "config/settings.yml", `image:
  source_ami: ami-0abc1234def567890
`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, gaps, verdict := readFile(tt.path, []byte(tt.src), 1<<20, "", false)
			if len(gaps) > 0 {
				t.Errorf("gaps %+v", gaps)
			}
			if tt.want == nil {
				if verdict != verdictSkip {
					t.Errorf("verdict %d (%s), want skipped", verdict, res.script.Kind)
				}
				return
			}
			if verdict != verdictRead || res.script.Kind != inventory.ScriptPackerJSON {
				t.Fatalf("verdict %d, kind %v", verdict, res)
			}
			wantFacts(t, factsOf(res.script.Facts), tt.want, false)
		})
	}
}

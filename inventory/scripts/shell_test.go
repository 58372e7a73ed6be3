package scripts

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"whyk8s/inventory"
)

// factsOf renders facts as "line kind detail" rows, sorted, for table comparisons.
func factsOf(facts []inventory.Fact) []string {
	var out []string
	for _, f := range facts {
		out = append(out, fmt.Sprintf("%d %s %s", f.Evidence.Line, f.Kind, f.Detail()))
	}
	sort.Strings(out)
	return out
}

func readShellFacts(t *testing.T, src string) ([]string, []inventory.CoverageGap) {
	t.Helper()
	res := &fileResult{}
	res.script.Path = "test.sh"
	red, hits := redact(src)
	d := newDoc(res, "test.sh", red)
	d.secrets(hits, 0)
	if err := d.readShell(red, 1, false); err != nil {
		t.Fatalf("parse: %v", err)
	}
	dedupeFacts(&res.script)
	return factsOf(res.script.Facts), res.gaps
}

// wantFacts checks that every wanted row is present and, when exact, that no other is.
func wantFacts(t *testing.T, got, want []string, exact bool) {
	t.Helper()
	have := map[string]bool{}
	for _, g := range got {
		have[g] = true
	}
	for _, w := range want {
		if !have[w] {
			t.Errorf("missing fact %q", w)
		}
	}
	if exact && len(got) != len(want) {
		t.Errorf("got %d facts, want %d", len(got), len(want))
	}
	if t.Failed() {
		t.Logf("all facts:\n%s", strings.Join(got, "\n"))
	}
}

func TestShellReader(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []string
		exact bool
	}{
		{"packages and services", `#!/bin/bash
set -euo pipefail
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y nginx postgresql-14 redis-server jq
systemctl enable --now nginx redis-server
`, []string{"4 database postgresql", "4 database redis-server", "4 web-server nginx", "4 package jq", "5 service nginx", "5 service redis-server", "5 web-server nginx", "5 database redis-server"}, true},
		{"package list from a variable", `PKGS="docker.io amazon-cloudwatch-agent"
yum install -y $PKGS
`, []string{"1 docker docker.io", "1 observability cloudwatch agent"}, true},
		{"programs downloaded to run, not probes or keys", `curl -LO "https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl"
curl -s -o /tmp/dcos_install.sh http://${bootstrap_dns}:8080/dcos_install.sh
until curl -s -o /dev/null -w '%{http_code}' http://10.0.0.5:8080/ready; do sleep 5; done
curl -fsSL https://download.docker.com/linux/ubuntu/gpg -o /etc/apt/keyrings/docker.asc
TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")
wget -q https://releases.example.com/agent/agent-installer.run
`, []string{"1 boot-work download kubectl", "2 boot-work download dcos_install.sh", "3 hardcoded-ip 10.0.0.5", "4 docker docker", "6 boot-work download agent-installer.run"}, true},
		{"what Terraform left in rendered user data", `#!/bin/bash
echo "db=${aws_db_instance.main.address} port=${var.db_port:-5432}" > /etc/app.env
nohup busybox httpd -f -p "${var.server_port}" &
yum install -y ${upper(var.pkg)} redis
echo "${HOME:-/root}.bak ${#ARR[@]}"
`, []string{"3 service busybox (background process)", "4 database redis"}, false},
		{"a versioned package keeps its variable's name", "sudo yum install -y runc-${RUNC_VERSION} jq\n", []string{"1 package runc-${RUNC_VERSION}", "1 package jq"}, true},
		{"cloudwatch agent configured from SSM", "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:/app/cw-config\n",
			[]string{"1 observability cloudwatch agent", "1 config-store ssm /app/cw-config"}, true},
		{"system accounts are not logins", "useradd -r -s /sbin/nologin appsvc\nuseradd --system exporter\nadduser --shell /bin/false relay\nuseradd -m -s /bin/bash deploy\n",
			[]string{"4 local-user deploy"}, true},
		{"curl pipe bash", "curl -fsSL https://get.docker.com | sh\n", []string{"1 boot-work curl | sh (get.docker.com)", "1 docker docker"}, true},
		{"fstab heredoc", `cat >> /etc/fstab <<FSTAB
fs-0abc.efs.eu-west-1.amazonaws.com:/ /mnt/shared nfs4 nfsvers=4.1 0 0
/dev/xvdf /data xfs defaults,nofail 0 2
s3fs#acme-assets /mnt/assets fuse _netdev,allow_other 0 0
FSTAB
mount -a
`, []string{"2 nfs-mount /mnt/shared (nfs4 fs-0abc.efs.eu-west-1.amazonaws.com:/)", "3 data-volume /data (/dev/xvdf)", "4 s3-fuse-mount /mnt/assets (fuse acme-assets)"}, true},
		{"mkfs mount s3fs", `mkfs.xfs /dev/nvme1n1
mount /dev/nvme1n1 /var/lib/app
s3fs acme-media /mnt/media -o iam_role=auto
mount -t nfs4 10.0.12.5:/exports /mnt/nfs
`, []string{"1 data-volume mkfs.xfs /dev/nvme1n1", "2 data-volume /var/lib/app (/dev/nvme1n1)", "3 s3-fuse-mount /mnt/media (s3fs acme-media)", "4 nfs-mount /mnt/nfs (nfs4 10.0.12.5:/exports)", "4 hardcoded-ip 10.0.12.5"}, true},
		{"kernel and cron", `sysctl -w vm.max_map_count=262144
echo never > /sys/kernel/mm/transparent_hugepage/enabled
modprobe br_netfilter
echo "*/5 * * * * root /opt/app/cleanup.sh" > /etc/cron.d/cleanup
(crontab -l; echo "0 3 * * * /usr/bin/backup") | crontab -
`, []string{"1 kernel-tuning vm.max_map_count", "2 kernel-tuning kernel/mm/transparent_hugepage/enabled", "3 kernel-tuning module br_netfilter", "4 cron /etc/cron.d/cleanup", "5 cron crontab"}, false},
		{"a module built by DKMS is a kernel module", "sudo dkms install /tmp/jool-4.1.10\ndkms install -m wireguard -v 1.0.0\ndkms status\n",
			[]string{"1 kernel-tuning module jool-4.1.10", "2 kernel-tuning module wireguard"}, true},
		{"config store, env and docker", `export APP_ENV=production
export PATH=$PATH:/opt/bin
DB_URL=$(aws ssm get-parameter --name /orders/prod/db-url --with-decryption --query Parameter.Value --output text)
SECRET=$(aws secretsmanager get-secret-value --secret-id prod/orders/api --query SecretString --output text)
docker run -d --restart always -e DB_URL="$DB_URL" -p 80:8080 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2
`, []string{"1 env-config APP_ENV", "3 config-store ssm /orders/prod/db-url", "4 config-store secretsmanager prod/orders/api", "5 docker docker run 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2", "5 env-config DB_URL"}, true},
		{"boot work and config mgmt", `yum update -y
wget -q https://archive.apache.org/dist/tomcat/tomcat-9/v9.0.80/bin/apache-tomcat-9.0.80.tar.gz
cd /usr/src/app && ./configure && make && make install
ansible-pull -U https://git.example.com/ops/provision.git -i localhost, playbooks/web.yml
`, []string{"1 boot-work package upgrade", "2 boot-work download apache-tomcat-9.0.80.tar.gz", "3 boot-work compile (make)", "4 config-mgmt ansible-pull", "4 config-mgmt ansible-pull from (git.example.com)"}, false},
		{"configuration management in local mode", "chef-client -z -o 'role[web]'\nchef-client --local-mode\nchef-client -o 'role[web]'\nsalt-call --local state.apply web\nsalt-call state.highstate\n",
			[]string{"1 config-mgmt chef-zero", "2 config-mgmt chef-zero", "3 config-mgmt chef-client", "4 config-mgmt salt-masterless", "5 config-mgmt salt-call"}, true},
		{"systemd unit heredoc", `cat <<'UNIT' | sudo tee /etc/systemd/system/worker.service
[Service]
Environment=QUEUE_URL=https://sqs.eu-west-1.amazonaws.com/1/jobs
EnvironmentFile=/etc/default/worker
ExecStart=/usr/local/bin/node_exporter --web.listen-address=:9100
UNIT
systemctl daemon-reload
systemctl enable worker.service
`, []string{"3 env-config QUEUE_URL", "4 env-config env file /etc/default/worker", "5 observability node_exporter", "8 service worker"}, true},
		{"a oneshot unit is a task, not a service", `cat > /etc/systemd/system/deregister.service <<EOF
[Unit]
Description=tell the fleet we are gone
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
ExecStop=/opt/deregister.sh
[Install]
WantedBy=multi-user.target
EOF
systemctl enable deregister.service
service deregister start
systemctl enable --now queue-reader
`, []string{"14 service queue-reader"}, true},
		{"ips and versions", `NODE_EXPORTER_VERSION=1.6.1.0
echo "10.20.30.40 db.internal" >> /etc/hosts
curl http://169.254.169.254/latest/meta-data/instance-id
pip install requests==2.31.0.1
iptables -A INPUT -s 10.0.0.0/8 -j ACCEPT
`, []string{"2 hardcoded-ip 10.20.30.40", "4 package requests", "5 host-firewall iptables"}, true},
		{"network file systems, however they are mounted", `mount -t glusterfs gluster1.internal:/media /srv/media
mount.efs fs-0a1b2c3d:/ /mnt/efs -o tls,iam
mount nas.internal:/exports/home /home
mount //files.corp.internal/share /mnt/share -o credentials=/root/.smb
EFS_LINE="${EFS_ID}.efs.${REGION}.amazonaws.com:/ /mnt/data nfs4 nfsvers=4.1,_netdev 0 0"
grep -q "$EFS_LINE" /etc/fstab || echo "$EFS_LINE" >> /etc/fstab
echo "storage1:/gv0 /mnt/gv0 glusterfs defaults,_netdev 0 0" | sudo tee -a /etc/fstab
`, []string{"1 nfs-mount /srv/media (glusterfs gluster1.internal:/media)", "2 nfs-mount /mnt/efs (efs fs-0a1b2c3d:/)",
			"3 nfs-mount /home (nfs nas.internal:/exports/home)", "4 nfs-mount /mnt/share (cifs //files.corp.internal/share)",
			"6 nfs-mount /mnt/data (nfs4 ${EFS_ID}.efs.${REGION}.amazonaws.com:/)", "7 nfs-mount /mnt/gv0 (glusterfs storage1:/gv0)"}, true},
		{"the kernel command line is tuning, not environment", `sed -i 's/^GRUB_CMDLINE_LINUX="/&cgroup_enable=memory swapaccount=1 /' /etc/default/grub
cat >> /etc/default/grub <<'GRUB'
GRUB_TIMEOUT=1
GRUB_CMDLINE_LINUX_DEFAULT="console=ttyS0 nvme_core.io_timeout=4294967295"
GRUB
grubby --update-kernel=ALL --args "transparent_hugepage=never"
grub2-mkconfig -o /boot/grub2/grub.cfg
`, []string{"1 kernel-tuning kernel command line", "4 kernel-tuning kernel command line console=ttyS0 nvme_core.io_timeout=4294967295",
			"6 kernel-tuning kernel command line transparent_hugepage=never"}, true},
		{"a config management run the caller supplies", `PUPPET_RUN="/opt/puppetlabs/bin/puppet agent --onetime --no-daemonize"
$PUPPET_RUN --environment "$ENV" || true
${chef_client_cmd}
"${SALT_CALL}" state.apply
$APP_CMD --port 8080
`, []string{"2 config-mgmt ${PUPPET_RUN}", "3 config-mgmt ${chef_client_cmd}", "4 config-mgmt ${SALT_CALL}"}, true},
		{"packages fetched from a URL", `rpm -ivh https://dl.example.org/pub/epel/epel-release-latest-8.noarch.rpm
sudo yum localinstall -y https://repo.example.com/agents/acme-agent-3.2.1.x86_64.rpm
rpm -Uvh /tmp/local-only.rpm
`, []string{"1 boot-work download epel-release-latest-8.noarch.rpm", "1 package epel-release-latest-8", "2 boot-work download acme-agent-3.2.1.x86_64.rpm",
			"2 package acme-agent-3.2.1", "3 package local-only"}, true},
		{"a database run as a container", `docker run -d --name pg -v /data/pg:/var/lib/postgresql/data -e POSTGRES_DB=shop postgres:15
docker run -d --restart always acme/shop:1.4.2
`, []string{"1 docker docker run postgres:15", "1 database postgres (container postgres:15)", "1 env-config POSTGRES_DB", "2 docker docker run acme/shop:1.4.2"}, true},
		// Compose's options come before its subcommand; docker-compose is one word.
		{"docker compose with options before its subcommand", `docker compose -f /opt/shop/docker-compose.yml --project-name shop up -d
docker-compose -f docker/compose.yml -p moz exec -T rabbitmq rabbitmqctl list_users
docker compose version
`, []string{"1 docker docker compose up", "2 docker docker-compose exec rabbitmq", "3 docker docker compose version"}, true},
		{"a Compose file written by a heredoc", `mkdir -p /opt/app
cat > /opt/app/docker-compose.yml <<'YAML'
services:
  api:
    image: acme/api:2.1
  cache:
    image: redis:7
YAML
docker compose -f /opt/app/docker-compose.yml up -d
`, []string{"2 docker /opt/app/docker-compose.yml", "4 docker compose service api (acme/api:2.1)", "4 service api (compose service)",
			"6 docker compose service cache (redis:7)", "7 database redis (container redis:7)", "9 docker docker compose up"}, true},
		{"the CodeDeploy agent by its installer", `cd /tmp && wget https://aws-codedeploy-eu-west-1.s3.eu-west-1.amazonaws.com/latest/install
chmod +x ./install && ./install auto
`, []string{"1 service codedeploy-agent"}, false},
		{"the CodeDeploy agent by its package", "yum install -y ruby codedeploy-agent\n", []string{"1 service codedeploy-agent"}, false},
		{"servers installed from release archives", `wget -q -O /opt/os.tgz https://artifacts.example.org/releases/opensearch/2.11.0/opensearch-2.11.0-linux-x64.tar.gz
curl -fsSLO https://downloads.example.org/kafka/3.5.0/kafka_2.13-3.5.0.tgz
curl -fsSLO https://downloads.example.org/tools/jq-1.7.1-linux64.tar.gz
`, []string{"1 boot-work download opensearch-2.11.0-linux-x64.tar.gz", "1 database opensearch",
			"2 boot-work download kafka_2.13-3.5.0.tgz", "2 database kafka", "3 boot-work download jq-1.7.1-linux64.tar.gz"}, true},
		{"an archive's name ends at its version placeholder or platform", `curl -fsSL -o /tmp/es.tgz "https://mirror.example.com/es/elasticsearch-${ES_VERSION}-linux-x86_64.tar.gz"
wget https://mirror.example.com/redis/redis_linux_amd64.tar.gz
`, []string{"1 boot-work download elasticsearch-${ES_VERSION}-linux-x86_64.tar.gz", "1 database elasticsearch",
			"2 boot-work download redis_linux_amd64.tar.gz", "2 database redis"}, true},
		{"docker queried is docker in use", `until docker info >/dev/null 2>&1; do sleep 2; done
docker ps -q | xargs -r docker rm -f
`, []string{"1 docker docker info", "2 docker docker ps"}, true},
		{"a crontab prepared in a file", `cat > ~/jobs.cron <<'JOBS'
*/5 * * * * /usr/local/bin/sync-users
@reboot /usr/local/bin/warm-cache
JOBS
crontab ~/jobs.cron
echo "0 4 * * * root /opt/rotate.sh" > /tmp/cron.txt
`, []string{"2 cron crontab: */5 * * * * /usr/local/bin/sync-users", "3 cron crontab: @reboot /usr/local/bin/warm-cache",
			"5 cron crontab ~/jobs.cron", "6 cron crontab: 0 4 * * * root /opt/rotate.sh"}, true},
		{"a script's own package wrapper", `source ./lib/common.sh
case "$DISTRO" in
  al2023) pkg_install docker ;;
  ubuntu) install_packages nginx jq ;;
esac
install -m 0755 ./agent /usr/local/bin/agent
`, []string{"3 docker docker", "4 web-server nginx", "4 package jq"}, true},
		{"a launcher named for the data store it starts", `function start_node {
  local -r dir="$1"
  "/opt/influxdb/bin/run-influxdb" \
    --node-type data --data-dir "$dir/data"
}
start_node /mnt/ebs
/opt/kafka/bin/start-kafka --broker-id 3
run-tests --fast
/usr/local/bin/start-web.sh
`, []string{"3 database influxdb", "7 database kafka"}, true},
		{"bash -c and secrets", `sudo -u app bash -c "systemctl start celery"
export DB_PASSWORD='Sup3rS3cret!'
`, []string{"1 service celery", "1 batch-ml celery", "2 secret password", "2 env-config DB_PASSWORD"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, gaps := readShellFacts(t, tt.src)
			if len(gaps) > 0 {
				t.Errorf("gaps: %+v", gaps)
			}
			wantFacts(t, got, tt.want, tt.exact)
		})
	}
}

func TestShellParseError(t *testing.T) {
	res := &fileResult{}
	d := newDoc(res, "bad.sh", "")
	err := d.readShell("#!/bin/bash\necho ok\nif [ -f x ]; then\n  echo y\n", 1, false)
	if err == nil {
		t.Fatal("want a parse error")
	}
	se, ok := err.(*shellError)
	if !ok || se.line < 3 {
		t.Errorf("error %v: want a shellError at line >= 3", err)
	}
}

func TestHCLInterpolations(t *testing.T) {
	tests := []struct{ in, want string }{
		{"echo ${var.port}", "echo ${var_port}"},
		{"a=${aws_lb.web.dns_name}:${var.port}/x", "a=${aws_lb_web_dns_name}:${var_port}/x"},
		{"${upper(var.x)} and ${HOME:-/root} and ${#ARR[@]}", "${upper_var_x_} and ${HOME:-/root} and ${#ARR[@]}"},
		{"no interpolation", "no interpolation"},
		{"unclosed ${var.x", "unclosed ${var.x"},
		{"${1.2} ${a.b\n}", "${1.2} ${a.b\n}"},
		{"$${var.x}", "$${var_x}"},
		{"${", "${"},
		// CloudFormation's pseudo parameters, as Fn::Sub leaves them in user data.
		{"mount fs-1.efs.${AWS::Region}.amazonaws.com:/ /mnt --stack ${AWS::StackName}", "mount fs-1.efs.${AWS_Region}.amazonaws.com:/ /mnt --stack ${AWS_StackName}"},
		// Substring expansion in shell: not a pseudo parameter.
		{"${NAME::2} ${AWS:1:2}", "${NAME::2} ${AWS:1:2}"},
	}
	for _, tt := range tests {
		if got := hclInterpolations(tt.in); got != tt.want {
			t.Errorf("hclInterpolations(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The tool a command variable is named for is the fact's name, so the assessment names it.
func TestToolVariable(t *testing.T) {
	for arg, want := range map[string]string{
		"${puppet_cmd}": "puppet", "${CHEF_CLIENT}": "chef", "${ansible-pull}": "ansible", "${SALT}": "salt",
		"${APP_CMD}": "", "puppet": "", "${puppeteer}": "", "${a}${puppet}": "", "${DB_SALT_FILE}x": "",
	} {
		if got := toolVariable(arg); got != want {
			t.Errorf("toolVariable(%q) = %q, want %q", arg, got, want)
		}
	}
}

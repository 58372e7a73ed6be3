package scripts

import (
	"math/bits"
	"path"
	"strings"
	"unicode/utf8"

	"whyk8s/inventory"
)

// The vocabulary: which package, service, command or download says what about a host.
// Names are matched after lower-casing and stripping versions and architectures.

// Contexts a name is seen in. System packages and services name servers; a pip or gem
// package of the same name ("redis", "elasticsearch") is only a client library.
const (
	ctxSystem  = "system"
	ctxService = "service"
	ctxLibrary = "library" // pip, gem, npm, conda
)

type nameRule struct {
	name   string             // exact name, or a prefix when it ends with '*'
	kind   inventory.FactKind // 0 for a name known to be nothing the vocabulary names (a rule after it would)
	ctx    string             // "" for any context
	detail string             // canonical detail; "" keeps the name
}

var nameRules = []nameRule{
	// Databases and other state servers.
	{"postgresql", inventory.FactDatabase, "", ""},
	{"postgresql-server", inventory.FactDatabase, "", ""},
	{"postgresql*-server", inventory.FactDatabase, "", ""},
	{"postgresql-1*", inventory.FactDatabase, ctxSystem, ""},
	{"postgresql@*", inventory.FactDatabase, ctxService, ""},
	{"postgres", inventory.FactDatabase, ctxService, ""},
	{"mysql-server", inventory.FactDatabase, "", ""},
	{"mysql-community-server", inventory.FactDatabase, "", ""},
	{"mysql*-server", inventory.FactDatabase, "", ""},
	{"mysqld", inventory.FactDatabase, ctxService, ""},
	{"mysql", inventory.FactDatabase, ctxService, ""},
	{"mariadb-server", inventory.FactDatabase, "", ""},
	{"mariadb", inventory.FactDatabase, ctxService, ""},
	{"percona-server-server*", inventory.FactDatabase, "", ""},
	{"mongodb-org", inventory.FactDatabase, ctxSystem, ""},
	{"mongodb-org-server", inventory.FactDatabase, ctxSystem, ""},
	{"mongodb-server", inventory.FactDatabase, ctxSystem, ""},
	{"mongodb", inventory.FactDatabase, ctxSystem, ""},
	{"mongod", inventory.FactDatabase, ctxService, ""},
	{"redis", inventory.FactDatabase, ctxSystem, ""},
	{"redis", inventory.FactDatabase, ctxService, ""},
	{"redis-server", inventory.FactDatabase, "", ""},
	{"redis6", inventory.FactDatabase, "", ""},
	{"redis7", inventory.FactDatabase, "", ""},
	{"valkey", inventory.FactDatabase, ctxSystem, ""},
	{"memcached", inventory.FactDatabase, ctxSystem, ""},
	{"memcached", inventory.FactDatabase, ctxService, ""},
	{"elasticsearch", inventory.FactDatabase, ctxSystem, ""},
	{"elasticsearch", inventory.FactDatabase, ctxService, ""},
	{"opensearch", inventory.FactDatabase, ctxSystem, ""},
	{"opensearch", inventory.FactDatabase, ctxService, ""},
	{"cassandra", inventory.FactDatabase, ctxSystem, ""},
	{"cassandra", inventory.FactDatabase, ctxService, ""},
	{"rabbitmq-server", inventory.FactDatabase, "", ""},
	{"kafka", inventory.FactDatabase, ctxSystem, ""},
	{"kafka", inventory.FactDatabase, ctxService, ""},
	{"confluent-kafka", inventory.FactDatabase, ctxSystem, ""},
	{"zookeeper", inventory.FactDatabase, ctxSystem, ""},
	{"zookeeper", inventory.FactDatabase, ctxService, ""},
	{"couchdb", inventory.FactDatabase, ctxSystem, ""},
	{"influxdb", inventory.FactDatabase, ctxSystem, ""},
	{"influxdb2", inventory.FactDatabase, ctxSystem, ""},
	{"influxdb", inventory.FactDatabase, ctxService, ""},
	{"etcd", inventory.FactDatabase, ctxSystem, ""},
	{"etcd", inventory.FactDatabase, ctxService, ""},
	// SQL Server: the Linux packages and unit, the Windows services of the default
	// (MSSQLSERVER) and named (MSSQL$NAME) instances, and Chocolatey's packages of the
	// engine — not of its client tools.
	{"mssql-server", inventory.FactDatabase, "", "sql-server"},
	{"mssql-server-*", inventory.FactDatabase, "", "sql-server"},
	{"mssqlserver", inventory.FactDatabase, ctxService, "sql-server"},
	{"mssql$*", inventory.FactDatabase, ctxService, "sql-server"},
	{"sql-server-management-studio", 0, ctxSystem, ""},
	{"mssqlservermanagementstudio*", 0, ctxSystem, ""},
	{"sql-server", inventory.FactDatabase, ctxSystem, ""}, // sql-server-2019, its version stripped
	{"sql-server-*", inventory.FactDatabase, ctxSystem, "sql-server"},
	{"mssqlserver*", inventory.FactDatabase, ctxSystem, "sql-server"},
	{"neo4j", inventory.FactDatabase, ctxSystem, ""},
	{"solr", inventory.FactDatabase, ctxSystem, ""},
	{"activemq", inventory.FactDatabase, ctxSystem, ""},
	{"clickhouse-server", inventory.FactDatabase, "", ""},
	{"minio", inventory.FactDatabase, ctxSystem, ""},
	{"minio", inventory.FactDatabase, ctxService, ""},
	{"nfs-kernel-server", inventory.FactDatabase, "", "nfs-server"},
	{"nfs-server", inventory.FactDatabase, ctxService, ""},
	{"glusterfs-server", inventory.FactDatabase, "", ""},
	// Web and application servers.
	{"nginx", inventory.FactWebServer, "", ""},
	{"nginx-*", inventory.FactWebServer, ctxSystem, "nginx"},
	{"openresty", inventory.FactWebServer, "", ""},
	{"apache2", inventory.FactWebServer, "", ""},
	{"httpd", inventory.FactWebServer, "", ""},
	{"tomcat", inventory.FactWebServer, "", ""},
	{"tomcat*", inventory.FactWebServer, "", ""},
	{"jetty", inventory.FactWebServer, "", ""},
	{"jetty9", inventory.FactWebServer, "", ""},
	{"haproxy", inventory.FactWebServer, "", ""},
	{"varnish", inventory.FactWebServer, "", ""},
	{"caddy", inventory.FactWebServer, "", ""},
	{"lighttpd", inventory.FactWebServer, "", ""},
	{"traefik", inventory.FactWebServer, "", ""},
	{"envoy", inventory.FactWebServer, "", ""},
	{"php-fpm", inventory.FactWebServer, "", ""},
	{"php*-fpm", inventory.FactWebServer, "", ""},
	{"uwsgi", inventory.FactWebServer, "", ""},
	{"gunicorn", inventory.FactWebServer, "", ""},
	{"puma", inventory.FactWebServer, "", ""},
	{"passenger", inventory.FactWebServer, "", ""},
	{"web-server", inventory.FactWebServer, ctxSystem, "iis"},
	{"iis-webserverrole", inventory.FactWebServer, ctxSystem, "iis"},
	{"w3svc", inventory.FactWebServer, ctxService, "iis"},
	// Containers.
	{"docker", inventory.FactDocker, "", ""},
	{"docker.io", inventory.FactDocker, "", ""},
	{"docker-ce", inventory.FactDocker, "", ""},
	{"docker-ce-cli", inventory.FactDocker, "", ""},
	{"docker-engine", inventory.FactDocker, "", ""},
	{"docker-compose", inventory.FactDocker, "", ""},
	{"docker-compose-plugin", inventory.FactDocker, "", ""},
	{"docker-buildx-plugin", inventory.FactDocker, "", ""},
	{"moby-engine", inventory.FactDocker, "", ""},
	{"containerd", inventory.FactDocker, ctxSystem, ""},
	{"containerd.io", inventory.FactDocker, "", ""},
	{"containerd", inventory.FactDocker, ctxService, ""},
	{"podman", inventory.FactDocker, "", ""},
	{"nerdctl", inventory.FactDocker, "", ""},
	{"containers", inventory.FactDocker, ctxSystem, "windows containers"},
	// Observability agents.
	{"prometheus-node-exporter", inventory.FactObservability, "", "node_exporter"},
	{"node_exporter", inventory.FactObservability, "", ""},
	{"node-exporter", inventory.FactObservability, "", "node_exporter"},
	{"*_exporter", inventory.FactObservability, "", ""},
	{"prometheus-*-exporter", inventory.FactObservability, "", ""},
	{"prometheus", inventory.FactObservability, ctxSystem, ""},
	{"prometheus", inventory.FactObservability, ctxService, ""},
	{"otelcol", inventory.FactObservability, "", "otel collector"},
	{"otelcol-contrib", inventory.FactObservability, "", "otel collector"},
	{"aws-otel-collector", inventory.FactObservability, "", "otel collector"},
	{"opentelemetry-collector", inventory.FactObservability, "", "otel collector"},
	{"opentelemetry-*", inventory.FactObservability, ctxLibrary, "opentelemetry sdk"},
	{"amazon-cloudwatch-agent", inventory.FactObservability, "", "cloudwatch agent"},
	{"codedeploy-agent", inventory.FactService, "", ""},
	{"awslogs", inventory.FactObservability, "", "cloudwatch logs agent"},
	{"awslogsd", inventory.FactObservability, "", "cloudwatch logs agent"},
	{"datadog-agent", inventory.FactObservability, "", "datadog agent"},
	{"datadog", inventory.FactObservability, "", "datadog agent"},
	{"ddtrace", inventory.FactObservability, ctxLibrary, "datadog tracer"},
	{"newrelic-infra", inventory.FactObservability, "", "new relic agent"},
	{"newrelic", inventory.FactObservability, ctxLibrary, "new relic agent"},
	{"filebeat", inventory.FactObservability, "", ""},
	{"metricbeat", inventory.FactObservability, "", ""},
	{"fluentd", inventory.FactObservability, "", ""},
	{"td-agent", inventory.FactObservability, "", "fluentd"},
	{"td-agent-bit", inventory.FactObservability, "", "fluent-bit"},
	{"fluent-bit", inventory.FactObservability, "", ""},
	{"telegraf", inventory.FactObservability, "", ""},
	{"grafana-agent", inventory.FactObservability, "", ""},
	{"alloy", inventory.FactObservability, ctxSystem, "grafana alloy"},
	{"promtail", inventory.FactObservability, "", ""},
	{"collectd", inventory.FactObservability, "", ""},
	{"splunkforwarder", inventory.FactObservability, "", "splunk forwarder"},
	{"zabbix-agent", inventory.FactObservability, "", ""},
	{"zabbix-agent2", inventory.FactObservability, "", ""},
	{"nagios-nrpe-server", inventory.FactObservability, "", "nrpe"},
	{"nrpe", inventory.FactObservability, "", ""},
	{"elastic-agent", inventory.FactObservability, "", ""},
	{"vector", inventory.FactObservability, ctxSystem, ""},
	{"prometheus-client", inventory.FactObservability, ctxLibrary, "prometheus client"},
	{"prometheus_client", inventory.FactObservability, ctxLibrary, "prometheus client"},
	// GPU.
	{"nvidia-*", inventory.FactGPU, "", ""},
	{"cuda", inventory.FactGPU, "", ""},
	{"cuda-*", inventory.FactGPU, "", ""},
	{"libcudnn*", inventory.FactGPU, "", ""},
	{"cudnn", inventory.FactGPU, "", ""},
	{"datacenter-gpu-manager", inventory.FactGPU, "", ""},
	{"tensorrt", inventory.FactGPU, "", ""},
	{"cupy*", inventory.FactGPU, ctxLibrary, ""},
	// Batch and ML.
	{"torch", inventory.FactBatchML, ctxLibrary, "pytorch"},
	{"torchvision", inventory.FactBatchML, ctxLibrary, "pytorch"},
	{"pytorch", inventory.FactBatchML, "", ""},
	{"tensorflow", inventory.FactBatchML, "", ""},
	{"tensorflow-gpu", inventory.FactBatchML, "", "tensorflow"},
	{"keras", inventory.FactBatchML, ctxLibrary, ""},
	{"jax", inventory.FactBatchML, ctxLibrary, ""},
	{"jaxlib", inventory.FactBatchML, ctxLibrary, "jax"},
	{"scikit-learn", inventory.FactBatchML, ctxLibrary, ""},
	{"xgboost", inventory.FactBatchML, ctxLibrary, ""},
	{"lightgbm", inventory.FactBatchML, ctxLibrary, ""},
	{"catboost", inventory.FactBatchML, ctxLibrary, ""},
	{"transformers", inventory.FactBatchML, ctxLibrary, ""},
	{"mxnet", inventory.FactBatchML, ctxLibrary, ""},
	{"horovod", inventory.FactBatchML, ctxLibrary, ""},
	{"mlflow", inventory.FactBatchML, "", ""},
	{"pyspark", inventory.FactBatchML, ctxLibrary, "spark"},
	{"spark", inventory.FactBatchML, ctxSystem, ""},
	{"apache-spark", inventory.FactBatchML, "", "spark"},
	{"spark-master", inventory.FactBatchML, ctxService, "spark"},
	{"spark-worker", inventory.FactBatchML, ctxService, "spark"},
	{"hadoop", inventory.FactBatchML, "", ""},
	{"flink", inventory.FactBatchML, "", ""},
	{"apache-airflow", inventory.FactBatchML, "", "airflow"},
	{"airflow", inventory.FactBatchML, "", ""},
	{"airflow-*", inventory.FactBatchML, ctxService, "airflow"},
	{"celery", inventory.FactBatchML, "", ""},
	{"ray", inventory.FactBatchML, ctxLibrary, ""},
	{"dask", inventory.FactBatchML, ctxLibrary, ""},
	{"luigi", inventory.FactBatchML, ctxLibrary, ""},
	{"prefect", inventory.FactBatchML, ctxLibrary, ""},
	{"dagster", inventory.FactBatchML, ctxLibrary, ""},
	{"jupyterlab", inventory.FactBatchML, "", "jupyter"},
	{"jupyter", inventory.FactBatchML, "", ""},
	{"jupyterhub", inventory.FactBatchML, "", "jupyter"},
	{"slurm", inventory.FactBatchML, "", ""},
	{"slurm-wlm", inventory.FactBatchML, "", "slurm"},
	{"slurmd", inventory.FactBatchML, "", "slurm"},
	{"slurmctld", inventory.FactBatchML, "", "slurm"},
	{"htcondor", inventory.FactBatchML, "", ""},
	// Network file system clients: a host installs them to mount a share.
	{"nfs-common", inventory.FactNFSMount, ctxSystem, ""},
	{"nfs-utils", inventory.FactNFSMount, ctxSystem, ""},
	{"nfs-client", inventory.FactNFSMount, ctxSystem, ""},
	{"amazon-efs-utils", inventory.FactNFSMount, ctxSystem, ""},
	{"efs-utils", inventory.FactNFSMount, ctxSystem, "amazon-efs-utils"},
	{"glusterfs-client", inventory.FactNFSMount, ctxSystem, ""},
	{"glusterfs-fuse", inventory.FactNFSMount, ctxSystem, ""},
	{"cifs-utils", inventory.FactNFSMount, ctxSystem, ""},
	// S3 as a file system.
	{"s3fs", inventory.FactS3Mount, ctxSystem, ""},
	{"s3fs-fuse", inventory.FactS3Mount, ctxSystem, "s3fs"},
	{"goofys", inventory.FactS3Mount, "", ""},
	{"mount-s3", inventory.FactS3Mount, "", "mountpoint-s3"},
	{"mountpoint-s3", inventory.FactS3Mount, "", ""},
	{"s3backer", inventory.FactS3Mount, "", ""},
	{"yas3fs", inventory.FactS3Mount, "", ""},
	// Network file system clients: installed to mount a share (EFS, NFS, GlusterFS, SMB).
	{"amazon-efs-utils", inventory.FactNFSMount, ctxSystem, ""},
	{"efs-utils", inventory.FactNFSMount, ctxSystem, "amazon-efs-utils"},
	{"nfs-common", inventory.FactNFSMount, ctxSystem, ""},
	{"nfs-utils", inventory.FactNFSMount, ctxSystem, ""},
	{"nfs4-acl-tools", inventory.FactNFSMount, ctxSystem, ""},
	{"glusterfs-client", inventory.FactNFSMount, ctxSystem, ""},
	{"glusterfs-fuse", inventory.FactNFSMount, ctxSystem, ""},
	{"cifs-utils", inventory.FactNFSMount, ctxSystem, ""},
}

// patRule is a rule whose name is a pattern, split at its '*'.
type patRule struct {
	nameRule
	pre, suf string
}

var (
	exactRules  = map[string][]nameRule{}
	prefixRules []patRule
	suffixRules []patRule
	middleRules []patRule
)

func init() {
	for _, r := range nameRules {
		pre, suf, _ := strings.Cut(r.name, "*")
		switch {
		case strings.HasPrefix(r.name, "*"):
			suffixRules = append(suffixRules, patRule{r, "", strings.TrimPrefix(r.name, "*")})
		case strings.HasSuffix(r.name, "*"):
			prefixRules = append(prefixRules, patRule{r, strings.TrimSuffix(r.name, "*"), ""})
		case strings.Contains(r.name, "*"):
			middleRules = append(middleRules, patRule{r, pre, suf})
		default:
			exactRules[r.name] = append(exactRules[r.name], r)
		}
	}
}

// normName lower-cases a package or unit name and strips a version, an architecture and a
// unit suffix: "nginx=1.18.*" → "nginx", "redis.service" → "redis".
func normName(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			s = strings.ToLower(s)
			break
		}
	}
	s = strings.Trim(s, `"',`)
	if strings.IndexByte(s, '.') >= 0 { // every suffix below has one; most names have none
		s = strings.TrimSuffix(s, ".service")
		for _, ext := range []string{".rpm", ".deb", ".msi", ".exe", ".whl", ".tar.gz", ".tgz", ".zip"} {
			s = strings.TrimSuffix(s, ext)
		}
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 && !strings.HasPrefix(s, "@") {
		s = s[i+1:]
	}
	if strings.HasPrefix(s, "postgresql@") {
		return s
	}
	s = s[:versionTail(s)]
	// pip's extras come before its version: apache-airflow[celery]==2.7.0 is apache-airflow.
	if i := strings.IndexByte(s, '['); i > 0 && strings.HasSuffix(s, "]") {
		s = s[:i]
	}
	return s
}

// versionTail returns where a name's version or architecture tail starts (len(s) when it
// has none). It is the regular expression
//
//	(?:[=<>~!]=?.*|-\d[\d.]*(?:-\d+)?(?:\.(?:el|amzn|fc)\d.*)?|\.(?:x86_64|aarch64|noarch|i686|amd64|arm64)|@.*|\[.*\])$
//
// written out: the tail is the leftmost place where one of the alternatives runs to the
// end ("." does not cross a newline). TestVersionTail holds the two to the same answers.
func versionTail(s string) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '=', '<', '>', '~', '!', '@':
			if !strings.Contains(s[i+1:], "\n") {
				return i
			}
		case '[':
			if len(s)-i >= 2 && s[len(s)-1] == ']' && !strings.Contains(s[i+1:len(s)-1], "\n") {
				return i
			}
		case '.':
			switch s[i+1:] {
			case "x86_64", "aarch64", "noarch", "i686", "amd64", "arm64":
				return i
			}
		case '-':
			if versionDigits(s[i+1:]) {
				return i
			}
		}
	}
	return len(s)
}

// versionDigits matches \d[\d.]*(?:-\d+)?(?:\.(?:el|amzn|fc)\d.*)?$ against s, trying every
// length of each repetition as the regular expression would.
func versionDigits(s string) bool {
	if s == "" || !isDigit(s[0]) {
		return false
	}
	n := 1
	for n < len(s) && (isDigit(s[n]) || s[n] == '.') {
		n++
	}
	for j := n; j >= 1; j-- {
		if releaseTail(s[j:]) {
			return true
		}
	}
	return false
}

// releaseTail matches (?:-\d+)?(?:\.(?:el|amzn|fc)\d.*)?$.
func releaseTail(s string) bool {
	if distTail(s) {
		return true
	}
	if len(s) < 2 || s[0] != '-' || !isDigit(s[1]) {
		return false
	}
	n := 2
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	for j := n; j >= 2; j-- {
		if distTail(s[j:]) {
			return true
		}
	}
	return false
}

// distTail matches (?:\.(?:el|amzn|fc)\d.*)?$.
func distTail(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != '.' {
		return false
	}
	for _, d := range []string{"el", "amzn", "fc"} {
		if rest, ok := strings.CutPrefix(s[1:], d); ok && rest != "" && isDigit(rest[0]) && !strings.Contains(rest[1:], "\n") {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// roleFact says what an Ansible role the scan could not read is named for. A role from
// Galaxy or a collection (geerlingguy.mysql, cloudalchemy.node_exporter,
// prometheus.prometheus.node_exporter) or cloned under its repository's name
// (ansible-role-redis) installs and runs what its last word names; its tasks are not there
// to say more. A name the vocabulary does not know (geerlingguy.java) says nothing.
func roleFact(role string) (inventory.Fact, bool) {
	n := strings.ToLower(strings.TrimSpace(role))
	if i := strings.LastIndexAny(n, "./"); i >= 0 {
		n = n[i+1:]
	}
	for _, pre := range []string{"ansible-role-", "ansible_role_", "ansible-", "role-", "role_"} {
		n = strings.TrimPrefix(n, pre)
	}
	if strings.Contains(n, "{{") || n == "" {
		return inventory.Fact{}, false
	}
	for _, ctx := range []string{ctxService, ctxSystem} {
		if f, ok := classifyName(n, ctx); ok {
			f.Via = inventory.ViaAnsibleRole
			return f, true
		}
	}
	if f, ok := classifyKeyword(n); ok {
		f.Via = inventory.ViaAnsibleRole
		return f, true
	}
	return inventory.Fact{}, false
}

// classifyName says what a package or service name is, in a context: a fact with its kind
// and canonical name. ok is false for a name the vocabulary does not know (an ordinary
// package).
func classifyName(name, ctx string) (inventory.Fact, bool) {
	kind, detail, ok := classifyNorm(normName(name), ctx)
	return inventory.Fact{Kind: kind, Name: detail}, ok
}

// classifyNorm is classifyName for a name normName has normalised, as kind and name.
func classifyNorm(n, ctx string) (kind inventory.FactKind, detail string, ok bool) {
	if n == "" {
		return 0, "", false
	}
	// The first rule that applies decides; a rule without a kind decides "nothing".
	match := func(r nameRule) (inventory.FactKind, string, bool) {
		if r.ctx != "" && r.ctx != ctx {
			return 0, "", false
		}
		d := r.detail
		if d == "" {
			d = n
		}
		return r.kind, d, true
	}
	decide := func(k inventory.FactKind, d string) (inventory.FactKind, string, bool) {
		if k == 0 {
			return 0, "", false
		}
		return k, d, true
	}
	for _, r := range exactRules[n] {
		if k, d, ok := match(r); ok {
			return decide(k, d)
		}
	}
	for _, r := range prefixRules {
		if strings.HasPrefix(n, r.pre) {
			if k, d, ok := match(r.nameRule); ok {
				return decide(k, d)
			}
		}
	}
	for _, r := range suffixRules {
		if strings.HasSuffix(n, r.suf) {
			if k, d, ok := match(r.nameRule); ok {
				return decide(k, d)
			}
		}
	}
	for _, r := range middleRules {
		if len(n) > len(r.pre)+len(r.suf) && strings.HasPrefix(n, r.pre) && strings.HasSuffix(n, r.suf) {
			if k, d, ok := match(r.nameRule); ok {
				return decide(k, d)
			}
		}
	}
	return 0, "", false
}

// keywords are distinctive fragments of a download URL, a file path or a command that
// name what is being installed: "…/prometheus/node_exporter/releases/…".
var keywords = []struct {
	frag   string
	kind   inventory.FactKind
	detail string
}{
	{"node_exporter", inventory.FactObservability, "node_exporter"},
	{"node-exporter", inventory.FactObservability, "node_exporter"},
	{"otelcol", inventory.FactObservability, "otel collector"},
	{"otel-collector", inventory.FactObservability, "otel collector"},
	{"opentelemetry-collector", inventory.FactObservability, "otel collector"},
	{"aws-otel-collector", inventory.FactObservability, "otel collector"},
	{"amazon-cloudwatch-agent", inventory.FactObservability, "cloudwatch agent"},
	{"cloudwatch-agent", inventory.FactObservability, "cloudwatch agent"},
	{"awslogs-agent-setup", inventory.FactObservability, "cloudwatch logs agent"},
	// The CodeDeploy agent, from its installer's bucket (aws-codedeploy-REGION): it puts
	// the application on the instance after boot.
	{"aws-codedeploy-", inventory.FactService, "codedeploy-agent"},
	{"codedeploy-agent", inventory.FactService, "codedeploy-agent"},
	{"datadog", inventory.FactObservability, "datadog agent"},
	{"dd-agent", inventory.FactObservability, "datadog agent"},
	{"newrelic", inventory.FactObservability, "new relic agent"},
	{"filebeat", inventory.FactObservability, "filebeat"},
	{"fluent-bit", inventory.FactObservability, "fluent-bit"},
	{"fluentd", inventory.FactObservability, "fluentd"},
	{"td-agent", inventory.FactObservability, "fluentd"},
	{"telegraf", inventory.FactObservability, "telegraf"},
	{"grafana-agent", inventory.FactObservability, "grafana-agent"},
	{"promtail", inventory.FactObservability, "promtail"},
	{"splunkforwarder", inventory.FactObservability, "splunk forwarder"},
	{"nvidia", inventory.FactGPU, "nvidia"},
	{"cuda", inventory.FactGPU, "cuda"},
	{"get.docker.com", inventory.FactDocker, "docker"},
	{"download.docker.com", inventory.FactDocker, "docker"},
	{"docker-compose", inventory.FactDocker, "docker-compose"},
	{"s3fs", inventory.FactS3Mount, "s3fs"},
	{"goofys", inventory.FactS3Mount, "goofys"},
	{"mountpoint-s3", inventory.FactS3Mount, "mountpoint-s3"},
	{"mount-s3", inventory.FactS3Mount, "mountpoint-s3"},
	{"spark-", inventory.FactBatchML, "spark"},
	{"hadoop", inventory.FactBatchML, "hadoop"},
	{"apache-airflow", inventory.FactBatchML, "airflow"},
	{"pytorch", inventory.FactBatchML, "pytorch"},
	{"tensorflow", inventory.FactBatchML, "tensorflow"},
}

// keywordFirst and keywordSecond hold, for each byte in either case, a bit for each
// keyword fragment it is the first (second) byte of.
var keywordFirst, keywordSecond = func() (f, s [256]uint64) {
	if len(keywords) > 64 {
		panic("scripts: more keywords than bits")
	}
	for k, kw := range keywords {
		if len(kw.frag) < 2 || strings.ToLower(kw.frag) != kw.frag {
			panic("scripts: keyword " + kw.frag + " is not lower-case or is too short")
		}
		for _, c := range []byte{kw.frag[0], upperByte(kw.frag[0])} {
			f[c] |= 1 << k
		}
		for _, c := range []byte{kw.frag[1], upperByte(kw.frag[1])} {
			s[c] |= 1 << k
		}
	}
	return f, s
}()

// classifyKeyword looks for a distinctive fragment in a URL, path or command; the first
// fragment of the list that the text holds names it: a fact with its kind and canonical name.
func classifyKeyword(s string) (inventory.Fact, bool) {
	kind, detail, ok := keywordIn(s)
	return inventory.Fact{Kind: kind, Name: detail}, ok
}

func keywordIn(s string) (kind inventory.FactKind, detail string, ok bool) {
	// One pass over ASCII text finds every fragment it holds, ignoring case.
	var found uint64
	first := uint64(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return classifyKeywordFolded(s)
		}
		for hit := first & keywordSecond[c] &^ found; hit != 0; hit &= hit - 1 {
			k := bits.TrailingZeros64(hit)
			if hasPrefixFold(s[i-1:], keywords[k].frag) {
				found |= 1 << k
			}
		}
		first = keywordFirst[c]
	}
	if found == 0 {
		return 0, "", false
	}
	k := keywords[bits.TrailingZeros64(found)]
	return k.kind, k.detail, true
}

// classifyKeywordFolded is classifyKeyword for text that is not all ASCII.
func classifyKeywordFolded(s string) (kind inventory.FactKind, detail string, ok bool) {
	l := s
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			l = strings.ToLower(s)
			break
		}
	}
	for _, k := range keywords {
		if strings.Contains(l, k.frag) {
			return k.kind, k.detail, true
		}
	}
	return 0, "", false
}

// packageFact records one installed package, installed through via (apt-get, pip, an
// Ansible module…): its category when the vocabulary knows it, otherwise a plain
// FactPackage.
func (d *doc) packageFact(name, ctx, via string, line int) {
	d.packageFactAt(name, ctx, via, d.file, line, d.excerpt(line))
}

func (d *doc) packageFactAt(name, ctx, via, file string, line int, excerpt string) {
	n := strings.Trim(strings.TrimSpace(name), `"',`)
	if n == "" || strings.HasPrefix(n, "-") || strings.HasPrefix(n, "$") || strings.Contains(n, markerPrefix) {
		return
	}
	if from, _ := placeholderAt(n); from == 0 {
		return // the whole name is a variable's: not known here
	}
	nn := normName(untemplated(n))
	if kind, detail, ok := classifyNorm(nn, ctx); ok {
		d.addAt(inventory.Fact{Kind: kind, Name: detail, Via: via}, file, line, excerpt)
		return
	}
	if strings.Contains(n, "{{") {
		return // a templated name the vocabulary does not know: not known here
	}
	// A package file (an .rpm or .deb URL or path): name it by its base.
	if strings.Contains(n, "/") {
		n = path.Base(n)
		if f, ok := classifyKeyword(n); ok {
			f.Via = via
			d.addAt(f, file, line, excerpt)
			return
		}
		nn = normName(n)
	}
	if strings.Contains(n, "${") {
		nn = n // runc-${RUNC_VERSION}: the variable's name is as written
	}
	d.addAt(inventory.Fact{Kind: inventory.FactPackage, Name: nn, Via: via}, file, line, excerpt)
}

// serviceFact records a unit enabled or started through via (systemctl, service, an
// Ansible module…), and what the unit is when known.
func (d *doc) serviceFact(unit, via string, line int) {
	d.serviceFactAt(unit, via, d.file, line, d.excerpt(line))
}

func (d *doc) serviceFactAt(unit, via, file string, line int, excerpt string) {
	u := strings.Trim(strings.TrimSpace(unit), `"'`)
	if from, _ := placeholderAt(u); u == "" || strings.HasPrefix(u, "-") || strings.HasPrefix(u, "$") || from == 0 {
		return // a unit whose whole name is a variable's is not known here
	}
	switch {
	case strings.HasSuffix(u, ".timer"):
		d.addAt(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaSystemdTimer, Name: u}, file, line, excerpt)
		return
	case strings.HasSuffix(u, ".mount"), strings.HasSuffix(u, ".target"), strings.HasSuffix(u, ".socket"), strings.HasSuffix(u, ".path"):
		return
	}
	name := strings.TrimSuffix(u, ".service")
	if d.res.tasks[name] {
		// A oneshot unit this file wrote (a shutdown hook, a setup step): its commands are
		// read where the unit is written; enabling it runs no service. A unit written
		// after it is enabled is not known to be one here.
		return
	}
	d.addAt(inventory.Fact{Kind: inventory.FactService, Name: name, Via: via}, file, line, excerpt)
	d.unitIs(name, via, file, line, excerpt)
}

// unitIs records what the vocabulary says a unit or program is, if anything: a database,
// a web server, an agent.
func (d *doc) unitIs(name, via, file string, line int, excerpt string) {
	f, ok := classifyName(untemplated(name), ctxService)
	if !ok {
		f, ok = classifyKeyword(name)
	}
	if ok {
		f.Via = via
		d.addAt(f, file, line, excerpt)
	}
}

// sysctlFact is a sysctl set through via: its key and, when known, its value.
func sysctlFact(key, value, via string) inventory.Fact {
	return inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassSysctl, FactParams: &inventory.FactParams{Key: strings.TrimSpace(key), Value: strings.TrimSpace(value)}, Via: via}
}

// placeholderAt is where a template placeholder starts in a name (Jinja's {{, a shell ${
// or $NAME) and where it ends; from is -1 when there is none.
func placeholderAt(n string) (from, to int) {
	for i := 0; i+1 < len(n); i++ {
		switch {
		case n[i] == '{' && n[i+1] == '{':
			if j := strings.Index(n[i:], "}}"); j > 0 {
				return i, i + j + 2
			}
			return i, len(n)
		case n[i] == '$' && n[i+1] == '{':
			if j := strings.IndexByte(n[i:], '}'); j > 0 {
				return i, i + j + 1
			}
			return i, len(n)
		case n[i] == '$' && (n[i+1] == '_' || 'A' <= n[i+1] && n[i+1] <= 'Z' || 'a' <= n[i+1] && n[i+1] <= 'z'):
			j := i + 1
			for j < len(n) && (n[j] == '_' || 'A' <= n[j] && n[j] <= 'Z' || 'a' <= n[j] && n[j] <= 'z' || '0' <= n[j] && n[j] <= '9') {
				j++
			}
			return i, j
		}
	}
	return -1, -1
}

// untemplated is the name a package or unit is known by when a placeholder stands only for
// its version: "postgresql-{{ pg_version }}" and "redis-server=${REDIS_VERSION}" are
// postgresql and redis-server. A placeholder anywhere else leaves the name as written, for
// the vocabulary's patterns to match what is literal around it ("postgresql{{ major
// }}-server" is still a PostgreSQL server; "postgresql-{{ v }}-contrib" is not known).
func untemplated(n string) string {
	from, to := placeholderAt(n)
	if from <= 0 {
		return n
	}
	switch n[from-1] {
	case '-', '=', '@', '_':
	default:
		return n
	}
	// After the placeholder, only more of a version: digits, dots, other placeholders.
	for rest := n[to:]; rest != ""; {
		if f, t := placeholderAt(rest); f == 0 {
			rest = rest[t:]
			continue
		}
		if c := rest[0]; c != '.' && (c < '0' || c > '9') {
			return n
		}
		rest = rest[1:]
	}
	return n[:from-1]
}

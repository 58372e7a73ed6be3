package inventory

import (
	"strings"
	"sync"
	"sync/atomic"
)

// The part of the vocabulary that says what a named thing is, once it is named: the class
// of a state server or an observability agent, the service a unit or package runs, whether
// a service is a host agent, whether kernel tuning is node-level. The script readers name
// things (inventory/scripts, nameRules) and call these to fill a fact's fields; loading a
// version-1 snapshot calls them too, so that an old snapshot and a fresh scan agree.

// stateClasses are the state servers that are not plain databases, by canonical name.
// Redis and Valkey are databases here: they persist to disk by default, so what they hold
// outlives the instance; memcached keeps nothing.
var stateClasses = map[string]FactClass{
	"memcached":        ClassCache,
	"elasticsearch":    ClassSearch,
	"opensearch":       ClassSearch,
	"solr":             ClassSearch,
	"rabbitmq-server":  ClassBroker,
	"kafka":            ClassBroker,
	"confluent-kafka":  ClassBroker,
	"activemq":         ClassBroker,
	"zookeeper":        ClassCoordination,
	"etcd":             ClassCoordination,
	"minio":            ClassObjectStore,
	"nfs-server":       ClassFileServer,
	"glusterfs-server": ClassFileServer,
}

// StateClass says what a state server (a FactDatabase name) is: a cache, a search engine, a
// broker…; any other is a database.
func StateClass(name string) FactClass {
	if c, ok := stateClasses[name]; ok {
		return c
	}
	return ClassDatabase
}

// observabilityClasses say what each observability agent or library does, by canonical
// name. Exporters ("mysqld_exporter", "prometheus-redis-exporter") export metrics.
var observabilityClasses = map[string]FactClass{
	"node_exporter":         ClassMetrics,
	"prometheus":            ClassMetrics,
	"prometheus client":     ClassMetrics,
	"otel collector":        ClassMetrics,
	"opentelemetry sdk":     ClassMetrics,
	"datadog agent":         ClassMetrics,
	"datadog tracer":        ClassMetrics,
	"new relic agent":       ClassMetrics,
	"telegraf":              ClassMetrics,
	"grafana-agent":         ClassMetrics,
	"grafana alloy":         ClassMetrics,
	"elastic-agent":         ClassMetrics,
	"cloudwatch agent":      ClassCloudWatch,
	"cloudwatch logs agent": ClassLogs,
	"filebeat":              ClassLogs,
	"fluentd":               ClassLogs,
	"fluent-bit":            ClassLogs,
	"promtail":              ClassLogs,
	"splunk forwarder":      ClassLogs,
	"vector":                ClassLogs,
	"metricbeat":            ClassMonitoring,
	"collectd":              ClassMonitoring,
	"zabbix-agent":          ClassMonitoring,
	"zabbix-agent2":         ClassMonitoring,
	"nrpe":                  ClassMonitoring,
}

// ObservabilityClass says what an observability agent (a FactObservability name) does;
// empty for a name the vocabulary does not know.
func ObservabilityClass(name string) FactClass {
	if c, ok := observabilityClasses[name]; ok {
		return c
	}
	if strings.HasSuffix(name, "_exporter") || strings.HasSuffix(name, "-exporter") {
		return ClassMetrics
	}
	return 0
}

// serviceAliases are the names one server goes by as a package, a unit and a database
// fact, so that SQL Server installed and its MSSQLSERVER service count as one service.
var serviceAliases = map[string]string{
	"sql": "sql-server", "mssqlserver": "sql-server", "mssql": "sql-server",
	"mysqld": "mysql", "mariadb": "mysql",
	"httpd": "apache", "apache2": "apache",
	"postgres": "postgresql",
	"php-fpm":  "php-fpm", "php7.4-fpm": "php-fpm", "php8.1-fpm": "php-fpm", "php8.2-fpm": "php-fpm",
}

// ServiceName is the canonical name of the server a unit or package runs: "nginx",
// "nginx.service" and "NGINX" are "nginx"; the mysql-server package and the mysqld unit
// are "mysql"; a named SQL Server instance (MSSQL$SALES) is "sql-server"; an instance of
// a template unit is its template's service ("postgresql@15-main" is postgresql); a
// placeholder for a version or an environment is not part of the name
// ("app-{{ env }}" is app).
func ServiceName(name string) string {
	d := strings.ToLower(strings.TrimSpace(name))
	d = strings.TrimSuffix(d, ".service")
	d = strings.TrimSuffix(d, "-server") // the mysql-server package runs the mysql service
	if strings.HasPrefix(d, "mssql$") {
		return "sql-server"
	}
	if i := strings.IndexAny(d, " =:@{$"); i > 0 {
		d = strings.TrimRight(d[:i], "-_.")
	}
	if alias, ok := serviceAliases[d]; ok {
		return alias
	}
	return d
}

// agentWords mark services that are infrastructure on every host, not the application.
var agentWords = []string{
	"node_exporter", "node-exporter", "otel", "opentelemetry", "cloudwatch", "datadog", "td-agent",
	"fluent", "filebeat", "ssm-agent", "ssm_agent", "sshd", "chrony", "ntp", "cron", "docker",
	"containerd", "rsyslog", "awslogs", "newrelic", "splunk", "zabbix", "codedeploy", "telegraf",
	"consul", "vector", "promtail", "falcon", "amazon-efs-utils", "firewall", "iptables", "nftables",
	"auditd", "logstash", "nrpe", "collectd", "snmpd", "amazon-ecs", "ecs-init", "rngd",
	"amazonssmagent", "winrm",
	// Host plumbing: mount helpers, security agents, drivers' daemons, the node agent.
	"s3fs", "goofys", "mount-s3", "nfs-client", "systemd-", "unattended-upgrades", "fail2ban", "clamav",
	"osquery", "wazuh", "qualys", "nessus", "nvidia-persistenced", "nvidia-fabricmanager", "cloud-init", "kubelet",
	// Remote access, boot-time helpers and host plumbing: every host of a kind has them,
	// whatever it runs.
	"ssh-agent", "cfn-hup", "netfilter", "multipathd", "iscsid", "snapd", "ec2launch", "ec2config",
	"cloudbase-init", "w32time", "dnsmasq",
	// Monitoring and security agents of other vendors.
	"grafana-agent", "elastic-agent", "metricbeat", "auditbeat", "packetbeat", "nagios", "icinga", "sensu", "dynatrace",
	"oneagent", "instana", "appdynamics", "sysdig", "sentinelone", "rapid7", "syslog", "netdata", "checkmk",
	"ossec", "freshclam", "awsagent", "amazon-inspector",
	// Configuration management's agents: they converge the host, they are not what it runs.
	"chef-client", "cinc-client", "salt-minion", "pxp-agent",
}

// agentNames are agents whose name is too short, or too common a word, to match inside
// other names: monit is not order-monitor, alloy (Grafana's agent) is not alloy-pricing.
var agentNames = map[string]bool{"ecs": true, "ssh": true, "ntpd": true, "crond": true, "atd": true, "kpatch": true,
	"rpcbind": true, "autofs": true, "sssd": true, "nscd": true, "irqbalance": true, "tuned": true, "clamd": true,
	"acpid": true, "haveged": true, "alloy": true, "monit": true, "puppet": true}

// ServiceClass says whether a service (by its ServiceName) is a host agent or the
// application.
func ServiceClass(service string) FactClass {
	if agentNames[service] {
		return ClassAgent
	}
	for _, w := range agentWords {
		if strings.Contains(service, w) {
			return ClassAgent
		}
	}
	return ClassApplication
}

// nodeKernelWords mark kernel settings no ordinary pod can make: modules, resource limits,
// huge pages, and sysctls the kubelet does not allow a pod (vm.max_map_count, shared memory
// and semaphores).
var nodeKernelWords = []string{"module", "modprobe", "hugepage", "vm.max_map_count", "limits", "ulimit", "nofile", "memlock", "kernel.shm", "kernel.sem"}

// KernelScope says whether kernel tuning is node-level (ScopeNode) from its class and the
// setting, module, command or file it names; empty when the vocabulary does not say so.
func KernelScope(f *Fact) FactScope {
	switch f.Class {
	case ClassModule, ClassLimits, ClassHugepage, ClassCmdline:
		return ScopeNode
	}
	for _, s := range []string{f.Key(), f.Name, f.Command(), f.Path()} {
		s = strings.ToLower(s)
		for _, w := range nodeKernelWords {
			if strings.Contains(s, w) {
				return ScopeNode
			}
		}
	}
	return 0
}

// Classify fills the fields the vocabulary decides from those a reader set: the class
// and service of a state server, a web server or a service, the class of an observability
// agent, the scope of kernel tuning.
func Classify(f *Fact) {
	switch f.Kind {
	case FactDatabase:
		f.Class = StateClass(f.Name)
		f.Service = serverOf(f.Name).service
	case FactWebServer:
		f.Service = serverOf(f.Name).service
	case FactService:
		s := serverOf(f.Name)
		f.Service, f.Class = s.service, s.class
	case FactObservability:
		f.Class = ObservabilityClass(f.Name)
	case FactKernelTuning:
		f.Scope = KernelScope(f)
	}
}

// server is what the vocabulary says of a server's name: its ServiceName and that
// service's ServiceClass.
type server struct {
	service string
	class   FactClass
}

// servers remembers serverOf's answers. A scan classifies every database, web server
// and service fact it reads, and an estate names few servers, many times over: a lookup
// costs a hash where deriving the answer costs a dozen string operations and a search
// for a hundred agent words. The answers depend on the name alone. At most maxServers
// names are kept, so that a tree of made-up names cannot grow it without end; past that,
// names are classified afresh.
var (
	servers  sync.Map // name → server
	nServers atomic.Int64
)

const maxServers = 1 << 14

func serverOf(name string) server {
	if s, ok := servers.Load(name); ok {
		return s.(server)
	}
	service := ServiceName(name)
	s := server{service: service, class: ServiceClass(service)}
	if nServers.Add(1) <= maxServers {
		// Copies: name and service may be cut from a file's text, which the memory must
		// not keep.
		s.service = strings.Clone(s.service)
		servers.Store(strings.Clone(name), s)
	}
	return s
}

// IsAcceleratorType reports whether an EC2 instance type has GPUs or ML accelerators: the
// p and g families (p3, g4dn, g5g…), gr6, and the inf, trn and dl families.
func IsAcceleratorType(t string) bool {
	family, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(t)), ".")
	digitAt := func(i int) bool { return len(family) > i && family[i] >= '0' && family[i] <= '9' }
	for _, p := range []string{"inf", "trn", "dl", "gr"} {
		if strings.HasPrefix(family, p) && digitAt(len(p)) {
			return true
		}
	}
	return len(family) >= 2 && (family[0] == 'p' || family[0] == 'g') && digitAt(1)
}

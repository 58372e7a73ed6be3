package inventory_test

import (
	"strings"
	"testing"

	"whyk8s/inventory"
)

// One server seen as a package, a unit and a database fact is one service, not three.
func TestServiceName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"sql-server", "sql-server"},
		{"MSSQLSERVER", "sql-server"},
		{"MSSQL$REPORTING", "sql-server"},
		{"mysql-server", "mysql"},
		{"mysqld.service", "mysql"},
		{"httpd", "apache"},
		{"apache2", "apache"},
		{"nginx", "nginx"},
		{"NGINX", "nginx"},
		{"nginx.service", "nginx"},
		{"redis-server", "redis"},
		{"postgresql@15-main", "postgresql"},
		{"postgresql@{{ pg_version }}-main", "postgresql"},
		{"orders-{{ env }}", "orders"},
		{"orders-${ENV}.service", "orders"},
	} {
		if got := inventory.ServiceName(tt.in); got != tt.want {
			t.Errorf("ServiceName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The vocabulary tells a database from a cache, a broker or a search engine, a host agent
// from the application, metrics from logs, and node-level kernel tuning from the rest.
func TestClassify(t *testing.T) {
	for _, tt := range []struct {
		name  string
		f     inventory.Fact
		class inventory.FactClass
		scope inventory.FactScope
	}{
		{"postgresql is a database", inventory.Fact{Kind: inventory.FactDatabase, Name: "postgresql"}, inventory.ClassDatabase, 0},
		{"redis persists: a database", inventory.Fact{Kind: inventory.FactDatabase, Name: "redis-server"}, inventory.ClassDatabase, 0},
		{"memcached is a cache", inventory.Fact{Kind: inventory.FactDatabase, Name: "memcached"}, inventory.ClassCache, 0},
		{"kafka is a broker", inventory.Fact{Kind: inventory.FactDatabase, Name: "kafka"}, inventory.ClassBroker, 0},
		{"opensearch is search", inventory.Fact{Kind: inventory.FactDatabase, Name: "opensearch"}, inventory.ClassSearch, 0},
		{"zookeeper coordinates", inventory.Fact{Kind: inventory.FactDatabase, Name: "zookeeper"}, inventory.ClassCoordination, 0},
		{"an NFS server serves files", inventory.Fact{Kind: inventory.FactDatabase, Name: "nfs-server"}, inventory.ClassFileServer, 0},
		{"sshd is an agent", inventory.Fact{Kind: inventory.FactService, Name: "sshd"}, inventory.ClassAgent, 0},
		{"ecs is an agent", inventory.Fact{Kind: inventory.FactService, Name: "ecs"}, inventory.ClassAgent, 0},
		{"Windows ssh-agent is an agent", inventory.Fact{Kind: inventory.FactService, Name: "ssh-agent"}, inventory.ClassAgent, 0},
		{"cfn-hup is an agent", inventory.Fact{Kind: inventory.FactService, Name: "cfn-hup"}, inventory.ClassAgent, 0},
		{"a Chef client is an agent", inventory.Fact{Kind: inventory.FactService, Name: "chef-client.service"}, inventory.ClassAgent, 0},
		{"a Puppet agent is an agent", inventory.Fact{Kind: inventory.FactService, Name: "puppet"}, inventory.ClassAgent, 0},
		{"a Puppet server is an application", inventory.Fact{Kind: inventory.FactService, Name: "puppetserver"}, inventory.ClassApplication, 0},
		{"a Salt minion is an agent", inventory.Fact{Kind: inventory.FactService, Name: "salt-minion"}, inventory.ClassAgent, 0},
		{"a Salt master is an application", inventory.Fact{Kind: inventory.FactService, Name: "salt-master"}, inventory.ClassApplication, 0},
		{"saved firewall rules are host plumbing", inventory.Fact{Kind: inventory.FactService, Name: "netfilter-persistent.service"}, inventory.ClassAgent, 0},
		{"the NVIDIA persistence daemon is an agent", inventory.Fact{Kind: inventory.FactService, Name: "nvidia-persistenced"}, inventory.ClassAgent, 0},
		{"systemd's own services are agents", inventory.Fact{Kind: inventory.FactService, Name: "systemd-resolved"}, inventory.ClassAgent, 0},
		{"a local DNS forwarder is host plumbing", inventory.Fact{Kind: inventory.FactService, Name: "dnsmasq"}, inventory.ClassAgent, 0},
		{"crond is an agent", inventory.Fact{Kind: inventory.FactService, Name: "crond"}, inventory.ClassAgent, 0},
		{"a monitoring agent is an agent", inventory.Fact{Kind: inventory.FactService, Name: "nagios-nrpe-server"}, inventory.ClassAgent, 0},
		{"a security agent is an agent", inventory.Fact{Kind: inventory.FactService, Name: "wazuh-agent.service"}, inventory.ClassAgent, 0},
		{"monit is an agent", inventory.Fact{Kind: inventory.FactService, Name: "monit"}, inventory.ClassAgent, 0},
		{"order-monitor is the application", inventory.Fact{Kind: inventory.FactService, Name: "order-monitor"}, inventory.ClassApplication, 0},
		{"Debian's ssh unit is sshd", inventory.Fact{Kind: inventory.FactService, Name: "ssh"}, inventory.ClassAgent, 0},
		{"kernel live-patching is the host's", inventory.Fact{Kind: inventory.FactService, Name: "kpatch.service"}, inventory.ClassAgent, 0},
		{"an s3fs mount's init script is no application", inventory.Fact{Kind: inventory.FactService, Name: "s3fs"}, inventory.ClassAgent, 0},
		{"the node agent of a cluster", inventory.Fact{Kind: inventory.FactService, Name: "kubelet"}, inventory.ClassAgent, 0},
		{"a monitoring agent", inventory.Fact{Kind: inventory.FactService, Name: "grafana-agent"}, inventory.ClassAgent, 0},
		{"a name that only contains a short agent's name", inventory.Fact{Kind: inventory.FactService, Name: "finetuned-scorer"}, inventory.ClassApplication, 0},
		{"orders-api is the application", inventory.Fact{Kind: inventory.FactService, Name: "orders-api.service"}, inventory.ClassApplication, 0},
		{"node_exporter exports metrics", inventory.Fact{Kind: inventory.FactObservability, Name: "node_exporter"}, inventory.ClassMetrics, 0},
		{"any exporter exports metrics", inventory.Fact{Kind: inventory.FactObservability, Name: "mysqld_exporter"}, inventory.ClassMetrics, 0},
		{"fluent-bit ships logs", inventory.Fact{Kind: inventory.FactObservability, Name: "fluent-bit"}, inventory.ClassLogs, 0},
		{"the CloudWatch agent", inventory.Fact{Kind: inventory.FactObservability, Name: "cloudwatch agent"}, inventory.ClassCloudWatch, 0},
		{"vm.max_map_count is node-level", inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassSysctl, FactParams: &inventory.FactParams{Key: "vm.max_map_count"}}, inventory.ClassSysctl, inventory.ScopeNode},
		{"somaxconn is not", inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassSysctl, FactParams: &inventory.FactParams{Key: "net.core.somaxconn"}}, inventory.ClassSysctl, 0},
		{"a module is node-level", inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassModule, Name: "br_netfilter"}, inventory.ClassModule, inventory.ScopeNode},
		{"limits are node-level", inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassLimits}, inventory.ClassLimits, inventory.ScopeNode},
		{"the kernel command line is node-level", inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassCmdline, FactParams: &inventory.FactParams{Key: "GRUB_CMDLINE_LINUX"}}, inventory.ClassCmdline, inventory.ScopeNode},
		{"huge pages in a sysctl file", inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassSysctl, FactParams: &inventory.FactParams{Path: "/etc/sysctl.d/90-hugepages.conf"}}, inventory.ClassSysctl, inventory.ScopeNode},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			inventory.Classify(&f)
			if f.Class != tt.class || f.Scope != tt.scope {
				t.Errorf("class %q scope %q, want %q %q", f.Class, f.Scope, tt.class, tt.scope)
			}
		})
	}
}

// Classify remembers what it derived for a server's name: asked again, for the same name
// or the same name cut from another text, it answers as it did the first time, and as the
// vocabulary's functions do.
func TestClassifyRemembers(t *testing.T) {
	text := "nginx.service NGINX mysqld sshd my-app datadog-agent"
	for round := 0; round < 3; round++ {
		for _, name := range strings.Fields(text) {
			for _, kind := range []inventory.FactKind{inventory.FactService, inventory.FactWebServer, inventory.FactDatabase} {
				f := inventory.Fact{Kind: kind, Name: name}
				inventory.Classify(&f)
				service := inventory.ServiceName(name)
				if f.Service != service {
					t.Errorf("round %d: %s %q: service %q, want %q", round, kind, name, f.Service, service)
				}
				if kind == inventory.FactService && f.Class != inventory.ServiceClass(service) {
					t.Errorf("round %d: service %q: class %q, want %q", round, name, f.Class, inventory.ServiceClass(service))
				}
			}
		}
		text = "x " + text // the same names, cut from a new text
	}
}

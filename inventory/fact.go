package inventory

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Fact is one observation in a script that may move container fit: a database installed,
// an s3fs mount, a secret. Kind comes from a fixed vocabulary (the Fact* constants) so that
// assess can attach rules to it. The other fields say what exactly, each decided once, where
// the fact is read, by the reader and the vocabulary: assess reads them and never takes text
// apart. What a person is shown is derived from them by Detail. A secret's value is never
// kept, only its kind.
//
// Every field but Kind and Evidence is optional; each says which kinds use it. A field a
// reader could not know is left empty: unknown, not absent.
type Fact struct {
	Kind FactKind `json:"kind"`
	// Name is what the fact is about, as the vocabulary names it: a package or program
	// (canonical: "redis-server", "otel collector"), a unit as the script names it, a
	// user, an environment variable, a parameter or secret id in a store, a kernel module,
	// a Packer build, the kind of a secret, a file downloaded.
	Name string `json:"name,omitempty"`
	// Service is the canonical name of the server a service, web-server or database fact
	// runs, so that "nginx", "nginx.service" and "NGINX" are one service, as are "apache2"
	// and "httpd", or the mysql-server package and the mysqld unit.
	Service string `json:"service,omitempty"`
	// Class is what the vocabulary says the thing is; see the Class* constants.
	Class FactClass `json:"class,omitempty"`
	// Scope, for kernel tuning, is ScopeNode for a setting no ordinary pod can make; empty
	// when the vocabulary does not say so.
	Scope FactScope `json:"scope,omitempty"`
	// Via is the mechanism the fact came through: a package manager ("apt-get", "pip"),
	// an init system or command ("systemctl", "supervisor"), an Ansible module, a store
	// ("ssm", "secretsmanager", "vault"). The Via* constants are the mechanisms the
	// display tells apart; others are named as the script names them.
	Via string `json:"via,omitempty"`
	// FactParams are the fields few facts set: what a command, an image, a path or a
	// setting is. They are behind a pointer, nil when a fact sets none of them, because a
	// scan holds every fact at once and three facts in four set none: a fact is 112 bytes
	// rather than 232. Read them with the methods of the same names (Command, Path,
	// Mount…), which read nil as empty; the pointer is embedded so that JSON writes and
	// reads its fields among the fact's own, where they always were. Copies of a fact
	// share it, so it is never changed in place once the fact is kept: see SetParams.
	*FactParams
	Evidence FactEvidence `json:"evidence"`
}

// FactParams are the rarely set fields of a fact (see Fact.FactParams).
type FactParams struct {
	// Command is the command as run: a program with its sub-command ("docker run",
	// "puppet agent", "sysctl -p", "mkfs.xfs"), an Ansible module, a cloud-config key;
	// for a cron entry, the command the entry runs.
	Command string `json:"command,omitempty"`
	// Image is an image name: the container image run or pulled, the AMI name a Packer
	// build produces, the source AMI filter it starts from.
	Image string `json:"image,omitempty"`
	// Path is a path on the host: a file written, an environment file, a cron file, a
	// crontab loaded.
	Path string `json:"path,omitempty"`
	// Device is a block device formatted or attached.
	Device string `json:"device,omitempty"`
	// Mount is a file system mounted; nil when the fact mounts none.
	Mount *Mount `json:"mount,omitzero"`
	// Address is an IP address or a host name: a hard-coded address, the host a script
	// is downloaded or cloned from.
	Address string `json:"address,omitempty"`
	// Key and Value are a setting: a sysctl key and its value, a sysfs attribute, the
	// cloud-config module that runs configuration management; for a firewall rule, its
	// table and target ("nat", "MASQUERADE").
	Key   string `json:"key,omitempty"`
	Value string `json:"value,omitempty"`
	// Schedule is when a scheduled job runs, as written: a cron expression, OnCalendar.
	Schedule string `json:"schedule,omitempty"`
}

// Mount is a file system mounted on the host.
type Mount struct {
	// Source is what is mounted: a device, LABEL= or UUID=, server:/export, a bucket.
	Source string `json:"source,omitempty"`
	// Target is the mount point.
	Target string `json:"target,omitempty"`
	// FSType is the file system type, lower-case: ext4, nfs4, cifs, s3fs.
	FSType string `json:"fsType,omitempty"`
}

// IsZero reports a fact that mounts nothing: no Mount, or one with no field set. JSON
// omits such a mount (omitzero), as it did when Mount was a value.
func (m *Mount) IsZero() bool { return m == nil || *m == Mount{} }

// MountOf is the fact's mount, or the zero Mount when it has none.
func (f *Fact) MountOf() Mount {
	if m := f.Mount(); m != nil {
		return *m
	}
	return Mount{}
}

// params are the fact's params, or none set.
func (f *Fact) params() *FactParams {
	if f.FactParams == nil {
		return &noParams
	}
	return f.FactParams
}

// noParams stand for the params of a fact without any: read, never written.
var noParams FactParams

// The methods below read a fact's params, empty when it has none. They have the names of
// the fields, which they hide, so that f.Command can only be read through them.

// Command is FactParams.Command.
func (f *Fact) Command() string { return f.params().Command }

// Image is FactParams.Image.
func (f *Fact) Image() string { return f.params().Image }

// Path is FactParams.Path.
func (f *Fact) Path() string { return f.params().Path }

// Device is FactParams.Device.
func (f *Fact) Device() string { return f.params().Device }

// Mount is FactParams.Mount: nil when the fact mounts nothing.
func (f *Fact) Mount() *Mount { return f.params().Mount }

// Address is FactParams.Address.
func (f *Fact) Address() string { return f.params().Address }

// Key is FactParams.Key.
func (f *Fact) Key() string { return f.params().Key }

// Value is FactParams.Value.
func (f *Fact) Value() string { return f.params().Value }

// Schedule is FactParams.Schedule.
func (f *Fact) Schedule() string { return f.params().Schedule }

// SetParams changes the fact's params through set, on a copy of its own: copies of a fact
// share their params, and changing them in place would change every copy. It drops params
// left with nothing set.
func (f *Fact) SetParams(set func(p *FactParams)) {
	p := *f.params()
	set(&p)
	if p == (FactParams{}) {
		f.FactParams = nil
		return
	}
	f.FactParams = &p
}

// FactKind is what a fact is about: one of the Fact* constants. A scan holds hundreds of
// thousands of facts, so a fact keeps its kind, class and scope in a byte each rather than
// in strings; each is written and read as its name (JSON, the snapshot), so the output
// reads as it did when they were strings. The zero value is no kind, written "".
type FactKind uint8

// Fact kinds. Each is a fact, not a judgement: "postgresql is installed", not "this is bad".
const (
	FactDatabase      FactKind = iota + 1 // a database or other stateful server installed (postgresql, redis, elasticsearch…)
	FactWebServer                         // nginx, apache, tomcat… installed
	FactService                           // a long-running unit enabled or started
	FactDataVolume                        // mkfs, a filesystem created, a block device mounted
	FactNFSMount                          // NFS or EFS mount
	FactS3Mount                           // s3fs, goofys, mountpoint-s3
	FactWindows                           // PowerShell, windows-restart, Windows-only tooling
	FactKernelTuning                      // sysctl, modprobe, kernel modules
	FactHardcodedIP                       // a literal private or public IP address
	FactCron                              // host cron job or systemd timer
	FactDocker                            // docker installed or containers run
	FactConfigStore                       // configuration read from SSM Parameter Store or Secrets Manager
	FactEnvConfig                         // configuration passed through environment variables
	FactObservability                     // node_exporter, OpenTelemetry collector, CloudWatch agent, Datadog…
	FactBootWork                          // heavy work at boot: upgrades, compiles, large downloads, curl | bash
	FactConfigMgmt                        // configuration management run at boot (ansible-pull, chef-client, puppet)
	FactImageBuild                        // a Packer build producing an AMI
	FactGPU                               // NVIDIA drivers, CUDA
	FactBatchML                           // batch or ML frameworks: spark, pytorch, tensorflow, airflow…
	FactSecret                            // a secret in plain text (Name: its kind; the value is never kept)
	FactFirewall                          // iptables, ufw, firewalld rules on the host
	FactLocalUser                         // local users or SSH keys managed on the host
	FactPackage                           // any other package installed
	// FactClusterNode: the host joins a cluster — an ECS cluster (ECS_CLUSTER), EKS or
	// kubeadm, Docker Swarm, Nomad, Consul or Vault. Name is the orchestrator ("ecs",
	// "eks", "kubernetes", "swarm", "nomad", "consul", "vault"), Class ClassClusterServer
	// when the host holds the cluster's state, Command the command that joins it, Key and
	// Value the setting that does (ECS_CLUSTER and its value as written).
	FactClusterNode
	// FactAnsibleProvisioner is a Packer ansible or ansible-local provisioner: the image is
	// configured by Ansible while it is built (Name: the provisioner type).
	FactAnsibleProvisioner
	// FactSpot is instances bought on the spot market. From a Packer builder it is the
	// build instance only (Via ViaPackerBuilder; Key the setting, Value its value), which
	// says nothing about where the image runs.
	FactSpot
)

// factKindNames are the kinds' names, as JSON and the snapshot write them.
var factKindNames = [...]string{
	FactDatabase:           "database",
	FactWebServer:          "web-server",
	FactService:            "service",
	FactDataVolume:         "data-volume",
	FactNFSMount:           "nfs-mount",
	FactS3Mount:            "s3-fuse-mount",
	FactWindows:            "windows",
	FactKernelTuning:       "kernel-tuning",
	FactHardcodedIP:        "hardcoded-ip",
	FactCron:               "cron",
	FactDocker:             "docker",
	FactConfigStore:        "config-store",
	FactEnvConfig:          "env-config",
	FactObservability:      "observability",
	FactBootWork:           "boot-work",
	FactConfigMgmt:         "config-mgmt",
	FactImageBuild:         "image-build",
	FactGPU:                "gpu",
	FactBatchML:            "batch-ml",
	FactSecret:             "secret",
	FactFirewall:           "host-firewall",
	FactLocalUser:          "local-user",
	FactPackage:            "package",
	FactClusterNode:        "cluster-node",
	FactAnsibleProvisioner: "ansible-provisioner",
	FactSpot:               "spot",
}

// String is the kind's name: "database", "web-server"; "" for no kind.
func (k FactKind) String() string { return enumName(factKindNames[:], k, "FactKind") }

// MarshalText writes the kind's name.
func (k FactKind) MarshalText() ([]byte, error) { return enumText(factKindNames[:], k, "fact kind") }

// UnmarshalText reads a kind's name; a name the vocabulary does not hold is an error.
func (k *FactKind) UnmarshalText(b []byte) error {
	return enumParse(factKindNames[:], k, string(b), "fact kind")
}

// FactClass is what the vocabulary says a fact's thing is (Fact.Class): one of the Class*
// constants, or none ("").
type FactClass uint8

// Classes the vocabulary assigns (Fact.Class).
const (
	// What a state server (FactDatabase) is.
	ClassDatabase FactClass = iota + 1
	ClassCache              // keeps nothing that must outlive the instance (memcached)
	ClassSearch
	ClassBroker
	ClassCoordination
	ClassObjectStore
	ClassFileServer

	// What a cluster node (FactClusterNode) is: a server holds the cluster's state
	// (Nomad, Consul or Vault server mode, a Kubernetes control plane); any other node runs
	// its work.
	ClassClusterServer

	// What a service (FactService) is.
	ClassApplication
	ClassAgent // infrastructure every host runs: sshd, cron, log shippers, monitoring agents

	// What kernel tuning (FactKernelTuning) sets.
	ClassSysctl
	ClassModule
	ClassLimits // /etc/security/limits, pam_limits
	ClassHugepage
	ClassSysfs   // another /sys attribute
	ClassCmdline // the kernel's boot parameters (GRUB_CMDLINE_LINUX, grubby --args)

	// What an observability agent (FactObservability) does.
	ClassMetrics    // exports metrics or traces beyond CloudWatch: Prometheus, OpenTelemetry, Datadog…
	ClassLogs       // ships logs
	ClassCloudWatch // the CloudWatch agent
	ClassMonitoring // host checks: Zabbix, NRPE, collectd

	// What heavy work at boot (FactBootWork) is.
	ClassPackageUpgrade
	ClassPipeToShell // a downloaded script run straight away: curl | bash
	ClassCompile
	ClassGitClone
	ClassDownload
	// ClassFetchedScript is code fetched at boot and run from the disk, not in the folders
	// read (Path: where it runs from; Address: where it was fetched from).
	ClassFetchedScript
)

// factClassNames are the classes' names, as JSON and the snapshot write them.
var factClassNames = [...]string{
	ClassDatabase:       "database",
	ClassCache:          "cache",
	ClassSearch:         "search",
	ClassBroker:         "message-broker",
	ClassCoordination:   "coordination",
	ClassObjectStore:    "object-store",
	ClassFileServer:     "file-server",
	ClassClusterServer:  "server",
	ClassApplication:    "application",
	ClassAgent:          "agent",
	ClassSysctl:         "sysctl",
	ClassModule:         "module",
	ClassLimits:         "limits",
	ClassHugepage:       "hugepages",
	ClassSysfs:          "sysfs",
	ClassCmdline:        "kernel-cmdline",
	ClassMetrics:        "metrics",
	ClassLogs:           "logs",
	ClassCloudWatch:     "cloudwatch",
	ClassMonitoring:     "monitoring",
	ClassPackageUpgrade: "package-upgrade",
	ClassPipeToShell:    "pipe-to-shell",
	ClassCompile:        "compile",
	ClassGitClone:       "git-clone",
	ClassDownload:       "download",
	ClassFetchedScript:  "fetched-script",
}

// String is the class's name: "cache", "agent"; "" for none.
func (c FactClass) String() string { return enumName(factClassNames[:], c, "FactClass") }

// MarshalText writes the class's name.
func (c FactClass) MarshalText() ([]byte, error) { return enumText(factClassNames[:], c, "fact class") }

// UnmarshalText reads a class's name; a name the vocabulary does not hold is an error.
func (c *FactClass) UnmarshalText(b []byte) error {
	return enumParse(factClassNames[:], c, string(b), "fact class")
}

// FactScope says how far kernel tuning reaches (Fact.Scope): ScopeNode, or not said ("").
type FactScope uint8

// ScopeNode marks kernel tuning no ordinary pod can make: a module, limits, huge pages, or a
// setting the kubelet does not let a pod set.
const ScopeNode FactScope = 1

var factScopeNames = [...]string{ScopeNode: "node"}

// String is the scope's name: "node", or "" when not said.
func (s FactScope) String() string { return enumName(factScopeNames[:], s, "FactScope") }

// MarshalText writes the scope's name.
func (s FactScope) MarshalText() ([]byte, error) { return enumText(factScopeNames[:], s, "fact scope") }

// UnmarshalText reads a scope's name; a name other than "node" or "" is an error.
func (s *FactScope) UnmarshalText(b []byte) error {
	return enumParse(factScopeNames[:], s, string(b), "fact scope")
}

// enumName is the name of value v in names, or what the type and number are when names
// has none (a value no constant holds).
func enumName[T ~uint8](names []string, v T, typ string) string {
	if int(v) < len(names) && (v == 0 || names[v] != "") {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

func enumText[T ~uint8](names []string, v T, what string) ([]byte, error) {
	if int(v) < len(names) && (v == 0 || names[v] != "") {
		return []byte(names[v]), nil
	}
	return nil, fmt.Errorf("no %s numbered %d", what, v)
}

func enumParse[T ~uint8](names []string, v *T, name, what string) error {
	if name == "" {
		*v = 0
		return nil
	}
	for i, n := range names {
		if i > 0 && n == name {
			*v = T(i)
			return nil
		}
	}
	return fmt.Errorf("unknown %s %q", what, name)
}

// Mechanisms the display tells apart (Fact.Via).
const (
	ViaAnsible           = "ansible"            // an Ansible module or play keyword (Name)
	ViaAnsibleConnection = "ansible-connection" // an Ansible connection plugin (Name)
	ViaAnsibleLookup     = "ansible-lookup"     // an Ansible lookup plugin into a store (Name)
	// ViaAnsibleRole is what an Ansible role the scan could not read is named for
	// (geerlingguy.mysql is MySQL): its tasks would say more.
	ViaAnsibleRole        = "ansible-role"
	ViaAuthorizedKeys     = "authorized-keys"
	ViaAWS                = "aws" // the AWS CLI (Command)
	ViaAt                 = "at"
	ViaBackground         = "background" // a shell command run with &
	ViaChamber            = "chamber"
	ViaChef               = "chef"       // a resource of a Chef recipe
	ViaCloudInit          = "cloud-init" // a cloud-config module (Key)
	ViaCompose            = "compose"    // a service of a Docker Compose file (Name)
	ViaConsul             = "consul"
	ViaContainer          = "container" // a container started with a GPU, or a container's image (Image)
	ViaCreateDatabase     = "create-database"
	ViaCronModule         = "cron" // Ansible's cron module
	ViaCrontab            = "crontab"
	ViaDockerGroup        = "docker-group" // a user added to the docker group
	ViaECR                = "ecr"          // a registry login with an ECR password
	ViaEnvFile            = "env-file"
	ViaPackerBuilder      = "packer-builder"
	ViaPackerCommunicator = "packer-communicator"
	ViaPackerPost         = "packer-post-processor"
	ViaPackerProvisioner  = "packer-provisioner"
	ViaPackerSource       = "packer-source" // a builder's source image or block devices
	ViaPM2                = "pm2"
	ViaPowerShell         = "powershell"
	ViaPullURL            = "pull-url" // configuration management pulled from a repository
	ViaPuppet             = "puppet"   // a resource of a Puppet manifest
	ViaSalt               = "salt"     // a state of a Salt state file
	// ViaPuppetClass is what a Puppet class the scan could not read is named for
	// (postgresql::server is PostgreSQL), as ViaAnsibleRole is for a role.
	ViaPuppetClass    = "puppet-class"
	ViaRulesFile      = "rules-file"
	ViaScheduledTask  = "scheduled-task"
	ViaSecretsManager = "secretsmanager"
	ViaSSM            = "ssm"
	// ViaSubstituted is a secret a rendered text (user data Terraform or CloudFormation
	// renders) holds on a line whose template holds none: a value substituted into it,
	// whose finding is named where the value is written. The workload still carries it.
	ViaSubstituted   = "substituted"
	ViaSupervisor    = "supervisor"    // a supervisord [program:] section
	ViaSupervisorctl = "supervisorctl" // supervisorctl start
	ViaSystemdRun    = "systemd-run"
	ViaSystemdTimer  = "systemd-timer"
	ViaUserData      = "user-data"
	ViaVault         = "vault"
)

// Detail is what a person is shown for the fact: "redis-server", "sysctl -p",
// "/mnt/data (nfs4 fs-1:/)", "ssm /app/db". It is derived from the fields, on one line,
// at most 120 characters, and never cuts a redaction marker in half.
func (f *Fact) Detail() string { return displayText(f.text()) }

// text composes the detail; one case per form a kind is shown in.
func (f *Fact) text() string {
	switch {
	case f.Via == ViaAnsibleRole:
		return f.Name + " (an Ansible role named for it, not read)"
	case f.Via == ViaPuppetClass:
		return f.Name + " (a Puppet class named for it, not read)"
	case f.Via == ViaContainer && f.Image() != "":
		return f.Name + " (container " + f.Image() + ")"
	case f.Via == ViaCompose && f.Kind == FactDocker:
		return "compose service " + f.Name + paren(f.Image())
	}
	switch f.Kind {
	case FactDatabase:
		if f.Via == ViaCreateDatabase {
			return f.Name + " database created"
		}
	case FactService:
		switch f.Via {
		case ViaBackground:
			return f.Name + " (background process)"
		case ViaSupervisor:
			return f.Name + " (supervisor)"
		case ViaSupervisorctl, ViaPM2:
			return f.Via + " " + f.Name
		case ViaCompose:
			return f.Name + " (compose service)"
		}
	case FactDataVolume, FactNFSMount, FactS3Mount:
		switch {
		case !f.Mount().IsZero():
			if f.Kind == FactDataVolume {
				return words(f.Mount().Target, "("+f.Mount().Source+")")
			}
			return words(f.Mount().Target, "("+words(f.Mount().FSType, f.Mount().Source)+")")
		case f.Via == ViaPackerSource:
			return "image block device " + f.Device()
		case f.Via == ViaPowerShell && f.Kind == FactDataVolume:
			return "disk initialised"
		case f.Via == ViaPowerShell && f.Kind == FactNFSMount:
			return "smb share"
		case f.Command() != "":
			return words(f.Command(), f.Device())
		case f.Kind == FactNFSMount && f.Name != "":
			// A client installed to mount shares: amazon-efs-utils, nfs-common, cifs-utils.
			return f.Name + " (network file system client)"
		}
	case FactWindows:
		switch f.Via {
		case ViaAnsibleConnection:
			return "ansible " + f.Name + " connection"
		case ViaAnsible:
			return "ansible " + f.Name
		case ViaUserData:
			return f.Name + " user data"
		case ViaPackerCommunicator:
			return f.Name + " communicator"
		case ViaPackerProvisioner:
			return f.Name + " provisioner"
		case ViaPackerSource:
			return "source image " + f.Image()
		}
	case FactKernelTuning:
		switch {
		case f.Class == ClassCmdline:
			return words("kernel command line", f.Value())
		case f.Key() != "":
			return f.Key()
		case f.Command() != "":
			return f.Command()
		case f.Class == ClassModule && f.Name != "":
			return "module " + f.Name
		case f.Class == ClassLimits:
			return words("limits", f.Path())
		case f.Path() != "":
			return f.Path()
		}
	case FactHardcodedIP:
		return f.Address()
	case FactCron:
		switch f.Via {
		case ViaCronModule:
			return words("cron", f.Name)
		case ViaScheduledTask:
			return words("scheduled task", f.Name)
		case ViaSystemdTimer:
			return "systemd timer " + f.Name
		case ViaSystemdRun:
			return "systemd-run --on-calendar"
		case ViaAt:
			return "at"
		case ViaCrontab:
			if f.Schedule() != "" || f.Command() != "" {
				return "crontab: " + words(f.Schedule(), f.Command())
			}
			return words("crontab", prefixed("-u ", f.Name), f.Path())
		}
		if f.Path() != "" {
			return f.Path()
		}
	case FactDocker:
		switch {
		case f.Via == ViaDockerGroup:
			return "user in docker group"
		case f.Via == ViaPackerBuilder:
			return "packer " + f.Name + " builder"
		case f.Via == ViaPackerPost:
			return "packer " + f.Name
		case f.Via == ViaECR:
			return f.Command() + " (ecr)"
		case f.Command() != "":
			return words(f.Command(), f.Image(), f.Name)
		case f.Path() != "":
			return f.Path()
		}
	case FactConfigStore:
		switch f.Via {
		case ViaSSM, ViaSecretsManager, ViaVault:
			return words(f.Via, f.Name)
		case ViaConsul:
			return "consul kv " + f.Name
		case ViaChamber:
			return "ssm via chamber " + f.Name
		case ViaAnsibleLookup:
			return "ansible lookup " + f.Name
		}
	case FactSecret:
		if f.Via == ViaSubstituted {
			return f.Name + " substituted into the text when it is rendered"
		}
	case FactEnvConfig:
		if f.Via == ViaEnvFile {
			return "env file " + f.Path()
		}
	case FactBootWork:
		switch f.Class {
		case ClassPackageUpgrade:
			return "package upgrade"
		case ClassPipeToShell:
			if f.Via == ViaPowerShell {
				return "download | iex"
			}
			return "curl | " + f.Command() + paren(f.Address())
		case ClassCompile:
			return "compile (" + f.Command() + ")"
		case ClassGitClone:
			return "git clone" + paren(f.Address())
		case ClassDownload:
			return "download " + f.Name
		case ClassFetchedScript:
			return "runs " + f.Path() + ", fetched from " + f.Address()
		}
	case FactConfigMgmt:
		run := f.Command()
		if run == "" {
			run = f.Name
		}
		switch f.Via {
		case ViaPullURL:
			return run + " from" + paren(f.Address())
		case ViaCloudInit:
			return run + " (cloud-init " + f.Key() + " module)"
		case ViaPackerProvisioner:
			return run + " provisioner (at image build)"
		}
		return run
	case FactImageBuild:
		return f.Name + paren(f.Image())
	case FactGPU:
		switch f.Via {
		case ViaContainer:
			return "container with GPU"
		case ViaPackerSource:
			return "source image " + f.Image()
		case ViaPackerBuilder:
			return "image built on " + f.Name + " (a GPU or accelerator instance)"
		}
	case FactAnsibleProvisioner:
		return f.Name + " provisioner (image configured by Ansible at build time)"
	case FactSpot:
		if f.Via == ViaPackerBuilder {
			return "spot build instance" + paren(words(f.Key(), f.Value())) + ", at image build only"
		}
	case FactFirewall:
		switch {
		case f.Key() != "" || f.Value() != "":
			return words(f.Name, prefixed("-t ", f.Key()), prefixed("-j ", f.Value()))
		case f.Via == ViaRulesFile:
			return words("iptables rules", f.Path())
		case f.Via == ViaPowerShell && f.Name == "":
			return "windows firewall"
		}
	case FactClusterNode:
		what := "node"
		if f.Class == ClassClusterServer {
			what = "server"
		}
		switch {
		case f.Key() != "":
			return words(f.Name, what, "("+f.Key()+")")
		case f.Command() != "":
			return words(f.Name, what, "("+f.Command()+")")
		}
		return words(f.Name, what)
	case FactLocalUser:
		switch {
		case f.Via == ViaAuthorizedKeys:
			return words("authorized_keys", f.Name, f.Path())
		case f.Via == ViaPowerShell && f.Name == "":
			return "local user"
		}
	}
	return f.Name
}

// words joins the non-empty parts with single spaces.
func words(parts ...string) string {
	n := 0
	for _, p := range parts {
		if p != "" {
			parts[n] = p
			n++
		}
	}
	return strings.Join(parts[:n], " ")
}

// paren is " (s)", or nothing for an empty s.
func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// prefixed is prefix+s, or nothing for an empty s.
func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// Redaction markers: a secret's value is replaced by RedactedPrefix + its kind +
// RedactedSuffix before anything is kept.
const (
	RedactedPrefix = "«redacted:"
	RedactedSuffix = "»"
)

// maxDetail is the longest detail shown, in bytes.
const maxDetail = 120

// CleanText puts s on one line with single spaces and cuts it to at most 120 bytes,
// ending in "…", without cutting a character or a redaction marker in half. Readers clean
// each field with it, so that a detail derived from fields reads as if it were cleaned
// whole.
func CleanText(s string) string { return displayText(s) }

func displayText(s string) string {
	if !singleSpaced(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	if len(s) > maxDetail {
		cut := maxDetail - 1
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:MarkerSafeCut(s, cut)] + "…"
	}
	return s
}

// MarkerSafeCut moves a cut of s at byte cut back to the start of a redaction marker the
// cut would split, including one whose prefix the cut itself splits: a half marker reads
// like a value.
func MarkerSafeCut(s string, cut int) int {
	end := min(len(s), cut+len(RedactedPrefix)-1)
	if i := strings.LastIndex(s[:end], RedactedPrefix); i >= 0 && i < cut && !strings.Contains(s[i:cut], RedactedSuffix) {
		return i
	}
	return cut
}

// singleSpaced reports an ASCII string that strings.Fields and a join would leave as it
// is: no space at either end, no white space but single spaces.
func singleSpaced(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !wordByte[c] && (c != ' ' || s[i+1] == ' ') {
			return false
		}
	}
	return true
}

// wordByte marks the ASCII bytes strings.Fields never splits at: all but white space. Every
// fact's strings are looked at byte by byte (singleSpaced), one table lookup each.
var wordByte = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = !strings.ContainsRune(" \t\n\v\f\r", rune(c))
	}
	return t
}()

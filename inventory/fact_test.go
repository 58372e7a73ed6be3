package inventory_test

import (
	"encoding/json"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"whyk8s/inventory"
)

// A fact's detail is derived from its fields, in the words the report and the scan show.
func TestFactDetail(t *testing.T) {
	long := strings.Repeat("a", 130)
	for _, tt := range []struct {
		f    inventory.Fact
		want string
	}{
		{inventory.Fact{Kind: inventory.FactDatabase, Name: "redis-server", Via: "apt-get"}, "redis-server"},
		{inventory.Fact{Kind: inventory.FactDatabase, Name: "sql-server", Via: inventory.ViaCreateDatabase}, "sql-server database created"},
		{inventory.Fact{Kind: inventory.FactService, Name: "portal-worker", Via: inventory.ViaSupervisor}, "portal-worker (supervisor)"},
		{inventory.Fact{Kind: inventory.FactService, Name: "app", Via: inventory.ViaSupervisorctl}, "supervisorctl app"},
		{inventory.Fact{Kind: inventory.FactNFSMount, FactParams: &inventory.FactParams{Mount: &inventory.Mount{Source: "fs-1:/", Target: "/mnt/data", FSType: "nfs4"}}}, "/mnt/data (nfs4 fs-1:/)"},
		{inventory.Fact{Kind: inventory.FactDataVolume, FactParams: &inventory.FactParams{Mount: &inventory.Mount{Source: "LABEL=data", Target: "/srv", FSType: "xfs"}}}, "/srv (LABEL=data)"},
		{inventory.Fact{Kind: inventory.FactS3Mount, FactParams: &inventory.FactParams{Mount: &inventory.Mount{Source: "bucket", FSType: "s3fs"}}}, "(s3fs bucket)"},
		{inventory.Fact{Kind: inventory.FactDataVolume, FactParams: &inventory.FactParams{Command: "mkfs.xfs", Device: "/dev/nvme1n1"}}, "mkfs.xfs /dev/nvme1n1"},
		{inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassSysctl, FactParams: &inventory.FactParams{Key: "vm.max_map_count", Value: "262144"}}, "vm.max_map_count"},
		{inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassSysctl, FactParams: &inventory.FactParams{Command: "sysctl -p"}}, "sysctl -p"},
		{inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassModule, Name: "br_netfilter"}, "module br_netfilter"},
		{inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassLimits}, "limits"},
		{inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCrontab, Name: "www-data", FactParams: &inventory.FactParams{Path: "-"}}, "crontab -u www-data -"},
		{inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCrontab, FactParams: &inventory.FactParams{Schedule: "0 2 * * *", Command: "/opt/x.sh"}}, "crontab: 0 2 * * * /opt/x.sh"},
		{inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCronModule, Name: "purge", FactParams: &inventory.FactParams{Schedule: "0 * * * *"}}, "cron purge"},
		{inventory.Fact{Kind: inventory.FactDocker, FactParams: &inventory.FactParams{Command: "docker run", Image: "nginx:1.25"}}, "docker run nginx:1.25"},
		{inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaECR, FactParams: &inventory.FactParams{Command: "docker login"}}, "docker login (ecr)"},
		{inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaSSM, Name: "/app/db"}, "ssm /app/db"},
		{inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaSecretsManager}, "secretsmanager"},
		{inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassPipeToShell, FactParams: &inventory.FactParams{Command: "bash", Address: "get.docker.com"}}, "curl | bash (get.docker.com)"},
		{inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassCompile, FactParams: &inventory.FactParams{Command: "make"}}, "compile (make)"},
		{inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "ansible-pull", Via: inventory.ViaPullURL, FactParams: &inventory.FactParams{Address: "git.example.com"}}, "ansible-pull from (git.example.com)"},
		{inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "puppet", FactParams: &inventory.FactParams{Command: "puppet agent", Key: "puppet"}, Via: inventory.ViaCloudInit}, "puppet agent (cloud-init puppet module)"},
		{inventory.Fact{Kind: inventory.FactImageBuild, Name: "amazon-ebs.web", FactParams: &inventory.FactParams{Image: "web-{{timestamp}}"}}, "amazon-ebs.web (web-{{timestamp}})"},
		{inventory.Fact{Kind: inventory.FactGPU, Via: inventory.ViaPackerBuilder, Name: "g4dn.xlarge"}, "image built on g4dn.xlarge (a GPU or accelerator instance)"},
		{inventory.Fact{Kind: inventory.FactAnsibleProvisioner, Via: inventory.ViaPackerProvisioner, Name: "ansible-local"}, "ansible-local provisioner (image configured by Ansible at build time)"},
		{inventory.Fact{Kind: inventory.FactSpot, Via: inventory.ViaPackerBuilder, FactParams: &inventory.FactParams{Key: "spot_price", Value: "auto"}}, "spot build instance (spot_price auto), at image build only"},
		{inventory.Fact{Kind: inventory.FactHardcodedIP, FactParams: &inventory.FactParams{Address: "10.0.3.17"}}, "10.0.3.17"},
		{inventory.Fact{Kind: inventory.FactSecret, Name: "aws-secret-key"}, "aws-secret-key"},
		{inventory.Fact{Kind: inventory.FactLocalUser, Via: inventory.ViaAuthorizedKeys, FactParams: &inventory.FactParams{Path: "/home/ops/.ssh/authorized_keys"}}, "authorized_keys /home/ops/.ssh/authorized_keys"},
		{inventory.Fact{Kind: inventory.FactPackage, Name: "jq\t  tools"}, "jq tools"},
		{inventory.Fact{Kind: inventory.FactPackage, Name: long}, long[:119] + "…"},
		{inventory.Fact{Kind: inventory.FactPackage, Name: strings.Repeat("b", 110) + inventory.RedactedPrefix + "password" + inventory.RedactedSuffix}, strings.Repeat("b", 110) + "…"},
	} {
		if got := tt.f.Detail(); got != tt.want {
			t.Errorf("%s %+v: detail %q, want %q", tt.f.Kind, tt.f, got, tt.want)
		}
	}
}

// UpgradeFact reads every form a version-1 detail took back into fields.
func TestUpgradeFact(t *testing.T) {
	for _, tt := range []struct {
		kind   inventory.FactKind
		detail string
		want   inventory.Fact
	}{
		{inventory.FactNFSMount, "/srv/shared (nfs4 fs-1.efs.eu-west-1.amazonaws.com:/)", inventory.Fact{FactParams: &inventory.FactParams{Mount: &inventory.Mount{Source: "fs-1.efs.eu-west-1.amazonaws.com:/", Target: "/srv/shared", FSType: "nfs4"}}}},
		{inventory.FactDataVolume, "/var/lib/mysql (LABEL=mysqldata)", inventory.Fact{FactParams: &inventory.FactParams{Mount: &inventory.Mount{Source: "LABEL=mysqldata", Target: "/var/lib/mysql"}}}},
		{inventory.FactDataVolume, "mkfs.ext4 /dev/nvme1n1", inventory.Fact{FactParams: &inventory.FactParams{Command: "mkfs.ext4", Device: "/dev/nvme1n1"}}},
		{inventory.FactKernelTuning, "module nf_conntrack", inventory.Fact{Class: inventory.ClassModule, Name: "nf_conntrack", Scope: inventory.ScopeNode}},
		{inventory.FactKernelTuning, "vm.max_map_count", inventory.Fact{Class: inventory.ClassSysctl, FactParams: &inventory.FactParams{Key: "vm.max_map_count"}, Scope: inventory.ScopeNode}},
		{inventory.FactKernelTuning, "net.core.somaxconn", inventory.Fact{Class: inventory.ClassSysctl, FactParams: &inventory.FactParams{Key: "net.core.somaxconn"}}},
		{inventory.FactKernelTuning, "kernel/mm/transparent_hugepage/enabled", inventory.Fact{Class: inventory.ClassHugepage, FactParams: &inventory.FactParams{Key: "kernel/mm/transparent_hugepage/enabled", Path: "/sys/kernel/mm/transparent_hugepage/enabled"}, Scope: inventory.ScopeNode}},
		{inventory.FactService, "portal-worker (supervisor)", inventory.Fact{Name: "portal-worker", Via: inventory.ViaSupervisor, Service: "portal-worker", Class: inventory.ClassApplication}},
		{inventory.FactService, "worker (compose service)", inventory.Fact{Name: "worker", Via: inventory.ViaCompose, Service: "worker", Class: inventory.ClassApplication}},
		{inventory.FactDocker, "compose service db (postgres:15)", inventory.Fact{Name: "db", Via: inventory.ViaCompose, FactParams: &inventory.FactParams{Image: "postgres:15"}}},
		{inventory.FactDatabase, "postgres (container postgres:15)", inventory.Fact{Name: "postgres", Via: inventory.ViaContainer, FactParams: &inventory.FactParams{Image: "postgres:15"}, Service: "postgresql", Class: inventory.ClassDatabase}},
		{inventory.FactService, "MSSQLSERVER", inventory.Fact{Name: "MSSQLSERVER", Service: "sql-server", Class: inventory.ClassApplication}},
		{inventory.FactDatabase, "memcached", inventory.Fact{Name: "memcached", Service: "memcached", Class: inventory.ClassCache}},
		{inventory.FactConfigStore, "ssm ${PARAM_PATH}/db-url", inventory.Fact{Via: inventory.ViaSSM, Name: "${PARAM_PATH}/db-url"}},
		{inventory.FactCron, "crontab -u www-data -", inventory.Fact{Via: inventory.ViaCrontab, Name: "www-data", FactParams: &inventory.FactParams{Path: "-"}}},
		{inventory.FactDocker, "docker run nvidia/cuda:12.2.0-base", inventory.Fact{Via: "docker", FactParams: &inventory.FactParams{Command: "docker run", Image: "nvidia/cuda:12.2.0-base"}}},
		{inventory.FactBootWork, "curl | bash (get.docker.com)", inventory.Fact{Class: inventory.ClassPipeToShell, FactParams: &inventory.FactParams{Command: "bash", Address: "get.docker.com"}}},
		{inventory.FactImageBuild, "amazon-ebs.search-node (${local.ami_name})", inventory.Fact{Name: "amazon-ebs.search-node", FactParams: &inventory.FactParams{Image: "${local.ami_name}"}}},
		{inventory.FactObservability, "otel collector", inventory.Fact{Name: "otel collector", Class: inventory.ClassMetrics}},
		{inventory.FactGPU, "image built on p3.2xlarge (a GPU or accelerator instance)", inventory.Fact{Via: inventory.ViaPackerBuilder, Name: "p3.2xlarge"}},
		{inventory.FactAnsibleProvisioner, "ansible provisioner (image configured by Ansible at build time)", inventory.Fact{Via: inventory.ViaPackerProvisioner, Name: "ansible"}},
		{inventory.FactNFSMount, "amazon-efs-utils (network file system client)", inventory.Fact{Name: "amazon-efs-utils"}},
		{inventory.FactSpot, "spot build instance (spot_price auto), at image build only", inventory.Fact{Via: inventory.ViaPackerBuilder, FactParams: &inventory.FactParams{Key: "spot_price", Value: "auto"}}},
	} {
		got := inventory.UpgradeFact(tt.kind, tt.detail)
		want := tt.want
		want.Kind = tt.kind
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %q:\n got  %+v\n want %+v", tt.kind, tt.detail, got, want)
		}
	}
}

// Every fact of the version-1 demo snapshot reads, once upgraded, exactly as it was written.
func TestUpgradeKeepsEveryDetail(t *testing.T) {
	data, err := os.ReadFile("testdata/demo-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var v1 struct {
		SchemaVersion int `json:"schemaVersion"`
		Scripts       []struct {
			Facts []struct {
				Kind   inventory.FactKind
				Detail string
			}
		}
	}
	if err := json.Unmarshal(data, &v1); err != nil {
		t.Fatal(err)
	}
	if v1.SchemaVersion != 1 {
		t.Fatalf("testdata/demo-v1.json is version %d, want 1", v1.SchemaVersion)
	}
	n := 0
	for _, s := range v1.Scripts {
		for _, f := range s.Facts {
			n++
			if got := inventory.UpgradeFact(f.Kind, f.Detail); got.Detail() != f.Detail {
				t.Errorf("%s %q reads %q once upgraded (%+v)", f.Kind, f.Detail, got.Detail(), got)
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d facts in the version-1 snapshot", n)
	}
	e, err := inventory.LoadFile("testdata/demo-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	if e.SchemaVersion != inventory.SchemaVersion {
		t.Errorf("a loaded version-1 snapshot says version %d, want %d", e.SchemaVersion, inventory.SchemaVersion)
	}
}

// A scan holds every fact of every script at once, hundreds of thousands in a large
// estate, and writes each into one slab when it returns: every byte of a fact is paid once
// per fact in memory, page faults and collections. The kind, class and scope are a byte
// each for that reason, the evidence keeps no ARN, field or value (FactEvidence), and the
// fields few facts set (FactParams, the mount among them) are behind one pointer; a field
// added to Fact should be worth its bytes.
func TestFactSize(t *testing.T) {
	const max = 112 // on 64-bit platforms
	if got := unsafe.Sizeof(inventory.Fact{}); unsafe.Sizeof(uintptr(0)) == 8 && got > max {
		t.Errorf("inventory.Fact is %d bytes, more than %d", got, max)
	}
}

// A fact without params reads them as empty; SetParams gives the fact a copy of its own,
// so that a copy made before is not changed with it, and drops params left empty.
func TestFactParams(t *testing.T) {
	var bare inventory.Fact
	if bare.Command() != "" || bare.Path() != "" || bare.Mount() != nil || bare.MountOf() != (inventory.Mount{}) {
		t.Errorf("a fact without params reads %q %q %v", bare.Command(), bare.Path(), bare.Mount())
	}
	f := inventory.Fact{Kind: inventory.FactCron, FactParams: &inventory.FactParams{Command: "/usr/local/bin/rotate"}}
	copied := f
	f.SetParams(func(p *inventory.FactParams) { p.Schedule = "0 3 * * *" })
	if f.Schedule() != "0 3 * * *" || f.Command() != "/usr/local/bin/rotate" {
		t.Errorf("after SetParams: schedule %q, command %q", f.Schedule(), f.Command())
	}
	if copied.Schedule() != "" {
		t.Errorf("SetParams changed a copy made before it: schedule %q", copied.Schedule())
	}
	f.SetParams(func(p *inventory.FactParams) { *p = inventory.FactParams{} })
	if f.FactParams != nil {
		t.Errorf("params left empty are kept: %+v", *f.FactParams)
	}
	// A fact read from JSON that sets no param has none: the reader allocates only for
	// what is there.
	var back inventory.Fact
	if err := json.Unmarshal([]byte(`{"kind":"service","name":"nginx","evidence":{}}`), &back); err != nil || back.FactParams != nil {
		t.Errorf("read a fact without params as %+v (%v)", back, err)
	}
}

// Kinds, classes and scopes are written and read as their names, so that a snapshot and
// the JSON output read as they did when they were strings; a name the vocabulary does not
// hold is an error, not a fact of no kind.
func TestFactEnumsText(t *testing.T) {
	f := inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassSysctl, Scope: inventory.ScopeNode, FactParams: &inventory.FactParams{Key: "vm.max_map_count"}}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"kernel-tuning","class":"sysctl","scope":"node","key":"vm.max_map_count","evidence":{}}`
	if string(b) != want {
		t.Errorf("marshalled %s, want %s", b, want)
	}
	var back inventory.Fact
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, f) {
		t.Errorf("read back %+v (%v), want %+v", back, err, f)
	}
	if b, _ := json.Marshal(inventory.Fact{}); string(b) != `{"kind":"","evidence":{}}` {
		t.Errorf("a fact of no kind marshalled %s", b)
	}
	for _, bad := range []string{`{"kind":"databse"}`, `{"kind":"database","class":"bogus"}`, `{"kind":"database","scope":"pod"}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("%s read without an error", bad)
		}
	}
	for k := inventory.FactDatabase; k <= inventory.FactSpot; k++ {
		var got inventory.FactKind
		if err := got.UnmarshalText([]byte(k.String())); err != nil || got != k || k.String() == "" {
			t.Errorf("kind %d: name %q reads as %d (%v)", k, k.String(), got, err)
		}
	}
	if got := inventory.FactSpot + 1; got.String() != "FactKind("+strconv.Itoa(int(got))+")" {
		t.Errorf("the kinds end at FactSpot, but %d is named %q", got, got.String())
	}
	var none inventory.FactKind = inventory.FactSpot
	if err := none.UnmarshalText(nil); err != nil || none != 0 {
		t.Errorf(`"" read as kind %d (%v), want no kind`, none, err)
	}
}

// TestSingleSpaced holds the fast path of inventory.CleanText to what it stands for: a string it
// passes is one strings.Fields and a join would leave as it is.
func TestSingleSpaced(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"", true}, {"nginx", true}, {"apt-get install -y nginx", true}, {"a\x01b", true},
		{" nginx", false}, {"nginx ", false}, {"a  b", false}, {"a\tb", false}, {"a\nb", false},
		{"a\vb", false}, {"a\fb", false}, {"a\rb", false}, {"café", false}, {" ", false},
	} {
		if got := inventory.SingleSpaced(tc.s); got != tc.want {
			t.Errorf("singleSpaced(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
	// Every string of up to three bytes from an alphabet of white space and letters.
	alphabet := " \t\n\v\f\r\x00ab~\x7f"
	var check func(s string)
	check = func(s string) {
		if inventory.SingleSpaced(s) && strings.Join(strings.Fields(s), " ") != s {
			t.Errorf("singleSpaced(%q) passes a string Fields changes", s)
		}
		if !inventory.SingleSpaced(s) && strings.Join(strings.Fields(s), " ") == s {
			t.Errorf("singleSpaced(%q) refuses an ASCII string Fields leaves as it is", s)
		}
		if len(s) < 3 {
			for i := 0; i < len(alphabet); i++ {
				check(s + alphabet[i:i+1])
			}
		}
	}
	check("")
}

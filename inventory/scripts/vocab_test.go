package scripts

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

// reVersionTail is what versionTail strips, as the regular expression it replaced.
var reVersionTail = regexp.MustCompile(`(?:[=<>~!]=?.*|-\d[\d.]*(?:-\d+)?(?:\.(?:el|amzn|fc)\d.*)?|\.(?:x86_64|aarch64|noarch|i686|amd64|arm64)|@.*|\[.*\])$`)

func TestVersionTail(t *testing.T) {
	names := []string{
		"", "nginx", "nginx=1.18.*", "redis>=6", "pkg~=1.2", "pkg!=2", "httpd-2.4.57", "postgresql-client-16",
		"kernel-5.10.0-1.amzn2.x86_64", "openssl-1.1.1k-7.el8_6", "foo-1.2.3-4.fc38", "pkg-1.2.el", "pkg-1..el7",
		"pkg-1.2.-3.el7x", "docker.x86_64", "node.arm64", "x.i686.rpm", "a@1.2", "@scope/pkg", "pkg[extra]", "pkg[a]b",
		"pkg-1\n2", "pkg=1\n", "pkg[\n]", "-1", "1-2-3", "python3-pip", "nvidia-driver-535", "php8.1-fpm", "a-1-b",
		"a-1.2-", "a-1.2-3.", "a-1.amzn2", "a-1.amzn", "a-12-34.el9.noarch", "[]", "[", "]", "=", "a-1-2-3",
	}
	r := rand.New(rand.NewSource(7))
	const alphabet = "ab-.0123456789=<>~!@[]\nelamznfcx86_4"
	for i := 0; i < 200000; i++ {
		b := make([]byte, r.Intn(14))
		for j := range b {
			b[j] = alphabet[r.Intn(len(alphabet))]
		}
		names = append(names, string(b))
	}
	for _, s := range names {
		want := reVersionTail.ReplaceAllString(s, "")
		if got := s[:versionTail(s)]; got != want {
			t.Errorf("versionTail(%q): %q, the expression gives %q", s, got, want)
		}
	}
}

// TestClassifyKeyword holds the one-pass search to the plain one (lower-case, then each
// fragment in turn), which still serves text that is not ASCII.
func TestClassifyKeyword(t *testing.T) {
	texts := []string{"", "x", "https://github.com/prometheus/node_exporter/releases/x.tar.gz", "NVIDIA-driver", "Get.Docker.com",
		"/opt/spark-3.5/bin", "td-agent-bit", "fluent-bit and datadog", "cudatoolkit", "S3FS", "mount-s3 and goofys", "noder_exporter"}
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 20000; i++ {
		var b []byte
		for len(b) < r.Intn(60) {
			if r.Intn(4) == 0 {
				kw := keywords[r.Intn(len(keywords))].frag
				cut := r.Intn(len(kw)) + 1
				b = append(b, kw[:cut]...)
			} else {
				b = append(b, "aAcCdDeEgGnNoOpPsStT-_./3"[r.Intn(25)])
			}
		}
		for j := range b {
			if r.Intn(5) == 0 {
				b[j] = upperByte(b[j])
			}
		}
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		k1, d1, ok1 := keywordIn(s)
		k2, d2, ok2 := classifyKeywordFolded(s)
		if k1 != k2 || d1 != d2 || ok1 != ok2 {
			t.Errorf("keywordIn(%q) = %s %s %v, the plain search says %s %s %v", s, k1, d1, ok1, k2, d2, ok2)
		}
	}
}

// TestPowerShellTag holds the tag search to strings.ToLower and Contains, on text with
// letters in both cases and the runes that lower-case to ASCII (İ, K).
func TestPowerShellTag(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	pieces := []string{"<", ">", "powershell", "POWERSHELL", "PowerShell", "pow", "ershell", "İ", "\u212a", "é", " ", "\n", "<powershell>", "<ps1>"}
	for i := 0; i < 20000; i++ {
		var s string
		for n := r.Intn(8); n > 0; n-- {
			s += pieces[r.Intn(len(pieces))]
		}
		if got, want := hasPowerShellTag(s), strings.Contains(strings.ToLower(s), "<powershell>"); got != want {
			t.Errorf("hasPowerShellTag(%q) = %v, want %v", s, got, want)
		}
	}
}

// A placeholder that stands for a version is read as one; anywhere else the name stays as
// written, for the vocabulary's patterns.
func TestUntemplated(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"postgresql-{{ pg_version }}", "postgresql"},
		{"redis-server=${REDIS_VERSION}", "redis-server"},
		{"mongodb-org-$MONGO_VERSION", "mongodb-org"},
		{"postgresql@{{ v }}", "postgresql"},
		{"nginx-{{ major }}.{{ minor }}", "nginx"},
		{"postgresql-{{ v }}-contrib", "postgresql-{{ v }}-contrib"},
		{"postgresql{{ v }}-server", "postgresql{{ v }}-server"},
		{"{{ db_package }}", "{{ db_package }}"},
		{"nginx", "nginx"},
	} {
		if got := untemplated(tt.in); got != tt.want {
			t.Errorf("untemplated(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRoleFact: a role the scan cannot read says by its last word what it installs,
// whichever way it is named; a word the vocabulary does not know, or a role named by a
// variable, says nothing.
func TestRoleFact(t *testing.T) {
	for _, tc := range []struct{ role, want string }{
		{"geerlingguy.mysql", "database mysql"},
		{"geerlingguy.redis", "database redis"},
		{"elastic.elasticsearch", "database elasticsearch"},
		{"cloudalchemy.node_exporter", "observability node_exporter"},
		{"prometheus.prometheus.node_exporter", "observability node_exporter"},
		{"geerlingguy.docker", "docker docker"},
		{"ansible-role-postgresql", "database postgresql"},
		{"roles/external/ansible_role_rabbitmq-server", "database rabbitmq-server"},
		{"geerlingguy.java", ""},
		{"geerlingguy.mac.homebrew", ""},
		{"common", ""},
		{"{{ db_role }}", ""},
	} {
		got := ""
		if f, ok := roleFact(tc.role); ok {
			got = f.Kind.String() + " " + f.Name
			if f.Via != "ansible-role" {
				t.Errorf("roleFact(%q): via %q", tc.role, f.Via)
			}
		}
		if got != tc.want {
			t.Errorf("roleFact(%q) = %q, want %q", tc.role, got, tc.want)
		}
	}
}

// TestNormName: a name is compared without its version, architecture or pip extras,
// whichever order they are written in.
func TestNormName(t *testing.T) {
	for in, want := range map[string]string{
		`"apache-airflow[celery,postgres]==2.7.0"`: "apache-airflow",
		"apache-airflow[celery]":                   "apache-airflow",
		"Redis-Server=5:7.0.15-1":                  "redis-server",
		"postgresql-server-16.1.el9":               "postgresql-server",
		"nginx.x86_64":                             "nginx",
		"mlflow[extras]>=2":                        "mlflow",
		"torch>=2.1":                               "torch",
		"/tmp/agent-1.2.3.rpm":                     "agent",
	} {
		if got := normName(in); got != want {
			t.Errorf("normName(%q) = %q, want %q", in, got, want)
		}
	}
}

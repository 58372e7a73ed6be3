package scripts

import (
	"math/rand"
	"regexp"
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

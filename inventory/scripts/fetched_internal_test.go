package scripts

import (
	"strings"
	"testing"
)

// TestInterpreterScript: the file an interpreter runs, past its options; none when the code
// is given inline or a module is run.
func TestInterpreterScript(t *testing.T) {
	tests := []struct {
		cmd          string
		script, lang string
	}{
		{"python3 /opt/app/setup.py --env prod", "/opt/app/setup.py", "Python"},
		{"python3 -u -W ignore::DeprecationWarning /opt/x.py", "/opt/x.py", "Python"},
		{"python3.11 -X dev manage.py migrate", "manage.py", "Python"},
		{"python -- -odd-name.py", "-odd-name.py", "Python"},
		{"python3 -m pip install requests", "", ""},
		{"python3 -c 'print(1)'", "", ""},
		{"python3", "", ""},
		{"ruby -I lib -r json bin/setup.rb", "bin/setup.rb", "Ruby"},
		{"ruby -e 'puts 1'", "", ""},
		{"perl -MCPAN -e 'install X'", "", ""},
		{"perl -I /opt/lib /opt/bin/tune.pl", "/opt/bin/tune.pl", "Perl"},
		{"node --require dotenv/config server.js", "server.js", "JavaScript"},
		{"node -e 'x'", "", ""},
		{"php -d memory_limit=1G artisan migrate", "artisan", "PHP"},
		{"php -r 'echo 1;'", "", ""},
		{"bash setup.sh", "", ""},
	}
	for _, tt := range tests {
		f := strings.Fields(strings.ReplaceAll(tt.cmd, "'", ""))
		script, lang := interpreterScript(f[0], f[1:])
		if script != tt.script || lang != tt.lang {
			t.Errorf("%s: %q %q, want %q %q", tt.cmd, script, lang, tt.script, tt.lang)
		}
	}
}

// TestTailIndexAgreesWithSuffixMatch: the index finds what suffixMatch finds, ambiguity
// included.
func TestTailIndexAgreesWithSuffixMatch(t *testing.T) {
	files := map[string]bool{"app/tools/warm.py": true, "ops/tools/warm.py": true, "app/bin/run.py": true,
		"run.py": true, "web/srv/server.js": true, "deep/a/b/c/d.py": true}
	var all []string
	for p := range files {
		all = append(all, p)
	}
	ix := newTailIndex(files)
	for _, q := range []string{"/opt/app/tools/warm.py", "/opt/tools/warm.py", "warm.py", "/srv/server.js", "server.js",
		"/usr/bin/run.py", "/x/app/bin/run.py", "/opt/b/c/d.py", "/opt/none.py", "/", ".", ""} {
		if got, want := ix.match(q), suffixMatch(q, all); got != want {
			t.Errorf("match(%q) = %q, suffixMatch %q", q, got, want)
		}
	}
}

package deploy_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// repoRoot is the build context of deploy/Dockerfile: the module root, one folder up.
const repoRoot = ".."

var (
	scratch string // removed by TestMain

	buildOnce sync.Once
	built     string
	buildErr  error
)

func TestMain(m *testing.M) {
	// The cron wrapper's tests run this binary in whyk8s's place.
	if os.Getenv("WHYK8S_DEPLOY_STUB") == "1" {
		os.Exit(stubWhyk8s(os.Args[1:]))
	}
	dir, err := os.MkdirTemp("", "whyk8s-deploy-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scratch = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// dockerBuild is the go build command of the Dockerfile, as the Dockerfile writes it.
type dockerBuild struct {
	env    []string // NAME=value assignments before the command
	args   []string // go build ...
	output string   // the -o value in the image
}

// parseDockerBuild finds the RUN instruction that runs `go build` and parses its shell
// with a real shell parser, so quoting like -ldflags="-s -w" is read as the shell reads it.
func parseDockerBuild(t *testing.T) dockerBuild {
	t.Helper()
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, inst := range dockerInstructions(string(data)) {
		if inst.cmd != "RUN" || !strings.Contains(inst.rest, "go build") {
			continue
		}
		script := inst.rest
		for strings.HasPrefix(script, "--") { // RUN's own flags: --mount=type=cache,…
			_, script, _ = strings.Cut(script, " ")
			script = strings.TrimSpace(script)
		}
		file, err := syntax.NewParser().Parse(strings.NewReader(script), "Dockerfile")
		if err != nil {
			t.Fatalf("Dockerfile line %d: %v", inst.line, err)
		}
		var b dockerBuild
		syntax.Walk(file, func(n syntax.Node) bool {
			call, ok := n.(*syntax.CallExpr)
			if !ok || len(call.Args) < 2 || call.Args[0].Lit() != "go" || call.Args[1].Lit() != "build" {
				return true
			}
			for _, a := range call.Assigns {
				v, err := expand.Literal(nil, a.Value)
				if err != nil {
					t.Fatal(err)
				}
				b.env = append(b.env, a.Name.Value+"="+v)
			}
			for _, w := range call.Args {
				v, err := expand.Literal(nil, w)
				if err != nil {
					t.Fatal(err)
				}
				b.args = append(b.args, v)
			}
			return false
		})
		for i, a := range b.args {
			if a == "-o" && i+1 < len(b.args) {
				b.output = b.args[i+1]
			}
		}
		if b.args == nil {
			t.Fatalf("Dockerfile line %d mentions go build but runs no `go build` command", inst.line)
		}
		return b
	}
	t.Fatal("Dockerfile has no RUN … go build instruction")
	return dockerBuild{}
}

type instruction struct {
	line      int
	cmd, rest string
}

// dockerInstructions splits a Dockerfile into instructions, joining continuation lines and
// dropping comments (enough of the format for the files in this folder).
func dockerInstructions(src string) []instruction {
	var out []instruction
	var cur strings.Builder
	start := 0
	for i, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		cmd, rest, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{line: start, cmd: strings.ToUpper(cmd), rest: strings.TrimSpace(rest)})
		cur.Reset()
	}
	return out
}

// buildBinary builds ./cmd/whyk8s exactly as the Dockerfile does, once per test run. The
// first build of the AWS SDK takes a minute or two on a small machine; later ones hit the
// build cache.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: builds the whole whyk8s binary (a minute or more when the build cache is cold)")
	}
	b := parseDockerBuild(t)
	buildOnce.Do(func() {
		built = filepath.Join(scratch, "whyk8s")
		args := replaceOutput(b.args, built)
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), b.env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("%s %s (in %s): %v\n%s", strings.Join(b.env, " "), strings.Join(args, " "), repoRoot, err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building the image's binary failed:\n%v", buildErr)
	}
	return built
}

func replaceOutput(args []string, path string) []string {
	out := append([]string(nil), args...)
	for i := range out {
		if out[i] == "-o" && i+1 < len(out) {
			out[i+1] = path
		}
	}
	return out
}

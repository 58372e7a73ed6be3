package deploy_test

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDockerfile checks the promises the image makes: built by Go 1.26 with cgo off and
// paths trimmed, shipped on a static base with no root user.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	insts := dockerInstructions(string(data))
	var froms []instruction
	for _, in := range insts {
		if in.cmd == "FROM" {
			froms = append(froms, in)
		}
	}
	if len(froms) < 2 {
		t.Fatalf("%d FROM instructions; want a multi-stage build", len(froms))
	}
	if !strings.HasPrefix(froms[0].rest, "golang:1.26") {
		t.Errorf("builder stage is %q; want golang:1.26 (go.mod's toolchain)", froms[0].rest)
	}
	final := froms[len(froms)-1]
	if base := strings.Fields(final.rest)[0]; !strings.HasPrefix(base, "gcr.io/distroless/static") && base != "scratch" {
		t.Errorf("final stage is based on %s; want distroless/static or scratch", base)
	}

	// What the final stage does, after its FROM.
	var user, entrypoint string
	var copied []string
	for _, in := range insts {
		if in.line <= final.line {
			continue
		}
		switch in.cmd {
		case "USER":
			user = in.rest
		case "ENTRYPOINT":
			entrypoint = in.rest
		case "COPY":
			copied = append(copied, in.rest)
		}
	}
	if name, _, _ := strings.Cut(user, ":"); name == "" || name == "root" || name == "0" {
		t.Errorf("final stage runs as %q; want a non-root USER", user)
	}
	var ep []string
	if err := json.Unmarshal([]byte(entrypoint), &ep); err != nil || len(ep) == 0 {
		t.Fatalf("ENTRYPOINT %q: want exec form, e.g. [\"/usr/local/bin/whyk8s\"]", entrypoint)
	}

	b := parseDockerBuild(t)
	if !slices.Contains(b.env, "CGO_ENABLED=0") {
		t.Errorf("go build runs with %q; want CGO_ENABLED=0 for a static binary", b.env)
	}
	for _, want := range []string{"-trimpath", "-ldflags=-s -w", "./cmd/whyk8s"} {
		if !slices.Contains(b.args, want) {
			t.Errorf("go build args %q lack %q", b.args, want)
		}
	}
	// The binary the builder writes is the one the final stage copies and runs.
	wantCopy := "--from=build " + b.output + " " + ep[0]
	if !slices.Contains(copied, wantCopy) {
		t.Errorf("final stage copies %q; want COPY %s (go build -o %s, ENTRYPOINT %s)", copied, wantCopy, b.output, ep[0])
	}
}

// TestImageBinaryIsStatic builds ./cmd/whyk8s the way the Dockerfile does and checks that
// the result needs nothing from the image: no program interpreter, no shared libraries.
// On distroless/static or scratch a dynamic binary fails with a baffling "no such file".
func TestImageBinaryIsStatic(t *testing.T) {
	bin := buildBinary(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("%s is not an ELF binary: %v", bin, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		switch p.Type {
		case elf.PT_INTERP:
			t.Errorf("binary has a program interpreter (PT_INTERP): it is dynamically linked")
		case elf.PT_DYNAMIC:
			t.Errorf("binary has a dynamic section (PT_DYNAMIC)")
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("binary needs shared libraries (DT_NEEDED) %q, err %v", libs, err)
	}
	if f.Section(".symtab") != nil {
		t.Errorf("binary has a symbol table: -ldflags=\"-s -w\" did not strip it")
	}
	// -trimpath: the machine's checkout path does not end up in the image.
	abs, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(abs+"/")) {
		t.Errorf("binary contains the build path %s: -trimpath missing", abs)
	}
	// And it runs with an empty environment, as in the image.
	cmd := exec.Command(bin, "version")
	cmd.Env = []string{}
	if out, err := cmd.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) == 0 {
		t.Errorf("whyk8s version: %v\n%s", err, out)
	}
}

package iac

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"whyk8s/internal/limits"
)

// fuzzOptions bound each input's evaluation well under the fuzzer's ten seconds for an
// input before it calls the worker hung: a for inside a for inside a for stops on the
// clock, as it would on a slow machine.
var fuzzOptions = Options{Bounds: limits.Bounds{Units: 4 << 20, Time: 2 * time.Second}}

// seeds adds every fixture file matching the patterns to the corpus.
func seeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		matches, _ := filepath.Glob(filepath.Join("testdata", p))
		for _, m := range matches {
			if src, err := os.ReadFile(m); err == nil {
				f.Add(src)
			}
		}
	}
}

// FuzzTerraform: any bytes as a .tf file give an estate or gaps, never a panic or a hang.
func FuzzTerraform(f *testing.F) {
	seeds(f, "envs/prod/*.tf", "modules/web-asg/*.tf")
	hostileSeeds(f, "terraform")
	f.Fuzz(func(t *testing.T, src []byte) {
		b := &builder{}
		dir := t.TempDir()
		files := []*sourceFile{{rel: "main.tf", dir: ".", disk: filepath.Join(dir, "main.tf"), kind: kindTF, src: src}}
		if err := readTerraform(context.Background(), files, newTree([]string{dir}), fuzzOptions, b); err != nil {
			t.Fatal(err)
		}
		est := newEstate()
		b.estate(est)
		if _, err := json.Marshal(est); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzCloudFormation: any bytes as a template give an estate or gaps, never a panic or a hang.
func FuzzCloudFormation(f *testing.F) {
	seeds(f, "cfn/*")
	hostileSeeds(f, "cloudformation")
	f.Fuzz(func(t *testing.T, src []byte) {
		b := &builder{}
		files := []*sourceFile{{rel: "t.yaml", dir: ".", kind: kindCFN, src: src}}
		if err := readCloudFormation(context.Background(), files, fuzzOptions, b); err != nil {
			t.Fatal(err)
		}
		est := newEstate()
		b.estate(est)
		if _, err := json.Marshal(est); err != nil {
			t.Fatal(err)
		}
	})
}

package scripts_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	yaml "go.yaml.in/yaml/v3"
	"mvdan.cc/sh/v3/syntax"
)

// BenchmarkParsersOnly is the ceiling for BenchmarkScan: the same files, read with the
// same number of workers and handed to the raw parsers (yaml.v3 into nodes, hclsyntax,
// hcl's JSON parser, mvdan.cc/sh) by extension, with nothing else done. What Scan costs
// beyond this is ours. Embedded commands (Packer inline, runcmd, shell tasks) are not
// parsed here, so the ceiling is generous.
func BenchmarkParsersOnly(b *testing.B) {
	b.Run("mix", func(b *testing.B) {
		dir := b.TempDir()
		benchParsers(b, dir, makeBenchTree(b, dir, 5000, 10<<10))
	})
	// The scan reads legacy Packer JSON with jsontext's tokens, not hcl's parser.
	b.Run("mix-jsontext", func(b *testing.B) {
		jsonTokens = true
		defer func() { jsonTokens = false }()
		dir := b.TempDir()
		benchParsers(b, dir, makeBenchTree(b, dir, 5000, 10<<10))
	})
	for k, blk := range benchBlocks {
		name := strings.TrimPrefix(blk.ext, ".") + "-" + strings.SplitN(blk.dir, "/", 2)[0]
		b.Run(name, func(b *testing.B) {
			saved := benchBlocks
			benchBlocks = benchBlocks[k : k+1]
			defer func() { benchBlocks = saved }()
			dir := b.TempDir()
			benchParsers(b, dir, makeBenchTree(b, dir, 500, 10<<10))
		})
	}
}

func benchParsers(b *testing.B, dir string, total int64) {
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := parseTree(dir); err != nil {
			b.Fatal(err)
		}
	}
}

func parseTree(dir string) error {
	paths := make(chan string, 64)
	errs := make(chan error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sh := syntax.NewParser(syntax.Variant(syntax.LangBash))
			for p := range paths {
				if err := parseOne(sh, p); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			paths <- p
		}
		return err
	})
	close(paths)
	wg.Wait()
	close(errs)
	if err != nil {
		return err
	}
	return <-errs
}

// jsonTokens has parseOne read JSON with jsontext's tokens, as the scan does.
var jsonTokens bool

func parseOne(sh *syntax.Parser, p string) error {
	src, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	var diags hcl.Diagnostics
	switch {
	case strings.HasSuffix(p, ".sh"):
		_, err = sh.Parse(bytes.NewReader(src), p)
	case strings.HasSuffix(p, ".yml"), strings.HasSuffix(p, ".yaml"):
		dec := yaml.NewDecoder(bytes.NewReader(src))
		for {
			var n yaml.Node
			if err = dec.Decode(&n); err != nil {
				break
			}
		}
		if errors.Is(err, io.EOF) {
			err = nil
		}
	case strings.HasSuffix(p, ".pkr.hcl"):
		_, diags = hclsyntax.ParseConfig(src, p, hcl.InitialPos)
	case strings.HasSuffix(p, ".json") && jsonTokens:
		dec := jsontext.NewDecoder(bytes.NewReader(src), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
		for {
			if _, err = dec.ReadToken(); err != nil {
				break
			}
		}
		if errors.Is(err, io.EOF) {
			err = nil
		}
	case strings.HasSuffix(p, ".json"):
		_, diags = hcljson.Parse(src, p)
	}
	if diags.HasErrors() {
		return diags
	}
	return err
}

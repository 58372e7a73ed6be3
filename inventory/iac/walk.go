package iac

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

// maxFileSize is the largest file read; a larger one is a coverage gap, not a hang.
const maxFileSize = 10 << 20

// skipDirs are trees that hold downloaded or vendored code, never the client's own
// definitions: .terraform holds copies of remote modules that would be read twice.
var skipDirs = map[string]bool{
	".terraform": true, ".terragrunt-cache": true, ".git": true, ".hg": true, ".svn": true,
	"node_modules": true, "vendor": true, "third_party": true, ".venv": true, "cdk.out": true,
}

// fileKind is what a file's name says it may hold.
type fileKind int

const (
	kindNone       fileKind = iota
	kindTF                  // *.tf
	kindTFJSON              // *.tf.json
	kindTFVars              // terraform.tfvars, *.auto.tfvars
	kindTFVarsJSON          // terraform.tfvars.json, *.auto.tfvars.json
	kindCFN                 // a candidate CloudFormation template, recognised by content
	kindHCL                 // *.hcl: terragrunt.hcl and the files it includes or reads
)

// sourceFile is one file read from a root.
type sourceFile struct {
	rel  string // evidence path: relative, forward slashes, root-prefixed when several roots
	dir  string // rel's directory ("." for the root itself)
	disk string // path on disk
	kind fileKind
	src  []byte
}

func kindOf(name string) fileKind {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".tf.json"):
		return kindTFJSON
	case strings.HasSuffix(lower, ".tf"):
		return kindTF
	case lower == "terraform.tfvars" || strings.HasSuffix(lower, ".auto.tfvars"):
		return kindTFVars
	case lower == "terraform.tfvars.json" || strings.HasSuffix(lower, ".auto.tfvars.json"):
		return kindTFVarsJSON
	}
	switch path.Ext(lower) {
	case ".yaml", ".yml", ".json", ".template", ".cfn":
		return kindCFN
	case ".hcl":
		return kindHCL
	}
	return kindNone
}

// tree is the folders given, each under the evidence prefix its files' paths start with:
// none for a single folder, its base name when there are several.
type tree struct {
	roots []treeRoot
	// read are the files read by readText, by evidence path: a template a module renders
	// for each of its hundred instances is read once.
	read map[string][]byte
}

type treeRoot struct {
	prefix string // "" or "name/"
	disk   string // the folder on disk, cleaned
}

func newTree(roots []string) *tree {
	t := &tree{}
	for _, root := range roots {
		clean := filepath.Clean(root)
		prefix := ""
		if len(roots) > 1 {
			name := filepath.Base(clean)
			if abs, err := filepath.Abs(clean); err == nil {
				name = filepath.Base(abs)
			}
			prefix = filepath.ToSlash(name) + "/"
		}
		t.roots = append(t.roots, treeRoot{prefix: prefix, disk: clean})
	}
	return t
}

// disk is where an evidence path is on disk; false for a path outside the folders given.
func (t *tree) disk(rel string) (string, bool) {
	rel = path.Clean(rel)
	if rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
		return "", false
	}
	for _, r := range t.roots {
		if r.prefix == "" {
			return filepath.Join(r.disk, filepath.FromSlash(rel)), true
		}
		if rest, ok := strings.CutPrefix(rel, r.prefix); ok {
			return filepath.Join(r.disk, filepath.FromSlash(rest)), true
		}
	}
	return "", false
}

// readText reads a file of the tree that the code names (file(), templatefile()): only
// inside the folders given, and no larger than any file read.
func (t *tree) readText(rel string) ([]byte, error) {
	if b, ok := t.read[path.Clean(rel)]; ok {
		return b, nil
	}
	b, err := t.readDisk(rel)
	if err == nil {
		if t.read == nil {
			t.read = map[string][]byte{}
		}
		t.read[path.Clean(rel)] = b
	}
	return b, err
}

func (t *tree) readDisk(rel string) ([]byte, error) {
	full, ok := t.disk(rel)
	if !ok {
		return nil, fmt.Errorf("%s is outside the folders read", rel)
	}
	info, err := os.Stat(full)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, errors.Unwrap(err))
	}
	if info.Size() > maxFileSize {
		return nil, fmt.Errorf("%s is over %d bytes", rel, maxFileSize)
	}
	return os.ReadFile(full)
}

// walk reads every candidate file under the roots, in a stable order. Files that cannot be
// read become gaps; binary files are skipped; symbolic links to directories are not
// followed, so a link back to an ancestor cannot loop.
func walk(ctx context.Context, t *tree, gaps *[]inventory.CoverageGap) ([]*sourceFile, error) {
	var files []*sourceFile
	for _, r := range t.roots {
		clean, prefix, root := r.disk, r.prefix, r.disk
		err := filepath.WalkDir(clean, func(p string, d fs.DirEntry, err error) error {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			rel, _ := filepath.Rel(clean, p)
			// A secret in a file's name is reported by place, never echoed.
			rel = scripts.RedactPath(prefix + filepath.ToSlash(rel))
			if err != nil {
				*gaps = append(*gaps, inventory.CoverageGap{Path: rel, Kind: inventory.GapUnreadable, Message: err.Error()})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p != clean && skipDirs[d.Name()] {
					return fs.SkipDir
				}
				return nil
			}
			kind := kindOf(d.Name())
			if kind == kindNone {
				return nil
			}
			info, err := os.Stat(p) // follows a link to a file; a link to a folder is left alone
			if err != nil {
				*gaps = append(*gaps, inventory.CoverageGap{Path: rel, Kind: inventory.GapUnreadable, Message: err.Error()})
				return nil
			}
			if !info.Mode().IsRegular() {
				return nil
			}
			if info.Size() > maxFileSize {
				*gaps = append(*gaps, inventory.CoverageGap{Path: rel, Kind: inventory.GapTooLarge,
					Message: fmt.Sprintf("%d bytes, over the %d-byte limit; not read", info.Size(), maxFileSize)})
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				*gaps = append(*gaps, inventory.CoverageGap{Path: rel, Kind: inventory.GapUnreadable, Message: err.Error()})
				return nil
			}
			if isBinary(src) {
				return nil
			}
			files = append(files, &sourceFile{rel: rel, dir: path.Dir(rel), disk: p, kind: kind, src: src})
			return nil
		})
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return nil, cerr
			}
			return nil, fmt.Errorf("walk %s: %w", root, err)
		}
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	return files, nil
}

// isBinary reports whether src is not text: a NUL byte near the start or invalid UTF-8.
func isBinary(src []byte) bool {
	head := src
	if len(head) > 8000 {
		head = head[:8000]
	}
	return bytes.IndexByte(head, 0) >= 0 || !utf8.Valid(src)
}

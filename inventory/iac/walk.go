package iac

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"whyk8s/internal/limits"
	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

// maxFileSize is the largest file read; a larger one is a coverage gap, not a hang.
const maxFileSize = 10 << 20

// maxTemplateSize is the largest CloudFormation template read: CloudFormation itself takes
// no more than 1 MB, and a YAML parser holds a node of a hundred bytes or more for every
// few bytes of it.
const maxTemplateSize = 1 << 20

// maxSourceBytes is how much text all the files kept for reading may hold together.
const maxSourceBytes = 64 << 20

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
	case strings.HasSuffix(lower, ".pkr.hcl"):
		return kindNone // Packer: the script reader's
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
	// refused are the files the code named that were refused, by evidence path, each
	// reported once.
	refused map[string]bool
	// gaps is where refusals are reported.
	gaps *[]inventory.CoverageGap
	// tokens and bytes are what the files kept so far hold, against limits.TotalTokens
	// and maxSourceBytes.
	tokens int
	bytes  int64
	// natives are the JSON expressions evaluated so far as native ones (see native).
	natives map[hcl.Expression]hcl.Expression
}

type treeRoot struct {
	prefix string // "" or "name/"
	disk   string // the folder on disk, cleaned, its links resolved: what "inside" means
}

func newTree(roots []string) *tree {
	t := &tree{}
	for _, root := range roots {
		clean := filepath.Clean(root)
		prefix := ""
		abs, err := filepath.Abs(clean)
		if err != nil {
			abs = clean
		}
		if len(roots) > 1 {
			prefix = filepath.ToSlash(filepath.Base(abs)) + "/"
		}
		// The folder given is the client's choice: a link to it is followed, and
		// everything it holds is judged against where it really is.
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			real = abs
		}
		t.roots = append(t.roots, treeRoot{prefix: prefix, disk: real})
	}
	return t
}

// within reports whether p is dir or below it.
func within(dir, p string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// disk is where an evidence path is on disk, and the root it is in; false for a path
// outside the folders given.
func (t *tree) disk(rel string) (string, treeRoot, bool) {
	rel = path.Clean(rel)
	if rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
		return "", treeRoot{}, false
	}
	for _, r := range t.roots {
		if r.prefix == "" {
			return filepath.Join(r.disk, filepath.FromSlash(rel)), r, true
		}
		if rest, ok := strings.CutPrefix(rel, r.prefix); ok {
			return filepath.Join(r.disk, filepath.FromSlash(rest)), r, true
		}
	}
	return "", treeRoot{}, false
}

// errOutside is a file the code names, or a link, that is outside the folders given.
var errOutside = errors.New("outside the folders given")

// readText reads a file of the tree that the code names (file(), templatefile()): only
// inside the folders given, only a regular file, and no larger than any file read.
func (t *tree) readText(rel string) ([]byte, error) {
	rel = path.Clean(rel)
	if b, ok := t.read[rel]; ok {
		return b, nil
	}
	b, err := t.readDisk(rel)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && !t.refused[rel] && t.gaps != nil {
			// A file the code reads that is there but refused: what depends on it is
			// unknown, and the run is partial.
			if t.refused == nil {
				t.refused = map[string]bool{}
			}
			t.refused[rel] = true
			*t.gaps = append(*t.gaps, inventory.CoverageGap{Path: rel, Kind: inventory.GapUnreadable,
				Message: "named by the code, " + err.Error()})
		}
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	if t.read == nil {
		t.read = map[string][]byte{}
	}
	t.read[rel] = b
	return b, nil
}

func (t *tree) readDisk(rel string) ([]byte, error) {
	full, root, ok := t.disk(rel)
	if !ok {
		return nil, fmt.Errorf("is %w: not read", errOutside)
	}
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return nil, unwrapPath(err)
	}
	if !within(root.disk, real) {
		return nil, fmt.Errorf("is a symbolic link to a file %w: not read", errOutside)
	}
	// The bytes as they are: filebase64() reads binary files, and file() and
	// templatefile() say themselves what they make of bytes that are not text.
	return readRegular(real, maxFileSize)
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// notRegular is a file that is not a plain file: opening a named pipe waits for a writer
// that never comes, a device gives bytes without end.
type notRegular struct{ mode fs.FileMode }

func (e notRegular) Error() string {
	what := "not a regular file"
	switch {
	case e.mode&fs.ModeNamedPipe != 0:
		what += " (a named pipe)"
	case e.mode&fs.ModeSocket != 0:
		what += " (a socket)"
	case e.mode&fs.ModeDevice != 0:
		what += " (a device)"
	case e.mode.IsDir():
		what += " (a folder)"
	}
	return what + ": not read"
}

// tooLarge is a file over a size limit.
type tooLarge struct{ size, max int64 }

func (e tooLarge) Error() string {
	if e.size > 0 {
		return fmt.Sprintf("%d bytes, over the %d-byte limit; not read", e.size, e.max)
	}
	return fmt.Sprintf("over the %d-byte limit; not read", e.max)
}

// readRegular reads a regular file of at most max bytes. The mode is looked at before the
// file is opened, opening never waits (O_NONBLOCK), and the open file is looked at again,
// in case it was swapped in between.
func readRegular(p string, max int64) ([]byte, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, unwrapPath(err)
	}
	if !info.Mode().IsRegular() {
		return nil, notRegular{info.Mode()}
	}
	if info.Size() > max {
		return nil, tooLarge{info.Size(), max}
	}
	f, err := os.OpenFile(p, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		if err != nil {
			return nil, unwrapPath(err)
		}
		return nil, notRegular{fi.Mode()}
	}
	src, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, unwrapPath(err)
	}
	if int64(len(src)) > max {
		return nil, tooLarge{0, max}
	}
	return src, nil
}

// textProblem is why a file's bytes are not plain UTF-8: kind is the gap's, and the text
// was read anyway when decoded is true.
type textProblem struct {
	kind    string
	line    int
	msg     string
	decoded bool
}

// decodeText turns a file's bytes into UTF-8 text. UTF-16 (with a byte-order mark, or
// without one when every other byte of the start is zero) and a UTF-8 byte-order mark are
// undone without a word: the text is what was written. Bytes that are not UTF-8 are read
// as Windows-1252 (Latin-1 with the typographic characters editors on Windows write) and
// reported, since a guess was made. A NUL byte means not text: nothing is returned.
func decodeText(src []byte) ([]byte, *textProblem, error) {
	switch {
	case bytes.HasPrefix(src, []byte{0xff, 0xfe}) || bytes.HasPrefix(src, []byte{0xfe, 0xff}):
		out, _, err := transform.Bytes(unicode.BOMOverride(unicode.UTF8.NewDecoder()), src)
		if err != nil {
			return nil, &textProblem{kind: inventory.GapEncoding, msg: "UTF-16 text that does not decode"}, errors.New("UTF-16 text that does not decode")
		}
		src = out
	case bytes.HasPrefix(src, []byte{0xef, 0xbb, 0xbf}):
		src = src[3:]
	default:
		if enc := utf16NoBOM(src); enc != nil {
			if out, _, err := transform.Bytes(enc.NewDecoder(), src); err == nil {
				src = out
			}
		}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line := 1 + bytes.Count(src[:i], []byte("\n"))
		msg := fmt.Sprintf("binary content (a NUL byte on line %d): not text, not read", line)
		return nil, &textProblem{kind: inventory.GapBinary, line: line, msg: msg}, errors.New(msg)
	}
	if utf8.Valid(src) {
		return src, nil, nil
	}
	bad := 0
	for bad < len(src) {
		r, size := utf8.DecodeRune(src[bad:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		bad += size
	}
	line := 1 + bytes.Count(src[:bad], []byte("\n"))
	out, _, err := transform.Bytes(charmap.Windows1252.NewDecoder(), src)
	if err != nil {
		msg := fmt.Sprintf("not UTF-8 text (line %d)", line)
		return nil, &textProblem{kind: inventory.GapEncoding, line: line, msg: msg}, errors.New(msg)
	}
	return out, &textProblem{kind: inventory.GapEncoding, line: line, decoded: true,
		msg: fmt.Sprintf("not UTF-8 text (first at line %d): read as Windows-1252 (Latin-1), which may not be what was meant; re-save the file as UTF-8", line)}, nil
}

// utf16NoBOM is the UTF-16 encoding of text written without a byte-order mark, told by
// its zero bytes: in the first hundreds of bytes, nearly every other byte is zero and
// nearly none of the others is. Nil when the bytes do not look so.
func utf16NoBOM(src []byte) encoding.Encoding {
	head := src[:min(len(src), 512)&^1]
	if len(head) < 8 {
		return nil
	}
	even, odd := 0, 0
	for i := 0; i < len(head); i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	pairs := len(head) / 2
	switch {
	case odd*10 >= pairs*9 && even*10 <= pairs:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case even*10 >= pairs*9 && odd*10 <= pairs:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	}
	return nil
}

// walk reads every candidate file under the roots, in a stable order. Files that cannot be
// read become gaps; binary files and files that are not what their name says are skipped.
// Only regular files are opened; a symbolic link is followed only to a file inside the
// folder it is in, and never to a folder (its files are read where they are), so a link
// back to an ancestor cannot loop and nothing outside is read.
func walk(ctx context.Context, t *tree, gaps *[]inventory.CoverageGap) ([]*sourceFile, error) {
	var files []*sourceFile
	t.gaps = gaps
	gap := func(rel, kind string, line int, msg string) {
		*gaps = append(*gaps, inventory.CoverageGap{Path: rel, Line: line, Kind: kind, Message: msg})
	}
	for _, r := range t.roots {
		root, prefix := r.disk, r.prefix
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			rel, _ := filepath.Rel(root, p)
			// A secret in a file's name is reported by place, never echoed.
			rel = scripts.RedactPath(prefix + filepath.ToSlash(rel))
			if err != nil {
				gap(rel, inventory.GapUnreadable, 0, unwrapPath(err).Error())
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p != root && skipDirs[d.Name()] {
					return fs.SkipDir
				}
				return nil
			}
			kind := kindOf(d.Name())
			target := p
			if d.Type()&fs.ModeSymlink != 0 {
				real, err := filepath.EvalSymlinks(p)
				if err != nil {
					if kind != kindNone {
						gap(rel, inventory.GapUnreadable, 0, "symbolic link that leads nowhere: "+unwrapPath(err).Error())
					}
					return nil
				}
				info, serr := os.Stat(real)
				isDir := serr == nil && info.IsDir()
				if !within(root, real) {
					if isDir || kind != kindNone {
						what := "file"
						if isDir {
							what = "folder"
						}
						gap(rel, inventory.GapUnreadable, 0, "symbolic link to a "+what+" outside the folders given: not read (give that folder too to read it)")
					}
					return nil
				}
				if isDir {
					return nil
				}
				target = real
			}
			if kind == kindNone {
				return nil
			}
			f := readSource(t, target, rel, kind, gap)
			if f != nil {
				f.disk = p
				files = append(files, f)
			}
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

// readSource reads one candidate file, decodes it and keeps it if it is one to read and
// the read's budgets allow; otherwise gap says why, when the file is one whyk8s reads.
func readSource(t *tree, p, rel string, kind fileKind, gap func(rel, kind string, line int, msg string)) *sourceFile {
	raw, err := readRegular(p, maxFileSize)
	if err != nil {
		var tl tooLarge
		if errors.As(err, &tl) {
			gap(rel, inventory.GapTooLarge, 0, err.Error())
		} else {
			gap(rel, inventory.GapUnreadable, 0, err.Error())
		}
		return nil
	}
	src, problem, _ := decodeText(raw)
	// Any JSON or YAML may be a CloudFormation template: only one that says so is read,
	// and only its problems are reported.
	if kind == kindCFN {
		text := src
		if text == nil {
			text = raw
		}
		if !looksCFN(text) {
			return nil
		}
		if len(raw) > maxTemplateSize {
			gap(rel, inventory.GapTooLarge, 0, fmt.Sprintf("%d bytes, over the %d bytes CloudFormation takes; not read", len(raw), maxTemplateSize))
			return nil
		}
	}
	if problem != nil {
		if kind == kindCFN && problem.kind == inventory.GapBinary {
			// CloudFormation takes no NUL: a binary that mentions AWS:: is not a template.
			return nil
		}
		gap(rel, problem.kind, problem.line, problem.msg)
		if !problem.decoded {
			return nil
		}
	}
	n := limits.EstimateTokens(src, limits.Tokens)
	if n > limits.Tokens {
		gap(rel, inventory.GapLimit, 0, fmt.Sprintf("more than %d tokens in one file: over the size limit; not read", limits.Tokens))
		return nil
	}
	if t.tokens+n > limits.TotalTokens || t.bytes+int64(len(src)) > maxSourceBytes {
		gap(rel, inventory.GapLimit, 0, fmt.Sprintf("the folders given hold more infrastructure code than one read takes (%d tokens, %d bytes): not read", limits.TotalTokens, maxSourceBytes))
		return nil
	}
	t.tokens += n
	t.bytes += int64(len(src))
	return &sourceFile{rel: rel, dir: path.Dir(rel), kind: kind, src: src}
}

// looksCFN reports whether text may be a CloudFormation template: it names the format
// version or a resource type.
func looksCFN(src []byte) bool {
	return bytes.Contains(src, []byte("AWSTemplateFormatVersion")) || bytes.Contains(src, []byte("AWS::"))
}

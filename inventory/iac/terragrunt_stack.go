package iac

import (
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"whyk8s/inventory"
)

// Terragrunt stacks: a terragrunt.stack.hcl lists units (unit "name" { source, path,
// values }) and other stacks (stack "name" { … }) that Terragrunt generates below it, in
// .terragrunt-stack/PATH, each unit's terragrunt.hcl then reading its values as values.X.
// whyk8s reads a stack no other stack generates as a deployment: every unit it generates,
// however deep, is a unit of its own with the values it is given, named by the stack's
// folder and its address ("live/prod:stack.web.unit.service"). A unit folder that some
// stack generates is read only so; a stack folder likewise.

// maxStackUnits bounds the units and stacks that stacks generate, all together: a stack of
// a hundred stacks of a hundred stacks asks for 10^8.
const maxStackUnits = 5000

// stackEntry is a unit or stack block of a stack file.
type stackEntry struct {
	kind, name string // "unit" or "stack", and the block's label
	block      *hclsyntax.Block
}

func stackEntries(body *hclsyntax.Body) []stackEntry {
	var out []stackEntry
	for _, b := range body.Blocks {
		if (b.Type == "unit" || b.Type == "stack") && len(b.Labels) == 1 {
			out = append(out, stackEntry{kind: b.Type, name: b.Labels[0], block: b})
		}
	}
	return out
}

// readStacks reads every stack that no other stack generates, and returns the units they
// generate and the terragrunt.hcl files so read.
func (ev *tgEval) readStacks(stacks []string) ([]*tgUnit, map[string]bool) {
	generated := map[string]bool{}
	nested := map[string]bool{}
	// A first pass, with values unknown, finds which stacks other stacks generate: their
	// sources are usually written without values.
	for _, rel := range stacks {
		c := ev.generatedConfig(rel, 0, path.Dir(rel), cty.NilVal)
		if c == nil {
			continue
		}
		for _, e := range stackEntries(c.body) {
			if dir, ok := ev.entryDir(c, e, nil); ok {
				if e.kind == "stack" {
					nested[path.Join(dir, stackFile)] = true
				} else {
					generated[path.Join(dir, terragruntFile)] = true
				}
			}
		}
	}
	var units []*tgUnit
	for _, rel := range stacks {
		if nested[rel] {
			continue
		}
		dir := path.Dir(rel)
		units = append(units, ev.expandStack(rel, cty.NilVal, dir, "", dir, 0)...)
	}
	return units, generated
}

// expandStack generates the units of a stack file read with values: root names the
// deployment (the folder of the stack no other generates), addr the stack's address in it
// ("" for that stack, "stack.prod." below), searchDir the folder Terragrunt generates it in.
func (ev *tgEval) expandStack(rel string, values cty.Value, root, addr, searchDir string, depth int) []*tgUnit {
	c := ev.generatedConfig(rel, depth, searchDir, values)
	if c == nil {
		return nil
	}
	var units []*tgUnit
	for _, e := range stackEntries(c.body) {
		at := e.block.DefRange()
		dir, ok := ev.entryDir(c, e, ev.gaps)
		if !ok {
			continue
		}
		if ev.units++; ev.units > maxStackUnits {
			*ev.gaps = append(*ev.gaps, inventory.CoverageGap{Path: at.Filename, Line: at.Start.Line, Kind: inventory.GapLimit,
				Message: e.kind + " " + quoteLabel(e.name) + "is past the " + itoa(maxStackUnits) + " units and stacks the stacks generate: the rest are not read"})
			break
		}
		genPath := e.name
		if a := e.block.Body.Attributes["path"]; a != nil {
			if s, ok := asString(c.eval(a.Expr)); ok && s != "" {
				genPath = s
			}
		}
		gen := path.Join(searchDir, ".terragrunt-stack", genPath)
		vals := c.objectArg(e.block.Body.Attributes["values"])
		switch e.kind {
		case "stack":
			if depth+1 > maxTerragruntDepth {
				*ev.gaps = append(*ev.gaps, inventory.CoverageGap{Path: at.Filename, Line: at.Start.Line, Kind: inventory.GapUnresolved,
					Message: "stack " + quoteLabel(e.name) + "is nested deeper than " + itoa(maxTerragruntDepth) + " stacks; not read"})
				continue
			}
			units = append(units, ev.expandStack(path.Join(dir, stackFile), vals, root, addr+"stack."+e.name+".", gen, depth+1)...)
		case "unit":
			unitRel := path.Join(dir, terragruntFile)
			uc := ev.generatedConfig(unitRel, 0, gen, vals)
			if uc == nil {
				continue
			}
			u := &tgUnit{rel: unitRel, dir: dir, stack: root + ":" + addr + "unit." + e.name,
				inputs: map[string]cty.Value{}, inputAt: map[string]hcl.Range{}}
			uc.merge(u)
			units = append(units, u)
		}
	}
	return units
}

// objectArg evaluates an object argument (a unit's values) item by item when it is written
// out, so that one value that cannot be known leaves the others known.
func (c *tgConfig) objectArg(a *hclsyntax.Attribute) cty.Value {
	if a == nil {
		return cty.EmptyObjectVal
	}
	oc, ok := a.Expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return c.eval(a.Expr)
	}
	vals := map[string]cty.Value{}
	for _, it := range oc.Items {
		if k := objectKey(it.KeyExpr); k != "" {
			vals[k] = c.eval(it.ValueExpr)
		}
	}
	return cty.ObjectVal(vals)
}

// entryDir is the folder in the tree a unit or stack block's source names: a path from
// the stack file's folder, or a remote source whose subfolder is a folder of the tree (see
// sameRepoFolder). It must hold the file the block generates from; gaps, when not nil,
// get why not.
func (ev *tgEval) entryDir(c *tgConfig, e stackEntry, gaps *[]inventory.CoverageGap) (string, bool) {
	want := terragruntFile
	if e.kind == "stack" {
		want = stackFile
	}
	a := e.block.Body.Attributes["source"]
	at := e.block.DefRange()
	gap := func(kind, msg string) {
		if gaps != nil {
			*gaps = append(*gaps, inventory.CoverageGap{Path: at.Filename, Line: at.Start.Line, Kind: kind, Message: msg})
		}
	}
	label := e.kind + " " + quoteLabel(e.name)
	if a == nil {
		gap(inventory.GapUnresolved, label+"has no source; not read")
		return "", false
	}
	at = a.SrcRange
	src, why := sourceText(c.eval(a.Expr), a.Expr, c.ev.rt)
	has := func(dir string) bool { return ev.files[path.Join(dir, want)] != nil }
	if src == "" {
		gap(inventory.GapUnresolved, label+"source = "+ev.rt.excerpt(a.Expr)+": "+strings.Join(why, "; ")+"; not read")
		return "", false
	}
	if dir, ok := localPath(path.Dir(c.rel), src); ok {
		if !has(dir) {
			gap(inventory.GapNotFound, label+"source "+src+": no "+want+" in "+dir)
			return "", false
		}
		return dir, true
	}
	if dir, ok := sameRepoFolder(src, c.rel, has); ok {
		gap(inventory.GapUnresolved, label+sameRepoNote(src, dir, why))
		return dir, true
	}
	gap(inventory.GapUnresolved, label+"source "+src+" is not in the folders read; not read")
	return "", false
}

// sourceText is a source address as far as it is known: the whole string, or, when a
// part of it is not known (a ref from values), the text with that part kept as written, for
// the parts that locate the folder. why says what is not known.
func sourceText(v cty.Value, expr hcl.Expression, rt *tfRoot) (string, []string) {
	if s, ok := asString(v); ok && isKnown(v) && len(reasonsOf(v)) == 0 {
		return s, nil
	}
	te, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok {
		return "", whyUnknown(v)
	}
	var sb strings.Builder
	for _, part := range te.Parts {
		if lit, ok := part.(*hclsyntax.LiteralValueExpr); ok {
			s, _ := asString(lit.Val)
			sb.WriteString(s)
			continue
		}
		sb.WriteString("${" + rt.rangeText(part.Range()) + "}")
	}
	return sb.String(), whyUnknown(v)
}

// localPath resolves a source that is a path: from dir when relative, from the root of
// the tree when it starts with "/"; "//" marks a subfolder as in Terraform sources.
func localPath(dir, src string) (string, bool) {
	if i := strings.Index(src, "?"); i >= 0 {
		src = src[:i]
	}
	if strings.Contains(src, "::") || strings.Contains(src, "://") || strings.Contains(src, "${") {
		return "", false
	}
	if !strings.HasPrefix(src, "/") && !strings.HasPrefix(src, "./") && !strings.HasPrefix(src, "../") && src != "." && src != ".." {
		return "", false
	}
	return tgPath(dir, strings.ReplaceAll(src, "//", "/")), true
}

// sameRepoFolder is the folder of the tree that a remote source's subfolder names, when
// the tree has one that holds what the source must hold: catalogs of modules, units and
// stacks refer to their own parts by the repository's Git URL
// ("github.com/acme/catalog//units/app?ref=v1") so that they still work once copied
// elsewhere, and the copy read is the repository itself. The subfolder is looked for from
// the root of the tree, then from the root of the folder given that holds from.
func sameRepoFolder(src, from string, has func(dir string) bool) (string, bool) {
	if i := strings.Index(src, "?"); i >= 0 {
		src = src[:i]
	}
	sub := ""
	for i := 0; i+1 < len(src); i++ {
		if src[i] == '/' && src[i+1] == '/' && (i == 0 || src[i-1] != ':') {
			sub = src[i+2:]
			break
		}
	}
	sub = strings.Trim(path.Clean("/"+sub), "/")
	if sub == "" || sub == "." || strings.Contains(sub, "${") {
		return "", false
	}
	candidates := []string{sub}
	if first, _, ok := strings.Cut(from, "/"); ok {
		candidates = append(candidates, path.Join(first, sub))
	}
	for _, c := range candidates {
		if has(c) {
			return c, true
		}
	}
	return "", false
}

// sameRepoNote says that a remote source was read from the tree, and what that assumes.
func sameRepoNote(src, dir string, why []string) string {
	msg := "source " + src + " is a remote address; read from " + dir + ", the same folder in the tree read, which may differ from what the address fetches"
	if strings.Contains(src, "${") {
		msg += " (" + strings.Join(sortedUnique(why), "; ") + ")"
	} else if !strings.Contains(src, "?ref=") && !strings.Contains(src, "&ref=") {
		msg += "; the address pins no ref"
	}
	return msg
}

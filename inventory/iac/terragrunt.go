package iac

import (
	"encoding/base64"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"whyk8s/inventory"
)

// Terragrunt: a terragrunt.hcl names, in terraform { source = … }, the module it deploys
// and, in inputs = { … }, the module's variables. whyk8s reads a unit whose source is a
// folder in the tree as a root module of its own, with the inputs as its variables (below
// the tfvars beside it and in the module, as Terraform ranks TF_VAR_ values); a module
// folder so deployed is read only through its units, never also alone with its defaults.
// A source that is not local, or cannot be known, is a gap at its line: never silence.
//
// The configuration is evaluated as far as the code says: locals, include blocks (their
// locals and inputs, merged under the unit's own), read_terragrunt_config of a file in the
// tree, find_in_parent_folders, get_terragrunt_dir, dirname and the Terraform functions.
// What depends on the machine or on other units (get_env, dependency outputs, run_cmd) is
// unknown, with the reason.
//
// Paths: the functions that give a path give it from the root of the tree read, with a
// leading "/" ("/live/prod/app"), so that a path built on them is told apart from one
// relative to the unit.

// maxTerragruntDepth bounds includes and read_terragrunt_config of one another.
const maxTerragruntDepth = 4

// tgUnit is a terragrunt.hcl as evaluated: alone, or as a unit a terragrunt.stack.hcl
// generates with its values.
type tgUnit struct {
	rel, dir string
	// stack names the deployment: the unit's folder, or for a unit a stack generates, the
	// stack's folder and the unit's address in it ("live/prod:unit.service",
	// "live:stack.prod.unit.service").
	stack  string
	source *hcl.Attribute // terraform { source }, the unit's or an include's
	srcVal cty.Value
	inputs map[string]cty.Value
	// inputAt is where each input is written: the item of inputs = { … }.
	inputAt map[string]hcl.Range
	// inputExpr is each input written out as an item of inputs = { … }, and inputIn the
	// configuration it is evaluated in, for the user data's lines.
	inputExpr map[string]hcl.Expression
	inputIn   map[string]*tgConfig
	// inputsUnknown is set when some of the inputs cannot be known (an include whose inputs
	// come from a file not read): a variable none of the known inputs sets is unknown then.
	inputsUnknown cty.Value
	included      bool // some other terragrunt file includes it
}

// tgConfig is one Terragrunt file evaluated: its locals, inputs and terraform source.
type tgConfig struct {
	rel    string
	body   *hclsyntax.Body
	ev     *tgEval
	depth  int
	ctxDir string
	locals map[string]cty.Value
	busy   map[string]bool
	incl   map[string]*tgConfig // by include label ("" for an unlabelled include)
	// missing are the includes that could not be read, by label, with why.
	missing map[string]string
	source  *hcl.Attribute
	// values are the values a terragrunt.stack.hcl gives the unit (or the stack) it
	// generates; NilVal when the file is read alone.
	values cty.Value
	// searchDir is where find_in_parent_folders starts: the folder Terragrunt generates
	// the unit in (.terragrunt-stack/PATH below its stack), else ctxDir.
	searchDir string
}

// tgEval evaluates the Terragrunt files of one read.
type tgEval struct {
	files    map[string]*sourceFile // evidence path → Terragrunt file
	all      map[string]*sourceFile // evidence path → any file read, for file()
	rt       *tfRoot                // for the Terraform functions, excerpts and the meter
	gaps     *[]inventory.CoverageGap
	included map[string]bool
	configs  map[string]*tgConfig
	// reading are the configurations being read, by key: one that includes or reads
	// itself, directly or through others, is a cycle.
	reading map[string]bool
	// bodies are the files parsed, by evidence path (nil for one that could not be).
	bodies map[string]*hclsyntax.Body
	// units counts the units stacks generate, against maxStackUnits.
	units int
}

// parse parses a Terragrunt file once, within the limits, hooked for the meter; nil,
// with a gap the first time, when it cannot be.
func (ev *tgEval) parse(f *sourceFile) *hclsyntax.Body {
	if b, ok := ev.bodies[f.rel]; ok {
		return b
	}
	ev.bodies[f.rel] = nil
	if err := checkFile(f); err != nil {
		*ev.gaps = append(*ev.gaps, limitGap(f.rel, err))
		return nil
	}
	file, diags := hclsyntax.ParseConfig(f.src, f.rel, hcl.InitialPos)
	if diags.HasErrors() {
		*ev.gaps = append(*ev.gaps, diagGap(f.rel, diags))
		return nil
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	hookBody(body)
	ev.rt.src[f.rel] = f.src
	ev.bodies[f.rel] = body
	return body
}

const (
	terragruntFile = "terragrunt.hcl"
	stackFile      = "terragrunt.stack.hcl"
)

// readTerragrunt evaluates every terragrunt.hcl, alone or as a unit of the stacks that
// generate it, and returns the units in the order of their stacks.
func readTerragrunt(files []*sourceFile, rt *tfRoot, gaps *[]inventory.CoverageGap) []*tgUnit {
	ev := &tgEval{files: map[string]*sourceFile{}, all: map[string]*sourceFile{}, rt: rt, gaps: gaps, included: map[string]bool{},
		configs: map[string]*tgConfig{}, reading: map[string]bool{}, bodies: map[string]*hclsyntax.Body{}}
	var rels, stacks []string
	for _, f := range files {
		ev.all[f.rel] = f
		if f.kind == kindHCL {
			ev.files[f.rel] = f
			switch path.Base(f.rel) {
			case terragruntFile:
				rels = append(rels, f.rel)
			case stackFile:
				stacks = append(stacks, f.rel)
			}
		}
	}
	sort.Strings(rels)
	sort.Strings(stacks)
	units, generated := ev.readStacks(stacks)
	for _, rel := range rels {
		if generated[rel] {
			// Its values come from the stacks that generate it: read through them only.
			continue
		}
		c := ev.config(rel, 0, path.Dir(rel))
		if c == nil {
			continue
		}
		u := &tgUnit{rel: rel, dir: path.Dir(rel), stack: path.Dir(rel), inputs: map[string]cty.Value{}, inputAt: map[string]hcl.Range{}}
		c.merge(u)
		units = append(units, u)
	}
	for _, u := range units {
		u.included = ev.included[u.rel]
	}
	sort.SliceStable(units, func(i, j int) bool { return units[i].stack < units[j].stack })
	return units
}

// config parses and prepares a Terragrunt file; nil when it cannot be read (with a gap).
//
// ctxDir is the folder its functions work from: its own for a unit and for a file read
// with read_terragrunt_config, the including unit's for an include, as Terragrunt
// evaluates an included file in the context of the unit that includes it.
func (ev *tgEval) config(rel string, depth int, ctxDir string) *tgConfig {
	key := rel + "\x00" + ctxDir
	if c, ok := ev.configs[key]; ok {
		return c
	}
	f := ev.files[rel]
	if f == nil {
		return nil
	}
	body := ev.parse(f)
	if body == nil {
		return nil
	}
	c := &tgConfig{rel: rel, body: body, ev: ev, depth: depth, ctxDir: ctxDir, searchDir: ctxDir, locals: map[string]cty.Value{}, busy: map[string]bool{}, incl: map[string]*tgConfig{}, missing: map[string]string{}}
	// The configuration is known only once its includes are read: until then, one that
	// includes or reads it again is a cycle (cycle), not the configuration.
	ev.reading[key] = true
	c.readBlocks()
	delete(ev.reading, key)
	ev.configs[key] = c
	return c
}

// cycle reports whether the configuration of rel, as read from ctxDir, is being read:
// reading it again would never end.
func (ev *tgEval) cycle(rel, ctxDir string) bool { return ev.reading[rel+"\x00"+ctxDir] }

// generatedConfig is a terragrunt.hcl (or terragrunt.stack.hcl) as a stack generates it:
// with the stack's values, searching for parent files from where Terragrunt writes it.
// Each generation is its own: the same unit in two stacks sees two sets of values.
func (ev *tgEval) generatedConfig(rel string, depth int, searchDir string, values cty.Value) *tgConfig {
	f := ev.files[rel]
	if f == nil {
		return nil
	}
	body := ev.parse(f)
	if body == nil {
		return nil
	}
	dir := path.Dir(rel)
	c := &tgConfig{rel: rel, body: body, ev: ev, depth: depth, ctxDir: dir, searchDir: searchDir, values: values,
		locals: map[string]cty.Value{}, busy: map[string]bool{}, incl: map[string]*tgConfig{}, missing: map[string]string{}}
	c.readBlocks()
	return c
}

// readBlocks reads the terraform source and the includes of a configuration.
func (c *tgConfig) readBlocks() {
	ev, rel, depth, ctxDir, body := c.ev, c.rel, c.depth, c.ctxDir, c.body
	for _, b := range body.Blocks {
		switch b.Type {
		case "terraform":
			if a := b.Body.Attributes["source"]; a != nil {
				c.source = a.AsHCLAttribute()
			}
		case "include":
			a := b.Body.Attributes["path"]
			if a == nil {
				continue
			}
			label := ""
			if len(b.Labels) > 0 {
				label = b.Labels[0]
			}
			at := a.SrcRange
			c.missing[label] = "include " + quoteLabel(label) + "at " + rel + ":" + itoa(at.Start.Line) + " is not read"
			v := c.eval(a.Expr)
			p, known := asString(v)
			switch {
			case !known || !isKnown(v):
				*ev.gaps = append(*ev.gaps, inventory.CoverageGap{Path: at.Filename, Line: at.Start.Line, Kind: inventory.GapUnresolved,
					Message: "include " + quoteLabel(label) + "path = " + ev.rt.excerpt(a.Expr) + ": " + strings.Join(whyUnknown(v), "; ") + "; not read"})
			case depth+1 > maxTerragruntDepth:
				*ev.gaps = append(*ev.gaps, inventory.CoverageGap{Path: at.Filename, Line: at.Start.Line, Kind: inventory.GapUnresolved,
					Message: "include " + quoteLabel(label) + p + ": includes nested deeper than " + itoa(maxTerragruntDepth) + " are not read"})
			case ev.cycle(tgPath(path.Dir(rel), p), ctxDir):
				*ev.gaps = append(*ev.gaps, inventory.CoverageGap{Path: at.Filename, Line: at.Start.Line, Kind: inventory.GapUnresolved,
					Message: "include " + quoteLabel(label) + "path = " + ev.rt.excerpt(a.Expr) + ": " + tgPath(path.Dir(rel), p) + " includes " + rel + " in turn, a cycle: not read again"})
			default:
				target := tgPath(path.Dir(rel), p)
				ic := ev.config(target, depth+1, ctxDir)
				if ic == nil {
					*ev.gaps = append(*ev.gaps, inventory.CoverageGap{Path: at.Filename, Line: at.Start.Line, Kind: inventory.GapNotFound,
						Message: "include " + quoteLabel(label) + "path = " + ev.rt.excerpt(a.Expr) + ": " + target + " is not in the folders read"})
					continue
				}
				ev.included[target] = true
				c.incl[label] = ic
				delete(c.missing, label)
			}
		}
	}
}

func quoteLabel(l string) string {
	if l == "" {
		return ""
	}
	return `"` + l + `" `
}

// tgPath resolves a path a Terragrunt file gives: from the root of the tree when it starts
// with "/", else from the file's folder.
func tgPath(dir, p string) string {
	if strings.HasPrefix(p, "/") {
		return path.Clean(strings.TrimPrefix(p, "/"))
	}
	return path.Clean(path.Join(dir, p))
}

func whyUnknown(v cty.Value) []string {
	if r := reasonsOf(v); len(r) > 0 {
		return r
	}
	return []string{"not known from the code"}
}

// merge gives the unit the source and inputs of the file and its includes: the file's own
// win over an include's, as Terragrunt merges them.
func (c *tgConfig) merge(u *tgUnit) {
	labels := make([]string, 0, len(c.incl))
	for l := range c.incl {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		c.incl[l].merge(u)
	}
	if c.source != nil {
		u.source = c.source
		u.srcVal = c.eval(c.source.Expr)
	}
	a := c.body.Attributes["inputs"]
	if a == nil {
		return
	}
	if oc, ok := a.Expr.(*hclsyntax.ObjectConsExpr); ok {
		// Written out: each input on its own, so that one that cannot be known (a
		// dependency's output) leaves the others known.
		for _, it := range oc.Items {
			k := objectKey(it.KeyExpr)
			if k == "" {
				u.inputsUnknown = unknownBecause("an input name in " + c.rel + " (" + c.ev.rt.excerpt(it.KeyExpr) + ") is not known")
				continue
			}
			u.inputs[k] = c.eval(it.ValueExpr)
			u.inputAt[k] = it.ValueExpr.Range()
			if u.inputExpr == nil {
				u.inputExpr, u.inputIn = map[string]hcl.Expression{}, map[string]*tgConfig{}
			}
			u.inputExpr[k], u.inputIn[k] = it.ValueExpr, c
		}
		return
	}
	v := c.eval(a.Expr)
	keys, vals := keyed(v)
	if keys == nil && !plain(v).IsNull() {
		u.inputsUnknown = unknownBecause("the inputs of " + c.rel + " (" + c.ev.rt.excerpt(a.Expr) + ") are not known: " + strings.Join(whyUnknown(v), "; "))
		return
	}
	for _, k := range keys {
		u.inputs[k] = vals[k]
		u.inputAt[k] = a.Expr.Range()
		delete(u.inputExpr, k)
	}
}

// local is local.NAME of the file, evaluated once.
func (c *tgConfig) local(name string) cty.Value {
	if v, ok := c.locals[name]; ok {
		return v
	}
	if c.busy[name] {
		return unknownBecause("local." + name + " refers to itself")
	}
	var a *hclsyntax.Attribute
	for _, b := range c.body.Blocks {
		if b.Type == "locals" && b.Body.Attributes[name] != nil {
			a = b.Body.Attributes[name]
		}
	}
	if a == nil {
		return unknownBecause("local." + name + " is not defined in " + c.rel)
	}
	c.busy[name] = true
	v := c.eval(a.Expr)
	delete(c.busy, name)
	c.locals[name] = v
	return v
}

// value is what read_terragrunt_config and an exposed include give: locals and inputs.
func (c *tgConfig) value() cty.Value {
	locals := map[string]cty.Value{}
	for _, b := range c.body.Blocks {
		if b.Type == "locals" {
			for n := range b.Body.Attributes {
				locals[n] = c.local(n)
			}
		}
	}
	inputs := cty.EmptyObjectVal
	if a := c.body.Attributes["inputs"]; a != nil {
		inputs = c.eval(a.Expr)
	}
	return cty.ObjectVal(map[string]cty.Value{"locals": cty.ObjectVal(locals), "inputs": inputs})
}

// eval evaluates an expression of the file, as a level of the meter.
func (c *tgConfig) eval(expr hcl.Expression) cty.Value {
	mt := c.ev.rt.meter
	at := func() place { return rangePlace(expr.Range()) }
	if err := mt.enter(at); err != nil {
		return unknownBecause(c.ev.rt.rangeText(expr.Range()) + " is not evaluated: " + err.Error())
	}
	defer mt.leave()
	vars := map[string]cty.Value{}
	for _, t := range expr.Variables() {
		root := t.RootName()
		switch root {
		case "local":
			names := attrNames(t)
			if len(names) == 0 {
				vars[root] = unknownBecause("local used as a whole")
				continue
			}
			obj := map[string]cty.Value{}
			if prev, ok := vars[root]; ok && plain(prev).Type().IsObjectType() {
				obj = prev.AsValueMap()
			}
			obj[names[0]] = c.local(names[0])
			vars[root] = cty.ObjectVal(obj)
		case "include":
			incl := map[string]cty.Value{}
			for l, why := range c.missing {
				if l != "" {
					incl[l] = unknownBecause(why)
				}
			}
			for l, ic := range c.incl {
				if l != "" {
					incl[l] = ic.value()
				}
			}
			if ic := c.incl[""]; ic != nil {
				for k, v := range ic.value().AsValueMap() {
					incl[k] = v
				}
			}
			vars[root] = cty.ObjectVal(incl)
			if why, ok := c.missing[""]; ok {
				vars[root] = unknownBecause(why)
			} else if len(c.incl) == 0 && len(c.missing) == 0 {
				vars[root] = unknownBecause(c.rel + " has no include block")
			}
		case "dependency", "dependencies":
			vars[root] = unknownBecause(root + " outputs are known only once the other unit is applied")
		case "values":
			if c.values != cty.NilVal {
				vars[root] = c.values
			} else {
				vars[root] = unknownBecause("values are given by the terragrunt.stack.hcl that generates " + c.rel + ", and none in the folders read does")
			}
		default:
			vars[root] = unknownBecause(root + " is not a value whyk8s knows in Terragrunt")
		}
	}
	ctx := &hcl.EvalContext{Variables: vars, Functions: c.functions()}
	v, diags := expr.Value(ctx)
	mt.check(at)
	mt.noticeDiags(diags)
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			return unknownBecause(c.ev.rt.diagReason(d))
		}
	}
	v, err := fit(v)
	if err != nil {
		mt.notice(err, at)
	}
	return v
}

// functions are the Terraform functions and Terragrunt's own, as far as the code can say.
func (c *tgConfig) functions() map[string]function.Function {
	dir := c.ctxDir
	f := map[string]function.Function{}
	for n, fn := range c.ev.rt.functions() {
		switch n {
		case "file", "filebase64", "fileexists", "templatefile":
			// Terraform's read files beside the root module; Terragrunt's beside the
			// configuration, below.
		default:
			f[n] = fn
		}
	}
	read := func(p string) (*sourceFile, error) {
		rel := tgPath(dir, p)
		if sf := c.ev.all[rel]; sf != nil {
			return sf, nil
		}
		src, err := c.ev.rt.tree.readText(rel)
		if err != nil {
			return nil, err
		}
		return &sourceFile{rel: rel, dir: path.Dir(rel), src: src}, nil
	}
	f["file"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			sf, err := read(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(string(sf.src)), nil
		},
	})
	f["fileexists"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			_, err := read(args[0].AsString())
			return cty.BoolVal(err == nil), nil
		},
	})
	f["filebase64"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			sf, err := read(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(base64.StdEncoding.EncodeToString(sf.src)), nil
		},
	})
	f["templatefile"] = function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowMarked: true, AllowNull: true},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			sf, err := read(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return c.ev.rt.renderTemplate(sf.src, sf.rel, args[1])
		},
	})
	rooted := func(p string) string {
		if p == "." {
			return "/"
		}
		return "/" + p
	}
	f["get_terragrunt_dir"] = function.New(&function.Spec{Type: function.StaticReturnType(cty.String),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return cty.StringVal(rooted(dir)), nil }})
	f["get_original_terragrunt_dir"] = f["get_terragrunt_dir"]
	f["find_in_parent_folders"] = function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "args", Type: cty.String},
		Type:     function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := "terragrunt.hcl"
			if len(args) > 0 {
				name = args[0].AsString()
			}
			for d := path.Dir(c.searchDir); ; d = path.Dir(d) {
				p := path.Clean(path.Join(d, name))
				if _, ok := c.ev.files[p]; ok {
					return cty.StringVal(rooted(p)), nil
				}
				if d == "." || d == "/" {
					break
				}
			}
			if len(args) > 1 {
				return args[1], nil
			}
			return cty.NilVal, function.NewArgErrorf(0, "no %s in the folders above %s that are read", name, c.searchDir)
		},
	})
	f["read_terragrunt_config"] = function.New(&function.Spec{
		Params:   []function.Parameter{{Name: "path", Type: cty.String}},
		VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType},
		Type:     function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := tgPath(dir, args[0].AsString())
			if c.depth+1 > maxTerragruntDepth {
				return unknownBecause("read_terragrunt_config(" + p + "): nested deeper than " + itoa(maxTerragruntDepth)), nil
			}
			if c.ev.cycle(p, path.Dir(p)) {
				return unknownBecause("read_terragrunt_config(" + p + "): " + p + " reads " + c.rel + " in turn, a cycle"), nil
			}
			rc := c.ev.config(p, c.depth+1, path.Dir(p))
			if rc == nil {
				if len(args) > 1 {
					return args[1], nil
				}
				return unknownBecause("read_terragrunt_config(" + p + "): the file is not in the folders read"), nil
			}
			return rc.value(), nil
		},
	})
	unknownFn := func(why string) function.Function {
		return function.New(&function.Spec{
			VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowMarked: true},
			Type:     function.StaticReturnType(cty.DynamicPseudoType),
			Impl:     func([]cty.Value, cty.Type) (cty.Value, error) { return unknownBecause(why), nil },
		})
	}
	for n, why := range map[string]string{
		"get_env":                     "get_env(): the environment is known only when Terragrunt runs",
		"run_cmd":                     "run_cmd(): a command's output is known only when Terragrunt runs",
		"get_aws_account_id":          "get_aws_account_id(): the account is known only when Terragrunt runs",
		"get_aws_caller_identity_arn": "get_aws_caller_identity_arn(): known only when Terragrunt runs",
		"get_parent_terragrunt_dir":   "get_parent_terragrunt_dir(): depends on which unit includes the file",
		"path_relative_to_include":    "path_relative_to_include(): depends on which unit includes the file",
		"path_relative_from_include":  "path_relative_from_include(): depends on which unit includes the file",
	} {
		f[n] = unknownFn(why)
	}
	return f
}

// localModule is the module folder a Terragrunt source names when it is a folder in the
// tree: "../../modules//app?ref=x" from the unit's folder, or "/modules/app" from the root.
func (u *tgUnit) localModule(src string) (string, bool) {
	if i := strings.Index(src, "?"); i >= 0 {
		src = src[:i]
	}
	if strings.Contains(src, "::") || strings.Contains(src, "://") {
		return "", false
	}
	local := strings.HasPrefix(src, "/") || strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || src == "." || src == ".."
	if !local {
		return "", false
	}
	src = strings.ReplaceAll(src, "//", "/")
	return tgPath(u.dir, src), true
}

package scripts

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"

	"whyk8s/internal/limits"
	"whyk8s/inventory"
)

// strAt is a string value with its file line. raw says it could not be evaluated and is
// the expression as written.
type strAt struct {
	s    string
	line int
}

// pkSource is one Packer builder (legacy JSON) or source block (HCL2), whatever the syntax.
type pkSource struct {
	typ, name string
	// line names the builder's type: the source block's line, or the JSON "type" key's.
	line         int
	amiName      strAt
	communicator strAt
	filters      []strAt // source AMI name filters and data source filters
	devices      []strAt // ami_block_device_mappings device names
	// The build instance: its instance types, and the settings that put it on the spot
	// market (spotTypes is set, with its line, even when its value is an expression).
	instanceTypes []strAt
	spotPrice     strAt
	spotTypes     strAt
	// ref is a build's use of a source defined in another file (source "amazon-ebs.base"
	// inside build): the image is built here, from settings kept there.
	ref bool
}

type pkProvisioner struct {
	typ         string
	line        int
	inline      []strAt
	scripts     []strAt
	playbook    strAt
	playbookDir strAt
	rolePaths   []strAt
	source      strAt
	sources     []strAt
	destination strAt
	direction   string // "download" copies from the instance to the build machine
	// envVars are the provisioner's environment for Ansible (ansible_env_vars).
	envVars []strAt
	// runList is a chef-solo provisioner's run list; manifest a puppet-masterless
	// provisioner's manifest_file (a file, or a folder of manifests).
	runList  []strAt
	manifest strAt
	// unresolved are inline commands or script lists held in a variable or built by a
	// function the reader cannot see through, as written.
	unresolved []strAt
}

type pkPost struct {
	typ    string
	line   int
	output strAt
}

// hclError is an HCL or JSON text that does not parse.
type hclError struct {
	line int
	msg  string
}

func (e *hclError) Error() string { return e.msg }

func diagError(diags hcl.Diagnostics) error {
	for _, dg := range diags {
		if dg.Severity != hcl.DiagError {
			continue
		}
		line := 0
		if dg.Subject != nil {
			line = dg.Subject.Start.Line
		}
		msg := dg.Summary
		if dg.Detail != "" {
			msg += ": " + dg.Detail
		}
		return &hclError{line: line, msg: msg}
	}
	return nil
}

// exprString evaluates a string expression without variables; an expression that needs
// them is rendered with its interpolations as written ("${var.app}-{{timestamp}}").
func exprString(expr hcl.Expression, src []byte) (string, bool) {
	if expr == nil {
		return "", false
	}
	// A quoted string without interpolations is one literal part, whose value the template
	// would give as it is: read it without evaluating the template (most strings of a
	// template are such, every inline command among them).
	if t, ok := expr.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
		if lit, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() && !lit.Val.IsMarked() {
			return lit.Val.AsString(), true
		}
	}
	v, ok := staticValue(expr)
	if ok && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		return v.AsString(), true
	}
	switch e := expr.(type) {
	case *hclsyntax.TemplateExpr:
		var b strings.Builder
		for _, p := range e.Parts {
			if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
				b.WriteString(lit.Val.AsString())
				continue
			}
			b.WriteString("${" + string(p.Range().SliceBytes(src)) + "}")
		}
		return b.String(), true
	case *hclsyntax.TemplateWrapExpr:
		return "${" + string(e.Wrapped.Range().SliceBytes(src)) + "}", true
	case *hclsyntax.ScopeTraversalExpr, *hclsyntax.FunctionCallExpr:
		return "${" + string(e.Range().SliceBytes(src)) + "}", true
	}
	if ok && v.IsKnown() && !v.IsNull() && (v.Type() == cty.Number && limits.NumberRenderable(v.AsBigFloat()) || v.Type() == cty.Bool) {
		return fmt.Sprint(v.GoString()), false
	}
	return "", false
}

func strOf(expr hcl.Expression, src []byte) strAt {
	s, _ := exprString(expr, src)
	if expr == nil {
		return strAt{}
	}
	return strAt{s: s, line: expr.Range().Start.Line}
}

func listOf(expr hcl.Expression, src []byte) []strAt {
	if expr == nil {
		return nil
	}
	elems, diags := hcl.ExprList(expr)
	if diags.HasErrors() {
		if s := strOf(expr, src); s.s != "" {
			return []strAt{s}
		}
		return nil
	}
	var out []strAt
	for _, e := range elems {
		if s := strOf(e, src); s.s != "" {
			out = append(out, s)
		}
	}
	return out
}

// commandsOf reads a list of strings — a shell provisioner's inline commands or scripts —
// through the forms real templates use to keep commands in files: templatefile("x.pkrtpl.hcl",
// {…}) and file("x.sh") (returned as files, to be read as scripts), split("\n", …),
// concat(…), flatten(…). What it cannot see through, such as a variable holding the list,
// is returned as unresolved rather than guessed at.
func commandsOf(expr hcl.Expression, src []byte) (strs, files, unresolved []strAt) {
	var walk func(e hcl.Expression)
	walk = func(e hcl.Expression) {
		switch x := e.(type) {
		case *hclsyntax.TupleConsExpr:
			for _, el := range x.Exprs {
				walk(el)
			}
			return
		case *hclsyntax.FunctionCallExpr:
			switch x.Name {
			case "templatefile", "file":
				if len(x.Args) > 0 {
					if f := strOf(x.Args[0], src); f.s != "" {
						files = append(files, f)
						return
					}
				}
			case "split", "join":
				if len(x.Args) == 2 {
					walk(x.Args[1])
					return
				}
			case "concat", "flatten", "compact", "distinct", "trimspace", "chomp":
				for _, a := range x.Args {
					walk(a)
				}
				return
			}
			unresolved = append(unresolved, strAt{s: string(x.Range().SliceBytes(src)), line: x.Range().Start.Line})
			return
		case *hclsyntax.ScopeTraversalExpr, *hclsyntax.IndexExpr, *hclsyntax.ForExpr, *hclsyntax.ConditionalExpr:
			unresolved = append(unresolved, strAt{s: string(e.Range().SliceBytes(src)), line: e.Range().Start.Line})
			return
		}
		// Literals and templates, and every expression of the JSON syntax (.pkr.json).
		if elems, diags := hcl.ExprList(e); !diags.HasErrors() {
			for _, el := range elems {
				if s := strOf(el, src); s.s != "" {
					strs = append(strs, s)
				}
			}
			return
		}
		if s := strOf(e, src); s.s != "" {
			strs = append(strs, s)
		}
	}
	if expr != nil {
		walk(expr)
	}
	return strs, files, unresolved
}

// rePackerInterp matches Packer's own interpolations inside a command: HCL2's ${var.x},
// ${local.x}, ${path.root}, ${upper(var.x)} (an identifier then "." or "(", which keeps
// a shell ${VAR:-x} out), and legacy JSON's {{user `x`}}, {{env `X`}}, {{ .Vars }}.
var rePackerInterp = regexp.MustCompile(`\$\{\s*([A-Za-z_][\w-]*[.(][^{}]*?)\s*\}|\{\{-?\s*([^{}]*?)\s*-?\}\}`)

var (
	reTplUser    = regexp.MustCompile("^(user|env)\\s+`([\\w-]+)`$")
	reNotShellID = regexp.MustCompile(`[^A-Za-z0-9_]+`)
)

// packerShell rewrites Packer's interpolations in an inline command into text the shell
// reader parses: the value the template gives a variable, else a shell parameter named
// for the interpolation. Packer substitutes them before the shell runs; left as written,
// "${var.x}" is a shell syntax error and the backquotes of {{user `x`}} a command
// substitution.
func packerShell(cmd string, vars map[string][]varItem) string {
	if !strings.Contains(cmd, "${") && !strings.Contains(cmd, "{{") {
		return cmd
	}
	return rePackerInterp.ReplaceAllStringFunc(cmd, func(m string) string {
		expr, name := packerInterp(m)
		if v := vars[expr]; len(v) == 1 && shellSafeValue(v[0].value) {
			return v[0].value
		}
		name = strings.Trim(reNotShellID.ReplaceAllString(name, "_"), "_")
		if name == "" || name[0] >= '0' && name[0] <= '9' {
			name = "_" + name
		}
		return "${" + name + "}"
	})
}

// packerInterp says what one of Packer's interpolations (a rePackerInterp match) reads:
// key is the variable's name in the template's vars ("app" for ${var.app} and {{user
// `app`}}, "local.x" for ${local.x}; empty for the build's environment), name a word for
// it.
func packerInterp(m string) (key, name string) {
	sub := rePackerInterp.FindStringSubmatch(m)
	if sub == nil {
		return "", ""
	}
	key = sub[1]
	switch {
	case key != "":
		name = key
		if n, ok := strings.CutPrefix(key, "var."); ok {
			key, name = n, n
		} else if n, ok := strings.CutPrefix(key, "local."); ok {
			name = n
		}
	default:
		key = sub[2]
		name = key
		if u := reTplUser.FindStringSubmatch(key); u != nil {
			key, name = u[2], u[2]
			if u[1] == "env" {
				key = "" // the environment of the build, not a template variable
			}
		}
	}
	return key, name
}

// packerValue is a setting as the build sees it: each interpolation replaced by the value
// the template gives its variable. ok is false when one has no single plain value here.
func packerValue(s string, vars map[string][]varItem) (string, bool) {
	if !strings.Contains(s, "${") && !strings.Contains(s, "{{") {
		return s, true
	}
	ok := true
	out := rePackerInterp.ReplaceAllStringFunc(s, func(m string) string {
		key, _ := packerInterp(m)
		if v := vars[key]; key != "" && len(v) == 1 && !strings.Contains(v[0].value, "${") && !strings.Contains(v[0].value, "{{") {
			return v[0].value
		}
		ok = false
		return m
	})
	return out, ok
}

// shellSafeValue is a variable value that can be put into a command without changing how
// the command parses.
func shellSafeValue(v string) bool {
	return v != "" && !strings.ContainsAny(v, "'\"`$\\\n;&|<>(){}")
}

// mapOf returns an object expression's entries by key, with the key's line.
func mapOf(expr hcl.Expression) map[string]hcl.Expression {
	if expr == nil {
		return nil
	}
	kvs, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		return nil
	}
	out := map[string]hcl.Expression{}
	for _, kv := range kvs {
		k, ok := staticValue(kv.Key)
		if !ok || !k.IsKnown() || k.Type() != cty.String {
			// an unquoted HCL key is a traversal
			if t, d2 := hcl.AbsTraversalForExpr(kv.Key); !d2.HasErrors() && len(t) == 1 {
				out[t.RootName()] = kv.Value
			}
			continue
		}
		out[k.AsString()] = kv.Value
	}
	return out
}

var (
	pkFileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "source", LabelNames: []string{"type", "name"}},
		{Type: "build"},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "local", LabelNames: []string{"name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "packer"},
		{Type: "variables"},
	}}
	pkSourceSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "ami_name"}, {Name: "communicator"}, {Name: "source_ami"}, {Name: "image_name"}, {Name: "vm_name"},
			{Name: "instance_type"}, {Name: "spot_price"}, {Name: "spot_instance_types"}, {Name: "name"}},
		Blocks: []hcl.BlockHeaderSchema{{Type: "source_ami_filter"}, {Type: "ami_block_device_mappings"}, {Type: "filters"}},
	}
	pkBuildSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "name"}, {Name: "sources"}},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "source", LabelNames: []string{"name"}},
			{Type: "provisioner", LabelNames: []string{"type"}},
			{Type: "error-cleanup-provisioner", LabelNames: []string{"type"}},
			{Type: "post-processor", LabelNames: []string{"type"}},
			{Type: "post-processors"},
		},
	}
	pkProvSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "inline"}, {Name: "script"}, {Name: "scripts"}, {Name: "playbook_file"}, {Name: "playbook_dir"},
		{Name: "role_paths"}, {Name: "source"}, {Name: "sources"}, {Name: "destination"}, {Name: "output"},
		{Name: "direction"}, {Name: "ansible_env_vars"}, {Name: "run_list"}, {Name: "manifest_file"},
	}}
)

// packerReader reads one template: what its provisioners upload is kept, in order, to
// find the scripts a later provisioner runs from the uploaded copy.
type packerReader struct {
	d       *doc
	uploads []pkUpload
}

// pkUpload is a file or folder a file provisioner puts on the build instance.
type pkUpload struct {
	src  string // on the build machine, as written (a trailing slash kept)
	dst  string // on the instance, Packer's interpolations rendered as in commands
	line int
}

// readPackerHCL reads an HCL2 Packer template (native syntax, or JSON syntax for .pkr.json),
// including variables files.
func (d *doc) readPackerHCL(src []byte, name string, jsonSyntax bool) error {
	if err := checkPackerHCL(src, name, jsonSyntax); err != nil {
		return err
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if jsonSyntax {
		f, diags = hcljson.Parse(src, name)
	} else {
		f, diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	}
	if err := diagError(diags); err != nil {
		return err
	}
	if strings.HasSuffix(name, ".pkrvars.hcl") || strings.HasSuffix(name, ".pkrvars.json") {
		attrs, _ := f.Body.JustAttributes()
		for n, at := range attrs {
			if s := strOf(at.Expr, src); s.s != "" {
				d.setVar(n, s)
			}
		}
		d.res.script.Kind = inventory.ScriptPackerVars
		return nil
	}
	pk := &packerReader{d: d}
	content, _, _ := f.Body.PartialContent(pkFileSchema)
	var sources []pkSource
	defined := map[string]bool{} // "amazon-ebs.base"
	builds := 0
	// Variables and locals first: a build may come before the blocks that define what its
	// commands interpolate.
	for _, b := range content.Blocks {
		switch b.Type {
		case "variable":
			attrs, _ := b.Body.JustAttributes()
			if at, ok := attrs["default"]; ok {
				if s := strOf(at.Expr, src); s.s != "" {
					d.setVar(b.Labels[0], s)
				}
			}
		case "locals":
			attrs, _ := b.Body.JustAttributes()
			for n, at := range attrs {
				if s := strOf(at.Expr, src); s.s != "" {
					d.setVar("local."+n, s)
				}
			}
		case "source":
			defined[b.Labels[0]+"."+b.Labels[1]] = true
		}
	}
	for _, b := range content.Blocks {
		switch b.Type {
		case "source":
			sources = append(sources, hclSource(b, src))
		case "data":
			if b.Labels[0] == "amazon-ami" {
				s := hclSource(b, src)
				s.typ, s.amiName = "", strAt{}
				pk.sourceFacts(s)
			}
		case "build":
			builds++
			pk.hclBuild(b, src, defined)
		}
	}
	for _, s := range sources {
		pk.sourceFacts(s)
	}
	if len(sources) == 0 && builds == 0 {
		d.res.script.Kind = inventory.ScriptPackerVars
	}
	return nil
}

func (d *doc) setVar(name string, v strAt) {
	if d.res.vars == nil {
		d.res.vars = map[string][]varItem{}
	}
	d.res.vars[name] = []varItem{{value: v.s, line: v.line}}
}

func hclSource(b *hcl.Block, src []byte) pkSource {
	s := pkSource{typ: b.Labels[0], name: b.Labels[len(b.Labels)-1], line: b.DefRange.Start.Line}
	c, _, _ := b.Body.PartialContent(pkSourceSchema)
	if at, ok := c.Attributes["ami_name"]; ok {
		s.amiName = strOf(at.Expr, src)
	} else if at, ok := c.Attributes["image_name"]; ok {
		s.amiName = strOf(at.Expr, src)
	}
	if at, ok := c.Attributes["communicator"]; ok {
		s.communicator = strOf(at.Expr, src)
	}
	if at, ok := c.Attributes["source_ami"]; ok {
		s.filters = append(s.filters, strOf(at.Expr, src))
	}
	if at, ok := c.Attributes["name"]; ok {
		// A build's source block names the build it makes of the source.
		if v := strOf(at.Expr, src); v.s != "" {
			s.name = v.s
		}
	}
	if at, ok := c.Attributes["instance_type"]; ok {
		s.instanceTypes = append(s.instanceTypes, strOf(at.Expr, src))
	}
	if at, ok := c.Attributes["spot_price"]; ok {
		s.spotPrice = strOf(at.Expr, src)
	}
	if at, ok := c.Attributes["spot_instance_types"]; ok {
		types := listOf(at.Expr, src)
		s.instanceTypes = append(s.instanceTypes, types...)
		s.spotTypes = strAt{s: strings.TrimSpace(string(at.Expr.Range().SliceBytes(src))), line: at.NameRange.Start.Line}
		if len(types) > 0 {
			s.spotTypes.s = joinStrs(types)
		}
	}
	for _, blk := range c.Blocks {
		switch blk.Type {
		case "source_ami_filter", "filters":
			attrs, _ := blk.Body.JustAttributes()
			if at, ok := attrs["filters"]; ok {
				if e, ok := mapOf(at.Expr)["name"]; ok {
					s.filters = append(s.filters, strOf(e, src))
				}
			}
			if at, ok := attrs["name"]; ok {
				s.filters = append(s.filters, strOf(at.Expr, src))
			}
		case "ami_block_device_mappings":
			attrs, _ := blk.Body.JustAttributes()
			if at, ok := attrs["device_name"]; ok {
				s.devices = append(s.devices, strOf(at.Expr, src))
			}
		}
	}
	if s.typ == "amazon-ami" {
		// data "amazon-ami" puts filters at the top level.
		attrs, _ := b.Body.JustAttributes()
		if at, ok := attrs["filters"]; ok {
			if e, ok := mapOf(at.Expr)["name"]; ok {
				s.filters = append(s.filters, strOf(e, src))
			}
		}
	}
	return s
}

func joinStrs(ss []strAt) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.s
	}
	return strings.Join(out, ",")
}

// buildSource is a source a build block names: source "amazon-ebs.base" { name = "ubuntu" }
// or sources = ["source.amazon-ebs.base"]. Settings in the block override the source's.
func buildSource(label string, line int) (pkSource, bool) {
	label = strings.TrimPrefix(label, "source.")
	typ, name, ok := strings.Cut(label, ".")
	if !ok || typ == "" || name == "" {
		return pkSource{}, false
	}
	return pkSource{typ: typ, name: name, line: line, ref: true}, true
}

func (pk *packerReader) hclBuild(b *hcl.Block, src []byte, defined map[string]bool) {
	d := pk.d
	c, _, _ := b.Body.PartialContent(pkBuildSchema)
	if at, ok := c.Attributes["name"]; ok {
		if s := strOf(at.Expr, src); s.s != "" {
			d.res.script.Name = s.s
			d.res.buildNames = append(d.res.buildNames, s.s)
		}
	}
	if at, ok := c.Attributes["sources"]; ok {
		for _, s := range listOf(at.Expr, src) {
			d.res.buildNames = append(d.res.buildNames, s.s[strings.LastIndexByte(s.s, '.')+1:])
			if bs, ok := buildSource(s.s, s.line); ok && !defined[bs.typ+"."+bs.name] {
				pk.sourceFacts(bs)
			}
		}
	}
	var post func(blocks hcl.Blocks)
	post = func(blocks hcl.Blocks) {
		for _, blk := range blocks {
			switch blk.Type {
			case "provisioner", "error-cleanup-provisioner":
				pk.provisioner(hclProvisioner(blk, src))
			case "post-processor":
				p := pkPost{typ: blk.Labels[0], line: blk.DefRange.Start.Line}
				pc, _, _ := blk.Body.PartialContent(pkProvSchema)
				if at, ok := pc.Attributes["output"]; ok {
					p.output = strOf(at.Expr, src)
				}
				d.postProcessor(p)
			case "post-processors":
				inner, _, _ := blk.Body.PartialContent(pkBuildSchema)
				post(inner.Blocks)
			case "source":
				if len(blk.Labels) == 0 {
					continue
				}
				d.res.buildNames = append(d.res.buildNames, blk.Labels[0][strings.LastIndexByte(blk.Labels[0], '.')+1:])
				bs, ok := buildSource(blk.Labels[0], blk.DefRange.Start.Line)
				if !ok {
					continue
				}
				// What the block sets for this build: its own name, the build instance.
				set := hclSource(&hcl.Block{Type: blk.Type, Labels: []string{bs.typ, bs.name}, Body: blk.Body, DefRange: blk.DefRange}, src)
				set.typ, set.ref = bs.typ, true
				d.res.buildNames = append(d.res.buildNames, set.name)
				if defined[bs.typ+"."+bs.name] {
					// Defined in this file too: the definition gives the image; the block
					// only what it sets.
					set.typ = ""
				}
				pk.sourceFacts(set)
			}
		}
	}
	post(c.Blocks)
}

func hclProvisioner(b *hcl.Block, src []byte) pkProvisioner {
	p := pkProvisioner{typ: b.Labels[0], line: b.DefRange.Start.Line}
	c, _, _ := b.Body.PartialContent(pkProvSchema)
	get := func(n string) hcl.Expression {
		if at, ok := c.Attributes[n]; ok {
			return at.Expr
		}
		return nil
	}
	var files []strAt
	p.inline, files, p.unresolved = commandsOf(get("inline"), src)
	p.scripts = append(p.scripts, files...)
	if e := get("script"); e != nil {
		p.scripts = append(p.scripts, strOf(e, src))
	}
	paths, _, unresolved := commandsOf(get("scripts"), src)
	p.scripts = append(p.scripts, paths...)
	p.unresolved = append(p.unresolved, unresolved...)
	p.playbook = strOf(get("playbook_file"), src)
	p.playbookDir = strOf(get("playbook_dir"), src)
	p.rolePaths = listOf(get("role_paths"), src)
	p.source = strOf(get("source"), src)
	p.sources = listOf(get("sources"), src)
	p.destination = strOf(get("destination"), src)
	p.direction = strOf(get("direction"), src).s
	p.envVars = listOf(get("ansible_env_vars"), src)
	p.runList = listOf(get("run_list"), src)
	p.manifest = strOf(get("manifest_file"), src)
	return p
}

var reWindowsAMI = regexp.MustCompile(`(?i)windows`)
var reGPUAMI = regexp.MustCompile(`(?i)deep ?learning|nvidia|cuda|gpu`)

// amiBuilder reports a builder that produces an AMI, as opposed to a container image, an
// EBS volume or another cloud's image.
func amiBuilder(typ string) bool {
	return strings.HasPrefix(typ, "amazon-") && typ != "amazon-ebsvolume"
}

// rootDevices are the device names an AMI boots from: mapping them resizes the root
// volume, it adds none.
var rootDevices = map[string]bool{"/dev/sda1": true, "/dev/sda": true, "/dev/xvda": true, "/dev/xvda1": true, "/dev/nvme0n1": true}

// sourceFacts records what a builder says: the image it builds, the image it starts from
// and the instance it builds on.
func (pk *packerReader) sourceFacts(s pkSource) {
	d := pk.d
	if s.typ != "" {
		d.res.buildNames = append(d.res.buildNames, s.name, s.typ)
		if d.res.script.Name == "" {
			d.res.script.Name = s.name
		}
		switch {
		case amiBuilder(s.typ):
			if s.amiName.s != "" {
				d.res.script.AMINamePatterns = append(d.res.script.AMINamePatterns, s.amiName.s)
			}
			d.add(inventory.Fact{Kind: inventory.FactImageBuild, Via: s.typ, Name: s.typ + "." + s.name, FactParams: &inventory.FactParams{Image: s.amiName.s}}, s.line)
		case s.typ == "docker":
			d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaPackerBuilder, Name: s.typ}, s.line)
		}
	}
	if c := s.communicator; c.s == "winrm" {
		d.add(inventory.Fact{Kind: inventory.FactWindows, Via: inventory.ViaPackerCommunicator, Name: c.s}, c.line)
	}
	for _, f := range s.filters {
		if reWindowsAMI.MatchString(f.s) {
			d.add(inventory.Fact{Kind: inventory.FactWindows, Via: inventory.ViaPackerSource, FactParams: &inventory.FactParams{Image: f.s}}, f.line)
		}
		if reGPUAMI.MatchString(f.s) {
			d.add(inventory.Fact{Kind: inventory.FactGPU, Via: inventory.ViaPackerSource, FactParams: &inventory.FactParams{Image: f.s}}, f.line)
		}
	}
	for _, dev := range s.devices {
		// A device named by a variable without a value is unknown, not a data volume.
		if name, ok := pk.value(dev); ok && name != "" && !rootDevices[name] {
			d.add(inventory.Fact{Kind: inventory.FactDataVolume, Via: inventory.ViaPackerSource, FactParams: &inventory.FactParams{Device: name}}, dev.line)
		}
	}
	pk.buildInstance(s)
}

// buildInstance records the instance a builder builds on: a GPU instance type says the
// image is made for GPUs (drivers built against the card); a spot build instance says only
// how the image is built, and the fact's detail says so.
func (pk *packerReader) buildInstance(s pkSource) {
	d := pk.d
	for _, it := range s.instanceTypes {
		if t, ok := pk.value(it); ok && inventory.IsAcceleratorType(t) {
			d.add(inventory.Fact{Kind: inventory.FactGPU, Via: inventory.ViaPackerBuilder, Name: t}, it.line)
		}
	}
	var spot inventory.Fact
	line := 0
	if p := s.spotPrice; p.line > 0 {
		// "0" or nothing is an on-demand instance; a price or "auto" is spot. A price held
		// in a variable without a value is unknown.
		if v, ok := pk.value(p); ok && v != "" && v != "0" {
			spot, line = inventory.Fact{Kind: inventory.FactSpot, Via: inventory.ViaPackerBuilder, FactParams: &inventory.FactParams{Key: "spot_price", Value: v}}, p.line
		}
	}
	if t := s.spotTypes; t.line > 0 && t.s != "" && t.s != "[]" && (line == 0 || t.line < line) {
		v, ok := pk.value(t)
		if !ok {
			v = "" // a list held in a variable: spot all the same
		}
		spot, line = inventory.Fact{Kind: inventory.FactSpot, Via: inventory.ViaPackerBuilder, FactParams: &inventory.FactParams{Key: "spot_instance_types", Value: v}}, t.line
	}
	if line > 0 {
		d.add(spot, line)
	}
}

// value is a setting with the template's variables put in, when every one has a value.
func (pk *packerReader) value(v strAt) (string, bool) {
	return packerValue(v.s, pk.d.res.vars)
}

// provisioner records what a provisioner runs on the image and the files it pulls in.
func (pk *packerReader) provisioner(p pkProvisioner) {
	d := pk.d
	for _, u := range p.unresolved {
		d.gap(inventory.GapNotFound, u.line, p.typ+" provisioner commands "+u.s+" are set outside this template: not read")
	}
	switch p.typ {
	case "shell":
		var cl commandList
		size := 0
		for _, c := range p.inline {
			size += len(c.s)
		}
		cl.grow(len(p.inline), size)
		for _, c := range p.inline {
			cl.add(packerShell(c.s, d.res.vars), c.line)
		}
		from := len(d.res.refs)
		d.snippets(&cl, "inline command")
		pk.fromUploads(from)
		for _, s := range p.scripts {
			d.ref(s.s, "shell-provisioner", refRelative, inventory.ScriptShell, s.line)
		}
	case "powershell", "windows-shell":
		d.add(inventory.Fact{Kind: inventory.FactWindows, Via: inventory.ViaPackerProvisioner, Name: p.typ}, p.line)
		for _, c := range p.inline {
			d.readPowerShellLines(c.s, c.line)
		}
		for _, s := range p.scripts {
			d.ref(s.s, p.typ+"-provisioner", refRelative, inventory.ScriptPowerShell, s.line)
		}
	case "windows-restart", "windows-update":
		d.add(inventory.Fact{Kind: inventory.FactWindows, Via: inventory.ViaPackerProvisioner, Name: p.typ}, p.line)
	case "ansible", "ansible-local":
		d.add(inventory.Fact{Kind: inventory.FactAnsibleProvisioner, Via: inventory.ViaPackerProvisioner, Name: p.typ}, p.line)
		if p.playbook.s != "" {
			d.ref(p.playbook.s, "ansible-provisioner", refRelative, inventory.ScriptAnsiblePlay, p.playbook.line)
		}
		// role_paths are role folders uploaded beside the playbook: they are what the
		// playbook's roles run. playbook_dir is a folder uploaded for the playbook; what
		// runs from it is what the playbook pulls in, which its own references say.
		for _, r := range p.rolePaths {
			d.ref(r.s, "role-path", refDir, "", r.line)
		}
		for _, e := range p.envVars {
			if v, ok := strings.CutPrefix(strings.TrimSpace(e.s), "ANSIBLE_ROLES_PATH="); ok && p.playbook.s != "" {
				// Relative to where Packer runs, which the template does not say: any
				// playbook of the scan may take its roles from there.
				d.res.roleSearch = append(d.res.roleSearch, roleSearch{
					dirs: strings.Split(v, ":"), base: path.Dir(d.res.script.Path), from: d.res.script.Path,
				})
			}
		}
	case "file":
		if p.direction == "download" {
			break // from the instance to the build machine: nothing is put on the image
		}
		srcs := p.sources
		if p.source.s != "" {
			srcs = append([]strAt{p.source}, srcs...)
		}
		for _, s := range srcs {
			d.ref(s.s, "file-provisioner", refRelative, "", s.line)
			if p.destination.s == "" {
				continue
			}
			dst := packerShell(p.destination.s, d.res.vars)
			if len(p.sources) > 0 {
				dst = strings.TrimSuffix(dst, "/") + "/" // several sources go into a folder
			}
			pk.uploads = append(pk.uploads, pkUpload{src: s.s, dst: dst, line: s.line})
		}
		if p.destination.s != "" {
			d.write(fileWrite{target: p.destination.s, line: p.destination.line})
		}
	case "chef-solo", "chef-client", "puppet-masterless", "puppet-server", "salt-masterless", "converge":
		d.add(inventory.Fact{Kind: inventory.FactConfigMgmt, Via: inventory.ViaPackerProvisioner, Name: p.typ}, p.line)
		if p.typ == "chef-solo" {
			// The run list the image is built with: the recipes of the cookbooks uploaded.
			for _, e := range p.runList {
				d.chefRunList(e.s, e.line, "chef-solo-provisioner")
			}
		}
		if m := p.manifest; p.typ == "puppet-masterless" && m.s != "" {
			if strings.HasSuffix(m.s, ".pp") {
				d.ref(m.s, "puppet-masterless-provisioner", refRelative, inventory.ScriptPuppetManifest, m.line)
			} else {
				d.ref(m.s, "puppet-masterless-provisioner", refDir, inventory.ScriptPuppetManifest, m.line) // a folder of manifests
			}
		}
	}
}

// fromUploads turns the scripts that commands from refs[from:] run on the instance into the
// files a file provisioner uploaded them from: "sudo bash /tmp/scripts/install.sh" after
// uploading scripts/ to /tmp runs scripts/install.sh of the repository. A path no upload
// covers is left to be matched by its trailing components.
func (pk *packerReader) fromUploads(from int) {
	refs := pk.d.res.refs
	for i := from; i < len(refs); i++ {
		r := &refs[i]
		if r.mode != refSuffix || len(pk.uploads) == 0 {
			continue
		}
		locals, sure := pk.uploaded(r.target)
		if len(locals) == 0 {
			continue
		}
		r.instance, r.quiet = r.target, !sure
		r.target, r.also, r.mode = locals[0], locals[1:], refRelative
	}
}

// uploaded returns the files on the build machine a path on the instance may have been
// uploaded from, latest upload first. A relative path (run after a cd the reader does not
// follow) is tried in every uploaded folder; sure is false then, so that a miss is no gap.
func (pk *packerReader) uploaded(t string) (locals []string, sure bool) {
	add := func(p string) {
		if p = path.Clean(p); p != "." && !contains(locals, p) {
			locals = append(locals, p)
		}
	}
	rel := !strings.HasPrefix(t, "/")
	t = path.Clean(t)
	for i := len(pk.uploads) - 1; i >= 0; i-- {
		u := pk.uploads[i]
		into := strings.HasSuffix(u.dst, "/")
		dst := path.Clean(u.dst)
		contents := strings.HasSuffix(u.src, "/") // a folder's contents, not the folder
		src := strings.TrimSuffix(u.src, "/")
		base := path.Base(src)
		switch {
		case rel:
			add(path.Join(src, t))
			if r, ok := strings.CutPrefix(t, base+"/"); ok {
				add(path.Join(src, r))
			}
		case t == dst && !into:
			add(src) // a file uploaded under its own name
		case t == path.Join(dst, base) && !contents:
			add(src) // a file uploaded into a folder
		case strings.HasPrefix(t, dst+"/"):
			rest := t[len(dst)+1:]
			if r, ok := strings.CutPrefix(rest, base+"/"); ok && !contents {
				add(path.Join(src, r)) // the folder uploaded into dst, as Packer does
			}
			add(path.Join(src, rest)) // its contents uploaded into dst
		}
	}
	return locals, !rel
}

func (d *doc) postProcessor(p pkPost) {
	switch p.typ {
	case "manifest":
		out := p.output.s
		if out == "" {
			out = "packer-manifest.json"
		}
		d.res.manifestOutputs = append(d.res.manifestOutputs, out)
	case "docker-tag", "docker-push", "docker-import", "docker-save":
		d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaPackerPost, Name: p.typ}, p.line)
	case "amazon-import":
		// A disk image built elsewhere (qemu, vmware) imported as an AMI.
		d.add(inventory.Fact{Kind: inventory.FactImageBuild, Via: inventory.ViaPackerPost, Name: p.typ}, p.line)
	}
}

// readPackerJSON reads a legacy JSON template: builders, provisioners, post-processors,
// variables. Each fact is cited at its key's line: a builder or provisioner at its "type".
func (d *doc) readPackerJSON(src []byte, name string) error {
	root, err := parseJSON(src, name)
	if err != nil {
		return err
	}
	d.readPackerTree(root)
	return nil
}

// readPackerTree reads a legacy Packer template, parsed from JSON or from YAML.
func (d *doc) readPackerTree(root *jsonVal) {
	pk := &packerReader{d: d}
	top := root.fields()
	for k, v := range top["variables"].fields() {
		if s := v.str(); s.s != "" {
			d.setVar(k, s)
		}
	}
	for _, b := range top["builders"].items() {
		m := b.fields()
		s := pkSource{line: b.keyLine("type")}
		s.typ = m["type"].str().s
		s.name = m["name"].str().s
		if n, ok := packerValue(s.name, d.res.vars); ok {
			s.name = n // "{{user `build_name`}}" is the build its default names
		}
		if s.name == "" {
			s.name = s.typ
		}
		s.amiName = m["ami_name"].str()
		if s.amiName.s == "" {
			s.amiName = m["image_name"].str()
		}
		s.communicator = m["communicator"].str()
		if e, ok := m["source_ami"]; ok {
			s.filters = append(s.filters, e.str())
		}
		if f := m["source_ami_filter"].fields(); f != nil {
			if e, ok := f["filters"].fields()["name"]; ok {
				s.filters = append(s.filters, e.str())
			}
		}
		for _, bd := range m["ami_block_device_mappings"].items() {
			s.devices = append(s.devices, bd.fields()["device_name"].str())
		}
		if e, ok := m["instance_type"]; ok {
			s.instanceTypes = append(s.instanceTypes, e.str())
		}
		if e, ok := m["spot_price"]; ok {
			s.spotPrice = e.str()
		}
		if e, ok := m["spot_instance_types"]; ok {
			types := e.list()
			s.instanceTypes = append(s.instanceTypes, types...)
			s.spotTypes = strAt{s: joinStrs(types), line: b.keyLine("spot_instance_types")}
		}
		pk.sourceFacts(s)
	}
	for _, pe := range top["provisioners"].items() {
		m := pe.fields()
		p := pkProvisioner{typ: m["type"].str().s, line: pe.keyLine("type")}
		p.inline = m["inline"].list()
		if e, ok := m["script"]; ok {
			p.scripts = append(p.scripts, e.str())
		}
		p.scripts = append(p.scripts, m["scripts"].list()...)
		p.playbook = m["playbook_file"].str()
		p.playbookDir = m["playbook_dir"].str()
		p.rolePaths = m["role_paths"].list()
		p.source = m["source"].str()
		p.sources = m["sources"].list()
		p.destination = m["destination"].str()
		p.direction = m["direction"].str().s
		p.envVars = m["ansible_env_vars"].list()
		p.runList = m["run_list"].list()
		p.manifest = m["manifest_file"].str()
		pk.provisioner(p)
	}
	var posts func(e *jsonVal)
	posts = func(e *jsonVal) {
		for _, it := range e.items() {
			if s := it.str(); s.s != "" {
				d.postProcessor(pkPost{typ: s.s, line: s.line})
				continue
			}
			if inner := it.items(); inner != nil {
				posts(it)
				continue
			}
			m := it.fields()
			d.postProcessor(pkPost{typ: m["type"].str().s, line: it.keyLine("type"), output: m["output"].str()})
		}
	}
	posts(top["post-processors"])
}

// readManifest reads a Packer manifest.json: each build's artifact_id is
// "region:ami-…[,region:ami-…]".
func (d *doc) readManifest(src []byte, name string) error {
	root, err := parseJSON(src, name)
	if err != nil {
		return err
	}
	for _, b := range root.fields()["builds"].items() {
		m := b.fields()
		build := m["name"].str().s
		id := m["artifact_id"].str()
		for _, part := range strings.Split(id.s, ",") {
			region, ami, ok := strings.Cut(strings.TrimSpace(part), ":")
			if !ok || !strings.HasPrefix(ami, "ami-") {
				continue
			}
			d.res.script.Artifacts = append(d.res.script.Artifacts, inventory.Artifact{
				Region: region, ImageID: ami, BuildName: build,
				Evidence: inventory.Evidence{File: d.file, Line: id.line, Excerpt: d.excerpt(id.line)},
			})
		}
		if build != "" {
			d.res.buildNames = append(d.res.buildNames, build)
		}
	}
	if d.res.script.Name == "" && len(d.res.buildNames) > 0 {
		d.res.script.Name = d.res.buildNames[0]
	}
	return nil
}

// staticValue evaluates expr without variables; ok is false when that fails, and when expr
// multiplies a chain of numbers, which is not evaluated: each product or quotient adds a
// literal's exponent to the number's, and a template writes every digit of the result
// (1e-400 multiplied two hundred times is 80,000 digits and 2 s). One product is evaluated.
func staticValue(expr hcl.Expression) (cty.Value, bool) {
	if products(expr) > 1 {
		return cty.NilVal, false
	}
	v, diags := expr.Value(nil)
	return v, !diags.HasErrors()
}

// products counts the products and quotients expr computes, as written. (A string of HCL's
// JSON syntax evaluated without a context is kept as written: it computes nothing.)
func products(expr hcl.Expression) int {
	n := 0
	if e, ok := expr.(hclsyntax.Expression); ok {
		hclsyntax.VisitAll(e, func(node hclsyntax.Node) hcl.Diagnostics {
			if b, ok := node.(*hclsyntax.BinaryOpExpr); ok && (b.Op == hclsyntax.OpMultiply || b.Op == hclsyntax.OpDivide) {
				n++
			}
			return nil
		})
	}
	return n
}

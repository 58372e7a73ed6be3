package iac

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	ctyyaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"whyk8s/internal/limits"
)

// functions is the Terraform function library as far as real provisioning code needs it:
// cty's standard library under Terraform's names, plus file, templatefile and the base64
// family written here because they read files relative to the root module. A function not
// listed makes its expression unknown, with the reason, never a wrong value.
func (rt *tfRoot) functions() map[string]function.Function {
	if rt.funcs != nil {
		return rt.funcs
	}
	f := map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc, "log": stdlib.LogFunc,
		"max": stdlib.MaxFunc, "min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc,
		"signum": stdlib.SignumFunc,
		"chomp":  stdlib.ChompFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
		"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc,
		"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "replace": stdlib.ReplaceFunc,
		"split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc, "title": stdlib.TitleFunc,
		"trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc,
		"trimspace": stdlib.TrimSpaceFunc,
		"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
		"compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc,
		"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc,
		"index": stdlib.IndexFunc, "keys": stdlib.KeysFunc, "length": stdlib.LengthFunc, "merge": stdlib.MergeFunc,
		"range": rangeFunc, "reverse": stdlib.ReverseListFunc, "setproduct": stdlib.SetProductFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
		"setunion": stdlib.SetUnionFunc, "setintersection": stdlib.SetIntersectionFunc, "setsubtract": stdlib.SetSubtractFunc,
		"csvdecode": stdlib.CSVDecodeFunc, "jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc,
		"formatdate": stdlib.FormatDateFunc, "timeadd": stdlib.TimeAddFunc,
		"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tobool": stdlib.MakeToFunc(cty.Bool), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
		"lookup": lookupFunc, "one": oneFunc,
		"yamlencode": ctyyaml.YAMLEncodeFunc, "yamldecode": ctyyaml.YAMLDecodeFunc,
		"alltrue": boolsFunc(true), "anytrue": boolsFunc(false), "sum": sumFunc,
		// Terraform 0.11's list() and map(), removed in 0.12 but in much code still read.
		"list": listFunc, "map": mapFunc,
		"timestamp": whenRunFunc("timestamp(): the time Terraform runs"), "uuid": whenRunFunc("uuid(): a value chosen when Terraform runs"),
		"sensitive": identityFunc, "nonsensitive": identityFunc,
		"base64encode": stringFunc(func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil }),
		"base64decode": stringFunc(func(s string) (string, error) {
			b, err := base64.StdEncoding.DecodeString(s)
			return string(b), err
		}),
		"base64gzip": stringFunc(func(s string) (string, error) {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			if _, err := zw.Write([]byte(s)); err != nil {
				return "", err
			}
			if err := zw.Close(); err != nil {
				return "", err
			}
			return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
		}),
		"basename":   stringFunc(func(s string) (string, error) { return path.Base(filepath.ToSlash(s)), nil }),
		"dirname":    stringFunc(func(s string) (string, error) { return path.Dir(filepath.ToSlash(s)), nil }),
		"abspath":    stringFunc(func(s string) (string, error) { return s, nil }),
		"pathexpand": stringFunc(func(s string) (string, error) { return s, nil }),
		"startswith": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "s", Type: cty.String}, {Name: "prefix", Type: cty.String}},
			Type:   function.StaticReturnType(cty.Bool),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				return cty.BoolVal(strings.HasPrefix(args[0].AsString(), args[1].AsString())), nil
			},
		}),
		"endswith": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "s", Type: cty.String}, {Name: "suffix", Type: cty.String}},
			Type:   function.StaticReturnType(cty.Bool),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				return cty.BoolVal(strings.HasSuffix(args[0].AsString(), args[1].AsString())), nil
			},
		}),
		"strcontains": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "s", Type: cty.String}, {Name: "substr", Type: cty.String}},
			Type:   function.StaticReturnType(cty.Bool),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				return cty.BoolVal(strings.Contains(args[0].AsString(), args[1].AsString())), nil
			},
		}),
	}
	f["file"] = stringFunc(func(p string) (string, error) {
		b, err := rt.readFile(p)
		return string(b), err
	})
	f["filebase64"] = stringFunc(func(p string) (string, error) {
		b, err := rt.readFile(p)
		return base64.StdEncoding.EncodeToString(b), err
	})
	f["fileexists"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			_, err := rt.readFile(args[0].AsString())
			return cty.BoolVal(err == nil), nil
		},
	})
	f["templatefile"] = function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowMarked: true, AllowNull: true},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return rt.templatefile(args[0].AsString(), args[1])
		},
	})
	f["cidrhost"], f["cidrsubnet"], f["cidrnetmask"] = cidrHostFunc, cidrSubnetFunc, cidrNetmaskFunc
	// Terraform's other functions are known by name: a call to one is an unknown value with
	// its reason, so the object or template around it (a templatefile's variables) is
	// still read. A name Terraform does not know stays an error.
	for _, name := range terraformOnly {
		if _, ok := f[name]; !ok {
			f[name] = notEvaluated(name)
		}
	}
	rt.funcs = rt.meter.meterFunctions(f)
	// A template may call every function but templatefile, as in Terraform: a template
	// that renders itself would never end.
	rt.tmplFuncs = make(map[string]function.Function, len(rt.funcs))
	for n, fn := range rt.funcs {
		rt.tmplFuncs[n] = fn
	}
	rt.tmplFuncs["templatefile"] = function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowMarked: true, AllowNull: true, AllowDynamicType: true},
		Type:     function.StaticReturnType(cty.String),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.NilVal, errors.New("templatefile cannot be called from a template templatefile renders, as in Terraform")
		},
	})
	return rt.funcs
}

// templateFunctions are the functions a rendered template may call.
func (rt *tfRoot) templateFunctions() map[string]function.Function {
	rt.functions()
	return rt.tmplFuncs
}

var identityFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowMarked: true}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

// lookupFunc is Terraform's lookup, whose default is optional (cty's is not). A null
// default where the key is not in the map is how code leaves a setting to whoever fills
// the map: what the argument is depends on a map this code does not fill, so it is unknown
// with that reason, not "not set".
var lookupFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "map", Type: cty.DynamicPseudoType}, {Name: "key", Type: cty.String}},
	// The default is often a bare null, which is dynamically typed: without
	// AllowDynamicType cty would not call the function at all and answer "unknown".
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowNull: true, AllowDynamicType: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		key := args[1].AsString()
		if v := attr(args[0], key); !v.IsNull() {
			return v, nil
		}
		if len(args) > 2 {
			if args[2].IsNull() {
				return unknownBecause(fmt.Sprintf("lookup(…, null): %q is not in the map, so the value is left to what fills it", key)), nil
			}
			return args[2], nil
		}
		return cty.NilVal, fmt.Errorf("no key %q in the map and no default", key)
	},
})

var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		es := elements(args[0])
		switch len(es) {
		case 0:
			return cty.NullVal(cty.DynamicPseudoType), nil
		case 1:
			return es[0], nil
		}
		return cty.NilVal, errors.New("more than one element")
	},
})

func stringFunc(fn func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "s", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := fn(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(s), nil
		},
	})
}

// readFile reads a file named relative to the root module, as Terraform does. Only files
// inside the folders being read are opened: the code decides which file, not the reader.
func (rt *tfRoot) readFile(p string) ([]byte, error) {
	if filepath.IsAbs(p) {
		return nil, fmt.Errorf("%s: absolute paths are not read", p)
	}
	rel := path.Clean(path.Join(rt.dir, filepath.ToSlash(p)))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return nil, fmt.Errorf("%s is outside the folders read", p)
	}
	return rt.tree.readText(rel)
}

// templatefile renders a template file with the variables given. Placeholders whose value
// is not known are kept as written and the result is marked with why, so that user data
// with one unresolved ${db_host} still shows everything else.
func (rt *tfRoot) templatefile(p string, vars cty.Value) (cty.Value, error) {
	src, err := rt.readFile(p)
	if err != nil {
		return cty.NilVal, err
	}
	return rt.renderTemplate(src, path.Clean(path.Join(rt.dir, filepath.ToSlash(p))), vars)
}

// renderTemplate renders template text with the variables given, as templatefile does
// (and the template provider's data "template_file"); name names it in messages.
func (rt *tfRoot) renderTemplate(src []byte, name string, vars cty.Value) (cty.Value, error) {
	parsed, err := parseTemplateText(src, name)
	if err != nil {
		if limits.IsLimit(err) {
			rt.b.gaps = append(rt.b.gaps, limitGap(name, err))
		}
		return cty.NilVal, err
	}
	expr := parsed
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: rt.templateFunctions()}
	if keys, vals := keyed(vars); len(keys) > 0 {
		for _, k := range keys {
			ctx.Variables[k] = vals[k]
		}
	}
	v, diags := expr.Value(ctx)
	rt.meter.check(func() place { return place{path: name, line: 1} })
	rt.meter.noticeDiags(diags)
	if err := rt.meter.budget.Err(); err != nil {
		return cty.NilVal, err
	}
	if !diags.HasErrors() && isKnown(v) {
		if s, ok := asString(v); ok {
			return cty.StringVal(s).WithMarks(marksOf(v)), nil
		}
	}
	tmpl, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok {
		if diags.HasErrors() {
			return cty.NilVal, fmt.Errorf("%s: %s", name, diagText(diags[0]))
		}
		return v, nil
	}
	var sb strings.Builder
	var marks []cty.ValueMarks
	for _, part := range tmpl.Parts {
		pv, pd := part.Value(ctx)
		if s, ok := asString(pv); ok && !pd.HasErrors() && isKnown(pv) {
			sb.WriteString(s)
			continue
		}
		r := part.Range()
		sb.WriteString("${" + string(src[r.Start.Byte:r.End.Byte]) + "}")
		if pd.HasErrors() {
			marks = append(marks, cty.NewValueMarks(reason(name+": "+diagText(pd[0]))))
		} else {
			marks = append(marks, marksOf(pv))
		}
	}
	out := cty.StringVal(sb.String())
	for _, m := range marks {
		out = out.WithMarks(m)
	}
	return out, nil
}

func marksOf(v cty.Value) cty.ValueMarks {
	_, m := v.UnmarkDeep()
	return m
}

// maxRange caps range(): code that asks for a billion elements describes no estate, and
// the reader must not spend its memory finding that out.
const maxRange = 10000

var rangeFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "params", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.Number)),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		var f [3]float64
		for i, a := range args {
			if i < 3 {
				f[i], _ = a.AsBigFloat().Float64()
			}
		}
		n := f[0]
		switch len(args) {
		case 2:
			n = f[1] - f[0]
		case 3:
			if f[2] != 0 {
				n = (f[1] - f[0]) / f[2]
			}
		}
		if n > maxRange || n < -maxRange {
			return cty.NilVal, fmt.Errorf("range of more than %d elements", maxRange)
		}
		return stdlib.RangeFunc.Call(args)
	},
})

// boolsFunc is alltrue (all true, and true for none) or anytrue (any true).
func boolsFunc(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			for _, e := range elements(args[0]) {
				b, ok := asBool(e)
				if !ok || !isKnown(e) {
					return cty.UnknownVal(cty.Bool), nil
				}
				if b != all {
					return cty.BoolVal(!all), nil
				}
			}
			return cty.BoolVal(all), nil
		},
	})
}

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		total := cty.Zero
		for _, e := range elements(args[0]) {
			n, err := convert.Convert(plain(e), cty.Number)
			if err != nil {
				return cty.NilVal, err
			}
			if !n.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			total = total.Add(n)
		}
		return total, nil
	},
})

var listFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if len(args) == 0 {
			return cty.EmptyTupleVal, nil
		}
		return cty.TupleVal(args), nil
	},
})

var mapFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if len(args)%2 != 0 {
			return cty.NilVal, errors.New("map() takes pairs of keys and values")
		}
		out := map[string]cty.Value{}
		for i := 0; i < len(args); i += 2 {
			k, ok := asString(args[i])
			if !ok {
				return cty.NilVal, errors.New("map(): a key is not known")
			}
			out[k] = args[i+1]
		}
		return cty.ObjectVal(out), nil
	},
})

// whenRunFunc is a function whose value is chosen when Terraform runs.
func whenRunFunc(why string) function.Function {
	return function.New(&function.Spec{
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return unknownBecause(why), nil },
	})
}

package iac

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"whyk8s/internal/limits"
	"whyk8s/inventory"
)

// Every text handed to a parser here has passed limits first (see internal/limits): a
// file nested deeper than limits.Depth, or holding more than limits.Tokens tokens, is one
// gap of kind "limit" naming the file, the line and the limit, and is not parsed.

// limitGap is the gap for a file refused by a limits check.
func limitGap(rel string, err error) inventory.CoverageGap {
	g := inventory.CoverageGap{Path: rel, Kind: inventory.GapLimit, Message: err.Error() + "; not read"}
	var le *limits.Error
	if errors.As(err, &le) {
		g.Line = le.Line
	}
	return g
}

// checkFile checks a file of the tree before it is parsed, by its kind.
func checkFile(f *sourceFile) error {
	switch f.kind {
	case kindTF, kindTFVars, kindHCL:
		return limits.HCL(f.src, f.rel, limits.Depth, limits.Tokens)
	case kindTFJSON, kindTFVarsJSON:
		return limits.HCLJSON(f.src, f.rel, limits.Depth, limits.Tokens)
	}
	return nil
}

// parseTemplateText parses template text (a file templatefile() renders, the template of a
// data "template_file") within the limits, hooked for the meter.
func parseTemplateText(src []byte, name string) (hclsyntax.Expression, error) {
	if err := limits.HCLTemplate(src, name, limits.Depth, limits.Tokens); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	expr, diags := hclsyntax.ParseTemplate(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %s", name, diagText(diags[0]))
	}
	hookExpr(expr)
	return expr, nil
}

// hookBody puts the meter's hooks into a parsed configuration body (see hookNode).
func hookBody(body hcl.Body) {
	if sb, ok := body.(*hclsyntax.Body); ok {
		hclsyntax.VisitAll(sb, hookNode)
	}
}

func hookExpr(expr hclsyntax.Expression) {
	hclsyntax.VisitAll(expr, hookNode)
}

// hookNode wraps what builds in a for expression or a template in calls to the meter's
// hook functions: the collection of a for (its length is the iterations to come), its key
// and value (their size, each iteration), and each interpolated part of a template (its
// length, before the parts are joined). The calls have the range of what they wrap, so
// messages and excerpts read the same; code that inspects templates part by part looks
// through them with unhook.
func hookNode(n hclsyntax.Node) hcl.Diagnostics {
	switch x := n.(type) {
	case *hclsyntax.ForExpr:
		x.CollExpr = hookCall(hookEach, x.CollExpr)
		if x.KeyExpr != nil {
			x.KeyExpr = hookCall(hookItem, x.KeyExpr)
		}
		x.ValExpr = hookCall(hookItem, x.ValExpr)
	case *hclsyntax.TemplateExpr:
		for i, p := range x.Parts {
			if _, lit := p.(*hclsyntax.LiteralValueExpr); !lit {
				x.Parts[i] = hookCall(hookPart, p)
			}
		}
	}
	return nil
}

func hookCall(name string, e hclsyntax.Expression) hclsyntax.Expression {
	if c, ok := e.(*hclsyntax.FunctionCallExpr); ok && strings.HasPrefix(c.Name, "__whyk8s_") {
		return e
	}
	r := e.Range()
	return &hclsyntax.FunctionCallExpr{Name: name, Args: []hclsyntax.Expression{e}, NameRange: r, OpenParenRange: r, CloseParenRange: r}
}

// unhook is the expression a hook wraps, or e.
func unhook(e hcl.Expression) hcl.Expression {
	if c, ok := e.(*hclsyntax.FunctionCallExpr); ok && strings.HasPrefix(c.Name, "__whyk8s_") && len(c.Args) == 1 {
		return c.Args[0]
	}
	return e
}

// passHooks are the hooks as functions that pass their argument through: what a static
// evaluation (a default, a tfvars value, a module source) needs, since literals cannot
// build more than is written; but for a number, which a product of products makes too large
// to write out, so a template part is checked.
var passHooks = map[string]function.Function{hookEach: passHook(nil), hookItem: passHook(nil), hookPart: passHook(renderable)}

// staticCtx evaluates what needs no variables: no references and no functions, as a nil
// context, but with the hooks the syntax trees carry.
var staticCtx = &hcl.EvalContext{Functions: passHooks}

// staticValue is an expression's value without variables or functions. A JSON expression
// is evaluated with no context at all, which keeps its strings as written.
func staticValue(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	if hcljson.IsJSONExpression(expr) {
		return expr.Value(nil)
	}
	return expr.Value(staticCtx)
}

// native is an expression of HCL's JSON syntax as the native expression it stands for,
// hooked for the meter: hcl/json parses and evaluates the templates in its strings as it
// goes, out of the meter's sight. Arrays are tuples, objects objects (their keys
// templates too), strings templates, as hcl/json evaluates them. Anything else is e.
func (t *tree) native(e hcl.Expression) hcl.Expression {
	if !hcljson.IsJSONExpression(e) {
		return e
	}
	if n, ok := t.natives[e]; ok {
		return n
	}
	var n hcl.Expression = e
	if x := nativeOf(e); x != nil {
		n = x
	}
	if t.natives == nil {
		t.natives = map[hcl.Expression]hcl.Expression{}
	}
	t.natives[e] = n
	return n
}

func nativeOf(e hcl.Expression) hclsyntax.Expression {
	rng := e.Range()
	if list, diags := hcl.ExprList(e); !diags.HasErrors() {
		out := &hclsyntax.TupleConsExpr{SrcRange: rng, OpenRange: e.StartRange()}
		for _, el := range list {
			n := nativeOf(el)
			if n == nil {
				return nil
			}
			out.Exprs = append(out.Exprs, n)
		}
		return out
	}
	if pairs, diags := hcl.ExprMap(e); !diags.HasErrors() {
		out := &hclsyntax.ObjectConsExpr{SrcRange: rng, OpenRange: e.StartRange()}
		for _, kv := range pairs {
			k, v := nativeOf(kv.Key), nativeOf(kv.Value)
			if k == nil || v == nil {
				return nil
			}
			out.Items = append(out.Items, hclsyntax.ObjectConsItem{KeyExpr: &hclsyntax.ObjectConsKeyExpr{Wrapped: k, ForceNonLiteral: true}, ValueExpr: v})
		}
		return out
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() {
		return nil
	}
	if v.Type() != cty.String || v.IsNull() {
		return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: rng}
	}
	// As hcl/json does: the string's text from just after its opening quote.
	start := hcl.Pos{Line: rng.Start.Line, Column: rng.Start.Column + 1, Byte: rng.Start.Byte + 1}
	expr, diags := hclsyntax.ParseTemplate([]byte(v.AsString()), rng.Filename, start)
	if diags.HasErrors() {
		return nil
	}
	hookExpr(expr)
	return expr
}

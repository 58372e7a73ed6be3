package iac

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// data "ct_config" (the poseidon/ct provider) transpiles a Butane config — Fedora CoreOS or
// Flatcar — to the Ignition JSON an instance gets as user data. Its rendered attribute is
// given here as the Butane it was given: the same units, files and file systems, which the
// user data reader reads either way, cited where the Butane is written. Snippets merged in
// from other expressions are not joined: a config they add to is still this one.

var ctConfigSchema = &schema{attrs: []string{"content", "strict", "pretty_print", "snippets", "platform"}}

// ctConfigContent is a ct_config block's decoded arguments and its content argument (nil
// when it has none), for its value and for its places alike.
func (m *tfModule) ctConfigContent(def *tfResourceDef) (*tfProps, *hcl.Attribute) {
	at := place{path: def.block.DefRange.Filename, line: def.block.DefRange.Start.Line}
	p := m.decode(def.block.Body, ctConfigSchema, nil, joinAddr(m.addr, "data."+def.key()), at)
	return p, p.attrs["content"]
}

// ctConfigData is the value of a ct_config data block: its content, as rendered.
func (m *tfModule) ctConfigData(def *tfResourceDef) cty.Value {
	key := "data." + def.key()
	return m.memo.get(key, func() cty.Value {
		addr := joinAddr(m.addr, key)
		if def.count != nil || def.forEach != nil {
			return unknownBecause(addr + " with count or for_each is not rendered")
		}
		p, a := m.ctConfigContent(def)
		if a == nil {
			return unknownBecause(addr + " has no content")
		}
		content := p.m.eval(a.Expr, p.extra)
		if !isKnown(content) {
			content = p.m.partial(a.Expr, p.extra, content)
		}
		s, ok := asString(content)
		if !ok || !isKnown(content) {
			why := reasonsOf(content)
			if len(why) == 0 {
				why = []string{"its content is not known"}
			}
			return unknownBecause(addr + ": " + strings.Join(why, "; "))
		}
		at := place{path: def.block.DefRange.Filename, line: def.block.DefRange.Start.Line}
		rendered := cty.StringVal(s).WithMarks(marksOf(content))
		return cty.ObjectVal(map[string]cty.Value{"id": identityVal(m.evidence(at, addr), addr), "rendered": rendered})
	})
}

// ctConfigSpans renders data.ct_config.NAME.rendered with places: the content where it is
// written.
func (e tfEnv) ctConfigSpans(name string, depth int) (*spanText, bool) {
	def := e.m.def.data["ct_config."+name]
	if def == nil || def.count != nil || def.forEach != nil {
		return nil, false
	}
	if _, a := e.m.ctConfigContent(def); a != nil {
		return render(tfEnv{m: e.m}, a.Expr, depth+1)
	}
	return nil, false
}

package iac

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// data "cloudinit_config" (and the template provider's "template_cloudinit_config", which
// much 0.11-era code uses) assembles user data from parts: a MIME multipart document, one
// part per block, as the cloudinit provider writes it. Its rendered attribute is given here
// as that document in plain text — what the instance gets once the gzip and base64 the
// provider may apply are undone — so that the user data reader reads each part.

var cloudinitSchema = &schema{
	attrs:  []string{"gzip", "base64_encode", "boundary"},
	blocks: map[string]*schema{"part": {attrs: []string{"content_type", "content", "filename", "merge_type"}}},
}

// cloudinitBoundary is the provider's default boundary.
const cloudinitBoundary = "MIMEBOUNDARY"

// cloudinitPart is one part as evaluated, with where its content is written.
type cloudinitPart struct {
	header  string
	content cty.Value
	expr    hcl.Expression // the content argument
	at      place          // the part block
}

// cloudinitParts evaluates the parts of a cloud-init config data block.
func (m *tfModule) cloudinitParts(def *tfResourceDef, extra map[string]cty.Value) (boundary string, parts []cloudinitPart) {
	at := place{path: def.block.DefRange.Filename, line: def.block.DefRange.Start.Line}
	p := m.decode(def.block.Body, cloudinitSchema, extra, "data."+def.key(), at)
	boundary = cloudinitBoundary
	if b, _, ok := p.get("boundary"); ok {
		if s, ok := asString(b); ok && isKnown(b) && s != "" {
			boundary = s
		}
	}
	for _, sub := range p.blocks["part"] {
		pp, ok := sub.(*tfProps)
		if !ok {
			continue
		}
		ct := "text/plain"
		if v, _, ok := pp.get("content_type"); ok {
			if s, ok := asString(v); ok && isKnown(v) && s != "" {
				ct = s
			}
		}
		var h strings.Builder
		h.WriteString("Content-Transfer-Encoding: 7bit\nContent-Type: " + ct + "\nMime-Version: 1.0\n")
		if v, _, ok := pp.get("filename"); ok {
			if s, ok := asString(v); ok && isKnown(v) && s != "" {
				h.WriteString("Content-Disposition: attachment; filename=" + strconv.Quote(s) + "\n")
			}
		}
		if v, _, ok := pp.get("merge_type"); ok {
			if s, ok := asString(v); ok && isKnown(v) && s != "" {
				h.WriteString("X-Merge-Type: " + s + "\n")
			}
		}
		part := cloudinitPart{header: h.String(), content: cty.StringVal(""), at: pp.where()}
		if a := pp.attrs["content"]; a != nil {
			part.expr = a.Expr
			part.content = pp.m.eval(a.Expr, pp.extra)
			if !isKnown(part.content) {
				part.content = pp.m.partial(a.Expr, pp.extra, part.content)
			}
		}
		parts = append(parts, part)
	}
	return boundary, parts
}

// cloudinitData is the value of a cloud-init config data block: its rendered document.
func (m *tfModule) cloudinitData(def *tfResourceDef) cty.Value {
	key := "data." + def.key()
	return m.memo.get(key, func() cty.Value {
		addr := joinAddr(m.addr, key)
		if def.count != nil || def.forEach != nil {
			return unknownBecause(addr + " with count or for_each is not rendered")
		}
		boundary, parts := m.cloudinitParts(def, nil)
		var sb strings.Builder
		var marks []cty.ValueMarks
		sb.WriteString(cloudinitHead(boundary))
		for _, p := range parts {
			s, ok := asString(p.content)
			if !ok || !isKnown(p.content) {
				why := reasonsOf(p.content)
				if len(why) == 0 {
					why = []string{"its content is not known"}
				}
				return unknownBecause(addr + " part: " + strings.Join(why, "; "))
			}
			marks = append(marks, marksOf(p.content))
			sb.WriteString(cloudinitPartText(boundary, p.header, s))
		}
		sb.WriteString("--" + boundary + "--\n")
		rendered := cty.StringVal(sb.String())
		for _, mk := range marks {
			rendered = rendered.WithMarks(mk)
		}
		at := place{path: def.block.DefRange.Filename, line: def.block.DefRange.Start.Line}
		return cty.ObjectVal(map[string]cty.Value{"id": identityVal(m.evidence(at, addr), addr), "rendered": rendered})
	})
}

func cloudinitHead(boundary string) string {
	return "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\nMIME-Version: 1.0\n\n"
}

func cloudinitPartText(boundary, header, content string) string {
	s := "--" + boundary + "\n" + header + "\n" + content
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}

// cloudinitSpans renders data.cloudinit_config.NAME.rendered with places: each part's
// content where it is written, the headers at the part's block.
func (e tfEnv) cloudinitSpans(name string, depth int) (*spanText, bool) {
	def := e.m.def.data["cloudinit_config."+name]
	if def == nil {
		def = e.m.def.data["template_cloudinit_config."+name]
	}
	if def == nil || def.count != nil || def.forEach != nil {
		return nil, false
	}
	boundary, parts := e.m.cloudinitParts(def, nil)
	out := &spanText{}
	head := def.block.DefRange
	out.add(cloudinitHead(boundary), head.Filename, head.Start.Line, false)
	for _, p := range parts {
		out.add("--"+boundary+"\n"+p.header+"\n", p.at.path, p.at.line, false)
		sub, ok := render(tfEnv{m: e.m}, p.expr, depth+1)
		if !ok {
			s, known := asString(p.content)
			if !known {
				return nil, false
			}
			sub = &spanText{}
			if p.expr != nil {
				sub.add(s, p.expr.Range().Filename, p.expr.Range().Start.Line, false)
			}
		}
		out.addText(sub)
		if c := sub.String(); c != "" && !strings.HasSuffix(c, "\n") {
			out.add("\n", p.at.path, p.at.line, false)
		}
	}
	out.add("--"+boundary+"--\n", head.Filename, head.Start.Line, false)
	return out, true
}

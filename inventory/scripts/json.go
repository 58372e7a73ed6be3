package scripts

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"

	"whyk8s/internal/limits"
)

// Legacy Packer templates and manifests are plain JSON: they are read with jsontext (the
// tokenizer of encoding/json/v2, which Go 1.27 has in the standard library), several times
// faster than hcl's JSON parser and than encoding/json's Decoder.Token, which decodes
// every string and number through reflection. The tree it builds keeps each value's line.
// Values read as hcl's JSON expressions would without variables: strings as written
// (NFC-normalised, as cty does), numbers and booleans in cty's Go syntax.

// jsonVal is one JSON value and the line it starts on.
type jsonVal struct {
	kind  byte   // '"' string, '0' number, 'b' boolean, 'n' null, '[' array, '{' object
	s     string // a string's value, a number as written, "true" or "false"
	line  int
	elems []*jsonVal // an array's elements or an object's values
	keys  []string   // an object's keys, beside elems
	// keyLines are the lines of an object's keys, beside keys: evidence cites the key
	// ("type": "amazon-ebs"), not the brace that opens its object.
	keyLines []int
}

// parseJSON reads one JSON value. Text the tokenizer does not accept is parsed again with
// hcl's JSON parser, so that its error, and line, is the one reported.
//
// The file is checked against limits.JSON's bounds while it is parsed, not in a pass of
// its own: the parser reads the tokens that pass would read, in the same order, and counts
// the nesting as it goes, so a file is tokenized once. Only when the parse stops early
// (too deep, or an error) is the whole check run, so that the limit reported, and its
// line, are what the check says over the whole file.
func parseJSON(src []byte, name string) (*jsonVal, error) {
	if limits.OverTokens(src, limits.Tokens) {
		return nil, atFileLine(limits.JSON(src, limits.Depth, limits.Tokens), func(l int) int { return l })
	}
	p := &jsonParser{
		// What encoding/json accepts, hcl reads too: a repeated key (the last wins, as
		// fields has it) and bytes that are not UTF-8 (read as U+FFFD).
		dec:  jsontext.NewDecoder(bytes.NewReader(src), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)),
		src:  src,
		line: 1,
		// The first slab is sized from the text, at a value for every 48 bytes, which
		// templates come close to: fewer slabs than growing from the smallest (see keep).
		slab: make([]jsonVal, 0, min(max(len(src)/48, 16), 1024)),
	}
	v, err := p.value()
	if err == nil {
		// Nothing but white space may follow the value.
		if _, terr := p.dec.ReadToken(); !errors.Is(terr, io.EOF) {
			err = fmt.Errorf("extra data after the JSON value at byte %d", p.dec.InputOffset())
		}
	}
	if err != nil {
		if lerr := limits.JSON(src, limits.Depth, limits.Tokens); lerr != nil {
			return nil, atFileLine(lerr, func(l int) int { return l })
		}
		if _, diags := hcljson.ParseExpression(src, name); diags.HasErrors() {
			return nil, diagError(diags)
		}
		return nil, &hclError{line: p.line, msg: err.Error()}
	}
	return v, nil
}

type jsonParser struct {
	dec     *jsontext.Decoder
	src     []byte
	counted int // bytes whose newlines are counted in line
	line    int
	depth   int // arrays and objects open, as limits.JSON counts them
	// slab holds the values (see keep): a template has thousands.
	slab []jsonVal
}

// errJSONDeep stops a parse nested deeper than limits.Depth; parseJSON reports the limit.
var errJSONDeep = errors.New("JSON nested too deeply")

// errJSONNumber stops a parse at a number over limits.NumberSize; parseJSON reports the limit.
var errJSONNumber = errors.New("JSON number too large")

// token reads the next token and the line it starts on. Between two tokens there is only
// white space, a comma or a colon. The token is good until the next read.
func (p *jsonParser) token() (jsontext.Token, int, error) {
	start := int(p.dec.InputOffset())
	tok, err := p.dec.ReadToken()
	if err != nil {
		return jsontext.Token{}, 0, err
	}
	for start < len(p.src) {
		switch p.src[start] {
		case ' ', '\t', '\r', '\n', ',', ':':
			start++
			continue
		}
		break
	}
	p.line += bytes.Count(p.src[p.counted:start], []byte{'\n'})
	p.counted = start
	return tok, p.line, nil
}

var errJSONEnd = errors.New("unexpected end of a JSON array or object")

func (p *jsonParser) value() (*jsonVal, error) {
	tok, line, err := p.token()
	if err != nil {
		return nil, err
	}
	return p.valueFrom(tok, line)
}

func (p *jsonParser) valueFrom(tok jsontext.Token, line int) (*jsonVal, error) {
	switch k := tok.Kind(); k {
	case '"':
		return keep(&p.slab, jsonVal{kind: '"', s: tok.String(), line: line}), nil
	case '0':
		// hcl reads numbers with cty, which refuses some that JSON allows (an exponent too
		// large): such a number is an error here too.
		s := tok.String()
		if limits.NumberTooLarge([]byte(s)) {
			return nil, errJSONNumber // parseJSON reports the limit, as limits.JSON finds it
		}
		if _, err := cty.ParseNumberVal(s); err != nil {
			return nil, err
		}
		return keep(&p.slab, jsonVal{kind: '0', s: s, line: line}), nil
	case 't', 'f':
		return keep(&p.slab, jsonVal{kind: 'b', s: tok.String(), line: line}), nil
	case 'n':
		return keep(&p.slab, jsonVal{kind: 'n', line: line}), nil
	case '{', '[':
		if p.depth++; p.depth > limits.Depth {
			return nil, errJSONDeep
		}
		v := keep(&p.slab, jsonVal{kind: byte(k), line: line, elems: []*jsonVal{}})
		for {
			tok, line, err := p.token()
			if err != nil {
				return nil, err
			}
			if e := tok.Kind(); e == ']' || e == '}' {
				p.depth--
				return v, nil
			}
			if k == '{' {
				if tok.Kind() != '"' {
					return nil, errJSONEnd
				}
				v.keys = append(v.keys, cty.NormalizeString(tok.String()))
				v.keyLines = append(v.keyLines, line)
				if tok, line, err = p.token(); err != nil {
					return nil, err
				}
			}
			e, err := p.valueFrom(tok, line)
			if err != nil {
				return nil, err
			}
			v.elems = append(v.elems, e)
		}
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// str is the value as a string, as strOf gives it for an hcl JSON expression.
func (v *jsonVal) str() strAt {
	if v == nil {
		return strAt{}
	}
	out := strAt{line: v.line}
	switch v.kind {
	case '"':
		out.s = cty.NormalizeString(v.s)
	case '0':
		// The JSON reader refuses a number too large to write out; one from a YAML template
		// (yamlTree) is bounded here.
		if n, err := cty.ParseNumberVal(v.s); err == nil && limits.NumberRenderable(n.AsBigFloat()) {
			out.s = cty.NumberVal(n.AsBigFloat()).GoString()
		}
	case 'b':
		out.s = cty.BoolVal(v.s == "true").GoString()
	}
	return out
}

// items is an array's elements (empty, not nil, for an empty array); nil for anything else.
func (v *jsonVal) items() []*jsonVal {
	if v == nil || v.kind != '[' {
		return nil
	}
	return v.elems
}

// list is an array's non-empty string elements, or the value itself as a one-element list.
func (v *jsonVal) list() []strAt {
	if v == nil {
		return nil
	}
	if v.kind != '[' {
		if s := v.str(); s.s != "" {
			return []strAt{s}
		}
		return nil
	}
	var out []strAt
	for _, e := range v.elems {
		if s := e.str(); s.s != "" {
			out = append(out, s)
		}
	}
	return out
}

// keyLine is the line of key in an object (the last of a repeated key, as fields has it),
// or the object's own line when the key is not there.
func (v *jsonVal) keyLine(key string) int {
	if v == nil {
		return 0
	}
	for i := len(v.keys) - 1; i >= 0; i-- {
		if v.keys[i] == key {
			return v.keyLines[i]
		}
	}
	return v.line
}

// fields is an object's values by key (the last of a repeated key); nil for anything else.
func (v *jsonVal) fields() map[string]*jsonVal {
	if v == nil || v.kind != '{' {
		return nil
	}
	m := make(map[string]*jsonVal, len(v.keys))
	for i, k := range v.keys {
		m[k] = v.elems[i]
	}
	return m
}

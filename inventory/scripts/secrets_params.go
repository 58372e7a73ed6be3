package scripts

import (
	"regexp"
	"strings"
)

// Parameters that hold a secret by declaration: a CloudFormation parameter named for a
// secret (DbPassword) or marked NoEcho keeps its value under "Default", a key that names no
// secret. The value flows wherever the template refers to the parameter (a tag, user
// data), so it is redacted where it is written.

var (
	reYAMLKey       = regexp.MustCompile(`^( *)(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+)):\s*(?:#.*)?$`)
	reYAMLDefault   = regexp.MustCompile(`^ *Default:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#"'][^\n#]*?))[ \t]*(?:#.*)?$`)
	reYAMLNoEcho    = regexp.MustCompile(`^ *NoEcho:[ \t]*["']?(?i:true)["']?[ \t]*(?:#.*)?$`)
	reJSONParamOpen = regexp.MustCompile(`"([A-Za-z0-9_.-]+)"\s*:\s*\{`)
	reJSONDefault   = regexp.MustCompile(`"Default"\s*:\s*"((?:[^"\\]|\\.)*)"`)
	reJSONNoEcho    = regexp.MustCompile(`"NoEcho"\s*:\s*(?:true|"(?i:true)")`)
)

// cfnParameterDefaults finds the Default of every secret parameter in a CloudFormation
// template, YAML or JSON.
func cfnParameterDefaults(text string, hits []secretHit) []secretHit {
	if !strings.Contains(text, "Default") || !strings.Contains(text, "Parameters") {
		return hits
	}
	hits = cfnYAMLDefaults(text, hits)
	return cfnJSONDefaults(text, hits)
}

// cfnYAMLDefaults reads the mapping under a top-level "Parameters:" line: each parameter is
// a key one level in, its attributes the lines below it.
func cfnYAMLDefaults(text string, hits []secretHit) []secretHit {
	lines := strings.SplitAfter(text, "\n")
	offs := make([]int, len(lines))
	for i, off := 0, 0; i < len(lines); i++ {
		offs[i] = off
		off += len(lines[i])
	}
	indentOf := func(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }
	blank := func(l string) bool { t := strings.TrimSpace(l); return t == "" || strings.HasPrefix(t, "#") }
	for i := 0; i < len(lines); i++ {
		if strings.TrimRight(lines[i], " \t\r\n") != "Parameters:" {
			continue
		}
		// Each parameter: a key line, then its more-indented block.
		for j := i + 1; j < len(lines); {
			if blank(lines[j]) {
				j++
				continue
			}
			m := reYAMLKey.FindStringSubmatch(strings.TrimRight(lines[j], "\r\n"))
			if m == nil || len(m[1]) == 0 {
				break // the end of the Parameters mapping
			}
			name, ind := m[2]+m[3]+m[4], len(m[1])
			end := j + 1
			for end < len(lines) && (blank(lines[end]) || indentOf(lines[end]) > ind) {
				end++
			}
			secret, def := secretKeyKind(name), -1
			for k := j + 1; k < end; k++ {
				l := strings.TrimRight(lines[k], "\r\n")
				if reYAMLNoEcho.MatchString(l) && secret == "" {
					secret = SecretGeneric
				}
				if reYAMLDefault.MatchString(l) {
					def = k
				}
			}
			if secret != "" && def >= 0 {
				l := strings.TrimRight(lines[def], "\r\n")
				if g := reYAMLDefault.FindStringSubmatchIndex(l); g != nil {
					for x := 2; x+1 < len(g); x += 2 {
						if g[x] >= 0 && g[x+1] > g[x] && !notASecret(l[g[x]:g[x+1]]) {
							hits = append(hits, secretHit{start: offs[def] + g[x], end: offs[def] + g[x+1], kind: secret})
						}
					}
				}
			}
			j = end
		}
	}
	return hits
}

// cfnJSONDefaults finds `"Name": { … "Default": "value" … }` where Name names a secret or
// the object says NoEcho. The object ends at its matching brace.
func cfnJSONDefaults(text string, hits []secretHit) []secretHit {
	if !strings.Contains(text, `"Default"`) {
		return hits
	}
	for _, m := range reJSONParamOpen.FindAllStringSubmatchIndex(text, -1) {
		open := m[1] - 1
		close := matchingBrace(text, open)
		if close < 0 {
			continue
		}
		body := text[open:close]
		if strings.Contains(body[1:], "{") {
			continue // a resource or a section, not a parameter
		}
		kind := secretKeyKind(text[m[2]:m[3]])
		if kind == "" && reJSONNoEcho.MatchString(body) {
			kind = SecretGeneric
		}
		if kind == "" {
			continue
		}
		if d := reJSONDefault.FindStringSubmatchIndex(body); d != nil && d[3] > d[2] && !notASecret(body[d[2]:d[3]]) {
			hits = append(hits, secretHit{start: open + d[2], end: open + d[3], kind: kind})
		}
	}
	return hits
}

// matchingBrace returns the index of the } closing the { at open, skipping strings, or -1.
func matchingBrace(text string, open int) int {
	depth, inStr := 0, false
	for i := open; i < len(text); i++ {
		c := text[i]
		switch {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

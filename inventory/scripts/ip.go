package scripts

import (
	"net/netip"
	"slices"
	"strings"

	"whyk8s/inventory"
)

// IP addresses written into a script. Loopback, the unspecified address, link-local
// metadata endpoints, multicast, netmasks and the ranges kept for documentation (RFC 5737,
// RFC 3849) are not hard-coding; neither is a network (a CIDR shorter than the full
// address), anything that reads as a version number, nor an address in a comment.

type ipHit struct {
	ip     string
	offset int
}

// findIPs returns the IPv4 and IPv6 addresses in s, in the order they appear.
func findIPs(s string) []ipHit {
	out := findIPv4(s)
	if strings.Contains(s, ":") {
		if v6 := findIPv6(s); len(v6) > 0 {
			out = append(out, v6...)
			slices.SortFunc(out, func(a, b ipHit) int { return a.offset - b.offset })
		}
	}
	return out
}

func findIPv4(s string) []ipHit {
	var out []ipHit
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || (i > 0 && isIPNeighbour(s[i-1])) {
			continue
		}
		j := i
		for j < len(s) && (('0' <= s[j] && s[j] <= '9') || s[j] == '.') {
			j++
		}
		cand := strings.TrimRight(s[i:j], ".")
		end := i + len(cand)
		if strings.Count(cand, ".") != 3 || j > end+1 {
			i = j
			continue
		}
		if end < len(s) && (isIPNeighbour(s[end]) && !sentenceEnd(s, end) || s[end] == '-') {
			i = j
			continue
		}
		addr, err := netip.ParseAddr(cand)
		if err != nil || !addr.Is4() {
			i = j
			continue
		}
		if skipAddr(addr) || versionContext(s, i) || cidrNetwork(s, end) {
			i = j
			continue
		}
		out = append(out, ipHit{ip: cand, offset: i})
		i = j
	}
	return out
}

// isIPNeighbour is a character that, next to a dotted quad, makes it part of a longer
// token (a version "v1.2.3.4", "pkg-1.2.3.4", "1.2.3.4.5", "1.2.3.4a").
func isIPNeighbour(c byte) bool {
	return c == '.' || c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// sentenceEnd reports a full stop after an address that ends a sentence rather than
// continuing a longer dotted token: "connect to 10.0.0.5." but not "10.0.0.5.1".
func sentenceEnd(s string, i int) bool {
	return s[i] == '.' && (i+1 == len(s) || s[i+1] < '0' || s[i+1] > '9') && (i+1 == len(s) || !isIPNeighbour(s[i+1]))
}

func skipAddr(a netip.Addr) bool {
	b := a.As4()
	switch {
	case a.IsLoopback(), a.IsUnspecified(), a.IsMulticast(), b[0] == 0, b[0] >= 240:
		return true
	case b[0] == 255, b[0] == 254 && b[1] == 255: // netmasks
		return true
	case b[0] == 169 && b[1] == 254: // link-local: instance metadata, ECS, Amazon DNS, NTP
		return true
	}
	for _, p := range docNets4 {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// docNets4 and docNet6 are the address ranges kept for documentation and examples (RFC 5737,
// RFC 3849): an address in them is an example someone wrote, never a host.
var (
	docNets4 = []netip.Prefix{
		netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24"),
	}
	docNet6 = netip.MustParsePrefix("2001:db8::/32")
)

// versionContext reports a dotted quad that follows "version", "-", "==", "/" (not "//")
// or "v": the shapes version numbers are written in.
func versionContext(s string, i int) bool {
	if i > 0 {
		switch p := s[i-1]; {
		case p == '-' || p == '=' && i > 1 && (s[i-2] == '=' || s[i-2] == '>' || s[i-2] == '<' || s[i-2] == '~'):
			return true
		case p == '/' && !(i > 1 && s[i-2] == '/'): // not a URL's or a share's host (://, //host/share)
			return true
		case p == 'v' || p == 'V':
			return true
		}
	}
	from := i - 24
	if from < 0 {
		from = 0
	}
	before := strings.ToLower(s[from:i])
	return strings.Contains(before, "version") || strings.Contains(before, "_ver") || strings.Contains(before, "release") || strings.Contains(before, "tag")
}

func cidrNetwork(s string, end int) bool {
	if end >= len(s) || s[end] != '/' {
		return false
	}
	j := end + 1
	for j < len(s) && '0' <= s[j] && s[j] <= '9' {
		j++
	}
	return j > end+1 && s[end+1:j] != "32"
}

// findIPv6 finds IPv6 addresses: a run of hex digits, colons and dots that parses as an
// IPv6 address, holds a decimal digit and is either compressed ("::") or written in full.
// The digit rule keeps "Dead::Beef" and Perl's "Abc::Def" out; the shape rule keeps times
// (12:30:00) and port mappings (8080:80) out; MAC addresses and key fingerprints do not
// parse. An IPv4 address written as ::ffff:a.b.c.d is left to the IPv4 scan.
func findIPv6(s string) []ipHit {
	var out []ipHit
	for i := 0; i < len(s); {
		k := strings.IndexByte(s[i:], ':')
		if k < 0 {
			break
		}
		start, end := i+k, i+k
		for start > 0 && isV6Char(s[start-1]) {
			start--
		}
		for end < len(s) && isV6Char(s[end]) {
			end++
		}
		i = end
		cand := strings.TrimRight(s[start:end], ".")
		if strings.HasSuffix(cand, ":") && !strings.HasSuffix(cand, "::") {
			cand = cand[:len(cand)-1] // "address fd12::10: reachable"
		}
		after := start + len(cand)
		if start > 0 && isIPNeighbour(s[start-1]) || after < len(s) && isIPNeighbour(s[after]) && !sentenceEnd(s, after) {
			continue
		}
		colons := strings.Count(cand, ":")
		if colons < 2 || !strings.ContainsAny(cand, "0123456789") || (colons != 7 && !strings.Contains(cand, "::")) {
			continue
		}
		if groups := len(strings.FieldsFunc(cand, func(r rune) bool { return r == ':' })); groups < 2 || len(cand)-colons < 4 {
			continue // "1::" and "2::3" are Python slices far more often than addresses
		}
		addr, err := netip.ParseAddr(cand)
		if err != nil || !addr.Is6() || addr.Is4In6() || skipAddr6(addr) || cidrNetwork6(s, after) {
			continue
		}
		out = append(out, ipHit{ip: cand, offset: start})
	}
	return out
}

func isV6Char(c byte) bool {
	return c == ':' || c == '.' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

// awsLocal6 holds the IPv6 endpoints every EC2 instance has (instance metadata at
// fd00:ec2::254, DNS at ::253, NTP at ::123): platform constants, like 169.254.169.254.
var awsLocal6 = netip.MustParsePrefix("fd00:ec2::/32")

func skipAddr6(a netip.Addr) bool {
	return a.IsLoopback() || a.IsUnspecified() || a.IsMulticast() || a.IsLinkLocalUnicast() || awsLocal6.Contains(a) || docNet6.Contains(a)
}

func cidrNetwork6(s string, end int) bool {
	if end >= len(s) || s[end] != '/' {
		return false
	}
	j := end + 1
	for j < len(s) && '0' <= s[j] && s[j] <= '9' {
		j++
	}
	return j > end+1 && s[end+1:j] != "128"
}

// mayHoldAddress reports whether s has a dot or a colon, without which it holds no address
// findIPs reads (IPv4 or IPv6). Every word of every command is asked: two byte searches
// cost less than ContainsAny, which builds its set of bytes on each call.
func mayHoldAddress(s string) bool {
	return strings.IndexByte(s, '.') >= 0 || strings.IndexByte(s, ':') >= 0
}

// scanIPs records each hard-coded address in s, a value starting at file line base. In a
// value whose lines are the file's lines (flat false) the address is placed on its own
// line; otherwise every address is placed on base. Comments are not read: an address
// there is a note, an example or a setting switched off.
func (d *doc) scanIPs(s string, base int, flat bool) {
	for i := 0; s != ""; i++ {
		l, rest, _ := strings.Cut(s, "\n")
		s = rest
		// A line without a dot or a colon holds no address, so its comment need not be
		// looked for either.
		if !mayHoldAddress(l) {
			continue
		}
		code := uncommented(l)
		if !mayHoldAddress(code) {
			continue
		}
		for _, h := range findIPs(code) {
			line := base
			if !flat {
				line += i
			}
			d.add(inventory.Fact{Kind: inventory.FactHardcodedIP, FactParams: &inventory.FactParams{Address: h.ip}}, line)
		}
	}
}

// scanContentIPs is scanIPs over what a write puts in a file.
func (d *doc) scanContentIPs(w fileWrite) {
	if w.at == nil {
		d.scanIPs(w.content, w.cline, w.flat)
		return
	}
	for i, l := range strings.Split(w.content, "\n") {
		d.scanIPs(l, w.lineOf(i), true)
	}
}

// uncommented is a line without its comment: nothing for a comment line (#, ;, <!--,
// REM), the code before " #" otherwise. "//" and "--" are left alone: a share (//host/x)
// and an option (--dns=…) start so.
func uncommented(l string) string {
	t := strings.TrimLeft(l, " \t")
	if t == "" {
		return ""
	}
	switch {
	case t[0] == '#' || t[0] == ';', strings.HasPrefix(t, "<!--"),
		len(t) > 3 && hasPrefixFold(t, "rem") && (t[3] == ' ' || t[3] == '\t'):
		return ""
	}
	for i := 1; i < len(t); i++ {
		if t[i] == '#' && (t[i-1] == ' ' || t[i-1] == '\t') {
			return t[:i]
		}
	}
	return t
}

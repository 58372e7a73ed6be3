package scripts

import (
	"net/netip"
	"strings"

	"whyk8s/inventory"
)

// IPv4 addresses written into a script. Loopback, the unspecified address, link-local
// metadata endpoints, multicast and netmasks are not hard-coding; neither is a network
// (a CIDR shorter than /32) nor anything that reads as a version number.

type ipHit struct {
	ip     string
	offset int
}

func findIPs(s string) []ipHit {
	var out []ipHit
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || (i > 0 && isIPNeighbour(s[i-1])) {
			continue
		}
		j, dots := i, 0
		for j < len(s) && (('0' <= s[j] && s[j] <= '9') || s[j] == '.') {
			if s[j] == '.' {
				dots++
			}
			j++
		}
		cand := strings.TrimRight(s[i:j], ".")
		end := i + len(cand)
		if dots != 3 || strings.Count(cand, ".") != 3 {
			i = j
			continue
		}
		if end < len(s) && (isIPNeighbour(s[end]) || s[end] == '-') {
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
	return false
}

// versionContext reports a dotted quad that follows "version", "-", "==", "/" (not "://")
// or "v": the shapes version numbers are written in.
func versionContext(s string, i int) bool {
	if i > 0 {
		switch p := s[i-1]; {
		case p == '-' || p == '=' && i > 1 && (s[i-2] == '=' || s[i-2] == '>' || s[i-2] == '<' || s[i-2] == '~'):
			return true
		case p == '/' && !(i > 2 && s[i-2] == '/' && s[i-3] == ':'):
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

// scanIPs records each hard-coded address in s, a value starting at file line base. In a
// value whose lines are the file's lines (flat false) the address is placed on its own
// line; otherwise every address is placed on base.
func (d *doc) scanIPs(s string, base int, flat bool) {
	for _, h := range findIPs(s) {
		line := base
		if !flat {
			line += strings.Count(s[:h.offset], "\n")
		}
		d.add(inventory.FactHardcodedIP, h.ip, line)
	}
}

package inventory

import "strings"

// SourceURL is where a file came from as a report may show it: without credentials, a
// query (a presigned URL's signature) or a fragment. Every reader that records a source
// (a fetch at boot, an association's document) shows it through this.
func SourceURL(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if scheme, rest, ok := strings.Cut(u, "://"); ok {
		host, p, slash := strings.Cut(rest, "/")
		at := strings.LastIndexByte(host, '@')
		if at < 0 && (p != "" || !slash) {
			return u // nothing to take out: the text as written, not a copy
		}
		u = scheme + "://" + host[at+1:]
		if p != "" {
			u += "/" + p
		}
	}
	return u
}

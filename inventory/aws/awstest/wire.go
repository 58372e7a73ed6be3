package awstest

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// xmlw builds an XML response body. The shapes written with it follow the services' Query
// and EC2 protocols as the SDK's generated deserializers read them: element names are the
// members' wire names, lists are wrapped with <member> (Query) or <item> (EC2).
type xmlw struct{ bytes.Buffer }

func (x *xmlw) open(name string)  { x.WriteString("<" + name + ">") }
func (x *xmlw) close(name string) { x.WriteString("</" + name + ">") }

// el writes <name>…</name> with fn filling the element.
func (x *xmlw) el(name string, fn func()) {
	x.open(name)
	fn()
	x.close(name)
}

// str writes <name>v</name>, or nothing when v is empty: the API omits unset members.
func (x *xmlw) str(name, v string) {
	if v == "" {
		return
	}
	x.open(name)
	_ = xml.EscapeText(&x.Buffer, []byte(v))
	x.close(name)
}

func (x *xmlw) int(name string, v int) { x.str(name, strconv.Itoa(v)) }

func (x *xmlw) intp(name string, v *int) {
	if v != nil {
		x.int(name, *v)
	}
}

func (x *xmlw) bool(name string, v bool) { x.str(name, strconv.FormatBool(v)) }

func (x *xmlw) float(name string, v float64) {
	x.str(name, strconv.FormatFloat(v, 'f', -1, 64))
}

// list writes a wrapped list: <name><member>…</member>…</name>. Empty lists are omitted.
func (x *xmlw) list(name, member string, n int, fn func(i int)) {
	if n == 0 {
		return
	}
	x.open(name)
	for i := 0; i < n; i++ {
		x.open(member)
		fn(i)
		x.close(member)
	}
	x.close(name)
}

// strs writes a wrapped list of strings.
func (x *xmlw) strs(name, member string, vs []string) {
	x.list(name, member, len(vs), func(i int) {
		_ = xml.EscapeText(&x.Buffer, []byte(vs[i]))
	})
}

// timestamp writes an ISO 8601 timestamp the way the services do, if s parses as one.
func (x *xmlw) timestamp(name, s string) {
	if t, ok := parseTime(s); ok {
		x.str(name, t.UTC().Format("2006-01-02T15:04:05.000Z"))
	}
}

func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// form is a parsed Query request body.
type form url.Values

func (f form) get(key string) string { return url.Values(f).Get(key) }

// list reads a Query list: prefix.1, prefix.2, … (prefix is "Names.member" for the Query
// protocol and "ImageId" for EC2's flattened lists).
func (f form) list(prefix string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := f[prefix+"."+strconv.Itoa(i)]
		if !ok || len(v) == 0 {
			return out
		}
		out = append(out, v[0])
	}
}

// ec2Filters reads EC2 filters: Filter.N.Name and Filter.N.Value.M.
func (f form) ec2Filters() map[string][]string {
	out := map[string][]string{}
	for i := 1; ; i++ {
		name := f.get("Filter." + strconv.Itoa(i) + ".Name")
		if name == "" {
			return out
		}
		out[name] = append(out[name], f.list("Filter."+strconv.Itoa(i)+".Value")...)
	}
}

// intParam reads an optional integer parameter; 0 when absent.
func (f form) intParam(key string) (int, error) {
	v := f.get(key)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("invalid value %q for %s", v, key)
	}
	return n, nil
}

// pageToken is an opaque pagination token. It names the operation and the request's
// filter so that a token replayed against another request is refused, as AWS does.
func pageToken(op, scope string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(op + "\x00" + scope + "\x00" + strconv.Itoa(offset)))
}

func parseToken(op, scope, token string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, false
	}
	parts := strings.Split(string(raw), "\x00")
	if len(parts) != 3 || parts[0] != op || parts[1] != scope {
		return 0, false
	}
	n, err := strconv.Atoi(parts[2])
	return n, err == nil && n >= 0
}

package iac

import (
	"regexp"
	"sort"
	"strings"

	"whyk8s/inventory"
)

// Systems Manager State Manager associations run a document on the instances they target,
// after they boot and again on a schedule: a playbook, a Chef recipe, a script. An
// association chooses instances by tag (or every managed instance), not by group, so it is
// matched to the groups whose tags it names; what its document applies is not in the group's
// own code.

// association is an association as read: what it targets, and the record each group it
// targets gets.
type association struct {
	account, region string
	// tags are the tag:KEY targets (KEY → accepted values), keys the tag-key targets; all
	// says InstanceIds = * (every managed instance).
	tags map[string][]string
	keys []string
	all  bool
	v    inventory.Deployment
}

// targets reports whether the association targets instances of a group with these tags:
// instances take the group's tags that propagate at launch.
func (a association) targets(tags map[string]string) bool {
	if a.all {
		return true
	}
	for k, vals := range a.tags {
		v, ok := tags[k]
		if !ok {
			return false
		}
		if !contains(vals, v) && !contains(vals, "*") {
			return false
		}
	}
	for _, k := range a.keys {
		if _, ok := tags[k]; !ok {
			return false
		}
	}
	return len(a.tags) > 0 || len(a.keys) > 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// addTarget records one target of an association: its key and values. A target the code
// does not know in full, or one naming instances or resource groups, matches no group.
func (a *association) addTarget(key string, values []string) {
	var text []string
	switch {
	case strings.HasPrefix(key, "tag:"):
		if a.tags == nil {
			a.tags = map[string][]string{}
		}
		a.tags[key[4:]] = append(a.tags[key[4:]], values...)
		text = append(text, key+"="+strings.Join(values, ","))
	case strings.EqualFold(key, "tag-key"):
		a.keys = append(a.keys, values...)
		text = append(text, "tag-key="+strings.Join(values, ","))
	case strings.EqualFold(key, "InstanceIds") && contains(values, "*"):
		a.all = true
		text = append(text, "InstanceIds=*")
	}
	if len(text) > 0 {
		if a.v.Target != "" {
			text = append([]string{a.v.Target}, text...)
		}
		a.v.Target = strings.Join(text, " ")
	}
}

// reSourcePath is the path or URL a document's SourceInfo parameter gives its content from.
var reSourcePath = regexp.MustCompile(`"path"\s*:\s*"([^"]+)"`)

// reSourceRepo is a GitHub SourceInfo's owner and repository.
var reSourceRepo = regexp.MustCompile(`"owner"\s*:\s*"([^"]+)"[\s\S]*?"repository"\s*:\s*"([^"]+)"|"repository"\s*:\s*"([^"]+)"[\s\S]*?"owner"\s*:\s*"([^"]+)"`)

// associationSource is where an association's document takes what it applies, from its
// parameters, as a report may show it: without credentials or a query. Other parameters
// (commands, extra variables) are never kept: they may hold secrets.
func associationSource(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.EqualFold(k, "SourceInfo") {
			continue
		}
		v := params[k]
		if m := reSourcePath.FindStringSubmatch(v); m != nil {
			return cleanURL(m[1])
		}
		if m := reSourceRepo.FindStringSubmatch(v); m != nil {
			if m[1] != "" {
				return "github:" + m[1] + "/" + m[2]
			}
			return "github:" + m[4] + "/" + m[3]
		}
	}
	return ""
}

// cleanURL is a URL without its user, password, query or fragment.
func cleanURL(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if scheme, rest, ok := strings.Cut(u, "://"); ok {
		host, p, _ := strings.Cut(rest, "/")
		if i := strings.LastIndexByte(host, '@'); i >= 0 {
			host = host[i+1:]
		}
		u = scheme + "://" + host
		if p != "" {
			u += "/" + p
		}
	}
	return u
}

var associationSchema = &schema{
	attrs:  []string{"name", "association_name", "parameters"},
	blocks: map[string]*schema{"targets": {attrs: []string{"key", "values"}}},
}

// mapTFAssociation reads an aws_ssm_association.
func mapTFAssociation(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, associationSchema)
	a := association{account: prov.account, region: prov.region}
	a.v = inventory.Deployment{Service: inventory.DeploySSM, Application: knownName(mp.text(p, "name")),
		DeploymentGroup: orDefault(mp.str(p, "association_name"), r.addr()), Source: r.id(), Places: newPlaces(r.at())}
	setPlace(a.v.Places, "Application", p, "name")
	a.v.Revision = associationSource(mp.strMap(p, "parameters"))
	for _, t := range p.subs("targets") {
		a.addTarget(mp.str(t, "key"), mp.strs(t, "values"))
	}
	rt.b.associations = append(rt.b.associations, a)
}

// mapCFNAssociation reads an AWS::SSM::Association.
func mapCFNAssociation(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	a := association{account: account, region: region}
	a.v = inventory.Deployment{Service: inventory.DeploySSM, Application: knownName(mp.text(p, "Name")),
		DeploymentGroup: orDefault(mp.str(p, "AssociationName"), r.id), Source: r.evidence(t), Places: newPlaces(p.at)}
	setPlace(a.v.Places, "Application", p, "Name")
	params := map[string]string{}
	for _, ps := range p.subs("Parameters") {
		for _, k := range []string{"SourceInfo"} {
			if v := mp.strs(ps, k); len(v) > 0 {
				params[k] = v[0]
			} else if v := mp.str(ps, k); v != "" {
				params[k] = v
			}
		}
	}
	a.v.Revision = associationSource(params)
	for _, tg := range p.subs("Targets") {
		a.addTarget(mp.str(tg, "Key"), mp.strs(tg, "Values"))
	}
	b.associations = append(b.associations, a)
}

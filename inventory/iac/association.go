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
	targets         []inventory.AssociationTarget
	v               inventory.Deployment
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
			return inventory.SourceURL(m[1])
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

// runsShell reports a document that runs the commands its parameters give, in shell or in
// PowerShell (inventory.CommandsKind).
func runsShell(document string) bool { return inventory.CommandsKind(document) != "" }

// shellCommands are the commands parameter of an association running AWS-RunShellScript
// or AWS-RunPowerShellScript: the script its instances run, kept to be read as one (the
// readers redact it). A value the code does not know (a variable without a value) is not
// a script.
func shellCommands(params map[string]string) string { return param(params, "commands") }

// associationPlaybook is the playbook an association running AWS-ApplyAnsiblePlaybooks
// applies (its PlaybookFile parameter), or "".
func associationPlaybook(document string, params map[string]string) string {
	if document != inventory.DocApplyAnsible {
		return ""
	}
	return strings.TrimSpace(param(params, "PlaybookFile"))
}

// associationRunList is the run list an association running AWS-ApplyChefRecipes applies
// (its RunList parameter), or "".
func associationRunList(document string, params map[string]string) string {
	if document != inventory.DocApplyChef {
		return ""
	}
	return strings.TrimSpace(param(params, "RunList"))
}

// param is an association's parameter by its name, whatever its case (SSM's documents
// name them commands, PlaybookFile, RunList; the code may write either), "" when it is not
// set or its value is not known. The name as written wins, then the others in order, so
// that two spellings of one parameter give the same answer every run.
func param(params map[string]string, name string) string {
	known := func(v string) bool { return strings.TrimSpace(v) != "" && v != ellipsis }
	if v, ok := params[name]; ok && known(v) {
		return v
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.EqualFold(k, name) && known(params[k]) {
			return params[k]
		}
	}
	return ""
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
	params := mp.strMap(p, "parameters")
	a.v.Revision = associationSource(params)
	if runsShell(a.v.Application) {
		a.v.Commands = shellCommands(params)
		if a.v.Commands != "" {
			setPlace(a.v.Places, "Commands", p, "parameters")
		}
	}
	if a.v.Playbook = associationPlaybook(a.v.Application, params); a.v.Playbook != "" {
		setPlace(a.v.Places, "Playbook", p, "parameters")
	}
	if a.v.RunList = associationRunList(a.v.Application, params); a.v.RunList != "" {
		setPlace(a.v.Places, "RunList", p, "parameters")
	}
	for _, t := range p.subs("targets") {
		a.targets = append(a.targets, inventory.AssociationTarget{Key: mp.str(t, "key"), Values: mp.strs(t, "values")})
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
		for k, field := range map[string]string{"PlaybookFile": "Playbook", "RunList": "RunList"} {
			if v := mp.strs(ps, k); len(v) > 0 {
				params[k] = strings.Join(v, ",")
				setPlace(a.v.Places, field, ps, k)
			} else if v := mp.str(ps, k); v != "" {
				params[k] = v
				setPlace(a.v.Places, field, ps, k)
			}
		}
		if runsShell(a.v.Application) {
			// commands is a list of strings, each a line of the script.
			for _, k := range []string{"commands", "Commands"} {
				if v := mp.strs(ps, k); len(v) > 0 {
					params["commands"] = strings.Join(v, "\n")
					setPlace(a.v.Places, "Commands", ps, k)
				} else if v := mp.str(ps, k); v != "" {
					params["commands"] = v
					setPlace(a.v.Places, "Commands", ps, k)
				}
			}
		}
	}
	a.v.Revision = associationSource(params)
	if runsShell(a.v.Application) {
		a.v.Commands = shellCommands(params)
	}
	if a.v.Playbook = associationPlaybook(a.v.Application, params); a.v.Playbook == "" {
		delete(a.v.Places, "Playbook")
	}
	if a.v.RunList = associationRunList(a.v.Application, params); a.v.RunList == "" {
		delete(a.v.Places, "RunList")
	}
	for _, tg := range p.subs("Targets") {
		a.targets = append(a.targets, inventory.AssociationTarget{Key: mp.str(tg, "Key"), Values: mp.strs(tg, "Values")})
	}
	b.associations = append(b.associations, a)
}

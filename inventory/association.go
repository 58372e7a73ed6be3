package inventory

import "strings"

// Systems Manager associations choose instances by tag, not by group: the two readers that
// see them (infrastructure code and AWS) match them to groups the same way, here.

// AssociationTarget is one target of an association: a key (tag:KEY, tag-key,
// InstanceIds, resource-groups:Name) and its values.
type AssociationTarget struct {
	Key    string
	Values []string
}

// TargetsGroup reports whether an association's targets choose the instances of a group
// with these tags (instances take the tags that propagate at launch), and says how, as
// Deployment.Target shows it: tag:Role=web, tag-key=app, InstanceIds=*. A target that
// names instances or a resource group chooses no group whyk8s can tell.
func TargetsGroup(targets []AssociationTarget, tags map[string]string) (bool, string) {
	var text []string
	matched := len(targets) > 0
	for _, t := range targets {
		switch {
		case strings.HasPrefix(t.Key, "tag:"):
			v, ok := tags[t.Key[4:]]
			matched = matched && ok && (contains(t.Values, v) || contains(t.Values, "*"))
			text = append(text, t.Key+"="+strings.Join(t.Values, ","))
		case strings.EqualFold(t.Key, "tag-key"):
			for _, k := range t.Values {
				_, ok := tags[k]
				matched = matched && ok
			}
			text = append(text, "tag-key="+strings.Join(t.Values, ","))
		case strings.EqualFold(t.Key, "InstanceIds") && contains(t.Values, "*"):
			text = append(text, "InstanceIds=*")
		default:
			matched = false
		}
	}
	return matched, strings.Join(text, " ")
}

package aws

import (
	"context"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"whyk8s/inventory"
)

// Systems Manager State Manager: the associations that run a document on the region's
// instances, matched to the groups whose tags they target (inventory.TargetsGroup). What a
// configuring document applies reaches the instances after boot, outside the launch data.
// ListAssociations gives each association's document and targets. An association running
// AWS-RunShellScript, AWS-RunPowerShellScript, AWS-ApplyAnsiblePlaybooks or
// AWS-ApplyChefRecipes on a group takes a DescribeAssociation more, for its commands, its
// playbook or its run list, which are read (scripts.ReadAssociations); other documents'
// parameters are not read.

func (j *job) ssmAssociations(ctx context.Context, groups []inventory.AutoScalingGroup) {
	type match struct {
		id     string
		d      inventory.Deployment
		groups []int
		hows   []string
	}
	var matches []match
	p := ssm.NewListAssociationsPaginator(j.ssm, &ssm.ListAssociationsInput{})
	j.pages(ctx, svcSSM, "ListAssociations", p.HasMorePages, func(ctx context.Context) error {
		out, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, a := range out.Associations {
			var targets []inventory.AssociationTarget
			for _, t := range a.Targets {
				targets = append(targets, inventory.AssociationTarget{Key: awssdk.ToString(t.Key), Values: t.Values})
			}
			id := awssdk.ToString(a.AssociationId)
			m := match{id: id, d: inventory.Deployment{Service: inventory.DeploySSM, Application: awssdk.ToString(a.Name),
				DeploymentGroup: awssdk.ToString(a.AssociationName),
				Source:          "arn:" + partition(j.region) + ":ssm:" + j.region + ":" + j.account + ":association/" + id}}
			if m.d.DeploymentGroup == "" {
				m.d.DeploymentGroup = id
			}
			for i := range groups {
				if ok, how := inventory.TargetsGroup(targets, groups[i].Tags); ok {
					m.groups, m.hows = append(m.groups, i), append(m.hows, how)
				}
			}
			if len(m.groups) > 0 {
				matches = append(matches, m)
			}
		}
		return nil
	})
	for k := range matches {
		m := &matches[k]
		if doc := m.d.Application; inventory.CommandsKind(doc) != "" || doc == inventory.DocApplyAnsible || doc == inventory.DocApplyChef {
			j.do(ctx, svcSSM, "DescribeAssociation", func(ctx context.Context) error {
				out, err := j.ssm.DescribeAssociation(ctx, &ssm.DescribeAssociationInput{AssociationId: awssdk.String(m.id)})
				if err == nil && out.AssociationDescription != nil {
					params := out.AssociationDescription.Parameters
					if inventory.CommandsKind(m.d.Application) != "" {
						m.d.Commands = strings.Join(params["commands"], "\n")
					} else if pb := params["PlaybookFile"]; len(pb) > 0 && m.d.Application == inventory.DocApplyAnsible {
						m.d.Playbook = strings.TrimSpace(pb[0])
					} else if rl := params["RunList"]; len(rl) > 0 && m.d.Application == inventory.DocApplyChef {
						m.d.RunList = strings.TrimSpace(strings.Join(rl, ","))
					}
				}
				return err
			})
		}
		for n, i := range m.groups {
			d := m.d
			d.Target = m.hows[n]
			groups[i].Deployments = append(groups[i].Deployments, d)
		}
	}
}

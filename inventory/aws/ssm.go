package aws

import (
	"context"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"whyk8s/inventory"
)

// Systems Manager State Manager: the associations that run a document on the region's
// instances, matched to the groups whose tags they target (inventory.TargetsGroup). What a
// configuring document applies reaches the instances after boot, outside the launch data.
// ListAssociations gives each association's document and targets; its parameters (the
// document's source) would take a DescribeAssociation each, and are not read.

func (j *job) ssmAssociations(ctx context.Context, groups []inventory.AutoScalingGroup) {
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
			d := inventory.Deployment{Service: inventory.DeploySSM, Application: awssdk.ToString(a.Name),
				DeploymentGroup: awssdk.ToString(a.AssociationName),
				Source:          "arn:" + partition(j.region) + ":ssm:" + j.region + ":" + j.account + ":association/" + id}
			if d.DeploymentGroup == "" {
				d.DeploymentGroup = id
			}
			for i := range groups {
				if ok, how := inventory.TargetsGroup(targets, groups[i].Tags); ok {
					d.Target = how
					groups[i].Deployments = append(groups[i].Deployments, d)
				}
			}
		}
		return nil
	})
}

package aws

import (
	"context"
	"sort"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"whyk8s/inventory"
)

// CodeDeploy: the deployment groups that deploy to a region's Auto Scaling groups. What
// they deploy reaches the instances after boot, from revisions kept outside the launch
// data, so the assessment must know a group is one (assess's handedOver). Lambda and ECS
// deployment groups name no Auto Scaling group and are left out by that alone.

func (j *job) codeDeploy(ctx context.Context, groups []inventory.AutoScalingGroup) {
	var apps []string
	p := codedeploy.NewListApplicationsPaginator(j.cd, &codedeploy.ListApplicationsInput{})
	j.pages(ctx, svcCodeDeploy, "ListApplications", p.HasMorePages, func(ctx context.Context) error {
		out, err := p.NextPage(ctx)
		if err == nil {
			apps = append(apps, out.Applications...)
		}
		return err
	})
	if len(apps) == 0 {
		return
	}
	sort.Strings(apps)
	infos := make([][]cdtypes.DeploymentGroupInfo, len(apps))
	each(ctx, len(apps), j.c.opts.concurrency(), func(i int) {
		var names []string
		p := codedeploy.NewListDeploymentGroupsPaginator(j.cd, &codedeploy.ListDeploymentGroupsInput{ApplicationName: awssdk.String(apps[i])})
		j.pages(ctx, svcCodeDeploy, "ListDeploymentGroups", p.HasMorePages, func(ctx context.Context) error {
			out, err := p.NextPage(ctx)
			if err == nil {
				names = append(names, out.DeploymentGroups...)
			}
			return err
		})
		// One GetDeploymentGroup per deployment group: its batched form is a BatchGet,
		// and the collector keeps to Describe, List and Get.
		for _, name := range names {
			j.do(ctx, svcCodeDeploy, "GetDeploymentGroup", func(ctx context.Context) error {
				out, err := j.cd.GetDeploymentGroup(ctx, &codedeploy.GetDeploymentGroupInput{
					ApplicationName: awssdk.String(apps[i]), DeploymentGroupName: awssdk.String(name)})
				if err == nil && out.DeploymentGroupInfo != nil {
					infos[i] = append(infos[i], *out.DeploymentGroupInfo)
				}
				return err
			})
		}
	})
	byName := make(map[string]*inventory.AutoScalingGroup, len(groups))
	for i := range groups {
		byName[groups[i].Name] = &groups[i]
	}
	for _, list := range infos {
		for k := range list {
			d := j.deployment(&list[k])
			for _, a := range list[k].AutoScalingGroups {
				if g := byName[awssdk.ToString(a.Name)]; g != nil {
					g.Deployments = append(g.Deployments, d)
				}
			}
		}
	}
}

// deployment is what a deployment group says about the groups it deploys to. The API
// gives a deployment group no ARN; the one IAM uses is built from its names.
func (j *job) deployment(info *cdtypes.DeploymentGroupInfo) inventory.Deployment {
	app, name := awssdk.ToString(info.ApplicationName), awssdk.ToString(info.DeploymentGroupName)
	d := inventory.Deployment{Service: inventory.DeployCodeDeploy, Application: app, DeploymentGroup: name,
		Source: "arn:" + partition(j.region) + ":codedeploy:" + j.region + ":" + j.account + ":deploymentgroup:" + app + "/" + name}
	if r := info.TargetRevision; r != nil {
		switch {
		case r.S3Location != nil && awssdk.ToString(r.S3Location.Bucket) != "":
			d.Revision = "s3://" + awssdk.ToString(r.S3Location.Bucket) + "/" + strings.TrimLeft(awssdk.ToString(r.S3Location.Key), "/")
		case r.GitHubLocation != nil && awssdk.ToString(r.GitHubLocation.Repository) != "":
			d.Revision = "github:" + awssdk.ToString(r.GitHubLocation.Repository)
		}
	}
	return d
}

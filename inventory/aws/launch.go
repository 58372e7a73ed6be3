package aws

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"whyk8s/inventory"
)

const (
	// DescribeLaunchTemplateVersions returns at most 200 versions a page.
	ltvPage = 200
	// DescribeLaunchConfigurations takes at most 50 names and pages up to 100.
	lcNames = 50
	// DescribeImages: at most 200 values per filter, pages of up to 1000 images.
	imageFilterValues = 200
	imagesPage        = 1000
	// accountWideTemplates is how many templates referenced only as $Latest or $Default
	// make one account-wide DescribeLaunchTemplateVersions (every template's latest and
	// default versions, 200 a page) cheaper than a call per template. It assumes the
	// region holds fewer than about a thousand templates nobody uses.
	accountWideTemplates = 10
)

// templateNeed is one launch template and the versions groups reference.
type templateNeed struct {
	id, name string
	versions map[string]bool // "3", "$Latest", "$Default"
}

func (t *templateNeed) aliasesOnly() bool {
	for v := range t.versions {
		if v != "$Latest" && v != "$Default" {
			return false
		}
	}
	return true
}

func (t *templateNeed) key() string {
	if t.id != "" {
		return t.id
	}
	return "name:" + t.name
}

// resolved is a launch template's versions as read: by number, and the aliases.
type resolved struct {
	byNumber       map[int64]ec2types.LaunchTemplateVersion
	latest, deflt  int64
	sawDefaultFlag bool
}

func (r *resolved) add(v ec2types.LaunchTemplateVersion) {
	n := awssdk.ToInt64(v.VersionNumber)
	if r.byNumber == nil {
		r.byNumber = map[int64]ec2types.LaunchTemplateVersion{}
	}
	r.byNumber[n] = v
	// The latest version is the highest number: when $Latest is asked for, it is among
	// the versions returned, and no version returned can be higher.
	if n > r.latest {
		r.latest = n
	}
	if awssdk.ToBool(v.DefaultVersion) {
		r.deflt, r.sawDefaultFlag = n, true
	}
}

func (r *resolved) number(version string) (int64, bool) {
	switch version {
	case "$Latest":
		return r.latest, r.latest > 0
	case "$Default":
		return r.deflt, r.sawDefaultFlag
	}
	n, err := strconv.ParseInt(version, 10, 64)
	if err != nil {
		return 0, false
	}
	_, ok := r.byNumber[n]
	return n, ok
}

func groupTemplate(g *inventory.AutoScalingGroup) *inventory.LaunchTemplateRef {
	if g.LaunchTemplate != nil {
		return g.LaunchTemplate
	}
	if g.MixedInstances != nil {
		return g.MixedInstances.LaunchTemplate
	}
	return nil
}

// launch resolves every group's launch data: the launch template versions it references
// (batched per template, or account-wide for many alias-only templates) and its launch
// configuration (batched 50 names a call).
func (j *job) launch(ctx context.Context, groups []inventory.AutoScalingGroup) {
	needs := map[string]*templateNeed{}
	lcSet := map[string]bool{}
	for i := range groups {
		if ref := groupTemplate(&groups[i]); ref != nil {
			t := &templateNeed{id: ref.ID, name: ref.Name}
			if n, ok := needs[t.key()]; ok {
				t = n
			} else {
				t.versions = map[string]bool{}
				needs[t.key()] = t
			}
			t.versions[ref.Version] = true
		} else if lc := groups[i].LaunchConfiguration; lc != "" {
			lcSet[lc] = true
		}
	}
	var templates map[string]*resolved
	var configs map[string]astypes.LaunchConfiguration
	var unread map[string]bool
	parallel(
		func() { templates = j.templateVersions(ctx, needs) },
		func() { configs, unread = j.launchConfigurations(ctx, keys(lcSet)) },
	)

	specs := map[string]inventory.LaunchSpec{} // one decoding per version or configuration
	for i := range groups {
		g := &groups[i]
		if ref := groupTemplate(g); ref != nil {
			r := templates[(&templateNeed{id: ref.ID, name: ref.Name}).key()]
			if r == nil {
				continue // the call failed; its gap is recorded
			}
			n, ok := r.number(ref.Version)
			if !ok {
				j.gap(svcEC2, "DescribeLaunchTemplateVersions", inventory.GapNotFound,
					fmt.Sprintf("launch template %s version %s (group %s) was not returned", refName(ref), ref.Version, g.Name))
				continue
			}
			ref.ResolvedVersion = n
			source := fmt.Sprintf("launch-template %s v%d", refName(ref), n)
			spec, ok := specs[source]
			if !ok {
				spec = j.templateSpec(r.byNumber[n].LaunchTemplateData, source)
				specs[source] = spec
			}
			g.Launch = clone(spec)
			continue
		}
		if g.LaunchConfiguration == "" {
			continue
		}
		lc, ok := configs[g.LaunchConfiguration]
		if !ok {
			if !unread[g.LaunchConfiguration] && ctx.Err() == nil {
				j.gap(svcAutoScaling, "DescribeLaunchConfigurations", inventory.GapNotFound,
					fmt.Sprintf("launch configuration %s (group %s) was not returned", g.LaunchConfiguration, g.Name))
			}
			continue
		}
		spec, ok := specs["lc:"+g.LaunchConfiguration]
		if !ok {
			spec = j.configSpec(&lc)
			specs["lc:"+g.LaunchConfiguration] = spec
		}
		g.Launch = clone(spec)
	}
}

func refName(r *inventory.LaunchTemplateRef) string {
	if r.ID != "" {
		return r.ID
	}
	return r.Name
}

// templateVersions reads the referenced versions of every template, keyed by
// templateNeed.key. A template whose call failed is absent.
func (j *job) templateVersions(ctx context.Context, needs map[string]*templateNeed) map[string]*resolved {
	out := make(map[string]*resolved, len(needs))
	var perTemplate []*templateNeed
	aliasOnly := map[string]*templateNeed{}
	wantLatest, wantDefault := false, false
	for _, k := range sortedKeys(needs) {
		t := needs[k]
		if t.id != "" && t.aliasesOnly() {
			aliasOnly[t.id] = t
			wantLatest = wantLatest || t.versions["$Latest"]
			wantDefault = wantDefault || t.versions["$Default"]
		} else {
			perTemplate = append(perTemplate, t)
		}
	}
	if len(aliasOnly) >= accountWideTemplates {
		var aliases []string
		if wantDefault {
			aliases = append(aliases, "$Default")
		}
		if wantLatest {
			aliases = append(aliases, "$Latest")
		}
		found := map[string]*resolved{}
		p := ec2.NewDescribeLaunchTemplateVersionsPaginator(j.ec2, &ec2.DescribeLaunchTemplateVersionsInput{Versions: aliases, MaxResults: awssdk.Int32(ltvPage)})
		complete := true
		for p.HasMorePages() {
			ok := j.do(ctx, svcEC2, "DescribeLaunchTemplateVersions", func(ctx context.Context) error {
				page, err := p.NextPage(ctx)
				if err != nil {
					return err
				}
				for _, v := range page.LaunchTemplateVersions {
					id := awssdk.ToString(v.LaunchTemplateId)
					if aliasOnly[id] == nil {
						continue
					}
					if found[id] == nil {
						found[id] = &resolved{}
					}
					found[id].add(v)
				}
				return nil
			})
			if !ok {
				complete = false
				break
			}
		}
		if complete {
			for id, r := range found {
				out[id] = r
			}
		}
		// Templates the account-wide listing did not return (or all of them, if it
		// failed) are asked for one by one, which also names what is missing.
		for _, id := range sortedKeys(aliasOnly) {
			if out[id] == nil {
				perTemplate = append(perTemplate, aliasOnly[id])
			}
		}
	} else {
		for _, id := range sortedKeys(aliasOnly) {
			perTemplate = append(perTemplate, aliasOnly[id])
		}
	}
	results := make([]*resolved, len(perTemplate))
	each(ctx, len(perTemplate), j.c.opts.concurrency(), func(i int) {
		results[i] = j.oneTemplate(ctx, perTemplate[i], keys(perTemplate[i].versions))
	})
	for i, t := range perTemplate {
		if results[i] != nil {
			out[t.key()] = results[i]
		}
	}
	return out
}

// oneTemplate reads the given versions of one template in one call (paged if more than
// 200). When one numbered version no longer exists the API fails the whole call, so the
// versions are then asked for one at a time to keep the rest.
func (j *job) oneTemplate(ctx context.Context, t *templateNeed, versions []string) *resolved {
	in := &ec2.DescribeLaunchTemplateVersionsInput{Versions: versions, MaxResults: awssdk.Int32(ltvPage)}
	if t.id != "" {
		in.LaunchTemplateId = awssdk.String(t.id)
	} else {
		in.LaunchTemplateName = awssdk.String(t.name)
	}
	r := &resolved{}
	var versionMissing bool
	p := ec2.NewDescribeLaunchTemplateVersionsPaginator(j.ec2, in)
	for p.HasMorePages() {
		var err error
		ok := j.do(ctx, svcEC2, "DescribeLaunchTemplateVersions", func(ctx context.Context) error {
			var page *ec2.DescribeLaunchTemplateVersionsOutput
			page, err = p.NextPage(ctx)
			if err != nil {
				var api smithy.APIError
				if len(versions) > 1 && errors.As(err, &api) && strings.HasSuffix(api.ErrorCode(), "VersionNotFound") {
					versionMissing = true
					return nil // not a gap yet: retried version by version below
				}
				return err
			}
			for _, v := range page.LaunchTemplateVersions {
				r.add(v)
			}
			return nil
		})
		if versionMissing {
			break
		}
		if !ok {
			return nil
		}
	}
	if !versionMissing {
		return r
	}
	r = &resolved{}
	for _, v := range versions {
		if one := j.oneTemplate(ctx, t, []string{v}); one != nil {
			for _, lv := range one.byNumber {
				r.add(lv)
			}
		}
	}
	return r
}

// launchConfigurations reads the named launch configurations, 50 names a call. Names in a
// batch whose call failed are returned in unread: unknown, not missing.
func (j *job) launchConfigurations(ctx context.Context, names []string) (found map[string]astypes.LaunchConfiguration, unread map[string]bool) {
	batches := chunks(names, lcNames)
	results := make([][]astypes.LaunchConfiguration, len(batches))
	failed := make([]bool, len(batches))
	each(ctx, len(batches), j.c.opts.concurrency(), func(i int) {
		p := autoscaling.NewDescribeLaunchConfigurationsPaginator(j.asg, &autoscaling.DescribeLaunchConfigurationsInput{LaunchConfigurationNames: batches[i], MaxRecords: awssdk.Int32(asgPage)})
		for p.HasMorePages() && !failed[i] {
			failed[i] = !j.do(ctx, svcAutoScaling, "DescribeLaunchConfigurations", func(ctx context.Context) error {
				page, err := p.NextPage(ctx)
				if err == nil {
					results[i] = append(results[i], page.LaunchConfigurations...)
				}
				return err
			})
		}
	})
	found, unread = map[string]astypes.LaunchConfiguration{}, map[string]bool{}
	for i, lcs := range results {
		for _, lc := range lcs {
			found[awssdk.ToString(lc.LaunchConfigurationName)] = lc
		}
		if failed[i] {
			for _, n := range batches[i] {
				unread[n] = true
			}
		}
	}
	return found, unread
}

func (j *job) templateSpec(d *ec2types.ResponseLaunchTemplateData, source string) inventory.LaunchSpec {
	s := inventory.LaunchSpec{Source: source}
	if d == nil {
		return s
	}
	s.ImageID = awssdk.ToString(d.ImageId)
	s.InstanceType = string(d.InstanceType)
	s.KeyName = awssdk.ToString(d.KeyName)
	if p := d.IamInstanceProfile; p != nil {
		s.IAMInstanceProfile = awssdk.ToString(p.Arn)
		if s.IAMInstanceProfile == "" {
			s.IAMInstanceProfile = awssdk.ToString(p.Name)
		}
	}
	groups := append(append([]string(nil), d.SecurityGroupIds...), d.SecurityGroups...)
	for _, ni := range d.NetworkInterfaces {
		groups = append(groups, ni.Groups...)
	}
	s.SecurityGroups = dedupeSorted(groups)
	for _, b := range d.BlockDeviceMappings {
		bd := inventory.BlockDevice{
			DeviceName:  awssdk.ToString(b.DeviceName),
			VirtualName: awssdk.ToString(b.VirtualName),
			// In a launch template NoDevice is a string whose presence suppresses the device.
			NoDevice: b.NoDevice != nil,
		}
		if e := b.Ebs; e != nil {
			bd.SnapshotID = awssdk.ToString(e.SnapshotId)
			bd.VolumeSize = int(awssdk.ToInt32(e.VolumeSize))
			bd.VolumeType = string(e.VolumeType)
			bd.IOPS = int(awssdk.ToInt32(e.Iops))
			bd.Encrypted = awssdk.ToBool(e.Encrypted)
			bd.DeleteOnTermination = e.DeleteOnTermination
		}
		s.BlockDevices = append(s.BlockDevices, bd)
	}
	sortDevices(s.BlockDevices)
	if d.Placement != nil {
		s.Tenancy = string(d.Placement.Tenancy)
	}
	if d.InstanceMarketOptions != nil {
		s.MarketType = string(d.InstanceMarketOptions.MarketType)
	}
	if d.Monitoring != nil {
		s.DetailedMonitoring = awssdk.ToBool(d.Monitoring.Enabled)
	}
	if d.MetadataOptions != nil {
		s.MetadataHTTPTokens = string(d.MetadataOptions.HttpTokens)
	}
	s.UserData = j.userData(awssdk.ToString(d.UserData), svcEC2, "DescribeLaunchTemplateVersions", source)
	return s
}

func (j *job) configSpec(lc *astypes.LaunchConfiguration) inventory.LaunchSpec {
	s := inventory.LaunchSpec{
		ImageID:            awssdk.ToString(lc.ImageId),
		InstanceType:       awssdk.ToString(lc.InstanceType),
		KeyName:            awssdk.ToString(lc.KeyName),
		IAMInstanceProfile: awssdk.ToString(lc.IamInstanceProfile),
		SecurityGroups:     dedupeSorted(lc.SecurityGroups),
		Tenancy:            awssdk.ToString(lc.PlacementTenancy),
		SpotPrice:          awssdk.ToString(lc.SpotPrice),
		Source:             awssdk.ToString(lc.LaunchConfigurationARN),
	}
	if s.Source == "" {
		s.Source = "launch-configuration " + awssdk.ToString(lc.LaunchConfigurationName)
	}
	for _, b := range lc.BlockDeviceMappings {
		bd := inventory.BlockDevice{
			DeviceName:  awssdk.ToString(b.DeviceName),
			VirtualName: awssdk.ToString(b.VirtualName),
			NoDevice:    awssdk.ToBool(b.NoDevice),
		}
		if e := b.Ebs; e != nil {
			bd.SnapshotID = awssdk.ToString(e.SnapshotId)
			bd.VolumeSize = int(awssdk.ToInt32(e.VolumeSize))
			bd.VolumeType = awssdk.ToString(e.VolumeType)
			bd.IOPS = int(awssdk.ToInt32(e.Iops))
			bd.Encrypted = awssdk.ToBool(e.Encrypted)
			bd.DeleteOnTermination = e.DeleteOnTermination
		}
		s.BlockDevices = append(s.BlockDevices, bd)
	}
	sortDevices(s.BlockDevices)
	if lc.InstanceMonitoring != nil {
		s.DetailedMonitoring = awssdk.ToBool(lc.InstanceMonitoring.Enabled)
	}
	if lc.MetadataOptions != nil {
		s.MetadataHTTPTokens = string(lc.MetadataOptions.HttpTokens)
	}
	s.UserData = j.userData(awssdk.ToString(lc.UserData), svcAutoScaling, "DescribeLaunchConfigurations", s.Source)
	return s
}

// userData decodes the API's base64 user data and hands the bytes to the redacting
// decoder. Without one, user data is dropped: the raw text can hold secrets and is never
// kept. The raw bytes are cleared once read.
func (j *job) userData(b64, service, op, source string) string {
	if b64 == "" || j.c.opts.UserData == nil {
		return ""
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		j.gap(service, op, inventory.GapParse, "user data of "+source+" is not valid base64: "+err.Error())
		return ""
	}
	defer clear(raw)
	text, err := j.c.opts.UserData(raw)
	if err != nil {
		j.gap(service, op, inventory.GapParse, "user data of "+source+": "+err.Error())
		return ""
	}
	return text
}

// imagesInUse describes the AMIs the groups launch, 200 ids a call through the image-id
// filter: unlike ImageIds, a filter does not fail the whole call when one AMI has been
// deregistered, so a missing image is reported as such and the others are still read.
func (j *job) imagesInUse(ctx context.Context, groups []inventory.AutoScalingGroup) {
	users := map[string][]string{}
	for i := range groups {
		id := groups[i].Launch.ImageID
		// "resolve:ssm:…" parameters are not AMI ids; the parameter itself is the evidence.
		if strings.HasPrefix(id, "ami-") {
			users[id] = append(users[id], groups[i].Name)
		}
	}
	ids := keys(users)
	batches := chunks(ids, imageFilterValues)
	found := make([][]ec2types.Image, len(batches))
	ok := make([]bool, len(batches))
	each(ctx, len(batches), j.c.opts.concurrency(), func(i int) {
		p := ec2.NewDescribeImagesPaginator(j.ec2, &ec2.DescribeImagesInput{
			Filters:           []ec2types.Filter{{Name: awssdk.String("image-id"), Values: batches[i]}},
			IncludeDeprecated: awssdk.Bool(true),
			IncludeDisabled:   awssdk.Bool(true),
			MaxResults:        awssdk.Int32(imagesPage),
		})
		ok[i] = true
		for p.HasMorePages() && ok[i] {
			ok[i] = j.do(ctx, svcEC2, "DescribeImages", func(ctx context.Context) error {
				page, err := p.NextPage(ctx)
				if err == nil {
					found[i] = append(found[i], page.Images...)
				}
				return err
			})
		}
	})
	for i, batch := range batches {
		seen := map[string]bool{}
		for _, im := range found[i] {
			id := awssdk.ToString(im.ImageId)
			seen[id] = true
			j.images = append(j.images, inventory.Image{
				ID:              id,
				Account:         j.account,
				Region:          j.region,
				OwnerID:         awssdk.ToString(im.OwnerId),
				OwnerAlias:      awssdk.ToString(im.ImageOwnerAlias),
				Name:            awssdk.ToString(im.Name),
				Platform:        string(im.Platform),
				PlatformDetails: awssdk.ToString(im.PlatformDetails),
				Architecture:    string(im.Architecture),
				CreationDate:    awssdk.ToString(im.CreationDate),
				Description:     awssdk.ToString(im.Description),
				Tags:            ec2Tags(im.Tags),
			})
		}
		if !ok[i] {
			continue
		}
		for _, id := range batch {
			if !seen[id] {
				u := users[id]
				j.gap(svcEC2, "DescribeImages", inventory.GapNotFound,
					fmt.Sprintf("AMI %s (used by %s) is not visible: deregistered, or not shared with this account", id, strings.Join(u, ", ")))
			}
		}
	}
}

func ec2Tags(ts []ec2types.Tag) map[string]string {
	if len(ts) == 0 {
		return nil
	}
	m := make(map[string]string, len(ts))
	for _, t := range ts {
		m[awssdk.ToString(t.Key)] = awssdk.ToString(t.Value)
	}
	return m
}

func clone(s inventory.LaunchSpec) inventory.LaunchSpec {
	s.SecurityGroups = append([]string(nil), s.SecurityGroups...)
	if len(s.SecurityGroups) == 0 {
		s.SecurityGroups = nil
	}
	if s.BlockDevices != nil {
		s.BlockDevices = append([]inventory.BlockDevice(nil), s.BlockDevices...)
	}
	return s
}

func sortDevices(bs []inventory.BlockDevice) {
	sort.SliceStable(bs, func(a, b int) bool { return bs[a].DeviceName < bs[b].DeviceName })
}

func dedupeSorted(vs []string) []string {
	if len(vs) == 0 {
		return nil
	}
	out := append([]string(nil), vs...)
	sort.Strings(out)
	w := 0
	for i, v := range out {
		if i == 0 || v != out[w-1] {
			out[w] = v
			w++
		}
	}
	return out[:w]
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string { return keys(m) }

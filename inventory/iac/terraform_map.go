package iac

import (
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// resourceMappers turn each Terraform resource type whyk8s reads into estate records.
var resourceMappers = map[string]func(*tfRoot, *tfResource){
	"aws_autoscaling_group":             mapTFGroup,
	"aws_launch_template":               mapTFLaunchTemplate,
	"aws_launch_configuration":          mapTFLaunchConfiguration,
	"aws_autoscaling_policy":            mapTFPolicy,
	"aws_autoscaling_schedule":          mapTFSchedule,
	"aws_autoscaling_lifecycle_hook":    mapTFHook,
	"aws_autoscaling_attachment":        mapTFAttachment,
	"aws_codedeploy_deployment_group":   mapTFDeploymentGroup,
	"aws_ssm_association":               mapTFAssociation,
	"aws_elb":                           mapTFClassic,
	"aws_lb_cookie_stickiness_policy":   mapTFClassicStickiness,
	"aws_app_cookie_stickiness_policy":  mapTFClassicStickiness,
	"aws_load_balancer_policy":          mapTFClassicPolicy,
	"aws_load_balancer_listener_policy": mapTFClassicListenerPolicy,
	"aws_lb":                            mapTFLoadBalancer,
	"aws_alb":                           mapTFLoadBalancer,
	"aws_lb_listener":                   mapTFListener,
	"aws_alb_listener":                  mapTFListener,
	"aws_lb_listener_rule":              mapTFListenerRule,
	"aws_alb_listener_rule":             mapTFListenerRule,
	"aws_lb_target_group":               mapTFTargetGroup,
	"aws_alb_target_group":              mapTFTargetGroup,
}

// open decodes a resource for a mapper and notes a count or for_each read as one.
func (rt *tfRoot) open(r *tfResource, s *schema) (*tfProps, mapper, providerConfig) {
	rt.noteRepeat(r)
	p := r.mod.decode(r.def.block.Body, s, r.extra(), r.addr(), r.at())
	return p, mapper{gaps: &rt.b.gaps, decode: rt.b.userData}, r.providerFor()
}

var groupSchema = &schema{
	attrs: []string{"name", "name_prefix", "min_size", "max_size", "desired_capacity", "health_check_type",
		"health_check_grace_period", "vpc_zone_identifier", "availability_zones", "launch_configuration",
		"target_group_arns", "load_balancers", "tags"},
	blocks: map[string]*schema{
		"launch_template": {attrs: []string{"id", "name", "version"}},
		"mixed_instances_policy": {blocks: map[string]*schema{
			"instances_distribution": {attrs: []string{"on_demand_base_capacity", "on_demand_percentage_above_base_capacity", "spot_allocation_strategy"}},
			"launch_template": {blocks: map[string]*schema{
				"launch_template_specification": {attrs: []string{"launch_template_id", "launch_template_name", "version"}},
				"override":                      {attrs: []string{"instance_type"}},
			}},
		}},
		"tag":                    {attrs: []string{"key", "value", "propagate_at_launch"}},
		"initial_lifecycle_hook": {attrs: []string{"name", "lifecycle_transition", "heartbeat_timeout", "default_result"}},
		"traffic_source":         {attrs: []string{"identifier", "type"}},
	},
}

func mapTFGroup(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, groupSchema)
	rt.nameGap(r)
	g := inventory.AutoScalingGroup{ARN: r.id(), Name: r.name(), Account: prov.account, Region: prov.region, Places: newPlaces(r.at())}
	groupCapacity(mp, p, tfGroupNames, &g)
	g.LaunchConfiguration = mp.str(p, "launch_configuration")
	setPlace(g.Places, "LaunchConfigurationName", p, "launch_configuration")
	for _, lt := range p.subs("launch_template") {
		g.LaunchTemplate = &inventory.LaunchTemplateRef{ID: mp.str(lt, "id"), Name: mp.str(lt, "name"), Version: mp.str(lt, "version")}
		setBlock(g.Places, "LaunchTemplate", lt)
	}
	for _, mip := range p.subs("mixed_instances_policy") {
		g.MixedInstances = tfMixed(mp, mip, g.Places, &g.Unknown)
	}
	if at, ok := unknownDynamic(p, "mixed_instances_policy"); ok && g.MixedInstances == nil {
		// Whether the group mixes instances (and buys spot) is left to a value the code
		// does not determine: not "no policy".
		g.Places["MixedInstancesPolicy"] = toPlace(at)
		g.Unknown = append(g.Unknown, "MixedInstancesPolicy")
	}
	g.TargetGroupARNs = mp.strs(p, "target_group_arns")
	setPlace(g.Places, "TargetGroupARNs", p, "target_group_arns")
	unknownIfAny(&g.Unknown, "TargetGroupARNs", p, "target_group_arns")
	g.LoadBalancerNames = mp.strs(p, "load_balancers")
	setPlace(g.Places, "LoadBalancerNames", p, "load_balancers")
	unknownIfAny(&g.Unknown, "LoadBalancerNames", p, "load_balancers")
	for _, ts := range p.subs("traffic_source") {
		id, known := mp.strOK(ts, "identifier")
		switch strings.ToLower(mp.str(ts, "type")) {
		case "elb":
			g.LoadBalancerNames = append(g.LoadBalancerNames, id)
			setBlock(g.Places, "LoadBalancerNames", ts)
			if !known {
				g.Unknown = sortedUnique(append(g.Unknown, "LoadBalancerNames"))
			}
		case "elbv2", "":
			g.TargetGroupARNs = append(g.TargetGroupARNs, id)
			setBlock(g.Places, "TargetGroupARNs", ts)
			if !known {
				g.Unknown = sortedUnique(append(g.Unknown, "TargetGroupARNs"))
			}
		}
	}
	tags := map[string]string{}
	mp.tagList(p.subs("tag"), "key", "value", tags)
	if v, _, ok := p.get("tags"); ok {
		// AWS provider 4 took tags as a list of {key, value, propagate_at_launch} maps.
		if t := plain(v).Type(); t.IsTupleType() || t.IsListType() || t.IsSetType() {
			mp.tagList(p.subs("tags"), "key", "value", tags)
		} else {
			for k, val := range mp.strMap(p, "tags") {
				tags[k] = val
			}
		}
	}
	if unknownBlocks(p, "traffic_source") {
		g.Unknown = append(g.Unknown, "TargetGroupARNs", "LoadBalancerNames")
	}
	g.Unknown = sortedUnique(append(g.Unknown, unknownFields(p, false)...))
	g.Tags = nonEmpty(tags)
	setPlace(g.Places, "Tags", p, "tag")
	setPlace(g.Places, "Tags", p, "tags")
	if n := r.naming(); n.attr == nil && tags["Name"] != "" && !strings.Contains(tags["Name"], ellipsis) {
		// No name written: AWS generates one ("terraform-2024…") that nobody uses; people
		// call the group by the Name its instances carry.
		g.Name = tags["Name"]
	}
	for _, h := range p.subs("initial_lifecycle_hook") {
		hook := inventory.LifecycleHook{Name: mp.str(h, "name"),
			Transition: mp.str(h, "lifecycle_transition"), HeartbeatTimeout: mp.intOr(h, "heartbeat_timeout", 0), DefaultResult: mp.str(h, "default_result"),
			Places: newPlaces(h.where())}
		setPlace(hook.Places, "LifecycleTransition", h, "lifecycle_transition")
		g.LifecycleHooks = append(g.LifecycleHooks, hook)
	}
	rt.b.groups = append(rt.b.groups, &groupRec{g: g, at: r.at(), stack: rt.stack})
}

// nameGap records that a resource's name is written but not wholly known, and what the
// records call it instead: its known prefix and "…", or its address.
func (rt *tfRoot) nameGap(r *tfResource) {
	n := r.naming()
	if n.known || n.attr == nil {
		return
	}
	rng := n.attr.Expr.Range()
	rt.b.gaps = append(rt.b.gaps, inventory.CoverageGap{Path: rng.Filename, Line: n.attr.Range.Start.Line, Kind: inventory.GapUnresolved,
		Message: r.addr() + " " + n.attr.Name + " = " + rt.excerpt(n.attr.Expr) + ": " + strings.Join(n.why, "; ") + "; read as " + strconv.Quote(n.display)})
}

func tfMixed(mp mapper, p props, ps inventory.Places, unknown *[]string) *inventory.MixedInstancesPolicy {
	out := &inventory.MixedInstancesPolicy{}
	setBlock(ps, "MixedInstancesPolicy", p)
	for _, d := range p.subs("instances_distribution") {
		distribution(mp, d, tfDistribution, out, ps, unknown)
	}
	if len(p.subs("instances_distribution")) == 0 {
		out.OnDemandPercentageAboveBaseCapacity = 100
	}
	for _, lt := range p.subs("launch_template") {
		for _, spec := range lt.subs("launch_template_specification") {
			out.LaunchTemplate = &inventory.LaunchTemplateRef{ID: mp.str(spec, "launch_template_id"),
				Name: mp.str(spec, "launch_template_name"), Version: mp.str(spec, "version")}
			setBlock(ps, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification", spec)
		}
		for _, o := range lt.subs("override") {
			if t := mp.str(o, "instance_type"); t != "" {
				out.InstanceTypes = append(out.InstanceTypes, t)
			}
			if _, ok := ps["MixedInstancesPolicy.LaunchTemplate.Overrides"]; !ok {
				setBlock(ps, "MixedInstancesPolicy.LaunchTemplate.Overrides", o)
			}
		}
	}
	return out
}

var blockDeviceSchema = &schema{
	attrs:  []string{"device_name", "no_device", "virtual_name"},
	blocks: map[string]*schema{"ebs": {attrs: []string{"volume_size", "volume_type", "iops", "encrypted", "delete_on_termination", "snapshot_id"}}},
}

var launchTemplateSchema = &schema{
	attrs: []string{"name", "name_prefix", "image_id", "instance_type", "user_data", "key_name", "vpc_security_group_ids", "security_group_names"},
	blocks: map[string]*schema{
		"iam_instance_profile":    {attrs: []string{"name", "arn"}},
		"block_device_mappings":   blockDeviceSchema,
		"metadata_options":        {attrs: []string{"http_tokens"}},
		"instance_market_options": {attrs: []string{"market_type"}},
		"placement":               {attrs: []string{"tenancy"}},
		"monitoring":              {attrs: []string{"enabled"}},
		"network_interfaces":      {attrs: []string{"security_groups"}},
	},
}

func mapTFLaunchTemplate(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, launchTemplateSchema)
	rt.nameGap(r)
	spec := inventory.LaunchSpec{Source: r.id(), Places: newPlaces(r.at())}
	var image *imageLookup
	spec.ImageID, image = imageID(mp, p, "image_id")
	spec.InstanceType = mp.str(p, "instance_type")
	spec.KeyName = mp.str(p, "key_name")
	spec.UserData = mp.userData(p, "user_data")
	spec.UserDataLines = userDataLines(p, "user_data", spec.UserData)
	launchFields(&spec, p, tfLaunchFields)
	spec.SecurityGroups = append(mp.strs(p, "vpc_security_group_ids"), mp.strs(p, "security_group_names")...)
	for _, ni := range p.subs("network_interfaces") {
		spec.SecurityGroups = append(spec.SecurityGroups, mp.strs(ni, "security_groups")...)
	}
	spec.SecurityGroups = sortedUnique(spec.SecurityGroups)
	for _, ip := range p.subs("iam_instance_profile") {
		spec.IAMInstanceProfile = orDefault(mp.str(ip, "arn"), mp.str(ip, "name"))
		setBlock(spec.Places, "IamInstanceProfile", ip)
	}
	for _, bd := range p.subs("block_device_mappings") {
		spec.BlockDevices = append(spec.BlockDevices, blockDevice(mp, bd, mp.str(bd, "device_name"), spec.Places))
	}
	setPlace(spec.Places, "BlockDeviceMappings", p, "block_device_mappings")
	if unknownBlocks(p, "block_device_mappings") {
		spec.Unknown = sortedUnique(append(spec.Unknown, "BlockDeviceMappings"))
	}
	launchOptions(mp, p, tfLaunchOptions, &spec)
	rt.b.templates = append(rt.b.templates, &launchRec{stack: rt.stack, id: r.id(), name: r.name(), account: prov.account, region: prov.region, spec: spec, image: image})
}

// blockDevice reads one mapping; Terraform launch templates nest the volume in an ebs
// block, launch configurations do not. Where it is written goes in ps, by device.
func blockDevice(mp mapper, p props, device string, ps inventory.Places) inventory.BlockDevice {
	bd := inventory.BlockDevice{DeviceName: device, VirtualName: mp.str(p, "virtual_name")}
	bd.NoDevice = mp.boolOr(p, "no_device", false)
	vol := p
	if ebs := p.subs("ebs"); len(ebs) > 0 {
		vol = ebs[0]
	}
	bd.SnapshotID = mp.str(vol, "snapshot_id")
	bd.VolumeSize = mp.intOr(vol, "volume_size", 0)
	bd.VolumeType = mp.str(vol, "volume_type")
	bd.IOPS = mp.intOr(vol, "iops", 0)
	bd.Encrypted = mp.boolOr(vol, "encrypted", false)
	bd.DeleteOnTermination = mp.boolPtr(vol, "delete_on_termination")
	field := "BlockDeviceMappings[" + device + "]"
	setBlock(ps, field, p)
	if _, ok := ps["BlockDeviceMappings"]; !ok {
		setBlock(ps, "BlockDeviceMappings", p)
	}
	setPlace(ps, field+".DeviceName", p, "device_name")
	setPlace(ps, field+".VirtualName", p, "virtual_name")
	setPlace(ps, field+".Ebs.VolumeSize", vol, "volume_size")
	setPlace(ps, field+".Ebs.DeleteOnTermination", vol, "delete_on_termination")
	return bd
}

var launchConfigurationSchema = &schema{
	attrs: []string{"name", "name_prefix", "image_id", "instance_type", "user_data", "user_data_base64", "iam_instance_profile",
		"key_name", "security_groups", "spot_price", "placement_tenancy", "enable_monitoring"},
	blocks: map[string]*schema{
		"root_block_device":      {attrs: []string{"volume_size", "volume_type", "iops", "encrypted", "delete_on_termination"}},
		"ebs_block_device":       {attrs: []string{"device_name", "snapshot_id", "volume_size", "volume_type", "iops", "encrypted", "delete_on_termination", "no_device"}},
		"ephemeral_block_device": {attrs: []string{"device_name", "virtual_name", "no_device"}},
		"metadata_options":       {attrs: []string{"http_tokens"}},
	},
}

// rootDevice stands for the root volume of a launch configuration, which Terraform maps
// without a device name: AWS puts it at the image's root device. /dev/xvda is the root
// device of Amazon Linux, and assess recognises it as the root; when the image is a lookup
// whose distribution is known, rootDeviceOf gives that distribution's.
const rootDevice = "/dev/xvda"

func mapTFLaunchConfiguration(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, launchConfigurationSchema)
	rt.nameGap(r)
	spec := inventory.LaunchSpec{Source: r.id(), Places: newPlaces(r.at())}
	var image *imageLookup
	spec.ImageID, image = imageID(mp, p, "image_id")
	spec.InstanceType = mp.str(p, "instance_type")
	spec.KeyName = mp.str(p, "key_name")
	spec.IAMInstanceProfile = mp.str(p, "iam_instance_profile")
	spec.SecurityGroups = sortedUnique(mp.strs(p, "security_groups"))
	udName := "user_data"
	if _, _, ok := p.get(udName); !ok {
		udName = "user_data_base64"
	}
	spec.UserData = mp.userData(p, udName)
	spec.UserDataLines = userDataLines(p, udName, spec.UserData)
	lcFields := tfLCFields
	lcFields.userData = udName
	launchFields(&spec, p, lcFields)
	spec.SpotPrice = mp.str(p, "spot_price")
	spec.Tenancy = mp.str(p, "placement_tenancy")
	spec.DetailedMonitoring = mp.boolOr(p, "enable_monitoring", true)
	for _, bd := range p.subs("root_block_device") {
		spec.BlockDevices = append(spec.BlockDevices, blockDevice(mp, bd, rootDeviceOf(image), spec.Places))
	}
	for _, bd := range p.subs("ebs_block_device") {
		spec.BlockDevices = append(spec.BlockDevices, blockDevice(mp, bd, mp.str(bd, "device_name"), spec.Places))
	}
	for _, bd := range p.subs("ephemeral_block_device") {
		spec.BlockDevices = append(spec.BlockDevices, blockDevice(mp, bd, mp.str(bd, "device_name"), spec.Places))
	}
	for _, typ := range []string{"root_block_device", "ebs_block_device", "ephemeral_block_device"} {
		if unknownBlocks(p, typ) {
			spec.Unknown = sortedUnique(append(spec.Unknown, "BlockDeviceMappings"))
		}
	}
	for _, mo := range p.subs("metadata_options") {
		spec.MetadataHTTPTokens = mp.str(mo, "http_tokens")
		setPlace(spec.Places, "MetadataOptions.HttpTokens", mo, "http_tokens")
		unknownIf(&spec.Unknown, "MetadataOptions.HttpTokens", mo, "http_tokens")
	}
	rt.b.configs = append(rt.b.configs, &launchRec{stack: rt.stack, id: r.id(), name: r.name(), account: prov.account, region: prov.region, spec: spec, image: image})
}

var policySchema = &schema{
	attrs: []string{"name", "autoscaling_group_name", "policy_type", "adjustment_type", "scaling_adjustment", "cooldown", "enabled"},
	blocks: map[string]*schema{
		"target_tracking_configuration": {attrs: []string{"target_value", "disable_scale_in"}, blocks: map[string]*schema{
			"predefined_metric_specification": {attrs: []string{"predefined_metric_type"}},
			"customized_metric_specification": {attrs: []string{"metric_name", "namespace"}},
		}},
	},
}

func mapTFPolicy(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, policySchema)
	sp := scalingPolicy(mp, p, r.name(), r.id())
	sp.Places[""] = toPlace(r.at())
	if group, ok := rt.b.groupRef(mp, p, "autoscaling_group_name", rt.stack, prov.account, prov.region, "ScalingPolicies"); ok {
		rt.b.policies = append(rt.b.policies, groupPart[inventory.ScalingPolicy]{stack: rt.stack, account: prov.account, region: prov.region,
			group: group, at: r.at(), what: r.addr(), v: sp})
	}
}

// scalingPolicy reads a policy from an aws_autoscaling_policy or an entry of the registry
// module's scaling_policies, which share their argument names.
func scalingPolicy(mp mapper, p props, name, arn string) inventory.ScalingPolicy {
	sp := inventory.ScalingPolicy{Name: name, ARN: arn, Type: orDefault(mp.str(p, "policy_type"), "SimpleScaling"),
		AdjustmentType: mp.str(p, "adjustment_type"), ScalingAdjustment: mp.intPtr(p, "scaling_adjustment"),
		// AWS's default: a policy that does not say is enabled.
		Cooldown: mp.intPtr(p, "cooldown"), Enabled: mp.boolOr(p, "enabled", true), Places: newPlaces(p.where())}
	setPlace(sp.Places, "PolicyType", p, "policy_type")
	setPlace(sp.Places, "Enabled", p, "enabled")
	unknownIf(&sp.Unknown, "PolicyType", p, "policy_type")
	unknownIf(&sp.Unknown, "Enabled", p, "enabled")
	for _, tt := range p.subs("target_tracking_configuration") {
		setBlock(sp.Places, "TargetTrackingConfiguration", tt)
		sp.TargetValue = mp.floatPtr(tt, "target_value")
		setPlace(sp.Places, "TargetTrackingConfiguration.TargetValue", tt, "target_value")
		sp.DisableScaleIn = mp.boolOr(tt, "disable_scale_in", false)
		for _, pm := range tt.subs("predefined_metric_specification") {
			sp.Metric = mp.str(pm, "predefined_metric_type")
			setPlace(sp.Places, "TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType", pm, "predefined_metric_type")
		}
		for _, cm := range tt.subs("customized_metric_specification") {
			sp.Metric = mp.str(cm, "namespace") + "/" + mp.str(cm, "metric_name")
			setBlock(sp.Places, "TargetTrackingConfiguration.CustomizedMetricSpecification", cm)
		}
	}
	if _, ok := sp.Places["PolicyType"]; !ok {
		// Target tracking without policy_type is not possible; a step policy says so by
		// its steps, a simple one by writing nothing: the policy itself is the evidence.
		sp.Places["PolicyType"] = sp.Places[""]
	}
	return sp
}

var scheduleSchema = &schema{attrs: []string{"scheduled_action_name", "autoscaling_group_name", "recurrence", "start_time",
	"end_time", "time_zone", "min_size", "max_size", "desired_capacity"}}

func mapTFSchedule(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, scheduleSchema)
	sa := scheduledAction(mp, p, orDefault(mp.str(p, "scheduled_action_name"), r.addr()))
	sa.Places[""] = toPlace(r.at())
	if group, ok := rt.b.groupRef(mp, p, "autoscaling_group_name", rt.stack, prov.account, prov.region, "ScheduledActions"); ok {
		rt.b.schedules = append(rt.b.schedules, groupPart[inventory.ScheduledAction]{stack: rt.stack, account: prov.account, region: prov.region,
			group: group, at: r.at(), what: r.addr(), v: sa})
	}
}

func scheduledAction(mp mapper, p props, name string) inventory.ScheduledAction {
	sa := inventory.ScheduledAction{Name: name,
		Recurrence: mp.str(p, "recurrence"), StartTime: mp.str(p, "start_time"), EndTime: mp.str(p, "end_time"),
		TimeZone: mp.str(p, "time_zone"), MinSize: mp.intPtr(p, "min_size"), MaxSize: mp.intPtr(p, "max_size"),
		DesiredCapacity: mp.intPtr(p, "desired_capacity"), Places: newPlaces(p.where())}
	for _, f := range [][2]string{{"Recurrence", "recurrence"}, {"StartTime", "start_time"}, {"MinSize", "min_size"}, {"MaxSize", "max_size"}, {"DesiredCapacity", "desired_capacity"}} {
		setPlace(sa.Places, f[0], p, f[1])
	}
	return sa
}

var hookSchema = &schema{attrs: []string{"name", "autoscaling_group_name", "lifecycle_transition", "heartbeat_timeout", "default_result"}}

func mapTFHook(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, hookSchema)
	h := inventory.LifecycleHook{Name: orDefault(mp.str(p, "name"), r.addr()), Transition: mp.str(p, "lifecycle_transition"),
		HeartbeatTimeout: mp.intOr(p, "heartbeat_timeout", 3600), DefaultResult: orDefault(mp.str(p, "default_result"), "ABANDON"),
		Places: newPlaces(r.at())}
	setPlace(h.Places, "LifecycleTransition", p, "lifecycle_transition")
	if group, ok := rt.b.groupRef(mp, p, "autoscaling_group_name", rt.stack, prov.account, prov.region, "LifecycleHooks"); ok {
		rt.b.hooks = append(rt.b.hooks, groupPart[inventory.LifecycleHook]{stack: rt.stack, account: prov.account, region: prov.region,
			group: group, at: r.at(), what: r.addr(), v: h})
	}
}

var deploymentGroupSchema = &schema{attrs: []string{"app_name", "deployment_group_name", "autoscaling_groups"}}

// mapTFDeploymentGroup reads a CodeDeploy deployment group: the groups it deploys to get
// what its application's revisions hold after they boot. Revisions come from deployments,
// which the code does not hold.
func mapTFDeploymentGroup(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, deploymentGroupSchema)
	d := inventory.Deployment{Service: inventory.DeployCodeDeploy, Application: knownName(mp.text(p, "app_name")),
		DeploymentGroup: mp.str(p, "deployment_group_name"), Source: r.id(), Places: newPlaces(r.at())}
	setPlace(d.Places, "Application", p, "app_name")
	for _, group := range mp.strs(p, "autoscaling_groups") {
		rt.b.deployments = append(rt.b.deployments, groupPart[inventory.Deployment]{stack: rt.stack, account: prov.account, region: prov.region,
			group: group, at: r.at(), what: r.addr(), v: d})
	}
}

var attachmentSchema = &schema{attrs: []string{"autoscaling_group_name", "lb_target_group_arn", "alb_target_group_arn", "elb"}}

func mapTFAttachment(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, attachmentSchema)
	a := attachment{targetGroup: orDefault(mp.str(p, "lb_target_group_arn"), mp.str(p, "alb_target_group_arn")), elb: mp.str(p, "elb"), at: r.at()}
	field := "TargetGroupARNs"
	if _, _, ok := p.get("elb"); ok {
		field = "LoadBalancerNames"
	}
	if group, ok := rt.b.groupRef(mp, p, "autoscaling_group_name", rt.stack, prov.account, prov.region, field); ok {
		rt.b.attach = append(rt.b.attach, groupPart[attachment]{stack: rt.stack, account: prov.account, region: prov.region,
			group: group, at: r.at(), what: r.addr(), v: a})
	}
}

var classicSchema = &schema{
	attrs: []string{"name", "name_prefix", "internal", "cross_zone_load_balancing", "idle_timeout", "connection_draining",
		"connection_draining_timeout", "tags"},
	blocks: map[string]*schema{
		"listener":     {attrs: []string{"instance_port", "instance_protocol", "lb_port", "lb_protocol", "ssl_certificate_id"}},
		"health_check": {attrs: []string{"target", "interval", "timeout", "healthy_threshold", "unhealthy_threshold"}},
	},
}

func mapTFClassic(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, classicSchema)
	rt.nameGap(r)
	lb := &inventory.ClassicLoadBalancer{Name: r.name(), Source: r.id(), Account: prov.account, Region: prov.region,
		Scheme: scheme(mp.boolOr(p, "internal", false)), CrossZone: mp.boolOr(p, "cross_zone_load_balancing", true),
		IdleTimeout: mp.intOr(p, "idle_timeout", 60), ConnectionDraining: mp.boolOr(p, "connection_draining", false),
		ConnectionDrainingTimeout: mp.intOr(p, "connection_draining_timeout", 300), Tags: nonEmpty(mp.strMap(p, "tags")),
		Places: newPlaces(r.at())}
	setPlace(lb.Places, "Attributes.ConnectionDraining", p, "connection_draining")
	setPlace(lb.Places, "Attributes.ConnectionDraining.Timeout", p, "connection_draining_timeout")
	for _, l := range p.subs("listener") {
		cl := inventory.ClassicListener{Protocol: strings.ToUpper(mp.str(l, "lb_protocol")),
			Port: mp.intOr(l, "lb_port", 0), InstanceProtocol: strings.ToUpper(mp.str(l, "instance_protocol")),
			InstancePort: mp.intOr(l, "instance_port", 0), SSLCertificateID: mp.str(l, "ssl_certificate_id")}
		lb.Listeners = append(lb.Listeners, cl)
		setBlock(lb.Places, "ListenerDescriptions["+strconv.Itoa(cl.Port)+"]", l)
		if _, ok := lb.Places["ListenerDescriptions"]; !ok {
			setBlock(lb.Places, "ListenerDescriptions", l)
		}
	}
	for _, hc := range p.subs("health_check") {
		lb.HealthCheck = &inventory.ClassicHealthCheck{Target: mp.str(hc, "target"), Interval: mp.intOr(hc, "interval", 0),
			Timeout: mp.intOr(hc, "timeout", 0), HealthyThreshold: mp.intOr(hc, "healthy_threshold", 0),
			UnhealthyThreshold: mp.intOr(hc, "unhealthy_threshold", 0)}
		setBlock(lb.Places, "HealthCheck", hc)
		setPlace(lb.Places, "HealthCheck.Target", hc, "target")
		unknownIf(&lb.Unknown, "HealthCheck.Target", hc, "target")
	}
	if lb.HealthCheck == nil {
		lb.HealthCheck = classicDefaultHealthCheck(lb.Listeners)
	}
	rt.b.classic = append(rt.b.classic, classicRec{lb: lb, at: r.at(), stack: rt.stack})
}

var classicStickinessSchema = &schema{attrs: []string{"name", "load_balancer", "lb_port", "cookie_expiration_period", "cookie_name"}}

func mapTFClassicStickiness(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, classicStickinessSchema)
	pol := inventory.ClassicPolicy{Name: orDefault(mp.str(p, "name"), r.addr()), Type: stickyLBCookie, Attributes: map[string]string{}}
	if r.def.typ == "aws_app_cookie_stickiness_policy" {
		pol.Type = stickyAppCookie
		pol.Attributes["CookieName"] = mp.str(p, "cookie_name")
	} else if n, ok := mp.intOK(p, "cookie_expiration_period"); ok {
		pol.Attributes["CookieExpirationPeriod"] = strconv.Itoa(n)
	}
	pol.Attributes = nonEmpty(pol.Attributes)
	if lb, ok := mp.strOK(p, "load_balancer"); ok {
		rt.b.clbPolicy = append(rt.b.clbPolicy, clbPolicyRec{stack: rt.stack, account: prov.account, region: prov.region, lb: lb,
			port: mp.intOr(p, "lb_port", 0), policy: pol, at: r.at(), what: r.addr()})
	}
}

var classicPolicySchema = &schema{attrs: []string{"load_balancer_name", "policy_name", "policy_type_name"}}

// mapTFClassicPolicy reads a policy written with its type (LBCookieStickinessPolicyType and
// the like, in whatever case); listeners take it by name (aws_load_balancer_listener_policy).
func mapTFClassicPolicy(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, classicPolicySchema)
	pol := inventory.ClassicPolicy{Name: orDefault(mp.str(p, "policy_name"), r.addr()), Type: classicPolicyKind(mp.str(p, "policy_type_name"))}
	if lb, ok := mp.strOK(p, "load_balancer_name"); ok {
		rt.b.clbPolicy = append(rt.b.clbPolicy, clbPolicyRec{stack: rt.stack, account: prov.account, region: prov.region, lb: lb,
			port: -1, policy: pol, at: r.at(), what: r.addr()})
	}
}

var classicListenerPolicySchema = &schema{attrs: []string{"load_balancer_name", "load_balancer_port", "policy_names"}}

func mapTFClassicListenerPolicy(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, classicListenerPolicySchema)
	lb, ok := mp.strOK(p, "load_balancer_name")
	if !ok {
		return
	}
	rt.b.clbListenerPolicy = append(rt.b.clbListenerPolicy, clbListenerPolicyRec{stack: rt.stack, account: prov.account, region: prov.region,
		lb: lb, port: mp.intOr(p, "load_balancer_port", 0), names: mp.strs(p, "policy_names"), at: r.at(), what: r.addr()})
}

var loadBalancerSchema = &schema{attrs: []string{"name", "name_prefix", "load_balancer_type", "internal", "tags"}}

func mapTFLoadBalancer(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, loadBalancerSchema)
	rt.nameGap(r)
	lb := &inventory.LoadBalancer{ARN: r.id(), Name: r.name(), Account: prov.account, Region: prov.region,
		Type: orDefault(mp.str(p, "load_balancer_type"), "application"), Scheme: scheme(mp.boolOr(p, "internal", false)),
		Tags: nonEmpty(mp.strMap(p, "tags")), Places: newPlaces(r.at())}
	setPlace(lb.Places, "Type", p, "load_balancer_type")
	setPlace(lb.Places, "Scheme", p, "internal")
	rt.b.lbs = append(rt.b.lbs, lb)
}

var listenerSchema = &schema{
	attrs: []string{"load_balancer_arn", "port", "protocol", "ssl_policy"},
	blocks: map[string]*schema{"default_action": {attrs: []string{"type", "target_group_arn"}, blocks: map[string]*schema{
		"forward": {blocks: map[string]*schema{"target_group": {attrs: []string{"arn"}}}},
	}}},
}

func mapTFListener(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, listenerSchema)
	l := inventory.Listener{ARN: r.id(), Port: mp.intOr(p, "port", 0), Protocol: mp.str(p, "protocol"), SSLPolicy: mp.str(p, "ssl_policy"),
		Places: newPlaces(r.at())}
	l.TargetGroupARNs = forwardTargets(mp, p.subs("default_action"), tfForward)
	setPlace(l.Places, "Port", p, "port")
	setPlace(l.Places, "Protocol", p, "protocol")
	setPlace(l.Places, "DefaultActions", p, "default_action")
	if lb, ok := mp.strOK(p, "load_balancer_arn"); ok {
		rt.b.listeners = append(rt.b.listeners, listenerRec{stack: rt.stack, account: prov.account, region: prov.region, lb: lb, l: l, at: r.at(), what: r.addr()})
	}
}

var listenerRuleSchema = &schema{
	attrs: []string{"listener_arn"},
	blocks: map[string]*schema{"action": {attrs: []string{"type", "target_group_arn"}, blocks: map[string]*schema{
		"forward": {blocks: map[string]*schema{"target_group": {attrs: []string{"arn"}}}},
	}}},
}

func mapTFListenerRule(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, listenerRuleSchema)
	tgs := forwardTargets(mp, p.subs("action"), tfForward)
	if l, ok := mp.strOK(p, "listener_arn"); ok && len(tgs) > 0 {
		rt.b.rules = append(rt.b.rules, ruleRec{stack: rt.stack, account: prov.account, region: prov.region, listener: l,
			tgs: tgs, at: r.at(), what: r.addr()})
	}
}

var targetGroupSchema = &schema{
	attrs: []string{"name", "name_prefix", "port", "protocol", "target_type", "deregistration_delay", "tags"},
	blocks: map[string]*schema{
		"health_check": {attrs: []string{"enabled", "path", "port", "protocol", "matcher", "interval", "timeout", "healthy_threshold", "unhealthy_threshold"}},
		"stickiness":   {attrs: []string{"enabled", "type", "cookie_duration", "cookie_name"}},
	},
}

func mapTFTargetGroup(rt *tfRoot, r *tfResource) {
	p, mp, prov := rt.open(r, targetGroupSchema)
	rt.nameGap(r)
	tg := &inventory.TargetGroup{ARN: r.id(), Name: r.name(), Account: prov.account, Region: prov.region,
		Port: mp.intOr(p, "port", 0), Protocol: mp.str(p, "protocol"), TargetType: orDefault(mp.str(p, "target_type"), "instance"),
		Tags: nonEmpty(mp.strMap(p, "tags")), Places: newPlaces(r.at())}
	setPlace(tg.Places, "Port", p, "port")
	setPlace(tg.Places, "Protocol", p, "protocol")
	setPlace(tg.Places, "TargetType", p, "target_type")
	// The provider's defaults, which AWS reports as the group's health check.
	tg.HealthCheck = inventory.TargetHealthCheck{Enabled: true, Port: "traffic-port", Protocol: tg.Protocol, Interval: 30,
		HealthyThreshold: 3, UnhealthyThreshold: 3}
	// An unknown timeout or matcher stays empty, with its gap; one not set is AWS's default.
	timeoutSet, matcherSet := false, false
	for _, hc := range p.subs("health_check") {
		// A field the block leaves out is AWS's default, which the block itself turns on:
		// the block is its evidence.
		for _, f := range [][2]string{{"HealthCheckEnabled", "enabled"}, {"HealthCheckPath", "path"}, {"HealthCheckPort", "port"},
			{"HealthCheckProtocol", "protocol"}, {"Matcher", "matcher"}, {"HealthCheckIntervalSeconds", "interval"},
			{"HealthCheckTimeoutSeconds", "timeout"}, {"HealthyThresholdCount", "healthy_threshold"}, {"UnhealthyThresholdCount", "unhealthy_threshold"}} {
			setBlock(tg.Places, f[0], hc)
			setPlace(tg.Places, f[0], hc, f[1])
			unknownIf(&tg.Unknown, f[0], hc, f[1])
		}
		h := &tg.HealthCheck
		h.Enabled = mp.boolOr(hc, "enabled", true)
		h.Path = mp.str(hc, "path")
		h.Port = orDefault(mp.str(hc, "port"), h.Port)
		h.Protocol = orDefault(mp.str(hc, "protocol"), h.Protocol)
		h.Matcher = mp.str(hc, "matcher")
		h.Interval = mp.intOr(hc, "interval", h.Interval)
		h.Timeout = mp.intOr(hc, "timeout", 0)
		if _, _, set := hc.get("timeout"); set {
			timeoutSet = true
		}
		if _, _, set := hc.get("matcher"); set {
			matcherSet = true
		}
		h.HealthyThreshold = mp.intOr(hc, "healthy_threshold", h.HealthyThreshold)
		h.UnhealthyThreshold = mp.intOr(hc, "unhealthy_threshold", h.UnhealthyThreshold)
	}
	if up := strings.ToUpper(tg.HealthCheck.Protocol); tg.HealthCheck.Path == "" && (up == "HTTP" || up == "HTTPS") && knownTG(tg, "HealthCheckPath") {
		tg.HealthCheck.Path = "/" // AWS's default for an HTTP health check; not for one the code sets to what it cannot know
	}
	if !timeoutSet {
		tg.HealthCheck.Timeout = targetHealthTimeout(tg.Protocol, tg.HealthCheck.Protocol, tg.TargetType)
	}
	if !matcherSet {
		tg.HealthCheck.Matcher = targetHealthMatcher(tg.Protocol, tg.HealthCheck.Protocol)
	}
	attrs := map[string]string{"stickiness.enabled": "false",
		"deregistration_delay.timeout_seconds": strconv.Itoa(mp.intOr(p, "deregistration_delay", 300))}
	setPlace(tg.Places, "Attributes[deregistration_delay.timeout_seconds]", p, "deregistration_delay")
	for _, st := range p.subs("stickiness") {
		attrs["stickiness.enabled"] = strconv.FormatBool(mp.boolOr(st, "enabled", true))
		typ := stickinessKind(orDefault(mp.str(st, "type"), "lb_cookie"))
		attrs["stickiness.type"] = typ
		if typ == "lb_cookie" {
			attrs["stickiness.lb_cookie.duration_seconds"] = strconv.Itoa(mp.intOr(st, "cookie_duration", 86400))
		}
		if n := mp.str(st, "cookie_name"); n != "" {
			attrs["stickiness.app_cookie.cookie_name"] = n
		}
		// The block turns stickiness on unless it says enabled = false.
		for _, f := range [][2]string{{"Attributes[stickiness.enabled]", "enabled"}, {"Attributes[stickiness.type]", "type"}} {
			setBlock(tg.Places, f[0], st)
			setPlace(tg.Places, f[0], st, f[1])
		}
		if v, _, set := st.get("enabled"); set && !isKnown(v) {
			// Neither on nor off: left out, as the API would leave out what it cannot say.
			delete(attrs, "stickiness.enabled")
			tg.Unknown = sortedUnique(append(tg.Unknown, "Attributes[stickiness.enabled]"))
		}
	}
	if unknownBlocks(p, "stickiness") {
		delete(attrs, "stickiness.enabled")
		tg.Unknown = sortedUnique(append(tg.Unknown, "Attributes[stickiness.enabled]"))
	}
	tg.Attributes = attrs
	rt.b.tgs = append(rt.b.tgs, tg)
}

func scheme(internal bool) string {
	if internal {
		return "internal"
	}
	return "internet-facing"
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

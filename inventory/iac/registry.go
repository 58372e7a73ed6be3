package iac

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"whyk8s/inventory"
)

// autoscalingModule is the registry module most teams use for a group and its launch
// template. Its code is not in the repository, but its inputs are well known (v6 to v8),
// so whyk8s maps them as the module would.
const autoscalingModule = "terraform-aws-modules/autoscaling/aws"

// callProps reads a module call's arguments as props: those of one instance of a call with
// count or for_each when in is set, else of the call (read as one when it repeats).
func (m *tfModule) callProps(c *tfModuleCall, in *tfInstance) *tfProps {
	at := place{path: c.block.DefRange.Filename, line: c.block.DefRange.Start.Line}
	p := &tfProps{m: m, attrs: c.attrs, blocks: map[string][]props{}, extra: m.callExtra(c),
		name: joinAddr(m.addr, "module."+c.name), at: at}
	if in != nil {
		p.extra, p.name = in.extra, p.name+in.suffix
	}
	return p
}

// callInstances are the instances of a registry module call with count or for_each, when
// known; ok is false for a call that does not repeat or is read as one.
func (m *tfModule) callInstances(c *tfModuleCall) ([]*tfInstance, bool) {
	if c.attrs["count"] == nil && c.attrs["for_each"] == nil {
		return nil, false
	}
	return m.repeatInstances(c.attrs["count"], c.attrs["for_each"])
}

// autoscalingModuleOutputs are the outputs of a registry autoscaling module call: a list
// (count) or object (for_each) of each instance's when the call repeats and its instances
// are known.
func (rt *tfRoot) autoscalingModuleOutputs(m *tfModule, c *tfModuleCall) cty.Value {
	insts, ok := m.callInstances(c)
	if !ok {
		return rt.autoscalingOutputs(m, c, nil)
	}
	if c.attrs["count"] != nil {
		if len(insts) == 0 {
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(insts))
		for i, in := range insts {
			vals[i] = rt.autoscalingOutputs(m, c, in)
		}
		return cty.TupleVal(vals)
	}
	vals := make(map[string]cty.Value, len(insts))
	for _, in := range insts {
		vals[in.key] = rt.autoscalingOutputs(m, c, in)
	}
	return cty.ObjectVal(vals)
}

// trafficSources adds the load balancers the module attaches: traffic_source_attachments,
// a map of {traffic_source_identifier, traffic_source_type} (v8 on), or the single
// create_traffic_source_attachment of v7. elbv2 identifiers are target groups, elb ones
// classic load balancers; an identifier that cannot be known is a gap at its line.
func trafficSources(mp mapper, p *tfProps, tgs, elbs []string) ([]string, []string) {
	add := func(e props, idName, typName string) {
		id, ok := mp.strOK(e, idName)
		if !ok || id == "" {
			return
		}
		switch typ := orDefault(mp.str(e, typName), "elbv2"); typ {
		case "elb":
			elbs = append(elbs, id)
		case "elbv2":
			tgs = append(tgs, id)
		default: // vpc-lattice: no load balancer whyk8s reads
			_, at, _ := e.get(typName)
			*mp.gaps = append(*mp.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved,
				Message: e.label() + " traffic source of type " + typ + " is not read"})
		}
	}
	if all, ok := p.arg("traffic_source_attachments"); ok {
		if !isKnown(all.v) && plain(all.v).Type() == cty.DynamicPseudoType {
			mp.unresolved(p, "traffic_source_attachments", all.at, all.v)
		} else {
			_, entries := all.entries()
			for _, e := range entries {
				add(e, "traffic_source_identifier", "traffic_source_type")
			}
		}
	}
	if mp.boolOr(p, "create_traffic_source_attachment", false) {
		add(p, "traffic_source_identifier", "traffic_source_type")
	}
	return tgs, elbs
}

// autoscalingIDs are the names and evidence identifiers of what the module creates; its
// outputs and the mapped records use the same ones, so references from elsewhere join.
type autoscalingIDs struct {
	group, groupARN, template, templateID string
	groupKnown, templateKnown             bool
	// bare is the name as the code gives it, before the module makes it a prefix.
	bare      string
	bareKnown bool
	// nameWhy is why the group's name is not known, when it is written but is not.
	nameWhy  []string
	nameAttr *hcl.Attribute
}

func (m *tfModule) autoscalingIDs(c *tfModuleCall, in *tfInstance) autoscalingIDs {
	p := m.callProps(c, in)
	addr := p.name
	// With ignore_desired_capacity_changes the module creates its group as
	// aws_autoscaling_group.idc, whose desired capacity Terraform leaves alone.
	group := ".aws_autoscaling_group.this"
	if v, _, ok := p.get("ignore_desired_capacity_changes"); ok && isKnown(v) {
		if b, _ := asBool(v); b {
			group = ".aws_autoscaling_group.idc"
		}
	}
	ids := autoscalingIDs{
		group: addr, groupARN: m.evidence(p.at, addr+group),
		templateID: m.evidence(p.at, addr+".aws_launch_template.this"),
	}
	if a := c.attrs["name"]; a != nil {
		name, known, why := m.nameOf(a.Expr, p.extra)
		ids.groupKnown, ids.nameAttr = known, a
		if name != "" {
			ids.group = name
		}
		if !known {
			ids.nameWhy = why
		}
	}
	ids.template, ids.templateKnown = ids.group, ids.groupKnown
	if a := c.attrs["launch_template_name"]; a != nil {
		name, known, _ := m.nameOf(a.Expr, p.extra)
		ids.templateKnown = known
		if name != "" {
			ids.template = name
		}
	}
	// The module names its group and template with name_prefix = "${name}-" unless
	// use_name_prefix (launch_template_use_name_prefix) is false: AWS adds a suffix.
	prefixed := func(arg string) bool {
		v, _, ok := p.get(arg)
		if !ok || !isKnown(v) {
			return true
		}
		b, ok := asBool(v)
		return !ok || b
	}
	ids.bare, ids.bareKnown = ids.group, ids.groupKnown
	if ids.groupKnown && prefixed("use_name_prefix") {
		ids.group, ids.groupKnown = ids.group+"-"+ellipsis, false
		ids.nameWhy = []string{"the module uses it as name_prefix (use_name_prefix is not false), and AWS adds a unique suffix"}
	}
	if ids.templateKnown && prefixed("launch_template_use_name_prefix") {
		ids.template, ids.templateKnown = strings.TrimSuffix(ids.template, "-"+ellipsis)+"-"+ellipsis, false
	}
	return ids
}

// autoscalingOutputs are the module's outputs that other code refers to. A name the code
// does not fix is known only once created: the identifier stands for it.
func (rt *tfRoot) autoscalingOutputs(m *tfModule, c *tfModuleCall, in *tfInstance) cty.Value {
	ids := m.autoscalingIDs(c, in)
	addr := m.callProps(c, in).name
	groupName := identityVal(ids.groupARN, addr+".autoscaling_group_name")
	if ids.groupKnown {
		groupName = cty.StringVal(ids.group)
	}
	templateName := identityVal(ids.templateID, addr+".launch_template_name")
	if ids.templateKnown {
		templateName = cty.StringVal(ids.template)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"autoscaling_group_name":         groupName,
		"autoscaling_group_id":           groupName,
		"autoscaling_group_arn":          identityVal(ids.groupARN, addr+".autoscaling_group_arn"),
		"launch_template_id":             identityVal(ids.templateID, addr+".launch_template_id"),
		"launch_template_arn":            identityVal(ids.templateID, addr+".launch_template_arn"),
		"launch_template_name":           templateName,
		"launch_template_latest_version": cty.StringVal("$Latest"),
	})
}

// mapAutoscalingModule maps one call of the registry autoscaling module, once per instance
// when it has count or for_each and they are known (none for count = 0), else as one.
func (rt *tfRoot) mapAutoscalingModule(m *tfModule, c *tfModuleCall) {
	if insts, ok := m.callInstances(c); ok {
		for _, in := range insts {
			rt.mapAutoscalingInstance(m, c, in)
		}
		return
	}
	if c.attrs["count"] != nil || c.attrs["for_each"] != nil {
		rt.repeatGap(m, joinAddr(m.addr, "module."+c.name), c.block.DefRange.Filename, c.attrs["count"], c.attrs["for_each"], "module instance")
	}
	rt.mapAutoscalingInstance(m, c, nil)
}

// mapAutoscalingInstance maps one instance of the registry autoscaling module: the group,
// its launch template unless the call brings its own, policies, schedules and hooks.
func (rt *tfRoot) mapAutoscalingInstance(m *tfModule, c *tfModuleCall, in *tfInstance) {
	p := m.callProps(c, in)
	mp := mapper{gaps: &rt.b.gaps, decode: rt.b.userData}
	if !mp.boolOr(p, "create", true) {
		return
	}
	prov := m.providers["aws"]
	if a := c.attrs["providers"]; a != nil {
		pairs, _ := hcl.ExprMap(a.Expr)
		for _, kv := range pairs {
			if cfg, ok := m.providers[traversalName(kv.Value)]; ok && traversalName(kv.Key) == "aws" {
				prov = cfg
			}
		}
	}
	ids := m.autoscalingIDs(c, in)
	if a := ids.nameAttr; a != nil && !ids.groupKnown {
		*mp.gaps = append(*mp.gaps, inventory.CoverageGap{Path: a.Range.Filename, Line: a.Range.Start.Line, Kind: inventory.GapUnresolved,
			Message: p.name + " name = " + rt.excerpt(a.Expr) + ": " + strings.Join(ids.nameWhy, "; ") + "; read as " + strconv.Quote(ids.group)})
	}
	g := inventory.AutoScalingGroup{ARN: ids.groupARN, Name: ids.group, Account: prov.account, Region: prov.region, Places: newPlaces(p.at)}
	groupCapacity(mp, p, tfGroupNames, &g)
	g.TargetGroupARNs = mp.strs(p, "target_group_arns")
	g.LoadBalancerNames = mp.strs(p, "load_balancers")
	setPlace(g.Places, "TargetGroupARNs", p, "target_group_arns")
	setPlace(g.Places, "LoadBalancerNames", p, "load_balancers")
	unknownIfAny(&g.Unknown, "TargetGroupARNs", p, "target_group_arns")
	unknownIfAny(&g.Unknown, "LoadBalancerNames", p, "load_balancers")
	if _, _, ok := p.get("traffic_source_attachments"); ok {
		setPlace(g.Places, "TargetGroupARNs", p, "traffic_source_attachments")
		unknownIfAny(&g.Unknown, "TargetGroupARNs", p, "traffic_source_attachments")
	}
	g.TargetGroupARNs, g.LoadBalancerNames = trafficSources(mp, p, g.TargetGroupARNs, g.LoadBalancerNames)
	tags := map[string]string{}
	for k, v := range mp.strMap(p, "tags") {
		tags[k] = v
	}
	for k, v := range mp.strMap(p, "autoscaling_group_tags") {
		tags[k] = v
	}
	if _, ok := tags["Name"]; !ok {
		// The module tags instances Name = coalesce(var.instance_name, var.name).
		if n, ok := mp.text(p, "instance_name"); ok && n != "" {
			tags["Name"] = n
		} else if ids.bareKnown {
			tags["Name"] = ids.bare
		}
	}
	g.Unknown = sortedUnique(append(g.Unknown, unknownFields(p, false)...))
	g.Tags = nonEmpty(tags)
	setPlace(g.Places, "Tags", p, "tags")

	var ref *inventory.LaunchTemplateRef
	if mp.boolOr(p, "create_launch_template", true) {
		ref = &inventory.LaunchTemplateRef{ID: ids.templateID, Name: ids.template, Version: orDefault(mp.str(p, "launch_template_version"), "$Latest")}
		spec := inventory.LaunchSpec{Source: ids.templateID, Places: newPlaces(p.at)}
		var image *imageLookup
		spec.ImageID, image = imageID(mp, p, "image_id")
		spec.InstanceType = mp.str(p, "instance_type")
		spec.KeyName = mp.str(p, "key_name")
		spec.UserData = mp.userData(p, "user_data")
		spec.UserDataLines = userDataLines(p, "user_data", spec.UserData)
		spec.SecurityGroups = sortedUnique(mp.strs(p, "security_groups"))
		launchFields(&spec, p, launchFieldNames{"image_id", "instance_type", "key_name", "user_data", "security_groups", "", "", "iam_instance_profile_arn"})
		spec.IAMInstanceProfile = orDefault(mp.str(p, "iam_instance_profile_arn"), mp.str(p, "iam_instance_profile_name"))
		for _, bd := range p.subs("block_device_mappings") {
			spec.BlockDevices = append(spec.BlockDevices, blockDevice(mp, bd, mp.str(bd, "device_name"), spec.Places))
		}
		setPlace(spec.Places, "BlockDeviceMappings", p, "block_device_mappings")
		unknownIfAny(&spec.Unknown, "BlockDeviceMappings", p, "block_device_mappings")
		launchOptions(mp, p, tfLaunchOptions, &spec)
		spec.DetailedMonitoring = mp.boolOr(p, "enable_monitoring", true) // the module's own input, not a block
		rt.b.templates = append(rt.b.templates, &launchRec{stack: rt.stack, id: ids.templateID, name: ids.template, account: prov.account, region: prov.region, spec: spec, image: image})
	} else {
		ref = &inventory.LaunchTemplateRef{ID: mp.str(p, "launch_template_id"), Name: mp.str(p, "launch_template_name"),
			Version: mp.str(p, "launch_template_version")}
	}
	if mp.boolOr(p, "use_mixed_instances_policy", false) {
		g.MixedInstances = &inventory.MixedInstancesPolicy{LaunchTemplate: ref, OnDemandPercentageAboveBaseCapacity: 100}
		setPlace(g.Places, "MixedInstancesPolicy", p, "use_mixed_instances_policy")
		for _, mip := range p.subs("mixed_instances_policy") {
			for _, d := range mip.subs("instances_distribution") {
				distribution(mp, d, tfDistribution, g.MixedInstances, g.Places, &g.Unknown)
			}
			for _, o := range mip.subs("override") {
				if t := mp.str(o, "instance_type"); t != "" {
					g.MixedInstances.InstanceTypes = append(g.MixedInstances.InstanceTypes, t)
				}
				if _, ok := g.Places["MixedInstancesPolicy.LaunchTemplate.Overrides"]; !ok {
					setBlock(g.Places, "MixedInstancesPolicy.LaunchTemplate.Overrides", o)
				}
			}
		}
	} else {
		g.LaunchTemplate = ref
	}
	for _, h := range p.subs("initial_lifecycle_hooks") {
		hook := inventory.LifecycleHook{Name: mp.str(h, "name"),
			Transition: mp.str(h, "lifecycle_transition"), HeartbeatTimeout: mp.intOr(h, "heartbeat_timeout", 3600),
			DefaultResult: orDefault(mp.str(h, "default_result"), "ABANDON"), Places: newPlaces(h.where())}
		setPlace(hook.Places, "LifecycleTransition", h, "lifecycle_transition")
		g.LifecycleHooks = append(g.LifecycleHooks, hook)
	}
	unknownIfAny(&g.Unknown, "LifecycleHooks", p, "initial_lifecycle_hooks")
	if all, ok := p.arg("scaling_policies"); ok {
		keys, entries := all.entries()
		for i, k := range keys {
			e := entries[i]
			e.name = p.name + " scaling_policies." + k
			name := orDefault(mp.str(e, "name"), k)
			g.ScalingPolicies = append(g.ScalingPolicies, scalingPolicy(mp, e, name, ""))
		}
		unknownIfAny(&g.Unknown, "ScalingPolicies", p, "scaling_policies")
	}
	if all, ok := p.arg("schedules"); ok {
		keys, entries := all.entries()
		for i, k := range keys {
			e := entries[i]
			e.name = p.name + " schedules." + k
			g.ScheduledActions = append(g.ScheduledActions, scheduledAction(mp, e, orDefault(mp.str(e, "scheduled_action_name"), k)))
		}
		unknownIfAny(&g.Unknown, "ScheduledActions", p, "schedules")
	}
	rt.b.groups = append(rt.b.groups, &groupRec{g: g, at: p.at, stack: rt.stack})
}

package iac

import (
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// cfnMappers turn each CloudFormation resource type whyk8s reads into estate records.
var cfnMappers = map[string]func(*cfnTemplate, *cfnResource, cfnProps, mapper, *builder){
	"AWS::AutoScaling::AutoScalingGroup":        mapCFNGroup,
	"AWS::AutoScaling::LaunchConfiguration":     mapCFNLaunchConfiguration,
	"AWS::EC2::LaunchTemplate":                  mapCFNLaunchTemplate,
	"AWS::AutoScaling::ScalingPolicy":           mapCFNPolicy,
	"AWS::AutoScaling::ScheduledAction":         mapCFNSchedule,
	"AWS::AutoScaling::LifecycleHook":           mapCFNHook,
	"AWS::CodeDeploy::DeploymentGroup":          mapCFNDeploymentGroup,
	"AWS::SSM::Association":                     mapCFNAssociation,
	"AWS::ElasticLoadBalancing::LoadBalancer":   mapCFNClassic,
	"AWS::ElasticLoadBalancingV2::LoadBalancer": mapCFNLoadBalancer,
	"AWS::ElasticLoadBalancingV2::Listener":     mapCFNListener,
	"AWS::ElasticLoadBalancingV2::ListenerRule": mapCFNListenerRule,
	"AWS::ElasticLoadBalancingV2::TargetGroup":  mapCFNTargetGroup,
}

// scope is where a template's resources live: templates do not say, so Options decide.
func (t *cfnTemplate) scope() (account, region string) {
	return orDefault(t.opts.DefaultAccount, inventory.UnknownScope), orDefault(t.opts.DefaultRegion, inventory.UnknownScope)
}

func mapTemplate(t *cfnTemplate, b *builder) {
	mp := mapper{gaps: &b.gaps, decode: b.userData}
	mapped := false
	for _, id := range t.order {
		r := t.resources[id]
		fn := cfnMappers[r.typ]
		if fn == nil {
			continue
		}
		if !t.created(r, b) {
			continue
		}
		t.nameGap(r, b)
		mapped = true
		p := cfnProps{t: t, node: r.props, name: r.id, at: place{path: t.rel, line: r.line}}
		if !plainMap(r.props) {
			p = cfnProps{t: t, val: t.eval(r.props), name: r.id, at: p.at}
		}
		fn(t, r, p, mp, b)
	}
	if mapped && t.opts.DefaultRegion == "" {
		b.gaps = append(b.gaps, inventory.CoverageGap{Path: t.rel, Kind: inventory.GapUnresolved,
			Message: "a CloudFormation template does not name its region; resources are recorded in region unknown"})
	}
}

// nameGap records that a resource's name is written but not wholly known, and what the
// records call it instead: its known prefix and "…", or its logical id.
func (t *cfnTemplate) nameGap(r *cfnResource, b *builder) {
	prop := nameProps[r.typ]
	if prop == "" {
		return
	}
	n := lookupKey(r.props, prop)
	if n == nil {
		return
	}
	name, known := t.naming(r)
	if known {
		return
	}
	v := t.eval(n)
	why := reasonsOf(v)
	for _, id := range identitiesOf(v) {
		why = append(why, id.addr+" is known only once the stack is deployed")
	}
	if len(why) == 0 {
		why = []string{"not known until the stack is deployed"}
	}
	b.gaps = append(b.gaps, inventory.CoverageGap{Path: t.rel, Line: n.Line, Kind: inventory.GapUnresolved,
		Message: r.id + " " + prop + " = " + nodeText(n) + ": " + strings.Join(sortedUnique(why), "; ") + "; read as " + strconv.Quote(name)})
}

func cfnTags(mp mapper, p props) map[string]string {
	tags := map[string]string{}
	mp.tagList(p.subs("Tags"), "Key", "Value", tags)
	return nonEmpty(tags)
}

func cfnLTRef(mp mapper, p props) *inventory.LaunchTemplateRef {
	return &inventory.LaunchTemplateRef{ID: mp.str(p, "LaunchTemplateId"), Name: mp.str(p, "LaunchTemplateName"), Version: mp.str(p, "Version")}
}

func mapCFNGroup(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	g := inventory.AutoScalingGroup{ARN: r.evidence(t), Name: t.name(r), Account: account, Region: region, Places: newPlaces(p.at)}
	groupCapacity(mp, p, cfnGroupNames, &g)
	g.LaunchConfiguration = mp.str(p, "LaunchConfigurationName")
	setPlace(g.Places, "LaunchConfigurationName", p, "LaunchConfigurationName")
	for _, lt := range p.subs("LaunchTemplate") {
		g.LaunchTemplate = cfnLTRef(mp, lt)
		setPlace(g.Places, "LaunchTemplate", p, "LaunchTemplate")
	}
	for _, mip := range p.subs("MixedInstancesPolicy") {
		m := &inventory.MixedInstancesPolicy{OnDemandPercentageAboveBaseCapacity: 100}
		setPlace(g.Places, "MixedInstancesPolicy", p, "MixedInstancesPolicy")
		for _, d := range mip.subs("InstancesDistribution") {
			distribution(mp, d, cfnDistribution, m, g.Places, &g.Unknown)
			setPlace(g.Places, "MixedInstancesPolicy.InstancesDistribution", mip, "InstancesDistribution")
		}
		for _, lt := range mip.subs("LaunchTemplate") {
			for _, spec := range lt.subs("LaunchTemplateSpecification") {
				m.LaunchTemplate = cfnLTRef(mp, spec)
				setPlace(g.Places, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification", lt, "LaunchTemplateSpecification")
			}
			for _, o := range lt.subs("Overrides") {
				if it := mp.str(o, "InstanceType"); it != "" {
					m.InstanceTypes = append(m.InstanceTypes, it)
				}
			}
			setPlace(g.Places, "MixedInstancesPolicy.LaunchTemplate.Overrides", lt, "Overrides")
		}
		g.MixedInstances = m
	}
	g.TargetGroupARNs = mp.strs(p, "TargetGroupARNs")
	g.LoadBalancerNames = mp.strs(p, "LoadBalancerNames")
	setPlace(g.Places, "TargetGroupARNs", p, "TargetGroupARNs")
	setPlace(g.Places, "LoadBalancerNames", p, "LoadBalancerNames")
	unknownIfAny(&g.Unknown, "TargetGroupARNs", p, "TargetGroupARNs")
	unknownIfAny(&g.Unknown, "LoadBalancerNames", p, "LoadBalancerNames")
	g.Unknown = sortedUnique(append(g.Unknown, unknownFields(p, true)...))
	g.Tags = cfnTags(mp, p)
	setPlace(g.Places, "Tags", p, "Tags")
	for _, h := range p.subs("LifecycleHookSpecificationList") {
		hook := inventory.LifecycleHook{Name: mp.str(h, "LifecycleHookName"),
			Transition: mp.str(h, "LifecycleTransition"), HeartbeatTimeout: mp.intOr(h, "HeartbeatTimeout", 3600),
			DefaultResult: orDefault(mp.str(h, "DefaultResult"), "ABANDON"), Places: newPlaces(h.where())}
		setPlace(hook.Places, "LifecycleTransition", h, "LifecycleTransition")
		g.LifecycleHooks = append(g.LifecycleHooks, hook)
	}
	b.groups = append(b.groups, &groupRec{g: g, at: p.at, stack: t.stack()})
}

func cfnBlockDevices(mp mapper, p props, ps inventory.Places) []inventory.BlockDevice {
	var out []inventory.BlockDevice
	setPlace(ps, "BlockDeviceMappings", p, "BlockDeviceMappings")
	for _, m := range p.subs("BlockDeviceMappings") {
		bd := inventory.BlockDevice{DeviceName: mp.str(m, "DeviceName"), VirtualName: mp.str(m, "VirtualName")}
		field := "BlockDeviceMappings[" + bd.DeviceName + "]"
		setBlock(ps, field, m)
		setPlace(ps, field+".DeviceName", m, "DeviceName")
		setPlace(ps, field+".VirtualName", m, "VirtualName")
		if v, _, ok := m.get("NoDevice"); ok {
			// NoDevice is an empty object in launch templates and a bool in configurations.
			b, isBool := asBool(v)
			bd.NoDevice = b || !isBool
		}
		for _, ebs := range m.subs("Ebs") {
			setPlace(ps, field+".Ebs.VolumeSize", ebs, "VolumeSize")
			setPlace(ps, field+".Ebs.DeleteOnTermination", ebs, "DeleteOnTermination")
			bd.SnapshotID = mp.str(ebs, "SnapshotId")
			bd.VolumeSize = mp.intOr(ebs, "VolumeSize", 0)
			bd.VolumeType = mp.str(ebs, "VolumeType")
			bd.IOPS = mp.intOr(ebs, "Iops", 0)
			bd.Encrypted = mp.boolOr(ebs, "Encrypted", false)
			bd.DeleteOnTermination = mp.boolPtr(ebs, "DeleteOnTermination")
		}
		out = append(out, bd)
	}
	return out
}

func mapCFNLaunchTemplate(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	spec := inventory.LaunchSpec{Source: r.evidence(t), Places: newPlaces(p.at)}
	var image *imageLookup
	for _, d := range p.subs("LaunchTemplateData") {
		spec.ImageID, image = imageID(mp, d, "ImageId")
		spec.InstanceType = mp.str(d, "InstanceType")
		spec.KeyName = mp.str(d, "KeyName")
		spec.UserData = mp.userData(d, "UserData")
		spec.UserDataLines = userDataLines(d, "UserData", spec.UserData)
		launchFields(&spec, d, cfnLaunchFields)
		spec.SecurityGroups = sortedUnique(append(mp.strs(d, "SecurityGroupIds"), mp.strs(d, "SecurityGroups")...))
		for _, ip := range d.subs("IamInstanceProfile") {
			spec.IAMInstanceProfile = orDefault(mp.str(ip, "Arn"), mp.str(ip, "Name"))
		}
		setPlace(spec.Places, "IamInstanceProfile", d, "IamInstanceProfile")
		spec.BlockDevices = cfnBlockDevices(mp, d, spec.Places)
		unknownIfAny(&spec.Unknown, "BlockDeviceMappings", d, "BlockDeviceMappings")
		launchOptions(mp, d, cfnLaunchOptions, &spec)
	}
	b.templates = append(b.templates, &launchRec{stack: t.stack(), id: r.evidence(t), name: t.name(r), account: account, region: region, spec: spec, image: image})
}

func mapCFNLaunchConfiguration(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	spec := inventory.LaunchSpec{Source: r.evidence(t), Places: newPlaces(p.at)}
	var image *imageLookup
	spec.ImageID, image = imageID(mp, p, "ImageId")
	spec.InstanceType = mp.str(p, "InstanceType")
	spec.KeyName = mp.str(p, "KeyName")
	spec.UserData = mp.userData(p, "UserData")
	spec.UserDataLines = userDataLines(p, "UserData", spec.UserData)
	spec.IAMInstanceProfile = mp.str(p, "IamInstanceProfile")
	spec.SecurityGroups = sortedUnique(mp.strs(p, "SecurityGroups"))
	spec.BlockDevices = cfnBlockDevices(mp, p, spec.Places)
	unknownIfAny(&spec.Unknown, "BlockDeviceMappings", p, "BlockDeviceMappings")
	spec.Tenancy = mp.str(p, "PlacementTenancy")
	spec.SpotPrice = mp.str(p, "SpotPrice")
	launchFields(&spec, p, cfnLCFields)
	spec.DetailedMonitoring = mp.boolOr(p, "InstanceMonitoring", true)
	for _, mo := range p.subs("MetadataOptions") {
		spec.MetadataHTTPTokens = mp.str(mo, "HttpTokens")
		setPlace(spec.Places, "MetadataOptions.HttpTokens", mo, "HttpTokens")
		unknownIf(&spec.Unknown, "MetadataOptions.HttpTokens", mo, "HttpTokens")
	}
	b.configs = append(b.configs, &launchRec{stack: t.stack(), id: r.evidence(t), name: t.name(r), account: account, region: region, spec: spec, image: image})
}

func mapCFNPolicy(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	// AWS::AutoScaling::ScalingPolicy has no Enabled property: a policy is enabled.
	sp := inventory.ScalingPolicy{Name: r.id, ARN: r.evidence(t), Type: orDefault(mp.str(p, "PolicyType"), "SimpleScaling"),
		AdjustmentType: mp.str(p, "AdjustmentType"), ScalingAdjustment: mp.intPtr(p, "ScalingAdjustment"),
		Cooldown: mp.intPtr(p, "Cooldown"), Enabled: true, Places: newPlaces(p.at)}
	setPlace(sp.Places, "PolicyType", p, "PolicyType")
	unknownIf(&sp.Unknown, "PolicyType", p, "PolicyType")
	if _, ok := sp.Places["PolicyType"]; !ok {
		sp.Places["PolicyType"] = sp.Places[""]
	}
	for _, tt := range p.subs("TargetTrackingConfiguration") {
		setPlace(sp.Places, "TargetTrackingConfiguration", p, "TargetTrackingConfiguration")
		sp.TargetValue = mp.floatPtr(tt, "TargetValue")
		setPlace(sp.Places, "TargetTrackingConfiguration.TargetValue", tt, "TargetValue")
		sp.DisableScaleIn = mp.boolOr(tt, "DisableScaleIn", false)
		for _, pm := range tt.subs("PredefinedMetricSpecification") {
			sp.Metric = mp.str(pm, "PredefinedMetricType")
			setPlace(sp.Places, "TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType", pm, "PredefinedMetricType")
		}
		for _, cm := range tt.subs("CustomizedMetricSpecification") {
			sp.Metric = mp.str(cm, "Namespace") + "/" + mp.str(cm, "MetricName")
			setPlace(sp.Places, "TargetTrackingConfiguration.CustomizedMetricSpecification", tt, "CustomizedMetricSpecification")
		}
	}
	if group, ok := b.groupRef(mp, p, "AutoScalingGroupName", t.stack(), account, region, "ScalingPolicies"); ok {
		b.policies = append(b.policies, groupPart[inventory.ScalingPolicy]{stack: t.stack(), account: account, region: region, group: group, at: p.at, what: r.id, v: sp})
	}
}

func mapCFNSchedule(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	sa := inventory.ScheduledAction{Name: r.id, Recurrence: mp.str(p, "Recurrence"), StartTime: mp.str(p, "StartTime"),
		EndTime: mp.str(p, "EndTime"), TimeZone: mp.str(p, "TimeZone"), MinSize: mp.intPtr(p, "MinSize"),
		MaxSize: mp.intPtr(p, "MaxSize"), DesiredCapacity: mp.intPtr(p, "DesiredCapacity"), Places: newPlaces(p.at)}
	for _, f := range []string{"Recurrence", "StartTime", "MinSize", "MaxSize", "DesiredCapacity"} {
		setPlace(sa.Places, f, p, f)
	}
	if group, ok := b.groupRef(mp, p, "AutoScalingGroupName", t.stack(), account, region, "ScheduledActions"); ok {
		b.schedules = append(b.schedules, groupPart[inventory.ScheduledAction]{stack: t.stack(), account: account, region: region, group: group, at: p.at, what: r.id, v: sa})
	}
}

func mapCFNHook(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	h := inventory.LifecycleHook{Name: t.name(r), Transition: mp.str(p, "LifecycleTransition"),
		HeartbeatTimeout: mp.intOr(p, "HeartbeatTimeout", 3600), DefaultResult: orDefault(mp.str(p, "DefaultResult"), "ABANDON"),
		Places: newPlaces(p.at)}
	setPlace(h.Places, "LifecycleTransition", p, "LifecycleTransition")
	if group, ok := b.groupRef(mp, p, "AutoScalingGroupName", t.stack(), account, region, "LifecycleHooks"); ok {
		b.hooks = append(b.hooks, groupPart[inventory.LifecycleHook]{stack: t.stack(), account: account, region: region, group: group, at: p.at, what: r.id, v: h})
	}
}

// mapCFNDeploymentGroup reads a CodeDeploy deployment group: the groups it deploys to, and
// the revision its first deployment takes when the template says (Deployment.Revision).
func mapCFNDeploymentGroup(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	d := inventory.Deployment{Service: inventory.DeployCodeDeploy, Application: knownName(mp.text(p, "ApplicationName")),
		DeploymentGroup: t.name(r), Source: r.evidence(t), Places: newPlaces(p.at)}
	setPlace(d.Places, "Application", p, "ApplicationName")
	for _, dep := range p.subs("Deployment") {
		for _, rev := range dep.subs("Revision") {
			for _, s3 := range rev.subs("S3Location") {
				if bucket := mp.str(s3, "Bucket"); bucket != "" {
					d.Revision = "s3://" + bucket + "/" + strings.TrimLeft(mp.str(s3, "Key"), "/")
				}
			}
			for _, gh := range rev.subs("GitHubLocation") {
				if repo := mp.str(gh, "Repository"); repo != "" {
					d.Revision = "github:" + repo
				}
			}
		}
	}
	for _, group := range mp.strs(p, "AutoScalingGroups") {
		b.deployments = append(b.deployments, groupPart[inventory.Deployment]{stack: t.stack(), account: account, region: region,
			group: group, at: p.at, what: r.id, v: d})
	}
}

// knownName is a name people read, or "" when the code knows it only in part: a name
// made when the stack is created (Ref to an application named after the stack) is no name
// to match anything by.
func knownName(s string, ok bool) string {
	if !ok || strings.Contains(s, ellipsis) {
		return ""
	}
	return s
}

func mapCFNClassic(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	lb := &inventory.ClassicLoadBalancer{Name: t.name(r), Source: r.evidence(t), Account: account, Region: region,
		Scheme: orDefault(mp.str(p, "Scheme"), "internet-facing"), CrossZone: mp.boolOr(p, "CrossZone", false), Tags: cfnTags(mp, p),
		Places: newPlaces(p.at)}
	setPlace(lb.Places, "ListenerDescriptions", p, "Listeners")
	for _, l := range p.subs("Listeners") {
		cl := inventory.ClassicListener{Protocol: strings.ToUpper(mp.str(l, "Protocol")),
			Port: mp.intOr(l, "LoadBalancerPort", 0), InstanceProtocol: strings.ToUpper(orDefault(mp.str(l, "InstanceProtocol"), mp.str(l, "Protocol"))),
			InstancePort: mp.intOr(l, "InstancePort", 0), SSLCertificateID: mp.str(l, "SSLCertificateId"), PolicyNames: mp.strs(l, "PolicyNames")}
		lb.Listeners = append(lb.Listeners, cl)
		field := "ListenerDescriptions[" + strconv.Itoa(cl.Port) + "]"
		setBlock(lb.Places, field, l)
		setPlace(lb.Places, field+".PolicyNames", l, "PolicyNames")
		unknownIfAny(&lb.Unknown, field+".PolicyNames", l, "PolicyNames")
	}
	for _, hc := range p.subs("HealthCheck") {
		lb.HealthCheck = &inventory.ClassicHealthCheck{Target: mp.str(hc, "Target"), Interval: mp.intOr(hc, "Interval", 0),
			Timeout: mp.intOr(hc, "Timeout", 0), HealthyThreshold: mp.intOr(hc, "HealthyThreshold", 0),
			UnhealthyThreshold: mp.intOr(hc, "UnhealthyThreshold", 0)}
		setPlace(lb.Places, "HealthCheck", p, "HealthCheck")
		setPlace(lb.Places, "HealthCheck.Target", hc, "Target")
		unknownIf(&lb.Unknown, "HealthCheck.Target", hc, "Target")
	}
	if lb.HealthCheck == nil {
		lb.HealthCheck = classicDefaultHealthCheck(lb.Listeners)
	}
	for _, s := range p.subs("LBCookieStickinessPolicy") {
		pol := inventory.ClassicPolicy{Name: mp.str(s, "PolicyName"), Type: stickyLBCookie}
		if n, ok := mp.intOK(s, "CookieExpirationPeriod"); ok {
			pol.Attributes = map[string]string{"CookieExpirationPeriod": strconv.Itoa(n)}
		}
		lb.Policies = append(lb.Policies, pol)
		setBlock(lb.Places, "Policies["+pol.Name+"]", s)
	}
	for _, s := range p.subs("AppCookieStickinessPolicy") {
		pol := inventory.ClassicPolicy{Name: mp.str(s, "PolicyName"), Type: stickyAppCookie,
			Attributes: nonEmpty(map[string]string{"CookieName": mp.str(s, "CookieName")})}
		lb.Policies = append(lb.Policies, pol)
		setBlock(lb.Places, "Policies["+pol.Name+"]", s)
	}
	// Policies written out with their type; a stickiness policy applies to the listeners
	// of its LoadBalancerPorts, as AWS attaches it.
	for _, pol := range p.subs("Policies") {
		typ := classicPolicyKind(mp.str(pol, "PolicyType"))
		name := mp.str(pol, "PolicyName")
		if name == "" || typ == "" {
			continue
		}
		lb.Policies = append(lb.Policies, inventory.ClassicPolicy{Name: name, Type: typ})
		setBlock(lb.Places, "Policies["+name+"]", pol)
		ports := mp.strs(pol, "LoadBalancerPorts")
		for i := range lb.Listeners {
			for _, port := range ports {
				if port == strconv.Itoa(lb.Listeners[i].Port) {
					lb.Listeners[i].PolicyNames = sortedUnique(append(lb.Listeners[i].PolicyNames, name))
					setBlock(lb.Places, "ListenerDescriptions["+port+"].PolicyNames", pol)
				}
			}
		}
	}
	for _, cd := range p.subs("ConnectionDrainingPolicy") {
		lb.ConnectionDraining = mp.boolOr(cd, "Enabled", false)
		lb.ConnectionDrainingTimeout = mp.intOr(cd, "Timeout", 300)
		setPlace(lb.Places, "Attributes.ConnectionDraining", p, "ConnectionDrainingPolicy")
		setPlace(lb.Places, "Attributes.ConnectionDraining.Timeout", cd, "Timeout")
	}
	lb.IdleTimeout = 60
	for _, cs := range p.subs("ConnectionSettings") {
		lb.IdleTimeout = mp.intOr(cs, "IdleTimeout", 60)
	}
	b.classic = append(b.classic, classicRec{lb: lb, at: p.at, stack: t.stack()})
}

func mapCFNLoadBalancer(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	lb := &inventory.LoadBalancer{ARN: r.evidence(t), Name: t.name(r), Account: account, Region: region,
		Type: orDefault(mp.str(p, "Type"), "application"), Scheme: orDefault(mp.str(p, "Scheme"), "internet-facing"), Tags: cfnTags(mp, p),
		Places: newPlaces(p.at)}
	setPlace(lb.Places, "Type", p, "Type")
	setPlace(lb.Places, "Scheme", p, "Scheme")
	b.lbs = append(b.lbs, lb)
}

func mapCFNListener(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	l := inventory.Listener{ARN: r.evidence(t), Port: mp.intOr(p, "Port", 0), Protocol: mp.str(p, "Protocol"), SSLPolicy: mp.str(p, "SslPolicy"),
		Places: newPlaces(p.at)}
	l.TargetGroupARNs = forwardTargets(mp, p.subs("DefaultActions"), cfnForward)
	setPlace(l.Places, "Port", p, "Port")
	setPlace(l.Places, "Protocol", p, "Protocol")
	setPlace(l.Places, "DefaultActions", p, "DefaultActions")
	if lb, ok := mp.strOK(p, "LoadBalancerArn"); ok {
		b.listeners = append(b.listeners, listenerRec{stack: t.stack(), account: account, region: region, lb: lb, l: l, at: p.at, what: r.id})
	}
}

func mapCFNListenerRule(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	tgs := forwardTargets(mp, p.subs("Actions"), cfnForward)
	if l, ok := mp.strOK(p, "ListenerArn"); ok && len(tgs) > 0 {
		b.rules = append(b.rules, ruleRec{stack: t.stack(), account: account, region: region, listener: l, tgs: tgs, at: p.at, what: r.id})
	}
}

func mapCFNTargetGroup(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	tg := &inventory.TargetGroup{ARN: r.evidence(t), Name: t.name(r), Account: account, Region: region,
		Port: mp.intOr(p, "Port", 0), Protocol: mp.str(p, "Protocol"), TargetType: orDefault(mp.str(p, "TargetType"), "instance"),
		Tags: cfnTags(mp, p), Places: newPlaces(p.at)}
	for _, f := range []string{"Port", "Protocol", "TargetType", "HealthCheckEnabled", "HealthCheckPath", "HealthCheckPort",
		"HealthCheckProtocol", "Matcher", "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount"} {
		setPlace(tg.Places, f, p, f)
		if strings.HasPrefix(f, "Health") {
			unknownIf(&tg.Unknown, f, p, f)
		}
	}
	h := &tg.HealthCheck
	h.Enabled = mp.boolOr(p, "HealthCheckEnabled", true)
	h.Protocol = orDefault(mp.str(p, "HealthCheckProtocol"), tg.Protocol)
	h.Port = orDefault(mp.str(p, "HealthCheckPort"), "traffic-port")
	h.Path = mp.str(p, "HealthCheckPath")
	if up := strings.ToUpper(h.Protocol); h.Path == "" && (up == "HTTP" || up == "HTTPS") && knownTG(tg, "HealthCheckPath") {
		h.Path = "/"
	}
	matchers := p.subs("Matcher")
	for _, m := range matchers {
		h.Matcher = mp.str(m, "HttpCode")
	}
	if len(matchers) == 0 {
		h.Matcher = targetHealthMatcher(tg.Protocol, h.Protocol)
	}
	h.Interval = mp.intOr(p, "HealthCheckIntervalSeconds", 30)
	h.Timeout = mp.intOr(p, "HealthCheckTimeoutSeconds", 0)
	if _, _, set := p.get("HealthCheckTimeoutSeconds"); !set {
		h.Timeout = targetHealthTimeout(tg.Protocol, h.Protocol, tg.TargetType)
	}
	h.HealthyThreshold = mp.intOr(p, "HealthyThresholdCount", 5)
	h.UnhealthyThreshold = mp.intOr(p, "UnhealthyThresholdCount", 2)
	attrs := map[string]string{"stickiness.enabled": "false", "deregistration_delay.timeout_seconds": "300"}
	for _, a := range p.subs("TargetGroupAttributes") {
		k, ok := mp.strOK(a, "Key")
		if !ok || k == "" {
			continue
		}
		field := "Attributes[" + k + "]"
		setPlace(tg.Places, field, a, "Key")
		if v, ok := mp.strOK(a, "Value"); ok {
			attrs[k] = targetGroupAttribute(k, v)
		} else if _, _, set := a.get("Value"); set {
			// Set to what cannot be known: neither the default nor a value.
			delete(attrs, k)
			tg.Unknown = sortedUnique(append(tg.Unknown, field))
		}
	}
	tg.Attributes = attrs
	b.tgs = append(b.tgs, tg)
}

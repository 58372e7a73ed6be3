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
	"AWS::ElasticLoadBalancing::LoadBalancer":   mapCFNClassic,
	"AWS::ElasticLoadBalancingV2::LoadBalancer": mapCFNLoadBalancer,
	"AWS::ElasticLoadBalancingV2::Listener":     mapCFNListener,
	"AWS::ElasticLoadBalancingV2::ListenerRule": mapCFNListenerRule,
	"AWS::ElasticLoadBalancingV2::TargetGroup":  mapCFNTargetGroup,
}

// scope is where a template's resources live: templates do not say, so Options decide.
func (t *cfnTemplate) scope() (account, region string) {
	return orDefault(t.opts.DefaultAccount, "unknown"), orDefault(t.opts.DefaultRegion, "unknown")
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
	g := inventory.AutoScalingGroup{ARN: r.evidence(t), Name: t.name(r), Account: account, Region: region}
	groupCapacity(mp, p, cfnGroupNames, &g)
	g.LaunchConfiguration = mp.str(p, "LaunchConfigurationName")
	for _, lt := range p.subs("LaunchTemplate") {
		g.LaunchTemplate = cfnLTRef(mp, lt)
	}
	for _, mip := range p.subs("MixedInstancesPolicy") {
		m := &inventory.MixedInstancesPolicy{OnDemandPercentageAboveBaseCapacity: 100}
		for _, d := range mip.subs("InstancesDistribution") {
			m.OnDemandBaseCapacity = mp.intOr(d, "OnDemandBaseCapacity", 0)
			m.OnDemandPercentageAboveBaseCapacity = mp.intOr(d, "OnDemandPercentageAboveBaseCapacity", 100)
			m.SpotAllocationStrategy = mp.str(d, "SpotAllocationStrategy")
		}
		for _, lt := range mip.subs("LaunchTemplate") {
			for _, spec := range lt.subs("LaunchTemplateSpecification") {
				m.LaunchTemplate = cfnLTRef(mp, spec)
			}
			for _, o := range lt.subs("Overrides") {
				if it := mp.str(o, "InstanceType"); it != "" {
					m.InstanceTypes = append(m.InstanceTypes, it)
				}
			}
		}
		g.MixedInstances = m
	}
	g.TargetGroupARNs = mp.strs(p, "TargetGroupARNs")
	g.LoadBalancerNames = mp.strs(p, "LoadBalancerNames")
	g.Unknown = unknownFields(p, true)
	g.Tags = cfnTags(mp, p)
	for _, h := range p.subs("LifecycleHookSpecificationList") {
		g.LifecycleHooks = append(g.LifecycleHooks, inventory.LifecycleHook{Name: mp.str(h, "LifecycleHookName"),
			Transition: mp.str(h, "LifecycleTransition"), HeartbeatTimeout: mp.intOr(h, "HeartbeatTimeout", 3600),
			DefaultResult: orDefault(mp.str(h, "DefaultResult"), "ABANDON")})
	}
	b.groups = append(b.groups, &groupRec{g: g, at: p.at, stack: t.stack()})
}

func cfnBlockDevices(mp mapper, p props) []inventory.BlockDevice {
	var out []inventory.BlockDevice
	for _, m := range p.subs("BlockDeviceMappings") {
		bd := inventory.BlockDevice{DeviceName: mp.str(m, "DeviceName"), VirtualName: mp.str(m, "VirtualName")}
		if v, _, ok := m.get("NoDevice"); ok {
			// NoDevice is an empty object in launch templates and a bool in configurations.
			b, isBool := asBool(v)
			bd.NoDevice = b || !isBool
		}
		for _, ebs := range m.subs("Ebs") {
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
	spec := inventory.LaunchSpec{Source: r.evidence(t)}
	var image *imageLookup
	for _, d := range p.subs("LaunchTemplateData") {
		spec.ImageID, image = imageID(mp, d, "ImageId")
		spec.InstanceType = mp.str(d, "InstanceType")
		spec.KeyName = mp.str(d, "KeyName")
		spec.UserData = mp.userData(d, "UserData")
		spec.SecurityGroups = sortedUnique(append(mp.strs(d, "SecurityGroupIds"), mp.strs(d, "SecurityGroups")...))
		for _, ip := range d.subs("IamInstanceProfile") {
			spec.IAMInstanceProfile = orDefault(mp.str(ip, "Arn"), mp.str(ip, "Name"))
		}
		spec.BlockDevices = cfnBlockDevices(mp, d)
		launchOptions(mp, d, cfnLaunchOptions, &spec)
	}
	b.templates = append(b.templates, &launchRec{stack: t.stack(), id: r.evidence(t), name: t.name(r), account: account, region: region, spec: spec, image: image})
}

func mapCFNLaunchConfiguration(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	spec := inventory.LaunchSpec{Source: r.evidence(t)}
	var image *imageLookup
	spec.ImageID, image = imageID(mp, p, "ImageId")
	spec.InstanceType = mp.str(p, "InstanceType")
	spec.KeyName = mp.str(p, "KeyName")
	spec.UserData = mp.userData(p, "UserData")
	spec.IAMInstanceProfile = mp.str(p, "IamInstanceProfile")
	spec.SecurityGroups = sortedUnique(mp.strs(p, "SecurityGroups"))
	spec.BlockDevices = cfnBlockDevices(mp, p)
	spec.Tenancy = mp.str(p, "PlacementTenancy")
	spec.SpotPrice = mp.str(p, "SpotPrice")
	spec.DetailedMonitoring = mp.boolOr(p, "InstanceMonitoring", true)
	for _, mo := range p.subs("MetadataOptions") {
		spec.MetadataHTTPTokens = mp.str(mo, "HttpTokens")
	}
	b.configs = append(b.configs, &launchRec{stack: t.stack(), id: r.evidence(t), name: t.name(r), account: account, region: region, spec: spec, image: image})
}

func mapCFNPolicy(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	sp := inventory.ScalingPolicy{Name: r.id, ARN: r.evidence(t), Type: orDefault(mp.str(p, "PolicyType"), "SimpleScaling"),
		AdjustmentType: mp.str(p, "AdjustmentType"), ScalingAdjustment: mp.intPtr(p, "ScalingAdjustment"),
		Cooldown: mp.intPtr(p, "Cooldown"), Enabled: true}
	for _, tt := range p.subs("TargetTrackingConfiguration") {
		sp.TargetValue = mp.floatPtr(tt, "TargetValue")
		sp.DisableScaleIn = mp.boolOr(tt, "DisableScaleIn", false)
		for _, pm := range tt.subs("PredefinedMetricSpecification") {
			sp.Metric = mp.str(pm, "PredefinedMetricType")
		}
		for _, cm := range tt.subs("CustomizedMetricSpecification") {
			sp.Metric = mp.str(cm, "Namespace") + "/" + mp.str(cm, "MetricName")
		}
	}
	if group, ok := mp.strOK(p, "AutoScalingGroupName"); ok {
		b.policies = append(b.policies, groupPart[inventory.ScalingPolicy]{stack: t.stack(), account: account, region: region, group: group, at: p.at, what: r.id, v: sp})
	}
}

func mapCFNSchedule(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	sa := inventory.ScheduledAction{Name: r.id, Recurrence: mp.str(p, "Recurrence"), StartTime: mp.str(p, "StartTime"),
		EndTime: mp.str(p, "EndTime"), TimeZone: mp.str(p, "TimeZone"), MinSize: mp.intPtr(p, "MinSize"),
		MaxSize: mp.intPtr(p, "MaxSize"), DesiredCapacity: mp.intPtr(p, "DesiredCapacity")}
	if group, ok := mp.strOK(p, "AutoScalingGroupName"); ok {
		b.schedules = append(b.schedules, groupPart[inventory.ScheduledAction]{stack: t.stack(), account: account, region: region, group: group, at: p.at, what: r.id, v: sa})
	}
}

func mapCFNHook(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	h := inventory.LifecycleHook{Name: t.name(r), Transition: mp.str(p, "LifecycleTransition"),
		HeartbeatTimeout: mp.intOr(p, "HeartbeatTimeout", 3600), DefaultResult: orDefault(mp.str(p, "DefaultResult"), "ABANDON")}
	if group, ok := mp.strOK(p, "AutoScalingGroupName"); ok {
		b.hooks = append(b.hooks, groupPart[inventory.LifecycleHook]{stack: t.stack(), account: account, region: region, group: group, at: p.at, what: r.id, v: h})
	}
}

func mapCFNClassic(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	lb := &inventory.ClassicLoadBalancer{Name: t.name(r), Source: r.evidence(t), Account: account, Region: region,
		Scheme: orDefault(mp.str(p, "Scheme"), "internet-facing"), CrossZone: mp.boolOr(p, "CrossZone", false), Tags: cfnTags(mp, p)}
	for _, l := range p.subs("Listeners") {
		lb.Listeners = append(lb.Listeners, inventory.ClassicListener{Protocol: strings.ToUpper(mp.str(l, "Protocol")),
			Port: mp.intOr(l, "LoadBalancerPort", 0), InstanceProtocol: strings.ToUpper(orDefault(mp.str(l, "InstanceProtocol"), mp.str(l, "Protocol"))),
			InstancePort: mp.intOr(l, "InstancePort", 0), SSLCertificateID: mp.str(l, "SSLCertificateId"), PolicyNames: mp.strs(l, "PolicyNames")})
	}
	for _, hc := range p.subs("HealthCheck") {
		lb.HealthCheck = &inventory.ClassicHealthCheck{Target: mp.str(hc, "Target"), Interval: mp.intOr(hc, "Interval", 0),
			Timeout: mp.intOr(hc, "Timeout", 0), HealthyThreshold: mp.intOr(hc, "HealthyThreshold", 0),
			UnhealthyThreshold: mp.intOr(hc, "UnhealthyThreshold", 0)}
	}
	if lb.HealthCheck == nil {
		lb.HealthCheck = classicDefaultHealthCheck(lb.Listeners)
	}
	for _, s := range p.subs("LBCookieStickinessPolicy") {
		pol := inventory.ClassicPolicy{Name: mp.str(s, "PolicyName"), Type: "LBCookieStickinessPolicyType"}
		if n, ok := mp.intOK(s, "CookieExpirationPeriod"); ok {
			pol.Attributes = map[string]string{"CookieExpirationPeriod": strconv.Itoa(n)}
		}
		lb.Policies = append(lb.Policies, pol)
	}
	for _, s := range p.subs("AppCookieStickinessPolicy") {
		lb.Policies = append(lb.Policies, inventory.ClassicPolicy{Name: mp.str(s, "PolicyName"), Type: "AppCookieStickinessPolicyType",
			Attributes: nonEmpty(map[string]string{"CookieName": mp.str(s, "CookieName")})})
	}
	for _, cd := range p.subs("ConnectionDrainingPolicy") {
		lb.ConnectionDraining = mp.boolOr(cd, "Enabled", false)
		lb.ConnectionDrainingTimeout = mp.intOr(cd, "Timeout", 300)
	}
	lb.IdleTimeout = 60
	for _, cs := range p.subs("ConnectionSettings") {
		lb.IdleTimeout = mp.intOr(cs, "IdleTimeout", 60)
	}
	b.classic = append(b.classic, classicRec{lb: lb, at: p.at, stack: t.stack()})
}

func mapCFNLoadBalancer(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	b.lbs = append(b.lbs, &inventory.LoadBalancer{ARN: r.evidence(t), Name: t.name(r), Account: account, Region: region,
		Type: orDefault(mp.str(p, "Type"), "application"), Scheme: orDefault(mp.str(p, "Scheme"), "internet-facing"), Tags: cfnTags(mp, p)})
}

func mapCFNListener(t *cfnTemplate, r *cfnResource, p cfnProps, mp mapper, b *builder) {
	account, region := t.scope()
	l := inventory.Listener{ARN: r.evidence(t), Port: mp.intOr(p, "Port", 0), Protocol: mp.str(p, "Protocol"), SSLPolicy: mp.str(p, "SslPolicy")}
	l.TargetGroupARNs = forwardTargets(mp, p.subs("DefaultActions"), cfnForward)
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
		Tags: cfnTags(mp, p)}
	h := &tg.HealthCheck
	h.Enabled = mp.boolOr(p, "HealthCheckEnabled", true)
	h.Protocol = orDefault(mp.str(p, "HealthCheckProtocol"), tg.Protocol)
	h.Port = orDefault(mp.str(p, "HealthCheckPort"), "traffic-port")
	h.Path = mp.str(p, "HealthCheckPath")
	if up := strings.ToUpper(h.Protocol); h.Path == "" && (up == "HTTP" || up == "HTTPS") {
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
		if v, ok := mp.strOK(a, "Value"); ok {
			attrs[k] = v
		}
	}
	tg.Attributes = attrs
	b.tgs = append(b.tgs, tg)
}

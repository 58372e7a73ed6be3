package awstest

import (
	"encoding/base64"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// Page-size limits from the Auto Scaling API reference: MaxRecords defaults to 50 and is
// at most 100; name lists take at most 50 names.
const (
	asgDefaultPage = 50
	asgMaxPage     = 100
	asgMaxNames    = 50
)

func (s *Server) describeAutoScalingGroups(c *call, rd *regionData) *apiError {
	names := c.form.list("AutoScalingGroupNames.member")
	groups := rd.groups
	if len(names) > 0 {
		if len(names) > asgMaxNames {
			return validation(c, "AutoScalingGroupNames takes at most 50 names")
		}
		groups = nil
		want := set(names)
		for _, g := range rd.groups {
			if want[g.Name] {
				groups = append(groups, g)
			}
		}
	}
	lo, hi, next, e := s.formPage(c, len(groups), "MaxRecords", "NextToken", asgDefaultPage, asgMaxPage, strings.Join(names, ","))
	if e != nil {
		return e
	}
	s.ok(c, func(x *xmlw) {
		x.list("AutoScalingGroups", "member", hi-lo, func(i int) { writeGroup(x, groups[lo+i]) })
		x.str("NextToken", next)
	})
	return nil
}

func writeGroup(x *xmlw, g *inventory.AutoScalingGroup) {
	x.str("AutoScalingGroupName", g.Name)
	x.str("AutoScalingGroupARN", g.ARN)
	x.str("LaunchConfigurationName", g.LaunchConfiguration)
	if g.LaunchTemplate != nil {
		x.el("LaunchTemplate", func() { writeTemplateSpec(x, g.LaunchTemplate) })
	}
	if m := g.MixedInstances; m != nil {
		x.el("MixedInstancesPolicy", func() {
			x.el("LaunchTemplate", func() {
				if m.LaunchTemplate != nil {
					x.el("LaunchTemplateSpecification", func() { writeTemplateSpec(x, m.LaunchTemplate) })
				}
				x.list("Overrides", "member", len(m.InstanceTypes), func(i int) { x.str("InstanceType", m.InstanceTypes[i]) })
			})
			x.el("InstancesDistribution", func() {
				x.int("OnDemandBaseCapacity", m.OnDemandBaseCapacity)
				x.int("OnDemandPercentageAboveBaseCapacity", m.OnDemandPercentageAboveBaseCapacity)
				x.str("SpotAllocationStrategy", m.SpotAllocationStrategy)
			})
		})
	}
	x.int("MinSize", g.MinSize)
	x.int("MaxSize", g.MaxSize)
	x.int("DesiredCapacity", g.DesiredCapacity)
	x.int("DefaultCooldown", 300)
	x.strs("AvailabilityZones", "member", g.AvailabilityZones)
	x.strs("LoadBalancerNames", "member", g.LoadBalancerNames)
	x.strs("TargetGroupARNs", "member", g.TargetGroupARNs)
	x.str("HealthCheckType", g.HealthCheckType)
	x.int("HealthCheckGracePeriod", g.HealthCheckGracePeriod)
	x.timestamp("CreatedTime", g.CreatedTime)
	x.str("VPCZoneIdentifier", strings.Join(g.Subnets, ","))
	keys := sortedKeys(g.Tags)
	x.list("Tags", "member", len(keys), func(i int) {
		x.str("ResourceId", g.Name)
		x.str("ResourceType", "auto-scaling-group")
		x.str("Key", keys[i])
		x.str("Value", g.Tags[keys[i]])
		x.bool("PropagateAtLaunch", true)
	})
	x.str("ServiceLinkedRoleARN", "arn:aws:iam::"+g.Account+":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
}

func writeTemplateSpec(x *xmlw, r *inventory.LaunchTemplateRef) {
	x.str("LaunchTemplateId", r.ID)
	x.str("LaunchTemplateName", r.Name)
	x.str("Version", r.Version)
}

func (s *Server) describeLaunchConfigurations(c *call, rd *regionData) *apiError {
	names := c.form.list("LaunchConfigurationNames.member")
	if len(names) > asgMaxNames {
		return validation(c, "LaunchConfigurationNames takes at most 50 names")
	}
	var lcs []*launchConfig
	if len(names) > 0 {
		// Unknown names are left out without an error, as the API does.
		for _, n := range names {
			if lc, ok := rd.lcs[n]; ok {
				lcs = append(lcs, lc)
			}
		}
	} else {
		for _, lc := range rd.lcs {
			lcs = append(lcs, lc)
		}
		sort.Slice(lcs, func(i, j int) bool { return lcs[i].name < lcs[j].name })
	}
	lo, hi, next, e := s.formPage(c, len(lcs), "MaxRecords", "NextToken", asgDefaultPage, asgMaxPage, strings.Join(names, ","))
	if e != nil {
		return e
	}
	s.ok(c, func(x *xmlw) {
		x.list("LaunchConfigurations", "member", hi-lo, func(i int) {
			lc := lcs[lo+i]
			sp := lc.spec
			x.str("LaunchConfigurationName", lc.name)
			x.str("LaunchConfigurationARN", lc.arn)
			x.str("ImageId", sp.ImageID)
			x.str("KeyName", sp.KeyName)
			x.strs("SecurityGroups", "member", sp.SecurityGroups)
			x.str("UserData", base64.StdEncoding.EncodeToString([]byte(sp.UserData)))
			x.str("InstanceType", sp.InstanceType)
			x.list("BlockDeviceMappings", "member", len(sp.BlockDevices), func(i int) {
				b := sp.BlockDevices[i]
				x.str("VirtualName", b.VirtualName)
				x.str("DeviceName", b.DeviceName)
				if b.NoDevice {
					x.bool("NoDevice", true)
				}
				if b.SnapshotID != "" || b.VolumeSize > 0 || b.VolumeType != "" || b.DeleteOnTermination != nil || b.Encrypted || b.IOPS > 0 {
					x.el("Ebs", func() {
						x.str("SnapshotId", b.SnapshotID)
						if b.VolumeSize > 0 {
							x.int("VolumeSize", b.VolumeSize)
						}
						x.str("VolumeType", b.VolumeType)
						if b.DeleteOnTermination != nil {
							x.bool("DeleteOnTermination", *b.DeleteOnTermination)
						}
						if b.IOPS > 0 {
							x.int("Iops", b.IOPS)
						}
						if b.Encrypted {
							x.bool("Encrypted", true)
						}
					})
				}
			})
			x.el("InstanceMonitoring", func() { x.bool("Enabled", sp.DetailedMonitoring) })
			x.str("SpotPrice", sp.SpotPrice)
			x.str("IamInstanceProfile", sp.IAMInstanceProfile)
			x.str("CreatedTime", "2024-01-01T00:00:00.000Z")
			x.str("PlacementTenancy", sp.Tenancy)
			if sp.MetadataHTTPTokens != "" {
				x.el("MetadataOptions", func() { x.str("HttpTokens", sp.MetadataHTTPTokens) })
			}
		})
		x.str("NextToken", next)
	})
	return nil
}

func (s *Server) describePolicies(c *call, rd *regionData) *apiError {
	group := c.form.get("AutoScalingGroupName")
	ps := rd.policies
	if group != "" {
		ps = nil
		for _, p := range rd.policies {
			if p.group == group {
				ps = append(ps, p)
			}
		}
	}
	lo, hi, next, e := s.formPage(c, len(ps), "MaxRecords", "NextToken", asgDefaultPage, asgMaxPage, group)
	if e != nil {
		return e
	}
	s.ok(c, func(x *xmlw) {
		x.list("ScalingPolicies", "member", hi-lo, func(i int) {
			gp := ps[lo+i]
			p := gp.policy
			x.str("AutoScalingGroupName", gp.group)
			x.str("PolicyName", p.Name)
			x.str("PolicyARN", p.ARN)
			x.str("PolicyType", p.Type)
			x.str("AdjustmentType", p.AdjustmentType)
			x.intp("ScalingAdjustment", p.ScalingAdjustment)
			x.intp("Cooldown", p.Cooldown)
			x.bool("Enabled", p.Enabled)
			switch p.Type {
			case "TargetTrackingScaling":
				x.el("TargetTrackingConfiguration", func() {
					writeMetric(x, p.Metric, "PredefinedMetricSpecification")
					if p.TargetValue != nil {
						x.float("TargetValue", *p.TargetValue)
					}
					x.bool("DisableScaleIn", p.DisableScaleIn)
				})
			case "PredictiveScaling":
				x.el("PredictiveScalingConfiguration", func() {
					x.list("MetricSpecifications", "member", 1, func(int) {
						if p.TargetValue != nil {
							x.float("TargetValue", *p.TargetValue)
						}
						writeMetric(x, p.Metric, "PredefinedMetricPairSpecification")
					})
					x.str("Mode", "ForecastOnly")
				})
			}
		})
		x.str("NextToken", next)
	})
	return nil
}

// writeMetric writes a predefined metric, or a customised one for "Namespace/MetricName".
func writeMetric(x *xmlw, metric, predefined string) {
	if metric == "" {
		return
	}
	if ns, name, ok := strings.Cut(metric, "/"); ok && predefined == "PredefinedMetricSpecification" {
		x.el("CustomizedMetricSpecification", func() {
			x.str("MetricName", name)
			x.str("Namespace", ns)
			x.str("Statistic", "Average")
		})
		return
	}
	x.el(predefined, func() { x.str("PredefinedMetricType", metric) })
}

func (s *Server) describeScheduledActions(c *call, rd *regionData) *apiError {
	group := c.form.get("AutoScalingGroupName")
	as := rd.scheduled
	if group != "" {
		as = nil
		for _, a := range rd.scheduled {
			if a.group == group {
				as = append(as, a)
			}
		}
	}
	lo, hi, next, e := s.formPage(c, len(as), "MaxRecords", "NextToken", asgDefaultPage, asgMaxPage, group)
	if e != nil {
		return e
	}
	s.ok(c, func(x *xmlw) {
		x.list("ScheduledUpdateGroupActions", "member", hi-lo, func(i int) {
			ga := as[lo+i]
			a := ga.action
			x.str("AutoScalingGroupName", ga.group)
			x.str("ScheduledActionName", a.Name)
			x.str("ScheduledActionARN", "arn:aws:autoscaling:"+c.region+":"+c.account+":scheduledUpdateGroupAction:00000000-0000-0000-0000-000000000000:autoScalingGroupName/"+ga.group+":scheduledActionName/"+a.Name)
			x.timestamp("StartTime", a.StartTime)
			x.timestamp("EndTime", a.EndTime)
			x.str("Recurrence", a.Recurrence)
			x.intp("MinSize", a.MinSize)
			x.intp("MaxSize", a.MaxSize)
			x.intp("DesiredCapacity", a.DesiredCapacity)
			x.str("TimeZone", a.TimeZone)
		})
		x.str("NextToken", next)
	})
	return nil
}

func (s *Server) describeLifecycleHooks(c *call, rd *regionData) *apiError {
	group := c.form.get("AutoScalingGroupName")
	if group == "" {
		return validation(c, "1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null")
	}
	found := false
	for _, g := range rd.groups {
		if g.Name == group {
			found = true
			break
		}
	}
	if !found {
		return &apiError{http.StatusBadRequest, "ValidationError", "Group " + group + " not found"}
	}
	hooks := rd.hooks[group]
	s.ok(c, func(x *xmlw) {
		// The API returns an empty <LifecycleHooks/> rather than omitting it.
		x.open("LifecycleHooks")
		for _, h := range hooks {
			x.el("member", func() {
				x.str("LifecycleHookName", h.Name)
				x.str("AutoScalingGroupName", group)
				x.str("LifecycleTransition", h.Transition)
				if h.HeartbeatTimeout > 0 {
					x.int("HeartbeatTimeout", h.HeartbeatTimeout)
					x.int("GlobalTimeout", h.HeartbeatTimeout*100)
				}
				x.str("DefaultResult", h.DefaultResult)
			})
		}
		x.close("LifecycleHooks")
	})
	return nil
}

func set(vs []string) map[string]bool {
	m := make(map[string]bool, len(vs))
	for _, v := range vs {
		m[v] = true
	}
	return m
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

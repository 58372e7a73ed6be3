package awstest

import (
	"net/http"
	"strings"

	"whyk8s/inventory"
)

// Elastic Load Balancing limits from the API references: pages of at most 400 load
// balancers, listeners or target groups; DescribeTags takes at most 20 names or ARNs.
const (
	elbMaxPage = 400
	elbMaxTags = 20
)

func (s *Server) elb(c *call, rd *regionData) *apiError {
	switch c.action {
	case "DescribeLoadBalancers":
		names := c.form.list("LoadBalancerNames.member")
		lbs := rd.classic
		if len(names) > 0 {
			lbs = nil
			for _, n := range names {
				lb, ok := rd.classicBy[n]
				if !ok {
					return classicNotFound(n)
				}
				lbs = append(lbs, lb)
			}
		}
		lo, hi, next, e := s.formPage(c, len(lbs), "PageSize", "Marker", elbMaxPage, elbMaxPage, strings.Join(names, ","))
		if e != nil {
			return e
		}
		s.ok(c, func(x *xmlw) {
			x.list("LoadBalancerDescriptions", "member", hi-lo, func(i int) { writeClassic(x, lbs[lo+i]) })
			x.str("NextMarker", next)
		})
		return nil
	case "DescribeLoadBalancerPolicies":
		name := c.form.get("LoadBalancerName")
		lb, ok := rd.classicBy[name]
		if name != "" && !ok {
			return classicNotFound(name)
		}
		var policies []inventory.ClassicPolicy
		if lb != nil {
			policies = lb.Policies
		}
		if want := c.form.list("PolicyNames.member"); len(want) > 0 {
			w := set(want)
			var sel []inventory.ClassicPolicy
			for _, p := range policies {
				if w[p.Name] {
					sel = append(sel, p)
				}
			}
			policies = sel
		}
		s.ok(c, func(x *xmlw) {
			x.list("PolicyDescriptions", "member", len(policies), func(i int) {
				p := policies[i]
				x.str("PolicyName", p.Name)
				x.str("PolicyTypeName", p.Type)
				keys := sortedKeys(p.Attributes)
				x.list("PolicyAttributeDescriptions", "member", len(keys), func(i int) {
					x.str("AttributeName", keys[i])
					x.str("AttributeValue", p.Attributes[keys[i]])
				})
			})
		})
		return nil
	case "DescribeLoadBalancerAttributes":
		name := c.form.get("LoadBalancerName")
		lb, ok := rd.classicBy[name]
		if !ok {
			return classicNotFound(name)
		}
		s.ok(c, func(x *xmlw) {
			x.el("LoadBalancerAttributes", func() {
				x.el("CrossZoneLoadBalancing", func() { x.bool("Enabled", lb.CrossZone) })
				x.el("AccessLog", func() { x.bool("Enabled", false) })
				x.el("ConnectionDraining", func() {
					x.bool("Enabled", lb.ConnectionDraining)
					if lb.ConnectionDrainingTimeout > 0 {
						x.int("Timeout", lb.ConnectionDrainingTimeout)
					}
				})
				if lb.IdleTimeout > 0 {
					x.el("ConnectionSettings", func() { x.int("IdleTimeout", lb.IdleTimeout) })
				}
			})
		})
		return nil
	case "DescribeTags":
		names := c.form.list("LoadBalancerNames.member")
		if len(names) == 0 || len(names) > elbMaxTags {
			return validation(c, "LoadBalancerNames must hold 1 to 20 names")
		}
		var lbs []*inventory.ClassicLoadBalancer
		for _, n := range names {
			lb, ok := rd.classicBy[n]
			if !ok {
				return classicNotFound(n)
			}
			lbs = append(lbs, lb)
		}
		s.ok(c, func(x *xmlw) {
			x.list("TagDescriptions", "member", len(lbs), func(i int) {
				x.str("LoadBalancerName", lbs[i].Name)
				writeTags(x, lbs[i].Tags)
			})
		})
		return nil
	}
	return &apiError{http.StatusBadRequest, "InvalidAction", "awstest does not implement " + c.op + " (classic)"}
}

func classicNotFound(name string) *apiError {
	return &apiError{http.StatusBadRequest, "LoadBalancerNotFound", "There is no ACTIVE Load Balancer named '" + name + "'"}
}

func writeTags(x *xmlw, tags map[string]string) {
	keys := sortedKeys(tags)
	x.open("Tags")
	for _, k := range keys {
		x.el("member", func() { x.str("Key", k); x.str("Value", tags[k]) })
	}
	x.close("Tags")
}

func writeClassic(x *xmlw, lb *inventory.ClassicLoadBalancer) {
	x.str("LoadBalancerName", lb.Name)
	x.str("DNSName", lb.DNSName)
	x.list("ListenerDescriptions", "member", len(lb.Listeners), func(i int) {
		l := lb.Listeners[i]
		x.el("Listener", func() {
			x.str("Protocol", l.Protocol)
			x.int("LoadBalancerPort", l.Port)
			x.str("InstanceProtocol", l.InstanceProtocol)
			x.int("InstancePort", l.InstancePort)
			x.str("SSLCertificateId", l.SSLCertificateID)
		})
		x.open("PolicyNames")
		for _, p := range l.PolicyNames {
			x.str("member", p)
		}
		x.close("PolicyNames")
	})
	x.el("Policies", func() {
		var app, lbc []inventory.ClassicPolicy
		var other []string
		for _, p := range lb.Policies {
			switch p.Type {
			case "AppCookieStickinessPolicyType":
				app = append(app, p)
			case "LBCookieStickinessPolicyType":
				lbc = append(lbc, p)
			default:
				other = append(other, p.Name)
			}
		}
		x.open("AppCookieStickinessPolicies")
		for _, p := range app {
			x.el("member", func() { x.str("PolicyName", p.Name); x.str("CookieName", p.Attributes["CookieName"]) })
		}
		x.close("AppCookieStickinessPolicies")
		x.open("LBCookieStickinessPolicies")
		for _, p := range lbc {
			x.el("member", func() {
				x.str("PolicyName", p.Name)
				x.str("CookieExpirationPeriod", p.Attributes["CookieExpirationPeriod"])
			})
		}
		x.close("LBCookieStickinessPolicies")
		x.open("OtherPolicies")
		for _, n := range other {
			x.str("member", n)
		}
		x.close("OtherPolicies")
	})
	if hc := lb.HealthCheck; hc != nil {
		x.el("HealthCheck", func() {
			x.str("Target", hc.Target)
			x.int("Interval", hc.Interval)
			x.int("Timeout", hc.Timeout)
			x.int("UnhealthyThreshold", hc.UnhealthyThreshold)
			x.int("HealthyThreshold", hc.HealthyThreshold)
		})
	}
	x.str("Scheme", lb.Scheme)
	x.str("CreatedTime", "2024-01-01T00:00:00.000Z")
}

func (s *Server) elbv2(c *call, rd *regionData) *apiError {
	switch c.action {
	case "DescribeLoadBalancers":
		arns := c.form.list("LoadBalancerArns.member")
		names := set(c.form.list("Names.member"))
		var lbs []*inventory.LoadBalancer
		for _, lb := range rd.lbs {
			if (len(arns) == 0 || contains(arns, lb.ARN)) && (len(names) == 0 || names[lb.Name]) {
				lbs = append(lbs, lb)
			}
		}
		if len(arns) > 0 && len(lbs) < len(arns) {
			return &apiError{http.StatusBadRequest, "LoadBalancerNotFound", "One or more load balancers not found"}
		}
		lo, hi, next, e := s.formPage(c, len(lbs), "PageSize", "Marker", elbMaxPage, elbMaxPage, strings.Join(arns, ","))
		if e != nil {
			return e
		}
		s.ok(c, func(x *xmlw) {
			x.list("LoadBalancers", "member", hi-lo, func(i int) {
				lb := lbs[lo+i]
				x.str("LoadBalancerArn", lb.ARN)
				x.str("DNSName", lb.DNSName)
				x.str("CreatedTime", "2024-01-01T00:00:00.000Z")
				x.str("LoadBalancerName", lb.Name)
				x.str("Scheme", lb.Scheme)
				x.str("VpcId", "vpc-0awstest")
				x.el("State", func() { x.str("Code", "active") })
				x.str("Type", lb.Type)
				x.str("IpAddressType", "ipv4")
			})
			x.str("NextMarker", next)
		})
		return nil
	case "DescribeListeners":
		arn := c.form.get("LoadBalancerArn")
		lb, ok := rd.lbBy[arn]
		if !ok {
			return &apiError{http.StatusBadRequest, "LoadBalancerNotFound", "Load balancer '" + arn + "' not found"}
		}
		lo, hi, next, e := s.formPage(c, len(lb.Listeners), "PageSize", "Marker", elbMaxPage, elbMaxPage, arn)
		if e != nil {
			return e
		}
		s.ok(c, func(x *xmlw) {
			x.list("Listeners", "member", hi-lo, func(i int) {
				l := lb.Listeners[lo+i]
				x.str("ListenerArn", l.ARN)
				x.str("LoadBalancerArn", lb.ARN)
				x.int("Port", l.Port)
				x.str("Protocol", l.Protocol)
				x.str("SslPolicy", l.SSLPolicy)
				x.open("DefaultActions")
				x.el("member", func() {
					if len(l.TargetGroupARNs) == 0 {
						x.str("Type", "redirect")
						x.int("Order", 1)
						return
					}
					x.str("Type", "forward")
					if len(l.TargetGroupARNs) == 1 {
						// AWS echoes a single target group both ways.
						x.str("TargetGroupArn", l.TargetGroupARNs[0])
					}
					x.int("Order", 1)
					x.el("ForwardConfig", func() {
						x.list("TargetGroups", "member", len(l.TargetGroupARNs), func(i int) {
							x.str("TargetGroupArn", l.TargetGroupARNs[i])
							x.int("Weight", 1)
						})
					})
				})
				x.close("DefaultActions")
			})
			x.str("NextMarker", next)
		})
		return nil
	case "DescribeTargetGroups":
		lbArn := c.form.get("LoadBalancerArn")
		arns := c.form.list("TargetGroupArns.member")
		var tgs []*inventory.TargetGroup
		for _, tg := range rd.tgs {
			if (len(arns) == 0 || contains(arns, tg.ARN)) && (lbArn == "" || contains(tg.LoadBalancerARNs, lbArn)) {
				tgs = append(tgs, tg)
			}
		}
		lo, hi, next, e := s.formPage(c, len(tgs), "PageSize", "Marker", elbMaxPage, elbMaxPage, lbArn+strings.Join(arns, ","))
		if e != nil {
			return e
		}
		s.ok(c, func(x *xmlw) {
			x.list("TargetGroups", "member", hi-lo, func(i int) {
				tg := tgs[lo+i]
				hc := tg.HealthCheck
				x.str("TargetGroupArn", tg.ARN)
				x.str("TargetGroupName", tg.Name)
				x.str("Protocol", tg.Protocol)
				if tg.Port > 0 {
					x.int("Port", tg.Port)
				}
				x.str("VpcId", "vpc-0awstest")
				x.str("HealthCheckProtocol", hc.Protocol)
				x.str("HealthCheckPort", hc.Port)
				x.bool("HealthCheckEnabled", hc.Enabled)
				if hc.Interval > 0 {
					x.int("HealthCheckIntervalSeconds", hc.Interval)
				}
				if hc.Timeout > 0 {
					x.int("HealthCheckTimeoutSeconds", hc.Timeout)
				}
				if hc.HealthyThreshold > 0 {
					x.int("HealthyThresholdCount", hc.HealthyThreshold)
				}
				if hc.UnhealthyThreshold > 0 {
					x.int("UnhealthyThresholdCount", hc.UnhealthyThreshold)
				}
				x.str("HealthCheckPath", hc.Path)
				if hc.Matcher != "" {
					x.el("Matcher", func() { x.str("HttpCode", hc.Matcher) })
				}
				x.strs("LoadBalancerArns", "member", tg.LoadBalancerARNs)
				x.str("TargetType", tg.TargetType)
			})
			x.str("NextMarker", next)
		})
		return nil
	case "DescribeTargetGroupAttributes":
		arn := c.form.get("TargetGroupArn")
		tg, ok := rd.tgBy[arn]
		if !ok {
			return &apiError{http.StatusBadRequest, "TargetGroupNotFound", "Target group '" + arn + "' not found"}
		}
		keys := sortedKeys(tg.Attributes)
		s.ok(c, func(x *xmlw) {
			x.list("Attributes", "member", len(keys), func(i int) {
				x.str("Key", keys[i])
				x.str("Value", tg.Attributes[keys[i]])
			})
		})
		return nil
	case "DescribeTags":
		arns := c.form.list("ResourceArns.member")
		if len(arns) == 0 || len(arns) > elbMaxTags {
			return validation(c, "ResourceArns must hold 1 to 20 ARNs")
		}
		tags := make([]map[string]string, len(arns))
		for i, arn := range arns {
			if lb, ok := rd.lbBy[arn]; ok {
				tags[i] = lb.Tags
			} else if tg, ok := rd.tgBy[arn]; ok {
				tags[i] = tg.Tags
			} else if strings.Contains(arn, ":targetgroup/") {
				return &apiError{http.StatusBadRequest, "TargetGroupNotFound", "Target groups '" + arn + "' not found"}
			} else {
				return &apiError{http.StatusBadRequest, "LoadBalancerNotFound", "Load balancers '" + arn + "' not found"}
			}
		}
		s.ok(c, func(x *xmlw) {
			x.list("TagDescriptions", "member", len(arns), func(i int) {
				x.str("ResourceArn", arns[i])
				writeTags(x, tags[i])
			})
		})
		return nil
	}
	return &apiError{http.StatusBadRequest, "InvalidAction", "awstest does not implement " + c.op + " (v2)"}
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

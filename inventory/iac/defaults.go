package iac

import (
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// What AWS applies when the code leaves a setting out, so that a record read from code
// says what the API would report for the resource once created.

// isNLBProtocol reports whether a target group protocol is a Network Load Balancer's.
func isNLBProtocol(p string) bool {
	switch strings.ToUpper(p) {
	case "TCP", "TLS", "UDP", "TCP_UDP":
		return true
	}
	return false
}

// targetHealthTimeout is the health check timeout AWS gives a target group that does not
// set one: 5 seconds for an Application Load Balancer's (HTTP, HTTPS) and GENEVE, 30 for a
// lambda target; for a Network Load Balancer's, 6 seconds for HTTP health checks and 10
// for TCP and HTTPS ones (Elastic Load Balancing user guides, "Health checks for your
// target groups").
func targetHealthTimeout(tgProtocol, hcProtocol, targetType string) int {
	switch {
	case strings.EqualFold(targetType, "lambda"):
		return 30
	case isNLBProtocol(tgProtocol):
		if strings.EqualFold(hcProtocol, "HTTP") {
			return 6
		}
		return 10
	}
	return 5
}

// targetHealthMatcher is the success codes AWS checks for when the code sets none: 200
// for an Application Load Balancer's HTTP or HTTPS health check, 200-399 for a Network
// Load Balancer's; none for TCP health checks.
func targetHealthMatcher(tgProtocol, hcProtocol string) string {
	switch strings.ToUpper(hcProtocol) {
	case "HTTP", "HTTPS":
		if isNLBProtocol(tgProtocol) {
			return "200-399"
		}
		return "200"
	}
	return ""
}

// classicDefaultHealthCheck is the health check a classic load balancer created without
// one has: TCP on the first listener's instance port, every 30 seconds, a 5 second
// timeout, 10 successes to be healthy and 2 failures to be unhealthy. With the port not
// known the target is left empty: the port's own gap says why.
func classicDefaultHealthCheck(listeners []inventory.ClassicListener) *inventory.ClassicHealthCheck {
	hc := &inventory.ClassicHealthCheck{Interval: 30, Timeout: 5, HealthyThreshold: 10, UnhealthyThreshold: 2}
	if len(listeners) > 0 && listeners[0].InstancePort > 0 {
		hc.Target = "TCP:" + itoa(listeners[0].InstancePort)
	}
	return hc
}

// The classic load balancer policy types that make sessions sticky, as the API names them.
const (
	stickyLBCookie  = "LBCookieStickinessPolicyType"
	stickyAppCookie = "AppCookieStickinessPolicyType"
)

// stickinessKind is a target group's stickiness type as the API spells it (lb_cookie,
// app_cookie, source_ip, source_ip_dest_ip…), whatever case the code writes it in.
func stickinessKind(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// targetGroupAttribute is an attribute's value as the API reports it: booleans and the
// stickiness type in lower case, whatever the code wrote ('True', TRUE, LB_Cookie).
func targetGroupAttribute(key, value string) string {
	switch {
	case key == "stickiness.type":
		return stickinessKind(value)
	case strings.HasSuffix(key, ".enabled"):
		if b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(value))); err == nil {
			return strconv.FormatBool(b)
		}
	}
	return value
}

// knownTG reports whether a target group field read from code is not one it sets to a
// value it cannot know: only then may AWS's default stand in for a missing value.
func knownTG(tg *inventory.TargetGroup, field string) bool {
	for _, u := range tg.Unknown {
		if u == field {
			return false
		}
	}
	return true
}

// classicPolicyKind is a classic load balancer policy type as the API names it, whatever
// the case the code writes it in: the stickiness types by kind, any other as written.
func classicPolicyKind(t string) string {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case strings.ToLower(stickyLBCookie):
		return stickyLBCookie
	case strings.ToLower(stickyAppCookie):
		return stickyAppCookie
	}
	return strings.TrimSpace(t)
}

package manifests

import (
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"whyk8s/inventory"
)

// containerPort is a port the container listens on: a target group's port or a classic
// listener's instance port.
type containerPort struct {
	port  int32
	name  string
	proto corev1.Protocol
	ev    []inventory.Evidence
}

// servicePort is a port a load balancer listener exposes, as a Service port.
type servicePort struct {
	port   int32
	name   string
	proto  corev1.Protocol
	target string // the container port's name
	ev     []inventory.Evidence
	// text says where the port comes from when it is not a listener's.
	text string
	// http: an HTTP or HTTPS listener, reached through a route; otherwise the port is
	// exposed by a Service of type LoadBalancer, as the network or classic load balancer
	// exposed it.
	http bool
	// scheme is the load balancer's scheme (internet-facing, internal), and schemeEv where
	// it was read.
	scheme   string
	schemeEv inventory.Evidence
	// tls names where TLS ended at the load balancer (a certificate, a listener).
	tls string
	// defaultRoute: the listener sends everything to the target group (its default action),
	// so the route matches every path. A target group reached only through listener rules
	// has conditions the estate does not hold.
	defaultRoute bool
	// tgName names the target group, for the route's comment.
	tgName string
}

// traffic is how traffic reaches the workload: the container's ports and the load
// balancers' listeners in front of them.
type traffic struct {
	container []containerPort
	service   []servicePort
	// gaps says what could not be carried over, for the README.
	gaps []string
}

func protoOf(p string) corev1.Protocol {
	if strings.EqualFold(p, "UDP") {
		return corev1.ProtocolUDP
	}
	return corev1.ProtocolTCP
}

// portName is an IANA service name for a port: the protocol and the number ("http-8080"),
// unique within a Service or container because the number is.
func portName(proto string, port int) string {
	p := strings.ToLower(proto)
	if p == "" || p == "tcp_udp" {
		p = "tcp"
	}
	return p + "-" + strconv.Itoa(port)
}

func httpProto(p string) bool {
	return strings.EqualFold(p, "HTTP") || strings.EqualFold(p, "HTTPS")
}

// trafficOf reads the workload's ports from its target groups and classic load balancers.
// Every port is a number the estate holds: a container port is a target group's port or a
// classic listener's instance port, a Service port is a listener's port.
func trafficOf(w *workload) traffic {
	var t traffic
	addContainer := func(port int, proto string, ev inventory.Evidence) string {
		name := portName(proto, port)
		for i := range t.container {
			if t.container[i].port == int32(port) {
				t.container[i].ev = append(t.container[i].ev, ev)
				return t.container[i].name
			}
		}
		t.container = append(t.container, containerPort{port: int32(port), name: name, proto: protoOf(proto), ev: []inventory.Evidence{ev}})
		return name
	}
	addService := func(sp servicePort) {
		for i := range t.service {
			s := &t.service[i]
			if s.port == sp.port && s.proto == sp.proto && s.http == sp.http {
				s.ev = append(s.ev, sp.ev...)
				s.defaultRoute = s.defaultRoute || sp.defaultRoute
				return
			}
		}
		t.service = append(t.service, sp)
	}

	lbARNs := make([]string, 0, len(w.lbs))
	for arn := range w.lbs {
		lbARNs = append(lbARNs, arn)
	}
	sort.Strings(lbARNs)
	for _, tg := range w.tgs {
		if tg.Port <= 0 {
			t.gaps = append(t.gaps, "target group "+tg.Name+": its port is not known, so no container or Service port is written for it")
			continue
		}
		target := addContainer(tg.Port, tg.Protocol, tgEv(tg, "Port", strconv.Itoa(tg.Port)))
		forwarded := false
		for _, arn := range lbARNs {
			lb := w.lbs[arn]
			for li := range lb.Listeners {
				l := &lb.Listeners[li]
				if !contains(l.TargetGroupARNs, tg.ARN) {
					continue
				}
				if l.Port <= 0 {
					t.gaps = append(t.gaps, "a listener of "+lb.Name+" forwards to "+tg.Name+" on a port that is not known")
					continue
				}
				forwarded = true
				sp := servicePort{port: int32(l.Port), name: portName(l.Protocol, l.Port), proto: protoOf(l.Protocol), target: target,
					ev: []inventory.Evidence{listenerEv(l, "Port", strconv.Itoa(l.Port))}, http: lb.Type == "application" && httpProto(l.Protocol),
					scheme: lb.Scheme, schemeEv: lbEv(lb, "Scheme", lb.Scheme), defaultRoute: true, tgName: tg.Name}
				if strings.EqualFold(l.Protocol, "HTTPS") || strings.EqualFold(l.Protocol, "TLS") {
					sp.tls = "listener " + l.ARN
				}
				addService(sp)
			}
		}
		if !forwarded && len(tg.LoadBalancerARNs) > 0 {
			// Behind a load balancer through listener rules only: the rule's listener port
			// and conditions are not in the estate, so the Service port is the target
			// group's own and the route's match is left to fill in.
			lbType, scheme := "", ""
			var schemeEv inventory.Evidence
			for _, arn := range tg.LoadBalancerARNs {
				if lb := w.lbs[arn]; lb != nil {
					lbType, scheme, schemeEv = lb.Type, lb.Scheme, lbEv(lb, "Scheme", lb.Scheme)
				}
			}
			addService(servicePort{port: int32(tg.Port), name: portName(tg.Protocol, tg.Port), proto: protoOf(tg.Protocol), target: target,
				ev:   []inventory.Evidence{tgEv(tg, "Port", strconv.Itoa(tg.Port))},
				text: "the target group's port: a listener rule forwards here, and which listener and conditions is not read",
				http: lbType != "network" && httpProto(tg.Protocol), scheme: scheme, schemeEv: schemeEv, tgName: tg.Name})
		}
	}
	for _, lb := range w.classic {
		for _, l := range lb.Listeners {
			if l.InstancePort <= 0 || l.Port <= 0 {
				t.gaps = append(t.gaps, "classic load balancer "+lb.Name+": a listener's port is not known")
				continue
			}
			target := addContainer(l.InstancePort, l.InstanceProtocol, clbEv(lb, "ListenerDescriptions.Listener.InstancePort", strconv.Itoa(l.InstancePort)))
			sp := servicePort{port: int32(l.Port), name: portName(l.Protocol, l.Port), proto: protoOf(l.Protocol), target: target,
				ev:   []inventory.Evidence{clbEv(lb, "ListenerDescriptions.Listener.LoadBalancerPort", strconv.Itoa(l.Port))},
				http: httpProto(l.Protocol), scheme: lb.Scheme, schemeEv: clbEv(lb, "Scheme", lb.Scheme), defaultRoute: true, tgName: lb.Name}
			if l.SSLCertificateID != "" {
				sp.tls = "certificate " + l.SSLCertificateID
			}
			addService(sp)
		}
	}
	sort.SliceStable(t.container, func(i, j int) bool { return t.container[i].port < t.container[j].port })
	sort.SliceStable(t.service, func(i, j int) bool {
		if t.service[i].http != t.service[j].http {
			return t.service[i].http
		}
		return t.service[i].port < t.service[j].port
	})
	return t
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// probe is the readiness check a load balancer ran, as Kubernetes writes it.
type probe struct {
	handler corev1.ProbeHandler
	port    int
	path    string // empty for a TCP check
	period  int
	timeout int
	healthy int
	failure int
	ev      []inventory.Evidence
	// matcher is the HTTP codes the load balancer accepted.
	matcher string
	source  string // "target group x", "classic load balancer y"
}

// probeOf reads the health check of the workload's first target group with an HTTP check
// (else a TCP one), else its classic load balancer's. The port is the health check's own,
// or the target group's traffic port when it says "traffic-port".
func probeOf(w *workload) (*probe, []string) {
	var gaps []string
	var best *probe
	for _, tg := range w.tgs {
		hc := tg.HealthCheck
		if !hc.Enabled {
			gaps = append(gaps, "target group "+tg.Name+" has its health check switched off")
			continue
		}
		port := tg.Port
		portEv := tgEv(tg, "Port", strconv.Itoa(tg.Port))
		if hc.Port != "" && hc.Port != "traffic-port" {
			n, err := strconv.Atoi(hc.Port)
			if err != nil {
				gaps = append(gaps, "target group "+tg.Name+": the health check's port is not known")
				continue
			}
			port, portEv = n, tgEv(tg, "HealthCheckPort", hc.Port)
		}
		if port <= 0 || hc.Protocol == "" {
			gaps = append(gaps, "target group "+tg.Name+": the health check's port or protocol is not known")
			continue
		}
		p := &probe{port: port, period: hc.Interval, timeout: hc.Timeout, healthy: hc.HealthyThreshold, failure: hc.UnhealthyThreshold,
			matcher: hc.Matcher, source: "target group " + tg.Name,
			ev: []inventory.Evidence{tgEv(tg, "HealthCheckProtocol", hc.Protocol), portEv}}
		if httpProto(hc.Protocol) {
			if hc.Path == "" {
				gaps = append(gaps, "target group "+tg.Name+": the health check's path is not known")
				continue
			}
			p.path = hc.Path
			p.ev = append(p.ev, tgEv(tg, "HealthCheckPath", hc.Path))
		}
		if best == nil || (best.path == "" && p.path != "") {
			best = p
		}
	}
	if best != nil {
		best.handler = handlerOf(best)
		return best, gaps
	}
	for _, lb := range w.classic {
		hc := lb.HealthCheck
		if hc == nil || hc.Target == "" {
			continue
		}
		// The API's own format: PROTOCOL:PORT[/PATH].
		proto, rest, _ := strings.Cut(hc.Target, ":")
		portText, path, hasPath := strings.Cut(rest, "/")
		port, err := strconv.Atoi(portText)
		if err != nil || port <= 0 {
			gaps = append(gaps, "classic load balancer "+lb.Name+": the health check's port is not known")
			continue
		}
		p := &probe{port: port, period: hc.Interval, timeout: hc.Timeout, healthy: hc.HealthyThreshold, failure: hc.UnhealthyThreshold,
			source: "classic load balancer " + lb.Name, ev: []inventory.Evidence{clbEv(lb, "HealthCheck.Target", hc.Target)}}
		if httpProto(proto) {
			p.path = "/"
			if hasPath {
				p.path = "/" + path
			}
		}
		if strings.EqualFold(proto, "HTTPS") {
			proto = "HTTPS"
		}
		p.handler = handlerOf(p)
		if strings.EqualFold(proto, "HTTPS") && p.handler.HTTPGet != nil {
			p.handler.HTTPGet.Scheme = corev1.URISchemeHTTPS
		}
		return p, gaps
	}
	return nil, gaps
}

func handlerOf(p *probe) corev1.ProbeHandler {
	if p.path == "" {
		return corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intOrInt(p.port)}}
	}
	h := &corev1.HTTPGetAction{Path: p.path, Port: intOrInt(p.port)}
	for _, e := range p.ev {
		if e.Field == "TargetGroup.HealthCheckProtocol" && strings.EqualFold(e.Value, "HTTPS") {
			h.Scheme = corev1.URISchemeHTTPS
		}
	}
	return corev1.ProbeHandler{HTTPGet: h}
}

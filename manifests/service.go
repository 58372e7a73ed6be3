package manifests

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// Route kinds for HTTP listeners.
const (
	RouteGateway = "gateway" // Gateway API HTTPRoute
	RouteIngress = "ingress" // networking.k8s.io Ingress
)

// services writes one Service for the ports reached through HTTP routes and one of type
// LoadBalancer for the ports a network or classic load balancer exposed as they are.
func (b *bundle) services(t traffic) {
	var routed, exposed []servicePort
	for _, sp := range t.service {
		if sp.http {
			routed = append(routed, sp)
		} else {
			exposed = append(exposed, sp)
		}
	}
	if len(routed) > 0 {
		b.service("service.yaml", b.app, corev1.ServiceTypeClusterIP, routed)
	}
	if len(exposed) > 0 {
		name := b.app
		if len(routed) > 0 {
			name = dnsLabel(b.app + "-lb")
		}
		b.service("service-lb.yaml", name, corev1.ServiceTypeLoadBalancer, exposed)
	}
}

func (b *bundle) service(file, name string, typ corev1.ServiceType, ports []servicePort) {
	o := &object{File: file, Kind: "Service", Name: name}
	s := &corev1.Service{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Service"}, ObjectMeta: b.meta(name),
		Spec: corev1.ServiceSpec{Type: typ, Selector: map[string]string{labelName: b.app}}}
	for i, sp := range ports {
		s.Spec.Ports = append(s.Spec.Ports, corev1.ServicePort{Name: sp.name, Port: sp.port, Protocol: sp.proto, TargetPort: intstr.FromString(sp.target)})
		text := sp.text
		if text == "" {
			text = "the listener's port, sending to the container port the target group used"
		}
		if sp.tls != "" {
			text += "; TLS ended at the load balancer (" + sp.tls + "): it ends at the Gateway or Ingress now, so this port carries what the instances received"
		}
		o.from(fmt.Sprintf("spec.ports[%d]", i), "", text, sp.ev...)
	}
	if typ == corev1.ServiceTypeLoadBalancer {
		scheme := ports[0].scheme
		s.Annotations = map[string]string{
			"service.beta.kubernetes.io/aws-load-balancer-type":            "external",
			"service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
		}
		if scheme != "" {
			s.Annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] = scheme
			o.from("metadata.annotations[service.beta.kubernetes.io/aws-load-balancer-scheme]", "", "the load balancer's scheme", ports[0].schemeEv)
		}
		o.from("spec.type", "", "a network load balancer exposed these ports as they are; the AWS Load Balancer Controller's annotations ask for one again", ports[0].ev...)
	}
	o.Obj = s
	b.add(o)
}

// route writes the HTTPRoute (or Ingress) in front of the HTTP ports: one rule per target
// group, matching every path when a listener's default action forwarded to it.
func (b *bundle) route(t traffic, opts Options) {
	var routed []servicePort
	for _, sp := range t.service {
		if sp.http {
			routed = append(routed, sp)
		}
	}
	if len(routed) == 0 {
		return
	}
	// One backend per target group: the first (lowest) Service port that reaches it.
	var backends []servicePort
	seen := map[string]bool{}
	for _, sp := range routed {
		if !seen[sp.target] {
			seen[sp.target] = true
			backends = append(backends, sp)
		}
	}
	if opts.Route == RouteIngress {
		b.ingress(backends)
		return
	}
	b.httpRoute(backends)
}

func (b *bundle) httpRoute(backends []servicePort) {
	o := &object{File: "httproute.yaml", Kind: "HTTPRoute", Name: b.app}
	r := &gatewayv1.HTTPRoute{TypeMeta: metav1.TypeMeta{APIVersion: "gateway.networking.k8s.io/v1", Kind: "HTTPRoute"}, ObjectMeta: b.meta(b.app),
		Spec: gatewayv1.HTTPRouteSpec{CommonRouteSpec: gatewayv1.CommonRouteSpec{ParentRefs: []gatewayv1.ParentReference{{Name: Placeholder}}}}}
	o.fill("spec.parentRefs[0].name", "the Gateway that takes over from the load balancer's listeners "+listenerList(backends)+" (its TLS certificates and host names go there)")
	for i, sp := range backends {
		prefix := gatewayv1.PathMatchPathPrefix
		path := "/"
		port := gatewayv1.PortNumber(sp.port)
		rule := gatewayv1.HTTPRouteRule{
			Matches:     []gatewayv1.HTTPRouteMatch{{Path: &gatewayv1.HTTPPathMatch{Type: &prefix, Value: &path}}},
			BackendRefs: []gatewayv1.HTTPBackendRef{{BackendRef: gatewayv1.BackendRef{BackendObjectReference: gatewayv1.BackendObjectReference{Name: gatewayv1.ObjectName(b.app), Port: &port}}}}}
		rp := fmt.Sprintf("spec.rules[%d]", i)
		if sp.defaultRoute {
			o.from(rp, "", "the listener's default action forwarded every request to target group "+sp.tgName, sp.ev...)
		} else {
			ph := "/" + Placeholder
			rule.Matches[0].Path.Value = &ph
			o.fill(rp+".matches[0].path.value", "the path (or host) of the listener rule that forwards to target group "+sp.tgName+"; listener rules' conditions are not read", sp.ev...)
		}
		r.Spec.Rules = append(r.Spec.Rules, rule)
	}
	o.Obj = r
	b.add(o)
}

func (b *bundle) ingress(backends []servicePort) {
	o := &object{File: "ingress.yaml", Kind: "Ingress", Name: b.app}
	prefix := networkingv1.PathTypePrefix
	in := &networkingv1.Ingress{TypeMeta: metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "Ingress"}, ObjectMeta: b.meta(b.app),
		Spec: networkingv1.IngressSpec{IngressClassName: ptr(Placeholder)}}
	o.fill("spec.ingressClassName", "the ingress class that takes over from the load balancer's listeners "+listenerList(backends)+" (alb for the AWS Load Balancer Controller); TLS and host names go in spec.tls and the rule's host")
	var paths []networkingv1.HTTPIngressPath
	for i, sp := range backends {
		p := networkingv1.HTTPIngressPath{Path: "/", PathType: &prefix, Backend: networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{
			Name: b.app, Port: networkingv1.ServiceBackendPort{Number: sp.port}}}}
		pp := fmt.Sprintf("spec.rules[0].http.paths[%d]", i)
		if sp.defaultRoute {
			o.from(pp, "", "the listener's default action forwarded every request to target group "+sp.tgName, sp.ev...)
		} else {
			p.Path = "/" + Placeholder
			o.fill(pp+".path", "the path of the listener rule that forwards to target group "+sp.tgName+"; listener rules' conditions are not read", sp.ev...)
		}
		paths = append(paths, p)
	}
	in.Spec.Rules = []networkingv1.IngressRule{{IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{Paths: paths}}}}
	o.Obj = in
	b.add(o)
}

func listenerList(sps []servicePort) string {
	var parts []string
	for _, sp := range sps {
		for _, e := range sp.ev {
			parts = append(parts, e.String())
		}
	}
	return "(" + strings.Join(parts, "; ") + ")"
}

package iac

import (
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"whyk8s/inventory"
)

// place is where a value was written: file, line and a short excerpt of the expression,
// for the message of a gap.
type place struct {
	path string
	line int
	text string
}

// props is the arguments of one resource or nested block, whatever syntax they came from:
// a Terraform block, a CloudFormation Properties map, a module input object. The mappers in
// terraform_map.go, registry.go and cloudformation_map.go read AWS facts through it, so the
// rules about unknown values live in one place.
type props interface {
	// get returns the named argument's value and where it was written; ok is false when
	// the code does not set it.
	get(name string) (v cty.Value, at place, ok bool)
	// subs returns the nested blocks or objects of that name, in written order.
	subs(name string) []props
	// label names the block in messages: "aws_autoscaling_group.web launch_template".
	label() string
	// where is the block's own place.
	where() place
}

// valueProps reads an evaluated object (a module input, a CloudFormation property that an
// intrinsic function produced) as props; every value has the place of the whole object,
// or, when the object is written out in Terraform ({ key = value }), of its own line.
type valueProps struct {
	v    cty.Value
	at   place
	name string
	src  hcl.Expression // the object as written, when it is written out
	rt   *tfRoot        // for excerpts of src
}

// item is the expression written for key in an object written out, or nil.
func (p valueProps) item(key string) hcl.Expression {
	oc, ok := p.src.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil
	}
	for _, it := range oc.Items {
		if k := objectKey(it.KeyExpr); k == key {
			return it.ValueExpr
		}
	}
	return nil
}

// objectKey is the literal key of an object item: name = … or "name" = ….
func objectKey(e hcl.Expression) string {
	if kw := hcl.ExprAsKeyword(e); kw != "" {
		return kw
	}
	if v, diags := e.Value(nil); !diags.HasErrors() {
		s, _ := asString(v)
		return s
	}
	return ""
}

// placeOf is where an item of an object written out is, with an excerpt.
func (p valueProps) placeOf(e hcl.Expression) place {
	rng := e.Range()
	at := place{path: rng.Filename, line: rng.Start.Line}
	if p.rt != nil {
		at.text = p.rt.excerpt(e)
	}
	return at
}

func (p valueProps) get(name string) (cty.Value, place, bool) {
	a := attr(p.v, name)
	at := p.at
	if e := p.item(name); e != nil {
		at = p.placeOf(e)
	}
	if plain(a).IsNull() {
		return a, at, false
	}
	return a, at, true
}

func (p valueProps) subs(name string) []props {
	a, at, ok := p.get(name)
	if !ok {
		return nil
	}
	var out []props
	for i, e := range elements(a) {
		out = append(out, valueProps{v: e, at: at, name: p.name + " " + name, src: elementExpr(p.item(name), i), rt: p.rt})
	}
	return out
}

// entries are the values of a map or object (in key order, each named by its key) or the
// elements of a list, each with the expression written for it when it is written out.
func (p valueProps) entries() (keys []string, out []valueProps) {
	keys, vals := keyed(p.v)
	if keys != nil {
		for _, k := range keys {
			e := valueProps{v: vals[k], at: p.at, name: p.name + "." + k, rt: p.rt, src: p.item(k)}
			if e.src != nil {
				e.at = p.placeOf(e.src)
			}
			out = append(out, e)
		}
		return keys, out
	}
	for i, v := range elements(p.v) {
		k := strconv.Itoa(i)
		e := valueProps{v: v, at: p.at, name: p.name + "[" + k + "]", rt: p.rt, src: elementExpr(p.src, i)}
		if e.src != nil {
			e.at = p.placeOf(e.src)
		}
		keys, out = append(keys, k), append(out, e)
	}
	return keys, out
}

// elementExpr is the i-th element of a list written out, or nil.
func elementExpr(e hcl.Expression, i int) hcl.Expression {
	if tc, ok := e.(*hclsyntax.TupleConsExpr); ok && i < len(tc.Exprs) {
		return tc.Exprs[i]
	}
	return nil
}

func (p valueProps) label() string { return p.name }
func (p valueProps) where() place  { return p.at }

// mapper turns props into Go values, recording a gap for every value the code sets but
// that cannot be known: an unknown value must never become a zero judged as a fact.
type mapper struct {
	gaps *[]inventory.CoverageGap
	// decode is Options.UserData, the one user-data decoder.
	decode func(raw []byte) (string, error)
}

func (m mapper) unresolved(p props, name string, at place, v cty.Value) {
	why := strings.Join(reasonsOf(v), "; ")
	if why == "" {
		why = "not known until the infrastructure is applied"
	}
	msg := p.label() + " " + name
	if at.text != "" {
		msg += " = " + at.text
	}
	*m.gaps = append(*m.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved, Message: msg + ": " + why})
}

// value returns the named value when it is set and known; otherwise records the gap.
func (m mapper) value(p props, name string) (cty.Value, bool) {
	v, at, ok := p.get(name)
	if !ok {
		return v, false
	}
	if !isKnown(v) {
		m.unresolved(p, name, at, v)
		return v, false
	}
	if u := plain(v); u.Type().IsPrimitiveType() && len(reasonsOf(v)) > 0 {
		// Text rendered in part (Fn::Sub keeps "${Port}" as written): not the value.
		m.unresolved(p, name, at, v)
		return v, false
	}
	return v, true
}

func (m mapper) str(p props, name string) string {
	s, _ := m.strOK(p, name)
	return s
}

func (m mapper) strOK(p props, name string) (string, bool) {
	v, ok := m.value(p, name)
	if !ok {
		return "", false
	}
	return asString(v)
}

func (m mapper) intOK(p props, name string) (int, bool) {
	v, ok := m.value(p, name)
	if !ok {
		return 0, false
	}
	return asInt(v)
}

// intOr is the value, or def when the code does not set it (the provider's default).
// An unknown value gives def too, but with a gap that says so.
func (m mapper) intOr(p props, name string, def int) int {
	if i, ok := m.intOK(p, name); ok {
		return i
	}
	return def
}

func (m mapper) intPtr(p props, name string) *int {
	if i, ok := m.intOK(p, name); ok {
		return &i
	}
	return nil
}

func (m mapper) floatPtr(p props, name string) *float64 {
	v, ok := m.value(p, name)
	if !ok {
		return nil
	}
	if f, ok := asFloat(v); ok {
		return &f
	}
	return nil
}

func (m mapper) boolOr(p props, name string, def bool) bool {
	v, ok := m.value(p, name)
	if !ok {
		return def
	}
	if b, ok := asBool(v); ok {
		return b
	}
	return def
}

func (m mapper) boolPtr(p props, name string) *bool {
	v, ok := m.value(p, name)
	if !ok {
		return nil
	}
	if b, ok := asBool(v); ok {
		return &b
	}
	return nil
}

// strs reads a list of strings; unknown elements are left out with a gap each, so a list
// with one unresolved target group still joins the others.
func (m mapper) strs(p props, name string) []string {
	v, at, ok := p.get(name)
	if !ok {
		return nil
	}
	var out []string
	for _, e := range elements(v) {
		if !isKnown(e) || len(reasonsOf(e)) > 0 {
			m.unresolved(p, name, at, e)
			continue
		}
		if s, ok := asString(e); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// text reads a string that people read (a name, a tag): a stand-in identifier in it is
// shown as "…", with a gap saying what it stands for.
func (m mapper) text(p props, name string) (string, bool) {
	v, ok := m.value(p, name)
	if !ok {
		return "", false
	}
	s, ok := asString(v)
	if !ok {
		return "", false
	}
	_, at, _ := p.get(name)
	return m.humanize(p, name, at, s, v), true
}

// humanize replaces the stand-in identifiers in s, rendered from v, by "…" and records why.
func (m mapper) humanize(p props, name string, at place, s string, v cty.Value) string {
	h, why := humanText(s, v, func(string) string { return ellipsis })
	if len(why) > 0 {
		*m.gaps = append(*m.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved,
			Message: p.label() + " " + name + " is known only in part, the rest shown as " + ellipsis + ": " + strings.Join(sortedUnique(why), "; ")})
	}
	return h
}

// sizeFields are a group's fields whose unknown value would be read as a fact, by the
// argument names of Terraform (resource and registry module) and CloudFormation.
var sizeFields = []struct{ tf, cfn, api string }{
	{"min_size", "MinSize", "MinSize"},
	{"max_size", "MaxSize", "MaxSize"},
	{"desired_capacity", "DesiredCapacity", "DesiredCapacity"},
	{"health_check_type", "HealthCheckType", "HealthCheckType"},
	{"health_check_grace_period", "HealthCheckGracePeriod", "HealthCheckGracePeriod"},
}

// unknownFields lists the API names of the group fields the code sets to a value that
// cannot be known. A group without a desired capacity starts at its minimum, so an
// unknown minimum makes the desired capacity unknown too.
func unknownFields(p props, cfn bool) []string {
	var out []string
	set := map[string]bool{}
	for _, f := range sizeFields {
		name := f.tf
		if cfn {
			name = f.cfn
		}
		v, _, ok := p.get(name)
		set[f.api] = ok
		if ok && !isKnown(v) {
			out = append(out, f.api)
		}
	}
	if !set["DesiredCapacity"] && len(out) > 0 && out[0] == "MinSize" {
		out = append(out, "DesiredCapacity")
	}
	sort.Strings(out)
	return out
}

// strMap reads a map of strings (tags); unknown values are left out with a gap.
func (m mapper) strMap(p props, name string) map[string]string {
	v, at, ok := p.get(name)
	if !ok {
		return nil
	}
	if !isKnown(v) && plain(v).Type() == cty.DynamicPseudoType {
		m.unresolved(p, name, at, v)
		return nil
	}
	keys, vals := keyed(v)
	out := map[string]string{}
	for _, k := range keys {
		e := vals[k]
		if !isKnown(e) {
			m.unresolved(p, name+"."+k, at, e)
			continue
		}
		if s, ok := asString(e); ok {
			out[k] = m.humanize(p, name+"."+k, at, s, e)
		}
	}
	return out
}

// userData reads user data as text. The expression is never quoted in a gap: user data
// is where secrets live. A value rendered only in part (a template placeholder that cannot
// be known is kept literally) is used, with a gap naming what was kept.
func (m mapper) userData(p props, name string) string {
	v, at, ok := p.get(name)
	if !ok {
		return ""
	}
	at.text = ""
	if !isKnown(v) {
		m.unresolved(p, name, at, v)
		return ""
	}
	s, ok := asString(v)
	if !ok {
		return ""
	}
	text, err := m.decodeUserData(s)
	if err != nil {
		*m.gaps = append(*m.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapEncoding,
			Message: p.label() + " " + name + ": " + err.Error()})
		return ""
	}
	// What is known only once created (another resource's id) is kept as a placeholder
	// naming it, like an unknown value in a template.
	s, ids := humanText(text, v, func(addr string) string { return "${" + addr + "}" })
	if rs := append(reasonsOf(v), ids...); len(rs) > 0 {
		*m.gaps = append(*m.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved,
			Message: p.label() + " " + name + " rendered in part, placeholders kept literally: " + strings.Join(sortedUnique(rs), "; ")})
	}
	return s
}

// tagList reads tags written as a list of {key, value} objects or blocks (Terraform's tag
// blocks and the old tags list, CloudFormation's Tags).
func (m mapper) tagList(blocks []props, key, value string, into map[string]string) {
	for _, b := range blocks {
		k, ok := m.strOK(b, key)
		if !ok || k == "" {
			continue
		}
		if v, ok := m.text(b, value); ok {
			into[k] = v
		}
	}
}

func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func sortedUnique(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// forwardNames are what one syntax calls the parts of a forward action: the action's own
// target group, its weighted forward block, that block's target groups and their ARN.
type forwardNames struct{ direct, forward, groups, arn string }

var (
	tfForward  = forwardNames{"target_group_arn", "forward", "target_group", "arn"}
	cfnForward = forwardNames{"TargetGroupArn", "ForwardConfig", "TargetGroups", "TargetGroupArn"}
)

// forwardTargets lists, sorted and once each, the target groups that listener or rule
// actions forward to, whether as one target group or a weighted forward.
func forwardTargets(mp mapper, actions []props, n forwardNames) []string {
	var tgs []string
	for _, a := range actions {
		if arn := mp.str(a, n.direct); arn != "" {
			tgs = append(tgs, arn)
		}
		for _, f := range a.subs(n.forward) {
			for _, tg := range f.subs(n.groups) {
				if arn := mp.str(tg, n.arn); arn != "" {
					tgs = append(tgs, arn)
				}
			}
		}
	}
	return sortedUnique(tgs)
}

// launchOptionNames are what one syntax calls a launch template's option blocks and the
// field each is read for.
type launchOptionNames struct {
	metadata, httpTokens, market, marketType, placement, tenancy, monitoring, enabled string
}

var (
	tfLaunchOptions  = launchOptionNames{"metadata_options", "http_tokens", "instance_market_options", "market_type", "placement", "tenancy", "monitoring", "enabled"}
	cfnLaunchOptions = launchOptionNames{"MetadataOptions", "HttpTokens", "InstanceMarketOptions", "MarketType", "Placement", "Tenancy", "Monitoring", "Enabled"}
)

// launchOptions reads a launch template's metadata, market, placement and monitoring
// blocks into spec, whichever syntax wrote them.
func launchOptions(mp mapper, p props, n launchOptionNames, spec *inventory.LaunchSpec) {
	for _, mo := range p.subs(n.metadata) {
		spec.MetadataHTTPTokens = mp.str(mo, n.httpTokens)
	}
	for _, mo := range p.subs(n.market) {
		spec.MarketType = mp.str(mo, n.marketType)
	}
	for _, pl := range p.subs(n.placement) {
		spec.Tenancy = mp.str(pl, n.tenancy)
	}
	for _, mo := range p.subs(n.monitoring) {
		spec.DetailedMonitoring = mp.boolOr(mo, n.enabled, false)
	}
}

// groupNames are what one syntax calls a group's sizes, health check and placement, and
// the grace period it gives when none is written (the Terraform provider sends 300).
type groupNames struct {
	min, max, desired, healthType, grace, subnets, zones string
	graceDefault                                         int
}

var (
	tfGroupNames  = groupNames{"min_size", "max_size", "desired_capacity", "health_check_type", "health_check_grace_period", "vpc_zone_identifier", "availability_zones", 300}
	cfnGroupNames = groupNames{"MinSize", "MaxSize", "DesiredCapacity", "HealthCheckType", "HealthCheckGracePeriod", "VPCZoneIdentifier", "AvailabilityZones", 0}
)

// groupCapacity reads a group's sizes, health check and placement into g.
func groupCapacity(mp mapper, p props, n groupNames, g *inventory.AutoScalingGroup) {
	g.MinSize = mp.intOr(p, n.min, 0)
	g.MaxSize = mp.intOr(p, n.max, 0)
	// AWS starts a group without a desired capacity at its minimum.
	g.DesiredCapacity = mp.intOr(p, n.desired, g.MinSize)
	g.HealthCheckType = orDefault(mp.str(p, n.healthType), "EC2")
	g.HealthCheckGracePeriod = mp.intOr(p, n.grace, n.graceDefault)
	g.Subnets = mp.strs(p, n.subnets)
	g.AvailabilityZones = mp.strs(p, n.zones)
}

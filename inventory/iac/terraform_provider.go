package iac

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"whyk8s/inventory"
)

// providerConfig is what an aws provider block says about where resources live.
type providerConfig struct {
	region, account string
}

var providerSchema = &schema{
	attrs:  []string{"alias", "region", "allowed_account_ids"},
	blocks: map[string]*schema{"assume_role": {attrs: []string{"role_arn"}}},
}

// providersOf gives the module its aws providers, by "aws" or "aws.ALIAS": inherited from
// the caller (through the call's providers map when it has one), then its own blocks.
func (rt *tfRoot) providersOf(m *tfModule) map[string]providerConfig {
	out := map[string]providerConfig{}
	if m.parent == nil {
		region, account := rt.opts.DefaultRegion, rt.opts.DefaultAccount
		if region == "" {
			region = inventory.UnknownScope
		}
		if account == "" {
			account = inventory.UnknownScope
		}
		out["aws"] = providerConfig{region: region, account: account}
	} else {
		for k, v := range m.parent.providers {
			out[k] = v
		}
		if a := m.call.attrs["providers"]; a != nil {
			pairs, _ := hcl.ExprMap(a.Expr)
			for _, kv := range pairs {
				to := traversalName(kv.Key)
				from := traversalName(kv.Value)
				if cfg, ok := m.parent.providers[from]; ok && to != "" {
					out[to] = cfg
				}
			}
		}
	}
	sawRegion := false
	for _, b := range m.def.providers {
		if b.Labels[0] != "aws" {
			continue
		}
		p := m.decode(b.Body, providerSchema, nil, "provider aws", place{path: b.DefRange.Filename, line: b.DefRange.Start.Line})
		mp := mapper{gaps: &rt.b.gaps, decode: rt.b.userData}
		key := "aws"
		if alias := mp.str(p, "alias"); alias != "" {
			key = "aws." + alias
			p.name = "provider aws." + alias
		}
		cfg := out["aws"]
		if r, ok := mp.strOK(p, "region"); ok && r != "" {
			cfg.region = r
			sawRegion = true
		} else if _, _, set := p.get("region"); set {
			sawRegion = true // unresolved: the mapper recorded why
		}
		if ids := mp.strs(p, "allowed_account_ids"); len(ids) > 0 {
			cfg.account = ids[0]
		}
		for _, ar := range p.subs("assume_role") {
			if arn := mp.str(ar, "role_arn"); arn != "" {
				if acct := arnAccount(arn); acct != "" {
					cfg.account = acct
				}
			}
		}
		out[key] = cfg
	}
	if m.parent == nil && !sawRegion && rt.opts.DefaultRegion == "" {
		rt.b.gaps = append(rt.b.gaps, inventory.CoverageGap{Path: m.def.dir, Kind: inventory.GapUnresolved,
			Message: "no aws provider in " + m.def.dir + " sets a region; resources are recorded in region unknown"})
	}
	return out
}

// traversalName is "aws" or "aws.west" for a provider reference.
func traversalName(expr hcl.Expression) string {
	t, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		return hcl.ExprAsKeyword(expr)
	}
	parts := []string{t.RootName()}
	for _, s := range t[1:] {
		if a, ok := s.(hcl.TraverseAttr); ok {
			parts = append(parts, a.Name)
		}
	}
	return strings.Join(parts, ".")
}

// arnAccount is the account id field of an ARN, or "".
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[4]
}

// providerFor is the provider a resource uses: its provider argument, else the default.
func (r *tfResource) providerFor() providerConfig {
	if a := r.def.provider; a != nil {
		if cfg, ok := r.mod.providers[traversalName(a.Expr)]; ok {
			return cfg
		}
	}
	return r.mod.providers["aws"]
}

// Package iac reads Terraform and CloudFormation code as a source of AWS facts, for when
// the account itself cannot be reached but the client's infrastructure-as-code describes
// its Auto Scaling groups, launch templates and load balancers.
//
// It evaluates what real code uses — variables with defaults and tfvars, locals, references
// between resources, local modules, templatefile(), CloudFormation parameters and intrinsic
// functions — and records everything it cannot know as a coverage gap of kind "unresolved"
// rather than a zero. Resources have no ARNs before they exist, so each gets an evidence
// identifier naming where it is defined ("iac:envs/prod/main.tf:12:aws_lb_target_group.web"),
// and every reference to it resolves to the same string, so groups join their target
// groups and launch templates as they would in AWS.
//
// A resource with count or for_each is one resource per instance when the number (at most
// 50) or every key is known, identified as ADDR[0] or ADDR["key"]; otherwise it is read as
// one, with a gap. A module call with count or for_each is expanded the same way: one
// module instance per index or key (module.web["a"].aws_autoscaling_group.this), whose
// arguments see count.index or each; a gap every instance shares is recorded once, "(for
// each of N instances)". An argument that cannot be known is unknown on its own: the rest of the
// resource stays known to whatever refers to it.
//
// Terragrunt (terragrunt.go): a terragrunt.hcl whose terraform source is a folder in the
// tree is read as a root module with its inputs as variables; the module is then read only
// through its units. A source that is not local is a gap at its line.
//
// Nested CloudFormation stacks (cloudformation.go): a template an AWS::CloudFormation::Stack
// names by its TemplateURL is read once per parent reference, with the parent's Parameters;
// it is not also read alone.
package iac

import (
	"context"

	"whyk8s/internal/limits"
	"whyk8s/inventory"
)

// Options says what to assume where the code does not say.
type Options struct {
	// DefaultRegion and DefaultAccount are used when no provider configuration gives them;
	// without them the estate records "unknown".
	DefaultRegion, DefaultAccount string
	// Workspace is terraform.workspace; without it, terraform.workspace is unknown: the
	// workspace is chosen when Terraform runs.
	Workspace string
	// UserData decodes user data bytes into redacted text (gzip and UTF-16 undone, secrets
	// replaced by markers), or says why they are not text. The gather pipeline gives every
	// source the same decoder. Without one, user data is dropped: it may hold secrets.
	UserData func(raw []byte) (string, error)
	// Bounds are what each evaluation may spend (a root module, the Terragrunt files, a
	// CloudFormation stack); zero fields take limits.DefaultBounds.
	Bounds limits.Bounds
}

// Read reads every Terraform and CloudFormation definition under the roots.
//
// Files that cannot be read or parsed, values that cannot be resolved and modules that are
// not local become coverage gaps; the rest is still read. The result is sorted, and user
// data in it went through opts.UserData.
func Read(ctx context.Context, roots []string, opts Options) (*inventory.Estate, error) {
	est := newEstate()
	b := &builder{userData: opts.UserData}
	tr := newTree(roots)
	files, err := walk(ctx, tr, &b.gaps)
	if err != nil {
		return nil, err
	}
	if err := readTerraform(ctx, files, tr, opts, b); err != nil {
		return nil, err
	}
	if err := readCloudFormation(ctx, files, opts, b); err != nil {
		return nil, err
	}
	b.estate(est)
	if est.Accounts == nil {
		est.Accounts = []inventory.Account{}
	}
	est.Sort()
	return est, nil
}

func newEstate() *inventory.Estate {
	return &inventory.Estate{SchemaVersion: inventory.SchemaVersion, Source: inventory.SourceIaC}
}

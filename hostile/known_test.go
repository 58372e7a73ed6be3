//go:build linux

package hostile_test

// Why a case fails today: the part of issue 12 whose work will fix it.
const (
	depthGuard   = "parser depth guard (issue 12, later round)"
	aliasBudget  = "YAML alias expansion budget (issue 12, later round)"
	evalBudget   = "evaluation budget: locals, Fn::Sub, module recursion (issue 12, later round)"
	includeCycle = "Terragrunt include cycle guard (issue 12, later round)"
	walkPlain    = "walks report pipes, devices and sockets with a gap (issue 12, later round)"
	walkLinks    = "iac walk refuses links out of the folder with a gap (issue 12, later round)"
	fileFunc     = "file()/templatefile() open only regular files inside the root (issue 12, later round)"
	iacText      = "iac reader decodes or reports binary, NUL, Latin-1 and UTF-16 files (issue 12, iac reader)"
	iacSecrets   = "iac sources redacted before evaluation (the redactor knows NoEcho and secret-named parameter and variable defaults): the gather pipeline (issues 11 and 12)"
)

// knownFailures are the cases the current code fails, each with the work that will fix it.
// The test reports them with t.Log instead of failing; a listed case that passes fails the
// test, so that its line is deleted here when its fix lands. This list only ever shrinks.
var knownFailures = map[string]string{
	// Scripts: nesting and aliases in the parsers.
	"scan/deep-shell-subst-200k":                  depthGuard,
	"assess-scripts/deep-shell-subst-200k":        depthGuard,
	"scan/deep-shell-groups-200k":                 depthGuard,
	"assess-scripts/deep-shell-groups-200k":       depthGuard,
	"scan/deep-shell-arith-100k":                  depthGuard,
	"assess-scripts/deep-shell-arith-100k":        depthGuard,
	"scan/deep-packer-hcl-brackets-70k":           depthGuard,
	"assess-scripts/deep-packer-hcl-brackets-70k": depthGuard,
	"scan/deep-packer-hcl-objects-50k":            depthGuard,
	"assess-scripts/deep-packer-hcl-objects-50k":  depthGuard,
	"scan/deep-packer-hcl-parens-70k":             depthGuard,
	"assess-scripts/deep-packer-hcl-parens-70k":   depthGuard,
	"scan/alias-bomb-ansible-blocks":              aliasBudget,
	"assess-scripts/alias-bomb-ansible-blocks":    aliasBudget,

	// Scripts: files that are not regular files are skipped without a word.
	"scan/fifo-script":                   walkPlain,
	"assess-scripts/fifo-script":         walkPlain,
	"scan/fifo-role-tasks":               walkPlain,
	"assess-scripts/fifo-role-tasks":     walkPlain,
	"scan/socket-script":                 walkPlain,
	"assess-scripts/socket-script":       walkPlain,
	"scan/link-to-fifo-inside":           walkPlain,
	"assess-scripts/link-to-fifo-inside": walkPlain,

	// Terraform and CloudFormation: nesting, expansion, recursion.
	"assess-iac/deep-tf-brackets-70k":          depthGuard,
	"inventory-iac/deep-tf-brackets-70k":       depthGuard,
	"assess-iac/deep-tf-objects-50k":           depthGuard,
	"inventory-iac/deep-tf-objects-50k":        depthGuard,
	"assess-iac/deep-tf-parens-70k":            depthGuard,
	"inventory-iac/deep-tf-parens-70k":         depthGuard,
	"assess-iac/deep-tf-json-100k":             depthGuard,
	"inventory-iac/deep-tf-json-100k":          depthGuard,
	"assess-iac/deep-tfvars-70k":               depthGuard,
	"inventory-iac/deep-tfvars-70k":            depthGuard,
	"assess-iac/locals-doubling":               evalBudget,
	"inventory-iac/locals-doubling":            evalBudget,
	"assess-iac/fn-sub-over-huge-parameter":    evalBudget,
	"inventory-iac/fn-sub-over-huge-parameter": evalBudget,
	"assess-iac/module-calls-itself":           evalBudget,
	"inventory-iac/module-calls-itself":        evalBudget,
	"assess-iac/terragrunt-include-cycle":      includeCycle,
	"inventory-iac/terragrunt-include-cycle":   includeCycle,
	"assess-iac/terragrunt-includes-itself":    includeCycle,
	"inventory-iac/terragrunt-includes-itself": includeCycle,

	// Terraform and CloudFormation: what the walk and file() open.
	"assess-iac/fifo-tf":                           walkPlain,
	"inventory-iac/fifo-tf":                        walkPlain,
	"assess-iac/fifo-cfn":                          walkPlain,
	"inventory-iac/fifo-cfn":                       walkPlain,
	"assess-iac/socket-tf":                         walkPlain,
	"inventory-iac/socket-tf":                      walkPlain,
	"assess-iac/link-tf-dev-zero":                  walkPlain,
	"inventory-iac/link-tf-dev-zero":               walkPlain,
	"assess-iac/link-tf-outside":                   walkLinks,
	"inventory-iac/link-tf-outside":                walkLinks,
	"assess-iac/link-cfn-outside":                  walkLinks,
	"inventory-iac/link-cfn-outside":               walkLinks,
	"assess-iac/link-dir-outside-iac":              walkLinks,
	"inventory-iac/link-dir-outside-iac":           walkLinks,
	"assess-iac/file-fifo":                         fileFunc,
	"inventory-iac/file-fifo":                      fileFunc,
	"assess-iac/file-dev-zero":                     fileFunc,
	"inventory-iac/file-dev-zero":                  fileFunc,
	"inventory-iac/file-link-outside":              fileFunc,
	"inventory-iac/templatefile-link-outside":      fileFunc,
	"assess-iac/binary-tf":                         iacText,
	"inventory-iac/binary-tf":                      iacText,
	"assess-iac/nul-in-tf":                         iacText,
	"inventory-iac/nul-in-tf":                      iacText,
	"assess-iac/latin1-tf-comment":                 iacText,
	"inventory-iac/latin1-tf-comment":              iacText,
	"assess-iac/latin1-tf-string":                  iacText,
	"inventory-iac/latin1-tf-string":               iacText,
	"assess-iac/utf16le-tf":                        iacText,
	"inventory-iac/utf16le-tf":                     iacText,
	"assess-iac/utf16be-tf":                        iacText,
	"inventory-iac/utf16be-tf":                     iacText,
	"inventory-iac/cfn-parameter-default-into-tag": iacSecrets,
	"inventory-iac/tf-variable-default-into-tag":   iacSecrets,

	// The secret canary matrix (canary_test.go): a form that reaches some output.
	"canary/cfn-parameter-default-into-tag": iacSecrets,
	"canary/tf-variable-default-into-tag":   iacSecrets,
}

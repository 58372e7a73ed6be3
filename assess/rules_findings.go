package assess

import (
	"sort"
	"strings"

	"whyk8s/inventory"
)

// Finding severities, most urgent first.
const (
	SeverityCritical = "critical"
	SeverityHigh     = "high"
	SeverityMedium   = "medium"
	SeverityLow      = "low"
)

var severityOrder = []string{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow}

// The finding rules' ids, for code elsewhere that names one of these rules.
const (
	RuleFindSecret              = "FIND-SECRET"
	RuleFindS3FS                = "FIND-S3FS"
	RuleFindIMDSv1              = "FIND-IMDSV1"
	RuleFindLaunchConfiguration = "FIND-LAUNCH-CONFIGURATION"
	RuleFindSingleAZ            = "FIND-SINGLE-AZ"
)

func registerFindingRules(c *Catalogue) {
	c.Register(Rule{
		ID: RuleFindSecret, Title: "Secret in plain text", Direction: DirFinding, Severity: SeverityCritical,
		Facts:       []inventory.FactKind{inventory.FactSecret},
		Rationale:   "Anyone who can read the script, the image or the instance's user data can read the secret, and it has to be assumed copied. Whatever the platform decision, it needs rotating now. Only its kind and place are reported, never its value.",
		Remediation: "Rotate the secret, move it to Secrets Manager or Parameter Store, read it at start, and purge it from the repository history and from launch template versions.",
		// A secret substituted into rendered user data is one finding, where its value is
		// written; the workloads it reaches are judged by it all the same.
		selects: func(f *inventory.Fact, _ stage) bool { return f.Via != inventory.ViaSubstituted },
	})
	c.Register(Rule{
		ID: RuleFindS3FS, Title: "S3 bucket mounted with a FUSE filesystem", Direction: DirFinding, Severity: SeverityHigh,
		Facts:       []inventory.FactKind{inventory.FactS3Mount},
		Rationale:   "An object store mounted as a disk fails in ways operations cannot support: no locking, partial writes, stalls under load. It is a red flag in production whatever the platform.",
		Remediation: "Change the application to use the S3 API, then remove the mount.",
		find:        findFactsPerFile,
	})
	c.Register(Rule{
		ID: RuleFindIMDSv1, Title: "Instance metadata reachable without a session token (IMDSv1)", Direction: DirFinding, Severity: SeverityMedium,
		Rationale:   "With IMDSv1 a server-side request forgery in the application can read the instance role's credentials. Requiring tokens (IMDSv2) closes that path.",
		Remediation: "Set HttpTokens to required in the launch template after checking that the SDKs in use support IMDSv2.",
		resources:   resourceReader{group: metadataWithoutToken},
	})
	c.Register(Rule{
		ID: RuleFindLaunchConfiguration, Title: "Launch configuration (deprecated by AWS)", Direction: DirFinding, Severity: SeverityLow,
		Rationale:   "AWS no longer adds new instance types to launch configurations and new accounts cannot create them; the group will need a launch template whatever the platform decision.",
		Remediation: "Copy the launch configuration to a launch template and point the group at it.",
		resources:   resourceReader{group: launchConfigurationUsed},
	})
	c.Register(Rule{
		ID: RuleFindSingleAZ, Title: "Production group in a single Availability Zone", Direction: DirFinding, Severity: SeverityMedium,
		Rationale:   "A production group confined to one zone goes down with that zone, however many instances it runs.",
		Remediation: "Add subnets in at least two more zones to the group.",
		find:        findSingleAZ,
	})
}

// estateView is what finding rules look at: every workload's subject and every script,
// linked or not (a secret in an unlinked script is still a secret).
type estateView struct {
	subjects []*subject
	envs     map[string]string // workload id → normalised environment
	scripts  []inventory.Script
	// stages says when each script runs (scriptStages), set by runFindings.
	stages stages
}

// findSelected raises one finding per fact the rule selects in any script, and per construct
// it reads in a workload's resources.
func findSelected(r *Rule, v *estateView) []Finding {
	var out []Finding
	for i := range v.scripts {
		sc := &v.scripts[i]
		for j := range sc.Facts {
			if r.selectsFact(&sc.Facts[j], v.stages.of(sc, &sc.Facts[j], v.stages.script[sc.Path])) {
				f := sc.Placed(sc.Facts[j])
				out = append(out, Finding{Detail: f.Detail(), Workloads: linkedWorkloads(sc), Evidence: f.Evidence.Evidence()})
			}
		}
	}
	if !r.resources.any() {
		return out
	}
	for _, s := range v.subjects {
		// Facts were read above, from every script.
		in := s.see(&Rule{resources: r.resources})
		for _, c := range in.found {
			out = append(out, Finding{Detail: c.Detail, Workloads: []string{s.g.ID()}, Evidence: c.Evidence[0]})
		}
	}
	return out
}

// findFactsPerFile raises one finding per file, at its first fact: installing s3fs, writing
// its credentials and mounting the bucket are one problem to fix, not three.
func findFactsPerFile(r *Rule, v *estateView) []Finding {
	var out []Finding
	for i := range v.scripts {
		sc := &v.scripts[i]
		var fs []inventory.Fact
		for j := range sc.Facts {
			if r.selectsFact(&sc.Facts[j], v.stages.of(sc, &sc.Facts[j], v.stages.script[sc.Path])) {
				fs = append(fs, sc.Placed(sc.Facts[j]))
			}
		}
		if len(fs) == 0 {
			continue
		}
		sort.SliceStable(fs, func(a, b int) bool { return inventory.CompareFacts(&fs[a], &fs[b]) < 0 })
		out = append(out, Finding{Detail: factDetails(fs), Workloads: linkedWorkloads(sc), Evidence: fs[0].Evidence.Evidence()})
	}
	return out
}

func linkedWorkloads(sc *inventory.Script) []string {
	var ws []string
	for _, l := range sc.Links {
		// A file only cited for another script's facts does not give its own to a workload.
		if l.Reason != inventory.LinkEvidence {
			ws = append(ws, l.Workload)
		}
	}
	return ws
}

// metadataWithoutToken reads launch data that lets instance metadata be read without a
// session token.
func metadataWithoutToken(s *subject) []construct {
	if !strings.EqualFold(s.g.Launch.MetadataHTTPTokens, "optional") {
		return nil
	}
	return []construct{{Kind: "metadata-options", Title: "Instance metadata reachable without a session token (IMDSv1)", Detail: "HttpTokens is optional",
		Evidence: []inventory.Evidence{s.launchEv("MetadataOptions.HttpTokens", "MetadataOptions.HttpTokens", s.g.Launch.MetadataHTTPTokens)}}}
}

func findSingleAZ(_ *Rule, v *estateView) []Finding {
	var out []Finding
	for _, s := range v.subjects {
		if !isProductionLike(v.envs[s.g.ID()]) || s.g.MaxSize == 0 || !s.g.Known("MaxSize") {
			continue
		}
		var ev inventory.Evidence
		switch {
		case len(s.g.AvailabilityZones) == 1:
			ev = s.groupEv("AvailabilityZones", s.g.AvailabilityZones[0])
		case len(s.g.AvailabilityZones) == 0 && len(s.g.Subnets) == 1:
			ev = s.groupEv("VPCZoneIdentifier", s.g.Subnets[0])
		default:
			continue
		}
		out = append(out, Finding{Detail: "one zone", Workloads: []string{s.g.ID()}, Evidence: ev})
	}
	return out
}

// runFindings runs every finding rule and merges findings that share rule, place and detail.
func runFindings(c *Catalogue, v *estateView) []Finding {
	type key struct{ rule, place, detail string }
	merged := map[key]*Finding{}
	var keys []key
	if v.stages.script == nil {
		v.stages = scriptStages(v.scripts)
	}
	for _, r := range c.Rules() {
		if r.Direction != DirFinding {
			continue
		}
		find := r.find
		if find == nil {
			find = findSelected
		}
		for _, f := range find(&r, v) {
			f.Rule, f.Title, f.Severity = r.ID, r.Title, r.Severity
			k := key{r.ID, f.Evidence.String(), f.Detail}
			if m, ok := merged[k]; ok {
				m.Workloads = append(m.Workloads, f.Workloads...)
				continue
			}
			ff := f
			merged[k] = &ff
			keys = append(keys, k)
		}
	}
	out := make([]Finding, 0, len(keys))
	for _, k := range keys {
		f := merged[k]
		f.Workloads = sortedUnique(f.Workloads)
		out = append(out, *f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := severityRank(a.Severity), severityRank(b.Severity); ra != rb {
			return ra < rb
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if c := inventory.CompareEvidence(a.Evidence, b.Evidence); c != 0 {
			return c < 0
		}
		return a.Detail < b.Detail
	})
	return out
}

func severityRank(s string) int {
	for i, x := range severityOrder {
		if x == s {
			return i
		}
	}
	return len(severityOrder)
}

func sortedUnique(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := append([]string(nil), ss...)
	sort.Strings(out)
	w := 0
	for i, s := range out {
		if i == 0 || s != out[w-1] {
			out[w] = s
			w++
		}
	}
	return out[:w]
}

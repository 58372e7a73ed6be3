package assess

import (
	"slices"
	"sort"
	"strings"
	"time"

	"whyk8s/inventory"
)

// Meta is what an assessment needs from its caller besides the estate: the clock and the
// version, so that the same input always gives the same output.
type Meta struct {
	Now         time.Time
	ToolVersion string
	// RunAt is the time of the run, which waivers' expiry dates are judged against; zero
	// means Now. Now is when the facts were collected, which for a snapshot may be months
	// before the run that reads it.
	RunAt time.Time
}

// Assess judges an estate: container fit per workload, findings, organisational readiness
// (when answers are given; answers may be nil), migration waves and the verdict. It reads
// no file and calls no service; the estate is not modified. The only error is an invalid
// configuration, which names the key at fault.
func Assess(e *inventory.Estate, answers *Answers, cfg Config, meta Meta) (*Assessment, error) {
	c := NewCatalogue()
	st, err := c.resolve(cfg)
	if err != nil {
		return nil, err
	}
	if e == nil {
		e = &inventory.Estate{}
	}
	ix := indexEstate(e)
	rules := c.fitRules()
	clues := roleClues()

	// Groups are visited in workload-id order whatever order the estate holds them in.
	groups := make([]*inventory.AutoScalingGroup, len(e.Groups))
	for i := range e.Groups {
		groups[i] = &e.Groups[i]
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].ID() < groups[j].ID() })
	// Without a single group, the code is all there is: each image build, playbook and
	// boot script becomes a provisional workload.
	var subjects []*subject
	var fromCode map[string]bool
	targets := groups
	if len(groups) == 0 {
		subjects, fromCode = provisionalSubjects(e, ix, meta.Now)
		for _, s := range subjects {
			targets = append(targets, s.g)
		}
	} else {
		for _, g := range groups {
			subjects = append(subjects, ix.subject(g, meta.Now))
		}
	}
	runAt := meta.RunAt
	if runAt.IsZero() {
		runAt = meta.Now
	}
	if st.waivers, err = resolveWaivers(c, cfg.Waivers, targets, runAt); err != nil {
		return nil, err
	}

	envs := make(map[string]string, len(subjects))
	ws := make([]Workload, len(subjects))
	for i, s := range subjects {
		g := s.g
		env, envEv := environmentOf(g, st.envTags)
		envs[g.ID()] = env
		ws[i] = evaluate(rules, clues, s, env, envEv, st)
		ws[i].Wave = waveOf(&ws[i])
		role := ""
		if decisiveRole(ws[i].Role) {
			role = ws[i].Role.Name
		}
		ws[i].Crosswalk = CrosswalkOf(ws[i].Fit.Category, ws[i].Recommendation.Kind, role)
	}

	scripts := append([]inventory.Script(nil), e.Scripts...)
	sort.SliceStable(scripts, func(i, j int) bool { return scripts[i].Path < scripts[j].Path })
	findings, waivedFindings := st.waivers.splitFindings(runFindings(c, &estateView{subjects: subjects, envs: envs, scripts: scripts}))

	accounts := scopeAccounts(e)
	readiness := assessReadiness(answers, readinessHints(subjects, ws, accounts), st)
	readiness.KeyFactors = keyFactors(readiness)
	summary := summarise(ws, subjects, e)

	a := &Assessment{
		SchemaVersion: SchemaVersion,
		GeneratedAt:   meta.Now.UTC(),
		ToolVersion:   meta.ToolVersion,
		Client:        e.Client,
		Scope: Scope{
			Source: e.Source, Accounts: accounts, Regions: scopeRegions(e),
			ScriptRoots: append([]string{}, e.ScriptRoots...), Scripts: len(e.Scripts),
			NotRead: notRead(e.Source),
		},
		Readiness:       readiness,
		Summary:         summary,
		Workloads:       ws,
		Waves:           planWaves(ws),
		OutsideWaves:    outsideWaves(ws),
		Findings:        findings,
		WaivedFindings:  waivedFindings,
		Waivers:         st.waivers.statuses(),
		Coverage:        sortedCoverage(e.Coverage),
		UnlinkedScripts: unlinked(scripts, fromCode),
		Inventory:       inventoryTables(e, ix, groups),
		Methodology:     methodology(c, st),
	}
	a.Methodology.Crosswalk = Crosswalks()
	a.Methodology.Method = append(a.Methodology.Method, waiverMethod(st.waivers, runAt)...)
	if a.Client == "" && answers != nil {
		a.Client = answers.Client
	}
	a.Verdict = verdictOf(verdictInputOf(a, subjects, answers))
	return a, nil
}

// verdictInputOf counts what the verdict weighs.
func verdictInputOf(a *Assessment, subjects []*subject, answers *Answers) verdictInput {
	in := verdictInput{FromCode: a.Scope.Source == inventory.SourceIaC, CodeOnly: a.Scope.Source == inventory.SourceCode, TopBlockers: a.Summary.TopBlockers, Readiness: a.Readiness}
	for i, w := range a.Workloads {
		// The verdict weighs migration candidates only: a data store moving to a managed
		// service or a bastion replaced by Session Manager says nothing about the fit.
		if !migrationCandidate(w.Recommendation.Kind) {
			in.NotCandidates++
			continue
		}
		in.Workloads++
		batch := subjects[i].isBatchML() || batchRole(w.Role)
		good := goodFit(w.Fit.Category)
		switch {
		case w.Recommendation.Kind == RecommendInsufficient:
			in.Insufficient++
			continue
		case w.Recommendation.Kind == RecommendKeep:
			in.Keep++
		case good:
			in.Good++
		default:
			in.NeedsWork++
		}
		if w.Wave == WaveNonProdGood {
			in.NonProdGood++
		}
		if isNonProduction(w.Environment) {
			in.NonProd++
		}
		if w.Environment == EnvUnknown {
			in.EnvUnknown++
		}
		if batch && w.Recommendation.Kind != RecommendKeep {
			in.BatchML++
		}
		if !batch {
			in.NonBatchJudged++
			if good && w.Recommendation.Kind != RecommendKeep {
				in.NonBatchGood++
			}
		}
	}
	if a.Readiness.Assessed {
		level := func(id string) *int {
			if x, ok := answers.Get(id); ok {
				return x.Level
			}
			return nil
		}
		in.LeadTime, in.StatusQuo, in.WorkloadMix = level(FactorLeadTime), level(FactorStatusQuo), level(FactorWorkloads)
	}
	kinds := map[string]bool{}
	for _, f := range a.Findings {
		switch f.Severity {
		case SeverityCritical:
			in.Critical++
			kinds[strings.ToLower(f.Title)] = true
		case SeverityHigh:
			in.High++
		}
	}
	var ks []string
	for k := range kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	in.CriticalKinds = strings.Join(ks, ", ")
	return in
}

func scopeAccounts(e *inventory.Estate) []string {
	var out []string
	for _, a := range e.Accounts {
		out = append(out, a.ID)
	}
	for _, g := range e.Groups {
		out = append(out, g.Account)
	}
	if out = sortedUnique(out); out == nil {
		return []string{}
	}
	return out
}

func scopeRegions(e *inventory.Estate) []string {
	var out []string
	for _, a := range e.Accounts {
		out = append(out, a.Regions...)
	}
	for _, g := range e.Groups {
		out = append(out, g.Region)
	}
	if out = sortedUnique(out); out == nil {
		return []string{}
	}
	return out
}

func sortedCoverage(gaps []inventory.CoverageGap) []inventory.CoverageGap {
	out := append([]inventory.CoverageGap{}, gaps...)
	slices.SortStableFunc(out, inventory.CompareGaps)
	return out
}

// unlinked lists the scripts no workload uses: linked to no group, and not part of a
// provisional workload (used).
func unlinked(scripts []inventory.Script, used map[string]bool) []string {
	out := []string{}
	for _, s := range scripts {
		if len(s.Links) == 0 && !used[s.Path] {
			out = append(out, s.Path)
		}
	}
	return out
}

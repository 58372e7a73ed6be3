package assess

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"whyk8s/inventory"
)

// genEstate builds a random workload from the rule-test vocabulary: every option of every
// row in ruleCases is a plausible trait of a real group, and combining a few at random
// gives workloads no hand-written test thought of. The seed fixes the sequence.
func genEstate(r *rand.Rand, name string) *inventory.Estate {
	n := r.Intn(8)
	var opts []opt
	for i := 0; i < n; i++ {
		tc := ruleCases[r.Intn(len(ruleCases))]
		opts = append(opts, tc.opts...)
	}
	return build(name, opts...)
}

func genChecks(r *rand.Rand, rules []Rule) []check {
	checks := make([]check, len(rules))
	states := []state{unknown, notApplicable, pass, fail}
	for i, ru := range rules {
		checks[i] = check{Rule: ru.ID, Dimension: ru.Dimension, State: states[r.Intn(len(states))], Cap: ru.Cap}
	}
	return checks
}

func TestPropertyScoreInRange(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	w := defaultWeights(t)
	rules := NewCatalogue().fitRules()
	for i := 0; i < 2000; i++ {
		b := scoreBreakdown(genChecks(r, rules), w)
		if b.Score < 0 || b.Score > 100 || b.Confidence < 0 || b.Confidence > 100 {
			t.Fatalf("score %.2f confidence %d out of 0–100", b.Score, b.Confidence)
		}
		neg := 0.0
		for _, p := range b.Points {
			if p < 0 {
				neg += p
			}
		}
		if known := b.Score > 0 || neg < 0; known && math.Abs(100+neg-b.Score) > 1e-6 {
			t.Fatalf("100 + points lost (%.4f) != score (%.4f)", 100+neg, b.Score)
		}
	}
	for i := 0; i < 300; i++ {
		a := mustAssess(t, genEstate(r, fmt.Sprintf("g%d", i)), nil, nil)
		f := a.Workloads[0].Fit
		if f.Score < 0 || f.Score > 100 || f.Confidence < 0 || f.Confidence > 100 {
			t.Fatalf("workload %d: score %d confidence %d out of range", i, f.Score, f.Confidence)
		}
	}
}

// harms are changes that can only make a workload worse: a harmful fact in its scripts, or a
// harmful setting in AWS.
var harms = []struct {
	name string
	opt  opt
}{
	{"database", userdata(fact(inventory.FactDatabase, "mysql"))},
	{"data volume", userdata(fact(inventory.FactDataVolume, "mkfs"))},
	{"nfs", userdata(fact(inventory.FactNFSMount, "nfs"))},
	{"s3fs", userdata(fact(inventory.FactS3Mount, "s3fs"))},
	{"windows", userdata(fact(inventory.FactWindows, "powershell"))},
	{"kernel module", userdata(kernelModule("br_netfilter"))},
	{"sysctl", userdata(sysctl("net.core.somaxconn"))},
	{"ip", userdata(fact(inventory.FactHardcodedIP, "10.1.2.3"))},
	{"secret", userdata(fact(inventory.FactSecret, "password"))},
	{"cron", userdata(fact(inventory.FactCron, "@daily"))},
	{"firewall", userdata(fact(inventory.FactFirewall, "ufw"))},
	{"users", userdata(fact(inventory.FactLocalUser, "ops"))},
	{"config mgmt", userdata(fact(inventory.FactConfigMgmt, "chef-client"))},
	{"boot work", userdata(fact(inventory.FactBootWork, "yum update"))},
	{"services", userdata(fact(inventory.FactService, "a"), fact(inventory.FactService, "b"), fact(inventory.FactService, "c"))},
	// Tenancy only gets worse: default → dedicated → host.
	{"dedicated", group(func(g *inventory.AutoScalingGroup) {
		if g.Launch.Tenancy != "host" {
			g.Launch.Tenancy = "dedicated"
		}
	})},
	{"host tenancy", tenancy("host")},
	{"ebs volume", blockDev(inventory.BlockDevice{DeviceName: "/dev/sdz", VolumeSize: 10})},
}

func TestPropertyHarmNeverRaisesScore(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	skipped := 0
	defer func() {
		if skipped > 30 {
			t.Errorf("%d of 300 cases compared nothing: the property is barely tested", skipped)
		}
	}()
	for i := 0; i < 300; i++ {
		seed := r.Int63()
		// Both estates start with a linked script, so that adding a fact to one changes
		// only what the fact says, not whether provisioning is visible at all.
		before := genEstate(rand.New(rand.NewSource(seed)), "g")
		scripts()(before)
		h := harms[r.Intn(len(harms))]
		after := genEstate(rand.New(rand.NewSource(seed)), "g")
		scripts()(after)
		h.opt(after)
		// A harm that shows what the host runs (services beside a CodeDeploy agent, which
		// alone leaves the application unread) turns unknowns into judgements: the two
		// scores weigh different evidence, and the property is about the same evidence.
		visibleBefore, _ := subjectOf(before).contentsVisible()
		visibleAfter, _ := subjectOf(after).contentsVisible()
		if visibleBefore != visibleAfter {
			skipped++
			continue
		}
		sb := mustAssess(t, before, nil, nil).Workloads[0].Fit.Score
		sa := mustAssess(t, after, nil, nil).Workloads[0].Fit.Score
		if sa > sb {
			t.Fatalf("case %d: adding %s raised the score from %d to %d", i, h.name, sb, sa)
		}
	}
}

// TestPropertyZeroWeightRemovesRule replaces one rule's check by a constant and shows that,
// at weight 0, whatever the rule concludes leaves the score alone — and that at its default
// weight a failure never scores above a pass.
func TestPropertyZeroWeightRemovesRule(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	rules := NewCatalogue().fitRules()
	for i := 0; i < 200; i++ {
		e := genEstate(r, "g")
		k := r.Intn(len(rules))
		with := func(st state, weight float64) (int, []Signal) {
			rs := append([]Rule(nil), rules...)
			rs[k].check = func(*subject, seen) result {
				return result{State: st, Evidence: []inventory.Evidence{{Field: "test"}}}
			}
			cfg := DefaultConfig()
			cfg.Weights[rs[k].ID] = weight
			s, err := NewCatalogue().resolve(cfg)
			if err != nil {
				t.Fatal(err)
			}
			w := evaluate(rs, nil, subjectOf(e), EnvUnknown, nil, s)
			return w.Fit.Score, w.Signals
		}
		id := rules[k].ID
		pZero, sigs := with(pass, 0)
		fZero, _ := with(fail, 0)
		uZero, _ := with(unknown, 0)
		if pZero != fZero || fZero != uZero {
			t.Fatalf("case %d: %s at weight 0 still moves the score: pass %d, fail %d, unknown %d", i, id, pZero, fZero, uZero)
		}
		for _, s := range sigs {
			if s.Rule == id {
				t.Fatalf("case %d: %s at weight 0 still shows as a signal", i, id)
			}
		}
		pDef, _ := with(pass, rules[k].Weight)
		fDef, _ := with(fail, rules[k].Weight)
		if fDef > pDef {
			t.Fatalf("case %d: %s failing scores %d, above passing %d", i, id, fDef, pDef)
		}
	}
}

func TestPropertyNoEvidenceIsInsufficient(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	w := defaultWeights(t)
	rules := NewCatalogue().fitRules()
	for i := 0; i < 500; i++ {
		checks := genChecks(r, rules)
		for j := range checks {
			if checks[j].State == pass || checks[j].State == fail {
				checks[j].State = unknown
			}
		}
		s, c := score(checks, w)
		if got := category(int(math.Round(s)), c, DefaultThresholds); got != CategoryInsufficient {
			t.Fatalf("all evidence removed: %q (score %.1f, confidence %d)", got, s, c)
		}
	}
	// The same at the estate level: strip everything a rule can read.
	for i := 0; i < 200; i++ {
		e := genEstate(r, "g")
		g := &e.Groups[0]
		*g = inventory.AutoScalingGroup{ARN: g.ARN, Name: g.Name, Account: g.Account, Region: g.Region, Tags: g.Tags}
		e.Images, e.Scripts, e.TargetGroups, e.ClassicLoadBalancers = nil, nil, nil, nil
		a := mustAssess(t, e, nil, nil)
		if got := a.Workloads[0].Fit.Category; got != CategoryInsufficient {
			t.Fatalf("case %d: stripped workload is %q (score %d, confidence %d), want Insufficient data",
				i, got, a.Workloads[0].Fit.Score, a.Workloads[0].Fit.Confidence)
		}
		if a.Workloads[0].Recommendation.Kind != RecommendInsufficient || a.Workloads[0].Wave != WaveMoreEvidence {
			t.Fatalf("case %d: stripped workload recommended %q in wave %d", i, a.Workloads[0].Recommendation.Kind, a.Workloads[0].Wave)
		}
	}
}

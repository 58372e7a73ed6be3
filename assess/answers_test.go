package assess

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"whyk8s/inventory"
)

// update rewrites the golden files in testdata from the current output: go test ./assess -update
var update = flag.Bool("update", false, "rewrite golden files in testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./assess -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the output (run go test ./assess -update and review the diff):\n%s", path, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line, which is usually all a reviewer needs.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(no line differs)"
}

func TestQuestionnaireTemplate(t *testing.T) {
	tpl := QuestionnaireTemplate()
	golden(t, "questionnaire.golden", tpl)

	a, err := ParseAnswers("org.yaml", tpl)
	if err != nil {
		t.Fatalf("the template does not read back: %v", err)
	}
	if len(a.Factors) != len(factors) {
		t.Fatalf("template holds %d factors, want %d", len(a.Factors), len(factors))
	}
	for _, f := range a.Factors {
		if f.Level != nil {
			t.Errorf("%s is answered in the blank template", f.ID)
		}
	}
	for _, f := range factors {
		for _, l := range f.Levels {
			// Long lines are wrapped; the first words of each level must be there.
			if first := strings.Join(strings.Fields(l)[:min(3, len(strings.Fields(l)))], " "); !strings.Contains(string(tpl), first) {
				t.Errorf("template lacks the meaning of a level of %s: %q", f.ID, l)
			}
		}
	}
	// A blank template means readiness was not assessed.
	r := mustAssess(t, build("web"), a, nil).Readiness
	if r.Assessed || r.Score != 0 || r.Level != "" {
		t.Errorf("blank template: readiness %+v, want not assessed", r)
	}
}

func TestParseAnswers(t *testing.T) {
	data := []byte(`client: Example Freight
factors:
  ORG-LEADTIME:
    answer: 1
    notes: >
      three weeks for a schema
  org-devops:          # ids are matched ignoring case
    answer: "3"
  ORG-CICD:
    answer: null
    notes: not discussed
  ORG-OPS:
  ORG-STATUSQUO:
    answer:
`)
	a, err := ParseAnswers("org.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if a.Client != "Example Freight" || a.Source != "org.yaml" {
		t.Errorf("client %q source %q", a.Client, a.Source)
	}
	want := map[string]*int{FactorLeadTime: ptr(1), FactorDevOps: ptr(3), FactorCICD: nil, FactorOps: nil, FactorStatusQuo: nil}
	if len(a.Factors) != len(want) {
		t.Fatalf("%d factors, want %d", len(a.Factors), len(want))
	}
	for id, lvl := range want {
		got, ok := a.Get(id)
		if !ok {
			t.Fatalf("%s missing", id)
		}
		if (got.Level == nil) != (lvl == nil) || (lvl != nil && *got.Level != *lvl) {
			t.Errorf("%s = %v, want %v", id, got.Level, lvl)
		}
	}
	if lt, _ := a.Get(FactorLeadTime); lt.Notes != "three weeks for a schema" || lt.Line != 3 {
		t.Errorf("ORG-LEADTIME notes %q line %d", lt.Notes, lt.Line)
	}
	// Questionnaire order, not file order.
	if a.Factors[0].ID != FactorLeadTime || a.Factors[len(a.Factors)-1].ID != FactorStatusQuo {
		t.Errorf("factors not in questionnaire order: %v", a.Factors)
	}
}

func TestParseAnswersErrors(t *testing.T) {
	cases := []struct {
		name, data string
		want       []string
	}{
		{"unknown id", "factors:\n  ORG-LEADTIM:\n    answer: 1\n", []string{"org.yaml:2: factor ORG-LEADTIM: unknown factor id"}},
		{"out of range", "factors:\n  ORG-LEADTIME:\n    answer: 7\n", []string{"org.yaml:3: factor ORG-LEADTIME: answer 7 is out of range"}},
		{"negative", "factors:\n  ORG-OPS:\n    answer: -1\n", []string{"org.yaml:3: factor ORG-OPS: answer -1 is out of range"}},
		{"not a number", "factors:\n  ORG-OPS:\n    answer: high\n", []string{"org.yaml:3: factor ORG-OPS: answer \"high\" is not a number"}},
		{"not whole", "factors:\n  ORG-OPS:\n    answer: 2.5\n", []string{"org.yaml:3: factor ORG-OPS: answer \"2.5\" is not a whole number"}},
		{"list answer", "factors:\n  ORG-OPS:\n    answer: [1, 2]\n", []string{"org.yaml:3: factor ORG-OPS: answer must be a number"}},
		{"misspelt key", "factors:\n  ORG-OPS:\n    anwser: 2\n", []string{"org.yaml:3: factor ORG-OPS: unknown key \"anwser\""}},
		{"twice", "factors:\n  ORG-OPS:\n    answer: 2\n  org-ops:\n    answer: 3\n", []string{"org.yaml:4: factor ORG-OPS: answered twice (first at line 2)"}},
		{"bare level", "factors:\n  ORG-OPS: 2\n", []string{"org.yaml:2: factor ORG-OPS: expected \"answer:\" and \"notes:\""}},
		{"factors a list", "factors:\n  - ORG-OPS\n", []string{"org.yaml:2: \"factors\" must be a mapping"}},
		{"no factors", "client: X\n", []string{"org.yaml:1: missing \"factors:\" mapping"}},
		{"empty factors", "factors:\n", []string{"\"factors:\" is empty"}},
		{"unknown top key", "clients: X\nfactors:\n  ORG-OPS:\n    answer: 2\n", []string{"org.yaml:1: unknown key \"clients\""}},
		{"broken yaml", "factors:\n  ORG-OPS:\n    answer: [1\n", []string{"org.yaml:", "not valid YAML"}},
		{"empty file", "", []string{"org.yaml: the file is empty"}},
		{"several at once", "factors:\n  ORG-OPS:\n    answer: 9\n  ORG-NOPE:\n    answer: 1\n", []string{"answer 9 is out of range", "ORG-NOPE: unknown factor id"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAnswers("org.yaml", []byte(tc.data))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrBadAnswers) {
				t.Errorf("error does not wrap ErrBadAnswers: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func answersOf(t *testing.T, levels map[string]int) *Answers {
	t.Helper()
	var b strings.Builder
	b.WriteString("factors:\n")
	for _, f := range factors {
		if v, ok := levels[f.ID]; ok {
			b.WriteString("  " + f.ID + ":\n    answer: " + strconv.Itoa(v) + "\n")
		}
	}
	a, err := ParseAnswers("org.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestReadiness(t *testing.T) {
	all := func(v int) map[string]int {
		m := map[string]int{}
		for _, f := range factors {
			m[f.ID] = v
		}
		return m
	}
	t.Run("not assessed without answers", func(t *testing.T) {
		a := mustAssess(t, build("web"), nil, nil)
		if a.Readiness.Assessed || a.Readiness.Score != 0 || a.Readiness.Level != "" {
			t.Fatalf("readiness invented: %+v", a.Readiness)
		}
		if !strings.Contains(strings.Join(a.Verdict.Rationale, " "), "readiness was not assessed") {
			t.Errorf("verdict does not say readiness was not assessed: %v", a.Verdict.Rationale)
		}
		if a.Verdict.Decision == DecisionAdoptNow {
			t.Error("adopt now without readiness")
		}
	})
	t.Run("all top answers", func(t *testing.T) {
		r := mustAssess(t, build("web"), answersOf(t, all(4)), nil).Readiness
		if !r.Assessed || r.Score != 100 || r.Level != ReadinessReady || r.Confidence != 100 {
			t.Fatalf("%+v", r)
		}
		// Lead time and status quo at 4 mean little to gain.
		if r.Benefit >= 50 {
			t.Errorf("benefit %d with short lead time and a healthy status quo", r.Benefit)
		}
	})
	t.Run("unanswered lowers confidence, not the score", func(t *testing.T) {
		m := all(4)
		delete(m, FactorDevOps)
		delete(m, FactorOps)
		r := mustAssess(t, build("web"), answersOf(t, m), nil).Readiness
		if r.Score != 100 || r.Confidence >= 100 || r.Confidence < 50 {
			t.Fatalf("score %d confidence %d, want 100 and lowered confidence", r.Score, r.Confidence)
		}
	})
	t.Run("too few answers", func(t *testing.T) {
		r := mustAssess(t, build("web"), answersOf(t, map[string]int{FactorLeadTime: 0, FactorCICD: 1}), nil).Readiness
		if r.Level != ReadinessInsufficient {
			t.Fatalf("level %q with one capability answer, want %q", r.Level, ReadinessInsufficient)
		}
	})
	t.Run("long lead time raises the benefit", func(t *testing.T) {
		long := mustAssess(t, build("web"), answersOf(t, map[string]int{FactorLeadTime: 0, FactorDevOps: 2}), nil).Readiness
		short := mustAssess(t, build("web"), answersOf(t, map[string]int{FactorLeadTime: 4, FactorDevOps: 2}), nil).Readiness
		if long.Benefit <= short.Benefit {
			t.Fatalf("benefit with a long lead time %d, short %d", long.Benefit, short.Benefit)
		}
	})
	t.Run("levels", func(t *testing.T) {
		for v, want := range map[int]string{0: ReadinessNotReady, 2: ReadinessPartly, 3: ReadinessReady} {
			if r := mustAssess(t, build("web"), answersOf(t, all(v)), nil).Readiness; r.Level != want {
				t.Errorf("all %d: %q, want %q", v, r.Level, want)
			}
		}
	})
}

func TestHintsAndContradictions(t *testing.T) {
	// Scripts linked and no observability agent in them: the hint is level 1.
	e := build("web", scripts())
	a := mustAssess(t, e, answersOf(t, map[string]int{FactorObservability: 4, FactorDevOps: 2}), nil)
	f := factorOf(a, FactorObservability)
	if f.HintLevel == nil || *f.HintLevel != 1 || f.Hint == "" {
		t.Fatalf("observability hint %v %q, want level 1", f.HintLevel, f.Hint)
	}
	if f.Contradiction == "" || !strings.Contains(f.Contradiction, "Answered 4") {
		t.Errorf("answer 4 against hint 1 is not flagged: %q", f.Contradiction)
	}
	a = mustAssess(t, e, answersOf(t, map[string]int{FactorObservability: 2, FactorDevOps: 2}), nil)
	if f := factorOf(a, FactorObservability); f.Contradiction != "" {
		t.Errorf("answer 2 against hint 1 flagged: %q", f.Contradiction)
	}
	// Prometheus node_exporter on the only workload: level 3.
	a = mustAssess(t, build("web", userdata(fact(inventory.FactObservability, "prometheus-node-exporter"))), nil, nil)
	if f := factorOf(a, FactorObservability); f.HintLevel == nil || *f.HintLevel != 3 {
		t.Errorf("node exporter hint %v, want 3", f.HintLevel)
	}
	// One GPU workload out of one: the workload mix hint is 4; hints exist without answers.
	a = mustAssess(t, build("gpu", group(func(g *inventory.AutoScalingGroup) { g.Launch.InstanceType = "p3.2xlarge" })), nil, nil)
	if f := factorOf(a, FactorWorkloads); f.HintLevel == nil || *f.HintLevel != 4 {
		t.Errorf("workload mix hint %v, want 4", f.HintLevel)
	}
	// No evidence, no hint: nothing about pipelines can be read from an estate.
	if f := factorOf(a, FactorCICD); f.HintLevel != nil {
		t.Errorf("ORG-CICD has a hint %q", f.Hint)
	}
}

func factorOf(a *Assessment, id string) Factor {
	for _, f := range a.Readiness.Factors {
		if f.ID == id {
			return f
		}
	}
	return Factor{}
}

func TestDisagree(t *testing.T) {
	cases := []struct {
		answer int
		h      hint
		want   bool
	}{
		{4, hint{level: 1}, true},
		{0, hint{level: 2}, true},
		{2, hint{level: 3}, false},
		// The estate's size shows a minimum of complexity, not a maximum.
		{3, hint{level: 1, floor: true}, false},
		{4, hint{level: 0, floor: true}, false},
		{1, hint{level: 3, floor: true}, true},
	}
	for _, tc := range cases {
		if got := disagree(tc.answer, tc.h); got != tc.want {
			t.Errorf("answer %d against %+v: %v, want %v", tc.answer, tc.h, got, tc.want)
		}
	}
}

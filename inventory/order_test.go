package inventory_test

import (
	"testing"

	"whyk8s/inventory"
)

// Evidence and facts sort by place with lines as numbers: line 9 before line 10.
func TestCompareEvidence(t *testing.T) {
	for _, tt := range []struct {
		name string
		a, b inventory.Evidence
	}{
		{"line 9 before line 10", inventory.Evidence{File: "a.sh", Line: 9}, inventory.Evidence{File: "a.sh", Line: 10}},
		{"file before line", inventory.Evidence{File: "a.sh", Line: 100}, inventory.Evidence{File: "b.sh", Line: 2}},
		{"no line before line 1", inventory.Evidence{File: "a.sh"}, inventory.Evidence{File: "a.sh", Line: 1}},
		{"ARN then field", inventory.Evidence{ARN: "arn:a", Field: "Z"}, inventory.Evidence{ARN: "arn:b", Field: "A"}},
		{"same place: excerpt decides", inventory.Evidence{File: "a.sh", Line: 3, Excerpt: "a"}, inventory.Evidence{File: "a.sh", Line: 3, Excerpt: "b"}},
	} {
		if inventory.CompareEvidence(tt.a, tt.b) >= 0 || inventory.CompareEvidence(tt.b, tt.a) <= 0 {
			t.Errorf("%s: %v should sort before %v", tt.name, tt.a, tt.b)
		}
	}
	fact := func(line int, kind inventory.FactKind, name string) inventory.Fact {
		return inventory.Fact{Kind: kind, Name: name, Evidence: inventory.FactEvidence{File: "a.sh", Line: line}}
	}
	for _, tt := range []struct {
		name string
		a, b inventory.Fact
	}{
		{"line 9 before line 10", fact(10, inventory.FactCron, "b"), fact(9, inventory.FactCron, "a")},
		{"place before kind", fact(9, inventory.FactService, "a"), fact(10, inventory.FactCron, "a")},
		{"kind before detail", fact(9, inventory.FactCron, "z"), fact(9, inventory.FactService, "a")},
		{"detail on one line", fact(9, inventory.FactPackage, "curl"), fact(9, inventory.FactPackage, "jq")},
	} {
		a, b := tt.a, tt.b
		if tt.name == "line 9 before line 10" {
			a, b = b, a
		}
		if inventory.CompareFacts(&a, &b) >= 0 || inventory.CompareFacts(&b, &a) <= 0 {
			t.Errorf("%s: %s should sort before %s", tt.name, a.Evidence.String()+" "+a.Detail(), b.Evidence.String()+" "+b.Detail())
		}
	}
	same := fact(9, inventory.FactPackage, "jq")
	other := same
	if inventory.CompareFacts(&same, &other) != 0 {
		t.Error("a fact does not compare equal to itself")
	}
	other.Via = "apt-get"
	if inventory.CompareFacts(&same, &other) == 0 {
		t.Error("facts that differ in a field compare equal: the order is not total")
	}
}

// The estate's coverage gaps sort by line as a number too.
func TestEstateSortGapsByLine(t *testing.T) {
	e := &inventory.Estate{Coverage: []inventory.CoverageGap{
		{Path: "a.yml", Line: 10, Kind: inventory.GapParse, Message: "x"},
		{Path: "a.yml", Line: 9, Kind: inventory.GapParse, Message: "x"},
		{Path: "a.yml", Line: 100, Kind: inventory.GapParse, Message: "x"},
	}}
	e.Sort()
	var lines []int
	for _, g := range e.Coverage {
		lines = append(lines, g.Line)
	}
	if lines[0] != 9 || lines[1] != 10 || lines[2] != 100 {
		t.Errorf("gaps in line order %v, want [9 10 100]", lines)
	}
}

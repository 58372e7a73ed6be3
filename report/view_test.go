package report

import (
	"testing"

	"whyk8s/assess"
	"whyk8s/inventory"
)

func TestScriptLinkRowsListEachScriptOnce(t *testing.T) {
	links := []assess.LinkedScript{
		{Path: "ansible/web.yml", Kind: "ansible-playbook", Reason: inventory.LinkNameMatch, Detail: "group web-asg ~ web", Confidence: "low"},
		{Path: "ansible/web.yml", Kind: "ansible-playbook", Reason: inventory.LinkUserDataNames, Detail: "line 12", Confidence: "high"},
		{Path: "userdata/web.sh", Kind: "shell", Reason: inventory.LinkSameText, Confidence: "high"},
	}
	got := scriptLinkRows(links)
	want := []scriptLinkRow{
		{Path: "ansible/web.yml", Kind: "ansible-playbook", Why: "named in its user data: line 12; also names match: group web-asg ~ web (low)", Confidence: "high"},
		{Path: "userdata/web.sh", Kind: "shell", Why: linkReasonText(inventory.LinkSameText), Confidence: "high"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestSignalEvidenceCountsSearchedScripts(t *testing.T) {
	files := func(n int) []inventory.Evidence {
		var ev []inventory.Evidence
		for i := 0; i < n; i++ {
			ev = append(ev, inventory.Evidence{File: "ansible/roles/r" + string(rune('a'+i)) + "/tasks/main.yml"})
		}
		return ev
	}
	tests := []struct {
		name string
		ev   []inventory.Evidence
		want string
	}{
		{"many searched files are counted", files(15), "the 15 linked scripts"},
		{"a few are listed", files(2), "ansible/roles/ra/tasks/main.yml\nansible/roles/rb/tasks/main.yml"},
		{"evidence with lines is always listed", append(files(4), inventory.Evidence{File: "userdata/web.sh", Line: 12}), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := signalEvidenceLines(tt.ev)
			if tt.want == "" {
				if got != evidenceLines(tt.ev) {
					t.Errorf("got %q, want the full list", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

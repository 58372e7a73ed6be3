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

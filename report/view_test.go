package report

import (
	"testing"

	"whyk8s/inventory"
)

// TestLinkReasonText: every reason a script is linked for is said in words in the reports,
// never as the bare reason ("same-text: same text as …" was printed for three demo scripts).
func TestLinkReasonText(t *testing.T) {
	for _, r := range []string{
		inventory.LinkUserData, inventory.LinkSameText, inventory.LinkManifestAMI, inventory.LinkAMIName,
		inventory.LinkUserDataNames, inventory.LinkReference, inventory.LinkTag, inventory.LinkNameMatch,
		inventory.LinkImageBuilder, inventory.LinkCodeDeploy, inventory.LinkSSM, inventory.LinkEvidence,
	} {
		if got := linkReasonText(r); got == r || got == "" {
			t.Errorf("linkReasonText(%q) = %q, want words", r, got)
		}
	}
}

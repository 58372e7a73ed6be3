package scripts

import "testing"

// A YAML file is cloud-config when every top-level key is one, and one is cloud-config's
// own: a playbook or a Compose file with a runcmd: key is not.
func TestLooksCloudConfig(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"packages: [nginx]\nruncmd:\n  - echo hi\n", true},
		{"runcmd :\n  - echo hi", true},                    // spaces before the colon
		{"runcmd\t:\n  - echo hi", true},                   // a tab
		{"write_files:\n- path: /etc/x\nruncmd: []", true}, // the key is not indented
		{"packages: [nginx]\n", false},                     // no key only cloud-config has
		{"runcmd: []\nservices:\n  web: {}\n", false},      // a key cloud-config does not have
		{"runcmd: []\n  hosts: web\n", true},               // indented keys are not top-level
		{"runcmd: []\nhosts : web", false},                 // the last line has no newline
		{"runcmd: []\n-bad: x\n9lives: x\n", true},         // not a name: not a key
		{"runcmd: []\nmy-key2_x:\n", false},                // letters, digits, _ and - make a name
		{"# comment: x\nruncmd: []\n", true},
		{"runcmd", false},
		{"", false},
	} {
		if got := looksCloudConfig(tc.text); got != tc.want {
			t.Errorf("looksCloudConfig(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

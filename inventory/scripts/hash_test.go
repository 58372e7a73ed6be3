package scripts

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// joinedHash is contentHash written the plain way: normalise the lines, join, hash. The
// streaming version must give the same value, or links by same text and snapshots taken
// by earlier versions would stop matching.
func joinedHash(redacted string) string {
	lines := strings.Split(strings.ReplaceAll(redacted, "\r\n", "\n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " \t\r")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return ""
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:16])
}

func TestContentHash(t *testing.T) {
	for _, text := range []string{
		"", "\n", "\n\n \t\n", "#!/bin/bash\nyum install -y nginx\n", "#!/bin/bash\r\nyum install -y nginx\r\n\r\n",
		"\n\n#!/bin/sh\n\n\necho a   \n\t\n", "no newline at the end", "a\n\n\nb", "  indented\n\tand tabs\t\n",
		// Longer than the buffer the lines go through: a line across its end, a line longer
		// than it, blank lines across its end.
		strings.Repeat("echo hello world  \n", 1000), strings.Repeat("x", 3*hashBuf+7) + "\n\n" + strings.Repeat("\n", hashBuf) + "y",
	} {
		if got, want := contentHash(text), joinedHash(text); got != want {
			t.Errorf("contentHash(%q) = %q, want %q", text, got, want)
		}
	}
	if contentHash("echo a\n") != contentHash("echo a  \r\n\r\n") {
		t.Error("line endings and trailing blanks change the hash")
	}
	if contentHash("echo a\n") == contentHash("echo b\n") {
		t.Error("different scripts share a hash")
	}
}

func FuzzContentHash(f *testing.F) {
	f.Add("#!/bin/bash\r\nyum install -y nginx\r\n\r\n")
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := contentHash(text), joinedHash(text); got != want {
			t.Errorf("contentHash(%q) = %q, want %q", text, got, want)
		}
	})
}

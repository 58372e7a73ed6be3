package scripts

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// contentHash identifies a script's redacted text, to match a group's user data to the file
// in the repository it was copied from. Line endings, trailing blanks and trailing empty
// lines are normalised away: an editor or the console's text box changes those, not the
// script. Empty text has no hash (it would match every other empty text).
func contentHash(redacted string) string {
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

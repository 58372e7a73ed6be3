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
//
// The lines are hashed as they are cut, without building the normalised text: every file
// of a scan is hashed.
func contentHash(redacted string) string {
	h := sha256.New()
	pendingBlank := 0 // empty lines seen but not yet written: they count only before text
	wrote := false
	for len(redacted) > 0 {
		line := redacted
		if i := strings.IndexByte(redacted, '\n'); i >= 0 {
			line, redacted = redacted[:i], redacted[i+1:]
		} else {
			redacted = ""
		}
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			pendingBlank++
			continue
		}
		if wrote {
			h.Write([]byte{'\n'})
		}
		for ; pendingBlank > 0; pendingBlank-- {
			h.Write([]byte{'\n'}) // empty lines before text are part of it
		}
		h.Write([]byte(line))
		wrote = true
	}
	if !wrote {
		return ""
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])[:16])
}

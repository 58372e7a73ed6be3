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
// of a scan is hashed. They go to the hash through one buffer, a few kilobytes at a time:
// a hash.Hash takes bytes through an interface, so a line converted for each Write would
// be copied to the heap, line by line.
func contentHash(redacted string) string {
	h := sha256.New()
	buf := make([]byte, 0, hashBuf)
	write := func(s string) {
		for len(buf)+len(s) > cap(buf) {
			n := copy(buf[len(buf):cap(buf)], s)
			h.Write(buf[:cap(buf)])
			buf, s = buf[:0], s[n:]
		}
		buf = append(buf, s...)
	}
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
			write("\n")
		}
		for ; pendingBlank > 0; pendingBlank-- {
			write("\n") // empty lines before text are part of it
		}
		write(line)
		wrote = true
	}
	if !wrote {
		return ""
	}
	h.Write(buf)
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])[:16])
}

// hashBuf is the size of contentHash's buffer.
const hashBuf = 4 << 10

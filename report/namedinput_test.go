//go:build unix

package report_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"whyk8s/report"
)

// A logo or template that is a device, or a logo whose header declares billions of
// pixels, is refused as bad input before anything is read or decoded without end.
func TestHostileLogoAndTemplate(t *testing.T) {
	bomb := filepath.Join(t.TempDir(), "bomb.png")
	if err := os.WriteFile(bomb, pngDeclaring(100000, 100000), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		opts    report.Options
		wantErr string
	}{
		{"logo that is a device", report.Options{Logo: "/dev/zero"}, "not a regular file"},
		{"template that is a device", report.Options{Template: "/dev/zero"}, "not a regular file"},
		{"logo declaring ten billion pixels", report.Options{Logo: bomb}, "100000×100000 pixels, over the limit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Check()
			if err == nil || !errors.Is(err, report.ErrBadOption) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Check() = %v; want bad input saying %q", err, tt.wantErr)
			}
		})
	}
}

// pngDeclaring is a PNG signature and header for a width×height image, with no pixels.
func pngDeclaring(width, height uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], width)
	binary.BigEndian.PutUint32(ihdr[4:], height)
	ihdr[8], ihdr[9] = 8, 6
	chunk("IHDR", ihdr)
	chunk("IEND", nil)
	return b.Bytes()
}

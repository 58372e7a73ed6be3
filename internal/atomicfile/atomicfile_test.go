package atomicfile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"whyk8s/internal/atomicfile"
)

func TestWrite(t *testing.T) {
	boom := errors.New("disk full halfway")
	tests := []struct {
		name     string
		existing string // "" = no file before
		fill     func(io.Writer) error
		wantErr  bool
		want     string // the file's content afterwards; "" = no file
	}{
		{"new file", "", func(w io.Writer) error { _, err := io.WriteString(w, "complete"); return err }, false, "complete"},
		{"replaces a complete file", "old report", func(w io.Writer) error { _, err := io.WriteString(w, "new report"); return err }, false, "new report"},
		{"failure leaves no file", "", func(w io.Writer) error { io.WriteString(w, "half"); return boom }, true, ""},
		{"failure keeps the old file", "old report", func(w io.Writer) error { io.WriteString(w, "half"); return boom }, true, "old report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.md")
			if tt.existing != "" {
				os.WriteFile(path, []byte(tt.existing), 0o644)
			}
			err := atomicfile.Write(path, 0o644, tt.fill)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr && (!errors.Is(err, boom) || !strings.Contains(err.Error(), "report.md")) {
				t.Errorf("error %v does not wrap the cause and name the file", err)
			}
			got, readErr := os.ReadFile(path)
			switch {
			case tt.want == "" && readErr == nil:
				t.Errorf("a file was left: %q", got)
			case tt.want != "" && string(got) != tt.want:
				t.Errorf("content %q, want %q", got, tt.want)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "report.md" {
					t.Errorf("temporary file left behind: %s", e.Name())
				}
			}
			if tt.want != "" {
				if info, _ := os.Stat(path); info.Mode().Perm() != 0o644 {
					t.Errorf("mode %v, want 0644", info.Mode().Perm())
				}
			}
		})
	}
}

// A process ended at once mid-write leaves neither a temporary file nor a changed target.
func TestRemoveTemporariesMidWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.pdf")
	os.WriteFile(path, []byte("last month"), 0o644)
	writing, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- atomicfile.Write(path, 0o644, func(w io.Writer) error {
			io.WriteString(w, "half of this month")
			close(writing)
			<-release
			return errors.New("interrupted")
		})
	}()
	<-writing
	atomicfile.RemoveTemporaries()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "report.pdf" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("after RemoveTemporaries the folder holds %q; want only report.pdf", names)
	}
	if data, _ := os.ReadFile(path); string(data) != "last month" {
		t.Errorf("report.pdf = %q; want it untouched", data)
	}
	close(release)
	if err := <-done; err == nil {
		t.Errorf("the interrupted write reported success")
	}
}

// A process ended at once after staging a set of files leaves no staging folder behind.
func TestRemoveTemporariesStagedSet(t *testing.T) {
	dir := t.TempDir()
	s, err := atomicfile.NewSet(dir, []string{"report.md"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Discard()
	if err := s.Write("report.md", 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "staged"); return err }); err != nil {
		t.Fatal(err)
	}
	atomicfile.RemoveTemporaries()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("after RemoveTemporaries the folder holds %d entries (%s…); want none", len(entries), entries[0].Name())
	}
}

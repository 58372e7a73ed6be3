//go:build unix

package inputfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"whyk8s/internal/inputfile"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := write("answers.yaml", []byte("client: Example\n"))
	big := write("big.json", make([]byte, 2048))
	fifo := filepath.Join(dir, "whyk8s.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	fifoLink := filepath.Join(dir, "fifo-link.yaml")
	if err := os.Symlink(fifo, fifoLink); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name    string
		path    string
		limit   int64
		want    string // content, when it is read
		wantErr error
		problem string // in the message, with the path
	}{
		{"a small regular file is read", small, 1024, "client: Example\n", nil, ""},
		{"a symbolic link to a regular file is followed", link, 1024, "client: Example\n", nil, ""},
		{"a file at the limit is read", big, 2048, string(make([]byte, 2048)), nil, ""},
		{"a file over the limit is refused", big, 1024, "", inputfile.ErrTooLarge, "2048 bytes, over the 1 KiB limit"},
		{"a named pipe is refused without waiting for a writer", fifo, 1024, "", inputfile.ErrNotRegular, "a named pipe"},
		{"a link to a named pipe is refused", fifoLink, 1024, "", inputfile.ErrNotRegular, "a named pipe"},
		{"a character device is refused", "/dev/zero", 1 << 20, "", inputfile.ErrNotRegular, "a character device"},
		{"a folder is refused", dir, 1024, "", inputfile.ErrNotRegular, "a folder"},
		{"a missing file is the file system's error", filepath.Join(dir, "none.json"), 1024, "", fs.ErrNotExist, "no such file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan struct{})
			var data []byte
			var err error
			go func() {
				data, err = inputfile.Read(c.path, c.limit)
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("Read(%s) still blocked after 5s", c.path)
			}
			if c.wantErr == nil {
				if err != nil || string(data) != c.want {
					t.Fatalf("Read(%s) = %q, %v; want %q", c.path, data, err, c.want)
				}
				return
			}
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("Read(%s): error %v; want one wrapping %v", c.path, err, c.wantErr)
			}
			if msg := err.Error(); !strings.Contains(msg, c.path) || !strings.Contains(msg, c.problem) {
				t.Errorf("Read(%s): message %q; want it to name the file and say %q", c.path, msg, c.problem)
			}
		})
	}
}

func TestHead(t *testing.T) {
	dir := t.TempDir()
	index := filepath.Join(dir, "README.md")
	if err := os.WriteFile(index, []byte("<!-- whyk8s -->\n"+strings.Repeat("x", 1<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := inputfile.Head(index, 16); err != nil || string(data) != "<!-- whyk8s -->\n" {
		t.Errorf("Head = %q, %v; want the first 16 bytes", data, err)
	}
	pipe := filepath.Join(dir, "pipe.md")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := inputfile.Head(pipe, 16); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, inputfile.ErrNotRegular) {
			t.Errorf("Head(named pipe): %v; want ErrNotRegular", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Head(named pipe) still blocked after 5s")
	}
}

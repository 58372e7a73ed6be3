// Package inputfile reads the files a person names for a run — a snapshot, questionnaire
// answers, a configuration file, a report template, a logo, an assessment to compare — so
// that no such file can hang or exhaust the run: only a regular file is opened, and no more
// than a stated limit is read. A named pipe called whyk8s.yaml or --snapshot /dev/zero is
// refused with an error naming the file and the problem.
package inputfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// The limits of each kind of named input: far above any real file of the kind, far below
// what would exhaust the machine reading it.
const (
	// MaxSnapshot bounds a snapshot: thousands of groups with their user data and their
	// scripts' facts fit in tens of megabytes.
	MaxSnapshot = 256 << 20
	// MaxAssessment bounds an assessment.json read by diff or from a history folder.
	MaxAssessment = 256 << 20
	// MaxConfig bounds a configuration file (whyk8s.yaml or --config).
	MaxConfig = 1 << 20
	// MaxAnswers bounds a filled-in questionnaire.
	MaxAnswers = 1 << 20
	// MaxWaivers bounds a waivers file: thousands of waivers fit in a megabyte. It also
	// bounds the configuration file, which may hold the waivers instead.
	MaxWaivers = MaxConfig
	// MaxTemplate bounds a Markdown report template.
	MaxTemplate = 4 << 20
	// MaxLogo bounds a logo image for the PDF cover.
	MaxLogo = 16 << 20
)

// ErrNotRegular is wrapped by Read's error when the path names something other than a
// regular file: a folder, a named pipe, a device, a socket.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by Read's error when the file is over the limit.
var ErrTooLarge = errors.New("over the size limit")

// Error says which file was refused and why, in words a person can act on.
type Error struct {
	Path    string
	Problem string
	Err     error // ErrNotRegular or ErrTooLarge
}

func (e *Error) Error() string { return e.Path + ": " + e.Problem }
func (e *Error) Unwrap() error { return e.Err }

// Read returns the content of the regular file at path (symbolic links followed), or an
// error when it is not a regular file or holds more than limit bytes. Errors from the file
// system (a missing file, permission denied) are returned as they are, wrapping
// fs.ErrNotExist and the like.
func Read(path string, limit int64) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := check(path, info, limit); err != nil {
		return nil, err
	}
	// O_NONBLOCK: should the path be swapped for a named pipe after the Stat above, the open
	// returns at once instead of waiting for a writer; the Stat below then refuses it. It
	// changes nothing for a regular file.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := check(path, info, limit); err != nil {
		return nil, err
	}
	// The size can grow between the Stat and the end of the read: read one byte past the
	// limit to tell.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, int64(len(data)), limit)
	}
	return data, nil
}

// Head returns at most the first n bytes of the regular file at path, for a caller that
// only needs to recognise a file (its own index, a marker line): a named pipe or a device
// is refused like by Read, and a large file is not read past n.
func Head(path string, n int64) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := check(path, info, info.Size()); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := check(path, info, info.Size()); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, n))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	return data, nil
}

func check(path string, info fs.FileInfo, limit int64) error {
	if !info.Mode().IsRegular() {
		return &Error{Path: path, Problem: fmt.Sprintf("not a regular file (%s); only plain files are read", describe(info.Mode())), Err: ErrNotRegular}
	}
	if info.Size() > limit {
		return tooLarge(path, info.Size(), limit)
	}
	return nil
}

func tooLarge(path string, size, limit int64) error {
	problem := fmt.Sprintf("%d bytes, over the %s limit for this file; not read", size, human(limit))
	if size == limit+1 {
		problem = fmt.Sprintf("over the %s limit for this file; not read", human(limit))
	}
	return &Error{Path: path, Problem: problem, Err: ErrTooLarge}
}

// describe names what a non-regular file is.
func describe(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "type " + m.Type().String()
}

// human writes a limit the way it was chosen: 256 MiB, 1 MiB, 512 KiB.
func human(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d-byte", n)
}

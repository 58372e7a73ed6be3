// Package atomicfile writes files so that a reader sees either the old content or the
// complete new content, never a truncated file: the data goes to a temporary file in the
// same folder, is synced, and is renamed over the target. A Set does the same for several
// files that belong together, such as one run's reports.
//
// It is the one place in whyk8s that knows how to write files atomically.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// WriteFile writes data to path atomically with permissions perm.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write calls fill with a writer on a temporary file beside path and, if fill succeeds,
// renames the temporary file to path. If fill fails, or the process is interrupted before
// the rename, path is untouched and the temporary file is removed (or, after a crash, left
// with a ".whyk8s-tmp" name that no reader mistakes for a report).
func Write(path string, perm os.FileMode, fill func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.whyk8s-tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	inFlight.Store(tmp.Name(), struct{}{})
	defer inFlight.Delete(tmp.Name())
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = fill(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Chmod(tmp.Name(), perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// inFlight holds the temporary files of writes under way and the staging folders of Sets
// not yet publishing, by path.
var inFlight sync.Map

// RemoveTemporaries removes the temporary files of the writes still under way and the
// staging folders of the Sets that have not begun to publish. A process that must end at
// once, without waiting for its writes to fail on their own (a second Ctrl-C, a run that
// did not stop in its grace period), calls it just before it exits, so that it leaves
// nothing half-done behind. The targets are untouched; a Set already publishing is left
// to its journal, which the next Set in that folder finishes.
func RemoveTemporaries() {
	inFlight.Range(func(name, _ any) bool {
		os.RemoveAll(name.(string))
		inFlight.Delete(name)
		return true
	})
}

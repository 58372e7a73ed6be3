package atomicfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// A Set publishes several files into one folder together, so that the folder holds either
// the files of one run or those of the run before, never some of each — a report whose PDF
// and JSON disagree is worse than last month's report.
//
// Files are written into a staging folder inside the target folder. Publish then records
// what it is about to do in a journal in the staging folder, moves the previous run's files
// out and the new ones in, and removes the staging folder. Renaming several files is not
// one atomic step, so a run killed in the middle of Publish leaves the folder with some of
// the previous files (while they are moved out) or some of the new ones (while they are
// moved in), never a mix; the next Set in that folder finds the journal and finishes the
// move. A staging folder without a journal is a run killed before it published: the next
// Set removes it.
//
// Only one Set at a time may work in a folder: NewSet takes a lock on the folder (where the
// system has advisory locks) that is held until Publish or Discard, and released by the
// system if the process dies.
type Set struct {
	// mu guards staged and closed: files of one set may be written from several
	// goroutines at once, each its own name.
	mu      sync.Mutex
	dir     string
	stage   string
	names   []string // every name the set may hold
	staged  []string // names written so far, in order
	writing []string // names being written now
	unlock  func()
	closed  bool
}

const (
	// stagePrefix names staging folders; they start with a dot so that listings and globs
	// for reports pass over them.
	stagePrefix = ".whyk8s-staging-"
	// journalName is the file in a staging folder that says its files are being published.
	journalName = ".whyk8s-publish"
	// oldFolder in a staging folder holds the previous run's files while they are replaced.
	oldFolder = ".whyk8s-previous"
	// tmpSuffix ends the temporary files Write creates.
	tmpSuffix = ".whyk8s-tmp"
)

// journal is what Publish records before it changes the folder.
type journal struct {
	// Replace are the names whose existing files are moved out: every name of the set.
	Replace []string `json:"replace"`
	// Place are the staged names moved in.
	Place []string `json:"place"`
}

// ErrBusy is returned by NewSet when another Set holds the folder.
var ErrBusy = errors.New("another whyk8s run is writing to this folder")

// NewSet prepares a set of files for dir, which is created if missing. names are every
// file name the set may hold, written this time or not: Publish replaces all of them, so
// that a file an earlier run wrote and this one does not is not left beside the new ones.
//
// NewSet first tidies dir after a run that was killed: it finishes a publication that had
// begun, and removes staging folders that had not and temporary files Write left for any of
// names.
func NewSet(dir string, names []string) (*Set, error) {
	for _, n := range names {
		if n == "" || n != filepath.Base(n) || n == "." || n == ".." || strings.HasPrefix(n, ".whyk8s-") || strings.HasSuffix(n, tmpSuffix) {
			return nil, fmt.Errorf("file set in %s: %q is not a plain file name", dir, n)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	if err := Tidy(dir, names); err != nil {
		unlock()
		return nil, err
	}
	stage, err := os.MkdirTemp(dir, stagePrefix+"*")
	if err != nil {
		unlock()
		return nil, fmt.Errorf("create a staging folder in %s: %w", dir, err)
	}
	inFlight.Store(stage, struct{}{})
	return &Set{dir: dir, stage: stage, names: slices.Clone(names), unlock: unlock}, nil
}

// Write writes the file name of the set into the staging folder, with permissions perm.
// Nothing in the target folder changes until Publish. Files of different names may be
// written at once from several goroutines; Publish, Discard and Paths come after every
// Write has returned.
func (s *Set) Write(name string, perm os.FileMode, fill func(io.Writer) error) error {
	s.mu.Lock()
	switch {
	case s.closed:
		s.mu.Unlock()
		return fmt.Errorf("write %s: the file set is already published or discarded", filepath.Join(s.dir, name))
	case !slices.Contains(s.names, name):
		s.mu.Unlock()
		return fmt.Errorf("write %s: not a name of the file set", filepath.Join(s.dir, name))
	case slices.Contains(s.staged, name) || slices.Contains(s.writing, name):
		s.mu.Unlock()
		return fmt.Errorf("write %s: written twice", filepath.Join(s.dir, name))
	}
	s.writing = append(s.writing, name)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.writing = slices.DeleteFunc(s.writing, func(n string) bool { return n == name })
		s.mu.Unlock()
	}()
	// The staging folder is this Set's alone: the file is written in place, with no
	// temporary name of its own. Errors name the file by where it will be.
	if err := writeSynced(filepath.Join(s.stage, name), perm, fill); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(s.dir, name), err)
	}
	s.mu.Lock()
	s.staged = append(s.staged, name)
	s.mu.Unlock()
	return nil
}

// writeSynced creates path, fills it and syncs it to disk. On failure the file is removed.
func writeSynced(path string, perm os.FileMode, fill func(io.Writer) error) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(path)
		}
	}()
	if err = fill(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	// The mode asked for, whatever the umask: as Write does.
	return os.Chmod(path, perm)
}

// Paths returns where the files written so far are published, in the order written.
func (s *Set) Paths() []string {
	out := make([]string, 0, len(s.staged))
	for _, n := range s.staged {
		out = append(out, filepath.Join(s.dir, n))
	}
	return out
}

// Publish replaces the previous run's files with the ones written: every name of the set
// that exists in the folder is moved out, then every file written is moved in. A name of
// the set that this run did not write is left absent. If Publish fails it puts the previous
// files back and reports why; after Publish, successful or not, the Set is closed.
func (s *Set) Publish() error {
	if s.closed {
		return errors.New("publish: the file set is already published or discarded")
	}
	defer s.close()
	// From here the journal decides what becomes of the staging folder.
	inFlight.Delete(s.stage)
	// Refuse now what could only fail halfway: a folder where a file is to go.
	for _, n := range s.names {
		if info, err := os.Lstat(filepath.Join(s.dir, n)); err == nil && info.IsDir() {
			return fmt.Errorf("publish %s: a folder is in the way", filepath.Join(s.dir, n))
		}
	}
	j := journal{Replace: s.names, Place: s.staged}
	data, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("publish in %s: %w", s.dir, err)
	}
	// The journal must be complete and on disk before the first rename; a journal cut
	// short by a kill is read as no journal, which is right since nothing had moved.
	if err := writeSynced(filepath.Join(s.stage, journalName), 0o644, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}); err != nil {
		return fmt.Errorf("publish in %s: %w", s.dir, err)
	}
	syncDir(s.stage)
	step()
	if err := move(s.dir, s.stage, j, false); err != nil {
		if rerr := rollBack(s.dir, s.stage, j); rerr != nil {
			return fmt.Errorf("publish in %s: %w; putting the previous files back also failed: %w", s.dir, err, rerr)
		}
		return fmt.Errorf("publish in %s: %w; the previous files are back in place", s.dir, err)
	}
	syncDir(s.dir)
	return nil
}

// Discard removes the staging folder and what was written into it. It does nothing after
// Publish, and may be deferred.
func (s *Set) Discard() {
	if !s.closed {
		s.close()
	}
}

func (s *Set) close() {
	s.closed = true
	inFlight.Delete(s.stage)
	os.RemoveAll(s.stage)
	s.unlock()
}

// move carries out a journal: the set's existing files go into the staging folder's
// oldFolder, then the staged files go into dir. resumed says a killed run is being finished:
// if any staged file is already in place, the previous files are all out already, and
// moving "them" again would move new files out.
func move(dir, stage string, j journal, resumed bool) error {
	placing := false
	if resumed {
		for _, n := range j.Place {
			if _, err := os.Lstat(filepath.Join(stage, n)); errors.Is(err, fs.ErrNotExist) {
				placing = true
				break
			}
		}
	}
	if !placing {
		old := filepath.Join(stage, oldFolder)
		if err := os.Mkdir(old, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		for _, n := range j.Replace {
			err := os.Rename(filepath.Join(dir, n), filepath.Join(old, n))
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			step()
		}
	}
	for _, n := range j.Place {
		err := os.Rename(filepath.Join(stage, n), filepath.Join(dir, n))
		if err != nil && !(resumed && errors.Is(err, fs.ErrNotExist)) {
			return err
		}
		step()
	}
	return nil
}

// testStep, when set by a test, is called after each step of a publication (the journal
// written, each rename), so that a test can kill the process at that very point.
var testStep func()

func step() {
	if testStep != nil {
		testStep()
	}
}

// rollBack undoes a move that failed in a live run: new files back into the staging folder,
// previous files back into dir. The journal goes last, so that a run killed while rolling
// back is finished forward by the next one, which leaves a consistent folder too.
func rollBack(dir, stage string, j journal) error {
	var errs []error
	for _, n := range j.Place {
		if _, err := os.Lstat(filepath.Join(stage, n)); err == nil {
			continue // never moved in
		}
		if err := os.Rename(filepath.Join(dir, n), filepath.Join(stage, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	old := filepath.Join(stage, oldFolder)
	for _, n := range j.Replace {
		if err := os.Rename(filepath.Join(old, n), filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return os.Remove(filepath.Join(stage, journalName))
}

// Tidy cleans dir after a run that was killed: a staging folder whose journal says its
// files were being published is published to the end; any other staging folder is
// removed, as are the temporary files Write left for any of names. The caller must hold
// the folder (NewSet does): a staging folder of a live run looks like an abandoned one.
func Tidy(dir string, names []string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("tidy %s: %w", dir, err)
	}
	var errs []error
	changed := false
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		switch {
		case strings.HasPrefix(name, stagePrefix) && e.IsDir():
			if err := finish(dir, path); err != nil {
				errs = append(errs, fmt.Errorf("finish the publication a killed run began in %s: %w", path, err))
				continue // keep the staging folder: it holds files not yet in place
			}
			if err := os.RemoveAll(path); err != nil {
				errs = append(errs, fmt.Errorf("tidy %s: %w", dir, err))
			}
			changed = true
		case strings.HasSuffix(name, tmpSuffix) && e.Type().IsRegular() && isTemporaryOf(name, names):
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, fmt.Errorf("tidy %s: %w", dir, err))
			}
			changed = true
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if changed {
		syncDir(dir)
	}
	return nil
}

// finish publishes what a killed run's staging folder was publishing, if its journal says
// it had begun.
func finish(dir, stage string) error {
	data, err := os.ReadFile(filepath.Join(stage, journalName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil // killed before publishing: its files are simply dropped
	}
	if err != nil {
		return err
	}
	var j journal
	if err := json.Unmarshal(data, &j); err != nil {
		return nil // cut short by a kill while it was written: nothing had moved yet
	}
	for _, n := range append(slices.Clone(j.Replace), j.Place...) {
		if n != filepath.Base(n) || n == "." || n == ".." {
			return fmt.Errorf("journal %s: %q is not a plain file name", filepath.Join(stage, journalName), n)
		}
	}
	return move(dir, stage, j, true)
}

// isTemporaryOf says whether name is a temporary file Write made for one of names
// (".report.pdf.123456.whyk8s-tmp" for "report.pdf").
func isTemporaryOf(name string, names []string) bool {
	for _, n := range names {
		if strings.HasPrefix(name, "."+n+".") {
			return true
		}
	}
	return false
}

// syncDir makes renames in dir durable across a power cut. It is best effort: a kill does
// not need it (the kernel keeps the renames), and some systems cannot sync a folder.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// lockDir takes an exclusive advisory lock on the folder itself, so that no lock file is
// left behind; the system drops it when the process ends, however it ends.
func lockDir(dir string) (unlock func(), err error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	err = syscall.Flock(int(d.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	switch {
	case errors.Is(err, syscall.EWOULDBLOCK):
		d.Close()
		return nil, ErrBusy
	case err != nil:
		// Some network filesystems have no locks (ENOLCK, EOPNOTSUPP). Writing unlocked
		// there is what every run did before locks existed; refusing would stop them all.
		d.Close()
		return func() {}, nil
	}
	return func() { d.Close() }, nil
}

//go:build unix

package scripts

import "syscall"

// openNonblock makes opening a named pipe return at once rather than wait for a writer.
const openNonblock = syscall.O_NONBLOCK

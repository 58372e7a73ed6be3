//go:build !unix

package scripts

// openNonblock is nothing where there are no named pipes to wait on.
const openNonblock = 0

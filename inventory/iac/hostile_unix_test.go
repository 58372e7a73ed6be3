//go:build unix

package iac_test

import (
	"net"
	"syscall"
	"testing"
)

// specialFiles says whether FIFOs and sockets can be made here.
const specialFiles = true

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}

// mksocket leaves a socket file at path (closed, not unlinked).
func mksocket(t *testing.T, path string) {
	t.Helper()
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Skipf("cannot make a socket here: %v", err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
}

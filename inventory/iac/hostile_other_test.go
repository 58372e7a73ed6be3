//go:build !unix

package iac_test

import "testing"

const specialFiles = false

func mkfifo(t *testing.T, path string)   { t.Helper() }
func mksocket(t *testing.T, path string) { t.Helper() }

package scripts

import (
	"testing"
	"unsafe"
)

// A scan holds every file's result until it ends, and the collector scans an object of 512
// bytes or less with the others of its span but a larger one on its own: a result past 512
// bytes made the collections of BenchmarkScan cost more (mark CPU in GODEBUG=gctrace=1).
// A field only the readers need belongs in factChunks or the scratch.
func TestFileResultSize(t *testing.T) {
	const max = 512 // on 64-bit platforms
	if got := unsafe.Sizeof(fileResult{}); unsafe.Sizeof(uintptr(0)) == 8 && got > max {
		t.Errorf("fileResult is %d bytes, more than %d", got, max)
	}
}

//go:build linux

package hostile_test

// knownFailures are the cases the current code fails, each with the work that will fix it.
// The test reports them with t.Log instead of failing; a listed case that passes fails the
// test, so that its line is deleted here when its fix lands. This list only ever shrinks.
var knownFailures = map[string]string{
	// Empty: every case passes. A case added before its fix is listed here as
	// "name": "the part of an issue whose work will fix it".
}

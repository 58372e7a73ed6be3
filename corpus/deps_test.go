package corpus_test

// The test runs the binary built from these packages. Importing them makes go test
// compile them before it starts this package's tests, with the flags it uses for every
// package, so the test's `go build` only compiles the main package and links instead of
// compiling the AWS SDK a second time beside go test (see .ci/run and hostile/).
import (
	_ "whyk8s/assess"
	_ "whyk8s/history"
	_ "whyk8s/inventory/aws"
	_ "whyk8s/inventory/gather"
	_ "whyk8s/inventory/iac"
	_ "whyk8s/inventory/scripts"
	_ "whyk8s/manifests"
	_ "whyk8s/report"

	_ "github.com/spf13/cobra"
	_ "github.com/spf13/viper"
)

// Package deploy holds no Go code: it is the Dockerfile, the Kubernetes manifests and the
// cron example that run whyk8s unattended, and the tests that keep them honest.
package deploy

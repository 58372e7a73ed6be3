package inventory_test

import (
	"testing"

	"whyk8s/inventory"
)

// TestSourceURL: where a file came from is shown without credentials, a presigned URL's
// signature or a fragment, and otherwise as written.
func TestSourceURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"s3://acme-artifacts/app/bootstrap.sh", "s3://acme-artifacts/app/bootstrap.sh"},
		{"  https://artifacts.example.com/ops/install\t", "https://artifacts.example.com/ops/install"},
		{"https://deploy:s3cr3t@artifacts.example.com/ops/install?X-Amz-Signature=abc", "https://artifacts.example.com/ops/install"},
		{"https://token@git.example.com", "https://git.example.com"},
		{"https://user:p@ss@host.example.com/a#frag", "https://host.example.com/a"},
		{"https://config.example.com/", "https://config.example.com"},
		{"https://config.example.com/?sig=1", "https://config.example.com"},
		{"https://config.example.com", "https://config.example.com"},
		{"/opt/app/setup.sh", "/opt/app/setup.sh"},
		{"{{ artifact_url }}/app.tar.gz", "{{ artifact_url }}/app.tar.gz"},
	}
	for _, tt := range tests {
		if got := inventory.SourceURL(tt.in); got != tt.want {
			t.Errorf("inventory.SourceURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

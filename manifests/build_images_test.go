package manifests

import "testing"

// An image named with a registry host is the client's own; Docker Hub's library images
// (a base, a check) come after it in what the image to fill in names.
func TestOwnRegistry(t *testing.T) {
	for image, want := range map[string]bool{
		"730516284937.dkr.ecr.eu-west-1.amazonaws.com/route-optimiser-train:2026.10.2": true,
		"registry.example.com:5000/shop/web:1.4":                                       true,
		"localhost/app:dev":                                                            true,
		"ghcr.io/acme/api:2":                                                           true,
		"nvidia/cuda:12.2.0-base-ubuntu22.04":                                          false,
		"postgres:15":                                                                  false,
		"acme/shop:1.4.2":                                                              false,
	} {
		if got := ownRegistry(image); got != want {
			t.Errorf("ownRegistry(%q) = %v, want %v", image, got, want)
		}
	}
}

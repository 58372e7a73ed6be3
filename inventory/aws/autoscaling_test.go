package aws

import (
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
)

// A policy is in force unless the API says it is not: an older response without Enabled
// must not turn every target-tracking policy into "no target tracking".
func TestScalingPolicyEnabled(t *testing.T) {
	for _, tc := range []struct {
		name    string
		enabled *bool
		want    bool
	}{
		{"field absent", nil, true},
		{"enabled", awssdk.Bool(true), true},
		{"disabled", awssdk.Bool(false), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := scalingPolicy(&astypes.ScalingPolicy{PolicyName: awssdk.String("cpu"), PolicyType: awssdk.String("TargetTrackingScaling"), Enabled: tc.enabled})
			if p.Enabled != tc.want {
				t.Errorf("Enabled = %v, want %v", p.Enabled, tc.want)
			}
		})
	}
}

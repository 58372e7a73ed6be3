package assess

import "whyk8s/inventory"

// notRead names what whyk8s never reads from a source of the estate, so that a report with
// no coverage gap does not claim more than was read: a gap is what could not be read, this
// is what was not looked at.
func notRead(source string) []string {
	switch source {
	case inventory.SourceIaC:
		return []string{
			"EC2 instances outside Auto Scaling groups (aws_instance, AWS::EC2::Instance)",
			"listener rules (host and path routing)",
			"modules from a registry or Git (only local modules are read)",
			"ECS, EKS and Lambda resources",
		}
	case inventory.SourceCode:
		return []string{
			"the AWS estate: only code was read, so no group's size, scaling or load balancer is known",
		}
	default: // AWS, a snapshot of it, the demo
		return []string{
			"EC2 instances outside Auto Scaling groups",
			"launch templates no group uses",
			"listener rules (host and path routing)",
			"ECS, EKS and Lambda resources",
		}
	}
}

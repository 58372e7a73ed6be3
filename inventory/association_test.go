package inventory_test

import (
	"testing"

	"whyk8s/inventory"
)

// TestTargetsGroup: an association chooses a group's instances by the group's tags; every
// target must hold, and one naming instances or a resource group chooses none.
func TestTargetsGroup(t *testing.T) {
	tags := map[string]string{"Role": "web", "app": "orders"}
	tg := func(k string, v ...string) inventory.AssociationTarget {
		return inventory.AssociationTarget{Key: k, Values: v}
	}
	tests := []struct {
		name    string
		targets []inventory.AssociationTarget
		want    bool
		text    string
	}{
		{"a tag value among several", []inventory.AssociationTarget{tg("tag:Role", "api", "web")}, true, "tag:Role=api,web"},
		{"another value", []inventory.AssociationTarget{tg("tag:Role", "batch")}, false, "tag:Role=batch"},
		{"a tag the group lacks", []inventory.AssociationTarget{tg("tag:Env", "prod")}, false, "tag:Env=prod"},
		{"a tag key", []inventory.AssociationTarget{tg("tag-key", "app")}, true, "tag-key=app"},
		{"every managed instance", []inventory.AssociationTarget{tg("InstanceIds", "*")}, true, "InstanceIds=*"},
		{"named instances", []inventory.AssociationTarget{tg("InstanceIds", "i-0123456789abcdef0")}, false, ""},
		{"a resource group", []inventory.AssociationTarget{tg("resource-groups:Name", "web")}, false, ""},
		{"two targets, both hold", []inventory.AssociationTarget{tg("tag:Role", "web"), tg("tag:app", "orders")}, true, "tag:Role=web tag:app=orders"},
		{"two targets, one fails", []inventory.AssociationTarget{tg("tag:Role", "web"), tg("tag:app", "billing")}, false, "tag:Role=web tag:app=billing"},
		{"none", nil, false, ""},
	}
	for _, tt := range tests {
		got, text := inventory.TargetsGroup(tt.targets, tags)
		if got != tt.want || text != tt.text {
			t.Errorf("%s: %v %q, want %v %q", tt.name, got, text, tt.want, tt.text)
		}
	}
}

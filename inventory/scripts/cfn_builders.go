package scripts

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"whyk8s/inventory"
)

// An image can be baked by CloudFormation itself: an instance is configured by its user
// data and cfn-init, an AMI is made of it (a Custom::CreateAMI resource, or a nested stack
// given the instance's id, as AWS Quick Starts do), and the launch configuration or
// template of the groups launches that AMI. The instance's work then happens once, when
// the image is made, not at every boot; reading it as boot-time configuration would blame
// the groups for the very practice the assessment recommends.

// cfnImageBuilders finds the instances a template configures to make an image of: an
// AWS::EC2::Instance named (Ref) in the properties of a resource whose value a launch
// configuration's or launch template's ImageId takes (Ref or Fn::GetAtt). Each is returned
// with the lines the instance is written on and the place the image is made from it.
func cfnImageBuilders(res *yaml.Node) []inventory.ImageBuilder {
	types := map[string]string{}
	nodes := map[string][2]*yaml.Node{} // id → key, value
	for _, kv := range pairs(res) {
		r := resolve(kv[1])
		t, _ := scalar(mapGet(r, "Type")) // a resource without a Type is no resource of interest
		types[kv[0].Value] = strings.TrimSpace(t)
		nodes[kv[0].Value] = [2]*yaml.Node{kv[0], r}
	}
	// The resources whose value an ImageId takes, and the lines of those ImageIds.
	sources := map[string][]int{}
	for id, t := range types {
		props := mapGet(nodes[id][1], "Properties")
		holder := props
		switch t {
		case "AWS::AutoScaling::LaunchConfiguration":
		case "AWS::EC2::LaunchTemplate":
			holder = mapGet(props, "LaunchTemplateData")
		default:
			continue
		}
		for _, kv := range pairs(holder) {
			if kv[0].Value != "ImageId" {
				continue
			}
			for _, r := range cfnRefs(kv[1]) {
				sources[r.id] = append(sources[r.id], kv[0].Line)
			}
		}
	}
	var out []inventory.ImageBuilder
	seen := map[string]bool{}
	// In the order of their ids: an instance two resources make images of is named after
	// the first, whatever order a map keeps.
	for _, src := range slices.Sorted(maps.Keys(sources)) {
		lines := sources[src]
		if t := types[src]; t == "" || t == "AWS::EC2::Instance" {
			continue
		}
		for _, r := range cfnRefs(mapGet(nodes[src][1], "Properties")) {
			if types[r.id] != "AWS::EC2::Instance" || seen[r.id] {
				continue
			}
			seen[r.id] = true
			key, val := nodes[r.id][0], nodes[r.id][1]
			out = append(out, inventory.ImageBuilder{
				Name: r.id, FromLine: key.Line, ToLine: lastLine(val),
				Image: src, ImageIDLines: slices.Sorted(slices.Values(lines)),
				Evidence: inventory.Evidence{Line: r.line},
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FromLine < out[j].FromLine })
	return out
}

// maxBuilderDepth bounds the walks over one resource: the parser's guard has bounded the
// document already; this keeps a walk from going further than a real template goes.
const maxBuilderDepth = 64

type cfnRef struct {
	id   string
	line int
}

// cfnRefs lists the resources a value names through Ref or Fn::GetAtt, anywhere in it.
func cfnRefs(n *yaml.Node) []cfnRef {
	var out []cfnRef
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		n = resolve(n)
		if n == nil || depth > maxBuilderDepth {
			return
		}
		switch fn, arg := intrinsic(n); fn {
		case "Ref":
			if arg != nil && arg.Kind == yaml.ScalarNode && !strings.HasPrefix(arg.Value, "AWS::") {
				out = append(out, cfnRef{arg.Value, n.Line})
			}
			return
		case "Fn::GetAtt":
			if arg == nil {
				return
			}
			switch arg.Kind {
			case yaml.ScalarNode: // !GetAtt CreateAMI.ami
				id, _, _ := strings.Cut(arg.Value, ".")
				out = append(out, cfnRef{id, n.Line})
			case yaml.SequenceNode: // Fn::GetAtt: [CreateAMI, ami]
				if len(arg.Content) > 0 {
					out = append(out, cfnRef{resolve(arg.Content[0]).Value, n.Line})
				}
			}
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return out
}

// lastLine is the last line a node's text reaches.
func lastLine(n *yaml.Node) int {
	last := 0
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > maxBuilderDepth {
			return
		}
		end := n.Line
		if n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			end += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1 // a block's text starts below its indicator
		}
		last = max(last, end)
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return last
}

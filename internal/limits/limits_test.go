package limits_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	yaml "go.yaml.in/yaml/v3"

	"whyk8s/internal/limits"
)

func nest(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// realTF is Terraform as teams write it: every kind of nesting, a few levels deep.
const realTF = `# web tier
locals {
  tags = merge(var.tags, { Name = "${var.env}-web", Tier = "web" })
  subnets = [for s in data.aws_subnet.all : s.id if s.tags["Tier"] == "private" && !s.map_public_ip_on_launch]
  size = var.env == "prod" ? (var.big ? 6 : 4) : 1
}

resource "aws_launch_template" "web" {
  user_data = base64encode(<<-EOT
    #!/bin/bash
    %{ for p in var.packages ~}
    yum install -y ${p}
    %{ endfor ~}
    %{ if var.env == "prod" }echo prod%{ else }echo ${upper(var.env)}%{ endif }
  EOT
  )
  dynamic "block_device_mappings" {
    for_each = { for k, v in var.volumes : k => v if v.size > 0 }
    content {
      device_name = block_device_mappings.key
      ebs { volume_size = block_device_mappings.value.size }
    }
  }
}
`

func TestEstimateTokensIsAnUpperBound(t *testing.T) {
	for name, src := range map[string]string{
		"terraform":     realTF,
		"commas":        "x = [" + strings.Repeat("1,", 1000) + "]\n",
		"operators":     "x = " + strings.Repeat("a==b&&", 100) + "c\n",
		"strings":       `x = "a ${b} c ${"d ${e}"}" # comment with words` + "\n",
		"not ascii":     "x = \"caf\u00e9 \u2603\"\n",
		"heredoc lines": "x = <<EOT\n" + strings.Repeat("one line\n", 100) + "EOT\n",
	} {
		toks, _ := hclsyntax.LexConfig([]byte(src), "x.tf", hcl.InitialPos)
		if got := limits.EstimateTokens([]byte(src), 1<<30); got < len(toks) {
			t.Errorf("%s: estimate %d, below the lexer's %d tokens", name, got, len(toks))
		}
	}
}

func TestHCL(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		template bool
		limit    string // "" for within limits
		line     int
	}{
		{name: "real code", src: realTF},
		{name: "brackets", src: "x = " + nest("[", "", "]", 300) + "\n", limit: "nesting depth", line: 1},
		{name: "brackets within", src: "x = " + nest("[", "", "]", 200) + "\n"},
		{name: "objects", src: "locals {\n  x = " + nest("{a=", "1", "}", 300) + "\n}\n", limit: "nesting depth", line: 2},
		{name: "parentheses on their own lines", src: "x = " + nest("(\n", "1", "\n)", 300) + "\n", limit: "nesting depth", line: 257},
		{name: "interpolations", src: "x = " + nest(`"${`, "1", `}"`, 200) + "\n", limit: "nesting depth"},
		{name: "directives", src: "x = <<EOT\n" + nest("%{ if true }", "x", "%{ endif }", 300) + "\nEOT\n", limit: "nesting depth"},
		{name: "directives in sequence", src: "x = <<EOT\n" + strings.Repeat("%{ if true }x%{ endif }", 3000) + "\nEOT\n"},
		{name: "unary operators", src: "x = " + strings.Repeat("!", 300) + "true\n", limit: "nesting depth"},
		{name: "a long sum", src: "x = 1" + strings.Repeat(" + 1", 300) + "\n", limit: "nesting depth"},
		{name: "a long sum over lines in parentheses", src: "x = (1" + strings.Repeat("\n + 1", 300) + ")\n", limit: "nesting depth"},
		{name: "many sums, one a line", src: func() string {
			var b strings.Builder
			for i := 0; i < 3000; i++ {
				fmt.Fprintf(&b, "x%d = 1 + 2 + 3\n", i)
			}
			return b.String()
		}()},
		{name: "conditionals", src: "x = " + strings.Repeat("c ? 1 : ", 300) + "0\n", limit: "nesting depth"},
		{name: "indexes", src: "x = y" + strings.Repeat("[z]", 300) + "\n", limit: "nesting depth"},
		{name: "template file", template: true, src: "#!/bin/bash\necho ${" + nest("(", "1", ")", 300) + "}\n", limit: "nesting depth", line: 2},
		{name: "template file within", template: true, src: "#!/bin/bash\necho ${upper(name)} %{ if x }y%{ endif }\n"},
		{name: "too many tokens", src: "x = [" + strings.Repeat("1,", limits.Tokens) + "]\n", limit: "size"},
		// hclsyntax joins a template's lines one by one, in time quadratic in their number.
		{name: "a heredoc of many lines", src: "a = 1\nx = <<-EOT\n" + lines("echo %d", limits.TemplateLines+1) + "EOT\n", limit: "template size", line: 3},
		{name: "a heredoc as long as allowed", src: "x = <<-EOT\n" + lines("echo %d", limits.TemplateLines) + "EOT\n"},
		{name: "a heredoc whose lines interpolations part", src: "x = <<-EOT\n" + strings.Repeat(lines("echo %d", limits.TemplateLines/4)+"${y}\n", 10) + "EOT\n"},
		{name: "heredocs that add up", src: strings.Repeat("x = <<-EOT\n"+lines("echo %d", limits.TemplateLines/2)+"EOT\n", 5), limit: "template size", line: 4*(limits.TemplateLines/2+2) + 2},
		{name: "a template file of many lines", template: true, src: lines("echo %d", 2*limits.TemplateLines), limit: "template size", line: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check := limits.HCL
			if tc.template {
				check = limits.HCLTemplate
			}
			err := check([]byte(tc.src), "x.tf", limits.Depth, limits.Tokens)
			if tc.limit == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				// Within the limits, the parser gets through it.
				if !tc.template {
					if _, diags := hclsyntax.ParseConfig([]byte(tc.src), "x.tf", hcl.InitialPos); diags.HasErrors() {
						t.Fatalf("test input does not parse: %v", diags)
					}
				}
				return
			}
			var le *limits.Error
			if !errors.As(err, &le) || le.Limit != tc.limit {
				t.Fatalf("error %v, want the %s limit", err, tc.limit)
			}
			if tc.line != 0 && le.Line != tc.line {
				t.Errorf("line %d, want %d", le.Line, tc.line)
			}
			if !strings.Contains(err.Error(), "limit") {
				t.Errorf("message %q does not name the limit", err)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		hcl   bool
		limit string
		line  int
	}{
		{name: "plain", src: `{"a": [1, 2, {"b": "c"}]}`},
		{name: "deep", src: "{\"a\":\n" + nest("[", "", "]", 100000) + "}", limit: "nesting depth", line: 2},
		{name: "deep template in a string", hcl: true, src: `{"locals": {"x": "${` + nest("(", "1", ")", 300) + `}"}}`, limit: "nesting depth", line: 1},
		{name: "deep template is only text to JSON", src: `{"locals": {"x": "${` + nest("(", "1", ")", 300) + `}"}}`},
		{name: "deep type expression", hcl: true, src: `{"variable": {"x": {"type": "` + nest("list(", "string", ")", 300) + `"}}}`, limit: "nesting depth"},
		{name: "templates within", hcl: true, src: `{"resource": {"aws_instance": {"x": {"tags": {"Name": "${var.env}-${upper(var.app)}"}}}}}`},
		{name: "broken is the parser's to report", src: `{"a": [1, 2,}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.hcl {
				err = limits.HCLJSON([]byte(tc.src), "x.tf.json", limits.Depth, limits.Tokens)
			} else {
				err = limits.JSON([]byte(tc.src), limits.Depth, limits.Tokens)
			}
			if tc.limit == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var le *limits.Error
			if !errors.As(err, &le) || le.Limit != tc.limit {
				t.Fatalf("error %v, want the %s limit", err, tc.limit)
			}
			if tc.line != 0 && le.Line != tc.line {
				t.Errorf("line %d, want %d", le.Line, tc.line)
			}
		})
	}
}

func aliasBomb(levels, fanout int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [\"lol\"]\n")
	for i := 1; i <= levels; i++ {
		refs := make([]string, fanout)
		for j := range refs {
			refs[j] = fmt.Sprintf("*a%d", i-1)
		}
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.Join(refs, ", "))
	}
	return b.String()
}

func TestYAML(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		limit string
		line  int
	}{
		{name: "a template", src: "Resources:\n  G:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      Tags: [{Key: a, Value: b}]\n"},
		{name: "a few aliases", src: "base: &base {a: 1, b: [1, 2]}\nx: *base\ny: *base\nz: {<<: *base, c: 3}\n"},
		{name: "an alias bomb", src: aliasBomb(9, 9), limit: "alias expansion", line: 7},
		{name: "a bomb within limits", src: aliasBomb(4, 9)},
		{name: "an alias to its own list", src: "a: &a [1, *a]\n", limit: "alias expansion", line: 1},
		{name: "an alias to its own map", src: "a: &a {b: {c: *a}}\n", limit: "alias expansion", line: 1},
		{name: "deep", src: "x: " + nest("[", "", "]", 300) + "\n", limit: "nesting depth", line: 1},
		{name: "deep blocks", src: func() string {
			var b strings.Builder
			for i := 0; i < 300; i++ {
				b.WriteString(strings.Repeat(" ", i) + "k:\n")
			}
			return b.String()
		}(), limit: "nesting depth"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tc.src), &doc); err != nil {
				t.Fatal(err)
			}
			err := limits.YAML(&doc, limits.Depth, limits.Nodes)
			if tc.limit == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var le *limits.Error
			if !errors.As(err, &le) || le.Limit != tc.limit {
				t.Fatalf("error %v, want the %s limit", err, tc.limit)
			}
			if tc.line != 0 && le.Line != tc.line {
				t.Errorf("line %d, want %d", le.Line, tc.line)
			}
		})
	}
}

func TestBudget(t *testing.T) {
	t.Run("units run out for good, for building", func(t *testing.T) {
		b := limits.NewBudget(context.Background(), limits.Bounds{Units: 100})
		if err := b.Spend(60); err != nil {
			t.Fatal(err)
		}
		err := b.Spend(60)
		var le *limits.Error
		if !errors.As(err, &le) || le.Limit != "evaluation budget" || le.Max != 100 {
			t.Fatalf("spending past the budget: %v", err)
		}
		if b.Spend(0) == nil || b.Err() == nil || b.Left() != 0 {
			t.Error("building goes on after the budget ran out")
		}
		if err := b.Enter(); err != nil {
			t.Errorf("evaluating what builds nothing stops after the budget ran out: %v", err)
		}
	})
	t.Run("depth is per chain", func(t *testing.T) {
		b := limits.NewBudget(context.Background(), limits.Bounds{Depth: 3})
		for i := 0; i < 3; i++ {
			if err := b.Enter(); err != nil {
				t.Fatalf("level %d: %v", i+1, err)
			}
		}
		var le *limits.Error
		if err := b.Enter(); !errors.As(err, &le) || le.Limit != "reference depth" {
			t.Fatalf("a fourth level: %v", err)
		}
		b.Leave()
		if err := b.Enter(); err != nil {
			t.Fatalf("another chain after one too deep: %v", err)
		}
		if b.Err() != nil {
			t.Error("a chain too deep ends the evaluation")
		}
	})
	t.Run("time runs out", func(t *testing.T) {
		b := limits.NewBudget(context.Background(), limits.Bounds{Time: time.Nanosecond})
		time.Sleep(time.Millisecond)
		var le *limits.Error
		if err := b.Check(); !errors.As(err, &le) || le.Limit != "time budget" {
			t.Fatalf("after the deadline: %v", err)
		}
	})
	t.Run("a long loop notices the deadline", func(t *testing.T) {
		b := limits.NewBudget(context.Background(), limits.Bounds{Time: time.Nanosecond})
		time.Sleep(time.Millisecond)
		var err error
		for i := 0; i < 1000 && err == nil; i++ {
			err = b.Spend(1)
		}
		if err == nil {
			t.Fatal("a thousand steps past the deadline and the budget has not noticed")
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		b := limits.NewBudget(ctx, limits.Bounds{})
		cancel()
		if err := b.Check(); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled: %v", err)
		}
		if limits.IsLimit(b.Err()) {
			t.Error("a cancelled run is reported as over a limit")
		}
	})
}

// OverTokens skips the count for a text too short to be over, and must say what the count
// says at the edge: max-1 punctuation bytes and the end of the file are max tokens, one
// byte more is over.
func TestOverTokens(t *testing.T) {
	const max = 64
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"", false},
		{strings.Repeat(";", max-1), false},
		{strings.Repeat(";", max), true},
		{strings.Repeat("word ", max-4), false}, // longer than max bytes, fewer tokens
		{strings.Repeat("w;", max), true},
	} {
		if got, est := limits.OverTokens([]byte(tc.src), max), limits.EstimateTokens([]byte(tc.src), max); got != tc.want || got != (est > max) {
			t.Errorf("%d bytes: OverTokens %v, want %v (EstimateTokens %d)", len(tc.src), got, tc.want, est)
		}
	}
}

// lines is n lines of format, each given its number.
func lines(format string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, format+"\n", i)
	}
	return b.String()
}

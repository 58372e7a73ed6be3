//go:build linux

package hostile_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"strings"
	"unicode/utf16"
)

// Generators of hostile text. Each returns data; nothing here is ever executed.

// nest wraps inner in n opening and n closing tokens.
func nest(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// goodScript is the provisioning script beside every bad one: a finding whyk8s must still
// report, and a password it must never print.
const goodScript = "#!/bin/bash\nset -e\nDB_PASSWORD=" + secretCanary + "\napt-get install -y redis-server\n"

// goodScriptName is its file name; scan reports the finding under it.
const goodScriptName = "good-web.sh"

// tfGroup is a Terraform Auto Scaling group with its launch template; its user data holds
// the secret canary.
func tfGroup(label, name string) string {
	return fmt.Sprintf(`provider "aws" {
  region = "eu-west-1"
}

resource "aws_launch_template" "%[1]s" {
  name          = "%[1]s-lt"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data     = base64encode("#!/bin/bash\napt-get install -y nginx\nDB_PASSWORD=%[3]s\nmount -t nfs 10.0.0.5:/%[2]s /data\n")
}

resource "aws_autoscaling_group" "%[1]s" {
  name             = "%[2]s"
  min_size         = 2
  max_size         = 4
  desired_capacity = 2
  launch_template {
    id      = aws_launch_template.%[1]s.id
    version = "$Latest"
  }
}
`, label, name, secretCanary)
}

// goodGroup is the group the good Terraform beside every bad file defines.
const goodGroup = "good-web-asg"

// tfGroupWith is a group whose extra attributes (tags, lines) are given.
func tfGroupWith(label, name, extra string) string {
	return fmt.Sprintf(`resource "aws_autoscaling_group" "%s" {
  name                 = "%s"
  min_size             = 1
  max_size             = 2
  launch_configuration = "lc-%s"
%s}
`, label, name, label, extra)
}

// cfnGroup is a CloudFormation template with one Auto Scaling group.
func cfnGroup(logical, name string) string {
	return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ` + logical + `Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: ` + name + `
      MinSize: "1"
      MaxSize: "2"
      LaunchConfigurationName: lc
`
}

// yamlAliasBomb is a mapping whose last key expands to fanout^levels copies of "lol".
func yamlAliasBomb(levels, fanout int) string {
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

// ansibleBlockBomb is a playbook whose tasks are blocks of the previous block, twice:
// 2^levels tasks once aliases are expanded, in a couple of kilobytes.
func ansibleBlockBomb(levels int) string {
	var b strings.Builder
	b.WriteString("- hosts: all\n  tasks:\n    - &b0 {name: base, apt: {name: nginx}}\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "    - &b%d {name: b%d, block: [*b%d, *b%d]}\n", i, i, i-1, i-1)
	}
	return b.String()
}

// localsDoubling is Terraform whose every local is the previous one twice: 2^n bytes.
func localsDoubling(n int) string {
	var b strings.Builder
	b.WriteString("locals {\n  l0 = \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\n\n")
	b.WriteString(tfGroupWith("doubled", "doubled", fmt.Sprintf("  tag {\n    key = \"Blob\"\n    value = local.l%d\n    propagate_at_launch = true\n  }\n", n)))
	return b.String()
}

// randomBytes is reproducible noise.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// utf16Text encodes s as UTF-16 with a byte-order mark.
func utf16Text(s string, big bool) []byte {
	var buf bytes.Buffer
	var order binary.ByteOrder = binary.LittleEndian
	if big {
		order = binary.BigEndian
	}
	binary.Write(&buf, order, uint16(0xfeff))
	for _, u := range utf16.Encode([]rune(s)) {
		binary.Write(&buf, order, u)
	}
	return buf.Bytes()
}

// pngHeader is a PNG signature and IHDR chunk declaring a width×height image, with no
// image data: a decompression bomb's header.
func pngHeader(width, height uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], width)
	binary.BigEndian.PutUint32(ihdr[4:], height)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	writeChunk(&b, "IHDR", ihdr)
	writeChunk(&b, "IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	writeChunk(&b, "IEND", nil)
	return b.Bytes()
}

func writeChunk(b *bytes.Buffer, typ string, data []byte) {
	binary.Write(b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	binary.Write(b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// gzipOf compresses s.
func gzipOf(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

package iac

import (
	"fmt"
	"math/big"
	"net/netip"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/gocty"
)

// Terraform's IP network functions, as Terraform computes them: user data and cluster
// settings are often built from them (cidrhost(var.service_cidr, 10) for a cluster's DNS
// address), and a value left unknown there leaves the whole template unread.

var cidrHostFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}, {Name: "hostnum", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := netip.ParsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), fmt.Errorf("invalid CIDR expression: %w", err)
		}
		var n int64
		if err := gocty.FromCtyValue(args[1], &n); err != nil {
			return cty.UnknownVal(cty.String), err
		}
		hostBits := p.Addr().BitLen() - p.Bits()
		size := new(big.Int).Lsh(big.NewInt(1), uint(hostBits))
		num := big.NewInt(n)
		if n < 0 {
			num.Add(num, size) // -1 is the last address
		}
		if num.Sign() < 0 || num.Cmp(size) >= 0 {
			return cty.UnknownVal(cty.String), fmt.Errorf("prefix of %d bits has no host number %d", p.Bits(), n)
		}
		return cty.StringVal(addOffset(p.Masked().Addr(), num).String()), nil
	},
})

var cidrSubnetFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}, {Name: "newbits", Type: cty.Number}, {Name: "netnum", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := netip.ParsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), fmt.Errorf("invalid CIDR expression: %w", err)
		}
		var newbits, netnum int64
		if err := gocty.FromCtyValue(args[1], &newbits); err != nil {
			return cty.UnknownVal(cty.String), err
		}
		if err := gocty.FromCtyValue(args[2], &netnum); err != nil {
			return cty.UnknownVal(cty.String), err
		}
		bits := p.Bits() + int(newbits)
		if newbits < 0 || bits > p.Addr().BitLen() || netnum < 0 || (newbits < 63 && netnum >= int64(1)<<newbits) {
			return cty.UnknownVal(cty.String), fmt.Errorf("cannot extend prefix of %d bits by %d bits to number %d", p.Bits(), newbits, netnum)
		}
		off := new(big.Int).Lsh(big.NewInt(netnum), uint(p.Addr().BitLen()-bits))
		return cty.StringVal(netip.PrefixFrom(addOffset(p.Masked().Addr(), off), bits).String()), nil
	},
})

var cidrNetmaskFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := netip.ParsePrefix(args[0].AsString())
		if err != nil || !p.Addr().Is4() {
			return cty.UnknownVal(cty.String), fmt.Errorf("invalid IPv4 CIDR expression %q", args[0].AsString())
		}
		mask := uint32(0xffffffff) << (32 - p.Bits())
		if p.Bits() == 0 {
			mask = 0
		}
		return cty.StringVal(netip.AddrFrom4([4]byte{byte(mask >> 24), byte(mask >> 16), byte(mask >> 8), byte(mask)}).String()), nil
	},
})

// addOffset is addr plus off, within the address family.
func addOffset(addr netip.Addr, off *big.Int) netip.Addr {
	b := addr.AsSlice()
	v := new(big.Int).SetBytes(b)
	v.Add(v, off)
	out := v.FillBytes(make([]byte, len(b)))
	a, _ := netip.AddrFromSlice(out)
	return a
}

// notEvaluated stands for a Terraform function whyk8s does not compute: its result is
// unknown, with the reason, and what does not depend on it is still read.
func notEvaluated(name string) function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowMarked: true, AllowDynamicType: true},
		Type:     function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return unknownBecause(name + "(): whyk8s does not evaluate this function"), nil
		},
	})
}

// terraformOnly are the functions of Terraform's language (1.x) that the library above may
// not compute; those it does are skipped when the library is built.
var terraformOnly = []string{
	"base64sha256", "base64sha512", "bcrypt", "cidrsubnets", "ephemeralasnull", "filebase64sha256",
	"filebase64sha512", "filemd5", "fileset", "filesha1", "filesha256", "filesha512", "issensitive",
	"matchkeys", "md5", "plantimestamp", "rsadecrypt", "sha1", "sha256", "sha512", "templatestring",
	"textdecodebase64", "textencodebase64", "timecmp", "transpose", "type", "urlencode", "uuidv5",
}

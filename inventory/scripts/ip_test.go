package scripts

import (
	"slices"
	"testing"
)

func TestFindIPs(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"private v4", "echo 10.20.30.40 db.internal >> /etc/hosts", []string{"10.20.30.40"}},
		{"v4 ending a sentence", "Point the app at 10.0.0.5.", []string{"10.0.0.5"}},
		{"v4 in a URL with port", "curl http://172.31.5.9:8080/health", []string{"172.31.5.9"}},
		{"v4 host route kept", "ip route add 10.1.2.3/32 via 10.1.0.1", []string{"10.1.2.3", "10.1.0.1"}},
		{"v4 network is not a host", "iptables -A INPUT -s 10.0.0.0/8 -j ACCEPT", nil},
		{"versions are not addresses", "pip install boto==1.2.3.4 && yum install pkg-10.1.1.2 && v1.2.3.4", nil},
		{"longer dotted token", "oid 1.3.6.1.4.1 and 10.0.0.5.1", nil},
		{"metadata and loopback", "curl 169.254.169.254/latest; ping 127.0.0.1; bind 0.0.0.0", nil},
		{"v6 compressed", "server 2a05:d018:1f2:c400::10 iburst", []string{"2a05:d018:1f2:c400::10"}},
		{"v6 full form", "DNS=2001:0db8:0000:0000:0000:ff00:0042:8329", []string{"2001:0db8:0000:0000:0000:ff00:0042:8329"}},
		{"v6 in brackets with port", "curl -g http://[fd12:3456:789a::25]:9200/_cluster/health", []string{"fd12:3456:789a::25"}},
		{"v6 ending a sentence", "Peer with fd12:3456:789a::1.", []string{"fd12:3456:789a::1"}},
		{"v6 host route kept, network not", "ip -6 route add fd12::7/128 via fd12::1; allow 2a05:d018::/32", []string{"fd12::7", "fd12::1"}},
		{"v6 platform addresses", "curl http://[fd00:ec2::254]/latest; ping6 ::1; listen [::]:80; fe80::1%eth0; ff02::1", nil},
		{"v4-mapped v6 counted once", "allow ::ffff:10.9.8.7", []string{"10.9.8.7"}},
		{"times, ports, MACs, Perl", "at 12:30:00 map 8080:80 mac 0a:1b:2c:3d:4e:5f use Abc::Def; Dead::Beef; std::string", nil},
		{"fingerprint", "43:51:43:a1:b5:fc:8b:b7:0a:2c:44:1d:3e:4f:50:61", nil},
		{"python slices", "hosts = line.split(' ')[1::] + parts[::2] + x[2::3]", nil},
		{"debian epoch", "apt-get install nginx=1:1.18.0-6", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, h := range findIPs(tt.text) {
				if tt.text[h.offset:h.offset+len(h.ip)] != h.ip {
					t.Errorf("offset %d does not point at %q", h.offset, h.ip)
				}
				got = append(got, h.ip)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findIPs(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

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
		{"v6 full form", "DNS=2a05:0d18:0000:0000:0000:ff00:0042:8329", []string{"2a05:0d18:0000:0000:0000:ff00:0042:8329"}},
		{"documentation ranges are examples", "server 192.0.2.10; peer 198.51.100.7; upstream 203.0.113.99; DNS=2001:db8::53, 2001:0db8:0:0:0:0:0:1", nil},
		{"next to documentation ranges is a host", "server 192.0.3.10 203.0.114.1", []string{"192.0.3.10", "203.0.114.1"}},
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

func TestScanIPsSkipsComments(t *testing.T) {
	tests := []struct {
		name, text string
		want       []int // lines of the addresses recorded
	}{
		{"comment lines in a config", "# old primary: 10.1.1.1\nserver 10.2.2.2\n; fallback 10.3.3.3\n<!-- 10.4.4.4 -->", []int{2}},
		{"a trailing comment", "nameserver 10.0.0.2 # was 10.0.0.3", []int{1}},
		{"REM in a batch file", "REM set DNS to 10.9.9.9\nnetsh interface ip set dns name=eth0 static 10.8.8.8", []int{2}},
		{"a share and an option are not comments", "//10.5.5.5/share\n--dns=10.6.6.6", []int{1, 2}},
		{"a fragment is not a comment", "curl http://10.7.7.7/#/status", []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &fileResult{}
			d := newDoc(res, "f", tt.text)
			d.scanIPs(tt.text, 1, false)
			var got []int
			for _, f := range res.script.Facts {
				got = append(got, f.Evidence.Line)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("scanIPs(%q) recorded on lines %v, want %v (facts %+v)", tt.text, got, tt.want, res.script.Facts)
			}
		})
	}
}

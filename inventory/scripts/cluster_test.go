package scripts

import "testing"

// TestClusterFacts: what joins a host to a cluster is read as a cluster-node fact, in
// whichever form the script writes it; a NAT rule keeps its table and target.
func TestClusterFacts(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"ECS cluster in ecs.config", "#!/bin/bash\necho \"ECS_CLUSTER=prod\" >> /etc/ecs/ecs.config\n",
			[]string{"2 cluster-node ecs node (ECS_CLUSTER)", "2 env-config ECS_CLUSTER"}},
		{"ECS config by heredoc", "#!/bin/bash\ncat <<'EOF' > /etc/ecs/ecs.config\nECS_ENABLE_TASK_IAM_ROLE=true\nECS_CLUSTER=${cluster}\nEOF\n",
			[]string{"4 cluster-node ecs node (ECS_CLUSTER)", "3 env-config ECS_ENABLE_TASK_IAM_ROLE"}},
		{"EKS bootstrap", "#!/bin/bash\n/etc/eks/bootstrap.sh my-cluster --kubelet-extra-args '--node-labels=a=b'\n",
			[]string{"2 cluster-node eks node (/etc/eks/bootstrap.sh)"}},
		{"nodeadm", "#!/bin/bash\nnodeadm init --config-source file:///etc/eks/nodeadm.yaml\n",
			[]string{"2 cluster-node eks node (nodeadm init)"}},
		{"kubeadm join", "kubeadm join 10.0.0.1:6443 --token abc --discovery-token-ca-cert-hash sha256:x\n",
			[]string{"1 cluster-node kubernetes node (kubeadm join)"}},
		{"kubeadm control plane", "kubeadm join lb:6443 --control-plane\n",
			[]string{"1 cluster-node kubernetes server (kubeadm join)"}},
		{"consul server flag", "consul agent -server -bootstrap-expect=3 -data-dir=/opt/consul\n",
			[]string{"1 cluster-node consul server (consul agent -server)"}},
		{"consul client", "consul agent -data-dir=/opt/consul -retry-join provider=aws\n",
			[]string{"1 cluster-node consul node (consul agent)"}},
		{"nomad server config", "cat > /etc/nomad.d/server.hcl <<'EOF'\nserver {\n  enabled = true\n  bootstrap_expect = 3\n}\nEOF\n",
			[]string{"4 cluster-node nomad server"}},
		{"consul server JSON config", "cat > /etc/consul.d/consul.json <<'EOF'\n{\n  \"server\": true,\n  \"datacenter\": \"dc1\"\n}\nEOF\n",
			[]string{"3 cluster-node consul server"}},
		{"vault server", "vault server -config=/etc/vault.d/vault.hcl\n",
			[]string{"1 cluster-node vault server (vault server)"}},
		{"swarm join", "docker swarm join --token x 10.0.0.2:2377\n",
			[]string{"1 cluster-node swarm node (docker swarm join)"}},
		// k3s and RKE2 are set up by their installers: an agent when told of a server.
		{"k3s agent by its installer", "curl -sfL https://get.k3s.io | K3S_URL=https://k3s.internal:6443 K3S_TOKEN=$TOKEN sh -\n",
			[]string{"1 cluster-node kubernetes node (k3s agent)"}},
		{"k3s server by its installer", "curl -sfL https://get.k3s.io | INSTALL_K3S_EXEC='server --cluster-init' sh -s -\n",
			[]string{"1 cluster-node kubernetes server (k3s server)"}},
		{"RKE2 agent by its installer", "curl -sfL https://get.rke2.io | INSTALL_RKE2_TYPE=\"agent\" sh -\n",
			[]string{"1 cluster-node kubernetes node (rke2 agent)"}},
		{"NAT masquerade", "sysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n",
			[]string{"2 host-firewall iptables -t nat -j MASQUERADE", "1 kernel-tuning net.ipv4.ip_forward"}},
		{"a filter rule keeps its plain form", "iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n",
			[]string{"1 host-firewall iptables"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := readShellFacts(t, tc.src)
			wantFacts(t, got, tc.want, false)
		})
	}
}

#!/usr/bin/env bash
# Base image for every Linux service. Runs at image build (Packer), not at boot.
set -euo pipefail

NODE_EXPORTER_VERSION=1.7.0
AGENT_PKGS="amazon-cloudwatch-agent chrony"

apt-get install -y $AGENT_PKGS

# node_exporter from the GitHub release, the way ops has always done it
curl -sSL -o /tmp/ne.tgz "https://github.com/prometheus/node_exporter/releases/download/v${NODE_EXPORTER_VERSION}/node_exporter-${NODE_EXPORTER_VERSION}.linux-amd64.tar.gz"
tar -xzf /tmp/ne.tgz -C /usr/local/bin --strip-components=1

cat > /etc/systemd/system/node_exporter.service <<'UNIT'
[Unit]
Description=Prometheus node exporter

[Service]
ExecStart=/usr/local/bin/node_exporter --collector.systemd
Restart=always

[Install]
WantedBy=multi-user.target
UNIT

systemctl daemon-reload
systemctl enable node_exporter amazon-cloudwatch-agent

# legacy NTP box, still needed by the payments gateway
echo "server 10.40.1.15 iburst" >> /etc/chrony/chrony.conf

#!/bin/bash
# reports box bootstrap
mkfs -t xfs /dev/sdf
mkdir -p /srv/reports
mount /dev/sdf /srv/reports
yum install -y postgresql-server
systemctl enable --now postgresql
echo "0 2 * * * root /opt/reports/run.sh" > /etc/cron.d/reports

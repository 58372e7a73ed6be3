#!/bin/bash
# rendered by terraform templatefile() — do not edit on the box
set -e
echo "APP_NAME=${app_name}" >> /etc/environment
echo "APP_PORT=${app_port}" >> /etc/environment
echo "DB_HOST=${db_host}" >> /etc/environment
echo "host: $${HOSTNAME}" > /etc/motd
systemctl restart ${app_name}

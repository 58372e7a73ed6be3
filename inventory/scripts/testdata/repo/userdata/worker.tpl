#!/bin/bash -xe
# Terraform templatefile() for the media worker ASG. Rendered into the launch template.
exec > >(tee /var/log/user-data.log) 2>&1

export AWS_DEFAULT_REGION=${region}
export MEDIA_BUCKET=${media_bucket}

yum update -y
amazon-linux-extras install -y docker
systemctl enable --now docker
usermod -aG docker ec2-user

# media library lives in S3; the app expects a POSIX path
yum install -y s3fs-fuse
mkdir -p /mnt/media
s3fs ${media_bucket} /mnt/media -o iam_role=auto,allow_other,use_cache=/tmp/s3fs

DD_API_KEY=fixtureddapikey0123456789abcdef01 DD_SITE="datadoghq.eu" bash -c "$(curl -L https://s3.amazonaws.com/dd-agent/scripts/install_script_agent7.sh)"

DB_URL=$(aws ssm get-parameter --name "/media/${env}/db-url" --with-decryption --query Parameter.Value --output text)
docker run -d --name worker --restart always \
  -e DB_URL="$DB_URL" -e MEDIA_ROOT=/media \
  -v /mnt/media:/media \
  ${ecr_repo}:${image_tag} worker

%{ if enable_debug ~}
echo "debug on" > /etc/media-debug
%{ endif ~}

/opt/provision/bootstrap.sh --role worker
ansible-pull -U https://git.corp.example.com/ops/provision.git -i localhost, ansible/batch.yml

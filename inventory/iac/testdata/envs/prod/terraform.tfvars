region             = "eu-west-1"
vpc_id             = "vpc-0123456789abcdef0"
public_subnet_ids  = ["subnet-0pub0000000000a01", "subnet-0pub0000000000b02"]
private_subnet_ids = ["subnet-0prv0000000000a01", "subnet-0prv0000000000b02", "subnet-0prv0000000000c03"]
certificate_arn    = "arn:aws:acm:eu-west-1:111122223333:certificate/5f0c1d2e-0000-4000-8000-000000000000"
enable_reports     = true

#!/usr/bin/env python3
"""Reference presigned URLs from botocore's generate_presigned_url.

Reads one case a line on stdin, tab-separated:
    ENDPOINT_URL REGION BUCKET METHOD EXPIRES AT KEY
(ENDPOINT_URL "-" for Amazon S3; AT as YYYYMMDDTHHMMSSZ) and prints one URL
a line.  The keys come from $REF_ACCESS_KEY and $REF_SECRET_KEY.
Exits 77 when botocore is missing.
"""
import datetime
import os
import sys
from unittest import mock

try:
    import botocore.auth
    import botocore.session
    from botocore.config import Config
except ImportError:
    sys.exit(77)

OPS = {"GET": "get_object", "PUT": "put_object"}


def presign(endpoint, region, bucket, method, expires, at, key):
    session = botocore.session.get_session()
    client = session.create_client(
        "s3", region_name=region,
        endpoint_url=None if endpoint == "-" else endpoint,
        aws_access_key_id=os.environ["REF_ACCESS_KEY"],
        aws_secret_access_key=os.environ["REF_SECRET_KEY"],
        config=Config(signature_version="s3v4",
                      s3={"addressing_style": "path"}))
    when = datetime.datetime.strptime(at, "%Y%m%dT%H%M%SZ")
    # Newer botocore reads the clock through get_current_datetime, older
    # through datetime.datetime.utcnow.
    if hasattr(botocore.auth, "get_current_datetime"):
        patch = mock.patch.object(botocore.auth, "get_current_datetime",
                                  return_value=when)
    else:
        patch = mock.patch.object(botocore.auth, "datetime")
    with patch as clock:
        if not hasattr(botocore.auth, "get_current_datetime"):
            clock.datetime.utcnow.return_value = when
            clock.datetime.strptime = datetime.datetime.strptime
        return client.generate_presigned_url(
            OPS[method], Params={"Bucket": bucket, "Key": key},
            ExpiresIn=int(expires))


def main():
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line:
            continue
        endpoint, region, bucket, method, expires, at, key = \
            line.split("\t", 6)
        print(presign(endpoint, region, bucket, method, expires, at, key))


if __name__ == "__main__":
    main()

"""boto3 against a running openpersonalize: argv[1] is the endpoint URL.

Exits non-zero (with the reason on stderr) on the first thing that is not as Amazon Personalize
would answer it; prints a JSON summary on success.
"""
import json
import sys
import time
import uuid

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
client = boto3.client(
    "personalize", endpoint_url=endpoint, region_name="eu-central-1",
    aws_access_key_id="123456789012", aws_secret_access_key="secret",
)
suffix = uuid.uuid4().hex[:8]
schema = json.dumps({
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema", "version": "1.0",
    "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}],
})


def expect_error(code, fn, **kwargs):
    try:
        fn(**kwargs)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {e}"
        return e.response["Error"]["Message"]
    raise AssertionError(f"expected {code}, the call succeeded")


schema_arn = client.create_schema(name=f"boto-{suffix}", schema=schema)["schemaArn"]
assert schema_arn == f"arn:aws:personalize:eu-central-1:123456789012:schema/boto-{suffix}", schema_arn
described = client.describe_schema(schemaArn=schema_arn)["schema"]
assert described["schema"] == schema
assert abs(described["creationDateTime"].timestamp() - time.time()) < 60, described["creationDateTime"]

group_arn = client.create_dataset_group(name=f"boto-{suffix}", tags=[{"tagKey": "k", "tagValue": "v"}])["datasetGroupArn"]
for _ in range(200):
    status = client.describe_dataset_group(datasetGroupArn=group_arn)["datasetGroup"]["status"]
    if status == "ACTIVE":
        break
    time.sleep(0.05)
assert status == "ACTIVE", status
dataset_arn = client.create_dataset(name=f"boto-{suffix}", schemaArn=schema_arn, datasetGroupArn=group_arn, datasetType="Interactions")["datasetArn"]
assert dataset_arn.endswith(f":dataset/boto-{suffix}/INTERACTIONS"), dataset_arn
assert client.list_tags_for_resource(resourceArn=group_arn)["tags"] == [{"tagKey": "k", "tagValue": "v"}]

for i in range(7):
    client.create_schema(name=f"boto-{suffix}-{i}", schema=schema)
names = [s["name"] for page in client.get_paginator("list_schemas").paginate(PaginationConfig={"PageSize": 3}) for s in page["schemas"]]
assert len(names) == 8 and len(set(names)) == 8, names

expect_error("ResourceAlreadyExistsException", client.create_schema, name=f"boto-{suffix}", schema=schema)
expect_error("ResourceNotFoundException", client.describe_dataset, datasetArn=dataset_arn + "X")
expect_error("ResourceInUseException", client.delete_schema, schemaArn=schema_arn)
message = expect_error("InvalidInputException", client.create_schema, name=f"bad-{suffix}", schema="{}")
print(json.dumps({"ok": True, "schemas": len(names), "invalidInputMessage": message}))

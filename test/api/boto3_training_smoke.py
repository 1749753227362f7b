"""boto3 against a running openpersonalize: the getting-started notebook's training calls, as written.

argv[1] is the endpoint URL, argv[2] an s3:// location holding an Interactions CSV
(USER_ID,ITEM_ID,TIMESTAMP). The calls are those of amazon-personalize-samples'
getting_started/notebooks/1.Building_Your_First_Campaign.ipynb: the solution version is created
right after the solution, then polled until ACTIVE, then its metrics are read. Exits non-zero (with
the reason on stderr) on the first thing that is not as Amazon Personalize would answer it; prints
a JSON summary on success.
"""
import json
import sys
import time
import uuid

import boto3
from botocore.exceptions import ClientError

endpoint, data_location = sys.argv[1], sys.argv[2]
personalize = boto3.client(
    "personalize", endpoint_url=endpoint, region_name="us-east-1",
    aws_access_key_id="AKIDNOTEBOOK", aws_secret_access_key="secret",
)
suffix = uuid.uuid4().hex[:8]


def wait(what, read, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = read()
        if status in ("ACTIVE", "CREATE FAILED"):
            return status
        time.sleep(0.1)
    raise AssertionError(f"{what} did not end: {status}")


schema = {
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
    "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}],
    "version": "1.0",
}
schema_arn = personalize.create_schema(name=f"personalize-demo-schema-{suffix}", schema=json.dumps(schema))["schemaArn"]
dataset_group_arn = personalize.create_dataset_group(name=f"personalize-demo-{suffix}")["datasetGroupArn"]
wait("dataset group", lambda: personalize.describe_dataset_group(datasetGroupArn=dataset_group_arn)["datasetGroup"]["status"])
dataset_arn = personalize.create_dataset(
    name=f"personalize-demo-interactions-{suffix}", schemaArn=schema_arn, datasetGroupArn=dataset_group_arn, datasetType="Interactions",
)["datasetArn"]
wait("dataset", lambda: personalize.describe_dataset(datasetArn=dataset_arn)["dataset"]["status"])
dataset_import_job_arn = personalize.create_dataset_import_job(
    jobName=f"personalize-demo-import-{suffix}", datasetArn=dataset_arn,
    dataSource={"dataLocation": data_location}, roleArn="arn:aws:iam::000000000000:role/PersonalizeRole",
)["datasetImportJobArn"]
status = wait("import", lambda: personalize.describe_dataset_import_job(datasetImportJobArn=dataset_import_job_arn)["datasetImportJob"]["status"])
assert status == "ACTIVE", status

# Create Solution / Create Solution Version, back to back as in the notebook.
recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization"
create_solution_response = personalize.create_solution(
    name=f"personalize-demo-soln-user-personalization-{suffix}",
    datasetGroupArn=dataset_group_arn,
    recipeArn=recipe_arn,
)
solution_arn = create_solution_response["solutionArn"]
create_solution_version_response = personalize.create_solution_version(solutionArn=solution_arn)
solution_version_arn = create_solution_version_response["solutionVersionArn"]
assert solution_version_arn.startswith(solution_arn + "/"), solution_version_arn

# Wait for Solution Version to Have ACTIVE Status
statuses = []
max_time = time.time() + 120
while time.time() < max_time:
    describe_solution_version_response = personalize.describe_solution_version(solutionVersionArn=solution_version_arn)
    status = describe_solution_version_response["solutionVersion"]["status"]
    if not statuses or statuses[-1] != status:
        statuses.append(status)
    if status == "ACTIVE" or status == "CREATE FAILED":
        break
    time.sleep(0.1)
version = describe_solution_version_response["solutionVersion"]
assert status == "ACTIVE", f"{status}: {version.get('failureReason')}"
assert version["recipeArn"] == recipe_arn and version["trainingMode"] == "FULL", version
assert version["trainingHours"] > 0, version

# Get Metrics of Solution Version
get_solution_metrics_response = personalize.get_solution_metrics(solutionVersionArn=solution_version_arn)
metrics = get_solution_metrics_response["metrics"]
assert get_solution_metrics_response["solutionVersionArn"] == solution_version_arn
print(json.dumps(get_solution_metrics_response, indent=2), file=sys.stderr)

solution = personalize.describe_solution(solutionArn=solution_arn)["solution"]
assert solution["status"] == "ACTIVE" and solution["latestSolutionVersion"]["solutionVersionArn"] == solution_version_arn, solution
listed = personalize.list_solution_versions(solutionArn=solution_arn)["solutionVersions"]
assert [v["solutionVersionArn"] for v in listed] == [solution_version_arn], listed

# Errors come back with their codes.
try:
    personalize.get_solution_metrics(solutionVersionArn=solution_arn + "/00000000")
    raise AssertionError("expected ResourceNotFoundException")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ResourceNotFoundException", e.response

print(json.dumps({"ok": True, "statuses": statuses, "metrics": metrics}))

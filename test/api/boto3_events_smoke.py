"""boto3 personalize-events against a running openpersonalize: argv[1] is the endpoint URL.

Creates what PutEvents/PutUsers need with the control-plane client, then checks that both
calls succeed and that errors carry the model's codes and status (rest-json).
"""
import json
import sys
import time
import uuid

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="AKIDPY", aws_secret_access_key="s")
control = boto3.client("personalize", **kw)
events = boto3.client("personalize-events", **kw)
suffix = uuid.uuid4().hex[:8]


def wait_active(describe, key):
    for _ in range(400):
        if describe()[key]["status"] == "ACTIVE":
            return
        time.sleep(0.025)
    raise AssertionError(f"{key} never ACTIVE")


def schema(name, fields):
    return json.dumps({"type": "record", "name": name, "namespace": "com.amazonaws.personalize.schema", "version": "1.0", "fields": fields})


group = control.create_dataset_group(name=f"py-{suffix}")["datasetGroupArn"]
wait_active(lambda: control.describe_dataset_group(datasetGroupArn=group), "datasetGroup")
for dtype, fields in [
    ("Interactions", [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}]),
    ("Users", [{"name": "USER_ID", "type": "string"}, {"name": "AGE", "type": ["null", "int"]}]),
]:
    arn = control.create_schema(name=f"py-{dtype}-{suffix}", schema=schema(dtype, fields))["schemaArn"]
    ds = control.create_dataset(name=f"py-{dtype}-{suffix}", schemaArn=arn, datasetGroupArn=group, datasetType=dtype)["datasetArn"]
    wait_active(lambda: control.describe_dataset(datasetArn=ds), "dataset")
tracker = control.create_event_tracker(name=f"py-{suffix}", datasetGroupArn=group)
wait_active(lambda: control.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"]), "eventTracker")

r = events.put_events(trackingId=tracker["trackingId"], userId="u1", sessionId="s1",
                      eventList=[{"eventType": "click", "itemId": "i1", "sentAt": time.time()}])
assert r["ResponseMetadata"]["HTTPStatusCode"] == 200, r
# The getting-started notebook 2's cell, as written: the item only in properties.
session_dict = {}
def send_movie_click(USER_ID, ITEM_ID, EVENT_TYPE):
    if USER_ID not in session_dict:
        session_dict[USER_ID] = str(uuid.uuid1())
    session_ID = session_dict[USER_ID]
    event = {"itemId": str(ITEM_ID)}
    event_json = json.dumps(event)
    events.put_events(
        trackingId=tracker["trackingId"],
        userId=str(USER_ID),
        sessionId=session_ID,
        eventList=[{"sentAt": int(time.time()), "eventType": str(EVENT_TYPE), "properties": event_json}],
    )
send_movie_click(USER_ID="7", ITEM_ID="270", EVENT_TYPE="Watch")
r = events.put_users(datasetArn=ds, users=[{"userId": "u1", "properties": json.dumps({"age": 30})}])
assert r["ResponseMetadata"]["HTTPStatusCode"] == 200, r

try:
    events.put_users(datasetArn=ds + "X", users=[{"userId": "u2"}])
    raise AssertionError("an unknown dataset was accepted")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ResourceNotFoundException", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404, e.response
try:
    events.put_users(datasetArn=ds, users=[{"userId": "u3", "properties": json.dumps({"age": "old"})}])
    raise AssertionError("a bad value was accepted")
except ClientError as e:
    assert e.response["Error"]["Code"] == "InvalidInputException", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response
    message = e.response["Error"]["Message"]
print(json.dumps({"ok": True, "badValueMessage": message}))

"""AWS's notebook next_steps/core_use_cases/user_personalization/user-personalization-with-exploration.ipynb
(aws-samples/amazon-personalize-samples) against a running openpersonalize: its cells that touch
Personalize, as written — an Interactions dataset with an IMPRESSION column and an Items dataset
with a categorical GENRES and a CREATION_TIMESTAMP, aws-user-personalization trained and deployed
in a campaign with campaignConfig itemExplorationConfig {explorationWeight "0.9",
explorationItemAgeCutOff "7"}, GetRecommendations for user '101', an event tracker, PutEvents with
the recommendationId and impression of that answer and then clicks on ten new items '240'-'249', a
solution version with trainingMode UPDATE deployed by UpdateCampaign, recommendations again, an
UpdateCampaign to explorationWeight "0.1", recommendations again, and the clean-up cell.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Exits non-zero with the reason on stderr; prints a JSON summary on stdout.

The notebook downloads interactions-sample.csv and items-with-creation-timestamp-sample.csv from
a public bucket; here files of that shape are generated (seeded): interaction_raw.csv with
EVENT_TYPE, IMPRESSION (the items shown, '|'-joined, the clicked one among them), ITEM_ID,
TIMESTAMP, USER_ID for 300 users '1'-'300'; items_raw.csv with ITEM_ID, GENRES, CREATION_TIMESTAMP
(see below) for 220 items created months before the newest interaction, 20 young items '220'-'239'
created 1-6 days before it with a few interactions each, and 10 cold items '250'-'259' created in
its last 3 days with no interactions at all (openpersonalize explores only the items of a deployed
version's model, those with interactions, until an automatic update: they appear in no list, and
the test asserts nothing of them). Items '240'-'249', the notebook's "new" items, first appear in
its PutEvents cell. Timestamps are epoch
seconds ending on 2020-09-01 (the notebook's prose says milliseconds; its shift cell treats them as
seconds). pandas steps are done with the csv module, the pandas line quoted above each.

Changed from the notebook, and only these: the first cell's empty accessKeyId / secretAccessKey /
region_name are filled from the environment; endpoint_url= in each .client(); s3_client is not made:
its download_file calls become the generation of the files, create_bucket and upload_file become a
folder of the local store (the test's bucket, for s3_bucket_name) and a copy; no S3 bucket policy
and no IAM role (the role ARN is a constant); the sleeps (0.2 s instead of 20 s and 60 s, 0.5 s for
the 20 s before the import jobs and 0.5 s where a person runs the next cell, after the event tracker
and after the PutEvents cells); the data size (a few hundred users and items). Kept as written:
the Items file's header is the download's, `ITEM_ID,genres,creation_timestamp` (the notebook's
shift cell reads creation_timestamp), imported into the schema's GENRES and CREATION_TIMESTAMP;
the second PutEvents cell's ten clicks without an impression, put into the non-nullable
IMPRESSION; the upload cell sends the raw files (interaction_raw.csv, items_raw.csv), not the shifted interaction.csv
and items.csv the cell before it writes; 'solution_version_after_update:' prints the first version's
ARN.

Added for the test, outside the notebook's cells: at each stage (the first campaign, after the
UPDATE version, after explorationWeight "0.1") DescribeCampaign and GetRecommendations for 40 users
besides '101'; after the notebook's last recommendation cell and before its clean-up, two more
UpdateCampaign calls, to explorationWeight "0" (age cut-off "7") and then to "0.9" with age cut-off
"3650", each followed by the same reads; the listings after the clean-up.
"""
import csv
import json
import os
import random
import shutil
import sys
import time
from datetime import datetime

import boto3
import numpy as np
from botocore.exceptions import ClientError

from boto3_notebook_data import GENRES, fail, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)

accessKeyId = os.environ["AWS_ACCESS_KEY_ID"]
secretAccessKey = os.environ["AWS_SECRET_ACCESS_KEY"]
region_name = os.environ["AWS_DEFAULT_REGION"]

suffix = str(np.random.uniform())[4:9]
prefix = 'user-personalization-'
print('prefix+suffix:{}{}'.format(prefix, suffix))
s3_bucket_name = bucket_dir_name    # (prefix + suffix).lower(): the bucket the test made
interaction_schema_name = prefix + 'interaction-'  + suffix
item_metadata_schema_name = prefix + 'items-'  + suffix
dataset_group_name = prefix + suffix
interaction_dataset_name = prefix + 'interactions-' + suffix
item_metadata_dataset_name = prefix + 'items-' + suffix
event_tracker_name = prefix + suffix
solution_name = prefix + suffix
event_tracker_name = prefix + suffix
campaign_name = prefix + suffix

# ---- 1. Client setup --------------------------------------------------------------------------------
personalize_s3_bucket = "personalize-cli-json-models"
# s3_client = boto3.Session(...).client('s3'): no S3 here, see the docstring.

personalize = boto3.Session(aws_access_key_id=accessKeyId,
                           aws_secret_access_key=secretAccessKey, region_name=region_name).client('personalize', endpoint_url=endpoint)
personalize_runtime = boto3.Session(aws_access_key_id=accessKeyId,
                           aws_secret_access_key=secretAccessKey, region_name=region_name).client('personalize-runtime', endpoint_url=endpoint)
personalize_events = boto3.Session(aws_access_key_id=accessKeyId,
                           aws_secret_access_key=secretAccessKey, region_name=region_name).client('personalize-events', endpoint_url=endpoint)

# ---- Sample datasets: generated in the download's shape ---------------------------------------------
interaction_dataset_key = "sample-dataset/interactions-sample.csv"
items_dataset_key = "sample-dataset/items-with-creation-timestamp-sample.csv"
interactions_file = os.getcwd() + "/interaction_raw.csv"
items_metadata_file = os.getcwd() + "/items_raw.csv"
# s3_client.download_file(personalize_s3_bucket, interaction_dataset_key, interactions_file)
# s3_client.download_file(personalize_s3_bucket, items_dataset_key, items_metadata_file)
DAY = 24 * 60 * 60
# The download's header names the columns genres and creation_timestamp (the notebook's cells read them so).
ITEMS_GENRES, ITEMS_CREATION_TIMESTAMP = "genres", "creation_timestamp"
T_END = 1598918400              # 2020-09-01 00:00 UTC, the newest interaction of the "download"
rnd = random.Random(20200901)
OLD = [str(i) for i in range(220)]
YOUNG = [str(i) for i in range(220, 240)]
COLD = [str(i) for i in range(250, 260)]
created = {i: T_END - rnd.randrange(60 * DAY, 700 * DAY) for i in OLD}
created.update({i: T_END - rnd.randrange(1 * DAY, 6 * DAY) for i in YOUNG})
created.update({i: T_END - rnd.randrange(0, 3 * DAY) for i in COLD})
genres = {i: "|".join(sorted(rnd.sample(GENRES, 1 + int(i) % 2))) for i in created}
by_genre = {g: [i for i in OLD if g in genres[i].split("|")] for g in GENRES}
events = []
for u in range(1, 301):
    liked = rnd.sample(GENRES, 2)
    pool = by_genre[liked[0]] + by_genre[liked[1]]
    t = T_END - rnd.randrange(30 * DAY, 120 * DAY)
    for item in rnd.sample(pool, min(len(pool), rnd.randrange(8, 20))):
        t = min(T_END - 7 * DAY, t + rnd.randrange(600, 3 * DAY))
        events.append((str(u), item, t))
for item in YOUNG:          # a few interactions each, after the item was created
    for u in rnd.sample(range(1, 301), rnd.randrange(1, 4)):
        events.append((str(u), item, rnd.randrange(created[item] + 60, T_END)))
events.append(("1", OLD[0], T_END))
with open(interactions_file, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["EVENT_TYPE", "IMPRESSION", "ITEM_ID", "TIMESTAMP", "USER_ID"])
    for user, item, t in sorted(events, key=lambda e: e[2]):
        shown = rnd.sample([i for i in OLD if i != item], 4) + [item]
        rnd.shuffle(shown)
        w.writerow(["click", "|".join(shown), item, t, user])
with open(items_metadata_file, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["ITEM_ID", ITEMS_GENRES, ITEMS_CREATION_TIMESTAMP])
    for item in sorted(created, key=int):
        w.writerow([item, genres[item], created[item]])

# interactions_df = pd.read_csv(interactions_file); items_df = pd.read_csv(items_metadata_file)
with open(interactions_file, newline="") as f:
    interactions_df = list(csv.DictReader(f))
with open(items_metadata_file, newline="") as f:
    items_df = list(csv.DictReader(f))
print(interactions_df[:2])      # interactions_df.head(2)
print(items_df[:2])             # items_df.head(2)

# ---- Update the timestamp ---------------------------------------------------------------------------
current_time = int(time.time())
one_hour_ago = current_time - 8 * 24 * 60 * 60
# interactions_df = interactions_df.astype({"TIMESTAMP": 'int64'}); latest_time_in_csv = interactions_df["TIMESTAMP"].max()
for r in interactions_df:
    r["TIMESTAMP"] = int(r["TIMESTAMP"])
latest_time_in_csv = max(r["TIMESTAMP"] for r in interactions_df)
delta = one_hour_ago - latest_time_in_csv

# interactions_df.TIMESTAMP = interactions_df.TIMESTAMP + delta; interactions_df.to_csv(os.getcwd() + "/interaction.csv", index = False)
for r in interactions_df:
    r["TIMESTAMP"] += delta
with open(os.getcwd() + "/interaction.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(interactions_df[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(interactions_df)
# items_df = items_df.astype({"creation_timestamp": 'int64'}); items_df.creation_timestamp = items_df.creation_timestamp + delta
for r in items_df:
    r[ITEMS_CREATION_TIMESTAMP] = int(r[ITEMS_CREATION_TIMESTAMP]) + delta
with open(os.getcwd() + "/items.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(items_df[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(items_df)
print(interactions_df[:2])
print(items_df[:2])

# ---- 2. a. Create DatasetGroup ----------------------------------------------------------------------
create_dataset_group_response = personalize.create_dataset_group(
    name = dataset_group_name
)
dataset_group_arn = create_dataset_group_response['datasetGroupArn']

print('dataset_group_arn : {}'.format(dataset_group_arn))

status = None
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_dataset_group_response = personalize.describe_dataset_group(
        datasetGroupArn = dataset_group_arn
    )
    status = describe_dataset_group_response["datasetGroup"]["status"]
    print("DatasetGroup: {}".format(status))

    if status == "ACTIVE" or status == "CREATE FAILED":
        break

    time.sleep(0.2)
dataset_group_status = status

# ---- b. Create Dataset Schemas ----------------------------------------------------------------------
interaction_schema = {
    "type": "record",
    "name": "Interactions",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "EVENT_TYPE",
            "type": "string"
        },
        {
            "name": "IMPRESSION",
            "type": "string"
        },
        {
            "name": "ITEM_ID",
            "type": "string"
        },
        {
            "name": "TIMESTAMP",
            "type": "long"
        },
        {
            "name": "USER_ID",
            "type": "string"
        },
    ],
    "version": "1.0"
}

interaction_schema_response = personalize.create_schema(
    name = interaction_schema_name,
    schema = json.dumps(interaction_schema)
)
interaction_schema_arn = interaction_schema_response['schemaArn']
print('interaction_schema_arn:\n', interaction_schema_arn)

item_metadata_schema = {
    "type": "record",
    "name": "Items",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
    {
        "name": "ITEM_ID",
        "type": "string"
    },
    {
        "name": "GENRES",
        "type": "string",
        "categorical": True
    },
    {
        "name": "CREATION_TIMESTAMP",
        "type": "long"
    }
    ],
    "version": "1.0"
}

item_metadata_schema_response = personalize.create_schema(
    name = item_metadata_schema_name,
    schema = json.dumps(item_metadata_schema)
)

item_metadata_schema_arn = item_metadata_schema_response['schemaArn']
print('item_metadata_schema_arn:\n', item_metadata_schema_arn)

# ---- c. create Datasets -----------------------------------------------------------------------------
interactions_dataset_response = personalize.create_dataset(
    datasetType = 'INTERACTIONS',
    datasetGroupArn = dataset_group_arn,
    schemaArn = interaction_schema_arn,
    name = interaction_dataset_name
)
interaction_dataset_arn = interactions_dataset_response['datasetArn']
print('interaction_dataset_arn:\n', interaction_dataset_arn)

items_dataset_response = personalize.create_dataset(
    datasetType = 'ITEMS',
    datasetGroupArn = dataset_group_arn,
    schemaArn = item_metadata_schema_arn,
    name = item_metadata_dataset_name
)
item_metadata_dataset_arn = items_dataset_response['datasetArn']
print('item_metadata_dataset_arn:\n', item_metadata_dataset_arn)

# ---- d.-f. The bucket, its policy and the IAM role --------------------------------------------------
print(s3_bucket_name)
# s3_client.create_bucket(Bucket=s3_bucket_name, ...): the test made the bucket's folder.
# s3_client.upload_file(Filename=interactions_file, Bucket=s3_bucket_name, Key="interaction.csv")
shutil.copy(interactions_file, os.path.join(bucket_dir, "interaction.csv"))
# s3_client.upload_file(Filename=items_metadata_file, Bucket=s3_bucket_name, Key="items.csv")
shutil.copy(items_metadata_file, os.path.join(bucket_dir, "items.csv"))
# s3_client.put_bucket_policy(...) and iam.create_role / attach_role_policy: not made here.
role_name = "PersonalizeS3Role-" + suffix
role_arn = "arn:aws:iam::000000000000:role/" + role_name
print('role_arn:', role_arn)

# ---- g. Create DatasetImportJobs --------------------------------------------------------------------
time.sleep(0.5) # wait for RoleARN completion
interactions_dij_response = personalize.create_dataset_import_job(
    jobName =  prefix + 'interactions-dij-' + suffix,
    datasetArn = interaction_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(s3_bucket_name, 'interaction.csv')
    },
    roleArn = role_arn
)

interactions_dij_arn = interactions_dij_response['datasetImportJobArn']
print('interactions_dij_arn: ', interactions_dij_arn)

items_dij_response = personalize.create_dataset_import_job(
    jobName =  prefix + 'items-dij-' + suffix,
    datasetArn = item_metadata_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(s3_bucket_name, 'items.csv')
    },
    roleArn = role_arn
)

items_dij_arn = items_dij_response['datasetImportJobArn']
print('items_dij_arn:', items_dij_arn)

dataset_job_arns = [interactions_dij_arn, items_dij_arn]
import_statuses = {}

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time and len(dataset_job_arns) != 0:
    time.sleep(0.2)
    for dij_arn in dataset_job_arns:
        describe_dataset_import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn = dij_arn
        )
        dataset_import_job = describe_dataset_import_job_response["datasetImportJob"]
        status = None
        if "latestDatasetImportJobRun" not in dataset_import_job:
            status = dataset_import_job["status"]
            print("{} : {}".format(dij_arn, status))
        else:
            status = dataset_import_job["latestDatasetImportJobRun"]["status"]
            print("DIJ_ARN: {}, LatestDatasetImportJobRun: {}".format(dij_arn, status))

        if status == "ACTIVE" or status == "CREATE FAILED":
            dataset_job_arns.remove(dij_arn)
            import_statuses[dij_arn] = (status, dataset_import_job.get("failureReason"))
for arn, (s, reason) in import_statuses.items():
    if s != "ACTIVE":
        fail(f"import {arn}: {s} {reason}")

# ---- 3. Create Solution, SolutionVersion ------------------------------------------------------------
recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization"
max_time = time.time() + 3*60*60 # 3 hours
create_solution_response = None
while time.time() < max_time:

    try:
        create_solution_response = personalize.create_solution(name=solution_name,
                                    recipeArn= recipe_arn,
                                    datasetGroupArn = dataset_group_arn)

        solution_arn = create_solution_response['solutionArn']
        print('solution_arn: ', solution_arn)
        break;
    except personalize.exceptions.ClientError as e:
        if 'EVENT_INTERACTIONS' not in str(e):
            print(json.dumps(create_solution_response, indent=2))
            print(e)
            break

create_solution_version_response = personalize.create_solution_version(solutionArn = solution_arn)

solution_version_arn = create_solution_version_response['solutionVersionArn']
print('solution_version_arn:', solution_version_arn)

status = None
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_solution_version_response = personalize.describe_solution_version(
        solutionVersionArn = solution_version_arn
    )
    status = describe_solution_version_response["solutionVersion"]["status"]
    print("SolutionVersion: {}".format(status))

    if status == "ACTIVE" or status == "CREATE FAILED":
        break

    time.sleep(0.2)
full_version = describe_solution_version_response["solutionVersion"]
if status != "ACTIVE":
    fail(f"solution version: {status} {full_version.get('failureReason')}")

# ---- 4. Create a campaign ---------------------------------------------------------------------------
create_campaign_response = personalize.create_campaign(
    name = prefix + suffix,
    solutionVersionArn = solution_version_arn,
    minProvisionedTPS = 1,
    campaignConfig = {
        "itemExplorationConfig": {
            "explorationWeight": "0.9",
            "explorationItemAgeCutOff": "7"
        }
    }
)

campaign_arn = create_campaign_response['campaignArn']
print('campaign_arn:', campaign_arn)

status = None
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_campaign_response = personalize.describe_campaign(
        campaignArn = campaign_arn
    )
    status = describe_campaign_response["campaign"]["status"]
    print("Campaign: {}".format(status))

    if status == "ACTIVE" or status == "CREATE FAILED":
        break

    time.sleep(0.2)

describe_campaign_response = personalize.describe_campaign(campaignArn = campaign_arn)
campaign_summary = describe_campaign_response["campaign"]
print(campaign_summary)

# Added: the same reads at each stage (see the docstring).
SAMPLE_USERS = [str(u) for u in range(1, 301, 7) if u != 101][:40]
stages = {}


def stage(name):
    c = personalize.describe_campaign(campaignArn = campaign_arn)["campaign"]
    lists = {u: [i['itemId'] for i in personalize_runtime.get_recommendations(campaignArn = campaign_arn, userId = u)['itemList']]
             for u in SAMPLE_USERS}
    stages[name] = {"campaignConfig": c.get("campaignConfig"), "solutionVersionArn": c["solutionVersionArn"],
                    "status": c["status"], "lists": lists}


stage("full-0.9")

# ---- 5. Call GetRecommendations ---------------------------------------------------------------------
rec_response = personalize_runtime.get_recommendations(campaignArn = campaign_arn, userId = '101')
print(rec_response['recommendationId'])
print(rec_response['itemList'])
first_recommendations = rec_response

# ---- 6. Create Event Tracker ------------------------------------------------------------------------
even_tracker_response = personalize.create_event_tracker(
    name=event_tracker_name,
    datasetGroupArn=dataset_group_arn
)
event_tracker_arn  = even_tracker_response['eventTrackerArn']
event_tracking_id = even_tracker_response['trackingId']
print('eventTrackerArn:{},\n eventTrackingId:{}'.format(event_tracker_arn, event_tracking_id))
time.sleep(0.5)
tracker = personalize.describe_event_tracker(eventTrackerArn=event_tracker_arn)['eventTracker']

# ---- 7. PutEvents: the recommendation as impressions, then clicks on new items ----------------------
put_impression_response = personalize_events.put_events(
     trackingId = event_tracking_id,
     userId= '101',
     sessionId = '1',
     eventList = [{
     'sentAt': datetime.now().timestamp(),
     'eventType' : 'click',
     'itemId' : rec_response['itemList'][0]['itemId'],
     'recommendationId': rec_response['recommendationId'],
     'impression': [item['itemId'] for item in rec_response['itemList']],
     }]
    )

put_new_items_response = personalize_events.put_events(
     trackingId = event_tracking_id,
     userId= '101',
     sessionId = '1',
     eventList = [{
         'sentAt': datetime.now().timestamp(),
         'eventType' : 'click',
         'itemId' : '240',
     },
     {
         'sentAt': datetime.now().timestamp(),
         'eventType' : 'click',
         'itemId' : '241',
     },
     {
         'sentAt': datetime.now().timestamp(),
         'eventType' : 'click',
         'itemId' : '242',
     },
     {
         'sentAt': datetime.now().timestamp(),
         'eventType' : 'click',
         'itemId' : '243',
     },
     {
         'sentAt': datetime.now().timestamp(),
         'eventType' : 'click',
         'itemId' : '244',
     },
     {
         'sentAt': datetime.now().timestamp(),
         'eventType' : 'click',
         'itemId' : '245',
     },
     {
         'sentAt': datetime.now().timestamp(),
         'eventType' : 'click',
         'itemId' : '246',
     },
     {
         'sentAt': datetime.now().timestamp(),
         'eventType' : 'click',
         'itemId' : '247',
     },
     {
         'sentAt': datetime.now().timestamp(),
         'eventType' : 'click',
         'itemId' : '248',
     },
     {
         'sentAt': datetime.now().timestamp(),
         'eventType' : 'click',
         'itemId' : '249',
     }]
    )
time.sleep(0.5)

# ---- 8. Create new SolutionVersion with updateMode --------------------------------------------------
create_solution_version_response = personalize.create_solution_version(solutionArn = solution_arn, trainingMode = "UPDATE")

solution_version_after_update = create_solution_version_response['solutionVersionArn']
print('solution_version_after_update:', solution_version_arn)

status = None
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_solution_version_response = personalize.describe_solution_version(
        solutionVersionArn = solution_version_after_update
    )
    status = describe_solution_version_response["solutionVersion"]["status"]
    print("SolutionVersion: {}".format(status))

    if status == "ACTIVE" or status == "CREATE FAILED":
        break

    time.sleep(0.2)
update_version = describe_solution_version_response["solutionVersion"]
if status != "ACTIVE":
    fail(f"UPDATE solution version: {status} {update_version.get('failureReason')}")

# ---- 9. Update Campaign -----------------------------------------------------------------------------
campaign_arn_response = personalize.update_campaign(campaignArn=campaign_arn, solutionVersionArn=solution_version_after_update)
print('campaign_arn_response: ', campaign_arn_response)

# Wait for campaign update to reflect the new solution-version
solutionVersionArn = None
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_campaign_response = personalize.describe_campaign(
        campaignArn = campaign_arn
    )
    solutionVersionArn = describe_campaign_response["campaign"]["solutionVersionArn"]
    print("Campaign solution version: {}".format(solutionVersionArn))

    if solutionVersionArn == solution_version_after_update:
        break

    time.sleep(0.2)

# wait 1 minutes
time.sleep(0.2)

desc_campaign_response = personalize.describe_campaign(campaignArn = campaign_arn)['campaign']["solutionVersionArn"]
print(desc_campaign_response)

rec_response = personalize_runtime.get_recommendations(campaignArn = campaign_arn, userId = '101')
print(rec_response['itemList'])
after_update_recommendations = rec_response
stage("update-0.9")

# ---- Update campaign with different explorationWeight -----------------------------------------------
desc_campaign_response = personalize.describe_campaign(campaignArn = campaign_arn)['campaign']
print(desc_campaign_response)

campaign_arn_response = personalize.update_campaign(campaignArn=campaign_arn, campaignConfig = {
        "itemExplorationConfig": {
            "explorationWeight": "0.1",
            "explorationItemAgeCutOff": "7"
        }
    })

# Wait for campaign update to reflect the new explorationWeight
explorationWeight = None
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_campaign_response = personalize.describe_campaign(
        campaignArn = campaign_arn
    )
    explorationWeight = describe_campaign_response["campaign"]["campaignConfig"]['itemExplorationConfig']['explorationWeight']
    print("Current Campaign  explorationWeight: {}".format(explorationWeight))

    if explorationWeight == "0.1":
        break

    time.sleep(0.2)

# wait 1 minutes
time.sleep(0.2)

rec_response = personalize_runtime.get_recommendations(campaignArn = campaign_arn, userId = '101')
print(rec_response)
low_weight_recommendations = rec_response
stage("update-0.1")

# ---- Added: explorationWeight "0", then "0.9" with explorationItemAgeCutOff "3650" -----------------
personalize.update_campaign(campaignArn=campaign_arn, campaignConfig = {
    "itemExplorationConfig": {"explorationWeight": "0", "explorationItemAgeCutOff": "7"}})
max_time = time.time() + 60
while time.time() < max_time:
    c = personalize.describe_campaign(campaignArn = campaign_arn)["campaign"]
    if c["campaignConfig"]['itemExplorationConfig']['explorationWeight'] == "0" and c["status"] == "ACTIVE":
        break
    time.sleep(0.2)
zero_weight_recommendations = personalize_runtime.get_recommendations(campaignArn = campaign_arn, userId = '101')
stage("update-0")


def explore(weight, cut_off):
    personalize.update_campaign(campaignArn=campaign_arn, campaignConfig = {
        "itemExplorationConfig": {"explorationWeight": weight, "explorationItemAgeCutOff": cut_off}})
    max_time = time.time() + 60
    while time.time() < max_time:
        c = personalize.describe_campaign(campaignArn = campaign_arn)["campaign"]
        if c["campaignConfig"]['itemExplorationConfig'] == {"explorationWeight": weight, "explorationItemAgeCutOff": cut_off} and c["status"] == "ACTIVE":
            break
        time.sleep(0.2)
    stage(f"update-{weight}-{cut_off}")


explore("0.9", "3650")

# ---- 10. Delete Resources ---------------------------------------------------------------------------
personalize.delete_campaign(campaignArn=campaign_arn)
while len(personalize.list_campaigns(solutionArn=solution_arn)['campaigns']):
    time.sleep(0.2)

personalize.delete_solution(solutionArn=solution_arn)
while len(personalize.list_solutions(datasetGroupArn=dataset_group_arn)['solutions']):
    time.sleep(0.2)

for dataset in personalize.list_datasets(datasetGroupArn=dataset_group_arn)['datasets']:
    personalize.delete_dataset(datasetArn=dataset['datasetArn'])
while len(personalize.list_datasets(datasetGroupArn=dataset_group_arn)['datasets']):
    time.sleep(0.2)

personalize.delete_event_tracker(eventTrackerArn=event_tracker_arn)
personalize.delete_dataset_group(datasetGroupArn=dataset_group_arn)

# ---- The summary ------------------------------------------------------------------------------------
after_cleanup = {
    "eventTrackers": [t["eventTrackerArn"] for t in personalize.list_event_trackers()["eventTrackers"]],
    "datasetGroups": {g["datasetGroupArn"]: g["status"] for g in personalize.list_dataset_groups()["datasetGroups"]},
}
items_of = lambda r: [{k: i[k] for k in ("itemId", "score") if k in i} for i in r["itemList"]]
summary({
    "ok": True,
    "datasetGroup": dataset_group_status,
    "imports": {"interactions": import_statuses[interactions_dij_arn][0], "items": import_statuses[items_dij_arn][0]},
    "groups": {"old": OLD, "young": YOUNG, "cold": COLD, "new": [str(i) for i in range(240, 250)]},
    "created": created,
    "latestInteraction": T_END,
    "solution": {"recipeArn": recipe_arn, "solutionArn": solution_arn},
    "fullVersion": {k: full_version.get(k) for k in ("status", "trainingMode", "recipeArn", "failureReason")},
    "updateVersion": {k: update_version.get(k) for k in ("status", "trainingMode", "recipeArn", "failureReason", "solutionArn")},
    "campaign": {k: campaign_summary.get(k) for k in ("name", "status", "minProvisionedTPS", "campaignConfig", "solutionVersionArn")},
    "solutionVersionArn": solution_version_arn,
    "solutionVersionAfterUpdate": solution_version_after_update,
    "campaignAfterUpdate": solutionVersionArn,
    "explorationWeightAfterUpdate": explorationWeight,
    "tracker": {"status": tracker["status"], "trackingId": event_tracking_id},
    "putEvents": [put_impression_response["ResponseMetadata"]["HTTPStatusCode"], put_new_items_response["ResponseMetadata"]["HTTPStatusCode"]],
    "user101": {
        "history": [r["ITEM_ID"] for r in interactions_df if r["USER_ID"] == "101"],
        "full-0.9": {"recommendationId": first_recommendations["recommendationId"], "items": items_of(first_recommendations)},
        "update-0.9": {"recommendationId": after_update_recommendations["recommendationId"], "items": items_of(after_update_recommendations)},
        "update-0.1": {"recommendationId": low_weight_recommendations["recommendationId"], "items": items_of(low_weight_recommendations)},
        "update-0": {"recommendationId": zero_weight_recommendations["recommendationId"], "items": items_of(zero_weight_recommendations)},
    },
    "stages": stages,
    "afterCleanup": after_cleanup,
})

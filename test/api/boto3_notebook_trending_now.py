"""AWS's notebook next_steps/core_use_cases/trending_now/trending_now_example.ipynb
(aws-samples/amazon-personalize-samples) against a running openpersonalize, its cells as written: a
dataset group with an Interactions dataset of Click and Watch events, the bulk import, an
aws-trending-now solution with the feature-transformation parameter trend_discovery_frequency
'30 minutes', its FULL version, a campaign and its 25 trending items; then an event tracker,
rounds of PutEvents (10 sampled users x 10 sampled items, eventType 'Watch', sentAt now), the
trending items asked again, and the clean-up cells (delete_dataset_groups: campaigns, solutions,
event trackers, filters, datasets and schemas, the dataset group).

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment, as in the notebook. Exits
non-zero with the reason on stderr; prints a JSON summary on stdout.

Three versions of the notebook are stored; this follows the one at commit 4d194d58 (ml-latest-small,
an EVENT_TYPE column, a new session id per user and round, eventType 'Watch'). The older ones read
ml-25m without EVENT_TYPE and send events without an eventType (07e80d7e, which botocore refuses:
eventType is required) or with the user id as eventType (c1eeaf81). No version makes a dataset
import job of the incremental data: trending_now_incremental_data_prep.ipynb writes a CSV for the
reader to import by hand; the notebook streams its new interactions with PutEvents.

The notebook downloads MovieLens ml-latest-small.zip (ratings.csv: userId,movieId,rating in half
stars,timestamp; movies.csv: movieId,title,genres joined by '|'; README.txt) and prepares it with
pandas; here files of that shape are generated (boto3_notebook_data.movielens: 300 users, 300
movies, not 610 and 9,742) and each pandas step is done with the csv module, the pandas line quoted
above it. As in the notebook, the training file is written by to_csv() with pandas' index: a first
column with an empty header and the ratings' row numbers. The generated ratings end with an hour in
which five movies take different turns, so that the bulk data has a trend of its own: three of them
rise (1 -> 15, 2 -> 10 and 3 -> 6 ratings of 5 stars from one half hour to the next), one stays
(5 -> 5) and one falls (10 -> 1); that hour ends five minutes before the script starts (MovieLens'
ratings end in 2018), because AWS recommends only popular items when no interactions arrived in the
last two intervals. `trendingInBulk` in the summary names the five.

Changed from the notebook, and only these: endpoint_url= in boto3.client (the clean-up cell's client
too); the region (the notebook reads it from SageMaker's /opt/ml/metadata) and the account
(sts.get_caller_identity, for the bucket name); the bucket (s3.create_bucket and upload_file become
a folder of the local store and a copy); no S3 bucket policy and no IAM role (the role ARN is a
constant), nor the IAM clean-up cells; the pip cell and %%time not run; the sleeps (0.2 s instead
of 60 s and 20 s, 0.5 s for the 60 s after the event tracker, and no 1 s pause between two
PutEvents); the data size, and 2 rounds of PutEvents instead of 25 (200 events, not 2,500: a
PutEvents takes 15-25 ms here, and 2,500 of them up to a minute); Series.sample(10) is a seeded
random.sample of the rows; `interactions_df.append` (removed in pandas 2) is the concatenation it
was, and the sort by timestamp is stable; DataFrame displays are prints; the 30-minute bound of the
clean-up's last loop is 2 s: that loop ends only at a describe that answers after
DeleteDatasetGroup (DELETE PENDING, which this service shows for its provisioning time, 60 ms in
the tests), and a slower first describe would log "has been fully deleted" until the bound. The
notebook's wait "for Trend Discovery Frequency time configured plus additional processing time (15
minutes)", a markdown cell, is a file handshake with the test: the script writes `trend-wait` in its folder and goes on when
`trend-wait.done` appears (the test moves the service's clock 45 minutes on and runs its automatic
updates in between), or after 30 s. Added for the summary, not in the notebook: a
describe_event_tracker after the tracker's sleep, describe_solution and list_solution_versions
before the clean-up, a logging handler that keeps the clean-up's messages, and the describe and
list_schemas after it.
"""
import csv
import json
import os
import random
import shutil
import sys
import time
import datetime
import uuid

import boto3
import numpy as np

from boto3_notebook_data import fail, movielens, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)
script_started = int(time.time())
rnd = random.Random(2023)

# ---- "Specify an S3 Bucket and Data Output Location" ---------------------------------------------------
region = os.environ['AWS_DEFAULT_REGION']
print('region:', region)
bucket_name = bucket_dir_name
print('bucket_name:', bucket_name)

# Configure the SDK to Personalize:
personalize = boto3.Session(region_name=region).client('personalize', endpoint_url=endpoint)
personalize_events = boto3.Session(region_name=region).client('personalize-events', endpoint_url=endpoint)
personalize_runtime = boto3.Session(region_name=region).client('personalize-runtime', endpoint_url=endpoint)

# ---- "Download, Prepare, and Upload Training Data": ml-latest-small in shape --------------------------
data_dir = "blog_data"
os.makedirs(data_dir)
# !cd $data_dir && wget .../ml-latest-small.zip && unzip ml-latest-small.zip
dataset_dir = data_dir + "/ml-latest-small/"
os.makedirs(dataset_dir)
END = script_started - 300          # the bulk data's last rating, five minutes ago
HALF_HOUR = 1800
movies, ratings = movielens(2023, users=300, items=300, ratings_per_user=20,
                            first_timestamp=828124615, last_timestamp=END - 3 * 86400)
# Half stars, as in ml-latest-small: 4 -> 4.0 or 4.5, ...
ratings = [(u, m, r - 0.5 if r > 1 and rnd.random() < 0.3 else float(r), t) for u, m, r, t in ratings]
# The last hour: (movie, 5-star ratings in the half hour before the last one, in the last one).
BURST = {"rising": [(221, 1, 15), (243, 2, 10), (262, 3, 6)], "steady": [(281, 5, 5)], "falling": [(293, 10, 1)]}
rated = {(u, m) for u, m, _, _ in ratings}
users = list(range(1, 301))
for movie, previous, last in [b for group in BURST.values() for b in group]:
    fans = [u for u in rnd.sample(users, len(users)) if (u, movie) not in rated][:previous + last]
    for k, u in enumerate(fans):
        # The previous half hour is [END-3599, END-1801]; the last one [END-1798, END].
        t = END - HALF_HOUR - 1 - rnd.randrange(HALF_HOUR - 1) if k < previous else END - rnd.randrange(HALF_HOUR - 1)
        ratings.append((u, movie, 5.0, END if (movie, k) == (221, previous) else t))
        rated.add((u, movie))
ratings.sort(key=lambda r: (r[0], r[3]))  # ratings.csv is sorted by user, then time
with open(dataset_dir + 'ratings.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['userId', 'movieId', 'rating', 'timestamp'])
    w.writerows(ratings)
with open(dataset_dir + 'movies.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['movieId', 'title', 'genres'])
    w.writerows((m, title, '|'.join(genres)) for m, title, genres in movies)
with open(dataset_dir + 'README.txt', 'w') as f:
    f.write("Summary\n=======\n\nGenerated in the shape of MovieLens ml-latest-small: ratings.csv and movies.csv.\n")

# !pygmentize $dataset_dir/README.txt
print(open(dataset_dir + '/README.txt').read())

# ratings_df = pd.read_csv(dataset_dir + '/ratings.csv')
with open(dataset_dir + '/ratings.csv', newline='') as f:
    ratings_df = [{'userId': int(r['userId']), 'movieId': int(r['movieId']), 'rating': float(r['rating']),
                   'timestamp': int(r['timestamp'])} for r in csv.DictReader(f)]
# ratings_df.info(); ratings_df.head(10); ratings_df.describe()
print(len(ratings_df), list(ratings_df[0]), ratings_df[:10])

# titles_df = pd.read_csv(dataset_dir + '/movies.csv')
with open(dataset_dir + '/movies.csv', newline='') as f:
    titles_df = [{'movieId': int(r['movieId']), 'title': r['title'], 'genres': r['genres']} for r in csv.DictReader(f)]
# titles_df.info(); titles_df.head(); titles_df.describe()
print(len(titles_df), titles_df[:5])

# titles_df = titles_df.rename(columns = {'movieId':'ITEM_ID', 'title':'TITLE', 'genres':'GENRES'})
titles_df = [{'ITEM_ID': r['movieId'], 'TITLE': r['title'], 'GENRES': r['genres']} for r in titles_df]
print(titles_df[:5])

# ---- "Prepare the Interactions Data": Click and Watch events ------------------------------------------
# pandas keeps each row's index through the filters: the row numbers of ratings_df.
# watched_df = ratings_df.copy(); watched_df = watched_df[watched_df['rating'] > 3]
# watched_df = watched_df[['userId', 'movieId', 'timestamp']]; watched_df['EVENT_TYPE']='Watch'
watched_df = [(i, {'userId': r['userId'], 'movieId': r['movieId'], 'timestamp': r['timestamp'], 'EVENT_TYPE': 'Watch'})
              for i, r in enumerate(ratings_df) if r['rating'] > 3]
print(watched_df[:5])
# clicked_df = ratings_df.copy(); clicked_df = clicked_df[clicked_df['rating'] > 1]
# clicked_df = clicked_df[['userId', 'movieId', 'timestamp']]; clicked_df['EVENT_TYPE']='Click'
clicked_df = [(i, {'userId': r['userId'], 'movieId': r['movieId'], 'timestamp': r['timestamp'], 'EVENT_TYPE': 'Click'})
              for i, r in enumerate(ratings_df) if r['rating'] > 1]
print(clicked_df[:5])

# interactions_df = clicked_df.copy()
# interactions_df = interactions_df.append(watched_df)
interactions_df = clicked_df + watched_df
# interactions_df.sort_values("timestamp", axis = 0, ascending = True, inplace = True, na_position ='last')
interactions_df.sort(key=lambda row: row[1]['timestamp'])
# interactions_df.info(); interactions_df.head(10); interactions_df.describe()
print(len(interactions_df), interactions_df[:10])

# interactions_df = interactions_df.rename(columns = {'userId':'USER_ID', 'movieId':'ITEM_ID', 'timestamp':'TIMESTAMP'})
renamed = {'userId': 'USER_ID', 'movieId': 'ITEM_ID', 'timestamp': 'TIMESTAMP', 'EVENT_TYPE': 'EVENT_TYPE'}
interactions_df = [(i, {renamed[k]: v for k, v in r.items()}) for i, r in interactions_df]
print(interactions_df[:5])

interactions_file_path = 'curated_interactions_training_data.csv'

# interactions_df.to_csv(interactions_file_path)
with open(interactions_file_path, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow([''] + list(interactions_df[0][1]))
    w.writerows([i] + list(r.values()) for i, r in interactions_df)

# ---- "Upload Interactions data to S3" (no bucket policy here) ------------------------------------------
shutil.copy(interactions_file_path, os.path.join(bucket_dir, interactions_file_path))
interactions_s3DataPath = "s3://"+bucket_name+"/"+interactions_file_path

# ---- "Create Dataset Group" ---------------------------------------------------------------------------
response = personalize.create_dataset_group(
    name='trending_now_dataset_group'
)

dataset_group_arn = response['datasetGroupArn']
print(json.dumps(response, indent=2))

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

# ---- "Create Interactions Schema" ---------------------------------------------------------------------
interactions_schema = {
    "type": "record",
    "name": "Interactions",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "USER_ID",
            "type": "string"
        },
        {
            "name": "ITEM_ID",
            "type": "string"
        },
        {
            "name": "EVENT_TYPE", # "Watch", "Click", etc.
            "type": "string"
        },
        {
            "name": "TIMESTAMP",
            "type": "long"
        }
    ],
    "version": "1.0"
}


create_schema_response = personalize.create_schema(
    name = "trending-now-interaction-dataset-schema",
    schema = json.dumps(interactions_schema)
)

interaction_schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

# ---- "Create Interactions Dataset" --------------------------------------------------------------------
dataset_type = "INTERACTIONS"

create_dataset_response = personalize.create_dataset(
    name = "trending-now-interactions",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = interaction_schema_arn
)

interactions_dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# ---- "Create Personalize Role" (iam.create_role, attach_role_policy x2, then time.sleep(60)) -----------
role_name = "PersonalizeRoleTrendingNow"
time.sleep(0.2) # wait for a minute to allow IAM role policy attachment to propagate
role_arn = "arn:aws:iam::000000000000:role/" + role_name
print(role_arn)

# ---- "Create Interactions Dataset Import Job" ---------------------------------------------------------
create_interactions_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "trending_now_interactions_import",
    datasetArn = interactions_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, interactions_file_path)
    },
    roleArn = role_arn
)

dataset_interactions_import_job_arn = create_interactions_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_interactions_dataset_import_job_response, indent=2))

max_time = time.time() + 3*60*60 # 3 hours

while time.time() < max_time:
    describe_dataset_import_job_response = personalize.describe_dataset_import_job(
        datasetImportJobArn = dataset_interactions_import_job_arn
    )
    status = describe_dataset_import_job_response["datasetImportJob"]['status']
    print("InteractionsDatasetImportJob: {}".format(status))

    if status == "ACTIVE" or status == "CREATE FAILED":
        break

    time.sleep(0.2)
import_job = describe_dataset_import_job_response["datasetImportJob"]
if status != "ACTIVE":
    fail(f"import job {status}: {import_job.get('failureReason')}")

# ---- "Training the Trending-Now model - Solution & Solution Version" ----------------------------------
trending_now_recipe = "arn:aws:personalize:::recipe/aws-trending-now"
solution_response = personalize.create_solution(name="trending-now-solution",
                                                recipeArn=trending_now_recipe,
                                                datasetGroupArn=dataset_group_arn,
                                                solutionConfig = {
                                                    "featureTransformationParameters": {
                                                        'trend_discovery_frequency': '30 minutes'
                                                    }
                                                }
                                               )
solution_arn = solution_response['solutionArn']

solution_version_response = personalize.create_solution_version(solutionArn=solution_arn,
                                                         trainingMode="FULL")
solution_version_arn = solution_version_response["solutionVersionArn"]
print(json.dumps(solution_version_response, indent=4, default=str))

version_statuses = []
in_progress_solution_versions = [solution_version_arn]

max_time = time.time() + 10*60*60 # 10 hours
while time.time() < max_time:
    for solution_version_arn in in_progress_solution_versions:
        version_response = personalize.describe_solution_version(
            solutionVersionArn = solution_version_arn
        )
        status = version_response["solutionVersion"]["status"]
        version_statuses.append(status)

        if status == "ACTIVE":
            print("Build succeeded for {}".format(solution_version_arn))
            in_progress_solution_versions.remove(solution_version_arn)
        elif status == "CREATE FAILED":
            print("Build failed for {}".format(solution_version_arn))
            in_progress_solution_versions.remove(solution_version_arn)

    if len(in_progress_solution_versions) <= 0:
        break
    else:
        print("Solution Version is still IN_PROGRESS state")

    time.sleep(0.2)

described_version = personalize.describe_solution_version(solutionVersionArn=solution_version_arn)
print(described_version)
if status != "ACTIVE":
    fail(f"solution version {status}: {described_version['solutionVersion'].get('failureReason')}")

# ---- "Campaign" ---------------------------------------------------------------------------------------
campaign_response = personalize.create_campaign(
    name="trending-now-campaign",
    solutionVersionArn=solution_version_arn,
    minProvisionedTPS=1,
)
campaign_arn = campaign_response['campaignArn']

in_progress_campaigns = [campaign_arn]

max_time = time.time() + 10*60*60 # 10 hours
while time.time() < max_time:
    for campaign_arn in in_progress_campaigns:
        describe_campaign_response = personalize.describe_campaign(
            campaignArn = campaign_arn
        )
        status = describe_campaign_response["campaign"]["status"]

        if status == "ACTIVE":
            print("Build succeeded for {}".format(campaign_arn))
            in_progress_campaigns.remove(campaign_arn)
        elif status == "CREATE FAILED":
            print("Build failed for {}".format(campaign_arn))
            in_progress_campaigns.remove(campaign_arn)

    if len(in_progress_campaigns) <= 0:
        break
    else:
        print("Campaign is still IN_PROGRESS state")

    time.sleep(0.2)
campaign_status = status

# ---- "Getting recommendations" ------------------------------------------------------------------------
item_ids = personalize_runtime.get_recommendations(campaignArn=campaign_arn,
                                                   numResults=25)
before_response = item_ids

items = []
for item in item_ids["itemList"]:
    items.append(int(item["itemId"]))
# recommended_items_df = pd.DataFrame (items, columns = ['ITEM_ID'])
recommended_items_df = [{'ITEM_ID': i} for i in items]

# recommendations = recommended_items_df.merge(titles_df, on="ITEM_ID")
# recommendations = recommendations[["ITEM_ID", "TITLE"]]; recommendations.head(10)
recommendations = [{'ITEM_ID': r['ITEM_ID'], 'TITLE': t['TITLE']} for r in recommended_items_df for t in titles_df
                   if t['ITEM_ID'] == r['ITEM_ID']]
print(recommendations[:10])
before_titles = [r['TITLE'] for r in recommendations]

# ---- "EventTracker to ingest Put Events to trigger auto-updates" --------------------------------------
event_tracker_response = personalize.create_event_tracker(
    name='trending-now-event-tracker',
    datasetGroupArn=dataset_group_arn
)
tracking_id = event_tracker_response['trackingId']
print(event_tracker_response)
time.sleep(0.5)
event_tracker_status = personalize.describe_event_tracker(
    eventTrackerArn=event_tracker_response['eventTrackerArn'])['eventTracker']['status']

# ---- "Prepare latest interactions" --------------------------------------------------------------------
# user_rand = interactions_df['USER_ID'].sample(10)
# items_rand = interactions_df['ITEM_ID'].sample(10)
user_rand = [r['USER_ID'] for _, r in rnd.sample(interactions_df, 10)]
items_rand = [r['ITEM_ID'] for _, r in rnd.sample(interactions_df, 10)]
print(list(user_rand))
print(list(items_rand))
# titles_df[titles_df['ITEM_ID'].isin(list(items_rand))]
print([t for t in titles_df if t['ITEM_ID'] in list(items_rand)])

put_started = time.time()
put_count = 0
for i in range(0,2):
    for user_id in user_rand:
        session_id = str(uuid.uuid4())
        for item_id in items_rand:
            time_epoch = int(time.time())
            response = personalize_events.put_events(
                trackingId=tracking_id,
                userId=str(user_id),
                sessionId=session_id,
                eventList=[
                    {
                        'eventType': 'Watch',
                        'itemId': str(item_id),
                        'sentAt': time_epoch
                    }
                ]
            )
            put_count += 1
            print ("Iteration: %s, User: %s, Item: %s, EpochTime: %s" %(i, user_id, item_id, str(time_epoch)))
put_seconds = time.time() - put_started

# ---- the wait for the trend discovery frequency plus processing (a markdown cell) ---------------------
open('trend-wait', 'w').close()
deadline = time.time() + 30
while not os.path.exists('trend-wait.done') and time.time() < deadline:
    time.sleep(0.1)
wait_acknowledged = os.path.exists('trend-wait.done')

# ---- "Getting trending-now recommendations" -----------------------------------------------------------
item_ids = personalize_runtime.get_recommendations(campaignArn=campaign_arn,
                                                   numResults=25)
after_response = item_ids

items = []
for item in item_ids["itemList"]:
    items.append(int(item["itemId"]))
recommended_items_df = [{'ITEM_ID': i} for i in items]

# recommendations = recommended_items_df.merge(titles_df, on="ITEM_ID")
# recommendations = recommendations[["ITEM_ID", "TITLE"]]; recommendations.head(30)
recommendations = [{'ITEM_ID': r['ITEM_ID'], 'TITLE': t['TITLE']} for r in recommended_items_df for t in titles_df
                   if t['ITEM_ID'] == r['ITEM_ID']]
print(recommendations[:30])
after_titles = [r['TITLE'] for r in recommendations]

# What the notebook showed, read before its clean-up deletes it.
solution_described = personalize.describe_solution(solutionArn=solution_arn)['solution']
solution_versions = personalize.list_solution_versions(solutionArn=solution_arn)['solutionVersions']
popularity = {}
for _, r in interactions_df:
    popularity[str(r['ITEM_ID'])] = popularity.get(str(r['ITEM_ID']), 0) + 1
most_popular = sorted(popularity, key=lambda i: (-popularity[i], int(i)))[:10]

# ---- "Cleanup Resources" ------------------------------------------------------------------------------
print ('dataset_group_arn:', dataset_group_arn)
print ('role_name:', role_name)
print ('region:', region)

import sys
import getopt
import logging
import botocore
import boto3
import time
from packaging import version
from time import sleep
from botocore.exceptions import ClientError

logger = logging.getLogger()
handler = logging.StreamHandler(sys.stdout)
handler.setLevel(logging.INFO)
logger.setLevel(logging.INFO)
logger.addHandler(handler)

personalize = None

def _get_dataset_group_arn(dataset_group_name):
    dsg_arn = None

    paginator = personalize.get_paginator('list_dataset_groups')
    for paginate_result in paginator.paginate():
        for dataset_group in paginate_result["datasetGroups"]:
            if dataset_group['name'] == dataset_group_name:
                dsg_arn = dataset_group['datasetGroupArn']
                break

        if dsg_arn:
            break

    if not dsg_arn:
        raise NameError(f'Dataset Group "{dataset_group_name}" does not exist; verify region is correct')

    return dsg_arn

def _get_solutions(dataset_group_arn):
    solution_arns = []

    paginator = personalize.get_paginator('list_solutions')
    for paginate_result in paginator.paginate(datasetGroupArn = dataset_group_arn):
        for solution in paginate_result['solutions']:
            solution_arns.append(solution['solutionArn'])

    return solution_arns

def _delete_campaigns(solution_arns):
    campaign_arns = []

    for solution_arn in solution_arns:
        paginator = personalize.get_paginator('list_campaigns')
        for paginate_result in paginator.paginate(solutionArn = solution_arn):
            for campaign in paginate_result['campaigns']:
                if campaign['status'] in ['ACTIVE', 'CREATE FAILED']:
                    logger.info('Deleting campaign: ' + campaign['campaignArn'])

                    personalize.delete_campaign(campaignArn = campaign['campaignArn'])
                elif campaign['status'].startswith('DELETE'):
                    logger.warning('Campaign {} is already being deleted so will wait for delete to complete'.format(campaign['campaignArn']))
                else:
                    raise Exception('Campaign {} has a status of {} so cannot be deleted'.format(campaign['campaignArn'], campaign['status']))

                campaign_arns.append(campaign['campaignArn'])

    max_time = time.time() + 30*60 # 30 mins
    while time.time() < max_time:
        for campaign_arn in campaign_arns:
            try:
                describe_response = personalize.describe_campaign(campaignArn = campaign_arn)
                logger.debug('Campaign {} status is {}'.format(campaign_arn, describe_response['campaign']['status']))
            except ClientError as e:
                error_code = e.response['Error']['Code']
                if error_code == 'ResourceNotFoundException':
                    campaign_arns.remove(campaign_arn)

        if len(campaign_arns) == 0:
            logger.info('All campaigns have been deleted or none exist for dataset group')
            break
        else:
            logger.info('Waiting for {} campaign(s) to be deleted'.format(len(campaign_arns)))
            time.sleep(0.2)

    if len(campaign_arns) > 0:
        raise Exception('Timed out waiting for all campaigns to be deleted')

def _delete_solutions(solution_arns):
    for solution_arn in solution_arns:
        try:
            describe_response = personalize.describe_solution(solutionArn = solution_arn)
            solution = describe_response['solution']
            if solution['status'] in ['ACTIVE', 'CREATE FAILED']:
                logger.info('Deleting solution: ' + solution_arn)

                personalize.delete_solution(solutionArn = solution_arn)
            elif solution['status'].startswith('DELETE'):
                logger.warning('Solution {} is already being deleted so will wait for delete to complete'.format(solution_arn))
            else:
                raise Exception('Solution {} has a status of {} so cannot be deleted'.format(solution_arn, solution['status']))
        except ClientError as e:
            error_code = e.response['Error']['Code']
            if error_code != 'ResourceNotFoundException':
                raise e

    max_time = time.time() + 30*60 # 30 mins
    while time.time() < max_time:
        for solution_arn in solution_arns:
            try:
                describe_response = personalize.describe_solution(solutionArn = solution_arn)
                logger.debug('Solution {} status is {}'.format(solution_arn, describe_response['solution']['status']))
            except ClientError as e:
                error_code = e.response['Error']['Code']
                if error_code == 'ResourceNotFoundException':
                    solution_arns.remove(solution_arn)

        if len(solution_arns) == 0:
            logger.info('All solutions have been deleted or none exist for dataset group')
            break
        else:
            logger.info('Waiting for {} solution(s) to be deleted'.format(len(solution_arns)))
            time.sleep(0.2)

    if len(solution_arns) > 0:
        raise Exception('Timed out waiting for all solutions to be deleted')

def _delete_event_trackers(dataset_group_arn):
    event_tracker_arns = []

    event_trackers_paginator = personalize.get_paginator('list_event_trackers')
    for event_tracker_page in event_trackers_paginator.paginate(datasetGroupArn = dataset_group_arn):
        for event_tracker in event_tracker_page['eventTrackers']:
            if event_tracker['status'] in [ 'ACTIVE', 'CREATE FAILED' ]:
                logger.info('Deleting event tracker {}'.format(event_tracker['eventTrackerArn']))
                personalize.delete_event_tracker(eventTrackerArn = event_tracker['eventTrackerArn'])
            elif event_tracker['status'].startswith('DELETE'):
                logger.warning('Event tracker {} is already being deleted so will wait for delete to complete'.format(event_tracker['eventTrackerArn']))
            else:
                raise Exception('Solution {} has a status of {} so cannot be deleted'.format(event_tracker['eventTrackerArn'], event_tracker['status']))

            event_tracker_arns.append(event_tracker['eventTrackerArn'])

    max_time = time.time() + 30*60 # 30 mins
    while time.time() < max_time:
        for event_tracker_arn in event_tracker_arns:
            try:
                describe_response = personalize.describe_event_tracker(eventTrackerArn = event_tracker_arn)
                logger.debug('Event tracker {} status is {}'.format(event_tracker_arn, describe_response['eventTracker']['status']))
            except ClientError as e:
                error_code = e.response['Error']['Code']
                if error_code == 'ResourceNotFoundException':
                    event_tracker_arns.remove(event_tracker_arn)

        if len(event_tracker_arns) == 0:
            logger.info('All event trackers have been deleted or none exist for dataset group')
            break
        else:
            logger.info('Waiting for {} event tracker(s) to be deleted'.format(len(event_tracker_arns)))
            time.sleep(0.2)

    if len(event_tracker_arns) > 0:
        raise Exception('Timed out waiting for all event trackers to be deleted')

def _delete_filters(dataset_group_arn):
    filter_arns = []

    filters_response = personalize.list_filters(datasetGroupArn = dataset_group_arn, maxResults = 100)
    for filter in filters_response['Filters']:
        logger.info('Deleting filter ' + filter['filterArn'])
        personalize.delete_filter(filterArn = filter['filterArn'])
        filter_arns.append(filter['filterArn'])

    max_time = time.time() + 30*60 # 30 mins
    while time.time() < max_time:
        for filter_arn in filter_arns:
            try:
                describe_response = personalize.describe_filter(filterArn = filter_arn)
                logger.debug('Filter {} status is {}'.format(filter_arn, describe_response['filter']['status']))
            except ClientError as e:
                error_code = e.response['Error']['Code']
                if error_code == 'ResourceNotFoundException':
                    filter_arns.remove(filter_arn)

        if len(filter_arns) == 0:
            logger.info('All filters have been deleted or none exist for dataset group')
            break
        else:
            logger.info('Waiting for {} filter(s) to be deleted'.format(len(filter_arns)))
            time.sleep(0.2)

    if len(filter_arns) > 0:
        raise Exception('Timed out waiting for all filter to be deleted')

def _delete_datasets_and_schemas(dataset_group_arn):
    dataset_arns = []
    schema_arns = []

    dataset_paginator = personalize.get_paginator('list_datasets')
    for dataset_page in dataset_paginator.paginate(datasetGroupArn = dataset_group_arn):
        for dataset in dataset_page['datasets']:
            describe_response = personalize.describe_dataset(datasetArn = dataset['datasetArn'])
            schema_arns.append(describe_response['dataset']['schemaArn'])

            if dataset['status'] in ['ACTIVE', 'CREATE FAILED']:
                logger.info('Deleting dataset ' + dataset['datasetArn'])
                personalize.delete_dataset(datasetArn = dataset['datasetArn'])
            elif dataset['status'].startswith('DELETE'):
                logger.warning('Dataset {} is already being deleted so will wait for delete to complete'.format(dataset['datasetArn']))
            else:
                raise Exception('Dataset {} has a status of {} so cannot be deleted'.format(dataset['datasetArn'], dataset['status']))

            dataset_arns.append(dataset['datasetArn'])

    max_time = time.time() + 30*60 # 30 mins
    while time.time() < max_time:
        for dataset_arn in dataset_arns:
            try:
                describe_response = personalize.describe_dataset(datasetArn = dataset_arn)
                logger.debug('Dataset {} status is {}'.format(dataset_arn, describe_response['dataset']['status']))
            except ClientError as e:
                error_code = e.response['Error']['Code']
                if error_code == 'ResourceNotFoundException':
                    dataset_arns.remove(dataset_arn)

        if len(dataset_arns) == 0:
            logger.info('All datasets have been deleted or none exist for dataset group')
            break
        else:
            logger.info('Waiting for {} dataset(s) to be deleted'.format(len(dataset_arns)))
            time.sleep(0.2)

    if len(dataset_arns) > 0:
        raise Exception('Timed out waiting for all datasets to be deleted')

    for schema_arn in schema_arns:
        try:
            logger.info('Deleting schema ' + schema_arn)
            personalize.delete_schema(schemaArn = schema_arn)
        except ClientError as e:
            error_code = e.response['Error']['Code']
            if error_code == 'ResourceInUseException':
                logger.info('Schema {} is still in-use by another dataset (likely in another dataset group)'.format(schema_arn))
            else:
                raise e

    logger.info('All schemas used exclusively by datasets have been deleted or none exist for dataset group')

def _delete_dataset_group(dataset_group_arn):
    logger.info('Deleting dataset group ' + dataset_group_arn)
    personalize.delete_dataset_group(datasetGroupArn = dataset_group_arn)

    max_time = time.time() + 2 # 30 mins: this loop stops only at a describe that answers (see the docstring)
    while time.time() < max_time:
        try:
            describe_response = personalize.describe_dataset_group(datasetGroupArn = dataset_group_arn)
            logger.debug('Dataset group {} status is {}'.format(dataset_group_arn, describe_response['datasetGroup']['status']))
            break
        except ClientError as e:
            error_code = e.response['Error']['Code']
            if error_code == 'ResourceNotFoundException':
                logger.info('Dataset group {} has been fully deleted'.format(dataset_group_arn))
            else:
                raise e

        logger.info('Waiting for dataset group to be deleted')
        time.sleep(0.2)

def delete_dataset_groups(dataset_group_arns, region = None):
    global personalize
    personalize = boto3.client(service_name = 'personalize', region_name = region, endpoint_url = endpoint)

    for dataset_group_arn in dataset_group_arns:
        logger.info('Dataset Group ARN: ' + dataset_group_arn)

        solution_arns = _get_solutions(dataset_group_arn)

        # 1. Delete campaigns
        _delete_campaigns(solution_arns)

        # 2. Delete solutions
        _delete_solutions(solution_arns)

        # 3. Delete event trackers
        _delete_event_trackers(dataset_group_arn)

        # 4. Delete filters
        _delete_filters(dataset_group_arn)

        # 5. Delete datasets and their schemas
        _delete_datasets_and_schemas(dataset_group_arn)

        # 6. Delete dataset group
        _delete_dataset_group(dataset_group_arn)

        logger.info(f'Dataset group {dataset_group_arn} fully deleted')

# What the clean-up logs, kept for the summary.
cleanup_log = []
class _Keep(logging.Handler):
    def emit(self, record):
        cleanup_log.append(record.getMessage())
logger.addHandler(_Keep())

delete_dataset_groups([dataset_group_arn], region)

# !rm -rf $data_dir
shutil.rmtree(data_dir)

# The notebook's last loop stops at the first describe that answers; the group's end is awaited here.
deadline = time.time() + 15
while time.time() < deadline:
    try:
        group_after_cleanup = personalize.describe_dataset_group(datasetGroupArn=dataset_group_arn)['datasetGroup']['status']
    except ClientError as e:
        group_after_cleanup = e.response['Error']['Code']
        break
    time.sleep(0.2)
schemas_left = [s['name'] for s in personalize.list_schemas()['schemas'] if s['name'] == "trending-now-interaction-dataset-schema"]

summary({
    "ok": True,
    "datasetGroup": dataset_group_status,
    "import": {"status": import_job["status"], "failureReason": import_job.get("failureReason")},
    "trainingFileHeader": open(interactions_file_path).readline().strip(),
    "rows": len(interactions_df),
    "eventTypes": sorted({r['EVENT_TYPE'] for _, r in interactions_df}),
    "solution": {"recipeArn": solution_described["recipeArn"], "solutionConfig": solution_described.get("solutionConfig")},
    "solutionVersion": {
        "statuses": version_statuses,
        "status": described_version["solutionVersion"]["status"],
        "trainingMode": described_version["solutionVersion"].get("trainingMode"),
        "recipeArn": described_version["solutionVersion"].get("recipeArn"),
        "solutionConfig": described_version["solutionVersion"].get("solutionConfig"),
        "failureReason": described_version["solutionVersion"].get("failureReason"),
    },
    "campaign": campaign_status,
    "eventTracker": event_tracker_status,
    "trendingInBulk": {k: [str(m) for m, _, _ in v] for k, v in BURST.items()},
    "mostPopular": most_popular,
    "before": {
        "recommendationId": before_response.get("recommendationId"),
        "itemIds": [i["itemId"] for i in before_response["itemList"]],
        "scores": sum(1 for i in before_response["itemList"] if "score" in i),
        "titles": before_titles,
    },
    "userRand": [str(u) for u in user_rand],
    "itemsRand": [str(i) for i in items_rand],
    "putEvents": put_count,
    "solutionVersions": len(solution_versions),
    "putSeconds": round(put_seconds, 1),
    "waitAcknowledged": wait_acknowledged,
    "after": {
        "itemIds": [i["itemId"] for i in after_response["itemList"]],
        "scores": sum(1 for i in after_response["itemList"] if "score" in i),
        "titles": after_titles,
    },
    "cleanup": {
        "datasetGroup": group_after_cleanup,
        # The notebook's last loop: a describe answered right after DeleteDatasetGroup (AWS: DELETE PENDING),
        # or only ResourceNotFoundException until its bound.
        "notFoundRightAfterDelete": sum(1 for m in cleanup_log if m.endswith('has been fully deleted')),
        "deleted": [m for m in cleanup_log if m.startswith('Deleting')],
        "schemasLeft": schemas_left,
    },
})

"""AWS's POC-in-a-box notebooks 04 and 05 (aws-samples/amazon-personalize-samples,
next_steps/workshops/POC_in_a_box/completed/04_Deploying_Campaigns_and_Filters.ipynb and
05_Interacting_with_Campaigns_and_Filters.ipynb) against a running openpersonalize: their cells
that touch Personalize, as written — three campaigns polled together, seven genre filters, a
watched / unwatched pair on Interactions.event_type and a 1970s filter on Items.YEAR (04); then
SIMS, User-Personalization with the filters as shelves, an event tracker with clicks and watches
sent through PutEvents, the event filters before and after, and Personalized-Ranking (05).

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Exits non-zero with the reason on stderr; prints a JSON summary on stdout.

Both notebooks start with `%store -r`: they need notebooks 01-03 run first. Those are run here by
boto3_notebook_poc_03_solutions.py (which runs 01-02, account 123456789012) in the same scratch
folder; the stored variables are read back: the ARNs by listing the dataset groups, solutions and
solution versions, data_dir and dataset_dir as notebook 01 set them, USE_FULL_MOVIELENS False.
pandas steps are done with the csv module, the pandas line quoted above each; items_df.sample()
uses a seeded random.Random, Python's own random.sample stays as written (unseeded).

Changed from the notebooks, and only these: endpoint_url= (and that account's key) in
boto3.client; the sleeps (0.2 s instead of 60 s, 5 s and 10 s), and a pause of 0.2 s after the
event tracker cell and between the two notebooks, where a person takes seconds (the tracker and
the filters must be ACTIVE before they are used). Notebook 05's last section (a batch inference
job, its output read from S3) is not run: batch inference is not built yet.
"""
import csv
import json
import os
import random
import subprocess
import sys
import time
import uuid
from time import sleep

import boto3
import botocore
from botocore.exceptions import ClientError

from boto3_notebook_data import fail, notebook_output_to_stderr, summary

endpoint, bucket_name, bucket_dir, scratch = sys.argv[1:5]
here = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(20200917)  # for pandas' DataFrame.sample

# ---- notebooks 01-03, then `%store -r` -------------------------------------------------------------
previous = subprocess.run(
    [sys.executable, os.path.join(here, "boto3_notebook_poc_03_solutions.py"), endpoint, bucket_name, bucket_dir, scratch],
    capture_output=True, text=True,
)
if previous.returncode != 0:
    fail(f"notebooks 01-03 failed:\n{previous.stderr}")
solutions_notebook = json.loads(previous.stdout)
notebook_output_to_stderr()


def client(name):
    return boto3.client(name, endpoint_url=endpoint, aws_access_key_id="123456789012",
                        aws_secret_access_key="secret", region_name="us-east-1")


def stored_solution_version_arn(name):
    """%store -r of notebook 03's *_solution_version_arn: the version of the solution it named."""
    solution_arn = next(s["solutionArn"] for s in store.list_solutions(datasetGroupArn=dataset_group_arn)["solutions"]
                        if s["name"] == name)
    return store.list_solution_versions(solutionArn=solution_arn)["solutionVersions"][0]["solutionVersionArn"]


store = client("personalize")
dataset_group_arn = next(g["datasetGroupArn"] for g in store.list_dataset_groups()["datasetGroups"]
                         if g["name"] == "personalize-poc-movielens")
userpersonalization_solution_version_arn = stored_solution_version_arn("personalize-poc-userpersonalization")
sims_solution_version_arn = stored_solution_version_arn("personalize-poc-sims")
rerank_solution_version_arn = stored_solution_version_arn("personalize-poc-rerank")
data_dir = os.path.join(scratch, "poc_data")
dataset_dir = os.path.join(data_dir, "ml-latest-small")
USE_FULL_MOVIELENS = False

# ==== notebook 04: Deploying Campaigns and Filters ==================================================
personalize = client('personalize')
personalize_runtime = client('personalize-runtime')

# Establish a connection to Personalize's event streaming
personalize_events = client('personalize-events')

# ---- "Create campaigns" ----------------------------------------------------------------------------
userpersonalization_create_campaign_response = personalize.create_campaign(
    name = "personalize-poc-userpersonalization",
    solutionVersionArn = userpersonalization_solution_version_arn,
    minProvisionedTPS = 1
)

userpersonalization_campaign_arn = userpersonalization_create_campaign_response['campaignArn']
print(json.dumps(userpersonalization_create_campaign_response, indent=2))

sims_create_campaign_response = personalize.create_campaign(
    name = "personalize-poc-SIMS",
    solutionVersionArn = sims_solution_version_arn,
    minProvisionedTPS = 1
)

sims_campaign_arn = sims_create_campaign_response['campaignArn']
print(json.dumps(sims_create_campaign_response, indent=2))

rerank_create_campaign_response = personalize.create_campaign(
    name = "personalize-poc-rerank",
    solutionVersionArn = rerank_solution_version_arn,
    minProvisionedTPS = 1
)

rerank_campaign_arn = rerank_create_campaign_response['campaignArn']
print(json.dumps(rerank_create_campaign_response, indent=2))

# ---- "View campaign creation status" (the notebook's loop, list mutation during iteration included)
built = {}
in_progress_campaigns = [
    userpersonalization_campaign_arn,
    sims_campaign_arn,
    rerank_campaign_arn
]

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    for campaign_arn in in_progress_campaigns:
        version_response = personalize.describe_campaign(
            campaignArn = campaign_arn
        )
        status = version_response["campaign"]["status"]

        if status == "ACTIVE":
            print("Build succeeded for {}".format(campaign_arn))
            in_progress_campaigns.remove(campaign_arn)
            built[campaign_arn] = status
        elif status == "CREATE FAILED":
            print("Build failed for {}".format(campaign_arn))
            in_progress_campaigns.remove(campaign_arn)
            built[campaign_arn] = f"{status}: {version_response['campaign'].get('failureReason')}"

    if len(in_progress_campaigns) <= 0:
        break
    else:
        print("At least one campaign build is still in progress")

    time.sleep(0.2)

# ---- "Create Filters" ------------------------------------------------------------------------------
# Create a dataframe for the items by reading in the correct source CSV
# items_df = pd.read_csv(data_dir + '/item-meta.csv', sep=',', index_col=0)
with open(data_dir + '/item-meta.csv', newline='') as f:
    items_df = {int(r['ITEM_ID']): {'GENRE': r['GENRE'], 'YEAR': r['YEAR']} for r in csv.DictReader(f)}
meta_items_df = items_df  # notebook 05 reads movies.csv into items_df again

# unique_genre_field_values = items_df['GENRE'].unique()
unique_genre_field_values = list(dict.fromkeys(r['GENRE'] for r in items_df.values()))

genre_val_list = []

def process_for_bar_char(val, val_list):
    if '|' in val:
        values = val.split('|')
        for item in values:
            val_list.append(item)
    elif '(' in val:
        pass
    else:
        val_list.append(val)
    return val_list


for val in unique_genre_field_values:
    genre_val_list = process_for_bar_char(val, genre_val_list)

genres_to_filter = list(set(genre_val_list))
print(genres_to_filter)

genres_to_filter = random.sample(genres_to_filter, 7)
print(genres_to_filter)

# Create a list for the filters:
meta_filter_arns = []

# Iterate through Genres
for genre in genres_to_filter:
    # Start by creating a filter
    try:
        createfilter_response = personalize.create_filter(
            name=genre,
            datasetGroupArn=dataset_group_arn,
            filterExpression='INCLUDE ItemID WHERE Items.GENRE IN ("'+ genre +'")'
        )
        # Add the ARN to the list
        meta_filter_arns.append(createfilter_response['filterArn'])
        print("Creating: " + createfilter_response['filterArn'])

    # If this fails, wait a bit
    except ClientError as error:
        # Here we only care about raising if it isnt the throttling issue
        if error.response['Error']['Code'] != 'LimitExceededException':
            print(error)
        else:
            time.sleep(120)
            createfilter_response = personalize.create_filter(
                name=genre,
                datasetGroupArn=dataset_group_arn,
                filterExpression='INCLUDE ItemID WHERE Items.GENRE IN ("'+ genre +'")'
            )
            # Add the ARN to the list
            meta_filter_arns.append(createfilter_response['filterArn'])
            print("Creating: " + createfilter_response['filterArn'])

# Create a dataframe for the interactions by reading in the correct source CSV
# interactions_df = pd.read_csv(data_dir + '/interactions.csv', sep=',', index_col=0)
with open(data_dir + '/interactions.csv', newline='') as f:
    interactions_df = list(csv.DictReader(f))
print(interactions_df[:10])

createwatchedfilter_response = personalize.create_filter(name='watched',
    datasetGroupArn=dataset_group_arn,
    filterExpression='INCLUDE ItemID WHERE Interactions.event_type IN ("watch")'
    )

createunwatchedfilter_response = personalize.create_filter(name='unwatched',
    datasetGroupArn=dataset_group_arn,
    filterExpression='EXCLUDE ItemID WHERE Interactions.event_type IN ("watch")'
    )

createdecadefilter_response = personalize.create_filter(name='1970s',
    datasetGroupArn=dataset_group_arn,
    filterExpression='INCLUDE ItemID WHERE Items.YEAR >= 1970 AND Items.YEAR < 1980'
    )

interaction_filter_arns = [createwatchedfilter_response['filterArn'], createunwatchedfilter_response['filterArn']]

decade_filter_arns = [createdecadefilter_response['filterArn']]

# %store sims_campaign_arn, userpersonalization_campaign_arn, rerank_campaign_arn, meta_filter_arns,
# interaction_filter_arns, decade_filter_arns

time.sleep(0.2)  # a person opens notebook 05

# ==== notebook 05: Interacting with Campaigns and Filters ===========================================
personalize = client('personalize')
personalize_runtime = client('personalize-runtime')

# Establish a connection to Personalize's event streaming
personalize_events = client('personalize-events')

# ---- "Interact with campaigns" ---------------------------------------------------------------------
# Create a dataframe for the items by reading in the correct source CSV
# items_df = pd.read_csv(dataset_dir + '/movies.csv', sep=',', usecols=[0,1], encoding='latin-1', dtype={'movieId': "object", 'title': "str"},index_col=0)
with open(dataset_dir + '/movies.csv', newline='', encoding='latin-1') as f:
    items_df = {int(r['movieId']): {'title': r['title']} for r in csv.DictReader(f)}

movie_id_example = 589
title = items_df[movie_id_example]['title']   # items_df.loc[movie_id_example]['title']
print(title)

def get_movie_by_id(movie_id, movie_df=items_df):
    """
    This takes in an artist_id from Personalize so it will be a string,
    converts it to an int, and then does a lookup in a default or specified
    dataframe.

    A really broad try/except clause was added in case anything goes wrong.

    Feel free to add more debugging or filtering here to improve results if
    you hit an error.
    """
    try:
        return movie_df[int(movie_id)]['title']   # movie_df.loc[int(movie_id)]['title']
    except:
        return "Error obtaining title"

# A known good id (The Princess Bride)
print(get_movie_by_id(movie_id="1197"))
# A bad type of value
print(get_movie_by_id(movie_id="987.9393939"))
# Really bad values
print(get_movie_by_id(movie_id="Steve"))
lookups = [get_movie_by_id(movie_id=x) for x in ("1197", "987.9393939", "Steve")]

# ---- "SIMS" ----------------------------------------------------------------------------------------
get_recommendations_response = personalize_runtime.get_recommendations(
    campaignArn = sims_campaign_arn,
    itemId = str(589),
)

item_list = get_recommendations_response['itemList']
for item in item_list:
    print(get_movie_by_id(movie_id=item['itemId']))
sims_589 = item_list

def get_new_recommendations_df(recommendations_df, movie_ID):
    # Get the movie name
    movie_name = get_movie_by_id(movie_ID)
    # Get the recommendations
    get_recommendations_response = personalize_runtime.get_recommendations(
        campaignArn = sims_campaign_arn,
        itemId = str(movie_ID),
    )
    # Build a new dataframe of recommendations
    item_list = get_recommendations_response['itemList']
    recommendation_list = []
    for item in item_list:
        movie = get_movie_by_id(item['itemId'])
        recommendation_list.append(movie)
    # new_rec_DF = pd.DataFrame(recommendation_list, columns = [movie_name])
    # recommendations_df = pd.concat([recommendations_df, new_rec_DF], axis=1)
    recommendations_df[str(movie_ID)] = {"title": movie_name, "items": [i['itemId'] for i in item_list],
                                         "titles": recommendation_list}
    return recommendations_df

# samples = items_df.sample(5)
samples = rnd.sample(sorted(items_df), 5)

sims_recommendations_df = {}
movies = samples   # samples.index.tolist()

for movie in movies:
    sims_recommendations_df = get_new_recommendations_df(sims_recommendations_df, movie)

print(sims_recommendations_df)

# ---- "User Personalization" ------------------------------------------------------------------------
if not USE_FULL_MOVIELENS:
    users = random.sample(range(1, 600), 3)
else:
    users = random.sample(range(1, 162000), 3)
print(users)

def get_new_recommendations_df_users(recommendations_df, user_id):
    # Get the movie name
    #movie_name = get_movie_by_id(artist_ID)
    # Get the recommendations
    get_recommendations_response = personalize_runtime.get_recommendations(
        campaignArn = userpersonalization_campaign_arn,
        userId = str(user_id),
    )
    # Build a new dataframe of recommendations
    item_list = get_recommendations_response['itemList']
    recommendation_list = []
    for item in item_list:
        movie = get_movie_by_id(item['itemId'])
        recommendation_list.append(movie)
    #print(recommendation_list)
    # new_rec_DF = pd.DataFrame(recommendation_list, columns = [user_id])
    # recommendations_df = pd.concat([recommendations_df, new_rec_DF], axis=1)
    recommendations_df[str(user_id)] = {"items": item_list, "titles": recommendation_list}
    return recommendations_df

recommendations_df_users = {}
#users = users_df.sample(3).index.tolist()

for user in users:
    recommendations_df_users = get_new_recommendations_df_users(recommendations_df_users, user)

print(recommendations_df_users)

def get_new_recommendations_df_by_filter(recommendations_df, user_id, filter_arn):
    # Get the movie name
    #movie_name = get_movie_by_id(artist_ID)
    # Get the recommendations
    get_recommendations_response = personalize_runtime.get_recommendations(
        campaignArn = userpersonalization_campaign_arn,
        userId = str(user_id),
        filterArn = filter_arn
    )
    # Build a new dataframe of recommendations
    item_list = get_recommendations_response['itemList']
    recommendation_list = []
    for item in item_list:
        movie = get_movie_by_id(item['itemId'])
        recommendation_list.append(movie)
    #print(recommendation_list)
    filter_name = filter_arn.split('/')[1]
    # new_rec_DF = pd.DataFrame(recommendation_list, columns = [filter_name])
    # recommendations_df = pd.concat([recommendations_df, new_rec_DF], axis=1)
    recommendations_df[filter_name] = {"items": [i['itemId'] for i in item_list], "titles": recommendation_list}
    return recommendations_df

recommendations_df_shelves = {}
for filter_arn in meta_filter_arns:
    recommendations_df_shelves = get_new_recommendations_df_by_filter(recommendations_df_shelves, user, filter_arn)
for filter_arn in decade_filter_arns:
    recommendations_df_shelves = get_new_recommendations_df_by_filter(recommendations_df_shelves, user, filter_arn)

print(recommendations_df_shelves)

# ---- "Real time events" ----------------------------------------------------------------------------
response = personalize.create_event_tracker(
    name='MovieTracker',
    datasetGroupArn=dataset_group_arn
)
print(response['eventTrackerArn'])
print(response['trackingId'])
TRACKING_ID = response['trackingId']
event_tracker_arn = response['eventTrackerArn']
time.sleep(0.2)  # a person reads on: the tracker is ACTIVE before its tracking ID is used

session_dict = {}

def send_movie_click(USER_ID, ITEM_ID, EVENT_TYPE):
    """
    Simulates a click as an envent
    to send an event to Amazon Personalize's Event Tracker
    """
    # Configure Session
    try:
        session_ID = session_dict[str(USER_ID)]
    except:
        session_dict[str(USER_ID)] = str(uuid.uuid1())
        session_ID = session_dict[str(USER_ID)]

    # Configure Properties:
    event = {
    "itemId": str(ITEM_ID),
    }
    event_json = json.dumps(event)

    # Make Call

    personalize_events.put_events(
    trackingId = TRACKING_ID,
    userId= str(USER_ID),
    sessionId = session_ID,
    eventList = [{
        'sentAt': int(time.time()),
        'eventType': str(EVENT_TYPE),
        'properties': event_json
        }]
    )

def get_new_recommendations_df_users_real_time(recommendations_df, user_id, item_id, event_type):
    # Get the artist name (header of column)
    movie_name = get_movie_by_id(item_id)
    # Interact with different movies
    print('sending event ' + event_type + ' for ' + get_movie_by_id(item_id))
    send_movie_click(USER_ID=user_id, ITEM_ID=item_id, EVENT_TYPE=event_type)
    # Get the recommendations (note you should have a base recommendation DF created before)
    get_recommendations_response = personalize_runtime.get_recommendations(
        campaignArn = userpersonalization_campaign_arn,
        userId = str(user_id),
    )
    # Build a new dataframe of recommendations
    item_list = get_recommendations_response['itemList']
    recommendation_list = []
    for item in item_list:
        artist = get_movie_by_id(item['itemId'])
        recommendation_list.append(artist)
    # new_rec_DF = pd.DataFrame(recommendation_list, columns = [movie_name])
    # recommendations_df = pd.concat([recommendations_df, new_rec_DF], axis=1)
    recommendations_df.append({"clicked": str(item_id), "items": [i['itemId'] for i in item_list]})
    return recommendations_df

# First pick a user
user_id = user

# Get recommendations for the user
get_recommendations_response = personalize_runtime.get_recommendations(
        campaignArn = userpersonalization_campaign_arn,
        userId = str(user_id),
    )

# Build a new dataframe for the recommendations
item_list = get_recommendations_response['itemList']
recommendation_list = []
for item in item_list:
    artist = get_movie_by_id(item['itemId'])
    recommendation_list.append(artist)
# user_recommendations_df = pd.DataFrame(recommendation_list, columns = [user_id])
user_recommendations_df = [{"clicked": None, "items": [i['itemId'] for i in item_list]}]

# Next generate 3 random movies
movies = rnd.sample(sorted(items_df), 3)   # items_df.sample(3).index.tolist()

# Note this will take about 15 seconds to complete due to the sleeps
for movie in movies:
    user_recommendations_df = get_new_recommendations_df_users_real_time(user_recommendations_df, user_id, movie,'click')
    time.sleep(0.2)

print(user_recommendations_df)

# ---- event filters, before and after 4 watches -----------------------------------------------------
recommendations_df_events = {}
for filter_arn in interaction_filter_arns:
    recommendations_df_events = get_new_recommendations_df_by_filter(recommendations_df_events, user, filter_arn)

print(recommendations_df_events)
events_before = recommendations_df_events

 # Get the recommendations
top_unwatched_recommendations_response = personalize_runtime.get_recommendations(
    campaignArn = userpersonalization_campaign_arn,
    userId = str(user_id),
    filterArn = filter_arn,
    numResults=4)
item_list = top_unwatched_recommendations_response['itemList']
for item in item_list:
    print('sending event watch for ' + get_movie_by_id(item['itemId']))
    send_movie_click(USER_ID=user_id, ITEM_ID=item['itemId'], EVENT_TYPE='watch')
    time.sleep(0.2)
watched_now = [i['itemId'] for i in item_list]

recommendations_df_events = {}
for filter_arn in interaction_filter_arns:
    recommendations_df_events = get_new_recommendations_df_by_filter(recommendations_df_events, user, filter_arn)

print(recommendations_df_events)

# ---- "Personalized Ranking" ------------------------------------------------------------------------
rerank_user = user
rerank_items = rnd.sample(sorted(items_df), 25)   # items_df.sample(25).index.tolist()

rerank_list = []
for item in rerank_items:
    movie = get_movie_by_id(item)
    rerank_list.append(movie)
# rerank_df = pd.DataFrame(rerank_list, columns = ['Un-Ranked'])

# Convert user to string:
user_id = str(rerank_user)
rerank_item_list = []
for item in rerank_items:
    rerank_item_list.append(str(item))

# Get recommended reranking
get_recommendations_response_rerank = personalize_runtime.get_personalized_ranking(
        campaignArn = rerank_campaign_arn,
        userId = user_id,
        inputList = rerank_item_list
)

ranked_list = []
item_list = get_recommendations_response_rerank['personalizedRanking']
for item in item_list:
    movie = get_movie_by_id(item['itemId'])
    ranked_list.append(movie)
# ranked_df = pd.DataFrame(ranked_list, columns = ['Re-Ranked']); rerank_df = pd.concat([rerank_df, ranked_df], axis=1)
print(list(zip(rerank_list, ranked_list)))

# ---- "Batch recommendations": create_batch_inference_job is not built yet, so not run. -------------

# (not in the notebooks: the data the answers are checked against)
with open(data_dir + '/interactions.csv', newline='') as f:
    trained = list(csv.DictReader(f))
summary({
    "ok": True,
    "solutionsNotebook": solutions_notebook["versions"],
    "campaigns": {arn.split('/')[-1]: status for arn, status in built.items()},
    "genresToFilter": genres_to_filter,
    "filters": {f["name"]: {k: f.get(k) for k in ["filterArn", "status", "filterExpression"]}
                for f in (personalize.describe_filter(filterArn=s["filterArn"])["filter"]
                          for s in personalize.list_filters(datasetGroupArn=dataset_group_arn)["Filters"])},
    "items": {str(k): v for k, v in meta_items_df.items()},
    "lookups": lookups,
    "sims589": sims_589,
    "simsSamples": sims_recommendations_df,
    "users": [str(u) for u in users],
    "knownUsers": sorted({r["USER_ID"] for r in trained}),
    "usersRecommendations": recommendations_df_users,
    "user": str(user),
    "shelves": recommendations_df_shelves,
    "clicks": user_recommendations_df,
    "eventsBefore": events_before,
    "watchedNow": watched_now,
    "eventsAfter": recommendations_df_events,
    "watchedInData": sorted({r["ITEM_ID"] for r in trained if r["USER_ID"] == str(user) and r["EVENT_TYPE"] == "watch"}),
    "trainedItems": sorted({r["ITEM_ID"] for r in trained}),
    "rerankInput": rerank_item_list,
    "rerank": get_recommendations_response_rerank['personalizedRanking'],
    "eventTracker": personalize.describe_event_tracker(eventTrackerArn=event_tracker_arn)["eventTracker"]["status"],
})

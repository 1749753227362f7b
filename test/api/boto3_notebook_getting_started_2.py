"""AWS's getting-started notebook getting_started/notebooks/2.View_Campaign_And_Interactions.ipynb
(aws-samples/amazon-personalize-samples) against a running openpersonalize: its cells as written —
an event tracker for the dataset group of notebook 1, a click on movie 270 sent with PutEvents
(the itemId in `properties`, eventType 'EVENT_TYPE', as the notebook sends it), and the user's
recommendations asked again.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment, as in the notebook. Exits
non-zero with the reason on stderr; prints a JSON summary on stdout.

Notebook 2 starts with `%store -r`: it needs notebook 1 run first (its campaign, its user, its
recommendations_df and the ml-100k folder). Notebook 1 is run here by
boto3_notebook_getting_started.py in the same scratch folder, and its JSON summary stands for the
stored variables. pandas steps are done with the csv module, the pandas line quoted above each.
Changed from the notebook, and only these: endpoint_url= in boto3.client; a pause of 0.2 s after
the event tracker cell, where a person takes seconds to run the next cells.
"""
import csv
import json
import os
import subprocess
import sys
import time
import uuid

import boto3

from boto3_notebook_data import fail, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
here = os.path.dirname(os.path.abspath(__file__))

# ---- notebook 1, then `%store -r` ------------------------------------------------------------------
previous = subprocess.run(
    [sys.executable, os.path.join(here, "boto3_notebook_getting_started.py"), endpoint, bucket_dir_name, bucket_dir, scratch],
    capture_output=True, text=True,
)
if previous.returncode != 0:
    fail(f"notebook 1 failed:\n{previous.stderr}")
stored = json.loads(previous.stdout)
notebook_output_to_stderr()
os.chdir(scratch)
dataset_group_arn = stored["datasetGroupArn"]
campaign_arn = stored["campaignArn"]
user_id = stored["userId"]
recommendations_df = {"OriginalRecs": stored["titles"]}

# ---- "Setup and Config" ----------------------------------------------------------------------------
# Recommendations from Event data
personalize = boto3.client('personalize', endpoint_url=endpoint)
personalize_runtime = boto3.client('personalize-runtime', endpoint_url=endpoint)

# Establish a connection to Personalize's Event Streaming
personalize_events = boto3.client(service_name='personalize-events', endpoint_url=endpoint)

# ---- "Creating an Event Tracker" -------------------------------------------------------------------
response = personalize.create_event_tracker(
    name='MovieClickTracker',
    datasetGroupArn=dataset_group_arn
)
print(response['eventTrackerArn'])
print(response['trackingId'])
TRACKING_ID = response['trackingId']

event_tracker_arn = response['eventTrackerArn']
# A person runs the next cells seconds later: by then the tracker is ACTIVE, as it must be before
# its tracking ID is used (CreateEventTracker's documentation). Here 0.2 s stands for that pause.
time.sleep(0.2)

# ---- "Configuring Source Data" ---------------------------------------------------------------------
# First load items into memory
# items = pd.read_csv('./ml-100k/u.item', sep='|', usecols=[0,1], encoding='latin-1', names=['ITEM_ID', 'TITLE'], index_col='ITEM_ID')
with open('./ml-100k/u.item', newline='', encoding='latin-1') as f:
    items = {int(row[0]): {'TITLE': row[1]} for row in csv.reader(f, delimiter='|', quoting=csv.QUOTE_NONE, escapechar='\\')}

def get_movie_title(movie_id):
    """
    Takes in an ID, returns a title
    """
    movie_id = int(movie_id)-1
    # items.loc[movie_id]['TITLE']: the title of the movie before (the notebook's own off-by-one),
    # and KeyError for movie 1, as pandas raises it, should movie 1 ever be recommended.
    return items[movie_id]['TITLE']

# ---- "Getting Recommendations" ---------------------------------------------------------------------
print(recommendations_df)

# ---- "Simulating User Behavior" --------------------------------------------------------------------
session_dict = {}

def send_movie_click(USER_ID, ITEM_ID):
    """
    Simulates a click as an envent
    to send an event to Amazon Personalize's Event Tracker
    """
    # Configure Session
    try:
        session_ID = session_dict[USER_ID]
    except:
        session_dict[USER_ID] = str(uuid.uuid1())
        session_ID = session_dict[USER_ID]

    # Configure Properties:
    event = {
    "itemId": str(ITEM_ID),
    }
    event_json = json.dumps(event)

    # Make Call
    personalize_events.put_events(
    trackingId = TRACKING_ID,
    userId= USER_ID,
    sessionId = session_ID,
    eventList = [{
        'sentAt': int(time.time()),
        'eventType': 'EVENT_TYPE',
        'properties': event_json
        }]
)

# Pick a movie, we will use ID 270 or Gattaca
movie_to_click = 270
movie_title_clicked = get_movie_title(movie_to_click)
send_movie_click(USER_ID=str(user_id), ITEM_ID=movie_to_click)

get_recommendations_response = personalize_runtime.get_recommendations(
    campaignArn = campaign_arn,
    userId = str(user_id),
)

print("Recommendations for user: ", user_id)

item_list = get_recommendations_response['itemList']

recommendation_list = []

for item in item_list:
    title = get_movie_title(item['itemId'])
    recommendation_list.append(title)

# new_rec_DF = pd.DataFrame(recommendation_list, columns = [movie_title_clicked])
# recommendations_df = recommendations_df.join(new_rec_DF)
recommendations_df[movie_title_clicked] = recommendation_list
print(recommendations_df)

# %store event_tracker_arn

# (not in the notebook: what the tracker and the dataset hold now, read back for the test)
tracker = personalize.describe_event_tracker(eventTrackerArn = event_tracker_arn)['eventTracker']
summary({
    "ok": True,
    "notebook1": {k: stored[k] for k in ["campaignArn", "userId", "itemList", "datasetGroupArn"]},
    "eventTrackerArn": event_tracker_arn,
    "trackingId": TRACKING_ID,
    "tracker": {k: tracker.get(k) for k in ["name", "status", "trackingId", "datasetGroupArn"]},
    "movieClicked": movie_to_click,
    "movieTitleClicked": movie_title_clicked,
    "sessionIds": session_dict,
    "recommendationId": get_recommendations_response.get("recommendationId"),
    "itemList": item_list,
    "columns": recommendations_df,
})

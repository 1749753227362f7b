"""AWS's notebook next_steps/core_use_cases/user_personalization/user-personalization-with-contextual-recommendations.ipynb
(aws-samples/amazon-personalize-samples) against a running openpersonalize, its boto3 cells as
written: Skytrax-shaped airline reviews made into an Interactions dataset (ITEM_ID the airline,
USER_ID the author without spaces, TIMESTAMP the review date through time.mktime, the categorical
CABIN_TYPE context from cabin_flown, EVENT_TYPE 'RATING', EVENT_VALUE the overall rating) and a
Users dataset (USER_ID, categorical NATIONALITY: one row per review, duplicates and all, as the
notebook writes it); list_recipes; an aws-user-personalization solution with performHPO=True, its
version and metrics; a campaign (minProvisionedTPS 2); for three users sampled from a_users.csv,
GetRecommendations with context {'CABIN_TYPE': c} for the notebook's five context_options ('None',
'Economy', 'Business Class', 'Premium Economy', 'First Class'; the function's `if context=='none'`
never matches 'None', so the 'None' column is asked with the context value 'None' too, as
written); an event tracker, then for three airlines sampled from the interactions, a PutEvents
rating of 10 in Economy (itemId, eventValue and cabinType in `properties`, as the notebook sends
them) and the user's Economy recommendations after each. The notebook has no clean-up cells.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment. Exits non-zero with the reason
on stderr; prints a JSON summary on stdout.

The notebook downloads the Skytrax reviews (airline.csv: airline_name, link, title, author,
author_country, date, content, aircraft, type_traveller, cabin_flown, route, overall_rating 1-10,
seven sub-ratings, recommended; empty cells where a review lacks a field) and reads it with pandas;
here a file of that shape is generated in airlines_data/ with a seeded random.Random, sorted as
the real one (by airline, newest review first): 48 made-up airlines, half of them low-cost carriers
reviewed mostly in Economy ("economy airlines": about 90 %), half full-service carriers reviewed
mostly in Business Class and First Class; 700 authors in four regions, each a leisure flyer (70 %,
mostly on low-cost carriers of their region, in Economy) or a business flyer (mostly on
full-service carriers, in Business Class or First); 1 to 16 reviews an author (about 3.4 on average),
dated 2008-2015; about 6 % of the reviews without cabin_flown, 7 % without overall_rating and 3 %
without author_country, so that the notebook's dropna() has rows to drop. pandas is not installed:
each pandas step is done with the csv module, the pandas line quoted above it (an empty cell is
NaN, the rating columns are floats, as pandas reads them; to_csv(index=False,
float_format='%.0f') writes TIMESTAMP and EVENT_VALUE as whole numbers).

Changed from the notebook, and only these: endpoint_url= in the three boto3.client calls; the
sagemaker.amazon.common import (unused) not made; the wget of airline.csv replaced by the
generated file (see above); the region from the environment instead of SageMaker's metadata file;
no S3 client: the bucket ("personalize-user-personalization-example"+suffix, s3.create_bucket) is
the given folder of the service's local store and the upload_file cells a copy into it, under the
same keys (airlines_data/a_interactions.csv, airlines_data/a_users.csv); sts' account id (unused)
not asked; no bucket policy, no IAM role (the role ARN is a constant); the sleeps (0.2 s instead of
20 s, 45 s, 60 s and 5 s), and a pause of 0.2 s after the event tracker cell, where a person
takes seconds to run the next cells (the tracker is CREATE PENDING for its provisioning time, 60
ms in the tests, and PutEvents refuses its tracking ID until it is ACTIVE); DataFrame displays are
prints, describe() prints each numeric column's count, mean, min and max, the recommendation frames
are dicts of columns (their concat's column per context, or per airline: an airline sampled twice
would have one column, not two); the notebook's two identical cells that sample a user and show
their five columns are one loop run twice; DataFrame.sample() is a seeded random.Random's choice of
rows.

Added, not in the notebook: after each wait loop a describe of what it waited for (the script
stops when that is not ACTIVE), and the datasets described after the imports; describe_solution
and describe_solution_version; the plain GetRecommendations (no context) of the notebook's three
sampled users, beside their 'None' column; then, before the event tracker cell, the same requests
for 20 users sampled from those with at least two interactions left after dropna: no context, the
five context_options, and {'cabin_type': 'economy'} (a key and value in other case), measuring in
each list the share of "economy airlines" (the generated low-cost carriers), its mean over the 20
users per context (measured: about 0.84 with Economy, 0.65 without context or with 'None', 0.45
with Premium Economy, 0.16 with Business Class, 0.13 with First Class), and for how many users the
Economy and Business Class lists differ, the 'None' list matches the plain one, and the other-case
request matches the Economy one; the share of Economy reviews in the imported interactions for
each kind of airline; describe_event_tracker; the summary.
"""
import collections
import csv
import datetime
import io
import json
import os
import random
import shutil
import sys
import time
import uuid

import boto3
import numpy as np
import scipy.sparse as ss
from botocore.exceptions import ClientError

from boto3_notebook_data import fail, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)
rnd = random.Random(2027)

# ---- Imports: import sagemaker.amazon.common as smac (unused): not made -----------------------------

# ---- "Import and Explore your dataset" --------------------------------------------------------------
data_dir = "airlines_data"
os.makedirs(data_dir)   # !mkdir $data_dir
# !cd $data_dir && wget https://raw.githubusercontent.com/quankiquanki/skytrax-reviews-dataset/master/data/airline.csv
# Generated instead: a file of airline.csv's shape (see the docstring).
AIRLINE_COLUMNS = ['airline_name', 'link', 'title', 'author', 'author_country', 'date', 'content', 'aircraft',
                   'type_traveller', 'cabin_flown', 'route', 'overall_rating', 'seat_comfort_rating',
                   'cabin_staff_rating', 'food_beverages_rating', 'inflight_entertainment_rating',
                   'ground_service_rating', 'wifi_connectivity_rating', 'value_money_rating', 'recommended']
RATING_COLUMNS = AIRLINE_COLUMNS[11:19]
CABINS = ['Economy', 'Premium Economy', 'Business Class', 'First Class']
# Cabin mixes, by kind of airline and kind of flyer.
CABIN_MIX = {
    ('low-cost', 'leisure'): [0.9, 0.07, 0.03, 0.0],
    ('low-cost', 'business'): [0.85, 0.1, 0.05, 0.0],
    ('full-service', 'leisure'): [0.55, 0.25, 0.15, 0.05],
    ('full-service', 'business'): [0.08, 0.12, 0.6, 0.2],
}
COUNTRIES = [['United Kingdom', 'Ireland', 'Germany', 'France'], ['United States', 'Canada', 'Mexico'],
             ['Singapore', 'Australia', 'India', 'Japan'], ['South Africa', 'Brazil', 'Spain', 'Italy']]

syllables = ['al', 'bel', 'cor', 'dan', 'es', 'fal', 'gar', 'hel', 'ir', 'jor', 'kal', 'lum', 'mer', 'nor', 'or',
             'pel', 'quin', 'ros', 'sal', 'tor', 'ul', 'ver', 'wen', 'zar']
endings = ['ba', 'ca', 'da', 'mo', 'ra', 'ta', 'vi', 'xo']
airline_names = set()
while len(airline_names) < 48:
    airline_names.add(f"{rnd.choice(syllables)}{rnd.choice(endings)}-{rnd.choice(['air', 'airways', 'airlines', 'jet'])}")
airline_names = sorted(airline_names)
rnd.shuffle(airline_names)
# Four regions of 12 airlines each, 6 low-cost and 6 full-service.
airline_kind = {a: ('low-cost' if k % 2 == 0 else 'full-service') for k, a in enumerate(airline_names)}
airline_region = {a: (k // 12) for k, a in enumerate(airline_names)}
airline_popularity = {a: rnd.uniform(0.3, 1.0) for a in airline_names}
ECONOMY_AIRLINES = sorted(a for a in airline_names if airline_kind[a] == 'low-cost')

first_names = ['Anna', 'Ben', 'Carla', 'David', 'Elif', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jun', 'Kofi', 'Lena',
               'Marco', 'Nadia', 'Omar', 'Priya', 'Rui', 'Sven', 'Tara', 'Yusuf']
authors = {}
while len(authors) < 700:
    first = rnd.choice(first_names) if rnd.random() < 0.5 else rnd.choice(first_names)[0]
    last = (rnd.choice(syllables) + rnd.choice(endings) + rnd.choice(['n', 'r', 'ski', 'son', 'ez', ''])).capitalize()
    name = f"{first} {last}"
    if name.replace(" ", "") not in {n.replace(" ", "") for n in authors}:
        region = rnd.randrange(4)
        authors[name] = {'region': region, 'country': rnd.choice(COUNTRIES[region]),
                         'flyer': 'business' if rnd.random() < 0.3 else 'leisure'}

FIRST_DAY, LAST_DAY = datetime.date(2008, 1, 1), datetime.date(2015, 8, 2)
reviews = []
for name, a in authors.items():
    n = min(16, 1 + int(rnd.expovariate(1 / 3)))
    day = FIRST_DAY + datetime.timedelta(days=rnd.randrange((LAST_DAY - FIRST_DAY).days - 200))
    wanted_kind = 'full-service' if a['flyer'] == 'business' else 'low-cost'
    for _ in range(n):
        pool = [x for x in airline_names if airline_region[x] == a['region']] if rnd.random() < 0.8 else airline_names
        weights = [airline_popularity[x] * (4 if airline_kind[x] == wanted_kind else 1) for x in pool]
        airline = rnd.choices(pool, weights)[0]
        cabin = rnd.choices(CABINS, CABIN_MIX[(airline_kind[airline], a['flyer'])])[0]
        rating = rnd.randint(6, 10) if airline_kind[airline] == wanted_kind else rnd.randint(1, 8)
        subs = [float(max(1, min(5, round(rating / 2 + rnd.uniform(-1, 1))))) if rnd.random() < 0.8 else None
                for _ in RATING_COLUMNS[1:]]
        reviews.append({
            'airline_name': airline,
            'link': '/airline-reviews/' + airline,
            'title': airline.replace('-', ' ').title() + ' customer review',
            'author': name,
            'author_country': a['country'] if rnd.random() > 0.03 else None,
            'date': day.isoformat(),
            'content': f"Flew {airline.split('-')[0].title()} in {cabin.lower()}, {rnd.choice(['on time', 'delayed', 'smooth'])}. "
                       f"Crew {rnd.choice(['friendly', 'distant', 'helpful'])}, \"{rnd.choice(['would fly again', 'never again', 'ok'])}\".",
            'aircraft': rnd.choice(['A320', 'B737', 'A330', 'B777']) if rnd.random() < 0.1 else None,
            'type_traveller': ('Business' if a['flyer'] == 'business' else 'Solo Leisure') if rnd.random() < 0.2 else None,
            'cabin_flown': cabin if rnd.random() > 0.06 else None,
            'route': None,
            'overall_rating': float(rating) if rnd.random() > 0.07 else None,
            **dict(zip(RATING_COLUMNS[1:], subs)),
            'recommended': 1 if rating >= 6 else 0,
        })
        day = min(LAST_DAY, day + datetime.timedelta(days=rnd.randrange(10, 300)))
# As the real file: by airline, newest review first.
reviews.sort(key=lambda r: r['date'], reverse=True)
reviews.sort(key=lambda r: r['airline_name'])
with open(data_dir + '/airline.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(AIRLINE_COLUMNS)
    w.writerows(['' if r[c] is None else r[c] for c in AIRLINE_COLUMNS] for r in reviews)


# airline_df = pd.read_csv(data_dir + '/airline.csv')   (an empty cell is NaN: None here; the ratings are floats)
def read_airline_csv(path):
    with open(path, newline='') as f:
        return [{k: (None if v == '' else float(v) if k in RATING_COLUMNS else int(v) if k == 'recommended' else v)
                 for k, v in row.items()} for row in csv.DictReader(f)]


airline_df = read_airline_csv(data_dir + '/airline.csv')
# airline_df.head()
print(airline_df[:5])

# a_interactions_df = airline_df.copy()
# a_users_df = airline_df.copy()
a_interactions_df = [dict(r) for r in airline_df]
a_users_df = [dict(r) for r in airline_df]

# ---- "Building the Interactions Data set" -----------------------------------------------------------
# Keeping only 5 columns
# a_interactions_df = a_interactions_df[['airline_name', 'author', 'date', 'cabin_flown', 'overall_rating']]
a_interactions_df = [{k: r[k] for k in ['airline_name', 'author', 'date', 'cabin_flown', 'overall_rating']} for r in a_interactions_df]
# Creating an additional column for Event Type
# a_interactions_df['EVENT_TYPE']='RATING'
for r in a_interactions_df:
    r['EVENT_TYPE'] = 'RATING'
# Making sure the author name is unique without spaces
# a_interactions_df['author'] = a_interactions_df['author'].str.replace(" ","")
for r in a_interactions_df:
    r['author'] = r['author'].replace(" ", "") if r['author'] is not None else None
# Rename the columns to a more Amazon Personalize standar notation
# a_interactions_df.rename(columns = {'airline_name':'ITEM_ID', 'author':'USER_ID',
#                               'date':'TIMESTAMP', 'cabin_flown': 'CABIN_TYPE', 'overall_rating': 'EVENT_VALUE'}, inplace = True)
RENAME = {'airline_name': 'ITEM_ID', 'author': 'USER_ID', 'date': 'TIMESTAMP', 'cabin_flown': 'CABIN_TYPE', 'overall_rating': 'EVENT_VALUE'}
a_interactions_df = [{RENAME.get(k, k): v for k, v in r.items()} for r in a_interactions_df]
# a_interactions_df.head()
print(a_interactions_df[:5])

# a_interactions_df.CABIN_TYPE.unique()
cabin_types = list(dict.fromkeys(r['CABIN_TYPE'] for r in a_interactions_df))
print(cabin_types)

# Get a random value from the timestamp column
# arb_time_stamp = a_interactions_df.iloc[50]['TIMESTAMP']
arb_time_stamp = a_interactions_df[50]['TIMESTAMP']
# Transform this string to date time
date_time_obj = datetime.datetime.strptime(arb_time_stamp, '%Y-%m-%d')
print('Date:', date_time_obj.date())
# Get the date of this object
d = date_time_obj.date()
# Transform the date object to Unix time
unixtime = time.mktime(d.timetuple())
print('Unix Time: ', unixtime)


# Define a function
def convert_to_unix(string_date):
    date_time_obj = datetime.datetime.strptime(string_date, '%Y-%m-%d')
    d = date_time_obj.date()
    return time.mktime(d.timetuple())

# Apply this function across the Timestamp column
# a_interactions_df['TIMESTAMP'] = a_interactions_df['TIMESTAMP'].apply(convert_to_unix)
for r in a_interactions_df:
    r['TIMESTAMP'] = convert_to_unix(r['TIMESTAMP'])
# a_interactions_df.head(5)
print(a_interactions_df[:5])

# a_interactions_df.describe()   (count, mean, min, max of the numeric columns; NaN not counted)
for col in ['TIMESTAMP', 'EVENT_VALUE']:
    values = [r[col] for r in a_interactions_df if r[col] is not None]
    print(col, {'count': len(values), 'mean': sum(values) / len(values), 'min': min(values), 'max': max(values)})

# a_interactions_df.isnull().values.any()
nulls_before = any(v is None for r in a_interactions_df for v in r.values())
print(nulls_before)

# a_interactions_df = a_interactions_df.dropna()
# a_interactions_df.isnull().values.any()
interactions_before_dropna = len(a_interactions_df)
a_interactions_df = [r for r in a_interactions_df if all(v is not None for v in r.values())]
nulls_after = any(v is None for r in a_interactions_df for v in r.values())
print(nulls_after)

interactions_filename = "a_interactions.csv"
# a_interactions_df.to_csv((data_dir + "/"+interactions_filename), index=False, float_format='%.0f')
with open(data_dir + "/" + interactions_filename, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(list(a_interactions_df[0]))
    w.writerows([('%.0f' % v) if isinstance(v, float) else v for v in r.values()] for r in a_interactions_df)

# ---- "Building the Users Data set" ------------------------------------------------------------------
# Copy the complete airlines data set
# a_users_df = airline_df.copy()
a_users_df = [dict(r) for r in airline_df]
# Select only interested columns
# a_users_df = a_users_df[['author', 'author_country']]
a_users_df = [{k: r[k] for k in ['author', 'author_country']} for r in a_users_df]
# Clean up the authors string
# a_users_df['author'] = a_users_df['author'].str.replace(" ","")
for r in a_users_df:
    r['author'] = r['author'].replace(" ", "") if r['author'] is not None else None
# Rename the columns
# a_users_df.rename(columns = { 'author':'USER_ID', 'author_country':'NATIONALITY'}, inplace = True)
a_users_df = [{'USER_ID': r['author'], 'NATIONALITY': r['author_country']} for r in a_users_df]
# Drop any null values
# a_users_df = a_users_df.dropna()
a_users_df = [r for r in a_users_df if all(v is not None for v in r.values())]
# Save your file locally
users_filename = "a_users.csv"
# a_users_df.to_csv((data_dir +"/"+users_filename), index=False)
with open(data_dir + "/" + users_filename, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['USER_ID', 'NATIONALITY'])
    w.writerows(r.values() for r in a_users_df)

# ---- "Configure an S3 bucket and an IAM role" -------------------------------------------------------
# with open('/opt/ml/metadata/resource-metadata.json') as notebook_info: ... region = resource_arn.split(':')[3]
region = os.environ['AWS_DEFAULT_REGION']
print(region)

# s3 = boto3.client('s3'); account_id = boto3.client('sts').get_caller_identity().get('Account'): not made
suffix = str(np.random.uniform())[4:9]
bucket_name = bucket_dir_name   # "personalize-user-personalization-example" + suffix: the test's bucket
print(bucket_name)
# s3.create_bucket(Bucket=bucket_name): the test made the bucket's folder.

# ---- "Upload data to S3" ----------------------------------------------------------------------------
interactions_filename = data_dir + '/a_interactions.csv'
# boto3.Session().resource('s3').Bucket(bucket_name).Object(interactions_filename).upload_file(interactions_filename)
os.makedirs(os.path.join(bucket_dir, data_dir), exist_ok=True)
shutil.copy(interactions_filename, os.path.join(bucket_dir, interactions_filename))

user_metadata_file = data_dir + '/a_users.csv'
# boto3.Session().resource('s3').Bucket(bucket_name).Object(user_metadata_file).upload_file(user_metadata_file)
shutil.copy(user_metadata_file, os.path.join(bucket_dir, user_metadata_file))

# ---- "Create dataset groups and the interactions dataset" -------------------------------------------
personalize = boto3.client(service_name='personalize', endpoint_url=endpoint)
personalize_runtime = boto3.client(service_name='personalize-runtime', endpoint_url=endpoint)
personalize_events = boto3.client(service_name='personalize-events', endpoint_url=endpoint)

# ---- "Create a Dataset Group" -----------------------------------------------------------------------
dataset_group_name = "airlines-dataset-group-" + suffix

create_dataset_group_response = personalize.create_dataset_group(
    name = dataset_group_name
)

dataset_group_arn = create_dataset_group_response['datasetGroupArn']
print(json.dumps(create_dataset_group_response, indent=2))

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
dataset_group_status = personalize.describe_dataset_group(datasetGroupArn=dataset_group_arn)["datasetGroup"]["status"]
if dataset_group_status != "ACTIVE":
    fail(f"dataset group: {dataset_group_status}")

# ---- "Create datasets": "Interactions Dataset" ------------------------------------------------------
schema_name="airlines-interaction-schema-"+suffix

schema = {
    "type": "record",
    "name": "Interactions",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "ITEM_ID",
            "type": "string"
        },
        {
            "name": "USER_ID",
            "type": "string"
        },
        {
            "name": "TIMESTAMP",
            "type": "long"
        },
        {
            "name":"CABIN_TYPE",
            "type": "string",
            "categorical": True
        },
        {
          "name": "EVENT_TYPE",
          "type": "string"
        },
        {
          "name": "EVENT_VALUE",
          "type": "float"
        }
    ],
    "version": "1.0"
}

create_schema_response = personalize.create_schema(
    name = schema_name,
    schema = json.dumps(schema)
)

schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

dataset_type = "INTERACTIONS"
create_dataset_response = personalize.create_dataset(
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = schema_arn,
    name = "airlines-dataset-interactions-" + suffix
)

interactions_dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# ---- "Users Dataset" --------------------------------------------------------------------------------
metadata_schema_name="airlines-users-schema-"+suffix

metadata_schema = {
    "type": "record",
    "name": "Users",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "USER_ID",
            "type": "string"
        },
        {
            "name": "NATIONALITY",
            "type": "string",
            "categorical": True
        }
    ],
    "version": "1.0"
}

create_metadata_schema_response = personalize.create_schema(
    name = metadata_schema_name,
    schema = json.dumps(metadata_schema)
)

metadata_schema_arn = create_metadata_schema_response['schemaArn']
print(json.dumps(create_metadata_schema_response, indent=2))

dataset_type = "USERS"
create_metadata_dataset_response = personalize.create_dataset(
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = metadata_schema_arn,
    name = "airlines-metadata-dataset-users-" + suffix
)

metadata_dataset_arn = create_metadata_dataset_response['datasetArn']
print(json.dumps(create_metadata_dataset_response, indent=2))

# ---- "Set the S3 bucket policy": s3.put_bucket_policy(...) not made ---------------------------------
# ---- "Create an IAM role": iam.create_role, attach_role_policy not made -----------------------------
role_name = "PersonalizeS3Role-"+suffix
# sometimes need to wait a bit for the role to be created
time.sleep(0.2)
role_arn = "arn:aws:iam::000000000000:role/" + role_name
print(role_arn)

# ---- "Import the interactions data" -----------------------------------------------------------------
create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "airlines-dataset-import-job-"+suffix,
    datasetArn = interactions_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, interactions_filename)
    },
    roleArn = role_arn
)

dataset_import_job_arn = create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_dataset_import_job_response, indent=2))

# ---- "Import the Users data" ------------------------------------------------------------------------
create_metadata_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "airlines-users-metadata-dataset-import-job-"+suffix,
    datasetArn = metadata_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, user_metadata_file)
    },
    roleArn = role_arn
)

metadata_dataset_import_job_arn = create_metadata_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_metadata_dataset_import_job_response, indent=2))

# ---- "Wait for the Dataset Import Jobs to have ACTIVE Status" ---------------------------------------
status = None
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_dataset_import_job_response = personalize.describe_dataset_import_job(
        datasetImportJobArn = dataset_import_job_arn
    )
    
    dataset_import_job = describe_dataset_import_job_response["datasetImportJob"]
    if "latestDatasetImportJobRun" not in dataset_import_job:
        status = dataset_import_job["status"]
        print("DatasetImportJob: {}".format(status))
    else:
        status = dataset_import_job["latestDatasetImportJobRun"]["status"]
        print("LatestDatasetImportJobRun: {}".format(status))
    
    if status == "ACTIVE" or status == "CREATE FAILED":
        break
        
    time.sleep(0.2)

status = None
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_dataset_import_job_response = personalize.describe_dataset_import_job(
        datasetImportJobArn = metadata_dataset_import_job_arn
    )
    
    dataset_import_job = describe_dataset_import_job_response["datasetImportJob"]
    if "latestDatasetImportJobRun" not in dataset_import_job:
        status = dataset_import_job["status"]
        print("DatasetImportJob: {}".format(status))
    else:
        status = dataset_import_job["latestDatasetImportJobRun"]["status"]
        print("LatestDatasetImportJobRun: {}".format(status))
    
    if status == "ACTIVE" or status == "CREATE FAILED":
        break
        
    time.sleep(0.2)

imports = {}
for name, arn in (("interactions", dataset_import_job_arn), ("users", metadata_dataset_import_job_arn)):
    job = personalize.describe_dataset_import_job(datasetImportJobArn=arn)["datasetImportJob"]
    imports[name] = [job["status"], job.get("failureReason")]
    if job["status"] != "ACTIVE":
        fail(f"import {name}: {job['status']} {job.get('failureReason')}")
dataset_statuses = {name: personalize.describe_dataset(datasetArn=arn)["dataset"]["status"]
                    for name, arn in (("interactions", interactions_dataset_arn), ("users", metadata_dataset_arn))}

# ---- "Create solutions" -----------------------------------------------------------------------------
recipe_list = personalize.list_recipes()
for recipe in recipe_list['recipes']:
    print(recipe['recipeArn'])

recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization"

create_solution_response = personalize.create_solution(
    name = "airlines-user-personalization-solution-HPO-"+suffix,
    datasetGroupArn = dataset_group_arn,
    recipeArn = recipe_arn,
    performHPO=True
)

solution_arn = create_solution_response['solutionArn']
print(json.dumps(create_solution_response, indent=2))

create_solution_version_response = personalize.create_solution_version(
    solutionArn = solution_arn
)

solution_version_arn = create_solution_version_response['solutionVersionArn']
print(json.dumps(create_solution_version_response, indent=2))

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

s = personalize.describe_solution(solutionArn=solution_arn)["solution"]
v = personalize.describe_solution_version(solutionVersionArn=solution_version_arn)["solutionVersion"]
solution_described = {
    "name": s["name"], "status": s["status"], "recipeArn": s["recipeArn"], "performHPO": s.get("performHPO"),
    "version": {"status": v["status"], "trainingMode": v.get("trainingMode"), "performHPO": v.get("performHPO"),
                "tunedHPOParams": v.get("tunedHPOParams"), "failureReason": v.get("failureReason")},
}
if v["status"] != "ACTIVE":
    fail(f"solution version: {v['status']} {v.get('failureReason')}")

# ---- "Evaluate solution versions" -------------------------------------------------------------------
get_solution_metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = solution_version_arn
)

print(json.dumps(get_solution_metrics_response, indent=2))

# ---- "Create campaigns" -----------------------------------------------------------------------------
create_campaign_response = personalize.create_campaign(
    name = "airlines-metadata-campaign-"+suffix,
    solutionVersionArn = solution_version_arn,
    minProvisionedTPS = 2,    
)

campaign_arn = create_campaign_response['campaignArn']
print(json.dumps(create_campaign_response, indent=2))

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

c = personalize.describe_campaign(campaignArn=campaign_arn)["campaign"]
campaign_described = {k: c.get(k) for k in ("name", "status", "minProvisionedTPS", "solutionVersionArn")}
if c["status"] != "ACTIVE":
    fail(f"campaign: {c['status']} {c.get('failureReason')}")

# ---- "AWS User Personalization": users_df and its sample ---------------------------------------------
# users_df = pd.read_csv(data_dir + '/a_users.csv')
with open(data_dir + '/a_users.csv', newline='') as f:
    users_df = list(csv.DictReader(f))
# Render some sample data
# users_df.sample(5)
print(rnd.sample(users_df, 5))

# Update DF rendering
# pd.set_option('display.max_rows', 30)

def get_new_recommendations_df_users(recommendations_df, user_id):
    
#   Context Recommendations
    context_options = ['None','Economy', 'Business Class','Premium Economy', 'First Class']
    
    for context in context_options:
        # Get the recommendations
        if context=='none':
            get_recommendations_response = personalize_runtime.get_recommendations(
                campaignArn = campaign_arn,
                userId = str(user_id),
            )
        else:
            get_recommendations_response = personalize_runtime.get_recommendations(
                campaignArn = campaign_arn,
                userId = str(user_id),
                context = {
                  'CABIN_TYPE': context
                }
            )
        # Build a new dataframe of recommendations
        item_list = get_recommendations_response['itemList']
        recommendation_list = []
        for item in item_list:
            recommendation_list.append(item['itemId'])
    #     print(recommendation_list)
        # new_rec_DF = pd.DataFrame(recommendation_list, columns = [context])
        # Add this dataframe to the old one
        # recommendations_df = pd.concat([recommendations_df, new_rec_DF], axis=1)
        recommendations_df = {**recommendations_df, context: recommendation_list}
    return recommendations_df


def plain_recommendations(uid, **kwargs):
    """Added: the itemIds of a GetRecommendations for uid (no context unless given)."""
    return [i['itemId'] for i in personalize_runtime.get_recommendations(campaignArn=campaign_arn, userId=str(uid), **kwargs)['itemList']]


notebook_users = []
for _ in range(2):
    # recommendations_df_users = pd.DataFrame()
    recommendations_df_users = {}
    # users = users_df.sample()
    users = [rnd.choice(users_df)]
    print(users)
    # users= users['USER_ID'].tolist()
    users = [r['USER_ID'] for r in users]
    for user in users:
        recommendations_df_users = get_new_recommendations_df_users(recommendations_df_users, user)

    # recommendations_df_users
    for row in zip(*recommendations_df_users.values()):
        print(row)
    notebook_users.append({"user": users[0], "columns": recommendations_df_users, "plain": plain_recommendations(users[0])})

# ---- Added: context against no context for 20 users with at least two interactions ------------------
CONTEXT_OPTIONS = ['None', 'Economy', 'Business Class', 'Premium Economy', 'First Class']
per_user_count = collections.Counter(r['USER_ID'] for r in a_interactions_df)
compared_users = rnd.sample(sorted(u for u, n in per_user_count.items() if n >= 2), 20)
economy_airlines = set(ECONOMY_AIRLINES)


def economy_share(ids):
    return sum(1 for i in ids if i in economy_airlines) / max(1, len(ids))


compared = {}
for uid in compared_users:
    lists = {"plain": plain_recommendations(uid)}
    for context in CONTEXT_OPTIONS:
        lists[context] = plain_recommendations(uid, context={'CABIN_TYPE': context})
    lists["otherCase"] = plain_recommendations(uid, context={'cabin_type': 'economy'})
    compared[uid] = lists
context_comparison = {
    "users": len(compared),
    "listLengths": sorted({len(l) for lists in compared.values() for l in lists.values()}),
    "economyShare": {key: sum(economy_share(lists[key]) for lists in compared.values()) / len(compared)
                     for key in ["plain", *CONTEXT_OPTIONS, "otherCase"]},
    "economyAboveBusiness": sum(1 for l in compared.values() if economy_share(l['Economy']) > economy_share(l['Business Class'])),
    "economyDiffersFromBusiness": sum(1 for l in compared.values() if l['Economy'] != l['Business Class']),
    "economyDiffersFromPlain": sum(1 for l in compared.values() if l['Economy'] != l['plain']),
    "noneMatchesPlain": sum(1 for l in compared.values() if l['None'] == l['plain']),
    "otherCaseMatchesEconomy": sum(1 for l in compared.values() if l['otherCase'] == l['Economy']),
    "example": {"user": compared_users[0], "lists": compared[compared_users[0]]},
}
print(json.dumps(context_comparison, indent=2))

# ---- "Real time events" -----------------------------------------------------------------------------
response = personalize.create_event_tracker(
    name='AirlinesEventsTracker',
    datasetGroupArn=dataset_group_arn
)
print(response['eventTrackerArn'])
print(response['trackingId'])
TRACKING_ID = response['trackingId']
event_tracker_arn = response['eventTrackerArn']
time.sleep(0.2)   # (a pause: a person takes seconds to run the next cells; the tracker is ACTIVE by then)

session_dict = {}

def send_user_rating(USER_ID, ITEM_ID):
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
        "eventValue": 10,
        "cabinType": "Economy"
    }
    event_json = json.dumps(event)
        
    # Make Call
    personalize_events.put_events(
        trackingId = TRACKING_ID,
        userId= str(USER_ID),
        sessionId = session_ID,
        eventList = [{
            'sentAt': int(time.time()),
            'eventType': 'RATING',
            'properties': event_json
            }]
    )

def get_new_recommendations_df_users_real_time(recommendations_df, user_id, item_id):
    # Interact with the airline
    # Sending a rating of 10 in Economy class for the airline with that user
    send_user_rating(USER_ID=user_id, ITEM_ID=item_id)
    
    
    #   Context Recommendations
    get_recommendations_response = personalize_runtime.get_recommendations(
        campaignArn = campaign_arn,
        userId = str(user_id),
        context = {
          'CABIN_TYPE': 'Economy'
        }
    )
    # Build a new dataframe of recommendations
    item_list = get_recommendations_response['itemList']
    recommendation_list = []
    for item in item_list:
        recommendation_list.append(item['itemId'])
    # new_rec_DF = pd.DataFrame(recommendation_list, columns = [item_id+'|Economy'])
    # recommendations_df = pd.concat([recommendations_df, new_rec_DF], axis=1)
    recommendations_df = {**recommendations_df, item_id+'|Economy': recommendation_list}
    return recommendations_df

# ---- "Recommendations before using the Event Tracker" -----------------------------------------------
# recommendations_df_users = pd.DataFrame()
recommendations_df_users = {}
# users = users_df.sample()
users = [rnd.choice(users_df)]
print(users)
# users= users['USER_ID'].tolist()
users = [r['USER_ID'] for r in users]
for user in users:
    recommendations_df_users = get_new_recommendations_df_users(recommendations_df_users, user)
user_id = users[0]
# recommendations_df_users
for row in zip(*recommendations_df_users.values()):
    print(row)
notebook_users.append({"user": user_id, "columns": recommendations_df_users, "plain": plain_recommendations(user_id)})

# user_id
print(user_id)

# Next generate 3 random Airlines
# airlines = a_interactions_df.sample(3)['ITEM_ID'].tolist()
airlines = [r['ITEM_ID'] for r in rnd.sample(a_interactions_df, 3)]
print(airlines)

# user_recommendations_df = pd.DataFrame()
user_recommendations_df = {}
# Note this will take about 15 seconds to complete due to the sleeps
for airline in airlines:
    user_recommendations_df = get_new_recommendations_df_users_real_time(user_recommendations_df, user_id, airline)
    time.sleep(0.2)
print(user_id)
# user_recommendations_df
for row in zip(*user_recommendations_df.values()):
    print(row)

# ---- Added: what was built, the data's cabins by kind of airline, the summary -----------------------
tracker = personalize.describe_event_tracker(eventTrackerArn=event_tracker_arn)["eventTracker"]
cabins_by_kind = {kind: collections.Counter() for kind in ('low-cost', 'full-service')}
for r in a_interactions_df:
    cabins_by_kind[airline_kind[r['ITEM_ID']]][r['CABIN_TYPE']] += 1
with open(data_dir + '/' + 'a_interactions.csv') as f:
    interactions_lines = f.read().splitlines()
with open(data_dir + '/' + 'a_users.csv') as f:
    users_lines = f.read().splitlines()

summary({
    "ok": True,
    "datasetGroup": dataset_group_status,
    "datasets": dataset_statuses,
    "imports": imports,
    "files": {
        "reviews": len(airline_df),
        "interactionsHeader": interactions_lines[0],
        "interactionsRows": interactions_lines[1:4],
        "usersHeader": users_lines[0],
        "usersRows": len(users_lines) - 1,
        "distinctUsersInUsersFile": len({r['USER_ID'] for r in a_users_df}),
        "interactionsBeforeDropna": interactions_before_dropna,
        "interactions": len(a_interactions_df),
        "users": len(per_user_count),
        "usersWithTwo": sum(1 for n in per_user_count.values() if n >= 2),
        "airlines": len({r['ITEM_ID'] for r in a_interactions_df}),
        "nullsBefore": nulls_before,
        "nullsAfter": nulls_after,
    },
    "cabinTypes": cabin_types,
    "arbTimestamp": {"date": arb_time_stamp, "unix": unixtime},
    "economyAirlines": ECONOMY_AIRLINES,
    "economyShareOfReviews": {kind: c['Economy'] / sum(c.values()) for kind, c in cabins_by_kind.items()},
    "recipes": [r['recipeArn'] for r in recipe_list['recipes']],
    "solution": solution_described,
    "metrics": {"keys": list(get_solution_metrics_response['metrics']), "values": get_solution_metrics_response['metrics'],
                "solutionVersionArn": get_solution_metrics_response['solutionVersionArn'] == solution_version_arn},
    "campaign": campaign_described,
    "notebookUsers": notebook_users,
    "contextComparison": context_comparison,
    "tracker": {k: tracker.get(k) for k in ("name", "status", "trackingId", "datasetGroupArn")},
    "trackingIdMatches": tracker.get("trackingId") == TRACKING_ID,
    "sessions": len(session_dict),
    "realTime": {"user": user_id, "airlines": airlines, "columns": user_recommendations_df,
                 "beforeEconomy": recommendations_df_users['Economy']},
})

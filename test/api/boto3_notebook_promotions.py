"""AWS's notebook next_steps/core_use_cases/filters/promotions/Promotions.ipynb ("including promoted
items in recommendations", aws-samples/amazon-personalize-samples) and the deletion cells of its
Clean_Up_Resources.ipynb against a running openpersonalize, their cells as written: an ECOMMERCE
Domain dataset group with an Interactions and an Items dataset (CATEGORY_L1 / CATEGORY_L2 / GENDER
categorical, PRICE float), both imported, the "Recommended for you" recommender, a dynamic filter
`INCLUDE ItemID WHERE Items.CATEGORY_L2 IN ($CATEGORY)`, and GetRecommendations for user 777 with
that filter ("halloween"), with a promotion of 20% "halloween" items, and with both (the request's
filter "decorative" for the ordinary items, the promotion's "halloween" for the promoted ones);
then every resource of the dataset group deleted.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment. Exits non-zero with the reason
on stderr; prints a JSON summary on stdout.

Two stored versions of the notebook differ by one line: b79bfeb names the runtime client
`personalize_runtime3` and then calls `personalize_runtime` (a NameError in every recommendation
cell); 00f700a (the commit of Clean_Up_Resources.ipynb) names it `personalize_runtime`. The latter
is run here.

The notebook downloads the Retail Demo Store's interactions.csv (ITEM_ID,USER_ID,EVENT_TYPE,
TIMESTAMP,DISCOUNT: View and Purchase events of numbered users on items with UUIDs) and items.csv
(ITEM_ID,PRICE,CATEGORY_L1,CATEGORY_L2,PRODUCT_DESCRIPTION,GENDER,PROMOTED) with `aws s3 cp` and
reads them with pandas; here files of that shape are generated (300 users numbered 700-999, user
777 among them, who keep to a few categories; 240 items, 30 of them CATEGORY_L2 "halloween" and 30
"decorative", the two values the notebook asks for; GENDER always M or F) and the pandas steps are
done with the csv module, the pandas line quoted above each. As in the notebook, both training
files are written by DataFrame.to_csv() with pandas' index (a first column with an empty header
and the row numbers), and the items file keeps the PROMOTED column the schema does not name.

Changed from the notebooks, and only these: endpoint_url= in boto3.client (also in the clean-up's
delete_dataset_groups); the region from the environment instead of SageMaker's metadata file, and
the given bucket (a folder of the service's local store) instead of s3.create_bucket; the uploads
(a copy into that folder instead of upload_file); no bucket policy, no IAM role (the role ARN is a
constant) and the clean-up's IAM cells not run; no pip install; the sleeps (0.2 s instead of 60 s,
30 s and 20 s); the data size (4,800 interactions and 240 items, not 675K); DataFrame.sample uses
a seeded random.Random and display() of a DataFrame is a print of the same columns (the three
recommendation cells' identical loop is the function build_df); `%store` / `%store -r` are not
needed (one process); and the clean-up's _delete_dataset_group waits 2 s instead of 30 minutes. That
loop stops only at a DescribeDatasetGroup that finds the group (on AWS, DELETE PENDING right after
DeleteDatasetGroup) and goes on after every ResourceNotFoundException; the service shows a deleted
group DELETE PENDING for its provisioning time (60 ms in the tests), so the loop normally ends at
its first describe; a slower first describe would see ResourceNotFoundException until the bound
(counted in the summary's cleanup.datasetGroupNotFoundAnswers). Added, not in the notebooks: a
logging handler that keeps the clean-up's messages; one more request (numResults=7,
percentPromotedItems=30) to see the promoted share rounded; a wait until the dataset group is gone
and a describe of each deleted schema; the summary.
"""
import collections
import csv
import json
import os
import random
import shutil
import sys
import time
import uuid

import boto3

from boto3_notebook_data import fail, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)
rnd = random.Random(1031)  # for pandas' DataFrame.sample

# ---- "Imports" / "Configure the SDK to Personalize" -----------------------------------------------
personalize = boto3.client('personalize', endpoint_url=endpoint)
personalize_runtime = boto3.client('personalize-runtime', endpoint_url=endpoint)

print(personalize.list_dataset_groups())

interactions_file_path = 'cleaned_interactions_training_data.csv'
items_file_path = 'cleaned_item_training_data.csv'

# ---- "Specify an S3 Bucket and Data Output Location" ----------------------------------------------
# region from /opt/ml/metadata/resource-metadata.json; bucket_name = account_id + "-" + region + ...;
# s3.create_bucket(Bucket=bucket_name)
region = os.environ['AWS_DEFAULT_REGION']
print('region:', region)
bucket_name = bucket_dir_name
print('bucket_name:', bucket_name)

# ---- "Download, Prepare, and Upload Training Data": the Retail Demo Store's csvs in shape ---------
# !aws s3 cp s3://retail-demo-store-us-east-1/csvs/interactions.csv .
# !aws s3 cp s3://retail-demo-store-us-east-1/csvs/items.csv .
CATEGORIES = {
    'seasonal': ['halloween', 'christmas'], 'housewares': ['decorative', 'kitchen', 'bathing'],
    'apparel': ['shirts', 'jackets'], 'footwear': ['sneakers', 'boots'],
    'electronics': ['headphones', 'speakers'], 'outdoors': ['camping', 'fishing'],
}
SIZES = {'halloween': 30, 'decorative': 30}
catalog = []
n = 0
for l1 in sorted(CATEGORIES):
    for l2 in CATEGORIES[l1]:
        for _ in range(SIZES.get(l2, 15)):
            catalog.append({'ITEM_ID': str(uuid.UUID(int=rnd.getrandbits(128), version=4)), 'PRICE': f"{5 + (n * 37) % 200}.99",
                            'CATEGORY_L1': l1, 'CATEGORY_L2': l2,
                            'PRODUCT_DESCRIPTION': f"{l2.capitalize()} no. {n}, from our {l1} range",
                            'GENDER': rnd.choice(['M', 'F']), 'PROMOTED': rnd.choice(['Y', 'N'])})
            n += 1
rnd.shuffle(catalog)
with open('items.csv', 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(catalog[0]), lineterminator='\n')
    w.writeheader()
    w.writerows(catalog)
by_category = collections.defaultdict(list)
for it in catalog:
    by_category[it['CATEGORY_L1']].append(it['ITEM_ID'])
popular = [it['ITEM_ID'] for it in catalog]
rows = []
t = 1591803000
for user in range(700, 1000):
    # Seasonal items are rarely looked at: the promotion is what brings them into a list.
    liked = rnd.sample(sorted(set(CATEGORIES) - {'seasonal'}), 2)
    pool = by_category[liked[0]] + by_category[liked[1]]
    viewed = [rnd.choice(pool) if rnd.random() < 0.85 else rnd.choice(popular) for _ in range(12)]
    for item in viewed:
        t += rnd.randrange(20, 400)
        rows.append([item, user, 'View', t, rnd.choice(['Yes', 'No'])])
    for item in rnd.sample(viewed, 4):
        t += rnd.randrange(20, 400)
        rows.append([item, user, 'Purchase', t, rnd.choice(['Yes', 'No'])])
with open('interactions.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['ITEM_ID', 'USER_ID', 'EVENT_TYPE', 'TIMESTAMP', 'DISCOUNT'])
    w.writerows(rows)

# df = pd.read_csv('./interactions.csv'); df; df.info()
with open('./interactions.csv', newline='') as f:
    df = list(csv.DictReader(f))
print(df[:5])
print(len(df), list(df[0]))
# df.EVENT_TYPE.value_counts()
print(collections.Counter(r['EVENT_TYPE'] for r in df))

# test=df.drop(columns=['DISCOUNT']); df=test; df.sample(10)
df = [{k: v for k, v in r.items() if k != 'DISCOUNT'} for r in df]
print(rnd.sample(df, 10))


def to_csv(rows_, path):
    """DataFrame.to_csv(path): pandas' index first, under an empty header."""
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow([''] + list(rows_[0]))
        w.writerows([i] + list(r.values()) for i, r in enumerate(rows_))


# df.to_csv(interactions_file_path)
to_csv(df, interactions_file_path)

# items_df = pd.read_csv('./items.csv'); items_df; items_df.info()
with open('./items.csv', newline='') as f:
    items_df = list(csv.DictReader(f))
print(items_df[:5])
print(len(items_df), list(items_df[0]))
# items_df.CATEGORY_L1.unique(); items_df.CATEGORY_L2.unique()
print(list(dict.fromkeys(r['CATEGORY_L1'] for r in items_df)))
print(list(dict.fromkeys(r['CATEGORY_L2'] for r in items_df)))

# test=items_df.drop(columns=['PRODUCT_DESCRIPTION']); items_df=test; items_df.sample(10)
items_df = [{k: v for k, v in r.items() if k != 'PRODUCT_DESCRIPTION'} for r in items_df]
print(rnd.sample(items_df, 10))

# items_df.to_csv(items_file_path)
to_csv(items_df, items_file_path)

# ---- "Set the S3 bucket policy": s3.put_bucket_policy(...) not made ---------------------------------
# ---- "Upload Interactions data to S3" / "Upload Items data to S3" ---------------------------------
# boto3.Session().resource('s3').Bucket(bucket_name).Object(interactions_file_path).upload_file(interactions_file_path)
shutil.copy(interactions_file_path, os.path.join(bucket_dir, interactions_file_path))
interactions_s3DataPath = "s3://"+bucket_name+"/"+interactions_file_path

shutil.copy(items_file_path, os.path.join(bucket_dir, items_file_path))
items_s3DataPath = "s3://"+bucket_name+"/"+items_file_path

# ---- "Create Dataset Group" ------------------------------------------------------------------------
response = personalize.create_dataset_group(
    name='personalize_ecomemerce_ds_group',
    domain='ECOMMERCE'
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

# ---- "Create Interactions Schema" ------------------------------------------------------------------
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
            "name": "TIMESTAMP",
            "type": "long"
        },
        {
            "name": "EVENT_TYPE",
            "type": "string"
            
        }
        
    ],
    "version": "1.0"
}


create_schema_response = personalize.create_schema(
    name = "personalize-ecommerce-interatn_group",
    domain = "ECOMMERCE",
    schema = json.dumps(interactions_schema)
)

interaction_schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

# ---- "Create Items Schema" -------------------------------------------------------------------------
items_schema = {
    "type": "record",
    "name": "Items",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "ITEM_ID",
            "type": "string"
        },
        {
            "name": "PRICE",
            "type": "float"
        },
        {
            "name": "CATEGORY_L1",
            "type": ["string"],
            "categorical": True
        },
        {
            "name": "CATEGORY_L2",
            "type": ["string"],
            "categorical": True
            
        },
        {
            "name": "GENDER",
            "type": ["string"],
            "categorical": True
            
        }
    ],
    "version": "1.0"
}

create_schema_response = personalize.create_schema(
    name = "personalize-ecommerce-item_group",
    domain = "ECOMMERCE",
    schema = json.dumps(items_schema)
)

items_schema_arn = create_schema_response['schemaArn']

print(json.dumps(create_schema_response, indent=2))

# ---- "Create Datasets" -----------------------------------------------------------------------------
dataset_type = "INTERACTIONS"

create_dataset_response = personalize.create_dataset(
    name = "personalize_ecommerce_demo_interactions",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = interaction_schema_arn
)

interactions_dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

dataset_type = "ITEMS"

create_dataset_response = personalize.create_dataset(
    name = "personalize_ecommerce_demo_items",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = items_schema_arn
)

items_dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# ---- "Create Personalize Role": iam.create_role, attach_role_policy x2, then the sleep -------------
role_name = "PersonalizeRoleEcommerceDemoRecommender"
time.sleep(0.2) # wait for a minute to allow IAM role policy attachment to propagate

role_arn = "arn:aws:iam::000000000000:role/" + role_name
print(role_arn)

# ---- "Import the data" -----------------------------------------------------------------------------
create_interactions_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "personalize_ecommerce_demo_interactions_import",
    datasetArn = interactions_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, interactions_file_path)
    },
    roleArn = role_arn
)

dataset_interactions_import_job_arn = create_interactions_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_interactions_dataset_import_job_response, indent=2))

create_items_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "personalize_ecommerce_demo_items_import",
    datasetArn = items_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, items_file_path)
    },
    roleArn = role_arn
)

dataset_items_import_job_arn = create_items_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_items_dataset_import_job_response, indent=2))

max_time = time.time() + 3*60*60 # 3 hours

while time.time() < max_time:
    describe_dataset_import_job_response = personalize.describe_dataset_import_job(
        datasetImportJobArn = dataset_items_import_job_arn
    )
    status = describe_dataset_import_job_response["datasetImportJob"]['status']
    print("ItemsDatasetImportJob: {}".format(status))
    
    if status == "ACTIVE" or status == "CREATE FAILED":
        break
        
    time.sleep(0.2)
items_import = describe_dataset_import_job_response["datasetImportJob"]

while time.time() < max_time:
    describe_dataset_import_job_response = personalize.describe_dataset_import_job(
        datasetImportJobArn = dataset_interactions_import_job_arn
    )
    status = describe_dataset_import_job_response["datasetImportJob"]['status']
    print("InteractionsDatasetImportJob: {}".format(status))
    
    if status == "ACTIVE" or status == "CREATE FAILED":
        break
        
    time.sleep(0.2)
interactions_import = describe_dataset_import_job_response["datasetImportJob"]

# ---- "Choose a recommender use case" ---------------------------------------------------------------
available_recipes = personalize.list_recipes(domain='ECOMMERCE') # See a list of recommenders for the domain. 
print(available_recipes['recipes'])   # display (available_recipes['recipes'])

create_recommender_response = personalize.create_recommender(
  name = 'recommended_for_you_demo',
  recipeArn = 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you',
  datasetGroupArn = dataset_group_arn
)
recommended_for_you_arn = create_recommender_response["recommenderArn"]
print (json.dumps(create_recommender_response))

max_time = time.time() + 10*60*60 # 10 hours
    
while time.time() < max_time:

    version_response = personalize.describe_recommender(
        recommenderArn = recommended_for_you_arn
    )
    status = version_response["recommender"]["status"]
    print(status)

    if status == "ACTIVE":
        print("Build succeeded for {}".format(recommended_for_you_arn))
        
    elif status == "CREATE FAILED":
        print("Build failed for {}".format(recommended_for_you_arn))
        break

    if status == "ACTIVE" or status == "CREATE FAILED":
        break
    else:
        print('The "Recommended for you" Recommender build is still in progress')
        
    time.sleep(0.2)
recommender_status = status
if recommender_status != "ACTIVE":
    fail(f"recommender {recommender_status}: {version_response['recommender'].get('failureReason')}")

# ---- "Getting recommendations with a recommender" --------------------------------------------------
# items_df = pd.read_csv('./items.csv'); items_df.sample(10)
with open('./items.csv', newline='') as f:
    items_df = list(csv.DictReader(f))
print(rnd.sample(items_df, 10))

def get_item_by_id(item_id, item_df):
    """
    This takes in an item_id from a recommendation in string format,
    converts it to an int, and then does a lookup in a default or specified
    dataframe and returns the item description.
    
    A really broad try/except clause was added in case anything goes wrong.
    
    Feel free to add more debugging or filtering here to improve results if
    you hit an error.
    """
    try:
        # return items_df.loc[items_df["ITEM_ID"]==str(item_id)]['PRODUCT_DESCRIPTION'].values[0]
        return [r['PRODUCT_DESCRIPTION'] for r in items_df if r["ITEM_ID"]==str(item_id)][0]
    except:
        print (item_id)
        return "Error obtaining item description"

def get_category_by_id(item_id, item_df):
    """
    This takes in an item_id from a recommendation in string format,
    converts it to an int, and then does a lookup in a default or specified
    dataframe and returns the item category.
    
    A really broad try/except clause was added in case anything goes wrong.
    """
    
    try:
        # return items_df.loc[items_df["ITEM_ID"]==str(item_id)]['CATEGORY_L2'].values[0]
        return [r['CATEGORY_L2'] for r in items_df if r["ITEM_ID"]==str(item_id)][0]
    except:
        print (item_id)
        return "Error obtaining item category"


def build_df(item_list):
    """The cells' loop over item_list and their DataFrame (ID, description, category level 2), displayed."""
    recommendation_id_list = []
    recommendation_description_list = []
    recommendation_category_list = []

    for item in item_list:
        description = get_item_by_id(item['itemId'], items_df)
        recommendation_description_list.append(description)
        recommendation_id_list.append(item['itemId'])
        recommendation_category_list.append(get_category_by_id(item['itemId'], items_df))

    # user_recommendations_df = pd.DataFrame(recommendation_id_list, columns = ["ID"]); ...["description"]; ...["category level 2"]
    user_recommendations_df = [{"ID": i, "description": d, "category level 2": c} for i, d, c in
                               zip(recommendation_id_list, recommendation_description_list, recommendation_category_list)]
    # pd.options.display.max_rows =20; display(user_recommendations_df)
    for row in user_recommendations_df:
        print(row)
    return user_recommendations_df


answers = {}

# First pick a user
test_user_id = "777" 

# Get recommendations for the user
get_recommendations_response = personalize_runtime.get_recommendations(
    recommenderArn = recommended_for_you_arn,
    userId = test_user_id,
    numResults = 20
)

# Build a new dataframe for the recommendations
item_list = get_recommendations_response['itemList']
answers["plain"] = (item_list, build_df(item_list))

# ---- "Using promotions with a recommender": "Create a filter to use with the promotion" ------------
create_filter_response = personalize.create_filter(
    name = 'category_filter',
    datasetGroupArn = dataset_group_arn,
    filterExpression = 'INCLUDE ItemID WHERE Items.CATEGORY_L2 IN ($CATEGORY)'
) 
filter_arn = create_filter_response["filterArn"]
print("Filter ARN: " + filter_arn)

max_time = time.time() + 10*60*60 # 10 hours
    
while time.time() < max_time:
    version_response = personalize.describe_filter(
        filterArn = filter_arn
    )
    status = version_response["filter"]["status"]

    if status == "ACTIVE":
        print("Build succeeded for {}".format(filter_arn))
        
    elif status == "CREATE FAILED":
        print("Build failed for {}".format(filter_arn))
        break

    if status == "ACTIVE" or status == "CREATE FAILED":
        break
    else:
        print('The Filter build is still in progress')
        
    time.sleep(0.2)
filter_status = status

# "Get recommendations for our test user using the filter"
print(test_user_id)

get_recommendations_response = personalize_runtime.get_recommendations(
    recommenderArn = recommended_for_you_arn,
    userId = test_user_id,
    numResults = 20,
    filterArn = filter_arn,
    filterValues={"CATEGORY" : "\"halloween\""}
)
user_recommendations_df =[]

# Build a new dataframe for the recommendations
item_list = get_recommendations_response['itemList']
answers["filtered"] = (item_list, build_df(item_list))

# "Get recommendations using the same filter with promotions"
get_recommendations_response = personalize_runtime.get_recommendations(
    recommenderArn = recommended_for_you_arn,
    userId = test_user_id,
    numResults = 20,
    promotions = [{
        "name" : "halloween_promotion",
        "percentPromotedItems" : 20,
        "filterArn": filter_arn,
        "filterValues": {
            "CATEGORY" : "\"halloween\""
        }
    }]
)


# Build a new dataframe for the recommendations
item_list = get_recommendations_response['itemList']
answers["promoted"] = (item_list, build_df(item_list))

# "Combine filters and promotions"
get_recommendations_response = personalize_runtime.get_recommendations(
    recommenderArn=recommended_for_you_arn,
    userId=test_user_id,
    numResults=20,
    filterArn=filter_arn,
    filterValues={
        "CATEGORY": "\"decorative\""
    },
    promotions=[{
        "name": "halloween_promotion",
        "percentPromotedItems": 20,
        "filterArn": filter_arn,
        "filterValues": {
            "CATEGORY": "\"halloween\""
        }
    }]
)

# Build a new dataframe for the recommendations
item_list = get_recommendations_response['itemList']
answers["combined"] = (item_list, build_df(item_list))

# Not in the notebook: the same promotion on a list whose share is not a whole number of items.
item_list = personalize_runtime.get_recommendations(
    recommenderArn=recommended_for_you_arn, userId=test_user_id, numResults=7,
    promotions=[{"name": "halloween_promotion", "percentPromotedItems": 30, "filterArn": filter_arn,
                 "filterValues": {"CATEGORY": "\"halloween\""}}],
)['itemList']
answers["sevenAt30"] = (item_list, build_df(item_list))

category_l2 = {r['ITEM_ID']: r['CATEGORY_L2'] for r in items_df}
purchased_by_777 = sorted({r['ITEM_ID'] for r in df if r['USER_ID'] == '777' and r['EVENT_TYPE'] == 'Purchase'})
recommenders_before_cleanup = {r["name"]: r["status"] for r in
                               personalize.list_recommenders(datasetGroupArn=dataset_group_arn)["recommenders"]}
filters_before_cleanup = {f["name"]: f["status"] for f in
                          personalize.list_filters(datasetGroupArn=dataset_group_arn)["Filters"]}

# ==== Clean_Up_Resources.ipynb =======================================================================
# %store dataset_group_arn / role_name / region, then %store -r: the same variables, one process.
print ('dataset_group_arn:', dataset_group_arn)
print ('role_name:', role_name)
print ('region:', region)

schema_arns = []

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
        raise Exception('Timed out waiting for all filter(s) to be deleted')
        
def _delete_recommenders(dataset_group_arn):
    recommender_arns = []
    recommenders_response = personalize.list_recommenders(datasetGroupArn = dataset_group_arn, maxResults = 100)
    for recommender in recommenders_response['recommenders']:
        logger.info('Deleting recommender ' + recommender['recommenderArn'])
        personalize.delete_recommender(recommenderArn = recommender['recommenderArn'])
        recommender_arns.append(recommender['recommenderArn'])
    max_time = time.time() + 30*60 # 30 mins
    while time.time() < max_time:
        for recommender_arn in recommender_arns:
            try:
                describe_response = personalize.describe_recommender(recommenderArn = recommender_arn)
                logger.debug('Recommender {} status is {}'.format(recommender_arn, describe_response['recommender']['status']))
            except ClientError as e:
                error_code = e.response['Error']['Code']
                if error_code == 'ResourceNotFoundException':
                    recommender_arns.remove(recommender_arn)

        if len(recommender_arns) == 0:
            logger.info('All recommenders have been deleted or none exist for dataset group')
            break
        else:
            logger.info('Waiting for {} recommender(s) to be deleted'.format(len(recommender_arns)))
            time.sleep(0.2)

    if len(recommender_arns) > 0:
        raise Exception('Timed out waiting for all recommender(s) to be deleted')
    

def _delete_datasets_and_schemas(dataset_group_arn, schema_arns):
    dataset_arns = []
    
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

    max_time = time.time() + 2 # 30 mins   (2 s here: see the docstring)
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

def delete_dataset_groups(dataset_group_arns, schema_arns, region = None):
    global personalize
    personalize = boto3.client(service_name = 'personalize', region_name = region, endpoint_url = endpoint)

    for dataset_group_arn in dataset_group_arns:
        logger.info('Dataset Group ARN: ' + dataset_group_arn)

        # 1. Delete Recommenders
        _delete_recommenders(dataset_group_arn)
        
        # 2. Delete event trackers
        _delete_event_trackers(dataset_group_arn)

        # 3. Delete filters
        _delete_filters(dataset_group_arn)

        # 4. Delete datasets and their schemas
        _delete_datasets_and_schemas(dataset_group_arn, schema_arns)

        # 5. Delete dataset group
        _delete_dataset_group(dataset_group_arn)

        logger.info(f'Dataset group {dataset_group_arn} fully deleted')

# Not in the notebook: what the clean-up logs, kept to tell how _delete_dataset_group's loop ended.
class _Kept(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


cleanup_log = _Kept()
logger.addHandler(cleanup_log)

delete_dataset_groups([dataset_group_arn], schema_arns, region)

# "Clean up the IAM role": iam.list_attached_role_policies, detach_role_policy x2, delete_role: no IAM here.

# Not in the notebook: the dataset group's deletion, which _delete_dataset_group starts but does not
# wait for (its loop breaks on the first describe that answers), followed to its end.
dataset_group_after = "still listed"
for _ in range(150):
    try:
        dataset_group_after = personalize.describe_dataset_group(datasetGroupArn=dataset_group_arn)["datasetGroup"]["status"]
    except ClientError as e:
        dataset_group_after = e.response['Error']['Code']
        break
    time.sleep(0.2)
schemas_after = {}
for schema_arn in schema_arns:
    try:
        schemas_after[schema_arn.split('/')[-1]] = personalize.describe_schema(schemaArn=schema_arn)["schema"]["name"]
    except ClientError as e:
        schemas_after[schema_arn.split('/')[-1]] = e.response['Error']['Code']


def answer(name):
    item_list, shown = answers[name]
    return {
        "items": [{"itemId": i["itemId"], "promotionName": i.get("promotionName"), "category": category_l2.get(i["itemId"]),
                   "score": i.get("score")} for i in item_list],
        "shownCategories": [r["category level 2"] for r in shown],
    }


summary({
    "ok": True,
    "datasetGroup": dataset_group_status,
    "imports": {
        "interactions": [interactions_import["status"], interactions_import.get("failureReason")],
        "items": [items_import["status"], items_import.get("failureReason")],
    },
    "trainingFileHeaders": {"interactions": open(interactions_file_path).readline().strip(),
                            "items": open(items_file_path).readline().strip()},
    "domainRecipes": sorted(r["recipeArn"] for r in available_recipes["recipes"]),
    "recommender": recommender_status,
    "filter": filter_status,
    "recommendersBeforeCleanup": recommenders_before_cleanup,
    "filtersBeforeCleanup": filters_before_cleanup,
    "categoryCounts": dict(collections.Counter(category_l2.values())),
    "purchasedBy777": purchased_by_777,
    "answers": {name: answer(name) for name in answers},
    "cleanup": {
        "deleted": [m[len('Deleting '):m.index(' arn:')] for m in cleanup_log.messages if m.startswith('Deleting ')],
        # How often _delete_dataset_group's describe answered ResourceNotFoundException (each time its
        # loop goes on: it only stops at the first describe that finds the group, e.g. DELETE PENDING).
        "datasetGroupNotFoundAnswers": sum(1 for m in cleanup_log.messages if m.endswith('has been fully deleted')),
        "datasetGroup": dataset_group_after,
        "schemas": schemas_after,
    },
})

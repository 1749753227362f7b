"""AWS's notebook next_steps/evaluation/measuring_impact_of_recommendations/
Measure_Impact_of_Recommendations.ipynb ("measuring the business impact of your recommendations",
aws-samples/amazon-personalize-samples) and the deletion cells of its Clean_Up_Resources.ipynb
against a running openpersonalize, their boto3 cells as written: an ECOMMERCE Domain dataset group
with an Interactions and an Items dataset (PRICE float, CATEGORY_L1 / CATEGORY_L2 categorical, and a
MARGIN double the notebook makes up), a metric attribution created before the imports with two
metrics (countViews: SAMPLECOUNT() of View; sumMargin: SUM(ITEMS.MARGIN) of Purchase) and an S3
output path, both imports, the "Recommended for you" and "Customers who viewed X also viewed"
recommenders and their recommendations, an event tracker and PutEvents on the items each
recommender recommended (80% View, 20% Purchase), each event attributed to its scenario through
metricAttribution.eventAttributionSource ("recommended_for_you", "viewed_X_also_viewed"); then the
clean-up, which also deletes every metric attribution of the account.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment (the 12-digit access key is the
account). Exits non-zero with the reason on stderr; prints a JSON summary on stdout.

Versions. The two stored versions of the notebook read here differ only in how the data is downloaded (758e20c:
`aws s3 cp s3://retail-demo-store-us-east-1/csvs/...`; ea802b9: `wget
https://code.retaildemostore.retail.aws.dev/csvs/...`); nothing is downloaded here. Of the clean-up
notebook, b36abe8 is run: unlike 917c654 it describes each recommender before deleting it (and skips
one already DELETE IN_PROGRESS) and logs once the metric attributions are deleted.

The data. The notebook downloads the Retail Demo Store's interactions.csv (ITEM_ID,USER_ID,
EVENT_TYPE,TIMESTAMP,DISCOUNT: View, AddToCart, StartCheckout and Purchase events of numbered users
on items with UUIDs; 675,004 rows, about 6,000 users) and items.csv (ITEM_ID,PRICE,CATEGORY_L1,
CATEGORY_L2,PRODUCT_DESCRIPTION,GENDER,PROMOTED). Here files of that shape are generated with a
seeded random.Random: 1,000 users numbered 1-1000 (the notebook's users 70, 82, 100, 120, 444, 555
and 777 among them), each keeping to two of ten CATEGORY_L1 (85% of their views), with a shopping
funnel (View, then AddToCart, StartCheckout, Purchase for some); 400 items, 20 per CATEGORY_L2,
among them the six product UUIDs the notebook hard-codes in test_products. pandas is not installed:
each pandas step is done with the csv module, the pandas line quoted above it. As in the notebook
both training files are written by DataFrame.to_csv() with pandas' index (a first column with an
empty header and the row numbers); the items file keeps GENDER and PROMOTED, which the schema does
not name, and gets MARGIN = np.random.rand() * 10 (numpy, seeded here) as pandas writes a float64.

Changed from the notebooks, and only these: endpoint_url= in the three boto3.client calls (and in
the clean-up's delete_dataset_groups); no pip install; the region from the environment instead of
SageMaker's metadata file; no IAM or STS client: account_id is the access key (the account), the
role ARN is built from role_name, nothing is created or attached, and the clean-up's IAM cells are
not run; no S3 client: the bucket is the given folder of the service's local store (not
s3.create_bucket of account_id-region-measure-impact-recommendations), no bucket policy, and the
uploads are copies into that folder; the data generated instead of downloaded (see above); the
sleeps (0.2 s instead of 60 s, 30 s, 20 s and 15 s; the clean-up's 120 s after deleting the metric
attributions too); np.random is seeded (the MARGIN column and the View/Purchase draws) and
DataFrame.sample is a seeded random.sample of the rows; display() / DataFrame output is a print of
the same columns; `%store` / `%store -r` are not needed (one process); matplotlib is not imported
and the two plot cells are not run. The four CloudWatch cells (cloudwatch client, list_metrics,
get_metric_data of SUMMARGIN / COUNTVIEWS per EventAttributionSource, Period 900) are not run:
the service emulates Personalize, not CloudWatch, to which AWS sends the figures of PutEvents data;
the notebook tells its reader to wait at least 15 minutes for them. Instead the script computes
the figures those queries ask for (per source, per 900-second period) from the events it sent. The
clean-up's _delete_dataset_group waits at most 2 s instead of 30 minutes: its loop stops only at a
describe that finds the group (DELETE PENDING right after DeleteDatasetGroup) and goes on after every
ResourceNotFoundException. One line is added inside a cell (the metric attribution's wait loop keeps
the statuses it sees); lines after some cells keep what they found, and the script stops when an
import or a recommender is not ACTIVE.

Added, not in the notebooks: botocore event handlers that keep each GetRecommendations and
PutEvents request and answer (the cells are unchanged); ListMetricAttributionMetrics after the
attribution is created; a look at the metrics folder after the notebook's imports (which do not
set publishAttributionMetricsToS3, so nothing may be published there); "Recommended for you" for
user 555 and "Customers who viewed X" for user 82 once more after the PutEvents (the purchases the
events recorded must be left out at once). Then, since AWS publishes a metric attribution's figures
to S3 only for bulk imports: UpdateMetricAttribution adding countPurchases (SAMPLECOUNT() of
Purchase), and an INCREMENTAL import with publishAttributionMetricsToS3=True of what the notebook's
first event cell does, run for users 1-40 the day before and written to a file instead of put
(USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP; 1,200 rows, as AWS wants at least 1,000 new records in such
an import; the notebook's Interactions schema has no EVENT_ATTRIBUTION_SOURCE column, so these rows
carry no source). The import writes its report before it completes (no schedule, so no handshake
with the test is needed); the script reads it back from the bucket's folder and computes the
figures it must hold. Last, a logging handler that keeps the clean-up's messages; after the
clean-up, a describe of each deleted resource; the summary.
"""
import collections
import csv
import datetime
import json
import os
import random
import shutil
import sys
import time
import uuid

import boto3
import numpy as np
from botocore.exceptions import ClientError

from boto3_notebook_data import fail, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)
rnd = random.Random(20221027)  # the data, and pandas' DataFrame.sample
np.random.seed(2022)           # the notebook's np.random.rand and np.random.choice

# ---- "Imports" (pip install of botocore: not run; pandas and matplotlib: not imported) ------------
# ---- "Specify the AWS region we will use" ----------------------------------------------------------
# with open('/opt/ml/metadata/resource-metadata.json') as notebook_info: ... region = resource_arn.split(':')[3]
region = os.environ['AWS_DEFAULT_REGION']
print('region:', region)

# Configure the SDK to Personalize:
personalize = boto3.client('personalize', endpoint_url=endpoint)
personalize_runtime = boto3.client('personalize-runtime', endpoint_url=endpoint)

# Establish a connection to Personalize's event streaming
personalize_events = boto3.client(service_name='personalize-events', endpoint_url=endpoint)

# Not in the notebook: every GetRecommendations and PutEvents call, its parameters and its answer.
calls = {'GetRecommendations': [], 'PutEvents': []}
_pending = {}


def _keep_params(params, model, **kwargs):
    _pending[model.name] = json.loads(json.dumps(params, default=str))


def _keep_answer(http_response, parsed, model, **kwargs):
    calls[model.name].append({'params': _pending.pop(model.name), 'status': http_response.status_code, 'parsed': parsed})


personalize_runtime.meta.events.register('before-parameter-build.personalize-runtime.GetRecommendations', _keep_params)
personalize_runtime.meta.events.register('after-call.personalize-runtime.GetRecommendations', _keep_answer)
personalize_events.meta.events.register('before-parameter-build.personalize-events.PutEvents', _keep_params)
personalize_events.meta.events.register('after-call.personalize-events.PutEvents', _keep_answer)

print(personalize.list_dataset_groups())

interactions_file_path = 'cleaned_interactions_training_data.csv'
items_file_path = 'cleaned_item_training_data.csv'

# ---- "Create the Amazon Personalize role": no IAM here ---------------------------------------------
# iam = boto3.Session().client(service_name='iam', region_name=region)
# account_id = boto3.Session().client(service_name='sts', region_name=region).get_caller_identity().get('Account')
account_id = os.environ['AWS_ACCESS_KEY_ID']
role_name = account_id+"measure-impact-recommendations"
# iam.create_role / get_role, attach_role_policy (AmazonS3FullAccess), put_role_policy (AccesCloudwatch): not made
role_arn = "arn:aws:iam::" + account_id + ":role/" + role_name
print('IAM Role: {}\n'.format(role_arn))

# ---- "Specify an S3 Bucket for your data": the given folder of the service's store ------------------
# s3 = boto3.Session().client(service_name='s3', region_name=region)
# bucket_name = account_id + "-" + region + "-measure-impact-recommendations"; s3.create_bucket(...)
bucket_name = bucket_dir_name
print('bucket_name:', bucket_name)
# "Update the bucket policy": s3.get_bucket_policy / put_bucket_policy not made

# ---- "Download and Explore the Interactions Dataset": the Retail Demo Store's csvs in shape --------
# !wget https://code.retaildemostore.retail.aws.dev/csvs/interactions.csv   (or: !aws s3 cp s3://retail-demo-store-us-east-1/csvs/interactions.csv .)
# !wget https://code.retaildemostore.retail.aws.dev/csvs/items.csv
test_products = [
    '9dbf7c1a-3936-42ee-8c36-a28e94a35265',
    '1d9ab420-01b5-4d5d-b7b9-43c10f4eac84',
    'f5be9f67-8def-405d-af7e-2abf6876277f',
    'e5e842c6-9d8e-4940-a245-a0f02a5552ad',
    '08b05a0d-8f0d-412a-a2b1-97aa6c08a03d',
    '447bc9e4-c176-4665-892e-2a0f47b3a582']  # the notebook's own list, given to six generated items
CATEGORIES = {
    'accessories': ['bags', 'sunglasses'], 'apparel': ['shirts', 'jackets'], 'beauty': ['fragrance', 'makeup'],
    'electronics': ['headphones', 'speakers'], 'footwear': ['sneakers', 'boots'], 'groceries': ['snacks', 'coffee'],
    'housewares': ['kitchen', 'bathing'], 'jewelry': ['rings', 'necklaces'], 'outdoors': ['camping', 'fishing'],
    'tools': ['drills', 'saws'],
}
catalog = []
for l1 in sorted(CATEGORIES):
    for l2 in CATEGORIES[l1]:
        for k in range(20):
            n = len(catalog)
            catalog.append({'ITEM_ID': str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                            'PRICE': f"{4 + (n * 37) % 190}.99", 'CATEGORY_L1': l1, 'CATEGORY_L2': l2,
                            'PRODUCT_DESCRIPTION': f"{l2.capitalize()} no. {n}, from our {l1} range",
                            'GENDER': rnd.choice(['M', 'F']), 'PROMOTED': rnd.choice(['Y', 'N'])})
for product, it in zip(test_products, rnd.sample(catalog, len(test_products))):
    it['ITEM_ID'] = product
rnd.shuffle(catalog)
with open('items.csv', 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(catalog[0]), lineterminator='\n')
    w.writeheader()
    w.writerows(catalog)

by_l1 = collections.defaultdict(list)
for it in catalog:
    by_l1[it['CATEGORY_L1']].append(it['ITEM_ID'])
all_items = [it['ITEM_ID'] for it in catalog]
liked_by_user = {}
rows = []
for user in range(1, 1001):
    liked = rnd.sample(sorted(CATEGORIES), 2)
    liked_by_user[user] = liked
    pool = by_l1[liked[0]] + by_l1[liked[1]]
    t = 1591803000 + rnd.randrange(30 * 86400)
    for _ in range(rnd.randint(9, 16)):
        item = rnd.choice(pool) if rnd.random() < 0.85 else rnd.choice(all_items)
        discount = rnd.choice(['Yes', 'No'])
        for event_type, p in (('View', 1.0), ('AddToCart', 0.3), ('StartCheckout', 0.6), ('Purchase', 0.8)):
            if rnd.random() >= p:
                break
            t += rnd.randrange(20, 600)
            rows.append([item, user, event_type, t, discount])
with open('interactions.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['ITEM_ID', 'USER_ID', 'EVENT_TYPE', 'TIMESTAMP', 'DISCOUNT'])
    w.writerows(rows)

# interaction_data = pd.read_csv('./interactions.csv'); interaction_data
with open('./interactions.csv', newline='') as f:
    interaction_data = list(csv.DictReader(f))
print(interaction_data[:5])
# interaction_data.info()
print(len(interaction_data), list(interaction_data[0]))
# interaction_data.EVENT_TYPE.value_counts()
print(collections.Counter(r['EVENT_TYPE'] for r in interaction_data).most_common())

# ---- "Prepare the Interactions Data" -------------------------------------------------------------------
# interaction_data.drop(columns=['DISCOUNT'], inplace = True); interaction_data.head()
for r in interaction_data:
    del r['DISCOUNT']
print(interaction_data[:5])


def to_csv(rows_, path):
    """DataFrame.to_csv(path): pandas' index first, under an empty header."""
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow([''] + list(rows_[0]))
        w.writerows([i] + list(r.values()) for i, r in enumerate(rows_))


# interaction_data.to_csv(interactions_file_path)
to_csv(interaction_data, interactions_file_path)

# boto3.Session().resource('s3').Bucket(bucket_name).Object(interactions_file_path).upload_file(interactions_file_path)
shutil.copy(interactions_file_path, os.path.join(bucket_dir, interactions_file_path))
interactions_s3DataPath = "s3://"+bucket_name+"/"+interactions_file_path

# ---- "Download and Explore the Items Dataset" ----------------------------------------------------------
# items_df = pd.read_csv('./items.csv'); items_df
with open('./items.csv', newline='') as f:
    items_df = list(csv.DictReader(f))
print(items_df[:5])
# items_df.info()
print(len(items_df), list(items_df[0]))
# items_df.CATEGORY_L1.unique(); items_df.CATEGORY_L2.unique()
print(list(dict.fromkeys(r['CATEGORY_L1'] for r in items_df)))
print(list(dict.fromkeys(r['CATEGORY_L2'] for r in items_df)))

# items_df.drop(columns=['PRODUCT_DESCRIPTION'], inplace = True); items_df.head()
for r in items_df:
    del r['PRODUCT_DESCRIPTION']
print(items_df[:5])

# items_df.to_csv(items_file_path)
to_csv(items_df, items_file_path)

# "Add a margin column"
random = np.random.rand( len(items_df))   # np.random.rand( len(items_df.index))
# items_df["MARGIN"] = random * 10; items_df.head()   (float64, written as pandas writes it: repr)
for r, m in zip(items_df, random * 10):
    r["MARGIN"] = repr(float(m))
print(items_df[:5])

# items_df.to_csv(items_file_path)
to_csv(items_df, items_file_path)

# boto3.Session().resource('s3').Bucket(bucket_name).Object(items_file_path).upload_file(items_file_path)
shutil.copy(items_file_path, os.path.join(bucket_dir, items_file_path))
items_s3DataPath = "s3://"+bucket_name+"/"+items_file_path

# ---- "Create Dataset Group" ------------------------------------------------------------------------------
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

# ---- "Create Interactions Schema" --------------------------------------------------------------------------
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
    name = "personalize-ecommerce-interactions-schema",
    domain = "ECOMMERCE",
    schema = json.dumps(interactions_schema)
)

interaction_schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

# ---- "Create Items Schema" -------------------------------------------------------------------------------
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
            "name": "MARGIN",
            "type": "double"    
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

# ---- "Create Datasets" -------------------------------------------------------------------------------------
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

max_time = time.time() + 6*60*60 # 6 hours
while time.time() < max_time:
    describe_dataset_response = personalize.describe_dataset(
        datasetArn = interactions_dataset_arn
    )
    status_interaction_dataset =  describe_dataset_response["dataset"]['status']
    print("Interactions Dataset: {}".format(status_interaction_dataset))
    
    if status_interaction_dataset == "ACTIVE":
        print("Build succeeded for {}".format(interactions_dataset_arn))
        
    elif status_interaction_dataset == "CREATE FAILED":
        print("Build failed for {}".format(interactions_dataset_arn))
        break
        
    if not status_interaction_dataset == "ACTIVE":
        print("The interaction dataset creation is still in progress")
    else:
        print("The interaction dataset  is ACTIVE")
        

    describe_dataset_response = personalize.describe_dataset(
        datasetArn = items_dataset_arn
    )
    status_item_dataset =  describe_dataset_response["dataset"]['status']
    print("Items Dataset: {}".format(status_item_dataset))
    
    if status_item_dataset == "ACTIVE":
        print("Build succeeded for {}".format(items_dataset_arn))
        
    elif status_item_dataset == "CREATE FAILED":
        print("Build failed for {}".format(items_dataset_arn))
        break
    if not status_item_dataset == "ACTIVE":
        print("The item dataset creation is still in progress")
    else:
        print("The item dataset  is ACTIVE")
    
    
    if status_interaction_dataset == "ACTIVE" and status_item_dataset == "ACTIVE":
        break
        
    time.sleep(0.2)    

# ---- "Create a metric attribution" ---------------------------------------------------------------------------
metric_attribution_name = 'my-first-metric-attribution'

# If metrics attribution already exist, delete it
metric_attribution_list = personalize.list_metric_attributions(datasetGroupArn = dataset_group_arn)['metricAttributions']

for metric in metric_attribution_list:
    if (metric_attribution_name == metric['name']):
        response = personalize.delete_metric_attribution(
            metricAttributionArn = metric['metricAttributionArn']
        ) 
        print (response)
        #wait for metric to delete
        time.sleep (0.2) 
attributions_before = metric_attribution_list

metrics_list = [{ 
        "eventType": "View",
        "expression": "SAMPLECOUNT()",
        "metricName": "countViews"
    }
    ,
    {
        "eventType": "Purchase",
        "expression": "SUM(ITEMS.MARGIN)",
        "metricName": "sumMargin"
    }
]

output_config = {
  "roleArn": role_arn, 
  "s3DataDestination": {
    "path": "s3://"+bucket_name+"/metrics/"
  }
}

response = personalize.create_metric_attribution(
  name = metric_attribution_name,
  datasetGroupArn = dataset_group_arn,
  metricsOutputConfig = output_config,
  metrics = metrics_list
)

metric_attribution_arn = response['metricAttributionArn']

print ('Metric attribution ARN: ' + metric_attribution_arn)

description = personalize.describe_metric_attribution( 
    metricAttributionArn = metric_attribution_arn)['metricAttribution']

print('Name: ' + description['name'])
print('ARN: ' + description['metricAttributionArn'])
print('Status: ' + description['status'])
attribution_first_status = description['status']

attribution_statuses = [attribution_first_status]
status = None
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_metric_response = personalize.describe_metric_attribution(
        metricAttributionArn = metric_attribution_arn
    )
    status = describe_metric_response['metricAttribution']['status']
    print("Status: {}".format(status))
    attribution_statuses.append(status)   # not in the notebook

    if status == "ACTIVE" or status == 'CREATE FAILED':
        break

    time.sleep(0.2)
attribution_described = describe_metric_response['metricAttribution']

listed_attributions = personalize.list_metric_attributions()['metricAttributions']
print(listed_attributions)

# Not in the notebook: the metrics as the service keeps them.
metrics_as_created = personalize.list_metric_attribution_metrics(metricAttributionArn=metric_attribution_arn)['metrics']

# ---- "Import the data" -------------------------------------------------------------------------------------
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
    jobName = "personalize_ecommerce_demo_items_import2",
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
if items_import['status'] != 'ACTIVE' or interactions_import['status'] != 'ACTIVE':
    fail(f"imports: items {items_import['status']} {items_import.get('failureReason')}, "
         f"interactions {interactions_import['status']} {interactions_import.get('failureReason')}")

# Not in the notebook: neither import set publishAttributionMetricsToS3, so nothing may be published.
metrics_dir = os.path.join(bucket_dir, 'metrics')
reports_after_notebook_imports = sorted(os.listdir(metrics_dir)) if os.path.isdir(metrics_dir) else []

# ---- "Choose a recommender use case" -------------------------------------------------------------------------
available_recipes = personalize.list_recipes(domain='ECOMMERCE') # See a list of recommenders for the domain. 
print(available_recipes['recipes'])   # display (available_recipes['recipes'])

create_recommender_response = personalize.create_recommender(
  name = 'recommended_for_you_demo',
  recipeArn = 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you',
  datasetGroupArn = dataset_group_arn
)
recommended_for_you_arn = create_recommender_response["recommenderArn"]
print (json.dumps(create_recommender_response))

create_recommender_response = personalize.create_recommender(
  name = 'recommended_who_viewed_x',
  recipeArn = 'arn:aws:personalize:::recipe/aws-ecomm-customers-who-viewed-x-also-viewed',
  datasetGroupArn = dataset_group_arn
)
who_viewed_x_arn = create_recommender_response["recommenderArn"]
print (json.dumps(create_recommender_response))

max_time = time.time() + 10*60*60 # 10 hours
    
while time.time() < max_time:

    version_response = personalize.describe_recommender(
        recommenderArn = recommended_for_you_arn
    )
    status = version_response["recommender"]["status"]

    if status == "ACTIVE":
        print("Build succeeded for {}".format(recommended_for_you_arn))
        
    elif status == "CREATE FAILED":
        print("Build failed for {}".format(recommended_for_you_arn))
        break

    if status == "ACTIVE" or status == "CREATE FAILED":
        break
    else:
        print('At least one recommender build is still in progress.')
        
    time.sleep(0.2)
    
while time.time() < max_time:

    version_response = personalize.describe_recommender(
        recommenderArn = who_viewed_x_arn
    )
    status = version_response["recommender"]["status"]

    if status == "ACTIVE":
        print("Build succeeded for {}".format(who_viewed_x_arn))
        
    elif status == "CREATE FAILED":
        print("Build failed for {}".format(who_viewed_x_arn))
        break

    if status == "ACTIVE" or status == "CREATE FAILED":
        break
    else:
        print('At least one recommender build is still in progress.')
        
    time.sleep(0.2)
recommenders = {}
for arn in (recommended_for_you_arn, who_viewed_x_arn):
    r = personalize.describe_recommender(recommenderArn=arn)['recommender']
    recommenders[r['name']] = {'status': r['status'], 'recipeArn': r['recipeArn'], 'failureReason': r.get('failureReason')}
    if r['status'] != 'ACTIVE':
        fail(f"recommender {r['name']} {r['status']}: {r.get('failureReason')}")

# ---- "Getting recommendations with a recommender" ------------------------------------------------------------
# reading the original data in order to have a dataframe that has both item_ids 
# and the corresponding titles to make our recommendations easier to read.
# items_df = pd.read_csv('./items.csv'); items_df.head()
with open('./items.csv', newline='') as f:
    items_df = list(csv.DictReader(f))
print(items_df[:5])

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
recommendation_id_list = []
recommendation_description_list = []
recommendation_category_list = []

for item in item_list:
    description = get_item_by_id(item['itemId'], items_df)
    recommendation_description_list.append(description)
    recommendation_id_list.append(item['itemId'])
    recommendation_category_list.append(get_category_by_id(item['itemId'], items_df))

# user_recommendations_df = pd.DataFrame(recommendation_id_list, columns = ["ID"]); ["description"]; ["category level 2"]
user_recommendations_df = {"ID": recommendation_id_list, "description": recommendation_description_list,
                           "category level 2": recommendation_category_list}

# pd.options.display.max_rows =20; display(user_recommendations_df)
for row in zip(*user_recommendations_df.values()):
    print(row)
shown_for_777 = user_recommendations_df

# ---- "Customers who viewed X also viewed" recommender ----------------------------------------------------------
user_id = 555

# product_id = items_df.sample(1)["ITEM_ID"].values[0]
product_id = rnd.sample(items_df, 1)[0]["ITEM_ID"]

print ('productId: ', product_id)

get_recommendations_response = personalize_runtime.get_recommendations(
    recommenderArn = who_viewed_x_arn,
    itemId = str(product_id),
    userId = str(user_id),
    numResults = 40
)
item_list = get_recommendations_response['itemList']

# df = pd.DataFrame(); df['Item'] = [...]; df['Name'] = [...]; df['Category'] = [...]; display (df)
df = {}
df['Item'] = [ itm['itemId'] for itm in item_list ]
df['Name'] = [ get_item_by_id( itm['itemId'], items_df) for itm in item_list ]
df['Category'] = [ get_category_by_id ( itm['itemId'], items_df) for itm in item_list ]
for row in zip(*df.values()):
    print(row)

# Update DF rendering
# pd.set_option('display.max_rows', 30)

def get_new_recommendations_df_viewed_x(recommendations_df, item_id, user_id):
    # Get the item name
    original_item_name = get_item_by_id(item_id, items_df)
    # Get the recommendations
    get_recommendations_response = personalize_runtime.get_recommendations(
        recommenderArn = who_viewed_x_arn,
        itemId = str(item_id),
        userId = str(user_id),
    )
    # Build a new dataframe of recommendations
    item_list = get_recommendations_response['itemList']
    recommendation_list = []
    for item in item_list:
        item_name = get_item_by_id(item['itemId'], items_df)
        recommendation_list.append(item_name)
    # new_rec_df = pd.DataFrame(recommendation_list, columns = [original_item_name])
    new_rec_df = {original_item_name: recommendation_list}
    # Add this dataframe to the old one
    # recommendations_df = pd.concat([recommendations_df, new_rec_df], axis=1)
    recommendations_df = {**recommendations_df, **new_rec_df}
    return recommendations_df

# samples = items_df.sample(5); samples
samples = rnd.sample(items_df, 5)
print(samples)

# viewed_x_also_viewed_recommendations_df = pd.DataFrame()
viewed_x_also_viewed_recommendations_df = {}
# items = samples.ITEM_ID.tolist()
items = [r['ITEM_ID'] for r in samples]

for item in items:
    viewed_x_also_viewed_recommendations_df = get_new_recommendations_df_viewed_x(viewed_x_also_viewed_recommendations_df, item, user_id)

# viewed_x_also_viewed_recommendations_df.head(10)
for name, column in viewed_x_also_viewed_recommendations_df.items():
    print(name, column[:10])
calls_before_events = len(calls['GetRecommendations'])

# ---- "Sending Interaction Data to Amazon Personalize" -----------------------------------------------------------
event_tracker_response = personalize.create_event_tracker(
    datasetGroupArn=dataset_group_arn,
    name='amazon-personalize-event-tracker'
)

event_tracker_arn = event_tracker_response['eventTrackerArn']
event_tracking_id = event_tracker_response['trackingId']

print('Event Tracker ARN: ' + event_tracker_arn)
print('Event Tracking ID: ' + event_tracking_id)

status = None
max_time = time.time() + 60*60 # 1 hours
while time.time() < max_time:
    describe_event_tracker_response = personalize.describe_event_tracker(
        eventTrackerArn = event_tracker_arn
    )
    status = describe_event_tracker_response["eventTracker"]["status"]
    print("EventTracker: {}".format(status))
    
    if status == "ACTIVE" or status == "CREATE FAILED":
        break
        
    time.sleep(0.2)
event_tracker_status = status

# "Send Events and attribute them to the "recommended for you" recommender"
test_users = [555, 100, 120, 444, 70, 82]

today = datetime.datetime.now()
minutes_in_interval = 2
interval_multiplier = 1

possible_interactions = ['View', 'Purchase']

for user_id in test_users:
    get_recommendations_response = personalize_runtime.get_recommendations(
        recommenderArn = recommended_for_you_arn,
        userId = str(user_id),
        numResults = 30,
    )
    item_list = get_recommendations_response['itemList']

    # df = pd.DataFrame(); df['Item'] = ...; df['Name'] = ...; df['Category'] = ...
    df = {}
    df['Item'] = [ itm['itemId'] for itm in item_list ]
    df['Name'] = [ get_item_by_id( itm['itemId'], items_df) for itm in item_list ]
    df['Category'] = [ get_category_by_id ( itm['itemId'], items_df) for itm in item_list ]

    for itm in item_list:

        time_to_convert = today - datetime.timedelta(minutes = minutes_in_interval * interval_multiplier)
        timestamp = int(time.mktime(time_to_convert.timetuple()))

        event = {
            'eventId': str(uuid.uuid4()),
            'eventType': np.random.choice(possible_interactions, p = [0.8, 0.2]),
            'itemId': itm['itemId'],
            'metricAttribution': {"eventAttributionSource": "recommended_for_you" },
            'sentAt': timestamp
        }

        response = personalize_events.put_events(
            trackingId=event_tracking_id,
            userId = str(user_id),
            sessionId = str(uuid.uuid4()),
            eventList = [event]
        )
        interval_multiplier += 1

# "Send Events and attribute them to the "Customers who viewed X also viewed" recommender"
test_products = [
    '9dbf7c1a-3936-42ee-8c36-a28e94a35265',
    '1d9ab420-01b5-4d5d-b7b9-43c10f4eac84',
    'f5be9f67-8def-405d-af7e-2abf6876277f',
    'e5e842c6-9d8e-4940-a245-a0f02a5552ad',
    '08b05a0d-8f0d-412a-a2b1-97aa6c08a03d',
    '447bc9e4-c176-4665-892e-2a0f47b3a582']

# we reset the interval multiplier
interval_multiplier = 1

for product_id in test_products:
    get_recommendations_response = personalize_runtime.get_recommendations(
        recommenderArn = who_viewed_x_arn,
        itemId = str(product_id),
        userId = str(user_id),
        numResults = 30
    )
    item_list = get_recommendations_response['itemList']

    # df = pd.DataFrame(); df['Item'] = ...; df['Name'] = ...; df['Category'] = ...
    df = {}
    df['Item'] = [ itm['itemId'] for itm in item_list ]
    df['Name'] = [ get_item_by_id( itm['itemId'], items_df) for itm in item_list ]
    df['Category'] = [ get_category_by_id ( itm['itemId'], items_df) for itm in item_list ]


    for itm in item_list:
        time_to_convert = today - datetime.timedelta(minutes = minutes_in_interval * interval_multiplier)
        timestamp = int(time.mktime(time_to_convert.timetuple()))

        event = {
            'eventId': str(uuid.uuid4()),
            'eventType': np.random.choice(possible_interactions, p = [0.8, 0.2]),
            'itemId': itm['itemId'],
            'metricAttribution': {"eventAttributionSource": "viewed_X_also_viewed" },
            'sentAt': timestamp
            }

        res = personalize_events.put_events(
            trackingId=event_tracking_id,
            userId = str(user_id),
            sessionId = str(uuid.uuid4()),
            eventList = [event]
        )
        
        interval_multiplier += 1

# ---- "Inspect data from Amazon CloudWatch": not run (no CloudWatch here) -----------------------------------------
# cloud_watch = boto3.Session().client(service_name='cloudwatch', region_name=region)
# paginator = cloud_watch.get_paginator('list_metrics') ... 'SUMMARGIN', 'COUNTVIEWS'

# Define the start and end_times in Unix format this is the timeframe we will query
start_time = int(time.mktime((today + datetime.timedelta(hours = -5)).timetuple()))
end_time = int(time.mktime(today.timetuple()))

# cloud_watch.get_metric_data(... "MetricName": "SUMMARGIN" / "COUNTVIEWS", Dimensions EventAttributionSource
# 'RECOMMENDED_FOR_YOU' / 'VIEWED_X_ALSO_VIEWED' and DatasetGroupArn, "Period": 900, "Stat": "Sum") and the two
# plots: instead, the figures those queries ask for, from the events the cells sent (kept by the handlers).
PERIOD = 900  # the queries' "Period": 900, #minimum value is 900s = 15min
margin_of = {r['ITEM_ID']: float(r['MARGIN']) for r in
             csv.DictReader(open(items_file_path, newline=''))}
put_events = [(c['params']['userId'], c['params']['eventList'][0]) for c in calls['PutEvents']]
cloudwatch_figures = collections.defaultdict(lambda: collections.defaultdict(float))
for _, e in put_events:
    window = e['sentAt'] // PERIOD * PERIOD
    source = e['metricAttribution']['eventAttributionSource'].upper()
    if e['eventType'] == 'View':
        cloudwatch_figures[f"COUNTVIEWS|{source}"][window] += 1
    if e['eventType'] == 'Purchase':
        cloudwatch_figures[f"SUMMARGIN|{source}"][window] += margin_of[e['itemId']]

# ---- Not in the notebook: the automatic filters right after the events ------------------------------------------
purchased_by_events = collections.defaultdict(set)
for u, e in put_events:
    if e['eventType'] == 'Purchase':
        purchased_by_events[u].add(e['itemId'])
again_555 = personalize_runtime.get_recommendations(recommenderArn=recommended_for_you_arn, userId='555', numResults=30)['itemList']
again_82 = personalize_runtime.get_recommendations(recommenderArn=who_viewed_x_arn, itemId=test_products[0], userId='82',
                                                   numResults=30)['itemList']

# ---- Not in the notebook: UpdateMetricAttribution, then an import that publishes its figures to S3 ---------------
personalize.update_metric_attribution(
    metricAttributionArn=metric_attribution_arn,
    addMetrics=[{"eventType": "Purchase", "expression": "SAMPLECOUNT()", "metricName": "countPurchases"}],
)
update_statuses = []
for _ in range(150):
    status = personalize.describe_metric_attribution(metricAttributionArn=metric_attribution_arn)['metricAttribution']['status']
    update_statuses.append(status)
    if status in ('ACTIVE', 'UPDATE FAILED'):
        break
    time.sleep(0.2)
attribution_after_update = personalize.describe_metric_attribution(metricAttributionArn=metric_attribution_arn)['metricAttribution']
metrics_after_update = personalize.list_metric_attribution_metrics(metricAttributionArn=metric_attribution_arn)['metrics']

# The bulk file: the notebook's first event cell run for users 1-40 the day before (Recommended for you,
# 30 items each, View or Purchase 80/20, backdated 2 minutes per event from 24 hours before `today`),
# written to a file instead of PutEvents: AWS needs 1,000 new records in an INCREMENTAL Interactions import.
recommendation_calls_before_bulk = len(calls['GetRecommendations'])
bulk_rows = []
yesterday = today - datetime.timedelta(hours=24)
for n, user in enumerate(range(1, 41)):
    for k, itm in enumerate(personalize_runtime.get_recommendations(recommenderArn=recommended_for_you_arn, userId=str(user),
                                                                    numResults=30)['itemList']):
        when = int(time.mktime((yesterday - datetime.timedelta(minutes=2 * (30 * n + k + 1))).timetuple()))
        bulk_rows.append([str(user), itm['itemId'], str(np.random.choice(possible_interactions, p=[0.8, 0.2])), when])
del calls['GetRecommendations'][recommendation_calls_before_bulk:]
events_file_path = 'recommended_for_you_interactions.csv'
with open(events_file_path, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['USER_ID', 'ITEM_ID', 'EVENT_TYPE', 'TIMESTAMP'])
    w.writerows(bulk_rows)
shutil.copy(events_file_path, os.path.join(bucket_dir, events_file_path))
publishing_job_name = 'personalize_ecommerce_demo_interactions_publish'
publishing_job_arn = personalize.create_dataset_import_job(
    jobName=publishing_job_name, datasetArn=interactions_dataset_arn,
    dataSource={"dataLocation": "s3://{}/{}".format(bucket_name, events_file_path)},
    roleArn=role_arn, importMode='INCREMENTAL', publishAttributionMetricsToS3=True,
)['datasetImportJobArn']
for _ in range(600):
    publishing_job = personalize.describe_dataset_import_job(datasetImportJobArn=publishing_job_arn)['datasetImportJob']
    if publishing_job['status'] in ('ACTIVE', 'CREATE FAILED'):
        break
    time.sleep(0.2)
reports = sorted(os.listdir(metrics_dir)) if os.path.isdir(metrics_dir) else []
report_lines = open(os.path.join(metrics_dir, reports[0])).read().splitlines() if len(reports) == 1 else []
# What the report should say, by metric and 15-minute window (the CloudWatch queries' Period), every
# event without a source: countViews counts the View rows, sumMargin sums the MARGIN of the items of
# the Purchase rows, countPurchases counts them.
expected_report = collections.defaultdict(float)
for user, item, event_type, when in bulk_rows:
    window = when // PERIOD * PERIOD
    if event_type == 'View':
        expected_report[f"COUNTVIEWS|{window}"] += 1
    if event_type == 'Purchase':
        expected_report[f"SUMMARGIN|{window}"] += margin_of[item]
        expected_report[f"COUNTPURCHASES|{window}"] += 1

recommenders_before_cleanup = {r["name"]: r["status"] for r in
                               personalize.list_recommenders(datasetGroupArn=dataset_group_arn)["recommenders"]}

# ---- "Save resource information for cleanup" ---------------------------------------------------------------------
# %store dataset_group_arn / role_name / region; Clean_Up_Resources: %store -r (the same variables, one process)

# ==== Clean_Up_Resources.ipynb ===================================================================================
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
        recommender_status = personalize.describe_recommender(recommenderArn = recommender['recommenderArn'])['recommender']['status']
        if not (recommender_status == 'DELETE IN_PROGRESS'):
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

def _delete_metric_attributions(dataset_group_arn):
    metric_attribution_list = personalize.list_metric_attributions()['metricAttributions']

    for metric in metric_attribution_list:
        response = personalize.delete_metric_attribution(
            metricAttributionArn = metric['metricAttributionArn']
        ) 
        
    logger.info('All metric attributions have been deleted or none exist for dataset group')
            
    #wait for metrics to delete
    time.sleep (0.2)

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
        
        # 4. Delete metric attributions
        _delete_metric_attributions(dataset_group_arn)

        # 5. Delete datasets and their schemas
        _delete_datasets_and_schemas(dataset_group_arn, schema_arns)

        # 6. Delete dataset group
        _delete_dataset_group(dataset_group_arn)

        logger.info(f'Dataset group {dataset_group_arn} fully deleted')

# Not in the notebook: what the clean-up logs.
class _Kept(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


cleanup_log = _Kept()
logger.addHandler(cleanup_log)

delete_dataset_groups([dataset_group_arn], schema_arns, region)

# "Clean up the IAM role": iam.list_attached_role_policies, detach_role_policy, list_role_policies,
# delete_role_policy, delete_role: no IAM here.

# ==== Not in the notebooks: what is left ==========================================================================
def after(call, **kwargs):
    try:
        call(**kwargs)
        return "still there"
    except ClientError as e:
        return e.response['Error']['Code']


dataset_group_after = "still listed"
for _ in range(150):
    dataset_group_after = after(personalize.describe_dataset_group, datasetGroupArn=dataset_group_arn)
    if dataset_group_after != "still there":
        break
    time.sleep(0.2)
left = {
    "datasetGroup": dataset_group_after,
    "metricAttribution": after(personalize.describe_metric_attribution, metricAttributionArn=metric_attribution_arn),
    "metricAttributionsListed": [m['name'] for m in personalize.list_metric_attributions()['metricAttributions']],
    "recommenders": [after(personalize.describe_recommender, recommenderArn=a) for a in (recommended_for_you_arn, who_viewed_x_arn)],
    "eventTracker": after(personalize.describe_event_tracker, eventTrackerArn=event_tracker_arn),
    "datasets": [after(personalize.describe_dataset, datasetArn=a) for a in (interactions_dataset_arn, items_dataset_arn)],
    "schemas": [after(personalize.describe_schema, schemaArn=a) for a in (interaction_schema_arn, items_schema_arn)],
}

# ==== The summary ================================================================================================
item_by_id = {r['ITEM_ID']: r for r in items_df}
bulk_purchases = collections.defaultdict(set)
for r in interaction_data:
    if r['EVENT_TYPE'] == 'Purchase':
        bulk_purchases[r['USER_ID']].add(r['ITEM_ID'])


def answer(call):
    p, parsed = call['params'], call['parsed']
    ids = [i['itemId'] for i in parsed['itemList']]
    return {
        "recommender": 'recommended_for_you' if p['recommenderArn'] == recommended_for_you_arn else 'who_viewed_x',
        "userId": p.get('userId'), "itemId": p.get('itemId'), "numResults": p.get('numResults'),
        "itemCategoryL1": item_by_id[p['itemId']]['CATEGORY_L1'] if p.get('itemId') in item_by_id else None,
        "likedCategoriesL1": liked_by_user[int(p['userId'])],
        "status": call['status'], "recommendationId": parsed.get('recommendationId'), "items": ids,
        "scores": sum(1 for i in parsed['itemList'] if 'score' in i),
        "unknownItems": [i for i in ids if i not in item_by_id],
        "categoriesL1": [item_by_id[i]['CATEGORY_L1'] for i in ids if i in item_by_id],
        "purchasedInBulk": sorted(set(ids) & bulk_purchases[p.get('userId')]),
    }


summary({
    "ok": True,
    "account": account_id,
    "datasetGroup": dataset_group_status,
    "datasetGroupArn": dataset_group_arn,
    "datasets": {"interactions": status_interaction_dataset, "items": status_item_dataset},
    "imports": {
        "interactions": [interactions_import["status"], interactions_import.get("failureReason")],
        "items": [items_import["status"], items_import.get("failureReason")],
    },
    "trainingFileHeaders": {"interactions": open(interactions_file_path).readline().strip(),
                            "items": open(items_file_path).readline().strip()},
    "files": {
        "interactions": len(interaction_data), "users": len({r['USER_ID'] for r in interaction_data}),
        "items": len(items_df), "eventTypes": dict(collections.Counter(r['EVENT_TYPE'] for r in interaction_data)),
        "testProductsInCatalog": sum(1 for p in test_products if p in item_by_id),
    },
    "metricAttribution": {
        "arn": metric_attribution_arn,
        "before": attributions_before,
        "statuses": attribution_statuses,
        "described": {k: attribution_described.get(k) for k in ("name", "status", "datasetGroupArn", "metricsOutputConfig", "failureReason")},
        "listed": [{k: m.get(k) for k in ("name", "status", "datasetGroupArn")} for m in listed_attributions],
        "metricsSent": metrics_list,
        "metricsAsCreated": metrics_as_created,
        "reportsAfterNotebookImports": reports_after_notebook_imports,
        "updateStatuses": update_statuses,
        "afterUpdate": {k: attribution_after_update.get(k) for k in ("status", "metricsOutputConfig", "failureReason")},
        "metricsAfterUpdate": metrics_after_update,
    },
    "domainRecipes": sorted(r["recipeArn"] for r in available_recipes["recipes"]),
    "recommenders": recommenders,
    "recommendersBeforeCleanup": recommenders_before_cleanup,
    "eventTracker": event_tracker_status,
    "testProducts": test_products,
    "shownFor777": shown_for_777,
    "recommendations": [answer(c) for c in calls['GetRecommendations']],
    "recommendationsBeforeEvents": calls_before_events,
    "putEvents": {
        "calls": len(calls['PutEvents']),
        "statuses": sorted({c['status'] for c in calls['PutEvents']}),
        "answers": sorted({json.dumps({k: v for k, v in c['parsed'].items() if k != 'ResponseMetadata'}) for c in calls['PutEvents']}),
        "bySource": dict(collections.Counter(e['metricAttribution']['eventAttributionSource'] for _, e in put_events)),
        "byType": dict(collections.Counter(e['eventType'] for _, e in put_events)),
        "users": sorted({u for u, _ in put_events}),
        "span": [min(e['sentAt'] for _, e in put_events), max(e['sentAt'] for _, e in put_events)],
        "queryWindow": [start_time, end_time],
    },
    "cloudWatchFigures": {k: dict(v) for k, v in cloudwatch_figures.items()},
    "afterEvents": {
        "purchased": {u: sorted(v) for u, v in purchased_by_events.items()},
        "for555": [i['itemId'] for i in again_555],
        "for82": [i['itemId'] for i in again_82],
    },
    "publishingImport": {"status": publishing_job['status'], "failureReason": publishing_job.get('failureReason'),
                         "importMode": publishing_job.get('importMode'),
                         "publishAttributionMetricsToS3": publishing_job.get('publishAttributionMetricsToS3'),
                         "name": publishing_job_name, "created": int(publishing_job['creationDateTime'].timestamp()),
                         "rows": len(bulk_rows), "users": len({r[0] for r in bulk_rows}),
                         "byType": dict(collections.Counter(r[2] for r in bulk_rows))},
    "reports": reports,
    "reportLines": report_lines,
    "expectedReport": dict(expected_report),
    "cleanup": {
        "deleted": [m[len('Deleting '):m.index(' arn:')] for m in cleanup_log.messages if m.startswith('Deleting ')],
        "messages": [m for m in cleanup_log.messages if m.startswith('All ')],
        "left": left,
    },
})

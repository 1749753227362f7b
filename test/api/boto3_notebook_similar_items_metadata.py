"""AWS's related-items notebook next_steps/core_use_cases/related_items/aws-similar-items-with-metadata.ipynb
("using item metadata to identify stronger similarities", aws-samples/amazon-personalize-samples)
against a running openpersonalize: its cells that touch Personalize, as written — an Interactions
dataset with EVENT_VALUE and EVENT_TYPE, an Items dataset with a categorical BRAND, a nullable
float PRICE and a textual DESCRIPTION, then aws-sims and aws-similar-items trained side by side,
their trainingHours compared, both deployed and asked for products like a random, a popular and
a rarely reviewed product.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment, as in the notebook. Exits
non-zero with the reason on stderr; prints a JSON summary on stdout.

The notebook downloads the Amazon Prime Pantry reviews (Prime_Pantry.json.gz: one JSON review a
line, `overall` 1-5, `reviewerID`, `asin`, `unixReviewTime` in whole days, ...) and metadata
(meta_Prime_Pantry.json.gz: `asin` with one duplicate, `brand`, `price` as "$5.00" or "",
`description` as a list of HTML fragments, ...) and shapes them with pandas and lxml; here files of
that shape are generated (MovieLens-like tastes, products in categories whose descriptions name
them) and each pandas step is done with the csv/json modules (lxml's text_content with the
standard html.parser), the pandas line quoted above it. Changed from the notebook, and only these:
endpoint_url= in boto3.client; the region (the notebook reads it from SageMaker's /opt/ml/metadata)
and the account (sts.get_caller_identity, for the bucket name); the bucket (s3.create_bucket and
upload_file become a folder of the local store and a copy); no S3 bucket policy and no IAM role
(the role ARN is a constant); the sleeps (0.2 s instead of 10 s and 60 s, 0.5 s for the IAM
cell's 20 s, and 0.5 s where a person ran the next cell 16 s later, see below); the data size (600 reviewers, 240 products, not 202K and 10K);
the two products the notebook names (B00HZ6X8QU and B01GCT22E4) are the generated products with
the most and the fewest positive reviews; in "Getting Recommendations", the interaction counts are
taken from the ITEM_ID column (the notebook reads 'asin', which its own rename cell renamed: pandas
raises KeyError there), and the two plots are not drawn.
"""
import csv
import gzip
import json
import os
import random
import shutil
import sys
import time
from datetime import datetime
from html.parser import HTMLParser
from time import sleep

import boto3
import numpy as np

from boto3_notebook_data import fail, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)

# ---- "Load and inspect datasets": Prime Pantry in shape --------------------------------------------
data_dir = 'raw_data'
# !mkdir $data_dir; !cd $data_dir && wget .../Prime_Pantry.json.gz && wget .../meta_Prime_Pantry.json.gz
os.makedirs(data_dir)
rnd = random.Random(2021)
CATEGORIES = {
    "coffee": ("Roast", "Arabica coffee beans, medium roast, rich and smooth with notes of chocolate."),
    "candy": ("Sweets", "Chewy caramel candy covered in milk chocolate, a sweet treat for movie night."),
    "pasta": ("Trattoria", "Durum wheat semolina pasta, cooks in nine minutes, perfect with tomato sauce."),
    "soup": ("Kettle", "Hearty lentil soup with carrots and celery, ready to heat and serve."),
    "cleaning": ("Sparkle", "Multi-surface cleaning spray that cuts grease and leaves a fresh lemon scent."),
    "wrap": ("Saran", "Plastic food wrap that clings to bowls and keeps leftovers fresh in the fridge."),
    "tea": ("Leaf", "Green tea bags with jasmine blossoms, light and fragrant, caffeine to wake up."),
    "snacks": ("KIND", "Nut bars with almonds and sea salt, gluten free, a snack for the trail."),
}
products = []
for k in range(240):
    category = list(CATEGORIES)[k % len(CATEGORIES)]
    brand, text = CATEGORIES[category]
    asin = "B0%08X" % (0x1000 + k * 37)
    products.append({
        "category": [], "tech1": "", "fit": "", "tech2": "", "feature": [], "rank": [], "also_buy": [],
        "also_view": [], "details": {"ASIN: ": asin}, "main_cat": "<img src=\"https://example.com/grocery.png\"/>",
        "similar_item": "", "date": "", "imageURL": [], "imageURLHighRes": [],
        "asin": asin,
        "title": f"{brand} {category.title()} No. {k}, 16 oz",
        "brand": brand if k % 17 else "",
        "price": "" if k % 3 == 0 else f"${1 + k % 23}.{k % 100:02d}",
        "description": [f"<b>{brand} {category}</b>", f"<p>{text}</p>", "", f"Item {k}: {category} &amp; more."],
    })
products.append(dict(products[0]))  # meta_Prime_Pantry holds one asin twice
by_category = {c: [p["asin"] for p in products[:240] if p["title"].split()[1].lower() == c] for c in CATEGORIES}
reviews = []
for u in range(600):
    reviewer = "A%013X" % (0x2000000 + u * 7919)
    liked = rnd.sample(list(CATEGORIES), 2)
    n = 1 if u % 3 == 0 else rnd.randint(3, 14)  # many reviewers review once
    day = rnd.randrange(16071, 17800)
    for asin in rnd.sample(by_category[liked[0]] + by_category[liked[1]], n):
        day += rnd.randrange(1, 40)
        reviews.append({
            "overall": rnd.choice([5, 5, 5, 4, 4, 3, 2]), "verified": True, "reviewTime": "",
            "reviewerID": reviewer, "asin": asin, "reviewerName": "someone", "reviewText": "ok",
            "summary": "Five Stars", "unixReviewTime": day * 86400,
        })
# The notebook's "Targeted examples" name two products: B00HZ6X8QU, "one of the most popular", and
# B01GCT22E4, one with few interactions. They are the generated products with the most and the
# fewest positive reviews.
positive = {}
for r in reviews:
    if r["overall"] > 3:
        positive[r["asin"]] = positive.get(r["asin"], 0) + 1
ranked = sorted(positive, key=lambda a: (-positive[a], a))
renamed_asins = {ranked[0]: "B00HZ6X8QU", ranked[-1]: "B01GCT22E4"}
products = [{**p, "asin": renamed_asins[p["asin"]], "details": {"ASIN: ": renamed_asins[p["asin"]]}}
            if p["asin"] in renamed_asins else p for p in products]
reviews = [{**r, "asin": renamed_asins.get(r["asin"], r["asin"])} for r in reviews]
with gzip.open(data_dir + '/meta_Prime_Pantry.json.gz', 'wt') as f:
    f.writelines(json.dumps(p) + "\n" for p in products)
with gzip.open(data_dir + '/Prime_Pantry.json.gz', 'wt') as f:
    f.writelines(json.dumps(r) + "\n" for r in reviews)

# pantry_df = pd.read_json(data_dir + '/Prime_Pantry.json.gz', lines=True, compression='infer')
with gzip.open(data_dir + '/Prime_Pantry.json.gz', 'rt') as f:
    pantry_df = [json.loads(line) for line in f]

# ---- "Build and save interactions dataset" ---------------------------------------------------------
# positive_reviews_df = pantry_df[pantry_df['overall'] > 3]
positive_reviews_df = [r for r in pantry_df if r['overall'] > 3]
# positive_reviews_df = positive_reviews_df[['reviewerID', 'asin', 'unixReviewTime', 'overall']]
# positive_reviews_df['EVENT_TYPE']='reviewed'
positive_reviews_df = [{**{k: r[k] for k in ['reviewerID', 'asin', 'unixReviewTime', 'overall']}, 'EVENT_TYPE': 'reviewed'}
                       for r in positive_reviews_df]

time_stamp = positive_reviews_df[50]['unixReviewTime']
print(time_stamp)
print(datetime.utcfromtimestamp(time_stamp).strftime('%Y-%m-%d %H:%M:%S'))

# positive_reviews_df.rename(columns = {'reviewerID':'USER_ID', 'asin':'ITEM_ID',
#                               'unixReviewTime':'TIMESTAMP', 'overall': 'EVENT_VALUE'}, inplace = True)
renamed = {'reviewerID': 'USER_ID', 'asin': 'ITEM_ID', 'unixReviewTime': 'TIMESTAMP', 'overall': 'EVENT_VALUE', 'EVENT_TYPE': 'EVENT_TYPE'}
interactions_rows = [{renamed[k]: v for k, v in r.items()} for r in positive_reviews_df]

interactions_filename = "interactions.csv"
# positive_reviews_df.to_csv(interactions_filename, index=False, float_format='%.0f')
with open(interactions_filename, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_VALUE', 'EVENT_TYPE'], lineterminator="\n")
    w.writeheader()
    w.writerows(interactions_rows)

# ---- "Load and inspect item metadata" --------------------------------------------------------------
# pantry_meta_df = pd.read_json('raw_data/meta_Prime_Pantry.json.gz', lines=True, compression='infer')
with gzip.open('raw_data/meta_Prime_Pantry.json.gz', 'rt') as f:
    pantry_meta_df = [json.loads(line) for line in f]

# items_df = pantry_meta_df.copy(); items_df = items_df[['asin', 'brand', 'price', 'description']]
items_df = [{k: r[k] for k in ['asin', 'brand', 'price', 'description']} for r in pantry_meta_df]
# items_df = items_df.drop_duplicates(subset=['asin'], keep='last')
last = {r['asin']: i for i, r in enumerate(items_df)}
items_df = [r for i, r in enumerate(items_df) if last[r['asin']] == i]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def text_content(s):
    """lxml's html.fromstring(s).text_content()."""
    p = _Text()
    p.feed(s)
    p.close()
    return "".join(p.parts)


# Strips and cleans a value of HTML markup and whitespace.
def clean_markup(value):
    s = str(value).strip()
    if s != '':
        s = str(text_content(s))
        s = ' '.join(s.split())

    return s.strip()

# Cleans and reformats the description column value for a dataframe row.
def clean_and_reformat_description(row):
    s = ''
    for el in row['description']:
        el = clean_markup(el)
        if el != '':
            s += ' ' + el

    return s.strip()


# items_df['description'] = items_df.apply(clean_and_reformat_description, axis=1)
for r in items_df:
    r['description'] = clean_and_reformat_description(r)


def convert_price(row):
    v = str(row['price']).strip().replace('$', '')
    if v == '' or not v.lstrip('-').replace('.', '').isdigit():
        return np.nan
    return v


# items_df['price'] = items_df.apply(convert_price, axis=1); items_df['price'] = items_df['price'].astype(float)
for r in items_df:
    r['price'] = float(convert_price(r))

# items_df.rename(columns = {'asin':'ITEM_ID', 'brand':'BRAND', 'price':'PRICE', 'description': 'DESCRIPTION'}, inplace = True)
items_df = [{'ITEM_ID': r['asin'], 'BRAND': r['brand'], 'PRICE': r['price'], 'DESCRIPTION': r['description']} for r in items_df]

items_filename = "items-metadata.csv"
# items_df.to_csv(items_filename, index=False, float_format='%.2f')   (NaN is written as an empty cell)
with open(items_filename, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(['ITEM_ID', 'BRAND', 'PRICE', 'DESCRIPTION'])
    w.writerows([r['ITEM_ID'], r['BRAND'], '' if np.isnan(r['PRICE']) else '%.2f' % r['PRICE'], r['DESCRIPTION']] for r in items_df)

# ---- "Create dataset groups and upload datasets" ---------------------------------------------------
personalize = boto3.client('personalize', endpoint_url=endpoint)
personalize_runtime = boto3.client('personalize-runtime', endpoint_url=endpoint)

create_dataset_group_response = personalize.create_dataset_group(
    name = "amazon-pantry-aws-similar-items"
)

dataset_group = create_dataset_group_response['datasetGroupArn']
print(json.dumps(create_dataset_group_response, indent=2))

in_progress_dataset_group_arns = [ dataset_group ]

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    for dataset_group_arn in in_progress_dataset_group_arns:
        describe_dataset_group_response = personalize.describe_dataset_group(
            datasetGroupArn = dataset_group_arn
        )
        status = describe_dataset_group_response["datasetGroup"]["status"]
        if status == "ACTIVE":
            print("Dataset group create succeeded for {}".format(dataset_group_arn))
            in_progress_dataset_group_arns.remove(dataset_group_arn)
        elif status == "CREATE FAILED":
            print("Create failed for {}".format(dataset_group_arn))
            in_progress_dataset_group_arns.remove(dataset_group_arn)

    if len(in_progress_dataset_group_arns) <= 0:
        break
    else:
        print("At least one dataset group create is still in progress")

    time.sleep(0.2)
dataset_group_status = status

# "Create Interactions dataset schema and datasets"
interactions_schema = schema = {
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
            "name": "EVENT_VALUE",
            "type": "float"
        },
        {
            "name": "EVENT_TYPE",
            "type": "string"
        }
    ],
    "version": "1.0"
}

create_schema_response = personalize.create_schema(
    name = "amazon-pantry-interactions-1",
    schema = json.dumps(interactions_schema)
)

interaction_schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

dataset_type = "INTERACTIONS"
create_dataset_response = personalize.create_dataset(
    name = "amazon-pantry-ints",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group,
    schemaArn = interaction_schema_arn
)

interactions_dataset = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# "Stage Interactions CSV in S3"
# with open('/opt/ml/metadata/resource-metadata.json') as notebook_info: ... region = resource_arn.split(':')[3]
region = "us-east-1"
print(region)
# account_id = boto3.client('sts').get_caller_identity().get('Account')
# bucket_name = "amazon-pantry-personalize-example"+account_id; s3.create_bucket(Bucket=bucket_name)
bucket_name = bucket_dir_name
print(bucket_name)

# boto3.Session().resource('s3').Bucket(bucket_name).Object(interactions_filename).upload_file(interactions_filename)
shutil.copy(interactions_filename, os.path.join(bucket_dir, interactions_filename))

# "Create S3 bucket policy and IAM role": s3.put_bucket_policy(...); iam.create_role(...), ...
time.sleep(0.5) # wait for a minute to allow IAM role policy attachment to propagate
role_name = "PersonalizeRoleAmazonPantryAwsSimilarItems"
role_arn = "arn:aws:iam::000000000000:role/" + role_name
print(role_arn)

# "Import Interactions datasets"
create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "amazon-pantry-interactions-import",
    datasetArn = interactions_dataset,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, interactions_filename)
    },
    roleArn = role_arn
)

dataset_import_job = create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_dataset_import_job_response, indent=2))

# "Create Items dataset schema and datasets"
item_schema = {
    "type": "record",
    "name": "Items",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "ITEM_ID",
            "type": "string"
        },
        {
            "name": "BRAND",
            "type": [ "null", "string" ],
            "categorical": True
        },{
            "name": "PRICE",
            "type": [ "null", "float" ],
        },{
            "name": "DESCRIPTION",
            "type": [ "null", "string" ],
            "textual": True
        }
    ],
    "version": "1.0"
}

create_schema_response = personalize.create_schema(
    name = "amazon-pantry-items-schema",
    schema = json.dumps(item_schema)
)

item_schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

dataset_type = "ITEMS"
create_dataset_response = personalize.create_dataset(
    name = "amazon-pantry-items",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = item_schema_arn
)

items_dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# "Stage Items CSV in S3"
# boto3.Session().resource('s3').Bucket(bucket_name).Object(items_filename).upload_file(items_filename)
shutil.copy(items_filename, os.path.join(bucket_dir, items_filename))
# Not in the notebook: no cell waits for the Items dataset to be ACTIVE before its import job is
# created; the saved outputs show 16 s between the two calls (15:22:29, 15:22:45), a person running
# cells. Run back to back, CreateDatasetImportJob finds the dataset CREATE PENDING and the service
# answers ResourceInUseException (an [INF] rule, rules.md 65), so that gap is kept, shortened.
time.sleep(0.5)

# "Import Items datasets for each dataset group"
create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "amazon-pantry-items-import-job",
    datasetArn = items_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, items_filename)
    },
    roleArn = role_arn
)

dataset_import_job_items_arn = create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_dataset_import_job_response, indent=2))

# "Wait for Interactions dataset import jobs to complete", then "Wait for Items import job to complete"
import_statuses = {}
for in_progress_import_arns in ([ dataset_import_job ], [ dataset_import_job_items_arn ]):
    max_time = time.time() + 3*60*60 # 3 hours
    while time.time() < max_time:
        for import_arn in in_progress_import_arns:
            describe_dataset_import_job_response = personalize.describe_dataset_import_job(
                datasetImportJobArn = import_arn
            )
            status = describe_dataset_import_job_response["datasetImportJob"]['status']
            if status == "ACTIVE":
                print("Dataset import succeeded for {}".format(import_arn))
                in_progress_import_arns.remove(import_arn)
                import_statuses[import_arn] = status
            elif status == "CREATE FAILED":
                print("Create failed for {}".format(import_arn))
                in_progress_import_arns.remove(import_arn)
                import_statuses[import_arn] = f"{status}: {describe_dataset_import_job_response['datasetImportJob'].get('failureReason')}"

        if len(in_progress_import_arns) <= 0:
            break
        else:
            print("At least one dataset import job is still in progress")

        time.sleep(0.2)

# ---- "Create solutions and solution versions" ------------------------------------------------------
list_recipes_output = personalize.list_recipes()
print(list_recipes_output)

sims_recipe_arn = "arn:aws:personalize:::recipe/aws-sims"
similar_items_recipe_arn = "arn:aws:personalize:::recipe/aws-similar-items"

sims_create_solution_response = personalize.create_solution(
    name = "amazon-pantry-sims-solution-example",
    datasetGroupArn = dataset_group_arn,
    recipeArn = sims_recipe_arn
)

sims_solution_arn = sims_create_solution_response['solutionArn']

print(sims_solution_arn)

sims_solution_version_response = personalize.create_solution_version(
    solutionArn = sims_solution_arn
)

sims_solution_version_arn = sims_solution_version_response['solutionVersionArn']
print(json.dumps(sims_solution_version_response, indent=2))

similar_items_create_solution_response = personalize.create_solution(
    name = "amazon-pantry-aws-similar-items-solution-example",
    datasetGroupArn = dataset_group_arn,
    recipeArn = similar_items_recipe_arn
)

similar_items_solution_arn = similar_items_create_solution_response['solutionArn']

similar_items_solution_version_response = personalize.create_solution_version(
    solutionArn = similar_items_solution_arn
)

similar_items_solution_version_arn = similar_items_solution_version_response['solutionVersionArn']
print(json.dumps(similar_items_solution_version_response, indent=2))

# "Wait for solution versions to become active"
built = {}
in_progress_solution_versions = [
    sims_solution_version_arn,
    similar_items_solution_version_arn
]

max_time = time.time() + 10*60*60 # 10 hours
while time.time() < max_time:
    for solution_version_arn in in_progress_solution_versions:
        version_response = personalize.describe_solution_version(
            solutionVersionArn = solution_version_arn
        )
        status = version_response["solutionVersion"]["status"]

        if status == "ACTIVE":
            print("Build succeeded for {}".format(solution_version_arn))
            in_progress_solution_versions.remove(solution_version_arn)
            built[solution_version_arn] = status
        elif status == "CREATE FAILED":
            print("Build failed for {}".format(solution_version_arn))
            in_progress_solution_versions.remove(solution_version_arn)
            built[solution_version_arn] = f"{status}: {version_response['solutionVersion'].get('failureReason')}"

    if len(in_progress_solution_versions) <= 0:
        break
    else:
        print("At least one solution build is still in progress")

    time.sleep(0.2)

response = personalize.describe_solution_version(solutionVersionArn = sims_solution_version_arn)
training_hours_sims = response['solutionVersion']['trainingHours']

response = personalize.describe_solution_version(solutionVersionArn = similar_items_solution_version_arn)
training_hours_similar_items = response['solutionVersion']['trainingHours']
training_diff = (training_hours_sims - training_hours_similar_items) / training_hours_similar_items

print(f"Training hours sims: {training_hours_sims}")
print(f"Training hours similar items: {training_hours_similar_items}")

print("Difference of {:.2%}".format(training_diff))

sims_solution = {
        "solution_arn": sims_solution_arn,
        "solution_version_arn": sims_solution_version_arn
}
sims_v2_solution = {
        "solution_arn": similar_items_solution_arn,
        "solution_version_arn": similar_items_solution_version_arn
}

def create_campaign(solution,name):
    create_campaign_response = personalize.create_campaign(
        name = "personalize-demo-" + name + "example",
        solutionVersionArn = solution['solution_version_arn'],
        minProvisionedTPS = 1
    )

    campaign_arn = create_campaign_response['campaignArn']
    print('campaign_arn:' + campaign_arn)
    return campaign_arn

campaign_statuses = {}
def waitForCampaign(solution):
    max_time = time.time() + 3*60*60 # 3 hours
    while time.time() < max_time:
        describe_campaign_response = personalize.describe_campaign(
            campaignArn = solution['campaign_arn']
        )
        status = describe_campaign_response["campaign"]["status"]
        print("Campaign: {} {}".format(solution['campaign_arn'], status))
        campaign_statuses[solution['campaign_arn']] = status

        if status == "ACTIVE" or status == "CREATE FAILED":
            break

        time.sleep(0.2)

# "Create and wait for the 2 Campaigns"
sims_solution['campaign_arn'] = create_campaign(sims_solution, 'sims')
sims_v2_solution['campaign_arn'] = create_campaign(sims_v2_solution, 'aws-similar-items')

waitForCampaign(sims_solution)
waitForCampaign(sims_v2_solution)

# ---- "Getting Recommendations" ---------------------------------------------------------------------
# items_interacted_df = positive_reviews_df.copy()
# # Getting unique aisns counts
# asin_interaction_count = items_interacted_df['asin'].value_counts()
#   (the column is ITEM_ID by now: the notebook's rename(..., inplace = True) cell renamed asin, so
#   pandas raises KeyError: 'asin' here; the ITEM_ID column is counted instead)
asin_interaction_count = {}
for r in interactions_rows:
    asin_interaction_count[r['ITEM_ID']] = asin_interaction_count.get(r['ITEM_ID'], 0) + 1
# # Transforming panda series to df
# asin_interaction_count_df = pd.DataFrame({'asin':asin_interaction_count.index, 'count':asin_interaction_count.values})
asin_interaction_count_df = [{'asin': a, 'count': c} for a, c in
                             sorted(asin_interaction_count.items(), key=lambda x: -x[1])]
print(asin_interaction_count_df[:5])
# asin_interaction_count_df.describe(include='int')
counts = [r['count'] for r in asin_interaction_count_df]
print({"count": len(counts), "mean": sum(counts) / len(counts), "min": min(counts), "max": max(counts)})
# asin_interaction_count_df.plot(); zoom_interactions (100 < count < 300) .plot(): plots, not drawn here

def one(rows, what):
    """pandas' Series.item(): the one value, ValueError when there are none or several."""
    if len(rows) != 1:
        raise ValueError(f"can only convert an array of size 1 to a Python scalar ({what}: {len(rows)} rows)")
    return rows[0]

# https://www.geeksforgeeks.org/how-to-select-rows-from-a-dataframe-based-on-column-values/
def get_item_brand(item_id):
    """
    Takes in an ID, returns its brand
    """

    return one([r['BRAND'] for r in items_df if r['ITEM_ID'] == item_id], item_id)   # items_df.query('ITEM_ID=="{}"'.format(item_id))['BRAND'].item()

def get_item_price(item_id):
    """
    Takes in an ID, returns its brand
    """

    return one([r['PRICE'] for r in items_df if r['ITEM_ID'] == item_id], item_id)

def get_item_description(item_id):
    """
    Takes in an ID, returns its brand
    """

    return one([r['DESCRIPTION'] for r in items_df if r['ITEM_ID'] == item_id], item_id)
def get_item_df(item_id):
    """
    Takes in an ID, returns a title
    """
    temp_df = [dict(r) for r in items_df if r['ITEM_ID'] == item_id]   # items_df.query('ITEM_ID=="{}"'.format(item_id))

    for r in temp_df:
        r['INTERACTIONS_COUNT'] = get_item_count(item_id)   # temp_df['INTERACTIONS_COUNT'] = get_item_count(item_id)
    return temp_df
def get_item_count(item_id):
    return one([r['count'] for r in asin_interaction_count_df if r['asin'] == item_id], item_id)   # .query('asin=="{}"')['count'].item()

def get_recs_df(item_id, campaign):
    response = personalize_runtime.get_recommendations(
        campaignArn=campaign,
        itemId=item_id,
#         numResults=5
    )
    return clean_recs_list(response['itemList'])

def clean_recs_list(rec_list):
    items = []
    for each in rec_list:
        items.append([each['itemId'], get_item_brand(each['itemId']), get_item_price(each['itemId']), get_item_description(each['itemId']), get_item_count(each['itemId'])])
    # return pd.DataFrame (items, columns = ['ITEM_ID', 'BRAND', 'PRICE','DESCRIPTION', 'INTERACTIONS_COUNT'])
    return [dict(zip(['ITEM_ID', 'BRAND', 'PRICE', 'DESCRIPTION', 'INTERACTIONS_COUNT'], row)) for row in items]

def print_descriptions(recommendations_sims_v2_df):
    for index, row in enumerate(recommendations_sims_v2_df):   # .iterrows()
        print('----ITEM----')
        print('Recommendation number {index}, BRAND: {brand}, PRICE: {price}'.format(index=index+1, brand=row['BRAND'], price=row['PRICE']))
        print('----DESCRIPTION----')
        print(row['DESCRIPTION'])

examples = {}
sample_rnd = random.Random(1007)  # DataFrame.sample

# "Lets get a random item id and explore each model recommendations"
print(sample_rnd.choice(asin_interaction_count_df)['asin'])   # asin_interaction_count_df.sample()['asin'].item()

asin = sample_rnd.choice(asin_interaction_count_df)['asin']   # asin_interaction_count_df.sample(1)['asin'].item()
recommended_item_df = get_item_df(asin)
recommendations_sims_df = get_recs_df(asin,sims_solution['campaign_arn'])
recommendations_sims_v2_df = get_recs_df(asin,sims_v2_solution['campaign_arn'])
print(recommended_item_df)
print(one([r['DESCRIPTION'] for r in recommended_item_df], asin))   # recommended_item_df['DESCRIPTION'].item()
print(recommendations_sims_df)
print(recommendations_sims_v2_df)
print_descriptions(recommendations_sims_v2_df)
examples["random"] = (asin, recommended_item_df, recommendations_sims_df, recommendations_sims_v2_df)

# "Targeted examples": "Popular item"
asin = 'B00HZ6X8QU'
recommended_item_df = get_item_df(asin)
recommendations_sims_df = get_recs_df(asin,sims_solution['campaign_arn'])
recommendations_sims_v2_df = get_recs_df(asin,sims_v2_solution['campaign_arn'])
print(recommended_item_df)
print(one([r['DESCRIPTION'] for r in recommended_item_df], asin))
print(recommendations_sims_df)
print(recommendations_sims_v2_df)
examples["popular"] = (asin, recommended_item_df, recommendations_sims_df, recommendations_sims_v2_df)

# "Unpopular item"
# B017BGLXYC - SODA - low price - low interactions
asin = 'B01GCT22E4'
recommended_item_df = get_item_df(asin)
recommendations_sims_df = get_recs_df(asin,sims_solution['campaign_arn'])
recommendations_sims_v2_df = get_recs_df(asin,sims_v2_solution['campaign_arn'])
print(recommended_item_df)
print(one([r['DESCRIPTION'] for r in recommended_item_df], asin))
print(recommendations_sims_df)
print(recommendations_sims_v2_df)
print_descriptions(recommendations_sims_v2_df)
examples["unpopular"] = (asin, recommended_item_df, recommendations_sims_df, recommendations_sims_v2_df)

# (not in the notebook: the product categories the generated titles name, to judge the answers)
category_of = {p["asin"]: p["title"].split()[1].lower() for p in products}
summary({
    "ok": True,
    "datasetGroup": dataset_group_status,
    "imports": {"interactions": import_statuses.get(dataset_import_job), "items": import_statuses.get(dataset_import_job_items_arn)},
    "interactionRows": len(interactions_rows),
    "items": len(items_df),
    "recipes": [r['recipeArn'] for r in list_recipes_output['recipes']],
    "versions": {"sims": built.get(sims_solution_version_arn), "similarItems": built.get(similar_items_solution_version_arn)},
    "trainingHours": {"sims": training_hours_sims, "similarItems": training_hours_similar_items},
    "metrics": {
        "sims": personalize.get_solution_metrics(solutionVersionArn = sims_solution_version_arn)['metrics'],
        "similarItems": personalize.get_solution_metrics(solutionVersionArn = similar_items_solution_version_arn)['metrics'],
    },
    "campaigns": {arn.split('/')[-1]: status for arn, status in campaign_statuses.items()},
    "interactionCounts": asin_interaction_count,
    "categories": category_of,
    "examples": {
        name: {
            "asin": asin,
            "item": {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in item[0].items()},
            "sims": [r['ITEM_ID'] for r in sims],
            "similarItems": [r['ITEM_ID'] for r in v2],
        }
        for name, (asin, item, sims, v2) in examples.items()
    },
})

"""AWS's related-items notebook next_steps/core_use_cases/related_items/personalize_sims_example.ipynb
("Finding similar items + HPO", aws-samples/amazon-personalize-samples) against a running
openpersonalize: its cells that touch Personalize, as written — SIMS with default settings,
deployed in a campaign and asked for movies like movies 5 and 2 (the smell tests), then SIMS with
performHPO and the notebook's hpoResourceConfig, and the smell tests again.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment, as in the notebook. Exits
non-zero with the reason on stderr; prints a JSON summary on stdout.

The notebook downloads MovieLens ml-1m and reads ratings.dat ('::'-separated USER_ID, ITEM_ID,
RATING, TIMESTAMP, no header) and movies.dat with pandas; here files of that shape are generated
and the pandas steps done with the csv module (and plain string splits), the pandas line quoted
above each. Changed from the notebook, and only these: endpoint_url= in boto3.client; the bucket
(`!aws s3 mb` and upload_file become a folder of the local store and a copy); no S3 bucket policy
and no IAM role (the role ARN is a constant); the sleeps (0.2 s instead of 20 s and 60 s, and
0.5 s for the 45 s the IAM cell waits, which is also what lets the dataset become ACTIVE before
the import job is created); the data size (400 users, not 6,040).
"""
import csv
import json
import os
import shutil
import sys
import time

import boto3
import numpy as np
from botocore.exceptions import ClientError

from boto3_notebook_data import GENRES, fail, movielens, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)

suffix = str(np.random.uniform())[4:9]

bucket = bucket_dir_name        # "demo-sims-"+suffix: the bucket the test made
filename = "DEMO-sims.csv"

# !aws s3 mb s3://{bucket}: the bucket's folder exists

personalize = boto3.client(service_name='personalize', endpoint_url=endpoint)
personalize_runtime = boto3.client(service_name='personalize-runtime', endpoint_url=endpoint)

# ---- "Download and process data": ml-1m in shape ---------------------------------------------------
# !curl -O http://files.grouplens.org/datasets/movielens/ml-1m.zip; !unzip -o ml-1m.zip
movies, ratings = movielens(seed=1000, users=400, items=600, ratings_per_user=30,
                            first_timestamp=956703932, last_timestamp=1046454590)
os.makedirs("ml-1m")
with open("ml-1m/ratings.dat", "w") as f:
    f.writelines(f"{u}::{m}::{r}::{t}\n" for u, m, r, t in ratings)
with open("ml-1m/movies.dat", "w", encoding="latin-1") as f:
    f.writelines(f"{m}::{title}::{'|'.join(genres)}\n" for m, title, genres in movies)

# data = pd.read_csv('./ml-1m/ratings.dat', sep='::', names=['USER_ID','ITEM_ID','RATING','TIMESTAMP'])
with open('./ml-1m/ratings.dat') as f:
    data = [dict(zip(['USER_ID', 'ITEM_ID', 'RATING', 'TIMESTAMP'], line.rstrip("\n").split("::"))) for line in f]

# data = data[data['RATING'] > 3.6]  # Use all data to predict view recommendations
# data = data[['USER_ID', 'ITEM_ID', 'TIMESTAMP']] # select columns that match the columns in the schema below
data = [{k: r[k] for k in ['USER_ID', 'ITEM_ID', 'TIMESTAMP']} for r in data]
print('unique users %d; unique items %d'%(
    len({r['USER_ID'] for r in data}), len({r['ITEM_ID'] for r in data})))

# ---- "Upload data" ---------------------------------------------------------------------------------
# data.to_csv(filename, index=False)
with open(filename, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=['USER_ID', 'ITEM_ID', 'TIMESTAMP'], lineterminator="\n")
    w.writeheader()
    w.writerows(data)
# boto3.Session().resource('s3').Bucket(bucket).Object(filename).upload_file(filename)
shutil.copy(filename, os.path.join(bucket_dir, filename))

# ---- "Create Schema" -------------------------------------------------------------------------------
schema = {
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
        }
    ],
    "version": "1.0"
}

create_schema_response = personalize.create_schema(
    name = "DEMO-sims-schema-"+suffix,
    schema = json.dumps(schema)
)

schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

# ---- "Create a Dataset Group" ----------------------------------------------------------------------
create_dataset_group_response = personalize.create_dataset_group(
    name = "DEMO-sims-dataset-group-"+suffix
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
dataset_group_status = status

# ---- "Create an 'Interactions' Dataset Type" -------------------------------------------------------
dataset_type = "INTERACTIONS"
create_dataset_response = personalize.create_dataset(
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = schema_arn,
    name = "DEMO-sims-dataset-"+suffix
)

dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# ---- "Attach a Policy to the S3 Bucket" (s3.put_bucket_policy): not needed, the bucket is local -------
# ---- "Create S3 Read-Only Access Role" (iam.create_role, ...; then time.sleep(45)) -------------------
role_name = "PersonalizeS3Role-"+suffix
role_arn = "arn:aws:iam::000000000000:role/" + role_name
print(role_arn)
# sometimes need to wait a bit for the role to be created
time.sleep(0.5)
print(role_arn)

# ---- "Dataset Import Jobs" -------------------------------------------------------------------------
create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "DEMO-sims-dataset-import-job-"+suffix,
    datasetArn = dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket, filename)
    },
    roleArn = role_arn
)

dataset_import_job_arn = create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_dataset_import_job_response, indent=2))

# "Wait for Dataset Import Job and Dataset Import Job Run to Have ACTIVE Status"
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
import_status = status
if import_status != "ACTIVE":
    fail(f"the import ended {import_status}: {dataset_import_job.get('failureReason')}")

# ---- "Create Solution" -----------------------------------------------------------------------------
recipe_list = personalize.list_recipes()
for recipe in recipe_list['recipes']:
    print(recipe['recipeArn'])

recipe_arn = "arn:aws:personalize:::recipe/aws-sims"

create_solution_response = personalize.create_solution(
    name = "DEMO-sims-solution-"+suffix,
    datasetGroupArn = dataset_group_arn,
    recipeArn = recipe_arn,
)

solution_arn = create_solution_response['solutionArn']
print(json.dumps(create_solution_response, indent=2))

create_solution_version_response = personalize.create_solution_version(
    solutionArn = solution_arn
)

solution_version_arn = create_solution_version_response['solutionVersionArn']
print(json.dumps(create_solution_version_response, indent=2))

# "Wait for Solution Version to Have ACTIVE Status"
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
sims_version = describe_solution_version_response["solutionVersion"]

# "Get Metrics of Solution"
get_metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = solution_version_arn
)

print(json.dumps(get_metrics_response, indent=2))
sims_metrics = get_metrics_response['metrics']

# ---- "Create and Wait for Campaign" ---------------------------------------------------------------
create_campaign_response = personalize.create_campaign(
    name = "DEMO-sims-campaign-"+suffix,
    solutionVersionArn = solution_version_arn,
    minProvisionedTPS = 2,    
)

campaign_arn = create_campaign_response['campaignArn']
print(json.dumps(create_campaign_response, indent=2))

# "Wait for Campaign to Have ACTIVE Status"
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
campaign = describe_campaign_response["campaign"]

# ---- "to aid in interpretation, lets look at some items" ------------------------------------------
# movies = pd.read_csv('./ml-1m/movies.dat', sep='::', names=['ITEM_ID','title','genre'])
# movies=movies.set_index('ITEM_ID')
with open('./ml-1m/movies.dat') as f:
    movies = {int(m): {'title': t, 'genre': g} for m, t, g in (line.rstrip("\n").split("::") for line in f)}
# movies.head()
print(list(movies.items())[:5])

# "Pick a couple of items and look at if items found are generally of similar genres"
smell_tests = {}
rec_response = personalize_runtime.get_recommendations(
        campaignArn = campaign_arn,
        itemId = str(5)
    )
rec_items = [int(x['itemId']) for x in rec_response['itemList']]
# movies.loc[rec_items[:5]]
print([movies[i] for i in rec_items[:5]])
smell_tests["5"] = rec_response['itemList']

rec_response = personalize_runtime.get_recommendations(
        campaignArn = campaign_arn,
        itemId = str(2)
    )
rec_items = [int(x['itemId']) for x in rec_response['itemList']]
# movies.loc[rec_items[:5]]
print([movies[i] for i in rec_items[:5]])
smell_tests["2"] = rec_response['itemList']

# ---- "Do HPO" --------------------------------------------------------------------------------------
create_solution_response = personalize.create_solution(
    name = "DEMO-sims-solution-hpo-"+suffix,
    datasetGroupArn = dataset_group_arn,
    recipeArn = recipe_arn,
    performHPO = True,
    solutionConfig={
        'hpoConfig': {
            'hpoResourceConfig': {
                  'maxNumberOfTrainingJobs': '40',
                  'maxParallelTrainingJobs': '10'
              }
        }
    }
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
hpo_version = describe_solution_version_response["solutionVersion"]

get_metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = solution_version_arn
)

print(json.dumps(get_metrics_response, indent=2))

# movies.head()
print(list(movies.items())[:5])

# The smell tests again, as the notebook writes them: against the same campaign (it deploys no
# campaign for the HPO version).
smell_tests_after_hpo = {}
rec_response = personalize_runtime.get_recommendations(
        campaignArn = campaign_arn,
        itemId = str(5)
    )
rec_items = [int(x['itemId']) for x in rec_response['itemList']]
print([movies[i] for i in rec_items[:5]])   # movies.loc[rec_items[:5]]
smell_tests_after_hpo["5"] = rec_response['itemList']

rec_response = personalize_runtime.get_recommendations(
        campaignArn = campaign_arn,
        itemId = str(2)
    )
rec_items = [int(x['itemId']) for x in rec_response['itemList']]
print([movies[i] for i in rec_items[:5]])   # movies.loc[rec_items[:5]]
smell_tests_after_hpo["2"] = rec_response['itemList']

hpo_solution = personalize.describe_solution(solutionArn = solution_arn)['solution']
summary({
    "ok": True,
    "datasetGroup": dataset_group_status,
    "datasetImportJob": import_status,
    "rows": len(data),
    "recipes": [r['recipeArn'] for r in recipe_list['recipes']],
    "sims": {"status": sims_version["status"], "failureReason": sims_version.get("failureReason"),
             "recipeArn": sims_version.get("recipeArn"), "metrics": sims_metrics},
    "hpo": {"status": hpo_version["status"], "failureReason": hpo_version.get("failureReason"),
            "performHPO": hpo_solution.get("performHPO"),
            "hpoConfig": hpo_solution.get("solutionConfig", {}).get("hpoConfig"),
            "versionPerformHPO": hpo_version.get("performHPO"),
            "versionHpoConfig": hpo_version.get("solutionConfig", {}).get("hpoConfig"),
            "tunedHPOParams": hpo_version.get("tunedHPOParams"),
            "metrics": get_metrics_response['metrics']},
    "campaign": {k: campaign.get(k) for k in ["name", "status", "solutionVersionArn", "minProvisionedTPS"]},
    "simsVersionArn": sims_version["solutionVersionArn"],
    "genres": {str(m): v["genre"].split("|") for m, v in movies.items()},
    "smellTests": smell_tests,
    "smellTestsAfterHpo": smell_tests_after_hpo,
})

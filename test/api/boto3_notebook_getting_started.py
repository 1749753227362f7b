"""AWS's getting-started notebook getting_started/notebooks/1.Building_Your_First_Campaign.ipynb
(aws-samples/amazon-personalize-samples) against a running openpersonalize: its cells that touch
Personalize, as written, from the schema to the solution version's metrics, the campaign and the
sample recommendations.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment, as in the notebook. Exits
non-zero with the reason on stderr; prints a JSON summary on stdout.

The notebook downloads MovieLens ml-100k and reads u.data (tab-separated USER_ID, ITEM_ID, RATING,
TIMESTAMP, no header) with pandas; here a u.data (and u.item) of that shape is generated and the
pandas steps are done with the csv module, the pandas line quoted above each. Changed from the
notebook, and only these: endpoint_url= in boto3.client; the upload (a copy into the bucket's folder
instead of upload_file); no S3 bucket policy and no IAM role (the role ARN is a constant); the
sleeps (0.2 s instead of 60 s, and 0.5 s for the 60 s the IAM cell waits before the import job is
created, which is also what lets the dataset become ACTIVE); the data size (300 users, not 943).
"""
import csv
import json
import os
import random
import shutil
import sys
import time

import boto3

from boto3_notebook_data import GENRES, fail, movielens, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)

# ---- "Configure the SDK to Personalize" ------------------------------------------------------------
personalize = boto3.client('personalize', endpoint_url=endpoint)
personalize_runtime = boto3.client('personalize-runtime', endpoint_url=endpoint)

# ---- "Specify a Bucket and Data Output Location" ---------------------------------------------------
bucket = bucket_dir_name       # replace with the name of your S3 bucket
filename = "movie-lens-100k.csv"

# ---- "Download and Explore the Dataset": ml-100k in shape ------------------------------------------
# !wget -N http://files.grouplens.org/datasets/movielens/ml-100k.zip; !unzip -o ml-100k.zip
movies, ratings = movielens(seed=100, users=300, items=500, ratings_per_user=40)
os.makedirs("ml-100k")
with open("ml-100k/u.data", "w", newline="") as f:
    csv.writer(f, delimiter="\t", lineterminator="\n").writerows(ratings)
with open("ml-100k/u.item", "w", newline="", encoding="latin-1") as f:
    w = csv.writer(f, delimiter="|", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    for m, title, genres in movies:
        # movie id | movie title | release date | video release date | IMDb URL | 19 genre flags
        w.writerow([m, title, "01-Jan-1995", "", "http://us.imdb.com/M/title-exact?Movie"]
                   + [1 if g in genres else 0 for g in ["unknown"] + GENRES])

# data = pd.read_csv('./ml-100k/u.data', sep='\t', names=['USER_ID', 'ITEM_ID', 'RATING', 'TIMESTAMP'])
with open("./ml-100k/u.data", newline="") as f:
    data = [dict(zip(['USER_ID', 'ITEM_ID', 'RATING', 'TIMESTAMP'], row)) for row in csv.reader(f, delimiter="\t")]

# ---- "Prepare and Upload Data" ---------------------------------------------------------------------
# data = data[data['RATING'] > 3]                # Keep only movies rated higher than 3 out of 5.
data = [r for r in data if int(r['RATING']) > 3]
# data = data[['USER_ID', 'ITEM_ID', 'TIMESTAMP']] # select columns that match the columns in the schema below
data = [{k: r[k] for k in ['USER_ID', 'ITEM_ID', 'TIMESTAMP']} for r in data]
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
    name = "personalize-demo-schema",
    schema = json.dumps(schema)
)

schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

# ---- "Create Dataset Group" ------------------------------------------------------------------------
create_dataset_group_response = personalize.create_dataset_group(
    name = "personalize-launch-demo"
)

dataset_group_arn = create_dataset_group_response['datasetGroupArn']
print(json.dumps(create_dataset_group_response, indent=2))

# ---- "Wait for Dataset Group to Have ACTIVE Status" ------------------------------------------------
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

# ---- "Create Dataset" ------------------------------------------------------------------------------
dataset_type = "INTERACTIONS"
create_dataset_response = personalize.create_dataset(
    name = "personalize-launch-interactions",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = schema_arn
)

dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# ---- "Attach Policy to S3 Bucket" (s3.put_bucket_policy): not needed, the bucket is local -------------
# ---- "Create Personalize Role" (iam.create_role, attach_role_policy, then time.sleep(60)) -------------
time.sleep(0.5) # wait for a minute to allow IAM role policy attachment to propagate
role_arn = "arn:aws:iam::000000000000:role/PersonalizeRoleDemo"
print(role_arn)

# ---- "Create Dataset Import Job" -------------------------------------------------------------------
create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "personalize-demo-import1",
    datasetArn = dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket, filename)
    },
    roleArn = role_arn
)

dataset_import_job_arn = create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_dataset_import_job_response, indent=2))

# ---- "Wait for Dataset Import Job to Have ACTIVE Status" -------------------------------------------
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_dataset_import_job_response = personalize.describe_dataset_import_job(
        datasetImportJobArn = dataset_import_job_arn
    )
    status = describe_dataset_import_job_response["datasetImportJob"]['status']
    print("DatasetImportJob: {}".format(status))

    if status == "ACTIVE" or status == "CREATE FAILED":
        break

    time.sleep(0.2)
import_status = status
if import_status != "ACTIVE":
    fail(f"the import ended {import_status}: {describe_dataset_import_job_response['datasetImportJob'].get('failureReason')}")

# ---- "Select Recipe" -------------------------------------------------------------------------------
list_recipes_response = personalize.list_recipes()
list_recipes_response
print([r['recipeArn'] for r in list_recipes_response['recipes']])

recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization" # aws-user-personalization selected for demo purposes

# ---- "Create Solution" -----------------------------------------------------------------------------
create_solution_response = personalize.create_solution(
    name = "personalize-demo-soln-user-personalization",
    datasetGroupArn = dataset_group_arn,
    recipeArn = recipe_arn
)

solution_arn = create_solution_response['solutionArn']
print(json.dumps(create_solution_response, indent=2))

# ---- "Create Solution Version" (right after the solution, as the notebook does) ----------------------
create_solution_version_response = personalize.create_solution_version(
    solutionArn = solution_arn
)

solution_version_arn = create_solution_version_response['solutionVersionArn']
print(json.dumps(create_solution_version_response, indent=2))

# ---- "Wait for Solution Version to Have ACTIVE Status" ---------------------------------------------
statuses = []
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_solution_version_response = personalize.describe_solution_version(
        solutionVersionArn = solution_version_arn
    )
    status = describe_solution_version_response["solutionVersion"]["status"]
    print("SolutionVersion: {}".format(status))
    if not statuses or statuses[-1] != status:
        statuses.append(status)

    if status == "ACTIVE" or status == "CREATE FAILED":
        break

    time.sleep(0.2)

# ---- "Get Metrics of Solution Version" -------------------------------------------------------------
get_solution_metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = solution_version_arn
)

print(json.dumps(get_solution_metrics_response, indent=2))

# ---- "Create Campaign" -----------------------------------------------------------------------------
create_campaign_response = personalize.create_campaign(
    name = "personalize-demo-camp",
    solutionVersionArn = solution_version_arn,
    minProvisionedTPS = 1,
    campaignConfig = {
        "itemExplorationConfig": {
            "explorationWeight": "0.5"
        }
    }
)

campaign_arn = create_campaign_response['campaignArn']
print(json.dumps(create_campaign_response, indent=2))

# ---- "Wait for Campaign to Have ACTIVE Status" -----------------------------------------------------
campaign_statuses = []
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_campaign_response = personalize.describe_campaign(
        campaignArn = campaign_arn
    )
    status = describe_campaign_response["campaign"]["status"]
    print("Campaign: {}".format(status))
    if not campaign_statuses or campaign_statuses[-1] != status:
        campaign_statuses.append(status)

    if status == "ACTIVE" or status == "CREATE FAILED":
        break

    time.sleep(0.2)

# ---- "Get Sample Recommendations" ------------------------------------------------------------------
# Getting a random user:
# user_id, item_id, _ = data.sample().values[0]
user_id, item_id, _ = random.Random(1).choice(data).values()
print("USER: {}".format(user_id))

# First load items into memory
# items = pd.read_csv('./ml-100k/u.item', sep='|', usecols=[0,1], encoding='latin-1', names=['ITEM_ID', 'TITLE'], index_col='ITEM_ID')
with open('./ml-100k/u.item', newline='', encoding='latin-1') as f:
    items = [row[1] for row in csv.reader(f, delimiter='|', quoting=csv.QUOTE_NONE, escapechar='\\')]

def get_movie_title(movie_id):
    """
    Takes in an ID, returns a title
    """
    movie_id = int(movie_id)
    # return items.iloc[movie_id]['TITLE']   (positional, as the notebook has it)
    return items[movie_id]

# ---- "Call GetRecommendations" ---------------------------------------------------------------------
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

# recommendations_df = pd.DataFrame(recommendation_list, columns = ['OriginalRecs'])
recommendations_df = recommendation_list
print(recommendations_df)

version = describe_solution_version_response["solutionVersion"]
campaign = describe_campaign_response["campaign"]
rated = {r['ITEM_ID'] for r in data if r['USER_ID'] == user_id}
summary({
    "ok": True,
    "datasetGroup": dataset_group_status,
    "datasetGroupArn": dataset_group_arn,
    "datasetImportJob": import_status,
    "rows": len(data),
    "recipes": [r['recipeArn'] for r in list_recipes_response['recipes']],
    "solutionArn": solution_arn,
    "solutionVersionArn": solution_version_arn,
    "statuses": statuses,
    "recipeArn": version.get("recipeArn"),
    "trainingMode": version.get("trainingMode"),
    "failureReason": version.get("failureReason"),
    "metricsArn": get_solution_metrics_response.get("solutionVersionArn"),
    "metrics": get_solution_metrics_response.get("metrics"),
    "campaignArn": campaign_arn,
    "campaignStatuses": campaign_statuses,
    "campaign": {k: campaign.get(k) for k in ["solutionVersionArn", "minProvisionedTPS", "campaignConfig"]},
    "userId": user_id,
    "recommendationId": get_recommendations_response.get("recommendationId"),
    "itemList": item_list,
    "titles": recommendations_df,
    "alreadyRated": len(rated & {i['itemId'] for i in item_list}),
})

"""AWS's personalized-ranking notebook next_steps/core_use_cases/personalized_ranking/
personalize_ranking_example.ipynb (aws-samples/amazon-personalize-samples; read from the mirror
recohut-admin/reco-amazon-personalize, same path, as the search index holds no copy of the
aws-samples file) against a running openpersonalize: its cells that touch Personalize, as
written: the trained Personalized-Ranking solution version, its campaign, the ranking of 25 random
artists for a random user, and the listing cells of "Clean up".

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment, as in the notebook. Exits
non-zero with the reason on stderr; prints a JSON summary on stdout.

The notebook downloads the HetRec 2011 Last.FM data and reads user_taggedartists-timestamps.dat
(tab-separated userID, artistID, tagID, timestamp in milliseconds, with a header; several rows per
user and artist, one per tag, at the same time; and, as `original_data.describe()` shows, a
negative timestamp, min -4.287204e+11), artists.dat and user_artists.dat with pandas; here files of
that shape are generated (artists.dat lists artists nobody tagged, as the real one does) and the
pandas steps done with the csv module, the pandas line quoted above each. Changed from the
notebook, and only these: endpoint_url= in boto3.client; the region (the notebook reads it from
SageMaker's /opt/ml/metadata); the bucket (s3.create_bucket and upload_file become a folder of the
local store and a copy); no S3 bucket policy and no IAM role (the role ARN is a constant); the
sleeps (0.2 s instead of 60 s, 0.5 s for the IAM cell's 60 s); the data size (300 users).
"""
import csv
import json
import os
import random
import shutil
import sys
import time
from time import sleep
from datetime import datetime

import boto3
import numpy as np

from boto3_notebook_data import fail, notebook_output_to_stderr, summary
from boto3_notebook_lastfm import write_lastfm

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)

# ---- "Choose a dataset or data source": Last.FM (hetrec2011-lastfm-2k) in shape ---------------------
data_dir = "data"
# !mkdir $data_dir; !cd $data_dir && wget .../hetrec2011-lastfm-2k.zip && unzip hetrec2011-lastfm-2k.zip
os.makedirs(data_dir)
write_lastfm(data_dir)

# ---- "Prepare your data" ---------------------------------------------------------------------------
# original_data = pd.read_csv(data_dir + '/user_taggedartists-timestamps.dat', delimiter='\t')
with open(data_dir + '/user_taggedartists-timestamps.dat', newline="") as f:
    original_data = [{k: int(v) for k, v in r.items()} for r in csv.DictReader(f, delimiter="\t")]

arb_time_stamp = original_data[50]['timestamp']
print(arb_time_stamp)
# print(datetime.utcfromtimestamp(arb_time_stamp).strftime('%Y-%m-%d %H:%M:%S'))  -> ValueError: year is out of range
arb_time_stamp = arb_time_stamp/1000
print(datetime.utcfromtimestamp(arb_time_stamp).strftime('%Y-%m-%d %H:%M:%S'))

# original_data.timestamp = original_data.timestamp / 1000
for r in original_data:
    r['timestamp'] = r['timestamp'] / 1000

# interactions_df = original_data.copy(); interactions_df = interactions_df[['userID', 'artistID', 'timestamp']]
interactions_df = [{k: r[k] for k in ['userID', 'artistID', 'timestamp']} for r in original_data]
# interactions_df.astype({'timestamp': 'int64'}).dtypes   (not assigned: the column stays float64)
# interactions_df.rename(columns = {'userID':'USER_ID', 'artistID':'ITEM_ID', 'timestamp':'TIMESTAMP'}, inplace = True)
interactions_df = [{'USER_ID': r['userID'], 'ITEM_ID': r['artistID'], 'TIMESTAMP': r['timestamp']} for r in interactions_df]

interactions_filename = "interactions.csv"
# interactions_df.to_csv((data_dir+"/"+interactions_filename), index=False, float_format='%.0f')
with open(data_dir + "/" + interactions_filename, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(['USER_ID', 'ITEM_ID', 'TIMESTAMP'])
    w.writerows([r['USER_ID'], r['ITEM_ID'], '%.0f' % r['TIMESTAMP']] for r in interactions_df)

# ---- "Create dataset groups and the interactions dataset" ------------------------------------------
# Configure the SDK to Personalize:
personalize = boto3.client('personalize', endpoint_url=endpoint)
personalize_runtime = boto3.client('personalize-runtime', endpoint_url=endpoint)

create_dataset_group_response = personalize.create_dataset_group(
    name = "personalize-ranking-dsg"
)

dataset_group_arn = create_dataset_group_response['datasetGroupArn']
print(json.dumps(create_dataset_group_response, indent=2))

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
        }
    ],
    "version": "1.0"
}

create_schema_response = personalize.create_schema(
    name = "personalize-ranking-interactions",
    schema = json.dumps(interactions_schema)
)

schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

dataset_type = "INTERACTIONS"
create_dataset_response = personalize.create_dataset(
    name = "personalize-ranking-ds",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = schema_arn
)

interactions_dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# ---- "Configure an S3 bucket and an IAM role" ------------------------------------------------------
# with open('/opt/ml/metadata/resource-metadata.json') as notebook_info: ... region = resource_arn.split(':')[3]
region = "us-east-1"
print(region)

suffix = str(np.random.uniform())[4:9]
bucket_name = bucket_dir_name        # "personalize-ranking-demo-"+suffix: the bucket the test made
print(bucket_name)
# s3.create_bucket(Bucket=bucket_name): the bucket's folder exists

interactions_file_path = data_dir + "/" + interactions_filename
# boto3.Session().resource('s3').Bucket(bucket_name).Object(interactions_filename).upload_file(interactions_file_path)
shutil.copy(interactions_file_path, os.path.join(bucket_dir, interactions_filename))
interactions_s3DataPath = "s3://"+bucket_name+"/"+interactions_filename

# s3.put_bucket_policy(...); iam.create_role(...), attach_role_policy(...) x 2, then:
time.sleep(0.5) # wait for a minute to allow IAM role policy attachment to propagate
role_name = "PersonalizeRoleRanking"
role_arn = "arn:aws:iam::000000000000:role/" + role_name
print(role_arn)

# ---- "Import the interactions data" ----------------------------------------------------------------
create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "personalize-ranking-example",
    datasetArn = interactions_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, interactions_filename)
    },
    roleArn = role_arn
)

dataset_import_job_arn = create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_dataset_import_job_response, indent=2))

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

# ---- "Create solutions" ----------------------------------------------------------------------------
list_recipes_output = personalize.list_recipes()
print(list_recipes_output)

rerank_recipe_arn = "arn:aws:personalize:::recipe/aws-personalized-ranking"

rerank_create_solution_response = personalize.create_solution(
    name = "personalize-ranking",
    datasetGroupArn = dataset_group_arn,
    recipeArn = rerank_recipe_arn
)

rerank_solution_arn = rerank_create_solution_response['solutionArn']
print(json.dumps(rerank_create_solution_response, indent=2))

rerank_create_solution_version_response = personalize.create_solution_version(
    solutionArn = rerank_solution_arn
)

rerank_solution_version_arn = rerank_create_solution_version_response['solutionVersionArn']
print(json.dumps(rerank_create_solution_version_response, indent=2))

# "View solution creation status"
built = {}
in_progress_solution_versions = [
    rerank_solution_version_arn
]

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    for solution_version_arn in in_progress_solution_versions:
        version_response = personalize.describe_solution_version(
            solutionVersionArn = solution_version_arn
        )
        status = version_response["solutionVersion"]["status"]

        if status == "ACTIVE":
            print("Build succeeded for {}".format(solution_version_arn))
            in_progress_solution_versions.remove(solution_version_arn)
            built[solution_version_arn] = version_response["solutionVersion"]
        elif status == "CREATE FAILED":
            print("Build failed for {}".format(solution_version_arn))
            in_progress_solution_versions.remove(solution_version_arn)
            built[solution_version_arn] = version_response["solutionVersion"]

    if len(in_progress_solution_versions) <= 0:
        break
    else:
        print("At least one solution build is still in progress")

    time.sleep(0.2)

# ---- "Create campaigns" ----------------------------------------------------------------------------
rerank_create_campaign_response = personalize.create_campaign(
    name = "personalize-poc-rerank",
    solutionVersionArn = rerank_solution_version_arn,
    minProvisionedTPS = 1
)

rerank_campaign_arn = rerank_create_campaign_response['campaignArn']
print(json.dumps(rerank_create_campaign_response, indent=2))

# "View campaign creation status"
campaigns_built = {}
in_progress_campaigns = [
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
            campaigns_built[campaign_arn] = status
        elif status == "CREATE FAILED":
            print("Build failed for {}".format(campaign_arn))
            in_progress_campaigns.remove(campaign_arn)
            campaigns_built[campaign_arn] = status

    if len(in_progress_campaigns) <= 0:
        break
    else:
        print("At least one campaign build is still in progress")

    time.sleep(0.2)

# ---- "Interact with campaigns" ---------------------------------------------------------------------
# Create a dataframe for the items by reading in the correct source CSV
# items_df = pd.read_csv(data_dir + '/artists.dat', delimiter='\t', index_col=0)
with open(data_dir + '/artists.dat', newline='') as f:
    items_df = {int(r['id']): r for r in csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE, escapechar='\\')}
# items_df.head(5)
print(list(items_df.values())[:5])

item_id_example = 987
artist = items_df[item_id_example]['name']   # items_df.loc[item_id_example]['name']
print(artist)

def get_artist_by_id(artist_id, artist_df=items_df):
    """
    This takes in an artist_id from Personalize so it will be a string,
    converts it to an int, and then does a lookup in a default or specified
    dataframe.

    A really broad try/except clause was added in case anything goes wrong.

    Feel free to add more debugging or filtering here to improve results if
    you hit an error.
    """
    try:
        return artist_df[int(artist_id)]['name']   # artist_df.loc[int(artist_id)]['name']
    except:
        return "Error obtaining artist"

# A known good id
print(get_artist_by_id(artist_id="987"))
# A bad type of value
print(get_artist_by_id(artist_id="987.9393939"))
# Really bad values
print(get_artist_by_id(artist_id="Steve"))
lookups = [get_artist_by_id(artist_id=x) for x in ("987", "987.9393939", "Steve")]

# users_df = pd.read_csv(data_dir + '/user_artists.dat', delimiter='\t', index_col=0)
with open(data_dir + '/user_artists.dat', newline='') as f:
    users_df = [r for r in csv.DictReader(f, delimiter='\t')]
# users_df.head(5)
print(users_df[:5])

# "Personalized Ranking"
sample_rnd = random.Random(1303)  # DataFrame.sample
rerank_user = int(sample_rnd.choice(users_df)['userID'])   # users_df.sample(1).index.tolist()[0]
rerank_items = sample_rnd.sample(sorted(items_df), 25)     # items_df.sample(25).index.tolist()

rerank_list = []
for item in rerank_items:
    artist = get_artist_by_id(item)
    rerank_list.append(artist)
# rerank_df = pd.DataFrame(rerank_list, columns = [rerank_user])
print(rerank_list)

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

print(get_recommendations_response_rerank)

ranked_list = []
item_list = get_recommendations_response_rerank['personalizedRanking']
for item in item_list:
    artist = get_artist_by_id(item['itemId'])
    ranked_list.append(artist)
# ranked_df = pd.DataFrame(ranked_list, columns = ['Re-Ranked']); rerank_df = pd.concat([rerank_df, ranked_df], axis=1)
print(list(zip(rerank_list, ranked_list)))

# ---- "Clean up": the listing cells (the delete cells name "INSERT ARN HERE" for the reader to fill)
listed = {}
paginator = personalize.get_paginator('list_campaigns')
for paginate_result in paginator.paginate():
    for campaign in paginate_result["campaigns"]:
        print(campaign["campaignArn"])
        listed.setdefault("campaigns", []).append(campaign["campaignArn"])

paginator = personalize.get_paginator('list_solutions')
for paginate_result in paginator.paginate():
    for solution in paginate_result["solutions"]:
        print(solution["solutionArn"])
        listed.setdefault("solutions", []).append(solution["solutionArn"])

paginator = personalize.get_paginator('list_datasets')
for paginate_result in paginator.paginate():
    for datasets in paginate_result["datasets"]:
        print(datasets["datasetArn"])
        listed.setdefault("datasets", []).append(datasets["datasetArn"])

paginator = personalize.get_paginator('list_schemas')
for paginate_result in paginator.paginate():
    for schema in paginate_result["schemas"]:
        print(schema["schemaArn"])
        listed.setdefault("schemas", []).append(schema["schemaArn"])

paginator = personalize.get_paginator('list_dataset_groups')
for paginate_result in paginator.paginate():
    for dataset_group in paginate_result["datasetGroups"]:
        print(dataset_group["datasetGroupArn"])
        listed.setdefault("datasetGroups", []).append(dataset_group["datasetGroupArn"])

# (not in the notebook, which reads no metrics: the version's metrics, as notebook 03 reads them)
metrics = personalize.get_solution_metrics(solutionVersionArn = rerank_solution_version_arn)['metrics']
version = built[rerank_solution_version_arn]
with open(data_dir + "/" + interactions_filename) as f:
    lines = f.read().splitlines()[1:]
summary({
    "ok": True,
    "datasetGroup": dataset_group_status,
    "datasetImportJob": import_status,
    "rows": len(lines),
    "distinctRows": len(set(lines)),
    "negativeTimestamps": sum(1 for l in lines if l.split(",")[2].startswith("-")),
    "recipes": [r['recipeArn'] for r in list_recipes_output['recipes']],
    "version": {"status": version["status"], "failureReason": version.get("failureReason"),
                "recipeArn": version.get("recipeArn"), "trainingMode": version.get("trainingMode")},
    "metrics": metrics,
    "campaignArn": rerank_campaign_arn,
    "campaigns": campaigns_built,
    "lookups": lookups,
    "rerankUser": user_id,
    "userTagged": any(r['USER_ID'] == rerank_user for r in interactions_df),
    "rerankInput": rerank_item_list,
    "rerank": get_recommendations_response_rerank['personalizedRanking'],
    "recommendationId": get_recommendations_response_rerank['recommendationId'],
    "taggedArtists": sorted({str(r['ITEM_ID']) for r in interactions_df}),
    "listed": listed,
})

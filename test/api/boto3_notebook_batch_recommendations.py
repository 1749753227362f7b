"""AWS's batch recommendations notebook next_steps/core_use_cases/batch_recommendations/
user_personalization_batch_recommendations_example.ipynb (aws-samples/amazon-personalize-samples)
against a running openpersonalize: its cells that touch Personalize and S3, as written: the
Last.FM tagging data prepared and imported, an aws-user-personalization solution version, the
input file of three random users, the batch inference job and the reading of its `.out` file, and
the listing cells of "Clean up".

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment, as in the notebook. Exits
non-zero with the reason on stderr; prints a JSON summary on stdout.

The notebook downloads the HetRec 2011 Last.FM data and reads user_taggedartists-timestamps.dat,
artists.dat and user_artists.dat with pandas; here files of that shape are generated
(boto3_notebook_lastfm.py, as for the personalized-ranking notebook) and the pandas steps done with
the csv module, the pandas line quoted above each. Changed from the notebook, and only these:
endpoint_url= in boto3.client; the region (the notebook reads it from SageMaker's
/opt/ml/metadata); the bucket (sts' account id and s3.create_bucket become the test's folder of the
local store; upload_file and download_file become copies to and from it); no S3 bucket policy and
no IAM role (the role ARN is a constant); the sleeps (0.2 s instead of 60 s, 0.5 s for the IAM
cell's 60 s); the data size (300 users).
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
# !ls $data_dir
print(sorted(os.listdir(data_dir)))

# ---- "Prepare your data" ---------------------------------------------------------------------------
# original_data = pd.read_csv(data_dir + '/user_taggedartists-timestamps.dat')   (one column: wrong delimiter)
with open(data_dir + '/user_taggedartists-timestamps.dat', newline="") as f:
    print(list(csv.DictReader(f))[:5])
# original_data = pd.read_csv(data_dir + '/user_taggedartists-timestamps.dat', delimiter='\t')
with open(data_dir + '/user_taggedartists-timestamps.dat', newline="") as f:
    original_data = [{k: int(v) for k, v in r.items()} for r in csv.DictReader(f, delimiter="\t")]
print(original_data[:5])

arb_time_stamp = original_data[50]['timestamp']
print(arb_time_stamp)
# print(datetime.utcfromtimestamp(arb_time_stamp).strftime('%Y-%m-%d %H:%M:%S'))  -> ValueError: year is out of range
arb_time_stamp = arb_time_stamp/1000
print(datetime.utcfromtimestamp(arb_time_stamp).strftime('%Y-%m-%d %H:%M:%S'))

# original_data.timestamp = original_data.timestamp / 1000
for r in original_data:
    r['timestamp'] = r['timestamp'] / 1000

arb_time_stamp = original_data[50]['timestamp']
print(arb_time_stamp)
print(datetime.utcfromtimestamp(arb_time_stamp).strftime('%Y-%m-%d %H:%M:%S'))

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
    name = "personalize-batch-recommendations-dg"
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
    name = "personalize-batch-recommendations-interactions",
    schema = json.dumps(interactions_schema)
)

schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

dataset_type = "INTERACTIONS"
create_dataset_response = personalize.create_dataset(
    name = "personalize-batch-recommendations-ds",
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

# s3 = boto3.client('s3'); account_id = boto3.client('sts').get_caller_identity().get('Account')
# bucket_name = account_id + "-personalize-batch-recommendations"; s3.create_bucket(Bucket=bucket_name)
bucket_name = bucket_dir_name        # the bucket the test made
print(bucket_name)

interactions_file_path = data_dir + "/" + interactions_filename
# boto3.Session().resource('s3').Bucket(bucket_name).Object(interactions_filename).upload_file(interactions_file_path)
shutil.copy(interactions_file_path, os.path.join(bucket_dir, interactions_filename))
interactions_s3DataPath = "s3://"+bucket_name+"/"+interactions_filename

# s3.put_bucket_policy(...); iam.create_role(...), attach_role_policy(...) x 2, then:
time.sleep(0.5) # wait for a minute to allow IAM role policy attachment to propagate
role_name = "PersonalizeRoleBatchRecommendations"
role_arn = "arn:aws:iam::000000000000:role/" + role_name
print(role_arn)

# ---- "Import the interactions data" ----------------------------------------------------------------
create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "personalize-batch-recommendations",
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

recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization"

create_solution_response = personalize.create_solution(
    name = "personalize-batch-recommendations-user-personalization",
    datasetGroupArn = dataset_group_arn,
    recipeArn = recipe_arn
)

solution_arn = create_solution_response['solutionArn']
print(json.dumps(create_solution_response, indent=2))

create_solution_version_response = personalize.create_solution_version(
    solutionArn = solution_arn
)

solution_version_arn = create_solution_version_response['solutionVersionArn']
print(json.dumps(create_solution_version_response, indent=2))

# "View solution creation status"
in_progress_solution_versions = [
    solution_version_arn,
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
        elif status == "CREATE FAILED":
            print("Build failed for {}".format(solution_version_arn))
            in_progress_solution_versions.remove(solution_version_arn)

    if len(in_progress_solution_versions) <= 0:
        break
    else:
        print("At least one solution build is still in progress")

    time.sleep(0.2)
version_status = version_response["solutionVersion"]["status"]

# ---- "Interact with the solutions" -----------------------------------------------------------------
# Create a dataframe for the items by reading in the correct source CSV
# items_df = pd.read_csv(data_dir + '/artists.dat', delimiter='\t', index_col=0)
with open(data_dir + '/artists.dat', newline='') as f:
    items_df = {int(r['id']): r for r in csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE, escapechar='\\')}
# Render some sample data: items_df.head(5)
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

# ---- "Batch recommendations": "Building the input file" --------------------------------------------
# users_df = pd.read_csv(data_dir + '/user_artists.dat', delimiter='\t', index_col=0)
with open(data_dir + '/user_artists.dat', newline='') as f:
    users_df = [r for r in csv.DictReader(f, delimiter='\t')]
# Render some sample data: users_df.head(5)
print(users_df[:5])

# Get the user list
sample_rnd = random.Random(4638)  # DataFrame.sample
batch_users = [int(r['userID']) for r in sample_rnd.sample(users_df, 3)]   # users_df.sample(3).index.tolist()

# Write the file to disk
json_input_filename = "json_input.json"
with open(data_dir + "/" + json_input_filename, 'w') as json_input:
    for user_id in batch_users:
        json_input.write('{"userId": "' + str(user_id) + '"}\n')

# Showcase the input file: !cat $data_dir"/"$json_input_filename
with open(data_dir + "/" + json_input_filename) as f:
    print(f.read())

# Upload files to S3
# boto3.Session().resource('s3').Bucket(bucket_name).Object(json_input_filename).upload_file(data_dir+"/"+json_input_filename)
shutil.copy(data_dir + "/" + json_input_filename, os.path.join(bucket_dir, json_input_filename))
s3_input_path = "s3://" + bucket_name + "/" + json_input_filename
print(s3_input_path)

# Define the output path
s3_output_path = "s3://" + bucket_name + "/"
print(s3_output_path)

batchInferenceJobArn = personalize.create_batch_inference_job (
    solutionVersionArn = solution_version_arn,
    jobName = "Batch-Inference-Job",
    roleArn = role_arn,
    jobInput = 
     {"s3DataSource": {"path": s3_input_path}},
    jobOutput = 
     {"s3DataDestination":{"path": s3_output_path}}
)
batchInferenceJobArn = batchInferenceJobArn['batchInferenceJobArn']

current_time = datetime.now()
print("Import Started on: ", current_time.strftime("%I:%M:%S %p"))

statuses = []
max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_dataset_inference_job_response = personalize.describe_batch_inference_job(
        batchInferenceJobArn = batchInferenceJobArn
    )
    status = describe_dataset_inference_job_response["batchInferenceJob"]['status']
    print("DatasetInferenceJob: {}".format(status))
    statuses.append(status)

    if status == "ACTIVE" or status == "CREATE FAILED":
        break

    time.sleep(0.2)

current_time = datetime.now()
print("Import Completed on: ", current_time.strftime("%I:%M:%S %p"))
if status != "ACTIVE":
    fail(f"the batch inference job ended {status}: {describe_dataset_inference_job_response['batchInferenceJob'].get('failureReason')}")

# s3 = boto3.client('s3')
export_name = json_input_filename + ".out"
# s3.download_file(bucket_name, export_name, data_dir+"/"+export_name)
shutil.copy(os.path.join(bucket_dir, export_name), data_dir + "/" + export_name)

# Update DF rendering: pd.set_option('display.max_rows', 30)
bulk_recommendations_df = {}   # a DataFrame with one column per user
with open(data_dir+"/"+export_name) as json_file:
    # Get the first line and parse it
    line = json.loads(json_file.readline())
    # Do the same for the other lines
    while line:
        # extract the user ID 
        col_header = "User: " + line['input']['userId']
        # Create a list for all the artists
        recommendation_list = []
        # Add all the entries
        for item in line['output']['recommendedItems']:
            artist = get_artist_by_id(item)
            recommendation_list.append(artist)
        # new_rec_DF = pd.DataFrame(recommendation_list, columns = [col_header]); bulk_recommendations_df.join(new_rec_DF)
        bulk_recommendations_df[col_header] = recommendation_list
        try:
            line = json.loads(json_file.readline())
        except:
            line = None
print(bulk_recommendations_df)

# ---- "Clean up": the listing cells (the delete cells name "INSERT ARN HERE" for the reader to fill)
listed = {}
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

# (not in the notebook: what the test checks the output against)
job = describe_dataset_inference_job_response["batchInferenceJob"]
with open(data_dir + "/" + export_name) as f:
    raw_lines = f.read().splitlines()
summary({
    "ok": True,
    "datasetGroup": dataset_group_status,
    "datasetImportJob": import_status,
    "version": version_status,
    "solutionVersionArn": solution_version_arn,
    "batchUsers": [str(u) for u in batch_users],
    "job": {k: job.get(k) for k in ["jobName", "batchInferenceJobArn", "status", "numResults", "solutionVersionArn",
                                     "jobInput", "jobOutput", "roleArn", "batchInferenceJobMode", "failureReason"]},
    "statuses": statuses,
    "bucketObjects": sorted(os.listdir(bucket_dir)),
    "outputLines": raw_lines,
    "bulkRecommendations": bulk_recommendations_df,
    "taggedArtists": sorted({str(r['ITEM_ID']) for r in interactions_df}),
    "listed": listed,
})

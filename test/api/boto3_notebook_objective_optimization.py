"""AWS's notebook next_steps/core_use_cases/objective_optimization/objective-optimization.ipynb
(aws-samples/amazon-personalize-samples) against a running openpersonalize, its boto3 cells as
written: MovieLens 100k's ratings above 3 as an Interactions dataset and its movies as an Items
dataset with a made-up ROYALTY (royaltyvalues[ITEM_ID % 8], negated so that the cheapest titles
carry the highest value) and a categorical GENRE; three aws-user-personalization solutions with
solutionConfig optimizationObjective {itemAttribute "ROYALTY", objectiveSensitivity "HIGH" / "LOW"
/ "OFF"}, their versions trained side by side, the notebook's table of their metrics, a campaign
of each with itemExplorationConfig {explorationWeight "0.5"}, the recommendations of the three
campaigns for one sampled user side by side with their total royalties, and the clean-up cells.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment. Exits non-zero with the reason
on stderr; prints a JSON summary on stdout.

The notebook downloads ml-100k.zip and reads u.data (tab-separated USER_ID, ITEM_ID, RATING 1-5,
TIMESTAMP) and u.item ('|'-separated, latin-1: id, title, release date, video release date, IMDb
URL, the "unknown" flag the notebook calls MISC, and 18 genre flags) with pandas; here files of that
shape are generated in ./ml-100k/ with a seeded random.Random (400 users, 600 movies, about 24,000
ratings in u.data's shuffled order over its timestamps' seven months): each movie belongs to one of
six genre clusters, each user prefers one or two clusters and rates their movies highly (4-5
mostly), with a popularity skew inside each cluster that does not follow the movie ids, so that
ROYALTY (ITEM_ID % 8) is independent of both relevance and popularity; the last 15 movies are new
releases, first rated in the data's last 25 days by a few users each (as ml-100k's 1998 titles), so
that the campaigns' exploration has young items to place. pandas is not installed:
each pandas step is done with the csv module, the pandas line quoted above it. As in the notebook
both training files are written by to_csv(index=False): movie-lens-100k.csv with USER_ID,ITEM_ID,
TIMESTAMP (only ratings above 3) and movie-lens-items.csv with ITEM_ID,ROYALTY,GENRE (ROYALTY as
pandas writes float64: -0.0, -0.005, ..., -0.1).

Changed from the notebook, and only these: endpoint_url= in the two boto3.client calls; no conda
install of unzip; the region from the environment instead of SageMaker's metadata file; the bucket
(s3.create_bucket of "personalize-objective-optimization-"+suffix, then upload_file of each file)
is the given folder of the service's local store and a copy into it, so no S3 client is made; no
bucket policy, no IAM role (the role ARN is a constant, and the IAM clean-up cell is not run),
nor the last two cells (aws s3 rm, s3.delete_bucket); the sleeps (0.2 s instead of 60 s and 10 s,
the 60 s after the IAM role included); the data, generated instead of downloaded (see above); the
ROYALTY bar chart is a print of the value counts, DataFrame displays are prints, the metrics table
(pd.DataFrame.from_dict) is the dict it is built from, and the comparison table is a dict of the
three columns; DataFrame.sample() is a seeded random.choice of the rows. Kept as written:
wait_for_delete_solution reads the module's max_time (set by the dataset group cell), as in the
notebook, where delete_solution's max_time is local.

Added, not in the notebook: after each wait loop a describe of what it waited for (the script
stops when that is not ACTIVE); describe_solution and describe_solution_version of each solution; get_solution_metrics of
each version once more to keep each answer as it is (its keys in order); describe_campaign of each;
the same GetRecommendations the notebook makes for 30 sampled users (the notebook's user among them)
against the three campaigns, with get_movie_royalty's sum for each; the number of items young
enough for exploration (first rated within 30 days of the last interaction); after the clean-up,
the describe of each deleted resource; the summary.
"""
import collections
import csv
import json
import os
import random
import shutil
import sys
import time

import boto3
import numpy as np
from botocore.exceptions import ClientError

from boto3_notebook_data import GENRES, fail, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)
rnd = random.Random(2025)

# ---- "Imports" (!conda install -y -c conda-forge unzip: not run) ------------------------------------
# ---- "Configure the SDK to Personalize" -------------------------------------------------------------
personalize = boto3.client('personalize', endpoint_url=endpoint)
personalize_runtime = boto3.client('personalize-runtime', endpoint_url=endpoint)

filename = "movie-lens-100k.csv"
items_filename = "movie-lens-items.csv"

# ---- "Download and Explore the Dataset": ml-100k in shape -------------------------------------------
# !wget -N http://files.grouplens.org/datasets/movielens/ml-100k.zip
# !unzip -o ml-100k.zip
os.makedirs('ml-100k')
N_USERS, N_ITEMS = 400, 600
FIRST, LAST = 874724710, 893286638          # u.data's first and last timestamps
CLUSTERS = [("Action", "Adventure", "Sci-Fi"), ("Animation", "Children's", "Fantasy"),
            ("Comedy", "Romance", "Musical"), ("Crime", "Film-Noir", "Mystery"),
            ("Drama", "War", "Documentary"), ("Horror", "Thriller", "Western")]
movie_cluster = {m: rnd.randrange(len(CLUSTERS)) for m in range(1, N_ITEMS + 1)}
movie_genres = {m: set(rnd.sample(CLUSTERS[c], rnd.choice([1, 1, 2]))) for m, c in movie_cluster.items()}
# Popularity: a random order per cluster (and one over the catalog), weights falling along it.
cluster_movies, cluster_weights = [], []
for c in range(len(CLUSTERS)):
    ms = [m for m in range(1, N_ITEMS + 1) if movie_cluster[m] == c]
    rnd.shuffle(ms)
    cluster_movies.append(ms)
    cluster_weights.append([1 / (1 + rank / 12) for rank in range(len(ms))])
# The last 15 movies are the month's new releases (as ml-100k's 1998 titles): first rated in its
# last 25 days, by a few users each, so the campaigns' item exploration has young items to place.
NEW_RELEASES = set(range(N_ITEMS - 14, N_ITEMS + 1))
cluster_weights = [[0 if m in NEW_RELEASES else w for m, w in zip(ms, ws)] for ms, ws in zip(cluster_movies, cluster_weights)]
catalog = [m for m in range(1, N_ITEMS + 1) if m not in NEW_RELEASES]
rnd.shuffle(catalog)
catalog_weights = [1 / (1 + rank / 40) for rank in range(len(catalog))]
u_data = []
for u in range(1, N_USERS + 1):
    liked = rnd.sample(range(len(CLUSTERS)), rnd.choice([1, 1, 2]))
    n = max(20, int(rnd.gauss(60, 20)))
    t = FIRST + rnd.randrange(int((LAST - FIRST) * 0.7))
    seen = set()
    while len(seen) < n:
        if rnd.random() < 0.8:
            c = rnd.choice(liked)
            m = rnd.choices(cluster_movies[c], cluster_weights[c])[0]
        else:
            m = rnd.choices(catalog, catalog_weights)[0]
        if m in seen:
            continue
        seen.add(m)
        t = min(LAST, t + (rnd.randrange(30, 3600) if rnd.random() < 0.9 else rnd.randrange(3600, 5 * 86400)))
        rating = rnd.choice([3, 4, 4, 5, 5]) if movie_cluster[m] in liked else rnd.choice([1, 2, 2, 3, 4])
        u_data.append((u, m, rating, t))
fans = collections.defaultdict(list)
for u, m, rating, _ in u_data:
    if rating > 3 and u not in fans[movie_cluster[m]]:
        fans[movie_cluster[m]].append(u)
for m in sorted(NEW_RELEASES):
    for u in rnd.sample(fans[movie_cluster[m]], rnd.randint(3, 8)):
        u_data.append((u, m, rnd.choice([3, 4, 4, 5, 5]), LAST - rnd.randrange(25 * 86400)))
rnd.shuffle(u_data)
with open('ml-100k/u.data', 'w', newline='') as f:
    csv.writer(f, delimiter='\t', lineterminator='\n').writerows(u_data)
with open('ml-100k/u.item', 'w', newline='', encoding='latin-1') as f:
    w = csv.writer(f, delimiter='|', lineterminator='\n')
    for m in range(1, N_ITEMS + 1):
        year = 1998 if m in NEW_RELEASES else 1930 + (m * 7) % 68
        title = f"{'Café ' if m % 50 == 0 else ''}Movie {m} ({year})"
        w.writerow([m, title, f"01-Jan-{year}", "", "http://us.imdb.com/M/title-exact?" + title.replace(' ', '%20'), 0]
                   + [1 if g in movie_genres[m] else 0 for g in GENRES])

# data = pd.read_csv('./ml-100k/u.data', sep='\t', names=['USER_ID', 'ITEM_ID', 'RATING', 'TIMESTAMP'])
with open('./ml-100k/u.data', newline='') as f:
    data = [dict(zip(['USER_ID', 'ITEM_ID', 'RATING', 'TIMESTAMP'], map(int, row))) for row in csv.reader(f, delimiter='\t')]
# pd.set_option('display.max_rows', 5); data
print(len(data), data[:5])
ratings_count = len(data)

# ---- "Prepare and Upload Data" ----------------------------------------------------------------------
ITEM_COLUMNS = ['ITEM_ID', 'TITLE', 'RELEASE_DATE', 'VIDEO_RELEASE_DATE', 'IMDB_URL', 'MISC', 'ACTION_GENRE', 'ADVENTURE_GENRE', 'ANIMATION_GENRE', 'CHILDRENS_GENRE','COMEDY_GENRE', 'CRIME_GENRE', 'DOCUMENTARY_GENRE','DRAMA_GENRE','FANTASY_GENRE', 'FILMNOIR_GENRE','HORROR_GENRE', 'MUSICAL_GENRE','MYSTERY_GENRE', 'ROMANCE_GENRE', 'SCIFI_GENRE', 'THRILLER_GENRE', 'WAR_GENRE', 'WESTERN_GENRE'     ]
# items = pd.read_csv('./ml-100k/u.item', sep='|',encoding='latin-1', names=[...])
with open('./ml-100k/u.item', newline='', encoding='latin-1') as f:
    items = [{k: (v if k in ('TITLE', 'RELEASE_DATE', 'VIDEO_RELEASE_DATE', 'IMDB_URL') else int(v))
              for k, v in zip(ITEM_COLUMNS, row)} for row in csv.reader(f, delimiter='|')]
print(len(items), items[:5])

# ---- "Add the Royalty Data and Genres" --------------------------------------------------------------
# pd.set_option('display.max_rows', 10)

royaltyvalues = [0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.05, 0.10]
# items['ROYALTY'] = items['ITEM_ID'].map(lambda x: royaltyvalues[x%8])   (a float64 column: 0 is 0.0)
for r in items:
    r['ROYALTY'] = float(royaltyvalues[r['ITEM_ID'] % 8])

# items['GENRE']=''
for r in items:
    r['GENRE'] = ''

# for col_name in items.columns:
#     if col_name.endswith('_GENRE'):
#         items.loc[items[col_name]==1,'GENRE']= items['GENRE']+'|'+ col_name[:-6]
for col_name in list(items[0]):
    if col_name.endswith('_GENRE'):
        for r in items:
            if r[col_name] == 1:
                r['GENRE'] = r['GENRE'] + '|' + col_name[:-6]

# items = items[['ITEM_ID', 'TITLE','ROYALTY', 'GENRE']]
items = [{k: r[k] for k in ['ITEM_ID', 'TITLE', 'ROYALTY', 'GENRE']} for r in items]
# items['GENRE'] = items['GENRE'].str[1:]
for r in items:
    r['GENRE'] = r['GENRE'][1:]

# items['ROYALTY'].value_counts().plot.bar()
print(collections.Counter(r['ROYALTY'] for r in items))
# items.head(10)
print(items[:10])

# ---- "Adjust the royalty value to a negative number." -----------------------------------------------
# items['ROYALTY'] = -1 * items['ROYALTY']
for r in items:
    r['ROYALTY'] = -1 * r['ROYALTY']
# items
print(items[:5])

# ---- "Configure an S3 bucket and an IAM role" -------------------------------------------------------
# with open('/opt/ml/metadata/resource-metadata.json') as notebook_info: ... region = resource_arn.split(':')[3]
region = os.environ['AWS_DEFAULT_REGION']
print(region)

# s3 = boto3.client('s3'): not made (no S3 here)
suffix = str(np.random.uniform())[4:9]
bucket_name = bucket_dir_name   # "personalize-objective-optimization-"+suffix: the test's bucket
print(bucket_name)
# s3.create_bucket(Bucket=bucket_name): the test made the bucket's folder.

# ---- "Upload data to S3" ----------------------------------------------------------------------------
# items = items[['ITEM_ID', 'TITLE', 'GENRE', 'ROYALTY']]
items = [{k: r[k] for k in ['ITEM_ID', 'TITLE', 'GENRE', 'ROYALTY']} for r in items]
# items_dataset = items[['ITEM_ID','ROYALTY', 'GENRE']]
items_dataset = [{k: r[k] for k in ['ITEM_ID', 'ROYALTY', 'GENRE']} for r in items]

# items_dataset.to_csv(items_filename, index=False)
with open(items_filename, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(list(items_dataset[0]))
    w.writerows(r.values() for r in items_dataset)
# boto3.Session().resource('s3').Bucket(bucket_name).Object(items_filename).upload_file(items_filename)
shutil.copy(items_filename, os.path.join(bucket_dir, items_filename))

# ---- "Set the S3 bucket policy": s3.put_bucket_policy(...) not made ---------------------------------

# ---- "Create the Movie Title Item Schema" -----------------------------------------------------------
schema = {
    "type": "record",
    "name": "Items",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "ITEM_ID",
            "type": "string"
        },
        {
            "name": "ROYALTY",
            "type": "float"
        },        {
            "name": "GENRE",
            "type": [
                "null",
                "string"
              ],
            "categorical": True
        }
    ],
    "version": "1.0"
}

create_item_schema_response = personalize.create_schema(
    name = "personalize-objective-optmization-item-schema"+suffix,
    schema = json.dumps(schema)
)

item_schema_arn = create_item_schema_response['schemaArn']
print(json.dumps(create_item_schema_response, indent=2))

# ---- The interactions: ratings above 3 --------------------------------------------------------------
# data = data[data['RATING'] > 3]                # Keep only movies rated higher than 3 out of 5.
data = [r for r in data if r['RATING'] > 3]
# data = data[['USER_ID', 'ITEM_ID', 'TIMESTAMP']] # select columns that match the columns in the schema below
data = [{k: r[k] for k in ['USER_ID', 'ITEM_ID', 'TIMESTAMP']} for r in data]
# data.to_csv(filename, index=False)
with open(filename, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(list(data[0]))
    w.writerows(r.values() for r in data)
# boto3.Session().resource('s3').Bucket(bucket_name).Object(filename).upload_file(filename)
shutil.copy(filename, os.path.join(bucket_dir, filename))

# ---- "Create Interaction Schema" --------------------------------------------------------------------
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
    name = "personalize-objective-optmization-schema"+suffix,
    schema = json.dumps(schema)
)

schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

# ---- "Create Dataset Group" -------------------------------------------------------------------------
create_dataset_group_response = personalize.create_dataset_group(
    name = "personalize-objective-optmization-demo-"+suffix
)

dataset_group_arn = create_dataset_group_response['datasetGroupArn']
print(json.dumps(create_dataset_group_response, indent=2))

# ---- "Wait for Dataset Group to Have ACTIVE Status" -------------------------------------------------
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
if status != "ACTIVE":
    fail(f"dataset group: {status}")

# ---- "Create Dataset" -------------------------------------------------------------------------------
def create_dataset(dataset_type, schema_arn, name):
    create_dataset_response = personalize.create_dataset(
        name = name,
        datasetType = dataset_type,
        datasetGroupArn = dataset_group_arn,
        schemaArn = schema_arn
    )
    dataset_arn = create_dataset_response['datasetArn']

    max_time = time.time() + 3*60*60 # 3 hours
    while time.time() < max_time:
        describe_dataset_response = personalize.describe_dataset(
            datasetArn = dataset_arn
        )
        status = describe_dataset_response["dataset"]["status"]
        print("Dataset: {} {}".format(name, status))

        if status == "ACTIVE" or status == "CREATE FAILED":
            break

        time.sleep(0.2)
    return dataset_arn


interaction_dataset_arn = create_dataset("INTERACTIONS", schema_arn, 'personalize-objective-optmization-interactions-'+suffix)


print('interaction_dataset_arn: ' + interaction_dataset_arn)

item_dataset_arn = create_dataset("ITEMS", item_schema_arn, 'personalize-objective-optmization-items-'+suffix)
print('item_dataset_arn: ' + item_dataset_arn)

dataset_statuses = {name: personalize.describe_dataset(datasetArn=arn)["dataset"]["status"]
                    for name, arn in (("interactions", interaction_dataset_arn), ("items", item_dataset_arn))}
if set(dataset_statuses.values()) != {"ACTIVE"}:
    fail(f"datasets: {dataset_statuses}")

# ---- "Create Personalize Role": iam.create_role, attach_role_policy x2 not made ----------------------
role_name = "PersonalizeRoleDemo"+suffix
time.sleep(0.2) # wait for a minute to allow IAM role policy attachment to propagate

role_arn = "arn:aws:iam::000000000000:role/" + role_name
print(role_arn)

# ---- "Create Dataset Import Job" --------------------------------------------------------------------
def create_dataset_import_job(dataset_arn, dataLocation, name):
    create_dataset_import_job_response = personalize.create_dataset_import_job(
        jobName = name,
        datasetArn = dataset_arn,
        dataSource = {
            "dataLocation": dataLocation
        },
        roleArn = role_arn
    )

    dataset_import_job_arn = create_dataset_import_job_response['datasetImportJobArn']
    
    max_time = time.time() + 3*60*60 # 3 hours
    while time.time() < max_time:
        describe_dataset_import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn = dataset_import_job_arn
        )
        status = describe_dataset_import_job_response["datasetImportJob"]['status']
        print("DatasetImportJob: {} {}".format(name, status))

        if status == "ACTIVE" or status == "CREATE FAILED":
            break

        time.sleep(0.2)
    return dataset_import_job_arn


# ---- "Load the interactions" ------------------------------------------------------------------------
dataset_import_job_arn = create_dataset_import_job(interaction_dataset_arn, "s3://{}/{}".format(bucket_name, filename), "personalize-objective-optimization-interaction-"+suffix)
print('dataset_import_job_arn: ' + dataset_import_job_arn)

# ---- "Load the movie titles into the item dataset" --------------------------------------------------
item_dataset_import_job_arn = create_dataset_import_job(item_dataset_arn, "s3://{}/{}".format(bucket_name, items_filename), "personalize-objective-optimization-item-")
print('item_dataset_import_job_arn: ' + item_dataset_import_job_arn)

imports = {}
for name, arn in (("interactions", dataset_import_job_arn), ("items", item_dataset_import_job_arn)):
    job = personalize.describe_dataset_import_job(datasetImportJobArn=arn)["datasetImportJob"]
    imports[name] = [job["status"], job.get("failureReason")]
    if job["status"] != "ACTIVE":
        fail(f"import {name}: {job['status']} {job.get('failureReason')}")

# ---- "Select Recipe": "User Personalization" --------------------------------------------------------
recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization" # aws-user-personalization selected for demo purposes

# ---- "Create Solution" ------------------------------------------------------------------------------
def create_solution(name, objectiveSensitivity):
    create_solution_response = personalize.create_solution(
        name = name,
        datasetGroupArn = dataset_group_arn,
        recipeArn = recipe_arn,
        solutionConfig = {
            "optimizationObjective": {
                "itemAttribute": "ROYALTY",
                "objectiveSensitivity":objectiveSensitivity
            }
        }
    )
    
    solution_arn = create_solution_response['solutionArn']
    
    print('solutionArn:' + solution_arn)

    create_solution_version_response = personalize.create_solution_version(
        solutionArn = solution_arn
    )

    solution_version_arn = create_solution_version_response['solutionVersionArn']
    print('solution_version_arn: ' + solution_version_arn)

    return {
        "solution_arn": solution_arn,
        "solution_version_arn": solution_version_arn
    }
    
def waitForSolutionVersion(solution_version_arn):
    max_time = time.time() + 3*60*60 # 3 hours
    while time.time() < max_time:
        describe_solution_version_response = personalize.describe_solution_version(
            solutionVersionArn = solution_version_arn
        )
        status = describe_solution_version_response["solutionVersion"]["status"]
        print("SolutionVersion: {} {}".format(solution_version_arn, status))

        if status == "ACTIVE" or status == "CREATE FAILED"  or status == "CREATE STOPPING":
            break

        time.sleep(0.2)


# ---- "Create the Solution Versions" -----------------------------------------------------------------
high_solution = create_solution('movie-recommendation-low-royalties-'+suffix, 'HIGH')
low_solution = create_solution('movie-recommendation-medium-royalties-'+suffix, 'LOW')
no_objective_optimization_solution = create_solution('movie-recommendation-max-relevance-'+suffix, 'OFF')

# ---- "Wait for Solution Versions to Have ACTIVE Status" ---------------------------------------------
waitForSolutionVersion(low_solution['solution_version_arn'])
waitForSolutionVersion(no_objective_optimization_solution['solution_version_arn'])
waitForSolutionVersion(high_solution['solution_version_arn'])

SOLUTIONS = {"high": high_solution, "low": low_solution, "off": no_objective_optimization_solution}
solutions_described = {}
for key, solution in SOLUTIONS.items():
    s = personalize.describe_solution(solutionArn=solution['solution_arn'])["solution"]
    v = personalize.describe_solution_version(solutionVersionArn=solution['solution_version_arn'])["solutionVersion"]
    solutions_described[key] = {
        "name": s["name"], "status": s["status"], "recipeArn": s["recipeArn"], "solutionConfig": s.get("solutionConfig"),
        "version": {"status": v["status"], "trainingMode": v.get("trainingMode"), "solutionConfig": v.get("solutionConfig"),
                    "failureReason": v.get("failureReason")},
    }
    if v["status"] != "ACTIVE":
        fail(f"solution version {key}: {v['status']} {v.get('failureReason')}")

# ---- "Get Metrics of Solution Versions" -------------------------------------------------------------
def get_solution_metrics(solutions):
    metricdata = { "name": []}
    
    for key in solutions:
        solution = solutions[key]
        
        metricdata["name"].append(key)
        
        get_solution_metrics_response = personalize.get_solution_metrics(
            solutionVersionArn = solution['solution_version_arn']
        )

        for metricname in get_solution_metrics_response['metrics']:
            if not metricname in metricdata:
                metricdata[metricname] = []
                
            metricdata[metricname].append( get_solution_metrics_response['metrics'][metricname])
            
        # print(json.dumps(get_solution_metrics_response, indent=2))
    return metricdata  # pd.DataFrame.from_dict(metricdata);

metrics = get_solution_metrics({
    "no-optimization": no_objective_optimization_solution,
    "low-optimization": low_solution,
    "high-optimization": high_solution,
})

# metrics
print(json.dumps(metrics, indent=2))

# Added: each version's metrics as GetSolutionMetrics answers them, keys in their order.
solution_metrics = {}
for key, solution in SOLUTIONS.items():
    m = personalize.get_solution_metrics(solutionVersionArn=solution['solution_version_arn'])['metrics']
    solution_metrics[key] = {"keys": list(m), "metrics": m}

# ---- "Create Campaign" ------------------------------------------------------------------------------
def create_campaign(solution, name):
    create_campaign_response = personalize.create_campaign(
        name = "personalize-demo-" + name,
        solutionVersionArn = solution['solution_version_arn'],
        minProvisionedTPS = 1,
        campaignConfig = {
            "itemExplorationConfig": {
                "explorationWeight": "0.5"
            }
        }
    )

    campaign_arn = create_campaign_response['campaignArn']
    print('campaign_arn:' + campaign_arn)
    return campaign_arn

def waitForCampaign(solution):
    max_time = time.time() + 3*60*60 # 3 hours
    while time.time() < max_time:
        describe_campaign_response = personalize.describe_campaign(
            campaignArn = solution['campaign_arn']
        )
        status = describe_campaign_response["campaign"]["status"]
        print("Campaign: {} {}".format(solution['campaign_arn'], status))

        if status == "ACTIVE" or status == "CREATE FAILED":
            break

        time.sleep(0.2)


# ---- "Create 3 Campaigns" ---------------------------------------------------------------------------
high_solution['campaign_arn'] = create_campaign(high_solution, 'high')
low_solution['campaign_arn'] = create_campaign(low_solution, 'low')
no_objective_optimization_solution['campaign_arn'] = create_campaign(no_objective_optimization_solution, 'max_relevance')

# ---- "Wait for Campaign to Have ACTIVE Status" ------------------------------------------------------
waitForCampaign(high_solution)
waitForCampaign(low_solution)
waitForCampaign(no_objective_optimization_solution)

campaigns_described = {}
for key, solution in SOLUTIONS.items():
    c = personalize.describe_campaign(campaignArn=solution['campaign_arn'])["campaign"]
    campaigns_described[key] = {k: c.get(k) for k in ("name", "status", "minProvisionedTPS", "campaignConfig")}
    if c["status"] != "ACTIVE":
        fail(f"campaign {key}: {c['status']} {c.get('failureReason')}")

# ---- "Get Sample Recommendations" -------------------------------------------------------------------
# Getting a random user:
# user_id, item_id, _ = data.sample().values[0]
user_id, item_id, _ = rnd.choice(data).values()
print("USER: {}".format(user_id))


def get_movie_title(movie_id):
    """
    Takes in an ID, returns a title
    """
    movie_id = int(movie_id)-1
    # items.iloc[movie_id]['TITLE'] + '(' + f'{-1*items.iloc[movie_id]["ROYALTY"]:.2f}'+ ')'
    return items[movie_id]['TITLE'] + '(' + f'{-1*items[movie_id]["ROYALTY"]:.2f}'+ ')'

def get_movie_royalty(movie_id):
    """
    Takes in an ID, returns a title
    """
    movie_id = int(movie_id)-1
    # -1*items.iloc[movie_id]["ROYALTY"]
    return -1*items[movie_id]["ROYALTY"]


# ---- "Call GetRecommendations" ----------------------------------------------------------------------
def get_recommendations(solution):
    get_recommendations_response = personalize_runtime.get_recommendations(
        campaignArn = solution['campaign_arn'],
        userId = str(user_id),
    )
    # Update DF rendering
    # pd.set_option('display.max_rows', 30)

    item_list = get_recommendations_response['itemList']

    recommendation_list = []

    total_royalties = 0.0
    
    for item in item_list:
        title = get_movie_title(item['itemId'])
        total_royalties = total_royalties + get_movie_royalty(item['itemId'])
        recommendation_list.append(title)
        
    recommendation_list.append('TOTAL ROYALTIES: '+ f'{total_royalties:.2f}')
    return recommendation_list


# ---- "Compare Recommendations" ----------------------------------------------------------------------
# recommendations_df = pd.DataFrame(get_recommendations(no_objective_optimization_solution), columns = ['ObjectiveOff'])
# recommendations_df['LowObjective'] = get_recommendations(low_solution)
# recommendations_df['HighObjective'] = get_recommendations(high_solution)
recommendations_df = {'ObjectiveOff': get_recommendations(no_objective_optimization_solution)}
recommendations_df['LowObjective'] = get_recommendations(low_solution)
recommendations_df['HighObjective'] = get_recommendations(high_solution)
# (pandas refuses a column of another length than the frame's)
if len({len(c) for c in recommendations_df.values()}) != 1:
    fail(f"columns of different lengths: { {k: len(c) for k, c in recommendations_df.items()} }")
# recommendations_df
for row in zip(*recommendations_df.values()):
    print(row)

# Added: the same request for 30 sampled users (the notebook's among them), get_movie_royalty summed.
sampled_users = sorted({r['USER_ID'] for r in data} - {user_id})
sampled_users = [user_id] + rnd.sample(sampled_users, 29)
per_user = {key: [] for key in SOLUTIONS}
lists = {key: {} for key in SOLUTIONS}
for uid in sampled_users:
    for key, solution in SOLUTIONS.items():
        item_list = personalize_runtime.get_recommendations(campaignArn=solution['campaign_arn'], userId=str(uid))['itemList']
        lists[key][str(uid)] = [i['itemId'] for i in item_list]
        per_user[key].append(sum(get_movie_royalty(i['itemId']) for i in item_list))

# Items whose first interaction in the imported data is within 30 days (explorationItemAgeCutOff's
# default) of the last one: the items a campaign's exploration may place.
first_seen = {}
for r in data:
    first_seen[r['ITEM_ID']] = min(first_seen.get(r['ITEM_ID'], r['TIMESTAMP']), r['TIMESTAMP'])
newest = max(r['TIMESTAMP'] for r in data)
young_items = sorted(m for m, t in first_seen.items() if newest - t <= 30 * 86400)

# ---- "Cleanup" --------------------------------------------------------------------------------------
def delete_campaign(campaign_arn):
    delete_campaign_result = personalize.delete_campaign(campaignArn=campaign_arn )
    

def wait_for_delete_campaign(campaign_arn):
    max_time = time.time() + 3*60*60 # 3 hours
    while time.time() < max_time:
        try:
            describe_campaign_response = personalize.describe_campaign(
                campaignArn = campaign_arn
            )
            status = describe_campaign_response["campaign"]["status"]
            print("campaign: {}".format(status))

        except ClientError as e:
            print(e)
            break

        time.sleep(0.2)
    print('campaign ' + campaign_arn + ' deleted')
    
def delete_solution(solution_arn):
    delete_solution_result = personalize.delete_solution(solutionArn=solution_arn )
    
    max_time = time.time() + 3*60*60 # 3 hours

def wait_for_delete_solution(solution_arn):
    while time.time() < max_time:
        
        try:
            describe_solution_response = personalize.describe_solution(
                solutionArn = solution_arn
            )
            status = describe_solution_response["solution"]["status"]
            print("Solution: {}".format(status))

        except ClientError:
            break
        time.sleep(0.2)
    print('Solution ' + solution_arn + ' deleted')
    
def delete_dataset(dataset_arn):
    delete_dataset_result = personalize.delete_dataset(datasetArn=dataset_arn )
    
    max_time = time.time() + 3*60*60 # 3 hours
    while time.time() < max_time:
        try:
            describe_dataset_response = personalize.describe_dataset(
                datasetArn = dataset_arn
            )
            status = describe_dataset_response["dataset"]["status"]
            print("dataset: {}".format(status))

        except ClientError:
            break
        time.sleep(0.2)
    print('dataset ' + dataset_arn + ' deleted')
    
def delete_schema(schema_arn):
    delete_schema_result = personalize.delete_schema(schemaArn=schema_arn )
    

    print('schema ' + schema_arn + ' deleted')
    
def delete_dataset_group(dataset_group_arn):
    delete_dataset_group_result = personalize.delete_dataset_group(datasetGroupArn=dataset_group_arn )
    
    max_time = time.time() + 3*60*60 # 3 hours
    while time.time() < max_time:
        try:
            describe_dataset_group_response = personalize.describe_dataset_group(
                datasetGroupArn = dataset_group_arn
            )
            status = describe_dataset_group_response["datasetGroup"]["status"]
            print("dataset_group: {}".format(status))

        except ClientError:
            break
        time.sleep(0.2)
    print('dataset_group ' + dataset_group_arn + ' deleted')
    
def delete_all(solutions):
    for solution in solutions:
        delete_campaign(solution['campaign_arn'])
        
    for solution in solutions:
        wait_for_delete_campaign(solution['campaign_arn'])
    for solution in solutions:
        delete_solution(solution['solution_arn'])
    for solution in solutions:
        wait_for_delete_solution(solution['solution_arn'])


delete_all([no_objective_optimization_solution, low_solution, high_solution] )

delete_dataset(item_dataset_arn)
delete_dataset(interaction_dataset_arn)

delete_schema(item_schema_arn)
delete_schema(schema_arn)

delete_dataset_group(dataset_group_arn)

# iam.detach_role_policy x2, iam.delete_role; ! aws s3 rm --recursive s3://$bucket_name;
# s3.delete_bucket(Bucket=bucket_name): not run (no IAM role, and the bucket is the test's).

# Added: each deleted resource described.
def gone(describe, **kwargs):
    try:
        describe(**kwargs)
        return "still there"
    except ClientError as e:
        return e.response['Error']['Code']


after_cleanup = {
    "campaigns": {key: gone(personalize.describe_campaign, campaignArn=s['campaign_arn']) for key, s in SOLUTIONS.items()},
    "solutions": {key: gone(personalize.describe_solution, solutionArn=s['solution_arn']) for key, s in SOLUTIONS.items()},
    "solutionVersions": {key: gone(personalize.describe_solution_version, solutionVersionArn=s['solution_version_arn'])
                         for key, s in SOLUTIONS.items()},
    "datasets": {"interactions": gone(personalize.describe_dataset, datasetArn=interaction_dataset_arn),
                 "items": gone(personalize.describe_dataset, datasetArn=item_dataset_arn)},
    "schemas": {"items": gone(personalize.describe_schema, schemaArn=item_schema_arn),
                "interactions": gone(personalize.describe_schema, schemaArn=schema_arn)},
    "datasetGroup": gone(personalize.describe_dataset_group, datasetGroupArn=dataset_group_arn),
}

summary({
    "ok": True,
    "datasetGroup": dataset_group_status,
    "datasets": dataset_statuses,
    "imports": imports,
    "files": {
        "interactionsHeader": open(filename).readline().strip(),
        "itemsHeader": open(items_filename).readline().strip(),
        "itemsRows": open(items_filename).read().splitlines()[1:9],
        "ratings": ratings_count,
        "interactions": len(data),
        "users": len({r['USER_ID'] for r in data}),
        "items": len({r['ITEM_ID'] for r in data}),
        "catalog": len(items),
    },
    "youngItems": len(young_items),
    "solutions": solutions_described,
    "metricsTable": metrics,
    "solutionMetrics": solution_metrics,
    "campaigns": campaigns_described,
    "sampledUser": str(user_id),
    "comparison": recommendations_df,
    "sampledUserTotals": {key: per_user[key][0] for key in SOLUTIONS},
    "royalties": {
        "users": len(sampled_users),
        "mean": {key: sum(v) / len(v) for key, v in per_user.items()},
        "highBelowOff": sum(1 for h, o in zip(per_user["high"], per_user["off"]) if h < o),
        "lowBelowOff": sum(1 for lo, o in zip(per_user["low"], per_user["off"]) if lo < o),
        # The share of recommended items with no royalty (ITEM_ID % 8 == 0), by campaign.
        "freeShare": {key: sum(1 for l in ls.values() for i in l if int(i) % 8 == 0) / max(1, sum(len(l) for l in ls.values()))
                      for key, ls in lists.items()},
        "listLengths": {key: sorted({len(l) for l in ls.values()}) for key, ls in lists.items()},
    },
    "afterCleanup": after_cleanup,
})

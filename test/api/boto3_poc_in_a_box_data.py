"""AWS's POC-in-a-box notebooks 01 and 02 (aws-samples/amazon-personalize-samples,
next_steps/workshops/POC_in_a_box/completed/) against a running openpersonalize, data cells and
boto3 calls as the notebooks write them.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store),
a scratch folder. Exits non-zero with the reason on stderr; prints a JSON summary on success.

The notebooks download MovieLens ml-latest-small and shape it with pandas. Here movies.csv and
ratings.csv of the same shape are generated (titles with and without a year in parentheses, a
series "(2006–2007)", a title with a comma and two parentheses, "(no genres listed)", and the
movies 589 and 1197 that notebook 05 looks up by id), and each
pandas step is done with the csv module, the pandas line it stands for quoted above it. What
differs from the notebooks: the endpoint_url (no AWS), the upload (a copy into the bucket's folder
instead of upload_file), the role (the notebook creates it with IAM), and the polling interval
(0.2 s, not 60 s).
"""
import csv
import json
import os
import random
import re
import shutil
import sys
import time

import boto3

endpoint, bucket_name, bucket_dir, scratch = sys.argv[1:5]
session = boto3.session.Session(
    aws_access_key_id="123456789012", aws_secret_access_key="secret", region_name="us-east-1"
)


def client(name):
    return session.client(name, endpoint_url=endpoint)


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


# ---- ml-latest-small in shape ------------------------------------------------------------------
GENRES = ["Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary",
          "Drama", "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance",
          "Sci-Fi", "Thriller", "War", "Western"]
rnd = random.Random(20200916)
dataset_dir = os.path.join(scratch, "poc_data", "ml-latest-small")
os.makedirs(dataset_dir)
movies = []
no_year = set(rnd.sample([k for k in range(12, 600) if k != 300], 12))
# Notebook 05 looks up movies 589 and 1197 by id (Terminator 2 and The Princess Bride in
# ml-latest-small): two movies here have those ids and titles.
NOTEBOOK_05_MOVIES = {187: (589, "Terminator 2: Judgment Day (1991)"), 381: (1197, "Princess Bride, The (1987)")}
for k in range(600):
    movie_id = 1 + 3 * k + k // 7
    if k in NOTEBOOK_05_MOVIES:
        movie_id, title = NOTEBOOK_05_MOVIES[k]
    elif k == 5:
        title = "City of Lost Children, The (Cité des enfants perdus, La) (1995)"
    elif k == 300:
        title = "Death Note: Desu nôto (2006–2007)"
    elif k in no_year:
        title = f"Untitled Project {k}"
    else:
        title = f"Movie {k}{', The' if k % 11 == 0 else ''} ({1920 + k % 99})"
    genres = "(no genres listed)" if k % 97 == 13 else "|".join(sorted(rnd.sample(GENRES, 1 + k % 3)))
    movies.append((movie_id, title, genres))
with open(os.path.join(dataset_dir, "movies.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["movieId", "title", "genres"])
    w.writerows(movies)
with open(os.path.join(dataset_dir, "ratings.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["userId", "movieId", "rating", "timestamp"])
    for user in range(1, 121):
        for movie_id, _, _ in sorted(rnd.sample(movies, 25)):
            w.writerow([user, movie_id, rnd.choice([x / 2 for x in range(1, 11)]), rnd.randrange(828124615, 1537799250)])

# ---- notebook 01: interactions ------------------------------------------------------------------
data_dir = os.path.join(scratch, "poc_data")
# original_data = pd.read_csv(dataset_dir + '/ratings.csv')
with open(os.path.join(dataset_dir, "ratings.csv"), newline="") as f:
    original_data = list(csv.DictReader(f))
# watched_df = watched_df[watched_df['rating'] > 3]; watched_df = watched_df[['userId', 'movieId', 'timestamp']]
# watched_df['EVENT_TYPE']='watch'
watched_df = [[r["userId"], r["movieId"], r["timestamp"], "watch"] for r in original_data if float(r["rating"]) > 3]
# clicked_df = clicked_df[clicked_df['rating'] > 1]; ...; clicked_df['EVENT_TYPE']='click'
clicked_df = [[r["userId"], r["movieId"], r["timestamp"], "click"] for r in original_data if float(r["rating"]) > 1]
# interactions_df = clicked_df.copy(); interactions_df = interactions_df.append(watched_df)
# interactions_df.sort_values("timestamp", axis = 0, ascending = True, inplace = True, na_position ='last')
interactions_df = sorted(clicked_df + watched_df, key=lambda r: int(r[2]))
# interactions_df.rename(columns = {'userId':'USER_ID', 'movieId':'ITEM_ID', 'timestamp':'TIMESTAMP'}, inplace = True)
# interactions_df.to_csv((data_dir+"/"+interactions_filename), index=False, float_format='%.0f')
interactions_filename = "interactions.csv"
with open(os.path.join(data_dir, interactions_filename), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"])
    w.writerows(interactions_df)

# ---- notebook 02: item metadata -----------------------------------------------------------------
# original_data = pd.read_csv(dataset_dir + '/movies.csv')
with open(os.path.join(dataset_dir, "movies.csv"), newline="") as f:
    original_data = list(csv.DictReader(f))
# original_data['year'] =original_data['title'].str.extract('.*\((.*)\).*',expand = False)
year_re = re.compile(r".*\((.*)\).*")
for r in original_data:
    m = year_re.search(r["title"])
    r["year"] = m.group(1) if m else None  # NaN, written as an empty cell
# itemmetadata_df = itemmetadata_df[['movieId', 'genres', 'year']]
# itemmetadata_df.rename(columns = {'genres':'GENRE', 'movieId':'ITEM_ID', 'year':'YEAR'}, inplace = True)
# itemmetadata_df.to_csv((data_dir+"/"+itemmetadata_filename), index=False, float_format='%.0f')
itemmetadata_filename = "item-meta.csv"
with open(os.path.join(data_dir, itemmetadata_filename), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["ITEM_ID", "GENRE", "YEAR"])
    w.writerows([r["movieId"], r["genres"], r["year"] or ""] for r in original_data)
empty_years = sum(1 for r in original_data if r["year"] is None)
unreadable_years = sorted(r["year"] for r in original_data if r["year"] is not None and not r["year"].isdigit())
if empty_years != 12 or unreadable_years != ["2006–2007"]:
    fail(f"the generated data is not notebook-shaped: {empty_years} empty years, {unreadable_years}")

# ---- upload (the notebooks: boto3.Session().resource('s3').Bucket(bucket_name).Object(f).upload_file(path))
for name in (interactions_filename, itemmetadata_filename):
    shutil.copy(os.path.join(data_dir, name), os.path.join(bucket_dir, name))
role_arn = "arn:aws:iam::123456789012:role/PersonalizeRolePOC"

personalize = client("personalize")
personalize_runtime = None  # the notebooks create it; neither data notebook calls it


def wait(describe, key, what):
    """The notebooks' polling loops: print the status until ACTIVE or CREATE FAILED."""
    max_time = time.time() + 60
    while time.time() < max_time:
        status = describe()[key]["status"]
        print(f"{what}: {status}", file=sys.stderr)
        if status == "ACTIVE" or status == "CREATE FAILED":
            return describe()[key]
        time.sleep(0.2)
    fail(f"{what} still not ACTIVE after 60 s")


# notebook 01, "Create the dataset group"
create_dataset_group_response = personalize.create_dataset_group(
    name = "personalize-poc-movielens"
)
dataset_group_arn = create_dataset_group_response['datasetGroupArn']
wait(lambda: personalize.describe_dataset_group(datasetGroupArn = dataset_group_arn), "datasetGroup", "DatasetGroup")

# notebook 01, "Create the dataset"
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
            "name": "EVENT_TYPE",
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
    name = "personalize-poc-movielens-interactions",
    schema = json.dumps(interactions_schema)
)

interaction_schema_arn = create_schema_response['schemaArn']

dataset_type = "INTERACTIONS"
create_dataset_response = personalize.create_dataset(
    name = "personalize-poc-movielens-ints",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = interaction_schema_arn
)

interactions_dataset_arn = create_dataset_response['datasetArn']
wait(lambda: personalize.describe_dataset(datasetArn = interactions_dataset_arn), "dataset", "Dataset")

# notebook 01, "Import the interactions data"
create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "personalize-poc-import1",
    datasetArn = interactions_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, interactions_filename)
    },
    roleArn = role_arn
)

dataset_import_job_arn = create_dataset_import_job_response['datasetImportJobArn']
interactions_job = wait(
    lambda: personalize.describe_dataset_import_job(datasetImportJobArn = dataset_import_job_arn),
    "datasetImportJob", "DatasetImportJob")
if interactions_job["status"] != "ACTIVE":
    fail(f"the interactions import failed: {interactions_job.get('failureReason')}")

# notebook 02, "Create the dataset" (the schema as the notebook writes it: YEAR a plain int)
itemmetadata_schema = {
    "type": "record",
    "name": "Items",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "ITEM_ID",
            "type": "string"
        },
        {
            "name": "GENRE",
            "type": "string",
            "categorical": True
        },{
            "name": "YEAR",
            "type": "int",
        },

    ],
    "version": "1.0"
}

create_schema_response = personalize.create_schema(
    name = "personalize-poc-movielens-item",
    schema = json.dumps(itemmetadata_schema)
)

itemmetadataschema_arn = create_schema_response['schemaArn']

dataset_type = "ITEMS"
create_dataset_response = personalize.create_dataset(
    name = "personalize-poc-movielens-items",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = itemmetadataschema_arn
)

items_dataset_arn = create_dataset_response['datasetArn']
wait(lambda: personalize.describe_dataset(datasetArn = items_dataset_arn), "dataset", "Dataset")

# notebook 02, "Import the item metadata"
create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "personalize-poc-item-import1",
    datasetArn = items_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, itemmetadata_filename)
    },
    roleArn = role_arn
)

dataset_import_job_arn = create_dataset_import_job_response['datasetImportJobArn']
items_job = wait(
    lambda: personalize.describe_dataset_import_job(datasetImportJobArn = dataset_import_job_arn),
    "datasetImportJob", "DatasetImportJob")
if items_job["status"] != "ACTIVE":
    fail(f"the item metadata import failed (AWS imported it ACTIVE): {items_job.get('failureReason')}")

# ---- beyond the notebooks: what was stored, read back with a BULK export --------------------------
export_arn = personalize.create_dataset_export_job(
    jobName="poc-items-export", datasetArn=items_dataset_arn, ingestionMode="BULK", roleArn=role_arn,
    jobOutput={"s3DataDestination": {"path": f"s3://{bucket_name}/exports/"}},
)["datasetExportJobArn"]
export_job = wait(lambda: personalize.describe_dataset_export_job(datasetExportJobArn=export_arn), "datasetExportJob", "DatasetExportJob")
if export_job["status"] != "ACTIVE":
    fail(f"the export failed: {export_job.get('failureReason')}")
stored = {}
for root, _, files in os.walk(os.path.join(bucket_dir, "exports", "poc-items-export")):
    for name in files:
        if name.endswith(".csv"):
            with open(os.path.join(root, name), newline="") as f:
                for row in csv.DictReader(f):
                    stored[row["ITEM_ID"]] = row
if len(stored) != len(original_data):
    fail(f"{len(stored)} items stored, {len(original_data)} in the file")
for r in original_data:
    want = r["year"] if r["year"] is not None and r["year"].isdigit() else ""
    got = stored[r["movieId"]]
    if got["YEAR"] != want or got["GENRE"] != r["genres"]:
        fail(f"item {r['movieId']} ({r['title']!r}) stored as {got}, expected YEAR {want!r}")

with open(os.path.join(data_dir, interactions_filename)) as f:
    interaction_rows = sum(1 for _ in f) - 1
print(json.dumps({
    "ok": True,
    "interactionsJob": interactions_job["status"],
    "itemsJob": items_job["status"],
    "interactionRows": interaction_rows,
    "items": len(stored),
    "nullYears": sum(1 for row in stored.values() if row["YEAR"] == ""),
    "unreadableYears": unreadable_years,
}))

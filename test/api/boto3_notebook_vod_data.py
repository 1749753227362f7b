"""AWS's notebook getting_started/notebooks_managed_domains/Building_Your_First_Recommender_Video_On_Demand.ipynb
(aws-samples/amazon-personalize-samples) against a running openpersonalize, its cells as written:
the Domain dataset group, the three finished imports and list_recipes(domain=...), then the
recommenders "More like X" and "Top picks for you", waited until ACTIVE, and their recommendations
with the titles looked up as the notebook does.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment. Prints a JSON summary on stdout.

The notebook downloads MovieLens ml-latest-small and reads ratings.csv (userId,movieId,rating,
timestamp) and movies.csv (movieId,title,genres; titles with commas are quoted, most end in
"(year)") with pandas; here files of that shape are generated and the pandas steps are done with
the csv module, the pandas line quoted above each. As in the notebook, items.csv keeps a YEAR column
that the Items schema does not declare, and a title without "(year)" leaves YEAR empty. Like
ml-latest-small, the movies include 59315 "Iron Man (2008)", the notebook's "Because you watched X"
item. Changed from the notebook, and only these: endpoint_url= in boto3.client; the uploads (copies
into the bucket's folder instead of upload_file); no bucket policy, no IAM role (the role ARN is a
constant), no STS (account id from the credentials); the sleeps (0.2 s instead of 60 s); the data
size; display() of a DataFrame is a print of the same columns.
"""
import csv
import datetime
import json
import os
import random
import re
import shutil
import sys
import time

import boto3

from boto3_notebook_data import fail, movielens, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)

# ---- "Configure the SDK to Personalize" ------------------------------------------------------------
personalize = boto3.client('personalize', endpoint_url=endpoint)
personalize_runtime = boto3.client('personalize-runtime', endpoint_url=endpoint)

# ---- "Download and Explore the Dataset": ml-latest-small in shape -----------------------------------
# !wget -N https://files.grouplens.org/datasets/movielens/ml-latest-small.zip; !unzip -o ml-latest-small.zip
movies, ratings = movielens(seed=7, users=250, items=400, ratings_per_user=35)
# Iron Man, rated well by every fifth user, as the notebook expects it in the download.
IRON_MAN = 59315
movies.append((IRON_MAN, "Iron Man (2008)", ["Action", "Adventure", "Sci-Fi"]))
ratings += [(u, IRON_MAN, 5 - u % 2, 893286638 - 5000 + u) for u in range(1, 251, 5)]
os.makedirs("ml-latest-small")
with open("ml-latest-small/ratings.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["userId", "movieId", "rating", "timestamp"])
    w.writerows((u, m, f"{r}.0", t) for u, m, r, t in ratings)
with open("ml-latest-small/movies.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["movieId", "title", "genres"])
    for m, title, genres in movies:
        # A few titles have no year, as in MovieLens ("Babylon 5", "Cosmos").
        w.writerow([m, re.sub(r" \(\d+\)$", "", title) if m % 97 == 0 else title, "|".join(genres)])

# interactions_data = pd.read_csv('./ml-latest-small/ratings.csv')
with open("./ml-latest-small/ratings.csv", newline="") as f:
    interactions_data = list(csv.DictReader(f))

# ---- "Prepare the Data" / "Interactions Data" --------------------------------------------------------
# interactions_data = interactions_data[interactions_data['rating'] > 3]                # Keep only movies rated higher than 3 out of 5.
interactions_data = [r for r in interactions_data if float(r['rating']) > 3]
# interactions_data = interactions_data[['userId', 'movieId', 'timestamp']]
# interactions_data.rename(columns = {'userId':'USER_ID', 'movieId':'ITEM_ID', 'timestamp':'TIMESTAMP'}, inplace = True)
# interactions_data['EVENT_TYPE']='watch' #Adding an EVENT_TYPE column that has the event type "watched" for all movies
interactions_data = [{'USER_ID': r['userId'], 'ITEM_ID': r['movieId'], 'TIMESTAMP': r['timestamp'], 'EVENT_TYPE': 'watch'}
                     for r in interactions_data]

# ---- "Item Metadata" -------------------------------------------------------------------------------
# items_data = pd.read_csv('./ml-latest-small/movies.csv')
with open("./ml-latest-small/movies.csv", newline="") as f:
    items_data = list(csv.DictReader(f))
# items_data['year'] = items_data['title'].str.extract('.*\((.*)\).*',expand = False)
for r in items_data:
    m = re.match(r'.*\((.*)\).*', r['title'])
    r['year'] = m.group(1) if m else ''
# ts= datetime.datetime(2022, 1, 1, 0, 0).strftime('%s')
ts = datetime.datetime(2022, 1, 1, 0, 0).strftime('%s')
print(ts)
# items_data["CREATION_TIMESTAMP"] = ts
for r in items_data:
    r["CREATION_TIMESTAMP"] = ts
# items_data.drop(columns="title", inplace = True)
# items_data.rename(columns = { 'movieId':'ITEM_ID', 'genres':'GENRES', 'year':'YEAR'}, inplace = True)
items_data = [{'ITEM_ID': r['movieId'], 'GENRES': r['genres'], 'YEAR': r['year'], 'CREATION_TIMESTAMP': r['CREATION_TIMESTAMP']}
              for r in items_data]

# ---- "User Metadata" -------------------------------------------------------------------------------
# user_ids = interactions_data['USER_ID'].unique()
user_ids = list(dict.fromkeys(r['USER_ID'] for r in interactions_data))
# possible_genders = ['female', 'male']
# random = np.random.choice(possible_genders, len(user_data.index), p=[0.5, 0.5])
possible_genders = ['female', 'male']
rnd = random.Random(11)
user_data = [{'USER_ID': u, 'GENDER': rnd.choice(possible_genders)} for u in user_ids]

# ---- "Upload data to S3" (to_csv(index=False), then upload_file) ----------------------------------------
def to_csv(rows, filename):
    with open(filename, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    shutil.copy(filename, os.path.join(bucket_dir, filename))

bucket_name = bucket_dir_name
interactions_filename = "interactions.csv"
to_csv(interactions_data, interactions_filename)
items_filename = "items.csv"
to_csv(items_data, items_filename)
user_filename = "users.csv"
to_csv(user_data, user_filename)

# ---- "Create Dataset Group" ------------------------------------------------------------------------
response = personalize.create_dataset_group(
    name='personalize-video-on-demand',
    domain='VIDEO_ON_DEMAND'
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
dataset_group = describe_dataset_group_response["datasetGroup"]

# ---- "Create Interactions Schema" ------------------------------------------------------------------
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

create_interactions_schema_response = personalize.create_schema(
    name='personalize-demo-interactions-schema',
    schema=json.dumps(schema),
    domain='VIDEO_ON_DEMAND'
)

interactions_schema_arn = create_interactions_schema_response['schemaArn']
print(json.dumps(create_interactions_schema_response, indent=2))

# ---- "Create Items (movies) schema" ----------------------------------------------------------------
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
      "name": "GENRES",
      "type": [
        "string"
      ],
      "categorical": True
    },
    {
      "name": "CREATION_TIMESTAMP",
      "type": "long"
    }
  ],
  "version": "1.0"
}
create_items_schema_response = personalize.create_schema(
    name='personalize-demo-items-schema',
    schema=json.dumps(schema),
    domain='VIDEO_ON_DEMAND'
)

items_schema_arn = create_items_schema_response['schemaArn']
print(json.dumps(create_items_schema_response, indent=2))

# ---- "Create Users schema" -------------------------------------------------------------------------
schema = {
    "type": "record",
    "name": "Users",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
      {
          "name": "USER_ID",
          "type": "string"
      },
      {
          "name": "GENDER",
          "type": "string",
          "categorical": True
      }
    ],
    "version": "1.0"
}
create_users_schema_response = personalize.create_schema(
    name='personalize-demo-users-schema',
    schema=json.dumps(schema),
    domain='VIDEO_ON_DEMAND'
)

users_schema_arn = create_users_schema_response['schemaArn']
print(json.dumps(create_users_schema_response, indent=2))

# ---- "Create Datasets" -----------------------------------------------------------------------------
dataset_type = "INTERACTIONS"

create_dataset_response = personalize.create_dataset(
    name = "personalize-demo-interactions",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = interactions_schema_arn
)

interactions_dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

dataset_type = "ITEMS"
create_dataset_response = personalize.create_dataset(
    name = "personalize-demo-items",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = items_schema_arn
)

items_dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

dataset_type = "USERS"
create_dataset_response = personalize.create_dataset(
    name = "personalize-demo-users",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = users_schema_arn
)

users_dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# ---- "Create Personalize Role" (iam.create_role, attach_role_policy x2, then time.sleep(60)) ---------
time.sleep(0.2) # wait for a minute to allow IAM role policy attachment to propagate
role_arn = "arn:aws:iam::000000000000:role/PersonalizeRoleDemoRecommender"
print(role_arn)

# ---- "Import the data" -----------------------------------------------------------------------------
create_interactions_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "personalize-demo-import-interactions",
    datasetArn = interactions_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, interactions_filename)
    },
    roleArn = role_arn
)

dataset_interactions_import_job_arn = create_interactions_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_interactions_dataset_import_job_response, indent=2))

create_items_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "personalize-demo-import-items",
    datasetArn = items_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, items_filename)
    },
    roleArn = role_arn
)

dataset_items_import_job_arn = create_items_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_items_dataset_import_job_response, indent=2))

create_users_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "personalize-demo-import-users",
    datasetArn = users_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, user_filename)
    },
    roleArn = role_arn
)

dataset_users_import_job_arn = create_users_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_users_dataset_import_job_response, indent=2))

# ---- "Wait for Dataset Import Job to Have ACTIVE Status" (the notebook's three loops) -----------------
imports = {}
for name, arn in [("interactions", dataset_interactions_import_job_arn), ("items", dataset_items_import_job_arn),
                  ("users", dataset_users_import_job_arn)]:
    max_time = time.time() + 3*60*60 # 3 hours
    while time.time() < max_time:
        describe_dataset_import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn = arn
        )
        status = describe_dataset_import_job_response["datasetImportJob"]['status']
        print("DatasetImportJob: {}".format(status))

        if status == "ACTIVE" or status == "CREATE FAILED":
            break

        time.sleep(0.2)
    imports[name] = {"status": status, "failureReason": describe_dataset_import_job_response["datasetImportJob"].get("failureReason")}

# ---- "Choose a recommender use cases" --------------------------------------------------------------
available_recipes = personalize.list_recipes(domain='VIDEO_ON_DEMAND') # See a list of recommenders for the domain.
print (available_recipes["recipes"])

# ---- "Choose a recommender use cases" (continued): the two recommenders --------------------------------
create_recommender_response = personalize.create_recommender(
  name = 'because_you_watched_x',
  recipeArn = 'arn:aws:personalize:::recipe/aws-vod-more-like-x',
  datasetGroupArn = dataset_group_arn
)
recommender_you_watched_x_arn = create_recommender_response["recommenderArn"]
print (json.dumps(create_recommender_response))

create_recommender_response = personalize.create_recommender(
  name = 'top_picks_for_you',
  recipeArn = 'arn:aws:personalize:::recipe/aws-vod-top-picks',
  datasetGroupArn = dataset_group_arn
)
recommender_top_picks_arn = create_recommender_response["recommenderArn"]
print (json.dumps(create_recommender_response))

max_time = time.time() + 10*60*60 # 10 hours
while time.time() < max_time:

    version_response = personalize.describe_recommender(
        recommenderArn = recommender_you_watched_x_arn
    )
    status = version_response["recommender"]["status"]

    if status == "ACTIVE":
        print("Build succeeded for {}".format(recommender_you_watched_x_arn))
        
    elif status == "CREATE FAILED":
        print("Build failed for {}".format(recommender_you_watched_x_arn))

    if status == "ACTIVE":
        break
    else:
        print("The solution build is still in progress")
        
    time.sleep(0.2)
    
while time.time() < max_time:

    version_response = personalize.describe_recommender(
        recommenderArn = recommender_top_picks_arn
    )
    status = version_response["recommender"]["status"]

    if status == "ACTIVE":
        print("Build succeeded for {}".format(recommender_top_picks_arn))
        
    elif status == "CREATE FAILED":
        print("Build failed for {}".format(recommender_top_picks_arn))

    if status == "ACTIVE":
        break
    else:
        print("The solution build is still in progress")
        
    time.sleep(0.2)

# ---- "Getting recommendations with a recommender" ---------------------------------------------------
# items_df = pd.read_csv('./ml-latest-small/movies.csv')
with open('./ml-latest-small/movies.csv', newline='') as f:
    items_df = list(csv.DictReader(f))
# items_df.sample(10)
print(random.Random(3).sample(items_df, 10))

def get_movie_by_id(movie_id, movie_df):
    """
    This takes in an movie_id from a recommendation in string format,
    converts it to an int, and then does a lookup in a specified
    dataframe.
    
    A really broad try/except clause was added in case anything goes wrong.
    
    Feel free to add more debugging or filtering here to improve results if
    you hit an error.
    """
    try:
        # return movie_df.loc[movie_df["movieId"]==int(movie_id)]['title'].values[0]
        return [r['title'] for r in movie_df if int(r["movieId"])==int(movie_id)][0]
    except:
        print (movie_id)
        return "Error obtaining title"

# ---- "Let us get some 'Because you Watched X' recommendations:" --------------------------------------
# First pick a user
test_user_id = "1"

# Select a random item
test_item_id = "59315" #Iron Man 59315

# Get recommendations for the user for this item
get_recommendations_response = personalize_runtime.get_recommendations(
    recommenderArn = recommender_you_watched_x_arn,
    userId = test_user_id,
    itemId = test_item_id,
    numResults = 20
)

# Build a new dataframe for the recommendations
item_list = get_recommendations_response['itemList']
recommendation_list = []
for item in item_list:
    movie = get_movie_by_id(item['itemId'], items_df)
    recommendation_list.append(movie)

# user_recommendations_df = pd.DataFrame(recommendation_list, columns = [get_movie_by_id(test_item_id, items_df)])
user_recommendations_df = {get_movie_by_id(test_item_id, items_df): recommendation_list}

# pd.options.display.max_rows =20; display(user_recommendations_df)
print(user_recommendations_df)
more_like_x = {"itemList": item_list, "titles": recommendation_list, "column": list(user_recommendations_df)[0]}

# ---- "Get recommendations from the recommender returning 'Top picks for you':" ------------------------
# users_data_df = pd.read_csv('./users.csv')
with open('./users.csv', newline='') as f:
    users_data_df = list(csv.DictReader(f))

def get_gender_by_id(user_id, user_df):
    """
    This takes in a user_id and then does a lookup in a specified
    dataframe.
    
    A really broad try/except clause was added in case anything goes wrong.
    
    Feel free to add more debugging or filtering here to improve results if
    you hit an error.
    """
    # return user_df.loc[user_df["USER_ID"]==int(user_id)]['GENDER'].values[0]
    return [r['GENDER'] for r in user_df if int(r["USER_ID"])==int(user_id)][0]

# First pick a user
test_user_id = "111" # samples users: 55, 75, 76, 111

# Get recommendations for the user
get_recommendations_response = personalize_runtime.get_recommendations(
    recommenderArn = recommender_top_picks_arn,
    userId = test_user_id,
    numResults = 20
)

# Build a new dataframe for the recommendations
item_list = get_recommendations_response['itemList']
recommendation_list = []
for item in item_list:
    movie = get_movie_by_id(item['itemId'], items_df)
    recommendation_list.append(movie)

column_name = test_user_id+" ("+get_gender_by_id(test_user_id, users_data_df)+")"

# user_recommendations_df = pd.DataFrame(recommendation_list, columns = [column_name])
user_recommendations_df = {column_name: recommendation_list}

# pd.options.display.max_rows =20; display(user_recommendations_df)
print(user_recommendations_df)
top_picks = {"itemList": item_list, "titles": recommendation_list, "column": column_name}

def watched(user_id):
    return {r['ITEM_ID'] for r in interactions_data if r['USER_ID'] == user_id}

def genres_of(movie_id):
    return set([r['genres'] for r in items_df if r['movieId'] == movie_id][0].split('|'))

summary({
    "ok": True,
    "datasetGroup": {"status": dataset_group["status"], "domain": dataset_group.get("domain")},
    "imports": imports,
    "rows": {"interactions": len(interactions_data), "items": len(items_data), "users": len(user_data)},
    "itemsWithoutYear": sum(1 for r in items_data if r['YEAR'] == ''),
    "itemsHeader": list(items_data[0].keys()),
    "domainRecipes": sorted(r["recipeArn"] for r in available_recipes["recipes"]),
    "datasets": {d["datasetType"]: d["status"] for d in personalize.list_datasets(datasetGroupArn=dataset_group_arn)["datasets"]},
    "recommenders": {r["name"]: {"status": r["status"], "recipeArn": r["recipeArn"]}
                     for r in personalize.list_recommenders(datasetGroupArn=dataset_group_arn)["recommenders"]},
    "modelMetrics": personalize.describe_recommender(recommenderArn=recommender_top_picks_arn)["recommender"].get("modelMetrics"),
    "moreLikeX": {
        "column": more_like_x["column"],
        "titles": more_like_x["titles"],
        "scores": sum(1 for i in more_like_x["itemList"] if "score" in i),
        "watchedByUser": sorted(i["itemId"] for i in more_like_x["itemList"] if i["itemId"] in watched("1")),
        "sharingAGenre": sum(1 for i in more_like_x["itemList"] if genres_of(i["itemId"]) & genres_of("59315")),
    },
    "topPicks": {
        "column": top_picks["column"],
        "titles": top_picks["titles"],
        "scores": sum(1 for i in top_picks["itemList"] if "score" in i),
        "watchedByUser": sorted(i["itemId"] for i in top_picks["itemList"] if i["itemId"] in watched("111")),
    },
})

"""AWS's notebook getting_started/notebooks_managed_domains/Building_Your_First_Recommender_Ecommerce.ipynb
(aws-samples/amazon-personalize-samples, its newest version) against a running openpersonalize, its
cells as written: the ECOMMERCE Domain dataset group, the interactions import, list_recipes(domain=...),
the recommenders "Customers who viewed X also viewed" and "Recommended for you", waited until
ACTIVE, and their recommendations with the product descriptions looked up as the notebook does.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment. Prints a JSON summary on stdout.

The notebook downloads the Retail Demo Store's interactions.csv (ITEM_ID,USER_ID,EVENT_TYPE,
TIMESTAMP,DISCOUNT: View and Purchase events of numbered users on items with UUIDs) and items.csv
(ITEM_ID,PRICE,CATEGORY_L1,CATEGORY_L2,PRODUCT_DESCRIPTION,GENDER,PROMOTED) and reads them with
pandas; here files of that shape are generated (users who keep to a few categories, items
c72257d4-... and 8fbe091c-... among them, user 777 among the users) and the pandas steps are done
with the csv module, the pandas line quoted above each. As in the notebook, the training file is
written by df.to_csv() with pandas' index: its first column has an empty header and the row
numbers. Changed from the notebook, and only these: endpoint_url= in boto3.client; the region from
the environment instead of the SageMaker notebook's metadata file, and the given bucket instead of
creating one; the upload (a copy into the bucket's folder instead of upload_file); no bucket
policy, no IAM role (the role ARN is a constant); the sleeps (0.2 s instead of 15 / 60 s); the data
size; display() of a DataFrame is a print of the same columns.
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

from boto3_notebook_data import notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)

# ---- "Configure the SDK to Personalize" ------------------------------------------------------------
personalize = boto3.client('personalize', endpoint_url=endpoint)
personalize_runtime = boto3.client('personalize-runtime', endpoint_url=endpoint)

# ---- "Specify an S3 Bucket and Data Output Location" -------------------------------------------------
region = os.environ['AWS_DEFAULT_REGION']
print('region:', region)
bucket_name = bucket_dir_name
print('bucket_name:', bucket_name)

# ---- "Download and Explore the Dataset": the Retail Demo Store's csvs in shape ------------------------
# !wget https://code.retaildemostore.retail.aws.dev/csvs/interactions.csv
# !wget https://code.retaildemostore.retail.aws.dev/csvs/items.csv
CATEGORIES = {
    'footwear': ['sneakers', 'boots', 'sandals'], 'jewelry': ['necklaces', 'rings', 'earrings'],
    'furniture': ['chairs', 'tables', 'lamps'], 'electronics': ['headphones', 'speakers', 'cameras'],
    'books': ['novels', 'cooking', 'travel'], 'outdoors': ['tents', 'backpacks', 'kayaks'],
}
rnd = random.Random(2024)
FIXED = ['c72257d4-430b-4eb7-9de3-28396e593381', '8fbe091c-f73c-4727-8fe7-d27eabd17bea']
catalog = []
for n in range(180):
    item_id = FIXED[n] if n < len(FIXED) else str(uuid.UUID(int=rnd.getrandbits(128), version=4))
    l1 = sorted(CATEGORIES)[n % len(CATEGORIES)]
    l2 = CATEGORIES[l1][n % 3]
    catalog.append({'ITEM_ID': item_id, 'PRICE': f"{5 + (n * 37) % 200}.99", 'CATEGORY_L1': l1, 'CATEGORY_L2': l2,
                    'PRODUCT_DESCRIPTION': f"{l2.capitalize()} no. {n}, from our {l1} range",
                    'GENDER': rnd.choice(['M', 'F', '']), 'PROMOTED': rnd.choice(['Y', 'N'])})
with open('items.csv', 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(catalog[0]), lineterminator='\n')
    w.writeheader()
    w.writerows(catalog)
by_category = collections.defaultdict(list)
for it in catalog:
    by_category[it['CATEGORY_L1']].append(it['ITEM_ID'])
rows = []
t = 1591803000
for user in range(700, 1000):
    liked = rnd.sample(sorted(CATEGORIES), 2)
    pool = by_category[liked[0]] + by_category[liked[1]]
    viewed = [rnd.choice(pool) for _ in range(12)]
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

# df = pd.read_csv('./interactions.csv')
with open('./interactions.csv', newline='') as f:
    df = list(csv.DictReader(f))
print(df[:5])
# df.EVENT_TYPE.value_counts()
print(collections.Counter(r['EVENT_TYPE'] for r in df))
# df.info()
print(len(df), list(df[0]))

# ---- "Prepare the Interactions Data" / "Drop Columns" ----------------------------------------------------
# df=df.drop(columns=['DISCOUNT'])
df = [{k: v for k, v in r.items() if k != 'DISCOUNT'} for r in df]
# df.sample(10)
print(rnd.sample(df, 10))

# df.to_csv("cleaned_training_data.csv")
with open("cleaned_training_data.csv", 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow([''] + list(df[0]))
    w.writerows([i] + list(r.values()) for i, r in enumerate(df))

# ---- "Upload to S3" ------------------------------------------------------------------------------------
interactions_file_path = 'cleaned_training_data.csv'
shutil.copy(interactions_file_path, os.path.join(bucket_dir, interactions_file_path))
interactions_s3DataPath = "s3://"+bucket_name+"/"+interactions_file_path

# ---- "Create Dataset Group" ----------------------------------------------------------------------------
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

# ---- "Create Interactions Schema" ------------------------------------------------------------------------
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

# ---- "Create Interactions Dataset" -----------------------------------------------------------------------
dataset_type = "INTERACTIONS"

create_dataset_response = personalize.create_dataset(
    name = "personalize_ecommerce_demo_interactions",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_arn,
    schemaArn = interaction_schema_arn
)

interactions_dataset_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# ---- "Create Personalize Role" (iam.create_role, attach_role_policy x2, then time.sleep(60)) ---------
print("Role created; waiting for it to propagate")
time.sleep(0.2) # wait for a minute to allow IAM role policy attachment to propagate
role_arn = "arn:aws:iam::000000000000:role/PersonalizeRoleEcommerceDemoRecommender"
print(role_arn)

# ---- "Import the data" -------------------------------------------------------------------------------
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

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    describe_dataset_import_job_response = personalize.describe_dataset_import_job(
        datasetImportJobArn = dataset_interactions_import_job_arn
    )
    status = describe_dataset_import_job_response["datasetImportJob"]['status']
    print("DatasetImportJob: {}".format(status))
    
    if status == "ACTIVE" or status == "CREATE FAILED":
        break
        
    time.sleep(0.2)
import_job = describe_dataset_import_job_response["datasetImportJob"]

# ---- "Choose a recommender use cases" ----------------------------------------------------------------
available_recipes = personalize.list_recipes(domain='ECOMMERCE') # See a list of recommenders for the domain. 
print (available_recipes['recipes'])

create_recommender_response = personalize.create_recommender(
  name = 'viewed_x_also_viewed_demo',
  recipeArn = 'arn:aws:personalize:::recipe/aws-ecomm-customers-who-viewed-x-also-viewed',
  datasetGroupArn = dataset_group_arn
)
viewed_x_also_viewed_arn = create_recommender_response["recommenderArn"]
print (json.dumps(create_recommender_response))

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
        recommenderArn = viewed_x_also_viewed_arn
    )
    status = version_response["recommender"]["status"]

    if status == "ACTIVE":
        print("Build succeeded for {}".format(viewed_x_also_viewed_arn))
        
    elif status == "CREATE FAILED":
        print("Build failed for {}".format(viewed_x_also_viewed_arn))
        

    if status == "ACTIVE" or status == "CREATE FAILED":
        break
    else:
        print('The "Customers who viewed X also viewed" Recommender build is still in progress')
        
    time.sleep(0.2)
    
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
        print('The "Recommended for you" Recommender build is still in progress')
        
    time.sleep(0.2)

# ---- "Getting recommendations with a recommender" -----------------------------------------------------
# items_df = pd.read_csv('./items.csv')
with open('./items.csv', newline='') as f:
    items_df = list(csv.DictReader(f))
# items_df.sample(10)
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

# use a random valid id for a quick sanity check, modify the line of code bellow to a valid id in your dataset
sanity_check = get_item_by_id("c72257d4-430b-4eb7-9de3-28396e593381", items_df)
print(sanity_check)

# ---- "Customers who viewed X also viewed" --------------------------------------------------------------
# First pick a user
test_user_id = "777"

# Select a random item
test_item_id = "8fbe091c-f73c-4727-8fe7-d27eabd17bea" # a random item: 8fbe091c-f73c-4727-8fe7-d27eabd17bea

# Get recommendations for the user for this item
get_recommendations_response = personalize_runtime.get_recommendations(
    recommenderArn = viewed_x_also_viewed_arn,
    itemId = test_item_id,
    userId = test_user_id,
    numResults = 10
)

# Build a new dataframe for the recommendations
item_list = get_recommendations_response['itemList']
recommendation_list = []

for item in item_list:
    item = get_item_by_id(item['itemId'], items_df)
    recommendation_list.append(item)

# user_recommendations_df = pd.DataFrame(recommendation_list, columns = [get_item_by_id(test_item_id, items_df)])
user_recommendations_df = {get_item_by_id(test_item_id, items_df): recommendation_list}

# pd.options.display.max_rows =10; display(user_recommendations_df)
print(user_recommendations_df)
viewed_x = {"itemList": get_recommendations_response['itemList'], "descriptions": recommendation_list,
            "column": list(user_recommendations_df)[0]}

# ---- "Recommended for you" ------------------------------------------------------------------------------
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
recommendation_list = []
for item in item_list:
    item = get_item_by_id(item['itemId'], items_df)
    recommendation_list.append(item)


# user_recommendations_df = pd.DataFrame(recommendation_list, columns = [test_user_id])
user_recommendations_df = {test_user_id: recommendation_list}

# pd.options.display.max_rows =20; display(user_recommendations_df)
print(user_recommendations_df)
for_you = {"itemList": get_recommendations_response['itemList'], "descriptions": recommendation_list}

category = {r['ITEM_ID']: r['CATEGORY_L1'] for r in items_df}
purchased_by_777 = {r['ITEM_ID'] for r in df if r['USER_ID'] == '777' and r['EVENT_TYPE'] == 'Purchase'}
liked_by_777 = {category[r['ITEM_ID']] for r in df if r['USER_ID'] == '777'}

summary({
    "ok": True,
    "import": {"status": import_job["status"], "failureReason": import_job.get("failureReason")},
    "eventTypes": dict(collections.Counter(r['EVENT_TYPE'] for r in df)),
    "trainingFileHeader": open(interactions_file_path).readline().strip(),
    "domainRecipes": sorted(r["recipeArn"] for r in available_recipes["recipes"]),
    "recommenders": {r["name"]: {"status": r["status"], "recipeArn": r["recipeArn"]}
                     for r in personalize.list_recommenders(datasetGroupArn=dataset_group_arn)["recommenders"]},
    "sanityCheck": sanity_check,
    "viewedX": {
        "column": viewed_x["column"],
        "descriptions": viewed_x["descriptions"],
        "scores": sum(1 for i in viewed_x["itemList"] if "score" in i),
        "purchasedByUser": sorted(i["itemId"] for i in viewed_x["itemList"] if i["itemId"] in purchased_by_777),
        "sameCategory": sum(1 for i in viewed_x["itemList"] if category[i["itemId"]] == category[test_item_id]),
    },
    "forYou": {
        "descriptions": for_you["descriptions"],
        "scores": sum(1 for i in for_you["itemList"] if "score" in i),
        "purchasedByUser": sorted(i["itemId"] for i in for_you["itemList"] if i["itemId"] in purchased_by_777),
        "inUsersCategories": sum(1 for i in for_you["itemList"] if category[i["itemId"]] in liked_by_777),
    },
})

"""AWS's notebook next_steps/core_use_cases/updating_datasets/update-datasets-user-personalization-example.ipynb
(aws-samples/amazon-personalize-samples, commit 1113d96b) against a running openpersonalize, its
cells as written: an ECOMMERCE dataset group with Users, Items and Interactions datasets, the users
file and half of the items (and only their interactions) imported, an aws-user-personalization
solution and its FULL version, a batch inference job of 5 random users x 10 items and the version's
metrics; then the other half of the items, renamed "new_<id>", and their interactions in complete
items.csv and interactions.csv imported with importMode FULL, the same batch job again on the same
version (AWS: the job updates the solution's latest fully trained version, whose exploration then
brings in the new items; observed, new_ items at the end of a list), its metrics again (AWS: the
same), a FULL retraining, the batch job on it and its metrics; then the clean-up (the bucket, the
downloaded delete_dataset_groups.py helper, the local files).

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment, as in the notebook. Exits
non-zero with the reason on stderr; prints a JSON summary on stdout.

The notebook copies the Retail Demo Store's users.csv (USER_ID,AGE,GENDER), items.csv (ITEM_ID,
PRICE,CATEGORY_L1,CATEGORY_L2,PRODUCT_DESCRIPTION,GENDER,PROMOTED; ids are UUIDs) and
interactions.csv (ITEM_ID,USER_ID,EVENT_TYPE,TIMESTAMP,DISCOUNT: View events in pairs, fewer
AddToCart, Checkout and Purchase) from a public bucket into its own and reads them with pandas;
here files of that shape are generated (seeded) into the bucket: 300 users who keep to two
CATEGORY_L1 each with a popularity skew, 252 items in 21 CATEGORY_L2, about 9,000 interactions over
ten days. The pandas steps are done with the csv module, the pandas line quoted above each.

Changed from the notebook, and only these: endpoint_url= in boto3.client (the helper's client too);
no S3 client: s3.create_bucket is the test's bucket (a folder of the service's local store), the
copy_object cell writes the generated files into it, get_object, upload_file and download_file read,
copy to and copy from that folder, list_objects lists it, and the clean-up's delete_object calls
delete its files (delete_bucket is not made: the folder is the test's); no bucket policy and no IAM
(the role ARN is a constant), nor the IAM clean-up cell; the pip cell and %%time not run, the
shell's `!head` / `!cp` / `!rm` done in python, DataFrame displays (head()) printed as lists of
rows; numpy's global random state seeded (the notebook draws the removed items and the batch users
unseeded); the sleeps (0.2 s instead of 15 s and 60 s). The clean-up's helper,
which the notebook downloads with curl from the Retail Demo Store (delete_dataset_groups.py), is
neither downloaded nor reproduced: the script writes a module of that name of its own, with the
entry point the notebook calls, delete_dataset_groups(dataset_group_names, region,
wait_for_resources), which deletes the group's campaigns and recommenders, solutions, event
trackers, filters, datasets and the schemas only they use, then the group, waiting for each as the
original does; the folder is put on sys.path for `import delete_dataset_groups` (Jupyter imports
from its working folder). Kept as written: the trimming cell prints all item ids as "Removing the
following ITEM_ID values"; the update cell waits for the items import twice
(updated_interactions_dataset_import_job_arn is the items job's ARN), so the second batch job may
start before the interactions import has ended; items.csv keeps the columns the items schema does
not name (CATEGORY_L2, PRODUCT_DESCRIPTION, GENDER, PROMOTED).

Added for the test, outside the notebook's cells: the interactions import followed to its end after
the notebook's batch job cells, the describes and listings that the summary reports, and a logging
handler that keeps the helper's messages.
"""
import csv
import json
import logging
import os
import random
import shutil
import sys
import time
import uuid

import boto3
import numpy
from botocore.exceptions import ClientError
from datetime import datetime

from boto3_notebook_data import fail, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)
numpy.random.seed(85968)

# ---- Chapter 1: clients, bucket, IAM -----------------------------------------------------------------
# Setup clients
personalize = boto3.client('personalize', endpoint_url=endpoint)
# s3 = boto3.Session().client('s3'): no S3 here, see the docstring.

token = str(round(time.time()*1000))[-5:]
print(f'The value of your token is:"{token}".')
bucket_name = bucket_dir_name   # 'personalize-update-items-dataset-example-' + token; s3.create_bucket: the test's bucket
# s3.put_bucket_policy(...): not made.
print('Bucket: /{}'.format(bucket_name))

# iam.create_role / create_policy / attach_role_policy: not made.
role_name = 'PersonalizeRole-'+token
role_arn = "arn:aws:iam::000000000000:role/" + role_name
print("Created IAM Role. IAM Role ARN: " + role_arn)


def bucket_keys():
    """s3.list_objects(Bucket=bucket_name)['Contents'] keys: the bucket folder's files."""
    keys = []
    for root, _, files in os.walk(bucket_dir):
        for name in files:
            keys.append(os.path.relpath(os.path.join(root, name), bucket_dir).replace(os.sep, '/'))
    return sorted(keys)


def upload_file(filename, key):
    """s3.upload_file(filename, bucket_name, key)."""
    os.makedirs(os.path.dirname(os.path.join(bucket_dir, key)), exist_ok=True)
    shutil.copy(filename, os.path.join(bucket_dir, key))


def head(filename, n):
    """!head -n N filename"""
    with open(filename) as f:
        for line in f.readlines()[:n]:
            print(line, end='')


# ---- Chapter 2: the Retail Demo Store's csvs, in shape ----------------------------------------------
users_filename, items_filename, interactions_filename = "users.csv", "items.csv", "interactions.csv"

# for file in [...]: s3.copy_object(Bucket=bucket_name, CopySource=f'retail-demo-store-us-east-1/csvs/{file}', Key=file)
rnd = random.Random(20231027)
CATEGORIES = {
    'accessories': ['backpack', 'handbag', 'wallet'], 'apparel': ['shirt', 'jacket', 'pants'],
    'beauty': ['fragrance', 'grooming'], 'electronics': ['headphones', 'speaker', 'camera'],
    'footwear': ['sneaker', 'boot', 'sandals'], 'housewares': ['kitchen', 'bathing', 'decorative'],
    'outdoors': ['camping', 'fishing'], 'jewelry': ['necklace', 'ring'],
}
COLOURS = ['tan', 'pale pink', 'gray', 'black', 'saddle brown', 'purple', 'dark olive green', 'navy', 'white', 'teal']
catalog = []
for l1 in sorted(CATEGORIES):
    for l2 in CATEGORIES[l1]:
        for k in range(12):
            gender = rnd.choice(['M', 'F'])
            colour = rnd.choice(COLOURS)
            catalog.append({
                'ITEM_ID': str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                'PRICE': f"{rnd.randrange(5, 180)}.99",
                'CATEGORY_L1': l1, 'CATEGORY_L2': l2,
                'PRODUCT_DESCRIPTION': (f"This {colour} {l2} for {'women' if gender == 'F' else 'men'} is first-rate for everyday use"
                                        if k % 2 else f"{colour.capitalize()} {l2}, for {'women' if gender == 'F' else 'men'}"),
                'GENDER': gender, 'PROMOTED': 'Y' if rnd.random() < 0.1 else 'N',
            })
with open(os.path.join(bucket_dir, items_filename), 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(catalog[0]), lineterminator='\n')
    w.writeheader()
    w.writerows(catalog)
with open(os.path.join(bucket_dir, users_filename), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['USER_ID', 'AGE', 'GENDER'])
    for user in range(1, 301):
        w.writerow([user, rnd.randrange(18, 76), rnd.choice(['M', 'F'])])
# Users keep to two CATEGORY_L1; within them, and elsewhere, lower catalog positions sell more.
popularity = {it['ITEM_ID']: 1.0 / (1 + (n * 7919 % len(catalog)) / 25) for n, it in enumerate(catalog)}
by_l1 = {l1: [it['ITEM_ID'] for it in catalog if it['CATEGORY_L1'] == l1] for l1 in CATEGORIES}
all_ids = [it['ITEM_ID'] for it in catalog]
T0 = 1690552936
events = []
for user in range(1, 301):
    liked = rnd.sample(sorted(CATEGORIES), 2)
    pool = by_l1[liked[0]] + by_l1[liked[1]]
    for _ in range(rnd.randrange(8, 17)):
        ids = pool if rnd.random() < 0.8 else all_ids
        item = rnd.choices(ids, [popularity[i] for i in ids])[0]
        t = T0 + rnd.randrange(0, 10 * 86400)
        discount = 'Yes' if rnd.random() < 0.2 else 'No'
        events.append((item, user, 'View', t, discount))
        events.append((item, user, 'View', t + rnd.randrange(5, 20), discount))
        if rnd.random() < 0.2:
            events.append((item, user, 'AddToCart', t + 30, discount))
            if rnd.random() < 0.6:
                events.append((item, user, 'Checkout', t + 60, discount))
                events.append((item, user, 'Purchase', t + 90, discount))
events.sort(key=lambda e: e[3])
with open(os.path.join(bucket_dir, interactions_filename), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['ITEM_ID', 'USER_ID', 'EVENT_TYPE', 'TIMESTAMP', 'DISCOUNT'])
    w.writerows(events)
for file in [users_filename, items_filename, interactions_filename]:
    print(f'Finishing copying {file} to {bucket_name}')

# Users Dataset
# get_object(...)['Body'].read().decode('utf-8'); users_df = pd.read_csv(StringIO(users_csv_content))
with open(os.path.join(bucket_dir, users_filename), newline='') as f:
    users_df = [{'USER_ID': int(r['USER_ID']), 'AGE': int(r['AGE']), 'GENDER': r['GENDER']} for r in csv.DictReader(f)]
print('\nUsers:-----------')
print(users_df[:5])  # users_df.head()

# Items Dataset: items_df = pd.read_csv(StringIO(items_csv_content))
with open(os.path.join(bucket_dir, items_filename), newline='') as f:
    items_df = list(csv.DictReader(f))
print('\nItems:-----------')
print(items_df[:5])

# Interactions Dataset: interactions_df = pd.read_csv(StringIO(interactions_csv_content))
with open(os.path.join(bucket_dir, interactions_filename), newline='') as f:
    interactions_df = list(csv.DictReader(f))

# interactions_df['USER_ID'] = interactions_df.USER_ID.astype(str)
# interactions_df['TIMESTAMP'] = interactions_df.TIMESTAMP.astype(int)
for r in interactions_df:
    r['USER_ID'] = str(r['USER_ID'])
    r['TIMESTAMP'] = int(r['TIMESTAMP'])
print('\nInteractions:-----------')
print(interactions_df[:5])

# ---- Trim Items Dataset ------------------------------------------------------------------------------
items_trimmed_filename = 'items_trimmed.csv'

# unique_item_ids = items_df['ITEM_ID'].unique()
unique_item_ids = list(dict.fromkeys(r['ITEM_ID'] for r in items_df))
print(f"Number of unique ITEM_ID values: {len(unique_item_ids)}.\n")

num_of_ItemIDs_to_remove = int(0.5 * len(unique_item_ids))
print(f"Number of ITEM_ID values to remove: {num_of_ItemIDs_to_remove}.\n")

selected_item_ids = numpy.random.choice(unique_item_ids, num_of_ItemIDs_to_remove, replace=False)
print(f"Removing the following ITEM_ID values... : {unique_item_ids}.\n")

# items_trimmed_df = items_df[~items_df["ITEM_ID"].isin(selected_item_ids)]
selected = set(selected_item_ids)
items_trimmed_df = [r for r in items_df if r['ITEM_ID'] not in selected]

print(f"Copying trimmed Items records to {items_trimmed_filename}...\n")
# items_trimmed_df.to_csv(items_trimmed_filename, index=False)
with open(items_trimmed_filename, 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(items_df[0]), lineterminator='\n')
    w.writeheader()
    w.writerows(items_trimmed_df)

upload_file(items_trimmed_filename, items_trimmed_filename)
print(f"File '{items_trimmed_filename}' has been uploaded to S3 bucket '{bucket_name}' with key '{items_trimmed_filename}'.")
print('\n Trimmed Items dataset preview:-----------')
print(items_trimmed_df[:5])
# len(items_trimmed_df['ITEM_ID'].unique())
print(f"\nNumber of unique ITEM_ID values in '{items_trimmed_filename}': {len(set(r['ITEM_ID'] for r in items_trimmed_df))}")

# ---- Trim Interactions dataset -----------------------------------------------------------------------
interactions_trimmed_filename = 'interactions_trimmed.csv'

# interactions_trimmed_df = interactions_df[~interactions_df['ITEM_ID'].isin(selected_item_ids)]
interactions_trimmed_df = [r for r in interactions_df if r['ITEM_ID'] not in selected]

# interactions_trimmed_df.to_csv(interactions_trimmed_filename, index=False)
with open(interactions_trimmed_filename, 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(interactions_df[0]), lineterminator='\n')
    w.writeheader()
    w.writerows(interactions_trimmed_df)

print(f"Removed rows with 'ITEM_ID' matching selected_item_ids and wrote the filtered data to {interactions_trimmed_filename}.\n")
upload_file(interactions_trimmed_filename, interactions_trimmed_filename)
print(f"File '{interactions_trimmed_filename}' has been uploaded to S3 bucket '{bucket_name}' with key '{interactions_trimmed_filename}'.")
print(f"\nNumber of rows in {interactions_filename}: {len(interactions_df)} ")
print(f"Number of rows in {interactions_trimmed_filename}: {len(interactions_trimmed_df)} ")
print('\n Trimmed Interactions dataset preview:-----------')
print(interactions_trimmed_df[:5])

# ---- Chapter 3: schemas -------------------------------------------------------------------------------
users_schema = {
    "type": "record",
    "name": "Users",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "USER_ID",
            "type": "string"
        },
        {
            "name": "AGE",
            "type": "int"
        },
        {
            "name": "GENDER",
            "type": "string",
            "categorical": True,
        }
    ],
    "version": "1.0"
}

try:
    users_schema_name = 'retaildemostore-products-users-schema-'+token
    create_schema_response = personalize.create_schema(
        name = users_schema_name,
        domain = "ECOMMERCE",
        schema = json.dumps(users_schema)
    )
    print(json.dumps(create_schema_response, indent=2))
    users_schema_arn = create_schema_response['schemaArn']
except personalize.exceptions.ResourceAlreadyExistsException:
    print('You already created this schema, seemingly')
    paginator = personalize.get_paginator('list_schemas')
    for paginate_result in paginator.paginate():
        for schema in paginate_result['schemas']:
            if schema['name'] == users_schema_name:
                users_schema_arn = schema['schemaArn']
                print(f"Using existing schema: {users_schema_arn}")
                break

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
            "type": "string",
            "categorical": True,
        },
    ],
    "version": "1.0"
}

try:
    items_schema_name = 'retaildemostore-products-items-schema-'+token
    create_schema_response = personalize.create_schema(
        name = items_schema_name,
        domain = 'ECOMMERCE',
        schema = json.dumps(items_schema)
    )
    items_schema_arn = create_schema_response['schemaArn']
    print(json.dumps(create_schema_response, indent=2))
except personalize.exceptions.ResourceAlreadyExistsException:
    print('You already created this schema, seemingly')
    paginator = personalize.get_paginator('list_schemas')
    for paginate_result in paginator.paginate():
        for schema in paginate_result['schemas']:
            if schema['name'] == items_schema_name:
                items_schema_arn = schema['schemaArn']
                print(f"Using existing schema: {items_schema_arn}")
                break

interactions_schema = {
    "type": "record",
    "name": "Interactions",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "ITEM_ID",
            "type": "string"
        },
        {
            "name": "USER_ID",
            "type": "string"
        },
        {
            "name": "EVENT_TYPE",  # "View", "Purchase", etc.
            "type": "string"
        },
        {
            "name": "TIMESTAMP",
            "type": "long"
        },
        {
            "name": "DISCOUNT",  # This is the contextual metadata - "Yes" or "No".
            "type": "string"
        },
    ],
    "version": "1.0"
}

try:
    interactions_schema_name = 'retaildemostore-products-interactions-schema-'+token
    create_schema_response = personalize.create_schema(
        name = interactions_schema_name,
        domain = "ECOMMERCE",
        schema = json.dumps(interactions_schema)
    )
    print(json.dumps(create_schema_response, indent=2))
    interactions_schema_arn = create_schema_response['schemaArn']
except personalize.exceptions.ResourceAlreadyExistsException:
    print('You already created this schema, seemingly')
    paginator = personalize.get_paginator('list_schemas')
    for paginate_result in paginator.paginate():
        for schema in paginate_result['schemas']:
            if schema['name'] == interactions_schema_name:
                interactions_schema_arn = schema['schemaArn']
                print(f"Using existing schema: {interactions_schema_arn}")
                break

# ---- Dataset group -------------------------------------------------------------------------------------
try:
    dataset_group_name = 'retaildemostore-products-DSG-'+token
    create_dataset_group_response = personalize.create_dataset_group(
        name = dataset_group_name,
        domain = 'ECOMMERCE'
    )
    dataset_group_arn = create_dataset_group_response['datasetGroupArn']
    print(json.dumps(create_dataset_group_response, indent=2))
except personalize.exceptions.ResourceAlreadyExistsException:
    print('You already created this dataset group, seemingly')
    paginator = personalize.get_paginator('list_dataset_groups')
    for paginate_result in paginator.paginate():
        for dataset_group in paginate_result['datasetGroups']:
            if dataset_group['name'] == dataset_group_name:
                dataset_group_arn = dataset_group['datasetGroupArn']
                break

print(f'DatasetGroupArn = {dataset_group_arn}')

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

# ---- Datasets --------------------------------------------------------------------------------------------
try:
    dataset_type = "USERS"
    users_dataset_name = "retaildemostore-products-users-ds-"+token
    create_dataset_response = personalize.create_dataset(
        name = users_dataset_name,
        datasetType = dataset_type,
        datasetGroupArn = dataset_group_arn,
        schemaArn = users_schema_arn
    )

    users_dataset_arn = create_dataset_response['datasetArn']
    print(json.dumps(create_dataset_response, indent=2))
except personalize.exceptions.ResourceAlreadyExistsException:
    print('You already created this dataset, seemingly')
    paginator = personalize.get_paginator('list_datasets')
    for paginate_result in paginator.paginate(datasetGroupArn = dataset_group_arn):
        for dataset in paginate_result['datasets']:
            if dataset['name'] == users_dataset_name:
                users_dataset_arn = dataset['datasetArn']
                break

print(f'Users dataset ARN = {users_dataset_arn}')

try:
    dataset_type = "ITEMS"
    items_dataset_name = "retaildemostore-products-items-ds-"+token
    create_dataset_response = personalize.create_dataset(
        name = items_dataset_name,
        datasetType = dataset_type,
        datasetGroupArn = dataset_group_arn,
        schemaArn = items_schema_arn
    )

    items_dataset_arn = create_dataset_response['datasetArn']
    print(json.dumps(create_dataset_response, indent=2))
except personalize.exceptions.ResourceAlreadyExistsException:
    print('You already created this dataset, seemingly')
    paginator = personalize.get_paginator('list_datasets')
    for paginate_result in paginator.paginate(datasetGroupArn = dataset_group_arn):
        for dataset in paginate_result['datasets']:
            if dataset['name'] == items_dataset_name:
                items_dataset_arn = dataset['datasetArn']
                break

print(f'Items dataset ARN = {items_dataset_arn}')

try:
    dataset_type = "INTERACTIONS"
    interactions_dataset_name = "retaildemostore-products-interactions-ds-"+token
    create_dataset_response = personalize.create_dataset(
        name = interactions_dataset_name,
        datasetType = dataset_type,
        datasetGroupArn = dataset_group_arn,
        schemaArn = interactions_schema_arn
    )

    interactions_dataset_arn = create_dataset_response['datasetArn']
    print(json.dumps(create_dataset_response, indent=2))
except personalize.exceptions.ResourceAlreadyExistsException:
    print('You already created this dataset, seemingly')
    paginator = personalize.get_paginator('list_datasets')
    for paginate_result in paginator.paginate(datasetGroupArn = dataset_group_arn):
        for dataset in paginate_result['datasets']:
            if dataset['name'] == interactions_dataset_name:
                interactions_dataset_arn = dataset['datasetArn']
                break

print(f'Interactions dataset ARN = {interactions_dataset_arn}')

dataset_arns = [ items_dataset_arn, users_dataset_arn, interactions_dataset_arn ]
dataset_statuses = {}

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    for dataset_arn in reversed(dataset_arns):
        response = personalize.describe_dataset(
            datasetArn = dataset_arn
        )
        status = response["dataset"]["status"]

        if status == "ACTIVE":
            print(f'Dataset {dataset_arn} successfully completed')
            dataset_arns.remove(dataset_arn)
        elif status == "CREATE FAILED":
            print(f'Dataset {dataset_arn} failed')
            if response['dataset'].get('failureReason'):
                print('   Reason: ' + response['dataset']['failureReason'])
            dataset_arns.remove(dataset_arn)
        dataset_statuses[response["dataset"]["datasetType"]] = status

    if len(dataset_arns) > 0:
        print('At least one dataset is still in progress')
        time.sleep(0.2)
    else:
        print("All datasets have completed")
        break

# ---- Import jobs -----------------------------------------------------------------------------------------
import_job_suffix = str(uuid.uuid4())[:8]

users_create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "retaildemostore-products-users-" + import_job_suffix,
    datasetArn = users_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, users_filename)
    },
    roleArn = role_arn
)

users_dataset_import_job_arn = users_create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(users_create_dataset_import_job_response, indent=2))

items_create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "retaildemostore-products-items-" + import_job_suffix,
    datasetArn = items_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, items_trimmed_filename)
    },
    roleArn = role_arn
)

items_dataset_import_job_arn = items_create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(items_create_dataset_import_job_response, indent=2))

interactions_create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "retaildemostore-products-interactions-" + import_job_suffix,
    datasetArn = interactions_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, interactions_trimmed_filename)
    },
    roleArn = role_arn
)

interactions_dataset_import_job_arn = interactions_create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(interactions_create_dataset_import_job_response, indent=2))

import_job_arns = [ users_dataset_import_job_arn, items_dataset_import_job_arn, interactions_dataset_import_job_arn ]
first_imports = {}

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    for job_arn in reversed(import_job_arns):
        import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn = job_arn
        )
        status = import_job_response["datasetImportJob"]['status']

        if status == "ACTIVE":
            print(f'Import job {job_arn} successfully completed')
            import_job_arns.remove(job_arn)
        elif status == "CREATE FAILED":
            print(f'Import job {job_arn} failed')
            if import_job_response["datasetImportJob"].get('failureReason'):
                print('   Reason: ' + import_job_response["datasetImportJob"]['failureReason'])
            import_job_arns.remove(job_arn)
        first_imports[job_arn] = import_job_response["datasetImportJob"]

    if len(import_job_arns) > 0:
        print('At least one dataset import job still in progress')
        time.sleep(0.2)
    else:
        print("All import jobs have ended")
        break
for job in first_imports.values():
    if job['status'] != 'ACTIVE':
        fail(f"import {job['jobName']}: {job['status']} {job.get('failureReason')}")

# ---- Chapter 4: solution and solution version --------------------------------------------------------------
# Item Recommendation Recipe:
user_personalization_recipe_arn = 'arn:aws:personalize:::recipe/aws-user-personalization'

user_personalization_solution_name = "retaildemostore-user-personalization-solution-"+token
user_personalization_solution_arn = None
user_personalization_solution_version_arn = None

try:
    create_solution_response = personalize.create_solution(
        name = user_personalization_solution_name,
        datasetGroupArn = dataset_group_arn,
        recipeArn = user_personalization_recipe_arn
    )

    user_personalization_solution_arn = create_solution_response['solutionArn']
    print(json.dumps(create_solution_response, indent=2))
except personalize.exceptions.ResourceAlreadyExistsException:
    print('You aready created this solution, seemingly')
    paginator = personalize.get_paginator('list_solutions')
    for paginate_result in paginator.paginate(datasetGroupArn = dataset_group_arn):
        for solution in paginate_result['solutions']:
            if solution['name'] == user_personalization_solution_name:
                user_personalization_solution_arn = solution['solutionArn']
                print(f'Ranking solution ARN = {user_personalization_solution_arn}')

                response = personalize.list_solution_versions(
                    solutionArn = user_personalization_solution_arn,
                    maxResults = 100
                )
                if len(response['solutionVersions']) > 0:
                    user_personalization_solution_version_arn = response['solutionVersions'][-1]['solutionVersionArn']
                    print(f'Will use most recent solution version for this solution: {user_personalization_solution_version_arn}')

                break

if not user_personalization_solution_version_arn:
    create_solution_version_response = personalize.create_solution_version(
        solutionArn = user_personalization_solution_arn
    )

    user_personalization_solution_version_arn = create_solution_version_response['solutionVersionArn']
    print(json.dumps(create_solution_version_response, indent=2))
else:
    print(f'Solution version {user_personalization_solution_version_arn} already exists; not creating')

user_personalization_solution_version_arn

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    soln_ver_response = personalize.describe_solution_version(
        solutionVersionArn = user_personalization_solution_version_arn
    )
    status = soln_ver_response["solutionVersion"]["status"]

    if status == "ACTIVE":
        print(f'Solution version {user_personalization_solution_version_arn} successfully completed')
        print(json.dumps(soln_ver_response, indent=2, default=str))
        print("Solution version has completed")
        break
    elif status == "CREATE FAILED":
        print(f'Solution version {user_personalization_solution_version_arn} failed')
        if soln_ver_response["solutionVersion"].get('failureReason'):
            print('   Reason: ' + soln_ver_response["solutionVersion"]['failureReason'])
        break
    else:
        print('Solution version is still in progress')
        time.sleep(0.2)
original_version = soln_ver_response["solutionVersion"]
if status != "ACTIVE":
    fail(f"solution version: {status} {original_version.get('failureReason')}")

# ---- Chapter 5: the batch inference job on the original version ---------------------------------------------
orig_job_input_filename = "orig_job_input.json"
au_job_input_filename = "au_job_input.json"
fr_job_input_filename = "fr_job_input.json"

# TODO: Fill in the size of the input and output variables
x = 5
y = 10

# - Randomly select x users: users = users_df['USER_ID'].unique()
users = numpy.array(list(dict.fromkeys(r['USER_ID'] for r in users_df)))
sample_users = numpy.random.choice(users, x, False)

print("Randomly selected users :")
print(sample_users)

# - Generate the input file
with open(orig_job_input_filename, 'w') as json_input:
    for user_id in sample_users:
        # Write line that specifies the specific user
        json_input.write(f'{{"userId": "{user_id}"}}\n')

# Confirm the file matches the required format:
print("\nPreviewing input file... ")
head(orig_job_input_filename, 5)
print('\n')

# Upload job input file to S3
s3_input_key_orig = "batch-job-input/" + orig_job_input_filename

upload_file(orig_job_input_filename, s3_input_key_orig)
if s3_input_key_orig in bucket_keys():
    print('File was uploaded successfully!')
else:
    print('File was not uploaded!')

s3_input_path_orig = "s3://" + bucket_name + "/" + s3_input_key_orig
s3_output_path_orig = "s3://" + bucket_name + "/batch-job-outputs/original/"

response = personalize.create_batch_inference_job (
    solutionVersionArn = user_personalization_solution_version_arn,
    jobName = "retaildemostore-user-personalization-job-orig-" + token,
    roleArn = role_arn,
    jobInput = {"s3DataSource": {"path": s3_input_path_orig }},
    jobOutput = {"s3DataDestination":{"path": s3_output_path_orig }},
    numResults = y
)
user_personalization_job_arn = response['batchInferenceJobArn']
print(json.dumps(response, indent=2, default=str))

get_original_solution_metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = user_personalization_solution_version_arn
)

print(json.dumps(get_original_solution_metrics_response['metrics'], indent=2))

current_time = datetime.now()
print("\nInference Job Started on: ", current_time.strftime("%I:%M:%S %p"))

max_time = time.time() + 3*60*60 # 3 hours

while time.time() < max_time:
    response = personalize.describe_batch_inference_job(
        batchInferenceJobArn = user_personalization_job_arn
    )
    status = response["batchInferenceJob"]['status']
    print("DatasetInferenceJob: {}".format(status))

    if status == "ACTIVE" or status == "CREATE FAILED":
        break

    time.sleep(0.2)
orig_job = response["batchInferenceJob"]

current_time = datetime.now()
print("Inference Job Completed on: ", current_time.strftime("%I:%M:%S %p"))
if status != "ACTIVE":
    fail(f"batch inference job orig: {status} {orig_job.get('failureReason')}")

# - Download the Inference job output from S3
job_output_file_orig = orig_job_input_filename + ".out"
export_name_orig = 'batch-job-outputs/original/' + job_output_file_orig
# s3.download_file(bucket_name, export_name_orig, job_output_file_orig)
shutil.copy(os.path.join(bucket_dir, export_name_orig), job_output_file_orig)

# - Inspect the Inference Job
head(job_output_file_orig, 5)

# ---- Chapter 6 Step 1: the complete datasets, new items renamed "new_<id>" ------------------------------------
def add_prefix(item_id):
    if item_id in selected_item_ids:
        return 'new_' + item_id
    else:
        return item_id


# items_df['ITEM_ID'] = items_df['ITEM_ID'].apply(add_prefix); items_df.to_csv('items.csv', index=False)
for r in items_df:
    r['ITEM_ID'] = add_prefix(r['ITEM_ID'])
with open('items.csv', 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(items_df[0]), lineterminator='\n')
    w.writeheader()
    w.writerows(items_df)
print("Previewing the updated Items dataset:")
print(items_df[:10])

# interactions_df['ITEM_ID'] = interactions_df['ITEM_ID'].apply(add_prefix); interactions_df.to_csv('interactions.csv', index=False)
for r in interactions_df:
    r['ITEM_ID'] = add_prefix(r['ITEM_ID'])
with open('interactions.csv', 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(interactions_df[0]), lineterminator='\n')
    w.writeheader()
    w.writerows(interactions_df)
print("\n\nPreviewing the updated Interactions dataset:")
print([{k: r[k] for k in ['ITEM_ID', 'USER_ID', 'EVENT_TYPE', 'TIMESTAMP']} for r in interactions_df[:10]])

# Upload items.csv & interactions.csv to S3
upload_file(items_filename, items_filename)
upload_file(interactions_filename, interactions_filename)

# ---- Step 2: Update the new Items and Interactions Satasets ---------------------------------------------------
updated_items_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "updated_items_dataset_import_job"+token,
    datasetArn = items_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, items_filename) # Pass in the new dataset. See note below
    },
    roleArn = role_arn,
    importMode = "FULL" # importMode='FULL' is used here because we are re-importing the entire dataset. Though if we had imported *just* the new data, we could have set ImportMode to 'INCREMENTAL'.
)
# Note: notice how we are passing the orginal items dataset (the dataset that contains all the items)

updated_items_dataset_import_job_arn = updated_items_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(updated_items_dataset_import_job_response, indent=2))


# Import the complete interactions dataset
updated_interactions_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "updated_interactions_dataset_import_job"+token,
    datasetArn = interactions_dataset_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, interactions_filename) # Pass in the csv that contains all of the interactions.
    },
    roleArn = role_arn,
    importMode = "FULL"
)

updated_interactions_dataset_import_job_arn = updated_items_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(updated_interactions_dataset_import_job_response, indent=2))


import_job_arns = [updated_items_dataset_import_job_arn, updated_interactions_dataset_import_job_arn]

# Wait for the data to finish importing. It can take up to 10 minutes.
max_time = time.time() + 1*60*60 # 1 hours

while time.time() < max_time:
    for job_arn in reversed(import_job_arns):
        import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn = job_arn
        )
        status = import_job_response["datasetImportJob"]['status']

        if status == "ACTIVE":
            print(f'Import job {job_arn} successfully completed')
            import_job_arns.remove(job_arn)
        elif status == "CREATE FAILED":
            print(f'Import job {job_arn} failed')
            if import_job_response["datasetImportJob"].get('failureReason'):
                print('   Reason: ' + import_job_response["datasetImportJob"]['failureReason'])
            import_job_arns.remove(job_arn)
    if len(import_job_arns) > 0: # CREATE PENDING or CREATE IN_PROGRESS
        print('At least one dataset import job still in progress')
        time.sleep(0.2)
    else:
        print("All import jobs have ended")
        break
# What the notebook went on with: the interactions import as it was then (the loop watched the items job twice).
real_interactions_import_arn = updated_interactions_dataset_import_job_response['datasetImportJobArn']
interactions_import_when_moving_on = personalize.describe_dataset_import_job(
    datasetImportJobArn = real_interactions_import_arn)["datasetImportJob"]["status"]

# ---- Step 3: the same batch job on the (automatically updated) original version -------------------------------
s3_input_key_au = "batch-job-input/" + au_job_input_filename
s3_input_path_au = "s3://" + bucket_name + "/" + s3_input_key_au
s3_output_path_au = "s3://" + bucket_name + "/batch-job-outputs/auto-update/"

# Upload a copy of the input file to s3: !cp {orig_job_input_filename} {au_job_input_filename}
shutil.copy(orig_job_input_filename, au_job_input_filename)

upload_file(au_job_input_filename, s3_input_key_au)
if s3_input_key_au in bucket_keys():
    print('File was uploaded successfully!')
else:
    print('File was not uploaded!')

response = personalize.create_batch_inference_job(
    solutionVersionArn = user_personalization_solution_version_arn,
    jobName = "retaildemostore-user-personalization-job-au-" + token,
    roleArn = role_arn,
    jobInput = {"s3DataSource": {"path": s3_input_path_au}},
    jobOutput = {"s3DataDestination":{"path": s3_output_path_au}},
    numResults = y
)
user_personalization_autoupdate_job_arn = response['batchInferenceJobArn']
print(json.dumps(response, indent=2, default=str))

#### Wait for the batch inference job to complete This can take around 15 minutes.
current_time = datetime.now()
print("Inference Job Started on: ", current_time.strftime("%I:%M:%S %p"))

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    resp = personalize.describe_batch_inference_job(batchInferenceJobArn = user_personalization_autoupdate_job_arn)
    status = resp["batchInferenceJob"]['status']
    print("DatasetInferenceJob {arn}: {status}".format(arn=user_personalization_autoupdate_job_arn, status=status))

    if status == "ACTIVE" or status == "CREATE FAILED":
        print("Inference job has ended")
        break
    else:
        print('Job still in progress')
        time.sleep(0.2)
au_job = resp["batchInferenceJob"]

current_time = datetime.now()
print("Inference Job Completed on: ", current_time.strftime("%I:%M:%S %p"))
if status != "ACTIVE":
    fail(f"batch inference job au: {status} {au_job.get('failureReason')}")

# - Download the Inference job output from S3
job_output_file_au = au_job_input_filename + ".out"
export_name_au = 'batch-job-outputs/auto-update/' + job_output_file_au
# s3.download_file(bucket_name, export_name_au, job_output_file_au)
shutil.copy(os.path.join(bucket_dir, export_name_au), job_output_file_au)

print("Previewing output of the inference job that was run on the original solution version")
head(job_output_file_orig, 5)
print("\n\nPreviewing output of the inference job that was run on the auto-updated solution version")
head(job_output_file_au, 5)

# ---- Step 4: the metrics of the auto-updated version -----------------------------------------------------------
print("Metrics of the original solution version:")
print(json.dumps(get_original_solution_metrics_response['metrics'], indent=2))

get_autoupdated_solution_metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = user_personalization_solution_version_arn
)
print("\n\nMetrics of the auto-updated solution version:")
print(json.dumps(get_autoupdated_solution_metrics_response['metrics'], indent=2))

# ---- Step 5: Fully train a new solution version ----------------------------------------------------------------
retrained_user_personalization_solution_version_arn = None

if not retrained_user_personalization_solution_version_arn:
    create_solution_version_response = personalize.create_solution_version(
        solutionArn = user_personalization_solution_arn,
        trainingMode='FULL'
    )

    retrained_user_personalization_solution_version_arn = create_solution_version_response['solutionVersionArn']
    print(json.dumps(create_solution_version_response, indent=2))
else:
    print(f'Solution version {retrained_user_personalization_solution_version_arn} already exists; not creating')

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    updated_soln_ver_response = personalize.describe_solution_version(
        solutionVersionArn = retrained_user_personalization_solution_version_arn
    )
    status = updated_soln_ver_response["solutionVersion"]["status"]

    if status == "ACTIVE":
        print(f'Solution version {retrained_user_personalization_solution_version_arn} successfully completed')
        break
    elif status == "CREATE FAILED":
        print(f'Solution version {retrained_user_personalization_solution_version_arn} failed')
        if updated_soln_ver_response["solutionVersion"].get('failureReason'):
            print('   Reason: ' + updated_soln_ver_response["solutionVersion"]['failureReason'])
        break
    else:
        print('At least one solution version is still in progress')
        time.sleep(0.2)
retrained_version = updated_soln_ver_response["solutionVersion"]
if status != "ACTIVE":
    fail(f"retrained solution version: {status} {retrained_version.get('failureReason')}")

# ---- Step 6: the batch job on the retrained version ------------------------------------------------------------
s3_input_key_fr = "batch-job-input/" + fr_job_input_filename
s3_input_path_fr = "s3://" + bucket_name + "/" + s3_input_key_fr
s3_output_path_fr = "s3://" + bucket_name + "/batch-job-outputs/fully-retrained/"

# Upload a copy of the input file to s3: !cp {orig_job_input_filename} {fr_job_input_filename}
shutil.copy(orig_job_input_filename, fr_job_input_filename)
upload_file(fr_job_input_filename, s3_input_key_fr)
if s3_input_key_fr in bucket_keys():
    print('File was uploaded successfully!')
else:
    print('File was not uploaded!')

# Preview input file We will use the same input for batch inference job using our new solution version.
print("\nPreviewing input file... ")
head(fr_job_input_filename, 5)
print('\n')

# Create and start a Batch Segmentation Job using our latest Solution Version
s3_input_key_fr = "batch-job-input/" + fr_job_input_filename
s3_output_path_fr = "s3://" + bucket_name + "/batch-job-outputs/fully-retrained/" # Define output location

response = personalize.create_batch_inference_job (
    solutionVersionArn = retrained_user_personalization_solution_version_arn,
    jobName = "retaildemostore-user-personalization-job-fr-" + token,
    roleArn = role_arn,
    jobInput = {"s3DataSource": {"path": s3_input_path_fr }},
    jobOutput = {"s3DataDestination": {"path": s3_output_path_fr }},
    numResults = y
)

user_personalization_retrained_job_arn = response['batchInferenceJobArn']
print(json.dumps(response, indent=2, default=str))

current_time = datetime.now()
print("Inference Job Started on: ", current_time.strftime("%I:%M:%S %p"))

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:

    resp = personalize.describe_batch_inference_job(batchInferenceJobArn = user_personalization_retrained_job_arn)
    status = resp["batchInferenceJob"]['status']
    print("DatasetInferenceJob {arn}: {status}".format(arn=user_personalization_retrained_job_arn, status=status))

    if status == "ACTIVE" or status == "CREATE FAILED":
        current_time = datetime.now()
        print("Inference Job Completed on: ", current_time.strftime("%I:%M:%S %p"))
        break
    else:
        print('At least one batch inference job still in progress')
        time.sleep(0.2)
fr_job = resp["batchInferenceJob"]
if status != "ACTIVE":
    fail(f"batch inference job fr: {status} {fr_job.get('failureReason')}")

# - Download the Inference job output from S3
job_output_file_fr = fr_job_input_filename + ".out"
export_name_fr = 'batch-job-outputs/fully-retrained/' + job_output_file_fr
# s3.download_file(bucket_name, export_name_fr, job_output_file_fr)
shutil.copy(os.path.join(bucket_dir, export_name_fr), job_output_file_fr)

print("Previewing output of the inference job that was run on the fully-trained solution version:")
head(job_output_file_fr, 5)
print("\n\nPreviewing output of the inference job that was run on the auto-updated solution version:")
head(job_output_file_au, 5)

# ---- Step 7: the metrics of the two versions --------------------------------------------------------------------
print("Metrics of the auto-updated solution version:")
print(json.dumps(get_autoupdated_solution_metrics_response['metrics'], indent=2))

get_retrained_solution_metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = retrained_user_personalization_solution_version_arn
)
print("\n\nMetrics of the solution version with the updated datasets:")
print(json.dumps(get_retrained_solution_metrics_response['metrics'], indent=2))

# ---- Chapter 7: the three outputs and the three metrics side by side -----------------------------------------
print("Previewing output of the inference job that was run on the original solution version:")
head(job_output_file_orig, 10)
print("\n\nPreviewing output of the inference job that was run on the auto-updated solution version:")
head(job_output_file_au, 10)
print("\n\nPreviewing output of the inference job that was run on the fully-trained solution version:")
head(job_output_file_fr, 10)

print("Metrics of the original solution version:")
print(json.dumps(get_original_solution_metrics_response['metrics'], indent=2))
print("\n\nMetrics of the auto-updated solution version:")
print(json.dumps(get_autoupdated_solution_metrics_response['metrics'], indent=2))
print("\n\nMetrics of the fully-retrained solution version:")
print(json.dumps(get_retrained_solution_metrics_response['metrics'], indent=2))

# Added: what the summary reports, read before the clean-up deletes it.
interactions_import_final = None
for _ in range(150):
    interactions_import_final = personalize.describe_dataset_import_job(datasetImportJobArn = real_interactions_import_arn)["datasetImportJob"]
    if interactions_import_final["status"] in ("ACTIVE", "CREATE FAILED"):
        break
    time.sleep(0.2)
updated_imports = {
    "items": personalize.describe_dataset_import_job(datasetImportJobArn = updated_items_dataset_import_job_arn)["datasetImportJob"],
    "interactions": interactions_import_final,
}
solution_versions = personalize.list_solution_versions(solutionArn = user_personalization_solution_arn)['solutionVersions']
original_version_after = personalize.describe_solution_version(
    solutionVersionArn = user_personalization_solution_version_arn)["solutionVersion"]
datasets_listed = {d['name']: d['status'] for d in personalize.list_datasets(datasetGroupArn = dataset_group_arn)['datasets']}
bucket_before_cleanup = bucket_keys()


def output_lines(filename):
    with open(filename) as f:
        return [json.loads(line) for line in f if line.strip()]


outputs = {"orig": output_lines(job_output_file_orig), "au": output_lines(job_output_file_au), "fr": output_lines(job_output_file_fr)}

# ---- Chapter 8: Cleanup ------------------------------------------------------------------------------------------
# List objects in the bucket and delete them: s3.list_objects_v2 / s3.delete_object
for key in bucket_keys():
    print(f'Deleting {key}...')
    os.remove(os.path.join(bucket_dir, key))
# s3.delete_bucket(Bucket=bucket_name): the folder is the test's.
bucket_after_cleanup = bucket_keys()

# iam.detach_role_policy / delete_role / delete_policy: no IAM here.

# !curl -O https://raw.githubusercontent.com/aws-samples/retail-demo-store/b80137c6.../delete_dataset_groups.py
# Not downloaded, not reproduced: a module of that name written for this test (see the docstring),
# with the entry point the notebook calls.
DELETE_DATASET_GROUPS_PY = """
import logging
import time

import boto3
from botocore.exceptions import ClientError

ENDPOINT = %r
logger = logging.getLogger('delete_dataset_groups')


def _until_empty(list_now, what):
    for _ in range(300):
        if not list_now():
            return
        time.sleep(0.2)
    raise RuntimeError(f'{what} still there')


def _gone(describe):
    try:
        describe()
        return False
    except ClientError as e:
        if e.response['Error']['Code'] != 'ResourceNotFoundException':
            raise
        return True


def _group_arn(client, name):
    for page in client.get_paginator('list_dataset_groups').paginate():
        for group in page['datasetGroups']:
            if group['name'] == name:
                return group['datasetGroupArn']
    return None


def delete_dataset_groups(dataset_group_names, region=None, wait_for_resources=True):
    client = boto3.client('personalize', region_name=region, endpoint_url=ENDPOINT)
    for name in dataset_group_names:
        group = _group_arn(client, name)
        if group is None:
            logger.warning('Dataset group %%s not found', name)
            continue
        solutions = [s['solutionArn'] for s in client.list_solutions(datasetGroupArn=group)['solutions']]
        for solution in solutions:
            for campaign in client.list_campaigns(solutionArn=solution)['campaigns']:
                logger.info('Deleting campaign %%s', campaign['campaignArn'])
                client.delete_campaign(campaignArn=campaign['campaignArn'])
            _until_empty(lambda: client.list_campaigns(solutionArn=solution)['campaigns'], 'campaigns')
        for recommender in client.list_recommenders(datasetGroupArn=group)['recommenders']:
            logger.info('Deleting recommender %%s', recommender['recommenderArn'])
            client.delete_recommender(recommenderArn=recommender['recommenderArn'])
        _until_empty(lambda: client.list_recommenders(datasetGroupArn=group)['recommenders'], 'recommenders')
        for solution in solutions:
            logger.info('Deleting solution %%s', solution)
            client.delete_solution(solutionArn=solution)
        _until_empty(lambda: client.list_solutions(datasetGroupArn=group)['solutions'], 'solutions')
        for tracker in client.list_event_trackers(datasetGroupArn=group)['eventTrackers']:
            logger.info('Deleting event tracker %%s', tracker['eventTrackerArn'])
            client.delete_event_tracker(eventTrackerArn=tracker['eventTrackerArn'])
        for f in client.list_filters(datasetGroupArn=group)['Filters']:
            logger.info('Deleting filter %%s', f['filterArn'])
            client.delete_filter(filterArn=f['filterArn'])
        datasets = client.list_datasets(datasetGroupArn=group)['datasets']
        schemas = []
        for dataset in datasets:
            schemas.append(client.describe_dataset(datasetArn=dataset['datasetArn'])['dataset']['schemaArn'])
            logger.info('Deleting dataset %%s', dataset['datasetArn'])
            client.delete_dataset(datasetArn=dataset['datasetArn'])
        _until_empty(lambda: client.list_datasets(datasetGroupArn=group)['datasets'], 'datasets')
        for schema in dict.fromkeys(schemas):
            logger.info('Deleting schema %%s', schema)
            try:
                client.delete_schema(schemaArn=schema)
            except ClientError as e:
                if e.response['Error']['Code'] != 'ResourceInUseException':
                    raise
                logger.info('Schema %%s is used by another dataset', schema)
        logger.info('Deleting dataset group %%s', group)
        client.delete_dataset_group(datasetGroupArn=group)
        while wait_for_resources and not _gone(lambda: client.describe_dataset_group(datasetGroupArn=group)):
            time.sleep(0.2)
        logger.info('Dataset group %%s has been fully deleted', group)
""" % endpoint
with open('delete_dataset_groups.py', 'w') as f:
    f.write(DELETE_DATASET_GROUPS_PY)
sys.path.insert(0, os.getcwd())

# Import the module
import delete_dataset_groups

handler = logging.StreamHandler(sys.stdout)
handler.setLevel(logging.INFO)

delete_dataset_groups.logger.setLevel(logging.INFO)
delete_dataset_groups.logger.addHandler(handler)


# Added: a handler that keeps the helper's messages for the summary.
class _Kept(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


cleanup_log = _Kept()
delete_dataset_groups.logger.addHandler(cleanup_log)

print(f'Active dataset groups that need to be deleted: {dataset_group_name}\n')

delete_dataset_groups.delete_dataset_groups(
    dataset_group_names = [ dataset_group_name ],
    wait_for_resources = True
)

# Delete local files: !rm delete_dataset_groups.py, the job files and the csvs
for name in ['delete_dataset_groups.py', orig_job_input_filename, job_output_file_orig, au_job_input_filename,
             job_output_file_au, fr_job_input_filename, job_output_file_fr, items_filename, interactions_filename,
             items_trimmed_filename, interactions_trimmed_filename]:
    os.remove(name)

# ---- The summary -------------------------------------------------------------------------------------------------
try:
    group_after_cleanup = personalize.describe_dataset_group(datasetGroupArn = dataset_group_arn)["datasetGroup"]["status"]
except ClientError as e:
    group_after_cleanup = e.response['Error']['Code']
schema_names = {users_schema_name, items_schema_name, interactions_schema_name}
schemas_left = [s['name'] for s in personalize.list_schemas()['schemas'] if s['name'] in schema_names]
job_fields = ("jobName", "status", "numResults", "solutionVersionArn", "jobInput", "jobOutput", "failureReason")
version_fields = ("status", "trainingMode", "recipeArn", "failureReason", "solutionArn", "lastUpdatedDateTime")
new_items = sorted('new_' + i for i in selected_item_ids)
summary({
    "ok": True,
    "datasetGroup": dataset_group_status,
    "datasets": dataset_statuses,
    "datasetsListed": datasets_listed,
    "firstImports": {j["jobName"].split('-')[2]: [j["status"], j.get("failureReason"), j.get("importMode")] for j in first_imports.values()},
    "updatedImports": {k: [j["status"], j.get("failureReason"), j.get("importMode")] for k, j in updated_imports.items()},
    "interactionsImportWhenMovingOn": interactions_import_when_moving_on,
    "counts": {"items": len(unique_item_ids), "removed": num_of_ItemIDs_to_remove, "itemsTrimmed": len(items_trimmed_df),
               "interactions": len(interactions_df), "interactionsTrimmed": len(interactions_trimmed_df),
               "users": len(users_df)},
    "keptItems": sorted(r['ITEM_ID'] for r in items_trimmed_df),
    "newItems": new_items,
    "itemIdsAfterUpdate": sorted(r['ITEM_ID'] for r in items_df),
    "sampleUsers": [str(u) for u in sample_users],
    "solutionArn": user_personalization_solution_arn,
    "recipeArn": user_personalization_recipe_arn,
    "originalVersionArn": user_personalization_solution_version_arn,
    "retrainedVersionArn": retrained_user_personalization_solution_version_arn,
    "originalVersion": {k: original_version.get(k) for k in version_fields},
    "originalVersionAfter": {k: original_version_after.get(k) for k in version_fields},
    "retrainedVersion": {k: retrained_version.get(k) for k in version_fields},
    "solutionVersions": [{k: v.get(k) for k in ("solutionVersionArn", "status", "trainingMode")} for v in solution_versions],
    "jobs": {name: {k: j.get(k) for k in job_fields} for name, j in (("orig", orig_job), ("au", au_job), ("fr", fr_job))},
    "auJobSecondsAfterVersionActive": (au_job["creationDateTime"] - original_version["lastUpdatedDateTime"]).total_seconds(),
    "outputs": outputs,
    "metrics": {
        "orig": get_original_solution_metrics_response['metrics'],
        "au": get_autoupdated_solution_metrics_response['metrics'],
        "fr": get_retrained_solution_metrics_response['metrics'],
    },
    "bucketBeforeCleanup": bucket_before_cleanup,
    "bucketAfterCleanup": bucket_after_cleanup,
    "cleanup": {
        "log": cleanup_log.messages,
        "datasetGroup": group_after_cleanup,
        "schemasLeft": schemas_left,
        "datasetGroupsListed": [g["name"] for g in personalize.list_dataset_groups()["datasetGroups"]],
        "scratchLeft": sorted(os.listdir('.')),
    },
})

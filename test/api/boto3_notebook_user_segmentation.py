"""AWS's user segmentation notebook next_steps/core_use_cases/user_segmentation/
user_segmentation_example.ipynb (aws-samples/amazon-personalize-samples) against a running
openpersonalize: its cells that touch Personalize, as written — a dataset group with Interactions
(USER_ID, ITEM_ID, TIMESTAMP) and an Items dataset holding only a textual DESCRIPTION, an
aws-item-affinity solution version and its metrics, a batch segment job for items sampled from a
held-out test period (scored against it and against a popularity baseline), an "editorial" batch
segment job for ten named items; then a second dataset group whose Items dataset holds categorical
CATEGORY, BRAND, MAIN_CAT and a float PRICE, an aws-item-attribute-affinity solution version and a
batch segment job for five `itemAttributes` queries (three categories, two brands).

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment, as in the notebook. Exits
non-zero with the reason on stderr; prints a JSON summary on stdout.

The notebook downloads the Amazon Grocery_and_Gourmet_Food reviews (one JSON review a line:
`reviewerID`, `asin`, `unixReviewTime` in whole days, `overall`, ...) and their metadata
(meta_Grocery_and_Gourmet_Food.json.gz: `asin` with duplicates, `title` sometimes missing,
`category` and `description` as lists, `brand`, `main_cat`, `price` as "$5.00", "" or a range, ...)
and shapes them with pandas (and BeautifulSoup); none of these is installed here, so files of that
shape are generated (grocery themes — coffee, tea, candy, dried vegetables, seasonings, cake
decorating, snack bars, pasta — each reviewer keeping mostly to one or two) and each pandas step is
done with the csv/json modules (BeautifulSoup's find_all(text=True) with the standard html.parser),
the pandas line quoted above it. Changed from the notebook, and only these:
endpoint_url= in boto3.client; no `aws configure add-model` (boto3 knows the API now) and no S3
client: the region (the notebook reads it from SageMaker's /opt/ml/metadata) and the account
(sts.get_caller_identity, for the bucket name) are constants, and the bucket is the test's folder
of the local store (s3.create_bucket goes; upload_file becomes a copy; s3.get_object and
pd.read_json of an s3:// path become reads of the file in that folder); no S3 bucket policy and no
IAM role (the role ARN is a constant); the sleeps (0.2 s instead of 60, 120 and 180 s, 0.5 s for the
IAM cell's 60 s); the data size (700 reviewers of whom 525 are kept, 288 products, not 1.7M reviews
and 283K products), and so the number of test items sampled for the first batch segment job (50, not 500: the
generated test period holds fewer than 500 items); the ten items the editorial cells name are
generated products of the matching kind (a whole-bean coffee, a liquid smoke, a cake topper, ...),
as are the categories and brands the attribute queries name; plots are not drawn and display() of a
DataFrame is a print of its rows. The commented-out cells (a filter, more analyses) stay out. Not in
the notebook: the four wait helpers also note each resource's final status for the summary and stop
the script with the reason when one is not ACTIVE, and the summary is computed at the end.
The script is longer than most (the notebook has some 100 cells and two full walk-throughs).
"""
import csv
import datetime as dt
import gzip
import json
import os
import random
import shutil
import sys
import time
from html.parser import HTMLParser

import boto3
import numpy as np

from boto3_notebook_data import fail, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)

# ---- "Load and Preprocess data": the two downloads, generated ---------------------------------------
data_dir = 'raw_data'
# !mkdir $data_dir; !cd $data_dir && wget .../Grocery_and_Gourmet_Food.json.gz && wget .../meta_Grocery_and_Gourmet_Food.json.gz
os.makedirs(data_dir)
rnd = random.Random(2021)
# theme: ([category path], [brands], [product words])
THEMES = {
    "coffee": (["Grocery & Gourmet Food", "Beverages", "Coffee, Tea & Cocoa", "Coffee", "Whole Coffee Beans"],
               ["Starbucks", "Christopher Bean Coffee", "Lola Savannah", "Coffee Masters"], ["Roast", "Blend", "Espresso"]),
    "tea": (["Grocery & Gourmet Food", "Beverages", "Coffee, Tea & Cocoa", "Tea", "Green"],
            ["Twinings", "Bigelow", "Davidson's Tea"], ["Green Tea", "Jasmine Tea", "Chai"]),
    "candy": (["Grocery & Gourmet Food", "Candy & Chocolate", "Jelly Beans & Gummy Candy"],
              ["Jelly Belly", "Albanese", "Haribo"], ["Jelly Beans", "Gummy Bears", "Sours"]),
    "vegetables": (["Grocery & Gourmet Food", "Dried Fruits & Vegetables", "Dried Vegetables"],
                   ["Karen's Naturals", "Just Tomatoes Etc."], ["Just Peas", "Just Corn", "Just Tomatoes"]),
    "seasoning": (["Grocery & Gourmet Food", "Herbs, Spices & Seasonings", "Single Herbs & Spices"],
                  ["Hoosier Hill Farm", "Frontier", "Colgin"], ["Smoked Paprika", "Mustard Powder", "Chipotle"]),
    "cake": (["Grocery & Gourmet Food", "Cooking & Baking", "Frosting, Icing & Decorations", "Cake Toppers"],
             ["Wilton", "Fondarific", "Lulu Sparkles"], ["Fondant", "Cake Topper", "Sugar Decorations"]),
    "bars": (["Grocery & Gourmet Food", "Snack Foods", "Bars", "Nutrition Bars"],
             ["KIND", "LARABAR"], ["Almond Bar", "Peanut Butter Bar", "Cashew Bar"]),
    "pasta": (["Grocery & Gourmet Food", "Pasta & Noodles", "Dry Pasta"],
              ["Barilla", "De Cecco"], ["Spaghetti", "Penne", "Fusilli"]),
}
# The ten items of the notebook's editorial query, each a product of the kind the notebook shows.
EDITORIAL = {
    "coffee": [("B0000CEUSQ", "Gingerbread Coffee, 1 lb Whole Bean"), ("B0001AVSRI", "Hazelnut Cream Coffee, Ground")],
    "seasoning": [("B0000TA3SK", "Hickory Seasoning Liquid Smoke, 128 Ounce"), ("B0005YXXDC", "Whole Caraway Seeds, 1 lb")],
    "cake": [("1888861118", "Letter C - Crystal Monogram Wedding Cake Topper"), ("1888861614", "Rhinestone Cake Topper Number 5")],
    "tea": [("0853347867", "Loose Leaf Earl Grey Tea, 8 oz")],
    "candy": [("B0000CNU3F", "Chocolate Covered Cherries, 2 lb Box")],
    "vegetables": [("B0000DBN1H", "Freeze Dried Green Beans, 6 oz")],
    "bars": [("B0000DG5CD", "Dark Chocolate Nuts & Sea Salt Bars, 12 Count")],
}
theme_of = {}
products = []
k = 0
for theme, (path, brands, words) in THEMES.items():
    named = EDITORIAL.get(theme, [])
    for j in range(36):
        k += 1
        brand = brands[j % len(brands)]
        asin, title = named[j] if j < len(named) else ("B0%08X" % (0x3000 + k * 53), f"{brand} {words[j % len(words)]} No. {j}")
        category = list(path)
        if j % 9 == 4:  # a category name too long to keep, and one no other product has
            category.append("Baking Chocolates, Carob & Cocoa Powders & Syrups")
        if j == 7:
            category.append(f"Only {theme} item {k}")
        price = ["", f"${3 + j % 17}.{(j * 7) % 100:02d}", f"${2 + j % 5}.99 - ${9 + j % 5}.99", f"${5 + j}.00"][j % 4]
        description = [f"<p>{title} by <b>{brand}</b>.</p>", f"<span>Our {words[j % len(words)].lower()} &amp; more</span>",
                       "<p>&nbsp;</p>", "<a href=\"https://example.com\">see more</a>"] if j % 5 else []
        main_cat = "Grocery" if j % 11 else "<img src=\"https://example.com/amazon-fashion.png\" class=\"nav-categ-image\" alt=\"AMAZON FASHION\"/>"
        products.append({
            "category": category, "tech1": "", "description": description, "fit": "", "title": title,
            "also_buy": [], "tech2": "", "brand": "" if j % 13 == 12 else brand, "feature": [], "rank": [],
            "also_view": [], "main_cat": main_cat, "similar_item": "", "date": "", "price": price,
            "imageURL": [], "imageURLHighRes": [], "asin": asin,
        })
        theme_of[asin] = theme
for p in products[5:7]:  # a few products of the metadata file have no title
    del p["title"]
products.append(dict(products[40], price="$4.50"))  # and some asins appear twice
with gzip.open(data_dir + '/meta_Grocery_and_Gourmet_Food.json.gz', 'wt') as f:
    f.writelines(json.dumps(p) + "\n" for p in products)

by_theme = {t: [p["asin"] for p in products[:len(theme_of)] if theme_of[p["asin"]] == t] for t in THEMES}
weights = [1.0 / (1 + j / 6) for j in range(36)]  # the first products of a theme are the popular ones
DAY = 86400
first_day, last_day = dt.date(2014, 6, 1).toordinal(), dt.date(2018, 10, 5).toordinal()
epoch = dt.date(1970, 1, 1).toordinal()
reviews = []
for u in range(700):
    reviewer = "A" + "".join(rnd.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", k=rnd.choice([12, 13])))
    liked = rnd.sample(list(THEMES), rnd.choice([1, 2, 2]))
    n = rnd.randint(1, 3) if u % 4 == 0 else rnd.randint(5, 22)  # some review too little to be kept
    day = rnd.randrange(first_day, dt.date(2017, 11, 1).toordinal())
    for _ in range(n):
        day += rnd.randrange(3, 70)
        if day > last_day:
            break
        theme = rnd.choice(liked) if rnd.random() < 0.85 else rnd.choice(list(THEMES))
        asin = rnd.choices(by_theme[theme], weights)[0]
        review = {"overall": rnd.choice([5, 5, 4, 3, 2]), "verified": True, "reviewTime": "",
                  "reviewerID": reviewer, "asin": asin, "reviewerName": "someone", "reviewText": "ok",
                  "summary": "Five Stars", "unixReviewTime": (day - epoch) * DAY}
        reviews.append(review)
        if rnd.random() < 0.03:  # the same review twice
            reviews.append(dict(review))
with gzip.open(data_dir + '/Grocery_and_Gourmet_Food.json.gz', 'wt') as f:
    f.writelines(json.dumps(r) + "\n" for r in reviews)

# ---- "Load and inspect item metadata" ----------------------------------------------------------------
# meta=pd.read_json(data_dir + '/meta_Grocery_and_Gourmet_Food.json.gz',lines=True,compression='infer')
with gzip.open(data_dir + '/meta_Grocery_and_Gourmet_Food.json.gz', 'rt') as f:
    meta = [json.loads(line) for line in f]
# meta=meta.rename(columns={'asin':'ITEM_ID'}).drop_duplicates(subset=['ITEM_ID'], keep='last')
meta = [{('ITEM_ID' if c == 'asin' else c): v for c, v in r.items()} for r in meta]
last = {r['ITEM_ID']: i for i, r in enumerate(meta)}
meta = [r for i, r in enumerate(meta) if last[r['ITEM_ID']] == i]
# meta = meta[meta.title.notnull()]
meta = [r for r in meta if r.get('title') is not None]
print('After removing items without title: {}'.format((len(meta), 19)))


class _Texts(HTMLParser):
    """BeautifulSoup(description).find_all(text = True): the text nodes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def process_description(description):
    description = description.replace('<p>&nbsp;</p>', '') # remove &nbsp from the text
    description = description.replace('<p></p>', '') # remove <p></p> from the text
    description = description.replace('<p> </p>', '') # remove <p> </p> from the text

    # remove hyper links form the text
    import re
    a_pattern = re.compile('<a.*?>')
    description = re.sub(a_pattern, '', description)
    description = description.replace('</a>', '')

    # remove spans from the text
    span_pattern = re.compile('<span.*?>')
    description = re.sub(span_pattern, '', description)
    description = description.replace('</span>', '')

    # remove <b> and </b> from the text
    description = description.replace('<b>', '')
    description = description.replace('</b>', '')

    # remove .  . and \n from the text
    description = description.replace('\n', '')

    # remove HTML
    cleanr = re.compile('<.*?>|&([a-z0-9]+|#[0-9]{1,6}|#x[0-9a-f]{1,6});')
    description = re.sub(cleanr, '', description)

    # remove extra space etc.
    description = ' '.join(description.split())

    # specifics for Amazon dataset
    description = description.replace('.  .', '')

    # from bs4 import BeautifulSoup; soup = BeautifulSoup(description); text = soup.find_all(text = True)
    soup = _Texts()
    soup.feed(description)
    soup.close()
    text = [t for t in soup.parts if t != '']

    for index, t in enumerate(text):
        if t[-1] != '.':
            text[index] += '.'

    return ' '.join(text).strip()


# meta['description']=meta.apply(lambda x:process_description(x['title']+' '+' '.join(x['description'])),axis=1)
for r in meta:
    r['description'] = process_description(r['title'] + ' ' + ' '.join(r['description']))
# meta=meta[meta['description'].apply(len)>0]
meta = [r for r in meta if len(r['description']) > 0]
print("Done cleaning the description")


#formatting price
def convert_price(row):
    v = str(row['price']).strip().replace('$', '')
    if v == '' or not v.lstrip('-').replace('.', '').isdigit():
        return np.nan
    return v


# meta['price'] = meta.apply(convert_price, axis=1)
for r in meta:
    r['price'] = convert_price(r)
# meta=meta[['category','brand','main_cat','description','price','ITEM_ID']].set_index('ITEM_ID')
# meta.rename(columns = {'category':'CATEGORY', 'brand':'BRAND', 'main_cat':'MAIN_CAT', 'price':'PRICE', 'description': 'DESCRIPTION'}, inplace = True)
meta = {r['ITEM_ID']: {'CATEGORY': r['category'], 'BRAND': r['brand'], 'MAIN_CAT': r['main_cat'],
                       'DESCRIPTION': r['description'], 'PRICE': r['price']} for r in meta}
print('Items with non-empty description+title: {}'.format((len(meta), 5)))

# unique_category=meta['CATEGORY'].explode().value_counts()
unique_category = {}
for r in meta.values():
    for c in r['CATEGORY']:
        unique_category[c] = unique_category.get(c, 0) + 1
# popular_category=unique_category[unique_category>1].reset_index()
popular_category = [c for c, n in unique_category.items() if n > 1]

#remove category values with longer than 38 char
# popular_category=popular_category[popular_category['index'].apply(len)<38]
popular_category = [c for c in popular_category if len(c) < 38]
valid_category = set(popular_category)
# meta['CATEGORY']=meta['CATEGORY'].apply(lambda x:list(set(x)& valid_category))
for r in meta.values():
    r['CATEGORY'] = list(set(r['CATEGORY']) & valid_category)

#format category values into single string separated by |
# meta['CATEGORY']=meta['CATEGORY'].apply(lambda x:'|'.join(x))
for r in meta.values():
    r['CATEGORY'] = '|'.join(r['CATEGORY'])
# meta.sample(3)
for item_id in random.Random(3).sample(sorted(meta), 3):
    print(item_id, meta[item_id])


def meta_to_csv(filename, columns):
    """meta[columns].to_csv(filename, index=True, float_format='%.2f'): PRICE holds strings, NaN is ''."""
    with open(filename, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(['ITEM_ID'] + columns)
        for item_id, r in meta.items():
            w.writerow([item_id] + ['' if isinstance(r[c], float) and np.isnan(r[c]) else r[c] for c in columns])


## Storing items with description only
items_with_desc_only_filename = "items-only-desc.csv"
meta_to_csv(items_with_desc_only_filename, ['DESCRIPTION'])

## Storing items with all the metadata
items_fullmeta_filename = "items-full-meta.csv"
meta_to_csv(items_fullmeta_filename, ['CATEGORY', 'BRAND', 'MAIN_CAT', 'DESCRIPTION', 'PRICE'])

## Storing items without description
items_meta_filename = "items-nontextual-meta.csv"
meta_to_csv(items_meta_filename, ['CATEGORY', 'BRAND', 'MAIN_CAT', 'PRICE'])

# ---- "Load review data and build interaction dataset" -----------------------------------------------
# events_df = pd.read_json(data_dir + '/Grocery_and_Gourmet_Food.json.gz', lines=True, compression='infer')
with gzip.open(data_dir + '/Grocery_and_Gourmet_Food.json.gz', 'rt') as f:
    events_df = [json.loads(line) for line in f]
# events_df = events_df[['reviewerID', 'asin', 'unixReviewTime']].rename(columns = {'reviewerID':'USER_ID', 'asin':'ITEM_ID', 'unixReviewTime':'TIMESTAMP'})
events_df = [(r['reviewerID'], r['asin'], r['unixReviewTime']) for r in events_df]
# events_df.drop_duplicates(inplace=True)
events_df = list(dict.fromkeys(events_df))
# events_df.sample(3)
print(random.Random(3).sample(events_df, 3))

# events_df = events_df[events_df.ITEM_ID.isin(set(meta.index))]
events_df = [e for e in events_df if e[1] in set(meta)]
# user_len=events_df.groupby(by='USER_ID')['TIMESTAMP'].count()
user_len = {}
for e in events_df:
    user_len[e[0]] = user_len.get(e[0], 0) + 1
# valid_users=set(user_len[user_len>3].index)
valid_users = {u for u, n in user_len.items() if n > 3}
# events_df=events_df[events_df.USER_ID.isin(valid_users)]
events_df = [e for e in events_df if e[0] in valid_users]
print("number of total interactions:{} num users:{} num items:{} ".format(len(events_df), len({e[0] for e in events_df}), len({e[1] for e in events_df})))

# events_df = events_df.sort_values(['USER_ID', 'TIMESTAMP'], kind='mergesort')
events_df = sorted(events_df, key=lambda e: (e[0], e[2]))


def to_csv(rows, filename):
    """df.to_csv(filename, index=False) of USER_ID, ITEM_ID, TIMESTAMP rows."""
    with open(filename, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(['USER_ID', 'ITEM_ID', 'TIMESTAMP'])
        w.writerows(rows)


to_csv(events_df, "all_interactions.csv")

# plt.figure(figsize=(10,5)); events_df['TIMESTAMP'].astype('datetime64[s]').hist(bins=100,xrot=90): not drawn

# ---- "Split train and test data" --------------------------------------------------------------------
test_start_date  = [2018,2,1]
test_start  = dt.datetime(*test_start_date).timestamp()
# train_df=events_df[events_df['TIMESTAMP']<test_start]; test_df=events_df[events_df['TIMESTAMP']>=test_start]
train_df = [e for e in events_df if e[2] < test_start]
test_df = [e for e in events_df if e[2] >= test_start]
# warm_user=set(train_df['USER_ID'].unique())&set(test_df['USER_ID'].unique())
warm_user = {e[0] for e in train_df} & {e[0] for e in test_df}
print('number of train users:{}'.format(len({e[0] for e in train_df})))
print('number of warm test users who have non-empty interaction in TRAIN:{}'.format(len(warm_user)))
print('number of total users in TEST:{}, removed {} cold users from TEST'.format(len({e[0] for e in test_df}), len({e[0] for e in test_df})-len(warm_user)))
# test_df=test_df[test_df['USER_ID'].isin(warm_user)]
test_df = [e for e in test_df if e[0] in warm_user]

interactions_filename = "interactions.csv"
# train_df.to_csv(interactions_filename, index=False)
to_csv(train_df, interactions_filename)

# ---- "Get the Personalize API model Json and Personalize Boto3 Client" -----------------------------
# !aws configure add-model --service-model file://`pwd`/personalize.normal.json --service-name personalize
personalize = boto3.client(service_name = 'personalize', endpoint_url=endpoint)
# s3 =boto3.client('s3')


def s3_local(url):
    """An s3:// URL of the bucket as its file in the bucket's local folder."""
    return os.path.join(bucket_dir, url[len("s3://" + bucket_name + "/"):])


# ---- "Helper functions" -----------------------------------------------------------------------------
def print_s3_file_content(bucket, key, limit=None):
    # obj = s3.get_object(Bucket=bucket, Key=key)
    with open(os.path.join(bucket_dir, key), "rb") as obj:
        body = obj.read()

    i = 0
    for line in body.decode("utf-8").split("\n"):
        print(line)
        i+=1
        if limit is not None and i > limit:
            break

max_time = time.time() + 3 * 60 * 60 # 3 hours

def wait_for_dataset_group_job(dataset_group_arn):
    max_time = time.time() + 3 * 60 * 60
    while time.time() < max_time:
        describe_dataset_group_response = personalize.describe_dataset_group(
            datasetGroupArn = dataset_group_arn
        )
        status = describe_dataset_group_response["datasetGroup"]["status"]
        print("DatasetGroup: {}".format(status))

        if status == "ACTIVE" or status == "CREATE FAILED":
            break

        time.sleep(0.2)
    statuses[dataset_group_arn] = status

def wait_for_dataset_import_job(dataset_import_job_arn):
    max_time = time.time() + 3 * 60 * 60
    while time.time() < max_time:
        describe_dataset_import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn = dataset_import_job_arn
        )
        status = describe_dataset_import_job_response["datasetImportJob"]['status']
        print("DatasetImportJob: {}".format(status))

        if status == "ACTIVE" or status == "CREATE FAILED":
            break

        time.sleep(0.2)
    statuses[dataset_import_job_arn] = status
    if status != "ACTIVE":
        fail(f"import {dataset_import_job_arn} ended {status}: {describe_dataset_import_job_response['datasetImportJob'].get('failureReason')}")

def wait_for_solution_version_job(solution_version_arn):
    max_time = time.time() + 3 * 60 * 60
    while time.time() < max_time:
        describe_solution_version_response = personalize.describe_solution_version(
            solutionVersionArn = solution_version_arn
        )
        status = describe_solution_version_response["solutionVersion"]["status"]
        print("SolutionVersion: {}".format(status))

        start = describe_solution_version_response["solutionVersion"]["creationDateTime"]
        end = describe_solution_version_response["solutionVersion"]["lastUpdatedDateTime"]
        if status == "ACTIVE":
            print("Time took: {}".format(end - start))
            break
        if status == "CREATE FAILED":
            print("Time took: {}".format(end - start))
            print("Job Failed: {}".format(describe_solution_version_response["solutionVersion"]["failureReason"]))
            break

        time.sleep(0.2)
    statuses[solution_version_arn] = status
    if status != "ACTIVE":
        fail(f"solution version {solution_version_arn} ended {status}")

def wait_for_batch_segment_job(batch_segment_job_arn):
    max_time = time.time() + 3 * 60 * 60
    while time.time() < max_time:
        describe_job_response = personalize.describe_batch_segment_job(
            batchSegmentJobArn = batch_segment_job_arn
        )
        status = describe_job_response["batchSegmentJob"]["status"]
        print("Batch Segment Job: {}".format(status))

        start = describe_job_response["batchSegmentJob"]["creationDateTime"]
        end = describe_job_response["batchSegmentJob"]["lastUpdatedDateTime"]
        if status == "ACTIVE":
            print("Time took: {}".format(end - start))
            break
        if status == "CREATE FAILED":
            print("Time took: {}".format(end - start))
            print("Job Failed: {}".format(describe_job_response["batchSegmentJob"]["failureReason"]))
            break

        time.sleep(0.2)
    statuses[batch_segment_job_arn] = status
    jobs[batch_segment_job_arn] = describe_job_response["batchSegmentJob"]
    if status != "ACTIVE":
        fail(f"batch segment job {batch_segment_job_arn} ended {status}")


def import_dataset(job_name, dataset_arn, data_s3_url, role_arn):
    max_time = time.time() + 3 * 60 * 60
    dataset_import_job_response = personalize.create_dataset_import_job(
        jobName = job_name,
        datasetArn = dataset_arn,
        dataSource = {
            "dataLocation": data_s3_url
        },
        roleArn = role_arn
    )

    dataset_import_job_arn = dataset_import_job_response['datasetImportJobArn']
    print(dataset_import_job_arn)

    wait_for_dataset_import_job(dataset_import_job_arn)


statuses = {}  # (not in the notebook: each resource's final status, for the summary)
jobs = {}

# ==== "Item affinity recipe" =========================================================================
# ---- "1.1 Create Schema" ----------------------------------------------------------------------------
interactions_schema = {
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
  "version": 1
}

create_schema_response = personalize.create_schema(
    name = "notebook-amazon-grocery-meta-interaction-schema-demo",
    schema = json.dumps(interactions_schema)
)

interactions_schema_arn = create_schema_response['schemaArn']
print(interactions_schema_arn)

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
      "name": "DESCRIPTION",
      "type": [
        "string",
        "null"
      ],
      "textual": True
    }
  ],
  "version": 1
}

create_schema_response = personalize.create_schema(
    name = "notebook-amazon-grocery-meta-item-schema-demo",
    schema = json.dumps(items_schema)
)

items_schema_arn = create_schema_response['schemaArn']
print(items_schema_arn)

# ---- "1.2 Create dataset group" ---------------------------------------------------------------------
create_dataset_group_response = personalize.create_dataset_group(
    name = "notebook-amazon-grocery-meta-demo"
)

dataset_group_arn = create_dataset_group_response['datasetGroupArn']
print(dataset_group_arn)
affinity_dataset_group_arn = dataset_group_arn

wait_for_dataset_group_job(dataset_group_arn)

# ---- "1.3 Create Datasets" --------------------------------------------------------------------------
create_dataset_response = personalize.create_dataset(
    name = "interactions",
    datasetType = "INTERACTIONS",
    datasetGroupArn = dataset_group_arn,
    schemaArn = interactions_schema_arn
)

interactions_dataset_arn = create_dataset_response['datasetArn']
print(interactions_dataset_arn)

create_dataset_response = personalize.create_dataset(
    name = "items",
    datasetType = "ITEMS",
    datasetGroupArn = dataset_group_arn,
    schemaArn = items_schema_arn
)

items_dataset_arn = create_dataset_response['datasetArn']
print(items_dataset_arn)

# ---- "1.4 Create dataset import job": region, bucket, uploads, policy, role --------------------------
# with open('/opt/ml/metadata/resource-metadata.json') as notebook_info: ... region = resource_arn.split(':')[3]
region = "us-east-1"
print(region)

# account_id = boto3.client('sts').get_caller_identity().get('Account')
# bucket_name = account_id + "-" + region + "-" + "personalize-user-segmentation-demo"; s3.create_bucket(...)
bucket_name = bucket_dir_name
print(bucket_name)

# boto3.Session().resource('s3').Bucket(bucket_name).Object(interactions_filename).upload_file(interactions_filename)
shutil.copy(interactions_filename, os.path.join(bucket_dir, interactions_filename))
# boto3.Session().resource('s3').Bucket(bucket_name).Object(items_with_desc_only_filename).upload_file(items_with_desc_only_filename)
shutil.copy(items_with_desc_only_filename, os.path.join(bucket_dir, items_with_desc_only_filename))

# s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
# iam.create_role(...); iam.attach_role_policy(...) x 2, then:
time.sleep(0.5) # wait for a minute to allow IAM role policy attachment to propagate
role_name = "MyNotebookPersonalizeRoleDemo" + "000000000000"
role_arn = "arn:aws:iam::000000000000:role/" + role_name
print(role_arn)

# ---- "1.5 Create dataset import job" ----------------------------------------------------------------
interactions_s3_url = "s3://"+bucket_name+"/"+interactions_filename
import_dataset("notebook-ag-inters-import", interactions_dataset_arn, interactions_s3_url, role_arn)

items_s3_url =        "s3://"+bucket_name+"/"+items_with_desc_only_filename
import_dataset("notebook-items-textual-import", items_dataset_arn, items_s3_url, role_arn)

# ---- "2. Create Solution" ---------------------------------------------------------------------------
item_user_recipe = 'arn:aws:personalize:::recipe/aws-item-affinity'

create_solution_response = personalize.create_solution(
    name = "item-affinity-amazon-grocery-meta-demo",
    datasetGroupArn = dataset_group_arn,
    recipeArn = item_user_recipe,
)
solution_arn = create_solution_response['solutionArn']

describe_solution_response = personalize.describe_solution(solutionArn = solution_arn)
print(describe_solution_response)
affinity_solution = describe_solution_response['solution']

create_solution_version_response = personalize.create_solution_version(
    solutionArn = solution_arn
)
solution_version_arn = create_solution_version_response['solutionVersionArn']
print(solution_version_arn)
affinity_version_arn = solution_version_arn

wait_for_solution_version_job(solution_version_arn)

# ---- "2.4 Get Metrics" ------------------------------------------------------------------------------
get_solution_metrics_response = personalize.get_solution_metrics(solutionVersionArn=solution_version_arn)
print(get_solution_metrics_response['metrics'])
affinity_metrics = get_solution_metrics_response['metrics']

# ---- "3. Create Batch Segment Job" ------------------------------------------------------------------
# groundtruth=test_df.groupby('ITEM_ID')['USER_ID'].unique()
groundtruth = {}
for u, i, _ in test_df:
    groundtruth.setdefault(i, [])
    if u not in groundtruth[i]:
        groundtruth[i].append(u)
groundtruth = dict(sorted(groundtruth.items()))
#sample 500 items from test data as test queries
# test_labels=groundtruth.sample(n=500,random_state=10)   (50 here: see the docstring)
test_labels = {i: groundtruth[i] for i in random.Random(10).sample(list(groundtruth), 50)}
# test_labels.reset_index()[['ITEM_ID']].rename(columns={'ITEM_ID':'itemId'}).to_json('query-amazon-grocery.json',orient='records',lines=True)
with open('query-amazon-grocery.json', 'w') as f:
    f.write("\n".join(json.dumps({"itemId": i}, separators=(',', ':')) for i in test_labels) + "\n")
# test_labels=test_labels.to_frame('target_users')
print(test_labels)

# example json lines in the input file:
# {"itemId": "1"}
# {"itemId": "2"}
# {"itemId": "3"}
# ...
batch_file_name = 'query-amazon-grocery.json'
# boto3.Session().resource('s3').Bucket(bucket_name).Object(batch_file_name).upload_file(batch_file_name)
shutil.copy(batch_file_name, os.path.join(bucket_dir, batch_file_name))
batch_input_path = "s3://"+bucket_name+"/"+batch_file_name
batch_output_path = "s3://"+bucket_name+"/output/"
print_s3_file_content(bucket=bucket_name, key=batch_file_name,limit=3)
# these are the file contents

# topk=len(train_df['USER_ID'].unique())//100
topk = len({e[0] for e in train_df})//100
print(topk)

# change the jobName if already exists
create_batch_segment_response = personalize.create_batch_segment_job(
    jobName = "notebook-query-demo-500",
    solutionVersionArn = solution_version_arn,
    numResults = topk,
    jobInput =  {
        "s3DataSource": {
            "path": batch_input_path
        }
    },
    jobOutput = {
        "s3DataDestination": {
            "path": batch_output_path
        }
    },
    roleArn = role_arn # defined in Step 1.4.2
    )

batch_segment_job_arn = create_batch_segment_response['batchSegmentJobArn']
print(batch_segment_job_arn)
test_job_arn = batch_segment_job_arn

wait_for_batch_segment_job(batch_segment_job_arn)


# ---- "Computing evaluation metrics on test data" ----------------------------------------------------
def get_hit_recall_k(k, topk, grndtruth):
    """ compare topk and gnd; (the DataFrame's column means)
    """
    # df = grndtruth.join(topk.reindex(grndtruth.index, fill_value=[]).to_frame('pred'))
    # hit = df.apply(lambda x: len(set(x['pred']).intersection(x['target_users'])),axis=1)
    hit = {i: len(set(topk.get(i, [])).intersection(target)) for i, target in grndtruth.items()}
    # recall = hit / grndtruth['target_users'].apply(lambda x:min(len(x),k))
    recall = {i: hit[i] / min(len(target), k) for i, target in grndtruth.items()}
    return {'hits @ top-{}'.format(k): sum(hit.values()) / len(hit), 'recall @ top-{}'.format(k): sum(recall.values()) / len(recall)}


batch_file_name = "query-amazon-grocery.json"
output_file_name_s3 = batch_output_path+batch_file_name+".out"
# output=pd.read_json(output_file_name_s3, lines = True)
with open(s3_local(output_file_name_s3)) as f:
    output = [json.loads(line) for line in f if line.strip()]
# prediction=output.apply(lambda x:pd.Series({'ITEM_ID':x['input']['itemId'],'USER_ID':x['output']['usersList']}),axis=1).set_index('ITEM_ID')['USER_ID']
prediction = {x['input']['itemId']: x['output']['usersList'] for x in output}
print(random.Random(3).sample(output, 3))
test_output = output

print('Test metrics for Personalized-item-affinity')
affinity_test_metrics = get_hit_recall_k(topk,prediction,test_labels)
print(affinity_test_metrics)

#implement popularity baseline
# pop_users=train_df.groupby('USER_ID')['TIMESTAMP'].count()
pop_users = {}
for u, _, _ in train_df:
    pop_users[u] = pop_users.get(u, 0) + 1
# prediction_pop=pd.Series([pop_users.sort_values(ascending=False).index.values[:topk].tolist() for _ in range(len(test_labels))], index=test_labels.index)
most_active = sorted(pop_users, key=lambda u: -pop_users[u])[:topk]
prediction_pop = {i: most_active for i in test_labels}
print('Test metrics for Popularity baseline')
popularity_test_metrics = get_hit_recall_k(topk,prediction_pop,test_labels)
print(popularity_test_metrics)

# ---- "Editorial Inspection" -------------------------------------------------------------------------
# obj = s3.get_object(Bucket=bucket_name,Key=interactions_filename); df = pd.read_csv(io.BytesIO(obj['Body'].read()))
with open(os.path.join(bucket_dir, interactions_filename), newline="") as obj:
    df = list(csv.DictReader(obj))
# obj = s3.get_object(Bucket=bucket_name,Key=items_with_desc_only_filename); df_items = pd.read_csv(io.BytesIO(obj['Body'].read()))
with open(os.path.join(bucket_dir, items_with_desc_only_filename), newline="") as obj:
    df_items = list(csv.DictReader(obj))

editorial_test_item_ids = [{"itemId": "0853347867"},{"itemId": "1888861118"},{"itemId": "1888861614"},{"itemId": "B0000CEUSQ"},{"itemId": "B0000CNU3F"},{"itemId": "B0000DBN1H"},{"itemId": "B0000DG5CD"},{"itemId": "B0000TA3SK"},{"itemId": "B0001AVSRI"},{"itemId": "B0005YXXDC"}]
editorial_batch_file_name = 'editorial_test_item_ids.json'
# editorial_test_item_ids_sr= pd.Series(editorial_test_item_ids); editorial_test_item_ids_sr.to_json(editorial_batch_file_name,orient='records',lines=True)
with open(editorial_batch_file_name, 'w') as f:
    f.write("\n".join(json.dumps(x, separators=(',', ':')) for x in editorial_test_item_ids) + "\n")
# boto3.Session().resource('s3').Bucket(bucket_name).Object(editorial_batch_file_name).upload_file(editorial_batch_file_name)
shutil.copy(editorial_batch_file_name, os.path.join(bucket_dir, editorial_batch_file_name))
editorial_batch_input_path = "s3://"+bucket_name+"/"+editorial_batch_file_name
editorial_batch_output_path = "s3://"+bucket_name+"/output/"
print_s3_file_content(bucket=bucket_name, key=editorial_batch_file_name,limit=10)

create_batch_segment_response = personalize.create_batch_segment_job(
    jobName = "notebook-query-editorial-demo",
    solutionVersionArn = solution_version_arn,
    numResults = 10,
    jobInput =  {
        "s3DataSource": {
            "path": editorial_batch_input_path
        }
    },
    jobOutput = {
        "s3DataDestination": {
            "path": editorial_batch_output_path
        }
    },
    roleArn = role_arn 
    )

batch_segment_job_arn = create_batch_segment_response['batchSegmentJobArn']
print(batch_segment_job_arn)
editorial_job_arn = batch_segment_job_arn

wait_for_batch_segment_job(batch_segment_job_arn)

descriptions = {r['ITEM_ID']: r['DESCRIPTION'] for r in df_items}  # df_items.set_index('ITEM_ID')


def user_history(userId):
    """df[df['USER_ID']==userId].join(df_items.set_index('ITEM_ID'), on='ITEM_ID').sort_values('TIMESTAMP', kind='mergesort')"""
    rows = [dict(r, DESCRIPTION=descriptions.get(r['ITEM_ID'])) for r in df if r['USER_ID'] == userId]
    return sorted(rows, key=lambda r: int(r['TIMESTAMP']))


def print_query_item_user_len_user_last(itemId, usersList):
    print(descriptions[itemId])
    user_list_df = []
    for userId in usersList:
        user_hist = user_history(userId)
        user_list_df.append([userId,
            len(user_hist)]+[r['DESCRIPTION'].split(',')[0][0:50] for r in user_hist[-1:-4:-1]])
    # display(pd.DataFrame(user_list_df, columns=['USER_ID','len', 'last purchase','last but 1 purchase','last but 2 purchase']).set_index('USER_ID'))
    for row in user_list_df:
        print(row)

def print_query_item_user_last10(itemId, userId, k=10):
    print(descriptions[itemId])
    user_hist = user_history(userId)
    print('\n'.join(r['DESCRIPTION'].split(',')[0][0:50] for r in user_hist[-1:(-1-k):-1]))


editorial_batch_file_name = "editorial_test_item_ids.json"
output_file_name_s3 = batch_output_path+editorial_batch_file_name+".out"
# output=pd.read_json(output_file_name_s3, lines = True)
with open(s3_local(output_file_name_s3)) as f:
    output = [json.loads(line) for line in f if line.strip()]
# detail=output.apply(lambda x:pd.Series({'ITEM_ID':x['input']['itemId'],'USER_ID':x['output']['usersList']}),axis=1).set_index('ITEM_ID')['USER_ID']
detail = {x['input']['itemId']: x['output']['usersList'] for x in output}
# pd.options.display.max_colwidth=250
editorial_output = output

for item in ["B0000CEUSQ","B0000TA3SK","1888861118"]:
    print_query_item_user_len_user_last(
    item,detail[item])

# ==== "Item attribute affinity" ======================================================================
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
            "name": "CATEGORY",
            "type": ["null", "string"],
            "categorical": True
        },
        {
            "name": "BRAND",
            "type": ["null", "string"],
            "categorical": True
        },
        {
            "name": "MAIN_CAT",
            "type": ["null", "string"],
            "categorical": True
        },
        {
            "name": "PRICE",
            "type": [ "null", "float" ],
        }
    ],
    "version": "1.0"
}
create_schema_response = personalize.create_schema(
    name = "amazon-grocery-meta-item-schema-demo",
    schema = json.dumps(items_schema)
)

items_schema_arn = create_schema_response['schemaArn']
print(items_schema_arn)

create_dataset_group_response = personalize.create_dataset_group(
    name = "amazon-grocery-attr-meta-demo"
)

dataset_group_arn = create_dataset_group_response['datasetGroupArn']
print(dataset_group_arn)
attribute_dataset_group_arn = dataset_group_arn

wait_for_dataset_group_job(dataset_group_arn)

create_dataset_response = personalize.create_dataset(
    name = "interactions",
    datasetType = "INTERACTIONS",
    datasetGroupArn = dataset_group_arn,
    schemaArn = interactions_schema_arn
)

interactions_dataset_arn = create_dataset_response['datasetArn']
print(interactions_dataset_arn)

create_dataset_response = personalize.create_dataset(
    name = "items",
    datasetType = "ITEMS",
    datasetGroupArn = dataset_group_arn,
    schemaArn = items_schema_arn
)

items_dataset_arn = create_dataset_response['datasetArn']
print(items_dataset_arn)

#Lets upload the dataset into S3

# boto3.Session().resource('s3').Bucket(bucket_name).Object(items_meta_filename).upload_file(items_meta_filename)
shutil.copy(items_meta_filename, os.path.join(bucket_dir, items_meta_filename))
items_s3_url = "s3://"+bucket_name+"/"+items_meta_filename

import_dataset("notebook-item-attr-inters-import", interactions_dataset_arn, interactions_s3_url, role_arn)

import_dataset("notebook-item-attr-meta-import", items_dataset_arn, items_s3_url, role_arn)

item_attri_user_recipe = 'arn:aws:personalize:::recipe/aws-item-attribute-affinity'

create_solution_response = personalize.create_solution(
    name = "item-attr-affinity-amazon-grocery-demo",
    datasetGroupArn = dataset_group_arn,
    recipeArn = item_attri_user_recipe,
)
solution_arn = create_solution_response['solutionArn']

describe_solution_response = personalize.describe_solution(solutionArn = solution_arn)
print(describe_solution_response)
attribute_solution = describe_solution_response['solution']

create_solution_version_response = personalize.create_solution_version(
    solutionArn = solution_arn
)
solution_version_arn = create_solution_version_response['solutionVersionArn']
print(solution_version_arn)
attribute_version_arn = solution_version_arn

wait_for_solution_version_job(solution_version_arn)

get_solution_metrics_response = personalize.get_solution_metrics(solutionVersionArn=solution_version_arn)
print(get_solution_metrics_response['metrics'])
attribute_metrics = get_solution_metrics_response['metrics']

# ---- "3.1 Prepare input query data" -----------------------------------------------------------------
attr_query='{"itemAttributes":"ITEMS.CATEGORY = \\"Candy & Chocolate\\""}\n{"itemAttributes":"ITEMS.CATEGORY = \\"Coffee, Tea & Cocoa\\""}\n{"itemAttributes":"ITEMS.CATEGORY = \\"Dried Vegetables\\""}\n{"itemAttributes":"ITEMS.BRAND = \\"Starbucks\\""}\n{"itemAttributes":"ITEMS.BRAND = \\"Jelly Belly\\""}'
print(repr(attr_query))

with open("query-amazon-grocery-attribute.json", "w") as f:
    f.write(attr_query)

# pd.read_json("query-amazon-grocery-attribute.json",lines = True)
with open("query-amazon-grocery-attribute.json") as f:
    print([json.loads(line) for line in f])

batch_file_name = 'query-amazon-grocery-attribute.json'
# boto3.Session().resource('s3').Bucket(bucket_name).Object(batch_file_name).upload_file(batch_file_name)
shutil.copy(batch_file_name, os.path.join(bucket_dir, batch_file_name))
batch_input_path = "s3://"+bucket_name+"/"+batch_file_name
batch_output_path = "s3://"+bucket_name+"/output/"
print_s3_file_content(bucket=bucket_name, key=batch_file_name,limit=10)
# these are the file contents

# change the jobName if already exists
create_batch_segment_response = personalize.create_batch_segment_job(
    jobName = "amazon-grocery-attribute-demo",
    solutionVersionArn = solution_version_arn,
    numResults = 10,
    jobInput =  {
        "s3DataSource": {
            "path": batch_input_path
        }
    },
    jobOutput = {
        "s3DataDestination": {
            "path": batch_output_path
        }
    },
    roleArn = role_arn
    )

batch_segment_job_arn = create_batch_segment_response['batchSegmentJobArn']
print(batch_segment_job_arn)
attribute_job_arn = batch_segment_job_arn

wait_for_batch_segment_job(batch_segment_job_arn)

# ---- "3.3 Visually Inspect Results" -----------------------------------------------------------------
batch_file_name = 'query-amazon-grocery-attribute.json'
batch_output_path = "s3://"+bucket_name+"/output/"+batch_file_name+".out"

# output=pd.read_json(batch_output_path, lines = True)
with open(s3_local(batch_output_path)) as f:
    output = [json.loads(line) for line in f if line.strip()]
attribute_output = output
# detail=output.apply(lambda x:pd.Series({'query':x['input']['itemAttributes'],'USER_ID':x['output']['usersList'][0:10]}),axis=1)
detail = [{'query': x['input']['itemAttributes'], 'USER_ID': x['output']['usersList'][0:10]} for x in output]
for x in detail:
    # detail['Attribute_type']=detail['query'].apply(lambda x:x.split(' = ')[0].split('.')[1])
    x['Attribute_type'] = x['query'].split(' = ')[0].split('.')[1]
    # detail['Attribute_value']=detail['query'].apply(lambda x:x.split(' = ')[1].strip('"'))
    x['Attribute_value'] = x['query'].split(' = ')[1].strip('"')
# detail[['Attribute_type','Attribute_value','USER_ID']]
for x in detail:
    print(x['Attribute_type'], x['Attribute_value'], x['USER_ID'])

# obj = s3.get_object(Bucket=bucket_name,Key=interactions_filename); df2 = pd.read_csv(io.BytesIO(obj['Body'].read()))
with open(os.path.join(bucket_dir, interactions_filename), newline="") as obj:
    df2 = list(csv.DictReader(obj))
attr2item={}
item2attr2={}
# meta=meta.fillna('nan')
meta = {i: {c: ('nan' if isinstance(v, float) and np.isnan(v) else v) for c, v in r.items()} for i, r in meta.items()}
for attr_type in ['CATEGORY','BRAND','MAIN_CAT']:
    # item2attr2[attr_type]=meta[attr_type].apply(lambda x:str(x).split('|')).explode()
    item2attr2[attr_type] = {i: str(r[attr_type]).split('|') for i, r in meta.items()}
    # attr2item[attr_type]=item2attr2[attr_type].reset_index().set_index(attr_type)
    attr2item[attr_type] = {}
    for i, values in item2attr2[attr_type].items():
        for v in values:
            attr2item[attr_type].setdefault(v, []).append(i)
analyses = {}  # (not in the notebook: the tables print_analysis displays, for the summary)
def print_analysis(attribute_type, attribute_value, usersList):
    print('Recommended top 10 users for {}:{}'.format(attribute_type, attribute_value))
    user_list_df = []
    for userId in usersList:
        # user_hist = df2[df2['USER_ID']==userId].join(meta, on='ITEM_ID').sort_values('TIMESTAMP', kind='mergesort',ascending=False)
        user_hist = sorted([dict(r, **meta[r['ITEM_ID']]) for r in df2 if r['USER_ID'] == userId],
                           key=lambda r: -int(r['TIMESTAMP']))
        # past_count=item2attr2[attribute_type].loc[user_hist['ITEM_ID'].to_list()].value_counts()
        past_count = {}
        for r in user_hist:
            for v in item2attr2[attribute_type][r['ITEM_ID']]:
                past_count[v] = past_count.get(v, 0) + 1
        if not attribute_value in past_count:
            past_count[attribute_value]=0
        user_list_df.append([userId,
            len(user_hist),past_count[attribute_value]]+[r['DESCRIPTION'].split(',')[0][0:50] for r in user_hist[-1:-4:-1]])
    # display(pd.DataFrame(user_list_df, columns=['USER_ID','history_len','num_visit_of_queried_attribute' ,'last purchase','last but 1 purchase','last but 2 purchase']).set_index('USER_ID'))
    for row in user_list_df:
        print(row)
    print('=======================================================================================')
    analyses[attribute_type + ':' + attribute_value] = user_list_df
# detail2=detail.set_index(['Attribute_type','Attribute_value'])
detail2 = {(x['Attribute_type'], x['Attribute_value']): x for x in detail}

print_analysis('CATEGORY', 'Dried Vegetables', detail2[('CATEGORY', 'Dried Vegetables')]['USER_ID'])

print_analysis('BRAND', 'Starbucks', detail2[('BRAND', 'Starbucks')]['USER_ID'])

# ---- (not in the notebook: what the test checks the outputs against) --------------------------------
train_items = {e[1] for e in train_df}


def theme_share(user_id, theme):
    """The share of a user's training interactions that are products of the theme."""
    items = [e[1] for e in train_df if e[0] == user_id]
    return sum(theme_of[i] == theme for i in items) / len(items) if items else 0.0


def attribute_share(user_id, attribute_type, attribute_value):
    """The share of a user's training interactions with an item having the attribute value."""
    items = [e[1] for e in train_df if e[0] == user_id]
    return sum(attribute_value in item2attr2[attribute_type][i] for i in items) / len(items) if items else 0.0


job_fields = ["jobName", "batchSegmentJobArn", "status", "numResults", "solutionVersionArn", "jobInput",
              "jobOutput", "roleArn", "failureReason"]
with open(os.path.join(bucket_dir, "query-amazon-grocery-attribute.json")) as f:
    attribute_input = [json.loads(line) for line in f if line.strip()]
summary({
    "ok": True,
    "statuses": statuses,
    "datasetGroups": [affinity_dataset_group_arn, attribute_dataset_group_arn],
    "solutions": {k: {f: s.get(f) for f in ["name", "solutionArn", "recipeArn", "status", "datasetGroupArn"]}
                  for k, s in [("affinity", affinity_solution), ("attribute", attribute_solution)]},
    "versions": {"affinity": affinity_version_arn, "attribute": attribute_version_arn},
    "metrics": {"affinity": affinity_metrics, "attribute": attribute_metrics},
    "jobs": {k: {f: jobs[arn].get(f) for f in job_fields} for k, arn in
             [("test", test_job_arn), ("editorial", editorial_job_arn), ("attribute", attribute_job_arn)]},
    "bucketOutput": sorted(os.listdir(os.path.join(bucket_dir, "output"))),
    "trainUsers": sorted({e[0] for e in train_df}),
    "allUsers": len({e[0] for e in events_df}),
    "topk": topk,
    "testInput": list(test_labels),
    "testItemsInTraining": sum(i in train_items for i in test_labels),
    "testOutput": test_output,
    "testMetrics": {"affinity": affinity_test_metrics, "popularity": popularity_test_metrics},
    "mostActive": most_active,
    # for each test item: its theme, and the mean share of that theme in its users' histories
    "testShares": [{"theme": theme_of[x["input"]["itemId"]],
                    "share": sum(theme_share(u, theme_of[x["input"]["itemId"]]) for u in x["output"]["usersList"]) / max(1, len(x["output"]["usersList"]))}
                   for x in test_output],
    "editorialInput": [x["itemId"] for x in editorial_test_item_ids],
    "editorialOutput": editorial_output,
    "editorialThemes": {x["itemId"]: theme_of[x["itemId"]] for x in editorial_test_item_ids},
    # for each editorial item: its users' share of the item's theme, and every user's on average
    "editorialShares": {x["input"]["itemId"]: [theme_share(u, theme_of[x["input"]["itemId"]]) for u in x["output"]["usersList"]]
                        for x in editorial_output},
    "themeBaseline": {t: sum(theme_share(u, t) for u in pop_users) / len(pop_users) for t in THEMES},
    "attributeInput": attribute_input,
    "attributeOutput": attribute_output,
    "attributeShares": {x["query"]: [attribute_share(u, x["Attribute_type"], x["Attribute_value"]) for u in x["USER_ID"]]
                        for x in detail},
    "attributeBaseline": {x["query"]: sum(attribute_share(u, x["Attribute_type"], x["Attribute_value"]) for u in pop_users) / len(pop_users)
                          for x in detail},
    "analyses": analyses,
})

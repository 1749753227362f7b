"""AWS's notebook next_steps/core_use_cases/metadata/item-text-unstructured-metadata.ipynb
(aws-samples/amazon-personalize-samples) against a running openpersonalize, its boto3 cells as
written: Amazon Prime Pantry reviews above 3 stars as an Interactions dataset (USER_ID, ITEM_ID,
TIMESTAMP, EVENT_VALUE the star rating, EVENT_TYPE 'reviewed'), the products' metadata cleaned of
HTML as an Items dataset (ITEM_ID, categorical BRAND, PRICE), twice: in a dataset group
"amazon-pantry-without-desc" without, and in "amazon-pantry-with-desc" with the unstructured
DESCRIPTION column ("textual": True); one Interactions schema shared by both groups, an Items
schema for each; the four imports; list_recipes; an aws-user-personalization solution and version
in each group, trained side by side, the notebook's comparison of their trainingHours and of their
offline metrics (the "% Change" table). The notebook's clean-up is a link to a gist "run locally to
delete all resources in each dataset group".

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Credentials and region come from the environment. Exits non-zero with the reason
on stderr; prints a JSON summary on stdout.

The notebook downloads Prime_Pantry.json.gz (gzipped JSON lines, one review each: overall 1-5,
verified, reviewTime "MM D, YYYY", reviewerID, asin, reviewerName, reviewText, summary,
unixReviewTime at midnight UTC, and sometimes vote, image, style) and meta_Prime_Pantry.json.gz
(one product each: category, tech1, description as a list of HTML fragments, fit, title, also_buy,
tech2, brand, feature, rank, also_view, details, main_cat, similar_item, date, price as "$x.xx" or
"" or a range, asin, imageURL, imageURLHighRes; one asin listed twice) and reads them with pandas;
here files of that shape are generated in raw_data/ with a seeded random.Random: 800 products in 16
pantry categories (coffee, candy, pet food, cleaning, ...; 50 each, sorted by asin, the first
listed twice), each with a brand of its category and a description made of three of its category's
phrases in HTML markup (<b>, <p>, <ul><li>, <br>, &amp;, &trade;, quotes, runs of whitespace; 5 %
with no description, 3 % with only empty fragments), a third without a price and 3 % with a price
range (both NaN after convert_price); 2,400 reviewers who each prefer one or two categories (80 %
of their reviews, mostly 4-5 stars there, 1-5 elsewhere) with a popularity skew inside each category, 2 to 30 reviews each (about 7
on average), dated 2014-2018, sorted by asin and newest first as the real file. pandas is not
installed: each pandas step is done with the csv, gzip and json modules, the pandas line quoted
above it (a missing key is NaN, overall an int column; to_csv(index=False) with float_format
'%.0f' for the interactions and '%.2f' for the items, NaN written as an empty cell). lxml is not
installed either: `from lxml import html` is replaced by a stand-in of the one call the notebook
makes, html.fromstring(s).text_content(), written here on the standard library's html.parser
(the text of every node, entities decoded), so clean_markup runs as written.

Changed from the notebook, and only these: endpoint_url= in the boto3.client call (and in the
added personalize-runtime client and the clean-up module's client); the data generated instead of
downloaded (see above; no mkdir or wget); `from lxml import html` replaced (see above); the region
from the environment instead of SageMaker's metadata file; no S3 client and no STS call: the bucket (account_id + "-" + region +
"-amazon-pantry-personalize-text", s3.create_bucket) is the given folder of the service's local
store and the three upload_file cells a copy into it, under the same keys; no bucket policy, no
IAM role (the role ARN is a constant, and the 20 s sleep after the role is 0.2 s); the sleeps of the
wait loops 0.2 s instead of 10 s and 60 s, %%time not run; DataFrame displays (head(), describe(),
value_counts(), shape) are prints, and the metrics table (pd.DataFrame.from_dict) is the dict it is
built from. The clean-up gist (gist.github.com/james-jory/62ddddf2f9180b77dd2a42e645b9d3b0) is
neither fetched nor reproduced: the script writes a module of its own, cleanup_dataset_groups.py,
whose delete_dataset_groups(dataset_group_arns) deletes each group's campaigns, solutions, event
trackers, filters, datasets, the schemas no other dataset uses, then the group, waiting for each,
and runs it as the notebook says, locally (python3 cleanup_dataset_groups.py ARN ARN).

Added, not in the notebook: after each wait loop a describe of what it waited for (the script
stops when that is not ACTIVE); describe_schema of the three schemas; describe_solution and
describe_solution_version of both solutions; get_solution_metrics once more to keep each answer as
it is (its keys in order); a dataset export job (BULK) of the Items dataset with descriptions,
its file compared row by row with items-with-desc.csv, to see the text imported as written; for
the "online inspection of recommendations" the notebook announces but does not make, a campaign of
each version (minProvisionedTPS 1) and GetRecommendations for 20 reviewers sampled from the
interactions, with, for the first of them, the titles of both lists cleaned with clean_markup (the
notebook writes it for "the title column ... when we want to display titles for recommended
products") and, for all 20, the share of each list in the reviewer's preferred categories; the
clean-up's output; after it, the describe of each deleted resource and the listings; the summary.
"""
import collections
import csv
import gzip
import html.parser as _html_parser
import json
import os
import random
import shutil
import subprocess
import sys
import types

import boto3
import numpy as np
from datetime import datetime
import time
from time import sleep
from botocore.exceptions import ClientError

from boto3_notebook_data import fail, notebook_output_to_stderr, summary

endpoint, bucket_dir_name, bucket_dir, scratch = sys.argv[1:5]
notebook_output_to_stderr()
os.chdir(scratch)
rnd = random.Random(2029)


# ---- Imports: `import pandas as pd` and `from lxml import html` (neither installed) -----------------
# A stand-in for lxml.html of the one call the notebook makes: html.fromstring(s).text_content().
class _TextOf(_html_parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def _fromstring(s):
    parser = _TextOf()
    parser.feed(s)
    parser.close()
    text = ''.join(parser.parts)
    return types.SimpleNamespace(text_content=lambda: text)


html = types.SimpleNamespace(fromstring=_fromstring)

# ---- "Load and inspect datasets": Prime Pantry in shape ---------------------------------------------
data_dir = 'raw_data'
os.makedirs(data_dir)   # !mkdir $data_dir
# !cd $data_dir && wget .../Prime_Pantry.json.gz && wget .../meta_Prime_Pantry.json.gz
# Generated instead: files of their shape (see the docstring).
CATEGORIES = {
    'Coffee': (["Folgers", "Maxwell House", "Peet's", "Dunkin'"],
               ["Ground Coffee", "K-Cup Pods", "Whole Bean Coffee", "Instant Coffee"],
               ["a medium roast with a rich aroma", "brewed from 100% arabica beans", "the perfect morning cup",
                "smooth, bold flavor in every brew", "freshly ground for drip coffee makers", "caffeine to start your day"]),
    'Tea': (["Lipton", "Twinings", "Bigelow", "Tazo"],
            ["Green Tea Bags", "Black Tea", "Herbal Tea", "Chai Tea Latte"],
            ["steep for three to five minutes", "whole tea leaves picked at their peak", "soothing chamomile and mint",
             "rich in antioxidants", "a calming cup before bed", "naturally caffeine-free herbal blend"]),
    'Candy': (["HERSHEY'S", "Milk Duds", "Skittles", "M&amp;M'S"],
              ["Milk Chocolate Bar", "Gummy Candy", "Chewy Caramels", "Peanut Butter Cups"],
              ["sink your sweet tooth into creamy milk chocolate", "a chewy treat for Halloween", "fruity candy in every color",
               "share a sweet treat with friends", "smooth caramel covered in chocolate", "individually wrapped candy"]),
    'Snacks': (["Pringles", "Doritos", "KIND", "Planters"],
               ["Potato Crisps", "Tortilla Chips", "Nut Bars", "Mixed Nuts"],
               ["crunchy, salty snack for the road", "gluten free bars with whole almonds", "bold nacho cheese flavor",
                "roasted peanuts and cashews", "a protein snack between meals", "the crunch you crave"]),
    'Pasta & Grains': (["Barilla", "Goya", "Uncle Ben's", "Ronzoni"],
                       ["Spaghetti", "Dry Lentils", "Long Grain Rice", "Elbow Macaroni"],
                       ["made with durum wheat semolina", "a perfect lentil soup starts here", "fluffy rice in ten minutes",
                        "boil, drain and toss with sauce", "high in fiber and protein", "an easy family dinner"]),
    'Sauces & Condiments': (["Tostitos", "Heinz", "Castillo", "Knorr"],
                            ["Chunky Salsa", "Tomato Ketchup", "Habanero Sauce", "Chicken Bouillon"],
                            ["red chili habanero heat", "thick and rich tomato ketchup", "mild salsa for chips and dips",
                             "granulated bouillon to season soups", "spicy sauce for tacos", "delicious, crowd pleasing flavor"]),
    'Canned Goods': (["Chicken of the Sea", "Campbell's", "Del Monte", "Bush's"],
                     ["Albacore Tuna", "Condensed Soup", "Sweet Corn", "Baked Beans"],
                     ["solid white albacore in water", "a pantry staple ready to heat", "sweet corn picked and canned fresh",
                      "slow cooked beans in a savory sauce", "easy open can", "a classic chicken noodle soup"]),
    'Breakfast': (["Kellogg's", "Quaker", "General Mills", "Nature Valley"],
                  ["Corn Flakes", "Old Fashioned Oatmeal", "Honey Granola", "Cereal Bars"],
                  ["whole grain oats for a hearty breakfast", "crispy flakes with cold milk", "granola clusters with honey",
                   "a good source of fiber every morning", "breakfast ready in minutes", "toasted whole grain cereal"]),
    'Beverages': (["Snapple", "Gatorade", "LaCroix", "Tropicana"],
                  ["Peach Iced Tea", "Sports Drink", "Sparkling Water", "Orange Juice"],
                  ["refreshing iced tea made from the best stuff on earth", "electrolytes for hydration", "zero calorie sparkling water",
                   "not from concentrate", "a cold bottle on a hot day", "thirst quenching citrus flavor"]),
    'Baking': (["Betty Crocker", "Domino", "King Arthur", "Pillsbury"],
               ["Cake Mix", "Granulated Sugar", "All-Purpose Flour", "Frosting"],
               ["bake a moist cake in your oven", "pure cane sugar for baking", "unbleached flour for bread and cookies",
                "creamy frosting to finish the recipe", "brownies and cupcakes made easy", "measure, mix and bake"]),
    'Household': (["Saran", "Glad", "Reynolds", "Bounty"],
                  ["Premium Plastic Wrap", "Trash Bags", "Aluminum Foil", "Paper Towels"],
                  ["clings tight to keep food fresh", "strong bags that resist leaks and tears", "heavy duty foil for the grill",
                   "quicker picker upper paper towels", "an extra tough yet easy to use wrap", "kitchen essentials for every home"]),
    'Cleaning': (["Clorox", "Lysol", "Dawn", "Cascade"],
                 ["Disinfecting Wipes", "Dish Soap", "Dishwasher Pods", "Multi-Surface Cleaner"],
                 ["kills 99.9% of germs", "cuts through tough grease", "sparkling clean dishes", "disinfects kitchen and bathroom surfaces",
                  "a fresh lemon scent", "bleach free cleaning"]),
    'Personal Care': (["L'Oreal Paris", "Dove", "Colgate", "Crest"],
                      ["Shampoo", "Body Wash", "Whitening Toothpaste", "Conditioner"],
                      ["moisturizes dry skin", "nourishes and repairs damaged hair", "whitens teeth and freshens breath",
                       "gentle daily cleansing", "a salon-quality finish", "fights cavities and plaque"]),
    'Baby': (["Pampers", "Huggies", "Gerber", "Infants' Motrin"],
             ["Diapers", "Baby Wipes", "Baby Food Pouches", "Concentrated Drops"],
             ["gentle on your baby's sensitive skin", "up to 12 hours of leak protection", "fever reducer for infants",
              "fruit and vegetable puree for babies", "hypoallergenic and fragrance free", "soft and absorbent for newborns"]),
    'Pet': (["Purina", "Pedigree", "Meow Mix", "Milk-Bone"],
            ["Dry Dog Food", "Cat Food", "Dog Treats", "Wet Cat Food"],
            ["complete nutrition for adult dogs", "a flavor cats love", "crunchy treats to clean your dog's teeth",
             "real chicken is the first ingredient", "supports a healthy coat for your pet", "dogs and cats come running"]),
    'Spices': (["McCormick", "Badia", "Morton", "Lawry's"],
               ["Ground Black Pepper", "Garlic Powder", "Sea Salt", "Seasoned Salt"],
               ["season steaks before you grill", "a pinch of bold spice", "coarse salt for cooking and finishing",
                "adds savory flavor to any recipe", "spices ground for freshness", "the seasoning for fries and burgers"]),
}
CATEGORY_NAMES = list(CATEGORIES)
SIZES = ['5 Ounce', '12 oz', '16 oz', '1 lb', '24 Count', '100 Sq Ft', '32 fl oz', '6 Pack']
ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

asins = set()
while len(asins) < 800:
    asins.add('B0' + ''.join(rnd.choice(ALNUM) for _ in range(8)))
asins = sorted(asins)
rnd.shuffle(asins)
product_category = {a: CATEGORY_NAMES[k // 50] for k, a in enumerate(asins)}
MAIN_CAT = ('<img src="https://m.media-amazon.com/images/G/01/nav2/images/gui/amazon-fashion-store-new._CB520838675_.png"'
            ' class="nav-categ-image" alt="Prime Pantry"/>')


def description_fragments(category, brand, noun):
    r = rnd.random()
    if r < 0.05:
        return []
    if r < 0.08:
        return ['', ' ']
    phrases = rnd.sample(CATEGORIES[category][2], 3)
    first = f"<b>{brand}{'&trade;' if rnd.random() < 0.2 else ''} {noun}</b>: {phrases[0]}."
    second = rnd.choice([f"<p>{phrases[1].capitalize()} &amp; {phrases[2]}.</p>",
                         f"<ul><li>{phrases[1].capitalize()}</li> <li>{phrases[2].capitalize()}</li></ul>",
                         f"{phrases[1].capitalize()}.<br/>\n  {phrases[2].capitalize()}  -  \"{brand}\" quality."])
    return [first, second] + ([''] if rnd.random() < 0.3 else [])


meta_rows = []
for a in sorted(asins):
    category = product_category[a]
    brands, nouns, _ = CATEGORIES[category]
    brand, noun = rnd.choice(brands), rnd.choice(nouns)
    r = rnd.random()
    price = '' if r < 0.33 else '$4.99 - $12.99' if r < 0.36 else f"${rnd.uniform(1.5, 25):.2f}"
    meta_rows.append({
        'category': [], 'tech1': '', 'description': description_fragments(category, brand, noun), 'fit': '',
        'title': f"{brand} {noun}{' &amp; More' if rnd.random() < 0.1 else ''}, {rnd.choice(SIZES)}",
        'also_buy': [], 'tech2': '', 'brand': brand, 'feature': [],
        'rank': f"{rnd.randrange(1000, 300000):,} in Grocery &amp; Gourmet Food (" if rnd.random() < 0.5 else [],
        'also_view': [], 'details': {'ASIN: ': a}, 'main_cat': MAIN_CAT, 'similar_item': '', 'date': '',
        'price': price, 'asin': a, 'imageURL': [], 'imageURLHighRes': [],
    })
# As the real file: one product listed twice.
meta_rows.insert(1, dict(meta_rows[0]))
with gzip.open(data_dir + '/meta_Prime_Pantry.json.gz', 'wt') as f:
    for row in meta_rows:
        f.write(json.dumps(row) + '\n')

# Reviewers: each prefers one or two categories; a popularity skew inside each category.
category_products, category_weights = {}, {}
for c in CATEGORY_NAMES:
    ps = [a for a in asins if product_category[a] == c]
    rnd.shuffle(ps)
    category_products[c] = ps
    category_weights[c] = [1 / (1 + rank / 6) for rank in range(len(ps))]
overall_popularity = {a: rnd.uniform(0.2, 1) for a in asins}
NAMES = ['Amazon Customer', 'Tamara M.', 'Kindle Customer', 'ZapNZs', 'Amy Rogers', 'noname', 'J. Smith', 'Grandma K']
FIRST_DAY, LAST_DAY = 1388534400, 1538611200   # 2014-01-01 and 2018-10-04, midnight UTC
reviewer_ids = set()
while len(reviewer_ids) < 2400:
    reviewer_ids.add('A' + ''.join(rnd.choice(ALNUM) for _ in range(rnd.choice([12, 13]))))
reviewer_ids = sorted(reviewer_ids)
preferred_categories = {}
reviews = []
for reviewer in reviewer_ids:
    liked = rnd.sample(CATEGORY_NAMES, rnd.choice([1, 1, 2]))
    preferred_categories[reviewer] = liked
    n = min(30, 2 + int(rnd.expovariate(1 / 5)))
    day = FIRST_DAY + 86400 * rnd.randrange((LAST_DAY - FIRST_DAY) // 86400 - 400)
    seen = set()
    name = rnd.choice(NAMES)
    while len(seen) < n:
        if rnd.random() < 0.8:
            c = rnd.choice(liked)
            a = rnd.choices(category_products[c], category_weights[c])[0]
        else:
            a = rnd.choices(asins, [overall_popularity[x] for x in asins])[0]
        if a in seen:
            continue
        seen.add(a)
        day = min(LAST_DAY, day + 86400 * rnd.randrange(0, 40))
        overall = rnd.choice([5, 5, 5, 4, 4, 3]) if product_category[a] in liked else rnd.choice([1, 2, 3, 3, 4, 5])
        review = {
            'overall': overall, 'verified': rnd.random() < 0.85,
            'reviewTime': datetime.utcfromtimestamp(day).strftime('%m %-d, %Y'),
            'reviewerID': reviewer, 'asin': a, 'reviewerName': name,
            'reviewText': rnd.choice(['Good', 'ok', 'Just as described', 'Would buy again', 'Not for me']),
            'summary': rnd.choice(['Five Stars', 'Four Stars', 'Three Stars', 'Great value', 'Meh']),
            'unixReviewTime': day,
        }
        if rnd.random() < 0.1:
            review['vote'] = str(rnd.randint(2, 40))
        if rnd.random() < 0.05:
            review['style'] = {'Size:': ' ' + rnd.choice(SIZES)}
        reviews.append(review)
# As the real file: by asin, newest review first.
reviews.sort(key=lambda r: r['unixReviewTime'], reverse=True)
reviews.sort(key=lambda r: r['asin'])
with gzip.open(data_dir + '/Prime_Pantry.json.gz', 'wt') as f:
    for review in reviews:
        f.write(json.dumps(review) + '\n')

REVIEW_COLUMNS = ['overall', 'verified', 'reviewTime', 'reviewerID', 'asin', 'reviewerName', 'reviewText', 'summary',
                  'unixReviewTime', 'vote', 'image', 'style']


def read_json_lines(path):
    with gzip.open(path, 'rt') as f:
        return [json.loads(line) for line in f]


# ---- "Load and inspect reviews data" ----------------------------------------------------------------
# pantry_df = pd.read_json(data_dir + '/Prime_Pantry.json.gz', lines=True, compression='infer')
pantry_df = [{k: r.get(k) for k in REVIEW_COLUMNS} for r in read_json_lines(data_dir + '/Prime_Pantry.json.gz')]
# pantry_df.head()
print(pantry_df[:5])
# pantry_df.shape
print((len(pantry_df), len(REVIEW_COLUMNS)))

# ---- "Build and save interactions dataset" ----------------------------------------------------------
# positive_reviews_df = pantry_df[pantry_df['overall'] > 3]
positive_reviews_df = [r for r in pantry_df if r['overall'] > 3]
# positive_reviews_df.shape
print((len(positive_reviews_df), len(REVIEW_COLUMNS)))

# positive_reviews_df = positive_reviews_df[['reviewerID', 'asin', 'unixReviewTime', 'overall']]
positive_reviews_df = [{k: r[k] for k in ['reviewerID', 'asin', 'unixReviewTime', 'overall']} for r in positive_reviews_df]
# positive_reviews_df['EVENT_TYPE']='reviewed'
for r in positive_reviews_df:
    r['EVENT_TYPE'] = 'reviewed'
# positive_reviews_df.head()
print(positive_reviews_df[:5])

# time_stamp = positive_reviews_df.iloc[50]['unixReviewTime']
time_stamp = positive_reviews_df[50]['unixReviewTime']
print(time_stamp)
print(datetime.utcfromtimestamp(time_stamp).strftime('%Y-%m-%d %H:%M:%S'))
arb_timestamp = {"unix": time_stamp, "utc": datetime.utcfromtimestamp(time_stamp).strftime('%Y-%m-%d %H:%M:%S')}

# positive_reviews_df.describe(include='all')   (count, unique, top, freq of the string columns)
for col in ['reviewerID', 'asin', 'EVENT_TYPE']:
    counts = collections.Counter(r[col] for r in positive_reviews_df)
    top, freq = counts.most_common(1)[0]
    print(col, {'count': len(positive_reviews_df), 'unique': len(counts), 'top': top, 'freq': freq})

# positive_reviews_df.rename(columns = {'reviewerID':'USER_ID', 'asin':'ITEM_ID',
#                               'unixReviewTime':'TIMESTAMP', 'overall': 'EVENT_VALUE'}, inplace = True)
RENAME = {'reviewerID': 'USER_ID', 'asin': 'ITEM_ID', 'unixReviewTime': 'TIMESTAMP', 'overall': 'EVENT_VALUE'}
positive_reviews_df = [{RENAME.get(k, k): v for k, v in r.items()} for r in positive_reviews_df]
# positive_reviews_df
print(len(positive_reviews_df), positive_reviews_df[:5])

interactions_filename = "interactions.csv"
# positive_reviews_df.to_csv(interactions_filename, index=False, float_format='%.0f')   (integer columns)
with open(interactions_filename, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(list(positive_reviews_df[0]))
    w.writerows(r.values() for r in positive_reviews_df)

# ---- "Load and inspect item metadata" ---------------------------------------------------------------
META_COLUMNS = ['category', 'tech1', 'description', 'fit', 'title', 'also_buy', 'tech2', 'brand', 'feature', 'rank',
                'also_view', 'details', 'main_cat', 'similar_item', 'date', 'price', 'asin', 'imageURL', 'imageURLHighRes']
# pantry_meta_df = pd.read_json('raw_data/meta_Prime_Pantry.json.gz', lines=True, compression='infer')
pantry_meta_df = [{k: r.get(k) for k in META_COLUMNS} for r in read_json_lines('raw_data/meta_Prime_Pantry.json.gz')]
# pantry_meta_df
print(len(pantry_meta_df), pantry_meta_df[:5])

# pantry_meta_df.describe()   (count, unique of each column)
for col in META_COLUMNS:
    print(col, {'count': len(pantry_meta_df), 'unique': len({json.dumps(r[col]) for r in pantry_meta_df})})

# items_df = pantry_meta_df.copy()
items_df = [dict(r) for r in pantry_meta_df]
# items_df = items_df[['asin', 'brand', 'price', 'description']]
items_df = [{k: r[k] for k in ['asin', 'brand', 'price', 'description']} for r in items_df]
# items_df.head(10)
print(items_df[:10])

# items_df = items_df.drop_duplicates(subset=['asin'], keep='last')
last_row = {r['asin']: i for i, r in enumerate(items_df)}
items_df = [r for i, r in enumerate(items_df) if last_row[r['asin']] == i]
# items_df.shape
print((len(items_df), 4))


# Strips and cleans a value of HTML markup and whitespace.
def clean_markup(value):
    s = str(value).strip()
    if s != '':
        s = str(html.fromstring(s).text_content())
        s = ' '.join(s.split())
                
    return s.strip()

# Cleans and reformats the description column value for a dataframe row.
def clean_and_reformat_description(row):
    s = ''
    for el in row['description']:
        el = clean_markup(el)
        if el != '':
            s += ' ' + el
                
    return s.strip()


# items_df['description'] = items_df.apply(clean_and_reformat_description, axis=1)
descriptions = [clean_and_reformat_description(r) for r in items_df]
for r, d in zip(items_df, descriptions):
    r['description'] = d
# items_df
print(items_df[:5])

# items_df['price'].value_counts()
print(collections.Counter(r['price'] for r in items_df).most_common(5))


def convert_price(row):
    v = str(row['price']).strip().replace('$', '')
    if v == '' or not v.lstrip('-').replace('.', '').isdigit():
        return np.nan
    return v

# items_df['price'] = items_df.apply(convert_price, axis=1)
prices = [convert_price(r) for r in items_df]
for r, p in zip(items_df, prices):
    r['price'] = p
# items_df
print(items_df[:5])

# items_df['price'].value_counts()   (NaN not counted)
print(collections.Counter(r['price'] for r in items_df if isinstance(r['price'], str)).most_common(5))

# items_df['price'] = items_df['price'].astype(float)
for r in items_df:
    r['price'] = float(r['price'])

# items_df.rename(columns = {'asin':'ITEM_ID', 'brand':'BRAND',
#                               'price':'PRICE', 'description': 'DESCRIPTION'}, inplace = True)
ITEM_RENAME = {'asin': 'ITEM_ID', 'brand': 'BRAND', 'price': 'PRICE', 'description': 'DESCRIPTION'}
items_df = [{ITEM_RENAME[k]: v for k, v in r.items()} for r in items_df]
# items_df.head(10)
print(items_df[:10])


def float_cell(v, fmt):
    """to_csv's float_format: NaN is an empty cell."""
    return '' if isinstance(v, float) and np.isnan(v) else fmt % v if isinstance(v, float) else v


items_with_desc_filename = "items-with-desc.csv"
# items_df.to_csv(items_with_desc_filename, index=False, float_format='%.2f')
with open(items_with_desc_filename, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(list(items_df[0]))
    w.writerows([float_cell(v, '%.2f') for v in r.values()] for r in items_df)

# items_without_desc_df = items_df[['ITEM_ID', 'BRAND', 'PRICE']]
items_without_desc_df = [{k: r[k] for k in ['ITEM_ID', 'BRAND', 'PRICE']} for r in items_df]
# items_without_desc_df.head()
print(items_without_desc_df[:5])

items_without_desc_filename = "items-without-desc.csv"
# items_without_desc_df.to_csv(items_without_desc_filename, index=False, float_format='%.2f')
with open(items_without_desc_filename, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(list(items_without_desc_df[0]))
    w.writerows([float_cell(v, '%.2f') for v in r.values()] for r in items_without_desc_df)

# ---- "Create dataset groups and upload datasets" ----------------------------------------------------
personalize = boto3.client('personalize', endpoint_url=endpoint)

# ---- "Create dataset groups" ------------------------------------------------------------------------
create_dataset_group_response = personalize.create_dataset_group(
    name = "amazon-pantry-without-desc"
)

dataset_group_without_desc_arn = create_dataset_group_response['datasetGroupArn']
print(json.dumps(create_dataset_group_response, indent=2))

create_dataset_group_response = personalize.create_dataset_group(
    name = "amazon-pantry-with-desc"
)

dataset_group_with_desc_arn = create_dataset_group_response['datasetGroupArn']
print(json.dumps(create_dataset_group_response, indent=2))

in_progress_dataset_group_arns = [ dataset_group_without_desc_arn, dataset_group_with_desc_arn ]

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    for dataset_group_arn in in_progress_dataset_group_arns:
        describe_dataset_group_response = personalize.describe_dataset_group(
            datasetGroupArn = dataset_group_arn
        )
        status = describe_dataset_group_response["datasetGroup"]["status"]
        if status == "ACTIVE":
            print("Dataset group create succeeded for {}".format(dataset_group_arn))
            in_progress_dataset_group_arns.remove(dataset_group_arn)
        elif status == "CREATE FAILED":
            print("Create failed for {}".format(dataset_group_arn))
            in_progress_dataset_group_arns.remove(dataset_group_arn)

    if len(in_progress_dataset_group_arns) <= 0:
        break
    else:
        print("At least one dataset group create is still in progress")
                
    time.sleep(0.2)

GROUPS = {"without": dataset_group_without_desc_arn, "with": dataset_group_with_desc_arn}
dataset_group_statuses = {k: personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"]
                          for k, arn in GROUPS.items()}
if set(dataset_group_statuses.values()) != {"ACTIVE"}:
    fail(f"dataset groups: {dataset_group_statuses}")

# ---- "Create Interactions dataset schema and datasets" ----------------------------------------------
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
            "name": "EVENT_VALUE",
            "type": "float"
        },
        {
            "name": "EVENT_TYPE",
            "type": "string"
        }
    ],
    "version": "1.0"
}
            
create_schema_response = personalize.create_schema(
    name = "amazon-pantry-interactions",
    schema = json.dumps(interactions_schema)
)

interaction_schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

dataset_type = "INTERACTIONS"
create_dataset_response = personalize.create_dataset(
    name = "amazon-pantry-without-desc-ints",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_without_desc_arn,
    schemaArn = interaction_schema_arn
)

interactions_dataset_without_desc_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

create_dataset_response = personalize.create_dataset(
    name = "amazon-pantry-with-desc-ints",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_with_desc_arn,
    schemaArn = interaction_schema_arn
)

interactions_dataset_with_desc_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# ---- "Stage Interactions CSV in S3" -----------------------------------------------------------------
# with open('/opt/ml/metadata/resource-metadata.json') as notebook_info: ... region = resource_arn.split(':')[3]
region = os.environ['AWS_DEFAULT_REGION']
print(region)

# s3 = boto3.client('s3'); account_id = boto3.client('sts').get_caller_identity().get('Account'): not made
bucket_name = bucket_dir_name   # account_id + "-" + region + "-" + "amazon-pantry-personalize-text": the test's bucket
print(bucket_name)
# s3.create_bucket(Bucket=bucket_name): the test made the bucket's folder.

# boto3.Session().resource('s3').Bucket(bucket_name).Object(interactions_filename).upload_file(interactions_filename)
shutil.copy(interactions_filename, os.path.join(bucket_dir, interactions_filename))

# ---- "Create S3 bucket policy and IAM role": s3.put_bucket_policy, iam.create_role, attach_role_policy x2 not made
role_name = "PersonalizeRoleAmazonPantry"
time.sleep(0.2) # wait for a minute to allow IAM role policy attachment to propagate

role_arn = "arn:aws:iam::000000000000:role/" + role_name
print(role_arn)

# ---- "Import Interactions datasets for each dataset group" ------------------------------------------
create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "amazon-pantry-without-desc-ints-import",
    datasetArn = interactions_dataset_without_desc_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, interactions_filename)
    },
    roleArn = role_arn
)

dataset_import_job_without_ints_arn = create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_dataset_import_job_response, indent=2))

create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "amazon-pantry-with-desc-ints-import",
    datasetArn = interactions_dataset_with_desc_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, interactions_filename)
    },
    roleArn = role_arn
)

dataset_import_job_with_ints_arn = create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_dataset_import_job_response, indent=2))

# ---- "Wait for Interactions dataset import jobs to complete" (%%time not run) -----------------------
in_progress_import_arns = [ dataset_import_job_without_ints_arn, dataset_import_job_with_ints_arn ]

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    for import_arn in in_progress_import_arns:
        describe_dataset_import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn = import_arn
        )
        status = describe_dataset_import_job_response["datasetImportJob"]['status']
        if status == "ACTIVE":
            print("Dataset import succeeded for {}".format(import_arn))
            in_progress_import_arns.remove(import_arn)
        elif status == "CREATE FAILED":
            print("Create failed for {}".format(import_arn))
            in_progress_import_arns.remove(import_arn)

    if len(in_progress_import_arns) <= 0:
        break
    else:
        print("At least one dataset import job is still in progress")
                
    time.sleep(0.2)

# ---- "Create Items dataset schema and datasets" -----------------------------------------------------
item_without_desc_schema = {
    "type": "record",
    "name": "Items",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "ITEM_ID",
            "type": "string"
        },
        {
            "name": "BRAND",
            "type": [ "null", "string" ],
            "categorical": True
        },{
            "name": "PRICE",
            "type": [ "null", "float" ],
        }
    ],
    "version": "1.0"
}

create_schema_response = personalize.create_schema(
    name = "amazon-pantry-item-without-desc-schema",
    schema = json.dumps(item_without_desc_schema)
)

item_without_desc_schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

item_with_desc_schema = {
    "type": "record",
    "name": "Items",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {
            "name": "ITEM_ID",
            "type": "string"
        },
        {
            "name": "BRAND",
            "type": [ "null", "string" ],
            "categorical": True
        },{
            "name": "PRICE",
            "type": [ "null", "float" ],
        },{
            "name": "DESCRIPTION",
            "type": [ "null", "string" ],
            "textual": True
        }
    ],
    "version": "1.0"
}

create_schema_response = personalize.create_schema(
    name = "amazon-pantry-item-with-desc-schema",
    schema = json.dumps(item_with_desc_schema)
)

item_with_desc_schema_arn = create_schema_response['schemaArn']
print(json.dumps(create_schema_response, indent=2))

dataset_type = "ITEMS"
create_dataset_response = personalize.create_dataset(
    name = "amazon-pantry-without-desc-items",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_without_desc_arn,
    schemaArn = item_without_desc_schema_arn
)

items_dataset_without_desc_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

create_dataset_response = personalize.create_dataset(
    name = "amazon-pantry-with-desc-items",
    datasetType = dataset_type,
    datasetGroupArn = dataset_group_with_desc_arn,
    schemaArn = item_with_desc_schema_arn
)

items_dataset_with_desc_arn = create_dataset_response['datasetArn']
print(json.dumps(create_dataset_response, indent=2))

# ---- "Stage Items CSV in S3" ------------------------------------------------------------------------
# boto3.Session().resource('s3').Bucket(bucket_name).Object(items_without_desc_filename).upload_file(items_without_desc_filename)
shutil.copy(items_without_desc_filename, os.path.join(bucket_dir, items_without_desc_filename))
# boto3.Session().resource('s3').Bucket(bucket_name).Object(items_with_desc_filename).upload_file(items_with_desc_filename)
shutil.copy(items_with_desc_filename, os.path.join(bucket_dir, items_with_desc_filename))

# ---- "Import Items datasets for each dataset group" -------------------------------------------------
create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "amazon-pantry-without-desc-items-import",
    datasetArn = items_dataset_without_desc_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, items_without_desc_filename)
    },
    roleArn = role_arn
)

dataset_import_job_without_items_arn = create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_dataset_import_job_response, indent=2))

create_dataset_import_job_response = personalize.create_dataset_import_job(
    jobName = "amazon-pantry-with-desc-items-import",
    datasetArn = items_dataset_with_desc_arn,
    dataSource = {
        "dataLocation": "s3://{}/{}".format(bucket_name, items_with_desc_filename)
    },
    roleArn = role_arn
)

dataset_import_job_with_items_arn = create_dataset_import_job_response['datasetImportJobArn']
print(json.dumps(create_dataset_import_job_response, indent=2))

# ---- "Wait for Items import jobs to complete" (%%time not run) --------------------------------------
in_progress_import_arns = [ dataset_import_job_without_items_arn, dataset_import_job_with_items_arn ]

max_time = time.time() + 3*60*60 # 3 hours
while time.time() < max_time:
    for import_arn in in_progress_import_arns:
        describe_dataset_import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn = import_arn
        )
        status = describe_dataset_import_job_response["datasetImportJob"]['status']
        if status == "ACTIVE":
            print("Dataset import succeeded for {}".format(import_arn))
            in_progress_import_arns.remove(import_arn)
        elif status == "CREATE FAILED":
            print("Create failed for {}".format(import_arn))
            in_progress_import_arns.remove(import_arn)

    if len(in_progress_import_arns) <= 0:
        break
    else:
        print("At least one dataset import job is still in progress")
                
    time.sleep(0.2)

# Added: the datasets, the imports and the schemas described.
DATASETS = {
    "interactionsWithout": interactions_dataset_without_desc_arn, "interactionsWith": interactions_dataset_with_desc_arn,
    "itemsWithout": items_dataset_without_desc_arn, "itemsWith": items_dataset_with_desc_arn,
}
datasets_described = {}
for key, arn in DATASETS.items():
    d = personalize.describe_dataset(datasetArn=arn)["dataset"]
    datasets_described[key] = {"status": d["status"], "datasetType": d["datasetType"], "schemaArn": d["schemaArn"],
                               "datasetGroupArn": d["datasetGroupArn"]}
    if d["status"] != "ACTIVE":
        fail(f"dataset {key}: {d['status']}")
IMPORTS = {
    "interactionsWithout": dataset_import_job_without_ints_arn, "interactionsWith": dataset_import_job_with_ints_arn,
    "itemsWithout": dataset_import_job_without_items_arn, "itemsWith": dataset_import_job_with_items_arn,
}
imports = {}
for key, arn in IMPORTS.items():
    job = personalize.describe_dataset_import_job(datasetImportJobArn=arn)["datasetImportJob"]
    imports[key] = [job["status"], job.get("failureReason")]
    if job["status"] != "ACTIVE":
        fail(f"import {key}: {job['status']} {job.get('failureReason')}")
SCHEMAS = {"interactions": interaction_schema_arn, "itemsWithout": item_without_desc_schema_arn,
           "itemsWith": item_with_desc_schema_arn}
schemas_described = {key: {"name": s["name"], "schema": json.loads(s["schema"])}
                     for key, s in ((key, personalize.describe_schema(schemaArn=arn)["schema"]) for key, arn in SCHEMAS.items())}

# ---- "Create solutions and solution versions" -------------------------------------------------------
# personalize.list_recipes()
recipe_list = personalize.list_recipes()
print(recipe_list)

user_personalization_recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization"

user_personalization_create_solution_response = personalize.create_solution(
    name = "amazon-pantry-without-desc-userpersonalization",
    datasetGroupArn = dataset_group_without_desc_arn,
    recipeArn = user_personalization_recipe_arn
)

user_personalization_without_desc_solution_arn = user_personalization_create_solution_response['solutionArn']

print(user_personalization_without_desc_solution_arn)

user_personalization_solution_version_response = personalize.create_solution_version(
    solutionArn = user_personalization_without_desc_solution_arn
)

user_personalization_without_solution_version_arn = user_personalization_solution_version_response['solutionVersionArn']
print(json.dumps(user_personalization_solution_version_response, indent=2))

user_personalization_create_solution_response = personalize.create_solution(
    name = "amazon-pantry-with-desc-userpersonalization",
    datasetGroupArn = dataset_group_with_desc_arn,
    recipeArn = user_personalization_recipe_arn
)

user_personalization_with_desc_solution_arn = user_personalization_create_solution_response['solutionArn']

print(user_personalization_with_desc_solution_arn)

user_personalization_solution_version_response = personalize.create_solution_version(
    solutionArn = user_personalization_with_desc_solution_arn
)

user_personalization_with_solution_version_arn = user_personalization_solution_version_response['solutionVersionArn']
print(json.dumps(user_personalization_solution_version_response, indent=2))

# ---- "Wait for solution versions to become active" (%%time not run) ---------------------------------
in_progress_solution_versions = [
    user_personalization_without_solution_version_arn,
    user_personalization_with_solution_version_arn
]

max_time = time.time() + 10*60*60 # 10 hours
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

# Added: both solutions and versions described.
SOLUTIONS = {
    "without": (user_personalization_without_desc_solution_arn, user_personalization_without_solution_version_arn),
    "with": (user_personalization_with_desc_solution_arn, user_personalization_with_solution_version_arn),
}
solutions_described = {}
for key, (solution_arn, version_arn) in SOLUTIONS.items():
    s = personalize.describe_solution(solutionArn=solution_arn)["solution"]
    v = personalize.describe_solution_version(solutionVersionArn=version_arn)["solutionVersion"]
    solutions_described[key] = {
        "name": s["name"], "status": s["status"], "recipeArn": s["recipeArn"], "datasetGroupArn": s["datasetGroupArn"],
        "performHPO": s.get("performHPO"), "solutionConfig": s.get("solutionConfig"),
        "version": {"arn": version_arn, "status": v["status"], "trainingMode": v.get("trainingMode"), "trainingHours": v.get("trainingHours"),
                    "recipeArn": v.get("recipeArn"), "failureReason": v.get("failureReason")},
    }
    if v["status"] != "ACTIVE":
        fail(f"solution version {key}: {v['status']} {v.get('failureReason')}")

response = personalize.describe_solution_version(solutionVersionArn = user_personalization_without_solution_version_arn)
training_hours_without_desc = response['solutionVersion']['trainingHours']

response = personalize.describe_solution_version(solutionVersionArn = user_personalization_with_solution_version_arn)
training_hours_with_desc = response['solutionVersion']['trainingHours']
training_diff = (training_hours_with_desc - training_hours_without_desc) / training_hours_without_desc

print(f"Training hours without description: {training_hours_without_desc}")
print(f"Training hours with description: {training_hours_with_desc}")

print("Difference of {:.2%}".format(training_diff))

# ---- "Inspect offline metrics" ----------------------------------------------------------------------
metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = user_personalization_without_solution_version_arn
)

print(json.dumps(metrics_response, indent=2))

metrics = {
    'Coverage': [ metrics_response['metrics']['coverage'] ],
    'MRR-25': [ metrics_response['metrics']['mean_reciprocal_rank_at_25'] ],
    'NDCG-5': [ metrics_response['metrics']['normalized_discounted_cumulative_gain_at_5'] ],
    'NDCG-10': [ metrics_response['metrics']['normalized_discounted_cumulative_gain_at_10'] ],
    'NDCG-25': [ metrics_response['metrics']['normalized_discounted_cumulative_gain_at_25'] ],    
    'Precision-5': [ metrics_response['metrics']['precision_at_5'] ],
    'Precision-10': [ metrics_response['metrics']['precision_at_10'] ],
    'Precision-25': [ metrics_response['metrics']['precision_at_25'] ],    
}

metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = user_personalization_with_solution_version_arn
)

print(json.dumps(metrics_response, indent=2))

metrics['Coverage'].append(metrics_response['metrics']['coverage'])
metrics['MRR-25'].append(metrics_response['metrics']['mean_reciprocal_rank_at_25'])
metrics['NDCG-5'].append(metrics_response['metrics']['normalized_discounted_cumulative_gain_at_5'])
metrics['NDCG-10'].append(metrics_response['metrics']['normalized_discounted_cumulative_gain_at_10'])
metrics['NDCG-25'].append(metrics_response['metrics']['normalized_discounted_cumulative_gain_at_25'])
metrics['Precision-5'].append(metrics_response['metrics']['precision_at_5'])
metrics['Precision-10'].append(metrics_response['metrics']['precision_at_10'])
metrics['Precision-25'].append(metrics_response['metrics']['precision_at_25'])

for key in metrics:
    metrics[key].append("{:.2%}".format((metrics[key][1] - metrics[key][0])/metrics[key][0]))

# metrics_df = pd.DataFrame.from_dict(metrics,orient='index',columns=['Without Text', 'With Text', '% Change'])
# metrics_df
for key, row in metrics.items():
    print(key, dict(zip(['Without Text', 'With Text', '% Change'], row)))

# Added: each version's metrics as GetSolutionMetrics answers them, keys in their order.
solution_metrics = {}
for key, (_, version_arn) in SOLUTIONS.items():
    answer = personalize.get_solution_metrics(solutionVersionArn=version_arn)
    solution_metrics[key] = {"keys": list(answer['metrics']), "metrics": answer['metrics'],
                             "solutionVersionArn": answer['solutionVersionArn'] == version_arn}

# ---- Added: the Items dataset with descriptions exported, compared with the file imported -----------
export_job_arn = personalize.create_dataset_export_job(
    jobName="amazon-pantry-with-desc-items-export",
    datasetArn=items_dataset_with_desc_arn,
    ingestionMode="BULK",
    roleArn=role_arn,
    jobOutput={"s3DataDestination": {"path": "s3://{}/export/".format(bucket_name)}},
)['datasetExportJobArn']
while True:
    export_job = personalize.describe_dataset_export_job(datasetExportJobArn=export_job_arn)["datasetExportJob"]
    if export_job["status"] in ("ACTIVE", "CREATE FAILED"):
        break
    time.sleep(0.2)
if export_job["status"] != "ACTIVE":
    fail(f"export: {export_job['status']} {export_job.get('failureReason')}")
export_folder = os.path.join(bucket_dir, 'export', 'amazon-pantry-with-desc-items-export')
exported = {}
export_header = None
for name in sorted(os.listdir(export_folder)):
    with open(os.path.join(export_folder, name), newline='') as f:
        reader = csv.reader(f)
        export_header = next(reader)
        for row in reader:
            exported[row[export_header.index('ITEM_ID')]] = dict(zip(export_header, row))
with open(items_with_desc_filename, newline='') as f:
    imported_rows = list(csv.DictReader(f))
export_comparison = {
    "header": export_header,
    "rows": len(exported),
    "fileRows": len(imported_rows),
    "descriptionsEqual": sum(1 for r in imported_rows if exported.get(r['ITEM_ID'], {}).get('DESCRIPTION') == r['DESCRIPTION']),
    "brandsEqual": sum(1 for r in imported_rows if exported.get(r['ITEM_ID'], {}).get('BRAND') == r['BRAND']),
    "withDescription": sum(1 for r in imported_rows if r['DESCRIPTION'] != ''),
    "exportedWithDescription": sum(1 for r in exported.values() if r.get('DESCRIPTION', '') != ''),
    "files": sorted(os.listdir(export_folder)),
}

# ---- Added: the "online inspection of recommendations" the notebook announces -----------------------
personalize_runtime = boto3.client('personalize-runtime', endpoint_url=endpoint)
CAMPAIGN_NAMES = {"without": "amazon-pantry-without-desc-campaign", "with": "amazon-pantry-with-desc-campaign"}
campaign_arns = {}
for key, (_, version_arn) in SOLUTIONS.items():
    campaign_arns[key] = personalize.create_campaign(name=CAMPAIGN_NAMES[key], solutionVersionArn=version_arn,
                                                     minProvisionedTPS=1)['campaignArn']
campaigns_described = {}
for key, arn in campaign_arns.items():
    while True:
        c = personalize.describe_campaign(campaignArn=arn)["campaign"]
        if c["status"] in ("ACTIVE", "CREATE FAILED"):
            break
        time.sleep(0.2)
    campaigns_described[key] = {k: c.get(k) for k in ("name", "status", "minProvisionedTPS", "solutionVersionArn")}
    if c["status"] != "ACTIVE":
        fail(f"campaign {key}: {c['status']} {c.get('failureReason')}")

items_by_id = {r['ITEM_ID']: r for r in items_df}
titles = {r['asin']: r['title'] for r in pantry_meta_df}
reviewed = collections.defaultdict(set)
for r in positive_reviews_df:
    reviewed[r['USER_ID']].add(r['ITEM_ID'])
sampled_users = rnd.sample(sorted(u for u, s in reviewed.items() if len(s) >= 2), 20)
lists = {key: {} for key in SOLUTIONS}
for user in sampled_users:
    for key, arn in campaign_arns.items():
        lists[key][user] = [i['itemId'] for i in personalize_runtime.get_recommendations(campaignArn=arn, userId=user)['itemList']]
# The first sampled reviewer's two lists, titles cleaned with the notebook's clean_markup.
first_user = sampled_users[0]
title_columns = {key: [clean_markup(titles[i]) for i in lists[key][first_user]] for key in SOLUTIONS}
print(first_user, preferred_categories[first_user])
for row in zip(*title_columns.values()):
    print(row)


def preferred_share(key):
    shares = [sum(1 for i in ls if product_category[i] in preferred_categories[u]) / max(1, len(ls))
              for u, ls in lists[key].items()]
    return sum(shares) / len(shares)


catalog_share = sum(len(preferred_categories[u]) for u in sampled_users) / len(sampled_users) / len(CATEGORY_NAMES)
recommendations = {
    "users": len(sampled_users),
    "usersKnown": sum(1 for u in sampled_users if u in reviewed),
    "listLengths": {key: sorted({len(ls) for ls in lists[key].values()}) for key in SOLUTIONS},
    "distinctPerList": {key: sorted({len(set(ls)) for ls in lists[key].values()}) for key in SOLUTIONS},
    "unknownItems": {key: sorted({i for ls in lists[key].values() for i in ls} - set(items_by_id)) for key in SOLUTIONS},
    "preferredShare": {key: preferred_share(key) for key in SOLUTIONS},
    "catalogShare": catalog_share,
    "sameLists": sum(1 for u in sampled_users if lists["with"][u] == lists["without"][u]),
    "firstUser": {"user": first_user, "preferred": preferred_categories[first_user], "titles": title_columns},
}

# ---- "Cleanup": the gist "run locally to delete all resources in each dataset group" ----------------
# https://gist.github.com/james-jory/62ddddf2f9180b77dd2a42e645b9d3b0: not fetched, not reproduced; a
# module of this test's own (see the docstring), run the same way, as a local script.
CLEANUP_PY = '''"""Deletes Personalize dataset groups and everything in them (written for this test)."""
import sys
import time

import boto3
from botocore.exceptions import ClientError


def _wait_until_empty(list_now, what):
    for _ in range(600):
        if not list_now():
            return
        time.sleep(0.2)
    raise RuntimeError(what + ' still there')


def delete_dataset_groups(dataset_group_arns, endpoint_url=None):
    client = boto3.client('personalize', endpoint_url=endpoint_url)
    for group in dataset_group_arns:
        solutions = [s['solutionArn'] for s in client.list_solutions(datasetGroupArn=group)['solutions']]
        for solution in solutions:
            for campaign in client.list_campaigns(solutionArn=solution)['campaigns']:
                print('Deleting campaign', campaign['campaignArn'])
                client.delete_campaign(campaignArn=campaign['campaignArn'])
        for solution in solutions:
            _wait_until_empty(lambda: client.list_campaigns(solutionArn=solution)['campaigns'], 'campaigns')
            print('Deleting solution', solution)
            client.delete_solution(solutionArn=solution)
        _wait_until_empty(lambda: client.list_solutions(datasetGroupArn=group)['solutions'], 'solutions')
        for tracker in client.list_event_trackers(datasetGroupArn=group)['eventTrackers']:
            print('Deleting event tracker', tracker['eventTrackerArn'])
            client.delete_event_tracker(eventTrackerArn=tracker['eventTrackerArn'])
        for f in client.list_filters(datasetGroupArn=group)['Filters']:
            print('Deleting filter', f['filterArn'])
            client.delete_filter(filterArn=f['filterArn'])
        schemas = []
        for dataset in client.list_datasets(datasetGroupArn=group)['datasets']:
            schemas.append(client.describe_dataset(datasetArn=dataset['datasetArn'])['dataset']['schemaArn'])
            print('Deleting dataset', dataset['datasetArn'])
            client.delete_dataset(datasetArn=dataset['datasetArn'])
        _wait_until_empty(lambda: client.list_datasets(datasetGroupArn=group)['datasets'], 'datasets')
        for schema in dict.fromkeys(schemas):
            try:
                client.delete_schema(schemaArn=schema)
                print('Deleted schema', schema)
            except ClientError as e:
                if e.response['Error']['Code'] != 'ResourceInUseException':
                    raise
                print('Schema in use by another dataset, kept:', schema)
        print('Deleting dataset group', group)
        client.delete_dataset_group(datasetGroupArn=group)
        while True:
            try:
                client.describe_dataset_group(datasetGroupArn=group)
            except ClientError as e:
                if e.response['Error']['Code'] != 'ResourceNotFoundException':
                    raise
                break
            time.sleep(0.2)
        print('Dataset group deleted', group)


if __name__ == '__main__':
    delete_dataset_groups(sys.argv[2:], endpoint_url=sys.argv[1])
'''
with open('cleanup_dataset_groups.py', 'w') as f:
    f.write(CLEANUP_PY)
cleanup = subprocess.run([sys.executable, 'cleanup_dataset_groups.py', endpoint,
                          dataset_group_without_desc_arn, dataset_group_with_desc_arn],
                         capture_output=True, text=True, timeout=120)
print(cleanup.stdout, cleanup.stderr)
if cleanup.returncode != 0:
    fail(f"clean-up: exit {cleanup.returncode}\n{cleanup.stderr[-3000:]}")
cleanup_log = cleanup.stdout.splitlines()

# ---- Added: each deleted resource described, and the listings ----------------------------------------
def gone(describe, **kwargs):
    try:
        describe(**kwargs)
        return "still there"
    except ClientError as e:
        return e.response['Error']['Code']


after_cleanup = {
    "campaigns": {key: gone(personalize.describe_campaign, campaignArn=arn) for key, arn in campaign_arns.items()},
    "solutions": {key: gone(personalize.describe_solution, solutionArn=s) for key, (s, _) in SOLUTIONS.items()},
    "solutionVersions": {key: gone(personalize.describe_solution_version, solutionVersionArn=v) for key, (_, v) in SOLUTIONS.items()},
    "datasets": {key: gone(personalize.describe_dataset, datasetArn=arn) for key, arn in DATASETS.items()},
    "schemas": {key: gone(personalize.describe_schema, schemaArn=arn) for key, arn in SCHEMAS.items()},
    "datasetGroups": {key: gone(personalize.describe_dataset_group, datasetGroupArn=arn) for key, arn in GROUPS.items()},
    "listed": {
        "datasetGroups": len(personalize.list_dataset_groups()['datasetGroups']),
        "schemas": len(personalize.list_schemas()['schemas']),
        "solutions": len(personalize.list_solutions()['solutions']),
        "campaigns": len(personalize.list_campaigns()['campaigns']),
        "datasets": len(personalize.list_datasets()['datasets']),
    },
}

with open(interactions_filename) as f:
    interactions_lines = f.read().splitlines()
with open(items_with_desc_filename, newline='') as f:
    with_desc_rows = list(csv.reader(f))
with open(items_without_desc_filename) as f:
    without_desc_lines = f.read().splitlines()
category_of_description = collections.Counter()
for r in items_df:
    # Does the description name its own category's phrases (and no other category's)?
    words = r['DESCRIPTION'].lower()
    own = any(p.lower() in words for p in CATEGORIES[product_category[r['ITEM_ID']]][2])
    other = any(p.lower() in words for c in CATEGORY_NAMES if c != product_category[r['ITEM_ID']] for p in CATEGORIES[c][2])
    category_of_description['empty' if words == '' else 'own' if own and not other else 'other'] += 1

summary({
    "ok": True,
    "datasetGroups": dataset_group_statuses,
    "datasets": datasets_described,
    "imports": imports,
    "schemas": schemas_described,
    "schemaArns": SCHEMAS,
    "groupArns": GROUPS,
    "files": {
        "reviews": len(pantry_df),
        "metaRows": len(pantry_meta_df),
        "interactionsHeader": interactions_lines[0],
        "interactionsRows": interactions_lines[1:4],
        "interactions": len(interactions_lines) - 1,
        "positiveShare": (len(interactions_lines) - 1) / len(pantry_df),
        "users": len(reviewed),
        "items": len({r['ITEM_ID'] for r in positive_reviews_df}),
        "withDescHeader": with_desc_rows[0],
        "withDescRows": len(with_desc_rows) - 1,
        "withDescSample": with_desc_rows[1:4],
        "withoutDescHeader": without_desc_lines[0],
        "withoutDescRows": len(without_desc_lines) - 1,
        "markupLeft": sum(1 for r in items_df if '<' in r['DESCRIPTION'] or '&amp;' in r['DESCRIPTION'] or '  ' in r['DESCRIPTION']),
        "emptyDescriptions": sum(1 for r in items_df if r['DESCRIPTION'] == ''),
        "quotedDescriptions": sum(1 for r in items_df if '"' in r['DESCRIPTION']),
        "nonAsciiDescriptions": sum(1 for r in items_df if not r['DESCRIPTION'].isascii()),
        "noPrice": sum(1 for r in items_df if np.isnan(r['PRICE'])),
        "descriptionCategories": dict(category_of_description),
    },
    "arbTimestamp": arb_timestamp,
    "recipes": [r['recipeArn'] for r in recipe_list['recipes']],
    "solutions": solutions_described,
    "trainingHours": {"without": training_hours_without_desc, "with": training_hours_with_desc, "diff": training_diff},
    "metricsTable": metrics,
    "solutionMetrics": solution_metrics,
    "export": export_comparison,
    "campaigns": campaigns_described,
    "recommendations": recommendations,
    "cleanupLog": cleanup_log,
    "afterCleanup": after_cleanup,
})

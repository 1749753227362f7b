"""AWS's POC-in-a-box notebook 03 (aws-samples/amazon-personalize-samples,
next_steps/workshops/POC_in_a_box/completed/03_Creating_and_Evaluating_Solutions.ipynb) against a
running openpersonalize: its cells that touch Personalize, as written.

argv: endpoint URL, bucket name, the bucket's local folder (the service's local object store), a
scratch folder. Exits non-zero with the reason on stderr; prints a JSON summary on stdout.

Notebook 03 starts with `%store -r`: it needs notebooks 01 and 02 run first (the dataset group
personalize-poc-movielens with the interactions and the item metadata imported). They are run here
by boto3_poc_in_a_box_data.py (their data cells and boto3 calls as written, account 123456789012);
this script then reads the stored dataset_group_arn back by listing the dataset groups, and uses
the same account (its access key) for its own client.

Changed from the notebook, and only these: endpoint_url= (and that account's key) in boto3.client;
the sleep of the polling loop (0.2 s instead of 60 s). The notebook's "Hyperparameter tuning"
section shows two create_solution calls in a markdown cell ("the following code shows how you
would do so"): they are run too, after the notebook's own cells, with a version each, polled
like the others.
"""
import json
import os
import subprocess
import sys
import time
from time import sleep

import boto3

from boto3_notebook_data import fail, notebook_output_to_stderr, summary

endpoint, bucket_name, bucket_dir, scratch = sys.argv[1:5]
here = os.path.dirname(os.path.abspath(__file__))

# ---- notebooks 01 and 02, then `%store -r` ---------------------------------------------------------
previous = subprocess.run(
    [sys.executable, os.path.join(here, "boto3_poc_in_a_box_data.py"), endpoint, bucket_name, bucket_dir, scratch],
    capture_output=True, text=True,
)
if previous.returncode != 0:
    fail(f"notebooks 01-02 failed:\n{previous.stderr}")
data_notebooks = json.loads(previous.stdout)
notebook_output_to_stderr()

# "Configure the SDK to Personalize:"
personalize = boto3.client('personalize', endpoint_url=endpoint,
                           aws_access_key_id="123456789012", aws_secret_access_key="secret", region_name="us-east-1")
personalize_runtime = None  # boto3.client('personalize-runtime'): notebook 03 makes no runtime call

# %store -r  (dataset_group_arn as notebook 01 stored it)
dataset_group_arn = next(
    (g["datasetGroupArn"] for g in personalize.list_dataset_groups()["datasetGroups"] if g["name"] == "personalize-poc-movielens"),
    None,
)
if dataset_group_arn is None:
    fail("notebook 01's dataset group personalize-poc-movielens is not there")

# ---- "Create solutions" ----------------------------------------------------------------------------
list_recipes_output = personalize.list_recipes()
print(list_recipes_output)

user_personalization_recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization"

user_personalization_create_solution_response = personalize.create_solution(
    name = "personalize-poc-userpersonalization",
    datasetGroupArn = dataset_group_arn,
    recipeArn = user_personalization_recipe_arn
)

user_personalization_solution_arn = user_personalization_create_solution_response['solutionArn']

print(json.dumps(user_personalization_solution_arn, indent=2))

userpersonalization_create_solution_version_response = personalize.create_solution_version(
    solutionArn = user_personalization_solution_arn
)

userpersonalization_solution_version_arn = userpersonalization_create_solution_version_response['solutionVersionArn']
print(json.dumps(user_personalization_create_solution_response, indent=2))

# SIMS
SIMS_recipe_arn = "arn:aws:personalize:::recipe/aws-sims"

sims_create_solution_response = personalize.create_solution(
    name = "personalize-poc-sims",
    datasetGroupArn = dataset_group_arn,
    recipeArn = SIMS_recipe_arn
)

sims_solution_arn = sims_create_solution_response['solutionArn']
print(json.dumps(sims_create_solution_response, indent=2))

sims_create_solution_version_response = personalize.create_solution_version(
    solutionArn = sims_solution_arn
)

sims_solution_version_arn = sims_create_solution_version_response['solutionVersionArn']
print(json.dumps(sims_create_solution_version_response, indent=2))

# Personalized Ranking
rerank_recipe_arn = "arn:aws:personalize:::recipe/aws-personalized-ranking"

rerank_create_solution_response = personalize.create_solution(
    name = "personalize-poc-rerank",
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

# ---- "View solution creation status" (the notebook's loop, list mutation during iteration included) ---
built = {}
in_progress_solution_versions = [
    userpersonalization_solution_version_arn,
    sims_solution_version_arn,
    rerank_solution_version_arn
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
            built[solution_version_arn] = status
        elif status == "CREATE FAILED":
            print("Build failed for {}".format(solution_version_arn))
            in_progress_solution_versions.remove(solution_version_arn)
            built[solution_version_arn] = f"{status}: {version_response['solutionVersion'].get('failureReason')}"

    if len(in_progress_solution_versions) <= 0:
        break
    else:
        print("At least one solution build is still in progress")

    time.sleep(0.2)

# ---- "Evaluate solution versions" ------------------------------------------------------------------
user_personalization_solution_metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = userpersonalization_solution_version_arn
)

print(json.dumps(user_personalization_solution_metrics_response, indent=2))

sims_solution_metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = sims_solution_version_arn
)

print(json.dumps(sims_solution_metrics_response, indent=2))

rerank_solution_metrics_response = personalize.get_solution_metrics(
    solutionVersionArn = rerank_solution_version_arn
)

print(json.dumps(rerank_solution_metrics_response, indent=2))

# ---- "Storing useful variables": %store of the six ARNs; notebooks 04 and 05 (campaigns, filters,
# the runtime and events APIs) read them back in boto3_notebook_poc_04_05.py. -----------------------

# ---- "Hyperparameter tuning": the two snippets of the markdown cell, as written -------------------
sims_create_solution_response = personalize.create_solution(
    name = "personalize-poc-sims-hpo",
    datasetGroupArn = dataset_group_arn,
    recipeArn = SIMS_recipe_arn,
    performHPO=True
)

sims_solution_arn = sims_create_solution_response['solutionArn']
print(json.dumps(sims_create_solution_response, indent=2))
sims_hpo_solution_arn = sims_solution_arn

sims_create_solution_response = personalize.create_solution(
    name = "personalize-poc-sims-set-hp",
    datasetGroupArn = dataset_group_arn,
    recipeArn = SIMS_recipe_arn,
    solutionConfig = {
        'algorithmHyperParameters': {
            'popularity_discount_factor': '0.7'
        }
    }
)

sims_solution_arn = sims_create_solution_response['solutionArn']
print(json.dumps(sims_create_solution_response, indent=2))
sims_set_hp_solution_arn = sims_solution_arn

# (not in the snippets: a version of each, polled as above, and its metrics)
snippet_versions = {
    arn: personalize.create_solution_version(solutionArn = arn)['solutionVersionArn']
    for arn in (sims_hpo_solution_arn, sims_set_hp_solution_arn)
}
in_progress_solution_versions = list(snippet_versions.values())
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
            built[solution_version_arn] = status
        elif status == "CREATE FAILED":
            print("Build failed for {}".format(solution_version_arn))
            in_progress_solution_versions.remove(solution_version_arn)
            built[solution_version_arn] = f"{status}: {version_response['solutionVersion'].get('failureReason')}"

    if len(in_progress_solution_versions) <= 0:
        break
    else:
        print("At least one solution build is still in progress")

    time.sleep(0.2)


def solution_config(arn):
    s = personalize.describe_solution(solutionArn = arn)['solution']
    return {"performHPO": s.get("performHPO"), "solutionConfig": s.get("solutionConfig", {})}


summary({
    "ok": True,
    "dataNotebooks": data_notebooks,
    "recipes": [r['recipeArn'] for r in list_recipes_output['recipes']],
    "versions": {
        "userPersonalization": built.get(userpersonalization_solution_version_arn),
        "sims": built.get(sims_solution_version_arn),
        "rerank": built.get(rerank_solution_version_arn),
        "simsHpo": built.get(snippet_versions[sims_hpo_solution_arn]),
        "simsSetHp": built.get(snippet_versions[sims_set_hp_solution_arn]),
    },
    "metrics": {
        "userPersonalization": user_personalization_solution_metrics_response['metrics'],
        "sims": sims_solution_metrics_response['metrics'],
        "rerank": rerank_solution_metrics_response['metrics'],
        "simsHpo": personalize.get_solution_metrics(solutionVersionArn = snippet_versions[sims_hpo_solution_arn])['metrics'],
        "simsSetHp": personalize.get_solution_metrics(solutionVersionArn = snippet_versions[sims_set_hp_solution_arn])['metrics'],
    },
    "simsHpoSolution": solution_config(sims_hpo_solution_arn),
    "simsSetHpSolution": solution_config(sims_set_hp_solution_arn),
})

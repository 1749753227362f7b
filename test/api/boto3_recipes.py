"""boto3 against a running openpersonalize, the recipe catalog as AWS's sample notebooks use it.

argv[1] is the endpoint URL. Exits non-zero (with the reason on stderr) on the first thing that is
not as expected; prints a JSON summary on success.
"""
import datetime
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
personalize = boto3.client(
    "personalize", endpoint_url=endpoint, region_name="us-east-1",
    aws_access_key_id="123456789012", aws_secret_access_key="secret",
)

# As the notebooks do: list, print every recipe ARN, then pick User-Personalization.
recipe_list = personalize.list_recipes()
arns = []
for recipe in recipe_list["recipes"]:
    arns.append(recipe["recipeArn"])
    assert recipe["status"] == "ACTIVE", recipe
    assert isinstance(recipe["creationDateTime"], datetime.datetime), recipe
    assert isinstance(recipe["lastUpdatedDateTime"], datetime.datetime), recipe
assert arns == sorted(arns), arns
assert "nextToken" not in recipe_list, recipe_list.get("nextToken")
assert "arn:aws:personalize:::recipe/aws-user-personalization" in arns, arns
assert "arn:aws:personalize:::recipe/aws-hrnn" not in arns, arns

paged = [r["recipeArn"] for page in personalize.get_paginator("list_recipes").paginate(PaginationConfig={"PageSize": 5}) for r in page["recipes"]]
assert paged == arns, paged

ecommerce = personalize.list_recipes(domain="ECOMMERCE")["recipes"]
assert len(ecommerce) == 5 and all(r["domain"] == "ECOMMERCE" for r in ecommerce), ecommerce

recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization"
recipe = personalize.describe_recipe(recipeArn=recipe_arn)["recipe"]
assert recipe["recipeArn"] == recipe_arn, recipe
assert recipe["name"] == "aws-user-personalization", recipe
assert recipe["recipeType"] == "USER_PERSONALIZATION", recipe
assert recipe["algorithmArn"] == "arn:aws:personalize:::algorithm/aws-user-personalization", recipe
assert recipe["description"], recipe

algorithm = personalize.describe_algorithm(algorithmArn=recipe["algorithmArn"])["algorithm"]
assert algorithm["algorithmArn"] == recipe["algorithmArn"], algorithm
assert algorithm["defaultHyperParameters"]["hidden_dimension"] == "149", algorithm
ranges = algorithm["defaultHyperParameterRanges"]
hidden = [r for r in ranges["integerHyperParameterRanges"] if r["name"] == "hidden_dimension"]
assert hidden == [{"name": "hidden_dimension", "minValue": 32, "maxValue": 256, "isTunable": True}], hidden
assert algorithm["algorithmImage"]["dockerURI"], algorithm

transformation = personalize.describe_feature_transformation(
    featureTransformationArn=recipe["featureTransformationArn"],
)["featureTransformation"]
assert transformation["featureTransformationArn"] == recipe["featureTransformationArn"], transformation
assert transformation["status"] == "ACTIVE", transformation
assert transformation["defaultParameters"]["max_user_history_length_percentile"] == "0.99", transformation

try:
    personalize.describe_recipe(recipeArn="arn:aws:personalize:::recipe/aws-no-such-recipe")
    raise AssertionError("describe_recipe of an unknown recipe succeeded")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ResourceNotFoundException", e.response
    not_found = e.response["Error"]["Message"]

print(json.dumps({"ok": True, "recipes": len(arns), "notFoundMessage": not_found}))

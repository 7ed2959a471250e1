"""Names and defaults shared by every step: the tutorial's own values live here once."""

from __future__ import annotations

# Step 2: the notebook instance the reader creates in the console (billed by the hour).
NOTEBOOK_INSTANCE_NAME = "MySageMakerInstance"
NOTEBOOK_INSTANCE_TYPE = "ml.t2.medium"

# Step 3c: the S3 prefix the tutorial puts every object under.
PREFIX = "sagemaker/DEMO-xgboost-dm"

# Step 3e: where the tutorial downloads its data; the 40 hex digits are the file's sha1.
TUTORIAL_DATA_PATH = (
    "/tmt/build-train-deploy-machine-learning-model-sagemaker/"
    "bank_clean.27f01fbbdf43271788427f3682996ae29ceca05d.csv"
)
TUTORIAL_DATA_URL = "https://d1.awsstatic.com" + TUTORIAL_DATA_PATH
TUTORIAL_DATA_SHA1 = "27f01fbbdf43271788427f3682996ae29ceca05d"
DATA_FILE_NAME = "bank_clean.csv"

# Step 3f: the tutorial's split.
TRAIN_FRACTION = 0.7
SPLIT_SEED = 1729
TRAIN_FILE_NAME = "train_data.csv"
TEST_FILE_NAME = "test_data.csv"

# Step 3c: a current XGBoost container by default; "latest" is the tutorial's legacy 0.72 image.
DEFAULT_XGBOOST_VERSION = "1.7-1"

# The mock backend runs in Tokyo by default so that the default run takes the
# non-us-east-1 path (LocationConstraint, a region the tutorial's dict lacks).
DEFAULT_MOCK_REGION = "ap-northeast-1"

# Environment variables the project reads.
ENV_BACKEND = "SAGEMAKER_TUTORIAL_BACKEND"
ENV_ROLE_ARN = "SAGEMAKER_ROLE_ARN"
ENV_DATA_DIR = "BANK_DATA_DIR"
# A moto server the mock backend should use instead of starting its own (tests share one).
ENV_MOCK_ENDPOINT = "SAGEMAKER_TUTORIAL_MOCK_ENDPOINT"

# Every resource the project creates carries these tags, so a run can be found and removed.
TAG_PROJECT_KEY = "project"
TAG_PROJECT_VALUE = "sagemaker-tutorial"
TAG_RUN_ID_KEY = "sagemaker-tutorial:run-id"

# Step 4a: the training file the built-in algorithm reads (label first, no header), and
# where it goes under the prefix.
TRAIN_CSV_NAME = "train.csv"
TRAIN_CHANNEL = "train"

# Step 4b: the tutorial's instance type and hyperparameters (as SageMaker passes them:
# strings). `silent` is the legacy 0.72 container's; see model/training.py.
INSTANCE_TYPE = "ml.m4.xlarge"
HYPERPARAMETERS: dict[str, str] = {
    "max_depth": "5",
    "eta": "0.2",
    "gamma": "4",
    "min_child_weight": "6",
    "subsample": "0.8",
    "silent": "0",
    "objective": "binary:logistic",
    "num_round": "100",
}
# The job's stopping condition: the real training takes minutes; an hour caps the bill of
# a job that hangs. The SDK's Estimator default was a day.
MAX_TRAINING_SECONDS = 3600
# How long train and deploy wait: the job's own limit, plus its start and upload.
WAIT_SECONDS = 4200
TRAINING_VOLUME_GB = 5

# Steps 5b and 6: what the endpoint answered, and the evaluation of it.
PREDICTIONS_FILE_NAME = "predictions.csv"
EVALUATION_FILE_NAME = "evaluation.json"
# InvokeEndpoint takes at most 6 MB a request; batches stay well under it.
INVOKE_PAYLOAD_LIMIT = 6 * 1024 * 1024
INVOKE_BATCH_BYTES = 5 * 1024 * 1024

# What the step commands remember between runs (names of what they created).
STATE_FILE_NAME = "state.json"

# Live backend: training and hosting start billed instances only with this consent.
ENV_ALLOW_COST = "SAGEMAKER_TUTORIAL_ALLOW_COST"

"""Names and defaults shared by every step: the tutorial's own values live here once."""

from __future__ import annotations

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

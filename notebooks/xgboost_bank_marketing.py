# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,-jupytext.text_representation
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Build, train and deploy a machine learning model with Amazon SageMaker
#
# The AWS tutorial's notebook (XGBoost on the UCI Bank Marketing data), cell for cell,
# corrected so that it runs on today's libraries. Each code cell calls the
# `sagemaker_tutorial` package's `Tutorial`, the same steps the `sagemaker-tutorial`
# command runs; the markdown cell above it says which step of the tutorial it is and
# what goes wrong in the tutorial's own cell today.
#
# **Where it runs.** By default on the *mock* backend: everything on this machine, no
# AWS account, no cost (a local SageMaker server, moto with real XGBoost training and
# hosting, lives as long as the `Tutorial` object). On a SageMaker notebook instance,
# uncomment the two `os.environ` lines in the next cell to use the *live* backend: your
# AWS account, with a billed training job and a billed endpoint (on `ml.m4.xlarge`), which
# the last cell deletes. The variable `SAGEMAKER_TUTORIAL_BACKEND=live` set for the
# kernel does the same.
#
# **The data.** On live, the tutorial's `bank_clean.csv`, downloaded and verified. On
# mock, the real file when `BANK_DATA_DIR` names its folder (or pass
# `Tutorial(data_file=...)`), otherwise synthetic data with the tutorial's columns.
#
# **If a cell fails**, fix what it says and run it again, or go straight to the last
# cell: it always cleans up what the run made.

# %% [markdown]
# ## Step 3c: get the notebook ready
#
# The tutorial imports the SageMaker SDK, calls `get_execution_role()`, and picks the
# XGBoost container from a dict of four regions. Here the container comes from the SDK
# v3's image registry, for every region (Tokyo included, which the dict lacked), as a
# current `sagemaker-xgboost:1.7-1` image (`setup(xgboost_version="latest")` gives the
# tutorial's legacy 0.72 one). The role comes from `setup(role=...)`,
# `$SAGEMAKER_ROLE_ARN` or the notebook instance, instead of failing with "The current
# AWS identity is not a role" anywhere else. The SDK v3 moved `get_execution_role`,
# `image_uris` and the estimator: the tutorial's imports no longer exist.

# %%
import os

import numpy as np
import pandas as pd

from sagemaker_tutorial import Tutorial

# On a SageMaker notebook instance, uncomment to run on AWS (billed) and accept the cost:
# os.environ["SAGEMAKER_TUTORIAL_BACKEND"] = "live"
# os.environ["SAGEMAKER_TUTORIAL_ALLOW_COST"] = "1"
print("backend:", os.environ.get("SAGEMAKER_TUTORIAL_BACKEND", "mock"))

tutorial = Tutorial(workdir=".")
notebook = tutorial.setup()
my_region = notebook.region
container = notebook.image_uri
role = notebook.role_arn
prefix = notebook.prefix

# %% [markdown]
# ## Step 3d: create the S3 bucket
#
# The tutorial branches on `us-east-1` by hand and, on any error, prints it and goes
# on. Here the LocationConstraint rules are applied for every region, a bucket you
# already own is reused (a re-run is no error), a name another account holds is an
# error, and a new bucket is locked down (public access blocked, encrypted, tagged with
# the run). Pass your own name with `tutorial.create_bucket("your-s3-bucket-name")`.

# %%
bucket_name = tutorial.create_bucket()

# %% [markdown]
# ## Step 3e: download the data
#
# The tutorial's `urlretrieve` checks nothing: a truncated file or an error page flows
# on into training. Here the download is verified against the sha1 in the URL's file
# name, written atomically, and read with the tutorial's `pd.read_csv(..., index_col=0)`
# and checked: its 61 integer columns (41,188 rows for the tutorial's own file).

# %%
model_data = tutorial.download()

# %% [markdown]
# ## Step 3f: split the data 70/30
#
# The tutorial's `np.split(model_data.sample(frac=1, random_state=1729), ...)` returns
# two bare numpy arrays on pandas 3 (no index, no column names), and step 4's
# `train_data['y_yes']` dies with an IndexError. Here the same shuffled frame is cut
# with `.iloc`: the tutorial's rows, in its order, as DataFrames, on any pandas.

# %%
train_data, test_data = tutorial.split()

# %% [markdown]
# ## Step 4a: upload the training data
#
# As the tutorial: `train.csv`, label (`y_yes`) first, no header, no index, under
# `<prefix>/train/` in the bucket. The upload is checked (size and SHA-256).

# %%
s3_input_train = tutorial.upload()

# %% [markdown]
# ## Steps 4b-4c: configure the training and train
#
# The tutorial's `Estimator` is gone from the SDK v3; the training job is created with
# the SDK's resource classes instead, with the tutorial's hyperparameters. The 1.x
# containers reject the legacy `silent=0`, so it is sent as `verbosity=1`; the job stops
# after an hour at most. On live this is billed (see the first cell).

# %%
model_artifact = tutorial.train()

# %% [markdown]
# ## Step 5a: deploy the model
#
# `xgb.deploy(...)` made a model, an endpoint config and an endpoint; with the SDK v3
# they are made one by one, named after the training job and tagged with the run. On
# live the endpoint bills by the hour until the last cell deletes it.

# %%
endpoint_name = tutorial.deploy()

# %% [markdown]
# ## Step 5b: predict
#
# The tutorial's `csv_serializer` was removed in the SDK v2, and its
# `np.fromstring(predictions[1:], sep=',')` is deprecated on numpy 2 and drops the first
# character of the reply. Here the test part's features are sent as CSV (in batches
# under the 6 MB request limit) and the reply is parsed whole: one probability per row.

# %%
predictions_array = tutorial.predict()
print(predictions_array.shape)

# %% [markdown]
# ## Step 6: evaluate the model
#
# The tutorial's crosstab of the observed `y_yes` against the rounded predictions, and
# its printed block (the percentages are column shares). The published run on SageMaker:
# 89.5%, with 10769 and 167 in the first row and 1133 and 288 in the second. Precision,
# recall and the AUC are added; everything is saved to `evaluation.json`.

# %%
cm = pd.crosstab(
    index=test_data["y_yes"],
    columns=np.round(predictions_array),
    rownames=["Observed"],
    colnames=["Predicted"],
)
evaluation = tutorial.evaluate()
print(cm)

# %% [markdown]
# ## Step 7: clean up
#
# The tutorial deletes the endpoint and the bucket's objects, and readers who skip the
# cell pay for an idle endpoint. Here everything the run made goes: the endpoint, its
# config and the model, a training job still running, every object under the prefix, and
# the bucket (only one the project made: a bucket without its tag is never emptied).
# Run this cell whatever failed above; run it again if it fails itself.

# %%
tutorial.clean_up()

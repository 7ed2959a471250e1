"""A training job on bad labels fails as the container fails: a UserError in XGBoost's words.

The container blames the user (``UserError``, not ``AlgorithmError``) for the XGBoost
errors in its list of customer errors; XGBoost's wording changes between versions,
so the expected text is not copied here: each test makes the installed XGBoost fail
on the same data and expects its own message in the FailureReason.
"""

from __future__ import annotations

import re
from typing import Any

import local_aws
import numpy as np
import pytest
import xgboost as xgb
from serve_support import Clients, clients

pytestmark = pytest.mark.moto_only

USER_ERROR = "AlgorithmError: framework error: \nsagemaker_algorithm_toolkit.exceptions.UserError: "


@pytest.fixture
def aws(moto_endpoint: str | None) -> Clients:
    assert moto_endpoint is not None
    return clients(moto_endpoint)


def _rows(label: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    x = rng.random((60, 3)).round(3)
    y = (x[:, 0] > 0.5).astype(float)
    y[5] = label
    return x, y


def _xgboost_says(x: np.ndarray, y: np.ndarray) -> str:
    """What the installed XGBoost itself says on this data: the message's own text."""
    with pytest.raises(xgb.core.XGBoostError) as raised:
        dtrain = xgb.DMatrix(x.astype(np.float32), label=y.astype(np.float32))
        xgb.train({"objective": "binary:logistic"}, dtrain, num_boost_round=2)
    first_line = str(raised.value).split("\n")[0]
    # "[20:42:32] /workspace/src/data/data.cc:568: Check failed: ..." less time and place
    return re.sub(r"^\[[\d:]+\] [^ ]+:\d+: ", "", first_line)


def _train(aws: Clients, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    hyperparameters = {"num_round": "2", "objective": "binary:logistic"}
    return local_aws.train(aws, local_aws.to_csv(x, y), hyperparameters=hyperparameters)


@pytest.mark.parametrize("label", [float("nan"), 7.0, -1.0], ids=["nan", "seven", "minus-one"])
def test_a_bad_label_fails_the_job_as_a_user_error_in_xgboosts_words(
    aws: Clients, label: float
) -> None:
    x, y = _rows(label)
    expected = _xgboost_says(x, y)
    job = _train(aws, x, y)
    assert job["TrainingJobStatus"] == "Failed"
    assert job["FailureReason"].startswith(USER_ERROR)
    assert expected in job["FailureReason"]

"""Step definitions for tutorial step 5: host the model, ask it for predictions.

The endpoint that answers with a web page is a real server on loopback: a proxy in
front of the session's SageMaker stand-in that answers every invocation with HTML
(steps/faulty_sagemaker.py); every other call reaches the stand-in itself.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytest_bdd import parsers

from sagemaker_tutorial import pipeline, settings
from sagemaker_tutorial.aws.backends import Backend, live_backend, mock_backend
from sagemaker_tutorial.data.dataset import load_bank_data
from sagemaker_tutorial.options import PredictOptions

from .bilingual import given, then, when
from .common import Told
from .faulty_sagemaker import faulty_proxy as start_faulty_proxy
from .step_4 import TutorialRun, trained


@pytest.fixture
def invocation_sizes() -> list[int]:
    """The size of each InvokeEndpoint request body a When step sent."""
    return []


def _record_invocations(backend: Backend, sizes: list[int]) -> None:
    """Count every InvokeEndpoint body as it goes over the wire (botocore's event hook)."""

    def record(request: Any, **_: Any) -> None:
        sizes.append(len(request.body or b""))

    backend.session.events.register("before-send.sagemaker-runtime.InvokeEndpoint", record)


# --- Given ---------------------------------------------------------------------------------------


@given("a trained model", "トレーニング済みのモデルがある")
def a_trained_model(tutorial_run: TutorialRun) -> None:
    trained(tutorial_run)


@given("the model is hosted on an endpoint", "モデルがエンドポイントでホストされている")
def hosted(tutorial_run: TutorialRun) -> None:
    trained(tutorial_run).deploy()


@pytest.fixture
def fault() -> str:
    """What the faulty proxy breaks (a Given step may name another operation)."""
    return "invocations"


@pytest.fixture
def faulty_proxy(moto_endpoint: str | None, fault: str) -> Iterator[str]:
    """The session's server behind a proxy that breaks ``fault`` (steps/faulty_sagemaker.py)."""
    assert moto_endpoint is not None, "needs a SageMaker stand-in to put a proxy in front of"
    with start_faulty_proxy(moto_endpoint, fault) as url:
        yield url


@pytest.fixture
def api_endpoint(moto_endpoint: str | None) -> str | None:
    """Where this scenario's AWS calls go: the session's server (None on real AWS)."""
    return moto_endpoint


def backend_via(
    endpoint: str, kind: str, region: str, run_id: str, monkeypatch: pytest.MonkeyPatch
) -> Backend:
    """The scenario's backend kind, with its calls sent to ``endpoint``."""
    if kind == "mock":
        return mock_backend(endpoint, region, run_id)
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)  # as a user would point the live backend
    return live_backend(region, run_id)


@given(
    "the model is hosted on an endpoint that answers with a web page",
    "モデルが、Web ページを返すエンドポイントでホストされている",
    target_fixture="tutorial_run",
)
def hosted_answering_html(
    tutorial_run: TutorialRun,
    faulty_proxy: str,
    backend_kind: str,
    run_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> TutorialRun:
    trained(tutorial_run).deploy()
    via = backend_via(faulty_proxy, backend_kind, tutorial_run.backend.region, run_id, monkeypatch)
    return TutorialRun(via, tutorial_run.workdir, tutorial_run.cleanup)


@given(
    "an endpoint runtime that answers with a web page",
    "エンドポイントのランタイムが Web ページを返す",
    target_fixture="api_endpoint",
)
def runtime_answering_html(faulty_proxy: str) -> str:
    return faulty_proxy


# --- When ----------------------------------------------------------------------------------------


@when("I host the model on an endpoint", "モデルをエンドポイントでホストする")
def host(tutorial_run: TutorialRun) -> None:
    tutorial_run.deploy()


@when(
    "I ask the endpoint for predictions for the test part",
    "テストデータの予測をエンドポイントに求める",
    target_fixture="told",
)
def ask(tutorial_run: TutorialRun, invocation_sizes: list[int]) -> Told:
    run = tutorial_run.with_new_session()
    _record_invocations(run.backend, invocation_sizes)
    return run.attempt(
        lambda reporter: pipeline.predict_step(run.backend, run.workdir, PredictOptions(), reporter)
    )


@when(
    "I ask the endpoint for predictions for the test part five times over",
    "5 倍にしたテストデータの予測をエンドポイントに求める",
    target_fixture="told",
)
def ask_five_times(tutorial_run: TutorialRun, invocation_sizes: list[int]) -> Told:
    test = tutorial_run.workdir / settings.TEST_FILE_NAME
    frame = load_bank_data(test, rows=None)
    five = frame.loc[frame.index.repeat(5)].reset_index(drop=True)
    five.to_csv(test, lineterminator="\n")
    return ask(tutorial_run, invocation_sizes)


@when("I take the endpoint down", "エンドポイントを削除する", target_fixture="told")
def take_down(tutorial_run: TutorialRun) -> Told:
    return tutorial_run.attempt(
        lambda reporter: pipeline.take_down_step(
            tutorial_run.backend, tutorial_run.workdir, reporter
        )
    )


@when("I take the endpoint down twice", "エンドポイントを 2 回削除する", target_fixture="told")
def take_down_twice(tutorial_run: TutorialRun) -> Told:
    first = take_down(tutorial_run)
    assert first.exit_code == 0, first.text
    return take_down(tutorial_run)


# --- Then ----------------------------------------------------------------------------------------


def _predictions(workdir: Path) -> np.ndarray:
    from sagemaker_tutorial.model.prediction import read_predictions

    return read_predictions(workdir / settings.PREDICTIONS_FILE_NAME)


@then(
    parsers.parse("I get {count} probabilities between 0 and 1"),
    parsers.parse("0 から 1 までの確率が {count} 個得られる"),
)
def probabilities(tutorial_run: TutorialRun, told: Told, count: str) -> None:
    assert told.exit_code == 0, told.text
    predictions = _predictions(tutorial_run.workdir)
    assert len(predictions) == int(count.replace(",", ""))
    assert ((predictions >= 0) & (predictions <= 1)).all()


@then(
    "they are the trained model's own predictions for those calls",
    "それらは、トレーニング済みのモデルそのものが同じ顧客について出す予測と一致する",
)
def own_predictions(tutorial_run: TutorialRun) -> None:
    import xgboost

    artifact = tutorial_run.state.require("model_artifact", "")
    with tarfile.open(fileobj=io.BytesIO(tutorial_run.s3_object(artifact))) as archive:
        member = archive.extractfile("xgboost-model")
        assert member is not None
        booster = xgboost.Booster()
        booster.load_model(bytearray(member.read()))
    test = load_bank_data(tutorial_run.workdir / settings.TEST_FILE_NAME, rows=None)
    features = test.drop(columns=["y_no", "y_yes"]).to_numpy(dtype=np.float32)
    expected = booster.predict(xgboost.DMatrix(features))
    np.testing.assert_allclose(_predictions(tutorial_run.workdir), expected, rtol=1e-6)


@then("no request was larger than 6 MB", "6 MB を超えたリクエストはない")
def under_limit(invocation_sizes: list[int]) -> None:
    assert len(invocation_sizes) > 1, invocation_sizes
    assert max(invocation_sizes) <= settings.INVOKE_PAYLOAD_LIMIT


@then("no predictions were saved", "予測は保存されていない")
def nothing_saved(tutorial_run: TutorialRun) -> None:
    assert not (tutorial_run.workdir / settings.PREDICTIONS_FILE_NAME).exists()


@then(
    "no endpoint, endpoint configuration or model of the run is left",
    "この実行のエンドポイント、エンドポイント設定、モデルはどれも残っていない",
)
def nothing_hosted(backend: Backend, run_id: str) -> None:
    sagemaker = backend.client("sagemaker")
    left = [
        *(e["EndpointName"] for e in sagemaker.list_endpoints()["Endpoints"]),
        *(c["EndpointConfigName"] for c in sagemaker.list_endpoint_configs()["EndpointConfigs"]),
        *(m["ModelName"] for m in sagemaker.list_models()["Models"]),
    ]
    ours = [name for name in left if name.startswith("sagemaker-tutorial-")]
    assert ours == []


@then(
    parsers.parse('I am told the endpoint "{words}"'),
    parsers.parse("エンドポイントについて「{words}」と表示される"),
)
def told_endpoint(told: Told, words: str) -> None:
    assert told.exit_code == 0, told.text
    lines = told.text.splitlines()
    assert len(lines) == 3 and all(words in line for line in lines), told.text

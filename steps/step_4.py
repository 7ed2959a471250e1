"""Step definitions for tutorial step 4: upload the training data, configure, train.

Scenarios call the same step functions the CLI's commands call (sagemaker_tutorial
.pipeline) on the session's backend, in the scenario's workdir, with the synthetic
data (the real data only where a scenario says so). ``TutorialRun`` carries one
scenario's run from step to step; what a run creates is removed by ``cleanup``.
"""

from __future__ import annotations

import io
import secrets
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import parsers

from sagemaker_tutorial import pipeline, settings
from sagemaker_tutorial.aws.backends import Backend, live_backend, mock_backend
from sagemaker_tutorial.data.bucket import delete_tutorial_bucket
from sagemaker_tutorial.data.synthetic import synthetic_csv
from sagemaker_tutorial.model.hosting import Deployment, delete_deployment
from sagemaker_tutorial.options import (
    BucketOptions,
    Consent,
    DeployOptions,
    SplitOptions,
    TrainOptions,
    UploadOptions,
)
from sagemaker_tutorial.reporter import Reporter
from sagemaker_tutorial.state import RunState, load_state

from .bilingual import given, then, when
from .common import Told, attempt, run_command

# Long enough for a real training job; the local server's takes about a second.
WAIT_SECONDS = 1800.0
# The scenarios' runs consent to the cost of what they start (the refusal has its own).
CONSENTED = Consent(given=True)


def quiet() -> Reporter:
    """A reporter for a Given's steps: what they print is not the scenario's to show."""
    return Reporter(io.StringIO(), io.StringIO())


@dataclass
class TutorialRun:
    """One scenario's pass through the tutorial: where it runs and what it has made.

    Each step is the pipeline's own function, as the command line and `Tutorial` call it;
    ``attempt`` gives what it printed, or the error it raised, as the reader sees it."""

    backend: Backend
    workdir: Path
    cleanup: Any

    @property
    def state(self) -> RunState:
        state = load_state(self.workdir)
        assert state is not None, "no step has recorded anything yet"
        return state

    def attempt(self, step: Callable[[Reporter], object]) -> Told:
        told, _ = attempt(step)
        return told

    def split(self, data: bytes | None = None) -> None:
        source = self.workdir / settings.DATA_FILE_NAME
        source.write_bytes(synthetic_csv() if data is None else data)
        pipeline.split_command(self.workdir, SplitOptions(input=source), quiet())

    def make_bucket(self) -> str:
        """Step 3d as `create-bucket` runs it: the bucket, recorded in state.json."""
        name = f"sagemaker-st-{self.backend.run_id}-{secrets.token_hex(3)}"
        pipeline.create_bucket_command(self.backend, self.workdir, BucketOptions(name), quiet())
        self.cleanup.add(delete_tutorial_bucket, self.backend, name)
        return name

    def upload(self, instance_count: int = 1, reporter: Reporter | None = None) -> None:
        options = UploadOptions(instance_count=instance_count)
        pipeline.upload_step(self.backend, self.workdir, options, reporter or quiet())

    def train(self, reporter: Reporter | None = None) -> None:
        options = TrainOptions(timeout=WAIT_SECONDS, consent=CONSENTED)
        try:
            pipeline.train_step(self.backend, self.workdir, options, reporter or quiet())
        finally:
            state = load_state(self.workdir)
            if state is not None and state.training_job:
                self.cleanup.add(_stop_job, self.backend, state.training_job)

    def deploy(self, reporter: Reporter | None = None) -> None:
        job = self.state.require("training_job", "train first")
        self.cleanup.add(delete_deployment, self.backend, Deployment.named(job))
        options = DeployOptions(timeout=WAIT_SECONDS, consent=CONSENTED)
        pipeline.deploy_step(self.backend, self.workdir, options, reporter or quiet())

    def with_new_session(self) -> TutorialRun:
        """The same run on a new boto3 session: hooks registered on it see every call (the
        SDK keeps the clients it made for a session, with the hooks they were made with;
        so do mock backends, which share theirs: this one makes its own)."""
        old = self.backend
        if old.kind == "mock":
            assert old.endpoint_url is not None
            backend = replace(mock_backend(old.endpoint_url, old.region, old.run_id), clients={})
        else:
            backend = live_backend(old.region, old.run_id)
        return TutorialRun(backend, self.workdir, self.cleanup)

    def s3_object(self, uri: str) -> bytes:
        bucket, _, key = uri.removeprefix("s3://").partition("/")
        body: bytes = self.backend.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        return body

    def channel_objects(self) -> dict[str, bytes]:
        state = self.state
        folder = f"{state.prefix}/{settings.TRAIN_CHANNEL}/"
        s3 = self.backend.client("s3")
        listed = s3.list_objects_v2(Bucket=state.bucket, Prefix=folder).get("Contents", [])
        return {
            item["Key"][len(folder) :]: self.s3_object(f"s3://{state.bucket}/{item['Key']}")
            for item in listed
        }


def _stop_job(backend: Backend, name: str) -> None:
    from sagemaker_tutorial.model.training import stop_training_job

    stop_training_job(backend, name)


@pytest.fixture
def role_for_training(
    backend: Backend,
    moto_endpoint: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The execution role training runs as, on every backend.

    Mock: the role step 2 makes (it needs the AWS-managed policy). Contract: the live
    path off a notebook instance needs a role named, as it does for any reader not on
    one: step 2's role, made first and named in SAGEMAKER_ROLE_ARN. Real AWS: the
    reader's SAGEMAKER_ROLE_ARN, or the notebook's own role.
    """
    if backend.kind == "live" and moto_endpoint is not None:
        from sagemaker_tutorial.aws.execution_role import ensure_execution_role

        monkeypatch.setenv(settings.ENV_ROLE_ARN, ensure_execution_role(backend).arn)


@pytest.fixture
def tutorial_run(
    backend: Backend, workdir: Path, cleanup: Any, role_for_training: None
) -> TutorialRun:
    return TutorialRun(backend, workdir, cleanup)


def trained(tutorial_run: TutorialRun) -> TutorialRun:
    """Steps 3f to 4c: split, bucket, upload, train (shared by later steps' Givens)."""
    tutorial_run.split()
    tutorial_run.make_bucket()
    tutorial_run.upload()
    tutorial_run.train()
    return tutorial_run


# --- Given ---------------------------------------------------------------------------------------


@given("the tutorial's data, split 70/30", "チュートリアルのデータが 70/30 に分割されている")
def data_split(tutorial_run: TutorialRun) -> None:
    tutorial_run.split()
    tutorial_run.make_bucket()


@given("the training data is uploaded", "トレーニングデータがアップロードされている")
def training_data_uploaded(tutorial_run: TutorialRun) -> None:
    tutorial_run.split()
    tutorial_run.make_bucket()
    tutorial_run.upload()


@given(
    "training data uploaded with its header row",
    "トレーニングデータがヘッダー行付きのままアップロードされている",
)
def training_data_with_header(tutorial_run: TutorialRun) -> None:
    """The classic slip: train.csv written with to_csv's defaults (header and index)."""
    tutorial_run.split()
    tutorial_run.make_bucket()
    tutorial_run.upload()
    state = tutorial_run.state
    train = (tutorial_run.workdir / settings.TRAIN_FILE_NAME).read_bytes()
    key = f"{state.prefix}/{settings.TRAIN_CHANNEL}/{settings.TRAIN_CSV_NAME}"
    tutorial_run.backend.client("s3").put_object(Bucket=state.bucket, Key=key, Body=train)


@pytest.fixture
def records_only_sagemaker() -> Iterator[str]:
    """moto's own server, which records a training job as Completed and computes nothing."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@given(
    "a SageMaker stand-in that only keeps records and computes nothing",
    "記録を残すだけで何も計算しない、SageMaker の代役がある",
    target_fixture="tutorial_run",
)
def records_only(
    records_only_sagemaker: str, workdir: Path, cleanup: Any, monkeypatch: pytest.MonkeyPatch
) -> TutorialRun:
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    run = TutorialRun(mock_backend(records_only_sagemaker), workdir, cleanup)
    run.split()
    run.make_bucket()
    run.upload()
    return run


# --- When ----------------------------------------------------------------------------------------


@when("I upload the training data", "トレーニングデータをアップロードする", target_fixture="told")
def upload(tutorial_run: TutorialRun) -> Told:
    return tutorial_run.attempt(lambda reporter: tutorial_run.upload(reporter=reporter))


@when(
    parsers.parse("I upload the training data for {count:d} training instances"),
    parsers.parse(
        "{count:d} 台のトレーニングインスタンス向けにトレーニングデータをアップロードする"
    ),
)
def upload_for(tutorial_run: TutorialRun, count: int) -> None:
    tutorial_run.upload(count)


@when(
    parsers.parse("I configure the training for XGBoost {version}"),
    parsers.parse("XGBoost {version} 向けにトレーニングを設定する"),
    target_fixture="request_table",
)
def configure(tutorial_run: TutorialRun, version: str, record_figure: Any) -> dict[str, str]:
    """The request `train` would send for this version (nothing is started or recorded)."""
    options = TrainOptions(xgboost_version=version)
    request = pipeline.training_request_for(tutorial_run.backend, tutorial_run.state, options)
    table = dict(request.table())
    record_figure("training-request", table=table)
    return table


@when("I train the model", "モデルをトレーニングする", target_fixture="told")
def train(tutorial_run: TutorialRun, record_figure: Any) -> Told:
    told = tutorial_run.attempt(lambda reporter: tutorial_run.train(reporter))
    job = tutorial_run.state.training_job
    if told.exit_code == 0 and job:
        backend = tutorial_run.backend
        record_figure(
            "training-job",
            sagemaker=backend.client("sagemaker"),
            job=job,
            logs=backend.client("logs"),
        )
    return told


@when(
    parsers.parse("I run {command} against an AWS account without consenting to its cost"),
    parsers.parse("AWS アカウントに対して、費用に同意しないまま {command} を実行する"),
    target_fixture="told",
)
def run_without_consent(command: str, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Told:
    monkeypatch.delenv(settings.ENV_ALLOW_COST, raising=False)
    return run_command(
        ["--backend", "live", "--region", "eu-west-1", "--workdir", str(workdir), command]
    )


# --- Then ----------------------------------------------------------------------------------------


def _count(text: str) -> int:
    return int(text.replace(",", ""))


@then(
    parsers.parse("train.csv holds {rows} rows of {columns:d} numbers, y_yes first"),
    parsers.parse("train.csv は {rows} 行あり、各行は y_yes を先頭とする {columns:d} 個の数値だ"),
)
def train_csv_format(tutorial_run: TutorialRun, told: Told, rows: str, columns: int) -> None:
    import pandas as pd

    assert told.exit_code == 0, told.text
    written = pd.read_csv(tutorial_run.workdir / settings.TRAIN_CSV_NAME, header=None)
    train = pd.read_csv(tutorial_run.workdir / settings.TRAIN_FILE_NAME, index_col=0)
    assert written.shape == (_count(rows), columns)
    # No header: the first line is data. Label first: the first column is y_yes.
    assert written.dtypes.map(pd.api.types.is_numeric_dtype).all()
    assert written[0].tolist() == train["y_yes"].tolist()
    features = train.drop(columns=["y_no", "y_yes"])
    assert (written.iloc[:, 1:].to_numpy() == features.to_numpy()).all()


@then(
    "the train channel holds train.csv exactly as it was written",
    "train チャネルには、書き出したとおりの train.csv が入っている",
)
def channel_holds_train_csv(tutorial_run: TutorialRun) -> None:
    written = (tutorial_run.workdir / settings.TRAIN_CSV_NAME).read_bytes()
    assert tutorial_run.channel_objects() == {settings.TRAIN_CSV_NAME: written}


@then(
    parsers.parse("the train channel holds {first} and {second}"),
    parsers.parse("train チャネルには {first} と {second} が入っている"),
)
def channel_holds(tutorial_run: TutorialRun, first: str, second: str) -> None:
    assert sorted(tutorial_run.channel_objects()) == [first, second]


@then(
    "together they hold the rows of train.csv, in order",
    "二つを合わせると、train.csv の行が順番どおりにそろう",
)
def parts_together(tutorial_run: TutorialRun) -> None:
    parts = tutorial_run.channel_objects()
    written = (tutorial_run.workdir / settings.TRAIN_CSV_NAME).read_bytes()
    assert b"".join(parts[name] for name in sorted(parts)) == written
    assert all(parts.values())


@then("the training request is", "トレーニングリクエストは次のとおりだ")
def request_is(
    request_table: dict[str, str], tutorial_run: TutorialRun, datatable: list[list[str]]
) -> None:
    bucket = str(tutorial_run.state.bucket)
    expected = {name: value.replace("<bucket>", bucket) for name, value in datatable[1:]}
    shown = {name: request_table[name] for name in expected}
    assert shown == expected
    hyperparameters = set(request_table) - {
        "training image",
        "execution role",
        "instance type",
        "instance count",
        "train channel",
        "output path",
        "stopping condition",
    }
    assert hyperparameters <= set(expected), hyperparameters - set(expected)


@then(
    parsers.parse("the request passes {setting} = {value}"),
    parsers.parse("リクエストでは {setting} = {value} が渡される"),
)
def request_passes(request_table: dict[str, str], setting: str, value: str) -> None:
    assert request_table[setting] == value
    other = {"silent": "verbosity", "verbosity": "silent"}[setting]
    assert other not in request_table


@then(
    parsers.parse("the job's model.tar.gz holds an XGBoost model of the {features:d} features"),
    parsers.parse(
        "ジョブの model.tar.gz には、{features:d} 個の特徴量の XGBoost モデルが入っている"
    ),
)
def model_loads(tutorial_run: TutorialRun, told: Told, features: int) -> None:
    import xgboost

    assert told.exit_code == 0, told.text
    artifact = tutorial_run.state.require("model_artifact", "")
    with tarfile.open(fileobj=io.BytesIO(tutorial_run.s3_object(artifact))) as archive:
        assert archive.getnames() == ["xgboost-model"]
        member = archive.extractfile("xgboost-model")
        assert member is not None
        booster = xgboost.Booster()
        booster.load_model(bytearray(member.read()))
    assert booster.num_features() == features
    assert booster.num_boosted_rounds() == int(settings.HYPERPARAMETERS["num_round"])


@then(
    "I am told the training job failed, with SageMaker's reason",
    "トレーニングジョブが失敗したと、SageMaker の示す理由とともに表示される",
)
def told_failed(tutorial_run: TutorialRun, told: Told) -> None:
    job = tutorial_run.state.require("training_job", "")
    assert told.exit_code == 1, told.text
    assert told.text.startswith(f"training job {job} failed: ")
    reason = tutorial_run.backend.client("sagemaker").describe_training_job(TrainingJobName=job)[
        "FailureReason"
    ]
    assert told.text == f"training job {job} failed: {reason}"

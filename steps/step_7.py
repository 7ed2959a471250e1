"""Step definitions for tutorial step 7: clean up, and nothing left behind.

Clean-up scenarios call what `sagemaker-tutorial cleanup` calls. The "however it
ends" scenarios run the whole tutorial: failing for want of quota behind a real
loopback proxy (steps/faulty_sagemaker.py), or in its own process, stopped by a real
signal at an exact moment: the local server holds back the answer to a named
operation (its hold-answers switch), so the run is known to be waiting right there
when the signal is sent, and no sleep guesses at it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import Any

from pytest_bdd import parsers

from sagemaker_tutorial import pipeline, settings
from sagemaker_tutorial.aws.backends import Backend
from sagemaker_tutorial.data.synthetic import synthetic_csv
from sagemaker_tutorial.local_server import HOLD_ANSWERS_PATH, HOLD_PATH
from sagemaker_tutorial.options import CleanupOptions

from .bilingual import given, then, when
from .common import Told, run_command
from .faulty_sagemaker import faulty_proxy
from .step_4 import TutorialRun
from .step_6 import data_file_options


def _clean_up(run: TutorialRun, **options: Any) -> Told:
    chosen = CleanupOptions(**options)
    return run.attempt(
        lambda reporter: pipeline.cleanup_step(run.backend, run.workdir, chosen, reporter)
    )


# --- Given ---------------------------------------------------------------------------------------


@given(
    "an endpoint someone else made in the same account",
    "同じ AWS アカウントに、ほかの誰かが作ったエンドポイントがある",
    target_fixture="their_endpoint",
)
def their_endpoint(backend: Backend, tutorial_run: TutorialRun) -> str:
    """A model, config and endpoint with no project tag (someone's production, say).

    ``tutorial_run`` first: its role set-up must see IAM before anything else does."""
    sagemaker = backend.client("sagemaker")
    name = "their-production-endpoint"
    sagemaker.create_model(
        ModelName=name,
        PrimaryContainer={"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/theirs:1"},
        ExecutionRoleArn="arn:aws:iam::123456789012:role/theirs",
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": name,
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=name)
    return name


@given(
    parsers.parse("an account whose {operation} fails for want of quota"),
    parsers.parse("AWS アカウントの {operation} がクォータ不足で失敗する"),
    target_fixture="api_endpoint",
)
def quota_fails(operation: str, moto_endpoint: str | None, cleanup: Any) -> str:
    """The session's server behind a proxy that refuses ``operation`` as AWS does."""
    assert moto_endpoint is not None
    stack = ExitStack()
    url = stack.enter_context(faulty_proxy(moto_endpoint, operation))
    cleanup.add(stack.close)
    return url


# What a run in its own process trains on: the synthetic data, cut to this many rows.
# These scenarios are about how a run stops and what it takes down, which the size of
# its data does not change; a full-size run of each cost the suite ~1 s of CPU.
_PROCESS_RUN_ROWS = 2_000


def _start_run(workdir: Path, endpoint: str, backend_kind: str, folder: Path) -> Popen[str]:
    """`sagemaker-tutorial run` in a process of its own, against ``endpoint``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGEMAKER_TUTORIAL_")}
    env[settings.ENV_MOCK_ENDPOINT] = endpoint
    command = [sys.executable, "-m", "sagemaker_tutorial.cli", "--backend", backend_kind]
    command += ["--workdir", str(workdir), "run", "--allow-cost"]
    data_file = folder / "small" / settings.DATA_FILE_NAME
    data_file.parent.mkdir(exist_ok=True)
    data_file.write_bytes(synthetic_csv(rows=_PROCESS_RUN_ROWS))
    command += data_file_options(backend_kind, data_file, folder)
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


@given(
    "a run of the whole tutorial in its own process",
    "チュートリアル全体の実行が、独立したプロセスで動いている",
    target_fixture="process",
)
def run_in_process(
    workdir: Path,
    api_endpoint: str | None,
    backend_kind: str,
    role_for_training: None,
    tmp_path: Path,
) -> Popen[str]:
    assert api_endpoint is not None
    return _start_run(workdir, api_endpoint, backend_kind, tmp_path)


def _control(endpoint: str, path: str, body: dict[str, Any]) -> Any:
    """POST one of the local server's own switches (JSON in, JSON out)."""
    request = urllib.request.Request(
        endpoint + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read() or b"{}")


def _hold_training(endpoint: str, hold: bool) -> None:
    """Tell the local server to keep new training jobs in Starting, or to let them run."""
    _control(endpoint, HOLD_PATH, {"hold": hold})


def _hold_answers(endpoint: str, operations: list[str]) -> None:
    """Hold back the answers to ``operations`` (an empty list lets every answer go)."""
    _control(endpoint, HOLD_ANSWERS_PATH, {"operations": operations})


@dataclass
class CaughtRun:
    """A run in its own process, and the operation whose answer it will be kept waiting for."""

    process: Popen[str]
    endpoint: str
    operation: str

    def wait_until_caught(self) -> None:
        """Return once the run is waiting for the held answer (or fail if it ended first)."""
        deadline = time.monotonic() + 120
        while self.operation not in _control(self.endpoint, HOLD_ANSWERS_PATH, {})["waiting"]:
            if self.process.poll() is not None:
                _, err = self.process.communicate()
                raise AssertionError(f"the run ended before {self.operation}: {err}")
            assert time.monotonic() < deadline, f"the run never called {self.operation}"
            time.sleep(0.02)  # polling a condition the server reports, not guessing a moment


@given(
    parsers.parse(
        "a run of the whole tutorial in its own process, caught as it waits for {operation}"
    ),
    parsers.parse(
        "チュートリアル全体の実行が独立したプロセスで動き、{operation} の応答を待つところで"
        "捕まえられている"
    ),
    target_fixture="caught",
)
def run_caught_at(
    operation: str,
    workdir: Path,
    moto_endpoint: str | None,
    backend_kind: str,
    role_for_training: None,
    tmp_path: Path,
    cleanup: Any,
) -> CaughtRun:
    assert moto_endpoint is not None
    _hold_answers(moto_endpoint, [operation])
    cleanup.add(_hold_answers, moto_endpoint, [])
    process = _start_run(workdir, moto_endpoint, backend_kind, tmp_path)
    return CaughtRun(process, moto_endpoint, operation)


@given(
    "a run of the whole tutorial in its own process, its training held at the start",
    "チュートリアル全体の実行が独立したプロセスで動き、そのトレーニングは開始時点で保留されている",
    target_fixture="process",
)
def run_with_training_held(
    workdir: Path,
    moto_endpoint: str | None,
    backend_kind: str,
    role_for_training: None,
    tmp_path: Path,
    cleanup: Any,
) -> Popen[str]:
    assert moto_endpoint is not None
    _hold_training(moto_endpoint, True)
    cleanup.add(_hold_training, moto_endpoint, False)
    return _start_run(workdir, moto_endpoint, backend_kind, tmp_path)


# --- When ----------------------------------------------------------------------------------------


@when("I clean up", "後片付けする", target_fixture="told")
def clean_up(tutorial_run: TutorialRun) -> Told:
    return _clean_up(tutorial_run)


@when("I clean up, keeping the bucket", "バケットを残して後片付けする", target_fixture="told")
def clean_up_keeping(tutorial_run: TutorialRun) -> Told:
    return _clean_up(tutorial_run, keep_bucket=True)


@when("I clean up twice", "2 回続けて後片付けする", target_fixture="told")
def clean_up_twice(tutorial_run: TutorialRun) -> Told:
    first = _clean_up(tutorial_run, keep_bucket=True)
    assert first.exit_code == 0, first.text
    return _clean_up(tutorial_run, keep_bucket=True)


@when("I clean up the run by its id", "実行をその ID で指定して後片付けする", target_fixture="told")
def clean_up_by_id(tutorial_run: TutorialRun) -> Told:
    return _clean_up(tutorial_run, run_id=tutorial_run.state.run_id)


@when(
    "I clean up every run, confirming with --yes",
    "--yes で確認を済ませて、すべての実行を後片付けする",
    target_fixture="told",
)
def clean_up_all(tutorial_run: TutorialRun) -> Told:
    return _clean_up(tutorial_run, all_runs=True, yes=True)


@when(
    "I clean up every run without confirming",
    "確認せずに、すべての実行を後片付けする",
    target_fixture="told",
)
def clean_up_all_unconfirmed(tutorial_run: TutorialRun) -> Told:
    return _clean_up(tutorial_run, all_runs=True)


def _signal_after(process: Popen[str], name: str, seen: Callable[[str], bool]) -> Told:
    """Send signal ``name`` once the run has printed a line ``seen`` accepts."""
    assert process.stdout is not None and process.stderr is not None
    deadline = time.monotonic() + 120
    for line in process.stdout:
        if seen(line.rstrip("\n")):
            break
        assert time.monotonic() < deadline, "the run never got there"
    else:
        raise AssertionError(f"the run ended first: {process.stderr.read()}")
    process.send_signal(getattr(signal, name))
    out, err = process.communicate(timeout=120)
    return Told(out + err, process.returncode, ["run"], err)


@when(
    parsers.parse("it gets {name} while its endpoint is up"),
    parsers.parse("エンドポイントが稼働している間に、実行が {name} を受け取る"),
    target_fixture="told",
)
def signal_while_up(process: Popen[str], name: str) -> Told:
    return _signal_after(
        process, name, lambda line: line.startswith("Endpoint ") and line.endswith(": InService")
    )


@when(
    parsers.parse("it gets {name} while its training job runs"),
    parsers.parse("トレーニングジョブが動いている間に、実行が {name} を受け取る"),
    target_fixture="told",
)
def signal_while_training(process: Popen[str], name: str) -> Told:
    return _signal_after(
        process,
        name,
        lambda line: line.startswith("Training job ") and ": InProgress - " in line,
    )


@when(
    parsers.parse("it gets {signals} there"),
    parsers.parse("そこで実行が {signals} を受け取る"),
    target_fixture="told",
)
def signals_while_caught(caught: CaughtRun, signals: str) -> Told:
    """Send each signal (``SIGINT, then SIGTERM``) while the run waits, then let it go on."""
    caught.wait_until_caught()
    for name in signals.split(", then "):
        caught.process.send_signal(getattr(signal, name))
    _hold_answers(caught.endpoint, [])
    out, err = caught.process.communicate(timeout=120)
    return Told(out + err, caught.process.returncode, ["run"], err)


@when(
    "it gets SIGINT once its clean-up has printed its last line",
    "後片付けが最後の行を表示したあとで、実行が SIGINT を受け取る",
    target_fixture="told",
)
def signal_after_clean_up(process: Popen[str]) -> Told:
    return _signal_after(process, "SIGINT", lambda line: line.startswith("Deleted this run's "))


@when(
    "I start a second run in the same folder",
    "同じフォルダーで 2 つ目の実行を始める",
    target_fixture="told",
)
def second_run(process: Popen[str], workdir: Path, backend_kind: str) -> Told:
    """Once the first run has started (its first line: it holds the folder), a second."""
    assert process.stdout is not None
    first_line = process.stdout.readline()
    assert first_line, f"the first run ended at once: {process.communicate()}"
    return run_command(["--backend", backend_kind, "--workdir", str(workdir), "run"])


# --- Then ----------------------------------------------------------------------------------------


@then("the run's bucket is gone", "この実行のバケットはもうない")
def bucket_gone(tutorial_run: TutorialRun, told: Told) -> None:
    assert told.exit_code == 0, told.text
    names = [b["Name"] for b in tutorial_run.backend.client("s3").list_buckets()["Buckets"]]
    assert not [
        name for name in names if name.startswith(f"sagemaker-st-{tutorial_run.backend.run_id}")
    ]


@then(
    parsers.parse("the run's bucket holds nothing under {prefix}"),
    parsers.parse("この実行のバケットの {prefix} の下には何も残っていない"),
)
def bucket_empty(tutorial_run: TutorialRun, told: Told, prefix: str) -> None:
    assert told.exit_code == 0, told.text
    bucket = tutorial_run.state.require("bucket", "")
    s3 = tutorial_run.backend.client("s3")
    assert s3.list_object_versions(Bucket=bucket, Prefix=prefix).get("Versions", []) == []


@then("their endpoint is still there", "その人のエンドポイントはまだ残っている")
def theirs_still_there(backend: Backend, their_endpoint: str, told: Told) -> None:
    assert told.exit_code == 0, told.text
    described = backend.client("sagemaker").describe_endpoint(EndpointName=their_endpoint)
    assert described["EndpointName"] == their_endpoint


@then("the endpoint is still there", "エンドポイントはまだ残っている")
def ours_still_there(tutorial_run: TutorialRun) -> None:
    endpoint = tutorial_run.state.require("endpoint", "")
    described = tutorial_run.backend.client("sagemaker").describe_endpoint(EndpointName=endpoint)
    assert described["EndpointStatus"] == "InService"


@then(
    parsers.parse("it ends with exit code {code:d} and one error line"),
    parsers.parse("実行は終了コード {code:d} で終わり、エラーを 1 行だけ出す"),
)
def ends_with(told: Told, code: int) -> None:
    assert told.exit_code == code, told.text
    assert told.stderr.startswith("error: ") and told.stderr.count("\n") == 1, told.stderr


@then(
    "it ends with exit code 0, saying the clean-up was finished first",
    "実行は終了コード 0 で終わり、後片付けを先に終えたと表示される",
)
def ends_after_clean_up(told: Told) -> None:
    assert told.exit_code == 0, told.text
    assert told.stderr.startswith("warning: ") and told.stderr.count("\n") == 1, told.stderr
    assert "that clean-up was finished first" in told.stderr, told.stderr


@then("it ends with exit code 0 and no error", "実行は終了コード 0 で終わり、エラーは出ない")
def ends_well(told: Told) -> None:
    assert told.exit_code == 0, told.text
    assert "error:" not in told.stderr, told.stderr


@then(
    "the first run still finishes and leaves nothing behind",
    "最初の実行は最後まで進み、何も残さない",
)
def first_run_finishes(process: Popen[str], moto_endpoint: str | None, backend: Backend) -> None:
    assert moto_endpoint is not None
    _hold_training(moto_endpoint, False)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, out + err
    nothing_left(backend)


@then(
    "nothing of the run is left: no endpoint, model, object or running job",
    "この実行が残したものは、エンドポイントも、モデルも、オブジェクトも、動いているジョブも、何もない",
)
def nothing_left(backend: Backend) -> None:
    sagemaker = backend.client("sagemaker")
    assert sagemaker.list_endpoints()["Endpoints"] == []
    assert sagemaker.list_endpoint_configs()["EndpointConfigs"] == []
    assert sagemaker.list_models()["Models"] == []
    running = sagemaker.list_training_jobs(StatusEquals="InProgress")["TrainingJobSummaries"]
    assert running == []
    s3 = backend.client("s3")
    for bucket in s3.list_buckets()["Buckets"]:
        listed = s3.list_objects_v2(Bucket=bucket["Name"]).get("Contents", [])
        assert listed == [], [item["Key"] for item in listed]


@then(
    "the second clean-up says the endpoint, its configuration and the model were already gone",
    "2 回目の後片付けは、エンドポイントもその設定もモデルも、もうなかったと告げる",
)
def second_already_gone(told: Told) -> None:
    assert told.exit_code == 0, told.text
    gone = [line for line in told.text.splitlines() if " was already gone" in line]
    assert [line.split(" sagemaker-tutorial-")[0] for line in gone] == [
        "Endpoint",
        "Endpoint config",
        "Model",
    ], told.text


@then(
    "I am shown what was found and asked to confirm with --yes",
    "見つかったものが示され、--yes で確認するよう求められる",
)
def asked_to_confirm(told: Told) -> None:
    assert told.exit_code == 0, told.text
    lines = told.text.splitlines()
    assert [line.split(" ", 2)[1] for line in lines[:-1]] == [
        "endpoint",
        "endpoint",  # "endpoint config"
        "model",
        "bucket",
    ], told.text
    assert lines[-1] == "Nothing was removed: pass --yes to remove these 4 resources"

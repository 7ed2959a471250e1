"""Step definitions for tutorial step 3c: get the notebook ready."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from pytest_bdd import parsers

from sagemaker_tutorial import settings
from sagemaker_tutorial.aws.backends import Backend, mock_backend
from sagemaker_tutorial.aws.execution_role import FULL_ACCESS_POLICY_ARN
from sagemaker_tutorial.aws.image_uri import xgboost_image_uri
from sagemaker_tutorial.errors import TutorialError

from .bilingual import given, then, when
from .common import Told, run_command


@pytest.fixture
def any_role_arn(run_id: str) -> str:
    """A well-formed role for scenarios whose rule is not about the role."""
    return f"arn:aws:iam::123456789012:role/sagemaker-tutorial-{run_id}"


def _configure_aws(monkeypatch: pytest.MonkeyPatch, workdir: Path, text: str) -> None:
    config = workdir / "aws-config"
    config.write_text(text)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)


class _ConfiguredRegion:
    """A parse type: the region as the Japanese phrasing names it, " eu-west-1 " or 未設定.

    The English step names no region as if it were one ("names no region"); the Japanese
    reads 未設定 (not set), which this turns into the same argument, "no region".
    """

    pattern = r"\s*\S+?\s*"

    def __call__(self, text: str) -> str:
        region = text.strip()
        return "no region" if region == "未設定" else region


@given(
    parsers.parse("my AWS configuration names {region}"),
    parsers.parse(
        "AWS の設定のリージョンは{region:ConfiguredRegion}だ",
        extra_types={"ConfiguredRegion": _ConfiguredRegion()},
    ),
)
def aws_config_names(monkeypatch: pytest.MonkeyPatch, workdir: Path, region: str) -> None:
    text = "[default]\n" if region == "no region" else f"[default]\nregion = {region}\n"
    _configure_aws(monkeypatch, workdir, text)


@given(
    "my credentials belong to an IAM user, not a role",
    "自分の認証情報はロールではなく IAM ユーザーのものだ",
)
def credentials_of_a_user(
    monkeypatch: pytest.MonkeyPatch, moto_endpoint: str, run_id: str, backend: Backend
) -> None:
    iam = backend.client("iam")
    user = f"tutorial-reader-{run_id}"
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    monkeypatch.setenv("AWS_DEFAULT_REGION", backend.region)


def _setup(workdir: Path, argv: list[str]) -> Told:
    """`sagemaker-tutorial setup` in the scenario's own folder (it records what it chose)."""
    return run_command(["--workdir", str(workdir), *argv])


@when(
    parsers.parse("I get the notebook ready in {region}"),
    parsers.parse("ノートブックを {region} で準備する"),
    target_fixture="told",
)
def ready_in(
    workdir: Path, run_cli: Callable[..., object], any_role_arn: str, backend_kind: str, region: str
) -> Told:
    return _setup(
        workdir, ["--backend", backend_kind, "--region", region, "setup", "--role", any_role_arn]
    )


@when("I get the notebook ready", "ノートブックを準備する", target_fixture="told")
def ready(
    workdir: Path, run_cli: Callable[..., object], any_role_arn: str, backend_kind: str
) -> Told:
    return _setup(workdir, ["--backend", backend_kind, "setup", "--role", any_role_arn])


@when(
    "I get the notebook ready for the live backend",
    "ライブバックエンドでノートブックを準備する",
    target_fixture="told",
)
def ready_live(workdir: Path, any_role_arn: str) -> Told:
    return _setup(workdir, ["--backend", "live", "setup", "--role", any_role_arn])


@when(
    "I get the notebook ready for the live backend without naming a role",
    "ロールを指定せずに、ライブバックエンドでノートブックを準備する",
    target_fixture="told",
)
def ready_live_no_role(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Told:
    monkeypatch.delenv(settings.ENV_ROLE_ARN, raising=False)
    return _setup(workdir, ["--backend", "live", "setup"])


@when(
    "I get the notebook ready offline",
    "オフラインでノートブックを準備する",
    target_fixture="told",
)
def ready_offline(workdir: Path, run_cli: Callable[..., object], any_role_arn: str) -> Told:
    # run_cli has pointed the mock backend at the session's moto server.
    return _setup(workdir, ["--backend", "mock", "setup", "--role", any_role_arn])


@when(
    "I get the notebook ready offline without naming a role",
    "ロールを指定せずに、オフラインでノートブックを準備する",
    target_fixture="told",
)
def ready_offline_no_role(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, moto_endpoint: str
) -> Told:
    monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, moto_endpoint)
    monkeypatch.delenv(settings.ENV_ROLE_ARN, raising=False)
    return _setup(workdir, ["--backend", "mock", "setup"])


@when(
    parsers.parse("I get the notebook ready with the role {role}"),
    parsers.parse("ロール {role} を使ってノートブックを準備する"),
    target_fixture="told",
)
def ready_with_role(
    workdir: Path, run_cli: Callable[..., object], backend_kind: str, role: str
) -> Told:
    return _setup(workdir, ["--backend", backend_kind, "setup", "--role", role])


@when(
    parsers.parse("I look up the XGBoost {version} image"),
    parsers.parse("XGBoost {version} のコンテナイメージを調べる"),
    target_fixture="told",
)
def look_up_image(backend: Backend, version: str) -> Told:
    try:
        return Told(xgboost_image_uri(backend.region, version))
    except TutorialError as exc:
        return Told(str(exc), exc.exit_code)


@then(
    parsers.parse("I am told the notebook is in the {region} region"),
    parsers.parse("ノートブックは {region} リージョンにあると表示される"),
)
def told_region(told: Told, region: str) -> None:
    assert told.exit_code == 0, told.text
    assert f"Success - the MySageMakerInstance is in the {region} region." in told.text


@then(parsers.parse("the image is {image}"), parsers.parse("コンテナイメージは {image} だ"))
def image_is(told: Told, image: str) -> None:
    assert told.exit_code == 0, told.text
    assert told.text == image


@then(
    parsers.re(r"the notebook acts as (?P<role>arn:\S+)"),
    parsers.re(r"ノートブックは (?P<role>arn:\S+) として動く"),
)
def acts_as(told: Told, role: str) -> None:
    assert told.exit_code == 0, told.text
    assert f"Execution role: {role}\n" in told.text


@pytest.fixture
def moto_backend(moto_endpoint: str, run_id: str) -> Backend:
    """The session's moto server seen as the mock backend, to inspect what a step created."""
    return mock_backend(moto_endpoint, None, run_id)


def _role_name(told: Told) -> str:
    assert told.exit_code == 0, told.text
    arn = told.text.split("Execution role: ", 1)[1].strip()
    return arn.rsplit("/", 1)[1]


@then(
    "the notebook acts as a role that SageMaker may assume",
    "ノートブックは SageMaker が引き受けられるロールとして動く",
)
def role_sagemaker_may_assume(told: Told, moto_backend: Backend) -> None:
    role = moto_backend.client("iam").get_role(RoleName=_role_name(told))["Role"]
    policy = role["AssumeRolePolicyDocument"]
    if isinstance(policy, str):  # some servers return it URL-encoded
        policy = json.loads(unquote(policy))
    principals = [
        s["Principal"].get("Service") for s in policy["Statement"] if s["Effect"] == "Allow"
    ]
    assert "sagemaker.amazonaws.com" in principals


@then(
    "the role has AmazonSageMakerFullAccess attached",
    "そのロールには AmazonSageMakerFullAccess がアタッチされている",
)
def role_has_full_access(told: Told, moto_backend: Backend) -> None:
    attached = moto_backend.client("iam").list_attached_role_policies(RoleName=_role_name(told))
    assert FULL_ACCESS_POLICY_ARN in [p["PolicyArn"] for p in attached["AttachedPolicies"]]

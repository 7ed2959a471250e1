"""Step definitions for tutorial step 2: the execution role and the notebook instance.

Scenarios call what `sagemaker-tutorial notebook-instance` calls, on the session's
backend; the role's trust and policies are read back from IAM itself.
"""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import unquote

import pytest
from pytest_bdd import parsers

from sagemaker_tutorial import settings
from sagemaker_tutorial.aws.backends import Backend
from sagemaker_tutorial.aws.execution_role import FULL_ACCESS_POLICY_ARN, ROLE_NAME
from sagemaker_tutorial.errors import TutorialError
from sagemaker_tutorial.options import Consent, NotebookInstanceOptions
from sagemaker_tutorial.pipeline import notebook_instance_step
from sagemaker_tutorial.reporter import Reporter

from .bilingual import given, then, when
from .common import Told

WAIT_SECONDS = float(settings.WAIT_SECONDS)


class Notebook:
    """The scenario's notebook instance steps, with all they printed and warned so far."""

    def __init__(self, backend: Backend, cleanup: Any) -> None:
        self.backend = backend
        self.cleanup = cleanup
        self._out, self._err = io.StringIO(), io.StringIO()

    @property
    def warned(self) -> list[str]:
        return [line.removeprefix("warning: ") for line in self._err.getvalue().splitlines()]

    def run(self, *, delete: bool = False) -> Told:
        if not delete:
            self.cleanup.add(self._step, True, Reporter(io.StringIO(), io.StringIO()))
        try:
            self._step(delete, Reporter(self._out, self._err))
        except TutorialError as exc:
            return Told(str(exc), exc.exit_code)
        return Told(self._out.getvalue())

    def _step(self, delete: bool, reporter: Reporter) -> None:
        options = NotebookInstanceOptions(
            name=settings.NOTEBOOK_INSTANCE_NAME,
            instance_type=settings.NOTEBOOK_INSTANCE_TYPE,
            delete=delete,
            consent=Consent(given=True),
            timeout=WAIT_SECONDS,
        )
        notebook_instance_step(self.backend, options, reporter)


@pytest.fixture
def notebook(backend: Backend, cleanup: Any) -> Notebook:
    return Notebook(backend, cleanup)


def _trusted_services(backend: Backend) -> set[str]:
    role = backend.client("iam").get_role(RoleName=ROLE_NAME)["Role"]
    document = role["AssumeRolePolicyDocument"]
    if isinstance(document, str):
        document = json.loads(unquote(document))
    services: set[str] = set()
    for statement in document["Statement"]:
        service = statement.get("Principal", {}).get("Service", [])
        services.update([service] if isinstance(service, str) else service)
    return services


@given(
    parsers.parse("a role {name} that only EC2 may assume"),
    parsers.parse("EC2 だけが引き受けられるロール {name} がすでにある"),
)
def ec2_role(backend: Backend, name: str) -> None:
    assert name == ROLE_NAME
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    backend.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))


@given("the notebook instance is InService", "ノートブックインスタンスが InService になっている")
def in_service(notebook: Notebook) -> None:
    told = notebook.run()
    assert told.exit_code == 0, told.text


@when("I create the notebook instance", "ノートブックインスタンスを作成する", target_fixture="told")
def create(notebook: Notebook) -> Told:
    return notebook.run()


@when("I delete the notebook instance", "ノートブックインスタンスを削除する", target_fixture="told")
def delete(notebook: Notebook) -> Told:
    return notebook.run(delete=True)


@then(
    parsers.parse("the execution role may be assumed by {service}"),
    parsers.parse("実行ロールを {service} が引き受けられる"),
)
def assumed_by(backend: Backend, told: Told, service: str) -> None:
    assert told.exit_code == 0, told.text
    assert service in _trusted_services(backend)


@then(
    parsers.parse("the role may still be assumed by {service} only"),
    parsers.parse("そのロールを引き受けられるのは、今も {service} だけだ"),
)
def still_assumed_by(backend: Backend, service: str) -> None:
    assert _trusted_services(backend) == {service}


@then(
    "the execution role has AmazonSageMakerFullAccess attached",
    "実行ロールには AmazonSageMakerFullAccess がアタッチされている",
)
def full_access(backend: Backend) -> None:
    attached = backend.client("iam").list_attached_role_policies(RoleName=ROLE_NAME)
    assert FULL_ACCESS_POLICY_ARN in [p["PolicyArn"] for p in attached["AttachedPolicies"]]


@then(
    parsers.parse('I am warned that the role "{words}"'),
    parsers.parse("ロールについて「{words}」と警告される"),
)
def warned(notebook: Notebook, words: str) -> None:
    assert any(words in line for line in notebook.warned), notebook.warned


@then(
    parsers.parse("{name} is InService on an {instance_type}"),
    parsers.parse("{name} が {instance_type} 上で InService になっている"),
)
def instance_in_service(backend: Backend, told: Told, name: str, instance_type: str) -> None:
    assert told.exit_code == 0, told.text
    described = backend.client("sagemaker").describe_notebook_instance(NotebookInstanceName=name)
    assert (described["NotebookInstanceStatus"], described["InstanceType"]) == (
        "InService",
        instance_type,
    )


@then("it runs as the execution role", "インスタンスは実行ロールとして動いている")
def runs_as_role(backend: Backend) -> None:
    described = backend.client("sagemaker").describe_notebook_instance(
        NotebookInstanceName=settings.NOTEBOOK_INSTANCE_NAME
    )
    role = backend.client("iam").get_role(RoleName=ROLE_NAME)["Role"]
    assert described["RoleArn"] == role["Arn"]


@then(
    parsers.parse("there is no notebook instance {name}"),
    parsers.parse("ノートブックインスタンス {name} はもう存在しない"),
)
def no_instance(backend: Backend, told: Told, name: str) -> None:
    assert told.exit_code == 0, told.text
    names = [
        item["NotebookInstanceName"]
        for item in backend.client("sagemaker").list_notebook_instances()["NotebookInstances"]
    ]
    assert name not in names

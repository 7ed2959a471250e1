"""A rehearsal of the live workflows: their own `run:` steps, in order, on a real `serve`.

.github/workflows/live.yml and sweep.yml are read as YAML and their job's steps run
as GitHub runs them (``bash --noprofile --norc -eo pipefail``), in a checkout of this
project (a folder of links to it), against a real ``sagemaker-tutorial serve``
process through ``AWS_ENDPOINT_URL`` with fake credentials: what the OIDC sign-in
step would export, and nothing else (no AWS configuration, no data). What the
rehearsal stands in for, and nothing more:

- ``uses:`` steps: checkout and setup-python are this checkout and this Python;
  configure-aws-credentials is the fake credentials and the region its ``aws-region``
  names; upload-artifact is a check that its ``path`` holds files after the run.
- ``pip install``: already installed in this environment (said so in the output).
- ``tox -e live``: tox.ini's own ``[testenv:live]`` commands (``{posargs}``,
  ``{env:NAME:default}``), with only its ``pass_env`` variables passed, as tox does;
  a selection of scenarios is added to the posargs so that the rehearsal takes
  seconds, not the whole suite's minutes.
- ``${{ ... }}`` in ``env:``: ``inputs.X || vars.Y || 'default'`` chains, from the
  inputs and repository variables each test gives.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import secrets
import select
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
REGION = "eu-west-1"
# The scenarios the rehearsal runs: identity (step 1), and step 2's billed ones (the
# notebook instance), skipped in the free scope and run in the billed one.
SELECTION = ("-m", "step_1 or (step_2 and costly)")
_NOT_CHECKED_OUT = {".git", ".venv", ".tox", "build", ".mypy_cache", ".ruff_cache"}
_EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
_TOX_SUBSTITUTION = re.compile(r"\{([^{}]*)\}")


@dataclass
class Step:
    name: str
    run: str | None
    uses: str | None
    env: dict[str, str]
    given: dict[str, Any]  # the step's `with:`


@dataclass
class Job:
    env: dict[str, str]
    steps: list[Step]
    raw: dict[str, Any] = field(repr=False)


def load_job(workflow: str, job: str) -> Job:
    document = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))
    spec = document["jobs"][job]
    steps = [
        Step(
            step.get("name", step.get("uses", "")),
            step.get("run"),
            step.get("uses"),
            {k: str(v) for k, v in step.get("env", {}).items()},
            step.get("with", {}),
        )
        for step in spec["steps"]
    ]
    return Job({k: str(v) for k, v in spec.get("env", {}).items()}, steps, spec)


def evaluate(value: str, inputs: dict[str, str], variables: dict[str, str]) -> str:
    """GitHub's ``${{ a || b || 'literal' }}``, for the forms the workflows use."""

    def one(match: re.Match[str]) -> str:
        for alternative in (part.strip() for part in match[1].split("||")):
            if alternative.startswith("'") and alternative.endswith("'"):
                found = alternative[1:-1]
            elif alternative.startswith("inputs."):
                found = inputs.get(alternative.removeprefix("inputs."), "")
            elif alternative.startswith("vars."):
                found = variables.get(alternative.removeprefix("vars."), "")
            else:
                raise AssertionError(f"the rehearsal does not know ${{{{ {alternative} }}}}")
            if found:
                return found
        return ""

    return _EXPRESSION.sub(one, value)


def _tox_live_function(selection: tuple[str, ...]) -> str:
    """A bash ``tox`` that runs tox.ini's [testenv:live] commands as tox would."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ROOT / "tox.ini", encoding="utf-8")
    section = ini["testenv:live"]
    passed = [line.strip() for line in section["pass_env"].splitlines() if line.strip()]
    lines = []
    for command in (line.strip() for line in section["commands"].splitlines()):
        if not command or command.startswith("#"):
            continue

        def substitute(match: re.Match[str]) -> str:
            key = match[1]
            if key == "posargs":
                return '"$@"'
            if key.startswith("env:"):
                name, _, default = key.removeprefix("env:").partition(":")
                return f'"${{{name}:-{default}}}"'
            raise AssertionError(f"the rehearsal does not know tox's {{{key}}}")

        lines.append(_TOX_SUBSTITUTION.sub(substitute, command))
    patterns = "|".join(passed)
    selected = " ".join(f"'{arg}'" for arg in selection)
    return f"""
tox() {{
  if [ "$1" != -e ] || [ "$2" != live ]; then
    echo "rehearsal: only 'tox -e live' is rehearsed, not: tox $*" >&2; return 2
  fi
  shift 2; if [ "${{1:-}}" = -- ]; then shift; fi
  local passed=() name
  for name in $(compgen -e); do
    case "$name" in {patterns}) passed+=("$name=${{!name}}");; esac
  done
  env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 "${{passed[@]}}" \\
    bash --noprofile --norc -eo pipefail -c '{" && ".join(lines)}' tox "$@" {selected}
}}
pip() {{ echo "(rehearsal) pip $*: already installed here"; }}
"""


@dataclass
class Rehearsal:
    """Runs a job's steps in a checkout against the server; what each step printed."""

    checkout: Path
    endpoint: str
    outputs: list[tuple[str, int, str]] = field(default_factory=list)

    def env(self, region: str) -> dict[str, str]:
        home = self.checkout.parent / "home"
        home.mkdir(exist_ok=True)
        return {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(home),
            "LANG": "C.UTF-8",
            # What configure-aws-credentials exports, with fake keys and the endpoint.
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_CONFIG_FILE": str(home / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
        }

    def run_job(
        self, job: Job, inputs: dict[str, str], variables: dict[str, str]
    ) -> list[tuple[str, int, str]]:
        outputs: list[tuple[str, int, str]] = []
        region = ""
        failed = False
        for index, step in enumerate(job.steps):
            if failed and "always()" not in str(job.raw["steps"][index].get("if", "")):
                continue  # as GitHub does: after a failure, only `if: always()` steps run
            if step.uses is not None:
                region = self._stand_in(step, variables) or region
                continue
            assert step.run is not None and "${{" not in step.run, (
                f"step {step.name!r}: expressions go through env:, never into a script"
            )
            assert region, "the job signs in to AWS before its first command"
            env = self.env(region)
            env |= {k: evaluate(v, inputs, variables) for k, v in job.env.items()}
            env |= {k: evaluate(v, inputs, variables) for k, v in step.env.items()}
            script = _tox_live_function(SELECTION) + step.run
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                cwd=self.checkout,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            outputs.append((step.name, done.returncode, done.stdout + done.stderr))
            failed = failed or done.returncode != 0
        # upload-artifact runs last, `if: always()`: its files must be there.
        for step in job.steps:
            if step.uses and step.uses.startswith("actions/upload-artifact@"):
                path = self.checkout / str(step.given["path"])
                if "living-docs-live" in str(step.given["path"]):
                    assert any(path.iterdir()), f"{path} is empty"
        return outputs

    def _stand_in(self, step: Step, variables: dict[str, str]) -> str:
        """The region a sign-in step names ('' for the other actions)."""
        assert step.uses is not None
        if step.uses.startswith("aws-actions/configure-aws-credentials@"):
            assert step.given["role-to-assume"] == "${{ vars.AWS_LIVE_ROLE_ARN }}"
            return evaluate(str(step.given["aws-region"]), {}, variables)
        assert step.uses.split("@")[0] in {
            "actions/checkout",
            "actions/setup-python",
            "actions/upload-artifact",
        }, f"the rehearsal has no stand-in for {step.uses}"
        return ""

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "sagemaker_tutorial.cli", "--backend", "live", *args],
            cwd=self.checkout,
            env=self.env(REGION),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """A real `sagemaker-tutorial serve` process; its AWS_ENDPOINT_URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sagemaker_tutorial.cli", "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready, "serve printed nothing in 60 s"
        line = process.stdout.readline().strip()
        assert line.startswith("export AWS_ENDPOINT_URL="), line
        yield line.removeprefix("export AWS_ENDPOINT_URL=")
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def rehearsal(served: str, tmp_path: Path) -> Rehearsal:
    """A checkout of the project (links to its files) and an emptied server."""
    with urllib.request.urlopen(
        urllib.request.Request(
            served + "/moto-api/reset",
            data=b"{}",
            method="POST",
            headers={"Content-Type": "application/json"},  # serve takes JSON POSTs only
        ),
        timeout=30,
    ):
        pass
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in _NOT_CHECKED_OUT:
            (checkout / entry.name).symlink_to(entry)
    return Rehearsal(checkout, served)


def _plant(rehearsal: Rehearsal) -> tuple[str, str]:
    """A crashed run's bucket (tagged, made by the CLI) and someone else's (untagged)."""
    import boto3

    tagged, theirs = (f"sagemaker-{who}-{secrets.token_hex(4)}" for who in ("crashed", "theirs"))
    rehearsal.cli("create-bucket", "--bucket", tagged)
    s3 = boto3.client(
        "s3",
        endpoint_url=rehearsal.endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3.create_bucket(Bucket=theirs, CreateBucketConfiguration={"LocationConstraint": REGION})
    return tagged, theirs


def _buckets(rehearsal: Rehearsal) -> set[str]:
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=rehearsal.endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return {bucket["Name"] for bucket in s3.list_buckets()["Buckets"]}


def _results(checkout: Path) -> dict[str, str]:
    """Scenario outcome by feature file and line, from the live run's results."""
    outcomes = {}
    for path in (checkout / "build" / "living-docs-live" / "results").glob("results-*.json"):
        for record in json.loads(path.read_text("utf-8")):
            outcomes[f"{record['feature']}:{record['line']}"] = record["outcome"]
    return outcomes


@pytest.mark.parametrize(("scope", "costly_outcome"), [("free", "skipped"), ("billed", "passed")])
def test_the_live_workflows_steps_pass_in_order_and_leave_nothing_tagged(
    rehearsal: Rehearsal, scope: str, costly_outcome: str
) -> None:
    tagged, theirs = _plant(rehearsal)
    job = load_job("live.yml", "live")
    variables = {
        "AWS_LIVE_ROLE_ARN": "arn:aws:iam::123456789012:role/ci",
        "AWS_LIVE_REGION": REGION,
    }
    outputs = rehearsal.run_job(job, {"scope": scope}, variables)

    names = [name for name, _, _ in outputs]
    assert names == [step.name for step in job.steps if step.run is not None]
    for name, code, output in outputs:
        assert code == 0, f"{name}:\n{output}"
    tests, cleanup = outputs[1][2], outputs[2][2]
    assert f"running as arn:aws:sts::123456789012:user/moto in {REGION}" in tests
    assert f"{scope}: " in tests
    # The crashed run's bucket is removed by the final clean-up; someone else's is not.
    assert f"Found bucket {tagged}" in cleanup
    assert "Nothing of any run is left" in cleanup
    assert tagged not in _buckets(rehearsal)
    assert theirs in _buckets(rehearsal)
    assert theirs not in cleanup

    outcomes = _results(rehearsal.checkout)
    step_1 = [o for key, o in outcomes.items() if key.startswith("1_identity.feature:")]
    costly = [o for key, o in outcomes.items() if key.startswith("2_notebook_instance.feature:")]
    assert step_1 and set(step_1) == {"passed"}
    assert costly and set(costly) == {costly_outcome}

    out = rehearsal.checkout / "build" / "living-docs-live"
    verified = json.loads((out / "verified_on_aws.json").read_text("utf-8"))["results"]
    assert verified and {r["endpoint"] for r in verified} == {rehearsal.endpoint}
    assert {r["region"] for r in verified} == {REGION}
    # Not AWS: the page says so of every scenario, however they ran.
    page = (out / "index.html").read_text("utf-8")
    assert "verified on AWS on" not in page
    assert "not yet verified on AWS" in page


def test_without_the_role_variable_only_the_notice_job_runs() -> None:
    for workflow, job in (("live.yml", "live"), ("sweep.yml", "sweep")):
        document = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))
        assert document["jobs"][job]["if"] == "vars.AWS_LIVE_ROLE_ARN != ''"
        notice = document["jobs"]["no-role"]
        assert notice["if"] == "vars.AWS_LIVE_ROLE_ARN == ''"
        assert notice["steps"][0]["run"].startswith('echo "::notice title=')
        assert document["jobs"][job]["permissions"]["id-token"] == "write"
        assert document["permissions"] == {"contents": "read"}


def test_the_sweeper_keeps_what_is_younger_than_its_age_and_never_touches_untagged(
    rehearsal: Rehearsal,
) -> None:
    tagged, theirs = _plant(rehearsal)
    job = load_job("sweep.yml", "sweep")
    variables = {
        "AWS_LIVE_ROLE_ARN": "arn:aws:iam::123456789012:role/ci",
        "AWS_LIVE_REGION": REGION,
    }

    [*_, (_, code, scheduled)] = rehearsal.run_job(job, {}, variables)
    assert code == 0, scheduled
    assert f"Kept bucket {tagged}" in scheduled and "younger than 12 hours" in scheduled
    assert {tagged, theirs} <= _buckets(rehearsal)

    [*_, (_, code, swept)] = rehearsal.run_job(job, {"older_than": "0s"}, variables)
    assert code == 0, swept
    assert tagged not in _buckets(rehearsal)
    assert theirs in _buckets(rehearsal)
    assert theirs not in swept

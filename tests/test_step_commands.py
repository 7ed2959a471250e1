"""The step commands on their own: each records what it made, so the next one finds it.

The README's "Step by step, against `serve`" commands are run here exactly as written,
each as its own process, against a real `serve` process, with the environment its
printed `export` lines give. Smaller checks run in-process on the session's server.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sagemaker_tutorial import settings

README = Path(__file__).resolve().parent.parent / "README.md"
_BEGIN, _END = "<!-- steps-against-serve -->", "<!-- /steps-against-serve -->"


def readme_step_commands() -> list[list[str]]:
    """The commands of the README's step-by-step block, each as its words."""
    text = README.read_text(encoding="utf-8")
    block = text.split(_BEGIN, 1)[1].split(_END, 1)[0]
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert commands and all(words[0] == "sagemaker-tutorial" for words in commands), block
    return commands


def _program() -> list[str]:
    """The installed `sagemaker-tutorial` beside this interpreter (its module otherwise)."""
    script = Path(sys.executable).with_name("sagemaker-tutorial")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "sagemaker_tutorial.cli"]


def _exports(lines: list[str]) -> dict[str, str]:
    """What a shell's ``export A=1 B=2`` lines set."""
    names: dict[str, str] = {}
    for line in lines:
        words = shlex.split(line, comments=True)
        if words and words[0] == "export":
            names.update(word.split("=", 1) for word in words[1:])  # type: ignore[misc]
    return names


@pytest.fixture
def served(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A real `serve` process; the environment a shell has after pasting its lines."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SAGEMAKER_"))}
    server = subprocess.Popen(
        [*_program(), "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert server.stdout is not None
        printed = [server.stdout.readline() for _ in range(3)]
        yield env | _exports(printed)
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=60)


def test_the_readmes_step_commands_run_one_by_one_against_serve(
    served: dict[str, str], tmp_path: Path
) -> None:
    workdir = tmp_path / "steps"
    workdir.mkdir()
    said: list[str] = []
    for words in readme_step_commands():
        done = subprocess.run(
            [*_program(), *words[1:]],
            capture_output=True,
            text=True,
            env=served,
            cwd=workdir,
            timeout=600,
        )
        assert done.returncode == 0, f"{shlex.join(words)}:\n{done.stdout}{done.stderr}"
        said.append(done.stdout)
    evaluation = json.loads((workdir / settings.EVALUATION_FILE_NAME).read_text())
    cells = sum(evaluation[cell] for cell in ("tn", "fp", "fn", "tp"))
    assert (evaluation["rows"], cells) == (12_357, 12_357), evaluation  # the test part, judged
    assert said[-1].splitlines()[0].startswith("Deleted endpoint sagemaker-tutorial-"), said[-1]


def test_train_uses_the_image_and_role_setup_recorded(
    run_cli: Callable[..., Any], workdir: Path, backend_kind: str
) -> None:
    if backend_kind != "mock":
        pytest.skip("the role is the mock backend's own (any ARN of its account works there)")
    role = "arn:aws:iam::123456789012:role/readers-own-role"
    assert run_cli("setup", "--xgboost-version", "1.5-1", "--role", role).exit_code == 0
    recorded = json.loads((workdir / settings.STATE_FILE_NAME).read_text())
    assert (recorded["role_arn"], recorded["image_uri"].rsplit(":", 1)[1]) == (role, "1.5-1")
    for step in ("create-bucket", "download", "split", "upload"):
        result = run_cli(step)
        assert result.exit_code == 0, result.stderr
    trained = run_cli("train")
    assert trained.exit_code == 0, trained.stderr
    assert role in trained.stdout, trained.stdout
    assert ":1.5-1\n" in trained.stdout, trained.stdout


@pytest.mark.parametrize(
    ("value", "code", "said"),
    [
        (
            "127.0.0.1:9",
            2,
            "SAGEMAKER_TUTORIAL_MOCK_ENDPOINT=127.0.0.1:9 is not a URL like "
            "http://127.0.0.1:PORT: set it to the URL `sagemaker-tutorial serve` prints",
        ),
        (
            "http://127.0.0.1",
            2,
            "SAGEMAKER_TUTORIAL_MOCK_ENDPOINT=http://127.0.0.1 is not a URL like",
        ),
        (
            "http://127.0.0.1:{dead}",
            1,
            "nothing answers at SAGEMAKER_TUTORIAL_MOCK_ENDPOINT=http://127.0.0.1:{dead} "
            "(Connection refused): start `sagemaker-tutorial serve`",
        ),
    ],
    ids=["no-scheme", "no-port", "dead-port"],
)
def test_a_mock_endpoint_that_names_no_server_is_one_line_naming_the_variable(
    value: str, code: int, said: str, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as placeholder:  # a port that was free a moment ago: nobody listens
        placeholder.bind(("127.0.0.1", 0))
        dead = placeholder.getsockname()[1]
    monkeypatch.setenv(settings.ENV_MOCK_ENDPOINT, value.format(dead=dead))
    result = run_cli("--backend", "mock", "whoami")
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("error: " + said.format(dead=dead)), result.stderr
    assert result.stderr.count("\n") == 1

"""What `pip install .` costs on disk, run by hand: `python bench/bench_install.py`.

Creates a fresh virtualenv in a temporary folder, `pip install`s the project into it
(the way the README says, from this checkout, wheel-built like any user's install),
and prints the virtualenv's size in MB and its ten biggest installed distributions
(each one's files as its RECORD lists them). It then starts the mock backend's
local server from that virtualenv and calls each service the project uses (S3, IAM,
STS, SageMaker, SageMaker runtime), so that a dependency trimmed too far shows up
(--no-check skips this). The folder is deleted afterwards unless --keep.

Goal (issue 8): under 520 MB before steps 4-6 add xgboost-cpu (about 20 MB), under
540 MB after. Figures to read, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run inside the new virtualenv: the mock backend's own server, one call per service.
CHECK_MOCK = """
from botocore.exceptions import ClientError
from sagemaker_tutorial.aws.backends import mock_backend
from sagemaker_tutorial.local_server import LocalSageMakerServer

with LocalSageMakerServer(port=0) as server:
    backend = mock_backend(server.endpoint_url, "ap-northeast-1")
    calls = {
        "sts": lambda: backend.account_id(),
        "s3": lambda: backend.client("s3").list_buckets(),
        "iam": lambda: backend.client("iam").list_roles(),
        "sagemaker": lambda: backend.client("sagemaker").list_training_jobs(),
        "sagemaker-runtime": lambda: backend.client("sagemaker-runtime").invoke_endpoint(
            EndpointName="no-such-endpoint", Body=b"1,2", ContentType="text/csv"
        ),
    }
    for service, call in calls.items():
        try:
            call()
            print(f"  {service:18} answers")
        except ClientError as exc:  # the service answered, with an error of its own
            error = exc.response["Error"]
            print(f"  {service:18} answers ({error.get('Code')}: {error.get('Message')})")
        except Exception as exc:
            print(f"  {service:18} FAILS: {type(exc).__name__}: {exc}")
"""


def _size(path: Path) -> int:
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            file = Path(folder, name)
            if not file.is_symlink():
                total += file.stat().st_size
    return total


def _distributions(python: Path) -> list[tuple[int, str]]:
    """(bytes, 'name version') of every distribution installed in the virtualenv."""
    code = (
        "import importlib.metadata as m, os, json\n"
        "out = []\n"
        "for d in m.distributions():\n"
        "    size = 0\n"
        "    for f in d.files or []:\n"
        "        p = f.locate()\n"
        "        if os.path.isfile(p) and not os.path.islink(p): size += os.path.getsize(p)\n"
        "    out.append((size, d.metadata['Name'] + ' ' + d.version))\n"
        "print(json.dumps(out))\n"
    )
    text = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True).stdout
    return sorted(((size, name) for size, name in json.loads(text)), reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the virtualenv and say where")
    parser.add_argument(
        "--no-check", action="store_true", help="skip calling each service on the mock server"
    )
    parser.add_argument("--top", type=int, default=10, help="how many packages to list")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-install-"))
    venv = folder / "venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        python = venv / "bin" / "python"
        empty = _size(venv)
        started = time.perf_counter()
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "--no-cache-dir", str(ROOT)], check=True
        )
        seconds = time.perf_counter() - started
        total = _size(venv)
        print(f"python {sys.version.split()[0]}; pip install . took {seconds:.0f} s")
        print(
            f"fresh virtualenv of `pip install .`: {total / 1e6:8.1f} MB ({total / 2**20:.1f} MiB)"
        )
        print(f"  (the empty virtualenv, pip included:  {empty / 1e6:8.1f} MB)")
        print(f"the {args.top} biggest installed packages:")
        for size, name in _distributions(python)[: args.top]:
            print(f"  {size / 1e6:8.1f} MB  {name}")
        if not args.no_check:
            print("the mock backend's server, from this virtualenv:", flush=True)
            result = subprocess.run([python, "-c", CHECK_MOCK], text=True, cwd=folder)
            if result.returncode != 0:
                print(f"  the check itself failed (exit {result.returncode})")
        if args.keep:
            print(f"kept: {venv}")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

"""``python -m living_docs.live``: the features on AWS, their page, and what they verified.

What ``tox -e live`` runs (and the scheduled workflow, .github/workflows/live.yml):

1. the features and tests with ``--backend live`` (your AWS configuration, as it is),
   each scenario's result recorded by ``living_docs.collect``;
2. ``<out>/verified_on_aws.json``: the committed ``living_docs/verified_on_aws.json``
   with this run's scenarios merged in (see verified.py) — to be committed after a
   run on AWS; the source tree itself is never written;
3. ``<out>/index.html``: the run's page, each scenario saying when it was verified.

The exit code is step 1's (the page and the file are written whatever it is).
Options other than ``--out`` go to pytest (``-m step_1``, ``-x``...).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from .__main__ import main as write_page
from .verified import VERIFIED_FILE, record_run

FEATURES = Path("features")


def _region() -> str:
    import botocore.session

    region = botocore.session.get_session().get_config_variable("region")
    return str(region) if region else "unknown"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m living_docs.live", add_help=False)
    parser.add_argument("--out", type=Path, default=Path("build/living-docs-live"))
    args, pytest_args = parser.parse_known_args(argv)
    results, verified = args.out / "results", args.out / "verified_on_aws.json"
    started = time.monotonic()
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "--backend",
        "live",
        f"--living-docs-results={results}",
        *pytest_args,
    ]
    print("+", " ".join(command), flush=True)
    run = subprocess.call(command)
    print(f"live suite: {time.monotonic() - started:.1f} s (pytest exit code {run})", flush=True)
    if not (results / "meta.json").is_file():
        print(f"error: the live suite recorded nothing in {results}", file=sys.stderr)
        return run or 1
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or None
    count = record_run(
        results, FEATURES, region=_region(), endpoint=endpoint, previous=VERIFIED_FILE, out=verified
    )
    where = f"not AWS: {endpoint}" if endpoint else "AWS"
    print(f"recorded {count} scenario runs ({where}) in {verified}", flush=True)
    written = write_page(
        [
            "--results",
            str(results),
            "--out",
            str(args.out / "index.html"),
            "--verified",
            str(verified),
        ]
    )
    return run or written


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

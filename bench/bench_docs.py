"""The living documentation's cost, run by hand: `python bench/bench_docs.py`.

Prints the wall time of the plain mock suite (`pytest --backend mock`, what `tox -e
mock` runs) and of the docs build (`python -m living_docs.build`, what `tox -e docs`
runs: the English and Japanese features in one process, the page, the browser check),
both measured in this invocation on this machine, and their ratio (goal: at most
1.3). tox's own env set-up is left out of both, as it is the same for each. Set
BANK_DATA_DIR as CI does, so the real-data scenarios count in both. No threshold is
asserted: these are figures to read and compare.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(command: list[str], log: Path) -> tuple[float, int]:
    """Wall time and exit code; the output goes to ``log``, to read when a run fails."""
    started = time.monotonic()
    with log.open("wb") as output:
        code = subprocess.call(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    return time.monotonic() - started, code


def main() -> int:
    python = sys.executable
    logs = ROOT / "build" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    suite, suite_code = _timed(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--backend", "mock"],
        logs / "mock-suite.log",
    )
    print(f"mock suite (pytest --backend mock): {suite:.1f} s (exit {suite_code})")
    docs, docs_code = _timed([python, "-m", "living_docs.build"], logs / "docs-build.log")
    print(f"docs build (python -m living_docs.build): {docs:.1f} s (exit {docs_code})")
    print(f"(their output: {logs}/mock-suite.log, docs-build.log)")
    print(f"ratio docs / mock suite: {docs / suite:.2f} (goal: at most 1.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

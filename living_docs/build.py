"""``python -m living_docs.build``: run the features, write the page, check it in a browser.

What ``tox -e docs`` runs, in three steps:

1. The English features and their Japanese twins, on the mock backend, in ONE pytest
   process (one local SageMaker server for both languages), serially, each scenario's
   result recorded by ``living_docs.collect``.
2. The page, from the features and those results, whatever step 1's outcome: a failed
   scenario is shown with its failing step and message.
3. The page in headless Chromium (``tests/browser/``).

The exit code is step 1's when it failed (the page is still written), else step 3's.
Extra arguments go to step 1's pytest (``-m step_4``, ``-x``...).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from .__main__ import main as write_page

OUT = Path("build/living-docs")


def _pytest(*args: str) -> int:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args]
    print("+", " ".join(command), flush=True)
    return subprocess.call(command)


def main(argv: list[str]) -> int:
    results, page = OUT / "results", OUT / "index.html"
    started = time.monotonic()
    run = _pytest(
        "--backend", "mock", "--japanese", "steps", f"--living-docs-results={results}", *argv
    )
    print(f"features (English and Japanese): {time.monotonic() - started:.1f} s", flush=True)
    if run not in (0, 1):
        # 2-4: interrupted, internal or usage error; 5: no scenario collected at all.
        print(f"error: the features did not run (pytest exit code {run})", file=sys.stderr)
    written = write_page(["--results", str(results), "--out", str(page)])
    if written != 0:
        return written
    checked = _pytest("tests/browser", f"--living-docs-page={page}")
    print(f"living docs: {page.resolve()} ({time.monotonic() - started:.1f} s in all)")
    return run or checked


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

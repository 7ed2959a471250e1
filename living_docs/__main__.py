"""``python -m living_docs``: write the page from the features and a run's results.

    python -m living_docs [--features features] [--results build/living-docs/results]
                          [--notebook notebooks/xgboost_bank_marketing.ipynb]
                          [--executed build/notebook/xgboost_bank_marketing.ipynb]
                          [--out build/living-docs/index.html]

Each chapter's code is the notebook's cells tagged with its step; their outputs come
from the executed copy when it is there (``tox -e notebook`` writes it).

It always writes a page: scenarios without a result say "not run", and a failed run
is exactly when the page is most useful. It exits 1 when no result at all was found
(the run did not happen, or wrote nowhere), so a build never passes off an empty page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .book import load_book
from .notebook import COMMITTED, EXECUTED, load_code
from .page import render
from .verified import VERIFIED_FILE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m living_docs", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--features", type=Path, default=Path("features"))
    parser.add_argument("--results", type=Path, default=Path("build/living-docs/results"))
    parser.add_argument("--notebook", type=Path, default=COMMITTED)
    parser.add_argument("--executed", type=Path, default=EXECUTED)
    parser.add_argument("--out", type=Path, default=Path("build/living-docs/index.html"))
    parser.add_argument(
        "--verified", type=Path, default=VERIFIED_FILE, help="what live runs on AWS saw"
    )
    args = parser.parse_args(argv)
    book = load_book(args.features, args.results, args.verified)
    code = load_code(args.notebook, args.executed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(book, code), encoding="utf-8")
    counts = {language: book.counts(language) for language in book.chapters}
    print(
        f"wrote {args.out}: " + "; ".join(f"{language} {counts[language]}" for language in counts)
    )
    recorded = sum(
        count
        for language in counts
        for outcome, count in counts[language].items()
        if outcome != "not run"
    )
    if recorded == 0:
        print(
            f"error: no results in {args.results}: run the features with --living-docs-results",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

""" "Last verified on AWS": a live run's results become verified_on_aws.json, and the page
says per scenario when it was seen to hold on AWS, or that it was not yet.

A small project (a feature and its Japanese twin: a scenario that passes, one that
fails, one skipped, an outline of two rows) runs in a real pytest subprocess with
``living_docs.collect``, as the live run does; verified.py records and reads it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from living_docs.book import load_book
from living_docs.page import render
from living_docs.verified import VERIFIED_FILE, load_verified, record_run

ROOT = Path(__file__).resolve().parents[1]

FEATURE = """\
@step-4
Feature: Weigh the pears

  Scenario: two pears weigh what they weigh together
    Given a pear of 100 grams
    Then the scale shows 100 grams

  Scenario: a wrong sum is caught
    Given a pear of 100 grams
    Then the scale shows 999 grams

  Scenario: a scale that is not there is skipped
    Given no scale

  Scenario Outline: <grams> grams are weighed
    Given a pear of <grams> grams
    Then the scale shows <grams> grams

    Examples:
      | grams |
      | 1     |
      | 2     |
"""

JAPANESE = """\
# language: ja
@step-4
機能: 梨を量る

  シナリオ: 二つの梨は合わせた重さになる
    前提100 グラムの梨がある
    ならばはかりは 100 グラムを示す

  シナリオ: 間違った合計は捕まる
    前提100 グラムの梨がある
    ならばはかりは 999 グラムを示す

  シナリオ: はかりがなければスキップされる
    前提はかりがない

  シナリオアウトライン: <grams> グラムが量られる
    前提<grams> グラムの梨がある
    ならばはかりは <grams> グラムを示す

    例:
      | grams |
      | 1     |
      | 2     |
"""

STEPS = """\
import pytest
from pytest_bdd import given, parsers, scenarios, then

scenarios(".")


@pytest.fixture
def pears():
    return []


@given(parsers.parse("a pear of {grams:d} grams"))
@given(parsers.parse("{grams:d} グラムの梨がある"))
def pear(pears, grams):
    pears.append(grams)


@given("no scale")
@given("はかりがない")
def no_scale():
    pytest.skip("no scale on AWS")


@then(parsers.parse("the scale shows {grams:d} grams"))
@then(parsers.parse("はかりは {grams:d} グラムを示す"))
def shows(pears, grams):
    assert sum(pears) == grams
"""

PASSED = "pears.feature: two pears weigh what they weigh together"
FAILED = "pears.feature: a wrong sum is caught"
SKIPPED = "pears.feature: a scale that is not there is skipped"
OUTLINE = "pears.feature: <grams> grams are weighed"


@pytest.fixture(scope="module")
def orchard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project, run once with the collector (results in results/)."""
    root = tmp_path_factory.mktemp("orchard")
    (root / "features" / "ja").mkdir(parents=True)
    (root / "features" / "pears.feature").write_text(FEATURE, "utf-8")
    (root / "features" / "ja" / "pears.feature").write_text(JAPANESE, "utf-8")
    (root / "test_pears.py").write_text(STEPS, "utf-8")
    (root / "conftest.py").write_text('pytest_plugins = ["living_docs.collect"]\n', "utf-8")
    (root / "pytest.ini").write_text("[pytest]\nbdd_features_base_dir = features/\n", "utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--living-docs-results=results"],
        cwd=root,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    return root


def _record(root: Path, previous: Path, out: Path, endpoint: str | None = None) -> int:
    return record_run(
        root / "results",
        root / "features",
        region="eu-west-1",
        endpoint=endpoint,
        previous=previous,
        out=out,
    )


def test_a_live_run_records_each_scenario_that_ran_with_its_outcome_date_region_and_time(
    orchard: Path, tmp_path: Path
) -> None:
    out = tmp_path / "verified_on_aws.json"
    assert _record(orchard, tmp_path / "none.json", out) == 4  # 2 scenarios, 2 outline rows
    records = json.loads(out.read_text("utf-8"))["results"]
    date = json.loads((orchard / "results" / "meta.json").read_text("utf-8"))["date"][:10]
    by_key = {(r["scenario"], r["example"]): r for r in records}
    assert set(by_key) == {(PASSED, None), (FAILED, None), (OUTLINE, 0), (OUTLINE, 1)}
    assert by_key[(PASSED, None)]["outcome"] == "passed"
    assert by_key[(FAILED, None)]["outcome"] == "failed"
    assert {r["date"] for r in records} == {date}
    assert {r["region"] for r in records} == {"eu-west-1"}
    assert all(isinstance(r["seconds"], float) and r["seconds"] >= 0 for r in records)
    assert all(r["endpoint"] is None for r in records)


def test_the_page_says_when_each_scenario_was_verified_and_its_twin_says_the_same(
    orchard: Path, tmp_path: Path
) -> None:
    out = tmp_path / "verified_on_aws.json"
    _record(orchard, tmp_path / "none.json", out)
    date = json.loads(out.read_text("utf-8"))["results"][0]["date"]
    book = load_book(orchard / "features", orchard / "results", out)
    page = render(book)
    assert f"verified on AWS on {date} (eu-west-1)" in page
    assert f"failed on AWS on {date} (eu-west-1)" in page
    assert page.count("not yet verified on AWS") == 1  # the skipped one
    assert page.count(f"{date} に AWS (eu-west-1) で検証済み") == 2  # its twin, the outline's
    assert page.count("AWS ではまだ検証されていません") == 1
    twin = book.chapters["ja"][0].scenarios[0]
    assert twin.verified == book.chapters["en"][0].scenarios[0].verified != ()


def test_a_scenario_a_later_run_skips_keeps_what_an_earlier_run_saw(
    orchard: Path, tmp_path: Path
) -> None:
    earlier = tmp_path / "earlier.json"
    earlier.write_text(
        json.dumps(
            {
                "results": [
                    {
                        "scenario": SKIPPED,
                        "example": None,
                        "outcome": "passed",
                        "date": "2001-02-03",
                        "region": "us-east-1",
                        "seconds": 1.5,
                    },
                    {
                        "scenario": FAILED,
                        "example": None,
                        "outcome": "passed",
                        "date": "2001-02-03",
                        "region": "us-east-1",
                        "seconds": 1.5,
                    },
                ]
            }
        ),
        "utf-8",
    )
    out = tmp_path / "verified_on_aws.json"
    _record(orchard, earlier, out)
    verified = load_verified(out)
    assert [r.date for r in verified[SKIPPED]] == ["2001-02-03"]
    assert [r.outcome for r in verified[FAILED]] == ["failed"]  # the last run that ran it


def test_a_rehearsal_against_an_endpoint_is_never_read_as_verified_on_aws(
    orchard: Path, tmp_path: Path
) -> None:
    out = tmp_path / "verified_on_aws.json"
    _record(orchard, tmp_path / "none.json", out, endpoint="http://127.0.0.1:5000")
    records = json.loads(out.read_text("utf-8"))["results"]
    assert {r["endpoint"] for r in records} == {"http://127.0.0.1:5000"}
    assert load_verified(out) == {}
    page = render(load_book(orchard / "features", orchard / "results", out))
    assert "verified on AWS on" not in page
    assert page.count("not yet verified on AWS") == 4


def test_until_a_first_live_run_every_tutorial_scenario_says_not_yet_verified(
    tmp_path: Path,
) -> None:
    assert json.loads(VERIFIED_FILE.read_text("utf-8"))["results"] == []
    book = load_book(ROOT / "features", tmp_path)
    page = render(book)
    scenarios = sum(len(chapter.scenarios) for chapter in book.chapters["en"])
    assert scenarios > 20
    assert page.count("not yet verified on AWS") == scenarios
    assert page.count("AWS ではまだ検証されていません") == scenarios
    assert "verified on AWS on" not in page

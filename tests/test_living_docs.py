"""The living documentation: results recorded by a real pytest run, and the page made of them.

A small project of its own (two features, English and Japanese, with a scenario that
passes, one that fails in its second step, one that is skipped, and an outline) runs
in a pytest subprocess with ``living_docs.collect``, as ``tox -e docs`` runs the
tutorial's features; the page is then built from what it recorded. The page of the
tutorial's own features is checked for being self-contained and complete.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from living_docs.__main__ import main as write_page
from living_docs.book import load_book
from living_docs.page import FOLD_ROWS, render

ROOT = Path(__file__).resolve().parents[1]

FEATURE = """\
@step-4 @part-7
Feature: Weigh the apples
  The scale says what the apples weigh.

  Rule: the scale adds up

    Scenario: two apples weigh what they weigh together
      Given an apple of 100 grams
      And an apple of 150 grams
      Then the scale shows 250 grams

    Scenario: a wrong sum is caught at the step that checks it
      Given an apple of 100 grams
      Then the scale shows 999 grams
      And the scale shows 100 grams

    Scenario: a scale that is not there is skipped
      Given no scale
      Then the scale shows 0 grams

  Rule: every apple counts

    Scenario Outline: <count> apples are counted
      Given <count> apples
      Then the scale counts <count> apples

      Examples:
        | count |
{rows}
"""

JAPANESE = """\
# language: ja
@step-4 @part-7
機能: りんごを量る
  はかりはりんごの重さを示す。

  ルール: はかりは足し算をする

    シナリオ: 二つのりんごは合わせた重さになる
      前提100 グラムのりんごがある
      かつ150 グラムのりんごがある
      ならばはかりは 250 グラムを示す

    シナリオ: 間違った合計は、それを確かめるステップで捕まる
      前提100 グラムのりんごがある
      ならばはかりは 999 グラムを示す
      かつはかりは 100 グラムを示す

    シナリオ: はかりがなければスキップされる
      前提はかりがない
      ならばはかりは 0 グラムを示す

  ルール: どのりんごも数えられる

    シナリオアウトライン: <count> 個のりんごが数えられる
      前提りんごが <count> 個ある
      ならばはかりはりんごを <count> 個と数える

      例:
        | count |
{rows}
"""

STEPS = """\
import pytest
from pytest_bdd import given, parsers, scenarios, then

scenarios(".")


@pytest.fixture
def apples():
    return []


@given(parsers.parse("an apple of {grams:d} grams"))
@given(parsers.parse("{grams:d} グラムのりんごがある"))
def apple(apples, grams):
    apples.append(grams)


@given(parsers.parse("{count:d} apples"))
@given(parsers.parse("りんごが {count:d} 個ある"))
def many(apples, count, record_figure):
    apples.extend([1] * count)
    record_figure("Apples", "りんご", [("count", "個数", count)])


@given("no scale")
@given("はかりがない")
def no_scale():
    pytest.skip("no scale in this kitchen")


@then(parsers.parse("the scale shows {grams:d} grams"))
@then(parsers.parse("はかりは {grams:d} グラムを示す"))
def shows(apples, grams):
    assert sum(apples) == grams, f"the scale shows {sum(apples)}"


@then(parsers.parse("the scale counts {count:d} apples"))
@then(parsers.parse("はかりはりんごを {count:d} 個と数える"))
def counts(apples, count):
    assert len(apples) == count
"""


@pytest.fixture(scope="module")
def kitchen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project, run once with the collector: its folder, results in results/."""
    root = tmp_path_factory.mktemp("kitchen")
    rows = "\n".join(f"        | {count}     |" for count in range(1, FOLD_ROWS + 3))
    (root / "features" / "ja").mkdir(parents=True)
    (root / "features" / "apples.feature").write_text(FEATURE.format(rows=rows), "utf-8")
    (root / "features" / "ja" / "apples.feature").write_text(JAPANESE.format(rows=rows), "utf-8")
    (root / "test_apples.py").write_text(STEPS, "utf-8")
    (root / "conftest.py").write_text('pytest_plugins = ["living_docs.collect"]\n', "utf-8")
    (root / "pytest.ini").write_text("[pytest]\nbdd_features_base_dir = features/\n", "utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--living-docs-results=results"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr  # the wrong sum fails, in both languages
    return root


def _page(root: Path) -> str:
    return render(load_book(root / "features", root / "results"))


def test_each_scenario_has_its_outcome_in_both_languages(kitchen: Path) -> None:
    book = load_book(kitchen / "features", kitchen / "results")
    for language in ("en", "ja"):
        assert book.counts(language) == {
            "passed": 1 + FOLD_ROWS + 2,
            "failed": 1,
            "skipped": 1,
            "not run": 0,
        }


def test_a_failed_scenario_shows_the_step_that_failed_and_why(kitchen: Path) -> None:
    book = load_book(kitchen / "features", kitchen / "results")
    failed = book.chapters["en"][0].rules[0].scenarios[1]
    assert failed.outcome == "failed"
    statuses = [status for status, _ in failed.results[0].steps]
    assert statuses == ["passed", "failed", "not run"]
    assert "the scale shows 100" in failed.results[0].steps[1][1]
    page = _page(kitchen)
    assert "AssertionError: the scale shows 100" in page
    # The summary links to it, in each language, so a red run's reader starts there.
    assert page.count('href="#en-apples-1-2"') == 1
    assert page.count('href="#ja-apples-1-2"') == 1
    assert 'id="en-apples-1-2"' in page


def test_a_skipped_scenario_shows_its_reason(kitchen: Path) -> None:
    book = load_book(kitchen / "features", kitchen / "results")
    skipped = book.chapters["ja"][0].rules[0].scenarios[2]
    assert skipped.outcome == "skipped"
    assert skipped.results[0].reason == "no scale in this kitchen"


def test_the_figures_a_step_records_are_shown_with_its_scenario(kitchen: Path) -> None:
    book = load_book(kitchen / "features", kitchen / "results")
    outline = book.chapters["en"][0].rules[1].scenarios[0]
    assert [result.figures for result in outline.results[:2]] == [
        ({"title": {"en": "Apples", "ja": "りんご"}, "rows": [["count", "個数", "1"]]},),
        ({"title": {"en": "Apples", "ja": "りんご"}, "rows": [["count", "個数", "2"]]},),
    ]
    page = _page(kitchen)
    assert "<strong>Apples</strong>" in page and "<strong>りんご</strong>" in page


def test_a_long_examples_table_folds_behind_a_summary_of_its_results(kitchen: Path) -> None:
    page = _page(kitchen)
    assert f"<details><summary>{FOLD_ROWS + 2} examples: {FOLD_ROWS + 2} passed</summary>" in page


def test_results_of_several_processes_are_merged(kitchen: Path, tmp_path: Path) -> None:
    records = json.loads((kitchen / "results" / "results-main.json").read_text("utf-8"))
    half = len(records) // 2
    (tmp_path / "results-gw0.json").write_text(json.dumps(records[:half]), "utf-8")
    (tmp_path / "results-gw1.json").write_text(json.dumps(records[half:]), "utf-8")
    (tmp_path / "results-gw2.json").write_text("", "utf-8")  # a worker that wrote nothing
    merged = load_book(kitchen / "features", tmp_path)
    assert merged.counts("en") == load_book(kitchen / "features", kitchen / "results").counts("en")


def test_a_scenario_without_a_result_says_not_run(kitchen: Path, tmp_path: Path) -> None:
    book = load_book(kitchen / "features", tmp_path)
    assert book.counts("en")["not run"] == 3 + FOLD_ROWS + 2
    assert (
        write_page(
            [
                "--features",
                str(kitchen / "features"),
                "--results",
                str(tmp_path),
                "--out",
                str(tmp_path / "page.html"),
            ]
        )
        == 1
    )


class _Links(HTMLParser):
    """Every URL a page would load (src, and href of stylesheets, icons, preloads)."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "srcset", "data", "poster"):
            if values.get(name):
                self.loaded.append(str(values[name]))
        if values.get("href"):
            (self.loaded if tag == "link" else self.links).append(str(values["href"]))


def test_the_tutorials_page_is_self_contained_and_has_every_feature(tmp_path: Path) -> None:
    page = render(load_book(ROOT / "features", tmp_path))
    parser = _Links()
    parser.feed(page)
    assert parser.loaded == []
    assert all(link.startswith("#") for link in parser.links), parser.links
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert not re.search(r"@import", page)
    for folder in (ROOT / "features", ROOT / "features" / "ja"):
        for path in folder.glob("*.feature"):
            title = path.read_text("utf-8").split("Feature:" if folder.name != "ja" else "機能:")[1]
            assert title.splitlines()[0].strip() in page.replace("&#x27;", "'"), path

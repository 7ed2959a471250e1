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
from living_docs.figures import parse_rounds, roc_curve
from living_docs.notebook import load_code
from living_docs.page import FOLD_ROWS, render, scrub, sentence_case

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
    assert "<h5>Apples</h5>" in page and "<h5>りんご</h5>" in page


def test_a_long_examples_table_folds_behind_a_summary_of_its_results(kitchen: Path) -> None:
    page = _page(kitchen)
    assert f"<details><summary>{FOLD_ROWS + 2} examples: {FOLD_ROWS + 2} passed</summary>" in page


def test_each_scenario_names_its_feature_file_and_line(kitchen: Path) -> None:
    page = _page(kitchen)
    lines = FEATURE.splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "two apples weigh" in text)
    assert f'<span class="where">features/apples.feature:{line}</span>' in page
    assert '<span class="where">features/ja/apples.feature:' in page


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


# --- the notebook's code, per chapter ------------------------------------------------------------


def _notebook(cells: list[dict[str, object]]) -> str:
    """An nbformat 4 notebook of these cells, as Jupyter writes it."""
    return json.dumps(
        {
            "cells": cells,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def _code_cell(
    cell_id: str, source: str, tags: list[str], outputs: list[object]
) -> dict[str, object]:
    return {
        "cell_type": "code",
        "id": cell_id,
        "metadata": {"tags": tags},
        "source": source.splitlines(keepends=True),
        "execution_count": None,
        "outputs": outputs,
    }


def _stream(text: str) -> dict[str, object]:
    return {"output_type": "stream", "name": "stdout", "text": text}


def test_a_chapter_shows_the_notebooks_tagged_cells_and_their_executed_outputs(
    kitchen: Path, tmp_path: Path
) -> None:
    committed, executed = tmp_path / "committed.ipynb", tmp_path / "executed.ipynb"
    split = "train_data, test_data = tutorial.split()\nprint(train_data.shape, test_data.shape)"
    train = "model_artifact = tutorial.train()"
    committed.write_text(
        _notebook(
            [
                {"cell_type": "markdown", "id": "m", "metadata": {}, "source": ["# Step 4"]},
                _code_cell("a", train, ["step-4"], []),
                _code_cell("b", split, ["step-3f"], []),
                _code_cell("c", "print('untagged')", [], []),
            ]
        ),
        "utf-8",
    )
    executed.write_text(
        _notebook(
            [
                _code_cell("a", train, ["step-4"], [_stream("Completed: s3://b/output\n")]),
                _code_cell("b", split, ["step-3f"], [_stream("(28831, 61) (12357, 61)\n")]),
            ]
        ),
        "utf-8",
    )
    code = load_code(committed, executed)
    assert [cell.source for cell in code.of("4")] == [train]
    assert code.of("4")[0].outputs[0].content == "Completed: s3://b/output\n"
    assert code.executed
    page = render(load_book(kitchen / "features", kitchen / "results"), code)
    assert f'<pre class="code">{train}</pre>' in page  # the kitchen's chapter is @step-4
    assert "Completed: s3://b/output" in page
    assert "untagged" not in page


def test_an_executed_copy_of_other_code_lends_no_output(tmp_path: Path) -> None:
    committed, executed = tmp_path / "committed.ipynb", tmp_path / "executed.ipynb"
    committed.write_text(_notebook([_code_cell("a", "new()", ["step-4"], [])]), "utf-8")
    executed.write_text(
        _notebook([_code_cell("a", "old()", ["step-4"], [_stream("stale\n")])]), "utf-8"
    )
    code = load_code(committed, executed)
    assert code.of("4")[0].source == "new()"
    assert code.of("4")[0].outputs == ()
    assert not code.executed


def test_without_tags_the_chapter_says_its_code_is_not_available(
    kitchen: Path, tmp_path: Path
) -> None:
    untagged = tmp_path / "untagged.ipynb"
    untagged.write_text(_notebook([_code_cell("a", "tutorial.train()", [], [])]), "utf-8")
    (tmp_path / "broken.ipynb").write_text("{not json", "utf-8")
    for path in (untagged, tmp_path / "broken.ipynb", tmp_path / "missing.ipynb"):
        page = render(load_book(kitchen / "features", kitchen / "results"), load_code(path, None))
        assert "The notebook has no cell tagged step-4" in page
        assert "ノートブックに step-4 タグのセルがない" in page


def test_the_tutorials_notebook_is_read_without_error() -> None:
    code = load_code(ROOT / "notebooks" / "xgboost_bank_marketing.ipynb", None)
    assert code.found
    for cells in code.cells.values():
        assert all(cell.source.strip() for cell in cells)


# --- the real result ------------------------------------------------------------------------------


def _with_figures(kitchen: Path, folder: Path, figures: list[dict[str, object]]) -> Path:
    """The kitchen's results with these figures given to its first scenario."""
    records = json.loads((kitchen / "results" / "results-main.json").read_text("utf-8"))
    for record in records:
        if record["line"] == records[0]["line"] and record["feature"] == records[0]["feature"]:
            record["figures"] = figures
    meta = json.loads((kitchen / "results" / "meta.json").read_text("utf-8"))
    (folder / "results-main.json").write_text(json.dumps(records), "utf-8")
    (folder / "meta.json").write_text(json.dumps({**meta, "real_data": True}), "utf-8")
    return folder


def _evaluation(source: str, data: str, tn: int, fp: int, fn: int, tp: int) -> dict[str, object]:
    rows = tn + fp + fn + tp
    facts: dict[str, object] = {
        "source": source,
        "data": data,
        "rows": rows,
        "tn": tn,
        "fp": fp,
        "fn": fn,
        "tp": tp,
        "rate": 100 * (tn + tp) / rows,
        "precision": tp / (tp + fp),
        "recall": tp / (tp + fn),
    }
    if source == "run":
        facts["auc"] = 0.777
        facts["roc"] = [[0.0, 0.0], [0.1, 0.5], [1.0, 1.0]]
    return {"kind": "evaluation", "facts": facts}


def test_the_summary_leads_with_the_real_runs_result_not_the_format_check(
    kitchen: Path, tmp_path: Path
) -> None:
    figures = [
        _evaluation("fixed", "synthetic", 10769, 167, 1133, 288),
        _evaluation("run", "synthetic", 10000, 936, 1300, 121),
        _evaluation("run", "real", 10789, 147, 1138, 283),
    ]
    page = render(load_book(kitchen / "features", _with_figures(kitchen, tmp_path, figures)))
    summary = page.split('id="summary"')[1].split('id="opening"')[0]
    assert "The real result" in summary
    assert "Overall classification rate: 89.6%" in summary
    assert "published: 89.5%" in summary
    assert "<td>10789" in summary and "<td>283" in summary  # the 2x2 as an HTML table
    assert "Precision 0.658" in summary and "Recall 0.199" in summary and "AUC 0.777" in summary
    assert summary.count("<svg") == 2  # the confusion matrix and the ROC curve
    assert "No training curve" in summary
    assert "Synthetic data:" not in summary
    check = page.split('class="figure format-check"')[1].split("</div>")[0]
    assert "Format check" in check and "AUC 0." not in check and "<svg" not in check


def test_a_synthetic_run_is_said_to_be_synthetic_at_the_top_and_beside_its_figures(
    kitchen: Path, tmp_path: Path
) -> None:
    figures = [_evaluation("run", "synthetic", 10000, 936, 1300, 121)]
    page = render(load_book(kitchen / "features", _with_figures(kitchen, tmp_path, figures)))
    summary = page.split('id="summary"')[1].split('id="opening"')[0]
    assert "Synthetic data: these figures come from" in summary
    assert "The real result" not in summary
    headline = summary.split('class="headline"')[1]
    assert headline.count("synthetic data, not the tutorial") >= 2  # beside each picture


def test_a_training_job_that_logged_its_rounds_draws_the_training_curve(
    kitchen: Path, tmp_path: Path
) -> None:
    rounds = parse_rounds(
        [
            "[0]#011train-logloss:0.52",
            "[1]#011train-logloss:0.41",
            "[2]\ttrain-logloss:0.36",
            "Arguments: train",
        ]
    )
    assert rounds == [
        {"round": 0.0, "train:logloss": 0.52},
        {"round": 1.0, "train:logloss": 0.41},
        {"round": 2.0, "train:logloss": 0.36},
    ]
    job = {"kind": "training-job", "facts": {"status": "Completed", "rounds": rounds}}
    figures = [_evaluation("run", "real", 10789, 147, 1138, 283), job]
    page = render(load_book(kitchen / "features", _with_figures(kitchen, tmp_path, figures)))
    summary = page.split('id="summary"')[1].split('id="opening"')[0]
    assert summary.count("<svg") == 3 and "Training curve" in summary
    assert "No training curve" not in summary


def test_the_roc_curve_runs_from_corner_to_corner_through_each_threshold() -> None:
    labels = [0, 0, 1, 1, 0, 1]
    scores = [0.1, 0.4, 0.35, 0.8, 0.8, 0.9]
    assert roc_curve(labels, scores) == [
        (0.0, 0.0),
        (0.0, 0.3333),
        (0.3333, 0.6667),  # 0.8: one yes and one no change side together
        (0.6667, 0.6667),
        (0.6667, 1.0),
        (1.0, 1.0),
    ]
    assert roc_curve([1, 1], [0.2, 0.3]) == []


# --- what the page shows of a value ------------------------------------------------------------


def test_a_long_value_is_shown_whole() -> None:
    from living_docs.page import _table

    name = "a" * 63 + "b"  # the 64-character bucket name that shows the length limit
    arn = (
        "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000"
    )
    table = _table([[name, arn]])
    assert name in table and arn in table
    assert "…" not in table


def test_the_building_machines_ports_and_folders_are_not_shown() -> None:
    text = (
        "GET http://127.0.0.1:43117/tmt/bank_clean.csv failed; "
        "wrote /tmp/pytest-of-root/pytest-3/test_run0/work/evaluation.json "
        "and s3://bucket/sagemaker/DEMO-xgboost-dm/output"
    )
    assert scrub(text) == (
        "GET http://127.0.0.1:<port>/tmt/bank_clean.csv failed; "
        "wrote …/evaluation.json and s3://bucket/sagemaker/DEMO-xgboost-dm/output"
    )


def test_titles_are_sentences_but_names_keep_their_case() -> None:
    assert sentence_case("the bucket stands in the notebook's region") == (
        "The bucket stands in the notebook's region"
    )
    assert sentence_case("train.csv has the label first") == "train.csv has the label first"
    assert sentence_case("<count> apples are counted") == "<count> apples are counted"
    assert sentence_case("バケットはリージョンに立つ") == "バケットはリージョンに立つ"


def test_the_tutorials_page_reads_as_chapters_not_a_report(tmp_path: Path) -> None:
    page = render(load_book(ROOT / "features", tmp_path))
    contents = page.split('id="contents"')[1].split("</nav>")[0]
    assert "Part" not in contents and "連載" not in contents  # "Part N" once, in its chapter
    assert page.count('<div class="chapter-meta">Step 3f ') == 1
    assert '<div class="chapter-meta">Appendix (step 3f)' in page
    assert "<h4>The bucket stands in the notebook&#x27;s region</h4>" in page
    # A step's data table has its header row as a header.
    assert "<thead><tr><th>setting</th><th>value</th></tr></thead>" in page
    # Backticks in the features' prose are code, not literal marks.
    descriptions = re.findall(r'<div class="description">(.*?)</div>', page)
    assert descriptions and not any("`" in text for text in descriptions)
    assert re.search(r"<title>The SageMaker XGBoost tutorial", page)
    assert '"ja": {"title": "SageMaker XGBoost チュートリアル' in page


# --- the Japanese glossary ---------------------------------------------------------------------

GLOSSARY = ROOT / "living_docs" / "glossary_ja.md"
# A banned word may stand inside a term of its own (通話時間, call duration).
ALLOWED_INSIDE = {"通話": ("通話時間",)}


def _banned() -> list[str]:
    """The glossary table's "banned" column, one rendering per comma."""
    banned = []
    for line in GLOSSARY.read_text("utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2] and cells[0] not in ("English", "---"):
            banned.extend(word.strip() for word in cells[2].split(",") if word.strip())
    return banned


def _japanese_texts() -> dict[str, str]:
    texts = {
        str(p.relative_to(ROOT)): p.read_text("utf-8")
        for p in (ROOT / "features" / "ja").glob("*.feature")
    }
    for path in [*(ROOT / "steps").glob("*.py"), *(ROOT / "living_docs").glob("*.py")]:
        texts[str(path.relative_to(ROOT))] = path.read_text("utf-8")
    return texts


def test_the_glossary_bans_the_renderings_the_editorial_pass_removed() -> None:
    assert {"告げられる", "通話", "機能は"} <= set(_banned())


def test_no_japanese_text_uses_a_banned_rendering() -> None:
    found = []
    for name, text in _japanese_texts().items():
        for word in _banned():
            for allowed in ALLOWED_INSIDE.get(word, ()):
                text = text.replace(allowed, "")
            if word in text:
                found.append(f"{name}: {word}")
    assert found == []


def test_the_japanese_page_says_once_that_program_output_is_quoted_as_printed(
    tmp_path: Path,
) -> None:
    page = render(load_book(ROOT / "features", tmp_path))
    assert page.count("プログラムが表示するとおり英語のまま") == 1

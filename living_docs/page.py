"""The page: the book as one self-contained HTML file, in English and Japanese.

Everything the page needs is in the file (CSS and the few lines of script inline;
no font, image or stylesheet fetched), so it opens from disk, offline, as it is.
Both languages are in the page; one control switches between them and the choice is
remembered (localStorage). Every value from the features or the run is escaped.
Examples tables longer than a few rows fold away behind a one-line summary of their
results, and long cells are shortened in the middle (the full value is the cell's
tooltip), so a lookup table does not drown the rule it illustrates.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any

from pytest_bdd.gherkin_parser import DataTable
from pytest_bdd.parser import ScenarioTemplate

from .book import Book, Chapter, Result, Scenario
from .opening import OPENING, TITLE
from .verified import verification_note

FOLD_ROWS = 6
LONG_CELL = 48
_PLACEHOLDER = re.compile(r"&lt;([^&<>]+)&gt;")

WORDS = {
    "en": {
        "passed": "passed",
        "failed": "failed",
        "skipped": "skipped",
        "not run": "not run",
        "step": "Step",
        "steps": "Steps",
        "part": "Part {} of the series",
        "summary": "This run",
        "contents": "Contents",
        "scenarios": "scenarios",
        "backend": "Backend",
        "date": "Date",
        "real data": "Real data (BANK_DATA_DIR)",
        "yes": "yes",
        "no": "no",
        "versions": "Versions",
        "examples": "{} examples",
        "figures": "Figures from this run",
        "output": "What the reader was shown",
        "row": "row {}",
        "failed at": "Failed at step {}:",
        "switch": "日本語で読む",
        "opening": "Before you start",
        "appendix": "Across the steps",
        "failures": "Failed on this run",
    },
    "ja": {
        "passed": "成功",
        "failed": "失敗",
        "skipped": "スキップ",
        "not run": "未実行",
        "step": "ステップ",
        "steps": "ステップ",
        "part": "連載 第 {} 回",
        "summary": "今回の実行",
        "contents": "目次",
        "scenarios": "シナリオ",
        "backend": "バックエンド",
        "date": "日時",
        "real data": "実データ (BANK_DATA_DIR)",
        "yes": "あり",
        "no": "なし",
        "versions": "バージョン",
        "examples": "{} 件の例",
        "figures": "今回の実行で得られた数値",
        "output": "読者に示された出力",
        "row": "{} 行目",
        "failed at": "ステップ {} で失敗:",
        "switch": "Read in English",
        "opening": "はじめに",
        "appendix": "ステップをまたいで",
        "failures": "今回の実行で失敗したシナリオ",
    },
}

CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee8; --paper: #ffffff;
  --pass: #1a7f37; --fail: #cf222e; --skip: #9a6700; --none: #6e7781; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "Noto Sans",
  "Noto Sans CJK JP", "Hiragino Sans", sans-serif; color: var(--ink); background: #f6f7f9; }
html[data-lang="en"] .l-ja, html[data-lang="ja"] .l-en { display: none !important; }
header { position: sticky; top: 0; z-index: 2; display: flex; align-items: center;
  justify-content: space-between; gap: 1rem; padding: .6rem 1.5rem; background: #12263f;
  color: #fff; }
header h1 { font-size: 1.15rem; margin: 0; font-weight: 600; }
#language-switch { font: inherit; padding: .3rem .9rem; border-radius: 999px;
  border: 1px solid #fff8; background: transparent; color: #fff; cursor: pointer; }
#language-switch:hover { background: #ffffff22; }
.page { max-width: 62rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
.box, article.chapter { background: var(--paper); border: 1px solid var(--line);
  border-radius: 10px; padding: 1rem 1.5rem; margin: 1.2rem 0; }
h2 { font-size: 1.35rem; margin: .6rem 0; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; color: var(--accent); }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
.facts td, .facts th { padding: .1rem .8rem .1rem 0; text-align: left; vertical-align: top; }
.badge { display: inline-block; font-size: .78rem; font-weight: 600; padding: 0 .5rem;
  border-radius: 999px; color: #fff; vertical-align: middle; white-space: nowrap; }
.badge.passed { background: var(--pass); } .badge.failed { background: var(--fail); }
.badge.skipped { background: var(--skip); } .badge.not-run { background: var(--none); }
.chapter-meta { color: var(--muted); font-size: .9rem; }
.tag { font-family: ui-monospace, monospace; font-size: .8rem; color: var(--muted); }
.description p { margin: .4rem 0; }
.scenario { border-left: 4px solid var(--line); padding: .2rem 0 .2rem 1rem; margin: .9rem 0; }
.scenario.passed { border-color: var(--pass); } .scenario.failed { border-color: var(--fail); }
.scenario.skipped { border-color: var(--skip); } .scenario.not-run { border-color: var(--none); }
.scenario h4 { margin: 0 0 .3rem; font-size: 1rem; }
.steps { list-style: none; padding: 0; margin: .2rem 0; }
.steps li { padding: .05rem 0; }
.kw { font-weight: 700; color: var(--accent); margin-right: .35rem; }
.steps li.failed { background: #ffebe9; } .steps li.not-run { color: var(--none); }
.ph { background: #eef4ff; border-radius: 4px; padding: 0 .2rem;
  font-family: ui-monospace, monospace; font-size: .9em; }
table.data { border-collapse: collapse; margin: .4rem 0 .4rem 1.2rem; font-size: .88rem; }
table.data th, table.data td { border: 1px solid var(--line); padding: .15rem .5rem;
  text-align: left; max-width: 28rem; }
table.data th { background: #f0f3f7; }
table.articles { border-collapse: collapse; } table.articles td, table.articles th {
  border: 1px solid var(--line); padding: .2rem .6rem; text-align: left; }
details summary { cursor: pointer; color: var(--accent); }
pre { background: #0f1720; color: #e6edf3; padding: .6rem .8rem; border-radius: 6px;
  overflow-x: auto; font-size: .82rem; line-height: 1.45; white-space: pre-wrap; }
pre.error { background: #ffebe9; color: #82071e; }
.failures h3 { color: var(--fail); } .failures a { color: var(--fail); }
.note { color: var(--muted); font-size: .9rem; }
nav ol { columns: 2; padding-left: 1.2rem; } nav li { break-inside: avoid; }
nav a { color: var(--accent); text-decoration: none; } nav a:hover { text-decoration: underline; }
"""

SCRIPT = """
(function () {
  var KEY = "sagemaker-tutorial.living-docs.language";
  var root = document.documentElement;
  var button = document.getElementById("language-switch");
  var labels = {en: "日本語で読む", ja: "Read in English"};
  function show(language) {
    root.setAttribute("data-lang", language);
    root.setAttribute("lang", language);
    button.textContent = labels[language];
    try { window.localStorage.setItem(KEY, language); } catch (e) {}
  }
  var saved = null;
  try { saved = window.localStorage.getItem(KEY); } catch (e) {}
  show(saved === "ja" ? "ja" : "en");
  button.addEventListener("click", function () {
    show(root.getAttribute("data-lang") === "ja" ? "en" : "ja");
  });
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _badge(outcome: str, language: str) -> str:
    return f'<span class="badge {outcome.replace(" ", "-")}">{_e(WORDS[language][outcome])}</span>'


def _both(en: str, ja: str) -> str:
    """A fragment in both languages, one shown at a time (fragments already escaped)."""
    return f'<span class="l-en" lang="en">{en}</span><span class="l-ja" lang="ja">{ja}</span>'


def _short(value: str) -> str:
    if len(value) <= LONG_CELL:
        return _e(value)
    half = (LONG_CELL - 1) // 2
    return f'<span title="{_e(value)}">{_e(value[:half])}…{_e(value[-half:])}</span>'


def _step_text(text: str) -> str:
    """A step's text, its <placeholders> marked."""
    return _PLACEHOLDER.sub(r'<span class="ph">&lt;\1&gt;</span>', _e(text))


def _join_lines(block: str) -> str:
    """A paragraph's lines as one line: joined by a space, except between two Japanese
    characters, where a space would show as a gap."""
    joined = ""
    for line in (line.strip() for line in block.splitlines()):
        if not line:
            continue
        wide = joined and not joined[-1].isascii() and not line[0].isascii()
        joined += line if not joined or wide else f" {line}"
    return joined


def _paragraphs(text: str) -> str:
    blocks = [_join_lines(block) for block in re.split(r"\n\s*\n", text.strip())]
    return "".join(f"<p>{_e(block)}</p>" for block in blocks if block)


def _table(rows: Sequence[Sequence[str]], header: Sequence[str] | None = None) -> str:
    head = "<tr>" + "".join(f"<th>{_e(cell)}</th>" for cell in header) + "</tr>" if header else ""
    body = "".join(
        "<tr>" + "".join(f"<td>{_short(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f'<table class="data">{head}{body}</table>'


def _datatable(table: DataTable) -> str:
    return _table([[cell.value for cell in row.cells] for row in table.rows])


def _figure(figure: dict[str, Any], language: str) -> str:
    title = figure.get("title", {}).get(language, "")
    rows = [
        [label if language == "en" else label_ja, value]
        for label, label_ja, value in figure.get("rows", [])
    ]
    return f'<div class="figure"><strong>{_e(title)}</strong>{_table(rows)}</div>'


def _figures(results: Sequence[Result], language: str) -> str:
    seen: list[str] = []
    parts = []
    for result in results:
        for figure in result.figures:
            key = json.dumps(figure, sort_keys=True)
            if key not in seen:
                seen.append(key)
                parts.append(_figure(figure, language))
    if not parts:
        return ""
    title = _e(WORDS[language]["figures"])
    if len(parts) > 2:  # an outline's, one per row: folded like its Examples
        return (
            f'<details class="figures"><summary>{title} ({len(parts)})</summary>'
            f"{''.join(parts)}</details>"
        )
    return f'<div class="figures"><h5>{title}</h5>{"".join(parts)}</div>'


def _steps(template: ScenarioTemplate, result: Result | None, language: str) -> str:
    items = []
    for index, step in enumerate(template.steps):
        status, message = ("", "")
        if result is not None and index < len(result.steps):
            status, message = result.steps[index]
        extra = _datatable(step.datatable) if step.datatable else ""
        if step.docstring:
            extra += f"<pre>{_e(step.docstring)}</pre>"
        if status == "failed" and message:
            extra += f'<pre class="error">{_e(message)}</pre>'
        css = status.replace(" ", "-") if status else ""
        items.append(
            f'<li class="{css}"><span class="kw">{_e(step.keyword.strip())}</span>'
            f"{_step_text(step.name)}{extra}</li>"
        )
    return f'<ol class="steps">{"".join(items)}</ol>'


def _examples(scenario: Scenario, language: str) -> str:
    template = scenario.template
    words = WORDS[language]
    header = [*template.examples[0].example_params, ""] if template.examples else []
    rows: list[list[str]] = []
    for block in template.examples:
        rows.extend([*row] for row in block.examples)
    body = []
    for index, row in enumerate(rows):
        result = scenario.results[index] if index < len(scenario.results) else Result.not_run()
        cells = "".join(f"<td>{_short(cell)}</td>" for cell in row)
        body.append(f"<tr>{cells}<td>{_badge(result.outcome, language)}</td></tr>")
    head = "<tr>" + "".join(f"<th>{_e(name)}</th>" for name in header) + "</tr>"
    table = f'<table class="data examples">{head}{"".join(body)}</table>'
    if len(rows) <= FOLD_ROWS:
        return table
    tally: dict[str, int] = {}
    for result in scenario.results:
        tally[result.outcome] = tally.get(result.outcome, 0) + 1
    summary = ", ".join(f"{count} {words[outcome]}" for outcome, count in tally.items())
    return (
        f"<details><summary>{_e(words['examples'].format(len(rows)))}: {_e(summary)}"
        f"</summary>{table}</details>"
    )


def _problems(scenario: Scenario, language: str) -> str:
    """What went wrong or was skipped, said once per distinct reason (and per row)."""
    words = WORDS[language]
    notes = []
    for index, result in enumerate(scenario.results):
        where = f"{words['row'].format(index + 1)}: " if len(scenario.results) > 1 else ""
        failed = [i for i, (status, _) in enumerate(result.steps) if status == "failed"]
        if failed and scenario.template.templated:
            message = result.steps[failed[0]][1]
            notes.append(
                f'<p class="note">{_e(where)}{_e(words["failed at"].format(failed[0] + 1))}</p>'
                f'<pre class="error">{_e(message)}</pre>'
            )
        elif result.outcome in ("skipped", "not run") or (
            result.outcome == "failed" and not failed
        ):
            note = f'<p class="note">{_e(where)}{_e(result.reason)}</p>'
            if note not in notes and result.reason:
                notes.append(note)
    return "".join(notes)


def _scenario(scenario: Scenario, language: str, anchor: str) -> str:
    template = scenario.template
    single = scenario.results[0] if not template.templated else None
    output = ""
    if single is not None and single.output:
        output = (
            f"<details><summary>{_e(WORDS[language]['output'])}</summary>"
            f"<pre>{_e(single.output)}</pre></details>"
        )
    tags = " ".join(f'<span class="tag">@{_e(tag)}</span>' for tag in sorted(template.tags))
    examples = _examples(scenario, language) if template.templated else ""
    return (
        f'<section class="scenario {scenario.outcome.replace(" ", "-")}" id="{anchor}">'
        f"<h4>{_badge(scenario.outcome, language)} {_e(template.keyword)}: "
        f"{_step_text(template.name)} {tags}</h4>{verification_note(scenario, language)}"
        f"{_steps(template, single, language)}{examples}{_problems(scenario, language)}"
        f"{_figures(scenario.results, language)}{output}</section>"
    )


def _chapter_id(chapter: Chapter) -> str:
    return f"{chapter.language}-{chapter.file_name.removesuffix('.feature')}"


def _scenario_id(chapter: Chapter, rule_index: int, index: int) -> str:
    return f"{_chapter_id(chapter)}-{rule_index + 1}-{index + 1}"


def _failures(book: Book, language: str) -> str:
    """Links to every scenario that failed: where a reader of a red run starts."""
    items = [
        f'<li><a href="#{_scenario_id(chapter, rule_index, index)}">'
        f"{_e(_chapter_label(chapter))}: {_e(scenario.template.name)}</a></li>"
        for chapter in book.chapters[language]
        for rule_index, rule in enumerate(chapter.rules)
        for index, scenario in enumerate(rule.scenarios)
        if scenario.outcome == "failed"
    ]
    if not items:
        return ""
    title = _e(WORDS[language]["failures"])
    return f'<div class="failures"><h3>{title}</h3><ul>{"".join(items)}</ul></div>'


def _chapter_label(chapter: Chapter) -> str:
    words = WORDS[chapter.language]
    steps = chapter.steps
    if len(steps) == 1:
        label = f"{words['step']} {steps[0]}"
    else:
        label = f"{words['appendix']} ({words['steps']} {', '.join(steps)})"
    parts = ", ".join(words["part"].format(part) for part in chapter.parts)
    return f"{label}" + (f" · {parts}" if parts else "")


def _chapter(chapter: Chapter) -> str:
    language = chapter.language
    anchor = _chapter_id(chapter)
    tags = " ".join(f'<span class="tag">@{_e(tag)}</span>' for tag in sorted(chapter.feature.tags))
    rules = []
    for rule_index, rule in enumerate(chapter.rules):
        scenarios = "".join(
            _scenario(scenario, language, _scenario_id(chapter, rule_index, index))
            for index, scenario in enumerate(rule.scenarios)
        )
        title = f"<h3>{_e(rule.name)}</h3>" if rule.name else ""
        description = f'<div class="description">{_paragraphs(rule.description)}</div>'
        rules.append(
            f'<div class="rule">{title}{description if rule.description else ""}{scenarios}</div>'
        )
    return (
        f'<article class="chapter l-{language}" lang="{language}" id="{anchor}">'
        f'<div class="chapter-meta">{_e(_chapter_label(chapter))} {tags}</div>'
        f"<h2>{_e(chapter.feature.name)}</h2>"
        f'<div class="description">{_paragraphs(chapter.feature.description or "")}</div>'
        f"{''.join(rules)}</article>"
    )


def _contents(book: Book, language: str) -> str:
    items = "".join(
        f'<li><a href="#{_chapter_id(chapter)}">{_e(_chapter_label(chapter))}: '
        f"{_e(chapter.feature.name)}</a> {_badge(_chapter_outcome(chapter), language)}</li>"
        for chapter in book.chapters[language]
    )
    title = _e(WORDS[language]["contents"])
    return f'<nav class="box l-{language}" lang="{language}"><h2>{title}</h2><ol>{items}</ol></nav>'


def _chapter_outcome(chapter: Chapter) -> str:
    outcomes = {scenario.outcome for scenario in chapter.scenarios}
    for worst in ("failed", "not run", "skipped"):
        if worst in outcomes:
            return worst
    return "passed"


def _summary(book: Book) -> str:
    meta = book.meta
    parts = []
    for language in ("en", "ja"):
        words = WORDS[language]
        counts = book.counts(language)
        badges = "".join(
            f"{_badge(outcome, language)}&nbsp;{count}"
            for outcome, count in counts.items()
            if count or outcome in ("passed", "failed")
        )
        total = sum(counts.values())
        versions = "".join(
            f"<tr><th>{_e(name)}</th><td>{_e(version)}</td></tr>"
            for name, version in {
                "python": meta.get("python", "?"),
                **meta.get("versions", {}),
            }.items()
        )
        facts = (
            f"<tr><th>{_e(words['backend'])}</th><td>{_e(meta.get('backend', '?'))}</td></tr>"
            f"<tr><th>{_e(words['date'])}</th><td>{_e(meta.get('date', '?'))}</td></tr>"
            f"<tr><th>{_e(words['real data'])}</th>"
            f"<td>{_e(words['yes'] if meta.get('real_data') else words['no'])}</td></tr>"
        )
        parts.append(
            f'<div class="l-{language}" lang="{language}"><h2>{_e(words["summary"])}</h2>'
            f'<p class="counts">{total} {_e(words["scenarios"])}: {badges}</p>'
            f"{_failures(book, language)}"
            f'<table class="facts">{facts}</table>'
            f"<details><summary>{_e(words['versions'])}</summary>"
            f'<table class="facts">{versions}</table></details>'
            "</div>"
        )
    return f'<section class="box" id="summary">{"".join(parts)}</section>'


def render(book: Book) -> str:
    """The whole page, as one string."""
    opening = "".join(
        f'<div class="l-{language}" lang="{language}"><h2>{_e(WORDS[language]["opening"])}</h2>'
        f"{OPENING[language]}</div>"
        for language in ("en", "ja")
    )
    chapters = "".join(
        _chapter(chapter) for language in ("en", "ja") for chapter in book.chapters[language]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en" data-lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(TITLE['en'])}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{_both(_e(TITLE['en']), _e(TITLE['ja']))}</h1>"
        f'<button id="language-switch" type="button">{_e(WORDS["en"]["switch"])}</button></header>'
        f'<div class="page">{_summary(book)}'
        f'<section class="box" id="opening">{opening}</section>'
        f"{_contents(book, 'en')}{_contents(book, 'ja')}<main>{chapters}</main></div>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )

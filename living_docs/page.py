"""The page: the book as one self-contained HTML file, in English and Japanese.

Everything the page needs is in the file (CSS, inline SVG and a few lines of script;
no font, image or stylesheet fetched), so it opens from disk, offline, as it is.
Both languages are in the page; one control switches between them (the ``<title>``
too) and the choice is remembered (localStorage). Every value from the features, the
notebook or the run is escaped, and what would only describe the machine that built
the page (loopback ports, its folders) is replaced by a placeholder.

A chapter reads as the tutorial: the tutorial's own cell, the notebook's code today,
what it printed in this build, and then what the step guarantees, its scenarios
collapsed with their results. Step 6 and the summary lead with the real result.
Nothing is shortened: long values wrap, wide tables and code scroll in their box.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import charts
from .bdd import DataTable, ScenarioTemplate, example_rows
from .book import Book, Chapter, Result, Scenario
from .notebook import Code, Output
from .opening import OPENING, TITLE
from .tutorial import CELLS, SOURCE
from .verified import verification_note
from .words import WORDS

FOLD_ROWS = 6
PUBLISHED = {"rate": 89.5, "tn": 10769, "fp": 167, "fn": 1133, "tp": 288}
TUTORIAL_TAG = "tutorial"
_PLACEHOLDER = re.compile(r"&lt;([^&<>]+)&gt;")
_BACKTICKS = re.compile(r"`([^`]+)`")
_PORT = re.compile(r"\b(127\.0\.0\.1|localhost|\[::1\]):\d{2,5}\b")
_MACHINE_PATH = re.compile(r"(?<![\w.:/~-])/(?:tmp|home|root|work|var|private|Users)/[^\s'\"`,;)]*")

CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee8; --paper: #ffffff;
  --pass: #1a7f37; --fail: #cf222e; --skip: #9a6700; --none: #6e7781; --accent: #0b5cad; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
[id] { scroll-margin-top: 3.6rem; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "Noto Sans",
  "Noto Sans CJK JP", "Hiragino Sans", sans-serif; color: var(--ink); background: #f6f7f9;
  overflow-wrap: break-word; }
html[data-lang="en"] .l-ja, html[data-lang="ja"] .l-en { display: none !important; }
header { position: sticky; top: 0; z-index: 3; display: flex; align-items: center;
  gap: .8rem; padding: .5rem 1rem; background: #12263f; color: #fff; height: 3rem; }
header h1 { font-size: 1.05rem; margin: 0; font-weight: 600; flex: 1 1 auto; min-width: 0;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#language-switch { flex: none; font: inherit; font-size: .9rem; padding: .2rem .8rem;
  border-radius: 999px; border: 1px solid #fff8; background: transparent; color: #fff;
  cursor: pointer; white-space: nowrap; }
#language-switch:hover { background: #ffffff22; }
.layout { max-width: 84rem; margin: 0 auto; padding: 0 1rem 4rem; }
.layout > main { min-width: 0; }
@media (min-width: 1000px) {
  .layout { display: grid; grid-template-columns: 17rem minmax(0, 1fr); gap: 1.5rem; }
  #contents { position: sticky; top: 3.6rem; max-height: calc(100vh - 4.2rem); overflow-y: auto;
    align-self: start; }
}
.box, article.chapter { background: var(--paper); border: 1px solid var(--line);
  border-radius: 10px; padding: 1rem 1.25rem; margin: 1.1rem 0; min-width: 0; }
@media (max-width: 600px) { .box, article.chapter { padding: .8rem .8rem; }
  .layout { padding: 0 .5rem 3rem; } }
h2 { font-size: 1.35rem; margin: .5rem 0; line-height: 1.3; }
h3 { font-size: 1.12rem; margin: 1.3rem 0 .4rem; color: var(--accent); }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
.chapter-meta { color: var(--muted); font-size: .9rem; }
.tag { font-family: ui-monospace, monospace; font-size: .78rem; color: var(--muted); }
.where { font-family: ui-monospace, monospace; font-size: .78rem; color: var(--muted);
  margin-left: .4rem; }
.badge { display: inline-block; font-size: .78rem; font-weight: 600; padding: 0 .5rem;
  border-radius: 999px; color: #fff; vertical-align: middle; white-space: nowrap; }
.badge.passed { background: var(--pass); } .badge.failed { background: var(--fail); }
.badge.skipped { background: var(--skip); } .badge.not-run { background: var(--none); }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
.description p { margin: .4rem 0; }
code { font-family: ui-monospace, monospace; font-size: .9em; background: #eef1f5;
  border-radius: 4px; padding: 0 .2rem; }
details.scenario { border-left: 4px solid var(--line); padding: .15rem 0 .15rem .8rem;
  margin: .5rem 0; }
details.scenario.passed { border-color: var(--pass); }
details.scenario.failed { border-color: var(--fail); }
details.scenario.skipped { border-color: var(--skip); }
details.scenario.not-run { border-color: var(--none); }
details.scenario > summary { color: var(--ink); font-weight: 600; }
details summary { cursor: pointer; color: var(--accent); }
.hidden { display: none !important; }
.steps { list-style: none; padding: 0; margin: .3rem 0; }
.steps li { padding: .05rem 0; }
.kw { font-weight: 700; color: var(--accent); margin-right: .35rem; }
.steps li.failed { background: #ffebe9; } .steps li.not-run { color: var(--none); }
.ph { background: #eef4ff; border-radius: 4px; padding: 0 .2rem;
  font-family: ui-monospace, monospace; font-size: .9em; }
.scroll { max-width: 100%; overflow-x: auto; margin: .4rem 0; }
table.data { border-collapse: collapse; font-size: .88rem; }
table.data th, table.data td { border: 1px solid var(--line); padding: .15rem .5rem;
  text-align: left; vertical-align: top; min-width: 4rem; max-width: 36rem;
  overflow-wrap: anywhere; }
table.data thead th { background: #eaeef4; font-weight: 700; }
table.facts td, table.facts th { padding: .1rem .8rem .1rem 0; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
table.articles { border-collapse: collapse; } table.articles td, table.articles th {
  border: 1px solid var(--line); padding: .2rem .6rem; text-align: left; }
pre { background: #0f1720; color: #e6edf3; padding: .6rem .8rem; border-radius: 6px;
  overflow-x: auto; font-size: .82rem; line-height: 1.45; white-space: pre; max-width: 100%;
  margin: .4rem 0; }
pre.error { background: #ffebe9; color: #82071e; }
pre.tutorial { background: #f3f0e8; color: #3b3320; border-left: 4px solid #c9b98a; }
.cite { color: var(--muted); font-size: .85rem; margin: .2rem 0 .8rem; }
.failures h3 { color: var(--fail); } .failures a { color: var(--fail); }
.note { color: var(--muted); font-size: .9rem; }
.warning { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px;
  padding: .4rem .7rem; color: #4d3800; font-size: .92rem; margin: .5rem 0; }
.warning.small { display: inline-block; padding: 0 .4rem; font-size: .8rem; margin: 0 0 .3rem; }
.headline { border: 2px solid var(--accent); border-radius: 10px; padding: .8rem 1rem;
  margin: .8rem 0; background: #f7fbff; }
.headline .rate { font-size: 1.6rem; font-weight: 700; }
.headline .published { color: var(--muted); font-size: .95rem; }
.metrics { display: flex; flex-wrap: wrap; gap: .3rem 1.4rem; margin: .4rem 0; }
.pictures { display: flex; flex-wrap: wrap; gap: 1rem; }
.pictures figure { margin: 0; flex: 1 1 16rem; max-width: 22rem; }
.pictures figcaption { font-size: .85rem; color: var(--muted); }
svg.chart { width: 100%; height: auto; font: 13px system-ui, sans-serif; }
svg.chart .count { font-weight: 700; font-size: 16px; }
svg.chart .share, svg.chart .axis { fill: #5b6475; }
table.matrix td, table.matrix th { text-align: right; }
table.matrix .pub { color: var(--muted); font-size: .8rem; display: block; }
.tools { display: flex; flex-direction: column; gap: .5rem; margin-bottom: .6rem; }
.tools input[type=search] { font: inherit; padding: .3rem .5rem; width: 100%;
  border: 1px solid var(--line); border-radius: 6px; }
.tools .row { display: flex; flex-wrap: wrap; gap: .3rem .8rem; font-size: .9rem; }
.tools button { font: inherit; font-size: .85rem; padding: .1rem .6rem; border-radius: 6px;
  border: 1px solid var(--line); background: #fff; cursor: pointer; }
#contents ol { padding-left: 1.1rem; margin: .3rem 0; font-size: .92rem; }
#contents li { margin: .15rem 0; }
#contents a { color: var(--accent); text-decoration: none; }
#contents a:hover { text-decoration: underline; }
"""

SCRIPT = """
(function () {
  var KEY = "sagemaker-tutorial.living-docs.language";
  var root = document.documentElement;
  var button = document.getElementById("language-switch");
  var search = document.getElementById("search");
  var data = JSON.parse(document.getElementById("page-words").textContent);
  function language() { return root.getAttribute("data-lang"); }
  function show(lang) {
    root.setAttribute("data-lang", lang);
    root.setAttribute("lang", lang);
    button.textContent = data[lang].switch;
    document.title = data[lang].title;
    search.setAttribute("placeholder", data[lang].search);
    search.setAttribute("aria-label", data[lang].search);
    try { window.localStorage.setItem(KEY, lang); } catch (e) {}
    narrow();
  }
  function scenarios() {
    return Array.prototype.slice.call(
      document.querySelectorAll("main .l-" + language() + " details.scenario"));
  }
  function narrow() {
    var query = search.value.trim().toLowerCase();
    var path = document.getElementById("filter-path").checked;
    var shown = 0;
    scenarios().forEach(function (s) {
      var tags = (s.getAttribute("data-tags") || "").split(" ");
      var ok = (!path || tags.indexOf("tutorial") >= 0) &&
        (!query || s.textContent.toLowerCase().indexOf(query) >= 0);
      s.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
      if (ok && query) { s.open = true; }
    });
    document.querySelectorAll("main .rule").forEach(function (rule) {
      var any = rule.querySelector("details.scenario:not(.hidden)");
      rule.classList.toggle("hidden", !any && (query || path) !== "" && (query !== "" || path));
    });
    var count = document.getElementById("match-count");
    count.textContent = (query || path) ? data[language()].matches.replace("{}", shown) : "";
  }
  function all(open) {
    document.querySelectorAll("main .l-" + language() + " details").forEach(
      function (d) { d.open = open; });
  }
  var saved = null;
  try { saved = window.localStorage.getItem(KEY); } catch (e) {}
  search.addEventListener("input", narrow);
  document.getElementById("filter-path").addEventListener("change", narrow);
  document.getElementById("filter-every").addEventListener("change", narrow);
  document.getElementById("expand-all").addEventListener("click", function () { all(true); });
  document.getElementById("collapse-all").addEventListener("click", function () { all(false); });
  button.addEventListener("click", function () { show(language() === "ja" ? "en" : "ja"); });
  show(saved === "ja" ? "ja" : "en");
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def scrub(text: str) -> str:
    """Run text without what describes only the building machine: ports and its folders.

    ``http://127.0.0.1:43117/x`` reads ``http://127.0.0.1:<port>/x``; a path under a
    temporary or home folder keeps its file name only (``…/bank_clean.csv``)."""
    text = _PORT.sub(lambda match: f"{match[1]}:<port>", text)
    return _MACHINE_PATH.sub(lambda match: "…/" + match[0].rstrip("/").rsplit("/", 1)[-1], text)


def _s(text: object) -> str:
    """A value from the run: scrubbed, then escaped."""
    return _e(scrub(str(text)))


def _inline(escaped: str) -> str:
    """Backticks in prose, already escaped, as code."""
    return _BACKTICKS.sub(r"<code>\1</code>", escaped)


def sentence_case(title: str) -> str:
    """A rule or scenario title as a sentence: its first word capitalised, unless that
    word is a name as written (``train.csv``, ``bank_clean.csv``, ``--force``, ``<x>``)."""
    first = title.split(" ", 1)[0]
    if not first or not first.isalpha() or not first.islower() or not first.isascii():
        return title
    return title[0].upper() + title[1:]


def _badge(outcome: str, language: str) -> str:
    return f'<span class="badge {outcome.replace(" ", "-")}">{_e(WORDS[language][outcome])}</span>'


def _both(en: str, ja: str) -> str:
    """A fragment in both languages, one shown at a time (fragments already escaped)."""
    return f'<span class="l-en" lang="en">{en}</span><span class="l-ja" lang="ja">{ja}</span>'


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
    return "".join(f"<p>{_inline(_e(block))}</p>" for block in blocks if block)


def _scroll(table: str) -> str:
    return f'<div class="scroll">{table}</div>'


def _table(
    rows: Sequence[Sequence[str]], header: Sequence[str] | None = None, css: str = "data"
) -> str:
    """A table whose cells are run values: scrubbed and escaped, never shortened."""
    head = (
        "<thead><tr>" + "".join(f"<th>{_e(cell)}</th>" for cell in header) + "</tr></thead>"
        if header
        else ""
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{_s(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return _scroll(f'<table class="{css}">{head}<tbody>{body}</tbody></table>')


def _datatable(table: DataTable) -> str:
    """A step's table: its first row is its header, as Gherkin writes it."""
    rows = [[cell.value for cell in row.cells] for row in table.rows]
    return _table(rows[1:], rows[0]) if len(rows) > 1 else _table(rows)


# --- figures ----------------------------------------------------------------------------------


def _synthetic_note(language: str, small: bool = True) -> str:
    words = WORDS[language]
    if small:
        return f'<p class="warning small">{_e(words["synthetic short"])}</p>'
    return f'<p class="warning">{_e(words["synthetic"])}</p>'


def _is_synthetic(facts: dict[str, Any], meta: dict[str, Any]) -> bool:
    data = facts.get("data")
    return data == "synthetic" or (data is None and not meta.get("real_data"))


def _figure(figure: dict[str, Any], language: str, meta: dict[str, Any]) -> str:
    """One recorded figure: a kind of ``living_docs.figures``, or an older titled table."""
    if "kind" not in figure:
        title = figure.get("title", {}).get(language, "")
        rows = [
            [label if language == "en" else label_ja, value]
            for label, label_ja, value in figure.get("rows", [])
        ]
        note = _synthetic_note(language) if not meta.get("real_data") else ""
        return f'<div class="figure"><h5>{_e(title)}</h5>{note}{_table(rows)}</div>'
    kind, facts = figure["kind"], figure.get("facts", {})
    ja = language == "ja"
    note = _synthetic_note(language) if _is_synthetic(facts, meta) else ""
    if kind == "evaluation":
        return _evaluation(facts, language, meta, headline=False)
    if kind == "split":
        title = "分割" if ja else "The split"
        rows = [
            [
                "トレーニングデータ (行, 列)" if ja else "training part (rows, columns)",
                facts["train"],
            ],
            ["テストデータ (行, 列)" if ja else "test part (rows, columns)", facts["test"]],
        ]
        rows = [[label, f"({value[0]}, {value[1]})"] for label, value in rows]
    elif kind == "bucket":
        title = "S3 が示すバケット" if ja else "The bucket, as S3 reports it"
        labels = {
            "name": ("name", "名前"),
            "region": ("region", "リージョン"),
            "public_access_block": ("Block Public Access", "パブリックアクセスのブロック"),
            "encryption": ("default encryption", "デフォルトの暗号化"),
            "ownership": ("object ownership", "オブジェクトの所有者"),
            "tags": ("tags", "タグ"),
        }
        rows = [[labels[key][ja], facts[key]] for key in labels if key in facts]
    elif kind == "training-request":
        title = "トレーニングリクエスト" if ja else "The training request"
        rows = facts.get("fields", [])
    elif kind == "training-job":
        title = (
            "SageMaker が示すトレーニングジョブ"
            if ja
            else "The training job, as SageMaker reports it"
        )
        metrics = ", ".join(f"{k} {v:.4g}" for k, v in facts.get("final_metrics", {}).items())
        rows = [
            ["状態" if ja else "status", facts.get("status", "")],
            ["経過" if ja else "its course", " → ".join(facts.get("course", []))],
            ["コンテナイメージ" if ja else "training image", facts.get("image", "")],
            [
                "ハイパーパラメータ" if ja else "hyperparameters",
                ", ".join(f"{k}={v}" for k, v in facts.get("hyperparameters", {}).items()),
            ],
            ["モデルの成果物" if ja else "model artifact", facts.get("artifact", "")],
            ["最終的な指標" if ja else "final metrics", metrics or "—"],
        ]
        curve = _training_curve([figure], language)
        return f'<div class="figure"><h5>{_e(title)}</h5>{note}{_table(rows)}{curve}</div>'
    else:
        return ""
    return f'<div class="figure"><h5>{_e(title)}</h5>{note}{_table(rows)}</div>'


def _training_curve(figures: Sequence[dict[str, Any]], language: str) -> str:
    """The curve from the first training job that logged its rounds; else say there is none."""
    jobs = [f.get("facts", {}) for f in figures if f.get("kind") == "training-job"]
    for facts in jobs:
        if facts.get("rounds"):
            svg = charts.training_curve(facts["rounds"], language)
            caption = _e(charts.LABELS[language]["training"])
            figure = f"<figure>{svg}<figcaption>{caption}</figcaption></figure>"
            return f'<div class="pictures">{figure}</div>'
    words = WORDS[language]
    return f'<p class="note training-curve-missing">{_e(words["no rounds"])}</p>'


def _matrix_table(facts: dict[str, Any], language: str, published: bool) -> str:
    words = WORDS[language]

    def cell(key: str) -> str:
        extra = (
            f'<span class="pub">{_e(words["published"].format(PUBLISHED[key]))}</span>'
            if published
            else ""
        )
        return f"<td>{int(facts[key])}{extra}</td>"

    head = (
        f"<thead><tr><th>{_e(words['observed'])} \\ {_e(words['predicted'])}</th>"
        f"<th>{_e(words['pred no'])}</th><th>{_e(words['pred yes'])}</th></tr></thead>"
    )
    body = (
        f"<tr><th>{_e(words['obs no'])}</th>{cell('tn')}{cell('fp')}</tr>"
        f"<tr><th>{_e(words['obs yes'])}</th>{cell('fn')}{cell('tp')}</tr>"
    )
    return _scroll(f'<table class="data matrix">{head}<tbody>{body}</tbody></table>')


def _evaluation(
    facts: dict[str, Any],
    language: str,
    meta: dict[str, Any],
    headline: bool,
    figures: Sequence[dict[str, Any]] = (),
) -> str:
    """An evaluation: a format check (fixed predictions) or a run's result, with pictures."""
    words = WORDS[language]
    synthetic = _is_synthetic(facts, meta)
    rate = float(facts["rate"])
    if facts.get("source") == "fixed":
        return (
            f'<div class="figure format-check"><p class="note">{_e(words["format check"])}</p>'
            f"<p>{_e(words['rate'])}: {rate:.1f}% · {int(facts['rows'])} {_e(words['rows'])}</p>"
            f"{_matrix_table(facts, language, published=False)}</div>"
        )
    title = words["result synthetic"] if synthetic else words["result"]
    metrics = (
        f'<div class="metrics">'
        f"<span>{_e(words['precision'])} {float(facts['precision']):.3f}</span>"
        f"<span>{_e(words['recall'])} {float(facts['recall']):.3f}</span>"
        f"<span>{_e(words['auc'])} {float(facts['auc']):.3f}</span>"
        f"<span>{int(facts['rows'])} {_e(words['rows'])}</span></div>"
    )
    note = _synthetic_note(language) if synthetic else ""
    top = _synthetic_note(language, small=not headline) if synthetic else ""
    matrix = charts.confusion_matrix(
        int(facts["tn"]), int(facts["fp"]), int(facts["fn"]), int(facts["tp"]), language
    )
    roc = charts.roc_curve(facts.get("roc", []), float(facts["auc"]), language)
    pictures = (
        f'<div class="pictures"><figure>{matrix}<figcaption>{note}'
        f"{_e(charts.LABELS[language]['matrix'])}</figcaption></figure>"
        f"<figure>{roc}<figcaption>{note}{_e(charts.LABELS[language]['roc'])}</figcaption></figure>"
        "</div>"
    )
    curve = _training_curve(figures, language) if headline else ""
    css = "headline" if headline else "figure run-result"
    return (
        f'<div class="{css}"><h4>{_e(title)}</h4>{top}'
        f'<p><span class="rate">{_e(words["rate"])}: {rate:.1f}%</span> '
        f'<span class="published">({_e(words["published"].format("89.5%"))})</span></p>'
        f"{_matrix_table(facts, language, published=True)}{metrics}{pictures}{curve}</div>"
    )


def _figures(results: Sequence[Result], language: str, meta: dict[str, Any]) -> str:
    seen: list[str] = []
    parts = []
    for result in results:
        for figure in result.figures:
            key = json.dumps(figure, sort_keys=True)
            if key not in seen:
                seen.append(key)
                parts.append(_figure(figure, language, meta))
    if not parts:
        return ""
    title = _e(WORDS[language]["figures"])
    if len(parts) > 2:  # an outline's, one per row: folded like its Examples
        return (
            f'<details class="figures"><summary>{title} ({len(parts)})</summary>'
            f"{''.join(parts)}</details>"
        )
    return f'<div class="figures"><h5>{title}</h5>{"".join(parts)}</div>'


# --- scenarios ----------------------------------------------------------------------------------


def _steps(template: ScenarioTemplate, result: Result | None) -> str:
    items = []
    for index, step in enumerate(template.steps):
        status, message = ("", "")
        if result is not None and index < len(result.steps):
            status, message = result.steps[index]
        extra = _datatable(step.datatable) if step.datatable else ""
        if step.docstring:
            extra += f"<pre>{_e(step.docstring)}</pre>"
        if status == "failed" and message:
            extra += f'<pre class="error">{_s(message)}</pre>'
        css = status.replace(" ", "-") if status else ""
        items.append(
            f'<li class="{css}"><span class="kw">{_e(step.keyword.strip())}</span>'
            f"{_step_text(step.name)}{extra}</li>"
        )
    return f'<ol class="steps">{"".join(items)}</ol>'


def _examples(scenario: Scenario, language: str) -> str:
    words = WORDS[language]
    header, rows = example_rows(scenario.template)
    body = []
    for index, row in enumerate(rows):
        result = scenario.results[index] if index < len(scenario.results) else Result.not_run()
        cells = "".join(f"<td>{_s(cell)}</td>" for cell in row)
        body.append(f"<tr>{cells}<td>{_badge(result.outcome, language)}</td></tr>")
    head = (
        "<thead><tr>" + "".join(f"<th>{_e(name)}</th>" for name in [*header, ""]) + "</tr></thead>"
    )
    table = _scroll(f'<table class="data examples">{head}<tbody>{"".join(body)}</tbody></table>')
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
                f'<pre class="error">{_s(message)}</pre>'
            )
        elif result.outcome in ("skipped", "not run") or (
            result.outcome == "failed" and not failed
        ):
            note = f'<p class="note">{_e(where)}{_s(result.reason)}</p>'
            if note not in notes and result.reason:
                notes.append(note)
    return "".join(notes)


def _scenario(scenario: Scenario, chapter: Chapter, anchor: str, meta: dict[str, Any]) -> str:
    language = chapter.language
    template = scenario.template
    single = scenario.results[0] if not template.templated else None
    output = ""
    if single is not None and single.output:
        output = (
            f"<details><summary>{_e(WORDS[language]['output'])}</summary>"
            f"<pre>{_s(single.output)}</pre></details>"
        )
    tags = " ".join(f'<span class="tag">@{_e(tag)}</span>' for tag in sorted(template.tags))
    where = f"features/{chapter.relative}:{template.line_number}"
    examples = _examples(scenario, language) if template.templated else ""
    data_tags = " ".join(sorted(template.tags | chapter.feature.tags))
    return (
        f'<details class="scenario {scenario.outcome.replace(" ", "-")}" id="{anchor}" '
        f'data-tags="{_e(data_tags)}">'
        f"<summary>{_badge(scenario.outcome, language)} {_e(template.keyword)}: "
        f"{_step_text(sentence_case(template.name))}"
        f'<span class="where">{_e(where)}</span> {tags}</summary>'
        f"{verification_note(scenario, language)}"
        f"{_steps(template, single)}{examples}{_problems(scenario, language)}"
        f"{_figures(scenario.results, language, meta)}{output}</details>"
    )


# --- chapters -----------------------------------------------------------------------------------


def _chapter_id(chapter: Chapter) -> str:
    return f"{chapter.language}-{chapter.file_name.removesuffix('.feature')}"


def _scenario_id(chapter: Chapter, rule_index: int, index: int) -> str:
    return f"{_chapter_id(chapter)}-{rule_index + 1}-{index + 1}"


def _failures(book: Book, language: str) -> str:
    """Links to every scenario that failed: where a reader of a red run starts."""
    items = [
        f'<li><a href="#{_scenario_id(chapter, rule_index, index)}">'
        f"{_e(chapter_label(chapter))}: {_e(scenario.template.name)}</a></li>"
        for chapter in book.chapters[language]
        for rule_index, rule in enumerate(chapter.rules)
        for index, scenario in enumerate(rule.scenarios)
        if scenario.outcome == "failed"
    ]
    if not items:
        return ""
    title = _e(WORDS[language]["failures"])
    return f'<div class="failures"><h3>{title}</h3><ul>{"".join(items)}</ul></div>'


def chapter_label(chapter: Chapter) -> str:
    """ "Step 4", "Appendix (step 3f)", "Across the steps (steps 2, 3c…)": no part number."""
    words = WORDS[chapter.language]
    steps = chapter.steps
    if chapter.appendix:
        return f"{words['appendix']} ({words['step'].lower()} {', '.join(steps)})"
    if len(steps) == 1:
        return f"{words['step']} {steps[0]}"
    return f"{words['across']} ({words['steps'].lower()} {', '.join(steps)})"


def _parts_label(chapter: Chapter) -> str:
    words = WORDS[chapter.language]
    return ", ".join(words["part"].format(part) for part in chapter.parts)


def _code_step(chapter: Chapter) -> str | None:
    """The notebook step whose cells open this chapter: its one tutorial step, if code."""
    steps = chapter.steps
    if chapter.appendix or len(steps) != 1 or steps[0] not in CELLS:
        return None
    return steps[0]


def _output_block(output: Output) -> str:
    if output.kind == "svg":
        return f'<div class="output-image">{output.content}</div>'
    if output.kind == "png":
        return f'<img class="output-image" alt="" src="{_e(output.content)}">'
    css = ' class="error"' if output.kind == "error" else ""
    return f"<pre{css}>{_s(output.content)}</pre>"


def _run_figures(chapter: Chapter, meta: dict[str, Any]) -> list[str]:
    """The chapter's recorded figures, one per kind (a fixed format check is not a run)."""
    kinds: set[str] = set()
    shown = []
    for scenario in chapter.scenarios:
        for result in scenario.results:
            for figure in result.figures:
                facts = figure.get("facts", {})
                kind = figure.get("kind") or json.dumps(figure.get("title"))
                if kind in kinds or facts.get("source") == "fixed" or kind == "evaluation":
                    continue
                kinds.add(kind)
                shown.append(_figure(figure, chapter.language, meta))
    return shown


def _opening(chapter: Chapter, code: Code, book: Book) -> str:
    """The tutorial's cell, the notebook's code, and what it printed in this build."""
    step = _code_step(chapter)
    if step is None:
        return ""
    language = chapter.language
    words = WORDS[language]
    tag = f"step-{step}"
    parts = [
        f'<h3 class="tutorial-heading">{_e(words["tutorial cell"])}</h3>'
        f'<div class="tutorial-cell"><pre class="tutorial">{_e(CELLS[step])}</pre>'
        f'<p class="cite">— {_e(SOURCE[language])}, {_e(words["step"])} {_e(step)}</p></div>'
        f"<h3>{_e(words['notebook code'])}</h3>"
    ]
    cells = code.of(step)
    if not cells:
        parts.append(f'<p class="note code-missing">{_e(words["no code"].format(tag))}</p>')
    else:
        source = _e(words["notebook source"].format(tag))
        blocks = "".join(f'<pre class="code">{_e(cell.source)}</pre>' for cell in cells)
        parts.append(f'<div class="notebook-cell">{blocks}<p class="cite">{source}</p></div>')
    printed = [_output_block(output) for cell in cells for output in cell.outputs]
    if step == "6":
        headline = _headline(book, language)
        parts.append(f"<h3>{_e(words['printed'])}</h3>{headline}")
    elif printed:
        parts.append(
            f'<h3>{_e(words["printed"])}</h3><p class="note">{_e(words["printed notebook"])}</p>'
            f"{''.join(printed)}"
        )
    else:
        figures = _run_figures(chapter, book.meta)
        body = (
            "".join(figures) if figures else f'<p class="note">{_e(words["nothing printed"])}</p>'
        )
        note = f'<p class="note">{_e(words["printed run"])}</p>' if figures else ""
        parts.append(f"<h3>{_e(words['printed'])}</h3>{note}{body}")
    return f'<section class="chapter-opening">{"".join(parts)}</section>'


def _chapter(chapter: Chapter, code: Code, book: Book) -> str:
    language = chapter.language
    anchor = _chapter_id(chapter)
    tags = " ".join(f'<span class="tag">@{_e(tag)}</span>' for tag in sorted(chapter.feature.tags))
    rules = []
    for rule_index, rule in enumerate(chapter.rules):
        scenarios = "".join(
            _scenario(scenario, chapter, _scenario_id(chapter, rule_index, index), book.meta)
            for index, scenario in enumerate(rule.scenarios)
        )
        title = f"<h4>{_e(sentence_case(rule.name))}</h4>" if rule.name else ""
        description = f'<div class="description">{_paragraphs(rule.description)}</div>'
        rules.append(
            f'<div class="rule">{title}{description if rule.description else ""}{scenarios}</div>'
        )
    parts = _parts_label(chapter)
    meta = _e(chapter_label(chapter)) + (f" · {_e(parts)}" if parts else "")
    guarantees = f'<h3 class="guarantees">{_e(WORDS[language]["guarantees"])}</h3>'
    return (
        f'<article class="chapter l-{language}" lang="{language}" id="{anchor}">'
        f'<div class="chapter-meta">{meta} {tags}</div>'
        f"<h2>{_e(chapter.feature.name)}</h2>"
        f'<div class="description">{_paragraphs(chapter.feature.description or "")}</div>'
        f"{_opening(chapter, code, book)}{guarantees}{''.join(rules)}</article>"
    )


def _chapter_outcome(chapter: Chapter) -> str:
    outcomes = {scenario.outcome for scenario in chapter.scenarios}
    for worst in ("failed", "not run", "skipped"):
        if worst in outcomes:
            return worst
    return "passed"


# --- the page -----------------------------------------------------------------------------------


def headline_figure(book: Book, language: str) -> dict[str, Any] | None:
    """The evaluation of a whole run to lead with: on the real data when there is one."""
    runs: list[dict[str, Any]] = [
        figure.get("facts", {})
        for chapter in book.chapters[language]
        for scenario in chapter.scenarios
        for result in scenario.results
        for figure in result.figures
        if figure.get("kind") == "evaluation" and figure.get("facts", {}).get("source") == "run"
    ]
    real = [facts for facts in runs if facts.get("data") == "real"]
    chosen = real or runs
    return chosen[0] if chosen else None


def _all_figures(book: Book, language: str) -> list[dict[str, Any]]:
    return [
        figure
        for chapter in book.chapters[language]
        for scenario in chapter.scenarios
        for result in scenario.results
        for figure in result.figures
    ]


def _headline(book: Book, language: str) -> str:
    facts = headline_figure(book, language)
    if facts is None:
        return f'<p class="note">{_e(WORDS[language]["not found"])}</p>'
    return _evaluation(facts, language, book.meta, True, _all_figures(book, language))


def _contents(book: Book, language: str) -> str:
    items = "".join(
        f'<li><a href="#{_chapter_id(chapter)}">{_e(chapter_label(chapter))}: '
        f"{_e(chapter.feature.name)}</a> {_badge(_chapter_outcome(chapter), language)}</li>"
        for chapter in book.chapters[language]
    )
    title = _e(WORDS[language]["contents"])
    return (
        f'<div class="l-{language}" lang="{language}"><h2>{title}</h2>'
        f'<ol><li><a href="#summary">{_e(WORDS[language]["summary"])}</a></li>{items}</ol></div>'
    )


def _tools() -> str:
    en, ja = WORDS["en"], WORDS["ja"]
    return (
        '<div class="tools">'
        f'<input type="search" id="search" placeholder="{_e(en["search"])}" '
        f'aria-label="{_e(en["search"])}">'
        '<div class="row" role="radiogroup">'
        '<label><input type="radio" name="filter" id="filter-every" checked> '
        f"{_both(_e(en['every']), _e(ja['every']))}</label>"
        '<label><input type="radio" name="filter" id="filter-path"> '
        f"{_both(_e(en['path']), _e(ja['path']))}</label></div>"
        '<div class="row">'
        '<button type="button" id="expand-all">'
        f"{_both(_e(en['expand']), _e(ja['expand']))}</button>"
        f'<button type="button" id="collapse-all">{_both(_e(en["collapse"]), _e(ja["collapse"]))}'
        '</button></div><div class="note" id="match-count" aria-live="polite"></div></div>'
    )


def _summary(book: Book) -> str:
    meta = book.meta
    parts = []
    for language in ("en", "ja"):
        words = WORDS[language]
        counts = book.counts(language)
        badges = "".join(
            f"{_badge(outcome, language)}&nbsp;{count} "
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
        headline = headline_figure(book, language)
        synthetic = not meta.get("real_data") or (
            headline is not None and headline.get("data") != "real"
        )
        warning = _synthetic_note(language, small=False) if synthetic else ""
        parts.append(
            f'<div class="l-{language}" lang="{language}"><h2>{_e(words["summary"])}</h2>'
            f"{warning}{_headline(book, language)}"
            f'<p class="counts">{total} {_e(words["scenarios"])}: {badges}</p>'
            f"{_failures(book, language)}"
            f'<div class="scroll"><table class="facts">{facts}</table></div>'
            f"<details><summary>{_e(words['versions'])}</summary>"
            f'<div class="scroll"><table class="facts">{versions}</table></div></details>'
            "</div>"
        )
    return f'<section class="box" id="summary">{"".join(parts)}</section>'


def render(book: Book, code: Code | None = None) -> str:
    """The whole page, as one string."""
    code = code if code is not None else Code()
    opening = "".join(
        f'<div class="l-{language}" lang="{language}"><h2>{_e(WORDS[language]["opening"])}</h2>'
        f"{OPENING[language]}</div>"
        for language in ("en", "ja")
    )
    chapters = "".join(
        _chapter(chapter, code, book)
        for language in ("en", "ja")
        for chapter in book.chapters[language]
    )
    words = {
        language: {
            "title": TITLE[language],
            "switch": WORDS[language]["switch"],
            "search": WORDS[language]["search"],
            "matches": WORDS[language]["matches"],
        }
        for language in ("en", "ja")
    }
    # JSON inside <script>: "</" could end the element, so it is escaped as "<\\/".
    page_words = json.dumps(words, ensure_ascii=False).replace("</", "<\\/")
    return (
        '<!DOCTYPE html>\n<html lang="en" data-lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(TITLE['en'])}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{_both(_e(TITLE['en']), _e(TITLE['ja']))}</h1>"
        f'<button id="language-switch" type="button">{_e(WORDS["en"]["switch"])}</button></header>'
        f'<div class="layout"><nav class="box" id="contents">{_tools()}'
        f"{_contents(book, 'en')}{_contents(book, 'ja')}</nav>"
        f'<main>{_summary(book)}<section class="box" id="opening">{opening}</section>'
        f"{chapters}</main></div>"
        f'<script type="application/json" id="page-words">{page_words}</script>'
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def notebook_paths(root: Path) -> tuple[Path, Path]:
    """The committed notebook and its executed copy, under a project root."""
    from .notebook import COMMITTED, EXECUTED

    return root / COMMITTED, root / EXECUTED

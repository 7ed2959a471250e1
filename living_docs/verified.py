"""When each scenario was last seen to hold on AWS itself: "verified on AWS on <date>".

The features run on every change against the local SageMaker; only `tox -e live`
runs them on AWS. That run (``python -m living_docs.live``) turns the results
``collect`` recorded into one record per scenario (and Examples row) that ran:
its id, outcome, date, region and duration, merged into the previous file, so a
scenario skipped this time keeps what an earlier run showed. The maintainers commit
the file a live run produced as ``living_docs/verified_on_aws.json``; the page then
says, per scenario, "verified on AWS on <date>" or, until a live run saw it pass,
"not yet verified on AWS".

A scenario's id is its English feature file and name (``4_train.feature: ...``):
lines move when a feature is edited, names say what the rule is. A Japanese twin
shows its English scenario's record (same file, same place: the parity test keeps
them in step). A run against ``AWS_ENDPOINT_URL`` (a rehearsal on the local server)
records that endpoint, and such records are never read as verification on AWS.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .book import Chapter, Scenario

VERIFIED_FILE = Path(__file__).with_name("verified_on_aws.json")
_ABOUT = (
    "Written by `tox -e live` (python -m living_docs.live): per scenario and Examples row, "
    "the last live run on AWS that ran it. Commit the file a live run produced here."
)


@dataclass(frozen=True)
class Verification:
    """One scenario (or Examples row) as the last live run that ran it saw it."""

    scenario: str  # scenario_id(...)
    example: int | None  # the Examples row (0-based), None for a plain scenario
    outcome: str  # passed or failed
    date: str  # YYYY-MM-DD, UTC, of the run
    region: str
    seconds: float
    endpoint: str | None = None  # not AWS: the AWS_ENDPOINT_URL the run went to


def scenario_id(feature_file: str, name: str) -> str:
    return f"{feature_file}: {name}"


def _read(path: Path) -> list[Verification]:
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Verification(**record) for record in data.get("results", [])]


def load_verified(path: Path = VERIFIED_FILE) -> dict[str, list[Verification]]:
    """The records of runs on AWS, by scenario id (a missing file: none)."""
    found: dict[str, list[Verification]] = {}
    for record in _read(path):
        if record.endpoint is None:
            found.setdefault(record.scenario, []).append(record)
    return found


def _scenario_names(features_dir: Path, feature_file: str) -> dict[int, str]:
    from pytest_bdd.feature import get_feature

    path = features_dir / feature_file
    feature = get_feature(str(path.parent), path.name)
    return {template.line_number: template.name for template in feature.scenarios.values()}


def record_run(
    results_dir: Path,
    features_dir: Path,
    *,
    region: str,
    endpoint: str | None,
    previous: Path,
    out: Path,
) -> int:
    """Merge a live run's results (``collect``'s files) into ``previous``, written to
    ``out``; the number of scenario runs recorded. Skipped ones are not recorded."""
    meta_file = results_dir / "meta.json"
    meta: dict[str, Any] = json.loads(meta_file.read_text(encoding="utf-8"))
    date = str(meta["date"])[:10]
    names: dict[str, dict[int, str]] = {}
    fresh: dict[tuple[str, int | None], Verification] = {}
    for path in sorted(results_dir.glob("results-*.json")):
        text = path.read_text(encoding="utf-8").strip()
        for record in json.loads(text) if text else []:
            feature = str(record["feature"])
            if "/" in feature or record["outcome"] not in ("passed", "failed"):
                continue  # a twin (the English one stands for it), or not run here
            if feature not in names:
                names[feature] = _scenario_names(features_dir, feature)
            name = names[feature].get(int(record["line"]))
            if name is None:
                continue
            key = (scenario_id(feature, name), record["example"])
            fresh[key] = Verification(
                key[0],
                key[1],
                record["outcome"],
                date,
                region,
                round(record["seconds"], 1),
                endpoint,
            )
    merged = {(r.scenario, r.example): r for r in _read(previous)} | fresh
    ordered = sorted(merged.values(), key=lambda r: (r.scenario, r.example or 0))
    out.parent.mkdir(parents=True, exist_ok=True)
    document = {"about": _ABOUT, "results": [asdict(record) for record in ordered]}
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(fresh)


def attach(chapters: dict[str, list[Chapter]], verified: dict[str, list[Verification]]) -> None:
    """Give each scenario its records: the English ones by id, each twin its English one's."""
    english: dict[str, list[Scenario]] = {}
    for chapter in chapters.get("en", []):
        english[chapter.file_name] = chapter.scenarios
        for scenario in chapter.scenarios:
            records = verified.get(scenario_id(chapter.file_name, scenario.template.name), [])
            scenario.verified = tuple(records)
    for chapter in chapters.get("ja", []):
        for twin, scenario in zip(
            english.get(chapter.file_name, []), chapter.scenarios, strict=False
        ):
            scenario.verified = twin.verified


_WORDS = {
    "en": {
        "none": "not yet verified on AWS",
        "passed": "verified on AWS on {date} ({region})",
        "some": "verified on AWS on {date} ({region}) for {count} of {rows} examples",
        "failed": "failed on AWS on {date} ({region})",
    },
    "ja": {
        "none": "AWS ではまだ検証されていません",
        "passed": "{date} に AWS ({region}) で検証済み",
        "some": "{date} に AWS ({region}) で {rows} 件中 {count} 件の例を検証済み",
        "failed": "{date} に AWS ({region}) で失敗",
    },
}


def verification_label(records: Sequence[Verification], rows: int, language: str) -> str:
    """What the page says of a scenario with ``rows`` runs (Examples rows, or 1)."""
    words = _WORDS[language]
    failed = [r for r in records if r.outcome == "failed"]
    if failed:
        last = max(failed, key=lambda r: r.date)
        return words["failed"].format(date=last.date, region=last.region)
    passed = [r for r in records if r.outcome == "passed"]
    if not passed:
        return words["none"]
    # The oldest date: every row said to hold was seen to hold on that day or later.
    first = min(passed, key=lambda r: r.date)
    count = len({r.example for r in passed})
    key = "passed" if count >= rows else "some"
    return words[key].format(date=first.date, region=first.region, count=count, rows=rows)


def verification_note(scenario: Scenario, language: str) -> str:
    """The scenario's label as the page shows it (escaped HTML)."""
    import html

    text = verification_label(scenario.verified, len(scenario.results), language)
    outcomes = {record.outcome for record in scenario.verified}
    state = "failed" if "failed" in outcomes else "verified" if outcomes else "unverified"
    return f'<p class="note aws {state}">{html.escape(text)}</p>'

"""The living documentation page, opened in a real browser (headless Chromium).

Collected only with ``--living-docs-page PATH`` (``tox -e docs``, after the page is
built): it checks what a reader sees, not the HTML text. The summary and one
scenario of every chapter are visible; the language switch changes every chapter's
title to its Japanese twin's and back, and the choice survives a reload; nothing is
fetched from anywhere but the page itself. It leaves screenshots of both languages
beside the page.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_bdd.feature import get_feature

FEATURES = Path(__file__).resolve().parents[2] / "features"
# Debian's chromium package (installed by .ci/run); PLAYWRIGHT_CHROMIUM overrides it.
CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# As root on a closed network: no sandbox, and none of Chromium's own background calls.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytest.importorskip("playwright.sync_api", reason="needs the docs extra (playwright)")
from playwright.sync_api import Page, sync_playwright  # noqa: E402


@dataclass
class Opened:
    """The page as a browser shows it, and every URL the browser asked for."""

    page: Page
    requested: list[str]


def _titles(language_folder: Path) -> list[str]:
    return sorted(
        get_feature(str(path.parent), path.name).name for path in language_folder.glob("*.feature")
    )


@pytest.fixture(scope="module")
def page_path(pytestconfig: pytest.Config) -> Path:
    path = Path(pytestconfig.getoption("--living-docs-page")).resolve()
    assert path.is_file(), f"no page at {path}: build it first (python -m living_docs)"
    return path


@pytest.fixture
def opened(page_path: Path) -> Iterator[Opened]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: apt-get install chromium, or set PLAYWRIGHT_CHROMIUM",
            pytrace=False,
        )
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 1600}).new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto(page_path.as_uri())
        yield Opened(page, requested)
        browser.close()


def _visible_chapter_titles(page: Page) -> list[str]:
    return sorted(page.locator("article.chapter:visible > h2").all_inner_texts())


def test_the_summary_and_a_scenario_of_every_chapter_are_visible(opened: Opened) -> None:
    page = opened.page
    assert page.locator("#summary").is_visible()
    assert "scenarios" in page.locator("#summary").inner_text()
    chapters = page.locator("article.chapter:visible")
    assert chapters.count() == len(list(FEATURES.glob("*.feature")))
    for index in range(chapters.count()):
        chapter = chapters.nth(index)
        assert chapter.locator(".scenario").first.is_visible(), chapter.locator("h2").inner_text()


def test_the_language_switch_shows_the_japanese_titles_and_is_remembered(
    opened: Opened, page_path: Path
) -> None:
    page = opened.page
    assert _visible_chapter_titles(page) == _titles(FEATURES)
    page.screenshot(path=str(page_path.parent / "screenshot-en.png"))
    page.click("#language-switch")
    assert _visible_chapter_titles(page) == _titles(FEATURES / "ja")
    page.screenshot(path=str(page_path.parent / "screenshot-ja.png"))
    page.reload()
    assert _visible_chapter_titles(page) == _titles(FEATURES / "ja")
    page.click("#language-switch")
    assert _visible_chapter_titles(page) == _titles(FEATURES)


def test_nothing_is_fetched_but_the_page_itself(opened: Opened, page_path: Path) -> None:
    assert opened.requested == [page_path.as_uri()]

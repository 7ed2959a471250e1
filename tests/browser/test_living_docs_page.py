"""The living documentation page, opened in a real browser (headless Chromium).

Collected only with ``--living-docs-page PATH`` (``tox -e docs``, after the page is
built): it checks what a reader sees, not the HTML text, on a wide screen (1280 px)
and on a phone (390 px), in English and in Japanese. Nothing makes the document
wider than the screen; every code chapter (3c to 7) shows code; step 6 shows the run's
rate and its pictures; the search narrows the scenarios; the language switch changes
the chapters' titles and the ``<title>``, and is remembered; nothing is fetched from
anywhere but the page itself. It leaves screenshots of both widths and languages
beside the page (``screenshot-<language>-<width>.png``).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from living_docs.bdd import load_feature
from living_docs.notebook import load_code

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "features"
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
WIDTHS = (1280, 390)
CODE_STEPS = ("3c", "3d", "3e", "3f", "4", "5", "6", "7")

pytest.importorskip("playwright.sync_api", reason="needs the docs extra (playwright)")
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@dataclass
class Opened:
    """The page as a browser shows it, and every URL the browser asked for."""

    page: Page
    requested: list[str]
    width: int


def _titles(language_folder: Path) -> list[str]:
    return sorted(
        load_feature(str(path.parent), path.name).name for path in language_folder.glob("*.feature")
    )


@pytest.fixture(scope="module")
def page_path(pytestconfig: pytest.Config) -> Path:
    path = Path(pytestconfig.getoption("--living-docs-page")).resolve()
    assert path.is_file(), f"no page at {path}: build it first (python -m living_docs)"
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the module (a launch costs more than all the checks of a page)."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: apt-get install chromium, or set PLAYWRIGHT_CHROMIUM",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def opened(browser: Browser, page_path: Path, request: pytest.FixtureRequest) -> Iterator[Opened]:
    """The page in a fresh context (nothing remembered) at one of the two widths."""
    width = int(request.param)
    requested: list[str] = []
    context = browser.new_context(viewport={"width": width, "height": 1400})
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    page.goto(page_path.as_uri())
    yield Opened(page, requested, width)
    context.close()


def _visible_chapter_titles(page: Page) -> list[str]:
    return sorted(page.locator("article.chapter:visible > h2").all_inner_texts())


def _each_language(opened: Opened) -> Iterator[str]:
    """English, then Japanese (the switch clicked), the page shown in each."""
    yield "en"
    opened.page.click("#language-switch")
    yield "ja"


def _overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_nothing_makes_the_page_wider_than_the_screen(opened: Opened, page_path: Path) -> None:
    page = opened.page
    for language in _each_language(opened):
        page.click("#expand-all")  # every table and log open: none may widen the page
        assert _overflow(page) <= 0, f"{language} at {opened.width} px"
        header = page.locator("header")
        assert header.bounding_box()["height"] <= 60, "the header stays one line"  # type: ignore[index]
        page.click("#collapse-all")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(page_path.parent / f"screenshot-{language}-{opened.width}.png"))


def test_code_and_program_output_scroll_rather_than_wrap(opened: Opened) -> None:
    page = opened.page
    page.click("#expand-all")
    styles = page.evaluate(
        "Array.from(document.querySelectorAll('pre')).map(p => getComputedStyle(p).whiteSpace)"
    )
    assert styles and set(styles) == {"pre"}


def test_every_code_chapter_shows_the_tutorials_cell_and_the_notebooks_code(
    opened: Opened,
) -> None:
    page = opened.page
    code = load_code(ROOT / "notebooks" / "xgboost_bank_marketing.ipynb", None)
    for language in _each_language(opened):
        for step in CODE_STEPS:
            name = next(
                p.name for p in FEATURES.glob(f"{step}_*.feature") if "preprocess" not in p.name
            )
            chapter = page.locator(f"#{language}-{name.removesuffix('.feature')}")
            assert chapter.locator("pre.tutorial").first.is_visible(), (language, step)
            if code.of(step):
                assert chapter.locator("pre.code").first.is_visible(), (language, step)
            else:
                assert chapter.locator(".code-missing").is_visible(), (language, step)


def test_step_6_shows_the_runs_rate_and_its_pictures(opened: Opened) -> None:
    page = opened.page
    for language in _each_language(opened):
        chapter = page.locator(f"#{language}-6_evaluate")
        headline = chapter.locator(".headline")
        assert headline.is_visible(), language
        text = headline.inner_text()
        # The run's own rate, then the published one beside it.
        assert re.search(r"\d\d\.\d%.*89\.5%", text, re.S), text[:200]
        assert headline.locator("svg.chart").count() >= 2
        assert headline.locator("svg.chart").first.is_visible()


def test_the_search_narrows_the_scenarios(opened: Opened) -> None:
    page = opened.page
    for language in _each_language(opened):
        every = page.locator(f"main .l-{language} details.scenario:visible").count()
        page.fill("#search", "Block Public Access")
        narrowed = page.locator(f"main .l-{language} details.scenario:visible").count()
        assert 0 < narrowed < every, (language, narrowed, every)
        page.fill("#search", "")
        assert page.locator(f"main .l-{language} details.scenario:visible").count() == every
        page.check("#filter-path")
        path = page.locator(f"main .l-{language} details.scenario:visible").count()
        assert 0 < path < every
        page.check("#filter-every")


def test_the_contents_stay_in_view_on_a_wide_screen(opened: Opened) -> None:
    page = opened.page
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    box = page.locator("#contents").bounding_box()
    assert box is not None
    if opened.width >= 1000:
        assert 0 <= box["y"] < 200, box
    page.evaluate("window.scrollTo(0, 0)")


def test_the_language_switch_changes_the_titles_and_is_remembered(opened: Opened) -> None:
    page = opened.page
    assert _visible_chapter_titles(page) == _titles(FEATURES)
    assert page.title().startswith("The SageMaker XGBoost tutorial")
    page.click("#language-switch")
    assert _visible_chapter_titles(page) == _titles(FEATURES / "ja")
    assert page.title().startswith("SageMaker XGBoost チュートリアル")
    page.reload()
    assert _visible_chapter_titles(page) == _titles(FEATURES / "ja")
    assert page.title().startswith("SageMaker XGBoost チュートリアル")
    page.click("#language-switch")
    assert _visible_chapter_titles(page) == _titles(FEATURES)


def test_nothing_is_fetched_but_the_page_itself(opened: Opened, page_path: Path) -> None:
    assert opened.requested == [page_path.as_uri()]

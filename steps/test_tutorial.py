"""Binds every English feature file (one per tutorial step) as pytest tests.

The files are named one by one, not as the folder: ``scenarios(".")`` would also bind
their Japanese twins under ``ja/``, which run only when the living documentation is
built (``steps/test_tutorial_ja.py``, ``tox -e docs``).
"""

from pathlib import Path

from pytest_bdd import scenarios

FEATURES = Path(__file__).resolve().parent.parent / "features"

scenarios(*sorted(str(path) for path in FEATURES.glob("*.feature")))

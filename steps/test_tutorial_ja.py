"""Binds the Japanese twins of the features (``features/ja/``) as pytest tests.

They run the same step implementations as the English ones (``steps/bilingual.py``)
and are collected only with ``--japanese`` (``tox -e docs``): the main suite checks
that each twin exists and that each of its steps matches a definition
(``tests/test_japanese_twins.py``) without running every scenario twice.
"""

from pytest_bdd import scenarios

scenarios("ja")

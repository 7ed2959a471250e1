"""The living documentation: the features as one readable page, with this run's results.

``tox -e docs`` runs the English features and their Japanese twins in one pytest
process with ``collect`` as a plugin, which writes what happened to every scenario
(its outcome, the step that failed and why, the figures the steps recorded, what the
reader was shown) as JSON, one file per process; ``python -m living_docs`` then reads
the features themselves and those results and writes ``build/living-docs/index.html``:
one self-contained page, in tutorial order, in English and Japanese.

This package is a tool of the repository, not of the installed ``sagemaker_tutorial``
(it needs pytest and pytest-bdd, which the tutorial itself does not).
"""

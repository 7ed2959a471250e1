"""Step 6's evaluation: the tutorial's block, the figures, and their edge cases."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from sagemaker_tutorial.errors import TutorialError
from sagemaker_tutorial.model.evaluation import evaluate, write_evaluation


def _labels_and_scores(tn: int, fp: int, fn: int, tp: int) -> tuple[np.ndarray, np.ndarray]:
    labels = np.array([0] * (tn + fp) + [1] * (fn + tp))
    scores = np.array([0.1] * tn + [0.9] * fp + [0.2] * fn + [0.8] * tp)
    return labels, scores


def test_the_2019_published_result_prints_as_the_tutorial_printed_its_columns() -> None:
    labels, scores = _labels_and_scores(10785, 151, 1143, 278)
    assert evaluate(labels, scores).tutorial_block() == [
        "Overall Classification Rate: 89.5%",
        "Predicted      No Purchase    Purchase",
        "Observed",
        "No Purchase    90% (10785)    35% (151)",
        "Purchase        10% (1143)     65% (278)",
    ]


def test_a_probability_of_exactly_one_half_counts_as_no_like_np_round() -> None:
    evaluation = evaluate(np.array([0, 1]), np.array([0.5, 0.5]))
    assert (evaluation.tn, evaluation.fn, evaluation.fp, evaluation.tp) == (1, 1, 0, 0)


def test_auc_is_the_share_of_yes_no_pairs_ranked_right_with_ties_counting_half() -> None:
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 2, 200)
    scores = np.round(rng.random(200), 1)  # many ties
    pairs = [
        1.0 if s_yes > s_no else 0.5 if s_yes == s_no else 0.0
        for (s_yes, y_yes), (s_no, y_no) in itertools.product(
            zip(scores, labels, strict=True), repeat=2
        )
        if y_yes == 1 and y_no == 0
    ]
    assert evaluate(labels, scores).auc == pytest.approx(sum(pairs) / len(pairs))


def test_auc_agrees_with_scipys_tie_averaged_ranks_on_a_test_part_of_the_tutorials_size() -> None:
    from scipy.stats import rankdata

    rng = np.random.default_rng(11)
    labels = (rng.random(12357) < 0.11).astype(int)
    scores = np.round(rng.random(12357) * 0.6 + labels * 0.3, 3)  # ties, and some skill
    ranks = rankdata(scores)
    positives = int(labels.sum())
    negatives = len(labels) - positives
    u = ranks[labels == 1].sum() - positives * (positives + 1) / 2
    assert evaluate(labels, scores).auc == pytest.approx(u / (positives * negatives), abs=1e-12)


def test_more_predictions_than_rows_are_refused() -> None:
    with pytest.raises(TutorialError, match=r"^3 predictions for 2 test rows: they must be one"):
        evaluate(np.array([0, 1]), np.array([0.1, 0.2, 0.3]))


def test_labels_other_than_zero_and_one_are_refused() -> None:
    with pytest.raises(TutorialError, match="values other than 0 and 1"):
        evaluate(np.array([0, 2]), np.array([0.1, 0.2]))


def test_precision_and_recall_of_a_model_that_never_says_yes_are_zero_not_an_error(
    tmp_path: Path,
) -> None:
    evaluation = evaluate(np.array([0, 1, 1]), np.array([0.1, 0.2, 0.3]))
    path = tmp_path / "evaluation.json"
    write_evaluation(path, evaluation)
    saved = json.loads(path.read_text())
    assert (saved["precision"], saved["recall"], saved["tp"], saved["fn"]) == (0.0, 0.0, 0, 2)
    assert evaluation.tutorial_block()[4] == "Purchase        67% (2)      0% (0)"

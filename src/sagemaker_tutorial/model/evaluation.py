"""Step 6: judge the model on calls it has never seen, as the tutorial prints it.

The tutorial rounds each probability (``np.round``: 0.5 goes to 0), cross-tabulates
against the test part's ``y_yes`` and prints the overall classification rate and a
2x2 table whose percentages are *column* shares (of all calls predicted "no", how
many were "no"...). The block is reproduced character for character, so a run here
sits beside the published one (89.5%; 10769 167 / 1133 288). Precision, recall and
the AUC are added, and everything goes to ``evaluation.json`` for scripts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..data.atomic import atomic_writer
from ..errors import TutorialError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


@dataclass(frozen=True)
class Evaluation:
    """The confusion matrix at the tutorial's threshold, and the figures drawn from it."""

    tn: int
    fp: int
    fn: int
    tp: int
    auc: float

    @property
    def rows(self) -> int:
        return self.tn + self.fp + self.fn + self.tp

    @property
    def rate(self) -> float:
        """Overall classification rate, in percent."""
        return 100.0 * (self.tp + self.tn) / self.rows

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def tutorial_block(self) -> list[str]:
        """The tutorial's printed block, with its own format strings (column shares).

        The format strings are the tutorial's, verbatim (hence the numbered fields).
        """
        tn, fp, fn, tp = self.tn, self.fp, self.fn, self.tp
        no_share = 100.0 / (tn + fn) if tn + fn else 0.0
        yes_share = 100.0 / (tp + fp) if tp + fp else 0.0
        return [
            "{0:<20}{1:<4.1f}%".format("Overall Classification Rate: ", self.rate),  # noqa: UP030
            "{0:<15}{1:<15}{2:>8}".format("Predicted", "No Purchase", "Purchase"),  # noqa: UP030
            "Observed",
            "{0:<15}{1:<2.0f}% ({2:<}){3:>6.0f}% ({4:<})".format(  # noqa: UP030
                "No Purchase", tn * no_share, tn, fp * yes_share, fp
            ),
            "{0:<16}{1:<1.0f}% ({2:<}){3:>7.0f}% ({4:<})".format(  # noqa: UP030
                "Purchase", fn * no_share, fn, tp * yes_share, tp
            ),
        ]

    def extra_lines(self) -> list[str]:
        return [f"Precision: {self.precision:.3f}  Recall: {self.recall:.3f}  AUC: {self.auc:.3f}"]

    def as_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "rows": self.rows,
            "overall_classification_rate": round(self.rate, 4),
            "precision": round(self.precision, 6),
            "recall": round(self.recall, 6),
            "auc": round(self.auc, 6),
            "threshold": "np.round (0.5 counts as no)",
        }


def evaluate(labels: npt.NDArray[Any], probabilities: npt.NDArray[np.float64]) -> Evaluation:
    """The tutorial's crosstab of observed ``y_yes`` against rounded predictions, plus AUC."""
    import numpy as np

    if len(labels) != len(probabilities):
        raise TutorialError(
            f"{len(probabilities):,} predictions for {len(labels):,} test rows: "
            "they must be one per row (predict again)"
        )
    if len(labels) == 0:
        raise TutorialError("nothing to evaluate: the test part has no rows")
    observed = np.asarray(labels).astype(int)
    if not set(np.unique(observed).tolist()) <= {0, 1}:
        raise TutorialError("the test part's y_yes holds values other than 0 and 1")
    predicted = np.round(probabilities).astype(int)
    return Evaluation(
        tn=int(np.sum((observed == 0) & (predicted == 0))),
        fp=int(np.sum((observed == 0) & (predicted == 1))),
        fn=int(np.sum((observed == 1) & (predicted == 0))),
        tp=int(np.sum((observed == 1) & (predicted == 1))),
        auc=area_under_roc(observed, probabilities),
    )


def area_under_roc(observed: npt.NDArray[Any], scores: npt.NDArray[np.float64]) -> float:
    """The AUC as the Mann-Whitney U statistic: the chance that a random "yes" scores
    above a random "no" (ties count half), from tie-averaged ranks.

    The ranks are scipy.stats.rankdata's (``method="average"``), computed with numpy:
    importing scipy.stats for them cost a second and 50 MB (tests/test_evaluation.py
    compares the two).
    """
    import numpy as np

    positives = int(observed.sum())
    negatives = len(observed) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    _, tied, counts = np.unique(scores, return_inverse=True, return_counts=True)
    last = np.cumsum(counts)  # the 1-based rank of each distinct score's last copy
    ranks = (last - (counts - 1) / 2.0)[tied.reshape(-1)]
    u = float(ranks[observed == 1].sum()) - positives * (positives + 1) / 2
    return u / (positives * negatives)


def write_evaluation(path: Path, evaluation: Evaluation) -> None:
    with atomic_writer(path) as handle:
        handle.write((json.dumps(evaluation.as_json(), indent=2) + "\n").encode("utf-8"))

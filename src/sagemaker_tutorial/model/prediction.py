"""Step 5b: ask the endpoint for a prediction for every call in the test part.

The tutorial's cell::

    xgb_predictor.serializer = csv_serializer      # removed in SDK v2
    predictions = xgb_predictor.predict(test_data_array).decode('utf-8')
    predictions_array = np.fromstring(predictions[1:], sep=',')

sends all 12,357 rows in one request (InvokeEndpoint takes at most 6 MB: a larger
test set fails), slices off the reply's first character (a bug that silently drops
or mangles the first prediction, depending on the container's reply format) and
parses with the deprecated ``np.fromstring``. Here the rows go in batches well under
the limit, written as the SDK's CSVSerializer writes them (the stdlib's ``csv``: each
value's ``str``, commas between values, one row per line) and sent with boto3's
InvokeEndpoint; the reply is read as numbers separated by commas or new lines
(containers differ), and a reply that is not one number per row is an error, never a
shorter array.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import settings
from ..data.atomic import atomic_writer
from ..errors import TutorialError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from ..aws.backends import Backend

_SEPARATORS = re.compile(r"[,\n]")


@dataclass(frozen=True)
class PredictionOutcome:
    path: Path
    rows: int
    requests: int

    def report(self) -> str:
        return (
            f"Predicted {self.rows:,} rows in {self.requests} "
            f"request{'s' if self.requests != 1 else ''}; saved to {self.path.name}"
        )


def csv_batches(features: npt.NDArray[Any], limit: int = settings.INVOKE_BATCH_BYTES) -> list[str]:
    """The rows as text/csv request bodies, each of whole rows and at most ``limit`` bytes."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(features)
    lines = text.getvalue().splitlines()
    batches: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        cost = len(line.encode("utf-8")) + 1
        if cost > limit:
            raise TutorialError(f"one row alone is {cost:,} bytes, over the {limit:,}-byte limit")
        if current and size + cost > limit:
            batches.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += cost
    if current:
        batches.append("\n".join(current))
    return batches


def parse_predictions(
    reply: str, rows: int, what: str = "the endpoint's reply"
) -> npt.NDArray[np.float64]:
    """One probability per row from ``what`` (the reply), or an error that shows it."""
    import numpy as np

    fields = [field.strip() for field in _SEPARATORS.split(reply.strip())]
    fields = [field for field in fields if field]
    values: list[float] = []
    for field in fields:
        try:
            values.append(float(field))
        except ValueError:
            shown = reply.strip()[:60] + ("..." if len(reply.strip()) > 60 else "")
            raise TutorialError(f"{what} is not numbers: '{field[:30]}' in {shown!r}") from None
    if len(values) != rows:
        raise TutorialError(
            f"{what} has {len(values):,} numbers for {rows:,} rows: expected one prediction per row"
        )
    return np.asarray(values, dtype=np.float64)


def predict(
    backend: Backend, endpoint_name: str, features: npt.NDArray[Any]
) -> tuple[npt.NDArray[np.float64], int]:
    """Predictions for ``features`` (rows without the label) and how many requests it took."""
    import numpy as np

    runtime = backend.client("sagemaker-runtime")
    batches = csv_batches(features)
    answers = []
    for batch in batches:
        output = runtime.invoke_endpoint(
            EndpointName=endpoint_name, Body=batch, ContentType="text/csv", Accept="text/csv"
        )
        text = output["Body"].read().decode("utf-8")
        answers.append(parse_predictions(text, batch.count("\n") + 1))
    return np.concatenate(answers) if answers else np.empty(0), len(batches)


def write_predictions(path: Path, predictions: npt.NDArray[np.float64]) -> None:
    """One probability per line, exactly as parsed (``repr`` keeps every digit)."""
    with atomic_writer(path) as handle:
        handle.write("".join(f"{value!r}\n" for value in predictions.tolist()).encode())


def read_predictions(path: Path) -> npt.NDArray[np.float64]:
    import numpy as np

    if not path.is_file():
        raise TutorialError(f"no {path.name} at {path}: run `sagemaker-tutorial predict` first")
    text = path.read_text(encoding="utf-8")
    lines = text.split()
    return parse_predictions(text, len(lines), path.name) if lines else np.empty(0)

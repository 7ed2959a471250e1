"""Inline SVG pictures of a run: the confusion matrix, the ROC curve, the training curve.

Drawn by hand as a few rectangles and one polyline each, so the page stays one
self-contained file with no plotting library in the docs env; each picture scales
with its box (a ``viewBox``, no fixed width) and names itself for screen readers.
Labels come in the page's two languages; values are this run's.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

Labels = dict[str, str]

LABELS: dict[str, Labels] = {
    "en": {
        "matrix": "Confusion matrix of this run",
        "observed": "observed",
        "predicted": "predicted",
        "no": "no",
        "yes": "yes",
        "roc": "ROC curve of this run",
        "fpr": "false positive rate",
        "tpr": "true positive rate",
        "chance": "chance",
        "training": "Training curve",
        "round": "round",
    },
    "ja": {
        "matrix": "今回の実行の混同行列",
        "observed": "実際",
        "predicted": "予測",
        "no": "no",
        "yes": "yes",
        "roc": "今回の実行の ROC 曲線",
        "fpr": "偽陽性率",
        "tpr": "真陽性率",
        "chance": "偶然",
        "training": "トレーニング曲線",
        "round": "ラウンド",
    },
}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(width: int, height: int, label: str, body: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{_e(label)}</title>{body}</svg>"
    )


def confusion_matrix(tn: int, fp: int, fn: int, tp: int, language: str) -> str:
    """Four cells, shaded by their share of their observed row, with their counts."""
    words = LABELS[language]
    cells = [[tn, fp], [fn, tp]]
    body = [
        f'<text x="190" y="22" text-anchor="middle" class="axis">{_e(words["predicted"])}</text>',
        f'<text x="18" y="150" text-anchor="middle" class="axis" transform="rotate(-90 18 150)">'
        f"{_e(words['observed'])}</text>",
    ]
    for column, name in enumerate((words["no"], words["yes"])):
        x = 130 + column * 120
        body.append(f'<text x="{x}" y="48" text-anchor="middle">{_e(name)}</text>')
        y = 100 + column * 100
        body.append(f'<text x="52" y="{y + 5}" text-anchor="middle">{_e(name)}</text>')
    for row in range(2):
        total = sum(cells[row]) or 1
        for column in range(2):
            value = cells[row][column]
            share = value / total
            right = row == column
            colour = "26,127,55" if right else "207,34,46"
            x, y = 70 + column * 120, 56 + row * 100
            ink = ' fill="#ffffff"' if share > 0.5 else ""
            body.append(
                f'<rect x="{x}" y="{y}" width="116" height="96" rx="6" '
                f'fill="rgba({colour},{0.12 + 0.78 * share:.2f})" stroke="#d9dee8"/>'
                f'<text x="{x + 58}" y="{y + 46}" text-anchor="middle" class="count"{ink}>'
                f"{value}</text>"
                f'<text x="{x + 58}" y="{y + 70}" text-anchor="middle"{ink}>'
                f"{100 * share:.1f}%</text>"
            )
    return _svg(320, 262, words["matrix"], "".join(body))


def _plot(
    points: Sequence[tuple[float, float]],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
) -> str:
    """The points as a polyline in the 40..300 x 20..260 plot box."""
    (x0, x1), (y0, y1) = x_range, y_range
    width, height = (x1 - x0) or 1.0, (y1 - y0) or 1.0
    return " ".join(
        f"{40 + 260 * (x - x0) / width:.1f},{260 - 240 * (y - y0) / height:.1f}" for x, y in points
    )


def _frame(x_label: str, y_label: str, ticks: str) -> str:
    return (
        '<rect x="40" y="20" width="260" height="240" fill="none" stroke="#d9dee8"/>'
        f'<text x="170" y="296" text-anchor="middle" class="axis">{_e(x_label)}</text>'
        f'<text x="12" y="140" text-anchor="middle" class="axis" transform="rotate(-90 12 140)">'
        f"{_e(y_label)}</text>{ticks}"
    )


def roc_curve(points: Sequence[Sequence[float]], auc: float, language: str) -> str:
    """The curve from (0, 0) to (1, 1), the diagonal of chance, and the AUC."""
    words = LABELS[language]
    pairs = [(float(x), float(y)) for x, y in points]
    ticks = (
        '<text x="40" y="276" text-anchor="middle">0</text>'
        '<text x="300" y="276" text-anchor="middle">1</text>'
        '<text x="32" y="264" text-anchor="end">0</text>'
        '<text x="32" y="24" text-anchor="end">1</text>'
    )
    body = (
        _frame(words["fpr"], words["tpr"], ticks)
        + '<line x1="40" y1="260" x2="300" y2="20" stroke="#9aa3b2" stroke-dasharray="4 4"/>'
        + f'<polyline fill="none" stroke="#0b5cad" stroke-width="2.5" '
        f'points="{_plot(pairs, (0.0, 1.0), (0.0, 1.0))}"/>'
        + f'<text x="290" y="240" text-anchor="end" class="count">AUC {auc:.3f}</text>'
    )
    return _svg(320, 306, f"{words['roc']} (AUC {auc:.3f})", body)


def training_curve(rounds: Sequence[dict[str, float]], language: str) -> str:
    """One line per metric the job logged every round (train:logloss, validation:auc…)."""
    words = LABELS[language]
    metrics = sorted({name for entry in rounds for name in entry if name != "round"})
    values = [entry[name] for entry in rounds for name in metrics if name in entry]
    numbers = [entry["round"] for entry in rounds]
    if not metrics or not values:
        return ""
    y_range = (min(values), max(values))
    x_range = (min(numbers), max(numbers))
    colours = ("#0b5cad", "#cf222e", "#1a7f37", "#9a6700")
    lines = []
    for index, name in enumerate(metrics):
        points = [(entry["round"], entry[name]) for entry in rounds if name in entry]
        colour = colours[index % len(colours)]
        lines.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{_plot(points, x_range, y_range)}"/>'
            f'<text x="296" y="{36 + 16 * index}" text-anchor="end" fill="{colour}">'
            f"{_e(name)}</text>"
        )
    ticks = (
        f'<text x="40" y="276" text-anchor="middle">{x_range[0]:.0f}</text>'
        f'<text x="300" y="276" text-anchor="middle">{x_range[1]:.0f}</text>'
        f'<text x="36" y="264" text-anchor="end">{y_range[0]:.3g}</text>'
        f'<text x="36" y="24" text-anchor="end">{y_range[1]:.3g}</text>'
    )
    body = _frame(words["round"], ", ".join(metrics), ticks) + "".join(lines)
    return _svg(320, 306, words["training"], body)

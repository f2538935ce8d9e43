"""How sure a suggested correction is: its share of the group's plausibility calibrated into
the chance it is right (``checks/suggest.py`` ranks and reports with it).

The share assumes the likelihoods in ``checks/slips.py`` are exact; they are not: "the total
should be the sum of its parts" wins by a wide share where a part printed non-zero is as likely
the slip, and the only correction found is right more often than its share says. A logistic fit
over a few features of the candidate and its group, then a monotone map of its output onto how
often such suggestions were right, both measured on generated reports with one injected error
each (``benchmarks/bench_suggest.py --fit`` refits them on seeds apart from those it reports, and
prints the reliability table by bucket). Capped below 1: a suggestion is a guess.
"""

from __future__ import annotations

import math

# The calibration (a logistic fit, see calibrate()): intercept, then the weights of the
# share's log-odds, "the total as the sum of its parts", "the only correction found", the rank
# in its group, "an alternative to the sum of the parts", "one of three", and the log of its
# share over the best's.
CALIBRATION = (0.513, 1.568, -6.128, 2.313, -0.247, 8.222, 0.695, 1.096)
# The logistic's output against how often such suggestions were right (monotone, interpolated).
# fmt: off
KNOTS: tuple[tuple[float, float], ...] = (
    (0.01, 0.006),
    (0.07, 0.05),
    (0.108, 0.072),
    (0.138, 0.105),
    (0.174, 0.147),
    (0.217, 0.249),
    (0.277, 0.306),
    (0.368, 0.37),
    (0.459, 0.545),
    (0.579, 0.563),
    (0.703, 0.652),
    (0.803, 0.819),
    (0.908, 0.913),
    (0.988, 1.0),
    (0.998, 1.0),
    (0.999, 1.0),
    (0.999, 1.0),
    (1.0, 1.0),
    (1.0, 1.0),
    (1.0, 1.0),
)
# fmt: on
CEILING = 0.98  # a suggestion is a guess: never shown as certain
SLIPS = frozenset(("digit", "ocr", "swap", "drop", "double", "decimal"))  # a printed number's own slip
SURE = 0.95  # a group's best below this is shown with its alternatives


def confidence_text(confidence: float, lang: str) -> str:
    """'可信度 62%' / 'confidence 62%' (rounded down: a guess never reads 100 %)."""
    pct = min(99, int(confidence * 100))
    return f"可信度 {pct}%" if lang == "zh" else f"confidence {pct}%"


def calibrate(score: float, kind: str, listed: int, rank: int, best: tuple[str, float]) -> float:
    """The chance a suggestion is right: ``score`` its share of the group's plausibility,
    ``kind`` its changes' kinds, ``listed`` how many its group lists (at most three), ``rank``
    its place there by plausibility, ``best`` the kind and share of the group's most plausible."""
    w0, w_share, w_sum, w_only, w_rank, w_alt, w_three, w_ratio = CALIBRATION
    p = min(max(score, 1e-4), 1 - 1e-4)
    is_sum = "sum" in kind.split("+")
    best_kind, best_score = best
    z = (
        w0
        + w_share * math.log(p / (1 - p))
        + w_sum * is_sum
        + w_only * (listed == 1)
        + w_rank * rank
        + w_alt * (rank > 0 and "sum" in best_kind.split("+") and kind in SLIPS)
        + w_three * (listed == 3)
        + w_ratio * math.log(max(score, 1e-4) / max(best_score, 1e-4))
    )
    return round(min(CEILING, _through_knots(1 / (1 + math.exp(-z)))), 4)


def _through_knots(p: float) -> float:
    if not KNOTS:
        return p
    if p <= KNOTS[0][0]:
        return KNOTS[0][1] * p / KNOTS[0][0] if KNOTS[0][0] else KNOTS[0][1]
    for (x0, y0), (x1, y1) in zip(KNOTS, KNOTS[1:], strict=False):
        if p <= x1:
            return y0 + (y1 - y0) * (p - x0) / (x1 - x0) if x1 > x0 else y1
    return KNOTS[-1][1]

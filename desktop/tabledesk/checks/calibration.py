"""How sure a suggested correction is: its share of the group's plausibility calibrated into
the chance it is right (``checks/suggest.py`` ranks and reports with it).

The share assumes the likelihoods in ``checks/slips.py`` are exact; they are not: "the total
should be the sum of its parts" wins by a wide share where a part printed non-zero is as likely
the slip, and the only correction found is right more often than its share says. A logistic fit
over a few features of the candidate and its group (features()), then a monotone map of its
output onto how often such suggestions were right, both measured on generated reports with one
injected error each, in the mix real reports show (``benchmarks/bench_suggest.py``: totals
printed 0 or mistyped far more often than parts; ``--fit`` refits on seeds apart from those it
reports, and prints the reliability table by bucket). So a total printed 0 beside a lone part
("复议后起诉 5 / 总计 0") is first filled in, the part listed after it. Capped below 1: a
suggestion is a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The calibration (a logistic fit over features(), see there for what each weight is).
CALIBRATION = (-0.889, 2.09, -1.252, 0.952, -0.295, 3.006, 1.484, 0.575, -1.195, 3.006, 2.641)
# The logistic's output against how often such suggestions were right (monotone, interpolated).
# fmt: off
KNOTS: tuple[tuple[float, float], ...] = (
    (0.012, 0.012),
    (0.032, 0.03),
    (0.043, 0.032),
    (0.057, 0.047),
    (0.098, 0.134),
    (0.249, 0.297),
    (0.419, 0.359),
    (0.571, 0.562),
    (0.711, 0.631),
    (0.828, 0.861),
    (0.92, 0.963),
    (0.992, 1.0),
    (1.0, 1.0),
    (1.0, 1.0),
    (1.0, 1.0),
    (1.0, 1.0),
    (1.0, 1.0),
    (1.0, 1.0),
    (1.0, 1.0),
    (1.0, 1.0),
)
# fmt: on
CEILING = 0.98  # a suggestion is a guess: never shown as certain
SLIPS = frozenset(("digit", "ocr", "swap", "drop", "double", "decimal"))  # a printed number's own slip
SURE = 0.95  # a group's best below this is shown with its alternatives


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the calibration knows of one suggested correction."""

    score: float  # its share of the group's plausibility
    kind: str  # its changes' kinds, joined with "+"
    # a total printed 0 (or blank) set to the sum of its parts: agencies leave totals unfilled
    # far more often than they mistype a part, and a clerk recognises the fix at once
    fill: bool = False
    # a slip in a total (a definer): totals are typed last, often by hand, and mistyped more
    # often than the parts they are summed from
    total: bool = False


def features(c: Candidate, listed: int, rank: int, best: Candidate) -> tuple[float, ...]:
    """The calibration's inputs, in CALIBRATION's order: 1, the share's log-odds, "the total as
    the sum of its parts", "the only correction found", the rank in its group by plausibility,
    "a slip listed beside the sum of the parts", "one of three", the log of its share over the
    best's, "fills a total printed 0", "a slip listed beside such a fill", "a slip in a
    total"."""
    p = min(max(c.score, 1e-4), 1 - 1e-4)
    is_sum = "sum" in c.kind.split("+")
    slip_beside = rank > 0 and c.kind in SLIPS
    return (
        1.0,
        math.log(p / (1 - p)),
        float(is_sum),
        float(listed == 1),
        float(rank),
        float(slip_beside and "sum" in best.kind.split("+")),
        float(listed == 3),
        math.log(max(c.score, 1e-4) / max(best.score, 1e-4)),
        float(c.fill),
        float(slip_beside and best.fill),
        float(c.total and c.kind in SLIPS),
    )


def confidence_text(confidence: float, lang: str) -> str:
    """'可信度 62%' / 'confidence 62%' (rounded down: a guess never reads 100 %)."""
    pct = min(99, int(confidence * 100))
    return f"可信度 {pct}%" if lang == "zh" else f"confidence {pct}%"


def calibrate(c: Candidate, listed: int, rank: int, best: Candidate) -> float:
    """The chance a suggestion is right: ``c`` the candidate, ``listed`` how many its group
    lists (at most three), ``rank`` its place there by plausibility, ``best`` the group's most
    plausible candidate."""
    z = sum(w * x for w, x in zip(CALIBRATION, features(c, listed, rank, best), strict=True))
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

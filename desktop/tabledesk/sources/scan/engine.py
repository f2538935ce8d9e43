"""The OCR engine: RapidOCR's PP-OCRv4 Chinese models on onnxruntime, fully offline.

The models ship inside the ``rapidocr-onnxruntime`` wheel, so nothing is downloaded, ever; and
onnxruntime's telemetry is switched off before it is first imported. The engine is an optional
extra (``pip install tabledesk[ocr]``, see the README): importing this module costs nothing,
and :func:`engine` raises a :class:`~tabledesk.core.source.SourceError` with the install hint
when the extra is missing.

Only the recognition model runs (:meth:`OcrEngine.recognize`), on text-line images the scan
readers cut themselves from the page (:mod:`tabledesk.sources.scan.extract`): the detection model
gives a lone digit no box, and the angle classifier turns 6 into 9.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tabledesk.core.source import SourceError, SourceProblem

if TYPE_CHECKING:
    import numpy as np

INSTALL_HINT = (
    "OCR is not installed: pip install 'tabledesk[ocr]' and then "
    "pip install --no-deps rapidocr-onnxruntime (see the README)"
)
REC_BATCH = 32  # text-line images per recognition run: cells are short, batching pays
REC_H = 48  # the recognition model's input height
REC_MIN_W = 64  # narrower inputs leave CTC too few steps for "100"
TIDIED_CONF = 0.5  # confidence of a number read with a stray mark dropped: uncertain


@dataclass(frozen=True, slots=True)
class Reading:
    """What the recogniser read on one text-line image: the text, its confidence (the least
    sure character's) and each character's, so the clerk can be shown the very digit in doubt."""

    text: str
    confidence: float
    chars: tuple[float, ...] = ()
    # a number read without a sign: the weight the model gave a minus before its first digit
    minus: float = 0.0


class OcrEngine:
    """A loaded RapidOCR instance (about half a second to load; reuse it)."""

    def __init__(self, rapid: Any) -> None:

        self._rapid = rapid
        self._rec = rapid.text_rec
        import numpy as np

        self._chars: list[str] = list(self._rec.postprocess_op.character)
        # CTC blank (0) and the characters a number is printed with
        self._digit_ids = np.array(
            [0, *(i for i, ch in enumerate(self._chars) if ch in NUMBER_CHARS and i != 0)], dtype=np.int64
        )
        # the letters and signs drawn like a digit: in a cell read as a number, what the model
        # gives them is said for that digit (a bold 0 is also a fair "O")
        index = {ch: i for i, ch in enumerate(self._chars)}
        self._twins: dict[int, np.ndarray] = {
            index[d]: np.array([index[ch] for ch in twins if ch in index], dtype=np.int64)
            for d, twins in DIGIT_TWINS.items()
            if d in index
        }
        self._minus = index.get("-", 0)
        self._lock = threading.Lock()  # onnxruntime sessions are safe, RapidOCR's state is not

    def recognize(self, images: list[np.ndarray], *, cells: bool = True) -> list[tuple[str, float]]:
        """Text and confidence of each image: :meth:`recognize_detail` without the characters'."""
        return [(r.text, r.confidence) for r in self.recognize_detail(images, cells=cells)]

    def recognize_detail(self, images: list[np.ndarray], *, cells: bool = True) -> list[Reading]:
        """Text and confidence (0..1, the least sure character's) of each single-line BGR
        image, in order. With ``cells``, a line that reads as a number (no CJK, mostly digits
        or look-alikes: "'o" for "0") is read again from the same output with only digits and
        number punctuation allowed; its confidence is then what the model gave those digits,
        so a forced reading is low and shows up as uncertain.

        RapidOCR pads every image of a batch to at least 320 pixels wide (its training width);
        a cell holding "3" is then mostly padding. Here each batch is only as wide as its widest
        image, and images are batched by width, which makes cell-wise reading several times
        faster for the same result."""
        import cv2
        import numpy as np

        if not images:
            return []
        widths = [max(REC_MIN_W, math.ceil(REC_H * im.shape[1] / max(im.shape[0], 1))) for im in images]
        order = sorted(range(len(images)), key=lambda i: widths[i])
        out: list[Reading] = [Reading("", 0.0)] * len(images)
        start = 0
        while start < len(order):
            end = start + 1
            # a batch costs its widest image times its size: stop where padding would dominate
            while (
                end < len(order)
                and end - start < REC_BATCH
                and widths[order[end]] <= 1.3 * widths[order[start]] + 16
            ):
                end += 1
            idx = order[start:end]
            wmax = max(widths[i] for i in idx)
            batch = np.zeros((len(idx), 3, REC_H, wmax), dtype=np.float32)
            for k, i in enumerate(idx):
                im = cv2.resize(images[i], (widths[i], REC_H), interpolation=cv2.INTER_LINEAR)
                batch[k, :, :, : widths[i]] = im.astype(np.float32).transpose(2, 0, 1) / 127.5 - 1.0
            with self._lock:
                preds = self._rec.session(batch)[0]
            for k, i in enumerate(idx):
                out[i] = self._decode(preds[k], cells)
            start = end
        return out

    def _decode(self, probs: np.ndarray, cells: bool) -> Reading:
        pairs = _ctc_chars(probs, self._chars, None)
        if cells and numeric_like("".join(ch for ch, _p in pairs)):
            pairs = _ctc_chars(probs, self._chars, self._digit_ids, self._twins)
            tidy = _tidy_pairs(pairs)
            minus = 0.0 if tidy and tidy[0][0] == "-" else self._minus_before_digits(probs)
            if tidy is not None and len(tidy) != len(pairs):
                # a mark no number has there (dust beside a digit read as "-" or "."): dropped,
                # but the cell wants a look
                whole = min((p for _ch, p in tidy), default=0.0)
                return Reading(
                    "".join(ch for ch, _p in tidy),
                    min(whole, TIDIED_CONF),
                    tuple(p for _ch, p in tidy),
                    minus,
                )
            return Reading(
                "".join(ch for ch, _p in pairs),
                min((p for _ch, p in pairs), default=0.0),
                tuple(p for _ch, p in pairs),
                minus,
            )
        return Reading(
            "".join(ch for ch, _p in pairs),
            min((p for _ch, p in pairs), default=0.0),
            tuple(p for _ch, p in pairs),
        )

    def _minus_before_digits(self, probs: np.ndarray) -> float:
        """The most the model gave a minus at any step before the first digit it read: a
        thin or faint minus it did not choose still weighs there."""
        if not self._minus:
            return 0.0
        best = probs[:, self._digit_ids].argmax(axis=1)
        digit_steps = [
            t for t, k in enumerate(best.tolist()) if k and self._chars[self._digit_ids[k]].isdigit()
        ]
        first = digit_steps[0] if digit_steps else 0
        return float(probs[:first, self._minus].max()) if first else 0.0


NUMBER_CHARS = frozenset("0123456789,.-%")
# shapes that are the same glyph as a digit in print (not merely similar, as 5 and S are)
DIGIT_TWINS = {"0": "Oo○〇", "1": "lI|"}
_LOOKALIKE = frozenset("oOlIi|'`\"·,.-_:;DQ○〇")  # ○ 〇: a round zero, "CJK" only by code point


def numeric_like(text: str) -> bool:
    """Text that is a number as far as OCR goes: no CJK, digits or their look-alikes."""
    t = text.replace(" ", "")
    if not t or len(t) > 16 or any(ord(ch) >= 0x2E80 and ch not in _LOOKALIKE for ch in t):
        return False
    digits = sum(1 for ch in t if ch.isdigit())
    return digits * 2 >= len(t) or all(ch.isdigit() or ch in _LOOKALIKE for ch in t)


def tidy_number(text: str) -> str:
    """``text`` (digits and number punctuation) without the marks that cannot stand where they
    are in a number: a sign after the first character, punctuation at either end (a trailing
    "%" stays)."""
    tidy = _tidy_pairs([(ch, 1.0) for ch in text])
    return text if tidy is None else "".join(ch for ch, _p in tidy)


def _tidy_pairs(pairs: list[tuple[str, float]]) -> list[tuple[str, float]] | None:
    """:func:`tidy_number` over (character, confidence) pairs; None: nothing a number."""
    t = [x for x in pairs if x[0] != " "]
    if not t:
        return None
    sign, body = (t[:1], t[1:]) if t[0][0] == "-" else ([], t)
    body = [x for x in body if x[0] != "-"]
    while body and body[0][0] in ",.":
        body.pop(0)
    while body and body[-1][0] in ",.":
        body.pop()
    if not body or not any(ch.isdigit() for ch, _p in body):
        return None
    return sign + body


def _ctc(
    probs: np.ndarray,
    chars: list[str],
    allowed: np.ndarray | None,
    twins: dict[int, np.ndarray] | None = None,
) -> tuple[str, float]:
    """Greedy CTC decoding of one line (T steps x classes), optionally over ``allowed``
    classes only; confidence is the lowest probability of a chosen character (with ``twins``,
    together with its look-alikes')."""
    pairs = _ctc_chars(probs, chars, allowed, twins)
    return "".join(ch for ch, _p in pairs), min((p for _ch, p in pairs), default=0.0)


def _ctc_chars(
    probs: np.ndarray,
    chars: list[str],
    allowed: np.ndarray | None,
    twins: dict[int, np.ndarray] | None = None,
) -> list[tuple[str, float]]:
    """:func:`_ctc` character by character: (character, probability) pairs."""
    sub = probs if allowed is None else probs[:, allowed]
    best = sub.argmax(axis=1)
    ids = best if allowed is None else allowed[best]
    out: list[tuple[str, float]] = []
    prev = -1
    for t, i in enumerate(ids.tolist()):
        if i != prev and i != 0:
            p = float(probs[t, i])
            if twins and i in twins:
                p = min(1.0, p + float(probs[t, twins[i]].sum()))
            out.append((chars[i], p))
        prev = i
    return out


_engine: OcrEngine | None = None
_engine_lock = threading.Lock()


def available() -> bool:
    """Whether the OCR extra is installed (without loading it)."""
    from importlib.util import find_spec

    return all(find_spec(m) is not None for m in ("rapidocr_onnxruntime", "onnxruntime", "cv2"))


def engine(path: str = "") -> OcrEngine:
    """The process's shared engine, loaded on first use. ``path`` names the document in the
    error raised when OCR is not installed."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = OcrEngine(_load(path))
        return _engine


def _load(path: str) -> Any:
    # Before onnxruntime is imported: it must never phone home (it reads this at import).
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    try:
        import onnxruntime

        onnxruntime.disable_telemetry_events()
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise SourceError(path or "OCR", INSTALL_HINT, SourceProblem.NO_TEXT_LAYER) from None
    try:
        return RapidOCR(text_score=0.0, use_cls=False, print_verbose=False)
    except Exception as e:  # noqa: BLE001 - e.g. a frozen build missing the model files
        raise SourceError(
            path or "OCR", f"the OCR engine could not be loaded: {e}", SourceProblem.NO_TEXT_LAYER
        ) from None

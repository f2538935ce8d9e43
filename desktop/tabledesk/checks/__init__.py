"""Checking, the third stage: a pure function of a document's values. Rules compiled onto a
document (``compile``), the interval engine (``engine``, ``interval``), generic checks for
tables no template knows, narrative and cross-year checks, suggested corrections (``suggest``,
``localise``, ``slips``) with how sure they are (``calibration``), and the sentences that report
them (``messages``). May import ``core`` and ``templates``."""

"""Suggested corrections: the one or two cells whose change makes a table's failing rules pass.

When a table fails, usually one number was misread or mistyped. This is Fellegi–Holt error
localisation over the linear rules: the failing instances of a table split into connected
groups (instances sharing cells, directly or through other failing instances; groups nothing
explains alone are tried together when passing rules connect them); for each group we look
for the smallest sets of cells — one, then two — and values that make every rule touching
them pass. A single cell's value is solved exactly from each failing instance containing it
(an interval where missing cells leave a range: then the nearest value), and the solutions
must agree; two cells come from a 2×2 linear system over every instance touching them, or,
where that leaves a free parameter, the values the printed ones could be a slip of. Each
candidate is then re-checked with the
:class:`Checker`'s own evaluation on a copy of the values, so "passes" means what the checks
panel means.

Candidates are ranked by how plausibly the number on the page is a slip of the suggested one
(one digit changed, adjacent digits swapped, a digit dropped or doubled, look-alike digits for
OCR), by totals that should simply be the sum of their parts, and by how uncertain the cell's
extraction was (those likelihoods are ``checks/slips.py``; the search is ``checks/localise.py``).
Each candidate then gets a confidence that means what it says — how often a suggestion shown
with it is right, measured on generated reports (``checks/calibration.py``) — and a group's
single-cell candidates are listed most likely first by it; where no one is sure, the window and
the exports list them all.
A group that no one- or two-cell change explains is reported as :class:`Unexplained` instead of
guessed at. Nothing here changes the document: a suggestion
becomes an ordinary :class:`Edit` only when the clerk accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tabledesk.checks.calibration import SURE, Candidate, calibrate, confidence_text
from tabledesk.checks.compile import CellKey, RuleInstance
from tabledesk.checks.engine import Checker, CheckResult, CheckStatus
from tabledesk.checks.localise import Group, Trial, Uid, components
from tabledesk.checks.narrative import is_narrative
from tabledesk.checks.slips import KIND_LABELS, Change
from tabledesk.core.document import Document, Table
from tabledesk.core.edits import CellChange, Edit, EditReason
from tabledesk.core.values import format_number

NONE = 0.002  # "none of these": keeps a lone implausible candidate's score modest
TOP = 3  # candidates kept per group


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One correction for one group of failing rules of a table, with its plausibility."""

    group: int  # the group's number within its table
    table_id: str
    changes: tuple[Change, ...]
    kind: str  # the changes' kinds, joined with "+" when they differ
    score: float  # 0–1: the candidate's share of the group's plausibility
    rules: tuple[Uid, ...]  # the failing instances it makes pass
    rank: int = 0  # 0 for the group's best, then its alternatives
    # How often a suggestion shown with this confidence is right (calibrated: see calibrate()).
    confidence: float = 0.0

    def cells(self) -> list[CellKey]:
        return [c.key for c in self.changes]

    def edit(self, note: str = "") -> Edit:
        """The correction as an ordinary edit, reason "suggested correction"."""
        changes = tuple(CellChange(*c.key, c.old, c.new) for c in self.changes)
        return Edit(changes, reason=EditReason.SUGGESTED, note=note)

    def message(self, document: Document, lang: str) -> str:
        """'行政复议/总计 0 → 11？（各项之和）' or 'Review/Total 0 → 11? (sum of the parts)'."""
        zh = lang == "zh"
        parts = [
            f"{cell_label(document, c.key, lang, self.table_id)} {format_number(c.old) or '—'} → "
            f"{format_number(c.new)}"
            for c in self.changes
        ]
        reasons = list(dict.fromkeys(KIND_LABELS[c.kind][0 if zh else 1] for c in self.changes))
        if zh:
            return "，".join(parts) + f"？（{'，'.join(reasons)}）"
        return "; ".join(parts) + f"? ({', '.join(reasons)})"

    def described(self, document: Document, lang: str) -> str:
        """The message with how sure it is: '… 0 → 11？（各项之和）（可信度 62%）'."""
        sure = confidence_text(self.confidence, lang)
        return (
            f"{self.message(document, lang)}（{sure}）"
            if lang == "zh"
            else f"{self.message(document, lang)} ({sure})"
        )


@dataclass(frozen=True, slots=True)
class Unexplained:
    """A group of failing rules that no change of one or two cells makes pass: several
    independent errors, missing numbers, or a source that is itself inconsistent."""

    group: int
    table_id: str
    cells: tuple[CellKey, ...]
    rules: tuple[Uid, ...]

    def message(self, lang: str) -> str:
        if lang == "zh":
            return "没有一两处更正能使这些校验通过：可能有多处错误，或原文本身不一致"
        return (
            "No change of one or two numbers makes these checks pass:"
            " several may be wrong, or the source itself is inconsistent"
        )


@dataclass(frozen=True, slots=True)
class FillIn:
    """A total left unfilled (printed blank while its parts are not): the value its parts give.
    Nothing printed is wrong, so it is a fill-in, not a correction, and carries no confidence:
    it is exactly the parts' sum."""

    table_id: str
    key: CellKey
    value: Decimal
    rules: tuple[Uid, ...]  # the unfilled checks it completes

    def edit(self, note: str = "") -> Edit:
        """The fill-in as an ordinary edit, reason "suggested correction"."""
        return Edit((CellChange(*self.key, None, self.value),), reason=EditReason.SUGGESTED, note=note)

    def message(self, document: Document, lang: str) -> str:
        """'行政复议/总计 未填写 → 11（各项之和）' or
        'Total (行政复议) not filled in → 11 (sum of the parts)'."""
        label = cell_label(document, self.key, lang)
        value = format_number(self.value)
        if lang == "zh":
            return f"{label} 未填写 → {value}（{KIND_LABELS['sum'][0]}）"
        return f"{label} not filled in → {value} ({KIND_LABELS['sum'][1]})"


def fill_ins(checker: Checker, table_id: str | None = None) -> list[FillIn]:
    """Every total left unfilled whose checks agree on the value its parts give, in rule order
    (a total whose rules disagree, or that a missing part leaves open, is not filled in)."""
    found: dict[CellKey, list[tuple[Uid, Decimal]]] = {}
    for r in checker.results.values():
        key = r.instance.defines
        fill = r.fill_in
        if fill is None or key is None or (table_id is not None and r.instance.table_id != table_id):
            continue
        found.setdefault(key, []).append((r.uid, fill))
    return [
        FillIn(key[0], key, values[0][1], tuple(uid for uid, _ in values))
        for key, values in found.items()
        if len({v for _, v in values}) == 1
    ]


@dataclass(frozen=True, slots=True)
class Analysis:
    """Every table's suggestions, best first (each group's best, then the alternatives), and
    the groups nothing simple explains."""

    suggestions: tuple[Suggestion, ...]
    unexplained: tuple[Unexplained, ...]

    def for_table(self, table_id: str) -> list[Suggestion]:
        return [s for s in self.suggestions if s.table_id == table_id]

    def group(self, s: Suggestion) -> list[Suggestion]:
        """The suggestions of ``s``'s group, most likely first (at most three)."""
        return sorted(
            (x for x in self.suggestions if x.table_id == s.table_id and x.group == s.group),
            key=lambda x: x.rank,
        )

    def alternatives(self, s: Suggestion) -> list[Suggestion]:
        """The group's suggestions when no one of them is sure enough to be shown alone
        (several single changes explain the failing rules about equally well); else []."""
        group = self.group(s)
        return group if len(group) > 1 and group[0].confidence < SURE else []

    def best(self) -> list[Suggestion]:
        """The top suggestion of every group."""
        seen: set[tuple[str, int]] = set()
        out = []
        for s in self.suggestions:
            if (s.table_id, s.group) not in seen:
                seen.add((s.table_id, s.group))
                out.append(s)
        return out


def cell_label(document: Document, key: CellKey, lang: str, shown: str = "") -> str:
    """A cell as the clerk names it: row and column, or the column's groups in a one-row table;
    with its table's name first when that is not the table ``shown`` (a rule across tables)."""
    table_id, row_id, col_id = key
    table = document.table(table_id)
    label = _in_table(table, row_id, col_id, lang)
    if shown and table_id != shown:
        return f"{table.name.get(lang) or table.name.get('zh') or table_id} {label}"
    return label


def _in_table(table: Table, row_id: str, col_id: str, lang: str) -> str:
    row = table.rows[table.row_index(row_id)]
    col = table.columns[table.col_index(col_id)]
    if len(table.rows) == 1:
        if lang == "en":  # the group's English name is not kept: say which group in Chinese
            return f"{col.en} ({col.path[-2]})" if col.en and len(col.path) > 1 else col.en or col.leaf_label
        return "/".join(col.path[-2:])
    if lang == "en":
        return f"{row.en or row.leaf_label}/{col.en or col.leaf_label}"
    return f"{row.leaf_label}/{col.leaf_label}"


def _checker_of(source: object) -> Checker:
    if isinstance(source, Checker):
        return source
    checker = getattr(source, "checker", None)
    if isinstance(checker, Checker):
        return checker
    if isinstance(source, tuple) and len(source) == 2:
        document, results = source
        built = Checker(document, None)
        # Only what the document still has (results kept from before a change of mapping
        # may name cells that are gone).
        results = [r for r in results if all(document.has_cell(*k) for k in r.instance.cells())]
        built.add_instances(r.instance for r in results)
        built.results = {r.uid: r for r in results}
        return built
    raise TypeError(f"cannot suggest for {type(source).__name__}")


def candidate(checker: Checker, changes: tuple[Change, ...], score: float) -> Candidate:
    """What the calibration is told of a correction: its share, its kinds, whether it fills in
    a total printed 0 or blank with the sum of its parts, and whether it changes a total."""
    kind = "+".join(dict.fromkeys(c.kind for c in changes))
    fill = len(changes) == 1 and kind == "sum" and not changes[0].old
    total = len(changes) == 1 and bool(checker.definers.get(changes[0].key))
    return Candidate(score, kind, fill, total)


def _rank(
    checker: Checker,
    found: list[tuple[tuple[Change, ...], float]],
    n: int,
    table_id: str,
    members: list[RuleInstance],
    best: list[Suggestion],
    rest: list[Suggestion],
) -> None:
    """A group's candidates (at most three): scored by their share of the group's plausibility
    (ties: a total, then rule order), then calibrated, and ranked by that confidence."""
    found = list({tuple((c.key, c.new) for c in ch): (ch, like) for ch, like in found}.values())
    total = sum(like for _, like in found) + NONE
    order = {k: i for i, k in enumerate(dict.fromkeys(k for m in members for k in m.cells()))}
    found.sort(key=lambda c: (-c[1], [ch.kind != "sum" for ch in c[0]], [order[ch.key] for ch in c[0]]))
    uids = tuple(m.uid for m in members)
    listed = found[:TOP]
    candidates = [candidate(checker, changes, like / total) for changes, like in listed]
    scored = [
        (changes, c.kind, c.score, calibrate(c, len(listed), rank, candidates[0]))
        for rank, ((changes, _), c) in enumerate(zip(listed, candidates, strict=True))
    ]
    if all(len(changes) == 1 for changes, _ in listed):
        # Single changes: shown most likely first by what the calibration says (stable).
        scored.sort(key=lambda c: -c[3])
    else:  # pairs were not measured apart: their order stands, confidences never rise
        for i in range(1, len(scored)):
            ch, kd, sc, conf = scored[i]
            scored[i] = (ch, kd, sc, min(conf, scored[i - 1][3]))
    for rank, (changes, kind, score, confidence) in enumerate(scored):
        (best if rank == 0 else rest).append(
            Suggestion(n, table_id, changes, kind, round(score, 4), uids, rank, confidence)
        )


def analyse(source: Checker | object, table_id: str | None = None) -> Analysis:
    """Suggestions and unexplained groups for a Checker, a Review, or (document, results)."""
    checker = _checker_of(source)
    trial = Trial(checker)
    best: list[Suggestion] = []
    rest: list[Suggestion] = []
    unexplained: list[Unexplained] = []
    results: dict[Uid, CheckResult] = checker.results
    tables = [t.id for t in checker.document.tables] if table_id is None else [table_id]
    for tid in tables:
        # Only the tables' own rules: a number the prose states is no reason to change a cell.
        instances = [i for i in checker.instances if i.table_id == tid and not is_narrative(i)]
        # A check the clerk accepted as printed (原文如此) asks for no correction.
        accepted = checker.document.accepted
        failing = [
            i
            for i in instances
            if (r := results.get(i.uid)) is not None
            and r.status is CheckStatus.FAILED
            and i.uid not in accepted
        ]
        # Groups of failing rules sharing cells; those nothing explains alone are tried again
        # together when passing rules connect them (a change fixing one would break a rule
        # shared with the other, as 一、本年新收 in both the 自然人 and the 总计 column).
        component = {i.uid: n for n, comp in enumerate(components(instances)) for i in comp}
        pending: dict[int, list[list[RuleInstance]]] = {}
        n = 0
        for members in components(failing):
            found = Group(checker, trial, members).search()
            if found:
                _rank(checker, found, n, tid, members, best, rest)
                n += 1
            else:
                pending.setdefault(component[members[0].uid], []).append(members)
        for groups in pending.values():
            merged = [m for g in groups for m in g]
            group = Group(checker, trial, merged)
            found = group.search() if len(groups) > 1 else []
            if found:
                _rank(checker, found, n, tid, merged, best, rest)
            else:
                unexplained.append(Unexplained(n, tid, tuple(group.cells), tuple(m.uid for m in merged)))
            n += 1
    best.sort(key=lambda s: -s.confidence)
    rest.sort(key=lambda s: -s.confidence)
    return Analysis(tuple(best + rest), tuple(unexplained))


def suggest(source: Checker | object, table_id: str | None = None) -> list[Suggestion]:
    """Suggestions, best first, for a Checker, a Review, or (document, results)."""
    return list(analyse(source, table_id).suggestions)

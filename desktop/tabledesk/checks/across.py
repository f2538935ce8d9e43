"""Checks across years: the same agency's reports for consecutive years must agree.

* 表三: this year's 二、上年结转 equals last year's 四、结转下年度继续办理, per column (error).
* 表二（一）, 2021 format in both years: last year's 现行有效件数 + this year's 本年制发件数 −
  本年废止件数 = this year's 现行有效件数, for 规章 and 行政规范性文件 (warning: documents can
  also lapse without being repealed).

Each link is checked in both documents, as an ordinary rule instance whose other side is the
other report's value, a constant (:func:`cross_year_instances`): so the window, the checks list
and the exports show it like any other check. A :class:`YearReport` is what is needed of the
other report — a few values — and comes from a live document or a batch record alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tabledesk.checks.compile import CellKey, RuleInstance, Term
from tabledesk.checks.engine import Checker, CheckResult
from tabledesk.core.document import Axis, Cell, CellStatus, Document, SourceInfo, Table
from tabledesk.templates.template import AxisSpec, RuleSpec, Template

TEMPLATE_ID = "gov-disclosure-annual"
T3_COLUMNS = (
    "natural",
    "legal.business",
    "legal.research",
    "legal.charity",
    "legal.legal_service",
    "legal.other",
    "total",
)
IN_FORCE_ROWS = ("rules", "normative")
IN_FORCE_FORMAT = "2021"

_ONE = Decimal(1)


def _rule(ident: str, severity: str, zh: str, en: str) -> RuleSpec:
    return RuleSpec(id=ident, expr=ident, each="once", message={"zh": zh, "en": en}, severity=severity)


# In the later report: its cells against the earlier report's value; and the reverse.
CARRIED_IN = _rule(
    "across.carried_in",
    "error",
    "{table} {where}：二、上年结转（{lhs}）应等于{other}的四、结转下年度继续办理（{rhs}）",
    "{table}, {where}: II. carried over ({lhs}) should equal IV. carried forward in {other} ({rhs})",
)
CARRIED_OUT = _rule(
    "across.carried_out",
    "error",
    "{table} {where}：四、结转下年度继续办理（{lhs}）应等于{other}的二、上年结转（{rhs}）",
    "{table}, {where}: IV. carried forward ({lhs}) should equal II. carried over in {other} ({rhs})",
)
IN_FORCE_IN = _rule(
    "across.in_force_in",
    "warning",
    "{table} {where}：现行有效件数 − 本年制发件数 + 本年废止件数（{lhs}）"
    "应等于{other}的现行有效件数（{rhs}）",
    "{table}, {where}: in force − issued + repealed ({lhs}) should equal in force in {other} ({rhs})",
)
IN_FORCE_OUT = _rule(
    "across.in_force_out",
    "warning",
    "{table} {where}：现行有效件数（{lhs}）"
    "应等于{other}的现行有效件数 − 本年制发件数 + 本年废止件数（{rhs}）",
    "{table}, {where}: in force ({lhs}) should equal in force − issued + repealed in {other} ({rhs})",
)
RULES = (CARRIED_IN, CARRIED_OUT, IN_FORCE_IN, IN_FORCE_OUT)


@dataclass(frozen=True, slots=True)
class Link:
    """One equation between two consecutive reports: sum(later terms) = sum(earlier terms)."""

    table_id: str
    key: str  # the column (表三) or row (表二) it is about
    later: tuple[Term, ...]
    earlier: tuple[Term, ...]
    rule_in: RuleSpec  # the instance in the later report
    rule_out: RuleSpec  # the instance in the earlier report


def links(later_format: str, earlier_format: str) -> list[Link]:
    out = [
        Link(
            "t3",
            col,
            ((_ONE, ("t3", "carried", col)),),
            ((_ONE, ("t3", "carried_forward", col)),),
            CARRIED_IN,
            CARRIED_OUT,
        )
        for col in T3_COLUMNS
    ]
    if later_format == earlier_format == IN_FORCE_FORMAT:
        for row in IN_FORCE_ROWS:
            t = "t2.item1"
            later = ((_ONE, (t, row, "in_force")), (-_ONE, (t, row, "issued")), (_ONE, (t, row, "repealed")))
            out.append(Link(t, row, later, ((_ONE, (t, row, "in_force")),), IN_FORCE_IN, IN_FORCE_OUT))
    return out


# ----------------------------------------------------------------------------- reports
_PLACE_ENDS = "省市州盟县区旗"  # a name may be prefixed with the place above it


def agency_key(agency: str) -> str:
    """The agency's name compared across years: NFKC, no spaces or brackets."""
    return re.sub(r"[\s()（）]", "", unicodedata.normalize("NFKC", agency or ""))


def same_agency(a: str, b: str) -> bool:
    """淮安市洪泽区人民政府 and 洪泽区人民政府 are the same agency: one name may carry the
    province or city the other leaves out, so one must end with the other."""
    ka, kb = agency_key(a), agency_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    prefix = long_[: len(long_) - len(short)]
    # the shorter name must still name a place ("人民政府" alone is every government)
    own_place = any(ch in _PLACE_ENDS for ch in short[:-1])
    return own_place and long_.endswith(short) and prefix[-1] in _PLACE_ENDS


@dataclass(frozen=True, slots=True)
class YearReport:
    """What the cross-year checks need of a report: who, when, and its current values
    (``"<table>.<row>.<col>"`` keys, as in the batch records)."""

    file: str
    agency: str
    year: int | None
    template_id: str
    format_id: str
    values: Mapping[str, int | Decimal | None] = field(default_factory=dict)

    @classmethod
    def of_document(cls, document: Document, file: str | None = None) -> YearReport:
        wanted = {
            ".".join(k[1])
            for link in links(document.format_id, document.format_id)
            for k in (*link.later, *link.earlier)
        }
        values = {
            k: v for k, v in ((".".join(key), v) for key, v in document.values().items()) if k in wanted
        }
        return cls(
            file or document.source.path,
            document.agency,
            document.year,
            document.template_id,
            document.format_id,
            values,
        )

    def value(self, key: CellKey) -> Decimal | None:
        v = self.values.get(".".join(key))
        return None if v is None else Decimal(v)

    def label(self, lang: str) -> str:
        name = self.file.replace("\\", "/").rsplit("/", 1)[-1]
        return f"{self.year}年报告（{name}）" if lang == "zh" else f"the {self.year} report ({name})"


def neighbours(me: YearReport, others: Iterable[YearReport]) -> tuple[YearReport | None, YearReport | None]:
    """The same agency's report of the year before and of the year after (same template)."""
    prev = nxt = None
    if me.year is None:
        return None, None
    for o in others:
        if (
            o is me
            or o.year is None
            or o.template_id != me.template_id
            or not same_agency(o.agency, me.agency)
        ):
            continue
        if o.year == me.year - 1 and prev is None:
            prev = o
        elif o.year == me.year + 1 and nxt is None:
            nxt = o
    return prev, nxt


def _const(terms: tuple[Term, ...], report: YearReport) -> Decimal | None:
    total = Decimal(0)
    for coef, key in terms:
        v = report.value(key)
        if v is None:
            return None
        total += coef * v
    return total


def cross_year_instances(
    document: Document, previous: YearReport | None = None, following: YearReport | None = None
) -> list[RuleInstance]:
    """The document's side of every link with the report before and after it. A link whose
    other side is not known (a missing cell there) is left out: nothing to compare with."""
    out: list[RuleInstance] = []
    if document.template_id != TEMPLATE_ID:
        return out  # the links name this template's cells
    pairs: list[tuple[YearReport, bool]] = []
    if previous is not None:
        pairs.append((previous, True))
    if following is not None:
        pairs.append((following, False))
    for other, later in pairs:
        fmts = (document.format_id, other.format_id) if later else (other.format_id, document.format_id)
        for link in links(*fmts):
            mine, theirs = (link.later, link.earlier) if later else (link.earlier, link.later)
            if not all(document.has_cell(*k) for _, k in mine):
                continue
            const = _const(theirs, other)
            if const is None:
                continue
            table = document.table(link.table_id)
            rule = link.rule_in if later else link.rule_out
            out.append(
                RuleInstance(
                    rule=rule,
                    table_id=link.table_id,
                    key=f"{link.key}@{other.year}",
                    where=_where(table, link),
                    params={"other": {"zh": other.label("zh"), "en": other.label("en")}},
                    op="=",
                    lhs=mine,
                    lhs_const=Decimal(0),
                    rhs=(),
                    rhs_const=const,
                    defines=None,
                )
            )
    return out


def _where(table: Table, link: Link) -> dict[str, str]:
    if link.table_id == "t3":
        col = table.columns[table.col_index(link.key)]
        return {"zh": f"{col.leaf_label}列", "en": f"column “{col.en or col.leaf_label}”"}
    row = table.rows[table.row_index(link.key)]
    return {"zh": f"“{row.leaf_label}”行", "en": f"row “{row.en or row.leaf_label}”"}


# ----------------------------------------------------------------------------- batches
def _record_document(report: YearReport, template: Template | None) -> Document:
    """A small document holding just the cells the links read, for checking batch records."""
    keys = {k for link in links(report.format_id, report.format_id) for _, k in (*link.later, *link.earlier)}
    keys |= {k for link in links(IN_FORCE_FORMAT, IN_FORCE_FORMAT) for _, k in (*link.later, *link.earlier)}
    tables: list[Table] = []
    for tid in sorted({k[0] for k in keys}):
        rows = sorted({k[1] for k in keys if k[0] == tid})
        cols = sorted({k[2] for k in keys if k[0] == tid})
        cells = []
        for r in rows:
            line = []
            for c in cols:
                v = report.value((tid, r, c))
                line.append(Cell(v, v, status=CellStatus.OK) if v is not None else Cell.missing())
            cells.append(line)
        tables.append(_table(template, tid, report.format_id, rows, cols, cells))
    source = SourceInfo(report.file, "", "", 0)
    return Document(
        source, report.template_id, report.format_id, tables, agency=report.agency, year=report.year
    )


def _table(
    template: Template | None, tid: str, fmt: str, rows: list[str], cols: list[str], cells: list[list[Cell]]
) -> Table:
    """A table of just these rows and columns, labelled as the template labels them."""
    try:
        spec = template.table(tid) if template is not None else None
    except KeyError:
        spec = None
    if spec is None:
        return Table(
            tid,
            tid,
            {"zh": tid, "en": tid},
            [Axis(r, (r,)) for r in rows],
            [Axis(c, (c,)) for c in cols],
            cells,
        )
    row_specs = {a.id: a for a in spec.rows_for(fmt)}
    col_specs = {a.id: a for a in spec.columns_for(fmt)}

    def axis(ident: str, specs: dict[str, AxisSpec]) -> Axis:
        a = specs.get(ident)
        return Axis(ident, (a.label,), a.en) if a is not None else Axis(ident, (ident,))

    return Table(
        tid,
        spec.title,
        dict(spec.name),
        [axis(r, row_specs) for r in rows],
        [axis(c, col_specs) for c in cols],
        cells,
    )


def check_reports(
    reports: Sequence[YearReport], template: Template | None = None
) -> dict[int, tuple[Document, list[CheckResult]]]:
    """For each report (by index) that has a neighbour among ``reports``: a small document of
    the cells the links read (its tables name the checks' tables) and its cross-year results
    (``template`` labels the messages)."""
    out: dict[int, tuple[Document, list[CheckResult]]] = {}
    for i, rep in enumerate(reports):
        prev, nxt = neighbours(rep, reports)
        if prev is None and nxt is None:
            continue
        doc = _record_document(rep, template)
        checker = Checker(doc, None)
        checker.add_instances(cross_year_instances(doc, prev, nxt))
        results = list(checker.run().values())
        if results:
            out[i] = (doc, results)
    return out

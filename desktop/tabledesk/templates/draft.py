"""A template drafted from one sample of a form no template knows: its tables as printed (title,
rows, columns with their header bands), the totals their structure states as rules
(``templates/structure.py``), words to detect the form by and a pattern for its title.

The draft is data (:class:`TemplateDraft`) the clerk can change — rename, drop, mark headings,
remove or add rules — and :meth:`TemplateDraft.to_toml` writes it in the documented template
format (``docs/template-format.md``), to be loaded by the same loader as the built-in ones.
Which drafted rules hold on the sample is decided where the checks run (``review/drafting.py``).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from tabledesk.core.document import Document, Table
from tabledesk.core.values import NumberKind
from tabledesk.templates.structure import Role, Structure, Sum, infer, total_level

TITLE_PATTERN = r"^(?P<agency>.+?)(?P<year>(19|20)\d{2})\s*年"


@dataclass
class AxisDraft:
    id: str
    label: str
    parent: str | None = None
    total: bool = False
    heading: bool = False  # a group label with no numbers of its own (a header band)
    aliases: list[str] = field(default_factory=list)
    keep: bool = True
    printed: str = ""  # the label as the sample prints it

    def __post_init__(self) -> None:
        self.printed = self.printed or self.label

    def rename(self, label: str) -> None:
        """A new label; the printed wording stays an alias, so documents printing it still map."""
        label = label.strip()
        if not label:
            return
        self.label = label
        if self.printed != label and self.printed not in self.aliases:
            self.aliases.append(self.printed)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


@dataclass
class RuleDraft:
    id: str
    each: str  # "column", "row" or "once"
    expr: str
    words: str  # what the rule says, for the clerk: "合计 = 甲 + 乙"
    keep: bool = True

    def names(self) -> set[str]:
        """The row and column ids the rule names."""
        return {n for part in _NAME.findall(self.expr) for n in part.split(":")} - {"sum"}


@dataclass
class TableDraft:
    id: str
    title: str
    name: str
    kind: NumberKind
    rows: list[AxisDraft]
    columns: list[AxisDraft]
    rules: list[RuleDraft]
    corner: str = ""
    keep: bool = True

    def kept_axes(self) -> tuple[list[AxisDraft], list[AxisDraft]]:
        return [a for a in self.rows if a.keep], [a for a in self.columns if a.keep]

    def usable_rules(self) -> list[RuleDraft]:
        """The rules kept whose rows and columns are all kept, and name no heading row."""
        rows, cols = self.kept_axes()
        ids = {a.id for a in (*rows, *cols) if not a.heading or a in cols}
        return [r for r in self.rules if r.keep and r.names() <= ids]

    def set_heading(self, row: AxisDraft, on: bool) -> None:
        """Make ``row`` the heading of the rows below it (up to the next heading), or not."""
        row.heading = on
        if row.id in {a.id for a in self.rows}:
            self._regroup()

    def _regroup(self) -> None:
        group: str | None = None
        for a in self.rows:
            if a.heading:
                group, a.parent = a.id, None
            else:
                a.parent = group

    def sum_rule(self, total: str, parts: list[str]) -> RuleDraft:
        """A rule the clerk points at: row ``total`` is the sum of rows ``parts``, in every column."""
        label = {a.id: a.label for a in self.rows}
        words = f"{label[total]} = " + " + ".join(label[p] for p in parts)
        n = sum(1 for r in self.rules if r.id.startswith(f"{self.id}.user"))
        return RuleDraft(f"{self.id}.user{n + 1}", "column", f"{total} = " + " + ".join(parts), words)


@dataclass
class TemplateDraft:
    id: str
    name: str
    detect: list[str]
    tables: list[TableDraft]
    title_pattern: str = TITLE_PATTERN

    def kept_tables(self) -> list[TableDraft]:
        return [t for t in self.tables if t.keep]

    def to_toml(self) -> str:
        """The draft in the template file format; tables and rules not kept are left out."""
        q = _toml_str
        out = [
            "# Drafted by tabledesk from one sample; see docs/template-format.md to edit it.",
            "[template]",
            f"id = {q(self.id)}",
            f"name = {{ zh = {q(self.name)}, en = {q(self.name)} }}",
            f"detect = [{', '.join(q(w) for w in self.detect)}]",
            f"title_pattern = {q(self.title_pattern)}",
        ]
        for t in self.kept_tables():
            out += [
                "",
                "[[tables]]",
                f"id = {q(t.id)}",
                f"title = {q(t.title)}",
                f"name = {{ zh = {q(t.name)}, en = {q(t.name)} }}",
                f'type = "{_TYPE[t.kind]}"',
            ]
            if t.corner:
                out.append(f"corner = {q(t.corner)}")
            rows, cols = t.kept_axes()
            for key, axes in (("columns", cols), ("rows", rows)):
                for a in axes:
                    out += ["", f"  [[tables.{key}]]", f"  id = {q(a.id)}", f"  label = {q(a.label)}"]
                    if a.aliases:
                        out.append(f"  aliases = [{', '.join(q(x) for x in a.aliases)}]")
                    if a.parent and a.parent in {b.id for b in axes}:
                        out.append(f"  parent = {q(a.parent)}")
                    if a.total:
                        out.append("  total = true")
            for r in t.usable_rules():
                out += [
                    "",
                    "  [[tables.rules]]",
                    f"  id = {q(r.id)}",
                    f'  each = "{r.each}"',
                    f"  expr = {q(r.expr)}",
                    "  message = { zh = "
                    + q(f"{{table}} {{where}}：{r.words}（{{lhs}} / {{rhs}}）")
                    + ", en = "
                    + q(f"{{table}}, {{where}}: {r.words} ({{lhs}} / {{rhs}})")
                    + " }",
                ]
        return "\n".join(out) + "\n"


_TYPE = {
    NumberKind.COUNT: "count",
    NumberKind.INTEGER: "integer",
    NumberKind.AMOUNT: "amount",
    NumberKind.DECIMAL: "decimal",
}


def _toml_str(text: str) -> str:
    # a TOML basic string: JSON's escapes are TOML's (\", \\, \n, \uXXXX)
    return json.dumps(text, ensure_ascii=False)


def draft_template(document: Document, name: str = "") -> TemplateDraft:
    """The draft of a template for the form ``document`` (read as printed) is a sample of."""
    tables = [_table_draft(t, k) for k, t in enumerate(document.tables, start=1)]
    title = name or _document_title(document) or (tables[0].title if tables else "新报表")
    digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    return TemplateDraft(
        id=f"user.form_{digest}",
        name=title,
        detect=_detect_words(tables),
        tables=tables,
    )


def _document_title(document: Document) -> str:
    """The form's name: the common part of its tables' printed titles, when they share one."""
    titles = [t.title for t in document.tables if not t.title.startswith("表格")]
    return titles[0] if len(titles) == 1 else ""


def _detect_words(tables: list[TableDraft]) -> list[str]:
    """Words every document of the form prints: the tables' own titles (at most three)."""
    words = []
    for t in tables:
        if not t.title.startswith("表格"):
            words.append(_key(t.title))
    return [w for w in words if w][:3]


def _key(text: str) -> str:
    """A title without the agency and year it may start with (某某局2024年收入决算表 → 收入决算表)."""
    text = unicodedata.normalize("NFKC", text).strip()
    m = re.search(r"(19|20)\d{2}\s*年度?", text)
    return text[m.end() :].strip() if m else text


def _table_draft(table: Table, number: int) -> TableDraft:
    structure = infer(table)
    columns: list[AxisDraft] = []
    bands: dict[str, str] = {}
    for j, col in enumerate(table.columns, start=1):
        parent = None
        if len(col.path) >= 2:
            band = col.path[-2]
            if band not in bands:
                bands[band] = f"b{len(bands) + 1}"
                columns.append(AxisDraft(bands[band], band, heading=True))
            parent = bands[band]
        columns.append(AxisDraft(f"c{j}", col.leaf_label, parent=parent))
    leaf_cols = [a for a in columns if not a.heading]
    rows = [AxisDraft(f"r{i}", r.leaf_label) for i, r in enumerate(table.rows, start=1)]
    # the form's own numbering (行次, a 栏次 row of 1, 2, 3 …) is not data: not in the template
    for axes, roles in ((rows, structure.row_roles), (leaf_cols, structure.column_roles)):
        for axis, role in zip(axes, roles, strict=False):
            axis.keep = role is not Role.LINE_NUMBER
    for s in structure.row_sums:
        rows[s.total].total = total_level(rows[s.total].label) > 0
    for s in structure.column_sums:
        leaf_cols[s.total].total = total_level(leaf_cols[s.total].label) > 0
    band_label = {a.id: a.label for a in columns if a.heading}
    named = [
        AxisDraft(a.id, f"{band_label[a.parent]} {a.label}" if a.parent in band_label else a.label)
        for a in leaf_cols
    ]  # "本季度 合计 = 本季度 男 + 本季度 女": which band a rule is about
    rules = _rules(f"t{number}", rows, named, structure)
    title = _key(table.title) if not table.title.startswith("表格") else table.title
    return TableDraft(
        id=f"t{number}",
        title=title,
        name=title if len(title) <= 16 else f"表{number}",
        kind=_kind(table),
        rows=rows,
        columns=columns,
        rules=rules,
    )


def _kind(table: Table) -> NumberKind:
    kinds = {c.kind for line in table.cells for c in line}
    values = [c.value for line in table.cells for c in line if c.value is not None]
    negative = any(v < 0 for v in values)
    if NumberKind.DECIMAL in kinds or NumberKind.AMOUNT in kinds:
        return NumberKind.DECIMAL if negative else NumberKind.AMOUNT
    return NumberKind.INTEGER if negative else NumberKind.COUNT


def _rules(tid: str, rows: list[AxisDraft], cols: list[AxisDraft], structure: Structure) -> list[RuleDraft]:
    value_cols = [k for k, r in enumerate(structure.column_roles) if r is Role.VALUE]
    value_rows = [k for k, r in enumerate(structure.row_roles) if r in (Role.VALUE, Role.PART_OF_ABOVE)]
    return [
        *_sum_rules(tid, rows, cols, structure.row_sums, value_cols, "column"),
        *_sum_rules(tid, cols, rows, structure.column_sums, value_rows, "row"),
    ]


def _sum_rules(
    tid: str,
    axis: list[AxisDraft],
    across: list[AxisDraft],
    sums: tuple[Sum, ...],
    valued: list[int],
    each: str,
) -> list[RuleDraft]:
    """The sums along one axis as rules applied ``each`` column (or row) — or, where some of the
    other axis holds no values (行次, 占比 …), once per valued column (row)."""
    out: list[RuleDraft] = []
    for s in sums:
        total, parts = axis[s.total], [axis[p] for p in s.parts]
        words = f"{total.label} = " + " + ".join(p.label for p in parts)
        if len(valued) == len(across):
            expr = f"{total.id} = " + " + ".join(p.id for p in parts)
            out.append(RuleDraft(f"{tid}.{total.id}", each, expr, words))
            continue
        for k in valued:
            o = across[k].id

            def cell(item: str, o: str = o) -> str:  # row:column, whichever axis this is
                return f"{item}:{o}" if each == "column" else f"{o}:{item}"

            expr = f"{cell(total.id)} = " + " + ".join(cell(p.id) for p in parts)
            rid = f"{tid}.{total.id}.{o}" if each == "column" else f"{tid}.{o}.{total.id}"
            out.append(RuleDraft(rid, "once", expr, f"{across[k].label}：{words}"))
    return out

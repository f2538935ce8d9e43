"""Report templates: tables, their printed layout, labels with aliases, and balance rules.

Templates are data files (TOML) under ``resources/templates/``; ``docs/template-format.md``
describes the format. Loading validates everything a user could get wrong and reports the
file, line and offending entry instead of a traceback.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabledesk.core.os_errors import describe_os_error
from tabledesk.core.values import NumberKind
from tabledesk.templates.codes import CodeScheme, KeyedRows
from tabledesk.templates.parser import RuleSyntaxError, parse_rule
from tabledesk.templates.syntax import Comparison, names_in


class TemplateError(Exception):
    """A template file that cannot be used; ``str()`` names file, line and the problem."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


@dataclass(frozen=True, slots=True)
class AxisSpec:
    """A row or column of a template table (a group when other entries name it as parent)."""

    id: str
    label: str
    en: str = ""
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    formats: tuple[str, ...] | None = None  # None: every format
    kind: NumberKind | None = None  # numeric type, overriding the table's
    # places an amount is printed with (2: 7730.28); None: not said. A scan's reader takes a
    # separator followed by this many digits for the decimal point, and doubts one followed by 3
    decimals: int | None = None
    optional: bool = False  # may be absent from a document without counting as missing
    total: bool = False  # the total of its group: not one of the group's leaves

    def in_format(self, fmt: str) -> bool:
        return self.formats is None or fmt in self.formats


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    expr: str
    each: str  # "column" | "row" | "once"
    message: dict[str, str]
    severity: str = "error"  # "error" | "warning"
    variables: dict[str, tuple[str, ...]] = field(default_factory=dict)
    formats: tuple[str, ...] | None = None
    line: int | None = None  # in the template file, for error messages
    # The parsed rule, one per combination of `variables` (key: tuple of values).
    parsed: dict[tuple[str, ...], Comparison] = field(default_factory=dict)
    # A rule across tables (the template's own [[rules]]) applied per row: one instance per row
    # id every one of these tables prints (a 类 printed in both 收入支出决算总表 and 支出决算表),
    # only code rows of ``level`` (0: 类) when set.
    tables: tuple[str, ...] = ()
    level: int | None = None

    def in_format(self, fmt: str) -> bool:
        return self.formats is None or fmt in self.formats


@dataclass(frozen=True, slots=True)
class TableSpec:
    id: str
    title: str
    name: dict[str, str]
    rows: tuple[AxisSpec, ...]
    columns: tuple[AxisSpec, ...]
    rules: tuple[RuleSpec, ...] = ()
    aliases: tuple[str, ...] = ()
    corner: str = ""
    kind: NumberKind = NumberKind.COUNT
    formats: tuple[str, ...] | None = None
    decimals: int | None = None  # places amounts are printed with (see AxisSpec.decimals)
    # Rows keyed by classification code (templates/codes.py), inserted among ``rows`` where the
    # template puts its keyed entry; None: the rows are fixed.
    keyed: KeyedRows | None = None
    unit: str = ""  # the unit amounts are printed in unless the table's note says otherwise
    # Printed to the right of table ``beside`` in one grid (收入 | 支出 of a 收入支出决算总表).
    beside: str | None = None
    # May be left out of a document (some provinces' sets have no 表六): its rules are not
    # checked then, and its absence is not a problem.
    optional: bool = False

    def in_format(self, fmt: str) -> bool:
        return self.formats is None or fmt in self.formats

    def rows_for(self, fmt: str) -> list[AxisSpec]:
        return [r for r in self.rows if r.in_format(fmt)]

    def columns_for(self, fmt: str) -> list[AxisSpec]:
        return [c for c in self.columns if c.in_format(fmt)]


@dataclass(frozen=True, slots=True)
class FormatSpec:
    id: str
    name: dict[str, str]
    years: tuple[int, int] | None = None
    markers: tuple[str, ...] = ()


# The template id of a document whose tables no template knows, read as printed
# (mapping/generic_tables.py) and checked by generic rules (checks/generic.py).
GENERIC_TEMPLATE_ID = "generic"


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    name: dict[str, str]
    formats: tuple[FormatSpec, ...]
    tables: tuple[TableSpec, ...]
    detect: tuple[str, ...] = ()
    title_pattern: str = ""
    sections: tuple[str, ...] = ()
    path: str = ""
    # Code schemes of keyed rows, by id; rules across tables; the words that say a table is
    # printed empty on purpose ("本表为空表"), as one regular expression.
    codes: dict[str, CodeScheme] = field(default_factory=dict)
    rules: tuple[RuleSpec, ...] = ()
    empty_note: str = ""
    # A report made of a set of tables is recognised by at least this many of them (by title).
    min_tables: int = 1
    # Titles of other tables such reports print, which the template does not read: a heading
    # naming one ("项目支出决算表") is not one of the template's tables whose title it contains
    # ("支出决算表"), and its rows are nobody's.
    other_tables: tuple[str, ...] = ()

    def table(self, table_id: str) -> TableSpec:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    def tables_for(self, fmt: str) -> list[TableSpec]:
        return [t for t in self.tables if t.in_format(fmt)]

    def format(self, fmt: str) -> FormatSpec:
        for f in self.formats:
            if f.id == fmt:
                return f
        raise KeyError(fmt)


# ----------------------------------------------------------------------------- loading
_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


class _Loader:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, *needles: str) -> int | None:
        """The first line holding all needles (tomllib keeps no positions)."""
        for i, line in enumerate(self.lines, 1):
            if all(n in line for n in needles if n):
                return i
        return None

    def fail(self, problem: str, *needles: str) -> TemplateError:
        return TemplateError(self.path, self.line_of(*needles) if needles else None, problem)

    def text(self, d: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
        v = d.get(key, default)
        if not isinstance(v, str) or (default is None and not v):
            raise self.fail(f"{where}: '{key}' must be a non-empty string", where.split()[-1])
        return v

    def names(self, d: dict[str, Any], key: str, where: str) -> dict[str, str]:
        v = d.get(key, {})
        if isinstance(v, str):
            return {"zh": v, "en": v}
        if not isinstance(v, dict) or not all(isinstance(x, str) for x in v.values()):
            raise self.fail(f"{where}: '{key}' must be a string or a table of strings by language")
        return dict(v)

    def strings(self, d: dict[str, Any], key: str, where: str) -> tuple[str, ...] | None:
        v = d.get(key)
        if v is None:
            return None
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise self.fail(f"{where}: '{key}' must be a list of strings", key)
        return tuple(v)

    def kind(self, d: dict[str, Any], where: str) -> NumberKind | None:
        v = d.get("type")
        if v is None:
            return None
        try:
            return NumberKind(v)
        except ValueError:
            kinds = ", ".join(k.value for k in NumberKind)
            raise self.fail(f"{where}: unknown type '{v}' (use one of {kinds})", f'"{v}"') from None

    def decimals(self, d: dict[str, Any], where: str) -> int | None:
        v = d.get("decimals")
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 6:
            raise self.fail(f"{where}: 'decimals' must be a whole number from 0 to 6", "decimals")
        return v

    def axis(self, d: dict[str, Any], where: str, fmts: set[str]) -> AxisSpec:
        ident = self.text(d, "id", where)
        if not _ID.match(ident):
            raise self.fail(f"{where}: id '{ident}' may use only letters, digits, '_' and '.'", ident)
        formats = self.strings(d, "formats", f"{where} '{ident}'")
        for f in formats or ():
            if f not in fmts:
                raise self.fail(f"{where} '{ident}': unknown format '{f}'", ident)
        return AxisSpec(
            id=ident,
            label=self.text(d, "label", f"{where} {ident}"),
            en=d.get("en", ""),
            parent=d.get("parent"),
            aliases=self.strings(d, "aliases", where) or (),
            formats=formats,
            kind=self.kind(d, f"{where} '{ident}'"),
            decimals=self.decimals(d, f"{where} '{ident}'"),
            optional=bool(d.get("optional", False)),
            total=bool(d.get("total", False)),
        )

    def check_axes(self, table: str, what: str, axes: list[AxisSpec], fmts: list[str]) -> None:
        for fmt in fmts:
            seen: set[str] = set()
            for a in axes:
                if not a.in_format(fmt):
                    continue
                if a.id in seen:
                    raise self.fail(
                        f"table '{table}': {what} id '{a.id}' is declared twice for format {fmt}", a.id
                    )
                seen.add(a.id)
            for a in axes:
                if a.in_format(fmt) and a.parent is not None and a.parent not in seen:
                    raise self.fail(
                        f"table '{table}': {what} '{a.id}' names unknown parent '{a.parent}'", a.id
                    )

    def rule(self, d: dict[str, Any], table: str, fmts: set[str]) -> RuleSpec:
        ident = self.text(d, "id", f"rule in table '{table}'" if table else "rule in [[rules]]")
        expr = self.text(d, "expr", f"rule {ident}")
        each = d.get("each", "once")
        if each not in ("column", "row", "once"):
            raise self.fail(f"rule '{ident}': 'each' must be column, row or once, not '{each}'", ident)
        severity = d.get("severity", "error")
        if severity not in ("error", "warning"):
            raise self.fail(f"rule '{ident}': severity must be error or warning", ident)
        variables: dict[str, tuple[str, ...]] = {}
        for k, v in (d.get("for") or {}).items():
            if not isinstance(v, list) or not v or not all(isinstance(x, str) for x in v):
                raise self.fail(f"rule '{ident}': 'for.{k}' must be a non-empty list of ids", ident)
            variables[k] = tuple(v)
        message = self.names(d, "message", f"rule {ident}")
        if not message:
            message = {
                "zh": f"{{table}} {{where}}：{expr}（{{lhs}} / {{rhs}}）",
                "en": f"{{table}}, {{where}}: {expr}",
            }
        line = self.line_of(expr) or self.line_of(ident)
        parsed: dict[tuple[str, ...], Comparison] = {}
        combos: list[dict[str, str]] = [{}]
        for k, vals in variables.items():
            combos = [{**c, k: v} for c in combos for v in vals]
        for combo in combos:
            text = expr
            for k, v in combo.items():
                text = text.replace("{" + k + "}", v)
            if "{" in text:
                raise TemplateError(
                    self.path, line, f"rule '{ident}': '{expr}' uses a variable not declared in 'for'"
                )
            try:
                parsed[tuple(combo.values())] = parse_rule(text)
            except RuleSyntaxError as e:
                raise TemplateError(self.path, line, f"rule '{ident}': {e}") from None
        formats = self.strings(d, "formats", f"rule {ident}")
        for f in formats or ():
            if f not in fmts:
                raise self.fail(f"rule '{ident}': unknown format '{f}'", ident)
        tables = self.strings(d, "tables", f"rule {ident}") or ()
        level = d.get("level")
        if level is not None and (isinstance(level, bool) or not isinstance(level, int) or level < 0):
            raise self.fail(f"rule '{ident}': 'level' must be a whole number (0: the top level)", ident)
        return RuleSpec(
            ident, expr, each, message, severity, variables, formats, line, parsed, tables, level
        )

    def code_scheme(self, d: dict[str, Any]) -> CodeScheme:
        ident = self.text(d, "id", "[[codes]]")
        levels = d.get("levels", [3, 5, 7])
        if (
            not isinstance(levels, list)
            or not levels
            or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in levels)
            or sorted(set(levels)) != levels
        ):
            raise self.fail(f"codes '{ident}': 'levels' must be increasing digit counts", ident)
        names: dict[str, tuple[str, ...]] = {}
        for k, v in (d.get("names") or {}).items():
            alts = [v] if isinstance(v, str) else v
            if not k.isdigit() or not isinstance(alts, list) or not all(isinstance(a, str) for a in alts):
                raise self.fail(f"codes '{ident}': 'names' must map codes (digits) to names", ident)
            names[k] = tuple(alts)
        return CodeScheme(ident, tuple(levels), names)

    def rows_of(
        self, td: dict[str, Any], table_id: str, fmts: set[str], schemes: dict[str, CodeScheme]
    ) -> tuple[list[AxisSpec], KeyedRows | None]:
        rows: list[AxisSpec] = []
        keyed: KeyedRows | None = None
        for r in td.get("rows", []):
            if "codes" not in r:
                rows.append(self.axis(r, f"row of table '{table_id}'", fmts))
                continue
            scheme = r["codes"]
            if scheme not in schemes:
                raise self.fail(f"table '{table_id}': unknown code scheme '{scheme}'", f'"{scheme}"')
            if keyed is not None:
                raise self.fail(f"table '{table_id}': only one entry of rows keyed by code", table_id)
            parent = r.get("parent")
            if parent is not None and not isinstance(parent, str):
                raise self.fail(f"table '{table_id}': the keyed rows' parent must be a row id", table_id)
            keyed = KeyedRows(scheme, len(rows), parent)
        if keyed is not None and keyed.parent is not None and keyed.parent not in {r.id for r in rows}:
            raise self.fail(
                f"table '{table_id}': keyed rows name unknown parent '{keyed.parent}'", keyed.parent
            )
        return rows, keyed

    def load(self, data: dict[str, Any]) -> Template:
        head = data.get("template")
        if not isinstance(head, dict):
            raise self.fail("missing [template] section")
        tid = self.text(head, "id", "[template]")
        formats = []
        for f in data.get("formats", []) or [{"id": "default"}]:
            fid = self.text(f, "id", "[[formats]]")
            years = f.get("years")
            formats.append(
                FormatSpec(
                    fid,
                    self.names(f, "name", f"format {fid}") or {"zh": fid, "en": fid},
                    (int(years[0]), int(years[1])) if years else None,
                    self.strings(f, "markers", f"format {fid}") or (),
                )
            )
        fmt_ids = [f.id for f in formats]
        schemes = {s.id: s for s in (self.code_scheme(c) for c in data.get("codes", []))}
        tables = []
        for td in data.get("tables", []):
            table_id = self.text(td, "id", "[[tables]]")
            rows, keyed = self.rows_of(td, table_id, set(fmt_ids), schemes)
            cols = [
                self.axis(c, f"column of table '{table_id}'", set(fmt_ids)) for c in td.get("columns", [])
            ]
            if (not rows and keyed is None) or not cols:
                raise self.fail(f"table '{table_id}' needs at least one row and one column", table_id)
            self.check_axes(table_id, "row", rows, fmt_ids)
            self.check_axes(table_id, "column", cols, fmt_ids)
            rules = [self.rule(r, table_id, set(fmt_ids)) for r in td.get("rules", [])]
            spec = TableSpec(
                id=table_id,
                title=self.text(td, "title", f"table {table_id}"),
                name=self.names(td, "name", f"table {table_id}") or {"zh": table_id, "en": table_id},
                rows=tuple(rows),
                columns=tuple(cols),
                rules=tuple(rules),
                aliases=self.strings(td, "aliases", f"table {table_id}") or (),
                corner=td.get("corner", ""),
                kind=self.kind(td, f"table '{table_id}'") or NumberKind.COUNT,
                decimals=self.decimals(td, f"table '{table_id}'"),
                formats=self.strings(td, "formats", f"table {table_id}"),
                keyed=keyed,
                unit=str(td.get("unit", "")),
                beside=td.get("beside"),
                optional=bool(td.get("optional", False)),
            )
            for rule in rules:
                problem = validate_rule_names(spec, rule)
                if problem:
                    raise TemplateError(self.path, rule.line, f"rule '{rule.id}': {problem}")
            tables.append(spec)
        if not tables:
            raise self.fail("a template needs at least one [[tables]] entry")
        by_id = {t.id: t for t in tables}
        for t in tables:
            if t.beside is not None and t.beside not in by_id:
                raise self.fail(f"table '{t.id}': 'beside' names unknown table '{t.beside}'", t.beside)
        across = tuple(self.rule(r, "", set(fmt_ids)) for r in data.get("rules", []))
        for rule in across:
            problem = validate_cross_rule(by_id, rule)
            if problem:
                raise TemplateError(self.path, rule.line, f"rule '{rule.id}': {problem}")
        empty_note = head.get("empty_note", "")
        try:
            re.compile(empty_note)
        except re.error as e:
            raise self.fail(f"[template]: 'empty_note' is not a regular expression: {e}") from None
        return Template(
            id=tid,
            name=self.names(head, "name", "[template]") or {"zh": tid, "en": tid},
            formats=tuple(formats),
            tables=tuple(tables),
            detect=self.strings(head, "detect", "[template]") or (),
            title_pattern=head.get("title_pattern", ""),
            sections=self.strings(head, "sections", "[template]") or (),
            path=self.path,
            codes=schemes,
            rules=across,
            empty_note=empty_note,
            min_tables=int(head.get("min_tables", 1)),
            other_tables=self.strings(head, "other_tables", "[template]") or (),
        )


def load_template(path: str | Path) -> Template:
    """Read and validate one template file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise TemplateError(str(p), None, f"cannot read: {describe_os_error(e)}") from None
    except UnicodeDecodeError:
        raise TemplateError(str(p), None, "not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise TemplateError(str(p), int(m.group(1)) if m else None, f"not valid TOML: {e}") from None
    return _Loader(str(p), text).load(data)


def validate_rule_names(spec: TableSpec, rule: RuleSpec) -> str | None:
    """A problem with the names a rule uses (unknown item, leaves of a non-group), or None."""
    row_ids = {r.id for r in spec.rows}
    col_ids = {c.id for c in spec.columns}
    row_groups = {r.parent for r in spec.rows if r.parent}
    col_groups = {c.parent for c in spec.columns if c.parent}
    for comparison in rule.parsed.values():
        for kind, name in names_in(comparison.lhs) + names_in(comparison.rhs):
            if rule.each == "once":
                row, sep, col = name.partition(":")
                if not sep:
                    return f"'{name}' must name a cell as row:column in a rule applied once"
                if row not in row_ids:
                    return f"unknown row '{row}' in table '{spec.id}'"
                if col not in col_ids:
                    return f"unknown column '{col}' in table '{spec.id}'"
                continue
            ids, groups, what = (
                (row_ids, row_groups, "row") if rule.each == "column" else (col_ids, col_groups, "column")
            )
            if kind == "group" and name not in groups:
                return f"'{name}' is not a {what} group of table '{spec.id}'"
            if kind == "ref" and name not in ids:
                return f"unknown {what} '{name}' in table '{spec.id}'"
    return None


def validate_cross_rule(tables: dict[str, TableSpec], rule: RuleSpec) -> str | None:
    """A problem with the names of a rule across tables, or None. Applied once, names are
    ``table:row:column``; applied per row (``each = "row"`` with ``tables``), ``table:column``."""
    if rule.each not in ("once", "row"):
        return "a rule across tables is applied 'once' or per 'row'"
    if rule.each == "row" and not rule.tables:
        return "a rule applied per row across tables names its 'tables'"
    for t in rule.tables:
        if t not in tables:
            return f"unknown table '{t}'"
    for comparison in rule.parsed.values():
        for kind, name in names_in(comparison.lhs) + names_in(comparison.rhs):
            if kind != "ref":
                return f"'{name}': only cells can be named across tables"
            parts = name.split(":")
            want = 3 if rule.each == "once" else 2
            if len(parts) != want:
                shape = "table:row:column" if want == 3 else "table:column"
                return f"'{name}' must name a cell as {shape}"
            spec = tables.get(parts[0])
            if spec is None:
                return f"unknown table '{parts[0]}'"
            if want == 3 and parts[1] not in {r.id for r in spec.rows}:
                return f"unknown row '{parts[1]}' in table '{spec.id}'"
            if parts[-1] not in {c.id for c in spec.columns}:
                return f"unknown column '{parts[-1]}' in table '{spec.id}'"
    return None

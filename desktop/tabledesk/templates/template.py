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
        ident = self.text(d, "id", f"rule in table '{table}'")
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
        return RuleSpec(ident, expr, each, message, severity, variables, formats, line, parsed)

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
        tables = []
        for td in data.get("tables", []):
            table_id = self.text(td, "id", "[[tables]]")
            rows = [self.axis(r, f"row of table '{table_id}'", set(fmt_ids)) for r in td.get("rows", [])]
            cols = [
                self.axis(c, f"column of table '{table_id}'", set(fmt_ids)) for c in td.get("columns", [])
            ]
            if not rows or not cols:
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
                formats=self.strings(td, "formats", f"table {table_id}"),
            )
            for rule in rules:
                problem = validate_rule_names(spec, rule)
                if problem:
                    raise TemplateError(self.path, rule.line, f"rule '{rule.id}': {problem}")
            tables.append(spec)
        if not tables:
            raise self.fail("a template needs at least one [[tables]] entry")
        return Template(
            id=tid,
            name=self.names(head, "name", "[template]") or {"zh": tid, "en": tid},
            formats=tuple(formats),
            tables=tuple(tables),
            detect=self.strings(head, "detect", "[template]") or (),
            title_pattern=head.get("title_pattern", ""),
            sections=self.strings(head, "sections", "[template]") or (),
            path=self.path,
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

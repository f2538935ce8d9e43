"""The user's own templates: drafted from a sample (``review/drafting.py``), saved where the
window, ``tabledesk export`` and ``tabledesk check`` all find them
(``resources.user_templates_dir``), and shared with colleagues as plain files."""

from __future__ import annotations

import json
from pathlib import Path

from tabledesk.exports.atomic import write_text_atomic
from tabledesk.resources import user_templates_dir
from tabledesk.review.drafting import compile_draft
from tabledesk.templates.draft import TemplateDraft
from tabledesk.templates.template import TemplateError, load_template


def save_template(draft: TemplateDraft, path: str | Path | None = None) -> Path:
    """Write the draft (checked by the loader first: TemplateError) to ``path``, by default
    ``<user templates>/<id>.toml``, atomically. Raises TemplateError or OSError."""
    compile_draft(draft)
    target = Path(path) if path is not None else user_templates_dir() / f"{draft.id}.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, draft.to_toml())
    return target


def import_template(path: str | Path) -> Path:
    """Copy a colleague's template file into the user's folder after checking that it loads.
    Raises TemplateError or OSError."""
    template = load_template(path)
    target = user_templates_dir() / f"{template.id}.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, Path(path).read_text(encoding="utf-8"))
    return target


def user_template_path(template_id: str) -> Path | None:
    """The file of the user's template with this id in their template folder, if it is one."""
    folder = user_templates_dir()
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.toml")):
        try:
            if load_template(path).id == template_id:
                return path
        except TemplateError:
            continue
    return None


def add_alias(path: str | Path, table_id: str, kind: str, item_id: str, alias: str) -> None:
    """Remember ``alias`` as another printed wording of row (``kind`` "rows") or column
    ("columns") ``item_id`` of table ``table_id`` in the template file at ``path``: the next
    document printing it maps by itself. The file is checked by the loader before it replaces
    the old one. Raises TemplateError (a file laid out otherwise than tabledesk writes them,
    or an alias that breaks it) or OSError."""
    target = Path(path)
    text = target.read_text(encoding="utf-8")
    lines = text.split("\n")
    table_at = _block(lines, "[[tables]]", table_id, 0, len(lines))
    if table_at is None:
        raise TemplateError(str(target), None, f"no table '{table_id}'")
    end = next((i for i in range(table_at + 1, len(lines)) if lines[i].strip() == "[[tables]]"), len(lines))
    item_at = _block(lines, f"[[tables.{kind}]]", item_id, table_at, end)
    if item_at is None:
        raise TemplateError(str(target), None, f"no {kind[:-1]} '{item_id}' in table '{table_id}'")
    item_end = next((i for i in range(item_at + 1, end) if lines[i].strip().startswith("[")), end)
    quoted = json.dumps(alias, ensure_ascii=False)
    for i in range(item_at, item_end):
        key, _, value = lines[i].partition("=")
        if key.strip() == "aliases":
            if quoted in value:
                return
            lines[i] = lines[i].rstrip().rstrip("]").rstrip() + f", {quoted}]"
            break
    else:
        label_at = next(
            (i for i in range(item_at, item_end) if lines[i].strip().startswith("label")), item_at + 1
        )
        indent = lines[label_at][: len(lines[label_at]) - len(lines[label_at].lstrip())]
        lines.insert(label_at + 1, f"{indent}aliases = [{quoted}]")
    new = "\n".join(lines)
    check = target.with_name(f".{target.stem}.check.toml")
    try:
        check.write_text(new, encoding="utf-8")
        load_template(check)
    finally:
        check.unlink(missing_ok=True)
    write_text_atomic(target, new)


def _block(lines: list[str], header: str, ident: str, start: int, end: int) -> int | None:
    """The line of the ``header`` block (``[[tables]]``, ``[[tables.rows]]`` …) whose id is
    ``ident``, between lines ``start`` and ``end``."""
    want = json.dumps(ident, ensure_ascii=False)
    for i in range(start, end):
        if lines[i].strip() != header:
            continue
        for j in range(i + 1, min(i + 4, end)):
            key, _, value = lines[j].partition("=")
            if key.strip() == "id":
                if value.strip() in (want, f"'{ident}'"):
                    return i
                break
    return None

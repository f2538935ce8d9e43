"""The user's own templates: drafted from a sample (``review/drafting.py``), saved where the
window, ``tabledesk export`` and ``tabledesk check`` all find them
(``resources.user_templates_dir``), and shared with colleagues as plain files."""

from __future__ import annotations

from pathlib import Path

from tabledesk.exports.atomic import write_text_atomic
from tabledesk.resources import user_templates_dir
from tabledesk.review.drafting import compile_draft
from tabledesk.templates.draft import TemplateDraft
from tabledesk.templates.template import load_template


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

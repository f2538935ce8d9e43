"""The templates tabledesk knows: the built-in ones and any the user adds."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from tabledesk.resources import resource_path, user_templates_dir
from tabledesk.templates.template import Template, TemplateError, load_template

# A folder of the user's own templates, added to the built-in ones (one *.toml per template).
USER_TEMPLATES_ENV = "TABLEDESK_TEMPLATES"


def template_dirs() -> list[Path]:
    """Where templates come from: the built-in folder, the user's own (drafted in the window or
    by ``tabledesk template draft``), then each entry of ``TABLEDESK_TEMPLATES`` — a folder of
    ``*.toml`` files, or one template file."""
    dirs = [resource_path("templates"), user_templates_dir()]
    extra = os.environ.get(USER_TEMPLATES_ENV)
    if extra:
        dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    return dirs


def add_template_path(path: str | Path) -> None:
    """Use the template file (or folder) at ``path`` too, in this process and the worker
    processes it starts (they inherit the environment)."""
    entries = [p for p in os.environ.get(USER_TEMPLATES_ENV, "").split(os.pathsep) if p]
    entry = str(Path(path).resolve())
    if entry not in entries:
        os.environ[USER_TEMPLATES_ENV] = os.pathsep.join([entry, *entries])


@cache
def _load_dir(folder: str, mtime: float = 0.0) -> tuple[tuple[Template, ...], tuple[str, ...]]:
    templates: list[Template] = []
    problems: list[str] = []
    where = Path(folder)
    for path in [where] if where.is_file() else sorted(where.glob("*.toml")):
        try:
            templates.append(load_template(path))
        except TemplateError as e:
            problems.append(str(e))
    return tuple(templates), tuple(problems)


def load_templates() -> tuple[list[Template], list[str]]:
    """Every usable template, and one line per template file that could not be loaded."""
    templates: dict[str, Template] = {}
    problems: list[str] = []
    for d in template_dirs():
        if not d.exists():
            continue
        # read again when it changes: a template saved into the folder (an atomic rename
        # touches the folder) or a single template file edited
        found, bad = _load_dir(str(d), d.stat().st_mtime)
        problems.extend(bad)
        for t in found:
            templates.setdefault(t.id, t)
    return list(templates.values()), problems


def template_by_id(template_id: str) -> Template | None:
    """The usable template with this id (built-in or the user's), or None."""
    templates, _ = load_templates()
    return next((t for t in templates if t.id == template_id), None)


def builtin_template(template_id: str = "gov-disclosure-annual") -> Template:
    """A template that ships with tabledesk; KeyError if it is missing (a broken install)."""
    template = template_by_id(template_id)
    if template is None:
        raise KeyError(template_id)
    return template

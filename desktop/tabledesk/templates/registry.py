"""The templates tabledesk knows: the built-in ones and any the user adds."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from tabledesk.resources import resource_path
from tabledesk.templates.template import Template, TemplateError, load_template

# A folder of the user's own templates, added to the built-in ones (one *.toml per template).
USER_TEMPLATES_ENV = "TABLEDESK_TEMPLATES"


def template_dirs() -> list[Path]:
    dirs = [resource_path("templates")]
    extra = os.environ.get(USER_TEMPLATES_ENV)
    if extra:
        dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    return dirs


@cache
def _load_dir(folder: str) -> tuple[tuple[Template, ...], tuple[str, ...]]:
    templates: list[Template] = []
    problems: list[str] = []
    for path in sorted(Path(folder).glob("*.toml")):
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
        if not d.is_dir():
            continue
        found, bad = _load_dir(str(d))
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

"""Help → About: tabledesk's version and the licences of the components it bundles.

Everything comes from package metadata (importlib.metadata), the same in a source checkout and
in the frozen build, whose spec copies the metadata of tabledesk and of its requirements: the
list is tabledesk's requirements, walked recursively, plus the OCR engine when it is installed.
Nothing here is hard-coded per package, so the list stays true when a dependency changes.
"""

from __future__ import annotations

import html
import platform
import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from importlib.metadata import version as dist_version

from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tabledesk.resources import resource_path

# The OCR engine is an optional extra whose wheel is installed without its dependency list (it
# names opencv-python, the headless build is used instead), so its parts are named here.
OCR_DISTRIBUTIONS = ("rapidocr-onnxruntime", "onnxruntime", "opencv-python-headless")
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    version: str
    licence: str


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _licence(metadata: object) -> str:
    """The shortest honest licence name: the SPDX expression, else a one-line License field,
    else the licence classifiers."""
    get = getattr(metadata, "get", None)
    get_all = getattr(metadata, "get_all", None)
    expression = (get("License-Expression") if get else None) or ""
    if expression.strip():
        return expression.strip()
    text = ((get("License") if get else None) or "").strip()
    if text and "\n" not in text and len(text) <= 80:
        return text
    classifiers = (get_all("Classifier") if get_all else None) or []
    named = [
        c.rsplit("::", 1)[-1].strip()
        for c in classifiers
        if c.startswith("License ::") and c.count("::") >= 2
    ]
    named = [n for n in named if n != "OSI Approved"]
    if named:
        return ", ".join(dict.fromkeys(named))
    return "see the package's licence file"


def _runtime_requirements(requires: list[str] | None) -> list[str]:
    """Names of the requirements that apply without extras (``; extra == ...`` are optional)."""
    names = []
    for line in requires or []:
        requirement, _, marker = line.partition(";")
        if "extra" in marker:
            continue
        match = _REQUIREMENT_NAME.match(requirement)
        if match:
            names.append(match.group(1))
    return names


def bundled_components(
    root: str = "tabledesk", extra: tuple[str, ...] = OCR_DISTRIBUTIONS
) -> list[Component]:
    """``root`` and every installed distribution it requires (recursively), plus ``extra``
    where installed; sorted by name, ``root`` first. Missing distributions are left out: in a
    frozen build, what was not bundled has no metadata."""
    found: dict[str, Component] = {}
    pending = [root, *extra]
    while pending:
        name = pending.pop()
        key = _normalise(name)
        if key in found:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        found[key] = Component(dist.metadata["Name"] or name, dist.version, _licence(dist.metadata))
        pending.extend(_runtime_requirements(dist.requires))
    first = found.pop(_normalise(root), None)
    rest = sorted(found.values(), key=lambda c: c.name.lower())
    return ([first] if first else []) + rest


def runtime_components() -> list[Component]:
    """What is bundled but is no Python distribution: the interpreter and the Qt libraries."""
    return [
        Component("Python", platform.python_version(), "PSF-2.0"),
        Component("Qt", qVersion(), "LGPL-3.0-only"),
    ]


def app_version() -> str:
    try:
        return dist_version("tabledesk")
    except PackageNotFoundError:
        from tabledesk import __version__

        return __version__


def components_html(components: list[Component]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(c.name)}</td><td>{html.escape(c.version)}</td><td>{html.escape(c.licence)}</td></tr>"
        for c in components
    )
    header = "".join(
        f"<th align='left'>{html.escape(h)}</th>"
        for h in (
            QCoreApplication.translate("About", "Component"),
            QCoreApplication.translate("About", "Version"),
            QCoreApplication.translate("About", "Licence"),
        )
    )
    return f"<table cellspacing='0' cellpadding='3'><tr>{header}</tr>{rows}</table>"


class AboutDialog(QDialog):
    """The About box: icon, version, one line on what tabledesk does, the components table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("About", "About tabledesk"))
        icon = QLabel()
        pixmap = QPixmap(str(resource_path("icons", "tabledesk-64.png")))
        if not pixmap.isNull():
            icon.setPixmap(pixmap)
        self.heading = QLabel(
            "<h3>"
            + html.escape(
                QCoreApplication.translate("About", "tabledesk {version}").format(version=app_version())
            )
            + "</h3><p>"
            + html.escape(
                QCoreApplication.translate("About", "Turns report PDFs into clean, balanced spreadsheets.")
            )
            + "</p><p>"
            + html.escape(
                QCoreApplication.translate(
                    "About",
                    "tabledesk is free software under the MIT licence. It includes the components "
                    "below, each under its own licence; their licence texts are in the "
                    "installation folder.",
                )
            )
            + "</p>"
        )
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.heading, 1)
        self.components = bundled_components() + runtime_components()
        self.table = QTextBrowser()
        self.table.setOpenLinks(False)
        self.table.setHtml(components_html(self.components))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)


def show_about(parent: QWidget | None = None) -> None:
    AboutDialog(parent).exec()

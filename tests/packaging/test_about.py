"""Help → About: version and bundled components' licences, from package metadata."""

from __future__ import annotations

from email.message import Message
from importlib.metadata import version

import pytest
from PySide6.QtCore import QLocale

from tabledesk.ui.i18n import install_translator, installed_translators
from tabledesk.ui.window.about import AboutDialog, _licence, bundled_components, runtime_components


def _metadata(**fields: str | list[str]) -> Message:
    message = Message()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            message[key.replace("_", "-")] = item
    return message


def test_components_are_tabledesk_and_its_requirements_from_metadata() -> None:
    components = bundled_components()
    by_name = {c.name.lower().replace("_", "-"): c for c in components}
    assert components[0].name == "tabledesk"
    assert components[0].version == version("tabledesk")
    for required in ("pyside6-essentials", "shiboken6", "pdfplumber", "pdfminer.six", "pypdfium2", "pandas",
                     "numpy", "openpyxl"):  # fmt: skip
        assert required in by_name, required
        assert by_name[required].version == version(required)
    assert "LGPL-3.0" in by_name["pyside6-essentials"].licence
    assert by_name["pandas"].licence == "BSD-3-Clause"
    assert not {"pytest", "ruff", "pyinstaller", "reportlab"} & set(by_name), "dev tools are not bundled"


def test_missing_distributions_are_left_out() -> None:
    names = [c.name for c in bundled_components("tabledesk", extra=("no-such-distribution-xyz",))]
    assert "no-such-distribution-xyz" not in names


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"License_Expression": "MIT OR Apache-2.0", "License": "long text"}, "MIT OR Apache-2.0"),
        ({"License": "BSD-3-Clause"}, "BSD-3-Clause"),
        (
            {
                "License": "Copyright ...\n\nPermission is hereby granted",
                "Classifier": ["License :: OSI Approved :: MIT License", "Programming Language :: Python"],
            },
            "MIT License",
        ),
        ({"Classifier": ["License :: OSI Approved"]}, "see the package's licence file"),
    ],
)
def test_licence_is_the_shortest_honest_name(fields: dict, expected: str) -> None:
    assert _licence(_metadata(**fields)) == expected


def test_the_dialog_shows_version_and_licences_in_chinese(qtbot, qapp) -> None:
    locale = QLocale()
    install_translator(qapp, "zh_CN")
    try:
        dialog = AboutDialog()
        qtbot.addWidget(dialog)
        text = dialog.table.toPlainText()
        assert "组件" in text and "许可证" in text  # the translated column headers
        assert version("tabledesk") in dialog.heading.text()
        assert "关于" in dialog.windowTitle()
        for component in [*bundled_components(), *runtime_components()]:
            assert component.name in text
        assert "Qt" in text and "Python" in text
    finally:  # leave the application as it was: no translators, the old default locale
        for translator in installed_translators():
            qapp.removeTranslator(translator)
        QLocale.setDefault(locale)

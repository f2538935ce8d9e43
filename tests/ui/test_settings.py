"""Settings wrapper and UI language: round trips, pruning, and isolation from the real profile."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication

from tabledesk.resources import resource_path
from tabledesk.ui.i18n import install_translator
from tabledesk.ui.settings import MAX_RECENT_FILES, Language, Settings


def test_settings_round_trip_in_a_fresh_object(tmp_path, isolated_profile):
    files = []
    for n in range(12):
        path = tmp_path / f"报告{n}.pdf"
        path.write_bytes(b"%PDF")
        files.append(path)
    s = Settings()
    assert s.language is Language.ZH_CN  # the default
    assert s.zoom is None  # fit width
    s.language = Language.EN
    s.zoom = 1.75
    for path in files:
        s.add_recent_file(path)
    s.add_recent_file(files[5])  # reopened: moves to the front
    s.set_splitter_sizes("main", [300, 700])
    s.set_splitter_sizes("single", [500])  # a one-element list survives INI
    s.window_geometry = QByteArray(b"\x01\x02geometry")
    s.sync()

    again = Settings()
    assert again.language is Language.EN
    assert again.zoom == 1.75
    recent = again.recent_files
    assert len(recent) == MAX_RECENT_FILES
    assert recent[0] == files[5].resolve()
    assert recent[1] == files[11].resolve()
    assert again.splitter_sizes("main") == [300, 700]
    assert again.splitter_sizes("single") == [500]
    assert again.splitter_sizes("missing") is None
    assert again.window_geometry == QByteArray(b"\x01\x02geometry")
    assert again.window_state is None

    # Everything went to the test's folder, nothing to the real profile.
    assert Path(again.file_name).is_relative_to(isolated_profile)
    assert Path(again.file_name).is_file()
    written = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith(".pdf")]
    assert written and all(p.is_relative_to(isolated_profile) for p in written)


def test_missing_recent_files_are_pruned_on_read(tmp_path):
    kept, gone = tmp_path / "kept.pdf", tmp_path / "gone.pdf"
    kept.write_bytes(b"%PDF")
    gone.write_bytes(b"%PDF")
    s = Settings()
    s.add_recent_file(kept)
    s.add_recent_file(gone)
    gone.unlink()
    assert s.recent_files == [kept.resolve()]
    gone.write_bytes(b"%PDF")  # pruned for good, not just hidden
    assert Settings().recent_files == [kept.resolve()]


def test_bad_stored_values_fall_back_to_defaults():
    s = Settings()
    s._s.setValue("ui/language", "klingon")
    s._s.setValue("page_view/zoom", "wide")
    s._s.setValue("files/recent", "[not json")
    s._s.setValue("splitters/main", "[1, -4]")
    assert s.language is Language.ZH_CN
    assert s.zoom is None
    assert s.recent_files == []
    assert s.splitter_sizes("main") is None


def test_chinese_is_installed_by_default_and_english_on_request(qapp):
    assert install_translator(qapp, Language.ZH_CN) is Language.ZH_CN
    assert QCoreApplication.translate("PageView", "Page %1") == "第 %1 页"
    assert install_translator(qapp, "en") is Language.EN
    assert QCoreApplication.translate("PageView", "Page %1") == "Page %1"
    install_translator(qapp, Language.ZH_CN)
    assert QCoreApplication.translate("PageView", "Page %1") == "第 %1 页"
    install_translator(qapp, Language.EN)


def test_every_ui_string_has_a_chinese_translation():
    """A string added to ui/ without running scripts/update_translations.sh (or without a
    translation) fails here rather than showing English to Chinese users."""
    import ast
    import xml.etree.ElementTree as ET

    ui = Path(__file__).resolve().parents[2] / "desktop" / "tabledesk" / "ui"
    sources = set()
    for f in ui.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "translate"
                and len(node.args) >= 2
                and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])
            ):
                sources.add((node.args[0].value, node.args[1].value))
    ts = ET.parse(resource_path("translations", "tabledesk_zh_CN.ts"))
    done = {
        (ctx.findtext("name"), m.findtext("source"))
        for ctx in ts.getroot().iter("context")
        for m in ctx.iter("message")
        if m.find("translation") is not None
        and m.find("translation").get("type") is None
        and (m.findtext("translation") or "").strip()
    }
    assert sources
    missing = sorted(sources - done)
    assert not missing, f"no finished Chinese translation for: {missing[:5]}"
    assert resource_path("translations", "tabledesk_zh_CN.qm").is_file()

"""UI test set-up: offscreen Qt, an isolated profile per test, and generated PDFs.

The platform must be chosen before anything imports Qt, hence the environment line first.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import importlib.util  # noqa: E402
import select  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
if importlib.util.find_spec("tabledesk") is None:  # not pip-installed: run from the source tree
    sys.path.insert(0, str(REPO / "desktop"))

from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point QSettings, QStandardPaths and the XDG folders at ``tmp_path`` so that no test reads
    or writes the real user's profile. Returns the settings folder."""
    for variable, folder in (
        ("HOME", "home"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        (tmp_path / folder).mkdir(exist_ok=True)
        monkeypatch.setenv(variable, str(tmp_path / folder))
    QStandardPaths.setTestModeEnabled(True)
    settings_dir = tmp_path / "settings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, str(settings_dir / scope.name))
    return settings_dir


# --- generated PDFs ---------------------------------------------------------------------------

PORTRAIT = (595.2756, 841.8898)  # A4 in points
LANDSCAPE = (PORTRAIT[1], PORTRAIT[0])


@dataclass(frozen=True, slots=True)
class SamplePdf:
    """A generated report-like PDF: page sizes in points and known words to aim at."""

    path: Path
    page_sizes: list[tuple[float, float]]
    # page -> (word, (x, baseline_from_top)) of the marker word drawn on that page
    markers: dict[int, tuple[str, tuple[float, float]]]
    title: str


def _register_cjk() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def make_sample_pdf(path: Path, pages: int = 6, landscape_page: int | None = 3) -> SamplePdf:
    """Pages with a Chinese heading, a small ruled table with numbers and a marker word at a
    different place on each page; one landscape page so page widths differ."""
    from reportlab.pdfgen import canvas

    cjk = _register_cjk()
    title = "政府信息公开工作年度报告"
    c = canvas.Canvas(str(path), invariant=1)
    sizes: list[tuple[float, float]] = []
    markers: dict[int, tuple[str, tuple[float, float]]] = {}
    for number in range(1, pages + 1):
        width, height = LANDSCAPE if number == landscape_page else PORTRAIT
        c.setPageSize((width, height))
        sizes.append((width, height))
        c.setFont(cjk, 20)
        c.drawString(72, height - 90, f"{title}（第{number}页）")
        c.setFont(cjk, 11)
        for row in range(4):
            y = height - 160 - row * 24
            for col in range(4):
                x = 72 + col * 110
                c.rect(x, y - 6, 110, 24)
                text = ["申请人情况", "自然人", "商业企业", "总计"][col] if row == 0 else str(row * 10 + col)
                c.drawString(x + 6, y + 2, text)
        word = f"MARKER{number}"
        x, baseline = 100.0 + 30 * number, 400.0 + 25 * number
        c.setFont("Helvetica", 14)
        c.drawString(x, height - baseline, word)
        markers[number] = (word, (x, baseline))
        c.showPage()
    c.save()
    return SamplePdf(path, sizes, markers, title)


def make_image_only_pdf(path: Path) -> Path:
    """A two-page 'scan': every page is one picture of text, with no text layer at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=PORTRAIT, invariant=1)
    for number in range(2):
        image = Image.new("RGB", (600, 850), "white")
        draw = ImageDraw.Draw(image)
        for row in range(12):
            draw.rectangle((60, 80 + row * 50, 540, 110 + row * 50), outline="black", width=2)
        draw.text((70, 40), f"scanned page {number + 1}", fill="black")
        c.drawImage(ImageReader(image), 0, 0, width=PORTRAIT[0], height=PORTRAIT[1])
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> SamplePdf:
    return make_sample_pdf(tmp_path_factory.mktemp("pdf") / "sample.pdf")


@pytest.fixture(scope="session")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> SamplePdf:
    return make_sample_pdf(tmp_path_factory.mktemp("pdf") / "long.pdf", pages=40, landscape_page=None)


@pytest.fixture(scope="session")
def image_only_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_image_only_pdf(tmp_path_factory.mktemp("pdf") / "scan.pdf")


@pytest.fixture(scope="session")
def hongze_2023_pdf() -> Path:
    """A real report from the shared corpus (skips when ../shared/corpus is absent)."""
    path = CORPUS / "hongze-district-2023.pdf"
    if not path.is_file():
        pytest.skip("../shared/corpus not present")
    return path


# --- a real X server for the tests that need one -------------------------------------------


@pytest.fixture
def xvfb_display():
    """Start Xvfb (1024×768) on a display number it picks itself, yield ":N", stop it."""
    yield from run_xvfb("1024x768")


@pytest.fixture
def xvfb_screen(request):  # noqa: ANN001, ANN201
    """Xvfb with the screen size given by indirect parametrisation ("1366x768"); yields ":N"."""
    yield from run_xvfb(request.param)


def run_xvfb(size: str):  # noqa: ANN201
    """Start Xvfb on a display number it picks itself (-displayfd), yield ":N", stop it."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb; scripts/setup.sh does it)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_fd)
    try:
        ready, _, _ = select.select([read_fd], [], [], 15)
        number = os.read(read_fd, 16).decode().strip() if ready else ""
        if not number:
            server.kill()
            pytest.fail(f"Xvfb did not start: {server.communicate(timeout=5)[1].decode(errors='replace')}")
        yield f":{number}"
    finally:
        os.close(read_fd)
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# --- the review window, closed our way ---------------------------------------------------------


@pytest.fixture
def window(qtbot):  # noqa: ANN001, ANN201
    """A shown MainWindow. Not qtbot.addWidget: its teardown would close the window before
    ours marks the edits saved, and the close would then wait on the "save corrections?"
    question."""
    from tabledesk.ui.window.main_window import MainWindow

    w = MainWindow()
    w.show()
    yield w
    close_window(w)


def close_window(w) -> None:  # noqa: ANN001
    """Close a test's window without a question: open message boxes shut, edits marked saved."""
    from PySide6.QtWidgets import QMessageBox

    for box in w.findChildren(QMessageBox):
        box.close()
    if w.controller is not None:
        w.controller.undo_stack.setClean()
    w.close()
    w.deleteLater()


def on_next_dialog(action) -> None:  # noqa: ANN001 - Callable[[QWidget], None]
    """Run ``action`` on the next modal dialog once it shows: exec() blocks the caller."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, poll)
        else:
            action(dialog)

    QTimer.singleShot(0, poll)


def open_report(qtbot, window, path: Path) -> None:  # noqa: ANN001
    """Open a report in the window and wait until its review is shown."""
    with qtbot.waitSignal(window.review_opened, timeout=60000):
        window.open_path(path)


def type_into(qtbot, grid, index, text: str) -> None:
    """Select a cell and type over it, as a clerk does: the first key opens the editor."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView, QLineEdit

    grid.setCurrentIndex(index)
    qtbot.keyClick(grid, text[0])
    editors = [w for w in grid.findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.state() != QAbstractItemView.State.EditingState)
    qtbot.wait(1)  # let the closed editor go, as the event loop does between a clerk's keys

"""Smoke checks and figures for a built tabledesk folder (used by build.py and the CI test).

    python packaging/smoke.py dist/tabledesk
    python packaging/smoke.py --no-window "%LOCALAPPDATA%\\Programs\\tabledesk"   (an installed app)

Runs the built executable as a user would, never the source tree: ``export`` on the bundled
sample report (the JSON must hold the sample's tables), ``check`` with two worker processes (the
spawn pool must start in a frozen build), and the window under Xvfb on Linux, timed from launch
to the first mapped top-level window and then kept open for a few seconds. Every run gets its
own empty HOME/XDG/APPDATA folders, so the build never reads a real profile and proves that it
writes only to the per-user data folder. Prints one line per figure and exits non-zero on a
failure.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

SAMPLE = Path("resources") / "samples" / "sample-report-2023.pdf"  # inside the build's _internal


class SmokeError(Exception):
    pass


@dataclass
class SmokeReport:
    folder: str
    size_bytes: int
    export_seconds: float = 0.0
    export_tables: int = 0
    check_seconds: float = 0.0
    window_seconds: list[float] = field(default_factory=list)  # launch -> first window, per run
    window_cold: bool = False  # the first run started after the page cache was dropped
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def executable(folder: Path, cli: bool = True) -> Path:
    if sys.platform == "win32":
        return folder / ("tabledesk-cli.exe" if cli else "tabledesk.exe")
    return folder / "tabledesk"


def bundled_sample(folder: Path) -> Path:
    for base in (folder / "_internal", folder):
        if (base / SAMPLE).is_file():
            return base / SAMPLE
    raise SmokeError(f"the sample report is not bundled: no {SAMPLE} in {folder}")


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment minus anything pointing at the developer's profile or source tree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "XDG_", "QT_"))}
    for name in ("config", "data", "cache", "state", "appdata", "localappdata"):
        (home / name).mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        APPDATA=str(home / "appdata"),
        LOCALAPPDATA=str(home / "localappdata"),
        # the checks read the command's English output, whatever the runner's locale
        TABLEDESK_LANG="en",
    )
    env.update(extra)
    return env


def run_export(folder: Path, work: Path, report: SmokeReport) -> None:
    out = work / "sample.json"
    started = time.perf_counter()
    proc = subprocess.run(
        [str(executable(folder)), "export", str(bundled_sample(folder)), "-o", str(out)],
        env=isolated_env(work / "home-export", QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
    )
    report.export_seconds = round(time.perf_counter() - started, 2)
    if proc.returncode != 0 or not out.is_file():
        raise SmokeError(f"export failed ({proc.returncode}): {proc.stderr[-2000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    tables = data.get("tables") or []
    found = [
        t
        for t in tables
        if t.get("found") and any(v is not None for row in t.get("values") or [] for v in row)
    ]
    if data.get("template", {}).get("id") != "gov-disclosure-annual" or not found:
        raise SmokeError(f"export of the sample found no template or no values: {str(data)[:500]}")
    report.export_tables = len(found)
    run_export_gbk(folder, work, out, report)


def run_usage(folder: Path, work: Path, report: SmokeReport) -> None:
    """The command line's traps: a mistyped command is a usage error (exit 2, one line), never
    the window; a wildcard is expanded by tabledesk itself (a Windows shell passes it through);
    '-o -' writes the JSON to standard output."""
    env = isolated_env(work / "home-usage", QT_QPA_PLATFORM="offscreen")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(executable(folder)), *args],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=120,
        )

    proc = run("exprot", "x.pdf", "-o", "y.json")
    if proc.returncode != 2 or "unknown command" not in proc.stderr:
        raise SmokeError(
            f"a mistyped command was not a usage error ({proc.returncode}): {proc.stderr[-500:]}"
        )
    pattern = str(bundled_sample(folder).parent / "sample-report-*.pdf")
    proc = run("export", pattern, "-o", "-", "-q")
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        data = {}
    if proc.returncode != 0 or not data.get("tables"):
        raise SmokeError(f"export of a wildcard to stdout failed ({proc.returncode}): {proc.stderr[-1000:]}")
    report.notes.append("usage: unknown command exit 2; wildcard expanded; -o - gives JSON")


def gbk_locale(work: Path) -> dict[str, str] | None:
    """A zh_CN.GBK locale (what a Chinese Windows PC's code page is) compiled with glibc's
    localedef into ``work``; None where that is not possible."""
    localedef = shutil.which("localedef")
    if localedef is None or not Path("/usr/share/i18n/locales/zh_CN").is_file():
        return None
    folder = work / "locales"
    folder.mkdir(exist_ok=True)
    subprocess.run([localedef, "-i", "zh_CN", "-f", "GBK", str(folder / "zh_CN.GBK")], capture_output=True)
    if not (folder / "zh_CN.GBK").exists():
        return None
    return {"LOCPATH": str(folder), "LC_ALL": "zh_CN.GBK", "LANG": "zh_CN.GBK"}


def run_export_gbk(folder: Path, work: Path, expected: Path, report: SmokeReport) -> None:
    """The same export under a GBK locale gives the same bytes, and the console output is UTF-8
    (the spec turns on Python's UTF-8 mode)."""
    locale_env = gbk_locale(work)
    if locale_env is None:
        report.notes.append("GBK-locale export skipped: cannot compile a zh_CN.GBK locale here")
        return
    out = work / "sample-gbk.json"
    proc = subprocess.run(
        [str(executable(folder)), "export", str(bundled_sample(folder)), "-o", str(out)],
        env=isolated_env(work / "home-gbk", QT_QPA_PLATFORM="offscreen", **locale_env),
        capture_output=True,
        timeout=120,
    )
    if proc.returncode != 0 or not out.is_file():
        raise SmokeError(f"export under a GBK locale failed ({proc.returncode}): {proc.stderr[-2000:]!r}")
    if out.read_bytes() != expected.read_bytes():
        raise SmokeError("the export differs under a GBK locale")
    try:
        (proc.stdout + proc.stderr).decode("utf-8")
    except UnicodeDecodeError as e:
        raise SmokeError(f"console output under a GBK locale is not UTF-8 (UTF-8 mode off?): {e}") from e
    report.notes.append("export under a zh_CN.GBK locale: identical, console output UTF-8")


def run_check(folder: Path, work: Path, report: SmokeReport) -> None:
    """Two spawned workers: fails when the frozen entry point cannot start pool processes."""
    inputs = work / "inputs"
    inputs.mkdir(exist_ok=True)
    for copy in ("a.pdf", "b.pdf"):
        shutil.copyfile(bundled_sample(folder), inputs / copy)
    out = work / "dataset.csv"
    started = time.perf_counter()
    proc = subprocess.run(
        [str(executable(folder)), "check", str(inputs), "-j", "2", "--out", str(out)],
        env=isolated_env(work / "home-check", QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=180,
    )
    report.check_seconds = round(time.perf_counter() - started, 2)
    # Exit 1 means "some document has failing checks" (the sample has one on purpose).
    if proc.returncode not in (0, 1) or not out.is_file():
        raise SmokeError(f"check with 2 processes failed ({proc.returncode}): {proc.stderr[-2000:]}")
    if "2 documents" not in proc.stdout + proc.stderr:
        raise SmokeError(f"check did not read both documents: {proc.stdout[-1000:]} {proc.stderr[-1000:]}")


# --- the window, under Xvfb (Linux) ------------------------------------------------------------


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    """Start Xvfb on a display number it picks itself; yield ":N"."""
    if shutil.which("Xvfb") is None:
        raise SmokeError("Xvfb is not installed (apt-get install xvfb; scripts/setup.sh does it)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        ready, _, _ = select.select([read_fd], [], [], 15)
        number = os.read(read_fd, 16).decode("ascii").strip() if ready else ""
        if not number:
            raise SmokeError("Xvfb did not start")
        yield f":{number}"
    finally:
        os.close(read_fd)
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class _WindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int), ("height", ctypes.c_int),
        ("border_width", ctypes.c_int), ("depth", ctypes.c_int), ("visual", ctypes.c_void_p),
        ("root", ctypes.c_ulong), ("class_", ctypes.c_int), ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int), ("backing_store", ctypes.c_int),
        ("backing_planes", ctypes.c_ulong), ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int), ("colormap", ctypes.c_ulong), ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int), ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long), ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p),
    ]  # fmt: skip


class X11Probe:
    """Asks the X server (through libX11, which Qt's xcb platform needs anyway) whether a big
    top-level window is viewable: no xdotool/xwininfo needed on the build machine."""

    IS_VIEWABLE = 2

    def __init__(self, display: str) -> None:
        name = ctypes.util.find_library("X11") or "libX11.so.6"
        x = ctypes.CDLL(name)
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XQueryTree.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)), ctypes.POINTER(ctypes.c_uint),
        ]  # fmt: skip
        x.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_WindowAttributes)]
        x.XFree.argtypes = [ctypes.c_void_p]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._x = x
        self._display = x.XOpenDisplay(display.encode("ascii"))
        if not self._display:
            raise SmokeError(f"cannot open X display {display}")
        self._root = x.XDefaultRootWindow(self._display)

    def main_window_shown(self, min_side: int = 300) -> bool:
        x = self._x
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        children = ctypes.POINTER(ctypes.c_ulong)()
        count = ctypes.c_uint()
        if not x.XQueryTree(self._display, self._root, ctypes.byref(root), ctypes.byref(parent),
                            ctypes.byref(children), ctypes.byref(count)):  # fmt: skip
            return False
        try:
            for i in range(count.value):
                attributes = _WindowAttributes()
                if x.XGetWindowAttributes(self._display, children[i], ctypes.byref(attributes)) and (
                    attributes.map_state == self.IS_VIEWABLE
                    and attributes.width >= min_side
                    and attributes.height >= min_side
                ):
                    return True
            return False
        finally:
            if children:
                x.XFree(children)

    def close(self) -> None:
        self._x.XCloseDisplay(self._display)


def drop_page_cache() -> bool:
    """A true cold start reads the build from disk; only root on Linux may ask for that."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n", encoding="ascii")
        return True
    except OSError:
        return False


def time_first_window(folder: Path, display: str, home: Path, hold: float, timeout: float = 60.0) -> float:
    """Launch the window on the bundled sample; seconds until it is viewable. It must then stay
    up for ``hold`` seconds (a crash right after showing is a failure too)."""
    probe = X11Probe(display)
    env = isolated_env(home, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env.pop("WAYLAND_DISPLAY", None)
    log = home / "window.log"
    with log.open("w", encoding="utf-8") as sink:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [str(executable(folder, cli=False)), str(bundled_sample(folder))],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            shown_after = None
            while time.perf_counter() - started < timeout:
                if probe.main_window_shown():
                    shown_after = time.perf_counter() - started
                    break
                if proc.poll() is not None:
                    break
                time.sleep(0.02)
            if shown_after is None:
                raise SmokeError(
                    f"no window within {timeout:.0f} s (exit code {proc.poll()}): "
                    f"{log.read_text(encoding='utf-8', errors='replace')[-2000:]}"
                )
            time.sleep(hold)
            if proc.poll() is not None:
                raise SmokeError(
                    f"the window closed by itself (exit code {proc.returncode}): "
                    f"{log.read_text(encoding='utf-8', errors='replace')[-2000:]}"
                )
            return shown_after
        finally:
            probe.close()
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def run_window(folder: Path, work: Path, report: SmokeReport, runs: int = 3, hold: float = 3.0) -> None:
    if not sys.platform.startswith("linux"):
        report.notes.append("window check skipped: Xvfb timing is Linux-only")
        return
    before = _snapshot(folder)
    report.window_cold = drop_page_cache()
    with xvfb() as display:
        for run in range(runs):
            home = work / f"home-window-{run}"
            seconds = time_first_window(folder, display, home, hold=hold if run == 0 else 0.5)
            report.window_seconds.append(round(seconds, 2))
    # Settings, autosave and recovery belong in the per-user folders, never the program folder
    # (read-only for users on a managed Windows PC).
    changed = sorted(set(_snapshot(folder).items()) - set(before.items()))
    if changed:
        raise SmokeError(f"the app wrote into its program folder: {[name for name, _ in changed[:5]]}")


def _snapshot(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*") if p.is_file()}


def smoke(folder: Path, window: bool = True, runs: int = 3) -> SmokeReport:
    folder = folder.resolve()
    if not executable(folder).is_file():
        raise SmokeError(f"no executable in {folder}")
    report = SmokeReport(folder=str(folder), size_bytes=folder_size(folder))
    with tempfile.TemporaryDirectory(prefix="tabledesk-smoke-") as tmp:
        work = Path(tmp)
        if window:  # first, so the cold start is really the first start
            run_window(folder, work, report, runs=runs)
        run_export(folder, work, report)
        run_usage(folder, work, report)
        run_check(folder, work, report)
        if any(folder.rglob("rapidocr_onnxruntime")):
            run_ocr_export(folder, work, report)
    return report


def scanned_sample(folder: Path, dest: Path) -> Path:
    """The bundled sample as an image-only PDF (150 dpi greyscale pages), made with the build
    environment's pypdfium2 and Pillow, which tabledesk requires anyway."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(bundled_sample(folder)))
    try:
        pages = [pdf[i].render(scale=150 / 72).to_pil().convert("L") for i in range(len(pdf))]
    finally:
        pdf.close()
    pages[0].save(dest, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    return dest


def run_ocr_export(folder: Path, work: Path, report: SmokeReport) -> None:
    """The OCR variant: its models are bundled, and a scan of the sample exports through the
    frozen OCR engine and reads values; anything else (a missing engine, "OCR needed", a crash)
    fails."""
    models = sorted(p.name for p in folder.rglob("*.onnx"))
    if len(models) < 2:  # detection and recognition at least
        raise SmokeError(f"the OCR variant lacks its models: {models}")
    report.notes.append(f"OCR models bundled: {', '.join(models)}")
    scan = scanned_sample(folder, work / "scan.pdf")
    out = work / "scan.json"
    started = time.perf_counter()
    proc = subprocess.run(
        [str(executable(folder)), "export", str(scan), "-o", str(out)],
        env=isolated_env(work / "home-ocr", QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=300,
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0 or not out.is_file():
        raise SmokeError(f"OCR export failed ({proc.returncode}): {proc.stderr[-2000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    values = sum(
        v is not None for t in data.get("tables") or [] for row in t.get("values") or [] for v in row
    )
    if not values:
        raise SmokeError("OCR export of the scanned sample read no values")
    report.notes.append(f"OCR export of the scanned sample: {values} values in {seconds:.1f} s")


def describe(report: SmokeReport) -> str:
    lines = [
        f"folder:        {report.folder}",
        f"size:          {report.size_bytes / 2**20:.0f} MiB",
        f"export sample: {report.export_seconds:.1f} s, {report.export_tables} tables",
        f"check -j 2:    {report.check_seconds:.1f} s",
    ]
    if report.window_seconds:
        first, *rest = report.window_seconds
        kind = "cold start" if report.window_cold else "first start (page cache not dropped: not root)"
        lines.append(f"first window:  {first:.2f} s ({kind})")
        if rest:
            lines.append(f"warm starts:   {', '.join(f'{s:.2f}' for s in rest)} s")
    lines += [f"note:          {n}" for n in report.notes]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Smoke-test a built or installed tabledesk folder.")
    parser.add_argument("folder", type=Path, help="dist/tabledesk, or where the installer put it")
    parser.add_argument(
        "--no-window", action="store_true", help="skip the window check (it needs Xvfb: Linux only)"
    )
    args = parser.parse_args(argv)
    window = not args.no_window and sys.platform.startswith("linux")
    try:
        report = smoke(args.folder, window=window)
    except SmokeError as e:
        print(f"smoke: FAILED: {e}", file=sys.stderr)
        return 1
    print(describe(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

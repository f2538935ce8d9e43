"""No module reads or writes text in the locale's encoding.

On a Chinese Windows PC the locale encoding is GBK (cp936), not UTF-8: a text ``open()`` without
``encoding=`` reads a UTF-8 template as mojibake there, or fails outright. ruff's PLW1514
(selected in pyproject.toml) covers ``desktop tests benchmarks``; this AST check covers every
Python file the project ships or runs, scripts/ and packaging/ included, and also catches
``subprocess`` calls that decode output with the locale (``text=True`` without ``encoding=``).
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tabledesk.cli import main as cli_main

REPO = Path(__file__).resolve().parents[2]
CHECKED = ("desktop", "tests", "benchmarks", "scripts", "packaging")
MODE_CHARS = set("rwxabt+U")
TEMPFILE_TEXT = {"NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"}
SUBPROCESS_TEXT = {"run", "Popen", "check_output", "call", "check_call"}


def python_files() -> list[Path]:
    files: list[Path] = []
    for folder in CHECKED:
        files += (REPO / folder).rglob("*.py")
    files += (REPO / "packaging").glob("*.spec")
    return sorted(p for p in files if ".venv" not in p.parts and "build" not in p.relative_to(REPO).parts[:1])


def _keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in call.keywords if k.arg is not None}


def _has_double_star(call: ast.Call) -> bool:
    return any(k.arg is None for k in call.keywords)


def _literal_mode(node: ast.expr | None) -> str | None:
    """The mode string when it is a literal that looks like a mode, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and set(node.value) <= MODE_CHARS:
        return node.value
    return None


def unspecified_encodings(
    source: str, filename: str = "<string>", subprocesses: bool = True
) -> list[tuple[int, str]]:
    """(line, what) for each call that opens text without an explicit encoding; with
    ``subprocesses``, also subprocess calls that decode a child's output with the locale."""
    problems: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or _has_double_star(node):
            continue
        kw = _keywords(node)
        if "encoding" in kw:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        if name == "open" and (isinstance(func, ast.Name) or owner in {"io", "codecs"}):
            # builtin open(file, mode="r", buffering, encoding, ...): text unless the mode has "b"
            mode_node = node.args[1] if len(node.args) > 1 else kw.get("mode")
            mode = "r" if mode_node is None else _literal_mode(mode_node)
            if len(node.args) >= 4:  # encoding given positionally
                continue
            if mode is not None and "b" not in mode:
                problems.append((node.lineno, f"{owner + '.' if owner else ''}open() without encoding="))
        elif name == "open" and isinstance(func, ast.Attribute):
            # Path.open(mode="r", buffering, encoding): flagged where a text mode is spelt out.
            # A bare .open() is left to ruff, which knows the receiver's type (QMessageBox.open(),
            # QFile.open(flags) and ZipFile.open(name) are no text files).
            mode = _literal_mode(node.args[0] if node.args else kw.get("mode"))
            if mode is not None and "b" not in mode and len(node.args) < 3:
                problems.append((node.lineno, ".open() without encoding="))
        elif name in {"read_text", "write_text"} and isinstance(func, ast.Attribute):
            positional_encoding = len(node.args) >= (2 if name == "write_text" else 1)
            if not positional_encoding:
                problems.append((node.lineno, f".{name}() without encoding="))
        elif name in TEMPFILE_TEXT:
            mode = _literal_mode(node.args[0] if node.args else kw.get("mode"))
            if mode is not None and "b" not in mode:
                problems.append((node.lineno, f"{name}() in text mode without encoding="))
        elif name == "TextIOWrapper":
            if len(node.args) < 2:
                problems.append((node.lineno, "TextIOWrapper() without encoding="))
        elif subprocesses and name in SUBPROCESS_TEXT and owner == "subprocess":
            for flag in ("text", "universal_newlines"):
                value = kw.get(flag)
                if isinstance(value, ast.Constant) and value.value is True:
                    problems.append((node.lineno, f"subprocess.{name}({flag}=True) without encoding="))
    return sorted(problems)


def test_every_text_open_names_its_encoding() -> None:
    found = []
    for path in python_files():
        # A child's output read in the locale's encoding matters in what ships, not in tests.
        shipped = path.is_relative_to(REPO / "desktop")
        for line, what in unspecified_encodings(
            path.read_text(encoding="utf-8"), str(path), subprocesses=shipped
        ):
            found.append(f"{path.relative_to(REPO)}:{line}: {what}")
    assert found == [], "text opened in the locale's encoding:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "open('a.txt')",
        "open(p, 'w')",
        "open(p, mode='a')",
        "io.open(p)",
        "Path(p).open('r')",
        "path.open('w')",
        "path.read_text()",
        "path.write_text(s)",
        "tempfile.NamedTemporaryFile('w')",
        "io.TextIOWrapper(buffer)",
        "subprocess.run(['x'], text=True)",
        "subprocess.check_output(['x'], universal_newlines=True)",
    ],
)
def test_the_check_finds_a_missing_encoding(source: str) -> None:
    assert unspecified_encodings(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "open('a.txt', encoding='utf-8')",
        "open(p, 'rb')",
        "open(p, mode='wb')",
        "path.open('rb')",
        "path.open('w', encoding='utf-8')",
        "path.read_text(encoding='utf-8')",
        "path.read_text('utf-8')",
        "path.write_text(s, encoding='utf-8')",
        "path.read_bytes()",
        "buffer.open(QIODevice.OpenModeFlag.WriteOnly)",
        "box.open()",
        "zipfile.open('word/document.xml')",
        "Image.open(path)",
        "tempfile.NamedTemporaryFile()",
        "tempfile.NamedTemporaryFile('w', encoding='utf-8')",
        "subprocess.run(['x'], text=True, encoding='utf-8')",
        "subprocess.run(['x'], capture_output=True)",
        "open(p, **options)",
    ],
)
def test_the_check_accepts_explicit_or_binary(source: str) -> None:
    assert unspecified_encodings(source) == []


def test_ruff_unspecified_encoding_rule_passes_on_scripts_and_packaging() -> None:
    ruff = shutil.which("ruff") or str(REPO / ".venv" / "bin" / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    proc = subprocess.run(
        [ruff, "check", "--preview", "--select", "PLW1514", "--no-cache", "scripts", "packaging"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- the real thing: the command line under a Chinese Windows-like GBK locale ------------------


@pytest.fixture(scope="module")
def gbk_locale(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment variables for a zh_CN.GBK locale, compiled into a temporary folder (glibc's
    localedef; the Debian image has the locale sources but no compiled non-UTF-8 locale)."""
    localedef = shutil.which("localedef")
    if localedef is None or not Path("/usr/share/i18n/locales/zh_CN").is_file():
        pytest.skip("localedef or the zh_CN locale source is missing: cannot make a GBK locale")
    folder = tmp_path_factory.mktemp("locales")
    proc = subprocess.run(
        [localedef, "-i", "zh_CN", "-f", "GBK", str(folder / "zh_CN.GBK")], capture_output=True, timeout=60
    )
    if proc.returncode not in (0, 1) or not (folder / "zh_CN.GBK").exists():  # 1: warnings only
        pytest.skip(f"localedef could not make zh_CN.GBK: {proc.stderr[-500:]!r}")
    return {"LOCPATH": str(folder), "LC_ALL": "zh_CN.GBK", "LANG": "zh_CN.GBK", "PYTHONUTF8": "0"}


def _export(sample: Path, out: Path, extra_env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHON"))}
    # this tree's tabledesk, not whichever the interpreter has installed (a worktree sharing a
    # virtual environment would otherwise compare two programs); no effect on encodings
    env["PYTHONPATH"] = str(REPO / "desktop")
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "tabledesk", "export", str(sample), "-o", str(out)],
        env=env,
        capture_output=True,
        timeout=120,
    )


def test_exports_are_the_same_under_a_gbk_locale(gbk_locale: dict[str, str], tmp_path: Path) -> None:
    sample = REPO / "resources" / "samples" / "sample-report-2023.txt"  # a text report: its reader decodes
    check = subprocess.run(
        [sys.executable, "-c", "import locale; print(locale.getpreferredencoding(False))"],
        env={**os.environ, **gbk_locale},
        capture_output=True,
        timeout=30,
    )
    assert check.stdout.strip().upper() == b"GBK", "the GBK locale did not take effect"
    for suffix in (".json", ".csv"):
        expected, got = tmp_path / f"expected{suffix}", tmp_path / f"gbk{suffix}"
        assert cli_main(["export", str(sample), "-o", str(expected)]) in (0, 1)  # here: UTF-8
        proc = _export(sample, got, gbk_locale)
        assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")[-2000:]
        assert got.read_bytes() == expected.read_bytes(), f"{suffix} differs under a GBK locale"
    assert "申请".encode() in got.read_bytes()  # the CSV holds the Chinese labels, as UTF-8

"""The command line as a new user meets it: a mistyped command is a usage error, no display is
one line and exit 2 (not Qt's abort), wildcards expanded by tabledesk, -v/-q anywhere, '-o -'
for JSON on stdout, export --strict, and Chinese messages under a Chinese locale."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

from tabledesk.batch.lang import detect_lang, problem_text
from tabledesk.cli import _parser, display_problem, expand_globs, main, wants_window
from tests.conftest import REPO
from tests.fixtures.report_spec import inject_error, random_spec
from tests.fixtures.text_report import write_text


@pytest.fixture(autouse=True)
def english(monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "TABLEDESK_LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """reports/a.txt (balanced), reports/b.txt (one digit changed: a failing check)."""
    d = tmp_path_factory.mktemp("cli") / "reports"
    d.mkdir()
    write_text(random_spec(random.Random(1), "2021"), d / "a.txt")
    bad = random_spec(random.Random(2), "2021")
    inject_error(bad, random.Random(3))
    write_text(bad, d / "b.txt")
    return d


def _run(args, env_extra=None, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update({"PYTHONPATH": str(REPO / "desktop"), **(env_extra or {})})
    return subprocess.run(
        [sys.executable, "-m", "tabledesk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        cwd=REPO,
    )


def test_unknown_first_word_is_a_usage_error_not_the_window(capsys):
    assert not wants_window(["exprot", "x.pdf", "-o", "y.json"])
    assert wants_window([]) and wants_window(["report.pdf"]) and wants_window(["saved.tdreview"])
    assert main(["exprot", "x.pdf", "-o", "y.json"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "tabledesk: unknown command 'exprot' (choose from export, check, template); did you mean 'export'?"
    )


def test_unknown_command_in_chinese_under_a_chinese_locale(monkeypatch, capsys):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["chek", "reports"]) == 2
    assert (
        capsys.readouterr().err.strip()
        == "tabledesk：未知命令“chek”（可用命令：export, check, template），是不是“check”？"
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("args", [[], ["report.pdf"]], ids=["no-args", "file"])
def test_no_display_says_so_in_one_line_and_exits_2(args, lang):
    """Was: Qt aborted with exit 134 and a message about the xcb plugin."""
    env = {"LANG": "zh_CN.UTF-8" if lang == "zh" else "C.UTF-8"}
    proc = _run(args, env, drop=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "LC_ALL", "LANGUAGE"))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and proc.stdout == ""
    assert ("没有图形显示" if lang == "zh" else "no display") in lines[0]


def test_display_problem_only_where_qt_would_need_a_display():
    assert display_problem("en", {}, "linux") is not None
    assert display_problem("en", {"DISPLAY": ":0"}, "linux") is None
    assert display_problem("en", {"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem("en", {"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem("en", {"QT_QPA_PLATFORM": "xcb"}, "linux") is not None
    assert display_problem("en", {}, "win32") is None


def test_globs_are_expanded_by_tabledesk(reports, tmp_path, capsys):
    """As a Windows shell passes them: the pattern itself reaches tabledesk."""
    pattern = str(reports / "*.txt")
    assert expand_globs([pattern]) == [str(reports / "a.txt"), str(reports / "b.txt")]
    assert expand_globs([str(reports.parent / "**" / "a.txt")]) == [str(reports / "a.txt")]
    out = tmp_path / "dataset.csv"
    assert main(["check", pattern, "--out", str(out), "-j", "1", "-q"]) == 1  # b.txt fails
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 3
    assert main(["export", str(reports / "a.*"), "-o", str(tmp_path / "a.json")]) == 0
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["document"]["year"]


def test_a_pattern_matching_nothing_or_many_for_export_is_one_line_exit_2(reports, tmp_path, capsys):
    assert main(["check", str(reports / "*.pdf")]) == 2
    assert capsys.readouterr().err.strip() == f"{reports / '*.pdf'}: no files match"
    assert main(["export", str(reports / "*.txt"), "-o", str(tmp_path / "x.json")]) == 2
    assert "matches 2 files" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_json_to_stdout_with_dash(reports, capsys):
    assert main(["export", str(reports / "a.txt"), "-o", "-"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["schema"] == "tabledesk-export/2" and data["tables"]


@pytest.mark.parametrize(
    "args",
    [["-v", "check", "{r}", "-j", "1"], ["check", "{r}", "-j", "1", "-v"], ["check", "-v", "{r}", "-j", "1"]],
    ids=["before", "after", "between"],
)
def test_verbose_before_and_after_the_subcommand(reports, args):
    argv = [a.format(r=reports / "a.txt") for a in args]
    assert _parser().parse_args(argv).verbose is True
    assert main(argv) == 0
    quiet = [a for a in argv if a != "-v"]
    assert _parser().parse_args(quiet).verbose is False
    assert _parser().parse_args(["-q", *quiet]).quiet is True and _parser().parse_args([*quiet, "-q"]).quiet


def test_quiet_prints_only_errors(reports, capsys):
    assert main(["-q", "check", str(reports / "a.txt"), "-j", "1"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    assert main(["export", str(reports / "b.txt"), "-o", "-", "-q"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) and err == ""  # no suggestion lines
    assert main(["check", str(reports / "a.txt"), "-j", "1"]) == 0
    assert "1 documents" in capsys.readouterr().out


def test_export_strict_exits_1_when_checks_fail(reports, tmp_path, capsys):
    out = tmp_path / "b.xlsx"
    assert main(["export", str(reports / "b.txt"), "-o", str(out)]) == 0
    assert main(["export", str(reports / "b.txt"), "-o", str(out), "--strict"]) == 1
    assert "failed or could not be decided (--strict)" in capsys.readouterr().err
    assert out.is_file()  # the export is still written
    assert main(["export", str(reports / "a.txt"), "-o", str(tmp_path / "a.xlsx"), "--strict"]) == 0


def test_messages_in_chinese_under_zh_cn(reports, tmp_path):
    env = {"LANG": "zh_CN.UTF-8"}
    drop = ("LC_ALL", "LANGUAGE", "TABLEDESK_LANG")
    proc = _run(["export", str(reports / "missing.pdf"), "-o", str(tmp_path / "x.json")], env, drop)
    assert proc.returncode == 2 and proc.stderr.strip() == f"{reports / 'missing.pdf'}：找不到文件"
    proc = _run(["export", str(reports / "b.txt"), "-o", str(tmp_path / "b.json"), "--strict"], env, drop)
    assert proc.returncode == 1
    assert "建议更正：" in proc.stderr or "无简单更正：" in proc.stderr
    assert "项校验未通过或无法判断（--strict）" in proc.stderr
    proc = _run(["check", str(reports / "*.txt"), "-j", "1"], env, drop)
    assert proc.returncode == 1
    assert "份文件，用时" in proc.stdout and "校验未通过：" in proc.stdout
    proc = _run(["check", str(reports / "*.pdf")], env, drop)
    assert proc.returncode == 2 and proc.stderr.strip() == f"{reports / '*.pdf'}：没有匹配的文件"


def test_detect_lang():
    assert detect_lang({"LANG": "zh_CN.UTF-8"}, "linux") == "zh"
    assert detect_lang({"LANG": "zh_CN.GBK"}, "linux") == "zh"
    assert detect_lang({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "linux") == "zh"  # as gettext
    assert detect_lang({"LANG": "C.UTF-8"}, "linux") == "en"
    assert detect_lang({"LANG": "zh_CN.UTF-8", "TABLEDESK_LANG": "en"}, "linux") == "en"


def test_lock_errors_read_in_chinese():
    assert problem_text(
        "cannot write: the file is open in another program (close it there and try again)", "zh"
    ) == ("无法写入：文件正被其他程序打开（请先在那里关闭再试）")

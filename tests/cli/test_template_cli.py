"""Teaching tabledesk a new form from one sample on the command line: ``template draft`` writes
a template from a sample, ``template check`` validates it and runs its rules on more samples,
and ``export``/``check --template FILE`` use it — a second and third document of the same form
map completely, with the drafted rules firing."""

from __future__ import annotations

import json
import random
from collections.abc import Callable

import pytest

from tabledesk.cli import main
from tabledesk.review.drafting import check_template_file
from tests.fixtures.unknown_forms import Form, bands, line_numbers, part_of_rows, write_html, write_pdf

SAME_FORM: dict[str, Callable[[random.Random], Form]] = {
    "bands": lambda rng: bands(rng, items_n=4),  # a statistics table, two-level header, 合计 both ways
    "part-of": part_of_rows,  # 其中 sub-rows
    "line-numbers": lambda rng: line_numbers(rng, items_n=5),  # 行次 column and 栏次 row
}
WRITE = {"pdf": write_pdf, "html": write_html}


@pytest.mark.parametrize("kind", list(WRITE))
@pytest.mark.parametrize("name", list(SAME_FORM))
def test_a_draft_from_one_sample_maps_the_next_documents_of_the_form(name, kind, tmp_path, capsys) -> None:
    make, write = SAME_FORM[name], WRITE[kind]
    docs = [write(make(random.Random(seed)), tmp_path / f"{name}-{seed}.{kind}") for seed in range(3)]
    toml = tmp_path / "form.toml"
    assert main(["template", "draft", str(docs[0]), "-o", str(toml)]) == 0
    assert f"wrote {toml}" in capsys.readouterr().out
    template, trials = check_template_file(toml, docs[1:])
    assert sum(len(t.rules) for t in template.tables) >= 1
    for trial in trials:
        assert trial.coverage >= 0.995, (trial.path.name, trial.cells_found, trial.cells_expected)
        assert not trial.failed and trial.results
    # an error in the third document is caught by the drafted rules
    bad = make(random.Random(2))
    bad.inject_error(random.Random(5))
    wrong = write(bad, tmp_path / f"{name}-bad.{kind}")
    assert main(["template", "check", str(toml), str(docs[1]), str(wrong)]) == 1
    out = capsys.readouterr().out
    assert f"{docs[1].name}: " in out and " 0 fail" in out.split(wrong.name)[0]
    assert "1 fail" in out.split(wrong.name)[1] or "2 fail" in out.split(wrong.name)[1]


def test_export_and_check_take_the_template_file(tmp_path) -> None:
    docs = [write_html(bands(random.Random(s), items_n=4), tmp_path / f"b{s}.html") for s in range(3)]
    toml = tmp_path / "form.toml"
    assert main(["template", "draft", str(docs[0]), "-o", str(toml), "--name", "人员登记统计"]) == 0
    out = tmp_path / "b1.json"
    assert main(["export", str(docs[1]), "--template", str(toml), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["template"]["id"].startswith("user.form_")
    checks = [c for t in data["tables"] for c in t["checks"]]
    assert checks and all(c["passed"] for c in checks)
    dataset = tmp_path / "ds.csv"
    assert (
        main(["check", str(docs[1]), str(docs[2]), "--template", str(toml), "--out", str(dataset), "-j", "1"])
        == 0
    )
    text = dataset.read_text(encoding="utf-8-sig")
    assert text.count("user.form_") == 2


def test_a_rule_that_fails_on_the_sample_is_left_out_of_the_draft(tmp_path, capsys) -> None:
    form = bands(random.Random(1), items_n=4)
    form.body[0][1] = str(int(form.body[0][1]) + 100)  # 男 of the first row: its band's 合计 breaks
    sample = write_pdf(form, tmp_path / "s.pdf")
    toml = tmp_path / "form.toml"
    assert main(["template", "draft", str(sample), "-o", str(toml)]) == 0
    assert "left out: they fail on the sample" in capsys.readouterr().out
    template, (trial,) = check_template_file(toml, [sample])
    assert not trial.failed  # what is left holds on the sample


def test_a_broken_template_file_is_one_line(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[template]\nid = "x"\n', encoding="utf-8")
    assert main(["template", "check", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(str(bad)) and "\n" not in err
    doc = write_html(bands(random.Random(0)), tmp_path / "d.html")
    assert main(["export", str(doc), "--template", str(bad), "-o", str(tmp_path / "x.json")]) == 2


def test_a_sample_without_tables_is_one_line(tmp_path, capsys) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("关于做好工作的通知\n\n各单位：请认真落实。\n", encoding="utf-8")
    assert main(["template", "draft", str(letter), "-o", str(tmp_path / "x.toml")]) == 2
    assert "no tables" in capsys.readouterr().err
    assert not (tmp_path / "x.toml").exists()


def test_help_lists_the_template_command(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "template" in capsys.readouterr().out

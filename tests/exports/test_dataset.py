"""The batch dataset: its columns (stable across the 2019 and 2021 formats), its rows (every
input, unreadable ones with their reason) and the files (CSV with BOM, Excel with frozen
header, filters and a column legend), written atomically."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tabledesk.core.document import SourceInfo
from tabledesk.core.source import SourceError, SourceProblem
from tabledesk.exports.dataset import (
    META,
    DocStatus,
    DocumentRecord,
    build_dataset,
    cell_columns,
    dataset_bytes,
    dataset_kind,
    write_dataset,
)
from tabledesk.mapping.mapper import blank_document
from tabledesk.review.review import Review
from tabledesk.templates.registry import builtin_template
from tests.fixtures.report_spec import inject_error, iter_cells, random_spec
from tests.fixtures.text_report import write_text

META_IDS = [m[0] for m in META]


@pytest.fixture(scope="module")
def template():
    return builtin_template()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Records of three generated text reports (2021, 2019, 2021 with an error) and one
    unreadable file, with the specs they were printed from."""
    d = tmp_path_factory.mktemp("dataset")
    specs = [random_spec(random.Random(11), "2021"), random_spec(random.Random(12), "2019")]
    bad = random_spec(random.Random(13), "2021", other_split=True)
    inject_error(bad, random.Random(14))
    specs.append(bad)
    records = []
    for i, spec in enumerate(specs):
        path = write_text(spec, d / f"r{i}.txt")
        review = Review.open(path)
        records.append(DocumentRecord.from_review(str(path), review.document, review.results))
    error = SourceError(
        str(d / "broken.pdf"), "truncated PDF: the end of the file is missing", SourceProblem.CORRUPT
    )
    records.append(DocumentRecord.from_error(str(d / "broken.pdf"), error))
    return specs, records


# --- columns -----------------------------------------------------------------------------------


def test_every_cell_of_every_format_has_one_column(template) -> None:
    cols = cell_columns(template)
    ids = [c.id for c in cols]
    assert len(ids) == len(set(ids))
    assert len({c.zh for c in cols}) == len(cols) and len({c.en for c in cols}) == len(cols)
    src = SourceInfo("x", "pdf", "", 1)
    for fmt in ("2019", "2021"):
        # both ways of printing 2021's （六）其他处理: one row, or three sub-rows
        for printed in (None, {"t3": {"results.other.overdue_correction", "results.other.other"}}):
            doc = blank_document(template, fmt, src, printed)
            keys = {f"{t}.{r}.{c}" for (t, r, c) in doc.values()}
            assert keys <= set(ids), sorted(keys - set(ids))[:5]


def test_same_meaning_same_column_across_formats(template) -> None:
    cols = {c.id: c for c in cell_columns(template)}
    assert cols["t3.new.natural"].formats == ("2021", "2019")
    assert cols["t2.item5.licensing.decisions"].formats == ("2021", "2019")  # 本年处理决定数量 / 处理决定数量
    assert cols["t2.item1.normative.issued"].formats == ("2021",)
    assert cols["t2.item1.normative.made"].formats == ("2019",)
    assert cols["t2.item9.procurement.amount"].formats == ("2019",)
    assert cols["t3.results.other.natural"].formats == ("2021", "2019")
    # labels: table name, row path, column path (the current format's wording)
    assert cols["t3.new.natural"].zh == "表三/一、本年新收政府信息公开申请数量/申请人情况/自然人"
    assert cols["t2.item1.normative.issued"].zh == "表二（一）/行政规范性文件/本年制发件数"
    assert cols["t4.all.review.upheld"].en == "Table 4/Cases/Administrative review/Upheld"
    assert "t3.results.natural" not in cols  # 三、本年度办理结果 is only a heading


def test_columns_follow_the_template_order(template) -> None:
    ids = [c.id for c in cell_columns(template)]
    assert (
        ids.index("t2.item1.rules.issued") < ids.index("t3.new.natural") < ids.index("t4.all.review.upheld")
    )
    assert ids.index("t3.new.natural") < ids.index("t3.new.total") < ids.index("t3.carried.natural")


# --- rows --------------------------------------------------------------------------------------


def test_one_row_per_record_with_its_facts(reports) -> None:
    specs, records = reports
    df = build_dataset(records).frame
    assert list(df.columns[: len(META_IDS)]) == META_IDS
    assert len(df) == 4
    assert list(df["status"]) == ["passed", "passed", "failed", "unreadable"]
    assert list(df["format"]) == ["2021", "2019", "2021", ""]
    assert list(df["year"].astype("object").where(df["year"].notna(), None)) == [
        specs[0].year,
        specs[1].year,
        specs[2].year,
        None,
    ]
    assert df["agency"][0] == specs[0].agency
    assert df["failed_checks"][2] >= 1 and df["failed_checks"][0] == 0
    assert df["reason"][3] == "truncated PDF: the end of the file is missing"
    assert df["file"][3].endswith("broken.pdf")
    assert pd.isna(df["failed_checks"][3]) and pd.isna(df["t3.new.natural"][3])


def test_cell_values_are_the_printed_numbers(reports) -> None:
    specs, records = reports
    df = build_dataset(records).frame
    for i in range(3):
        for c in iter_cells(specs[i]):
            assert df[f"{c.table}.{c.row}.{c.col}"][i] == float(c.value), (i, c)  # amounts as floats
    # a cell of the other format only is empty
    assert pd.isna(df["t2.item1.normative.made"][0]) and pd.isna(df["t2.item1.normative.issued"][1])
    assert df["t2.item8.fees.amount"].dtype == "Float64"
    assert df["t3.new.natural"].dtype == "Int64"


def test_a_printed_subtotal_row_gets_its_column(reports, template) -> None:
    _, records = reports
    rec = records[0]
    extra = dataclasses.replace(rec, values={**rec.values, "t3.results.denied.natural": Decimal(7)})
    df = build_dataset([extra, records[3]]).frame
    cols = list(df.columns)
    assert df["t3.results.denied.natural"][0] == 7
    assert (
        cols.index("t3.results.partial.total")
        < cols.index("t3.results.denied.natural")
        < cols.index("t3.results.denied.secret.natural")
    )


def test_label_headers_are_unique(reports) -> None:
    _, records = reports
    for header in ("zh", "en"):
        ds = build_dataset(records, header=header)
        assert ds.frame.columns.is_unique
        assert "表三/一、本年新收政府信息公开申请数量/申请人情况/自然人" in ds.frame.columns or header == "en"
    with pytest.raises(ValueError):
        build_dataset(records, header="fr")


def test_no_records_still_has_every_column() -> None:
    df = build_dataset([]).frame
    assert len(df) == 0 and "t3.new.natural" in df.columns


# --- files -------------------------------------------------------------------------------------


def test_csv_has_a_bom_and_reads_back(reports, tmp_path) -> None:
    _, records = reports
    ds = build_dataset(records)
    path = tmp_path / "d.csv"
    write_dataset(ds, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(ds.frame.columns)
    assert back["t3.new.natural"][0] == str(ds.frame["t3.new.natural"][0])
    assert back["t3.new.natural"][3] == ""  # missing is empty, not "nan" or "<NA>"
    assert back["agency"][0] == records[0].agency


def test_xlsx_has_frozen_header_filters_and_a_legend(reports, tmp_path) -> None:
    _, records = reports
    odd = DocumentRecord('=HYPERLINK("http://x")', DocStatus.UNREADABLE, "not a PDF file", "corrupt")
    ds = build_dataset([*records, odd])
    path = tmp_path / "d.xlsx"
    write_dataset(ds, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["dataset"]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == ws.dimensions
    header = [c.value for c in ws[1]]
    assert header == list(ds.frame.columns)
    col = header.index("t3.new.natural") + 1
    assert ws.cell(2, col).value == int(ds.frame["t3.new.natural"][0])
    assert isinstance(ws.cell(2, col).value, int)
    assert ws.cell(5, col).value is None
    assert ws.cell(6, 1).data_type == "s"  # text from a file is never a formula
    legend = {r[0]: r[1:] for r in wb["columns"].iter_rows(min_row=2, values_only=True)}
    assert legend["t3.new.natural"][0] == "表三/一、本年新收政府信息公开申请数量/申请人情况/自然人"
    assert legend["t2.item1.normative.made"][2] == "2019"


def test_unsupported_type_is_refused() -> None:
    assert dataset_kind("a.CSV") == "csv" and dataset_kind("x/b.xlsx") == "xlsx"
    with pytest.raises(ValueError, match="use .csv or .xlsx"):
        dataset_kind("a.ods")


def test_a_failed_write_keeps_the_old_file(reports, tmp_path, monkeypatch) -> None:
    _, records = reports
    path = tmp_path / "d.csv"
    path.write_text("old", encoding="utf-8")
    ds = build_dataset(records)

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tabledesk.exports.atomic.os.fsync", full_disk)
    with pytest.raises(OSError):
        write_dataset(ds, path)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv"]
    assert dataset_bytes(ds, "csv").startswith("\ufeff".encode())


def test_records_are_small_when_pickled(reports) -> None:
    import pickle

    _, records = reports
    assert len(pickle.dumps(records[0])) < 20_000
    assert pickle.loads(pickle.dumps(records[2])) == records[2]


def test_status_from_the_checks(reports) -> None:
    _, records = reports
    assert records[2].status is DocStatus.FAILED and records[2].failed_errors >= 1
    assert records[3].status is DocStatus.UNREADABLE and not records[3].status.read
    src = Path("nothing.txt")
    rec = DocumentRecord.from_error(str(src), SourceError(str(src), "no table", SourceProblem.NO_TEMPLATE))
    assert rec.status is DocStatus.NO_TEMPLATE and rec.problem == "no_template"


def test_agency_key_is_the_cross_year_matching_beside_the_printed_name(reports) -> None:
    from tabledesk.checks.across import agency_key

    _, records = reports
    odd = dataclasses.replace(records[0], agency="淮安市 洪泽区人民政府（本级）")
    df = build_dataset([*records, odd]).frame
    assert list(df.columns[df.columns.get_loc("agency") : df.columns.get_loc("agency") + 2]) == [
        "agency",
        "agency_key",
    ]
    assert list(df["agency_key"]) == [agency_key(r.agency) for r in [*records, odd]]
    assert df["agency_key"].iloc[-1] == "淮安市洪泽区人民政府本级"


def test_failing_rule_ids_per_row(reports) -> None:
    _, records = reports
    df = build_dataset(records).frame
    failing = records[2]
    assert failing.status is DocStatus.FAILED and failing.failed_rules
    assert df["failed_rules"].iloc[2] == " ".join(failing.failed_rules)
    assert all(r.startswith(("t2", "t3", "t4", "narrative", "across")) for r in failing.failed_rules)
    assert df["failed_rules"].iloc[0] == "" and df["failed_rules"].iloc[3] == ""  # passed, unreadable
    assert len(failing.failed_rules) == len(set(failing.failed_rules))


def test_header_zh_translates_every_header_and_value(reports, template) -> None:
    _, records = reports
    df = build_dataset(records, header="zh").frame
    assert all(not any(ch.isascii() and ch.isalpha() for ch in c) for c in df.columns if "/" not in c)
    assert list(df["状态"]) == ["通过", "通过", "未通过", "无法读取"]
    assert set(df["模板"]) == {template.name["zh"], ""}
    assert set(df["格式"]) - {""} == {template.format("2021").name["zh"], template.format("2019").name["zh"]}
    assert df["原因"].iloc[3].startswith("文件已损坏")
    for col in ("状态", "模板", "格式"):
        for v in df[col]:
            assert "failed" not in v and "gov-disclosure-annual" not in v and "passed" not in v
    en = build_dataset(records, header="en").frame
    assert list(en["Status"]) == ["passed", "passed", "failed", "unreadable"]
    assert set(en["Template"]) - {""} == {template.name.get("en") or template.name["zh"]}


def test_both_report_families_in_one_dataset(reports, tmp_path) -> None:
    """A 部门决算 beside the disclosure reports: its cells under its template's prefix, one column
    per code any document prints (labelled with the code and, for a 类, its name), in code order."""
    from tests.fixtures.final_accounts.generate import generate
    from tests.fixtures.final_accounts.html import write_html

    _, records = reports
    spec = generate(4)
    review = Review.open(write_html(spec, tmp_path / "fa.html"))
    fa = DocumentRecord.from_review("fa.html", review.document, review.results)
    assert fa.template_id == "dept-final-accounts" and fa.status.value == "passed"
    ds = build_dataset([*records, fa], header="id")
    df = ds.frame
    codes = [r.code for r in spec.rows["fa3"] if r.code]
    first = f"dept-final-accounts:fa3.c{codes[0]}.total"
    assert first in df.columns
    assert df[first].iloc[-1] == pytest.approx(float(spec.values["fa3"][f"c{codes[0]}"]["total"]))
    assert df[first].iloc[: len(records)].isna().all()  # a disclosure report has no such cell
    fa3 = [c for c in df.columns if c.startswith("dept-final-accounts:fa3.c") and c.endswith(".total")]
    assert fa3 == sorted(fa3, key=lambda c: c.split(".")[1].ljust(8, "0"))
    zh = {c.id: c.zh for c in ds.columns}
    assert zh[first].startswith(f"表三/{codes[0]} ")  # the code and the 类's name

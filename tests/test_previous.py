"""Rectification from year to year: ``flowgraph ledger --previous`` with last year's
ledger as an office fills it in (notes in 整改情况, rows sorted, a column of its own,
a row deleted), and what is carried forward."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from flowgraph.cli import main

# Two power items of one unit. The fee reduction one clerk decides alone (problems on
# 决定减免); the licence is sound but for one review (a risk point with no problem).
FEE = """\
flowgraph: 1
title: 行政事业性收费减免
unit: 市住房和城乡建设局
actors:
  clerk: {name: 收费员, rank: staff, reports_to: chief}
  chief: {name: 收费科科长, rank: section, reports_to: head}
  head:  {name: 局长, rank: principal}
steps:
  apply:  {kind: start, label: 申请减免}
  check:  {kind: review, label: 核对材料, actor: chief, discretion: low}
  decide: {kind: decision, label: 决定减免, actor: clerk, discretion: high}
  done:   {kind: end, label: 办结}
flow:
  - [apply, check]
  - [check, decide]
  - [decide, done]
"""
# This year the reduction is decided by the section chief after the clerk's proposal
# and published: 决定减免 (clerk) is gone, 审核减免 is new and sound.
FEE_FIXED = """\
flowgraph: 1
title: 行政事业性收费减免
unit: 市住房和城乡建设局
actors:
  clerk: {name: 收费员, rank: staff, reports_to: chief}
  chief: {name: 收费科科长, rank: section, reports_to: head}
  head:  {name: 局长, rank: principal}
  board: {name: 局长办公会议, rank: principal, collective: 5}
steps:
  apply:   {kind: start, label: 申请减免}
  check:   {kind: review, label: 核对材料, actor: chief, discretion: low}
  propose: {kind: task, label: 提出减免意见, actor: clerk, discretion: high,
            controls: [裁量基准]}
  meet:    {kind: decision, label: 集体研究决定减免, actor: board}
  publish: {kind: disclosure, label: 减免结果公示, actor: clerk}
  done:    {kind: end, label: 办结}
flow:
  - [apply, check]
  - [check, propose]
  - [propose, meet]
  - [meet, publish]
  - [publish, done]
"""
PERMIT = """\
flowgraph: 1
title: 户外广告设施设置许可
unit: 市住房和城乡建设局
actors:
  window: {name: 窗口受理员, rank: staff, reports_to: chief}
  chief:  {name: 审批科科长, rank: section, reports_to: head}
  head:   {name: 局长, rank: principal}
steps:
  apply:  {kind: start, label: 提出申请}
  accept: {kind: task, label: 受理, actor: window, discretion: low}
  decide: {kind: decision, label: 作出许可决定, actor: chief, discretion: medium}
  done:   {kind: end, label: 办结}
flow:
  - [apply, accept]
  - [accept, decide]
  - [decide, done]
"""
CAR = PERMIT.replace("户外广告设施设置许可", "公务用车使用审批")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _write(folder: Path, charts: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in charts.items():
        (folder / name).write_text(text, "utf-8")
    return folder


def _rows(path: Path, sheet: str) -> list[dict]:
    rows = list(load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _office_fills_in(path: Path) -> None:
    """What an office does to its ledger in a year, with Excel (openpyxl here): notes in
    整改情况, a column of its own, the rows sorted the other way, one row deleted."""
    book = load_workbook(path)
    sheet = book["风险点台账"]
    head = [cell.value for cell in sheet[1]]
    col = {name: head.index(name) + 1 for name in head}
    notes = {"决定减免": "已责令整改，限期30日", "核对材料": "张三已签订承诺书",
             "作出许可决定": "已建立复核制度"}
    remark = sheet.max_column + 1
    sheet.cell(row=1, column=remark, value="备注")
    rows = []
    for number in range(2, sheet.max_row + 1):
        values = [sheet.cell(row=number, column=c).value for c in range(1, remark + 1)]
        label = values[col["环节"] - 1]
        if label == "受理" and "广告" in values[col["权力事项"] - 1]:
            continue  # the office deleted this row
        values[col["整改情况"] - 1] = notes.get(label)
        if label == "决定减免":
            values[remark - 1] = "请法规科跟进"
        rows.append(values)
    sheet.delete_rows(2, sheet.max_row)
    for number, values in enumerate(reversed(rows), start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    book.save(path)


@pytest.fixture
def years(tmp_path: Path) -> Path:
    last = _write(tmp_path / "2025", {"fee.yaml": FEE, "permit.yaml": PERMIT, "car.yaml": CAR})
    assert run("ledger", last, "-o", tmp_path / "2025.xlsx", "--lang", "zh").exit_code == 0
    _office_fills_in(tmp_path / "2025.xlsx")
    _write(tmp_path / "2026", {"fee.yaml": FEE_FIXED, "permit.yaml": PERMIT})
    return tmp_path


def test_last_years_ledger_is_carried_forward(years):
    result = run("ledger", years / "2026", "--previous", years / "2025.xlsx", "--as-of",
                 "2026-03-31", "-o", years / "2026.xlsx", "--lang", "zh")
    assert result.exit_code == 0, result.output
    rows = {(row["权力事项"], row["环节"]): row for row in _rows(years / "2026.xlsx", "风险点台账")}
    head = list(next(iter(rows.values())))
    assert head[-2:] == ["上年记录", "备注"]
    fee, permit = "行政事业性收费减免", "户外广告设施设置许可"
    # the office's words are kept under last year, with what became of them
    # a problem last year (FG201) and none this year: rectified
    assert rows[(fee, "核对材料")]["整改情况"] == "已整改\n2025年：张三已签订承诺书（已消除）"
    assert rows[(permit, "作出许可决定")]["整改情况"] == "未整改\n2025年：已建立复核制度（仍存在）"
    # a row the office deleted comes back as new; so does a step new this year
    assert rows[(permit, "受理")]["整改情况"] == "新发现"
    assert rows[(fee, "提出减免意见")]["整改情况"] == "新发现"
    # the step gone: listed whole on 已整改事项, the office's column with it
    gone = _rows(years / "2026.xlsx", "已整改事项")
    assert [(row["环节"], row["整改情况"], row["备注"], row["本次审查"]) for row in gone] == [
        ("决定减免", "已责令整改，限期30日", "请法规科跟进", "已整改：本次审查未再发现该风险点")]
    # the power item not audited this year: nothing says it is gone
    unreviewed = _rows(years / "2026.xlsx", "未复查事项")
    assert {row["权力事项"] for row in unreviewed} == {"公务用车使用审批"}
    assert {row["本次审查"] for row in unreviewed} == {"未复查：本次审查不含该权力事项"}


def test_a_problem_fixed_on_a_risk_point_still_there_is_rectified(years, tmp_path):
    """The review stays a risk point; last year it had a problem, this year none."""
    fixed = PERMIT.replace("decide: {kind: decision, label: 作出许可决定, actor: chief, "
                           "discretion: medium}",
                           "decide: {kind: decision, label: 作出许可决定, actor: chief, "
                           "discretion: medium}\n  publish: {kind: disclosure, label: 结果公开, "
                           "actor: window}").replace("  - [decide, done]",
                                                     "  - [decide, publish]\n  - [publish, done]")
    folder = _write(tmp_path / "fixed", {"permit.yaml": fixed})
    result = run("ledger", folder, "--previous", years / "2025.xlsx", "--as-of", "2026-03-31",
                 "-o", tmp_path / "fixed.xlsx", "--lang", "zh")
    assert result.exit_code == 0, result.output
    rows = {row["环节"]: row for row in _rows(tmp_path / "fixed.xlsx", "风险点台账")}
    assert rows["作出许可决定"]["问题"] is None
    assert rows["作出许可决定"]["整改情况"] == "已整改\n2025年：已建立复核制度（已消除）"
    assert "问题：FG201" in rows["作出许可决定"]["上年记录"]


def test_history_accumulates_year_after_year(years):
    assert run("ledger", years / "2026", "--previous", years / "2025.xlsx", "--as-of",
               "2026-03-31", "-o", years / "2026.xlsx", "--lang", "zh").exit_code == 0
    assert run("ledger", years / "2026", "--previous", years / "2026.xlsx", "--as-of",
               "2027-03-31", "-o", years / "2027.xlsx", "--lang", "zh").exit_code == 0
    rows = {row["环节"]: row for row in _rows(years / "2027.xlsx", "风险点台账")}
    assert rows["作出许可决定"]["整改情况"] == \
        "未整改\n2026年：未整改（仍存在）\n2025年：已建立复核制度（仍存在）"
    assert rows["受理"]["整改情况"].splitlines()[0] != "新发现"
    assert rows["决定减免" if "决定减免" in rows else "核对材料"]["备注"] is None


def test_matching_by_fingerprint_when_the_ledger_carries_it(years, tmp_path):
    (years / "2025" / "setup.cfg").write_text(
        "[flowgraph]\nledger_columns = 单位, 权力事项, 环节, 岗位, 整改情况, 问题, 指纹\n", "utf-8")
    assert run("ledger", years / "2025", "-o", tmp_path / "fp.xlsx", "--lang", "zh") \
        .exit_code == 0
    book = load_workbook(tmp_path / "fp.xlsx")
    sheet = book["风险点台账"]
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == "作出许可决定":
            row[4].value = "已建立复核制度"
            row[2].value = "作出许可决定（已改名）"  # the office renamed it: the print holds
    book.save(tmp_path / "fp.xlsx")
    result = run("ledger", years / "2026", "--previous", tmp_path / "fp.xlsx", "--as-of",
                 "2026-03-31", "-o", tmp_path / "out.xlsx", "--lang", "zh")
    assert result.exit_code == 0, result.output
    rows = {row["环节"]: row for row in _rows(tmp_path / "out.xlsx", "风险点台账")}
    assert rows["作出许可决定"]["整改情况"] == "未整改\n2025年：已建立复核制度（仍存在）"


def test_no_names_reaches_what_is_carried(years, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("单位,岗位,姓名,任职起始日期\n市住房和城乡建设局,收费科科长,张三,2020-01-01\n",
                      "utf-8")
    result = run("ledger", years / "2026", "--previous", years / "2025.xlsx", "--roster", roster,
                 "--no-names", "--as-of", "2026-03-31", "-o", tmp_path / "n.xlsx", "--lang", "zh")
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "n.xlsx")
    texts = [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not any("张三" in text for text in texts)
    assert any("收费科科长（在岗人员）已签订承诺书" in text for text in texts)


@pytest.mark.parametrize("make, expected", [
    (lambda p: p.write_text("a,b\n1,2\n", "utf-8"),
     "no ledger headings found; expected a risk ledger as flowgraph ledger writes it, "
     "with the columns 单位/Unit, 权力事项/Power item, 环节/Step, 岗位/Post (or 指纹/Fingerprint)"),
    (lambda p: p.write_text("序号,单位,权力事项,风险等级\n1,x,y,一级\n", "utf-8"),
     "the headings on row 1 lack Step, Post; expected a risk ledger"),
    (lambda p: p.write_text('{"findings": []}', "utf-8"),
     "last year's ledger is an .xlsx or .csv file"),
])
def test_a_previous_ledger_that_is_no_ledger_is_refused(tmp_path, make, expected):
    name = "prev.json" if "xlsx or .csv file" in expected else "prev.csv"
    make(tmp_path / name)
    folder = _write(tmp_path / "charts", {"permit.yaml": PERMIT})
    result = run("ledger", folder, "--previous", tmp_path / name, "-o", tmp_path / "l.xlsx",
                 "--lang", "en")
    assert result.exit_code == 2
    assert f"{tmp_path / name}: {expected}" in result.output.replace(".csv:1:", ".csv:")
    assert not (tmp_path / "l.xlsx").exists()


def test_another_tools_workbook_names_its_sheets(tmp_path):
    from openpyxl import Workbook
    book = Workbook()
    book.active.title = "Sheet1"
    book.active.append(["项目", "金额"])
    book.save(tmp_path / "other.xlsx")
    folder = _write(tmp_path / "charts", {"permit.yaml": PERMIT})
    result = run("ledger", folder, "--previous", tmp_path / "other.xlsx", "-o",
                 tmp_path / "l.xlsx", "--lang", "zh")
    assert result.exit_code == 2
    assert f"{tmp_path / 'other.xlsx'}: 找不到台账的表头 (工作表: “Sheet1”); 应为flowgraph ledger " \
           "写出的风险点台账, 含列 单位、权力事项、环节、岗位 (或 指纹)" in result.output


def test_previous_needs_a_workbook_out(tmp_path):
    folder = _write(tmp_path / "charts", {"permit.yaml": PERMIT})
    (tmp_path / "prev.csv").write_text("x", "utf-8")
    result = run("ledger", folder, "--previous", tmp_path / "prev.csv", "-o",
                 tmp_path / "l.csv", "--lang", "en")
    assert result.exit_code == 2 and "--previous needs an .xlsx ledger" in result.output


def test_the_previous_ledger_is_never_overwritten(years):
    result = run("ledger", years / "2026", "--previous", years / "2025.xlsx", "-o",
                 years / "2025.xlsx", "--lang", "en")
    assert result.exit_code == 2


def test_rows_left_empty_without_a_problem_stay_empty(tmp_path):
    """The same charts two years running, nothing written: a problem unanswered says
    so, a sound risk point gets no history line."""
    charts = _write(tmp_path / "charts", {"fee.yaml": FEE_FIXED, "permit.yaml": PERMIT})
    assert run("ledger", charts, "-o", tmp_path / "2025.xlsx").exit_code == 0
    result = run("ledger", charts, "--previous", tmp_path / "2025.xlsx", "--as-of",
                 "2026-03-31", "-o", tmp_path / "2026.xlsx", "--lang", "zh")
    assert result.exit_code == 0, result.output
    rows = _rows(tmp_path / "2026.xlsx", "风险点台账")
    assert {(bool(row["问题"]), row["整改情况"]) for row in rows} == {
        (True, "未整改\n2025年：（未填写）（仍存在）"), (False, None)}


def test_a_ledger_whose_identifying_column_was_deleted_names_file_sheet_and_row(years):
    book = load_workbook(years / "2025.xlsx")
    sheet = book["风险点台账"]
    head = [cell.value for cell in sheet[1]]
    sheet.delete_cols(head.index("岗位") + 1)
    sheet.insert_rows(1)
    sheet["A1"] = "2025年度廉政风险点台账"  # a title row above the headings
    book.save(years / "cut.xlsx")
    result = run("ledger", years / "2026", "--previous", years / "cut.xlsx", "-o",
                 years / "out.xlsx", "--lang", "zh")
    assert result.exit_code == 2
    assert f"{years / 'cut.xlsx'}:2: 工作表 “风险点台账”: 第 2 行的表头缺少列 岗位; 应为" \
        in result.output
    assert not (years / "out.xlsx").exists()

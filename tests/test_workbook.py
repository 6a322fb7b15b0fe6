"""Workbooks for units: convert to .xlsx and back, the template, the ledger's own
columns and the Chinese words units write, bad rows named by sheet, row and column."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from flowgraph.analysis import audit
from flowgraph.cli import main
from flowgraph.errors import LoadError
from flowgraph.io import load, load_all
from flowgraph.io.tables import COLUMNS, _canonical, read_workbook
from flowgraph.io.workbook import EXAMPLE, HEADINGS, HELP, template, write
from flowgraph.io.writers import write_workbook
from flowgraph.io.yaml_format import loads
from flowgraph.model import Edge, Flowchart, Step

from .conftest import ENGLISH
from .strategies import flowcharts
from .test_formats import same

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "flowcharts").glob("*.yaml"))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env=ENGLISH)


def findings(chart):
    return sorted((f.rule, f.steps, f.waived) for f in audit(chart))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_heading_reads_back_as_its_column(lang):
    for table, columns in COLUMNS.items():
        assert list(HEADINGS[table]) == list(columns)
        for column in columns:
            assert _canonical(table, HEADINGS[table][column](lang)) == column
            assert (table, column) in HELP


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_converts_to_a_workbook_and_back(path, lang):
    chart = load(path)
    again, = read_workbook(write([chart], lang), str(path.with_suffix(".xlsx")))
    same(chart, again, ordered_edges=False)
    assert findings(again) == findings(chart)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flowcharts(), st.sampled_from(["zh", "en"]))
def test_a_workbook_keeps_every_attribute(chart, lang):
    """Each example in one language, drawn with it: the language changes only the
    headings and the words of kinds and ranks, and the samples above, in both
    languages, hold every kind and rank; both languages at every example doubled the
    cost (8 s here) and proved no more."""
    again, = read_workbook(write([chart], lang), "c.xlsx")
    same(chart, again, ordered_edges=False)


def test_a_workbook_writes_what_units_write_and_the_same_bytes():
    chart = load(ROOT / "flowcharts" / "land-transfer.yaml")
    data = write([chart], "zh")
    assert data == write([chart], "zh")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["流程", "岗位", "事项"]
    steps = book["流程"]
    headings = [cell.value for cell in steps[1]]
    assert headings[:6] == ["流程图编号", "步骤编号", "环节名称", "环节类型", "岗位", "下一步"]
    kinds = {cell.value for cell in steps["D"][1:]}
    assert kinds <= {"开始", "结束", "办理", "决定", "审核", "监督", "公开", "分支", "系统"}
    lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1
             for v in steps.data_validations.dataValidation}
    assert lists["D"] == '"开始,结束,办理,决定,审核,监督,公开,分支,系统"'
    assert lists["G"] == '"无,较小,一般,较大"'
    assert lists["M"] == '"一级,二级,三级"'
    ranks = {v.formula1 for v in book["岗位"].data_validations.dataValidation}
    assert '"科员,科级,副职,正职"' in ranks
    english = load_workbook(io.BytesIO(write([chart], "en")))
    assert english.sheetnames == ["steps", "actors", "flowcharts"]
    assert {cell.value for cell in english["steps"]["D"][1:]} <= {
        "start", "end", "task", "decision", "review", "oversight", "disclosure", "gateway",
        "system"}


def _next_cells(data: bytes) -> list:
    return [row[5] for row in load_workbook(io.BytesIO(data))["流程"].iter_rows(
        min_row=2, values_only=True)]


def test_edge_labels_are_written_plainly_where_they_read_back():
    steps = [Step("s", "start", "申请"), Step("a", "task", "受理", "p"),
             Step("b", "review", "审核", "q"), Step("e", "end", "办结")]
    chart = Flowchart("c", "许可", steps, [
        Edge("s", "a"), Edge("a", "b"), Edge("b", "a", "flow", "退回补正"), Edge("b", "e")])
    data = write([chart], "zh")
    assert _next_cells(data) == ["a", "b", "a（退回补正）; e", None]
    same(chart, read_workbook(data, "c.xlsx")[0])
    # where the bracketed form is itself a step's id, or an id holds a bracket: JSON
    odd = Flowchart("c", "许可", [*steps[:3], Step("a（x）", "task", "括号", "p"), steps[3]], [
        Edge("s", "a"), Edge("a", "b"), Edge("b", "a（x）", "flow", "y"),
        Edge("a（x）", "a", "flow", "x"), Edge("b", "e")])
    data = write([odd], "zh")
    assert _next_cells(data) == ["a", "b", '[["a（x）", "y"], "e"]', '[["a", "x"]]', None]
    same(odd, read_workbook(data, "c.xlsx")[0], ordered_edges=False)


def workbook_bytes(steps, actors=None, charts=None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in (("流程", steps), ("岗位", actors), ("事项", charts)):
        if rows is not None:
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_unit_writes_its_ledger_columns_and_chinese_words():
    """A unit's own sheet: 风险点描述, 现有防控措施, the three responsible people,
    风险等级 as words, kinds, discretion and ranks in Chinese, an edge with its
    condition in brackets."""
    data = workbook_bytes(
        [["步骤编号", "环节名称", "类型", "岗位", "下一步", "裁量权", "防控措施", "风险等级",
          "风险点描述", "风险类别", "现有防控措施", "直接责任人", "部门责任人", "责任人",
          "整改情况"],
         ["s", "申请", "开始", None, "d", None, None, None, None, None, None, None, None,
          None, None],
         ["d", "减免审批", "决定", "chief", "e; s（退回补正）", "较大", "裁量基准；集体讨论",
          "高", "对不符合条件的企业违规减免", "岗位职责风险", "一、严格执行减免标准；二、集体研究",
          "收费科科长", "收费科科长", "分管副局长", "已修订减免办法"],
         ["e", "办结", "结束", None, None, None, None, None, None, None, None, None, None,
          None, None]],
        [["岗位编号", "岗位名称", "级别"], ["chief", "收费科科长", "科级"]])
    chart, = read_workbook(data, "收费.xlsx")
    decide = chart.steps["d"]
    assert (decide.kind, decide.discretion, decide.declared_grade, decide.controls) == (
        "decision", "high", 1, ("裁量基准", "集体讨论"))
    assert decide.notes == {
        "risk_description": "对不符合条件的企业违规减免", "risk_category": "岗位职责风险",
        "measures": "一、严格执行减免标准；二、集体研究", "responsible_direct": "收费科科长",
        "responsible_department": "收费科科长", "responsible_leader": "分管副局长",
        "rectification": "已修订减免办法"}
    assert chart.actors["chief"].rank == "section"
    assert [(e.source, e.target, e.label) for e in chart.flows] == [
        ("s", "d", None), ("d", "e", None), ("d", "s", "退回补正")]


@pytest.mark.parametrize("cell, column, words", [
    ("待定", 3, "column C '类型' (kind): '待定' is not allowed; expected one of: start"),
    ("很大", 6, "column F '裁量权' (discretion): '很大' is not allowed"),
    ("四级", 7, "column G '风险等级' (declared_grade): expected 1, 2 or 3"),
])
def test_a_malformed_row_is_named_by_file_sheet_row_and_column(tmp_path, cell, column,
                                                                 words):
    row = ["d", "审批", "决定", "chief", "e", "较大", "一级"]
    row[column - 1] = cell
    path = tmp_path / "本单位.xlsx"
    path.write_bytes(workbook_bytes([
        ["步骤编号", "环节名称", "类型", "岗位", "下一步", "裁量权", "风险等级"],
        ["s", "申请", "开始", None, "d", None, None], row,
        ["e", "办结", "结束", None, None, None, None]]))
    with pytest.raises(LoadError) as caught:
        load_all(path)
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), 3,
                                                                            column)
    assert f"sheet '流程', row 3, {words}" in caught.value.describe("en")
    assert f"{path}:3:{column}:" in caught.value.describe("en")
    assert "工作表 “流程” 第 3 行" in caught.value.describe("zh")


def test_texts_that_look_like_formulas_or_nothing_come_back_as_written():
    steps = [Step("s", "start", "=1+1"), Step("d", "decision", "'=引用", "p"),
             Step("n", "task", "NA", "p", risk_description="None"),
             Step("e", "end", "-办结")]
    chart = Flowchart("c", "@事项", steps, [Edge("s", "d"), Edge("d", "n"), Edge("n", "e")],
                      unit="+单位")
    data = write([chart], "zh")
    shown = {cell.value for sheet in load_workbook(io.BytesIO(data))
             for row in sheet.iter_rows() for cell in row}
    assert {"'=1+1", "''=引用", "'-办结", "'@事项", "'+单位"} <= shown
    same(chart, read_workbook(data, "c.xlsx")[0])


def test_convert_writes_a_workbook_of_every_flowchart_and_reads_it_back(tmp_path):
    sample = ROOT / "flowcharts" / "fee-civil-air-defense.yaml"
    out = tmp_path / "chart.xlsx"
    result = run("convert", sample, "-o", out)
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["流程", "岗位", "事项"]  # Chinese by default
    same(load(sample), load(out), ordered_edges=False)
    two = tmp_path / "two.xlsx"
    two.write_bytes(write_workbook([load(sample), load(ROOT / "flowcharts" /
                                                      "land-transfer.yaml")]))
    both = tmp_path / "both.xlsx"
    assert run("convert", two, "-o", both, "--lang", "en").exit_code == 0
    assert load_workbook(both).sheetnames == ["steps", "actors", "flowcharts"]
    assert [c.id for c in load_all(both)] == ["fee-civil-air-defense", "land-transfer"]
    one = tmp_path / "one.xlsx"
    assert run("convert", two, "-o", one, "--flowchart", "land-transfer").exit_code == 0
    assert [c.id for c in load_all(one)] == ["land-transfer"]


# -- the template ---------------------------------------------------------------------


def test_the_template_reads_as_its_worked_example_with_one_instructive_finding(tmp_path):
    path = tmp_path / "模板.xlsx"
    result = run("template", "-o", path)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == template("zh")
    book = load_workbook(path)
    assert book.sheetnames == ["填写说明", "流程", "岗位", "事项"]
    chart, = load_all(path)
    example = loads(EXAMPLE, "example.yaml")
    assert list(chart.steps.values()) == list(example.steps.values())
    assert [(f.rule, f.steps) for f in audit(chart)] == [("FG201", ("决定",))]
    # the posts are shared by every flowchart the unit adds
    assert {row[0] for row in book["岗位"].iter_rows(min_row=2, values_only=True)} == {None}
    instructions = "\n".join(str(c.value) for row in book["填写说明"].iter_rows()
                             for c in row if c.value)
    for heading in HEADINGS["steps"].values():
        assert heading.zh in instructions
    assert "开始、结束、办理、决定、审核、监督、公开、分支、系统" in instructions
    assert "无、较小、一般、较大" in instructions and "科员、科级、副职、正职" in instructions
    assert "裁量基准、集体决策" in instructions
    # the other words units write are listed, and the drop-down lists only warn about
    # them (Excel would otherwise refuse 受理 in a cell the reader takes)
    assert "（也可写：起始、起点、办结、终止、终点、受理、" in instructions
    assert "科室负责人" in instructions
    assert {v.errorStyle for v in book["流程"].data_validations.dataValidation} == {"warning"}
    # every sheet prints on A4 landscape; the instructions' rows are as high as their text
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert book["流程"].print_title_rows == "$1:$1"
    kinds = next(row for row in book["填写说明"].iter_rows() if row[1].value == "环节类型")
    assert book["填写说明"].row_dimensions[kinds[0].row].height > 50
    assert run("template", "-o", tmp_path / "模板.csv").exit_code == 2
    assert "English" not in instructions
    assert load_workbook(io.BytesIO(template("en"))).sheetnames == [
        "Instructions", "steps", "actors", "flowcharts"]


def test_a_filled_template_round_trips_without_loss(tmp_path):
    """A unit fills the template in (a second flowchart below the example, with its
    notes), reads it, converts it to a workbook and reads that: nothing lost."""
    path = tmp_path / "filled.xlsx"
    path.write_bytes(template("zh"))
    book = load_workbook(path)
    book["事项"].append(["收费", "城市道路占用费征收", "市城市管理局", "行政征收", None, None])
    for row in (
            ["收费", "s", "申报", "开始", None, "核定"],
            ["收费", "核定", "核定应缴金额", "办理", "审批科科长", "减免", "一般", "50万",
             None, None, "裁量基准", "记录", "二级", None, "2个工作日", None, None,
             "少核多核应缴费款", "业务流程风险", "按标准核定，双人复核", "审批科科长",
             "审批科科长", "分管副局长", "已建立复核台账"],
            ["收费", "减免", "审批减免缓", "决定", "分管副局长", "e", "较大", None, None,
             None, "集体讨论", "审批", "一级", None, None, None, "FG202: 按市政府规定减免"],
            ["收费", "e", "办结", "结束"]):
        book["流程"].append(row)
    book.save(path)
    example, fee = load_all(path)
    assert fee.steps["核定"].notes["rectification"] == "已建立复核台账"
    assert fee.steps["核定"].stakes.money == 500_000 and fee.steps["核定"].duty == "record"
    assert fee.steps["减免"].waive == {"FG202": "按市政府规定减免"}
    assert list(fee.actors) == list(example.actors)  # the shared posts
    again = tmp_path / "again.xlsx"
    assert run("convert", path, "-o", again).exit_code == 0
    for before, after in zip((example, fee), load_all(again), strict=True):
        same(before, after, ordered_edges=False)
    # a word the drop-down list does not offer: the file, sheet, row and column named
    book["流程"].append(["收费", "x", "待定减免", "待定", "分管副局长"])
    book.save(path)
    result = run("check", path)
    row = book["流程"].max_row
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}:{row}:4: sheet '流程', row {row}, column D '环节类型' (kind): '待定' is " \
        "not allowed" in result.output

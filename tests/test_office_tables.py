"""Tables as offices fill them: a title above the headings, headings with units
(金额（万元）), headings on two rows, a 序号 column, merged cells, columns of the unit's
own, and CSV saved by Excel on Chinese Windows (GBK) or with a BOM. Each construct is
read as the same chart as the plain table, and what cannot be read is said."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from flowgraph.cli import main
from flowgraph.errors import LoadError
from flowgraph.io import load_all

openpyxl = pytest.importorskip("openpyxl")

HEAD = ["步骤编号", "环节名称", "类型", "岗位", "下一步", "裁量权", "金额", "风险等级"]
ROWS = [
    ["s", "申请", "开始", None, "t", None, None, None],
    ["t", "受理", "受理", "窗口", "r", None, None, None],
    ["r", "审核", "审核", "科长", "d", "一般", None, "二级"],
    ["d", "审批", "审批", "局长", "e", "较大", 500000, "一级"],
    ["e", "办结", "结束", None, None, None, None, None],
]
ACTORS = [["岗位编号", "岗位名称", "级别"], ["窗口", "窗口", "科员"], ["科长", "审批科科长", "科级"],
          ["局长", "局长", "正职"]]


def book(path, steps, actors=ACTORS, merges=(), actor_merges=()):
    """A workbook as a unit saves it: sheets 流程 and 岗位, ``merges`` on 流程."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "流程"
    for row in steps:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    people = workbook.create_sheet("岗位")
    for row in actors:
        people.append(row)
    for cells in actor_merges:
        people.merge_cells(cells)
    workbook.save(path)
    return path


def model(chart) -> tuple:
    return (sorted((s.id, s.kind, s.actor, s.discretion, s.stakes.money, s.declared_grade)
                   for s in chart.steps.values()),
            sorted((e.source, e.target) for e in chart.flows),
            sorted((a.id, a.rank) for a in chart.actors.values()))


@pytest.fixture
def plain(tmp_path):
    return model(load_all(book(tmp_path / "plain.xlsx", [HEAD, *ROWS]))[0])


def test_title_rows_above_the_headings(tmp_path, plain):
    path = book(tmp_path / "titled.xlsx",
                [["某某局行政许可权力运行流程及风险防控表"], ["填报单位：办公室", None, None, "2024年"],
                 [], HEAD, *ROWS], merges=["A1:H1"],
                actors=[["岗位一览"], *ACTORS])
    chart = load_all(path)[0]
    assert model(chart) == plain
    assert chart.steps["d"].position.line == 8  # the row as the spreadsheet numbers it


def test_an_error_names_the_row_below_a_title(tmp_path):
    rows = [list(row) for row in ROWS]
    rows[3][5] = "很大"
    path = book(tmp_path / "titled.xlsx", [["某某局权力运行流程"], HEAD, *rows])
    result = CliRunner().invoke(main, ["check", "--lang", "en", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}:6:6: sheet '流程', row 6, column F '裁量权' (discretion): '很大' is not " \
        "allowed" in result.output


@pytest.mark.parametrize("heading, cell, yuan", [
    ("金额（万元）", 50, 500_000), ("金额(万元)", "50", 500_000), ("涉及金额（元）", 500000, 500_000),
    ("金额（亿元）", 0.5, 50_000_000), ("金额（万元）", "50万", 500_000),
    ("金额（万元）", "1,200", 12_000_000)])
def test_a_headings_unit_scales_the_amounts(tmp_path, heading, cell, yuan):
    rows = [list(row) for row in ROWS]
    rows[3][6] = cell
    chart = load_all(book(tmp_path / "unit.xlsx", [HEAD[:6] + [heading, HEAD[7]], *rows]))[0]
    assert chart.steps["d"].stakes.money == yuan


def test_an_amount_in_a_unit_not_understood_is_refused(tmp_path):
    path = book(tmp_path / "unit.xlsx", [HEAD[:6] + ["金额（美元）", HEAD[7]], *ROWS])
    with pytest.raises(LoadError) as caught:
        load_all(path)
    assert "the unit '美元' of column '金额（美元）' is not understood (expected one of: 元、" \
        in caught.value.message.en


def test_a_time_limit_heading_gives_its_unit_to_bare_numbers(tmp_path):
    rows = [row + [None] for row in ROWS]
    rows[1][-1], rows[3][-1] = 5, "3个月"
    chart = load_all(book(tmp_path / "t.xlsx", [HEAD + ["办理时限（工作日）"], *rows]))[0]
    assert (chart.steps["t"].time_limit, chart.steps["d"].time_limit) == ("5工作日", "3个月")


def test_headings_with_line_breaks_full_width_and_a_number_column(tmp_path, plain):
    head = ["序号", "步骤\n编号", "环节 名称", "类型", "岗位", "下一步", "裁量权", "金额", "风险等级"]
    rows = [[number, *row] for number, row in enumerate(ROWS, 1)]
    chart = load_all(book(tmp_path / "x.xlsx", [head, *rows]))[0]
    assert model(chart) == plain and not chart.warnings


def test_headings_on_two_rows(tmp_path):
    head = [*HEAD, "责任人", None]
    sub = [None] * len(HEAD) + ["直接责任人", "责任领导"]
    rows = [row + [None, None] for row in ROWS]
    rows[3][-2:] = ["王某", "李某"]
    chart = load_all(book(tmp_path / "two.xlsx", [head, sub, *rows],
                          merges=[f"{c}1:{c}2" for c in "ABCDEFGH"] + ["I1:J1"]))[0]
    d = chart.steps["d"]
    assert (d.responsible_direct, d.responsible_leader) == ("王某", "李某")
    assert d.position.line == 6


def test_merged_cells_give_their_value_to_each_row(tmp_path, plain):
    # 科长 does r and d: one merged cell; the grade 一级 merged over the last rows
    rows = [list(row) for row in ROWS]
    rows[3][3] = None
    merged = model(load_all(book(tmp_path / "m.xlsx", [HEAD, *rows], merges=["D4:D5"]))[0])
    assert dict((s[0], s[2]) for s in merged[0])["d"] == "科长"
    assert merged != plain  # d's actor is 科长 now, not 局长
    rows[3][3] = "局长"
    rows[3][7] = None
    chart = load_all(book(tmp_path / "m2.xlsx", [HEAD, *rows], merges=["H4:H5"]))[0]
    assert chart.steps["d"].declared_grade == 2 and chart.steps["r"].declared_grade == 2
    # without the merge the empty cell is empty
    assert load_all(book(tmp_path / "m3.xlsx", [HEAD, *rows]))[0].steps["d"].declared_grade \
        is None


def test_a_merged_cell_across_columns_stays_in_its_first_column(tmp_path):
    rows = [list(row) for row in ROWS]
    chart = load_all(book(tmp_path / "h.xlsx", [HEAD, *rows], merges=["F5:G5"]))[0]
    assert chart.steps["d"].discretion == "high" and chart.steps["d"].stakes.money is None


def test_columns_of_the_units_own_are_kept_and_named_in_a_warning(tmp_path, plain):
    rows = [row + ["见附件", None] for row in ROWS]
    rows[3][-1] = 2024
    charts = load_all(book(tmp_path / "own.xlsx", [HEAD + ["备注", "年度"], *rows]))
    assert model(charts[0]) == plain
    assert dict(charts[0].steps["d"].extra) == {"备注": "见附件", "年度": "2024"}
    assert dict(charts[0].steps["s"].extra) == {"备注": "见附件"}
    assert [w.message.zh for w in charts[0].warnings] == \
        ["工作表 “流程”: 列 I “备注”、J “年度” 不是 flowgraph 的列, 原样保留 (不参与检查)"]
    result = CliRunner().invoke(main, ["check", "--lang", "zh", str(tmp_path / "own.xlsx")])
    assert result.exit_code == 0 and "列 I “备注”、J “年度” 不是 flowgraph 的列" in result.output


@pytest.mark.parametrize("suffix", [".yaml", ".xlsx"])
def test_columns_of_the_units_own_survive_conversion(tmp_path, suffix):
    rows = [row + ["见附件"] for row in ROWS]
    source = book(tmp_path / "own.xlsx", [HEAD + ["备注"], *rows])
    out = tmp_path / f"converted{suffix}"
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert dict(load_all(out)[0].steps["d"].extra) == {"备注": "见附件"}


def test_a_formula_in_a_units_own_column_is_written_as_text(tmp_path):
    chart = tmp_path / "c.yaml"
    chart.write_text("flowgraph: 1\ntitle: 许可\nsteps:\n  s: {kind: 开始, extra: {备注: "
                     "'=HYPERLINK(\"http://x\")'}}\n  e: {kind: 结束}\nflow: [[s, e]]\n",
                     "utf-8")
    out = tmp_path / "c.xlsx"
    assert CliRunner().invoke(main, ["convert", str(chart), "-o", str(out)]).exit_code == 0
    sheet = openpyxl.load_workbook(out)["流程"]
    headings = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=headings.index("备注") + 1).value == \
        "'=HYPERLINK(\"http://x\")"
    assert dict(load_all(out)[0].steps["s"].extra) == {"备注": '=HYPERLINK("http://x")'}


def test_an_actors_sheet_column_of_the_units_own_is_named_not_read(tmp_path):
    actors = [ACTORS[0] + ["电话"]] + [row + ["1234"] for row in ACTORS[1:]]
    chart = load_all(book(tmp_path / "a.xlsx", [HEAD, *ROWS], actors=actors))[0]
    assert [w.message.en for w in chart.warnings] == \
        ["sheet '岗位': columns not read: D “电话” (not flowgraph's)"]


def test_a_value_under_no_heading_is_refused(tmp_path):
    rows = [list(row) for row in ROWS]
    rows[2] = rows[2] + [None, "多余"]
    with pytest.raises(LoadError) as caught:
        load_all(book(tmp_path / "x.xlsx", [HEAD, *rows]))
    assert caught.value.message.zh == "工作表 “流程” 第 4 行, J 列: 该列没有标题 (标题在第 1 行)"


# -- CSV as Excel saves it ---------------------------------------------------------------

CSV = "某某局行政许可流程,,,,,,,\n" + "\n".join(
    ",".join("" if cell is None else str(cell) for cell in row) for row in [HEAD, *ROWS]) + "\n"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_the_encodings_excel_saves(tmp_path, plain, encoding):
    (tmp_path / "岗位.csv").write_bytes(
        "\n".join(",".join(row) for row in ACTORS).encode(encoding))
    steps = tmp_path / "流程.csv"
    steps.write_bytes(CSV.encode(encoding))
    chart = load_all(steps)[0]
    assert model(chart) == plain
    assert chart.steps["d"].label == "审批"


def test_bytes_no_encoding_reads_are_refused_at_the_byte(tmp_path):
    steps = tmp_path / "流程.csv"
    steps.write_bytes(CSV.encode("utf-8") + b"x,\xff\xff,end\n")
    result = CliRunner().invoke(main, ["check", "--lang", "en", str(steps)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{steps}:8:3: the file is not UTF-8 (invalid byte 0xff)" in result.output

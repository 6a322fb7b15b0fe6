"""Reading a roster (在岗人员名册): the ways offices write it, and every way it can be
wrong, each named by file, sheet, row and column."""
from __future__ import annotations

import datetime

import pytest

from flowgraph.dates import add_months, add_years, held, parse_date
from flowgraph.errors import LoadError
from flowgraph.roster import RosterError, read_roster

AS_OF = datetime.date(2025, 6, 30)
D = datetime.date


def _xlsx(path, rows, sheet="在岗人员名册", before=()):
    from openpyxl import Workbook
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["本工作簿第二页为名册"])
    ws = book.create_sheet(sheet)
    for row in (*before, *rows):
        ws.append(list(row))
    book.save(path)
    return path


HEAD = ["序号", "单位", "科室", "岗位", "姓名", "性别", "任职起始日期", "廉政承诺书签订日期", "备注"]


# -- dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, day", [
    (datetime.datetime(2019, 3, 1, 8, 30), D(2019, 3, 1)), (D(2019, 3, 1), D(2019, 3, 1)),
    ("2019-03-01", D(2019, 3, 1)), ("2019/3/1", D(2019, 3, 1)), ("2019年3月1日", D(2019, 3, 1)),
    ("2019.3", D(2019, 3, 1)), ("2019.3.1", D(2019, 3, 1)), ("2019年3月", D(2019, 3, 1)),
    ("２０１９年３月１日", D(2019, 3, 1)), (" 2019 - 3 - 1 ", D(2019, 3, 1)),
    ("20190301", D(2019, 3, 1)), ("2019-03-01 00:00:00", D(2019, 3, 1)),
    (43525, D(2019, 3, 1)), (43525.0, D(2019, 3, 1)), (2019.3, D(2019, 3, 1)),
    (2019.11, D(2019, 11, 1)), ("2019.10", D(2019, 10, 1)),
])
def test_dates_as_offices_write_them(value, day):
    assert parse_date(value) == day


@pytest.mark.parametrize("value", ["2019-13-01", "2019-02-29", "三月", "2019", 2019, 2019.1,
                                   True, "2019-3-1-5", 12])
def test_what_is_not_a_date(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_years_and_months_end_as_the_civil_code_counts():
    assert add_years(D(2016, 2, 29), 5) == D(2021, 2, 28)
    assert add_years(D(2016, 2, 29), 4) == D(2020, 2, 29)
    assert add_months(D(2025, 8, 31), 1) == D(2025, 9, 30)
    assert add_months(D(2025, 6, 30), 6) == D(2025, 12, 30)
    assert held(D(2016, 2, 29), D(2021, 2, 28)) == (5, 0)
    assert held(D(2016, 2, 29), D(2021, 2, 27)) == (4, 11)
    assert held(D(2020, 6, 30), D(2025, 6, 30)) == (5, 0)
    assert held(D(2020, 7, 1), D(2025, 6, 30)) == (4, 11)
    assert held(D(2025, 7, 1), D(2025, 6, 30)) == (0, 0)


# -- the three formats -----------------------------------------------------------------

def test_a_workbook_with_a_title_row_date_cells_serials_and_extra_columns(tmp_path):
    path = _xlsx(tmp_path / "名册.xlsx", [
        HEAD,
        [1, "市财政局", "预算科", "科长", "张三", "男", datetime.datetime(2019, 3, 1), 43530, ""],
        [2, "市财政局", None, "国库科科长", "李四", "女", "2020/7/1", None, "借调"],
        [None] * 9,
        [3, "市财政局", "预算科", "科员", "王五", "男", "2021年1月", "2021.1.5", None],
    ], before=[["市财政局在岗人员名册（2025年6月）"]])
    roster = read_roster(path, AS_OF)
    assert roster.has_commitments
    assert [(h.unit, h.section, h.post, h.name, h.since, h.commitment, h.line, h.number)
            for h in roster.holders] == [
        ("市财政局", "预算科", "科长", "张三", D(2019, 3, 1), D(2019, 3, 6), 3, 1),
        ("市财政局", None, "国库科科长", "李四", D(2020, 7, 1), None, 4, 2),
        ("市财政局", "预算科", "科员", "王五", D(2021, 1, 1), D(2021, 1, 5), 6, 3)]
    assert roster.holders[0].where.zh == "工作表 “在岗人员名册” 第 3 行"


def test_english_headings_and_a_csv_file(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("unit,post,name,since,commitment_signed\n"
                    "市财政局,国库科科长,Li Si,2020-07-01,\n"
                    "市财政局,预算科科长,=HYPERLINK(\"http://x\"),2019.3,2019/3/2\n", "utf-8-sig")
    roster = read_roster(path, AS_OF)
    assert [(h.name, h.since, h.commitment) for h in roster.holders] == [
        ("Li Si", D(2020, 7, 1), None),
        ('=HYPERLINK("http://x")', D(2019, 3, 1), D(2019, 3, 2))]
    assert roster.holders[0].where.en == "row 2"


def test_a_yaml_roster(tmp_path):
    path = tmp_path / "roster.yaml"
    path.write_text("# 名册\n在岗人员:\n"
                    "  - {单位: 市财政局, 岗位: 国库科科长, 姓名: 李四, 任职起始日期: 2020-07-01}\n"
                    "  - 单位: 市财政局\n    岗位: 预算科科长\n    姓名: 张三\n"
                    "    任职起始日期: 2019年3月1日\n", "utf-8")
    roster = read_roster(path, AS_OF)
    assert [(h.name, h.since, h.line) for h in roster.holders] == [
        ("李四", D(2020, 7, 1), 3), ("张三", D(2019, 3, 1), 4)]
    assert not roster.has_commitments


def test_a_formula_in_a_workbook_is_not_evaluated(tmp_path):
    """openpyxl stores the formula without a value: read as last saved, the cell is
    empty, and the row is refused for it rather than a formula being run."""
    path = _xlsx(tmp_path / "名册.xlsx", [HEAD[1:5] + ["任职起始日期"],
                                         ["市财政局", "预算科", "科长", "=1+1", "2019-03-01"]])
    with pytest.raises(RosterError) as caught:
        read_roster(path, AS_OF)
    assert "D 列 “姓名”: 不能为空" in caught.value.describe("zh")


# -- bad input ------------------------------------------------------------------------

def test_missing_required_columns_name_the_file_and_the_headings(tmp_path):
    path = _xlsx(tmp_path / "名册.xlsx", [["单位", "岗位", "姓名", "入职日期"],
                                         ["市财政局", "科长", "张三", "2019-03-01"]])
    with pytest.raises(LoadError) as caught:
        read_roster(path, AS_OF)
    line = caught.value.describe("zh")
    assert line.startswith(f"{path}:1: 工作表 “在岗人员名册” 第 1 行: 缺少必需的列 任职起始日期; ")
    assert "应有列: 单位、岗位、姓名、任职起始日期 (可选: 科室、廉政承诺书签订日期)" in line
    english = caught.value.describe("en")
    assert "lacks the required column(s) 任职起始日期/since" in english


def test_no_headings_at_all(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(LoadError, match="no roster headings found; expected the columns"):
        read_roster(path, AS_OF)


def test_every_bad_cell_is_named_at_once(tmp_path):
    path = _xlsx(tmp_path / "名册.xlsx", [
        HEAD,
        [1, "市财政局", "预算科", "科长", "张三", "男", "2019-13-01", None, None],
        [2, "市财政局", "预算科", "科员", None, "男", "2020-01-01", "下月签", None],
        [3, "市财政局", "预算科", "科员", "王五", "男", "2026-01-01", None, None],
        [4, "市财政局", "预算科", "科员", "赵六", "男", None, None, None],
    ])
    with pytest.raises(RosterError) as caught:
        read_roster(path, AS_OF)
    assert caught.value.describe("zh").splitlines() == [
        f"{path}:2:7: 工作表 “在岗人员名册” 第 2 行, G 列 “任职起始日期”: 应为日期 (如 2019-03-01, "
        "2019/3/1, 2019年3月1日, 2019.3.1, 2019.3, 2019年3月, 20190301), 实为“2019-13-01” 中没有 13 月",
        f"{path}:3:5: 工作表 “在岗人员名册” 第 3 行, E 列 “姓名”: 不能为空",
        f"{path}:3:8: 工作表 “在岗人员名册” 第 3 行, H 列 “廉政承诺书签订日期”: 应为日期 (如 "
        "2019-03-01, 2019/3/1, 2019年3月1日, 2019.3.1, 2019.3, 2019年3月, 20190301), 实为文本 “下月签”",
        f"{path}:4:7: 工作表 “在岗人员名册” 第 4 行, G 列 “任职起始日期”: 日期 2026-01-01 晚于审查日期 "
        "2025-06-30 (用 --as-of 指定审查日期)",
        f"{path}:5:7: 工作表 “在岗人员名册” 第 5 行, G 列 “任职起始日期”: 不能为空; 应为日期 (如 "
        "2019-03-01, 2019/3/1, 2019年3月1日, 2019.3.1, 2019.3, 2019年3月, 20190301)"]


@pytest.mark.parametrize("name, data, expected", [
    ("roster.txt", b"x", "a roster is a .xlsx, .csv, .yaml, .yml file"),
    ("roster.xlsx", b"not a zip", "not a valid Excel workbook"),
    ("roster.csv", "单位,岗位\n".encode("gbk"), "not UTF-8"),
    ("roster.yaml", b"a: [1\n", "YAML syntax error"),
    ("roster.yaml", "单位: 市财政局\n".encode(), "expected a roster: a list"),
    ("roster.yaml", b"- [1, 2]\n", "expected a roster: a list"),
])
def test_files_that_are_no_roster(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError, match=expected):
        read_roster(path, AS_OF)


def test_a_roster_is_bounded_by_the_size_cap(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("单位,岗位,姓名,任职起始日期\n" + "市财政局,科长,张三,2019-03-01\n" * 100,
                    "utf-8")
    with pytest.raises(LoadError, match="file too large"):
        read_roster(path, AS_OF, max_size=1000)


def test_yaml_aliases_cannot_nest(tmp_path):
    """A roster's values are scalars, so an alias cannot nest (no billion laughs); an
    alias of a whole row repeats that row, no more."""
    path = tmp_path / "roster.yaml"
    path.write_text("- &r {单位: x, 岗位: y, 姓名: z, 任职起始日期: 2019-01-01}\n"
                    + "".join("- *r\n" for _ in range(10)), "utf-8")
    assert len(read_roster(path, AS_OF).holders) == 11
    path.write_text("- {单位: &a [x, x], 岗位: y, 姓名: z, 任职起始日期: 2019-01-01}\n"
                    "- {单位: [*a, *a], 岗位: y, 姓名: z, 任职起始日期: 2019-01-01}\n", "utf-8")
    with pytest.raises(LoadError, match="the value of '单位' should be text or a date"):
        read_roster(path, AS_OF)

"""The risk ledger and the statistics, read back as an analyst's tools read them: the
columns units keep, every risk point described and measured, the three people who
answer for it, what a unit wrote, printing, the configuration of the columns."""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from flowgraph.cli import main
from flowgraph.output.ledger import rows
from flowgraph.vocabulary import DEFAULT_LEDGER_COLUMNS, LEDGER_COLUMNS

from .conftest import ENGLISH
from .test_responsibility import FIRST, SECOND, UNDRAWN, _review

ROOT = Path(__file__).resolve().parent.parent
HEADINGS_ZH = ["序号", "单位", "科室", "权力事项", "事项类别", "环节", "岗位", "风险点表现形式",
               "风险等级", "现有防控措施", "建议防控措施", "直接责任人", "部门责任人", "责任领导",
               "监督主体", "办理时限", "依据", "整改情况", "问题"]


@pytest.fixture
def unit(tmp_path):
    folder = tmp_path / "unit"
    folder.mkdir()
    (folder / "a-construction.yaml").write_text(textwrap.dedent(FIRST).replace(
        "stakes: {rights: true}}", "stakes: {rights: true}, declared_grade: 3}")
        .replace("title: 建筑工程施工许可", "title: 建筑工程施工许可\ncategory: 行政许可")
        .replace("  e:      {kind: end}", "  e:      {kind: end, label: 办结}"),
        "utf-8")
    (folder / "b-presale.yaml").write_text(textwrap.dedent(SECOND).replace(
        "title: 商品房预售许可", "title: 商品房预售许可\ncategory: 行政许可"), "utf-8")
    (folder / "broken.yaml").write_text("flowgraph: 1\ntitle: [\n", "utf-8")
    # this unit watches posts handling ¥20,000,000 or more (the default is 50,000,000)
    (folder / "flowgraph.toml").write_text("key_post_money = 20000000\n", "utf-8")
    return folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env=ENGLISH)


# The principal leader's own grade-1 approval: described by the library, what the rules
# found in sentences, the measures made concrete, the superior body's leader in charge.
DECIDE_ZH = [
    "2", "市住房和城乡建设局", "单位领导", "建筑工程施工许可", "行政许可", "审批", "局长",
    "对不符合法定条件的申请违规准予许可，或对符合条件的无故不予许可，超越权限审批，凭人情关系或"
    "领导打招呼“开绿灯”，重大许可不经集体讨论、应听证的不听证即作出决定。\n"
    "经查：该环节作出决定后，流程中无人审核、无集体研究、也不公示，事项即可办结；该环节利害重大，"
    "却没有独立监督，结果也不公示；该环节应有的风险等级为一级，单位未评定。",
    "一级", "裁量基准",
    "1. 在“审批”之后、“办结”之前增设独立审核（如法制审核）、集体研究或结果公示\n"
    "2. 由派驻纪检监察组等独立监督机构对“审批”实施监督，或在生效前公示结果\n"
    "3. 按一级重新评定“审批”，明确由市政府分管副市长负责\n"
    "4. 重大事项集体研究决定，会议记录和每人表决意见完整留存\n"
    "5. 作出决定前由未参与办理的法制机构审核\n"
    "6. 办理依据、过程和结果按规定公开公示，接受社会监督\n"
    "7. 网上办理、全程留痕，纳入电子监察",
    "局长", "不适用（单位领导岗位）", "市政府分管副市长", "无", "未写明", "未写明", "",
    "FG201、FG401、FG501"]


def test_ledger_workbook_read_back_cell_by_cell(unit, tmp_path):
    out = tmp_path / "ledger.xlsx"
    result = run("ledger", unit, "-o", out, "--lang", "zh")
    assert result.exit_code == 2  # broken.yaml is named, the others are still in
    assert "broken.yaml" in result.output
    sheets = pd.read_excel(out, sheet_name=None, dtype=str, keep_default_na=False)
    assert list(sheets) == ["风险点台账", "岗位", "外单位", "统计", "各单位"]
    assert sheets["各单位"].values.tolist() == [
        ["市住房和城乡建设局", "2", "2", "2", "0", "2", "4", "1",
         sheets["各单位"].values.tolist()[0][-1]]]
    ledger = sheets["风险点台账"]
    assert list(ledger.columns) == HEADINGS_ZH
    assert len(ledger) == 4 and ledger["序号"].tolist() == ["1", "2", "3", "4"]
    assert ledger.values.tolist()[1] == DECIDE_ZH
    # the clerk's grade-3 check: the library's words alone, its section and its head
    check = ledger.iloc[0]
    assert (check["科室"], check["风险等级"], check["直接责任人"], check["部门责任人"],
            check["责任领导"], check["问题"]) == ("审批科", "三级", "审批科经办人", "审批科科长",
                                             "审批科科长", "")
    assert check["风险点表现形式"].startswith("审查许可条件时对关系人降低标准")
    # the second chart: the clerk's grade-1 review (a key post: rotation), the deputy's
    # sign-off under collective discussion and disclosure
    review, sign = ledger.iloc[2], ledger.iloc[3]
    assert (review["风险等级"], review["责任领导"]) == ("一级", "局长")
    assert review["建议防控措施"].endswith("一级风险岗位人员定期轮岗")
    assert "经查：该环节裁量空间较大，但没有裁量基准" in review["风险点表现形式"]
    assert (sign["风险等级"], sign["现有防控措施"], sign["责任领导"]) == (
        "三级", "集体决策、公开公示", "局长")


def test_every_cell_is_plain_words_without_codes(unit, tmp_path):
    run("ledger", unit, "-o", tmp_path / "ledger.csv", "--lang", "zh")
    table = pd.read_csv(tmp_path / "ledger.csv", encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    for column in ("风险点表现形式", "建议防控措施", "现有防控措施", "监督主体"):
        assert not table[column].str.contains(r"FG\d").any(), column
    assert table["问题"].str.contains("FG").any()  # the codes, last


def test_ledger_workbook_prints_on_a4(unit, tmp_path):
    """The print settings read back: A4 landscape, every column on the page's width,
    the heading row repeated, wrapped text, frozen heading, widths for Chinese text,
    rows as high as their text, the title and page number on every page."""
    out = tmp_path / "ledger.xlsx"
    run("ledger", unit, "-o", out, "--lang", "zh", "--per-unit")
    book = load_workbook(out)
    assert book.sheetnames == ["风险点台账", "市住房和城乡建设局", "岗位", "外单位", "统计",
                               "各单位"]
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9)  # A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.freeze_panes == "A2"
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    ledger = book["风险点台账"]
    assert ledger.oddHeader.center.text == "廉政风险点台账"
    assert book["市住房和城乡建设局"].oddHeader.center.text == "市住房和城乡建设局廉政风险点台账"
    assert ledger.auto_filter.ref == "A1:S5"
    assert all(cell.alignment.wrap_text for row in ledger.iter_rows(min_row=1)
               for cell in row)
    assert ledger.cell(1, 2).font.b and not ledger.cell(2, 2).font.b
    assert ledger.cell(2, 2).fill.fill_type is None and ledger.cell(2, 2).alignment.vertical \
        == "top"
    assert ledger.column_dimensions["H"].width == 24  # 风险点表现形式
    assert ledger.column_dimensions["A"].width == 4.5  # 序号
    assert sum(ledger.column_dimensions[c.column_letter].width for c in ledger[1]) <= 200
    heights = [ledger.row_dimensions[n].height for n in range(1, 6)]
    assert all(heights) and max(heights) > 3 * min(heights)  # long texts, taller rows
    colours = {ledger.cell(row, 9).value: ledger.cell(row, 9).fill.fgColor.rgb
               for row in range(2, 6)}
    assert colours == {"三级": "FFFFE58F", "一级": "FFFF4D4F"}
    # a unit's own sheet numbers its rows from 1
    assert [book["市住房和城乡建设局"].cell(n, 1).value for n in range(2, 6)] == [1, 2, 3, 4]


def test_english_headings_and_the_posts_and_summary_sheets(unit, tmp_path):
    out = tmp_path / "ledger.xlsx"
    run("ledger", unit, "-o", out, "--lang", "en")
    book = load_workbook(out)
    assert book.sheetnames == ["Ledger", "Posts", "Outside bodies", "Summary", "Units"]
    assert [c.value for c in book["Ledger"][1]] == [
        heading.en for heading in list(LEDGER_COLUMNS.values())[:19]]
    assert book["Ledger"].oddHeader.center.text == "Integrity risk ledger"
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2,
                                                                  values_only=True)}
    assert summary["Units"] == 1 and summary["Power items"] == 2
    assert summary["Flowcharts"] == 2 and summary["Files that could not be read"] == 1
    assert (summary["Risk points grade 1"], summary["Risk points grade 3"]) == (2, 2)
    posts = pd.read_excel(out, sheet_name="Posts", dtype=str, keep_default_na=False)
    clerk = posts[posts["Post"] == "审批科经办人"].iloc[0]
    assert (clerk["Post grade"], clerk["Department head"], clerk["Responsible leader"],
            clerk["Flowcharts"]) == ("grade 1", "审批科科长", "局长", "2")
    ledger = pd.read_excel(out, sheet_name="Ledger", dtype=str, keep_default_na=False)
    assert ledger["How the risk shows itself"][1].startswith(
        "Granting a licence that does not meet the conditions")
    assert "Found: once the post decides here, nobody reviews it" in \
        ledger["How the risk shows itself"][1]


def test_ledger_bytes_are_reproducible_and_csv_opens_in_excel(unit, tmp_path):
    run("ledger", unit, "-o", tmp_path / "one.xlsx", "--per-unit")
    run("ledger", unit, "-o", tmp_path / "two.xlsx", "--per-unit")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
    run("ledger", unit, "-o", tmp_path / "ledger.csv", "--lang", "zh")
    raw = (tmp_path / "ledger.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(tmp_path / "ledger.csv", encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    assert list(table.columns) == HEADINGS_ZH
    assert table.values.tolist()[1] == DECIDE_ZH


def test_ledger_columns_are_chosen_and_ordered_by_the_configuration(unit, tmp_path):
    (unit / "flowgraph.toml").write_text(
        'ledger_columns = ["序号", "环节", "risk", "Risk grade", "申报等级", "评定理由", '
        '"关键岗位", "文件", "流程图", "步骤编号", "问题"]\n', "utf-8")
    run("ledger", unit, "-o", tmp_path / "ledger.csv", "--lang", "zh")
    table = pd.read_csv(tmp_path / "ledger.csv", encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    assert list(table.columns) == ["序号", "环节", "风险点表现形式", "风险等级", "申报等级",
                                   "评定理由", "关键岗位", "文件", "流程图", "步骤编号", "问题"]
    assert table["申报等级"].tolist() == ["三级", "", "", ""]
    assert table["评定理由"][0] == "三级：直接涉及当事人权益 +1"
    assert table["关键岗位"].tolist() == ["是", "", "是", ""]
    assert table["文件"].str.endswith("a-construction.yaml").tolist() == [True, True, False,
                                                                       False]
    assert table[["流程图", "步骤编号"]].values.tolist() == [
        ["a-construction", "check"], ["a-construction", "decide"], ["b-presale", "check"],
        ["b-presale", "sign"]]


@pytest.mark.parametrize("setting, line, words", [
    ("ledger_columns = [\"序号\", \"风险点\"]\n", 1, "no column '风险点'"),
    ("select = FG2\nledger_columns =\n  序号, 单位,\n  环节, 问题X\n", 4, "no column '问题X'"),
    ("ledger_columns = 序号, 单位, No.\n", 1, "the column 'No.' is named twice"),
])
def test_an_unknown_ledger_column_is_refused_with_file_and_line(unit, tmp_path, setting,
                                                                line, words):
    (unit / "flowgraph.toml").unlink()
    name = "flowgraph.toml" if setting.startswith("ledger_columns = [") else "setup.cfg"
    (unit / name).write_text(setting if name == "flowgraph.toml" else
                             "[flowgraph]\n" + setting, "utf-8")
    line += name == "setup.cfg"
    result = run("ledger", unit, "-o", tmp_path / "ledger.csv")
    assert result.exit_code == 2 and not (tmp_path / "ledger.csv").exists()
    assert f"{unit / name}:{line}: ledger_columns: {words}" in result.output


def test_the_outside_bodies_are_a_sheet_of_their_own_not_rows(tmp_path):
    text = textwrap.dedent(FIRST).replace(
        "  head:   {name: 局长, rank: principal}",
        "  head:   {name: 局长, rank: principal}\n"
        "  council: {name: 市政府常务会议, rank: principal, collective: 30}") \
        .replace("flow: [[s, check], [check, decide], [decide, e]]",
                 "flow: [[s, check], [check, decide], [decide, ok], [ok, e]]") \
        .replace("  e:      {kind: end}",
                 "  ok:     {kind: decision, label: 审定, actor: council, discretion: high}\n"
                 "  e:      {kind: end}")
    (tmp_path / "c.yaml").write_text(text, "utf-8")
    out = tmp_path / "ledger.xlsx"
    assert run("ledger", tmp_path / "c.yaml", "-o", out, "--lang", "zh").exit_code == 0
    sheets = pd.read_excel(out, sheet_name=None, dtype=str, keep_default_na=False)
    assert "审定" not in sheets["风险点台账"]["环节"].tolist()
    assert sheets["外单位"].values.tolist() == [
        ["市住房和城乡建设局", "市政府常务会议", "按名称推断属于市政府", "建筑工程施工许可", "1"]]


# -- who answers for it (design.md §7) ------------------------------------------------

FUNDS = """\
    flowgraph: 1
    title: 专项资金分配
    unit: 市工业和信息化局
    category: 资金
    superior_in_charge: 市政府分管副市长
    actors:
      clerk:  {name: 资金科科员, rank: staff, reports_to: chief}
      chief:  {name: 资金科科长, rank: section, reports_to: deputy}
      deputy: {name: 分管资金副局长, rank: deputy, reports_to: head}
      head:   {name: 局长, rank: principal}
      group:  {name: 派驻纪检监察组, oversight: true}
    steps:
      s:       {kind: start, label: 企业申报}
      accept:  {kind: task, label: 受理申报材料, actor: clerk, discretion: low,
                time_limit: 2个工作日}
      assess:  {kind: review, label: 审核项目并提出分配建议, actor: clerk, discretion: high,
                stakes: {money: 5000000, rights: true}}
      review:  {kind: review, label: 科室复核, actor: chief, discretion: medium,
                stakes: {rights: true}}
      decide:  {kind: decision, label: 分管领导审定分配方案, actor: deputy,
                discretion: medium, stakes: {money: 500000}}
      approve: {kind: decision, label: 局长审批, actor: head, discretion: high,
                stakes: {money: 5000000}}
      publish: {kind: disclosure, label: 分配结果公示, actor: chief}
      watch:   {kind: oversight, label: 派驻纪检监察组监督, actor: group}
      e:       {kind: end, label: 拨付办结}
    flow: [[s, accept], [accept, assess], [assess, review], [review, decide],
           [decide, approve], [approve, publish], [publish, e]]
    oversight: [[watch, approve], [publish, decide]]
    """


def _people(*texts):
    return [(row.label, row.grade, row.section, row.direct, row.department, row.leader,
             row.overseers) for row in rows(_review(*texts), "zh")]


def test_the_three_responsible_people_follow_the_grade():
    assert _people(FUNDS) == [
        # grade 3: the direct supervisor
        ("受理申报材料", 3, "资金科", "资金科科员", "资金科科长", "资金科科长", "无"),
        # grade 1: the unit's principal leader
        ("审核项目并提出分配建议", 1, "资金科", "资金科科员", "资金科科长", "局长", "无"),
        # grade 2: the leader in charge up the post's line
        ("科室复核", 2, "资金科", "资金科科长", "资金科科长", "分管资金副局长", "无"),
        # grade 2 at a deputy's own post: the principal leader; watched by the public
        ("分管领导审定分配方案", 2, "单位领导", "分管资金副局长", "不适用（单位领导岗位）", "局长",
         "社会公众"),
        # grade 1 at the principal leader's own post: the superior body's leader
        ("局长审批", 1, "单位领导", "局长", "不适用（单位领导岗位）", "市政府分管副市长",
         "派驻纪检监察组"),
    ]


SECTIONLESS = """\
    flowgraph: 1
    title: 城市道路占用费减免
    unit: 市城市管理局
    category: 行政征收
    actors:
      clerk:  {name: 收费经办员, rank: staff, reports_to: chief}
      chief:  {name: 收费科科长, rank: section, reports_to: head}
      panel:  {name: 减免评审小组, collective: 5}
      head:   {name: 局长, rank: principal}
    steps:
      s:      {kind: start}
      check:  {kind: review, label: 核定减免金额, actor: clerk, discretion: low}
      assess: {kind: decision, label: 评审减免申请, actor: panel, discretion: medium,
               stakes: {money: 200000, rights: true}}
      e:      {kind: end}
    flow: [[s, check], [check, assess], [assess, e]]
    """


def test_a_post_without_a_section_in_its_title_takes_its_head_s_and_a_body_has_none():
    check, assess = _people(SECTIONLESS)
    # 收费经办员 names no section; its head, 收费科科长, heads 收费科
    assert check[2:5] == ("收费科", "收费经办员", "收费科科长")
    # a collective body is in no section and has no department head
    assert assess[2:5] == ("", "减免评审小组", "不适用（集体决策机构）")


def test_lines_the_charts_leave_out_are_inferred_and_unnamed_ones_say_why():
    # a 科员 of 规划科: the head of its section from the title, the deputy whose title
    # names the section's work (grade 2)
    check, site, decide = _people(UNDRAWN)
    assert check == ("审查", 2, "规划科", "规划科科员", "规划科科长", "分管规划副局长", "无")
    assert site[4:6] == ("用地科科长", "分管用地副局长")
    # with two deputies and none named, the ledger says why in plain words
    text = UNDRAWN.replace("分管规划副局长", "副局长甲").replace("分管用地副局长", "副局长乙")
    assert _people(text)[0][5] == ("无法确定：本单位有多位分管领导（副局长乙、副局长甲），"
                                   "流程图没有写明由哪位分管")


# -- what the unit wrote ----------------------------------------------------------------

def test_what_a_unit_wrote_is_shown_as_written(tmp_path):
    text = textwrap.dedent(FUNDS).replace(
        "discretion: high,\n            stakes: {money: 5000000, rights: true}}",
        "discretion: high,\n            stakes: {money: 5000000, rights: true},\n"
        "            risk_description: 对不符合条件的项目打招呼、降低标准，虚增分配金额,\n"
        "            risk_category: 岗位职责风险, measures: 专家评审；分配结果公示,\n"
        "            responsible_leader: 分管资金副局长, rectification: 2025年已修订评审办法,\n"
        "            controls: [集体讨论]}")
    (tmp_path / "funds.yaml").write_text(text, "utf-8")
    (tmp_path / "flowgraph.toml").write_text(
        'ledger_columns = ["环节", "风险点表现形式", "风险库表现形式", "风险类别", "现有防控措施", '
        '"建议防控措施", "责任领导", "整改情况"]\n', "utf-8")
    run("ledger", tmp_path / "funds.yaml", "-o", tmp_path / "l.csv", "--lang", "zh")
    table = pd.read_csv(tmp_path / "l.csv", encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    assess = table[table["环节"] == "审核项目并提出分配建议"].iloc[0]
    assert assess["风险点表现形式"] == ("对不符合条件的项目打招呼、降低标准，虚增分配金额\n"
                                  "经查：该环节裁量空间较大，但没有裁量基准。")
    assert assess["风险库表现形式"] and assess["风险库表现形式"] != assess["风险点表现形式"]
    assert assess["风险类别"] == "岗位职责风险"
    assert assess["现有防控措施"] == "集体决策\n专家评审；分配结果公示"
    assert "重大事项集体研究决定" not in assess["建议防控措施"]  # it has that control
    assert assess["责任领导"] == "分管资金副局长\n（按风险等级应为：局长）"
    assert assess["整改情况"] == "2025年已修订评审办法"


# -- every risk point described and measured --------------------------------------------

def _described_and_measured(table: list) -> None:
    for row in table:
        assert row.risk.strip(), row
        assert row.suggested_measures.strip() and row.measures_in_place.strip(), row
        assert not re.search(r"FG\d", row.risk + row.suggested_measures), row


def test_every_risk_point_of_every_sample_is_described_and_measured():
    from flowgraph.batch import audit_paths
    from flowgraph.config import Config
    from flowgraph.results import Review
    samples = sorted(str(p) for p in (ROOT / "flowcharts").glob("*.yaml"))
    review = Review.of(list(audit_paths(samples, Config(), jobs=1)))
    table = rows(review, "zh")
    assert len(table) > 100
    _described_and_measured(table)
    _described_and_measured(rows(review, "en"))
    # the library's own words, not a fallback, for every one of them
    assert all(row.library_risk for row in table)


def test_every_risk_point_of_a_generated_city_is_described_and_measured(tmp_path):
    from flowgraph import generate
    from flowgraph.batch import audit_paths
    from flowgraph.config import Config
    from flowgraph.results import Review
    for relative, text in generate.batch(300, 0):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    review = Review.of(list(audit_paths([str(tmp_path)], Config(), jobs=2)))
    table = rows(review, "zh")
    assert len(table) > 2000
    _described_and_measured(table)


def test_the_default_columns_are_the_ones_units_keep():
    assert [LEDGER_COLUMNS[c].zh for c in DEFAULT_LEDGER_COLUMNS] == HEADINGS_ZH


def test_ledger_refuses_other_suffixes(unit):
    result = run("ledger", unit, "-o", unit / "out.pdf")
    assert result.exit_code == 2 and ".xlsx or .csv" in result.output
    assert not (unit / "out.pdf").exists()


# -- statistics and exit codes -----------------------------------------------------------

def test_stats_text_and_json(unit):
    result = run("stats", unit, "--format", "json")
    assert result.exit_code == 2
    figures = json.loads(result.output)
    # risk posts as practice counts them, once per power item: the clerk (grade 3 in
    # one, 1 in the other), the principal (1), the deputy (3); once per unit: the
    # clerk at 1, the principal at 1, the deputy at 3
    assert figures == {
        "files": 3, "unreadable": 1, "units": 1, "power_items": 2,
        "power_classes": {"行政许可": 2, "行政处罚": 0, "行政强制": 0, "行政征收": 0,
                          "行政给付": 0, "其他行政权力": 0},
        "categories": {"行政许可": 2}, "flowcharts": 2,
        "risk_posts": {"1": 2, "2": 0, "3": 2}, "risk_posts_by_unit": {"1": 2, "2": 0, "3": 1},
        "risk_points": {"1": 2, "2": 0, "3": 2}, "key_posts": 1, "outside_bodies": 0,
        "findings": figures["findings"], "waived": 0, "roster": None,
        "by_unit": [{"unit": "市住房和城乡建设局", "flowcharts": 2, "power_items": 2,
                     "risk_posts": {"1": 2, "2": 0, "3": 2},
                     "risk_posts_by_unit": {"1": 2, "2": 0, "3": 1},
                     "risk_points": {"1": 2, "2": 0, "3": 2}, "key_posts": 1,
                     "findings": sum(figures["findings"].values())}]}
    assert figures["findings"]["FG201"] == 2
    text = run("stats", unit, "--lang", "zh").output
    assert "单位 1 个，权力事项 2 项，流程图 2 个" in text
    assert "风险岗位 4 个：一级 2（50.0%），二级 0（0.0%），三级 2（50.0%）" in text
    assert "风险点 4 个：一级 2（50.0%），二级 0（0.0%），三级 2（50.0%）" in text
    assert "  市住房和城乡建设局：流程图 2，风险岗位 一级 2 二级 0 三级 2，关键岗位 1" in text


def test_fail_on_grade(unit):
    good = [str(p) for p in sorted(unit.glob("[ab]-*.yaml"))]
    assert run("audit", "--fail-on", "error", "--select", "FG1", *good).exit_code == 0
    assert run("audit", "--fail-on", "error", "--select", "FG1", "--fail-on-grade", "1",
               *good).exit_code == 1
    assert run("audit", "--select", "FG1", "--fail-on-grade", "4", *good).exit_code == 2


def test_outputs_get_ordinary_file_permissions(unit, tmp_path):
    """Written through a private temporary file, but not left private (0600)."""
    import os
    run("ledger", unit, "-o", tmp_path / "ledger.csv")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "ledger.csv").stat().st_mode & 0o777 == 0o666 & ~mask

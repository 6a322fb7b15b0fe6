"""The risk ledger and the statistics, read back as an analyst's tools read them."""
from __future__ import annotations

import json
import textwrap

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from flowgraph.cli import main

from .conftest import ENGLISH
from .test_responsibility import FIRST, SECOND


@pytest.fixture
def unit(tmp_path):
    folder = tmp_path / "unit"
    folder.mkdir()
    (folder / "a-construction.yaml").write_text(textwrap.dedent(FIRST).replace(
        "stakes: {rights: true}}", "stakes: {rights: true}, declared_grade: 3}")
        .replace("title: 建筑工程施工许可", "title: 建筑工程施工许可\ncategory: 行政许可"),
        "utf-8")
    (folder / "b-presale.yaml").write_text(textwrap.dedent(SECOND).replace(
        "title: 商品房预售许可", "title: 商品房预售许可\ncategory: 行政许可"), "utf-8")
    (folder / "broken.yaml").write_text("flowgraph: 1\ntitle: [\n", "utf-8")
    # this unit watches posts handling ¥20,000,000 or more (the default is 50,000,000)
    (folder / "flowgraph.toml").write_text("key_post_money = 20000000\n", "utf-8")
    return folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env=ENGLISH)


LEDGER_ZH = [
    # 单位, 权力事项, 类别, 环节, 岗位, 风险点, 建议等级, 申报等级, 评定理由, 责任领导,
    # 现有防控措施, 建议防控措施, 关键岗位, 流程图, 步骤编号
    ["市住房和城乡建设局", "建筑工程施工许可", "行政许可", "审查", "审批科经办人", "", "三级",
     "三级", "三级: 直接涉及当事人权益 +1", "审批科科长", "", "", "是",
     "a-construction", "check"],
    ["市住房和城乡建设局", "建筑工程施工许可", "行政许可", "审批", "局长",
     "FG201 裁量权可不经任何制约直达办结\nFG401 高风险环节没有独立监督\n"
     "FG501 申报的风险等级低于建议等级", "一级", "",
     "一级: 管人财物: 涉及金额 ¥50,000,000 +1; 较大裁量权 +1; 重大事项 (三重一大) +1; "
     "直接涉及当事人权益 +1; 案件高发领域 (工程) +1",
     "市政府分管副市长", "裁量基准",
     "在其后增设独立审核 (法制审核)、集体决策或结果公示\n"
     "增加独立监督 (派驻纪检监察组、审计、电子监察)\n按建议等级重新评定并明确责任领导", "",
     "a-construction", "decide"],
]


def test_ledger_workbook_read_back_cell_by_cell(unit, tmp_path):
    out = tmp_path / "ledger.xlsx"
    result = run("ledger", unit, "-o", out, "--lang", "zh")
    assert result.exit_code == 2  # broken.yaml is named, the others are still in
    assert "broken.yaml" in result.output
    sheets = pd.read_excel(out, sheet_name=None, dtype=str, keep_default_na=False)
    assert list(sheets) == ["风险点台账", "岗位", "统计", "各单位"]
    assert sheets["各单位"].values.tolist() == [
        ["市住房和城乡建设局", "2", "2", "2", "0", "2", "4", "1",
         sheets["各单位"].values.tolist()[0][-1]]]
    ledger = sheets["风险点台账"]
    assert list(ledger.columns) == ["单位", "权力事项", "类别", "环节", "岗位", "风险点",
                                    "建议等级", "申报等级", "评定理由", "责任领导",
                                    "现有防控措施", "建议防控措施", "关键岗位", "文件",
                                    "流程图", "步骤编号"]
    assert len(ledger) == 4
    first_two = ledger.drop(columns=["文件"]).head(2).values.tolist()
    assert first_two == LEDGER_ZH
    assert ledger["文件"].str.endswith("a-construction.yaml").tolist()[:2] == [True, True]
    # the second chart: the clerk's grade-1 review, the deputy's sign-off
    assert ledger["步骤编号"].tolist()[2:] == ["check", "sign"]
    assert ledger["建议等级"].tolist()[2:] == ["一级", "三级"]
    assert ledger["责任领导"].tolist()[2:] == ["局长", "局长"]
    assert ledger["现有防控措施"].tolist()[3] == "集体讨论、公示"


def test_ledger_workbook_looks_right_in_a_spreadsheet(unit, tmp_path):
    out = tmp_path / "ledger.xlsx"
    run("ledger", unit, "-o", out, "--lang", "en")
    book = load_workbook(out)
    assert book.sheetnames == ["Ledger", "Posts", "Summary", "Units"]
    sheet = book["Ledger"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:P5"
    assert [c.value for c in sheet[1]][:7] == ["Unit", "Power item", "Category", "Step",
                                                "Post", "Risks found", "Suggested grade"]
    colours = {sheet.cell(row, 7).value: sheet.cell(row, 7).fill.fgColor.rgb
               for row in range(2, 6)}
    assert colours == {"grade 3": "FFFFE58F", "grade 1": "FFFF4D4F"}
    assert sheet.cell(2, 8).fill.fgColor.rgb == "FFFFE58F"  # declared grade 3
    # columns fit their widest text, up to 60: the reasons are longer
    assert sheet.column_dimensions["G"].width == len("Suggested grade") + 2
    assert sheet.column_dimensions["I"].width == 60
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2,
                                                                  values_only=True)}
    assert summary["Units"] == 1 and summary["Power items"] == 2
    assert summary["Flowcharts"] == 2 and summary["Files that could not be read"] == 1
    assert (summary["Risk points grade 1"], summary["Risk points grade 3"]) == (2, 2)
    posts = pd.read_excel(out, sheet_name="Posts", dtype=str, keep_default_na=False)
    clerk = posts[posts["Post"] == "审批科经办人"].iloc[0]
    assert (clerk["Post grade"], clerk["Responsible leader"], clerk["Flowcharts"]) == \
        ("grade 1", "局长", "2")


def test_ledger_bytes_are_reproducible_and_csv_opens_in_excel(unit, tmp_path):
    run("ledger", unit, "-o", tmp_path / "one.xlsx")
    run("ledger", unit, "-o", tmp_path / "two.xlsx")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
    run("ledger", unit, "-o", tmp_path / "ledger.csv", "--lang", "zh")
    raw = (tmp_path / "ledger.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(tmp_path / "ledger.csv", encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    assert table.drop(columns=["文件"]).head(2).values.tolist() == LEDGER_ZH


def test_ledger_refuses_other_suffixes(unit):
    result = run("ledger", unit, "-o", unit / "out.pdf")
    assert result.exit_code == 2 and ".xlsx or .csv" in result.output
    assert not (unit / "out.pdf").exists()


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
        "findings": figures["findings"], "waived": 0,
        "by_unit": [{"unit": "市住房和城乡建设局", "flowcharts": 2, "power_items": 2,
                     "risk_posts": {"1": 2, "2": 0, "3": 2},
                     "risk_posts_by_unit": {"1": 2, "2": 0, "3": 1},
                     "risk_points": {"1": 2, "2": 0, "3": 2}, "key_posts": 1,
                     "findings": sum(figures["findings"].values())}]}
    assert figures["findings"]["FG201"] == 2
    text = run("stats", unit, "--lang", "zh").output
    assert "单位 1 个, 权力事项 2 项, 流程图 2 个" in text
    assert "风险岗位 4 个: 一级 2 (50.0%), 二级 0 (0.0%), 三级 2 (50.0%)" in text
    assert "风险点 4 个: 一级 2 (50.0%), 二级 0 (0.0%), 三级 2 (50.0%)" in text
    assert "  市住房和城乡建设局: 流程图 2, 风险岗位 一级 2 二级 0 三级 2, 关键岗位 1" in text


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

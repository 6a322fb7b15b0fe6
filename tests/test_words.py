"""The Chinese words practitioners write for closed values (开始, 审批, 较大, 科级, 出纳, 一级,
是), read the same in every format: YAML, workbook, CSV, DOT, draw.io Edit Data and BPMN
``fg:`` attributes; a word outside the vocabulary is refused with the accepted words
listed in the user's language first; docs/formats.md shows the vocabulary as it is."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from flowgraph.cli import main
from flowgraph.errors import LoadError
from flowgraph.io import load, words
from flowgraph.io.words import choice_word, folded, grade_word, yes_no
from flowgraph.model import DISCRETION_LEVELS, DUTIES, RANKS, STEP_KINDS

from .conftest import ROOT

#: What every format below says in Chinese, as the model holds it.
EXPECTED = {
    "s": "start", "t": "task", "d": "decision", "o": "oversight", "e": "end",
    "discretion": "high", "duty": "custody", "grade": 1, "people": True, "rank": "section",
    "oversight_actor": True,
}

YAML = """\
flowgraph: 1
title: 许可
actors:
  a: {name: 科长, rank: 科级}
  j: {name: 纪检组, oversight: 是}
steps:
  s: {kind: 开始}
  t: {kind: 受理, actor: a}
  d: {kind: 审批, actor: a, discretion: 较大, duty: 出纳, declared_grade: 一级,
      stakes: {people: 是}}
  o: {kind: 监督, actor: j}
  e: {kind: 结束}
flow:
  - [s, t]
  - [t, d]
  - [d, e]
oversight:
  - [o, d]
"""

DOT = """digraph 许可 {
  title="许可";
  "actor:a" [kind=actor, name="科长", rank="科级"];
  "actor:j" [kind=actor, name="纪检组", oversight="是"];
  s [kind="开始"]; t [kind="受理", actor=a];
  d [kind="审批", actor=a, discretion="较大", duty="出纳", declared_grade="一级", people="是"];
  o [kind="监督", actor=j]; e [kind="结束"];
  s -> t; t -> d [kind="流转"]; d -> e; o -> d [kind="监督"];
}
"""

CSV_STEPS = """流程图,步骤编号,环节名称,类型,岗位,下一步,裁量权,职责,风险等级,人事,监督环节
许可,s,申请,开始,,t,,,,,
许可,t,受理,受理,a,d,,,,,
许可,d,审批,审批,a,e,较大,出纳,一级,是,o
许可,o,监督检查,监督,j,,,,,,
许可,e,办结,结束,,,,,,,
"""
CSV_ACTORS = """岗位编号,岗位名称,级别,监督机构
a,科长,科级,否
j,纪检组,,是
"""

DRAWIO = """<mxfile><diagram id="p" name="许可"><mxGraphModel><root>
<mxCell id="0"/><mxCell id="1" parent="0"/>
<object id="a" label="科长" rank="科级"><mxCell style="swimlane;" vertex="1" parent="1"/></object>
<object id="j" label="纪检组" oversight="是"><mxCell style="swimlane;" vertex="1" parent="1"/></object>
<object id="s" label="申请" kind="开始"><mxCell style="ellipse;" vertex="1" parent="a"/></object>
<object id="t" label="窗口收件" kind="受理"><mxCell vertex="1" parent="a"/></object>
<object id="d" label="局长签字" kind="审批" discretion="较大" duty="出纳" declared_grade="一级"
        people="是"><mxCell vertex="1" parent="a"/></object>
<object id="o" label="查看" kind="监督"><mxCell vertex="1" parent="j"/></object>
<object id="e" label="完" kind="结束"><mxCell style="ellipse;" vertex="1" parent="a"/></object>
<mxCell id="f1" edge="1" parent="1" source="s" target="t"/>
<mxCell id="f2" edge="1" parent="1" source="t" target="d"/>
<mxCell id="f3" edge="1" parent="1" source="d" target="e"/>
<object id="f4" label="" kind="监督"><mxCell edge="1" parent="1" source="o" target="d"/></object>
</root></mxGraphModel></diagram></mxfile>
"""

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:fg="https://flowgraph.dev/schema/bpmn/1">
  <collaboration id="c">
    <participant id="pa" name="许可" processRef="p"/>
    <participant id="j" name="派驻组" processRef="q" fg:oversight="是"/>
    <messageFlow id="m" sourceRef="o" targetRef="d"/>
  </collaboration>
  <process id="p" name="许可">
    <laneSet id="ls">
      <lane id="a" name="科长" fg:rank="科级">
        <flowNodeRef>s</flowNodeRef><flowNodeRef>t</flowNodeRef><flowNodeRef>d</flowNodeRef>
        <flowNodeRef>e</flowNodeRef></lane>
    </laneSet>
    <startEvent id="s" fg:kind="开始"/>
    <task id="t" name="窗口收件" fg:kind="受理"/>
    <task id="d" name="局长签字" fg:kind="审批" fg:discretion="较大" fg:duty="出纳"
          fg:declared_grade="一级" fg:people="是"/>
    <endEvent id="e" fg:kind="结束"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="d"/>
    <sequenceFlow id="f3" sourceRef="d" targetRef="e"/>
  </process>
  <process id="q"><task id="o" name="查看" fg:kind="监督"/></process>
</definitions>
"""


def _written(tmp_path, fmt):
    """The chart above, written in format ``fmt``; the path to load."""
    if fmt == "csv":
        (tmp_path / "流程.csv").write_text(CSV_STEPS, "utf-8")
        (tmp_path / "岗位.csv").write_text(CSV_ACTORS, "utf-8")
        return tmp_path / "流程.csv"
    if fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        for sheet, text in (("流程", CSV_STEPS), ("岗位", CSV_ACTORS)):
            page = book.create_sheet(sheet)
            for row in text.splitlines():
                page.append([cell or None for cell in row.split(",")])
        book.remove(book.worksheets[0])
        book.save(tmp_path / "许可.xlsx")
        return tmp_path / "许可.xlsx"
    text = {"yaml": YAML, "dot": DOT, "drawio": DRAWIO, "bpmn": BPMN}[fmt]
    path = tmp_path / f"许可.{fmt}"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx", "dot", "drawio", "bpmn"])
def test_every_format_reads_the_chinese_words(tmp_path, fmt):
    if fmt == "dot":
        pytest.importorskip("pygraphviz")
    chart = load(_written(tmp_path, fmt))
    for step in ("s", "t", "d", "o", "e"):
        assert chart.steps[step].kind == EXPECTED[step], (fmt, step)
    d = chart.steps["d"]
    assert (d.discretion, d.duty, d.declared_grade, d.stakes.people) == \
        ("high", "custody", 1, True)
    assert chart.actors["a"].rank == "section" and chart.actors["j"].oversight
    assert ("o", "d") in {(e.source, e.target) for e in chart.oversights}


@pytest.mark.parametrize("fmt, old, new", [
    ("yaml", "discretion: 较大", "discretion: 很大"),
    ("csv", "较大", "很大"),
    ("dot", 'discretion="较大"', 'discretion="很大"'),
    ("drawio", 'discretion="较大"', 'discretion="很大"'),
    ("bpmn", 'fg:discretion="较大"', 'fg:discretion="很大"'),
])
def test_a_word_outside_the_vocabulary_lists_the_accepted_words(tmp_path, fmt, old, new):
    if fmt == "dot":
        pytest.importorskip("pygraphviz")
    path = _written(tmp_path, fmt)
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    with pytest.raises(LoadError) as caught:
        load(path)
    assert "'很大' is not allowed (did you mean '大'?); expected one of: none, low, " \
           "medium, high (or 无、较小、一般、较大)" in caught.value.message.en
    assert "“很大” 不是允许的值 (是否应为 “大”?); 应为以下之一: 无、较小、一般、较大 (或 none, " \
           "low, medium, high)" in caught.value.message.zh


def test_the_check_command_says_it_in_chinese(tmp_path):
    path = _written(tmp_path, "yaml")
    path.write_text(YAML.replace("rank: 科级", "rank: 处级"), "utf-8")
    result = CliRunner().invoke(main, ["check", "--lang", "zh", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "“处级” 不是允许的值; 应为以下之一: 科员、科级、副职、正职" in result.output


@pytest.mark.parametrize("field, allowed", [
    ("kind", STEP_KINDS), ("discretion", DISCRETION_LEVELS), ("rank", RANKS), ("duty", DUTIES)])
def test_every_value_has_a_written_word_and_every_word_reads_back(field, allowed):
    written = words.chosen_words(field, allowed)
    assert len(written) == len(allowed)
    for word, value in words.CHOICE_WORDS[field].items():
        if value in allowed:
            assert choice_word(field, word, allowed) == value


@pytest.mark.parametrize("text, meant", [
    ("较 大", "high"), ("ＨＩＧＨ", "high"), ("High", "high"), ("很大", None), ("", None)])
def test_words_are_compared_folded(text, meant):
    assert choice_word("discretion", text, DISCRETION_LEVELS) == meant


def test_yes_no_and_grades():
    assert [yes_no(w) for w in ("是", "√", "涉及", "ＹＥＳ", "否", "不涉及", "", "也许")] == \
        [True, True, True, True, False, False, False, None]
    assert [grade_word(w) for w in ("一级", "Ⅱ级", "★", "三级风险", "四级")] == [1, 2, 3, 3, None]
    assert folded("Ⅱ级") == "ii级"


def test_the_documented_table_is_the_vocabulary():
    assert words.markdown() in (ROOT / "docs" / "formats.md").read_text("utf-8")


@pytest.mark.parametrize("written, members", [
    ("是", 3), ("否", None), ("7人", 7), ("7", 7), ("true", 3)])
def test_a_collective_body_by_its_members_or_yes_and_no(tmp_path, written, members):
    path = tmp_path / "c.yaml"
    path.write_text(YAML.replace("rank: 科级}", f"rank: 科级, collective: {written}}}"),
                    "utf-8")
    assert load(path).actors["a"].collective == members

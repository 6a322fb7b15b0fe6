"""Tables, DOT, the YAML writer, conversion, detection by content and the actors file."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from flowgraph.analysis import audit
from flowgraph.cli import main
from flowgraph.errors import LoadError
from flowgraph.io import load, load_all, sniff
from flowgraph.io.yaml_format import loads
from flowgraph.io.yaml_writer import dumps
from flowgraph.model import Flowchart

from .conftest import ENGLISH
from .strategies import flowcharts

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "flowcharts").glob("*.yaml"))


def same(a: Flowchart, b: Flowchart, ordered_edges: bool = True) -> None:
    """Every model attribute is the same (positions aside)."""
    assert (a.id, a.title, a.unit, a.category, a.basis, a.superior_in_charge) == \
        (b.id, b.title, b.unit, b.category, b.basis, b.superior_in_charge)
    assert list(a.steps.values()) == list(b.steps.values())
    assert list(a.actors.values()) == list(b.actors.values())
    edges = [[(e.source, e.target, e.kind, e.label) for e in c.flows + c.oversights]
             for c in (a, b)]
    if not ordered_edges:
        edges = [sorted(e, key=str) for e in edges]
    assert edges[0] == edges[1]


def findings(chart):
    return [(f.rule, f.steps, f.waived) for f in audit(chart)]


# -- native YAML writer -------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_yaml_round_trip_of_every_sample(path):
    chart = load(path)
    again = loads(dumps(chart), str(path))
    same(chart, again)
    assert findings(again) == findings(chart)
    assert dumps(again) == dumps(chart)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flowcharts())
def test_yaml_and_dot_round_trips_keep_every_attribute(chart):
    same(chart, loads(dumps(chart), "c.yaml"))
    pytest.importorskip("pygraphviz")
    from flowgraph.io import dot_format
    same(chart, dot_format.read(dot_format.write(chart).encode(), "c.dot")[0],
         ordered_edges=False)


# -- DOT --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_dot_round_trip_of_every_sample(path):
    pytest.importorskip("pygraphviz")
    from flowgraph.io import dot_format
    chart = load(path)
    again = dot_format.read(dot_format.write(chart).encode(), str(path))[0]
    same(chart, again, ordered_edges=False)
    assert sorted(findings(again)) == sorted(findings(chart))


def test_dot_written_by_hand(tmp_path):
    pytest.importorskip("pygraphviz")
    path = tmp_path / "permit.dot"
    path.write_text(textwrap.dedent("""\
        // a licence drawn in Graphviz
        digraph permit {
          title="施工许可"; unit="市住房和城乡建设局";
          "actor:chief" [kind=actor, name="审批科科长", rank=section];
          apply [kind=start, label="申请"];
          decide [kind=decision, label="审批", actor=chief, discretion=high, money="500万",
                  controls="裁量基准；集体讨论"];
          watch [kind=oversight, label="电子监察"];
          done [kind=end, label="办结"];
          apply -> decide -> done;
          watch -> decide [style=dashed];
        }
        """), "utf-8")
    chart = load(path)
    assert chart.steps["decide"].stakes.money == 5_000_000
    assert chart.steps["decide"].controls == ("裁量基准", "集体讨论")
    assert [(e.source, e.target) for e in chart.oversights] == [("watch", "decide")]
    assert chart.actors["chief"].rank == "section"


@pytest.mark.parametrize("text, words", [
    ("digraph {\n  a -> ;\n}\n", ("permit.dot:2:", "DOT syntax error", "line 2")),
    ("graph { a -- b }\n", ("expected a directed graph",)),
    ('digraph { title="x"; a [kind=approve]; }\n', ("node 'a'", "'approve' is not allowed")),
    ('digraph { title="x"; a [kind=start]; b [kind=end]; a -> c [kind=oversight]; }\n',
     ("step 'c' lacks its kind (one of: start, end, task",)),
])
def test_dot_errors(tmp_path, text, words):
    pytest.importorskip("pygraphviz")
    path = tmp_path / "permit.dot"
    path.write_text(text, "utf-8")
    with pytest.raises(LoadError) as caught:
        load(path)
    for word in words:
        assert word in caught.value.describe("en")


# -- tables ---------------------------------------------------------------------------


def workbook(path, steps, actors=None, charts=None, names=("流程", "岗位", "事项")):
    from openpyxl import Workbook
    book = Workbook()
    book.remove(book.active)
    for name, rows in zip(names, (steps, actors, charts), strict=False):
        if rows is not None:
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
    book.save(path)


STEPS = [
    ["流程图", "步骤编号", "环节名称", "类型", "岗位", "下一步", "裁量权", "金额", "防控措施",
     "风险等级", "监督环节"],
    ["fee", "apply", "申请减免", "start", None, "check", None, None, None, None, None],
    ["fee", "check", "审核", "review", "clerk", "decide", "low", None, None, "三级", None],
    ["fee", "decide", "决定减免", "decision", "chief", "done", "high", "50万", "裁量基准；集体讨论",
     "一级", "watch"],
    ["fee", "watch", "纪检监督", "oversight", "group", None, None, None, None, None, None],
    ["fee", "done", "办结", "end", None, None, None, None, None, None, None],
    ["permit", "a", "申请", "start", None, "b", None, None, None, None, None],
    ["permit", "b", "审批", "decision", "chief", "c", "medium", None, None, None, None],
    ["permit", "c", "发证", "end", None, None, None, None, None, None, None],
]
ACTORS = [["岗位编号", "岗位名称", "级别", "上级", "监督机构"],
          ["clerk", "收费员", "staff", "chief", None],
          ["chief", "收费科科长", "section", None, None],
          ["group", "派驻纪检监察组", None, None, "是"]]
CHARTS = [["事项编号", "事项名称", "单位", "类别"],
          ["fee", "防空地下室易地建设费减免", "市人民防空办公室", "行政征收"],
          ["permit", "施工许可", "市住房和城乡建设局", "行政许可"]]


def test_a_workbook_holds_many_flowcharts_with_chinese_headers(tmp_path):
    path = tmp_path / "unit.xlsx"
    workbook(path, STEPS, ACTORS, CHARTS)
    fee, permit = load_all(path)
    assert (fee.id, fee.title, fee.unit, fee.category) == (
        "fee", "防空地下室易地建设费减免", "市人民防空办公室", "行政征收")
    decide = fee.steps["decide"]
    assert (decide.kind, decide.discretion, decide.stakes.money, decide.controls,
            decide.declared_grade) == ("decision", "high", 500_000, ("裁量基准", "集体讨论"), 1)
    assert [(e.source, e.target) for e in fee.oversights] == [("watch", "decide")]
    assert fee.actors["group"].oversight and fee.actors["clerk"].reports_to == "chief"
    assert list(permit.actors) == ["clerk", "chief", "group"]  # shared by the workbook
    # the group watches the decision (no FG401); nothing checks it before the end; the
    # declared grades are the suggested ones (the decision meets four criteria: ¥500,000,
    # high discretion, decided collectively, a levy on a party; the check, with a little
    # latitude, is grade 3)
    assert findings(fee) == [("FG201", ("decide",), False)]
    assert [f[0] for f in findings(permit)] == ["FG201", "FG301", "FG401"]


@pytest.mark.parametrize("row, words", [
    (["fee", "x", "审核", "approve", "clerk", None, None, None, None, None, None],
     ("sheet '流程', row 7, column D '类型' (kind): 'approve' is not allowed",
      "(or 开始、结束、办理、决定、审核、监督、公开、分支、系统)")),
    (["fee", "x", "审核", "review", "clerk", "nowhere", None, None, None, None, None],
     ("sheet '流程', row 7", "flow refers to the undeclared step 'nowhere'")),
    (["fee", "x", "审核", "review", "clerk", None, None, "很多", None, None, None],
     ("row 7, column H '金额' (money): expected an amount in yuan",)),
    (["fee", "check", "审核", "review", "clerk", None, None, None, None, None, None],
     ("row 7", "duplicate step 'check'")),
])
def test_workbook_errors_name_sheet_row_and_column(tmp_path, row, words):
    path = tmp_path / "unit.xlsx"
    workbook(path, STEPS[:6] + [row], ACTORS, CHARTS)
    with pytest.raises(LoadError) as caught:
        load_all(path)
    assert caught.value.line == 7 and caught.value.path == str(path)
    for word in words:
        assert word in caught.value.describe("en")


def test_unknown_columns_a_near_miss_and_missing_sheet(tmp_path):
    path = tmp_path / "unit.xlsx"
    # a column of the unit's own (备注) loads, named in a warning; a near miss of a
    # column's name (风险等极 for 风险等级) would silently drop it: refused
    workbook(path, [STEPS[0] + ["备注"]] + [r + ["见附件"] for r in STEPS[1:]])
    charts = load_all(path)
    assert [str(w.message.en) for w in charts[0].warnings] == \
        [f"sheet '流程': columns {chr(ord('A') + len(STEPS[0]))} “备注” are not flowgraph's: "
         "kept as written (no rule reads them)"]
    workbook(path, [STEPS[0] + ["风险等极"]] + [r + [None] for r in STEPS[1:]])
    with pytest.raises(LoadError) as caught:
        load_all(path)
    assert "unknown column '风险等极' (did you mean '风险等级'?" in caught.value.describe("en")
    workbook(path, STEPS, names=("Sheet1",))
    with pytest.raises(LoadError) as caught:
        load_all(path)
    assert "no steps table" in caught.value.describe("en")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LoadError) as caught:
        load_all(tmp_path / "broken.xlsx")
    assert "not a valid Excel workbook" in caught.value.describe("en")


def test_a_csv_set_is_read_from_its_steps_file(tmp_path):
    import csv
    for name, rows in (("steps.csv", STEPS), ("actors.csv", ACTORS),
                       ("flowcharts.csv", CHARTS)):
        with open(tmp_path / name, "w", newline="", encoding="utf-8") as stream:
            csv.writer(stream).writerows([["" if v is None else v for v in r] for r in rows])
    fee, permit = load_all(tmp_path / "steps.csv")
    assert fee.steps["decide"].stakes.money == 500_000 and permit.title == "施工许可"
    result = CliRunner(env=ENGLISH).invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 0 and "steps.csv: ok (2 flowchart(s), 8 steps)" in result.output
    assert "actors.csv" not in result.output


# -- detection, conversion, the actors file ---------------------------------------------


def test_formats_are_recognised_by_content():
    assert sniff(b"flowgraph: 1\ntitle: x\n") == "yaml"
    assert sniff(b"// comment\ndigraph { a -> b }") == "dot"
    assert sniff(b'<?xml version="1.0"?><mxfile><diagram/></mxfile>') == "drawio"
    assert sniff(b'<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="x"/>') == "bpmn"
    assert sniff(b"PK\x03\x04....") == "xlsx"
    assert sniff(b"hello") is None


def test_convert_between_formats_keeps_the_findings(tmp_path):
    pytest.importorskip("pygraphviz")
    runner = CliRunner(env=ENGLISH)
    sample = ROOT / "flowcharts" / "fund-disbursement.yaml"
    assert runner.invoke(main, ["convert", str(sample), "-o", str(tmp_path / "f.dot")]) \
        .exit_code == 0
    assert runner.invoke(main, ["convert", str(tmp_path / "f.dot"), "-o",
                                str(tmp_path / "f.yaml")]).exit_code == 0
    assert sorted(findings(load(tmp_path / "f.yaml"))) == sorted(findings(load(sample)))
    book = tmp_path / "unit.xlsx"
    workbook(book, STEPS, ACTORS, CHARTS)
    result = runner.invoke(main, ["convert", str(book), "-o", str(tmp_path / "f2.yaml")])
    assert result.exit_code == 2 and "choose one with --flowchart" in result.output
    result = runner.invoke(main, ["convert", str(book), "-o", str(tmp_path / "out") + "/"])
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["fee.yaml", "permit.yaml"]
    result = runner.invoke(main, ["convert", str(sample), "-o", str(tmp_path / "f.png")])
    assert result.exit_code == 2 and "cannot write .png" in result.output


def test_an_actors_file_supplies_ranks_and_reporting_lines(tmp_path):
    chart = tmp_path / "diagram.yaml"
    chart.write_text(textwrap.dedent("""\
        flowgraph: 1
        title: 专项资金分配
        actors:
          Lane_1: {name: 投资科科长}
          Lane_2: {name: 分管副局长}
        steps:
          s: {kind: start}
          propose: {kind: task, actor: Lane_1, discretion: high, controls: [裁量基准]}
          review: {kind: review, actor: Lane_2}
          e: {kind: end}
        flow: [[s, propose], [propose, review], [review, e]]
        """), "utf-8")
    side = tmp_path / "side.yaml"  # not actors.yaml: that one is read by convention
    side.write_text(textwrap.dedent("""\
        actors:
          chief:  {name: 投资科科长, rank: section, reports_to: deputy}
          deputy: {name: 分管副局长, rank: deputy, reports_to: head}
          head:   {name: 局长, rank: principal}
        """), "utf-8")
    runner = CliRunner(env=ENGLISH)
    # without the side file the review's post is on no one's line: it checks (no FG201);
    # with it, the deputy is the chief's superior: still independent; grades differ
    plain = runner.invoke(main, ["audit", "--format", "json", str(chart)])
    import json
    with_side = runner.invoke(main, ["audit", "--format", "json", "--actors", str(side),
                                     str(chart)])
    grades = {g["step"]: g for g in json.loads(with_side.output)["grades"]}
    # grade 3 (high discretion in a special fund): the direct supervisor, as the side
    # file's reporting line names him; without it, nobody can be named
    assert (grades["propose"]["grade"], grades["propose"]["responsible"]) == (3, "分管副局长")
    before = {g["step"]: g for g in json.loads(plain.output)["grades"]}
    assert (before["propose"]["grade"], before["propose"]["responsible"]) == (3, None)
    assert before["propose"]["responsible_note"] == "the flowcharts name no direct supervisor"
    side.write_text("actors:\n  a: {name: x, rank: boss}\n", "utf-8")
    result = runner.invoke(main, ["audit", "--actors", str(side), str(chart)])
    assert result.exit_code == 2 and "side.yaml:2:" in result.output


@pytest.mark.parametrize("text", ["FG３０１: 法定独任", "FG３０１: 法定独任; FG2: 已公示"])
def test_a_waiver_with_full_width_digits_is_refused_in_every_format(text):
    """FG３０１ names no rule: accepted, it would waive nothing. The shared builder
    refuses it as the YAML reader does."""
    from flowgraph.io.builder import ChartBuilder, Place
    with pytest.raises(LoadError) as caught:
        ChartBuilder("x.csv").waivers(text, "waive", Place(3))
    assert "is not a rule code (such as FG301)" in caught.value.describe("en")

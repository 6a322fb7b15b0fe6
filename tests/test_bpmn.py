"""BPMN 2.0: files in the style of the common tools' exports, round trips without loss,
warnings for what is not modelled, and XML that cannot hurt."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from flowgraph.analysis import audit
from flowgraph.cli import main
from flowgraph.errors import LoadError
from flowgraph.io import ReadOptions, load, load_all, sniff
from flowgraph.io.bpmn import MODEL, read, write

from .strategies import flowcharts
from .test_formats import SAMPLES
from .timing import within

DATA = Path(__file__).resolve().parent / "data" / "bpmn"


def rules(chart) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((f.rule, f.steps) for f in audit(chart))


def same_model(a, b) -> None:
    """Every model attribute is the same; the BPMN writer puts oversight steps that
    stand beside the flow in their own pool, so steps and actors may come in another
    order."""
    for key in ("id", "title", "unit", "category", "basis", "superior_in_charge"):
        assert getattr(a, key) == getattr(b, key), key
    assert a.steps == b.steps
    assert a.actors == b.actors
    edges = [sorted((e.source, e.target, e.kind, e.label or "") for e in c.flows + c.oversights)
             for c in (a, b)]
    assert edges[0] == edges[1]


# -- exports of the common tools --------------------------------------------------------


def test_a_camunda_export_lanes_tasks_annotations():
    chart = load(DATA / "camunda-penalty.bpmn")
    assert chart.title == "价格违法行为行政处罚" and not chart.warnings
    assert {a.id: a.name for a in chart.actors.values()} == {
        "Lane_officer": "执法人员", "Lane_legal": "法制审核科", "Lane_head": "局长"}
    kinds = {s.id: (s.kind, s.actor) for s in chart.steps.values()}
    assert kinds == {
        "StartEvent_1": ("start", None),
        "Activity_investigate": ("task", "Lane_officer"),
        "Activity_propose": ("task", "Lane_officer"),
        "Activity_legal": ("review", "Lane_legal"),
        "Gateway_major": ("gateway", None),
        "Activity_decide": ("decision", "Lane_head"),
        "Activity_serve": ("system", None),  # a send task: software delivers
        "EndEvent_closed": ("end", None),
    }
    propose = chart.steps["Activity_propose"]
    # the annotation: "裁量权较大 … 无裁量基准": high discretion, and *no* benchmark
    assert propose.discretion == "high" and propose.controls == ()
    labels = {(e.source, e.target): e.label for e in chart.flows}
    assert labels[("Gateway_major", "Activity_decide")] == "重大案件"
    assert rules(chart) == [("FG202", ("Activity_propose",)), ("FG401", ("Activity_propose",))]


def test_a_signavio_export_with_a_collapsed_supervisory_pool():
    chart = load(DATA / "signavio-procurement.bpmn")
    group = chart.steps["sid-group"]
    assert group.kind == "oversight" and chart.actors[group.actor].oversight
    assert [(e.source, e.target, e.label) for e in chart.oversights] == [
        ("sid-group", "sid-decide", "全程监督")]
    # the supplier's black-box pool is outside the model: no edge, no warning
    assert not chart.warnings and "sid-supplier" not in chart.steps
    assert chart.steps["sid-evaluate"].controls == ("专家随机抽取", "回避")
    decide = chart.steps["sid-decide"]
    assert (decide.kind, decide.discretion, decide.controls) == ("decision", "high", ("集体决策",))
    assert chart.steps["sid-publish"].kind == "disclosure"
    # watched by the stationed group: no FG401 on the decision, only its missing benchmark
    assert rules(chart) == [("FG202", ("sid-decide",))]


def test_a_bizagi_export_sub_process_and_events_are_expanded():
    chart = load(DATA / "bizagi-license.bpmn")
    assert "examine" not in chart.steps and not chart.warnings
    flows = {(e.source, e.target) for e in chart.flows}
    # its start and end events are points the matter passes through
    assert "ex_start" not in chart.steps and "ex_end" not in chart.steps
    assert flows == {("start", "accept"), ("accept", "ex_docs"),
                     ("ex_docs", "ex_site"), ("ex_site", "ex_decide"),
                     ("ex_decide", "wait"), ("ex_decide", "overdue"), ("wait", "issue"),
                     ("overdue", "issue"), ("issue", "done")}
    # the sub-process's lane is the actor of its tasks
    assert chart.steps["ex_site"].actor == "lane_section"
    assert chart.steps["ex_decide"].kind == "decision"
    # intermediate and boundary events are neutral; the boundary is left from its activity
    assert chart.steps["wait"].kind == chart.steps["overdue"].kind == "system"
    assert "do1" not in chart.steps and "g1" not in chart.steps


def test_unsupported_constructs_are_warnings_and_the_rest_loads():
    chart = load(DATA / "unsupported.bpmn")
    assert list(chart.steps) == ["s", "t", "e"]
    messages = [w.describe("en") for w in chart.warnings]
    assert len(messages) == 3
    assert "unsupported.bpmn:4: <choreography id='ch1'>: choreography is not supported" \
        in messages[0]
    assert "event sub-process" in messages[1] and ":16:" in messages[1]
    assert "whole pool" in messages[2]


def test_warnings_reach_the_text_and_json_reports():
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(DATA / "unsupported.bpmn"), "--lang", "en"])
    assert checked.exit_code == 0 and checked.output.count("import warning: ") == 3
    result = runner.invoke(main, ["audit", str(DATA / "unsupported.bpmn"), "--lang", "en"])
    assert "import warning: " in result.output and "choreography" in result.output
    result = runner.invoke(main, ["audit", str(DATA / "unsupported.bpmn"), "--format", "json"])
    warnings = json.loads(result.output)["files"][0]["warnings"]
    assert [w["line"] for w in warnings] == [4, 16, 8]
    assert "choreography" in warnings[0]["message"]


def test_nested_lanes_give_the_innermost_and_fg_attributes_win(tmp_path):
    path = tmp_path / "x.bpmn"
    path.write_text("""<?xml version="1.0"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:fg="https://flowgraph.dev/schema/bpmn/1" fg:unit="市财政局">
  <process id="p" name="专项资金拨付">
    <laneSet id="ls"><lane id="bureau" name="市财政局"><childLaneSet id="cls">
      <lane id="section" name="经建科" fg:rank="section" fg:reports_to="deputy">
        <flowNodeRef>s</flowNodeRef><flowNodeRef>t</flowNodeRef></lane>
      <lane id="deputy" name="分管副局长" fg:rank="deputy"><flowNodeRef>d</flowNodeRef></lane>
    </childLaneSet></lane></laneSet>
    <startEvent id="s"/>
    <task id="t" name="审核项目资料" fg:kind="task" fg:money="500万" fg:duty="execute"/>
    <task id="d" name="拨付" fg:kind="decision" fg:discretion="medium"
          fg:waive='{"FG301": "法定独任"}' fg:controls='["电子监察"]'/>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="d"/>
    <sequenceFlow id="f3" sourceRef="d" targetRef="e"/>
  </process>
</definitions>""", "utf-8")
    chart = load(path)
    assert chart.unit == "市财政局" and list(chart.actors) == ["section", "deputy"]
    assert chart.actors["section"].reports_to == "deputy" and chart.actors["deputy"].rank == "deputy"
    t, d = chart.steps["t"], chart.steps["d"]
    assert (t.kind, t.actor, t.stakes.money, t.duty) == ("task", "section", 5_000_000, "execute")
    assert (d.kind, d.discretion, dict(d.waive), d.controls) == \
        ("decision", "medium", {"FG301": "法定独任"}, ("电子监察",))


def test_message_flows_between_the_matters_own_pools_are_flow(tmp_path):
    path = tmp_path / "x.bpmn"
    path.write_text("""<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <collaboration id="c">
    <participant id="pa" name="申请人" processRef="a"/>
    <participant id="pb" name="审批局" processRef="b"/>
    <messageFlow id="m" sourceRef="submit" targetRef="accept"/>
  </collaboration>
  <process id="a"><startEvent id="s"/><task id="submit" name="提交申请"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="submit"/></process>
  <process id="b"><task id="accept" name="受理"/><endEvent id="e"/>
    <sequenceFlow id="f2" sourceRef="accept" targetRef="e"/></process>
</definitions>""", "utf-8")
    chart = load(path)
    assert {(e.source, e.target, e.kind) for e in chart.flows} == {
        ("s", "submit", "flow"), ("submit", "accept", "flow"), ("accept", "e", "flow")}
    # a pool without lanes is the actor of its nodes
    assert chart.steps["submit"].actor == "pa" and chart.steps["accept"].actor == "pb"
    assert chart.title == "申请人"


# -- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_round_trip_of_every_sample_keeps_the_model_and_the_findings(path):
    chart = load(path)
    again = read(write(chart).encode("utf-8"), "again.bpmn")[0]
    same_model(chart, again)
    assert rules(chart) == rules(again) and not again.warnings


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flowcharts())
def test_round_trips_keep_every_attribute(chart):
    again = read(write(chart).encode("utf-8"), "x.bpmn")[0]
    same_model(chart, again)


def test_writing_is_deterministic_and_valid_bpmn():
    chart = load(SAMPLES[0])
    text = write(chart)
    assert text == write(load(SAMPLES[0]))
    from lxml import etree
    root = etree.fromstring(text.encode("utf-8"))
    model = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    assert root.tag == model + "definitions"
    # every sequence flow joins two nodes of its process
    for process in root.iter(model + "process"):
        ids = {e.get("id") for e in process}
        for flow in process.iter(model + "sequenceFlow"):
            assert flow.get("sourceRef") in ids and flow.get("targetRef") in ids


def test_convert_through_bpmn_keeps_the_findings(tmp_path):
    runner = CliRunner()
    sample = next(p for p in SAMPLES if p.stem == "penalty-price-violation")
    out = tmp_path / "p.bpmn"
    assert runner.invoke(main, ["convert", str(sample), "-o", str(out)]).exit_code == 0
    back = tmp_path / "p.yaml"
    assert runner.invoke(main, ["convert", str(out), "-o", str(back)]).exit_code == 0
    assert rules(load(back)) == rules(load(sample))


def test_a_bpmn_file_is_recognised_by_content(tmp_path):
    data = (DATA / "signavio-procurement.bpmn").read_bytes()
    assert sniff(data) == "bpmn"
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    assert load_all(path)[0].title == "县第一中学教学设备采购"


def test_an_annotation_gives_the_controls_it_names_in_its_order():
    """Each control once, in the words written and the order named (it used to follow
    string hashing, so varied from run to run), a longer name before one inside it."""
    data = f"""<?xml version="1.0"?>
<definitions xmlns="{MODEL}">
  <process id="p" name="采购">
    <startEvent id="s"/><userTask id="t" name="审批"/><endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
    <textAnnotation id="n"><text>回避; 时限; 公示; 双人复核; 无裁量基准</text></textAnnotation>
    <association id="a" sourceRef="n" targetRef="t"/>
  </process>
</definitions>""".encode()
    [chart] = read(data, "x.bpmn")
    assert chart.steps["t"].controls == ("回避", "时限", "公示", "双人复核")


def test_supervisory_names_are_configurable():
    data = (DATA / "unsupported.bpmn").read_bytes().replace(
        b'<messageFlow id="mf" sourceRef="audit" targetRef="p"/>',
        b'<messageFlow id="mf" sourceRef="audit" targetRef="t"/>')
    # 内部审计科 does its own work by default; a configuration can make it supervisory
    assert not read(data, "x.bpmn")[0].oversights
    assert read(data, "x.bpmn", ReadOptions(supervisory_names=("审计",)))[0].oversights


# -- bad and hostile files -------------------------------------------------------------------


@pytest.mark.parametrize("text, line, words", [
    ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">\n<process id="p">\n'
     '<task id="t"></process></definitions>', 3, "XML syntax error"),
    ('<mxfile/>', 1, "the root element is <mxfile>; expected a BPMN 2.0 file"),
    ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>', 1,
     "the file holds no process"),
    ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">\n'
     '<task id="t" fg:kind="decison" xmlns:fg="https://flowgraph.dev/schema/bpmn/1"/>'
     '</process></definitions>', 2, "kind: 'decison' is not allowed (did you mean 'decision'?)"),
])
def test_errors_name_the_line(text, line, words):
    with pytest.raises(LoadError) as caught:
        read(text.encode("utf-8"), "bad.bpmn")
    assert caught.value.line == line and words in caught.value.describe("en")


def test_an_xml_error_names_line_and_column_as_libxml2_gives_them():
    with pytest.raises(LoadError) as caught:
        read(b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">\n'
             b"<process id=\"p\">&x;</process></definitions>", "bad.bpmn")
    assert (caught.value.line, caught.value.column) == (2, 20)
    assert "Entity 'x' not defined" in caught.value.describe("en")


BPMN_HEAD = '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">'


@pytest.mark.parametrize("data, english, plain", [
    ((BPMN_HEAD + '<task id="t">').encode(), "Premature end of data in tag task",
     "文件在中途结束，<task> 没有结束标记"),
    ((BPMN_HEAD + '<task id="t"></process></definitions>').encode(),
     "Opening and ending tag mismatch: task", "<task> 的结束标记不对（遇到的是 </process>）"),
    ((BPMN_HEAD + '<task id="t" name="审批 & 签发"/></process></definitions>').encode(),
     "xmlParseEntityRef: no name", "文字中有单独的 `&`，应写作 `&amp;`"),
    ((BPMN_HEAD + '<task id="t" name=审批/></process></definitions>').encode(),
     "AttValue", "属性的值没有用引号括起来"),
    ((BPMN_HEAD + '<task id="t" name="审批"/></process></definitions>').encode("gbk"),
     "Invalid bytes in character encoding", "多半是以 GBK 保存却声明为 UTF-8"),
    ((BPMN_HEAD + '<task id="t" id="u"/></process></definitions>').encode(),
     "Attribute id redefined", "属性 id 写了两次"),
    (b"", "Document is empty", "文件是空的"),
])
def test_an_xml_error_is_said_in_plain_chinese(data, english, plain):
    """libxml2's words in English; in Chinese what they mean and what usually causes
    them, never libxml2's English inside the Chinese message."""
    with pytest.raises(LoadError) as caught:
        read(data, "bad.bpmn")
    zh = caught.value.describe("zh")
    assert english in caught.value.describe("en") and plain in zh, zh
    assert english not in zh


def test_a_billion_laughs_is_refused_at_once():
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    text = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">{entities}]>'
            '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" name="&l9;">'
            '<process id="p"><task id="t" name="&l9;"/></process></definitions>')
    with within(1), pytest.raises(LoadError):
        read(text.encode("utf-8"), "bomb.bpmn")


@pytest.mark.parametrize("use, refusal", [
    # in an attribute, the parser stops at the entity before the DTD is looked at
    ('<task id="t" name="&x;"/>', "XML syntax error: Attribute references external entity 'x'"),
    ('<task id="t"><documentation>&x;</documentation></task>',
     "the file declares a DTD (<!DOCTYPE>), which is refused for safety"),
])
def test_an_external_entity_is_never_read(tmp_path, use, refusal):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", "utf-8")
    text = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
            f'<process id="p" name="x">{use}</process></definitions>')
    with pytest.raises(LoadError) as caught:
        read(text.encode("utf-8"), "xxe.bpmn")
    message = caught.value.describe("en")
    assert refusal in message and "TOP-SECRET" not in message


def test_a_trisotech_style_export_nested_lanes_and_a_collapsed_sub_process():
    chart = load(DATA / "trisotech-appointment.bpmn")
    assert chart.title == "局机关科级干部选拔任用" and not chart.warnings
    # the innermost lanes are the posts; the bureau around them is not one
    assert list(chart.actors) == ["lane_hr", "lane_party"]
    inspect = chart.steps["inspect"]  # collapsed: one step, its flows kept
    assert (inspect.kind, inspect.actor) == ("task", "lane_hr")
    assert {(e.source, e.target) for e in chart.flows} == {
        ("start", "nominate"), ("nominate", "inspect"), ("inspect", "discuss"),
        ("discuss", "publicity"), ("publicity", "end")}
    assert chart.steps["discuss"].kind == "decision"
    assert chart.steps["discuss"].controls == ("集体讨论",)
    assert chart.steps["publicity"].kind == "disclosure"


def test_a_boundary_event_may_come_before_its_activity(tmp_path):
    text = (DATA / "bizagi-license.bpmn").read_text("utf-8")
    start, end = text.index("    <bpmn2:boundaryEvent"), text.index("    <bpmn2:intermediate")
    boundary, rest = text[start:end], text[:start] + text[end:]
    at = rest.index("    <bpmn2:subProcess")
    path = tmp_path / "reordered.bpmn"
    path.write_text(rest[:at] + boundary + rest[at:], "utf-8")
    # the same flows as in document order: the boundary is still left from its activity
    assert {(e.source, e.target) for e in load(path).flows} == \
        {(e.source, e.target) for e in load(DATA / "bizagi-license.bpmn").flows}


@pytest.mark.parametrize("name, kind", [
    ("局长审批", "decision"), ("填写审批表", "task"), ("送达处罚决定书", "task"),
    ("公示审批结果", "disclosure"), ("Internal audit", "oversight")])
def test_task_names_give_kinds_as_in_draw_io(tmp_path, name, kind):
    """BPMN and draw.io read a name's words through one function: a document's name
    (审批表) is no decision in either."""
    path = tmp_path / "x.bpmn"
    path.write_text(f'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
                    f'<process id="p" name="x"><userTask id="t" name="{name}"/></process>'
                    f'</definitions>', "utf-8")
    assert load(path).steps["t"].kind == kind

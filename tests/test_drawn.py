"""Drawings as the modelling tools save them (issue 18): fixtures reduced from the
public corpora (tests/data/corpora, NOTICE.md) load, with what flowgraph cannot use
reported, and the BPMN and draw.io constructs read as modellers mean them."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgraph.analysis import audit
from flowgraph.cli import main
from flowgraph.errors import LoadError
from flowgraph.io import ReadOptions, load, load_all
from flowgraph.io.annotations import combine, read_annotation
from flowgraph.io.bpmn import read as read_bpmn
from flowgraph.io.drawio import read as read_drawio

from .timing import within

CORPORA = Path(__file__).resolve().parent / "data" / "corpora"


def said(items) -> str:
    return "\n".join(item.describe("en") for item in items)


# -- loading what the tools write ---------------------------------------------------


def test_a_conditional_and_a_default_flow_between_two_tasks_become_one_edge():
    [chart] = load_all(CORPORA / "bpmnlint-duplicate-flows.bpmn")
    [edge] = [e for e in chart.flows if (e.source, e.target) == ("Task_1", "Task_2")]
    assert edge.label == "材料齐全 / 补正后"
    assert "2 edges from step 'Task_1' to 'Task_2' were merged into one" in said(chart.warnings)


def test_a_file_of_one_empty_pool_gives_no_flowchart_and_says_why():
    charts = load_all(CORPORA / "bpmnlint-only-a-pool.bpmn")
    assert list(charts) == []
    assert "the file's processes hold no step: skipped" in said(charts.warnings)


def test_an_undeclared_prefix_on_a_foreign_part_does_not_cost_the_file():
    [chart] = load_all(CORPORA / "bpmnlint-undeclared-prefix.bpmn")
    assert [s.kind for s in chart.steps.values()] == ["start"]


def test_a_page_level_problem_never_costs_other_pages():
    charts = load_all(CORPORA / "jgraph-three-pages.drawio")
    [chart] = charts
    assert chart.title == "流程" and set(chart.steps) == {"s", "t", "e"}
    text = said(chart.warnings)
    assert "page '图例' has no step: skipped" in text
    assert "page '草稿' cell 'x': duplicate cell id; the page was skipped" in text
    assert "the edge ('补正') from step 't' back to itself was left out" in text
    assert [(e.source, e.target, e.label) for e in chart.flows] == [
        ("s", "t", None), ("t", "e", "齐全 / 当场办结")]


def test_a_drawing_with_no_step_on_any_page_loads_as_no_flowchart_with_a_warning():
    charts = load_all(CORPORA / "jgraph-floor-plan.drawio")
    assert list(charts) == [] and "page '平面图' has no step" in said(charts.warnings)
    result = CliRunner().invoke(main, ["check", "--lang", "zh",
                                       str(CORPORA / "jgraph-floor-plan.drawio")])
    assert result.exit_code == 0, result.output
    assert "页面 “平面图” 没有步骤，已跳过" in result.output


def test_a_file_that_holds_nothing_or_only_broken_pages_is_still_an_error():
    with pytest.raises(LoadError, match="no step"):
        read_drawio(b"<mxfile><diagram name='p'/></mxfile>", "x.drawio")
    broken = (b"<mxfile><diagram name='p'><mxGraphModel><root><mxCell id='0'/>"
              b"<mxCell id='1' parent='0'/><mxCell id='1' parent='0'/></root></mxGraphModel>"
              b"</diagram></mxfile>")
    with pytest.raises(LoadError, match="duplicate cell id"):
        read_drawio(broken, "x.drawio")


# -- BPMN as modellers mean it ------------------------------------------------------

TOWNSHIP = Path(__file__).resolve().parent / "data" / "drawn" / "camunda-township.bpmn"


def rules(chart) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((f.rule, f.steps) for f in audit(chart))


def test_a_hand_over_between_pools_a_sub_process_and_a_reminder_read_as_meant():
    chart = load(TOWNSHIP)
    # the sub-process's start and end, the receiving pool's start event and the
    # sending pool's end are points the matter passes through
    for passed in ("Event_sub_start", "Event_sub_end", "Event_county_start", "Event_town_end"):
        assert passed not in chart.steps
    flows = {(e.source, e.target) for e in chart.flows}
    assert ("Activity_send", "Activity_check") in flows  # handed over, into the sub-process
    assert ("Activity_remind", "Activity_review") in flows  # the reminder goes back
    assert [s.id for s in chart.steps.values() if s.kind == "end"] == ["Event_county_end"]
    # reported to the stationed group for the record; its watch of the sub-process
    # reaches the sub-process's first step
    assert {(e.source, e.target) for e in chart.oversights} == {
        ("Participant_jj", "Activity_decide"), ("Participant_jj", "Activity_check")}
    # no false FG201 (the reminder), FG301 (the clerk's sub-process), FG104 (备案), FG108
    assert rules(chart) == [("FG202", ("Activity_review",)), ("FG401", ("Activity_review",))]


def test_an_interrupting_timer_does_end_the_matter():
    data = TOWNSHIP.read_bytes().replace(b' cancelActivity="false"', b"")
    [chart] = read_bpmn(data, "x.bpmn")
    assert "Event_reminded" in chart.steps
    assert ("FG201", ("Activity_review",)) in rules(chart)


def test_a_message_to_a_supervisory_pool_is_for_the_record_and_noted():
    chart = load(TOWNSHIP)
    notes = said(chart.readings)
    assert "reports to '派驻纪检监察组' for the record (备案)" in notes
    assert "'上报县局' hands the matter over to '收到上报'" in notes
    assert "ends at '已催办': not the end of the matter" in notes
    watcher = chart.steps["Participant_jj"]
    assert watcher.kind == "oversight" and chart.actors[watcher.actor].oversight


PENALTY = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:collaboration id="c"><bpmn:participant id="pool" name="{pool}" processRef="p"/>
  </bpmn:collaboration>
  <bpmn:process id="p">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="officer" name="执法人员"><bpmn:flowNodeRef>s</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>probe</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="audit" name="{lane}"><bpmn:flowNodeRef>check</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>watch</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="head" name="所长"><bpmn:flowNodeRef>decide</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="s"/>
    <bpmn:task id="probe" name="调查取证"/>
    <bpmn:task id="check" name="审核"/>
    <bpmn:task id="watch" name="全程跟踪"/>
    <bpmn:task id="decide" name="作出处罚决定"/>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="probe"/>
    <bpmn:sequenceFlow id="f2" sourceRef="probe" targetRef="check"/>
    <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="decide"/>
    <bpmn:sequenceFlow id="f4" sourceRef="decide" targetRef="e"/>
    <bpmn:association id="a1" sourceRef="watch" targetRef="decide"/>
    <bpmn:textAnnotation id="n1"><bpmn:text>{note}</bpmn:text></bpmn:textAnnotation>
    <bpmn:association id="a2" sourceRef="n1" targetRef="{noted}"/>
  </bpmn:process>
</bpmn:definitions>"""


def penalty(pool="某县卫生监督所", lane="内部审计科", note="裁量权较大，已制定裁量基准",
            options=None, noted="decide"):
    data = PENALTY.format(pool=pool, lane=lane, note=note, noted=noted).encode()
    [chart] = read_bpmn(data, "x.bpmn", *([options] if options else []))
    return chart


def test_a_body_whose_name_holds_supervision_doing_its_own_work_is_an_ordinary_post():
    chart = penalty(noted="probe")
    assert not any(actor.oversight for actor in chart.actors.values())
    assert chart.steps["check"].kind == "review"  # 内部审计科's review checks the probe
    assert chart.steps["probe"].discretion == "high"
    assert not chart.oversights  # an association between two ordinary steps says nothing
    assert ("FG201", ("probe",)) not in rules(chart)
    # a configuration that names 审计 makes the lane supervisory
    audited = penalty(options=ReadOptions(supervisory_names=("审计",)))
    assert audited.steps["check"].kind == "oversight"


def test_a_discipline_lane_inside_the_pool_watches_a_step_through_an_association():
    chart = penalty(lane="派驻纪检组")
    assert [(e.source, e.target) for e in chart.oversights] == [("watch", "decide")]
    assert "read as oversight of '作出处罚决定' by '全程跟踪'" in said(chart.readings)


# -- annotations read as people write them ------------------------------------------


@pytest.mark.parametrize("text, values", [
    ("裁量权较大，尚未制定裁量基准", {"discretion": "high"}),
    ("自由裁量权：较大", {"discretion": "high"}),
    ("具有较大自由裁量权", {"discretion": "high"}),
    ("裁量空间较大", {"discretion": "high"}),
    ("有一定自由裁量权", {"discretion": "medium"}),
    ("裁量权较小", {"discretion": "low"}),
    ("无裁量权", {"discretion": "none"}),
    ("未制定裁量基准", {}),
    ("没有制定裁量基准", {}),
    ("未建立裁量标准", {}),
    ("暂无处罚裁量基准", {}),
    ("已制定裁量基准", {"controls": ["裁量基准"]}),
    ("涉及资金200万元", {"money": 2_000_000}),
    ("单笔1.5亿元，其余30000元", {"money": 150_000_000}),
    ("干部录用", {"people": True}),
    ("人员调配", {"people": True}),
    ("不涉及人事", {}),
    ("职责：审批", {"duty": "approve"}),
    ("职责为经办", {"duty": "execute"}),
    ("记账", {"duty": "record"}),
    ("出纳", {"duty": "custody"}),
    ("保管", {"duty": "custody"}),
    ("岗位职责：检查", {"duty": "inspect"}),
    ("需局长审批", {}),  # not a duty without 职责
])
def test_an_annotation_says_what_people_write(text, values):
    got, phrases = combine([read_annotation(text, ReadOptions().control_synonyms)])
    assert got == values
    assert bool(phrases) == bool(values) or text.startswith(("未", "没有", "暂无"))


def test_a_negated_benchmark_makes_fg202_fire_and_an_affirmed_one_does_not():
    assert ("FG202", ("decide",)) in rules(penalty(note="裁量权较大，尚未制定裁量基准"))
    assert ("FG202", ("decide",)) not in rules(penalty(note="裁量权较大，已制定裁量基准"))
    assert ("FG202", ("decide",)) in rules(penalty(note="具有较大自由裁量权"))


def test_amounts_personnel_and_duties_reach_the_model_and_the_rules():
    chart = penalty(note="涉及资金200万元，干部录用，职责：审批")
    step = chart.steps["decide"]
    assert (step.stakes.money, step.stakes.people, step.duty) == (2_000_000, True, "approve")
    # approving and inspecting in one post are incompatible (FG302), in two posts not
    data = PENALTY.format(pool="所", lane="科", note="职责：审批", noted="decide").replace(
        '<bpmn:task id="probe" name="调查取证"/>',
        '<bpmn:task id="probe" name="调查取证"/><bpmn:textAnnotation id="n2"><bpmn:text>'
        '职责：检查</bpmn:text></bpmn:textAnnotation><bpmn:association id="a3" sourceRef="n2" '
        'targetRef="probe"/>')
    [chart] = read_bpmn(data.encode(), "x.bpmn")
    assert "FG302" not in {rule for rule, _ in rules(chart)}
    same = data.replace('<bpmn:flowNodeRef>decide</bpmn:flowNodeRef>', '').replace(
        '<bpmn:flowNodeRef>probe</bpmn:flowNodeRef>',
        '<bpmn:flowNodeRef>probe</bpmn:flowNodeRef><bpmn:flowNodeRef>decide</bpmn:flowNodeRef>')
    [chart] = read_bpmn(same.encode(), "x.bpmn")
    assert "FG302" in {rule for rule, _ in rules(chart)}


def test_check_verbose_and_convert_list_each_phrase_read(tmp_path):
    source = tmp_path / "处罚.bpmn"
    source.write_text(PENALTY.format(pool="所", lane="科", noted="decide",
                                     note="裁量权较大，尚未制定裁量基准，涉及资金5万元"), "utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["check", "-v", "--lang", "zh", str(source)])
    assert result.exit_code == 0, result.output
    assert "“作出处罚决定” 的批注读作：“尚未制定裁量基准” → 没有裁量基准；“裁量权较大” → 较大裁量权；" \
           "“5万元” → 金额 50,000 元" in result.output
    assert "读作" not in runner.invoke(main, ["check", "--lang", "zh", str(source)]).output
    result = runner.invoke(main, ["convert", "--lang", "en", str(source),
                                  "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 0, result.output
    assert "'裁量权较大' → high discretion" in result.output


# -- draw.io as people draw it ------------------------------------------------------

LICENSE = Path(__file__).resolve().parent / "data" / "drawn" / "drawio-license.drawio"


def test_a_dashed_return_arrow_is_a_flow_and_a_dashed_watch_is_oversight():
    chart = load(LICENSE)
    assert ("approve", "review", "退回") in {(e.source, e.target, e.label) for e in chart.flows}
    assert [(e.source, e.target, e.label) for e in chart.oversights] == [
        ("watch", "approve", "全程监督")]
    assert "the dashed edge '退回' is read as a return in the flow" in said(chart.readings)
    assert "FG108" not in {rule for rule, _ in rules(chart)}


def test_a_dashed_return_from_a_supervisory_lane_stays_oversight():
    data = LICENSE.read_bytes().replace(b'value="\xe5\x85\xa8\xe7\xa8\x8b\xe7\x9b\x91\xe7\x9d\xa3"',
                                        'value="退回整改"'.encode())
    [chart] = read_drawio(data, "x.drawio")
    assert [(e.source, e.target) for e in chart.oversights] == [("watch", "approve")]


def test_a_diamond_is_a_decision_when_its_label_or_its_data_say_so():
    steps = load(LICENSE).steps
    assert steps["approve"].kind == "decision"  # 局长审批
    assert (steps["admit"].kind, steps["admit"].discretion) == ("decision", "medium")
    data = LICENSE.read_bytes().replace(b' discretion="medium"', b"")
    [chart] = read_drawio(data, "x.drawio")
    assert chart.steps["admit"].kind == "gateway"  # 是否受理, no discretion: a routing
    # the director's approval checks the section's review: no FG201 on it
    assert all(steps != ("review",) for _, steps in rules(load(LICENSE)))


def test_the_json_names_why_a_drawing_gave_no_flowchart():
    import json
    result = CliRunner().invoke(main, ["audit", "--format", "json", "--lang", "en",
                                       str(CORPORA / "jgraph-floor-plan.drawio")])
    [entry] = json.loads(result.output)["files"]
    assert entry["error"] is None
    assert "page '平面图' has no step: skipped" in json.dumps(entry["warnings"], ensure_ascii=False)


def test_points_passed_through_are_bounded():
    """400 steps flowing into a sub-process whose start event leads to 400 steps
    would make 160,000 edges: refused at the limit, at once."""
    model = "http://www.omg.org/spec/BPMN/20100524/MODEL"
    before = "".join(f'<task id="b{i}"/><sequenceFlow id="fb{i}" sourceRef="b{i}" '
                     f'targetRef="X"/>' for i in range(400))
    after = "".join(f'<task id="a{i}"/><sequenceFlow id="fa{i}" sourceRef="in" '
                    f'targetRef="a{i}"/>' for i in range(400))
    data = (f'<definitions xmlns="{model}"><process id="p" name="p">{before}'
            f'<subProcess id="X"><startEvent id="in"/>{after}</subProcess></process>'
            f'</definitions>').encode()
    with within(2), pytest.raises(LoadError, match="too many edges implied by points the "
                                                   "matter passes"):
        read_bpmn(data, "x.bpmn")


def test_an_ibm_export_with_a_spaced_namespace_and_qname_references_loads_whole():
    [chart] = load_all(CORPORA / "miwg-ibm-A.3.0-export.bpmn")
    assert not chart.warnings
    call = "bpmnid-6c0bb0bb-e7c4-412a-a7b7-d84807aa35f9"
    # attachedToRef="A.3.0-export:bpmnid-…" names the call activity
    assert {e.target for e in chart.flows if e.source == call} == {
        "bpmnid-a15b91b7-3de5-4082-9fab-f8cfd8b9d951",  # Task3
        "bpmnid-23a1f4c5-4f22-44fc-b2d9-edb5df0dd032",  # the interrupting boundary event
        "bpmnid-f045fce0-7ea6-471a-80e1-b6c60ca7baf8"}  # the non-interrupting one
    # the non-interrupting branch joins the main end: it stays an end, nothing noted
    assert not chart.readings


@pytest.mark.parametrize("encoding", ["GBK", "GB18030", "UTF-16"])
def test_the_encoding_the_xml_declares_is_honoured(encoding):
    text = (f'<?xml version="1.0" encoding="{encoding}"?>\n'
            '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
            '<process id="p" name="行政处罚"><startEvent id="s"/><task id="t" name="局长审批"/>'
            '<endEvent id="e"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>'
            '<sequenceFlow id="f2" sourceRef="t" targetRef="e"/></process></definitions>')
    [chart] = read_bpmn(text.encode(encoding), "x.bpmn")
    assert (chart.title, chart.steps["t"].kind) == ("行政处罚", "decision")


def test_the_report_says_which_drawings_gave_no_flowchart(tmp_path):
    pytest.importorskip("pygraphviz")
    out = tmp_path / "report"
    result = CliRunner().invoke(main, ["report", str(CORPORA / "jgraph-floor-plan.drawio"),
                                       str(TOWNSHIP), "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text("utf-8")
    assert "没有流程图的文件" in page and "页面 “平面图” 没有步骤，已跳过" in page


def test_a_public_diagram_with_self_loops_on_both_pages_loads_both():
    """jgraph's UML communication diagram (refused whole before: 'an edge in flow goes
    from … to itself')."""
    charts = load_all(CORPORA / "jgraph-UML-communication-diagram.drawio")
    assert [c.title for c in charts] == ["displayHabitHistory", "habitCheckin"]
    loops = [w for c in charts for w in c.warnings if "back to itself" in w.message.en]
    assert len(loops) == 7
    assert all(e.source != e.target for c in charts for e in (*c.flows, *c.oversights))


def test_a_notice_to_the_applicants_pool_is_outside_the_matter_and_says_nothing():
    data = TOWNSHIP.read_bytes().replace(
        b'<bpmn:participant id="Participant_jj" name="\xe6\xb4\xbe\xe9\xa9\xbb\xe7\xba\xaa\xe6\xa3\x80\xe7\x9b\x91\xe5\xaf\x9f\xe7\xbb\x84" />',
        '<bpmn:participant id="Participant_jj" name="派驻纪检监察组" /><bpmn:participant '
        'id="Participant_applicant" name="申请人" /><bpmn:messageFlow id="Flow_notice" '
        'sourceRef="Activity_decide" targetRef="Participant_applicant" />'.encode())
    [chart] = read_bpmn(data, "x.bpmn")
    assert "Participant_applicant" not in chart.steps and not chart.warnings
    assert {(e.source, e.target) for e in chart.oversights} == {
        ("Participant_jj", "Activity_decide"), ("Participant_jj", "Activity_check")}


def test_converting_a_drawing_with_no_flowchart_says_why(tmp_path):
    result = CliRunner().invoke(main, ["convert", "--lang", "en",
                                       str(CORPORA / "jgraph-floor-plan.drawio"),
                                       "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2 and not (tmp_path / "x.yaml").exists()
    assert "jgraph-floor-plan.drawio: no flowchart" in result.output
    assert "page '平面图' has no step: skipped" in result.output

"""draw.io / diagrams.net: plain and compressed pages, swimlanes, shapes, custom data,
HTML labels, warnings, hostile files, the command line, and writing back."""
from __future__ import annotations

import base64
import json
import textwrap
import urllib.parse
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from lxml import etree

from flowgraph.analysis import audit
from flowgraph.cli import main
from flowgraph.errors import LoadError
from flowgraph.io import ReadOptions, load, load_all, sniff
from flowgraph.io.drawio import kind_by_words, label_text, parse_style, read, write

from .strategies import flowcharts
from .timing import within

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "drawio"
PENALTY = DATA / "行政处罚.drawio"
PENALTY_COMPRESSED = DATA / "行政处罚-压缩.drawio"
TWO_PAGES = DATA / "两页.drawio"
CUSTOM = DATA / "专项资金-自定义数据.drawio"
SAMPLES = sorted((ROOT / "flowcharts").glob("*.yaml"))


def model_of(chart) -> tuple:
    """Everything the model says about a flowchart (positions aside)."""
    return ((chart.id, chart.title, chart.unit, chart.category, chart.basis,
             chart.superior_in_charge), list(chart.steps.values()),
            list(chart.actors.values()),
            [(e.source, e.target, e.kind, e.label) for e in chart.flows + chart.oversights])


def findings(chart) -> list[tuple]:
    return sorted((f.rule, f.steps, f.waived) for f in audit(chart))


def compress_model(model_xml: bytes) -> str:
    """A page's model as draw.io compresses it: URL-encoded (as encodeURIComponent),
    raw deflate, base64."""
    encoded = urllib.parse.quote(model_xml.decode("utf-8"), safe="-_.!~*'()")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(packer.compress(encoded.encode("ascii")) + packer.flush()) \
        .decode("ascii")


def compressed(data: bytes) -> bytes:
    """A draw.io file with every page compressed."""
    root = etree.fromstring(data)
    for diagram in root.iter("diagram"):
        model = diagram.find("mxGraphModel")
        diagram.remove(model)
        diagram.text = compress_model(etree.tostring(model, with_tail=False))
    return etree.tostring(root, encoding="UTF-8")


def drawio(cells: str, page: str = "审批") -> bytes:
    """A one-page draw.io file holding ``cells`` after the root and layer cells."""
    return textwrap.dedent(f"""\
        <mxfile host="app.diagrams.net">
          <diagram id="d1" name="{page}">
            <mxGraphModel>
              <root>
                <mxCell id="0" />
                <mxCell id="1" parent="0" />
        {textwrap.indent(textwrap.dedent(cells), "        ")}
              </root>
            </mxGraphModel>
          </diagram>
        </mxfile>
        """).encode("utf-8")


def vertex(cell_id: str, label: str, style: str = "rounded=1;", parent: str = "1") -> str:
    return (f'<mxCell id="{cell_id}" value="{label}" style="{style}" vertex="1" '
            f'parent="{parent}"><mxGeometry as="geometry"/></mxCell>\n')


def edge(cell_id: str, source: str | None, target: str | None, style: str = "",
         value: str = "") -> str:
    ends = "".join(f' {key}="{end}"' for key, end in (("source", source), ("target", target))
                   if end)
    return (f'<mxCell id="{cell_id}" value="{value}" style="{style}" edge="1" parent="1"'
            f'{ends}><mxGeometry relative="1" as="geometry"/></mxCell>\n')


#: A small chart: start, a task and an end in one swimlane.
LANE = vertex("lane", "窗口", "swimlane;")
SIMPLE = (LANE + vertex("s", "申请", "ellipse;", "lane") + vertex("t", "受理", parent="lane")
          + vertex("e", "办结", "ellipse;", "lane") + edge("e1", "s", "t") + edge("e2", "t", "e"))


# -- what is read ---------------------------------------------------------------------


def test_swimlanes_shapes_and_labels_of_a_penalty_flowchart():
    [chart] = load_all(PENALTY)
    assert (chart.id, chart.title, chart.unit, chart.category, chart.basis) == (
        "penalty-eco", "环境违法行为行政处罚（一般程序）", "市生态环境局", "行政处罚",
        "《中华人民共和国行政处罚法》")
    steps = chart.steps
    assert {s.id: s.kind for s in steps.values()} == {
        "file": "start", "investigate": "task", "propose": "task",
        "legal-review": "review", "lawful": "gateway", "decide": "decision",
        "serve": "task", "close": "end", "watch": "oversight"}
    assert {s.id: s.actor for s in steps.values()} == {
        "file": "officer", "investigate": "officer", "propose": "officer",
        "legal-review": "legal", "lawful": "legal", "decide": "director",
        "serve": "officer", "close": "officer", "watch": "lane-inspect"}
    # the pool holding the lanes is no actor; the 纪检监察 lane is an oversight body
    actors = {a.id: (a.name, a.rank, a.reports_to, a.oversight) for a in chart.actors.values()}
    assert actors == {"officer": ("执法人员", "staff", "director", False),
                      "legal": ("法制审核科", "section", "director", False),
                      "director": ("局长", "principal", None, False),
                      "lane-inspect": ("派驻纪检监察组", None, None, True)}
    # HTML reduced to text: <div>s and <br> are line breaks, &nbsp; a space, no markup
    assert steps["investigate"].label == "调查取证\n（执法人员不少于 两人）"
    assert steps["lawful"].label == "是否合法\n适当"
    propose = steps["propose"]
    assert (propose.discretion, propose.stakes.money, propose.stakes.rights, propose.controls,
            propose.duty, propose.declared_grade, propose.time_limit) == (
        "high", 500000.0, True, ("裁量基准", "集体讨论"), "execute", 2, "15日")
    assert [(e.source, e.target, e.label) for e in chart.oversights] == \
        [("watch", "decide", "监督")]
    flows = {(e.source, e.target): e.label for e in chart.flows}
    assert flows[("lawful", "investigate")] == "否，\n退回补充调查"  # from its label cell
    assert flows[("lawful", "decide")] == "是"
    assert len(flows) == 8 and "note" not in steps  # the text cell is no step
    # positions are lines of the file
    lines = PENALTY.read_text("utf-8").splitlines()
    assert 'id="decide"' in lines[steps["decide"].position.line - 1]
    assert chart.warnings == ()


def test_a_compressed_page_reads_as_the_plain_one():
    [plain] = load_all(PENALTY)
    [committed] = load_all(PENALTY_COMPRESSED)
    [fresh] = read(compressed(PENALTY.read_bytes()), "行政处罚.drawio")
    assert model_of(committed) == model_of(plain) == model_of(fresh)
    assert findings(committed) == findings(plain)
    # lines of a compressed page are not lines of the file
    assert all(step.position is None for step in committed.steps.values())


def test_two_pages_are_two_flowcharts_and_a_page_without_steps_is_skipped():
    charts = load_all(TWO_PAGES)
    assert [(c.id, c.title) for c in charts] == [("两页-1", "个体工商户设立登记"),
                                                ("两页-2", "安全生产行政检查")]
    first, second = charts
    assert [w.message.en for w in first.warnings] == ["page '图例说明' has no step: skipped"]
    assert {s.id: s.kind for s in first.steps.values()} == {
        "apply": "start", "accept": "task", "check": "review", "license": "decision",
        "done": "end"}
    assert first.steps["accept"].label == "受理\n一次性告知"  # a plain label keeps its lines
    assert {s.id: s.kind for s in second.steps.values()} == {
        "plan": "start", "approve": "decision", "inspect": "task", "publish": "disclosure",
        "archive": "end"}
    # lanes without data: the cell id is the actor's id, on each page separately
    assert [(a.id, a.name) for a in second.actors.values()] == [("l1", "执法支队"),
                                                               ("l2", "分管副局长")]


def test_custom_data_carry_every_attribute_and_oddities_are_warnings():
    [chart] = load_all(CUSTOM)
    assert (chart.id, chart.title, chart.unit, chart.category, chart.superior_in_charge) == (
        "special-fund", "工业企业技术改造专项资金分配", "市工业和信息化局", "专项资金分配",
        "分管副市长")
    steps = chart.steps
    allocate = steps["allocate"]
    assert (allocate.kind, allocate.label, allocate.actor, allocate.discretion,
            allocate.stakes.money, allocate.controls, allocate.declared_grade,
            allocate.basis) == ("task", "提出分配方案", "chief", "high", 3_000_000.0,
                                ("裁量基准", "专家随机抽取"), 3, "《专项资金管理办法》第十二条")
    board = steps["board-decide"]  # a rhombus whose data make it a decision
    assert (board.kind, board.actor, board.discretion, dict(board.waive)) == (
        "decision", "board", "medium", {"FG202": "集体决策事项, 无需裁量基准"})
    assert (steps["screen"].kind, steps["screen"].duty, steps["screen"].time_limit,
            steps["screen"].controls) == ("review", "execute", "5个工作日", ())
    assert (steps["apply"].kind, steps["done"].kind) == ("start", "end")
    assert steps["audit"].kind == "oversight"
    actors = chart.actors
    assert (actors["board"].collective, actors["board"].is_collective) == (7, True)
    # 审计 in its name, but its data say it is no independent oversight body
    assert actors["internal_audit"].oversight is False
    assert actors["internal_audit"].reports_to == "deputy"
    assert [(e.source, e.target, e.kind, e.label) for e in chart.oversights] == [
        ("audit", "allocate", "oversight", "事后审计")]  # kind=oversight, not dashed
    assert "blank" not in steps
    assert [(w.line, w.message.zh) for w in chart.warnings] == [
        (39, "页面 “第 1 页” 单元 “screen”：未知的数据项 “contorls”，已忽略（是否应为 “controls”？）"),
        (70, "页面 “第 1 页” 单元 “blank”：空白且无连线的图形，已跳过"),
        (82, "页面 “第 1 页” 单元 “loose”：连线的终点未连接到任何图形，已跳过"),
        (85, "页面 “第 1 页” 单元 “to-lane”：连线的终点 “lane-c” 是泳道，已跳过")]
    assert chart.warnings[3].message.en == \
        "page '第 1 页' cell 'to-lane': the edge's target 'lane-c' is a swimlane: skipped"
    assert chart.warnings[0].path == str(CUSTOM)


def test_an_edge_to_nowhere_is_skipped_and_the_rest_loads():
    data = drawio(SIMPLE + vertex("n", "注：限时办结", "text;html=1;")
                  + edge("x1", "t", None) + edge("x2", "t", "n") + edge("x3", "ghost", "e"))
    [chart] = read(data, "x.drawio")
    assert [(e.source, e.target) for e in chart.flows] == [("s", "t"), ("t", "e")]
    assert [w.message.en for w in chart.warnings] == [
        "page '审批' cell 'x1': the edge's target is not connected to a shape: skipped",
        "page '审批' cell 'x2': the edge's target 'n' is a shape that is not a step: skipped",
        "page '审批' cell 'x3': the edge's source is not connected to a shape: skipped"]


def test_kinds_by_shape_position_and_words():
    data = drawio(
        LANE + vertex("s", "开始", "ellipse;", "lane")
        + vertex("mid", "集体讨论决定", "ellipse;", "lane")  # an ellipse with both: by words
        + vertex("g", "是否受理", "shape=mxgraph.flowchart.decision;", "lane")
        + vertex("pub", "公告", "shape=mxgraph.flowchart.process;", "lane")
        + vertex("e", "结束", "shape=mxgraph.flowchart.terminator;", "lane")
        + vertex("lone", "独立的椭圆", "ellipse;", "lane")  # no flow in: a start
        + edge("a", "s", "mid") + edge("b", "mid", "g") + edge("c", "g", "pub")
        + edge("d", "pub", "e") + edge("w", "e", "lone", "dashed=1;"))
    [chart] = read(data, "x.drawio")
    assert {s.id: s.kind for s in chart.steps.values()} == {
        "s": "start", "mid": "decision", "g": "gateway", "pub": "disclosure", "e": "end",
        "lone": "start"}
    assert [e.kind for e in chart.flows + chart.oversights] == ["flow"] * 4 + ["oversight"]


@pytest.mark.parametrize("label, kind", [
    ("局长审批", "decision"), ("签发许可证", "decision"), ("法制审核", "review"),
    ("初审", "review"), ("结果公示", "disclosure"), ("派驻纪检组监督", "oversight"),
    ("受理", "task"), ("送达处罚决定书", "task"), ("填写审批表", "task")])
def test_kind_by_the_words_of_a_label(label, kind):
    assert kind_by_words(label) == kind


def test_supervisory_lanes_are_recognised_by_name_and_configurable():
    cells = (vertex("inspect", "区审计局", "shape=lane;")
             + vertex("market", "市场监督管理局稽查科", "swimlane;")
             + vertex("office", "Audit Office", "swimlane;")
             + vertex("s", "开始", "ellipse;", "market") + vertex("t", "现场检查", parent="market")
             + vertex("w", "专项检查", parent="inspect") + vertex("e", "结束", "ellipse;", "market")
             + edge("a", "s", "t") + edge("b", "t", "e") + edge("c", "w", "t", "dashed=1;"))
    [chart] = read(drawio(cells), "x.drawio")
    assert {a.id: a.oversight for a in chart.actors.values()} == {
        "inspect": True, "market": False, "office": True}
    # a step in a supervisory lane is an oversight step, whatever its words
    assert (chart.steps["w"].kind, chart.steps["t"].kind) == ("oversight", "task")
    [chart] = read(drawio(cells), "x.drawio", ReadOptions(supervisory_names=("稽查",)))
    assert {a.id: a.oversight for a in chart.actors.values()} == {
        "inspect": False, "market": True, "office": False}


def test_a_bare_graph_model_and_a_file_named_otherwise(tmp_path):
    model = etree.fromstring(drawio(SIMPLE)).find("diagram/mxGraphModel")
    path = tmp_path / "窗口受理.xml"
    path.write_bytes(etree.tostring(model, encoding="UTF-8", xml_declaration=True))
    assert sniff(path.read_bytes()) == "drawio"
    chart = load(path)
    assert (chart.id, chart.title, list(chart.steps)) == ("窗口受理", "窗口受理", ["s", "t", "e"])


def test_style_and_label_helpers():
    assert parse_style("ellipse;whiteSpace=wrap;html=1;;shape=mxgraph.flowchart.start_1") == {
        "ellipse": None, "whiteSpace": "wrap", "html": "1",
        "shape": "mxgraph.flowchart.start_1"}
    assert parse_style(None) == {}
    assert label_text('<p style="x">甲 &amp; 乙</p><ul><li>一</li><li>二</li></ul>', True) \
        == "甲 & 乙\n一\n二"
    assert label_text("<b>a &lt;b&gt;</b><br/>  c  ", True) == "a <b>\nc"
    assert label_text("  <b>照原样</b>  ", False) == "<b>照原样</b>"  # not HTML: literal
    assert label_text(None, True) == ""


# -- bad input ------------------------------------------------------------------------


def test_a_decompression_bomb_page_is_refused_fast():
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"%3C" * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(40)) + packer.flush()  # 120 MiB
    data = (f'<mxfile><diagram name="炸弹">{base64.b64encode(packed).decode()}</diagram>'
            f'</mxfile>').encode()
    with within(1), pytest.raises(LoadError) as caught:
        read(data, "bomb.drawio")
    assert "page '炸弹': it inflates beyond" in caught.value.message.en
    assert "页面 “炸弹”：解压后超过" in caught.value.message.zh


@pytest.mark.parametrize("text, words", [
    ("这不是base64!!", "is not valid base64"),
    (base64.b64encode(b"\xff\xfe not deflate at all").decode(), "cannot be inflated"),
    (compress_model(b"<mxGraphModel><root>")[:-12], "cut short"),
    (compress_model(b"<mxGraphModel><root>"), "the inflated content, line 1: XML syntax error"),
    (compress_model(b"<svg/>"), "the inflated root element is <svg>"),
    (compress_model(b'<!DOCTYPE m [<!ENTITY a "aaaa">]><mxGraphModel>&a;</mxGraphModel>'),
     "declares a DTD"),
])
def test_a_bad_compressed_page_is_an_error_naming_it(text, words):
    data = f'<mxfile>\n<diagram name="第二页">{text}</diagram></mxfile>'.encode()
    with pytest.raises(LoadError) as caught:
        read(data, "bad.drawio")
    assert caught.value.message.en.startswith("page '第二页': ")
    assert caught.value.message.zh.startswith("页面 “第二页”：")
    assert words in caught.value.message.en
    assert (caught.value.path, caught.value.line) == ("bad.drawio", 2)


def test_a_dtd_is_refused():
    data = (b'<?xml version="1.0"?>\n<!DOCTYPE mxfile [<!ENTITY lol "lol">]>\n'
            b'<mxfile><diagram name="p">&lol;</diagram></mxfile>')
    with pytest.raises(LoadError, match="declares a DTD"):
        read(data, "dtd.drawio")


@pytest.mark.parametrize("data, words", [
    (b"<svg/>", "the root element is <svg>; expected a draw.io file"),
    (b"<mxfile/>", "the file has no page"),
    (b"<mxfile><diagram name='p'/></mxfile>", "page 'p': no step"),
    (b"<mxfile><diagram", "XML syntax error"),
    (drawio(SIMPLE + vertex("t", "重复")), "page '审批' cell 't': duplicate cell id"),
    (drawio(LANE + '<object id="t" label="受理" discretion="huge">'
                   '<mxCell vertex="1" parent="lane"/></object>'),
     "page '审批' cell 't': discretion: 'huge' is not allowed"),
])
def test_errors_name_the_page_and_cell(data, words):
    with pytest.raises(LoadError) as caught:
        read(data, "x.drawio")
    assert words in caught.value.message.en


def test_a_value_error_gives_the_line_of_its_cell():
    cells = SIMPLE.replace(vertex("t", "受理", parent="lane"),
                           '<object id="t" label="受理" kind="approve">\n'
                           '  <mxCell style="rounded=1;" vertex="1" parent="lane"/>\n'
                           '</object>\n')
    data = drawio(cells)
    with pytest.raises(LoadError) as caught:
        read(data, "x.drawio")
    line = data.decode().splitlines()[caught.value.line - 1]
    assert 'id="t"' in line
    assert "kind: 'approve' is not allowed" in caught.value.message.en


# -- the command line -----------------------------------------------------------------


def test_audit_a_drawio_file_from_the_command_line():
    result = CliRunner().invoke(main, ["audit", "--format", "json", str(PENALTY)])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert [(f["path"], f["error"]) for f in report["files"]] == [(str(PENALTY), None)]
    found = {(f["rule"], tuple(f["steps"])) for f in report["findings"]}
    assert ("FG201", ("decide",)) in found  # 局长审批: nothing checks it after him
    assert all(f["flowchart"] == "penalty-eco" for f in report["findings"])
    bad = CliRunner().invoke(main, ["audit", str(DATA / "missing.drawio")])
    assert bad.exit_code == 2


def test_convert_drawio_to_yaml(tmp_path):
    runner = CliRunner()
    target = tmp_path / "penalty.yaml"
    result = runner.invoke(main, ["convert", str(PENALTY_COMPRESSED), "-o", str(target)])
    assert result.exit_code == 0, result.output
    [original] = load_all(PENALTY_COMPRESSED)
    assert model_of(load(target)) == model_of(original)
    assert findings(load(target)) == findings(original)
    result = runner.invoke(main, ["convert", str(TWO_PAGES), "-o", str(tmp_path / "out") + "/"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["两页-1.yaml", "两页-2.yaml"]
    assert load(tmp_path / "out" / "两页-2.yaml").title == "安全生产行政检查"


# -- writing --------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_write_then_read_keeps_every_sample(path):
    chart = load(path)
    text = write(chart)
    [again] = read(text.encode("utf-8"), f"{chart.id}.drawio")
    assert model_of(again) == model_of(chart)
    assert findings(again) == findings(chart)
    assert again.warnings == ()
    assert write(again) == text


def test_written_files_have_a_lane_per_actor_and_data_on_objects():
    chart = load(ROOT / "flowcharts" / "fund-disbursement.yaml")
    root = etree.fromstring(write(chart).encode("utf-8"))
    lanes = [cell.getparent().get("actor") for cell in root.iter("mxCell")
             if "swimlane" in (cell.get("style") or "")]
    assert lanes == list(chart.actors)
    deputy = root.find(".//object[@id='deputy_approve']")
    assert deputy.get("kind") == chart.steps["deputy_approve"].kind
    assert deputy.get("money") == "5000000"
    assert not any(cell.get("html") for cell in root.iter("mxCell"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chart=flowcharts())
def test_write_then_read_keeps_any_flowchart(chart):
    [again] = read(write(chart).encode("utf-8"), "x.drawio")
    assert model_of(again) == model_of(chart)


def test_convert_yaml_to_drawio_and_back(tmp_path):
    runner = CliRunner()
    sample = next(p for p in SAMPLES if p.stem == "fund-disbursement")
    drawing = tmp_path / "fund.drawio"
    result = runner.invoke(main, ["convert", str(sample), "-o", str(drawing)])
    assert result.exit_code == 0, result.output
    assert drawing.read_text("utf-8").startswith("<mxfile")
    back = tmp_path / "fund.yaml"
    assert runner.invoke(main, ["convert", str(drawing), "-o", str(back)]).exit_code == 0
    assert model_of(load(back)) == model_of(load(sample))


def test_a_regulator_is_not_an_oversight_body_in_bpmn_either():
    """市场监督管理局 holds 监督 but regulates firms; it does not oversee the unit."""
    from flowgraph.io import DEFAULT_SUPERVISORY as WORDS
    from flowgraph.io import is_supervisory_name
    assert not is_supervisory_name("市场监督管理局执法科", WORDS)
    assert is_supervisory_name("驻市场监督管理局纪检监察组", WORDS)
    assert is_supervisory_name("Audit Office", WORDS)
    # nor is a unit whose name holds 监督 or 审计 doing its own work
    assert not is_supervisory_name("卫生监督所", WORDS)
    assert not is_supervisory_name("内部审计科", WORDS)
    assert not is_supervisory_name("Internal Audit", WORDS)

"""Annotated diagrams: what a committee sees must be in the SVG, escaped and reproducible."""
from __future__ import annotations

import re
import textwrap

import pytest
from click.testing import CliRunner

from flowgraph.analysis import assess
from flowgraph.cli import main
from flowgraph.output.palette import BADGE_FILL, BADGE_INK, HIGHLIGHT, OVERSIGHT, PROPOSED
from flowgraph.output.render import PROPOSED_EDGES_BUDGET, DiagramOptions, render, wrap

from .conftest import chart
from .timing import within

pytest.importorskip("pygraphviz")

# A fee reduction: the clerk decides with high discretion and nothing after it (FG201,
# FG202, FG401 proposing the group's step), the chief's low-discretion review (FG201),
# and labels that look like markup or Graphviz escapes.
CHART = """\
flowgraph: 1
title: 收费减免 <审批> & "复核"
unit: 市住房和城乡建设局
category: 行政征收
actors:
  clerk: {name: 收费员, rank: staff, reports_to: chief}
  chief: {name: 收费科科长, rank: section}
  group: {name: 派驻纪检监察组, oversight: true}
steps:
  apply:  {kind: start, label: 申请减免}
  check:  {kind: review, label: "<script>alert('x')</script>", actor: chief, discretion: low}
  decide: {kind: decision, label: 决定减免 \\N \\G, actor: clerk, discretion: high,
           stakes: {money: 2000000}}
  watch:  {kind: oversight, label: 纪检监察组监督, actor: group}
  done:   {kind: end, label: 办结}
flow:
  - [apply, check]
  - [check, decide, "<b>通过</b>"]
  - [decide, done]
oversight:
  - [watch, check]
"""


@pytest.fixture(scope="module")
def assessed():
    flowchart = chart(CHART)
    assessment = assess(flowchart)
    return flowchart, assessment.findings, assessment.grades


def svg_of(assessed, **options):
    flowchart, findings, grades = assessed
    options.setdefault("date", "2026-11-25")
    return render(flowchart, findings, grades, "svg", DiagramOptions(**options)).decode()


def node(svg: str, step: str) -> str:
    match = re.search(rf'<g id="step&#45;{step}" class="node">(.*?)\n</g>\n', svg, re.S)
    assert match, f"no node {step}"
    return match.group(1)


def lit(svg: str) -> set[str]:
    """The ids of the steps and edges drawn in the colour of a highlighted path (the
    legend's sample of one aside)."""
    parts = re.split(r'(?=<g id="[^"]+" class="(?:node|edge|cluster)">)', svg)[1:]
    ids = {re.match(r'<g id="([^"]+)"', part).group(1) for part in parts
           if f'stroke="{HIGHLIGHT}"' in part}
    return {i for i in ids if not i.startswith("legend")}


def texts(svg: str) -> list[str]:
    """Every text drawn, in order."""
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_steps_are_filled_by_grade_and_shaped_by_kind(assessed):
    _, _, grades = assessed
    assert grades["decide"].grade == 1 and grades["check"].grade == 3
    svg = svg_of(assessed)
    assert 'fill="#ff4d4f"' in node(svg, "decide")  # grade 1 red
    assert 'fill="#ffe58f"' in node(svg, "check")   # grade 3 yellow
    assert 'fill="#ffffff"' in node(svg, "apply")   # not a risk point
    assert "一级" in node(svg, "decide") and "三级" in node(svg, "check")
    # the decision is a hexagon (six points), the end a double oval
    polygon = re.search(r'<polygon fill="#ff4d4f"[^>]*points="([^"]+)"', node(svg, "decide"))
    assert len(polygon.group(1).split()) == 7  # six corners, closed
    assert node(svg, "done").count("<ellipse") == 2


def test_badges_and_tooltips_carry_the_findings(assessed):
    svg = svg_of(assessed, lang="en")
    decide = node(svg, "decide")
    # the post under the name, the grade in words, each rule code a light-on-dark badge
    assert texts(decide) == ["决定减免 \\N \\G", "收费员", "grade 1", "FG201", "FG202",
                             "FG401"]
    assert decide.count(f'fill="{BADGE_FILL}"') == 3
    assert decide.count(f'fill="{BADGE_INK}">FG') == 3
    assert "FG401: " in decide and "no independent body watches it" in decide
    assert "&#10;FG202: " in decide  # one line per finding in the tooltip


def test_oversight_dashed_blue_and_proposed_edge_dashed_red(assessed):
    svg = svg_of(assessed)
    oversight = re.search(r'<g id="oversight&#45;0" class="edge">(.*?)</g>', svg,
                          re.S).group(1)
    assert f'stroke="{OVERSIGHT}"' in oversight and 'stroke-dasharray="5,2"' in oversight
    proposed = re.search(r'<g id="proposed&#45;0" class="edge">(.*?)</g>', svg,
                         re.S).group(1)
    assert f'stroke="{PROPOSED}"' in proposed and "建议增加监督" in proposed
    # the group is independent of the clerk: the proposal comes from its step
    flowchart, findings, _ = assessed
    fg401 = [f for f in findings if f.rule == "FG401"][0]
    assert fg401.proposed_edge == ("watch", "decide")


def test_highlight_draws_the_witness_path(assessed):
    plain, drawn = svg_of(assessed), svg_of(assessed, highlight=("FG201",))
    assert lit(plain) == set()
    flowchart, findings, _ = assessed
    witness = [f for f in findings if f.rule == "FG201"][1].witness
    assert witness == ("decide", "done")
    for step in witness:
        assert f'stroke="{HIGHLIGHT}"' in node(drawn, step)


def test_lanes_group_steps_by_post(assessed):
    svg = svg_of(assessed, lanes="post")
    lanes = ["".join(texts(title)) for title in
             re.findall(r'<g id="lane&#45;\d+" class="node">(.*?)\n</g>\n', svg, re.S)]
    # in flow order: the chief reviews before the clerk decides; the overseer last
    assert lanes == ["收费科科长", "收费员", "派驻纪检监察组"]
    # the lane names the post: the box does not repeat it
    assert texts(node(svg, "check"))[-2:] == ["三级", "FG201"]
    assert "收费科科长" not in texts(node(svg, "check"))


def test_title_block_legend_and_font(assessed):
    svg = svg_of(assessed)
    assert "市住房和城乡建设局 · 行政征收 · 2026&#45;11&#45;25" in svg
    assert "一级 1 · 二级 0 · 三级 1 · 问题 4" in svg
    assert 'id="legend"' in svg and "建议增加的监督" in svg
    assert 'font-family="Noto Sans CJK SC"' in svg


def test_every_text_is_escaped(assessed):
    svg = svg_of(assessed)
    assert "<script" not in svg and "<b>" not in svg and "decide flowchart" not in svg
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in svg
    assert "&lt;b&gt;通过&lt;/b&gt;" in svg
    assert "收费减免 &lt;审批&gt; &amp; &quot;复核&quot;" in svg
    # Graphviz's own escapes (\\N = node name, \\G = graph name) are shown as written
    label = re.findall(r"<text[^>]*>(决定减免[^<]*)</text>", svg)
    assert label == ["决定减免 \\N \\G"]
    assert "“决定减免 \\N \\G”" in node(svg, "decide")  # in the tooltip too


def test_same_input_same_bytes_and_other_formats(assessed):
    assert svg_of(assessed) == svg_of(assessed)
    flowchart, findings, grades = assessed
    assert render(flowchart, findings, grades, "png").startswith(b"\x89PNG")
    assert render(flowchart, findings, grades, "pdf").startswith(b"%PDF")


def test_long_labels_wrap_and_elide():
    assert wrap("受理并登记申请材料") == ["受理并登记申请材料"]
    lines = wrap("对公示期间反映的问题进行调查核实并提出处理意见报党组会议研究决定")
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(len(line) <= 9 for line in lines)


def test_render_command(tmp_path):
    source = tmp_path / "fee.yaml"
    source.write_text(textwrap.dedent(CHART), "utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["render", str(source), "-o", str(tmp_path / "fee.svg"),
                                  "--date", "2026-11-25", "--highlight", "FG201"])
    assert result.exit_code == 0, result.output
    # both FG201 witnesses, check → decide → done and decide → done, and nothing else
    assert lit((tmp_path / "fee.svg").read_text("utf-8")) == {
        "step&#45;check", "flow&#45;1", "step&#45;decide", "flow&#45;2", "step&#45;done"}
    result = runner.invoke(main, ["render", str(source), "-o", str(tmp_path / "fee.gif")])
    assert result.exit_code == 2 and ".svg、.png、.pdf" in result.output
    (tmp_path / "bad.yaml").write_text("flowgraph: 1\n", "utf-8")
    result = runner.invoke(main, ["render", str(tmp_path / "bad.yaml"), "-o",
                                  str(tmp_path / "bad.svg"), "--lang", "en"])
    assert result.exit_code == 2 and "lacks the required key 'title'" in result.output
    assert not (tmp_path / "bad.svg").exists()


# -- layout time is bounded: many proposed edges become markers ---------------------------


def decisions(count: int, overseer: bool = False) -> str:
    """A chain of ``count`` high-stakes decisions nothing watches; FG401 proposes an
    edge to each, from a new overseer, or from the chart's own independent step."""
    lines = ["flowgraph: 1", f"title: {count} 项重大决策", "actors:",
             "  chief: {name: 科长, rank: section, reports_to: deputy}",
             "  deputy: {name: 分管副局长, rank: deputy}"]
    lines += ["  group: {name: 派驻纪检监察组, oversight: true}"] if overseer else []
    lines += ["steps:", "  s0: {kind: start, label: 申请}"]
    lines += [f"  s{i}: {{kind: decision, label: 第{i}项决定, actor: chief, "
              f"discretion: high, stakes: {{money: 5000000}}}}" for i in range(1, count + 1)]
    lines += [f"  s{count + 1}: {{kind: end, label: 办结}}"]
    lines += ["  watch: {kind: oversight, label: 纪检监察组日常监督, actor: group}"] \
        if overseer else []
    lines += ["flow:"] + [f"  - [s{i}, s{i + 1}]" for i in range(count + 1)]
    return "\n".join(lines) + "\n"


def drawn(text: str, **options) -> tuple[str, list]:
    flowchart = chart(text)
    assessment = assess(flowchart)
    options.setdefault("date", "2026-11-25")
    options.setdefault("lang", "en")
    svg = render(flowchart, assessment.findings, assessment.grades, "svg",
                 DiagramOptions(**options)).decode()
    return svg, [f for f in assessment.findings if f.proposed_edge]


def test_a_hundred_and_twenty_proposals_are_markers_laid_out_at_once():
    """Issue 13: as edges from one new overseer they took about a minute to lay out."""
    with within(5):
        svg, proposals = drawn(decisions(120))
    assert len(proposals) == 120
    assert svg.count('class="node">\n<title>flowgraph&#45;proposed&#45;') == 120
    assert 'id="proposed&#45;overseer"' not in svg  # no hub, no edge across the chart
    marker = re.search(r'<g id="proposed&#45;marker&#45;7" class="node">(.*?)\n</g>\n', svg,
                       re.S).group(1)
    assert 'xlink:title="proposed oversight: independent overseer (proposed)"' in marker
    assert ">add oversight</text>" in marker and f'stroke="{PROPOSED}"' in marker
    edge = re.search(r'<g id="proposed&#45;7" class="edge">(.*?)</g>', svg, re.S).group(1)
    assert "flowgraph&#45;proposed&#45;7&#45;&gt;s8" in edge
    assert _middle(marker) == pytest.approx(_middle(node(svg, "s8")), abs=1)  # one rank


def _middle(shape: str) -> float:
    """The vertical middle of the first polygon of a node's SVG."""
    points = re.search(r'<polygon [^>]*points="([^"]+)"', shape).group(1).split()
    heights = [float(point.split(",")[1]) for point in points]
    return (min(heights) + max(heights)) / 2


def test_a_marker_names_the_charts_own_overseer():
    svg, proposals = drawn(decisions(40, overseer=True))
    assert {source for source, _ in (f.proposed_edge for f in proposals)} == {"watch"}
    assert svg.count('xlink:title="proposed oversight: 纪检监察组日常监督"') == 40


def test_a_few_proposals_stay_edges():
    """Under the budget (proposals times steps) the drawing is the edges from the
    proposed overseer, as for every sample."""
    svg, proposals = drawn(decisions(20))
    assert len(proposals) * 22 <= PROPOSED_EDGES_BUDGET
    assert 'id="proposed&#45;overseer"' in svg and "proposed&#45;marker" not in svg
    assert svg.count('class="edge">\n<title>flowgraph&#45;proposed&#45;overseer&#45;&gt;') == 20


def test_no_sample_reaches_the_budget(root):
    from flowgraph.io import load_all
    for path in sorted((root / "flowcharts").glob("*.yaml")):
        for flowchart in load_all(path):
            proposals = sum(1 for f in assess(flowchart).findings if f.proposed_edge)
            assert proposals * len(flowchart.steps) <= PROPOSED_EDGES_BUDGET / 10, path

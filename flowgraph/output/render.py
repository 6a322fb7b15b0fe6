"""Annotated diagrams of flowcharts with Graphviz (design.md §8), through pygraphviz.

A committee reads pictures: each step is shaped by its kind and filled by its
suggested grade (一级 red, 二级 orange, 三级 yellow, not a risk point white), with the
grade also written as text and the rule codes of its findings as badges; hovering shows
the findings' messages. Oversight edges are dashed blue, each oversight edge FG401
proposes is dashed red and labelled, and the witness paths of chosen rules can be
highlighted. A title block names the power item, unit, category, date and the counts by
grade; a legend explains the colours and lines. Swimlanes by post on request.

Every text from a flowchart reaches Graphviz as an escaped HTML-like label (so that a
label such as ``<b>`` or ``\\N`` is shown as written, never interpreted) or, for
tooltips, with Graphviz's escape character doubled; Graphviz escapes it again for SVG.
Control characters, which SVG (XML) cannot carry, are shown as escapes (``\\x01``,
:func:`~flowgraph.files.printable`), and texts are bounded (a tooltip to
:data:`MAX_TOOLTIP` characters, the title block's lines to :data:`MAX_TITLE`), since
Graphviz's parser refuses a string over 16 KiB (a report lays out the DOT text).
The SVG names the CJK font the set-up installs (Noto Sans CJK SC). The same input and
options give the same bytes: the date is an option (default: today, or
``SOURCE_DATE_EPOCH`` for reproducible builds).
"""
from __future__ import annotations

import datetime as _datetime
import html
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import FlowgraphError
from ..files import printable
from ..i18n import Text
from ..model import Finding, Flowchart, StepGrade
from ..paths import covered
from ..rules import matches
from ..vocabulary import GRADE_NAMES, GRADES, NO_GRADE

if TYPE_CHECKING:
    import pygraphviz

FONT = "Noto Sans CJK SC"
GRADE_FILLS = {1: "#ff4d4f", 2: "#ffa940", 3: "#ffe58f", None: "#ffffff"}
OVERSIGHT_COLOUR = "#1677ff"
PROPOSED_COLOUR = "#f5222d"
HIGHLIGHT_COLOUR = "#d4380d"
BADGE_COLOUR = "#a8071a"
#: Graphviz shapes by step kind, as flowcharts in practice draw them.
SHAPES = {
    "start": ("oval", ""), "end": ("oval", ""), "task": ("box", "rounded"),
    "decision": ("hexagon", ""), "review": ("box", ""), "oversight": ("octagon", ""),
    "disclosure": ("tab", ""), "gateway": ("diamond", ""), "system": ("component", ""),
}
#: The independent overseer FG401 proposes when the chart has none fit to watch.
NEW_OVERSEER = Text("独立监督机构 (建议增设)", "independent overseer (proposed)")
#: Proposed oversight edges times steps above which the proposals are drawn as markers
#: beside their steps: 120 high-stakes decisions in a chain, each proposed an edge from
#: one new overseer, took 96 s to lay out as edges (docs/performance.md); every chart
#: of the samples and of a generated city stays far below (at most 39).
PROPOSED_EDGES_BUDGET = 1000
LINE_WIDTH = 18  # display columns per label line (a Chinese character is two)
MAX_LINES = 3
#: Characters of a tooltip and of a line of the title block; beyond, "…". The whole
#: text is in the report's tables; Graphviz's parser stops at 16 KiB in one string.
MAX_TOOLTIP = 2000
MAX_TITLE = 200


@dataclass(frozen=True)
class DiagramOptions:
    """How to draw: ``highlight`` rule codes or prefixes whose witness paths stand out,
    ``lanes`` to group steps by post, the ``date`` of the title block, the language."""

    highlight: tuple[str, ...] = ()
    lanes: bool = False
    date: str | None = None
    lang: str = "zh"
    #: Link each risk point to its row in the report's grades table (``#grade-<id>``).
    link_steps: bool = False


#: The last second ``SOURCE_DATE_EPOCH`` may name: 9999-12-31 23:59:59 UTC (a date has
#: four digits of year).
MAX_EPOCH = 253_402_300_799


def default_date() -> str:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible builds). A
    value that is not whole seconds from 0 to :data:`MAX_EPOCH` is a FlowgraphError
    naming the variable: a build must not quietly take today instead (the
    specification at reproducible-builds.org asks the same)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch:
        return _datetime.date.today().isoformat()
    if not (epoch.isascii() and epoch.isdigit()) or int(epoch) > MAX_EPOCH:
        shown = epoch if len(epoch) <= 40 else epoch[:40] + "…"
        raise FlowgraphError(Text(
            f"应为 1970-01-01 以来的整秒数, 0 到 {MAX_EPOCH} (9999-12-31), 实际为 “{shown}”",
            f"expected whole seconds since 1970-01-01, from 0 to {MAX_EPOCH} "
            f"(9999-12-31), got '{shown}'"), "SOURCE_DATE_EPOCH")
    return _datetime.datetime.fromtimestamp(int(epoch), _datetime.timezone.utc) \
        .date().isoformat()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int = LINE_WIDTH, max_lines: int = MAX_LINES) -> list[str]:
    """A label cut into lines of at most ``width`` display columns; beyond
    ``max_lines`` the rest is elided (the tooltip keeps the whole label)."""
    lines, line = [], ""
    for ch in " ".join(text.split()):
        if _width(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines or [""]


def _clipped(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one "…" when it was longer."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _html(text: str) -> str:
    """Text for an HTML-like label: hidden characters shown, markup escaped, and the
    backslash doubled, since Graphviz still expands ``\\N``, ``\\G`` … in the text of
    such labels."""
    return html.escape(printable(text), quote=True).replace("\\", "\\\\")


def _escape(text: str) -> str:
    """Text for an id or URL: hidden characters shown, Graphviz's escapes (``\\N`` =
    the node's name) disarmed."""
    return printable(text).replace("\\", "\\\\")


def _tooltip_escape(text: str) -> str:
    """Text for a tooltip, which Graphviz unescapes twice (measured: one backslash in
    the SVG takes four in the attribute), hidden characters shown."""
    return printable(text).replace("\\", "\\" * 4)


def _node_label(lines: list[str], badges: list[str], grade: int | None, lang: str) -> str:
    body = "<BR/>".join(_html(line) for line in lines)
    rows = f'<TR><TD>{body}</TD></TR>'
    marks = ([GRADE_NAMES[grade](lang)] if grade else []) + badges
    if marks:
        rows += (f'<TR><TD><FONT POINT-SIZE="9" COLOR="{BADGE_COLOUR}">'
                 f'{_html(" ".join(marks))}</FONT></TD></TR>')
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>>'


def _plain_label(text: str, size: int | None = None, colour: str | None = None) -> str:
    attributes = (f' POINT-SIZE="{size}"' if size else "") + \
        (f' COLOR="{colour}"' if colour else "")
    body = "<BR/>".join(_html(line) for line in wrap(text, 16, 2))
    return f"<<FONT{attributes}>{body}</FONT>>"


def _title(flowchart: Flowchart, grades: dict[str, StepGrade], findings: list[Finding],
           options: DiagramOptions) -> str:
    lang = options.lang
    counts = {grade: sum(1 for g in grades.values() if g.grade == grade) for grade in GRADES}
    facts = [flowchart.unit, flowchart.category, options.date or default_date()]
    summary = " · ".join(f"{GRADE_NAMES[g](lang)} {counts[g]}" for g in GRADES)
    open_findings = sum(1 for f in findings if not f.waived)
    summary += Text(f" · 问题 {open_findings}", f" · findings {open_findings}")(lang)
    return ('<<TABLE BORDER="0" CELLSPACING="2">'
            f'<TR><TD><FONT POINT-SIZE="16"><B>{_html(_clipped(flowchart.title, MAX_TITLE))}'
            f'</B></FONT></TD></TR>'
            f'<TR><TD>{_html(_clipped(" · ".join(f for f in facts if f), MAX_TITLE))}</TD></TR>'
            f'<TR><TD>{_html(summary)}</TD></TR></TABLE>>')


def _legend(lang: str) -> str:
    cells = "".join(
        f'<TD BGCOLOR="{GRADE_FILLS[grade]}" BORDER="1">'
        f'{_html(GRADE_NAMES[grade](lang) if grade else NO_GRADE(lang))}</TD>'
        for grade in (1, 2, 3, None))
    oversight = Text("- - 监督", "- - oversight")(lang)
    lines = (f'<TD><FONT COLOR="{OVERSIGHT_COLOUR}">{_html(oversight)}'
             f'</FONT></TD><TD><FONT COLOR="{PROPOSED_COLOUR}">'
             f'{_html(Text("- - 建议增加的监督", "- - proposed oversight")(lang))}</FONT></TD>'
             f'<TD><FONT COLOR="{HIGHLIGHT_COLOUR}">'
             f'{_html(Text("━ 问题路径", "━ finding path")(lang))}</FONT></TD>'
             f'<TD><FONT COLOR="{BADGE_COLOUR}">FG…</FONT></TD>')
    return (f'<<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="3"><TR>{cells}</TR>'
            f'<TR>{lines}</TR></TABLE>>')


def _tooltip(flowchart: Flowchart, step_id: str, graded: StepGrade | None,
             findings: list[Finding], lang: str) -> str:
    step = flowchart.steps[step_id]
    parts = [step.label]
    actor = flowchart.actor_of(step_id)
    if step.actor:
        parts.append(actor.name if actor else step.actor)
    if graded is not None:
        parts.append(graded.explain(lang))
    for finding in findings:
        waived = Text(" (已豁免)", " (waived)")(lang) if finding.waived else ""
        parts.append(f"{finding.rule}{waived}: {finding.message(lang)}")
    text = _clipped(printable("\n".join(parts)), MAX_TOOLTIP)
    return "\\n".join(_tooltip_escape(line) for line in text.split("\n"))


def diagram(flowchart: Flowchart, findings: Iterable[Finding], grades: dict[str, StepGrade],
            options: DiagramOptions = DiagramOptions()) -> pygraphviz.AGraph:
    """The annotated diagram as a pygraphviz graph (laid out when drawn)."""
    import pygraphviz
    findings = list(findings)
    lang = options.lang
    graph = pygraphviz.AGraph(directed=True, strict=False, name="flowchart")
    graph.graph_attr.update(
        fontname=FONT, rankdir="TB", nodesep="0.35", ranksep="0.45", labelloc="t",
        label=_title(flowchart, grades, findings, options), newrank="true",
        tooltip=_tooltip_escape(_clipped(printable(flowchart.title), MAX_TOOLTIP)),
        pad="0.3")
    graph.node_attr.update(fontname=FONT, fontsize="11", style="filled", margin="0.12,0.06")
    graph.edge_attr.update(fontname=FONT, fontsize="9", arrowsize="0.7")
    on_step: dict[str, list[Finding]] = {}
    for finding in findings:
        for step_id in finding.steps:
            on_step.setdefault(step_id, []).append(finding)
    lit_nodes, lit_edges = _highlighted(findings, options.highlight)
    lanes = _lanes(flowchart) if options.lanes else {}
    for step in flowchart.steps.values():
        attributes = _step_attributes(flowchart, step, grades.get(step.id),
                                      on_step.get(step.id, []), options)
        if step.id in lit_nodes:
            attributes.update(color=HIGHLIGHT_COLOUR, penwidth="3")
        lane = lanes.get(step.id)
        target = graph if lane is None else graph.get_subgraph(lane[0]) or graph.add_subgraph(
            name=lane[0], label=_plain_label(lane[1], 10), style="rounded,dashed",
            color="#8c8c8c", fontname=FONT)
        target.add_node(step.id, **attributes)
    _add_edges(graph, flowchart, lit_edges)
    _proposed_edges(graph, flowchart, findings, lang)
    graph.add_node("flowgraph-legend", shape="plaintext", style="", label=_legend(lang),
                   id="legend", tooltip=Text("图例", "legend")(lang))
    graph.add_subgraph(["flowgraph-legend"], name="legend", rank="sink")
    return graph


def _step_attributes(flowchart: Flowchart, step, graded: StepGrade | None,
                     on_step: list[Finding], options: DiagramOptions) -> dict[str, str]:
    """A step's node: shaped by kind, filled by grade, badges of its open findings,
    the findings in its tooltip, a link to its grade in the report."""
    grade = graded.grade if graded else None
    shape, style = SHAPES[step.kind]
    badges = sorted({f.rule for f in on_step if not f.waived})
    attributes = dict(
        label=_node_label(wrap(step.label), badges, grade, options.lang), shape=shape,
        style=",".join(filter(None, ["filled", style])), fillcolor=GRADE_FILLS[grade],
        id=_escape(f"step-{step.id}"),
        tooltip=_tooltip(flowchart, step.id, graded, on_step, options.lang))
    if step.kind == "end":
        attributes["peripheries"] = "2"
    if options.link_steps and graded is not None:
        attributes["URL"] = _escape(f"#grade-{step.id}")
    if step.kind == "gateway":
        attributes["fontsize"] = "9"
    return attributes


def _add_edges(graph: pygraphviz.AGraph, flowchart: Flowchart,
               lit_edges: set[tuple[str, str]]) -> None:
    """Flow edges solid, oversight edges dashed blue; highlighted ones stand out."""
    for number, edge in enumerate(flowchart.flows):
        attributes = {"id": f"flow-{number}"}
        if edge.label:
            attributes["label"] = _plain_label(edge.label, 9)
        if (edge.source, edge.target) in lit_edges:
            attributes.update(color=HIGHLIGHT_COLOUR, penwidth="3")
        graph.add_edge(edge.source, edge.target, key=f"flow-{number}", **attributes)
    for number, edge in enumerate(flowchart.oversights):
        attributes = {"id": f"oversight-{number}", "style": "dashed", "constraint": "true",
                      "color": OVERSIGHT_COLOUR, "arrowhead": "open"}
        if (edge.source, edge.target) in lit_edges:
            attributes.update(color=HIGHLIGHT_COLOUR, penwidth="3")
        if edge.label:
            attributes["label"] = _plain_label(edge.label, 9, OVERSIGHT_COLOUR)
        graph.add_edge(edge.source, edge.target, key=f"oversight-{number}", **attributes)


def _highlighted(findings: list[Finding], patterns: tuple[str, ...]):
    """The steps and consecutive step pairs of the chosen findings' witnesses."""
    return covered(finding.witness for finding in findings
                   if any(matches(finding.rule, pattern) for pattern in patterns))


def _lanes(flowchart: Flowchart) -> dict[str, tuple[str, str]]:
    """Each step with a post: its lane's cluster name and title, lanes in first use."""
    lanes: dict[str, str] = {}
    placed = {}
    for step in flowchart.steps.values():
        if step.actor is None:
            continue
        actor = flowchart.actors.get(step.actor)
        title = actor.name if actor else step.actor
        name = lanes.setdefault(title, f"cluster_lane_{len(lanes)}")
        placed[step.id] = (name, title)
    return placed


def _proposed_edges(graph, flowchart: Flowchart, findings: list[Finding], lang: str) -> None:
    """FG401's proposed oversight edges, dashed red; from a new overseer when none fits.
    Many of them on a large chart (their count times the steps over
    :data:`PROPOSED_EDGES_BUDGET`) are drawn as markers beside their steps instead
    (:func:`_proposed_markers`)."""
    proposals = [finding.proposed_edge for finding in findings if finding.proposed_edge]
    if len(proposals) * len(flowchart.steps) > PROPOSED_EDGES_BUDGET:
        _proposed_markers(graph, flowchart, proposals, lang)
        return
    label = _plain_label(Text("建议增加监督", "proposed oversight")(lang), 9, PROPOSED_COLOUR)
    for number, (source, target) in enumerate(proposals):
        if source is None:
            source = "flowgraph-proposed-overseer"
            if not graph.has_node(source):
                graph.add_node(source, shape="octagon", style="dashed",
                               color=PROPOSED_COLOUR, fontcolor=PROPOSED_COLOUR,
                               id="proposed-overseer",
                               label=_plain_label(NEW_OVERSEER(lang), 10, PROPOSED_COLOUR))
        graph.add_edge(source, target, key=f"proposed-{number}", style="dashed",
                       color=PROPOSED_COLOUR, label=label,
                       id=f"proposed-{number}", arrowhead="open")


def _proposed_markers(graph, flowchart: Flowchart, proposals: list, lang: str) -> None:
    """Each proposed oversight edge as a small dashed red octagon on its step's rank,
    with a short arrow to the step; the octagon's tooltip names the proposed overseer.
    The same proposals as edges would be, with no edge across the chart for ``dot`` to
    route: such an edge spanning k ranks is k hidden nodes to place, and placing them
    takes time that grows with the square of their number."""
    label = _plain_label(Text("建议监督", "add oversight")(lang), 9, PROPOSED_COLOUR)
    for number, (source, target) in enumerate(proposals):
        overseer = NEW_OVERSEER(lang) if source is None else flowchart.steps[source].label
        marker = f"flowgraph-proposed-{number}"
        # the nodes join their rank one by one: pygraphviz's add_subgraph(nodes, …)
        # looks at every edge of the graph, once per marker
        rank = graph.add_subgraph(name=f"proposed-rank-{number}", rank="same")
        rank.add_node(target)
        rank.add_node(marker, shape="octagon", style="dashed", color=PROPOSED_COLOUR,
                      fontcolor=PROPOSED_COLOUR, margin="0.04,0.02", label=label,
                      id=f"proposed-marker-{number}", tooltip=_tooltip_escape(
                          Text(f"建议增加监督: {overseer}", f"proposed oversight: {overseer}")(
                              lang)))
        graph.add_edge(marker, target, key=f"proposed-{number}", style="dashed",
                       color=PROPOSED_COLOUR, id=f"proposed-{number}", arrowhead="open")


FORMATS = ("svg", "png", "pdf")


def render(flowchart: Flowchart, findings: Iterable[Finding], grades: dict[str, StepGrade],
           fmt: str = "svg", options: DiagramOptions = DiagramOptions()) -> bytes:
    """The diagram laid out by ``dot`` as SVG, PNG or PDF bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    return diagram(flowchart, findings, grades, options).draw(format=fmt, prog="dot")

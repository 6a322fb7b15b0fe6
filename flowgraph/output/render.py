"""Annotated diagrams of flowcharts with Graphviz (design.md §8), through pygraphviz.

A committee reads pictures, on paper: each step is shaped by its kind and filled by its
suggested grade (一级 red, 二级 orange, 三级 yellow, not a risk point white); its box
names the step, its post, its time limit and legal basis where the chart gives them,
its grade in words and the rule codes of its findings as badges (:mod:`.labels`);
hovering shows the findings' messages. Oversight lines are dashed blue, each oversight
FG401 proposes is dashed red and labelled, and the witness paths of chosen rules can be
highlighted. A title block names the power item, unit, category, basis, date and the
counts by grade; a legend shows every shape, fill, line and badge and says what each
means. Swimlanes by post or section on request (:mod:`.lanes`). Every text meets WCAG
AA contrast on what it is drawn on (:mod:`.palette`).

:class:`Drawing` holds a chart and its audit and makes the blocks of a drawing
(:mod:`.blocks`): the chart laid out by ``dot`` top to bottom or left to right, the
title block, the legend. :func:`diagram` sets them on one canvas (for the screen);
:func:`flowgraph.output.paper.pages` cuts the chart into pages that print at A4 with
every text at 8 pt or more. Either way the drawing is one graph with every position
pinned, drawn by Graphviz's ``nop2`` engine (:func:`draw`).

Tooltips reach Graphviz with its escape character doubled; Graphviz escapes them
again for SVG. Texts are bounded (a tooltip to :data:`MAX_TOOLTIP` characters, the
title block's lines to :data:`MAX_TITLE`), since Graphviz's parser refuses a string
over 16 KiB (a report lays out the DOT text). The SVG names the CJK font the set-up
installs (Noto Sans CJK SC). The same input and options give the same bytes: the date
is an option (default: today, or ``SOURCE_DATE_EPOCH`` for reproducible builds).
"""
from __future__ import annotations

import datetime as _datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from ..errors import FlowgraphError
from ..files import printable
from ..i18n import Text
from ..model import Finding, Flowchart, StepGrade
from ..paths import covered
from ..rules import BY_CODE, matches
from ..vocabulary import GRADE_NAMES, GRADES, KIND_NAMES, NO_GRADE
from .blocks import Block, Placed, arrange, box, compose, moved
from .labels import (
    BASIS_WORD,
    LIMIT_WORD,
    NAME_SIZE,
    SMALL_SIZE,
    badge,
    clipped,
    escaped,
    lines_of,
    plain,
    short_basis,
    step_label,
    time_limit,
    wrap,
)
from .palette import (
    GRADE_FILLS,
    HIGHLIGHT,
    INK,
    LINE,
    OVERSIGHT,
    PAPER,
    PROPOSED,
)

if TYPE_CHECKING:
    import pygraphviz

__all__ = ["DiagramOptions", "Drawing", "default_date", "diagram", "render",
           "wrap", "unmatched"]

FONT = "Noto Sans CJK SC"
#: Graphviz shapes by step kind, as flowcharts in practice draw them.
SHAPES = {
    "start": ("oval", ""), "end": ("oval", ""), "task": ("box", "rounded"),
    "decision": ("hexagon", ""), "review": ("box", ""), "oversight": ("octagon", ""),
    "disclosure": ("tab", ""), "gateway": ("diamond", ""), "system": ("component", ""),
}
#: The independent overseer FG401 proposes when the chart has none fit to watch.
NEW_OVERSEER = Text("独立监督机构（建议增设）", "independent overseer (proposed)")
#: Proposed oversight edges times steps above which the proposals are drawn as markers
#: beside their steps: 120 high-stakes decisions in a chain, each proposed an edge from
#: one new overseer, took 96 s to lay out as edges (docs/performance.md); every chart
#: of the samples and of a generated city stays far below (at most 39).
PROPOSED_EDGES_BUDGET = 1000
#: Characters of a tooltip and of a line of the title block; beyond, "…". The whole
#: text is in the report's tables; Graphviz's parser stops at 16 KiB in one string.
MAX_TOOLTIP = 2000
MAX_TITLE = 200
#: Ways to draw swimlanes: one lane per post, or per section (科室) of the posts.
LANES = ("post", "section")


@dataclass(frozen=True)
class DiagramOptions:
    """How to draw: ``highlight`` rule codes or prefixes whose witness paths stand out,
    ``lanes`` ("post" or "section") to draw swimlanes, the ``date`` of the title block,
    the language."""

    highlight: tuple[str, ...] = ()
    lanes: str | None = None
    date: str | None = None
    lang: str = "zh"
    #: Link each risk point to its row in the report's grades table (``#grade-<id>``).
    link_steps: bool = False

    def __post_init__(self) -> None:
        if self.lanes not in (None, *LANES):
            raise ValueError(f"lanes {self.lanes!r}: expected one of {', '.join(LANES)}")


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
            f"应为 1970-01-01 以来的整秒数，0 到 {MAX_EPOCH}（9999-12-31），实际为 “{shown}”",
            f"expected whole seconds since 1970-01-01, from 0 to {MAX_EPOCH} "
            f"(9999-12-31), got '{shown}'"), "SOURCE_DATE_EPOCH")
    return _datetime.datetime.fromtimestamp(int(epoch), _datetime.timezone.utc) \
        .date().isoformat()


def _escape(text: str) -> str:
    """Text for an id or URL: hidden characters shown, Graphviz's escapes (``\\N`` =
    the node's name) disarmed."""
    return printable(text).replace("\\", "\\\\")


def _tooltip_escape(text: str) -> str:
    """Text for a tooltip, which Graphviz unescapes twice (measured: one backslash in
    the SVG takes four in the attribute), hidden characters shown."""
    return printable(text).replace("\\", "\\" * 4)


def _tooltip_text(text: str) -> str:
    """A tooltip of several lines, bounded and escaped."""
    text = clipped(printable(text), MAX_TOOLTIP)
    return "\\n".join(_tooltip_escape(line) for line in text.split("\n"))


def unmatched(findings: Iterable[Finding], patterns: Iterable[str]) -> list[str]:
    """The ``--highlight`` patterns that no finding's rule matches: nothing of theirs
    can be drawn, and the user should hear so."""
    rules = {finding.rule for finding in findings}
    return [pattern for pattern in patterns
            if not any(matches(rule, pattern) for rule in rules)]


#: Space between the blocks of a drawing (title, legend, strips), in points.
GAP = 24.0


def defaults(direction: str = "TB") -> dict[str, dict[str, str]]:
    """The graph, node and edge attributes every block of a drawing shares."""
    return {
        "graph": dict(fontname=FONT, rankdir=direction, nodesep="0.18", ranksep="0.3",
                      newrank="true", pad="0"),
        "node": dict(fontname=FONT, fontsize=str(NAME_SIZE), style="filled",
                     margin="0.08,0.04",
                     color=LINE, fontcolor=INK),
        "edge": dict(fontname=FONT, fontsize=str(SMALL_SIZE), arrowsize="0.7",
                     color=LINE, fontcolor=INK),
    }


class Drawing:
    """One chart and its audit, ready to be drawn in blocks (:mod:`.blocks`): the
    findings of each step, the highlighted witnesses, the proposals, the steps of the
    flow and those beside it, and every line by the steps it touches."""

    def __init__(self, flowchart: Flowchart, findings: Iterable[Finding],
                 grades: dict[str, StepGrade], options: DiagramOptions = DiagramOptions()):
        self.flowchart = flowchart
        self.findings = list(findings)
        self.grades = grades
        self.options = options
        self.lang = options.lang
        self.on_step: dict[str, list[Finding]] = {}
        for finding in self.findings:
            for step_id in finding.steps:
                self.on_step.setdefault(step_id, []).append(finding)
        self.lit_nodes, self.lit_edges = covered(
            finding.witness for finding in self.findings
            if any(matches(finding.rule, pattern) for pattern in options.highlight))
        self.proposals = [f.proposed_edge for f in self.findings if f.proposed_edge]
        self.markers = len(self.proposals) * len(flowchart.steps) > PROPOSED_EDGES_BUDGET
        self.lines = self._lines()

    def _lines(self) -> list[tuple[str, int, str | None, str, str | None]]:
        """Every line to draw: (kind, number within its kind, source, target, label);
        a proposal's source None is the new overseer; proposals drawn as markers are
        not lines."""
        lines = [("flow", n, e.source, e.target, e.label)
                 for n, e in enumerate(self.flowchart.flows)]
        lines += [("oversight", n, e.source, e.target, e.label)
                  for n, e in enumerate(self.flowchart.oversights)]
        if not self.markers:
            lines += [("proposed", n, source, target, None)
                      for n, (source, target) in enumerate(self.proposals)]
        return lines

    # -- the chart -------------------------------------------------------------------

    def chart(self, direction: str = "TB") -> Block:
        """Every step and line of the chart as one block for ``dot``, the flow running
        top to bottom (``TB``) or left to right (``LR``)."""
        block = Block(attributes={"rankdir": direction})
        for step in self.flowchart.steps:
            block.add_node(step, **self.step_attributes(step))
        for kind, number, source, target, label in self.lines:
            key = f"{kind}-{number}"
            tail = self._new_overseer(block) if source is None else source
            lit = kind != "proposed" and (source, target) in self.lit_edges
            block.add_edge(tail, target, key=key, id=key,
                           **_line_style(kind, label, lit, self.lang))
        if self.markers:
            self._markers(block)
        return block

    def _new_overseer(self, block: Block) -> str:
        """The node of the independent overseer FG401 proposes (added once)."""
        name = "flowgraph-proposed-overseer"
        if name not in block.nodes:
            block.add_node(name, shape="octagon", style="dashed,filled", fillcolor=PAPER,
                           color=PROPOSED, fontcolor=PROPOSED, id="proposed-overseer",
                           label=plain(NEW_OVERSEER(self.lang), 10, PROPOSED))
        return name

    def _markers(self, block: Block) -> None:
        """Each proposed oversight as a small dashed red octagon on its step's rank,
        with a short arrow to the step; the octagon's tooltip names the proposed
        overseer. The same proposals as edges would be, with no edge across the chart
        for ``dot`` to route: such an edge spanning k ranks is k hidden nodes to place,
        and placing them takes time that grows with the square of their number."""
        label = plain(Text("建议监督", "add oversight")(self.lang), SMALL_SIZE, PROPOSED)
        for number, (source, target) in enumerate(self.proposals):
            overseer = NEW_OVERSEER(self.lang) if source is None else \
                self.flowchart.steps[source].label
            marker = f"flowgraph-proposed-{number}"
            block.add_node(marker, shape="octagon", style="dashed,filled", fillcolor=PAPER,
                           color=PROPOSED, fontcolor=PROPOSED, margin="0.04,0.02",
                           label=label, id=f"proposed-marker-{number}",
                           tooltip=_tooltip_escape(Text(
                               f"建议增加监督：{overseer}",
                               f"proposed oversight: {overseer}")(self.lang)))
            block.ranks.append([target, marker])
            block.add_edge(marker, target, key=f"proposed-{number}", style="dashed",
                           color=PROPOSED, id=f"proposed-{number}", arrowhead="open")

    # -- a step's box --------------------------------------------------------------------

    def step_attributes(self, step_id: str, show_post: bool = True) -> dict[str, str]:
        """A step's node: shaped by kind, filled by grade, its box's text, the findings
        in its tooltip, a link to its grade in the report."""
        step = self.flowchart.steps[step_id]
        graded = self.grades.get(step_id)
        grade = graded.grade if graded else None
        shape, style = SHAPES[step.kind]
        on_step = self.on_step.get(step_id, [])
        badges = sorted({f.rule for f in on_step if not f.waived})
        attributes = dict(
            label=step_label(step.label, self.details(step_id, show_post), grade, badges,
                             self.lang),
            shape=shape, style=",".join(filter(None, ["filled", style])),
            fillcolor=GRADE_FILLS[grade], id=_escape(f"step-{step_id}"),
            tooltip=self._tooltip(step_id, graded, on_step))
        if step.kind == "end":
            attributes["peripheries"] = "2"
        if self.options.link_steps and graded is not None:
            attributes["URL"] = _escape(f"#grade-{step_id}")
        if step.kind == "gateway":
            attributes["fontsize"] = "10"
        if step_id in self.lit_nodes:
            attributes.update(color=HIGHLIGHT, penwidth="3")
        return attributes

    def post(self, step_id: str) -> str | None:
        """The post of a step by its name, or as the chart wrote it."""
        step = self.flowchart.steps[step_id]
        if step.actor is None:
            return None
        actor = self.flowchart.actor_of(step_id)
        return actor.name if actor else step.actor

    def details(self, step_id: str, show_post: bool = True) -> list[str]:
        """The smaller lines of a step's box: post, time limit, basis."""
        step = self.flowchart.steps[step_id]
        lines = []
        post = self.post(step_id) if show_post else None
        if post:
            lines.append(post)
        if step.time_limit:
            lines.append(f"{LIMIT_WORD(self.lang)} {time_limit(step.time_limit, self.lang)}")
        if step.basis:
            lines.append(f"{BASIS_WORD(self.lang)} {short_basis(step.basis, self.lang)}")
        return lines

    def _tooltip(self, step_id: str, graded: StepGrade | None,
                 findings: list[Finding]) -> str:
        step = self.flowchart.steps[step_id]
        parts = [step.label]
        post = self.post(step_id)
        if post:
            parts.append(post)
        if step.basis:
            parts.append(f"{BASIS_WORD(self.lang)}: {step.basis}")
        if graded is not None:
            parts.append(graded.explain(self.lang))
        for finding in findings:
            waived = Text("（已豁免）", " (waived)")(self.lang) if finding.waived else ""
            parts.append(f"{finding.rule}{waived}: {finding.message(self.lang)}")
        return _tooltip_text("\n".join(parts))

    # -- the title block -----------------------------------------------------------------

    def title(self, number: int = 1, count: int = 1) -> Block:
        """The title block: the power item's name, then on the first page its unit,
        category, date, basis and counts; the page's place when there are several."""
        lang = self.lang
        title = clipped(self.flowchart.title, MAX_TITLE)
        rows = [f'<TR><TD><FONT POINT-SIZE="15"><B>{lines_of(title, 56, 3)}</B></FONT>'
                f"</TD></TR>"]
        if number == 1:
            facts = [self.flowchart.unit, self.flowchart.category,
                     self.options.date or default_date()]
            rows.append(f"<TR><TD>{lines_of(' · '.join(f for f in facts if f), 80, 2)}"
                        f"</TD></TR>")
            if self.flowchart.basis:
                basis = short_basis(clipped(self.flowchart.basis, MAX_TITLE), lang)
                rows.append(f'<TR><TD><FONT POINT-SIZE="{SMALL_SIZE + 1}">'
                            f"{lines_of(f'{BASIS_WORD(lang)} {basis}', 90, 2)}</FONT></TD></TR>")
            rows.append(f"<TR><TD>{escaped(self.counts())}</TD></TR>")
        if count > 1:
            mark = Text(f"第 {number}/{count} 页", f"page {number} of {count}")(lang)
            if number > 1:
                mark = Text("（续）", "(continued) ")(lang) + mark
            rows.append(f'<TR><TD><FONT POINT-SIZE="{SMALL_SIZE + 1}">{escaped(mark)}'
                        f"</FONT></TD></TR>")
        block = Block()
        block.add_node("flowgraph-title", shape="plaintext", style="", id="title",
                       label='<<TABLE BORDER="0" CELLSPACING="2">' + "".join(rows)
                       + "</TABLE>>", tooltip=_tooltip_text(self.flowchart.title))
        return block

    def tooltip(self) -> str:
        """The chart's title as a tooltip of the whole drawing."""
        return _tooltip_text(self.flowchart.title)

    def counts(self) -> str:
        """``一级 1 · 二级 0 · 三级 1 · 问题 4``: risk points by grade, open findings."""
        counts = {grade: sum(1 for g in self.grades.values() if g.grade == grade)
                  for grade in GRADES}
        summary = " · ".join(f"{GRADE_NAMES[g](self.lang)} {counts[g]}" for g in GRADES)
        open_findings = sum(1 for f in self.findings if not f.waived)
        return summary + Text(f" · 问题 {open_findings}",
                              f" · findings {open_findings}")(self.lang)

    def header(self, number: int = 1, count: int = 1) -> Placed:
        """The title block laid out."""
        return self.title(number, count).lay_out(defaults())


def _line_style(kind: str, label: str | None, lit: bool, lang: str) -> dict[str, str]:
    """How a line is drawn: flow solid, oversight dashed blue, proposed dashed red;
    a highlighted one thick in the highlight colour."""
    attributes: dict[str, str] = {}
    if kind == "oversight":
        attributes.update(style="dashed", color=OVERSIGHT, arrowhead="open")
        if label:
            attributes["label"] = plain(label, SMALL_SIZE, OVERSIGHT)
    elif kind == "proposed":
        attributes.update(style="dashed", color=PROPOSED, arrowhead="open",
                          label=plain(Text("建议增加监督", "proposed oversight")(lang),
                                      SMALL_SIZE, PROPOSED))
    elif label:
        attributes["label"] = plain(label, SMALL_SIZE)
    if lit:
        attributes.update(color=HIGHLIGHT, penwidth="3")
    return attributes


# -- the legend ------------------------------------------------------------------------

LEGEND_SHAPES = (("start", Text("开始/结束", "start/end")), ("task", None), ("review", None),
                 ("decision", None), ("gateway", None), ("oversight", None),
                 ("disclosure", None), ("system", None))
LEGEND_LINES = (
    ("flow", Text("办理流程", "flow"), INK, {}),
    ("oversight", Text("监督", "oversight"), OVERSIGHT,
     {"style": "dashed", "color": OVERSIGHT, "arrowhead": "open"}),
    ("proposed", Text("建议增加的监督", "proposed oversight"), PROPOSED,
     {"style": "dashed", "color": PROPOSED, "arrowhead": "open"}),
    ("path", Text("问题流程（突出显示）", "a finding's path (highlighted)"), HIGHLIGHT,
     {"color": HIGHLIGHT, "penwidth": "3"}),
)


Item = list[tuple[str, dict[str, str]]]


def legend_groups(lang: str, cut: bool) -> list[list[Item]]:
    """The legend's groups of items, each item one shape or a line and its words
    (the node before the words carries "edge": the style of the line drawn to them):
    the shapes of the kinds of step, the fills by grade, how a box reads and what its
    badges are, the lines, and the marks where a line crosses to another page when
    the chart is ``cut``."""
    small = {"fontsize": str(SMALL_SIZE), "margin": "0.06,0.03", "height": "0.3"}
    words = {"shape": "plaintext", "style": "", "margin": "0.02"}
    title = [[("flowgraph-legend-title", dict(words, label=plain(
        Text("图例", "Legend")(lang), SMALL_SIZE + 1)))]]
    shapes = []
    for kind, name in LEGEND_SHAPES:
        shape, style = SHAPES[kind]
        shapes.append([(f"flowgraph-legend-{kind}", dict(
            small, shape=shape, style=",".join(filter(None, ["filled", style])),
            fillcolor=PAPER, label=plain((name or KIND_NAMES[kind])(lang), SMALL_SIZE, INK,
                                         12, 1), **({"peripheries": "2"} if kind == "end"
                                                    else {})))])
    fills = [[(f"flowgraph-legend-grade-{grade or 0}", dict(
        small, shape="box", style="filled", fillcolor=GRADE_FILLS[grade],
        label=plain(Text(f"{GRADE_NAMES[grade].zh}风险点", f"{GRADE_NAMES[grade].en} "
                         "risk point")(lang) if grade else NO_GRADE(lang), SMALL_SIZE, INK,
                    24, 1)))]
        for grade in (1, 2, 3, None)]
    reading = [
        [("flowgraph-legend-box", dict(shape="box", style="rounded,filled", fillcolor=PAPER,
                                       label=_sample_box(lang), margin="0.1,0.05"))],
        [("flowgraph-legend-badge", dict(words, label=(
            '<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="1"><TR>' + badge(min(BY_CODE))
            + f'<TD><FONT POINT-SIZE="{SMALL_SIZE}">'
            + lines_of(Text("问题代码，说明见问题清单",
                            "finding code: see the list of findings")(lang), 24, 2)
            + "</FONT></TD></TR></TABLE>>")))]]
    lines = [[(f"flowgraph-legend-line-{key}", dict(
        shape="point", width="0.06", style="filled", fillcolor=LINE, edge=style)),
        (f"flowgraph-legend-words-{key}", dict(
            words, label=plain(name(lang), SMALL_SIZE, colour, 20, 2)))]
        for key, name, colour, style in LEGEND_LINES]
    groups = [title, shapes, fills, reading, lines]
    if cut:
        groups.append([[
            ("flowgraph-legend-mark", dict(words, label=plain(
                Text("① 转第 2 页", "① to p. 2")(lang), SMALL_SIZE, INK, 16, 1))),
            ("flowgraph-legend-mark-words", dict(words, label=plain(
                Text("连线在另一页（栏）的同号处接续", "the line goes on at the same "
                     "number on another page or column")(lang), SMALL_SIZE, INK, 24, 3)))]])
    return groups


def legend_rows(groups: list[list[Item]], per_row: int) -> list[list[Item]]:
    """The items in rows of at most ``per_row``: a group joins the row before when
    it fits whole, else starts its own."""
    rows: list[list[Item]] = []
    for group in groups:
        if rows and len(rows[-1]) + len(group) <= per_row:
            rows[-1].extend(group)
            continue
        rows.extend(group[i:i + per_row] for i in range(0, len(group), per_row))
    return rows


@lru_cache(maxsize=64)
def legend(lang: str, cut: bool = False, per_row: int = 4) -> Placed:
    """The legend laid out in a frame: real shapes and lines, ``per_row`` items to a
    row, rows one under the other, each read from left to right (remembered: it is
    the same for every chart; callers do not change it)."""
    block = Block(attributes={"rankdir": "TB", "nodesep": "0.2", "ranksep": "0.15"})
    heads = []
    for row in legend_rows(legend_groups(lang, cut), per_row):
        names = []
        for item in row:
            for name, attributes in item:
                attributes = dict(attributes)
                names.append((name, attributes.pop("edge", None)))
                block.add_node(name, id=name.removeprefix("flowgraph-"), **attributes)
        heads.append(names[0][0])
        block.ranks.append([name for name, _ in names])
        for (name, edge), (following, _) in pairwise(names):
            key = f"{name.removeprefix('flowgraph-')}-next"
            block.add_edge(name, following, key=key, id=key,
                           **(edge if edge is not None else {"style": "invis"}))
    for above, below in pairwise(heads):
        key = f"{above.removeprefix('flowgraph-')}-below"
        block.add_edge(above, below, key=key, id=key, style="invis")
    placed = block.lay_out(defaults("TB"))
    frame = box("flowgraph-legend-frame", placed.width + 16, placed.height + 12,
                shape="box", style="rounded", color=LINE, label="", id="legend")
    frame.block.nodes.update(block.nodes)
    frame.nodes.update({name: (x + 8, y + 6) for name, (x, y) in placed.nodes.items()})
    frame.block.edges.extend(block.edges)
    frame.edges.update({key: (moved(route, 8, 6), moved(label, 8, 6) if label else None)
                        for key, (route, label) in placed.edges.items()})
    return frame


def _sample_box(lang: str) -> str:
    """How a step's box reads, for the legend."""
    return step_label(Text("环节名称", "name of the step")(lang),
                      [Text("岗位", "post")(lang), Text("时限 · 依据", "limit · basis")(lang)],
                      1, [], lang)


# -- the whole chart on one canvas ---------------------------------------------------------


def diagram(flowchart: Flowchart, findings: Iterable[Finding], grades: dict[str, StepGrade],
            options: DiagramOptions = DiagramOptions()) -> pygraphviz.AGraph:
    """The whole annotated diagram on one canvas as a pygraphviz graph, every position
    pinned (draw it with :func:`draw`, or ``prog="nop2"``): the title block and the
    legend side by side above the chart."""
    drawing = Drawing(flowchart, findings, grades, options)
    if options.lanes:
        from .lanes import lanes
        body = lanes(drawing)
    else:
        body = drawing.chart().lay_out(defaults())
    parts, _, _ = arrange([drawing.header(), legend(drawing.lang)], [body], True, GAP)
    return compose(parts, defaults(), {
        "tooltip": _tooltip_text(flowchart.title), "notranslate": "true", "pad": "0.2"})


def graphviz():
    """pygraphviz, its Fontconfig told where to find fonts quietly
    (:func:`~flowgraph.output.fonts.quiet_fontconfig`) before it first draws."""
    from .fonts import quiet_fontconfig
    quiet_fontconfig()
    import pygraphviz
    return pygraphviz


def draw(graph, fmt: str) -> bytes:
    """A graph of :func:`diagram` (or of a page) drawn as ``fmt``: its positions are
    pinned, so the ``nop2`` engine draws it as it is."""
    return graph.draw(format=fmt, prog="nop2")


def inline_svg(svg: bytes) -> str:
    """An SVG drawing without its XML prologue and doctype, to stand inside HTML."""
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]


FORMATS = ("svg", "png", "pdf")


def render(flowchart: Flowchart, findings: Iterable[Finding], grades: dict[str, StepGrade],
           fmt: str = "svg", options: DiagramOptions = DiagramOptions(),
           paper: str = "A4") -> bytes:
    """SVG or PNG bytes of the whole diagram on one canvas; PDF: the pages for
    ``paper`` (:func:`flowgraph.output.paper.pages`), one document."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt == "pdf":
        from .paper import document, pages
        return document(pages(flowchart, findings, grades, options, paper),
                        options.date or default_date())
    return draw(diagram(flowchart, findings, grades, options), fmt)

"""The diagrams the BPMN and draw.io writers draw: every element has a shape or an edge,
steps stand in their lanes without overlapping, flows run forward, loops are broken, and
a chart of any depth is laid out."""
from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from flowgraph.generate import chart as generated_chart
from flowgraph.io import load
from flowgraph.io.bpmn import read, write
from flowgraph.io.swimlanes import Box, columns
from flowgraph.io.yaml_format import loads

from .strategies import flowcharts
from .test_formats import SAMPLES

MODEL = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
DI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"
DD = "{http://www.omg.org/spec/DD/20100524/DI}"
NODES = ("startEvent", "endEvent", "exclusiveGateway", "serviceTask", "userTask", "task")


class Drawing:
    """A written BPMN file's model elements and what its diagram draws for them."""

    def __init__(self, text: str):
        self.root = etree.fromstring(text.encode("utf-8"))
        self.shapes: dict[str, Box] = {}
        self.edges: dict[str, list[tuple[float, float]]] = {}
        for shape in self.root.iter(DI + "BPMNShape"):
            bounds = shape.find(DC + "Bounds")
            assert shape.get("bpmnElement") not in self.shapes, "drawn twice"
            self.shapes[shape.get("bpmnElement")] = Box(
                *(float(bounds.get(k)) for k in ("x", "y", "width", "height")))
        for edge in self.root.iter(DI + "BPMNEdge"):
            self.edges[edge.get("bpmnElement")] = [
                (float(p.get("x")), float(p.get("y"))) for p in edge.iter(DD + "waypoint")]

    def ids(self, *tags: str) -> list[str]:
        return [e.get("id") for tag in tags for e in self.root.iter(MODEL + tag)]

    def lane_of(self, node: str) -> str | None:
        for lane in self.root.iter(MODEL + "lane"):
            if node in [r.text for r in lane.iter(MODEL + "flowNodeRef")]:
                return lane.get("id")
        return None

    def pool_of(self, node: str) -> str:
        process = next(p for p in self.root.iter(MODEL + "process")
                       if node in {e.get("id") for e in p})
        return next(p.get("id") for p in self.root.iter(MODEL + "participant")
                    if p.get("processRef") == process.get("id"))


def inside(inner: Box, outer: Box) -> bool:
    return outer.x <= inner.x and inner.right <= outer.right and \
        outer.y <= inner.y and inner.bottom <= outer.bottom


def overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def on_edge_of(point: tuple[float, float], box: Box) -> bool:
    x, y = point
    return (x in (box.x, box.right) and box.y <= y <= box.bottom) or \
        (y in (box.y, box.bottom) and box.x <= x <= box.right)


def check_drawing(chart) -> Drawing:
    """What every written diagram must be: complete, tidy and attached."""
    drawing = Drawing(write(chart))
    nodes = drawing.ids(*NODES)
    assert len(nodes) == len(chart.steps)
    drawn = set(drawing.shapes)
    assert drawn == set(nodes) | set(drawing.ids("lane", "participant"))
    connections = drawing.ids("sequenceFlow", "messageFlow")
    assert set(drawing.edges) == set(connections)
    for node in nodes:
        box = drawing.shapes[node]
        assert inside(box, drawing.shapes[drawing.pool_of(node)]), node
        lane = drawing.lane_of(node)
        if lane is not None:
            assert inside(box, drawing.shapes[lane]), (node, lane)
    boxes = sorted((drawing.shapes[n], n) for n in nodes)
    for number, (box, node) in enumerate(boxes):  # sorted by x: neighbours only
        for other, name in boxes[number + 1:]:
            if other.x >= box.right:
                break
            assert not overlap(box, other), (node, name)
    refs = {e.get("id"): (e.get("sourceRef"), e.get("targetRef"))
            for e in drawing.root.iter(MODEL + "sequenceFlow", MODEL + "messageFlow")}
    for connection, points in drawing.edges.items():
        source, target = refs[connection]
        assert len(points) >= 2
        assert on_edge_of(points[0], drawing.shapes[source]), connection
        assert on_edge_of(points[-1], drawing.shapes[target]), connection
        for (x1, y1), (x2, y2) in pairwise(points):  # square corners only
            assert x1 == x2 or y1 == y2, connection
            stretch = Box(min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))
            crossed = [n for n in nodes if n not in (source, target) and x1 == x2
                       and overlap(stretch._replace(x=x1 - 0.5, width=1), drawing.shapes[n])]
            assert not crossed, (connection, crossed)  # no line runs down through a step
    return drawing


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_is_drawn_whole_and_tidy(path):
    check_drawing(load(path))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flowcharts())
def test_any_chart_is_drawn_whole_and_tidy(chart):
    check_drawing(chart)


def test_a_generated_chart_of_800_steps_is_drawn_whole_and_tidy():
    check_drawing(loads(generated_chart(800, seed=3).encode("utf-8"), "big.yaml"))


CHART = """\
flowgraph: 1
title: 行政许可
actors:
  clerk: {name: 窗口受理员}
  chief: {name: 科长, rank: section}
  auditor: {name: 纪检监察组, oversight: true}
steps:
  apply:   {kind: start, label: 申请}
  accept:  {kind: task, label: 受理, actor: clerk}
  check:   {kind: gateway, label: 材料齐全?}
  fix:     {kind: task, label: 补正, actor: clerk}
  decide:  {kind: decision, label: 审批, actor: chief, discretion: high}
  done:    {kind: end, label: 办结}
  watch:   {kind: oversight, label: 监督检查, actor: auditor}
flow:
  - [apply, accept]
  - [accept, check]
  - [check, fix]
  - [fix, accept]
  - [check, decide]
  - [decide, done]
oversight:
  - [watch, decide]
"""


def test_flows_run_right_and_a_loop_back_runs_below():
    drawing = check_drawing(loads(CHART.encode("utf-8"), "permit.yaml"))
    box = drawing.shapes
    order = ["apply", "accept", "check", "fix"]
    assert [box[a].center_x < box[b].center_x for a, b in pairwise(order)] == [True] * 3
    # the chief's decision stands in the gateway's column, in its own lane: the hand-over
    # runs straight down across to it
    assert box["decide"].center_x == box["check"].center_x < box["fix"].center_x
    down = drawing.edges[next(e.get("id") for e in drawing.root.iter(MODEL + "sequenceFlow")
                              if e.get("sourceRef") == "check"
                              and e.get("targetRef") == "decide")]
    assert down == [(box["check"].center_x, box["check"].bottom),
                    (box["decide"].center_x, box["decide"].y)]
    back = drawing.edges[next(e.get("id") for e in drawing.root.iter(MODEL + "sequenceFlow")
                              if e.get("sourceRef") == "fix")]
    assert max(y for _, y in back) > max(box["fix"].bottom, box["accept"].bottom)


def test_neutral_steps_are_drawn_in_a_neighbours_lane_and_keep_no_actor():
    chart = loads(CHART.encode("utf-8"), "permit.yaml")
    text = write(chart)
    drawing = Drawing(text)
    # the start takes the lane of the step after it, the gateway and the end that of
    # the step before them
    assert [drawing.lane_of(s) for s in ("apply", "check", "done")] == \
        ["lane_clerk", "lane_clerk", "lane_chief"]
    again = read(text.encode("utf-8"), "again.bpmn")[0]
    assert [again.steps[s].actor for s in ("apply", "check", "done")] == [None] * 3


def test_an_oversight_step_beside_the_flow_is_drawn_under_what_it_watches():
    drawing = check_drawing(loads(CHART.encode("utf-8"), "permit.yaml"))
    watch, decide = drawing.shapes["watch"], drawing.shapes["decide"]
    main, guard = (drawing.shapes[p.get("id")] for p in drawing.root.iter(MODEL + "participant"))
    assert guard.y > main.bottom and watch.center_x == decide.center_x
    flow = drawing.edges[drawing.ids("messageFlow")[0]]
    assert flow == [(watch.center_x, watch.y), (decide.center_x, decide.bottom)]


WATCHED_TWICE = """\
flowgraph: 1
title: 资金拨付
actors:
  chief: {name: 科长, rank: section}
  audit: {name: 内部审计科, oversight: true}
  team: {name: 派驻纪检监察组, oversight: true}
steps:
  apply:  {kind: start, label: 申请}
  decide: {kind: decision, label: 审批, actor: chief, discretion: high}
  done:   {kind: end, label: 办结}
  check:  {kind: oversight, label: 审计抽查, actor: audit}
  watch:  {kind: oversight, label: 纪检监督, actor: team}
flow:
  - [apply, decide]
  - [decide, done]
oversight:
  - [check, decide]
  - [watch, decide]
"""


def test_two_watchers_of_one_step_stand_in_two_columns():
    drawing = check_drawing(loads(WATCHED_TWICE.encode("utf-8"), "fund.yaml"))
    check, watch = drawing.shapes["check"], drawing.shapes["watch"]
    assert check.center_x == drawing.shapes["decide"].center_x
    assert watch.center_x > check.center_x  # the next free column: no edge crosses check
    route = drawing.edges[drawing.ids("messageFlow")[1]]
    for (x1, y1), (x2, y2) in pairwise(route):  # no segment runs through check
        assert not overlap(Box(min(x1, x2), min(y1, y2), abs(x2 - x1) or 1e-9,
                               abs(y2 - y1) or 1e-9), check)


def test_columns_follow_the_longest_path_and_break_loops():
    steps = ["a", "b", "c", "d", "e"]
    flows = [("a", "b"), ("b", "c"), ("c", "b"), ("a", "c"), ("c", "d"), ("e", "d")]
    assert columns(steps, flows) == {"a": 0, "b": 1, "c": 2, "d": 3, "e": 0}


def test_a_chain_deeper_than_pythons_recursion_limit_is_laid_out():
    steps = [f"s{n}" for n in range(30000)]
    flows = list(pairwise(steps)) + [(steps[-1], steps[0])]
    assert columns(steps, flows)[steps[-1]] == 29999


def test_the_drawing_is_ignored_when_read():
    chart = loads(CHART.encode("utf-8"), "permit.yaml")
    again = read(write(chart).encode("utf-8"), "again.bpmn")[0]
    assert not again.warnings and set(again.steps) == set(chart.steps)


def test_the_written_file_names_the_diagram_namespaces_once():
    text = write(loads(CHART.encode("utf-8"), "permit.yaml"))
    head = text.split("\n")[1]
    for prefix in ("bpmndi", "dc", "di", "fg"):
        assert f"xmlns:{prefix}=" in head


def drawio_boxes(text: str) -> tuple[dict[str, Box], dict[str, str]]:
    """Every vertex's bounds on the page (a swimlane's children are placed relative to
    it) and the parent of each."""
    root = etree.fromstring(text.encode("utf-8"))
    local: dict[str, Box] = {}
    parent: dict[str, str] = {}
    for cell in root.iter("mxCell"):
        holder = cell.getparent()
        ident = cell.get("id") or holder.get("id")
        geometry = cell.find("mxGeometry")
        if cell.get("vertex") == "1" and geometry is not None:
            local[ident] = Box(*(float(geometry.get(k)) for k in ("x", "y", "width", "height")))
            parent[ident] = cell.get("parent")
    page = {}
    for ident, box in local.items():
        lane = local.get(parent[ident])
        page[ident] = box._replace(x=box.x + lane.x, y=box.y + lane.y) if lane else box
    return page, parent


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_drawio_steps_stand_in_their_swimlanes_without_overlapping(path):
    from flowgraph.io.drawio import write as write_drawio
    chart = load(path)
    page, parent = drawio_boxes(write_drawio(chart))
    steps = [page[s] for s in chart.steps]
    for step in chart.steps.values():
        lane = parent[step.id]
        if lane in page:  # in a swimlane: inside it, right of its name
            assert inside(page[step.id], page[lane]) and page[step.id].x > page[lane].x + 30
    for number, box in enumerate(steps):
        assert not any(overlap(box, other) for other in steps[number + 1:])


def test_a_chart_without_actors_whose_flow_is_one_loop_is_drawn_in_its_pool():
    chart = loads("flowgraph: 1\ntitle: 循环\nsteps:\n  a: {kind: start}\n"
                  "  b: {kind: task, label: 办理}\n  c: {kind: end}\n"
                  "flow:\n  - [a, b]\n  - [b, c]\n  - [c, a]\n".encode(), "loop.yaml")
    drawing = check_drawing(chart)
    assert drawing.ids("lane") == [] and set(drawing.shapes) == {"a", "b", "c", "pool"}
    assert drawing.shapes["a"].x < drawing.shapes["b"].x < drawing.shapes["c"].x

"""Swimlane diagrams: one lane per post (or per section), in flow order.

Practitioners draw 权力运行流程图 in swimlanes: a band per post (岗位) or section (科室),
titled at its start, the steps in the lane of whoever handles them, in columns by their
place in the flow. The layout is the one the BPMN and draw.io writers use
(:func:`flowgraph.io.swimlanes.lay_out`: columns by longest path, lanes as rows,
square-cornered routes), given a grid and the size of every box measured from its
text; Graphviz then draws it as placed (the ``nop2`` engine), so that a box, its text,
its fill and its badges are the same as in the other diagrams. docs/decisions.md
("Swimlanes") says why positions are fed to Graphviz rather than drawn apart.

Lanes are ordered by the first column where they act; the lanes of overseers beside
the flow come after, and last a lane for the independent overseer FG401 proposes, when
it does. Flow lines run right (or down) and turn in the gaps between columns; an
oversight line leaves its overseer sideways into the gap before its column, runs along
it, and reaches the watched step through the margin of that step's lane. Lanes run
left to right (``LR``) or, turned, top to bottom (``TB``: the lanes are columns, their
titles on top); :mod:`.paper` chooses, and repeats the titles on every page.
"""
from __future__ import annotations

from ..grading.posts import section_of
from ..i18n import Text
from ..io.swimlanes import Box, Grid, Pool, columns, flow_waypoints, lay_out
from .blocks import RULE_PREFIX, STICKY_PREFIX, Block, Placed
from .labels import SMALL_SIZE, plain, wrap
from .labels import width as columns_of
from .palette import INK, LANE_LINE, LANE_TITLE_FILL, PAPER, PROPOSED
from .render import (
    NEW_OVERSEER,
    Drawing,
    _line_style,
    defaults,
)

#: The band of the lanes' titles, across a lane's start, in points (its width when the
#: lanes are rows, its height when they are columns).
TITLE_BAND = {"LR": 76.0, "TB": 44.0}
#: Room between the boxes of neighbouring columns, and above and below a box in its
#: lane, in points.
COLUMN_GAP = 34.0
ROW_GAP = 24.0
#: A line's label as :func:`.labels.plain` wraps it by default: columns, lines.
LABEL_COLUMNS, LABEL_LINES = 16, 2
#: The length of an arrowhead, by which a route stops short of its step.
ARROW = 7.0
#: The lane of the proposed overseer, and its node.
PROPOSED_LANE = "\x00proposed"
OVERSEER = "flowgraph-proposed-overseer"
#: The lane titles: repeated at the start of every page of a cut diagram.
TITLE_PREFIX = STICKY_PREFIX + "lane-"


def lane_keys(drawing: Drawing) -> dict[str, str | None]:
    """The lane each step belongs to by its post (or its post's section), None for a
    step without one (drawn beside its neighbours)."""
    keys = {}
    for step in drawing.flowchart.steps:
        post = drawing.post(step)
        if post and drawing.options.lanes == "section":
            post = section_of(post)[0] or post
        keys[step] = post
    return keys


def lane_order(drawing: Drawing, keys: dict[str, str | None]) -> list[str]:
    """The lanes in flow order: by the first column where one of their steps stands;
    those whose steps are all beside the flow after, in the order of the chart."""
    flowchart = drawing.flowchart
    steps = list(flowchart.steps)
    column = columns(steps, [(e.source, e.target) for e in flowchart.flows])
    in_flow = {step for e in flowchart.flows for step in (e.source, e.target)}
    first: dict[str, tuple[int, int, int]] = {}
    for number, step in enumerate(steps):
        key = keys[step]
        if key is not None:
            rank = (step not in in_flow, column[step] if step in in_flow else 0, number)
            first[key] = min(first.get(key, rank), rank)
    return sorted(first, key=first.get)


def lanes(drawing: Drawing, direction: str = "LR") -> Placed:
    """The chart as a swimlane diagram, placed: lanes as rows (``LR``) or as columns
    (``TB``)."""
    flowchart = drawing.flowchart
    keys = lane_keys(drawing)
    order = lane_order(drawing, keys)
    show_post = drawing.options.lanes == "section"
    attributes = {step: drawing.step_attributes(step, show_post) for step in flowchart.steps}
    proposals = [(source, target) for source, target in drawing.proposals]
    watched = [(e.source, e.target) for e in flowchart.oversights]
    if any(source is None for source, _ in proposals):
        attributes[OVERSEER] = dict(
            shape="octagon", style="dashed,filled", fillcolor=PAPER, color=PROPOSED,
            fontcolor=PROPOSED, id="proposed-overseer",
            label=plain(NEW_OVERSEER(drawing.lang), 10, PROPOSED))
        keys[OVERSEER] = PROPOSED_LANE
        order.append(PROPOSED_LANE)
        watched += [(OVERSEER, target) for source, target in proposals if source is None]
    sizes = _measure(attributes)
    turned = direction == "TB"
    flat = {name: ((h, w) if turned else (w, h)) for name, (w, h) in sizes.items()}
    grid = Grid(column=COLUMN_GAP, row=ROW_GAP, pool_label=0.0,
                lane_label=TITLE_BAND[direction], gap=0.0, origin=0.0, fitted=True)
    kinds = {step: flowchart.steps[step].kind if step in flowchart.steps else "oversight"
             for step in attributes}
    pool = Pool("chart", order, [(step, kinds[step], keys[step]) for step in attributes])
    layout = lay_out([pool], [(e.source, e.target) for e in flowchart.flows], watched,
                     grid, flat)
    return _placed(drawing, layout, attributes, order, grid, direction, proposals)


def _measure(attributes: dict[str, dict[str, str]]) -> dict[str, tuple[float, float]]:
    """Each box's width and height from its text, as Graphviz sizes it."""
    block = Block()
    for name, node in attributes.items():
        block.add_node(name, **node)
    return block.lay_out(defaults()).sizes


def _placed(drawing: Drawing, layout, attributes, order: list[str], grid: Grid,
            direction: str, proposals) -> Placed:
    """The laid-out lanes as a placed block: rules between the lanes, their titles,
    the steps, the routes; turned when the lanes are columns."""
    pool = layout.pools["chart"]
    turned = direction == "TB"
    width, height = (pool.height, pool.width) if turned else (pool.width, pool.height)

    def point(x: float, y: float) -> tuple[float, float]:
        """From the layout's frame (y down, lanes as rows) to Graphviz's (y up)."""
        if turned:
            x, y = y, x
        return x, height - y

    block = Block()
    nodes: dict[str, tuple[float, float]] = {}
    edges: dict[str, tuple[str, str | None]] = {}
    lane_boxes = [layout.lanes[("chart", key)] for key in order]
    for number, (key, box) in enumerate(zip(order, lane_boxes, strict=True)):
        title = Text("建议增设的监督", "proposed oversight")(drawing.lang) \
            if key == PROPOSED_LANE else key
        name = f"{TITLE_PREFIX}{number}"
        along, across = grid.lane_label - 4, box.height - 4
        w, h = (across, along) if turned else (along, across)
        block.add_node(name, shape="box", style="filled", fillcolor=LANE_TITLE_FILL,
                       color=LANE_LINE, fixedsize="true", width=f"{w / 72:.3f}",
                       height=f"{h / 72:.3f}", id=f"lane-{number}",
                       label=plain(title, SMALL_SIZE + 1, INK,
                                   max(4, int(w / (SMALL_SIZE + 1) * 2) - 1),
                                   max(1, min(3, int((h - 6) // ((SMALL_SIZE + 1) * 1.4))))),
                       tooltip=title.replace("\\", "\\\\"))
        nodes[name] = point(box.x + grid.lane_label / 2, box.center_y)
    for number, y in enumerate([lane_boxes[0].y] + [b.bottom for b in lane_boxes]):
        _rule(block, nodes, edges, number, [point(0.0, y), point(pool.width, y)])
    for step, box in layout.steps.items():
        block.add_node(step, **attributes[step])
        nodes[step] = point(box.center_x, box.center_y)
    before = COLUMN_GAP / 2
    taken = [_box_of(point(box.x, box.y), point(box.right, box.bottom))
             for box in layout.steps.values()]  # where no label may go: steps, labels
    for kind, number, source, target, label in drawing.lines:
        source = OVERSEER if source is None else source
        key = f"{kind}-{number}"
        if kind == "flow":
            route = flow_waypoints(layout.steps[source], layout.steps[target], before)
        else:
            route = watch_route(layout.steps[source], layout.steps[target], before)
        lit = kind != "proposed" and (source, target) in drawing.lit_edges
        style = _line_style(kind, label, lit, drawing.lang)
        block.add_edge(source, target, key=key, id=key, **style)
        edges[key] = (_spline([point(x, y) for x, y in route]),
                      _label_place([point(x, y) for x, y in route], label, taken)
                      if label else None)
    if drawing.markers:  # in lanes every proposal is a line: nothing to lay out
        for number, (source, target) in enumerate(proposals):
            source = OVERSEER if source is None else source
            key = f"proposed-{number}"
            route = watch_route(layout.steps[source], layout.steps[target], before)
            block.add_edge(source, target, key=key, id=key,
                           **_line_style("proposed", None, False, drawing.lang))
            edges[key] = (_spline([point(x, y) for x, y in route]), None)
    sizes = {name: (float(a.get("width", 0)) * 72, float(a.get("height", 0)) * 72)
             for name, a in block.nodes.items() if a.get("fixedsize") == "true"}
    sizes.update({step: ((box.height, box.width) if turned else (box.width, box.height))
                  for step, box in layout.steps.items()})
    return Placed(block, width, height, nodes, edges, sizes,
                  sticky=grid.lane_label)


def _rule(block: Block, nodes, edges, number: int, ends) -> None:
    """A thin grey line between lanes, as an edge between two unseen points."""
    names = [f"flowgraph-rule-{number}-{side}" for side in ("a", "b")]
    for name, place in zip(names, ends, strict=True):
        block.add_node(name, shape="point", style="invis", width="0.01")
        nodes[name] = place
    key = f"{RULE_PREFIX}{number}"
    block.add_edge(*names, key=key, id=key, color=LANE_LINE, arrowhead="none",
                   penwidth="0.8")
    (x1, y1), (x2, y2) = ends
    edges[key] = (f"{x1:.2f},{y1:.2f} {x1:.2f},{y1:.2f} {x2:.2f},{y2:.2f} {x2:.2f},{y2:.2f}",
                  None)


def watch_route(source: Box, target: Box, before: float) -> list[tuple[float, float]]:
    """An oversight line, in the room no box takes: out of the overseer's side into
    the gap before its column, along its lane's margin (above it when the watched step
    is above) to the gap before the watched step's column, along that gap to the
    margin of the step's lane, and into the step from above or below. Flow lines turn
    in the middle of the gaps; oversight runs nearer the columns' steps."""
    below = source.center_y > target.center_y
    source_x = source.x - before * 0.4
    target_x = target.x - before * 0.4
    source_y = source.y - ROW_GAP / 4 if below else source.bottom + ROW_GAP / 4
    target_y = target.bottom + ROW_GAP / 4 if below else target.y - ROW_GAP / 4
    return [(source.x, source.center_y), (source_x, source.center_y), (source_x, source_y),
            (target_x, source_y), (target_x, target_y), (target.center_x, target_y),
            (target.center_x, target.bottom if below else target.y)]


def _spline(points: list[tuple[float, float]]) -> str:
    """A polyline as Graphviz's spline: straight cubic segments, the last one stopping
    an arrowhead short of its end, which the ``e`` point names."""
    points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    if len(points) < 2:
        points = points * 2
    (x1, y1), (x2, y2) = points[-2], points[-1]
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-9)
    cut = min(ARROW, length / 2) / length
    short = (x2 - (x2 - x1) * cut, y2 - (y2 - y1) * cut)
    body = points[:-1] + [short]
    spline = [body[0]]
    for (ax, ay), (bx, by) in zip(body, body[1:], strict=False):
        spline += [(ax + (bx - ax) / 3, ay + (by - ay) / 3),
                   (ax + 2 * (bx - ax) / 3, ay + 2 * (by - ay) / 3), (bx, by)]
    text = " ".join(f"{x:.2f},{y:.2f}" for x, y in spline)
    return f"e,{x2:.2f},{y2:.2f} {text}"


def _label_place(points: list[tuple[float, float]], label: str,
                 taken: list[tuple[float, float, float, float]]) -> str:
    """Where a line's label goes: beside one of its stretches (above a level one, right
    of an upright one), the longest first, at its middle, then a third or two thirds
    along it, then on the other side, the first place that covers no step and no
    label placed before, else the one that covers least. The place is added to
    ``taken``."""
    lines = wrap(label, LABEL_COLUMNS, LABEL_LINES)
    half_width = max(columns_of(line) for line in lines) * SMALL_SIZE / 4 + 2
    half_height = len(lines) * SMALL_SIZE * 0.65 + 1
    stretches = sorted(zip(points, points[1:], strict=False),
                       key=lambda s: -(abs(s[1][0] - s[0][0]) + abs(s[1][1] - s[0][1])))
    places = []
    for side in (1, -1):
        for share in (0.5, 1 / 3, 2 / 3):
            for (x1, y1), (x2, y2) in stretches:
                x, y = x1 + (x2 - x1) * share, y1 + (y2 - y1) * share
                places.append((x, y + side * (half_height + 2))
                              if abs(y2 - y1) < abs(x2 - x1)
                              else (x + side * (half_width + 3), y))

    def covered(place: tuple[float, float]) -> float:
        x, y = place
        box = (x - half_width, y - half_height, x + half_width, y + half_height)
        return sum(_overlap(box, other) for other in taken)
    x, y = min(places, key=covered)  # the first that covers nothing, or the least
    taken.append((x - half_width, y - half_height, x + half_width, y + half_height))
    return f"{x:.2f},{y:.2f}"


def _box_of(corner: tuple[float, float], other: tuple[float, float]
            ) -> tuple[float, float, float, float]:
    """The box between two corners, as (left, bottom, right, top)."""
    (x1, y1), (x2, y2) = corner, other
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """The area two boxes (left, bottom, right, top) share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * \
        max(0.0, min(a[3], b[3]) - max(a[1], b[1]))

"""Laying a flowchart out as a swimlane diagram, for the BPMN and draw.io writers.

Camunda Modeler and bpmn.io show nothing of a BPMN file without a diagram ("no diagram
to display"), and a draw.io file is nothing but its drawing, so the writers lay the
chart out. The layout is the plain one of a swimlane flowchart, computed in linear time
so that a chart of 100,000 steps converts in seconds:

* each pool is a band of rows, one row (lane) per actor;
* steps stand in columns by their place in the flow: a step's column is the longest
  path to it from the steps nothing leads to, over the flow with its loops broken where
  a flow returns to a step already on the path being followed;
* steps of one lane in one column are stacked, so no two shapes overlap;
* a flow runs right and turns just before its target; one going back (a loop) or
  within a column runs below or beside the steps;
* oversight steps that stand beside the flow are drawn under the first step they
  watch, or the next free column: one to a column, so that no oversight edge crosses
  another watcher (in BPMN they stand in a supervisory pool below the main one, and
  their message flows go up into it).

Steps without a lane of their own (start, end, gateways, system steps, steps of an
actor no lane stands for) are drawn in the lane of the step before them, else of the
step after them.

The writers use the sizes modellers use (:data:`GRID`); the printed swimlane diagram
(:mod:`flowgraph.output.lanes`) passes its own grid and the size of every step's box,
measured from its text, to the same layout.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

#: Width and height of a step's shape by kind; tasks otherwise.
SIZES = {"start": (36, 36), "end": (36, 36), "gateway": (50, 50)}
TASK_SIZE = (100, 80)
COLUMN = 150  # width of a column
ROW = 110     # height of one step in a lane
LABEL = 30    # the band with a pool's or a lane's name
GAP = 40      # between the pools
ORIGIN = 100  # where the first pool starts (x and y), as modellers do


class Grid(NamedTuple):
    """The measures of a layout: a column's width, a lane's row height, the bands with
    the pool's and the lane's names, the gap between pools, and where the first pool
    starts (x and y). ``fitted``: each column as wide as its widest step and each row
    as high as its highest, ``column`` and ``row`` being the room between them."""

    column: float = COLUMN
    row: float = ROW
    pool_label: float = LABEL
    lane_label: float = LABEL
    gap: float = GAP
    origin: float = ORIGIN
    fitted: bool = False


GRID = Grid()


class Box(NamedTuple):
    """A shape's bounds."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2

    @property
    def center_y(self) -> float:
        return self.y + self.height / 2


class Pool(NamedTuple):
    """What one pool holds: its lanes (actor ids, in order) and its steps (ids and
    kinds, in order), each step with the actor whose lane it belongs to or None."""

    id: str
    lanes: list[str]
    steps: list[tuple[str, str, str | None]]


class Layout(NamedTuple):
    """The bounds of every pool, lane and step, and the lane each step is drawn in (the
    routes of the edges follow from the bounds: :func:`flow_waypoints`,
    :func:`message_waypoints`)."""

    pools: dict[str, Box]
    lanes: dict[tuple[str, str], Box]  # (pool id, actor id) -> bounds
    steps: dict[str, Box]
    lane_of: dict[str, str | None]     # step id -> the actor whose lane it is drawn in


def columns(steps: list[str], flows: list[tuple[str, str]]) -> dict[str, int]:
    """The column of each step: its longest path from a step nothing leads to, the loops
    broken by a depth-first walk in the steps' order (iterative: charts are deep)."""
    successors: dict[str, list[str]] = {step: [] for step in steps}
    for source, target in flows:
        successors[source].append(target)
    backward = _back_edges(steps, successors)
    waiting = dict.fromkeys(steps, 0)
    for source, target in flows:
        if (source, target) not in backward:
            waiting[target] += 1
    column = dict.fromkeys(steps, 0)
    ready = [step for step in steps if not waiting[step]]
    while ready:
        step = ready.pop()
        for following in successors[step]:
            if (step, following) in backward:
                continue
            column[following] = max(column[following], column[step] + 1)
            waiting[following] -= 1
            if not waiting[following]:
                ready.append(following)
    return column


def _back_edges(steps: list[str], successors: dict[str, list[str]]) -> set[tuple[str, str]]:
    """The flows that close a loop, as a depth-first walk in the steps' order meets
    them: without them the flows go one way, and columns are longest paths."""
    state = dict.fromkeys(steps, 0)  # 0 unseen, 1 on the path, 2 done
    backward: set[tuple[str, str]] = set()
    for root in steps:
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, iter(successors[root]))]
        while stack:
            step, rest = stack[-1]
            following = next(rest, None)
            if following is None:
                state[step] = 2
                stack.pop()
            elif state[following] == 1:
                backward.add((step, following))
            elif state[following] == 0:
                state[following] = 1
                stack.append((following, iter(successors[following])))
    return backward


def _lanes_of(pool: Pool, flows: list[tuple[str, str]],
              column: dict[str, int]) -> dict[str, str | None]:
    """The lane each step is drawn in: its actor's, else that of the step before it, else
    of the step after it (one pass each way, in the order of the columns), else the
    first."""
    lanes = set(pool.lanes)
    lane_of = {step: actor if actor in lanes else None for step, _, actor in pool.steps}
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for source, target in flows:
        if source in lane_of and target in lane_of:
            before.setdefault(target, []).append(source)
            after.setdefault(source, []).append(target)
    order = sorted(lane_of, key=lambda step: column.get(step, 0))
    for steps, neighbours in ((order, before), (reversed(order), after)):
        for step in steps:
            if lane_of[step] is None:
                lane_of[step] = next((lane_of[n] for n in neighbours.get(step, ())
                                      if lane_of[n] is not None), None)
    first = pool.lanes[0] if pool.lanes else None
    return {step: first if lane is None else lane for step, lane in lane_of.items()}


def lay_out(pools: list[Pool], flows: list[tuple[str, str]],
            watched: Iterable[tuple[str, str]] = (), grid: Grid = GRID,
            sizes: Mapping[str, tuple[float, float]] | None = None) -> Layout:
    """Lay out the pools one under the other; ``flows`` are the sequence flows (within
    the first pool), ``watched`` the oversight edges, which set the columns of the steps
    beside the flow; ``sizes`` the width and height of steps whose box is not the size
    of its kind."""
    column = columns([step for step, _, _ in pools[0].steps], flows)
    in_flow = {step for flow in flows for step in flow}
    under: dict[str, int] = {}
    for source, target in watched:  # beside the flow: under the first step it watches
        if source not in in_flow and target in column:
            under[source] = min(under.get(source, column[target]), column[target])
    taken: set[int] = set()
    for step, wanted in under.items():  # one to a column: no edge crosses another's step
        while wanted in taken:
            wanted += 1
        taken.add(wanted)
        column[step] = wanted
    size_of = {step: sizes[step] if sizes and step in sizes else SIZES.get(kind, TASK_SIZE)
               for pool in pools for step, kind, _ in pool.steps}
    widths = _column_widths(column, size_of, grid)
    lefts = [grid.origin + grid.pool_label + grid.lane_label]
    for column_width in widths:
        lefts.append(lefts[-1] + column_width)
    width = lefts[-1] - grid.origin
    boxes: dict[str, Box] = {}
    pool_boxes: dict[str, Box] = {}
    lane_boxes: dict[tuple[str, str], Box] = {}
    lane_of: dict[str, str | None] = {}
    top = grid.origin
    for pool in pools:
        drawn = _lanes_of(pool, flows, column)
        lane_of.update(drawn)
        rows = pool.lanes or [None]
        cells: dict[tuple[str | None, int], int] = {}  # steps already in a cell
        place: dict[str, tuple[str | None, int]] = {}
        for step, _, _ in pool.steps:
            cell = (drawn[step], column.get(step, 0))
            place[step] = (cell[0], cells.get(cell, 0))
            cells[cell] = cells.get(cell, 0) + 1
        heights = _row_heights(rows, place, size_of, grid)
        lane_top = {}
        y = top
        for lane in rows:
            lane_top[lane] = y
            if lane is not None:
                lane_boxes[(pool.id, lane)] = Box(grid.origin + grid.pool_label, y,
                                                  width - grid.pool_label, sum(heights[lane]))
            y += sum(heights[lane])
        pool_boxes[pool.id] = Box(grid.origin, top, width, y - top)
        for step, _, _ in pool.steps:
            lane, index = place[step]
            w, h = size_of[step]
            at = column.get(step, 0)
            center_x = lefts[at] + widths[at] / 2
            center_y = lane_top[lane] + sum(heights[lane][:index]) + heights[lane][index] / 2
            boxes[step] = Box(center_x - w / 2, center_y - h / 2, w, h)
        top = y + grid.gap
    return Layout(pool_boxes, lane_boxes, boxes, lane_of)


def _column_widths(column: dict[str, int], size_of: dict[str, tuple[float, float]],
                   grid: Grid) -> list[float]:
    """Each column's width: the grid's, or when fitted its widest step's and the room
    between columns."""
    count = max(column.values(), default=0) + 1
    if not grid.fitted:
        return [grid.column] * count
    widths = [0.0] * count
    for step, at in column.items():
        if step in size_of:
            widths[at] = max(widths[at], size_of[step][0])
    return [w + grid.column for w in widths]


def _row_heights(rows, place: dict[str, tuple[str | None, int]],
                 size_of: dict[str, tuple[float, float]], grid: Grid) -> dict:
    """The heights of each lane's rows (one per step stacked in a cell): the grid's,
    or when fitted the row's highest step's and the room between rows."""
    count = dict.fromkeys(rows, 1)
    for lane, index in place.values():
        count[lane] = max(count[lane], index + 1)
    if not grid.fitted:
        return {lane: [grid.row] * count[lane] for lane in rows}
    heights = {lane: [0.0] * count[lane] for lane in rows}
    for step, (lane, index) in place.items():
        heights[lane][index] = max(heights[lane][index], size_of[step][1])
    return {lane: [h + grid.row for h in rows_of] for lane, rows_of in heights.items()}


def flow_waypoints(source: Box, target: Box,
                   before: float = (COLUMN - TASK_SIZE[0]) / 2) -> list[tuple[float, float]]:
    """A sequence flow's route: right and then to the target, turning ``before`` it;
    a loop back runs below both steps, a flow within a column beside them."""
    if target.x >= source.right:
        if source.center_y == target.center_y:
            return [(source.right, source.center_y), (target.x, target.center_y)]
        turn = target.x - before
        return [(source.right, source.center_y), (turn, source.center_y),
                (turn, target.center_y), (target.x, target.center_y)]
    if source.center_x == target.center_x:
        side = max(source.right, target.right) + 15
        return [(source.right, source.center_y), (side, source.center_y),
                (side, target.center_y), (target.right, target.center_y)]
    below = max(source.bottom, target.bottom) + 12
    return [(source.center_x, source.bottom), (source.center_x, below),
            (target.center_x, below), (target.center_x, target.bottom)]


def message_waypoints(source: Box, target: Box, between: float) -> list[tuple[float, float]]:
    """A message flow from a step of a pool below up to the step it watches, turning at
    ``between`` (the gap between the pools)."""
    if source.center_x == target.center_x:
        return [(source.center_x, source.y), (target.center_x, target.bottom)]
    return [(source.center_x, source.y), (source.center_x, between),
            (target.center_x, between), (target.center_x, target.bottom)]


def coordinate(value: float) -> str:
    """A coordinate as diagram files write it: ``120``, ``137.5``."""
    return str(int(value)) if float(value).is_integer() else str(value)

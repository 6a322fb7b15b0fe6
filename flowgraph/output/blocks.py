"""Drawings assembled from blocks laid out on their own (Graphviz plumbing).

A page is made of parts that must not share a layout: the title block, the legend,
and the columns (strips) of the flow, each a small graph that ``dot`` lays out alone
(so that a legend's rows are not stretched to the height of the chart's ranks, and
strips start level at the top of the page), or that a swimlane layout places
(:mod:`.lanes`). :func:`compose` sets the laid-out blocks where the page wants them and
hands Graphviz one graph with every position pinned: the ``nop2`` engine draws it as
given, shapes, lines and labels, to SVG, PNG or PDF alike.

Coordinates are Graphviz's points (1/72 inch), y upwards, as the layout gives them; a
placed block's box starts at (0, 0).
"""
from __future__ import annotations

from dataclasses import dataclass, field

POINTS = 72.0  # per inch: Graphviz's sizes are in inches, its positions in points
#: Nodes whose names start so stand in a band at the start of the drawing that every
#: tile of it repeats (a swimlane diagram's lane titles); edges whose keys start so are
#: plain rules, cut without marks.
STICKY_PREFIX = "flowgraph-sticky-"
RULE_PREFIX = "rule-"


@dataclass
class Block:
    """Shapes and lines laid out together: nodes by name with their Graphviz
    attributes (in the order drawn), edges with a key each, groups of nodes that
    share a rank, and the graph's attributes for the layout."""

    attributes: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, str, dict[str, str]]] = field(default_factory=list)
    ranks: list[list[str]] = field(default_factory=list)

    def add_node(self, name: str, **attributes: str) -> None:
        self.nodes[name] = attributes

    def add_edge(self, tail: str, head: str, key: str, **attributes: str) -> None:
        self.edges.append((tail, head, key, attributes))

    def graph(self, defaults: dict[str, dict[str, str]]):
        """The block as a pygraphviz graph (``defaults``: graph, node and edge
        attributes every block shares)."""
        from .render import graphviz
        graph = graphviz().AGraph(directed=True, strict=False, name="block")
        graph.graph_attr.update(defaults["graph"])
        graph.graph_attr.update(self.attributes)
        graph.node_attr.update(defaults["node"])
        graph.edge_attr.update(defaults["edge"])
        for name, attributes in self.nodes.items():
            graph.add_node(name, **attributes)
        for tail, head, key, attributes in self.edges:
            graph.add_edge(tail, head, key=key, **attributes)
        for number, names in enumerate(self.ranks):
            # one by one: add_subgraph(nodes) passes over every edge of the graph
            rank = graph.add_subgraph(name=f"rank-{number}", rank="same")
            for name in names:
                rank.add_node(name)
        return graph

    def lay_out(self, defaults: dict[str, dict[str, str]]) -> Placed:
        """The block laid out by ``dot``, moved to start at (0, 0)."""
        graph = self.graph(defaults)
        graph.layout(prog="dot")
        left, bottom, right, top = (float(v) for v in graph.graph_attr["bb"].split(","))
        nodes, sizes = {}, {}
        for node in graph.nodes_iter():
            x, y = (float(v) for v in node.attr["pos"].split(","))
            nodes[str(node)] = (x - left, y - bottom)
            sizes[str(node)] = (float(node.attr["width"]) * POINTS,
                                float(node.attr["height"]) * POINTS)
        edges = {}
        for edge in graph.edges_iter():
            label = edge.attr.get("lp")
            edges[edge.name] = (moved(edge.attr["pos"], -left, -bottom),
                                moved(label, -left, -bottom) if label else None)
        return Placed(self, right - left, top - bottom, nodes, edges, sizes)


@dataclass
class Placed:
    """A block laid out: its size in points, each node's centre, each edge's route
    (Graphviz's ``pos``) and label position (``lp``) by key, each node's size when
    the layout measured it, and the length of the band at its start that tiles repeat
    (:data:`STICKY_PREFIX`)."""

    block: Block
    width: float
    height: float
    nodes: dict[str, tuple[float, float]]
    edges: dict[str, tuple[str, str | None]]
    sizes: dict[str, tuple[float, float]] = field(default_factory=dict)
    sticky: float = 0.0


def moved(pos: str, dx: float, dy: float) -> str:
    """A Graphviz position list (``e,x,y x,y …``, or one point) moved by (dx, dy)."""
    parts = []
    for token in pos.split():
        prefix = ""
        if token[:2] in ("e,", "s,"):
            prefix, token = token[:2], token[2:]
        x, y = token.split(",")
        parts.append(f"{prefix}{_number(float(x) + dx)},{_number(float(y) + dy)}")
    return " ".join(parts)


def _number(value: float) -> str:
    """A coordinate as written in the composed graph: two decimals, no "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def compose(parts: list[tuple[Placed, float, float]], defaults: dict[str, dict[str, str]],
            attributes: dict[str, str]):
    """One pinned graph of the ``parts``, each block moved by its (dx, dy), its
    nodes and edges in the order given, drawn by ``nop2``; node names must be unique
    over the parts."""
    from .render import graphviz
    graph = graphviz().AGraph(directed=True, strict=False, name="flowchart")
    graph.graph_attr.update(defaults["graph"])
    graph.graph_attr.update(attributes)
    graph.graph_attr["layout"] = "nop2"
    graph.node_attr.update(defaults["node"])
    graph.edge_attr.update(defaults["edge"])
    for placed, dx, dy in parts:
        for name, node_attributes in placed.block.nodes.items():
            x, y = placed.nodes[name]
            graph.add_node(name, **node_attributes,
                           pos=f"{_number(x + dx)},{_number(y + dy)}")
        for tail, head, key, edge_attributes in placed.block.edges:
            route, label = placed.edges[key]
            extra = {"pos": moved(route, dx, dy)}
            if label:
                extra["lp"] = moved(label, dx, dy)
            graph.add_edge(tail, head, key=key, **edge_attributes, **extra)
    return graph


def box(name: str, width: float, height: float, **attributes: str) -> Placed:
    """A block of one shape of a fixed size (a frame, a lane's band), its box at
    (0, 0)."""
    block = Block()
    block.add_node(name, fixedsize="true", width=_number(width / POINTS),
                   height=_number(height / POINTS), **attributes)
    return Placed(block, width, height, {name: (width / 2, height / 2)}, {})


def arrange(header: list[Placed], body: list[Placed], across: bool, gap: float,
            width: float | None = None, footer: tuple[Placed, ...] | list[Placed] = (),
            side: Placed | None = None
            ) -> tuple[list[tuple[Placed, float, float]], float, float]:
    """Set the ``header`` blocks in a row (wrapping to a new row past ``width``) above
    the ``body`` blocks, which stand side by side when ``across``, else one under the
    other, the ``side`` block right of the body (its top level with the body's), and
    the ``footer`` blocks in a row under them; rows and the body centred. Returns the
    parts with their offsets and the size of the whole."""
    rows: list[list[Placed]] = []
    for placed in header:
        if rows and (width is None or _row_width(rows[-1] + [placed], gap) <= width):
            rows[-1].append(placed)
        else:
            rows.append([placed])
    if across:
        body_width = _row_width(body, gap)
        body_height = max((p.height for p in body), default=0.0)
    else:
        body_width = max((p.width for p in body), default=0.0)
        body_height = sum(p.height for p in body) + gap * max(len(body) - 1, 0)
    stack_width = body_width
    if side is not None:
        body_width += gap + side.width
        body_height = max(body_height, side.height)
    footer = list(footer)
    footer_height = max((p.height for p in footer), default=0.0)
    total_width = max([body_width, _row_width(footer, gap)]
                      + [_row_width(row, gap) for row in rows])
    heights = [max(p.height for p in row) for row in rows]
    total_height = sum(heights) + body_height + gap * len(rows) \
        + (footer_height + gap if footer else 0.0)
    parts = []
    top = total_height
    for row, row_height in zip(rows, heights, strict=True):
        x = (total_width - _row_width(row, gap)) / 2
        for placed in row:
            parts.append((placed, x, top - placed.height))
            x += placed.width + gap
        top -= row_height + gap
    x = (total_width - body_width) / 2
    if side is not None:
        parts.append((side, x + stack_width + gap, top - side.height))
    for placed in body:
        parts.append((placed, x, top - placed.height))
        if across:
            x += placed.width + gap
        else:
            top -= placed.height + gap
    if footer:
        top = footer_height
        x = (total_width - _row_width(footer, gap)) / 2
        for placed in footer:
            parts.append((placed, x, top - placed.height))
            x += placed.width + gap
    return parts, total_width, total_height


def _row_width(row: list[Placed], gap: float) -> float:
    return sum(p.width for p in row) + gap * max(len(row) - 1, 0)

"""Graphviz DOT (design.md §5): node and edge attributes use the model's names.

A digraph is one flowchart; graph attributes hold its ``title``, ``unit``,
``category``, ``basis`` and ``superior_in_charge`` (the graph's name is its ``id``).
Every node is a step with the attributes of the native format (``kind``, ``label``,
``actor``, ``discretion``, ``money``, ``people``, ``rights``, ``controls`` separated by
``;``, ``duty``, ``declared_grade``, ``time_limit``, ``basis``, ``waive`` as
``FG301: 理由``, and the unit's notes ``risk_description``, ``risk_category``,
``measures``, ``responsible_direct``, ``responsible_department``,
``responsible_leader``, ``rectification``), except nodes named ``actor:ID`` with
``kind=actor``: they declare the actors (``name``, ``rank``, ``reports_to``,
``collective``, ``oversight``, ``public``, ``outside``), since DOT has no other place
for them. An edge with ``kind=oversight`` (or
``kind=监督``) or ``style=dashed`` is an oversight edge, one with ``kind=flow`` or none
a flow edge, any other kind an error; ``label`` is its label. Values may be the
Chinese words of :mod:`flowgraph.io.words` (``kind=审批``, ``rank=科级``, ``oversight=是``).

DOT is parsed by Graphviz's own parser (pygraphviz): it reads no other file and no
network. What the text would make Graphviz build is measured first
(:mod:`flowgraph.io.dot_bounds`: nesting, edges a subgraph implies, attribute names, a
second graph), and whatever Graphviz says while parsing becomes words: an error is the
file's error even when Graphviz returns the part it read (it does when its parser
overflows), a warning is a warning on the flowchart. Written DOT is deterministic and
reads back to the same flowchart.
"""
from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile

from ..errors import LoadError
from ..i18n import Text
from ..model import Flowchart
from .builder import (
    ACTOR_ATTRIBUTES,
    STEP_ATTRIBUTES,
    ChartBuilder,
    Place,
    items_text,
    plain_amount,
)
from .options import DEFAULT_READ_OPTIONS, ReadOptions

ACTOR_PREFIX = "actor:"
#: The attributes of a step's node: its label and the step attributes.
STEP_NODE_ATTRIBUTES = ("label", *STEP_ATTRIBUTES)
#: The attributes of an actor's node: its name and the actor attributes.
ACTOR_NODE_ATTRIBUTES = ("name", *ACTOR_ATTRIBUTES)
#: An edge's kinds (``kind=oversight``, or a word for it: ``kind=监督``).
EDGE_KINDS = ("flow", "oversight")
GRAPH_KEYS = ("title", "unit", "category", "basis", "superior_in_charge")


def _graph(text: str, name: str):
    """The graph Graphviz parses from ``text``, with the warnings it gave (their line,
    their words); an error it gives is a LoadError, whether or not it returned a graph."""
    try:
        import pygraphviz
    except ImportError:  # pragma: no cover - the render extra is missing
        raise LoadError(Text("读取 DOT 文件需要 pygraphviz (pip install 'flowgraph[render]')",
                             "reading DOT needs pygraphviz (pip install 'flowgraph[render]')"),
                        name) from None
    try:
        with _stderr_captured() as said:
            graph = pygraphviz.AGraph(string=text)
    except (pygraphviz.agraph.DotError, ValueError, TypeError) as exc:
        _refuse(said.read() or str(exc), name)
    told = said.read()
    if "Error" in told:
        _refuse(told, name)
    if not graph.is_directed():
        raise LoadError(Text("应为有向图 (digraph)", "expected a directed graph (digraph)"),
                        name, 1)
    return graph, [_said(line) for line in told.splitlines() if line.strip()]


def _said(message: str) -> tuple[int | None, str]:
    """A message of Graphviz's as its line and its words."""
    detail = " ".join(message.replace("Error:", "").replace("Warning:", "").split())
    line = re.search(r"line (\d+)", detail)
    return (int(line.group(1)) if line else None), detail


def _refuse(told: str, name: str):
    """Refuse the file for what Graphviz said, at the line it names."""
    line, detail = _said(told)
    raise LoadError(Text(f"DOT 语法错误: {detail}", f"DOT syntax error: {detail}"), name,
                    line) from None


@contextlib.contextmanager
def _stderr_captured():
    """Graphviz prints its parse errors (with the line) on file descriptor 2 and raises
    a bare "Invalid Input": catch what it prints, to put it in the error."""
    said = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
    saved = os.dup(2)
    try:
        sys.stderr.flush()
        os.dup2(said.fileno(), 2)
        yield said
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        said.seek(0)


def _attributes(attributes) -> dict[str, str]:
    """The attributes set on a graph, node or edge, without Graphviz's defaults, with
    Graphviz's text escapes read as Graphviz shows them (``\\\\`` a backslash, ``\\n``
    a new line)."""
    return {key: _unescape(value) for key, value in attributes.items()
            if value not in ("", None)}


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\nlr])",
                  lambda m: "\\" if m.group(1) == "\\" else "\n", value)


def read(data: bytes, name: str, options: ReadOptions = DEFAULT_READ_OPTIONS
         ) -> list[Flowchart]:
    """The flowchart of a DOT file; ``options`` give the limits of what it may build."""
    from .dot_bounds import check
    from .yaml_format import _decode
    text = _decode(data, name)
    check(data, text, name, options.limits)
    graph, told = _graph(text, name)
    builder = ChartBuilder(name, options.limits)
    for line, detail in told:
        builder.warn(Place(line), f"Graphviz 提示: {detail}", f"Graphviz says: {detail}")
    graph_attributes = _attributes(graph.graph_attr)
    for key in GRAPH_KEYS:
        if key in graph_attributes:
            builder.set_meta(key, graph_attributes[key], Place())
    if graph.name:
        builder.set_meta("id", _unescape(graph.name), Place())
    for node in graph.nodes():
        attributes = _attributes(node.attr)
        place = Place(context=Text(f"节点 “{node}”", f"node '{node}'"))
        node_id = _unescape(str(node))
        if node_id.startswith(ACTOR_PREFIX) or attributes.get("kind") == "actor":
            builder.add_actor(node_id.removeprefix(ACTOR_PREFIX), place,
                              **{key: attributes.get(key) for key in ACTOR_NODE_ATTRIBUTES})
            continue
        values = {key: attributes.get(key) for key in STEP_NODE_ATTRIBUTES}
        if values["label"] == "\\N":
            values["label"] = None
        builder.add_step(node_id, place, **values)
    for edge in graph.edges():
        attributes = _attributes(edge.attr)
        place = Place(context=Text(f"边 {edge[0]} -> {edge[1]}", f"edge {edge[0]} -> {edge[1]}"))
        kind = builder.choice(attributes.get("kind"), EDGE_KINDS, "kind", place)
        if kind is None:
            kind = "oversight" if "dashed" in attributes.get("style", "") else "flow"
        builder.add_edge(kind, _unescape(str(edge[0])), _unescape(str(edge[1])), place,
                         attributes.get("label"))
    return [builder.build(_default_id(name))]


def _default_id(name: str) -> str:
    from pathlib import Path
    return Path(name).stem


#: Characters of one quoted piece: Graphviz's parser refuses a string over 16 KiB, so a
#: longer text is written as pieces joined by DOT's ``+``, which it reads as one.
QUOTED_PIECE = 2000


def _quote(value: str) -> str:
    pieces = [value[start:start + QUOTED_PIECE]
              for start in range(0, len(value), QUOTED_PIECE)] or [""]
    return " + ".join('"' + piece.replace("\\", "\\\\").replace('"', '\\"')
                      .replace("\n", "\\n") + '"' for piece in pieces)


def _attribute_list(pairs: list[tuple[str, str]]) -> str:
    return "[" + ", ".join(f"{key}={_quote(value)}" for key, value in pairs) + "]"


def write(flowchart: Flowchart) -> str:
    """The flowchart as DOT text that :func:`read` turns back into it."""
    lines = [f"digraph {_quote(flowchart.id)} {{"]
    for key in GRAPH_KEYS:
        value = getattr(flowchart, key)
        if value is not None:
            lines.append(f"  {key}={_quote(value)};")
    for actor in flowchart.actors.values():
        lines.append(f"  {_quote(ACTOR_PREFIX + actor.id)} "
                     f"{_attribute_list(_actor_pairs(actor))};")
    for step in flowchart.steps.values():
        lines.append(f"  {_quote(step.id)} {_attribute_list(_step_pairs(step))};")
    for edge in flowchart.flows + flowchart.oversights:
        pairs = [("kind", "oversight"), ("style", "dashed")] if edge.kind == "oversight" else []
        if edge.label is not None:
            pairs.append(("label", edge.label))
        suffix = f" {_attribute_list(pairs)}" if pairs else ""
        lines.append(f"  {_quote(edge.source)} -> {_quote(edge.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _actor_pairs(actor) -> list[tuple[str, str]]:
    """An actor's node attributes: every attribute it has, in the model's order."""
    pairs = [("kind", "actor"), ("name", actor.name)]
    for key in ("rank", "reports_to"):
        if getattr(actor, key):
            pairs.append((key, getattr(actor, key)))
    if actor.collective is not None:
        pairs.append(("collective", str(actor.collective)))
    pairs += [(key, "true") for key in ("oversight", "public") if getattr(actor, key)]
    if actor.outside is not None:
        pairs.append(("outside", str(actor.outside).lower()))
    return pairs


def _step_pairs(step) -> list[tuple[str, str]]:
    """A step's node attributes: every attribute it has, in the model's order."""
    pairs = [("kind", step.kind), ("label", step.label)]
    if step.actor is not None:
        pairs.append(("actor", step.actor))
    if step.discretion != "none":
        pairs.append(("discretion", step.discretion))
    if step.stakes.money is not None:
        pairs.append(("money", plain_amount(step.stakes.money)))
    pairs += [(key, "true") for key in ("people", "rights") if getattr(step.stakes, key)]
    if step.controls:
        pairs.append(("controls", items_text(step.controls)))
    for key in ("duty", "declared_grade", "time_limit", "basis"):
        if getattr(step, key) is not None:
            pairs.append((key, str(getattr(step, key))))
    if step.waive:
        pairs.append(("waive", "; ".join(f"{c}: {r}" for c, r in step.waive.items())))
    return pairs + list(step.notes.items())

"""What a DOT file would make Graphviz build, measured before Graphviz reads it.

Graphviz's parser builds the whole graph before flowgraph sees any of it, and a few
bytes can make it build a great deal: ``{a1 … a3000} -> {b1 … b3000}`` is nine
million edges from 30 KB; a thousand distinct attribute names on a thousand nodes are
a million attribute slots (Graphviz gives every node and edge a slot for every name);
subgraphs nested a few thousand deep exhaust its parser's stack, and it then returns
what it had read so far, silently; a second graph in the file is silently ignored.
:func:`check` measures the text first and refuses, with the line, what passes the
limits of :mod:`flowgraph.io.limits`:

- nesting of subgraphs (``nesting``), and anything after the first graph (a second
  graph, or text: it would be dropped);
- edges, those written and those a subgraph operand implies (``edges``,
  ``implied_edges``);
- distinct attribute names (``attributes``), and names times the nodes and edges
  that may carry them (``attribute_slots``).

A file with one pair of braces, no quoted or HTML attribute name and no comment where
it could hide one (what flowgraph and most tools write) is measured with counts over
its bytes (:func:`_plain`: 0.24 s for the 100,000-step chart, 13 MB); any other by a
tokenizer that follows Graphviz's lexical rules (:func:`_tokens`), ten times slower.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import LoadError
from ..i18n import Text
from .limits import Limits, too_many

#: The bytes of an unquoted DOT identifier or numeral (Graphviz reads every byte from
#: 0x80 as a letter).
_ID_BYTES = (b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_."
             + bytes(range(0x80, 0x100)))
#: Every byte to ``a`` if it belongs to an identifier, else to a space: runs of ``a``
#: are then the unquoted identifiers.
_RUNS = bytes(0x61 if byte in _ID_BYTES else 0x20 for byte in range(256))
#: In the reversed bytes: an attribute's name, reversed, after its ``=``; and a quoted
#: or HTML name, or a comment before an ``=`` (which the plain measure does not read).
_NAME_REVERSED = re.compile(rb"=[ \t\r\n]*([\w.\x80-\xff]+)")
_ODD_NAME_REVERSED = re.compile(rb"=[ \t\r\n]*[\"<>/]")
#: An ``=`` on a line of its own: a line comment may stand between it and its name.
_EQUALS_AFTER_NEWLINE = re.compile(rb"\n[ \t\r]*=")

_TOKENS = re.compile(r"""
    (?P<space>[ \t\r\n\f\v]+|/\*.*?\*/|//[^\n]*|^\#[^\n]*)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<html><)
  | (?P<edge>->|--)
  | (?P<id>[A-Za-z_\x80-\U0010ffff][\w\x80-\U0010ffff]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))
  | (?P<punct>[{}\[\]=;,:+])
  | (?P<other>.)
""", re.S | re.M | re.X)
_ANGLES = re.compile(r"[<>]")
_KEYWORDS = frozenset(("node", "edge", "graph", "digraph", "subgraph", "strict"))


def check(data: bytes, text: str, name: str, limits: Limits) -> None:
    """Refuse a DOT file (``data`` its bytes, ``text`` the same decoded) whose graph
    passes ``limits``, or that holds more than one graph or text after it."""
    if not _plain(data, name, limits):
        _Scan(text, name, limits).run()


def _plain(data: bytes, name: str, limits: Limits) -> bool:
    """Measure a file of one graph without subgraphs from its bytes; False when the
    file is not that simple (the tokenizer measures it then). Sound: every count is at
    least what Graphviz will build."""
    if data.count(b"{") != 1 or data.count(b"}") != 1 or \
            not data.rstrip().endswith(b"}") or b"/*" in data:
        return False
    if (b"//" in data or b"#" in data) and _EQUALS_AFTER_NEWLINE.search(data):
        return False
    reversed_data = data[::-1]
    if _ODD_NAME_REVERSED.search(reversed_data):
        return False
    edges = data.count(b"->") + data.count(b"--")
    _check_edges(edges, 0, name, limits)
    names = set(_NAME_REVERSED.findall(reversed_data))
    runs = data.translate(_RUNS)
    tokens = runs.count(b" a") + runs.startswith(b"a") + data.count(b'"') // 2 \
        + data.count(b"<")
    _check_attributes(len(names), tokens + edges, name, limits, None)
    return True


def _check_edges(edges: int, implied: int, name: str, limits: Limits, line=lambda: None
                 ) -> None:
    """Refuse more edges, or more edges implied by subgraph operands, than the limits
    (``line()`` gives the line to name, computed only then)."""
    if implied > limits.implied_edges:
        raise LoadError(too_many("子图所隐含的连线", "edges implied by subgraphs joined by "
                                 "an edge (one between every pair of their nodes)",
                                 limits.implied_edges, None), name, line())
    if edges > limits.edges:
        raise LoadError(too_many("连线", "edges in the graph", limits.edges), name, line())


def _check_attributes(names: int, objects: int, name: str, limits: Limits,
                      line: int | None) -> None:
    if names > limits.attributes:
        raise LoadError(too_many("属性名", "distinct attribute names", limits.attributes,
                                 None), name, line)
    if names * objects > limits.attribute_slots:
        raise LoadError(Text(
            f"属性名 ({names:,} 个) 与节点和连线 (至多 {objects:,} 个) 之积超过上限 "
            f"{limits.attribute_slots:,}: Graphviz 会为每个节点和连线的每个属性名分配空间",
            f"{names:,} attribute names times up to {objects:,} nodes and edges exceed "
            f"{limits.attribute_slots:,}: Graphviz gives every node and edge a slot for "
            f"every name"), name, line)


@dataclass
class _Frame:
    """One brace level: the graph's body or a subgraph's, the nodes named in it (a
    node named twice counts twice: the count is a bound), and the edge statement under
    way: the size of its last operand, and of the operand before an edge operator."""

    name: str | None = None
    nodes: int = 0
    last: int | None = None
    pending: int | None = None


class _Scan:
    """One pass over the tokens of a DOT file, as Graphviz's lexer cuts them, following
    the statements enough to count what :func:`check` bounds (a DOT statement is a node,
    an edge between nodes or subgraphs, attributes in brackets, ``name = value``, or a
    subgraph in braces)."""

    def __init__(self, text: str, name: str, limits: Limits):
        self.text, self.name, self.limits = text, name, limits
        self.frames: list[_Frame] = []
        self.subgraphs: dict[str, int] = {}  # the nodes of each named subgraph so far
        self.names: set[str] = set()
        self.nodes = self.edges = self.implied = 0
        self.ended = False

    def line(self, position: int) -> int:
        return self.text.count("\n", 0, position) + 1

    def run(self) -> None:
        """Walk the tokens, refusing at the first that passes a limit or follows the
        end of the first graph."""
        held = None  # an identifier that is a node, unless "=" follows
        in_brackets = skip_next = False
        header = None  # after the keyword subgraph: "" until its name, then the name
        for kind, value, position in _tokens(self.text):
            if self.ended:
                self.after_the_graph(kind, value, position)
            if in_brackets:
                in_brackets = value != "]"
                if value == "=" and held is not None:
                    self.names.add(held)
                held = value if kind == "id" else None
                continue
            if value == "=" and held is not None:
                self.names.add(held)
                held, skip_next = None, True
                continue
            if held is not None:
                self.operand(1, False, position)
                held = None
            if kind == "id":
                if skip_next:  # a value, or a port after ":"
                    skip_next = False
                elif value.lower() == "subgraph":
                    header = ""
                elif header == "":
                    header = value
                elif value.lower() not in _KEYWORDS:
                    held, header = value, None
                continue
            skip_next = value == ":"
            in_brackets = value == "["
            self.punctuation(kind, value, position, header or None)
            header = None
        self.finish()

    def punctuation(self, kind: str, value: str, position: int, subgraph: str | None):
        """An edge operator, a brace, or the end of a statement or operand."""
        frame = self.frames[-1] if self.frames else None
        if value == "{":
            self.open(subgraph, position)
        elif value == "}":
            self.close(position)
        elif kind == "edge" and frame is not None:
            frame.pending = frame.last if frame.last is not None else 1
        elif value in (";", ",", "[") and frame is not None:
            frame.last = frame.pending = None

    def open(self, subgraph: str | None, position: int) -> None:
        """A brace opening the graph's body or a subgraph's (``subgraph`` its name)."""
        if len(self.frames) >= self.limits.nesting:
            raise LoadError(too_many("子图嵌套层数", "levels of nested subgraphs",
                                     self.limits.nesting, None), self.name,
                            self.line(position))
        self.frames.append(_Frame(subgraph))

    def close(self, position: int) -> None:
        """A closing brace: the graph ends, or its subgraph is an operand of the
        statement around it."""
        if not self.frames:
            return  # Graphviz reports the syntax error
        frame = self.frames.pop()
        if not self.frames:
            self.ended = True
            return
        size = frame.nodes
        if frame.name is not None:  # a subgraph named again still holds its nodes
            size += self.subgraphs.get(frame.name, 0)
            self.subgraphs[frame.name] = size
        self.frames[-1].nodes += frame.nodes
        self.operand(size, True, position)

    def operand(self, size: int, subgraph: bool, position: int) -> None:
        """An operand of a statement, a node or a subgraph of ``size`` nodes; after an
        edge operator, the edges between it and the operand before (every pair)."""
        if not self.frames:
            return  # the graph's own name
        frame = self.frames[-1]
        if not subgraph:
            frame.nodes += 1
            self.nodes += 1
        if frame.pending is not None:
            made = frame.pending * size
            self.edges += made
            self.implied += max(made - 1, 0)
            frame.pending = None
            _check_edges(self.edges, self.implied, self.name, self.limits,
                         lambda: self.line(position))
        frame.last = size

    def after_the_graph(self, kind: str, value: str, position: int):
        """Refuse what follows the first graph: Graphviz would drop it silently."""
        if kind == "id" and value.lower() in ("graph", "digraph", "strict"):
            raise LoadError(Text("文件中有第二个图: 一个 DOT 文件只能有一个流程图, 请分开保存",
                                 "a second graph: a DOT file holds one flowchart; write "
                                 "each graph in a file of its own"),
                            self.name, self.line(position))
        raise LoadError(Text("图结束后还有内容 (Graphviz 会忽略它)",
                             "text after the end of the graph (Graphviz would ignore "
                             "it)"), self.name, self.line(position))

    def finish(self) -> None:
        """The attribute names, once every statement is counted."""
        _check_attributes(len(self.names), self.nodes + self.edges, self.name,
                          self.limits, None)


def _tokens(text: str):
    """``(kind, value, position)`` of every token but spaces and comments, cut as
    Graphviz's lexer cuts them: kind ``id`` (an identifier, a numeral, a quoted string
    (strings joined with ``+`` are one), an HTML string), ``edge``, ``punct`` or
    ``other``."""
    position, joined = 0, False
    while position < len(text):
        match = _TOKENS.match(text, position)
        kind, start, position = match.lastgroup, match.start(), match.end()
        if kind == "space":
            continue
        if kind == "punct" and match.group() == "+":
            joined = True
            continue
        if kind == "html":
            position = _html_end(text, start)
        if kind in ("string", "html", "id"):
            if not joined:
                yield "id", text[start:position], start
            joined = False
            continue
        yield kind, match.group(), start


def _html_end(text: str, start: int) -> int:
    """Where the HTML string that opens at ``start`` ends: after the ``>`` that closes
    its ``<``, counting the ``<`` and ``>`` between as Graphviz does (the end of the
    text if none does: Graphviz then reports the error)."""
    depth = 0
    for match in _ANGLES.finditer(text, start):
        depth += 1 if match.group() == "<" else -1
        if depth == 0:
            return match.end()
    return len(text)

"""draw.io / diagrams.net (design.md §5): one flowchart per diagram page.

What is read:

- the file: ``<mxfile>`` with one ``<diagram>`` per page, each holding an
  ``<mxGraphModel>`` (plain) or compressed text (base64 of raw deflate of the
  URL-encoded model, as draw.io writes with "Compressed"); or a bare ``<mxGraphModel>``.
  Inflating is bounded (:data:`MAX_INFLATED`, :data:`MAX_RATIO`): a page that would
  inflate beyond it is refused, as are bad base64 and bad deflate, naming the page; so
  are the XML elements of the file, every page inflated, and its pages (the limits of
  :mod:`flowgraph.io.limits`: a page of millions of empty elements inflates within the
  ratio);
- swimlanes (style ``swimlane``, ``shape=pool``, ``shape=lane``) are actors: the actor id
  is the data attribute ``actor`` or the cell id, the name is the label. A lane whose
  name names a supervising body (纪检, 监察室, 审计局, …; ``supervisory_names``) is an
  oversight body, unless its data say ``oversight=false``; a pool (a swimlane holding
  other swimlanes) is an actor only when steps sit in it directly;
- every other vertex is a step, except text cells, edge labels, notes, groups and
  containers (vertices holding other vertices), and empty shapes nothing connects to
  (skipped with a warning). Its id is the cell id, its label the label text (HTML labels
  reduced to text), its actor the data attribute ``actor`` or its innermost swimlane;
- a step's kind is its data attribute ``kind``, else by shape: an ellipse or terminator
  with no incoming flow is a ``start``, one with no outgoing flow an ``end`` (one with
  both is read like a rectangle); a rhombus is a ``gateway``, unless its label names a
  decision or a review (局长审批, 审核) or its data give it discretion: then it is that
  decision point; any other shape is an
  ``oversight`` step in a supervisory lane, and otherwise a kind by the words of its
  label, as for BPMN (:func:`flowgraph.io.kind_by_words`: 审批 … ``decision``, 审核 …
  ``review``, 公示 … ``disclosure``, 监督 … ``oversight``; not when the word names a
  document, as in 送达处罚决定书), ``task`` when none matches;
- edges: a dashed edge or one with data ``kind=oversight`` is an oversight edge, any
  other a flow edge; a dashed edge whose label sends the matter back (退回, 驳回, 补正,
  不予 …: :data:`RETURN_WORDS`) from outside a supervisory lane is a flow drawn dashed;
  its label is its text or the text of its label cells. An edge not connected at both
  ends to steps (dangling, or ending on a swimlane, a text or a group) is skipped with
  a warning;
- custom data ("Edit Data", ``<object>``/``<UserObject>`` cells) carry the model: on
  steps the step attributes (``kind``, ``actor``, ``discretion``, ``money`` …:
  :data:`~flowgraph.io.builder.STEP_ATTRIBUTES`), on swimlanes :data:`LANE_DATA_KEYS`, on
  the diagram's root or layer cells (Edit Data with nothing selected)
  :data:`LAYER_DATA_KEYS` (``flowchart`` is the
  flowchart's id: ``id`` is the cell's own). Values are checked by the shared builder;
  a blank value counts as not given; an unknown key is a warning.

Without data, a page's title is its name and its id the file's stem (followed by
``-N``, the page number, when the file has several pages). A page without a step is
skipped with a warning, and so is a page that cannot be read (a bad value, a broken
compressed page): a page's problem costs no other page. Parallel edges between two
steps become one and an edge from a step to itself is left out, with a warning
(:attr:`~flowgraph.io.builder.ChartBuilder.drawn`).

:func:`write` gives a plain draw.io file of one page that reads back to the same
flowchart: a swimlane per actor, every attribute as custom data. An audit's marks
(:class:`~flowgraph.io.writers.Mark`) fill the steps (``fillColor``, outlined and
lettered black: the fills are chosen for black text) and put each note in its step's
tooltip, both of which reading ignores.
"""
from __future__ import annotations

import base64
import difflib
import html
import re
import urllib.parse
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LoadError, LoadWarning
from ..i18n import Text
from ..model import Flowchart
from . import Charts, is_supervisory_name, kind_by_words, xml_safe
from .builder import (
    ACTOR_ATTRIBUTES,
    STEP_ATTRIBUTES,
    ChartBuilder,
    Place,
    items_text,
    plain_amount,
)
from .limits import Limits, too_many
from .options import DEFAULT_READ_OPTIONS, ReadOptions
from .swimlanes import Pool, coordinate, lay_out

if TYPE_CHECKING:
    from .writers import Mark

#: Data keys of a swimlane: the actor's id and attributes (its name is the label).
LANE_DATA_KEYS = ("actor", *ACTOR_ATTRIBUTES)
#: Data keys of an edge.
EDGE_DATA_KEYS = ("kind",)
#: Data keys of the root and layer cells, and the flowchart attribute each sets.
LAYER_DATA_KEYS = {"flowchart": "id", "title": "title", "unit": "unit", "category": "category",
             "basis": "basis", "superior_in_charge": "superior_in_charge"}
#: Attributes draw.io itself writes on ``<object>`` cells: not flowgraph data.
DRAWIO_KEYS = frozenset({"id", "label", "placeholders", "tooltip", "link", "linkTarget",
                         "tags"})
TERMINAL_SHAPES = ("ellipse", "doubleEllipse", "mxgraph.flowchart.start_1",
                   "mxgraph.flowchart.start_2", "mxgraph.flowchart.terminator")
GATEWAY_SHAPES = ("rhombus", "mxgraph.flowchart.decision")
SWIMLANE_SHAPES = ("swimlane", "pool", "lane")
NOT_STEP_SHAPES = ("text", "edgeLabel", "group", "note")
#: The elements of a graph model's root that are cells, in any namespace or none.
CELL_TAGS = ("{*}mxCell", "{*}object", "{*}UserObject")
#: Bounds on inflating a compressed page: at most this many bytes, and at most this
#: many times the compressed size (deflate itself cannot exceed about 1,032).
MAX_INFLATED = 64 * 1024 * 1024
MAX_RATIO = 1000
WHAT = Text("draw.io 文件 (<mxfile> 或 <mxGraphModel>)",
            "a draw.io file (<mxfile> or <mxGraphModel>)")
_HTML_BREAK = re.compile(r"(?i)<\s*br\s*/?\s*>|<\s*/?\s*(?:div|p|li|tr|h[1-6])\b[^>]*>")
_HTML_TAG = re.compile(r"<[^>]*>")
#: Words of a dashed edge's label that send the matter back: a flow, not oversight.
RETURN_WORDS = re.compile(r"退回|退件|返回|驳回|补正|补齐|重新|不予|不同意|不通过|不符合|"
                          r"return|reject|resubmit", re.I)


@dataclass
class Page:
    """One diagram page: its name, number, graph model element, and whether it was
    written plain (so that its elements' lines are lines of the file)."""

    name: str
    number: int
    model: object | None
    plain: bool


@dataclass
class Cell:
    """One ``mxCell``, with the label and custom data of its ``<object>`` wrapper."""

    id: str
    parent: str | None
    style: dict[str, str | None]
    label: str
    data: dict[str, str]
    vertex: bool
    edge: bool
    source: str | None
    target: str | None
    line: int | None
    children: list[Cell] = field(default_factory=list)


# -- the file -----------------------------------------------------------------------------


def read(data: bytes, name: str, options: ReadOptions = DEFAULT_READ_OPTIONS) -> Charts:
    """Every flowchart of a draw.io file: one per page that holds a step; ``options``
    give the names of supervisory swimlanes.

    A page is read on its own: one that has no step, or that cannot be read (a cell
    without an id, a bad value, a broken compressed page), is skipped with a warning
    and costs no other page. The file is refused only when no page could be read for
    an error (the first error is given) or when no page holds anything; a file whose
    pages hold shapes but no step (a floor plan, a legend) gives no flowchart and the
    warnings (:class:`~flowgraph.io.Charts`)."""
    elements = _Elements(options.limits)
    elements.add(data, name)
    root = xml_safe.parse(data, name, WHAT)
    diagrams = _diagrams(root, name, elements)
    stem = Path(name).stem
    charts, skipped, errors, drawn = [], [], [], False
    for number, diagram in enumerate(diagrams, 1):
        title = _title(diagram, number, name)
        try:
            page = _page(diagram, number, name, elements) if diagram is not root \
                else Page(title, 1, root, True)
            reader = PageReader(page, name, options)
            drawn = drawn or len(reader.cells) > 2  # more than the root and its layer
            if not reader.builder.steps:
                skipped.append(Text(f"页面 “{title}” 没有步骤，已跳过",
                                    f"page '{title}' has no step: skipped"))
                continue
            charts.append(reader.builder.build(stem if len(diagrams) == 1
                                               else f"{stem}-{number}"))
        except _WholeFile:
            raise
        except LoadError as error:
            errors.append(error)
            said = error.message
            if not said.en.startswith(f"page '{title}'"):
                said = Text(f"页面 “{title}”: {said.zh}", f"page '{title}': {said.en}")
            skipped.append(Text(f"{said.zh}；该页已跳过", f"{said.en}; the page was skipped"))
    if errors and not charts:
        raise errors[0]
    if not charts and not drawn:
        raise _page_error(_title(diagrams[0], 1, name), name, None,
                          "没有步骤: 至少要有一个非泳道、非文本的图形",
                          "no step: it needs at least one shape that is neither a swimlane "
                          "nor a text")
    warnings = [LoadWarning(text, name) for text in skipped]
    if charts and warnings:
        charts[0] = charts[0].replace(warnings=(*warnings, *charts[0].warnings))
        warnings = []
    return Charts(charts, warnings)


class _Elements:
    """The XML elements of one file counted so far, every page inflated, refused past
    the limit (:func:`~flowgraph.io.xml_safe.count_elements`)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.total = 0

    def add(self, data: bytes, name: str) -> None:
        try:
            self.total = xml_safe.count_elements(data, name, self.limits, self.total)
        except LoadError as error:
            raise _WholeFile(error.message, error.path, error.line) from None


class _WholeFile(LoadError):
    """A bound of the whole file passed: it refuses the file, not only the page."""


def _diagrams(root, name: str, elements: _Elements) -> list:
    """The ``<diagram>`` elements of the file (the root itself for a bare graph
    model); more pages than the flowcharts a file may hold are refused."""
    tag = xml_safe.local(root.tag)
    if tag == "mxGraphModel":
        return [root]
    if tag != "mxfile":
        raise LoadError(Text(f"根元素是 <{tag}>; 应为{WHAT.zh}",
                             f"the root element is <{tag}>; expected {WHAT.en}"),
                        name, root.sourceline)
    diagrams = [child for child in root if xml_safe.local(child.tag) == "diagram"]
    if not diagrams:
        raise LoadError(Text("文件中没有页面 (<diagram>)", "the file has no page (<diagram>)"),
                        name, root.sourceline)
    limit = elements.limits.charts
    if len(diagrams) > limit:
        raise LoadError(too_many("页面", "pages", limit, None), name, diagrams[limit].sourceline)
    return diagrams


def _title(diagram, number: int, name: str) -> str:
    """A page's name: the diagram's, ``Page-N`` without one, the file's stem for a
    bare graph model."""
    if xml_safe.local(diagram.tag) == "mxGraphModel":
        return Path(name).stem
    return diagram.get("name") or f"Page-{number}"


def _page(diagram, number: int, name: str, elements: _Elements) -> Page:
    """One ``<diagram>``: its model element, or its compressed text inflated."""
    title = _title(diagram, number, name)
    model = next((child for child in diagram
                  if xml_safe.local(child.tag) == "mxGraphModel"), None)
    if model is not None:
        return Page(title, number, model, True)
    text = (diagram.text or "").strip()
    if not text:
        return Page(title, number, None, True)
    return Page(title, number, _inflated_model(text, title, name, diagram.sourceline, elements),
                False)


def _page_error(page: str, name: str, line: int | None, zh: str, en: str) -> LoadError:
    return LoadError(Text(f"页面 “{page}”: {zh}", f"page '{page}': {en}"), name, line)


def _inflated_model(text: str, page: str, name: str, line: int | None, elements: _Elements):
    """The ``<mxGraphModel>`` of a compressed page: base64, raw deflate, URL-encoding;
    its elements counted with the file's before it is parsed."""
    try:
        packed = base64.b64decode("".join(text.split()), validate=True)
    except ValueError:
        raise _page_error(page, name, line, "压缩内容不是有效的 base64",
                          "the compressed content is not valid base64") from None
    encoded = _inflate(packed, page, name, line)
    try:
        xml = urllib.parse.unquote(encoded.decode("utf-8"), errors="strict")
    except UnicodeDecodeError:
        raise _page_error(page, name, line, "解压后的内容不是 UTF-8 文本",
                          "the inflated content is not UTF-8 text") from None
    try:
        document = xml.encode("utf-8")
        elements.add(document, name)
        model = xml_safe.parse(document, name, WHAT)
    except LoadError as exc:
        where = (f"第 {exc.line} 行", f", line {exc.line}") if exc.line else ("", "")
        error = _page_error(page, name, line, f"解压后的内容{where[0]}: {exc.message.zh}",
                            f"the inflated content{where[1]}: {exc.message.en}")
        if isinstance(exc, _WholeFile):
            error = _WholeFile(error.message, error.path, error.line)
        raise error from None
    if xml_safe.local(model.tag) != "mxGraphModel":
        raise _page_error(page, name, line, f"解压后的根元素是 <{model.tag}>, 应为 <mxGraphModel>",
                          f"the inflated root element is <{model.tag}>, expected "
                          f"<mxGraphModel>")
    return model


def _inflate(packed: bytes, page: str, name: str, line: int | None) -> bytes:
    """Raw deflate data inflated, refusing more than :data:`MAX_INFLATED` bytes or
    :data:`MAX_RATIO` times the input (a decompression bomb) before producing it."""
    limit = min(MAX_INFLATED, MAX_RATIO * len(packed))
    inflater = zlib.decompressobj(-15)
    try:
        inflated = inflater.decompress(packed, limit + 1)
    except zlib.error as exc:
        raise _page_error(page, name, line, f"压缩内容无法解压 ({exc})",
                          f"the compressed content cannot be inflated ({exc})") from None
    if len(inflated) > limit:
        raise _page_error(page, name, line, f"解压后超过 {limit:,} 字节, 不予读取",
                          f"it inflates beyond {limit:,} bytes: refused")
    if not inflater.eof:
        raise _page_error(page, name, line, "压缩内容不完整", "the compressed content is cut short")
    return inflated


# -- cells ------------------------------------------------------------------------------


def parse_style(text: str | None) -> dict[str, str | None]:
    """A style string ``rounded=1;ellipse;html=1`` as a dict; a bare name maps to None."""
    style: dict[str, str | None] = {}
    for part in (text or "").split(";"):
        key, equals, value = part.partition("=")
        if key.strip():
            style[key.strip()] = value.strip() if equals else None
    return style


def is_shape(style: dict[str, str | None], names: tuple[str, ...]) -> bool:
    """Whether the style draws one of ``names``: as ``shape=NAME`` or a bare ``NAME``."""
    return style.get("shape") in names or any(
        name in style and style[name] is None for name in names)


def label_text(value: str | None, is_html: bool) -> str:
    """A label as plain text: HTML labels lose their markup (``<br>`` and block
    elements become line breaks, entities are decoded, white space collapsed)."""
    if not value:
        return ""
    if not is_html:
        return value.strip()
    text = html.unescape(_HTML_TAG.sub("", _HTML_BREAK.sub("\n", value)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _cells(model, plain: bool) -> list[Cell]:
    """The cells of a graph model in document order; ``<object>`` wrappers give the
    id, the label and the custom data."""
    root = next((child for child in model if xml_safe.local(child.tag) == "root"), None)
    cells = []
    # only the elements that can be cells, picked out by lxml (other elements cost
    # nothing here, however many a file holds)
    for element in () if root is None else root.iterchildren(*CELL_TAGS):
        if xml_safe.local(element.tag) == "mxCell":
            cell, label, data = element, element.get("value"), {}
        else:  # <object> or <UserObject>
            cell = next((child for child in element if xml_safe.local(child.tag) == "mxCell"),
                        None)
            label = element.get("label")
            data = {key: value for key, value in element.attrib.items()
                    if key not in DRAWIO_KEYS and value.strip()}
        if cell is None:  # an <object> drawing nothing
            continue
        style = parse_style(cell.get("style"))
        cells.append(Cell(element.get("id"), cell.get("parent"), style,
                          label_text(label, style.get("html") == "1"), data,
                          cell.get("vertex") == "1", cell.get("edge") == "1",
                          cell.get("source"), cell.get("target"),
                          element.sourceline if plain else None))
    return cells


# -- one page ----------------------------------------------------------------------------


class PageReader:
    """Reads one page into a :class:`ChartBuilder`: meta, actors, steps, edges."""

    def __init__(self, page: Page, source: str, options: ReadOptions):
        self.page = page
        self.options = options
        self.builder = ChartBuilder(source, options.limits)
        self.builder.drawn = True
        self.cells: dict[str, Cell] = {}
        for cell in _cells(page.model, page.plain) if page.model is not None else ():
            self._add_cell(cell)
        if not self.cells:
            return
        for cell in self.cells.values():
            if cell.parent in self.cells:
                self.cells[cell.parent].children.append(cell)
        self.connected = {end for cell in self.cells.values() if cell.edge
                          for end in (cell.source, cell.target)}
        self._read_meta()
        steps = [cell for cell in self.cells.values() if self._is_step(cell)]
        self.step_ids = {cell.id for cell in steps}
        edges = self._edges()
        flows = [(s, t) for kind, s, t, _, _ in edges if kind == "flow"]
        self.flow_sources = {s for s, _ in flows}
        self.flow_targets = {t for _, t in flows}
        used = set()
        for cell in steps:
            used.add(self._add_step(cell))
        self._add_actors(used)
        for kind, source, target, place, label in edges:
            self.builder.add_edge(kind, source, target, place, label)
        self.builder.warnings.sort(key=lambda warning: warning.line or 0)

    # -- cells ---------------------------------------------------------------------------

    def place(self, cell: Cell) -> Place:
        """Where a cell is: its line in a plain page, and the page and cell."""
        page = self.page.name
        return Place(cell.line, context=Text(f"页面 “{page}” 单元 “{cell.id}”",
                                             f"page '{page}' cell '{cell.id}'"))

    def _add_cell(self, cell: Cell) -> None:
        """Index a cell by its id; edges and parents refer to cells by id."""
        if not cell.id:
            self.builder.fail(Place(cell.line, context=Text(f"页面 “{self.page.name}”",
                                                            f"page '{self.page.name}'")),
                              "单元缺少 id", "a cell has no id")
        if cell.id in self.cells:
            self.builder.fail(self.place(cell), "单元 id 重复", "duplicate cell id")
        self.cells[cell.id] = cell

    def _data(self, cell: Cell, keys) -> dict[str, str]:
        """The cell's custom data for ``keys``; other keys are warned about, since a
        misspelt key would otherwise silently drop what it says."""
        for key in cell.data:
            if key not in keys:
                hint = difflib.get_close_matches(key, list(keys), 1)
                more = (f" (是否应为 “{hint[0]}”?)", f" (did you mean '{hint[0]}'?)") \
                    if hint else ("", "")
                self.builder.warn(self.place(cell), f"未知的数据项 “{key}”, 已忽略{more[0]}",
                                  f"unknown data key '{key}' ignored{more[1]}")
        return {key: value for key, value in cell.data.items() if key in keys}

    def _is_layer(self, cell: Cell) -> bool:
        """The root cell (no parent) or a layer (a child of the root)."""
        return cell.parent is None or (cell.parent in self.cells
                                       and self.cells[cell.parent].parent is None)

    def _is_lane(self, cell: Cell) -> bool:
        return cell.vertex and is_shape(cell.style, SWIMLANE_SHAPES)

    def _is_step(self, cell: Cell) -> bool:
        """A vertex that is neither a swimlane, a container, an edge's label nor (unless
        its data give a kind) a text, group or note; empty unconnected shapes are
        skipped with a warning."""
        if not cell.vertex or self._is_layer(cell) or self._is_lane(cell):
            return False
        parent = self.cells.get(cell.parent)
        if parent is not None and parent.edge:
            return False
        if any(child.vertex for child in cell.children):
            return False
        if "kind" in cell.data:
            return True
        if is_shape(cell.style, NOT_STEP_SHAPES):
            return False
        if not cell.label and not cell.data and cell.id not in self.connected:
            self.builder.warn(self.place(cell), "空白且无连线的图形, 已跳过",
                              "an empty shape that nothing connects to: skipped")
            return False
        return True

    def _lane_of(self, cell: Cell) -> Cell | None:
        """The innermost swimlane holding a cell, up its chain of parents."""
        seen = {cell.id}
        parent = self.cells.get(cell.parent)
        while parent is not None and parent.id not in seen:
            if self._is_lane(parent):
                return parent
            seen.add(parent.id)
            parent = self.cells.get(parent.parent)
        return None

    # -- parts ---------------------------------------------------------------------------

    def _read_meta(self) -> None:
        """The flowchart's attributes: data on the root and layer cells, else the title
        is the page's name."""
        for cell in self.cells.values():
            if self._is_layer(cell):
                for key, value in self._data(cell, LAYER_DATA_KEYS).items():
                    self.builder.set_meta(LAYER_DATA_KEYS[key], value, self.place(cell))
        if "title" not in self.builder.meta:
            self.builder.set_meta("title", self.page.name, Place())

    def _lane_actor(self, lane: Cell) -> str:
        return lane.data.get("actor") or lane.id

    def _is_supervisory(self, lane: Cell) -> bool:
        """An oversight body: its data say so, or else its name holds a supervisory word."""
        said = lane.data.get("oversight")
        if said is not None:
            return bool(self.builder.boolean(said, "oversight", self.place(lane)))
        return is_supervisory_name(lane.label, self.options.supervisory_names)

    def _add_actors(self, used: set[str]) -> None:
        """Every swimlane as an actor, except pools that no step sits in directly."""
        for lane in self.cells.values():
            if not self._is_lane(lane):
                continue
            actor = self._lane_actor(lane)
            pool = any(self._is_lane(child) for child in lane.children)
            if pool and actor not in used:
                continue
            data = self._data(lane, LANE_DATA_KEYS)
            data.pop("actor", None)
            data["oversight"] = self._is_supervisory(lane)
            self.builder.add_actor(actor, self.place(lane), name=lane.label or None, **data)

    def _add_step(self, cell: Cell) -> str | None:
        """The step of a vertex; returns its actor."""
        data = self._data(cell, STEP_ATTRIBUTES)
        lane = self._lane_of(cell)
        if "actor" not in data and lane is not None:
            data["actor"] = self._lane_actor(lane)
        if "kind" not in data:
            data["kind"] = self._kind(cell, lane, data)
        self.builder.add_step(cell.id, self.place(cell), label=cell.label or None, **data)
        return data.get("actor")

    def _kind(self, cell: Cell, lane: Cell | None, data: dict[str, str]) -> str:
        """A step's kind by its shape, its lane and the words of its label. A diamond
        is a decision point, not a mere routing, when its label says so (局长审批 →
        ``decision``, 审核 → ``review``) or when its data give it discretion."""
        if is_shape(cell.style, TERMINAL_SHAPES):
            if cell.id not in self.flow_targets:
                return "start"
            if cell.id not in self.flow_sources:
                return "end"
        elif is_shape(cell.style, GATEWAY_SHAPES):
            said = kind_by_words(cell.label)
            if said in ("decision", "review"):
                return said
            return "decision" if (data.get("discretion") or "").strip() else "gateway"
        if lane is not None and self._is_supervisory(lane):
            return "oversight"
        return kind_by_words(cell.label)

    def _edges(self) -> list[tuple[str, str, str, Place, str | None]]:
        """The edges between steps, as (kind, source, target, place, label); others are
        skipped with a warning."""
        edges = []
        for cell in self.cells.values():
            if not cell.edge:
                continue
            place = self.place(cell)
            data = self._data(cell, EDGE_DATA_KEYS)
            kind = self.builder.choice(data.get("kind"), ("flow", "oversight"), "kind", place)
            if kind is None:
                kind = "oversight" if cell.style.get("dashed") == "1" \
                    and not self._is_return(cell, place) else "flow"
            if self._ends_on_steps(cell, place):
                labels = [child.label for child in cell.children if child.label]
                edges.append((kind, cell.source, cell.target, place,
                              cell.label or "\n".join(labels) or None))
        return edges

    def _is_return(self, cell: Cell, place: Place) -> bool:
        """A dashed edge that sends the matter back (退回, 驳回, 补正 …, from a step
        outside a supervisory lane) is a flow drawn dashed, not oversight; noted."""
        label = cell.label or " ".join(c.label for c in cell.children if c.label)
        if not RETURN_WORDS.search(label):
            return False
        source = self.cells.get(cell.source or "")
        lane = self._lane_of(source) if source is not None else None
        if lane is not None and self._is_supervisory(lane):
            return False
        self.builder.note(place, f"虚线 “{label}” 读作退回的流程，不是监督",
                          f"the dashed edge '{label}' is read as a return in the flow, "
                          f"not oversight")
        return True

    def _ends_on_steps(self, cell: Cell, place: Place) -> bool:
        """Whether both ends of an edge are steps; warns when not."""
        for end, (zh, en) in ((cell.source, ("起点", "source")),
                              (cell.target, ("终点", "target"))):
            other = self.cells.get(end) if end else None
            if other is None:
                self.builder.warn(place, f"连线的{zh}未连接到任何图形, 已跳过",
                                  f"the edge's {en} is not connected to a shape: skipped")
                return False
            if end not in self.step_ids:
                what = ("泳道", "a swimlane") if self._is_lane(other) else ("非步骤图形",
                                                                           "a shape that is "
                                                                           "not a step")
                self.builder.warn(place, f"连线的{zh} “{end}” 是{what[0]}, 已跳过",
                                  f"the edge's {en} '{end}' is {what[1]}: skipped")
                return False
        return True


# -- writing ----------------------------------------------------------------------------

#: Small shapes carry their label underneath, as in BPMN.
UNDER = "verticalLabelPosition=bottom;verticalAlign=top;"
#: The shape a step of each kind is drawn with.
KIND_STYLES = {"start": "ellipse;" + UNDER, "end": "ellipse;" + UNDER,
               "gateway": "rhombus;" + UNDER}
STEP_STYLE = "rounded=1;"


def write(flowchart: Flowchart, marks: Mapping[str, Mark] | None = None) -> str:
    """The flowchart as a plain (uncompressed) draw.io file that :func:`read` turns back
    into it: a swimlane per actor holding its steps, laid out as the BPMN writer lays
    them out (:mod:`.swimlanes`), every model attribute as custom data on ``<object>``
    cells. Steps without an actor stand on the page, drawn beside their neighbours: in
    a swimlane they would take its actor. ``marks``: an audit's fill and note by step."""
    marks = marks or {}
    from lxml import etree
    ids = _FreshIds(flowchart.steps)
    diagram_file = etree.Element("mxfile", host="flowgraph")
    diagram = etree.SubElement(diagram_file, "diagram", id=flowchart.id, name=flowchart.title)
    model = etree.SubElement(diagram, "mxGraphModel", grid="1", page="0")
    root = etree.SubElement(model, "root")
    root_id, layer = ids.fresh("0"), ids.fresh("1")
    meta = {"flowchart": flowchart.id, **{key: getattr(flowchart, key) for key in
                                          ("title", "unit", "category", "basis",
                                           "superior_in_charge")}}
    _cell(root, root_id, "", meta, {})
    _cell(root, layer, None, {}, {"parent": root_id})
    pool = Pool("page", list(flowchart.actors),
                [(s.id, s.kind, s.actor) for s in flowchart.steps.values()])
    layout = lay_out([pool], [(e.source, e.target) for e in flowchart.flows],
                     [(e.source, e.target) for e in flowchart.oversights])
    lanes = {}
    for actor in flowchart.actors.values():
        lanes[actor.id] = ids.fresh(f"lane-{actor.id}")
        _cell(root, lanes[actor.id], actor.name, _actor_data(actor),
              {"style": "swimlane;horizontal=0;startSize=30;", "vertex": "1",
               "parent": layer}, layout.lanes[(pool.id, actor.id)])
    for step in flowchart.steps.values():
        box = layout.steps[step.id]
        parent = lanes.get(step.actor, layer)
        if parent != layer:  # a child's place is relative to its swimlane
            lane = layout.lanes[(pool.id, step.actor)]
            box = box._replace(x=box.x - lane.x, y=box.y - lane.y)
        style = KIND_STYLES.get(step.kind, STEP_STYLE) + "whiteSpace=wrap;"
        data = _step_data(step, in_lane=parent != layer)
        if step.id in marks:
            style += f"fillColor={marks[step.id].fill};strokeColor=#000000;fontColor=#000000;"
            data["tooltip"] = "\n".join(filter(None, (marks[step.id].note,
                                                      marks[step.id].detail))) or None
        _cell(root, step.id, step.label, data, {"style": style, "vertex": "1",
                                                "parent": parent}, box)
    for number, edge in enumerate(flowchart.flows + flowchart.oversights, 1):
        style = "edgeStyle=orthogonalEdgeStyle;" + ("dashed=1;" if edge.kind == "oversight"
                                                    else "")
        _cell(root, ids.fresh(f"edge-{number}"), edge.label, {},
              {"style": style, "edge": "1", "parent": layer, "source": edge.source,
               "target": edge.target}, relative=True)
    return etree.tostring(diagram_file, encoding="unicode", pretty_print=True)


class _FreshIds:
    """Cell ids that differ from every step id (a step's cell id is its step id)."""

    def __init__(self, taken):
        self.taken = set(taken)

    def fresh(self, wanted: str) -> str:
        """``wanted``, or ``wanted-2``, ``wanted-3`` … when it is taken."""
        candidate, number = wanted, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{wanted}-{number}"
        self.taken.add(candidate)
        return candidate


def _cell(root, cell_id: str, label: str | None, data: dict[str, str | None],
          attributes: dict[str, str], geometry: tuple[float, float, float, float] | None = None,
          relative: bool = False) -> None:
    """An ``mxCell``, wrapped in an ``<object>`` when it has a label or data."""
    from lxml import etree
    data = {key: value for key, value in data.items() if value is not None}
    if data or label:
        holder = etree.SubElement(root, "object", label=label or "", **data, id=cell_id)
        cell = etree.SubElement(holder, "mxCell", **attributes)
    else:
        cell = etree.SubElement(root, "mxCell", id=cell_id, **attributes)
    if geometry is not None:
        x, y, width, height = map(coordinate, geometry)
        etree.SubElement(cell, "mxGeometry", x=x, y=y, width=width, height=height,
                         attrib={"as": "geometry"})
    elif relative:
        etree.SubElement(cell, "mxGeometry", relative="1", attrib={"as": "geometry"})


def _actor_data(actor) -> dict[str, str | None]:
    """A swimlane's custom data: the actor's id and attributes; ``oversight`` always,
    so that the lane's name cannot make it (or unmake it) an oversight body."""
    return {"actor": actor.id, "rank": actor.rank, "reports_to": actor.reports_to,
            "collective": None if actor.collective is None else str(actor.collective),
            "oversight": "true" if actor.oversight else "false",
            "public": "true" if actor.public else None,
            "outside": None if actor.outside is None else str(actor.outside).lower()}


def _step_data(step, in_lane: bool) -> dict[str, str | None]:
    """A step's custom data: its kind always (its shape would be read by guesswork),
    its actor when no swimlane says it, and every attribute it has."""
    stakes = step.stakes
    return {
        "kind": step.kind, "actor": None if in_lane else step.actor,
        "discretion": None if step.discretion == "none" else step.discretion,
        "money": None if stakes.money is None else plain_amount(stakes.money),
        "people": "true" if stakes.people else None,
        "rights": "true" if stakes.rights else None,
        "controls": items_text(step.controls) if step.controls else None,
        "duty": step.duty,
        "declared_grade": None if step.declared_grade is None else str(step.declared_grade),
        "time_limit": step.time_limit, "basis": step.basis,
        "waive": "; ".join(f"{code}: {reason}" for code, reason in step.waive.items())
        or None,
        **step.notes,
    }

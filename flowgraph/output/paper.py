"""Diagrams made for paper: every chart on A4 (or A3) pages, its text at 8 pt or more.

The committee reads paper (design.md §8). A chart is never shrunk below legibility:
the smallest text a diagram draws (:data:`~flowgraph.output.labels.SMALLEST`, 9 pt)
may print down to :data:`MIN_TEXT` (8 pt), no smaller. A chart that does not fit one
page at that scale is printed as tiles of its one drawing (:mod:`.tiles`): cut in the
gaps between its shapes, so that every box stands whole on one tile, in bands along
the flow (set side by side on a page when they are narrow: columns, as a newspaper
prints them) and, for a chart wider than the page, across it too. Where a line
crosses a cut it is marked on both sides with the same number and where it goes on
("③ 转第 2 页" / "③ 接第 1 页", or the column of the same page), at the same place
along the cut. docs/decisions.md ("Diagrams on paper") says why tiles and not
connectors between pages laid out apart.

The direction of the flow (top to bottom, ``TB``, or left to right, ``LR``) and the
page's orientation are chosen per chart: each of :data:`LAYOUTS` is cut, and the one
needing fewest pages is drawn. The first page carries the title block; the legend
follows the last band; every page of several says which it is.

:func:`pages` gives each page as a self-contained SVG (fonts named, size in mm) and as
a one-page PDF, with its orientation, size, place and scale; :func:`document` joins
pages into one PDF. The same input and date give the same bytes.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..i18n import Text
from ..model import Finding, Flowchart, StepGrade
from .blocks import RULE_PREFIX, STICKY_PREFIX, Block, Placed, arrange, compose, moved
from .labels import SMALL_SIZE, SMALLEST, circled, plain
from .labels import width as columns_of
from .palette import HIGHLIGHT, INK, OVERSIGHT, PROPOSED
from .render import GAP, DiagramOptions, Drawing, defaults, draw, legend
from .tiles import Route, Window, clip, crossings, cut_points

#: Paper sizes in millimetres, portrait.
PAPERS = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
#: The white border of every page, in millimetres (printers need about 5).
MARGIN = 12.0
#: The white border of a sheet set in an area of another document's page, in mm.
AREA_MARGIN = 6.0
MM = 72 / 25.4  # points per millimetre
#: The smallest text printed, in points, and the scale that gives it.
MIN_TEXT = 8.0
MIN_SCALE = MIN_TEXT / SMALLEST
#: Of the room on a page, what the cutting fills (the rest absorbs rounding).
FILL = 0.98
#: Room for a row of marks beside a cut, in points: the numbers, then the words.
MARK = 14.0
#: The sides of a tile in the order their captions take rows above it.
SIDES = ("left", "top", "right", "bottom")
#: Beyond any drawing: the outer edges of the outer tiles.
FAR = 1e9
#: The half length along the flow kept free around an edge's label when cutting.
LABEL_HALF = 12.0
#: The ways a chart is laid on paper, in order of preference on a tie.
LAYOUTS = (("TB", "portrait"), ("LR", "landscape"), ("TB", "landscape"), ("LR", "portrait"))
#: Where the far end of a line crossing a cut is, when it is on the same page.
COLUMN_WORDS = {("TB", "to"): Text("转右栏", "to the next column"),
                ("TB", "from"): Text("接左栏", "from the column before"),
                ("LR", "to"): Text("转下栏", "to the next band"),
                ("LR", "from"): Text("接上栏", "from the band above")}
DEFAULT_OPTIONS = DiagramOptions()
#: What a page is drawn as.
FORMATS = ("svg", "pdf")
#: Pixels per inch of a page drawn as PNG (asked in ``formats``): sharp on paper.
PNG_DPI = 200


@dataclass(frozen=True)
class Page:
    """One printed page of a chart: ``svg`` (self-contained: fonts named, ``width`` and
    ``height`` in mm), ``pdf`` (this page alone) and ``png`` (at :data:`PNG_DPI`, when
    asked) draw the same sheet; ``number`` of
    ``count``; the ``paper`` and its ``orientation``, the sheet's size in mm, the
    ``direction`` of the flow, the ``scale`` the drawing is printed at (1: every text
    at its size in points) and the steps whose boxes are on it."""

    number: int
    count: int
    paper: str
    orientation: str
    width_mm: float
    height_mm: float
    direction: str
    scale: float
    steps: tuple[str, ...]
    svg: bytes
    pdf: bytes
    png: bytes = b""

    @property
    def min_text_pt(self) -> float:
        """The smallest text on the page, printed, in points (8 or more)."""
        return round(SMALLEST * self.scale, 2)


@dataclass(frozen=True)
class Frame:
    """A page's geometry in points: its size and the room inside the margins. With an
    ``area`` (width, height in mm) the sheet is that area of a page another document
    lays out (the committee pack's, whose own margins hold its running heads), with a
    narrow border of its own."""

    paper: str
    orientation: str
    area: tuple[float, float] | None = None

    @property
    def margin(self) -> float:
        """The white border, in millimetres: inside an area, a narrow one, where a box
        a cut leaves at the edge of its tile may reach (as it reaches into a page's)."""
        return AREA_MARGIN if self.area else MARGIN

    @property
    def size_mm(self) -> tuple[float, float]:
        if self.area:
            return self.area
        width, height = PAPERS[self.paper]
        return (height, width) if self.orientation == "landscape" else (width, height)

    @property
    def size(self) -> tuple[float, float]:
        width, height = self.size_mm
        return width * MM, height * MM

    @property
    def printable(self) -> tuple[float, float]:
        """Width and height inside the margins, in points."""
        width, height = self.size
        return width - 2 * self.margin * MM, height - 2 * self.margin * MM

    @property
    def room(self) -> tuple[float, float]:
        """Width and height inside the margins in points of the drawing at the
        smallest scale: what the cutting may fill."""
        width, height = self.printable
        return width / MIN_SCALE * FILL, height / MIN_SCALE * FILL


def pages(flowchart: Flowchart, findings: Iterable[Finding], grades: dict[str, StepGrade],
          options: DiagramOptions = DEFAULT_OPTIONS, paper: str = "A4",
          formats: Sequence[str] = FORMATS,
          areas: dict[str, tuple[float, float]] | None = None) -> list[Page]:
    """The chart's pages for ``paper`` ("A4" or "A3"), each printed with its text at
    :data:`MIN_TEXT` points or more, in the layout that needs fewest pages; drawn in
    ``formats`` ("svg", "pdf", "png": what is not asked is not drawn, the page's field
    is then empty). ``areas``: for a sheet set in another document's page, the room
    it has there in mm (width, height) by orientation, "portrait" and "landscape"."""
    if paper not in PAPERS:
        raise ValueError(f"paper {paper!r}: expected one of {', '.join(PAPERS)}")
    drawing = Drawing(flowchart, findings, grades, options)
    if options.lanes:
        from .lanes import lanes
        wholes = {direction: lanes(drawing, direction) for direction in ("TB", "LR")}
    else:
        wholes = {direction: drawing.chart(direction).lay_out(defaults(direction))
                  for direction in ("TB", "LR")}
    titles = {number: drawing.header(number, 2) for number in (1, 2)}
    content = frozenset(flowchart.steps) | {"flowgraph-proposed-overseer"}
    best = None
    for direction, orientation in LAYOUTS:
        frame = Frame(paper, orientation, areas[orientation] if areas else None)
        tiling = Tiling.of(wholes[direction], direction, frame, titles, drawing.lang, content)
        if best is None or tiling.rank() < best.rank():
            best = tiling
    return best.draw(drawing, formats)


# -- cutting the drawing --------------------------------------------------------------


@dataclass
class Tiling:
    """A whole drawing cut for pages of one frame: cuts along the flow (``bands``,
    distances from its start) and across it (``columns``), the tiles of each page as
    (band, column), and where the legend goes."""

    whole: Placed
    direction: str
    frame: Frame
    bands: list[float]
    columns: list[float]
    pages: list[list[tuple[int, int]]]
    legend: Placed
    legend_page: int
    legend_beside: bool
    lang: str
    #: The height of the blocks above the tiles on the first page and the others.
    headers: tuple[float, float] = (0.0, 0.0)
    numbers: dict[tuple[str, int], list[tuple[float, str]]] = field(default_factory=dict)
    page_of_node: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """Pages: those of the tiles, and one more when the legend needs its own."""
        return len(self.pages) + (self.legend_page > len(self.pages))

    @classmethod
    def of(cls, whole: Placed, direction: str, frame: Frame, titles: dict[int, Placed],
           lang: str, content: frozenset[str]) -> Tiling:
        """Cut ``whole`` for ``frame``: bands as long as each page allows, set side by
        side while they fit; across only when the drawing is wider than a page. The
        legend goes after the last band (room kept for it at the end, or not), or with
        the title block on the first page: whichever needs fewest pages, after the
        flow on a tie (with the title block the legend leaves the first page room
        for the flow's first step or two: 7 of the 18 samples tie)."""
        best = None
        lead, lead_height = _lead(titles[1], lang, frame.room[0])
        for head in (False, True):
            first = lead_height if head else titles[1].height
            for reserve in (0.0,) if head else (0.0, None):
                headers = (first, titles[2].height)
                tried = cls._cut(whole, direction, frame, headers, lang, reserve, content)
                tried.headers = headers
                if head:
                    tried.legend, tried.legend_page = lead, 0
                if best is None or tried.rank() < best.rank():
                    best = tried
        return best

    def rank(self) -> tuple[bool, int]:
        """How good a cut is: one whose pages all hold their tiles first, then the one
        with fewest pages."""
        return not self.fits(), self.count

    def fits(self) -> bool:
        """Whether every page holds its title block and its tiles at the smallest
        scale (leaving out empty tiles can bring a long tile onto the first page,
        whose title block and legend leave less room)."""
        width, height = self.frame.room
        for number, tiles in enumerate(self.pages, 1):
            sizes = [self.size(tile) for tile in tiles]
            along = max(size[0] for size in sizes)
            across = sum(size[1] for size in sizes) + GAP * (len(sizes) - 1)
            top = self.headers[number > 1] + GAP
            tall, wide = (along, across) if self.direction == "TB" else (across, along)
            if top + tall > height / FILL or wide > width / FILL:
                return False
        return True

    @classmethod
    def _cut(cls, whole: Placed, direction: str, frame: Frame, headers: tuple[float, float],
             lang: str, reserve: float | None, content: frozenset[str]) -> Tiling:
        """One cut, the blocks above the flow ``headers`` high on the first and the
        other pages, with the legend placed after the last band; ``reserve`` None:
        room kept for the legend at the end of the flow. Tiles holding none of the
        nodes in ``content`` (the steps) are left out: the marks of a line name the
        page of its far end, so a stretch of line across an empty tile is not lost."""
        width, height = frame.room
        length, breadth = _along_across(whole.width, whole.height, direction)
        along_shapes, across_shapes = _shapes(whole, direction)
        if direction == "TB":
            along = [height - headers[0] - GAP, height - headers[1] - GAP]
            across = [width, width]
        else:
            along = [width, width]
            across = [height - headers[0] - GAP, height - headers[1] - GAP]
        captions = 2 * MARK if direction == "LR" else 0.0  # above a band cut upright
        columns = cut_points(across_shapes, breadth, [min(across) - 4 * MARK - captions]) \
            if breadth + captions > min(across) else []
        if columns:
            per_page = [1, 1]
        else:
            per_page = [max(1, int((room + GAP) // (breadth + captions + GAP)))
                        for room in across]
        margins = 4 * MARK + whole.sticky  # marks on both sides, the repeated titles
        rooms = [along[0] - margins] * per_page[0] + [along[1] - margins]
        if reserve is None:
            reserve = _legend_length(lang, direction, across[1]) + GAP
            along_shapes = along_shapes + [(length + GAP, length + reserve)]
        bands = cut_points(along_shapes, length + reserve, rooms)
        tiles = [(band, column) for band in range(len(bands) + 1)
                 for column in range(len(columns) + 1)]
        tiling = cls(whole, direction, frame, bands, columns, [], legend(lang), 0, True, lang)
        occupied = {tiling.tile_of(name) for name in whole.nodes if name in content}
        tiles = [tile for tile in tiles if tile in occupied] or tiles[:1]
        pages = [tiles[:per_page[0]]]
        pages += [tiles[i:i + per_page[1]] for i in range(per_page[0], len(tiles), per_page[1])]
        tiling.pages = pages
        tiling.place_legend(along, across)
        return tiling

    def tile_of(self, name: str) -> tuple[int, int]:
        """The tile whose window holds a node's centre."""
        x, y = self.whole.nodes[name]
        along, across = (self.whole.height - y, x) if self.direction == "TB" \
            else (x, self.whole.height - y)
        return bisect_right(self.bands, along), bisect_right(self.columns, across)

    def place_legend(self, along: list[float], across: list[float]) -> None:
        """The legend after the last tile: beside it, a narrow column, if there is room
        across; else under it, as wide as there is room for, if there is room along;
        else on a page of its own."""
        last = len(self.pages)
        room_along, room_across = along[last > 1], across[last > 1]
        used_across = sum(self.size(tile)[1] for tile in self.pages[-1]) \
            + GAP * (len(self.pages[-1]) - 1)
        used_along = max(self.size(tile)[0] for tile in self.pages[-1])
        cut = bool(self.bands or self.columns)
        beside = _legend(self.lang, cut, self.direction, room_along,
                         room_across - used_across - GAP)
        below = _legend(self.lang, cut, self.direction, room_along - used_along - GAP,
                        room_across)
        if beside is not None:
            self.legend, self.legend_page, self.legend_beside = beside, last, True
        elif below is not None:
            self.legend, self.legend_page, self.legend_beside = below, last, False
        else:
            self.legend = _legend(self.lang, cut, self.direction, along[1], across[1]) \
                or legend(self.lang, cut, 2)
            self.legend_page, self.legend_beside = last + 1, True

    def window(self, tile: tuple[int, int]) -> Window:
        """The part of the whole drawing a tile shows (the outer tiles reach past the
        drawing's edges, so that nothing is cut there)."""
        band, column = tile
        starts = [-FAR] + self.bands
        ends = self.bands + [FAR]
        lows = [-FAR] + self.columns
        highs = self.columns + [FAR]
        along = (starts[band], ends[band])
        across = (lows[column], highs[column])
        top = self.whole.height
        if self.direction == "TB":
            return Window(across[0], top - along[1], across[1], top - along[0])
        return Window(along[0], top - across[1], along[1], top - across[0])

    def shown(self, tile: tuple[int, int]) -> tuple[Window, tuple[float, ...]]:
        """What a tile shows of the drawing (its window within the drawing's bounds),
        and the margins (left, bottom, right, top) kept for marks on its cut sides."""
        window = self.window(tile)
        whole = self.whole
        shown = Window(max(window.left, 0.0), max(window.bottom, 0.0),
                       min(window.right, whole.width), min(window.top, whole.height))
        margins = [2 * MARK if abs(side) < FAR / 2 else 0.0 for side in
                   (window.left, window.bottom, window.right, window.top)]
        if margins[0] or margins[2]:  # the captions of upright cuts, above the tile
            margins[3] = (1 + _captions_above(margins)) * MARK
        start = 3 if self.direction == "TB" else 0  # the side where a band begins
        if margins[start] and whole.sticky:
            margins[start] += whole.sticky
        return shown, tuple(margins)

    def size(self, tile: tuple[int, int]) -> tuple[float, float]:
        """A tile's length along and across the flow, with its marks' margins."""
        shown, (left, bottom, right, top) = self.shown(tile)
        return _along_across(shown.right - shown.left + left + right,
                             shown.top - shown.bottom + bottom + top, self.direction)

    # -- drawing the tiles ------------------------------------------------------------

    def cut_lines(self) -> list[tuple[str, int, int, float]]:
        """Every cut as (kind, index, axis, value): the axis (0: x, 1: y) and value of
        its line in the whole drawing."""
        top = self.whole.height
        lines = []
        for index, value in enumerate(self.bands):
            lines.append(("band", index, 1, top - value) if self.direction == "TB"
                         else ("band", index, 0, value))
        for index, value in enumerate(self.columns):
            lines.append(("column", index, 0, value) if self.direction == "TB"
                         else ("column", index, 1, top - value))
        return lines

    def number_crossings(self, routes: dict[str, Route]) -> None:
        """Number the places where lines cross each cut, in order along the cut: the
        same number is written on both sides."""
        for kind, index, axis, value in self.cut_lines():
            found = sorted((point[1 - axis], key) for key, route in routes.items()
                           for point in crossings(route, axis, value))
            self.numbers[(kind, index)] = found

    def draw(self, drawing: Drawing, formats: Sequence[str] = FORMATS) -> list[Page]:
        """Every page: its title block, its tiles, the legend where it goes."""
        routes = {key: Route.parse(route) for key, (route, _) in self.whole.edges.items()}
        self.number_crossings(routes)
        pages_of = {tile: number for number, tiles in enumerate(self.pages, 1)
                    for tile in tiles}
        self.page_of_node = {name: pages_of.get(self.tile_of(name), 0)
                             for name in self.whole.nodes}
        count = self.count
        room = self.frame.room[0]
        result = []
        for number in range(1, count + 1):
            tiles = self.pages[number - 1] if number <= len(self.pages) else []
            body = [self.tile(tile, routes) for tile in tiles]
            footer, side = [], None
            header = [drawing.header(number, count)]
            if number == self.legend_page:
                if self.legend_beside:  # across the flow, after the tiles
                    body.append(self.legend)
                elif self.direction == "LR":  # along it: right of the tiles
                    side = self.legend
                else:
                    footer.append(self.legend)
            elif number == 1 and self.legend_page == 0:
                header.append(self.legend)
            parts, width, height = arrange(header, body, self.direction == "TB", GAP, room,
                                           footer, side)
            graph = compose(parts, defaults(self.direction), {
                "tooltip": drawing.tooltip(), "notranslate": "true"})
            steps = tuple(name for part in body for name in part.block.nodes
                          if name in drawing.flowchart.steps)
            result.append(page_of(graph, width, height, self.frame, number, count,
                                  self.direction, steps, drawing.options.date, formats))
        return result

    def tile(self, tile: tuple[int, int], routes: dict[str, Route]) -> Placed:
        """A tile as a placed block: the shapes inside its window, the pieces of the
        lines inside it, and marks where the lines cross its cut edges; moved so that
        the window, with room for the marks around it, starts at (0, 0)."""
        window = self.window(tile)
        whole = self.whole
        shown, margins = self.shown(tile)
        left, bottom = shown.left - margins[0], shown.bottom - margins[1]
        block = Block()
        nodes: dict[str, tuple[float, float]] = {}
        edges: dict[str, tuple[str, str | None]] = {}
        for name, attributes in whole.block.nodes.items():
            x, y = whole.nodes[name]
            if window.holds((x, y), 0.0):
                block.add_node(name, **attributes)
                nodes[name] = (x - left, y - bottom)
        self._repeat_sticky(block, nodes, window, left, bottom, margins[3])
        marks = _Marks(self, tile, window, block, nodes, left, bottom)
        texts: dict[str, str] = {}  # the labels shown, by line
        for tail, head, key, attributes in whole.block.edges:
            route, label = whole.edges[key]
            for number, piece in enumerate(clip(routes[key], window)):
                name = key if number == 0 else f"{key}.{number}"
                drawn = dict(attributes, id=name)
                starts = piece.starts and tail in nodes
                ends = piece.ends and head in nodes
                if key.startswith(RULE_PREFIX):  # a rule: cut without marks
                    tail_name, head_name = (_point(block, nodes, f"{name}-{side}", at, left,
                                                   bottom)
                                            for side, at in (("a", piece.points[0]),
                                                             ("b", piece.points[-1])))
                else:
                    tail_name = tail if starts else marks.at(piece.points[0], drawn, "from",
                                                             tail)
                    head_name = head if ends else marks.at(piece.points[-1], drawn, "to",
                                                           head)
                if not ends:
                    drawn["arrowhead"] = "none"
                shown_label = label if label and number == 0 and window.holds(
                    Route.parse(label).points[0], 0.0) else None
                if shown_label:
                    texts[name] = drawn["label"]
                else:
                    drawn.pop("label", None)
                block.add_edge(tail_name, head_name, key=name, **drawn)
                piece_route = Route(piece.points, routes[key].start if starts else None,
                                    routes[key].end if ends else None)
                edges[name] = (moved(piece_route.text(), -left, -bottom),
                               moved(shown_label, -left, -bottom) if shown_label else None)
        marks.captions()
        width = shown.right - shown.left + margins[0] + margins[2]
        height = shown.top - shown.bottom + margins[1] + margins[3]
        for name, text in texts.items():
            route, label = edges[name]
            edges[name] = (route, marks.clear(label, text, width, height))
        return Placed(block, width, height, nodes, edges)

    def _repeat_sticky(self, block: Block, nodes, window: Window, left: float,
                       bottom: float, top: float) -> None:
        """On a tile that does not begin the drawing, the band the drawing begins with
        (the lane titles), again before the tile's marks (in the ``top`` margin, above
        the captions, when the lanes are columns)."""
        whole = self.whole
        if not whole.sticky:
            return
        start = window.top if self.direction == "TB" else window.left
        if abs(start) > FAR / 2:  # the first band: the titles are in it
            return
        offset = top - whole.sticky / 2 if self.direction == "TB" \
            else 2 * MARK + whole.sticky / 2
        for name, attributes in whole.block.nodes.items():
            if name.startswith(STICKY_PREFIX) and name not in nodes:
                x, y = whole.nodes[name]
                across = x if self.direction == "TB" else y
                if not (window.left <= x <= window.right if self.direction == "TB"
                        else window.bottom <= y <= window.top):
                    continue
                place = (across, window.top + offset) if self.direction == "TB" \
                    else (window.left - offset, across)
                block.add_node(name, **attributes)
                nodes[name] = (place[0] - left, place[1] - bottom)

    def page_of_tile(self, tile: tuple[int, int]) -> int:
        return next(number for number, tiles in enumerate(self.pages, 1) if tile in tiles)


class _Marks:
    """The marks of one tile: the number of each crossing beside it, outside the
    window, and once per cut side a caption saying where the lines go on: for a line
    that leaves the tile towards its end, the page of the step it ends at ("转"); for
    one that enters it, the page of the step it comes from ("接")."""

    def __init__(self, tiling: Tiling, tile, window: Window, block: Block, nodes,
                 left: float, bottom: float):
        self.tiling, self.tile, self.window = tiling, tile, window
        self.block, self.nodes, self.left, self.bottom = block, nodes, left, bottom
        self.sides: dict[str, list[tuple[int, str, int]]] = {}
        self.placed: list[tuple[float, float]] = []

    def side(self, point) -> tuple[str, int, int, str]:
        """The cut a point on the window's edge lies on: (kind, index, axis, side)."""
        x, y = point
        w = self.window
        distances = {"left": abs(x - w.left), "right": abs(x - w.right),
                     "bottom": abs(y - w.bottom), "top": abs(y - w.top)}
        edge = min(distances, key=distances.get)
        along_edges = {"TB": ("top", "bottom"), "LR": ("left", "right")}[self.tiling.direction]
        kind = "band" if edge in along_edges else "column"
        band, column = self.tile
        index = (band if kind == "band" else column) - (edge in ("top", "left"))
        return kind, index, 0 if edge in ("left", "right") else 1, edge

    def at(self, point, attributes: dict[str, str], way: str, step: str) -> str:
        """A mark for the crossing at ``point``, where the line goes on ("to") towards
        ``step`` or comes ("from") from it: its number in the line's colour, just
        outside the window."""
        kind, index, axis, edge = self.side(point)
        found = self.tiling.numbers.get((kind, index), [])
        position = point[1 - axis]
        number = 1 + min(range(len(found)), key=lambda i: abs(found[i][0] - position)) \
            if found else 0
        name = f"flowgraph-mark-{kind}-{index}-{edge}-{number}"
        outward = {"left": (-1, 0), "right": (1, 0), "bottom": (0, -1), "top": (0, 1)}[edge]
        x = point[0] + outward[0] * MARK / 2 - self.left
        y = point[1] + outward[1] * MARK / 2 - self.bottom
        if name in self.block.nodes:
            there = self.nodes[name]
            if abs(there[0] - x) < MARK and abs(there[1] - y) < MARK:
                return name  # a line out and back at one place: one number for both
            name += f"-{len(self.block.nodes)}"
        # beside the number of a line crossing just by, or on a box that reaches over
        # the cut: moved along the cut, clear of them
        step_x, step_y = (0.0, MARK * 0.8) if edge in ("left", "right") else (MARK * 0.8, 0.0)
        for _ in range(20):
            if not any(abs(a - x) < MARK * 0.8 and abs(b - y) < MARK * 0.8
                       for a, b in self.placed) and not self.on_box(x, y):
                break
            x, y = x + step_x, y + step_y
        self.placed.append((x, y))
        colour = attributes.get("color", INK)
        if colour not in (INK, OVERSIGHT, PROPOSED, HIGHLIGHT):
            colour = INK
        self.block.add_node(name, shape="plaintext", style="", margin="0", width="0.15",
                            height="0.15", label=plain(circled(number), SMALL_SIZE, colour))
        self.nodes[name] = (x, y)
        page = self.tiling.page_of_node.get(step, 0)
        self.sides.setdefault(edge, []).append((number, way, page))
        return name

    def on_box(self, x: float, y: float) -> bool:
        """Whether a number at (x, y) would stand on a shape of the tile."""
        sizes = self.tiling.whole.sizes
        return any(abs(a - x) < sizes[name][0] / 2 + MARK / 3
                   and abs(b - y) < sizes[name][1] / 2 + MARK / 3
                   for name, (a, b) in self.nodes.items() if name in sizes
                   and not name.startswith(STICKY_PREFIX))

    def clear(self, place: str, label: str, width: float, height: float) -> str:
        """A line's label at ``place`` moved, as little as it takes, into the tile
        (``width`` × ``height``: a tile beside it on the page may begin just there) and
        off the numbers beside the cuts (it may stand near a cut, they stand just
        outside it)."""
        text = re.sub(r"<[^>]*>", "\n", label)
        lines = [line for line in text.split("\n") if line.strip()] or [""]
        half_width = max(columns_of(line) for line in lines) * SMALL_SIZE / 4 + 2
        half_height = len(lines) * SMALL_SIZE * 0.65 + 1
        (x, y), = Route.parse(place).points
        x = min(max(x, half_width), max(half_width, width - half_width))
        y = min(max(y, half_height), max(half_height, height - half_height))
        for a, b in self.placed:
            reach_x, reach_y = half_width + MARK / 2, half_height + MARK / 2
            if abs(a - x) < reach_x and abs(b - y) < reach_y:
                # out of the number's way along whichever axis asks less
                dx = (a - reach_x - x) if x < a else (a + reach_x - x)
                dy = (b - reach_y - y) if y < b else (b + reach_y - y)
                if abs(dx) <= abs(dy):
                    x += dx
                else:
                    y += dy
        return f"{x:.2f},{y:.2f}"

    def clear_of_numbers(self, x: float, y: float, half: float) -> bool:
        """Whether a caption centred at (x, y) of the drawing, ``half`` wide each side,
        covers none of the numbers placed on the tile."""
        x, y = x - self.left, y - self.bottom
        return not any(abs(a - x) < half + MARK and abs(b - y) < MARK
                       for a, b in self.placed)

    def captions(self) -> None:
        """Once per cut side with marks, beyond the numbers: each page its lines go on
        to or come from, with their numbers."""
        tiling = self.tiling
        here = tiling.page_of_tile(self.tile)
        w = self.window
        shown_left, shown_right = max(w.left, 0.0), min(w.right, tiling.whole.width)
        shown_bottom, shown_top = max(w.bottom, 0.0), min(w.top, tiling.whole.height)
        # beyond the numbers; an upright cut's words above the tile, from its corner, in
        # rows (one for each side that may have them: shown()) so that none covers another
        rows: list[list[tuple[float, float]]] = []
        for edge, marks in sorted(self.sides.items(), key=lambda item: SIDES.index(item[0])):
            groups: dict[tuple[str, int], list[int]] = {}
            for number, way, page in sorted(set(marks)):  # a line marked once a page
                groups.setdefault((way, page), []).append(number)
            texts = [_where(numbers, way, page, here, tiling.direction, edge)(tiling.lang)
                     for (way, page), numbers in groups.items()]
            words = ("；" if tiling.lang == "zh" else "; ").join(texts)
            if edge in ("left", "right"):
                words = ("◀ " if edge == "left" else "") + words \
                    + (" ▶" if edge == "right" else "")
            half = columns_of(words) * SMALL_SIZE / 4 + 2  # a column: half a character
            x = {"bottom": (shown_left + shown_right) / 2, "top": (shown_left + shown_right) / 2,
                 "left": shown_left + half, "right": shown_right - half}[edge]
            if edge == "bottom":
                y = shown_bottom - MARK * 1.5
            else:  # the first row with room that no number moved up along a cut stands
                # in (a number stands in two rows at most, so one of these is clear)
                row = next(number for number in range(len(rows) + 2 * len(self.placed) + 1)
                           if (number >= len(rows)
                               or all(x + half + GAP / 4 < a or b < x - half - GAP / 4
                                      for a, b in rows[number]))
                           and self.clear_of_numbers(x, shown_top + MARK * (1.5 + number), half))
                while row >= len(rows):
                    rows.append([])
                rows[row].append((x - half, x + half))
                y = shown_top + MARK * (1.5 + row)
            name = f"flowgraph-caption-{edge}"
            self.block.add_node(name, shape="plaintext", style="", margin="0",
                                label=plain(words, SMALL_SIZE, INK, 90, 1))
            self.nodes[name] = (x - self.left, y - self.bottom)


def _captions_above(margins: list[float]) -> int:
    """How many captions a tile may have above it: one for each cut side among its
    left, right and top (margins as :meth:`Tiling.shown` keeps them)."""
    return sum(1 for side in (0, 2, 3) if margins[side])


def _where(numbers: list[int], way: str, page: int, here: int, direction: str,
           edge: str) -> Text:
    """Where the lines of these numbers go on: another page, or this one."""
    marks = "".join(circled(n) for n in numbers)
    if page == here:
        onward = "to" if edge in ("bottom", "right") else "from"
        words = COLUMN_WORDS[(direction, onward)]
        return Text(f"{marks} {words.zh}", f"{marks} {words.en}")
    if way == "to":
        return Text(f"{marks} 转第 {page} 页", f"{marks} to p. {page}")
    return Text(f"{marks} 接第 {page} 页", f"{marks} from p. {page}")


def _point(block: Block, nodes, name: str, at, left: float, bottom: float) -> str:
    """An unseen point at ``at``, where a rule is cut."""
    block.add_node(f"flowgraph-{name}", shape="point", style="invis", width="0.01")
    nodes[f"flowgraph-{name}"] = (at[0] - left, at[1] - bottom)
    return f"flowgraph-{name}"


def _legend(lang: str, cut: bool, direction: str, along: float,
            across: float) -> Placed | None:
    """The widest legend (fewest rows) that fits the room ``along`` and ``across``
    the flow, or None."""
    for per_row in (8, 6, 4, 3, 2):
        placed = legend(lang, cut, per_row)
        length, breadth = _along_across(placed.width, placed.height, direction)
        if length <= along and breadth <= across:
            return placed
    return None


def _lead(title: Placed, lang: str, room: float) -> tuple[Placed, float]:
    """The legend to set with the title block on the first page, and the height of
    the two: the shape of legend that keeps them lowest in the page's width."""
    best = None
    for per_row in (8, 6, 4, 3, 2):
        placed = legend(lang, True, per_row)
        if placed.width > room:
            continue
        _, _, height = arrange([title, placed], [], True, GAP, room)
        if best is None or height < best[1]:
            best = (placed, height)
    return best or (legend(lang, True, 2), title.height + GAP + legend(lang, True, 2).height)


def _legend_length(lang: str, direction: str, across: float) -> float:
    """How long the legend is along the flow when set as wide as the room allows: the
    room kept for it after the last band."""
    placed = _legend(lang, True, direction, float("inf"), across) or legend(lang, True, 2)
    return _along_across(placed.width, placed.height, direction)[0]


def _along_across(width: float, height: float, direction: str) -> tuple[float, float]:
    return (height, width) if direction == "TB" else (width, height)


def _shapes(whole: Placed, direction: str) -> tuple[list[tuple[float, float]],
                                                    list[tuple[float, float]]]:
    """The extents of every shape and edge label along and across the flow, measured
    from the drawing's start (its top, or its left)."""
    along, across = [], []
    boxes = [(whole.nodes[name], whole.sizes.get(name, (0.0, 0.0)))
             for name in whole.nodes]
    boxes += [(Route.parse(label).points[0], (4 * LABEL_HALF, 2 * LABEL_HALF))
              for _, label in whole.edges.values() if label]
    for (x, y), (width, height) in boxes:
        top = whole.height - y - height / 2
        vertical = (top, top + height)
        horizontal = (x - width / 2, x + width / 2)
        along.append(vertical if direction == "TB" else horizontal)
        across.append(horizontal if direction == "TB" else vertical)
    return along, across


def page_of(graph, width: float, height: float, frame: Frame, number: int, count: int,
            direction: str, steps: tuple[str, ...], date: str | None,
            formats: Sequence[str] = FORMATS) -> Page:
    """A composed sheet of ``width`` × ``height`` points set on the page: scaled to
    the room (never up), centred across and at the top, drawn in ``formats`` (SVG,
    PDF, PNG; one not asked for is empty)."""
    from .render import default_date
    page_width, page_height = frame.size
    room_width, room_height = frame.printable
    scale = min(1.0, room_width / width, room_height / height) if width and height else 1.0
    centre_y = height + frame.margin * MM / scale - page_height / (2 * scale)
    graph.graph_attr.update(
        viewport=f"{page_width:.2f},{page_height:.2f},{scale:.4f},{width / 2:.2f},"
                 f"{centre_y:.2f}", margin="0", pad="0")
    wide, high = frame.size_mm
    svg = _svg_in_mm(draw(graph, "svg"), wide, high) if "svg" in formats else b""
    pdf = fixed_dates(draw(graph, "pdf"), date or default_date()) if "pdf" in formats \
        else b""
    png = b""
    if "png" in formats:
        graph.graph_attr["dpi"] = str(PNG_DPI)
        png = draw(graph, "png")
    return Page(number, count, frame.paper, frame.orientation, wide, high, direction,
                round(scale, 4), steps, svg, pdf, png)


def _svg_in_mm(svg: bytes, width: float, height: float) -> bytes:
    """Graphviz's SVG of a page with its size in millimetres, so that it prints at the
    page's size (the view box, in points, is unchanged)."""
    head, rest = svg.split(b"<svg width=", 1)
    rest = rest.split(b"\n", 1)[1]
    return (head + f'<svg width="{width:g}mm" height="{height:g}mm"\n'.encode() + rest)


def fixed_dates(pdf: bytes, date: str) -> bytes:
    """A PDF from Graphviz (cairo) with its creation time replaced by ``date``
    (``YYYY-MM-DD``) at midnight UTC, in place: cairo writes the time it ran, and the
    same input must give the same bytes. The replacement has the same length, so the
    cross-reference table stays right."""
    marker = b"/CreationDate "
    start = pdf.find(marker)
    if start < 0:
        return pdf
    start += len(marker)
    end = pdf.index(b")", start) + 1
    stamp = f"(D:{date.replace('-', '')}000000Z)".encode()
    if len(stamp) > end - start:
        raise ValueError(f"unexpected creation date {pdf[start:end]!r}")
    return pdf[:start] + stamp.ljust(end - start) + pdf[end:]


def document(pages: Sequence[Page], date: str, title: str | None = None) -> bytes:
    """The pages as one PDF document, dated ``date`` (``YYYY-MM-DD``); the same pages
    and date give the same bytes (pypdf writes no random file identifier)."""
    import io

    import pypdf

    from ..version import __version__
    writer = pypdf.PdfWriter()
    for page in pages:
        writer.append(pypdf.PdfReader(io.BytesIO(page.pdf)))
    stamp = "D:" + date.replace("-", "") + "000000Z"
    metadata = {"/Producer": f"flowgraph {__version__}", "/CreationDate": stamp,
                "/ModDate": stamp}
    if title:
        metadata["/Title"] = title
    writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

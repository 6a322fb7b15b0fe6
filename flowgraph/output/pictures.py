"""The pictures of the charts in a committee pack: one or more A4 pages per flowchart.

The report's HTML pages, its print layout, the PDF and the Word document all show the
same pictures, made here once per batch (in worker processes when they pay,
:func:`flowgraph.workers.ordered_map`): each page of a chart is an SVG (for the HTML and
the PDF, whose text stays text) and, for the Word document, a PNG rendered by Graphviz
at a resolution that prints sharp at the size the page gives it.

:func:`chart_pictures` is the one place that knows how a chart becomes pages. Today a
chart is one page, the whole diagram of :func:`flowgraph.output.render.diagram`, turned
landscape when it is wider than tall; the paper layout (charts split over A4 pages with
their text at 8 pt or more) replaces its body and nothing else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..results import ChartResult

#: The printable area of an A4 page with the pack's margins, in points (portrait).
PAGE_WIDTH_PT, PAGE_HEIGHT_PT = 481.9, 697.3
#: Pixels per inch of a PNG at its printed size: sharp on paper, small enough for Word.
PRINT_DPI = 200
#: Graphviz's resolution when the PNG is not scaled down: its own default is 96.
MAX_DPI = 200
MIN_DPI = 72
#: Colours of a diagram's PNG.
COLOURS = 64


@dataclass(frozen=True)
class Picture:
    """One page of a chart's diagram: the SVG (its ``<svg>`` element and what it holds),
    its natural size in points, whether it prints landscape, and the PNG when asked."""

    svg: str
    width: float
    height: float
    landscape: bool
    png: bytes | None = None

    def fit(self) -> float:
        """The scale that fits the picture on its page (never enlarged)."""
        width, height = (PAGE_HEIGHT_PT, PAGE_WIDTH_PT) if self.landscape else \
            (PAGE_WIDTH_PT, PAGE_HEIGHT_PT)
        return min(1.0, width / self.width, height / self.height)


_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"')


def _size(svg: str) -> tuple[float, float]:
    """The width and height in points Graphviz gave an SVG."""
    match = _SIZE.search(svg)
    return (float(match.group(1)), float(match.group(2))) if match else \
        (PAGE_WIDTH_PT, PAGE_HEIGHT_PT)


def _draw(job: tuple[str, bool]) -> Picture:
    """Lay out one diagram and draw it as SVG, and as PNG when asked (runs in a worker
    process). The PNG's resolution gives :data:`PRINT_DPI` at the printed size."""
    import pygraphviz
    source, with_png = job
    data = pygraphviz.AGraph(string=source).draw(format="svg", prog="dot").decode("utf-8")
    svg = data[data.index("<svg"):]
    width, height = _size(svg)
    picture = Picture(svg, width, height, landscape=width > height)
    if not with_png:
        return picture
    dpi = max(MIN_DPI, min(MAX_DPI, round(PRINT_DPI * picture.fit())))
    png = pygraphviz.AGraph(string=source).draw(format="png", prog="dot",
                                                args=f"-Gdpi={dpi}")
    return Picture(svg, width, height, picture.landscape, _palette(png))


def _palette(png: bytes) -> bytes:
    """The PNG in :data:`COLOURS` colours: a diagram's few fills and the edges of its
    letters look the same, in a quarter of the bytes (a city's Word document is 60 MB
    instead of 160)."""
    import io

    from PIL import Image
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(COLOURS, method=Image.Quantize.FASTOCTREE,
                   dither=Image.Dither.NONE).save(out, "PNG")
    return out.getvalue()


def chart_pictures(charts: list[ChartResult], lang: str, date: str,
                   jobs: int | None = None, png: bool = False) -> list[list[Picture]]:
    """The pages of each chart's diagram, in the charts' order: SVG always, PNG too
    when ``png`` (the Word document needs it). Steps link to their grades
    (``#grade-<id>``) as the report's chart pages expect."""
    from ..workers import ordered_map
    from .render import DiagramOptions, diagram
    options = DiagramOptions(date=date, lang=lang, link_steps=True)
    sources = [diagram(c.flowchart, c.findings, c.grades, options).string() for c in charts]
    drawn = ordered_map(_draw, [(source, png) for source in sources], jobs,
                        [len(source) for source in sources])
    return [[picture] for picture in drawn]

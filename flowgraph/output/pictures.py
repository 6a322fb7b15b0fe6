"""The pictures of the charts in a committee pack: one or more A4 pages per flowchart.

The report's HTML pages, its print layout, the PDF and the Word document all show the
same pictures, made here once per batch (in worker processes when they pay,
:func:`flowgraph.workers.ordered_map`): each page of a chart is an SVG (for the HTML and
the PDF, whose text stays text) and, for the Word document, a PNG at 200 dpi.

:func:`chart_pictures` is the one place that knows how a chart becomes pages: the
diagrams made for paper (:func:`flowgraph.output.paper.pages`), cut to the room a
chart's page has in the pack (:data:`AREAS`, inside the pack's margins and below the
chart's title), so that every text prints at 8 pt or more, as ``render -o x.pdf``
prints it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..results import ChartResult

#: The room a page of a diagram has in the pack, in millimetres (width, height), by
#: orientation: inside the PDF's and the Word document's margins, below the chart's
#: title on its first page, so that neither document scales a page down (the PDF caps
#: a diagram at 182 × 225 mm portrait and 269 × 150 mm landscape; Word gives it
#: word.picture_room; tests/test_pack.py holds them to it).
AREAS = {"portrait": (170.0, 215.0), "landscape": (265.0, 125.0)}
MM = 72 / 25.4  # points per millimetre
#: Colours of a diagram's PNG.
COLOURS = 64


@dataclass(frozen=True)
class Picture:
    """One page of a chart's diagram: the SVG (its ``<svg>`` element and what it holds),
    its size in points, whether it prints landscape, and the PNG when asked."""

    svg: str
    width: float
    height: float
    landscape: bool
    png: bytes | None = None


def _pages(job: tuple[ChartResult, str, str, bool]) -> list[Picture]:
    """Lay out one chart's pages and draw them (runs in a worker process)."""
    from .paper import pages
    from .render import DiagramOptions, inline_svg
    chart, lang, date, with_png = job
    options = DiagramOptions(date=date, lang=lang, link_steps=True)
    formats = ("svg", "png") if with_png else ("svg",)
    pictures = []
    for page in pages(chart.flowchart, chart.findings, chart.grades, options, "A4", formats,
                      AREAS):
        pictures.append(Picture(inline_svg(page.svg), page.width_mm * MM,
                                page.height_mm * MM, page.orientation == "landscape",
                                _palette(page.png) if with_png else None))
    return pictures


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
    weights = [300 * (len(c.flowchart.steps) + len(c.findings)) for c in charts]  # ~ bytes
    return list(ordered_map(_pages, [(chart, lang, date, png) for chart in charts], jobs,
                            weights))

"""The colours of the diagrams, and the contrast of every text on what it sits on.

The practice prints risk points 一级 red, 二级 orange, 三级 yellow; the fills keep
those colours, and every text drawn on them, or on the paper, the lane titles and the
badges, is dark or light enough to read: at least 4.5:1, WCAG 2.x level AA for
normal text, by the relative luminance WCAG defines. :data:`TEXT_ON` lists every
pair the diagrams draw (the tests compute each one and check that the SVG uses no
other text colour), so a colour changed here is checked where it is used.

Lines are drawn in the colours of their labels, which WCAG's 3:1 for graphics
leaves well met; the grey rules between lanes carry no text.
"""
from __future__ import annotations

#: Text: the step's name and every black text.
INK = "#000000"
#: The smaller text under a step's name: its post, time limit and legal basis.
INK_SOFT = "#1f1f1f"
PAPER = "#ffffff"
#: Fills of the steps by suggested grade; None: not a risk point.
GRADE_FILLS = {1: "#ff4d4f", 2: "#ffa940", 3: "#ffe58f", None: PAPER}
#: A rule code's badge: light text on dark red, readable on every fill.
BADGE_FILL = "#a8071a"
BADGE_INK = "#ffffff"
#: Oversight lines, dashed, and their labels.
OVERSIGHT = "#0958d9"
#: Proposed oversight (FG401), dashed, and its labels.
PROPOSED = "#cf1322"
#: The witness path of a finding chosen with ``--highlight``.
HIGHLIGHT = "#d4380d"
#: Swimlanes: the lanes are paper between grey rules; their titles sit on grey.
LANE_TITLE_FILL = "#e8e8e8"
LANE_LINE = "#8c8c8c"
#: Outlines of shapes and lines of the flow.
LINE = "#000000"

#: Every text colour on every background the diagrams put it on: (where, text, fill).
TEXT_ON = (
    *((f"step name, grade {grade}", INK, fill) for grade, fill in GRADE_FILLS.items()),
    *((f"post, limit, basis, grade {grade}", INK_SOFT, fill)
      for grade, fill in GRADE_FILLS.items()),
    ("badge", BADGE_INK, BADGE_FILL),
    ("flow label", INK, PAPER),
    ("oversight label", OVERSIGHT, PAPER),
    ("proposed oversight label", PROPOSED, PAPER),
    ("title block, legend, continuation marks", INK, PAPER),
    ("legend: oversight", OVERSIGHT, PAPER),
    ("legend: proposed oversight", PROPOSED, PAPER),
    ("legend: finding path", HIGHLIGHT, PAPER),
    ("lane title", INK, LANE_TITLE_FILL),
)


def luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (WCAG 2.x): 0 black, 1 white."""
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(text: str, fill: str) -> float:
    """The contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    light, dark = sorted((luminance(text), luminance(fill)), reverse=True)
    return (light + 0.05) / (dark + 0.05)

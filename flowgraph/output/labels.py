"""The texts of a diagram as Graphviz draws them: wrapped, shortened and escaped.

A step's box reads, from the top: its name (up to three lines), its post (岗位) in
smaller text, its time limit (办理时限) and legal basis (依据, shortened) when the chart
gives them, then its grade written as a word and the codes of its open findings as
badges (light on dark red). Chinese text is wrapped by display width, never starting a
line with closing punctuation nor ending one with opening punctuation, keeping Latin
words and numbers whole, in lines of even length; what does not fit is elided with
"…" (the tooltip and the report's tables keep the whole text).

Every text from a flowchart reaches Graphviz as an escaped HTML-like label, so that a
label such as ``<b>`` or ``\\N`` is shown as written, never interpreted; control
characters, which SVG cannot carry, are shown as escapes (:func:`~flowgraph.files.printable`).
Texts are bounded before they are wrapped: Graphviz's parser refuses a string over
16 KiB, and a 6,000-character label must cost no more than a short one.
"""
from __future__ import annotations

import html
import re
import unicodedata

from ..files import printable
from ..i18n import Text
from ..vocabulary import GRADE_NAMES
from .palette import BADGE_FILL, BADGE_INK, INK_SOFT

LINE_WIDTH = 18   # display columns of a step's name (a Chinese character is two)
MAX_LINES = 3
#: Point sizes: the step's name, the smaller lines and every other text. The smallest
#: is what the pages keep at 8 pt or more when printed (:mod:`.paper`).
NAME_SIZE = 11
SMALL_SIZE = 9
#: The smallest text any diagram draws.
SMALLEST = SMALL_SIZE
BADGES_PER_ROW = 3

#: Characters that do not begin a line (closing punctuation) or end one (opening).
NO_START = frozenset("，。、；：？！）》」』】〕〉”’,.;:?!)]}…%·")
NO_END = frozenset("（《「『【〔〈“‘([{")
_TOKENS = re.compile(r"[A-Za-z0-9_./%+\-]+|\s+|.", re.S)


def width(text: str) -> int:
    """Display columns: a wide (Chinese) character is two, others one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, columns: int = LINE_WIDTH, max_lines: int = MAX_LINES) -> list[str]:
    """``text`` in lines of at most ``columns`` display columns (a closing mark may
    hang one column over), as even as the greedy count of lines allows; beyond
    ``max_lines`` the rest is elided with "…"."""
    text = " ".join(text[:columns * (max_lines + 1)].split())
    if not text:
        return [""]
    lines = _fill(text, columns)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and width(last) + 1 > columns:
            last = last[:-1]
        return kept[:-1] + [last.rstrip() + "…"]
    for narrower in range(-(-width(text) // len(lines)), columns):
        even = _fill(text, narrower)
        if len(even) == len(lines):
            return even
    return lines


def _fill(text: str, columns: int) -> list[str]:
    """Greedy lines of whole tokens (a Latin word longer than a line is cut)."""
    tokens: list[str] = []
    for token in _TOKENS.findall(text):
        while width(token) > columns:
            tokens.append(token[:columns])
            token = token[columns:]
        tokens.append(token)
    lines: list[str] = []
    line = ""
    for token in tokens:
        hangs = token[0] in NO_START and width(line + token) <= columns + 1
        if line and width(line + token) > columns and not hangs:
            carried = ""
            if token[0] in NO_START and len(line.rstrip()) > 1 and not line[-1].isspace():
                line, carried = line[:-1], line[-1]  # a closing mark that cannot hang
            while len(line) > 1 and line[-1] in NO_END:  # takes the character before it
                line, carried = line[:-1], line[-1] + carried
            lines.append(line.rstrip())
            line = carried
            if token.isspace():
                continue
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def clipped(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one "…" when it was longer."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def escaped(text: str) -> str:
    """Text for an HTML-like label: hidden characters shown, markup escaped, and the
    backslash doubled, since Graphviz still expands ``\\N``, ``\\G`` … in the text of
    such labels."""
    return html.escape(printable(text), quote=True).replace("\\", "\\\\")


def lines_of(text: str, columns: int, max_lines: int) -> str:
    """``text`` wrapped and escaped, its lines joined by ``<BR/>``."""
    return "<BR/>".join(escaped(line) for line in wrap(text, columns, max_lines))


_LIMIT = re.compile(r"\s*(\d+)\s*(d|wd|h)\s*", re.I)
_LIMIT_UNITS = {"d": Text("{}日", "{} days"), "wd": Text("{}个工作日", "{} working days"),
                "h": Text("{}小时", "{} hours")}


def time_limit(value: str, lang: str) -> str:
    """A step's time limit in words: ``5d`` → 5日, ``10wd`` → 10个工作日, ``24h`` →
    24小时; anything else as written."""
    match = _LIMIT.fullmatch(value)
    if not match:
        return value
    return _LIMIT_UNITS[match.group(2).lower()](lang).format(int(match.group(1)))


def short_basis(text: str, lang: str) -> str:
    """The first citation of a legal basis, without the country's name that every
    national law carries (《中华人民共和国行政许可法》 → 《行政许可法》), "等" when
    there were more."""
    parts = [part.strip() for part in re.split(r"[；;\n]", text) if part.strip()]
    if not parts:
        return ""
    first = parts[0].replace("中华人民共和国", "")
    return first + (Text("等", " etc.")(lang) if len(parts) > 1 else "")


LIMIT_WORD = Text("时限", "Limit")
BASIS_WORD = Text("依据", "Basis")


def step_label(name: str, details: list[str], grade: int | None, badges: list[str],
               lang: str, name_columns: int = LINE_WIDTH) -> str:
    """The HTML-like label of a step's box: its name, then ``details`` (post, time
    limit, basis: already in words) in smaller text, then its grade and badges."""
    rows = [f"<TR><TD>{lines_of(name, name_columns, MAX_LINES)}</TD></TR>"]
    for detail in details:
        rows.append(f'<TR><TD><FONT POINT-SIZE="{SMALL_SIZE}" COLOR="{INK_SOFT}">'
                    f"{lines_of(detail, LINE_WIDTH + 4, 2)}</FONT></TD></TR>")
    marks = _marks(grade, badges, lang)
    if marks:
        rows.append(f"<TR><TD>{marks}</TD></TR>")
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            + "".join(rows) + "</TABLE>>")


def _marks(grade: int | None, badges: list[str], lang: str) -> str:
    """The grade as a word and the rule codes as badges, a few to a row."""
    cells = [f'<TD><FONT POINT-SIZE="{SMALL_SIZE}"><B>{escaped(GRADE_NAMES[grade](lang))}'
             f"</B></FONT></TD>"] if grade else []
    cells += [badge(code) for code in badges]
    if not cells:
        return ""
    rows = ["".join(cells[i:i + BADGES_PER_ROW + 1])
            for i in range(0, len(cells), BADGES_PER_ROW + 1)]
    return ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">'
            + "".join(f"<TR>{row}</TR>" for row in rows) + "</TABLE>")


def badge(code: str) -> str:
    """A rule code as a badge cell: light text on a dark red box of a fixed size,
    since Graphviz stretches a cell, and its fill, to the width of its row."""
    width = round(len(code) * SMALL_SIZE * 0.64 + 8)
    height = round(SMALL_SIZE * 1.5 + 4)
    return (f'<TD BGCOLOR="{BADGE_FILL}" FIXEDSIZE="TRUE" WIDTH="{width}" '
            f'HEIGHT="{height}"><FONT POINT-SIZE="{SMALL_SIZE}" COLOR="{BADGE_INK}">'
            f"{escaped(code)}</FONT></TD>")


def plain(text: str, size: int = SMALL_SIZE, colour: str | None = None,
          columns: int = 16, max_lines: int = 2) -> str:
    """A short text (an edge's label, a connector) as an HTML-like label."""
    attributes = f' POINT-SIZE="{size}"' + (f' COLOR="{colour}"' if colour else "")
    return f"<<FONT{attributes}>{lines_of(text, columns, max_lines)}</FONT>>"


def circled(number: int) -> str:
    """A connector's number as printed flowcharts write it: ① … ㊿, then (51)."""
    if 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if 21 <= number <= 35:
        return chr(0x3251 + number - 21)
    if 36 <= number <= 50:
        return chr(0x32B1 + number - 36)
    return f"({number})"

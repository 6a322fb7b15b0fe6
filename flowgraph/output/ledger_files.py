"""The risk ledger as files: an Excel workbook (openpyxl) or a CSV file.

The workbook's sheets: the ledger (one row per risk point, in the columns the
configuration chooses: :data:`~flowgraph.vocabulary.DEFAULT_LEDGER_COLUMNS` by default),
with ``per_unit`` one ledger sheet per unit after it, the posts (each post's grade over
its unit, its leaders and key-post flags), the bodies outside the units (their steps
are not the units' risk points), and the summary (the figures of
:mod:`flowgraph.output.stats`) by batch and by unit.

Every sheet prints: A4 landscape, all columns fitted to the page's width and as many
pages down as it takes, the heading row repeated on every page, the sheet's title in
the page header and the page number in the footer. Long texts wrap; ledger columns have
widths chosen for Chinese text and rows heights that hold their longest cell; the
heading row is frozen and filtered; grade cells are filled red, orange and yellow with
the grade also written as text (colours are lost on paper and to colour-blind readers).
The bytes are the same for the same input: the document's dates and the archive's time
stamps are fixed.

The CSV is the ledger sheet alone, UTF-8 with a byte-order mark so that Excel opens the
Chinese text correctly, and is otherwise plain RFC 4180.

Cells are text: every text cell, in both files, goes through
:func:`~flowgraph.files.cell_text`, so that a label such as ``=cmd|' /C calc'!A0`` or
``=HYPERLINK(…)`` is shown, never evaluated (it gains a leading single quote, as OWASP
recommends for formula injection, and keeps it if the workbook is saved again as CSV),
and control characters, which a workbook cannot hold, are shown as escapes (``\\x01``).
Numbers flowgraph computes (counts, amounts) stay numbers. Rows are written in time
linear in their number (a 3,000-flowchart batch's 12,000 rows take seconds).
"""
from __future__ import annotations

import csv
import io
from copy import copy

from ..files import cell_text, display_width, workbook_bytes
from ..grading.posts import OutsideBody, Post
from ..i18n import Text
from ..io.workbook import printable, row_height
from ..previous import PreviousLedger
from ..results import Review
from ..vocabulary import DOMAIN_NAMES, GRADES, grade_name
from .ledger import LedgerRow, cells, headings, rows
from .ledger_previous import RECTIFIED_SHEET, UNREVIEWED_SHEET, Carried, carry
from .stats import UNIT_HEAD, figure_rows, statistics, unit_rows

#: Grade fills as practice shows them: 一级 red, 二级 orange, 三级 yellow.
GRADE_FILLS = {1: "FFFF4D4F", 2: "FFFFA940", 3: "FFFFE58F"}
#: The widest a column sized to its contents grows (other sheets than the ledger).
MAX_WIDTH = 60
#: Widths of the ledger's columns, in a spreadsheet's widths (a Chinese character takes
#: about two): the default columns add up to what an A4 landscape page shows at about
#: three quarters of the size, so that the 11-point text prints at 8 points
#: (tests/test_ledger_print.py measures it).
LEDGER_WIDTHS = {
    "number": 4.5, "unit": 7.5, "section": 7, "power_item": 9.5, "category": 6.5,
    "label": 9.5, "post": 8, "risk": 24, "grade": 5.5, "measures_in_place": 11.5,
    "suggested_measures": 24, "direct": 7.5, "department": 7.5, "leader": 7.5,
    "overseers": 7.5, "time_limit": 6, "basis": 19, "rectification": 8, "findings": 6,
    "declared_grade": 5.5, "reasons": 24, "key_post": 5, "risk_category": 8,
    "library_risk": 24, "file": 16, "flowchart": 11, "step": 9, "holders": 8,
    "years_held": 6.5, "fingerprint": 10,
}
POST_COLUMNS = (
    ("unit", Text("单位", "Unit")),
    ("name", Text("岗位", "Post")),
    ("grade", Text("岗位等级", "Post grade")),
    ("department", Text("部门责任人", "Department head")),
    ("responsible", Text("责任领导", "Responsible leader")),
    ("flowcharts", Text("所在流程图数", "Flowcharts")),
    ("risk_points", Text("风险点数", "Risk points")),
    ("decisions", Text("决定环节数", "Decisions")),
    ("high_stakes", Text("利害重大的环节数", "High-stakes steps")),
    ("money", Text("经手金额（元）", "Money under control (yuan)")),
    ("domains", Text("人财事", "People, money, affairs")),
    ("findings", Text("问题", "Findings")),
    ("key_post", Text("关键岗位", "Key post")),
    ("key_post_reasons", Text("关键岗位理由", "Why a key post")),
)
BODY_HEAD = (Text("单位", "Unit"), Text("外单位机构", "Body outside the unit"),
             Text("认定理由", "Why outside"), Text("所在流程图", "Flowcharts"),
             Text("环节数", "Steps"))


def _yes(flag: bool, lang: str) -> str:
    return Text("是", "yes")(lang) if flag else ""


def post_cells(post: Post, lang: str) -> list:
    return [
        post.unit, post.name, grade_name(post.grade, lang),
        post.department(lang) if post.department else "",
        post.responsible(lang) if post.responsible else "",
        len(post.flowcharts), post.risk_points, post.decisions, post.high_stakes,
        post.money, "".join(DOMAIN_NAMES[d](lang) for d in ("people", "money", "affairs")
                            if d in post.domains),
        ", ".join(f"{code} ×{count}" for code, count in sorted(post.findings.items())),
        _yes(post.is_key_post, lang),
        Text("；", "; ")(lang).join(reason(lang) for reason in post.key_post_reasons),
    ]


def body_cells(body: OutsideBody, lang: str) -> list:
    return [body.unit, body.name, body.reason(lang), Text("、", ", ")(lang).join(
        body.flowcharts), body.steps]


def _cells(values: list) -> list:
    """A row's values as cells: texts neutralised (:func:`~flowgraph.files.cell_text`),
    numbers as they are."""
    return [cell_text(value) if isinstance(value, str) else value for value in values]


def write_csv(review: Review, lang: str) -> bytes:
    """The ledger as CSV bytes (UTF-8 with BOM), in the review's columns."""
    columns = review.ledger_columns
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_cells(headings(columns, lang)))
    for row in rows(review, lang):
        writer.writerow(_cells(cells(row, columns, lang)))
    return buffer.getvalue().encode("utf-8-sig")


def _style_of(sheet, alignment):
    """The style array of a cell aligned so, to copy onto every cell of a sheet (asked
    before anything is written: the first cell is then blank): each assignment of a
    style object looks it up in the workbook's styles by its hash, which took more
    than half of a city's ledger's time; copying the array that indexes them does
    not."""
    probe = sheet.cell(row=1, column=1)
    saved = copy(probe._style)
    probe.alignment = alignment
    wrapped = copy(probe._style)
    probe._style = saved
    return wrapped


def _sheet(workbook, title: str, header: list[str], body: list[list], lang: str,
           grade_columns=(), widths: list[float] | None = None, printed: str | None = None):
    """A sheet of ``header`` and ``body`` (cells already neutralised), styled and set up
    for printing under the page title ``printed`` (the sheet's title by default).
    Columns are ``widths`` wide, rows as high as their longest cell, when ``widths``
    is given; otherwise columns fit their contents (up to :data:`MAX_WIDTH`). Each cell
    is placed by its row and column: asking the sheet for its last row after each
    append costs a scan of the sheet, quadratic time in all."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    sheet = workbook.create_sheet(title)
    wrapped = _style_of(sheet, Alignment(vertical="top", wrap_text=True))
    bold, middle = Font(bold=True), Alignment(vertical="center", wrap_text=True)
    heading_fill = PatternFill("solid", fgColor="FFDDEBF7")
    for column, value in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column, value=value)
        cell.font, cell.alignment, cell.fill = bold, middle, heading_fill
    fills = {cell_text(grade_name(g, lang)): PatternFill("solid", fgColor=GRADE_FILLS[g])
             for g in GRADES for lang in ("zh", "en")}
    for row, values in enumerate(body, start=2):
        for column, value in enumerate(values, start=1):
            # an empty cell is still styled: a unit fills in 整改情况 and the like
            cell = sheet.cell(row=row, column=column, value=None if value == "" else value)
            if column in grade_columns and value in fills:
                cell._style = copy(wrapped)
                cell.fill = fills[value]
            else:
                cell._style = wrapped  # shared: nothing sets a style on it later
    if widths is None:
        widths = [min(max([display_width(name)] + [display_width(str(values[index]))
                                                    for values in body]) + 2, MAX_WIDTH)
                  for index, name in enumerate(header)]
    else:
        for row, values in enumerate([header, *body], start=1):
            sheet.row_dimensions[row].height = row_height(values, widths)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if body:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(body) + 1}"
    printable(sheet, printed or title, lang)
    return sheet


#: The width of the columns a carried ledger adds: 上年记录, then the office's own.
RECORD_WIDTH, OWN_WIDTH = 24, 12


def _ledger_sheet(workbook, title: str, printed: str, ledger: list[LedgerRow],
                  columns: tuple[str, ...], lang: str, renumber: bool = False,
                  carried: Carried | None = None) -> None:
    """A ledger sheet of ``ledger``'s rows in ``columns`` (numbered from 1 again when
    ``renumber``: a unit's own sheet), with the columns last year's ledger adds after
    them (``carried``)."""
    body = []
    for number, row in enumerate(ledger, start=1):
        values = cells(row, columns, lang)
        if renumber and "number" in columns:
            values[columns.index("number")] = number
        if carried is not None:
            values += carried.extras[row.number]
        body.append(_cells(values))
    grade_columns = tuple(columns.index(name) + 1 for name in ("grade", "declared_grade")
                          if name in columns)
    header = headings(columns, lang)
    widths = [LEDGER_WIDTHS[name] for name in columns]
    if carried is not None:
        header += carried.headings
        widths += [RECORD_WIDTH] + [OWN_WIDTH] * (len(carried.headings) - 1)
    _sheet(workbook, title, _cells(header), body, lang, grade_columns, widths, printed)


def sheet_title(name: str, used: set[str]) -> str:
    """A unit's name as a sheet's title: the characters a sheet's title may not hold
    (``[]:*?/\\``) replaced, at most 31 characters, unique in the workbook."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "_"
    title, number = base[:31], 1
    while title.casefold() in used:
        number += 1
        suffix = f"~{number}"
        title = base[:31 - len(suffix)] + suffix
    used.add(title.casefold())
    return title


def write_xlsx(review: Review, lang: str, per_unit: bool = False,
               previous: PreviousLedger | None = None) -> bytes:
    """The ledger workbook as bytes: the ledger (and with ``per_unit`` one ledger sheet
    per unit), posts, bodies outside the units, summary and units sheets; with
    ``previous`` (last year's ledger as the office filled it in) its rectification
    carried forward and the items gone on sheets of their own
    (:mod:`.ledger_previous`)."""
    from openpyxl import Workbook
    workbook = Workbook()
    workbook.remove(workbook.active)
    columns = review.ledger_columns
    ledger = rows(review, lang, fingerprinted=previous is not None)
    carried = None
    if previous is not None:
        if "rectification" not in columns:
            columns = (*columns, "rectification")
        carried = carry(ledger, previous, lang, review.programme)
        ledger = carried.rows
    name = Text("风险点台账", "Ledger")(lang)
    titles = {Text("岗位", "Posts")(lang), Text("外单位", "Outside bodies")(lang),
              Text("统计", "Summary")(lang), Text("各单位", "Units")(lang),
              RECTIFIED_SHEET(lang), UNREVIEWED_SHEET(lang)}
    used = {title.casefold() for title in (name, *titles)}
    _ledger_sheet(workbook, name, Text("廉政风险点台账", "Integrity risk ledger")(lang),
                  ledger, columns, lang, carried=carried)
    if per_unit:
        by_unit: dict[str, list[LedgerRow]] = {}
        for row in ledger:
            by_unit.setdefault(row.unit, []).append(row)
        for unit, unit_ledger in by_unit.items():
            shown = unit or Text("（未写明单位）", "(no unit)")(lang)
            _ledger_sheet(workbook, sheet_title(shown, used),
                          Text(f"{shown}廉政风险点台账", f"Integrity risk ledger: {shown}")(lang),
                          unit_ledger, columns, lang, renumber=True, carried=carried)
    if carried is not None:
        for sheet, gone in ((RECTIFIED_SHEET, carried.rectified),
                            (UNREVIEWED_SHEET, carried.unreviewed)):
            if gone:
                _sheet(workbook, sheet(lang), _cells(carried.previous_headings),
                       [_cells(cells_) for cells_ in gone], lang)
    _sheet(workbook, Text("岗位", "Posts")(lang), _cells([t(lang) for _, t in POST_COLUMNS]),
           [_cells(post_cells(post, lang)) for post in review.posts], lang, grade_columns=(3,))
    _sheet(workbook, Text("外单位", "Outside bodies")(lang), _cells([t(lang) for t in BODY_HEAD]),
           [_cells(body_cells(body, lang)) for body in review.bodies], lang)
    figures = statistics(review, lang)
    _sheet(workbook, Text("统计", "Summary")(lang),
           _cells([Text("项目", "Figure")(lang), Text("数量", "Count")(lang)]),
           [_cells(list(row)) for row in figure_rows(figures, lang)], lang)
    _sheet(workbook, Text("各单位", "Units")(lang), _cells([t(lang) for t in UNIT_HEAD]),
           [_cells(row) for row in unit_rows(figures)], lang)
    workbook.properties.creator = "flowgraph"
    return workbook_bytes(workbook)


def write_ledger(review: Review, path: str, lang: str, per_unit: bool = False,
                 previous: PreviousLedger | None = None) -> None:
    """Write the ledger to ``path`` (``.xlsx`` or ``.csv``), whole or not at all;
    ``previous`` (an .xlsx ledger only) carries last year's forward."""
    from ..files import write_atomic
    data = write_csv(review, lang) if path.lower().endswith(".csv") else \
        write_xlsx(review, lang, per_unit, previous)
    write_atomic(path, data)

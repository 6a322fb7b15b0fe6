"""The risk ledger as files: an Excel workbook (openpyxl) or a CSV file.

The workbook has three sheets: the ledger (one row per risk point), the posts (each
post's grade over its unit, leader and key-post flags) and the summary (the figures of
:mod:`flowgraph.stats`). Header rows are frozen and filtered, columns sized to their
contents (a Chinese character is two columns wide), long texts wrapped, and grade cells
filled red, orange and yellow with the grade also written as text (colours are lost on
paper and to colour-blind readers). The bytes are the same for the same input: the
document's dates and the archive's time stamps are fixed.

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
import re
import unicodedata
import zipfile
from datetime import datetime

from ..files import cell_text
from ..grading.posts import Post
from ..i18n import Text
from ..results import Review
from ..vocabulary import DOMAIN_NAMES, GRADES, grade_name
from .ledger import COLUMNS, LedgerRow, rows
from .stats import UNIT_HEAD, figure_rows, statistics, unit_rows

#: Grade fills as practice shows them: 一级 red, 二级 orange, 三级 yellow.
GRADE_FILLS = {1: "FFFF4D4F", 2: "FFFFA940", 3: "FFFFE58F"}
FIXED_TIME = datetime(2000, 1, 1)
STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
MAX_WIDTH = 60

POST_COLUMNS = (
    ("unit", Text("单位", "Unit")),
    ("name", Text("岗位", "Post")),
    ("grade", Text("岗位等级", "Post grade")),
    ("responsible", Text("责任领导", "Responsible leader")),
    ("flowcharts", Text("所在流程图数", "Flowcharts")),
    ("risk_points", Text("风险点数", "Risk points")),
    ("decisions", Text("决定环节数", "Decisions")),
    ("high_stakes", Text("高风险环节数", "High-stakes steps")),
    ("money", Text("经手金额 (元)", "Money under control (yuan)")),
    ("domains", Text("人财事", "People, money, affairs")),
    ("findings", Text("问题", "Findings")),
    ("key_post", Text("关键岗位", "Key post")),
    ("key_post_reasons", Text("关键岗位理由", "Why a key post")),
)


def _yes(flag: bool, lang: str) -> str:
    return Text("是", "yes")(lang) if flag else ""


def ledger_cells(row: LedgerRow, lang: str) -> list:
    """A ledger row as the cells of a sheet or CSV line, in column order."""
    cells = []
    for name, _ in COLUMNS:
        value = getattr(row, name)
        if name in ("grade", "declared_grade"):
            value = grade_name(value, lang)
        elif name == "key_post":
            value = _yes(value, lang)
        cells.append(value)
    return cells


def post_cells(post: Post, lang: str) -> list:
    return [
        post.unit, post.name, grade_name(post.grade, lang),
        post.responsible(lang) if post.responsible else "",
        len(post.flowcharts), post.risk_points, post.decisions, post.high_stakes,
        post.money, "".join(DOMAIN_NAMES[d](lang) for d in ("people", "money", "affairs")
                            if d in post.domains),
        ", ".join(f"{code} ×{count}" for code, count in sorted(post.findings.items())),
        _yes(post.is_key_post, lang),
        "; ".join(reason(lang) for reason in post.key_post_reasons),
    ]


def _cells(values: list) -> list:
    """A row's values as cells: texts neutralised (:func:`~flowgraph.files.cell_text`),
    numbers as they are."""
    return [cell_text(value) if isinstance(value, str) else value for value in values]


def write_csv(review: Review, lang: str) -> bytes:
    """The ledger as CSV bytes (UTF-8 with BOM)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_cells([title(lang) for _, title in COLUMNS]))
    for row in rows(review, lang):
        writer.writerow(_cells(ledger_cells(row, lang)))
    return buffer.getvalue().encode("utf-8-sig")


def _width(value) -> int:
    """Display width of a cell's longest line: CJK characters count double."""
    text = "" if value is None else str(value)
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.split("\n")), default=0)


def _sheet(workbook, title: str, header: list[str], body: list[list], grade_columns=()):
    """A sheet of ``header`` and ``body`` (cells already neutralised), styled. Each cell
    is placed by its row and column: asking the sheet for its last row after each
    append, as before, costs a scan of the sheet, quadratic time in all."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    sheet = workbook.create_sheet(title)
    bold, middle = Font(bold=True), Alignment(vertical="center", wrap_text=True)
    for column, value in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column, value=value)
        cell.font, cell.alignment = bold, middle
    wrap = Alignment(vertical="top", wrap_text=True)
    fills = {cell_text(grade_name(g, lang)): PatternFill("solid", fgColor=GRADE_FILLS[g])
             for g in GRADES for lang in ("zh", "en")}
    for row, values in enumerate(body, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.alignment = wrap
            if column in grade_columns and value in fills:
                cell.fill = fills[value]
    for index, name in enumerate(header, start=1):
        widest = max([_width(name)] + [_width(values[index - 1]) for values in body])
        sheet.column_dimensions[get_column_letter(index)].width = min(widest + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    if body:
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def write_xlsx(review: Review, lang: str) -> bytes:
    """The ledger workbook as bytes: ledger, posts, summary and per-unit sheets."""
    from openpyxl import Workbook
    workbook = Workbook()
    workbook.remove(workbook.active)
    names = [name for name, _ in COLUMNS]
    ledger = [_cells(ledger_cells(row, lang)) for row in rows(review, lang)]
    _sheet(workbook, Text("风险点台账", "Ledger")(lang), _cells([t(lang) for _, t in COLUMNS]),
           ledger, grade_columns=(names.index("grade") + 1, names.index("declared_grade") + 1))
    _sheet(workbook, Text("岗位", "Posts")(lang), _cells([t(lang) for _, t in POST_COLUMNS]),
           [_cells(post_cells(post, lang)) for post in review.posts], grade_columns=(3,))
    figures = statistics(review, lang)
    _sheet(workbook, Text("统计", "Summary")(lang),
           _cells([Text("项目", "Figure")(lang), Text("数量", "Count")(lang)]),
           [_cells(list(row)) for row in figure_rows(figures, lang)])
    _sheet(workbook, Text("各单位", "Units")(lang), _cells([t(lang) for t in UNIT_HEAD]),
           [_cells(row) for row in unit_rows(figures)])
    workbook.properties.creator = "flowgraph"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_timestamps(buffer.getvalue())


def _fixed_timestamps(data: bytes) -> bytes:
    """The same archive with every member's time stamp, and the document's modified
    date (which openpyxl sets to the time of saving), fixed: reproducible bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + STAMP + rb"\g<2>", content)
            target.writestr(fixed, content)
    return out.getvalue()


def write_ledger(review: Review, path: str, lang: str) -> None:
    """Write the ledger to ``path`` (``.xlsx`` or ``.csv``), whole or not at all."""
    from ..files import write_atomic
    data = write_csv(review, lang) if path.lower().endswith(".csv") else \
        write_xlsx(review, lang)
    write_atomic(path, data)

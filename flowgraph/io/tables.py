"""Excel workbooks and CSV file sets (design.md §4): many flowcharts per workbook.

Three tables, found by sheet (or file) name, English or Chinese:

- ``steps`` / ``流程`` / ``环节``: ``flowchart``, ``step``, ``label``, ``kind``, ``actor``,
  ``next`` (the following steps' ids, separated by ``;``), ``discretion``, ``money``,
  ``people``, ``rights``, ``controls``, ``duty``, ``declared_grade``, ``watched_by``
  (the oversight or disclosure steps that watch this one), ``time_limit``, ``basis``,
  ``waive``;
- ``actors`` / ``岗位``: ``actor``, ``name``, ``rank``, ``reports_to``, ``collective``,
  ``oversight``, ``public``, and optionally ``flowchart`` (an actor without one belongs
  to every flowchart of the workbook: a unit's posts are shared);
- ``flowcharts`` / ``事项``: ``flowchart``, ``title``, ``unit``, ``category``, ``basis``,
  ``superior_in_charge`` (a flowchart missing here takes its id as title).

Column headers may be Chinese (``环节名称``, ``类型``, ``岗位``, ``下一步``, ``裁量权``,
``金额``, ``防控措施``, ``风险等级`` …; :data:`SYNONYMS`). A CSV set is the same tables as
``steps.csv`` (or ``流程.csv``), with ``actors.csv`` and ``flowcharts.csv`` beside it;
it is read from its steps file, in UTF-8 or GBK/GB18030 (:func:`decode_table`). Errors
name the sheet, the row as Excel numbers it and the column. openpyxl is imported only
when a workbook is read.

Tables are read as offices fill them (docs/formats.md): title rows above the heading
row, headings on two rows, headings with a unit (``金额（万元）`` scales the amounts),
merged cells (the value of a range merged over rows applies to each), a ``序号``
column, columns of the unit's own (named in a warning, not read).

What a table may make the reader build is bounded (:mod:`flowgraph.io.limits`): a
workbook's zip directory, then what its parts declare, before openpyxl reads it
(:mod:`flowgraph.io.workbook_bounds`); a CSV table's columns and rows; the flowcharts
of one file.
"""
from __future__ import annotations

import difflib
import io
import math
import re
import zipfile
import zlib
from pathlib import Path

from ..errors import LoadError
from ..files import from_cell
from ..i18n import Text
from ..model import NOTE_FIELDS, Flowchart
from .builder import ChartBuilder, Place
from .limits import DEFAULT_LIMITS, Limits, too_many
from .words import folded

SHEETS = {
    "steps": ("steps", "流程", "环节", "步骤"),
    "actors": ("actors", "岗位"),
    "flowcharts": ("flowcharts", "事项", "权力事项", "流程图"),
}
SYNONYMS = {
    "flowchart": ("flowchart", "流程图", "流程图编号", "事项编号", "事项"),
    "step": ("step", "步骤", "步骤编号", "环节编号", "编号"),
    "label": ("label", "环节", "环节名称", "步骤名称", "名称", "重要环节", "关键环节"),
    "kind": ("kind", "类型", "环节类型"),
    "actor": ("actor", "岗位", "承办岗位", "岗位编号", "办理岗位", "风险点涉及的岗位"),
    "next": ("next", "下一步", "下一环节", "后续环节"),
    "discretion": ("discretion", "裁量权", "自由裁量", "裁量"),
    "money": ("money", "金额", "涉及金额"),
    "people": ("people", "人事", "涉及人事"),
    "rights": ("rights", "权益", "涉及权益", "当事人权益"),
    "controls": ("controls", "防控措施", "控制措施", "措施"),
    "duty": ("duty", "职责", "职务"),
    "declared_grade": ("declared_grade", "风险等级", "申报等级", "等级"),
    "watched_by": ("watched_by", "监督", "监督环节", "被监督"),
    "time_limit": ("time_limit", "时限", "办理时限"),
    "basis": ("basis", "依据", "法律依据"),
    "waive": ("waive", "豁免"),
    # what a unit writes in its own risk table (the ledger's columns): kept as written
    "risk_description": ("risk_description", "风险点表现形式", "风险点描述", "风险点",
                         "廉政风险点表现形式", "廉政风险点", "风险表现形式", "风险描述"),
    "risk_category": ("risk_category", "风险类别", "风险类型"),
    "measures": ("measures", "现有防控措施", "已有防控措施", "防控要点", "防控措施说明"),
    "responsible_direct": ("responsible_direct", "直接责任人"),
    "responsible_department": ("responsible_department", "部门责任人"),
    "responsible_leader": ("responsible_leader", "责任领导", "责任人"),
    "rectification": ("rectification", "整改情况", "整改落实情况"),
    "name": ("name", "岗位名称", "名称"),
    "rank": ("rank", "级别", "职级"),
    "reports_to": ("reports_to", "上级", "汇报对象", "上级岗位"),
    "collective": ("collective", "集体人数", "集体"),
    "oversight": ("oversight", "监督机构"),
    "public": ("public", "公众"),
    "outside": ("outside", "外单位", "本单位以外"),
    "title": ("title", "事项名称", "权力事项", "标题", "名称"),
    "unit": ("unit", "单位"),
    "category": ("category", "类别", "权力类别"),
    "superior_in_charge": ("superior_in_charge", "上级分管领导", "分管领导"),
}
COLUMNS = {
    "steps": ("flowchart", "step", "label", "kind", "actor", "next", "discretion", "money",
              "people", "rights", "controls", "duty", "declared_grade", "watched_by",
              "time_limit", "basis", "waive", *NOTE_FIELDS),
    "actors": ("flowchart", "actor", "name", "rank", "reports_to", "collective",
               "oversight", "public", "outside"),
    "flowcharts": ("flowchart", "title", "unit", "category", "basis", "superior_in_charge"),
}
REQUIRED = {"steps": ("step", "kind"), "actors": ("actor",), "flowcharts": ("flowchart",)}


#: A heading's unit in brackets at its end: ``金额（万元）``, ``时限(工作日)``.
_UNIT = re.compile(r"^(.+?)\s*[（(]\s*([^（）()]*?)\s*[）)]$")
#: What an amount column's unit multiplies its numbers by, to yuan.
MONEY_UNITS = {"元": 1, "千元": 1_000, "万元": 10_000, "百万元": 1_000_000, "亿元": 100_000_000}
#: Headings of columns that number the rows for people: read as no column at all.
ROW_NUMBERS = ("序号", "no.", "no", "#")
#: Rows above the heading row a sheet may have (its title, its unit, a date …).
MAX_TITLE_ROWS = 10
#: A number written as text, as an amount column scaled by its unit holds it.
_PLAIN_NUMBER = re.compile(r"[¥￥]?\s*([0-9][0-9,，]*(?:\.[0-9]+)?)")


#: Each table's headings, folded, with the column they name (the first column of
#: :data:`COLUMNS` that has the heading: 名称 is a step's label, an actor's name).
_HEADINGS = {table: {folded(synonym): column for column in reversed(columns)
                     for synonym in SYNONYMS[column]} for table, columns in COLUMNS.items()}


def _canonical(table: str, header) -> str | None:
    """The column a heading names (:data:`SYNONYMS`), compared folded (full-width
    forms half-width, no spaces or line breaks, any case), or None."""
    return _HEADINGS[table].get(folded(str(header)))


def _heading(table: str, header) -> tuple[str | None, str | None]:
    """The column a heading names and the unit it states: ``金额（万元）`` →
    ``("money", "万元")``, ``环节名称`` → ``("label", None)``."""
    column = _canonical(table, header)
    if column is not None:
        return column, None
    unit = _UNIT.match(" ".join(str(header).split()))
    if unit and _canonical(table, unit.group(1)) is not None:
        return _canonical(table, unit.group(1)), folded(unit.group(2)) or None
    return None, None


def _known(table: str, row: list) -> set[str]:
    """The columns the cells of a row name as headings."""
    return {column for cell in row if isinstance(cell, str) and cell.strip()
            for column in (_heading(table, cell)[0],) if column is not None}


def _heading_rows(table: str, rows: list[list]) -> tuple[int, list]:
    """The index of the heading row (the first of the first rows that names at least
    two columns; rows above it are the sheet's title) and its headings; a heading row
    split in two (责任人 above 直接责任人, 部门责任人) gives the lower heading where it
    has one."""
    index = next((index for index, row in enumerate(rows[:MAX_TITLE_ROWS + 1])
                  if len(_known(table, row)) >= 2), None)
    if index is None:
        return 0, list(rows[0]) if rows else []
    headings = list(rows[index])
    below = rows[index + 1] if index + 1 < len(rows) else []
    cells = [cell for cell in below if isinstance(cell, str) and cell.strip()]
    if len(_known(table, below)) >= 2 and all(_heading(table, c)[0] for c in cells):
        for number, cell in enumerate(below):
            if isinstance(cell, str) and cell.strip():
                headings[number] = cell
        index += 1
    return index, headings


class _Table:
    """One sheet: its rows as dicts of canonical columns, each with its row as the
    spreadsheet numbers it. Rows above the heading row are the sheet's title; a
    heading's unit scales an amount (``金额（万元）``) or follows a bare number
    (``时限（工作日）``); a column headed 序号 is not read; any other heading naming no
    column is an error when it is close to one (a typo would otherwise drop a
    column), else kept (on the steps sheet, as each step's ``extra``) and named in a
    warning."""

    def __init__(self, table: str, sheet: str, rows: list[list], source: str):
        self.table, self.sheet, self.source = table, sheet, source
        self.columns: dict[str, str] = {}
        #: Each column's number, as the spreadsheet counts them (A is 1).
        self.numbers: dict[str, int] = {}
        self.units: dict[str, str] = {}
        #: The headings of columns not read, each with its number.
        self.unread: list[tuple[int, str]] = []
        heading_index, headings = _heading_rows(table, rows)
        self.heading_row = heading_index + 1
        self._read_headings(headings)
        self.rows = self._read_rows(rows[heading_index + 1:])

    def _read_headings(self, headings: list) -> None:
        """Each column's heading, number and unit; the required columns present."""
        table, sheet, source = self.table, self.sheet, self.source
        for number, header in enumerate(headings, start=1):
            if header is None or (isinstance(header, str) and not header.strip()) or \
                    (isinstance(header, float) and math.isnan(header)):
                continue
            header = str(header).strip()
            column, unit = _heading(table, header)
            if column is None:
                self._unknown(header, number)
                continue
            if column in self.columns:
                raise LoadError(Text(
                    f"工作表 “{sheet}”：列 “{header}” 与 “{self.columns[column]}” 重复",
                    f"sheet '{sheet}': column '{header}' repeats '{self.columns[column]}'"),
                    source, self.heading_row)
            if unit is not None and column == "money" and unit not in MONEY_UNITS:
                units = "、".join(MONEY_UNITS)
                raise LoadError(Text(
                    f"工作表 “{sheet}”：列 “{header}” 的单位 “{unit}” 无法识别（可用：{units}）",
                    f"sheet '{sheet}': the unit '{unit}' of column '{header}' is not "
                    f"understood (expected one of: {units})"), source, self.heading_row)
            self.columns[column] = header
            self.numbers[column] = number
            if unit is not None:
                self.units[column] = unit
        for column in REQUIRED[table]:
            if column not in self.columns:
                raise LoadError(Text(f"工作表 “{sheet}” 缺少必需的列 “{column}”",
                                     f"sheet '{sheet}' lacks the required column "
                                     f"'{column}'"), source, self.heading_row)

    def _read_rows(self, records: list[list]) -> list[tuple[int, dict]]:
        """The rows below the heading row with a value, each with its number; a value
        in a column with no heading is refused."""
        headed = {number for number, _ in self.unread} | set(self.numbers.values())
        rows = []
        for row, record in enumerate(records, start=self.heading_row + 1):
            for number, cell in enumerate(record, start=1):
                if number not in headed and _clean(cell) is not None:
                    letter = column_letter(number)
                    raise LoadError(Text(
                        f"工作表 “{self.sheet}” 第 {row} 行，{letter} 列：该列没有标题（标题在"
                        f"第 {self.heading_row} 行）",
                        f"sheet '{self.sheet}', row {row}, column {letter}: a value under no "
                        f"heading (the headings are in row {self.heading_row})"),
                        self.source, row, number)
            values = {column: self._value(column, record[number - 1]
                                          if number <= len(record) else None)
                      for column, number in self.numbers.items()}
            if any(v is not None for v in values.values()):
                if self.table == "steps":
                    values["extra"] = {header: _clean(record[number - 1])
                                       for number, header in self.unread
                                       if header and number <= len(record)}
                rows.append((row, values))
        return rows

    def _unknown(self, header: str, number: int) -> None:
        """A heading that names no column: 序号 is not read, a near miss of a column's
        name is refused, any other is noted as not read."""
        if folded(header) in ROW_NUMBERS:
            self.unread.append((number, ""))
            return
        names = [synonym for column in COLUMNS[self.table] for synonym in SYNONYMS[column]]
        near = difflib.get_close_matches(header, names, 1, 0.75)
        if near:
            known = ", ".join(COLUMNS[self.table])
            raise LoadError(Text(
                f"工作表 “{self.sheet}”：未知的列 “{header}”（是否应为 “{near[0]}”？允许："
                f"{known} 或其中文名称）",
                f"sheet '{self.sheet}': unknown column '{header}' (did you mean "
                f"'{near[0]}'? expected: {known} or their Chinese names)"),
                self.source, self.heading_row, number)
        self.unread.append((number, header))

    def _value(self, column: str, cell):
        """A cell's value, scaled or completed by its column's unit."""
        value = _clean(cell)
        unit = self.units.get(column)
        if value is None or unit is None:
            return value
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else None
        if isinstance(value, str) and (plain := _PLAIN_NUMBER.fullmatch(value.strip())):
            number = float(plain.group(1).replace(",", "").replace("，", ""))
        if number is None:
            return value  # 50万 in a column of 万元: the cell's own unit
        if column == "money":
            return number * MONEY_UNITS[unit]
        return f"{value}{unit}" if column == "time_limit" else value

    def warnings(self) -> list[Text]:
        """The sheet's columns that name none: on the steps sheet kept as each step's
        own (``Step.extra``), on the others not read."""
        unread = [f"{column_letter(number)} “{header}”" for number, header in self.unread if header]
        if not unread:
            return []
        columns = "、".join(unread)
        if self.table == "steps":
            return [Text(f"工作表 “{self.sheet}”：列 {columns} 不是 flowgraph 的列，原样保留"
                         f"（不参与检查）",
                         f"sheet '{self.sheet}': columns {columns} are not flowgraph's: "
                         f"kept as written (no rule reads them)")]
        return [Text(f"工作表 “{self.sheet}”：未读取的列 {columns}（不是 flowgraph 的列）",
                     f"sheet '{self.sheet}': columns not read: {columns} (not flowgraph's)")]

    def place(self, row: int) -> Place:
        """Where a row was written; a value of it is named by its cell (_Cells)."""
        return Place(row, None, self.context(row), _Cells(self, row))

    def context(self, row: int) -> Text:
        return Text(f"工作表 “{self.sheet}” 第 {row} 行", f"sheet '{self.sheet}', row {row}")


class _Cells:
    """Where each value of one row was written, for an error to point at: its cell
    (the row and the column's number) and, in words, the sheet, the row and the
    column as the unit headed it."""

    __slots__ = ("table", "row")

    def __init__(self, table: _Table, row: int):
        self.table, self.row = table, row

    def at(self, field: str, _entry: str | None = None, _key: bool = False) -> Place:
        return Place(self.row, self.table.numbers.get(field), self.table.context(self.row))

    def subject(self, field: str) -> Text:
        """``sheet '流程', row 7, column D '环节类型' (kind)``."""
        context = self.table.context(self.row)
        header = self.table.columns.get(field)
        if header is None:
            return Text(f"{context.zh} 的 `{field}`", f"{context.en}: {field}")
        letter = column_letter(self.table.numbers[field])
        named = Text("", "") if header == field else Text(f"（`{field}`）", f" ({field})")
        return Text(f"{context.zh}，{letter} 列 “{header}”{named.zh}",
                    f"{context.en}, column {letter} '{header}'{named.en}")


def column_letter(number: int) -> str:
    """A column's letters as a spreadsheet shows them: 1 → A, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _clean(value):
    """A cell's value: ``None`` when empty; a text as it was before a writer quoted it
    against formulas (:func:`~flowgraph.files.from_cell`)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return from_cell(value) if value.strip() else None
    return value


#: A workbook may unpack to at most this many bytes, and no part of it to more than
#: :data:`MAX_ZIP_RATIO` times its packed size: beyond that it is a zip bomb.
MAX_UNPACKED = 256 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_ZIP_ENTRIES = 10_000


def _refuse_zip_bombs(data: bytes, name: str) -> None:
    """Check a workbook's zip directory before anything unpacks it. The sizes it
    declares bound what is unpacked: Python's zipfile never inflates an entry past
    its declared size."""
    import zipfile
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LoadError(Text(f"不是有效的 Excel 工作簿（xlsx 为 zip 文件）：{exc}",
                             f"not a valid Excel workbook (an .xlsx is a zip file): {exc}"),
                        name) from None
    total = sum(entry.file_size for entry in entries)
    ratio = max((entry.file_size / max(entry.compress_size, 1) for entry in entries
                 if entry.file_size > 1024 * 1024), default=0)
    if len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNPACKED or ratio > MAX_ZIP_RATIO:
        raise LoadError(Text(
            f"工作簿解压后达 {total:,} 字节（{len(entries)} 个部件，压缩比 {ratio:.0f}），"
            f"疑为压缩炸弹，不予读取",
            f"the workbook would unpack to {total:,} bytes ({len(entries)} parts, "
            f"compression ratio {ratio:.0f}): a zip bomb, refused"), name)


def _refuse_what_it_declares(data: bytes, name: str, limits: Limits) -> None:
    """Check what a workbook's parts declare against ``limits``
    (:func:`~flowgraph.io.workbook_bounds.check_workbook`); a part that cannot be
    inflated makes the workbook invalid."""
    from .workbook_bounds import check_workbook
    try:
        check_workbook(zipfile.ZipFile(io.BytesIO(data)), name, limits)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError) as exc:  # a corrupt part, encryption …
        raise LoadError(Text(f"不是有效的 Excel 工作簿：{exc}",
                             f"not a valid Excel workbook: {exc}"), name) from None


def workbook_sheets(data: bytes, name: str, limits: Limits, rows: int, columns: int
                    ) -> list[tuple[str, list[list]]]:
    """Every sheet of a workbook that is not a flowchart's (a roster, a previous
    ledger) as its title and rows of values: the zip and what its parts declare
    checked against ``limits`` before openpyxl builds anything, then read-only with
    the values last saved (no formula is evaluated), at most ``columns`` a row; a
    sheet of more than ``rows`` rows is refused."""
    _refuse_zip_bombs(data, name)
    _refuse_what_it_declares(data, name, limits)
    import openpyxl
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                      keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise LoadError(Text(f"无法读取 Excel 工作簿：{exc}",
                             f"cannot read the Excel workbook: {exc}"), name) from None
    sheets = []
    try:
        for sheet in book.worksheets:
            values = []
            for cells in sheet.iter_rows(max_col=columns, values_only=True):
                if len(values) == rows:
                    raise LoadError(Text(
                        f"工作表 “{sheet.title}” 超过 {rows:,} 行，不予读取",
                        f"sheet '{sheet.title}' holds more than {rows:,} rows: refused"),
                        name)
                values.append(list(cells))
            sheets.append((sheet.title, values))
    finally:
        book.close()
    return sheets


def _frames_from_workbook(data: bytes, name: str, limits: Limits
                          ) -> dict[str, tuple[str, list[list]]]:
    """The tables of a workbook as rows of values, by table: the sheets named for them
    (the others are not read), each read as pandas would
    (:func:`~flowgraph.io.workbook_bounds.sheet_rows`) within ``limits``, the value of
    a merged range given to each row it covers (:func:`_fill_merged`)."""
    _refuse_zip_bombs(data, name)
    _refuse_what_it_declares(data, name, limits)
    from openpyxl import load_workbook

    from .workbook_bounds import merged_ranges, sheet_parts, sheet_rows
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = sheet_parts(archive)
    found = {}
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                             keep_links=False)
        try:
            for sheet in book.sheetnames:
                table = next((table for table, names in SHEETS.items()
                              if sheet.strip().casefold() in (n.casefold() for n in names)),
                             None)
                if table is not None:
                    rows = sheet_rows(book[sheet], sheet, name, limits)
                    if sheet in parts:
                        cells = sum(map(len, rows))
                        _fill_merged(rows, merged_ranges(archive, parts[sheet], sheet, name,
                                                         cells), sheet, name, cells)
                    found[table] = (sheet, rows)
        finally:
            book.close()
    except LoadError:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise LoadError(Text(f"无法读取 Excel 工作簿：{exc}",
                             f"cannot read the Excel workbook: {exc}"), name) from None
    return found


def _fill_merged(rows: list[list], ranges: list[tuple[int, int, int, int]], sheet: str,
                 name: str, cells: int) -> None:
    """Give the value of each merged range (first row, first column, last row, last
    column; 1-based) to every row it covers, in its first column: a step's 岗位 or
    风险等级 written once for the rows of a merged cell holds for each. A range reaching
    past the rows read covers those it reaches; a range across columns only keeps its
    value in its first column (where a spreadsheet shows it). Ranges that overlap past
    the ``cells`` of the table (a spreadsheet never writes such) are refused."""
    budget = cells
    for top, left, bottom, _right in ranges:
        if top > len(rows) or left > len(rows[top - 1]):
            continue
        value = rows[top - 1][left - 1]
        covered = rows[top:min(bottom, len(rows))]
        budget -= len(covered)
        if budget < 0:
            raise LoadError(Text(f"工作表 “{sheet}”：合并单元格相互重叠",
                                 f"sheet '{sheet}': merged ranges overlap"), name)
        for row in covered:
            if left <= len(row) and row[left - 1] == "":
                row[left - 1] = value


def csv_companions(path: Path) -> dict[str, Path]:
    """The other tables of the CSV set whose steps file is ``path``, by table: for
    each, the first of its names (``actors.csv``, ``岗位.csv`` …) that is a file beside
    it. What the reader reads, and what an output must never replace."""
    found = {}
    for table in ("actors", "flowcharts"):
        for stem in SHEETS[table]:
            sibling = path.with_name(stem + path.suffix)
            if sibling.is_file():
                found[table] = sibling
                break
    return found


def _frames_from_csv(path: Path, data: bytes, max_size: int, limits: Limits
                     ) -> dict[str, tuple[str, list[list]]]:
    from . import read_bytes
    found = {"steps": (path.name, data)}
    for table, sibling in csv_companions(path).items():
        found[table] = (sibling.name, read_bytes(sibling, max_size))
    frames = {}
    for table, (sheet, raw) in found.items():
        source = str(path.with_name(sheet))
        frames[table] = (sheet, _csv_rows(decode_table(raw, source), source, limits))
    return frames


def decode_table(data: bytes, name: str) -> str:
    """A CSV file's text: UTF-8 (with or without the BOM Excel writes), else GB18030, a
    superset of GBK, the encoding Excel saves CSV in on Chinese Windows; UTF-16 and
    bytes neither decodes are refused at the first bad byte."""
    from .yaml_format import _decode
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return _decode(data, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return _decode(data, name)  # the UTF-8 error, at its line and column


def _csv_rows(text: str, source: str, limits: Limits) -> list[list]:
    """One CSV table's rows of text, fewer than ``limits.rows`` rows (its title and
    heading rows included) and ``limits.columns`` columns. An error names its line:
    for a quote never closed, the line where it opened (:func:`_unclosed_quote`)."""
    import csv
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=True)
    rows: list[list] = []
    try:
        for row in reader:
            if len(row) > limits.columns:
                raise LoadError(too_many("列", "columns", limits.columns, None), source,
                                reader.line_num)
            if len(rows) >= limits.rows:
                raise LoadError(too_many("行", "rows", limits.rows), source, limits.rows + 1)
            rows.append(row)
    except csv.Error as exc:
        opened = _unclosed_quote(text)
        if opened is not None:
            raise LoadError(Text("引号未闭合：从此处开始的带引号字段直到文件末尾都没有结束引号",
                                 "a quoted field opened here is never closed (no closing "
                                 "quote before the end of the file)"), source, *opened) \
                from None
        raise LoadError(Text(f"CSV 格式错误：{exc}", f"malformed CSV: {exc}"), source,
                        reader.line_num) from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    return rows


#: A quoted field from its start (at the start of a line or after a comma, spaces
#: allowed before the quote) to its closing quote or the end of the text.
_QUOTED_FIELD = re.compile(r'(?m)(?:^|(?<=,))[ \t]*"(?:[^"]|"")*("?)')


def _unclosed_quote(text: str) -> tuple[int, int] | None:
    """The line and column of the quote of a field that is never closed, or None."""
    for field in _QUOTED_FIELD.finditer(text):
        if not field.group(1):
            start = text.index('"', field.start())
            line = text.count("\n", 0, start) + 1
            return line, start - (text.rfind("\n", 0, start) + 1) + 1
    return None


def read_workbook(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> list[Flowchart]:
    """Every flowchart of an Excel workbook, what it may build bounded by ``limits``."""
    return _charts(_frames_from_workbook(data, name, limits), name, limits)


def read_csv_set(path: str, data: bytes, max_size: int, limits: Limits = DEFAULT_LIMITS
                 ) -> list[Flowchart]:
    """Every flowchart of a CSV set, read from its steps file, what it may build
    bounded by ``limits``."""
    return _charts(_frames_from_csv(Path(path), data, max_size, limits), str(path), limits)


def _charts(frames: dict, name: str, limits: Limits) -> list[Flowchart]:
    if "steps" not in frames:
        raise LoadError(Text("找不到步骤表（工作表 steps 或 流程）",
                             "no steps table (a sheet named steps or 流程)"), name)
    tables = {table: _Table(table, sheet, rows, name) for table, (sheet, rows)
              in frames.items()}
    steps = tables["steps"]
    order: list[str] = []
    by_chart: dict[str, list] = {}
    for row, values in steps.rows:
        chart_id = str(values.get("flowchart") or Path(name).stem).strip()
        if chart_id not in by_chart:
            if len(order) == limits.charts:
                raise LoadError(too_many("流程图", "flowcharts in one file", limits.charts,
                                         None), name, row)
            order.append(chart_id)
            by_chart[chart_id] = []
        by_chart[chart_id].append((row, values))
    meta = {}
    if "flowcharts" in tables:
        for row, values in tables["flowcharts"].rows:
            meta[str(values["flowchart"]).strip()] = (row, values)
    return [_chart(chart_id, by_chart[chart_id], tables, meta, name, limits,
                   first=index == 0) for index, chart_id in enumerate(order)]


def _chart(chart_id: str, rows: list, tables: dict, meta: dict, name: str,
           limits: Limits, first: bool) -> Flowchart:
    """One flowchart of a workbook or CSV set: its row of the flowcharts table, its
    actors (those of the chart, and those of no chart in particular), its steps; the
    first carries what the file holds that is not read (columns no table has)."""
    builder = ChartBuilder(name, limits)
    for table in tables.values() if first else ():
        for warning in table.warnings():
            builder.warn(Place(table.heading_row), warning.zh, warning.en)
    builder.set_meta("id", chart_id, Place())
    row, values = meta.get(chart_id, (None, {}))
    place = tables["flowcharts"].place(row) if row else Place()
    builder.set_meta("title", values.get("title") or chart_id, place)
    for key in ("unit", "category", "basis", "superior_in_charge"):
        builder.set_meta(key, values.get(key), place)
    if "actors" in tables:
        for row, values in tables["actors"].rows:
            owner = values.get("flowchart")
            if owner is None or str(owner).strip() == chart_id:
                builder.add_actor(values.get("actor"), tables["actors"].place(row),
                                  **{k: values.get(k) for k in COLUMNS["actors"][2:]})
    steps = tables["steps"]
    for row, values in rows:
        builder.add_step(values.get("step"), steps.place(row), kind=values.get("kind"),
                         extra=values.get("extra"),
                         **{k: values.get(k) for k in COLUMNS["steps"][2:]
                            if k not in ("kind", "next", "watched_by")})
    for row, values in rows:
        place = steps.place(row)
        step_id = builder.text(values.get("step"), "step", place)
        for target, label in builder.ends(values.get("next"), "next", place):
            builder.add_edge("flow", step_id, target, place, label)
        for watcher, label in builder.ends(values.get("watched_by"), "watched_by", place):
            builder.add_edge("oversight", watcher, step_id, place, label)
    return builder.build(chart_id)

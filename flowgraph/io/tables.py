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
it is read from its steps file. Errors name the sheet, the row as Excel numbers it and
the column. pandas and openpyxl are imported only when a table is read.

What a table may make the reader build is bounded (:mod:`flowgraph.io.limits`): a
workbook's zip directory, then what its parts declare, before pandas reads it
(:mod:`flowgraph.io.workbook_bounds`); a CSV table's columns and rows; the flowcharts
of one file.
"""
from __future__ import annotations

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


def _canonical(table: str, header: str) -> str | None:
    key = " ".join(str(header).split()).casefold()
    for column in COLUMNS[table]:
        if key in (s.casefold() for s in SYNONYMS[column]):
            return column
    return None


class _Table:
    """One sheet: its rows as dicts of canonical columns, each with its Excel row."""

    def __init__(self, table: str, sheet: str, frame, source: str):
        self.table, self.sheet, self.source = table, sheet, source
        self.columns: dict[str, str] = {}
        #: Each column's number, as the spreadsheet counts them (A is 1).
        self.numbers: dict[str, int] = {}
        for number, header in enumerate(frame.columns, start=1):
            column = _canonical(table, header)
            if column is None:
                known = ", ".join(COLUMNS[table])
                raise LoadError(Text(
                    f"工作表 “{sheet}”: 未知的列 “{header}” (允许: {known} 或其中文名称)",
                    f"sheet '{sheet}': unknown column '{header}' (expected: {known} or "
                    f"their Chinese names)"), source, 1)
            if column in self.columns:
                raise LoadError(Text(
                    f"工作表 “{sheet}”: 列 “{header}” 与 “{self.columns[column]}” 重复",
                    f"sheet '{sheet}': column '{header}' repeats '{self.columns[column]}'"),
                    source, 1)
            self.columns[column] = str(header)
            self.numbers[column] = number
        for column in REQUIRED[table]:
            if column not in self.columns:
                raise LoadError(Text(f"工作表 “{sheet}” 缺少必需的列 “{column}”",
                                     f"sheet '{sheet}' lacks the required column "
                                     f"'{column}'"), source, 1)
        self.rows = []
        for index, record in enumerate(frame.to_dict("records")):
            values = {column: _clean(record[header]) for column, header in self.columns.items()}
            if any(v is not None for v in values.values()):
                self.rows.append((index + 2, values))

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
            return Text(f"{context.zh}: {field}", f"{context.en}: {field}")
        letter = _letter(self.table.numbers[field])
        named = "" if header == field else f" ({field})"
        return Text(f"{context.zh}, {letter} 列 “{header}”{named}",
                    f"{context.en}, column {letter} '{header}'{named}")


def _letter(number: int) -> str:
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
        raise LoadError(Text(f"不是有效的 Excel 工作簿 (xlsx 为 zip 文件): {exc}",
                             f"not a valid Excel workbook (an .xlsx is a zip file): {exc}"),
                        name) from None
    total = sum(entry.file_size for entry in entries)
    ratio = max((entry.file_size / max(entry.compress_size, 1) for entry in entries
                 if entry.file_size > 1024 * 1024), default=0)
    if len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNPACKED or ratio > MAX_ZIP_RATIO:
        raise LoadError(Text(
            f"工作簿解压后达 {total:,} 字节 ({len(entries)} 个部件, 压缩比 {ratio:.0f}), "
            f"疑为压缩炸弹, 不予读取",
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
        raise LoadError(Text(f"不是有效的 Excel 工作簿: {exc}",
                             f"not a valid Excel workbook: {exc}"), name) from None


def _frames_from_workbook(data: bytes, name: str, limits: Limits
                          ) -> dict[str, tuple[str, object]]:
    """The tables of a workbook as frames, by table: the sheets named for them (the
    others are not read), each read as pandas' ``read_excel`` reads it
    (:func:`~flowgraph.io.workbook_bounds.sheet_rows`, then pandas' own parser of
    rows), within ``limits``."""
    _refuse_zip_bombs(data, name)
    _refuse_what_it_declares(data, name, limits)
    from openpyxl import load_workbook

    from .workbook_bounds import sheet_rows
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
                    found[table] = (sheet, _frame(sheet_rows(book[sheet], sheet, name, limits)))
        finally:
            book.close()
    except LoadError:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise LoadError(Text(f"无法读取 Excel 工作簿: {exc}",
                             f"cannot read the Excel workbook: {exc}"), name) from None
    return found


def _frame(rows: list[list]):
    """A sheet's rows as the frame pandas' ``read_excel`` makes of them: the first row
    the header, values kept as they are (``dtype=object``); a cell reading ``NA``,
    ``None`` or ``null`` is that text (``keep_default_na=False``), only an empty cell
    is missing."""
    import pandas as pd
    from pandas.errors import EmptyDataError
    from pandas.io.parsers import TextParser
    if not rows:
        return pd.DataFrame()
    try:
        return TextParser(rows, header=0, dtype=object, skip_blank_lines=False,
                          keep_default_na=False).read()
    except EmptyDataError:
        return pd.DataFrame()


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
                     ) -> dict[str, tuple[str, object]]:
    from . import read_bytes
    from .yaml_format import _decode
    found = {"steps": (path.name, data)}
    for table, sibling in csv_companions(path).items():
        found[table] = (sibling.name, read_bytes(sibling, max_size))
    frames = {}
    for table, (sheet, raw) in found.items():
        source = str(path.with_name(sheet))
        frames[table] = (sheet, _csv_frame(_decode(raw, source), source, limits))
    return frames


#: Where pandas says a CSV error is: ``… in line 7, saw 5``.
_PANDAS_LINE = re.compile(r"\bline (\d+)")


def _csv_frame(text: str, source: str, limits: Limits):
    """One CSV table as a frame of text, at most ``limits.rows`` rows and
    ``limits.columns`` columns. An error names its line: for a quote never closed, the
    line where it opened (:func:`_unclosed_quote`; pandas reports the end of the file,
    or no line)."""
    import pandas as pd
    header = text[:text.find("\n")] if "\n" in text else text
    if header.count(",") >= limits.columns:
        raise LoadError(too_many("列", "columns", limits.columns, None), source, 1)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=object, keep_default_na=False,
                            skipinitialspace=True, nrows=limits.rows)
    except Exception as exc:  # pandas' parser errors name the line in their text
        opened = _unclosed_quote(text)
        if opened is not None:
            raise LoadError(Text("引号未闭合: 从此处开始的带引号字段直到文件末尾都没有结束引号",
                                 "a quoted field opened here is never closed (no closing "
                                 "quote before the end of the file)"), source, *opened) \
                from None
        line = _PANDAS_LINE.search(str(exc))
        raise LoadError(Text(f"CSV 格式错误: {exc}", f"malformed CSV: {exc}"), source,
                        int(line.group(1)) if line else None) from None
    if len(frame) >= limits.rows:
        raise LoadError(too_many("行", "rows", limits.rows), source, limits.rows + 1)
    return frame


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
        raise LoadError(Text("找不到步骤表 (工作表 steps 或 流程)",
                             "no steps table (a sheet named steps or 流程)"), name)
    tables = {table: _Table(table, sheet, frame, name) for table, (sheet, frame)
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
    return [_chart(chart_id, by_chart[chart_id], tables, meta, name, limits)
            for chart_id in order]


def _chart(chart_id: str, rows: list, tables: dict, meta: dict, name: str,
           limits: Limits) -> Flowchart:
    """One flowchart of a workbook or CSV set: its row of the flowcharts table, its
    actors (those of the chart, and those of no chart in particular), its steps."""
    builder = ChartBuilder(name, limits)
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

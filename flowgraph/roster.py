"""The roster (在岗人员名册): who holds which post of which unit since when, and when
they signed the post's integrity commitment (岗位廉政承诺书).

A roster comes from a personnel office, as an Excel workbook, a CSV file or YAML
(docs/programme.md). One row per person and post:

============  =================================  ==========================
heading       also accepted                      value
============  =================================  ==========================
单位          unit, 单位名称, 所在单位           the unit, as its charts name it
科室          section, 部门, 内设机构, 所在科室  optional: the section
岗位          post, 岗位名称, 职位, 职务         the post's title
姓名          name, 在岗人员, 人员               the person
任职起始日期  since, 任职时间, 任现职时间 …     the day they took the post
廉政承诺书    commitment_signed, 承诺书签订日期  optional: the day they signed
签订日期      …                                  (empty: not signed)
============  =================================  ==========================

Other columns (性别, 职级, 备注 …) are left alone: a roster is a personnel list and
keeps more than flowgraph needs. The heading row may come after a title row (the
first ten rows are searched). Dates may be date cells, Excel serial numbers or text
as offices write them (:func:`flowgraph.dates.parse_date`).

The roster is untrusted input like every other: its size is bounded (``max_file_size``,
the workbook's unpacked size, :data:`MAX_ROWS` rows), no formula is evaluated (a
workbook's cells are read as last saved), and every problem names the file, the sheet,
the row and the column as the office headed it, and what was expected. A missing
required column, a required cell left empty, a date that is not one or that lies after
the audit's date are errors, all of them reported at once (:class:`RosterError`): a
holder whose date cannot be read would otherwise escape the rotation check unseen.
What the roster says about the charts (a post no chart has, a person listed twice) is
judged where rows are matched to posts (:mod:`flowgraph.rotation`), as warnings.
"""
from __future__ import annotations

import datetime as _datetime
import io
import os
from dataclasses import dataclass
from pathlib import Path

from .dates import FORMATS_SHOWN, FORMATS_SHOWN_ZH, NotADate, parse_date
from .errors import FlowgraphError, LoadError
from .files import from_cell
from .i18n import Text

#: The roster's columns, with the headings accepted for each (compared without spaces
#: and case): Chinese first, as offices head them, then English.
HEADINGS: dict[str, tuple[str, ...]] = {
    "unit": ("单位", "单位名称", "所在单位", "unit"),
    "section": ("科室", "部门", "内设机构", "所在科室", "处室", "section", "department"),
    "post": ("岗位", "岗位名称", "职位", "职务", "post", "position"),
    "name": ("姓名", "在岗人员", "人员", "人员姓名", "name", "holder"),
    "since": ("任职起始日期", "任职时间", "任现职时间", "任职日期", "到岗时间", "到岗日期",
              "起始日期", "任职起始时间", "since", "start", "startdate"),
    "commitment_signed": ("廉政承诺书签订日期", "岗位廉政承诺书签订日期", "承诺书签订日期",
                          "签订廉政承诺书日期", "廉政承诺书", "commitmentsigned",
                          "commitment"),
}
REQUIRED = ("unit", "post", "name", "since")
#: Sheet names a roster is looked for under first (otherwise: the first sheet with
#: the headings).
SHEET_NAMES = ("在岗人员名册", "名册", "在岗人员", "花名册", "人员名册", "roster")
#: The most data rows a roster may hold: a city's staff with room to spare.
MAX_ROWS = 200_000
#: The most columns read of a sheet, and the rows searched for the headings.
MAX_COLUMNS = 200
HEADING_ROWS = 10
#: The most problems listed when a roster is refused.
MAX_PROBLEMS = 50

EXPECTED = Text("单位、岗位、姓名、任职起始日期（可选：科室、廉政承诺书签订日期）",
                "单位/unit, 岗位/post, 姓名/name, 任职起始日期/since (optional: 科室/section, "
                "廉政承诺书签订日期/commitment_signed)")


@dataclass(frozen=True)
class Holder:
    """One row of a roster: a person holding a post of a unit since a day."""

    unit: str
    post: str
    name: str
    since: _datetime.date
    commitment: _datetime.date | None = None
    section: str | None = None
    #: The row's number among the roster's rows (from 1), its line (the spreadsheet's
    #: row, or the YAML line) and where it is, in words (工作表 “名册” 第 7 行).
    number: int = 0
    line: int | None = None
    where: Text = Text("", "")


@dataclass(frozen=True)
class Roster:
    """A roster as read: its rows in order, and whether it has a commitment column
    (without one, commitments are not checked: the roster says nothing of them)."""

    path: str
    holders: tuple[Holder, ...]
    has_commitments: bool = True


class RosterError(LoadError):
    """A roster that cannot be used: each problem (``problems``) names its file, row
    and column; :meth:`describe` gives one line for each."""

    def __init__(self, problems: list[FlowgraphError]):
        first = problems[0]
        super().__init__(first.message, first.path, first.line, first.column)
        self.problems = problems

    def __reduce__(self):
        return (type(self), (self.problems,))

    def describe(self, lang: str) -> str:
        shown = [problem.describe(lang) for problem in self.problems[:MAX_PROBLEMS]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(Text(f"…另有 {more} 处问题未列出", f"… and {more} more")(lang))
        return "\n".join(shown)


def _key(heading) -> str:
    return "".join(str(heading).split()).replace("_", "").casefold()


_COLUMN_OF = {_key(heading): column for column, headings in HEADINGS.items()
              for heading in headings}


def column_of(heading) -> str | None:
    """The roster column a heading names (``任职起始日期`` → ``since``), or None."""
    if heading is None:
        return None
    return _COLUMN_OF.get(_key(from_cell(str(heading))))


class _Grid:
    """One table of a roster (a sheet, a CSV file): its rows of cells, and how its
    rows and cells are named in messages."""

    def __init__(self, path: str, sheet: str | None, rows: list[tuple[int, list]]):
        self.path, self.sheet, self.rows = path, sheet, rows

    def where(self, row: int) -> Text:
        if self.sheet is None:
            return Text(f"第 {row} 行", f"row {row}")
        return Text(f"工作表 “{self.sheet}” 第 {row} 行", f"sheet '{self.sheet}', row {row}")

    def error(self, row: int | None, column: int | None, heading: str | None,
              message: Text) -> LoadError:
        if row is None:
            place = Text("", "") if self.sheet is None else \
                Text(f"工作表 “{self.sheet}”：", f"sheet '{self.sheet}': ")
        else:
            at = self.where(row)
            from .io.tables import column_letter
            letter = column_letter(column) if column is not None else ""
            cell = Text("", "") if column is None else \
                Text(f"，{letter} 列 “{heading}”", f", column {letter} '{heading}'")
            place = Text(f"{at.zh}{cell.zh}：", f"{at.en}{cell.en}: ")
        return LoadError(Text(place.zh + message.zh, place.en + message.en), self.path,
                         row, column)

    def header(self) -> tuple[int, dict[str, tuple[int, str]]] | None:
        """The heading row within the first rows: its number and, by column name, the
        column's number and heading as written; None when no row has two headings."""
        for row, cells in self.rows[:HEADING_ROWS]:
            found: dict[str, tuple[int, str]] = {}
            for number, value in enumerate(cells, start=1):
                column = column_of(value)
                if column is not None and column not in found:
                    found[column] = (number, str(value).strip())
            if len(found) >= 2:
                return row, found
        return None


def _cell_text(value) -> str | None:
    """A cell's text, or None when empty: a workbook's leading quote against formulas
    taken away (:func:`~flowgraph.files.from_cell`), spaces around trimmed."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = from_cell(str(value)).strip()
    return text or None


def _holders(grid: _Grid, as_of: _datetime.date) -> tuple[list[Holder], bool]:
    """The rows of a table with its headings, checked; every problem is collected and
    raised together (:class:`RosterError`)."""
    header = grid.header()
    if header is None:
        raise RosterError([grid.error(None, None, None, Text(
            f"找不到名册的表头；应有列：{EXPECTED.zh}",
            f"no roster headings found; expected the columns {EXPECTED.en}"))])
    heading_row, columns = header
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        names = "、".join(HEADINGS[column][0] for column in missing)
        names_en = ", ".join(f"{HEADINGS[column][0]}/{column}" for column in missing)
        raise RosterError([grid.error(heading_row, None, None, Text(
            f"缺少必需的列 {names}；应有列：{EXPECTED.zh}",
            f"lacks the required column(s) {names_en}; expected the columns "
            f"{EXPECTED.en}"))])
    holders: list[Holder] = []
    problems: list[FlowgraphError] = []
    for row, cells in grid.rows:
        if row <= heading_row:
            continue
        values = {column: cells[number - 1] if number <= len(cells) else None
                  for column, (number, _) in columns.items()}
        if all(_cell_text(value) is None for value in values.values()):
            continue
        if len(holders) >= MAX_ROWS:
            raise RosterError([grid.error(row, None, None, Text(
                f"名册超过 {MAX_ROWS:,} 行，不予读取", f"the roster holds more than "
                f"{MAX_ROWS:,} rows: refused"))])
        found: dict[str, object] = {}
        for column, value in values.items():
            number, heading = columns[column]
            if column in ("since", "commitment_signed"):
                found[column] = _date(grid, row, number, heading, value, as_of, problems,
                                      required=column == "since")
            else:
                text = _cell_text(value)
                if text is None and column in REQUIRED:
                    problems.append(grid.error(row, number, heading, Text(
                        "不能为空", "must not be empty")))
                found[column] = text
        if any(found.get(column) is None for column in REQUIRED):
            continue
        holders.append(Holder(
            unit=found["unit"], post=found["post"], name=found["name"], since=found["since"],
            commitment=found.get("commitment_signed"), section=found.get("section"),
            number=len(holders) + 1, line=row, where=grid.where(row)))
    if problems:
        raise RosterError(problems)
    return holders, "commitment_signed" in columns


def _date(grid: _Grid, row: int, number: int, heading: str, value, as_of: _datetime.date,
          problems: list, required: bool) -> _datetime.date | None:
    """A date cell, or None (a problem noted) when it is empty and required, not a
    date, or after the audit's date."""
    if _cell_text(value) is None:
        if required:
            problems.append(grid.error(row, number, heading, Text(
                f"不能为空；应为日期（如 {FORMATS_SHOWN_ZH}）",
                f"must not be empty; expected a date (such as {FORMATS_SHOWN})")))
        return None
    if isinstance(value, str):
        value = from_cell(value)
    try:
        day = parse_date(value)
    except NotADate as exc:
        problems.append(grid.error(row, number, heading, Text(
            f"应为日期（如 {FORMATS_SHOWN_ZH}），实为{exc.zh}",
            f"expected a date (such as {FORMATS_SHOWN}), got {exc.en}")))
        return None
    if day > as_of:
        problems.append(grid.error(row, number, heading, Text(
            f"日期 {day.isoformat()} 晚于审查日期 {as_of.isoformat()}（用 --as-of 指定审查日期）",
            f"the date {day.isoformat()} is after the audit's date {as_of.isoformat()} "
            f"(give the audit's date with --as-of)")))
        return None
    return day


def _workbook_grids(data: bytes, path: str) -> list[_Grid]:
    """Each sheet of a workbook as a grid, those named like a roster first. Read-only
    and with the values last saved: no formula is evaluated."""
    from .io.limits import Limits
    from .io.tables import workbook_sheets
    sheets = workbook_sheets(data, path, Limits(steps=MAX_ROWS, columns=MAX_COLUMNS),
                             MAX_ROWS + HEADING_ROWS, MAX_COLUMNS)
    grids = [_Grid(path, title, list(enumerate(rows, start=1))) for title, rows in sheets]
    named = [g for g in grids if _key(g.sheet) in {_key(n) for n in SHEET_NAMES}]
    return named + [g for g in grids if g not in named]


def _csv_grid(data: bytes, path: str) -> _Grid:
    import csv

    from .io.yaml_format import _decode
    text = _decode(data, path)
    try:
        rows = [(number, row) for number, row in
                enumerate(csv.reader(io.StringIO(text, newline="")), start=1)]
    except csv.Error as exc:
        raise LoadError(Text(f"CSV 格式错误：{exc}", f"malformed CSV: {exc}"), path) from None
    return _Grid(path, None, rows)


def _yaml_grid(data: bytes, path: str) -> _Grid:
    """A YAML roster as a grid: a list of mappings (or one under ``roster`` /
    ``在岗人员``) whose keys are the headings; each mapping's row is its line."""
    import yaml
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from .io.parser_problems import yaml_syntax_error
    from .io.yaml_format import _decode, _Loader, _refuse_unprintable
    text = _decode(data, path)
    _refuse_unprintable(text, path)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LoadError(yaml_syntax_error(str(getattr(exc, "problem", None) or exc)), path,
                        mark.line + 1 if mark else None,
                        mark.column + 1 if mark else None) from None
    expected = Text("应为名册：每人一项的列表（或 `roster:`、`在岗人员:` 下的列表），每项含 "
                    "单位、岗位、姓名、任职起始日期",
                    "expected a roster: a list with an item for each person (or such a "
                    "list under roster: / 在岗人员:), each with 单位/unit, 岗位/post, "
                    "姓名/name, 任职起始日期/since")
    if isinstance(root, MappingNode) and len(root.value) == 1 and \
            isinstance(root.value[0][0], ScalarNode) and \
            _key(root.value[0][0].value) in ("roster", "在岗人员", "在岗人员名册", "名册"):
        root = root.value[0][1]
    if not isinstance(root, SequenceNode):
        line = root.start_mark.line + 1 if root is not None else 1
        raise LoadError(expected, path, line, 1)
    budget = 2 * len(text) + 1000
    columns: list[str] = []
    rows: list[tuple[int, list]] = []
    for item in root.value:
        if not isinstance(item, MappingNode):
            raise LoadError(expected, path, item.start_mark.line + 1,
                            item.start_mark.column + 1)
        cells: dict[int, object] = {}
        for key, value in item.value:
            budget -= 2
            if budget < 0 or not isinstance(key, ScalarNode):
                raise LoadError(expected, path, key.start_mark.line + 1,
                                key.start_mark.column + 1)
            if not isinstance(value, ScalarNode):
                raise LoadError(Text(f"“{key.value}” 的值应为文本或日期",
                                     f"the value of '{key.value}' should be text or a date"),
                                path, value.start_mark.line + 1, value.start_mark.column + 1)
            if key.value not in columns:
                columns.append(key.value)
            cells[columns.index(key.value) + 1] = value.value if value.tag != \
                "tag:yaml.org,2002:null" else None
        rows.append((item.start_mark.line + 1,
                     [cells.get(number) for number in range(1, len(columns) + 1)]))
        if len(rows) > MAX_ROWS:
            raise LoadError(Text(f"名册超过 {MAX_ROWS:,} 行，不予读取",
                                 f"the roster holds more than {MAX_ROWS:,} rows: refused"),
                            path)
    # one heading row made of every key used, before the first item's line
    return _YamlGrid(path, [(0, columns), *rows])


class _YamlGrid(_Grid):
    """A YAML roster: rows are items, named by their line; a column is a key."""

    def __init__(self, path: str, rows: list[tuple[int, list]]):
        super().__init__(path, None, rows)

    def where(self, row: int) -> Text:
        return Text(f"第 {row} 行的一项", f"the item on line {row}")

    def error(self, row, _column, heading, message: Text) -> LoadError:
        """A YAML value is named by its item's line and its key (no column)."""
        if row is None or row == 0:
            return LoadError(message, self.path, 1 if row == 0 else None)
        at = self.where(row)
        key = Text("", "") if heading is None else Text(f", “{heading}”", f", '{heading}'")
        return LoadError(Text(f"{at.zh}{key.zh}：{message.zh}", f"{at.en}{key.en}: "
                              f"{message.en}"), self.path, row)


#: Suffixes of the files a roster may be.
SUFFIXES = (".xlsx", ".csv", ".yaml", ".yml")


def read_roster(path: str | os.PathLike, as_of: _datetime.date,
                max_size: int | None = None) -> Roster:
    """The roster in the file at ``path`` (``.xlsx``, ``.csv``, ``.yaml``), its dates
    checked against the audit's date ``as_of``.

    Raises
    ------
    RosterError, LoadError
        Naming the file, sheet, row and column of every problem.
    """
    from .io import DEFAULT_MAX_FILE_SIZE, read_bytes
    name = os.fspath(path)
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise LoadError(Text(f"名册应为 {'、'.join(SUFFIXES)} 文件",
                             f"a roster is a {', '.join(SUFFIXES)} file"), name)
    data = read_bytes(path, max_size or DEFAULT_MAX_FILE_SIZE)
    if suffix == ".xlsx":
        grids = _workbook_grids(data, name)
        with_headings = [grid for grid in grids if grid.header() is not None]
        if not with_headings:
            sheets = "、".join(f"“{grid.sheet}”" for grid in grids)
            raise LoadError(Text(f"没有工作表含名册的表头（工作表：{sheets}）；应有列："
                                 f"{EXPECTED.zh}",
                                 f"no sheet holds the roster's headings (sheets: {sheets}); "
                                 f"expected the columns {EXPECTED.en}"), name)
        grid = with_headings[0]
    elif suffix == ".csv":
        grid = _csv_grid(data, name)
    else:
        grid = _yaml_grid(data, name)
    holders, commitments = _holders(grid, as_of)
    return Roster(name, tuple(holders), commitments)

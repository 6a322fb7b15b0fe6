"""Last year's ledger, as the office filled it in (``flowgraph ledger --previous``).

A unit files its ledger, then works on it for a year: it writes what was done in 整改情况,
edits other columns, sorts and filters the rows, deletes one it disagrees with, adds a
column of its own (备注). Next year's ledger must carry all of that forward
(:mod:`flowgraph.output.ledger_previous`); this module reads it back as plain data:
its sheet, its headings as written (each the ledger column it is, or None for the
office's own), and each row's cells whole, with the identity the rows of this year's
ledger are matched on:

- the row's fingerprint, when the ledger carries the ``指纹`` column (the risk point's
  stable identity: docs/decisions.md, "Fingerprints");
- otherwise its unit, power item, step and post, compared as meant
  (:func:`flowgraph.fingerprints.normalise`), the second of two alike numbered ``-2``
  as fingerprints are.

The file is untrusted like every input: bounded in size and rows, a workbook read as
last saved (no formula evaluated), and a file that is no such ledger (another tool's, or
one whose identifying columns were deleted) is refused with the file, the sheet and the
headings expected.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import LoadError
from .files import from_cell
from .fingerprints import normalise, numbered
from .i18n import Text
from .vocabulary import LEDGER_COLUMNS, ledger_column

#: The sheet the ledger is written on (either language); otherwise the first sheet
#: whose headings identify rows.
SHEETS = tuple(Text("风险点台账", "Ledger")(lang) for lang in ("zh", "en"))
#: What identifies a row without a fingerprint.
KEY_COLUMNS = ("unit", "power_item", "label", "post")
#: The most rows read, the rows searched for the headings, the columns read.
MAX_ROWS = 200_000
HEADING_ROWS = 10
MAX_COLUMNS = 200

EXPECTED = Text(
    "flowgraph ledger 写出的风险点台账，含列 "
    + "、".join(LEDGER_COLUMNS[c].zh for c in KEY_COLUMNS)
    + f"（或 {LEDGER_COLUMNS['fingerprint'].zh}）",
    "a risk ledger as flowgraph ledger writes it, with the columns "
    + ", ".join(f"{LEDGER_COLUMNS[c].zh}/{LEDGER_COLUMNS[c].en}" for c in KEY_COLUMNS)
    + f" (or {LEDGER_COLUMNS['fingerprint'].zh}/{LEDGER_COLUMNS['fingerprint'].en})")


@dataclass(frozen=True)
class PreviousRow:
    """One row of last year's ledger: its cells whole, in the sheet's order, and the
    identity it is matched on."""

    line: int
    cells: tuple
    identity: str

    def value(self, ledger: PreviousLedger, column: str):
        """The cell of a ledger column (``rectification`` …), or None without one."""
        index = ledger.index.get(column)
        return self.cells[index] if index is not None and index < len(self.cells) else None


@dataclass(frozen=True)
class PreviousLedger:
    """Last year's ledger: the file, the sheet, the year it stands for, its headings as
    written with the ledger column each is (None: a column of the office's own), and
    its rows."""

    path: str
    sheet: str | None
    year: int
    headings: tuple[str, ...]
    columns: tuple[str | None, ...]
    rows: tuple[PreviousRow, ...]
    #: Whether rows are matched by fingerprint (the ledger has the 指纹 column).
    by_fingerprint: bool

    @property
    def index(self) -> dict[str, int]:
        """Each ledger column's position among the cells."""
        return {column: number for number, column in enumerate(self.columns)
                if column is not None}

    @property
    def own(self) -> list[tuple[int, str]]:
        """The office's own columns: their positions and headings (a column without a
        heading that holds something is named by its letter)."""
        found = []
        for number, (heading, column) in enumerate(zip(self.headings, self.columns,
                                                       strict=True)):
            if column is not None:
                continue
            if heading:
                found.append((number, heading))
            elif any(_text(row.cells[number]) for row in self.rows):
                found.append((number, Text(f"（第 {number + 1} 列）",
                                           f"(column {number + 1})")("zh")))
        return found


def key(unit, power_item, label, post) -> str:
    """A row's identity without a fingerprint: its unit, power item, step and post as
    meant."""
    return "\x1f".join(normalise(_text(value)) for value in (unit, power_item, label, post))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return from_cell(str(value)).strip()


def _grids(data: bytes, path: str) -> list[tuple[str | None, list[list]]]:
    """Each sheet's rows (cells as last saved), or the CSV file's."""
    if Path(path).suffix.lower() == ".csv":
        import csv

        from .io.yaml_format import _decode
        try:
            rows = list(csv.reader(io.StringIO(_decode(data, path), newline="")))
        except csv.Error as exc:
            raise LoadError(Text(f"CSV 格式错误：{exc}", f"malformed CSV: {exc}"),
                            path) from None
        return [(None, rows[:MAX_ROWS + HEADING_ROWS + 1])]
    from .io.limits import Limits
    from .io.tables import workbook_sheets
    return workbook_sheets(data, path, Limits(steps=3 * MAX_ROWS, columns=MAX_COLUMNS),
                           MAX_ROWS + HEADING_ROWS + 1, MAX_COLUMNS)


def _header(rows: list[list]) -> tuple[int, list[str | None]] | None:
    """The heading row (its index) and the ledger column of each heading, when a row
    among the first names at least three of the ledger's columns."""
    for number, cells in enumerate(rows[:HEADING_ROWS]):
        columns = [ledger_column(_text(cell)) if _text(cell) else None for cell in cells]
        if sum(column is not None for column in columns) >= 3:
            return number, columns
    return None


def _width(rows: list[list]) -> int:
    """The columns in use: up to the last cell that holds anything (a workbook read
    row by row pads every row to the columns asked for)."""
    return max((number + 1 for cells in rows for number, cell in enumerate(cells)
                if _text(cell)), default=0)


def _where(sheet: str | None) -> Text:
    return Text(f"工作表 “{sheet}”：", f"sheet '{sheet}': ") if sheet else Text("", "")


def read_previous(path: str | os.PathLike, year: int, max_size: int | None = None
                  ) -> PreviousLedger:
    """Last year's ledger in the file at ``path`` (``.xlsx`` or ``.csv``), standing for
    ``year`` (the year its history lines are written under).

    Raises
    ------
    LoadError
        For a file that is not such a ledger, naming the file, the sheet and the
        headings expected.
    """
    from .io import DEFAULT_MAX_FILE_SIZE, read_bytes
    name = os.fspath(path)
    if Path(name).suffix.lower() not in (".xlsx", ".csv"):
        raise LoadError(Text(f"上年台账应为 .xlsx 或 .csv 文件；应为{EXPECTED.zh}",
                             f"last year's ledger is an .xlsx or .csv file; expected "
                             f"{EXPECTED.en}"), name)
    grids = _grids(read_bytes(path, max_size or DEFAULT_MAX_FILE_SIZE), name)
    named = [grid for grid in grids if grid[0] in SHEETS]
    chosen = None
    for sheet, rows in named + [grid for grid in grids if grid not in named]:
        header = _header(rows)
        if header is not None:
            chosen = (sheet, rows, header)
            break
    if chosen is None:
        sheets = "、".join(f"“{sheet}”" for sheet, _ in grids if sheet)
        listed = Text(f"（工作表：{sheets}）", f" (sheets: {sheets})") if sheets else \
            Text("", "")
        raise LoadError(Text(f"找不到台账的表头{listed.zh}；应为{EXPECTED.zh}",
                             f"no ledger headings found{listed.en}; expected {EXPECTED.en}"),
                        name)
    sheet, rows, (at, columns) = chosen
    seen: set[str] = set()
    for number, column in enumerate(columns):  # a column written twice: the office's
        if column is not None and column in seen:
            columns[number] = None
        seen.add(column)
    by_fingerprint = "fingerprint" in columns
    missing = [c for c in KEY_COLUMNS if c not in columns]
    if missing and not by_fingerprint:
        names = "、".join(LEDGER_COLUMNS[c].zh for c in missing)
        raise LoadError(Text(f"{_where(sheet).zh}第 {at + 1} 行的表头缺少列 {names}；"
                             f"应为{EXPECTED.zh}",
                             f"{_where(sheet).en}the headings on row {at + 1} lack "
                             f"{', '.join(LEDGER_COLUMNS[c].en for c in missing)}; expected "
                             f"{EXPECTED.en}"), name, at + 1)
    width = _width(rows[at:])
    headings = tuple(_text(cell) for cell in rows[at][:width]) + ("",) * (width - len(rows[at]))
    kept: list[tuple[int, tuple]] = []
    for number, cells in enumerate(rows[at + 1:], start=at + 2):
        cells = tuple(cells[:width]) + (None,) * (width - len(cells))
        if all(_text(cell) == "" for cell in cells):
            continue
        kept.append((number, cells))
    if by_fingerprint:
        place = columns.index("fingerprint")
        identities = [_text(cells[place]) for _, cells in kept]
    else:
        places = [columns.index(c) for c in KEY_COLUMNS]
        identities = numbered(key(*(cells[p] for p in places)) for _, cells in kept)
    return PreviousLedger(
        name, sheet, year, headings, tuple(columns[:width]) + (None,) * (width - len(columns)),
        tuple(PreviousRow(number, cells, identity)
              for (number, cells), identity in zip(kept, identities, strict=True)),
        by_fingerprint)

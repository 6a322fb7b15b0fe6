"""Reading an Excel workbook within bounds (docs/security.md).

openpyxl and pandas build what a workbook declares, not what it holds: pandas pads
every row to the widest, so one cell at XFD1048576 in a 5 KB file made a table of 17
billion cells; every shared string is read when the workbook opens, used or not (4.5
million of them took minutes). The zip directory bounds the bytes
(:func:`flowgraph.io.tables._refuse_zip_bombs`); this module bounds the rest, with the
limits of :mod:`flowgraph.io.limits`, in two steps:

1. before openpyxl opens the workbook, :func:`check_workbook` inflates every part a
   piece at a time and counts tags in its bytes: the cells of every sheet, the cells of
   the widest row, the shared strings, the sheets, the elements of the other parts
   (styles, relations …), and refuses a DTD. Tag names cannot be escaped in XML, so
   the count cannot be fooled; it runs at the speed of :meth:`bytes.count`.
2. :func:`sheet_rows` then reads a sheet row by row in openpyxl's read-only mode, as
   pandas did, and stops at the first row past the rows a sheet may have or reaching
   past its columns (a cell's place is an attribute, which XML may escape: it is
   checked once openpyxl has read it), naming the sheet and the cell.

Merged cells: openpyxl's read-only mode never expands them, but parses every range; their
number is bounded as the cells are, and :func:`merged_ranges` reads them for the tables
reader to give a range's value to each of its rows.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import LoadError
from ..i18n import Text
from .limits import Limits, too_many

#: Bytes inflated at a time.
PIECE = 1024 * 1024
#: Shared strings a workbook may hold beyond its cells: strings an edit left unused.
SPARE_STRINGS = 10_000



class _Tag:
    """The start tags of one element name in the bytes of XML, with a namespace
    prefix (``<x:c>``) or without; the quicker pattern without, where a piece holds no
    ``:name`` (tag names cannot be escaped, so that test is sound)."""

    def __init__(self, name: bytes):
        self.colon_name = b":" + name
        self.plain = re.compile(rb"<" + name + rb"[\s/>]")
        self.any = re.compile(rb"<(?:[\w.-]+:)?" + name + rb"[\s/>]")

    def pattern(self, piece: bytes) -> re.Pattern:
        return self.any if self.colon_name in piece else self.plain

    def count(self, piece: bytes) -> int:
        return len(self.pattern(piece).findall(piece))


_CELL, _ROW, _STRING, _SHEET = _Tag(b"c"), _Tag(b"row"), _Tag(b"si"), _Tag(b"sheet")
_MERGE_CELL = _Tag(b"mergeCell")
_ROOTS = (("sheet", _Tag(b"worksheet")), ("strings", _Tag(b"sst")),
          ("workbook", _Tag(b"workbook")))


@dataclass
class _Workbook:
    """What the parts of a workbook declare, counted from their bytes."""

    cells: int = 0
    strings: int = 0
    sheets: int = 0
    other_elements: int = 0
    #: merged ranges of every sheet (openpyxl builds each, even in read-only mode)
    merged: int = 0
    #: the widest row: its cells, the part holding it and its place among the rows
    widest: tuple[int, str, int] = (0, "", 0)


def check_workbook(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Refuse a workbook whose parts declare more than ``limits`` allow: cells (every
    sheet together), cells in one row, sheets, the elements of its other parts, shared
    strings beyond the cells that could use them (counted last, so that a workbook of
    millions of unused strings is refused after a few thousand); or that declares a
    DTD."""
    book = _Workbook()
    kinds = [(entry, _kind(next(_pieces(archive, entry, name), b"")))
             for entry in archive.infolist()]
    for entry, kind in kinds:
        if kind != "strings":
            _scan_part(archive, entry, book, name, kind)
        if book.cells > limits.cells or book.other_elements > limits.elements or \
                book.merged > limits.cells:
            break
    _check_counts(archive, book, name, limits)
    bound = min(limits.cells, book.cells + SPARE_STRINGS)
    for entry, kind in kinds:
        if kind == "strings":
            _scan_strings(archive, entry, book, name, bound)


def _check_counts(archive: zipfile.ZipFile, book: _Workbook, name: str,
                  limits: Limits) -> None:
    """Refuse the cells, the widest row, the sheets and the other elements counted."""
    if book.cells > limits.cells:
        raise LoadError(too_many("单元格", "cells in the workbook", limits.cells), name)
    if book.merged > limits.cells:
        raise LoadError(too_many("合并区域", "merged ranges in the workbook", limits.cells),
                        name)
    cells, part, row = book.widest
    if cells > limits.columns:
        where = _where(archive, part)
        message = too_many("列", "columns", limits.columns, None)
        raise LoadError(Text(f"{where.zh} 第 {row:,} 个行元素有 {cells:,} 个单元格: {message.zh}",
                             f"{where.en}, row element {row:,} holds {cells:,} cells: "
                             f"{message.en}"), name)
    if book.sheets > limits.sheets:
        raise LoadError(too_many("工作表", "sheets", limits.sheets, None), name)
    if book.other_elements > limits.elements:
        raise LoadError(too_many("XML 元素", "XML elements outside the sheets",
                                 limits.elements), name)


def _pieces(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """The inflated bytes of a part, about :data:`PIECE` at a time, each piece ending
    after a ``>`` so that no tag is cut in two; a part that declares a DTD is refused."""
    carry = b""
    with archive.open(entry) as stream:
        while block := stream.read(PIECE):
            block = carry + block
            cut = block.rfind(b">") + 1
            carry = block[cut:]
            if cut:
                yield _without_dtd(block[:cut], entry, name)
    if carry:
        yield _without_dtd(carry, entry, name)


def _without_dtd(piece: bytes, entry: zipfile.ZipInfo, name: str) -> bytes:
    if b"<!DOCTYPE" in piece or b"<!ENTITY" in piece:
        raise LoadError(Text(f"部件 {entry.filename} 声明了 DTD: 出于安全原因不予读取",
                             f"the part {entry.filename} declares a DTD, which is "
                             f"refused for safety"), name)
    return piece


def _kind(piece: bytes) -> str:
    """What a part is, from the root element in its first piece: a worksheet, the
    shared strings, the workbook (which lists the sheets), or another part."""
    return next((kind for kind, tag in _ROOTS if tag.any.search(piece)), "other")


def _scan_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, book: _Workbook,
               name: str, kind: str) -> None:
    """Count into ``book`` the cells of a part and its widest row (of any part:
    openpyxl reads cells wherever a sheet's relation points, whatever its root), the
    elements of a part that is not a worksheet, and the sheets the workbook lists."""
    row = current = 0  # the row element being counted, and its cells so far
    for piece in _pieces(archive, entry, name):
        book.cells += _CELL.count(piece)
        row, current = _widest_row(piece, book, entry.filename, row, current)
        if kind != "sheet":
            book.other_elements += piece.count(b"<") - piece.count(b"</") \
                - piece.count(b"<!") - piece.count(b"<?")
        if kind == "workbook":
            book.sheets += _SHEET.count(piece)
        elif kind == "sheet" and b"mergeCell" in piece:
            book.merged += _MERGE_CELL.count(piece)


def _scan_strings(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, book: _Workbook,
                  name: str, bound: int) -> None:
    """Count the shared strings, refusing them once past ``bound``."""
    for piece in _pieces(archive, entry, name):
        book.strings += _STRING.count(piece)
        if book.strings > bound:
            raise LoadError(Text(
                f"共享字符串过多: 超过 {bound:,} 个, 而工作簿只有 {book.cells:,} 个单元格",
                f"too many shared strings: more than {bound:,} for {book.cells:,} cells"),
                name)


def _widest_row(piece: bytes, book: _Workbook, part: str, row: int, current: int
                ) -> tuple[int, int]:
    """Note in ``book`` the row of a piece of a worksheet holding the most cells;
    ``row`` and ``current`` are the row element the piece begins in and its cells so
    far (a row may be cut across pieces). Returns them for the next piece."""
    segments = _ROW.pattern(piece).split(piece)
    count = _CELL.pattern(piece).findall
    current += len(count(segments[0]))
    for segment in segments[1:]:
        if current > book.widest[0]:
            book.widest = (current, part, row)
        row, current = row + 1, len(count(segment))
    if current > book.widest[0]:
        book.widest = (current, part, row)
    return row, current


def sheet_rows(sheet, title: str, name: str, limits: Limits) -> list[list]:
    """The values of a sheet read in openpyxl's read-only mode, as pandas reads them
    (an empty cell ``""``, an error cell NaN, a whole number an int; rows stripped of
    empty cells at the end, empty rows at the end dropped, every row as wide as the
    widest), refused at the first row past the rows a sheet may have or the first cell
    past its columns."""
    from openpyxl.cell.cell import TYPE_ERROR, TYPE_NUMERIC
    sheet.reset_dimensions()  # a sheet's declared size may be wrong, or hostile
    data: list[list] = []
    last = -1
    for number, row in enumerate(sheet.rows, 1):
        if number > limits.rows:
            _refuse(title, name, Text(f"第 {number:,} 行", f"row {number:,}"),
                    too_many("行", "rows", limits.rows))
        if len(row) > limits.columns:
            cell = getattr(row[-1], "coordinate", number)
            _refuse(title, name, Text(f"单元格 {cell}", f"cell {cell}"),
                    too_many("列", "columns", limits.columns, None))
        values = []
        for cell in row:  # as pandas' reader converts them
            value = cell.value
            if value is None:
                value = ""
            elif cell.data_type == TYPE_ERROR:
                value = float("nan")
            elif cell.data_type == TYPE_NUMERIC and not isinstance(value, bool):
                value = int(value) if int(value) == value else float(value)
            values.append(value)
        while values and values[-1] == "":
            values.pop()
        if values:
            last = number - 1
        data.append(values)
    data = data[:last + 1]
    width = max(map(len, data), default=0)
    return [values + [""] * (width - len(values)) for values in data]


#: A merged range's start tag and its reference (``<mergeCell ref="A3:A5"/>``).
_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']"
                    rb"([A-Za-z]{1,3})([0-9]{1,7}):([A-Za-z]{1,3})([0-9]{1,7})[\"']")


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's worksheet part, by the sheet's name (empty when the workbook does
    not say)."""
    return {sheet: part for part, sheet in _sheet_names(archive).items()}


def merged_ranges(archive: zipfile.ZipFile, part: str, title: str, name: str, most: int
                  ) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a worksheet part (first row, first column, last row, last
    column; 1-based), read a piece at a time (openpyxl's read-only mode gives none);
    more than ``most`` (the cells of the table read: ranges do not overlap) are
    refused."""
    try:
        entry = archive.getinfo(part)
    except KeyError:
        return []
    ranges = []
    for piece in _pieces(archive, entry, name):
        if b"mergeCell" not in piece:
            continue
        for match in _MERGE.finditer(piece):
            left, top, right, bottom = match.groups()
            ranges.append((int(top), _column(left), int(bottom), _column(right)))
            if len(ranges) > most:
                _refuse(title, name, Text("合并单元格", "merged cells"),
                        too_many("合并区域", "merged ranges", most, None))
    return ranges


def _column(letters: bytes) -> int:
    """A column's number from its letters: A → 1, AA → 27."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _refuse(title: str, name: str, at: Text, message: Text):
    """Refuse the workbook for a sheet, naming it and the place ``at``."""
    raise LoadError(Text(f"工作表 “{title}” {at.zh}: {message.zh}",
                         f"sheet '{title}', {at.en}: {message.en}"), name)


def _where(archive: zipfile.ZipFile, part: str) -> Text:
    """A worksheet part as a message names it: ``sheet 'steps'`` when the workbook
    says which sheet it is, else ``the part xl/worksheets/sheet1.xml``."""
    sheet = _sheet_names(archive).get(part)
    if sheet is None:
        return Text(f"部件 {part}", f"the part {part}")
    return Text(f"工作表 “{sheet}”", f"sheet '{sheet}'")


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's sheet name, from the workbook and its relations (read
    only when an error names a sheet); empty when they cannot be read."""
    from . import xml_safe
    try:
        workbook = _target(archive, "_rels/.rels", "officeDocument")
        folder, _, base = workbook.rpartition("/")
        relations = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        root = xml_safe.parse(archive.read(workbook), workbook, Text("", ""))
        targets = _targets(archive, relations)
        return {targets[sheet.get(_RELATION_ID)]: sheet.get("name")
                for sheet in root.iter("{*}sheet") if sheet.get(_RELATION_ID) in targets}
    except (KeyError, LoadError, zipfile.BadZipFile, OSError, ValueError):
        return {}


_RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _targets(archive: zipfile.ZipFile, relations: str) -> dict[str, str]:
    """The relations of a part: id → the part it names, as a path in the zip."""
    from . import xml_safe
    folder = relations.rpartition("_rels/")[0].rstrip("/")
    root = xml_safe.parse(archive.read(relations), relations, Text("", ""))
    found = {}
    for relation in root.iter("{*}Relationship"):
        target = relation.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else \
            f"{folder}/{target}" if folder else target
        found[relation.get("Id")] = _normal(path)
    return found


def _target(archive: zipfile.ZipFile, relations: str, kind: str) -> str:
    """The part a relations file names for the relation ``kind`` (officeDocument)."""
    from . import xml_safe
    root = xml_safe.parse(archive.read(relations), relations, Text("", ""))
    for relation in root.iter("{*}Relationship"):
        if relation.get("Type", "").endswith(f"/{kind}"):
            return _normal(relation.get("Target", "").lstrip("/"))
    raise KeyError(kind)


def _normal(path: str) -> str:
    """A part's path with ``.`` and ``..`` resolved."""
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)

"""Dates as a roster writes them, and periods counted in years and months as the law
counts them.

A roster (在岗人员名册) is kept by hand in Excel: a date may be a real date cell, an
Excel serial number, or text in any of the ways offices write it (``2019-03-01``,
``2019/3/1``, ``2019年3月1日``, ``2019.3.1``, ``2019.3``, ``2019年3月``, full-width
digits too). :func:`parse_date` reads them all and says what it could not read; a
date given to the month (``2019.3``) counts from the first of that month, the longest
the post can have been held, so that a rotation is never flagged late.

A period of years or months ends on the day of the last month that corresponds to the
day it began; where that month has no such day (29 February in a common year, 31 in a
month of 30), on the last day of the month: 《中华人民共和国民法典》第二百零三条. So five
years from 2016-02-29 end on 2021-02-28 (:func:`add_months`).

Nothing here imports the rest of flowgraph: the roster reader, the rotation rules and
the outputs all count with the same functions.
"""
from __future__ import annotations

import calendar
import datetime as _datetime
import re
import unicodedata

#: The first day Excel's serial numbers count from (serial 1 is 1900-01-01; Excel
#: believes 1900 was a leap year, so from serial 61 on the day is one less).
_EXCEL_EPOCH = _datetime.date(1899, 12, 30)
#: Serial numbers read as dates: 1927-05-18 to 9999-12-31. Smaller whole numbers are
#: more likely a year or a typo than a date.
EXCEL_SERIALS = (10_000, 2_958_465)

_SEPARATED = re.compile(
    r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:(?:[-/.]|月)\s*(\d{1,2})\s*日?|月)?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

#: The ways of writing a date the reader takes, as messages list them.
FORMATS_SHOWN = "2019-03-01, 2019/3/1, 2019年3月1日, 2019.3.1, 2019.3, 2019年3月, 20190301"


class NotADate(ValueError):
    """A value that is no date; ``args[0]`` says in English what it was, ``zh`` in
    Chinese."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh


def _checked(year: int, month: int, day: int | None, shown: str) -> _datetime.date:
    if not 1 <= month <= 12:
        raise NotADate(f"'{shown}' has no month {month}", f"“{shown}” 中没有 {month} 月")
    last = calendar.monthrange(year, month)[1]
    if day is not None and not 1 <= day <= last:
        raise NotADate(f"'{shown}': {year}-{month:02d} has no day {day}",
                       f"“{shown}”: {year} 年 {month} 月没有 {day} 日")
    return _datetime.date(year, month, day or 1)


def parse_date(value) -> _datetime.date:
    """The date a roster's cell holds.

    Parameters
    ----------
    value : date, datetime, int, float or str
        A date or date-and-time cell (its day is taken), an Excel serial number
        (whole, from 10,000), or text as offices write it (:data:`FORMATS_SHOWN`,
        full-width digits and spaces allowed). A number such as ``2019.3`` (what Excel
        keeps of a cell typed 2019.3) is March 2019; ``2019.1`` could be January or
        October (2019.10 typed as a number), and is refused.

    Raises
    ------
    NotADate
        With what the value was, in English and Chinese.

    Examples
    --------
    >>> [parse_date(v).isoformat() for v in ("2019/3/1", "2019年3月1日", "2019.3", 43525)]
    ['2019-03-01', '2019-03-01', '2019-03-01', '2019-03-01']
    """
    if isinstance(value, _datetime.datetime):
        return value.date()
    if isinstance(value, _datetime.date):
        return value
    if isinstance(value, bool):
        raise NotADate(f"the value {value}", f"值 {value}")
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        number = int(value)
        if EXCEL_SERIALS[0] <= number <= EXCEL_SERIALS[1]:
            return _EXCEL_EPOCH + _datetime.timedelta(days=number)
        if 19000101 <= number <= 29991231:
            return parse_date(str(number))
        raise NotADate(f"the number {number}", f"数字 {number}")
    if isinstance(value, float):
        text = repr(value)
        if re.fullmatch(r"\d{4}\.1", text):
            raise NotADate(f"the number {text} (January, or October written 2019.10? "
                           f"write the date as text or as a date cell)",
                           f"数字 {text} (是 1 月, 还是写作 2019.10 的 10 月? 请写成文本或日期)")
        if re.fullmatch(r"\d{4}\.\d{1,2}", text):
            return parse_date(text)
        raise NotADate(f"the number {text}", f"数字 {text}")
    if not isinstance(value, str):
        raise NotADate(f"a value of type {type(value).__name__}",
                       f"{type(value).__name__} 类型的值")
    text = unicodedata.normalize("NFKC", value).strip()
    shown = value.strip()
    match = _SEPARATED.match(text) or _COMPACT.match(text)
    if match is None:
        raise NotADate(f"the text '{shown}'", f"文本 “{shown}”")
    year, month, day = match.groups()
    return _checked(int(year), int(month), int(day) if day else None, shown)


def add_months(start: _datetime.date, months: int) -> _datetime.date:
    """The day a period of ``months`` months from ``start`` ends: the same day of the
    month, or the month's last day where it has none (民法典第二百零三条).

    >>> add_months(_datetime.date(2016, 2, 29), 60).isoformat()
    '2021-02-28'
    >>> add_months(_datetime.date(2024, 8, 31), 6).isoformat()
    '2025-02-28'
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return _datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: _datetime.date, years: int) -> _datetime.date:
    """The day ``years`` years from ``start`` end (29 February: 28 February in a
    common year)."""
    return add_months(start, 12 * years)


def held(start: _datetime.date, until: _datetime.date) -> tuple[int, int]:
    """Whole years and months from ``start`` to ``until`` (0, 0 when ``until`` is not
    later), counted as :func:`add_months` counts: a month is complete on the day
    that corresponds to ``start``.

    >>> held(_datetime.date(2019, 3, 1), _datetime.date(2025, 6, 30))
    (6, 3)
    >>> held(_datetime.date(2016, 2, 29), _datetime.date(2021, 2, 28))
    (5, 0)
    """
    if until <= start:
        return 0, 0
    months = (until.year - start.year) * 12 + until.month - start.month
    if add_months(start, months) > until:
        months -= 1
    return divmod(months, 12)


def iso_date(text: str) -> _datetime.date:
    """A date written ``YYYY-MM-DD`` (an option's value), or ValueError."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or ""):
        raise ValueError(text)
    return _datetime.date.fromisoformat(text)

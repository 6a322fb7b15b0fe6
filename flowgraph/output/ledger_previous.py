"""Rectification from year to year: this year's ledger rows with last year's carried
forward (``flowgraph ledger --previous``; docs/programme.md).

Each row of this year's ledger is matched to last year's (:mod:`flowgraph.previous`:
by fingerprint, or by unit, power item, step and post as meant) and its 整改情况 says
where the matter stands, first line first:

- **新发现** (new): the risk point was not in last year's ledger, or it was without a
  problem and the audit now finds one;
- **未整改** (not rectified): the audit still finds a problem where last year's ledger
  had one;
- **已整改** (rectified): last year's ledger had a problem there, the audit finds none;
- nothing, where neither year found a problem;

then what the unit's chart says of it (its own ``rectification``), then the history:
``2025年：已责令整改，限期30日（仍存在）``, last year's words under last year's date
with what became of them (``（未填写）`` where a problem went unanswered), then the older
history lines as they were; a row without a problem either year whose 整改情况 was
left empty gets no history line (that line alone would fill most rows). Nothing the
office wrote is lost: the cells of its own columns (备注 …) follow the row, a column of
the ledger whose text last year differs from this year's is kept in 上年记录
(``现有防控措施：…``), and a row of last year's ledger that has no row this year is
listed whole on a sheet of its own: 已整改事项 when its power item was audited again
(the risk point is gone), 未复查事项 when it was not (nothing says it is gone). With
``--no-names`` every carried text has the roster's names replaced by roles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..fingerprints import normalise, numbered
from ..i18n import Text
from ..previous import PreviousLedger, PreviousRow, key
from ..results import Programme
from .ledger import LedgerRow, cells

NEW = Text("新发现", "new")
OPEN = Text("未整改", "not rectified")
DONE = Text("已整改", "rectified")
STATUSES = {word for status in (NEW, OPEN, DONE) for word in (status.zh, status.en)}
STILL = Text("（仍存在）", " (still present)")
GONE = Text("（已消除）", " (resolved)")
EMPTY = Text("（未填写）", "(nothing written)")
RECORD = Text("上年记录", "Last year's entries")
REVIEWED = Text("本次审查", "This year's audit")
RECTIFIED_SHEET = Text("已整改事项", "Rectified items")
UNREVIEWED_SHEET = Text("未复查事项", "Not reviewed")
RISK_GONE = Text("已整改：本次审查未再发现该风险点", "rectified: this year's audit no longer "
                 "finds this risk point")
NOT_AUDITED = Text("未复查：本次审查不含该权力事项", "not reviewed: this year's audit does not "
                   "include this power item")
#: A history line: 2025年：… or 2025: …
HISTORY = re.compile(r"^\d{4}(?:年：|: )")
#: Columns never repeated in 上年记录: the row's number, what it is matched on, and
#: what the history already carries.
NOT_RECORDED = ("number", "rectification", "fingerprint", "unit", "power_item", "label",
                "post")


@dataclass
class Carried:
    """This year's rows with last year's carried forward: the rows (整改情况 filled in),
    the headings and cells of the columns added after the ledger's own (上年记录, then
    the office's), by row number, and last year's rows that have no row this year."""

    rows: list[LedgerRow]
    headings: list[str]
    extras: dict[int, list] = field(default_factory=dict)
    #: Last year's headings, for the sheets of rows gone.
    previous_headings: list[str] = field(default_factory=list)
    rectified: list[list] = field(default_factory=list)
    unreviewed: list[list] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _history(previous: PreviousLedger, row: PreviousRow, suffix: Text, lang: str
             ) -> list[str]:
    """Last year's 整改情况 as history: its own words under last year's date with
    ``suffix``, then its older history lines as they were."""
    written = _text(row.value(previous, "rectification"))
    lines = [line.strip() for line in written.splitlines() if line.strip()]
    older = [line for line in lines if HISTORY.match(line)]
    words = [line for line in lines if not HISTORY.match(line)]
    status = words.pop(0) if words and words[0] in STATUSES else ""
    said = Text("；", "; ")(lang).join(words) or status or EMPTY(lang)
    year = Text(f"{previous.year}年：", f"{previous.year}: ")(lang)
    return [f"{year}{said}{suffix(lang)}", *older]


def _had_problem(previous: PreviousLedger, row: PreviousRow) -> bool | None:
    """Whether last year's row had a problem (its 问题 cell), None when the ledger
    has no such column."""
    if "findings" not in previous.index:
        return None
    return bool(_text(row.value(previous, "findings")))


def _recorded(previous: PreviousLedger, old: PreviousRow, row: LedgerRow, lang: str,
              redact) -> str:
    """上年记录: last year's cells of the ledger's columns whose text differs from this
    year's, ``heading：text`` a line."""
    lines = []
    for column, index in previous.index.items():
        if column in NOT_RECORDED:
            continue
        before = _text(old.cells[index])
        now = _text(cells(row, (column,), lang)[0])
        if before and normalise(before) != normalise(now):
            lines.append(f"{previous.headings[index]}：{redact(before)}")
    return "\n".join(lines)


def _status(found: bool, had: bool | None) -> tuple[Text | None, Text]:
    """The status of a row matched to last year's, and the history line's suffix."""
    if found:
        return (OPEN, STILL) if had is not False else (NEW, Text("", ""))
    return (DONE, GONE) if had else (None, Text("", ""))


def carry(ledger: list[LedgerRow], previous: PreviousLedger, lang: str,
          programme: Programme | None = None) -> Carried:
    """This year's ``ledger`` (rows with fingerprints) with ``previous`` carried
    forward; ``programme`` redacts names with ``--no-names``."""
    def redact(text: str) -> str:
        return programme.redact(text, lang) if programme is not None else text

    own = previous.own
    by_identity = {old.identity: old for old in previous.rows}
    if previous.by_fingerprint:
        identities = [row.fingerprint for row in ledger]
    else:
        identities = numbered(key(row.unit, row.power_item, row.label, row.post)
                              for row in ledger)
    carried = Carried([], [RECORD(lang), *(heading for _, heading in own)],
                      previous_headings=[*previous.headings, REVIEWED(lang)])
    used: set[str] = set()
    for row, identity in zip(ledger, identities, strict=True):
        old = by_identity.get(identity)
        found = bool(row.findings)
        if old is None:
            status, history, extras = NEW, [], ["", *("" for _ in own)]
        else:
            used.add(identity)
            status, suffix = _status(found, _had_problem(previous, old))
            history = [redact(line) for line in _history(previous, old, suffix, lang)] \
                if status or _text(old.value(previous, "rectification")) else []
            extras = [_recorded(previous, old, row, lang, redact),
                      *(_carried(old.cells[index], redact) for index, _ in own)]
        text = "\n".join(part for part in (status(lang) if status else "",
                                           row.rectification, *history) if part)
        carried.rows.append(replace(row, rectification=text))
        carried.extras[row.number] = extras
    audited = {(normalise(row.unit), normalise(row.power_item)) for row in ledger}
    index = previous.index
    for old in previous.rows:
        if old.identity in used:
            continue
        item = (normalise(_text(old.value(previous, "unit"))),
                normalise(_text(old.value(previous, "power_item"))))
        whole = [_carried(cell, redact) for cell in old.cells]
        if "unit" in index and "power_item" in index and item in audited:
            carried.rectified.append([*whole, RISK_GONE(lang)])
        else:  # its power item was not audited again (or cannot be told)
            carried.unreviewed.append([*whole, NOT_AUDITED(lang)])
    return carried


def _carried(value, redact):
    """A cell of last year's as it was (numbers and dates too), its text redacted."""
    return redact(value) if isinstance(value, str) else value


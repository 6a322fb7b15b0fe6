"""Building a flowchart from what any format says: the one place where the model's
values and invariants are checked.

Readers of YAML, tables, BPMN, draw.io and DOT hand the builder raw values (text,
numbers, booleans, lists) together with *where* each was written; the builder turns them
into the model's values and refuses, with that place, anything outside the model: an
unknown kind, a duplicate step, an edge to an undeclared step, discretion on a neutral
step, a reporting line that loops, a waiver without a reason. So every format reports
the same problems in the same words, and the model is only ever built valid.

Values are accepted as analysts write them in spreadsheets: ``是``/``否`` for booleans,
``一级`` for grade 1, ``500万`` or ``5,000,000`` for money, controls separated by ``;``,
``；``, ``、`` or commas (or as a JSON list when a name holds a separator), waivers as
``FG301: 理由; FG2: 理由`` (or a JSON object). The native YAML reader builds through here
too, with typed values: it checks what only YAML has (keys, YAML types) and hands every
value over with the place it was written (:attr:`Place.values`), so that an error points
at the value itself.

Readers give ``None`` for a value that is absent (the tables reader turns pandas' empty
cells into ``None`` first).

The builder also keeps the bounds every format shares (:mod:`flowgraph.io.limits`): the
steps, actors and edges of one flowchart, and the length of one text, each refused where
the part or value that passes it was written.
"""
from __future__ import annotations

import dataclasses
import difflib
import json
import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, Protocol

from ..errors import LoadError, LoadNote, LoadWarning
from ..frozen import FrozenDict
from ..i18n import Text
from ..model import (
    COLLECTIVE_MINIMUM,
    DISCRETION_LEVELS,
    DUTIES,
    NEUTRAL_KINDS,
    NOTE_FIELDS,
    RANKS,
    STEP_KINDS,
    Actor,
    Adjacency,
    Edge,
    EdgeTable,
    Flowchart,
    Position,
    Stakes,
    Step,
    adjacency,
)
from .limits import DEFAULT_LIMITS, Limits, too_many
from .words import (
    CHOICE_WORDS,
    EXPECTED_GRADE,
    EXPECTED_YES_NO,
    choice_word,
    expected_choice,
    grade_word,
    yes_no,
)

#: A rule code; ASCII digits only: ``\d`` would also take full-width ones (FG３０１), a
#: code no rule has, so such a waiver would be accepted and then waive nothing.
WAIVE_CODE = re.compile(r"FG[0-9]{1,3}")
#: ``FG301: 理由; FG2: 理由``: a reason runs to the next ``; CODE:`` (it may itself hold
#: semicolons).
WAIVER_TEXT = re.compile(
    r"(?i)(FG[0-9]{1,3})\s*[:：]\s*(.*?)\s*(?=[;；\n]\s*FG[0-9]{1,3}\s*[:：]|$)", re.S)
LIST_SEPARATORS = re.compile(r"[;；、,，\n]")
#: The flowchart's own attributes (:meth:`ChartBuilder.set_meta`).
META_KEYS = ("id", "title", "unit", "category", "basis", "superior_in_charge")
#: A step's model values as flat, named attributes (what :meth:`ChartBuilder.add_step`
#: takes besides the id and the label): the ``fg:`` attributes of a BPMN node, the
#: custom data of a draw.io cell, the attributes of a DOT node.
STEP_ATTRIBUTES = ("kind", "actor", "discretion", "money", "people", "rights", "controls",
                   "duty", "declared_grade", "time_limit", "basis", "waive", *NOTE_FIELDS)
#: An actor's model values besides its id and name, as named attributes (what
#: :meth:`ChartBuilder.add_actor` takes): on a BPMN lane, a draw.io swimlane, a DOT node.
ACTOR_ATTRIBUTES = ("rank", "reports_to", "collective", "oversight", "public", "outside")
NO_STAKES = Stakes()
NO_WAIVERS: FrozenDict = FrozenDict()


def _json_list(text: str) -> list[str] | None:
    """A list written as JSON (``["a;b", "c"]``), as writers do when an item holds a
    separator; None when the text is not one."""
    if not (text.startswith("[") and text.endswith("]")):
        return None
    try:
        items = json.loads(text)
    except ValueError:
        return None
    if isinstance(items, list) and all(isinstance(item, str) for item in items):
        return items
    return None


def plain_amount(value: float) -> str:
    """An amount in yuan as every writer puts it in a file, and :meth:`ChartBuilder.money`
    reads it back: ``5000000``, ``1234567.5`` (for people, :func:`flowgraph.vocabulary.yuan`
    writes ``¥5,000,000``)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def items_text(items: tuple[str, ...]) -> str:
    """A list as :meth:`ChartBuilder.items` reads it back: ``a; b``, or a JSON list when
    an item holds a separator or looks like JSON."""
    if any(LIST_SEPARATORS.search(item) for item in items) or items[0].startswith("["):
        return json.dumps(list(items), ensure_ascii=False)
    return "; ".join(items)


#: An edge's other end written with its label in brackets: ``accept（退回补正）``.
LABELLED_END = re.compile(r"(.+?)\s*[（(]([^（）()]+)[）)]", re.S)


def _json_pairs(text: str) -> list[tuple[str, str | None]] | None:
    """Ends written as JSON (``["a", ["b", "退回"]]``); None when the text is not that."""
    if not (text.startswith("[") and text.endswith("]")):
        return None
    try:
        items = json.loads(text)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    pairs = []
    for item in items:
        if isinstance(item, str):
            pairs.append((item, None))
        elif isinstance(item, list) and len(item) == 2 and all(isinstance(i, str)
                                                              for i in item):
            pairs.append((item[0], item[1]))
        else:
            return None
    return pairs


def ends_text(pairs: list[tuple[str, str | None]], steps: Mapping[str, object]) -> str:
    """Ends with their labels as :meth:`ChartBuilder.ends` reads them back: ``a; b``,
    ``a; b（退回补正）``, or a JSON list when an id or a label would not read back
    plainly (it holds a separator or a bracket, or the bracketed form is a step's id)."""
    ids = [target for target, _ in pairs]
    plain = all(not LIST_SEPARATORS.search(target) and not re.search(r"[（）()]", target)
                for target in ids) and not ids[0].startswith("[")
    for target, label in pairs:
        if label is not None and (LIST_SEPARATORS.search(label) or re.search(r"[（）()]", label)
                                  or label != label.strip() or not label
                                  or f"{target}（{label}）" in steps):
            plain = False
    if not plain:
        return json.dumps([target if label is None else [target, label]
                           for target, label in pairs], ensure_ascii=False)
    return "; ".join(target if label is None else f"{target}（{label}）"
                     for target, label in pairs)


def _json_object(text: str) -> dict[str, str] | None:
    """Waivers written as a JSON object (``{"FG301": "理由"}``), as the BPMN writer does;
    None when the text is not one."""
    try:
        items = json.loads(text)
    except ValueError:
        return None
    if isinstance(items, dict) and all(isinstance(v, str) for v in items.values()):
        return items
    return None


class Place(NamedTuple):
    """Where a value was written: a line and column, and for tables or diagrams the
    context that locates it further (``工作表 “steps” 第 5 行, 列 “kind”``). A named
    tuple: readers make one for every step and edge.

    ``values`` is for a reader that knows where each value of a part was written (the
    YAML reader: each value's own line and column): it is asked only when a value is
    wrong, so that the error points at that value.
    """

    line: int | None = None
    column: int | None = None
    context: Text | None = None
    values: ValuePlaces | None = None

    def at(self, field: str, entry: str | None = None, key: bool = False) -> Place:
        """Where the value of ``field`` was written (with ``entry``: the value written
        under that key of a mapping, or with ``key`` the key itself): this place,
        unless the reader located values more finely."""
        return self if self.values is None else self.values.at(field, entry, key)

    def subject(self, field: str) -> Text:
        """How a message names ``field`` of the part written here:
        ``sheet 'steps', row 5: kind`` (or, from the YAML reader, ``kind of step 'd'``)."""
        if self.values is not None:
            return self.values.subject(field)
        if self.context is None:
            return Text(f"`{field}`", field)
        return Text(f"{self.context.zh} 的 `{field}`", f"{self.context.en}: {field}")


class ValuePlaces(Protocol):
    """Where each value of one part (a step, an actor, an edge) was written, and how a
    message names its fields (see :attr:`Place.values`)."""

    def at(self, field: str, entry: str | None, key: bool) -> Place: ...

    def subject(self, field: str) -> Text: ...


def described(value: Any) -> Text:
    """A value as a message shows what it got: ``the text '四级'``, ``the integer 4``."""
    if isinstance(value, bool):
        word = "true" if value else "false"
        return Text(f"布尔值 {word}", f"the boolean {word}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's 4.0 is the 4 it shows
    if isinstance(value, int):
        return Text(f"整数 {value}", f"the integer {value}")
    if isinstance(value, float):
        return Text(f"数字 {value}", f"the number {value}")
    return Text(f"文本 “{value}”", f"the text '{value}'")


class ChartBuilder:
    """Collects one flowchart's parts from a reader, then :meth:`build` checks them;
    ``limits`` bound how many parts and how long a text (:mod:`flowgraph.io.limits`).

    A reader of drawings (BPMN, draw.io) sets :attr:`drawn`: what modelling tools draw
    and the native formats refuse is then tidied with a warning (:meth:`_tidy_drawing`).
    """

    #: The chart comes from a drawing: parallel edges between two steps are merged
    #: (their labels kept), an edge from a step to itself is left out, each with a
    #: warning, instead of refusing the file as a typo of a hand-written chart.
    drawn = False

    def __init__(self, source: str, limits: Limits = DEFAULT_LIMITS):
        self.source = source
        self.limits = limits
        # the bounds as plain numbers: checked for every step, edge and text
        self.max_text, self.max_steps = limits.text, limits.steps
        self.max_actors, self.max_edges = limits.actors, limits.edges
        self.meta: dict[str, str] = {}
        self.actors: dict[str, Actor] = {}
        self.steps: dict[str, Step] = {}
        self._actor_places: dict[str, Place] = {}
        self.edges: list[tuple[Edge, Place]] = []
        #: Tables of edges (:meth:`add_edge_table`), each with the number of single
        #: edges added before it (edges are checked in the order they were added).
        self.tables: list[tuple[int, EdgeTable, Callable[[int], Place]]] = []
        #: The flows' adjacency, made while checking a table of them (:meth:`_repeats`).
        self.flow_adjacency: Adjacency | None = None
        self.warnings: list[LoadWarning] = []
        self.readings: list[LoadNote] = []

    # -- errors ------------------------------------------------------------------------

    def fail(self, place: Place | None, zh: str, en: str):
        """Refuse the file for a problem of a part (a step, an edge …) written at
        ``place``; the message starts with the place's context."""
        place = place or Place()
        if place.context is not None:
            zh, en = f"{place.context.zh}：{zh}", f"{place.context.en}: {en}"
        raise LoadError(Text(zh, en), self.source, place.line, place.column)

    def fail_value(self, place: Place, field: str, zh: str, en: str,
                   entry: str | None = None, key: bool = False):
        """Refuse the file for the value of ``field`` of the part written at ``place``:
        the message names the field as the place does, and points where the value (or
        the ``entry`` of a mapping, or that entry's ``key``) was written."""
        where, subject = place.at(field, entry, key), place.subject(field)
        raise LoadError(Text(f"{subject.zh}：{zh}", f"{subject.en}: {en}"), self.source,
                        where.line, where.column)

    def warn(self, place: Place | None, zh: str, en: str) -> None:
        """Note something skipped; the rest of the file still loads."""
        place = place or Place()
        if place.context is not None:
            zh, en = f"{place.context.zh}：{zh}", f"{place.context.en}: {en}"
        self.warnings.append(LoadWarning(Text(zh, en), self.source, place.line,
                                         place.column))

    def note(self, place: Place | None, zh: str, en: str) -> None:
        """Note what a reader understood from free text written at ``place`` (shown
        by ``check -v`` and ``convert``)."""
        place = place or Place()
        if place.context is not None:
            zh, en = f"{place.context.zh}：{zh}", f"{place.context.en}: {en}"
        self.readings.append(LoadNote(Text(zh, en), self.source, place.line, place.column))

    # -- values --------------------------------------------------------------------------

    def text(self, value: Any, field: str, place: Place) -> str | None:
        """Text, trimmed; None when blank. A number is taken as written (``2024``).
        A text longer than the limit (what one spreadsheet cell holds) is refused."""
        if value.__class__ is str:  # the common case first: a reader's text
            if len(value) > self.max_text:
                self._too_long(value, field, place)
            return value.strip() or None
        if value is None:
            return None
        if isinstance(value, (list, dict, tuple)):
            self.fail_value(place, field, "应为文本", "expected text")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return self.text(str(value), field, place)

    def _too_long(self, value: str, field: str, place: Place):
        limit = self.max_text
        self.fail_value(place, field,
                        f"文本过长：{len(value):,} 个字符，上限为 {limit:,} "
                        f"（一个表格单元格所能容纳的）",
                        f"text too long: {len(value):,} characters, more than {limit:,} "
                        f"(what one spreadsheet cell holds)")

    def _too_many(self, limit: int, zh: str, en: str, place: Place):
        """Refuse one part more than ``limit`` (steps, actors, edges), where it was
        written."""
        message = too_many(zh, en, limit)
        self.fail(place, message.zh, message.en)

    def choice(self, value: Any, allowed: tuple[str, ...], field: str,
               place: Place) -> str | None:
        """One of ``allowed``, in any case, or one of its words (:data:`~.words.CHOICE_WORDS`:
        受理, 较大, 科级 …); anything else is refused, the accepted words listed in each
        language's own first, with a hint for a near miss."""
        if value is None:
            return None
        if value.__class__ is str and value in allowed:  # as written by a tool
            return value
        text = self.text(value, field, place)
        if text is None:
            return None
        chosen = choice_word(field, text, allowed)
        if chosen is not None:
            return chosen
        expected = expected_choice(field, allowed)
        known = [*allowed, *(word for word, meant in CHOICE_WORDS.get(field, {}).items()
                             if meant in allowed)]
        hint = difflib.get_close_matches(text.lower(), known, 1)
        more = (f"（是否应为 “{hint[0]}”？）", f" (did you mean '{hint[0]}'?)") if hint \
            else ("", "")
        self.fail_value(place, field, f"“{text}” 不是允许的值{more[0]}；应为以下之一："
                        f"{expected.zh}",
                        f"'{text}' is not allowed{more[1]}; expected one of: {expected.en}")

    def boolean(self, value: Any, field: str, place: Place) -> bool | None:
        """``true``/``false``, ``是``/``否``, ``有``/``无``, 1/0 … (:data:`~.words.TRUE_WORDS`,
        :data:`~.words.FALSE_WORDS`)."""
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        text = self.text(value, field, place)
        if text is None:
            return None
        answer = yes_no(text)
        if answer is not None:
            return answer
        got = described(value)
        self.fail_value(place, field, f"应为{EXPECTED_YES_NO.zh}，实际为{got.zh}",
                        f"expected {EXPECTED_YES_NO.en}, got {got.en}")

    def money(self, value: Any, field: str, place: Place) -> float | None:
        """An amount in yuan: a number, or text such as ``500000``, ``50万``, ``¥5,000``."""
        if isinstance(value, bool):
            self.fail_value(place, field, "应为以元计的金额", "expected an amount in yuan")
        if isinstance(value, (int, float)):
            amount = float(value)
        else:
            text = self.text(value, field, place)
            if text is None:
                return None
            match = re.fullmatch(r"[¥￥]?\s*([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(亿|万)?\s*(元)?",
                                 text)
            if not match:
                got = described(text)
                self.fail_value(place, field,
                                f"应为以元计的金额（如 500000、50万），实际为{got.zh}",
                                f"expected an amount in yuan (such as 500000 or 50万), "
                                f"got {got.en}")
            amount = float(match.group(1).replace(",", "").replace("，", ""))
            amount *= {"亿": 1e8, "万": 1e4, None: 1}[match.group(2)]
        if not math.isfinite(amount) or amount < 0:
            self.fail_value(place, field, "金额不能为负数或无穷",
                            "the amount must be a finite number of at least 0")
        return amount

    def integer(self, value: Any, field: str, place: Place, minimum: int = 1) -> int | None:
        """A whole number of at least ``minimum`` (``7``, ``7.0``, ``"7"``)."""
        if value is None:
            return None
        try:
            if isinstance(value, bool):
                raise ValueError
            number = float(str(value).strip()) if not isinstance(value, (int, float)) else value
            if not float(number).is_integer() or number < minimum:
                raise ValueError
            return int(number)
        except ValueError:
            got = described(value)
            self.fail_value(place, field, f"应为不小于 {minimum} 的整数，实际为{got.zh}",
                            f"expected an integer of at least {minimum}, got {got.en}")

    def grade(self, value: Any, field: str, place: Place) -> int | None:
        """A declared grade: 1, 2 or 3, as a number or as written (:data:`~.words.GRADE_SPELLINGS`:
        一级, 高, ★★★ …)."""
        text = self.text(value, field, place)
        if text is None:
            return None
        grade = grade_word(text)
        if grade is not None:
            return grade
        got = described(value)
        self.fail_value(place, field, f"应为{EXPECTED_GRADE.zh}，实际为{got.zh}",
                        f"expected {EXPECTED_GRADE.en}, got {got.en}")

    def collective(self, value: Any, field: str, place: Place) -> int | None:
        """The members of a collective body: a whole number, or yes (是: a body of
        :data:`~flowgraph.model.COLLECTIVE_MINIMUM`, the least that decides
        collectively) or no (否: none)."""
        if isinstance(value, str):
            value = value.strip().removesuffix("人").strip()  # 7人
            answer = None if value.isdigit() else yes_no(value)
            if answer is not None:
                return COLLECTIVE_MINIMUM if answer else None
        if isinstance(value, bool):
            return COLLECTIVE_MINIMUM if value else None
        try:
            number = float(value) if isinstance(value, (int, float, str)) else math.nan
        except ValueError:
            number = math.nan
        if not number.is_integer() or number < 1:
            got = described(value)
            self.fail_value(place, field, f"应为人数（不小于 1 的整数）或 是/否，实际为{got.zh}",
                            f"expected the number of members (an integer of at least 1) "
                            f"or yes or no, got {got.en}")
        return int(number)

    def items(self, value: Any, field: str, place: Place) -> tuple[str, ...]:
        """A list: given as one, or as text separated by ``;``, ``；``, ``、`` or commas
        (or a JSON list); trimmed, without blanks or repeats."""
        if value is None:
            return ()
        if isinstance(value, (list, tuple)):
            parts = [self.text(v, field, place) for v in value]
        else:
            text = self.text(value, field, place) or ""
            parts = _json_list(text)
            if parts is None:
                parts = LIST_SEPARATORS.split(text)
        return tuple(dict.fromkeys(p.strip() for p in parts if p and p.strip()))

    def ends(self, value: Any, field: str, place: Place) -> list[tuple[str, str | None]]:
        """The other ends of a step's edges, each with its label, as a table's ``next``
        or ``watched_by`` cell lists them: ids separated as in :meth:`items`, an id
        followed by its label in brackets (``accept（退回补正）``) where that whole text
        is not itself a step's id, or a JSON list whose items are ids or
        ``[id, label]`` pairs (:func:`ends_text` writes them). Called once the chart's
        steps are all added."""
        if value is None:
            return []
        text = value if isinstance(value, str) else self.text(value, field, place) or ""
        pairs = _json_pairs(text.strip())
        if pairs is None:
            pairs = [self._labelled(item) for item in self.items(value, field, place)]
        return pairs

    def _labelled(self, item: str) -> tuple[str, str | None]:
        """``id（label）`` as (id, label) when ``id`` is a step and the whole is not."""
        match = LABELLED_END.fullmatch(item)
        if item not in self.steps and match and match.group(1).strip() in self.steps:
            return match.group(1).strip(), match.group(2).strip()
        return item, None

    def waivers(self, value: Any, field: str, place: Place) -> dict[str, str]:
        """Rule codes (or prefixes) and the reason each is waived for. A mapping's keys
        are the codes as written; codes found in text (``fg301: 理由``) are read in any
        case."""
        if value is None:
            return {}
        if isinstance(value, str) and value.lstrip().startswith("{"):
            value = _json_object(value) or value
        if isinstance(value, Mapping):
            pairs = [(str(code).strip(), reason) for code, reason in value.items()]
        else:
            text = (self.text(value, field, place) or "").strip()
            pairs = [(m.group(1).upper(), m.group(2)) for m in WAIVER_TEXT.finditer(text)]
            if not pairs or not text.upper().startswith(pairs[0][0]):
                code, _, reason = re.sub("：", ":", text).partition(":")
                pairs = [(code.strip().upper(), reason)]  # refused below
        waive = {}
        for code, reason in pairs:
            if not WAIVE_CODE.fullmatch(code):
                self.fail_value(place, field, f"“{code}” 不是规则代码（如 FG301）",
                                f"'{code}' is not a rule code (such as FG301)", code, True)
            reason = self.text(reason, field, place)
            if not reason:
                self.fail_value(place, field, f"豁免 {code} 必须写明理由（如 FG301：法定独任）",
                                f"waiving {code} needs a reason (FG301: reason)", code)
            waive[code] = reason
        return waive

    # -- parts ---------------------------------------------------------------------------

    def set_meta(self, key: str, value: Any, place: Place) -> None:
        assert key in META_KEYS, key
        text = self.text(value, key, place)
        if text is not None:
            self.meta[key] = text

    def add_actor(self, actor_id: Any, place: Place, *, name=None, rank=None,
                  reports_to=None, collective=None, oversight=None, public=None,
                  outside=None) -> None:
        actor_id = self.text(actor_id, "actor", place)
        if actor_id is None:
            self.fail(place, "岗位缺少编号（`actor`）", "an actor has no id (actor)")
        if len(self.actors) >= self.max_actors:
            self._too_many(self.max_actors, "岗位", "actors in the flowchart", place)
        if actor_id in self.actors:
            self.fail(place, f"岗位 “{actor_id}” 重复", f"duplicate actor '{actor_id}'")
        self.actors[actor_id] = Actor(
            actor_id, self.text(name, "name", place) or actor_id,
            self.choice(rank, RANKS, "rank", place),
            self.text(reports_to, "reports_to", place),
            None if collective is None else self.collective(collective, "collective", place),
            bool(self.boolean(oversight, "oversight", place)),
            bool(self.boolean(public, "public", place)),
            Position(place.line, place.column or 1) if place.line else None,
            None if outside is None else self.boolean(outside, "outside", place))
        self._actor_places[actor_id] = place

    def add_step(self, step_id: Any, place: Place, *, kind, label=None, actor=None,
                 discretion=None, money=None, people=None, rights=None, controls=None,
                 duty=None, declared_grade=None, time_limit=None, basis=None,
                 waive=None, extra=None, **notes) -> None:
        """One step, its values checked; ``notes`` are the unit's texts of
        :data:`~flowgraph.model.NOTE_FIELDS` (``risk_description`` …), ``extra`` its
        other columns (a mapping of heading to text: :meth:`extra`)."""
        step_id = self.text(step_id, "step", place)
        if step_id is None:
            self.fail(place, "步骤缺少编号（`step`）", "a step has no id (step)")
        if len(self.steps) >= self.max_steps:
            self._too_many(self.max_steps, "步骤", "steps in the flowchart", place)
        if step_id in self.steps:
            self.fail(place, f"步骤 “{step_id}” 重复", f"duplicate step '{step_id}'")
        kind = self.choice(kind, STEP_KINDS, "kind", place)
        if kind is None:
            kinds = ", ".join(STEP_KINDS)
            self.fail(place.at("kind"), f"步骤 “{step_id}” 缺少 `kind`（应为以下之一："
                                        f"{kinds.replace(', ', '、')}）",
                      f"step '{step_id}' lacks its kind (one of: {kinds})")
        level = "none" if discretion is None else \
            self.choice(discretion, DISCRETION_LEVELS, "discretion", place) or "none"
        if level != "none" and kind in NEUTRAL_KINDS:
            self.fail(place.at("discretion"),
                      f"步骤 “{step_id}” 的类型 `{kind}` 不掌握权力，不能有裁量权",
                      f"step '{step_id}' is a {kind}, which holds no power: it cannot "
                      f"have discretion")
        text = self.text
        # Absent values (most of them, in most steps) skip their checks: a chart of
        # 100,000 steps is read in seconds.
        self.steps[step_id] = Step(
            step_id, kind, label is not None and text(label, "label", place) or step_id,
            None if actor is None else text(actor, "actor", place), level,
            NO_STAKES if money is None and people is None and rights is None else
            Stakes(self.money(money, "money", place),
                   bool(self.boolean(people, "people", place)),
                   bool(self.boolean(rights, "rights", place))),
            () if controls is None else self.items(controls, "controls", place),
            None if duty is None else self.choice(duty, DUTIES, "duty", place),
            None if declared_grade is None else
            self.grade(declared_grade, "declared_grade", place),
            None if time_limit is None else text(time_limit, "time_limit", place),
            None if basis is None else text(basis, "basis", place),
            NO_WAIVERS if waive is None else FrozenDict(self.waivers(waive, "waive", place)),
            Position(place.line, place.column or 1) if place.line else None,
            **({} if not notes else self._notes(notes, place)),
            **({} if not extra else {"extra": self.extra(extra, place)}))

    def extra(self, values: Mapping[str, Any], place: Place) -> FrozenDict:
        """A step's other columns: each heading with its text (a number as written);
        the empty ones left out."""
        kept = {}
        for heading, value in values.items():
            text = None if value is None else self.text(value, str(heading), place)
            if text is not None:
                kept[str(heading)] = text
        return FrozenDict(kept)

    def _notes(self, notes: dict[str, Any], place: Place) -> dict[str, str | None]:
        """The unit's texts of a step, by name; a name outside
        :data:`~flowgraph.model.NOTE_FIELDS` is a reader's mistake."""
        unknown = set(notes) - set(NOTE_FIELDS)
        if unknown:
            raise TypeError(f"add_step got unknown fields {sorted(unknown)}")
        return {name: None if value is None else self.text(value, name, place)
                for name, value in notes.items()}

    def add_edge(self, kind: str, source: Any, target: Any, place: Place,
                 label: Any = None) -> None:
        assert kind in ("flow", "oversight")
        if len(self.edges) >= self.max_edges:
            self._too_many(self.max_edges, "连线", "edges in the flowchart", place)
        text = self.text
        source = text(source, "from", place)
        target = text(target, "to", place)
        if source is None or target is None:
            if self.drawn:  # a tool's half-drawn arrow: the rest of the drawing stands
                self.warn(place, "连线缺少起点或终点，已略去", "an edge lacks its ends: left out")
                return
            self.fail(place, f"`{kind}` 的连线缺少起点或终点", f"a {kind} edge lacks its ends")
        self.edges.append((Edge(source, target, kind,
                                None if label is None else text(label, "label", place),
                                Position(place.line, place.column or 1) if place.line
                                else None), place))

    def add_edge_table(self, table: EdgeTable, place: Callable[[int], Place]) -> None:
        """Every edge of one kind at once, kept by column, as a reader that has read
        their ends and labels as plain text (no surrounding space, never empty) hands
        them over; ``place(number)`` is where the ``number``-th was written, asked for
        only by an error. A million edges are checked in a fraction of a second. No
        other edge of the kind may be added. The bounds are :meth:`add_edge`'s, kept
        as if the edges were added one by one: the first edge past the limit, or a
        text too long before it, is refused where it was written."""
        room = self.max_edges - len(self.edges) - sum(len(t) for _, t, _ in self.tables)
        labels = table.labels or (None,) * len(table)
        columns = (table.sources, table.targets, filter(None, labels))
        if max(max(map(len, column), default=0) for column in columns) > self.max_text:
            number = next(number for number, texts
                          in enumerate(zip(table.sources, table.targets, labels, strict=True))
                          if max(len(text or "") for text in texts) > self.max_text)
            if number < room:  # refused for its text, as a single edge is
                self.add_edge(table.kind, table.sources[number], table.targets[number],
                              place(number), labels[number])
        if len(table) > room:
            self._too_many(self.max_edges, "连线", "edges in the flowchart", place(room))
        self.tables.append((len(self.edges), table, place))

    # -- the whole ----------------------------------------------------------------------

    def build(self, default_id: str) -> Flowchart:
        """The flowchart, once the reporting lines and every edge check out."""
        if "title" not in self.meta:
            self.fail(None, "流程图缺少标题（`title`）", "the flowchart has no title")
        if not self.steps:
            self.fail(None, "流程图没有步骤：至少要有一个步骤",
                      "the flowchart has no step: it needs at least one")
        self._check_reporting_lines()
        if self.drawn:
            self._tidy_drawing()
        self._check_edges()
        meta = self.meta
        return Flowchart(
            meta.get("id", default_id), meta["title"], self.steps.values(),
            self._edges_of("flow"), self._edges_of("oversight"), self.actors.values(),
            unit=meta.get("unit"), category=meta.get("category"), basis=meta.get("basis"),
            superior_in_charge=meta.get("superior_in_charge"), source=self.source,
            warnings=self.warnings, readings=self.readings, flow_adjacency=self.flow_adjacency)

    def _check_reporting_lines(self) -> None:
        """A reporting line that loops back on itself is an error: nobody is in charge.
        It is reported at the ``reports_to`` of the actor where the loop closes; each
        actor is walked once (linear in the number of actors)."""
        done: set[str] = set()
        for start in self.actors:
            chain: dict[str, None] = {}  # in order, with constant-time membership
            current: str | None = start
            while current is not None and current in self.actors and current not in done:
                if current in chain:
                    line = list(chain)
                    loop = " → ".join(line[line.index(current):] + [current])
                    self.fail(self._actor_places[current].at("reports_to"),
                              f"汇报关系首尾相连：{loop}", f"the reporting line loops: {loop}")
                chain[current] = None
                current = self.actors[current].reports_to
            done.update(chain)

    def _edges_of(self, kind: str) -> list[Edge] | EdgeTable:
        """The edges of one kind: its table, or the single edges in order."""
        for _, table, _ in self.tables:
            if table.kind == kind:
                return table
        return [edge for edge, _ in self.edges if edge.kind == kind]

    def _tidy_drawing(self) -> None:
        """A drawing's edges as the model takes them: an edge to something that is not
        a step (in another process, a data object) is left out; an edge from a step back to
        itself (a step redone, 重新办理) is left out, since no rule sees a difference;
        edges of one kind between the same two steps (a conditional and a default flow,
        an arrow drawn twice) become one, labelled with their labels in order
        (``准予 / 不予``). Each is a warning naming the steps. Linear in the edges."""
        kept: dict[tuple[str, str, str], int] = {}  # (kind, source, target) -> index
        labels: dict[int, list[str]] = {}
        merged: dict[int, int] = {}  # index -> edges merged into it
        edges = []
        for edge, place in self.edges:
            missing = [end for end in (edge.source, edge.target) if end not in self.steps]
            if missing:  # a flow to a part of another process, a data object, a pool
                self.warn(place, f"连线 {edge.source} → {edge.target} 的一端 “{missing[0]}” "
                                 f"不是流程中的步骤，已略去",
                          f"the edge {edge.source} → {edge.target} ends at '{missing[0]}', "
                          f"which is not a step of the flowchart: left out")
                continue
            if edge.source == edge.target:
                said = (f"（“{edge.label}”）", f" ('{edge.label}')") if edge.label else ("", "")
                what = ("连线", "edge") if edge.kind == "flow" else ("监督连线", "oversight edge")
                self.warn(place, f"步骤 “{edge.source}” 的{what[0]}{said[0]}指回它自身，已略去："
                                 f"重做一步不改变任何检查",
                          f"the {what[1]}{said[1]} from step '{edge.source}' back to itself "
                          f"was left out: redoing a step changes no check")
                continue
            key = (edge.kind, edge.source, edge.target)
            if key in kept:
                first = kept[key]
                merged[first] = merged.get(first, 1) + 1
                if edge.label and edge.label not in labels.setdefault(first, []):
                    labels[first].append(edge.label)
                continue
            kept[key] = len(edges)
            if edge.label:
                labels[len(edges)] = [edge.label]
            edges.append((edge, place))
        for index, count in merged.items():
            edge, place = edges[index]
            label = " / ".join(labels.get(index, ())) or None
            edges[index] = (dataclasses.replace(edge, label=label), place)
            said = (f"，条件 “{label}”", f", labelled '{label}'") if label else ("", "")
            what = ("连线", "edges") if edge.kind == "flow" else ("监督连线", "oversight edges")
            self.warn(place, f"步骤 “{edge.source}” 到 “{edge.target}” 的 {count} 条"
                             f"{what[0]}已合并为一条{said[0]}",
                      f"{count} {what[1]} from step '{edge.source}' to '{edge.target}' "
                      f"were merged into one{said[1]}")
        self.edges = edges

    def _check_edges(self) -> None:
        """Every edge joins two declared steps, not a step to itself, and is written
        once in its kind; checked in the order the edges were added, so that the first
        wrong one is reported."""
        tabled = [table.kind for _, table, _ in self.tables]
        if len(set(tabled)) < len(tabled) or any(edge.kind in tabled for edge, _ in self.edges):
            raise ValueError("a table of edges must hold every edge of its kind")
        seen: dict[tuple[str, str, str], Place] = {}
        done = 0
        for number, (before, table, place) in enumerate(self.tables):
            self._check_listed(self.edges[done:before], seen)
            done = before
            self.tables[number] = (before, self._checked_table(table, place), place)
        self._check_listed(self.edges[done:], seen)

    def _check_listed(self, edges: Iterable[tuple[Edge, Place]],
                      seen: dict[tuple[str, str, str], Place]) -> None:
        """Check single edges, each with where it was written; ``seen``: the edges met
        before, by kind and ends."""
        for edge, place in edges:
            for end, field in ((edge.source, "from"), (edge.target, "to")):
                if end not in self.steps:
                    hint = difflib.get_close_matches(end, list(self.steps), 1)
                    more = (f"（是否应为 “{hint[0]}”？）", f" (did you mean '{hint[0]}'?)") \
                        if hint else ("", "")
                    self.fail(place.at(field), f"`{edge.kind}` 引用了未声明的步骤 “{end}”{more[0]}",
                              f"{edge.kind} refers to the undeclared step '{end}'{more[1]}")
            if edge.source == edge.target:
                self.fail(place, f"`{edge.kind}` 中的连线从 “{edge.source}” 指向自身",
                          f"an edge in {edge.kind} goes from '{edge.source}' to itself")
            key = (edge.kind, edge.source, edge.target)
            if key in seen:
                first = _first(seen[key])
                self.fail(place, f"`{edge.kind}` 中的连线 {edge.source} → {edge.target} "
                                 f"重复{first.zh}",
                          f"duplicate edge {edge.source} → {edge.target} in {edge.kind}"
                          f"{first.en}")
            seen[key] = place

    def _checked_table(self, table: EdgeTable, place: Callable[[int], Place]) -> EdgeTable:
        """A table whose edges check out, its ends made the steps' own ids (one text
        per step rather than two per edge): checked as whole columns and sets, and,
        when an edge is wrong, edge by edge as single edges are, for the same error."""
        ids = {step_id: step_id for step_id in self.steps}
        try:
            sources = tuple(map(ids.__getitem__, table.sources))
            targets = tuple(map(ids.__getitem__, table.targets))
        except KeyError:  # an end that is not a step
            sources = targets = ()
        if len(sources) < len(table) or any(map(operator.eq, sources, targets)) \
                or self._repeats(table.kind, sources, targets):
            self._check_listed(zip(table.edges(), map(place, range(len(table))), strict=True), {})
        return dataclasses.replace(table, sources=sources, targets=targets)

    def _repeats(self, kind: str, sources: tuple[str, ...], targets: tuple[str, ...]) -> bool:
        """Whether an edge is written twice. The flows are counted in their adjacency,
        which the flowchart is given (:attr:`flow_adjacency`): their million pairs are
        gone through once, not once for the check and again for the rules."""
        if kind != "flow":
            return len(set(zip(sources, targets, strict=True))) < len(sources)
        self.flow_adjacency = adjacency(self.steps, zip(sources, targets, strict=True))
        return sum(map(len, self.flow_adjacency[0].values())) < len(sources)


def _first(place: Place) -> Text:
    """Where something written twice was first written: `` (first at sheet 'steps',
    row 5)``, `` (first on line 11)``, or nothing when that is not known."""
    if place.context is not None:
        return Text(f"（已在 {place.context.zh} 出现）", f" (first at {place.context.en})")
    if place.line is not None:
        return Text(f"（第 {place.line} 行已出现）", f" (first on line {place.line})")
    return Text("", "")

"""Building a flowchart from what any format says, checked as strictly as the YAML.

Readers of tables, BPMN, draw.io and DOT hand the builder raw values (text, numbers,
booleans, lists) together with *where* each was written; the builder turns them into
the model's values and refuses, with that place, anything outside the model: an
unknown kind, a duplicate step, an edge to an undeclared step, discretion on a neutral
step, a reporting line that loops, a waiver without a reason. So every format reports
the same problems in the same words, and the model is only ever built valid.

Values are accepted as analysts write them in spreadsheets: ``是``/``否`` for booleans,
``一级`` for grade 1, ``500万`` or ``5,000,000`` for money, controls separated by ``;``,
``；``, ``、`` or commas (or as a JSON list when a name holds a separator), waivers as
``FG301: 理由; FG2: 理由`` (or a JSON object).
"""
from __future__ import annotations

import difflib
import json
import math
import re
from typing import Any, Mapping, NamedTuple

from ..errors import LoadError, LoadWarning
from ..frozen import FrozenDict
from ..i18n import Text
from ..model import (
    DISCRETION_LEVELS,
    DUTIES,
    NEUTRAL_KINDS,
    RANKS,
    STEP_KINDS,
    Actor,
    Edge,
    Flowchart,
    Position,
    Stakes,
    Step,
)

#: A rule code; ASCII digits only: ``\d`` would also take full-width ones (FG３０１), a
#: code no rule has, so such a waiver would be accepted and then waive nothing.
WAIVE_CODE = re.compile(r"FG[0-9]{1,3}")
#: ``FG301: 理由; FG2: 理由``: a reason runs to the next ``; CODE:`` (it may itself hold
#: semicolons).
WAIVER_TEXT = re.compile(r"(?i)(FG[0-9]{1,3})\s*[:：]\s*(.*?)\s*(?=[;；\n]\s*FG[0-9]{1,3}\s*[:：]|$)",
                         re.S)
GRADE_WORDS = {"一级": 1, "二级": 2, "三级": 3, "1": 1, "2": 2, "3": 3}
TRUE_WORDS = {"true", "yes", "y", "1", "是", "有", "√", "x"}
FALSE_WORDS = {"false", "no", "n", "0", "否", "无", ""}
LIST_SEPARATORS = re.compile(r"[;；、,，\n]")
META_KEYS = ("id", "title", "unit", "category", "basis", "superior_in_charge")
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


def money_text(value: float) -> str:
    """An amount as every writer puts it, and :meth:`ChartBuilder.money` reads it back:
    ``5000000``, ``1234567.5``."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def items_text(items: tuple[str, ...]) -> str:
    """A list as :meth:`ChartBuilder.items` reads it back: ``a; b``, or a JSON list when
    an item holds a separator or looks like JSON."""
    if any(LIST_SEPARATORS.search(item) for item in items) or items[0].startswith("["):
        return json.dumps(list(items), ensure_ascii=False)
    return "; ".join(items)


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
    tuple: readers make one for every step and edge."""

    line: int | None = None
    column: int | None = None
    context: Text | None = None


class ChartBuilder:
    """Collects one flowchart's parts from a reader, then :meth:`build` checks them."""

    def __init__(self, source: str):
        self.source = source
        self.meta: dict[str, str] = {}
        self._meta_places: dict[str, Place] = {}
        self.actors: dict[str, Actor] = {}
        self.steps: dict[str, Step] = {}
        self._step_places: dict[str, Place] = {}
        self._actor_places: dict[str, Place] = {}
        self.edges: list[tuple[Edge, Place]] = []
        self.warnings: list[LoadWarning] = []

    # -- errors ------------------------------------------------------------------------

    def fail(self, place: Place | None, zh: str, en: str):
        place = place or Place()
        if place.context is not None:
            zh, en = f"{place.context.zh}: {zh}", f"{place.context.en}: {en}"
        raise LoadError(Text(zh, en), self.source, place.line, place.column)

    def warn(self, place: Place | None, zh: str, en: str) -> None:
        """Note something skipped; the rest of the file still loads."""
        place = place or Place()
        if place.context is not None:
            zh, en = f"{place.context.zh}: {zh}", f"{place.context.en}: {en}"
        self.warnings.append(LoadWarning(Text(zh, en), self.source, place.line,
                                         place.column))

    # -- values --------------------------------------------------------------------------

    def text(self, value: Any, field: str, place: Place) -> str | None:
        if value.__class__ is str:  # the common case first: a reader's text
            return value.strip() or None
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        if isinstance(value, (list, dict, tuple)):
            self.fail(place, f"{field}: 应为文本", f"{field}: expected text")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        return text or None

    def choice(self, value: Any, allowed: tuple[str, ...], field: str,
               place: Place) -> str | None:
        if value is None:
            return None
        if value.__class__ is str and value in allowed:  # as written by a tool
            return value
        text = self.text(value, field, place)
        if text is None:
            return None
        if text.lower() in allowed:
            return text.lower()
        hint = difflib.get_close_matches(text.lower(), allowed, 1)
        more = (f"; 是否应为 “{hint[0]}”?", f"; did you mean '{hint[0]}'?") if hint else ("", "")
        self.fail(place, f"{field}: “{text}” 不是允许的值{more[0]} (应为: {', '.join(allowed)})",
                  f"{field}: '{text}' is not allowed{more[1]} (expected one of: "
                  f"{', '.join(allowed)})")

    def boolean(self, value: Any, field: str, place: Place) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
            if value in (0, 1):
                return bool(value)
        text = self.text(value, field, place)
        if text is None:
            return None
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        self.fail(place, f"{field}: 应为 true/false (是/否), 实际为 “{text}”",
                  f"{field}: expected true or false (是/否), got '{text}'")

    def money(self, value: Any, field: str, place: Place) -> float | None:
        if isinstance(value, bool):
            self.fail(place, f"{field}: 应为以元计的金额", f"{field}: expected an amount in yuan")
        if isinstance(value, (int, float)):
            amount = float(value)
            if math.isnan(amount):
                return None
        else:
            text = self.text(value, field, place)
            if text is None:
                return None
            match = re.fullmatch(r"[¥￥]?\s*([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(亿|万)?\s*(元)?",
                                 text)
            if not match:
                self.fail(place, f"{field}: 应为以元计的金额 (如 500000、50万), 实际为 “{text}”",
                          f"{field}: expected an amount in yuan (such as 500000 or 50万), "
                          f"got '{text}'")
            amount = float(match.group(1).replace(",", "").replace("，", ""))
            amount *= {"亿": 1e8, "万": 1e4, None: 1}[match.group(2)]
        if not math.isfinite(amount) or amount < 0:
            self.fail(place, f"{field}: 金额不能为负数或无穷", f"{field}: the amount must be "
                      f"a finite number of at least 0")
        return amount

    def integer(self, value: Any, field: str, place: Place, minimum: int = 1) -> int | None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        try:
            if isinstance(value, bool):
                raise ValueError
            number = float(str(value).strip()) if not isinstance(value, (int, float)) else value
            if not float(number).is_integer() or number < minimum:
                raise ValueError
            return int(number)
        except ValueError:
            self.fail(place, f"{field}: 应为不小于 {minimum} 的整数, 实际为 “{value}”",
                      f"{field}: expected a whole number of at least {minimum}, got '{value}'")

    def grade(self, value: Any, field: str, place: Place) -> int | None:
        text = self.text(value, field, place)
        if text is None:
            return None
        if text in GRADE_WORDS:
            return GRADE_WORDS[text]
        self.fail(place, f"{field}: 应为 1、2、3 (或 一级、二级、三级), 实际为 “{text}”",
                  f"{field}: expected 1, 2 or 3 (or 一级, 二级, 三级), got '{text}'")

    def items(self, value: Any, field: str, place: Place) -> tuple[str, ...]:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ()
        if isinstance(value, (list, tuple)):
            parts = [self.text(v, field, place) for v in value]
        else:
            text = self.text(value, field, place) or ""
            parts = _json_list(text)
            if parts is None:
                parts = LIST_SEPARATORS.split(text)
        return tuple(dict.fromkeys(p.strip() for p in parts if p and p.strip()))

    def waivers(self, value: Any, field: str, place: Place) -> dict[str, str]:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return {}
        if isinstance(value, str) and value.lstrip().startswith("{"):
            value = _json_object(value) or value
        if isinstance(value, Mapping):
            pairs = list(value.items())
        else:
            text = (self.text(value, field, place) or "").strip()
            pairs = [(m.group(1), m.group(2)) for m in WAIVER_TEXT.finditer(text)]
            if not pairs or not text.upper().startswith(pairs[0][0].upper()):
                code, _, reason = re.sub("：", ":", text).partition(":")
                pairs = [(code, reason)]  # reported below: not a code, or no reason
        waive = {}
        for code, reason in pairs:
            code = str(code).strip().upper()
            reason = self.text(reason, field, place)
            if not WAIVE_CODE.fullmatch(code):
                self.fail(place, f"{field}: “{code}” 不是规则代码 (如 FG301)",
                          f"{field}: '{code}' is not a rule code (such as FG301)")
            if not reason:
                self.fail(place, f"{field}: 豁免 {code} 必须写明理由 (如 FG301: 法定独任)",
                          f"{field}: waiving {code} needs a reason (FG301: reason)")
            waive[code] = reason
        return waive

    # -- parts ---------------------------------------------------------------------------

    def set_meta(self, key: str, value: Any, place: Place) -> None:
        assert key in META_KEYS, key
        text = self.text(value, key, place)
        if text is not None:
            self.meta[key] = text
            self._meta_places[key] = place

    def add_actor(self, actor_id: Any, place: Place, *, name=None, rank=None,
                  reports_to=None, collective=None, oversight=None, public=None) -> None:
        actor_id = self.text(actor_id, "actor", place)
        if actor_id is None:
            self.fail(place, "岗位缺少编号 (actor)", "an actor has no id (actor)")
        if actor_id in self.actors:
            self.fail(place, f"岗位 “{actor_id}” 重复", f"duplicate actor '{actor_id}'")
        self.actors[actor_id] = Actor(
            actor_id, self.text(name, "name", place) or actor_id,
            self.choice(rank, RANKS, "rank", place),
            self.text(reports_to, "reports_to", place),
            self.integer(collective, "collective", place),
            bool(self.boolean(oversight, "oversight", place)),
            bool(self.boolean(public, "public", place)),
            Position(place.line, place.column or 1) if place.line else None)
        self._actor_places[actor_id] = place

    def add_step(self, step_id: Any, place: Place, *, kind, label=None, actor=None,
                 discretion=None, money=None, people=None, rights=None, controls=None,
                 duty=None, declared_grade=None, time_limit=None, basis=None,
                 waive=None) -> None:
        step_id = self.text(step_id, "step", place)
        if step_id is None:
            self.fail(place, "步骤缺少编号 (step)", "a step has no id (step)")
        if step_id in self.steps:
            self.fail(place, f"步骤 “{step_id}” 重复", f"duplicate step '{step_id}'")
        kind = self.choice(kind, STEP_KINDS, "kind", place)
        if kind is None:
            self.fail(place, f"步骤 “{step_id}” 缺少类型 (kind)", f"step '{step_id}' has no kind")
        level = "none" if discretion is None else \
            self.choice(discretion, DISCRETION_LEVELS, "discretion", place) or "none"
        if level != "none" and kind in NEUTRAL_KINDS:
            self.fail(place, f"步骤 “{step_id}” 的类型 {kind} 不掌握权力, 不能有裁量权",
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
            Position(place.line, place.column or 1) if place.line else None)
        self._step_places[step_id] = place

    def add_edge(self, kind: str, source: Any, target: Any, place: Place,
                 label: Any = None) -> None:
        assert kind in ("flow", "oversight")
        text = self.text
        source = text(source, "from", place)
        target = text(target, "to", place)
        if source is None or target is None:
            self.fail(place, f"{kind} 的边缺少起点或终点", f"a {kind} edge lacks its ends")
        self.edges.append((Edge(source, target, kind,
                                None if label is None else text(label, "label", place),
                                Position(place.line, place.column or 1) if place.line
                                else None), place))

    # -- the whole ----------------------------------------------------------------------

    def build(self, default_id: str) -> Flowchart:
        """The flowchart, once every reference and the reporting lines check out."""
        if "title" not in self.meta:
            self.fail(None, "流程图缺少标题 (title)", "the flowchart has no title")
        if not self.steps:
            self.fail(None, "流程图没有步骤: 至少要有一个步骤",
                      "the flowchart has no step: it needs at least one")
        seen: dict[tuple[str, str, str], Place] = {}
        for edge, place in self.edges:
            for end in (edge.source, edge.target):
                if end not in self.steps:
                    hint = difflib.get_close_matches(end, list(self.steps), 1)
                    more = (f" (是否应为 “{hint[0]}”?)", f" (did you mean '{hint[0]}'?)") \
                        if hint else ("", "")
                    self.fail(place, f"{edge.kind} 引用了未声明的步骤 “{end}”{more[0]}",
                              f"{edge.kind} refers to the undeclared step '{end}'{more[1]}")
            if edge.source == edge.target:
                self.fail(place, f"{edge.kind} 中的边从 “{edge.source}” 指向自身",
                          f"an edge in {edge.kind} goes from '{edge.source}' to itself")
            key = (edge.kind, edge.source, edge.target)
            if key in seen:
                self.fail(place, f"{edge.kind} 中的边 {edge.source} → {edge.target} 重复",
                          f"duplicate edge {edge.source} → {edge.target} in {edge.kind}")
            seen[key] = place
        for actor_id, actor in self.actors.items():
            chain, boss = [actor_id], actor.reports_to
            while boss is not None and boss in self.actors:
                if boss in chain:
                    loop = " → ".join(chain[chain.index(boss):] + [boss])
                    self.fail(self._actor_places[actor_id], f"汇报关系形成环: {loop}",
                              f"the reporting line loops: {loop}")
                chain.append(boss)
                boss = self.actors[boss].reports_to
        meta = self.meta
        return Flowchart(
            meta.get("id", default_id), meta["title"], self.steps.values(),
            [e for e, _ in self.edges if e.kind == "flow"],
            [e for e, _ in self.edges if e.kind == "oversight"], self.actors.values(),
            unit=meta.get("unit"), category=meta.get("category"), basis=meta.get("basis"),
            superior_in_charge=meta.get("superior_in_charge"), source=self.source,
            warnings=self.warnings)

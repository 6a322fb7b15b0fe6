"""The words units write for closed values, in every format: one table.

A unit's table says 受理 where the model says ``task``, 较大 for ``high``, 科级 for
``section``, 出纳 for ``custody``, 一级 for grade 1 and 是 for true. The builder
(:mod:`flowgraph.io.builder`) reads every format's values through these tables, so a
YAML file may say ``kind: 审批``, a draw.io cell ``discretion=较大``, a BPMN task
``fg:duty="出纳"`` and a DOT node ``kind=公示``, and a workbook 是 in 监督机构.

For each field the first word of a value is the one flowgraph writes (the workbook
writer, the template's drop-down lists): 开始、结束、办理、决定、审核、监督、公开、分支、
系统; the others are read as well. Words are compared as :func:`folded` makes them:
full-width forms half-width (NFKC), without spaces, in any case, so ``较 大`` and
``ＹＥＳ`` are read too.

``python -m flowgraph.io.words`` prints the table of docs/formats.md
(tests/test_words.py checks that the page shows it).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from ..frozen import FrozenDict
from ..i18n import Text
from ..model import COLLECTIVE_MINIMUM

#: The Chinese words for the values of each field with a closed set of values, each
#: value's words in one string, the first the one written.
_WORDS = {
    "kind": {
        "start": "开始 起始 起点",
        "end": "结束 办结 终止 终点",
        "task": "办理 受理 经办 承办 执行 任务",
        "decision": "决定 审批 批准 决策 审定 签发 核准",
        "review": "审核 审查 复核 初审 复审 核查 会审",
        "oversight": "监督 监察 纪检 审计 督查 巡察",
        "disclosure": "公开 公示 公告",
        "gateway": "分支 判断 条件判断 分流",
        "system": "系统 自动 系统自动",
        # an edge's kind (draw.io's Edit Data, DOT): oversight as above
        "flow": "流转 流程 顺序",
    },
    "discretion": {
        "none": "无 无裁量权 没有",
        "low": "较小 小 低 较低 有限 较小裁量权",
        "medium": "一般 中等 中 一般裁量权 中等裁量权",
        "high": "较大 大 高 较高 较大裁量权",
    },
    "rank": {
        "staff": "科员 工作人员 一般工作人员 办事员 一般干部",
        "section": "科级 科室负责人 股室负责人 中层 中层干部",
        "deputy": "副职 分管领导 副职领导 分管负责人",
        "principal": "正职 主要负责人 主要领导 正职领导",
    },
    "duty": {
        "apply": "申请 申报 提出",
        "approve": "审批 批准",
        "execute": "执行 经办 办理 支付 采购",
        "record": "记录 记账 会计 核算 登记",
        "custody": "保管 出纳 资产保管",
        "inspect": "检查 监督检查 监督 稽核 审计 验收",
    },
}
CHOICE_WORDS: Mapping[str, Mapping[str, str]] = FrozenDict({
    field: FrozenDict({word: value for value, words in values.items()
                       for word in words.split()})
    for field, values in _WORDS.items()})

#: The spellings of each declared grade (a number or a grade's name), as risk tables
#: write them: 一级/二级/三级, 1/2/3, 高/中/低, stars, Roman numerals; the first is
#: written.
GRADE_SPELLINGS: Mapping[str, int] = FrozenDict({
    word: grade for grade, words in (
        (1, "一级 1 高 ★★★ 1级 I级 一级风险 高风险"),
        (2, "二级 2 中 ★★ 2级 II级 二级风险 中风险"),
        (3, "三级 3 低 ★ 3级 III级 三级风险 低风险"))
    for word in words.split()})

#: Yes and no, as tables and diagrams write them (``x`` and ``√``: a ticked box).
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是", "有", "√", "✓", "✔", "x", "涉及"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", "无", "没有", "不涉及", ""})


def folded(text: str) -> str:
    """A word as it is compared: NFKC (full-width forms half-width, Ⅱ as II), without
    white space, case-folded.

    >>> folded("较 大"), folded("ＹＥＳ"), folded("Ⅱ级")
    ('较大', 'yes', 'ii级')
    """
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


_FOLDED_CHOICES = {field: {folded(word): value for word, value in words.items()}
                   for field, words in CHOICE_WORDS.items()}
_FOLDED_GRADES = {folded(word): grade for word, grade in GRADE_SPELLINGS.items()}


def choice_word(field: str, text: str, allowed: tuple[str, ...]) -> str | None:
    """The value of ``allowed`` that ``text`` means, written as the value (any case) or
    as one of its words; None when it means none of them.

    >>> choice_word("kind", "受理", ("start", "task")), choice_word("kind", "Task", ("task",))
    ('task', 'task')
    """
    key = folded(text)
    if key in allowed:
        return key
    value = _FOLDED_CHOICES.get(field, {}).get(key)
    return value if value in allowed else None


def grade_word(text: str) -> int | None:
    """The grade (1, 2, 3) a text names, or None."""
    return _FOLDED_GRADES.get(folded(text))


def yes_no(text: str) -> bool | None:
    """True or False for a word of :data:`TRUE_WORDS` or :data:`FALSE_WORDS`, else None."""
    key = folded(text)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    return None


def chosen_words(field: str, values: tuple[str, ...]) -> list[str]:
    """The Chinese word written for each of ``values`` of ``field`` (the first of
    :data:`CHOICE_WORDS` that means it), in their order: ``开始、结束、办理 …``."""
    words = CHOICE_WORDS.get(field, {})
    return [next(word for word, meant in words.items() if meant == value)
            for value in values if value in words.values()]


def other_words(field: str, values: tuple[str, ...]) -> list[str]:
    """The words of ``values`` read besides the one written, in their order."""
    written = set(chosen_words(field, values))
    return [word for word, meant in CHOICE_WORDS.get(field, {}).items()
            if meant in values and word not in written]


def expected_choice(field: str, allowed: tuple[str, ...]) -> Text:
    """What a value of ``field`` may be, in each language's words first:
    ``开始、结束、办理 … (或 start, end, task …)`` and ``start, end, task … (or 开始、
    结束、办理 …)``."""
    english = ", ".join(allowed)
    chinese = "、".join(chosen_words(field, allowed))
    if not chinese:
        return Text(english, english)
    return Text(f"{chinese} (或 {english})", f"{english} (or {chinese})")


#: What a yes-or-no value may be, and a grade, in each language's words first.
EXPECTED_YES_NO = Text("是或否 (或 有/无、true/false)", "true or false (是/否)")
EXPECTED_GRADE = Text("一级、二级、三级 (或 1、2、3, 高、中、低)",
                      "1, 2 or 3 (or 一级, 二级, 三级)")


# -- the reference table of docs/formats.md ------------------------------------------

#: The fields of each table, with the headings docs/formats.md names them by.
_FIELDS = (
    ("kind", "`kind` (类型)"),
    ("discretion", "`discretion` (裁量权)"),
    ("rank", "`rank` (级别)"),
    ("duty", "`duty` (职责)"),
)


def markdown() -> str:
    """The words every format reads, as docs/formats.md shows them: one row per value."""
    lines = ["| field | value | words read (the first is written) |", "|---|---|---|"]
    for field, heading in _FIELDS:
        for value, words in _WORDS[field].items():
            shown = f"`{value}` (an edge: draw.io, DOT)" if value == "flow" else f"`{value}`"
            lines.append(f"| {heading} | {shown} | {'、'.join(words.split())} |")
            heading = ""
    for grade in (1, 2, 3):
        words = "、".join(word for word, meant in GRADE_SPELLINGS.items() if meant == grade)
        lines.append(f"| {'`declared_grade` (风险等级)' if grade == 1 else ''} | `{grade}` "
                     f"| {words} |")
    yes = "、".join(sorted(TRUE_WORDS - {"true", "yes", "y", "1", "x"}, key=_order))
    no = "、".join(sorted(FALSE_WORDS - {"false", "no", "n", "0", ""}, key=_order))
    lines.append(f"| yes or no: `people`, `rights`, `oversight`, `public`, `outside`, "
                 f"`collective` (是: a body of {COLLECTIVE_MINIMUM}) | "
                 f"`true` | {yes}, `true`, `yes`, `y`, `1`, `x` |")
    lines.append(f"| | `false` | {no}, `false`, `no`, `n`, `0`, an empty cell |")
    return "\n".join(lines) + "\n"


def _order(word: str) -> tuple[int, str]:
    """Chinese words before marks, each in a fixed order."""
    return (0 if "\u4e00" <= word[0] <= "\u9fff" else 1, word)


if __name__ == "__main__":  # pragma: no cover - regenerates the page's table
    print(markdown(), end="")

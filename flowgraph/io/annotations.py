"""What a text annotation says about the step it is tied to, in the words people
write (docs/formats.md, "Annotations"): a BPMN user without flowgraph's own attributes
states discretion, the controls in place and missing, the money at stake, a personnel
matter and the step's duty in plain Chinese beside the task.

* discretion: 裁量权较大, 自由裁量权：较大, 具有较大自由裁量权, 裁量空间较大, 有一定自由裁量权,
  裁量权较小, 无裁量权 … (high, medium, low, none); 裁量基准 and 裁量标准 are controls,
  not discretion;
* controls: any synonym of the control vocabulary, unless denied just before it
  (无, 没有, 未, 尚未, 暂无, 缺少 …, with or without 制定, 建立, 出台 …: 尚未制定裁量基准
  names no benchmark);
* money: an amount with its unit (200万元, 1.5亿元, 30000元, 50万), the largest one;
* a personnel matter: 人事, 干部, 录用, 调配, 任免, 招聘, 选拔任用 … (not when denied:
  不涉及人事);
* a duty: after 职责 in the words every format reads for duties (职责：审批, 职责为记账:
  :mod:`flowgraph.io.words`), or on its own for the words that name nothing else
  (记账, 出纳, 保管).

Each phrase read is kept with what it set (:attr:`Said.phrases`), so that ``convert``
and ``check -v`` can show the user what was understood.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..i18n import Text
from ..vocabulary import DISCRETION_NAMES, DUTY_NAMES
from .words import CHOICE_WORDS

#: Words that deny what is named right after them, with a verb between or not.
_DENIED = re.compile(r"(?:无|没有|未|尚未|暂无|暂未|缺少|缺乏|不|未曾|不涉及|no|without|lacks?)"
                     r"\s*(?:制定|建立|出台|明确|设定|设立|形成|实行|实施|执行|涉及|有|have|has|a|an)?"
                     r"\s*(?:的|相关|相应)?\s*$")
#: How far before a word a denial is looked for.
_WINDOW = 10

_NOUN = r"(?:自由)?裁量(?:权|空间|幅度|余地)?(?!基准|标准)"
_LEVELS = {"high": r"较大|很大|重大|较高|大|高",
           "medium": r"一定|一般|中等|适中",
           "low": r"较小|很小|较低|有限|小|低"}
#: (level, pattern): the noun then the level (裁量权：较大), or the level then the noun
#: (具有较大自由裁量权, 较大的裁量空间), or a denial of the noun (无裁量权).
DISCRETION_PATTERNS = tuple(
    (level, re.compile(f"{_NOUN}\\s*[:：]?\\s*(?:是|为)?\\s*(?:{words})|"
                       f"(?:{words})(?:的)?{_NOUN}", re.I))
    for level, words in _LEVELS.items()) + (
    ("none", re.compile(f"(?:无|没有|不具有|不涉及|不存在){_NOUN}")),
    ("high", re.compile(r"high discretion|discretion\s*[:：]\s*high", re.I)),
    ("medium", re.compile(r"medium discretion|some discretion|discretion\s*[:：]\s*medium",
                          re.I)),
    ("low", re.compile(r"low discretion|discretion\s*[:：]\s*low", re.I)),
    ("none", re.compile(r"no discretion", re.I)),
)

_AMOUNT = re.compile(r"([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(亿元|万元|元|亿|万)")
_SCALE = {"亿元": 1e8, "亿": 1e8, "万元": 1e4, "万": 1e4, "元": 1}

PERSONNEL_WORDS = ("选拔任用", "人事", "干部", "录用", "调配", "任免", "招聘", "晋升", "personnel")

#: Duty words after 职责: the vocabulary's (:data:`flowgraph.io.words.CHOICE_WORDS`,
#: the words every format reads), longest first; the bare ones name a duty anywhere.
_DUTY_OF = dict(sorted(CHOICE_WORDS["duty"].items(), key=lambda item: -len(item[0])))
BARE_DUTY_WORDS = ("记账", "出纳", "保管")
_DUTY = re.compile(r"职责\s*[:：]?\s*(?:是|为)?\s*(" + "|".join(map(re.escape, _DUTY_OF)) + ")")


@dataclass
class Said:
    """What one annotation says: the controls it names (where, synonym, folded
    synonym), the discretion, amount, personnel matter and duty it states, and each
    phrase read with what it set."""

    controls: list[tuple[int, str, str]] = field(default_factory=list)
    discretion: str | None = None
    money: float | None = None
    people: bool = False
    duty: str | None = None
    phrases: list[tuple[str, Text]] = field(default_factory=list)


def denial(text: str, start: int) -> int | None:
    """Where the words denying the word at ``start`` of ``text`` begin, or None when
    nothing just before it denies it."""
    begin = max(0, start - _WINDOW)
    match = _DENIED.search(text[begin:start])
    return None if match is None else begin + match.start()


def denied(text: str, start: int) -> bool:
    """Whether the word at ``start`` of ``text`` is denied just before it."""
    return denial(text, start) is not None


def affirmed(text: str, word: str) -> int:
    """Where ``text`` first names ``word`` without denying it; -1 if it never does."""
    start = text.find(word)
    while start >= 0:
        if not denied(text, start):
            return start
        start = text.find(word, start + 1)
    return -1


def read_annotation(text: str, synonyms: tuple[tuple[str, str], ...]) -> Said:
    """What an annotation's ``text`` says, the controls in the vocabulary's
    ``synonyms`` (each with its case-folded form, longest first)."""
    said = Said()
    folded = text.casefold()
    spans: list[tuple[int, int]] = []  # where a longer synonym was denied (暂无处罚裁量基准)
    for synonym, folded_synonym in synonyms:
        start = folded.find(folded_synonym)
        while start >= 0:
            if any(a <= start < b for a, b in spans):
                start = folded.find(folded_synonym, start + 1)
                continue
            begin = denial(folded, start)
            if begin is None:
                said.controls.append((start, synonym, folded_synonym))
                break
            else:
                spans.append((start, start + len(synonym)))
                said.phrases.append((text[begin:start + len(synonym)],
                                     Text(f"没有{synonym}", f"no {synonym}")))
            start = folded.find(folded_synonym, start + 1)
    found = [(match.start(), level, match.group(0)) for level, pattern in DISCRETION_PATTERNS
             for match in [pattern.search(text)] if match]
    if found:
        _, said.discretion, phrase = min(found)
        said.phrases.append((phrase, DISCRETION_NAMES[said.discretion]))
    for match in _AMOUNT.finditer(text):
        amount = float(match.group(1).replace(",", "").replace("，", "")) * _SCALE[match.group(2)]
        if said.money is None or amount > said.money:
            said.money = amount
        said.phrases.append((match.group(0), Text(f"金额 {amount:,.0f} 元",
                                                  f"money {amount:,.0f} yuan")))
    for word in PERSONNEL_WORDS:
        if affirmed(folded, word) >= 0:
            said.people = True
            said.phrases.append((word, Text("涉及人事", "a personnel matter")))
            break
    match = _DUTY.search(text)
    word = match.group(1) if match else next((w for w in BARE_DUTY_WORDS if w in text), None)
    if word is not None:
        said.duty = _DUTY_OF[word]
        name = DUTY_NAMES[said.duty]
        said.phrases.append((match.group(0) if match else word,
                             Text(f"职责：{name.zh}", f"duty: {name.en}")))
    return said


def combine(saids: list[Said]) -> tuple[dict, list[tuple[str, Text]]]:
    """The values the annotations of one node give (controls in the vocabulary's words,
    in the order named; a synonym inside one already named, 复核 inside 双人复核, not
    again; the first annotation stating a value gives it, the largest amount counts),
    and the phrases read with what each set, controls included."""
    controls, found, values, phrases = [], [], {}, []
    for said in saids:
        kept = []
        for where, synonym, folded_synonym in said.controls:
            if not any(folded_synonym in longer for longer in found):
                kept.append((where, synonym))
                found.append(folded_synonym)
        for _, synonym in sorted(kept):
            controls.append(synonym)
            phrases.append((synonym, Text(f"已有措施：{synonym}", f"control: {synonym}")))
        phrases.extend(said.phrases)
        for key in ("discretion", "duty"):
            if values.get(key) is None and getattr(said, key) is not None:
                values[key] = getattr(said, key)
        if said.money is not None and said.money > values.get("money", -1):
            values["money"] = said.money
        if said.people:
            values["people"] = True
    if controls:
        values["controls"] = controls
    return values, phrases

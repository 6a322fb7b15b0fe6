"""The analysis policy: the few facts of practice the rules need, all configurable.

- ``high_stakes_money``: the amount (yuan) from which a step is high-stakes
  (design.md §6; default 100,000).
- ``incompatible_duties``: the pairs of duties one post may not hold on one path
  (不相容职务, after the internal-control norms of 2008 and 2012).
- ``controls``: the control vocabulary, mapping every synonym, Chinese or English, to a
  canonical control, so that ``裁量基准``, ``自由裁量基准`` and ``discretion benchmark``
  all count as the same measure.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .frozen import FrozenDict
from .i18n import Text
from .model import Step

DEFAULT_HIGH_STAKES_MONEY = 100_000

DEFAULT_INCOMPATIBLE_DUTIES: tuple[tuple[str, str], ...] = (
    ("apply", "approve"),
    ("approve", "execute"),
    ("execute", "record"),
    ("custody", "record"),
    ("execute", "inspect"),
    ("approve", "inspect"),
)

#: Canonical controls and their synonyms (matched after case-folding and trimming).
DEFAULT_CONTROLS: Mapping[str, tuple[str, ...]] = FrozenDict({
    "discretion-benchmark": ("裁量基准", "自由裁量基准", "裁量标准", "处罚裁量基准",
                             "discretion benchmark", "benchmark"),
    "collective-decision": ("集体决策", "集体讨论", "集体研究", "集体审议",
                            "collective decision"),
    "dual-review": ("双人复核", "分级审批", "双人审核", "复核", "dual review",
                    "tiered approval"),
    "disclosure": ("公开公示", "公示", "公开", "结果公开", "disclosure", "publication"),
    "e-monitoring": ("电子监察", "网上审批", "电子监控", "e-monitoring"),
    "recusal": ("回避", "利害关系回避", "recusal"),
    "rotation": ("轮岗", "定期轮岗", "rotation"),
    "time-limit": ("限时办结", "时限", "time limit"),
    "one-time-notice": ("一次性告知", "one-time notice"),
    "payment-separation": ("罚缴分离", "票款分离", "收支两条线", "payment separation"),
    "legal-review": ("法制审核", "合法性审查", "legal review"),
    "random-experts": ("专家随机抽取", "随机抽取专家", "random experts"),
})


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Policy:
    """What the rules take from configuration. Immutable; build a new one to change."""

    high_stakes_money: float = DEFAULT_HIGH_STAKES_MONEY
    incompatible_duties: tuple[tuple[str, str], ...] = DEFAULT_INCOMPATIBLE_DUTIES
    controls: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_CONTROLS)

    @cached_property
    def _synonyms(self) -> dict[str, str]:
        table = {}
        for canonical, synonyms in self.controls.items():
            table[_key(canonical)] = canonical
            for synonym in synonyms:
                table[_key(synonym)] = canonical
        return table

    def canonical_control(self, name: str) -> str:
        """The canonical name of a control, or the name itself when it is not known."""
        return self._synonyms.get(_key(name), name)

    def display_name(self, canonical: str) -> Text:
        """How a canonical control is shown: its first Chinese synonym, and in English
        its canonical name in words (``discretion benchmark``)."""
        synonyms = self.controls.get(canonical, ())
        chinese = next((s for s in synonyms if not s.isascii()), canonical)
        return Text(chinese, canonical.replace("-", " "))

    def has_control(self, step: Step, canonical: str) -> bool:
        """Whether the step lists a control that means ``canonical``."""
        return any(self.canonical_control(c) == canonical for c in step.controls)

    def is_high_stakes(self, step: Step) -> bool:
        """Medium or high discretion, money at or above the threshold, or people."""
        stakes = step.stakes
        return (step.discretion in ("medium", "high")
                or (stakes.money is not None and stakes.money >= self.high_stakes_money)
                or stakes.people)


def merge_controls(base: Mapping[str, Iterable[str]],
                   extra: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    """The vocabulary ``base`` with the synonyms of ``extra`` added (new canonicals too)."""
    merged = {name: tuple(synonyms) for name, synonyms in base.items()}
    for name, synonyms in extra.items():
        merged[name] = tuple(dict.fromkeys((*merged.get(name, ()), *synonyms)))
    return FrozenDict(merged)


#: Years a holder may stay in a post of the rotation grades before rotation is due.
#: Five years is the practice of the local rules on key posts (重点岗位): the national
#: rules ask for rotation of those who have held an internal post "for a long time"
#: and require it of leadership members after ten years (docs/programme.md, "The
#: rotation rule and its source").
DEFAULT_ROTATION_YEARS = 5
#: Months ahead in which a rotation coming due is announced (FG602).
DEFAULT_NOTICE_MONTHS = 6


@dataclass(frozen=True)
class RotationPolicy:
    """When the holders of a post are due for rotation (轮岗), and whose commitment
    (岗位廉政承诺书) is checked: the configuration's ``rotation_grades``,
    ``rotation_years``, ``rotation_notice_months`` and ``commitment_grades``.

    A holder of a post whose grade over its unit is in ``grades`` is due once ``years``
    years have passed since the day they took the post, and due soon within
    ``notice_months`` months before; a holder of a post whose grade is in
    ``commitment_grades``, or of a key post, must have signed a commitment."""

    grades: tuple[int, ...] = (1,)
    years: int = DEFAULT_ROTATION_YEARS
    notice_months: int = DEFAULT_NOTICE_MONTHS
    commitment_grades: tuple[int, ...] = (1,)

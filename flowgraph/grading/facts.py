"""What a step is, as every grading method sees it: the facts of its inherent risk.

A grade is the *inherent* risk of the power a step exercises (design.md §7): what it
could do if abused, how large, how much latitude, in what field. Every method reads the
same facts, gathered once per step here, so that the three presets differ only in how
they weigh them:

- the latitude: the step's discretion;
- what is at stake: money, people (appointments), a party's rights;
- whether the post *decides* (a decision, or a step where it has real latitude) or the
  matter only passes through its hands (recording, keeping, paying out what others
  decided): passing money does not make a post powerful;
- whether the matter is a major one (三重一大): large sums, appointments, or a step the
  unit itself takes collectively because it is major;
- whether the step deals directly with a party (an external power: licences, penalties,
  levies, benefits, inspections …);
- whether the power lies in a field where integrity cases are frequent (land, projects,
  procurement, funds, appointments …), read from the chart's category and title;
- the weaknesses the audit found on the step: counted once, whichever rules see them;
- the controls in place, which are measures listed against the grade, never subtracted
  from it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Flowchart, Step
from ..policy import Policy

#: Duties through which a matter passes without being decided (执行、记录、保管).
PASS_THROUGH_DUTIES = frozenset({"execute", "record", "custody"})


@dataclass(frozen=True)
class StepFacts:
    """The inherent facts of one step of power, and the weaknesses found on it."""

    step: Step
    rank: str | None
    collective: bool
    decisive: bool
    major: bool
    external: bool
    field: str | None
    #: Codes of the (unwaived) findings of risk-factor rules on the step, sorted.
    weaknesses: tuple[str, ...]
    #: Canonical names of the recognised controls on the step (a collective body's step
    #: counts as a collective decision).
    controls: tuple[str, ...]

    @property
    def intervenes(self) -> bool:
        """Someone can intervene here: the post has some latitude, or reviews or
        decides (a step that only records, delivers or files does not)."""
        return self.step.discretion != "none" or self.step.kind in ("review", "decision")

    @property
    def discretion(self) -> str:
        return self.step.discretion

    @property
    def money(self) -> float | None:
        return self.step.stakes.money

    @property
    def people(self) -> bool:
        return self.step.stakes.people

    @property
    def rights(self) -> bool:
        return self.step.stakes.rights


@dataclass(frozen=True)
class FieldPolicy:
    """How the facts are read: the amount that makes a matter major, the categories of
    external powers and the words of the fields where cases are frequent."""

    major_money: float = 1_000_000
    #: Categories whose decisions deal directly with a citizen or firm (外部权力).
    external_categories: tuple[str, ...] = (
        "行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认",
        "行政奖励", "行政裁决", "行政审批", "非行政许可审批")
    #: Words of a chart's category or title that name a field of frequent cases
    #: (高发领域), as inspection reports list them.
    frequent_fields: tuple[str, ...] = (
        "土地", "出让", "矿", "工程", "招标", "投标", "采购", "专项资金", "资金分配",
        "资金拨付", "补助", "补贴", "救助", "低保", "干部", "选拔", "任用", "招聘", "录用",
        "人事", "拆迁", "征地", "国有资产", "规划许可", "资质", "最低生活保障", "住房保障",
        "扶贫", "医保基金", "社会保险基金")


def step_facts(flowchart: Flowchart, step: Step, weaknesses: tuple[str, ...],
               policy: Policy, fields: FieldPolicy) -> StepFacts:
    """The facts of ``step`` (a holder of power) in ``flowchart``."""
    actor = flowchart.actor_of(step.id)
    collective = actor is not None and actor.is_collective
    controls = list(dict.fromkeys(
        canonical for canonical in map(policy.canonical_control, step.controls)
        if canonical in policy.controls))
    if collective and "collective-decision" not in controls:
        controls.append("collective-decision")
    money = step.stakes.money or 0
    decisive = step.duty not in PASS_THROUGH_DUTIES and (
        step.kind == "decision" or step.discretion in ("medium", "high") or collective)
    major = decisive and (money >= fields.major_money or step.stakes.people
                          or "collective-decision" in controls)
    category = flowchart.category or ""
    external = any(name in category for name in fields.external_categories)
    where = f"{category} {flowchart.title}"
    field = next((word for word in fields.frequent_fields if word in where), None) \
        if decisive else None
    return StepFacts(step, actor.rank if actor is not None else None, collective,
                     decisive, major, external, field, weaknesses, tuple(controls))

"""The grading pass: the suggested grade (一级/二级/三级) of every risk point of a chart.

Only the steps where a post holds power can be risk points (task, decision, review):
start, end, gateway and system steps hold none, and oversight and disclosure steps are
the checks themselves; a step done by a body outside the unit (:mod:`.bodies`) is not
the unit's risk point. For each other, the pass gathers the step's facts (:mod:`.facts`),
with the weaknesses the audit found on it (the unwaived findings of the rules that are
risk factors, whatever ``--select`` says, so that selection chooses what is reported,
not how risky a step is), and asks the configured method (:mod:`.methods`) for its
grade. A step whose facts meet no criterion of the method is not a risk point.

The grade is the step's inherent risk: controls do not lower it (design.md §7). The
default method is the criteria count (要素计数), calibrated on a generated city against
the practice's shares (docs/grading.md).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..i18n import Text
from ..model import Finding, Flowchart, Reason, StepGrade
from ..policy import Policy
from ..rules import BY_CODE
from .bodies import outside_reason
from .facts import FieldPolicy, step_facts
from .methods import METHODS, Consequence, CriteriaCount, WeightedScore


@dataclass(frozen=True)
class GradingPolicy:
    """Which method grades, the settings of each, and how facts are read. Immutable."""

    method: str = "criteria"
    criteria: CriteriaCount = field(default_factory=CriteriaCount)
    consequence: Consequence = field(default_factory=Consequence)
    score: WeightedScore = field(default_factory=WeightedScore)
    fields: FieldPolicy = field(default_factory=FieldPolicy)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(self.method)

    @property
    def chosen(self) -> CriteriaCount | Consequence | WeightedScore:
        """The method in use."""
        return getattr(self, self.method)


def weaknesses_by_step(findings: Iterable[Finding]) -> dict[str, tuple[str, ...]]:
    """The codes of the unwaived findings of risk-factor rules on each step."""
    codes: dict[str, set[str]] = {}
    for finding in findings:
        rule = BY_CODE.get(finding.rule)
        if finding.waived or rule is None or rule.weight is None:
            continue
        for step_id in finding.steps:
            codes.setdefault(step_id, set()).add(finding.rule)
    return {step: tuple(sorted(found)) for step, found in codes.items()}


def grade_chart(flowchart: Flowchart, findings: Iterable[Finding], policy: Policy,
                grading: GradingPolicy | None = None) -> dict[str, StepGrade]:
    """The suggested grade of every step where a post holds power, in step order
    (``grade`` None for a step that is not a risk point)."""
    grading = grading or GradingPolicy()
    method = grading.chosen
    weaknesses = weaknesses_by_step(findings)
    outside = {actor_id: reason for actor_id, actor in flowchart.actors.items()
               if (reason := outside_reason(actor, flowchart.unit)) is not None}
    grades = {}
    alike: dict[tuple, StepGrade] = {}
    for step in flowchart.steps.values():
        if not step.is_holder:
            continue
        if step.actor in outside:
            grades[step.id] = StepGrade(step.id, 0, None, (Reason(
                "outside", 0, Text(f"由外单位办理（{outside[step.actor].zh}）",
                                   f"done outside the unit ({outside[step.actor].en})")),))
            continue
        weak = weaknesses.get(step.id, ())
        # Steps alike in everything their facts are made of are graded alike: a chart
        # of 100,000 steps has a few hundred kinds (grading took 1.0 s of it, now 0.3 s).
        key = (step.kind, step.actor, step.discretion, step.duty, step.controls,
               step.stakes, weak)
        known = alike.get(key)
        if known is None:
            facts = step_facts(flowchart, step, weak, policy, grading.fields)
            grades[step.id] = alike[key] = method.grade(facts)
        else:
            grades[step.id] = StepGrade(step.id, known.score, known.grade, known.reasons)
    return grades

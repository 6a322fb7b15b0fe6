"""Suggested risk grades (一级/二级/三级): a score for every step, with its reasons.

design.md §7: a step's score adds a weight for each risk factor it carries and
subtracts one for each recognised prevention measure; thresholds turn the score into a
grade. The factors, in the order reasons list them:

- the discretion the post has at the step (``none`` … ``high``);
- the money at stake, by band (the highest band reached counts), people (personnel
  decisions) and rights (a citizen's or firm's rights granted or taken away);
- the rank of the post (a principal leader's step weighs more than a clerk's);
- the findings the audit made on the step (an unchecked discretion point is riskier
  than the same step with a check); waived findings do not count, each rule counts
  once per step. A rule that is a risk factor declares its weight and its words in its
  own module (``WEIGHT``, ``FACTOR``), read here from the registry;
- less each recognised control on the step (by its canonical name, so 裁量基准 and
  自由裁量基准 count once), up to ``control_limit`` of them; a collective body deciding
  counts as the control ``collective-decision``. Procedural measures that do not check
  anyone (time limits, one-time notice) weigh nothing by default.

Only the steps where a post holds power can be risk points (task, decision, review):
start, end, gateway and system steps hold none, and oversight and disclosure steps are
the checks themselves. A step is a risk point when its risk factors alone, before the
controls, reach the grade-3 threshold: controls lower a risk point's grade, but a step
where someone can intervene stays on the ledger however well it is controlled, as in
practice (measures are listed against each risk point, not used to strike it off).
The grade is 1 from ``thresholds[0]``, 2 from ``thresholds[1]``, otherwise 3. The
default weights put grade 1 at about one risk point in twenty and grade 3 at most of
them, as practice does (docs/grading.md has the calibration and how to reproduce it).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from ..frozen import FrozenDict
from ..i18n import Text
from ..model import Finding, Flowchart, Reason, Step, StepGrade
from ..policy import Policy
from ..rules import BY_CODE, RULES
from ..vocabulary import DISCRETION_NAMES, GRADES, RANK_NAMES, yuan

DEFAULT_DISCRETION = FrozenDict({"none": 0, "low": 1, "medium": 2, "high": 3})
DEFAULT_MONEY_BANDS = ((100_000, 1), (1_000_000, 2), (10_000_000, 3))
DEFAULT_RANK = FrozenDict({"staff": 0, "section": 1, "deputy": 1, "principal": 2})
#: The rules that are risk factors, with the weight each declares (its ``WEIGHT``).
DEFAULT_FINDINGS = FrozenDict({rule.code: rule.weight for rule in RULES
                               if rule.weight is not None})
#: Controls whose weight differs from ``ScoringPolicy.control``.
DEFAULT_CONTROL_WEIGHTS = FrozenDict({"time-limit": 0, "one-time-notice": 0})


@dataclass(frozen=True)
class ScoringPolicy:
    """The weights and thresholds of the suggested grades. Immutable.

    ``money_bands`` are ``(yuan, weight)`` pairs: the weight of the highest band the
    step's money reaches counts. ``findings`` maps rule codes to weights (by default,
    the ``weight`` each rule declares). ``control``
    is the (negative) weight of each recognised control, ``controls`` the weights of
    particular ones; at most ``control_limit`` controls count. ``thresholds`` are the
    lowest scores of grades 1, 2, 3.
    """

    discretion: Mapping[str, int] = field(default_factory=lambda: DEFAULT_DISCRETION)
    money_bands: tuple[tuple[float, int], ...] = DEFAULT_MONEY_BANDS
    people: int = 3
    rights: int = 1
    rank: Mapping[str, int] = field(default_factory=lambda: DEFAULT_RANK)
    findings: Mapping[str, int] = field(default_factory=lambda: DEFAULT_FINDINGS)
    control: int = -1
    controls: Mapping[str, int] = field(default_factory=lambda: DEFAULT_CONTROL_WEIGHTS)
    control_limit: int = 3
    thresholds: tuple[int, int, int] = (7, 5, 2)

    def with_weights(self, weights: Mapping[str, int]) -> "ScoringPolicy":
        """A copy with the named weights replaced, as configuration names them:
        ``discretion.high``, ``money.1000000`` (a band: new amounts add one),
        ``people``, ``rights``, ``rank.section``, ``finding.FG201``, ``control``,
        ``control.time-limit`` (any control name), ``control_limit``. Raises
        ValueError naming a factor that does not exist."""
        discretion, rank, controls = dict(self.discretion), dict(self.rank), dict(self.controls)
        findings, bands = dict(self.findings), dict(self.money_bands)
        scalars = {"people": self.people, "rights": self.rights, "control": self.control,
                   "control_limit": self.control_limit}
        for name, weight in weights.items():
            group, _, member = name.partition(".")
            if name in scalars:
                scalars[name] = weight
            elif group == "discretion" and member in DEFAULT_DISCRETION:
                discretion[member] = weight
            elif group == "rank" and member in DEFAULT_RANK:
                rank[member] = weight
            elif group == "finding" and member in DEFAULT_FINDINGS:
                findings[member] = weight
            elif group == "control" and member:
                controls[member] = weight
            elif group == "money" and _is_amount(member):
                bands[float(member)] = weight
            else:
                raise ValueError(name)
        return replace(self, discretion=FrozenDict(discretion),
                       controls=FrozenDict(controls),
                       rank=FrozenDict(rank), findings=FrozenDict(findings),
                       money_bands=tuple(sorted(bands.items())), **scalars)

    def control_weight(self, canonical: str) -> int:
        return self.controls.get(canonical, self.control)

    def grade_of(self, score: int, inherent: int | None = None) -> int | None:
        """The grade of a step with this score, or None when it is not a risk point:
        its ``inherent`` risk (the score before controls) is below grade 3."""
        if (score if inherent is None else inherent) < self.thresholds[2]:
            return None
        for grade, lowest in zip(GRADES, self.thresholds):
            if score >= lowest:
                return grade
        return GRADES[-1]


def _is_amount(text: str) -> bool:
    try:
        return float(text) >= 0
    except ValueError:
        return False


def step_reasons(flowchart: Flowchart, step: Step, codes: Iterable[str],
                 policy: Policy, scoring: ScoringPolicy) -> list[Reason]:
    """The factors of one step's score (zero weights left out)."""
    reasons: list[Reason] = []

    def add(factor: str, weight: int, text: Text):
        if weight:
            reasons.append(Reason(factor, weight, text))

    if step.discretion != "none":
        add(f"discretion.{step.discretion}", scoring.discretion.get(step.discretion, 0),
            DISCRETION_NAMES[step.discretion])
    money = step.stakes.money
    if money is not None:
        reached = [(floor, weight) for floor, weight in scoring.money_bands if money >= floor]
        if reached:
            floor, weight = max(reached)
            add(f"money.{floor:g}", weight,
                Text(f"涉及金额 {yuan(money)}", f"{yuan(money)} at stake"))
    if step.stakes.people:
        add("people", scoring.people, Text("涉及干部人事", "personnel decision"))
    if step.stakes.rights:
        add("rights", scoring.rights, Text("涉及当事人权益", "rights of a party"))
    actor = flowchart.actor_of(step.id)
    if actor is not None and actor.rank is not None:
        add(f"rank.{actor.rank}", scoring.rank.get(actor.rank, 0), RANK_NAMES[actor.rank])
    for code in sorted(set(codes)):
        factor = BY_CODE[code].factor if code in BY_CODE else None
        add(f"finding.{code}", scoring.findings.get(code, 0),
            Text(f"{factor.zh} ({code})", f"{factor.en} ({code})")
            if factor is not None else Text(code, code))
    controls = list(dict.fromkeys(
        canonical for canonical in map(policy.canonical_control, step.controls)
        if canonical in policy.controls))
    if actor is not None and actor.is_collective and "collective-decision" not in controls:
        controls.append("collective-decision")
    counted = [c for c in controls if scoring.control_weight(c)]
    for canonical in counted[:max(scoring.control_limit, 0)]:
        add(f"control.{canonical}", scoring.control_weight(canonical),
            policy.display_name(canonical))
    return reasons


def grade_step(flowchart: Flowchart, step: Step, codes: Iterable[str], policy: Policy,
               scoring: ScoringPolicy) -> StepGrade | None:
    """The suggested grade of ``step`` (None when the step holds no power)."""
    if not step.is_holder:
        return None
    reasons = tuple(step_reasons(flowchart, step, codes, policy, scoring))
    score = sum(reason.weight for reason in reasons)
    inherent = sum(r.weight for r in reasons if not r.factor.startswith("control."))
    return StepGrade(step.id, score, scoring.grade_of(score, inherent), reasons)


def grade_chart(flowchart: Flowchart, findings: Iterable[Finding], policy: Policy,
                scoring: ScoringPolicy) -> dict[str, StepGrade]:
    """The suggested grade of every risk point of a flowchart, in step order.

    ``findings`` are the audit's findings; waived ones and rules without a weight do
    not count.
    """
    codes: dict[str, set[str]] = {}
    for finding in findings:
        if finding.waived or finding.rule not in scoring.findings:
            continue
        for step_id in finding.steps:
            codes.setdefault(step_id, set()).add(finding.rule)
    grades = {}
    for step in flowchart.steps.values():
        graded = grade_step(flowchart, step, codes.get(step.id, ()), policy, scoring)
        if graded is not None:
            grades[step.id] = graded
    return grades

"""The practice's grading methods as named presets (domain.md §2, design.md §7).

Each method reads a step's facts (:mod:`.facts`) and gives its grade with the reasons,
in one form (``一级：较大裁量权 +1；管人财物（涉及金额 ¥5,000,000） +1 …``). None
subtracts a control: a grade is the inherent risk of the power, and the measures in
place are listed against it (the ledger). A weakness the audit found counts once,
whichever rules found it.

``criteria`` (要素计数, the default)
    One point for each criterion the step meets: it controls people, money or resources
    (人财物); it has wide discretion; it is a major matter decided collectively or of
    large sums or appointments (三重一大); it deals directly with a party's rights; it
    lies in a field where cases are frequent; the audit found its checks missing. Three
    or more: grade 1; two: grade 2; one: grade 3; none: not a risk point.
``consequence`` (后果)
    The worst an abuse of the step could be: a crime (deciding a large sum or
    appointments, or wide latitude in a field of frequent cases): grade 1; a breach of
    discipline (deciding with real latitude or over a sum of consequence, handling a
    large sum): grade 2; a minor irregularity (any other step where the post can
    intervene): grade 3.
``score`` (加权评分)
    A weighted sum: discretion, money by band, people, rights, the post's rank, and the
    heaviest weakness found; thresholds turn it into a grade.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from ..frozen import FrozenDict
from ..i18n import Text
from ..model import Reason, StepGrade
from ..rules import BY_CODE, RULES
from ..vocabulary import DISCRETION_NAMES, GRADES, RANK_NAMES, listing, yuan
from .facts import StepFacts

METHODS = ("criteria", "consequence", "score")


def _grade(score: int, thresholds: tuple[int, int, int]) -> int | None:
    """Grade 1 from ``thresholds[0]``, 2 from ``[1]``, 3 from ``[2]``, else None."""
    for grade, lowest in zip(GRADES, thresholds, strict=True):
        if score >= lowest:
            return grade
    return None


def _weakness_text(facts: StepFacts) -> Text:
    words = [BY_CODE[code].factor for code in facts.weaknesses if BY_CODE[code].factor]
    return Text(f"制约监督缺失：{listing((w.zh for w in words), 'zh')}"
                f"（{listing(facts.weaknesses, 'zh')}）",
                f"checks missing: {listing((w.en for w in words), 'en')} "
                f"({listing(facts.weaknesses, 'en')})")


def _intervention(facts: StepFacts) -> Text:
    """How the post can intervene at a step that meets no criterion."""
    if facts.discretion != "none":
        return DISCRETION_NAMES[facts.discretion]
    if facts.step.kind == "decision":
        return Text("作出决定", "takes a decision")
    return Text("审核把关", "reviews the matter")


def _money_text(money: float) -> Text:
    return Text(f"涉及金额 {yuan(money)}", f"{yuan(money)} at stake")


# -- criteria count -------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One criterion of the count: its name and what the step shows of it (the words
    of the reason), or None when the step does not meet it."""

    name: str
    words: Text
    met: Callable[[StepFacts, CriteriaCount], Text | None]


def _resources(facts: StepFacts, method: CriteriaCount) -> Text | None:
    if facts.people:
        return Text("管人财物（干部人事）", "people, money or resources (appointments)")
    if facts.money is not None and facts.money >= method.resources_money:
        return Text(f"管人财物（{_money_text(facts.money).zh}）",
                    f"people, money or resources ({_money_text(facts.money).en})")
    return None


def _discretion(facts: StepFacts, _method: CriteriaCount) -> Text | None:
    if facts.discretion in ("medium", "high"):
        return DISCRETION_NAMES[facts.discretion]
    return None


def _major(facts: StepFacts, _method: CriteriaCount) -> Text | None:
    return Text("重大事项（三重一大）", "a major matter") if facts.major else None


def _rights(facts: StepFacts, _method: CriteriaCount) -> Text | None:
    if facts.rights or (facts.external and facts.decisive):
        return Text("直接涉及当事人权益", "deals directly with a party's rights")
    return None


def _field(facts: StepFacts, _method: CriteriaCount) -> Text | None:
    if facts.field is None:
        return None
    return Text(f"案件高发领域（{facts.field}）", f"a field of frequent cases ({facts.field})")


def _weakness(facts: StepFacts, _method: CriteriaCount) -> Text | None:
    return _weakness_text(facts) if facts.weaknesses else None


CRITERIA: Mapping[str, Criterion] = FrozenDict({c.name: c for c in (
    Criterion("resources", Text("管人财物", "people, money or resources"), _resources),
    Criterion("discretion", Text("裁量权较大", "wide discretion"), _discretion),
    Criterion("major", Text("重大事项", "a major matter"), _major),
    Criterion("rights", Text("直接涉及当事人权益", "a party's rights"), _rights),
    Criterion("field", Text("案件高发领域", "a field of frequent cases"), _field),
    Criterion("weakness", Text("制约监督缺失", "checks missing"), _weakness),
)})


#: The practice's five criteria (domain.md §2). The audit's weaknesses are not among
#: them: a grade is the inherent risk of the power, and a missing check is what the
#: measures answer (add ``weakness`` to count it).
DEFAULT_CRITERIA = ("resources", "discretion", "major", "rights", "field")


@dataclass(frozen=True)
class CriteriaCount:
    """要素计数: one point per criterion met; ``thresholds`` are the least counts of
    grades 1, 2 and 3. A step that meets none but where the post can intervene (it has
    some latitude, or it reviews or decides) is a risk point of grade 3, as practice
    lists every such step."""

    criteria: tuple[str, ...] = DEFAULT_CRITERIA
    thresholds: tuple[int, int, int] = (4, 3, 1)
    resources_money: float = 100_000
    name: str = field(default="criteria", init=False)

    def grade(self, facts: StepFacts) -> StepGrade:
        reasons = []
        for name in self.criteria:
            shown = CRITERIA[name].met(facts, self)
            if shown is not None:
                reasons.append(Reason(f"criterion.{name}", 1, shown))
        score = len(reasons)
        grade = _grade(score, self.thresholds)
        if grade is None and facts.intervenes:
            grade = GRADES[-1]
            reasons.append(Reason("intervenes", 0, _intervention(facts)))
        return StepGrade(facts.step.id, score, grade, tuple(reasons))


# -- consequence ----------------------------------------------------------------------

CONSEQUENCES = {1: Text("滥用可能构成犯罪", "abuse could be a crime"),
                2: Text("滥用可能违反纪律", "abuse could breach discipline"),
                3: Text("滥用可能属一般违规", "abuse could be a minor irregularity")}


@dataclass(frozen=True)
class Consequence:
    """后果: the grade of the worst an abuse could be. ``crime_money``: the sum whose
    misuse by a decisive post could be a crime; ``discipline_money``: the sum from
    which a matter is of consequence."""

    crime_money: float = 1_000_000
    discipline_money: float = 100_000
    name: str = field(default="consequence", init=False)

    def grade(self, facts: StepFacts) -> StepGrade:
        level, why = self._level(facts)
        if level is None:
            return StepGrade(facts.step.id, 0, None, ())
        reason = Reason(f"consequence.{level}", 4 - level,
                        Text(f"{CONSEQUENCES[level].zh}（{why.zh}）",
                             f"{CONSEQUENCES[level].en} ({why.en})"))
        return StepGrade(facts.step.id, 4 - level, level, (reason,))

    def _level(self, facts: StepFacts) -> tuple[int | None, Text | None]:
        money = facts.money or 0
        if facts.decisive:
            if money >= self.crime_money:
                return 1, Text(f"决定{_money_text(money).zh}", f"decides on {yuan(money)}")
            if facts.people:
                return 1, Text("决定干部人事", "decides on appointments")
            if facts.field and facts.discretion == "high":
                return 1, Text(f"在案件高发领域（{facts.field}）有较大裁量权",
                               f"high discretion in a field of frequent cases "
                               f"({facts.field})")
            if facts.discretion in ("medium", "high"):
                return 2, DISCRETION_NAMES[facts.discretion]
            if money >= self.discipline_money:
                return 2, Text(f"决定{_money_text(money).zh}", f"decides on {yuan(money)}")
        if money >= self.crime_money:
            return 2, Text(f"经手{_money_text(money).zh}", f"handles {yuan(money)}")
        if money and not facts.intervenes:
            return 3, _money_text(money)
        if facts.intervenes:
            return 3, _intervention(facts)
        return None, None


# -- weighted score -------------------------------------------------------------------

DEFAULT_DISCRETION = FrozenDict({"none": 0, "low": 1, "medium": 2, "high": 3})
DEFAULT_MONEY_BANDS = ((100_000, 1), (1_000_000, 2), (10_000_000, 3))
DEFAULT_RANK = FrozenDict({"staff": 0, "section": 1, "deputy": 1, "principal": 2})
#: The rules that are risk factors, with the weight each declares (its ``WEIGHT``).
DEFAULT_FINDINGS = FrozenDict({rule.code: rule.weight for rule in RULES
                               if rule.weight is not None})


@dataclass(frozen=True)
class WeightedScore:
    """加权评分: the weights of each fact and the least scores of grades 1, 2, 3.

    ``money_bands`` are ``(yuan, weight)`` pairs: the weight of the highest band the
    step's money reaches counts. ``findings`` maps rule codes to weights: the weakness
    of a step weighs as its heaviest finding, once.
    """

    discretion: Mapping[str, int] = field(default_factory=lambda: DEFAULT_DISCRETION)
    money_bands: tuple[tuple[float, int], ...] = DEFAULT_MONEY_BANDS
    people: int = 3
    rights: int = 1
    major: int = 1
    rank: Mapping[str, int] = field(default_factory=lambda: DEFAULT_RANK)
    findings: Mapping[str, int] = field(default_factory=lambda: DEFAULT_FINDINGS)
    thresholds: tuple[int, int, int] = (7, 5, 1)
    name: str = field(default="score", init=False)

    def with_weights(self, weights: Mapping[str, int]) -> WeightedScore:
        """A copy with the named weights replaced, as configuration names them:
        ``discretion.high``, ``money.1000000`` (a band: new amounts add one),
        ``people``, ``rights``, ``major``, ``rank.section``, ``finding.FG201``. Raises
        ValueError naming a factor that does not exist."""
        discretion, rank = dict(self.discretion), dict(self.rank)
        findings, bands = dict(self.findings), dict(self.money_bands)
        scalars = {"people": self.people, "rights": self.rights, "major": self.major}
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
            elif group == "money" and _is_amount(member):
                bands[float(member)] = weight
            else:
                raise ValueError(name)
        return replace(self, discretion=FrozenDict(discretion), rank=FrozenDict(rank),
                       findings=FrozenDict(findings),
                       money_bands=tuple(sorted(bands.items())), **scalars)

    def grade(self, facts: StepFacts) -> StepGrade:
        reasons = [reason for reason in self._reasons(facts) if reason.weight]
        score = sum(reason.weight for reason in reasons)
        grade = _grade(score, self.thresholds)
        if grade is None and facts.intervenes:
            grade = GRADES[-1]
            reasons.append(Reason("intervenes", 0, _intervention(facts)))
        return StepGrade(facts.step.id, score, grade, tuple(reasons))

    def _reasons(self, facts: StepFacts):
        if facts.discretion != "none":
            yield Reason(f"discretion.{facts.discretion}",
                         self.discretion.get(facts.discretion, 0),
                         DISCRETION_NAMES[facts.discretion])
        money = facts.money
        reached = [(floor, weight) for floor, weight in self.money_bands
                   if money is not None and money >= floor]
        if reached:
            floor, weight = max(reached)
            yield Reason(f"money.{floor:g}", weight, _money_text(money))
        if facts.people:
            yield Reason("people", self.people, Text("涉及干部人事", "personnel decision"))
        if facts.rights:
            yield Reason("rights", self.rights, Text("涉及当事人权益", "rights of a party"))
        if facts.major:
            yield Reason("major", self.major, Text("重大事项（三重一大）", "a major matter"))
        if facts.rank is not None:
            yield Reason(f"rank.{facts.rank}", self.rank.get(facts.rank, 0),
                         RANK_NAMES[facts.rank])
        if facts.weaknesses:
            heaviest = max(self.findings.get(code, 0) for code in facts.weaknesses)
            yield Reason("weakness", heaviest, _weakness_text(facts))


def _is_amount(text: str) -> bool:
    try:
        return float(text) >= 0
    except ValueError:
        return False

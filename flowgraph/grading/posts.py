"""Posts (岗位) across flowcharts: their grades, leaders and concentration of power.

design.md §7: a post is identified across flowcharts by its unit and its title (the
actor's ``name``); its grade is the highest grade of the steps it performs over all
flowcharts of its unit. A flowchart without a ``unit`` is a unit of its own (named by
its file), since nothing says which other charts share its posts.

The practice also watches the posts that hold power over people, money and affairs in
many procedures at once (the "powerful section chiefs", 牛科长). For each post this
module counts the flowcharts it acts in, the decisions and high-stakes steps it holds,
the money under its control (in each flowchart the largest amount at stake on its
steps, summed over flowcharts: one matter's amount is not counted once per step), and
the findings on its steps; :class:`KeyPostPolicy` says when that is a concentration of
power worth flagging.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ..i18n import Text
from ..model import Finding, Flowchart, StepGrade
from ..policy import Policy
from .responsibility import PostLines, Responsible, UnitLeaders, responsible

LEADER_RANKS = ("deputy", "principal")


@dataclass(frozen=True)
class KeyPostPolicy:
    """When a post concentrates power: it holds decisions or high-stakes steps in at
    least ``min_flowcharts`` flowcharts of its unit, or controls at least
    ``min_money`` yuan; only posts of ``ranks`` are flagged (leaders hold power by
    office; the practice's concern is the posts below them)."""

    min_flowcharts: int = 5
    min_money: float = 50_000_000
    ranks: tuple[str, ...] = ("staff", "section")


class Assessed(Protocol):
    """A flowchart with its findings and grades (as batch results carry them)."""

    flowchart: Flowchart
    findings: list[Finding]
    grades: dict[str, StepGrade]


def unit_key(flowchart: Flowchart) -> str:
    """The unit a flowchart belongs to: its ``unit``, or its own file when none."""
    return flowchart.unit or f"<{flowchart.source or flowchart.id}>"


@dataclass
class Post:
    """One post of a unit, over all the unit's flowcharts."""

    unit: str
    name: str
    grade: int | None = None
    flowcharts: list[str] = field(default_factory=list)
    steps: int = 0
    risk_points: int = 0
    decisions: int = 0
    high_stakes: int = 0
    #: Flowcharts where the post decides or holds a high-stakes step.
    power_flowcharts: int = 0
    money: float = 0.0
    domains: set[str] = field(default_factory=set)
    findings: dict[str, int] = field(default_factory=dict)
    ranks: set[str] = field(default_factory=set)
    responsible: Responsible | None = None
    key_post_reasons: list[Text] = field(default_factory=list)

    @property
    def is_key_post(self) -> bool:
        return bool(self.key_post_reasons)


class UnitIndex:
    """Everything a batch says about the posts of its units, built chart by chart."""

    def __init__(self, policy: Policy | None = None, key_posts: KeyPostPolicy | None = None):
        self.policy = policy or Policy()
        self.key_posts = key_posts or KeyPostPolicy()
        self.posts: dict[tuple[str, str], Post] = {}
        self._principals: dict[str, list[str]] = {}
        self._superiors: dict[str, list[str]] = {}
        self._supervisors: dict[tuple[str, str], set[str]] = {}
        self._in_charge: dict[tuple[str, str], set[str]] = {}

    def add(self, assessed: Assessed) -> None:
        """Take in one assessed flowchart."""
        chart = assessed.flowchart
        unit = unit_key(chart)
        self._principals.setdefault(unit, []).extend(
            actor.name for actor in chart.actors.values()
            if actor.rank == "principal" and not actor.is_collective)
        superiors = self._superiors.setdefault(unit, [])
        if chart.superior_in_charge:
            superiors.append(chart.superior_in_charge)
        for actor in chart.actors.values():
            key = (unit, actor.name)
            chain = [chart.actors[boss] for boss in chart.superiors[actor.id]
                     if boss in chart.actors]
            if actor.reports_to is not None:
                boss = chart.actors.get(actor.reports_to)
                self._supervisors.setdefault(key, set()).add(
                    boss.name if boss is not None else actor.reports_to)
            leader = next((boss for boss in chain
                           if boss.rank in LEADER_RANKS and not boss.is_collective), None)
            if leader is not None:
                self._in_charge.setdefault(key, set()).add(leader.name)
        self._add_steps(assessed, unit)

    def _add_steps(self, assessed: Assessed, unit: str) -> None:
        chart = assessed.flowchart
        mine: dict[str, list[str]] = {}
        for step in chart.steps.values():
            if step.is_holder and step.actor is not None:
                actor = chart.actors.get(step.actor)
                mine.setdefault(actor.name if actor else step.actor, []).append(step.id)
        for name, step_ids in mine.items():
            post = self.posts.get((unit, name))
            if post is None:
                post = self.posts[(unit, name)] = Post(unit, name)
            actor = chart.actors.get(chart.steps[step_ids[0]].actor)
            if actor is not None and actor.rank:
                post.ranks.add(actor.rank)
            post.flowcharts.append(chart.title)
            post.steps += len(step_ids)
            powerful = False
            largest = 0.0
            for step_id in step_ids:
                step = chart.steps[step_id]
                powerful |= self._count(post, step, assessed.grades.get(step_id))
                if step.stakes.money:
                    largest = max(largest, step.stakes.money)
            post.power_flowcharts += powerful
            post.money += largest
            on_post = set(step_ids)
            for finding in assessed.findings:
                if not finding.waived and on_post.intersection(finding.steps):
                    post.findings[finding.rule] = post.findings.get(finding.rule, 0) + 1

    def _count(self, post: Post, step, graded: StepGrade | None) -> bool:
        """Count one of the post's steps; whether it decides or is high-stakes."""
        if graded is not None and graded.grade is not None:
            post.risk_points += 1
            post.grade = graded.grade if post.grade is None else min(post.grade, graded.grade)
        high = self.policy.is_high_stakes(step)
        post.decisions += step.kind == "decision"
        post.high_stakes += high
        if step.stakes.money:
            post.domains.add("money")
        if step.stakes.people:
            post.domains.add("people")
        if step.stakes.rights or step.kind == "decision":
            post.domains.add("affairs")
        return step.kind == "decision" or high

    def leaders(self, unit: str) -> UnitLeaders:
        return UnitLeaders.of(self._principals.get(unit, ()), self._superiors.get(unit, ()))

    def lines(self, unit: str, name: str) -> PostLines:
        post = self.posts.get((unit, name))
        return PostLines(frozenset(post.ranks) if post else frozenset(),
                         frozenset(self._supervisors.get((unit, name), ())),
                         frozenset(self._in_charge.get((unit, name), ())))

    def responsible(self, unit: str, post: str | None, grade: int | None) -> Responsible | None:
        """The leader responsible for ``post`` of ``unit`` at ``grade``."""
        lines = self.lines(unit, post) if post is not None else None
        return responsible(grade, post, lines, self.leaders(unit))

    def finish(self) -> list[Post]:
        """Every post, sorted by unit and title, with its leader and key-post flags."""
        policy = self.key_posts
        for post in self.posts.values():
            post.responsible = self.responsible(post.unit, post.name, post.grade)
            post.key_post_reasons = []
            if not post.ranks.intersection(policy.ranks):
                continue
            if post.power_flowcharts >= policy.min_flowcharts:
                post.key_post_reasons.append(Text(
                    f"在 {post.power_flowcharts} 个流程图中作决定或办理高风险环节",
                    f"decides or holds high-stakes steps in {post.power_flowcharts} "
                    f"flowcharts"))
            if policy.min_money and post.money >= policy.min_money:
                post.key_post_reasons.append(Text(
                    f"经手金额 ¥{post.money:,.0f}", f"¥{post.money:,.0f} under its control"))
        return [self.posts[key] for key in sorted(self.posts)]


def posts_of(assessed: Iterable[Assessed], policy: Policy | None = None,
             key_posts: KeyPostPolicy | None = None) -> list[Post]:
    """Every post of the units of ``assessed``, with grade, leader and key-post flags."""
    index = UnitIndex(policy, key_posts)
    for item in assessed:
        index.add(item)
    return index.finish()

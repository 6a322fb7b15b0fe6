"""Posts (岗位) across a unit's flowcharts: their grades, their lines of responsibility,
the bodies that are not the unit's posts, and the key posts (牛科长).

design.md §7: a post is identified across flowcharts by its unit and its title (the
actor's ``name``); its grade is the highest grade of the steps it performs over all
flowcharts of its unit. A flowchart without a ``unit`` is a unit of its own (named by
its file), since nothing says which other charts share its posts. Bodies outside the
unit (:mod:`.bodies`) are listed apart and are never among its posts.

Lines of responsibility come from the charts' ``reports_to``; where a chart leaves one
out, the unit's usual structure fills it in (a 科员 of 审批科 reports to 审批科科长; a
section whose name a deputy leader carries, or every section of a unit with one deputy
leader, answers to that deputy), and the inference is shown.

Key posts are those that hold decisive power over people, money or affairs (人、财、事)
in the unit: they decide appointments, they decide how funds and fees are spent,
reduced or waived, or they decide licences, penalties, land and projects — not those
through whose hands money merely passes (recording, keeping, paying out what others
decided). :class:`KeyPostPolicy` says which ranks are watched (the section chiefs and
staff below the leaders) and from which grade, with the number of charts and the sum
decided as further signals.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ..i18n import Text
from ..model import Actor, Finding, Flowchart, Stakes, Step, StepGrade
from ..policy import Policy
from ..vocabulary import DOMAIN_NAMES, GRADE_NAMES, listing, yuan
from .bodies import outside_reason
from .facts import PASS_THROUGH_DUTIES
from .responsibility import (
    OUTSIDE_BODY,
    PostLines,
    Responsible,
    UnitLeaders,
    one_of,
    responsible,
)

LEADER_RANKS = ("deputy", "principal")
#: The department head (部门责任人) of a leader's own post and of a collective body:
#: neither belongs to a section.
NOT_A_SECTION = Text("不适用（单位领导岗位）", "n/a (a leader's post)")
NOT_A_POST = Text("不适用（集体决策机构）", "n/a (a collective body)")
#: Titles of the head of a section, office, station or team, and of its other posts.
HEAD_ROLES = ("科长", "股长", "所长", "站长", "队长", "主任", "处长", "负责人", "大队长",
              "支队长", "中队长")
MEMBER_ROLES = ("副科长", "副股长", "副所长", "副站长", "副队长", "副主任", "科员", "经办人",
                "办事员", "工作人员", "受理员", "审核员", "会计", "出纳", "专管员",
                "执法人员", "收费员", "稽查员", "管理员", "干事", "调查员", "评估员")
#: What a section is called after: 国库科 → 国库, 质监站 → 质监.
SECTION_SUFFIX = re.compile(r"(?:科|股|所|站|队|办|室|中心|处|大队|支队)$")
#: Words of a chart's category or title that make its decisions power over money.
MONEY_WORDS = ("收费", "征收", "资金", "财务", "报销", "采购", "预算", "拨付", "补助", "补贴",
               "救助", "低保", "罚没")


@dataclass(frozen=True)
class KeyPostPolicy:
    """When a post is a key post (牛科长): it decides over people, money or affairs and
    its grade is in ``grades``, or it does so in at least ``min_flowcharts`` charts or
    over at least ``min_money`` yuan; only posts of ``ranks`` are flagged (leaders hold
    power by office; the practice watches the posts below them)."""

    min_flowcharts: int = 5
    min_money: float = 50_000_000
    ranks: tuple[str, ...] = ("staff", "section")
    grades: tuple[int, ...] = (1,)


class Assessed(Protocol):
    """A flowchart with its findings and grades (as batch results carry them)."""

    flowchart: Flowchart
    findings: list[Finding]
    grades: dict[str, StepGrade]


def unit_key(flowchart: Flowchart) -> str:
    """The unit a flowchart belongs to: its ``unit``, or its own file when none."""
    return flowchart.unit or f"<{flowchart.source or flowchart.id}>"


def section_of(name: str) -> tuple[str | None, bool]:
    """The section a post's title names and whether the post heads it:
    ``审批科经办人`` → (审批科, False), ``审批科科长`` → (审批科, True)."""
    for role in sorted(MEMBER_ROLES + HEAD_ROLES, key=len, reverse=True):
        if name.endswith(role) and len(name) > len(role):
            return name[:-len(role)], role in HEAD_ROLES
    return None, False


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
    #: The largest sum the post decides in each chart, summed over charts.
    money: float = 0.0
    #: What the post decides over: people, money, affairs, each with what shows it.
    domains: dict[str, Text] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)
    ranks: set[str] = field(default_factory=set)
    responsible: Responsible | None = None
    department: Responsible | None = None
    key_post_reasons: list[Text] = field(default_factory=list)
    #: A collective body (局党组会议, 评标委员会 …) in some chart: nobody holds it alone.
    collective: bool = False

    @property
    def is_key_post(self) -> bool:
        return bool(self.key_post_reasons)


@dataclass
class OutsideBody:
    """A body that performs steps in a unit's charts but is not one of its posts."""

    unit: str
    name: str
    reason: Text
    flowcharts: list[str] = field(default_factory=list)
    steps: int = 0
    grade: int | None = None


def _decisive(step: Step, actor: Actor | None) -> bool:
    """The post decides here, rather than the matter passing through its hands."""
    return step.duty not in PASS_THROUGH_DUTIES and (
        step.kind == "decision" or step.discretion in ("medium", "high")
        or (actor is not None and actor.is_collective))


def _domains(chart: Flowchart, stakes: Stakes) -> dict[str, Text]:
    """What a decisive step with these stakes decides over: people, money, affairs."""
    where = f"{chart.category or ''} {chart.title}"
    found = {}
    if stakes.people:
        found["people"] = Text(f"人事（{chart.title}）", f"people ({chart.title})")
    money_word = next((w for w in MONEY_WORDS if w in where), None)
    if stakes.money or money_word:
        what = yuan(stakes.money) if stakes.money else money_word
        found["money"] = Text(f"资金（{what}）", f"money ({what})")
    if stakes.rights or (chart.category or "").startswith("行政"):
        found["affairs"] = Text(f"事项（{chart.title}）", f"affairs ({chart.title})")
    return found


class UnitIndex:
    """Everything a batch says about the posts of its units, built chart by chart."""

    def __init__(self, policy: Policy | None = None, key_posts: KeyPostPolicy | None = None):
        self.policy = policy or Policy()
        self.key_posts = key_posts or KeyPostPolicy()
        self.posts: dict[tuple[str, str], Post] = {}
        self.outside: dict[tuple[str, str], OutsideBody] = {}
        self._principals: dict[str, list[str]] = {}
        self._superiors: dict[str, list[str]] = {}
        self._deputies: dict[str, set[str]] = {}
        self._supervisors: dict[tuple[str, str], set[str]] = {}
        self._ranks: dict[tuple[str, str], str] = {}
        self._in_charge: dict[tuple[str, str], set[str]] = {}
        self._lines: dict[tuple[str, str], PostLines] = {}
        self._leaders: dict[str, UnitLeaders] = {}
        self._titles: dict[str, set[str]] | None = None

    # -- reading charts ------------------------------------------------------------

    def add(self, assessed: Assessed) -> None:
        """Take in one assessed flowchart."""
        self._titles = None
        chart = assessed.flowchart
        unit = unit_key(chart)
        outside = {actor_id: reason for actor_id, actor in chart.actors.items()
                   if (reason := outside_reason(actor, chart.unit)) is not None}
        own = [actor for actor_id, actor in chart.actors.items() if actor_id not in outside]
        self._principals.setdefault(unit, []).extend(
            actor.name for actor in own
            if actor.rank == "principal" and not actor.is_collective)
        self._deputies.setdefault(unit, set()).update(
            actor.name for actor in own if actor.rank == "deputy" and not actor.is_collective)
        if chart.superior_in_charge:
            self._superiors.setdefault(unit, []).append(chart.superior_in_charge)
        for actor in own:
            self._add_lines(chart, unit, actor, outside)
        self._add_steps(assessed, unit, outside)

    def _add_lines(self, chart: Flowchart, unit: str, actor: Actor, outside: dict) -> None:
        key = (unit, actor.name)
        if actor.rank is not None:
            self._ranks.setdefault(key, actor.rank)
        if actor.reports_to is not None and actor.reports_to not in outside:
            boss = chart.actors.get(actor.reports_to)
            self._supervisors.setdefault(key, set()).add(
                boss.name if boss is not None else actor.reports_to)
        chain = [chart.actors[boss] for boss in chart.superiors[actor.id]
                 if boss in chart.actors and boss not in outside]
        leader = next((boss for boss in chain
                       if boss.rank in LEADER_RANKS and not boss.is_collective), None)
        if leader is not None:
            self._in_charge.setdefault(key, set()).add(leader.name)

    def _add_steps(self, assessed: Assessed, unit: str, outside: dict) -> None:
        chart = assessed.flowchart
        mine: dict[str, list[str]] = {}
        for step in chart.steps.values():
            if step.is_holder and step.actor is not None:
                actor = chart.actors.get(step.actor)
                if step.actor in outside:
                    self._add_outside(assessed, unit, actor, outside[step.actor], step)
                    continue
                mine.setdefault(actor.name if actor else step.actor, []).append(step.id)
        posts = {}
        for name, step_ids in mine.items():
            post = self.posts.get((unit, name))
            if post is None:
                post = self.posts[(unit, name)] = Post(unit, name)
            self._count_post(post, assessed, step_ids)
            posts.update(dict.fromkeys(step_ids, post))
        self._count_findings(assessed.findings, posts)

    def _add_outside(self, assessed: Assessed, unit: str, actor: Actor, reason: Text,
                     step: Step) -> None:
        body = self.outside.get((unit, actor.name))
        if body is None:
            body = self.outside[(unit, actor.name)] = OutsideBody(unit, actor.name, reason)
        title = assessed.flowchart.title
        if title not in body.flowcharts:
            body.flowcharts.append(title)
        body.steps += 1
        graded = assessed.grades.get(step.id)
        if graded is not None and graded.grade is not None:
            body.grade = graded.grade if body.grade is None else min(body.grade, graded.grade)

    def _count_post(self, post: Post, assessed: Assessed, step_ids: list[str]) -> None:
        chart = assessed.flowchart
        actor = chart.actors.get(chart.steps[step_ids[0]].actor)
        if actor is not None and actor.rank:
            post.ranks.add(actor.rank)
        post.collective |= actor is not None and actor.is_collective
        post.flowcharts.append(chart.title)
        post.steps += len(step_ids)
        powerful = False
        largest = 0.0
        domains: dict[Stakes, dict[str, Text]] = {}  # a chart's domains follow the stakes
        for step_id in step_ids:
            step = chart.steps[step_id]
            graded = assessed.grades.get(step_id)
            if graded is not None and graded.grade is not None:
                post.risk_points += 1
                post.grade = graded.grade if post.grade is None else min(post.grade,
                                                                         graded.grade)
            high = self.policy.is_high_stakes(step)
            post.decisions += step.kind == "decision"
            post.high_stakes += high
            powerful |= step.kind == "decision" or high
            if _decisive(step, actor):
                if step.stakes not in domains:
                    domains[step.stakes] = _domains(chart, step.stakes)
                for domain, shown in domains[step.stakes].items():
                    post.domains.setdefault(domain, shown)
                largest = max(largest, step.stakes.money or 0)
        post.power_flowcharts += powerful
        post.money += largest

    @staticmethod
    def _count_findings(findings: Iterable[Finding], posts: dict[str, Post]) -> None:
        """Count each finding not waived once for every post holding one of its steps
        (``posts``: step id to post), in time linear in the findings' steps: a chart
        of 5,000 posts asked every post about every finding (80 million questions)."""
        for finding in findings:
            if finding.waived:
                continue
            for post in {id(post): post for step_id in finding.steps
                         if (post := posts.get(step_id)) is not None}.values():
                post.findings[finding.rule] = post.findings.get(finding.rule, 0) + 1

    # -- lines and leaders ----------------------------------------------------------

    def leaders(self, unit: str) -> UnitLeaders:
        """The unit's leaders (asked for once per unit, as :meth:`lines` is per post:
        every chart is added first)."""
        if unit not in self._leaders:
            self._leaders[unit] = UnitLeaders.of(self._principals.get(unit, ()),
                                                 self._superiors.get(unit, ()))
        return self._leaders[unit]

    def lines(self, unit: str, name: str) -> PostLines:
        """The post's supervisor, department head and leader in charge."""
        key = (unit, name)
        if key not in self._lines:
            self._lines[key] = self._infer_lines(unit, name)
        return self._lines[key]

    def _infer_lines(self, unit: str, name: str) -> PostLines:
        post = self.posts.get((unit, name))
        ranks = frozenset(post.ranks) if post else frozenset()
        section, heads = section_of(name)
        head = self._head_of(unit, section) if section and not heads else None
        declared = self._supervisors.get((unit, name), set())
        supervisor = one_of(declared, Text("流程图没有写明该岗位的直接上级",
                                           "the flowcharts name no direct supervisor"),
                            Text("各流程图写明的直接上级不一致",
                                 "the flowcharts name different direct supervisors"))
        leader = self._leader_in_charge(unit, name, section, head)
        if not declared and head is not None:
            supervisor = Responsible(head, Text(f"按岗位名称推断为{section}的负责人",
                                                f"inferred from the title: the head of "
                                                f"{section}"))
        elif not declared and heads and leader.name is not None:
            supervisor = leader  # a head of section answers to the leader in charge
        sections_above = [boss for boss in declared if self._ranks.get((unit, boss)) == "section"]
        if section is None and ranks.intersection(LEADER_RANKS):
            department = Responsible(None, NOT_A_SECTION, applies=False)
        elif post is not None and post.collective:
            department = Responsible(None, NOT_A_POST, applies=False)
        elif heads or ("section" in ranks and section is None):
            department = Responsible(name)
        elif head is not None:
            department = Responsible(head)
        elif len(sections_above) == 1:
            department = Responsible(sections_above[0])
        else:
            department = Responsible(None, Text("无法从岗位名称确定所在科室的负责人",
                                                "the title names no section with a head"))
        return PostLines(ranks, supervisor, department, leader)

    def _head_of(self, unit: str, section: str) -> str | None:
        """The head of ``section`` among the unit's posts, when there is exactly one."""
        known = self._known().get(unit, set())
        heads = [section + role for role in HEAD_ROLES if section + role in known]
        return heads[0] if len(heads) == 1 else None

    def _known(self) -> dict[str, set[str]]:
        """Every title a unit's charts name (its posts and their supervisors), by unit;
        gathered once, when lines are first asked for (each unit's titles had been
        gathered from the whole batch for each post: quadratic in a city)."""
        if self._titles is None:
            self._titles = {}
            for unit, name in (*self.posts, *self._supervisors):
                self._titles.setdefault(unit, set()).add(name)
            for (unit, _), names in self._supervisors.items():
                self._titles.setdefault(unit, set()).update(names)
        return self._titles

    def _leader_in_charge(self, unit: str, name: str, section: str | None,
                          head: str | None) -> Responsible:
        declared = self._in_charge.get((unit, name), set())
        if not declared and head is not None:
            declared = self._in_charge.get((unit, head), set())
        found = one_of(declared, Text("流程图没有写明该岗位由哪位领导分管",
                                      "the flowcharts do not say which leader is in "
                                      "charge of the post"),
                       Text("各流程图写明的分管领导不一致",
                            "the flowcharts name different leaders in charge"))
        if declared:
            return found
        deputies = sorted(self._deputies.get(unit, ()))
        core = SECTION_SUFFIX.sub("", section) if section else ""
        named = [d for d in deputies if core and core in d]
        if len(named) == 1:
            return Responsible(named[0], Text(f"按职务名称推断为分管{core}的领导",
                                              f"inferred from the title: the leader in "
                                              f"charge of {core}"))
        if len(deputies) == 1:
            return Responsible(deputies[0], Text("本单位只有一位分管领导",
                                                 "the unit has one deputy leader"))
        if deputies:
            return Responsible(None, Text(
                f"本单位有多位分管领导（{'、'.join(deputies)}），流程图没有写明由哪位分管",
                f"the unit has several deputy leaders ({', '.join(deputies)}) and the "
                f"flowcharts do not say which is in charge"))
        return found

    def responsible(self, unit: str, post: str | None, grade: int | None) -> Responsible | None:
        """The leader responsible for ``post`` of ``unit`` at ``grade``."""
        if post is not None and (unit, post) in self.outside and (unit, post) not in self.posts:
            return None if grade is None else Responsible(None, OUTSIDE_BODY)
        lines = self.lines(unit, post) if post is not None else None
        return responsible(grade, post, lines, self.leaders(unit))

    def department(self, unit: str, post: str | None) -> Responsible | None:
        """The head of the post's section (部门责任人)."""
        if post is None or (unit, post) not in self.posts:
            return None
        return self.lines(unit, post).department

    # -- the whole ------------------------------------------------------------------

    def finish(self) -> list[Post]:
        """Every post, sorted by unit and title, with its leader and key-post flags."""
        for post in self.posts.values():
            post.responsible = self.responsible(post.unit, post.name, post.grade)
            post.department = self.department(post.unit, post.name)
            post.key_post_reasons = self._key_post_reasons(post)
        return [self.posts[key] for key in sorted(self.posts)]

    def bodies(self) -> list[OutsideBody]:
        """The bodies outside the units that perform steps, sorted by unit and name."""
        return [self.outside[key] for key in sorted(self.outside)
                if key not in self.posts]

    def _key_post_reasons(self, post: Post) -> list[Text]:
        policy = self.key_posts
        if not post.domains or not post.ranks.intersection(policy.ranks):
            return []
        signals = []
        if post.grade in policy.grades:
            signals.append(Text(f"岗位风险等级为{GRADE_NAMES[post.grade].zh}",
                                f"a {GRADE_NAMES[post.grade].en} post"))
        if post.power_flowcharts >= policy.min_flowcharts:
            signals.append(Text(f"在 {post.power_flowcharts} 个流程图中作决定或办理利害重大的环节",
                                f"decides or holds high-stakes steps in "
                                f"{post.power_flowcharts} flowcharts"))
        if policy.min_money and post.money >= policy.min_money:
            signals.append(Text(f"决定的金额合计 {yuan(post.money)}",
                                f"decides {yuan(post.money)} in all"))
        if not signals:
            return []
        power = [post.domains[d] for d in ("people", "money", "affairs") if d in post.domains]
        domains = listing((DOMAIN_NAMES[d].zh for d in ("people", "money", "affairs")
                           if d in post.domains), "zh")
        held = Text(f"对{domains}有决定权：{listing((p.zh for p in power), 'zh')}",
                    f"decides over {listing((p.en for p in power), 'en')}")
        return [held, *signals]

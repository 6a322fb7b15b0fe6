"""Who answers for a risk point: the three levels of responsibility of design.md §7.

Units keep three people against every risk point: the **direct** responsible person
(the post itself, 直接责任人), the **department** head (the head of its section,
部门责任人) and the responsible **leader** (责任领导), chosen by the grade as practice
rules:

- grade 1: the unit's principal leader (its non-collective actor of rank
  ``principal``); for the principal leader's own post, the superior body's leader in
  charge (``superior_in_charge``);
- grade 2: the leader in charge of the post up its reporting line (the first
  non-collective actor of rank ``deputy`` or ``principal`` above it); for a deputy
  leader's own post, the principal leader;
- grade 3: the post's direct supervisor.

Nobody in a unit stands above its principal leader, so the principal leader's own post
answers to ``superior_in_charge`` at every grade (design.md names grade 1 only; see
docs/decisions.md). What the flowcharts of a unit say is pooled: the principal leader
may be declared in one chart and the post in another. Where a chart leaves a line out,
the unit's usual structure fills it in, and says so (:mod:`.posts`): a 科员 of 审批科
reports to 审批科科长; a section whose name the only deputy in charge carries
(分管国库副局长 for 国库科) answers to that deputy, as does every section of a unit with
one deputy. Where the data do not name exactly one person, the answer says why in plain
words: it never guesses.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..i18n import Text


@dataclass(frozen=True)
class Responsible:
    """A responsible person's title, or None with the reason it cannot be named; an
    inferred one carries how it was inferred as its ``note``. ``applies`` is False
    where nobody holds the role for the post (a leader's own post has no department
    head): the note says why, and nothing is missing."""

    name: str | None
    note: Text | None = None
    applies: bool = True

    def __call__(self, lang: str) -> str:
        """The title, ``无法确定：…`` for the ledger, or the note alone where the role
        does not apply."""
        if self.name is not None:
            return self.name
        why = self.note(lang) if self.note else ""
        return Text("无法确定：", "cannot be named: ")(lang) + why if self.applies else why


def one_of(names: Iterable[str], none: Text, several: Text) -> Responsible:
    """The single name in ``names``, or why there is not exactly one."""
    distinct = sorted(set(names))
    if len(distinct) == 1:
        return Responsible(distinct[0])
    if not distinct:
        return Responsible(None, none)
    listed = "、".join(distinct)
    return Responsible(None, Text(f"{several.zh}（{listed}）",
                                  f"{several.en} ({', '.join(distinct)})"))


@dataclass(frozen=True)
class PostLines:
    """What a unit's flowcharts say, or its structure implies, about one post."""

    ranks: frozenset[str]
    #: The post's direct supervisor(s), as charts declare them or as inferred.
    supervisor: Responsible
    #: The head of the post's section (the post itself for a head).
    department: Responsible
    #: The first deputy or principal leader up its reporting line.
    leader_in_charge: Responsible


@dataclass(frozen=True)
class UnitLeaders:
    """A unit's principal leader and its superior body's leader in charge."""

    principal: Responsible
    superior_in_charge: Responsible

    @classmethod
    def of(cls, principals: Iterable[str], superiors: Iterable[str]) -> UnitLeaders:
        return cls(
            one_of(principals,
                   Text("流程图中没有写明本单位的主要负责人（如局长、主任、镇长）",
                        "the flowcharts name no principal leader of the unit (such as "
                        "its director)"),
                   Text("各流程图写明的主要负责人不一致",
                        "the flowcharts name different principal leaders")),
            one_of(superiors,
                   Text("流程图中没有写明上级主管部门的分管领导",
                        "the flowcharts name no leader in charge at the superior body"),
                   Text("各流程图写明的上级分管领导不一致",
                        "the flowcharts name different leaders in charge at the "
                        "superior body")))


OUTSIDE_BODY = Text("外单位，不由本单位领导负责", "outside the unit: no leader of the unit "
                    "answers for it")


def responsible(grade: int | None, post: str | None, lines: PostLines | None,
                leaders: UnitLeaders) -> Responsible | None:
    """The leader responsible for a post's risk at ``grade`` (None: not a risk point)."""
    if grade is None:
        return None
    if post is None or lines is None:
        return Responsible(None, Text("该环节没有写明岗位", "the step names no post"))
    if "principal" in lines.ranks and post == leaders.principal.name:
        return leaders.superior_in_charge
    if grade == 1:
        return leaders.principal
    if grade == 2:
        if "deputy" in lines.ranks or "principal" in lines.ranks:
            return leaders.principal  # a deputy's own post, or a leading body (党组会议)
        return lines.leader_in_charge
    return lines.supervisor

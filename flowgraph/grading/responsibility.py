"""Who answers for a risk point: the responsible leader of design.md §7.

The rule in use in practice:

- grade 1: the unit's principal leader (its non-collective actor of rank
  ``principal``); for the principal leader's own post, the superior body's leader in
  charge (``superior_in_charge``);
- grade 2: the leader in charge of the post up its reporting line (the first
  non-collective actor of rank ``deputy`` or ``principal`` above it); for a deputy
  leader's own post, the principal leader;
- grade 3: the post's direct supervisor (its ``reports_to``).

Nobody in a unit stands above its principal leader, so the principal leader's own post
answers to ``superior_in_charge`` at every grade (design.md names grade 1 only; see
docs/decisions.md). What the flowcharts of a unit say is pooled: the principal leader
may be declared in one chart and the post in another. Where the data does not name
exactly one leader (none declared, or several different ones), the answer says so and
why: it never guesses.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..i18n import Text


@dataclass(frozen=True)
class Responsible:
    """The responsible leader's title, or None with the reason it cannot be named."""

    name: str | None
    note: Text | None = None

    def __call__(self, lang: str) -> str:
        """The leader, or ``无法确定: …`` for the ledger."""
        if self.name is not None:
            return self.name
        why = self.note(lang) if self.note else ""
        return Text("无法确定: ", "cannot be named: ")(lang) + why


def one_of(names: Iterable[str], none: Text, several: Text) -> Responsible:
    """The single name in ``names``, or why there is not exactly one."""
    distinct = sorted(set(names))
    if len(distinct) == 1:
        return Responsible(distinct[0])
    if not distinct:
        return Responsible(None, none)
    listed = ", ".join(distinct)
    return Responsible(None, Text(f"{several.zh} ({listed})", f"{several.en} ({listed})"))


@dataclass(frozen=True)
class PostLines:
    """What a unit's flowcharts say about one post and its leaders."""

    ranks: frozenset[str]
    #: Titles of the post's direct supervisors (``reports_to``), over all charts.
    supervisors: frozenset[str]
    #: Titles of the first deputy or principal leader up its reporting lines.
    leaders_in_charge: frozenset[str]


@dataclass(frozen=True)
class UnitLeaders:
    """A unit's principal leader and its superior body's leader in charge."""

    principal: Responsible
    superior_in_charge: Responsible

    @classmethod
    def of(cls, principals: Iterable[str], superiors: Iterable[str]) -> UnitLeaders:
        return cls(
            one_of(principals,
                   Text("流程图中没有主要负责人 (rank: principal 的非集体岗位)",
                        "no principal leader declared (a non-collective actor of rank "
                        "principal)"),
                   Text("流程图中的主要负责人不一致", "the flowcharts name different "
                        "principal leaders")),
            one_of(superiors,
                   Text("流程图中没有写明上级分管领导 (superior_in_charge)",
                        "no superior_in_charge declared"),
                   Text("流程图中的上级分管领导不一致", "the flowcharts name different "
                        "superior leaders in charge")))


def responsible(grade: int | None, post: str | None, lines: PostLines | None,
                leaders: UnitLeaders) -> Responsible | None:
    """The leader responsible for a post's risk at ``grade`` (None: not a risk point)."""
    if grade is None:
        return None
    if post is None or lines is None:
        return Responsible(None, Text("该步骤没有写明岗位", "the step names no post"))
    if "principal" in lines.ranks and post == leaders.principal.name:
        return leaders.superior_in_charge
    if grade == 1:
        return leaders.principal
    if grade == 2:
        if "deputy" in lines.ranks:
            return leaders.principal
        return one_of(lines.leaders_in_charge,
                      Text("汇报线 (reports_to) 没有通向分管领导",
                           "its reporting line (reports_to) reaches no leader in charge"),
                      Text("各流程图中的分管领导不一致",
                           "the flowcharts name different leaders in charge"))
    return one_of(lines.supervisors,
                  Text("没有写明直接上级 (reports_to)", "no direct supervisor (reports_to)"),
                  Text("各流程图中的直接上级不一致",
                       "the flowcharts name different direct supervisors"))

"""What a rule is given (:class:`Context`) and what it needs of it (:func:`requires`).

Every rule is ``check(context) -> Iterable[Finding]``. One type serves both passes of
the analysis (:mod:`flowgraph.analysis`): the graph rules read the flowchart and the
policy; the grading rules (FG5) also read the suggested grades, which the first pass
computes from the graph rules' findings and which are ``None`` until then. One type
rather than one per pass, because a rule that needs the grades says so the way a rule
that needs a start does, ``@requires("grades")``, and that declaration is what puts it
in the second pass: the registry needs no other mark, and every rule has the same
signature.

A rule states its preconditions once, on its ``check``, as networkx states them with
``not_implemented_for``::

    @requires("start", "end")
    def check(context): ...

On a context without them the rule yields nothing: one root cause, one finding
(design.md §6), and FG101 or FG102 reports the missing start or end for every rule that
needs one. The rule's code then assumes them, and states no guard of its own.

The programme rules (FG6: rotation, commitments) judge a person in a post, not a
chart: they require ``"roster"``, and are given a context whose ``tenure`` says who
holds which post since when (:class:`Tenure`, built by :mod:`flowgraph.rotation` for
each holder the roster matches to a post) and no flowchart. A chart's context has no
tenure, so the analysis of a chart never runs them.
"""
from __future__ import annotations

import datetime as _datetime
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ..frozen import FrozenDict
from ..i18n import Text
from ..model import Finding, Flowchart, StepGrade
from ..policy import Policy, RotationPolicy


@dataclass(frozen=True)
class Tenure:
    """A person holding a post, as the programme rules judge it: who (as outputs show
    them: a name, or a role with ``--no-names``), which post of which unit, its grade
    over the unit and key-post flag, its responsible leader (as shown), since when,
    the commitment's date, and the day of the audit."""

    holder: Text
    unit: str
    post: str
    grade: int | None
    key_post: bool
    leader: Text
    since: _datetime.date
    commitment: _datetime.date | None
    as_of: _datetime.date
    rotation: RotationPolicy = field(default_factory=RotationPolicy)
    #: Whether the roster has a commitment column (without one nothing is known).
    commitments_known: bool = True


@dataclass(frozen=True)
class Context:
    """The arguments of every rule's ``check``.

    Parameters
    ----------
    flowchart : Flowchart
        The chart under audit.
    policy : Policy
        The analysis policy (high-stakes amount, incompatible duties, controls).
    grades : mapping of step id to StepGrade, optional
        The suggested grade of every risk point: given to the second pass only.
    tenure : Tenure, optional
        A person in a post, for the programme rules; their context has no flowchart.
    """

    flowchart: Flowchart | None
    policy: Policy
    grades: Mapping[str, StepGrade] | None = None
    tenure: Tenure | None = None


@dataclass(frozen=True)
class Requirement:
    """Something a rule needs of its context, and the words the documentation uses."""

    name: str
    words: Text
    met: Callable[[Context], bool]


#: Everything a rule can require, by name.
REQUIREMENTS: Mapping[str, Requirement] = FrozenDict({need.name: need for need in (
    Requirement("start", Text("开始步骤", "a start step"),
                lambda context: bool(context.flowchart.starts)),
    Requirement("end", Text("结束步骤", "an end step"),
                lambda context: bool(context.flowchart.ends)),
    Requirement("grades", Text("建议等级", "the suggested grades"),
                lambda context: context.grades is not None),
    Requirement("roster", Text("在岗人员名册", "a roster of the posts' holders"),
                lambda context: context.tenure is not None),
)})

Check = Callable[[Context], Iterable[Finding]]


def requires(*names: str) -> Callable[[Check], Check]:
    """Declare what a rule's ``check`` needs; without it, the check finds nothing.

    Parameters
    ----------
    *names : str
        Names in :data:`REQUIREMENTS`: ``"start"``, ``"end"``, ``"grades"``,
        ``"roster"``.

    Returns
    -------
    decorator
        It wraps ``check`` so that on a context missing any requirement the check is not
        run and yields no finding, whoever calls it, and records the names as the
        wrapper's ``requires`` attribute, which the registry reads.

    Raises
    ------
    ValueError
        At import, for a name that is not a requirement: a typo must not go unseen.
    """
    unknown = [name for name in names if name not in REQUIREMENTS]
    if unknown:
        raise ValueError(f"unknown requirement {unknown[0]!r}; "
                         f"known: {', '.join(REQUIREMENTS)}")
    needs = tuple(REQUIREMENTS[name] for name in names)

    def decorate(check: Check) -> Check:
        @functools.wraps(check)
        def guarded(context: Context) -> Iterable[Finding]:
            if all(need.met(context) for need in needs):
                return check(context)
            return ()
        guarded.requires = names
        return guarded
    return decorate

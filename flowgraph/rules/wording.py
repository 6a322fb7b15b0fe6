"""Wording shared by the rules: how steps, posts and routes are named in messages.

Messages are written for a committee, not for a programmer: a step is named by its
label in quotes (``“受理”`` / ``'受理'``), a post by its title, a kind of step, a level
of discretion or a duty by :mod:`flowgraph.vocabulary`'s words; Chinese text uses
full-width punctuation (，。；：（）“”、). A route through the flow is named once and
shortly (:func:`route`): every step when it has few, else its first and last steps
and how many lie between; the finding's witness keeps every step (JSON ``witness``,
the highlighted diagram).
"""
from __future__ import annotations

from collections.abc import Iterable

from ..i18n import Text
from ..model import Flowchart, StepGrade
from ..paths import Witness
from ..vocabulary import GRADE_NAMES, KIND_NAMES


def label(flowchart: Flowchart, step_id: str) -> str:
    """A step as users know it: its label (which is its id when it has none)."""
    return flowchart.steps[step_id].label


def post(flowchart: Flowchart, actor_id: str | None) -> str:
    """A post as users know it: the actor's title, or its id when undeclared."""
    if actor_id is None:
        return "?"
    actor = flowchart.actors.get(actor_id)
    return actor.name if actor is not None else actor_id


def quote(text: str) -> Text:
    """A name as messages quote it: ``“受理”`` / ``'受理'``."""
    return Text(f"“{text}”", f"'{text}'")


def named(flowchart: Flowchart, step_id: str) -> Text:
    """A step by its label, quoted: ``“受理”`` / ``'受理'``."""
    return quote(label(flowchart, step_id))


def kind_named(flowchart: Flowchart, step_id: str) -> Text:
    """A step by its kind and label: ``审核环节“初审”`` / ``the review '初审'``."""
    step = flowchart.steps[step_id]
    kind = KIND_NAMES[step.kind]
    return Text(f"{kind.zh}环节“{step.label}”", f"the {kind.en} '{step.label}'")


#: A route of at most this many steps is named whole in a message; a longer one by its
#: first and last steps and the count of those between.
ROUTE_LIMIT = 5


def route(flowchart: Flowchart, path: Iterable[str], skip_first: int = 0,
          skip_last: int = 0) -> Text | None:
    """A route through the flow, named once and shortly: ``“受理” → “初审” → “办结”``;
    one of more than :data:`ROUTE_LIMIT` steps as ``“受理” → …（中间 10 个环节）… →
    “办结”`` / ``'受理' → … (10 steps between) … → '办结'``. ``skip_first`` and
    ``skip_last`` leave out steps the sentence names itself (the step a finding is
    about, the end it reaches); None when nothing is left.

    Only the steps named are read: a shared witness of tens of thousands of steps gives
    its length, head and tail without walking its path.
    """
    path = Witness.of(path)
    count = len(path) - skip_first - skip_last
    if count <= 0:
        return None
    if count <= ROUTE_LIMIT:
        names = [label(flowchart, step) for step in path.head(skip_first + count)[skip_first:]]
        return Text(" → ".join(f"“{name}”" for name in names),
                    " → ".join(f"'{name}'" for name in names))
    first = label(flowchart, path.head(skip_first + 1)[skip_first])
    last = label(flowchart, path.tail(skip_last + 1)[0])
    between = count - 2
    return Text(f"“{first}” → …（中间 {between} 个环节）… → “{last}”",
                f"'{first}' → … ({between} steps between) … → '{last}'")


def onward(flowchart: Flowchart, path: Iterable[str]) -> Text:
    """Where a matter goes from a finding's step, the first of ``path``, to the last:
    ``经“A” → “B”即可到达“办结”`` / ``reach '办结' through 'A' → 'B'``, or
    ``可直接到达“办结”`` / ``go straight to '办结'`` (the step itself is not named
    again; the sentence names it)."""
    path = Witness.of(path)
    end = label(flowchart, path.tail(1)[0])
    between = route(flowchart, path, skip_first=1, skip_last=1)
    if between is None:
        return Text(f"可直接到达“{end}”", f"go straight to '{end}'")
    return Text(f"经{between.zh}即可到达“{end}”", f"reach '{end}' through {between.en}")


def suggested_grade(graded: StepGrade) -> Text:
    """The suggested grade of a risk point with its reasons: ``建议定为一级，理由：较大
    裁量权 +1；…`` / ``suggested grade 1, because: high discretion +1; …``."""
    grade = GRADE_NAMES[graded.grade]
    if not graded.reasons:
        return Text(f"建议定为{grade.zh}", f"suggested {grade.en}")
    return Text(f"建议定为{grade.zh}，理由：{graded.reasons_text('zh')}",
                f"suggested {grade.en}, because: {graded.reasons_text('en')}")


#: A group of at most this many steps is named whole; a larger one by its first ones.
GROUP_LIMIT = 3


def group(flowchart: Flowchart, steps: tuple[str, ...]) -> Text:
    """Steps that belong together (a loop of the flow), with their count:
    ``“整改”、“复验”这 2 个环节`` / ``the 2 steps '整改', '复验'``; more than
    :data:`GROUP_LIMIT` as ``“a”、“b”、“c”等 12 个环节`` / ``the 12 steps 'a', 'b',
    'c', …``."""
    names = [label(flowchart, step) for step in steps[:GROUP_LIMIT]]
    zh = "、".join(f"“{name}”" for name in names)
    en = ", ".join(f"'{name}'" for name in names)
    if len(steps) <= GROUP_LIMIT:
        return Text(f"{zh}这 {len(steps)} 个环节", f"the {len(steps)} steps {en}")
    return Text(f"{zh}等 {len(steps)} 个环节", f"the {len(steps)} steps {en}, …")


#: Longer paths are shortened in the report's witness column to their first and last
#: steps; messages name routes with :func:`route`.
PATH_TEXT_LIMIT = 20


def path_text(flowchart: Flowchart, path: Iterable[str]) -> str:
    """``提出申请 → 受理 → 办结``: a witness path in labels, as the report's witness
    column shows it. A path of hundreds of steps (a merged chart) keeps its first eight
    and last six: ``a → … → h → …(+488)… → u → … → z``; the steps between are not even
    visited (a shared witness gives its length, head and tail without walking its
    path)."""
    path = Witness.of(path)
    head, tail = 8, 6
    if len(path) <= PATH_TEXT_LIMIT:
        return " → ".join(label(flowchart, step) for step in path)
    return " → ".join([*(label(flowchart, step) for step in path.head(head)),
                       f"…(+{len(path) - head - tail})…",
                       *(label(flowchart, step) for step in path.tail(tail))])


def in_step_order(flowchart: Flowchart, step_ids: Iterable[str]) -> tuple[str, ...]:
    """Step ids in the order the flowchart declares them (deterministic output)."""
    return tuple(sorted(set(step_ids), key=flowchart.order.__getitem__))

"""Wording shared by the rules: how steps, posts and paths are named in messages."""
from __future__ import annotations

from collections.abc import Iterable

from ..model import Flowchart
from ..paths import Witness


def label(flowchart: Flowchart, step_id: str) -> str:
    """A step as users know it: its label (which is its id when it has none)."""
    return flowchart.steps[step_id].label


def post(flowchart: Flowchart, actor_id: str | None) -> str:
    """A post as users know it: the actor's title, or its id when undeclared."""
    if actor_id is None:
        return "?"
    actor = flowchart.actors.get(actor_id)
    return actor.name if actor is not None else actor_id


#: Longer paths are shortened in messages to their first and last steps; the finding's
#: witness keeps every step (JSON ``witness``, the highlighted diagram).
PATH_TEXT_LIMIT = 20


def path_text(flowchart: Flowchart, path: Iterable[str]) -> str:
    """``提出申请 → 受理 → 办结``: a witness path in labels. A path of hundreds of
    steps (a merged chart) keeps its first eight and last six: ``a → … → h → …(+488)…
    → u → … → z``; the steps between are not even visited (a shared witness gives its
    length, head and tail without walking its path)."""
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

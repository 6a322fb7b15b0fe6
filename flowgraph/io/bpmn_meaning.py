"""What a BPMN drawing means to the modeller, made of the steps and edges read
(:mod:`flowgraph.io.bpmn`), before the flowchart is built (docs/formats.md, "BPMN as
modellers mean it").

BPMN draws some points that are not the beginning or the end of the matter:

* an expanded sub-process's start and end events, and the start event of a pool that
  receives the matter by a message flow, are points the matter passes through: a start
  event that something flows into, and an end event that flows on, are taken out, each
  step before it joined to each step after it (:func:`pass_through`);
* the end of a side branch of a non-interrupting boundary event (a timer's 催办
  reminder) does not end the matter: the branch returns to the activity it watches,
  which is still under way (:func:`side_branches`);
* a step that hands the matter to another of the unit's pools by a message flow does
  not end it at its own end event: that flow is left out (:func:`hand_overs`).

Each works on the builder's edges through indexes by step, in time linear in the
edges it touches.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict

from ..model import Edge
from .builder import ChartBuilder, Place
from .limits import too_many


def _flows(builder: ChartBuilder) -> tuple[dict, dict]:
    """The flow edges into and out of each step, as indexes into the builder's edges."""
    into: dict[str, list[int]] = defaultdict(list)
    out: dict[str, list[int]] = defaultdict(list)
    for index, (edge, _) in enumerate(builder.edges):
        if edge.kind == "flow":
            into[edge.target].append(index)
            out[edge.source].append(index)
    return into, out


def _targets(out: dict, edges: list, step: str):
    return (edges[index][0].target for index in out.get(step, ()))


def side_branches(builder: ChartBuilder, boundaries: list[tuple[str, str, Place]]) -> None:
    """For each non-interrupting boundary event (``(activity, event, place)``, step
    ids), the end events only its branch reaches flow back to the activity (and are
    then passed through): the matter is still under way there.

    The main flow is what the start events (and steps nothing flows into) reach
    without entering such a branch; each step outside it belongs to the first branch
    that reaches it. Two searches of the flow edges: linear, however many events."""
    steps = builder.steps
    boundaries = [b for b in boundaries if b[0] in steps and b[1] in steps]
    if not boundaries:
        return
    into, out = _flows(builder)
    edges = builder.edges
    side = {event for _, event, _ in boundaries}
    main = {s for s, step in steps.items() if step.kind == "start" or not into.get(s)} - side
    stack = list(main)
    while stack:
        for target in _targets(out, edges, stack.pop()):
            if target not in main and target not in side:
                main.add(target)
                stack.append(target)
    owner: dict[str, int] = {}
    for number, (_, event, _) in enumerate(boundaries):
        owner.setdefault(event, number)
    stack = list(owner)
    while stack:
        step = stack.pop()
        for target in _targets(out, edges, step):
            if target not in main and target not in owner:
                owner[target] = owner[step]
                stack.append(target)
    for end in sorted(owner):
        step = steps.get(end)  # an edge may name what is no step
        if step is None or step.kind != "end":
            continue
        activity, _, place = boundaries[owner[end]]
        builder.edges.append((Edge(end, activity, "flow"), place))
        label = steps[activity].label
        builder.note(place, f"非中断边界事件的分支结束于 “{step.label}”：不是事项的结束，"
                            f"事项仍在 “{label}” 办理",
                     f"the branch of a non-interrupting boundary event ends at "
                     f"'{step.label}': not the end of the matter, which is still under way "
                     f"at '{label}'")


def hand_overs(builder: ChartBuilder, handed: list[tuple[str, str, Place]]) -> None:
    """For each message flow that hands the matter to another of the unit's pools
    (``(sender, receiver, place)``, step ids), the sender's flows straight to end events
    are left out (not those of a sub-process's end, which flows on), and an end event
    nothing else reaches with them."""
    if not handed:
        return
    senders = {sender: (receiver, place) for sender, receiver, place in handed}
    onward = {edge.source for edge, _ in builder.edges}  # a sub-process's end flows on
    kept, cut = [], set()
    for edge, place in builder.edges:
        step = builder.steps.get(edge.target)
        if edge.kind == "flow" and edge.source in senders and step is not None \
                and step.kind == "end" and edge.target not in onward:
            cut.add(edge.target)
            receiver, message_place = senders[edge.source]
            builder.note(message_place,
                         f"“{builder.steps[edge.source].label}” 以消息流移交 "
                         f"“{builder.steps[receiver].label}” 办理：事项未在 “{step.label}” 结束",
                         f"'{builder.steps[edge.source].label}' hands the matter over to "
                         f"'{builder.steps[receiver].label}' by a message flow: it does not "
                         f"end at '{step.label}'")
            continue
        kept.append((edge, place))
    builder.edges = kept
    reached = {edge.target for edge, _ in kept}
    for end in cut - reached:
        del builder.steps[end]


class _Edges:
    """The builder's edges while points are taken out: a list whose removed entries
    are None, indexed by the steps flow edges enter and leave and oversight edges
    watch and come from."""

    def __init__(self, builder: ChartBuilder):
        self.edges: list = list(builder.edges)
        self.into, self.out = _flows(builder)
        self.watching: dict[str, list[int]] = defaultdict(list)
        self.watchers: dict[str, list[int]] = defaultdict(list)
        for index, (edge, _) in enumerate(self.edges):
            if edge.kind == "oversight":
                self.watching[edge.target].append(index)
                self.watchers[edge.source].append(index)

    def add(self, edge: Edge, place: Place) -> None:
        index = len(self.edges)
        self.edges.append((edge, place))
        if edge.kind == "flow":
            self.out[edge.source].append(index)
            self.into[edge.target].append(index)
        else:
            self.watching[edge.target].append(index)
            self.watchers[edge.source].append(index)

    def live(self, indexes) -> list[int]:
        return [i for i in indexes if self.edges[i] is not None]

    def take_out(self, point: str, before: list[int], after: list[int]) -> None:
        """Join each flow into ``point`` to each flow out of it, and move oversight of
        it to the steps after it; then drop every edge of ``point``."""
        edges = self.edges
        for i in before:
            first, place = edges[i]
            for j in after:
                second = edges[j][0]
                if first.source != second.target:
                    self.add(dataclasses.replace(first, target=second.target,
                                                 label=second.label or first.label), place)
        watched = self.live(self.watching.pop(point, ()))
        for i in watched:
            edge, place = edges[i]
            for j in after:
                self.add(dataclasses.replace(edge, target=edges[j][0].target), place)
        for i in (*before, *after, *watched, *self.watchers.pop(point, ())):
            edges[i] = None
        for i in (*self.into.pop(point, ()), *self.out.pop(point, ())):
            edges[i] = None


def pass_through(builder: ChartBuilder, limit: int) -> int:
    """Take out each start event that something flows into and each end event that
    flows on (when the matter both reaches and leaves it: one it only reaches, or only
    leaves, stays as drawn), joining every step before it to every step after it (a flow's label is
    kept, the leaving one first); an oversight edge to it watches the steps after it.
    Returns the edges made beyond one per taken-out event, refused past ``limit``."""
    steps = builder.steps
    edges = _Edges(builder)
    through = [step_id for step_id, step in steps.items()
               if step.kind in ("start", "end") and edges.into.get(step_id)
               and edges.out.get(step_id)]
    made = 0
    for point in through:
        before = edges.live(edges.into.get(point, ()))
        after = edges.live(edges.out.get(point, ()))
        made += max(len(before) * len(after) - 1, 0)
        if made > limit:
            message = too_many("经过点 (子流程的开始和结束事件) 所隐含的连线",
                               "edges implied by points the matter passes through (the "
                               "start and end events of sub-processes)", limit, None)
            builder.fail(edges.edges[(before or after)[0]][1], message.zh, message.en)
        edges.take_out(point, before, after)
        del steps[point]
    if through:
        builder.edges = [e for e in edges.edges if e is not None]
    return made

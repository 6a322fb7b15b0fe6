"""Each graph rule against a naive implementation of its design.md definition.

The rules are near-linear (shared searches, incremental growth, bit sets, dominator
intervals); the references here are the obvious slow ones (one search per step, per
post, per pair, networkx's own path functions) on small random flowcharts, with loops,
several starts and ends, collective bodies, reporting chains, undeclared and missing
actors. Both must agree, and every witness must be a real path that proves its finding.
"""
from __future__ import annotations

from itertools import pairwise

import networkx as nx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flowgraph.model import (
    DISCRETION_LEVELS,
    DUTIES,
    HOLDER_KINDS,
    NEUTRAL_KINDS,
    Actor,
    Edge,
    Flowchart,
    Stakes,
    Step,
)
from flowgraph.policy import Policy
from flowgraph.rules import BY_CODE, Context

POLICY = Policy()
ACTOR_IDS = ("a0", "a1", "a2", "a3", "a4")


KINDS = ("start", "end", "end", "task", "task", "task", "decision", "decision", "decision",
         "review", "review", "review", "disclosure", "oversight", "gateway", "system")

# The fixed strategies of ``flowcharts``, made once: made at every draw, they cost more
# than the draws themselves (their labels and checks, a third of these tests' time).
BOSSES = tuple(st.sampled_from((None, "ghost", *ACTOR_IDS[:index],
                                *ACTOR_IDS[max(0, index - 1):index] * 3))
               for index in range(len(ACTOR_IDS)))
COLLECTIVES = st.sampled_from((None, None, None, 2, 5))
STEP_KINDS = st.sampled_from(KINDS)
MOSTLY = st.integers(0, 4)
HOLDERS = st.sampled_from((*ACTOR_IDS[:3] * 2, *ACTOR_IDS, None, "ghost"))
DISCRETIONS = st.sampled_from(DISCRETION_LEVELS)
MONEY = st.sampled_from((None, 99_999, 100_000, 5_000_000))
ANY_DUTY = st.sampled_from((None, *DUTIES))


@st.composite
def flowcharts(draw):
    """Small flowcharts, biased towards the shapes the rules are about: a start first
    and an end last most of the time, many decisions and reviews, reporting chains."""
    actors = []
    for index, actor_id in enumerate(ACTOR_IDS):
        boss = draw(BOSSES[index])
        collective = draw(COLLECTIVES)
        actors.append(Actor(actor_id, f"岗位{index}", reports_to=boss, collective=collective))
    count = draw(st.integers(2, 9))
    steps = []
    for index in range(count):
        kind = draw(STEP_KINDS)
        if index == 0 and draw(MOSTLY):
            kind = "start"
        elif index == count - 1 and draw(MOSTLY):
            kind = "end"
        neutral = kind in NEUTRAL_KINDS
        steps.append(Step(
            f"s{index}", kind, f"步骤{index}",
            actor=None if neutral else draw(HOLDERS),
            discretion="none" if neutral else draw(DISCRETIONS),
            stakes=Stakes(money=draw(MONEY), people=draw(st.booleans())),
            duty=None if neutral else draw(ANY_DUTY)))
    ids = [s.id for s in steps]
    forward = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    backward = [(b, a) for a, b in forward]
    flows = draw(st.lists(st.sampled_from(forward), unique=True, max_size=2 * count)) \
        + draw(st.lists(st.sampled_from(backward), unique=True, max_size=2)) \
        if forward else []
    flows = list(dict.fromkeys(flows))
    watchers = [s.id for s in steps if s.kind in ("oversight", "disclosure")]
    watch_pairs = [(a, b) for a in watchers for b in ids if a != b]
    oversights = draw(st.lists(st.sampled_from(watch_pairs), unique=True, max_size=4)) \
        if watch_pairs else []
    return Flowchart("random", "随机", steps, [Edge(a, b) for a, b in flows],
                     [Edge(a, b, "oversight") for a, b in oversights], actors)


def make(kinds: str, flows: str, actors: str = "", bosses: str = "") -> Flowchart:
    """A hand-made chart: ``kinds`` one letter a step (S start, E end, T task, D decision,
    R review, P disclosure), ``actors`` one letter a step (0-4 for a0-a4, ``.`` none),
    ``flows`` as ``"01 12 21"`` (step numbers), ``bosses`` as ``"10"`` (a1 reports to a0).
    Decisions and tasks get high discretion and money at stake."""
    letters = {"S": "start", "E": "end", "T": "task", "D": "decision", "R": "review",
               "P": "disclosure"}
    actors = actors.ljust(len(kinds), ".")
    steps = [Step(f"s{i}", letters[k], f"步骤{i}",
                  actor=None if a == "." or letters[k] in NEUTRAL_KINDS else f"a{a}",
                  discretion="high" if k in "TD" else "none",
                  stakes=Stakes(money=5_000_000 if k in "TD" else None))
             for i, (k, a) in enumerate(zip(kinds, actors, strict=True))]
    boss = {pair[0]: pair[1] for pair in bosses.split()}
    team = [Actor(a, f"岗位{a}", reports_to=f"a{boss[a[1]]}" if a[1] in boss else None)
            for a in ACTOR_IDS]
    return Flowchart("hand", "手工", steps,
                     [Edge(f"s{p[0]}", f"s{p[1]}") for p in flows.split()], [], team)


# Shapes random search rarely draws, each the reason for a piece of the algorithms:
DECISION_BEFORE_ITS_LOOP_REVIEW = make("SDRE", "01 12 21 13", "011")
REVIEW_BEFORE_AND_AFTER = make("STDRE", "01 12 23 32 24 03", "0012")
SUBORDINATE_REVIEW = make("SDRE", "01 12 23", "010", "10")
SUPERIOR_REVIEW = make("SDRE", "01 12 23", "101", "10")


def run(code, chart):
    return list(BY_CODE[code].check(Context(chart, POLICY)))


def is_path(chart, path):
    return all(chart.flow.has_edge(a, b) for a, b in pairwise(path))


def independent(chart, b, a):
    if b is None or a is None or b == a or b not in chart.actors:
        return False
    boss, seen = chart.actors[b].reports_to, {b}
    while boss is not None and boss not in seen:
        if boss == a:
            return False
        seen.add(boss)
        boss = chart.actors[boss].reports_to if boss in chart.actors else None
    return True


def collective(chart, actor):
    return actor in chart.actors and (chart.actors[actor].collective or 0) >= 3


def holders(chart):
    return [s for s in chart.steps.values() if s.kind in HOLDER_KINDS]


def reaches_end(chart, source, blocked):
    graph = chart.flow.subgraph(n for n in chart.flow if n == source or n not in blocked)
    return any(end in nx.descendants(graph, source) for end in chart.ends)


#: 200 examples for each rule, set on each test: a profile loaded here would be the
#: default of every test collected after this module, whichever it is.
RULES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RULES
@given(flowcharts())
@example(SUBORDINATE_REVIEW)
@example(SUPERIOR_REVIEW)
def test_fg201_unchecked_discretion(chart):
    expected = set()
    if chart.ends:
        for d in holders(chart):
            if d.discretion == "none" or d.actor is None or collective(chart, d.actor):
                continue
            checks = {c.id for c in chart.steps.values() if c.id != d.id and (
                (c.kind in ("review", "decision") and independent(chart, c.actor, d.actor))
                or (c.kind in HOLDER_KINDS and collective(chart, c.actor))
                or c.kind == "disclosure")}
            if reaches_end(chart, d.id, checks):
                expected.add(d.id)
    found = run("FG201", chart)
    assert {f.steps[0] for f in found} == expected
    for f in found:
        d = chart.steps[f.steps[0]]
        assert f.witness[0] == d.id and f.witness[-1] in chart.ends and is_path(chart, f.witness)
        for c in f.witness[1:]:
            step = chart.steps[c]
            assert step.kind != "disclosure" and not (
                step.kind in HOLDER_KINDS and collective(chart, step.actor))
            assert not (step.kind in ("review", "decision")
                        and independent(chart, step.actor, d.actor))


@RULES
@given(flowcharts())
@example(SUBORDINATE_REVIEW)
@example(make("STTE", "01 12 23 21", "000"))
def test_fg301_single_person_control(chart):
    expected = {}
    if chart.starts and chart.ends:
        holder_ids = {s.id for s in holders(chart)}
        for actor in {s.actor for s in holders(chart)}:
            if actor is None or collective(chart, actor):
                continue
            own = {s.id for s in holders(chart) if s.actor == actor}
            graph = chart.flow.subgraph(n for n in chart.flow if n not in holder_ids or n in own)
            hits = {h for h in own
                    if any(nx.has_path(graph, s, h) for s in chart.starts)
                    and any(nx.has_path(graph, h, e) for e in chart.ends)}
            if hits:
                expected[actor] = hits
    found = run("FG301", chart)
    assert {chart.steps[f.steps[0]].actor: set(f.steps) for f in found} == expected
    for f in found:
        actor = chart.steps[f.steps[0]].actor
        assert f.witness[0] in chart.starts and f.witness[-1] in chart.ends
        assert is_path(chart, f.witness)
        on_path = [chart.steps[n] for n in f.witness if chart.steps[n].kind in HOLDER_KINDS]
        assert on_path and all(s.actor == actor for s in on_path)


@RULES
@given(flowcharts())
def test_fg302_incompatible_duties(chart):
    expected = set()
    for actor in chart.actors.keys() | {"ghost"}:
        mine = [s for s in chart.steps.values() if s.actor == actor and s.duty]
        for first, second in POLICY.incompatible_duties:
            if any(a.duty == first and b.duty == second
                   and (nx.has_path(chart.flow, a.id, b.id) or nx.has_path(chart.flow, b.id, a.id))
                   for a in mine for b in mine):
                expected.add((actor, frozenset((first, second))))
    found = run("FG302", chart)
    got = set()
    for f in found:
        a, b = (chart.steps[s] for s in f.steps)
        assert a.actor == b.actor and is_path(chart, f.witness) and len(f.witness) >= 2
        assert (f.witness[0], f.witness[-1]) == f.steps
        got.add((a.actor, frozenset((a.duty, b.duty))))
    assert got == expected and len(found) == len(expected)


@RULES
@given(flowcharts())
@example(DECISION_BEFORE_ITS_LOOP_REVIEW)
@example(REVIEW_BEFORE_AND_AFTER)
def test_fg303_bypass(chart):
    expected = set()
    if chart.starts:
        reviews = [s.id for s in chart.steps.values() if s.kind == "review"]
        for d in (s.id for s in chart.steps.values() if s.kind == "decision"):
            no_review = chart.flow.subgraph(n for n in chart.flow if n not in reviews)
            direct = any(nx.has_path(no_review, s, d) for s in chart.starts)
            without_d = chart.flow.subgraph(n for n in chart.flow if n != d)
            through = any(any(nx.has_path(without_d, s, r) for s in chart.starts)
                          and nx.has_path(chart.flow, r, d) for r in reviews)
            if direct and through:
                expected.add(d)
    found = run("FG303", chart)
    assert {f.steps[0] for f in found} == expected
    for f in found:
        assert f.witness[0] in chart.starts and f.witness[-1] == f.steps[0]
        assert is_path(chart, f.witness)
        assert all(chart.steps[n].kind != "review" for n in f.witness)


@RULES
@given(flowcharts())
def test_fg401_missing_oversight(chart):
    expected = set()
    if chart.ends:
        disclosures = {s.id for s in chart.steps.values() if s.kind == "disclosure"}
        for h in holders(chart):
            if h.actor is None or collective(chart, h.actor) or not POLICY.is_high_stakes(h):
                continue
            if any(e.target == h.id and independent(chart, chart.steps[e.source].actor, h.actor)
                   for e in chart.oversights):
                continue
            if reaches_end(chart, h.id, disclosures):
                expected.add(h.id)
    found = run("FG401", chart)
    assert {f.steps[0] for f in found} == expected
    for f in found:
        assert f.witness[-1] in chart.ends and is_path(chart, f.witness)
        source, target = f.proposed_edge
        assert target == f.steps[0]
        if source is not None:
            assert chart.steps[source].kind == "oversight"
            assert independent(chart, chart.steps[source].actor, chart.steps[target].actor)


@RULES
@given(flowcharts())
def test_fg402_non_independent_oversight(chart):
    expected = set()
    for e in chart.oversights:
        a, b = chart.steps[e.source].actor, chart.steps[e.target].actor
        if a is not None and b is not None and (a == b or (
                a in chart.actors and not independent(chart, a, b))):
            expected.add((e.source, e.target))
    assert {f.steps for f in run("FG402", chart)} == expected


@RULES
@given(flowcharts())
def test_fg103_and_fg104_cover_every_stuck_step_once(chart):
    in_flow = [s for s in chart.steps if chart.steps[s].kind not in ("oversight", "disclosure")
               or chart.flow.degree(s)]
    reached = set().union(*(nx.descendants(chart.flow, s) | {s} for s in chart.starts))
    unreachable = {s for s in in_flow if s not in reached} if chart.starts else set()
    roots = [set(f.steps) for f in run("FG103", chart)]
    covered = set().union(*roots, *(nx.descendants(chart.flow.subgraph(unreachable), r)
                                    for root in roots for r in root))
    assert covered == unreachable
    for root in roots:
        assert not any(p not in root for r in root for p in chart.flow.pred[r])

    reaching = set().union(*(nx.ancestors(chart.flow, e) | {e} for e in chart.ends))
    stuck = {s for s in in_flow if s not in reaching and (not chart.starts or s in reached)} \
        if chart.ends else set()
    sinks = [set(f.steps) for f in run("FG104", chart)]
    covered = set().union(*sinks, *(nx.ancestors(chart.flow.subgraph(stuck), r)
                                    for sink in sinks for r in sink))
    assert covered == stuck
    for sink in sinks:
        assert not any(s not in sink for r in sink for s in chart.flow.succ[r])

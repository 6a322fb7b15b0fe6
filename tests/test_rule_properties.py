"""Invariants of the rules, checked on realistic generated flowcharts (hypothesis picks
the seed, the step and the edit): what an analyst's fix or a harmless edit must never
change."""
from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from flowgraph.analysis import audit
from flowgraph.generate import batch
from flowgraph.io import read_data
from flowgraph.io.bpmn import write as bpmn
from flowgraph.io.dot_format import write as dot
from flowgraph.io.drawio import write as drawio
from flowgraph.io.yaml_format import loads
from flowgraph.io.yaml_writer import dumps
from flowgraph.model import Actor, Edge, Flowchart, Step

PROPERTY = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.filter_too_much])


@st.composite
def charts(draw) -> Flowchart:
    seed = draw(st.integers(0, 10_000))
    path, text = next(batch(1, seed))
    return loads(text, path)


def rebuilt(chart: Flowchart, steps=None, flows=None, oversights=None,
            actors=None) -> Flowchart:
    changes = {"steps": steps, "flows": flows, "oversights": oversights, "actors": actors}
    return chart.replace(**{key: value for key, value in changes.items() if value is not None})


def found(chart: Flowchart, rule: str) -> set[tuple[str, ...]]:
    return {f.steps for f in audit(chart) if f.rule == rule}


@PROPERTY
@given(charts(), st.data())
def test_an_independent_review_after_a_discretion_point_never_creates_fg201(chart, data):
    """The fix FG201 suggests: a review by a post outside the chain, straight after the
    discretion point. It may clear findings; it never adds one."""
    holders = [s for s in chart.steps.values()
               if s.kind in ("task", "decision", "review") and s.discretion != "none"]
    assume(holders)
    point = data.draw(st.sampled_from(holders))
    reviewer = Actor("independent_reviewer", "法制审核科科长", "section")
    review = Step("independent_review", "review", "法制审核", reviewer.id)
    flows = [Edge("independent_review", e.target, "flow", e.label)
             if e.source == point.id else e for e in chart.flows]
    flows.append(Edge(point.id, "independent_review", "flow"))
    fixed = rebuilt(chart, [*chart.steps.values(), review], flows,
                    actors=[*chart.actors.values(), reviewer])
    before, after = found(chart, "FG201"), found(fixed, "FG201")
    assert after <= before
    assert (point.id,) not in after


@PROPERTY
@given(charts())
def test_renaming_step_ids_changes_no_finding(chart):
    rename = {step_id: f"renamed_{n}" for n, step_id in enumerate(reversed(chart.steps))}
    steps = [replace(s, id=rename[s.id]) for s in chart.steps.values()]
    flows = [replace(e, source=rename[e.source], target=rename[e.target]) for e in chart.flows]
    watch = [replace(e, source=rename[e.source], target=rename[e.target])
             for e in chart.oversights]
    renamed = rebuilt(chart, steps, flows, watch)
    expected = sorted((f.rule, tuple(rename[s] for s in f.steps), f.message.en.count("→"))
                      for f in audit(chart))
    got = sorted((f.rule, f.steps, f.message.en.count("→")) for f in audit(renamed))
    assert got == expected


@PROPERTY
@given(charts(), st.data())
def test_removing_an_oversight_edge_never_removes_an_fg401(chart, data):
    assume(chart.oversights)
    edge = data.draw(st.sampled_from(chart.oversights))
    fewer = rebuilt(chart, oversights=[e for e in chart.oversights if e is not edge])
    assert found(chart, "FG401") <= found(fewer, "FG401")


WRITERS = {"yaml": dumps, "dot": dot, "bpmn": bpmn, "drawio": drawio}


@PROPERTY
@given(charts())
def test_the_same_chart_in_every_format_gives_the_same_findings(chart):
    expected = sorted((f.rule, f.steps, f.waived) for f in audit(chart))
    for fmt, write in WRITERS.items():
        [again] = read_data(fmt, write(chart).encode("utf-8"), f"chart.{fmt}")
        assert sorted((f.rule, f.steps, f.waived) for f in audit(again)) == expected, fmt

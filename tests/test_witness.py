"""Witness paths: real paths of the chart, shared between findings, linear in size
(issue 14), and read back whole from the JSON document."""
from __future__ import annotations

import json
import pickle
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings

from flowgraph.analysis import assess
from flowgraph.config import Config
from flowgraph.io.yaml_format import loads
from flowgraph.output.json_output import WITNESS_SHOWN, dumps, witness_steps
from flowgraph.paths import PointerTree, Witness, breadth_first, covered
from flowgraph.results import ChartResult, FileResult, Review
from flowgraph.shapes import SHAPES, chart
from tests.test_rules_against_definitions import flowcharts

# -- the structure ----------------------------------------------------------------------

#: a → b → c → d, with x beside: b → x → d
SUCC = {"a": ["b"], "b": ["c", "x"], "c": ["d"], "x": ["d"], "d": []}
PRED = {"a": [], "b": ["a"], "c": ["b"], "x": ["b"], "d": ["c", "x"]}


def test_a_witness_reads_a_chain_of_pointers_towards_its_source():
    tree = PointerTree(breadth_first(["d"], PRED))
    witness = Witness.down(tree, "a")
    assert list(witness) == ["a", "b", "c", "d"] and len(witness) == 4
    assert witness == ("a", "b", "c", "d") and witness == ["a", "b", "c", "d"]
    assert (witness.head(2), witness.tail(2), witness[0], witness[-1]) == \
        (["a", "b"], ["c", "d"], "a", "d")


def test_a_forward_search_reads_reversed_and_parts_join():
    forward = PointerTree(breadth_first(["a"], SUCC))
    backward = PointerTree(breadth_first(["d"], PRED))
    witness = Witness.up(forward, "c") + Witness.down(backward, "c", skip=1)
    assert list(witness) == ["a", "b", "c", "d"]
    assert (witness.head(3), witness.tail(3), len(witness)) == \
        (["a", "b", "c"], ["b", "c", "d"], 4)


def test_a_grown_tree_looks_in_what_it_adds_first():
    base = breadth_first(["d"], PRED, lambda node: node != "c")
    added = {"c": "d", "b": "c", "a": "b"}  # as grow would add them, parents first
    tree = PointerTree(added, PointerTree(base))
    assert list(Witness.down(tree, "a")) == ["a", "b", "c", "d"]
    assert list(Witness.down(tree, "x")) == ["x", "d"]
    assert tree.depth("a") == 3 and tree.tail("a", 2) == ["c", "d"]


def test_heads_and_tails_of_a_long_chain_do_not_walk_it():
    """100,000 steps, a witness from every eighth: lengths and tails from one pass."""
    size = 100_000
    pred = {i: [i - 1] if i else [] for i in range(size + 1)}
    tree = PointerTree(breadth_first([size], pred))
    witnesses = [Witness.down(tree, i) for i in range(0, size, 8)]
    assert sum(len(w) for w in witnesses) == sum(size - i + 1 for i in range(0, size, 8))
    assert witnesses[0].tail(3) == [size - 2, size - 1, size]
    assert witnesses[-1].head(2) == [size - 8, size - 7]


def test_covered_is_the_union_of_the_paths():
    forward = PointerTree(breadth_first(["a"], SUCC))
    backward = PointerTree(breadth_first(["d"], PRED))
    witnesses = [Witness.up(forward, "c") + Witness.down(backward, "c", skip=1),
                 Witness.down(backward, "x"), Witness(("b", "x"))]
    nodes, edges = covered(witnesses)
    assert nodes == {"a", "b", "c", "d", "x"}
    assert edges == {("a", "b"), ("b", "c"), ("c", "d"), ("x", "d"), ("b", "x")}


def test_a_witness_survives_pickling_with_its_tree_shared():
    tree = PointerTree(breadth_first(["d"], PRED))
    pair = [Witness.down(tree, "a"), Witness.down(tree, "x")]
    copied = pickle.loads(pickle.dumps(pair))
    assert copied == pair and copied[0].parts[0].tree is copied[1].parts[0].tree


# -- every finding's witness is a path of its chart ---------------------------------------

def _check_witness(chart, finding) -> None:
    """The witness of ``finding`` is what its rule says it is."""
    witness = list(finding.witness)
    flow = chart.flow
    consecutive = all(flow.has_edge(a, b) for a, b in pairwise(witness))
    rule = finding.rule
    if rule in ("FG201", "FG401"):
        assert consecutive and witness[0] == finding.steps[0] and witness[-1] in chart.ends
    elif rule == "FG301":
        assert consecutive and witness[0] in chart.starts and witness[-1] in chart.ends
        assert finding.steps[0] in witness
    elif rule == "FG303":
        assert consecutive and witness[0] in chart.starts and witness[-1] == finding.steps[0]
    elif rule == "FG302":
        assert consecutive and {witness[0], witness[-1]} == set(finding.steps)
    elif rule == "FG104" and chart.starts:
        assert consecutive and witness[0] in chart.starts and witness[-1] in finding.steps
    elif rule in ("FG103", "FG104"):
        assert witness == list(finding.steps)
    elif rule in ("FG108", "FG402"):
        assert any((e.source, e.target) == tuple(witness) for e in chart.oversights)
    else:
        assert witness == list(finding.steps)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flowcharts())
def test_every_witness_is_a_path_on_random_charts(flowchart):
    for finding in assess(flowchart).findings:
        _check_witness(flowchart, finding)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_witness_is_a_path_on_adversarial_charts(shape):
    flowchart = loads(chart(600, shape), f"{shape}.yaml")
    findings = assess(flowchart).findings
    assert findings
    for finding in findings:
        _check_witness(flowchart, finding)


# -- the JSON document ----------------------------------------------------------------------

def _document(text: str, name: str, full: bool = False) -> tuple[dict, list]:
    flowchart = loads(text, name)
    assessment = assess(flowchart, Config())
    result = FileResult(name, [ChartResult(flowchart, assessment.findings,
                                           assessment.grades)])
    return json.loads(dumps(Review.of([result]), "en", full)), assessment.findings


def test_long_witnesses_are_bounded_and_read_back_whole():
    document, findings = _document(chart(3000, "modules"), "modules.yaml")
    assert any(f["witness_parts"] for f in document["findings"])
    for record, finding in zip(document["findings"], findings, strict=True):
        assert record["witness_length"] == len(finding.witness)
        assert len(record["witness"]) == min(len(finding.witness), WITNESS_SHOWN)
        assert record["witness"] == list(finding.witness)[:WITNESS_SHOWN]
        assert witness_steps(record, document["witness_trees"]) == list(finding.witness)


def test_full_witness_writes_every_path_whole():
    document, findings = _document(chart(600, "modules"), "modules.yaml", full=True)
    assert document["witness_trees"] == []
    assert [f["witness"] for f in document["findings"]] == [list(f.witness) for f in findings]


def test_short_witnesses_need_no_tree():
    document, _ = _document(chart(60, "modules"), "modules.yaml")
    assert document["witness_trees"] == []
    assert all(f["witness_parts"] is None for f in document["findings"])


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_document_grows_linearly_with_the_chart(shape):
    """Twice the steps, about twice the bytes (it grew with the square before)."""
    small = len(dumps(Review.of([_result(chart(2000, shape), shape)]), "en"))
    large = len(dumps(Review.of([_result(chart(4000, shape), shape)]), "en"))
    assert large / small < 2.3


def _result(text: str, name: str) -> FileResult:
    flowchart = loads(text, f"{name}.yaml")
    assessment = assess(flowchart)
    return FileResult(f"{name}.yaml", [ChartResult(flowchart, assessment.findings,
                                                   assessment.grades)])

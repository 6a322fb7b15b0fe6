"""The searches every rule is built on (flowgraph/paths.py), on small graphs written out
here, against networkx on random graphs, and on a chain longer than Python's recursion
limit. The examples in the module's docstrings run as doctests."""
from __future__ import annotations

import doctest
from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowgraph import paths
from flowgraph.paths import breadth_first, follow, grow, strongly_connected


def adjacency(edges, nodes=()):
    """Successors and predecessors of a directed graph given by its edges, as the rules
    see ``flowchart.succ`` and ``flowchart.pred``."""
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(nodes)
    return ({n: list(graph.succ[n]) for n in graph},
            {n: list(graph.pred[n]) for n in graph})


# -- breadth_first ---------------------------------------------------------------------------


def test_each_node_points_to_the_node_it_was_first_reached_from():
    succ, _ = adjacency([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")])
    assert breadth_first(["a"], succ) == {"a": None, "b": "a", "c": "a", "d": "b", "e": "d"}


def test_the_pointers_give_a_shortest_path():
    # depth first, d would be reached the long way, through b and p
    succ, _ = adjacency([("a", "b"), ("a", "c"), ("b", "p"), ("p", "d"), ("c", "d")])
    assert follow(breadth_first(["a"], succ), "d") == ["d", "c", "a"]
    # last in, first out, through c and p
    succ, _ = adjacency([("a", "b"), ("a", "c"), ("b", "d"), ("c", "p"), ("p", "d")])
    assert follow(breadth_first(["a"], succ), "d") == ["d", "b", "a"]


def test_several_sources_each_point_to_none_and_repeats_are_ignored():
    succ, _ = adjacency([("a", "c"), ("b", "c"), ("c", "d")])
    assert breadth_first(["b", "a", "b"], succ) == {"b": None, "a": None, "c": "b", "d": "c"}


def test_a_backward_search_follows_the_predecessors():
    _, pred = adjacency([("s", "a"), ("a", "e"), ("s", "b"), ("x", "y")])
    assert breadth_first(["e"], pred) == {"e": None, "a": "e", "s": "a"}


def test_a_node_that_is_not_passable_is_not_entered_nor_searched_past():
    succ, _ = adjacency([("s", "r"), ("r", "e"), ("s", "x"), ("x", "y")])
    assert breadth_first(["s"], succ, lambda node: node != "r") == \
        {"s": None, "x": "s", "y": "x"}


def test_a_source_is_searched_from_even_when_not_passable():
    succ, _ = adjacency([("r", "e")])
    assert breadth_first(["r"], succ, lambda node: node != "r") == {"r": None, "e": "r"}


def test_the_search_stops_as_soon_as_it_enters_a_node_of_until():
    # c is found before d is even queued: the search returns then, d and e unreached
    succ, _ = adjacency([("a", "b"), ("a", "c"), ("b", "d"), ("d", "e")])
    assert breadth_first(["a"], succ, until={"c"}) == {"a": None, "b": "a", "c": "a"}


def test_a_source_in_until_does_not_stop_the_search():
    succ, _ = adjacency([("a", "b")])
    assert breadth_first(["a"], succ, until={"a"}) == {"a": None, "b": "a"}


def test_until_beyond_what_is_passable_is_never_entered():
    succ, _ = adjacency([("a", "b"), ("b", "c")])
    assert breadth_first(["a"], succ, lambda node: node != "b", until={"c"}) == {"a": None}


# -- follow ----------------------------------------------------------------------------------


def test_follow_walks_back_to_the_source():
    pointer = {"a": None, "b": "a", "c": "b"}
    assert follow(pointer, "c") == ["c", "b", "a"]
    assert follow(pointer, "a") == ["a"]


def test_follow_looks_in_the_extra_tables_first():
    pointer = {"a": None, "b": "a", "c": "b"}
    assert follow(pointer, "c", {"c": "a"}) == ["c", "a"]
    assert follow(pointer, "x", {"y": "b"}, {"x": "y"}) == ["x", "y", "b", "a"]


def test_follow_from_a_node_never_reached_is_a_key_error():
    with pytest.raises(KeyError):
        follow({"a": None}, "z")
    with pytest.raises(KeyError):
        follow({"a": None, "b": "gone"}, "b")


# -- grow ------------------------------------------------------------------------------------


def test_grow_adds_only_the_newly_reached_nodes_and_leaves_its_input_alone():
    # ends reached backward without passing the review r; then r is allowed
    succ, pred = adjacency([("s", "d"), ("d", "r"), ("r", "e"), ("s", "e"), ("u", "d")])
    closure = breadth_first(["e"], pred, lambda node: node != "r")
    assert closure == {"e": None, "s": "e"}
    added = grow(closure, ["r"], succ, pred, lambda _: True)
    assert added == {"r": "e", "d": "r", "u": "d"}
    assert closure == {"e": None, "s": "e"}
    assert follow(closure, "u", added) == ["u", "d", "r", "e"]


def test_grow_ignores_candidates_already_reached_or_cut_off():
    succ, pred = adjacency([("a", "e"), ("b", "c")])
    closure = breadth_first(["e"], pred)
    # a is in the closure already; b and c lead nowhere near it
    assert grow(closure, ["a", "b", "c"], succ, pred, lambda _: True) == {}


def test_grow_still_respects_passable_beyond_the_candidates():
    succ, pred = adjacency([("x", "d"), ("d", "r"), ("r", "e")])
    closure = breadth_first(["e"], pred, lambda node: node not in ("r", "x"))
    assert grow(closure, ["r"], succ, pred, lambda node: node != "x") == {"r": "e", "d": "r"}


def test_a_candidate_is_reached_through_another_candidate():
    # r2 only touches the closure through r1, which comes after it in the list
    succ, pred = adjacency([("r2", "r1"), ("r1", "e")])
    closure = breadth_first(["e"], pred, lambda _: False)
    assert grow(closure, ["r2", "r1"], succ, pred, lambda _: True) == {"r1": "e", "r2": "r1"}


# -- strongly_connected ----------------------------------------------------------------------


def test_a_chain_is_one_component_per_step_sinks_first():
    succ, _ = adjacency([("a", "b"), ("b", "c")])
    assert strongly_connected(["a", "b", "c"], succ) == [["c"], ["b"], ["a"]]


def test_a_loop_is_one_component_after_what_it_leads_to():
    # apply -> check -> back to apply for corrections, or on to decide
    succ, _ = adjacency([("apply", "check"), ("check", "apply"), ("check", "decide")])
    assert strongly_connected(["apply", "check", "decide"], succ) == \
        [["decide"], ["check", "apply"]]


def test_nested_loops_are_one_component():
    succ, _ = adjacency([("a", "b"), ("b", "c"), ("c", "b"), ("c", "a"), ("c", "d")])
    assert strongly_connected(["a", "b", "c", "d"], succ) == [["d"], ["c", "b", "a"]]


def test_two_loops_in_a_row_come_downstream_first():
    succ, _ = adjacency([("a", "b"), ("b", "a"), ("b", "c"), ("c", "d"), ("d", "c")])
    assert strongly_connected(["a", "b", "c", "d"], succ) == [["d", "c"], ["b", "a"]]


def test_a_step_looping_on_itself_is_its_own_component():
    succ, _ = adjacency([("a", "a"), ("a", "b")])
    assert strongly_connected(["a", "b"], succ) == [["b"], ["a"]]


def test_separate_chains_each_come_sinks_first_in_the_order_of_the_nodes():
    succ, _ = adjacency([("a", "b"), ("x", "y")])
    assert strongly_connected(["x", "a", "b", "y"], succ) == [["y"], ["x"], ["b"], ["a"]]


# -- long flows --------------------------------------------------------------------------------


def test_a_chain_of_100000_steps_needs_no_recursion():
    n = 100_000
    succ = {k: [k + 1] for k in range(n - 1)} | {n - 1: []}
    pred = {k: [k - 1] for k in range(1, n)} | {0: []}
    forward = breadth_first([0], succ)
    assert len(forward) == n and forward[n - 1] == n - 2
    assert follow(forward, n - 1) == list(range(n - 1, -1, -1))
    closure = breadth_first([n - 1], pred, lambda node: node != n - 2)
    assert grow(closure, [n - 2], succ, pred, lambda _: True) == \
        {k: k + 1 for k in range(n - 1)}
    assert strongly_connected(range(n), succ) == [[k] for k in range(n - 1, -1, -1)]
    succ[n - 1].append(0)  # closed into one loop
    [loop] = strongly_connected(range(n), succ)
    assert sorted(loop) == list(range(n))


# -- against networkx --------------------------------------------------------------------------


@st.composite
def graphs(draw):
    """A directed graph of up to 12 nodes, any edges (loops and self-loops included)."""
    n = draw(st.integers(1, 12))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                          max_size=3 * n))
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(range(n))
    return graph


def subsets(graph):
    return st.sets(st.sampled_from(sorted(graph)))


ORACLE = settings(max_examples=300, deadline=None)


@ORACLE
@given(st.data())
def test_breadth_first_reaches_what_networkx_reaches_by_shortest_paths(data):
    graph = data.draw(graphs())
    sources = data.draw(st.lists(st.sampled_from(sorted(graph)), min_size=1))
    blocked = data.draw(subsets(graph))
    passable = graph.subgraph(n for n in graph if n not in blocked or n in sources)
    distance = nx.multi_source_dijkstra_path_length(passable, set(sources))
    succ = {n: list(graph.succ[n]) for n in graph}
    pointer = breadth_first(sources, succ, lambda node: node not in blocked)
    assert set(pointer) == set(distance)
    for node in pointer:
        path = follow(pointer, node)[::-1]
        assert path[0] in sources and path[-1] == node
        assert all(graph.has_edge(a, b) for a, b in pairwise(path))
        assert len(path) - 1 == distance[node]


@ORACLE
@given(st.data())
def test_grow_reaches_what_a_fresh_search_reaches(data):
    graph = data.draw(graphs())
    sources = data.draw(st.lists(st.sampled_from(sorted(graph)), min_size=1))
    blocked = data.draw(subsets(graph))
    candidates = data.draw(st.lists(st.sampled_from(sorted(graph))))
    succ = {n: list(graph.succ[n]) for n in graph}
    pred = {n: list(graph.pred[n]) for n in graph}
    closure = breadth_first(sources, pred, lambda node: node not in blocked)
    before = dict(closure)

    def now_passable(node):
        return node not in blocked or node in candidates

    added = grow(closure, candidates, succ, pred, now_passable)
    assert closure == before and not set(added) & set(closure)
    assert set(closure) | set(added) == set(breadth_first(sources, pred, now_passable))
    for node in added:
        path = follow(closure, node, added)
        assert path[-1] in sources
        assert all(graph.has_edge(a, b) for a, b in pairwise(path))


@ORACLE
@given(graphs())
def test_strongly_connected_agrees_with_networkx_and_puts_sinks_first(graph):
    succ = {n: list(graph.succ[n]) for n in graph}
    components = strongly_connected(sorted(graph), succ)
    assert sorted(map(sorted, components)) == \
        sorted(map(sorted, nx.strongly_connected_components(graph)))
    position = {node: k for k, component in enumerate(components) for node in component}
    assert all(position[b] <= position[a] for a, b in graph.edges)


# -- the docstrings --------------------------------------------------------------------------


EXAMPLES = [test for test in doctest.DocTestFinder().find(paths) if test.examples]


def test_each_search_has_a_docstring_example():
    assert [test.name for test in EXAMPLES] == [
        f"flowgraph.paths.{name}" for name in ("breadth_first", "follow", "grow",
                                               "strongly_connected")]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda test: test.name.split(".")[-1])
def test_the_docstring_examples_run(example):
    assert doctest.DocTestRunner().run(example).failed == 0

"""How messages name steps, routes and groups of steps (flowgraph.rules.wording)."""
from __future__ import annotations

from flowgraph.i18n import Text
from flowgraph.io.yaml_format import loads
from flowgraph.paths import PointerTree, Witness
from flowgraph.rules.wording import group, kind_named, onward, route

CHART = loads("\n".join([
    "flowgraph: 1", "title: 测试", "actors:", "  a: {name: 经办人}", "steps:",
    "  go: {kind: start, label: 受理}",
    *(f"  s{n}: {{kind: task, label: 环节{n}, actor: a}}" for n in range(1, 13)),
    "  gate: {kind: gateway, label: 是否齐全}", "  done: {kind: end, label: 办结}",
    "flow:", "  - [go, s1]"]) + "\n", "wording.yaml")
PATH = ["go", *(f"s{n}" for n in range(1, 13)), "done"]


def test_a_short_route_is_named_whole():
    assert route(CHART, ["go", "s1", "done"]) == Text("“受理” → “环节1” → “办结”",
                                                      "'受理' → '环节1' → '办结'")


def test_a_long_route_is_named_by_its_ends_and_the_count_between():
    assert route(CHART, PATH) == Text("“受理” → …（中间 12 个环节）… → “办结”",
                                      "'受理' → … (12 steps between) … → '办结'")


def test_a_route_leaves_out_what_the_sentence_names():
    assert route(CHART, PATH, skip_first=1, skip_last=1) == Text(
        "“环节1” → …（中间 10 个环节）… → “环节12”", "'环节1' → … (10 steps between) … → '环节12'")
    assert route(CHART, ["go", "done"], skip_first=1, skip_last=1) is None


def test_a_shared_witness_is_named_without_walking_it():
    # a backward search from the end: each step points to the next, sources first
    tree = PointerTree({step: (PATH[n + 1] if n + 1 < len(PATH) else None)
                        for n, step in reversed(list(enumerate(PATH)))})
    witness = Witness.down(tree, "go")
    assert list(witness) == PATH
    assert route(CHART, witness) == route(CHART, PATH)


def test_onward_names_the_end_once():
    assert onward(CHART, ["s1", "done"]) == Text("可直接到达“办结”", "go straight to '办结'")
    assert onward(CHART, ["s1", "s2", "s3", "done"]) == Text(
        "经“环节2” → “环节3”即可到达“办结”", "reach '办结' through '环节2' → '环节3'")


def test_a_group_of_steps_with_its_count():
    assert group(CHART, ("s1", "s2")) == Text("“环节1”、“环节2”这 2 个环节",
                                              "the 2 steps '环节1', '环节2'")
    assert group(CHART, ("s1", "s2", "s3", "s4")) == Text(
        "“环节1”、“环节2”、“环节3”等 4 个环节", "the 4 steps '环节1', '环节2', '环节3', …")


def test_a_step_by_its_kind_in_the_vocabulary_s_words():
    assert kind_named(CHART, "s1") == Text("办理环节“环节1”", "the task '环节1'")
    assert kind_named(CHART, "gate") == Text("分支环节“是否齐全”", "the branch point '是否齐全'")

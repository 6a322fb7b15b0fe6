"""Fuzzing every reader with hypothesis: random bytes, mutations of real files and
near-valid flowcharts. Whatever comes in, a reader returns flowcharts or raises
flowgraph's own error with a message; nothing else escapes and nothing hangs.

The budget is bounded for CI (``FLOWGRAPH_FUZZ_EXAMPLES``, default 60 per test, and a
deadline per input, the same inputs on every run); raise it for a longer, random campaign:
``FLOWGRAPH_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py``.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowgraph.analysis import assess
from flowgraph.errors import FlowgraphError
from flowgraph.io import read_data
from flowgraph.io.bpmn import write as bpmn
from flowgraph.io.dot_format import write as dot
from flowgraph.io.drawio import write as drawio
from flowgraph.io.tables import read_csv_set
from flowgraph.io.yaml_writer import dumps

from .strategies import flowcharts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("FLOWGRAPH_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=2000,
                derandomize="FLOWGRAPH_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Real files of each format, the seeds of the mutations.
SEEDS = {
    "yaml": sorted((ROOT / "flowcharts").glob("*.yaml"))[:6],
    "bpmn": sorted((ROOT / "tests" / "data" / "bpmn").glob("*.bpmn")),
    "drawio": sorted((ROOT / "tests" / "data" / "drawio").glob("*.drawio")),
}
FORMATS = ("yaml", "dot", "bpmn", "drawio", "xlsx")


def survives(fmt: str, data: bytes) -> None:
    """Read ``data`` as ``fmt`` and audit what it gives: only FlowgraphError may come."""
    try:
        charts = read_data(fmt, data, f"fuzz.{fmt}")
    except FlowgraphError as error:
        assert error.message.en and error.message.zh
        return
    for chart in charts:
        assess(chart)


@FUZZ
@given(st.sampled_from(FORMATS), st.binary(max_size=2000))
def test_random_bytes(fmt, data):
    survives(fmt, data)


@FUZZ
@given(st.sampled_from(FORMATS), st.text(max_size=400))
def test_random_text(fmt, text):
    survives(fmt, text.encode("utf-8"))


@st.composite
def mutations(draw):
    """A real file of some format with a few bytes deleted, inserted, replaced or
    repeated: the near misses that break parsers."""
    fmt = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(draw(st.sampled_from(SEEDS[fmt])).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(["delete", "insert", "replace", "repeat"]))
        span = draw(st.integers(1, 40))
        if action == "delete":
            del data[at:at + span]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=span))
        elif action == "replace":
            data[at:at + 1] = bytes([draw(st.integers(0, 255))])
        else:
            data[at:at] = data[at:at + span]
    return fmt, bytes(data)


@FUZZ
@given(mutations())
def test_mutated_real_files(mutated):
    survives(*mutated)


WRITERS = {"yaml": lambda c: dumps(c), "dot": dot, "bpmn": bpmn, "drawio": drawio}


@st.composite
def near_valid(draw):
    """A valid flowchart written in some format, then one token of it replaced by
    something plausible but wrong (a word, a number, a symbol, nothing)."""
    fmt = draw(st.sampled_from(sorted(WRITERS)))
    text = WRITERS[fmt](draw(flowcharts()))
    tokens = [t for t in text.replace("\n", " ").split(" ") if t]
    victim = draw(st.sampled_from(tokens))
    replacement = draw(st.sampled_from(["", "high", "1e999", "-5", "null", "[", "{", "}",
                                        "&amp;", "&x;", "<", '"', "'", "审批", "FG301",
                                        "0x1", "yes", "~", "*a", "&a"]))
    return fmt, text.replace(victim, replacement, 1).encode("utf-8")


@FUZZ
@given(near_valid())
def test_near_valid_flowcharts(case):
    pytest.importorskip("pygraphviz")
    survives(*case)


@FUZZ
@given(st.binary(max_size=1500))
def test_csv_sets(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("csv")
    try:
        charts = read_csv_set(str(folder / "steps.csv"), data, 1 << 20)
    except FlowgraphError:
        return
    for chart in charts:
        assess(chart)

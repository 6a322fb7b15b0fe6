"""The generator of synthetic flowcharts: deterministic, valid, realistic, lazy."""
from __future__ import annotations

import itertools
import time
from collections import Counter

from click.testing import CliRunner

from flowgraph.analysis import assess
from flowgraph.cli import main
from flowgraph.generate import CATALOGUE, batch, chart
from flowgraph.io import load
from flowgraph.io.yaml_format import loads

CATEGORIES = {item.category for kind in CATALOGUE.values() for item in kind.items}


def test_the_same_seed_gives_the_same_bytes():
    assert list(batch(30, seed=7)) == list(batch(30, seed=7))
    assert list(batch(30, seed=7)) != list(batch(30, seed=8))
    assert chart(300, seed=2) == chart(300, seed=2)


def test_a_batch_has_exactly_n_valid_charts_of_8_to_60_steps_in_units():
    items = list(batch(250, seed=1))
    assert len(items) == 250 and len({path for path, _ in items}) == 250
    charts = [loads(text, path) for path, text in items]
    assert all(8 <= len(c.steps) <= 60 for c in charts)
    units = Counter(c.unit for c in charts)
    assert len(units) == round(250 / 16.4)
    # posts recur across a unit's charts, as the practice's key posts do
    by_unit = {}
    for c in charts:
        by_unit.setdefault(c.unit, Counter()).update(
            {a.name for s in c.steps.values() if s.actor for a in [c.actors[s.actor]]})
    assert all(max(posts.values()) >= 3 for posts in by_unit.values())
    assert {c.category for c in charts} <= CATEGORIES


def test_flaws_come_at_realistic_rates():
    rules_per_chart = []
    for path, text in batch(400, seed=3):
        findings = assess(loads(text, path)).findings
        rules_per_chart.append({f.rule for f in findings if not f.rule.startswith("FG50")})
    flawed = sum(1 for rules in rules_per_chart if rules) / len(rules_per_chart)
    assert 0.12 <= flawed <= 0.40, flawed
    seen = set().union(*rules_per_chart)
    assert {"FG201", "FG301", "FG302", "FG303", "FG401", "FG402", "FG105", "FG107",
            "FG202"} <= seen


def test_grade_1_is_rare_and_grade_3_common():
    grades = Counter()
    for path, text in batch(300, seed=4):
        for graded in assess(loads(text, path)).grades.values():
            grades[graded.grade] += 1
    assert grades[1] < grades[2] < grades[3]
    assert grades[1] / (grades[1] + grades[2] + grades[3]) < 0.08


def test_a_batch_is_lazy():
    began = time.perf_counter()
    first = list(itertools.islice(batch(10 ** 9, seed=0), 3))
    assert len(first) == 3 and time.perf_counter() - began < 1


def test_one_chart_has_exactly_n_reachable_steps():
    flowchart = loads(chart(2000, seed=5), "big.yaml")
    assert len(flowchart.steps) == 2000
    structural = Counter(f.rule for f in assess(flowchart).findings if f.rule < "FG2")
    # a merged chart is one connected procedure: no unreachable step, no dead end
    assert structural["FG103"] == 0 and structural["FG104"] == 0


def test_the_generate_command(tmp_path):
    runner = CliRunner()
    out = tmp_path / "city"
    result = runner.invoke(main, ["generate", str(out), "--charts", "40", "--seed", "9"])
    assert result.exit_code == 0, result.output
    files = sorted(out.rglob("*.yaml"))
    assert len(files) == 40
    assert [f.read_text("utf-8") for f in files] == [text for _, text in sorted(batch(40, 9))]
    again = runner.invoke(main, ["generate", str(out), "--charts", "40"])
    assert again.exit_code == 2 and "exists" in again.output
    big = tmp_path / "big.yaml"
    assert runner.invoke(main, ["generate", str(big), "--steps", "120"]).exit_code == 0
    assert len(load(big).steps) == 120
    both = runner.invoke(main, ["generate", str(tmp_path / "x"), "--steps", "5", "--charts", "2"])
    assert both.exit_code == 2 and "one of --charts N or --steps N" in both.output

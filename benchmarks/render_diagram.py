"""Time the layout and drawing of one diagram (issue target: 40 steps in 0.2 s).

    .venv/bin/python benchmarks/render_diagram.py [STEPS ...]

Builds a deterministic chart of STEPS steps (default 40 and 80: a chain of tasks,
reviews and decisions by six posts with return loops and shortcuts, random discretion
so that many FG401 proposals are drawn), audits it once, then times ``render()`` to SVG
five times and prints the median. Interpreter start, loading and auditing are not
included; time the whole command with ``time flowgraph render FILE -o x.svg``.
"""
from __future__ import annotations

import random
import statistics
import sys
import time

from flowgraph.analysis import assess
from flowgraph.io.yaml_format import loads
from flowgraph.output.render import DiagramOptions, render


def chart_text(steps: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    lines = ["flowgraph: 1", f"title: 基准流程（{steps}步）", "actors:"]
    lines += [f"  a{i}: {{name: 岗位{i}, rank: staff}}" for i in range(6)]
    lines += ["steps:", "  s0: {kind: start}"]
    for i in range(1, steps - 1):
        kind = rng.choice(["task", "review", "decision"])
        level = rng.choice(["none", "low", "medium", "high"])
        lines.append(f"  s{i}: {{kind: {kind}, label: 第{i}步办理审核事项, actor: a{i % 6}, "
                     f"discretion: {level}}}")
    lines += [f"  s{steps - 1}: {{kind: end}}", "flow:"]
    lines += [f"  - [s{i}, s{i + 1}]" for i in range(steps - 1)]
    lines += [f"  - [s{i}, s{i - 2}, 退回]" for i in range(3, steps - 4, 5)]
    return "\n".join(lines) + "\n"


def main(sizes: list[int]) -> None:
    for steps in sizes:
        flowchart = loads(chart_text(steps), f"bench-{steps}.yaml")
        assessment = assess(flowchart)
        options = DiagramOptions(date="2026-01-01")
        times = []
        for _ in range(5):
            began = time.perf_counter()
            render(flowchart, assessment.findings, assessment.grades, "svg", options)
            times.append(time.perf_counter() - began)
        print(f"{steps} steps: median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}, max {max(times):.3f})")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [40, 80])

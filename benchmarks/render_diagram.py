"""Time the layout and drawing of one diagram (issue target: 40 steps in 0.2 s).

    .venv/bin/python benchmarks/render_diagram.py [STEPS ...] [--decisions N ...]
    .venv/bin/python benchmarks/render_diagram.py --write-decisions N FILE

Builds a deterministic chart of STEPS steps (default 40 and 80: a chain of tasks,
reviews and decisions by six posts with return loops and shortcuts, random discretion
so that many FG401 proposals are drawn), audits it once, then times ``render()`` to SVG
five times and prints the median. ``--decisions N`` times the hostile chart of issue
13 instead: a chain of N high-stakes decisions (120 make 13 KB), each of which FG401
proposes to watch from one new overseer, once (before the proposals were bounded it
took about a minute). ``--write-decisions N FILE`` writes that chart, to time the whole
command with ``time python -m flowgraph render FILE -o x.svg``. Interpreter start,
loading and auditing are not included in the times printed here.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's code

from flowgraph.analysis import assess  # noqa: E402
from flowgraph.io.yaml_format import loads  # noqa: E402
from flowgraph.output.render import DiagramOptions, render  # noqa: E402


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


def decisions_text(count: int) -> str:
    """A chain of ``count`` high-stakes decisions by two posts of one line of report,
    nothing watching them: FG401 proposes an edge to each from one new overseer."""
    lines = ["flowgraph: 1", f"title: {count} 项重大决策", "actors:",
             "  chief: {name: 科长, rank: section, reports_to: deputy}",
             "  deputy: {name: 分管副局长, rank: deputy}", "steps:",
             "  s0: {kind: start, label: 申请}"]
    lines += [f"  s{i}: {{kind: decision, label: 第{i}项决定, "
              f"actor: {'chief' if i % 2 else 'deputy'}, discretion: high, "
              f"stakes: {{money: 5000000}}}}" for i in range(1, count + 1)]
    lines += [f"  s{count + 1}: {{kind: end, label: 办结}}", "flow:"]
    lines += [f"  - [s{i}, s{i + 1}]" for i in range(count + 1)]
    return "\n".join(lines) + "\n"


def timed(text: str, name: str, repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` renders of the chart ``text`` to SVG."""
    flowchart = loads(text, name)
    assessment = assess(flowchart)
    options = DiagramOptions(date="2026-01-01")
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        render(flowchart, assessment.findings, assessment.grades, "svg", options)
        times.append(time.perf_counter() - began)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, metavar="STEPS")
    parser.add_argument("--decisions", nargs="+", type=int, default=[], metavar="N")
    parser.add_argument("--write-decisions", nargs=2, metavar=("N", "FILE"))
    options = parser.parse_args()
    if options.write_decisions:
        count, path = options.write_decisions
        Path(path).write_text(decisions_text(int(count)), "utf-8")
        return
    for steps in options.sizes or ([] if options.decisions else [40, 80]):
        times = timed(chart_text(steps), f"bench-{steps}.yaml", 5)
        print(f"{steps} steps: median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}, max {max(times):.3f})")
    for count in options.decisions:
        text = decisions_text(count)
        seconds, = timed(text, f"decisions-{count}.yaml", 1)
        print(f"{count} high-stakes decisions ({len(text.encode()) / 1000:.0f} KB): "
              f"{seconds:.2f} s")


if __name__ == "__main__":
    main()

"""The benchmarks of docs/performance.md, run on demand (never in the tests).

    .venv/bin/python benchmarks/run.py [SECTION ...] [--workdir DIR]

Sections (default: all but ``stream``, which takes minutes):

``formats``  loading one 2,000-step chart from each format, and BPMN against a bare
             lxml parse of the same file (the issue's bound: about twice);
``rules``    each rule on the 100,000-step chart, with its complexity;
``batch``    ``flowgraph audit`` of a generated city (1,102 charts): wall, CPU, peak
             memory, from the command line as a user runs it, cold and with ``--cache``;
``crossover`` when workers pay for themselves: batches of 16 to 1,102 small charts,
             YAML and BPMN, audited in one process, with workers, and by default;
``huge``     ``flowgraph audit`` of one 100,000-step chart (wall, peak memory);
``shapes``   each adversarial shape at 10,000 and 100,000 steps: every rule, its growth,
             and ``flowgraph audit --format json`` (wall, peak memory, JSON size);
``render``   ``flowgraph render`` of one 40-step chart, ``flowgraph report`` of the city;
``risks``    the risk library describing every step of the 100,000-step chart (issue 16);
``stream``   ``flowgraph audit`` of 100,000 generated files, text to a file (flat memory).

Material comes from ``flowgraph generate`` (seeded: the same bytes on every machine)
and is written under ``--workdir`` (default ``/tmp/flowgraph-bench``), reused when
present. Each command is timed as a whole, interpreter start included; times are
medians of three runs where a run takes under ten seconds. Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # in process too, this checkout's flowgraph is measured
#: The command as ``python -m flowgraph`` runs it from this checkout (the installed
#: ``flowgraph`` script would run the code it was installed from).
FLOWGRAPH = [sys.executable, "-m", "flowgraph"]


#: Runs one command and prints its wall time, exit code and usage as JSON: the peak
#: memory a parent reads of a child it forked itself is at least the parent's own at
#: the fork (Linux keeps the fork's high-water mark through exec), and this script
#: grows to gigabytes timing rules in process; this launcher is small when it forks.
LAUNCHER = """
import json, resource, subprocess, sys, time
began = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - began
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_kb": usage.ru_maxrss}))
"""


def command(args: list[str], repeat: int = 3, program: list[str] = FLOWGRAPH) -> dict:
    """Run ``flowgraph ARGS`` (or ``program ARGS``) and measure wall time, CPU time
    (itself and its workers) and the peak resident memory of its largest process,
    through a fresh launcher (:data:`LAUNCHER`), so that none of this script's own
    memory is counted."""
    walls, cpus, peak = [], [], 0
    for _ in range(repeat):
        errors = tempfile.TemporaryFile()
        done = subprocess.run([sys.executable, "-c", LAUNCHER, *program, *args],
                              stdout=subprocess.PIPE, stderr=errors, cwd=ROOT, check=True)
        measured = json.loads(done.stdout)
        walls.append(measured["wall"])
        cpus.append(measured["cpu"])
        peak = max(peak, measured["peak_kb"])
        if measured["code"] not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"flowgraph {' '.join(args)} failed:\n{errors.read().decode()}")
        if walls[-1] > 10:
            break
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus),
            "peak_mb": peak / 1024}


def timed(function, repeat: int = 5) -> float:
    """Median seconds of ``function()``."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def interleaved(*functions, repeat: int = 21) -> list[float]:
    """Least seconds of each function, run in turns: timings to be divided are taken
    under the same conditions (a slow spell of the machine slows them all), and the
    least, which noise can only raise, is the steadiest."""
    least = [math.inf] * len(functions)
    for _ in range(repeat):
        for number, function in enumerate(functions):
            began = time.perf_counter()
            function()
            least[number] = min(least[number], time.perf_counter() - began)
    return least


def generated(workdir: Path, name: str, args: list[str]) -> Path:
    path = workdir / name
    if not path.exists():
        subprocess.run([*FLOWGRAPH, "generate", str(path), *args], check=True,
                       stdout=subprocess.DEVNULL, cwd=ROOT)
    return path


def row(*cells) -> None:
    print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)


# -- sections ---------------------------------------------------------------------------


def formats(workdir: Path) -> None:
    """Load one 2,000-step chart from each format (in process: reading only)."""
    from lxml import etree

    from flowgraph.gc_paused import gc_paused
    from flowgraph.io import read_data as read_unpaused
    from flowgraph.io.bpmn import write as bpmn
    from flowgraph.io.dot_format import write as dot
    from flowgraph.io.yaml_format import loads

    def read_data(*args):
        with gc_paused():  # as load_all reads every file
            return read_unpaused(*args)

    chart_path = generated(workdir, "chart-2000.yaml", ["--steps", "2000", "--seed", "11"])
    chart = loads(chart_path.read_bytes(), str(chart_path))
    files = {"yaml": chart_path.read_bytes(), "dot": dot(chart).encode(),
             "bpmn": bpmn(chart).encode(), "xlsx": _workbook(chart)}
    try:
        from flowgraph.io.drawio import write as drawio
        files["drawio"] = drawio(chart).encode()
    except ImportError:
        pass
    for fmt, data in files.items():
        seconds = timed(lambda fmt=fmt, data=data: read_data(fmt, data, f"chart.{fmt}"))
        row(f"load 2,000 steps, {fmt}", f"{seconds * 1000:.0f} ms", f"{len(data) / 1e6:.1f} MB")
    for what, data in (("as flowgraph writes it", files["bpmn"]),
                       ("as Camunda Modeler exports it", _with_diagram(files["bpmn"]))):
        parse, walk, load = interleaved(
            lambda data=data: etree.fromstring(data),
            lambda data=data: [(e.tag, dict(e.attrib)) for e in etree.fromstring(data).iter()],
            lambda data=data: read_data("bpmn", data, "chart.bpmn"))
        path = workdir / "chart.bpmn"
        path.write_bytes(data)
        cold_parse, cold_load = (_cold(path, step) for step in ("parse", "load"))
        row(f"BPMN load ÷ bare lxml parse, {what} ({len(data) / 1e6:.1f} MB)",
            f"{cold_load / cold_parse:.1f}× in a fresh process, {load / parse:.1f}× warm",
            f"fresh: parse {cold_parse * 1000:.0f} ms, load {cold_load * 1000:.0f} ms; "
            f"warm: parse {parse * 1000:.0f} ms, parse and read every element's "
            f"attributes {walk * 1000:.0f} ms, load {load * 1000:.0f} ms")


#: One parse or one load of a file in a new interpreter, as a command does it (the
#: imports before the clock starts).
COLD = """
import sys, time
from lxml import etree
from flowgraph.gc_paused import gc_paused
from flowgraph.io import read_data
import flowgraph.io.bpmn
data = open(sys.argv[2], "rb").read()
began = time.perf_counter()
if sys.argv[1] == "parse":
    etree.fromstring(data)
else:
    with gc_paused():
        read_data("bpmn", data, sys.argv[2])
print(time.perf_counter() - began)
"""


def _cold(path: Path, step: str, repeat: int = 15) -> float:
    """Least seconds of ``step`` (``parse`` or ``load``) of a file in a fresh process."""
    return min(float(subprocess.run([sys.executable, "-c", COLD, step, str(path)],
                                    check=True, capture_output=True, text=True).stdout)
               for _ in range(repeat))


def _with_diagram(data: bytes) -> bytes:
    """A BPMN file as Camunda Modeler and bpmn.io export it: no flowgraph attributes,
    every node lists its incoming and outgoing flows, and the diagram interchange has a
    shape (bounds and a label) for every node, lane and pool and an edge with waypoints
    for every flow."""
    from lxml import etree
    model, di = "http://www.omg.org/spec/BPMN/20100524/MODEL", \
        "http://www.omg.org/spec/BPMN/20100524/DI"
    dc, ddi = "http://www.omg.org/spec/DD/20100524/DC", "http://www.omg.org/spec/DD/20100524/DI"
    root = etree.fromstring(data)
    for diagram in root.findall(f"{{{di}}}BPMNDiagram"):  # flowgraph's own, replaced
        root.remove(diagram)
    for element in root.iter():
        for key in [k for k in element.attrib if k.startswith("{https://flowgraph.dev/")]:
            del element.attrib[key]
    etree.cleanup_namespaces(root)
    nodes = {e.get("id"): e for e in root.iter(f"{{{model}}}*") if e.get("id")}
    for flow in list(root.iter(f"{{{model}}}sequenceFlow")):
        for end, tag in (("sourceRef", "outgoing"), ("targetRef", "incoming")):
            node = nodes[flow.get(end)]
            reference = etree.Element(f"{{{model}}}{tag}")
            reference.text = flow.get("id")
            node.insert(0, reference)
    plane = etree.SubElement(etree.SubElement(root, f"{{{di}}}BPMNDiagram", id="diagram"),
                             f"{{{di}}}BPMNPlane", id="plane", bpmnElement="collaboration")
    for number, element in enumerate(list(root.iter(f"{{{model}}}*"))):
        kind = etree.QName(element).localname
        if kind == "sequenceFlow" or kind == "messageFlow":
            edge = etree.SubElement(plane, f"{{{di}}}BPMNEdge", id=f"edge{number}",
                                    bpmnElement=element.get("id"))
            for x in range(3):
                etree.SubElement(edge, f"{{{ddi}}}waypoint", x=str(100 * x), y="240")
        elif kind.endswith(("Task", "Event", "Gateway")) or kind in ("task", "lane",
                                                                      "participant"):
            shape = etree.SubElement(plane, f"{{{di}}}BPMNShape", id=f"shape{number}",
                                     bpmnElement=element.get("id"))
            etree.SubElement(shape, f"{{{dc}}}Bounds", x="160", y="80", width="100",
                             height="80")
            label = etree.SubElement(shape, f"{{{di}}}BPMNLabel")
            etree.SubElement(label, f"{{{dc}}}Bounds", x="170", y="170", width="80",
                             height="14")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _workbook(chart) -> bytes:
    """The chart as a workbook of the tables format (pandas and openpyxl)."""
    import io

    import pandas as pd
    following: dict[str, list[str]] = {}
    for edge in chart.flows:
        following.setdefault(edge.source, []).append(edge.target)
    steps = pd.DataFrame([{
        "flowchart": chart.id, "step": s.id, "label": s.label, "kind": s.kind,
        "actor": s.actor, "next": ";".join(following.get(s.id, [])),
        "discretion": s.discretion, "money": s.stakes.money} for s in chart.steps.values()])
    actors = pd.DataFrame([{"actor": a.id, "name": a.name, "rank": a.rank,
                            "reports_to": a.reports_to} for a in chart.actors.values()])
    charts = pd.DataFrame([{"flowchart": chart.id, "title": chart.title, "unit": chart.unit}])
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        steps.to_excel(writer, sheet_name="steps", index=False)
        actors.to_excel(writer, sheet_name="actors", index=False)
        charts.to_excel(writer, sheet_name="flowcharts", index=False)
    return buffer.getvalue()


def rules(workdir: Path) -> None:
    """Each rule on the 100,000-step chart, in process."""
    from flowgraph.analysis import assess
    from flowgraph.gc_paused import gc_paused
    from flowgraph.grading.scoring import GradingPolicy, grade_chart
    from flowgraph.io import load
    from flowgraph.policy import Policy
    from flowgraph.rules import RULES, Context
    path = generated(workdir, "chart-100000.yaml", ["--steps", "100000", "--seed", "1"])
    began = time.perf_counter()
    chart = load(path)
    row("load 100,000 steps (YAML)", f"{time.perf_counter() - began:.2f} s", "")
    policy = Policy()
    with gc_paused():
        began = time.perf_counter()
        chart.succ  # noqa: B018 - build the graph once, as the first rule would
        row("build the graph", f"{time.perf_counter() - began:.2f} s", "")
        findings = []
        for rule in RULES:
            if rule.stage != "graph":
                continue
            began = time.perf_counter()
            found = list(rule.check(Context(chart, policy)))
            findings += found
            row(f"{rule.code} {rule.name}", f"{time.perf_counter() - began:.2f} s",
                f"{len(found)} findings; {_complexity(rule)}")
        began = time.perf_counter()
        grades = grade_chart(chart, findings, policy, GradingPolicy())
        row("grading", f"{time.perf_counter() - began:.2f} s", "")
        for rule in RULES:
            if rule.stage == "grades":
                began = time.perf_counter()
                found = list(rule.check(Context(chart, policy, grades)))
                row(f"{rule.code} {rule.name}", f"{time.perf_counter() - began:.2f} s",
                    f"{len(found)} findings; {_complexity(rule)}")
    chart.release()
    began = time.perf_counter()
    assess(chart)
    row("every rule and grading (assess)", f"{time.perf_counter() - began:.2f} s", "")


def _complexity(rule) -> str:
    """The rule's documented complexity (its docstring's *Complexity* section)."""
    text = rule.section("Complexity") if hasattr(rule, "section") else ""
    return " ".join(text.split())[:90]


def batch(workdir: Path) -> None:
    city = generated(workdir, "city", ["--charts", "1102", "--seed", "0"])
    out = workdir / "city.json"
    for jobs in ("1", str(os.cpu_count())):
        m = command(["audit", str(city), "--format", "json", "-o", str(out), "--jobs", jobs])
        row(f"audit 1,102 charts, --jobs {jobs}", f"{m['wall']:.2f} s",
            f"CPU {m['cpu']:.2f} s, peak {m['peak_mb']:.0f} MB")
    cache = workdir / "cache"
    command(["audit", str(city), "-o", str(workdir / "city.txt"), "--cache", str(cache)], 1)
    m = command(["audit", str(city), "-o", str(workdir / "city.txt"), "--cache", str(cache)])
    row("audit 1,102 charts again, --cache (unchanged)", f"{m['wall']:.2f} s",
        f"CPU {m['cpu']:.2f} s")
    m = command(["stats", str(city)])
    row("stats 1,102 charts", f"{m['wall']:.2f} s", f"CPU {m['cpu']:.2f} s")


#: ``flowgraph`` with workers started from the third file, as many as ``--jobs`` (the
#: crossover's "workers" column): what the default would do if they always paid.
WORKERS_AT_ONCE = [sys.executable, "-c", """
import flowgraph.workers as workers
workers.WORTH_WORKERS = 0
workers.SAMPLE = 0
workers.free_cores = lambda since: workers.available_cores()
from flowgraph.cli import main
main(prog_name="flowgraph")
"""]
CROSSOVER_SIZES = (16, 32, 64, 128, 255, 512, 1102)


def crossover(workdir: Path, repeat: int = 5) -> None:
    """When workers pay for themselves: the first n charts of the city, as YAML and as
    BPMN, audited by whole commands in turns, ``repeat`` times each: in one process
    (``-j 1``), with workers from the third file (``-j`` all cores), and with the
    defaults. "Work" is the time the audit of the files takes in one process, imports
    excluded: the quantity ``WORTH_WORKERS`` bounds. The load average is the machine's
    when the row was measured; workers only pay on idle cores."""
    from flowgraph.batch import audit_file, expand_inputs
    from flowgraph.config import Config
    city = generated(workdir, "city", ["--charts", "1102", "--seed", "0"])
    jobs = str(os.cpu_count())
    for fmt in ("yaml", "bpmn"):
        for size in CROSSOVER_SIZES:
            folder = _first_charts(city, workdir / "crossover" / f"{fmt}-{size}", size, fmt)
            paths = [path for path, _ in expand_inputs([str(folder)])]
            audit_file(paths[0], Config())  # the imports
            began = time.perf_counter()
            for path in paths:
                audit_file(path, Config())
            work = time.perf_counter() - began
            out = ["-o", str(workdir / "crossover.txt")]
            walls = {name: [] for name in ("one", "workers", "default")}
            for _ in range(repeat):
                walls["one"].append(command(["audit", str(folder), "-j", "1", *out], 1))
                walls["workers"].append(command(["audit", str(folder), "-j", jobs, *out], 1,
                                                WORKERS_AT_ONCE))
                walls["default"].append(command(["audit", str(folder), *out], 1))
            one, workers, default = (statistics.median(m["wall"] for m in walls[name])
                                     for name in walls)
            row(f"audit {size} {fmt} files ({_megabytes(paths)} MB, {work:.2f} s of work)",
                f"-j 1 {one:.2f} s · workers {workers:.2f} s · default {default:.2f} s",
                f"load average {os.getloadavg()[0]:.1f}")


def _first_charts(city: Path, folder: Path, count: int, fmt: str) -> Path:
    """The first ``count`` charts of the city in ``folder``, written as ``fmt``."""
    if not folder.exists():
        from flowgraph.io import load_all
        from flowgraph.io.writers import write
        folder.mkdir(parents=True)
        for number, path in enumerate(sorted(city.rglob("*.yaml"))[:count]):
            data = path.read_bytes() if fmt == "yaml" else write(load_all(str(path))[0],
                                                                 f".{fmt}")
            (folder / f"{number:04d}.{fmt}").write_bytes(data)
    return folder


def _megabytes(paths: list[str]) -> str:
    return f"{sum(os.path.getsize(path) for path in paths) / 1e6:.1f}"


def huge(workdir: Path) -> None:
    path = generated(workdir, "chart-100000.yaml", ["--steps", "100000", "--seed", "1"])
    m = command(["audit", str(path), "-o", str(workdir / "huge.txt")], 1)
    row("audit one 100,000-step chart (text)", f"{m['wall']:.2f} s",
        f"peak {m['peak_mb']:.0f} MB")
    m = command(["audit", str(path), "--format", "json", "-o", str(workdir / "huge.json")], 1)
    row("audit one 100,000-step chart (JSON)", f"{m['wall']:.2f} s",
        f"peak {m['peak_mb']:.0f} MB")


SHAPE_SIZES = (10_000, 100_000)


def shapes(workdir: Path) -> None:
    """Each adversarial shape (flowgraph/shapes.py) at 10,000 and 100,000 steps: every
    rule in process, CPU seconds, and its growth (the 100k time over the 10k time: about
    10 for a linear rule); then the whole ``audit --format json`` command at each size:
    wall and CPU time (the machine may be shared: CPU is what the command costs), peak
    memory, JSON size, and the load average when it ran."""
    from flowgraph.shapes import SHAPES
    for shape in SHAPES:
        paths = [generated(workdir, f"shape-{shape}-{size}.yaml",
                           ["--steps", str(size), "--shape", shape]) for size in SHAPE_SIZES]
        times = [_rule_times(path) for path in paths]
        for name in times[0]:
            small, large = times[0][name], times[1][name]
            if large >= 0.05:
                row(shape, name, f"{small:.3f} s", f"{large:.2f} s",
                    f"{large / small:.0f}×" if small else "-")
        for size, path in zip(SHAPE_SIZES, paths, strict=True):
            out = workdir / f"shape-{shape}-{size}.json"
            m = command(["audit", str(path), "--format", "json", "-o", str(out)], 1)
            row(shape, f"audit --format json, {size:,} steps", f"{m['wall']:.2f} s wall",
                f"{m['cpu']:.2f} s CPU", f"peak {m['peak_mb']:.0f} MB",
                f"JSON {out.stat().st_size / 1e6:.0f} MB",
                f"load average {os.getloadavg()[0]:.1f}")


def _rule_times(path: Path) -> dict[str, float]:
    """CPU seconds to load ``path``, then for each graph rule and the grading, in
    process (one thread: the wall time of an idle machine)."""
    from flowgraph.gc_paused import gc_paused
    from flowgraph.grading.scoring import GradingPolicy, grade_chart
    from flowgraph.io import load
    from flowgraph.policy import Policy
    from flowgraph.rules import RULES, Context
    times = {}
    began = time.process_time()
    chart = load(path)
    times["load"] = time.process_time() - began
    policy, findings = Policy(), []
    with gc_paused():
        began = time.process_time()
        chart.succ  # noqa: B018 - build the graph once, as the first rule would
        chart.components  # noqa: B018
        times["graph"] = time.process_time() - began
        for rule in RULES:
            if rule.stage == "graph":
                began = time.process_time()
                findings += rule.check(Context(chart, policy))
                times[rule.code] = time.process_time() - began
        began = time.process_time()
        grade_chart(chart, findings, policy, GradingPolicy())
        times["grading"] = time.process_time() - began
    return times


def risks(workdir: Path) -> None:
    """The risk library on the 100,000-step chart, in process: reading the package's
    catalogue, then describing every step with a fresh library (its memory of choices
    empty) and again (remembered), and once more with every label made distinct, so
    that nothing is remembered between steps (the worst case)."""
    from dataclasses import replace

    from flowgraph.grading.risks import RiskLibrary, default_library
    from flowgraph.io import load
    from flowgraph.model import Flowchart
    chart = load(generated(workdir, "chart-100000.yaml", ["--steps", "100000", "--seed", "1"]))
    began = time.perf_counter()
    package = default_library()
    row("read the risk library", f"{time.perf_counter() - began:.3f} s",
        f"{len(package)} entries")
    steps = list(chart.steps.values())

    def describe(library, flowchart, steps) -> None:
        for step in steps:
            library.describe(flowchart, step)

    fresh = RiskLibrary(package.entries, package.categories, package.measures)
    began = time.perf_counter()
    describe(fresh, chart, steps)
    row("describe 100,000 steps, fresh library", f"{time.perf_counter() - began:.2f} s",
        f"{len({s.label for s in steps}):,} distinct labels")
    row("describe 100,000 steps again", f"{timed(lambda: describe(fresh, chart, steps)):.2f} s",
        "choices remembered")
    distinct = [replace(step, label=f"{step.label}（{number}）")
                for number, step in enumerate(steps)]
    relabelled = Flowchart(chart.id, chart.title, distinct, category=chart.category)
    fresh = RiskLibrary(package.entries, package.categories, package.measures)
    began = time.perf_counter()
    describe(fresh, relabelled, distinct)
    row("describe 100,000 steps, every label distinct", f"{time.perf_counter() - began:.2f} s",
        "nothing remembered: every label scanned, every choice made")


def render(workdir: Path) -> None:
    city = generated(workdir, "city", ["--charts", "1102", "--seed", "0"])
    one = sorted(city.rglob("*.yaml"))[0]
    m = command(["render", str(one), "-o", str(workdir / "one.svg")])
    row(f"render one chart ({one.name})", f"{m['wall']:.2f} s", "")
    m = command(["report", str(city), "-o", str(workdir / "report")], 1)
    row("report of 1,102 charts (every diagram)", f"{m['wall']:.1f} s",
        f"CPU {m['cpu']:.1f} s, peak {m['peak_mb']:.0f} MB")


def stream(workdir: Path) -> None:
    tree = generated(workdir, "stream-100000", ["--charts", "100000", "--seed", "5"])
    m = command(["audit", str(tree), "-o", str(workdir / "stream.txt")], 1)
    row("audit 100,000 files (text to a file)", f"{m['wall']:.0f} s",
        f"CPU {m['cpu']:.0f} s, peak {m['peak_mb']:.0f} MB")


SECTIONS = {"formats": formats, "rules": rules, "batch": batch, "crossover": crossover,
            "huge": huge, "shapes": shapes, "render": render, "risks": risks,
            "stream": stream}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sections", nargs="*", metavar="SECTION",
                        help=f"any of {', '.join(SECTIONS)} (default: all but stream)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/flowgraph-bench"))
    options = parser.parse_args()
    unknown = [name for name in options.sections if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {unknown[0]!r}")
    sections = options.sections or [name for name in SECTIONS if name != "stream"]
    options.workdir.mkdir(parents=True, exist_ok=True)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}\n")
    row("benchmark", "time", "notes")
    row("---", "---", "---")
    for name in sections:
        SECTIONS[name](options.workdir)


if __name__ == "__main__":
    main()

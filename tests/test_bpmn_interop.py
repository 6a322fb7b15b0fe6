"""The BPMN files flowgraph writes open in bpmn-js, the library inside Camunda Modeler
and bpmn.io: headless Chromium, no network, loads tests/interop/viewer.html with the
file in it, and the page reports what bpmn-js made of it (see the page's comment).

bpmn-js refuses a file without diagram interchange ("no diagram to display") and draws
only what the interchange places, so each written file must import without error or
warning, draw every step and every sequence and message flow, keep each shape inside its
pool and lane, and overlap no two steps. A hand-written Camunda Modeler export checks the
harness itself.

Needs Chromium and bpmn-js (``npm ci --prefix tests/interop``; ``scripts/bootstrap
--browser`` does both). Skipped without them, unless ``FLOWGRAPH_REQUIRE_BROWSER=1``
(set by ``scripts/test``): then they are required.
"""
from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest
from lxml import etree

from flowgraph import generate
from flowgraph.analysis import assess
from flowgraph.io import load
from flowgraph.io.bpmn import DI, MODEL, write
from flowgraph.io.yaml_format import loads
from flowgraph.output.annotate import marks as audit_marks

from .headless import BROWSER, chromium

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
INTEROP = ROOT / "tests" / "interop"
VIEWER_SCRIPT = "node_modules/bpmn-js/dist/bpmn-viewer.production.min.js"
#: Where the page holds the BPMN text; the test puts it there as a JSON string.
XML_SLOT = '<script type="application/json" id="bpmn">null</script>'
#: What a written process holds besides its flow nodes.
NOT_NODES = ("laneSet", "sequenceFlow", "extensionElements")
SAMPLES = sorted((ROOT / "flowcharts").glob("*.yaml"))

MISSING = [what for what, present in (
    ("Chromium (apt-get install chromium)", BROWSER is not None),
    ("bpmn-js (npm ci --prefix tests/interop)", (INTEROP / VIEWER_SCRIPT).is_file()),
) if not present]
if MISSING:
    if os.environ.get("FLOWGRAPH_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"the bpmn-js test needs {' and '.join(MISSING)}")
    pytest.skip(f"no {' and no '.join(MISSING)}", allow_module_level=True)


def open_in_bpmn_js(xml: str, directory: Path) -> dict:
    """What bpmn-js made of the BPMN text: the page's JSON outcome. The page is written
    to ``directory`` (tests write nothing into the repository) and loads the viewer
    script by its absolute file URL."""
    page = (INTEROP / "viewer.html").read_text("utf-8")
    assert page.count(XML_SLOT) == 1 and page.count(f'src="{VIEWER_SCRIPT}"') == 1
    # "<" as \u003c: no "</script>" or "<!--" in the text can end the script element
    literal = json.dumps(xml).replace("<", "\\u003c")
    page = page.replace(XML_SLOT, XML_SLOT.replace("null", literal))
    page = page.replace(f'src="{VIEWER_SCRIPT}"', f'src="{(INTEROP / VIEWER_SCRIPT).as_uri()}"')
    path = directory / "viewer.html"
    path.write_text(page, "utf-8")
    run = chromium("--allow-file-access-from-files", "--virtual-time-budget=10000",
                   "--dump-dom", path.as_uri())
    found = re.search(r'<pre id="result">([^<]*)</pre>', run.stdout)
    assert found and found.group(1), f"the page reported nothing:\n{run.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


def written_parts(xml: str) -> tuple[set[str], set[str], set[str]]:
    """The ids of what a written file asks bpmn-js to draw: its flow nodes, its pools and
    lanes, and its sequence and message flows."""
    root = etree.fromstring(xml.encode("utf-8"))

    def ids(*names):
        return {element.get("id") for name in names
                for element in root.iter(f"{{{MODEL}}}{name}")}
    nodes = {node.get("id") for process in root.iterfind(f"{{{MODEL}}}process")
             for node in process if etree.QName(node).localname not in NOT_NODES}
    return nodes, ids("participant", "lane"), ids("sequenceFlow", "messageFlow")


def assert_opens_and_draws_everything(chart, directory: Path, annotate: bool = False) -> dict:
    """The chart, written, opens in bpmn-js as a modeller would show it: without error
    or warning, every step and flow drawn, nothing outside its pool or lane, no step
    on another; annotated (convert --annotate), its notes and their links too."""
    marks = None
    if annotate:
        assessment = assess(chart)
        marks = audit_marks(chart, assessment.findings, assessment.grades, "zh")
    xml = write(chart, marks)
    nodes, containers, flows = written_parts(xml)
    notes = {a.get("id") for a in etree.fromstring(xml.encode("utf-8")).iter(
        f"{{{MODEL}}}textAnnotation")}
    links = {a.get("id") for a in etree.fromstring(xml.encode("utf-8")).iter(
        f"{{{MODEL}}}association")}
    nodes -= notes | links
    assert len(nodes) == len(chart.steps)
    assert bool(notes) == annotate
    outcome = open_in_bpmn_js(xml, directory)
    assert outcome["error"] is None
    assert outcome["warnings"] == []
    # every step, pool, lane, note and flow drawn once, and nothing else
    assert outcome["shapes"] == len(nodes) + len(containers) + len(notes)
    assert outcome["connections"] == len(flows) + len(links)
    assert sorted(outcome["ids"]) == sorted(nodes | containers | flows | notes | links)
    assert outcome["outside"] == []
    assert outcome["overlaps"] == []
    return outcome


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_a_written_sample_opens_in_bpmn_js(sample, tmp_path):
    assert_opens_and_draws_everything(load(sample), tmp_path)


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_an_annotated_sample_opens_in_bpmn_js(sample, tmp_path):
    """convert --annotate: the grade colours and the notes import cleanly."""
    chart = load(sample)
    outcome = assert_opens_and_draws_everything(chart, tmp_path, annotate=True)
    assert outcome["types"]["bpmn:TextAnnotation"] >= 1
    assessment = assess(chart)
    marks = audit_marks(chart, assessment.findings, assessment.grades, "zh")
    drawn = {step: outcome["fills"][step] for step in marks}
    assert drawn == {step: rgb(mark.fill) for step, mark in marks.items()}
    # and an unmarked step keeps bpmn-js's own white
    assert {outcome["fills"][step] for step in chart.steps if step not in marks} <= {
        "rgb(255, 255, 255)"}


def rgb(colour: str) -> str:
    """``#rrggbb`` as a browser's computed style gives it."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_a_written_200_step_chart_opens_in_bpmn_js(tmp_path):
    chart = loads(generate.chart(200, seed=1), "generated.yaml")
    assert len(chart.steps) == 200
    assert_opens_and_draws_everything(chart, tmp_path)


def test_the_harness_reads_a_camunda_modeler_export(tmp_path):
    """The fixture's diagram draws its pool, its start event and the first flow, whose
    target it does not draw: bpmn-js opens it and warns about that flow."""
    path = ROOT / "tests" / "data" / "bpmn" / "camunda-penalty.bpmn"
    outcome = open_in_bpmn_js(path.read_text("utf-8"), tmp_path)
    assert outcome["error"] is None
    assert len(outcome["warnings"]) == 1
    assert "Flow_1" in outcome["warnings"][0] and "not yet drawn" in outcome["warnings"][0]
    assert outcome["types"] == {"bpmn:Participant": 1, "bpmn:StartEvent": 1}
    assert outcome["outside"] == [] and outcome["overlaps"] == []


def test_the_harness_sees_a_file_without_a_diagram_refused(tmp_path):
    """What bpmn-js says of a written file stripped of its diagram interchange."""
    root = etree.fromstring(write(load(SAMPLES[0])).encode("utf-8"))
    for diagram in root.findall(f"{{{DI}}}BPMNDiagram"):
        root.remove(diagram)
    outcome = open_in_bpmn_js(etree.tostring(root, encoding="unicode"), tmp_path)
    assert outcome["error"] == "no diagram to display"

"""The printed diagrams read back by poppler, apart from the library that wrote them
(issue 17): ``render -o x.pdf`` of every sample, with and without ``--lanes``, and of
a generated 57-step chart gives A4 pages whose every word is printed at 8 pt or more
(``pdftotext -bbox``: a word's box is its size times the font's ascent less its
descent), holds every step's name, prints no word over another, and says nothing on
stderr. Slow (a second a chart); skipped without poppler-utils, unless
``FLOWGRAPH_REQUIRE_BROWSER=1`` (scripts/test), which ``scripts/bootstrap --browser``
installs."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from flowgraph import generate
from flowgraph.cli import main
from flowgraph.io import load_all
from flowgraph.output.labels import wrap
from flowgraph.output.paper import MIN_TEXT

from .conftest import ROOT

pytestmark = pytest.mark.slow
pypdf = pytest.importorskip("pypdf")
pytest.importorskip("pygraphviz")
MISSING = [name for name in ("pdfinfo", "pdftotext") if not shutil.which(name)]
if MISSING:
    if os.environ.get("FLOWGRAPH_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"the print test needs {' and '.join(MISSING)} (poppler-utils)")
    pytest.skip(f"no {' and no '.join(MISSING)} (poppler-utils)", allow_module_level=True)

SAMPLES = sorted((ROOT / "flowcharts").glob("*.yaml"))
DATE = "2026-11-25"
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r'([^<]*)</word>')


def em_boxes(pdf: bytes) -> list[float]:
    """Each page's largest ascent less descent of its fonts, in ems: what poppler's
    word box height is of the font size (dividing by the largest errs small)."""
    result = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        ratios = []
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or \
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            ratios.append((float(descriptor["/Ascent"]) - float(descriptor["/Descent"])) / 1000)
        result.append(max(ratios))
    return result


def read_back(path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (left, top, right, bottom), by poppler."""
    text = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [[(float(a), float(b), float(c), float(d), word)
             for a, b, c, d, word in WORD.findall(page)] for page in text.split("<page ")[1:]]


def printed(tmp_path, source, *options) -> tuple[list, str]:
    """``render SOURCE -o x.pdf OPTIONS``: the words of each page, checked A4 and at
    8 pt or more, and all the text."""
    target = tmp_path / "x.pdf"
    result = CliRunner().invoke(main, ["render", str(source), "-o", str(target), "--date",
                                       DATE, "--lang", "zh", *options])
    assert result.exit_code == 0, result.output
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(target)],
                          capture_output=True, text=True, check=True).stdout
    sizes = re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts \(A4\)", info)
    pages = read_back(target)
    assert len(sizes) == len(pages) == int(re.search(r"Pages: +(\d+)", info).group(1))
    for words, em in zip(pages, em_boxes(target.read_bytes()), strict=True):
        smallest = min((bottom - top) / em for _, top, _, bottom, _ in words)
        assert smallest >= MIN_TEXT - 0.05
    return pages, "".join(word for words in pages for *_, word in words)


def assert_no_word_on_another(pages) -> None:
    """No two words of a page share more than a sliver (a word's box holds its
    ascent and descent: lines of a text touch)."""
    for number, words in enumerate(pages, 1):
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                across = min(a[2], b[2]) - max(a[0], b[0])
                down = min(a[3], b[3]) - max(a[1], b[1])
                assert across <= 1 or down <= 3, (number, a[4], b[4])


def assert_names_printed(flowchart, text: str) -> None:
    for step in flowchart.steps.values():
        for line in wrap(step.label):
            assert line.rstrip("…").replace(" ", "") in text, (step.id, line)


@pytest.mark.parametrize("lanes", [False, True], ids=["flow", "lanes"])
@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_prints_readably(path, lanes, tmp_path, capfd):
    pages, text = printed(tmp_path, path, *(["--lanes"] if lanes else []))
    assert_no_word_on_another(pages)
    flowchart, = load_all(path)
    assert_names_printed(flowchart, text)
    # nothing from Fontconfig or Graphviz ("size too small for label") on stderr
    assert capfd.readouterr().err == ""


def test_a_generated_57_step_chart_prints_readably(tmp_path, capfd):
    source = tmp_path / "chart.yaml"
    source.write_text(generate.chart(57, seed=3), "utf-8")
    flowchart, = load_all(source)
    assert len(flowchart.steps) == 57
    pages, text = printed(tmp_path, source)
    assert 2 <= len(pages) <= 10  # cut, not shrunk
    assert_no_word_on_another(pages)
    assert_names_printed(flowchart, text)
    assert "转第2页" in text and "接第1页" in text  # continuation marks (words joined)
    assert capfd.readouterr().err == ""

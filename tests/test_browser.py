"""The report in a real browser: headless Chromium, no network, no scripts run.

Skipped when no Chromium is installed, unless ``FLOWGRAPH_REQUIRE_BROWSER=1`` (set by
``scripts/test``, which installs Debian's chromium): then a missing browser fails.
"""
from __future__ import annotations

import os
import re
import shutil

import pytest
from click.testing import CliRunner

from flowgraph.cli import main

from .headless import BROWSER, chromium

pytestmark = pytest.mark.slow

pytest.importorskip("pygraphviz")
Image = pytest.importorskip("PIL.Image")

if BROWSER is None:
    if os.environ.get("FLOWGRAPH_REQUIRE_BROWSER") == "1":
        raise RuntimeError("the browser test needs Chromium: apt-get install chromium")
    pytest.skip("no Chromium installed", allow_module_level=True)

# Labels written to run code if a page ever treated them as markup.
HOSTILE = """\
flowgraph: 1
title: "<script>document.title='pwned'</script>审批"
unit: 市市场监督管理局
actors:
  chief: {name: "<img src=x onerror=\\"document.body.setAttribute('data-pwned','1')\\">", rank: section}
steps:
  apply:  {kind: start, label: 申请}
  decide: {kind: decision, label: "<b onmouseover=alert(1)>审批</b>", actor: chief,
           discretion: high}
  done:   {kind: end, label: 办结}
flow:
  - [apply, decide]
  - [decide, done]
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    (base / "in").mkdir()
    (base / "in" / "hostile.yaml").write_text(HOSTILE, "utf-8")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shutil.copy(os.path.join(root, "flowcharts", "fund-disbursement.yaml"), base / "in")
    result = CliRunner().invoke(main, ["report", str(base / "in"), "-o", str(base / "out"),
                                       "--date", "2026-11-25", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    return base / "out"


def test_the_index_renders_with_its_text(report, tmp_path):
    shot = tmp_path / "index.png"
    chromium("--window-size=1280,2000", f"--screenshot={shot}",
             (report / "index.html").as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2000)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # not a blank page
    # the colours of grades 1, 2 and 3 are all on the page
    present = {colour for _, colour in colours}
    assert {(255, 77, 79), (255, 169, 64), (255, 229, 143)} <= present
    dom = chromium("--dump-dom", (report / "index.html").as_uri()).stdout
    assert "权力运行流程图廉政风险审查报告" in dom and "财政专项资金国库集中支付审核拨付" in dom
    # the main problems come first, the file list last
    body = dom.split("<body>")[1]
    assert body.index('id="problems"') < body.index('id="figures"') < body.index('id="units"') \
        < body.index('id="files"')
    assert "没有独立的监督，结果也不公示" in body.split('id="figures"')[0]


def _page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """Each page's size in points, rounded (Chromium writes 841.92 x 594.96 for A4)."""
    return [tuple(round(float(n)) for n in box.split()[2:])
            for box in re.findall(rb"/MediaBox \[([^\]]*)\]", pdf)]


def test_a_chart_page_prints_on_a4_in_the_diagrams_orientation(report, tmp_path):
    page = next(p for p in (report / "charts").iterdir() if "fund" in p.name)
    pdf = tmp_path / "chart.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    sizes = _page_sizes(data)
    assert sizes and set(sizes) <= {(595, 842), (842, 595)}
    # the fund disbursement is taller than wide: its diagram's page is portrait
    assert sizes[0] == (595, 842)


def test_the_index_prints_on_a4(report, tmp_path):
    pdf = tmp_path / "index.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}",
             (report / "index.html").as_uri())
    sizes = _page_sizes(pdf.read_bytes())
    assert sizes and set(sizes) == {(595, 842)}


def test_hostile_labels_show_as_text_and_nothing_runs(report):
    page = next(p for p in (report / "charts").iterdir() if "hostile" in p.name)
    dom = chromium("--dump-dom", page.as_uri()).stdout
    assert "<title>&lt;script&gt;document.title='pwned'&lt;/script&gt;审批</title>" in dom
    assert "&lt;b onmouseover=alert(1)&gt;审批&lt;/b&gt;" in dom
    assert "data-pwned" not in dom.split("<body")[1].split(">")[0]
    assert "<script" not in dom.lower()
    assert "<img" not in dom.lower()


def test_the_diff_page_shows_both_diagrams_and_runs_nothing(tmp_path):
    """flowgraph diff --html: hostile labels on both sides are text, the step added
    is outlined green in the after diagram."""
    (tmp_path / "old.yaml").write_text(HOSTILE, "utf-8")
    (tmp_path / "new.yaml").write_text(HOSTILE.replace(
        "  done:   {kind: end, label: 办结}",
        "  check:  {kind: review, label: \"<i onclick=x()>复核</i>\", actor: chief}\n"
        "  done:   {kind: end, label: 办结}").replace(
        "  - [decide, done]", "  - [decide, check]\n  - [check, done]"), "utf-8")
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "old.yaml"),
                                       str(tmp_path / "new.yaml"), "--html",
                                       str(tmp_path / "page"), "--date", "2026-11-25",
                                       "--lang", "zh"])
    assert result.exit_code in (0, 1), result.output
    page = (tmp_path / "page" / "index.html").as_uri()
    dom = chromium("--dump-dom", page).stdout
    assert dom.count("<svg") == 2
    assert "&lt;i onclick=x()&gt;复核&lt;/i&gt;" in dom
    assert "data-pwned" not in dom.split("<body")[1].split(">")[0]
    added = re.search(r'<g id="step-check" class="node">.*?</g>', dom, re.S).group(0)
    assert 'stroke="#389e0d"' in added and 'stroke-width="4"' in added

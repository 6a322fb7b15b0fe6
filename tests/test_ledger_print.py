"""The ledger on paper: the workbook opened and printed by LibreOffice itself.

LibreOffice converts the samples' ledger to PDF as it would print it; poppler's
``pdfinfo`` and ``pdftotext`` read the pages back: every page is A4 landscape, every
page of the ledger shows its title and its heading row, and the text prints at 7.5
points or more (8 on the development machine). Skipped when LibreOffice or poppler is not installed, unless
``FLOWGRAPH_REQUIRE_BROWSER=1`` (set by ``scripts/test``, which installs them): then a
missing one fails.
"""
from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from flowgraph.cli import main

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
MISSING = [name for name, found in (("LibreOffice (soffice)", OFFICE),
                                    ("pdfinfo", shutil.which("pdfinfo")),
                                    ("pdftotext", shutil.which("pdftotext"))) if not found]
if MISSING:
    if os.environ.get("FLOWGRAPH_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"the print test needs {', '.join(MISSING)}: apt-get install "
                           f"libreoffice-calc-nogui poppler-utils fonts-crosextra-carlito")
    pytest.skip(f"{', '.join(MISSING)} not installed (apt-get install libreoffice-calc-nogui "
                f"poppler-utils)", allow_module_level=True)

#: A4 landscape, in points, as poppler reports page sizes.
A4_LANDSCAPE = (841.89, 595.28)
#: Headings that fit their column on one line, from the first column to the last.
HEADINGS = ("序号", "单位", "环节", "风险点表现形式", "建议防控措施", "依据", "问题")


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, list[str], int]:
    """The samples' ledger as LibreOffice prints it: the PDF, each page's text, and
    the number of risk points in the ledger sheet."""
    folder = tmp_path_factory.mktemp("print")
    workbook = folder / "ledger.xlsx"
    result = CliRunner().invoke(main, ["ledger", str(ROOT / "flowcharts"), "-o",
                                       str(workbook), "--lang", "zh", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    subprocess.run([OFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    str(workbook)], check=True, capture_output=True, timeout=300,
                   env={**os.environ, "HOME": str(folder)})
    pdf = folder / "ledger.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, encoding="utf-8").stdout
    points = load_workbook(workbook, read_only=True)["风险点台账"].max_row - 1
    return pdf, text.split("\f")[:-1], points


def test_every_page_is_a4_landscape(printed):
    pdf, pages, _ = printed
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(len(pages)), str(pdf)],
                          check=True, capture_output=True, encoding="utf-8").stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) == len(pages) > 1
    for width, height in sizes:
        assert (float(width), float(height)) == pytest.approx(A4_LANDSCAPE, abs=1)


def test_every_page_of_the_ledger_shows_its_title_and_heading_row(printed):
    _, pages, points = printed
    ledger = [page for page in pages if "廉政风险点台账" in page]
    # the samples' hundred-odd risk points take many pages; each repeats the heading
    # row, whole (all the columns fit the page's width: the last heading is on every
    # page too)
    assert points > 100 and len(ledger) >= 10
    for number, page in enumerate(ledger, start=1):
        flat = re.sub(r"\s+", "", page)
        for heading in HEADINGS:
            assert heading in flat, f"page {number} lacks the heading {heading}"
        assert re.search(r"第\s*\d+\s*页，共\s*\d+\s*页", page), f"page {number} has no number"
    # every risk point is printed: the last row number is on the last ledger page
    assert re.search(rf"^\s*{points}\s", ledger[-1], re.M)


def test_the_text_prints_at_a_legible_size(printed):
    """Chinese characters are as wide as their font is high: the median width of a
    character of the ledger's text, in points, is its printed size (the ledger's
    columns are sized for 8 points)."""
    pdf, _, _ = printed
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", "2", "-l", "2", str(pdf), "-"],
                           check=True, capture_output=True, encoding="utf-8").stdout
    sizes = [(float(x1) - float(x0)) / len(word) for x0, x1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">'
        r"([\u4e00-\u9fff]{4,})</word>", boxes)]
    assert len(sizes) > 20
    assert statistics.median(sizes) >= 7.9

"""Text from a flowchart in every file flowgraph writes: cells are text, control
characters are shown, long texts fit (flowgraph/files.py, docs/security.md).

A label written to run (``=cmd|' /C calc'!A0``, ``=HYPERLINK(…)``) reaches the ledger as
text, never as a formula (OWASP's CSV injection); ``\\v``, ``\\x01`` and NUL, which XML
1.0 and workbooks cannot hold, are written as visible escapes by every writer instead
of stopping it with a traceback; a 6,000-character label and a 20,000-character title
do not break a report, a diagram or a DOT file. Each case beside the normal one.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgraph.cli import main
from flowgraph.files import FORMULA_TRIGGERS, MAX_CELL, cell_text, printable

from .conftest import ENGLISH

#: Texts that a spreadsheet would evaluate, as units could write them (a leading tab or
#: carriage return does not survive a reader, which strips surrounding white space:
#: :func:`test_cell_text_neutralises_what_owasp_lists` covers them).
FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid/?leak="&A1,"详情")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "＝1+1",
    "＠SUM(1)",
]


def yaml_text(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (an escape for every character that is
    not ASCII, control characters included)."""
    return json.dumps(text)


def hostile_chart(texts: list[str], extra: str = "") -> str:
    """A chart whose unit, category, title, posts, labels, controls, waiver and edge
    label are ``texts`` in turn (repeated as needed)."""
    t = [yaml_text(texts[n % len(texts)] + extra) for n in range(10)]
    return f"""\
flowgraph: 1
title: {t[0]}
unit: {t[1]}
category: {t[2]}
actors:
  clerk: {{name: {t[3]}, rank: staff, reports_to: chief}}
  chief: {{name: {t[4]}, rank: section}}
steps:
  s: {{kind: start, label: {t[5]}}}
  d: {{kind: decision, label: {t[6]}, actor: clerk, discretion: high, controls: [{t[7]}],
      stakes: {{money: 2000000}}, declared_grade: 3}}
  r: {{kind: review, label: {t[8]}, actor: chief, waive: {{FG301: {t[9]}}}}}
  e: {{kind: end, label: 结案}}
flow: [[s, d, {t[9]}], [d, r], [r, e]]
"""


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], env=ENGLISH)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result


@pytest.fixture
def formulas(tmp_path) -> Path:
    """A chart with a formula in each text the ledger shows: unit, title, category, a
    post, a control, and each decision's label (every decision a risk point)."""
    steps = "".join(f"  d{n}: {{kind: decision, label: {yaml_text(formula)}, actor: clerk, "
                    f"discretion: high, controls: [{yaml_text(FORMULAS[0])}]}}\n"
                    for n, formula in enumerate(FORMULAS))
    flow = ", ".join(f"[{a}, {b}]" for a, b in zip(
        ["s", *(f"d{n}" for n in range(len(FORMULAS)))],
        [*(f"d{n}" for n in range(len(FORMULAS))), "e"], strict=True))
    path = tmp_path / "formulas.yaml"
    path.write_text(f"""flowgraph: 1
title: {yaml_text(FORMULAS[1])}
unit: {yaml_text(FORMULAS[2])}
category: {yaml_text(FORMULAS[3])}
actors:
  clerk: {{name: {yaml_text(FORMULAS[4])}, rank: staff}}
steps:
  s: {{kind: start}}
{steps}  e: {{kind: end}}
flow: [{flow}]
""", "utf-8")
    return path


def workbook_cells(path: Path) -> list:
    """Every cell of every sheet, as openpyxl reads them."""
    from openpyxl import load_workbook
    book = load_workbook(path)
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def assert_text_cells(texts: list[str]) -> None:
    """No cell would run; each formula is there as text, behind one quote."""
    assert not [cell for cell in texts if cell.startswith(FORMULA_TRIGGERS)]
    for formula in FORMULAS:
        shown = "'" + printable(formula)
        assert any(cell == shown or cell.startswith(shown) for cell in texts), formula


# -- cells are text ---------------------------------------------------------------------

def test_the_ledger_workbook_holds_no_formula(formulas, tmp_path):
    """OWASP: a cell starting with = + - @ tab or CR is written behind a single quote;
    openpyxl reads back no formula cell and every text whole."""
    out = tmp_path / "ledger.xlsx"
    assert run("ledger", formulas, "-o", out).exit_code == 0
    cells = workbook_cells(out)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert_text_cells([cell.value for cell in cells if isinstance(cell.value, str)])
    counts = [cell.value for cell in cells if cell.column_letter == "F" and cell.row > 1
              and cell.parent.title == "Posts"]
    assert counts and all(isinstance(value, int) for value in counts)  # numbers stay numbers


def test_the_ledger_csv_holds_no_formula(formulas, tmp_path):
    out = tmp_path / "ledger.csv"
    assert run("ledger", formulas, "-o", out).exit_code == 0
    assert_text_cells(csv_cells(out.read_bytes()))


def test_the_reports_ledgers_hold_no_formula(formulas, tmp_path):
    pytest.importorskip("pygraphviz")
    out = tmp_path / "report"
    assert run("report", formulas, "-o", out, "--jobs", "1").exit_code == 0
    cells = workbook_cells(out / "ledger.xlsx")
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert_text_cells([cell.value for cell in cells if isinstance(cell.value, str)])
    assert_text_cells(csv_cells((out / "ledger.csv").read_bytes()))


def test_a_file_name_that_starts_like_a_formula_is_text(tmp_path, monkeypatch):
    """The ledger names each risk point's file, as it was given (when the
    configuration asks for the file column)."""
    (tmp_path / "=1+1.yaml").write_text(hostile_chart(["审批"]), "utf-8")
    (tmp_path / "flowgraph.toml").write_text('ledger_columns = ["序号", "文件", "环节"]\n',
                                             "utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("ledger", "=1+1.yaml", "-o", "ledger.csv").exit_code == 0
    cells = csv_cells((tmp_path / "ledger.csv").read_bytes())
    assert "'=1+1.yaml" in cells and "=1+1.yaml" not in cells


def test_ordinary_texts_are_written_as_they_are(tmp_path):
    """The normal case: no quote before a text that would not run."""
    ordinary = ["市场监管局", "a=b", "1+1", "科长 (主持工作)", "'引用'", "审批", "审批"]
    path = tmp_path / "plain.yaml"
    path.write_text(hostile_chart(ordinary), "utf-8")
    out = tmp_path / "ledger.xlsx"
    assert run("ledger", path, "-o", out).exit_code == 0
    texts = {cell.value for cell in workbook_cells(out) if isinstance(cell.value, str)}
    assert {"a=b", "1+1", "科长 (主持工作)", "审批"} <= texts
    assert cell_text("审批") == "审批" and cell_text("") == ""


def test_cell_text_neutralises_what_owasp_lists():
    for text in ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "＝1", "＋1", "－1", "＠A1"]:
        assert cell_text(text) == "'" + printable(text)
    assert cell_text("\x00=1") == "\\x00=1"  # NUL: an escape, which cannot run


def test_cells_are_bounded_as_a_spreadsheet_bounds_them():
    long = "长" * (MAX_CELL + 10)
    assert len(cell_text(long)) == MAX_CELL and cell_text(long).endswith("…")
    assert len(cell_text("=" + long)) == MAX_CELL and cell_text("=" + long).startswith("'=")


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")),
                    reason="LibreOffice is not installed")
def test_libreoffice_evaluates_nothing(formulas, tmp_path):
    """The workbook converted to CSV by LibreOffice itself: each formula is still its
    text, never its value (2 for =1+1) nor an error."""
    workbook = tmp_path / "ledger.xlsx"
    assert run("ledger", formulas, "-o", workbook).exit_code == 0
    office = shutil.which("libreoffice") or shutil.which("soffice")
    # UTF-8 (character set 76): LibreOffice's default is the system's, which may not
    # hold Chinese
    subprocess.run([office, "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path),
                    str(workbook)], check=True, capture_output=True, timeout=120,
                   env={**os.environ, "HOME": str(tmp_path)})
    data = (tmp_path / "ledger.csv").read_bytes()
    cells = csv_cells(data)
    for formula in FORMULAS:
        assert any(printable(formula).strip() in cell for cell in cells), formula
    # the first column numbers the rows (序号); nowhere else may a 2 appear (+1+1, SUM(1+1))
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    assert "2" not in [cell for row in rows for cell in row[1:]]
    assert not [c for c in cells if c.startswith(("#NAME", "Err:"))]


# -- control characters in every writer --------------------------------------------------

#: Control characters a unit's tool may leave in a text: SOH, vertical tab, NUL, an
#: escape sequence that clears a terminal, DEL, NEL, a non-character.
CONTROLS = ["审批\x01", "科\x0b长", "受理\x00", "\x1b[2J清屏", "结\x7f束", "下\x85一步",
            "公示\ufffe"]


@pytest.fixture
def controls(tmp_path) -> Path:
    path = tmp_path / "controls.yaml"
    path.write_text(hostile_chart(CONTROLS), "utf-8")
    return path


def _hidden(text: str) -> list[str]:
    """The characters of ``text`` that no file may carry raw."""
    return re.findall(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", text)


@pytest.mark.parametrize("suffix", [".yaml", ".bpmn", ".drawio", ".dot"])
def test_convert_shows_control_characters_and_reads_back(controls, tmp_path, suffix):
    """XML 1.0 cannot carry them (lxml refused with a traceback): every format writes
    them as escapes, and the file reads back with those escapes as its text."""
    out = tmp_path / f"out{suffix}"
    assert run("convert", controls, "-o", out).exit_code == 0
    assert not _hidden(out.read_text("utf-8"))
    back = tmp_path / "back.yaml"
    assert run("convert", out, "-o", back).exit_code == 0
    text = back.read_text("utf-8")
    for original in CONTROLS:
        assert printable(original) in text.replace("\\\\", "\\"), original


def test_convert_of_an_ordinary_chart_is_unchanged_by_the_escapes(tmp_path):
    """The normal case: a chart with no control character converts as before, and
    tabs and line breaks are kept."""
    from flowgraph.io import load
    from flowgraph.io.writers import shown
    source = tmp_path / "plain.yaml"
    source.write_text(hostile_chart(["两行\n标签", "a\tb", "审批"]), "utf-8")
    chart = load(source)
    assert shown(chart) is chart
    for suffix in (".bpmn", ".drawio", ".dot"):
        out = tmp_path / f"plain{suffix}"
        assert run("convert", source, "-o", out).exit_code == 0
        assert load(out).steps["d"].label == "两行\n标签"


def test_ids_that_escapes_would_merge_are_refused(tmp_path):
    source = tmp_path / "ids.yaml"
    source.write_text('flowgraph: 1\ntitle: x\nsteps:\n  "a\\x01": {kind: start}\n'
                      '  "a\\\\x01": {kind: end}\nflow: [["a\\x01", "a\\\\x01"]]\n', "utf-8")
    result = run("convert", source, "-o", tmp_path / "out.bpmn")
    assert result.exit_code == 2
    assert "two step ids differ only by control characters" in result.output
    assert not (tmp_path / "out.bpmn").exists()


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_ledger_shows_control_characters(controls, tmp_path, suffix):
    """openpyxl refused them (IllegalCharacterError): they are escapes in the cells."""
    out = tmp_path / f"ledger{suffix}"
    assert run("ledger", controls, "-o", out).exit_code == 0
    cells = [c.value for c in workbook_cells(out) if isinstance(c.value, str)] \
        if suffix == ".xlsx" else csv_cells(out.read_bytes())
    assert not [cell for cell in cells if _hidden(cell)]
    assert "审批\\x01" in cells and any("\\x1b[2J清屏" in cell for cell in cells)


def test_the_report_and_the_diagram_show_control_characters(controls, tmp_path):
    pytest.importorskip("pygraphviz")
    out = tmp_path / "report"
    assert run("report", controls, "-o", out, "--jobs", "1").exit_code == 0
    for page in [out / "index.html", *(out / "charts").iterdir()]:
        text = page.read_text("utf-8")
        assert not _hidden(text), page
    page = next((out / "charts").iterdir()).read_text("utf-8")
    assert "审批\\x01" in page
    findings = json.loads((out / "findings.json").read_text("utf-8"))
    assert findings["findings"]  # JSON keeps the characters themselves, escaped by JSON
    svg = tmp_path / "chart.svg"
    assert run("render", controls, "-o", svg).exit_code == 0
    assert not _hidden(svg.read_text("utf-8")) and "审批\\x01" in svg.read_text("utf-8")


def test_the_terminal_shows_control_characters(controls, tmp_path):
    """A label cannot clear the screen or move the cursor: the text report, on the
    terminal or in a file, shows escapes; the JSON keeps the exact text."""
    result = run("audit", controls)
    assert result.exit_code in (0, 1) and not _hidden(result.output)
    assert "\\x1b[2J清屏" in result.output
    out = tmp_path / "audit.json"
    assert run("audit", controls, "--format", "json", "-o", out).exit_code in (0, 1)
    messages = [f["message"] for f in json.loads(out.read_text("utf-8"))["findings"]]
    assert any(text in message for text in CONTROLS for message in messages)


def test_a_file_name_that_is_not_utf8_reaches_every_output(tmp_path):
    """Bytes of a file name that are not UTF-8 are shown as ``\\xff`` in the ledger and
    the report, and kept (as JSON escapes) in JSON."""
    pytest.importorskip("pygraphviz")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"\xff\xfe.yaml")).write_text(hostile_chart(["审批"]), "utf-8")
    (folder / "flowgraph.toml").write_text('ledger_columns = ["number", "file"]\n', "utf-8")
    assert run("ledger", folder, "-o", tmp_path / "l.csv").exit_code == 0
    assert any(cell.endswith("\\xff\\xfe.yaml") for cell in
               csv_cells((tmp_path / "l.csv").read_bytes()))
    assert run("report", folder, "-o", tmp_path / "rep", "--jobs", "1").exit_code == 0
    assert "\\xff\\xfe.yaml" in (tmp_path / "rep" / "index.html").read_text("utf-8")
    out = tmp_path / "a.json"
    assert run("audit", folder, "--format", "json", "-o", out).exit_code in (0, 1)
    assert json.loads(out.read_text("utf-8"))["files"][0]["path"] == \
        str(folder / os.fsdecode(b"\xff\xfe.yaml"))


# -- long texts -----------------------------------------------------------------------------

@pytest.fixture
def long_texts(tmp_path) -> Path:
    """A 6,000-character label, a 20,000-character title, a 6,000-character post."""
    path = tmp_path / "long.yaml"
    path.write_text(hostile_chart(["题" * 20000, "单位", "类别", "岗" * 6000, "科长", "开始",
                                   "审" * 6000, "措施", "复" * 6000, "理由"]), "utf-8")
    return path


def test_a_long_label_does_not_break_the_report(long_texts, tmp_path):
    """Graphviz's parser refuses a string over 16 KiB: the diagram's tooltips and title
    are bounded, the pages and the ledger keep the whole text."""
    pytest.importorskip("pygraphviz")
    out = tmp_path / "report"
    assert run("report", long_texts, "-o", out, "--jobs", "1").exit_code == 0
    page = next((out / "charts").iterdir()).read_text("utf-8")
    assert "审" * 6000 in page and "题" * 20000 in page
    svg = tmp_path / "long.svg"
    assert run("render", long_texts, "-o", svg).exit_code == 0
    assert "审" * 100 in svg.read_text("utf-8")


def test_a_long_label_survives_dot(long_texts, tmp_path):
    """The DOT writer splits a long string into pieces joined by ``+``, which Graphviz
    reads as one: the label comes back whole."""
    from flowgraph.io import load
    out = tmp_path / "long.dot"
    assert run("convert", long_texts, "-o", out).exit_code == 0
    back = load(out)
    assert back.steps["d"].label == "审" * 6000 and back.title == "题" * 20000


def test_a_long_label_fills_one_ledger_cell(long_texts, tmp_path):
    out = tmp_path / "ledger.xlsx"
    assert run("ledger", long_texts, "-o", out).exit_code == 0
    assert "审" * 6000 in {c.value for c in workbook_cells(out)}


# -- the ledger is linear in its rows -------------------------------------------------------

def test_the_ledger_never_asks_the_sheet_for_its_size_per_row(tmp_path, monkeypatch):
    """openpyxl computes ``max_row`` and ``max_column`` by scanning every cell; asking
    after each row made the ledger quadratic (a 3,000-chart batch took 103 s). The
    number of such questions does not grow with the rows."""
    from openpyxl.worksheet.worksheet import Worksheet

    from flowgraph.batch import audit_paths
    from flowgraph.config import Config
    from flowgraph.output.ledger_files import write_xlsx
    from flowgraph.results import Review

    asked = []
    for name in ("max_row", "max_column"):
        original = getattr(Worksheet, name)
        monkeypatch.setattr(Worksheet, name, property(
            lambda sheet, original=original: asked.append(1) or original.fget(sheet)))
    counts = []
    for charts in (10, 40):
        folder = tmp_path / str(charts)
        assert run("generate", folder, "--charts", charts).exit_code == 0
        review = Review.of(list(audit_paths([str(folder)], Config(), 1)), Config())
        asked.clear()
        write_xlsx(review, "en")
        counts.append(len(asked))
    assert counts[0] == counts[1]

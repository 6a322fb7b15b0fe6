"""The committee pack: problems ranked as a leader reads them, and the batch as one PDF
and one Word document, the same bytes for the same input and date."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgraph.batch import audit_paths
from flowgraph.cli import main
from flowgraph.config import Config
from flowgraph.output.problems import problems, quality
from flowgraph.results import Review
from flowgraph.rules import PROBLEM_PLACEHOLDERS, RULES, is_drawing_fault

from .conftest import ROOT

pytest.importorskip("pygraphviz")

# A ¥5,000,000 approval nobody oversees (a warning) beside a chart whose step names no
# post (an error): the approval comes first, the drawing fault apart.
APPROVAL = """\
flowgraph: 1
title: 专项资金拨付
unit: 市财政局
category: 资金拨付
actors:
  clerk:  {name: 国库科经办人, rank: staff, reports_to: chief}
  chief:  {name: 国库科科长, rank: section, reports_to: deputy}
  deputy: {name: 分管副局长, rank: deputy, reports_to: head}
  head:   {name: 局长, rank: principal}
steps:
  apply:   {kind: start, label: 提出拨款申请}
  check:   {kind: review, label: 审核拨款材料, actor: chief, discretion: low}
  approve: {kind: decision, label: 审批拨付, actor: deputy, discretion: medium,
            stakes: {money: 5000000}}
  pay:     {kind: task, label: 支付资金, actor: clerk}
  done:    {kind: end, label: 拨付办结}
flow:
  - [apply, check]
  - [check, approve]
  - [approve, pay]
  - [pay, done]
"""
UNNAMED = """\
flowgraph: 1
title: 档案查询
unit: 市档案馆
steps:
  s:    {kind: start, label: 申请查询}
  look: {kind: task, label: 查询档案}
  e:    {kind: end, label: 办结}
flow:
  - [s, look]
  - [look, e]
"""
SAMPLES = ROOT / "flowcharts"
#: Four samples in three units: a tall chart, a landscape one, grades 1 to 3.
CHOSEN = ("fund-disbursement.yaml", "official-reception.yaml",
          "license-food-business.yaml", "penalty-price-violation.yaml")


def _review(folder: Path) -> Review:
    files = [(str(path), None) for path in sorted(folder.glob("*.yaml"))]
    return Review.of(audit_paths(files, Config(), 1), Config())


def test_a_drawing_fault_never_ranks_above_an_unwatched_approval(tmp_path):
    (tmp_path / "a-archive.yaml").write_text(UNNAMED, "utf-8")
    (tmp_path / "b-funds.yaml").write_text(APPROVAL, "utf-8")
    review = _review(tmp_path)
    found = problems(review)
    assert [p.chart.flowchart.title for p in found] == ["专项资金拨付"] * len(found)
    first = found[0]
    assert first.step == "approve" and "FG401" in first.codes()
    sentence = first.sentence("zh")
    assert sentence.startswith("市财政局“专项资金拨付”：“审批拨付”由分管副局长办理（")
    assert "涉及500万元" in sentence and "没有独立的监督，结果也不公示" in sentence
    assert "可能出现：" in sentence  # the risk library's words
    assert [q.sentence("zh") for q in quality(review)] == [
        "市档案馆“档案查询”：1 个环节没有写明由哪个岗位办理。"]


@pytest.mark.parametrize("lang, joint", [("zh", "；"), ("en", "; ")])
def test_a_risk_point_gives_its_reasons_as_running_text_of_its_language(tmp_path, lang,
                                                                      joint):
    from flowgraph.output.pack import Pack
    from flowgraph.output.sections import risk_point_table
    (tmp_path / "approval.yaml").write_text(APPROVAL, "utf-8")
    pack = Pack.of(_review(tmp_path), lang)
    entry = pack.charts[0]
    point = next(p for p in pack.risk_points(entry) if p.step == "approve")
    assert len(point.reasons) >= 2
    text = point.reasons_text(lang)
    assert text == joint.join(reason(lang) for reason in point.reasons)
    assert text in risk_point_table(pack, entry, lang, False).replace("&#x27;", "'")
    if lang == "zh":
        assert "; " not in text


def test_problems_are_ranked_by_grade_then_stakes():
    found = problems(_review(SAMPLES))
    keys = [(p.grade or 4, -(p.flowchart.steps[p.step].stakes.money or 0)) for p in found]
    assert [grade for grade, _ in keys] == sorted(grade for grade, _ in keys)
    for grade in (1, 2, 3):
        money = [m for g, m in keys if g == grade]
        assert money == sorted(money), grade
    assert found[0].grade == 1 and not any(is_drawing_fault(f.rule)
                                           for p in found for f in p.findings)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_problem_sentences_are_plain(lang):
    """No graph words, no rule codes, no grade words that contradict the grade, a path
    named once: what issue 17 found in the messages."""
    for problem in problems(_review(SAMPLES)):
        sentence = problem.sentence(lang)
        assert not re.search(r"FG\d|监督边|网关|\(review\)|medium 或 high|办结 办结|"
                             r"高风险环节|edge|gateway", sentence), sentence
        if lang == "zh":
            assert ", " not in sentence and "; " not in sentence, sentence
        for path in problem.paths():
            assert len(path(lang).split(" → ")) <= 6


def test_every_rule_says_in_plain_words_what_it_means():
    for rule in RULES:
        assert rule.problem is not None, rule.code
        for text in (rule.problem.zh, rule.problem.en):
            names = set(re.findall(r"{(\w+)}", text))
            assert names <= set(PROBLEM_PLACEHOLDERS), (rule.code, names)
            assert not re.search(r"FG\d|监督边|网关|gateway|edge", text), rule.code
        if is_drawing_fault(rule.code):
            assert rule.problem.zh.format(count=2)


# -- the PDF and the Word document ---------------------------------------------------------

def _engines() -> None:
    """Skip without WeasyPrint, python-docx or pdfplumber, unless the run requires them:
    ``scripts/test`` (and so CI) installs them and sets FLOWGRAPH_REQUIRE_BROWSER=1."""
    missing = [name for name in ("weasyprint", "docx", "pdfplumber")
               if importlib.util.find_spec(name) is None]
    if missing and os.environ.get("FLOWGRAPH_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"the PDF and Word tests need {', '.join(missing)}: "
                           "pip install -e '.[dev]'")
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)}")


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """The report of four samples with --pdf and --docx, written twice."""
    _engines()
    base = tmp_path_factory.mktemp("pack")
    (base / "in").mkdir()
    for name in CHOSEN:
        shutil.copy(SAMPLES / name, base / "in")
    for out in ("one", "two"):
        result = CliRunner().invoke(main, ["report", str(base / "in"), "-o", str(base / out),
                                           "--date", "2026-11-25", "--pdf", "--docx"],
                                    env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": None})
        assert result.exit_code == 0, result.output
    return base


@pytest.fixture(scope="module")
def review(pack):
    return _review(pack / "in")


def _pdf(pack):
    import pdfplumber
    return pdfplumber.open(pack / "one" / "report.pdf")


def test_the_same_input_and_date_give_the_same_bytes(pack):
    one, two = pack / "one", pack / "two"
    written = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert Path("report.pdf") in written and Path("report.docx") in written
    for path in written:
        assert (one / path).read_bytes() == (two / path).read_bytes(), path


def test_every_page_of_the_pdf_is_a4_and_numbered(pack, review):
    with _pdf(pack) as pdf:
        pages = pdf.pages
        sizes = {(round(p.width), round(p.height)) for p in pages}
        assert sizes <= {(595, 842), (842, 595)}
        units = len({chart.flowchart.unit for _, chart in review.charts()})
        charts = sum(1 for _ in review.charts())
        sheets = _sheets(pack)
        assert sheets >= charts
        # cover, contents, figures, problems, then each unit and each chart (its diagram's
        # pages and its tables), the appendix
        assert 4 + units + sheets + charts + 1 <= len(pages) \
            <= 6 + 3 * units + sheets + 3 * charts + 4
        total = len(pages)
        for number, page in enumerate(pages[1:], 2):  # the cover has no number
            assert f"第 {number} 页，共 {total} 页" in (page.extract_text() or ""), number


def test_the_contents_list_every_unit_with_its_page(pack, review):
    with _pdf(pack) as pdf:
        contents = pdf.pages[1].extract_text()
        assert contents.startswith("目录") or "\n目录" in contents
        for _, chart in review.charts():
            line = next(line for line in contents.splitlines() if chart.flowchart.unit in line)
            page = int(re.search(r"(\d+)$", line).group(1))
            assert chart.flowchart.unit in pdf.pages[page - 1].extract_text()


def test_the_chart_pages_hold_the_step_labels_as_text(pack, review):
    with _pdf(pack) as pdf:
        for title, pages in _diagram_pages(pdf, review).items():
            assert pages, title


#: The smallest text a committee member reads on paper (issue 17).
MIN_PT = 8


def _diagram_pages(pdf, review) -> dict[str, list]:
    """Each chart's title with the pages its diagram is drawn on: those with its title
    (every page of a diagram carries it) and the labels of its steps (a diagram is
    vector drawing and text, not an image); together they hold every label."""
    texts = ["".join((page.extract_text() or "").split()) for page in pdf.pages]
    found = {}
    for _, chart in review.charts():
        fc = chart.flowchart
        short = ["".join(s.label.split()) for s in fc.steps.values() if len(s.label) <= 8]
        starts = ["".join(s.label.split())[:4] for s in fc.steps.values()]
        pages = [(page, text) for page, text in zip(pdf.pages, texts, strict=True)
                 if fc.title in text and any(start in text for start in starts)]
        together = "".join(text for _, text in pages)
        found[fc.title] = [page for page, _ in pages] \
            if all(label in together for label in short) else []
    return found


def _sheets(pack) -> int:
    """The diagrams' pages, as the report's chart pages show them."""
    return sum(page.read_text("utf-8").count('<figure class="sheet')
               for page in (pack / "one" / "charts").glob("*.html"))


def test_the_text_around_the_diagrams_prints_at_8_pt_or_more(pack, review):
    """Headings, tables, problems, page heads and the ledger appendix: nothing printed
    below 8 pt (the diagrams' own text is the next test's)."""
    with _pdf(pack) as pdf:
        drawn = {page.page_number for pages in _diagram_pages(pdf, review).values()
                 for page in pages}
        assert drawn
        for page in pdf.pages:
            if page.page_number not in drawn:
                small = {c["text"] for c in page.chars if c["size"] < MIN_PT - 0.05}
                assert not small, (page.page_number, sorted(small)[:10])


def test_every_step_label_prints_at_8_pt_or_more(pack, review):
    """Each chart's step labels are text in the PDF, at 8 pt or more on A4."""
    with _pdf(pack) as pdf:
        pages = _diagram_pages(pdf, review)
        for _, chart in review.charts():
            fc = chart.flowchart
            assert pages[fc.title], fc.title
            for step in fc.steps.values():
                label = step.label if len(step.label) <= 8 else step.label[:4]
                found = [m for page in pages[fc.title] for m in page.search(re.escape(label))]
                assert found, (fc.title, step.label)
                sizes = [c["size"] for m in found for c in m["chars"]]
                assert min(sizes) >= MIN_PT - 0.05, (fc.title, step.label, min(sizes))


def test_the_index_opens_with_the_problems_in_order_of_grade(pack):
    index = (pack / "one" / "index.html").read_text("utf-8")
    first = index.split("<h2 ")[1]
    assert first.startswith('id="problems">主要问题</h2>')
    grades = [int(g) for g in re.findall(r'<li class="problem"><p class="statement">'
                                         r'<span class="grade g(\d)">', first)]
    assert grades and grades == sorted(grades) and grades[0] == 1, grades


REPORT = "权力运行流程图廉政风险审查报告"


def test_the_pdf_leads_with_the_problems_and_ends_with_the_ledger(pack):
    with _pdf(pack) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
        assert REPORT in texts[0] and "2026-11-25" in texts[0]
        assert "总体情况" in texts[2] and "主要问题" in texts[3]
        assert "审批（500万元以下）" in texts[3]
        last = pdf.pages[-1]
        assert last.width > last.height and "风险点台账" in "".join(
            t for t in texts if "附录" in t)
        start = next(n for n, t in enumerate(texts) if n > 1 and "附录：风险点台账" in t)
        appendix = ["".join(t.split()) for t in texts[start:]]
        assert len(appendix) > 1 and all("建议防控措施" in t for t in appendix)  # repeated


def test_the_word_document_holds_every_part(pack, review):
    import docx
    document = docx.Document(str(pack / "one" / "report.docx"))
    headings = {level: [p.text for p in document.paragraphs
                        if p.style.name == f"Heading {level}"] for level in (1, 2)}
    units = {chart.flowchart.unit for _, chart in review.charts()}
    titles = [chart.flowchart.title for _, chart in review.charts()]
    assert units <= set(headings[1]) and set(titles) <= set(headings[2])
    assert headings[1][:3] == ["目录", "总体情况", "主要问题"]
    assert len(document.inline_shapes) == _sheets(pack)  # a picture per diagram page
    summary = document.tables[0]
    assert [c.text for c in summary.rows[0].cells] == ["项目", "数量"]
    assert "单位" in [row.cells[0].text for row in summary.rows]
    for table in document.tables:  # every header row repeats on each page
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    for section in document.sections:
        assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer
    assert document.sections[-1].page_width > document.sections[-1].page_height


def test_a_pdf_without_its_engine_is_one_line(tmp_path, monkeypatch):
    import flowgraph.output.pdf as pdf
    monkeypatch.setattr(pdf, "available", lambda: False)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.yaml").write_text(textwrap.dedent(APPROVAL), "utf-8")
    result = CliRunner().invoke(main, ["report", str(tmp_path / "in"), "-o",
                                       str(tmp_path / "out"), "--pdf", "--lang", "en"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("Error: ")
    assert "pip install" in result.output and not (tmp_path / "out").exists()


def test_the_index_offers_the_documents(pack):
    index = (pack / "one" / "index.html").read_text("utf-8")
    assert '<a href="report.pdf">报告全文（PDF，供印发）</a>' in index
    assert '<a href="report.docx">报告全文（Word，供编辑）</a>' in index


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one: str, two: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_report_and_the_pdf_meet_wcag_aa_contrast():
    """Text on the fills the report and the PDF use: the body's ink on the grade cells
    and badges, every text colour (ink, grey notes, page heads) on the page and the
    table heads; 4.5:1 or more."""
    from flowgraph.output import pdf, report
    for style in (report.STYLE, pdf.STYLE):
        for name, value in re.findall(r"--([\w-]+): (#[0-9a-f]{6})", style):
            style = style.replace(f"var(--{name})", value)
        grades = re.findall(r"\.g\d \{ background: (#[0-9a-f]{6})", style)
        neutral = set(re.findall(r"th \{ background: (#[0-9a-f]{6})", style)) | {"#ffffff"}
        inks = re.findall(r"(?<![-\w])color: (#[0-9a-f]{6})", style)
        ink = re.search(r"(?:html|body) \{[^}]*?color: (#[0-9a-f]{6})", style).group(1)
        assert len(grades) == 3 and len(neutral) == 2 and len(inks) >= 2
        pairs = [(fill, ink) for fill in grades] + [(f, i) for f in neutral for i in inks]
        for fill, colour in pairs:
            assert _contrast(fill, colour) >= 4.5, (fill, colour, _contrast(fill, colour))


def test_a_pdf_without_pango_is_one_line(tmp_path, monkeypatch):
    import flowgraph.output.pdf as pdf
    monkeypatch.setattr("ctypes.util.find_library", lambda _name: None)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.yaml").write_text(APPROVAL, "utf-8")
    result = CliRunner().invoke(main, ["report", str(tmp_path / "in"), "-o",
                                       str(tmp_path / "out"), "--pdf", "--lang", "zh"])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    assert result.output.strip().splitlines()[-1].endswith(
        "--pdf 需要 Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    assert pdf.missing_packages() == ["libpango-1.0-0", "libpangoft2-1.0-0"]


def test_a_diagram_page_fits_both_documents_unscaled():
    """The diagrams are cut for the room pictures.AREAS gives them; the PDF's image
    caps and the Word document's text area must hold it whole, or a page printed at
    8 pt would be scaled below it."""
    from flowgraph.output import pdf, word
    from flowgraph.output.pictures import AREAS
    caps = {orientation: (float(width), float(height)) for orientation, width, height in
            re.findall(r"\.(portrait|landscape) \.diagram img \{ max-width: ([\d.]+)mm; "
                       r"max-height: ([\d.]+)mm; \}", pdf.STYLE)}
    assert set(caps) == set(AREAS)
    for orientation, (width, height) in AREAS.items():
        for room in (caps[orientation], word.picture_room(orientation == "landscape", True)):
            assert width <= room[0] and height <= room[1], (orientation, room)

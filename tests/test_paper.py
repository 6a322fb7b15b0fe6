"""Diagrams made for paper (issue 17): A4 pages, text at 8 pt or more, every box's text
in the box, contrast, the legend, swimlanes, and the same bytes for the same input."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from flowgraph.analysis import assess
from flowgraph.cli import main
from flowgraph.io import load_all
from flowgraph.output import palette
from flowgraph.output.labels import short_basis, time_limit, wrap
from flowgraph.output.paper import MIN_TEXT, PAPERS, document, pages
from flowgraph.output.render import DiagramOptions, Drawing, diagram, draw, legend_groups

from .conftest import ROOT, chart
from .test_render import CHART

pytest.importorskip("pygraphviz")
pypdf = pytest.importorskip("pypdf")

SAMPLES = sorted((ROOT / "flowcharts").glob("*.yaml"))
DATE = "2026-11-25"
#: A4 in points, as Graphviz rounds it (595.28 × 841.89).
A4 = {(595, 842), (842, 595)}


def audited(flowchart):
    assessment = assess(flowchart)
    return flowchart, assessment.findings, assessment.grades


def printed(pdf: bytes) -> list[list[tuple[str, float]]]:
    """Each page's texts with their printed size in points (font size times the
    scale of the text and graphics matrices)."""
    result = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        found = []

        def visit(text, cm, tm, _font, size, found=found):
            if text.strip():
                x = tm[0] * cm[0] + tm[1] * cm[2]
                y = tm[0] * cm[1] + tm[1] * cm[3]
                found.append((text.strip(), size * (x * x + y * y) ** 0.5))
        page.extract_text(visitor_text=visit)
        result.append(found)
    return result


def media_boxes(pdf: bytes) -> set[tuple[int, int]]:
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in pypdf.PdfReader(io.BytesIO(pdf)).pages}


def check_paper(flowchart, findings, grades, options=None):
    """The chart's PDF: only A4 pages, every text printed at 8 pt or more, every line
    of every step's name there as text; returns the pages."""
    sheets = pages(flowchart, findings, grades, options or DiagramOptions(date=DATE))
    pdf = document(sheets, DATE)
    assert media_boxes(pdf) <= A4
    texts = printed(pdf)
    assert len(texts) == len(sheets)
    sizes = [size for page in texts for _, size in page]
    assert min(sizes) >= MIN_TEXT - 0.01
    drawn = "".join(text for page in texts for text, _ in page).replace("\n", "")
    for step in flowchart.steps.values():
        for line in wrap(step.label):
            assert line.rstrip("…").replace(" ", "") in drawn.replace(" ", ""), \
                (step.id, line)
    assert all(sheet.min_text_pt >= MIN_TEXT for sheet in sheets)
    return sheets


# -- pages --------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_prints_on_a4_at_8_points(path):
    flowchart, = load_all(path)
    sheets = check_paper(*audited(flowchart))
    assert [s.number for s in sheets] == list(range(1, len(sheets) + 1))
    assert {s.count for s in sheets} == {len(sheets)}
    # every step's box stands on exactly one page
    boxes = [step for sheet in sheets for step in sheet.steps]
    assert sorted(boxes) == sorted(flowchart.steps)


def test_the_largest_chart_of_a_generated_city(tmp_path):
    result = CliRunner().invoke(main, ["generate", str(tmp_path / "city"), "--charts",
                                       "1102"])
    assert result.exit_code == 0, result.output
    largest = max((c for p in sorted((tmp_path / "city").rglob("*.yaml"))
                   for c in load_all(p)), key=lambda c: len(c.steps))
    assert len(largest.steps) >= 50
    sheets = check_paper(*audited(largest))
    assert len(sheets) <= 10


def test_a_chart_of_two_hundred_steps():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from render_diagram import chart_text
    flowchart = chart(chart_text(200), "two-hundred.yaml")
    sheets = check_paper(*audited(flowchart))
    # cut, with marks where lines cross from page to page
    assert len(sheets) > 10
    assert all(b"flowgraph&#45;mark" in sheet.svg for sheet in sheets[:-1])


def test_a_page_is_a_self_contained_svg_of_its_size_in_mm():
    flowchart, findings, grades = audited(chart(CHART))
    sheet, = pages(flowchart, findings, grades, DiagramOptions(date=DATE))
    svg = sheet.svg.decode()
    assert '<svg width="210mm" height="297mm"' in svg and sheet.orientation == "portrait"
    assert (sheet.width_mm, sheet.height_mm) == PAPERS["A4"]
    assert 'font-family="Noto Sans CJK SC"' in svg
    assert "xlink:href=" not in svg.replace('xlink:href="#', "")  # nothing outside it
    assert sheet.pdf.startswith(b"%PDF") and media_boxes(sheet.pdf) == {(595, 842)}


def test_a3_pages():
    flowchart, = load_all(ROOT / "flowcharts" / "land-transfer.yaml")
    sheets = pages(*audited(flowchart), DiagramOptions(date=DATE), paper="A3")
    assert media_boxes(document(sheets, DATE)) <= {(842, 1191), (1191, 842)}
    assert len(sheets) <= len(pages(*audited(flowchart), DiagramOptions(date=DATE)))


def test_the_same_input_gives_the_same_bytes():
    flowchart, = load_all(ROOT / "flowcharts" / "tender-rural-road.yaml")
    first = pages(*audited(flowchart), DiagramOptions(date=DATE))
    again = pages(*audited(flowchart), DiagramOptions(date=DATE))
    assert [p.svg for p in first] == [p.svg for p in again]
    assert [p.pdf for p in first] == [p.pdf for p in again]
    assert document(first, DATE) == document(again, DATE)
    dated = pypdf.PdfReader(io.BytesIO(document(first, DATE))).metadata.creation_date
    assert dated.isoformat().startswith("2026-11-25T00:00:00")
    assert b"/CreationDate (D:20261125000000Z)" in first[0].pdf


def test_cut_lines_carry_the_same_number_on_both_sides():
    flowchart, = load_all(ROOT / "flowcharts" / "land-transfer.yaml")
    sheets = pages(*audited(flowchart), DiagramOptions(date=DATE))
    assert len(sheets) > 1
    words = [" ".join(re.findall(r">([^<]+)</text>", s.svg.decode())) for s in sheets]
    assert "转第 2 页" in words[0] and "接第 1 页" in words[1]
    # the numbers at the end of a band are those at the start of the next
    sides: dict[tuple[str, str], set[str]] = {}
    for sheet in sheets:
        for cut, side, number in re.findall(
                r"<title>flowgraph&#45;mark&#45;band&#45;(\d+)&#45;(\w+)&#45;(\d+)</title>",
                sheet.svg.decode()):
            sides.setdefault((cut, "end" if side in ("bottom", "right") else "start"),
                             set()).add(number)
    cuts = {cut for cut, _ in sides}
    assert cuts and all(sides[(cut, "end")] == sides[(cut, "start")] for cut in cuts)


# -- what a box says ------------------------------------------------------------------


def test_a_box_names_its_post_time_limit_and_basis():
    flowchart = chart("""\
        flowgraph: 1
        title: 行政许可
        actors:
          clerk: {name: 窗口受理员}
        steps:
          a: {kind: start, label: 申请}
          b: {kind: task, label: 受理, actor: clerk, time_limit: 5d,
              basis: 《中华人民共和国行政许可法》第三十二条；《某某条例》第五条}
          c: {kind: end, label: 办结}
        flow: [[a, b], [b, c]]
        """)
    drawing = Drawing(*audited(flowchart), DiagramOptions(date=DATE))
    assert drawing.details("b") == ["窗口受理员", "时限 5日", "依据 《行政许可法》第三十二条等"]
    english = Drawing(*audited(flowchart), DiagramOptions(date=DATE, lang="en"))
    assert english.details("b")[1:] == ["Limit 5 days",
                                        "Basis 《行政许可法》第三十二条 etc."]
    assert time_limit("10wd", "zh") == "10个工作日" and time_limit("三日", "zh") == "三日"
    assert short_basis("《中华人民共和国招标投标法》第三条", "zh") == "《招标投标法》第三条"


def test_chinese_wraps_without_a_closing_mark_at_a_line_start():
    lines = wrap("出具规划条件（容积率、用地性质、建筑密度）")
    assert all(line[0] not in "，。、）》" for line in lines)
    assert all(line[-1] not in "（《" for line in lines)
    # a full-width closing mark that cannot hang takes the character before it along
    # (the legend once printed "连线在另一页（栏" over "）的同号处接续")
    for columns in range(8, 30):
        for text in ("连线在另一页（栏）的同号处接续", "编制出让方案（竞买条件、出让方式）"):
            lines = wrap(text, columns, 5)
            assert "".join(lines) == text
            assert all(line[0] not in "，。、）》" for line in lines[1:]), lines
            assert all(line[-1] not in "（《" for line in lines[:-1]), lines
    assert wrap("核对 ISO9001 证书编号", 12) == ["核对 ISO9001", "证书编号"]  # a word whole
    # even lines: ten characters are two lines of five, not nine and one
    assert [len(line) for line in wrap("一二三四五六七八九十")] == [5, 5]


def test_a_six_thousand_character_label_is_drawn_cut():
    flowchart = chart(f"""\
        flowgraph: 1
        title: 长标签
        steps:
          a: {{kind: start, label: 申请}}
          b: {{kind: task, label: {"审" * 6000}}}
          c: {{kind: end, label: 办结}}
        flow: [[a, b], [b, c]]
        """)
    sheets = pages(*audited(flowchart), DiagramOptions(date=DATE))
    assert "审审审…" in sheets[0].svg.decode()
    assert len(sheets[0].svg) < 200_000


# -- contrast -------------------------------------------------------------------------


@pytest.mark.parametrize("text, fill", [(text, fill) for _, text, fill in palette.TEXT_ON],
                         ids=[where for where, _, _ in palette.TEXT_ON])
def test_every_text_meets_wcag_aa(text, fill):
    assert palette.contrast(text, fill) >= 4.5


def test_the_old_badge_failed_and_the_grade_colours_stay():
    assert palette.contrast("#a8071a", "#ff4d4f") < 3  # issue 17: 2.4:1
    red, orange, yellow = (palette.GRADE_FILLS[g] for g in (1, 2, 3))
    assert int(red[1:3], 16) > 200 > int(red[3:5], 16)          # red
    assert int(orange[1:3], 16) > int(orange[3:5], 16) > int(orange[5:], 16)  # orange
    assert int(yellow[1:3], 16) > 200 and int(yellow[3:5], 16) > 200  # yellow
    assert palette.contrast("#000000", "#ffffff") == pytest.approx(21)


@pytest.mark.parametrize("path", SAMPLES[:6], ids=[p.stem for p in SAMPLES[:6]])
def test_the_diagrams_draw_text_only_in_the_checked_colours(path):
    flowchart, = load_all(path)
    svg = draw(diagram(*audited(flowchart), DiagramOptions(date=DATE, highlight=("FG",))),
               "svg").decode()
    inks = {text for _, text, _ in palette.TEXT_ON}
    colours = set(re.findall(r'<text [^>]*fill="(#[0-9a-f]{6})"', svg))
    assert colours <= inks
    # a text without a fill is black: on the paper, a fill, or a lane title
    fills = set(re.findall(r'<(?:polygon|ellipse|path) fill="(#[0-9a-f]{6})"', svg))
    backgrounds = {fill for _, _, fill in palette.TEXT_ON}
    assert fills <= backgrounds | {palette.LINE, palette.OVERSIGHT, palette.PROPOSED,
                                   palette.HIGHLIGHT, palette.LANE_LINE}


# -- the legend -----------------------------------------------------------------------


def legend_text(lang: str, cut: bool = True) -> list[str]:
    return [re.sub(r"<[^>]+>", " ", attributes.get("label", ""))
            for group in legend_groups(lang, cut) for item in group
            for _, attributes in item]


def test_the_legend_explains_shapes_fills_lines_and_badges():
    words = " ".join(legend_text("zh"))
    for name in ("开始/结束", "办理", "审核", "决定", "分支", "监督", "公开", "系统",
                 "一级风险点", "二级风险点", "三级风险点", "非风险点", "岗位", "时限",
                 "依据", "办理流程", "建议增加的监督", "问题流程",
                 "问题代码，说明见问题清单", "转第 2 页"):
        assert name in words, name
    english = " ".join(legend_text("en"))
    for name in ("start/end", "decision", "grade 1 risk point", "oversight",
                 "finding code: see the", "to p. 2"):
        assert name in english, name
    assert not any(text.rstrip().endswith("FG…") for text in legend_text("zh"))
    assert "转第" not in " ".join(legend_text("zh", cut=False))


def test_the_legend_draws_every_kind_of_step_in_its_shape():
    svg = draw(diagram(*audited(chart(CHART)), DiagramOptions(date=DATE)), "svg").decode()
    for kind in ("start", "task", "review", "decision", "gateway", "oversight",
                 "disclosure", "system"):
        assert f'id="legend&#45;{kind}"' in svg


# -- swimlanes ------------------------------------------------------------------------


def lane_layout(flowchart, mode="post", direction="LR"):
    from flowgraph.output.lanes import lanes
    drawing = Drawing(*audited(flowchart), DiagramOptions(date=DATE, lanes=mode))
    return drawing, lanes(drawing, direction)


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("path", SAMPLES[::3], ids=[p.stem for p in SAMPLES[::3]])
def test_every_step_stands_in_its_lane_and_no_boxes_overlap(path, direction):
    from flowgraph.output.lanes import TITLE_PREFIX, lane_keys, lane_order
    flowchart, = load_all(path)
    drawing, placed = lane_layout(flowchart, direction=direction)
    keys, order = lane_keys(drawing), lane_order(drawing, lane_keys(drawing))
    titles = {n: placed.nodes[f"{TITLE_PREFIX}{n}"] for n in range(len(order))}
    across = 1 if direction == "LR" else 0
    boxes = {}
    for step in flowchart.steps:
        x, y = placed.nodes[step]
        w, h = placed.sizes[step]
        boxes[step] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        if keys[step] is not None:
            lane = order.index(keys[step])
            centre = titles[lane][across]
            half = placed.sizes[f"{TITLE_PREFIX}{lane}"][across] / 2 + 2
            assert abs((x, y)[across] - centre) <= half, step
    ordered = sorted(boxes.values())
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[0] >= a[2]:
                break
            assert b[1] >= a[3] or a[1] >= b[3], (a, b)


def test_lanes_are_in_flow_order_by_post_or_section():
    from flowgraph.output.lanes import lane_keys, lane_order
    flowchart, = load_all(ROOT / "flowcharts" / "land-transfer.yaml")
    drawing, _ = lane_layout(flowchart)
    order = lane_order(drawing, lane_keys(drawing))
    assert order[:3] == ["土地利用科经办人", "市规划局用地规划科", "土地估价机构（比选确定）"]
    assert order[-2:] == ["派驻纪检监察组", "市审计局"]  # overseers beside the flow last
    drawing, _ = lane_layout(flowchart, "section")
    sections = lane_order(drawing, lane_keys(drawing))
    assert "土地利用科" in sections and "土地利用科科长" not in sections
    assert len(sections) < len(order)


def test_lane_pages_print_at_8_points_and_repeat_the_titles():
    flowchart, = load_all(ROOT / "flowcharts" / "land-transfer.yaml")
    sheets = check_paper(*audited(flowchart), DiagramOptions(date=DATE, lanes="post"))
    assert len(sheets) > 1
    for sheet in sheets:
        assert "土地利用科经办人" in sheet.svg.decode() or "lane&#45;0" not in \
            sheet.svg.decode()
    again = pages(*audited(flowchart), DiagramOptions(date=DATE, lanes="post"))
    assert [s.svg for s in again] == [s.svg for s in sheets]


def test_lane_diagram_on_one_canvas_routes_with_square_corners():
    flowchart, = load_all(ROOT / "flowcharts" / "land-transfer.yaml")
    svg = draw(diagram(*audited(flowchart), DiagramOptions(date=DATE, lanes="post")),
               "svg").decode()
    assert svg.count('class="node">\n<title>flowgraph&#45;sticky&#45;lane') == 10
    route = re.search(r'<g id="flow&#45;0" class="edge">.*?<path [^>]* d="([^"]+)"', svg,
                      re.S).group(1)
    points = [tuple(float(v) for v in p.split(",")) for p in re.findall(r"[-\d.]+,[-\d.]+",
                                                                        route)]
    # straight stretches: every segment is level or upright
    assert all(abs(a[0] - b[0]) < 0.05 or abs(a[1] - b[1]) < 0.05
               for a, b in zip(points, points[1:], strict=False))


# -- the command ----------------------------------------------------------------------


def test_render_pdf_writes_a4_pages(tmp_path):
    source = tmp_path / "fee.yaml"
    source.write_text(textwrap.dedent(CHART), "utf-8")
    result = CliRunner().invoke(main, ["render", str(source), "-o", str(tmp_path / "x.pdf"),
                                       "--date", DATE, "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "A4" in result.output and "页" in result.output
    pdf = (tmp_path / "x.pdf").read_bytes()
    assert media_boxes(pdf) <= A4
    result = CliRunner().invoke(main, ["render", str(source), "-o", str(tmp_path / "y.pdf"),
                                       "--date", DATE, "--paper", "A3", "--lanes", "section"])
    assert result.exit_code == 0, result.output
    assert media_boxes((tmp_path / "y.pdf").read_bytes()) <= {(842, 1191), (1191, 842)}


def test_highlight_without_such_a_finding_says_so(tmp_path):
    source = tmp_path / "fee.yaml"
    source.write_text(textwrap.dedent(CHART), "utf-8")
    result = CliRunner().invoke(main, ["render", str(source), "-o", str(tmp_path / "x.svg"),
                                       "--highlight", "FG303", "--lang", "en"])
    assert result.exit_code == 0
    notes = [line for line in result.output.splitlines() if "--highlight" in line]
    assert notes == ["--highlight: this chart has no finding of FG303; nothing to highlight"]
    result = CliRunner().invoke(main, ["render", str(source), "-o", str(tmp_path / "y.svg"),
                                       "--highlight", "FG201"])
    assert result.exit_code == 0 and "--highlight" not in result.output


def test_no_fontconfig_warning_and_real_errors_still_shown(tmp_path):
    source = tmp_path / "fee.yaml"
    source.write_text(textwrap.dedent(CHART), "utf-8")
    command = [sys.executable, "-m", "flowgraph", "render", str(source), "-o",
               str(tmp_path / "x.svg"), "--date", DATE]
    env = {k: v for k, v in __import__("os").environ.items()
           if not k.startswith("FONTCONFIG")}
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=60)
    assert done.returncode == 0 and done.stderr == ""
    broken = tmp_path / "fonts.conf"
    broken.write_text("<fontconfig><dir>", "utf-8")
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                          env={**env, "FONTCONFIG_FILE": str(broken)}, timeout=60)
    assert "Fontconfig" in done.stderr  # its own error, not hidden


def test_swimlanes_take_not_many_more_pages_than_the_flow():
    """Lanes share the flow's columns (a hand-over to another post stands beside the
    step before it), so a chart drawn in lanes by post needs at most four A4 pages more
    than drawn without, and the samples together under 1.8 times as many (measured:
    92 pages against 58; one column a step took 130)."""
    counts = []
    for path in SAMPLES:
        flowchart, = load_all(path)
        found = assess(flowchart)
        counts.append([len(pages(flowchart, found.findings, found.grades,
                                 DiagramOptions(lanes=lanes, lang="zh", date=DATE),
                                 "A4", ())) for lanes in (None, "post")])
    for path, (flow, lanes) in zip(SAMPLES, counts, strict=True):
        assert lanes <= flow + 4, (path.stem, flow, lanes)
    assert sum(lanes for _, lanes in counts) < 1.8 * sum(flow for flow, _ in counts)


def test_bands_are_cut_even_where_the_headings_leave_no_room():
    """A page whose title block is taller than the page leaves no room for a band: the
    drawing is still cut into a bounded number of bands (which do not fit, so that
    layout loses), never endlessly (the pack's landscape area once took 17 GB)."""
    from flowgraph.output.tiles import MIN_BAND, cut_points
    cuts = cut_points([(10.0, 20.0)], 1000.0, [-50.0, 0.0])
    assert 0 < len(cuts) <= 2 * 1000.0 / MIN_BAND  # a cut may fall mid-gap, half a band
    assert cuts == sorted(cuts) and cuts[-1] < 1000.0

"""The committee report: a self-contained folder of HTML pages (design.md §8).

``index.html`` holds the batch's figures in the shape of a city's report, a
grade-distribution chart (inline SVG), the key posts and a table of flowcharts with
their worst grade and finding counts; each flowchart has a page with its annotated
diagram (inline SVG, so that the findings table links to the steps in it and a step
links to its grade), its findings and its grades with reasons. Beside them: the ledger
(``ledger.xlsx``, ``ledger.csv``), ``findings.json`` and ``style.css``.

It works offline and without scripts: no CDN, no JavaScript, and a Content-Security-
Policy that forbids scripts, so that even a label written to look like HTML is shown
as text and nothing runs. Every text from a flowchart is escaped. Printed, each
flowchart takes one A4 landscape page. The folder is built beside its destination and
moved into place whole; an existing folder is replaced only if flowgraph wrote it.
Diagrams are laid out in at most ``jobs`` worker processes when there are enough of
them to pay for the workers (:func:`flowgraph.workers.ordered_map`), and the same input
and date give the same bytes.
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from ..files import printable, refuse_folder, replace_folder, safe_name
from ..i18n import Text
from ..results import Review
from ..rules.wording import path_text
from ..vocabulary import GRADE_NAMES, GRADES, SEVERITY_NAMES, grade_name
from ..workers import ordered_map
from .rotation_section import section as rotation_section
from .stats import figure_rows, statistics

MARKER = ".flowgraph-report"
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "script-src 'none'")

STYLE = """\
:root { --g1: #ff4d4f; --g2: #ffa940; --g3: #ffe58f; --ink: #1f1f1f; --rule: #d9d9d9; }
body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; color: var(--ink);
       margin: 2rem auto; max-width: 1200px; padding: 0 1rem; line-height: 1.5; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.meta { color: #595959; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #fafafa; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.d { white-space: nowrap; font-variant-numeric: tabular-nums; }
.g1 { background: var(--g1); } .g2 { background: var(--g2); } .g3 { background: var(--g3); }
.figures { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
.figures table { width: auto; }
.diagram { border: 1px solid var(--rule); padding: .5rem; overflow: auto; text-align: center; }
.diagram svg { max-width: 100%; height: auto; }
.waived { color: #8c8c8c; }
.error { color: #cf1322; } .warning { color: #ad6800; } .info { color: #0958d9; }
:target { outline: 3px solid #d4380d; }
nav a { margin-right: 1rem; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  nav { display: none; }
  .chart { break-after: page; }
  .diagram { border: none; }
  .diagram svg { max-height: 150mm; width: auto; }
  table { break-inside: auto; } tr { break-inside: avoid; }
}
"""


def _e(value) -> str:
    """Text for HTML: markup escaped, hidden characters shown (:func:`printable`)."""
    return html.escape(printable("" if value is None else str(value)), quote=True)


def _page(title: str, body: str, lang: str, css: str = "style.css") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{Text("zh-CN", "en")(lang)}">\n<head>\n'
            f'<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{_e(title)}</title>\n<link rel="stylesheet" href="{css}">\n</head>\n'
            f'<body>\n{body}\n</body>\n</html>\n')


def _grade_cell(grade: int | None, lang: str) -> str:
    if grade is None:
        return "<td></td>"
    return f'<td class="g{grade}">{_e(grade_name(grade, lang))}</td>'


def distribution_svg(figures: dict, lang: str) -> str:
    """Bars of risk points and risk posts by grade, as an inline SVG."""
    groups = [(Text("风险点", "Risk points")(lang), figures["risk_points"]),
              (Text("风险岗位", "Risk posts")(lang), figures["risk_posts"])]
    top = max([1] + [counts[str(g)] for _, counts in groups for g in GRADES])
    colours = {1: "#ff4d4f", 2: "#ffa940", 3: "#ffe58f"}
    width, height, bar, gap = 420, 220, 34, 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{_e(Text("风险等级分布", "Grades")(lang))}" '
             f'font-family="Noto Sans CJK SC, sans-serif" font-size="12">']
    x = 20
    for name, counts in groups:
        for grade in GRADES:
            count = counts[str(grade)]
            h = round(150 * count / top)
            parts.append(f'<rect x="{x}" y="{170 - h}" width="{bar}" height="{h}" '
                         f'fill="{colours[grade]}" stroke="#595959"/>')
            parts.append(f'<text x="{x + bar / 2:g}" y="{165 - h}" text-anchor="middle">'
                         f'{count}</text>')
            parts.append(f'<text x="{x + bar / 2:g}" y="186" text-anchor="middle">'
                         f'{_e(GRADE_NAMES[grade](lang))}</text>')
            x += bar + gap
        parts.append(f'<text x="{x - 2 * (bar + gap) + bar / 2 - gap / 2:g}" y="206" '
                     f'text-anchor="middle" font-weight="bold">{_e(name)}</text>')
        x += 40
    parts.append("</svg>")
    return "".join(parts)


def _figures_table(figures: dict, lang: str) -> str:
    body = "".join(f"<tr><td>{_e(name)}</td><td class=\"n\">{_e(value)}</td></tr>"
                   for name, value in figure_rows(figures, lang))
    return f"<table>{body}</table>"


def _strip_svg(svg: bytes) -> str:
    """Graphviz's SVG without its XML prologue, ready to inline in HTML."""
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]


def _layout(dot_source: str) -> bytes:
    """Draw one diagram, its positions pinned by :func:`~.render.diagram` (runs in a
    worker process)."""
    import pygraphviz
    return pygraphviz.AGraph(string=dot_source).draw(format="svg", prog="nop2")


def chart_slug(number: int, flowchart_id: str) -> str:
    """The file name of a flowchart's page: its number (unique, in batch order) and its
    id made safe (:func:`~flowgraph.files.safe_name`)."""
    return f"{number:04d}-{safe_name(flowchart_id)}.html"


def write_report(review: Review, out_dir: str, lang: str, date: str, jobs: int | None = None,
                 ledger: bool = True, inputs: Iterable[str] = ()) -> Path:
    """Write the report folder ``out_dir`` whole; returns its path. ``inputs``: the
    files the run read, none of which may be in the folder replaced."""
    from .json_output import dumps
    from .ledger_files import write_csv, write_xlsx
    from .render import DiagramOptions, diagram
    target = Path(out_dir)
    inputs = list(inputs)
    refuse_folder(target, MARKER, inputs)
    charts = list(review.charts())
    options = DiagramOptions(date=date, lang=lang, link_steps=True)
    sources = [diagram(c.flowchart, c.findings, c.grades, options).string()
               for _, c in charts]
    svgs = list(ordered_map(_layout, sources, jobs, [len(source) for source in sources]))
    figures = statistics(review, lang)
    pages = [chart_slug(n, c.flowchart.id) for n, (_, c) in enumerate(charts, 1)]

    def build(folder: Path) -> None:
        (folder / "charts").mkdir()
        (folder / "style.css").write_text(STYLE, "utf-8")
        for (path, chart), page, svg in zip(charts, pages, svgs, strict=True):
            (folder / "charts" / page).write_text(
                _chart_page(review, path, chart, svg, lang, date), "utf-8")
        (folder / "index.html").write_text(
            _index(review, figures, charts, pages, lang, date, ledger), "utf-8")
        # a file name that was not UTF-8 keeps its bytes as JSON escapes (\udcff)
        (folder / "findings.json").write_text(dumps(review, lang), "utf-8", "backslashreplace")
        if ledger:
            (folder / "ledger.xlsx").write_bytes(write_xlsx(review, lang))
            (folder / "ledger.csv").write_bytes(write_csv(review, lang))

    return replace_folder(target, build, MARKER, inputs)


def _worst(chart) -> int | None:
    grades = [g.grade for g in chart.grades.values() if g.grade is not None]
    return min(grades) if grades else None


def _table(head: Iterable[Text], rows: Iterable[str], lang: str) -> str:
    """A table with its heading row in ``lang`` and body rows already rendered."""
    cells = "".join(f"<th>{_e(text(lang))}</th>" for text in head)
    return f"<table><tr>{cells}</tr>{''.join(rows)}</table>"


def _heading(text: Text, lang: str, css: str | None = None) -> str:
    attribute = f' class="{css}"' if css else ""
    return f"<h2{attribute}>{_e(text(lang))}</h2>"


INDEX_HEAD = (Text("权力事项", "Power item"), Text("单位", "Unit"), Text("类别", "Category"),
              Text("最高等级", "Worst grade"), Text("一级", "Grade 1"), Text("二级", "Grade 2"),
              Text("三级", "Grade 3"), Text("错误", "Errors"), Text("警告", "Warnings"),
              Text("提示", "Info"), Text("已豁免", "Waived"), Text("文件", "File"))
KEY_POST_HEAD = (Text("单位", "Unit"), Text("岗位", "Post"), Text("岗位等级", "Post grade"),
                 Text("责任领导", "Responsible leader"), Text("理由", "Why"))
FINDING_HEAD = (Text("规则", "Rule"), Text("严重程度", "Severity"), Text("环节", "Steps"),
                Text("说明", "Message"), Text("证明路径", "Witness"))
GRADE_HEAD = (Text("环节", "Step"), Text("岗位", "Post"), Text("建议等级", "Suggested"),
              Text("得分", "Score"), Text("申报等级", "Declared"), Text("理由", "Reasons"),
              Text("责任领导", "Responsible leader"))
REPORT_TITLE = Text("权力运行流程图廉政风险审查报告",
                    "Integrity-risk review of power-operation flowcharts")


def _chart_row(path: str, chart, page: str, lang: str) -> str:
    """One flowchart in the index: its worst grade and its counts."""
    fc = chart.flowchart
    counts = {g: sum(1 for s in chart.grades.values() if s.grade == g) for g in GRADES}
    open_findings = [f for f in chart.findings if not f.waived]
    by_severity = {level: sum(1 for f in open_findings if f.severity == level)
                   for level in ("error", "warning", "info")}
    return (f'<tr><td><a href="charts/{_e(quote(page))}">{_e(fc.title)}</a></td>'
            f'<td>{_e(fc.unit)}</td><td>{_e(fc.category)}</td>{_grade_cell(_worst(chart), lang)}'
            + "".join(f'<td class="n">{counts[g]}</td>' for g in GRADES)
            + "".join(f'<td class="n">{by_severity[level]}</td>'
                      for level in ("error", "warning", "info"))
            + f'<td class="n">{len(chart.findings) - len(open_findings)}</td>'
            f'<td>{_e(path)}</td></tr>')


def _index(review, figures, charts, pages, lang, date, ledger) -> str:
    title = REPORT_TITLE(lang)
    rows = [_chart_row(path, chart, page, lang)
            for (path, chart), page in zip(charts, pages, strict=True)]
    unreadable = [r for r in review.results if r.error is not None]
    failures = ""
    if unreadable:
        items = "".join(f"<li><code>{_e(r.error.describe(lang))}</code></li>"
                        for r in unreadable)
        failures = _heading(Text("无法读取的文件", "Files that could not be read"), lang,
                            "error") + f"<ul>{items}</ul>"
    empty = [w for r in review.results if r.error is None and not r.charts for w in r.warnings]
    if empty:  # drawings with no step on any page or process: why they are not here
        items = "".join(f"<li><code>{_e(w.describe(lang))}</code></li>" for w in empty)
        failures += _heading(Text("没有流程图的文件", "Files with no flowchart"), lang,
                             "warning") + f"<ul>{items}</ul>"
    key_posts = [p for p in review.posts if p.is_key_post]
    key_rows = [
        f"<tr><td>{_e(p.unit)}</td><td>{_e(p.name)}</td>{_grade_cell(p.grade, lang)}"
        f"<td>{_e(p.responsible(lang) if p.responsible else '')}</td>"
        f"<td>{_e('; '.join(r(lang) for r in p.key_post_reasons))}</td></tr>"
        for p in key_posts]
    key_table = _table(KEY_POST_HEAD, key_rows, lang) if key_posts else \
        f'<p>{_e(Text("无", "None")(lang))}</p>'
    downloads = [("findings.json", "findings.json")]
    if ledger:
        downloads = [("ledger.xlsx", Text("风险点台账 (Excel)", "Risk ledger (Excel)")(lang)),
                     ("ledger.csv", Text("风险点台账 (CSV)", "Risk ledger (CSV)")(lang)),
                     *downloads]
    links = "".join(f'<a href="{href}">{_e(name)}</a>' for href, name in downloads)
    body = (f"<h1>{_e(title)}</h1><p class=\"meta\">{_e(date)} · flowgraph</p>"
            f"<nav>{links}</nav>"
            + _heading(Text("总体情况", "Figures"), lang)
            + f'<div class="figures">{_figures_table(figures, lang)}'
            f"<div>{distribution_svg(figures, lang)}</div></div>{failures}"
            + _heading(Text("流程图", "Flowcharts"), lang) + _table(INDEX_HEAD, rows, lang)
            + _heading(Text("关键岗位 (权力集中)", "Key posts (concentrated power)"), lang)
            + key_table + rotation_section(review, lang))
    return _page(title, body, lang)


def _finding_row(number: int, finding, fc, lang: str) -> str:
    """One finding of a chart page: its steps link to the diagram."""
    def label(step_id: str) -> str:
        return fc.steps[step_id].label
    steps = ", ".join(f'<a href="#step-{_e(s)}">{_e(label(s))}</a>' for s in finding.steps)
    witness = _e(path_text(fc, finding.witness))
    waived = (f'<br><span class="waived">{_e(Text("已豁免", "waived")(lang))}: '
              f"{_e(finding.waiver_reason)}</span>") if finding.waived else ""
    css = "waived" if finding.waived else finding.severity
    return (f'<tr id="finding-{number}" class="{css}"><td>{_e(finding.rule)}</td>'
            f"<td>{_e(SEVERITY_NAMES[finding.severity](lang))}</td><td>{steps}</td>"
            f"<td>{_e(finding.message(lang))}{waived}</td><td>{witness}</td></tr>")


def _grade_row(review, chart, step_id: str, graded, lang: str) -> str:
    """One risk point of a chart page: grade, score, reasons, leader."""
    step = chart.flowchart.steps[step_id]
    leader = review.responsible_for(chart, step_id)
    return (f'<tr id="grade-{_e(step_id)}"><td><a href="#step-{_e(step_id)}">{_e(step.label)}'
            f"</a></td><td>{_e(review.post_of(chart, step_id))}</td>"
            f"{_grade_cell(graded.grade, lang)}<td class=\"n\">{graded.score}</td>"
            f"<td>{_e(grade_name(step.declared_grade, lang))}</td>"
            f"<td>{_e('; '.join(r(lang) for r in graded.reasons))}</td>"
            f"<td>{_e(leader(lang) if leader else '')}</td></tr>")


def _chart_page(review, path, chart, svg: bytes, lang: str, date: str) -> str:
    fc = chart.flowchart
    finding_rows = [_finding_row(number, finding, fc, lang)
                    for number, finding in enumerate(chart.findings, 1)]
    findings = _table(FINDING_HEAD, finding_rows, lang) if finding_rows else \
        f'<p>{_e(Text("未发现问题", "No findings")(lang))}</p>'
    grades = _table(GRADE_HEAD, [_grade_row(review, chart, step_id, graded, lang)
                                 for step_id, graded in chart.grades.items()], lang)
    facts = " · ".join(_e(x) for x in (fc.unit, fc.category, path, date) if x)
    # what the reader skipped: the reviewer must know the diagram held more than this
    warnings = (_heading(Text("导入提示", "Import warnings"), lang, "warning") + "<ul>"
                + "".join(f"<li>{_e(w.describe(lang))}</li>" for w in fc.warnings)
                + "</ul>") if fc.warnings else ""
    back = Text("返回目录", "Back to the index")(lang)
    body = (f'<nav><a href="../index.html">{_e(back)}</a></nav>'
            f'<section class="chart"><h1>{_e(fc.title)}</h1><p class="meta">{facts}</p>'
            f'<div class="diagram">{_strip_svg(svg)}</div></section>{warnings}'
            + _heading(Text("发现的问题", "Findings"), lang) + findings
            + _heading(Text("风险等级", "Grades"), lang) + grades)
    return _page(fc.title, body, lang, css="../style.css")

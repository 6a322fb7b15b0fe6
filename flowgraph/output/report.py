"""The committee report: a self-contained folder of HTML pages (design.md §8).

``index.html`` leads with the problems: first the **main problems**, ranked by grade
and stakes, each one sentence a leader understands and a link to its chart, with the
charts' drawing faults (流程图质量问题) apart; then the **figures** as the city reports
them; then a **table of units**, each linked to its page (``units/NNN.html``: its key
posts, its risk posts by grade, its charts, its problems, the bodies outside it); the
key posts of the batch; and **the list of files last**, in the index for a batch of up
to :data:`FILES_PER_PAGE` charts, else in pages of that many (``files/N.html``). Each
flowchart has a page (``charts/NNNN-id.html``) with its diagram (inline SVG, so that a
problem links to its step and a step to its grade), its problems, its drawing faults
and its risk points. Beside them: the ledger (``ledger.xlsx``, ``ledger.csv``),
``findings.json`` and ``style.css``; on request the same content as one PDF
(:mod:`.pdf`) and one Word document (:mod:`.word`).

It works offline and without scripts: no CDN, no JavaScript, and a Content-Security-
Policy that forbids scripts, so that even a label written to look like HTML is shown
as text and nothing runs. Every text from a flowchart is escaped. Printed, every page is
A4 and each page of a chart's diagram takes a page of its own, landscape where the
diagram is wider than tall. The folder is built beside its destination and moved into
place whole; an existing folder is replaced only if flowgraph wrote it. The same input
and date give the same bytes.
"""
from __future__ import annotations

import base64
from collections.abc import Iterable
from pathlib import Path

from ..files import refuse_folder, replace_folder
from ..i18n import Text
from ..results import Review
from .pack import KEY_POSTS, MAIN_QUALITY, REPORT_TITLE, ChartEntry, Pack, UnitEntry
from .pictures import Picture, chart_pictures
from .rotation_section import section as rotation_section
from .sections import (
    Links,
    body_table,
    chart_faults,
    chart_slug,
    chart_table,
    distribution_svg,
    esc,
    heading,
    key_post_table,
    problem_list,
    quality_list,
    risk_point_table,
    risk_post_table,
    summary_table,
    unit_figures,
    unit_table,
    waived_table,
)

MARKER = ".flowgraph-report"
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "script-src 'none'")
#: Charts listed in one page of the file list; a smaller batch lists them in the index.
FILES_PER_PAGE = 200

STYLE = """\
:root { --g1: #ff4d4f; --g2: #ffa940; --g3: #ffe58f; --ink: #1f1f1f; --rule: #d9d9d9;
        --muted: #595959; }
body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; color: var(--ink);
       margin: 2rem auto; max-width: 1200px; padding: 0 1rem; line-height: 1.5; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; }
.meta, .codes, .none { color: var(--muted); }
.codes { font-size: .85em; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #f5f5f5; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.d { white-space: nowrap; font-variant-numeric: tabular-nums; }
.g1 { background: var(--g1); } .g2 { background: var(--g2); } .g3 { background: var(--g3); }
td.g1, td.g2, td.g3, .points th { white-space: nowrap; }
.grade { padding: 0 .35em; border-radius: 3px; font-weight: bold; white-space: nowrap; }
ol.problems { padding-left: 1.6rem; }
li.problem { margin-bottom: .8rem; }
li.problem p { margin: .1rem 0; }
.statement { font-weight: 600; }
.risk, .path { font-size: .92rem; }
.figures { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
.figures table { width: auto; }
.diagram { border: 1px solid var(--rule); padding: .5rem; overflow: auto; text-align: center; }
.diagram svg { max-width: 100%; height: auto; }
:target { outline: 3px solid #d4380d; }
nav a { margin-right: 1rem; }
nav.pages a { margin-right: .5rem; }
.points th:nth-child(1) { width: 20%; } .points th:nth-child(2) { width: 14%; }
@page { size: A4; margin: 12mm; }
@page landscape { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  .sheet { break-before: page; break-inside: avoid; margin: 0; }
  .chart .sheet:first-of-type { break-before: auto; }
  .chart { break-after: page; }
  .portrait { page: portrait; } .landscape { page: landscape; }
  .diagram { border: none; padding: 0; overflow: visible; }
  .portrait .diagram svg { max-width: 186mm; max-height: 225mm; width: auto; height: auto; }
  .landscape .diagram svg { max-width: 273mm; max-height: 150mm; width: auto; height: auto; }
  table { break-inside: auto; } tr, li.problem { break-inside: avoid; }
  thead { display: table-header-group; }
  h1, h2, h3, h2 + p, h3 + p { break-after: avoid; }
}
"""


def _page(title: str, body: str, lang: str, css: str = "style.css") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{Text("zh-CN", "en")(lang)}">\n<head>\n'
            f'<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{esc(title)}</title>\n<link rel="stylesheet" href="{css}">\n</head>\n'
            f'<body>\n{body}\n</body>\n</html>\n')


def write_report(review: Review, out_dir: str, lang: str, date: str, jobs: int | None = None,
                 ledger: bool = True, inputs: Iterable[str] = (), pdf: bool = False,
                 docx: bool = False) -> Path:
    """Write the report folder ``out_dir`` whole, with ``report.pdf`` and
    ``report.docx`` when asked; returns its path. ``inputs``: the files the run read,
    none of which may be in the folder replaced."""
    from .json_output import chunks
    from .ledger_files import write_csv, write_xlsx
    target = Path(out_dir)
    inputs = list(inputs)
    refuse_folder(target, MARKER, inputs)
    pack = Pack.of(review, lang)
    pictures = chart_pictures([entry.chart for entry in pack.charts], lang, date, jobs,
                              png=docx)
    links = Links(tuple(chart_slug(e.number, e.chart.flowchart.id) for e in pack.charts))

    def build(folder: Path) -> None:
        for name in ("charts", "units"):
            (folder / name).mkdir()
        (folder / "style.css").write_text(STYLE, "utf-8")
        chart_links = links.under("../")
        for entry, drawn, slug in zip(pack.charts, pictures, links.slugs, strict=True):
            (folder / "charts" / slug).write_text(
                _chart_page(pack, entry, drawn, chart_links, lang, date), "utf-8")
        for unit in pack.units:
            (folder / "units" / f"{unit.number:03d}.html").write_text(
                _unit_page(unit, chart_links, lang, date), "utf-8")
        for number, page in enumerate(_file_pages(pack), 1):
            (folder / "files").mkdir(exist_ok=True)
            (folder / "files" / f"{number}.html").write_text(
                _files_page(page, number, chart_links, lang), "utf-8")
        (folder / "index.html").write_text(
            _index(pack, links, lang, date, ledger, pdf, docx), "utf-8")
        (folder / "findings.json").write_bytes(b"".join(chunks(review, lang)))
        if ledger:
            (folder / "ledger.xlsx").write_bytes(write_xlsx(review, lang))
            (folder / "ledger.csv").write_bytes(write_csv(review, lang))
        if pdf:
            from .pdf import write_pdf
            (folder / "report.pdf").write_bytes(write_pdf(pack, pictures, lang, date))
        if docx:
            from .word import write_docx
            (folder / "report.docx").write_bytes(write_docx(pack, pictures, lang, date))

    return replace_folder(target, build, MARKER, inputs)


def _file_pages(pack: Pack) -> list[list[ChartEntry]]:
    """The file list in pages of :data:`FILES_PER_PAGE` charts, ordered by unit; none
    when the whole list fits in the index."""
    if len(pack.charts) <= FILES_PER_PAGE:
        return []
    ordered = sorted(pack.charts, key=lambda entry: (entry.unit, entry.number))
    return [ordered[start:start + FILES_PER_PAGE]
            for start in range(0, len(ordered), FILES_PER_PAGE)]


SECTIONS = (("problems", Text("主要问题", "Main problems")),
            ("figures", Text("总体情况", "Figures")),
            ("units", Text("各单位情况", "Units")),
            ("key-posts", Text("关键岗位", "Key posts")),
            ("files", Text("文件清单", "Files")))


def main_problems(pack: Pack, links: Links, lang: str) -> str:
    """The section the index and the PDF open with: the ranked problems, then the
    charts with drawing faults, apart."""
    shown = pack.main_problems()
    total, faults = len(pack.problems), len(pack.quality)
    intro = Text(
        f"共发现廉政风险问题 {total} 个，按风险等级和涉及的资金、人事、当事人权益排序"
        + (f"，以下是前 {len(shown)} 个；其余见各单位页面。" if total > len(shown) else "。"),
        f"{total} integrity problem(s), ranked by grade and by the money, appointments "
        f"and rights at stake" + (f"; the first {len(shown)} follow, the rest are on "
                                  f"the units' pages." if total > len(shown) else "."))
    quality = pack.quality[:MAIN_QUALITY]
    more = Text(f"共 {faults} 个流程图存在质量问题，以下是前 {len(quality)} 个；其余见各单位页面。",
                f"{faults} chart(s) have drawing faults; the first {len(quality)} follow, "
                f"the rest are on the units' pages.") if faults > len(quality) else \
        Text("流程图画得不完整或不一致，审查结论可能不全：", "Charts drawn incompletely or "
             "inconsistently, whose review may be incomplete:")
    return (f"<p>{esc(intro(lang))}</p>" + problem_list(shown, links, lang)
            + heading(Text("流程图质量问题", "Flowchart quality"), lang, 3)
            + (f"<p>{esc(more(lang))}</p>" if faults else "")
            + quality_list(quality, links, lang))


def _index(pack: Pack, links: Links, lang: str, date: str, ledger: bool, pdf: bool,
           docx: bool) -> str:
    title = REPORT_TITLE(lang)
    figures = pack.figures
    offered = ((pdf, "report.pdf", Text("报告全文（PDF，供印发）",
                                        "The whole report (PDF, to hand out)")),
               (docx, "report.docx", Text("报告全文（Word，供编辑）",
                                          "The whole report (Word, to edit)")),
               (ledger, "ledger.xlsx", Text("风险点台账（Excel）", "Risk ledger (Excel)")),
               (ledger, "ledger.csv", Text("风险点台账（CSV）", "Risk ledger (CSV)")),
               (True, "findings.json", Text("审查数据（JSON，供其他软件读取）",
                                            "Audit data (JSON, for other software)")))
    downloads = [(href, name(lang)) for wanted, href, name in offered if wanted]
    jumps = "".join(f'<a href="#{anchor}">{esc(name(lang))}</a>' for anchor, name in SECTIONS)
    files = "".join(f'<a href="{href}">{esc(name)}</a>' for href, name in downloads)
    meta = Text(f"{date} · 单位 {figures['units']} 个 · 流程图 {figures['flowcharts']} 个",
                f"{date} · {figures['units']} unit(s) · {figures['flowcharts']} flowchart(s)")
    unreadable = ""
    if pack.unreadable:
        items = "".join(f"<li><code>{esc(r.error.describe(lang))}</code></li>"
                        for r in pack.unreadable)
        unreadable = heading(Text("无法读取的文件", "Files that could not be read"), lang,
                             anchor="unreadable") + f"<ul>{items}</ul>"
    if pack.empty:  # drawings with no step on any page or process: why they are not here
        items = "".join(f"<li><code>{esc(w.describe(lang))}</code></li>"
                        for r in pack.empty for w in r.warnings)
        unreadable += heading(Text("没有流程图的文件", "Files with no flowchart"), lang,
                              anchor="empty") + f"<ul>{items}</ul>"
    bodies = Text(f"另有外单位机构 {figures['outside_bodies']} 个（派驻纪检监察组、评标委员会、"
                  f"上级政府等），不计入各单位的风险岗位，列在各单位页面。",
                  f"{figures['outside_bodies']} bodies outside the units (stationed "
                  f"inspection groups, evaluation committees, superior governments …) are not "
                  f"counted among the units' risk posts; each unit's page lists its own.")
    body = (f"<h1>{esc(title)}</h1><p class=\"meta\">{esc(meta(lang))}</p>"
            f"<nav>{jumps}</nav><nav>{files}</nav>"
            + heading(SECTIONS[0][1], lang, anchor="problems") + main_problems(pack, links, lang)
            + heading(SECTIONS[1][1], lang, anchor="figures")
            + f'<div class="figures">{summary_table(pack, lang)}'
            f"<div>{distribution_svg(figures, lang)}</div></div>"
            + heading(SECTIONS[2][1], lang, anchor="units") + unit_table(pack, links, lang)
            + heading(KEY_POSTS, lang,
                      anchor="key-posts") + key_post_table(pack.key_posts(), lang)
            + f"<p>{esc(bodies(lang))}</p>" + rotation_section(pack.review, lang) + unreadable
            + heading(SECTIONS[4][1], lang, anchor="files") + _file_list(pack, links, lang))
    return _page(title, body, lang)


def _file_list(pack: Pack, links: Links, lang: str) -> str:
    """The list of files: the table itself for a small batch, else links to its pages."""
    pages = _file_pages(pack)
    if not pages:
        return chart_table(pack.charts, links, lang, unit=True, path=True)
    names = "".join(
        f'<a href="files/{number}.html">{number}</a>' for number in range(1, len(pages) + 1))
    intro = Text(f"共 {len(pack.charts)} 个流程图，按单位排列，每页 {FILES_PER_PAGE} 个：",
                 f"{len(pack.charts)} flowcharts by unit, {FILES_PER_PAGE} a page:")
    return f'<p>{esc(intro(lang))}</p><nav class="pages">{names}</nav>'


BACK = Text("返回目录", "Back to the index")


def _files_page(entries: list[ChartEntry], number: int, links: Links,
                lang: str) -> str:
    title = Text(f"文件清单 第 {number} 页", f"Files, page {number}")(lang)
    body = (f'<nav><a href="{links.index("files")}">{esc(BACK(lang))}</a></nav>'
            f"<h1>{esc(title)}</h1>" + chart_table(entries, links, lang, unit=True, path=True))
    return _page(title, body, lang, css="../style.css")


def unit_sections(unit: UnitEntry, links: Links, lang: str, level: int = 2,
                  pages: bool = False) -> str:
    """What a unit's page holds, below its title: its problems, key posts, risk posts
    by grade, charts, drawing faults and the bodies outside it."""
    return (heading(Text("主要问题", "Main problems"), lang, level)
            + problem_list(unit.problems, links, lang)
            + heading(Text("关键岗位", "Key posts"), lang, level)
            + key_post_table(unit.key_posts, lang, with_unit=False)
            + heading(Text("风险岗位（按等级）", "Risk posts by grade"), lang, level)
            + risk_post_table(unit, lang)
            + heading(Text("流程图", "Flowcharts"), lang, level)
            + chart_table(unit.charts, links, lang, pages=pages)
            + heading(Text("流程图质量问题", "Flowchart quality"), lang, level)
            + quality_list(unit.quality, links, lang)
            + heading(Text("外单位机构（不计入风险岗位）", "Bodies outside the unit (not counted)"),
                      lang, level) + body_table(unit, lang))


def _unit_page(unit: UnitEntry, links: Links, lang: str, date: str) -> str:
    body = (f'<nav><a href="{links.index("units")}">{esc(BACK(lang))}</a></nav>'
            f"<h1>{esc(unit.name)}</h1><p class=\"meta\">{unit_figures(unit, lang)} · "
            f"{esc(date)}</p>" + unit_sections(unit, links, lang))
    return _page(unit.name, body, lang, css="../style.css")


def sheets(pictures: list[Picture], head: str, image: bool = False) -> str:
    """A chart's diagram pages, each a sheet of its orientation; ``head`` (the title)
    goes on the first. Inline SVG, or with ``image`` an image of it (the PDF's engine
    reads an SVG image several times faster than the same SVG inline, its text still
    text)."""
    parts = []
    for number, picture in enumerate(pictures):
        orientation = "landscape" if picture.landscape else "portrait"
        drawn = picture.svg
        if image:
            data = base64.b64encode(picture.svg.encode("utf-8")).decode("ascii")
            drawn = f'<img src="data:image/svg+xml;base64,{data}" alt="">'
        parts.append(f'<figure class="sheet {orientation}">{head if number == 0 else ""}'
                     f'<div class="diagram">{drawn}</div></figure>')
    return "".join(parts)


def chart_facts(entry: ChartEntry, date: str) -> str:
    fc = entry.chart.flowchart
    return " · ".join(esc(x) for x in (fc.unit, fc.category, entry.path, date) if x)


def chart_sections(pack: Pack, entry: ChartEntry, links: Links, lang: str, level: int = 2,
                   anchors: bool = True) -> str:
    """What follows a chart's diagram: its problems, drawing faults, waived findings,
    risk points and what its reader skipped."""
    fc = entry.chart.flowchart
    waived = waived_table(entry, lang)
    # what the reader skipped: the reviewer must know the diagram held more than this
    warnings = (heading(Text("导入提示", "Import warnings"), lang, level) + "<ul>"
                + "".join(f"<li>{esc(w.describe(lang))}</li>" for w in fc.warnings)
                + "</ul>") if fc.warnings else ""
    return (heading(Text("问题", "Problems"), lang, level)
            + problem_list(entry.problems, links, lang, anchor=anchors)
            + heading(Text("流程图质量问题", "Flowchart quality"), lang, level)
            + chart_faults(entry.quality, lang)
            + (heading(Text("已豁免", "Waived"), lang, level) + waived if waived else "")
            + heading(Text("风险点", "Risk points"), lang, level)
            + risk_point_table(pack, entry, lang, anchors) + warnings)


def _chart_page(pack: Pack, entry: ChartEntry, pictures: list[Picture], links: Links,
                lang: str, date: str) -> str:
    fc = entry.chart.flowchart
    unit = pack.units[entry.unit - 1]
    head = f'<h1>{esc(fc.title)}</h1><p class="meta">{chart_facts(entry, date)}</p>'
    nav = (f'<nav><a href="{links.index()}">{esc(BACK(lang))}</a>'
           f'<a href="{links.unit(unit.number)}">{esc(unit.name)}</a></nav>')
    body = (nav + f'<section class="chart">{sheets(pictures, head)}</section>'
            + chart_sections(pack, entry, links, lang))
    return _page(fc.title, body, lang, css="../style.css")


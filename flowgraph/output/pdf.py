"""The committee pack as one PDF, through WeasyPrint (docs/decisions.md, "The PDF").

One document for the whole batch, in the order a leadership group reads: a cover
(title, units, date), a table of contents with page numbers, the figures and the table
of units, the main problems, then unit by unit (its problems, key posts, risk posts by
grade, charts with the page of each, drawing faults, the bodies outside it) each
followed by its charts, one chart per page or pages (its diagram on pages of their own
orientation, then its problems and risk points), and the ledger as an appendix in
landscape with its header repeated on every page. Every page is A4, numbered, and
headed with its unit. The HTML is built from the same sections as the report's pages
(:mod:`.sections`); CSS paged media does the rest: ``target-counter`` gives the
contents' page numbers, ``string-set`` the running heads, named pages the orientation.

Bytes are the same for the same input and date: the document's date is the report's,
and WeasyPrint writes no time or random identifier of its own.
"""
from __future__ import annotations

from ..errors import FlowgraphError
from ..i18n import Text
from .pack import (
    GRADE_COLUMN,
    KEY_POSTS,
    REPORT_TITLE,
    LedgerTable,
    Pack,
    appendix_note,
    ledger_table,
)
from .pictures import Picture
from .report import chart_facts, chart_sections, main_problems, sheets, unit_sections
from .rotation_section import section as rotation_section
from .sections import (
    Links,
    distribution_svg,
    esc,
    key_post_table,
    summary_table,
    unit_figures,
    unit_table,
)

STYLE = """\
@page { size: A4; margin: 18mm 14mm 16mm;
  @top-left { content: string(unit); font-size: 8pt; color: #595959; }
  @top-right { content: string(title); font-size: 8pt; color: #595959; }
  @bottom-center { content: PAGE_WORDS; font-size: 8pt; color: #595959; } }
@page landscape { size: A4 landscape; margin: 14mm 14mm 14mm; }
@page cover { @top-left { content: none; } @top-right { content: none; }
  @bottom-center { content: none; } }
html { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; font-size: 10pt;
       line-height: 1.45; color: #1f1f1f; }
body { margin: 0; }
.report-title { string-set: title content(); }
h1 { font-size: 16pt; margin: 0 0 4mm; string-set: unit content(); break-after: avoid; }
h2 { font-size: 13pt; margin: 5mm 0 2mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 2mm; break-after: avoid; bookmark-level: none; }
.chart h2 { bookmark-level: 2; }
.toc, .unit, .chart, #problems, #summary, #appendix { break-before: page; }
.meta, .codes, .none { color: #595959; }
.codes { font-size: 8pt; }
a { color: inherit; text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 4mm; font-size: 8.5pt; }
th, td { border: 0.5pt solid #bfbfbf; padding: 1mm 1.5mm; text-align: left;
         vertical-align: top; }
th { background: #f0f0f0; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.n { text-align: right; } td.d { white-space: nowrap; }
.g1 { background: #ff4d4f; } .g2 { background: #ffa940; } .g3 { background: #ffe58f; }
td.g1, td.g2, td.g3, .points th { white-space: nowrap; }
.grade { padding: 0 1mm; font-weight: bold; }
ol.problems { padding-left: 6mm; } li.problem { margin-bottom: 3mm; break-inside: avoid; }
li.problem p { margin: 0.5mm 0; } .statement { font-weight: bold; }
.risk, .path { font-size: 9pt; }
.cover { page: cover; text-align: center; padding-top: 60mm; }
.cover h1 { font-size: 24pt; string-set: title content(); } .cover .units { font-size: 10pt;
  margin: 12mm 10mm; text-align: left; } .cover .date { font-size: 13pt; }
.toc ul { list-style: none; padding: 0; } .toc li { margin: 1mm 0; }
.toc li.sub { padding-left: 6mm; }
.toc a::after, a.page::after { content: target-counter(attr(href), page); }
.toc a::after { content: leader(".") target-counter(attr(href), page); }
.figures { display: flex; gap: 8mm; align-items: flex-start; }
.figures table { width: auto; }
.sheet { margin: 0; break-inside: avoid; }
.sheet + .sheet { break-before: page; }
.portrait { page: auto; } .landscape { page: landscape; }
.landscape + * { break-before: page; }
.diagram { text-align: center; }
.portrait .diagram img { max-width: 182mm; max-height: 225mm; }
.landscape .diagram img { max-width: 269mm; max-height: 150mm; }
#appendix { page: landscape; }
#appendix table { font-size: 8pt; }
#appendix th { white-space: nowrap; }
#appendix th:nth-child(-n+4) { width: 8%; }
#appendix th:nth-child(6) { width: 24%; } #appendix th:nth-child(8) { width: 22%; }
.points th:nth-child(1) { width: 20%; } .points th:nth-child(2) { width: 14%; }
"""


def _style(lang: str) -> str:
    words = Text('"第 " counter(page) " 页，共 " counter(pages) " 页"',
                 '"Page " counter(page) " of " counter(pages)')(lang)
    return STYLE.replace("PAGE_WORDS", words)


def _cover(pack: Pack, lang: str, date: str) -> str:
    names = Text("、", ", ")(lang).join(unit.name for unit in pack.units)
    count = Text(f"单位 {len(pack.units)} 个，流程图 {len(pack.charts)} 个：",
                 f"{len(pack.units)} unit(s), {len(pack.charts)} flowchart(s): ")(lang)
    return (f'<section class="cover"><h1 class="report-title">{esc(REPORT_TITLE(lang))}</h1>'
            f'<p class="units">{esc(count)}{esc(names)}</p>'
            f'<p class="date">{esc(date)}</p></section>')


SUMMARY = Text("总体情况", "Figures")
PROBLEMS = Text("主要问题", "Main problems")
APPENDIX = Text("附录：风险点台账", "Appendix: the risk ledger")


def _contents(pack: Pack, lang: str) -> str:
    """The table of contents: the parts, then every unit, with their page numbers."""
    items = [f'<li><a href="#summary">{esc(SUMMARY(lang))}</a></li>',
             f'<li><a href="#problems">{esc(PROBLEMS(lang))}</a></li>']
    items += [f'<li class="sub"><a href="#unit-{unit.number}">{esc(unit.name)}</a></li>'
              for unit in pack.units]
    items.append(f'<li><a href="#appendix">{esc(APPENDIX(lang))}</a></li>')
    return (f'<nav class="toc"><h1>{esc(Text("目录", "Contents")(lang))}</h1>'
            f'<ul>{"".join(items)}</ul></nav>')


def _summary(pack: Pack, links: Links, lang: str) -> str:
    return (f'<section id="summary"><h1>{esc(SUMMARY(lang))}</h1>'
            f'<div class="figures">{summary_table(pack, lang)}'
            f"<div>{distribution_svg(pack.figures, lang)}</div></div>"
            f'<h2>{esc(Text("各单位情况", "Units")(lang))}</h2>'
            + unit_table(pack, links, lang, pages=True)
            + f"<h2>{esc(KEY_POSTS(lang))}</h2>"
            f"{key_post_table(pack.key_posts(), lang)}"
            + rotation_section(pack.review, lang) + "</section>")


def _unit(pack: Pack, unit, pictures: list[list[Picture]], links: Links, lang: str,
          date: str) -> str:
    """A unit's section, then each of its charts from a new page."""
    parts = [f'<section class="unit" id="unit-{unit.number}"><h1>{esc(unit.name)}</h1>'
             f'<p class="meta">{unit_figures(unit, lang)}</p>'
             + unit_sections(unit, links, lang, pages=True) + "</section>"]
    for entry in unit.charts:
        head = (f"<h2>{esc(entry.title)}</h2>"
                f'<p class="meta">{chart_facts(entry, date)}</p>')
        parts.append(f'<section class="chart" id="chart-{entry.number}">'
                     + sheets(pictures[entry.number - 1], head, image=True)
                     + chart_sections(pack, entry, links, lang, level=3, anchors=False)
                     + "</section>")
    return "".join(parts)


def _appendix(table: LedgerTable, lang: str) -> str:
    head = "".join(f"<th>{esc(name)}</th>" for name in table.head)
    rows = "".join(
        "<tr>" + "".join(
            f'<td class="g{grade}">{esc(cell)}</td>' if i == GRADE_COLUMN and grade else
            f"<td>{esc(cell)}</td>".replace("\n", "<br>") for i, cell in enumerate(cells))
        + "</tr>" for cells, grade in zip(table.rows, table.grades, strict=True))
    note = appendix_note(table)
    return (f'<section id="appendix"><h1>{esc(APPENDIX(lang))}</h1>'
            + (f"<p>{esc(note(lang))}</p>" if note else "")
            + f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></section>")


def document(pack: Pack, pictures: list[list[Picture]], lang: str, date: str) -> str:
    """The PDF's HTML: every part of the pack in one document, linked by anchors."""
    links = Links(tuple(str(entry.number) for entry in pack.charts), document=True)
    body = (_cover(pack, lang, date) + _contents(pack, lang) + _summary(pack, links, lang)
            + f'<section id="problems"><h1>{esc(PROBLEMS(lang))}</h1>'
            + main_problems(pack, links, lang) + "</section>"
            + "".join(_unit(pack, unit, pictures, links, lang, date) for unit in pack.units)
            + _appendix(ledger_table(pack.review, lang), lang))
    return (f'<!DOCTYPE html><html lang="{Text("zh-CN", "en")(lang)}"><head>'
            f'<meta charset="utf-8"><title>{esc(REPORT_TITLE(lang))}</title>'
            f'<meta name="dcterms.created" content="{esc(date)}">'
            f'<meta name="dcterms.modified" content="{esc(date)}">'
            f'<meta name="generator" content="flowgraph">'
            f"<style>{_style(lang)}</style></head><body>{body}</body></html>")


#: What the engine's process runs: the HTML on standard input, the PDF on standard
#: output; WeasyPrint's log of the CSS it ignores kept quiet.
_ENGINE = """\
import logging, sys
logging.getLogger("weasyprint").setLevel(logging.ERROR)
from weasyprint import HTML
sys.stdout.buffer.write(HTML(string=sys.stdin.buffer.read().decode("utf-8")).write_pdf())
"""


def available() -> bool:
    """Whether WeasyPrint is installed (``pip install 'flowgraph[pdf]'``)."""
    import importlib.util
    return importlib.util.find_spec("weasyprint") is not None


#: The system libraries WeasyPrint loads, with the Debian packages that hold them.
LIBRARIES = {"pango-1.0": "libpango-1.0-0", "pangoft2-1.0": "libpangoft2-1.0-0"}


def missing_packages() -> list[str]:
    """The Debian packages of :data:`LIBRARIES` whose library the system lacks: without
    them WeasyPrint fails on import, after the whole report was drawn."""
    from ctypes.util import find_library
    return [package for library, package in LIBRARIES.items() if not find_library(library)]


def write_pdf(pack: Pack, pictures: list[list[Picture]], lang: str, date: str) -> bytes:
    """The pack as PDF bytes, made by WeasyPrint in a process of its own: the
    pygraphviz wheel brings its own Pango and GLib, and a second GLib type system in
    the process that drew the diagrams aborts WeasyPrint's."""
    import subprocess
    import sys
    source = document(pack, pictures, lang, date).encode("utf-8")
    done = subprocess.run([sys.executable, "-I", "-c", _ENGINE], input=source,
                          capture_output=True, check=False)
    if done.returncode:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
        raise FlowgraphError(Text(f"无法生成 PDF: {last}", f"cannot make the PDF: {last}"),
                             "report.pdf")
    return done.stdout

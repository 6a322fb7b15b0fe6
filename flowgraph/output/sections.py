"""The HTML of the committee pack's sections, shared by the report's pages and the PDF.

Each function returns a fragment of HTML for one part of a :class:`~.pack.Pack` (the
main problems, the figures, the table of units, a unit's posts, a chart's risk points
…). Links go through :class:`Links`, which knows whether the fragment lands in the
report folder (files: ``units/003.html``, ``charts/0012-fee.html#step-decide``) or in
the one document the PDF is made from (anchors: ``#unit-3``, ``#chart-12``). Every text
from a flowchart is escaped and its hidden characters shown
(:func:`~flowgraph.files.printable`).
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from ..files import printable, safe_name
from ..i18n import Text
from ..vocabulary import GRADE_NAMES, GRADES, grade_name
from .pack import UNIT_HEAD, ChartEntry, Pack, UnitEntry, summary_rows, unit_cells
from .problems import Problem, Quality, fault_words

NONE = Text("无", "None")
NO_PROBLEMS = Text("未发现廉政风险问题", "No integrity problems found")
NO_FAULTS = Text("未发现流程图质量问题", "No drawing faults")


def esc(value) -> str:
    """Text for HTML: markup escaped, hidden characters shown (:func:`printable`)."""
    return html.escape(printable("" if value is None else str(value)), quote=True)


def chart_slug(number: int, flowchart_id: str) -> str:
    """The file name of a flowchart's page: its number (unique, in batch order) and its
    id made safe (:func:`~flowgraph.files.safe_name`)."""
    return f"{number:04d}-{safe_name(flowchart_id)}.html"


@dataclass(frozen=True)
class Links:
    """Where the parts of the pack are, seen from the page being written: ``prefix``
    leads from that page to the folder's top (``""`` or ``"../"``); ``document`` means
    everything is one document (the PDF), linked by anchors."""

    slugs: tuple[str, ...]
    prefix: str = ""
    document: bool = False

    def chart(self, number: int, step: str | None = None) -> str:
        if self.document:
            return f"#chart-{number}"
        anchor = f"#step-{quote(step)}" if step else ""
        return f"{self.prefix}charts/{quote(self.slugs[number - 1])}{anchor}"

    def unit(self, number: int) -> str:
        return f"#unit-{number}" if self.document else f"{self.prefix}units/{number:03d}.html"

    def index(self, section: str = "") -> str:
        anchor = f"#{section}" if section else ""
        if self.document:
            return anchor or "#"
        return f"{self.prefix}index.html{anchor}"

    def under(self, prefix: str) -> Links:
        """The same links seen from a page ``prefix`` deeper."""
        return Links(self.slugs, prefix, self.document)


def grade_cell(grade: int | None, lang: str) -> str:
    if grade is None:
        return "<td></td>"
    return f'<td class="g{grade}">{esc(grade_name(grade, lang))}</td>'


def table(head: Iterable[Text], rows: Iterable[str], lang: str, css: str = "") -> str:
    """A table with its heading row in ``lang`` (repeated on each printed page) and
    body rows already rendered."""
    cells = "".join(f"<th>{esc(text(lang))}</th>" for text in head)
    attribute = f' class="{css}"' if css else ""
    return (f"<table{attribute}><thead><tr>{cells}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def heading(text: Text, lang: str, level: int = 2, anchor: str = "") -> str:
    attribute = f' id="{anchor}"' if anchor else ""
    return f"<h{level}{attribute}>{esc(text(lang))}</h{level}>"


def none(lang: str) -> str:
    return f'<p class="none">{esc(NONE(lang))}</p>'


# -- problems --------------------------------------------------------------------------

SEE_CHART = Text("查看流程图", "See the chart")
PATH = Text("经过的环节：", "Steps on the way: ")
RULES = Text("规则：", "Rules: ")


def problem_item(problem: Problem, links: Links, lang: str, anchor: bool = False) -> str:
    """One problem: its grade, its sentence, what can go wrong, the path that proves
    it (once, shortened), a link to its chart, and its rule codes last."""
    grade = problem.grade
    badge = f'<span class="grade g{grade}">{esc(GRADE_NAMES[grade](lang))}</span> ' \
        if grade else ""
    risk = problem.risk_text(lang)
    parts = [f'<p class="statement">{badge}{esc(problem.statement(lang))}</p>']
    if risk:
        parts.append(f'<p class="risk">{esc(risk)}</p>')
    parts += [f'<p class="path">{esc(PATH(lang))}{esc(path(lang))}</p>'
              for path in problem.paths()]
    parts.append(f'<p class="more"><a href="{esc(links.chart(problem.number, problem.step))}">'
                 f'{esc(SEE_CHART(lang))}</a> <span class="codes">{esc(RULES(lang))}'
                 f'{esc(problem.codes())}</span></p>')
    attribute = f' id="problem-{esc(problem.step)}"' if anchor else ""
    return f'<li class="problem"{attribute}>{"".join(parts)}</li>'


def problem_list(problems: list[Problem], links: Links, lang: str,
                 anchor: bool = False) -> str:
    if not problems:
        return f'<p class="none">{esc(NO_PROBLEMS(lang))}</p>'
    items = "".join(problem_item(p, links, lang, anchor) for p in problems)
    return f'<ol class="problems">{items}</ol>'


def quality_list(faults: list[Quality], links: Links, lang: str) -> str:
    """Charts with drawing faults, one sentence each, linked to the chart."""
    if not faults:
        return f'<p class="none">{esc(NO_FAULTS(lang))}</p>'
    items = "".join(f'<li><a href="{esc(links.chart(q.number))}">{esc(q.sentence(lang))}</a></li>'
                    for q in faults)
    return f'<ul class="quality">{items}</ul>'


def chart_faults(fault: Quality | None, lang: str) -> str:
    """A chart's drawing faults, each kind with the steps it names."""
    if fault is None:
        return f'<p class="none">{esc(NO_FAULTS(lang))}</p>'
    fc = fault.chart.flowchart
    by_rule: dict[str, list[str]] = {}
    for finding in fault.findings:
        by_rule.setdefault(finding.rule, []).extend(fc.steps[s].label for s in finding.steps)
    items = []
    for rule, labels in by_rule.items():
        count = sum(f.rule == rule for f in fault.findings)
        named = Text("、", ", ")(lang).join(f"“{label}”" if lang == "zh" else f"'{label}'"
                                             for label in dict.fromkeys(labels))
        items.append(f"<li>{esc(fault_words(rule, count)(lang))}{'：' if lang == 'zh' else ': '}"
                     f"{esc(named)} <span class=\"codes\">{esc(rule)}</span></li>"
                     if named else f"<li>{esc(fault_words(rule, count)(lang))} "
                     f"<span class=\"codes\">{esc(rule)}</span></li>")
    return f'<ul class="quality">{"".join(items)}</ul>'


# -- figures and units -----------------------------------------------------------------

def summary_table(pack: Pack, lang: str) -> str:
    rows = "".join(f'<tr><td>{esc(name)}</td><td class="n">{esc(value)}</td></tr>'
                   for name, value in summary_rows(pack, lang))
    head = (Text("项目", "Figure"), Text("数量", "Count"))
    return table(head, [rows], lang, "figures-table")


def distribution_svg(figures: dict, lang: str) -> str:
    """Bars of risk posts and risk points by grade, as an inline SVG."""
    groups = [(Text("风险岗位", "Risk posts")(lang), figures["risk_posts"]),
              (Text("风险点", "Risk points")(lang), figures["risk_points"])]
    top = max([1] + [counts[str(g)] for _, counts in groups for g in GRADES])
    colours = {1: "#ff4d4f", 2: "#ffa940", 3: "#ffe58f"}
    width, height, bar, gap = 420, 220, 34, 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{esc(Text("风险等级分布", "Grades")(lang))}" '
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
                         f'{esc(GRADE_NAMES[grade](lang))}</text>')
            x += bar + gap
        parts.append(f'<text x="{x - 2 * (bar + gap) + bar / 2 - gap / 2:g}" y="206" '
                     f'text-anchor="middle" font-weight="bold">{esc(name)}</text>')
        x += 40
    parts.append("</svg>")
    return "".join(parts)


def unit_table(pack: Pack, links: Links, lang: str, pages: bool = False) -> str:
    """The per-unit table: charts, risk posts by grade, key posts, problems; each unit
    links to its page (with its page number in the PDF: ``pages``)."""
    head = UNIT_HEAD + ((Text("页码", "Page"),) if pages else ())
    rows = []
    for unit in pack.units:
        href = esc(links.unit(unit.number))
        cells = "".join(f'<td class="n">{value}</td>' for value in unit_cells(unit))
        page = f'<td class="n"><a class="page" href="{href}"></a></td>' if pages else ""
        rows.append(f'<tr><td><a href="{href}">{esc(unit.name)}</a></td>{cells}{page}</tr>')
    return table(head, rows, lang, "units")


KEY_POST_HEAD = (Text("单位", "Unit"), Text("岗位", "Post"), Text("岗位等级", "Post grade"),
                 Text("责任领导", "Responsible leader"), Text("为什么是关键岗位", "Why a key post"))
POST_HEAD = (Text("岗位", "Post"), Text("岗位等级", "Post grade"),
             Text("责任领导", "Responsible leader"), Text("所在流程图", "Flowcharts"),
             Text("风险点", "Risk points"), Text("关键岗位", "Key post"))
BODY_HEAD = (Text("外单位机构", "Body outside the unit"), Text("为什么不计入", "Why not counted"),
             Text("所在流程图", "Flowcharts"))


def key_post_table(posts, lang: str, with_unit: bool = True) -> str:
    """Key posts (权力集中的岗位) with their grade, leader and why each is one."""
    if not posts:
        return none(lang)
    head = KEY_POST_HEAD if with_unit else KEY_POST_HEAD[1:]
    rows = [(f"<tr><td>{esc(p.unit)}</td>" if with_unit else "<tr>")
            + f"<td>{esc(p.name)}</td>{grade_cell(p.grade, lang)}"
            f"<td>{esc(p.responsible(lang) if p.responsible else '')}</td>"
            f"<td>{esc(Text('；', '; ')(lang).join(r(lang) for r in p.key_post_reasons))}</td></tr>"
            for p in posts]
    return table(head, rows, lang)


def risk_post_table(unit: UnitEntry, lang: str) -> str:
    """The unit's risk posts, highest grade first."""
    posts = unit.risk_posts()
    if not posts:
        return none(lang)
    yes = Text("是", "yes")(lang)
    rows = [f"<tr><td>{esc(p.name)}</td>{grade_cell(p.grade, lang)}"
            f"<td>{esc(p.responsible(lang) if p.responsible else '')}</td>"
            f'<td class="n">{len(p.flowcharts)}</td><td class="n">{p.risk_points}</td>'
            f"<td>{yes if p.is_key_post else ''}</td></tr>" for p in posts]
    return table(POST_HEAD, rows, lang)


def body_table(unit: UnitEntry, lang: str) -> str:
    if not unit.bodies:
        return none(lang)
    rows = [f"<tr><td>{esc(b.name)}</td><td>{esc(b.reason(lang))}</td>"
            f'<td class="n">{len(b.flowcharts)}</td></tr>' for b in unit.bodies]
    return table(BODY_HEAD, rows, lang)


CHART_HEAD = (Text("权力事项", "Power item"), Text("类别", "Category"),
              Text("最高等级", "Highest grade"), Text("一级", "Grade 1"), Text("二级", "Grade 2"),
              Text("三级", "Grade 3"), Text("廉政风险问题", "Integrity problems"),
              Text("质量问题", "Drawing faults"))


def chart_rows(entries: list[ChartEntry], links: Links, lang: str, unit: bool = False,
               path: bool = False, pages: bool = False) -> list[str]:
    """Rows of a table of charts: power item (linked), its unit and file when asked,
    category, worst grade, risk points by grade, problems, and the page in the PDF."""
    rows = []
    for entry in entries:
        fc = entry.chart.flowchart
        counts = entry.counts()
        href = esc(links.chart(entry.number))
        faults = len(entry.quality.findings) if entry.quality else 0
        rows.append(
            f'<tr><td><a href="{href}">{esc(fc.title)}</a></td>'
            + (f"<td>{esc(fc.unit)}</td>" if unit else "")
            + f"<td>{esc(fc.category)}</td>{grade_cell(entry.worst(), lang)}"
            + "".join(f'<td class="n">{counts[g]}</td>' for g in GRADES)
            + f'<td class="n">{len(entry.problems)}</td><td class="n">{faults}</td>'
            + (f"<td>{esc(entry.path)}</td>" if path else "")
            + (f'<td class="n"><a class="page" href="{href}"></a></td>' if pages else "")
            + "</tr>")
    return rows


def chart_table(entries: list[ChartEntry], links: Links, lang: str, unit: bool = False,
                path: bool = False, pages: bool = False) -> str:
    head = list(CHART_HEAD)
    if unit:
        head.insert(1, Text("单位", "Unit"))
    if path:
        head.append(Text("文件", "File"))
    if pages:
        head.append(Text("页码", "Page"))
    return table(head, chart_rows(entries, links, lang, unit, path, pages), lang, "charts")


def unit_figures(unit: UnitEntry, lang: str) -> str:
    """A unit's counts in one line (:meth:`~.pack.UnitEntry.summary`), escaped."""
    return esc(unit.summary()(lang))


# -- a chart's risk points ----------------------------------------------------------------

POINT_HEAD = (Text("环节", "Step"), Text("岗位", "Post"), Text("建议等级", "Suggested"),
              Text("申报等级", "Declared"), Text("理由", "Reasons"),
              Text("责任领导", "Responsible leader"))


def risk_point_table(pack: Pack, entry: ChartEntry, lang: str, anchors: bool) -> str:
    """A chart's risk points: post, suggested and declared grade, reasons, leader. With
    ``anchors`` each row is ``#grade-<step>`` and links to its step in the diagram."""
    rows = []
    for point in pack.risk_points(entry):
        label = f'<a href="#step-{esc(point.step)}">{esc(point.label)}</a>' if anchors \
            else esc(point.label)
        attribute = f' id="grade-{esc(point.step)}"' if anchors else ""
        rows.append(f"<tr{attribute}><td>{label}</td><td>{esc(point.post)}"
                    f"</td>{grade_cell(point.grade, lang)}"
                    f"<td>{esc(grade_name(point.declared, lang))}</td>"
                    f"<td>{esc(point.reasons_text(lang))}</td>"
                    f"<td>{esc(point.leader(lang) if point.leader else '')}</td></tr>")
    return table(POINT_HEAD, rows, lang, "points") if rows else none(lang)


WAIVED_HEAD = (Text("环节", "Steps"), Text("问题", "Finding"), Text("豁免理由", "Why waived"))


def waived_table(entry: ChartEntry, lang: str) -> str:
    """The chart's waived findings: what the rule looks for, where, and why waived."""
    from ..rules import BY_CODE
    fc = entry.chart.flowchart
    rows = []
    for finding in entry.chart.findings:
        if not finding.waived:
            continue
        known = BY_CODE.get(finding.rule)
        what = known.summary(lang) if known else finding.rule
        steps = Text("、", ", ")(lang).join(fc.steps[s].label for s in finding.steps)
        rows.append(f"<tr><td>{esc(steps)}</td><td>{esc(what)} "
                    f'<span class="codes">{esc(finding.rule)}</span></td>'
                    f"<td>{esc(finding.waiver_reason)}</td></tr>")
    return table(WAIVED_HEAD, rows, lang) if rows else ""

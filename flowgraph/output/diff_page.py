"""``flowgraph diff --html DIR``: the comparison as an offline page in the report's style.

``index.html`` leads with the totals and the verdict, lists the charts added and
removed, then gives each chart that changed its two annotated diagrams side by side
(before on the left, after on the right) with the changes outlined: steps added in
green on the new diagram, steps removed dashed red on the old one, steps whose grade
changed in purple on both; below them, the risk points, grade changes (with the
reasons of both grades) and findings that changed; last, the posts gained and lost.
It shares the committee report's style, escaping and Content-Security-Policy
(:mod:`flowgraph.output.report`): no scripts, nothing fetched, every text from a chart
escaped. The folder is built beside its destination and moved into place whole, and
the same input and date give the same bytes.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..comparison import ChartChange, ChartRef, Comparison, FindingRef, StepRef
from ..files import replace_folder
from ..i18n import Text
from ..model import reasons_text
from ..vocabulary import SEVERITY_NAMES
from .diff import verdict_line
from .report import STYLE, _page
from .sections import esc as _e
from .sections import grade_cell as _grade_cell
from .sections import heading as _heading
from .sections import table as _table

MARKER = ".flowgraph-diff"
#: How a changed step is outlined: (colour, Graphviz style added, CSS border).
MARKS = {
    "added": ("#389e0d", "", "3px solid #389e0d"),
    "removed": ("#cf1322", "dashed", "3px dashed #cf1322"),
    "regraded": ("#722ed1", "", "3px solid #722ed1"),
}
LEGEND = {"added": Text("新增的环节（现）", "step added (after)"),
          "removed": Text("删除的环节（原）", "step removed (before)"),
          "regraded": Text("等级变化的环节", "step whose grade changed")}
PAGE_STYLE = STYLE + """\
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.pair figure { margin: 0; } .pair figcaption { font-weight: bold; margin-bottom: .3rem; }
.legend span { display: inline-block; margin-right: 1.2rem; padding: 0 .4rem; }
.verdict { font-weight: bold; } .alarm { color: #cf1322; }
.up { color: #cf1322; } .down { color: #389e0d; }
@media print { .pair { grid-template-columns: 1fr 1fr; } }
"""
TITLE = Text("流程图前后对比", "Flowcharts before and after")
CHART_HEAD = (Text("权力事项", "Power item"), Text("单位", "Unit"), Text("文件", "File"),
              Text("一级", "Grade 1"), Text("二级", "Grade 2"), Text("三级", "Grade 3"),
              Text("问题", "Findings"))
STEP_HEAD = (Text("变化", "Change"), Text("环节", "Step"), Text("岗位", "Post"),
             Text("原等级", "Before"), Text("现等级", "After"), Text("理由", "Reasons"))
FINDING_HEAD = (Text("变化", "Change"), Text("规则", "Rule"), Text("严重程度", "Severity"),
                Text("环节", "Steps"), Text("说明", "Message"))
#: The rows of the summary table: the comparison's counts in words.
COUNT_NAMES = {
    "charts_added": Text("新增的流程图", "Charts added"),
    "charts_removed": Text("删除的流程图", "Charts removed"),
    "charts_changed": Text("有变化的流程图", "Charts changed"),
    "charts_unchanged": Text("未变的流程图", "Charts unchanged"),
    "risk_points_added": Text("新增风险点", "Risk points added"),
    "risk_points_removed": Text("删除风险点", "Risk points removed"),
    "steps_added": Text("新增的其他环节", "Other steps added"),
    "steps_removed": Text("删除的其他环节", "Other steps removed"),
    "grades_up": Text("等级上升", "Grades up"),
    "grades_down": Text("等级下降", "Grades down"),
    "findings_new": Text("新问题", "New findings"),
    "findings_resolved": Text("已解决的问题", "Findings resolved"),
    "posts_gained": Text("新增岗位", "Posts gained"),
    "posts_lost": Text("减少岗位", "Posts lost"),
}
POST_HEAD = (Text("变化", "Change"), Text("单位", "Unit"), Text("岗位", "Post"),
             Text("岗位等级", "Post grade"))


def write_page(comparison: Comparison, out_dir: str, lang: str, date: str,
               inputs: Iterable[str] = ()) -> Path:
    """Write the folder ``out_dir`` (``index.html``, ``style.css``) whole; returns its
    path. ``inputs``: the files the run read, none of which may be in it."""
    changed = comparison.of_status("changed")
    diagrams = [_diagrams(change, lang, date) for change in changed]
    body = (f"<h1>{_e(TITLE(lang))}</h1><p class=\"meta\">{_e(comparison.old)} → "
            f"{_e(comparison.new)} · {_e(date)} · flowgraph</p>"
            + _summary(comparison, changed, lang)
            + "".join(_chart_section(number, change, pair, lang)
                      for number, (change, pair) in enumerate(zip(changed, diagrams,
                                                                  strict=True), 1))
            + _posts(comparison, lang))
    page = _page(TITLE(lang), body, lang)

    def build(folder: Path) -> None:
        (folder / "style.css").write_text(PAGE_STYLE, "utf-8")
        (folder / "index.html").write_text(page, "utf-8")

    return replace_folder(Path(out_dir), build, MARKER, list(inputs))


def _summary(comparison: Comparison, changed: list[ChartChange], lang: str) -> str:
    """The totals, the verdict, the charts added and removed, links to those changed."""
    css = "verdict alarm" if comparison.alarms else "verdict"
    counts = comparison.counts()
    rows = "".join(f'<tr><td>{_e(name(lang))}</td><td class="n">{counts[key]}</td></tr>'
                   for key, name in COUNT_NAMES.items())
    parts = [_heading(Text("总体情况", "Summary"), lang),
             f'<p class="{css}">{_e(verdict_line(comparison, lang))}</p>',
             f'<div class="figures"><table>{rows}</table></div>']
    for status, heading in (("added", Text("新增的流程图", "Charts added")),
                            ("removed", Text("删除的流程图", "Charts removed"))):
        changes = comparison.of_status(status)
        if changes:
            parts.append(_heading(heading, lang)
                         + _table(CHART_HEAD, [_chart_row(c) for c in changes], lang))
    if changed:
        links = "".join(f'<li><a href="#chart-{number}">{_e(_title(change.new, lang))}</a></li>'
                        for number, change in enumerate(changed, 1))
        parts.append(_heading(Text("有变化的流程图", "Charts changed"), lang)
                     + f"<ul>{links}</ul>")
    return "".join(parts)


def _title(ref: ChartRef, lang: str) -> str:
    """``标题（单位）`` / ``title (unit)``."""
    return Text(f"{ref.title}（{ref.unit}）", f"{ref.title} ({ref.unit})")(lang) \
        if ref.unit else ref.title


def _chart_row(change: ChartChange) -> str:
    """A chart added or removed: its risk points by grade and its open findings."""
    added = change.status == "added"
    ref = change.new if added else change.old
    points = change.points_added if added else change.points_removed
    findings = change.findings_new if added else change.findings_resolved
    counts = "".join(f'<td class="n">{sum(p.grade == g for p in points)}</td>'
                     for g in (1, 2, 3))
    return (f"<tr><td>{_e(ref.title)}</td><td>{_e(ref.unit)}</td><td>{_e(ref.file)}</td>"
            f'{counts}<td class="n">{len(findings)}</td></tr>')


def _diagrams(change: ChartChange, lang: str, date: str) -> tuple[str, str]:
    """The old and new diagrams of a changed chart as inline SVG, changes outlined."""
    marks_old = {s.step: "removed" for s in change.points_removed + change.steps_removed}
    marks_new = {s.step: "added" for s in change.points_added + change.steps_added}
    marks_old.update({r.old.step: "regraded" for r in change.regraded})
    marks_new.update({r.new.step: "regraded" for r in change.regraded})
    return (_svg(change.old_chart, marks_old, lang, date),
            _svg(change.new_chart, marks_new, lang, date))


def _svg(chart, marks: dict[str, str], lang: str, date: str) -> str:
    """One annotated diagram (:mod:`flowgraph.output.render`) with steps outlined."""
    from .render import DiagramOptions, diagram, draw, inline_svg
    graph = diagram(chart.flowchart, chart.findings, chart.grades,
                    DiagramOptions(date=date, lang=lang))
    for step_id, mark in marks.items():
        colour, style, _ = MARKS[mark]
        node = graph.get_node(step_id)
        node.attr.update(color=colour, penwidth="4",
                         style=",".join(filter(None, [node.attr.get("style"), style])))
    return inline_svg(draw(graph, "svg"))


def _legend(lang: str) -> str:
    """What the outlines mean, drawn as they are drawn."""
    return '<p class="legend">' + "".join(
        f'<span style="border: {MARKS[mark][2]}">{_e(text(lang))}</span>'
        for mark, text in LEGEND.items()) + "</p>"


def _chart_section(number: int, change: ChartChange, pair: tuple[str, str],
                   lang: str) -> str:
    """A changed chart: heading, legend, diagrams side by side, tables of changes."""
    old, new = change.old, change.new
    was = Text(f"（原为{_title(old, lang)}）", f" (was {_title(old, lang)})")(lang) \
        if change.renamed else ""
    figures = "".join(
        f"<figure><figcaption>{_e(caption(lang))} · {_e(ref.file)}</figcaption>"
        f'<div class="diagram">{svg}</div></figure>'
        for caption, ref, svg in ((Text("原", "Before"), old, pair[0]),
                                  (Text("现", "After"), new, pair[1])))
    steps = _step_rows(change, lang)
    findings = [_finding_row(Text("新问题", "new"), f, f.severity, lang)
                for f in change.findings_new]
    findings += [_finding_row(Text("已解决", "resolved"), f, "down", lang)
                 for f in change.findings_resolved]
    return (f'<section class="chart" id="chart-{number}">'
            f"<h2>{_e(_title(new, lang))}{_e(was)}</h2>{_legend(lang)}"
            f'<div class="pair">{figures}</div>'
            + (_table(STEP_HEAD, steps, lang) if steps else "")
            + (_table(FINDING_HEAD, findings, lang) if findings else "")
            + "</section>")


def _step_rows(change: ChartChange, lang: str) -> list[str]:
    """Risk points and steps added and removed, and grade changes with both reasons."""
    rows = [_step_row(Text("新增风险点", "risk point added"), None, s, lang)
            for s in change.points_added]
    rows += [_step_row(Text("删除风险点", "risk point removed"), s, None, lang)
             for s in change.points_removed]
    rows += [_step_row(Text("新增环节", "step added"), None, s, lang)
             for s in change.steps_added]
    rows += [_step_row(Text("删除环节", "step removed"), s, None, lang)
             for s in change.steps_removed]
    rows += [_step_row(Text("等级上升", "grade up") if r.up else Text("等级下降", "grade down"),
                       r.old, r.new, lang) for r in change.regraded]
    return rows


def _reasons(step: StepRef, lang: str) -> str:
    return reasons_text(step.reasons, lang)


def _step_row(what: Text, old: StepRef | None, new: StepRef | None, lang: str) -> str:
    """One step that changed: before and after, with the reasons of each grade."""
    step = new or old
    reasons = [_reasons(step, lang)]
    if old and new:
        reasons = [Text(f"原：{_reasons(old, 'zh')}", f"before: {_reasons(old, 'en')}")(lang),
                   Text(f"现：{_reasons(new, 'zh')}", f"after: {_reasons(new, 'en')}")(lang)]
    return (f"<tr><td>{_e(what(lang))}</td><td>{_e(step.label)}</td><td>{_e(step.post)}</td>"
            f"{_grade_cell(old.grade if old else None, lang)}"
            f"{_grade_cell(new.grade if new else None, lang)}"
            f"<td>{'<br>'.join(_e(text) for text in reasons)}</td></tr>")


def _finding_row(what: Text, finding: FindingRef, css: str, lang: str) -> str:
    """One finding new (``css``: its severity's colour) or resolved (green), and
    whether it is still there, waived."""
    waived = f" ({_e(Text('仍在，已豁免', 'still there, waived')(lang))})" \
        if finding.waived else ""
    return (f'<tr class="{css}"><td>{_e(what(lang))}{waived}</td>'
            f"<td>{_e(finding.rule)}</td><td>{_e(SEVERITY_NAMES[finding.severity](lang))}</td>"
            f"<td>{_e('、'.join(finding.labels))}</td><td>{_e(finding.message(lang))}</td></tr>")


def _posts(comparison: Comparison, lang: str) -> str:
    """The posts gained and lost, with their grades over their units."""
    rows = [f"<tr><td>{_e(what(lang))}</td><td>{_e(post.unit)}</td><td>{_e(post.name)}</td>"
            f"{_grade_cell(post.grade, lang)}</tr>"
            for what, posts in ((Text("新增岗位", "gained"), comparison.posts_gained),
                                (Text("减少岗位", "lost"), comparison.posts_lost))
            for post in posts]
    if not rows:
        return ""
    return _heading(Text("岗位变化", "Posts gained and lost"), lang) + _table(POST_HEAD, rows, lang)

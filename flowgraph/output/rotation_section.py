"""The report's section on the programme over time: the people in the posts.

With a roster (在岗人员名册), the committee reads who holds the risky posts, who is due
for rotation (轮岗) or will be within months, whose integrity commitment (岗位廉政承诺书)
is missing, which risk posts nobody in the roster holds, which rows of the roster
match no post and which units it leaves out. :func:`section` returns that as one HTML
fragment for the report's index page, in the report's own classes (tables, ``n`` for
numbers, ``d`` for dates and times kept on one line, ``g1``–``g3`` for grades,
``error``/``warning``/``info`` for severities), so that the report places it with one
call. Without a roster it is empty.

Every text from the roster or the charts is escaped (a name such as ``<script>`` is
shown as written, never run) and its hidden characters shown
(:func:`~flowgraph.files.printable`); with ``--no-names`` people are their roles.
"""
from __future__ import annotations

import html

from ..files import printable
from ..i18n import Text
from ..results import Programme, Review
from ..rules import BY_CODE
from ..vocabulary import SEVERITY_NAMES, grade_name
from .ledger import held_text

TITLE = Text("在岗人员与轮岗", "Holders of the posts and rotation")
FINDING_HEAD = (Text("规则", "Rule"), Text("严重程度", "Severity"), Text("单位", "Unit"),
                Text("岗位", "Post"), Text("在岗人员", "Holder"),
                Text("任职起始日期", "Since"), Text("在岗年限", "Time in post"),
                Text("轮岗到期日", "Rotation due"), Text("说明", "Message"))
VACANT_HEAD = (Text("单位", "Unit"), Text("岗位", "Post"), Text("岗位等级", "Post grade"))


def _e(value) -> str:
    """Text for HTML: markup escaped, hidden characters shown."""
    return html.escape(printable("" if value is None else str(value)), quote=True)


def _table(head, rows: list[str], lang: str) -> str:
    cells = "".join(f"<th>{_e(text(lang))}</th>" for text in head)
    return f"<table><tr>{cells}</tr>{''.join(rows)}</table>"


def _grade_cell(grade: int | None, lang: str) -> str:
    if grade is None:
        return "<td></td>"
    return f'<td class="g{grade}">{_e(grade_name(grade, lang))}</td>'


def _finding_rows(programme: Programme, lang: str) -> list[str]:
    rows = []
    for tenancy in programme.tenancies:
        for finding in tenancy.findings:
            rows.append(
                f'<tr class="{finding.severity}"><td>{_e(finding.rule)}</td>'
                f"<td>{_e(SEVERITY_NAMES[finding.severity](lang))}</td>"
                f"<td>{_e(finding.unit)}</td><td>{_e(finding.post)}</td>"
                f"<td>{_e(finding.holder(lang))}</td>"
                f'<td class="d">{_e(finding.since.isoformat())}</td>'
                f'<td class="d">{_e(held_text(tenancy.held, lang))}</td>'
                f'<td class="d">{_e(finding.due.isoformat() if finding.due else "")}</td>'
                f"<td>{_e(finding.message(lang))}</td></tr>")
    return rows


def _counts(programme: Programme, lang: str) -> str:
    counts = programme.counts()
    figures = [
        (Text("名册行数", "Roster rows"), counts["rows"]),
        (Text("在岗人员（对应流程图岗位）", "Holders of the charts' posts"), counts["holders"]),
        (Text("有在岗人员的岗位", "Posts with holders"), counts["posts_held"]),
        *((Text(f"{BY_CODE[rule].summary.zh}（{rule}）", f"{BY_CODE[rule].summary.en} ({rule})"),
           count) for rule, count in counts["by_rule"].items()),
        (Text("名册中无人在岗的风险岗位", "Risk posts no one holds"),
         counts["posts_without_holder"]),
        (Text("名册中未对应任何岗位的行", "Roster rows matching no post"),
         counts["rows_matching_nothing"]),
        (Text("名册未列入的单位", "Units the roster leaves out"), counts["units_not_in_roster"]),
    ]
    body = "".join(f'<tr><td>{_e(name(lang))}</td><td class="n">{count}</td></tr>'
                   for name, count in figures)
    return f"<table>{body}</table>"


def section(review: Review, lang: str) -> str:
    """The programme's section of the report's index, or ``""`` without a roster."""
    programme = review.programme
    if programme is None:
        return ""
    policy = programme.policy
    grades = "、".join(grade_name(g, "zh") for g in policy.grades)
    grades_en = ", ".join(grade_name(g, "en") for g in policy.grades)
    rule = Text(f"名册 {programme.path} · 审查日期 {programme.as_of.isoformat()} · "
                f"{grades}风险岗位任职满 {policy.years} 年应轮岗，提前 {policy.notice_months} "
                f"个月提示",
                f"roster {programme.path} · as of {programme.as_of.isoformat()} · holders "
                f"of {grades_en} posts rotate after {policy.years} years, announced "
                f"{policy.notice_months} months ahead")
    parts = [f"<h2>{_e(TITLE(lang))}</h2>", f'<p class="meta">{_e(rule(lang))}</p>',
             _counts(programme, lang)]
    rows = _finding_rows(programme, lang)
    parts.append(_table(FINDING_HEAD, rows, lang) if rows else
                 f'<p>{_e(Text("在岗人员未发现问题", "No findings on the holders")(lang))}</p>')
    if programme.warnings:
        items = "".join(f"<li>{_e(warning.describe(lang))}</li>"
                        for warning in programme.warnings)
        parts.append(f'<h3 class="warning">{_e(Text("名册提示", "Roster warnings")(lang))}'
                     f"</h3><ul>{items}</ul>")
    if programme.vacant:
        parts.append(f"<h3>{_e(Text('名册中无人在岗的风险岗位', 'Risk posts no one holds')(lang))}"
                     "</h3>" + _table(VACANT_HEAD, [
                         f"<tr><td>{_e(post.unit)}</td><td>{_e(post.name)}</td>"
                         f"{_grade_cell(post.grade, lang)}</tr>" for post in programme.vacant],
                         lang))
    if programme.units_missing:
        units = Text("、", ", ")(lang).join(programme.units_missing)
        parts.append(f"<p>{_e(Text('名册未列入的单位：', 'Units the roster leaves out: ')(lang))}"
                     f"{_e(units)}</p>")
    return f'<section class="programme">{"".join(parts)}</section>'

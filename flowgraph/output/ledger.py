"""The risk ledger (廉政风险点台账): one row per risk point, as the practice keeps it.

A risk point is a step where a post holds power and whose suggested grade is 1, 2 or
3, or that the unit itself declared a risk point. Each row carries what the committee
acts on: the unit, the power item and its category, the step and its post, the risks
found (the findings on the step), the suggested grade with its reasons beside the
declared one, the responsible leader (design.md §7), the measures in place (the step's
controls) and the measures the findings call for: each rule's ``measure`` (its module's
``MEASURE``), with the watcher of the oversight edge a finding proposes.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..grading.posts import unit_key
from ..i18n import Text
from ..model import Finding, Flowchart
from ..results import Review
from ..rules import BY_CODE
from ..vocabulary import listing

ROTATION = Text("一级风险岗位人员定期轮岗", "rotate the holders of grade-1 posts")


@dataclass(frozen=True)
class LedgerRow:
    """One risk point of the ledger, in the language it was built for."""

    file: str
    unit: str
    power_item: str
    category: str
    flowchart: str
    step: str
    label: str
    post: str
    risks: str
    grade: int | None
    score: int | None
    reasons: str
    declared_grade: int | None
    responsible: str
    measures_in_place: str
    suggested_measures: str
    key_post: bool


COLUMNS = (
    ("unit", Text("单位", "Unit")),
    ("power_item", Text("权力事项", "Power item")),
    ("category", Text("类别", "Category")),
    ("label", Text("环节", "Step")),
    ("post", Text("岗位", "Post")),
    ("risks", Text("风险点", "Risks found")),
    ("grade", Text("建议等级", "Suggested grade")),
    ("declared_grade", Text("申报等级", "Declared grade")),
    ("reasons", Text("评定理由", "Reasons")),
    ("responsible", Text("责任领导", "Responsible leader")),
    ("measures_in_place", Text("现有防控措施", "Measures in place")),
    ("suggested_measures", Text("建议防控措施", "Suggested measures")),
    ("key_post", Text("关键岗位", "Key post")),
    ("file", Text("文件", "File")),
    ("flowchart", Text("流程图", "Flowchart")),
    ("step", Text("步骤编号", "Step id")),
)


def _risks(findings: list[Finding], lang: str) -> str:
    lines = []
    for finding in findings:
        summary = BY_CODE[finding.rule].summary(lang) if finding.rule in BY_CODE else ""
        lines.append(f"{finding.rule} {summary}")
    return "\n".join(dict.fromkeys(lines))


def _suggested(findings: list[Finding], chart: Flowchart, grade: int | None,
               key_post: bool, lang: str) -> str:
    measures = []
    for finding in findings:
        measure = BY_CODE[finding.rule].measure if finding.rule in BY_CODE else None
        if measure is None:
            continue
        text = measure(lang)
        if finding.proposed_edge and finding.proposed_edge[0]:
            watcher = chart.steps[finding.proposed_edge[0]].label
            text += Text(f": 由“{watcher}”监督", f": watched by '{watcher}'")(lang)
        measures.append(text)
    if grade == 1 and key_post:
        measures.append(ROTATION(lang))
    return "\n".join(dict.fromkeys(measures))


def rows(review: Review, lang: str) -> list[LedgerRow]:
    """The ledger of a reviewed batch: every risk point in batch and step order."""
    posts = {(post.unit, post.name): post for post in review.posts}
    table = []
    for path, chart in review.charts():
        flowchart = chart.flowchart
        on_step: dict[str, list[Finding]] = {}
        for finding in chart.findings:
            if not finding.waived:
                for step_id in finding.steps:
                    on_step.setdefault(step_id, []).append(finding)
        for step_id, graded in chart.grades.items():
            step = flowchart.steps[step_id]
            if graded.grade is None and step.declared_grade is None:
                continue
            findings = on_step.get(step_id, [])
            post_name = review.post_of(chart, step_id)
            post = posts.get((unit_key(flowchart), post_name)) if post_name else None
            leader = review.responsible_for(chart, step_id)
            key_post = post is not None and post.is_key_post
            table.append(LedgerRow(
                file=path, unit=flowchart.unit or "", power_item=flowchart.title,
                category=flowchart.category or "", flowchart=flowchart.id,
                step=step_id, label=step.label,
                post=post_name or Text("(未写明)", "(none named)")(lang),
                risks=_risks(findings, lang),
                grade=graded.grade, score=graded.score, reasons=graded.explain(lang),
                declared_grade=step.declared_grade,
                responsible=leader(lang) if leader is not None else "",
                measures_in_place=listing(step.controls, lang),
                suggested_measures=_suggested(findings, flowchart, graded.grade, key_post,
                                              lang),
                key_post=key_post))
    return table

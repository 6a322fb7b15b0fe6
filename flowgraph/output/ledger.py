"""The risk ledger (廉政风险点台账): one row per risk point, as the practice keeps it.

A risk point is a step where a post holds power and whose suggested grade is 1, 2 or
3, or that the unit itself declared a risk point. Each row carries what the committee
acts on: the unit, the power item and its category, the step and its post, the risks
found (the findings on the step), the suggested grade with its reasons beside the
declared one, the responsible leader (design.md §7), the measures in place (the step's
controls) and the measures the findings call for.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import Text
from ..model import Finding, Flowchart
from ..grading.posts import unit_key
from ..results import Review
from ..rules import BY_CODE
from ..vocabulary import listing

#: The measure each finding calls for, as the practice names them.
MEASURES = {
    "FG104": Text("补画出口或办结步骤", "draw the way out of the loop or the closing step"),
    "FG105": Text("写明由哪个岗位办理", "name the post that performs the step"),
    "FG106": Text("在 actors 中登记该岗位及其汇报线", "declare the post and its reporting line"),
    "FG201": Text("在其后增设独立审核 (法制审核)、集体决策或结果公示",
                  "add an independent review (legal review), a collective decision or "
                  "disclosure of the outcome after it"),
    "FG202": Text("制定并公开裁量基准", "adopt and publish a discretion benchmark"),
    "FG301": Text("由其他岗位审核或集体决定, 分离受理、审核与决定",
                  "have another post review or a collective decide; separate accepting, "
                  "reviewing and deciding"),
    "FG302": Text("不相容职务由不同岗位办理", "give the incompatible duties to different posts"),
    "FG303": Text("取消绕过审核的路径: 领导签批件同样经审核",
                  "close the path around the review: matters signed off by a leader are "
                  "reviewed too"),
    "FG401": Text("增加独立监督 (派驻纪检监察组、审计、电子监察)",
                  "add independent oversight (the stationed discipline-inspection group, "
                  "audit, e-monitoring)"),
    "FG402": Text("改由独立于被监督岗位的机构监督", "have a body independent of the watched "
                  "post do the oversight"),
    "FG501": Text("按建议等级重新评定并明确责任领导",
                  "re-grade the risk point and name the leader its grade requires"),
    "FG502": Text("核实风险等级, 或在流程图中补充风险因素",
                  "check the declared grade, or draw what makes the step risky"),
}
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
        measure = MEASURES.get(finding.rule)
        if measure is None:
            continue
        text = measure(lang)
        if finding.rule == "FG401" and finding.proposed_edge and finding.proposed_edge[0]:
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

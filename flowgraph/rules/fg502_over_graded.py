"""FG502 over-graded: the unit declared a higher grade than the one suggested.

What it finds
-------------
A step whose ``declared_grade`` is higher than the grade flowgraph suggests (grade 1
is the highest), or that is declared a risk point where flowgraph sees none (a step
that holds no power, or whose score stays below grade 3). Informational by default.

Why it matters
--------------
Over-grading is the safe side of an error, but not free: grade-1 points bind the
principal leader's attention, trigger rotation and early warnings, and when everything
is grade 1 nothing is. A declared grade well above what the flowchart shows also hints
that the chart leaves out what makes the step risky (an amount, the discretion, a
missing check): either the chart or the grade is wrong.

Example
-------
::

    flowgraph: 1
    title: 档案查阅
    actors:
      clerk: {name: 档案管理员, rank: staff, reports_to: chief}
      chief: {name: 办公室主任, rank: section}
    steps:
      ask:   {kind: start, label: 提出查阅申请}
      check: {kind: review, label: 核对身份, actor: clerk, discretion: low,
              declared_grade: 1}
      done:  {kind: end, label: 提供查阅}
    flow:
      - [ask, check]
      - [check, done]

Use instead
-----------
::

    flowgraph: 1
    title: 档案查阅
    actors:
      clerk: {name: 档案管理员, rank: staff, reports_to: chief}
      chief: {name: 办公室主任, rank: section}
    steps:
      ask:   {kind: start, label: 提出查阅申请}
      check: {kind: review, label: 核对身份, actor: clerk, discretion: low,
              stakes: {rights: true}, declared_grade: 3}
      done:  {kind: end, label: 提供查阅}
    flow:
      - [ask, check]
      - [check, done]

How to fix
----------
Check what makes the unit see the step as riskier than the chart shows and write it
into the chart (discretion, money, people, rights); or lower the declared grade.

Complexity
----------
O(V) after grading.
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from ..vocabulary import GRADE_NAMES
from .context import Context, requires
from .wording import suggested_grade

CODE = "FG502"
NAME = "over-graded"
SEVERITY = "info"
SUMMARY = Text("申报的风险等级高于建议等级", "Declared grade higher than the suggested grade")
LEDGER_RISK = Text("{declared}，高于流程图反映的风险（{suggested}）",
                   "{declared}, above the risk the chart shows ({suggested})")
MEASURE = Text("核实“{step}”的风险等级，或在流程图中写明使其风险较高的因素（金额、裁量权等）",
               "check the grade of '{step}', or draw what makes it risky (the sums, the "
               "latitude)")
PROBLEM = Text("{declared}，而按其权力{should}",
               "{declared}, while its power {should}")
DOC_ZH = """发现什么：单位申报的风险等级（`declared_grade`）高于 flowgraph 建议的等级（一级
最高），或把 flowgraph 认为不是风险点的环节（不掌握权力，或得分低于三级）申报为风险点。默认
仅作提示。

为什么重要：定高比定低安全，但并非没有代价：一级风险点占用主要负责人的精力，触发轮岗和预警，
处处一级等于没有一级。申报等级明显高于流程图所显示的风险，也提示流程图漏画了使该环节危险的
内容（金额、裁量权、缺少的制约）：不是流程图画错了，就是等级定错了。

如何修正：查明单位认为该环节风险更高的原因，写入流程图（裁量权、金额、人事、当事人权益）；
或调低申报等级。"""


@requires("grades")
def check(context: Context) -> Iterator[Finding]:
    flowchart, grades = context.flowchart, context.grades
    for step in flowchart.steps.values():
        if step.declared_grade is None:
            continue
        graded = grades.get(step.id)
        declared = GRADE_NAMES[step.declared_grade]
        if graded is None or graded.grade is None:
            message = Text(
                f"单位把“{step.label}”评定为{declared.zh}，但它不是风险点：{_why(graded, 'zh')}",
                f"the unit graded '{step.label}' as {declared.en}, but it is not a risk point: "
                f"{_why(graded, 'en')}")
        elif step.declared_grade < graded.grade:
            suggested = suggested_grade(graded)
            message = Text(f"单位把“{step.label}”评定为{declared.zh}，{suggested.zh}",
                           f"the unit graded '{step.label}' as {declared.en}; {suggested.en}")
        else:
            continue
        yield Finding(CODE, SEVERITY, (step.id,), message, witness=(step.id,))


def _why(graded, lang: str) -> str:
    """Why a step is no risk point: it holds no power, or its score and factors."""
    if graded is None:
        return Text("该环节不掌握权力", "the step holds no power")(lang)
    factors = graded.reasons_text(lang)
    if any(reason.factor == "outside" for reason in graded.reasons):
        return factors
    head = Text(f"得分 {graded.score}，未达到三级", f"its score {graded.score} is below "
                f"grade 3")(lang)
    return head + Text("：", ": ")(lang) + factors if factors else head

"""FG501 under-graded: the unit declared a lower grade than the one suggested.

What it finds
-------------
A risk point whose ``declared_grade`` is lower than the grade flowgraph suggests (grade
1 is the highest), or, in a flowchart where the unit declared grades, a grade-1 or
grade-2 risk point that the unit did not declare at all (an undeclared grade-3 point
is left to the ledger: flagging every minor one would bury the ones that matter). The suggested
grade comes from the scoring policy (design.md §7) and the other rules' findings; the
message lists its reasons. A flowchart that declares no grade is not compared.

Why it matters
--------------
The grade decides who answers for a risk point (grade 1: the principal leader) and how
closely it is watched (rotation, early warnings, the ledger). A risk point graded too
low is watched too little and its leader is not the one the rules require: the most
common weakness committees find when they re-check units' self-assessments.

Example
-------
::

    flowgraph: 1
    title: 建设项目资金拨付
    actors:
      clerk:    {name: 经办人, rank: staff, reports_to: chief}
      chief:    {name: 经建科科长, rank: section, reports_to: director}
      director: {name: 局长, rank: principal}
    steps:
      apply:  {kind: start, label: 申请拨付}
      check:  {kind: review, label: 审核, actor: clerk, declared_grade: 3}
      decide: {kind: decision, label: 审批, actor: chief, discretion: high,
               stakes: {money: 20000000}, controls: [裁量基准], declared_grade: 3}
      done:   {kind: end, label: 拨付}
    flow:
      - [apply, check]
      - [check, decide]
      - [decide, done]

Use instead
-----------
::

    flowgraph: 1
    title: 建设项目资金拨付
    actors:
      clerk:    {name: 经办人, rank: staff, reports_to: chief}
      chief:    {name: 经建科科长, rank: section, reports_to: director}
      director: {name: 局长, rank: principal}
    steps:
      apply:  {kind: start, label: 申请拨付}
      check:  {kind: review, label: 审核, actor: clerk}
      decide: {kind: decision, label: 审批, actor: chief, discretion: high,
               stakes: {money: 20000000}, controls: [裁量基准], declared_grade: 1}
      done:   {kind: end, label: 拨付}
    flow:
      - [apply, check]
      - [check, decide]
      - [decide, done]

How to fix
----------
Re-grade the risk point with the reasons the message gives, and name the leader the
new grade requires. If the unit's grade is right, the policy's weights do not fit the
unit: configure them (docs/grading.md), or waive FG501 on the step with the reason.

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

CODE = "FG501"
NAME = "under-graded"
SEVERITY = "warning"
SUMMARY = Text("申报的风险等级低于建议等级", "Declared grade lower than the suggested grade")
LEDGER_RISK = Text("该环节应有的风险等级为{suggested}，{declared}",
                   "the step calls for {suggested}; {declared}")
MEASURE = Text("按{suggested}重新评定“{step}”，明确由{leader}负责",
               "re-grade '{step}' as {suggested} and make {leader} answer for it")
PROBLEM = Text("{declared}，而按其权力{should}",
               "{declared}, while its power {should}")
DOC_ZH = """发现什么：单位申报的风险等级（`declared_grade`）低于 flowgraph 建议的等级（一级
最高）；或在申报了风险等级的流程图中，建议为一级或二级的风险点未被申报（未申报的三级风险点
只列入台账，逐一提示会淹没真正重要的问题）。建议等级由评分策略（design.md 第 7 节）和其他规
则的发现得出，提示中列出各项理由。没有申报任何等级的流程图不作比较。

为什么重要：风险等级决定由谁负责（一级由主要负责人负责）以及监督的力度（轮岗、预警、台账）。
等级定低了，风险点就得不到应有的关注，责任领导也不是制度要求的那一位。这是委员会复核单位自
评时最常见的问题。

如何修正：按提示中的理由重新评定等级，并按新等级明确责任领导。若单位的评定正确，说明评分策
略的权重不适合本单位：在配置中调整（见 docs/grading.md），或在该环节上说明理由豁免 FG501。"""


@requires("grades")
def check(context: Context) -> Iterator[Finding]:
    flowchart, grades = context.flowchart, context.grades
    declares = any(step.declared_grade is not None for step in flowchart.steps.values())
    if not declares:
        return
    for step_id, graded in grades.items():
        if graded.grade is None:
            continue
        step = flowchart.steps[step_id]
        suggested = suggested_grade(graded)
        if step.declared_grade is None:
            if graded.grade > 2:
                continue
            message = Text(f"单位没有把“{step.label}”列为风险点，{suggested.zh}",
                           f"the unit did not list '{step.label}' as a risk point; "
                           f"{suggested.en}")
        elif step.declared_grade > graded.grade:
            declared = GRADE_NAMES[step.declared_grade]
            message = Text(f"单位把“{step.label}”评定为{declared.zh}，{suggested.zh}",
                           f"the unit graded '{step.label}' as {declared.en}; {suggested.en}")
        else:
            continue
        yield Finding(CODE, SEVERITY, (step_id,), message, witness=(step_id,))

"""FG603 commitment-missing: a holder of a grade-1 or key post has signed no integrity
commitment for it.

What it finds
-------------
A person in the roster who holds a post whose grade over its unit is one of
``commitment_grades`` (default: grade 1), or a key post (牛科长), and whose row gives
no date for the post's integrity commitment (岗位廉政承诺书), or a date before they
took the post (that commitment was for another post). A roster without a commitment
column says nothing about commitments, and the rule stays silent.

Why it matters
--------------
The commitment is how the holder of a risky post is told, in writing, what the post's
risk points are and what is expected of them; it is the first thing a later
investigation asks for. A grade-1 or key post held without one is a gap in the
programme that the flowcharts cannot show.

Example
-------
::

    # as-of: 2025-06-30
    flowgraph: 1
    title: 工业企业技术改造专项资金分配
    unit: 市工业和信息化局
    category: 专项资金分配
    actors:
      chief:    {name: 投资与技术改造科科长, rank: section, reports_to: director}
      director: {name: 局长, rank: principal}
    steps:
      apply:  {kind: start, label: 企业申报}
      decide: {kind: decision, label: 提出资金分配方案, actor: chief, discretion: high,
               stakes: {money: 5000000}, controls: [裁量基准]}
      done:   {kind: end, label: 办结}
    flow:
      - [apply, decide]
      - [decide, done]
    ---
    在岗人员:
      - {单位: 市工业和信息化局, 岗位: 投资与技术改造科科长, 姓名: 张三,
         任职起始日期: 2024-03-01, 廉政承诺书签订日期: ""}

Use instead
-----------
::

    # as-of: 2025-06-30
    flowgraph: 1
    title: 工业企业技术改造专项资金分配
    unit: 市工业和信息化局
    category: 专项资金分配
    actors:
      chief:    {name: 投资与技术改造科科长, rank: section, reports_to: director}
      director: {name: 局长, rank: principal}
    steps:
      apply:  {kind: start, label: 企业申报}
      decide: {kind: decision, label: 提出资金分配方案, actor: chief, discretion: high,
               stakes: {money: 5000000}, controls: [裁量基准]}
      done:   {kind: end, label: 办结}
    flow:
      - [apply, decide]
      - [decide, done]
    ---
    在岗人员:
      - {单位: 市工业和信息化局, 岗位: 投资与技术改造科科长, 姓名: 张三,
         任职起始日期: 2024-03-01, 廉政承诺书签订日期: 2024-03-04}

How to fix
----------
Have the holder sign the post's integrity commitment (its risk points and measures
named), file it, and write its date into the roster.

Complexity
----------
O(1) per holder.
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from ..vocabulary import GRADE_NAMES
from .context import Context, requires

CODE = "FG603"
NAME = "commitment-missing"
SEVERITY = "warning"
SUMMARY = Text("一级或关键岗位在岗人员未签订岗位廉政承诺书",
               "A grade-1 or key post's holder signed no integrity commitment")
MEASURE = Text("督促{holder}签订岗位廉政承诺书", "have {holder} sign the post's integrity "
               "commitment")
PROBLEM = Text("{post}的在岗人员没有签订岗位廉政承诺书",
               "the holder of {post} has not signed the post's integrity commitment")
DOC_ZH = """发现什么：在岗人员名册中，某人所在岗位在本单位的风险等级属于需签承诺书的等级
（`commitment_grades`，默认一级），或为关键岗位（牛科长），而名册没有写明其岗位廉政承诺书的签订
日期，或签订日期早于其任现职（那是为原岗位签的）。名册没有承诺书一列时，名册对此无所说明，
本规则不报告。

为什么重要：岗位廉政承诺书以书面形式告诉一级或关键岗位的在岗人员：本岗位有哪些风险点、应当如何做；
事后调查首先要查的就是它。一级或关键岗位无承诺书在岗，是流程图看不到的工作缺口。

如何修正：组织其签订岗位廉政承诺书（写明岗位风险点和防控措施），存档，并在名册中写明签订日期。"""


@requires("roster")
def check(context: Context) -> Iterator[Finding]:
    tenure = context.tenure
    if not tenure.commitments_known:
        return
    if tenure.grade not in tenure.rotation.commitment_grades and not tenure.key_post:
        return
    if tenure.commitment is not None and tenure.commitment >= tenure.since:
        return
    kinds = []
    if tenure.grade in tenure.rotation.commitment_grades:
        grade = GRADE_NAMES[tenure.grade]
        kinds.append(Text(f"{grade.zh}风险岗位", f"a {grade.en} post"))
    if tenure.key_post:
        kinds.append(Text("关键岗位", "a key post"))
    what = Text("、".join(k.zh for k in kinds), " and ".join(k.en for k in kinds))
    if tenure.commitment is None:
        missing = Text("未签订岗位廉政承诺书", "has signed no integrity commitment for it")
    else:
        missing = Text(f"岗位廉政承诺书签订于 {tenure.commitment.isoformat()}，早于任现职"
                       f"（{tenure.since.isoformat()}），未为现岗位签订",
                       f"signed an integrity commitment on {tenure.commitment.isoformat()}, "
                       f"before taking the post ({tenure.since.isoformat()}): none for it")
    yield Finding(CODE, SEVERITY, (), Text(
        f"{tenure.holder.zh}任“{tenure.post}”（{what.zh}），{missing.zh}；"
        f"责任领导：{tenure.leader.zh}",
        f"{tenure.holder.en}, holding '{tenure.post}' ({what.en}), {missing.en}; responsible "
        f"leader: {tenure.leader.en}"))

"""FG602 rotation-due-soon: a holder's rotation falls due within the next months.

What it finds
-------------
A person in the roster who will have held a post of the rotation grades (default:
grade 1) for ``rotation_years`` years (default 5) within the next
``rotation_notice_months`` months (default 6) after the audit's date, but has not yet:
a notice, so that the rotation is planned before it is late. Informational by default.

Why it matters
--------------
A rotation takes planning: a successor found, trained, the files handed over. Seen
only on the day it falls due, it is already late; announced half a year ahead, the
responsible leader can fit it into the year's personnel plan.

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
         任职起始日期: 2020-09-01, 廉政承诺书签订日期: 2020-09-03}

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
         任职起始日期: 2021-03-01, 廉政承诺书签订日期: 2021-03-03}

How to fix
----------
Plan the rotation now: name a successor and the day of the change in the year's
personnel plan, and update the roster when it is made.

Complexity
----------
O(1) per holder.
"""
from collections.abc import Iterator

from ..dates import add_months, add_years, held
from ..i18n import Text
from ..model import Finding
from ..vocabulary import GRADE_NAMES
from .context import Context, requires

CODE = "FG602"
NAME = "rotation-due-soon"
SEVERITY = "info"
SUMMARY = Text("在岗人员即将满轮岗年限", "A holder's rotation falls due soon")
MEASURE = Text("提前安排{holder}轮岗（将于{due}在该岗位满轮岗年限）",
               "plan the rotation of {holder} (due on {due})")
PROBLEM = Text("{post}的在岗人员即将满轮岗年限，需提前安排轮岗",
               "the holder of {post} is due for rotation soon: plan it now")
DOC_ZH = """发现什么：在岗人员名册中，某人在需轮岗等级（`rotation_grades`，默认一级）风险岗位的
任职，将在审查日期之后的提示期（`rotation_notice_months`，默认 6 个月）内满轮岗年限
（`rotation_years`，默认 5 年），但审查日期时尚未满：提示提前安排轮岗。默认仅作提示。

为什么重要：轮岗需要准备：物色接任人选、交接业务和档案。到期当天才发现已经晚了；提前半年提示，
责任领导可以把它纳入年度干部调整计划。

如何修正：现在就安排轮岗：在年度人事计划中明确接任人选和调整时间，调整后更新名册。"""


@requires("roster")
def check(context: Context) -> Iterator[Finding]:
    tenure = context.tenure
    rotation = tenure.rotation
    if tenure.grade not in rotation.grades:
        return
    due = add_years(tenure.since, rotation.years)
    if not tenure.as_of < due <= add_months(tenure.as_of, rotation.notice_months):
        return
    years, months = held(tenure.since, tenure.as_of)
    grade = GRADE_NAMES[tenure.grade]
    yield Finding(CODE, SEVERITY, (), Text(
        f"{tenure.holder.zh}任“{tenure.post}”已 {years} 年 {months} 个月"
        f"（自 {tenure.since.isoformat()} 起），将于 {due.isoformat()} 满 {rotation.years} 年，"
        f"{grade.zh}风险岗位应提前安排轮岗；责任领导：{tenure.leader.zh}",
        f"{tenure.holder.en} has held '{tenure.post}' for {years} year(s) {months} month(s) "
        f"(since {tenure.since.isoformat()}) and reaches {rotation.years} years on "
        f"{due.isoformat()}: plan the rotation of this {grade.en} post; responsible "
        f"leader: {tenure.leader.en}"))

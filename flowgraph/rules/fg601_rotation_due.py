"""FG601 rotation-due: a holder has stayed in a post of the rotation grades too long.

What it finds
-------------
A person in the roster (在岗人员名册) who, on the audit's date, has held a post whose
grade over its unit is one of ``rotation_grades`` (default: grade 1) for at least
``rotation_years`` years (default 5): the day they took the post, plus that many
years, is on or before the audit's date. Five years from 29 February end on 28
February. The finding names the person (or their role, with ``--no-names``), the post,
how long they have held it, when rotation fell due, and the responsible leader, who
must arrange it.

Why it matters
--------------
A grade-1 post stays grade 1 however well it is controlled: its power over people,
money or affairs is what makes it risky, and time in the post is what turns that power
into relationships with the people it decides for (who applies, who bids, who pays).
The practice answers with rotation (轮岗): the national rules ask for the rotation of
those who have held an internal post for a long time, and local rules on key posts set
five years. A holder past the limit is the concentration of power over time that no
flowchart shows.

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
         任职起始日期: 2019-03-01, 廉政承诺书签订日期: 2019-03-05}

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
      - {单位: 市工业和信息化局, 岗位: 投资与技术改造科科长, 姓名: 李四,
         任职起始日期: 2025-03-01, 廉政承诺书签订日期: 2025-03-03}

How to fix
----------
Rotate the holder to another post (the responsible leader arranges it), and write the
new holder and the day they took the post into the roster. Where a rotation is
deliberately deferred, lower nothing: record why in the ledger's 整改情况.

Complexity
----------
O(1) per holder; the roster is matched to the posts in time linear in both.
"""
from collections.abc import Iterator

from ..dates import add_years, held
from ..i18n import Text
from ..model import Finding
from ..vocabulary import GRADE_NAMES
from .context import Context, requires

CODE = "FG601"
NAME = "rotation-due"
SEVERITY = "warning"
SUMMARY = Text("在岗人员任职已满轮岗年限", "A holder is due for rotation")
MEASURE = Text("安排{holder}轮岗（在该岗位已{held}，{due}已满轮岗年限）",
               "rotate {holder} (in the post for {held}; rotation was due on {due})")
PROBLEM = Text("{post}的在岗人员任职已满轮岗年限，尚未轮岗",
               "the holder of {post} has served past the rotation term and has not "
               "rotated")
DOC_ZH = """发现什么：在岗人员名册中，某人在审查日期已在某岗位任职满轮岗年限（配置项
`rotation_years`，默认 5 年），而该岗位在本单位的风险等级属于需轮岗的等级（`rotation_grades`，默认
一级）：任职起始日期加上该年数，不晚于审查日期。2 月 29 日起算的 5 年，到 2 月 28 日届满。问题写明
其人（用 `--no-names` 时为其岗位角色）、岗位、任职年限、轮岗到期日和责任领导。

为什么重要：一级风险岗位无论防控得多好仍是一级：它对人、财、事的权力决定了风险，而在岗时间把权力
变成与办事对象（申请人、投标人、缴费人）的关系。实践的回应是定期轮岗：国家规定对在同一职位任职
时间较长的人员进行交流或轮岗，各地对重点岗位的规定多为满 5 年。超期在岗是流程图看不到的、随时间
形成的权力集中。

如何修正：由责任领导安排其轮岗，并在名册中写明新的在岗人员及其任职起始日期。确需暂缓轮岗的，
不要降低等级，在台账的整改情况中写明原因。"""


@requires("roster")
def check(context: Context) -> Iterator[Finding]:
    tenure = context.tenure
    rotation = tenure.rotation
    if tenure.grade not in rotation.grades:
        return
    due = add_years(tenure.since, rotation.years)
    if tenure.as_of < due:
        return
    years, months = held(tenure.since, tenure.as_of)
    grade = GRADE_NAMES[tenure.grade]
    yield Finding(CODE, SEVERITY, (), Text(
        f"{tenure.holder.zh}任“{tenure.post}”已 {years} 年 {months} 个月"
        f"（自 {tenure.since.isoformat()} 起），{grade.zh}风险岗位任职满 {rotation.years} 年"
        f"应当轮岗（{due.isoformat()} 已满）；责任领导：{tenure.leader.zh}",
        f"{tenure.holder.en} has held '{tenure.post}' for {years} year(s) {months} month(s) "
        f"(since {tenure.since.isoformat()}); the holder of a {grade.en} post rotates "
        f"after {rotation.years} years (due on {due.isoformat()}); responsible leader: "
        f"{tenure.leader.en}"))

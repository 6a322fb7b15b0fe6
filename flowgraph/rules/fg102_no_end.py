"""FG102 no-end: the flowchart has no end step.

What it finds
-------------
A flowchart with no step of kind ``end``.

Why it matters
--------------
A matter must be concluded: licensed or refused (办结, 不予受理), filed (结案归档), paid.
A chart without an end hides where the power's exercise is complete, and the rules that
follow a matter to its end (FG104, FG201, FG301, FG401) cannot run; they stay silent
rather than flag every step, so this one finding stands for them.

Example
-------
::

    flowgraph: 1
    title: 行政检查
    actors:
      officer: {name: 执法人员}
    steps:
      plan:    {kind: start, label: 制定检查计划}
      inspect: {kind: task, label: 现场检查, actor: officer}
    flow:
      - [plan, inspect]

Use instead
-----------
::

    flowgraph: 1
    title: 行政检查
    actors:
      officer: {name: 执法人员}
    steps:
      plan:    {kind: start, label: 制定检查计划}
      inspect: {kind: task, label: 现场检查, actor: officer}
      done:    {kind: end, label: 办结}
    flow:
      - [plan, inspect]
      - [inspect, done]

How to fix
----------
Add each way the matter concludes as a step of ``kind: end`` (办结, 不予受理, 结案归档)
with flow edges into it.

Complexity
----------
O(V).
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from .context import Context

CODE = "FG102"
NAME = "no-end"
SEVERITY = "error"
SUMMARY = Text("流程图没有结束步骤", "The flowchart has no end step")
PROBLEM = Text("没有画出事项在哪里办结",
               "it does not show where a matter ends")
DOC_ZH = """发现什么：流程图没有结束环节，即标明事项在哪里办结的环节（文件中写作 `kind: end`）。

为什么重要：事项必须办结：准予或不予许可、结案归档、支付完毕。没有结束环节，就看不出权力行
使在哪里完成；依赖结束的检查（FG104、FG201、FG301、FG401）也无法进行，它们不再报告，由本条
一并报告。

如何修正：把事项的每种结束方式（办结、不予受理、结案归档）画成结束环节，并画出通向它们的办
理顺序。"""


def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    if not flowchart.ends:
        yield Finding(CODE, SEVERITY, (), Text(
            "流程图没有结束环节，看不出事项在哪里办结（如办结、不予许可、结案归档）",
            "the flowchart has no end step: nobody can tell where a matter is concluded "
            "(granted, refused, filed)"))

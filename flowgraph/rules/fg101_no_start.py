"""FG101 no-start: the flowchart has no start step.

What it finds
-------------
A flowchart with no step of kind ``start``.

Why it matters
--------------
Every power item begins somewhere: an application (申请), a case being opened (立案),
a plan (计划). Without a start, nobody can tell where a matter enters and the rules that
follow a matter from its start (FG103, FG301, FG303) cannot run; they stay silent rather
than flag every step, so this one finding stands for them.

Example
-------
::

    flowgraph: 1
    title: 行政检查
    actors:
      officer: {name: 执法人员}
    steps:
      inspect: {kind: task, label: 现场检查, actor: officer}
      done:    {kind: end, label: 办结}
    flow:
      - [inspect, done]

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
Add the step where the matter enters (``kind: start``) and a flow edge from it.

Complexity
----------
O(V).
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from .context import Context

CODE = "FG101"
NAME = "no-start"
SEVERITY = "error"
SUMMARY = Text("流程图没有开始步骤", "The flowchart has no start step")
PROBLEM = Text("没有画出事项从哪里开始",
               "it does not show where a matter starts")
DOC_ZH = """发现什么：流程图没有开始环节，即标明事项从哪里进入办理的环节（文件中写作
`kind: start`）。

为什么重要：每项权力都有起点（申请、立案、计划）。没有起点，就看不出事项从哪里进入；依赖起
点的检查（FG103、FG301、FG303）也无法进行，它们不再报告，由本条一并报告。

如何修正：补画事项进入办理的开始环节，并画出此后的办理顺序。"""


def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    if not flowchart.starts:
        yield Finding(CODE, SEVERITY, (), Text(
            "流程图没有开始环节，看不出事项从哪里进入办理（如申请、立案）",
            "the flowchart has no start step: nobody can tell where a matter enters (an "
            "application, a case opened)"))


"""FG106 undeclared-actor: a reference to a post that is not declared.

What it finds
-------------
A step whose ``actor``, or an actor whose ``reports_to``, names an actor that the
flowchart does not declare under ``actors``.

Why it matters
--------------
An undeclared post has no title, no rank and no reporting line: flowgraph cannot tell
whether a check by it is independent, whether it is a collective body, or who is its
responsible leader. Usually it is a typo, and the typo silently turns an independent
review into an unknown one.

Example
-------
::

    flowgraph: 1
    title: 行政许可
    actors:
      deputy: {name: 分管副局长, rank: deputy}
    steps:
      apply:  {kind: start, label: 申请}
      decide: {kind: decision, label: 审批, actor: depty}
      done:   {kind: end, label: 办结}
    flow:
      - [apply, decide]
      - [decide, done]

Use instead
-----------
::

    flowgraph: 1
    title: 行政许可
    actors:
      deputy: {name: 分管副局长, rank: deputy}
    steps:
      apply:  {kind: start, label: 申请}
      decide: {kind: decision, label: 审批, actor: deputy}
      done:   {kind: end, label: 办结}
    flow:
      - [apply, decide]
      - [decide, done]

How to fix
----------
Correct the reference or declare the post under ``actors`` with its name, rank and
``reports_to``. For charts drawn in another tool, give ranks and reporting lines in a
side file of actors.

Complexity
----------
O(V + A) for V steps and A actors.
"""
import difflib
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from .context import Context

CODE = "FG106"
NAME = "undeclared-actor"
SEVERITY = "error"
SUMMARY = Text("引用了未声明的岗位", "A reference to a post that is not declared")
LEDGER_RISK = Text("该环节的岗位没有登记，职级和汇报关系不明",
                   "the step's post is not declared: its rank and line of command are unknown")
MEASURE = Text("登记“{post}”岗位及其直接上级",
               "declare the post '{post}' and its direct superior")
PROBLEM = Text("{count} 处岗位没有登记",
               "{count} post(s) not declared")
DOC_ZH = """发现什么：环节的办理岗位或岗位的直接上级，引用了流程图岗位名单中没有登记的岗位。

为什么重要：未登记的岗位没有名称、职级和上下级关系：无法判断它的审核是否独立、是否集体决策、
谁是责任领导。这通常是笔误，而笔误会悄悄地把独立审核变成来历不明的审核。

如何修正：改正引用，或在岗位名单（`actors`）中登记该岗位的名称、职级和直接上级（`reports_to`）。
其他工具绘制的流程图可在岗位附表中补充职级和上下级关系。"""


def _hint(flowchart, name):
    close = difflib.get_close_matches(name, list(flowchart.actors), n=1)
    return (Text(f"（是否应为“{close[0]}”？）", f" (did you mean '{close[0]}'?)")
            if close else Text("", ""))


def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    for actor in flowchart.actors.values():
        if actor.reports_to is not None and actor.reports_to not in flowchart.actors:
            hint = _hint(flowchart, actor.reports_to)
            yield Finding(CODE, SEVERITY, (), Text(
                f"{actor.name}的直接上级“{actor.reports_to}”没有在岗位名单中登记{hint.zh}",
                f"the direct superior '{actor.reports_to}' of {actor.name} is not among the "
                f"posts the chart declares{hint.en}"))
    for step in flowchart.steps.values():
        if step.actor is not None and step.actor not in flowchart.actors:
            hint = _hint(flowchart, step.actor)
            yield Finding(CODE, SEVERITY, (step.id,), Text(
                f"“{step.label}”的办理岗位“{step.actor}”没有在岗位名单中登记{hint.zh}",
                f"the post '{step.actor}' performing '{step.label}' is not among the posts "
                f"the chart declares{hint.en}"), witness=(step.id,))

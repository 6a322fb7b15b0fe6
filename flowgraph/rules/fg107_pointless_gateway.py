"""FG107 pointless-gateway: a gateway with one way in and one way out.

What it finds
-------------
A step of kind ``gateway`` with exactly one flow edge in and exactly one out.

Why it matters
--------------
A gateway routes a matter between branches; with one way in and one way out it routes
nothing. Usually a branch was forgotten (the refusal, the return for correction), which
hides a point where somebody chooses the way a matter goes.

Example
-------
::

    flowgraph: 1
    title: 行政许可
    actors:
      chief: {name: 科室负责人}
    steps:
      apply: {kind: start, label: 申请}
      check: {kind: review, label: 审查, actor: chief}
      route: {kind: gateway, label: 是否符合条件}
      done:  {kind: end, label: 办结}
    flow:
      - [apply, check]
      - [check, route]
      - [route, done]

Use instead
-----------
::

    flowgraph: 1
    title: 行政许可
    actors:
      chief: {name: 科室负责人}
    steps:
      apply:  {kind: start, label: 申请}
      check:  {kind: review, label: 审查, actor: chief}
      route:  {kind: gateway, label: 是否符合条件}
      done:   {kind: end, label: 办结}
      refuse: {kind: end, label: 不予许可}
    flow:
      - [apply, check]
      - [check, route]
      - [route, done, 符合]
      - [route, refuse, 不符合]

How to fix
----------
Draw the missing branch, or remove the gateway and join its neighbours directly.

Complexity
----------
O(V).
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from .context import Context
from .wording import kind_named

CODE = "FG107"
NAME = "pointless-gateway"
SEVERITY = "info"
SUMMARY = Text("分支环节只有一个来路和一个去向",
               "A branch point with one way in and one way on")
LEDGER_RISK = Text("该分支只有一个去向，可能漏画了不予办理等情形",
                   "the branch has one way on: a refusal or another outcome may be missing")
MEASURE = Text("补画漏掉的分支（如不予许可、退回补正），或删去多余的分支",
               "draw the missing branch (a refusal, a correction) or remove the needless one")
PROBLEM = Text("{count} 处分支没有分流任何事项",
               "{count} branch(es) that route nothing")
DOC_ZH = """发现什么：只有一个来路和一个去向的分支环节（判断框）。

为什么重要：分支环节用来把事项分往不同去向；只有一来一去时，它什么也没有分。通常是漏画了分
支（不予许可、退回补正），而漏画的正是有人决定事项走向的地方。

如何修正：补画遗漏的分支，或删去该分支环节，把前后环节直接相连。"""


def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    flow = flowchart.flow
    for step in flowchart.steps.values():
        if step.kind == "gateway" and flow.in_degree(step.id) == 1 \
                and flow.out_degree(step.id) == 1:
            gateway = kind_named(flowchart, step.id)
            yield Finding(CODE, SEVERITY, (step.id,), Text(
                f"{gateway.zh}只有一个来路和一个去向，并没有分流事项：是否漏画了不予办理、"
                f"退回补正等分支？",
                f"{gateway.en} has one way in and one way on and sends matters nowhere "
                f"else: is a refusal or a return for correction missing?"),
                witness=(step.id,))

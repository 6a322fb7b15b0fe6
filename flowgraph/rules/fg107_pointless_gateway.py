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

CODE = "FG107"
NAME = "pointless-gateway"
SEVERITY = "info"
SUMMARY = Text("网关只有一个入口和一个出口", "A gateway with one way in and one way out")
LEDGER_RISK = Text("该分支只有一个去向，可能漏画了不予办理等情形",
                   "the branch has one way on: a refusal or another outcome may be missing")
MEASURE = Text("补画漏掉的分支（如不予许可、退回补正），或删去多余的分支",
               "draw the missing branch (a refusal, a correction) or remove the needless one")
DOC_ZH = """发现什么: 恰好只有一条流入边和一条流出边的网关 (gateway)。

为什么重要: 网关用于在分支间分流; 只有一进一出时它什么也没分。通常是漏画了分支 (不予许可、
退回补正), 而漏画的正是有人决定事项走向的地方。

如何修正: 补画遗漏的分支, 或删除该网关, 把前后步骤直接相连。"""


def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    succ, pred = flowchart.succ, flowchart.pred
    for step in flowchart.steps.values():
        if step.kind == "gateway" and len(pred[step.id]) == 1 and len(succ[step.id]) == 1:
            yield Finding(CODE, SEVERITY, (step.id,), Text(
                f"网关“{step.label}”只有一个入口和一个出口, 没有分流任何事项: 是否漏画了分支?",
                f"gateway '{step.label}' has one way in and one way out and routes "
                f"nothing: is a branch missing?"), witness=(step.id,))

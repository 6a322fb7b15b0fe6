"""FG108 misplaced-oversight-edge: an oversight edge that watches nothing real.

What it finds
-------------
An oversight edge into a neutral step (start, end, gateway, system), or out of a step
that is neither an oversight nor a disclosure step.

Why it matters
--------------
Oversight (监督) watches a post exercising power. Watching a start, an end, a routing
gateway or a system step watches nobody, and an oversight edge out of an ordinary step
claims a supervision that no supervisory activity performs. Either way the chart shows
oversight that does not exist, and the oversight rules (FG401) would be misled.

Example
-------
::

    flowgraph: 1
    title: 行政许可
    actors:
      deputy:  {name: 分管副局长, rank: deputy}
      inspect: {name: 派驻纪检监察组, oversight: true}
    steps:
      apply:  {kind: start, label: 申请}
      decide: {kind: decision, label: 审批, actor: deputy}
      done:   {kind: end, label: 办结}
      watch:  {kind: oversight, label: 全程监督, actor: inspect}
    flow:
      - [apply, decide]
      - [decide, done]
    oversight:
      - [watch, done]

Use instead
-----------
::

    flowgraph: 1
    title: 行政许可
    actors:
      deputy:  {name: 分管副局长, rank: deputy}
      inspect: {name: 派驻纪检监察组, oversight: true}
    steps:
      apply:  {kind: start, label: 申请}
      decide: {kind: decision, label: 审批, actor: deputy}
      done:   {kind: end, label: 办结}
      watch:  {kind: oversight, label: 全程监督, actor: inspect}
    flow:
      - [apply, decide]
      - [decide, done]
    oversight:
      - [watch, decide]

How to fix
----------
Point the oversight edge at the step where the power is exercised, from an oversight
step (纪检监察、审计、电子监察) or a disclosure step (公示).

Complexity
----------
O(number of oversight edges).
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import CHECK_KINDS, NEUTRAL_KINDS, Finding
from .context import Context
from .wording import kind_named

CODE = "FG108"
NAME = "misplaced-oversight-edge"
SEVERITY = "warning"
SUMMARY = Text("监督关系画在了无人行使权力或无人实施监督的环节上",
               "Oversight drawn where no one exercises power or no one watches")
LEDGER_RISK = Text("监督没有落在实际行使权力的环节上",
                   "the oversight does not watch a step where power is exercised")
MEASURE = Text("把监督落到实际作出决定或办理的环节上",
               "direct the oversight at the steps where matters are decided or handled")
PROBLEM = Text("{count} 条监督关系没有指向实际办事的环节",
               "{count} oversight link(s) that watch no real step")
DOC_ZH = """发现什么：画在开始、结束、分支或系统自动办理环节上的监督，或出自既不是监督也不
是公示环节的监督。

为什么重要：监督针对行使权力的岗位。监督开始、结束、分支或系统环节，等于没有监督任何人；出
自普通办理环节的监督，则声称了一种没有任何监督活动承担的监督。两种情况下流程图都显示了并不
存在的监督，也会误导对监督的检查（FG401）。

如何修正：让监督出自监督环节（纪检监察、审计、电子监察）或公示环节，并落在行使权力的环节上。"""


def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    steps = flowchart.steps
    for edge in flowchart.oversights:
        source, target = steps[edge.source], steps[edge.target]
        pair = (source.id, target.id)
        if source.kind not in CHECK_KINDS:
            watcher = kind_named(flowchart, source.id)
            yield Finding(CODE, SEVERITY, pair, Text(
                f"流程图画了对“{target.label}”的监督，却出自{watcher.zh}，而不是监督或"
                f"公开环节，这项监督没有人实施",
                f"the chart draws oversight of '{target.label}' from {watcher.en}, which is "
                f"not an oversight or disclosure step: nobody carries that oversight out"),
                witness=pair)
        elif target.kind in NEUTRAL_KINDS:
            watched = kind_named(flowchart, target.id)
            yield Finding(CODE, SEVERITY, pair, Text(
                f"“{source.label}”针对的是{watched.zh}，那里没有人行使权力",
                f"'{source.label}' watches {watched.en}, where nobody exercises power"),
                witness=pair)

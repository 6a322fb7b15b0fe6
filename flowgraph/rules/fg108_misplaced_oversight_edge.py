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

CODE = "FG108"
NAME = "misplaced-oversight-edge"
SEVERITY = "warning"
SUMMARY = Text("监督边没有监督实际行使权力的步骤",
               "An oversight edge that watches nothing real")
LEDGER_RISK = Text("监督没有落在实际行使权力的环节上",
                   "the oversight does not watch a step where power is exercised")
MEASURE = Text("把监督落到实际作出决定或办理的环节上",
               "direct the oversight at the steps where matters are decided or handled")
PROBLEM = Text("{count} 条监督关系没有指向实际办事的环节",
               "{count} oversight link(s) that watch no real step")
DOC_ZH = """发现什么: 指向中性步骤 (开始、结束、网关、系统) 的监督边, 或从既非监督也非公示步骤
引出的监督边。

为什么重要: 监督针对行使权力的岗位。监督开始、结束、分流网关或系统步骤等于没有监督任何人;
从普通步骤引出的监督边则声称了一种没有任何监督活动承担的监督。两种情况下流程图都显示了
并不存在的监督, 也会误导监督规则 (FG401)。

如何修正: 让监督边从监督步骤 (纪检监察、审计、电子监察) 或公示步骤出发, 指向行使权力的步骤。"""


def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    steps = flowchart.steps
    for edge in flowchart.oversights:
        source, target = steps[edge.source], steps[edge.target]
        pair = (source.id, target.id)
        if source.kind not in CHECK_KINDS:
            yield Finding(CODE, SEVERITY, pair, Text(
                f"监督边从“{source.label}”({source.kind}) 出发, 但它不是监督或公示步骤",
                f"the oversight edge from '{source.label}' ({source.kind}) does not "
                f"start at an oversight or disclosure step"), witness=pair)
        elif target.kind in NEUTRAL_KINDS:
            yield Finding(CODE, SEVERITY, pair, Text(
                f"“{source.label}”监督的是中性步骤“{target.label}”({target.kind}), "
                f"那里没有人行使权力",
                f"'{source.label}' watches the neutral step '{target.label}' "
                f"({target.kind}), where nobody exercises power"), witness=pair)

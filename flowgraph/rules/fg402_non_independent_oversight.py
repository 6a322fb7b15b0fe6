"""FG402 non-independent-oversight: an overseer who watches itself or its own boss.

What it finds
-------------
An oversight edge whose overseer's post is the watched step's post, or reports to it
(directly or up the chain of ``reports_to``).

Why it matters
--------------
Supervision by a subordinate is no supervision: the section that reports to the deputy
director will not stop the deputy director's decision. Practice requires supervision
from outside the line of command (the stationed discipline-inspection group, audit,
the public).

Example
-------
::

    flowgraph: 1
    title: 工程招标
    actors:
      office: {name: 办公室主任, rank: section, reports_to: deputy}
      deputy: {name: 分管副局长, rank: deputy}
    steps:
      plan:   {kind: start, label: 立项}
      decide: {kind: decision, label: 确定招标方式, actor: deputy}
      done:   {kind: end, label: 完成}
      watch:  {kind: oversight, label: 监督, actor: office}
    flow:
      - [plan, decide]
      - [decide, done]
    oversight:
      - [watch, decide]

Use instead
-----------
::

    flowgraph: 1
    title: 工程招标
    actors:
      office:  {name: 办公室主任, rank: section, reports_to: deputy}
      deputy:  {name: 分管副局长, rank: deputy}
      inspect: {name: 派驻纪检监察组, oversight: true}
    steps:
      plan:   {kind: start, label: 立项}
      decide: {kind: decision, label: 确定招标方式, actor: deputy}
      done:   {kind: end, label: 完成}
      watch:  {kind: oversight, label: 监督, actor: inspect}
    flow:
      - [plan, decide]
      - [decide, done]
    oversight:
      - [watch, decide]

How to fix
----------
Give the oversight to a body outside the watched post's line of command.

Complexity
----------
O(W) for W oversight edges (reporting chains are computed once per flowchart).
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from .context import Context
from .wording import post

CODE = "FG402"
NAME = "non-independent-oversight"
SEVERITY = "warning"
SUMMARY = Text("监督者是被监督岗位本身或其下级", "An overseer who watches itself or its own boss")
WEIGHT = 1
FACTOR = Text("监督不独立", "oversight not independent")
LEDGER_RISK = Text("对该环节的监督由{other_post}实施，监督者不独立于被监督岗位",
                   "the step is overseen by {other_post}, who is not independent of the post "
                   "watched")
MEASURE = Text("改由独立于{post}的机构（如派驻纪检监察组）监督“{step}”",
               "have a body independent of {post} (such as the stationed "
               "discipline-inspection group) oversee '{step}'")
PROBLEM = Text("负责监督的“{first}”由本岗位或其下属承担，监督不独立",
               "'{first}', meant to watch it, is done by the post itself or by someone "
               "who answers to it")
DOC_ZH = """发现什么：一项监督，监督者的岗位就是被监督环节的岗位，或是它的下级（直接或间接）。

为什么重要：下级监督上级等于没有监督：向分管副局长汇报的科室不会拦下分管副局长的决定。实践
要求监督来自被监督者的上下级之外（派驻纪检监察组、审计、公众）。

如何修正：把监督交给被监督岗位上下级之外的机构。"""


def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    steps = flowchart.steps
    for edge in flowchart.oversights:
        watcher, watched = steps[edge.source], steps[edge.target]
        a, b = watcher.actor, watched.actor
        if a is None or b is None:
            continue
        if a == b:
            relation = Text(f"就是被监督的{post(flowchart, b)}本人",
                            f"is {post(flowchart, b)}, the very post it watches")
        elif b in flowchart.superiors.get(a, ()):
            relation = Text(f"{post(flowchart, a)}是被监督岗位{post(flowchart, b)}的下级",
                            f"{post(flowchart, a)} reports to {post(flowchart, b)}, the "
                            f"post it watches")
        else:
            continue
        pair = (watcher.id, watched.id)
        yield Finding(CODE, SEVERITY, pair, Text(
            f"“{watcher.label}”监督“{watched.label}”，但监督者{relation.zh}，监督不独立",
            f"'{watcher.label}' watches '{watched.label}', but the overseer "
            f"{relation.en}: the oversight is not independent"),
            witness=pair)

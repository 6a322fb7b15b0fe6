"""FG202 discretion-without-benchmark: high discretion with no discretion benchmark.

What it finds
-------------
A holder of power (task, decision, review) with ``discretion: high`` whose controls
include no discretion benchmark (裁量基准 or a synonym in the control vocabulary).

Why it matters
--------------
A wide range left to one judgement (a fine from 5,000 to 50,000 yuan, "major" or not)
invites 人情罚、关系罚 and private deals. The standard measure is a discretion
benchmark (裁量基准) that splits the range into three or four bands with the facts that
place a case in each, published so that the decision can be checked against it.

Example
-------
::

    flowgraph: 1
    title: 行政处罚
    actors:
      chief: {name: 执法大队队长, rank: section}
      board: {name: 局长办公会议, collective: 5}
    steps:
      open:   {kind: start, label: 立案}
      decide: {kind: decision, label: 处罚决定, actor: chief, discretion: high}
      meet:   {kind: decision, label: 集体讨论, actor: board}
      close:  {kind: end, label: 结案}
    flow:
      - [open, decide]
      - [decide, meet]
      - [meet, close]

Use instead
-----------
::

    flowgraph: 1
    title: 行政处罚
    actors:
      chief: {name: 执法大队队长, rank: section}
      board: {name: 局长办公会议, collective: 5}
    steps:
      open:   {kind: start, label: 立案}
      decide: {kind: decision, label: 处罚决定, actor: chief, discretion: high,
               controls: [裁量基准]}
      meet:   {kind: decision, label: 集体讨论, actor: board}
      close:  {kind: end, label: 结案}
    flow:
      - [open, decide]
      - [decide, meet]
      - [meet, close]

How to fix
----------
Adopt and publish a discretion benchmark for the step and list it in its ``controls``.
If the unit names it differently, add the name to the control vocabulary in the
configuration.

Complexity
----------
O(V).
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from .context import Context

CODE = "FG202"
NAME = "discretion-without-benchmark"
SEVERITY = "warning"
SUMMARY = Text("较大裁量权没有裁量基准", "High discretion with no discretion benchmark")
WEIGHT = 1
FACTOR = Text("无裁量基准", "no discretion benchmark")
LEDGER_RISK = Text("该环节裁量空间较大，但没有裁量基准",
                   "the step leaves wide latitude and has no discretion benchmark")
MEASURE = Text("为“{step}”制定并公开裁量基准，在对应档次内裁量并说明理由",
               "adopt and publish a discretion benchmark for '{step}', decide within its "
               "bands and give reasons")
PROBLEM = Text("裁量没有基准可依",
               "its discretion has no benchmark to follow")
DOC_ZH = """发现什么：有较大裁量权的办理、决定或审核环节，其防控措施中没有裁量基准（或配置
的措施词表中的同义词）。

为什么重要：把很宽的幅度交给一个人判断（罚款五千到五万、“情节严重”与否），容易滋生人情罚、
关系罚和私下交易。标准的措施是裁量基准：把幅度分成三到四档，写明每档对应的情节，并予以公开，
使决定可以对照检查。

如何修正：为该环节制定并公开裁量基准，写入其防控措施（`controls`）。若本单位的叫法不同，在
配置的措施词表中加入该名称。"""


def check(context: Context) -> Iterator[Finding]:
    flowchart, policy = context.flowchart, context.policy
    for step in flowchart.steps.values():
        if step.is_holder and step.discretion == "high" \
                and not policy.has_control(step, "discretion-benchmark"):
            yield Finding(CODE, SEVERITY, (step.id,), Text(
                f"“{step.label}”有较大裁量权，但没有裁量基准",
                f"'{step.label}' has high discretion but no discretion benchmark"),
                witness=(step.id,))

"""FG105 missing-actor: a step that needs a post has none.

What it finds
-------------
A task, decision, review, disclosure or oversight step with no ``actor``. Start, end,
gateway and system steps are neutral and need none.

Why it matters
--------------
Responsibility is assigned by post (岗位): a step nobody performs cannot be graded,
has no responsible leader, and cannot be checked for independence or for incompatible
duties. The seven required elements of a power-operation flowchart include the post or
section handling each step.

Example
-------
::

    flowgraph: 1
    title: 行政许可
    steps:
      apply:  {kind: start, label: 申请}
      decide: {kind: decision, label: 审批}
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
Name the post that performs the step (``actor:``) and declare it under ``actors``.

Complexity
----------
O(V).
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import CHECK_KINDS, HOLDER_KINDS, Finding
from .context import Context
from .wording import kind_named

CODE = "FG105"
NAME = "missing-actor"
SEVERITY = "error"
SUMMARY = Text("需要岗位的步骤没有岗位", "A step that needs a post has none")
LEDGER_RISK = Text("流程图没有写明该环节由哪个岗位办理，责任落实不到人",
                   "the chart does not say which post performs the step: nobody answers for it")
MEASURE = Text("写明“{step}”由哪个岗位办理", "name the post that performs '{step}'")
PROBLEM = Text("{count} 个环节没有写明由哪个岗位办理",
               "{count} step(s) name no post")
DOC_ZH = """发现什么：没有写明办理岗位的办理、决定、审核、公示或监督环节。开始、结束、分支
和系统自动办理的环节不需要岗位。

为什么重要：责任按岗位落实：没有人办理的环节无法定级，没有责任领导，也无法检查监督是否独立、
不相容职务是否分离。权力运行流程图必须具备的要素之一，就是每个环节的承办岗位或科室。

如何修正：写明办理该环节的岗位（文件中的 `actor`），并在岗位名单（`actors`）中登记。"""


def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    for step in flowchart.steps.values():
        if step.actor is None and step.kind in HOLDER_KINDS | CHECK_KINDS:
            step_named = kind_named(flowchart, step.id)
            yield Finding(CODE, SEVERITY, (step.id,), Text(
                f"{step_named.zh}没有写明由哪个岗位办理",
                f"{step_named.en} does not say which post performs it"),
                witness=(step.id,))

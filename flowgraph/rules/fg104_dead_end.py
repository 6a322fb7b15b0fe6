"""FG104 dead-end: a matter can get stuck where no end is reachable.

What it finds
-------------
Steps reached from a start from which no end can be reached. One finding per root
cause: a step with no way out (no flow edge leaves it and it is not an end), or a loop
with no way out; the steps that lead only into it are not reported again. Steps that
no start reaches are FG103's. Silent when the flowchart has no end (FG102).

Why it matters
--------------
A matter that can enter a step and never be concluded is a matter left pending at
someone's discretion: the classic 吃拿卡要 delay ("come back next week"). Either the
chart misses the way on (a refusal, a return with reasons, a transfer) or the procedure
really has no time limit and no conclusion.

Example
-------
::

    flowgraph: 1
    title: 行政许可
    actors:
      window: {name: 窗口受理员}
      chief:  {name: 科室负责人}
    steps:
      apply:  {kind: start, label: 申请}
      accept: {kind: task, label: 受理, actor: window}
      check:  {kind: review, label: 审查, actor: chief}
      fix:    {kind: task, label: 补正材料, actor: window}
      done:   {kind: end, label: 办结}
    flow:
      - [apply, accept]
      - [accept, done]
      - [accept, check]
      - [check, fix, 退回补正]
      - [fix, check]

Use instead
-----------
::

    flowgraph: 1
    title: 行政许可
    actors:
      window: {name: 窗口受理员}
      chief:  {name: 科室负责人}
    steps:
      apply:  {kind: start, label: 申请}
      accept: {kind: task, label: 受理, actor: window}
      check:  {kind: review, label: 审查, actor: chief}
      fix:    {kind: task, label: 补正材料, actor: window}
      done:   {kind: end, label: 办结}
    flow:
      - [apply, accept]
      - [accept, done]
      - [accept, check]
      - [check, fix, 退回补正]
      - [fix, check]
      - [check, done]

How to fix
----------
Draw how the matter leaves the step or the loop: the decision, a refusal with reasons
(不予许可), a transfer (移送), each leading to an end.

Complexity
----------
O(V + E): one backward search from the ends and the strongly connected components of
the flow, both computed once per flowchart and shared with other rules.
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from ..paths import PointerTree, Witness
from .context import Context, requires
from .wording import group, in_step_order, named

CODE = "FG104"
NAME = "dead-end"
SEVERITY = "error"
SUMMARY = Text("事项可能卡在无法到达结束的步骤", "A matter can get stuck where no end is reachable")
LEDGER_RISK = Text("事项到该环节后没有去向，可能被搁置而无法办结",
                   "after this step a matter has nowhere to go: it can be left lying and "
                   "never finished")
MEASURE = Text("补画“{step}”之后的去向和办结环节",
               "draw where matters go after '{step}' and how they are finished")
PROBLEM = Text("{count} 处事项可能卡住、无法办结",
               "{count} place(s) where a matter can get stuck")
DOC_ZH = """发现什么：从开始可以办到、此后却再也无法办结的环节。每处只报告一次：办到这里就
没有去向、又不是结束的环节，或只在彼此之间往返、没有通向结束的一组环节；只通向它的前面环节
不再重复报告。从开始办不到的环节归 FG103。流程图没有结束环节时本规则不报告（见 FG102）。

为什么重要：事项进入某一环节后永远无法办结，就是把事项悬置在某人的裁量之下：典型的“吃拿卡要”、
久拖不办。要么流程图漏画了去向（不予许可、说明理由退回、移送），要么这一程序确实没有时限、
没有结论。

如何修正：画出事项离开该环节（或这组环节）的去向：作出决定、说明理由不予许可、移送，并各自
通向结束。"""


@requires("end")
def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    reaching = flowchart.reaching_end
    reached = flowchart.reached_from_start if flowchart.starts else None
    tree = PointerTree(reached) if reached is not None else None
    stuck = {s for s in flowchart.in_flow
             if s not in reaching and (reached is None or s in reached)}
    if not stuck:
        return
    # The stuck steps are closed under successors, so each loop (component) is wholly
    # in or out; a root cause is a component that leads nowhere else.
    components, where = flowchart.components
    succ = flowchart.succ
    roots = [in_step_order(flowchart, members)
             for number, members in enumerate(components)
             if members[0] in stuck
             and all(where[s] == number for m in members for s in succ[m])]
    for steps in sorted(roots, key=lambda steps: flowchart.order[steps[0]]):
        if reached is not None:
            entry = min(steps, key=tree.depth)
            witness = Witness.up(tree, entry)
        else:
            witness = steps
        if len(steps) == 1:
            step = named(flowchart, steps[0])
            message = Text(
                f"事项办到{step.zh}后没有去向，流程图也没有在这里结束，事项会卡在这一环节",
                f"after {step.en} a matter has nowhere to go and the chart does not end "
                f"there: the matter is stuck")
        else:
            steps_named = group(flowchart, steps)
            message = Text(
                f"{steps_named.zh}只在彼此之间往返，没有通向结束的去向，事项进入后无法办结",
                f"{steps_named.en} only pass matters among themselves with no way on to "
                f"an end: a matter that enters them is never concluded")
        yield Finding(CODE, SEVERITY, steps, message, witness=witness)

"""FG103 unreachable-step: steps no matter can reach from a start.

What it finds
-------------
Steps of the flow that no path from any start reaches. One finding per root cause: a
step with no way in (no flow edge into it), or a loop with no way in; the steps after
it, unreachable because of it, are not reported again. Oversight
and disclosure steps that stand beside the flow (no flow edges) are not concerned.
Silent when the flowchart has no start (FG101).

Why it matters
--------------
A step nobody reaches is either a drawing error or a step done off the record: in
either case the chart does not show how the power is really exercised, and the risk
analysis of that step means nothing.

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
      done:   {kind: end, label: 办结}
    flow:
      - [apply, accept]
      - [accept, done]
      - [check, done]

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
      done:   {kind: end, label: 办结}
    flow:
      - [apply, accept]
      - [accept, check]
      - [check, done]

How to fix
----------
Draw the flow edge that leads into the step, or remove the step if it is not part of
the procedure.

Complexity
----------
O(V + E): one search from the starts and the strongly connected components of the
flow, both computed once per flowchart and shared with other rules.
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from .context import Context, requires
from .wording import group, in_step_order, named

CODE = "FG103"
NAME = "unreachable-step"
SEVERITY = "error"
SUMMARY = Text("步骤无法从开始步骤到达", "A step cannot be reached from any start")
LEDGER_RISK = Text("从事项开始无法办到该环节，流程图与实际办理可能不符",
                   "a matter cannot reach this step from its start: the chart may not show "
                   "how matters are really handled")
MEASURE = Text("补画通向“{step}”的办理流程，或删去已不再使用的环节",
               "draw how matters reach '{step}', or remove it if it is no longer used")
PROBLEM = Text("{count} 处环节从开始走不到",
               "{count} step(s) no matter can reach")
DOC_ZH = """发现什么：事项从开始无论怎样办理都到不了的环节。每处只报告一次：没有任何环节通
向的环节，或只在彼此之间往返、外面没有环节通向的一组环节；因它而到不了的后续环节不再重复报
告。不在办理顺序之中的监督、公示环节不在此列。流程图没有开始环节时本规则不报告（见 FG101）。

为什么重要：没有人能办到的环节要么是画错了，要么是在流程之外办理的：无论哪种，流程图都没有
反映权力的真实运行，对该环节的风险分析也就没有意义。

如何修正：画出从前一环节到该环节的办理顺序；如果它不属于本流程，则删除。"""


@requires("start")
def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    reached = flowchart.reached_from_start
    unreachable = {s for s in flowchart.in_flow if s not in reached}
    if not unreachable:
        return
    # The unreachable steps are closed under predecessors, so each loop (component)
    # is wholly in or out; a root is a component that nothing else leads into.
    components, where = flowchart.components
    pred = flowchart.pred
    roots = [in_step_order(flowchart, members)
             for number, members in enumerate(components)
             if members[0] in unreachable
             and all(where[p] == number for m in members for p in pred[m])]
    for steps in sorted(roots, key=lambda steps: flowchart.order[steps[0]]):
        if len(steps) == 1:
            step = named(flowchart, steps[0])
            message = Text(
                f"没有任何环节通向{step.zh}，事项从开始办不到这里，只经由它才能到达的后续"
                f"环节也办不到",
                f"no step leads to {step.en}: a matter cannot get there from the start, "
                f"nor to the steps reached only through it")
        else:
            steps_named = group(flowchart, steps)
            message = Text(
                f"{steps_named.zh}只在彼此之间往返，没有任何环节通向它们，事项从开始办不到"
                f"这里",
                f"{steps_named.en} only pass matters among themselves and no step leads "
                f"to them: a matter cannot get there from the start")
        yield Finding(CODE, SEVERITY, steps, message, witness=steps)

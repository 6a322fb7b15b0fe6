"""FG301 single-person-control: one post can carry a matter from start to end alone.

What it finds
-------------
A path from a start to an end with at least one holder of power (task, decision,
review) on which every holder is performed by the same post, and that post is not a
collective body. One finding per post: its steps are the post's steps that lie on such
a path; the witness is one such path.
Silent when the flowchart has no start or no end (FG101, FG102).

Why it matters
--------------
When one person accepts, examines and decides (一人说了算), nobody else ever sees the
matter: the separation of decision, execution and supervision (决策权、执行权、监督权
相互制约) is absent, and a favour or a bribe leaves no trace.

Example
-------
::

    flowgraph: 1
    title: 费用减免
    actors:
      clerk: {name: 收费员, rank: staff}
    steps:
      apply:  {kind: start, label: 申请减免}
      check:  {kind: task, label: 核对材料, actor: clerk}
      decide: {kind: decision, label: 决定减免, actor: clerk}
      done:   {kind: end, label: 办结}
    flow:
      - [apply, check]
      - [check, decide]
      - [decide, done]

Use instead
-----------
::

    flowgraph: 1
    title: 费用减免
    actors:
      clerk: {name: 收费员, rank: staff, reports_to: chief}
      chief: {name: 财务科科长, rank: section}
    steps:
      apply:  {kind: start, label: 申请减免}
      check:  {kind: task, label: 核对材料, actor: clerk}
      decide: {kind: decision, label: 决定减免, actor: chief}
      done:   {kind: end, label: 办结}
    flow:
      - [apply, check]
      - [check, decide]
      - [decide, done]

How to fix
----------
Give at least one step on every path to another post: the decision to a superior, a
review to another section, or the decision to a collective body. Where the law assigns
the matter to one post (法定独任), waive the finding on a step with that reason.

Complexity
----------
O(V + E) for a forward search from the starts and a backward one from the ends over
the steps that hold no power, then, for each post, only the steps newly reachable
through that post's own steps (:func:`flowgraph.paths.grow`).
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from ..paths import PointerTree, Witness, breadth_first, grow
from .context import Context, requires
from .wording import named, post, route

CODE = "FG301"
NAME = "single-person-control"
SEVERITY = "error"
SUMMARY = Text("一个岗位可从头到尾独自办完事项",
               "One post can carry a matter from start to end alone")
WEIGHT = 2
FACTOR = Text("一人办结全程", "single-person control")
LEDGER_RISK = Text("{post}一人即可从头到尾办完事项，无人制约",
                   "{post} can carry a matter from start to end alone, unchecked")
MEASURE = Text("分离受理、审核与决定，“{step}”由其他岗位审核或集体决定",
               "separate accepting, reviewing and deciding: have another post review "
               "'{step}' or a collective decide it")
PROBLEM = Text("{post}一个岗位就能把事项从头办到尾",
               "{post} alone can carry a matter from start to finish")
DOC_ZH = """发现什么：事项从开始到办结的某一种办理情形中，至少有一个办理、决定或审核环节，
而这些环节全部由同一个岗位（不是集体决策机构）办理。每个岗位报告一次：列出该岗位在这类情形
中办理的环节，证据是其中一种情形的办理顺序。流程图没有开始或结束环节时本规则不报告。

为什么重要：一个人受理、审查、决定（一人说了算），别人就永远看不到这件事：决策权、执行权、
监督权相互制约无从谈起，人情和贿赂不留痕迹。

如何修正：让每一种办理情形中至少有一步由其他岗位办理：把决定交给上级、由其他科室审核，或交
由集体决定。若法律规定由一个岗位独任办理（法定独任），在该环节上以该理由豁免本规则。"""


@requires("start", "end")
def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    steps = flowchart.steps
    holders = {s.id for s in steps.values() if s.is_holder}
    by_post: dict[str, list[str]] = {}
    for s in steps.values():
        if s.is_holder and s.actor is not None and not flowchart.is_collective(s.actor):
            by_post.setdefault(s.actor, []).append(s.id)
    if not by_post:
        return

    def powerless(node):
        return node not in holders

    forward = breadth_first(flowchart.starts, flowchart.succ, powerless)
    backward = breadth_first(flowchart.ends, flowchart.pred, powerless)
    forward_tree, backward_tree = PointerTree(forward), PointerTree(backward)
    for actor, ids in by_post.items():
        own = set(ids)

        def passable(node, own=own):
            return node not in holders or node in own

        ahead = grow(forward, ids, flowchart.pred, flowchart.succ, passable)
        behind = grow(backward, ids, flowchart.succ, flowchart.pred, passable)
        alone = [s for s in ids if s in ahead and s in behind]
        if not alone:
            continue
        first = alone[0]
        witness = Witness.up(PointerTree(ahead, forward_tree), first) \
            + Witness.down(PointerTree(behind, backward_tree), first, skip=1)
        first, last = (named(flowchart, step) for step in (witness[0], witness[-1]))
        between = route(flowchart, witness, skip_first=1, skip_last=1)
        via = Text(f"经{between.zh}", f" through {between.en}") if between else Text("", "")
        yield Finding(CODE, SEVERITY, tuple(alone), Text(
            f"{post(flowchart, actor)}一人即可把事项从{first.zh}{via.zh}办到{last.zh}，"
            f"途中每个掌握权力的环节都由该岗位办理",
            f"{post(flowchart, actor)} alone can carry a matter from {first.en}{via.en} "
            f"to {last.en}, holding every step of power on the way"),
            witness=witness)

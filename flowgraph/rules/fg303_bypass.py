"""FG303 bypass: a decision that some matters reach without the review others pass.

What it finds
-------------
A ``decision`` step that some path from a start reaches through a ``review`` step, and
another path reaches through none. A review counts only if it comes before the
decision: a review reached only after passing the decision (a loop back from a later
check) does not. The witness is the path without review.
Silent when the flowchart has no start (FG101).

Why it matters
--------------
The shortcut around the review is the leader's signed note (领导签批, 打招呼): the
normal matter is examined before it is decided, the favoured one goes straight to the
decision. The chart shows that the procedure allows it.

Example
-------
::

    flowgraph: 1
    title: 行政许可
    actors:
      window: {name: 窗口受理员, rank: staff, reports_to: chief}
      chief:  {name: 审批科科长, rank: section, reports_to: deputy}
      deputy: {name: 分管副局长, rank: deputy}
    steps:
      apply:  {kind: start, label: 申请}
      accept: {kind: task, label: 受理, actor: window}
      check:  {kind: review, label: 审查, actor: chief}
      decide: {kind: decision, label: 审批, actor: deputy}
      done:   {kind: end, label: 办结}
    flow:
      - [apply, accept]
      - [accept, check]
      - [check, decide]
      - [accept, decide, 领导签批]
      - [decide, done]

Use instead
-----------
::

    flowgraph: 1
    title: 行政许可
    actors:
      window: {name: 窗口受理员, rank: staff, reports_to: chief}
      chief:  {name: 审批科科长, rank: section, reports_to: deputy}
      deputy: {name: 分管副局长, rank: deputy}
    steps:
      apply:  {kind: start, label: 申请}
      accept: {kind: task, label: 受理, actor: window}
      check:  {kind: review, label: 审查, actor: chief}
      decide: {kind: decision, label: 审批, actor: deputy}
      done:   {kind: end, label: 办结}
    flow:
      - [apply, accept]
      - [accept, check]
      - [check, decide]
      - [decide, done]

How to fix
----------
Remove the shortcut, or route it through the review (an urgent matter can have a
shorter time limit, not a missing review).

Complexity
----------
O(V + E): a search from the starts that does not enter reviews and a pass over the
loops of the flow (strongly connected components, computed once per flowchart) in
topological order. Only for a decision sharing a loop with its only reviews, the
dominator tree of the flow graph (computed once, networkx's Cooper-Harvey-Kennedy
algorithm) settles whether such a review can come first.
"""
from collections.abc import Iterator
from itertools import chain

from ..i18n import Text
from ..model import Finding
from ..paths import PointerTree, Witness, breadth_first
from .context import Context, requires
from .wording import named, route

CODE = "FG303"
NAME = "bypass"
SEVERITY = "warning"
SUMMARY = Text("决定可绕过审核（领导签批的捷径）",
               "A decision can be reached bypassing the review")
WEIGHT = 1
FACTOR = Text("可绕过审核", "review can be bypassed")
LEDGER_RISK = Text("事项可以不经审核直接到达该环节作出决定（如领导签批）",
                   "a matter can reach this decision without any review (a leader's signed "
                   "note)")
MEASURE = Text("堵塞绕过审核直达“{step}”的途径，领导签批的事项同样先经审核",
               "close the way to '{step}' around the review: matters a leader signs off "
               "are reviewed too")
PROBLEM = Text("事项可以不经审核直接到这里作出决定",
               "a matter can reach this decision without the review")
DOC_ZH = """发现什么：一个决定环节，有的办理情形先经过审核再到达它，另一种情形却不经过任何
审核。审核必须在决定之前才算：只有作出该决定之后才能办到的审核（例如后续检查退回后的复核）
不算。证据是那一不经审核的办理顺序。流程图没有开始环节时本规则不报告。

为什么重要：绕过审核的捷径就是领导签批、打招呼：普通事项先审后批，关照的事项直达决定。流程
图表明程序允许这样做。

如何修正：取消捷径，或让它也经过审核（紧急事项可以缩短时限，但不能省掉审核）。"""


@requires("start")
def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    steps = flowchart.steps
    reviews = {s.id for s in steps.values() if s.kind == "review"}
    decisions = [s.id for s in steps.values() if s.kind == "decision"]
    if not reviews or not decisions:
        return
    unreviewed = breadth_first(flowchart.starts, flowchart.succ, lambda n: n not in reviews)
    candidates = [d for d in decisions if d in unreviewed]
    if not candidates:
        return
    tree = PointerTree(unreviewed)
    reached = flowchart.reached_from_start
    components, where = flowchart.components
    pred = flowchart.pred
    with_review = {where[r] for r in reviews if r in reached}
    has_review = [number in with_review for number in range(len(components))]
    # Whether a review in an earlier loop leads into each loop: sources first. While a
    # loop is asked, it is not marked itself, so only edges from other loops count;
    # the edges are walked without a step of Python each (a dense chart has millions).
    reviewed_before = [False] * len(components)
    marked = list(has_review)  # a review in the loop, or one before it leading in
    for number in range(len(components) - 1, -1, -1):
        own, marked[number] = marked[number], False
        before = any(map(marked.__getitem__, map(where.__getitem__, chain.from_iterable(
            map(pred.__getitem__, components[number])))))
        reviewed_before[number] = before
        marked[number] = own or before
    dominance = None
    for decision in candidates:
        number = where[decision]
        if not reviewed_before[number]:
            if not has_review[number]:
                continue
            # Only reviews in the decision's own loop: one counts if some matter can
            # reach it without passing the decision first.
            if dominance is None:
                dominance = _dominance(flowchart)
            if all(dominance(decision, r) for r in components[number] if r in reviews):
                continue
        witness = Witness.up(tree, decision)
        first = named(flowchart, witness[0])
        between = route(flowchart, witness, skip_first=1, skip_last=1)
        way = Text(f"从{first.zh}经{between.zh}", f"from {first.en} through {between.en}") \
            if between else Text(f"从{first.zh}直接", f"directly from {first.en}")
        yield Finding(CODE, SEVERITY, (decision,), Text(
            f"“{steps[decision].label}”通常经审核后作出，但事项也可{way.zh}到达这里，"
            f"不经过任何审核",
            f"'{steps[decision].label}' is normally taken after a review, but a matter "
            f"can also reach it {way.en} without any review"),
            witness=witness)


def _dominance(flowchart):
    """A test ``dominates(a, b)``: every path from a start to ``b`` passes ``a``.

    The dominator tree of the flow under a virtual root before every start, numbered
    by a depth-first walk so that each test is two comparisons.
    """
    import networkx as nx
    root = object()
    graph = nx.DiGraph()
    graph.add_nodes_from(flowchart.steps)
    succ = flowchart.succ
    graph.add_edges_from((step, after) for step in flowchart.steps for after in succ[step])
    graph.add_edges_from((root, s) for s in flowchart.starts)
    parent = nx.immediate_dominators(graph, root)
    children: dict = {}
    for node, boss in parent.items():
        if node is not root:
            children.setdefault(boss, []).append(node)
    enter, leave, clock = {}, {}, 0
    work = [(root, iter(children.get(root, ())))]
    enter[root] = clock
    while work:
        node, below = work[-1]
        child = next(below, None)
        clock += 1
        if child is None:
            leave[node] = clock
            work.pop()
        else:
            enter[child] = clock
            work.append((child, iter(children.get(child, ()))))

    def dominates(a, b) -> bool:
        return a in enter and b in enter and enter[a] <= enter[b] and leave[b] <= leave[a]
    return dominates

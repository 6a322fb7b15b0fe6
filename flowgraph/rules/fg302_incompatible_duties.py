"""FG302 incompatible-duties: one post holds two incompatible duties on one path.

What it finds
-------------
One post performing two steps whose declared ``duty`` values are an incompatible pair,
where one step reaches the other along the flow. Only declared duties count; nothing is
guessed from labels. Default pairs (configurable as ``incompatible_duties``):
apply/approve, approve/execute, execute/record, custody/record, execute/inspect,
approve/inspect. One finding per post and pair; the witness is the path between them.

Why it matters
--------------
The internal-control norms for administrative units (2012) and enterprises (2008) and
the Accounting Law separate incompatible duties (不相容职务分离): who applies does not
approve, who approves does not pay, the cashier does not keep the books. When one
person holds both, an error or a theft has no second pair of eyes.

Example
-------
::

    flowgraph: 1
    title: 财务报销
    actors:
      cashier: {name: 出纳, rank: staff}
    steps:
      submit: {kind: start, label: 提交报销单}
      pay:    {kind: task, label: 支付, actor: cashier, duty: execute}
      book:   {kind: task, label: 记账, actor: cashier, duty: record}
      done:   {kind: end, label: 归档}
    flow:
      - [submit, pay]
      - [pay, book]
      - [book, done]

Use instead
-----------
::

    flowgraph: 1
    title: 财务报销
    actors:
      cashier:    {name: 出纳, rank: staff}
      accountant: {name: 会计, rank: staff}
    steps:
      submit: {kind: start, label: 提交报销单}
      pay:    {kind: task, label: 支付, actor: cashier, duty: execute}
      book:   {kind: task, label: 记账, actor: accountant, duty: record}
      done:   {kind: end, label: 归档}
    flow:
      - [submit, pay]
      - [pay, book]
      - [book, done]

How to fix
----------
Give one of the two steps to another post (the accountant books what the cashier pays;
someone other than the buyer accepts the delivery).

Complexity
----------
One pass over the loops of the flow graph (its strongly connected components) computes,
for every step, the set of (post, duty) marks reachable from it as a bit set:
O((V + E) · k / 64) for k marks worth tracking (posts holding both sides of a pair). A
witness search runs only for a pair that is found, and enters only steps that can still
reach the target.
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from ..paths import breadth_first, follow
from ..vocabulary import DUTY_NAMES
from .context import Context
from .wording import post, route

CODE = "FG302"
NAME = "incompatible-duties"
SEVERITY = "error"
SUMMARY = Text("同一岗位在同一事项的办理中兼任不相容职务",
               "One post holds two incompatible duties in handling one matter")
WEIGHT = 2
FACTOR = Text("不相容职务未分离", "incompatible duties")
LEDGER_RISK = Text("{post}既办理该环节又办理“{other}”，不相容职务没有分离",
                   "{post} performs both this step and '{other}': incompatible duties are "
                   "not separated")
MEASURE = Text("“{step}”与“{other}”分别由不同岗位办理",
               "give '{step}' and '{other}' to different posts")
PROBLEM = Text("同一岗位既办“{first}”又办“{second}”，不相容的职责没有分开",
               "the same post does both '{first}' and '{second}': duties that should be "
               "separated are not")
DOC_ZH = """发现什么：同一岗位办理的两个环节，其职责属于一对不相容职务，且同一事项先后经过
这两个环节。只计入流程图写明的职责（`duty`），不根据名称猜测。默认的不相容职务（可在
配置 `incompatible_duties` 中修改）：申请与审批、审批与执行、执行与记录、保管与记录、执行与
检查、审批与检查。每个岗位的每对职务报告一次，证据是二者之间的办理顺序。

为什么重要：行政事业单位内部控制规范（2012）、企业内部控制基本规范（2008）和会计法都要求不
相容职务相互分离：申请的人不审批，审批的人不付款，出纳不管账。一人兼任时，差错或侵占没有第
二双眼睛。

如何修正：把两个环节之一交给其他岗位（出纳付款、会计记账；采购人以外的人验收）。"""


def check(context: Context) -> Iterator[Finding]:
    flowchart, policy = context.flowchart, context.policy
    steps = flowchart.steps
    duties: dict[str, dict[str, list[str]]] = {}
    for s in steps.values():
        if s.duty is not None and s.actor is not None:
            duties.setdefault(s.actor, {}).setdefault(s.duty, []).append(s.id)
    pairs = list(dict.fromkeys(tuple(pair) for pair in policy.incompatible_duties))
    # The (post, duty) pairs worth tracking: a post holding both sides of a pair.
    wanted = [(actor, first, second) for actor, held in duties.items()
              for first, second in pairs if first in held and second in held]
    if not wanted:
        return
    bit: dict[tuple[str, str], int] = {}
    for actor, first, second in wanted:
        for duty in (first, second):
            bit.setdefault((actor, duty), 1 << len(bit))
    marks = {s.id: bit[s.actor, s.duty] for s in steps.values() if (s.actor, s.duty) in bit}
    reach = _downstream(flowchart, marks)
    for actor, first, second in wanted:
        witness = _witness(flowchart.succ, reach, duties[actor][first],
                           bit[actor, second], duties[actor][second]) \
            or _witness(flowchart.succ, reach, duties[actor][second],
                        bit[actor, first], duties[actor][first])
        if witness is None:
            continue
        a, b = steps[witness[0]], steps[witness[-1]]
        duty_a, duty_b = DUTY_NAMES[a.duty], DUTY_NAMES[b.duty]
        between = route(flowchart, witness, skip_first=1, skip_last=1)
        passes = Text(f"办完前者后经{between.zh}到达后者",
                      f"from the first through {between.en} to the second") \
            if between else Text("先后经过这两个环节", "through both in turn")
        yield Finding(CODE, SEVERITY, (a.id, b.id), Text(
            f"{post(flowchart, actor)}既办理“{a.label}”（{duty_a.zh}）又办理“{b.label}”"
            f"（{duty_b.zh}），同一事项{passes.zh}，不相容职务没有分离",
            f"{post(flowchart, actor)} performs both '{a.label}' ({duty_a.en}) and "
            f"'{b.label}' ({duty_b.en}), and one matter passes {passes.en}: incompatible "
            f"duties are not separated"),
            witness=witness)


def _downstream(flowchart, marks: dict[str, int]):
    """For every step, the marks (bit sets) of the steps reachable from it.

    One pass over the loops (strongly connected components), sinks first: a step
    reaches what its successors are and reach, and, inside a loop, every step of it.
    Returns a function from step to bit set.
    """
    components, where = flowchart.components
    succ = flowchart.succ
    own = [0] * len(components)
    for step, mark in marks.items():
        own[where[step]] |= mark
    below = [0] * len(components)
    for number, members in enumerate(components):
        bits = own[number] if len(members) > 1 else 0
        for member in members:
            for successor in succ[member]:
                other = where[successor]
                if other != number:
                    bits |= below[other] | own[other]
        below[number] = bits
    return lambda step: below[where[step]]


def _witness(successors, reach, sources, target_bit, targets):
    """The shortest path from one of ``sources`` to one of ``targets``, or None.

    The search enters only steps that are targets or can still reach one.
    """
    sources = [s for s in sources if reach(s) & target_bit]
    if not sources:
        return None
    goal = set(targets)
    found = breadth_first(sources, successors,
                          lambda n: n in goal or bool(reach(n) & target_bit), until=goal)
    for target in targets:
        if target in found and found[target] is not None:
            return tuple(reversed(follow(found, target)))
    return None

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
One or two forward searches per post and incompatible pair that the post holds both
sides of: O(k (V + E)) for k such post-pair combinations, which is small (a handful per
flowchart in practice; zero for posts that hold no incompatible pair).
"""
from ..i18n import Text
from ..model import Finding
from ..paths import breadth_first, follow
from ._common import path_text, post

CODE = "FG302"
NAME = "incompatible-duties"
SEVERITY = "error"
SUMMARY = Text("同一岗位在同一路径上兼任不相容职务",
               "One post holds two incompatible duties on one path")
DOC_ZH = """发现什么: 同一岗位办理的两个步骤, 其声明的 duty 属于一对不相容职务, 且其中一个步骤
沿流程可到达另一个。只计入声明的 duty, 不根据名称猜测。默认的不相容职务 (可在配置
incompatible_duties 中修改): 申请/审批、审批/执行、执行/记录、保管/记录、执行/检查、
审批/检查。每个岗位的每对职务报告一次, 证据是二者之间的路径。

为什么重要: 行政事业单位内部控制规范 (2012)、企业内部控制基本规范 (2008) 和会计法都要求
不相容职务相互分离: 申请的人不审批, 审批的人不付款, 出纳不管账。一人兼任时, 差错或侵占
没有第二双眼睛。

如何修正: 把两个步骤之一交给其他岗位 (出纳付款、会计记账; 采购人以外的人验收)。"""

DUTY_ZH = {"apply": "申请", "approve": "审批", "execute": "执行", "record": "记录",
           "custody": "保管", "inspect": "检查"}


def check(flowchart, policy):
    flow = flowchart.flow
    duties: dict[str, dict[str, list[str]]] = {}
    for s in flowchart.steps.values():
        if s.duty is not None and s.actor is not None:
            duties.setdefault(s.actor, {}).setdefault(s.duty, []).append(s.id)
    pairs = list(dict.fromkeys(tuple(pair) for pair in policy.incompatible_duties))
    for actor, held in duties.items():
        for first, second in pairs:
            if first not in held or second not in held:
                continue
            witness = _connect(flow, held[first], held[second]) \
                or _connect(flow, held[second], held[first])
            if witness is None:
                continue
            a, b = flowchart.steps[witness[0]], flowchart.steps[witness[-1]]
            yield Finding(CODE, SEVERITY, (a.id, b.id), Text(
                f"{post(flowchart, actor)}既办理“{a.label}”({DUTY_ZH[a.duty]}) 又办理"
                f"“{b.label}”({DUTY_ZH[b.duty]}), 二者在同一路径上: "
                f"{path_text(flowchart, witness)}",
                f"{post(flowchart, actor)} performs both '{a.label}' ({a.duty}) and "
                f"'{b.label}' ({b.duty}), on one path: {path_text(flowchart, witness)}"),
                witness=witness)


def _connect(flow, sources, targets):
    """The shortest path from one of ``sources`` to one of ``targets``, or None."""
    reached = breadth_first(sources, flow.succ)
    for target in targets:
        if target in reached:
            return tuple(reversed(follow(reached, target)))
    return None

"""FG401 missing-oversight: a high-stakes step that no independent eye watches.

What it finds
-------------
A high-stakes holder of power (task, decision, review) whose post is not a collective
body, with no oversight edge from a step whose post is independent of its own, and from
which some path reaches an end without passing a disclosure step. A step is high-stakes
when its discretion is ``medium`` or ``high``, or money at stake reaches the policy's
threshold (default 100,000 yuan), or people are at stake. The finding proposes the
missing edge: from the flowchart's independent oversight step when it has one (the
stationed discipline-inspection group first), otherwise from a new one. The witness is
the path to an end that no disclosure lights.
Silent when the flowchart has no end (FG102).

Why it matters
--------------
Where much is at stake and nothing is made public, only supervision can catch abuse:
the stationed discipline-inspection group (派驻纪检监察组), audit, e-monitoring of
online approvals. Supervision by the post's own line is no supervision (FG402).

Example
-------
::

    flowgraph: 1
    title: 专项资金分配
    actors:
      chief:  {name: 资金科科长, rank: section, reports_to: deputy}
      deputy: {name: 分管副局长, rank: deputy}
    steps:
      apply:  {kind: start, label: 申报}
      review: {kind: review, label: 审核, actor: chief}
      decide: {kind: decision, label: 确定分配方案, actor: deputy,
               stakes: {money: 2000000}}
      pay:    {kind: end, label: 拨付}
    flow:
      - [apply, review]
      - [review, decide]
      - [decide, pay]

Use instead
-----------
::

    flowgraph: 1
    title: 专项资金分配
    actors:
      chief:   {name: 资金科科长, rank: section, reports_to: deputy}
      deputy:  {name: 分管副局长, rank: deputy}
      inspect: {name: 派驻纪检监察组, oversight: true}
    steps:
      apply:  {kind: start, label: 申报}
      review: {kind: review, label: 审核, actor: chief}
      decide: {kind: decision, label: 确定分配方案, actor: deputy,
               stakes: {money: 2000000}}
      pay:    {kind: end, label: 拨付}
      watch:  {kind: oversight, label: 全程监督, actor: inspect}
    flow:
      - [apply, review]
      - [review, decide]
      - [decide, pay]
    oversight:
      - [watch, decide]

How to fix
----------
Add the proposed oversight edge (and the oversight step, if the chart has none), or
publish the result before it takes effect (公示) on every path to an end.

Complexity
----------
O(V + E + W): one backward search from the ends that does not enter disclosures, and a
look at the W oversight edges.
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from ..paths import PointerTree, Witness, breadth_first
from ..vocabulary import DISCRETION_NAMES, yuan
from .context import Context, requires
from .wording import onward, post

CODE = "FG401"
NAME = "missing-oversight"
SEVERITY = "warning"
SUMMARY = Text("利害重大的环节没有独立监督", "A high-stakes step that no independent eye watches")
WEIGHT = 2
FACTOR = Text("无独立监督", "no independent oversight")
LEDGER_RISK = Text("该环节利害重大，却没有独立监督，结果也不公示",
                   "much is at stake at the step, yet no independent body watches it and "
                   "the outcome is not published")
MEASURE = Text("由{watcher}对“{step}”实施监督，或在生效前公示结果",
               "have {watcher} oversee '{step}', or publish the outcome before it takes "
               "effect")
PROBLEM = Text("没有独立的监督，结果也不公示",
               "no independent body watches it and the outcome is not published")
DOC_ZH = """发现什么：利害重大的办理、决定或审核环节（不由集体决策机构办理），没有独立岗位
对它实施监督，且此后事项可以不经公示就办结。利害重大指：有中等或较大裁量权，或涉及金额达到
策略阈值（默认 10 万元），或涉及人事。本规则同时建议由谁监督：流程图中已有独立的监督环节时
由它监督（优先派驻纪检监察组），否则新增一个监督环节。证据是那一不经公示的办理顺序。流程图
没有结束环节时本规则不报告。

为什么重要：利害重大而又不公开的地方，只有监督能发现滥用：派驻纪检监察组、审计、网上审批的
电子监察。本岗位上下级之间的监督不是监督（见 FG402）。

如何修正：按建议增加监督（流程图没有监督环节时一并增加），或在每一种办理情形中于生效前公示
结果。"""


@requires("end")
def check(context: Context) -> Iterator[Finding]:
    flowchart, policy = context.flowchart, context.policy
    steps = flowchart.steps
    disclosures = {s.id for s in steps.values() if s.kind == "disclosure"}
    unlit = breadth_first(flowchart.ends, flowchart.pred,
                          lambda n: n not in disclosures)
    tree = PointerTree(unlit)
    watchers: dict[str, list[str]] = {}
    for edge in flowchart.oversights:
        watchers.setdefault(edge.target, []).append(edge.source)
    overseers = sorted((s for s in steps.values() if s.kind == "oversight"),
                       key=lambda s: not (flowchart.actors.get(s.actor) is not None
                                          and flowchart.actors[s.actor].oversight))
    for step in steps.values():
        actor = step.actor
        if not step.is_holder or actor is None or flowchart.is_collective(actor) \
                or step.id not in unlit or not policy.is_high_stakes(step):
            continue
        if any(flowchart.is_independent(steps[w].actor, actor)
               for w in watchers.get(step.id, ())):
            continue
        witness = Witness.down(tree, step.id)
        proposer = next((o.id for o in overseers
                         if flowchart.is_independent(o.actor, actor)), None)
        if proposer is not None:
            proposal = Text(f"建议把这一环节纳入“{steps[proposer].label}”的监督范围",
                            f"suggested: have '{steps[proposer].label}' watch this step "
                            f"too")
        else:
            proposal = Text("建议由派驻纪检监察组等独立监督机构监督这一环节",
                            "suggested: have an independent body such as the stationed "
                            "discipline-inspection group watch this step")
        stakes, then = _stakes(step, policy), onward(flowchart, witness)
        yield Finding(CODE, SEVERITY, (step.id,), Text(
            f"“{step.label}”（{post(flowchart, actor)}）{stakes.zh}，利害重大，却没有"
            f"独立监督；此后事项{then.zh}，途中也不公示；{proposal.zh}",
            f"'{step.label}' is high-stakes ({post(flowchart, actor)}: {stakes.en}), "
            f"yet no independent body watches it, and from there a matter "
            f"can {then.en} with no disclosure; {proposal.en}"),
            witness=witness, proposed_edge=(proposer, step.id))


def _stakes(step, policy) -> Text:
    """Why the step is high-stakes, in words: ``有中等裁量权、涉及金额 ¥600,000`` /
    ``medium discretion, ¥600,000 at stake``."""
    zh, en = [], []
    if step.discretion in ("medium", "high"):
        latitude = DISCRETION_NAMES[step.discretion]
        zh.append(f"有{latitude.zh}")
        en.append(latitude.en)
    money = step.stakes.money
    if money is not None and money >= policy.high_stakes_money:
        zh.append(f"涉及金额 {yuan(money)}")
        en.append(f"{yuan(money)} at stake")
    if step.stakes.people:
        zh.append("涉及人事")
        en.append("appointments at stake")
    return Text("、".join(zh), ", ".join(en))

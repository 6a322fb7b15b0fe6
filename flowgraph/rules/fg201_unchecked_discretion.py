"""FG201 unchecked-discretion: a discretion point that can reach an end unchecked.

What it finds
-------------
A holder of power (task, decision, review) with discretion above ``none``, whose post
is not a collective body, from which some flow path reaches an end without passing a
*check* of it. A check of step *d* is a later step that is a review or decision by a
post independent of *d*'s post (not the same post, not one that reports to it), any
holder performed by a collective body, or any disclosure step (whoever publishes, the
public is the checker). The witness is that unchecked path, shortest first.
Silent when the flowchart has no end (FG102).

Why it matters
--------------
Discretion without a check is the core of integrity risk (廉政风险): accept or refuse,
set an amount, choose a supplier, waive a fee, and nobody after you looks. Practice
requires that discretion be checked by someone outside the post's own line, by a
collective decision, or by publication.

Example
-------
::

    flowgraph: 1
    title: 行政处罚
    actors:
      officer: {name: 执法人员, rank: staff, reports_to: chief}
      chief:   {name: 执法大队队长, rank: section}
    steps:
      open:   {kind: start, label: 立案}
      probe:  {kind: task, label: 调查取证, actor: officer}
      decide: {kind: decision, label: 处罚决定, actor: chief, discretion: high,
               controls: [裁量基准]}
      close:  {kind: end, label: 结案}
    flow:
      - [open, probe]
      - [probe, decide]
      - [decide, close]

Use instead
-----------
::

    flowgraph: 1
    title: 行政处罚
    actors:
      officer: {name: 执法人员, rank: staff, reports_to: chief}
      chief:   {name: 执法大队队长, rank: section}
      legal:   {name: 法制科科长, rank: section}
    steps:
      open:   {kind: start, label: 立案}
      probe:  {kind: task, label: 调查取证, actor: officer}
      decide: {kind: decision, label: 处罚决定, actor: chief, discretion: high,
               controls: [裁量基准]}
      audit:  {kind: review, label: 法制审核, actor: legal}
      close:  {kind: end, label: 结案}
    flow:
      - [open, probe]
      - [probe, decide]
      - [decide, audit]
      - [audit, close]

How to fix
----------
On every path from the discretion point to an end, put an independent review (法制审核,
a reviewer outside the post's reporting line), a collective decision (集体讨论), or
publication of the result (结果公示). If the law makes the post decide alone, waive
the finding on the step with the legal reason.

Complexity
----------
O(V + E) for one backward search from the ends over the steps that check nobody, then,
for each post with discretion, only the steps newly reachable through that post's own
reviews and decisions and its subordinates' (:func:`flowgraph.paths.grow`): near-linear
in practice, never a search per step.
"""
from collections.abc import Iterator

from ..i18n import Text
from ..model import Finding
from ..paths import PointerTree, Witness, breadth_first, grow
from ..vocabulary import DISCRETION_NAMES
from .context import Context, requires
from .wording import onward, post

CODE = "FG201"
NAME = "unchecked-discretion"
SEVERITY = "error"
SUMMARY = Text("裁量权可不经任何制约直达办结", "A discretion point can reach an end unchecked")
WEIGHT = 2
FACTOR = Text("裁量权未受制约", "unchecked discretion")
LEDGER_RISK = Text("该环节{act}后，流程中无人审核、无集体研究、也不公示，事项即可办结",
                   "once the post {act} here, nobody reviews it, no collective decides and "
                   "nothing is published on the way to the matter's close")
MEASURE = Text("在“{step}”之后、“{next}”之前增设独立审核（如法制审核）、集体研究或结果公示",
               "add an independent review (such as legal review), a collective decision or "
               "disclosure of the outcome after '{step}', before '{next}'")
PROBLEM = Text("此后直到办结，没有独立审核、集体研究或公示",
               "nothing after it checks the matter before it is closed: no independent "
               "review, collective decision or publication")
DOC_ZH = """发现什么：有裁量权、且不由集体决策机构办理的办理、决定或审核环节，此后事项可以
不经任何“制约”就办结。对一个环节的制约是其后的这些环节：由独立岗位（不是同一岗位，也不是它
的下级）作出的审核或决定；由集体决策机构办理的任何环节；任何公示环节（无论谁公示，监督者是
公众）。证据是这一未受制约的办理顺序。流程图没有结束环节时本规则不报告（见 FG102）。

为什么重要：没有制约的裁量权是廉政风险的核心：受理或不受理、定金额、选供应商、减免费用，而
之后没有人再看一眼。实践要求裁量权受到本岗位上下级之外的人、集体决策或公开的制约。

如何修正：在裁量之后直到办结的每一种办理情形中，设置独立审核（法制审核，由本岗位上下级之外
的人审核）、集体讨论或结果公示。若法律规定由该岗位独任决定，在该环节上以法律依据豁免本规则。"""


@requires("end")
def check(context: Context) -> Iterator[Finding]:
    flowchart = context.flowchart
    steps = flowchart.steps
    is_collective = flowchart.is_collective
    # Steps that check every post: disclosures and whatever a collective body does.
    universal = {s.id for s in steps.values()
                 if s.kind == "disclosure" or (s.is_holder and is_collective(s.actor))}
    # Reviews and decisions by one declared post check every other post except that
    # post's superiors: for the post itself and its superiors they are passable. By a
    # missing or undeclared post, they check nobody.
    by_post: dict[str, list[str]] = {}
    for s in steps.values():
        if s.kind in ("review", "decision") and s.id not in universal \
                and s.actor in flowchart.actors:
            by_post.setdefault(s.actor, []).append(s.id)
    conditional = {step for ids in by_post.values() for step in ids}

    points: dict[str, list[str]] = {}
    for s in steps.values():
        if s.is_holder and s.has_discretion and s.actor is not None \
                and not is_collective(s.actor):
            points.setdefault(s.actor, []).append(s.id)
    if not points:
        return

    def neither(node):
        return node not in universal and node not in conditional

    base = breadth_first(flowchart.ends, flowchart.pred, neither)
    base_tree = PointerTree(base)
    for actor, ids in points.items():
        own = [step for poster in (actor, *flowchart.subordinates.get(actor, ()))
               for step in by_post.get(poster, ())]
        own_set = set(own)
        added = grow(base, own, flowchart.succ, flowchart.pred,
                     lambda node, own_set=own_set: neither(node) or node in own_set)
        tree = PointerTree(added, base_tree)
        for step_id in ids:
            if step_id not in base and step_id not in added:
                continue
            witness = Witness.down(tree, step_id)
            step = steps[step_id]
            latitude, then = DISCRETION_NAMES[step.discretion], onward(flowchart, witness)
            yield Finding(CODE, SEVERITY, (step_id,), Text(
                f"{post(flowchart, actor)}在“{step.label}”有{latitude.zh}，但此后事项"
                f"{then.zh}，途中没有独立审核、集体决策或公示",
                f"{post(flowchart, actor)} has {latitude.en} at '{step.label}', yet from "
                f"there a matter can {then.en} with no independent review, collective "
                f"decision or disclosure"),
                witness=witness)

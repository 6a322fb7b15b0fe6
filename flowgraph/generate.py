"""Realistic synthetic flowcharts, seeded and deterministic: a city's batch, or one huge chart.

Benchmarks and the calibration of the grading policy need material of a city's size
(design.md §1: 67 units, 1,102 flowcharts, six categories) that looks like what units
draw: the standard procedures of domain.md (licensing, penalties, levies, benefits,
inspections, procurement, spending, appointments), each unit with one roster of posts
used in all its charts (so that posts recur across flowcharts, as 牛科长 do), steps of
8 to 60, return-for-correction loops, branches, oversight and disclosure, and the
weaknesses real charts have at realistic rates (about one chart in four): a discretion
point that skips its review, a fast track one post finishes alone, a cashier who also
keeps the books, a leader's sign-off that bypasses the review, a high-stakes step no one
watches, oversight by a subordinate, a gateway with one branch, a step with no post, high
discretion with no benchmark. Units declare grades as they would: mostly by the stakes,
sometimes a grade off.

``batch(count, seed)`` yields ``(relative path, YAML text)`` lazily (100,000 charts
stream in flat memory); ``chart(steps, seed)`` is one flowchart of exactly ``steps``
steps, a merged administration chart, for the 100,000-step benchmark. Same arguments,
same bytes. Pure Python: ``random.Random`` only.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from .io.yaml_writer import scalar

UNIT_KINDS = [
    ("市市场监督管理局", ["登记注册科", "食品经营科", "价格监督检查科", "执法稽查支队"]),
    ("市住房和城乡建设局", ["审批科", "建筑市场科", "房地产市场科", "基建科"]),
    ("市生态环境局", ["环评科", "执法支队", "法规科", "监测科"]),
    ("市财政局", ["预算科", "国库科", "采购管理科", "经建科"]),
    ("市交通运输局", ["运输管理科", "建设管理科", "执法支队", "计划财务科"]),
    ("市民政局", ["社会救助科", "人事科", "社会组织科", "计划财务科"]),
    ("区教育局", ["教育装备科", "基建科", "计划财务科", "人事科"]),
    ("镇人民政府", ["社会事务办", "财政所", "经济发展办", "党政办"]),
    ("市自然资源局", ["土地利用科", "地籍科", "执法监察支队", "规划科"]),
    ("市应急管理局", ["执法支队", "危化品科", "综合科", "计划财务科"]),
    ("市人力资源和社会保障局", ["就业科", "社保基金科", "劳动监察支队", "人事科"]),
    ("市卫生健康委员会", ["医政科", "监督所", "计划财务科", "人事科"]),
]
#: Sections most units have besides their own, to draw rosters of realistic size.
COMMON_SECTIONS = ["办公室", "综合科", "政策法规科", "行政审批科", "监督管理科", "规划发展科",
                   "安全监管科", "科技信息科", "宣传教育科", "人事教育科", "执法一大队",
                   "执法二大队", "服务中心", "统计科"]
PLACES = ["东城", "西城", "南湖", "北山", "青山", "江南", "新区", "高新", "滨海", "河西",
          "城南", "临江", "松山", "桃源", "白云", "金沙", "长宁", "安定"]
DISTRICT_PREFIX = ("区", "镇")

#: Categories with the procedures drawn for them and their share of a city's items.
PROCEDURES = [
    ("行政许可", "license", 0.30), ("行政处罚", "penalty", 0.22), ("行政征收", "levy", 0.08),
    ("行政给付", "benefit", 0.08), ("行政检查", "inspection", 0.14),
    ("其他行政权力", "internal", 0.18),
]
ITEM_NAMES = {
    "license": ["食品经营许可", "建筑工程施工许可", "道路运输经营许可", "排污许可",
                "医疗机构执业登记", "危险化学品经营许可", "房地产开发企业资质核定",
                "民办学校办学许可"],
    "penalty": ["价格违法行为行政处罚", "环境违法行为行政处罚", "安全生产违法行为行政处罚",
                "违法建设行政处罚", "劳动保障违法行为行政处罚", "食品安全违法行为行政处罚"],
    "levy": ["防空地下室易地建设费征收", "城市基础设施配套费征收", "土地闲置费征收", "排污费征收"],
    "benefit": ["最低生活保障审核确认", "临时救助", "就业补助资金发放", "困难群众医疗救助"],
    "inspection": ["安全生产行政检查", "食品生产经营监督检查", "建筑工程质量安全检查",
                   "劳动保障监察检查"],
    "internal": ["政府采购（公开招标）", "工程建设项目招标", "专项资金分配", "经费报销",
                 "干部选拔任用", "公务接待审批", "国库资金拨付"],
}
CONTROLS_OF = {
    "license": ["一次性告知", "限时办结", "电子监察", "结果公开"],
    "penalty": ["裁量基准", "法制审核", "集体讨论", "罚缴分离", "全程记录"],
    "levy": ["票款分离", "裁量基准", "集体讨论"],
    "benefit": ["公示", "回避", "集体研究"],
    "inspection": ["双人检查", "执法记录仪", "随机抽查"],
    "internal": ["集体决策", "专家随机抽取", "公示", "双人复核"],
}


@dataclass
class Roster:
    """A unit's posts: ids, titles, ranks and reporting lines, shared by its charts."""

    unit: str
    superior_in_charge: str | None
    actors: dict[str, dict] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)
    deputies: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = ["actors:"]
        for actor_id, a in self.actors.items():
            parts = [f"name: {scalar(a['name'])}"]
            for key in ("rank", "reports_to", "collective"):
                if a.get(key) is not None:
                    parts.append(f"{key}: {a[key]}")
            for key in ("oversight", "public"):
                if a.get(key):
                    parts.append(f"{key}: true")
            out.append(f"  {actor_id}: {{{', '.join(parts)}}}")
        return out


def _roster(rng: random.Random, number: int) -> Roster:
    kind, own = UNIT_KINDS[number % len(UNIT_KINDS)]
    sections = own + rng.sample(COMMON_SECTIONS, rng.randint(4, 9))
    place = PLACES[number % len(PLACES)] + (f"{number // len(PLACES) + 1}"
                                            if number >= len(PLACES) else "")
    unit = f"{place}{kind[1:]}" if kind.startswith(DISTRICT_PREFIX) else \
        kind.replace("市", f"{place}市", 1) if number >= len(UNIT_KINDS) else kind
    leader = "主任" if "委员会" in unit else "镇长" if unit.endswith("镇人民政府") else "局长"
    roster = Roster(unit, None if rng.random() < 0.1 else "市政府分管副市长")
    a = roster.actors
    a["head"] = {"name": leader, "rank": "principal"}
    a["board"] = {"name": "党组会议" if leader != "镇长" else "党委会议", "rank": "principal",
                  "collective": rng.choice([5, 7, 9])}
    for d in range(rng.randint(2, 3)):
        title = leader[-2:] if leader != "局长" else "局长"
        a[f"deputy{d}"] = {"name": f"分管副{title}{'甲乙丙'[d]}", "rank": "deputy",
                           "reports_to": "head"}
        roster.deputies.append(f"deputy{d}")
    for s, section in enumerate(sections):
        deputy = roster.deputies[s % len(roster.deputies)]
        a[f"chief{s}"] = {"name": f"{section}科长" if not section.endswith(("科", "所", "办"))
                          else f"{section}负责人" if section.endswith(("所", "办"))
                          else f"{section}科长".replace("科科长", "科科长"),
                          "rank": "section", "reports_to": deputy}
        a[f"clerk{s}"] = {"name": f"{section}经办人", "rank": "staff", "reports_to": f"chief{s}"}
        roster.sections.append(str(s))
    a["window"] = {"name": "政务服务窗口受理员", "rank": "staff", "reports_to": "chief0"}
    a["legal"] = {"name": "法规科科长", "rank": "section",
                  "reports_to": roster.deputies[-1]}
    a["finance"] = {"name": "计划财务科会计", "rank": "staff", "reports_to": "legal"}
    a["cashier"] = {"name": "出纳", "rank": "staff", "reports_to": "legal"}
    a["audit"] = {"name": "内部审计科科长", "rank": "section", "reports_to": roster.deputies[0]}
    a["inspect"] = {"name": "派驻纪检监察组", "oversight": True}
    a["public"] = {"name": "社会公众", "public": True}
    return roster


class _Chart:
    """A flowchart being drawn: steps, edges, oversight, in the native format's terms."""

    def __init__(self, rng: random.Random, roster: Roster, kind: str):
        self.rng, self.roster, self.kind = rng, roster, kind
        self.steps: list[tuple[str, dict]] = []
        self.flows: list[tuple[str, str, str | None]] = []
        self.edges: set[tuple[str, str]] = set()
        self.watch: list[tuple[str, str]] = []

    def step(self, kind: str, label: str, actor: str | None = None, **extra) -> str:
        step_id = f"s{len(self.steps) + 1}"
        attributes = {"kind": kind, "label": label}
        if actor is not None:
            attributes["actor"] = actor
        attributes.update({k: v for k, v in extra.items() if v not in (None, "none", [])})
        self.steps.append((step_id, attributes))
        return step_id

    def flow(self, a: str, b: str, label: str | None = None) -> None:
        if a != b and (a, b) not in self.edges:
            self.edges.add((a, b))
            self.flows.append((a, b, label))

    def money(self) -> int | None:
        rng = self.rng
        if self.kind in ("internal", "levy", "benefit") or rng.random() < 0.15:
            return int(10 ** rng.uniform(3.5, 7.8)) // 1000 * 1000
        return None

    def discretion(self, heavy: bool = False) -> str:
        r = self.rng.random()
        if heavy:
            return "high" if r < 0.3 else "medium" if r < 0.75 else "low"
        return "medium" if r < 0.12 else "low" if r < 0.55 else "none"

    def text(self, title: str) -> str:
        roster = self.roster
        lines = ["flowgraph: 1", f"title: {scalar(title)}", f"unit: {scalar(roster.unit)}",
                 f"category: {scalar(CATEGORY_OF[self.kind])}"]
        if roster.superior_in_charge:
            lines.append(f"superior_in_charge: {scalar(roster.superior_in_charge)}")
        lines += roster.lines()
        lines.append("steps:")
        for step_id, attributes in self.steps:
            parts = [f"kind: {attributes.pop('kind')}", f"label: {scalar(attributes.pop('label'))}"]
            stakes = {k: attributes.pop(k) for k in ("money", "people", "rights")
                      if k in attributes}
            for key, value in attributes.items():
                if key == "controls":
                    parts.append("controls: [" + ", ".join(scalar(c) for c in value) + "]")
                elif key == "waive":
                    parts.append(f"waive: {{FG301: {scalar(value)}}}")
                else:
                    parts.append(f"{key}: {value if not isinstance(value, str) else scalar(value)}")
            if stakes:
                parts.append("stakes: {" + ", ".join(
                    f"{k}: {'true' if v is True else v}" for k, v in stakes.items()) + "}")
            lines.append(f"  {step_id}: {{{', '.join(parts)}}}")
        lines.append("flow:")
        for a, b, label in self.flows:
            lines.append(f"  - [{a}, {b}" + (f", {scalar(label)}]" if label else "]"))
        if self.watch:
            lines.append("oversight:")
            lines += [f"  - [{a}, {b}]" for a, b in self.watch]
        return "\n".join(lines) + "\n"


CATEGORY_OF = {kind: category for category, kind, _ in PROCEDURES}


RANK_WEIGHT = {"staff": 0, "section": 1, "deputy": 1, "principal": 2}


def _declared(rng: random.Random, attributes: dict, roster: Roster) -> int | None:
    """The grade a unit would declare: by discretion, stakes and the post's rank, less
    its measures, as the default policy weighs them but without the audit's findings
    (which the unit does not know), and one grade off in about one case in seven."""
    money = attributes.get("money") or 0
    level = {"high": 3, "medium": 2, "low": 1}.get(attributes.get("discretion"), 0)
    actor = roster.actors.get(attributes.get("actor"), {})
    inherent = level + (3 if money >= 10_000_000 else 2 if money >= 1_000_000 else
                        1 if money >= 100_000 else 0) + \
        (3 if attributes.get("people") else 0) + (1 if attributes.get("rights") else 0) + \
        RANK_WEIGHT.get(actor.get("rank"), 0)
    if inherent < 2:
        return None
    score = inherent - min(3, len(attributes.get("controls") or ())) - \
        (1 if actor.get("collective") else 0)
    grade = 1 if score >= 7 else 2 if score >= 5 else 3
    if rng.random() < 0.15:
        grade = min(3, max(1, grade + rng.choice((-1, 1))))
    return grade


def _procedure(rng: random.Random, roster: Roster, kind: str, size: int,
               flaws: set[str]) -> _Chart:
    """One procedure of about ``size`` steps with the given weaknesses: acceptance,
    the handling, the proposal and decision, payment, disclosure and the ends, then
    the flaws, oversight and declared grades (in this order: the seed decides all)."""
    c = _Chart(rng, roster, kind)
    s = rng.choice(roster.sections)
    clerk, chief = f"clerk{s}", f"chief{s}"
    stakes_key = "people" if kind == "internal" and rng.random() < 0.2 else "rights"
    accept = _acceptance(c, kind, clerk, chief)
    previous = _handling(c, accept, size, clerk, chief, stakes_key)
    decide, previous = _decision(c, previous, kind, chief, stakes_key, flaws)
    done = _closing(c, decide, previous, clerk, flaws)
    if "alone" in flaws:
        fast = c.step("decision", "简易程序当场决定", "window" if kind == "license" else clerk,
                      discretion="medium", **{stakes_key: True})
        c.flow(accept, fast, "简易程序")
        c.flow(fast, done)
    if "no-actor" in flaws:  # the first task or review after the acceptance
        for _, attributes in c.steps[3:]:
            if attributes["kind"] in ("task", "review"):
                attributes.pop("actor", None)
                break
    _oversee(c, decide, flaws)
    for _, attributes in c.steps:
        if attributes["kind"] in ("task", "decision", "review") and rng.random() < 0.8:
            grade = _declared(rng, attributes, roster)
            if grade:
                attributes["declared_grade"] = grade
    return c


def _acceptance(c: _Chart, kind: str, clerk: str, chief: str) -> str:
    """The application, its acceptance and the refusal to accept it."""
    first = c.step("start", "提出申请" if kind in ("license", "benefit", "levy") else "启动")
    accept = c.step("task", "受理并一次性告知", "window" if kind == "license" else clerk,
                    discretion="low",
                    controls=["一次性告知"] if c.rng.random() < 0.6 else None)
    c.flow(first, accept)
    refuse = c.step("decision", "决定不予受理", chief, rights=True)
    rejected = c.step("end", "不予受理")
    c.flow(accept, refuse, "材料不符")
    c.flow(refuse, rejected)
    return accept


def _handling(c: _Chart, accept: str, size: int, clerk: str, chief: str,
              stakes_key: str) -> str:
    """Investigations, on-site checks and reviews, with return loops; the last step."""
    rng = c.rng
    previous = accept
    for i in range(max(0, size - 15)):
        kind_i = rng.choice(("task", "task", "review"))
        label = {"task": rng.choice(["现场核查", "调查取证", "材料审查", "组织论证", "测算金额",
                                     "征求意见", "专家评审", "入户调查"]),
                 "review": rng.choice(["科室审核", "复核", "会审"])}[kind_i] + f"（{i + 1}）"
        actor = clerk if kind_i == "task" else chief
        attributes = {"discretion": c.discretion(), stakes_key: True if rng.random() < 0.3
                      else None, "money": c.money() if rng.random() < 0.2 else None}
        step = c.step(kind_i, label, actor, **attributes)
        c.flow(previous, step)
        if previous != accept and rng.random() < 0.15:
            c.flow(step, previous, "退回补正")
        previous = step
    return previous


def _decision(c: _Chart, previous: str, kind: str, chief: str, stakes_key: str,
              flaws: set[str]) -> tuple[str, str]:
    """The proposal, its review, the decision and, for spending, payment and
    book-keeping: the decision and the last step of the way on."""
    rng = c.rng
    deputy = c.roster.actors[chief]["reports_to"]
    benchmark = "no-benchmark" not in flaws
    money = c.money()
    heavy = c.discretion(heavy=True)
    propose = c.step("task", "提出处理意见", chief, discretion=heavy, money=money,
                     controls=[x for x in CONTROLS_OF[kind] if rng.random() < 0.5]
                     + (["裁量基准"] if heavy == "high" and benchmark else []),
                     **{stakes_key: True})
    c.flow(previous, propose)
    review = None
    if "unchecked" not in flaws:
        review = c.step("review", "法制审核" if kind == "penalty" else "合规审查", "legal",
                        controls=["法制审核"] if kind == "penalty" else None)
        c.flow(propose, review)
    big = money is not None and money >= 5_000_000 or stakes_key == "people"
    level = c.discretion(heavy=True) if rng.random() < 0.5 else "low"
    decide = c.step("decision", "集体研究决定" if big else "审批决定",
                    "board" if big else deputy, discretion=level, money=money,
                    controls=(["集体决策"] if big else []) +
                    (["裁量基准"] if level == "high" and benchmark else []),
                    **{stakes_key: True})
    c.flow(review or propose, decide)
    if "bypass" in flaws and review is not None:
        signed = c.step("start", "领导签批件")
        c.flow(signed, decide)
    if kind in ("internal", "levy") and money:
        pay = c.step("task", "支付", "cashier", duty="execute")
        record = c.step("task", "登记入账", "cashier" if "cashier" in flaws else "finance",
                        duty="record")
        c.flow(decide, pay)
        c.flow(pay, record)
        return decide, record
    return decide, decide


def _closing(c: _Chart, decide: str, previous: str, clerk: str, flaws: set[str]) -> str:
    """Disclosure of the outcome, the end, and the refusal with its reasons; the end."""
    if "one-branch" in flaws:
        gate = c.step("gateway", "是否通过")
        c.flow(previous, gate)
        previous = gate
    disclosed = "unchecked" not in flaws and c.rng.random() < 0.97
    if disclosed:
        disclose = c.step("disclosure", "结果公开", clerk)
        c.flow(previous, disclose)
        previous = disclose
    done = c.step("end", "办结")
    c.flow(previous, done)
    refused = c.step("end", "不予批准")
    if disclosed:
        notice = c.step("disclosure", "不予批准决定及理由公开", clerk)
        c.flow(decide, notice, "不予批准")
        c.flow(notice, refused)
    else:
        c.flow(decide, refused, "不予批准")
    return done


def _oversee(c: _Chart, decide: str, flaws: set[str]) -> None:
    """The stationed group watches the high-stakes steps; a flawed chart has the
    internal audit, which reports to the decider, watch the decision."""
    if "unwatched" not in flaws:
        watch = c.step("oversight", "派驻纪检监察组监督", "inspect")
        for step_id, attributes in c.steps:
            if attributes["kind"] in ("task", "decision", "review") and (
                    attributes.get("discretion") in ("medium", "high") or
                    (attributes.get("money") or 0) >= 100_000 or attributes.get("people")):
                c.watch.append((watch, step_id))
    if "subordinate" in flaws:
        spot = c.step("oversight", "内部审计抽查", "audit")
        c.watch.append((spot, decide))


FLAWS = [("unchecked", 0.07), ("alone", 0.04), ("cashier", 0.03), ("bypass", 0.04),
         ("unwatched", 0.08), ("subordinate", 0.03), ("one-branch", 0.02), ("no-actor", 0.02),
         ("no-benchmark", 0.08)]


def _procedure_kind(r: float) -> str:
    """The kind of procedure at ``r`` (0 ≤ r < 1) along the shares of PROCEDURES."""
    for _, kind, share in PROCEDURES:
        r -= share
        if r < 0:
            return kind
    return PROCEDURES[-1][1]


def batch(count: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``count`` flowcharts of about ``count / 16.4`` units, as (path, YAML text)."""
    units = max(1, round(count / 16.4))
    rosters: dict[int, Roster] = {}
    for number in range(count):
        rng = random.Random(f"{seed}:{number}")
        unit = number % units
        if unit not in rosters:
            rosters[unit] = _roster(random.Random(f"{seed}:unit:{unit}"), unit)
            if len(rosters) > 256:  # stream: a unit's charts are spread, rebuild on demand
                rosters.pop(next(iter(rosters)))
        roster = rosters[unit]
        kind = _procedure_kind(rng.random())
        size = min(60, max(8, int(rng.lognormvariate(2.6, 0.45))))
        flaws = {name for name, rate in FLAWS if rng.random() < rate}
        chart = _procedure(rng, roster, kind, size, flaws)
        title = rng.choice(ITEM_NAMES[kind])
        yield f"u{unit:03d}/{number:05d}-{kind}.yaml", chart.text(title)


def chart(steps: int, seed: int = 0) -> str:
    """One flowchart of exactly ``steps`` steps: a merged administration chart, each
    procedure branching off the previous one's acceptance (so every step is reachable
    and every procedure keeps its own ends)."""
    rng = random.Random(f"{seed}:huge")
    roster = _roster(rng, 0)
    merged = _Chart(rng, roster, "internal")
    anchor = begin = merged.step("start", "启动")
    while len(merged.steps) < steps - 1:
        part = _procedure(rng, roster, rng.choice([k for _, k, _ in PROCEDURES]),
                          rng.randint(10, 40), {name for name, rate in FLAWS
                                                if rng.random() < rate})
        offset = len(merged.steps)
        rename = {step_id: f"s{offset + i + 1}" for i, (step_id, _) in enumerate(part.steps)}
        kept = part.steps[:steps - 1 - len(merged.steps)]
        keep = {step_id for step_id, _ in kept}
        for number, (step_id, attributes) in enumerate(kept):
            if number == 0:  # the procedure's start: entered from the previous one
                attributes = dict(attributes, kind="task", label="转入" + attributes["label"],
                                  actor="window")
            merged.steps.append((rename[step_id], attributes))
        for a, b, label in part.flows:
            if a in keep and b in keep:
                merged.flow(rename[a], rename[b], label)
        merged.watch += [(rename[a], rename[b]) for a, b in part.watch if a in keep and b in keep]
        merged.flow(anchor, rename[kept[0][0]])
        anchor = rename[kept[1][0]] if len(kept) > 1 else rename[kept[0][0]]
    end = merged.step("end", "全部办结")
    sources = {a for a, _, _ in merged.flows}
    for step_id, attributes in merged.steps:
        if attributes["kind"] not in ("end", "oversight", "disclosure") and \
                step_id not in sources:
            merged.flow(step_id, end)  # a step cut off by the size limit
    if not any(b == end for _, b, _ in merged.flows):
        merged.flow(begin, end, "无待办事项")  # every procedure ended on its own
    return merged.text(f"合并权力运行流程图（{steps}步）")

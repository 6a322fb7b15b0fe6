"""The risk ledger (廉政风险点台账): one row per risk point, as units keep it.

A risk point is a step where a post of the unit holds power and whose suggested grade
is 1, 2 or 3, or that the unit itself declared a risk point. Steps of bodies outside
the unit (an inspection group, a committee of experts, a superior government) are not
its risk points: they are listed apart (:func:`bodies`). Each row says, in words a
committee reads (docs/ledger.md):

- **风险点表现形式**: how an abuse would show itself there, as the risk library
  describes the step (:mod:`flowgraph.grading.risks`), or as the unit described it,
  followed by what the rules found, each finding as its rule's sentence
  (``LEDGER_RISK``: 该环节作出决定后无人审核、无集体研究、也不公示);
- **现有防控措施**: the step's controls as the practice names them, a collective body's
  decision, and the unit's own words; **建议防控措施**: each finding's measure made
  concrete for the step (``MEASURE``: 由派驻纪检监察组对“审批”实施监督), the library's
  measures the step lacks, rotation for a grade-1 key post;
- the three people who answer for it (design.md §7): the post, the head of its section,
  the leader its grade calls for; the unit's own names where it wrote them;
- who oversees it, its time limit and legal basis, the unit's rectification, and the
  rule codes last;
- with a roster (:mod:`flowgraph.rotation`), who holds the post and for how long
  (在岗人员, 在岗年限), and in 建议防控措施 the programme's measures named for them:
  安排张三轮岗 when rotation is due, 督促张三签订岗位廉政承诺书 when a commitment is
  missing (the role instead of the name with ``--no-names``).

Rows are built in time linear in their number, in batch and step order, and are the
same for the same results.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..fingerprints import fingerprints
from ..grading.posts import (
    LEADER_RANKS,
    NOT_A_POST,
    NOT_A_SECTION,
    Post,
    section_of,
    unit_key,
)
from ..grading.risks import default_library
from ..i18n import Text
from ..model import Finding, Flowchart, Step
from ..policy import Policy
from ..results import ChartResult, Programme, Review, Tenancy
from ..rules import BY_CODE, fill
from ..vocabulary import GRADE_NAMES, LEDGER_COLUMNS, NO_GRADE, grade_name, listing

ROTATION = Text("一级风险岗位人员定期轮岗", "rotate the holders of grade-1 posts")
KEEP = Text("现有措施已涵盖风险库所列措施，保持并定期检查落实情况",
            "the measures in place cover the library's: keep them and check that they "
            "are carried out")
NONE = Text("无", "none")
NOT_STATED = Text("未写明", "not stated")
UNNAMED_POST = Text("（未写明）", "(none named)")
LEADERSHIP = Text("单位领导", "leadership")
THE_PUBLIC = Text("社会公众", "the public")
FOUND = Text("经查：", "Found: ")
AS_DECLARED = Text("（单位评定）", " (as the unit declared)")
SHOULD_BE = Text("（按风险等级应为：{}）", "(by its grade: {})")
#: What a post does at a step, for a rule's ``{act}``.
ACTS = {"decision": Text("作出决定", "decides"), "review": Text("审核", "reviews the matter")}
HANDLES = Text("办理", "handles the matter")
ANY_WATCHER = Text("派驻纪检监察组等独立监督机构",
                   "an independent body such as the stationed discipline-inspection group")
ANY_LEADER = Text("相应的责任领导", "the leader its grade calls for")
THE_END = Text("办结", "the end")
NOT_DECLARED = Text("单位未评定", "the unit did not grade it")
NOBODY = Text("（名册中无）", "(none in the roster)")


@dataclass(frozen=True)
class LedgerRow:
    """One risk point of the ledger, in the language it was built for: one value per
    column of :data:`~flowgraph.vocabulary.LEDGER_COLUMNS`."""

    number: int
    unit: str
    section: str
    power_item: str
    category: str
    label: str
    post: str
    risk: str
    grade: int | None
    measures_in_place: str
    suggested_measures: str
    direct: str
    department: str
    leader: str
    overseers: str
    time_limit: str
    basis: str
    rectification: str
    findings: str
    declared_grade: int | None
    reasons: str
    key_post: bool
    risk_category: str
    library_risk: str
    file: str
    flowchart: str
    step: str
    holders: str = ""
    years_held: str = ""
    fingerprint: str = ""


def held_text(held: tuple[int, int], lang: str) -> str:
    """Time in a post as the ledger writes it: ``6年3个月``, ``8个月`` / ``6 years 3
    months``."""
    years, months = held
    if lang == "zh":
        return (f"{years}年" if years else "") + (f"{months}个月" if months or not years
                                                 else "")
    parts = ([f"{years} year{'s' if years != 1 else ''}"] if years else []) + \
        ([f"{months} month{'s' if months != 1 else ''}"] if months or not years else [])
    return " ".join(parts)


def _programme_cells(programme: Programme | None, post: Post | None,
                     lang: str) -> tuple[str, str, list[str]]:
    """在岗人员 and 在岗年限 of a post (one holder a line), and the programme's measures
    for its holders (each finding's measure named for its holder). A body outside the
    unit and a collective body have no holders: nothing is said."""
    if programme is None or post is None or post.collective:
        return "", "", []
    holding: list[Tenancy] = programme.holders_of(post.unit, post.name)
    if not holding:
        covered = post.unit not in programme.units_missing
        return (NOBODY(lang) if covered else ""), "", []
    measures = []
    for tenancy in holding:
        for finding in tenancy.findings:
            template = BY_CODE[finding.rule].measure if finding.rule in BY_CODE else None
            if template is not None:
                measures.append(fill(template, lang, {
                    "holder": tenancy.shown, "held": held_text(tenancy.held, lang),
                    "due": finding.due.isoformat() if finding.due else ""}))
    return ("\n".join(t.shown(lang) for t in holding),
            "\n".join(held_text(t.held, lang) for t in holding), measures)


def _declared(step: Step) -> Text:
    """The unit's grading of a step, as a phrase: 单位评定为三级, or 单位未评定."""
    if not step.declared_grade:
        return NOT_DECLARED
    grade = GRADE_NAMES[step.declared_grade]
    return Text(f"单位评定为{grade.zh}", f"the unit graded it {grade.en}")


def _numbered(items: list[str]) -> str:
    """Measures as one cell, one per line: ``1. …`` (a single one unnumbered)."""
    if len(items) == 1:
        return items[0]
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))


class _Chart:
    """What the rows of one flowchart share: its findings by step, its watchers by
    step, and the review, policy and language the cells are written in."""

    def __init__(self, review: Review, path: str, chart: ChartResult, lang: str):
        self.review, self.path, self.result, self.lang = review, path, chart, lang
        self.chart: Flowchart = chart.flowchart
        self.policy: Policy = review.index.policy
        self.on_step: dict[str, list[Finding]] = {}
        for finding in chart.findings:
            if not finding.waived:
                for step_id in finding.steps:
                    self.on_step.setdefault(step_id, []).append(finding)
        self.watchers: dict[str, list[str]] = {}
        for edge in self.chart.oversights:
            self.watchers.setdefault(edge.target, []).append(edge.source)

    def post(self, step: Step) -> str:
        """The title of the post performing a step, or （未写明）."""
        name = self.review.post_of(self.result, step.id)
        return name if name is not None else UNNAMED_POST(self.lang)

    def values(self, step: Step, finding: Finding) -> dict[str, Text | str]:
        """What a rule's ledger templates say of ``finding`` at ``step``
        (:data:`flowgraph.rules.PLACEHOLDERS`)."""
        steps, grades = self.chart.steps, self.result.grades
        others = [s for s in finding.steps if s != step.id]
        other = steps[others[0]] if others else step
        witness = finding.witness
        following = witness[1] if len(witness) > 1 and witness[0] == step.id else None
        proposer = finding.proposed_edge[0] if finding.proposed_edge else None
        watcher = self.chart.actor_of(proposer) if proposer is not None else None
        graded = grades.get(step.id)
        leader = self.review.responsible_for(self.result, step.id)
        return {
            "step": step.label, "post": self.post(step),
            "act": ACTS.get(step.kind, HANDLES),
            "next": steps[following].label if following in steps else THE_END,
            "watcher": watcher.name if watcher is not None else ANY_WATCHER,
            "other": other.label, "other_post": self.post(other),
            "declared": _declared(step),
            "suggested": GRADE_NAMES[graded.grade] if graded is not None and graded.grade
            else NO_GRADE,
            "leader": leader.name if leader is not None and leader.name else ANY_LEADER,
        }

    def risk(self, step: Step, described: str, findings: list[Finding]) -> str:
        """风险点表现形式: the unit's description or the library's, then what the rules
        found, each as its rule's sentence."""
        lang = self.lang
        sentences = [fill(BY_CODE[f.rule].ledger_risk, lang, self.values(step, f))
                     for f in findings
                     if f.rule in BY_CODE and BY_CODE[f.rule].ledger_risk is not None]
        sentences = list(dict.fromkeys(sentences))
        found = FOUND(lang) + Text("；", "; ")(lang).join(sentences) + Text("。", ".")(lang) \
            if sentences else ""
        return "\n".join(part for part in (step.risk_description or described, found)
                         if part)

    def in_place(self, step: Step) -> str:
        """现有防控措施: the step's controls as the practice names them, a collective
        body's decision, and the unit's own words."""
        lang, policy = self.lang, self.policy
        names: dict[str, str] = {}  # by canonical control, each once
        for control in step.controls:
            canonical = policy.canonical_control(control)
            names.setdefault(canonical, policy.display_name(canonical)(lang)
                             if canonical in policy.controls else control)
        actor = self.chart.actor_of(step.id)
        if actor is not None and actor.is_collective:
            decided = policy.display_name("collective-decision")(lang)
            names["collective-decision"] = Text(f"{decided}（{actor.name}）",
                                                f"{decided} ({actor.name})")(lang)
        parts = [listing(names.values(), lang)] if names else []
        if step.measures:
            parts.append(step.measures)
        return "\n".join(parts) or NONE(lang)

    def suggested(self, step: Step, findings: list[Finding], library: list[str],
                  rotation: bool, programme: list[str] = ()) -> str:
        """建议防控措施: each finding's measure made concrete, then the library's
        measures the step lacks, then the programme's measures named for the post's
        holders, or rotation for a grade-1 key post when none is named."""
        lang = self.lang
        measures = [fill(BY_CODE[f.rule].measure, lang, self.values(step, f))
                    for f in findings
                    if f.rule in BY_CODE and BY_CODE[f.rule].measure is not None]
        measures += library
        measures += programme
        if rotation and not programme:
            measures.append(ROTATION(lang))
        return _numbered(list(dict.fromkeys(measures))) or KEEP(lang)

    def overseers(self, step: Step, findings: list[Finding]) -> str:
        """监督主体: the independent overseers watching the step (the public, for a
        disclosure that does), or 无 with the overseer a finding proposes."""
        lang = self.lang
        chart = self.chart
        found = []
        for watcher_id in self.watchers.get(step.id, ()):
            watcher = chart.steps[watcher_id]
            if watcher.kind == "disclosure":
                found.append(THE_PUBLIC(lang))
            elif chart.is_independent(watcher.actor, step.actor):
                found.append(chart.actors[watcher.actor].name)
        if found:
            return listing(dict.fromkeys(found), lang)
        for finding in findings:
            if finding.proposed_edge and finding.proposed_edge[0] is not None:
                proposed = chart.actor_of(finding.proposed_edge[0])
                if proposed is not None:
                    return Text(f"无（建议：{proposed.name}）",
                                f"none (proposed: {proposed.name})")(lang)
        return NONE(lang)

    def responsible(self, step: Step, post: str, sectionless: Text | None
                    ) -> tuple[str, str, str]:
        """直接责任人, 部门责任人, 责任领导: the unit's own names where it wrote them; the
        leader the grade calls for beside the unit's when they differ. A leader's own
        post and a collective body belong to no section (``sectionless`` says which):
        they have no department head."""
        lang = self.lang
        if step.responsible_department is not None:
            department = step.responsible_department
        elif sectionless is not None:
            department = sectionless(lang)
        else:
            head = self.review.department_for(self.result, step.id)
            department = head(lang) if head is not None else ""
        leader = self.review.responsible_for(self.result, step.id)
        if step.responsible_leader is None:
            named = leader(lang) if leader is not None else ""
        elif leader is not None and leader.name and leader.name != step.responsible_leader:
            named = step.responsible_leader + "\n" + SHOULD_BE(lang).format(leader.name)
        else:
            named = step.responsible_leader
        return step.responsible_direct or post, department, named

    def section(self, step: Step, post_name: str | None, ranks: set[str]) -> str:
        """科室: the section the post's title names, or else the one its department
        head heads (工程建设管理科收费经办员, whose head is 工程建设管理科科长); 单位领导
        for a leader's post."""
        if post_name is None:
            return ""
        section, _ = section_of(post_name)
        if section:
            return section
        if ranks.intersection(LEADER_RANKS):
            return LEADERSHIP(self.lang)
        head = self.review.department_for(self.result, step.id)
        if head is not None and head.name:
            section, heads = section_of(head.name)
            if heads:
                return section
        return ""


def rows(review: Review, lang: str, fingerprinted: bool = False) -> list[LedgerRow]:
    """The ledger of a reviewed batch: every risk point in batch and step order,
    numbered from 1; each with its step's fingerprint when ``fingerprinted`` or when
    the columns show it (what matches the rows of last year's ledger)."""
    library = default_library()
    posts = {(post.unit, post.name): post for post in review.posts}
    fingerprinted = fingerprinted or "fingerprint" in review.ledger_columns
    table: list[LedgerRow] = []
    for path, result in review.charts():
        shared = _Chart(review, path, result, lang)
        chart = result.flowchart
        prints = fingerprints(result).steps if fingerprinted else {}
        for step_id, graded in result.grades.items():
            step = chart.steps[step_id]
            if graded.grade is None and step.declared_grade is None:
                continue
            row = _row(shared, step, graded, posts, library, len(table) + 1)
            table.append(replace(row, fingerprint=prints[step_id]) if prints else row)
    return table


def _row(shared: _Chart, step: Step, graded, posts: dict, library, number: int) -> LedgerRow:
    """One risk point's row."""
    lang, chart = shared.lang, shared.chart
    findings = shared.on_step.get(step.id, [])
    post_name = shared.review.post_of(shared.result, step.id)
    post = posts.get((unit_key(chart), post_name)) if post_name else None
    key_post = post is not None and post.is_key_post
    described = library.describe(chart, step, shared.policy)
    shown_post = shared.post(step)
    section = shared.section(step, post_name, post.ranks if post is not None else set())
    actor = chart.actor_of(step.id)
    sectionless = NOT_A_SECTION if section == LEADERSHIP(lang) else \
        NOT_A_POST if actor is not None and actor.is_collective else None
    direct, department, leader = shared.responsible(step, shown_post, sectionless)
    grade = graded.grade
    holders, years_held, programme = _programme_cells(shared.review.programme, post, lang)
    row = LedgerRow(
        number=number, unit=chart.unit or "", section=section,
        power_item=chart.title, category=chart.category or "", label=step.label,
        post=shown_post, risk=shared.risk(step, described.text(lang), findings),
        grade=grade,
        measures_in_place=shared.in_place(step),
        suggested_measures=shared.suggested(
            step, findings, [m.text(lang) for m in described.suggested],
            grade == 1 and key_post, programme),
        direct=direct, department=department, leader=leader,
        overseers=shared.overseers(step, findings),
        time_limit=step.time_limit or NOT_STATED(lang),
        basis=step.basis or chart.basis or NOT_STATED(lang),
        rectification=step.rectification or "",
        findings=Text("、", ", ")(lang).join(dict.fromkeys(f.rule for f in findings)),
        declared_grade=step.declared_grade, reasons=graded.explain(lang), key_post=key_post,
        risk_category=step.risk_category or "", library_risk=described.text(lang),
        file=shared.path, flowchart=chart.id, step=step.id, holders=holders,
        years_held=years_held)
    return _redacted(row, shared.review.programme, lang)


#: The cells where a unit may write people's names (its own notes on a step).
UNIT_WORDS = ("risk", "measures_in_place", "direct", "department", "leader", "rectification")


def _redacted(row: LedgerRow, programme: Programme | None, lang: str) -> LedgerRow:
    """With ``--no-names``, the row with the roster's names in what the unit wrote
    replaced by roles (:meth:`~flowgraph.results.Programme.redact`)."""
    if programme is None or not programme.no_names:
        return row
    return replace(row, **{name: programme.redact(getattr(row, name), lang)
                           for name in UNIT_WORDS})


def grade_cell(row: LedgerRow, lang: str) -> str:
    """风险等级: the suggested grade, or the unit's own where it declared a step that
    flowgraph does not count a risk point."""
    if row.grade is not None:
        return grade_name(row.grade, lang)
    return grade_name(row.declared_grade, lang) + AS_DECLARED(lang)


def cells(row: LedgerRow, columns: tuple[str, ...], lang: str) -> list:
    """A row as the cells of ``columns``, in their order."""
    values = []
    for column in columns:
        value = getattr(row, column)
        if column == "grade":
            value = grade_cell(row, lang)
        elif column == "declared_grade":
            value = grade_name(value, lang)
        elif column == "key_post":
            value = Text("是", "yes")(lang) if value else ""
        values.append(value)
    return values


def headings(columns: tuple[str, ...], lang: str) -> list[str]:
    """The headings of ``columns``."""
    return [LEDGER_COLUMNS[column](lang) for column in columns]

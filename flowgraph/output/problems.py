"""The main problems of a batch, in words a leader reads (design.md §8).

A committee does not read rule codes. It reads "at this unit, in this power item, the
post that does this step can do this wrong, and nothing stops it". This module turns
the findings of a reviewed batch into two lists:

- **integrity problems** (:class:`Problem`): one per risk point that the rules found
  weak, all its findings together, ranked by the point's grade, then what is at stake
  there (money, then people, then a party's rights), then whether a control is missing
  (rather than only the declared grade), then severity; each says in one sentence which
  unit, power item, step and post, what is missing, and what can go wrong there (the
  risk library's words, :mod:`flowgraph.grading.risks`);
- **flowchart quality** (:class:`Quality`): the drawing faults (FG1xx) of one chart,
  counted in plain words. They say the chart cannot be fully trusted, not that power
  is abused, so they are listed apart and never rank above an integrity risk.

Both are plain data over the results; the report, the PDF and the Word document show
the same sentences.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..grading.risks import RiskLibrary, default_library
from ..i18n import Text
from ..model import SEVERITIES, Finding, Flowchart
from ..results import ChartResult, Review
from ..rules import BY_CODE, is_drawing_fault
from ..vocabulary import GRADE_NAMES, NO_GRADE

UNNAMED_POST = Text("未写明的岗位", "a post not named")
#: Words for the heads of witness paths: at most this many steps are named.
PATH_HEAD, PATH_TAIL = 3, 2


def amount(money: float, lang: str) -> str:
    """A sum as a leader says it: ``500万元``, ``1.2亿元``; ``¥5,000,000`` in English."""
    if lang != "zh":
        return f"¥{money:,.0f}"
    for unit, word in ((100_000_000, "亿元"), (10_000, "万元")):
        if money >= unit:
            return f"{money / unit:,.4g}{word}".replace(",", "")
    return f"{money:,.0f}元".replace(",", "")


def short_path(flowchart: Flowchart, path: Iterable[str]) -> Text:
    """A witness path named once and briefly: its first three and last two steps, and
    how many it has (``受理 → 审核 → 决定 → … → 办结（共 12 步）``)."""
    steps = list(path)
    labels = [flowchart.steps[step].label for step in steps]
    if len(labels) > PATH_HEAD + PATH_TAIL + 1:
        labels = [*labels[:PATH_HEAD], "…", *labels[-PATH_TAIL:]]
    shown = " → ".join(labels)
    return Text(f"{shown}（共 {len(steps)} 步）", f"{shown} ({len(steps)} steps)")


def _filled(template: Text, values: dict[str, Text]) -> Text:
    """A rule's ``PROBLEM`` with its placeholders filled, in both languages."""
    return Text(template.zh.format(**{k: v.zh for k, v in values.items()}),
                template.en.format(**{k: v.en for k, v in values.items()}))


def _lacking(finding: Finding, flowchart: Flowchart, post: Text, grade: int | None) -> Text:
    """What a finding says is missing at its step, in plain words: the rule's
    ``PROBLEM`` (its summary when it has none) filled for the step."""
    rule = BY_CODE.get(finding.rule)
    if rule is None:
        return Text(finding.rule, finding.rule)
    if rule.problem is None:
        return rule.summary
    labels = [flowchart.steps[step].label for step in finding.steps] + ["", ""]
    declared = flowchart.steps[finding.steps[0]].declared_grade if finding.steps else None
    should = Text(f"应为{GRADE_NAMES[grade].zh}", f"calls for {GRADE_NAMES[grade].en}") \
        if grade else Text("不构成本单位的风险点", "makes it no risk point of the unit")
    return _filled(rule.problem, {
        "post": post, "first": Text(labels[0], labels[0]),
        "second": Text(labels[1], labels[1]), "should": should, "count": Text("1", "1"),
        "declared": Text(f"单位评为{GRADE_NAMES[declared].zh}",
                         f"the unit graded it {GRADE_NAMES[declared].en}") if declared else
        Text("单位没有把它列为风险点", "the unit did not list it as a risk point")})


def _stakes(flowchart: Flowchart, step_id: str) -> list[Text]:
    """What is at stake at a step, as a leader names it."""
    stakes = flowchart.steps[step_id].stakes
    words = []
    if stakes.money:
        words.append(Text(f"涉及{amount(stakes.money, 'zh')}",
                          f"{amount(stakes.money, 'en')} at stake"))
    if stakes.people:
        words.append(Text("涉及干部人事", "appointments"))
    if stakes.rights:
        words.append(Text("涉及当事人权益", "a party's rights"))
    return words


@dataclass(frozen=True)
class Problem:
    """One risk point the rules found weak: where it is, its grade, what is missing
    there (its findings) and what can go wrong (the risk library's words)."""

    #: The flowchart's place in the batch (1-based), as the report numbers its pages.
    number: int
    path: str
    chart: ChartResult
    step: str
    post: str | None
    grade: int | None
    findings: tuple[Finding, ...]
    risk: Text | None = None

    @property
    def flowchart(self) -> Flowchart:
        return self.chart.flowchart

    @property
    def label(self) -> str:
        return self.flowchart.steps[self.step].label

    def key(self) -> tuple:
        """The ranking: grade, then money, people and rights at stake, then a missing
        control before a grade only declared too low, then severity, then batch order."""
        stakes = self.flowchart.steps[self.step].stakes
        weakness = any(BY_CODE[f.rule].weight for f in self.findings if f.rule in BY_CODE)
        severity = max(SEVERITIES.index(f.severity) for f in self.findings)
        return (self.grade or 4, -(stakes.money or 0), not stakes.people, not stakes.rights,
                not weakness, -severity, self.number, self.flowchart.order[self.step])

    def lacking(self) -> list[Text]:
        """What is missing at the point, in plain words, once each."""
        post = Text(self.post, self.post) if self.post else UNNAMED_POST
        return list(dict.fromkeys(_lacking(f, self.flowchart, post, self.grade)
                                  for f in self.findings))

    def where(self) -> Text:
        """``市财政局“专项资金拨付”`` / ``市财政局, 'special funds'``."""
        unit = self.flowchart.unit or ""
        return Text(f"{unit}“{self.flowchart.title}”",
                    f"{unit}{', ' if unit else ''}'{self.flowchart.title}'")

    def sentence(self, lang: str) -> str:
        """The problem as a leader reads it: :meth:`statement`, then what can go wrong
        (:meth:`risk_text`)."""
        risk = self.risk_text(lang)
        return self.statement(lang) + (Text("", " ")(lang) if risk else "") + risk

    def statement(self, lang: str) -> str:
        """The problem in one sentence: unit, power item, step, post, grade and
        stakes, and what is missing."""
        post = self.post or UNNAMED_POST(lang)
        grade = (GRADE_NAMES[self.grade] if self.grade else NO_GRADE)(lang)
        facts = Text("，", ", ")(lang).join(
            [grade] + [words(lang) for words in _stakes(self.flowchart, self.step)])
        lacking = Text("；", "; ")(lang).join(text(lang) for text in self.lacking())
        if lang == "zh":
            text = (f"{self.where().zh}：“{self.label}”由{post}办理（{facts}），"
                    f"{lacking}。")
        else:
            text = f"{self.where().en}: '{self.label}', done by {post} ({facts}): {lacking}."
        return text

    def risk_text(self, lang: str) -> str:
        """What can go wrong at the step, or empty when the library has no words."""
        if self.risk is None:
            return ""
        words = self.risk(lang).rstrip("。.")
        return Text(f"可能出现：{words}。", f"What can go wrong: {words}.")(lang)

    def paths(self) -> list[Text]:
        """The paths that prove the findings, each once and shortened; a path of one
        or two steps (the step itself, a pair) proves nothing a reader needs."""
        shown = dict.fromkeys(tuple(f.witness) for f in self.findings if len(f.witness) > 2)
        return [short_path(self.flowchart, path) for path in shown]

    def codes(self) -> str:
        """The rule codes of the findings, for whoever checks the audit: shown last."""
        return "、".join(dict.fromkeys(f.rule for f in self.findings))


@dataclass(frozen=True)
class Quality:
    """The drawing faults of one flowchart (流程图质量问题), counted by kind."""

    number: int
    path: str
    chart: ChartResult
    findings: tuple[Finding, ...]

    def sentence(self, lang: str) -> str:
        """``市财政局“…”：2 个环节没有写明岗位；1 处分支多余。``"""
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
        parts = [fault_words(rule, count)(lang) for rule, count in counts.items()]
        fc = self.chart.flowchart
        unit = fc.unit or ""
        if lang == "zh":
            return f"{unit}“{fc.title}”：{'；'.join(parts)}。"
        return f"{unit}{', ' if unit else ''}'{fc.title}': {'; '.join(parts)}."


def fault_words(rule: str, count: int) -> Text:
    """A kind of drawing fault and how often a chart has it, in plain words (the
    rule's ``PROBLEM``, else its summary and the count)."""
    known = BY_CODE.get(rule)
    if known is not None and known.problem is not None:
        return _filled(known.problem, {"count": Text(str(count), str(count))})
    summary = known.summary if known is not None else Text(rule, rule)
    return Text(f"{summary.zh}（{count} 处）", f"{summary.en} ({count})")


def _subject(finding: Finding, chart: ChartResult) -> str | None:
    """The risk point a finding is about: of its steps, the one graded highest (the
    watched step of an oversight pair, not the watcher), else its first step."""
    if not finding.steps:
        return None
    order = chart.flowchart.order

    def rank(step: str) -> tuple:
        graded = chart.grades.get(step)
        grade = graded.grade if graded is not None and graded.grade else 4
        return grade, order[step]
    return min(finding.steps, key=rank)


def problems(review: Review, library: RiskLibrary | None = None) -> list[Problem]:
    """Every integrity problem of the batch (open findings other than drawing faults,
    gathered by risk point), ranked as :meth:`Problem.key` says."""
    library = library or default_library()
    found = []
    for number, (path, chart) in enumerate(review.charts(), 1):
        by_step: dict[str, list[Finding]] = {}
        for finding in chart.findings:
            if finding.waived or is_drawing_fault(finding.rule):
                continue
            subject = _subject(finding, chart)
            if subject is not None:
                by_step.setdefault(subject, []).append(finding)
        for step_id, findings in by_step.items():
            graded = chart.grades.get(step_id)
            step = chart.flowchart.steps[step_id]
            described = library.describe(chart.flowchart, step)
            found.append(Problem(number, path, chart, step_id, review.post_of(chart, step_id),
                                 graded.grade if graded is not None else None,
                                 tuple(findings), described.description))
    return sorted(found, key=Problem.key)


def quality(review: Review) -> list[Quality]:
    """The charts with open drawing faults, in batch order."""
    found = []
    for number, (path, chart) in enumerate(review.charts(), 1):
        faults = tuple(f for f in chart.findings
                       if not f.waived and is_drawing_fault(f.rule))
        if faults:
            found.append(Quality(number, path, chart, faults))
    return found

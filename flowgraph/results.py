"""Results of an audit as plain data: what the executor produces and outputs consume.

:class:`ChartResult` is one flowchart with its findings and grades, :class:`FileResult`
one input file (its flowcharts, or the error that stopped it being read),
:class:`Summary` the counts over a batch that the exit code and the summary lines need,
and :class:`Review` a whole batch with what spans flowcharts: the posts, their grades
over a unit and their responsible leaders (a unit's principal leader may be declared in
one flowchart and a post in another), so that the JSON, the ledger, the statistics and
the report agree.

With a roster (在岗人员名册), a review also carries its :class:`Programme`: who holds
each post since when, the programme findings on them (FG6: rotation due, a commitment
missing), the roster's rows that match no post and the risk posts nobody holds
(computed by :mod:`flowgraph.rotation`).

The batch executor (:mod:`flowgraph.batch`) makes these; the outputs
(:mod:`flowgraph.output`) read them; neither imports the other.
"""
from __future__ import annotations

import datetime as _datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .config import Config
from .errors import FlowgraphError, LoadWarning
from .grading.classes import PowerClasses
from .grading.posts import OutsideBody, Post, UnitIndex, unit_key
from .grading.responsibility import Responsible
from .i18n import Text
from .model import SEVERITIES, Finding, Flowchart, StepGrade
from .policy import RotationPolicy
from .roster import Holder
from .rules import RULES
from .vocabulary import DEFAULT_LEDGER_COLUMNS, GRADES


@dataclass
class ChartResult:
    """One flowchart, what the audit found in it and the grades of its risk points."""

    flowchart: Flowchart
    findings: list[Finding]
    grades: dict[str, StepGrade] = field(default_factory=dict)


@dataclass
class FileResult:
    """One input file: its flowcharts, or the error that stopped it being read."""

    path: str
    charts: list[ChartResult] = field(default_factory=list)
    error: FlowgraphError | None = None
    #: What the file held that no flowchart carries (a drawing with no step on any
    #: page: :class:`flowgraph.io.Charts`).
    warnings: tuple[LoadWarning, ...] = ()


@dataclass
class FileRead:
    """One input file as read, not audited (``flowgraph check``): its flowcharts, or
    the error that stopped it being read."""

    path: str
    flowcharts: list[Flowchart] = field(default_factory=list)
    error: FlowgraphError | None = None
    #: As :attr:`FileResult.warnings`.
    warnings: tuple[LoadWarning, ...] = ()


@dataclass
class Summary:
    """Counts over a batch, as the report and the exit code need them."""

    files: int = 0
    unreadable: int = 0
    flowcharts: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    waived: int = 0
    #: Risk points (steps) by suggested grade.
    grades: dict[int, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    #: Findings a baseline knew and the batch left out (``audit --baseline``), or None
    #: without a baseline.
    known: int | None = None

    @classmethod
    def of(cls, results: Iterable[FileResult]) -> Summary:
        summary = cls()
        for result in results:
            summary.add(result)
        return summary

    def add(self, result: FileResult) -> None:
        """Count one more file's result."""
        self.files += 1
        self.unreadable += result.error is not None
        for chart in result.charts:
            self.flowcharts += 1
            for graded in chart.grades.values():
                if graded.grade is not None:
                    self.grades[graded.grade] += 1
            for finding in chart.findings:
                if finding.waived:
                    self.waived += 1
                    continue
                self.by_rule[finding.rule] = self.by_rule.get(finding.rule, 0) + 1
                self.by_severity[finding.severity] += 1
        self.by_rule = dict(sorted(self.by_rule.items()))

    def add_programme(self, programme: Programme | None) -> None:
        """Count the programme's findings (FG6) too: they fail a run as any other."""
        if programme is None:
            return
        for finding in programme.findings:
            self.by_rule[finding.rule] = self.by_rule.get(finding.rule, 0) + 1
            self.by_severity[finding.severity] += 1
        self.by_rule = dict(sorted(self.by_rule.items()))

    @property
    def findings(self) -> int:
        return sum(self.by_rule.values())

    def exit_code(self, fail_on: str, fail_on_grade: int | None = None) -> int:
        """0 clean, 1 findings at or above ``fail_on`` or a risk point graded
        ``fail_on_grade`` or higher (1 is the highest), 2 a file could not be read."""
        if self.unreadable:
            return 2
        threshold = SEVERITIES.index(fail_on)
        if any(count for level, count in self.by_severity.items()
               if SEVERITIES.index(level) >= threshold):
            return 1
        if fail_on_grade is not None and any(
                self.grades[grade] for grade in GRADES if grade <= fail_on_grade):
            return 1
        return 0


@dataclass(frozen=True)
class PostFinding:
    """A programme finding (FG6): on a person in a post, not on a chart's steps.
    ``holder`` is the person as outputs show them (their role with ``--no-names``)."""

    rule: str
    severity: str
    message: Text
    unit: str
    post: str
    holder: Text
    since: _datetime.date
    #: When rotation falls (or fell) due, for FG601 and FG602.
    due: _datetime.date | None
    fingerprint: str


@dataclass
class Tenancy:
    """One row of the roster as matched to the charts' posts."""

    row: Holder
    #: The person as outputs show them: the name, or the role with ``--no-names``.
    shown: Text
    #: The post of the charts the row names, or None when it names none.
    post: Post | None
    #: Whole years and months in the post on the audit's date.
    held: tuple[int, int]
    #: When rotation falls due, for a post of the rotation grades.
    due: _datetime.date | None = None
    findings: list[PostFinding] = field(default_factory=list)
    #: The number of the earlier row this one repeats (the same person on the same
    #: post), or None: a repeated row is reported and not counted again.
    repeats: int | None = None

    @property
    def counted(self) -> bool:
        """A holder of a post of the charts, counted once."""
        return self.post is not None and self.repeats is None and not self.post.collective


@dataclass
class Programme:
    """The programme over time for a batch: the roster matched to the posts, on the
    audit's date (``as_of``), and what it shows (docs/programme.md)."""

    path: str
    as_of: _datetime.date
    policy: RotationPolicy
    tenancies: list[Tenancy]
    findings: list[PostFinding]
    #: The roster's rows that match no post, repeat a row, or name a collective body.
    warnings: list[LoadWarning]
    #: The risk posts of the roster's units that nobody in the roster holds.
    vacant: list[Post]
    #: The batch's units the roster names nobody in.
    units_missing: list[str]
    #: Whether the roster has a commitment column.
    has_commitments: bool = True
    #: Names shown as roles (``--no-names``): each name with its role.
    redactions: dict[str, Text] = field(default_factory=dict)
    _pattern: re.Pattern | None = field(default=None, init=False, repr=False,
                                        compare=False)

    def holders_of(self, unit: str, post: str) -> list[Tenancy]:
        """The people counted as holding a post, in roster order."""
        return [t for t in self.tenancies
                if t.counted and (t.post.unit, t.post.name) == (unit, post)]

    @property
    def no_names(self) -> bool:
        return bool(self.redactions)

    def redact(self, text: str, lang: str) -> str:
        """``text`` with every name of the roster replaced by its role, with
        ``--no-names`` (what an office wrote and flowgraph carries over, such as last
        year's ledger, may name people); ``text`` itself otherwise."""
        if not self.redactions or not text:
            return text
        if self._pattern is None:
            names = sorted(self.redactions, key=len, reverse=True)
            self._pattern = re.compile("|".join(map(re.escape, names)))
        return self._pattern.sub(lambda match: self.redactions[match.group()](lang), text)

    def counts(self) -> dict[str, int]:
        """What ``flowgraph stats`` counts of the programme."""
        by_rule = {rule.code: 0 for rule in RULES if rule.stage == "programme"}
        for finding in self.findings:
            by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
        return {
            "rows": len(self.tenancies),
            "holders": sum(t.counted for t in self.tenancies),
            "posts_held": len({(t.post.unit, t.post.name) for t in self.tenancies
                               if t.counted}),
            "by_rule": dict(sorted(by_rule.items())),
            "posts_without_holder": len(self.vacant),
            "rows_matching_nothing": sum(t.post is None for t in self.tenancies),
            "repeated_rows": sum(t.repeats is not None for t in self.tenancies),
            "units_not_in_roster": len(self.units_missing),
        }


@dataclass
class Review:
    """The results of a batch, its posts and the index that names their leaders."""

    results: list[FileResult]
    posts: list[Post]
    index: UnitIndex
    #: Bodies outside the units (an inspection group, a committee of experts, a
    #: superior government) that perform steps: never among the units' posts.
    bodies: list[OutsideBody] = field(default_factory=list)
    #: The classes of the power list the statistics count items in.
    classes: PowerClasses = field(default_factory=PowerClasses)
    #: The risk ledger's columns, in order (the configuration's ``ledger_columns``).
    ledger_columns: tuple[str, ...] = DEFAULT_LEDGER_COLUMNS
    #: The roster matched to the posts and what it shows, when a roster was given.
    programme: Programme | None = None

    @classmethod
    def of(cls, results: Iterable[FileResult], config: Config | None = None) -> Review:
        config = config or Config()
        results = list(results)
        index = UnitIndex(config.policy, config.key_posts)
        for result in results:
            for chart in result.charts:
                index.add(chart)
        return cls(results, index.finish(), index, index.bodies(), config.classes,
                   config.ledger_columns)

    def charts(self) -> Iterator[tuple[str, ChartResult]]:
        """Every flowchart read, with the file it came from, in batch order."""
        for result in self.results:
            for chart in result.charts:
                yield result.path, chart

    def post_of(self, chart: ChartResult, step_id: str) -> str | None:
        """The title of the post that performs a step (its actor id if undeclared)."""
        step = chart.flowchart.steps[step_id]
        if step.actor is None:
            return None
        actor = chart.flowchart.actors.get(step.actor)
        return actor.name if actor is not None else step.actor

    def responsible_for(self, chart: ChartResult, step_id: str) -> Responsible | None:
        """The leader responsible for a risk point, by its suggested grade."""
        graded = chart.grades.get(step_id)
        if graded is None or graded.grade is None:
            return None
        return self.index.responsible(unit_key(chart.flowchart), self.post_of(chart, step_id),
                                      graded.grade)

    def department_for(self, chart: ChartResult, step_id: str) -> Responsible | None:
        """The head of the section of the post that performs a step (部门责任人)."""
        return self.index.department(unit_key(chart.flowchart), self.post_of(chart, step_id))

"""Results of an audit as plain data: what the executor produces and outputs consume.

:class:`ChartResult` is one flowchart with its findings and grades, :class:`FileResult`
one input file (its flowcharts, or the error that stopped it being read),
:class:`Summary` the counts over a batch that the exit code and the summary lines need,
and :class:`Review` a whole batch with what spans flowcharts: the posts, their grades
over a unit and their responsible leaders (a unit's principal leader may be declared in
one flowchart and a post in another), so that the JSON, the ledger, the statistics and
the report agree.

The batch executor (:mod:`flowgraph.batch`) makes these; the outputs
(:mod:`flowgraph.output`) read them; neither imports the other.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .config import Config
from .errors import FlowgraphError
from .grading.classes import PowerClasses
from .grading.posts import OutsideBody, Post, UnitIndex, unit_key
from .grading.responsibility import Responsible
from .model import SEVERITIES, Finding, Flowchart, StepGrade
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


@dataclass
class FileRead:
    """One input file as read, not audited (``flowgraph check``): its flowcharts, or
    the error that stopped it being read."""

    path: str
    flowcharts: list[Flowchart] = field(default_factory=list)
    error: FlowgraphError | None = None


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

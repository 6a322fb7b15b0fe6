"""Before and after: what changed between two audited batches (``flowgraph diff``).

Last year's charts and this year's, or a chart before and after its redesign: both
are audited with one configuration, and the comparison says, as plain data, which
charts were added or removed, and for each chart found on both sides which risk points
and other steps were added or removed, which risk points changed grade (with the
reasons on both sides), which findings are new and which were resolved, and which
posts each unit gained or lost. Things are matched by their fingerprints
(:mod:`flowgraph.fingerprints`), never by file name, step id or position.

Charts are matched (docs/decisions.md, "Before and after"):

1. by unit and power item (title), normalised; where a title is on several charts of
   a side, those in the same file are paired first, then the rest in batch order;
2. the charts left, by file: the same path under the two folders compared (or the
   same file name, when a side is a file), and the same chart id within the file; the
   chart's title or unit changed, so its steps are compared as if it had kept the old
   ones;
3. two files holding one flowchart each are compared with each other whatever their
   names and titles (a chart before and after redesign).

A chart added brings all its risk points and findings as new; a chart removed takes
its own away. Findings are compared open (not waived): a finding waived since is no
longer open, and is listed as resolved with a note that it was waived. The gate
(:attr:`Comparison.alarms`) is what ``flowgraph diff`` fails on: a new grade-1 risk
point (added, or regraded to grade 1) and a new finding of severity error.
"""
from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field, replace

from .fingerprints import ChartPrints, chart_key, fingerprints, normalise, post_name
from .i18n import Text
from .model import Reason
from .results import ChartResult, Review


@dataclass(frozen=True)
class ChartRef:
    """A chart on one side: its file, id, unit and power item."""

    file: str
    flowchart: str
    unit: str | None
    title: str


@dataclass(frozen=True)
class StepRef:
    """A step on one side: its fingerprint, id, label, kind, post, suggested grade
    (None when it is not a risk point) and the reasons of that grade."""

    fingerprint: str
    step: str
    label: str
    kind: str
    post: str
    grade: int | None
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Regrade:
    """A risk point whose suggested grade changed, as it was and as it is."""

    old: StepRef
    new: StepRef

    @property
    def up(self) -> bool:
        """The risk became more serious: a higher grade (1 is the highest), or a step
        that was not a risk point became one."""
        if self.old.grade is None:
            return True
        return self.new.grade is not None and self.new.grade < self.old.grade


@dataclass(frozen=True)
class FindingRef:
    """A finding on one side: fingerprint, rule, severity, its steps and their
    labels, the message; ``waived``: a resolved finding that is still there, waived."""

    fingerprint: str
    rule: str
    severity: str
    steps: tuple[str, ...]
    labels: tuple[str, ...]
    message: Text
    waived: bool = False


@dataclass(frozen=True)
class PostRef:
    """A post of a unit with its grade over the unit."""

    unit: str
    name: str
    grade: int | None


@dataclass
class ChartChange:
    """One chart added, removed or changed, and what changed in it.

    ``status`` is ``added``, ``removed`` or ``changed``; ``matched_by`` how a changed
    chart was paired (``title``, ``file``, ``files``); ``old_chart`` and
    ``new_chart`` are the audited charts (for diagrams), ``None`` on the side it is
    missing from.
    """

    status: str
    old: ChartRef | None
    new: ChartRef | None
    old_chart: ChartResult | None = None
    new_chart: ChartResult | None = None
    matched_by: str | None = None
    points_added: list[StepRef] = field(default_factory=list)
    points_removed: list[StepRef] = field(default_factory=list)
    #: Steps that are not risk points (neutral steps, holders graded none).
    steps_added: list[StepRef] = field(default_factory=list)
    steps_removed: list[StepRef] = field(default_factory=list)
    regraded: list[Regrade] = field(default_factory=list)
    findings_new: list[FindingRef] = field(default_factory=list)
    findings_resolved: list[FindingRef] = field(default_factory=list)

    @property
    def renamed(self) -> bool:
        """A chart paired by file whose unit or power item changed."""
        return self.old is not None and self.new is not None \
            and (self.old.unit, self.old.title) != (self.new.unit, self.new.title)

    @property
    def empty(self) -> bool:
        """Nothing changed: the chart is the same on both sides (maybe moved)."""
        return self.status == "changed" and not self.renamed and not any(
            (self.points_added, self.points_removed, self.steps_added, self.steps_removed,
             self.regraded, self.findings_new, self.findings_resolved))


@dataclass
class Comparison:
    """What changed from the ``old`` batch to the ``new`` one.

    ``charts``: the charts that changed (in the new batch's order), then those added
    (new order), then those removed (old order); ``unchanged``: how many charts are
    the same on both sides; the posts each unit gained and lost.
    """

    old: str
    new: str
    charts: list[ChartChange]
    unchanged: int
    posts_gained: list[PostRef]
    posts_lost: list[PostRef]

    def of_status(self, status: str) -> list[ChartChange]:
        return [change for change in self.charts if change.status == status]

    @property
    def alarms(self) -> list[tuple[ChartChange, StepRef | FindingRef]]:
        """What the gate fails on: each new grade-1 risk point (added, or regraded to
        grade 1) and each new finding of severity error, with its chart."""
        found: list[tuple[ChartChange, StepRef | FindingRef]] = []
        for change in self.charts:
            found += [(change, point) for point in change.points_added if point.grade == 1]
            found += [(change, regrade.new) for regrade in change.regraded
                      if regrade.new.grade == 1]
            found += [(change, finding) for finding in change.findings_new
                      if finding.severity == "error"]
        return found

    def counts(self) -> dict[str, int]:
        """The totals, over every chart listed (those added and removed included)."""
        def total(attribute: str) -> int:
            return sum(len(getattr(change, attribute)) for change in self.charts)
        regraded = [r for change in self.charts for r in change.regraded]
        return {
            "charts_added": len(self.of_status("added")),
            "charts_removed": len(self.of_status("removed")),
            "charts_changed": len(self.of_status("changed")),
            "charts_unchanged": self.unchanged,
            "risk_points_added": total("points_added"),
            "risk_points_removed": total("points_removed"),
            "steps_added": total("steps_added"),
            "steps_removed": total("steps_removed"),
            "grades_up": sum(r.up for r in regraded),
            "grades_down": sum(not r.up for r in regraded),
            "findings_new": total("findings_new"),
            "findings_resolved": total("findings_resolved"),
            "posts_gained": len(self.posts_gained),
            "posts_lost": len(self.posts_lost),
            "alarms": len(self.alarms),
        }


def compare(old: Review, new: Review, old_root: str = "", new_root: str = "") -> Comparison:
    """Compare two audited batches. ``old_root`` and ``new_root``: the folder or file
    each was read from, for pairing charts by file (their paths below it)."""
    old_charts, new_charts = list(old.charts()), list(new.charts())
    pairs = _pairs(old_charts, new_charts, old_root, new_root)
    changes, unchanged = [], 0
    for number, (path, chart) in enumerate(new_charts):
        if number in pairs:
            old_number, how = pairs[number]
            change = _changed(*old_charts[old_number], path, chart, how)
            unchanged += change.empty
            if not change.empty:
                changes.append(change)
    paired = {old_number for old_number, _ in pairs.values()}
    changes += [_added(path, chart) for number, (path, chart) in enumerate(new_charts)
                if number not in pairs]
    changes += [_removed(path, chart) for number, (path, chart) in enumerate(old_charts)
                if number not in paired]
    gained, lost = _posts(old, new)
    return Comparison(old_root, new_root, changes, unchanged, gained, lost)


def _pairs(old_charts: list, new_charts: list, old_root: str,
           new_root: str) -> dict[int, tuple[int, str]]:
    """Each paired new chart's number → the old chart's number and how they were
    paired: by title (the same file first, where a title is on several), then by
    file, then the two files given."""
    def by_title(_path: str, chart: ChartResult, _root: str) -> tuple:
        return chart_key(chart.flowchart)

    def by_file(path: str, chart: ChartResult, root: str) -> tuple:
        return _below(path, root), chart.flowchart.id

    def by_both(path: str, chart: ChartResult, root: str) -> tuple:
        return by_title(path, chart, root) + by_file(path, chart, root)

    pairs: dict[int, tuple[int, str]] = {}
    for how, key_of in (("title", by_both), ("title", by_title), ("file", by_file)):
        paired = {old_number for old_number, _ in pairs.values()}
        waiting: dict[tuple, deque] = {}
        for number, (path, chart) in enumerate(old_charts):
            if number not in paired:
                waiting.setdefault(key_of(path, chart, old_root), deque()).append(number)
        for number, (path, chart) in enumerate(new_charts):
            queue = waiting.get(key_of(path, chart, new_root))
            if number not in pairs and queue:
                pairs[number] = (queue.popleft(), how)
    paired = {old_number for old_number, _ in pairs.values()}
    old_left = [n for n in range(len(old_charts)) if n not in paired]
    new_left = [n for n in range(len(new_charts)) if n not in pairs]
    if len(old_left) == len(new_left) == 1 and os.path.isfile(old_root) \
            and os.path.isfile(new_root):
        pairs[new_left[0]] = (old_left[0], "files")
    return pairs


def _below(path: str, root: str) -> str:
    """A file's path below the folder compared, or its name when a file was given."""
    if os.path.isdir(root):
        return os.path.relpath(path, root).replace(os.sep, "/")
    return os.path.basename(path)


def _ref(path: str, chart: ChartResult) -> ChartRef:
    flowchart = chart.flowchart
    return ChartRef(path, flowchart.id, flowchart.unit, flowchart.title)


def _steps(chart: ChartResult, prints: ChartPrints) -> dict[str, StepRef]:
    """Every step of a chart by fingerprint, with its grade and reasons."""
    flowchart = chart.flowchart
    found = {}
    for step_id, fingerprint in prints.steps.items():
        step = flowchart.steps[step_id]
        graded = chart.grades.get(step_id)
        found[fingerprint] = StepRef(
            fingerprint, step_id, step.label, step.kind, post_name(flowchart, step_id),
            graded.grade if graded else None, tuple(graded.reasons) if graded else ())
    return found


def _findings(chart: ChartResult, prints: ChartPrints) -> dict[str, FindingRef]:
    """Every finding of a chart by fingerprint."""
    flowchart = chart.flowchart
    return {fingerprint: FindingRef(
        fingerprint, finding.rule, finding.severity, finding.steps,
        tuple(flowchart.steps[step].label for step in finding.steps), finding.message,
        finding.waived)
        for fingerprint, finding in zip(prints.findings, chart.findings, strict=True)}


def _open(findings: dict[str, FindingRef]) -> dict[str, FindingRef]:
    return {key: finding for key, finding in findings.items() if not finding.waived}


def _changed(old_path: str, old_chart: ChartResult, path: str, chart: ChartResult,
             how: str) -> ChartChange:
    """What changed in one chart found on both sides."""
    old_prints = fingerprints(old_chart)
    new_prints = fingerprints(chart, chart_key(old_chart.flowchart))
    before, after = _steps(old_chart, old_prints), _steps(chart, new_prints)
    change = ChartChange("changed", _ref(old_path, old_chart), _ref(path, chart),
                         old_chart, chart, how)
    for key, step in after.items():
        if key not in before:
            (change.points_added if step.grade else change.steps_added).append(step)
        elif before[key].grade != step.grade:
            change.regraded.append(Regrade(before[key], step))
    for key, step in before.items():
        if key not in after:
            (change.points_removed if step.grade else change.steps_removed).append(step)
    old_findings, new_findings = _findings(old_chart, old_prints), _findings(chart, new_prints)
    old_open, new_open = _open(old_findings), _open(new_findings)
    change.findings_new = [f for key, f in new_open.items() if key not in old_open]
    change.findings_resolved = [
        replace(f, waived=key in new_findings)
        for key, f in old_open.items() if key not in new_open]
    return change


def _added(path: str, chart: ChartResult) -> ChartChange:
    """A chart only the new batch has: its risk points and open findings are new."""
    prints = fingerprints(chart)
    return ChartChange("added", None, _ref(path, chart), None, chart,
                       points_added=[s for s in _steps(chart, prints).values() if s.grade],
                       findings_new=list(_open(_findings(chart, prints)).values()))


def _removed(path: str, chart: ChartResult) -> ChartChange:
    """A chart only the old batch has: its risk points and open findings are gone."""
    prints = fingerprints(chart)
    return ChartChange("removed", _ref(path, chart), None, chart, None,
                       points_removed=[s for s in _steps(chart, prints).values() if s.grade],
                       findings_resolved=list(_open(_findings(chart, prints)).values()))


def _posts(old: Review, new: Review) -> tuple[list[PostRef], list[PostRef]]:
    """The posts (unit and title, normalised) only the new batch has, and only the old."""
    def keyed(review: Review) -> dict[tuple[str, str], PostRef]:
        return {(normalise(post.unit), normalise(post.name)):
                PostRef(post.unit, post.name, post.grade) for post in review.posts}
    before, after = keyed(old), keyed(new)
    return ([post for key, post in after.items() if key not in before],
            [post for key, post in before.items() if key not in after])

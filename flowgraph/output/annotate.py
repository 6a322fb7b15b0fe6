"""An audit's marks for the analysts' own modelling tools (``convert --annotate``).

Analysts keep their charts in Camunda Modeler, bpmn.io or draw.io; annotated, the BPMN
and draw.io files flowgraph writes carry what the audit found where they look: each
risk point filled with its grade's colour (as the diagrams fill it, :mod:`.palette`),
and each step with a finding or a grade noted (a text annotation in BPMN, the tooltip
in draw.io) with its suggested grade and the rule codes of its open findings, their
messages in the note's detail (the annotation's documentation; the tooltip). The
writers (:func:`flowgraph.io.writers.write`) put the marks in; reading the file back
ignores them.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..i18n import Text
from ..io.writers import Mark
from ..model import Finding, Flowchart, StepGrade
from ..vocabulary import GRADE_NAMES
from .labels import clipped
from .palette import GRADE_FILLS

#: Characters of a finding's message in a note's detail; the report has the whole text.
MAX_MESSAGE = 120
#: Rule codes written in a note, which stays short enough for its box beside the step.
MAX_CODES = 3


def marks(flowchart: Flowchart, findings: Iterable[Finding], grades: dict[str, StepGrade],
          lang: str) -> dict[str, Mark]:
    """The mark of every step that is a risk point or has an open finding: its fill by
    grade, a note of its grade and findings' codes, and their messages as its detail."""
    open_findings: dict[str, list[Finding]] = {}
    for finding in findings:
        if not finding.waived:
            for step in finding.steps:
                open_findings.setdefault(step, []).append(finding)
    result = {}
    for step in flowchart.steps:
        graded = grades.get(step)
        grade = graded.grade if graded else None
        found = open_findings.get(step, [])
        if grade is None and not found:
            continue
        lines = [Text(f"建议等级：{GRADE_NAMES[grade].zh}", f"suggested {GRADE_NAMES[grade].en}")(
            lang)] if grade else []
        codes = list(dict.fromkeys(f.rule for f in found))
        if codes:
            lines.append(_codes(codes, lang))
        detail = "\n".join(f"{f.rule} {clipped(f.message(lang), MAX_MESSAGE)}" for f in found)
        result[step] = Mark(GRADE_FILLS[grade], "\n".join(lines), detail)
    return result


def _codes(codes: list[str], lang: str) -> str:
    """The line of a note naming the findings' rule codes, the first few of many."""
    shown, more = codes[:MAX_CODES], len(codes) - MAX_CODES
    if lang == "zh":
        return f"问题：{'、'.join(shown)}" + (f" 等 {len(codes)} 项" if more > 0 else "")
    return f"findings: {', '.join(shown)}" + (f" and {more} more" if more > 0 else "")

"""Helpers for the programme's tests: a chart and a roster written as two YAML documents
(the form of the FG6 rules' examples and fixtures), audited on an ``# as-of:`` date."""
from __future__ import annotations

import datetime
import re
import tempfile
import textwrap
from pathlib import Path

from flowgraph.analysis import assess
from flowgraph.config import Config
from flowgraph.io.yaml_format import loads
from flowgraph.results import ChartResult, FileResult, Programme, Review
from flowgraph.roster import read_roster
from flowgraph.rotation import attach


def as_of_of(text: str) -> datetime.date:
    """The audit's date of a document: its ``# as-of: YYYY-MM-DD`` line."""
    match = re.search(r"^\s*# as-of: (\d{4}-\d{2}-\d{2})", text, re.M)
    assert match, "the document names no '# as-of:' date"
    return datetime.date.fromisoformat(match.group(1))


def review_of(text: str, config: Config | None = None,
              as_of: datetime.date | None = None) -> Review:
    """The review of a chart and a roster (YAML, after ``---``), with its programme."""
    config = config or Config()
    text = textwrap.dedent(text)
    charts, roster_text = text.split("\n---\n")
    results = []
    for number, chart_text in enumerate(charts.split("\n===\n")):
        chart = loads(chart_text, f"chart{number}.yaml")
        assessment = assess(chart, config)
        results.append(FileResult(f"chart{number}.yaml",
                                  [ChartResult(chart, assessment.findings, assessment.grades)]))
    review = Review.of(results, config)
    as_of = as_of or as_of_of(text)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.yaml"
        path.write_text(roster_text, "utf-8")
        roster = read_roster(path, as_of)
        return attach(review, roster, as_of, config)


def programme_of(text: str, config: Config | None = None,
                 as_of: datetime.date | None = None) -> Programme:
    return review_of(text, config, as_of).programme

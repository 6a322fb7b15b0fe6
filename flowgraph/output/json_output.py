"""The JSON interface of ``flowgraph audit --format json`` (design.md §8).

A stable interface: members may be added, never renamed or removed. Key order and
formatting are fixed, so the same input gives the same bytes.
"""
from __future__ import annotations

import json
from typing import Iterable

from ..batch import FileResult, Summary
from ..errors import FlowgraphError


def error_object(error: FlowgraphError | None, lang: str) -> dict | None:
    if error is None:
        return None
    return {"message": error.message(lang), "line": error.line, "column": error.column}


def report(results: Iterable[FileResult], lang: str) -> dict:
    """The JSON document for a batch, as plain data."""
    results = list(results)
    files, findings = [], []
    for result in results:
        files.append({"path": result.path, "error": error_object(result.error, lang)})
        for chart in result.charts:
            for finding in chart.findings:
                findings.append({
                    "file": result.path,
                    "flowchart": chart.flowchart.id,
                    "rule": finding.rule,
                    "severity": finding.severity,
                    "steps": list(finding.steps),
                    "witness": list(finding.witness),
                    "message": finding.message(lang),
                    "waived": finding.waived,
                    "waiver_reason": finding.waiver_reason,
                    "proposed_edge": (list(finding.proposed_edge)
                                      if finding.proposed_edge else None),
                })
    summary = Summary.of(results)
    return {
        "files": files,
        "findings": findings,
        "grades": [],
        "summary": {
            "files": summary.files,
            "unreadable": summary.unreadable,
            "flowcharts": summary.flowcharts,
            "findings": summary.by_rule,
            "waived": summary.waived,
            "grades": {"1": 0, "2": 0, "3": 0},
        },
    }


def dumps(results: Iterable[FileResult], lang: str) -> str:
    return json.dumps(report(results, lang), ensure_ascii=False, indent=2) + "\n"

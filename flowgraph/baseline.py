"""A baseline for batch use: the findings already known (``audit --baseline FILE``).

The convention linters follow: a batch that has lived with its findings for a year
records them once (``flowgraph audit --format json -o baseline.json``, or a report's
``findings.json``), and later runs fail only on findings the record does not hold.
A finding is known when its fingerprint (:mod:`flowgraph.fingerprints`) is in the
baseline: the charts may have been renamed, reordered or converted since. Each
fingerprint of the baseline stands for one finding (a baseline holding a fingerprint
once knows one finding with it, twice two), taken in batch order.

A file that is not such a document (another tool's JSON, a document without
fingerprints, something that is not JSON) is refused with a :class:`FlowgraphError`
naming the file; nothing is guessed.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from .errors import FlowgraphError
from .fingerprints import finding_fingerprints
from .i18n import Text
from .results import ChartResult, FileResult, Summary

#: What a baseline must be, said in every refusal of one.
EXPECTED = Text("应为 flowgraph audit --format json 的输出或报告中的 findings.json",
                "expected the output of flowgraph audit --format json, or a report's "
                "findings.json")


@dataclass(frozen=True)
class Screened:
    """One file's result with, for each of its charts, which findings the baseline
    knows (``known[chart][finding]``)."""

    result: FileResult
    known: tuple[tuple[bool, ...], ...]

    @property
    def known_count(self) -> int:
        return sum(sum(marks) for marks in self.known)

    def new_only(self) -> FileResult:
        """The result with only the findings the baseline does not know."""
        charts = [replace(chart, findings=[finding for finding, known
                                           in zip(chart.findings, marks, strict=True)
                                           if not known])
                  for chart, marks in zip(self.result.charts, self.known, strict=True)]
        return replace(self.result, charts=charts)


class Baseline:
    """The fingerprints of the known findings, each with how many findings it covers."""

    def __init__(self, path: str, counts: Counter):
        self.path = path
        self.counts = counts

    @classmethod
    def load(cls, path: str | os.PathLike) -> Baseline:
        """Read a baseline file, or raise a FlowgraphError that names it and says why."""
        name = os.fspath(path)
        document = _document(name)
        findings = document.get("findings") if isinstance(document, dict) else None
        if not isinstance(findings, list) or not isinstance(document.get("summary"), dict):
            raise FlowgraphError(Text(f"不是 flowgraph 的审查结果；{EXPECTED.zh}",
                                      f"not a flowgraph audit document; {EXPECTED.en}"),
                                 name)
        counts: Counter = Counter()
        for number, finding in enumerate(findings, 1):
            fingerprint = finding.get("fingerprint") if isinstance(finding, dict) else None
            if not isinstance(fingerprint, str) or not fingerprint:
                raise FlowgraphError(Text(
                    f"第 {number} 个问题没有 fingerprint（指纹），可能由旧版 flowgraph 生成；"
                    f"请用当前版本重新生成基线",
                    f"finding {number} has no fingerprint: the document may come from an "
                    f"older flowgraph; write the baseline again with this version"), name)
            counts[fingerprint] += 1
        return cls(name, counts)

    def new_only(self, results: Iterable[FileResult], summary: Summary) -> Iterator[FileResult]:
        """The results with only the findings the baseline does not know, as they
        stream, counting the others in ``summary.known``."""
        summary.known = summary.known or 0
        for screened in self.screen(results):
            summary.known += screened.known_count
            yield screened.new_only()

    def screen(self, results: Iterable[FileResult]) -> Iterator[Screened]:
        """Each result with the findings the baseline knows marked, in batch order:
        a fingerprint the baseline holds n times marks the first n findings with it."""
        remaining = Counter(self.counts)
        for result in results:
            yield Screened(result, tuple(_marks(chart, remaining) for chart in result.charts))


def _marks(chart: ChartResult, remaining: Counter) -> tuple[bool, ...]:
    """Which of a chart's findings the baseline knows, using up what it holds."""
    marks = []
    for fingerprint in finding_fingerprints(chart.flowchart, chart.findings):
        known = remaining[fingerprint] > 0
        remaining[fingerprint] -= known
        marks.append(known)
    return tuple(marks)


def _document(name: str):
    """The JSON value of a baseline file, or a FlowgraphError naming it."""
    try:
        with open(name, "rb") as stream:
            data = stream.read()
    except IsADirectoryError:
        raise FlowgraphError(Text(f"这是目录；{EXPECTED.zh}", f"is a folder; {EXPECTED.en}"),
                             name) from None
    except FileNotFoundError:
        raise FlowgraphError(Text("基线文件不存在", "no such baseline file"), name) from None
    except OSError as exc:
        raise FlowgraphError(Text(f"无法读取基线文件：{exc.strerror}",
                                  f"cannot read the baseline: {exc.strerror}"), name) from None
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise FlowgraphError(Text(f"不是 UTF-8 文本；{EXPECTED.zh}",
                                  f"not UTF-8 text; {EXPECTED.en}"), name) from None
    except json.JSONDecodeError as exc:
        raise FlowgraphError(Text(f"不是有效的 JSON（{exc.msg}）；{EXPECTED.zh}",
                                  f"not valid JSON ({exc.msg}); {EXPECTED.en}"),
                             name, exc.lineno, exc.colno) from None
    except (ValueError, RecursionError):  # a number too long, nesting too deep
        raise FlowgraphError(Text(f"不是可读取的 JSON；{EXPECTED.zh}",
                                  f"not JSON flowgraph can read; {EXPECTED.en}"),
                             name) from None

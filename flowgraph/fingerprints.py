"""Stable identities (fingerprints) of risk points and findings (docs/decisions.md,
"Fingerprints").

An analyst edits charts from year to year: files are renamed and renumbered, steps
reordered, step ids rewritten (``decide`` → ``d2``), a neighbouring step relabelled, a
chart converted to BPMN by another tool. None of that changes what a risk point or a
finding *is*, so none of it may change its fingerprint; a different step, post, rule
or power item does. The fingerprint is what the baseline (``audit --baseline``), the
comparison of two batches (``flowgraph diff``) and the ledger match on.

What a thing means, and so what its fingerprint is made of:

- a step (a risk point when it is graded): the chart's unit and power item (title),
  the step's kind, its post (the actor's title) and its label, each normalised
  (:func:`normalise`);
- a finding: the chart's unit and power item, the rule, and the fingerprints of the
  steps it is about (as a set: the order a rule lists them in is not meaning).

Step ids, file names, positions in the file, time limits, amounts, discretion and
controls are not part of either: a step given more money is the same risk point with
a new grade. Two things of one chart with the same identity (two 审核 steps of one
post, a rule reporting the same steps twice) are told apart by an ordinal suffix:
the first keeps the bare fingerprint, the next ``-2``, ``-3`` …; steps are counted in
the order the matter reaches them (fewest flow steps from a start first, then the
order written), findings in the order the audit lists them.

A fingerprint is 16 hexadecimal digits (64 bits of SHA-256 of the parts), with the
suffix when there is one: ``3f0c9a1be47d2a60`` or ``3f0c9a1be47d2a60-2``.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .model import Finding, Flowchart
from .results import ChartResult

#: Hexadecimal digits kept of the SHA-256 of a thing's parts (64 bits).
DIGITS = 16

#: Circled and parenthesised numbers (①, ❶, ➀, ㉑ …) that open a label: numbering.
#: Removed before NFKC, which would turn ① into a bare "1".
_CIRCLED = re.compile("^[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]+")
_NUMBER = r"(?:[0-9]{1,3}|[一二三四五六七八九十百零〇两]+)"
#: Numbering that opens a label, after NFKC and casefolding: 第一步： 第3项 (一) (1)
#: 1. 一、 2) step 1: … A number followed by a digit (1.5万元) is not numbering.
_LEADING = re.compile(
    rf"^\s*(?:第\s*{_NUMBER}\s*(?:(?:步|项|环节|阶段)\s*[、.,:;\-\s]*|[、.,:;\-]\s*)"
    rf"|[(\[【]\s*{_NUMBER}\s*[)\]】]\s*[、.,:]?\s*"
    rf"|{_NUMBER}\s*[、.,:)](?![0-9])\s*"
    r"|(?:step|stage)\s*[0-9]+\s*[.:\-]?\s*)")
#: Numbering that closes a label: 复核（二） 审核(2). Years (2019) are not numbering.
_TRAILING = re.compile(r"\s*[(\[【]\s*(?:[0-9]{1,2}|[一二三四五六七八九十]+)\s*[)\]】]\s*$")


@lru_cache(maxsize=1 << 16)
def normalise(text: str | None) -> str:
    """A label, post, unit or title as its meaning: the same text however it is typed.

    Full-width forms become half-width and compatibility forms plain (NFKC), letters
    lose their case, numbering that opens the text (``第一步：``, ``（一）``, ``1.``,
    ``一、``, ``①``) or closes it (``（二）``, ``(2)``) is dropped, and so are spaces,
    punctuation and invisible characters. Symbols (¥, ≤, %) and digits stay: ``≤5万元``
    is not ``≥5万元``. A text that is nothing but numbering keeps its number.
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", _CIRCLED.sub("", text)).casefold()
    stripped = _TRAILING.sub("", _LEADING.sub("", folded))
    return _bare(stripped) or _bare(folded)


def _bare(text: str) -> str:
    """``text`` without spaces, punctuation, control and format characters; a decimal
    point stays (``1.5万元`` is not ``15万元``), a thousands separator goes."""
    if "." not in text:  # most texts: no point to keep
        return text.translate(_DROPPED)
    return ".".join(part.translate(_DROPPED) for part in _DECIMAL_POINT.split(text))


class _Dropped(dict):
    """The table :meth:`str.translate` drops spaces, punctuation and invisible
    characters with, built as characters are met."""

    def __missing__(self, code: int) -> int | None:
        self[code] = None if unicodedata.category(chr(code))[0] in "PZC" else code
        return self[code]


_DROPPED = _Dropped()
_DECIMAL_POINT = re.compile(r"(?<=[0-9])\.(?=[0-9])")


def _digest(parts: tuple[str, ...]) -> str:
    """The first :data:`DIGITS` hexadecimal digits of the SHA-256 of ``parts``, joined
    by the unit separator (U+001F), which no normalised text holds. Not cached: nearly
    every step's parts differ, and a cache of a 100,000-step chart's only evicted."""
    encoded = "\x1f".join(parts).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:DIGITS]


def digest(*parts: str) -> str:
    """The fingerprint of a thing named by ``parts`` (texts already normalised): the
    same digest as steps and findings, for the identities other modules give (a
    programme finding, a ledger row)."""
    return _digest(tuple(parts))


def numbered(values: Iterable[str]) -> list[str]:
    """``values`` with an ordinal suffix on each repeat (``-2``, ``-3``), in order: the
    same rule as fingerprints of things alike."""
    seen: dict[str, int] = {}
    out = []
    for value in values:
        seen[value] = seen.get(value, 0) + 1
        out.append(value if seen[value] == 1 else f"{value}-{seen[value]}")
    return out


def chart_key(flowchart: Flowchart) -> tuple[str, str]:
    """What identifies a chart across files and years: its unit and power item."""
    return normalise(flowchart.unit), normalise(flowchart.title)


def post_name(flowchart: Flowchart, step_id: str) -> str:
    """The post of a step as users know it: the actor's title, its id when the actor
    is undeclared, empty when the step has none."""
    actor_id = flowchart.steps[step_id].actor
    if actor_id is None:
        return ""
    actor = flowchart.actors.get(actor_id)
    return actor.name if actor is not None else actor_id


def step_fingerprints(flowchart: Flowchart,
                      key: tuple[str, str] | None = None) -> dict[str, str]:
    """The fingerprint of every step of a chart (a risk point's is its step's), by
    step id in the chart's order. ``key`` stands in for the chart's own unit and title
    (:func:`chart_key`) when two versions of a chart with different titles are
    compared."""
    unit, title = key or chart_key(flowchart)
    bases = {step.id: _digest(("step", unit, title, step.kind,
                               normalise(post_name(flowchart, step.id)),
                               normalise(step.label)))
             for step in flowchart.steps.values()}
    return _numbered(bases, lambda: _reach_order(flowchart))


def finding_fingerprints(flowchart: Flowchart, findings: Iterable[Finding],
                         steps: Mapping[str, str] | None = None,
                         key: tuple[str, str] | None = None) -> tuple[str, ...]:
    """The fingerprints of a chart's findings, in their order. ``steps``: the chart's
    :func:`step_fingerprints`, when the caller has them; ``key`` as there."""
    key = key or chart_key(flowchart)
    steps = steps if steps is not None else step_fingerprints(flowchart, key)
    bases = {number: _digest(("finding", *key, finding.rule,
                              *sorted(steps[step] for step in finding.steps)))
             for number, finding in enumerate(findings)}
    return tuple(_numbered(bases, lambda: list(bases)).values())


@dataclass(frozen=True)
class ChartPrints:
    """The fingerprints of one audited chart: ``steps`` by step id (every step; a
    risk point's is its step's), ``findings`` in the order of the chart's findings."""

    steps: Mapping[str, str]
    findings: tuple[str, ...]


def fingerprints(chart: ChartResult, key: tuple[str, str] | None = None) -> ChartPrints:
    """Every fingerprint of an audited chart: what the JSON, the ledger, the baseline
    and the comparison read."""
    steps = step_fingerprints(chart.flowchart, key)
    return ChartPrints(steps, finding_fingerprints(chart.flowchart, chart.findings, steps, key))


def _numbered(bases: Mapping, order: Callable[[], Sequence]) -> dict:
    """``bases`` (item → base fingerprint) with the second, third … item of a shared
    base suffixed ``-2``, ``-3`` …, counted in ``order()`` (asked for only when two
    items share a base); keys keep their order."""
    if len(set(bases.values())) == len(bases):
        return dict(bases)
    counts: dict[str, int] = {}
    suffixed = {}
    for item in order():
        base = bases[item]
        counts[base] = counts.get(base, 0) + 1
        suffixed[item] = base if counts[base] == 1 else f"{base}-{counts[base]}"
    return {item: suffixed[item] for item in bases}


def _reach_order(flowchart: Flowchart) -> list[str]:
    """Step ids in the order the matter reaches them: fewest flow steps from a start
    first, then the order written; steps no start reaches last. Neither renaming ids
    nor reordering the file changes the order of steps at different distances."""
    successors = flowchart.succ  # not the flows: a dense chart would make an object an edge
    depth = {step_id: 0 for step_id in flowchart.starts}
    queue = deque(flowchart.starts)
    while queue:
        step_id = queue.popleft()
        for target in successors[step_id]:
            if target not in depth:
                depth[target] = depth[step_id] + 1
                queue.append(target)
    unreached = len(flowchart.steps)
    position = {step_id: number for number, step_id in enumerate(flowchart.steps)}
    return sorted(flowchart.steps, key=lambda s: (depth.get(s, unreached), position[s]))

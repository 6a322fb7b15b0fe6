"""The JSON interface of ``flowgraph audit --format json`` (design.md §8).

A stable interface: members may be added, never renamed or removed. Key order and
formatting are fixed (one record per line), so the same input gives the same bytes.
Beyond design.md's members: ``warnings`` on files (what a reader skipped, each with
its message, line and column), ``proposed_edge`` on findings (FG401), ``label`` and
``responsible_note`` on grades, a ``posts`` list (every post of every unit, its grade
over the unit, leader and key-post flags) and counts of posts and key posts in the
summary; ``fingerprint`` on findings and grades (their stable identities:
:mod:`flowgraph.fingerprints`), and, with a baseline (``audit --baseline``),
``baseline`` on findings (``known`` or ``new``; null without one) and in the summary
(``{"known": …, "new": …}``; null without one).

With a roster (``--roster``): ``roster`` (the file, the audit's date, the rotation
policy, whether names are shown, the units it leaves out; null without one),
``holders`` (each row of the roster: the post it names and the one it matched, the
person or their role, since, the commitment, time in post, rotation's due date, its
findings), ``programme_findings`` (the FG6 findings on the people in the posts:
rule, severity, unit, post, holder, message, fingerprint, ``waived`` false),
``roster_warnings`` (rows matching no post, repeated, naming a collective body:
file, message naming sheet and row, line) and
``posts_without_holder`` (the risk posts of the roster's units nobody holds); the
summary's ``findings`` counts the FG6 findings too, and ``roster`` counts the rest.
Without a roster those lists are empty.

Witness paths are bounded (docs/decisions.md, "Witness paths"): ``witness`` holds at
most the first :data:`WITNESS_SHOWN` steps of the path, ``witness_length`` its full
length. A longer path is given whole, without repeating what findings share, by
``witness_parts`` (its parts: steps written out, or a step of a tree, read up to the
tree's source and reversed or not) and the document's ``witness_trees`` (each tree's
pointers, step → next step, and the tree it extends); :func:`witness_steps` reads it
back. With ``full_witness`` every ``witness`` is complete (the document may then grow
with the square of a chart's size).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice

import orjson

from ..errors import FlowgraphError
from ..fingerprints import ChartPrints, fingerprints
from ..gc_paused import gc_paused
from ..grading.posts import Post
from ..paths import Chain, PointerTree, Witness
from ..results import Programme, Review, Summary
from ..vocabulary import GRADES


def error_object(error: FlowgraphError | None, lang: str) -> dict | None:
    if error is None:
        return None
    return {"message": error.message(lang), "line": error.line, "column": error.column}


def _number(value: float) -> int | float:
    """Whole amounts as integers: ``12000000``, not ``12000000.0``."""
    return int(value) if float(value).is_integer() else value


#: The most steps of a witness path written in a finding's ``witness``.
WITNESS_SHOWN = 50


class _Trees:
    """The witness trees a document refers to, numbered in order of first use."""

    def __init__(self):
        self.numbers: dict[int, int] = {}
        self.records: list[dict] = []

    def number(self, tree: PointerTree, path: str, flowchart: str) -> int:
        known = self.numbers.get(id(tree))
        if known is not None:
            return known
        under = self.number(tree.under, path, flowchart) if tree.under is not None else None
        number = self.numbers[id(tree)] = len(self.records)
        self.records.append({"id": number, "file": path, "flowchart": flowchart,
                             "extends": under, "pointers": tree.pointers})
        return number


def _witness_members(witness: Witness, full: bool, trees: _Trees, path: str,
                     flowchart: str) -> dict:
    """``witness``, ``witness_length`` and ``witness_parts`` of one finding."""
    length = len(witness)
    if full or length <= WITNESS_SHOWN:
        return {"witness": list(witness), "witness_length": length, "witness_parts": None}
    parts = []
    for part in witness.parts:
        if isinstance(part, Chain):
            parts.append({"tree": trees.number(part.tree, path, flowchart),
                          "from": part.node, "reverse": part.reverse, "skip": part.skip})
        else:
            parts.append({"steps": list(part)})
    return {"witness": witness.head(WITNESS_SHOWN), "witness_length": length,
            "witness_parts": parts}


def witness_steps(finding: dict, trees: list[dict]) -> list[str]:
    """The whole witness path of a finding of the JSON document, read back from its
    ``witness_parts`` and the document's ``witness_trees`` (or its ``witness`` when it
    is complete)."""
    if finding.get("witness_parts") is None:
        return list(finding["witness"])
    by_number = {record["id"]: record for record in trees}

    def parent(number: int, step: str) -> str | None:
        while step not in by_number[number]["pointers"]:
            number = by_number[number]["extends"]
        return by_number[number]["pointers"][step]

    steps: list[str] = []
    for part in finding["witness_parts"]:
        if "steps" in part:
            steps += part["steps"]
            continue
        chain, step = [], part["from"]
        while step is not None:
            chain.append(step)
            step = parent(part["tree"], step)
        if part["reverse"]:
            chain.reverse()
        steps += chain[part["skip"]:]
    return steps


def report(review: Review, lang: str, full_witness: bool = False,
           known: list[tuple[bool, ...]] | None = None) -> dict:
    """The JSON document for a reviewed batch, as plain data. ``known``: for each
    chart of the batch in order, which of its findings a baseline knows."""
    return {key: list(value) if isinstance(value, Iterator) else value
            for key, value in _members(review, lang, full_witness, known)}


def _members(review: Review, lang: str, full_witness: bool,
             known: list[tuple[bool, ...]] | None) -> Iterator[tuple[str, object]]:
    """The document's members in order, each list as an iterator of its records, made
    as it is read: a 100,000-step chart's 140,000 records are never all held at once.
    ``witness_trees`` is read last, once the findings have named the trees."""
    trees, prints = _Trees(), []
    yield "files", ({"path": result.path, "error": error_object(result.error, lang),
                     "warnings": [error_object(warning, lang) for warning in
                                  (*result.warnings, *(w for chart in result.charts
                                                       for w in chart.flowchart.warnings))]}
                    for result in review.results)
    yield "findings", _findings(review, lang, full_witness, known, trees, prints)
    yield "grades", _grades(review, lang, prints)
    yield "posts", (_post(post, lang) for post in review.posts)
    yield "bodies", ({"unit": body.unit, "name": body.name, "why": body.reason(lang),
                      "flowcharts": body.flowcharts, "steps": body.steps}
                     for body in review.bodies)
    summary = Summary.of(review.results)
    summary.add_programme(review.programme)
    posts_by_grade = {str(g): sum(p.grade == g for p in review.posts) for g in GRADES}
    yield "summary", {
        "files": summary.files,
        "unreadable": summary.unreadable,
        "flowcharts": summary.flowcharts,
        "findings": summary.by_rule,
        "waived": summary.waived,
        "grades": {str(g): summary.grades[g] for g in GRADES},
        "posts": posts_by_grade,
        "key_posts": sum(post.is_key_post for post in review.posts),
        "baseline": _baseline_counts(known),
        "roster": review.programme.counts() if review.programme else None,
    }
    yield "witness_trees", iter(trees.records)
    for key, value in programme_members(review.programme, lang).items():
        yield key, iter(value) if isinstance(value, list) else value


def _findings(review: Review, lang: str, full_witness: bool,
              known: list[tuple[bool, ...]] | None, trees: _Trees,
              prints: list[ChartPrints]) -> Iterator[dict]:
    """The findings' records; each chart's fingerprints are added to ``prints``."""
    for number, (path, chart) in enumerate(review.charts()):
        flowchart = chart.flowchart
        prints.append(fingerprints(chart))
        marks = known[number] if known is not None else (None,) * len(chart.findings)
        for finding, fingerprint, mark in zip(chart.findings, prints[-1].findings, marks,
                                              strict=True):
            yield {
                "file": path,
                "flowchart": flowchart.id,
                "rule": finding.rule,
                "severity": finding.severity,
                "steps": list(finding.steps),
                **_witness_members(finding.witness, full_witness, trees, path, flowchart.id),
                "message": finding.message(lang),
                "waived": finding.waived,
                "waiver_reason": finding.waiver_reason,
                "proposed_edge": (list(finding.proposed_edge)
                                  if finding.proposed_edge else None),
                "fingerprint": fingerprint,
                "baseline": None if mark is None else ("known" if mark else "new"),
            }


def _grades(review: Review, lang: str, prints: list[ChartPrints]) -> Iterator[dict]:
    """The grades' records; ``prints``: each chart's fingerprints, in order. Who answers
    for a risk point follows from its post and grade, and many share their reasons: each
    is put into words once a chart."""
    for (path, chart), chart_prints in zip(review.charts(), prints, strict=True):
        flowchart = chart.flowchart
        people: dict[tuple[str | None, int | None], dict] = {}
        words: dict[tuple, list[str]] = {}
        for step_id, graded in chart.grades.items():
            step = flowchart.steps[step_id]
            post = review.post_of(chart, step_id)
            answer = people.get((post, graded.grade))
            if answer is None:
                leader = review.responsible_for(chart, step_id)
                head = review.department_for(chart, step_id)
                answer = people[post, graded.grade] = {
                    "responsible": leader.name if leader else None,
                    "responsible_note": leader.note(lang) if leader and leader.note else None,
                    "department": head.name if head else None,
                    "department_note": head.note(lang) if head and head.note else None,
                }
            reasons = words.get(graded.reasons)
            if reasons is None:
                reasons = words[graded.reasons] = [reason(lang) for reason in graded.reasons]
            yield {
                "file": path,
                "flowchart": flowchart.id,
                "step": step_id,
                "label": step.label,
                "post": post,
                "grade": graded.grade,
                "declared_grade": step.declared_grade,
                "score": graded.score,
                "reasons": reasons,
                **answer,
                "fingerprint": chart_prints.steps[step_id],
            }


def _post(post: Post, lang: str) -> dict:
    """A post's record: its grade over its unit, leader and key-post flags."""
    return {
        "unit": post.unit,
        "post": post.name,
        "grade": post.grade,
        "responsible": post.responsible.name if post.responsible else None,
        "responsible_note": (post.responsible.note(lang)
                             if post.responsible and post.responsible.note else None),
        "flowcharts": post.flowcharts,
        "steps": post.steps,
        "risk_points": post.risk_points,
        "decisions": post.decisions,
        "high_stakes_steps": post.high_stakes,
        "money": _number(post.money),
        "domains": sorted(post.domains),
        "findings": dict(sorted(post.findings.items())),
        "key_post": post.is_key_post,
        "key_post_reasons": [reason(lang) for reason in post.key_post_reasons],
    }


def programme_members(programme: Programme | None, lang: str) -> dict:
    """The members the roster adds to the document (empty lists without one)."""
    if programme is None:
        return {"roster": None, "holders": [], "programme_findings": [],
                "roster_warnings": [], "posts_without_holder": []}
    policy = programme.policy
    return {
        "roster": {
            "file": programme.path,
            "as_of": programme.as_of.isoformat(),
            "names": "roles" if programme.no_names else "shown",
            "commitments_known": programme.has_commitments,
            "rotation_grades": list(policy.grades),
            "rotation_years": policy.years,
            "rotation_notice_months": policy.notice_months,
            "commitment_grades": list(policy.commitment_grades),
            "units_not_in_roster": programme.units_missing,
        },
        "holders": [{
            "row": tenancy.row.number,
            "line": tenancy.row.line,
            "where": tenancy.row.where(lang),
            "unit": tenancy.row.unit,
            "section": tenancy.row.section,
            "post": tenancy.row.post,
            "name": tenancy.shown(lang),
            "since": tenancy.row.since.isoformat(),
            "commitment_signed": (tenancy.row.commitment.isoformat()
                                  if tenancy.row.commitment else None),
            "matched_unit": tenancy.post.unit if tenancy.post else None,
            "matched_post": tenancy.post.name if tenancy.post else None,
            "post_grade": tenancy.post.grade if tenancy.post else None,
            "key_post": tenancy.post.is_key_post if tenancy.post else False,
            "held": {"years": tenancy.held[0], "months": tenancy.held[1]},
            "rotation_due": tenancy.due.isoformat() if tenancy.due else None,
            "repeats": tenancy.repeats,
            "findings": [finding.rule for finding in tenancy.findings],
        } for tenancy in programme.tenancies],
        "programme_findings": [{
            "rule": finding.rule,
            "severity": finding.severity,
            "unit": finding.unit,
            "post": finding.post,
            "holder": finding.holder(lang),
            "since": finding.since.isoformat(),
            "rotation_due": finding.due.isoformat() if finding.due else None,
            "message": finding.message(lang),
            "waived": False,
            "waiver_reason": None,
            "fingerprint": finding.fingerprint,
        } for finding in programme.findings],
        "roster_warnings": [{"file": programme.path, **error_object(warning, lang)}
                            for warning in programme.warnings],
        "posts_without_holder": [{"unit": post.unit, "post": post.name, "grade": post.grade}
                                 for post in programme.vacant],
    }


def _baseline_counts(known: list[tuple[bool, ...]] | None) -> dict | None:
    """How many findings a baseline knew and how many are new, or None without one."""
    if known is None:
        return None
    marks = [mark for chart in known for mark in chart]
    return {"known": sum(marks), "new": len(marks) - sum(marks)}


def dumps(review: Review, lang: str, full_witness: bool = False) -> str:
    """The JSON document as text (see :func:`chunks`)."""
    return b"".join(chunks(review, lang, full_witness)).decode("utf-8")


def chunks(review: Review, lang: str, full_witness: bool = False,
           known: list[tuple[bool, ...]] | None = None) -> Iterator[bytes]:
    """The JSON document in pieces of UTF-8, for writing as it is encoded: one member
    per line at the top, one record (file, finding, grade, post) per line in the
    lists, the records made, encoded and let go a thousand at a time. Each record is
    encoded alone (:func:`_compact`); the whole document indented would go through the
    standard library's pure-Python encoder, 6.5 million pieces for a 100,000-step chart.

    The cyclic garbage collector is paused meanwhile (:mod:`flowgraph.gc_paused`): the
    records make no cycles, and each pass it made walked the audited charts' millions
    of live objects again (0.8 s of the 8.5 s of a 100,000-step chart)."""
    with gc_paused():
        yield b"{"
        for number, (key, value) in enumerate(_members(review, lang, full_witness, known)):
            opening = (b",\n" if number else b"\n") + f'  "{key}": '.encode()
            if isinstance(value, Iterator):
                yield opening + b"["
                written = 0
                for batch in _batches(value):
                    yield (b"\n    " if not written else b",\n    ") + \
                        b",\n    ".join(map(_compact, batch))
                    written += len(batch)
                yield b"\n  ]" if written else b"]"
            else:
                yield opening + _compact(value)
        yield b"\n}\n"


def _batches(records: Iterator[dict], size: int = 1000) -> Iterator[list[dict]]:
    """The records in lists of ``size``: a piece a batch, not a piece a record, to
    encode and write (a write per record cost a 100,000-step chart 0.3 s)."""
    while batch := list(islice(records, size)):
        yield batch


def _compact(record: object) -> bytes:
    """A record as compact JSON in UTF-8, through orjson (a 100,000-step chart's 74 MB
    in half the time of the standard library's C encoder). What orjson refuses, text
    holding a lone surrogate (the byte of a file name that was not UTF-8) or an
    integer past 64 bits, goes through the standard library's encoder instead, the
    surrogate written as its JSON escape (``\\udcff``)."""
    try:
        return orjson.dumps(record)
    except orjson.JSONEncodeError:
        return _standard(record).encode("utf-8", "backslashreplace")


_standard = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

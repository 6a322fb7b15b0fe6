"""The programme over time: the roster (在岗人员名册) matched to the charts' posts, and
the programme rules (FG6) run on every person in a post.

A roster row names a unit and a post as the personnel office writes them; the charts
name posts as the units drew them. Both are compared as meant, not as typed
(:func:`flowgraph.fingerprints.normalise`: full-width and half-width forms, spaces and
punctuation), first as ``单位`` and ``岗位``, then with the row's ``科室`` before its
``岗位`` (科室 工程建设管理科, 岗位 科长 → 工程建设管理科科长). What does not match is
never dropped:

- a row whose unit no chart has, or whose post no chart of its unit has, is kept,
  shown and warned about (naming the file, sheet and row, and the nearest posts);
- a row repeating an earlier one (the same person on the same post) is warned about
  and counted once; two people on one post are normal (several 窗口受理员);
- a row naming a collective body (局党组会议) is warned about: nobody holds it alone;
- a risk post of a unit the roster covers that nobody holds is listed, and so is a
  unit of the batch the roster names nobody in (a roster of one unit says nothing of
  the others).

Each holder of a post is then judged by the programme rules (``check(context)`` with
a :class:`~flowgraph.rules.context.Tenure`): rotation due (FG601), due soon (FG602),
commitment missing (FG603), as selected and with the severities configured. With
``no_names`` a person is shown by their role (工程建设管理科科长（在岗人员）) in every
message, and every name is kept out of what flowgraph writes.

Everything is plain data on the review (:class:`~flowgraph.results.Programme`); the
outputs present it. Matching is linear in the roster's rows and the posts.
"""
from __future__ import annotations

import datetime as _datetime
import difflib
from dataclasses import replace

from .analysis import configured_severity
from .config import Config
from .dates import add_years, held
from .errors import LoadWarning
from .fingerprints import digest, normalise, numbered
from .grading.posts import Post
from .i18n import Text
from .results import PostFinding, Programme, Review, Tenancy
from .roster import Holder, Roster
from .rules import Context, selected
from .rules.context import Tenure
from .vocabulary import DEFAULT_LEDGER_COLUMNS

#: The ledger's columns a roster adds to the default ones, after 岗位.
HOLDER_COLUMNS = ("holders", "years_held")
CANNOT_NAME = Text("无法确定", "cannot be named")


def role(post: str, number: int, several: bool) -> Text:
    """A person shown by their role: 工程建设管理科科长（在岗人员）, numbered when the
    post has several holders (窗口受理员（在岗人员2）)."""
    suffix = str(number) if several else ""
    return Text(f"{post}（在岗人员{suffix}）", f"{post} (holder{' ' + suffix if suffix else ''})")


class _Posts:
    """The review's posts by unit and title, as meant (normalised)."""

    def __init__(self, posts: list[Post]):
        self.by_key: dict[tuple[str, str], Post] = {}
        self.units: dict[str, str] = {}
        self.titles: dict[str, list[str]] = {}
        for post in posts:
            unit = normalise(post.unit)
            self.by_key.setdefault((unit, normalise(post.name)), post)
            self.units.setdefault(unit, post.unit)
            self.titles.setdefault(unit, []).append(post.name)

    def find(self, holder: Holder) -> Post | None:
        unit = normalise(holder.unit)
        found = self.by_key.get((unit, normalise(holder.post)))
        if found is None and holder.section:
            found = self.by_key.get((unit, normalise(holder.section + holder.post)))
        return found

    def unmatched(self, holder: Holder, path: str) -> LoadWarning:
        """Why a row matches no post, with the nearest names the charts have."""
        unit = normalise(holder.unit)
        where = holder.where
        if unit not in self.units:
            near = difflib.get_close_matches(holder.unit, list(self.units.values()), 3, 0.5)
            hint = Text(f"（相近：{'、'.join(near)}）", f" (nearest: {', '.join(near)})") \
                if near else Text("", "")
            return LoadWarning(Text(
                f"{where.zh}：流程图中没有单位“{holder.unit}”{hint.zh}；该行保留，不判断轮岗",
                f"{where.en}: no chart has the unit '{holder.unit}'{hint.en}; the row is "
                f"kept, its rotation not judged"), path, holder.line)
        post = holder.post if not holder.section else f"{holder.section} {holder.post}"
        near = difflib.get_close_matches(holder.post, self.titles[unit], 3, 0.6)
        hint = Text(f"（相近：{'、'.join(near)}）", f" (nearest: {', '.join(near)})") \
            if near else Text("", "")
        return LoadWarning(Text(
            f"{where.zh}：“{self.units[unit]}”的流程图中没有岗位“{post}”{hint.zh}；"
            f"该行保留，不判断轮岗",
            f"{where.en}: no chart of '{self.units[unit]}' has the post '{post}'{hint.en}; "
            f"the row is kept, its rotation not judged"), path, holder.line)


def _leader(post: Post) -> Text:
    """The post's responsible leader as a message names it, in both languages."""
    if post.responsible is None:
        return CANNOT_NAME
    return Text(post.responsible("zh"), post.responsible("en"))


def assess(review: Review, roster: Roster, as_of: _datetime.date,
           config: Config | None = None) -> Programme:
    """The programme of a reviewed batch on the day ``as_of``: the roster matched to the
    posts, and the findings of the selected programme rules on every holder.

    Parameters
    ----------
    review : Review
        The batch, with its posts, their grades, key-post flags and leaders.
    roster : Roster
        As read by :func:`flowgraph.roster.read_roster`.
    as_of : date
        The audit's date: time in post is counted to it.
    config : Config, optional
        Rule selection, severities, the rotation policy and ``no_names``.
    """
    config = config or Config()
    posts = _Posts(review.posts)
    tenancies: list[Tenancy] = []
    warnings: list[LoadWarning] = []
    first: dict[tuple, int] = {}
    for holder in roster.holders:
        post = posts.find(holder)
        tenancy = Tenancy(holder, Text(holder.name, holder.name), post,
                          held(holder.since, as_of))
        key = ((post.unit, post.name) if post is not None else
               (normalise(holder.unit), normalise(holder.section), normalise(holder.post)),
               normalise(holder.name))
        if key in first:
            tenancy.repeats = first[key]
            warnings.append(_repeated(holder, first[key], roster))
        else:
            first[key] = holder.number
            if post is None:
                warnings.append(posts.unmatched(holder, roster.path))
            elif post.collective:
                warnings.append(LoadWarning(Text(
                    f"{holder.where.zh}：“{post.name}”是集体决策机构，不由个人担任；"
                    f"该行保留，不判断轮岗",
                    f"{holder.where.en}: '{post.name}' is a collective body nobody holds "
                    f"alone; the row is kept, its rotation not judged"),
                    roster.path, holder.line))
        tenancies.append(tenancy)
    redactions = _roles(tenancies) if config.no_names else {}
    findings = _judge(tenancies, roster, as_of, config)
    covered = {normalise(holder.unit) for holder in roster.holders}
    held_posts = {(t.post.unit, t.post.name) for t in tenancies if t.counted}
    vacant = [post for post in review.posts
              if post.grade is not None and not post.collective
              and normalise(post.unit) in covered
              and (post.unit, post.name) not in held_posts]
    units = sorted({post.unit for post in review.posts})
    missing = [unit for unit in units if normalise(unit) not in covered]
    return Programme(roster.path, as_of, config.rotation, tenancies, findings, warnings,
                     vacant, missing, roster.has_commitments, redactions)


def _repeated(holder: Holder, earlier: int, roster: Roster) -> LoadWarning:
    other = roster.holders[earlier - 1]
    differs = other.since != holder.since
    dates = Text(f"（两行任职起始日期不同：{other.since.isoformat()} / "
                 f"{holder.since.isoformat()}）",
                 f" (their dates differ: {other.since.isoformat()} / "
                 f"{holder.since.isoformat()})") if differs else Text("", "")
    return LoadWarning(Text(
        f"{holder.where.zh}：与{other.where.zh}重复（同一岗位的同一人），按前一行计{dates.zh}",
        f"{holder.where.en}: repeats {other.where.en} (the same person on the same post); "
        f"counted once, as that row{dates.en}"), roster.path, holder.line)


def _roles(tenancies: list[Tenancy]) -> dict[str, Text]:
    """With ``no_names``: each tenancy shown by its role, and every name of the roster
    with the role it is replaced by wherever flowgraph carries text over."""
    by_post: dict[tuple[str, str], list[Tenancy]] = {}
    for tenancy in tenancies:
        post = tenancy.post.name if tenancy.post is not None else \
            (tenancy.row.section or "") + tenancy.row.post
        unit = tenancy.post.unit if tenancy.post is not None else tenancy.row.unit
        by_post.setdefault((unit, post), []).append(tenancy)
    redactions: dict[str, Text] = {}
    for (_, post), holding in by_post.items():
        people = list(dict.fromkeys(normalise(t.row.name) for t in holding))
        for tenancy in holding:
            tenancy.shown = role(post, people.index(normalise(tenancy.row.name)) + 1,
                                 len(people) > 1)
            redactions.setdefault(tenancy.row.name, tenancy.shown)
    return redactions


def _judge(tenancies: list[Tenancy], roster: Roster, as_of: _datetime.date,
           config: Config) -> list[PostFinding]:
    """The findings of the selected programme rules on every counted holder, in roster
    order, then by rule."""
    rules = [rule for rule in selected(config.select, config.ignore)
             if rule.stage == "programme"]
    findings: list[PostFinding] = []
    for tenancy in tenancies:
        post = tenancy.post
        if not tenancy.counted:
            continue
        if post.grade in config.rotation.grades:
            tenancy.due = add_years(tenancy.row.since, config.rotation.years)
        tenure = Tenure(
            holder=tenancy.shown, unit=post.unit, post=post.name, grade=post.grade,
            key_post=post.is_key_post, leader=_leader(post), since=tenancy.row.since,
            commitment=tenancy.row.commitment, as_of=as_of, rotation=config.rotation,
            commitments_known=roster.has_commitments)
        for rule in rules:
            for found in rule.check(Context(None, config.policy, tenure=tenure)):
                tenancy.findings.append(PostFinding(
                    found.rule, configured_severity(found.rule, config) or found.severity,
                    found.message, post.unit, post.name, tenancy.shown,
                    tenancy.row.since, tenancy.due, ""))
        findings.extend(tenancy.findings)
    prints = numbered(digest("programme", f.rule, normalise(f.unit), normalise(f.post),
                             f.since.isoformat()) for f in findings)
    findings = [replace(f, fingerprint=value) for f, value in zip(findings, prints,
                                                                   strict=True)]
    _refresh(tenancies, findings)
    return findings


def _refresh(tenancies: list[Tenancy], findings: list[PostFinding]) -> None:
    """Give each tenancy its findings with their fingerprints (in the same order)."""
    remaining = iter(findings)
    for tenancy in tenancies:
        tenancy.findings = [next(remaining) for _ in tenancy.findings]


def attach(review: Review, roster: Roster, as_of: _datetime.date,
           config: Config | None = None) -> Review:
    """The review with its programme (:func:`assess`); the ledger's default columns
    gain 在岗人员 and 在岗年限 after 岗位 (a configured list is kept as it is)."""
    programme = assess(review, roster, as_of, config)
    columns = review.ledger_columns
    if columns == DEFAULT_LEDGER_COLUMNS:
        at = columns.index("post") + 1
        columns = columns[:at] + HOLDER_COLUMNS + columns[at:]
    return replace(review, programme=programme, ledger_columns=columns)

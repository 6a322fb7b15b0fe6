"""``flowgraph diff`` as text for the terminal and as JSON for tools.

The text leads with the charts added and removed, then each chart that changed with
one line per change (``+`` added or new, ``-`` removed or resolved, ``↑``/``↓`` a grade
up or down, with the reasons of both grades under it), then the posts gained and lost,
the totals, and the verdict the exit code follows. Texts from charts are shown with
control characters as escapes, as in the audit's text. The JSON holds the same, as
plain data, in a fixed order.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

from ..comparison import ChartChange, ChartRef, Comparison, FindingRef, PostRef, StepRef
from ..files import printable
from ..i18n import Text
from ..model import reasons_text
from ..vocabulary import GRADE_NAMES, GRADES, NO_GRADE, SEVERITY_NAMES


def _line(text: str | None) -> str:
    """Text from a chart as part of one terminal line."""
    return printable(text or "", keep="")


def _grade(grade: int | None, lang: str) -> str:
    return GRADE_NAMES[grade](lang) if grade else NO_GRADE(lang)


def _chart(ref: ChartRef, lang: str) -> str:
    """``标题（单位）`` / ``title (unit)``."""
    unit = Text(f"（{_line(ref.unit)}）", f" ({_line(ref.unit)})")(lang) if ref.unit else ""
    return f"{_line(ref.title)}{unit}"


def _step(step: StepRef, lang: str) -> str:
    """``“审批”（分管副局长）`` / ``'审批' (分管副局长)``."""
    if not step.post:
        return Text(f"“{_line(step.label)}”", f"'{_line(step.label)}'")(lang)
    return Text(f"“{_line(step.label)}”（{_line(step.post)}）",
                f"'{_line(step.label)}' ({_line(step.post)})")(lang)


def _finding(finding: FindingRef, lang: str) -> str:
    """``FG201 错误 “审批”：message``."""
    labels = "、".join(Text(f"“{_line(x)}”", f"'{_line(x)}'")(lang) for x in finding.labels)
    where = f" {labels}" if labels else ""
    return (f"{finding.rule} {SEVERITY_NAMES[finding.severity](lang)}{where}"
            f"{Text('：', ': ')(lang)}"
            f"{_line(finding.message(lang))}")


def _counts(points: list[StepRef], findings: list[FindingRef], lang: str) -> str:
    """``风险点 一级 0，二级 1，三级 3；问题 2 个（错误 1）`` of a chart added or
    removed."""
    grades = Text("，", ", ")(lang).join(
        f"{GRADE_NAMES[g](lang)} {sum(p.grade == g for p in points)}" for g in GRADES)
    errors = sum(f.severity == "error" for f in findings)
    return Text(f"风险点 {grades}；问题 {len(findings)} 个（错误 {errors}）",
                f"risk points {grades}; {len(findings)} finding(s) ({errors} error)")(lang)


def lines(comparison: Comparison, lang: str, style=None) -> Iterator[str]:
    """The lines of the text report. ``style(text, fg=…, bold=…)`` may colour them."""
    style = style or (lambda text, **_: text)
    yield style(Text(f"比较：{_line(comparison.old)} → {_line(comparison.new)}",
                     f"comparing {_line(comparison.old)} → {_line(comparison.new)}")(lang),
                bold=True)
    for status, heading, sign, colour in (
            ("added", Text("新增的流程图", "charts added"), "+", "green"),
            ("removed", Text("删除的流程图", "charts removed"), "-", "red")):
        changes = comparison.of_status(status)
        if changes:
            yield style(Text(f"{heading.zh}（{len(changes)} 个）：",
                             f"{heading.en} ({len(changes)}):")(lang), bold=True)
        for change in changes:
            ref = change.new if status == "added" else change.old
            points = change.points_added if status == "added" else change.points_removed
            findings = change.findings_new if status == "added" else change.findings_resolved
            yield style(f"  {sign} {_chart(ref, lang)} — {_line(ref.file)}"
                        f"{Text('：', ': ')(lang)}{_counts(points, findings, lang)}",
                        fg=colour)
    for change in comparison.of_status("changed"):
        yield from _changed_lines(change, lang, style)
    yield from _post_lines(comparison, lang, style)
    yield totals_line(comparison, lang)
    yield verdict_line(comparison, lang)


def _changed_lines(change: ChartChange, lang: str, style) -> Iterator[str]:
    """A chart found on both sides: its heading, then one line per change."""
    old, new = change.old, change.new
    renamed = Text(f"（原为{_chart(old, lang)}）", f" (was {_chart(old, lang)})")(lang) \
        if change.renamed else ""
    yield style(f"{_chart(new, lang)}{renamed}{Text('：', ': ')(lang)}{_line(old.file)} → "
                f"{_line(new.file)}", bold=True)
    items = (
        [("+", "green", Text("新增风险点", "risk point added"),
          f"{_step(s, lang)} [{_grade(s.grade, lang)}]") for s in change.points_added]
        + [("-", "red", Text("删除风险点", "risk point removed"),
            f"{_step(s, lang)} [{_grade(s.grade, lang)}]") for s in change.points_removed]
        + [("+", "green", Text("新增环节", "step added"), _step(s, lang))
           for s in change.steps_added]
        + [("-", "red", Text("删除环节", "step removed"), _step(s, lang))
           for s in change.steps_removed])
    for sign, colour, what, text in items:
        yield style(f"  {sign} {what(lang)} {text}", fg=colour)
    for regrade in change.regraded:
        sign, what = ("↑", Text("等级上升", "grade up")) if regrade.up \
            else ("↓", Text("等级下降", "grade down"))
        yield style(f"  {sign} {what(lang)} {_step(regrade.new, lang)} "
                    f"{_grade(regrade.old.grade, lang)} → {_grade(regrade.new.grade, lang)}",
                    fg="red" if regrade.up else "green")
        for side, step in ((Text("原", "before"), regrade.old), (Text("现", "after"), regrade.new)):
            yield f"      {side(lang)}{Text('：', ': ')(lang)}{_line(_explained(step, lang))}"
    for finding in change.findings_new:
        yield style(f"  + {Text('新问题', 'new finding')(lang)} {_finding(finding, lang)}",
                    fg="red" if finding.severity == "error" else "yellow")
    for finding in change.findings_resolved:
        waived = Text("  （仍在，已豁免）", "  [still there, waived]")(lang) \
            if finding.waived else ""
        yield style(f"  - {Text('已解决', 'resolved')(lang)} {_finding(finding, lang)}"
                    f"{waived}", fg="green")


def _explained(step: StepRef, lang: str) -> str:
    """``二级：较大裁量权 +3；…`` as :meth:`StepGrade.explain` says it."""
    head = _grade(step.grade, lang)
    if not step.reasons:
        return head
    return head + Text("：", ": ")(lang) + reasons_text(step.reasons, lang)


def _post_lines(comparison: Comparison, lang: str, style) -> Iterator[str]:
    """The posts gained and lost, unit by unit."""
    if comparison.posts_gained or comparison.posts_lost:
        yield style(Text("岗位：", "posts:")(lang), bold=True)
    for sign, colour, what, posts in (
            ("+", "green", Text("新增岗位", "post gained"), comparison.posts_gained),
            ("-", "red", Text("减少岗位", "post lost"), comparison.posts_lost)):
        for post in posts:
            yield style(f"  {sign} {what(lang)} {_line(post.unit)} {_line(post.name)} "
                        f"[{_grade(post.grade, lang)}]", fg=colour)


def totals_line(comparison: Comparison, lang: str) -> str:
    """The totals: charts, risk points, steps, grades, findings, posts."""
    c = comparison.counts()
    return Text(
        f"合计：流程图 新增 {c['charts_added']}，删除 {c['charts_removed']}，"
        f"有变化 {c['charts_changed']}，未变 {c['charts_unchanged']}；风险点 新增 "
        f"{c['risk_points_added']}，删除 {c['risk_points_removed']}；其他环节 新增 "
        f"{c['steps_added']}，删除 {c['steps_removed']}；等级 上升 {c['grades_up']}，"
        f"下降 {c['grades_down']}；问题 新增 {c['findings_new']}，已解决 "
        f"{c['findings_resolved']}；岗位 新增 {c['posts_gained']}，减少 {c['posts_lost']}",
        f"total: charts {c['charts_added']} added, {c['charts_removed']} removed, "
        f"{c['charts_changed']} changed, {c['charts_unchanged']} unchanged; risk points "
        f"{c['risk_points_added']} added, {c['risk_points_removed']} removed; other steps "
        f"{c['steps_added']} added, {c['steps_removed']} removed; grades {c['grades_up']} "
        f"up, {c['grades_down']} down; findings {c['findings_new']} new, "
        f"{c['findings_resolved']} resolved; posts {c['posts_gained']} gained, "
        f"{c['posts_lost']} lost")(lang)


def verdict_line(comparison: Comparison, lang: str) -> str:
    """What the exit code says: new grade-1 risk points and new errors, or none."""
    alarms = [item for _, item in comparison.alarms]
    points = sum(isinstance(item, StepRef) for item in alarms)
    errors = len(alarms) - points
    if not alarms:
        return Text("结论：没有新的一级风险点，也没有新的错误级问题",
                    "verdict: no new grade-1 risk point and no new error")(lang)
    return Text(f"结论：新的一级风险点 {points} 个，新的错误级问题 {errors} 个（退出码 1）",
                f"verdict: {points} new grade-1 risk point(s), {errors} new error(s) "
                f"(exit code 1)")(lang)


# -- JSON -------------------------------------------------------------------------------

def _chart_object(ref: ChartRef | None) -> dict | None:
    if ref is None:
        return None
    return {"file": ref.file, "flowchart": ref.flowchart, "unit": ref.unit, "title": ref.title}


def _step_object(step: StepRef, lang: str) -> dict:
    return {"fingerprint": step.fingerprint, "step": step.step, "label": step.label,
            "kind": step.kind, "post": step.post or None, "grade": step.grade,
            "reasons": [reason(lang) for reason in step.reasons]}


def _finding_object(finding: FindingRef, lang: str) -> dict:
    return {"fingerprint": finding.fingerprint, "rule": finding.rule,
            "severity": finding.severity, "steps": list(finding.steps),
            "labels": list(finding.labels), "message": finding.message(lang),
            "waived": finding.waived}


def _post_object(post: PostRef) -> dict:
    return {"unit": post.unit, "post": post.name, "grade": post.grade}


def _change_object(change: ChartChange, lang: str) -> dict:
    def steps(items: list[StepRef]) -> list[dict]:
        return [_step_object(step, lang) for step in items]

    def findings(items: list[FindingRef]) -> list[dict]:
        return [_finding_object(finding, lang) for finding in items]

    return {
        "status": change.status, "matched_by": change.matched_by, "renamed": change.renamed,
        "old": _chart_object(change.old), "new": _chart_object(change.new),
        "risk_points_added": steps(change.points_added),
        "risk_points_removed": steps(change.points_removed),
        "steps_added": steps(change.steps_added),
        "steps_removed": steps(change.steps_removed),
        "grade_changes": [{"direction": "up" if r.up else "down",
                           "old": _step_object(r.old, lang), "new": _step_object(r.new, lang)}
                          for r in change.regraded],
        "findings_new": findings(change.findings_new),
        "findings_resolved": findings(change.findings_resolved),
    }


def document(comparison: Comparison, lang: str) -> dict:
    """The comparison as plain data: the JSON of ``flowgraph diff --format json``."""
    return {
        "old": comparison.old, "new": comparison.new,
        "charts": [_change_object(change, lang) for change in comparison.charts],
        "posts_gained": [_post_object(post) for post in comparison.posts_gained],
        "posts_lost": [_post_object(post) for post in comparison.posts_lost],
        "summary": {**comparison.counts(), "gate_failed": bool(comparison.alarms)},
    }


def dumps(comparison: Comparison, lang: str) -> str:
    """The JSON document as text, indented, keys in a fixed order."""
    return json.dumps(document(comparison, lang), ensure_ascii=False, indent=2) + "\n"

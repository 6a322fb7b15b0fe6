"""Terminal output: findings grouped by file and flowchart, then a summary line.

Each finding shows the suggested grade of its first step beside it (``[一级]``), so
that the reader sees at once which findings sit on the riskiest points. Texts from a
flowchart are shown with control characters as escapes (a label cannot move the
cursor, clear the screen or split a line: :func:`~flowgraph.files.printable`).

With a roster, the programme comes after the charts (:func:`programme_lines`): the
findings on the people in the posts (FG6), the roster's rows that match nothing, the
risk posts nobody holds and the units the roster leaves out.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..errors import LoadWarning
from ..files import printable
from ..i18n import Text
from ..results import FileRead, FileResult, Programme, Summary
from ..vocabulary import GRADE_NAMES, SEVERITY_NAMES, grade_name

COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
#: The most risk posts without a holder named on the terminal (a city has thousands).
LISTED = 20


def _line(text: str) -> str:
    """Text from a flowchart as part of one terminal line."""
    return printable(text, keep="")


def _steps(chart, step_ids: tuple[str, ...], lang: str) -> str:
    """The steps a finding is about, as its line names them: the first by id and label,
    the others counted (``check “核对材料”等 2 个环节`` / ``check '核对材料' and 1 other
    step``), then the suggested grade of the first (``[二级]``); empty for a finding
    about the whole chart."""
    if not step_ids:
        return ""
    first = chart.flowchart.steps[step_ids[0]]
    others = len(step_ids) - 1
    if not others:
        step = Text(f"{first.id} “{first.label}”", f"{first.id} '{first.label}'")
    else:
        step = Text(f"{first.id} “{first.label}”等 {others + 1} 个环节",
                    f"{first.id} '{first.label}' and {others} other "
                    f"step{'s' if others > 1 else ''}")
    text = _line(step(lang))
    graded = chart.grades.get(first.id)
    if graded is not None and graded.grade is not None:
        text += f" [{GRADE_NAMES[graded.grade](lang)}]"
    return text


def lines(results: Iterable[FileResult], lang: str, style=None,
          summary: Summary | None = None, programme: Programme | None = None
          ) -> Iterator[str]:
    """The lines of the text report, streamed as results arrive, then the programme's
    lines (with a roster), then the summary line. ``style(text, fg=…, bold=…)`` may
    colour them; ``summary`` (filled as the results pass) lets the caller read the
    counts afterwards."""
    style = style or (lambda text, **_: text)
    summary = summary if summary is not None else Summary()
    for result in results:
        summary.add(result)
        if result.error is not None:
            yield style(result.error.describe(lang), fg="red", bold=True)
            continue
        yield from _file_warnings(result, lang, style)
        for chart in result.charts:
            fc = chart.flowchart
            where = Text(f"（{fc.unit}）", f" ({fc.unit})")(lang) if fc.unit else ""
            yield style(_line(Text(f"{result.path}：{fc.title}{where}",
                                   f"{result.path}: {fc.title}{where}")(lang)), bold=True)
            for warning in fc.warnings:
                yield style(warning_line(warning, lang), fg="yellow")
            if not chart.findings:
                yield "  " + Text("未发现问题", "no findings")(lang)
            for finding in chart.findings:
                step = _steps(chart, finding.steps, lang)
                severity = SEVERITY_NAMES[finding.severity](lang)
                head = f"  {finding.rule} {style(f'{severity:<7}', fg=COLOURS[finding.severity])}"
                message = _line(finding.message(lang))
                colon = Text("：", ": ")(lang)
                text = f"{head} {step}{colon}{message}" if step else f"{head} {message}"
                if finding.waived:
                    reason = _line(finding.waiver_reason or "")
                    text += Text(f"  （已豁免：{reason}）", f"  [waived: {reason}]")(lang)
                    text = style(text, dim=True)
                yield text
    if programme is not None:
        summary.add_programme(programme)
        yield from programme_lines(programme, lang, style)
    yield summary_line(summary, lang)


def _file_warnings(result: FileResult, lang: str, style) -> Iterator[str]:
    """The warnings of a drawing that gave no flowchart (every page or process
    without a step): the file, and why nothing of it is in the report."""
    if result.warnings:
        yield style(_line(f"{result.path}:"), bold=True)
        for warning in result.warnings:
            yield style(warning_line(warning, lang), fg="yellow")


def programme_lines(programme: Programme, lang: str, style=None) -> Iterator[str]:
    """The programme (a roster given): a heading with the roster's counts, each
    finding on a person in a post, each warning about the roster's rows, then the
    risk posts nobody holds and the units the roster leaves out."""
    style = style or (lambda text, **_: text)
    counts = programme.counts()
    path = _line(programme.path)
    yield style(Text(
        f"在岗人员名册 {path}（审查日期 {programme.as_of.isoformat()}）：名册 {counts['rows']} 行，"
        f"在岗人员 {counts['holders']} 人，对应岗位 {counts['posts_held']} 个",
        f"roster {path} (as of {programme.as_of.isoformat()}): {counts['rows']} row(s), "
        f"{counts['holders']} holder(s) of {counts['posts_held']} post(s)")(lang), bold=True)
    for warning in programme.warnings:
        yield style("  " + Text("名册提示：", "roster warning: ")(lang)
                    + _line(warning.describe(lang)), fg="yellow")
    if not programme.findings:
        yield "  " + Text("在岗人员未发现问题", "no findings on the holders")(lang)
    for finding in programme.findings:
        severity = SEVERITY_NAMES[finding.severity](lang)
        where = _line(f"{finding.unit} “{finding.post}”" if lang == "zh"
                      else f"{finding.unit} '{finding.post}'")
        yield (f"  {finding.rule} {style(f'{severity:<7}', fg=COLOURS[finding.severity])} "
               f"{where}{Text('：', ': ')(lang)}{_line(finding.message(lang))}")
    if programme.vacant:
        shown = programme.vacant[:LISTED]
        posts = Text("、", ", ")(lang).join(
            Text(f"{post.unit} {post.name}（{grade_name(post.grade, lang)}）",
                 f"{post.unit} {post.name} ({grade_name(post.grade, lang)})")(lang)
            for post in shown)
        if len(programme.vacant) > len(shown):
            posts += Text(" 等（全部见 JSON 或报告）", " … (all in the JSON or the report)")(lang)
        yield "  " + Text(f"名册中无人在岗的风险岗位（{len(programme.vacant)} 个）：",
                          f"risk posts no one in the roster holds ({len(programme.vacant)}): "
                          )(lang) + _line(posts)
    if programme.units_missing:
        yield "  " + Text(f"名册未列入的单位（{len(programme.units_missing)} 个）：",
                          f"units the roster leaves out ({len(programme.units_missing)}): ")(
            lang) + _line(Text("、", ", ")(lang).join(programme.units_missing))


def check_lines(reads: Iterable[FileRead], lang: str, style=None,
                failed: list[str] | None = None, verbose: bool = False) -> Iterator[str]:
    """The lines of ``flowgraph check``: each file ok (with its flowcharts and steps)
    or its error, its import warnings, with ``verbose`` what was read from free text
    (:func:`note_lines`), then the count. The paths of files that could not be read
    are appended to ``failed``."""
    style = style or (lambda text, **_: text)
    failed = failed if failed is not None else []
    total = 0
    for read in reads:
        total += 1
        if read.error is not None:
            failed.append(read.path)
            yield style(read.error.describe(lang), fg="red")
            continue
        steps = sum(len(chart.steps) for chart in read.flowcharts)
        charts = len(read.flowcharts)
        path = _line(read.path)
        yield Text(f"{path}：正确（{charts} 个流程图，{steps} 个环节）",
                   f"{path}: ok ({charts} flowchart(s), {steps} steps)")(lang)
        for warning in (*read.warnings,
                        *(w for chart in read.flowcharts for w in chart.warnings)):
            yield style(warning_line(warning, lang), fg="yellow")
        if verbose:
            for chart in read.flowcharts:
                yield from note_lines(chart, lang, style)
    yield Text(f"共 {total} 个文件，{len(failed)} 个无法读取",
               f"{total} file(s), {len(failed)} could not be read")(lang)


def note_lines(chart, lang: str, style=None) -> Iterator[str]:
    """What the reader understood from the free text of a flowchart (a BPMN
    annotation's phrases, a message flow read as 备案), one line each: ``  读作: …``."""
    style = style or (lambda text, **_: text)
    for note in chart.readings:
        yield style("  " + Text("读作：", "read as: ")(lang) + _line(note.describe(lang)),
                    fg="cyan")


def warning_line(warning: LoadWarning, lang: str) -> str:
    """A load warning under its file: ``  import warning: x.bpmn:4: …``."""
    return "  " + Text("导入提示：", "import warning: ")(lang) + warning.describe(lang)


def summary_line(summary: Summary, lang: str) -> str:
    """The last line of the text report: files, flowcharts, findings, risk points."""
    counts, grades = summary.by_severity, summary.grades
    text = Text(f"共 {summary.files} 个文件、{summary.flowcharts} 个流程图，"
                f"{summary.findings} 个问题（错误 {counts['error']}，警告 {counts['warning']}，"
                f"提示 {counts['info']}），已豁免 {summary.waived} 个；风险点：一级 {grades[1]}，"
                f"二级 {grades[2]}，三级 {grades[3]}",
                f"{summary.files} file(s), {summary.flowcharts} flowchart(s), "
                f"{summary.findings} finding(s) ({counts['error']} error, {counts['warning']} "
                f"warning, {counts['info']} info), {summary.waived} waived; risk points: "
                f"{grades[1]} grade 1, {grades[2]} grade 2, {grades[3]} grade 3")(lang)
    if summary.known is not None:
        text += Text(f"；基线中已知的问题 {summary.known} 个（未列出）",
                     f"; {summary.known} known finding(s) of the baseline skipped")(lang)
    if summary.unreadable:
        text += Text(f"；{summary.unreadable} 个文件无法读取",
                     f"; {summary.unreadable} file(s) could not be read")(lang)
    return text

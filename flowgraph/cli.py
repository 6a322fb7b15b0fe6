"""The ``flowgraph`` command: a thin layer of options over the library.

Exit codes, like a linter: 0 clean, 1 findings at or above ``--fail-on``, 2 a file
could not be read or the command was used wrongly. Errors are one line, never a
traceback.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sys
import threading
from pathlib import Path

import click

from .errors import FlowgraphError
from .i18n import LANGUAGES, Text, locale_language
from .model import SEVERITIES
from .shapes import SHAPES
from .version import __version__

#: A file's name, line and column before a message; a name quoted in an English one.
_LOCATION = re.compile(r"^\S+?(?::\d+)*: |'[^']*'")


class UsageFailure(click.ClickException):
    """A usage or configuration error: exit code 2, shown after 错误： when the message
    is Chinese (click's own prefix, Error:, is English). The message is chosen in the
    user's language already; it is Chinese when Chinese remains once the file's name
    in front and the names quoted in English ('…') are set aside."""

    exit_code = 2

    def show(self, file=None) -> None:
        if re.search("[\u4e00-\u9fff]", _LOCATION.sub("", self.message)):
            click.echo(f"错误：{self.format_message()}", err=file is None, file=file)
        else:
            super().show(file)


def _split(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """``--select FG1,FG2 --select FG301`` → ``("FG1", "FG2", "FG301")``."""
    items = tuple(part.strip().upper() for value in values for part in value.split(",")
                  if part.strip())
    return items or None


def _configure(paths, config_file, lang_option, actors_file=None, **overrides):
    """The run's configuration (file found upward, then options) and its language."""
    from .config import find_config_file, load_config
    lang = lang_option or locale_language()
    try:
        existing = [p for p in paths if os.path.exists(p)] or ["."]
        config_path = config_file or find_config_file(existing)
        config = load_config(config_path)
        actors_file = actors_file or config.actors
        click.get_current_context().meta[READS_KEY] = [
            os.fspath(p) for p in (config_path, actors_file) if p]
        if actors_file:
            from .io.actors_file import load_side
            overrides["side_actors"] = load_side(actors_file, config.max_file_size)
    except FlowgraphError as error:
        raise UsageFailure(error.describe(lang)) from None
    lang = lang_option or config.lang or lang
    click.get_current_context().meta[LANG_KEY] = lang
    for option in ("select", "ignore"):
        _check_patterns(option, overrides.get(option) or (), lang)
    return config.override(**overrides), lang


def _check_patterns(option: str, patterns, lang: str) -> None:
    from .rules import is_known_pattern
    for pattern in patterns:
        if not is_known_pattern(pattern):
            raise UsageFailure(Text(
                f"--{option}：“{pattern}” 不是规则代码或前缀（见 flowgraph rules）",
                f"--{option}: '{pattern}' is not a rule code or prefix "
                f"(see flowgraph rules)")(lang))


def _read_by_run(paths, items=None) -> list[str]:
    """Every path the run reads, which no output may replace: the paths given, the
    files found in them (``items``: what :func:`~flowgraph.batch.expand_inputs` made of
    them, when the command has it), the other tables of each CSV set, the side files of
    actors (given, with a folder's files, or beside the flowcharts) and the
    configuration file (:func:`_configure` notes those given)."""
    from .batch import expand_inputs
    from .io import companions
    from .io.actors_file import beside_stamps
    if items is None:
        items = expand_inputs(paths)
    found = [path for path, error in items if error is None]
    given = click.get_current_context().meta.get(READS_KEY, ())
    inside = [os.path.join(folder, name) for folder in given if os.path.isdir(folder)
              for name in sorted(os.listdir(folder))]
    return [*paths, *found, *(table for path in found for table in companions(path)),
            *(stamp[0] for path in found for stamp in beside_stamps(path)),
            *given, *inside]


def _refuse_overwriting_inputs(output: str, paths, items=None) -> None:
    """The output policy's refusals of a file ``output``, before any work: one of the
    files the run reads (:func:`_read_by_run`), a folder, a device, a special file."""
    from .files import refuse_inputs
    refuse_inputs(output, _read_by_run(paths, items))


def _shown(path) -> str:
    """A path as one line of a message: control characters and line breaks escaped."""
    from .files import printable
    return printable(os.fspath(path), keep="")


@contextlib.contextmanager
def _signals_exit():
    """While a command runs, SIGTERM and SIGHUP end it as an exception does (exit code
    128 + the signal), so that ``finally`` blocks remove what it was building (a
    report's staging folder, a temporary file). A worker process forked meanwhile keeps
    the default action: it dies at once. Outside the main thread (a command called from
    a server's thread) nothing is installed: only that thread may."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    main_pid = os.getpid()

    def exit_on(signum, _frame):
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise SystemExit(128 + signum)

    signals = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    previous = {signum: signal.signal(signum, exit_on) for signum in signals}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Commands(click.Group):
    """The command group: an output the policy refuses (:mod:`flowgraph.files`) ends
    the command with its one-line message and exit code 2, in the run's language; a
    termination signal ends it cleanly (:func:`_signals_exit`)."""

    def invoke(self, ctx):
        from .files import OutputRefused
        try:
            with _signals_exit():
                return super().invoke(ctx)
        except OutputRefused as refused:
            lang = ctx.meta.get(LANG_KEY) or locale_language()
            raise UsageFailure(f"{_shown(refused.path)}: "
                               f"{Text(refused.zh, refused.en)(lang)}") from None


#: Where a command leaves its language for :class:`Commands`.
LANG_KEY = "flowgraph.lang"
#: Where :func:`_configure` leaves the files it read (configuration, side file of
#: actors), so that no output replaces them.
READS_KEY = "flowgraph.reads"


jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(1), default=None,
    help="At most this many processes (default: the cores); workers start only when "
         "the batch is large enough to pay for them, on cores other work leaves idle.")


def executor_options(command):
    """``--executor local|dask`` and ``--scheduler ADDRESS``: where the files are audited."""
    command = click.option(
        "--scheduler", default=None, metavar="ADDRESS",
        help="The Dask scheduler of --executor dask (tcp://host:8786).")(command)
    return click.option(
        "--executor", type=click.Choice(["local", "dask"]), default="local",
        show_default=True,
        help="Audit in local processes, or on an existing Dask cluster (an optional "
             "extra; the workers must see the same files).")(command)


def _client(executor: str, scheduler: str | None, lang: str):
    """The Dask client of ``--executor dask``, or None for local processes."""
    if executor == "local":
        if scheduler:
            raise UsageFailure(Text("--scheduler 只能与 --executor dask 一起使用",
                                    "--scheduler goes with --executor dask")(lang))
        return None
    if not scheduler:
        raise UsageFailure(Text("--executor dask 需要 --scheduler ADDRESS",
                                "--executor dask needs --scheduler ADDRESS")(lang))
    from .batch import dask_client
    try:
        client = dask_client(scheduler)
    except FlowgraphError as error:
        raise UsageFailure(error.message(lang)) from None
    click.get_current_context().call_on_close(client.close)
    return client


cache_option = click.option(
    "--cache", type=click.Path(file_okay=False), default=None,
    help="A private folder of earlier results: unchanged files (same bytes, "
         "configuration and version) are not audited again.")


def _cache(folder: str | None, config, lang: str):
    """The cache of ``--cache``, or None. A folder that cannot be used is the
    command's one-line error; results it could not store are one warning line when
    the command ends (they are audited again next time)."""
    if folder is None:
        return None
    from .batch import Cache
    try:
        cache = Cache(folder, config)
    except FlowgraphError as error:
        raise UsageFailure(error.describe(lang)) from None

    def warn() -> None:
        if cache.failures:
            click.echo(click.style(Text(
                f"警告：{cache.failures} 个结果未能存入缓存 {folder}（首个："
                f"{cache.first_failure}）；下次将重新审查",
                f"warning: {cache.failures} result(s) could not be stored in the cache "
                f"{folder} (first: {cache.first_failure}); they will be audited again "
                f"next time")(lang), fg="yellow"), err=True)
    click.get_current_context().call_on_close(warn)
    return cache


def _progress(results, total: int, show: bool, label: Text, lang: str):
    """``results`` passed through click's progress bar on standard error, drawn only
    when ``show`` and standard error is a terminal (click hides it otherwise): never
    over JSON or a report streaming to the terminal, never into a pipe."""
    if not show or not sys.stderr.isatty():
        yield from results
        return
    with click.progressbar(length=total, file=sys.stderr, label=label(lang)) as bar:
        for result in results:
            bar.update(1)
            yield result


actors_option = click.option(
    "--actors", "actors_file", type=click.Path(), default=None,
    help="A side file of actors (ranks, reporting lines), or a folder of them, one per "
         "unit (default: the configuration's actors, else actors.yaml, 岗位.yaml or an "
         "actors or 岗位 folder beside each flowchart file).")
lang_option = click.option(
    "--lang", type=click.Choice(LANGUAGES), default=None,
    help="Language of messages and reports (default: the configuration, then the locale).")
config_option = click.option(
    "--config", "config_file", type=click.Path(exists=True, dir_okay=False),
    help="Configuration file (default: flowgraph.toml or setup.cfg [flowgraph], "
         "searched upward from the inputs).")


def roster_options(command):
    """``--roster FILE``, ``--as-of YYYY-MM-DD`` and ``--no-names``: the programme over
    time (docs/programme.md)."""
    command = click.option(
        "--no-names", is_flag=True, default=False,
        help="Show the roster's people by their roles (工程建设管理科科长（在岗人员）), never "
             "by name, in every output (configuration: no_names = true).")(command)
    command = click.option(
        "--as-of", "as_of", metavar="YYYY-MM-DD", default=None,
        help="The audit's date: time in post is counted to it (default: today, or "
             "SOURCE_DATE_EPOCH).")(command)
    return click.option(
        "--roster", "roster_file", type=click.Path(dir_okay=False), default=None,
        help="The roster (在岗人员名册, .xlsx, .csv or .yaml): who holds which post since "
             "when, and their integrity commitments; rotation and commitments are "
             "checked (FG6). Configuration: roster.")(command)


def _programme(config, roster_file, as_of, no_names, lang, fallback: str | None = None):
    """The run's configuration with ``--no-names``, its roster (or None) and the
    audit's date (``--as-of``, else ``fallback``, else today or SOURCE_DATE_EPOCH's).
    A roster that cannot be used is the command's error (exit code 2), before any
    work: every bad cell, one a line."""
    import datetime

    from .dates import iso_date
    if no_names:
        config = config.override(no_names=True)
    if as_of is not None:
        try:
            day = iso_date(as_of)
        except ValueError:
            raise UsageFailure(Text(f"--as-of：应为 YYYY-MM-DD 形式的日期，实为 “{as_of}”",
                                    f"--as-of: expected a date YYYY-MM-DD, got "
                                    f"'{as_of}'")(lang)) from None
    else:
        day = datetime.date.fromisoformat(fallback or _date(None, lang))
    path = roster_file or config.roster
    if not path:
        return config, None, day
    from .roster import read_roster
    click.get_current_context().meta.setdefault(READS_KEY, []).append(path)
    try:
        return config, read_roster(path, day, config.max_file_size), day
    except FlowgraphError as error:
        raise UsageFailure(error.describe(lang)) from None


def _reviewed(results, config, roster, as_of):
    """The review of a batch's results, with its programme when there is a roster."""
    from .results import Review
    review = Review.of(results, config)
    if roster is None:
        return review
    from .rotation import attach
    return attach(review, roster, as_of, config)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flowgraph")
def main():
    """Audit power-operation flowcharts (权力运行流程图) for integrity risks.

    Load flowcharts as graphs of approval steps, find unchecked discretion,
    single-person control, incompatible duties, bypasses and missing oversight,
    each with the path that proves it.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the report to this file (whole or not at all) instead of "
                   "standard output.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rules: codes or prefixes, comma-separated (FG2,FG301).")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Skip these rules: codes or prefixes, comma-separated.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--full-witness", is_flag=True,
              help="JSON: write every witness path whole, not its first 50 steps and "
                   "the shared parts (the document may grow with the square of a "
                   "chart's size).")
@click.option("--fail-on-grade", type=click.IntRange(1, 3), default=None,
              help="Also exit 1 when a risk point's suggested grade is this or higher "
                   "(1 is the highest).")
@click.option("--baseline", "baseline_file", type=click.Path(), default=None,
              help="An earlier audit --format json (or a report's findings.json): its "
                   "findings are known; only new ones are shown and fail.")
@jobs_option
@executor_options
@cache_option
@roster_options
@actors_option
@config_option
@lang_option
def audit(paths, fmt, output, select, ignore, fail_on, full_witness, fail_on_grade,
          baseline_file, jobs, executor, scheduler, cache, roster_file, as_of, no_names,
          actors_file, config_file, lang):
    """Audit flowcharts: files, directories (recursively) or glob patterns.

    Exit code 0 when clean, 1 when a finding reaches --fail-on (or a risk point
    --fail-on-grade), 2 when a file could not be read. With --baseline, findings
    the baseline knows are counted, not shown, and do not fail. With --roster, the
    people in the posts are judged too (rotation, commitments: FG6).
    """
    from .batch import audit_paths
    from .results import Summary
    config, lang = _configure(paths, config_file, lang, actors_file, select=_split(select),
                              ignore=_split(ignore), fail_on=fail_on)
    config, roster, as_of = _programme(config, roster_file, as_of, no_names, lang)
    baseline = _baseline(baseline_file, lang) if baseline_file else None
    from .batch import expand_inputs
    items = list(expand_inputs(paths))
    if output:
        _refuse_overwriting_inputs(output, paths, items)
    results = audit_paths(items, config, jobs, _cache(cache, config, lang),
                          _client(executor, scheduler, lang))
    if fmt == "json":
        from .output.json_output import chunks
        results = list(results)
        summary, known = Summary.of(results), None
        if baseline:
            screened = list(baseline.screen(results))
            summary = Summary.of(s.new_only() for s in screened)
            known = [marks for s in screened for marks in s.known]
        review = _reviewed(results, config, roster, as_of)
        summary.add_programme(review.programme)
        pieces = chunks(review, lang, full_witness, known)
    else:
        from .output.text import lines
        summary, programme = Summary(), None
        results = _progress(results, len(items), output is not None,
                            Text("审查中", "auditing"), lang)
        if roster is not None:  # the posts span the batch: every chart first
            results = list(results)
            programme = _reviewed(results, config, roster, as_of).programme
        if baseline:
            results = baseline.new_only(results, summary)
        report = lines(results, lang, click.style if output is None else None, summary,
                       programme)
        pieces = (line + "\n" for line in report)
    if output:
        from .files import write_atomic
        write_atomic(output, pieces)
    elif fmt == "json":
        sys.stdout.flush()
        stdout = sys.stdout.buffer
        for piece in pieces:  # bytes, in small pieces: echo would flush each
            stdout.write(piece)
        stdout.flush()
    else:
        for piece in pieces:
            click.echo(piece, nl=False)
    raise SystemExit(summary.exit_code(config.fail_on, fail_on_grade))


def _previous(path: str, as_of, config, lang: str):
    """Last year's ledger of ``ledger --previous``, noted among the files the run reads,
    or its error as a usage failure (exit code 2). Its year is the one before the
    audit's date."""
    from .previous import read_previous
    click.get_current_context().meta.setdefault(READS_KEY, []).append(path)
    try:
        return read_previous(path, as_of.year - 1, config.max_file_size)
    except FlowgraphError as error:
        raise UsageFailure(error.describe(lang)) from None


def _baseline(path: str, lang: str):
    """The baseline of ``audit --baseline``, noted among the files the run reads (no
    output may replace it), or its error as a usage failure (exit code 2)."""
    from .baseline import Baseline
    click.get_current_context().meta.setdefault(READS_KEY, []).append(path)
    try:
        return Baseline.load(path)
    except FlowgraphError as error:
        raise UsageFailure(error.describe(lang)) from None


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-v", "--verbose", is_flag=True,
              help="Also show what was read from free text (the phrases of BPMN "
                   "annotations and what each set).")
@actors_option
@config_option
@lang_option
def check(paths, verbose, actors_file, config_file, lang):
    """Check that flowcharts can be read, without auditing them.

    Exit code 0 when every file reads, 2 otherwise.
    """
    from .batch import read_paths
    from .output.text import check_lines
    config, lang = _configure(paths, config_file, lang, actors_file)
    failed = []
    for line in check_lines(read_paths(paths, config), lang, click.style, failed, verbose):
        click.echo(line)
    raise SystemExit(2 if failed else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              default=os.path.join("reports", "ledger.xlsx"), show_default=True,
              help="The ledger file: .xlsx (ledger, posts and summary sheets) or .csv.")
@click.option("--per-unit", is_flag=True,
              help="Also write each unit's ledger on a sheet of its own (.xlsx).")
@click.option("--previous", "previous_file", type=click.Path(dir_okay=False), default=None,
              help="Last year's ledger as the office filled it in (.xlsx or .csv): each "
                   "row's rectification is carried forward (未整改 with its history, "
                   "新发现), the items gone listed on 已整改事项, the office's own columns "
                   "kept (docs/programme.md).")
@jobs_option
@executor_options
@cache_option
@roster_options
@actors_option
@config_option
@lang_option
def ledger(paths, output, per_unit, previous_file, jobs, executor, scheduler, cache,
           roster_file, as_of, no_names, actors_file, config_file, lang):
    """Write the risk ledger (台账): one row per risk point, with the risk described,
    its grade, the measures in place and to take, the three people responsible, who
    oversees it, its time limit and basis; printable on A4 (docs/ledger.md). With
    --roster, who holds each post and for how long; with --previous, last year's
    rectification carried forward.

    Exit code 0, or 2 when a file could not be read (the ledger of the others is
    still written).
    """
    from .batch import audit_paths
    from .output.ledger_files import write_ledger
    from .results import Summary
    asked = lang or locale_language()
    if not output.lower().endswith((".xlsx", ".csv")):
        raise UsageFailure(Text("台账文件应以 .xlsx 或 .csv 结尾",
                                "the ledger file must end in .xlsx or .csv")(asked))
    if previous_file and not output.lower().endswith(".xlsx"):
        raise UsageFailure(Text("--previous 需要写出 .xlsx 台账（已整改事项另成一页）",
                                "--previous needs an .xlsx ledger (the items rectified go "
                                "on a sheet of their own)")(asked))
    config, lang = _configure(paths, config_file, lang, actors_file)
    config, roster, as_of = _programme(config, roster_file, as_of, no_names, lang)
    previous = _previous(previous_file, as_of, config, lang) if previous_file else None
    from .batch import expand_inputs
    items = list(expand_inputs(paths))
    _refuse_overwriting_inputs(output, paths, items)
    results = list(audit_paths(items, config, jobs, _cache(cache, config, lang),
                               _client(executor, scheduler, lang)))
    _report_unreadable(results, lang)
    review = _reviewed(results, config, roster, as_of)
    write_ledger(review, output, lang, per_unit, previous)
    points = sum(Summary.of(results).grades.values())
    click.echo(Text(f"已写入 {_shown(output)}：{points} 个风险点，{len(review.posts)} 个岗位",
                    f"wrote {_shown(output)}: {points} risk point(s), {len(review.posts)} "
                    f"post(s)")(lang))
    raise SystemExit(2 if any(r.error for r in results) else 0)


date_option = click.option(
    "--date", metavar="YYYY-MM-DD", default=None,
    help="Date of the title block (default: today, or SOURCE_DATE_EPOCH).")


def _date(date: str | None, lang: str) -> str:
    """The date of ``--date``, else today or ``SOURCE_DATE_EPOCH``'s, whose error is
    the command's one line before any work."""
    from .output.render import default_date
    try:
        return date or default_date()
    except FlowgraphError as error:
        raise UsageFailure(error.describe(lang)) from None


@main.command()
@click.argument("path")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The diagram: .pdf (pages for paper), .svg or .png (the whole diagram "
                   "on one canvas, for the screen).")
@click.option("--paper", type=click.Choice(["A4", "A3"], case_sensitive=False),
              default="A4", show_default=True,
              help="The pages of a .pdf: the chart is cut over as many as it needs, its "
                   "text printed at 8 pt or more.")
@click.option("--highlight", multiple=True, metavar="CODES",
              help="Draw the witness paths of these rules' findings (FG301, FG2).")
@click.option("--lanes", type=click.Choice(["post", "section"]), is_flag=False,
              flag_value="post", default=None,
              help="Swimlanes: one lane per post (--lanes), or per section (--lanes "
                   "section).")
@click.option("--flowchart", "chart_id", default=None,
              help="Which flowchart of a file that holds several (its id).")
@date_option
@actors_option
@config_option
@lang_option
def render(path, output, paper, highlight, lanes, chart_id, date, actors_file, config_file,
           lang):
    """Draw one flowchart as an annotated diagram: steps filled by suggested grade,
    with their post, time limit and basis, findings as badges, oversight and proposed
    oversight lines, a legend. A .pdf is printed on A4 (or A3) pages, cut where the
    chart does not fit one page at a legible size, with continuation marks.

    Exit code 0, or 2 when the file cannot be read.
    """
    from .analysis import assess
    from .files import write_atomic
    from .output.render import FORMATS, DiagramOptions, unmatched
    from .output.render import render as draw
    config, lang = _configure([path], config_file, lang, actors_file)
    date = _date(date, lang)
    fmt = Path(output).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageFailure(Text(f"输出文件应以 {'、'.join('.' + f for f in FORMATS)} 结尾",
                                f"the output must end in "
                                f"{', '.join('.' + f for f in FORMATS)}")(lang))
    highlight = _split(highlight) or ()
    _check_patterns("highlight", highlight, lang)
    _refuse_overwriting_inputs(output, [path])
    charts = _read_or_exit(path, config, lang)
    chosen = _chosen(charts, chart_id, path, config, lang)
    assessment = assess(chosen, config)
    missing = unmatched(assessment.findings, highlight)
    if missing:
        shown = Text("、".join(missing), ", ".join(missing))
        click.echo(Text(f"--highlight：本流程图没有 {shown.zh} 的问题，没有可突出显示的环节",
                        f"--highlight: this chart has no finding of {shown.en}; nothing to "
                        f"highlight")(lang), err=True)
    options = DiagramOptions(highlight=highlight, lanes=lanes, date=date, lang=lang)
    if fmt == "pdf":
        from .output.paper import document, pages
        sheets = pages(chosen, assessment.findings, assessment.grades, options, paper.upper(),
                       ("pdf",))
        write_atomic(output, document(sheets, date, chosen.title))
        count = len(sheets)
        click.echo(Text(f"已写入 {_shown(output)}（{paper.upper()} {count} 页）",
                        f"wrote {_shown(output)} ({count} {paper.upper()} "
                        f"page{'s' if count > 1 else ''})")(lang))
        return
    write_atomic(output, draw(chosen, assessment.findings, assessment.grades, fmt, options))
    click.echo(Text(f"已写入 {_shown(output)}", f"wrote {_shown(output)}")(lang))



def _check_engines(pdf: bool, docx: bool, lang: str) -> None:
    """One line before any work when the library --pdf or --docx needs is missing."""
    from .output import pdf as pdf_writer
    from .output import word
    for asked, writer, option, library, extra in ((pdf, pdf_writer, "--pdf", "WeasyPrint", "pdf"),
                                                  (docx, word, "--docx", "python-docx", "docx")):
        if asked and not writer.available():
            raise UsageFailure(Text(
                f"{option} 需要 {library}: pip install 'flowgraph[{extra}]'",
                f"{option} needs {library}: pip install 'flowgraph[{extra}]'")(lang))
    missing = pdf_writer.missing_packages() if pdf else []
    if missing:
        packages = " ".join(missing)
        raise UsageFailure(Text(f"--pdf 需要 Pango: apt-get install {packages}",
                                f"--pdf needs Pango: apt-get install {packages}")(lang))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(file_okay=False),
              default=os.path.join("reports", "report"), show_default=True,
              help="The report folder (replaced whole if flowgraph wrote it before).")
@click.option("--pdf", "pdf", is_flag=True,
              help="Also write the whole pack as one PDF (report.pdf).")
@click.option("--docx", "docx", is_flag=True,
              help="Also write it as one Word document to edit (report.docx).")
@jobs_option
@executor_options
@cache_option
@date_option
@roster_options
@actors_option
@config_option
@lang_option
def report(paths, output, pdf, docx, jobs, executor, scheduler, cache, date, roster_file,
           as_of, no_names, actors_file, config_file, lang):
    """Write the committee report: an offline HTML folder that leads with the main
    problems, then the figures, a page per unit and per flowchart (diagram, problems,
    risk points), the ledger and findings.json; with --roster, a section on the people
    in the posts (rotation, commitments); with --pdf and --docx the same as one PDF and
    one Word document.

    Exit code 0, or 2 when a file could not be read (the report still shows the
    others and lists it).
    """
    from .batch import audit_paths, expand_inputs
    from .files import refuse_folder
    from .output.report import MARKER, write_report
    config, lang = _configure(paths, config_file, lang, actors_file)
    date = _date(date, lang)
    _check_engines(pdf, docx, lang)
    config, roster, as_of = _programme(config, roster_file, as_of, no_names, lang, date)
    items = list(expand_inputs(paths))
    reads = _read_by_run(paths, items)
    refuse_folder(output, MARKER, reads)  # the roster is among them (_programme noted it)
    results = list(audit_paths(items, config, jobs, _cache(cache, config, lang),
                               _client(executor, scheduler, lang)))
    _report_unreadable(results, lang)
    try:
        folder = write_report(_reviewed(results, config, roster, as_of), output, lang, date,
                              jobs, inputs=reads, pdf=pdf, docx=docx)
    except FlowgraphError as error:
        raise UsageFailure(error.describe(lang)) from None
    index = _shown(folder / "index.html")
    click.echo(Text(f"已写入 {index}", f"wrote {index}")(lang))
    raise SystemExit(2 if any(r.error for r in results) else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@jobs_option
@executor_options
@cache_option
@roster_options
@actors_option
@config_option
@lang_option
def stats(paths, fmt, jobs, executor, scheduler, cache, roster_file, as_of, no_names,
          actors_file, config_file, lang):
    """Statistics of a batch: units, power items by category, flowcharts, risk
    posts and risk points by grade, key posts, findings by rule; with --roster, the
    holders, rotations due and due soon, commitments missing, posts nobody holds.

    Exit code 0, or 2 when a file could not be read.
    """
    from .batch import audit_paths
    from .output.stats import statistics, text_lines
    config, lang = _configure(paths, config_file, lang, actors_file)
    config, roster, as_of = _programme(config, roster_file, as_of, no_names, lang)
    results = list(audit_paths(paths, config, jobs, _cache(cache, config, lang),
                               _client(executor, scheduler, lang)))
    figures = statistics(_reviewed(results, config, roster, as_of), lang)
    if fmt == "json":
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        _report_unreadable(results, lang)
        for line in text_lines(figures, lang):
            click.echo(line)
    raise SystemExit(2 if figures["unreadable"] else 0)


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the comparison to this file (whole or not at all) instead of "
                   "standard output.")
@click.option("--html", "html_dir", type=click.Path(file_okay=False), default=None,
              help="Also write an offline HTML page to this folder: the diagrams of each "
                   "changed chart side by side, the changes marked.")
@jobs_option
@cache_option
@date_option
@actors_option
@config_option
@lang_option
def diff_command(old, new, fmt, output, html_dir, jobs, cache, date, actors_file, config_file,
                 lang):
    """Compare two versions of flowcharts: two files, or two folders (last year's
    and this year's). Lists charts added and removed, risk points added and removed,
    grade changes with their reasons, findings new and resolved, posts gained and lost.

    Exit code 0, 1 when a new grade-1 risk point or a new error appears (a gate),
    2 when a file could not be read.
    """
    from .batch import audit_paths, expand_inputs
    from .comparison import compare
    from .results import Review
    config, lang = _configure([old, new], config_file, lang, actors_file)
    sides = [list(expand_inputs([side])) for side in (old, new)]
    reads = _read_by_run([old, new], sides[0] + sides[1])
    if output:
        from .files import refuse_inputs
        refuse_inputs(output, reads)
    if html_dir:
        from .files import refuse_folder
        from .output.diff_page import MARKER
        refuse_folder(html_dir, MARKER, reads)
    results = [list(audit_paths(items, config, jobs, cache)) for items in sides]
    if any(r.error for side in results for r in side):
        _report_unreadable(results[0] + results[1], lang)
        raise SystemExit(2)
    comparison = compare(*(Review.of(side, config) for side in results), old, new)
    _write_comparison(comparison, fmt, output, lang)
    if html_dir:
        from .output.diff_page import write_page
        from .output.render import default_date
        folder = write_page(comparison, html_dir, lang, date or default_date(), reads)
        index = _shown(folder / "index.html")
        click.echo(Text(f"已写入 {index}", f"wrote {index}")(lang), err=True)
    raise SystemExit(1 if comparison.alarms else 0)


def _write_comparison(comparison, fmt: str, output: str | None, lang: str) -> None:
    """The comparison as text or JSON, to ``output`` or standard output."""
    if fmt == "json":
        from .output.diff import dumps
        pieces = [dumps(comparison, lang)]
    else:
        from .output.diff import lines
        pieces = [line + "\n" for line in lines(
            comparison, lang, click.style if output is None else None)]
    if output:
        from .files import write_atomic
        write_atomic(output, pieces)
    else:
        for piece in pieces:
            click.echo(piece, nl=False)


def _chosen(charts, chart_id, path, config, lang: str):
    """The one flowchart of a file a command works on (``--flowchart`` among several),
    with the side file's actors applied."""
    chosen = [c for c in charts if chart_id in (None, c.id)]
    if len(chosen) != 1:
        ids = ", ".join(c.id for c in charts)
        raise UsageFailure(Text(f"{path} 中有多个流程图（{ids}），请用 --flowchart 指定",
                                f"{path} holds flowcharts {ids}: choose one with "
                                f"--flowchart")(lang) if chart_id is None else
                           Text(f"{path} 中没有流程图 {chart_id}（有：{ids}）",
                                f"{path} has no flowchart {chart_id} (it has: {ids})")(lang))
    from .io.actors_file import side_for
    side = side_for(path, config.side_actors, config.max_file_size)
    return chosen[0] if side is None else side.apply(chosen[0])


def _read_or_exit(path, config, lang):
    """Every flowchart of one file, or its error printed and exit code 2 (also for a
    drawing with no step anywhere: the warnings say why)."""
    from .io import load_all
    from .output.text import warning_line
    try:
        charts = load_all(path, config.reading)
    except FlowgraphError as error:
        click.echo(click.style(error.describe(lang), fg="red"), err=True)
        raise SystemExit(2) from None
    if not charts:
        click.echo(click.style(Text(f"{path}：没有流程图", f"{path}: no flowchart")(lang),
                               fg="red"), err=True)
        for warning in charts.warnings:
            click.echo(warning_line(warning, lang), err=True)
        raise SystemExit(2)
    return charts


@main.command()
@click.argument("path")
@click.option("-o", "--output", type=click.Path(), required=True,
              help="The converted file: .yaml, .bpmn, .drawio, .dot or .xlsx (a workbook "
                   "of every flowchart of the file); a folder (ending in /) for a file "
                   "holding several flowcharts.")
@click.option("--flowchart", "chart_id", default=None,
              help="Which flowchart of a file that holds several (its id).")
@click.option("--annotate", is_flag=True,
              help="BPMN and draw.io: colour each risk point by its suggested grade and "
                   "note its grade and findings, for the modelling tool to show (reading "
                   "the file back ignores them).")
@actors_option
@config_option
@lang_option
def convert(path, output, chart_id, annotate, actors_file, config_file, lang):
    """Convert a flowchart between formats: any format flowgraph reads to native
    YAML, BPMN 2.0, draw.io, Graphviz DOT or an Excel workbook (headed in Chinese
    unless --lang en), keeping every model attribute.

    Exit code 0, or 2 when the input cannot be read.
    """
    from .files import refuse_inputs, safe_name, write_atomic
    from .io.writers import ANNOTATED, WRITERS, write, write_workbook
    asked = lang
    config, lang = _configure([path], config_file, lang, actors_file)
    headings = asked or config.lang or "zh"  # a workbook for units: Chinese unless asked
    charts = _read_or_exit(path, config, lang)
    if output.endswith(("/", os.sep)) or os.path.isdir(output):
        fmt = ".yaml"
        chosen = [_chosen([c], None, path, config, lang) for c in charts
                  if chart_id in (None, c.id)]
        used: set[str] = set()
        targets = [(os.path.join(output, safe_name(c.id, used, fmt)), [c]) for c in chosen]
    else:
        fmt = Path(output).suffix.lower()
        if fmt == ".xlsx" and chart_id is None:
            targets = [(output, [_chosen([c], None, path, config, lang) for c in charts])]
        else:
            targets = [(output, [_chosen(charts, chart_id, path, config, lang)])]
    if fmt not in WRITERS:
        raise UsageFailure(Text(f"不支持写出 {fmt or '该'} 格式（支持：{'、'.join(WRITERS)}）",
                                f"cannot write {fmt or 'that format'} (supported: "
                                f"{', '.join(WRITERS)})")(lang))
    if annotate and fmt not in ANNOTATED:
        raise UsageFailure(Text(f"--annotate 只适用于 {'、'.join(ANNOTATED)} 文件",
                                f"--annotate is for {' and '.join(ANNOTATED)} files "
                                f"only")(lang))
    reads = _read_by_run([path])
    for target, _ in targets:
        refuse_inputs(target, reads)
    from .output.text import note_lines
    for target, chosen in targets:
        for chart in chosen:  # what was read from free text, for the user to confirm
            for line in note_lines(chart, lang, click.style):
                click.echo(line)
        marks = None
        if annotate:
            from .analysis import assess
            from .output.annotate import marks as audit_marks
            assessment = assess(chosen[0], config)
            marks = audit_marks(chosen[0], assessment.findings, assessment.grades, lang)
        try:
            data = write_workbook(chosen, headings) if fmt == ".xlsx" else \
                write(chosen[0], fmt, marks=marks)
        except FlowgraphError as error:
            raise UsageFailure(error.describe(lang)) from None
        write_atomic(target, data)
        click.echo(Text(f"已写入 {_shown(target)}", f"wrote {_shown(target)}")(lang))


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The workbook to write (.xlsx).")
@lang_option
def template(output, lang):
    """Write an empty workbook for a unit to fill in: instructions in plain words,
    the steps, posts and power items sheets with drop-down lists, and one worked
    example. The tables reader reads it as it is filled.

    Exit code 0, or 2 on a usage error.
    """
    from .files import write_atomic
    from .io.workbook import template as workbook
    lang = lang or "zh"  # a workbook for units: Chinese unless asked
    if not output.lower().endswith(".xlsx"):
        raise UsageFailure(Text("模板文件应以 .xlsx 结尾",
                                "the template must end in .xlsx")(lang))
    write_atomic(output, workbook(lang))
    click.echo(Text(f"已写入 {_shown(output)}", f"wrote {_shown(output)}")(lang))


@main.command()
@click.argument("output", type=click.Path())
@click.option("--charts", type=click.IntRange(1), default=None, metavar="N",
              help="Write a city's batch of N flowcharts (one folder per unit) into OUTPUT.")
@click.option("--steps", type=click.IntRange(3), default=None, metavar="N",
              help="Write one merged flowchart of exactly N steps to the file OUTPUT.")
@click.option("--shape", type=click.Choice(["merged", *SHAPES]), default="merged",
              show_default=True,
              help="With --steps: a merged chart of realistic procedures, or an "
                   "adversarial shape for benchmarks (docs/performance.md).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="The same seed gives the same bytes.")
@lang_option
def generate(output, charts, steps, shape, seed, lang):
    """Write realistic synthetic flowcharts, seeded and deterministic, for benchmarks
    and calibration: a batch of N charts of 8 to 60 steps with the weaknesses real
    ones have, or one chart of N steps. Nothing existing is overwritten.

    Exit code 0, or 2 on a usage error.
    """
    from . import generate as generator
    from .files import write_atomic
    lang = lang or locale_language()
    if (charts is None) == (steps is None):
        raise UsageFailure(Text("请给出 --charts N 或 --steps N 之一",
                                "give one of --charts N or --steps N")(lang))
    if shape != "merged" and steps is None:
        raise UsageFailure(Text("--shape 只能与 --steps 一起使用",
                                "--shape goes with --steps")(lang))
    if os.path.exists(output) and not (charts and os.path.isdir(output)
                                       and not os.listdir(output)):
        raise UsageFailure(Text(f"{_shown(output)} 已存在；请指定新的文件名（不会覆盖已有文件）",
                                f"{_shown(output)} exists; give a new path (nothing "
                                f"existing is overwritten)")(lang))
    if steps is not None:
        from . import shapes
        write_atomic(output, generator.chart(steps, seed) if shape == "merged"
                     else shapes.chart(steps, shape))
        click.echo(Text(f"已写入 {_shown(output)}（{steps} 个步骤）",
                        f"wrote {_shown(output)} ({steps} steps)")(lang))
        return
    for relative, text in _progress(generator.batch(charts, seed), charts, True,
                                    Text("生成中", "generating"), lang):
        write_atomic(os.path.join(output, relative), text)
    click.echo(Text(f"已写入 {charts} 个流程图到 {_shown(output)}",
                    f"wrote {charts} flowcharts to {_shown(output)}")(lang))


def _report_unreadable(results, lang: str) -> None:
    """Name every file that could not be read, on standard error."""
    for result in results:
        if result.error is not None:
            click.echo(click.style(result.error.describe(lang), fg="red"), err=True)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True,
              help="Output format; markdown prints the full reference (docs/rules.md).")
@lang_option
def rules_command(fmt, lang):
    """List every rule: code, name, default severity and summary."""
    from .rules import RULES, reference_markdown
    lang = lang or locale_language()
    if fmt == "markdown":
        click.echo(reference_markdown(), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity,
                                "summary": r.summary(lang)} for r in RULES],
                              ensure_ascii=False, indent=2))
        return
    width = max(len(r.name) for r in RULES)
    for r in RULES:
        click.echo(f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {r.summary(lang)}")


@main.command()
@click.argument("code")
@lang_option
def explain(code, lang):
    """Print the documentation of a rule: what it finds, why, examples, the fix."""
    from .rules import BY_CODE
    lang = lang or locale_language()
    rule = BY_CODE.get(code.upper())
    if rule is None:
        raise UsageFailure(Text(f"没有规则 {code}（见 flowgraph rules）",
                                f"no rule {code} (see flowgraph rules)")(lang))
    click.echo(rule.documentation(lang), nl=False)

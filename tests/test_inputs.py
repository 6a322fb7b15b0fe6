"""Reading inputs safely (issue 13, docs/security.md "Reading"): only regular files are
read, folders and globs are walked without following links into loops or out of the
folder, every input error is one line naming the file, and the batch goes on. Each
hostile input is refused within a second (asserted); each has its normal twin, still
read.

A test that could hang on a regression (a named pipe opened for reading waits for a
writer) runs with an *unblocker*: a thread that opens the pipe for writing after a
few seconds, so that a regressed reader is released and the test fails on its time
instead of hanging the run.
"""
from __future__ import annotations

import base64
import contextlib
import errno
import io
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgraph.batch import audit_paths, expand_inputs
from flowgraph.cli import main
from flowgraph.config import Config
from flowgraph.errors import LoadError
from flowgraph.io import ReadOptions, load_all, read_bytes, read_data
from flowgraph.io.limits import DEFAULT_LIMITS, Limits

from .timing import Stopwatch, within

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "flowcharts" / "cadre-selection.yaml"
TITLE = "局机关科级干部选拔任用"
ACTORS = "actors:\n  chief: {name: 审批科科长, rank: section}\n"


def run(*args, seconds: float = 1.0):
    """``flowgraph ARGS --lang en`` through click's runner, checked to end within
    ``seconds`` of CPU (tests/timing.py), without a traceback."""
    watch = Stopwatch()
    result = CliRunner().invoke(main, [*map(str, args), "--lang", "en"])
    watch.check(seconds, about=result.output)
    assert "Traceback" not in result.output and not isinstance(result.exception, Exception) \
        or isinstance(result.exception, SystemExit), result.output
    return result


def lines_about(output: str, path) -> list[str]:
    """The lines of ``output`` that name ``path``."""
    return [line for line in output.splitlines() if line.startswith(f"{path}:")]


@contextlib.contextmanager
def unblocker(*pipes: Path, after: float = 10.0):
    """Open each pipe for writing, without waiting, again and again for ``after``
    seconds from the end of setup: a reader blocked on it is released (it reads
    nothing), so that a regression makes the test slow, and fail, instead of hanging.
    ``after`` is twice the wall bound of a one-second check (tests/timing.py), so that
    a reader released by it fails that check."""
    done = threading.Event()

    def release():
        if done.wait(after):
            return
        for _ in range(200):
            for pipe in pipes:
                with contextlib.suppress(OSError):
                    os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            if done.wait(0.05):
                return

    thread = threading.Thread(target=release, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


@pytest.fixture
def batch(tmp_path) -> Path:
    """A folder holding one good flowchart."""
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "good.yaml")
    return folder


# -- only regular files are read ---------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "audit", "stats"])
def test_a_named_pipe_given_is_refused_at_once_and_the_batch_goes_on(batch, command):
    pipe = batch.parent / "pipe.yaml"
    os.mkfifo(pipe)
    with unblocker(pipe):
        result = run(command, pipe, batch / "good.yaml")
    assert result.exit_code == 2
    assert lines_about(result.output, pipe) == [
        f"{pipe}: is a named pipe (FIFO), not a regular file: not read"]
    if command == "check":
        assert f"{batch / 'good.yaml'}: ok" in result.output
    elif command == "audit":
        assert TITLE in result.output


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_device_given_is_refused_at_once(batch, device):
    result = run("audit", device, batch / "good.yaml")
    assert result.exit_code == 2
    assert lines_about(result.output, device) == [
        f"{device}: is a device, not a regular file: not read"]
    assert TITLE in result.output


def test_a_socket_given_is_refused(batch):
    path = batch.parent / "s.yaml"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        result = run("check", path, batch)
    finally:
        server.close()
    assert result.exit_code == 2
    assert lines_about(result.output, path) == [
        f"{path}: is a socket, not a regular file: not read"]
    assert f"{batch / 'good.yaml'}: ok" in result.output


def test_special_files_inside_a_folder_are_refused_and_the_rest_read(batch):
    os.mkfifo(batch / "pipe.bpmn")
    os.symlink("/dev/zero", batch / "zero.yaml")  # a link leading out: never opened
    with unblocker(batch / "pipe.bpmn"):
        result = run("audit", batch)
    assert result.exit_code == 2
    assert lines_about(result.output, batch / "pipe.bpmn") == [
        f"{batch / 'pipe.bpmn'}: is a named pipe (FIFO), not a regular file: not read"]
    assert lines_about(result.output, batch / "zero.yaml") == [
        f"{batch / 'zero.yaml'}: a symbolic link leading outside the folder: not followed "
        f"(give its target to audit it)"]
    assert TITLE in result.output and "2 file(s) could not be read" in result.output


def test_a_named_pipe_in_a_glob_is_refused(batch):
    os.mkfifo(batch / "pipe.yaml")
    with unblocker(batch / "pipe.yaml"):
        result = run("check", f"{batch}/*.yaml")
    assert result.exit_code == 2
    assert f"{batch / 'pipe.yaml'}: is a named pipe (FIFO)" in result.output
    assert f"{batch / 'good.yaml'}: ok" in result.output


@pytest.mark.parametrize("option", ["--actors", "--config"])
def test_a_named_pipe_as_side_file_or_configuration_is_refused(batch, option):
    pipe = batch.parent / ("side.yaml" if option == "--actors" else "setup.cfg")
    os.mkfifo(pipe)
    with unblocker(pipe):
        result = run("audit", batch, option, pipe)
    assert result.exit_code == 2
    assert result.output == \
        f"Error: {pipe}: is a named pipe (FIFO), not a regular file: not read\n"


@pytest.mark.parametrize("option", ["--actors", "--config"])
def test_a_device_as_side_file_or_configuration_is_refused(batch, option):
    result = run("check", batch, option, "/dev/zero")
    assert result.exit_code == 2
    assert result.output == "Error: /dev/zero: is a device, not a regular file: not read\n"


def test_side_file_and_configuration_that_are_files_are_read(batch):
    (batch.parent / "side.yaml").write_text(ACTORS, "utf-8")
    (batch.parent / "flowgraph.toml").write_text('fail_on = "error"\n', "utf-8")
    result = run("check", batch, "--actors", batch.parent / "side.yaml",
                 "--config", batch.parent / "flowgraph.toml")
    assert result.exit_code == 0, result.output


def test_a_pipe_swapped_in_after_the_check_is_not_waited_on(tmp_path, monkeypatch):
    """The kind is checked again on what was opened, and the open never waits: a pipe
    that replaced the file between the check and the open is refused at once."""
    pipe = tmp_path / "chart.yaml"
    os.mkfifo(pipe)
    regular = os.stat(SAMPLE)
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: regular if Path(path) == pipe
                        else real_stat(path, *a, **k))
    with within(1), unblocker(pipe), pytest.raises(LoadError) as caught:
        read_bytes(pipe)
    assert caught.value.describe("en") == \
        f"{pipe}: is a named pipe (FIFO), not a regular file: not read"


@pytest.mark.slow
def test_a_named_pipe_does_not_hang_a_real_process(tmp_path):
    """As a user runs it: the process ends (exit 2) instead of waiting for a writer."""
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flowgraph", "audit", str(pipe),
                           str(SAMPLE), "--lang", "en"], cwd=ROOT, capture_output=True,
                          text=True, timeout=30)
    assert time.perf_counter() - began < 10
    assert done.returncode == 2
    assert f"{pipe}: is a named pipe (FIFO), not a regular file: not read" in done.stdout
    assert "Traceback" not in done.stderr


# -- folders and globs -------------------------------------------------------------------


@pytest.fixture
def looped(batch) -> Path:
    """A tree with links to itself and to its parent: ``sub/up -> ..``,
    ``sub/deeper/top -> ../..``, ``sub/self -> .``, and a link to a file within."""
    (batch / "sub" / "deeper").mkdir(parents=True)
    shutil.copy(SAMPLE, batch / "sub" / "deeper" / "inner.yaml")
    os.symlink("..", batch / "sub" / "up")
    os.symlink("../..", batch / "sub" / "deeper" / "top")
    os.symlink(".", batch / "sub" / "self")
    os.symlink("../good.yaml", batch / "sub" / "same.yaml")
    return batch


@pytest.mark.parametrize("how", ["folder", "glob **", "glob ** folders", "glob */*"])
def test_a_tree_with_links_to_itself_ends_and_reads_each_file_once(looped, how):
    pattern = {"folder": str(looped), "glob **": f"{looped}/**/*.yaml",
               "glob ** folders": f"{looped}/**", "glob */*": f"{looped}/*/*"}[how]
    result = run("check", pattern)
    read = [line.split(": ok")[0] for line in result.output.splitlines() if ": ok" in line]
    assert read == [str(looped / name) for name in (
        ["sub/deeper/inner.yaml"] if how == "glob */*" else
        ["good.yaml", "sub/deeper/inner.yaml"])]
    if how == "glob */*":  # the link's target is not among what the pattern names
        assert result.exit_code == 2
        assert lines_about(result.output, looped / "sub" / "same.yaml") == [
            f"{looped / 'sub' / 'same.yaml'}: a symbolic link to a place this walk does "
            f"not audit: not followed (give its target to audit it)"]
    else:
        assert result.exit_code == 0, result.output


def test_links_leading_out_of_the_folder_are_reported_not_read(batch, tmp_path):
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    shutil.copy(SAMPLE, secret / "secret.yaml")
    os.symlink(secret, batch / "units")
    os.symlink(secret / "secret.yaml", batch / "copy.yaml")
    os.symlink(batch / "nowhere.yaml", batch / "dangling.yaml")
    result = run("check", batch)
    assert result.exit_code == 2
    outside = "a symbolic link leading outside the folder: not followed (give its target " \
        "to audit it)"
    assert lines_about(result.output, batch / "units") == [f"{batch / 'units'}: {outside}"]
    assert lines_about(result.output, batch / "copy.yaml") == [
        f"{batch / 'copy.yaml'}: {outside}"]
    assert lines_about(result.output, batch / "dangling.yaml") == [
        f"{batch / 'dangling.yaml'}: a symbolic link to nothing (or a loop): not followed"]
    assert "secret.yaml" not in result.output
    assert f"{batch / 'good.yaml'}: ok" in result.output


def test_a_link_given_is_followed(batch, tmp_path):
    """What the user names is read, through a link too: only links met inside a walk
    are not followed."""
    os.symlink(batch, tmp_path / "link")
    os.symlink(batch / "good.yaml", tmp_path / "chart.yaml")
    result = run("check", tmp_path / "link", tmp_path / "chart.yaml")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        f"{tmp_path / 'link' / 'good.yaml'}: ok (1 flowchart(s), 16 steps)",
        f"{tmp_path / 'chart.yaml'}: ok (1 flowchart(s), 16 steps)"]


def test_a_folder_given_twice_is_walked_once(batch, tmp_path):
    os.symlink(batch, tmp_path / "again")
    paths = [path for path, _ in expand_inputs([str(batch), str(tmp_path / "again"),
                                                str(batch)])]
    assert paths == [str(batch / "good.yaml")]


def test_a_link_within_a_glob_that_the_glob_does_not_reach_is_reported(batch):
    (batch / "a").mkdir()
    (batch / "b").mkdir()
    shutil.copy(SAMPLE, batch / "b" / "chart.yaml")
    os.symlink("../b/chart.yaml", batch / "a" / "chart.yaml")
    [(path, error)] = expand_inputs([f"{batch}/a*/*.yaml"])
    assert (path, error.message.en) == (
        str(batch / "a" / "chart.yaml"), "a symbolic link to a place this walk does not "
        "audit: not followed (give its target to audit it)")
    [(path, error)] = expand_inputs([f"{batch}/a/*.yaml"])
    assert error.message.en.startswith("a symbolic link leading outside the folder")
    assert list(expand_inputs([f"{batch}/*/*.yaml"])) == [(str(batch / "b" / "chart.yaml"),
                                                           None)]


def test_a_folder_that_cannot_be_listed_is_an_error_not_an_empty_folder(batch, monkeypatch):
    locked = batch / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", scandir)
    result = run("audit", batch)
    assert result.exit_code == 2
    assert lines_about(result.output, locked) == [
        f"{locked}: cannot read the folder: permission denied"]
    assert TITLE in result.output
    result = run("check", locked)
    assert result.output.splitlines()[0] == \
        f"{locked}: cannot read the folder: permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_a_folder_without_permission_is_an_error(batch):
    locked = batch / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = run("check", batch)
    finally:
        locked.chmod(stat.S_IRWXU)
    assert f"{locked}: cannot read the folder: permission denied" in result.output


def test_an_empty_folder_and_a_pattern_matching_nothing_are_still_said(tmp_path):
    (tmp_path / "notes.txt").write_text("no flowcharts", "utf-8")
    result = run("check", tmp_path, f"{tmp_path}/**/*.bpmn", f"{tmp_path}/missing/*.yaml")
    assert result.exit_code == 2
    assert f"{tmp_path}: no flowchart files in this directory" in result.output
    assert f"{tmp_path}/**/*.bpmn: no file matches the pattern" in result.output
    assert f"{tmp_path}/missing/*.yaml: no file matches the pattern" in result.output


def test_a_file_gone_between_the_walk_and_the_read_is_one_line(batch):
    items = list(expand_inputs([str(batch)]))
    (batch / "good.yaml").unlink()
    [result] = audit_paths(items, Config())
    assert result.error.describe("en") == f"{batch / 'good.yaml'}: no such file"


# -- one line for every input error ------------------------------------------------------


def test_file_names_with_control_characters_or_bad_bytes_stay_on_one_line(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "new\nline.yaml").write_text("x", "utf-8")
    (folder / os.fsdecode(b"bad\xff.yaml")).write_text("x", "utf-8")
    (folder / "ok\x1b[31m.yaml").write_bytes(SAMPLE.read_bytes())
    result = run("audit", folder)
    assert result.exit_code == 2
    assert result.output.splitlines()[:3] == [
        f"{folder}/bad\\xff.yaml:1:1: flowchart: expected a mapping (key: value), got the "
        f"text 'x'",
        f"{folder}/new\\x0aline.yaml:1:1: flowchart: expected a mapping (key: value), got "
        f"the text 'x'",
        f"{folder}/ok\\x1b[31m.yaml: {TITLE} (市民政局)"]


def test_a_directory_and_a_missing_file_are_one_line(tmp_path):
    result = run("check", tmp_path / "missing.yaml", f"{tmp_path}/none/**/*.yaml")
    assert result.output.splitlines()[:2] == [
        f"{tmp_path / 'missing.yaml'}: no such file or directory",
        f"{tmp_path}/none/**/*.yaml: no file matches the pattern"]
    with pytest.raises(LoadError, match="is a directory, not a flowchart file"):
        load_all(tmp_path)


# -- configuration files -----------------------------------------------------------------

GBK_CFG = "[metadata]\nname = 审批\n\n[flowgraph]\nfail_on = error\n"


def test_a_gbk_setup_cfg_with_a_flowgraph_section_is_refused_where_it_breaks(batch):
    """Saved by a Windows editor in GBK: reported at its first byte that is not UTF-8,
    never silently ignored (the run would go on without the unit's settings)."""
    (batch / "setup.cfg").write_bytes(GBK_CFG.encode("gbk"))
    result = run("audit", batch)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {batch / 'setup.cfg'}:2:8: the file is not UTF-8 (invalid byte 0xc9); "
        f"if it is GBK, save it as UTF-8\n")


def test_a_gbk_setup_cfg_of_another_tool_is_not_ours(batch):
    (batch / "setup.cfg").write_bytes("[metadata]\nname = 审批\n".encode("gbk"))
    assert run("check", batch).exit_code == 0


@pytest.mark.parametrize("name, text", [
    ("setup.cfg", GBK_CFG),
    ("flowgraph.toml", '# 审批\nfail_on = "error"\n'),
])
def test_a_utf8_configuration_is_read_and_a_gbk_one_refused(batch, name, text):
    (batch / name).write_text(text, "utf-8")
    result = run("audit", batch, "--format", "json")
    assert result.exit_code == 0, result.output  # fail_on = error: warnings pass
    (batch / name).write_bytes(text.encode("gbk"))
    for args in ([batch], [batch, "--config", batch / name]):
        result = run("audit", *args)
        assert result.exit_code == 2
        assert result.output.startswith(f"Error: {batch / name}:")
        assert "the file is not UTF-8" in result.output and len(result.output.splitlines()) == 1


def test_an_unreadable_setup_cfg_is_an_error(batch, monkeypatch):
    (batch / "setup.cfg").write_text(GBK_CFG, "utf-8")
    real_open = os.open

    def refusing(path, *args, **kwargs):
        if Path(path) == batch / "setup.cfg":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr(os, "open", refusing)
    result = run("check", batch)
    assert result.exit_code == 2
    assert result.output == f"Error: {batch / 'setup.cfg'}: permission denied\n"


# -- bounds on what a file makes a reader build ------------------------------------------
# Each hostile file is refused within a second with the limit it passes; its twin, just
# within the limit, is read. Small limits (ReadOptions(limits=Limits(…))) keep the
# twins small; the defaults are exercised on the files of the issue.

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def refused_in_time(fmt: str, data: bytes, limits: Limits | None = None,
                    name: str = "hostile") -> LoadError:
    """The LoadError reading ``data`` gives, checked to come within a second of CPU."""
    options = ReadOptions(limits=limits) if limits else ReadOptions()
    with within(1), pytest.raises(LoadError) as caught:
        read_data(fmt, data, f"{name}.{fmt}", options)
    return caught.value


def read_in_time(fmt: str, data: bytes, limits: Limits | None = None, name: str = "ok"):
    """The flowcharts of ``data``, checked to be read within a second of CPU."""
    options = ReadOptions(limits=limits) if limits else ReadOptions()
    with within(1):
        charts = read_data(fmt, data, f"{name}.{fmt}", options)
    return charts


def chain_yaml(steps: int, label: str = "办理", actors: int = 0) -> bytes:
    """A native flowchart of ``steps`` steps in a chain (and ``actors`` actors)."""
    lines = ["flowgraph: 1", "title: 链", *(["actors:"] if actors else [])]
    lines += [f"  a{i}: {{name: 岗位{i}}}" for i in range(actors)]
    lines += ["steps:", "  s0: {kind: start}"]
    lines += [f"  s{i}: {{kind: task, label: {label}}}" for i in range(1, steps - 1)]
    lines += [f"  s{steps - 1}: {{kind: end}}", "flow:"]
    lines += [f"  - [s{i}, s{i + 1}]" for i in range(steps - 1)]
    return "\n".join(lines).encode("utf-8") + b"\n"


def crossed_yaml(steps: int) -> bytes:
    """``steps`` steps, each flowing to every later one and watched by each later one:
    ``steps × (steps - 1)`` edges."""
    lines = ["flowgraph: 1", "title: 交叉", "steps:", "  s0: {kind: start}"]
    lines += [f"  s{i}: {{kind: task}}" for i in range(1, steps)]
    pairs = [(i, j) for i in range(steps) for j in range(i + 1, steps)]
    lines += ["flow:", *(f"  - [s{i}, s{j}]" for i, j in pairs)]
    lines += ["oversight:", *(f"  - [s{j}, s{i}]" for i, j in pairs)]
    return "\n".join(lines).encode("utf-8") + b"\n"


def line_of(data: bytes, text: str) -> int:
    return data.decode("utf-8").splitlines().index(text) + 1


def test_the_limits_are_in_one_place_and_scale_with_max_steps():
    limits = Limits(steps=1000)
    assert (limits.actors, limits.edges, limits.elements, limits.rows, limits.cells,
            limits.attribute_slots) == (1000, 10_000, 20_000, 1001, 10_000, 500_000)
    assert DEFAULT_LIMITS.steps == 200_000 and DEFAULT_LIMITS.text == 32_767
    assert ReadOptions().limits == DEFAULT_LIMITS


@pytest.mark.parametrize("data, limits, message, where", [
    (chain_yaml(51), Limits(steps=50),
     "too many steps in the flowchart: more than 50 (setting max_steps)", "  s50: {kind: end}"),
    (chain_yaml(5, actors=51), Limits(steps=50),
     "too many actors in the flowchart: more than 50 (setting max_steps)",
     "  a50: {name: 岗位50}"),
    (crossed_yaml(12), Limits(steps=12),
     "too many edges in the flowchart: more than 120 (setting max_steps)", "  - [s10, s6]"),
])
def test_a_flowchart_past_its_limits_is_refused_where_it_passes(data, limits, message, where):
    error = refused_in_time("yaml", data, limits)
    assert error.message.en == message and error.line == line_of(data, where)


def test_a_flowchart_within_its_limits_is_read():
    [chart] = read_in_time("yaml", chain_yaml(50, actors=50), Limits(steps=50))
    assert (len(chart.steps), len(chart.actors)) == (50, 50)
    [chart] = read_in_time("yaml", crossed_yaml(11), Limits(steps=11))  # 110 edges
    assert len(chart.flows) + len(chart.oversights) == 110


def test_a_text_longer_than_a_cell_is_refused_at_its_place():
    error = refused_in_time("yaml", chain_yaml(3, label="审" * 32_768))
    assert (error.line, error.column) == (5, 27)
    assert error.describe("en").endswith(
        "label of step 's1': text too long: 32,768 characters, more than 32,767 (what one "
        "spreadsheet cell holds)")
    [chart] = read_in_time("yaml", chain_yaml(3, label="审" * 32_767))
    assert len(chart.steps["s1"].label) == 32_767


def test_an_edge_label_longer_than_a_cell_is_refused_at_its_place():
    """A plainly written edge (read without YAML's composer) has the same bound, named
    as the composer names it."""
    line = "  - [s1, s2, {}]".format("退" * 32_768)
    data = chain_yaml(3).replace(b"  - [s1, s2]", line.encode("utf-8"))
    error = refused_in_time("yaml", data)
    assert (error.line, error.column) == (line_of(data, line), 14)
    assert error.describe("en").endswith(
        "label of an edge in flow: text too long: 32,768 characters, more than 32,767 (what "
        "one spreadsheet cell holds)")


def test_max_steps_is_a_setting(tmp_path):
    (tmp_path / "chart.yaml").write_bytes(chain_yaml(30))
    (tmp_path / "setup.cfg").write_text("[flowgraph]\nmax_steps = 20\n", "utf-8")
    result = run("check", tmp_path / "chart.yaml")
    assert result.exit_code == 2
    assert f"{tmp_path / 'chart.yaml'}:24:3: too many steps in the flowchart: more than 20 " \
        f"(setting max_steps)" in result.output
    (tmp_path / "setup.cfg").write_text("[flowgraph]\nmax_steps = 30\n", "utf-8")
    assert run("check", tmp_path / "chart.yaml").exit_code == 0


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["merged", "dense"])
def test_the_default_limits_read_the_largest_charts_of_the_benchmarks(tmp_path, shape):
    """100,000 steps, and the dense shape's million edges, are read with the defaults."""
    path = tmp_path / "big.yaml"
    assert run("generate", path, "--steps", "100000", "--shape", shape,
               seconds=120).exit_code == 0
    chart = load_all(path)[0]
    assert len(chart.steps) == 100_000
    assert len(chart.flows) > (999_000 if shape == "dense" else 100_000)


# BPMN: sub-processes, elements, annotations


def subprocess_cross(ends: int, starts: int) -> bytes:
    """A sub-process with ``ends`` end events flowing into one with ``starts`` start
    events: an edge from each end to each start."""
    end_events = "".join(f'<endEvent id="e{i}"/>' for i in range(ends))
    start_events = "".join(f'<startEvent id="s{i}"/>' for i in range(starts))
    return (f'<definitions xmlns="{MODEL}"><process id="p" name="交叉">'
            f'<startEvent id="S"/><subProcess id="A"><startEvent id="a"/>{end_events}'
            f'<sequenceFlow id="fa" sourceRef="a" targetRef="e0"/></subProcess>'
            f'<subProcess id="B">{start_events}<endEvent id="b"/></subProcess>'
            f'<endEvent id="E"/><sequenceFlow id="f1" sourceRef="S" targetRef="A"/>\n'
            f'<sequenceFlow id="f2" sourceRef="A" targetRef="B"/>'
            f'<sequenceFlow id="f3" sourceRef="B" targetRef="E"/></process></definitions>'
            ).encode()


def test_end_events_feeding_start_events_are_bounded():
    """3,000 end events feeding 3,000 start events imply nine million edges: refused
    before any is made, at the flow that implies them."""
    error = refused_in_time("bpmn", subprocess_cross(3000, 3000))
    assert error.line == 2 and error.describe("en").endswith(
        "<sequenceFlow id='f2'>: too many edges implied by flows into and out of "
        "sub-processes (one from each end event, one to each start event): more than "
        "100,000")
    [chart] = read_in_time("bpmn", subprocess_cross(3, 2))
    # e0, which the matter reaches and leaves, is passed through (S → a → e0 → s0, s1)
    assert {(e.source, e.target) for e in chart.flows if e.target.startswith("s")} == {
        (f"{end}", f"s{j}") for end in ("S", "e1", "e2") for j in range(2)}


def bpmn_of(elements: int) -> bytes:
    """A small process followed by ``elements`` empty elements of another namespace."""
    filler = "<x:n/>" * elements
    return (f'<definitions xmlns="{MODEL}" xmlns:x="urn:x"><process id="p" name="p">'
            f'<startEvent id="s"/><endEvent id="e"/>'
            f'<sequenceFlow id="f" sourceRef="s" targetRef="e"/></process>'
            f'<extensionElements>{filler}</extensionElements></definitions>').encode()


def test_a_bpmn_file_of_too_many_elements_is_refused_unparsed():
    limits = Limits(steps=1000)  # 20,000 elements
    error = refused_in_time("bpmn", bpmn_of(20_000), limits)
    assert error.describe("en") == \
        "hostile.bpmn: too many XML elements in the file: more than 20,000 (setting max_steps)"
    read_in_time("bpmn", bpmn_of(19_990), limits)
    refused_in_time("bpmn", bpmn_of(4_100_000))  # the default: 4,000,000


def test_one_long_annotation_on_thousands_of_tasks_is_read_once():
    tasks = "".join(f'<task id="t{i}" name="审批"/>' for i in range(3000))
    links = "".join(f'<association id="a{i}" sourceRef="A" targetRef="t{i}"/>'
                    for i in range(3000))
    text = "裁量基准" + "无关的说明" * 6000
    data = (f'<definitions xmlns="{MODEL}"><process id="p" name="p"><startEvent id="s"/>'
            f'{tasks}<endEvent id="e"/><textAnnotation id="A"><text>{text}</text>'
            f'</textAnnotation>{links}</process></definitions>').encode()
    [chart] = read_in_time("bpmn", data)
    assert all(chart.steps[f"t{i}"].controls == ("裁量基准",) for i in range(3000))


# draw.io: elements of every page, pages

DRAWIO_CELLS = ('<mxCell id="0"/><mxCell id="1" parent="0"/>'
                '<mxCell id="s" value="开始" style="ellipse" vertex="1" parent="1"/>'
                '<mxCell id="e" value="结束" style="ellipse" vertex="1" parent="1"/>'
                '<mxCell id="f" edge="1" source="s" target="e" parent="1"/>')


def drawio_page(name: str, filler: bytes, repeat: int) -> bytes:
    """A compressed page: a start, an end, and ``filler`` ``repeat`` times."""
    model = f"<mxGraphModel><root>{DRAWIO_CELLS}".encode() + filler * repeat \
        + b"</root></mxGraphModel>"
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    packed = packer.compress(model) + packer.flush()
    return f'<diagram name="{name}">'.encode() + base64.b64encode(packed) + b"</diagram>"


def drawio_file(*pages: bytes) -> bytes:
    return b"<mxfile>\n" + b"\n".join(pages) + b"</mxfile>"


def test_a_compressed_page_of_millions_of_empty_elements_is_refused():
    """62 MB of empty elements inflate from 120 KB, within the ratio of 1,000: refused
    by their number, naming the page."""
    filler = b"<a/><b/><c/><d/>"
    data = drawio_file(drawio_page("空", filler, 3_800_000))
    assert len(data) < 500_000
    error = refused_in_time("drawio", data)
    assert error.describe("en") == (
        "hostile.drawio:2: page '空': the inflated content: too many XML elements in the "
        "file: more than 4,000,000 (setting max_steps)")
    limits = Limits(steps=1000)
    [chart] = read_in_time("drawio", drawio_file(drawio_page("p", b"<a/>", 19_000)), limits)
    assert set(chart.steps) == {"s", "e"}


def test_the_elements_of_every_page_count_together():
    limits = Limits(steps=1000)  # 20,000 elements in the file
    page = drawio_page("p", b"<a/>", 9_000)
    assert len(read_in_time("drawio", drawio_file(page, page), limits)) == 2
    error = refused_in_time("drawio", drawio_file(page, page, page), limits)
    assert error.line == 4 and "too many XML elements in the file: more than 20,000" in \
        error.message.en


def test_a_file_of_too_many_pages_is_refused():
    page = drawio_page("p", b"", 0)
    error = refused_in_time("drawio", drawio_file(*[page] * 6), Limits(charts=5))
    assert error.line == 7 and error.message.en == "too many pages: more than 5"
    assert len(read_in_time("drawio", drawio_file(*[page] * 5), Limits(charts=5))) == 5


# workbooks

WORKBOOK_PARTS = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
        '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName='
        '"/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/_rels/workbook.xml.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
}
STEPS_ROWS = ('<row r="1"><c r="A1" t="inlineStr"><is><t>step</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>kind</t></is></c>'
              '<c r="C1" t="inlineStr"><is><t>next</t></is></c></row>'
              '<row r="2"><c r="A2" t="inlineStr"><is><t>s</t></is></c>'
              '<c r="B2" t="inlineStr"><is><t>start</t></is></c>'
              '<c r="C2" t="inlineStr"><is><t>e</t></is></c></row>'
              '<row r="3"><c r="A3" t="inlineStr"><is><t>e</t></is></c>'
              '<c r="B3" t="inlineStr"><is><t>end</t></is></c></row>')
NO_STRINGS = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              'count="0" uniqueCount="0"/>')


def workbook(rows: str = STEPS_ROWS, strings: str | bytes = NO_STRINGS, extra: str = "",
             sheets: int = 1) -> bytes:
    """A workbook whose sheet ``steps`` holds ``rows`` (and ``extra`` after its data),
    with ``strings`` as its shared strings and ``sheets`` sheets in all."""
    listed = "".join(f'<sheet name="{"steps" if i == 0 else f"s{i}"}" sheetId="{i + 1}" '
                     f'r:id="rId{1 if i == 0 else 2 + i}"/>' for i in range(sheets))
    others = "".join(f'<Relationship Id="rId{2 + i}" Type="http://schemas.openxmlformats.org'
                     f'/officeDocument/2006/relationships/worksheet" '
                     f'Target="worksheets/sheet1.xml"/>' for i in range(1, sheets))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in WORKBOOK_PARTS.items():
            archive.writestr(part, text.replace("</Relationships>", others +
                                                "</Relationships>")
                             if part == "xl/_rels/workbook.xml.rels" else text)
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
            f'openxmlformats.org/officeDocument/2006/relationships"><sheets>{listed}'
            '</sheets></workbook>'))
        archive.writestr("xl/worksheets/sheet1.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'{rows}</sheetData>{extra}</worksheet>'))
        archive.writestr("xl/sharedStrings.xml", strings)
    return buffer.getvalue()


def test_the_sample_workbook_is_read():
    [chart] = read_in_time("xlsx", workbook())
    assert set(chart.steps) == {"s", "e"} and len(chart.flows) == 1


@pytest.mark.parametrize("cell, message", [
    ("XFD1048576", "sheet 'steps', row 200,002: too many rows: more than 200,001 "
                   "(setting max_steps)"),
    ("XFD4", "sheet 'steps', cell XFD4: too many columns: more than 64"),
    ("&#88;FD4", "sheet 'steps', cell XFD4: too many columns: more than 64"),
])
def test_one_cell_far_away_is_refused_not_padded(cell, message):
    """A 5 KB workbook naming one cell at XFD1048576 took 4 GB: pandas padded every row
    to the widest. The row and the column a cell names are bounded, also when XML
    escapes them."""
    row = cell.split("FD")[1]
    data = workbook(STEPS_ROWS + f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x'
                                 f'</t></is></c></row>')
    assert len(data) < 5000
    assert refused_in_time("xlsx", data).describe("en") == f"hostile.xlsx: {message}"


def test_a_row_of_cells_without_references_is_bounded():
    cells = '<c t="inlineStr"><is><t>x</t></is></c>' * 100
    error = refused_in_time("xlsx", workbook(STEPS_ROWS + f"<row>{cells}</row>"))
    assert error.describe("en") == ("hostile.xlsx: sheet 'steps', row element 4 holds 100 "
                                    "cells: too many columns: more than 64")


def test_cells_are_counted_in_a_sheet_whatever_its_root():
    """openpyxl reads the cells of the part a sheet's relation names, whatever its root
    element: they are counted in every part."""
    cells = '<c t="inlineStr"><is><t>x</t></is></c>' * 100
    data = workbook(STEPS_ROWS + f"<row>{cells}</row>")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"worksheet", b"notes")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    assert refused_in_time("xlsx", buffer.getvalue()).describe("en") == (
        "hostile.xlsx: sheet 'steps', row element 4 holds 100 cells: too many columns: "
        "more than 64")


@pytest.mark.parametrize("count", [
    300_000, pytest.param(4_500_000, marks=pytest.mark.slow, id="the issue's 11 MB")])
def test_millions_of_unused_shared_strings_are_refused_after_a_few_thousand(count):
    """4.5 million unused shared strings (11 MB) ran past 15 s: openpyxl reads them all
    when the workbook opens. Counted first, after the cells that could use them."""
    strings = b"".join(b"<si><t>%d</t></si>" % i for i in range(count))
    data = workbook(strings=b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml'
                            b'/2006/main">' + strings + b"</sst>")
    error = refused_in_time("xlsx", data)
    assert error.describe("en") == \
        "hostile.xlsx: too many shared strings: more than 10,008 for 8 cells"
    used = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + "<si><t>备注</t></si>" * 10_008 + "</sst>")
    read_in_time("xlsx", workbook(strings=used))


def test_a_merged_range_over_the_whole_sheet_costs_nothing():
    """Read-only, openpyxl never expands merged cells: read, and quickly."""
    merged = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    [chart] = read_in_time("xlsx", workbook(extra=merged))
    assert set(chart.steps) == {"s", "e"}


def test_merged_ranges_are_bounded():
    """openpyxl parses every merged range, even in read-only mode (200,000 took 9 s):
    they are counted with the cells before it opens the workbook. The tables reader
    then takes at most one per cell of the table, and ranges that overlap (no
    spreadsheet writes them) no more than the table's cells in all."""
    many = "".join(f'<mergeCell ref="A{r}:B{r + 1}"/>' for r in range(1, 200_000))
    error = refused_in_time("xlsx", workbook(extra=f"<mergeCells>{many}</mergeCells>"),
                            Limits(steps=1000))
    assert error.describe("en") == "hostile.xlsx: too many merged ranges in the workbook: " \
        "more than 10,000 (setting max_steps)"
    few = "".join(f'<mergeCell ref="C{r}:D{r}"/>' for r in range(1, 30))
    error = refused_in_time("xlsx", workbook(extra=f"<mergeCells>{few}</mergeCells>"))
    assert error.describe("en").startswith(
        "hostile.xlsx: sheet 'steps', merged cells: too many merged ranges: more than ")
    overlapping = "".join('<mergeCell ref="A1:A1048576"/>' for _ in range(5))
    error = refused_in_time("xlsx", workbook(extra=f"<mergeCells>{overlapping}</mergeCells>"))
    assert error.describe("en") == "hostile.xlsx: sheet 'steps': merged ranges overlap"


def test_too_many_sheets_are_refused():
    assert refused_in_time("xlsx", workbook(sheets=300)).describe("en") == \
        "hostile.xlsx: too many sheets: more than 256"
    read_in_time("xlsx", workbook(sheets=3))


def test_too_many_cells_are_refused_before_they_are_read():
    rows = "".join(f'<row r="{r}">' + "<c/>" * 20 + "</row>" for r in range(4, 600))
    error = refused_in_time("xlsx", workbook(STEPS_ROWS + rows), Limits(steps=1000))
    assert error.describe("en") == \
        "hostile.xlsx: too many cells in the workbook: more than 10,000 (setting max_steps)"


def test_a_dtd_in_a_workbook_part_is_refused():
    strings = '<!DOCTYPE sst [<!ENTITY a "aaaa">]><sst/>'
    assert "the part xl/sharedStrings.xml declares a DTD, which is refused for safety" in \
        refused_in_time("xlsx", workbook(strings=strings)).describe("en")


# CSV tables


def test_an_unclosed_quote_names_the_line_where_it_opened(tmp_path):
    steps = tmp_path / "steps.csv"
    steps.write_text('step,kind,next,label\ns,start,t,开始\nt,task,e,"办理\ne,end,,结束\n',
                     "utf-8")
    result = run("check", steps)
    assert result.output.splitlines()[0] == (
        f"{steps}:3:10: a quoted field opened here is never closed (no closing quote before "
        f"the end of the file)")
    steps.write_text('step,kind,next,label\ns,start,t,开始\nt,task,e,"办理\n(两行)"\n'
                     'e,end,,结束\n', "utf-8")
    assert run("check", steps).exit_code == 0


def test_a_csv_error_names_its_line(tmp_path):
    steps = tmp_path / "steps.csv"
    steps.write_text("step,kind,next\ns,start,e\ne,end,,x,y\n", "utf-8")
    error = refused_in_time("csv", steps.read_bytes(), name=str(tmp_path / "steps"))
    assert (error.line, error.column) == (3, 4)
    assert "row 3, column D: a value under no heading (the headings are in row 1)" in \
        error.message.en


def test_a_csv_table_is_bounded_in_columns_and_rows(tmp_path):
    header = ",".join(["step", "kind"] + [f"c{i}" for i in range(100)])
    error = refused_in_time("csv", f"{header}\ns,start\n".encode(), name=str(tmp_path / "steps"))
    assert (error.line, error.message.en) == (1, "too many columns: more than 64")
    rows = "step,kind,next\n" + "".join(f"s{i},task,s{i + 1}\n" for i in range(101))
    error = refused_in_time("csv", rows.encode(), Limits(steps=100), str(tmp_path / "steps"))
    assert error.message.en == "too many rows: more than 101 (setting max_steps)"


# DOT: what Graphviz would build, measured first; what it says, heard

DOT_HEAD = 'digraph a { title="链"; s [kind=start]; e [kind=end]; '


def test_a_second_graph_is_refused_at_its_line():
    """Graphviz reads the first graph of a file and ignores the rest: refused, with the
    line of the second."""
    data = f'{DOT_HEAD} s -> e }}\n\n// 第二个\ndigraph b {{ x -> y }}\n'.encode()
    error = refused_in_time("dot", data)
    assert (error.line, error.message.en) == (4, "a second graph: a DOT file holds one "
                                                 "flowchart; write each graph in a file of "
                                                 "its own")
    error = refused_in_time("dot", f'{DOT_HEAD} s -> e }}\n x -> y\n'.encode())
    assert (error.line, error.message.en) == (
        2, "text after the end of the graph (Graphviz would ignore it)")
    [chart] = read_in_time("dot", f'{DOT_HEAD} s -> e }}\n// 结束\n'.encode())
    assert len(chart.flows) == 1


def test_a_quoted_string_that_ends_in_a_backslash_ends_where_graphviz_ends_it():
    r"""In Graphviz a backslash escapes the next character, a backslash too: a label
    written "a\\" (a and one backslash) ends at its quote, and what follows is still
    the graph."""
    [chart] = read_in_time("dot", (DOT_HEAD + 's [kind=start, label="a\\\\"]; '
                                   's -> e }\n').encode())
    assert chart.steps["s"].label == "a\\"


def nested(depth: int) -> bytes:
    return (DOT_HEAD + "s -> e;\n" + "subgraph { " * depth + 'x [kind=task]; s -> x -> e'
            + " }" * depth + " }\n").encode()


def test_subgraphs_nested_past_graphvizs_parser_are_refused_not_cut_short():
    """A few thousand nested subgraphs exhaust Graphviz's parser, which then returned
    the part it had read and said nothing: the file reported ok without step x."""
    error = refused_in_time("dot", nested(5000))
    assert (error.line, error.message.en) == (2, "too many levels of nested subgraphs: "
                                                 "more than 100")
    [chart] = read_in_time("dot", nested(99))
    assert set(chart.steps) == {"s", "e", "x"}


def test_what_graphviz_says_is_heard():
    """An error Graphviz gives while still returning a graph is the file's error (here
    its parser overflowing, the nesting limit lifted); a warning is on the flowchart."""
    error = refused_in_time("dot", nested(5000), Limits(nesting=10_000))
    assert error.describe("en") == \
        "hostile.dot:2: DOT syntax error: memory exhausted in line 2 near '{'"
    [chart] = read_in_time("dot", f"{DOT_HEAD} 2 [kind=task]; s -> 2 -> e; 2e }}".encode())
    assert [w.describe("en") for w in chart.warnings] == [
        "ok.dot:1: Graphviz says: syntax ambiguity - badly delimited number '2e' in line 1 "
        "of input splits into two tokens"]


def test_subgraphs_joined_by_an_edge_are_bounded():
    """{a1 … a3000} -> {b1 … b3000} is nine million edges from 30 KB."""
    left = " ".join(f"a{i}" for i in range(3000))
    right = " ".join(f"b{i}" for i in range(3000))
    error = refused_in_time("dot", f"digraph a {{\n{{{left}}} -> {{{right}}} }}".encode())
    assert (error.line, error.message.en) == (2, (
        "too many edges implied by subgraphs joined by an edge (one between every pair of "
        "their nodes): more than 100,000"))
    named = f"digraph a {{ subgraph s {{ {left} }}\n subgraph s {{}} -> subgraph s {{}} }}"
    assert refused_in_time("dot", named.encode()).line == 2
    [chart] = read_in_time("dot", (DOT_HEAD + "a [kind=task]; b [kind=task]; s -> {a b}; "
                                   "{a b} -> e }").encode())
    assert {(f.source, f.target) for f in chart.flows} == {
        ("s", "a"), ("s", "b"), ("a", "e"), ("b", "e")}


@pytest.mark.parametrize("quote, objects", [("", "3,803"), ('"', "2,001")])
def test_attribute_names_times_nodes_are_bounded(quote, objects):
    """20,000 attribute names on 20,000 nodes took 29 s and 3 GB in Graphviz. The nodes
    and edges are bounded by every identifier of the file when it is measured from its
    bytes (names unquoted), by the nodes its statements name when it is tokenized."""
    names = ",".join(f"{quote}k{i}{quote}=1" for i in range(20_000))
    nodes = " ".join(f"n{i}" for i in range(20_000))
    error = refused_in_time("dot", f"digraph a {{ x [{names}]; {nodes} }}".encode())
    assert error.message.en == "too many distinct attribute names: more than 1,000"
    names = ",".join(f"{quote}k{i}{quote}=1" for i in range(900))
    nodes = " ".join(f"n{i}" for i in range(2_000))
    error = refused_in_time("dot", f"digraph a {{ x [{names}]; {nodes} }}".encode(),
                            Limits(steps=1000))
    assert error.message.en == (
        f"900 attribute names times up to {objects} nodes and edges exceed 500,000: Graphviz "
        "gives every node and edge a slot for every name")


def test_a_dot_file_with_graphvizs_own_attributes_and_clusters_is_read():
    data = (DOT_HEAD + 'graph [rankdir=LR]; node [shape=box, color="#333333"];\n'
            '/* 审批 */ subgraph cluster_a { label=<<b>受理</b>>; a [kind=task, '
            'label="受理 <5 日>"] }\n s -> a -> e [style=bold, label="通过"] }').encode()
    [chart] = read_in_time("dot", data)
    assert set(chart.steps) == {"s", "a", "e"} and len(chart.flows) == 2


def test_too_many_edges_are_refused_before_graphviz_reads_them():
    edges = "".join(f"s -> e{i};" for i in range(2_001))
    error = refused_in_time("dot", f"{DOT_HEAD} {edges} }}".encode(), Limits(steps=200))
    assert error.message.en == "too many edges in the graph: more than 2,000 (setting max_steps)"

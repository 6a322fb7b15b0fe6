"""Worker processes (flowgraph/workers.py): they start only when the work pays for
them, their number is capped by the work and the idle cores, and they never outlive
the command, whatever signal ends it (docs/security.md, "Running")."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

import flowgraph.workers as workers
from flowgraph.cli import main
from flowgraph.generate import batch

from .conftest import ROOT


def square(number: int) -> int:
    """A worker's task (module-level: pools pickle it by name)."""
    return number * number


def slow_square(number: int) -> int:
    """A task slow enough that a few of them are worth workers."""
    time.sleep(0.05)
    return number * number


def pid_and_square(number: int) -> tuple[int, int]:
    """The process that computed the square, and the square."""
    return os.getpid(), number * number


@pytest.fixture
def two_free_cores(monkeypatch):
    """The machine seen as having two free cores, whatever else runs on it."""
    monkeypatch.setattr(workers, "available_cores", lambda: 2)
    monkeypatch.setattr(workers, "free_cores", lambda _since: 2)


@pytest.fixture
def pools(monkeypatch):
    """Every pool ordered_map starts, as (items, workers)."""
    started = []
    real = workers._in_pool

    def spy(function, items, count):
        started.append((len(items), count))
        return real(function, items, count)
    monkeypatch.setattr(workers, "_in_pool", spy)
    return started


# -- how many workers, and when --------------------------------------------------------


@pytest.mark.parametrize("machine, allowed, idle, expected", [
    (2, 2, 0.5, 2),     # the other core was idle while this process worked
    (2, 2, 0.0, 1),     # another session kept it busy
    (2, 2, 0.2, 1),     # mostly busy
    (2, 2, 0.3, 2),     # mostly idle
    (4, 4, 0.75, 4),
    (4, 4, 0.25, 2),
    (64, 4, 0.9, 4),    # a container allowed four cores of a large machine
])
def test_the_free_cores_are_this_process_and_the_idle_ones(monkeypatch, machine, allowed,
                                                           idle, expected):
    monkeypatch.setattr(os, "cpu_count", lambda: machine)
    monkeypatch.setattr(workers, "available_cores", lambda: allowed)
    since = workers.CpuSample(0.0, (1000, 5000))
    total = 100 * machine  # a second of every core
    monkeypatch.setattr(workers, "cpu_sample", lambda: workers.CpuSample(
        1.0, (1000 + round(idle * total), 5000 + total)))
    assert workers.free_cores(since) == expected


def test_without_proc_stat_the_load_average_tells(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setattr(workers, "available_cores", lambda: 4)
    monkeypatch.setattr(workers, "cpu_sample", lambda: workers.CpuSample(1.0, None))
    monkeypatch.setattr(os, "getloadavg", lambda: (3.0, 3.0, 3.0))
    assert workers.free_cores(workers.CpuSample(0.0, None)) == 1
    monkeypatch.delattr(os, "getloadavg")
    assert workers.free_cores(workers.CpuSample(0.0, None)) == 4


def test_a_sample_of_proc_stat_has_the_idle_and_total_ticks():
    first = workers.cpu_sample()
    time.sleep(0.05)
    second = workers.cpu_sample()
    if first.ticks is None:
        pytest.skip("no /proc/stat")
    assert second.when > first.when
    assert 0 <= second.ticks[0] - first.ticks[0] <= second.ticks[1] - first.ticks[1]


@pytest.mark.slow
def test_a_busy_machine_keeps_the_work_here(monkeypatch, pools):
    monkeypatch.setattr(workers, "available_cores", lambda: 2)
    monkeypatch.setattr(workers, "free_cores", lambda _since: 1)
    assert list(workers.ordered_map(slow_square, range(40), jobs=8)) == \
        [n * n for n in range(40)]
    assert pools == []


@pytest.mark.usefixtures("two_free_cores")
def test_a_small_batch_never_starts_workers(pools):
    assert list(workers.ordered_map(square, range(200), jobs=8)) == \
        [n * n for n in range(200)]
    assert pools == []


@pytest.mark.slow
@pytest.mark.usefixtures("two_free_cores")
def test_work_worth_workers_starts_them_for_what_is_left(pools):
    """Forty tasks of 50 ms (2 s here): after the first two, the rest is worth two
    workers, and the results come in order."""
    results = list(workers.ordered_map(pid_and_square, range(3), jobs=8))
    assert pools == [] and {pid for pid, _ in results} == {os.getpid()}
    results = list(workers.ordered_map(slow_square, range(40), jobs=8))
    assert results == [n * n for n in range(40)]
    assert pools == [(38, 2)]


@pytest.mark.usefixtures("two_free_cores")
def test_results_come_in_order_from_the_workers(monkeypatch):
    monkeypatch.setattr(workers, "WORTH_WORKERS", 0)
    monkeypatch.setattr(workers, "SAMPLE", 0)
    results = list(workers.ordered_map(pid_and_square, range(300), jobs=2))
    assert [square for _, square in results] == [n * n for n in range(300)]
    assert len({pid for pid, _ in results[2:]} - {os.getpid()}) == 2


@pytest.mark.usefixtures("two_free_cores")
def test_one_job_never_starts_workers(monkeypatch, pools):
    monkeypatch.setattr(workers, "WORTH_WORKERS", 0)
    monkeypatch.setattr(workers, "SAMPLE", 0)
    assert list(workers.ordered_map(square, range(50), jobs=1)) == \
        [n * n for n in range(50)]
    assert pools == []


# -- workers end with the command --------------------------------------------------------


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a process that still runs (a zombie waiting to be reaped by
    whoever adopted it does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _group(group: int) -> list[int]:
    """The running processes of a process group."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[2]) == group and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


@pytest.mark.slow
@pytest.mark.usefixtures("two_free_cores")
def test_an_abandoned_iteration_kills_the_workers(monkeypatch):
    monkeypatch.setattr(workers, "WORTH_WORKERS", 0)
    monkeypatch.setattr(workers, "SAMPLE", 0)
    seen = []
    real = workers._pool

    def spy(count):
        manager = real(count)
        pool = manager.__enter__()
        seen.append(pool)

        class Wrapped:
            def __enter__(self):
                return pool

            def __exit__(self, *exc):
                return manager.__exit__(*exc)
        return Wrapped()
    monkeypatch.setattr(workers, "_pool", spy)
    results = workers.ordered_map(slow_square, range(1000), jobs=2)
    assert [next(results) for _ in range(5)] == [0, 1, 4, 9, 16]
    pids = list(seen[0]._processes)
    began = time.monotonic()
    results.close()
    assert time.monotonic() - began < 2
    assert len(pids) == 2 and not any(_alive(pid) for pid in pids)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_the_kernel_is_asked_to_kill_a_worker_with_its_parent():
    code = textwrap.dedent("""
        import ctypes, flowgraph.workers as w
        assert w._die_with_parent()
        out = ctypes.c_int()
        libc = ctypes.CDLL(None)
        assert libc.prctl(2, ctypes.byref(out), 0, 0, 0) == 0  # PR_GET_PDEATHSIG
        print(out.value)
    """)
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    assert output.strip() == str(int(signal.SIGKILL))


def test_the_watchdog_ends_a_worker_whose_parent_died():
    """The portable fallback alone (no prctl): a worker whose parent exits is gone
    within a second or two."""
    code = textwrap.dedent("""
        import os, sys, time, flowgraph.workers as w
        w._die_with_parent = lambda: False
        parent = os.getpid()
        ready, done = os.pipe()
        child = os.fork()
        if child == 0:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)  # let the test read the parent's output to its end
            os.dup2(null, 2)
            w._start_worker(parent)
            os.write(done, b"x")
            time.sleep(60)
            os._exit(0)
        os.read(ready, 1)  # the worker is set up: its watchdog alone can end it
        print(child, flush=True)
        os._exit(0)  # the parent dies; the worker must follow
    """)
    worker = int(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout)
    deadline = time.monotonic() + 5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker)


#: ``flowgraph`` as ``python -m flowgraph`` runs it, with workers worth starting at
#: once and two idle cores, so that the test does not depend on the machine's load.
FORCED_WORKERS = textwrap.dedent("""
    import sys
    import flowgraph.workers as w
    w.WORTH_WORKERS = 0
    w.SAMPLE = 0
    w.free_cores = lambda since: 2
    w.available_cores = lambda: 2
    from flowgraph.cli import main
    main(prog_name="flowgraph")
""")


@pytest.fixture(scope="module")
def big_batch(tmp_path_factory) -> Path:
    """1,500 generated flowcharts: seconds of work, long enough to be interrupted."""
    folder = tmp_path_factory.mktemp("big")
    for relative, text in batch(1500, seed=7):
        path = folder / relative
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, "utf-8")
    return folder


def _start(big_batch: Path, tmp_path: Path, *args: str) -> subprocess.Popen:
    """The audit of ``big_batch`` in its own process group, once its workers run."""
    (tmp_path / "tmp").mkdir()
    (tmp_path / "out").mkdir()
    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"))
    process = subprocess.Popen(
        [sys.executable, "-c", FORCED_WORKERS, "audit", str(big_batch), "-j", "2", *args],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    deadline = time.monotonic() + 20
    while len(_children(process.pid)) < 2:
        assert process.poll() is None and time.monotonic() < deadline, "no workers started"
        time.sleep(0.02)
    time.sleep(0.3)  # the workers are auditing
    assert process.poll() is None, "finished before it could be interrupted"
    return process


def _nothing_left(process: subprocess.Popen, tmp_path: Path) -> None:
    """Within a few seconds no process of the group runs, and no temporary file is
    left in the temporary folder or beside the output."""
    process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while _group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _group(process.pid) == []
    assert list((tmp_path / "tmp").iterdir()) == []
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("args", [(), ("--format", "json", "-o", "out/report.json")],
                         ids=["text to standard output", "json to a file"])
def test_sigkill_of_the_command_takes_its_workers_with_it(big_batch, tmp_path, args):
    args = tuple(str(tmp_path / a) if a.startswith("out/") else a for a in args)
    process = _start(big_batch, tmp_path, *args)
    os.kill(process.pid, signal.SIGKILL)
    _nothing_left(process, tmp_path)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.slow
@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 128 + signal.SIGTERM),
                                          (signal.SIGINT, 1)])
def test_sigterm_and_sigint_shut_the_pool_down_and_remove_temporaries(big_batch, tmp_path,
                                                                      signum, code):
    """The text report streams to a temporary file beside the output: the signal
    unwinds the command, which removes it; no traceback."""
    process = _start(big_batch, tmp_path, "-o", str(tmp_path / "out" / "report.txt"))
    assert any(p.name.startswith(".flowgraph-") for p in (tmp_path / "out").iterdir())
    began = time.monotonic()
    os.kill(process.pid, signum)
    _nothing_left(process, tmp_path)
    assert time.monotonic() - began < 5
    assert process.returncode == code
    assert b"Traceback" not in process.stderr.read()


@pytest.mark.usefixtures("two_free_cores")
def test_the_cli_caps_jobs_by_the_work(tmp_path, monkeypatch, pools):
    """--jobs 1000 on a batch worth workers starts as many as there are free cores."""
    monkeypatch.setattr(workers, "WORTH_WORKERS", 0)
    monkeypatch.setattr(workers, "SAMPLE", 0)
    for relative, text in batch(40, seed=3):
        (tmp_path / Path(relative).name).write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["audit", str(tmp_path), "-j", "1000", "--lang", "en"])
    assert result.exit_code in (0, 1) and "40 file(s)" in result.output
    assert pools == [(38, 2)]


@pytest.mark.usefixtures("two_free_cores")
def test_results_never_pile_up_ahead_of_their_reader(monkeypatch):
    """A slow reader (a report written to a slow pipe) holds the workers back: at most
    four chunks per worker are in flight beyond what it has read."""
    monkeypatch.setattr(workers, "WORTH_WORKERS", 0)
    monkeypatch.setattr(workers, "SAMPLE", 0)
    submitted = []
    real = ProcessPoolExecutor.submit

    def counted(pool, *args, **kwargs):
        submitted.append(len(args[1]))  # the chunk's items
        return real(pool, *args, **kwargs)
    monkeypatch.setattr(ProcessPoolExecutor, "submit", counted)
    results = workers.ordered_map(square, range(2000), jobs=2)
    read = [next(results) for _ in range(100)]
    time.sleep(0.5)  # the workers could finish everything meanwhile
    assert read == [n * n for n in range(100)]
    assert sum(submitted) <= 100 + 9 * submitted[0]  # read, the next chunk, 8 in flight
    assert list(results) == [n * n for n in range(100, 2000)]


@pytest.mark.slow
@pytest.mark.parametrize("ending", ["sys.exit(3)", "raise RuntimeError('boom')"])
def test_an_iteration_abandoned_at_exit_does_not_hold_the_exit(ending):
    """The iteration still refers to its pool when the interpreter exits (an exception
    left it behind): its workers are killed at once, not awaited, and nothing is left."""
    code = textwrap.dedent(f"""
        import sys, time
        import flowgraph.workers as w
        from tests.test_workers import slow_square
        w.WORTH_WORKERS = 0
        w.SAMPLE = 0
        w.free_cores = lambda since: 2
        results = w.ordered_map(slow_square, range(4000), jobs=2)
        print([next(results) for _ in range(3)], flush=True)
        print(time.monotonic(), flush=True)
        {ending}
    """)
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    stdout, stderr = process.communicate(timeout=60)
    ended = time.monotonic()
    lines = stdout.splitlines()
    assert lines[0] == "[0, 1, 4]"
    assert ended - float(lines[1]) < 1.5  # 8 chunks of 32 in flight would take 6 s
    assert "Exception ignored" not in stderr and "AttributeError" not in stderr
    deadline = time.monotonic() + 5
    while _group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _group(process.pid) == []

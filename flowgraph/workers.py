"""Worker processes that pay for themselves and never outlive the command.

A batch audits its files, and a report lays out its diagrams, through
:func:`ordered_map`: the results of a function over many items, in order, computed here
or in a pool of forked worker processes. Three things bound that pool:

- **Workers start only when they pay.** Items are processed here, one after the other,
  while their time is measured; workers start when the items left are estimated to
  take longer than :data:`WORTH_WORKERS` seconds here (the estimate scales the time
  spent so far by the sizes left, each item counting as its size plus
  :data:`ITEM_OVERHEAD` bytes). Starting workers costs a fork each, and every result
  crosses between processes as a pickle: a batch smaller than that is done sooner in
  one process (docs/performance.md has the measured crossover). What this process has
  already imported (a format's parser, networkx) the workers inherit.
- **Their number is capped by the work and the machine**: at most ``jobs``, the items
  left, and the cores this process may run on that are free: its own and those the
  machine left idle while it worked alone (:func:`free_cores`). Auditing and layout
  are computation, not waiting, so a worker beyond the free cores only adds
  switching, memory and the cost of sending results back; where the scheduler shares
  the processor between sessions (Linux's autogroup), more processes do not even get
  more of it.
- **Workers die with their parent**, whatever kills it, even SIGKILL: on Linux each
  worker asks the kernel for SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``),
  and elsewhere a watchdog thread in each worker exits once its parent is gone (its
  parent id changes). While a pool runs, SIGTERM and SIGINT in this process kill the
  workers at once and unwind (SIGTERM as ``SystemExit(143)``, SIGINT as
  ``KeyboardInterrupt``) so that every ``finally`` runs and temporary files are
  removed. Workers ignore SIGINT (Ctrl-C reaches the whole process group: the parent
  alone decides) and write nothing, so killing them loses nothing.
"""
from __future__ import annotations

import contextlib
import functools
import math
import os
import pickle
import signal
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from .gc_paused import gc_paused

if TYPE_CHECKING:  # multiprocessing and ctypes are imported when a pool starts
    from concurrent.futures import ProcessPoolExecutor

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Seconds of work left (estimated as if done here) from which workers pay for
#: themselves; measured by ``benchmarks/run.py crossover`` (docs/performance.md).
WORTH_WORKERS = 0.5
#: What one item costs beyond its bytes (opening, checking, a result to send back),
#: counted as this many bytes of it.
ITEM_OVERHEAD = 4096
#: Seconds of this process's work from which the machine's idle time says how many
#: cores are free (``/proc/stat`` counts in hundredths of a second).
SAMPLE = 0.05
#: Seconds between a worker's checks that its parent is alive (the portable fallback).
WATCH_INTERVAL = 0.5
#: ``prctl`` option: the signal a process receives when its parent dies (Linux).
PR_SET_PDEATHSIG = 1

#: The pools running in this process, which a signal must stop.
_RUNNING: set[ProcessPoolExecutor] = set()
#: The iterations over a pool, which the interpreter's exit must close.
_POOLED: weakref.WeakSet = weakref.WeakSet()


def available_cores() -> int:
    """The cores this process may run on: its CPU affinity where the system tells it
    (a container or ``taskset`` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class CpuSample:
    """When, and the machine's idle and total CPU time then (clock ticks of every
    core since boot; None where ``/proc/stat`` does not tell)."""

    when: float
    ticks: tuple[int, int] | None


def cpu_sample() -> CpuSample:
    """The machine's CPU time now (:class:`CpuSample`)."""
    try:
        with open("/proc/stat", "rb") as stream:
            ticks = [int(field) for field in stream.readline().split()[1:9]]
    except (OSError, ValueError):
        return CpuSample(time.monotonic(), None)
    return CpuSample(time.monotonic(), (ticks[3] + ticks[4], sum(ticks)))  # idle, iowait


def free_cores(since: CpuSample) -> int:
    """The cores this process can use: its own, and those the machine left idle since
    ``since`` (this process was busy on one meanwhile), at most those it may run on.
    Idle time comes from ``/proc/stat`` (Linux); elsewhere the machine's cores less its
    load average, or all of them where there is none."""
    cores = available_cores()
    now = cpu_sample()
    if now.ticks is None or since.ticks is None or now.ticks[1] <= since.ticks[1]:
        try:
            idle = (os.cpu_count() or cores) - os.getloadavg()[0]
        except (AttributeError, OSError):
            return cores
    else:
        idle_ticks, total_ticks = (a - b for a, b in zip(now.ticks, since.ticks, strict=True))
        idle = 1 + idle_ticks / total_ticks * (os.cpu_count() or cores)
    return max(1, min(cores, math.floor(idle + 0.5)))


def ordered_map(function: Callable[[Item], Result], items: Sequence[Item],
                jobs: int | None = None, sizes: Sequence[int] | None = None) -> Iterator[Result]:
    """``function(item)`` for each item, in order: here until the items left are worth
    workers (see the module's documentation), then in at most ``jobs`` worker
    processes. ``sizes`` (bytes, by default all equal) make the estimate; ``function``
    must be a module-level function (it is pickled by name) whose results pickle."""
    sizes = [ITEM_OVERHEAD + size for size in (sizes if sizes is not None else
                                                [0] * len(items))]
    most = min(jobs or available_cores(), len(items))
    began = cpu_sample()
    left = sum(sizes)
    spent = measured = 0.0
    for index, item in enumerate(items):
        if min(most, len(items) - index) > 1 and measured \
                and spent / measured * left > WORTH_WORKERS \
                and time.monotonic() - began.when >= SAMPLE:
            workers = min(most, len(items) - index, free_cores(began))
            if workers > 1:
                pooled = _in_pool(function, items[index:], workers)
                _POOLED.add(pooled)
                yield from pooled
                return
            most = 1  # the machine is busy: the rest is done here
        started = time.perf_counter()
        result = function(item)
        if index:  # the first item pays for the imports: it would mislead the estimate
            spent += time.perf_counter() - started
            measured += sizes[index]
        left -= sizes[index]
        yield result


def _in_pool(function: Callable[[Item], Result], items: Sequence[Item],
             workers: int) -> Iterator[Result]:
    """``function`` over ``items`` in ``workers`` processes, results in order. Items go
    in chunks, with a few chunks per worker in flight so that results never pile up
    far ahead of their reader. A chunk's results come back as one pickle, unpickled
    here with the garbage collector paused (many small objects that all stay alive)."""
    size = max(1, min(32, len(items) // (workers * 8)))
    chunks = deque(items[start:start + size] for start in range(0, len(items), size))
    task = functools.partial(_pickled, function)
    with _pool(workers) as pool:
        running = deque(pool.submit(task, chunk) for chunk in _take(chunks, 4 * workers))
        while running:
            blob = running.popleft().result()
            running.extend(pool.submit(task, chunk) for chunk in _take(chunks, 1))
            with gc_paused():
                results = pickle.loads(blob)
            yield from results


def _take(chunks: deque, count: int) -> list:
    """Up to ``count`` chunks from the left of ``chunks``."""
    return [chunks.popleft() for _ in range(min(count, len(chunks)))]


def _pickled(function: Callable[[Item], Result], chunk: Sequence[Item]) -> bytes:
    """``function`` of each item of a chunk, pickled as one list (runs in a worker)."""
    return pickle.dumps([function(item) for item in chunk], pickle.HIGHEST_PROTOCOL)


@contextmanager
def _pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A fork pool of ``workers`` processes that die with this one. On any exception
    (a signal's included) or an abandoned iteration the workers are killed at once
    instead of finishing their tasks, and the pool fails what was pending (cancelling
    it instead would race with that: Python 3.11 then prints a traceback from the
    pool's thread)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    _close_pooled_at_exit()
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(os.getpid(),))
    _RUNNING.add(pool)
    try:
        with _signals_stop_pools():
            yield pool
    except BaseException:
        _kill(pool)
        raise
    finally:
        _RUNNING.discard(pool)
        pool.shutdown(wait=True)


def _kill(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's workers now (SIGKILL: they hold nothing to clean up), so that it
    fails what was pending and ``shutdown`` returns.

    A worker killed while it sent a result leaves half a message in the pipe, and the
    pool's thread would wait for the rest forever (this process holds the pipe's other
    end too): once the workers are gone, that end is closed so that the thread reads
    the end of the pipe instead. Both are the pool's own attributes, as in Python 3.10
    to 3.13; ``tests/test_workers.py`` kills pools mid-run to keep that true."""
    import multiprocessing.connection
    processes = list((pool._processes or {}).values())
    for process in processes:
        process.kill()  # a no-op for a worker already gone
    multiprocessing.connection.wait([process.sentinel for process in processes])
    if pool._result_queue is not None:  # None once the pool is shut down
        with contextlib.suppress(OSError):
            pool._result_queue._writer.close()


def _close_pooled() -> None:
    """Close every iteration still in a pool when the interpreter exits, which kills
    its workers. One abandoned by an exception (a full disk under the report, a broken
    pipe) would otherwise keep the process alive until the pool's pending work is done
    (Python joins its pools' threads before it tears anything down), then fail to clean
    up after the module was torn down."""
    for pooled in list(_POOLED):
        pooled.close()


@functools.cache
def _close_pooled_at_exit() -> None:
    """Have :func:`_close_pooled` run at exit before Python joins the pools' threads:
    registered once, after ``concurrent.futures`` registered its own hook (the hooks
    run newest first)."""
    threading._register_atexit(_close_pooled)


@contextmanager
def _signals_stop_pools() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGINT kill the running pools' workers, then
    unwind this process: SIGTERM as ``SystemExit(128 + 15)``, SIGINT as
    ``KeyboardInterrupt``. Only the main thread can set handlers, and a signal the
    process was told to ignore stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        if signal.getsignal(signum) is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, _stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def _stop(signum: int, _frame) -> None:
    """The handler of :func:`_signals_stop_pools`."""
    for pool in list(_RUNNING):
        _kill(pool)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + signum)


def _start_worker(parent: int) -> None:
    """Set up a worker (its pool's initializer): Ctrl-C is the parent's to handle,
    SIGTERM kills, and the worker dies with its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not _die_with_parent():
        threading.Thread(target=_watch, args=(parent,), name="flowgraph-watch-parent",
                         daemon=True).start()
    if os.getppid() != parent:  # the parent died before the worker was set up
        os._exit(1)


def _die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux); False
    where that cannot be asked (the watchdog, :func:`_watch`, then does it)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    """Exit this worker once ``parent`` is no longer its parent (it died and the
    worker was adopted): the fallback where the kernel cannot be asked."""
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


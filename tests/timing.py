"""Time bounds that a busy machine does not break.

A test that proves some work is bounded ("refused within a second") measures the CPU
time this process spends on it (all its threads), not the wall clock: with a pytest-xdist
worker on each core of a machine that runs other work too, a second of work can take
several seconds of wall time, while its CPU time stays what it is. The unbounded cases
these tests guard against cost tens of seconds of CPU, far beyond the bounds.

The wall clock is checked too, with room (five times the bound by default), so that
waiting, which costs no CPU (a read blocked on a named pipe, a sleep), is still caught.
"""
from __future__ import annotations

import time
from contextlib import contextmanager


class Stopwatch:
    """CPU and wall seconds since it was made."""

    def __init__(self) -> None:
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def check(self, seconds: float, wall: float | None = None, about: str = "") -> None:
        """Assert at most ``seconds`` of CPU and ``wall`` (default 5 × ``seconds``) of
        wall time were spent."""
        cpu, waited = time.process_time() - self.cpu, time.perf_counter() - self.wall
        wall = 5 * seconds if wall is None else wall
        assert cpu < seconds, f"took {cpu:.2f} s of CPU, over {seconds} s: {about}"
        assert waited < wall, f"took {waited:.1f} s, over {wall} s (waiting?): {about}"


@contextmanager
def within(seconds: float, wall: float | None = None):
    """The block spends under ``seconds`` of CPU and ``wall`` of wall time (see above)."""
    watch = Stopwatch()
    yield
    watch.check(seconds, wall)

"""Auditing many files: expanding the inputs, reading each file, collecting results.

Inputs may be files, directories (searched recursively for the formats flowgraph reads,
hidden entries skipped) and glob patterns (``flowcharts/**/*.yaml``). Every file is
read and audited on its own: a file that cannot be read becomes a result with its error
and the batch carries on. Results come in a deterministic order (inputs in the order
given, directory contents sorted), whatever the number of processes.

Files are audited in this process and, when the batch is large enough to pay for
them, in at most ``jobs`` worker processes (:mod:`flowgraph.workers`: never more than
the cores or the files, and never outliving the command); the results stream back in
order; each result keeps its flowcharts' steps and findings but not their
graphs, so a batch of 100,000 files does not hold 100,000 graphs. With a ``cache``
folder, a file whose bytes, configuration and flowgraph version are unchanged is not
read again: its result comes from the cache (pickles: keep the folder private, like
any cache of a tool you run).
"""
from __future__ import annotations

import functools
import glob
import hashlib
import os
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path

from .analysis import assess
from .config import Config
from .errors import FlowgraphError, LoadError
from .i18n import Text
from .io import FORMATS, format_of, load_all
from .model import Flowchart
from .results import ChartResult, FileRead, FileResult


def expand_inputs(inputs: Iterable[str]) -> Iterator[tuple[str, FlowgraphError | None]]:
    """Each file to read, or the error of an input that names nothing."""
    seen: set[str] = set()

    def emit(path: str):
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            yield path, None

    for given in inputs:
        if os.path.isdir(given):
            found = _walk(given)
            if not found:
                suffixes = ", ".join(sorted(FORMATS))
                yield given, LoadError(Text(f"目录中没有流程图文件 (查找: {suffixes})",
                                            f"no flowchart files in this directory "
                                            f"(looked for {suffixes})"), given)
            for path in found:
                yield from emit(path)
        elif os.path.exists(given):
            yield from emit(given)
        elif glob.has_magic(given):
            matched = sorted(glob.glob(given, recursive=True))
            if not matched:
                yield given, LoadError(Text("没有文件与该模式匹配", "no file matches the pattern"),
                                       given)
            for path in matched:
                if os.path.isdir(path):
                    for inner in _walk(path):
                        yield from emit(inner)
                elif format_of(path) is not None:
                    yield from emit(path)
        else:
            yield given, LoadError(Text("文件或目录不存在", "no such file or directory"), given)


def _walk(directory: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, name) for name in sorted(files)
                     if not name.startswith(".") and format_of(name) is not None)
    return sorted(found, key=lambda p: Path(p).parts)


def read_file(path: str, config: Config) -> list[Flowchart]:
    """Every flowchart of one file, with the side file's actors applied."""
    charts = load_all(path, config.max_file_size, config.supervisory_names)
    if config.side_actors:
        from .io.actors_file import apply_actors
        charts = [apply_actors(chart, config.side_actors) for chart in charts]
    return charts


def read_paths(inputs: Iterable[str], config: Config) -> Iterator[FileRead]:
    """Every file the inputs name, read but not audited (``flowgraph check``)."""
    for path, error in expand_inputs(inputs):
        if error is None:
            try:
                yield FileRead(path, read_file(path, config))
                continue
            except FlowgraphError as exc:
                error = exc
        yield FileRead(path, error=error)


def audit_file(path: str, config: Config) -> FileResult:
    """Read one file and audit each of its flowcharts."""
    try:
        charts = read_file(path, config)
        results = []
        for chart in charts:
            assessment = assess(chart, config)
            chart.release()
            results.append(ChartResult(chart, assessment.findings, assessment.grades))
        return FileResult(path, results)
    except FlowgraphError as error:
        return FileResult(path, error=error)
    except Exception as exc:  # a bug must not stop the batch or show a traceback
        return FileResult(path, error=FlowgraphError(Text(
            f"内部错误 (请报告此问题): {type(exc).__name__}: {exc}",
            f"internal error (please report it): {type(exc).__name__}: {exc}"), path))


def audit_paths(inputs: Iterable[str | tuple[str, FlowgraphError | None]], config: Config,
                jobs: int | None = 1, cache: str | os.PathLike | None = None,
                client=None) -> Iterator[FileResult]:
    """Audit every file the inputs name, one result per file, in order.

    ``inputs`` are paths, directories and globs, or what :func:`expand_inputs` made of
    them; ``jobs``: processes (None: all cores); ``cache``: a folder of earlier results;
    ``client``: a Dask client (:func:`dask_client`) whose cluster audits the files
    instead of local processes.
    """
    inputs = list(inputs)
    items = inputs if all(isinstance(i, tuple) for i in inputs) and inputs \
        else list(expand_inputs(inputs))
    paths = [path for path, error in items if error is None]
    results = _audited(paths, config, jobs, Cache(cache, config) if cache else None, client)
    for path, error in items:
        yield FileResult(path, error=error) if error is not None else next(results)


def _audited(paths: list[str], config: Config, jobs: int | None,
             cache: Cache | None, client=None) -> Iterator[FileResult]:
    """The results of ``paths`` in order, from the cache, from a Dask cluster or from
    this process and, when the batch is worth them, at most ``jobs`` worker processes
    (:func:`flowgraph.workers.ordered_map`)."""
    keys = [cache.key(path) for path in paths] if cache else [None] * len(paths)
    hits = {i: cache.get(key) for i, key in enumerate(keys) if key is not None} \
        if cache else {}
    todo = [path for i, path in enumerate(paths) if hits.get(i) is None]
    if client is not None:
        fresh = _on_cluster(client, todo, config)
    else:
        from .workers import ordered_map
        fresh = ordered_map(functools.partial(audit_file, config=config), todo, jobs,
                            [_size(path) for path in todo])
    for i in range(len(paths)):
        result = hits.get(i)
        if result is None:
            result = next(fresh)
            if cache and keys[i] is not None:
                cache.put(keys[i], result)
        yield result
    next(fresh, None)  # run it to its end: its workers, if any, are shut down


def _size(path: str) -> int:
    """The size of a file to audit, 0 when it cannot be told (its audit will say why)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def dask_client(address: str):
    """A client of the Dask cluster at ``address`` (``tcp://host:8786``), or a
    FlowgraphError saying why there is none. Dask is an optional extra."""
    try:
        from distributed import Client
    except ImportError:
        raise FlowgraphError(Text(
            "--executor dask 需要安装可选组件: pip install 'flowgraph[dask]'",
            "--executor dask needs the optional extra: pip install 'flowgraph[dask]'")) \
            from None
    try:
        return Client(address, set_as_default=False, timeout=10)
    except (OSError, ValueError, TypeError) as exc:
        raise FlowgraphError(Text(f"无法连接 Dask 调度器 {address}: {exc}",
                                  f"cannot connect to the Dask scheduler {address}: {exc}")) \
            from None


def _on_cluster(client, paths: list[str], config: Config) -> Iterator[FileResult]:
    """Results audited on a Dask cluster, in order, with a bounded number of files in
    flight so that results stream as they do locally. The workers read the files by
    their absolute paths: they must see the same file system. Each result keeps the
    path as the user gave it."""
    from collections import deque
    window = max(64, 8 * sum(client.nthreads().values()))
    pending: deque = deque()
    remaining = iter(paths)

    def submit() -> None:
        path = next(remaining, None)
        if path is not None:
            future = client.submit(audit_file, os.path.abspath(path), config, pure=False)
            pending.append((path, future))

    for _ in range(window):
        submit()
    while pending:
        path, future = pending.popleft()
        try:
            result = future.result()
        except Exception as exc:  # a worker lost, the cluster gone: this file only
            result = FileResult(path, error=FlowgraphError(Text(
                f"Dask 集群未能审查此文件: {type(exc).__name__}: {exc}",
                f"the Dask cluster could not audit this file: {type(exc).__name__}: {exc}"),
                path))
        future.release()
        submit()
        result.path = path
        if result.error is not None and result.error.path is not None:
            result.error.path = path
        yield result


class Cache:
    """Earlier results, keyed by a file's bytes, the configuration and the version."""

    def __init__(self, folder: str | os.PathLike, config: Config):
        from .version import __version__
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.salt = hashlib.sha256(pickle.dumps((__version__, config))).digest()
        self.max_size = config.max_file_size

    def key(self, path: str) -> str | None:
        try:
            with open(path, "rb") as stream:
                data = stream.read(self.max_size + 1)
        except OSError:
            return None  # audit_file reports it
        return hashlib.sha256(self.salt + path.encode() + b"\0" + data).hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> FileResult | None:
        try:
            with open(self._file(key), "rb") as stream:
                return pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # missing or unreadable entries are recomputed

    def put(self, key: str, result: FileResult) -> None:
        from .files import write_atomic
        write_atomic(self._file(key), pickle.dumps(result, pickle.HIGHEST_PROTOCOL))



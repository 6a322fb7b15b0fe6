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

import dataclasses
import errno
import fnmatch
import functools
import gc
import glob
import hashlib
import os
import pickle
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from .analysis import assess
from .config import Config
from .errors import FlowgraphError, LoadError
from .gc_paused import gc_paused
from .i18n import Text
from .io import FORMATS, Charts, cannot_read, format_of, load_all, not_regular
from .io.actors_file import beside_stamps, is_side_name
from .model import Actor, Edge, Finding, Position, Reason, Stakes, Step, StepGrade
from .results import ChartResult, FileRead, FileResult


def expand_inputs(inputs: Iterable[str]) -> Iterator[tuple[str, FlowgraphError | None]]:
    """Each file to read, or the error of an input that names nothing or cannot be read.

    A folder is walked (:func:`_walk`) and a glob pattern matched (:func:`_glob`) the
    same way: hidden entries skipped, symbolic links within not followed, no real
    folder visited twice. Only regular files are read: a named pipe, a device or a
    socket, given or found, is refused here at once (whoever opened it, a reader or the
    cache, would wait for ever), and so is a folder that cannot be read, each with a
    one-line error naming it; the rest of the batch goes on.
    """
    seen: set[str] = set()
    visited: set[tuple[int, int]] = set()  # the real folders walked, by device and inode

    def emit(items: Iterable[tuple[str, FlowgraphError | None]]):
        for path, error in items:
            key = os.path.normpath(path)
            if key not in seen:
                seen.add(key)
                yield path, error

    for given in inputs:
        try:
            info = os.stat(given)
        except OSError as error:
            if error.errno in (errno.ENOENT, errno.ENOTDIR) and glob.has_magic(given):
                yield from emit(_glob(given, visited))
            elif error.errno in (errno.ENOENT, errno.ENOTDIR):
                yield given, LoadError(Text("文件或目录不存在", "no such file or directory"),
                                       given)
            else:
                yield given, cannot_read(error, given)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from emit(_walk(given, visited, info))
        else:
            refused = not_regular(info.st_mode)
            yield from emit([(given, None if refused is None else LoadError(refused, given))])


def _walk(folder: str, visited: set[tuple[int, int]],
          info: os.stat_result | None = None) -> list[tuple[str, FlowgraphError | None]]:
    """The flowchart files of a folder and its sub-folders, in order, with an error for
    each entry that should have been read and cannot be: a folder that cannot be
    listed, a file that is not a regular file, a link leading to something the walk
    does not find. Hidden entries (a name starting with ``.``) are skipped.

    Symbolic links are not followed: a link to a file or folder within the folder
    walked is skipped (the walk finds the target at its own place), any other link
    (leading outside, to a hidden entry, to nothing) is reported, never read: a folder
    is audited as what it holds, and a unit's file cannot make the audit read the
    analyst's other files. A real folder is walked once, whatever leads to it twice
    (a bind mount, the same folder given twice), so that no walk loops. When nothing
    is found, the folder itself is the error (``no flowchart files``)."""
    walked = info is not None and _key(info) in visited
    found = list(_entries(folder, [], None, _real(folder), visited, info))
    if not found and not walked:
        suffixes = ", ".join(sorted(FORMATS))
        found = [(folder, LoadError(Text(f"目录中没有流程图文件 (查找: {suffixes})",
                                         f"no flowchart files in this directory "
                                         f"(looked for {suffixes})"), folder))]
    return found


def _key(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _real(path: str) -> str:
    return os.path.realpath(path)


def _entries(folder: str, parts: list[str], pattern: list[str] | None, top: str,
             visited: set[tuple[int, int]], info: os.stat_result | None = None
             ) -> Iterator[tuple[str, FlowgraphError | None]]:
    """What a folder holds, depth first in name order: with ``pattern`` (the parts of
    a glob below the folder where the walk began, ``parts`` the names walked so far),
    only the entries it matches, and only into folders it can still match; without,
    every flowchart file. ``top`` is the real path of the folder where the walk began
    (links leading out of it are reported)."""
    try:
        info = info or os.stat(folder)
        if _key(info) in visited:
            return
        visited.add(_key(info))
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        yield folder, _folder_error(error, folder)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        states = None if pattern is None else _advance(pattern, parts, entry.name)
        if states is not None and not states:
            continue
        yield from _entry(entry, [*parts, entry.name], pattern, top, visited, states)


def _entry(entry: os.DirEntry, parts: list[str], pattern: list[str] | None, top: str,
           visited: set[tuple[int, int]], states: set[int] | None
           ) -> Iterator[tuple[str, FlowgraphError | None]]:
    """One entry of a folder walked: a folder walked in turn, a flowchart file, a link
    checked (:func:`_link`), or a special file refused."""
    matched = states is None or len(pattern) in states
    if is_side_name(entry.name):  # actors beside the flowcharts, not a flowchart
        return
    try:
        if entry.is_symlink():
            if entry.is_dir() or matched and format_of(entry.name) is not None:
                error = _link(entry.path, top, pattern)
                if error is not None:
                    yield entry.path, error
            return
        if entry.is_dir(follow_symlinks=False):
            inner = None if matched else pattern
            yield from _entries(entry.path, [] if matched else parts, inner, top, visited)
            return
        if not matched or format_of(entry.name) is None:
            return
        refused = None if entry.is_file(follow_symlinks=False) else \
            not_regular(entry.stat(follow_symlinks=False).st_mode)
    except OSError as error:
        yield entry.path, cannot_read(error, entry.path)
        return
    yield entry.path, None if refused is None else LoadError(refused, entry.path)


def _folder_error(error: OSError, folder: str) -> LoadError:
    """The error of a folder that cannot be listed, in plain words."""
    reason = cannot_read(error, folder).message
    return LoadError(Text(f"无法读取文件夹: {reason.zh}", f"cannot read the folder: {reason.en}"),
                     folder)


def _link(path: str, top: str, pattern: list[str] | None) -> LoadError | None:
    """None when the walk finds what the link at ``path`` leads to at its own place
    (within ``top``, the real folder where the walk began, not hidden, a folder or a
    flowchart file, matched by the glob's ``pattern`` if any), else the error saying
    why the link is not followed."""
    try:
        target = os.path.realpath(path, strict=True)
    except OSError:
        return LoadError(Text("符号链接指向不存在的目标 (或形成循环), 未读取",
                              "a symbolic link to nothing (or a loop): not followed"), path)
    try:
        inside = os.path.relpath(target, top).split(os.sep)
    except ValueError:  # on another drive
        inside = [os.pardir]
    if inside[0] == os.pardir:
        return LoadError(Text("符号链接指向所审查的文件夹之外, 未读取 (如需审查, 请直接给出其目标)",
                              "a symbolic link leading outside the folder: not followed "
                              "(give its target to audit it)"), path)
    inside = [part for part in inside if part != os.curdir]
    if not inside:  # the folder walked itself
        return None
    folder = os.path.isdir(target)
    if any(part.startswith(".") for part in inside) or \
            not folder and format_of(target) is None or \
            pattern is not None and not _found(pattern, inside, folder):
        return LoadError(Text("符号链接指向本次不审查的位置, 未读取 (如需审查, 请直接给出其目标)",
                              "a symbolic link to a place this walk does not audit: not followed "
                              "(give its target to audit it)"), path)
    return None


def _found(pattern: list[str], parts: list[str], folder: bool) -> bool:
    """Whether a glob walk finds the entry at ``parts`` below its folder: the pattern
    matches it or a folder holding it (which is then walked whole), or, for a folder,
    the walk goes into it (the pattern can still match below)."""
    for depth in range(1, len(parts) + 1):
        states = _advance(pattern, parts[:depth - 1], parts[depth - 1])
        if len(pattern) in states:
            return True
        if not states:
            return False
    return folder


def _glob(pattern: str, visited: set[tuple[int, int]]
          ) -> list[tuple[str, FlowgraphError | None]]:
    """The files a glob pattern matches (``**`` any depth of folders), as a walk from
    the folder its pattern starts below (:func:`_entries`): matched folders are walked,
    matched files kept if flowgraph reads them. ``no file matches`` when none does."""
    head, parts = _split_pattern(pattern)
    folder = head or os.curdir
    found = list(_entries(folder, [], parts, _real(folder), visited)) \
        if os.path.isdir(folder) else []
    if not head:  # as the pattern says it: a.yaml, not ./a.yaml
        found = [(path.removeprefix(os.curdir + os.sep), error) for path, error in found]
    return found or [(pattern, LoadError(Text("没有文件与该模式匹配",
                                              "no file matches the pattern"), pattern))]


def _split_pattern(pattern: str) -> tuple[str, list[str]]:
    """A glob pattern as the folder before its first wildcard and the parts after."""
    parts = pattern.split(os.sep)
    first = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    head = os.sep.join(parts[:first]) or (os.sep if pattern.startswith(os.sep) else "")
    return head, [part for part in parts[first:] if part]


def _advance(pattern: list[str], parts: list[str], name: str) -> set[int]:
    """The parts of ``pattern`` a path may have matched once it goes on to ``name``
    after ``parts`` (an automaton over the parts: ``**`` matches any number of folders,
    other parts one name each, as :mod:`fnmatch` does; the walk skips hidden names
    before they are matched). Empty when no match is possible below."""
    states = _closure(pattern, {0})
    for step in [*parts, name]:
        after = set()
        for state in states:
            if state == len(pattern):
                continue
            if pattern[state] == "**":
                after.add(state)
            elif fnmatch.fnmatchcase(step, pattern[state]):
                after.add(state + 1)
        states = _closure(pattern, after)
    return states


def _closure(pattern: list[str], states: set[int]) -> set[int]:
    """``states`` and those reached by letting a ``**`` match no folder."""
    result, todo = set(states), list(states)
    while todo:
        state = todo.pop()
        if state < len(pattern) and pattern[state] == "**" and state + 1 not in result:
            result.add(state + 1)
            todo.append(state + 1)
    return result


def read_file(path: str, config: Config) -> Charts:
    """Every flowchart of one file, with the side actors of its unit applied (those
    given, else those beside it: :func:`~flowgraph.io.actors_file.side_for`), and the
    warnings of a file that gave none (:class:`~flowgraph.io.Charts`)."""
    from .io.actors_file import side_for
    charts = load_all(path, config.reading)
    side = side_for(path, config.side_actors, config.max_file_size)
    return charts if side is None else Charts([side.apply(chart) for chart in charts],
                                              charts.warnings)


def read_paths(inputs: Iterable[str], config: Config) -> Iterator[FileRead]:
    """Every file the inputs name, read but not audited (``flowgraph check``)."""
    for path, error in expand_inputs(inputs):
        if error is None:
            try:
                charts = read_file(path, config)
                yield FileRead(path, charts, warnings=charts.warnings)
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
        return FileResult(path, results, warnings=charts.warnings)
    except FlowgraphError as error:
        return FileResult(path, error=error)
    except Exception as exc:  # a bug must not stop the batch or show a traceback
        return FileResult(path, error=FlowgraphError(Text(
            f"内部错误 (请报告此问题): {type(exc).__name__}: {exc}",
            f"internal error (please report it): {type(exc).__name__}: {exc}"), path))


def audit_paths(inputs: Iterable[str | tuple[str, FlowgraphError | None]], config: Config,
                jobs: int | None = 1, cache: Cache | str | os.PathLike | None = None,
                client=None) -> Iterator[FileResult]:
    """Audit every file the inputs name, one result per file, in order.

    ``inputs`` are paths, directories and globs, or what :func:`expand_inputs` made of
    them; ``jobs``: processes at most (None: the cores); ``cache``: a :class:`Cache`
    or its folder of earlier results; ``client``: a Dask client (:func:`dask_client`)
    whose cluster audits the files instead of local processes.
    """
    inputs = list(inputs)
    items = inputs if all(isinstance(i, tuple) for i in inputs) and inputs \
        else list(expand_inputs(inputs))
    paths = [path for path, error in items if error is None]
    if cache is not None and not isinstance(cache, Cache):
        cache = Cache(cache, config)
    results = _audited(paths, config, jobs, cache, client)
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


#: Seconds a Dask scheduler has to answer (the connection, then the handshake).
CONNECT_TIMEOUT = 5.0
#: The schemes of Dask's addresses; a bare ``host:port`` is ``tcp``.
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
_HOST = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252}[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\]")


def dask_client(address: str, timeout: float = CONNECT_TIMEOUT):
    """A client of the Dask cluster at ``address`` (``tcp://host:8786``), or a
    FlowgraphError saying why there is none, within about twice ``timeout`` seconds.
    Dask is an optional extra.

    The address is checked first (:func:`scheduler_address`), and the scheduler's port
    is tried with a plain connection, so that a typo or a scheduler that is not there
    is one line at once rather than Dask's retries and a traceback when the failed
    client is collected at exit. Dask's own wait is bounded too: a server that accepts
    the connection and never answers would keep its client waiting for ever."""
    host, port = scheduler_address(address)
    try:
        from distributed import Client
    except ImportError:
        raise FlowgraphError(Text(
            "--executor dask 需要安装可选组件: pip install 'flowgraph[dask]'",
            "--executor dask needs the optional extra: pip install 'flowgraph[dask]'")) \
            from None
    if port is not None:
        import socket
        problem = _within(timeout, socket.create_connection, (host, port), timeout)
        if isinstance(problem, socket.socket):
            problem.close()
        else:
            raise _cannot_connect(address, problem)
    client = _within(timeout, Client, address, set_as_default=False, timeout=timeout)
    if isinstance(client, Text):
        gc.collect()  # close a failed client now, while its event loop still runs
        raise _cannot_connect(address, client)
    return client


def scheduler_address(address: str) -> tuple[str | None, int | None]:
    """The host and port of a Dask scheduler's address (``tcp://host:8786``,
    ``tls://[::1]:8786``, ``host:8786``), None for an ``inproc://`` address; a
    FlowgraphError naming what is wrong with any other."""
    scheme, separator, rest = address.partition("://")
    if not separator:
        scheme, rest = "tcp", address
    if scheme == "inproc" and rest:
        return None, None
    host, colon, port = rest.rpartition(":")
    if scheme not in SCHEMES or not colon or not _HOST.fullmatch(host) \
            or not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        raise FlowgraphError(Text(
            f"--scheduler: “{address}” 不是 Dask 调度器地址 (应为 tcp://主机:端口; "
            f"协议: {', '.join(SCHEMES)})",
            f"--scheduler: '{address}' is not a Dask scheduler address (expected "
            f"tcp://host:port; schemes: {', '.join(SCHEMES)})"))
    return host.strip("[]"), int(port)


def _within(limit: float, function, /, *args, **kwargs):
    """``function(*args, **kwargs)``, or why it failed or did not return within
    ``limit`` seconds (a Text; a call still waiting is left to its daemon thread)."""
    import threading
    outcome: list = []

    def call() -> None:
        try:
            outcome.append(function(*args, **kwargs))
        except Exception as exc:  # every failure to connect is the user's one line
            reason = (exc.strerror if isinstance(exc, OSError) and exc.strerror else
                      f"{type(exc).__name__}: {exc}")
            outcome.append(Text(reason, reason))

    attempt = threading.Thread(target=call, name="flowgraph-dask-connect", daemon=True)
    attempt.start()
    attempt.join(limit + 0.5)  # Dask's own timeout, if it keeps it, comes first
    if not outcome:
        return Text(f"{limit:g} 秒内没有应答", f"no answer within {limit:g} s")
    return outcome[0]


def _cannot_connect(address: str, problem: Text) -> FlowgraphError:
    return FlowgraphError(Text(f"无法连接 Dask 调度器 {address}: {problem.zh}",
                               f"cannot connect to the Dask scheduler {address}: "
                               f"{problem.en}"))


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
    """Earlier results, keyed by a file's bytes, its path, the configuration and the
    version of flowgraph and of its results' layout.

    An entry is ``FOLDER/<2 hex>/<key>.pickle``: :data:`HEADER`, the SHA-256 of the
    pickle, the pickle. Opening a cache checks that its folder can be used
    (:meth:`open_folder`): otherwise a FlowgraphError says why, before any work. An
    entry that is not whole, not flowgraph's, of another layout or not a result is
    discarded and its file audited again; a result that cannot be stored (a full
    disk, a shard's name taken by a file) is counted in :attr:`failures` and the
    batch carries on.

    What the header and the digest do not defend against: anyone who can write to
    the folder can make a valid entry, and unpickling it runs their code. That is why
    the folder must be the user's own and writable by no one else.
    """

    #: The first bytes of every entry: what wrote it and the entries' format.
    HEADER = b"flowgraph cache 2\n"

    def __init__(self, folder: str | os.PathLike, config: Config):
        from .version import __version__
        self.folder = Path(folder)
        self.open_folder()
        self.salt = hashlib.sha256(pickle.dumps((__version__, _layout(), config))).digest()
        self.max_size = config.max_file_size
        #: Whether a result depends on the side files beside its file (none given).
        self.beside = config.side_actors is None
        #: Results that could not be stored: how many, and the first one's reason.
        self.failures = 0
        self.first_failure: str | None = None

    def open_folder(self) -> None:
        """Create the folder (private) if need be and check that it can be used: a
        folder, the user's own, writable by no one else, and writable. A FlowgraphError
        naming the folder says what is wrong."""
        def refuse(zh: str, en: str) -> FlowgraphError:
            return FlowgraphError(Text(f"缓存目录不可用: {zh}", f"unusable cache folder: {en}"),
                                  str(self.folder))
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            status = self.folder.stat()
        except OSError as exc:
            raise refuse(exc.strerror or str(exc), exc.strerror or str(exc)) from None
        if hasattr(os, "geteuid") and (status.st_uid != os.geteuid()
                                       or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            raise refuse("它属于其他用户或可被其他用户写入; 能写入缓存的人能以你的身份运行代码 "
                         "(请使用私有目录, 如 chmod go-w)",
                         "it belongs to another user or others may write to it, and whoever "
                         "can write to a cache can run code as you (use a private folder: "
                         "chmod go-w)")
        import tempfile
        try:
            descriptor, probe = tempfile.mkstemp(dir=self.folder, prefix=".flowgraph-")
            os.close(descriptor)
            os.unlink(probe)
        except OSError as exc:
            raise refuse(f"无法写入: {exc.strerror}", f"cannot write to it: {exc.strerror}") \
                from None

    def key(self, path: str) -> str | None:
        """The key of a file's result, None when the file cannot be read as a regular
        file (its audit will say why; a FIFO is never waited on)."""
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                return None
            data = os.read(descriptor, min(status.st_size, self.max_size) + 1)
        except OSError:
            return None
        finally:
            os.close(descriptor)
        side = repr(beside_stamps(path)).encode() if self.beside else b""
        return hashlib.sha256(self.salt + os.fsencode(path) + b"\0" + side + b"\0" + data
                              ).hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> FileResult | None:
        """The stored result, or None when there is none or it cannot be trusted to be
        whole and flowgraph's (it is then audited again, and stored anew)."""
        try:
            with open(self._file(key), "rb") as stream:
                entry = stream.read()
        except (OSError, MemoryError):
            return None
        start = len(self.HEADER) + hashlib.sha256().digest_size
        payload = entry[start:]
        if not entry.startswith(self.HEADER) or \
                hashlib.sha256(payload).digest() != entry[len(self.HEADER):start]:
            return None
        try:
            with gc_paused():
                result = pickle.loads(payload)
        except Exception:  # an entry of another layout: recomputed
            return None
        return result if isinstance(result, FileResult) else None

    def put(self, key: str, result: FileResult) -> None:
        """Store a result; a failure is counted, never raised (the audit goes on)."""
        from .files import write_atomic
        payload = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        try:
            write_atomic(self._file(key), self.HEADER + hashlib.sha256(payload).digest()
                         + payload)
        except OSError as exc:
            self.failures += 1
            if self.first_failure is None:
                self.first_failure = f"{self._file(key)}: {exc.strerror or exc}"


def _layout() -> tuple:
    """The fields of everything a result pickles, which its pickles depend on (the
    model's records pickle as constructor calls with their fields in order)."""
    return tuple((kind.__name__, tuple(f.name for f in dataclasses.fields(kind)))
                 for kind in (Actor, Edge, Finding, Position, Reason, Stakes, Step,
                              StepGrade, ChartResult, FileResult))

"""Writing outputs: the output policy, in one place (docs/security.md, "Threat model").

Inputs come from other units and are untrusted; outputs go to offices that open them in
Excel, browsers and modelling tools; flowgraph may run as root. So every file and
folder flowgraph writes goes through this module, and:

- an output is never an input of the same run (:func:`refuse_inputs`,
  :func:`refuse_folder`): the caller names every path the run reads (files given and
  found, the other tables of a CSV set, the side file of actors, the configuration
  file), and a folder being replaced may contain none of them, nor the current folder;
- an output is never a device, FIFO, socket or folder where a file is asked for (nor a
  symbolic link to one) (:func:`refuse_special`): ``-o /dev/null`` as root must not
  replace the system's node;
- an output stays in the folder asked for: a name taken from an input (a flowchart id,
  a DOT graph's name) becomes a file name only through :func:`safe_name`;
- a file is written to a temporary file beside it and renamed into place
  (:func:`write_atomic`), a folder is built beside its destination and swapped in
  (:func:`replace_folder`, under a lock, atomically where Linux can exchange two names):
  a crash, a full disk, a signal or a concurrent run leaves the previous output or the
  new one, never half of one. Temporaries carry the host and process that made them,
  so that those a killed process left are removed by the next run;
- text reaches a file as text: control characters that XML, spreadsheets or terminals
  cannot carry are shown as escapes (:func:`printable`), and a cell that a spreadsheet
  would evaluate as a formula is neutralised (:func:`cell_text`).

A refusal is an :class:`OutputRefused` carrying its message in Chinese and English
(:class:`CannotWrite` when the system refuses: a read-only folder, a name too long); the
caller turns it into the one-line error the user sees. The module imports nothing of
flowgraph: the policy does not depend on what is being written.
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path


class OutputRefused(Exception):
    """An output the policy does not allow, with the reason in both languages."""

    def __init__(self, path: str | os.PathLike, zh: str, en: str):
        path = os.fspath(path)
        super().__init__(f"{path}: {en}")
        self.path = path
        self.zh = zh
        self.en = en


class CannotWrite(OutputRefused, OSError):
    """The system refused to write an output (a read-only folder, a part of the path
    that is a file, a name too long, a full disk). Also an :class:`OSError`, so that
    callers that handle the system's errors (the cache) still do."""

    #: Plain words for the errors an analyst meets, by ``errno``.
    REASONS = {
        errno.EACCES: ("没有写入权限", "permission denied"),
        errno.EPERM: ("没有写入权限", "permission denied"),
        errno.EROFS: ("文件系统只读", "the file system is read-only"),
        errno.ENOTDIR: ("所给位置中有一部分是文件，不是文件夹",
                        "a part of the path is a file, not a folder"),
        errno.EEXIST: ("所给位置中有一部分是文件，不是文件夹",
                       "a part of the path is a file, not a folder"),
        errno.ENAMETOOLONG: ("名称过长，文件系统不接受",
                             "the name is too long for the file system"),
        errno.ENOSPC: ("磁盘已满", "the disk is full"),
        errno.EDQUOT: ("磁盘配额已满", "the disk quota is exhausted"),
        errno.ELOOP: ("符号链接循环", "too many levels of symbolic links"),
    }

    @classmethod
    def of(cls, path: str | os.PathLike, error: OSError) -> CannotWrite:
        """The refusal for ``error``, raised while writing ``path``."""
        zh, en = cls.REASONS.get(error.errno, (error.strerror, error.strerror))
        refused = cls(path, f"无法写入：{zh or error}", f"cannot write: {en or error}")
        refused.errno = error.errno
        return refused


@contextlib.contextmanager
def _system_errors(path: str | os.PathLike) -> Iterator[None]:
    """Turn the system's refusal to write ``path`` into :class:`CannotWrite`."""
    try:
        yield
    except CannotWrite:
        raise
    except OSError as error:
        raise CannotWrite.of(path, error) from None


# -- text ---------------------------------------------------------------------------

#: Characters that XML 1.0 cannot carry or that no reader sees: the C0 controls, DEL,
#: the C1 controls, lone surrogates (bytes of a file name that were not UTF-8, kept by
#: Python as U+DC80..U+DCFF) and the non-characters U+FFFE and U+FFFF.
_HIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_HIDDEN_PATTERNS = {
    "\t\n\r": re.compile(f"[{_HIDDEN}]"),
    "": re.compile(f"[{_HIDDEN}\t\n\r]"),
}


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep: str = "\t\n\r") -> str:
    """``text`` with every character a file or a terminal cannot show written as a
    visible escape: ``\\x01``, ``\\x7f``, ``\\ufffe``; a byte of a file name that was not
    UTF-8 as that byte (``\\xff``). Tabs and line breaks stay unless ``keep`` is empty
    (a one-line message). Applied wherever text from a flowchart lands in XML, a
    spreadsheet, HTML or a terminal; the escapes read back as text, not as the
    characters (which XML 1.0 cannot carry at all).

    >>> printable("审批\\x01\\x0b")
    '审批\\\\x01\\\\x0b'
    """
    if text.isprintable():  # the common case, at C speed
        return text
    return _HIDDEN_PATTERNS[keep].sub(_escape, text)


#: First characters that make Excel, LibreOffice or Google Sheets read a cell as a
#: formula (OWASP's CSV injection, ASVS 5.0 1.2.10), with their full-width forms, which
#: East Asian input methods type and some spreadsheets read as the ASCII ones. NUL is
#: already an escape after :func:`printable`.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


#: Characters a spreadsheet cell holds (Excel's limit; a longer one makes it "repair"
#: the workbook, and it cuts a CSV cell there).
MAX_CELL = 32767


def cell_text(text: str) -> str:
    """``text`` as a spreadsheet cell (XLSX or CSV) that is never evaluated: its hidden
    characters escaped (:func:`printable`) and, when it starts like a formula, a single
    quote before it, as OWASP recommends. The quote stays in the text, so that a sheet
    saved again as CSV is still safe; the rest of the text is kept, up to
    :data:`MAX_CELL` characters (then "…"). A text whose quotes already precede a
    formula (``'=1``) gains one more, so that :func:`from_cell` gives back exactly the
    text written.

    >>> cell_text("=1+1"), cell_text("审批"), cell_text("a=b"), cell_text("'=1")
    ("'=1+1", '审批', 'a=b', "''=1")
    """
    text = printable(text)
    if _quoted_formula(text):
        text = "'" + text
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def _quoted_formula(text: str) -> bool:
    """Whether ``text``, after any single quotes it starts with, starts like a formula."""
    return text.lstrip("'").startswith(FORMULA_TRIGGERS)


def from_cell(text: str) -> str:
    """The text a cell written by :func:`cell_text` was given, for a reader of such
    workbooks (and of those units save, where Excel's leading quote likewise marks a
    text, not a formula): the one quote added before a formula is taken away.

    >>> from_cell("'=1+1"), from_cell("''=1"), from_cell("'引用'")
    ('=1+1', "'=1", "'引用'")
    """
    return text[1:] if text.startswith("'") and _quoted_formula(text) else text


def display_width(text: str) -> int:
    """The width of a text's longest line as a spreadsheet or terminal shows it, about:
    a Chinese character counts two columns. Counted from the text's UTF-8 length, at C
    speed (a city's ledger measures half a million cells): a character of three bytes
    (CJK, kana, Hangul, full-width forms and punctuation) counts two, ASCII one, one
    of two bytes (accented Latin, Greek, Cyrillic) one and a half, one of four (emoji,
    rare ideographs) two and a half.

    >>> display_width("审批科 A1"), display_width("ab\\n审批")
    (9, 4)
    """
    return max((len(line) + (len(line.encode("utf-8", "surrogatepass")) - len(line)) // 2
                for line in text.split("\n")), default=0)


#: The moment every workbook flowgraph writes says it was made, for the same bytes
#: from the same content.
FIXED_MOMENT = (2000, 1, 1, 0, 0, 0)


def workbook_bytes(book) -> bytes:
    """An openpyxl workbook saved as the bytes of an ``.xlsx`` file that are the same
    for the same content: the document's dates and every archive member's time stamp
    and permissions fixed (openpyxl would stamp the time of saving). The members are
    written once, as openpyxl writes them, not unpacked and packed again."""
    import datetime
    import io
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    class Archive(zipfile.ZipFile):
        """A zip archive whose members all carry :data:`FIXED_MOMENT`."""

        def _info(self, name: str) -> zipfile.ZipInfo:
            info = zipfile.ZipInfo(name, date_time=FIXED_MOMENT)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            return info

        def writestr(self, name, data, *args, **kwargs):
            if isinstance(name, str):
                name = self._info(name)
            super().writestr(name, data, *args, **kwargs)

        def write(self, filename, arcname=None, *_ignored, **_options):
            with open(filename, "rb") as source, \
                    self.open(self._info(arcname or os.path.basename(filename)), "w") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)

    moment = datetime.datetime(*FIXED_MOMENT)
    book.properties.created = book.properties.modified = moment
    buffer = io.BytesIO()
    ExcelWriter(book, Archive(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()


# -- names --------------------------------------------------------------------------

#: Bytes of a name made from an input, before its suffix: well under the 255 of common
#: file systems, leaving room for a suffix, a counter and a temporary file's prefix.
MAX_NAME_BYTES = 120
_SEPARATORS = re.compile(r"[/\\]+")
#: Characters no file name may hold on the systems reports are copied to (Windows
#: shares included), besides the hidden ones.
_UNSAFE = re.compile(f'[{_HIDDEN}\t\n\r/\\\\<>:"|?*]+')
#: Names Windows reserves whatever their suffix.
_RESERVED = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)(\..*)?", re.IGNORECASE)


def safe_name(text: str, used: set[str] | None = None, suffix: str = "",
              default: str = "chart") -> str:
    """A file name made from ``text`` (a flowchart id, a graph's name) that stays in
    the folder it is written to: no separators, no ``..`` nor leading dot, no control
    or reserved characters (each run of them becomes ``_``), at most
    :data:`MAX_NAME_BYTES` bytes of UTF-8 before ``suffix``, ``default`` when nothing
    is left, and unique within ``used`` (compared without case, as Windows and macOS
    do; ``-2``, ``-3`` … are added), which it updates.

    >>> safe_name("../../x", suffix=".yaml")
    'x.yaml'
    >>> used = set(); [safe_name(n, used) for n in ("a", "A", "a/", "b/c")]
    ['a', 'A-2', 'a-3', 'b_c']
    """
    parts = (part for part in _SEPARATORS.split(text) if part.strip(" ."))
    name = _UNSAFE.sub("_", "_".join(parts)).strip(" .")
    if _RESERVED.fullmatch(name):
        name = "_" + name
    name = _truncated(name, MAX_NAME_BYTES)
    if not name.strip("_"):  # nothing was left but replacements
        name = default
    if used is None:
        return name + suffix
    candidate, number = name, 1
    while (candidate + suffix).casefold() in used:
        number += 1
        tail = f"-{number}"
        candidate = _truncated(name, MAX_NAME_BYTES - len(tail)) + tail
    used.add((candidate + suffix).casefold())
    return candidate + suffix


def _truncated(text: str, limit: int) -> str:
    """The longest prefix of ``text`` whose UTF-8 takes at most ``limit`` bytes."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


# -- what may be written ------------------------------------------------------------

def _identity(path: str | os.PathLike) -> tuple[int, int] | None:
    """The file a path names (device and inode, through links), None if none."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def refuse_special(path: str | os.PathLike) -> None:
    """Raise :class:`OutputRefused` when ``path`` names something other than a regular
    file (or nothing): a folder, a device, a FIFO, a socket, or a link to one of them.
    Writing there would replace a device node with a file (as root, ``/dev/null``
    itself), block on a FIFO, or fail half-way. A path ending in a separator names a
    folder, whatever is there."""
    if os.fspath(path).endswith(("/", os.sep)):
        raise OutputRefused(path, "这是文件夹的名称，输出应为文件",
                            "names a folder; the output is a file")
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # nothing there yet (or a dangling link, which is replaced)
    except OSError as error:
        raise CannotWrite.of(path, error) from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise OutputRefused(path, "这是文件夹，输出应为文件", "is a folder; the output is a file")
    raise OutputRefused(path, "这是设备或特殊文件（FIFO、套接字），拒绝写入",
                        "is a device or special file (FIFO, socket); refusing to write to it")


def refuse_inputs(output: str | os.PathLike, inputs: Iterable[str | os.PathLike]) -> None:
    """Raise :class:`OutputRefused` when ``output`` is one of ``inputs`` (the same
    file, by any name or link), or is not a regular file (:func:`refuse_special`)."""
    refuse_special(output)
    target = _identity(output)
    if target is None:
        return  # a file that does not exist is nobody's input
    for path in inputs:
        if _identity(path) == target:
            raise OutputRefused(output, "输出文件是输入文件之一，拒绝覆盖",
                                "the output is one of the inputs; refusing to overwrite it")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _real_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Each path with every link resolved, resolving each folder once: a batch of
    100,000 files in a few hundred folders costs a ``lstat`` per file, not a walk of
    every path's parts."""
    folders: dict[str, str] = {}
    for path in paths:
        path = os.path.abspath(path)
        if os.path.islink(path):
            yield Path(os.path.realpath(path))
            continue
        head, tail = os.path.split(path)
        if head not in folders:
            folders[head] = os.path.realpath(head)
        yield Path(folders[head], tail)


def refuse_folder(target: str | os.PathLike, marker: str,
                  inputs: Iterable[str | os.PathLike] = ()) -> None:
    """Raise :class:`OutputRefused` unless ``target`` may be replaced by a folder
    flowgraph builds: it holds none of ``inputs`` nor the current folder, and it does
    not exist, is empty, or holds ``marker`` (flowgraph wrote it). Called before the
    work, so that a refusal costs nothing, and again just before the swap."""
    folder = Path(os.path.realpath(target))
    if folder == Path(folder.anchor) or _inside(Path.cwd(), folder):
        raise OutputRefused(target, "输出目录包含当前目录，不能整体替换",
                            "the output folder contains the current folder; it cannot be "
                            "replaced")
    inputs = list(inputs)
    for path, real in zip(inputs, _real_paths(inputs), strict=True):
        if _inside(real, folder):
            shown = printable(os.fspath(path), "")
            raise OutputRefused(target, f"输出目录包含本次的输入 {shown}，拒绝替换",
                                f"the output folder holds an input of this run, {shown}; "
                                f"refusing to replace it")
    target = Path(target)
    with _system_errors(target):
        if target.exists() and (not target.is_dir() or (any(target.iterdir())
                                                        and not (target / marker).exists())):
            raise OutputRefused(target, "输出目录已存在且不是 flowgraph 报告，拒绝覆盖",
                                "the output folder exists and is not a flowgraph report; "
                                "refusing to replace it")


# -- temporaries ----------------------------------------------------------------------

#: How the names of temporaries begin; then the host and the process that made them.
TEMPORARY = ".flowgraph-"
_OWNER = re.compile(re.escape(TEMPORARY) + r"(?P<host>[A-Za-z0-9]+)-(?P<pid>\d+)-")


def _host() -> str:
    """This machine's name, reduced to letters and digits (a field of a temporary's
    name): a folder shared between machines holds temporaries of several."""
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:16] or "host"


def _temporary_name(folder: str | os.PathLike, suffix: str) -> str:
    """A new name for a temporary in ``folder``: ``.flowgraph-<host>-<pid>-<random>``,
    whose temporary it is (for :func:`_sweep`), 64 random bits so that it is this
    process's own: the caller creates it inside its ``try`` and removes it in its
    ``finally`` unconditionally, so that no signal falls between the two."""
    name = f"{TEMPORARY}{_host()}-{os.getpid()}-{secrets.token_hex(8)}{suffix}"
    return os.path.join(folder, name)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` of this machine still runs."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False  # gone, or a number no process has
    except PermissionError:
        return True  # another user's
    return True


def _remove(path: str | os.PathLike) -> None:
    """Remove a file, link or folder tree, whatever is there; nothing if nothing."""
    with contextlib.suppress(FileNotFoundError):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)


def _sweep(folder: str | os.PathLike) -> None:
    """Remove the temporaries in ``folder`` that a process of this host left when it
    was killed (SIGKILL, a power cut): they name it, and it is gone."""
    host = _host()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            owner = _OWNER.match(entry.name)
            if owner and owner["host"] == host and not _alive(int(owner["pid"])):
                with contextlib.suppress(OSError):
                    _remove(entry.path)


# -- files ----------------------------------------------------------------------------

def _encoded(data: str | bytes | Iterable[str] | Iterable[bytes]) -> Iterable[bytes]:
    """The bytes of ``data``, text or bytes or chunks of either; a byte of a file name
    that was not UTF-8 (a lone surrogate) in text is written as its escape rather than
    stopping the write."""
    if isinstance(data, bytes):
        return [data]
    if isinstance(data, str):
        data = [data]
    return (chunk if isinstance(chunk, bytes) else chunk.encode("utf-8", "backslashreplace")
            for chunk in data)


def write_atomic(path: str | os.PathLike,
                 data: str | bytes | Iterable[str] | Iterable[bytes]) -> None:
    """Write ``data`` to ``path`` whole or not at all (temporary file, then rename).

    ``data`` may be an iterable of chunks, text or bytes, written as they come: a
    report of a 100,000-step chart is never held whole (and again as its bytes). A path
    that names a folder, a device or a special file is refused
    (:func:`refuse_special`); what the system refuses (a read-only folder, a name too
    long) is a :class:`CannotWrite`. The temporary file is in the same folder as
    ``path`` as the system resolves it, so the rename never crosses devices."""
    path = os.fspath(path)
    refuse_special(path)
    directory = os.path.dirname(path) or os.curdir
    with _system_errors(path):
        os.makedirs(directory, exist_ok=True)
        _sweep(directory)
    temporary = _temporary_name(directory, ".tmp")
    stream = None
    try:  # created inside: a signal at any point still removes it
        with _system_errors(path):
            stream = open(temporary, "xb", buffering=1 << 20)
        for chunk in _encoded(data):  # the producer's own errors pass through
            with _system_errors(path):
                stream.write(chunk)
        with _system_errors(path):
            stream.close()
            os.replace(temporary, path)
    except BaseException:
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# -- folders --------------------------------------------------------------------------

#: How long a run waits for another to finish swapping a folder in the same place.
LOCK_TIMEOUT = 60.0


@contextlib.contextmanager
def _locked(folder: Path, target: Path) -> Iterator[None]:
    """Hold the lock of ``folder`` (a ``.flowgraph.lock`` file in it, removed on
    release): runs that swap folders there take turns. A waiter that wakes on a lock
    file already removed takes the new one. Gives up after :data:`LOCK_TIMEOUT`
    seconds with a refusal naming ``target``, never waiting for ever."""
    import fcntl
    path = folder / ".flowgraph.lock"
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        with _system_errors(target):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if _acquired(fd, fcntl, deadline) and _identity(path) == _identity(fd):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        if time.monotonic() > deadline:
            raise OutputRefused(target, "另一个 flowgraph 正在写入此处，请稍后再试",
                                "another flowgraph run is writing here; try again later")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def _acquired(fd: int, fcntl, deadline: float) -> bool:
    """Whether the exclusive lock on ``fd`` was taken before ``deadline``."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two names at once (Linux ``renameat2(RENAME_EXCHANGE)``): readers see the
    old folder or the new one, never none. False where the system cannot (then the
    caller renames twice, under the lock)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_cwd, rename_exchange = -100, 2
    return libc.renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second),
                          rename_exchange) == 0


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP while a folder is swapped (two renames where
    the system cannot exchange names): one that arrives meanwhile is handled just
    after, when the new folder is in place and the old one is the staging folder that
    the caller's ``finally`` removes, never between the renames."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` in the place of ``target``; what ``target`` held is removed."""
    if not os.path.lexists(target):
        os.rename(staging, target)
    elif _exchange(staging, target):
        _remove(staging)  # now the previous folder
    else:
        previous = staging.with_name(staging.name + "-previous")
        os.rename(target, previous)
        os.rename(staging, target)
        _remove(previous)


def replace_folder(target: str | os.PathLike, build: Callable[[Path], None],
                   marker: str, inputs: Iterable[str | os.PathLike] = ()) -> Path:
    """Build a folder with ``build(staging)`` beside ``target``, then swap it in.

    ``marker`` is the name of a file ``build`` need not write: it is added to say that
    flowgraph wrote the folder. ``target`` must pass :func:`refuse_folder` (it holds
    none of ``inputs``; it is new, empty or flowgraph's), checked before any work and
    again, under the lock of its parent, just before the swap: two runs writing one
    folder both succeed, the later one's folder in place, and neither strands the
    other's. The staging folder is removed whatever happens (a signal the command
    turns into an exit included); one left by a killed process is removed by the next
    run. Files are made readable by all (0644, folders 0755), as a published report is.
    """
    inputs = list(inputs)
    target = Path(target)
    refuse_folder(target, marker, inputs)
    parent = target.parent
    with _system_errors(target):
        parent.mkdir(parents=True, exist_ok=True)
        _sweep(parent)
    staging = Path(_temporary_name(parent, ".staging"))
    try:  # created inside: a signal at any point still removes it
        with _system_errors(target):
            staging.mkdir(mode=0o700)
            build(staging)
            (staging / marker).write_text("flowgraph\n", "utf-8")
            for item in staging.rglob("*"):
                item.chmod(0o755 if item.is_dir() else 0o644)
            staging.chmod(0o755)
            with _locked(parent, target):
                refuse_folder(target, marker, inputs)
                with _signals_held():
                    _swap(staging, target)
    finally:
        _remove(staging)
    return target

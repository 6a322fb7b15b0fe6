"""Reading flowcharts from files: one module per format, chosen by suffix or content.

``load_all(path)`` returns every flowchart a file holds (a workbook or a draw.io file
may hold many); ``load(path)`` returns the one flowchart of a single-flowchart file.
Both read with the defaults unless given :class:`ReadOptions` (the settings of a
configuration that change reading: :attr:`flowgraph.config.Config.reading`).
Every problem is a :class:`~flowgraph.errors.LoadError` naming the file, line and
column. The format comes from the suffix (:data:`FORMATS`); a file named explicitly
with another suffix (``.xml``, ``.txt``, none) is recognised by its first bytes. Each
format's module, and the libraries it needs, are imported only when such a file is read.

A CSV set is read from its steps file (``steps.csv`` or ``流程.csv``); its
``actors.csv`` and ``flowcharts.csv`` come with it and are not flowcharts themselves.
"""
from __future__ import annotations

import errno
import functools
import os
import re
import stat
from pathlib import Path

from ..errors import LoadError, LoadWarning
from ..gc_paused import gc_paused
from ..i18n import Text
from ..model import Flowchart

# The settings of reading and their defaults, part of this package's interface:
from .options import DEFAULT_MAX_FILE_SIZE, DEFAULT_READ_OPTIONS, DEFAULT_SUPERVISORY, ReadOptions  # noqa: F401

#: Names of regulators that hold a supervisory word but do not oversee the unit
#: (市场监督管理局, 安全生产监督管理科): removed from a name before matching.
REGULATOR_WORDS = ("监督管理",)
#: Words of a diagram step's name that hint at its kind, tried in this order (a name
#: that delivers or records something is a task, whatever it delivers). A word naming a
#: document (决定书, 审批表, 核准单) does not count: delivering a decision is not deciding.
KIND_HINTS = (
    ("task", ("送达", "制发", "制作", "归档", "登记", "录入", "deliver", "record")),
    ("oversight", ("纪检", "监察", "监督", "审计", "巡察", "督查", "oversight", "audit")),
    ("disclosure", ("公示", "公开", "公告", "disclose", "publish")),
    ("decision", ("审批", "批准", "决定", "审定", "签发", "核准", "决策", "签批", "确定",
                  "approve", "decide", "decision")),
    ("review", ("审核", "复核", "审查", "核查", "初审", "复审", "会审", "review", "check")),
)
_KIND_PATTERNS = tuple(
    (kind, re.compile(f"(?:{'|'.join(map(re.escape, words))})(?![书表单件函])"))
    for kind, words in KIND_HINTS)


@functools.lru_cache(maxsize=4096)
def kind_by_words(name: str | None) -> str:
    """The kind the words of a BPMN task's or draw.io shape's name give
    (:data:`KIND_HINTS`), ``task`` when none does. Cached: the same names (受理, 审核,
    审批) recur through a chart and a batch."""
    folded = (name or "").casefold()
    return next((kind for kind, pattern in _KIND_PATTERNS if pattern.search(folded)), "task")


def is_supervisory_name(name: str | None, words: tuple[str, ...]) -> bool:
    """Whether a pool, lane or swimlane name names an oversight body."""
    folded = (name or "").casefold()
    for regulator in REGULATOR_WORDS:
        folded = folded.replace(regulator, "")
    return any(word.casefold() in folded for word in words)


class Charts(list):
    """The flowcharts of one file (a list), with ``warnings``: what the file held that
    no flowchart of it carries. A drawing whose every page or process has no step (a
    floor plan, a legend, an empty pool) is read as no flowchart and these warnings,
    not refused: only a file that is not one of the formats, or holds nothing at all,
    is an error."""

    def __init__(self, charts=(), warnings=()):
        super().__init__(charts)
        self.warnings: tuple[LoadWarning, ...] = tuple(warnings)


#: Suffixes flowgraph reads, mapped to the format that reads them.
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx", ".csv": "csv",
           ".dot": "dot", ".gv": "dot", ".bpmn": "bpmn", ".drawio": "drawio",
           ".dio": "drawio"}


def format_of(path: str | os.PathLike) -> str | None:
    """The format of a file by its suffix, or None when flowgraph does not read it
    (a CSV file counts only when it is a set's steps table)."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt == "csv":
        from .tables import SHEETS  # the names of a steps table (the module is light)
        if path.stem.casefold() not in SHEETS["steps"]:
            return None
    return fmt


def sniff(data: bytes) -> str | None:
    """The format of a file by its first bytes, for names that do not tell."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"<"):
        if b"<mxfile" in head or b"<mxGraphModel" in head:
            return "drawio"
        if b"bpmn" in head.lower() or b"<definitions" in head:
            return "bpmn"
        return None
    text = head.decode("utf-8", "replace")
    stripped = "\n".join(line for line in text.splitlines()
                         if not line.lstrip().startswith(("#", "//")))
    if stripped.lstrip().startswith(("digraph", "strict digraph", "graph", "strict graph")):
        return "dot"
    if "flowgraph:" in text:
        return "yaml"
    return None


#: What the system's refusals to read a file mean, in plain words, by ``errno``.
READ_ERRORS = {
    errno.ENOENT: ("文件不存在", "no such file"),
    errno.EACCES: ("没有读取权限", "permission denied"),
    errno.EPERM: ("没有读取权限", "permission denied"),
    errno.ENOTDIR: ("路径中有一部分是文件, 不是文件夹",
                    "a part of the path is a file, not a folder"),
    errno.ELOOP: ("符号链接循环", "too many levels of symbolic links"),
    errno.ENAMETOOLONG: ("名称过长", "the name is too long"),
    errno.EISDIR: ("这是目录, 不是流程图文件", "is a directory, not a flowchart file"),
}


def cannot_read(error: OSError, name: str) -> LoadError:
    """The LoadError for the system's refusal to read ``name`` (a file or a folder)."""
    zh, en = READ_ERRORS.get(error.errno, (None, None))
    if zh is None:
        detail = error.strerror or type(error).__name__
        zh, en = f"无法读取: {detail}", f"cannot read it: {detail}"
    return LoadError(Text(zh, en), name)


def not_regular(mode: int) -> Text | None:
    """Why a file of this ``st_mode`` is never read, or None for a regular file: a
    folder, a named pipe, a device or a socket would block the reader or read forever
    (``/dev/zero``), and none is a flowchart."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return Text("这是目录, 不是流程图文件", "is a directory, not a flowchart file")
    if stat.S_ISFIFO(mode):
        return Text("这是命名管道 (FIFO), 不是普通文件, 不予读取",
                    "is a named pipe (FIFO), not a regular file: not read")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Text("这是设备, 不是普通文件, 不予读取",
                    "is a device, not a regular file: not read")
    if stat.S_ISSOCK(mode):
        return Text("这是套接字, 不是普通文件, 不予读取",
                    "is a socket, not a regular file: not read")
    return Text("不是普通文件, 不予读取", "is not a regular file: not read")


#: Opening never waits: a named pipe swapped in after the check opens at once (and is
#: then refused) instead of blocking until a writer comes.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def _too_large(size: int, max_size: int, name: str) -> LoadError:
    return LoadError(Text(f"文件过大: {size:,} 字节, 上限为 {max_size:,} 字节 "
                          f"(配置项 max_file_size)",
                          f"file too large: {size:,} bytes, the limit is {max_size:,} "
                          f"(setting max_file_size)"), name)


def read_bytes(path: str | os.PathLike, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """The bytes of an input file, which must be a regular file of at most ``max_size``
    bytes. Anything else is a LoadError naming the file: missing, unreadable, too
    large, a folder, a named pipe, a device (``/dev/null``, ``/dev/zero``) or a socket.
    The kind is checked before opening (opening a device may do something), the file
    is opened without waiting and checked again on what was opened (a pipe swapped in
    between is refused, not waited on), and the read is bounded by ``max_size``."""
    name = str(path)
    try:
        refused = not_regular(os.stat(path).st_mode)
        if refused is not None:
            raise LoadError(refused, name)
        descriptor = os.open(path, _OPEN_FLAGS)
        with open(descriptor, "rb") as stream:
            info = os.fstat(descriptor)
            refused = not_regular(info.st_mode)
            if refused is not None:
                raise LoadError(refused, name)
            if info.st_size > max_size:
                raise _too_large(info.st_size, max_size, name)
            data = stream.read(max_size + 1)
    except OSError as error:
        raise cannot_read(error, name) from None
    if len(data) > max_size:  # it grew while being read
        raise _too_large(len(data), max_size, name)
    return data


def load_all(path: str | os.PathLike,
             options: ReadOptions = DEFAULT_READ_OPTIONS) -> Charts:
    """Every flowchart in the file at ``path``, read with ``options`` (the size cap, the
    supervisory names and the control vocabulary: :attr:`flowgraph.config.Config.reading`
    builds them from a configuration), as :class:`Charts` (a list, with the warnings of
    a file that gave no flowchart)."""
    name = str(path)
    fmt = FORMATS.get(Path(path).suffix.lower())
    data = read_bytes(path, options.max_file_size)
    if fmt is None:
        fmt = sniff(data)
    if fmt is None:
        supported = ", ".join(sorted(FORMATS))
        raise LoadError(Text(f"不支持的文件类型 (支持: {supported})",
                             f"unsupported file type (supported: {supported})"), name)
    with gc_paused():
        charts = read_data(fmt, data, name, options)
    return charts if isinstance(charts, Charts) else Charts(charts)


def read_data(fmt: str, data: bytes, name: str,
              options: ReadOptions = DEFAULT_READ_OPTIONS) -> list[Flowchart]:
    """Every flowchart in ``data``, read as format ``fmt`` with ``options``."""
    if fmt == "yaml":
        from .yaml_format import loads
        return [loads(data, name, options.limits)]
    if fmt == "xlsx":
        from .tables import read_workbook
        return read_workbook(data, name, options.limits)
    if fmt == "csv":
        from .tables import read_csv_set
        return read_csv_set(name, data, options.max_file_size, options.limits)
    if fmt == "dot":
        from .dot_format import read
        return read(data, name, options)
    if fmt == "bpmn":
        from .bpmn import read
        return read(data, name, options)
    if fmt == "drawio":
        from .drawio import read
        return read(data, name, options)
    raise ValueError(fmt)


def companions(path: str | os.PathLike) -> list[str]:
    """The files read with ``path`` besides itself: the other tables of a CSV set
    (``actors.csv``, ``flowcharts.csv`` …), none for other formats. The output policy
    protects them as inputs."""
    if Path(path).suffix.lower() != ".csv":
        return []
    from .tables import csv_companions
    return [str(sibling) for sibling in csv_companions(Path(path)).values()]


def load(path: str | os.PathLike,
         options: ReadOptions = DEFAULT_READ_OPTIONS) -> Flowchart:
    """The one flowchart in the file at ``path``, read with ``options``."""
    charts = load_all(path, options)
    if len(charts) != 1:
        raise LoadError(Text(f"文件包含 {len(charts)} 个流程图, 请使用 load_all",
                             f"the file holds {len(charts)} flowcharts; use load_all"),
                        str(path))
    return charts[0]

"""Reading flowcharts from files: one module per format, chosen by suffix.

``load_all(path)`` returns every flowchart a file holds (a workbook may hold many);
``load(path)`` returns the one flowchart of a single-flowchart file. Every problem is
a :class:`~flowgraph.errors.LoadError` naming the file, line and column.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import LoadError
from ..i18n import Text
from ..model import Flowchart

#: Default cap on the size of one input file (bytes); ``max_file_size`` in the config.
DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024

#: Suffixes flowgraph reads, mapped to the format that reads them.
FORMATS = {".yaml": "yaml", ".yml": "yaml"}


def format_of(path: str | os.PathLike) -> str | None:
    """The format of a file by its suffix, or None when flowgraph does not read it."""
    return FORMATS.get(Path(path).suffix.lower())


def read_bytes(path: str | os.PathLike, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """The bytes of an input file, refusing missing, unreadable and over-large files."""
    name = str(path)
    try:
        size = os.stat(path).st_size
        if size > max_size:
            raise LoadError(Text(
                f"文件过大: {size:,} 字节, 上限为 {max_size:,} 字节 (配置项 max_file_size)",
                f"file too large: {size:,} bytes, the limit is {max_size:,} "
                f"(setting max_file_size)"), name)
        with open(path, "rb") as stream:
            return stream.read(max_size + 1)
    except IsADirectoryError:
        raise LoadError(Text("这是目录, 不是流程图文件", "is a directory, not a flowchart file"),
                        name) from None
    except FileNotFoundError:
        raise LoadError(Text("文件不存在", "no such file"), name) from None
    except OSError as exc:
        raise LoadError(Text(f"无法读取文件: {exc.strerror}",
                             f"cannot read the file: {exc.strerror}"), name) from None


def load_all(path: str | os.PathLike, max_size: int = DEFAULT_MAX_FILE_SIZE) -> list[Flowchart]:
    """Every flowchart in the file at ``path``."""
    fmt = format_of(path)
    if fmt == "yaml":
        from .yaml_format import loads
        return [loads(read_bytes(path, max_size), str(path))]
    supported = ", ".join(sorted(FORMATS))
    raise LoadError(Text(f"不支持的文件类型 (支持: {supported})",
                         f"unsupported file type (supported: {supported})"), str(path))


def load(path: str | os.PathLike, max_size: int = DEFAULT_MAX_FILE_SIZE) -> Flowchart:
    """The one flowchart in the file at ``path``."""
    charts = load_all(path, max_size)
    if len(charts) != 1:
        raise LoadError(Text(f"文件包含 {len(charts)} 个流程图, 请使用 load_all",
                             f"the file holds {len(charts)} flowcharts; use load_all"),
                        str(path))
    return charts[0]

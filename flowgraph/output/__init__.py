"""Writing results: terminal text, the JSON interface, files written whole."""
from __future__ import annotations

import os
import tempfile
from typing import Iterable


def _umask() -> int:
    """The process's umask (reading it means setting it, so set it straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, data: str | bytes | Iterable[str]) -> None:
    """Write ``data`` to ``path`` whole or not at all (temporary file, then rename).

    ``data`` may be an iterable of text chunks, written as they come: a report of a
    100,000-step chart is never held as one string (and again as its bytes)."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    if isinstance(data, (str, bytes)):
        chunks: Iterable[bytes] = [data.encode("utf-8") if isinstance(data, str) else data]
    else:
        chunks = (chunk.encode("utf-8") for chunk in data)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".flowgraph-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as stream:
            for chunk in chunks:
                stream.write(chunk)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private (0600)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise

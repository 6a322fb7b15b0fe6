"""Writing outputs: whole or not at all, never over what the user gave.

Every file and folder flowgraph writes goes through this module, so that one place
knows the output policy:

- a file is written to a temporary file beside it and renamed into place
  (:func:`write_atomic`): a crash or a full disk leaves the old file or nothing, never
  half a file;
- a folder (the committee report) is built beside its destination and swapped in
  (:func:`replace_folder`); an existing folder is replaced only when flowgraph wrote
  it (it holds the marker file);
- an output is never one of the run's inputs (:func:`refuse_inputs`).

A refusal is an :class:`OutputRefused` carrying its message in Chinese and English;
the caller turns it into the error the user sees. The module imports nothing of
flowgraph: the policy does not depend on what is being written.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


class OutputRefused(Exception):
    """An output the policy does not allow, with the reason in both languages."""

    def __init__(self, path: str, zh: str, en: str):
        super().__init__(f"{path}: {en}")
        self.path = path
        self.zh = zh
        self.en = en


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


def refuse_inputs(output: str | os.PathLike, inputs: Iterable[str | os.PathLike]) -> None:
    """Raise :class:`OutputRefused` when ``output`` is one of ``inputs``."""
    target = Path(output).resolve()
    for path in inputs:
        if Path(path).resolve() == target:
            raise OutputRefused(os.fspath(output), "输出文件是输入文件之一, 拒绝覆盖",
                                "the output is one of the inputs; refusing to overwrite it")


def refuse_folder(target: str | os.PathLike, marker: str) -> None:
    """Raise :class:`OutputRefused` unless ``target`` may be replaced by a folder
    flowgraph builds: it does not exist, is empty, or holds ``marker``. Called before
    the work, so that a refusal costs nothing."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or (any(target.iterdir())
                                                    and not (target / marker).exists())):
        raise OutputRefused(str(target), "输出目录已存在且不是 flowgraph 报告, 拒绝覆盖",
                            "the output folder exists and is not a flowgraph report; "
                            "refusing to replace it")


def replace_folder(target: str | os.PathLike, build: Callable[[Path], None],
                   marker: str) -> Path:
    """Build a folder with ``build(staging)`` beside ``target``, then swap it in.

    ``marker`` is the name of a file ``build`` need not write: it is added to say that
    flowgraph wrote the folder. An existing ``target`` is replaced only when it is empty
    or holds that marker; anything else raises :class:`OutputRefused` before any work.
    Files are made readable by all (0644, folders 0755), as a published report is.
    """
    target = Path(target)
    refuse_folder(target, marker)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    try:
        build(staging)
        (staging / marker).write_text("flowgraph\n", "utf-8")
        for item in staging.rglob("*"):
            item.chmod(0o755 if item.is_dir() else 0o644)
        staging.chmod(0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-old-"))
            os.replace(target, old / "previous")
            os.replace(staging, target)
            shutil.rmtree(old)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target

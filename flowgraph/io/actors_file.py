"""Side files of actors: the ranks and reporting lines a diagram cannot carry.

A BPMN lane or a draw.io swimlane names a post but not its rank, its superior or
whether it is a collective body, and without them the independence rules cannot tell a
check from a rubber stamp. A side file is the ``actors:`` mapping of the native format,
alone, and may name the unit it describes (``unit:``)::

    unit: 市财政局
    actors:
      chief:  {name: 审批科科长, rank: 科级, reports_to: deputy}
      deputy: {name: 分管副局长, rank: 副职, reports_to: head}
      head:   {name: 局长, rank: 正职}

A file without ``unit:`` applies to every flowchart; one with it, to the flowcharts of
that unit (their ``unit``) only: a 局长 of one unit is not the 局长 of another. A folder of
side files holds one per unit, each naming its unit inside or by its file name
(``岗位/市财政局.yaml``); a file named ``actors.yaml``, ``岗位.yaml`` or ``共用.yaml`` in it
applies to every unit. Where the side information comes from (:func:`side_for`): the
``--actors`` option (a file or a folder), else the configuration's ``actors`` setting,
else, by convention, ``actors.yaml`` or ``岗位.yaml`` (.yml too) and an ``actors`` or
``岗位`` folder beside each flowchart file; folder walks do not read those as
flowcharts (:func:`is_side_name`).

Each side actor applies to the flowchart's actor with the same id or, failing that, the
same name (diagram tools invent lane ids such as ``Lane_1x9``); its ``reports_to`` is
translated to the flowchart's ids. Side actors the flowchart does not mention are added,
so that reporting lines can pass through them. A flowchart of a unit the side
information names no actors for, while it names some units', says so in a warning.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import LoadError, LoadWarning
from ..i18n import Text
from ..model import Actor, Flowchart
from .words import folded

_PROBE = "flowgraph-actors-file"


#: The names of side files and folders found beside flowcharts, and in a folder of
#: them, of the files that apply to every unit.
SIDE_FILES = ("actors.yaml", "actors.yml", "岗位.yaml", "岗位.yml")
SIDE_FOLDERS = ("actors", "岗位")
COMMON_STEMS = ("actors", "岗位", "共用")


@dataclass(frozen=True)
class SideActors:
    """The side information of a run: actors for every unit (``common``) and actors by
    unit (the unit's name folded), with the files they came from."""

    common: Mapping[str, Actor] = field(default_factory=dict)
    by_unit: Mapping[str, Mapping[str, Actor]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def apply(self, chart: Flowchart) -> Flowchart:
        """The flowchart with its unit's side actors applied (a new object), or itself
        when there are none; a warning when units are named but not its own."""
        own = self.by_unit.get(folded(chart.unit or ""))
        actors = {**self.common, **(own or {})}
        if own is None and self.by_unit:
            unit = chart.unit or ""
            units = "、".join(sorted(self.by_unit))
            chart = chart.replace(warnings=(*chart.warnings, LoadWarning(Text(
                f"岗位文件中没有本单位 “{unit}” 的岗位 (有: {units})" if unit else
                f"流程图未写明单位, 岗位文件中按单位列出的岗位未使用 (有: {units})",
                f"the actors files name no actors for the unit '{unit}' (they name: "
                f"{units})" if unit else f"the flowchart names no unit, so the actors "
                f"files' actors by unit do not apply (they name: {units})"),
                chart.source)))
        return apply_actors(chart, actors) if actors else chart


def is_side_name(name: str) -> bool:
    """Whether a file or folder name is one of the side information's by convention
    (a folder walk skips it)."""
    return name.casefold() in SIDE_FILES + SIDE_FOLDERS


def load_side(path: str | os.PathLike, max_size: int) -> SideActors:
    """The side information in a file, or in each YAML file of a folder."""
    path = Path(path)
    if not path.is_dir():
        unit, actors = _load_file(path, max_size)
        return SideActors({} if unit else actors, {folded(unit): actors} if unit else {},
                          (str(path),))
    common: dict[str, Actor] = {}
    by_unit: dict[str, dict[str, Actor]] = {}
    files = sorted(entry for entry in path.iterdir() if entry.suffix.lower() in
                   (".yaml", ".yml") and not entry.name.startswith(".") and entry.is_file())
    for file in files:
        unit, actors = _load_file(file, max_size)
        unit = unit or (None if file.stem.casefold() in COMMON_STEMS else file.stem)
        if unit is None:
            common.update(actors)
        else:
            by_unit.setdefault(folded(unit), {}).update(actors)
    return SideActors(common, by_unit, tuple(str(file) for file in files))


def side_for(path: str | os.PathLike, side: SideActors | None, max_size: int
             ) -> SideActors | None:
    """The side information for the flowchart file at ``path``: ``side`` (from
    ``--actors`` or the configuration) when given, else what lies beside the file."""
    if side is not None:
        return side
    stamps = beside_stamps(path)
    return _beside(str(Path(path).resolve().parent), stamps, max_size) if stamps else None


def beside_stamps(path: str | os.PathLike) -> tuple[tuple[str, int, int], ...]:
    """The side files by convention beside the flowchart file at ``path`` (those in a
    side folder included), each with its modification time and size: what a cached
    result depends on besides the file itself."""
    folder = Path(path).resolve().parent
    stamps = []
    for name in SIDE_FILES + SIDE_FOLDERS:
        candidate = folder / name
        try:
            files = sorted(candidate.iterdir()) if candidate.is_dir() else \
                [candidate] if candidate.is_file() else []
            for file in files:
                info = file.stat()
                stamps.append((str(file), info.st_mtime_ns, info.st_size))
        except OSError:
            continue
    return tuple(stamps)


@functools.lru_cache(maxsize=32)
def _beside(folder: str, stamps: tuple[tuple[str, int, int], ...], max_size: int
            ) -> SideActors:
    """The side information of the files and folders by convention in ``folder``,
    merged in the order of :data:`SIDE_FILES` and :data:`SIDE_FOLDERS`; read once for a
    folder of flowcharts (``stamps`` change when a side file does)."""
    common: dict[str, Actor] = {}
    by_unit: dict[str, dict[str, Actor]] = {}
    sources: list[str] = []
    for name in SIDE_FILES + SIDE_FOLDERS:
        candidate = Path(folder) / name
        if not any(stamp[0] == str(candidate) or stamp[0].startswith(f"{candidate}{os.sep}")
                   for stamp in stamps):
            continue
        side = load_side(candidate, max_size)
        common.update(side.common)
        for unit, actors in side.by_unit.items():
            by_unit.setdefault(unit, {}).update(actors)
        sources.extend(side.sources)
    return SideActors(common, by_unit, tuple(sources))


def load_actors(path: str | os.PathLike, max_size: int) -> dict[str, Actor]:
    """The actors of a side file, whatever unit it names."""
    return _load_file(Path(path), max_size)[1]


def _load_file(path: Path, max_size: int) -> tuple[str | None, dict[str, Actor]]:
    """The unit a side file names (or None) and its actors, read as strictly as a
    flowchart."""
    from . import read_bytes
    from .yaml_format import _decode, loads
    name = str(path)
    text = _decode(read_bytes(path, max_size), name)
    if not text.strip():
        raise LoadError(Text("岗位文件为空; 应为 actors: 映射", "the actors file is empty; "
                             "expected an actors: mapping"), name, 1, 1)
    # Read it as a flowchart whose other keys come after the user's text, so that the
    # user's lines keep their numbers and every check of the native format applies.
    chart = loads(f"{text.rstrip()}\nflowgraph: 1\ntitle: {_PROBE}\n"
                  f"steps: {{{_PROBE}: {{kind: start}}}}\n", name)
    return chart.unit, dict(chart.actors)


def apply_actors(flowchart: Flowchart, actors: dict[str, Actor]) -> Flowchart:
    """The flowchart with the side file's actors applied (a new object)."""
    by_name = {actor.name: actor_id for actor_id, actor in flowchart.actors.items()}
    mapping = {}
    for side_id, actor in actors.items():
        if side_id in flowchart.actors:
            mapping[side_id] = side_id
        elif actor.name in by_name:
            mapping[side_id] = by_name[actor.name]
        else:
            mapping[side_id] = side_id
    merged = dict(flowchart.actors)
    for side_id, actor in actors.items():
        target = mapping[side_id]
        boss = mapping.get(actor.reports_to, actor.reports_to) if actor.reports_to else None
        merged[target] = replace(actor, id=target, reports_to=boss,
                                 position=merged[target].position if target in merged
                                 else None)
    return flowchart.replace(actors=merged)

"""A side file of actors: the ranks and reporting lines a diagram cannot carry.

A BPMN lane or a draw.io swimlane names a post but not its rank, its superior or
whether it is a collective body, and without them the independence rules cannot tell a
check from a rubber stamp. The side file is the ``actors:`` mapping of the native
format, alone (``--actors actors.yaml``)::

    actors:
      chief:  {name: 审批科科长, rank: section, reports_to: deputy}
      deputy: {name: 分管副局长, rank: deputy, reports_to: head}
      head:   {name: 局长, rank: principal}

Each side actor applies to the flowchart's actor with the same id or, failing that, the
same name (diagram tools invent lane ids such as ``Lane_1x9``); its ``reports_to`` is
translated to the flowchart's ids. Side actors the flowchart does not mention are added,
so that reporting lines can pass through them.
"""
from __future__ import annotations

import os
from dataclasses import replace

from ..errors import LoadError
from ..i18n import Text
from ..model import Actor, Flowchart

_PROBE = "flowgraph-actors-file"


def load_actors(path: str | os.PathLike, max_size: int) -> dict[str, Actor]:
    """The actors of a side file, read as strictly as a flowchart."""
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
    return dict(chart.actors)


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

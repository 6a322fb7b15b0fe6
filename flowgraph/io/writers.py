"""Writing flowcharts: the formats ``flowgraph convert`` produces, by suffix.

Native YAML, BPMN 2.0 (with the flowgraph extension attributes), draw.io (custom data
on every cell), Graphviz DOT and an Excel workbook of the tables units keep (one or
many flowcharts, headed in Chinese or English: :mod:`.workbook`): nothing of the model
is lost, except characters no such file can carry. XML 1.0 has no way to hold most
control characters (``\\x01``, NUL, ``\\v``) and Graphviz stops a string at NUL, so
in every format a text holding them is written with them shown as escapes
(:func:`~flowgraph.files.printable`: ``\\x01`` as the four characters ``\\``, ``x``,
``0``, ``1``); tabs and line breaks are kept.

BPMN and draw.io files can also carry an audit's marks (``flowgraph convert
--annotate``): a fill colour, a note and its detail per step (:class:`Mark`), which
the modelling tools show (bpmn-js's colours and a text annotation, documented;
draw.io's fill and tooltip) and which reading the file back ignores.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import NamedTuple

from ..errors import FlowgraphError
from ..files import printable
from ..frozen import FrozenDict
from ..i18n import Text
from ..model import Flowchart

WRITERS = {".yaml": "yaml", ".yml": "yaml", ".dot": "dot", ".gv": "dot", ".bpmn": "bpmn",
           ".drawio": "drawio", ".xlsx": "xlsx"}
#: The formats that carry marks.
ANNOTATED = (".bpmn", ".drawio")


class Mark(NamedTuple):
    """What an audit says of a step, for a modelling tool to show: the ``fill`` of its
    shape (``#rrggbb``), a short ``note`` drawn beside it (empty: none) and the
    ``detail`` a tool shows on asking (BPMN: the note's documentation; draw.io: the
    step's tooltip, with the note)."""

    fill: str
    note: str = ""
    detail: str = ""


def write(flowchart: Flowchart, suffix: str, lang: str = "zh",
          marks: Mapping[str, Mark] | None = None) -> bytes:
    """The flowchart in the format of ``suffix``, as the bytes of a file (a workbook
    headed in ``lang``); ``marks`` by step id, for the formats of :data:`ANNOTATED`.
    Raises :class:`~flowgraph.errors.FlowgraphError` when two ids differ only by
    characters that must be shown as escapes (the written file would merge them)."""
    fmt = WRITERS[suffix]
    if fmt == "xlsx":
        return write_workbook([flowchart], lang)
    if marks:  # ids as the file writes them; notes without control characters
        marks = {printable(step): mark._replace(note=printable(mark.note),
                                                detail=printable(mark.detail))
                 for step, mark in marks.items()}
    flowchart = shown(flowchart)
    if fmt == "yaml":
        from .yaml_writer import dumps
        return dumps(flowchart).encode("utf-8")
    if fmt == "dot":
        from .dot_format import write as dot
        return dot(flowchart).encode("utf-8")
    if fmt == "drawio":
        from .drawio import write as drawio
        return drawio(flowchart, marks).encode("utf-8")
    from .bpmn import write as bpmn
    return bpmn(flowchart, marks).encode("utf-8")


def write_workbook(flowcharts: list[Flowchart], lang: str = "zh") -> bytes:
    """Flowcharts as one workbook (the steps, actors and flowcharts sheets the tables
    reader reads back), headed in ``lang``."""
    from .workbook import write as workbook
    return workbook([shown(flowchart) for flowchart in flowcharts], lang)


def shown(flowchart: Flowchart) -> Flowchart:
    """``flowchart`` with every text (ids, labels, names, controls, reasons, edge labels,
    its own attributes) passed through :func:`~flowgraph.files.printable`; the same
    object when no text needs it, as is the case for nearly every chart."""
    def text(value):
        return None if value is None else printable(value)

    steps = [replace(step, id=text(step.id), label=text(step.label), actor=text(step.actor),
                     controls=tuple(map(text, step.controls)), duty=text(step.duty),
                     time_limit=text(step.time_limit), basis=text(step.basis),
                     waive=FrozenDict({code: text(reason)
                                       for code, reason in step.waive.items()}),
                     **{name: text(value) for name, value in step.notes.items()},
                     extra=FrozenDict({text(heading): text(value)
                                       for heading, value in step.extra.items()}))
             for step in flowchart.steps.values()]
    actors = [replace(actor, id=text(actor.id), name=text(actor.name),
                      reports_to=text(actor.reports_to))
              for actor in flowchart.actors.values()]
    edges = [[replace(edge, source=text(edge.source), target=text(edge.target),
                      label=text(edge.label)) for edge in kind]
             for kind in (flowchart.flows, flowchart.oversights)]
    meta = {key: text(getattr(flowchart, key)) for key in
            ("id", "title", "unit", "category", "basis", "superior_in_charge")}
    if (steps == list(flowchart.steps.values()) and actors == list(flowchart.actors.values())
            and edges == [list(flowchart.flows), list(flowchart.oversights)]
            and all(meta[key] == getattr(flowchart, key) for key in meta)):
        return flowchart
    for kind, made, original in (("step", steps, flowchart.steps),
                                 ("actor", actors, flowchart.actors)):
        if len({item.id for item in made}) != len(original):
            raise FlowgraphError(Text(
                f"两个{'步骤' if kind == 'step' else '岗位'}编号仅控制字符不同, 无法写出",
                f"two {kind} ids differ only by control characters; they cannot be "
                f"written apart"), flowchart.source)
    return Flowchart(meta.pop("id"), meta.pop("title"), steps, *edges, actors,
                     source=flowchart.source, warnings=flowchart.warnings, **meta)

"""Writing flowcharts: the formats ``flowgraph convert`` produces, by suffix.

Native YAML, BPMN 2.0 (with the flowgraph extension attributes), draw.io (custom data
on every cell) and Graphviz DOT: nothing of the model is lost. Tables are read only.
"""
from __future__ import annotations

from ..model import Flowchart

WRITERS = {".yaml": "yaml", ".yml": "yaml", ".dot": "dot", ".gv": "dot", ".bpmn": "bpmn",
           ".drawio": "drawio"}


def write(flowchart: Flowchart, suffix: str) -> bytes:
    """The flowchart in the format of ``suffix``, as the bytes of a file."""
    fmt = WRITERS[suffix]
    if fmt == "yaml":
        from .yaml_writer import dumps
        return dumps(flowchart).encode("utf-8")
    if fmt == "dot":
        from .dot_format import write as dot
        return dot(flowchart).encode("utf-8")
    if fmt == "drawio":
        from .drawio import write as drawio
        return drawio(flowchart).encode("utf-8")
    from .bpmn import write as bpmn
    return bpmn(flowchart).encode("utf-8")

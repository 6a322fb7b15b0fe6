"""How much one input file may make flowgraph build: the bounds every reader keeps.

Inputs come from units and are untrusted (docs/security.md). The size cap
(``max_file_size``) bounds the bytes of a file, but bytes are not the cost: a 5 KB
workbook can name a cell a million rows down, a 130 KB compressed draw.io page can
inflate to millions of elements, a few thousand BPMN end events feeding as many start
events imply millions of edges. So every reader also counts what a file makes it build
and stops, with a :class:`~flowgraph.errors.LoadError` naming the file, the place where
known and the limit, before the cost is paid.

One knob, ``max_steps`` in the configuration (default :data:`DEFAULT_MAX_STEPS`, twice
the largest chart of the benchmarks), sets every bound that grows with the size of a
chart: steps and actors of one flowchart, ten edges a step (the ``dense`` benchmark
shape has ten), twenty XML elements a step in a BPMN or draw.io file (the 100,000-step
chart written as BPMN with its diagram has eleven), a sheet's rows, ten cells a step
in a workbook. The other bounds do not grow with a chart: no legitimate file comes near
them. How each figure was chosen and what a file at the limit costs: docs/security.md,
"Limits".
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import Text

#: Steps of one flowchart, by default (``max_steps`` in the configuration).
DEFAULT_MAX_STEPS = 200_000


@dataclass(frozen=True)
class Limits:
    """The bounds of what one file may make flowgraph build. Immutable.

    Parameters
    ----------
    steps : int
        Steps of one flowchart, and actors (``max_steps``); the bounds that grow with a
        chart derive from it (:attr:`edges`, :attr:`elements`, :attr:`rows`,
        :attr:`cells`).
    text : int
        Characters of one text (a label, a title, an id, a reason): 32,767, what one
        spreadsheet cell holds, so that the ledger shows every text whole.
    charts : int
        Flowcharts of one file (a workbook's ``flowchart`` column, draw.io pages).
    implied_edges : int
        Edges that one construct implies beyond those written: a BPMN flow into or out
        of a sub-process goes to each of its start events or leaves each of its end
        events; a DOT edge to or from a subgraph joins every node of it.
    nesting : int
        Subgraphs within subgraphs in a DOT file (Graphviz's own parser gives up,
        silently dropping the rest, somewhere past a thousand).
    attributes : int
        Distinct attribute names in a DOT file (Graphviz gives every node and edge
        room for every name: names times nodes is what it allocates; see
        :attr:`attribute_slots`).
    columns : int
        Columns of a sheet or a CSV table (a table of flowgraph has at most 23).
    sheets : int
        Sheets of a workbook.
    """

    steps: int = DEFAULT_MAX_STEPS
    text: int = 32_767
    charts: int = 10_000
    implied_edges: int = 100_000
    nesting: int = 100
    attributes: int = 1_000
    columns: int = 64
    sheets: int = 256

    @property
    def actors(self) -> int:
        """Actors of one flowchart: as many as steps."""
        return self.steps

    @property
    def edges(self) -> int:
        """Flow and oversight edges of one flowchart: ten a step."""
        return 10 * self.steps

    @property
    def elements(self) -> int:
        """XML elements of one BPMN or draw.io file (every page inflated): twenty a
        step."""
        return 20 * self.steps

    @property
    def attribute_slots(self) -> int:
        """Attribute names times the nodes and edges that may carry them in a DOT file:
        500 a step (the ``dense`` benchmark chart, ten edges a step, measures 67
        million: its identifiers bound its nodes from above)."""
        return 500 * self.steps

    @property
    def rows(self) -> int:
        """Rows of one sheet or CSV table: a header and a row a step."""
        return self.steps + 1

    @property
    def cells(self) -> int:
        """Cells of one workbook, every sheet together: ten a step (a steps table
        fills eight to twelve of its columns; openpyxl reads about 80,000 cells a
        second), and as many shared strings."""
        return 10 * self.steps


#: The limits of a reader called without any: the configuration's defaults.
DEFAULT_LIMITS = Limits()


def too_many(zh: str, en: str, limit: int, setting: str | None = "max_steps") -> Text:
    """The message of a bound passed, in the same words for every reader: ``too many
    steps in the flowchart: more than 200,000 (setting max_steps)``; ``setting`` is the
    configuration key that moves the bound, if any."""
    said = (f" (配置项 {setting})", f" (setting {setting})") if setting else ("", "")
    return Text(f"{zh}过多: 超过 {limit:,}{said[0]}",
                f"too many {en}: more than {limit:,}{said[1]}")

"""The vocabulary of flowgraph: flowcharts, steps, actors, edges and findings.

A :class:`Flowchart` is one power-operation flowchart (权力运行流程图): its steps (环节)
are the nodes of a networkx directed graph, its edges are ``flow`` (the matter moves on)
or ``oversight`` (a supervisory or disclosure step watches another). Every object here is
immutable once built, so derived structure (the flow graph, reachability from the starts,
reporting lines) is computed once and cached.

See ``design.md`` section 2 for the meaning of every attribute.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .errors import LoadNote, LoadWarning
from .frozen import FrozenDict, pickled_by_constructor
from .i18n import Text
from .paths import Witness, breadth_first, strongly_connected
from .vocabulary import GRADE_NAMES, NO_GRADE

STEP_KINDS = ("start", "end", "task", "decision", "review", "oversight",
              "disclosure", "gateway", "system")
#: Kinds that hold no power: nobody decides anything there.
NEUTRAL_KINDS = frozenset({"start", "end", "gateway", "system"})
#: Kinds whose post holds power over the matter (掌握权力的环节).
HOLDER_KINDS = frozenset({"task", "decision", "review"})
#: Kinds that check rather than hold power; they stand beside the flow when they have
#: no flow edges.
CHECK_KINDS = frozenset({"oversight", "disclosure"})
DISCRETION_LEVELS = ("none", "low", "medium", "high")
RANKS = ("staff", "section", "deputy", "principal")
DUTIES = ("apply", "approve", "execute", "record", "custody", "inspect")
SEVERITIES = ("info", "warning", "error")
#: A collective body decides together when it has at least this many members.
COLLECTIVE_MINIMUM = 3
#: What a unit wrote against a step in its own risk table (风险点表现形式, 风险类别,
#: 现有防控措施, the three responsible people, 整改情况): text the audit does not read,
#: carried by every format and shown in the ledger as the unit wrote it.
NOTE_FIELDS = ("risk_description", "risk_category", "measures", "responsible_direct",
               "responsible_department", "responsible_leader", "rectification")

if TYPE_CHECKING:  # networkx is imported where a graph is first built
    import networkx as nx

_EMPTY: Mapping[str, str] = FrozenDict({})
NO_WITNESS = Witness()


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Position:
    """Where something was written in its source file (1-based)."""

    line: int
    column: int


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Stakes:
    """What is at stake at a step: money in yuan, personnel, a citizen's rights."""

    money: float | None = None
    people: bool = False
    rights: bool = False


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Actor:
    """A post (岗位) or body that performs steps."""

    id: str
    name: str
    rank: str | None = None
    reports_to: str | None = None
    collective: int | None = None
    oversight: bool = False
    public: bool = False
    position: Position | None = field(default=None, compare=False)
    #: Whether the body is outside the chart's unit (a superior body, an inspection
    #: group, an evaluation committee, another government): True or False as the
    #: chart says, None when it does not say (then inferred from the name).
    outside: bool | None = None

    @property
    def is_collective(self) -> bool:
        """A body of at least three members deciding together (集体决策)."""
        return self.collective is not None and self.collective >= COLLECTIVE_MINIMUM


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Step:
    """A step (环节) of a flowchart: a node of its graph."""

    id: str
    kind: str
    label: str
    actor: str | None = None
    discretion: str = "none"
    stakes: Stakes = Stakes()
    controls: tuple[str, ...] = ()
    duty: str | None = None
    declared_grade: int | None = None
    time_limit: str | None = None
    basis: str | None = None
    waive: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    position: Position | None = field(default=None, compare=False)
    #: The unit's own notes (:data:`NOTE_FIELDS`): how it describes the risk, its kind
    #: of risk, its measures in its own words, the people it names, the rectification.
    risk_description: str | None = None
    risk_category: str | None = None
    measures: str | None = None
    responsible_direct: str | None = None
    responsible_department: str | None = None
    responsible_leader: str | None = None
    rectification: str | None = None
    #: The unit's other columns for the step, by their heading (备注, 科室 …): kept as
    #: written, read by no rule, carried to the YAML and workbook a chart is converted to.
    extra: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    @property
    def is_holder(self) -> bool:
        """A task, decision or review: the post holds power here."""
        return self.kind in HOLDER_KINDS

    @property
    def has_discretion(self) -> bool:
        return self.discretion != "none"

    def attributes(self) -> dict[str, object]:
        """The model attributes as a plain dict, as they sit on the graph node."""
        return {
            "kind": self.kind, "label": self.label, "actor": self.actor,
            "discretion": self.discretion, "stakes": self.stakes,
            "controls": self.controls, "duty": self.duty,
            "declared_grade": self.declared_grade, "time_limit": self.time_limit,
            "basis": self.basis, "waive": dict(self.waive),
            **{name: getattr(self, name) for name in NOTE_FIELDS},
            "extra": dict(self.extra),
        }

    @property
    def notes(self) -> dict[str, str]:
        """The unit's notes it has (:data:`NOTE_FIELDS`), by name, in that order."""
        return {name: value for name in NOTE_FIELDS
                if (value := getattr(self, name)) is not None}


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Edge:
    """A ``flow`` or ``oversight`` edge between two steps."""

    source: str
    target: str
    kind: str = "flow"
    label: str | None = None
    position: Position | None = field(default=None, compare=False)


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class EdgeTable:
    """Edges of one kind kept by column, written one a line from ``lines[0]`` on, each
    starting at ``column`` (as the native YAML format writes an edge list).

    A chart of 100,000 steps linked to their next ten has a million edges: as
    :class:`Edge` objects, each with its :class:`Position`, they took 1.5 s to make and
    about 150 MB, and an audit reads none of them, only the pairs of steps they join.
    A :class:`Flowchart` given a table keeps it as it is and makes the edges when its
    ``flows`` or ``oversights`` are first asked for (:meth:`edges`): the same edges, in
    the same order, as the reader would have made. ``labels`` is None when no edge has
    a label.
    """

    kind: str
    sources: Sequence[str]
    targets: Sequence[str]
    labels: Sequence[str | None] | None
    lines: Sequence[int]
    column: int

    def __len__(self) -> int:
        return len(self.sources)

    def pairs(self) -> Iterable[tuple[str, str]]:
        """(source, target) of each edge, in order, without making the edges."""
        return zip(self.sources, self.targets, strict=True)

    def edges(self) -> tuple[Edge, ...]:
        """The edges as :class:`Edge` objects, each with its position."""
        kind, column = self.kind, self.column
        labels = self.labels or (None,) * len(self.sources)
        return tuple(Edge(source, target, kind, label, Position(line, column))
                     for source, target, label, line
                     in zip(self.sources, self.targets, labels, self.lines, strict=True))


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found: the steps, a message and the witness that proves it.

    ``witness`` is the path (a sequence of step ids) or edge that demonstrates the
    problem: a :class:`~flowgraph.paths.Witness`, which may share its steps with the
    witnesses of other findings (steps given as a tuple or list are wrapped in one);
    ``proposed_edge`` is an oversight edge the analyst could add (FG401), with ``None``
    as its source when the flowchart has no suitable overseer yet.
    """

    rule: str
    severity: str
    steps: tuple[str, ...]
    message: Text
    witness: Witness = NO_WITNESS
    proposed_edge: tuple[str | None, str] | None = None
    waived: bool = False
    waiver_reason: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.witness, Witness):
            object.__setattr__(self, "witness", Witness.of(self.witness))


@dataclass(frozen=True)
class Reason:
    """One factor of a score: what it is and the weight it adds (or takes away)."""

    factor: str
    weight: int
    text: Text

    def __call__(self, lang: str) -> str:
        """``较大裁量权 +1``; a factor that only explains (weight 0) is its words."""
        if not self.weight:
            return self.text(lang)
        sign = "+" if self.weight >= 0 else "−"
        return f"{self.text(lang)} {sign}{abs(self.weight)}"


def reasons_text(reasons: Iterable[Reason], lang: str) -> str:
    """Reasons in running text: ``较大裁量权 +3；涉及金额 ¥5,000,000 +2`` /
    ``high discretion +3; ¥5,000,000 at stake +2``."""
    return Text("；", "; ")(lang).join(reason(lang) for reason in reasons)


@dataclass(frozen=True)
class StepGrade:
    """The suggested grade of one risk point, with its score and reasons."""

    step: str
    score: int
    grade: int | None
    reasons: tuple[Reason, ...] = field(default=())

    def explain(self, lang: str) -> str:
        """``一级：较大裁量权 +3；涉及金额 ¥5,000,000 +2`` / ``grade 1: high discretion
        +3; ¥5,000,000 at stake +2``."""
        head = GRADE_NAMES[self.grade](lang) if self.grade else NO_GRADE(lang)
        if not self.reasons:
            return head
        return head + Text("：", ": ")(lang) + self.reasons_text(lang)

    def reasons_text(self, lang: str) -> str:
        """The reasons in running text: ``较大裁量权 +3；涉及金额 ¥5,000,000 +2``."""
        return reasons_text(self.reasons, lang)


#: Each step's flow successors and predecessors: step → {next step: None}, step →
#: {step before: None}, every step a key, in the order of the edges.
Adjacency = tuple[dict[str, dict[str, None]], dict[str, dict[str, None]]]


def adjacency(steps: Iterable[str], pairs: Iterable[tuple[str, str]]) -> Adjacency:
    """The successors and predecessors of ``steps`` along the ``pairs`` (source,
    target), a pair written twice kept once.

    Plain dicts rather than a networkx graph's: the rules' searches look them up
    millions of times, and building a DiGraph of a million edges (a dict of attributes
    for each) took a second and about 150 MB more."""
    succ: dict[str, dict[str, None]] = {step: {} for step in steps}
    pred: dict[str, dict[str, None]] = {step: {} for step in succ}
    for source, target in pairs:
        succ[source][target] = None
        pred[target][source] = None
    return succ, pred


class Flowchart:
    """One power-operation flowchart and its graph.

    Parameters
    ----------
    id, title : str
        Identifier (by default the file name) and the power item (权力事项).
    steps : iterable of Step
        In the order they were written; that order makes every output deterministic.
    flows, oversights : iterable of Edge, or an EdgeTable
        A reader of a large chart may give an :class:`EdgeTable`: the edges are then
        made when ``flows`` or ``oversights`` is first read.
    actors : iterable of Actor
    unit, category, basis, superior_in_charge : str, optional
    source : str, optional
        The file it was read from.
    warnings : iterable of LoadWarning, optional
        What the reader skipped or could not take (an unsupported BPMN construct, a
        message flow to a collapsed pool): the rest of the file still loaded.
    readings : iterable of LoadNote, optional
        What the reader understood from free text (a BPMN annotation's phrases and the
        values they set), shown by ``check -v`` and ``convert``.
    flow_adjacency : Adjacency, optional
        :func:`adjacency` of these steps and flows, when the reader made it while
        checking the flows (a million edges are not gone through twice); made when
        first needed otherwise.

    The ``graph`` is a :class:`networkx.MultiDiGraph` whose nodes carry the step
    attributes and whose edges are keyed by kind (``"flow"`` / ``"oversight"``);
    ``flow`` is the :class:`networkx.DiGraph` of flow edges alone; the rules walk
    :attr:`succ` and :attr:`pred`, its adjacency as plain dicts.
    """

    def __init__(self, id: str, title: str, steps: Iterable[Step],
                 flows: Iterable[Edge] | EdgeTable = (),
                 oversights: Iterable[Edge] | EdgeTable = (),
                 actors: Iterable[Actor] = (), *, unit: str | None = None,
                 category: str | None = None, basis: str | None = None,
                 superior_in_charge: str | None = None, source: str | None = None,
                 warnings: Iterable[LoadWarning] = (), readings: Iterable[LoadNote] = (),
                 flow_adjacency: Adjacency | None = None):
        self.id = id
        self.title = title
        self.unit = unit
        self.category = category
        self.basis = basis
        self.superior_in_charge = superior_in_charge
        self.source = source
        self.warnings: tuple[LoadWarning, ...] = tuple(warnings)
        self.readings: tuple[LoadNote, ...] = tuple(readings)
        self.steps: dict[str, Step] = {s.id: s for s in steps}
        self.actors: dict[str, Actor] = {a.id: a for a in actors}
        self._flows = flows if isinstance(flows, EdgeTable) else tuple(flows)
        self._oversights = oversights if isinstance(oversights, EdgeTable) \
            else tuple(oversights)
        if flow_adjacency is None:
            self._check_ends(self._flows)
        else:  # made of the flows: each end was found among the steps
            self.__dict__["_adjacency"] = flow_adjacency
        self._check_ends(self._oversights)

    def _check_ends(self, edges: tuple[Edge, ...] | EdgeTable) -> None:
        """Every edge joins declared steps. A table's ends are checked as sets (a
        million edges in a few hundredths of a second), then, if one is not a step,
        edge by edge as a tuple's are, so that the error names the first such edge."""
        if isinstance(edges, EdgeTable):
            if self.steps.keys() >= set(edges.sources) \
                    and self.steps.keys() >= set(edges.targets):
                return
            edges = edges.edges()
        for edge in edges:
            for end in (edge.source, edge.target):
                if end not in self.steps:
                    raise ValueError(f"edge {edge.source} -> {edge.target}: "
                                     f"step {end!r} is not declared")

    def __repr__(self) -> str:
        return f"<Flowchart {self.id!r} {self.title!r}: {len(self.steps)} steps>"

    #: No warnings unless the reader gave some (also for results cached before them).
    warnings: tuple = ()
    readings: tuple = ()

    #: What a flowchart is; everything else in ``__dict__`` is derived and cached.
    _STATE = ("id", "title", "unit", "category", "basis", "superior_in_charge", "source",
              "steps", "actors", "flows", "oversights", "warnings", "readings")
    #: Where the edges are kept (a tuple of edges or a table): part of what it is.
    _EDGES = {"flows": "_flows", "oversights": "_oversights"}

    @property
    def flows(self) -> tuple[Edge, ...]:
        """The flow edges, in the order written."""
        if isinstance(self._flows, EdgeTable):
            self._flows = self._flows.edges()  # made once, when first asked for
        return self._flows

    @property
    def oversights(self) -> tuple[Edge, ...]:
        """The oversight edges, in the order written."""
        if isinstance(self._oversights, EdgeTable):
            self._oversights = self._oversights.edges()
        return self._oversights

    def replace(self, **changes) -> Flowchart:
        """A new flowchart with the given attributes changed and every other one carried
        over, as :func:`dataclasses.replace` does for the model's dataclasses.

        ``changes`` take the constructor's names (``steps``, ``actors``, ``warnings``,
        ``source`` …); steps and actors may be given as iterables or as mappings by id,
        as the attributes hold them. The copy is built by the constructor, so it is
        checked as any flowchart is. A reader that derives one flowchart from another
        (the side file of actors) copies it this way rather than field by field: a
        field left out would be silently lost.

        >>> chart = Flowchart("c", "收费", [Step("s", "start", "开始")], unit="市局")
        >>> chart.replace(title="减免").unit
        '市局'
        """
        unknown = set(changes) - set(self._STATE)
        if unknown:
            raise TypeError(f"Flowchart has no attribute(s) {', '.join(sorted(unknown))}")
        state = self.__getstate__()
        state.update(changes)
        for key in ("steps", "actors"):
            if isinstance(state[key], Mapping):
                state[key] = state[key].values()
        return Flowchart(**state)

    def __getstate__(self) -> dict:
        """Pickle the flowchart without its cached graphs: they are rebuilt on demand,
        and a batch sends results between processes and into its cache. Edges kept in
        a table stay in it."""
        return {key: getattr(self, self._EDGES.get(key, key)) for key in self._STATE}

    def __setstate__(self, state: dict) -> None:
        for key, value in state.items():
            setattr(self, self._EDGES.get(key, key), value)

    def release(self) -> None:
        """Drop the cached graphs and searches (a batch keeps results, not graphs)."""
        kept = {self._EDGES.get(key, key) for key in self._STATE}
        for key in list(self.__dict__):
            if key not in kept:
                del self.__dict__[key]

    # -- graphs -------------------------------------------------------------------

    def _flow_pairs(self) -> Iterable[tuple[str, str]]:
        """(source, target) of each flow edge, in order, without making the edges."""
        if isinstance(self._flows, EdgeTable):
            return self._flows.pairs()
        return ((edge.source, edge.target) for edge in self._flows)

    @cached_property
    def flow(self) -> nx.DiGraph:
        """The flow edges as a directed graph over every step."""
        import networkx as nx
        graph = nx.DiGraph()
        graph.add_nodes_from(self.steps)
        graph.add_edges_from(self._flow_pairs())
        return graph

    @cached_property
    def _adjacency(self) -> Adjacency:
        """Each step's flow successors and predecessors (:func:`adjacency`), unless the
        reader gave them (``adjacency``)."""
        return adjacency(self.steps, self._flow_pairs())

    @property
    def succ(self) -> Mapping[str, Mapping[str, None]]:
        """Flow successors of each step (the keys of its mapping), read-only by contract:
        what ``flow.succ`` holds, without networkx's views (they cost a call per
        lookup, which dominates a search over 100,000 steps)."""
        return self._adjacency[0]

    @property
    def pred(self) -> Mapping[str, Mapping[str, None]]:
        """Flow predecessors, as :attr:`succ`."""
        return self._adjacency[1]

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The whole flowchart: step attributes on nodes, edges keyed by kind."""
        import networkx as nx
        graph = nx.MultiDiGraph(id=self.id, title=self.title, unit=self.unit,
                                category=self.category)
        for step in self.steps.values():
            graph.add_node(step.id, **step.attributes())
        for edge in self.flows + self.oversights:
            graph.add_edge(edge.source, edge.target, key=edge.kind, label=edge.label)
        return graph

    # -- steps --------------------------------------------------------------------

    @cached_property
    def order(self) -> dict[str, int]:
        """The position of each step in the declaration order, for stable sorting."""
        return {step_id: index for index, step_id in enumerate(self.steps)}

    @cached_property
    def starts(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps.values() if s.kind == "start")

    @cached_property
    def ends(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps.values() if s.kind == "end")

    @cached_property
    def in_flow(self) -> tuple[str, ...]:
        """Steps that take part in the flow.

        Oversight and disclosure steps with no flow edge stand beside the flow: they
        watch through oversight edges, and the reachability rules do not apply to them.
        """
        succ, pred = self.succ, self.pred
        return tuple(s.id for s in self.steps.values()
                     if s.kind not in CHECK_KINDS or succ[s.id] or pred[s.id])

    @cached_property
    def reached_from_start(self) -> dict[str, str | None]:
        """Steps reachable from a start, each with its predecessor on a shortest path."""
        return breadth_first(self.starts, self.succ)

    @cached_property
    def reaching_end(self) -> dict[str, str | None]:
        """Steps from which an end is reachable, each with its next step towards it."""
        return breadth_first(self.ends, self.pred)

    @cached_property
    def components(self) -> tuple[list[list[str]], dict[str, int]]:
        """The strongly connected components of the flow (loops), sinks first, and the
        index of each step's component."""
        components = strongly_connected(self.steps, self.succ)
        where = {step: number for number, members in enumerate(components)
                 for step in members}
        return components, where

    def actor_of(self, step_id: str) -> Actor | None:
        """The declared actor of a step, or None (no actor, or not declared)."""
        actor = self.steps[step_id].actor
        return self.actors.get(actor) if actor is not None else None

    def is_collective(self, actor_id: str | None) -> bool:
        actor = self.actors.get(actor_id) if actor_id is not None else None
        return actor is not None and actor.is_collective

    # -- reporting lines ----------------------------------------------------------

    @cached_property
    def superiors(self) -> dict[str, tuple[str, ...]]:
        """For each actor, its chain of superiors up ``reports_to`` (nearest first).

        A chain stops at an undeclared actor or where it would loop.
        """
        chains: dict[str, tuple[str, ...]] = {}
        for actor_id in self.actors:
            chain: list[str] = []
            seen = {actor_id}
            boss = self.actors[actor_id].reports_to
            while boss is not None and boss not in seen:
                chain.append(boss)
                seen.add(boss)
                boss = self.actors[boss].reports_to if boss in self.actors else None
            chains[actor_id] = tuple(chain)
        return chains

    @cached_property
    def subordinates(self) -> dict[str, tuple[str, ...]]:
        """For each actor, the actors that report to it directly or indirectly."""
        below: dict[str, list[str]] = {}
        for actor_id, chain in self.superiors.items():
            for boss in chain:
                below.setdefault(boss, []).append(actor_id)
        return {boss: tuple(ids) for boss, ids in below.items()}

    def is_independent(self, actor_b: str | None, actor_a: str | None) -> bool:
        """Actor B is independent of actor A: B ≠ A and B does not report to A.

        A missing (None) or undeclared actor B is never independent: nobody can tell
        whose line it belongs to (FG105 and FG106 report it).
        """
        if actor_b is None or actor_a is None or actor_b == actor_a \
                or actor_b not in self.actors:
            return False
        return actor_a not in self.superiors.get(actor_b, ())


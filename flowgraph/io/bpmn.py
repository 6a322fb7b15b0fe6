"""BPMN 2.0: reading what modelling tools export, and writing it back without loss.

Reading (design.md §5). Every process of the file, and every pool of a collaboration,
make one flowchart:

* lanes (the innermost one holding a node) are the actors; a pool without lanes is the
  actor of its nodes;
* start and end events are ``start`` and ``end``; gateways are ``gateway``;
  intermediate and boundary events are neutral (``system``: nothing is decided there),
  a boundary event being reached from the activity it is attached to;
* tasks are steps: service, script, business-rule and send tasks are ``system``; other
  tasks and call activities are ``decision``, ``review``, ``disclosure`` or
  ``oversight`` when their name says so (审批, 审核, 公示, 监督 …), else ``task``;
* sub-processes are expanded: their nodes join the chart, a flow into the sub-process
  goes to its start events and a flow out of it leaves from its end events; a
  sub-process with no nodes of its own (collapsed, drawn elsewhere) is one task;
* sequence flows are ``flow`` edges. A message flow from a pool or lane whose name is
  supervisory (纪检, 监察室, 审计局, 巡察 …: bodies that supervise; configurable; a regulator
  such as 市场监督管理局 is not) is an
  ``oversight`` edge: from the task that sends it, or from the pool itself (a collapsed
  pool becomes one oversight step). Message flows between the matter's own pools are
  ``flow`` edges;
* a text annotation associated with a task adds the controls it names (the control
  vocabulary), the discretion, amount, personnel matter and duty it states, in the
  words people write (:mod:`.annotations`: 裁量权较大，尚未制定裁量基准 → ``high``, no
  benchmark); each phrase read is a note on the flowchart (``check -v``, ``convert``);
* an expanded sub-process's start and end events are passed through, a
  non-interrupting boundary event's branch returns to its activity, a message flow
  between the unit's pools hands the matter over without ending it, one to a
  supervisory pool reports the sending step for the record (备案: oversight of it), and
  an association between a step of a supervisory lane and another step is oversight
  (:mod:`.bpmn_meaning`).

Attributes in the flowgraph namespace (:data:`NS`, prefix ``fg``) carry every model
attribute; they take precedence over anything inferred. Vendor extensions
(``extensionElements``, other namespaces) and the diagram interchange (``bpmndi``) are
ignored. A construct flowgraph does not model (a choreography, a conversation, a data
association's target as a step, a message flow into a collapsed pool) is a warning on
the flowchart and the rest still loads.

Writing: one process with a lane per actor; oversight steps that stand beside the flow
go in a second, supervisory pool, their oversight edges become message flows, and any
other oversight edge is kept as an ``fg:oversightFlow`` in the collaboration's
extension elements. A diagram is written too (:mod:`.swimlanes`): Camunda Modeler
and bpmn.io show nothing of a file without one.

An audit's marks (:class:`~flowgraph.io.writers.Mark`) colour the steps' shapes with
the attributes bpmn-js and Camunda Modeler read (``color:background-color``, the OMG's
non-normative colour extension, and ``bioc:fill``, bpmn.io's older one) and put each
note in a text annotation above its step (the lanes made taller to hold it; the
findings' sentences in its documentation, which the properties panel shows), marked
``fg:audit="true"``: reading skips such annotations, so an annotated file reads back
to the same flowchart.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LoadError, LoadWarning
from ..i18n import Text
from ..model import NEUTRAL_KINDS, STEP_KINDS, Flowchart, Step
from . import Charts, is_supervisory_name, kind_by_words
from .annotations import Said, combine, read_annotation
from .bpmn_meaning import hand_overs, pass_through, side_branches
from .builder import ACTOR_ATTRIBUTES, META_KEYS, STEP_ATTRIBUTES, ChartBuilder, Place, plain_amount
from .limits import too_many
from .options import DEFAULT_READ_OPTIONS, ReadOptions
from .swimlanes import (
    GAP,
    GRID,
    Box,
    Pool,
    coordinate,
    flow_waypoints,
    lay_out,
    message_waypoints,
)
from .words import choice_word, yes_no
from .xml_safe import count_elements, local, namespace, parse

if TYPE_CHECKING:
    from .writers import Mark

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
#: The flowgraph extension namespace.
NS = "https://flowgraph.dev/schema/bpmn/1"
#: The diagram interchange: BPMN's, and the shared bounds and waypoints.
DI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DD = "http://www.omg.org/spec/DD/20100524/DI"
#: The colour extensions bpmn-js reads: bpmn.io's, and the OMG's non-normative one.
BIOC = "http://bpmn.io/schema/bpmn/biocolor/1.0"
COLOR = "http://www.omg.org/spec/BPMN/non-normative/color/1.0"
#: An annotated file's lanes: room above each step for its note (three lines of
#: bpmn-js's 12 px text).
NOTE_HEIGHT = 50
NOTE_WIDTH = 140

#: The step attributes of the flowgraph namespace, as a set: looked up for every
#: attribute of every node.
_STEP_ATTRIBUTES = frozenset(STEP_ATTRIBUTES)
#: Kinds whose steps have no actor and no discretion from a lane or an annotation.
NO_ACTOR_KINDS = frozenset(("start", "end", "gateway", "system"))
MODEL_PREFIX = f"{{{MODEL}}}"
MODEL_LENGTH = len(MODEL_PREFIX)
FG_PREFIX = f"{{{NS}}}"
FG_LENGTH = len(FG_PREFIX)

EVENTS_START = {"startEvent"}
EVENTS_END = {"endEvent"}
EVENTS_NEUTRAL = {"intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
                  "implicitThrowEvent"}
GATEWAYS = {"exclusiveGateway", "parallelGateway", "inclusiveGateway",
            "eventBasedGateway", "complexGateway"}
SYSTEM_TASKS = {"serviceTask", "scriptTask", "businessRuleTask", "sendTask"}
TASKS = {"task", "userTask", "manualTask", "receiveTask", "callActivity"}
SUBPROCESSES = {"subProcess", "transaction", "adHocSubProcess"}
#: The nodes that become one step each.
STEP_NODES = EVENTS_START | EVENTS_END | EVENTS_NEUTRAL | GATEWAYS | SYSTEM_TASKS | TASKS
#: Process content that is not a step and needs no warning.
IGNORED = {"laneSet", "sequenceFlow", "extensionElements", "documentation",
           "dataObject", "dataObjectReference", "dataStoreReference", "dataInput",
           "dataOutput", "ioSpecification", "property", "textAnnotation", "association",
           "group", "category", "dataInputAssociation", "dataOutputAssociation",
           "multiInstanceLoopCharacteristics", "standardLoopCharacteristics",
           "incoming", "outgoing", "auditing", "monitoring"}

WHAT = Text("BPMN 2.0 文件 (<definitions> 根元素)", "a BPMN 2.0 file (a <definitions> root)")


def read(data: bytes, name: str, options: ReadOptions = DEFAULT_READ_OPTIONS) -> Charts:
    """The flowchart of a BPMN 2.0 file. ``options`` give the names of supervisory pools
    and lanes and the control vocabulary that annotations are read in. A file whose
    processes hold no step (only pools, an empty process) gives no flowchart and a
    warning (:class:`~flowgraph.io.Charts`)."""
    count_elements(data, name, options.limits)
    root = parse(data, name, WHAT)
    if local(root.tag) != "definitions" or namespace(root.tag) != MODEL:
        raise LoadError(Text(f"根元素为 <{local(root.tag)}>, 应为{WHAT.zh}",
                             f"the root element is <{local(root.tag)}>; expected {WHAT.en}"),
                        name, root.sourceline)
    reader = _Reader(root, name, options)
    chart = reader.read()
    if chart is None:
        return Charts((), (*reader.builder.warnings,
                           LoadWarning(Text("文件中的流程没有步骤，已跳过",
                                            "the file's processes hold no step: skipped"),
                                       name, root.sourceline)))
    return Charts([chart])


def _fg(element, key: str):
    return element.get(f"{{{NS}}}{key}")


class _Where:
    """The context of a place, ``<task id='t'>``, formatted only if an error or a
    warning shows it (most elements never need it)."""

    __slots__ = ("tag", "ident")

    def __init__(self, tag: str, ident: str):
        self.tag, self.ident = tag, ident

    @property
    def zh(self) -> str:
        return f"<{self.tag} id=“{self.ident}”>"

    @property
    def en(self) -> str:
        return f"<{self.tag} id='{self.ident}'>"


def _place(element, tag: str | None = None, ident: str | None = None) -> Place:
    """Where an element is (its tag and id may be given when the caller has them)."""
    return Place(element.sourceline, None, _Where(tag or local(element.tag),
                                                  ident or element.get("id") or ""))


class _Reader:
    """One pass over the definitions: participants, lanes, nodes, then edges."""

    def __init__(self, root, name: str, options: ReadOptions):
        self.root = root
        self.name = name
        self.options = options
        self.builder = ChartBuilder(name, options.limits)
        self.builder.drawn = True
        self.processes: dict[str, object] = {}  # id -> <process>
        self.step_of: dict[str, str] = {}      # element id -> step id
        self.entries: dict[str, list[str]] = {}  # sub-process id -> its start step ids
        self.exits: dict[str, list[str]] = {}    # sub-process id -> its end step ids
        self.supervisory_scope: set[str] = set()  # element ids in supervisory pools/lanes
        self.pool_actor: dict[str, str] = {}   # process id -> the actor of its pool
        self.pool_supervisory: set[str] = set()  # process ids of supervisory pools
        self.participants: dict[str, object] = {}
        self.annotations: dict[str, list[str]] = {}  # element id -> annotation texts
        # annotation text -> what it says: read once, however many nodes it is tied to
        self.readings: dict[str, Said] = {}
        self.implied = 0  # edges flows into and out of sub-processes make beyond one each
        self.boundaries: list[tuple[str, str, Place]] = []  # (activity, event, place)
        self.side: list[tuple[str, str, Place]] = []  # the non-interrupting ones
        self.handed: list[tuple[str, str, Place]] = []  # (sender, receiver, place) steps
        self.links: list[tuple[str, str, Place]] = []  # associations between nodes

    # -- the whole -------------------------------------------------------------------

    def read(self) -> Flowchart | None:
        processes = [e for e in self.root if self._is(e, "process")]
        self.processes = {e.get("id"): e for e in processes}
        collaborations = [e for e in self.root if self._is(e, "collaboration")]
        for other in self.root:
            if local(other.tag) in ("choreography", "conversation") and \
                    namespace(other.tag) == MODEL:
                self.builder.warn(_place(other), f"不支持 {local(other.tag)}, 已忽略",
                                  f"{local(other.tag)} is not supported and was skipped")
        if not processes and not collaborations:
            raise LoadError(Text("文件中没有流程 (<process>)",
                                 "the file holds no process (<process>)"), self.name,
                            self.root.sourceline)
        self._meta(processes, collaborations)
        for collaboration in collaborations:
            self._participants(collaboration)
        self._annotations()
        flows: list = []  # the processes' sequence flows, once every step is known
        for process in processes:
            self._process(process, flows)
        for attached, event, place in self.boundaries:
            self._edge("flow", attached, event, place, None)
        for flow in flows:
            self._sequence_flow(flow)
        for collaboration in collaborations:
            self._message_flows(collaboration)
            self._extension_oversights(collaboration)
        self._watching_lanes()
        if not self.builder.steps:
            return None
        self._as_meant()
        return self.builder.build(Path(self.name).stem)

    def _as_meant(self) -> None:
        """The drawing as the modeller means it (:mod:`.bpmn_meaning`): side branches
        return to their activity, hand-overs do not end the matter, sub-processes'
        start and end events are passed through."""
        steps = self.step_of
        side_branches(self.builder, [(steps[a], steps[e], place) for a, e, place in self.side
                                     if a in steps and e in steps])
        hand_overs(self.builder, self.handed)
        limit = self.options.limits.implied_edges
        pass_through(self.builder, max(limit - self.implied, 0))

    @staticmethod
    def _is(element, tag: str) -> bool:
        return isinstance(element.tag, str) and element.tag == f"{{{MODEL}}}{tag}"

    def _supervisory_name(self, text: str | None) -> bool:
        return is_supervisory_name(text, self.options.supervisory_names)

    def _meta(self, processes, collaborations) -> None:
        """Title and the other flowchart attributes: from fg attributes on the
        definitions, the collaboration or the first process; else the title is the
        name of the first named process (or pool)."""
        carriers = [self.root, *collaborations, *processes]
        for key in META_KEYS:
            for carrier in carriers:
                value = _fg(carrier, key)
                if value is not None:
                    self.builder.set_meta(key, value, _place(carrier))
                    break
        if "title" not in self.builder.meta:
            named = [e for e in [*processes, *self._all(collaborations, "participant"),
                                 *collaborations, self.root] if e.get("name")]
            if named:
                self.builder.set_meta("title", named[0].get("name"), _place(named[0]))
            else:
                self.builder.set_meta("title", Path(self.name).stem, Place())

    def _all(self, parents, tag: str) -> list:
        return [e for parent in parents for e in parent if self._is(e, tag)]

    # -- actors ------------------------------------------------------------------------

    def _participants(self, collaboration) -> None:
        for participant in collaboration:
            if not self._is(participant, "participant"):
                continue
            ident = participant.get("id")
            self.participants[ident] = participant
            process_ref = participant.get("processRef")
            supervisory = self._supervisory_pool(participant)
            if process_ref:
                if supervisory:
                    self.pool_supervisory.add(process_ref)
                process = self.processes.get(process_ref)
                if process is not None and participant.get("name") and \
                        not any(self._is(e, "laneSet") for e in process):
                    self.pool_actor[process_ref] = self._actor(participant, supervisory)

    def _actor(self, element, supervisory: bool) -> str:
        """The actor a lane or pool stands for (declared once)."""
        actor_id = _fg(element, "actor") or element.get("id")
        if actor_id not in self.builder.actors:
            values = {key: _fg(element, key) for key in ACTOR_ATTRIBUTES}
            if values["oversight"] is None and supervisory:
                values["oversight"] = True
            self.builder.add_actor(actor_id, _place(element),
                                   name=element.get("name") or actor_id, **values)
        return actor_id

    def _lanes(self, lane_set, supervisory: bool, actor_of: dict[str, str]) -> None:
        """Map each node to the innermost lane that lists it."""
        for lane in lane_set.iterchildren(f"{{{MODEL}}}lane"):
            lane_supervisory = supervisory or self._supervisory_name(lane.get("name"))
            children = list(lane.iterchildren(f"{{{MODEL}}}childLaneSet"))
            if not children or _fg(lane, "actor"):
                actor = self._actor(lane, lane_supervisory)
                for ref in lane.iterchildren(f"{{{MODEL}}}flowNodeRef"):
                    node = (ref.text or "").strip()
                    if node:
                        actor_of[node] = actor
                        if lane_supervisory:
                            self.supervisory_scope.add(node)
            for child in children:
                self._lanes(child, lane_supervisory, actor_of)

    # -- annotations -----------------------------------------------------------------

    def _annotations(self) -> None:
        texts = {}
        # the model's own parts only: the diagram interchange may be most of the file
        semantic = [e for e in self.root if isinstance(e.tag, str) and namespace(e.tag) == MODEL]
        for annotation in (a for part in semantic for a in part.iter(f"{{{MODEL}}}textAnnotation")):
            if _fg(annotation, "audit") == "true":  # an audit's note, not the model's
                continue
            text = "".join(t.text or "" for t in annotation if self._is(t, "text")).strip()
            texts[annotation.get("id")] = text
        for association in (a for part in semantic for a in part.iter(f"{{{MODEL}}}association")):
            source, target = association.get("sourceRef"), association.get("targetRef")
            if source not in texts and target not in texts:
                self.links.append((source, target, _place(association)))
            for annotation, other in ((source, target), (target, source)):
                if annotation in texts and texts[annotation]:
                    self.annotations.setdefault(other, []).append(texts[annotation])

    def _watching_lanes(self) -> None:
        """An association between a step of a supervisory lane (a 纪检 lane inside the
        unit's own pool, where BPMN allows no message flow) and a step of the flow: the
        first oversees the second."""
        for one, other, place in self.links:
            if one not in self.step_of or other not in self.step_of:
                continue
            if self._from_supervisory(other) and not self._from_supervisory(one):
                one, other = other, one
            elif not self._from_supervisory(one) or self._from_supervisory(other):
                continue
            self._edge("oversight", one, other, place, None)
            steps = self.builder.steps
            watcher, watched = steps[self.step_of[one]].label, steps[self.step_of[other]].label
            self.builder.note(place, f"关联线：视为 “{watcher}” 对 “{watched}” 的监督",
                              f"the association: read as oversight of '{watched}' by "
                              f"'{watcher}'")

    # -- nodes -----------------------------------------------------------------------

    def _process(self, process, flows: list) -> None:
        process_id = process.get("id")
        supervisory = process_id in self.pool_supervisory
        actor_of: dict[str, str] = {}
        for lane_set in process.iterchildren(f"{{{MODEL}}}laneSet"):
            self._lanes(lane_set, supervisory, actor_of)
        self._nodes(process, actor_of, self.pool_actor.get(process_id), supervisory, flows)

    def _nodes(self, container, actor_of, pool_actor, supervisory, flows: list) -> None:
        """The steps of a process or sub-process, in one pass over its children (the
        sequence flows among them are put in ``flows``)."""
        for element in container:
            tag = element.tag
            if not isinstance(tag, str) or not tag.startswith(MODEL_PREFIX):
                continue  # vendor extensions, comments
            tag = tag[MODEL_LENGTH:]
            if tag in STEP_NODES:
                self._step(element, tag, actor_of, pool_actor, supervisory)
            elif tag == "sequenceFlow":
                flows.append(element)
            elif tag in IGNORED:
                continue
            elif tag in SUBPROCESSES and self._has_nodes(element):
                self._subprocess(element, actor_of, pool_actor, supervisory)
            elif tag in SUBPROCESSES:  # collapsed, its content elsewhere: one step
                self._step(element, "task", actor_of, pool_actor, supervisory)
            else:
                self.builder.warn(_place(element), f"不支持 <{tag}>, 已忽略",
                                  f"<{tag}> is not supported and was skipped")

    @staticmethod
    def _has_nodes(element) -> bool:
        """Whether a sub-process holds its own nodes (expanded) or only a name."""
        return any(isinstance(c.tag, str) and namespace(c.tag) == MODEL
                   and local(c.tag) in STEP_NODES | SUBPROCESSES for c in element)

    def _subprocess(self, element, actor_of, pool_actor, supervisory) -> None:
        """Expand a sub-process: its nodes join the chart in its place."""
        ident = element.get("id")
        if element.get("triggeredByEvent") == "true":
            self.builder.warn(_place(element), "事件子流程未建模, 已忽略",
                              "an event sub-process is not modelled and was skipped")
            return
        inner_actor = actor_of.get(ident, pool_actor)
        nested = dict(actor_of)
        for child in element:
            if self._is(child, "laneSet"):
                self._lanes(child, supervisory, nested)
        flows: list = []
        self._nodes(element, nested, inner_actor, supervisory, flows)
        children = [c for c in element if isinstance(c.tag, str)]
        starts = [self.step_of[c.get("id")] for c in children
                  if local(c.tag) == "startEvent" and c.get("id") in self.step_of]
        ends = [self.step_of[c.get("id")] for c in children
                if local(c.tag) == "endEvent" and c.get("id") in self.step_of]
        if not starts or not ends:  # BPMN: the nodes nothing flows into start, and so on
            inner = [c.get("id") for c in children
                     if c.get("id") in self.step_of or c.get("id") in self.entries]
            into = {f.get("targetRef") for f in flows}
            out = {f.get("sourceRef") for f in flows}
            starts = starts or [s for i in inner if i not in into
                                for s in self.entries.get(i, [self.step_of.get(i)]) if s]
            ends = ends or [s for i in inner if i not in out
                            for s in self.exits.get(i, [self.step_of.get(i)]) if s]
        if not starts or not ends:
            self.builder.warn(_place(element),
                              "子流程中没有可进入或可离开的步骤，其进出的连线已忽略",
                              "the sub-process has no step to enter or to leave by: the "
                              "flows into or out of it were skipped")
        self.entries[ident] = starts
        self.exits[ident] = ends
        for flow in flows:
            self._sequence_flow(flow)

    def _kind(self, name: str | None, tag: str, supervisory: bool) -> str:
        if tag in EVENTS_START:
            return "start"
        if tag in EVENTS_END:
            return "end"
        if tag in GATEWAYS:
            return "gateway"
        if tag in EVENTS_NEUTRAL or tag in SYSTEM_TASKS:
            return "system"
        if supervisory:
            return "oversight"
        return kind_by_words(name)

    def _step(self, element, tag: str, actor_of: dict[str, str], pool_actor: str | None,
              supervisory: bool) -> None:
        """A node as a step: its lane's actor (else its pool's), its kind from its type
        or name, its controls and discretion from its annotations; fg attributes
        override all of these."""
        ident, name, attached, step_id, values = _step_attributes(element)
        place = _place(element, tag, ident)
        kind = values.pop("kind", None) or \
            self._kind(name, tag, supervisory or ident in self.supervisory_scope)
        # fg:kind may be a unit's word (开始): a start has no actor whatever it is called
        holder = (choice_word("kind", kind, STEP_KINDS) or kind) not in NO_ACTOR_KINDS
        if holder and "actor" not in values:
            values["actor"] = actor_of.get(ident, pool_actor)
        notes = self.annotations.get(ident)
        if notes:
            said, phrases = combine([self._reading(text) for text in notes])
            for key, value in said.items():
                if key not in values and (holder or key == "controls"):
                    values[key] = value
            if phrases:
                self._note_phrases(place, name or ident, phrases)
        self.builder.add_step(step_id or ident, place, kind=kind,
                              label=name.strip() or None if name else None, **values)
        self.step_of[ident] = step_id or ident
        if attached and tag == "boundaryEvent":  # once every activity is known
            self.boundaries.append((attached, ident, place))
            if element.get("cancelActivity") == "false":
                self.side.append((attached, ident, place))

    def _reading(self, text: str) -> Said:
        """What an annotation's text says (:func:`.annotations.read_annotation`), read
        once per text: one long annotation tied to thousands of tasks is not searched
        thousands of times."""
        if text not in self.readings:
            self.readings[text] = read_annotation(text, self.options.control_synonyms)
        return self.readings[text]

    def _note_phrases(self, place: Place, name: str, phrases) -> None:
        """What the annotations of a step were read as, one note for the step."""
        zh = "；".join(f"“{phrase}” → {meaning.zh}" for phrase, meaning in phrases)
        en = "; ".join(f"'{phrase}' → {meaning.en}" for phrase, meaning in phrases)
        self.builder.note(place, f"“{name.strip()}” 的批注读作：{zh}",
                          f"the annotations of '{name.strip()}' read as: {en}")

    # -- edges -----------------------------------------------------------------------

    def _sequence_flow(self, flow) -> None:
        ident = source = target = name = None
        for key, value in flow.items():  # one pass, as for steps
            if key == "sourceRef":
                source = value
            elif key == "targetRef":
                target = value
            elif key == "id":
                ident = value
            elif key == "name":
                name = value
        self._edge("flow", source, target, _place(flow, "sequenceFlow", ident), name)

    def _edge(self, kind, source, target, place, label) -> None:
        """An edge between elements: sub-processes stand for their ends and starts, a
        flow from one to another making an edge from each end event to each start
        event. Those edges are counted, and refused past the limit before they are
        made (3,000 end events feeding 3,000 start events would be nine million)."""
        source, target = self._ref(source), self._ref(target)
        if source not in self.exits and target not in self.entries:  # most edges
            self.builder.add_edge(kind, self.step_of.get(source, source),
                                  self.step_of.get(target, target), place, label)
            return
        sources = self.exits.get(source, [self.step_of.get(source, source)])
        targets = self.entries.get(target, [self.step_of.get(target, target)])
        self.implied += max(len(sources) * len(targets) - 1, 0)
        limit = self.options.limits.implied_edges
        if self.implied > limit:
            message = too_many("子流程的进出连线所隐含的连线 (每个结束事件到每个开始事件)",
                               "edges implied by flows into and out of sub-processes (one "
                               "from each end event, one to each start event)", limit, None)
            self.builder.fail(place, message.zh, message.en)
        for s in sources:
            for t in targets:
                self.builder.add_edge(kind, s, t, place, label)

    def _ref(self, ident: str | None) -> str | None:
        """An element reference as an id: a QName (IBM Process Designer writes
        ``Process:bpmnid-…``) is the id after its prefix when only that is known."""
        if ident and ":" in ident and ident not in self.step_of and \
                ident not in self.exits and ident not in self.entries:
            local_id = ident.rpartition(":")[2]
            if local_id in self.step_of or local_id in self.exits or local_id in self.entries:
                return local_id
        return ident

    def _message_flows(self, collaboration) -> None:
        """Message flows: one to a supervisory pool or step reports the sending step for
        the record (备案: oversight of it), one from a supervisory pool or step oversees
        its target, one between the unit's own pools hands the matter over (a flow that
        continues it)."""
        for flow in collaboration:
            if not self._is(flow, "messageFlow"):
                continue
            source, target = flow.get("sourceRef"), flow.get("targetRef")
            place = _place(flow)
            if self._to_supervisory(target) and source not in self.participants \
                    and (source in self.step_of or source in self.exits) \
                    and not self._from_supervisory(source):
                self._for_the_record(source, target, place, flow.get("name"))
                continue
            if target in self.participants and not self._to_supervisory(target) \
                    and not self._watches(source):
                continue  # a notice to the applicant's black-box pool: outside the model
            if target in self.participants or target not in self.step_of and \
                    target not in self.entries:
                self.builder.warn(place,
                                  "消息流指向整个泳池或未知元素, 无法确定被监督的步骤, 已忽略",
                                  "the message flow goes to a whole pool or an unknown "
                                  "element, so the watched step is unknown: skipped")
                continue
            if source in self.participants:
                participant = self.participants[source]
                if not self._supervisory_pool(participant):
                    continue  # the applicant's black-box pool: outside the model
                source = self._pool_step(participant)
            elif source not in self.step_of and source not in self.exits:
                self.builder.warn(place, "消息流来自未知元素, 已忽略",
                                  "the message flow comes from an unknown element: skipped")
                continue
            elif not self._from_supervisory(source):
                self._edge("flow", source, target, place, flow.get("name"))
                if source in self.step_of and target in self.step_of:
                    self.handed.append((self.step_of[source], self.step_of[target], place))
                continue
            self._edge("oversight", source, target, place, flow.get("name"))

    def _supervisory_pool(self, participant) -> bool:
        return self._supervisory_name(participant.get("name")) or \
            bool(yes_no(_fg(participant, "oversight") or ""))

    def _watches(self, source: str | None) -> bool:
        """Whether a message flow's source is a supervisory pool or a step of one."""
        participant = self.participants.get(source)
        if participant is not None:
            return self._supervisory_pool(participant)
        return self._from_supervisory(source)

    def _to_supervisory(self, target: str | None) -> bool:
        """Whether a message flow's target is a supervisory pool or a step of one."""
        participant = self.participants.get(target)
        if participant is not None:
            return self._supervisory_pool(participant)
        return target in self.step_of and self._from_supervisory(target)

    def _for_the_record(self, source: str, target: str, place: Place, label) -> None:
        """A message flow reporting a step to a supervisory pool (备案): the pool's step
        (or the collapsed pool's one step) oversees the sending step."""
        participant = self.participants.get(target)
        watcher = self._pool_step(participant) if participant is not None else target
        self._edge("oversight", watcher, source, place, label)
        steps = self.builder.steps
        sender = steps.get(self.step_of.get(source, ""))
        name = steps[self.step_of.get(watcher, watcher)].label
        said = sender.label if sender is not None else source
        self.builder.note(place, f"消息流报 “{name}” 备案：视为 “{name}” 对 “{said}” 的监督",
                          f"the message flow reports to '{name}' for the record (备案): "
                          f"read as oversight of '{said}' by '{name}'")

    def _from_supervisory(self, source: str) -> bool:
        step = self.builder.steps.get(self.step_of.get(source, ""))
        if step is None:
            return False
        actor = self.builder.actors.get(step.actor or "")
        return step.kind in ("oversight", "disclosure") or bool(actor and actor.oversight)

    def _pool_step(self, participant) -> str:
        """The one oversight step a collapsed supervisory pool stands for."""
        ident = participant.get("id")
        if ident not in self.step_of:
            actor = self._actor(participant, True)
            self.builder.add_step(ident, _place(participant), kind="oversight",
                                  label=participant.get("name"), actor=actor)
            self.step_of[ident] = ident
        return ident

    def _extension_oversights(self, collaboration) -> None:
        """Oversight edges flowgraph wrote where BPMN has no message flow for them."""
        for extension in collaboration:
            if not self._is(extension, "extensionElements"):
                continue
            for edge in extension.iter(f"{{{NS}}}oversightFlow"):
                self._edge("oversight", edge.get("sourceRef"), edge.get("targetRef"),
                           _place(edge), edge.get("name"))


# -- writing -------------------------------------------------------------------------


def _step_attributes(element) -> tuple:
    """A node's id, name, the activity it is attached to, its fg step id and its fg
    model attributes, in one pass over its attributes (lxml builds each name and value
    on access)."""
    ident = name = attached = step_id = None
    values = {}
    for key, value in element.items():
        if key == "id":
            ident = value
        elif key == "name":
            name = value
        elif key.startswith(FG_PREFIX):
            key = key[FG_LENGTH:]
            if key in _STEP_ATTRIBUTES:
                values[key] = value
            elif key == "id":
                step_id = value
        elif key == "attachedToRef":
            attached = value
    return ident, name, attached, step_id, values


def _ncname(text: str, used: set[str]) -> str:
    """An XML id for a step or actor id (ids may hold spaces or start with a digit)."""
    base = re.sub(r"[^\w.-]", "_", text)
    if not base or not (base[0].isalpha() or base[0] == "_"):
        base = "_" + base
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}_{n}"
    used.add(ident)
    return ident


def _value(key: str, value) -> str | None:
    """A model value as an fg attribute (lists and waivers as JSON)."""
    if value is None or value == () or value == {} or value is False:
        return None
    if key == "controls":
        return json.dumps(list(value), ensure_ascii=False)
    if key == "waive":
        return json.dumps(dict(value), ensure_ascii=False)
    if value is True:
        return "true"
    if isinstance(value, float):
        return plain_amount(value)
    return str(value)


def _step_values(step: Step) -> dict[str, str | None]:
    return {"kind": step.kind, "actor": step.actor,
            "discretion": None if step.discretion == "none" else step.discretion,
            "money": step.stakes.money, "people": step.stakes.people,
            "rights": step.stakes.rights, "controls": step.controls, "duty": step.duty,
            "declared_grade": step.declared_grade, "time_limit": step.time_limit,
            "basis": step.basis, "waive": step.waive, **step.notes}


ELEMENT_OF_KIND = {"start": "startEvent", "end": "endEvent", "gateway": "exclusiveGateway",
                   "system": "serviceTask", "decision": "userTask", "review": "userTask",
                   "task": "userTask", "disclosure": "task", "oversight": "task"}


def write(flowchart: Flowchart, marks: Mapping[str, Mark] | None = None) -> str:
    """The flowchart as a BPMN 2.0 document (text, UTF-8 declared), with a diagram;
    with an audit's ``marks`` by step id when given."""
    from lxml import etree
    return etree.tostring(_Writer(flowchart, marks or {}).definitions(), pretty_print=True,
                          xml_declaration=True, encoding="UTF-8").decode("utf-8")


def _element(parent, tag: str, **attributes):
    """A BPMN element under ``parent`` with the attributes that have a value."""
    from lxml import etree
    element = etree.SubElement(parent, f"{{{MODEL}}}{tag}")
    for key, value in attributes.items():
        if value is not None:
            element.set(key, value)
    return element


def _set_fg(element, key: str, value) -> None:
    """The model value ``value`` as the fg attribute ``key``, unless it is empty."""
    text = _value(key, value)
    if text is not None:
        element.set(f"{{{NS}}}{key}", text)


class _Writer:
    """One flowchart as BPMN: a process with a lane per actor; the oversight steps that
    stand beside the flow in a second, supervisory pool, their edges as message flows;
    then the diagram of the pools' layout.

    XML ids are handed out in document order (:func:`_ncname`), so the same flowchart
    gives the same bytes.
    """

    def __init__(self, flowchart: Flowchart, marks: Mapping[str, Mark]):
        self.flowchart = flowchart
        self.marks = marks
        self.used: set[str] = set()
        self.ids = {step_id: _ncname(step_id, self.used) for step_id in flowchart.steps}
        in_flow = {e.source for e in flowchart.flows} | {e.target for e in flowchart.flows}
        self.beside = [s for s in flowchart.steps.values()
                       if s.kind == "oversight" and s.id not in in_flow]
        self.beside_ids = {s.id for s in self.beside}
        self.main_steps = [s for s in flowchart.steps.values() if s.id not in self.beside_ids]
        self.lane_ids: dict[tuple[str, str], str] = {}  # (pool, actor) -> lane

    def definitions(self):
        """The ``<definitions>`` element: the collaboration, the processes, the diagram."""
        from lxml import etree
        chart = self.flowchart
        names = {None: MODEL, "bpmndi": DI, "dc": DC, "di": DD, "fg": NS}
        if self.marks:
            names.update(bioc=BIOC, color=COLOR)
        root = etree.Element(f"{{{MODEL}}}definitions", nsmap=names)
        root.set("id", "definitions")
        root.set("targetNamespace", "https://flowgraph.dev/bpmn")
        root.set("exporter", "flowgraph")
        for key in META_KEYS:
            _set_fg(root, key, getattr(chart, key))
        collaboration = _element(root, "collaboration", id=_ncname("collaboration", self.used))
        main_id, watch_id = _ncname("process", self.used), _ncname("oversight_process", self.used)
        pools = self._pools(collaboration, main_id, watch_id)
        # room above each step for its note, and as much below (steps are centred)
        grid = GRID._replace(row=GRID.row + 2 * (NOTE_HEIGHT + 4)) if self.notes() else GRID
        layout = lay_out(pools, [(e.source, e.target) for e in chart.flows],
                         [(e.source, e.target) for e in chart.oversights], grid)
        main = self._process(root, main_id, chart.title, self.main_steps, pools[0], layout)
        flow_ids = self._sequence_flows(main)
        processes = {main_id: main}
        if self.beside:
            processes[watch_id] = self._process(root, watch_id, "监督", self.beside, pools[1],
                                                layout)
        messages = self._oversight_flows(collaboration)
        notes = self._notes(processes, pools, layout)
        _diagram(root, collaboration.get("id"), self._shapes(pools, layout) + notes[0],
                 self._routes(flow_ids, messages, pools, layout) + notes[1], self.used,
                 self._colours())
        return root

    def notes(self) -> list[str]:
        """The steps with a note, in the chart's order."""
        return [step for step in self.flowchart.steps
                if step in self.marks and self.marks[step].note]

    def _notes(self, processes, pools: list[Pool], layout) -> tuple[list, list]:
        """Each note as a text annotation (``fg:audit``) in its step's process, joined
        to the step by an association, placed above the step in its taller lane; the
        shapes and routes of the diagram."""
        shapes, routes = [], []
        process_of = {step: process for pool, process in
                      zip(pools, processes.values(), strict=True) for step, _, _ in pool.steps}
        for step in self.notes():
            process = process_of[step]
            note = _ncname(f"{self.ids[step]}_note", self.used)
            annotation = _element(process, "textAnnotation", id=note)
            annotation.set(f"{{{NS}}}audit", "true")
            if self.marks[step].detail:  # BaseElement's documentation comes first
                _element(annotation, "documentation").text = self.marks[step].detail
            _element(annotation, "text").text = self.marks[step].note
            link = _ncname(f"{self.ids[step]}_note_link", self.used)
            _element(process, "association", id=link, sourceRef=note,
                     targetRef=self.ids[step])
            box = layout.steps[step]
            place = Box(box.center_x - NOTE_WIDTH / 2, box.y - NOTE_HEIGHT - 4, NOTE_WIDTH,
                        NOTE_HEIGHT)
            shapes.append((note, place, False))
            routes.append((link, [(box.center_x, place.bottom), (box.center_x, box.y)]))
        return shapes, routes

    def _colours(self) -> dict[str, str]:
        """The fill of each marked step's shape, by its XML id."""
        return {self.ids[step]: mark.fill for step, mark in self.marks.items()
                if step in self.ids}

    def _pools(self, collaboration, main_id: str, watch_id: str) -> list[Pool]:
        """The participants of the collaboration, and the pools to lay out: the main
        one, and the supervisory one when oversight steps stand beside the flow.

        A lane per actor: in the supervisory pool for the actors of its steps, in the
        main pool for every other actor (also one with no step: the chart declares it).
        """
        chart = self.flowchart
        pool_id = _ncname("pool", self.used)
        _element(collaboration, "participant", id=pool_id, name=chart.title, processRef=main_id)
        beside_actors = {s.actor for s in self.beside}
        main_actors = {s.actor for s in self.main_steps}
        pools = [Pool(pool_id, [a for a in chart.actors if a in main_actors
                                or a not in beside_actors],
                      [(s.id, s.kind, s.actor) for s in self.main_steps])]
        if self.beside:
            watch_pool_id = _ncname("oversight_pool", self.used)
            _element(collaboration, "participant", id=watch_pool_id, name="监督",
                     processRef=watch_id)
            pools.append(Pool(watch_pool_id, [a for a in chart.actors if a in beside_actors],
                              [(s.id, s.kind, s.actor) for s in self.beside]))
        return pools

    def _process(self, root, ident: str, name: str, steps: list[Step], pool: Pool, layout):
        """A ``<process>``: its lane set, a lane per actor of the pool (an actor with
        steps in both pools has two lanes), and a node per step."""
        element = _element(root, "process", id=ident, name=name, isExecutable="false")
        lane_set = _element(element, "laneSet", id=_ncname(f"{ident}_lanes", self.used))
        lanes = {actor_id: self._lane(lane_set, pool, actor_id) for actor_id in pool.lanes}
        for step in steps:
            # a neutral step belongs to the lane it is drawn in; its actor stays none
            lane = step.actor if step.actor is not None or step.kind not in NEUTRAL_KINDS \
                else layout.lane_of[step.id]
            if lane in lanes:
                _lane_holds(lanes[lane], self.ids[step.id])
            self._node(element, step)
        return element

    def _lane(self, lane_set, pool: Pool, actor_id: str):
        """The lane of an actor, carrying the actor's attributes."""
        actor = self.flowchart.actors[actor_id]
        self.lane_ids[(pool.id, actor_id)] = _ncname(f"lane_{actor_id}", self.used)
        lane = _element(lane_set, "lane", id=self.lane_ids[(pool.id, actor_id)],
                        name=actor.name)
        _set_fg(lane, "actor", actor.id)
        for key in ACTOR_ATTRIBUTES:
            _set_fg(lane, key, getattr(actor, key))
        for key in ("oversight", "public"):  # explicit: names may suggest otherwise
            lane.set(f"{{{NS}}}{key}", "true" if getattr(actor, key) else "false")
        if actor.outside is not None:  # said, either way: names may suggest otherwise
            lane.set(f"{{{NS}}}outside", str(actor.outside).lower())
        return lane

    def _node(self, process, step: Step) -> None:
        """The node of a step, of the element type its kind is drawn with, carrying
        every model attribute (and the step's id, when its XML id had to differ)."""
        node = _element(process, ELEMENT_OF_KIND[step.kind], id=self.ids[step.id],
                        name=step.label)
        if self.ids[step.id] != step.id:
            _set_fg(node, "id", step.id)
        for key, value in _step_values(step).items():
            _set_fg(node, key, value)

    def _sequence_flows(self, process) -> list[str]:
        """A sequence flow per flow edge; their ids, in order."""
        flow_ids = []
        for n, edge in enumerate(self.flowchart.flows, 1):
            flow_ids.append(_ncname(f"flow_{n}", self.used))
            _element(process, "sequenceFlow", id=flow_ids[-1], name=edge.label,
                     sourceRef=self.ids[edge.source], targetRef=self.ids[edge.target])
        return flow_ids

    def _oversight_flows(self, collaboration) -> list[tuple[str, object]]:
        """The oversight edges: a message flow from a step beside the flow to one in
        it, an ``fg:oversightFlow`` in the collaboration's extension elements for any
        other (BPMN has no message flow within a pool). The message flows, with their
        ids, in order."""
        messages, extension = [], None
        for n, edge in enumerate(self.flowchart.oversights, 1):
            if edge.source in self.beside_ids and edge.target not in self.beside_ids:
                message_id = _ncname(f"oversight_{n}", self.used)
                _element(collaboration, "messageFlow", id=message_id, name=edge.label,
                         sourceRef=self.ids[edge.source], targetRef=self.ids[edge.target])
                messages.append((message_id, edge))
                continue
            if extension is None:
                extension = _element(collaboration, "extensionElements")
            _extension_oversight(extension, self.ids[edge.source], self.ids[edge.target],
                                 edge.label)
        if extension is not None:  # extension elements come first in a collaboration
            collaboration.remove(extension)
            collaboration.insert(0, extension)
        return messages

    def _shapes(self, pools: list[Pool], layout) -> list[tuple[str, object, bool]]:
        """The diagram's shapes: (element, bounds, horizontal) for each pool, lane and
        step."""
        shapes = []
        for pool in pools:
            shapes.append((pool.id, layout.pools[pool.id], True))
            shapes.extend((self.lane_ids[(pool.id, actor_id)],
                           layout.lanes[(pool.id, actor_id)], True) for actor_id in pool.lanes)
            shapes.extend((self.ids[step_id], layout.steps[step_id], False)
                          for step_id, _, _ in pool.steps)
        return shapes

    def _routes(self, flow_ids: list[str], messages, pools: list[Pool], layout) -> list:
        """The diagram's edges: (element, waypoints) for each sequence flow, and for
        each message flow, which crosses the gap between the pools."""
        flows = [(e.source, e.target) for e in self.flowchart.flows]
        routes = [(flow_id, flow_waypoints(layout.steps[source], layout.steps[target]))
                  for flow_id, (source, target) in zip(flow_ids, flows, strict=True)]
        between = layout.pools[pools[0].id].bottom + GAP / 2
        routes.extend((message_id, message_waypoints(layout.steps[edge.source],
                                                     layout.steps[edge.target], between))
                      for message_id, edge in messages)
        return routes


def _lane_holds(lane, node_id: str) -> None:
    """List a node in a lane (``<flowNodeRef>``)."""
    from lxml import etree
    etree.SubElement(lane, f"{{{MODEL}}}flowNodeRef").text = node_id


def _extension_oversight(extension, source: str, target: str, label: str | None) -> None:
    """An oversight edge BPMN has no message flow for, as ``fg:oversightFlow``."""
    from lxml import etree
    flow = etree.SubElement(extension, f"{{{NS}}}oversightFlow")
    flow.set("sourceRef", source)
    flow.set("targetRef", target)
    if label is not None:
        flow.set("name", label)


def _diagram(root, collaboration: str, shapes, routes, used: set[str],
             colours: Mapping[str, str]) -> None:
    """The diagram interchange: a shape with its bounds for each pool, lane and step, an
    edge with its waypoints for each sequence and message flow; a marked step's shape
    filled with its colour (in both extensions bpmn-js reads)."""
    from lxml import etree
    diagram = etree.SubElement(root, f"{{{DI}}}BPMNDiagram", id=_ncname("diagram", used))
    plane = etree.SubElement(diagram, f"{{{DI}}}BPMNPlane", id=_ncname("plane", used),
                             bpmnElement=collaboration)
    for element, box, horizontal in shapes:
        shape = etree.SubElement(plane, f"{{{DI}}}BPMNShape",
                                 id=_ncname(f"{element}_di", used), bpmnElement=element)
        if horizontal:
            shape.set("isHorizontal", "true")
        if element in colours:
            shape.set(f"{{{BIOC}}}fill", colours[element])
            shape.set(f"{{{BIOC}}}stroke", "#000000")
            shape.set(f"{{{COLOR}}}background-color", colours[element])
            shape.set(f"{{{COLOR}}}border-color", "#000000")
        etree.SubElement(shape, f"{{{DC}}}Bounds", x=coordinate(box.x), y=coordinate(box.y),
                         width=coordinate(box.width), height=coordinate(box.height))
    for element, points in routes:
        edge = etree.SubElement(plane, f"{{{DI}}}BPMNEdge",
                                id=_ncname(f"{element}_di", used), bpmnElement=element)
        for x, y in points:
            etree.SubElement(edge, f"{{{DD}}}waypoint", x=coordinate(x), y=coordinate(y))

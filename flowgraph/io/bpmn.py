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
  supervisory (纪检, 监察, 审计, 监督, audit, oversight …; configurable; a regulator
  such as 市场监督管理局 is not) is an
  ``oversight`` edge: from the task that sends it, or from the pool itself (a collapsed
  pool becomes one oversight step). Message flows between the matter's own pools are
  ``flow`` edges;
* a text annotation associated with a task adds the controls it names (the control
  vocabulary) and the discretion it states (裁量权较大 → ``high`` …).

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
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import LoadError
from ..i18n import Text
from ..model import NEUTRAL_KINDS, Flowchart, Step
from . import is_supervisory_name, kind_by_words
from .builder import ACTOR_ATTRIBUTES, META_KEYS, STEP_ATTRIBUTES, ChartBuilder, Place, plain_amount
from .limits import too_many
from .options import DEFAULT_READ_OPTIONS, ReadOptions
from .swimlanes import GAP, Pool, coordinate, flow_waypoints, lay_out, message_waypoints
from .xml_safe import count_elements, local, namespace, parse

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
#: The flowgraph extension namespace.
NS = "https://flowgraph.dev/schema/bpmn/1"
#: The diagram interchange: BPMN's, and the shared bounds and waypoints.
DI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DD = "http://www.omg.org/spec/DD/20100524/DI"

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

#: Words that deny the control named right after them (无裁量基准: no benchmark).
NEGATIONS = ("无", "没有", "未", "缺少", "缺乏", "不", "no ", "without ", "lacks ")
#: Patterns of the discretion an annotation states, by level.
DISCRETION_PATTERNS = (
    ("high", re.compile(r"(裁量(权)?(较大|很大|大|高))|((较大|很大|重大)裁量)|high discretion",
                        re.I)),
    ("medium", re.compile(r"(裁量(权)?(一般|中等|中))|(一定裁量)|medium discretion", re.I)),
    ("low", re.compile(r"(裁量(权)?(较小|很小|小|低))|(较小裁量)|low discretion", re.I)),
    ("none", re.compile(r"(无裁量)|(没有裁量)|no discretion", re.I)),
)

WHAT = Text("BPMN 2.0 文件 (<definitions> 根元素)", "a BPMN 2.0 file (a <definitions> root)")


def read(data: bytes, name: str, options: ReadOptions = DEFAULT_READ_OPTIONS
         ) -> list[Flowchart]:
    """The flowchart of a BPMN 2.0 file. ``options`` give the names of supervisory pools
    and lanes and the control vocabulary that annotations are read in."""
    count_elements(data, name, options.limits)
    root = parse(data, name, WHAT)
    if local(root.tag) != "definitions" or namespace(root.tag) != MODEL:
        raise LoadError(Text(f"根元素为 <{local(root.tag)}>, 应为{WHAT.zh}",
                             f"the root element is <{local(root.tag)}>; expected {WHAT.en}"),
                        name, root.sourceline)
    return [_Reader(root, name, options).read()]


def _affirmed(text: str, word: str) -> int:
    """Where ``text`` first names ``word`` without denying it just before; -1 if it
    never does."""
    start = text.find(word)
    while start >= 0:
        if not text[max(0, start - 8):start].endswith(NEGATIONS):
            return start
        start = text.find(word, start + 1)
    return -1


def _annotation(text: str, options: ReadOptions) -> tuple[list[tuple[int, str, str]], str | None]:
    """What one annotation's text says: every synonym of the vocabulary of ``options``
    it names, with where (the longest first, as the vocabulary orders them), and the
    discretion it states, if any."""
    folded = text.casefold()
    named = [(where, synonym, folded_synonym)
             for synonym, folded_synonym in options.control_synonyms
             if (where := _affirmed(folded, folded_synonym)) >= 0]
    level = next((level for level, pattern in DISCRETION_PATTERNS if pattern.search(text)),
                 None)
    return named, level


def _from_annotations(readings: list[tuple[list[tuple[int, str, str]], str | None]]
                      ) -> tuple[list[str], str | None]:
    """The controls (in the words of the vocabulary, in the order the annotations name
    them) and the discretion the annotations of a node state, from what each says
    (:func:`_annotation`): a synonym inside one already named (复核 inside 双人复核) is
    not named again; the first annotation that states a discretion gives it."""
    controls, found, discretion = [], [], None
    for named, level in readings:
        kept = []
        for where, synonym, folded_synonym in named:
            if not any(folded_synonym in longer for longer in found):
                kept.append((where, synonym))
                found.append(folded_synonym)
        controls.extend(synonym for _, synonym in sorted(kept))
        discretion = discretion or level
    return controls, discretion


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
        self.readings: dict[str, tuple] = {}
        self.implied = 0  # edges flows into and out of sub-processes make beyond one each
        self.boundaries: list[tuple[str, str, Place]] = []  # (activity, event, place)

    # -- the whole -------------------------------------------------------------------

    def read(self) -> Flowchart:
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
        return self.builder.build(Path(self.name).stem)

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
            supervisory = self._supervisory_name(participant.get("name")) or \
                (_fg(participant, "oversight") or "").lower() in ("true", "1", "yes", "是")
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
            text = "".join(t.text or "" for t in annotation if self._is(t, "text")).strip()
            texts[annotation.get("id")] = text
        for association in (a for part in semantic for a in part.iter(f"{{{MODEL}}}association")):
            source, target = association.get("sourceRef"), association.get("targetRef")
            for annotation, other in ((source, target), (target, source)):
                if annotation in texts and texts[annotation]:
                    self.annotations.setdefault(other, []).append(texts[annotation])

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
        if not starts or not ends:
            self.builder.warn(_place(element), "子流程缺少开始或结束事件, 其进出的连线已忽略",
                              "the sub-process lacks a start or an end event: the flows "
                              "into or out of it were skipped")
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
        holder = kind not in NO_ACTOR_KINDS
        if holder and "actor" not in values:
            values["actor"] = actor_of.get(ident, pool_actor)
        notes = self.annotations.get(ident)
        if notes:
            controls, discretion = _from_annotations([self._reading(text) for text in notes])
            if "controls" not in values and controls:
                values["controls"] = controls
            if "discretion" not in values and discretion is not None and holder:
                values["discretion"] = discretion
        self.builder.add_step(step_id or ident, place, kind=kind,
                              label=name.strip() or None if name else None, **values)
        self.step_of[ident] = step_id or ident
        if attached and tag == "boundaryEvent":  # once every activity is known
            self.boundaries.append((attached, ident, place))

    def _reading(self, text: str) -> tuple:
        """What an annotation's text says (:func:`_annotation`), read once per text: one
        long annotation tied to thousands of tasks is not searched thousands of times."""
        if text not in self.readings:
            self.readings[text] = _annotation(text, self.options)
        return self.readings[text]

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

    def _message_flows(self, collaboration) -> None:
        for flow in collaboration:
            if not self._is(flow, "messageFlow"):
                continue
            source, target = flow.get("sourceRef"), flow.get("targetRef")
            place = _place(flow)
            if target in self.participants or target not in self.step_of and \
                    target not in self.entries:
                self.builder.warn(place,
                                  "消息流指向整个泳池或未知元素, 无法确定被监督的步骤, 已忽略",
                                  "the message flow goes to a whole pool or an unknown "
                                  "element, so the watched step is unknown: skipped")
                continue
            if source in self.participants:
                participant = self.participants[source]
                if not self._supervisory_name(participant.get("name")):
                    continue  # the applicant's black-box pool: outside the model
                source = self._pool_step(participant)
            elif source not in self.step_of and source not in self.exits:
                self.builder.warn(place, "消息流来自未知元素, 已忽略",
                                  "the message flow comes from an unknown element: skipped")
                continue
            elif not self._from_supervisory(source):
                self._edge("flow", source, target, place, flow.get("name"))
                continue
            self._edge("oversight", source, target, place, flow.get("name"))

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


def write(flowchart: Flowchart) -> str:
    """The flowchart as a BPMN 2.0 document (text, UTF-8 declared), with a diagram."""
    from lxml import etree
    return etree.tostring(_Writer(flowchart).definitions(), pretty_print=True,
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

    def __init__(self, flowchart: Flowchart):
        self.flowchart = flowchart
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
        root = etree.Element(f"{{{MODEL}}}definitions",
                             nsmap={None: MODEL, "bpmndi": DI, "dc": DC, "di": DD, "fg": NS})
        root.set("id", "definitions")
        root.set("targetNamespace", "https://flowgraph.dev/bpmn")
        root.set("exporter", "flowgraph")
        for key in META_KEYS:
            _set_fg(root, key, getattr(chart, key))
        collaboration = _element(root, "collaboration", id=_ncname("collaboration", self.used))
        main_id, watch_id = _ncname("process", self.used), _ncname("oversight_process", self.used)
        pools = self._pools(collaboration, main_id, watch_id)
        layout = lay_out(pools, [(e.source, e.target) for e in chart.flows],
                         [(e.source, e.target) for e in chart.oversights])
        main = self._process(root, main_id, chart.title, self.main_steps, pools[0], layout)
        flow_ids = self._sequence_flows(main)
        if self.beside:
            self._process(root, watch_id, "监督", self.beside, pools[1], layout)
        messages = self._oversight_flows(collaboration)
        _diagram(root, collaboration.get("id"), self._shapes(pools, layout),
                 self._routes(flow_ids, messages, pools, layout), self.used)
        return root

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


def _diagram(root, collaboration: str, shapes, routes, used: set[str]) -> None:
    """The diagram interchange: a shape with its bounds for each pool, lane and step, an
    edge with its waypoints for each sequence and message flow."""
    from lxml import etree
    diagram = etree.SubElement(root, f"{{{DI}}}BPMNDiagram", id=_ncname("diagram", used))
    plane = etree.SubElement(diagram, f"{{{DI}}}BPMNPlane", id=_ncname("plane", used),
                             bpmnElement=collaboration)
    for element, box, horizontal in shapes:
        shape = etree.SubElement(plane, f"{{{DI}}}BPMNShape",
                                 id=_ncname(f"{element}_di", used), bpmnElement=element)
        if horizontal:
            shape.set("isHorizontal", "true")
        etree.SubElement(shape, f"{{{DC}}}Bounds", x=coordinate(box.x), y=coordinate(box.y),
                         width=coordinate(box.width), height=coordinate(box.height))
    for element, points in routes:
        edge = etree.SubElement(plane, f"{{{DI}}}BPMNEdge",
                                id=_ncname(f"{element}_di", used), bpmnElement=element)
        for x, y in points:
            etree.SubElement(edge, f"{{{DD}}}waypoint", x=coordinate(x), y=coordinate(y))

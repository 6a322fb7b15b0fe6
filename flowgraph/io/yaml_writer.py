"""Writing a flowchart as native YAML (version 1), as an analyst would write it by hand.

One line per actor and per step (flow mappings), edges as ``[from, to, label]`` lists,
keys in the model's order, so that converted files read like the bundled samples and
diff well. Text is written plain where YAML reads it back unchanged and as a quoted
JSON string otherwise (``"1"``, ``"no"``, ``"a: b"``): reading the output gives exactly
the flowchart written. The same flowchart gives the same bytes.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

import yaml

from ..model import Actor, Flowchart, Step
from .builder import plain_amount

#: Characters that may be written plain inside a flow collection.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`=<][^:#,\[\]{}\n]*")


@lru_cache(maxsize=4096)
def scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back as the same string: plain when YAML
    would resolve it to that very string (not a number, boolean, date, null …), a
    quoted JSON string otherwise."""
    if _PLAIN.fullmatch(text) and text == text.strip():
        try:
            if yaml.safe_load(f"[{text}]") == [text]:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _mapping(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"


def _stakes(step: Step) -> list[tuple[str, str]]:
    """A step's stakes as the pairs of their mapping (none when nothing is at stake)."""
    pairs = [("money", plain_amount(step.stakes.money))] if step.stakes.money is not None \
        else []
    return pairs + [(key, "true") for key in ("people", "rights") if getattr(step.stakes, key)]


def _step(step: Step) -> str:
    pairs = [("kind", step.kind)]
    if step.label != step.id:
        pairs.append(("label", scalar(step.label)))
    if step.actor is not None:
        pairs.append(("actor", scalar(step.actor)))
    if step.discretion != "none":
        pairs.append(("discretion", step.discretion))
    stakes = _stakes(step)
    if stakes:
        pairs.append(("stakes", _mapping(stakes)))
    if step.controls:
        pairs.append(("controls", "[" + ", ".join(scalar(c) for c in step.controls) + "]"))
    for key in ("duty", "declared_grade", "time_limit", "basis"):
        value = getattr(step, key)
        if value is not None:
            pairs.append((key, str(value) if key == "declared_grade" else scalar(str(value))))
    if step.waive:
        pairs.append(("waive", _mapping([(code, scalar(reason))
                                         for code, reason in step.waive.items()])))
    pairs += [(name, scalar(text)) for name, text in step.notes.items()]
    if step.extra:
        pairs.append(("extra", _mapping([(scalar(heading), scalar(text))
                                         for heading, text in step.extra.items()])))
    return _mapping(pairs)


def _actor(actor: Actor) -> str:
    """An actor as a flow mapping: every attribute it has, in the format's order."""
    pairs = [("name", scalar(actor.name))]
    if actor.rank:
        pairs.append(("rank", actor.rank))
    if actor.reports_to:
        pairs.append(("reports_to", scalar(actor.reports_to)))
    if actor.collective is not None:
        pairs.append(("collective", str(actor.collective)))
    pairs += [(key, "true") for key in ("oversight", "public") if getattr(actor, key)]
    if actor.outside is not None:
        pairs.append(("outside", str(actor.outside).lower()))
    return _mapping(pairs)


def dumps(flowchart: Flowchart) -> str:
    """The flowchart as the text of a native YAML file."""
    lines = ["flowgraph: 1", f"id: {scalar(flowchart.id)}", f"title: {scalar(flowchart.title)}"]
    for key in ("unit", "category", "basis", "superior_in_charge"):
        value = getattr(flowchart, key)
        if value is not None:
            lines.append(f"{key}: {scalar(value)}")
    if flowchart.actors:
        lines.append("actors:")
        lines.extend(f"  {scalar(actor.id)}: {_actor(actor)}"
                     for actor in flowchart.actors.values())
    lines.append("steps:")
    lines.extend(f"  {scalar(step.id)}: {_step(step)}" for step in flowchart.steps.values())
    for kind, edges in (("flow", flowchart.flows), ("oversight", flowchart.oversights)):
        if edges:
            lines.append(f"{kind}:")
            for edge in edges:
                ends = [scalar(edge.source), scalar(edge.target)]
                if edge.label is not None:
                    ends.append(scalar(edge.label))
                lines.append(f"  - [{', '.join(ends)}]")
    return "\n".join(lines) + "\n"

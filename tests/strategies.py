"""Random flowcharts for the property tests: every model attribute, awkward texts."""
from __future__ import annotations

from itertools import pairwise

from hypothesis import strategies as st

from flowgraph.model import NOTE_FIELDS, Actor, Edge, Flowchart, Stakes, Step

#: Texts as analysts write them (any printable character) and texts made of what XML,
#: HTML, YAML and DOT treat specially. Surrounding white space is not significant in
#: any format.
texts = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
            max_size=12),
    st.text(st.sampled_from("审批科长 a<b>&;:,\n'\"%#{}[]\\"), min_size=1, max_size=10),
).map(str.strip).filter(bool)
ids = st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True)


@st.composite
def notes(draw) -> dict[str, str]:
    """Some of a unit's notes on a step (risk described, measures, the responsible
    people, rectification), as awkward texts."""
    chosen = draw(st.lists(st.sampled_from(NOTE_FIELDS), max_size=3, unique=True))
    return {name: draw(texts) for name in chosen}


@st.composite
def flowcharts(draw) -> Flowchart:
    """A chain of steps from a start to an end, posts with reporting lines, and
    oversight steps beside the flow watching some of them."""
    step_ids = draw(st.lists(ids, min_size=2, max_size=8, unique=True))
    watcher_ids = [f"w{n}" for n in range(draw(st.integers(0, 2)))]
    actor_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    actors = [Actor(a, draw(texts), draw(st.sampled_from([None, "staff", "section",
                                                            "principal"])),
                    draw(st.sampled_from([None, *actor_ids[:n]])) if n else None,
                    draw(st.sampled_from([None, 3, 7])), draw(st.booleans()),
                    draw(st.booleans()), None, draw(st.sampled_from([None, True, False])))
              for n, a in enumerate(actor_ids)]
    steps = [Step(step_ids[0], "start", draw(texts))]
    for step_id in step_ids[1:-1]:
        steps.append(Step(
            step_id, draw(st.sampled_from(["task", "decision", "review", "disclosure",
                                           "oversight", "system", "gateway"])),
            draw(texts), None, "none"))
        if steps[-1].kind in ("system", "gateway"):
            continue
        steps[-1] = Step(
            step_id, steps[-1].kind, steps[-1].label,
            draw(st.sampled_from([*actor_ids, None, "elsewhere"])),
            draw(st.sampled_from(["none", "low", "medium", "high"])),
            Stakes(draw(st.sampled_from([None, 0.0, 5000.0, 1234567.5])),
                   draw(st.booleans()), draw(st.booleans())),
            tuple(dict.fromkeys(draw(st.lists(texts, max_size=2)))),
            draw(st.sampled_from([None, "approve", "record"])),
            draw(st.sampled_from([None, 1, 2, 3])), draw(st.sampled_from([None, "5日"])),
            draw(st.sampled_from([None, "《条例》第5条"])),
            draw(st.sampled_from([{}, {"FG301": "法定独任; 另见备案"}])),
            None, **draw(notes()))
    steps.append(Step(step_ids[-1], "end", draw(texts)))
    steps += [Step(w, "oversight", draw(texts), draw(st.sampled_from(actor_ids)))
              for w in watcher_ids if w not in step_ids]
    flows = [Edge(a, b, "flow", draw(st.sampled_from([None, "退回<补正>", "yes"])))
             for a, b in pairwise(step_ids)]
    watched = [s.id for s in steps if s.kind in ("task", "decision", "review")]
    oversights = [Edge(w, target, "oversight", draw(st.sampled_from([None, "全程监督"])))
                  for w in watcher_ids if w not in step_ids and watched
                  for target in draw(st.lists(st.sampled_from(watched), min_size=1,
                                              max_size=2, unique=True))]
    return Flowchart(draw(ids), draw(texts), steps, flows, oversights, actors,
                     unit=draw(st.sampled_from([None, "市财政局"])),
                     category=draw(st.sampled_from([None, "行政许可"])),
                     basis=draw(st.sampled_from([None, "a&b"])),
                     superior_in_charge=draw(st.sampled_from([None, "市政府分管副市长"])))

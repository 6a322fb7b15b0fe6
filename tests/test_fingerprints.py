"""Fingerprints: the same under edits that keep a chart's meaning, different under
edits that change it (docs/decisions.md, "Fingerprints")."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from flowgraph.analysis import assess
from flowgraph.fingerprints import (
    chart_key,
    finding_fingerprints,
    fingerprints,
    normalise,
    step_fingerprints,
)
from flowgraph.io import load
from flowgraph.io.writers import write
from flowgraph.io.yaml_format import loads
from flowgraph.results import ChartResult

ROOT = Path(__file__).resolve().parent.parent
#: FG201, FG301, FG401 and FG502 on one step (``small``), declared grades, two ends.
FEE = ROOT / "flowcharts" / "fee-civil-air-defense.yaml"


def audited(chart) -> ChartResult:
    assessment = assess(chart)
    return ChartResult(chart, assessment.findings, assessment.grades)


def edited(path: Path, change, name: str | None = None):
    """The chart of ``path`` with its YAML data changed by ``change(data)``, read as
    if from the file ``name``."""
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    return loads(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                 name or str(path))


def prints_of(chart):
    """Every fingerprint of a chart, by label for steps, as a set for findings."""
    result = audited(chart)
    prints = fingerprints(result)
    steps = {chart.steps[step].label: value for step, value in prints.steps.items()}
    return steps, set(prints.findings)


def test_the_sample_has_findings_to_follow():
    chart = load(FEE)
    result = audited(chart)
    assert {f.rule for f in result.findings} >= {"FG201", "FG301", "FG401"}
    prints = fingerprints(result)
    assert len(set(prints.findings)) == len(result.findings)
    assert len(set(prints.steps.values())) == len(chart.steps)
    assert all(re.fullmatch(r"[0-9a-f]{16}", value) for value in
               [*prints.findings, *prints.steps.values()])


# -- harmless edits -------------------------------------------------------------------

def rename_ids(data):
    """Every step id rewritten (``small`` → ``s3``), in steps, flows and oversight."""
    new = {old: f"s{number}" for number, old in enumerate(data["steps"])}
    data["steps"] = {new[old]: step for old, step in data["steps"].items()}
    for key in ("flow", "oversight"):
        data[key] = [[new[edge[0]], new[edge[1]], *edge[2:]] for edge in data[key]]


def reorder(data):
    """Steps, actors, flows and oversight edges written in the opposite order."""
    for key in ("steps", "actors"):
        data[key] = dict(reversed(list(data[key].items())))
    for key in ("flow", "oversight"):
        data[key] = list(reversed(data[key]))


def relabel_neighbour(data):
    """The end the unchecked reduction reaches, relabelled."""
    data["steps"]["small_done"]["label"] = "办结（免缴或核减）"


def retype(data):
    """Labels and titles typed differently: full-width, spaces, numbering."""
    data["steps"]["small"]["label"] = " 1. 小额项目(应缴5万元以下)按规定核减或免缴并出具证明（二）"
    data["title"] = "防空地下室易地建设费征收及减免缓 "
    data["actors"]["clerk"]["name"] = "工程建设管理科 收费经办员"


def rename_actor_ids(data):
    """Actor ids rewritten: the posts are their titles, not their keys."""
    new = {old: f"a{number}" for number, old in enumerate(data["actors"])}
    data["actors"] = {new[old]: {**actor, **({"reports_to": new[actor["reports_to"]]}
                                             if "reports_to" in actor else {})}
                      for old, actor in data["actors"].items()}
    for step in data["steps"].values():
        if "actor" in step:
            step["actor"] = new[step["actor"]]


@pytest.mark.parametrize("change", [rename_ids, reorder, relabel_neighbour, retype,
                                    rename_actor_ids])
def test_findings_keep_their_fingerprints_under_a_harmless_edit(change):
    before_steps, before_findings = prints_of(load(FEE))
    after_steps, after_findings = prints_of(edited(FEE, change))
    assert after_findings == before_findings
    if change is relabel_neighbour:
        del before_steps["免缴（核减）办结"], after_steps["办结（免缴或核减）"]
    if change is retype:
        assert set(after_steps.values()) == set(before_steps.values())
    else:
        assert after_steps == before_steps


def test_a_renamed_file_keeps_every_fingerprint(tmp_path):
    renamed = tmp_path / "07-易地建设费.yaml"
    renamed.write_bytes(FEE.read_bytes())
    chart = load(renamed)
    assert chart.id != load(FEE).id
    assert prints_of(chart) == prints_of(load(FEE))


def bpmn_with_other_ids(chart) -> bytes:
    """The chart as BPMN with every step id replaced, as another modeller writes it
    (``Activity_0k3…``): ids, sequence flows, lanes and diagram shapes."""
    text = write(chart, ".bpmn").decode("utf-8")
    new = {old: f"Activity_{number:04d}x" for number, old in enumerate(chart.steps)}

    def swap(match):
        return match.group(1) + new.get(match.group(2), match.group(2)) + match.group(3)

    text = re.sub(r'(\b(?:id|sourceRef|targetRef|bpmnElement)=")([^"]+)(")', swap, text)
    text = re.sub(r"(<flowNodeRef>)([^<]+)(</flowNodeRef>)", swap, text)
    return text.encode("utf-8")


@pytest.mark.parametrize("sample", ["fee-civil-air-defense.yaml",
                                    "license-construction-permit.yaml"])
def test_a_chart_converted_to_bpmn_with_other_ids_keeps_every_fingerprint(sample, tmp_path):
    chart = load(ROOT / "flowcharts" / sample)
    (tmp_path / "converted.bpmn").write_bytes(bpmn_with_other_ids(chart))
    converted = load(tmp_path / "converted.bpmn")
    assert not set(converted.steps) & set(chart.steps)
    assert prints_of(converted) == prints_of(chart)


# -- meaningful edits -----------------------------------------------------------------

def on_small(before, after):
    """The findings and steps whose fingerprints changed: (findings, step labels)."""
    gone = {label for label, value in before[0].items() if after[0].get(label) != value}
    return before[1] - after[1], gone


def test_the_step_relabelled_changes_its_fingerprint_and_its_findings():
    before = prints_of(load(FEE))
    after = prints_of(edited(FEE, lambda d: d["steps"]["small"].update(label="小额项目核减")))
    findings_gone, steps_gone = on_small(before, after)
    assert steps_gone == {"小额项目（应缴5万元以下）按规定核减或免缴并出具证明"}
    assert len(findings_gone) == 4  # FG201, FG301, FG401, FG502 on it; the rest stay
    assert len(after[1] - before[1]) == 4


def test_another_post_changes_the_fingerprints_of_its_steps():
    chart = load(FEE)
    before = prints_of(chart)
    after = prints_of(edited(FEE, lambda d: d["steps"]["small"].update(actor="chief")))
    assert on_small(before, after)[1] == {"小额项目（应缴5万元以下）按规定核减或免缴并出具证明"}
    renamed = prints_of(edited(FEE, lambda d: d["actors"]["clerk"].update(name="收费员")))
    clerk = {s.label for s in chart.steps.values() if s.actor == "clerk"}
    assert on_small(before, renamed)[1] == clerk


def test_another_kind_unit_or_power_item_changes_them():
    before = prints_of(load(FEE))
    kind = prints_of(edited(FEE, lambda d: d["steps"]["assess"].update(kind="decision")))
    assert on_small(before, kind)[1] == {"核定应建防空地下室面积及应缴易地建设费"}
    for key, value in (("unit", "县人民防空办公室"), ("title", "防空地下室易地建设费征收")):
        other = prints_of(edited(FEE, lambda d, k=key, v=value: d.update({k: v})))
        assert not set(other[0].values()) & set(before[0].values())
        assert not other[1] & before[1]


def test_findings_of_different_rules_on_one_step_differ():
    result = audited(load(FEE))
    on_small = {finding.rule: value for finding, value
                in zip(result.findings, fingerprints(result).findings, strict=True)
                if finding.steps == ("small",)}
    assert set(on_small) == {"FG201", "FG301", "FG401", "FG502"}
    assert len(set(on_small.values())) == 4


def test_more_money_keeps_the_fingerprint_of_the_risk_point():
    before = prints_of(load(FEE))
    after = prints_of(edited(
        FEE, lambda d: d["steps"]["small"].update(stakes={"money": 5_000_000})))
    assert after[0] == before[0]


# -- collisions -----------------------------------------------------------------------

TWICE = """\
flowgraph: 1
title: 资金拨付
unit: 市财政局
actors:
  chief: {name: 科长, rank: section}
  clerk: {name: 经办人, rank: staff, reports_to: chief}
steps:
  {steps}
flow:
  - [start, first]
  - [first, work]
  - [work, second]
  - [second, end]
"""
STEPS = {"start": "{kind: start, label: 申请}",
         "first": "{kind: review, label: 科长审核, actor: chief}",
         "work": "{kind: task, label: 办理, actor: clerk}",
         "second": "{kind: review, label: 科长审核, actor: chief}",
         "end": "{kind: end, label: 办结}"}


def twice(order, rename=None):
    rename = rename or {}
    lines = "\n  ".join(f"{rename.get(key, key)}: {STEPS[key]}" for key in order)
    text = TWICE.replace("{steps}", lines)
    for old, new in rename.items():
        text = re.sub(rf"\b{old}\b", new, text)
    return loads(text, "twice.yaml")


def test_two_steps_alike_are_told_apart_by_the_order_the_matter_reaches_them():
    chart = twice(["start", "first", "work", "second", "end"])
    prints = step_fingerprints(chart)
    assert prints["second"] == prints["first"] + "-2"
    backwards = twice(["end", "second", "work", "first", "start"],
                      {"first": "b", "second": "a"})
    again = step_fingerprints(backwards)
    assert (again["b"], again["a"]) == (prints["first"], prints["second"])


def test_two_findings_alike_are_numbered_in_the_audits_order():
    chart = twice(["start", "first", "work", "second", "end"])
    result = audited(chart)
    doubled = [*result.findings, *result.findings]
    prints = finding_fingerprints(chart, doubled)
    half = len(result.findings)
    assert prints[half:] == tuple(f"{value}-2" for value in prints[:half])


# -- normalisation --------------------------------------------------------------------

@pytest.mark.parametrize("typed, meant", [
    ("受 理", "受理"), ("受\u3000理", "受理"), ("受理。", "受理"), ("Ａｃｃｅｐｔ", "accept"),
    ("第一步：受理", "受理"), ("（一）受理", "受理"), ("(1) 受理", "受理"), ("1.受理", "受理"),
    ("一、受理", "受理"), ("①受理", "受理"), ("Step 2: Accept", "accept"),
    ("复核（二）", "复核"), ("复核(2)", "复核"), ("【三】复核", "复核"),
    ("审批（500万元以下）", "审批500万元以下"), ("1.5万元以下", "1.5万元以下"),
    ("10,000元", "10000元"), ("专项资金（2019）", "专项资金2019"), ("≤5万元", "≤5万元"),
    ("第三方评估", "第三方评估"), ("第一次审核", "第一次审核"), ("十日内公示", "十日内公示"),
    ("审\u200b批", "审批"), ("一、", "一"), ("", ""), (None, ""),
])
def test_normalise(typed, meant):
    assert normalise(typed) == meant


def test_the_chart_key_is_unit_and_power_item():
    chart = load(FEE)
    assert chart_key(chart) == ("市人民防空办公室", "防空地下室易地建设费征收及减免缓")

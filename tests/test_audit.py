"""The audit engine and the configuration, through the library API."""
from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest

import flowgraph
from flowgraph.analysis import audit
from flowgraph.config import Config, find_config_file, load_config
from flowgraph.errors import ConfigError
from flowgraph.rules import BY_CODE, RULES, selected

from .conftest import chart

CASHIER = """\
flowgraph: 1
title: 财务报销
actors:
  cashier: {name: 出纳, rank: staff, reports_to: head}
  head:    {name: 财务科科长, rank: section}
steps:
  submit: {kind: start, label: 提交报销单}
  approve: {kind: decision, label: 审批, actor: head, discretion: high}
  pay:    {kind: task, label: 支付, actor: cashier, duty: execute,
           waive: {FG3: "小额备用金, 月末由会计复核"}}
  book:   {kind: task, label: 记账, actor: cashier, duty: record}
  done:   {kind: end, label: 归档}
flow:
  - [submit, approve]
  - [approve, pay]
  - [pay, book]
  - [book, done]
"""


def test_library_api_loads_and_audits(tmp_path):
    path = tmp_path / "cashier.yaml"
    path.write_text(CASHIER, "utf-8")
    loaded = flowgraph.load(path)
    assert isinstance(loaded, flowgraph.Flowchart) and loaded.id == "cashier"
    assert loaded.graph.nodes["pay"]["duty"] == "execute"
    assert set(loaded.graph.edges(keys=True)) == {
        ("submit", "approve", "flow"), ("approve", "pay", "flow"),
        ("pay", "book", "flow"), ("book", "done", "flow")}
    findings = flowgraph.audit(loaded)
    assert all(isinstance(f, flowgraph.Finding) for f in findings)
    assert [(f.rule, f.steps) for f in findings] == [
        ("FG201", ("approve",)), ("FG202", ("approve",)), ("FG401", ("approve",)),
        ("FG302", ("pay", "book"))]


def test_waiver_by_prefix_marks_the_finding_and_keeps_it():
    fg302 = [f for f in audit(chart(CASHIER)) if f.rule == "FG302"][0]
    assert fg302.waived and fg302.waiver_reason == "小额备用金, 月末由会计复核"


def test_severity_override_longest_prefix_wins():
    config = Config(severity={"FG2": "info", "FG202": "error"})
    severities = {f.rule: f.severity for f in audit(chart(CASHIER), config)}
    assert severities["FG201"] == "info" and severities["FG202"] == "error"
    assert severities["FG401"] == "warning"


def test_a_crashing_rule_becomes_a_finding_and_the_audit_goes_on(monkeypatch):
    def broken(_context):
        raise ZeroDivisionError("boom")
    rules = [replace(r, check=broken) if r.code == "FG202" else r for r in RULES]
    monkeypatch.setattr("flowgraph.analysis.RULES", rules)
    findings = audit(chart(CASHIER))
    crash = [f for f in findings if f.rule == "FG202"]
    assert len(crash) == 1 and crash[0].severity == "error" and crash[0].steps == ()
    assert "ZeroDivisionError: boom" in crash[0].message.en and "内部错误" in crash[0].message.zh
    assert sorted((f.rule, f.steps) for f in findings) == [
        ("FG201", ("approve",)), ("FG202", ()), ("FG302", ("pay", "book")),
        ("FG401", ("approve",))]


def test_setup_cfg_settings_reach_the_rules(tmp_path):
    (tmp_path / "setup.cfg").write_text(textwrap.dedent("""\
        [flowgraph]
        incompatible_duties = apply/approve
        high_stakes_money = 10000000
        controls =
            discretion-benchmark = 报销标准
        """), "utf-8")
    config = load_config(find_config_file([tmp_path]))
    text = CASHIER.replace("discretion: high}", "discretion: high, controls: [报销标准]}") \
        .replace("discretion: high", "discretion: low", 0)
    findings = {f.rule for f in audit(chart(text), config)}
    assert "FG302" not in findings and "FG202" not in findings
    assert config.policy.canonical_control("裁量基准") == "discretion-benchmark"


@pytest.mark.parametrize("body, words", [
    ("[flowgraph]\nfail_on = sometimes\n", "fail_on: expected one of: info, warning, error"),
    ("[flowgraph]\nselect = FG9\n", "'FG9' is not a rule code or prefix"),
    ("[flowgraph]\nseverity =\n    FG201 = fatal\n", "expected a rule code = info/warning/error"),
    ("[flowgraph]\nincompatible_duties = apply-approve\n", "should read duty/duty"),
    ("[flowgraph]\nhigh_stakes_money = lots\n",
     "expected a number from 0 to 1,000,000,000,000,000"),
    ("[flowgraph]\nseverity =\n    FG201\n", "should read name = value"),
])
def test_bad_settings_name_the_file_and_line(tmp_path, body, words):
    path = tmp_path / "setup.cfg"
    path.write_text(body, "utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert words in str(error.value)
    assert str(error.value).startswith(f"{path}:")
    assert error.value.message.zh


def test_config_search_prefers_nearest_and_toml(tmp_path):
    (tmp_path / "setup.cfg").write_text("[flowgraph]\nfail_on = error\n", "utf-8")
    unit = tmp_path / "unit"
    unit.mkdir()
    (unit / "setup.cfg").write_text("[metadata]\nname = x\n", "utf-8")
    assert find_config_file([unit]) == tmp_path / "setup.cfg"
    (unit / "flowgraph.toml").write_text('fail_on = "info"\n', "utf-8")
    assert find_config_file([unit / "a.yaml"]) == unit / "flowgraph.toml"
    assert load_config(unit / "flowgraph.toml").fail_on == "info"


def test_every_rule_is_selectable_by_its_family():
    assert [r.code for r in selected(("FG3",))] == ["FG301", "FG302", "FG303"]
    assert [r.code for r in selected(ignore=("FG1", "FG2", "FG3"))] == [
        "FG401", "FG402", "FG501", "FG502", "FG601", "FG602", "FG603"]
    assert [r.code for r in selected(("FG6",))] == ["FG601", "FG602", "FG603"]
    assert set(BY_CODE) == {r.code for r in selected()}


def test_long_witness_paths_are_shortened_in_messages_not_in_the_witness():
    """A merged chart's witness may run through hundreds of steps: the message names the
    step, the first and last steps after it, how many lie between, and the end reached;
    the witness keeps them all."""
    from flowgraph.generate import chart
    from flowgraph.io.yaml_format import loads
    from flowgraph.rules.wording import ROUTE_LIMIT
    flowchart = loads(chart(3000, seed=2), "merged.yaml")
    long = [f for f in audit(flowchart) if f.rule == "FG201" and
            len(f.witness) > ROUTE_LIMIT + 2]
    assert long
    for finding in long[:20]:
        step, after, before, end = (flowchart.steps[finding.witness[i]].label
                                    for i in (0, 1, -2, -1))
        between = len(finding.witness) - 4
        assert f"在“{step}”" in finding.message.zh
        assert (f"但此后事项经“{after}” → …（中间 {between} 个环节）… → “{before}”即可到达"
                f"“{end}”，途中没有独立审核、集体决策或公示") in finding.message.zh
        assert (f"from there a matter can reach '{end}' through '{after}' → … ({between} "
                f"steps between) … → '{before}' with no independent review") \
            in finding.message.en
        assert len(finding.message.zh) < 200

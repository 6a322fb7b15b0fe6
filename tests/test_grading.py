"""Suggested grades: scores computed by hand, the policy's configuration, FG5 rules."""
from __future__ import annotations

import textwrap

import pytest

from flowgraph.analysis import assess
from flowgraph.config import Config, load_config
from flowgraph.errors import ConfigError
from flowgraph.grading.scoring import ScoringPolicy
from flowgraph.rules import RULES

from .conftest import chart

# A penalty decided by a deputy with high discretion and ¥2,000,000 at stake, with a
# benchmark and e-monitoring; the case is opened by an officer and reviewed by the
# legal section (independent: it reports to another deputy).
PENALTY = """\
flowgraph: 1
title: 行政处罚
unit: 市市场监督管理局
actors:
  officer: {name: 执法人员, rank: staff, reports_to: chief}
  chief:   {name: 执法科科长, rank: section, reports_to: deputy}
  legal:   {name: 法规科科长, rank: section, reports_to: deputy2}
  deputy:  {name: 分管执法副局长, rank: deputy, reports_to: head}
  deputy2: {name: 分管法规副局长, rank: deputy, reports_to: head}
  head:    {name: 局长, rank: principal}
  inspect: {name: 派驻纪检监察组, oversight: true}
steps:
  open:    {kind: start, label: 立案}
  probe:   {kind: task, label: 调查取证, actor: officer, discretion: medium,
            stakes: {rights: true}, controls: [双人复核, 限时办结]}
  propose: {kind: task, label: 提出处罚建议, actor: chief, discretion: high,
            stakes: {money: 2000000, rights: true}, controls: [自由裁量基准]}
  legal:   {kind: review, label: 法制审核, actor: legal, controls: [法制审核]}
  decide:  {kind: decision, label: 处罚决定, actor: deputy, discretion: high,
            stakes: {money: 2000000, rights: true}, controls: [裁量基准, 电子监察]}
  archive: {kind: task, label: 归档, actor: officer}
  watch:   {kind: oversight, label: 全程监督, actor: inspect}
  close:   {kind: end, label: 结案}
flow:
  - [open, probe]
  - [probe, propose]
  - [propose, legal]
  - [legal, decide]
  - [decide, archive]
  - [archive, close]
oversight:
  - [watch, probe]
  - [watch, propose]
  - [watch, decide]
"""


def grades_of(text, config=None):
    return assess(chart(text), config).grades


def test_scores_add_each_factor_with_its_weight():
    grades = grades_of(PENALTY)
    # medium discretion +2, rights +1, staff +0, dual review −1 (time limit weighs 0)
    assert (grades["probe"].score, grades["probe"].grade) == (2, 3)
    assert [r.factor for r in grades["probe"].reasons] == [
        "discretion.medium", "rights", "control.dual-review"]
    # high +3, ¥2,000,000 +2 (band from 1,000,000), rights +1, section +1,
    # no FG201: the legal review is independent; benchmark −1 (a synonym)
    assert (grades["propose"].score, grades["propose"].grade) == (6, 2)
    # high +3, money +2, rights +1, deputy +1, FG201 (nothing checks it before the end)
    # +2, benchmark −1, e-monitoring −1
    assert (grades["decide"].score, grades["decide"].grade) == (7, 1)
    assert grades["decide"].explain("en") == (
        "grade 1: high discretion +3; ¥2,000,000 at stake +2; rights of a party +1; "
        "deputy leader's post +1; unchecked discretion (FG201) +2; "
        "discretion benchmark −1; e monitoring −1")
    assert grades["decide"].explain("zh").startswith("一级: 较大裁量权 +3; 涉及金额 ¥2,000,000 +2")


def test_only_holders_of_power_are_risk_points():
    grades = grades_of(PENALTY)
    assert list(grades) == ["probe", "propose", "legal", "decide", "archive"]
    # the legal review: section +1, legal-review −1: inherent 1 is below grade 3
    assert grades["legal"].grade is None and grades["archive"].grade is None
    assert grades["archive"].score == 0 and grades["archive"].reasons == ()


def test_controls_lower_the_grade_but_never_strike_a_risk_point_off():
    text = PENALTY.replace("controls: [双人复核, 限时办结]",
                           "controls: [双人复核, 回避, 电子监察, 公示]")
    probe = grades_of(text)["probe"]
    # inherent 3 (medium +2, rights +1), three controls count (the limit): score 0
    assert probe.score == 0 and probe.grade == 3
    assert [r.factor for r in probe.reasons][-3:] == [
        "control.dual-review", "control.recusal", "control.e-monitoring"]


def test_a_collective_body_counts_as_a_collective_decision():
    text = textwrap.dedent("""\
        flowgraph: 1
        title: 专项资金分配
        actors:
          board: {name: 局党组会议, rank: principal, collective: 7}
        steps:
          s: {kind: start}
          decide: {kind: decision, actor: board, stakes: {money: 20000000},
                   controls: [集体研究]}
          e: {kind: end}
        flow: [[s, decide], [decide, e]]
        """)
    decide = grades_of(text)["decide"]
    # ¥20,000,000 +3, principal +2, collective decision −1 once (集体研究 is the same)
    assert decide.score == 4 and decide.grade == 3
    assert [r.factor for r in decide.reasons] == [
        "money.1e+07", "rank.principal", "control.collective-decision"]


def test_waived_findings_do_not_raise_a_grade():
    waived = PENALTY.replace("controls: [裁量基准, 电子监察]}",
                             "controls: [裁量基准, 电子监察], waive: {FG201: 法定}}")
    assert grades_of(waived)["decide"].score == 5


def test_grades_do_not_depend_on_the_rules_selected():
    everything = grades_of(PENALTY)["decide"]
    assert grades_of(PENALTY, Config(select=("FG501",)))["decide"] == everything


def test_configured_weights_and_thresholds(tmp_path):
    cfg = tmp_path / "setup.cfg"
    cfg.write_text(textwrap.dedent("""\
        [flowgraph]
        weights =
            discretion.high = 5
            money.50000000 = 4
            control = -2
            control.e-monitoring = 0
            finding.FG201 = 0
        grade_thresholds = 10, 6, 3
        """), "utf-8")
    config = load_config(cfg)
    assert config.scoring.thresholds == (10, 6, 3)
    assert config.scoring.money_bands[-1] == (50_000_000, 4)
    decide = grades_of(PENALTY, config)["decide"]
    # high +5, money +2, rights +1, deputy +1, FG201 0, benchmark −2, e-monitoring 0
    assert decide.score == 7 and decide.grade == 2


def test_toml_weights_with_dotted_keys(tmp_path):
    toml = tmp_path / "flowgraph.toml"
    toml.write_text('grade_thresholds = [8, 5, 2]\n[weights]\ndiscretion.high = 4\n'
                    '"finding.FG301" = 3\n', "utf-8")
    scoring = load_config(toml).scoring
    assert scoring.discretion["high"] == 4 and scoring.findings["FG301"] == 3
    assert scoring.thresholds == (8, 5, 2)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_a_finding_weight_is_configurable_exactly_for_the_rules_that_declare_one(rule):
    """The default weights and the ``finding.<CODE>`` names come from the rule modules
    (``WEIGHT``); a rule that is no risk factor has no weight to configure."""
    default = ScoringPolicy()
    assert default.findings.get(rule.code) == rule.weight
    if rule.weight is None:
        with pytest.raises(ValueError, match=f"finding.{rule.code}"):
            default.with_weights({f"finding.{rule.code}": 1})
    else:
        assert default.with_weights({f"finding.{rule.code}": 9}).findings[rule.code] == 9


@pytest.mark.parametrize("line, word", [
    ("weights =\n    discretion.huge = 3", "discretion.huge"),
    ("weights =\n    finding.FG999 = 1", "finding.FG999"),
    ("weights =\n    people = many", "people"),
    ("grade_thresholds = 2, 5, 7", "grade_thresholds"),
    ("grade_thresholds = 7, 5", "grade_thresholds"),
    ("key_post_ranks = staff, boss", "key_post_ranks"),
])
def test_bad_scoring_settings_name_the_setting_and_line(tmp_path, line, word):
    cfg = tmp_path / "setup.cfg"
    cfg.write_text(f"[flowgraph]\nfail_on = error\n{line}\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(cfg)
    assert word in caught.value.describe("en") and caught.value.line == 3


def test_grade_thresholds_decide_the_grade():
    policy = ScoringPolicy()
    assert [policy.grade_of(score) for score in (1, 2, 4, 5, 6, 7, 12)] == \
        [None, 3, 3, 2, 2, 1, 1]
    # a risk point stays one however low its controls bring the score
    assert policy.grade_of(-1, inherent=2) == 3 and policy.grade_of(3, inherent=1) is None

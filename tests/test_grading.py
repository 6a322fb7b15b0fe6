"""Suggested grades: each method by hand-computed examples, the inherent grade (controls
never lower it, a weakness counts once), the seed's named posts, configuration."""
from __future__ import annotations

import textwrap

import pytest

from flowgraph.analysis import assess
from flowgraph.config import Config, load_config
from flowgraph.errors import ConfigError
from flowgraph.grading.methods import CRITERIA, WeightedScore
from flowgraph.grading.scoring import GradingPolicy
from flowgraph.rules import RULES

from .conftest import chart

# A penalty decided by a deputy with high discretion and ¥2,000,000 at stake, with a
# benchmark and e-monitoring; the case is opened by an officer and reviewed by the
# legal section (independent: it reports to another deputy).
PENALTY = """\
flowgraph: 1
title: 价格违法行为行政处罚
unit: 市市场监督管理局
category: 行政处罚
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


def method(name: str, **settings) -> Config:
    grading = GradingPolicy(method=name)
    return Config(grading=grading) if not settings else Config(grading=grading, **settings)


# -- the criteria count (the default) --------------------------------------------------

def test_the_criteria_count_counts_each_criterion_once():
    grades = grades_of(PENALTY)
    # medium discretion, a party's rights (a penalty case): 2 of 5 → grade 3
    assert (grades["probe"].score, grades["probe"].grade) == (2, 3)
    assert [r.factor for r in grades["probe"].reasons] == [
        "criterion.discretion", "criterion.rights"]
    # ¥2,000,000 (resources), high discretion, a major sum decided (≥ ¥1,000,000),
    # rights: 4 → grade 1; the benchmark is a measure, never a subtraction
    assert (grades["propose"].score, grades["propose"].grade) == (4, 1)
    assert grades["decide"].explain("zh") == (
        "一级：管人财物（涉及金额 ¥2,000,000） +1；较大裁量权 +1；重大事项（三重一大） +1；"
        "直接涉及当事人权益 +1")
    assert grades["decide"].explain("en") == (
        "grade 1: people, money or resources (¥2,000,000 at stake) +1; high discretion +1; "
        "a major matter +1; deals directly with a party's rights +1")


def test_a_step_where_the_post_can_intervene_is_at_least_grade_3():
    grades = grades_of(PENALTY)
    # the legal review meets no criterion, but it reviews: a grade-3 risk point
    assert (grades["legal"].grade, grades["legal"].explain("en")) == (
        3, "grade 3: reviews the matter")
    # filing holds no latitude: not a risk point, no reason
    assert grades["archive"].grade is None and grades["archive"].reasons == ()
    assert list(grades) == ["probe", "propose", "legal", "decide", "archive"]


def test_controls_never_lower_a_grade():
    """The practice grades the inherent risk: a grade-1 post stays grade 1 however well
    it is controlled (that is why its holders are rotated)."""
    bare = PENALTY.replace("controls: [裁量基准, 电子监察]", "controls: []")
    loaded = PENALTY.replace("controls: [裁量基准, 电子监察]",
                             "controls: [裁量基准, 电子监察, 双人复核, 公示, 回避, 轮岗]")
    assert grades_of(bare)["decide"] == grades_of(loaded)["decide"] == \
        grades_of(PENALTY)["decide"]


def test_weaknesses_do_not_raise_the_inherent_grade():
    """Unchecked, alone, unwatched: the clerk's small-sum reduction is what the measures
    must answer, not a grade-1 post (three rules see one weakness)."""
    text = textwrap.dedent("""\
        flowgraph: 1
        title: 防空地下室易地建设费减免
        unit: 市人民防空办公室
        category: 行政征收
        actors:
          clerk: {name: 收费经办员, rank: staff}
        steps:
          s:     {kind: start}
          small: {kind: decision, label: 5万元以下核减, actor: clerk, discretion: medium,
                  stakes: {money: 40000}}
          e:     {kind: end}
        flow: [[s, small], [small, e]]
        """)
    findings, grades = (lambda a: (a.findings, a.grades))(assess(chart(text)))
    assert {f.rule for f in findings} >= {"FG201", "FG301", "FG401"}
    # medium discretion, a levy on a party (decisive, external): 2 → grade 3
    assert (grades["small"].score, grades["small"].grade) == (2, 3)
    # the weighted score counts the weakness, once, as heavy as its heaviest finding:
    # medium +2, staff 0, weakness +2 (FG201, FG301, FG401 at 2 each)
    scored = assess(chart(text), method("score")).grades["small"]
    assert [(r.factor, r.weight) for r in scored.reasons] == [
        ("discretion.medium", 2), ("weakness", 2)]
    assert scored.reasons[-1].text.zh == (
        "制约监督缺失：裁量权未受制约、一人办结全程、无独立监督（FG201、FG301、FG401）")


def test_a_collective_decision_is_a_major_matter_not_a_lesser_risk():
    text = textwrap.dedent("""\
        flowgraph: 1
        title: 国有建设用地使用权出让
        unit: 市自然资源和规划局
        category: 其他行政权力
        actors:
          group: {name: 土地出让领导小组, rank: principal, collective: 7}
        steps:
          s: {kind: start}
          reserve: {kind: decision, label: 集体决策确定底价, actor: group, discretion: high,
                    stakes: {money: 80000000}, controls: [集体决策, 裁量基准, 底价保密]}
          e: {kind: end}
        flow: [[s, reserve], [reserve, e]]
        """)
    reserve = grades_of(text)["reserve"]
    # ¥80,000,000, high discretion, major (collective), a field of frequent cases (出让)
    assert (reserve.score, reserve.grade) == (4, 1)
    assert [r.factor for r in reserve.reasons] == [
        "criterion.resources", "criterion.discretion", "criterion.major", "criterion.field"]


# The posts the seed's report names among the rotated grade-1 section posts, in
# realistic charts: each comes out grade 1.
SEED_POSTS = {
    "国土局地产科科长": """\
        flowgraph: 1
        title: 国有建设用地使用权招拍挂出让
        unit: 市国土资源局
        category: 其他行政权力
        actors:
          chief: {name: 地产科科长, rank: section}
        steps:
          s: {kind: start}
          plan: {kind: task, label: 拟定出让方案及竞买条件, actor: chief, discretion: medium,
                 stakes: {money: 60000000}}
          e: {kind: end}
        flow: [[s, plan], [plan, e]]
        """,
    "建设局质监站站长": """\
        flowgraph: 1
        title: 建设工程质量监督及竣工验收监督
        unit: 市住房和城乡建设局
        category: 行政检查
        actors:
          head: {name: 质监站站长, rank: section}
        steps:
          s: {kind: start}
          accept: {kind: decision, label: 签署竣工验收监督意见, actor: head, discretion: high,
                   stakes: {money: 30000000, rights: true}}
          e: {kind: end}
        flow: [[s, accept], [accept, e]]
        """,
    "规划局用地科科长": """\
        flowgraph: 1
        title: 建设用地规划许可
        unit: 市规划局
        category: 行政许可
        actors:
          chief: {name: 用地科科长, rank: section}
        steps:
          s: {kind: start}
          set: {kind: task, label: 拟定规划条件（容积率、用地性质）, actor: chief,
                discretion: high, stakes: {money: 50000000, rights: true}}
          e: {kind: end}
        flow: [[s, set], [set, e]]
        """,
    "计生委计统科科长": """\
        flowgraph: 1
        title: 社会抚养费征收
        unit: 市人口和计划生育委员会
        category: 行政征收
        actors:
          chief: {name: 计统科科长, rank: section}
        steps:
          s: {kind: start}
          levy: {kind: decision, label: 核定征收金额及减免, actor: chief, discretion: high,
                 stakes: {money: 1200000, rights: true}}
          e: {kind: end}
        flow: [[s, levy], [levy, e]]
        """,
    "财政局预算科科长": """\
        flowgraph: 1
        title: 部门预算编制及专项资金分配
        unit: 市财政局
        category: 内部管理
        actors:
          chief: {name: 预算科科长, rank: section}
        steps:
          s: {kind: start}
          split: {kind: task, label: 提出专项资金分配方案, actor: chief, discretion: high,
                  stakes: {money: 200000000}}
          e: {kind: end}
        flow: [[s, split], [split, e]]
        """,
}


@pytest.mark.parametrize("post", sorted(SEED_POSTS))
def test_the_seed_s_named_grade_1_posts_come_out_grade_1(post):
    grades = grades_of(textwrap.dedent(SEED_POSTS[post]))
    [graded] = [g for g in grades.values()]
    assert graded.grade == 1, graded.explain("en")


# -- the consequence and the weighted score --------------------------------------------

def test_the_consequence_method_grades_the_worst_abuse():
    grades = grades_of(PENALTY, method("consequence"))
    # deciding ¥2,000,000 (≥ ¥1,000,000): abuse could be a crime
    assert grades["decide"].explain("zh") == "一级：滥用可能构成犯罪（决定涉及金额 ¥2,000,000） +3"
    # medium discretion, no sum: a breach of discipline
    assert grades["probe"].explain("en") == (
        "grade 2: abuse could breach discipline (medium discretion) +2")
    # a review with no latitude: a minor irregularity
    assert grades["legal"].explain("en") == (
        "grade 3: abuse could be a minor irregularity (reviews the matter) +1")
    assert grades["archive"].grade is None


def test_the_weighted_score_adds_the_heaviest_weakness_once():
    # a short cut from the proposal to the file: nothing checks the proposal (FG201)
    text = PENALTY.replace("  - [archive, close]", "  - [archive, close]\n"
                                                   "  - [propose, archive, 简易程序]")
    findings = assess(chart(text)).findings
    assert [f.rule for f in findings if f.steps == ("propose",)] == ["FG201"]
    grades = grades_of(text, method("score"))
    # high +3, ¥2,000,000 +2, rights +1, major +1, section +1, and the weakness once, as
    # its heaviest finding weighs (FG201 +2)
    propose = grades["propose"]
    assert [r.factor for r in propose.reasons] == [
        "discretion.high", "money.1e+06", "rights", "major", "rank.section", "weakness"]
    assert propose.score == 10 and propose.grade == 1
    assert propose.reasons[-1].text.en.startswith("checks missing: unchecked discretion")


# -- configuration ----------------------------------------------------------------------

def test_grades_do_not_depend_on_the_rules_selected():
    everything = grades_of(PENALTY)["decide"]
    assert grades_of(PENALTY, Config(select=("FG501",)))["decide"] == everything


def test_a_method_and_its_settings_from_setup_cfg(tmp_path):
    cfg = tmp_path / "setup.cfg"
    cfg.write_text(textwrap.dedent("""\
        [flowgraph]
        grading_method = criteria
        criteria = resources, discretion, rights
        grade_thresholds = 3, 2, 1
        major_money = 5000000
        frequent_fields = 土地, 工程
        """), "utf-8")
    grading = load_config(cfg).grading
    assert grading.chosen.criteria == ("resources", "discretion", "rights")
    assert grading.chosen.thresholds == (3, 2, 1)
    assert grading.fields.major_money == 5_000_000
    assert grading.fields.frequent_fields == ("土地", "工程")
    # resources, discretion, rights: 3 of the three counted → grade 1
    assert grades_of(PENALTY, load_config(cfg))["decide"].grade == 1


def test_score_weights_in_toml_with_dotted_keys(tmp_path):
    toml = tmp_path / "flowgraph.toml"
    toml.write_text('grading_method = "score"\ngrade_thresholds = [8, 5, 2]\n'
                    '[weights]\ndiscretion.high = 4\n"finding.FG301" = 3\n', "utf-8")
    score = load_config(toml).grading.chosen
    assert score.discretion["high"] == 4 and score.findings["FG301"] == 3
    assert score.thresholds == (8, 5, 2)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_a_finding_weight_is_configurable_exactly_for_the_rules_that_declare_one(rule):
    """The default weights and the ``finding.<CODE>`` names come from the rule modules
    (``WEIGHT``); a rule that is no risk factor has no weight to configure."""
    default = WeightedScore()
    assert default.findings.get(rule.code) == rule.weight
    if rule.weight is None:
        with pytest.raises(ValueError, match=f"finding.{rule.code}"):
            default.with_weights({f"finding.{rule.code}": 1})
    else:
        assert default.with_weights({f"finding.{rule.code}": 9}).findings[rule.code] == 9


@pytest.mark.parametrize("line, word", [
    ("grading_method = stars", "grading_method"),
    ("criteria = discretion, rights, discretion", "named twice"),
    ("criteria = discretion, luck", "no criterion 'luck'"),
    ("weights =\n    discretion.huge = 3", "discretion.huge"),
    ("weights =\n    finding.FG999 = 1", "finding.FG999"),
    ("weights =\n    people = many", "people"),
    ("grade_thresholds = 2, 5, 7", "grade_thresholds"),
    ("grade_thresholds = 7, 5", "grade_thresholds"),
    ("key_post_ranks = staff, boss", "key_post_ranks"),
])
def test_bad_grading_settings_name_the_setting_and_line(tmp_path, line, word):
    cfg = tmp_path / "setup.cfg"
    cfg.write_text(f"[flowgraph]\nfail_on = error\n{line}\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(cfg)
    assert word in caught.value.describe("en") and caught.value.line == 3


def test_thresholds_belong_to_a_method_that_has_them(tmp_path):
    cfg = tmp_path / "setup.cfg"
    cfg.write_text("[flowgraph]\ngrading_method = consequence\ngrade_thresholds = 3, 2, 1\n",
                   "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(cfg)
    assert "the consequence method has no thresholds" in caught.value.describe("en")


def test_every_criterion_has_words_in_both_languages():
    for criterion in CRITERIA.values():
        assert criterion.words.zh and criterion.words.en


def test_power_classes_and_key_post_grades_from_setup_cfg(tmp_path):
    cfg = tmp_path / "setup.cfg"
    cfg.write_text(textwrap.dedent("""\
        [flowgraph]
        key_post_grades = 1, 2
        power_classes =
            行政许可 = 许可, 审批
            内部管理 = 内部, 财务, 人事
        """), "utf-8")
    config = load_config(cfg)
    assert config.key_posts.grades == (1, 2)
    classes = config.classes
    assert classes.names == ("行政许可", "内部管理", "其他行政权力")
    assert [classes.of(c) for c in ("行政审批", "内部管理", "财务报销", "行政处罚", None)] == [
        "行政许可", "内部管理", "内部管理", "其他行政权力", "其他行政权力"]


def test_the_six_classes_by_default():
    from flowgraph.grading.classes import PowerClasses
    classes = PowerClasses()
    assert [classes.of(c) for c in ("行政许可", "资质认定", "行政处罚", "行政强制", "行政征收",
                                    "行政给付", "行政检查", "内部管理", None)] == [
        "行政许可", "行政许可", "行政处罚", "行政强制", "行政征收", "行政给付",
        "其他行政权力", "其他行政权力", "其他行政权力"]


@pytest.mark.parametrize("line, word", [
    ("power_classes = 行政许可", "power_classes"),
    ("key_post_grades = 1, 4", "key_post_grades"),
])
def test_bad_classes_and_key_post_grades_name_the_setting(tmp_path, line, word):
    cfg = tmp_path / "setup.cfg"
    cfg.write_text(f"[flowgraph]\nfail_on = error\n{line}\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(cfg)
    assert word in caught.value.describe("en") and caught.value.line == 3


@pytest.mark.parametrize("name", ["criteria", "consequence", "score"])
def test_steps_graded_alike_are_graded_as_each_alone(name):
    """grade_chart grades the first of the steps alike in everything their facts are
    made of, and gives the others its grade: the same as grading each on its facts."""
    from flowgraph.grading.facts import step_facts
    from flowgraph.grading.scoring import grade_chart, weaknesses_by_step
    from flowgraph.io import load
    from flowgraph.policy import Policy

    from .conftest import ROOT
    policy, grading = Policy(), GradingPolicy(method=name)
    compared = 0
    for path in sorted((ROOT / "flowcharts").glob("*.yaml")):
        flowchart = load(path)
        findings = assess(flowchart).findings
        weak = weaknesses_by_step(findings)
        graded = grade_chart(flowchart, findings, policy, grading)
        for step_id, grade in graded.items():
            step = flowchart.steps[step_id]
            if grade.reasons and grade.reasons[0].factor == "outside":
                continue
            alone = grading.chosen.grade(step_facts(flowchart, step, weak.get(step_id, ()),
                                                    policy, grading.fields))
            assert grade == alone
            compared += 1
    assert compared > 100

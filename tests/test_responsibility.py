"""Posts across flowcharts and the responsible leader of design.md §7, branch by branch."""
from __future__ import annotations

import textwrap

import pytest

from flowgraph.analysis import assess
from flowgraph.grading.posts import KeyPostPolicy
from flowgraph.grading.responsibility import PostLines, UnitLeaders, responsible
from flowgraph.results import ChartResult, FileResult, Review

from .conftest import chart

LEADERS = UnitLeaders.of(["局长"], ["市政府分管副市长"])


def lines(ranks=(), supervisors=(), in_charge=()):
    return PostLines(frozenset(ranks), frozenset(supervisors), frozenset(in_charge))


@pytest.mark.parametrize("grade, post, post_lines, leader", [
    # grade 1: the principal leader; for the principal's own post, the superior
    (1, "审批科科长", lines({"section"}, {"分管副局长"}, {"分管副局长"}), "局长"),
    (1, "局长", lines({"principal"}), "市政府分管副市长"),
    # grade 2: the leader in charge up the reporting line; a deputy's own: the principal
    (2, "审批科经办人", lines({"staff"}, {"审批科科长"}, {"分管副局长"}), "分管副局长"),
    (2, "分管副局长", lines({"deputy"}, {"局长"}, {"局长"}), "局长"),
    (2, "局长", lines({"principal"}), "市政府分管副市长"),
    # grade 3: the direct supervisor
    (3, "审批科经办人", lines({"staff"}, {"审批科科长"}, {"分管副局长"}), "审批科科长"),
    (3, "局长", lines({"principal"}), "市政府分管副市长"),
])
def test_each_branch_names_the_leader(grade, post, post_lines, leader):
    assert responsible(grade, post, post_lines, LEADERS).name == leader


@pytest.mark.parametrize("grade, post, post_lines, leaders, note", [
    (1, "科长", lines({"section"}), UnitLeaders.of([], []), "no principal leader declared"),
    (1, "局长", lines({"principal"}), UnitLeaders.of(["局长"], []),
     "no superior_in_charge declared"),
    (1, "科长", lines({"section"}), UnitLeaders.of(["局长", "党委书记"], []),
     "the flowcharts name different principal leaders (党委书记, 局长)"),
    (2, "科长", lines({"section"}), LEADERS, "reaches no leader in charge"),
    (2, "科长", lines({"section"}, (), {"副局长甲", "副局长乙"}), LEADERS,
     "different leaders in charge (副局长乙, 副局长甲)"),
    (3, "科长", lines({"section"}), LEADERS, "no direct supervisor (reports_to)"),
    (3, None, None, LEADERS, "the step names no post"),
])
def test_when_the_data_cannot_name_the_leader_it_says_why(grade, post, post_lines,
                                                          leaders, note):
    answer = responsible(grade, post, post_lines, leaders)
    assert answer.name is None and note in answer.note.en
    assert answer("zh").startswith("无法确定: ") and answer("en").startswith("cannot be named")


def test_no_grade_no_leader():
    assert responsible(None, "科长", lines(), LEADERS) is None


def _review(*texts, key_posts=None):
    results = []
    for number, text in enumerate(texts):
        flowchart = chart(textwrap.dedent(text), f"chart{number}.yaml")
        assessment = assess(flowchart)
        results.append(FileResult(f"chart{number}.yaml", [
            ChartResult(flowchart, assessment.findings, assessment.grades)]))
    from flowgraph.config import Config
    config = Config(key_posts=key_posts) if key_posts else Config()
    return Review.of(results, config)


# Two charts of one unit: the principal leader and the superior are declared only in
# the first, the licensing post appears in both with different grades.
FIRST = """\
    flowgraph: 1
    title: 建筑工程施工许可
    unit: 市住房和城乡建设局
    superior_in_charge: 市政府分管副市长
    actors:
      clerk:  {name: 审批科经办人, rank: staff, reports_to: chief}
      chief:  {name: 审批科科长, rank: section, reports_to: deputy}
      deputy: {name: 分管副局长, rank: deputy, reports_to: head}
      head:   {name: 局长, rank: principal}
    steps:
      s:      {kind: start}
      check:  {kind: review, label: 审查, actor: clerk, discretion: low,
               stakes: {rights: true}}
      decide: {kind: decision, label: 审批, actor: head, discretion: high,
               stakes: {money: 50000000}, controls: [裁量基准]}
      e:      {kind: end}
    flow: [[s, check], [check, decide], [decide, e]]
    """
SECOND = """\
    flowgraph: 1
    title: 商品房预售许可
    unit: 市住房和城乡建设局
    actors:
      clerk:  {name: 审批科经办人, rank: staff, reports_to: chief}
      chief:  {name: 审批科科长, rank: section, reports_to: deputy}
      deputy: {name: 分管副局长, rank: deputy}
    steps:
      s:      {kind: start}
      check:  {kind: review, label: 审查, actor: clerk, discretion: high,
               stakes: {money: 30000000, rights: true}}
      sign:   {kind: decision, label: 签发, actor: deputy, discretion: low,
               stakes: {rights: true}, controls: [集体讨论, 公示]}
      e:      {kind: end}
    flow: [[s, check], [check, sign], [sign, e]]
    """
ALONE = """\
    flowgraph: 1
    title: 无单位的流程图
    actors:
      clerk: {name: 审批科经办人, rank: staff}
    steps:
      s:     {kind: start}
      check: {kind: review, actor: clerk, discretion: low, stakes: {rights: true}}
      e:     {kind: end}
    flow: [[s, check], [check, e]]
    """


def test_a_post_takes_its_highest_grade_over_the_unit_and_its_leader_from_any_chart():
    review = _review(FIRST, SECOND, ALONE)
    posts = {(p.unit, p.name): p for p in review.posts}
    clerk = posts[("市住房和城乡建设局", "审批科经办人")]
    first, second = [chart for _, chart in review.charts()][:2]
    # low +1, rights +1 in the first; high, ¥30,000,000, FG202, FG401 in the second
    assert first.grades["check"].grade == 3 and second.grades["check"].grade == 1
    assert clerk.grade == 1 and clerk.risk_points == 2
    assert clerk.flowcharts == ["建筑工程施工许可", "商品房预售许可"]
    # grade 1: the principal leader, declared only in the first chart
    assert clerk.responsible.name == "局长"
    assert review.responsible_for(second, "check").name == "局长"
    assert review.responsible_for(first, "check").name == "审批科科长"  # grade 3
    # the principal's own grade-1 point: the superior body's leader in charge
    assert first.grades["decide"].grade == 1
    assert review.responsible_for(first, "decide").name == "市政府分管副市长"
    # the deputy's grade-3 point: its direct supervisor, known from the first chart
    assert second.grades["sign"].grade == 3
    assert review.responsible_for(second, "sign").name == "局长"
    # a chart without a unit is a unit of its own: its clerk is another post
    alone = [p for p in review.posts if p.unit == "<chart2.yaml>"]
    assert [p.name for p in alone] == ["审批科经办人"] and alone[0].risk_points == 1


def test_key_posts_concentrate_power_over_flowcharts_or_money():
    review = _review(FIRST, SECOND, key_posts=KeyPostPolicy(min_flowcharts=2,
                                                           min_money=40_000_000))
    posts = {p.name: p for p in review.posts}
    clerk = posts["审批科经办人"]
    # high-stakes in the second chart only (low discretion, no money in the first)
    assert clerk.power_flowcharts == 1 and clerk.money == 30_000_000
    assert not clerk.is_key_post
    head = posts["局长"]
    assert head.money == 50_000_000 and not head.is_key_post  # leaders are not flagged
    review = _review(FIRST, SECOND, key_posts=KeyPostPolicy(min_flowcharts=1,
                                                           min_money=20_000_000))
    clerk = {p.name: p for p in review.posts}["审批科经办人"]
    assert [r.en for r in clerk.key_post_reasons] == [
        "decides or holds high-stakes steps in 1 flowcharts",
        "¥30,000,000 under its control"]
    assert clerk.domains == {"money", "affairs"}

"""Who answers for a risk point (design.md §7): the three levels of responsibility,
lines inferred from a unit's structure, bodies outside the unit, key posts."""
from __future__ import annotations

import textwrap

import pytest

from flowgraph.analysis import assess
from flowgraph.grading.bodies import outside_reason
from flowgraph.grading.posts import KeyPostPolicy, section_of
from flowgraph.grading.responsibility import (
    PostLines,
    Responsible,
    UnitLeaders,
    responsible,
)
from flowgraph.model import Actor
from flowgraph.results import ChartResult, FileResult, Review

from .conftest import chart

LEADERS = UnitLeaders.of(["局长"], ["市政府分管副市长"])
NOBODY = Responsible(None)


def lines(ranks=(), supervisor=None, leader=None):
    return PostLines(frozenset(ranks), Responsible(supervisor) if supervisor else NOBODY,
                     NOBODY, Responsible(leader) if leader else NOBODY)


@pytest.mark.parametrize("grade, post, post_lines, leader", [
    # grade 1: the principal leader; for the principal's own post, the superior
    (1, "审批科科长", lines({"section"}, "分管副局长", "分管副局长"), "局长"),
    (1, "局长", lines({"principal"}), "市政府分管副市长"),
    # grade 2: the leader in charge up the reporting line; a deputy's own: the principal
    (2, "审批科经办人", lines({"staff"}, "审批科科长", "分管副局长"), "分管副局长"),
    (2, "分管副局长", lines({"deputy"}, "局长", "局长"), "局长"),
    (2, "局长", lines({"principal"}), "市政府分管副市长"),
    # a leading body the principal chairs (局党组会议, rank principal): no deputy is
    # above it, whatever its work; the principal leader answers for it
    (2, "局党组会议", lines({"principal"}, None, "分管人事副局长"), "局长"),
    # grade 3: the direct supervisor
    (3, "审批科经办人", lines({"staff"}, "审批科科长", "分管副局长"), "审批科科长"),
    (3, "局长", lines({"principal"}), "市政府分管副市长"),
])
def test_each_branch_names_the_leader(grade, post, post_lines, leader):
    assert responsible(grade, post, post_lines, LEADERS).name == leader


@pytest.mark.parametrize("grade, post, post_lines, leaders, note", [
    (1, "科长", lines({"section"}), UnitLeaders.of([], []),
     "the flowcharts name no principal leader of the unit (such as its director)"),
    (1, "局长", lines({"principal"}), UnitLeaders.of(["局长"], []),
     "the flowcharts name no leader in charge at the superior body"),
    (1, "科长", lines({"section"}), UnitLeaders.of(["局长", "党委书记"], []),
     "the flowcharts name different principal leaders (党委书记, 局长)"),
    (3, None, None, LEADERS, "the step names no post"),
])
def test_when_the_data_cannot_name_the_leader_it_says_why(grade, post, post_lines,
                                                          leaders, note):
    answer = responsible(grade, post, post_lines, leaders)
    assert answer.name is None and answer.note.en == note
    assert answer("zh").startswith("无法确定：") and answer("en").startswith("cannot be named")


def test_no_grade_no_leader():
    assert responsible(None, "科长", lines(), LEADERS) is None


def test_notes_are_plain_words_without_the_format_s_keys():
    for leaders in (UnitLeaders.of([], []), UnitLeaders.of(["a", "b"], ["c", "d"])):
        for answer in (leaders.principal, leaders.superior_in_charge):
            for lang in ("zh", "en"):
                text = answer(lang)
                assert "reports_to" not in text and "superior_in_charge" not in text
                assert "rank" not in text and "principal:" not in text


@pytest.mark.parametrize("name, section, heads", [
    ("审批科经办人", "审批科", False), ("审批科科长", "审批科", True),
    ("质监站站长", "质监站", True), ("国库科副科长", "国库科", False),
    ("财政所出纳", "财政所", False), ("局长", None, False), ("出纳", None, False),
    ("执法支队大队长", "执法支队", True),
])
def test_a_post_s_title_names_its_section(name, section, heads):
    assert section_of(name) == (section, heads)


@pytest.mark.parametrize("name, unit, why", [
    ("派驻纪检监察组", "市民政局", "its name contains '派驻'"),
    ("评标委员会", "市住房和城乡建设局", "its name contains '评标委员会'"),
    ("市政府常务会议", "市自然资源和规划局", "by its name, part of 市政府"),
    ("县民政局", "青山镇人民政府", "by its name, part of 县民政局"),
    ("市财政局国库科", "市教育局", "by its name, part of 市财政局"),
    ("土地估价机构", "市国土资源局", "its name contains '估价机构'"),
    ("村（居）民民主评议小组", "青山镇人民政府", "its name contains '村（居）'"),
])
def test_bodies_outside_the_unit_are_recognised_by_name(name, unit, why):
    assert outside_reason(Actor("a", name), unit).en == why


@pytest.mark.parametrize("name, unit", [
    ("局党组会议", "市民政局"), ("审批科科长", "市住房和城乡建设局"),
    ("建筑市场监管科经办人", "市住房和城乡建设局"), ("镇财政所出纳", "青山镇人民政府"),
    ("青山镇党委会议", "青山镇人民政府"), ("市国土资源局地产科科长", "市国土资源局"),
    ("分管市容副局长", "市城市管理局"), ("土地出让领导小组", "市自然资源局"),
])
def test_the_unit_s_own_posts_and_bodies_are_not_outside(name, unit):
    assert outside_reason(Actor("a", name), unit) is None


def test_what_the_chart_says_decides_whether_a_body_is_outside():
    assert outside_reason(Actor("a", "局党组会议", outside=True), "市民政局").en == \
        "as the chart says"
    assert outside_reason(Actor("a", "市政府常务会议", outside=False), "市国土局") is None
    assert outside_reason(Actor("a", "x", oversight=True), "u").en == "a supervisory body"


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
    # the first check: low discretion over a party's rights (one criterion); the
    # second: high discretion, ¥30,000,000 (resources, a major sum), rights: four
    assert first.grades["check"].grade == 3 and second.grades["check"].grade == 1
    assert clerk.grade == 1 and clerk.risk_points == 2
    assert clerk.flowcharts == ["建筑工程施工许可", "商品房预售许可"]
    # grade 1: the principal leader, declared only in the first chart
    assert clerk.responsible.name == "局长"
    assert review.responsible_for(second, "check").name == "局长"
    assert review.responsible_for(first, "check").name == "审批科科长"  # grade 3
    # the three levels: the post, the head of its section, the leader by grade
    assert review.department_for(first, "check").name == "审批科科长"
    # the principal's own grade-1 point: the superior body's leader in charge
    assert first.grades["decide"].grade == 1
    assert review.responsible_for(first, "decide").name == "市政府分管副市长"
    # the deputy's grade-3 point: its direct supervisor, known from the first chart
    assert second.grades["sign"].grade == 3
    assert review.responsible_for(second, "sign").name == "局长"
    # a chart without a unit is a unit of its own: its clerk is another post
    alone = [p for p in review.posts if p.unit == "<chart2.yaml>"]
    assert [p.name for p in alone] == ["审批科经办人"] and alone[0].risk_points == 1


# A unit whose charts leave the reporting lines out: the structure fills them in.
UNDRAWN = """\
    flowgraph: 1
    title: 建设工程规划许可
    unit: 市自然资源和规划局
    category: 行政许可
    actors:
      clerk:  {name: 规划科科员, rank: staff}
      chief:  {name: 规划科科长, rank: section}
      other:  {name: 用地科科长, rank: section}
      deputy: {name: 分管规划副局长, rank: deputy}
      deputy2: {name: 分管用地副局长, rank: deputy}
      head:   {name: 局长, rank: principal}
    steps:
      s:      {kind: start}
      check:  {kind: review, label: 审查, actor: clerk, discretion: medium,
               stakes: {rights: true}}
      site:   {kind: task, label: 用地核查, actor: other, discretion: low}
      decide: {kind: decision, label: 核发许可, actor: chief, discretion: medium,
               stakes: {rights: true}}
      e:      {kind: end}
    flow: [[s, check], [check, site], [site, decide], [decide, e]]
    """


def test_lines_a_chart_leaves_out_come_from_the_unit_s_structure():
    review = _review(UNDRAWN)
    [(_, chart)] = list(review.charts())
    # a 科员 of 规划科: the head of its section is 规划科科长 …
    assert review.department_for(chart, "check").name == "规划科科长"
    lines = review.index.lines("市自然资源和规划局", "规划科科员")
    assert (lines.supervisor.name, lines.supervisor.note.en) == (
        "规划科科长", "inferred from the title: the head of 规划科")
    # … and of two deputies, the one whose title names the section's work is in
    # charge: he answers for the 科员's grade-2 review (medium discretion over a
    # party's rights in a field of frequent cases)
    check = review.responsible_for(chart, "check")
    assert (chart.grades["check"].grade, check.name, check.note.en) == (
        2, "分管规划副局长", "inferred from the title: the leader in charge of 规划")
    # a head of section heads its own section, and answers to the leader in charge:
    # 用地科科长's grade-3 site check, to 分管用地副局长
    assert review.department_for(chart, "site").name == "用地科科长"
    assert (chart.grades["site"].grade, review.responsible_for(chart, "site").name) == (
        3, "分管用地副局长")


def test_a_leader_s_post_and_a_collective_body_have_no_department_head():
    """The JSON's department note says what the ledger's 部门责任人 says: not
    applicable, and why; not that the title names no section."""
    text = FIRST.replace(
        "      head:   {name: 局长, rank: principal}",
        "      head:   {name: 局长, rank: principal}\n"
        "      board:  {name: 局务会议, collective: 7, reports_to: head}").replace(
        "decide: {kind: decision, label: 审批, actor: head,",
        "decide: {kind: decision, label: 审批, actor: board,")
    text = text.replace("check:  {kind: review, label: 审查, actor: clerk,",
                        "check:  {kind: review, label: 审查, actor: deputy,")
    review = _review(text)
    [(_, chart)] = list(review.charts())
    leader, body = (review.department_for(chart, step) for step in ("check", "decide"))
    assert (leader.name, leader("zh"), leader("en")) == (
        None, "不适用（单位领导岗位）", "n/a (a leader's post)")
    assert (body.name, body("zh"), body("en")) == (
        None, "不适用（集体决策机构）", "n/a (a collective body)")


def test_with_several_deputies_and_none_named_the_ledger_says_why():
    text = UNDRAWN.replace("分管规划副局长", "副局长甲").replace("分管用地副局长", "副局长乙")
    review = _review(text)
    lines = review.index.lines("市自然资源和规划局", "规划科科长")
    assert lines.leader_in_charge.name is None
    assert lines.leader_in_charge("zh") == (
        "无法确定：本单位有多位分管领导（副局长乙、副局长甲），流程图没有写明由哪位分管")


def test_bodies_outside_the_unit_are_listed_apart_and_are_not_its_posts():
    text = FIRST.replace(
        "      head:   {name: 局长, rank: principal}",
        "      head:   {name: 局长, rank: principal}\n"
        "      council: {name: 市政府常务会议, rank: principal, collective: 30}") \
        .replace("flow: [[s, check], [check, decide], [decide, e]]",
                 "flow: [[s, check], [check, decide], [decide, ok], [ok, e]]") \
        .replace("      e:      {kind: end}",
                 "      ok:     {kind: decision, label: 审定, actor: council}\n"
                 "      e:      {kind: end}")
    review = _review(text)
    [(_, chart)] = list(review.charts())
    assert "市政府常务会议" not in {p.name for p in review.posts}
    [body] = review.bodies
    assert (body.unit, body.name, body.reason.en, body.steps) == (
        "市住房和城乡建设局", "市政府常务会议", "by its name, part of 市政府", 1)
    ok = chart.grades["ok"]
    assert ok.grade is None and ok.explain("en") == (
        "not a risk point: done outside the unit (by its name, part of 市政府)")


# Key posts: decisive power over people, money or affairs, in a grade-1 post.
PLACEMENT = """\
    flowgraph: 1
    title: 干部调配
    unit: 市人力资源和社会保障局
    category: 内部管理
    actors:
      chief: {name: 干部调配科科长, rank: section}
    steps:
      s:     {kind: start}
      place: {kind: decision, label: 提出调配人选, actor: chief, discretion: medium,
              stakes: {people: true}}
      e:     {kind: end}
    flow: [[s, place], [place, e]]
    """
CASHIER = """\
    flowgraph: 1
    title: 国库资金支付
    unit: 市人力资源和社会保障局
    category: 内部管理
    actors:
      cashier: {name: 计划财务科出纳, rank: staff}
    steps:
      s:     {kind: start}
      pay:   {kind: task, label: 按审批单支付, actor: cashier, duty: execute,
              stakes: {money: 80000000}}
      e:     {kind: end}
    flow: [[s, pay], [pay, e]]
    """


def test_key_posts_hold_decisive_power_over_people_money_or_affairs():
    review = _review(PLACEMENT, CASHIER)
    posts = {p.name: p for p in review.posts}
    placement = posts["干部调配科科长"]
    # people (resources), medium discretion, a major matter, a field (干部): grade 1
    assert placement.grade == 1 and placement.is_key_post
    assert [r.zh for r in placement.key_post_reasons] == [
        "对人有决定权：人事（干部调配）", "岗位风险等级为一级"]
    # ¥80,000,000 passes through the cashier's hands: decided by others
    cashier = posts["计划财务科出纳"]
    assert cashier.domains == {} and not cashier.is_key_post


def test_chart_count_and_money_are_further_signals_not_the_test():
    review = _review(FIRST, SECOND, key_posts=KeyPostPolicy(grades=(), min_flowcharts=2,
                                                           min_money=40_000_000))
    posts = {p.name: p for p in review.posts}
    clerk = posts["审批科经办人"]
    # decisive (high discretion) over money and a licence in the second chart only
    assert clerk.power_flowcharts == 1 and clerk.money == 30_000_000
    assert not clerk.is_key_post
    assert not posts["局长"].is_key_post  # leaders are not flagged
    review = _review(FIRST, SECOND, key_posts=KeyPostPolicy(grades=(), min_flowcharts=1,
                                                           min_money=20_000_000))
    clerk = {p.name: p for p in review.posts}["审批科经办人"]
    assert [r.en for r in clerk.key_post_reasons] == [
        "decides over money (¥30,000,000), affairs (商品房预售许可)",
        "decides or holds high-stakes steps in 1 flowcharts",
        "decides ¥30,000,000 in all"]


FUNDS = """\
    flowgraph: 1
    title: 专项资金分配
    unit: 市工业和信息化局
    category: 内部管理
    actors:
      chief: {name: 投资科科长, rank: section}
    steps:
      s:     {kind: start}
      split: {kind: task, label: 提出资金分配方案, actor: chief, discretion: high,
              stakes: {money: 20000000}}
      e:     {kind: end}
    flow: [[s, split], [split, e]]
    """
LICENCE = """\
    flowgraph: 1
    title: 建设用地规划许可
    unit: 市自然资源和规划局
    category: 行政许可
    actors:
      chief: {name: 用地科科长, rank: section}
    steps:
      s:      {kind: start}
      decide: {kind: decision, label: 核发规划许可, actor: chief, discretion: high,
               stakes: {rights: true, money: 50000000}}
      e:      {kind: end}
    flow: [[s, decide], [decide, e]]
    """


@pytest.mark.parametrize("text, post, reasons", [
    (FUNDS, "投资科科长", ["对财有决定权：资金（¥20,000,000）", "岗位风险等级为一级"]),
    (LICENCE, "用地科科长", ["对财、事有决定权：资金（¥50,000,000）、事项（建设用地规划许可）",
                        "岗位风险等级为一级", "决定的金额合计 ¥50,000,000"]),
])
def test_key_posts_by_money_and_by_affairs(text, post, reasons):
    [found] = [p for p in _review(text).posts if p.name == post]
    assert found.grade == 1 and [r.zh for r in found.key_post_reasons] == reasons
